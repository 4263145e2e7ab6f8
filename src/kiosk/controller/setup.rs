//! 「はじめての設定」 (issue 11, "First start without a keyboard"): when
//! `tsudoi run` finds no store, the touchscreen walks through what
//! `tsudoi init` asks on a terminal — the site's name, the first manager's
//! staff id, the first password twice — then creates the store, shows the
//! recovery key once (with a check that it was written down) and the device
//! keys for the ward's set-up sheet. No UI here: `super::super::ui::setup`
//! copies the state into `ui/setup.slint`.
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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::Field;
use super::keys::type_key;
use crate::clock::Clock;
use crate::eligibility::PostalTable;
use crate::error::{Error, Result};
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
    pub path: PathBuf,
    pub policy: Policy,
    pub postal: PostalTable,
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

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupStep {
    /// 「はじめての設定」: what will happen, what to have ready.
    Welcome,
    Site,
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
    message: String,
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
            message: String::new(),
            recovery_key: Zeroizing::new(String::new()),
            check: Zeroizing::new(String::new()),
            public_key: String::new(),
            audit_vkey: String::new(),
            finished: false,
        }
    }

    pub fn step(&self) -> SetupStep {
        self.step
    }

    /// Why the last step could not go on, in plain Japanese; empty if none.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn site(&self) -> &str {
        &self.site
    }

    pub fn manager(&self) -> &str {
        &self.manager
    }

    /// The site step's keyboard: kana (true) or letters.
    pub fn kana(&self) -> bool {
        self.kana
    }

    pub fn field(&self) -> Field {
        self.field
    }

    pub fn shifted(&self) -> bool {
        self.shifted
    }

    pub fn symbols(&self) -> bool {
        self.symbols
    }

    /// True once 「サインインへ」 was pressed on the last step.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The step's heading.
    pub fn title(&self) -> &'static str {
        match self.step {
            SetupStep::Welcome => "はじめての設定",
            SetupStep::Site => "施設名",
            SetupStep::Manager => "最初の取扱責任者のスタッフID",
            SetupStep::Password => "取扱責任者の最初のパスワード",
            SetupStep::Confirm => "この内容で作成します",
            SetupStep::Creating => "作成しています",
            SetupStep::RecoveryKey => "回復キー（この一度だけ表示します）",
            SetupStep::RecoveryCheck => "書き写した回復キーの確認",
            SetupStep::DeviceKeys => "端末の鍵（記録票に写して区に渡します）",
            SetupStep::Done => "設定が終わりました",
        }
    }

    /// The step's lines of explanation.
    pub fn lines(&self) -> Vec<String> {
        match self.step {
            SetupStep::Welcome => vec![
                "この端末には、まだ保存ファイルがありません。保存ファイルと、最初の取扱責任者のアカウントを作ります。".into(),
                "用意するもの：設置時の記録票とペン。".into(),
                "順に、施設名、取扱責任者のスタッフID、パスワード（2回）を入れます。そのあと回復キーと端末の鍵が表示されるので、記録票に書き写します。".into(),
            ],
            SetupStep::Site if self.site_from_config => vec![
                "設定ファイルの施設名を入れてあります。よければ「次へ」。あとから変えられません。".into(),
            ],
            SetupStep::Site => vec![
                "カタカナか英数字で入力してください。あとから変えられません。".into(),
            ],
            SetupStep::Manager => vec![
                "半角の英数字（- _ . も可）で2〜32文字。氏名は使いません（例：kanri01）。".into(),
            ],
            SetupStep::Password => vec![
                "13文字以上で、英字・数字・記号のうち2種類以上。スタッフIDは含めません。".into(),
            ],
            SetupStep::Confirm => vec![
                format!("施設名：{}", self.site),
                format!("取扱責任者のスタッフID：{}", self.manager),
                "パスワード：2回入力しました（最初のサインインで変更します）。".into(),
                "施設名は、作成したあとでは変えられません。".into(),
            ],
            SetupStep::Creating => vec![
                "鍵を作っています。画面にふれずに、しばらくお待ちください。".into(),
            ],
            SetupStep::RecoveryKey => vec![
                "設置時の記録票に書き写し、封筒に入れて区が保管してください。この画面を閉じると二度と表示されません。".into(),
                "数字は2〜7だけです（0と1は使いません。OとIは英字です）。".into(),
            ],
            SetupStep::RecoveryCheck => vec![format!(
                "書き写した回復キーの、最後のまとまり（{}文字）を入力してください。",
                self.last_group().chars().count()
            )],
            SetupStep::DeviceKeys => vec![
                "端末の公開鍵（月の報告の署名の確認用）：".into(),
                grouped(&self.public_key, 8),
                "監査ログの検証鍵（チェックポイントの確認用）：".into(),
                self.audit_vkey.clone(),
                "どちらも秘密ではありません。設置時の記録票に写して区に渡してください。".into(),
            ],
            SetupStep::Done => vec![
                format!("施設：{}　取扱責任者：{}", self.site, self.manager),
                "次は、スタッフのサインインです。取扱責任者のIDと最初のパスワードを入力すると、新しいパスワードを決める画面になります。".into(),
            ],
        }
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

    /// The text field's caption and value on an entry step (the passwords
    /// as dots, the check in capitals).
    pub fn first_caption(&self) -> &'static str {
        match self.step {
            SetupStep::Site => "施設名",
            SetupStep::Manager => "取扱責任者のスタッフID",
            SetupStep::Password => "最初のパスワード",
            SetupStep::RecoveryCheck => "回復キーの最後のまとまり",
            _ => "",
        }
    }

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

    /// The back button's label.
    pub fn back_label(&self) -> &'static str {
        if self.step == SetupStep::RecoveryCheck {
            "もう一度見る"
        } else {
            "もどる"
        }
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

    /// The label of the button that goes on; empty while creating.
    pub fn next_label(&self) -> &'static str {
        match self.step {
            SetupStep::Welcome => "はじめる",
            SetupStep::Confirm => "作成する",
            SetupStep::Creating => "",
            SetupStep::RecoveryKey => "書き写しました",
            SetupStep::RecoveryCheck => "確かめる",
            SetupStep::DeviceKeys => "写しました",
            SetupStep::Done => "サインインへ",
            _ => "次へ",
        }
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

    pub fn focus(&mut self, field: Field) {
        if self.step == SetupStep::Password {
            self.field = field;
        }
    }

    pub fn toggle_shift(&mut self) {
        self.shifted = !self.shifted;
    }

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
        self.message.clear();
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
        self.message.clear();
        match self.step {
            SetupStep::Welcome => self.step = SetupStep::Site,
            SetupStep::Site => {
                let site = self.site.trim();
                if site.is_empty() {
                    self.message = "施設名を入力してください。".into();
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
                Err(e) => self.message = plain(e),
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
            self.message = "パスワードを2回入力してください。".into();
            return;
        }
        if *self.first != *self.second {
            self.second = Zeroizing::new(String::new());
            self.field = Field::Second;
            self.message = "2回入力したパスワードが一致しません。もう一度入力してください。".into();
            return;
        }
        if let Err(e) = check_password_policy(&self.manager, &self.first) {
            self.clear_passwords();
            self.message = plain(e);
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
            self.message = "書き写した回復キーと一致しません。記録票を確かめてください（「もう一度見る」で回復キーをもう一度表示します）。".into();
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
                self.message = format!("保存ファイルを置けませんでした。{}", plain(e));
            }
        }
    }

    /// 「作成する」 on the confirm step: the step becomes
    /// [`SetupStep::Creating`] and the job to run is returned.
    pub fn create(&mut self) -> Option<CreateJob> {
        if self.step != SetupStep::Confirm {
            return None;
        }
        self.message.clear();
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
                self.message = format!("作成できませんでした。{}", plain(e));
            }
        }
    }

    /// 「もどる」 (on the check step 「もう一度見る」).
    pub fn back(&mut self) {
        self.message.clear();
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
/// disk), without the error's kind.
fn plain(e: Error) -> String {
    match e {
        Error::WeakPassword(m) => m,
        other => other.to_string(),
    }
}

/// `text` in groups of `n` characters, joined by spaces.
fn grouped(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(n.max(1))
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    const KEY: &str = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UV2";
    const PASSWORD: &str = "Hajimete-2026-pass";

    /// Records what it was asked; fails when told to.
    #[derive(Default)]
    struct Fake {
        made: Mutex<Vec<(String, String, String)>>,
        kept: Mutex<u32>,
        fail_create: bool,
        fail_keep: bool,
    }

    impl StoreMaker for Fake {
        fn create(&self, site: &str, manager: &str, password: &str) -> Result<Created> {
            if self.fail_create {
                return Err(Error::Invalid("ディスクがいっぱいです。".into()));
            }
            self.made
                .lock()
                .unwrap()
                .push((site.into(), manager.into(), password.into()));
            Ok(Created {
                recovery_key: Zeroizing::new(KEY.into()),
                public_key: "0123456789abcdef".repeat(4),
                audit_vkey: "tsudoi/テスト施設+01234567+AQID".into(),
            })
        }

        fn keep(&self) -> Result<()> {
            if self.fail_keep {
                return Err(Error::Invalid("置けません。".into()));
            }
            *self.kept.lock().unwrap() += 1;
            Ok(())
        }
    }

    fn wizard(fake: Fake, site: Option<&str>) -> (SetupController, Arc<Fake>) {
        let fake = Arc::new(fake);
        (SetupController::new(fake.clone(), site), fake)
    }

    fn typed(c: &mut SetupController, text: &str) {
        for ch in text.chars() {
            if ch.is_ascii_uppercase() && !c.shifted() {
                c.toggle_shift();
                c.key(&ch.to_ascii_lowercase().to_string());
                c.toggle_shift();
            } else {
                c.key(&ch.to_string());
            }
        }
    }

    /// Welcome → site (kana) → manager → password twice → confirm.
    fn to_confirm(c: &mut SetupController) {
        c.next();
        for k in ["テ", "ス", "ト", "空白"] {
            c.key(k);
        }
        c.keyboard(false);
        typed(c, "A1");
        c.next();
        assert_eq!(c.site(), "テスト A1");
        typed(c, "kanri01");
        c.next();
        typed(c, PASSWORD);
        c.focus(Field::Second);
        typed(c, PASSWORD);
        c.next();
        assert_eq!(c.step(), SetupStep::Confirm, "{}", c.message());
    }

    #[test]
    fn the_whole_wizard_with_the_fake() {
        let (mut c, fake) = wizard(Fake::default(), None);
        assert_eq!(c.step(), SetupStep::Welcome);
        assert!(c.lines().iter().any(|l| l.contains("記録票とペン")));
        assert!(!c.can_go_back());
        to_confirm(&mut c);
        assert!(c.lines().iter().any(|l| l == "施設名：テスト A1"));
        assert!(c.lines().iter().all(|l| !l.contains(PASSWORD)));
        let job = c.create().unwrap();
        assert_eq!(c.step(), SetupStep::Creating);
        assert_eq!(c.title(), "作成しています");
        assert_eq!(c.next_label(), "");
        assert!(c.create().is_none(), "one creation at a time");
        c.created(job.run());
        assert_eq!(
            fake.made.lock().unwrap().as_slice(),
            [("テスト A1".into(), "kanri01".into(), PASSWORD.into())]
        );
        assert_eq!(c.step(), SetupStep::RecoveryKey);
        assert_eq!(c.key_groups().len(), 14);
        assert_eq!(c.key_groups()[0], "ABCD");
        assert!(c.lines()[0].contains("この画面を閉じると二度と表示されません"));
        assert!(!c.can_go_back());
        c.next();
        assert_eq!(c.step(), SetupStep::RecoveryCheck);
        assert!(
            c.key_groups().is_empty(),
            "the key is not shown while checked"
        );
        assert!(c.shifted(), "capitals, as on the sheet");
        assert_eq!(*fake.kept.lock().unwrap(), 0, "not kept before the check");
        for k in ["u", "v", "2", "7"] {
            c.key(k);
        }
        assert_eq!(c.first_shown(), "UV2", "no more than the group's length");
        c.next();
        assert_eq!(c.step(), SetupStep::DeviceKeys, "{}", c.message());
        assert_eq!(*fake.kept.lock().unwrap(), 1);
        assert!(c.recovery_key.is_empty(), "the key is gone once confirmed");
        let lines = c.lines();
        assert!(lines.contains(
            &"01234567 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567 89abcdef".to_owned()
        ));
        assert!(lines.iter().any(|l| l.starts_with("tsudoi/テスト施設+")));
        c.back();
        assert_eq!(c.step(), SetupStep::DeviceKeys, "no way back to the key");
        c.next();
        assert_eq!(c.step(), SetupStep::Done);
        assert_eq!(c.title(), "設定が終わりました");
        assert!(!c.finished());
        c.next();
        assert!(c.finished());
    }

    #[test]
    fn back_on_every_input_step_and_passwords_are_typed_again() {
        let (mut c, _) = wizard(Fake::default(), None);
        to_confirm(&mut c);
        c.back();
        assert_eq!(c.step(), SetupStep::Password);
        assert_eq!(c.first_shown(), "", "the passwords are typed again");
        assert_eq!(c.second_shown(), "");
        c.back();
        assert_eq!(c.step(), SetupStep::Manager);
        assert_eq!(c.first_shown(), "kanri01", "the id is kept");
        c.back();
        assert_eq!(c.step(), SetupStep::Site);
        assert_eq!(c.first_shown(), "テスト A1");
        c.back();
        assert_eq!(c.step(), SetupStep::Welcome);
        c.back();
        assert_eq!(c.step(), SetupStep::Welcome);
    }

    #[test]
    fn site_and_staff_id_are_checked() {
        let (mut c, _) = wizard(Fake::default(), None);
        c.next();
        c.key("空白");
        c.next();
        assert_eq!(c.step(), SetupStep::Site);
        assert_eq!(c.message(), "施設名を入力してください。");
        c.key("ア");
        assert_eq!(c.message(), "", "typing clears the message");
        c.key("あ");
        c.key("漢");
        assert_eq!(c.site(), " ア", "only what the keyboards type");
        c.backspace();
        c.backspace();
        c.key("ア");
        c.next();
        assert_eq!(c.step(), SetupStep::Manager);
        assert_eq!(c.site(), "ア");
        c.key("k");
        c.next();
        assert!(c.message().contains("2〜32文字"), "{}", c.message());
        assert_eq!(c.step(), SetupStep::Manager);
        c.key("空白");
        assert_eq!(c.manager(), "k", "no spaces in an id");
        for _ in 0..40 {
            c.key("a");
        }
        assert_eq!(c.manager().len(), 32);
    }

    #[test]
    fn password_rules_and_mismatch_in_plain_japanese() {
        let (mut c, _) = wizard(Fake::default(), None);
        c.next();
        c.key("ア");
        c.next();
        typed(&mut c, "kanri01");
        c.next();
        c.next();
        assert_eq!(c.message(), "パスワードを2回入力してください。");
        typed(&mut c, "short-1");
        c.focus(Field::Second);
        typed(&mut c, "short-1");
        c.next();
        assert_eq!(
            c.message(),
            "パスワードは13文字以上にしてください（今は7文字）。"
        );
        assert_eq!(c.first_shown(), "", "a refused password is cleared");
        assert_eq!(c.field(), Field::First);
        typed(&mut c, "kanri01-2026-pass");
        c.focus(Field::Second);
        typed(&mut c, "kanri01-2026-pass");
        c.next();
        assert_eq!(c.message(), "パスワードにスタッフIDを含めないでください。");
        typed(&mut c, PASSWORD);
        c.focus(Field::Second);
        typed(&mut c, "Hajimete-2026-pasS");
        c.next();
        assert_eq!(
            c.message(),
            "2回入力したパスワードが一致しません。もう一度入力してください。"
        );
        assert_eq!(c.field(), Field::Second);
        assert_eq!(c.first_shown().chars().count(), PASSWORD.len());
        assert_eq!(c.second_shown(), "");
        typed(&mut c, PASSWORD);
        c.backspace();
        assert_eq!(c.second_shown().chars().count(), PASSWORD.len() - 1);
        c.key("s");
        c.next();
        assert_eq!(c.step(), SetupStep::Confirm);
    }

    #[test]
    fn a_failed_creation_returns_to_the_confirmation() {
        let (mut c, _) = wizard(
            Fake {
                fail_create: true,
                ..Fake::default()
            },
            None,
        );
        to_confirm(&mut c);
        let job = c.create().unwrap();
        c.created(job.run());
        assert_eq!(c.step(), SetupStep::Confirm);
        assert_eq!(
            c.message(),
            "作成できませんでした。ディスクがいっぱいです。"
        );
        // The passwords are still there: 「作成する」 again is enough.
        assert!(c.create().is_some());
    }

    #[test]
    fn a_wrong_group_is_refused_and_the_key_can_be_seen_again() {
        let (mut c, fake) = wizard(Fake::default(), None);
        to_confirm(&mut c);
        let job = c.create().unwrap();
        c.created(job.run());
        c.next();
        for k in ["U", "V", "3"] {
            c.key(k);
        }
        c.next();
        assert_eq!(c.step(), SetupStep::RecoveryCheck);
        assert!(c.message().contains("一致しません"));
        assert_eq!(c.first_shown(), "");
        assert_eq!(*fake.kept.lock().unwrap(), 0);
        c.back();
        assert_eq!(c.step(), SetupStep::RecoveryKey);
        assert_eq!(c.key_groups().last().unwrap(), "UV2");
        c.next();
        // Lowercase, and 1/0 read as I/O, like a typed recovery key.
        for k in ["u", "v", "2"] {
            c.key(k);
        }
        c.next();
        assert_eq!(c.step(), SetupStep::DeviceKeys);
    }

    #[test]
    fn a_store_that_cannot_be_put_in_place_says_so() {
        let (mut c, _) = wizard(
            Fake {
                fail_keep: true,
                ..Fake::default()
            },
            None,
        );
        to_confirm(&mut c);
        let job = c.create().unwrap();
        c.created(job.run());
        c.next();
        for k in ["U", "V", "2"] {
            c.key(k);
        }
        c.next();
        assert_eq!(c.step(), SetupStep::RecoveryCheck);
        assert_eq!(c.message(), "保存ファイルを置けませんでした。置けません。");
        assert!(!c.recovery_key.is_empty(), "still there to try again");
    }

    #[test]
    fn the_configured_site_is_offered() {
        let (mut c, _) = wizard(Fake::default(), Some("  新宿区ふれあい交流スペース "));
        c.next();
        assert_eq!(c.first_shown(), "新宿区ふれあい交流スペース");
        assert!(c.lines()[0].contains("設定ファイルの施設名"));
        c.next();
        assert_eq!(c.step(), SetupStep::Manager);
        assert_eq!(c.site(), "新宿区ふれあい交流スペース");
    }

    #[test]
    fn the_real_maker_keeps_nothing_until_the_key_is_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tsudoi.db");
        let maker = StoreCreator {
            path: path.clone(),
            policy: Policy {
                kdf: crate::crypto::KdfParams::testing(),
                ..Policy::default()
            },
            postal: PostalTable::shinjuku(),
            clock: Arc::new(crate::clock::FixedClock::jst(
                chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                9,
                0,
            )),
        };
        // A set-up cut short earlier left its file: it is replaced.
        std::fs::write(maker.pending_path(), b"left over").unwrap();
        let made = maker.create("テスト施設", "kanri01", PASSWORD).unwrap();
        assert!(!path.exists());
        assert!(maker.pending_path().exists());
        assert_eq!(made.recovery_key.split('-').count(), 14);
        assert_eq!(made.public_key.len(), 64);
        assert!(made.audit_vkey.starts_with("tsudoi/テスト施設+"));
        maker.keep().unwrap();
        assert!(path.exists() && !maker.pending_path().exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["tsudoi.db"], "no WAL left beside it");
        assert!(matches!(
            maker.create("テスト施設", "kanri01", PASSWORD),
            Err(Error::StoreExists(_))
        ));
    }
}
