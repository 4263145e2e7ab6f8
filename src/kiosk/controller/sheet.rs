//! A lottery class's attendance sheet (出席簿) on the staff screens: seat
//! holders × sessions, the series' attendance rate, and who has missed
//! sessions in a row (to call, 見守り).

use super::{KioskController, Screen};
use crate::store::class_day::{ABSENCES_TO_CALL, AttendanceSheet};

/// Rows of the sheet per page at 800×480.
pub const SHEET_ROWS: usize = 5;

/// The open sheet and its page. Dropped when staff leave the screen.
pub struct SheetView {
    pub sheet: AttendanceSheet,
    pub page: usize,
}

/// One seat holder's line on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLine {
    /// 「12番 ヤマダ ハナコ」 (the furigana only for roles that handle people).
    pub who: String,
    /// 「○○×× 出席 2/4 続けて2回休み」.
    pub marks: String,
    /// Missed [`ABSENCES_TO_CALL`] or more in a row.
    pub to_call: bool,
}

impl SheetView {
    fn pages(&self) -> usize {
        self.sheet.rows.len().div_ceil(SHEET_ROWS).max(1)
    }

    /// The lines of the current page.
    pub fn lines(&self) -> Vec<SheetLine> {
        self.sheet
            .rows
            .iter()
            .skip(self.page * SHEET_ROWS)
            .take(SHEET_ROWS)
            .map(|r| {
                let name = r.kana.as_deref().map(String::as_str).unwrap_or_default();
                let mut marks = format!("{}　出席 {}/{}", r.marks_text(), r.attended(), r.held());
                if r.absences_in_row > 0 {
                    marks.push_str(&format!("　続けて{}回休み", r.absences_in_row));
                }
                SheetLine {
                    who: format!(
                        "{}番{}{}",
                        r.entry_number,
                        if name.is_empty() { "" } else { " " },
                        name
                    ),
                    marks,
                    to_call: r.absences_in_row >= ABSENCES_TO_CALL,
                }
            })
            .collect()
    }

    /// The series so far: rate, dates, who to call.
    pub fn summary(&self) -> String {
        let dates: Vec<String> = self
            .sheet
            .dates
            .iter()
            .map(|d| d.format("%-m/%-d").to_string())
            .collect();
        let rate = match self.sheet.rate_percent() {
            Some(r) => format!(
                "出席率 {r:.1}%（延べ {} / {}）",
                self.sheet.attended(),
                self.sheet.possible()
            ),
            None => "まだ始まっていません".to_owned(),
        };
        let to_call = self.sheet.to_call().count();
        let call = if to_call > 0 {
            format!(
                "。続けて{ABSENCES_TO_CALL}回以上休んでいる方 {to_call}人：ようすをうかがいましょう"
            )
        } else {
            String::new()
        };
        format!("{}回（{}）　{rate}{call}", dates.len(), dates.join(" "))
    }

    /// "1/2" when there is more than one page.
    pub fn page_label(&self) -> String {
        if self.pages() > 1 {
            format!("{}/{}", self.page + 1, self.pages())
        } else {
            String::new()
        }
    }
}

impl KioskController {
    /// 「出席簿」 on a lottery class's row of the Today screen (audited).
    pub fn sheet_open(&mut self, class_id: &str) {
        if self.screen != Screen::StaffToday {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        match self.store.attendance_sheet(&staff, class_id) {
            Ok(sheet) => {
                self.sheet = Some(SheetView { sheet, page: 0 });
                self.screen = Screen::StaffSheet;
            }
            Err(e) => self.staff_message = e.to_string(),
        }
    }

    /// The open sheet, if any.
    pub fn sheet(&self) -> Option<&SheetView> {
        self.sheet
            .as_ref()
            .filter(|_| self.screen == Screen::StaffSheet)
    }

    /// ▲ / ▼ on the sheet.
    pub fn sheet_page(&mut self, delta: i32) {
        if let Some(v) = self.sheet.as_mut() {
            let pages = v.pages();
            v.page = super::keys::step_page(v.page, delta, pages);
        }
    }
}
