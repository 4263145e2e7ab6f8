//! The kiosk's configuration file (TOML). Every key is optional; the defaults
//! are what a Shinjuku kiosk needs.
//!
//! ```toml
//! store = "/var/lib/tsudoi/tsudoi.db"
//! site = "○○交流スペース"   # offered by the first-start wizard
//!
//! [eligibility]
//! minimum_age = 60
//! reverify_after_months = 12
//! postal_table = "/etc/tsudoi/postal-codes.tsv"   # another ward's table …
//! postal_table_sha256 = "3f5c…"                   # … and its `sha256sum` (required with it)
//!
//! [security]
//! lockout_attempts = 5
//! lockout_minutes = 15
//! kdf_memory_kib = 47104
//! kdf_iterations = 4
//! kdf_parallelism = 1
//! blind_index_bits = 12
//!
//! [report]
//! ward_public_key = "age1…"   # from `tsudoi report ward-key`, run at the ward
//!
//! [hardware]
//! reader = "pn532_uart:/dev/serial0"   # or "simulated", "acr122_usb", …
//! cooldown_secs = 30
//!
//! [kiosk]
//! closing_time = "21:00"   # the keys leave memory then (12 h after sign-in at the latest)
//!
//! [voice]
//! enabled = true      # spoken guidance on the resident screens
//! volume = 80         # 0-100
//! quiet = false       # events: routine confirmations unsaid, half volume
//!
//! [mimamori]
//! visits = 3          # 見守り: at least 3 visits …
//! weeks = 8           # … in the last 8 weeks …
//! absent_weeks = 3    # … and none in the last 3 weeks
//! center = "大久保高齢者総合相談センター"
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::crypto::KdfParams;
use crate::eligibility::{PostalError, PostalTable, Rules};
use crate::error::{Error, ErrorKind, Result};
use crate::store::Policy;

/// What is wrong with the configuration file. Each message names the
/// setting and what to write instead; none carries a personal value (the
/// file holds none). [`ConfigError::kind`] gives the command line's exit code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read. [`ErrorKind::InvalidInput`] (exit 2)
    /// when it does not exist or is not text; [`ErrorKind::Io`] (exit 5)
    /// when the disk or the permissions fail.
    #[error(
        "設定ファイル {} を読めません: {source}。ファイルの場所と読み取りの権限を確かめてください。",
        .path.display()
    )]
    Read {
        /// The file given with `--config` or `TSUDOI_CONFIG`.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has an unknown key or a value of the
    /// wrong type. [`ErrorKind::InvalidInput`] (exit 2).
    #[error(
        "設定ファイル {} の書き方に誤りがあります: {message}。その箇所を直してから、もう一度実行してください。",
        .path.display()
    )]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The TOML parser's description of the mistake.
        message: String,
    },
    /// A `[security]` or `[eligibility]` value is out of its range, or
    /// below the store's floor (lockout, Argon2id, age, re-verification).
    /// The inner sentence names the setting and its range.
    /// [`ErrorKind::InvalidInput`] (exit 2).
    #[error("設定ファイルの値が正しくありません: {0}")]
    OutOfRange(String),
    /// The `[mimamori]` rule is out of range. [`ErrorKind::InvalidInput`] (exit 2).
    #[error("設定ファイルの [mimamori]: {0}")]
    Mimamori(String),
    /// `[kiosk] closing_time` is not `HH:MM`. [`ErrorKind::InvalidInput`] (exit 2).
    #[error("[kiosk] closing_time は「21:00」のように時:分で書いてください（いまの値: {value}）。")]
    ClosingTime {
        /// The value as written (its first 20 characters).
        value: String,
    },
    /// A `[contract]` date is not `YYYY-MM-DD`. [`ErrorKind::InvalidInput`] (exit 2).
    #[error("設定ファイルの [contract] の日付は 2026-04-01 のように書いてください（{value}）。")]
    ContractDate {
        /// The value as written.
        value: String,
    },
    /// `postal_table` is set without `postal_table_sha256`.
    /// [`ErrorKind::InvalidInput`] (exit 2).
    #[error(
        "設定の postal_table を使うときは、そのファイルの SHA-256（sha256sum ファイル名 の出力の先頭64桁）を postal_table_sha256 に書いてください。壊れた表を使わないためです。"
    )]
    PostalTableWithoutSha256,
    /// `postal_table_sha256` is set without `postal_table`.
    /// [`ErrorKind::InvalidInput`] (exit 2).
    #[error(
        "設定の postal_table_sha256 だけがあり、postal_table がありません。両方を書くか、両方を消してください。"
    )]
    Sha256WithoutPostalTable,
    /// The configured postal table was refused: [`ErrorKind::Damaged`]
    /// (exit 4) when its SHA-256 does not match (damaged or altered),
    /// [`ErrorKind::InvalidInput`] (exit 2) for a malformed table or
    /// checksum.
    #[error("{0}")]
    PostalTable(PostalError),
    /// The configured postal table could not be read (the disk, the
    /// permissions, a missing file). [`ErrorKind::Io`] (exit 5).
    #[error("ファイルを読み書きできません: {0}")]
    PostalTableRead(PostalError),
}

impl ConfigError {
    /// The kind of this failure, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ConfigError::Read { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidData => {
                    ErrorKind::InvalidInput
                }
                _ => ErrorKind::Io,
            },
            ConfigError::PostalTable(PostalError::Damaged { .. }) => ErrorKind::Damaged,
            ConfigError::PostalTableRead(_) => ErrorKind::Io,
            ConfigError::Syntax { .. }
            | ConfigError::OutOfRange(_)
            | ConfigError::Mimamori(_)
            | ConfigError::ClosingTime { .. }
            | ConfigError::ContractDate { .. }
            | ConfigError::PostalTableWithoutSha256
            | ConfigError::Sha256WithoutPostalTable
            | ConfigError::PostalTable(_) => ErrorKind::InvalidInput,
        }
    }
}

/// The configuration file (TOML), as read. Every key may be left out; unknown
/// keys are refused so a typo is not silently ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the store file is, unless `--store` or `TSUDOI_STORE` says otherwise.
    pub store: Option<PathBuf>,
    /// The site's name that the first-start wizard on the touchscreen offers
    /// (it has no kanji input); the store keeps the name it was made with.
    pub site: Option<String>,
    /// `[eligibility]`: who may take part.
    #[serde(default)]
    pub eligibility: EligibilityConfig,
    /// `[security]`: lockout, key derivation, blind index size.
    #[serde(default)]
    pub security: SecurityConfig,
    /// `[report]`: monthly reports.
    #[serde(default)]
    pub report: ReportSection,
    /// The card reader, buzzer and LEDs (see hw/README.md).
    #[serde(default)]
    pub hardware: tsudoi_hw::HardwareConfig,
    /// `[kiosk]`: the kiosk's day.
    #[serde(default)]
    pub kiosk: KioskSection,
    /// Spoken guidance (issue 18; docs/dev/voice.md).
    #[serde(default)]
    pub voice: tsudoi_hw::voice::VoiceConfig,
    /// `[retention]`: how long records are kept without a visit.
    #[serde(default)]
    pub retention: RetentionSection,
    /// `[contract]`: the contract period, for the certificate of erasure.
    #[serde(default)]
    pub contract: ContractSection,
    /// `[mimamori]`: the 見守り rule for activities and the office to inform.
    #[serde(default)]
    pub mimamori: MimamoriSection,
}

/// 見守り (issue 15): the rule for activities outside the hobby groups
/// (each group has its own, `tsudoi group watch`), and the office the
/// reminder names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MimamoriSection {
    /// At least this many visits …
    pub visits: u32,
    /// … in this many weeks …
    pub weeks: u32,
    /// … and none in this many weeks.
    pub absent_weeks: u32,
    /// The ward's 高齢者総合相談センター named by the reminder.
    pub center: String,
}

impl Default for MimamoriSection {
    fn default() -> Self {
        let r = crate::store::groups::WatchRule::default();
        Self {
            visits: r.visits,
            weeks: r.weeks,
            absent_weeks: r.absent_weeks,
            center: "区の高齢者総合相談センター".into(),
        }
    }
}

impl MimamoriSection {
    /// The rule, checked.
    pub fn rule(&self) -> Result<crate::store::groups::WatchRule> {
        let r = crate::store::groups::WatchRule {
            visits: self.visits,
            weeks: self.weeks,
            absent_weeks: self.absent_weeks,
        };
        r.validate()
            .map_err(|e| ConfigError::Mimamori(e.to_string()))?;
        Ok(r)
    }
}

/// The contract period, printed on the certificate of erasure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContractSection {
    /// The first day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// The last day (`YYYY-MM-DD`).
    pub until: Option<String>,
}

/// How long a record is kept without a visit (issue 14).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSection {
    /// Whole fiscal years (April to March) without a visit after which a
    /// record is due for deletion (`tsudoi participant due`). 1 to 10.
    pub fiscal_years: u32,
}

impl Default for RetentionSection {
    fn default() -> Self {
        Self { fiscal_years: 3 }
    }
}

/// The kiosk's day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KioskSection {
    /// When the space closes ("HH:MM", Japan time): the store's keys leave
    /// memory then, and the kiosk shows 準備中 until a staff member signs in.
    /// They leave at the latest 12 hours after the day's first sign-in anyway.
    pub closing_time: String,
}

impl Default for KioskSection {
    fn default() -> Self {
        Self {
            closing_time: "21:00".into(),
        }
    }
}

impl KioskSection {
    /// The closing time, checked.
    pub fn closing_time(&self) -> Result<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.closing_time.trim(), "%H:%M").map_err(|_| {
            ConfigError::ClosingTime {
                value: self.closing_time.chars().take(20).collect(),
            }
            .into()
        })
    }
}

/// Monthly reports.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSection {
    /// The ward's age public key (`age1…`); when set, exports carry the raw
    /// counts encrypted to it so the ward can merge sites.
    pub ward_public_key: Option<String>,
}

/// `[eligibility]`: the age rule and ID re-verification.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EligibilityConfig {
    /// Minimum age on the session date (default 60; 1–120).
    pub minimum_age: u32,
    /// Months after an ID check before the person must show the document again (default 12; 1–120).
    pub reverify_after_months: u32,
    /// A TSV of another ward's postal codes (same format as the shipped one).
    pub postal_table: Option<PathBuf>,
    /// The table file's SHA-256 as `sha256sum` prints it; required with
    /// `postal_table`, so a damaged or altered table is refused, not used.
    pub postal_table_sha256: Option<String>,
}

impl Default for EligibilityConfig {
    fn default() -> Self {
        let r = Rules::default();
        Self {
            minimum_age: r.minimum_age,
            reverify_after_months: r.reverify_after_months,
            postal_table: None,
            postal_table_sha256: None,
        }
    }
}

/// `[security]`: sign-in lockout and key derivation. Values outside their ranges are refused at
/// load.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// Failed sign-ins before an account locks (default 5; 1–20).
    pub lockout_attempts: u32,
    /// How long a locked account stays locked, in minutes (default 15; 1–1440).
    pub lockout_minutes: u32,
    /// Argon2id memory cost in KiB for new or changed password keyslots.
    pub kdf_memory_kib: u32,
    /// Argon2id iterations (time cost).
    pub kdf_iterations: u32,
    /// Argon2id lanes (parallelism).
    pub kdf_parallelism: u32,
    /// Bits kept of each blind index (default 12; 8–24); fixed when a store is created, later
    /// changes do not apply to it.
    pub blind_index_bits: u8,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        let k = KdfParams::default();
        Self {
            lockout_attempts: 5,
            lockout_minutes: 15,
            kdf_memory_kib: k.m_cost_kib,
            kdf_iterations: k.t_cost,
            kdf_parallelism: k.p_cost,
            blind_index_bits: 12,
        }
    }
}

impl Config {
    /// Reads a configuration file; errors name the problem in Japanese.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| {
            ConfigError::Syntax {
                path: path.to_owned(),
                message: e.message().to_owned(),
            }
            .into()
        })
    }

    /// The policy the store runs under, checked for sane values; a value
    /// out of range is refused naming the configuration file's setting.
    pub fn policy(&self) -> Result<Policy> {
        self.checked_policy().map_err(|e| match e {
            // The store's floor refuses with its own sentence (naming the
            // setting and its range); the kind, not the wording, says it is
            // the file's value.
            e if e.kind() == ErrorKind::InvalidInput => ConfigError::OutOfRange(match e {
                Error::Config(ConfigError::OutOfRange(m)) => m,
                other => other.to_string(),
            })
            .into(),
            other => other,
        })
    }

    fn checked_policy(&self) -> Result<Policy> {
        let range = |m: &str| Err(ConfigError::OutOfRange(m.to_owned()).into());
        let s = &self.security;
        if !(1..=20).contains(&s.lockout_attempts) {
            return range("lockout_attempts は1〜20にしてください。");
        }
        if !(1..=1440).contains(&s.lockout_minutes) {
            return range("lockout_minutes は1〜1440にしてください。");
        }
        if !(8..=24).contains(&s.blind_index_bits) {
            return range("blind_index_bits は8〜24にしてください。");
        }
        let e = &self.eligibility;
        if !(1..=120).contains(&e.reverify_after_months) || !(1..=120).contains(&e.minimum_age) {
            return range("minimum_age と reverify_after_months は1〜120にしてください。");
        }
        let kdf = KdfParams {
            m_cost_kib: s.kdf_memory_kib,
            t_cost: s.kdf_iterations,
            p_cost: s.kdf_parallelism,
        };
        kdf.validate().map_err(|e| {
            ConfigError::OutOfRange(format!("鍵導出（Argon2id）の設定が不正です: {e}"))
        })?;
        let policy = Policy {
            lockout_attempts: s.lockout_attempts,
            lockout_duration: chrono::Duration::minutes(i64::from(s.lockout_minutes)),
            kdf,
            rules: Rules {
                minimum_age: e.minimum_age,
                reverify_after_months: e.reverify_after_months,
            },
            blind_index_bits: s.blind_index_bits,
        };
        // A configuration may tighten the store's policy but never go below
        // the floor: `init` stores these values, and a weak file handed to
        // `--config` must not lower a running store's guard.
        policy.security().check_floor()?;
        Ok(policy)
    }

    /// The contract period from `[contract]`, for the certificate of erasure.
    pub fn contract(&self) -> Result<crate::store::erase::EraseRequest> {
        let day = |s: &Option<String>| -> Result<Option<chrono::NaiveDate>> {
            s.as_deref()
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                        ConfigError::ContractDate {
                            value: d.trim().to_owned(),
                        }
                        .into()
                    })
                })
                .transpose()
        };
        Ok(crate::store::erase::EraseRequest {
            contract_from: day(&self.contract.from)?,
            contract_until: day(&self.contract.until)?,
            roster_not_returned: false,
        })
    }

    /// The ward's key for merged reports, if configured.
    pub fn ward_recipient(&self) -> Result<Option<crate::report::merge::WardRecipient>> {
        self.report
            .ward_public_key
            .as_deref()
            .map(crate::report::merge::WardRecipient::parse)
            .transpose()
    }

    /// The ward's postal table: the configured file, or Shinjuku's built-in one.
    pub fn postal_table(&self) -> Result<PostalTable> {
        let e = &self.eligibility;
        match (&e.postal_table, &e.postal_table_sha256) {
            (Some(p), Some(sha)) => {
                PostalTable::from_tsv_file_checked(p, sha).map_err(|e| match e {
                    PostalError::Io { .. } => ConfigError::PostalTableRead(e).into(),
                    other => ConfigError::PostalTable(other).into(),
                })
            }
            (Some(_), None) => Err(ConfigError::PostalTableWithoutSha256.into()),
            (None, Some(_)) => Err(ConfigError::Sha256WithoutPostalTable.into()),
            (None, None) => Ok(PostalTable::shinjuku()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c: Config = toml::from_str("").unwrap();
        let p = c.policy().unwrap();
        assert_eq!(p.lockout_attempts, 5);
        assert_eq!(p.lockout_duration, chrono::Duration::minutes(15));
        assert_eq!(p.rules.reverify_after_months, 12);
    }

    #[test]
    fn the_hardware_section_is_read_and_checked() {
        let c: Config =
            toml::from_str("[hardware]\nreader = \"pn532_uart:/dev/serial0\"\n").unwrap();
        assert_eq!(c.hardware.reader, "pn532_uart:/dev/serial0");
        assert!(c.hardware.validate().is_ok());
        assert!(toml::from_str::<Config>("[hardware]\nreadr = \"x\"\n").is_err());
    }

    #[test]
    fn the_voice_section_is_optional_and_checked() {
        let c: Config = toml::from_str("").unwrap();
        assert!(c.voice.enabled && c.voice.volume == 80 && !c.voice.quiet);
        let c: Config = toml::from_str("[voice]\nvolume = 30\nquiet = true\n").unwrap();
        assert!(c.voice.enabled && c.voice.volume == 30 && c.voice.quiet);
        assert!(c.voice.validate().is_ok());
        let c: Config = toml::from_str("[voice]\nvolume = 200\n").unwrap();
        assert!(c.voice.validate().is_err());
        assert!(toml::from_str::<Config>("[voice]\nloud = true\n").is_err());
        assert!(toml::from_str::<Config>("[voice]\nenabled = \"yes\"\n").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<Config>("[security]\nlockout = 3").is_err());
        let c: Config = toml::from_str("[security]\nlockout_attempts = 0").unwrap();
        assert!(c.policy().is_err());
    }
}
