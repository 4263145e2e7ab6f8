//! Staff accounts, roles, sign-in with lockout, and their keyslots.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::audit::{self, AuditAction, AuditEvent};
use super::errors::StaffError;
use super::security_policy::{self, SecurityPolicy};
use super::{Actor, Keys, Store, record_in};
use crate::crypto::{
    Grant, Identity, KdfParams, KeyBundle, KeyId, KeyKind, Keyslot, KeyslotError, RecoveryKey,
    SlotKind, mac_equal, role_mask,
};
use crate::error::{Error, Result};

/// The roles the ward's contract names (特記事項 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 取扱責任者: responsible person; manages staff and everything else.
    Manager,
    /// 取扱者: handler; registers, searches, views and checks in residents.
    Handler,
    /// 運営者: operator; runs sessions and exports counts, sees no personal data.
    Operator,
}

impl Role {
    /// The value stored in `staff.role` and in keyslot grants.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Handler => "handler",
            Role::Operator => "operator",
        }
    }

    /// The contract's Japanese name for the role (取扱責任者, 取扱者, 運営者).
    pub fn label(self) -> &'static str {
        match self {
            Role::Manager => "取扱責任者",
            Role::Handler => "取扱者",
            Role::Operator => "運営者",
        }
    }

    /// Reads a stored code or the Japanese name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "manager" | "取扱責任者" => Some(Role::Manager),
            "handler" | "取扱者" => Some(Role::Handler),
            "operator" | "運営者" => Some(Role::Operator),
            _ => None,
        }
    }

    /// May this role see and change residents' personal data?
    pub fn handles_personal_data(self) -> bool {
        matches!(self, Role::Manager | Role::Handler)
    }
}

/// Proof that a staff member signed in. Only this module creates one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    staff_id: String,
    role: Role,
    must_change_password: bool,
}

impl StaffSession {
    /// The signed-in staff member's id (their sign-in name, written in the audit log).
    pub fn staff_id(&self) -> &str {
        &self.staff_id
    }

    /// The role the account holds; decides what [`StaffSession::require`] allows.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Whether the account still has its first (or reset) password; all work is refused until it is
    /// changed.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// Refuses work until the first password is changed, and work the role may not do.
    pub fn require(&self, personal_data: bool) -> Result<()> {
        if self.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        if personal_data && !self.role.handles_personal_data() {
            return Err(Error::NotPermitted {
                role: self.role.label(),
            });
        }
        Ok(())
    }

    /// Reports and exports: the operator's work (and the manager's).
    pub fn require_reporting(&self) -> Result<()> {
        self.require(false)?;
        if self.role == Role::Handler {
            return Err(Error::NotPermitted {
                role: self.role.label(),
            });
        }
        Ok(())
    }

    /// Refuses anything but a manager's work (staff accounts, keys, policy).
    /// # Errors
    /// [`Error::PasswordChangeRequired`] before the first password change; [`Error::NotPermitted`]
    /// for any other role.
    pub fn require_manager(&self) -> Result<()> {
        self.require(true)?;
        if self.role != Role::Manager {
            return Err(Error::NotPermitted {
                role: self.role.label(),
            });
        }
        Ok(())
    }
}

/// Staff ids are short ASCII handles, not names (they appear in the audit log).
pub fn validate_staff_id(id: &str) -> Result<()> {
    let ok = (2..=32).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(StaffError::IdForm.into())
    }
}

/// The MHLW guideline's rule: at least 13 characters mixing at least two kinds
/// (letters, digits, symbols), and not the staff id itself.
pub fn check_password_policy(staff_id: &str, password: &str) -> Result<()> {
    let len = password.chars().count();
    if len < 13 {
        return Err(Error::WeakPassword(format!(
            "パスワードは13文字以上にしてください（今は{len}文字）。"
        )));
    }
    if len > 256 {
        return Err(Error::WeakPassword(
            "パスワードは256文字以内にしてください。".into(),
        ));
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_numeric());
    let symbols = password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if [letters, digits, symbols].iter().filter(|k| **k).count() < 2 {
        return Err(Error::WeakPassword(
            "パスワードには英字・数字・記号のうち2種類以上を混ぜてください。".into(),
        ));
    }
    if password.to_lowercase().contains(&staff_id.to_lowercase()) {
        return Err(Error::WeakPassword(
            "パスワードにスタッフIDを含めないでください。".into(),
        ));
    }
    Ok(())
}

pub(crate) fn slot_id(kind: &str, label: &str) -> String {
    format!("{kind}:{label}")
}

fn slot_checksum(bytes: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"tsudoi keyslot checksum v1");
    h.update(bytes);
    *h.finalize().as_bytes()
}

fn write_slot(tx: &Connection, id: &str, slot: &Keyslot, now: &str) -> Result<()> {
    let kind = match slot.kind {
        SlotKind::Password => "password",
        SlotKind::Recovery => "recovery",
    };
    let bytes = slot.to_bytes()?;
    tx.execute(
        "INSERT INTO keyslots (id, kind, label, slot, checksum, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, slot = excluded.slot,
           checksum = excluded.checksum, created_at = excluded.created_at",
        params![
            id,
            kind,
            slot.label,
            bytes,
            slot_checksum(&bytes).as_slice(),
            now
        ],
    )?;
    Ok(())
}

pub(crate) fn read_slot(conn: &Connection, id: &str) -> Result<Option<Keyslot>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = conn
        .query_row(
            "SELECT slot, checksum FROM keyslots WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((bytes, checksum)) = row else {
        return Ok(None);
    };
    let corrupt = || Error::KeyslotCorrupt(format!("鍵スロット {id}"));
    if slot_checksum(&bytes).as_slice() != checksum.as_slice() {
        return Err(corrupt());
    }
    Keyslot::from_bytes(&bytes).map(Some).map_err(|_| corrupt())
}

/// Whether the store still has format 1 (one data key), to be upgraded.
pub(crate) fn is_format_1(conn: &Connection) -> Result<bool> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'key_format'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.as_deref() != Some("2"))
}

/// Records format 2 and the ids of the current keys in `meta`.
pub(crate) fn write_key_meta(tx: &Connection, bundle: &KeyBundle) -> Result<()> {
    let mut pairs = vec![("key_format".to_owned(), "2".to_owned())];
    for (kind, id) in KeyKind::ALL.iter().zip(bundle.key_ids()) {
        let id = id.ok_or_else(|| Error::KeyslotCorrupt("鍵がそろっていません".into()))?;
        pairs.push((kind.meta_key().to_owned(), id.to_string()));
    }
    for (k, v) in pairs {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [k, v],
        )?;
    }
    Ok(())
}

/// The current key ids from `meta`, indexed like [`KeyKind::ALL`].
pub(crate) fn current_key_ids(conn: &Connection) -> Result<[Option<KeyId>; 5]> {
    let mut ids = [None; 5];
    for (slot, kind) in ids.iter_mut().zip(KeyKind::ALL) {
        let v: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [kind.meta_key()],
                |r| r.get(0),
            )
            .optional()?;
        *slot = v.and_then(|v| KeyId::parse(&v).ok());
    }
    Ok(ids)
}

fn write_grant(tx: &Connection, label: &str, role: &str, grant: &Grant, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO grants (label, role, sealed, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (label) DO UPDATE SET role = excluded.role, sealed = excluded.sealed,
           created_at = excluded.created_at",
        params![label, role, grant.to_bytes(), now],
    )?;
    Ok(())
}

fn read_grant(conn: &Connection, label: &str) -> Result<Option<Grant>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row("SELECT sealed FROM grants WHERE label = ?1", [label], |r| {
            r.get(0)
        })
        .optional()?;
    bytes
        .map(|b| Grant::from_bytes(&b))
        .transpose()
        .map_err(|_| Error::Tampered(format!("スタッフ {label} の鍵の割り当て")))
}

/// Seals every key to the recovery key's identity (its public key goes to `meta`).
pub(crate) fn write_recovery_grant(
    tx: &Connection,
    bundle: &KeyBundle,
    recovery: &RecoveryKey,
    now: &str,
) -> Result<()> {
    let public = Identity::from_recovery(recovery).public();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('recovery_public_key', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [data_encoding::HEXLOWER.encode(&public)],
    )?;
    let grant = Grant::seal(
        bundle,
        crate::crypto::ALL_KEYS,
        "recovery",
        "recovery",
        &public,
    )?;
    write_grant(tx, "recovery", "recovery", &grant, now)
}

/// The recovery key's public key, as recorded in `meta`.
pub(crate) fn recovery_public_key(conn: &Connection) -> Result<Option<[u8; 32]>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'recovery_public_key'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(
        v.and_then(|v| data_encoding::HEXLOWER.decode(v.as_bytes()).ok())
            .and_then(|b| <[u8; 32]>::try_from(b).ok()),
    )
}

/// Re-seals every active staff member's grant and the recovery grant with
/// `bundle` (after re-keying); deletes the grants of inactive staff.
pub(crate) fn regrant_all(
    tx: &Connection,
    keys: &Keys,
    bundle: &KeyBundle,
    now: &str,
) -> Result<()> {
    /// id, role, active, must change, public key, MAC.
    type Row = (String, String, bool, bool, Option<Vec<u8>>, Option<Vec<u8>>);
    let rows: Vec<Row> = {
        let mut stmt = tx.prepare(
            "SELECT id, role, active, must_change_password, public_key, mac FROM staff ORDER BY id",
        )?;
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    for (id, role, active, must_change, public, mac) in rows {
        let public: Option<[u8; 32]> = public.and_then(|p| p.try_into().ok());
        let expected = keys
            .staff_rows
            .mac(&id, &role, active, must_change, public.as_ref())?;
        if !mac.as_deref().is_some_and(|m| mac_equal(m, &expected)) {
            return Err(Error::Tampered(format!("スタッフ {id} の記録")));
        }
        match (active, public, role_mask(&role)) {
            (true, Some(public), Some(mask)) => {
                let grant = Grant::seal(bundle, mask, &id, &role, &public)?;
                write_grant(tx, &id, &role, &grant, now)?;
            }
            _ => {
                tx.execute("DELETE FROM grants WHERE label = ?1", [&id])?;
            }
        }
    }
    let public = recovery_public_key(tx)?
        .ok_or_else(|| Error::KeyslotCorrupt("回復キーの公開鍵がありません".into()))?;
    let grant = Grant::seal(
        bundle,
        crate::crypto::ALL_KEYS,
        "recovery",
        "recovery",
        &public,
    )?;
    write_grant(tx, "recovery", "recovery", &grant, now)
}

/// Writes the MAC of a staff row from its current columns.
pub(crate) fn seal_staff_row(tx: &Connection, keys: &Keys, staff_id: &str) -> Result<()> {
    let (role, active, must_change, public): (String, bool, bool, Option<Vec<u8>>) = tx.query_row(
        "SELECT role, active, must_change_password, public_key FROM staff WHERE id = ?1",
        [staff_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let public: Option<[u8; 32]> = public.and_then(|p| p.try_into().ok());
    let mac = keys
        .staff_rows
        .mac(staff_id, &role, active, must_change, public.as_ref())?;
    tx.execute(
        "UPDATE staff SET mac = ?2 WHERE id = ?1",
        params![staff_id, mac.as_slice()],
    )?;
    Ok(())
}

/// Gives a staff member a new identity: a password slot wrapping it, a grant
/// of their role's keys sealed to it, the public key and MAC in their row.
#[allow(clippy::too_many_arguments)]
pub(crate) fn issue_identity(
    tx: &Connection,
    keys: &Keys,
    staff_id: &str,
    role: Role,
    password: &str,
    kdf: &KdfParams,
    must_change: bool,
    now: &str,
) -> Result<()> {
    let identity = Identity::generate()?;
    let sid = slot_id("password", staff_id);
    let slot =
        Keyslot::seal_with_password(identity.slot_key(), staff_id, password.as_bytes(), *kdf)?;
    write_slot(tx, &sid, &slot, now)?;
    let mask = role_mask(role.as_str()).ok_or(StaffError::DamagedRole)?;
    let grant = Grant::seal(
        &keys.bundle,
        mask,
        staff_id,
        role.as_str(),
        &identity.public(),
    )?;
    write_grant(tx, staff_id, role.as_str(), &grant, now)?;
    tx.execute(
        "UPDATE staff SET public_key = ?2, keyslot_id = ?3, must_change_password = ?4 WHERE id = ?1",
        params![staff_id, identity.public().as_slice(), sid, must_change],
    )?;
    seal_staff_row(tx, keys, staff_id)
}

pub(crate) fn insert_staff(
    tx: &Connection,
    keys: &Keys,
    staff_id: &str,
    role: Role,
    password: &str,
    kdf: &KdfParams,
    now: &str,
) -> Result<StaffSession> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE id = ?1)",
        [staff_id],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StaffError::IdTaken.into());
    }
    tx.execute(
        "INSERT INTO staff (id, role, must_change_password, created_at) VALUES (?1, ?2, 1, ?3)",
        params![staff_id, role.as_str(), now],
    )?;
    issue_identity(tx, keys, staff_id, role, password, kdf, true, now)?;
    Ok(StaffSession {
        staff_id: staff_id.to_owned(),
        role,
        must_change_password: true,
    })
}

/// A staff account as listed for the manager (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    /// The staff id (sign-in name).
    pub id: String,
    /// The account's role.
    pub role: Role,
    /// `false` once deactivated: the account can no longer sign in, but stays for the audit trail.
    pub active: bool,
    /// The password was set by a manager and must be changed at the next sign-in.
    pub must_change_password: bool,
    /// RFC 3339 time until which the account is locked after failed sign-ins; `None` if not locked.
    pub locked_until: Option<String>,
}

struct StaffRow {
    role: Role,
    must_change: bool,
    locked_until: Option<String>,
    active: bool,
    public_key: Option<[u8; 32]>,
    mac: Option<Vec<u8>>,
}

fn staff_row(conn: &Connection, id: &str) -> Result<Option<StaffRow>> {
    let row = conn
        .query_row(
            "SELECT role, must_change_password, locked_until, active, public_key, mac
             FROM staff WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<Vec<u8>>>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((role, must_change, locked_until, active, public_key, mac)) => Some(StaffRow {
            role: Role::parse(&role)
                .ok_or_else(|| Error::Tampered(format!("スタッフ {id} の記録（役割）")))?,
            must_change,
            locked_until,
            active,
            public_key: public_key.and_then(|p| p.try_into().ok()),
            mac,
        }),
        None => None,
    })
}

/// Checks a staff row's MAC (FORMAT.md 8.6).
fn check_staff_mac(keys: &Keys, id: &str, row: &StaffRow) -> Result<()> {
    let expected = keys.staff_rows.mac(
        id,
        row.role.as_str(),
        row.active,
        row.must_change,
        row.public_key.as_ref(),
    )?;
    if row.mac.as_deref().is_some_and(|m| mac_equal(m, &expected)) {
        Ok(())
    } else {
        Err(Error::Tampered(format!("スタッフ {id} の記録")))
    }
}

/// Opens a staff member's grant with their identity and checks their row.
fn unlock_grant(
    conn: &Connection,
    staff_id: &str,
    row: &StaffRow,
    identity: &Identity,
) -> Result<Keys> {
    let damaged = || Error::Tampered(format!("スタッフ {staff_id} の鍵の割り当て"));
    if row.public_key != Some(identity.public()) {
        return Err(Error::Tampered(format!(
            "スタッフ {staff_id} の記録（公開鍵）"
        )));
    }
    let grant = read_grant(conn, staff_id)?.ok_or_else(damaged)?;
    let mask = role_mask(row.role.as_str()).ok_or_else(damaged)?;
    let ids = current_key_ids(conn)?;
    let bundle = grant
        .open(identity, staff_id, row.role.as_str(), mask, &ids)
        .map_err(|_| damaged())?;
    let keys = Keys::derive(bundle)?;
    check_staff_mac(&keys, staff_id, row)?;
    Ok(keys)
}

impl Store {
    /// Signs a staff member in: unwraps their identity from their keyslot and
    /// opens their role's grant (FORMAT.md 8.6).
    ///
    /// Failures count towards the lockout; the count and the lock are recorded
    /// in the audit log (folded into the keyed chain at the next unlock when
    /// the store is locked now). A store still in format 1 is upgraded at the
    /// first manager sign-in.
    pub fn sign_in(&mut self, staff_id: &str, password: &str) -> Result<StaffSession> {
        // Keys held past their 12 hours go first: this sign-in starts a new
        // day rather than extending the old one.
        let _ = self.drop_expired_keys(None);
        let now = self.clock().now();
        let now_s = self.now();
        let row = staff_row(self.conn(), staff_id)?;
        // An unknown id fails exactly like a wrong password, so ids cannot be probed.
        let Some(row) = row else {
            // An unknown id costs the same Argon2 run as a known one, so the
            // answer's timing does not tell which ids exist.
            let _ = crate::crypto::Identity::generate().and_then(|dummy| {
                Keyslot::seal_with_password(
                    dummy.slot_key(),
                    "unknown",
                    password.as_bytes(),
                    self.policy().kdf,
                )
                .map_err(|_| crate::crypto::CryptoError::Random)
            });
            self.record_failure(staff_id, "unknown_id", &now_s)?;
            return Err(Error::WrongCredentials);
        };
        if !row.active {
            self.record_failure(staff_id, "inactive", &now_s)?;
            return Err(Error::AccountInactive);
        }
        if let Some(until) = row
            .locked_until
            .as_deref()
            .and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok())
            && until > now
        {
            self.record_failure(staff_id, "locked", &now_s)?;
            let secs = (until - now).num_seconds();
            return Err(Error::AccountLocked {
                minutes: (secs + 59) / 60,
            });
        }
        let format_1 = is_format_1(self.conn())?;
        let Some(slot) = read_slot(self.conn(), &slot_id("password", staff_id))? else {
            return Err(if format_1 {
                Error::KeyslotCorrupt(format!("スタッフ {staff_id} の鍵スロットがありません"))
            } else {
                Error::ReissueNeeded
            });
        };
        // The slot's authenticated label must be the staff id it is stored
        // under: a slot copied from another account is refused before Argon2.
        if slot.label != staff_id {
            return Err(Error::Tampered(format!(
                "スタッフ {staff_id} の鍵スロット（別のスタッフのもの）"
            )));
        }
        match slot.open_with_password(password.as_bytes()) {
            Ok(opened) => {
                // A slot sealed under weaker Argon2 parameters than the
                // policy now asks is sealed again while the password is here.
                let resealed = match slot.kdf {
                    Some(kdf) if !format_1 && self.policy.security().wants_stronger_than(&kdf) => {
                        Some(Keyslot::seal_with_password(
                            &opened,
                            staff_id,
                            password.as_bytes(),
                            self.policy.kdf,
                        )?)
                    }
                    _ => None,
                };
                let keys = if format_1 {
                    if row.role != Role::Manager {
                        return Err(Error::UpgradeNeeded);
                    }
                    let (keys, recovery) = self.upgrade_format_1(
                        opened,
                        staff_id,
                        row.role,
                        password,
                        row.must_change,
                        None,
                    )?;
                    self.new_recovery_key = recovery;
                    keys
                } else {
                    unlock_grant(
                        self.conn(),
                        staff_id,
                        &row,
                        &Identity::from_slot_key(opened),
                    )?
                };
                let was_locked = self.keys.is_none();
                let keys = match self.keys.take() {
                    // Keys already in memory (the kiosk, unlocked earlier
                    // today) must be of the same generation; what the new
                    // grant adds joins them.
                    Some(held) => {
                        if held
                            .bundle
                            .key_ids()
                            .iter()
                            .zip(keys.bundle.key_ids())
                            .any(|(a, b)| matches!((a, b), (Some(a), Some(b)) if *a != b))
                        {
                            self.keys = Some(held);
                            return Err(Error::KeyslotCorrupt(
                                "鍵スロットが別の保存ファイルのものです".into(),
                            ));
                        }
                        let mut merged = held.bundle.restrict(held.bundle.mask())?;
                        merged.merge_missing(&keys.bundle);
                        Keys::derive(merged)?
                    }
                    None => keys,
                };
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                    [staff_id],
                )?;
                let head = audit::head(&tx)?;
                audit::fold_pending(&tx, &keys.audit, head)?;
                // The lockout just applied used the stored policy unchecked;
                // now that a key is here, a changed policy is refused.
                match security_policy::verify(&tx, &keys) {
                    Ok(Some(_)) => {}
                    Ok(None) if row.role == Role::Manager => {
                        security_policy::write(&tx, &keys, &self.policy.security())?;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        drop(tx);
                        // Keys already held (the kiosk) are dropped too: the
                        // store cannot be trusted until the damage is seen to.
                        self.lock();
                        return Err(e);
                    }
                }
                if let Some(slot) = &resealed {
                    write_slot(&tx, &slot_id("password", staff_id), slot, &now_s)?;
                    record_in(
                        &tx,
                        &keys,
                        &now_s,
                        staff_id,
                        AuditAction::KeyChange,
                        staff_id,
                        &["kdf"],
                        "kdf_upgraded",
                    )?;
                }
                record_in(
                    &tx,
                    &keys,
                    &now_s,
                    staff_id,
                    AuditAction::SignIn,
                    staff_id,
                    &[],
                    "ok",
                )?;
                tx.commit()?;
                if was_locked {
                    self.unlocked_at = Some(now);
                }
                self.keys = Some(keys);
                Ok(StaffSession {
                    staff_id: staff_id.to_owned(),
                    role: row.role,
                    must_change_password: row.must_change,
                })
            }
            Err(KeyslotError::WrongSecret) => {
                let attempts = self.policy().lockout_attempts;
                let duration = self.policy().lockout_duration;
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                // The count is incremented in SQL inside this transaction, so
                // parallel attempts each count.
                let failed: u32 = tx.query_row(
                    "UPDATE staff SET failed_attempts = failed_attempts + 1 WHERE id = ?1
                     RETURNING failed_attempts",
                    [staff_id],
                    |r| r.get(0),
                )?;
                let lock = failed >= attempts;
                if lock {
                    let until =
                        (now + duration).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
                    tx.execute(
                        "UPDATE staff SET failed_attempts = 0, locked_until = ?2 WHERE id = ?1",
                        params![staff_id, until],
                    )?;
                }
                log_event(
                    &tx,
                    self.keys.as_ref(),
                    &now_s,
                    staff_id,
                    AuditAction::SignInFailed,
                    &format!("wrong_password_{failed}"),
                )?;
                if lock {
                    log_event(
                        &tx,
                        self.keys.as_ref(),
                        &now_s,
                        staff_id,
                        AuditAction::AccountLocked,
                        "ok",
                    )?;
                }
                tx.commit()?;
                if lock {
                    let minutes = self.policy().lockout_duration.num_minutes();
                    Err(Error::AccountLocked { minutes })
                } else {
                    Err(Error::WrongCredentials)
                }
            }
            Err(other) => Err(other.into()),
        }
    }

    fn record_failure(&mut self, staff_id: &str, why: &str, now: &str) -> Result<()> {
        // Never put an arbitrary typed id into the log verbatim: it may be a
        // mistyped password. Unknown ids are logged as a fixed marker.
        let actor = if why == "unknown_id" {
            "(unknown)"
        } else {
            staff_id
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        log_event(
            &tx,
            self.keys.as_ref(),
            now,
            actor,
            AuditAction::SignInFailed,
            why,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records a sign-out (the kiosk keeps the store unlocked for check-ins).
    pub fn sign_out(&mut self, session: &StaffSession) -> Result<()> {
        self.record(
            &Actor::Staff(session.clone()),
            AuditAction::SignOut,
            session.staff_id(),
            &[],
            "ok",
        )
    }

    /// Changes the signed-in staff member's password: a new identity, slot
    /// and grant. Clears the first-sign-in flag.
    pub fn change_password(
        &mut self,
        session: &mut StaffSession,
        new_password: &str,
    ) -> Result<()> {
        check_password_policy(&session.staff_id, new_password)?;
        let now = self.now();
        let kdf = self.policy().kdf;
        let (tx, keys, _, _) = self.write_tx()?;
        issue_identity(
            &tx,
            keys,
            &session.staff_id,
            session.role,
            new_password,
            &kdf,
            false,
            &now,
        )?;
        tx.execute(
            "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
            [&session.staff_id],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            &session.staff_id,
            AuditAction::KeyChange,
            &session.staff_id,
            &["password"],
            "ok",
        )?;
        tx.commit()?;
        session.must_change_password = false;
        Ok(())
    }

    /// The manager adds an account; its first password must be changed at first sign-in.
    pub fn add_staff(
        &mut self,
        manager: &StaffSession,
        staff_id: &str,
        role: Role,
        initial_password: &str,
    ) -> Result<()> {
        manager.require_manager()?;
        validate_staff_id(staff_id)?;
        check_password_policy(staff_id, initial_password)?;
        let now = self.now();
        let kdf = self.policy().kdf;
        let (tx, keys, _, _) = self.write_tx()?;
        insert_staff(&tx, keys, staff_id, role, initial_password, &kdf, &now)?;
        record_in(
            &tx,
            keys,
            &now,
            manager.staff_id(),
            AuditAction::StaffCreate,
            staff_id,
            &["role"],
            role.as_str(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The security policy in force (the stored one, tightened by the
    /// configuration where it is stricter).
    pub fn security_policy(&self) -> SecurityPolicy {
        self.policy.security()
    }

    /// `tsudoi staff policy set`: a manager sets the security policy; it
    /// must reach the floor ([`SecurityPolicy::check_floor`]). Stored with
    /// its MAC and audited with the names of the settings that changed.
    /// Password slots move to new Argon2 parameters at their next sign-in.
    pub fn set_security_policy(
        &mut self,
        manager: &StaffSession,
        new: SecurityPolicy,
    ) -> Result<Vec<&'static str>> {
        manager.require_manager()?;
        new.check_floor()?;
        let old = self.policy.security();
        let mut changed = Vec::new();
        if old.lockout_attempts != new.lockout_attempts {
            changed.push("lockout_attempts");
        }
        if old.lockout_minutes != new.lockout_minutes {
            changed.push("lockout_minutes");
        }
        if old.kdf != new.kdf {
            changed.push("kdf");
        }
        if old.reverify_after_months != new.reverify_after_months {
            changed.push("reverify_after_months");
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        security_policy::write(&tx, keys, &new)?;
        record_in(
            &tx,
            keys,
            &now,
            manager.staff_id(),
            AuditAction::PolicyChange,
            "security_policy",
            &changed,
            "ok",
        )?;
        tx.commit()?;
        self.policy.set_security(&new);
        Ok(changed)
    }

    /// The manager revokes an account (someone left): its keyslot and grant
    /// are destroyed and the store is re-keyed in the same transaction
    /// (FORMAT.md 8.8), so the old password with an old copy of the file
    /// opens nothing written from now on; then the files are scrubbed.
    pub fn deactivate_staff(&mut self, manager: &StaffSession, staff_id: &str) -> Result<()> {
        manager.require_manager()?;
        if staff_id == manager.staff_id() {
            return Err(StaffError::DeactivateSelf.into());
        }
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        let row = staff_row(&tx, staff_id)?.ok_or(Error::NotFound {
            what: "スタッフ"
        })?;
        check_staff_mac(keys, staff_id, &row)?;
        tx.execute(
            "UPDATE staff SET active = 0, keyslot_id = NULL WHERE id = ?1",
            [staff_id],
        )?;
        seal_staff_row(&tx, keys, staff_id)?;
        tx.execute(
            "DELETE FROM keyslots WHERE id = ?1",
            [slot_id("password", staff_id)],
        )?;
        tx.execute("DELETE FROM grants WHERE label = ?1", [staff_id])?;
        let (new, report) = super::rekey::rekey_in(&tx, keys, bits, &now)?;
        record_in(
            &tx,
            &new,
            &now,
            manager.staff_id(),
            AuditAction::StaffDeactivate,
            staff_id,
            &[],
            "ok",
        )?;
        record_in(
            &tx,
            &new,
            &now,
            manager.staff_id(),
            AuditAction::KeyChange,
            "store",
            &["personal_key", "statistics_key"],
            &format!(
                "rotated_participants_{}_cards_{}_applications_{}",
                report.participants, report.cards, report.applications
            ),
        )?;
        tx.commit()?;
        self.keys = Some(new);
        self.scrub_files()
    }

    /// Lists the accounts (manager only). A row whose MAC does not match is
    /// refused by name.
    pub fn staff_accounts(&self, manager: &StaffSession) -> Result<Vec<StaffAccount>> {
        manager.require_manager()?;
        self.checked_staff_accounts()
    }

    /// Every account, each row's MAC checked; for callers that decide who may
    /// see what (the inspection summary shows only counts by role).
    pub(crate) fn checked_staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        let keys = self.keys()?;
        let ids: Vec<String> = {
            let mut stmt = self.conn().prepare("SELECT id FROM staff ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for id in ids {
            let row = staff_row(self.conn(), &id)?.ok_or(Error::NotFound {
                what: "スタッフ"
            })?;
            check_staff_mac(keys, &id, &row)?;
            out.push(StaffAccount {
                id,
                role: row.role,
                active: row.active,
                must_change_password: row.must_change,
                locked_until: row.locked_until,
            });
        }
        Ok(out)
    }

    /// With the recovery key (kept sealed by the ward), sets a new password for
    /// an account, e.g. when the only manager forgot theirs, or to re-issue an
    /// account after the upgrade to format 2. The account must change it
    /// again at the next sign-in.
    pub fn reset_password_with_recovery(
        &mut self,
        recovery: &RecoveryKey,
        staff_id: &str,
        new_password: &str,
    ) -> Result<()> {
        check_password_policy(staff_id, new_password)?;
        let wrong = || Error::from(StaffError::WrongRecoveryKey);
        let row = staff_row(self.conn(), staff_id)?
            .filter(|r| r.active)
            .ok_or(Error::NotFound {
                what: "スタッフ"
            })?;
        if is_format_1(self.conn())? {
            // Format 1: the recovery slot holds the one data key; the upgrade
            // runs now, keeping this recovery key.
            let slot = read_slot(self.conn(), &slot_id("recovery", "recovery"))?
                .ok_or_else(|| Error::KeyslotCorrupt("回復用の鍵スロットがありません".into()))?;
            let data = slot.open_with_recovery(recovery).map_err(|e| match e {
                KeyslotError::WrongSecret => wrong(),
                other => other.into(),
            })?;
            let (keys, _) = self.upgrade_format_1(
                data,
                staff_id,
                row.role,
                new_password,
                true,
                Some(recovery),
            )?;
            return self.finish_recovery(keys, staff_id);
        }
        let keys = self.keys_from_recovery(recovery)?;
        check_staff_mac(&keys, staff_id, &row)?;
        let now = self.now();
        let kdf = self.policy().kdf;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        issue_identity(
            &tx,
            &keys,
            staff_id,
            row.role,
            new_password,
            &kdf,
            true,
            &now,
        )?;
        tx.execute(
            "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
            [staff_id],
        )?;
        tx.commit()?;
        self.finish_recovery(keys, staff_id)
    }

    /// Every key, opened from the recovery grant with the printed recovery
    /// key (format 2 only). Nothing is recorded.
    pub(crate) fn keys_from_recovery(&self, recovery: &RecoveryKey) -> Result<Keys> {
        let identity = Identity::from_recovery(recovery);
        if recovery_public_key(self.conn())? != Some(identity.public()) {
            return Err(StaffError::WrongRecoveryKey.into());
        }
        let grant = read_grant(self.conn(), "recovery")?
            .ok_or_else(|| Error::Tampered("回復キーの鍵の割り当て".into()))?;
        let ids = current_key_ids(self.conn())?;
        let bundle = grant
            .open(
                &identity,
                "recovery",
                "recovery",
                crate::crypto::ALL_KEYS,
                &ids,
            )
            .map_err(|_| Error::Tampered("回復キーの鍵の割り当て".into()))?;
        Keys::derive(bundle)
    }

    /// Folds waiting audit entries and records the recovery unlock.
    fn finish_recovery(&mut self, keys: Keys, staff_id: &str) -> Result<()> {
        let now = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let head = audit::head(&tx)?;
        audit::fold_pending(&tx, &keys.audit, head)?;
        record_in(
            &tx,
            &keys,
            &now,
            "recovery",
            AuditAction::RecoveryUnlock,
            staff_id,
            &["password"],
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Writes a keyed entry when the key is at hand, otherwise a pending one.
fn log_event(
    tx: &Transaction<'_>,
    keys: Option<&Keys>,
    now: &str,
    actor: &str,
    action: AuditAction,
    result: &str,
) -> Result<()> {
    match keys {
        Some(keys) => record_in(tx, keys, now, actor, action, actor, &[], result),
        None => Ok(audit::append_pending(
            tx,
            &AuditEvent {
                at: now.to_owned(),
                actor,
                action,
                record_id: actor,
                fields: &[],
                result,
            },
        )?),
    }
}
