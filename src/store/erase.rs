//! The end of the contract (issue 14; contract clauses 11 and 12): every key
//! destroyed, every row deleted, the file vacuumed and then replaced by one
//! that holds only the certificate of erasure ([`crate::erasure`]).
//!
//! Flash media remap writes, so overwriting a file proves little; what
//! makes the erasure hold is that every sealed value needs a key that lives
//! only in the grants and keyslots (FORMAT.md section 8), and those are gone
//! (cryptographic erase, NIST SP 800-88 Rev. 2). Deleting the rows with
//! `secure_delete`, `VACUUM` and truncating the WAL are the logical half.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::audit::{self, AuditAction};
use super::staff::{StaffSession, is_format_1};
use super::{Actor, Store};
use crate::crypto::{KeyKind, RecoveryKey};
use crate::erasure::{
    AuditEnd, CERTIFICATE_JSON, CERTIFICATE_PDF, Certificate, CheckResult, ContractPeriod,
    DestroyedKey, ERASED_TABLE, ErasedCount, FINAL_CHECKPOINT, FORMAT, Method, ProofJson, Returned,
    Tool, Verification, device,
};
use crate::error::{Error, Result};

/// The kinds counted before erasure: (machine name, table, Japanese name).
/// Every other table is emptied too; these are the ones a ward asks about.
const COUNTED: &[(&str, &str, &str)] = &[
    ("participants", "participants", "参加者の記録"),
    ("cards", "cards", "カード"),
    ("check_ins", "attendance", "受付（出席）の記録"),
    ("applications", "lottery_applications", "教室への申し込み"),
    ("staff", "staff", "スタッフのアカウント"),
    ("keyslots", "keyslots", "パスワードの鍵スロット"),
    ("grants", "grants", "鍵の割り当て（回復キー分を含む）"),
    ("incidents", "incident", "事故の記録"),
    ("training_records", "training_record", "研修の記録"),
    ("media_ledger", "media_ledger", "受渡し管理簿"),
    ("sessions", "sessions", "活動（開催回）"),
    ("lottery_classes", "lottery_classes", "抽選のある教室"),
    ("audit_entries", "audit", "監査ログの記録"),
];

/// What an erasure will remove, kind by kind (shown before confirming).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasurePlan {
    /// Per kind, in the order of the certificate.
    pub counts: Vec<ErasedCount>,
}

/// What the manager states for the certificate.
#[derive(Debug, Clone, Default)]
pub struct EraseRequest {
    /// The contract's first day.
    pub contract_from: Option<NaiveDate>,
    /// The contract's last day.
    pub contract_until: Option<NaiveDate>,
    /// The ward instructed that its roster need not come back (contract
    /// clause 11: 甲が別に指示したとき): erase even though the hobby groups'
    /// roster was not returned since its last change. Recorded in the audit
    /// log and on the certificate.
    pub roster_not_returned: bool,
}

/// Files held in memory: (name, bytes).
pub type NamedFiles = Vec<(String, Vec<u8>)>;

/// The certificate's files (name, bytes), signed, as written to the folder
/// and kept in the erased store file.
#[derive(Debug, Clone)]
pub struct Erased {
    /// The certificate.
    pub certificate: Certificate,
    /// Every file of the certificate folder, signature files last.
    pub files: NamedFiles,
    /// The device public key that signed (64 hex).
    pub public_key: String,
}

/// Why the erasure waits for the roster's return (exit 2).
pub const ROSTER_NOT_RETURNED: &str = "区から提供されたグループの会員名簿が、最後に変わってから区に返還されていません（契約書第11条）。先に tsudoi group return --out フォルダ で名簿を区の鍵で暗号化して書き出し、区に返してから消去してください。区の指示で返還しないときは、tsudoi erase に --roster-not-returned を付けて消去します（消去証明書と監査ログに記録されます）。";

/// The certificate's `returned`: the returns since the last import, or the
/// ward's instruction not to return.
fn returned(roster: &crate::store::roster_return::ReturnState) -> Returned {
    let note = if roster.due {
        format!(
            "区の指示により返還せずに消去（グループの会員 {}件、区から提供された記録 {}件）",
            roster.memberships, roster.ward_records
        )
    } else if roster.returns_since_import > 0 {
        format!(
            "返還済み（{}回、最後は {}。区の公開鍵で暗号化した会員名簿）",
            roster.returns_since_import,
            roster
                .last_return
                .as_deref()
                .map(|t| t.chars().take(10).collect::<String>())
                .unwrap_or_default()
        )
    } else {
        "なし（区から預かった名簿はこの端末にありません）".to_owned()
    };
    Returned {
        ward_rosters: if roster.due {
            0
        } else {
            roster.returns_since_import
        },
        note,
    }
}

fn count(conn: &Connection, table: &str) -> Result<u64> {
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn tables(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Counts of what [`Store::erase`] would remove. Manager only.
    pub fn erasure_plan(&self, manager: &StaffSession) -> Result<ErasurePlan> {
        manager.require_manager()?;
        self.keys()?;
        let counts = COUNTED
            .iter()
            .map(|(kind, table, label)| {
                Ok(ErasedCount {
                    kind: (*kind).to_owned(),
                    label: (*label).to_owned(),
                    count: count(self.conn(), table)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(ErasurePlan { counts })
    }

    /// The month whose report must go out before erasure: the latest month
    /// with a check-in, unless a monthly report for it (or a later month)
    /// was exported after the last check-in.
    pub fn report_due_before_erasure(&self) -> Result<Option<String>> {
        let last: Option<String> =
            self.conn()
                .query_row("SELECT max(checked_in_at) FROM attendance", [], |r| {
                    r.get(0)
                })?;
        let Some(last) = last else { return Ok(None) };
        let month: String = last.chars().take(7).collect();
        let reported: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM audit WHERE action = 'export'
                 AND record_id LIKE 'report:____-__' AND substr(record_id, 8) >= ?1
                 AND at >= ?2 AND result = 'ok')",
            rusqlite::params![month, last],
            |r| r.get(0),
        )?;
        Ok((!reported).then_some(month))
    }

    /// Whether `manager` may erase now: a manager, the right recovery key,
    /// the last month with check-ins reported. A refusal for the key or the
    /// report is recorded in the audit log.
    pub fn check_erasure_allowed(
        &mut self,
        manager: &StaffSession,
        recovery: &RecoveryKey,
    ) -> Result<()> {
        self.check_erasure_allowed_for(manager, recovery, &EraseRequest::default())
    }

    /// [`Store::check_erasure_allowed`] for a request: also refused (and
    /// recorded, `refused_roster_not_returned`) while the ward's roster has
    /// not been returned since it last changed
    /// ([`Store::roster_return_state`]), unless the request says the ward
    /// instructed otherwise (the erasure then records
    /// `roster_not_returned_ward_instruction`).
    pub fn check_erasure_allowed_for(
        &mut self,
        manager: &StaffSession,
        recovery: &RecoveryKey,
        request: &EraseRequest,
    ) -> Result<()> {
        manager.require_manager()?;
        // The certificate's date and the last report's check follow today.
        self.require_trusted_clock()?;
        let actor = Actor::Staff(manager.clone());
        if is_format_1(self.conn())? {
            return Err(Error::UpgradeNeeded);
        }
        if let Err(e) = self.keys_from_recovery(recovery) {
            self.record(
                &actor,
                AuditAction::Erase,
                "store",
                &[],
                "refused_recovery_key",
            )?;
            return Err(e);
        }
        if let Some(month) = self.report_due_before_erasure()? {
            self.record(
                &actor,
                AuditAction::Erase,
                "store",
                &[],
                "refused_no_report",
            )?;
            return Err(Error::Refused(format!(
                "{month} の受付の記録がまだ区への月次報告に出ていません。先に tsudoi report --month {month} --out フォルダ で最後の月次報告を書き出してから消去してください。"
            )));
        }
        if self.roster_return_state()?.due && !request.roster_not_returned {
            self.record(
                &actor,
                AuditAction::Erase,
                "store",
                &[],
                "refused_roster_not_returned",
            )?;
            return Err(Error::Refused(ROSTER_NOT_RETURNED.to_owned()));
        }
        Ok(())
    }

    /// Erases the store at the end of the contract. The signed-in manager
    /// and the recovery key (two secrets) are both needed, and the last
    /// month with check-ins must have been reported. Writes the final
    /// checkpoint, destroys every grant and keyslot, deletes every row,
    /// vacuums, checks the result, then replaces the file with one holding
    /// only the signed certificate. The device signing key is the last
    /// secret dropped, after it signed the certificate.
    ///
    /// The caller writes [`Erased::files`] to the ward's folder; they stay
    /// in the erased file, so `tsudoi erase certificate` can write them
    /// again if that fails.
    pub fn erase(
        mut self,
        manager: &StaffSession,
        recovery: &RecoveryKey,
        request: &EraseRequest,
    ) -> Result<Erased> {
        self.erase_in_place(manager, recovery, request)
    }

    /// [`Store::erase`] for a caller that keeps the store (the kiosk):
    /// afterwards this store holds the erased file, read only, and no key;
    /// every query but the certificate's fails. Refused as [`Store::erase`]
    /// is, with the store untouched.
    pub fn erase_in_place(
        &mut self,
        manager: &StaffSession,
        recovery: &RecoveryKey,
        request: &EraseRequest,
    ) -> Result<Erased> {
        self.check_erasure_allowed_for(manager, recovery, request)?;
        let actor = Actor::Staff(manager.clone());
        let roster = self.roster_return_state()?;
        let returned = returned(&roster);
        if roster.due {
            self.record(
                &actor,
                AuditAction::Erase,
                "store",
                &[],
                "roster_not_returned_ward_instruction",
            )?;
        }
        let plan = self.erasure_plan(manager)?;
        let key_ids = self.keys()?.bundle.key_ids();
        let signing = Zeroizing::new(self.device_signing_key()?.to_bytes());
        let site = self.site()?;
        let vkey = self.audit_vkey()?;
        let origin = self.audit_origin()?;
        let medium = device::medium(self.path());

        // The last entries: the erasure, then the checkpoint that covers it.
        let kinds: Vec<&str> = plan.counts.iter().map(|c| c.kind.as_str()).collect();
        self.record(&actor, AuditAction::Erase, "store", &kinds, "start")?;
        let checkpoint = self.audit_checkpoint(&actor, "erase")?;
        let consistency = consistency_proofs(self.conn(), checkpoint.size)?;
        let performed_at = self.now();
        self.checkpoint()?;
        let last_state_sha256 = self.file_sha256()?;

        destroy(self)?;
        let ids: Vec<[u8; 8]> = key_ids.iter().flatten().map(|id| id.0).collect();
        let checks = self_check(self, &ids)?;
        let passed = checks.iter().all(|c| c.passed);

        let certificate = Certificate {
            format: FORMAT.to_owned(),
            site: site.clone(),
            contract: ContractPeriod {
                from: request.contract_from.map(|d| d.to_string()),
                until: request.contract_until.map(|d| d.to_string()),
            },
            device: device::device(),
            medium,
            erased: plan.counts,
            returned,
            method: method(&key_ids),
            tool: Tool {
                name: "tsudoi".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            performed_at,
            performed_by: manager.staff_id().to_owned(),
            authorised_with: "取扱責任者のパスワードと回復キー（2つの秘密）".to_owned(),
            witness: "印刷した証明書に区職員が署名".to_owned(),
            audit: AuditEnd {
                origin,
                vkey,
                final_size: checkpoint.size,
                final_root: checkpoint.root.to_base64(),
                checkpoint_file: FINAL_CHECKPOINT.to_owned(),
                consistency,
            },
            last_state_sha256,
            verification: Verification {
                method: "消去後の保存ファイルとその横のファイル（-wal, -shm, -journal）の全バイトで、破棄した鍵の鍵IDを検索（暗号化された値・鍵スロット・鍵の割り当てはすべて鍵IDを含む）。すべての表が空で、空きページがないことを確認".to_owned(),
                checks,
                result: if passed { "passed" } else { "failed" }.to_owned(),
            },
        };
        let mut files = vec![
            (CERTIFICATE_JSON.to_owned(), certificate.to_json()?),
            (CERTIFICATE_PDF.to_owned(), certificate.to_pdf()?),
            (FINAL_CHECKPOINT.to_owned(), checkpoint.text.into_bytes()),
        ];
        let key = ed25519_dalek::SigningKey::from_bytes(&signing);
        files.extend(crate::report::sign::signature_files(&files, &key, &site));
        let public_key = crate::report::sign::public_key_text(&key.verifying_key());
        drop(key);

        replace_with_certificate(self, &files)?;
        // Last: the device key's seed (the grants holding it are gone).
        drop(signing);
        if !passed {
            return Err(Error::Tampered(
                "消去後の確認で鍵の残りが見つかりました。証明書には不合格と記録しました".into(),
            ));
        }
        Ok(Erased {
            certificate,
            files,
            public_key,
        })
    }
}

/// A consistency proof from every earlier checkpoint (each `checkpoint`
/// entry is followed by a signed head at its position) to `final_size`.
fn consistency_proofs(conn: &Connection, final_size: u64) -> Result<Vec<ProofJson>> {
    let mut sizes = Vec::new();
    {
        let mut stmt = conn.prepare("SELECT action FROM audit ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        let mut n = 0u64;
        while let Some(r) = rows.next()? {
            n += 1;
            let action: String = r.get(0)?;
            if action == AuditAction::Checkpoint.as_str() && n < final_size {
                sizes.push(n);
            }
        }
    }
    let tree = audit::open_tree(conn)?;
    sizes
        .into_iter()
        .map(|old| {
            let proof = tree
                .consistency_proof(old, final_size)
                .map_err(audit::tree_error)?;
            Ok(ProofJson {
                old_size: old,
                new_size: final_size,
                proof: proof.iter().map(|h| h.to_base64()).collect(),
            })
        })
        .collect()
}

fn method(ids: &[Option<crate::crypto::KeyId>; 5]) -> Method {
    let keys_destroyed = KeyKind::ALL
        .iter()
        .zip(ids)
        .filter_map(|(kind, id)| {
            let id = (*id)?;
            let (name, protected, algorithm) = match kind {
                KeyKind::Personal => (
                    "personal",
                    "個人情報（氏名・ふりがな・電話・住所など）",
                    "XChaCha20-Poly1305",
                ),
                KeyKind::Statistics => (
                    "statistics",
                    "統計用（生年月日・町名）",
                    "XChaCha20-Poly1305",
                ),
                KeyKind::Audit => ("audit", "監査ログの改ざん検知", "BLAKE3 keyed MAC"),
                KeyKind::Card => ("card", "カードの識別子", "BLAKE3 keyed hash"),
                KeyKind::Device => ("device", "端末の署名", "Ed25519"),
            };
            Some(DestroyedKey {
                kind: name.to_owned(),
                protected: protected.to_owned(),
                algorithm: algorithm.to_owned(),
                bits: 256,
                key_id: id.to_string(),
            })
        })
        .collect();
    Method {
        category: "暗号消去（Purge）と論理削除（Clear）".to_owned(),
        standard: "NIST SP 800-88 Rev. 2".to_owned(),
        technique: vec![
            "最終の月次報告と監査ログの最終チェックポイントを確認・作成".to_owned(),
            "すべての鍵の割り当て（X25519 + XChaCha20-Poly1305）と鍵スロット（Argon2id）をゼロで上書きして削除".to_owned(),
            "すべての表のすべての行を削除（SQLite secure_delete）".to_owned(),
            "VACUUM と WAL の切り詰め（TRUNCATE）".to_owned(),
            "保存ファイルを証明書だけを持つファイルに置き換え、-wal・-shm を削除".to_owned(),
            "端末の署名鍵は証明書に署名したあと最後にメモリから消去".to_owned(),
        ],
        keys_destroyed,
    }
}

/// Overwrites and deletes the key material, deletes every row, vacuums,
/// folds and truncates the WAL. Drops the keys held in memory.
fn destroy(store: &mut Store) -> Result<()> {
    store.lock();
    let conn = &mut store.conn;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let names = tables(conn)?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "UPDATE grants SET sealed = zeroblob(length(sealed));
         UPDATE keyslots SET slot = zeroblob(length(slot)), checksum = zeroblob(length(checksum));
         UPDATE staff SET public_key = NULL, mac = NULL;",
    )?;
    for t in &names {
        tx.execute(&format!("DELETE FROM \"{t}\""), [])?;
    }
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// The program's own check before writing the certificate.
fn self_check(store: &Store, ids: &[[u8; 8]]) -> Result<Vec<CheckResult>> {
    let conn = store.conn();
    let mut rows = 0u64;
    for t in tables(conn)? {
        rows += count(conn, &t)?;
    }
    let freelist: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let found = crate::erasure::files_with_key_ids(store.path(), ids)?;
    Ok(vec![
        CheckResult {
            check: "すべての表の行数が0".to_owned(),
            passed: rows == 0,
        },
        CheckResult {
            check: "空きページ（消した跡）が0".to_owned(),
            passed: freelist == 0,
        },
        CheckResult {
            check: format!("鍵IDがどのバイトにもない（{}個）", ids.len()),
            passed: found.is_empty() && ids.len() == KeyKind::ALL.len(),
        },
    ])
}

/// Writes the certificate's files into a new SQLite file beside the store,
/// syncs it and renames it over the store; removes the WAL and shared
/// memory files and syncs the folder. The store is left on the erased
/// file, opened read only.
fn replace_with_certificate(store: &mut Store, files: &[(String, Vec<u8>)]) -> Result<()> {
    let path = store.path().to_owned();
    let conn = std::mem::replace(&mut store.conn, Connection::open_in_memory()?);
    conn.close().map_err(|(_, e)| Error::Database(e))?;
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".erased-tmp");
    let tmp = std::path::PathBuf::from(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    {
        let conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        conn.execute_batch(&format!(
            "CREATE TABLE {ERASED_TABLE} (name TEXT PRIMARY KEY, content BLOB NOT NULL) STRICT"
        ))?;
        for (name, bytes) in files {
            conn.execute(
                &format!("INSERT INTO {ERASED_TABLE} (name, content) VALUES (?1, ?2)"),
                rusqlite::params![name, bytes],
            )?;
        }
        conn.close().map_err(|(_, e)| Error::Database(e))?;
    }
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    for f in crate::erasure::store_files(&path).iter().skip(1) {
        match std::fs::remove_file(f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)?.sync_all()?;
    }
    store.conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(())
}

/// The certificate kept in an erased store file (`tsudoi erase
/// certificate`), or `None` when the file is not an erased store.
pub fn certificate_in(path: &Path) -> Result<Option<NamedFiles>> {
    if !path.exists() {
        return Err(Error::StoreMissing(path.display().to_string()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if !is_erased(&conn)? {
        return Ok(None);
    }
    let files = conn
        .prepare(&format!(
            "SELECT name, content FROM {ERASED_TABLE} ORDER BY rowid"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(files))
}

/// Whether the open file is an erased store (holds the certificate table).
pub(crate) fn is_erased(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [ERASED_TABLE],
        |r| r.get(0),
    )?)
}
