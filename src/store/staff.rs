//! Staff accounts, roles, sign-in with lockout, and their keyslots.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::audit::{self, AuditAction, AuditEvent};
use super::{Actor, Keys, Store, record_in};
use crate::crypto::{DataKey, KdfParams, Keyslot, RecoveryKey, SlotKind};
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
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Handler => "handler",
            Role::Operator => "operator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Manager => "取扱責任者",
            Role::Handler => "取扱者",
            Role::Operator => "運営者",
        }
    }

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
    pub fn staff_id(&self) -> &str {
        &self.staff_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

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
        Err(Error::Invalid(
            "スタッフIDは半角の英数字（- _ . も可）で2〜32文字にしてください。氏名は使わないでください。"
                .into(),
        ))
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

fn slot_id(kind: &str, label: &str) -> String {
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
         ON CONFLICT (id) DO UPDATE SET slot = excluded.slot, checksum = excluded.checksum,
           created_at = excluded.created_at",
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

fn read_slot(conn: &Connection, id: &str) -> Result<Option<Keyslot>> {
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

pub(crate) fn insert_recovery_slot(
    tx: &Connection,
    data: &DataKey,
    recovery: &RecoveryKey,
    now: &str,
) -> Result<()> {
    let slot = Keyslot::seal_with_recovery(data, recovery)?;
    write_slot(tx, &slot_id("recovery", "recovery"), &slot, now)
}

pub(crate) fn insert_staff(
    tx: &Connection,
    data: &DataKey,
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
        return Err(Error::Invalid(
            "そのスタッフIDはすでに使われています。".into(),
        ));
    }
    let sid = slot_id("password", staff_id);
    let slot = Keyslot::seal_with_password(data, staff_id, password.as_bytes(), *kdf)?;
    write_slot(tx, &sid, &slot, now)?;
    tx.execute(
        "INSERT INTO staff (id, role, must_change_password, created_at, keyslot_id)
         VALUES (?1, ?2, 1, ?3, ?4)",
        params![staff_id, role.as_str(), now, sid],
    )?;
    Ok(StaffSession {
        staff_id: staff_id.to_owned(),
        role,
        must_change_password: true,
    })
}

/// A staff account as listed for the manager (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: String,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_until: Option<String>,
}

struct StaffRow {
    role: Role,
    must_change: bool,
    failed: u32,
    locked_until: Option<String>,
    active: bool,
}

fn staff_row(conn: &Connection, id: &str) -> Result<Option<StaffRow>> {
    let row = conn
        .query_row(
            "SELECT role, must_change_password, failed_attempts, locked_until, active FROM staff WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((role, must_change, failed, locked_until, active)) => Some(StaffRow {
            role: Role::parse(&role)
                .ok_or_else(|| Error::Invalid("スタッフの役割が壊れています。".into()))?,
            must_change,
            failed,
            locked_until,
            active,
        }),
        None => None,
    })
}

impl Store {
    /// Signs a staff member in: unwraps the data key from their keyslot.
    ///
    /// Failures count towards the lockout; the count and the lock are recorded
    /// in the audit log (folded into the keyed chain at the next unlock when
    /// the store is locked now).
    pub fn sign_in(&mut self, staff_id: &str, password: &str) -> Result<StaffSession> {
        let now = self.clock().now();
        let now_s = self.now();
        let row = staff_row(self.conn(), staff_id)?;
        // An unknown id fails exactly like a wrong password, so ids cannot be probed.
        let Some(row) = row else {
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
        let slot = read_slot(self.conn(), &slot_id("password", staff_id))?.ok_or_else(|| {
            Error::KeyslotCorrupt(format!("スタッフ {staff_id} の鍵スロットがありません"))
        })?;
        match slot.open_with_password(password.as_bytes()) {
            Ok(data) => {
                if let Some(keys) = &self.keys
                    && keys.key_id != data.key_id()
                {
                    return Err(Error::KeyslotCorrupt(
                        "鍵スロットが別の保存ファイルのものです".into(),
                    ));
                }
                let keys = Keys::derive(data)?;
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                    [staff_id],
                )?;
                let head = audit::head(&tx)?;
                audit::fold_pending(&tx, &keys.audit, head)?;
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
                self.keys = Some(keys);
                Ok(StaffSession {
                    staff_id: staff_id.to_owned(),
                    role: row.role,
                    must_change_password: row.must_change,
                })
            }
            Err(crate::crypto::KeyslotError::WrongSecret) => {
                let failed = row.failed + 1;
                let lock = failed >= self.policy().lockout_attempts;
                let until = lock.then(|| {
                    (now + self.policy().lockout_duration)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                });
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "UPDATE staff SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
                    params![staff_id, if lock { 0 } else { failed }, until],
                )?;
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

    /// Changes the signed-in staff member's password: re-wraps their keyslot
    /// under the new password. Clears the first-sign-in flag.
    pub fn change_password(
        &mut self,
        session: &mut StaffSession,
        new_password: &str,
    ) -> Result<()> {
        check_password_policy(&session.staff_id, new_password)?;
        let now = self.now();
        let kdf = self.policy().kdf;
        let (tx, keys, _, _) = self.write_tx()?;
        let slot = Keyslot::seal_with_password(
            &keys.data,
            &session.staff_id,
            new_password.as_bytes(),
            kdf,
        )?;
        write_slot(&tx, &slot_id("password", &session.staff_id), &slot, &now)?;
        tx.execute(
            "UPDATE staff SET must_change_password = 0, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
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
        insert_staff(
            &tx,
            &keys.data,
            staff_id,
            role,
            initial_password,
            &kdf,
            &now,
        )?;
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

    /// The manager revokes an account (someone left): its keyslot is destroyed.
    pub fn deactivate_staff(&mut self, manager: &StaffSession, staff_id: &str) -> Result<()> {
        manager.require_manager()?;
        if staff_id == manager.staff_id() {
            return Err(Error::Invalid(
                "自分自身のアカウントは無効にできません。".into(),
            ));
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let n = tx.execute(
            "UPDATE staff SET active = 0, keyslot_id = NULL WHERE id = ?1",
            [staff_id],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "スタッフ"
            });
        }
        tx.execute(
            "DELETE FROM keyslots WHERE id = ?1",
            [slot_id("password", staff_id)],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            manager.staff_id(),
            AuditAction::StaffDeactivate,
            staff_id,
            &[],
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Lists the accounts (manager only).
    pub fn staff_accounts(&self, manager: &StaffSession) -> Result<Vec<StaffAccount>> {
        manager.require_manager()?;
        let mut stmt = self.conn().prepare(
            "SELECT id, role, active, must_change_password, locked_until FROM staff ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, role, active, must_change_password, locked_until) = row?;
            out.push(StaffAccount {
                id,
                role: Role::parse(&role).unwrap_or(Role::Operator),
                active,
                must_change_password,
                locked_until,
            });
        }
        Ok(out)
    }

    /// With the recovery key (kept sealed by the ward), sets a new password for
    /// an account, e.g. when the only manager forgot theirs. The account must
    /// change it again at the next sign-in.
    pub fn reset_password_with_recovery(
        &mut self,
        recovery: &RecoveryKey,
        staff_id: &str,
        new_password: &str,
    ) -> Result<()> {
        check_password_policy(staff_id, new_password)?;
        let slot = read_slot(self.conn(), &slot_id("recovery", "recovery"))?
            .ok_or_else(|| Error::KeyslotCorrupt("回復用の鍵スロットがありません".into()))?;
        let data = slot.open_with_recovery(recovery).map_err(|e| match e {
            crate::crypto::KeyslotError::WrongSecret => Error::Invalid(
                "回復キーが違います。封筒に保管された回復キーを確かめてください。".into(),
            ),
            other => other.into(),
        })?;
        let keys = Keys::derive(data)?;
        let now = self.now();
        let kdf = self.policy().kdf;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if staff_row(&tx, staff_id)?.is_none_or(|r| !r.active) {
            return Err(Error::NotFound {
                what: "スタッフ"
            });
        }
        let new_slot =
            Keyslot::seal_with_password(&keys.data, staff_id, new_password.as_bytes(), kdf)?;
        write_slot(&tx, &slot_id("password", staff_id), &new_slot, &now)?;
        tx.execute(
            "UPDATE staff SET must_change_password = 1, failed_attempts = 0, locked_until = NULL,
               keyslot_id = ?2 WHERE id = ?1",
            params![staff_id, slot_id("password", staff_id)],
        )?;
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
