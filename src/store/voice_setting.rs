//! The kiosk's spoken guidance as staff set it on 「音声案内」 (issue 18,
//! docs/dev/voice.md): on or off, the volume, quiet mode. Kept in the
//! store's `meta` table (key `voice_setting`, one line of text), so that
//! it survives a restart and overrides the configuration file's `[voice]`
//! (which the service user cannot write: `/etc/tsudoi` is root's). Not
//! personal and not secret: read without a sign-in (the kiosk opens its
//! speaker before anyone signs in); each change is audited
//! (`voice_change`: who, which settings, the new values).

use rusqlite::{Connection, OptionalExtension, params};

use super::audit::AuditAction;
use super::errors::StoreError;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

const KEY: &str = "voice_setting";

/// What staff set: the parts of `[voice]` that change during the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceSetting {
    /// Whether the kiosk speaks at all.
    pub enabled: bool,
    /// 0 (silent) to 100 (the clips as recorded).
    pub volume: u8,
    /// Quiet mode for events: routine confirmations unsaid, the rest at
    /// half volume.
    pub quiet: bool,
}

impl VoiceSetting {
    /// The loudest volume.
    pub const MAX_VOLUME: u8 = 100;

    /// The stored text: `v1 enabled=1 volume=80 quiet=0`.
    pub fn canonical(&self) -> String {
        format!(
            "v1 enabled={} volume={} quiet={}",
            u8::from(self.enabled),
            self.volume,
            u8::from(self.quiet)
        )
    }

    /// The text of [`Self::canonical`] and nothing else.
    pub fn parse(text: &str) -> Option<VoiceSetting> {
        let rest = text.strip_prefix("v1 enabled=")?;
        let (enabled, rest) = rest.split_once(" volume=")?;
        let (volume, quiet) = rest.split_once(" quiet=")?;
        let flag = |s: &str| match s {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        let v = VoiceSetting {
            enabled: flag(enabled)?,
            volume: volume.parse().ok()?,
            quiet: flag(quiet)?,
        };
        (v.volume <= Self::MAX_VOLUME && v.canonical() == text).then_some(v)
    }

    /// The names of the settings that differ from `old` (the audit entry's
    /// fields).
    pub fn changed_from(&self, old: &VoiceSetting) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.enabled != old.enabled {
            changed.push("enabled");
        }
        if self.volume != old.volume {
            changed.push("volume");
        }
        if self.quiet != old.quiet {
            changed.push("quiet");
        }
        changed
    }
}

/// The stored setting, or `None` when staff never set one (the
/// configuration file's `[voice]` then holds).
///
/// # Errors
/// [`Error::Tampered`] when the stored text does not parse.
pub(crate) fn read(conn: &Connection) -> Result<Option<VoiceSetting>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
        .optional()?;
    match text {
        None => Ok(None),
        Some(t) => VoiceSetting::parse(&t)
            .map(Some)
            .ok_or_else(|| Error::Tampered("音声案内の設定（meta の voice_setting）".into())),
    }
}

impl Store {
    /// The voice setting staff stored, if any (no sign-in needed).
    ///
    /// # Errors
    /// A database error, or [`Error::Tampered`] for a text that does not
    /// parse.
    pub fn voice_setting(&self) -> Result<Option<VoiceSetting>> {
        read(&self.conn)
    }

    /// Stores a new voice setting (any signed-in staff member: managers,
    /// handlers and operators run the desk and the events alike), with an
    /// audit entry `voice_change`: the staff member, the settings changed as
    /// its fields, the new values as its result. `old` is what the kiosk
    /// ran with (the configuration's values when nothing was stored).
    /// Returns the names of the settings changed.
    ///
    /// # Errors
    /// [`StoreError::Volume`] for a volume over 100; the sign-in's own refusals
    /// (password to change); a database error.
    pub fn set_voice_setting(
        &mut self,
        staff: &StaffSession,
        old: &VoiceSetting,
        new: VoiceSetting,
    ) -> Result<Vec<&'static str>> {
        staff.require(false)?;
        if new.volume > VoiceSetting::MAX_VOLUME {
            return Err(StoreError::Volume {
                most: VoiceSetting::MAX_VOLUME,
                given: new.volume,
            }
            .into());
        }
        let changed = new.changed_from(old);
        let text = new.canonical();
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![KEY, text],
        )?;
        let result = text.trim_start_matches("v1 ");
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::VoiceChange,
            "voice",
            &changed,
            result,
        )?;
        tx.commit()?;
        Ok(changed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_text_round_trips_and_nothing_else_parses() {
        let s = VoiceSetting {
            enabled: true,
            volume: 60,
            quiet: true,
        };
        assert_eq!(s.canonical(), "v1 enabled=1 volume=60 quiet=1");
        assert_eq!(VoiceSetting::parse(&s.canonical()), Some(s));
        for bad in [
            "",
            "v2 enabled=1 volume=60 quiet=1",
            "v1 enabled=2 volume=60 quiet=1",
            "v1 enabled=1 volume=101 quiet=1",
            "v1 enabled=1 volume=060 quiet=1",
            "v1 enabled=1 volume=60 quiet=1 x=1",
            "v1 volume=60 enabled=1 quiet=1",
        ] {
            assert_eq!(VoiceSetting::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_changed_settings_are_named() {
        let old = VoiceSetting {
            enabled: true,
            volume: 80,
            quiet: false,
        };
        let new = VoiceSetting {
            volume: 40,
            quiet: true,
            ..old
        };
        assert_eq!(new.changed_from(&old), ["volume", "quiet"]);
        assert!(old.changed_from(&old).is_empty());
    }
}
