//! The security policy (FORMAT.md 8.10): lockout, Argon2id parameters and
//! the re-verification interval, set by a manager, kept in the store with a
//! MAC under the audit key, so neither a configuration file nor an edit
//! with `sqlite3` can weaken it unnoticed.
//!
//! Before anyone has signed in the store has no key, so the lockout that
//! guards the sign-in itself reads the stored values unauthenticated; the
//! first successful sign-in checks the MAC and refuses to go on if it does
//! not match. Someone who can write the file could equally reset the
//! failure counter, so this loses nothing, and the edit is then found.

use rusqlite::{Connection, OptionalExtension, params};

use super::Keys;
use super::errors::PolicyError;
use crate::crypto::{KdfParams, mac_equal};
use crate::error::{Error, Result};

const POLICY_KEY: &str = "security_policy";
const MAC_KEY: &str = "security_policy_mac";

/// The settings a manager controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// Failed sign-ins before an account locks.
    pub lockout_attempts: u32,
    /// How long a locked account stays locked, in minutes.
    pub lockout_minutes: u32,
    /// Argon2id parameters for password keyslots; older slots are re-sealed
    /// with these at their owner's next sign-in.
    pub kdf: KdfParams,
    /// Months after which a resident's ID document is checked again.
    pub reverify_after_months: u32,
}

impl SecurityPolicy {
    /// Most failed sign-ins a policy may allow before locking.
    pub const MAX_LOCKOUT_ATTEMPTS: u32 = 10;
    /// Shortest lock a policy may set, in minutes.
    pub const MIN_LOCKOUT_MINUTES: u32 = 5;
    /// Longest lock, a day.
    pub const MAX_LOCKOUT_MINUTES: u32 = 1440;
    /// Longest re-verification interval, five years.
    pub const MAX_REVERIFY_MONTHS: u32 = 60;

    /// Checks the floor every policy set from outside must reach: at most
    /// [`Self::MAX_LOCKOUT_ATTEMPTS`] attempts, a lock of
    /// [`Self::MIN_LOCKOUT_MINUTES`]–[`Self::MAX_LOCKOUT_MINUTES`] minutes,
    /// Argon2id at or above OWASP's floor (19 MiB, 2 passes), and
    /// re-verification within [`Self::MAX_REVERIFY_MONTHS`] months.
    ///
    /// # Errors
    /// [`PolicyError`] naming the setting and its allowed range.
    pub fn check_floor(&self) -> Result<()> {
        if !(1..=Self::MAX_LOCKOUT_ATTEMPTS).contains(&self.lockout_attempts) {
            return Err(PolicyError::LockoutAttempts {
                most: Self::MAX_LOCKOUT_ATTEMPTS,
            }
            .into());
        }
        if !(Self::MIN_LOCKOUT_MINUTES..=Self::MAX_LOCKOUT_MINUTES).contains(&self.lockout_minutes)
        {
            return Err(PolicyError::LockoutMinutes {
                least: Self::MIN_LOCKOUT_MINUTES,
                most: Self::MAX_LOCKOUT_MINUTES,
            }
            .into());
        }
        if !self.kdf.meets_minimum_strength() {
            return Err(PolicyError::WeakKdf {
                memory_kib: KdfParams::OWASP_MIN_M_COST_KIB,
                passes: KdfParams::OWASP_MIN_T_COST,
            }
            .into());
        }
        if !(1..=Self::MAX_REVERIFY_MONTHS).contains(&self.reverify_after_months) {
            return Err(PolicyError::ReverifyMonths {
                most: Self::MAX_REVERIFY_MONTHS,
            }
            .into());
        }
        Ok(())
    }

    /// The stricter of two policies, setting by setting: a configuration
    /// file may tighten the stored policy on one device, never loosen it.
    pub fn stricter(&self, other: &SecurityPolicy) -> SecurityPolicy {
        // Lanes add no strength here; keep those of the policy asking for more work.
        let more_work =
            if (other.kdf.m_cost_kib, other.kdf.t_cost) > (self.kdf.m_cost_kib, self.kdf.t_cost) {
                other
            } else {
                self
            };
        let kdf = KdfParams {
            m_cost_kib: self.kdf.m_cost_kib.max(other.kdf.m_cost_kib),
            t_cost: self.kdf.t_cost.max(other.kdf.t_cost),
            p_cost: more_work.kdf.p_cost,
        };
        SecurityPolicy {
            lockout_attempts: self.lockout_attempts.min(other.lockout_attempts),
            lockout_minutes: self.lockout_minutes.max(other.lockout_minutes),
            kdf,
            reverify_after_months: self.reverify_after_months.min(other.reverify_after_months),
        }
    }

    /// Whether a slot sealed with `kdf` is weaker than this policy asks.
    pub fn wants_stronger_than(&self, kdf: &KdfParams) -> bool {
        kdf.m_cost_kib < self.kdf.m_cost_kib || kdf.t_cost < self.kdf.t_cost
    }

    /// The canonical text the MAC covers (FORMAT.md 8.10).
    pub fn canonical(&self) -> String {
        format!(
            "v1 lockout_attempts={} lockout_minutes={} kdf_m={} kdf_t={} kdf_p={} reverify_months={}",
            self.lockout_attempts,
            self.lockout_minutes,
            self.kdf.m_cost_kib,
            self.kdf.t_cost,
            self.kdf.p_cost,
            self.reverify_after_months
        )
    }

    /// Parses [`SecurityPolicy::canonical`]'s text; `None` if it is not exactly that.
    pub fn parse(text: &str) -> Option<SecurityPolicy> {
        let mut parts = text.split(' ');
        if parts.next()? != "v1" {
            return None;
        }
        let mut field = |name: &str| -> Option<u32> {
            let (k, v) = parts.next()?.split_once('=')?;
            if k != name || v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            v.parse().ok()
        };
        let policy = SecurityPolicy {
            lockout_attempts: field("lockout_attempts")?,
            lockout_minutes: field("lockout_minutes")?,
            kdf: KdfParams {
                m_cost_kib: field("kdf_m")?,
                t_cost: field("kdf_t")?,
                p_cost: field("kdf_p")?,
            },
            reverify_after_months: field("reverify_months")?,
        };
        if parts.next().is_some() || policy.kdf.validate().is_err() {
            return None;
        }
        (policy.canonical() == text).then_some(policy)
    }
}

fn damaged() -> Error {
    Error::Tampered("セキュリティ設定（meta の security_policy）".into())
}

/// The stored policy, unauthenticated (the store may be locked); `None`
/// when none is stored yet (a store made before the policy moved here).
///
/// # Errors
/// [`Error::Tampered`] when a stored text does not parse.
pub(crate) fn read(conn: &Connection) -> Result<Option<SecurityPolicy>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [POLICY_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    match text {
        None => Ok(None),
        Some(t) => SecurityPolicy::parse(&t).map(Some).ok_or_else(damaged),
    }
}

/// Checks the stored policy's MAC with the keys just unlocked.
///
/// # Errors
/// [`Error::Tampered`] when the text or its MAC was changed, or one of the
/// two rows removed.
pub(crate) fn verify(conn: &Connection, keys: &Keys) -> Result<Option<SecurityPolicy>> {
    let policy = read(conn)?;
    let mac: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [MAC_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    match (policy, mac) {
        (None, None) => {
            // Both rows gone from a store whose policy a manager once set:
            // the keyed audit chain still holds that change.
            let changed: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM audit WHERE action = 'policy_change')",
                [],
                |r| r.get(0),
            )?;
            if changed { Err(damaged()) } else { Ok(None) }
        }
        (Some(p), Some(mac)) => {
            let expected = keys.policy.mac(&p.canonical())?;
            let given = data_encoding::HEXLOWER
                .decode(mac.as_bytes())
                .map_err(|_| damaged())?;
            if mac_equal(&given, &expected) {
                Ok(Some(p))
            } else {
                Err(damaged())
            }
        }
        _ => Err(damaged()),
    }
}

/// Stores the policy with its MAC (inside the caller's transaction).
pub(crate) fn write(tx: &Connection, keys: &Keys, policy: &SecurityPolicy) -> Result<()> {
    let text = policy.canonical();
    let mac = data_encoding::HEXLOWER.encode(&keys.policy.mac(&text)?);
    for (k, v) in [(POLICY_KEY, text), (MAC_KEY, mac)] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![k, v],
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn owasp() -> SecurityPolicy {
        SecurityPolicy {
            lockout_attempts: 5,
            lockout_minutes: 15,
            kdf: KdfParams {
                m_cost_kib: 19 * 1024,
                t_cost: 2,
                p_cost: 1,
            },
            reverify_after_months: 24,
        }
    }

    #[test]
    fn canonical_text_round_trips_and_nothing_else_parses() {
        let p = owasp();
        assert_eq!(
            p.canonical(),
            "v1 lockout_attempts=5 lockout_minutes=15 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24"
        );
        assert_eq!(SecurityPolicy::parse(&p.canonical()), Some(p));
        for bad in [
            "",
            "v2 lockout_attempts=5 lockout_minutes=15 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24",
            "v1 lockout_attempts=05 lockout_minutes=15 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24",
            "v1 lockout_minutes=15 lockout_attempts=5 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24",
            "v1 lockout_attempts=5 lockout_minutes=15 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24 x=1",
            "v1 lockout_attempts=5 lockout_minutes=15 kdf_m=0 kdf_t=2 kdf_p=1 reverify_months=24",
            "v1 lockout_attempts=-5 lockout_minutes=15 kdf_m=19456 kdf_t=2 kdf_p=1 reverify_months=24",
        ] {
            assert_eq!(SecurityPolicy::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_floor_refuses_each_weak_setting() {
        assert!(owasp().check_floor().is_ok());
        let weak = [
            SecurityPolicy {
                lockout_attempts: 11,
                ..owasp()
            },
            SecurityPolicy {
                lockout_minutes: 4,
                ..owasp()
            },
            SecurityPolicy {
                kdf: KdfParams {
                    m_cost_kib: 19 * 1024 - 1,
                    t_cost: 2,
                    p_cost: 1,
                },
                ..owasp()
            },
            SecurityPolicy {
                kdf: KdfParams {
                    m_cost_kib: 64 * 1024,
                    t_cost: 1,
                    p_cost: 1,
                },
                ..owasp()
            },
            SecurityPolicy {
                reverify_after_months: 61,
                ..owasp()
            },
        ];
        for w in weak {
            assert!(w.check_floor().is_err(), "{w:?}");
        }
    }

    #[test]
    fn a_configuration_can_tighten_but_not_loosen() {
        let stored = owasp();
        let loose = SecurityPolicy {
            lockout_attempts: 10,
            lockout_minutes: 5,
            kdf: KdfParams {
                m_cost_kib: 19 * 1024,
                t_cost: 2,
                p_cost: 4,
            },
            reverify_after_months: 60,
        };
        assert_eq!(stored.stricter(&loose), stored);
        let tight = SecurityPolicy {
            lockout_attempts: 3,
            lockout_minutes: 60,
            kdf: KdfParams {
                m_cost_kib: 64 * 1024,
                t_cost: 3,
                p_cost: 2,
            },
            reverify_after_months: 12,
        };
        assert_eq!(stored.stricter(&tight), tight);
        assert_eq!(tight.stricter(&stored), tight);
    }
}
