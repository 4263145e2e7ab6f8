//! 「契約終了の消去」 under 「事故・点検」 (issue 14; contract clauses 11
//! and 12), managers only: the counts that will go (or the monthly report
//! still to write, or the ward's roster still to return), the recovery key typed on screen, two confirmations,
//! then with one USB stick inserted the erasure
//! ([`crate::store::Store::erase_in_place`]) and the signed certificate
//! written to the stick and read back. Afterwards the kiosk does nothing
//! else: every screen is [`Screen::Erased`].
//!
//! The recovery key is held zeroized while typed and never shown (only how
//! many characters).
//!
//! Screens: the `=> Erasure` and `=> Erased` lines of the registry; words in
//! [`wording`].

pub mod adapter;
pub mod wording;

use zeroize::Zeroizing;

use crate::crypto::RecoveryKey;
use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen};
use crate::report::{media, prepare_out_dir, sign, write_synced};
use crate::store::{StaffSession, Store};

/// The recovery key's length in characters (without hyphens).
pub const RECOVERY_KEY_CHARS: usize = 55;
/// The certificate's folder on the stick.
const FOLDER: &str = "tsudoi-erasure-certificate";
/// The returned roster's folder on the stick.
const ROSTER_FOLDER: &str = "tsudoi-ward-roster";

/// The steps of the erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStep {
    /// What will be erased, kind by kind.
    Plan,
    /// The last monthly report has not been written, or the ward's roster
    /// not returned since it changed: nothing else.
    ReportDue,
    /// The recovery key on the on-screen keyboard.
    Key,
    /// 「消去する」: the first confirmation.
    Confirm,
    /// The second confirmation.
    ConfirmAgain,
    /// One USB stick for the certificate, then the erasure.
    Stick,
}

/// The erasure screen's state: counts, a month, a stick's name.
pub struct Erasure {
    /// Where the erasure is, step by step.
    pub step: ErasureStep,
    /// 「参加者の記録：41件」, one per kind.
    pub counts: Vec<String>,
    /// The month whose report is still due (`YYYY-MM`).
    pub month: String,
    /// On [`ErasureStep::ReportDue`]: the report is done, but the ward's
    /// roster has not been returned since it last changed.
    pub roster_due: bool,
    key: Zeroizing<String>,
    /// The one stick found on the stick step.
    pub medium: Option<media::Medium>,
    /// Why something could not be done.
    pub message: String,
}

/// What the erasure asks the store before it starts
/// (`tests/erasure_flow.rs` fakes it).
pub trait ErasureStore {
    /// The month whose check-ins have not been reported yet (`YYYY-MM`).
    fn report_due(&self) -> Result<Option<String>>;
    /// Whether the ward's roster changed since it was last returned.
    fn roster_due(&self) -> bool;
    /// What will be erased: (kind's label, how many), one per kind.
    fn plan(&self) -> Result<Vec<(String, u64)>>;
}

/// The store with the signed-in manager.
pub struct ManagerErasure<'a> {
    /// The store the flow reads.
    pub store: &'a Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl ErasureStore for ManagerErasure<'_> {
    fn report_due(&self) -> Result<Option<String>> {
        self.store.report_due_before_erasure()
    }

    fn roster_due(&self) -> bool {
        self.store.roster_return_state().is_ok_and(|r| r.due)
    }

    fn plan(&self) -> Result<Vec<(String, u64)>> {
        Ok(self
            .store
            .erasure_plan(self.staff)?
            .counts
            .into_iter()
            .map(|c| (c.label, c.count))
            .collect())
    }
}

impl Erasure {
    /// Where the erasure starts: the monthly report it waits for, else the
    /// ward's roster it waits for (unless `[contract] roster_not_returned`
    /// says none was ever provided), else the counts it would erase.
    pub fn opening(store: &impl ErasureStore, roster_exempt: bool) -> Self {
        let mut e = Erasure {
            step: ErasureStep::Plan,
            counts: Vec::new(),
            month: String::new(),
            roster_due: false,
            key: Zeroizing::new(String::new()),
            medium: None,
            message: String::new(),
        };
        match store.report_due() {
            Ok(Some(month)) => {
                e.month = month;
                e.step = ErasureStep::ReportDue;
            }
            Ok(None) if !roster_exempt && store.roster_due() => {
                e.roster_due = true;
                e.step = ErasureStep::ReportDue;
            }
            Ok(None) => match store.plan() {
                Ok(plan) => {
                    e.counts = plan
                        .iter()
                        .map(|(label, n)| wording::count(label, n))
                        .collect()
                }
                Err(err) => e.message = wording::not_counted(&err),
            },
            Err(err) => e.message = wording::report_unknown(&err),
        }
        e
    }

    /// Whether the plan step may go on to the recovery key.
    pub fn can_go_on(&self) -> bool {
        self.step == ErasureStep::Plan && !self.counts.is_empty()
    }

    /// A key of the recovery-key keyboard: one of A–Z and 2–7, up to
    /// [`RECOVERY_KEY_CHARS`]; anything else is ignored.
    pub fn type_key(&mut self, text: &str) {
        if self.step != ErasureStep::Key {
            return;
        }
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && (c.is_ascii_uppercase() || ('2'..='7').contains(&c))
            && self.key.chars().count() < RECOVERY_KEY_CHARS
        {
            self.key.push(c);
            self.message.clear();
        }
    }

    /// 「一文字消す」.
    pub fn backspace(&mut self) {
        if self.step == ErasureStep::Key {
            self.key.pop();
        }
    }

    /// 「次へ」 on the plan step (only with counts to erase), 「消去する」,
    /// 「本当に消去する」; the stick step's stick is looked for by the caller.
    pub fn next(&mut self) {
        self.message.clear();
        self.step = match self.step {
            ErasureStep::Plan if !self.counts.is_empty() => ErasureStep::Key,
            ErasureStep::Confirm => ErasureStep::ConfirmAgain,
            ErasureStep::ConfirmAgain => ErasureStep::Stick,
            s => s,
        };
    }

    /// How many characters of the recovery key are typed.
    pub fn key_len(&self) -> usize {
        self.key.chars().count()
    }

    /// The step's lines.
    pub fn lines(&self) -> Vec<String> {
        wording::lines(self)
    }
}

/// `name` in the stick's top folder, or `name-2`, `name-3`… if taken.
fn free_folder(medium: &media::Medium, name: &str) -> std::path::PathBuf {
    let mut dir = medium.mount_point.join(name);
    let mut n = 2;
    while dir.exists() {
        dir = medium.mount_point.join(format!("{name}-{n}"));
        n += 1;
    }
    dir
}

fn one_stick(root: &std::path::Path) -> Option<media::Medium> {
    match media::removable_media(root).as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

impl KioskController {
    /// The erasure screen's state, while it is open.
    pub fn erasure(&self) -> Option<&Erasure> {
        self.erasure.as_ref()
    }

    /// After the erasure: what the screen says (every screen).
    pub fn erased_lines(&self) -> &[String] {
        &self.erased
    }

    /// 「契約終了の消去」 on the 「事故・点検」 menu (managers).
    pub fn erasure_open(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        if self.screen != Screen::StaffOversight || staff.require_manager().is_err() {
            return;
        }
        let e = self.erasure_state(&staff);
        self.oversight = None;
        self.erasure = Some(e);
        self.screen = Screen::StaffErasure;
    }

    /// Where the erasure stands now: the report or the roster it waits
    /// for, else the counts it would erase.
    fn erasure_state(&mut self, staff: &StaffSession) -> Erasure {
        let store = ManagerErasure {
            store: &self.store,
            staff,
        };
        Erasure::opening(&store, self.config.contract.roster_not_returned)
    }

    fn erasure_parts(&mut self) -> Option<&mut Erasure> {
        if self.screen != Screen::StaffErasure || self.staff.is_none() {
            return None;
        }
        self.erasure.as_mut()
    }

    /// 「次へ」 / 「消去する」 / 「本当に消去する」.
    pub fn erasure_next(&mut self) {
        let root = self.config.usb.media_root.clone();
        if let Some(e) = self.erasure_parts() {
            let before = e.step;
            e.next();
            if before == ErasureStep::ConfirmAgain {
                e.medium = one_stick(&root);
            }
        }
    }

    /// A key of the recovery-key keyboard (A–Z, 2–7).
    pub fn erasure_key(&mut self, text: &str) {
        if let Some(e) = self.erasure_parts() {
            e.type_key(text);
        }
    }

    /// 「一文字消す」 on the recovery-key keyboard.
    pub fn erasure_backspace(&mut self) {
        if let Some(e) = self.erasure_parts() {
            e.backspace();
        }
    }

    /// 「確かめる」: the recovery key against the store (a wrong key is
    /// recorded in the audit log by the store).
    pub fn erasure_check_key(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(e) = self.erasure_parts() else {
            return;
        };
        if e.step != ErasureStep::Key {
            return;
        }
        let outcome = match RecoveryKey::parse(&e.key) {
            Ok(key) => {
                let request = self.config.contract.clone();
                self.store.check_erasure_allowed_for(&staff, &key, &request)
            }
            Err(err) => Err(err.into()),
        };
        let Some(e) = self.erasure.as_mut() else {
            return;
        };
        match outcome {
            Ok(()) => e.step = ErasureStep::Confirm,
            Err(err) => {
                e.key = Zeroizing::new(String::new());
                e.message = wording::refused(&err);
            }
        }
    }

    /// 「名簿を区に返す」 on the step that waits for the roster: the ward's
    /// roster, encrypted to the ward's key, to the one stick inserted
    /// ([`crate::store::Store::return_roster`]: signed, read back, in the
    /// media ledger and the audit log); then the erasure goes on to its
    /// counts. Managers only, like the erasure itself.
    pub fn erasure_return_roster(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let root = self.config.usb.media_root.clone();
        let ward = self.config.usb.ward.clone();
        let Some(e) = self.erasure_parts() else {
            return;
        };
        if e.step != ErasureStep::ReportDue || !e.roster_due {
            return;
        }
        let Some(ward) = ward else {
            e.message = wording::NO_WARD_KEY.into();
            return;
        };
        let Some(medium) = one_stick(&root) else {
            e.message = wording::NO_STICK_FOR_ROSTER.into();
            return;
        };
        let dir = free_folder(&medium, ROSTER_FOLDER);
        match self
            .store
            .return_roster(&staff, &dir, &medium.name(), &ward)
        {
            Ok(r) => {
                let folder = dir
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let done = wording::roster_returned(r.people, &folder);
                let mut e = self.erasure_state(&staff);
                e.message = done;
                self.erasure = Some(e);
            }
            Err(err) => {
                if let Some(e) = self.erasure.as_mut() {
                    e.message = wording::roster_not_returned(&err);
                }
            }
        }
    }

    /// 「もう一度さがす」 on the stick step.
    pub fn erasure_scan(&mut self) {
        let root = self.config.usb.media_root.clone();
        if let Some(e) = self.erasure_parts()
            && e.step == ErasureStep::Stick
        {
            e.message.clear();
            e.medium = one_stick(&root);
        }
    }

    /// 「もどる」 / 「やめる」: nothing erased, back to 「事故・点検」.
    pub fn erasure_back(&mut self) {
        if self.screen != Screen::StaffErasure {
            return;
        }
        self.erasure = None;
        self.oversight_open();
    }

    /// 「消去して証明書を書き出す」: erases, writes the certificate folder
    /// to the stick, reads it back; then the kiosk shows only that the data
    /// has been erased.
    pub fn erasure_run(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let root = self.config.usb.media_root.clone();
        let Some(e) = self.erasure_parts() else {
            return;
        };
        if e.step != ErasureStep::Stick {
            return;
        }
        let Some(medium) = e
            .medium
            .clone()
            .filter(|m| one_stick(&root).as_ref() == Some(m))
        else {
            e.medium = None;
            e.message = wording::NO_STICK.into();
            return;
        };
        let key = match RecoveryKey::parse(&e.key) {
            Ok(k) => k,
            Err(err) => {
                e.message = err.to_string();
                return;
            }
        };
        let erased = match self
            .store
            .erase_in_place(&staff, &key, &self.config.contract.clone())
        {
            Ok(erased) => erased,
            Err(err) => {
                if let Some(e) = self.erasure.as_mut() {
                    e.message = wording::not_erased(&err);
                }
                return;
            }
        };
        drop(key);
        let dir = free_folder(&medium, FOLDER);
        let folder = dir
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let written = (|| -> crate::error::Result<()> {
            prepare_out_dir(&dir)?;
            for (name, bytes) in &erased.files {
                write_synced(&dir.join(name), bytes)?;
            }
            media::flush_and_forget(&dir)?;
            let expected = sign::parse_public_key(&erased.public_key)?;
            sign::verify_dir(&dir, Some(&expected))?;
            Ok(())
        })();
        let lines = wording::erased(written.as_ref().map(|_| folder.as_str()));
        // The store is erased: no sign-out can be recorded, nothing else runs.
        self.erased = lines;
        self.erasure = None;
        self.staff = None;
        self.leave_staff_screens();
    }

    /// The header of the flow's screens.
    pub(in crate::kiosk) fn erasure_header(&self) -> Option<String> {
        match self.screen {
            Screen::StaffErasure => Some(wording::TITLE.into()),
            Screen::Erased => Some(wording::ERASED_TITLE.into()),
            _ => None,
        }
    }
}
