//! Every sentence and label of 「事故・点検」: the menu, the inspection
//! summary, recording an incident, and the records past the retention
//! period, in one place.

use chrono::{Datelike, NaiveDate};

use super::retention::{Retention, RetentionStep};
use super::{IncidentForm, IncidentStep};
use crate::error::Error;
use crate::jp_date;
use crate::store::incidents::IncidentKind;

/// The words the screens show as they are.
pub struct Words {
    /// Back one screen.
    pub back: &'static str,
    /// Starts recording an incident.
    pub record: &'static str,
    /// Opens the inspection summary (立入検査用).
    pub summary: &'static str,
    /// Starts 研修モード during the day (the staff member signs in again).
    pub training: &'static str,
    /// Writes last month's handling report (取扱状況報告) to a stick.
    pub handling_last_month: &'static str,
    /// Read out for [`Words::handling_last_month`].
    pub handling_last_month_label: &'static str,
    /// Writes this fiscal year's handling report to a stick.
    pub handling_this_year: &'static str,
    /// Read out for [`Words::handling_this_year`].
    pub handling_this_year_label: &'static str,
    /// Writes the staff roster (取扱責任者・取扱者の届出) to a stick.
    pub roster: &'static str,
    /// Read out for [`Words::roster`].
    pub roster_label: &'static str,
    /// Above the incidents' report buttons.
    pub incidents_caption: &'static str,
    /// Opens the records past the retention period.
    pub retention: &'static str,
    /// Opens 「契約終了の消去」 (managers).
    pub erasure: &'static str,
    /// What a handler (取扱者) does on this screen: record, tell the manager.
    pub handler_guide: &'static str,
    /// A list's previous page.
    pub page_previous: &'static str,
    /// Read out for [`Words::page_previous`].
    pub page_previous_label: &'static str,
    /// A list's next page.
    pub page_next: &'static str,
    /// Read out for [`Words::page_next`].
    pub page_next_label: &'static str,
    /// Read out for the page number.
    pub page_label: &'static str,
    /// The incident form's caption of the day it happened.
    pub occurred: &'static str,
    /// The caption of the day it was found.
    pub found: &'static str,
    /// The caption of how many people it touched.
    pub people: &'static str,
    /// A day earlier (the arrow on screen).
    pub day_less: &'static str,
    /// A day later.
    pub day_more: &'static str,
    /// One person fewer.
    pub people_less: &'static str,
    /// One person more.
    pub people_more: &'static str,
    /// Read out for moving the day it happened earlier.
    pub occurred_earlier: &'static str,
    /// Read out for moving the day it happened later.
    pub occurred_later: &'static str,
    /// Read out for moving the day it was found earlier.
    pub found_earlier: &'static str,
    /// Read out for moving the day it was found later.
    pub found_later: &'static str,
    /// Read out for one person fewer.
    pub people_fewer: &'static str,
    /// Read out for one person more.
    pub people_added: &'static str,
    /// On to the form's next step.
    pub next: &'static str,
    /// Records the incident.
    pub save: &'static str,
    /// Back to 「事故・点検」 (after an incident is recorded, or from the
    /// retention screen).
    pub to_menu: &'static str,
    /// Deletes the records past the retention period (after a question).
    pub delete: &'static str,
    /// Deletes them, once asked.
    pub delete_confirm: &'static str,
}

/// The screens' fixed words.
pub const WORDS: Words = Words {
    back: "もどる",
    record: "事故を記録する",
    summary: "点検用のまとめ",
    training: "研修モード",
    handling_last_month: "取扱状況報告\n（先月）",
    handling_last_month_label: "取扱状況報告 先月",
    handling_this_year: "取扱状況報告\n（今年度）",
    handling_this_year_label: "取扱状況報告 今年度",
    roster: "スタッフ名簿\n（届出）",
    roster_label: "スタッフ名簿 届出",
    incidents_caption: "事故報告書をUSBメモリに書き出す（新しい順）",
    retention: "保存期間を過ぎた記録",
    erasure: "契約終了の消去",
    handler_guide: "個人情報に関する事故（USBメモリをなくした、別の方に画面を見せてしまった、など）に気づいたら、すぐ記録して取扱責任者に伝えてください。点検用のまとめと区への報告書は、運営者と取扱責任者が使えます。",
    page_previous: "◀ 前",
    page_previous_label: "前のページ",
    page_next: "次 ▶",
    page_next_label: "次のページ",
    page_label: "ページ",
    occurred: "起きた日",
    found: "気づいた日",
    people: "参加者の人数",
    day_less: "◀",
    day_more: "▶",
    people_less: "−",
    people_more: "＋",
    occurred_earlier: "起きた日 前の日",
    occurred_later: "起きた日 次の日",
    found_earlier: "気づいた日 前の日",
    found_later: "気づいた日 次の日",
    people_fewer: "参加者の人数 1人へらす",
    people_added: "参加者の人数 1人ふやす",
    next: "次へ",
    save: "記録する",
    to_menu: "事故・点検にもどる",
    delete: "削除する",
    delete_confirm: "削除を確定する",
};

/// A measure's button for screen readers, saying whether it is chosen.
pub fn measure_label(measure: &str, on: bool) -> String {
    if on {
        format!("{measure} 選択中")
    } else {
        measure.to_owned()
    }
}

/// An incident's button: its number and kind.
pub fn incident_button(id: &str, kind: IncidentKind) -> String {
    format!("{id} {}", kind.label())
}

/// An incident's button for screen readers.
pub fn incident_label(button: &str) -> String {
    format!("事故報告書 {button}")
}

/// "2/5", a page.
pub fn page(page: usize, pages: usize) -> String {
    format!("{}/{}", page + 1, pages)
}

/// The header of the 「事故・点検」 screen.
pub const MENU_TITLE: &str = "事故・点検（区への届出と報告）";
/// The title bar over the inspection summary.
pub const SUMMARY_TITLE: &str = "点検用のまとめ（立入検査用）";
/// The title bar over the records past the retention period.
pub const RETENTION_TITLE: &str = "保存期間を過ぎた記録";

/// The header while an incident is recorded.
pub fn incident_title(f: &IncidentForm) -> String {
    format!("事故の記録　{}", step_title(f.step))
}

/// The incident form's step heading, with its place (「（1/4）」).
pub fn step_title(step: IncidentStep) -> &'static str {
    match step {
        IncidentStep::Kind => "何がありましたか（1/4）",
        IncidentStep::Details => "いつ・何人に（2/4）",
        IncidentStep::Measures => "したこと（3/4）いくつでも",
        IncidentStep::Confirm => "この内容で記録します（4/4）",
        IncidentStep::Done => "記録しました",
    }
}

/// A day of the incident: 「今日」「昨日」, the year when it is another.
pub fn day(d: NaiveDate, today: NaiveDate) -> String {
    let base = jp_date::md_weekday(d);
    match (today - d).num_days() {
        0 => format!("今日 {base}"),
        1 => format!("昨日 {base}"),
        _ if d.year() != today.year() => format!("{}{base}", jp_date::year(d)),
        _ => base,
    }
}

/// How many people, as the form shows it (0 says 「いない・まだわからない」).
pub fn people(n: u32) -> String {
    if n == 0 {
        "0人（いない・まだわからない）".into()
    } else {
        format!("{n}人")
    }
}

/// The confirm step's lines (and, once recorded, the result's).
pub fn incident_summary(f: &IncidentForm) -> Vec<String> {
    let measures = if f.measures.is_empty() {
        "まだありません（続報で記録できます）".to_owned()
    } else {
        f.measures
            .iter()
            .map(|m| m.label())
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut lines = Vec::new();
    if let Some(id) = &f.recorded {
        lines.push(format!("事故の番号：{id}"));
    }
    lines.extend([
        format!(
            "種類：{}",
            f.kind.map(|k| k.label()).unwrap_or("（未選択）")
        ),
        format!("起きた日：{}", f.occurred_label()),
        format!("気づいた日：{}", f.found_label()),
        format!("影響を受けた参加者：{}", f.people_label()),
        format!("したこと：{measures}"),
    ]);
    if f.recorded.is_some() {
        lines.push("取扱責任者が「事故・点検」から区への報告書をUSBメモリに書き出します。".into());
    } else {
        lines.push(
            "氏名などは記録しません。対象の方の登録番号は、取扱責任者がコマンドで記録できます。"
                .into(),
        );
    }
    lines
}

/// The inspection summary could not be made; `e` says why.
pub fn summary_failed(e: &Error) -> String {
    format!("点検用のまとめを作れませんでした。{e}")
}

/// The incident could not be recorded; `e` says why.
pub fn not_recorded(e: &Error) -> String {
    format!("記録できませんでした。{e}")
}

/// The records past the retention period could not be listed; `e` says why.
pub fn retention_failed(e: &Error) -> String {
    format!("保存期間を過ぎた記録を出せませんでした。{e}")
}

/// They could not be deleted; `e` says why.
pub fn not_deleted(e: &Error) -> String {
    format!("削除できませんでした。{e}")
}

/// A row of the retention list: 登録番号 and the last visit.
pub fn due_row(short_id: &str, last_activity: NaiveDate) -> String {
    format!(
        "登録番号 {short_id}　最後の来所（登録） {}",
        jp_date::ymd(last_activity)
    )
}

/// The retention step's explanation.
pub fn retention_lines(r: &Retention) -> Vec<String> {
    let n = r.due.len();
    match r.step {
        RetentionStep::List if n == 0 => vec![format!(
            "保存期間（来所のない年度が{}年度）を過ぎた記録はありません。",
            r.years
        )],
        RetentionStep::List => vec![
            format!(
                "保存期間を過ぎた記録：{n}件（来所のない年度が{}年度）",
                r.years
            ),
            format!(
                "最後の来所（または登録）が{}より前の記録です。",
                jp_date::ymd(r.cutoff)
            ),
        ],
        RetentionStep::Confirm => vec![
            format!("{n}件の記録を削除します。元にはもどせません。"),
            "来所と教室の申込の記録も一緒に削除されます。書き出した月報の人数はそのまま残ります。"
                .into(),
            "削除したことは、登録番号だけが監査ログに残ります。".into(),
        ],
        RetentionStep::Done => {
            let mut lines = vec![format!("{}件の記録を削除しました。", r.deleted)];
            if r.deleted < n {
                lines.push(format!(
                    "{}件は一覧を出したあとに来所などがあったため、残しました。",
                    n - r.deleted
                ));
            }
            lines.push("削除は監査ログに記録されています。".into());
            lines
        }
    }
}
