//! The tamper-evident access log.
//!
//! Every entry is chained to the one before it:
//! `mac_i = BLAKE3-keyed(audit_key, "tsudoi audit v1" || mac_{i-1} || canonical(entry_i))`
//! with `mac_0` all zeros. The key is derived from the data key, so only someone
//! who can unlock the store can forge a chain; editing, deleting or reordering
//! rows breaks it at the first changed entry. Entries carry field *names*,
//! never values.
//!
//! Entries that happen while the store is locked (a wrong password typed at the
//! command line) cannot be keyed yet: they wait in `audit_pending` and are
//! folded into the chain, in order, by the next successful unlock.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

/// What was done. Stored as the snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Init,
    SignIn,
    SignInFailed,
    AccountLocked,
    SignOut,
    RecoveryUnlock,
    KeyChange,
    StaffCreate,
    StaffDeactivate,
    View,
    Search,
    Create,
    Update,
    Delete,
    CardLink,
    CardUnlink,
    CardReplace,
    SessionCreate,
    CheckIn,
    Export,
    Print,
    Draw,
    Erase,
    Verify,
    LotteryClassCreate,
    LotteryApply,
    LotteryWithdraw,
    LotteryClose,
    LotteryCancel,
    LotteryMoveUp,
    ClockConfirm,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Init => "init",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::AccountLocked => "account_locked",
            Self::SignOut => "sign_out",
            Self::RecoveryUnlock => "recovery_unlock",
            Self::KeyChange => "key_change",
            Self::StaffCreate => "staff_create",
            Self::StaffDeactivate => "staff_deactivate",
            Self::View => "view",
            Self::Search => "search",
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::CardLink => "card_link",
            Self::CardUnlink => "card_unlink",
            Self::CardReplace => "card_replace",
            Self::SessionCreate => "session_create",
            Self::CheckIn => "check_in",
            Self::Export => "export",
            Self::Print => "print",
            Self::Draw => "draw",
            Self::Erase => "erase",
            Self::Verify => "verify",
            Self::LotteryClassCreate => "lottery_class_create",
            Self::LotteryApply => "lottery_apply",
            Self::LotteryWithdraw => "lottery_withdraw",
            Self::LotteryClose => "lottery_close",
            Self::LotteryCancel => "lottery_cancel",
            Self::LotteryMoveUp => "lottery_move_up",
            Self::ClockConfirm => "clock_confirm",
        }
    }
}

/// One entry as written. `fields` are column names, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record_id: String,
    pub fields: String,
    pub result: String,
}

/// What to record; the chain adds the sequence number and MAC.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub at: String,
    pub actor: &'a str,
    pub action: AuditAction,
    pub record_id: &'a str,
    pub fields: &'a [&'a str],
    pub result: &'a str,
}

/// The key that MACs the chain (derived from the data key).
pub struct AuditKey(Zeroizing<[u8; 32]>);

impl AuditKey {
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(<redacted>)")
    }
}

const DOMAIN: &[u8] = b"tsudoi audit v1";

fn put(buf: &mut Vec<u8>, part: &[u8]) {
    buf.extend_from_slice(&(part.len() as u32).to_be_bytes());
    buf.extend_from_slice(part);
}

/// Length-prefixed packing, so no two different entries encode alike.
fn canonical(e: &AuditEntry) -> Vec<u8> {
    let mut buf = Vec::with_capacity(128);
    buf.extend_from_slice(&e.seq.to_be_bytes());
    for part in [
        &e.at,
        &e.actor,
        &e.action,
        &e.record_id,
        &e.fields,
        &e.result,
    ] {
        put(&mut buf, part.as_bytes());
    }
    buf
}

fn chain_mac(key: &AuditKey, prev: &[u8; 32], entry: &AuditEntry) -> [u8; 32] {
    let mut h = blake3::Hasher::new_keyed(&key.0);
    h.update(DOMAIN);
    h.update(prev);
    h.update(&canonical(entry));
    *h.finalize().as_bytes()
}

/// The chain's head: the last sequence number and its MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub mac: [u8; 32],
}

impl ChainHead {
    pub const GENESIS: ChainHead = ChainHead {
        seq: 0,
        mac: [0; 32],
    };

    pub fn mac_hex(&self) -> String {
        self.mac.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Reads the current head from the last row.
pub fn head(conn: &Connection) -> rusqlite::Result<ChainHead> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((seq, mac)) => ChainHead {
            seq,
            mac: mac.try_into().unwrap_or([0xff; 32]),
        },
        None => ChainHead::GENESIS,
    })
}

/// Appends one keyed entry after `prev`; returns the new head. Call inside the
/// transaction that makes the change being recorded, so both land or neither.
pub fn append(
    conn: &Connection,
    key: &AuditKey,
    prev: ChainHead,
    event: &AuditEvent<'_>,
) -> rusqlite::Result<ChainHead> {
    let entry = AuditEntry {
        seq: prev.seq + 1,
        at: event.at.clone(),
        actor: event.actor.to_owned(),
        action: event.action.as_str().to_owned(),
        record_id: event.record_id.to_owned(),
        fields: event.fields.join(","),
        result: event.result.to_owned(),
    };
    append_entry(conn, key, prev, entry)
}

fn append_entry(
    conn: &Connection,
    key: &AuditKey,
    prev: ChainHead,
    entry: AuditEntry,
) -> rusqlite::Result<ChainHead> {
    let mac = chain_mac(key, &prev.mac, &entry);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, record_id, fields, result, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.record_id,
            entry.fields,
            entry.result,
            mac.as_slice()
        ],
    )?;
    Ok(ChainHead {
        seq: entry.seq,
        mac,
    })
}

/// Records an event while no key is at hand (the store is locked).
pub fn append_pending(conn: &Connection, event: &AuditEvent<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit_pending (at, actor, action, record_id, fields, result)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            event.at,
            event.actor,
            event.action.as_str(),
            event.record_id,
            event.fields.join(","),
            event.result
        ],
    )?;
    Ok(())
}

/// Moves pending entries into the keyed chain, oldest first.
pub fn fold_pending(
    conn: &Connection,
    key: &AuditKey,
    mut prev: ChainHead,
) -> rusqlite::Result<ChainHead> {
    let pending: Vec<(i64, AuditEntry)> = {
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, record_id, fields, result FROM audit_pending ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                AuditEntry {
                    seq: 0,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    record_id: r.get(4)?,
                    fields: r.get(5)?,
                    // Marked so a reader knows these waited unkeyed.
                    result: format!("{} (recorded while locked)", r.get::<_, String>(6)?),
                },
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, mut entry) in pending {
        entry.seq = prev.seq + 1;
        prev = append_entry(conn, key, prev, entry)?;
        conn.execute("DELETE FROM audit_pending WHERE id = ?1", [id])?;
    }
    Ok(prev)
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every entry checks out; `entries` were read.
    Intact { entries: i64, head: ChainHead },
    /// The first entry that does not check out.
    Broken { at_seq: i64, problem: BreakKind },
}

/// How the chain breaks at the first bad entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's content or MAC was changed, or rows were swapped.
    Altered,
    /// A sequence number is missing: an entry was deleted.
    Missing,
    /// Sequence numbers are out of order or repeated.
    OutOfOrder,
}

impl std::fmt::Display for ChainVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainVerdict::Intact { entries, head } => write!(
                f,
                "監査ログは改ざんされていません（{entries}件、最終ハッシュ {}）。",
                head.mac_hex()
            ),
            ChainVerdict::Broken { at_seq, problem } => {
                let what = match problem {
                    BreakKind::Altered => "内容が書き換えられているか、順番が入れ替えられています",
                    BreakKind::Missing => "記録が削除されています",
                    BreakKind::OutOfOrder => "番号の順番が乱れています",
                };
                write!(
                    f,
                    "監査ログの{at_seq}番目の記録で改ざんを検出しました: {what}。取扱責任者に報告してください。"
                )
            }
        }
    }
}

/// Recomputes the chain from the start, in storage (rowid) order, and reports
/// the first entry that does not check out.
pub fn verify(conn: &Connection, key: &AuditKey) -> rusqlite::Result<ChainVerdict> {
    // Reading in rowid order, not `ORDER BY seq`, is what reveals reordering:
    // `seq` is the rowid here, so swapped sequence numbers show as altered MACs.
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, record_id, fields, result, mac FROM audit ORDER BY rowid",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = ChainHead::GENESIS;
    while let Some(r) = rows.next()? {
        let entry = AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            record_id: r.get(4)?,
            fields: r.get(5)?,
            result: r.get(6)?,
        };
        let stored: Vec<u8> = r.get(7)?;
        let expected = prev.seq + 1;
        if entry.seq > expected {
            return Ok(ChainVerdict::Broken {
                at_seq: expected,
                problem: BreakKind::Missing,
            });
        }
        if entry.seq < expected {
            return Ok(ChainVerdict::Broken {
                at_seq: entry.seq,
                problem: BreakKind::OutOfOrder,
            });
        }
        let mac = chain_mac(key, &prev.mac, &entry);
        if stored.as_slice() != mac.as_slice() {
            return Ok(ChainVerdict::Broken {
                at_seq: entry.seq,
                problem: BreakKind::Altered,
            });
        }
        prev = ChainHead {
            seq: entry.seq,
            mac,
        };
    }
    Ok(ChainVerdict::Intact {
        entries: prev.seq,
        head: prev,
    })
}

/// Reads entries for display (newest last).
pub fn entries(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, record_id, fields, result FROM
           (SELECT * FROM audit ORDER BY seq DESC LIMIT ?1) ORDER BY seq",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            record_id: r.get(4)?,
            fields: r.get(5)?,
            result: r.get(6)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(n: usize) -> (Connection, AuditKey) {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate_to(&mut conn, super::super::schema::CURRENT_VERSION).unwrap();
        let key = AuditKey::new([7; 32]);
        let mut h = head(&conn).unwrap();
        for i in 0..n {
            h = append(
                &conn,
                &key,
                h,
                &AuditEvent {
                    at: format!("2026-11-23T10:{i:02}:00+09:00"),
                    actor: "staff01",
                    action: AuditAction::View,
                    record_id: "rec",
                    fields: &["name", "phone"],
                    result: "ok",
                },
            )
            .unwrap();
        }
        (conn, key)
    }

    #[test]
    fn intact_chain_verifies() {
        let (conn, key) = setup(5);
        assert!(matches!(
            verify(&conn, &key).unwrap(),
            ChainVerdict::Intact { entries: 5, .. }
        ));
    }

    #[test]
    fn wrong_key_fails_at_first_entry() {
        let (conn, _) = setup(3);
        assert_eq!(
            verify(&conn, &AuditKey::new([8; 32])).unwrap(),
            ChainVerdict::Broken {
                at_seq: 1,
                problem: BreakKind::Altered
            }
        );
    }

    #[test]
    fn edited_deleted_and_reordered_rows_are_found() {
        let (conn, key) = setup(6);
        conn.execute("UPDATE audit SET actor = 'someone' WHERE seq = 4", [])
            .unwrap();
        assert_eq!(
            verify(&conn, &key).unwrap(),
            ChainVerdict::Broken {
                at_seq: 4,
                problem: BreakKind::Altered
            }
        );

        let (conn, key) = setup(6);
        conn.execute("DELETE FROM audit WHERE seq = 3", []).unwrap();
        assert_eq!(
            verify(&conn, &key).unwrap(),
            ChainVerdict::Broken {
                at_seq: 3,
                problem: BreakKind::Missing
            }
        );

        let (conn, key) = setup(6);
        // Swap the contents of rows 2 and 5, keeping their sequence numbers.
        conn.execute_batch(
            "UPDATE audit SET seq = -2 WHERE seq = 2;
             UPDATE audit SET seq = 2 WHERE seq = 5;
             UPDATE audit SET seq = 5 WHERE seq = -2;",
        )
        .unwrap();
        assert!(matches!(
            verify(&conn, &key).unwrap(),
            ChainVerdict::Broken { at_seq: 2, .. }
        ));
    }

    #[test]
    fn pending_entries_fold_into_the_chain_in_order() {
        let (conn, key) = setup(2);
        for who in ["a", "b"] {
            append_pending(
                &conn,
                &AuditEvent {
                    at: "2026-11-23T11:00:00+09:00".into(),
                    actor: who,
                    action: AuditAction::SignInFailed,
                    record_id: "",
                    fields: &[],
                    result: "wrong_password",
                },
            )
            .unwrap();
        }
        let h = fold_pending(&conn, &key, head(&conn).unwrap()).unwrap();
        assert_eq!(h.seq, 4);
        let all = entries(&conn, 10).unwrap();
        assert_eq!(all[2].actor, "a");
        assert_eq!(all[3].actor, "b");
        assert!(matches!(
            verify(&conn, &key).unwrap(),
            ChainVerdict::Intact { entries: 4, .. }
        ));
        let left: i64 = conn
            .query_row("SELECT count(*) FROM audit_pending", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
