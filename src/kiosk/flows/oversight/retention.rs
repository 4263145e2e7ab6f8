//! 「保存期間を過ぎた記録」 under 「事故・点検」 (issue 14, seed 003): the
//! records with no visit for `retention_years` whole fiscal years, listed by
//! 登録番号 and last-visit date only (no names), deleted after one
//! confirmation with [`crate::store::Store::delete_due`]. Managers and
//! handlers only (the store refuses others).

use chrono::NaiveDate;

use super::wording;
use crate::kiosk::controller::keys::step_page;
use crate::kiosk::controller::{KioskController, Screen};
use crate::store::participants::short_id;
use crate::store::retention::{DueRecord, retention_cutoff};

/// Records listed per page.
pub const DUE_ROWS: usize = 5;

/// The steps of deleting the records due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionStep {
    /// How many are due, and a page of them.
    List,
    /// Asks once more before deleting.
    Confirm,
    /// Deleted: how many.
    Done,
}

/// The retention screen's state: record ids and dates only.
#[derive(Debug, Clone)]
pub struct Retention {
    /// The screen's step: the list, the question, the result.
    pub step: RetentionStep,
    /// The records as listed, oldest activity first; exactly these are
    /// deleted (each only if still due).
    pub due: Vec<DueRecord>,
    /// The list's page on screen, from 0.
    pub page: usize,
    /// Whole fiscal years without a visit (the configuration's).
    pub years: u32,
    /// Records with their last activity before this day are due.
    pub cutoff: NaiveDate,
    /// How many were deleted.
    pub deleted: usize,
    /// Why something could not be shown or done.
    pub message: String,
}

impl Retention {
    /// How many pages the list takes (at least one).
    pub fn pages(&self) -> usize {
        self.due.len().div_ceil(DUE_ROWS).max(1)
    }

    /// The rows of the page on screen: 登録番号 and the last visit.
    pub fn rows(&self) -> Vec<String> {
        if self.step != RetentionStep::List {
            return Vec::new();
        }
        self.due
            .iter()
            .skip(self.page * DUE_ROWS)
            .take(DUE_ROWS)
            .map(|d| wording::due_row(&short_id(&d.id), d.last_activity))
            .collect()
    }

    /// The step's explanation.
    pub fn lines(&self) -> Vec<String> {
        wording::retention_lines(self)
    }
}

impl KioskController {
    /// 「保存期間を過ぎた記録」 on the 「事故・点検」 menu.
    pub fn oversight_retention(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        if self.screen != Screen::StaffOversight {
            return;
        }
        let years = self.config.retention_years;
        let today = self.store.clock().today();
        let outcome = self.store.records_due(&staff, years);
        let Some(o) = self.oversight.as_mut() else {
            return;
        };
        match outcome {
            Ok(due) => {
                o.message.clear();
                o.summary_page = None;
                o.retention = Some(Retention {
                    step: RetentionStep::List,
                    due,
                    page: 0,
                    years,
                    cutoff: retention_cutoff(today, years),
                    deleted: 0,
                    message: String::new(),
                });
            }
            Err(e) => o.message = wording::retention_failed(&e),
        }
    }

    fn retention_parts(&mut self) -> Option<&mut Retention> {
        if self.screen != Screen::StaffOversight || self.staff.is_none() {
            return None;
        }
        self.oversight.as_mut().and_then(|o| o.retention.as_mut())
    }

    /// ◀ ▶ on the list.
    pub fn retention_page(&mut self, delta: i32) {
        if let Some(r) = self.retention_parts()
            && r.step == RetentionStep::List
        {
            r.page = step_page(r.page, delta, r.pages());
        }
    }

    /// 「削除する」 on the list: asks once more.
    pub fn retention_delete(&mut self) {
        if let Some(r) = self.retention_parts()
            && r.step == RetentionStep::List
            && !r.due.is_empty()
        {
            r.message.clear();
            r.step = RetentionStep::Confirm;
        }
    }

    /// 「削除を確定する」: deletes exactly the listed records still due.
    pub fn retention_confirm(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(r) = self.retention_parts() else {
            return;
        };
        if r.step != RetentionStep::Confirm {
            return;
        }
        let (years, due) = (r.years, r.due.clone());
        let outcome = self.store.delete_due(&staff, years, &due);
        let Some(r) = self.retention_parts() else {
            return;
        };
        match outcome {
            Ok(n) => {
                r.deleted = n;
                r.step = RetentionStep::Done;
            }
            Err(e) => r.message = wording::not_deleted(&e),
        }
    }

    /// 「もどる」 while the retention screen is open: from the confirmation
    /// to the list, from the list to the menu; after deleting, the menu is
    /// read again.
    pub(in crate::kiosk) fn retention_back(&mut self) {
        let Some(o) = self.oversight.as_mut() else {
            return;
        };
        match o.retention.as_mut().map(|r| r.step) {
            Some(RetentionStep::Confirm) => {
                if let Some(r) = o.retention.as_mut() {
                    r.message.clear();
                    r.step = RetentionStep::List;
                }
            }
            Some(RetentionStep::List) => o.retention = None,
            Some(RetentionStep::Done) => self.oversight_open(),
            None => {}
        }
    }
}
