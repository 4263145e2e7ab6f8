//! Every sentence and label of 「契約終了の消去」 and of the screen the
//! kiosk shows once erased, in one place.

use super::{Erasure, ErasureStep, RECOVERY_KEY_CHARS};
use crate::error::Error;

/// The header of the erasure's screens.
pub const TITLE: &str = "契約終了の消去（取扱責任者）";
/// The header once erased.
pub const ERASED_TITLE: &str = "消去しました";

/// The words the screens show as they are.
pub struct Words {
    /// Back to 「事故・点検」 before anything is typed.
    pub back: &'static str,
    /// Stops the erasure once it has begun (nothing is erased).
    pub cancel: &'static str,
    /// Read out for [`Words::cancel`]: that nothing is erased.
    pub cancel_label: &'static str,
    /// Writes the ward's roster back to a stick before erasing.
    pub return_roster: &'static str,
    /// Read out for [`Words::return_roster`].
    pub return_roster_label: &'static str,
    /// On from the plan to typing the recovery key.
    pub next: &'static str,
    /// The recovery-key keyboard's backspace key.
    pub backspace: &'static str,
    /// Read out for [`Words::backspace`].
    pub backspace_label: &'static str,
    /// Checks the typed recovery key.
    pub check_key: &'static str,
    /// Read out for [`Words::check_key`].
    pub check_key_label: &'static str,
    /// The first of the two presses that erase.
    pub erase: &'static str,
    /// The second press: the erasure runs.
    pub erase_again: &'static str,
    /// Looks for USB sticks again.
    pub scan: &'static str,
    /// Erases and writes the erasure certificate to the stick.
    pub run: &'static str,
}

/// The screens' fixed words.
pub const WORDS: Words = Words {
    back: "もどる",
    cancel: "やめる",
    cancel_label: "やめる（消去しない）",
    return_roster: "名簿を区に返す",
    return_roster_label: "名簿を区に返す（USBメモリへ）",
    next: "次へ（回復キー）",
    backspace: "⌫",
    backspace_label: "一文字消す",
    check_key: "確かめる",
    check_key_label: "回復キーを確かめる",
    erase: "消去する",
    erase_again: "本当に消去する",
    scan: "もう一度さがす",
    run: "消去して証明書を書き出す",
};

/// The left button: 「もどる」 before anything is typed, 「やめる」 after.
pub fn back(step: ErasureStep) -> &'static str {
    match step {
        ErasureStep::Plan | ErasureStep::ReportDue => WORDS.back,
        _ => WORDS.cancel,
    }
}

/// 「参加者の記録：41件」.
pub fn count(label: &str, n: impl std::fmt::Display) -> String {
    format!("{label}：{n}件")
}

/// "2026年3月" from `YYYY-MM`.
pub fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{y}年{}月", m.trim_start_matches('0')),
        None => month.to_owned(),
    }
}

/// The step's lines.
pub fn lines(e: &Erasure) -> Vec<String> {
    match e.step {
        ErasureStep::Plan => {
            let mut lines =
                vec!["この端末のすべての個人情報と鍵を消去します。元にはもどせません。".to_owned()];
            // Two kinds a line: all fit at 800×480.
            lines.extend(e.counts.chunks(2).map(|pair| pair.join("　")));
            lines
        }
        ErasureStep::ReportDue if e.roster_due => vec![
            "区から提供されたグループの会員名簿が、最後に変わってから区に返還されていません（契約書第11条）。".into(),
            "先に名簿を区の鍵で暗号化して書き出し、区に返してから消去してください。USBメモリを1本だけ差して「名簿を区に返す」を押すと書き出します（コマンド tsudoi group return --out フォルダ でも書き出せます）。".into(),
        ],
        ErasureStep::ReportDue => vec![
            format!(
                "{}の受付の記録が、まだ区への月次報告に出ていません。",
                month_label(&e.month)
            ),
            "先に「月次報告」で最後の月の報告をUSBメモリに書き出してから、消去してください。"
                .into(),
        ],
        ErasureStep::Key => vec![
            "区から預かった封筒の回復キーを入力してください（ハイフンは入力しません）。".into(),
            format!("入力した文字数：{}／{RECOVERY_KEY_CHARS}", e.key_len()),
        ],
        ErasureStep::Confirm => vec![
            "回復キーを確かめました。".into(),
            "消去すると、参加者の記録・受付の記録・スタッフのアカウント・監査ログがすべて消え、この端末では何もできなくなります。".into(),
        ],
        ErasureStep::ConfirmAgain => vec![
            "本当に消去しますか。元にはもどせません。".into(),
            "消去証明書を書き出すUSBメモリを1本用意してください。".into(),
        ],
        ErasureStep::Stick => match &e.medium {
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

/// The plan could not be counted; `e` says why.
pub fn not_counted(e: &Error) -> String {
    format!("消去する件数を数えられませんでした。{e}")
}

/// Whether the month's report is done could not be told; `e` says why.
pub fn report_unknown(e: &Error) -> String {
    format!("月次報告を確かめられませんでした。{e}")
}

/// The store refused to erase (wrong key, a report due …); `e` says why.
pub fn refused(e: &Error) -> String {
    format!("消去できません。{e}")
}

/// The erasure failed while running; `e` says why.
pub fn not_erased(e: &Error) -> String {
    format!("消去できませんでした。{e}")
}

/// The roster cannot be returned: no ward key to encrypt it to.
pub const NO_WARD_KEY: &str = "区の公開鍵が設定されていないので、名簿を書き出せません。設定ファイルの [report] ward_public_key に区の公開鍵（age1 で始まる）を入れてもらってください。名簿は暗号化せずには書き出しません。";
/// 「名簿を区に返す」 with no stick (or more than one).
pub const NO_STICK_FOR_ROSTER: &str =
    "USBメモリが見つかりません。1本だけ差して、もう一度「名簿を区に返す」を押してください。";
/// No stick (or more than one) for the certificate.
pub const NO_STICK: &str =
    "USBメモリが見つかりません。1本だけ差して「もう一度さがす」を押してください。";

/// The roster went back to the ward: how many people, which folder.
pub fn roster_returned(people: impl std::fmt::Display, folder: &str) -> String {
    format!(
        "名簿（{people}人）を区の鍵で暗号化して、USBメモリのフォルダ「{folder}」に書き出しました。区に渡してください。"
    )
}

/// The roster could not be written; `e` says why.
pub fn roster_not_returned(e: &Error) -> String {
    format!("名簿を書き出せませんでした。{e}")
}

/// What every screen says once erased; `written` is the certificate's
/// folder on the stick, or why it could not be written.
pub fn erased(written: std::result::Result<&str, &Error>) -> Vec<String> {
    let mut lines = vec!["この端末の個人情報と鍵をすべて消去しました。".to_owned()];
    match written {
        Ok(folder) => {
            lines.push(format!(
                "消去証明書をUSBメモリのフォルダ「{folder}」に書き出し、読み戻して署名を確かめました。"
            ));
            lines.push("証明書（PDF）を印刷し、区の職員と一緒に確かめて署名してください。".into());
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
    lines
}
