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

use zeroize::Zeroizing;

use super::{KioskController, Screen};
use crate::crypto::RecoveryKey;
use crate::report::{media, prepare_out_dir, sign, write_synced};

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

impl Erasure {
    /// How many characters of the recovery key are typed.
    pub fn key_len(&self) -> usize {
        self.key.chars().count()
    }

    /// The step's lines.
    pub fn lines(&self) -> Vec<String> {
        match self.step {
            ErasureStep::Plan => {
                let mut lines = vec![
                    "この端末のすべての個人情報と鍵を消去します。元にはもどせません。".to_owned(),
                ];
                // Two kinds a line: all fit at 800×480.
                lines.extend(self.counts.chunks(2).map(|pair| pair.join("　")));
                lines
            }
            ErasureStep::ReportDue if self.roster_due => vec![
                "区から提供されたグループの会員名簿が、最後に変わってから区に返還されていません（契約書第11条）。".into(),
                "先に名簿を区の鍵で暗号化して書き出し、区に返してから消去してください。USBメモリを1本だけ差して「名簿を区に返す」を押すと書き出します（コマンド tsudoi group return --out フォルダ でも書き出せます）。".into(),
            ],
            ErasureStep::ReportDue => vec![
                format!(
                    "{}の受付の記録が、まだ区への月次報告に出ていません。",
                    month_label(&self.month)
                ),
                "先に「月次報告」で最後の月の報告をUSBメモリに書き出してから、消去してください。"
                    .into(),
            ],
            ErasureStep::Key => vec![
                "区から預かった封筒の回復キーを入力してください（ハイフンは入力しません）。"
                    .into(),
                format!(
                    "入力した文字数：{}／{RECOVERY_KEY_CHARS}",
                    self.key_len()
                ),
            ],
            ErasureStep::Confirm => vec![
                "回復キーを確かめました。".into(),
                "消去すると、参加者の記録・受付の記録・スタッフのアカウント・監査ログがすべて消え、この端末では何もできなくなります。".into(),
            ],
            ErasureStep::ConfirmAgain => vec![
                "本当に消去しますか。元にはもどせません。".into(),
                "消去証明書を書き出すUSBメモリを1本用意してください。".into(),
            ],
            ErasureStep::Stick => match &self.medium {
                Some(m) => vec![
                    format!("USBメモリ：{}", m.name()),
                    "「消去して証明書を書き出す」を押すと消去が始まります。".into(),
                ],
                None => vec![
                    "消去証明書を書き出すUSBメモリを1本だけ差して、「もう一度さがす」を押してください。"
                        .into(),
                ],
            },
        }
    }
}

fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{y}年{}月", m.trim_start_matches('0')),
        None => month.to_owned(),
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
    fn erasure_state(&mut self, staff: &crate::store::StaffSession) -> Erasure {
        let mut e = Erasure {
            step: ErasureStep::Plan,
            counts: Vec::new(),
            month: String::new(),
            roster_due: false,
            key: Zeroizing::new(String::new()),
            medium: None,
            message: String::new(),
        };
        match self.store.report_due_before_erasure() {
            Ok(Some(month)) => {
                e.month = month;
                e.step = ErasureStep::ReportDue;
            }
            Ok(None)
                if !self.config.contract.roster_not_returned
                    && self.store.roster_return_state().is_ok_and(|r| r.due) =>
            {
                e.roster_due = true;
                e.step = ErasureStep::ReportDue;
            }
            Ok(None) => match self.store.erasure_plan(staff) {
                Ok(plan) => {
                    e.counts = plan
                        .counts
                        .iter()
                        .map(|c| format!("{}：{}件", c.label, c.count))
                        .collect()
                }
                Err(e2) => e.message = format!("消去する件数を数えられませんでした。{e2}"),
            },
            Err(e2) => e.message = format!("月次報告を確かめられませんでした。{e2}"),
        }
        e
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
            e.message.clear();
            match e.step {
                ErasureStep::Plan if !e.counts.is_empty() => e.step = ErasureStep::Key,
                ErasureStep::Confirm => e.step = ErasureStep::ConfirmAgain,
                ErasureStep::ConfirmAgain => {
                    e.medium = one_stick(&root);
                    e.step = ErasureStep::Stick;
                }
                _ => {}
            }
        }
    }

    /// A key of the recovery-key keyboard (A–Z, 2–7).
    pub fn erasure_key(&mut self, text: &str) {
        if let Some(e) = self.erasure_parts()
            && e.step == ErasureStep::Key
        {
            let mut chars = text.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && (c.is_ascii_uppercase() || ('2'..='7').contains(&c))
                && e.key.chars().count() < RECOVERY_KEY_CHARS
            {
                e.key.push(c);
                e.message.clear();
            }
        }
    }

    /// 「一文字消す」 on the recovery-key keyboard.
    pub fn erasure_backspace(&mut self) {
        if let Some(e) = self.erasure_parts()
            && e.step == ErasureStep::Key
        {
            e.key.pop();
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
                e.message = format!("消去できません。{err}");
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
            e.message = "区の公開鍵が設定されていないので、名簿を書き出せません。設定ファイルの [report] ward_public_key に区の公開鍵（age1 で始まる）を入れてもらってください。名簿は暗号化せずには書き出しません。".into();
            return;
        };
        let Some(medium) = one_stick(&root) else {
            e.message =
                "USBメモリが見つかりません。1本だけ差して、もう一度「名簿を区に返す」を押してください。"
                    .into();
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
                let done = format!(
                    "名簿（{}人）を区の鍵で暗号化して、USBメモリのフォルダ「{folder}」に書き出しました。区に渡してください。",
                    r.people
                );
                let mut e = self.erasure_state(&staff);
                e.message = done;
                self.erasure = Some(e);
            }
            Err(err) => {
                if let Some(e) = self.erasure.as_mut() {
                    e.message = format!("名簿を書き出せませんでした。{err}");
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
            e.message =
                "USBメモリが見つかりません。1本だけ差して「もう一度さがす」を押してください。"
                    .into();
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
                    e.message = format!("消去できませんでした。{err}");
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
        let mut lines = vec!["この端末の個人情報と鍵をすべて消去しました。".to_owned()];
        match written {
            Ok(()) => {
                lines.push(format!(
                    "消去証明書をUSBメモリのフォルダ「{folder}」に書き出し、読み戻して署名を確かめました。"
                ));
                lines.push(
                    "証明書（PDF）を印刷し、区の職員と一緒に確かめて署名してください。".into(),
                );
            }
            Err(err) => {
                lines.push(format!(
                    "消去証明書をUSBメモリに書き出せませんでした（{err}）。"
                ));
                lines.push(
                    "証明書は保存ファイルに残っています。コマンド tsudoi erase certificate --out フォルダ で書き出してください。".into(),
                );
            }
        }
        lines.push("この端末では、これ以上の操作はできません。".into());
        // The store is erased: no sign-out can be recorded, nothing else runs.
        self.erased = lines;
        self.erasure = None;
        self.staff = None;
        self.leave_staff_screens();
    }
}
