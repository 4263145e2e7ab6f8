//! Checkpoints of the audit log that leave the device (issue 13).
//!
//! The audit entries are the leaves of an RFC 6962 Merkle tree
//! (`audit::SqlNodes`, FORMAT.md section 9). Here the tree head is signed
//! with the device key `D` as a C2SP `tlog-checkpoint` whose origin (and key
//! name) names the site; a consistency proof shows that the log extends a
//! checkpoint the ward kept; and the log is checked from its rows against
//! checkpoints the ward holds. A checkpoint holds a size and a hash: nothing
//! about any resident.

use tsudoi_tlog::note::{Signer, Verifier};
use tsudoi_tlog::{
    Checkpoint, ConsistencyProofFile, EMPTY_ROOT, Frontier, Hash, NodeId, NodeStore, leaf_hash,
};

use super::audit::{self, AuditAction, AuditEntry, ChainVerdict, SqlNodes};
use super::errors::CheckpointError;
use super::{Actor, Store};
use crate::error::{Error, Result};

/// The log's name, used as the checkpoint's origin and the key name:
/// `tsudoi/` and the site's name, with spaces and `+` (which C2SP key names
/// may not contain) and control characters replaced by `_`.
pub fn origin_for_site(site: &str) -> String {
    let name: String = site
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '+' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("tsudoi/{name}")
}

/// A signed checkpoint as written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    /// The signed note: body, blank line, signature line.
    pub text: String,
    /// Entries in the log when it was signed (the tree size).
    pub size: u64,
    /// The Merkle tree head at that size.
    pub root: Hash,
}

impl SignedCheckpoint {
    /// A short form for paper (the monthly report's PDF): the number of
    /// entries and the first 16 characters of the base64 tree head, which
    /// the ward compares with the third line of the checkpoint file.
    pub fn fingerprint(&self) -> String {
        let b64 = self.root.to_base64();
        format!("{}件 {}", self.size, &b64[..16])
    }
}

/// One checkpoint the ward holds, as read from a file.
#[derive(Debug, Clone)]
pub struct WardCheckpoint {
    /// How to name it to staff (the file name).
    pub label: String,
    /// The file's raw bytes (a signed note).
    pub bytes: Vec<u8>,
}

/// What was found for one of the ward's checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointFinding {
    /// The log at that size has exactly that tree head.
    Matches {
        /// The checkpoint's tree size.
        size: u64,
    },
    /// Not signed by this device's key for this log, or not a checkpoint.
    Unreadable {
        /// Why, in Japanese, for staff.
        reason: String,
    },
    /// The log has fewer entries than the checkpoint: cut short or rolled
    /// back to an old copy. At least entries `entries + 1 ..= size` are
    /// gone; the log matches the ward's checkpoints up to entry `from - 1`
    /// only (entries appended since, such as this check's own sign-in, may
    /// stand where removed ones were).
    Shorter {
        /// The checkpoint's tree size.
        size: u64,
        /// Entries in the log now.
        entries: u64,
        /// First entry that may differ from what the ward holds.
        from: u64,
    },
    /// The first `size` entries no longer hash to the checkpoint's tree
    /// head: some entry in `from ..= size` was rewritten (`from` is one
    /// past the largest earlier checkpoint that still matches).
    Rewritten {
        /// The checkpoint's tree size.
        size: u64,
        /// First entry that may have been rewritten.
        from: u64,
    },
}

/// The outcome of `tsudoi audit verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogReport {
    /// The keyed hash chain (edited, deleted, reordered rows).
    pub chain: ChainVerdict,
    /// Rows in the log.
    pub entries: u64,
    /// The first entry (from 1) whose row no longer matches the Merkle
    /// tree stored with it, or the stored tree is damaged at that entry.
    pub tree_mismatch_at: Option<u64>,
    /// Per checkpoint, in the order given.
    pub checkpoints: Vec<(String, CheckpointFinding)>,
    /// Entries recorded when a fold found the chain of entries made while
    /// locked broken: (entry number, result).
    pub pending_breaks: Vec<(i64, String)>,
}

impl LogReport {
    /// True when nothing was found.
    pub fn is_intact(&self) -> bool {
        matches!(self.chain, ChainVerdict::Intact { .. })
            && self.tree_mismatch_at.is_none()
            && self
                .checkpoints
                .iter()
                .all(|(_, f)| matches!(f, CheckpointFinding::Matches { .. }))
    }

    /// The first entry where history differs from what was recorded or
    /// what the ward holds, if any: (entry number from 1, exact?). Not
    /// exact when only a checkpoint's tree head shows it: then it is the
    /// first entry the checkpoints cannot vouch for. The keyed chain and the
    /// stored tree name an entry exactly; when they do, that entry is given.
    pub fn first_bad_entry(&self) -> Option<(u64, bool)> {
        let mut found: Vec<(u64, bool)> = Vec::new();
        if let ChainVerdict::Broken { at_seq, .. } = self.chain {
            found.push((u64::try_from(at_seq).unwrap_or(0).max(1), true));
        }
        if let Some(i) = self.tree_mismatch_at {
            found.push((i, true));
        }
        for (_, f) in &self.checkpoints {
            match f {
                CheckpointFinding::Shorter { entries, from, .. } => {
                    if *from > *entries {
                        found.push((entries + 1, true));
                    } else {
                        found.push((*from, false));
                    }
                }
                CheckpointFinding::Rewritten { from, .. } => found.push((*from, false)),
                _ => {}
            }
        }
        // An entry named exactly (by the keyed chain or the stored tree) is
        // preferred: a checkpoint alone only bounds where a rewrite starts.
        found.into_iter().min_by_key(|(i, exact)| (!*exact, *i))
    }
}

impl std::fmt::Display for LogReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.chain {
            ChainVerdict::Intact { .. } => writeln!(
                f,
                "鍵付きの連鎖: 改ざんは見つかりません（{}件）。",
                self.entries
            )?,
            broken => writeln!(f, "鍵付きの連鎖: {broken}")?,
        }
        match self.tree_mismatch_at {
            None => writeln!(f, "ハッシュの木: 記録と一致しています。")?,
            Some(i) => writeln!(
                f,
                "ハッシュの木: {i}件目の記録が、書き込まれたときのハッシュと一致しません（記録が書き換えられたか、木が壊れています）。"
            )?,
        }
        for (label, finding) in &self.checkpoints {
            match finding {
                CheckpointFinding::Matches { size } => {
                    writeln!(f, "区の控え {label}（{size}件）: 一致しています。")?
                }
                CheckpointFinding::Unreadable { reason } => {
                    writeln!(f, "区の控え {label}: 確認できません（{reason}）。")?
                }
                CheckpointFinding::Shorter {
                    size,
                    entries,
                    from,
                } => writeln!(
                    f,
                    "区の控え {label}（{size}件）: 監査ログが{entries}件しかありません。少なくとも{}件目以降が削除されたか、古いファイルに戻されています（控えと一致が確かめられるのは{}件目まで）。",
                    entries + 1,
                    from - 1
                )?,
                CheckpointFinding::Rewritten { size, from } => writeln!(
                    f,
                    "区の控え {label}（{size}件）: 一致しません。{from}件目から{size}件目までのどこかが書き換えられています（それより前は控えと一致）。"
                )?,
            }
        }
        for (seq, result) in &self.pending_breaks {
            writeln!(
                f,
                "注意: {seq}件目の記録によると、ロック中に記録されたサインインの失敗が書き換えられていました（{result}）。"
            )?;
        }
        match self.first_bad_entry() {
            None => write!(f, "監査ログは改ざんされていません。"),
            Some((i, true)) => write!(
                f,
                "監査ログの{i}件目で改ざんを検出しました。取扱責任者と区に報告してください。"
            ),
            Some((i, false)) => write!(
                f,
                "監査ログの{i}件目以降で改ざんを検出しました（区の控えで確かめられるのは{}件目まで）。取扱責任者と区に報告してください。",
                i.saturating_sub(1)
            ),
        }
    }
}

fn unreadable(e: impl std::fmt::Display) -> String {
    // The tlog crate's messages are English and name no personal value.
    format!("{e}")
}

impl Store {
    /// The log's name (origin and key name), from the site's name.
    pub fn audit_origin(&self) -> Result<String> {
        Ok(origin_for_site(&self.site()?))
    }

    /// The verifier of this device's checkpoints, from the public key kept
    /// in the store (no sign-in needed).
    pub fn audit_verifier(&self) -> Result<Verifier> {
        let hex = self
            .device_public_key()?
            .ok_or(CheckpointError::NoDeviceKey)?;
        let key = crate::report::sign::parse_public_key(&hex)?;
        Verifier::new(&self.audit_origin()?, key).map_err(|_| CheckpointError::Origin.into())
    }

    /// The verifier key text (C2SP `vkey`) for the set-up sheet.
    pub fn audit_vkey(&self) -> Result<String> {
        Ok(self.audit_verifier()?.vkey())
    }

    fn audit_signer(&mut self) -> Result<Signer> {
        let key = self.device_signing_key()?;
        Signer::new(&self.audit_origin()?, key).map_err(|_| CheckpointError::Origin.into())
    }

    fn sign_head(&self, signer: &Signer) -> Result<SignedCheckpoint> {
        let (size, root) = audit::tree_head(self.conn())?;
        let cp =
            Checkpoint::new(signer.name(), size, root).map_err(|e| CheckpointError::Build {
                detail: unreadable(e),
            })?;
        let text = cp.sign(signer).map_err(|e| CheckpointError::Sign {
            detail: unreadable(e),
        })?;
        Ok(SignedCheckpoint { text, size, root })
    }

    /// Records the checkpoint in the log (`checkpoint`, with `purpose` as the
    /// record id), then signs the tree head that includes that entry. Needs
    /// the device key (managers and operators).
    pub fn audit_checkpoint(&mut self, actor: &Actor, purpose: &str) -> Result<SignedCheckpoint> {
        let signer = self.audit_signer()?;
        self.record(actor, AuditAction::Checkpoint, purpose, &[], "ok")?;
        self.sign_head(&signer)
    }

    /// `tsudoi audit prove`: checks that the log still extends the ward's
    /// checkpoint `old`, records the checkpoint, and returns the new signed
    /// checkpoint and the consistency proof from `old` to it.
    pub fn audit_prove(
        &mut self,
        actor: &Actor,
        old: &[u8],
    ) -> Result<(SignedCheckpoint, ConsistencyProofFile)> {
        let signer = self.audit_signer()?;
        let old = Checkpoint::open(old, &signer.verifier()).map_err(|e| {
            CheckpointError::OldCheckpoint {
                detail: unreadable(e),
            }
        })?;
        {
            let tree = audit::open_tree(self.conn())?;
            if old.size() > tree.size() {
                return Err(Error::Tampered(format!(
                    "監査ログが区の控え（{}件）より短くなっています（{}件）。{}件目以降が削除されたか、古いファイルに戻されています",
                    old.size(),
                    tree.size(),
                    tree.size() + 1
                )));
            }
            if tree.root_at(old.size()).map_err(audit::tree_error)? != *old.root() {
                return Err(Error::Tampered(format!(
                    "監査ログの最初の{}件が区の控えと一致しません。書き換えられています。tsudoi audit verify --checkpoint で調べてください",
                    old.size()
                )));
            }
        }
        self.record(actor, AuditAction::Checkpoint, "prove", &[], "ok")?;
        let new = self.sign_head(&signer)?;
        let tree = audit::open_tree(self.conn())?;
        let proof = tree
            .consistency_proof(old.size(), new.size)
            .map_err(audit::tree_error)?;
        Ok((
            new.clone(),
            ConsistencyProofFile {
                old_size: old.size(),
                new_size: new.size,
                proof,
            },
        ))
    }

    /// `tsudoi audit verify`: the keyed chain, the Merkle tree recomputed
    /// from the rows (never trusting the stored nodes) against the stored
    /// nodes and against each checkpoint the ward holds. When everything
    /// checks out the check itself is recorded.
    pub fn verify_audit_log(
        &mut self,
        actor: &Actor,
        checkpoints: &[WardCheckpoint],
    ) -> Result<LogReport> {
        let chain = audit::verify(self.conn(), &self.keys()?.audit)?;
        // Open every checkpoint first; the public key comes from the store
        // (a key replaced there makes every real checkpoint unreadable).
        let verifier = if checkpoints.is_empty() {
            None
        } else {
            Some(self.audit_verifier()?)
        };
        let mut opened: Vec<(usize, Checkpoint)> = Vec::new();
        let mut findings: Vec<(String, Option<CheckpointFinding>)> = Vec::new();
        for (i, cp) in checkpoints.iter().enumerate() {
            let Some(v) = &verifier else { break };
            match Checkpoint::open(&cp.bytes, v) {
                Ok(c) => {
                    opened.push((i, c));
                    findings.push((cp.label.clone(), None));
                }
                Err(e) => findings.push((
                    cp.label.clone(),
                    Some(CheckpointFinding::Unreadable {
                        reason: format!(
                            "この端末の監査ログの署名ではないか、書き換えられています: {}",
                            unreadable(e)
                        ),
                    }),
                )),
            }
        }
        opened.sort_by_key(|(_, c)| c.size());

        let conn = self.conn();
        let nodes = SqlNodes::new(conn);
        let mut frontier = Frontier::new();
        let mut tree_mismatch_at: Option<u64> = None;
        let mut pending_breaks = Vec::new();
        // Tree heads at each checkpoint's size, computed from the rows.
        let mut heads: Vec<(usize, Hash)> = Vec::new();
        let mut next = 0usize;
        while next < opened.len() && opened[next].1.size() == 0 {
            heads.push((opened[next].0, EMPTY_ROOT));
            next += 1;
        }
        {
            let mut stmt = conn.prepare(&format!(
                "SELECT {} FROM audit ORDER BY rowid",
                super::audit::ENTRY_COLUMNS
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let entry = AuditEntry::from_row(r)?;
                if entry.action == AuditAction::PendingCheck.as_str()
                    && entry.result.starts_with("broken")
                {
                    pending_breaks.push((entry.seq, entry.result.clone()));
                }
                let completed = frontier
                    .push(leaf_hash(&audit::canonical(&entry)))
                    .map_err(|_| Error::Tampered(audit::NODE_TABLE.into()))?;
                if tree_mismatch_at.is_none() {
                    for (id, hash) in &completed {
                        let stored = nodes
                            .get(*id)
                            .map_err(|e| audit::tree_error(tsudoi_tlog::TreeError::Store(e)))?;
                        if stored != Some(*hash) {
                            tree_mismatch_at = Some(first_leaf(*id) + 1);
                            break;
                        }
                    }
                }
                while next < opened.len() && opened[next].1.size() == frontier.size() {
                    heads.push((opened[next].0, frontier.root()));
                    next += 1;
                }
            }
        }
        let entries = frontier.size();
        if tree_mismatch_at.is_none() {
            // Nodes stored beyond the rows: rows were removed from the end.
            let stored_size = audit::tree_size(conn)?;
            if stored_size > entries {
                tree_mismatch_at = Some(entries + 1);
            }
        }
        // Judge each checkpoint, smallest first, so a rewrite is bounded by
        // the largest smaller checkpoint that still matches.
        let mut last_good = 0u64;
        let mut judged: Vec<(usize, CheckpointFinding)> = Vec::new();
        for (i, cp) in &opened {
            let finding = match heads.iter().find(|(j, _)| j == i) {
                None => CheckpointFinding::Shorter {
                    size: cp.size(),
                    entries,
                    from: last_good + 1,
                },
                Some((_, head)) if head == cp.root() => {
                    last_good = last_good.max(cp.size());
                    CheckpointFinding::Matches { size: cp.size() }
                }
                Some(_) => CheckpointFinding::Rewritten {
                    size: cp.size(),
                    from: last_good + 1,
                },
            };
            judged.push((*i, finding));
        }
        for (i, finding) in judged {
            if let Some(slot) = findings.get_mut(i) {
                slot.1 = Some(finding);
            }
        }
        let checkpoints_out = findings
            .into_iter()
            .map(|(label, f)| {
                let f = f.unwrap_or(CheckpointFinding::Unreadable {
                    reason: "読めませんでした".into(),
                });
                (label, f)
            })
            .collect();
        let report = LogReport {
            chain,
            entries,
            tree_mismatch_at,
            checkpoints: checkpoints_out,
            pending_breaks,
        };
        // Recording the check extends the log only when it is intact, so a
        // damaged log stays exactly as found for the investigation.
        if report.is_intact() {
            let result = format!("intact_checkpoints_{}", checkpoints.len());
            self.record(actor, AuditAction::Verify, "audit", &[], &result)?;
        }
        Ok(report)
    }
}

/// The first leaf a node covers.
fn first_leaf(id: NodeId) -> u64 {
    id.index << id.level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_is_a_valid_key_name() {
        let o = origin_for_site(" 新宿区 つどい+の家\t1 ");
        assert_eq!(o, "tsudoi/新宿区_つどい_の家_1");
        assert!(tsudoi_tlog::note::is_valid_key_name(&o));
    }
}
