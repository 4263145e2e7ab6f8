//! 「はじめての設定」 (issue 11, "First start without a keyboard"): when
//! `tsudoi run` finds no store, the touchscreen walks through what
//! `tsudoi init` asks on a terminal — the site's name, the first manager's
//! staff id, the first password twice — then creates the store, shows the
//! recovery key once (with a check that it was written down) and the device
//! keys for the ward's set-up sheet.
//!
//! A flow of its own (issue 17): the state and its actions here
//! ([`SetupController`], over the small [`StoreMaker`] trait, so
//! `tests/setup_flow.rs` drives it with a fake), every sentence in
//! [`wording`], and [`adapter`] copies the state into the `Setup` global of
//! `ui/setup.slint`. It runs before any store exists, so it has no
//! [`KioskController`](crate::kiosk::KioskController) screen and no line in
//! the registry's `ADAPTERS`: its adapter owns the window until the wizard
//! ends, then hands it to the kiosk.
//!
//! Text entry uses the kiosk's own keyboards: the staff id and the password
//! the letter keyboard of the sign-in; the site's name the kana keyboard or
//! the letter keyboard. A site name in kanji cannot be typed on the kiosk (it
//! has no input method, and the kanji candidates of `tsudoi_kanji` are for
//! people's names), so the configuration's `site` is offered as it stands
//! when the installer set it, and otherwise the name is typed in katakana or
//! latin letters (`tsudoi init --site` on a keyboard takes any name).
//!
//! The store is created under a temporary name ([`StoreMaker::create`]) and
//! put in place only once the recovery key is confirmed written down
//! ([`StoreMaker::keep`]): a power cut while the key is on screen leaves no
//! store whose recovery key nobody saw, and the next start asks again.
//!
//! The password and the recovery key are held zeroized and never logged;
//! the key's text leaves the screen's properties with its step.

pub mod adapter;
pub mod wording;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::eligibility::PostalTable;
use crate::error::{Error, Result};
use crate::kiosk::controller::Field;
use crate::kiosk::controller::keys::type_key;
use crate::store::staff::{check_password_policy, validate_staff_id};
use crate::store::{Policy, Store};

/// The longest site name the store takes (see [`Store::create`]).
pub const SITE_MAX_CHARS: usize = 100;
/// Recovery-key groups a row: 3 rows of big type at 800×480.
pub const KEY_GROUPS_PER_ROW: usize = 5;
/// The longest password the sign-in keyboard types.
const PASSWORD_MAX_CHARS: usize = 64;
/// The longest staff id ([`validate_staff_id`]).
const STAFF_ID_MAX_CHARS: usize = 32;

/// What the set-up sheet needs from a newly created store.
pub struct Created {
    /// The recovery key as printed: groups of four joined by `-`.
    pub recovery_key: Zeroizing<String>,
    /// The device's public key (64 hex characters).
    pub public_key: String,
    /// The audit log's verifier key (`tsudoi/施設名+…`).
    pub audit_vkey: String,
}

/// Makes the store: the real one ([`StoreCreator`]) or a test's fake.
pub trait StoreMaker: Send + Sync {
    /// Creates the store with its first manager (who must change the
    /// password at the first sign-in), not yet where the kiosk looks for it.
    fn create(&self, site: &str, manager: &str, password: &str) -> Result<Created>;
    /// Puts the created store where the kiosk opens it.
    fn keep(&self) -> Result<()>;
}

/// Creates the store like `tsudoi init`: [`Store::create`], the device key,
/// the audit log's verifier key.
pub struct StoreCreator {
    /// Where the kiosk opens the store (the configuration's `store`).
    pub path: PathBuf,
    /// The configuration's password and Argon2 policy for the new store.
    pub policy: Policy,
    /// The ward's postal codes the store checks addresses against.
    pub postal: PostalTable,
    /// The store's clock (the creation's time in the audit log).
    pub clock: Arc<dyn Clock>,
}

impl StoreCreator {
    /// Where the store waits until its recovery key is written down.
    pub fn pending_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".setup");
        self.path.with_file_name(name)
    }
}

/// The store's file and SQLite's companions (`-wal`, `-shm`, `-journal`).
fn remove_store_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

impl StoreMaker for StoreCreator {
    fn create(&self, site: &str, manager: &str, password: &str) -> Result<Created> {
        if self.path.exists() {
            return Err(Error::StoreExists(self.path.display().to_string()));
        }
        let pending = self.pending_path();
        // Left by a set-up cut short before its recovery key was written down.
        remove_store_files(&pending);
        let made = (|| {
            let (mut store, session, recovery) = Store::create(
                &pending,
                site,
                manager,
                password,
                self.policy.clone(),
                self.postal.clone(),
                self.clock.clone(),
            )?;
            let public_key = store.ensure_device_key()?;
            let audit_vkey = store.audit_vkey()?;
            store.sign_out(&session)?;
            Ok(Created {
                recovery_key: recovery.to_display(),
                public_key,
                audit_vkey,
            })
            // The store closes here: SQLite folds its WAL into the file and
            // removes it, so `keep` moves one file.
        })();
        if made.is_err() {
            remove_store_files(&pending);
        }
        made
    }

    fn keep(&self) -> Result<()> {
        if self.path.exists() {
            return Err(Error::StoreExists(self.path.display().to_string()));
        }
        std::fs::rename(self.pending_path(), &self.path)?;
        // The rename itself must survive a power cut.
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

/// Why a step could not go on: kept as data, worded by [`wording::notice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Nothing to say.
    None,
    /// The site step was left empty.
    SiteMissing,
    /// The store's own rule refused the staff id or the password; its
    /// sentence as the store words it.
    Refused(String),
    /// One of the two password fields is empty.
    PasswordsMissing,
    /// The two passwords differ (the second is cleared).
    PasswordsDiffer,
    /// The typed last group is not the recovery key's.
    KeyMismatch,
    /// The made store could not be put where the kiosk opens it; why.
    NotKept(String),
    /// The store could not be made; why (the wizard is back on the
    /// confirmation, the passwords kept).
    NotCreated(String),
}

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupStep {
    /// 「はじめての設定」: what will happen, what to have ready.
    Welcome,
    /// The site's name (katakana or letters, or the configuration's).
    Site,
    /// The first manager's staff id.
    Manager,
    /// The first password, twice.
    Password,
    /// Everything once more before the store is made.
    Confirm,
    /// Argon2 at work: 「作成しています」.
    Creating,
    /// The recovery key, shown this once.
    RecoveryKey,
    /// The last group of the key, typed from the sheet.
    RecoveryCheck,
    /// The device's public key and the audit log's verifier key.
    DeviceKeys,
    /// 「設定が終わりました」.
    Done,
}

/// The creation to run off the UI thread ([`CreateJob::run`]); its result
/// goes back to [`SetupController::created`].
pub struct CreateJob {
    maker: Arc<dyn StoreMaker>,
    site: String,
    manager: String,
    password: Zeroizing<String>,
}

impl CreateJob {
    /// Makes the store (Argon2 at work: seconds on the Pi), on whatever
    /// thread calls it.
    pub fn run(self) -> Result<Created> {
        self.maker.create(&self.site, &self.manager, &self.password)
    }
}

/// The wizard's state.
pub struct SetupController {
    maker: Arc<dyn StoreMaker>,
    step: SetupStep,
    site: String,
    /// True when the site's name came from the configuration.
    site_from_config: bool,
    /// The site step types katakana (else letters and digits).
    kana: bool,
    manager: String,
    first: Zeroizing<String>,
    second: Zeroizing<String>,
    field: Field,
    shifted: bool,
    symbols: bool,
    notice: Notice,
    recovery_key: Zeroizing<String>,
    /// What is typed on the check step.
    check: Zeroizing<String>,
    public_key: String,
    audit_vkey: String,
    finished: bool,
}

impl SetupController {
    /// A wizard at its welcome step; `site` is the configuration's name of
    /// the site, if the installer set one.
    pub fn new(maker: Arc<dyn StoreMaker>, site: Option<&str>) -> Self {
        let site: String = site
            .map(str::trim)
            .unwrap_or_default()
            .chars()
            .take(SITE_MAX_CHARS)
            .collect();
        Self {
            maker,
            step: SetupStep::Welcome,
            site_from_config: !site.is_empty(),
            site,
            kana: true,
            manager: String::new(),
            first: Zeroizing::new(String::new()),
            second: Zeroizing::new(String::new()),
            field: Field::First,
            shifted: false,
            symbols: false,
            notice: Notice::None,
            recovery_key: Zeroizing::new(String::new()),
            check: Zeroizing::new(String::new()),
            public_key: String::new(),
            audit_vkey: String::new(),
            finished: false,
        }
    }

    /// Where the wizard is.
    pub fn step(&self) -> SetupStep {
        self.step
    }

    /// Why the last step could not go on ([`Notice::None`] if it could);
    /// [`wording::notice`] words it.
    pub fn notice(&self) -> &Notice {
        &self.notice
    }

    /// True when the site's name came from the configuration (the site
    /// step then says so).
    pub fn site_from_config(&self) -> bool {
        self.site_from_config
    }

    /// The device's public key, once the store is made.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The audit log's verifier key, once the store is made.
    pub fn audit_vkey(&self) -> &str {
        &self.audit_vkey
    }

    /// The site's name as typed (or as configured).
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The first manager's staff id as typed; the staff sign-in starts
    /// with it once the wizard ends.
    pub fn manager(&self) -> &str {
        &self.manager
    }

    /// The site step's keyboard: kana (true) or letters.
    pub fn kana(&self) -> bool {
        self.kana
    }

    /// Which password field the keys type into (the password step).
    pub fn field(&self) -> Field {
        self.field
    }

    /// The letter keyboard types capitals (also set for the recovery-key
    /// check, which is written in capitals).
    pub fn shifted(&self) -> bool {
        self.shifted
    }

    /// The letter keyboard shows its symbols.
    pub fn symbols(&self) -> bool {
        self.symbols
    }

    /// True once 「サインインへ」 was pressed on the last step.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The recovery key's groups, on its step only.
    pub fn key_groups(&self) -> Vec<String> {
        if self.step != SetupStep::RecoveryKey {
            return Vec::new();
        }
        self.recovery_key.split('-').map(str::to_owned).collect()
    }

    /// The recovery key's groups in rows of [`KEY_GROUPS_PER_ROW`].
    pub fn key_rows(&self) -> Vec<Vec<String>> {
        self.key_groups()
            .chunks(KEY_GROUPS_PER_ROW)
            .map(<[String]>::to_vec)
            .collect()
    }

    /// The text field's value on an entry step: the site and the id as
    /// typed, the password as dots, the check in capitals.
    pub fn first_shown(&self) -> String {
        match self.step {
            SetupStep::Site => self.site.clone(),
            SetupStep::Manager => self.manager.clone(),
            SetupStep::Password => "●".repeat(self.first.chars().count()),
            SetupStep::RecoveryCheck => self.check.to_string(),
            _ => String::new(),
        }
    }

    /// The second field (the password again) as dots.
    pub fn second_shown(&self) -> String {
        "●".repeat(self.second.chars().count())
    }

    /// Whether the step types on a keyboard.
    pub fn types(&self) -> bool {
        matches!(
            self.step,
            SetupStep::Site | SetupStep::Manager | SetupStep::Password | SetupStep::RecoveryCheck
        )
    }

    /// Whether 「もどる」 does something on this step.
    pub fn can_go_back(&self) -> bool {
        matches!(
            self.step,
            SetupStep::Site
                | SetupStep::Manager
                | SetupStep::Password
                | SetupStep::Confirm
                | SetupStep::RecoveryCheck
        )
    }

    /// Whether a button goes on from this step (none while the store is
    /// being made).
    pub fn can_go_on(&self) -> bool {
        self.step != SetupStep::Creating
    }

    /// How many characters the recovery-key check asks for: the key's last
    /// group.
    pub fn last_group_len(&self) -> usize {
        self.last_group().chars().count()
    }

    /// Whether the recovery key is still held (from its creation until the
    /// check confirms it was written down; never after).
    pub fn holds_recovery_key(&self) -> bool {
        !self.recovery_key.is_empty()
    }

    fn last_group(&self) -> &str {
        self.recovery_key.rsplit('-').next().unwrap_or_default()
    }

    /// 「カナ」 / 「英数」 on the site step.
    pub fn keyboard(&mut self, kana: bool) {
        if self.step == SetupStep::Site {
            self.kana = kana;
        }
    }

    /// A password field was tapped: the keys type into it.
    pub fn focus(&mut self, field: Field) {
        if self.step == SetupStep::Password {
            self.field = field;
        }
    }

    /// The keyboard's shift key.
    pub fn toggle_shift(&mut self) {
        self.shifted = !self.shifted;
    }

    /// The keyboard's symbols key.
    pub fn toggle_symbols(&mut self) {
        self.symbols = !self.symbols;
    }

    /// A key of the on-screen keyboard.
    pub fn key(&mut self, text: &str) {
        match self.step {
            SetupStep::Site => {
                // Both keyboards: kana (with ゛ ゜ 小 and 空白) and letters.
                let key = self.ascii_key(text);
                let key = key.as_deref().unwrap_or(text);
                // `type_key` stops at 40 characters: plenty for a name
                // typed here (a longer configured name is kept as it is).
                type_key(&mut self.site, key, |c| {
                    c.is_ascii_graphic() || ('ァ'..='ヶ').contains(&c) || c == 'ー'
                });
            }
            SetupStep::Manager => {
                if let Some(k) = self.ascii_key(text)
                    && self.manager.chars().count() < STAFF_ID_MAX_CHARS
                {
                    self.manager.push_str(&k);
                }
            }
            SetupStep::Password => {
                if let Some(k) = self.ascii_key(text) {
                    let target = match self.field {
                        Field::First => &mut self.first,
                        Field::Second => &mut self.second,
                    };
                    if target.chars().count() < PASSWORD_MAX_CHARS {
                        target.push_str(&k);
                    }
                }
            }
            SetupStep::RecoveryCheck => {
                if let Some(k) = self.ascii_key(text)
                    && k.chars().all(|c| c.is_ascii_alphanumeric())
                    && self.check.chars().count() < self.last_group().chars().count()
                {
                    self.check.push_str(&k.to_ascii_uppercase());
                }
            }
            _ => return,
        }
        self.notice = Notice::None;
    }

    /// One printable ASCII character as the letter keyboard types it (with
    /// the shift key); `None` for anything else.
    fn ascii_key(&self, text: &str) -> Option<String> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_graphic() => Some(
                if self.shifted {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
                .to_string(),
            ),
            _ => None,
        }
    }

    /// 「一文字消す」.
    pub fn backspace(&mut self) {
        match self.step {
            SetupStep::Site => {
                self.site.pop();
            }
            SetupStep::Manager => {
                self.manager.pop();
            }
            SetupStep::Password => {
                match self.field {
                    Field::First => self.first.pop(),
                    Field::Second => self.second.pop(),
                };
            }
            SetupStep::RecoveryCheck => {
                self.check.pop();
            }
            _ => {}
        }
    }

    fn clear_passwords(&mut self) {
        self.first = Zeroizing::new(String::new());
        self.second = Zeroizing::new(String::new());
        self.field = Field::First;
    }

    /// 「次へ」 and the other buttons that go on (not 「作成する」: see
    /// [`Self::create`]).
    pub fn next(&mut self) {
        self.notice = Notice::None;
        match self.step {
            SetupStep::Welcome => self.step = SetupStep::Site,
            SetupStep::Site => {
                let site = self.site.trim();
                if site.is_empty() {
                    self.notice = Notice::SiteMissing;
                } else {
                    self.site = site.to_owned();
                    self.shifted = false;
                    self.symbols = false;
                    self.step = SetupStep::Manager;
                }
            }
            SetupStep::Manager => match validate_staff_id(&self.manager) {
                Ok(()) => {
                    self.clear_passwords();
                    self.step = SetupStep::Password;
                }
                Err(e) => self.notice = Notice::Refused(plain(e)),
            },
            SetupStep::Password => self.check_passwords(),
            SetupStep::RecoveryKey => {
                self.check = Zeroizing::new(String::new());
                // The keys show capitals, as on the sheet.
                self.shifted = true;
                self.symbols = false;
                self.step = SetupStep::RecoveryCheck;
            }
            SetupStep::RecoveryCheck => self.check_recovery_key(),
            SetupStep::DeviceKeys => self.step = SetupStep::Done,
            SetupStep::Done => self.finished = true,
            SetupStep::Confirm | SetupStep::Creating => {}
        }
    }

    fn check_passwords(&mut self) {
        if self.first.is_empty() || self.second.is_empty() {
            self.field = if self.first.is_empty() {
                Field::First
            } else {
                Field::Second
            };
            self.notice = Notice::PasswordsMissing;
            return;
        }
        if *self.first != *self.second {
            self.second = Zeroizing::new(String::new());
            self.field = Field::Second;
            self.notice = Notice::PasswordsDiffer;
            return;
        }
        if let Err(e) = check_password_policy(&self.manager, &self.first) {
            self.clear_passwords();
            self.notice = Notice::Refused(plain(e));
            return;
        }
        self.shifted = false;
        self.symbols = false;
        self.step = SetupStep::Confirm;
    }

    fn check_recovery_key(&mut self) {
        // As `RecoveryKey::parse` reads a typed key: 0 and 1 are O and I.
        let typed: String = self
            .check
            .chars()
            .map(|c| match c {
                '0' => 'O',
                '1' => 'I',
                c => c,
            })
            .collect();
        let typed = Zeroizing::new(typed);
        if *typed != self.last_group() {
            self.check = Zeroizing::new(String::new());
            self.notice = Notice::KeyMismatch;
            return;
        }
        match self.maker.keep() {
            Ok(()) => {
                // Shown once: from here on the key is gone from the kiosk.
                self.recovery_key = Zeroizing::new(String::new());
                self.check = Zeroizing::new(String::new());
                self.shifted = false;
                self.step = SetupStep::DeviceKeys;
            }
            Err(e) => {
                self.notice = Notice::NotKept(plain(e));
            }
        }
    }

    /// 「作成する」 on the confirm step: the step becomes
    /// [`SetupStep::Creating`] and the job to run is returned.
    pub fn create(&mut self) -> Option<CreateJob> {
        if self.step != SetupStep::Confirm {
            return None;
        }
        self.notice = Notice::None;
        self.step = SetupStep::Creating;
        Some(CreateJob {
            maker: self.maker.clone(),
            site: self.site.clone(),
            manager: self.manager.clone(),
            password: self.first.clone(),
        })
    }

    /// The result of a [`CreateJob`].
    pub fn created(&mut self, result: Result<Created>) {
        if self.step != SetupStep::Creating {
            return;
        }
        match result {
            Ok(c) => {
                self.clear_passwords();
                self.recovery_key = c.recovery_key;
                self.public_key = c.public_key;
                self.audit_vkey = c.audit_vkey;
                self.step = SetupStep::RecoveryKey;
            }
            Err(e) => {
                self.step = SetupStep::Confirm;
                self.notice = Notice::NotCreated(plain(e));
            }
        }
    }

    /// 「もどる」 (on the check step 「もう一度見る」).
    pub fn back(&mut self) {
        self.notice = Notice::None;
        match self.step {
            SetupStep::Site => self.step = SetupStep::Welcome,
            SetupStep::Manager => {
                self.shifted = false;
                self.symbols = false;
                self.step = SetupStep::Site;
            }
            SetupStep::Password => {
                self.clear_passwords();
                self.step = SetupStep::Manager;
            }
            SetupStep::Confirm => {
                // The password is typed again, twice.
                self.clear_passwords();
                self.step = SetupStep::Password;
            }
            SetupStep::RecoveryCheck => {
                self.check = Zeroizing::new(String::new());
                self.shifted = false;
                self.step = SetupStep::RecoveryKey;
            }
            _ => {}
        }
    }
}

/// An error's message for the screen (password rules, staff id rules, the
/// disk): its sentence alone, whatever its kind.
fn plain(e: Error) -> String {
    e.to_string()
}
