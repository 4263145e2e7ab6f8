//! What the report screen shows, built from the report's tables and counts:
//! the preview cells with their kinds, the chart's bars, ledger lines. Pure
//! functions, no state; the words are in [`super::wording`].

use chrono::{Datelike, NaiveDate};

use crate::jp_date;
use crate::report::media::LedgerEntry;
use crate::report::suppress::Cell;
use crate::report::{Month, MonthCounts, Table, Value, Wording};
use crate::store::sessions::Program;

use super::TABLE_ROWS;
use super::wording::{self, tab_label};

/// How a preview cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A label: program, date, title, band, town.
    Text,
    /// A count that is published as it is.
    Number,
    /// A count from 1 to the threshold, published as `<10`.
    Small,
    /// A count hidden so that a small one cannot be worked out (`秘匿`).
    Secondary,
}

/// One cell of the preview, as the CSV will print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewCell {
    /// The cell's text as the CSV prints it (a label, a count, `<10` or 秘匿).
    pub text: String,
    /// What the cell holds: a label, a count, a small count or a hidden one.
    pub kind: CellKind,
    /// For screen readers and tests: the row's labels and the column.
    pub label: String,
}

/// A column of the preview and its share of the table's width.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewColumn {
    /// The column's heading.
    pub title: String,
    /// The column's share of the table's width (0 to 1).
    pub share: f32,
    /// Whether the column holds counts (set flush right).
    pub numeric: bool,
}

/// One published table.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewTable {
    /// The CSV file's stem: `programs`, `sessions`, …
    pub id: &'static str,
    /// The short tab label.
    pub tab: &'static str,
    /// The table's heading over the preview.
    pub title: String,
    /// The table's columns, left to right.
    pub columns: Vec<PreviewColumn>,
    /// The table's rows, each cell in column order.
    pub rows: Vec<Vec<PreviewCell>>,
}

/// One bar of the chart: a program's visits in a week.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    /// The program the bar counts.
    pub program: Program,
    /// The program's visits that week.
    pub value: u64,
    /// Height as a share of the tallest bar of the month (0 to 1).
    pub level: f32,
    /// "10/5〜 地域交流支援".
    pub label: String,
}

/// One week of the chart, its bars in [`Program::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartWeek {
    /// The week's first day.
    pub start: NaiveDate,
    /// "10/5〜".
    pub label: String,
    /// The week's bars, one per program.
    pub bars: Vec<ChartBar>,
}

/// A line of the media ledger on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// "2026年11月2日 10:05".
    pub when: String,
    /// Who wrote to the stick.
    pub staff_id: String,
    /// The stick, as its label reads.
    pub medium: String,
    /// Why the data left the kiosk (the purpose picked).
    pub purpose: String,
    /// How many files were written.
    pub files: usize,
    /// Whether the files read back the same from the stick.
    pub verified: bool,
}

/// Width of a table in characters of the small font: about 780 px at 24 px,
/// less the row buttons' column when the table has more than one page.
const TABLE_UNITS: f32 = 31.5;
const PAGED_TABLE_UNITS: f32 = 28.5;

/// Month `delta` months after `m`.
pub fn shift_month(m: Month, delta: i32) -> Month {
    let index = m.year * 12 + m.month as i32 - 1 + delta;
    Month {
        year: index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
    }
}

/// Width of a text in characters of the small font (half-width ASCII).
fn text_units(s: &str) -> f32 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.68 } else { 1.0 })
        .sum()
}

/// The table as the CSV prints it, with each cell's kind and a label.
pub fn preview_table(table: &Table, wording: &Wording) -> PreviewTable {
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            table
                .rows
                .iter()
                .any(|r| matches!(r.get(i), Some(Value::Count(_))))
        })
        .collect();
    let rows: Vec<Vec<PreviewCell>> = table
        .rows
        .iter()
        .map(|row| {
            let key: Vec<String> = row
                .iter()
                .filter_map(|v| match v {
                    Value::Text(t) if !t.is_empty() => Some(t.clone()),
                    _ => None,
                })
                .collect();
            let key = key.join(" ");
            row.iter()
                .zip(&table.columns)
                .map(|(v, column)| PreviewCell {
                    text: wording.render(v),
                    kind: match v {
                        Value::Text(_) => CellKind::Text,
                        Value::Count(Cell::Shown(_)) => CellKind::Number,
                        Value::Count(Cell::Small) => CellKind::Small,
                        Value::Count(Cell::Secondary) => CellKind::Secondary,
                    },
                    label: format!("{key} {column}"),
                })
                .collect()
        })
        .collect();
    // Numbers and dates (all ASCII) get the width they need; label columns
    // share the rest (and elide when a title is very long). The header
    // stays on one line.
    let fixed_width: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            numeric[i]
                || rows
                    .iter()
                    .all(|r| r.get(i).is_none_or(|c| c.text.is_ascii()))
        })
        .collect();
    let need: Vec<f32> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|cell| text_units(&cell.text))
                .fold(0.0, f32::max);
            text_units(c).max(cells) + 0.6
        })
        .collect();
    let fixed: f32 = need
        .iter()
        .zip(&fixed_width)
        .filter(|(_, n)| **n)
        .map(|(w, _)| *w)
        .sum();
    let flexible: f32 = need
        .iter()
        .zip(&fixed_width)
        .filter(|(_, n)| !**n)
        .map(|(w, _)| *w)
        .sum();
    let units = if rows.len() > TABLE_ROWS {
        PAGED_TABLE_UNITS
    } else {
        TABLE_UNITS
    };
    // Too wide: the last label column gives way first (in every table it is
    // the free text: an activity's or a class's title), down to 4 characters.
    let mut widths = need.clone();
    let mut excess = fixed + flexible - units;
    for i in (0..widths.len()).rev() {
        if excess <= 0.0 {
            break;
        }
        if !fixed_width[i] {
            let give = (widths[i] - 4.0).clamp(0.0, excess);
            widths[i] -= give;
            excess -= give;
        }
    }
    let total: f32 = widths.iter().sum::<f32>().max(1.0);
    PreviewTable {
        id: table.id,
        tab: tab_label(table.id),
        title: table.title.clone(),
        columns: table
            .columns
            .iter()
            .zip(widths.iter().zip(&numeric))
            .map(|(title, (w, n))| PreviewColumn {
                title: title.clone(),
                share: w / total,
                numeric: *n,
            })
            .collect(),
        rows,
    }
}

/// "10/5〜".
fn week_label(d: NaiveDate) -> String {
    wording::week_label(d.month(), d.day())
}

/// The chart of visits by week and program.
///
/// Decision on small values: the bars show each week's exact visit count per
/// program, 1 to 9 included, and are not suppressed. The chart exists only on
/// this screen, for operators and managers, and shows no person; the same
/// exact per-session head counts are already on the staff Today screen for
/// every role, so an exact weekly total reveals nothing the operator cannot
/// see each day. Nothing of the chart is exported: the PDF's weekly chart is
/// computed separately and hides small weeks like any published cell.
pub fn chart(counts: &MonthCounts, month: Month) -> Vec<ChartWeek> {
    let weeks = counts.visits_by_week_and_program(month);
    let max = weeks
        .iter()
        .flat_map(|(_, v)| v.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    weeks
        .into_iter()
        .map(|(start, values)| {
            let label = week_label(start);
            ChartWeek {
                start,
                bars: Program::ALL
                    .iter()
                    .zip(values)
                    .map(|(p, value)| ChartBar {
                        program: *p,
                        value,
                        level: value as f32 / max as f32,
                        label: wording::bar_label(&label, *p),
                    })
                    .collect(),
                label,
            }
        })
        .collect()
}

/// "2026年11月2日 10:05" from the ledger's RFC 3339 time.
fn ledger_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => format!("{} {}", jp_date::ymd(t.date_naive()), t.format("%-H:%M")),
        Err(_) => at.to_owned(),
    }
}

pub(super) fn ledger_row(e: &LedgerEntry) -> LedgerRow {
    LedgerRow {
        when: ledger_time(&e.at),
        staff_id: e.staff_id.clone(),
        medium: e.medium.clone(),
        purpose: e.purpose.clone(),
        files: e.files.len(),
        verified: e.verified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::kiosk::flows::report::wording::{failure_message, month_label};
    use crate::report::csv::{self, Encoding};

    #[test]
    fn months_shift_across_years() {
        let m = Month {
            year: 2026,
            month: 1,
        };
        assert_eq!(
            shift_month(m, -1),
            Month {
                year: 2025,
                month: 12
            }
        );
        assert_eq!(
            shift_month(m, 12),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(month_label(m), "2026年1月");
    }

    #[test]
    fn failures_say_what_to_do_in_japanese() {
        let io = |k| Error::Io(std::io::Error::from(k));
        let m = failure_message(&io(std::io::ErrorKind::PermissionDenied));
        assert!(m.contains("書き込み禁止"), "{m}");
        let m = failure_message(&io(std::io::ErrorKind::ReadOnlyFilesystem));
        assert!(m.contains("書き込み禁止"), "{m}");
        let m = failure_message(&io(std::io::ErrorKind::StorageFull));
        assert!(m.contains("空きが足りません"), "{m}");
        let m = failure_message(&io(std::io::ErrorKind::NotFound));
        assert!(m.contains("差し込み直して"), "{m}");
        let m = failure_message(&io(std::io::ErrorKind::Other));
        assert!(!m.is_ascii() && !m.contains("os error"), "{m}");
        let cp932 = csv::encode("町名\r\n𠮷野\r\n", Encoding::Cp932, "towns.csv").unwrap_err();
        let m = failure_message(&cp932);
        assert!(m.contains("𠮷") && m.contains("UTF-8（標準）"), "{m}");
        assert!(!m.contains("--encoding"), "no command-line advice: {m}");
    }

    #[test]
    fn ledger_times_read_as_dates() {
        assert_eq!(
            ledger_time("2026-11-02T10:05:00+09:00"),
            "2026年11月2日 10:05"
        );
        assert_eq!(ledger_time("broken"), "broken");
    }

    #[test]
    fn preview_keeps_the_published_text_and_marks_hidden_cells() {
        let table = Table {
            id: "programs",
            title: "t".into(),
            columns: vec!["事業".into(), "延べ参加者数".into()],
            rows: vec![
                vec![
                    Value::Text("地域交流支援".into()),
                    Value::Count(Cell::Small),
                ],
                vec![
                    Value::Text("介護予防".into()),
                    Value::Count(Cell::Secondary),
                ],
                vec![Value::Text("合計".into()), Value::Count(Cell::Shown(40))],
            ],
        };
        let p = preview_table(&table, &Wording::default());
        assert_eq!(p.tab, "事業別");
        assert_eq!(p.rows[0][1].text, "<10");
        assert_eq!(p.rows[0][1].kind, CellKind::Small);
        assert_eq!(p.rows[0][1].label, "地域交流支援 延べ参加者数");
        assert_eq!(p.rows[1][1].text, "秘匿");
        assert_eq!(p.rows[1][1].kind, CellKind::Secondary);
        assert_eq!(p.rows[2][1].kind, CellKind::Number);
        let shares: f32 = p.columns.iter().map(|c| c.share).sum();
        assert!((shares - 1.0).abs() < 1e-4);
        assert!(p.columns[1].numeric && !p.columns[0].numeric);
    }
}
