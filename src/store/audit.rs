//! The tamper-evident access log.
//!
//! Every entry is chained to the one before it:
//! `mac_i = BLAKE3-keyed(audit_key, "tsudoi audit v1" || mac_{i-1} || canonical(entry_i))`
//! with `mac_0` all zeros. The key is derived from the data key, so only someone
//! who can unlock the store can forge a chain; editing, deleting or reordering
//! rows breaks it at the first changed entry. Entries carry field *names*,
//! never values.
//!
//! Every entry is also a leaf of an append-only Merkle tree (RFC 6962 /
//! RFC 9162, `tsudoi-tlog`): the leaf is `canonical(entry)` (FORMAT.md
//! section 9), and the hashes of its complete subtrees are kept in
//! `audit_node`, written in the same transaction as the row. Signed
//! checkpoints of that tree leave the device (the monthly report,
//! `tsudoi audit checkpoint`), so that a log cut short, rolled back to an old
//! copy or rewritten by someone holding every key no longer matches a
//! checkpoint the ward kept. The keyed chain stays: it names an edited,
//! deleted or reordered row without any checkpoint.
//!
//! Entries that happen while the store is locked (a wrong password typed at the
//! command line) cannot be keyed yet: they wait in `audit_pending`, hash-chained
//! to each other and anchored to the tree head of the moment, and are folded
//! into the log, in order, by the next successful unlock, which first checks
//! their chain and records what it found.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use tsudoi_tlog::{Frontier, Hash, NodeId, NodeStore, Tree, TreeError, leaf_hash};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// What was done. Stored as the snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// The store was created (`init`); the actor is the first manager.
    Init,
    /// A staff member signed in.
    SignIn,
    /// A sign-in failed (wrong password or unknown id); counts towards the lockout.
    SignInFailed,
    /// An account locked after too many failed sign-ins.
    AccountLocked,
    /// A staff member signed out.
    SignOut,
    /// The store was unlocked with the printed recovery key instead of a password.
    RecoveryUnlock,
    /// A password keyslot was changed or reset, or the keys were rotated or upgraded.
    KeyChange,
    /// A staff account was added.
    StaffCreate,
    /// A staff account was deactivated (kept for the audit trail, no longer signs in).
    StaffDeactivate,
    /// Personal data was shown to staff (record id: the person, or the list shown).
    View,
    /// Staff searched for a person (by phone or name); the query itself is not written.
    Search,
    /// A participant was registered (at the desk, from the ward's roster, or by the demo).
    Create,
    /// A record was changed, for example a participant's phone (fields: the columns).
    Update,
    /// A participant row was deleted (by staff, or when its retention ran out).
    Delete,
    /// A card was linked to a person.
    CardLink,
    /// A card was unlinked (lost or returned).
    CardUnlink,
    /// A card was replaced by a new one in one step.
    CardReplace,
    /// A session (開催回) was added.
    SessionCreate,
    /// A check-in was attempted; the result says what it came to.
    CheckIn,
    /// Data left the store in files (a report, a disclosure, a roster return, a medium).
    Export,
    /// A notice was printed (for example a lottery result notice).
    Print,
    /// A lottery draw was run.
    Draw,
    /// Data was erased for good (the store's erasure, or lottery data past retention).
    Erase,
    /// The audit chain was verified.
    Verify,
    /// A lottery class (抽選の教室) was added.
    LotteryClassCreate,
    /// A resident applied to a lottery class (result: the outcome code).
    LotteryApply,
    /// An application was withdrawn before the draw.
    LotteryWithdraw,
    /// Applications to a class were closed and the pool committed.
    LotteryClose,
    /// A winner cancelled their seat (辞退).
    LotteryCancel,
    /// Someone on the waiting list moved up to a freed seat (繰り上げ).
    LotteryMoveUp,
    /// A manager changed the security settings (lockout, KDF, re-verification).
    PolicyChange,
    /// The keys were dropped from memory (closing time or the hold limit).
    KeysDropped,
    /// A signed checkpoint of the Merkle log was made (`audit checkpoint`,
    /// `audit prove`, a monthly report).
    Checkpoint,
    /// The chain of entries recorded while locked was checked when they were
    /// folded into the log (written only when it was broken).
    PendingCheck,
    /// Staff confirmed the clock after it was found behind the store's latest time.
    ClockConfirm,
    /// An incident was recorded (事故報告); the result holds the row's digest.
    Incident,
    /// A staff member's completed training exercise was written to the
    /// training record (issue 19).
    Training,
    /// A hobby group was added (issue 15).
    GroupCreate,
    /// A group's representative or 見守り rule changed.
    GroupUpdate,
    /// A group's meetings were generated, cancelled or moved.
    GroupSessions,
    /// The ward's roster was checked (dry run, refused) or imported.
    RosterImport,
    /// A person already registered joined a group through the roster.
    GroupJoin,
    /// A person left a group because the roster no longer lists them.
    GroupLeave,
    /// The 見守り list was shown (record id: the person listed).
    WatchList,
    /// The outcome of a 見守り call was recorded.
    WatchCall,
    /// Staff handed a group's member list (no phones) to its representative
    /// at the kiosk (record id: the group).
    GroupHandover,
    /// Staff changed the kiosk's spoken guidance (on/off, volume, quiet
    /// mode); fields: the settings changed, result the new values.
    VoiceChange,
}

impl AuditAction {
    /// The snake-case name stored in `audit.action` (old entries keep the name they were
    /// written with, so these never change).
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
            Self::PolicyChange => "policy_change",
            Self::KeysDropped => "keys_dropped",
            Self::Checkpoint => "checkpoint",
            Self::PendingCheck => "pending_check",
            Self::ClockConfirm => "clock_confirm",
            Self::Incident => "incident",
            Self::Training => "training",
            Self::GroupCreate => "group_create",
            Self::GroupUpdate => "group_update",
            Self::GroupSessions => "group_sessions",
            Self::RosterImport => "roster_import",
            Self::GroupJoin => "group_join",
            Self::GroupLeave => "group_leave",
            Self::WatchList => "watch_list",
            Self::WatchCall => "watch_call",
            Self::GroupHandover => "group_handover",
            Self::VoiceChange => "voice_change",
        }
    }
}

/// One entry as written. `fields` are column names, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Sequence number, 1 for the first entry, no gaps; the chain MACs it.
    pub seq: i64,
    /// When, RFC 3339 in Japan time.
    pub at: String,
    /// Who: a staff id or `kiosk` (see [`crate::store::Actor::id`]).
    pub actor: String,
    /// What: an [`AuditAction`] name.
    pub action: String,
    /// Which record it touched (a participant, session or class id), or empty; never a name or
    /// phone.
    pub record_id: String,
    /// Column names touched, comma-separated; never their values.
    pub fields: String,
    /// How it ended: `ok`, or a short code naming the outcome (no personal data).
    pub result: String,
}

/// The columns [`AuditEntry::from_row`] reads, in its order (more may follow).
pub(crate) const ENTRY_COLUMNS: &str = "seq, at, actor, action, record_id, fields, result";

impl AuditEntry {
    /// An entry from a row selected with [`ENTRY_COLUMNS`] first.
    pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            record_id: r.get(4)?,
            fields: r.get(5)?,
            result: r.get(6)?,
        })
    }
}

/// What to record; the chain adds the sequence number and MAC.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// When, RFC 3339 in Japan time.
    pub at: String,
    /// Who: a staff id or `kiosk`.
    pub actor: &'a str,
    /// What was done.
    pub action: AuditAction,
    /// Which record it touched (an id), or empty; never personal data.
    pub record_id: &'a str,
    /// Column names touched; never their values.
    pub fields: &'a [&'a str],
    /// How it ended (`ok` or a short code without personal data).
    pub result: &'a str,
}

/// The key that MACs the chain (derived from the data key).
pub struct AuditKey(Zeroizing<[u8; 32]>);

impl AuditKey {
    /// The key from its 32 raw bytes (derived from the audit key in the store's key bundle).
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

/// Length-prefixed packing, so no two different entries encode alike. This is
/// also the Merkle leaf's data (FORMAT.md section 9).
pub fn canonical(e: &AuditEntry) -> Vec<u8> {
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
    /// Sequence number of the last entry; 0 for an empty chain.
    pub seq: i64,
    /// BLAKE3 keyed MAC of that entry, chained over the previous one's.
    pub mac: [u8; 32],
}

impl ChainHead {
    /// The head of an empty chain: sequence 0, an all-zero MAC that the first entry chains from.
    pub const GENESIS: ChainHead = ChainHead {
        seq: 0,
        mac: [0; 32],
    };

    /// The MAC in lowercase hex (64 characters), for messages and reports.
    pub fn mac_hex(&self) -> String {
        self.mac.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Reads the current head from the last row.
pub fn head(conn: &Connection) -> rusqlite::Result<ChainHead> {
    // Cached: this runs on every tap (as does the insert below).
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
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
) -> Result<ChainHead> {
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
) -> Result<ChainHead> {
    let mac = chain_mac(key, &prev.mac, &entry);
    append_leaf(conn, leaf_hash(&canonical(&entry)))?;
    conn.prepare_cached(
        "INSERT INTO audit (seq, at, actor, action, record_id, fields, result, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.record_id,
        entry.fields,
        entry.result,
        mac.as_slice()
    ])?;
    Ok(ChainHead {
        seq: entry.seq,
        mac,
    })
}

/// Records an event while no key is at hand (the store is locked).
///
/// The row is chained to the pending row before it and anchored to the
/// Merkle log's tree head of the moment (FORMAT.md section 9.3); nothing
/// secret is available while locked, so this catches an edited, removed or
/// reordered row (and rows from another file), not a chain recomputed by
/// someone with root on the device.
pub fn append_pending(conn: &Connection, event: &AuditEvent<'_>) -> Result<()> {
    let prev: Option<Vec<u8>> = conn
        .query_row(
            "SELECT hash FROM audit_pending ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let prev: [u8; 32] = match prev {
        // A legacy row without a hash chains as a break, which the fold
        // records; it cannot be vouched for.
        Some(p) => p.try_into().unwrap_or([0xff; 32]),
        None => [0; 32],
    };
    let (anchor_size, anchor_root) = tree_head(conn)?;
    let row = PendingRow {
        at: event.at.clone(),
        actor: event.actor.to_owned(),
        action: event.action.as_str().to_owned(),
        record_id: event.record_id.to_owned(),
        fields: event.fields.join(","),
        result: event.result.to_owned(),
        anchor_size,
        anchor_root,
        prev,
    };
    let hash = row.hash();
    conn.execute(
        "INSERT INTO audit_pending
           (at, actor, action, record_id, fields, result, anchor_size, anchor_root, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            row.at,
            row.actor,
            row.action,
            row.record_id,
            row.fields,
            row.result,
            to_sql_size(anchor_size)?,
            &anchor_root.0[..],
            &row.prev[..],
            &hash[..],
        ],
    )?;
    Ok(())
}

/// One waiting entry and what chains it (FORMAT.md section 9.3).
struct PendingRow {
    at: String,
    actor: String,
    action: String,
    record_id: String,
    fields: String,
    result: String,
    anchor_size: u64,
    anchor_root: Hash,
    prev: [u8; 32],
}

const PENDING_DOMAIN: &[u8] = b"tsudoi audit pending v1";

impl PendingRow {
    fn hash(&self) -> [u8; 32] {
        let mut buf = Vec::with_capacity(256);
        put(&mut buf, PENDING_DOMAIN);
        buf.extend_from_slice(&self.prev);
        buf.extend_from_slice(&self.anchor_size.to_be_bytes());
        buf.extend_from_slice(&self.anchor_root.0);
        for part in [
            &self.at,
            &self.actor,
            &self.action,
            &self.record_id,
            &self.fields,
            &self.result,
        ] {
            put(&mut buf, part.as_bytes());
        }
        Sha256::digest(&buf).into()
    }
}

/// Moves pending entries into the keyed chain and the Merkle log, oldest
/// first. Their chain is checked first; if it is broken (a row edited,
/// removed from the start or the middle, reordered, or anchored to a tree
/// head this log never had), the rows are still folded as found and a
/// `pending_check` entry records the first bad one (`broken_at_N`, counted
/// from 1 among the rows folded), so the finding itself is in the log.
pub fn fold_pending(conn: &Connection, key: &AuditKey, mut prev: ChainHead) -> Result<ChainHead> {
    type Raw = (
        i64,
        PendingFields,
        Option<i64>,
        Option<Vec<u8>>,
        Option<Vec<u8>>,
        Option<Vec<u8>>,
    );
    type PendingFields = (String, String, String, String, String, String);
    let pending: Vec<Raw> = {
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, record_id, fields, result,
                    anchor_size, anchor_root, prev, hash
             FROM audit_pending ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ),
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if pending.is_empty() {
        return Ok(prev);
    }
    // Check the chain against the log as it is before folding.
    let size = tree_size(conn)?;
    let tree = Tree::open(SqlNodes::new(conn), size).map_err(tree_error)?;
    let mut broken_at: Option<usize> = None;
    let mut expected_prev = [0u8; 32];
    let mut last_anchor = 0u64;
    for (n, (_, f, anchor_size, anchor_root, stored_prev, stored_hash)) in
        pending.iter().enumerate()
    {
        let ok = (|| {
            let anchor_size = u64::try_from((*anchor_size)?).ok()?;
            let anchor_root = Hash::from_slice(anchor_root.as_deref()?).ok()?;
            let stored_prev: [u8; 32] = stored_prev.as_deref()?.try_into().ok()?;
            let stored_hash: [u8; 32] = stored_hash.as_deref()?.try_into().ok()?;
            let row = PendingRow {
                at: f.0.clone(),
                actor: f.1.clone(),
                action: f.2.clone(),
                record_id: f.3.clone(),
                fields: f.4.clone(),
                result: f.5.clone(),
                anchor_size,
                anchor_root,
                prev: stored_prev,
            };
            let anchored = anchor_size >= last_anchor
                && anchor_size <= tree.size()
                && tree.root_at(anchor_size).ok()? == anchor_root;
            last_anchor = anchor_size;
            (anchored && stored_prev == expected_prev && row.hash() == stored_hash).then(|| {
                expected_prev = stored_hash;
            })
        })();
        if ok.is_none() && broken_at.is_none() {
            broken_at = Some(n + 1);
        }
        if ok.is_none() {
            // Keep checking the rest against what is stored, so one bad
            // row is named once.
            if let Some(h) = stored_hash
                .as_deref()
                .and_then(|h| <[u8; 32]>::try_from(h).ok())
            {
                expected_prev = h;
            }
        }
    }
    let count = pending.len();
    for (id, f, ..) in pending {
        let entry = AuditEntry {
            seq: prev.seq + 1,
            at: f.0,
            actor: f.1,
            action: f.2,
            record_id: f.3,
            fields: f.4,
            // Marked so a reader knows these waited unkeyed.
            result: format!("{} (recorded while locked)", f.5),
        };
        prev = append_entry(conn, key, prev, entry)?;
        conn.execute("DELETE FROM audit_pending WHERE id = ?1", [id])?;
    }
    if let Some(n) = broken_at {
        let entry = AuditEntry {
            seq: prev.seq + 1,
            at: crate::store::now_text(&crate::clock::SystemClock),
            actor: "system".to_owned(),
            action: AuditAction::PendingCheck.as_str().to_owned(),
            record_id: "audit_pending".to_owned(),
            fields: String::new(),
            result: format!("broken_at_{n}_of_{count}"),
        };
        prev = append_entry(conn, key, prev, entry)?;
    }
    Ok(prev)
}

// ---------------------------------------------------------------------------
// The Merkle log over the entries.

/// What can go wrong reading or writing `audit_node`.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The database refused a read or write of `audit_node`.
    #[error("sqlite: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A stored node hash is not 32 bytes: the table was altered or damaged.
    #[error("a stored hash is not 32 bytes")]
    BadHash,
    /// A node index does not fit SQLite's 64-bit integer (a log that large
    /// cannot exist; it means a bug).
    #[error("node index out of range")]
    Index,
}

/// The tree's node hashes in the store's `audit_node` table, read and
/// written on the caller's connection (inside its transaction).
pub struct SqlNodes<'c> {
    conn: &'c Connection,
}

impl<'c> SqlNodes<'c> {
    /// Node hashes read and written through `conn` (inside the caller's transaction).
    pub fn new(conn: &'c Connection) -> Self {
        SqlNodes { conn }
    }
}

fn node_index(id: NodeId) -> std::result::Result<i64, NodeError> {
    i64::try_from(id.index).map_err(|_| NodeError::Index)
}

impl NodeStore for SqlNodes<'_> {
    type Error = NodeError;

    fn get(&self, id: NodeId) -> std::result::Result<Option<Hash>, NodeError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM audit_node WHERE level = ?1 AND idx = ?2")?;
        let blob: Option<Vec<u8>> = stmt
            .query_row(params![id.level, node_index(id)?], |row| row.get(0))
            .optional()?;
        blob.map(|b| Hash::from_slice(&b).map_err(|_| NodeError::BadHash))
            .transpose()
    }

    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> std::result::Result<(), NodeError> {
        let mut stmt = self
            .conn
            .prepare_cached("INSERT INTO audit_node (level, idx, hash) VALUES (?1, ?2, ?3)")?;
        for (id, hash) in nodes {
            stmt.execute(params![id.level, node_index(*id)?, &hash.0[..]])?;
        }
        Ok(())
    }
}

/// How a damaged node table is named to staff.
pub const NODE_TABLE: &str = "監査ログのハッシュの木（audit_node）";

pub(crate) fn tree_error(e: TreeError<NodeError>) -> Error {
    match e {
        TreeError::Store(NodeError::Sql(e)) => Error::Database(e),
        _ => Error::Tampered(NODE_TABLE.into()),
    }
}

fn to_sql_size(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::Tampered(NODE_TABLE.into()))
}

/// The number of leaves in the Merkle log: one more than the last stored
/// leaf's index (one primary-key lookup).
pub fn tree_size(conn: &Connection) -> Result<u64> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(idx) FROM audit_node WHERE level = 0")?
        .query_row([], |r| r.get(0))?;
    match last {
        None => Ok(0),
        Some(i) => u64::try_from(i)
            .map(|i| i + 1)
            .map_err(|_| Error::Tampered(NODE_TABLE.into())),
    }
}

/// The Merkle log's size and tree head, from the stored right edge.
pub fn tree_head(conn: &Connection) -> Result<(u64, Hash)> {
    let size = tree_size(conn)?;
    let frontier = Frontier::load(&SqlNodes::new(conn), size).map_err(tree_error)?;
    Ok((size, frontier.root()))
}

/// Opens the Merkle log as stored, for tree heads and proofs.
pub fn open_tree(conn: &Connection) -> Result<Tree<SqlNodes<'_>>> {
    let size = tree_size(conn)?;
    Tree::open(SqlNodes::new(conn), size).map_err(tree_error)
}

/// Appends one leaf as leaf `n`: writes it and the subtrees it completes.
/// Only the left siblings it completes are read (one per trailing 1 bit of
/// `n`, one on average), not the whole right edge.
fn append_leaf(conn: &Connection, leaf: Hash) -> Result<()> {
    let n = tree_size(conn)?;
    let mut nodes = SqlNodes::new(conn);
    let damaged = || Error::Tampered(NODE_TABLE.into());
    let mut completed = vec![(NodeId::new(0, n), leaf)];
    let mut hash = leaf;
    let mut index = n;
    let mut level = 0u8;
    while index & 1 == 1 {
        let left = nodes
            .get(NodeId::new(level, index - 1))
            .map_err(|e| tree_error(TreeError::Store(e)))?
            .ok_or_else(damaged)?;
        hash = tsudoi_tlog::node_hash(&left, &hash);
        index >>= 1;
        level += 1;
        completed.push((NodeId::new(level, index), hash));
    }
    nodes
        .put(&completed)
        .map_err(|e| tree_error(TreeError::Store(e)))?;
    Ok(())
}

/// Builds the Merkle log over the rows already in `audit` (the migration to
/// schema 6), in storage order, and chains the rows waiting in
/// `audit_pending` to its head. Runs inside the migration's transaction.
pub(crate) fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    let fail = |e: Error| match e {
        Error::Database(e) => e,
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(
            other.to_string(),
        ))),
    };
    {
        let mut stmt =
            conn.prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit ORDER BY rowid"))?;
        let mut rows = stmt.query([])?;
        let mut frontier = Frontier::new();
        let mut nodes = SqlNodes::new(conn);
        while let Some(r) = rows.next()? {
            let entry = AuditEntry::from_row(r)?;
            let completed = frontier
                .push(leaf_hash(&canonical(&entry)))
                .map_err(|_| fail(Error::Tampered(NODE_TABLE.into())))?;
            nodes.put(&completed).map_err(|e| match e {
                NodeError::Sql(e) => e,
                other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
            })?;
        }
    }
    // Chain the rows that were waiting before this version, in order.
    let waiting: Vec<(i64, AuditEntry)> = {
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, record_id, fields, result FROM audit_pending ORDER BY id",
        )?;
        // The pending row's id stands where an entry's seq would.
        let rows = stmt.query_map([], |r| {
            let e = AuditEntry::from_row(r)?;
            Ok((e.seq, AuditEntry { seq: 0, ..e }))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let (anchor_size, anchor_root) = tree_head(conn).map_err(fail)?;
    let mut prev = [0u8; 32];
    for (id, e) in waiting {
        let row = PendingRow {
            at: e.at,
            actor: e.actor,
            action: e.action,
            record_id: e.record_id,
            fields: e.fields,
            result: e.result,
            anchor_size,
            anchor_root,
            prev,
        };
        let hash = row.hash();
        conn.execute(
            "UPDATE audit_pending SET anchor_size = ?1, anchor_root = ?2, prev = ?3, hash = ?4
             WHERE id = ?5",
            params![
                to_sql_size(anchor_size).map_err(fail)?,
                &anchor_root.0[..],
                &prev[..],
                &hash[..],
                id
            ],
        )?;
        prev = hash;
    }
    Ok(())
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every entry checks out; `entries` were read.
    Intact {
        /// How many entries were read and checked.
        entries: i64,
        /// The last entry's sequence number and MAC.
        head: ChainHead,
    },
    /// The first entry that does not check out.
    Broken {
        /// Sequence number of the first entry that fails.
        at_seq: i64,
        /// How it fails.
        problem: BreakKind,
    },
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
    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS}, mac FROM audit ORDER BY rowid"
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = ChainHead::GENESIS;
    while let Some(r) = rows.next()? {
        let entry = AuditEntry::from_row(r)?;
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
    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM
               (SELECT * FROM audit ORDER BY seq DESC LIMIT ?1) ORDER BY seq"
    ))?;
    let rows = stmt.query_map([limit], AuditEntry::from_row)?;
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
