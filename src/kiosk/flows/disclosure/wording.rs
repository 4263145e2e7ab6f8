//! Every sentence and label of the disclosure (開示) screen, in one place.

use super::{Disclose, DiscloseStep};
use crate::error::Error;
use crate::report::media::Medium;

/// Leaves the screen, back to the record.
pub const BACK: &str = "もどる";
/// Looks for USB sticks again.
pub const SCAN: &str = "もう一度さがす";
/// Writes the disclosure PDF to the one stick found.
pub const WRITE: &str = "書き出す";
/// The write button for screen readers.
pub const WRITE_LABEL: &str = "開示用PDFを書き出す";
/// The header of the screen.
pub const TITLE: &str = "開示用のPDFをUSBメモリに書き出す";

/// No USB stick was found.
pub const NO_STICK: &str =
    "USBメモリが見つかりません。差し込んで「もう一度さがす」を押してください。";
/// More than one stick: the PDF must go to exactly one.
pub const MANY_STICKS: &str =
    "USBメモリが2本以上あります。1本だけにして「もう一度さがす」を押してください。";
/// The stick went away before or while writing.
pub const REMOVED: &str = "USBメモリが抜かれました。差し込んで「もう一度さがす」を押してください。";

/// The PDF could not be written; `e` says why.
pub fn not_written(e: &Error) -> String {
    format!("書き出せませんでした。{e}")
}

/// The step's lines.
pub fn lines(d: &Disclose) -> Vec<String> {
    match d.step {
        DiscloseStep::Insert | DiscloseStep::Failed => vec![d.message.clone()],
        DiscloseStep::Ready => vec![
            format!(
                "USBメモリ：{}",
                d.medium.as_ref().map(Medium::name).unwrap_or_default()
            ),
            "この方について保存している内容をすべて、A4のPDFにして書き出します。".into(),
            "書き出したことは監査ログと受渡し管理簿（目的：本人への開示）に残ります。".into(),
        ],
        DiscloseStep::Done => {
            let (folder, file) = d.written.clone().unwrap_or_default();
            vec![
                "書き出して、読み戻しを確かめました。".into(),
                format!("フォルダ：{folder}"),
                format!("ファイル：{file}"),
                "印刷してご本人にお渡ししたら、USBメモリのファイルを削除してください。".into(),
            ]
        }
    }
}
