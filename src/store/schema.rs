//! Versioned schema migrations.
//!
//! The schema version lives in SQLite's `user_version`. Each migration runs in
//! its own transaction, so a power cut leaves the file at one version or the
//! next, never in between. Old files are upgraded when they are opened.

use rusqlite::{Connection, Transaction};

/// A step from version `to - 1` to version `to`.
struct Migration {
    to: u32,
    why: &'static str,
    sql: &'static str,
    /// Work SQL cannot express, run after `sql` in the same transaction.
    fill: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Every migration, in order. Never edit a released step: add a new one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 1,
        why: "base schema: keys, staff, participants, cards, programs, sessions, attendance, audit",
        sql: r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One random data key, wrapped once per staff account and once for recovery.
-- `slot` is the keyslot in the layout of src/crypto/FORMAT.md (KDF parameters
-- included); `checksum` (unkeyed BLAKE3) tells a damaged slot from a wrong password.
CREATE TABLE keyslots (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('password', 'recovery')),
    label       TEXT NOT NULL,
    slot        BLOB NOT NULL,
    checksum    BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id              TEXT PRIMARY KEY,
    role            TEXT NOT NULL CHECK (role IN ('manager', 'handler', 'operator')),
    must_change_password INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    keyslot_id      TEXT REFERENCES keyslots(id) ON DELETE SET NULL
) STRICT;

CREATE TABLE programs (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL
) STRICT;
INSERT INTO programs (id, name) VALUES
    ('ikigai', 'いきがいつくり支援'),
    ('koryu', '地域交流支援'),
    ('kaigo', '介護予防');

-- Personal columns hold XChaCha20-Poly1305 blobs bound to (table, column, id, key id).
CREATE TABLE participants (
    id              TEXT PRIMARY KEY,
    key_id          TEXT NOT NULL,
    name            BLOB NOT NULL,
    kana            BLOB NOT NULL,
    phone           BLOB NOT NULL,
    phone_bidx      INTEGER NOT NULL,
    birth_date      BLOB,
    postal_code     BLOB,
    town            BLOB,
    address         BLOB,
    basis           TEXT NOT NULL CHECK (basis IN ('self', 'ward')),
    document_kind   TEXT,
    verified_on     TEXT,
    verified_by     TEXT,
    consent_purpose TEXT NOT NULL,
    consent_on      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX participants_phone_bidx ON participants (phone_bidx);

CREATE TABLE cards (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    key_id          TEXT NOT NULL,
    token           BLOB NOT NULL,
    token_bidx      INTEGER NOT NULL,
    linked_at       TEXT NOT NULL,
    linked_by       TEXT NOT NULL
) STRICT;
CREATE INDEX cards_token_bidx ON cards (token_bidx);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs(id),
    date        TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    title       TEXT NOT NULL,
    capacity    INTEGER,
    mode        TEXT NOT NULL CHECK (mode IN ('open', 'first_come', 'lottery')),
    created_at  TEXT NOT NULL,
    CHECK (start_time < end_time)
) STRICT;
CREATE INDEX sessions_date ON sessions (date);

CREATE TABLE attendance (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    session_id      TEXT NOT NULL REFERENCES sessions(id),
    checked_in_at   TEXT NOT NULL,
    method          TEXT NOT NULL CHECK (method IN ('card', 'staff')),
    staff_id        TEXT,
    UNIQUE (participant_id, session_id)
) STRICT;
CREATE INDEX attendance_session ON attendance (session_id);

CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    fields      TEXT NOT NULL,
    result      TEXT NOT NULL,
    mac         BLOB NOT NULL
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 2,
        why: "sign-in failures seen while the data key is locked wait here until the next unlock \
              folds them into the keyed chain",
        sql: r#"
CREATE TABLE audit_pending (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    fields      TEXT NOT NULL,
    result      TEXT NOT NULL
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 3,
        why: "care-prevention classes by application with a publicly verifiable lottery (RFC 3797)",
        sql: r#"
-- A class offered by lottery. Nothing here is personal. `status` moves
-- open → closed (pool fixed, commitment published) → drawn.
CREATE TABLE lottery_classes (
    id              TEXT PRIMARY KEY,
    program_id      TEXT NOT NULL REFERENCES programs(id),
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    term            TEXT NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity > 0),
    waitlist_size   INTEGER CHECK (waitlist_size IS NULL OR waitlist_size >= 0),
    apply_from      TEXT NOT NULL,
    apply_until     TEXT NOT NULL,
    draw_on         TEXT NOT NULL,
    one_per_term    INTEGER NOT NULL DEFAULT 0,
    priority        TEXT NOT NULL CHECK (priority IN ('none', 'first_time', 'previous_losers')),
    previous_class_id TEXT REFERENCES lottery_classes(id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed', 'drawn')),
    announced_sources TEXT,
    pool_listing    TEXT,
    commitment      TEXT,
    closed_at       TEXT,
    transcript      TEXT,
    drawn_at        TEXT,
    addresses_purged_at TEXT,
    created_at      TEXT NOT NULL,
    CHECK (apply_from <= apply_until AND apply_until < draw_on)
) STRICT;

-- The sessions a class consists of (one, or a series).
CREATE TABLE lottery_class_sessions (
    class_id    TEXT NOT NULL REFERENCES lottery_classes(id),
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    PRIMARY KEY (class_id, session_id)
) STRICT;

-- Applications. Entry numbers are per class and never reused; a withdrawn
-- application keeps its number but leaves the pool.
CREATE TABLE lottery_applications (
    id              TEXT PRIMARY KEY,
    class_id        TEXT NOT NULL REFERENCES lottery_classes(id),
    participant_id  TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    entry_number    INTEGER NOT NULL,
    tier            INTEGER NOT NULL CHECK (tier IN (1, 2)),
    status          TEXT NOT NULL CHECK (status IN
                      ('applied', 'withdrawn', 'won', 'waiting', 'not_selected', 'cancelled', 'moved_up')),
    waiting_rank    INTEGER,
    drawn_rank      INTEGER,
    applied_at      TEXT NOT NULL,
    applied_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (class_id, entry_number)
) STRICT;
CREATE UNIQUE INDEX lottery_applications_one_live
    ON lottery_applications (class_id, participant_id) WHERE status <> 'withdrawn';
CREATE INDEX lottery_applications_participant ON lottery_applications (participant_id);
"#,
        fill: None,
    },
    Migration {
        to: 4,
        why: "the media ledger (受渡し管理簿): every file set that leaves on a removable medium",
        sql: r#"
CREATE TABLE media_ledger (
    id           TEXT PRIMARY KEY,
    at           TEXT NOT NULL,
    staff_id     TEXT NOT NULL,
    medium_label TEXT NOT NULL,
    medium_device TEXT NOT NULL,
    destination  TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    files        TEXT NOT NULL,
    verified     INTEGER NOT NULL
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 5,
        why: "store format 2 (src/crypto/FORMAT.md section 8): one key per kind of data, grants \
              per role, row revisions, the document kind sealed, MACs over staff rows and \
              application links; cells are re-sealed at the first manager sign-in",
        sql: r#"
ALTER TABLE participants ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN document BLOB;
ALTER TABLE staff ADD COLUMN public_key BLOB;
ALTER TABLE staff ADD COLUMN mac BLOB;
ALTER TABLE lottery_applications ADD COLUMN link_mac BLOB;

-- The keys of one role sealed to one staff member's X25519 identity, or to
-- the recovery key's (label 'recovery').
CREATE TABLE grants (
    label       TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('manager', 'handler', 'operator', 'recovery')),
    sealed      BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 6,
        why: "the audit log as an RFC 6962 Merkle tree (issue 13, FORMAT.md section 9): the hashes \
              of its complete subtrees, written with each entry, built here over the existing \
              entries; entries waiting while locked are chained and anchored to the tree head",
        sql: r#"
CREATE TABLE audit_node (
    level INTEGER NOT NULL,   -- 0 = leaf hash
    idx   INTEGER NOT NULL,   -- index within the level
    hash  BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

ALTER TABLE audit_pending ADD COLUMN anchor_size INTEGER;
ALTER TABLE audit_pending ADD COLUMN anchor_root BLOB;
ALTER TABLE audit_pending ADD COLUMN prev BLOB;
ALTER TABLE audit_pending ADD COLUMN hash BLOB;
"#,
        fill: Some(super::audit::backfill),
    },
    Migration {
        to: 7,
        why: "incidents (事故報告, contract clause 19, issue 13): kinds and measures from fixed \
              lists, dates, a count and record ids, no free text; each row's digest is in the \
              audit entry that recorded it",
        sql: r#"
CREATE TABLE incident (
    id          TEXT PRIMARY KEY,          -- YYYY-NNN
    kind        TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    found_on    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    people      INTEGER NOT NULL CHECK (people >= 0),
    records     TEXT NOT NULL,             -- participant ids, comma-separated
    measures    TEXT NOT NULL,             -- measure codes, comma-separated
    follows     TEXT
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 8,
        why: "the training record (issue 19): which exercise of the training mode each staff \
              member completed on which day; staff ids, exercise codes and dates only, each \
              row also audited as `training`",
        sql: r#"
CREATE TABLE training_record (
    id          INTEGER PRIMARY KEY,
    staff_id    TEXT NOT NULL,
    exercise    TEXT NOT NULL,
    done_on     TEXT NOT NULL,   -- YYYY-MM-DD, Japan time
    recorded_at TEXT NOT NULL,
    UNIQUE (staff_id, exercise, done_on)
) STRICT;
"#,
        fill: None,
    },
    Migration {
        to: 9,
        why: "hobby groups of いきがいつくり支援 (issue 15): groups with a regular schedule, their \
              sessions (generated, cancelled, moved), members from the ward's roster (members are \
              participants with basis 'ward', sealed like every participant), 見守り call outcomes",
        sql: r#"
-- A self-run hobby group (高齢者自主活動グループ). Nothing here is personal:
-- the representative is a participant id. The schedule is stored as a rule:
-- `weeks` is 'every' or the weeks of the month ('1,3'), `weekday` 0 = Monday.
CREATE TABLE hobby_groups (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    program_id        TEXT NOT NULL REFERENCES programs(id),
    weeks             TEXT NOT NULL,
    weekday           INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time        TEXT NOT NULL,
    end_time          TEXT NOT NULL,
    room              TEXT NOT NULL,
    representative_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
    watch_visits      INTEGER NOT NULL DEFAULT 3 CHECK (watch_visits BETWEEN 1 AND 52),
    watch_weeks       INTEGER NOT NULL DEFAULT 8 CHECK (watch_weeks BETWEEN 1 AND 52),
    watch_absent_weeks INTEGER NOT NULL DEFAULT 3 CHECK (watch_absent_weeks BETWEEN 1 AND 52),
    created_at        TEXT NOT NULL,
    CHECK (start_time < end_time)
) STRICT;

-- A group's meeting on one planned date. `session_id` is the row in
-- `sessions` the kiosk shows; a cancelled meeting has none (the session row
-- is deleted) but keeps its planned date, so generating again skips it.
CREATE TABLE group_sessions (
    id            TEXT PRIMARY KEY,
    group_id      TEXT NOT NULL REFERENCES hobby_groups(id) ON DELETE CASCADE,
    planned_date  TEXT NOT NULL,
    session_id    TEXT UNIQUE REFERENCES sessions(id),
    status        TEXT NOT NULL CHECK (status IN ('scheduled', 'moved', 'cancelled')),
    updated_at    TEXT NOT NULL,
    UNIQUE (group_id, planned_date)
) STRICT;

-- Who belongs to which group. The person is a participant row (basis
-- 'ward' when the ward's roster brought them, 'self' when they were
-- already registered at the desk and were linked).
CREATE TABLE group_members (
    group_id        TEXT NOT NULL REFERENCES hobby_groups(id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    source          TEXT NOT NULL CHECK (source IN ('ward_roster')),
    added_at        TEXT NOT NULL,
    PRIMARY KEY (group_id, participant_id)
) STRICT;
CREATE INDEX group_members_participant ON group_members (participant_id);

-- 見守り: the outcome of a call to someone who stopped coming, from a fixed
-- list. No free text.
CREATE TABLE watch_calls (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    outcome         TEXT NOT NULL CHECK (outcome IN
                      ('well', 'unwell', 'hospital', 'no_answer', 'declined')),
    called_on       TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL
) STRICT;
CREATE INDEX watch_calls_participant ON watch_calls (participant_id);
CREATE INDEX attendance_participant ON attendance (participant_id);
"#,
        fill: None,
    },
];

/// The version a fully migrated file has.
pub const CURRENT_VERSION: u32 = 9;

/// Reads the file's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the schema up to `target`, one transaction per step.
///
/// Returns the versions applied. A file newer than this program is refused so
/// an old binary never writes into a schema it does not understand.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<Vec<u32>, MigrationError> {
    let current = version(conn)?;
    if current > CURRENT_VERSION {
        return Err(MigrationError::TooNew {
            file: current,
            program: CURRENT_VERSION,
        });
    }
    let mut applied = Vec::new();
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.to > current && m.to <= target)
    {
        let tx = conn.transaction()?;
        apply(&tx, step)?;
        tx.commit()?;
        applied.push(step.to);
    }
    Ok(applied)
}

fn apply(tx: &Transaction<'_>, step: &Migration) -> rusqlite::Result<()> {
    debug_assert!(!step.why.is_empty());
    tx.execute_batch(step.sql)?;
    if let Some(fill) = step.fill {
        fill(tx)?;
    }
    // PRAGMA does not take bound parameters; `to` is a compile-time constant.
    tx.execute_batch(&format!("PRAGMA user_version = {}", step.to))
}

/// Why a migration could not run.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The file was written by a newer tsudoi: it is left untouched. Update
    /// tsudoi on this device.
    #[error(
        "この保存ファイルは新しい版のtsudoiで作られています（形式{file}、このプログラムは形式{program}まで）。tsudoiを更新してください。"
    )]
    TooNew {
        /// The file's format version (`PRAGMA user_version`).
        file: u32,
        /// The newest format this program knows.
        program: u32,
    },
    /// A migration step failed in SQLite; that step's transaction was rolled
    /// back, so the file stays at the last version reached. Restore from a
    /// backup if opening keeps failing.
    #[error("保存ファイルの形式を更新できませんでした: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_consecutive_and_end_at_current() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.to as usize, i + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.to), Some(CURRENT_VERSION));
    }

    #[test]
    fn fresh_database_reaches_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(
            migrate_to(&mut conn, CURRENT_VERSION).unwrap(),
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9]
        );
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
        assert!(migrate_to(&mut conn, CURRENT_VERSION).unwrap().is_empty());
    }

    #[test]
    fn newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        assert!(matches!(
            migrate_to(&mut conn, CURRENT_VERSION),
            Err(MigrationError::TooNew { file: 99, .. })
        ));
    }
}
