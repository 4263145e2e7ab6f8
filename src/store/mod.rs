//! The encrypted participant store: one SQLite file.
//!
//! Personal values are sealed field by field (see `crate::crypto`); everything
//! that is not personal (dates of sessions, staff ids, counts) stays plain so the
//! kiosk can run queries without decrypting. The data key exists only in memory,
//! unwrapped from a staff member's keyslot at sign-in.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod attendance;
pub mod audit;
pub mod cards;
pub mod class_day;
pub mod clock_guard;
pub(crate) mod dates;
pub mod doctor;
pub mod erase;
pub mod errors;
pub mod groups;
pub mod incidents;
pub mod lottery;
pub mod mimamori;
pub mod participants;
pub mod rekey;
pub mod retention;
pub mod roster;
pub mod roster_return;
pub mod schema;
pub mod security_policy;
pub mod sessions;
pub mod staff;
pub mod transparency;
mod upgrade;
pub mod voice_setting;
pub mod ward_roster;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::crypto::{
    BlindIndexKey, CardTokenKey, CellAad, CellCipher, CryptoError, KdfParams, KeyBundle, KeyKind,
    LinkKey, PolicyKey, StaffRowKey,
};
use crate::eligibility::{PostalTable, Rules};
use crate::error::{Error, Result};
use audit::{AuditAction, AuditEvent, AuditKey, ChainVerdict};
pub use staff::{Role, StaffSession};

/// Rules and tunables a store runs under. Most come from the configuration file.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Failed sign-ins before an account locks.
    pub lockout_attempts: u32,
    /// How long a locked account stays locked.
    pub lockout_duration: chrono::Duration,
    /// Argon2id parameters for new or changed password keyslots.
    pub kdf: KdfParams,
    /// Age and re-verification rules.
    pub rules: Rules,
    /// Bits kept of each blind index when a store is created (fixed per store).
    pub blind_index_bits: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            lockout_attempts: 5,
            lockout_duration: chrono::Duration::minutes(15),
            kdf: KdfParams::default(),
            rules: Rules::default(),
            blind_index_bits: 12,
        }
    }
}

impl Policy {
    /// The settings a manager controls (stored in the store, FORMAT.md 8.10).
    pub fn security(&self) -> security_policy::SecurityPolicy {
        security_policy::SecurityPolicy {
            lockout_attempts: self.lockout_attempts,
            lockout_minutes: u32::try_from(self.lockout_duration.num_minutes()).unwrap_or(u32::MAX),
            kdf: self.kdf,
            reverify_after_months: self.rules.reverify_after_months,
        }
    }

    /// Takes the given security settings in place of this policy's.
    pub fn set_security(&mut self, s: &security_policy::SecurityPolicy) {
        self.lockout_attempts = s.lockout_attempts;
        self.lockout_duration = chrono::Duration::minutes(i64::from(s.lockout_minutes));
        self.kdf = s.kdf;
        self.rules.reverify_after_months = s.reverify_after_months;
    }
}

/// The personal key's working keys: only managers and handlers hold them.
pub(crate) struct PersonalKeys {
    pub cells: CellCipher,
    pub phone_index: BlindIndexKey,
    pub card_index: BlindIndexKey,
    pub links: LinkKey,
    pub card_tokens: CardTokenKey,
}

/// The keys of one unlocked store (FORMAT.md section 8): what the signed-in
/// staff members' grants gave, nothing more.
pub(crate) struct Keys {
    personal: Option<PersonalKeys>,
    pub statistics: CellCipher,
    pub audit: AuditKey,
    pub staff_rows: StaffRowKey,
    pub policy: PolicyKey,
    pub bundle: KeyBundle,
}

impl Keys {
    pub(crate) fn derive(bundle: KeyBundle) -> Result<Self> {
        let statistics = bundle
            .get(KeyKind::Statistics)
            .ok_or_else(|| Error::KeyslotCorrupt("統計の鍵がありません".into()))?;
        let audit = bundle
            .get(KeyKind::Audit)
            .ok_or_else(|| Error::KeyslotCorrupt("監査の鍵がありません".into()))?;
        let personal = match (bundle.get(KeyKind::Personal), bundle.get(KeyKind::Card)) {
            (Some(p), Some(c)) => Some(PersonalKeys {
                cells: CellCipher::personal(p),
                phone_index: BlindIndexKey::new_v2(p, "phone")?,
                card_index: BlindIndexKey::new_v2(p, "card")?,
                links: LinkKey::new(p),
                card_tokens: CardTokenKey::from_card_key(c),
            }),
            _ => None,
        };
        Ok(Keys {
            personal,
            statistics: CellCipher::statistics(statistics),
            audit: AuditKey::new(*audit.as_bytes()),
            staff_rows: StaffRowKey::new(audit),
            policy: PolicyKey::new(audit),
            bundle,
        })
    }

    /// The personal keys, or a refusal: the signed-in roles hold no key
    /// that opens personal data.
    pub(crate) fn personal(&self) -> Result<&PersonalKeys> {
        self.personal.as_ref().ok_or(Error::KeyNotHeld)
    }

    /// The cipher for a cell's column (FORMAT.md 8.4).
    fn cipher_for(&self, table: &str, column: &str) -> Result<&CellCipher> {
        match (table, column) {
            ("participants", "birth_date" | "town") => Ok(&self.statistics),
            _ => Ok(&self.personal()?.cells),
        }
    }
}

/// Who acts: a signed-in staff member, or the kiosk itself (a resident's tap).
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in staff member; their session carries the role that limits what they may do.
    Staff(StaffSession),
    /// The kiosk acting for a resident who tapped a card; holds no role and is written `kiosk` in
    /// the audit log.
    Kiosk,
}

impl Actor {
    /// The id written in the audit log's `actor` column: the staff id, or `kiosk`.
    pub fn id(&self) -> &str {
        match self {
            Actor::Staff(s) => s.staff_id(),
            Actor::Kiosk => "kiosk",
        }
    }
}

/// An open store file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    policy: Policy,
    clock: Arc<dyn Clock>,
    keys: Option<Keys>,
    blind_bits: u8,
    postal: PostalTable,
    /// A recovery key made by the upgrade to format 2, until the caller
    /// takes it to show it once.
    new_recovery_key: Option<crate::crypto::RecoveryKey>,
    /// When the keys now in memory were unlocked (the day's first sign-in).
    unlocked_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The clock was behind the store's latest time at opening: no check-in
    /// is recorded until staff confirm the time (`clock_guard`).
    clock_behind: Option<clock_guard::ClockBehind>,
}

/// How long keys may stay in memory after the sign-in that unlocked them,
/// whatever the closing time says: a kiosk left on overnight holds no key.
pub const MAX_KEY_HOLD: chrono::Duration = chrono::Duration::hours(12);

/// Why [`Store::drop_expired_keys`] dropped the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeysDropped {
    /// The configured closing time passed.
    ClosingTime,
    /// [`MAX_KEY_HOLD`] passed since the sign-in that unlocked them.
    MaxHold,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("unlocked", &self.keys.is_some())
            .finish_non_exhaustive()
    }
}

/// How long a statement waits for another process's lock before giving up
/// (SQLITE_BUSY).
const BUSY_WAIT: Duration = Duration::from_secs(5);

fn connect(path: &Path, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_WAIT)?;
    // A tap runs about a dozen cached statements; the kiosk's screens run
    // others between taps, which must not push the tap's out of rusqlite's
    // default cache of 16.
    conn.set_prepared_statement_cache_capacity(64);
    // WAL + FULL: every acknowledged check-in survives a power cut.
    // secure_delete: freed pages are zeroed, so deleted ciphertext does not linger.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(conn)
}

pub(crate) fn now_text(clock: &dyn Clock) -> String {
    clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl Store {
    /// Creates a new store with its first manager and a recovery keyslot.
    /// Returns the store (unlocked, signed in as the manager) and the recovery key,
    /// which the caller must show exactly once.
    pub fn create(
        path: &Path,
        site: &str,
        manager_id: &str,
        initial_password: &str,
        policy: Policy,
        postal: PostalTable,
        clock: Arc<dyn Clock>,
    ) -> Result<(Store, StaffSession, crate::crypto::RecoveryKey)> {
        if path.exists() {
            return Err(Error::StoreExists(path.display().to_string()));
        }
        let site = site.trim();
        if site.is_empty() || site.chars().count() > 100 {
            return Err(errors::StoreError::SiteName.into());
        }
        staff::validate_staff_id(manager_id)?;
        staff::check_password_policy(manager_id, initial_password)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = connect(path, true)?;
        restrict_permissions(path);
        schema::migrate_to(&mut conn, schema::CURRENT_VERSION)?;

        let bundle = KeyBundle::generate()?;
        let recovery = crate::crypto::RecoveryKey::generate()?;
        let bits = policy.blind_index_bits.clamp(4, 32);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            policy,
            clock,
            keys: None,
            blind_bits: bits,
            postal,
            new_recovery_key: None,
            unlocked_at: None,
            clock_behind: None,
        };
        let now = store.now();
        let session = {
            let tx = store
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (k, v) in [
                ("site", site.to_owned()),
                ("created_at", now.clone()),
                ("blind_index_bits", bits.to_string()),
            ] {
                tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", [k, &v])?;
            }
            staff::write_key_meta(&tx, &bundle)?;
            staff::write_recovery_grant(&tx, &bundle, &recovery, &now)?;
            let keys = Keys::derive(bundle)?;
            security_policy::write(&tx, &keys, &store.policy.security())?;
            let session = staff::insert_staff(
                &tx,
                &keys,
                manager_id,
                Role::Manager,
                initial_password,
                &store.policy.kdf,
                &now,
            )?;
            record_in(
                &tx,
                &keys,
                &now,
                manager_id,
                AuditAction::Init,
                "",
                &[],
                "ok",
            )?;
            tx.commit()?;
            store.keys = Some(keys);
            store.unlocked_at = Some(store.clock.now());
            session
        };
        Ok((store, session, recovery))
    }

    /// Opens an existing store, locked. Old files are migrated.
    pub fn open(
        path: &Path,
        policy: Policy,
        postal: PostalTable,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        if !path.exists() {
            return Err(Error::StoreMissing(path.display().to_string()));
        }
        let mut conn = connect(path, false)?;
        if erase::is_erased(&conn)? {
            return Err(Error::Erased);
        }
        schema::migrate_to(&mut conn, schema::CURRENT_VERSION)?;
        let bits: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'blind_index_bits'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let blind_bits = bits
            .and_then(|b| b.parse::<u8>().ok())
            .filter(|b| (4..=32).contains(b))
            .ok_or(errors::StoreError::DamagedSetting)?;
        // The stored policy rules; a configuration may only tighten it. Its
        // MAC is checked at the first sign-in (security_policy.rs).
        let mut policy = policy;
        if let Some(stored) = security_policy::read(&conn)? {
            let effective = stored.stricter(&policy.security());
            policy.set_security(&effective);
        }
        let clock_behind = clock_guard::check(&conn, clock.now())?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            policy,
            clock,
            keys: None,
            blind_bits,
            postal,
            new_recovery_key: None,
            unlocked_at: None,
            clock_behind,
        })
    }

    /// Path of the store's SQLite file as it was opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SHA-256 of the store file's bytes as they are on disk now (call
    /// [`Store::checkpoint`] first for a file that holds everything).
    ///
    /// POSIX drops every lock a process holds on a file when the process
    /// closes any descriptor of it, and SQLite's connections (this one, and
    /// any other in this process) hold theirs on this file. So the file is
    /// read through a descriptor that is never closed: it is leaked, as
    /// SQLite itself keeps a closed connection's descriptor while others
    /// hold locks. This is called once, by the erasure, so one descriptor
    /// is all it costs (`tests/store_locks.rs`).
    pub fn file_sha256(&self) -> Result<String> {
        use std::io::Read;
        let mut file = std::fs::File::open(&self.path)?;
        let mut bytes = Vec::new();
        let read = file.read_to_end(&mut bytes);
        // Never closed (see above), whether the read worked or not.
        let _ = std::os::fd::IntoRawFd::into_raw_fd(file);
        read?;
        Ok(crate::report::sign::sha256_hex(&bytes))
    }

    /// The rules and tunables this store was opened with (lockout, KDF, age rules).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The ward's postal codes used to check addresses (given at open; not stored in the file).
    pub fn postal_table(&self) -> &PostalTable {
        &self.postal
    }

    /// The clock every timestamp and date check of this store reads.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Whether the keys are in memory: a staff member signed in since they were last dropped
    /// ([`Store::lock`], [`Store::drop_expired_keys`]). A locked store still answers queries on
    /// plain columns but cannot open sealed cells.
    pub fn is_unlocked(&self) -> bool {
        self.keys.is_some()
    }

    /// The site name given at `init`.
    pub fn site(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'site'", [], |r| {
                r.get(0)
            })?)
    }

    /// A value from the `meta` table.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets `meta` values in one transaction, recorded as a key change.
    pub(crate) fn set_meta(&mut self, pairs: &[(&str, &str)]) -> Result<()> {
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        for (k, v) in pairs {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [k, v],
            )?;
        }
        let names: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
        record_in(
            &tx,
            keys,
            &now,
            "system",
            AuditAction::KeyChange,
            "meta",
            &names,
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the store is still in format 1 and will be upgraded at the
    /// next manager sign-in (FORMAT.md 8.7).
    pub fn needs_format_upgrade(&self) -> Result<bool> {
        staff::is_format_1(&self.conn)
    }

    /// The recovery key made when this sign-in upgraded the store to format 2
    /// (the old one no longer opens anything): show it once, like at `init`.
    pub fn take_new_recovery_key(&mut self) -> Option<crate::crypto::RecoveryKey> {
        self.new_recovery_key.take()
    }

    /// Forgets the data key (the kiosk going out of service, or a CLI command ending).
    pub fn lock(&mut self) {
        self.keys = None;
        self.unlocked_at = None;
    }

    /// Whether the keys in memory can check a card in: a card is matched
    /// through the personal keys, which an operator's grant does not hold.
    pub fn can_check_in_by_card(&self) -> bool {
        self.keys.as_ref().is_some_and(|k| k.personal.is_some())
    }

    /// When the keys in memory were unlocked, if any are.
    pub fn unlocked_at(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.keys.as_ref().and(self.unlocked_at)
    }

    /// Drops the keys (zeroized) once the day is over: at `closing` (local
    /// time, on the day they were unlocked or any later day) and at the
    /// latest [`MAX_KEY_HOLD`] after they were unlocked. The drop is
    /// recorded in the audit log first. A clock that went backwards keeps
    /// nothing longer: the hold is measured from the unlock forwards only.
    ///
    /// # Errors
    /// Only from writing the audit entry; the keys are dropped regardless.
    pub fn drop_expired_keys(
        &mut self,
        closing: Option<chrono::NaiveTime>,
    ) -> Result<Option<KeysDropped>> {
        let (Some(_), Some(since)) = (&self.keys, self.unlocked_at) else {
            return Ok(None);
        };
        let now = self.clock.now();
        let why = if now - since >= MAX_KEY_HOLD || now < since - chrono::Duration::minutes(5) {
            KeysDropped::MaxHold
        } else {
            let closed = closing.is_some_and(|c| {
                let close_on_unlock_day = since.date_naive().and_time(c);
                // Unlocked after that day's closing (staff working late):
                // the hold cap alone applies that night.
                since.naive_local() < close_on_unlock_day
                    && now.naive_local() >= close_on_unlock_day
            });
            if !closed {
                return Ok(None);
            }
            KeysDropped::ClosingTime
        };
        let at = self.now();
        let logged = (|| -> Result<()> {
            let keys = self.keys.as_ref().ok_or(Error::Locked)?;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            record_in(
                &tx,
                keys,
                &at,
                "kiosk",
                AuditAction::KeysDropped,
                "",
                &[],
                match why {
                    KeysDropped::ClosingTime => "closing_time",
                    KeysDropped::MaxHold => "max_hold",
                },
            )?;
            tx.commit()?;
            Ok(())
        })();
        self.lock();
        logged.map(|()| Some(why))
    }

    pub(crate) fn now(&self) -> String {
        now_text(self.clock.as_ref())
    }

    pub(crate) fn keys(&self) -> Result<&Keys> {
        self.keys.as_ref().ok_or(Error::Locked)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn write_tx(&mut self) -> Result<(Transaction<'_>, &Keys, &Policy, &dyn Clock)> {
        let keys = self.keys.as_ref().ok_or(Error::Locked)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok((tx, keys, &self.policy, self.clock.as_ref()))
    }

    /// Records an event in its own transaction (used for reads: views, searches).
    pub(crate) fn record(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        record_id: &str,
        fields: &[&str],
        result: &str,
    ) -> Result<()> {
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        record_in(
            &tx,
            keys,
            &now,
            actor.id(),
            action,
            record_id,
            fields,
            result,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Recomputes the audit chain.
    pub fn verify_audit(&mut self, actor: &Actor) -> Result<ChainVerdict> {
        let verdict = audit::verify(&self.conn, &self.keys()?.audit)?;
        let result = match verdict {
            ChainVerdict::Intact { .. } => "intact".to_owned(),
            ChainVerdict::Broken { at_seq, .. } => format!("broken_at_{at_seq}"),
        };
        // Recording the check itself extends the chain only when it is intact,
        // so a broken chain stays exactly as found for the investigation.
        if matches!(verdict, ChainVerdict::Intact { .. }) {
            self.record(actor, AuditAction::Verify, "audit", &[], &result)?;
        }
        Ok(verdict)
    }

    /// The most recent audit entries (staff ids, actions, record ids; no values).
    pub fn audit_entries(&self, limit: i64) -> Result<Vec<audit::AuditEntry>> {
        self.keys()?;
        Ok(audit::entries(&self.conn, limit)?)
    }

    /// Folds what the write-ahead log holds into the main file and empties
    /// the log, without waiting: if another process is reading or writing at
    /// this moment, it gives up at once and returns `Ok(false)` (a later call
    /// folds it). Does nothing when the log is empty. The kiosk calls it on
    /// its clock tick, off the tap's path.
    ///
    /// Why: SQLite drops a WAL frame that fails its checksum and every later
    /// one, silently, and folds the log into the file by itself only every
    /// ~1000 pages. Until then one damaged bit in `tsudoi.db-wal` lost every
    /// check-in since the last fold (the damaged-WAL campaign in
    /// `tests/damaged_files.rs`). Folding after each commit instead costs a
    /// tap three more fsyncs (`tests/fsync_per_check_in.rs` keeps it at one).
    pub fn fold_wal(&self) -> Result<bool> {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0 {
            return Ok(true);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        // (busy, log frames, frames folded): busy = 1 when it gave up.
        let folded = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
        self.conn.busy_timeout(BUSY_WAIT)?;
        match folded {
            Ok(busy) => Ok(busy == 0),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Flushes the WAL into the main file and truncates it.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: true when SQLite finds nothing wrong.
    pub fn integrity_ok(&self) -> Result<bool> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(r == "ok")
    }

    pub(crate) fn blind_bits(&self) -> u8 {
        self.blind_bits
    }

    /// Unique-prefix lookup of an id, as staff type the first characters.
    pub(crate) fn resolve_id(
        &self,
        table: &str,
        what: &'static str,
        prefix: &str,
    ) -> Result<String> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 || !prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(Error::NotFound { what });
        }
        // `table` is one of our own constant names, never user input.
        let sql = format!("SELECT id FROM {table} WHERE id >= ?1 AND id < ?2 LIMIT 2");
        let upper = format!("{prefix}\u{7f}");
        let mut stmt = self.conn.prepare(&sql)?;
        let ids: Vec<String> = stmt
            .query_map([&prefix, &upper], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::NotFound { what }),
            _ => Err(Error::Ambiguous {
                what,
                prefix: prefix.to_owned(),
            }),
        }
    }
}

/// Appends a keyed audit entry inside `tx`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_in(
    tx: &Connection,
    keys: &Keys,
    at: &str,
    actor: &str,
    action: AuditAction,
    record_id: &str,
    fields: &[&str],
    result: &str,
) -> Result<()> {
    let head = audit::head(tx)?;
    audit::append(
        tx,
        &keys.audit,
        head,
        &AuditEvent {
            at: at.to_owned(),
            actor,
            action,
            record_id,
            fields,
            result,
        },
    )?;
    clock_guard::raise_latest_seen(tx, at)?;
    Ok(())
}

/// One cell's place (FORMAT.md 8.4): the row's revision and the link bound
/// into it are part of what is authenticated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
    pub rev: i64,
    pub bound: &'a str,
}

impl<'a> Cell<'a> {
    /// A participant's cell at revision `rev`.
    pub(crate) fn participant(column: &'a str, row_id: &'a str, rev: i64) -> Cell<'a> {
        Cell {
            table: "participants",
            column,
            row_id,
            rev,
            bound: "",
        }
    }

    fn aad(&self) -> CellAad<'a> {
        CellAad {
            table: self.table,
            column: self.column,
            row_id: self.row_id,
            rev: u64::try_from(self.rev).unwrap_or(0),
            bound: self.bound,
        }
    }

    /// How a damaged cell is named to staff: table, short row id and column,
    /// never a value.
    pub(crate) fn describe(&self) -> String {
        let short: String = self.row_id.chars().take(8).collect();
        format!("{} {short} の {}", self.table, self.column)
    }

    /// Maps a failed opening to an error naming this cell.
    fn refusal(&self, e: CryptoError) -> Error {
        match e {
            CryptoError::Authentication
            | CryptoError::Truncated
            | CryptoError::UnsupportedVersion => Error::Tampered(self.describe()),
            CryptoError::WrongKey => {
                Error::Tampered(format!("{}（別の鍵で暗号化）", self.describe()))
            }
            other => Error::Crypto(other),
        }
    }
}

/// Seals a value into its cell under the key its column belongs to.
pub(crate) fn seal_cell(keys: &Keys, cell: Cell<'_>, value: &[u8]) -> Result<Vec<u8>> {
    Ok(keys
        .cipher_for(cell.table, cell.column)?
        .encrypt(&cell.aad(), value)?)
}

/// Opens a cell; a cell that does not authenticate is reported by name.
pub(crate) fn open_cell(
    keys: &Keys,
    cell: Cell<'_>,
    blob: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    keys.cipher_for(cell.table, cell.column)?
        .decrypt(&cell.aad(), blob)
        .map_err(|e| cell.refusal(e))
}

/// Seals text into a cell.
pub(crate) fn seal(keys: &Keys, cell: Cell<'_>, value: &str) -> Result<Vec<u8>> {
    seal_cell(keys, cell, value.as_bytes())
}

/// Opens a text cell.
pub(crate) fn open_str(
    keys: &Keys,
    cell: Cell<'_>,
    blob: &[u8],
) -> Result<zeroize::Zeroizing<String>> {
    keys.cipher_for(cell.table, cell.column)?
        .decrypt_string(&cell.aad(), blob)
        .map_err(|e| cell.refusal(e))
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: the service's UMask normally does this already.
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict_permissions(_: &Path) {}
