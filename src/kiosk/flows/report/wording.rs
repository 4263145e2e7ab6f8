//! Every sentence and label of 「月の報告」 and its exports to a USB stick,
//! in one place.

use crate::error::Error;
use crate::jp_date;
use crate::report::Month;
use crate::report::csv::Encoding;
use crate::store::sessions::Program;

use super::{MonthReport, ReportStep, Transfer, Written};

/// Purposes an operator can pick for the report (the ledger CSV has its own).
pub const PURPOSES: [&str; 2] = ["区への月次報告", "その他（区の指示による）"];
/// The purpose recorded when the ledger itself is written to a stick.
pub const LEDGER_PURPOSE: &str = "受渡し管理簿の印刷";

/// The chart's tab, after the tables'.
pub const CHART_TAB: &str = "グラフ";
/// Where a medium has not been chosen (or an incident).
pub const UNCHOSEN: &str = "（未選択）";

/// The stick step with no stick.
pub const INSERT_STICK: &str = "USBメモリを差し込んでください。";
/// The stick step with sticks to choose from.
pub const CHOOSE_STICK: &str = "書き出すUSBメモリを選んでください。";
/// More sticks than the screen offers ([`super::MAX_MEDIA`]).
pub const TOO_MANY_STICKS: &str = "USBメモリがたくさん差し込まれています。使わないものを抜いて「もう一度さがす」を押してください。";
/// A staff member whose role may not open the report (operators and
/// managers may).
pub const NOT_ALLOWED: &str = "月の報告は運営者と取扱責任者が使えます。";

/// The words the report's screens show as they are.
pub struct Words {
    /// Back one step (or to 「今日の受付」).
    pub back: &'static str,
    /// The month chooser's button back.
    pub previous_month: &'static str,
    /// Read out for [`Words::previous_month`].
    pub previous_month_label: &'static str,
    /// The month chooser's button forward.
    pub next_month: &'static str,
    /// Read out for [`Words::next_month`].
    pub next_month_label: &'static str,
    /// On to writing the month's report to a stick.
    pub export: &'static str,
    /// Opens the media ledger (受渡し管理簿).
    pub ledger: &'static str,
    /// Read out for [`Words::ledger`].
    pub ledger_label: &'static str,
    /// Read out for the month shown.
    pub month_label: &'static str,
    /// Read out for the table's heading.
    pub table_label: &'static str,
    /// Read out for which rows are shown.
    pub rows_label: &'static str,
    /// The table's previous rows.
    pub rows_previous: &'static str,
    /// Read out for [`Words::rows_previous`].
    pub rows_previous_label: &'static str,
    /// The table's next rows.
    pub rows_next: &'static str,
    /// Read out for [`Words::rows_next`].
    pub rows_next_label: &'static str,
    /// Read out before a column's heading.
    pub column_prefix: &'static str,
    /// Read out for the legend.
    pub legend_label: &'static str,
    /// The legend read out whole: what `<10` and 秘匿 mean.
    pub legend_value: &'static str,
    /// The legend's mark for a count from 1 to 9.
    pub small: &'static str,
    /// Read out for [`Words::small`].
    pub small_label: &'static str,
    /// What [`Words::small`] means.
    pub small_meaning: &'static str,
    /// The legend's mark for a count hidden so a small one cannot be worked out.
    pub hidden: &'static str,
    /// Read out for [`Words::hidden`].
    pub hidden_label: &'static str,
    /// What [`Words::hidden`] means.
    pub hidden_meaning: &'static str,
    /// Read out for a week of the chart.
    pub week_label: &'static str,
    /// Read out for a step's heading.
    pub heading_label: &'static str,
    /// The stick step's heading with no stick.
    pub insert: &'static str,
    /// How to insert one, under it.
    pub insert_guide: &'static str,
    /// Looks for sticks again.
    pub retry_media: &'static str,
    /// The stick step's heading with sticks to choose from.
    pub choose: &'static str,
    /// On to the options.
    pub next: &'static str,
    /// Above the CSV encoding's choice.
    pub encoding_caption: &'static str,
    /// The UTF-8 choice (the default).
    pub utf8: &'static str,
    /// The CP932 choice, for older software.
    pub cp932: &'static str,
    /// Above the purpose's choice (recorded in the media ledger).
    pub purpose_caption: &'static str,
    /// Writes to the chosen stick.
    pub write: &'static str,
    /// While writing.
    pub writing: &'static str,
    /// While writing: do not pull the stick.
    pub writing_guide: &'static str,
    /// Tries the write again after a failure.
    pub retry: &'static str,
    /// Read out for why the write failed.
    pub failure_label: &'static str,
    /// From the result to the media ledger.
    pub see_ledger: &'static str,
    /// Writes the media ledger itself to a stick.
    pub ledger_export: &'static str,
    /// Read out for [`Words::ledger_export`].
    pub ledger_export_label: &'static str,
    /// The ledger with no entry yet.
    pub ledger_empty: &'static str,
    /// Read out for a ledger entry.
    pub ledger_entry_label: &'static str,
    /// The ledger's previous page.
    pub page_previous: &'static str,
    /// Read out for [`Words::page_previous`].
    pub page_previous_label: &'static str,
    /// The ledger's next page.
    pub page_next: &'static str,
    /// Read out for [`Words::page_next`].
    pub page_next_label: &'static str,
    /// Read out for the ledger's page number.
    pub page_label: &'static str,
}

/// The report's fixed words.
pub const WORDS: Words = Words {
    back: "もどる",
    previous_month: "◀ 前の月",
    previous_month_label: "前の月",
    next_month: "次の月 ▶",
    next_month_label: "次の月",
    export: "USBメモリに書き出す",
    ledger: "管理簿",
    ledger_label: "受渡し管理簿",
    month_label: "対象の月",
    table_label: "表の名前",
    rows_label: "表示している行",
    rows_previous: "▲ 前",
    rows_previous_label: "前の行",
    rows_next: "▼ 次",
    rows_next_label: "次の行",
    column_prefix: "列 ",
    legend_label: "表の見かた",
    legend_value: "<10 は1〜9人のため数を出さないセル、秘匿 は<10を逆算されないよう隠したセルです。",
    small: "<10",
    small_label: "凡例 <10",
    small_meaning: "1〜9人のため非表示",
    hidden: "秘匿",
    hidden_label: "凡例 秘匿",
    hidden_meaning: "<10の逆算を防ぐため非表示",
    week_label: "週",
    heading_label: "見出し",
    insert: "USBメモリを差し込んでください",
    insert_guide: "差し込んで数秒待ってから「もう一度さがす」を押してください。",
    retry_media: "もう一度さがす",
    choose: CHOOSE_STICK,
    next: "次へ",
    encoding_caption: "文字コード",
    utf8: "UTF-8（標準）",
    cp932: "CP932（Shift_JIS）",
    purpose_caption: "持ち出しの目的",
    write: "書き出す",
    writing: "書き出しています…",
    writing_guide: "USBメモリを抜かないでください。書いたあと読み戻して確かめます。",
    retry: "やり直す",
    failure_label: "書き出せなかった理由",
    see_ledger: "管理簿を見る",
    ledger_export: "USBメモリに\n書き出す",
    ledger_export_label: "管理簿をUSBメモリに書き出す",
    ledger_empty: "まだ記録はありません。USBメモリに書き出すと、ここに記録されます。",
    ledger_entry_label: "管理簿の記録",
    page_previous: "◀ 前",
    page_previous_label: "前のページ",
    page_next: "次 ▶",
    page_next_label: "次のページ",
    page_label: "ページ",
};

/// "2026年10月".
pub fn month_label(m: Month) -> String {
    jp_date::ym(m.year, m.month)
}

/// A table's tab, by the CSV file's stem.
pub fn tab_label(id: &str) -> &'static str {
    match id {
        "programs" => "事業別",
        "sessions" => "開催回",
        "age-bands" => "年齢",
        "towns" => "町名",
        "lottery" => "抽選",
        "lottery-attendance" => "出席",
        "fiscal-year" => "年度累計",
        "groups" => "団体",
        _ => "表",
    }
}

/// "7〜12行目／全42行".
pub fn rows_info(from: usize, to: usize, total: usize) -> String {
    format!("{from}〜{to}行目／全{total}行")
}

/// The line above the chart.
pub fn chart_title(m: Month) -> String {
    format!(
        "{} 週ごとの延べ参加者数（画面で確かめる用）",
        month_label(m)
    )
}

/// The error line when the month cannot be counted.
pub fn not_counted(e: &Error) -> String {
    format!("この月の集計ができませんでした。{e}")
}

/// The error line when the ledger cannot be read.
pub fn ledger_unreadable(e: &Error) -> String {
    format!("管理簿を読めませんでした。{e}")
}

/// "10/5〜".
pub fn week_label(month: u32, day: u32) -> String {
    format!("{month}/{day}〜")
}

/// A bar's label: "10/5〜 地域交流支援".
pub fn bar_label(week: &str, program: Program) -> String {
    format!("{week} {}", program.label())
}

/// Where a program's bars are and how they look, told apart without colour.
pub fn program_mark(index: usize) -> &'static str {
    match index {
        0 => "左・黒",
        1 => "中・しま",
        _ => "右・白",
    }
}

/// The chart legend's label of a program.
pub fn legend(program: &str) -> String {
    format!("凡例 {program}")
}

/// A ledger line's staff member.
pub fn ledger_staff(staff_id: &str) -> String {
    format!("担当 {staff_id}")
}

/// "3ファイル".
pub fn ledger_files(files: usize) -> String {
    format!("{files}ファイル")
}

/// Whether the stick read back what was written.
pub fn ledger_verified(verified: bool) -> &'static str {
    if verified {
        "読み戻し確認済"
    } else {
        "読み戻し不一致"
    }
}

/// A ledger line's second line: medium, purpose, files.
pub fn ledger_detail(medium: &str, purpose: &str, files: &str) -> String {
    format!("{medium}・{purpose}・{files}")
}

/// "1/3", the ledger's page.
pub fn page(page: usize, pages: usize) -> String {
    format!("{}/{}", page + 1, pages)
}

/// What the media ledger records as an export's purpose.
pub fn transfer_purpose(t: Transfer) -> &'static str {
    match t {
        Transfer::Report | Transfer::Ledger => LEDGER_PURPOSE,
        Transfer::Handling => "区への取扱状況報告",
        Transfer::Roster => "区への取扱者の届出",
        Transfer::Incident => "区への事故報告",
    }
}

/// The heading of the current step.
pub fn heading(r: &MonthReport) -> String {
    let ledger = r.transfer != Transfer::Report;
    match r.step {
        ReportStep::Preview => month_label(r.month),
        ReportStep::Media if r.transfer == Transfer::Ledger => "管理簿の書き出し先（1/2）".into(),
        ReportStep::Media if ledger => "書き出し先のUSBメモリ（1/2）".into(),
        ReportStep::Media => "書き出し先のUSBメモリ（1/3）".into(),
        ReportStep::Options => "書き出しの設定（2/3）".into(),
        ReportStep::Confirm if ledger => "内容を確かめてください（2/2）".into(),
        ReportStep::Confirm => "内容を確かめてください（3/3）".into(),
        ReportStep::Writing => "書き出しています…".into(),
        ReportStep::Done => "書き出しました".into(),
        ReportStep::Failed => "書き出せませんでした".into(),
        ReportStep::Ledger => "受渡し管理簿（新しい順）".into(),
    }
}

/// The result screen's headline.
pub fn outcome(ok: bool) -> &'static str {
    if ok {
        "書き出して、読み戻しを確かめました"
    } else {
        "書き出せませんでした"
    }
}

/// One line under the encoding buttons.
pub fn encoding_note(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8Bom => "UTF-8（BOM付き）：Excelでそのまま開けます。ふつうはこちらです。",
        Encoding::Cp932 => {
            "CP932（Shift_JIS）：区のシステムが求めるときだけ。表せない文字があると止まります。"
        }
    }
}

/// An encoding as its button says it.
pub fn encoding(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8Bom => WORDS.utf8,
        Encoding::Cp932 => WORDS.cp932,
    }
}

const READ_BACK: &str = "書いたあと読み戻して確かめ、受渡し管理簿に記録します。";

/// What the confirm screen lists; `csvs` is the number of tables the
/// report publishes, `ward` whether the ward's encrypted counts go along.
pub fn summary(r: &MonthReport, medium: &str, csvs: usize, ward: bool) -> Vec<String> {
    match r.transfer {
        Transfer::Report => {
            let mut files = format!("PDF 1、CSV {csvs}");
            if ward {
                files.push_str("、区の集計用（暗号化）1");
            }
            files.push_str("、署名 3");
            vec![
                format!("月：{}", month_label(r.month)),
                format!("書き出し先：{medium}"),
                format!("文字コード：{}", encoding(r.encoding)),
                format!("目的：{}", PURPOSES[r.purpose.min(PURPOSES.len() - 1)]),
                format!("ファイル：{files}"),
                READ_BACK.into(),
            ]
        }
        Transfer::Ledger => vec![
            "受渡し管理簿の全件（CSV、UTF-8）".into(),
            format!("書き出し先：{medium}"),
            format!("目的：{LEDGER_PURPOSE}"),
            "スタッフIDと媒体の名前だけで、参加者の情報は入っていません。".into(),
            "この書き出しも管理簿に記録します。".into(),
        ],
        Transfer::Handling => vec![
            format!(
                "個人情報の取扱状況報告：{}〜{}",
                jp_date::ymd(r.period.0),
                jp_date::ymd(r.period.1)
            ),
            format!("書き出し先：{medium}"),
            "ファイル：PDF 1、CSV 2、署名 3".into(),
            "件数とスタッフIDだけで、参加者の情報は入っていません。監査ログを確かめた結果も書きます。"
                .into(),
            READ_BACK.into(),
        ],
        Transfer::Roster => vec![
            "取扱責任者・取扱者の届出（スタッフ名簿）".into(),
            format!("書き出し先：{medium}"),
            "ファイル：PDF 1、CSV 1、署名 3".into(),
            "スタッフIDと役割だけで、参加者の情報は入っていません。".into(),
            READ_BACK.into(),
        ],
        Transfer::Incident => vec![
            format!(
                "事故報告書：{}",
                r.incident.as_deref().unwrap_or(UNCHOSEN)
            ),
            format!("書き出し先：{medium}"),
            "ファイル：PDF 1、CSV 1、署名 3".into(),
            "種類・日付・人数・登録番号・措置だけで、氏名などは入っていません。".into(),
            READ_BACK.into(),
        ],
    }
}

/// The label of the button that leaves the result screen.
pub fn back_label(t: Transfer) -> &'static str {
    match t {
        Transfer::Report => "報告にもどる",
        Transfer::Ledger => "管理簿にもどる",
        _ => "事故・点検にもどる",
    }
}

/// What the result screen lists.
pub fn result_lines(w: &Written) -> Vec<String> {
    let mut lines = vec![
        format!("{} に書き、読み戻して確かめました。", w.medium),
        format!("フォルダ：{}", w.folder),
    ];
    match w.transfer {
        Transfer::Report | Transfer::Handling | Transfer::Roster | Transfer::Incident => {
            lines.push(format!(
                "ファイル：{}件（ほかに署名のファイル{}件）",
                w.files, w.signature_files
            ));
            if let Some(k) = &w.key_prefix {
                lines.push(format!(
                    "端末の公開鍵（先頭16文字）：{k}　設置時の記録票と同じか確かめてください。"
                ));
            }
        }
        Transfer::Ledger => lines.push(format!("ファイル：{}件（受渡し管理簿）", w.files)),
    }
    lines.push("管理簿に記録しました。".into());
    lines
}

/// What staff read when writing to the stick failed: what is wrong and what
/// to do. Never the OS's English text, never a path beyond the stick's.
pub fn failure_message(e: &Error) -> String {
    use std::io::ErrorKind;
    match e {
        Error::Io(io) => match io.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                "USBメモリに書き込めません（書き込み禁止になっているか、書き込む権限がありません）。USBメモリの書き込み禁止のつまみを確かめるか、別のUSBメモリでやり直してください。".into()
            }
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                "USBメモリの空きが足りません。空きのあるUSBメモリでやり直してください。".into()
            }
            ErrorKind::NotFound => removed_message(),
            _ => "USBメモリに書き込めませんでした。抜けていないか確かめ、差し込み直してからやり直してください。続くときは別のUSBメモリを使ってください。".into(),
        },
        Error::Report(crate::report::ReportError::NotCp932 { .. }) => {
            let advice = "文字コードを「UTF-8（標準）」にしてやり直してください。";
            let m = e.to_string().replace("--encoding utf8-bom で出力してください。", advice);
            if m.contains(advice) {
                m
            } else {
                format!("{m}{advice}")
            }
        }
        other => other.to_string(),
    }
}

/// The stick went away before or while writing.
pub fn removed_message() -> String {
    "USBメモリが見つかりません。抜けていないか確かめ、差し込み直してから選び直してください。".into()
}

/// The stick read back something other than what was written.
pub fn mismatch_message() -> String {
    "USBメモリから読み戻した内容が、書いた内容と一致しませんでした。このUSBメモリは使わず、別のUSBメモリでやり直してください（管理簿には「不一致」と記録しました）。".into()
}
