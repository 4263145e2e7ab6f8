//! The operator's monthly report at the kiosk (issue 7): a preview of the
//! month's tables exactly as they will be published (suppressed cells
//! marked), a chart of visits by week and program, export to a USB stick with
//! read-back and the media ledger, and the ledger itself.
//!
//! Operators (運営者) and managers (取扱責任者) may open it; handlers may not.
//! Only counts reach this state: the store decrypts birth dates and towns in
//! memory to count age bands and towns, and hands back numbers, dates,
//! titles, bands and town names. No name, kana or phone is read. The state
//! is dropped when staff sign out or the staff screens lock.
//!
//! The same steps (a stick, the confirm, writing with read-back, the
//! result) also write the 「事故・点検」 screen's exports ([`Transfer`]).
//!
//! Screens: the `=> Report` line of the registry; words in [`wording`].

pub mod adapter;
mod view;
pub mod wording;

use view::ledger_row;
pub use view::{
    CellKind, ChartBar, ChartWeek, LedgerRow, PreviewCell, PreviewColumn, PreviewTable, chart,
    preview_table, shift_month,
};
pub use wording::{LEDGER_PURPOSE, PURPOSES, failure_message, month_label};
use wording::{mismatch_message, removed_message};

use std::path::PathBuf;

use chrono::Datelike;

use crate::error::{Error, Result};
use crate::kiosk::controller::keys::step_page;
use crate::kiosk::controller::{KioskController, Screen};
use crate::report::csv::{self, Encoding};
use crate::report::media::{self, LedgerEntry, LedgerFile, Medium};
use crate::report::merge::WardRecipient;
use crate::report::{Month, MonthlyReport, Wording};
use crate::store::{StaffSession, Store};

/// Where the kiosk's exports find USB sticks, and whom the report is also
/// sealed for (`[report] ward_public_key`).
#[derive(Debug, Clone)]
pub struct UsbExport {
    /// The system root whose `proc/mounts` and `sys/block` list the mounted
    /// media: `/` on the device, a fake tree in tests. The kiosk never mounts
    /// anything itself; the system image does.
    pub media_root: PathBuf,
    /// The ward's key (`[report] ward_public_key`): exports then also carry
    /// the raw counts encrypted to it, for the ward's merge.
    pub ward: Option<WardRecipient>,
}

impl Default for UsbExport {
    fn default() -> Self {
        Self {
            media_root: PathBuf::from("/"),
            ward: None,
        }
    }
}

/// Which part of the report screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// The tables and the chart of a month.
    Preview,
    /// Choose the USB stick (or be asked to insert one).
    Media,
    /// Text encoding and purpose.
    Options,
    /// What will be written where, before anything is.
    Confirm,
    /// Writing, flushing and reading back (shown for the moment it takes).
    Writing,
    /// Written, read back and entered in the ledger.
    Done,
    /// Nothing usable was written: the reason and what to do.
    Failed,
    /// The media ledger (受渡し管理簿), newest first.
    Ledger,
}

/// What goes onto the stick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// The month's report folder (PDF, CSV, signatures).
    Report,
    /// The media ledger as a printable CSV.
    Ledger,
    /// 個人情報の取扱状況報告 for [`MonthReport::period`] (from 「事故・点検」).
    Handling,
    /// 取扱責任者・取扱者の届出, the staff roster (from 「事故・点検」, managers).
    Roster,
    /// The written report of [`MonthReport::incident`] (from 「事故・点検」, managers).
    Incident,
}

impl Transfer {
    /// The exports started from the 「事故・点検」 screen, which go back there.
    pub fn from_oversight(self) -> bool {
        matches!(
            self,
            Transfer::Handling | Transfer::Roster | Transfer::Incident
        )
    }

    /// What the media ledger records as the purpose.
    fn purpose(self) -> &'static str {
        wording::transfer_purpose(self)
    }
}

/// What the result screen reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// What was written: the report, the ledger, another report.
    pub transfer: Transfer,
    /// The stick it was written to, as its label reads.
    pub medium: String,
    /// The new folder's name on the stick.
    pub folder: String,
    /// Files in it: the report's own (as in the ledger) …
    pub files: usize,
    /// … and the signature files next to them.
    pub signature_files: usize,
    /// The first 16 hex characters of the device's public key (reports only).
    pub key_prefix: Option<String>,
}

/// Preview rows per page; everything on screen scales with the window, so
/// the same number fits at 800×480 and 1280×800.
pub const TABLE_ROWS: usize = 6;
/// Ledger entries per page.
pub const LEDGER_ROWS: usize = 3;
/// At most this many sticks are offered (each is a big button).
pub const MAX_MEDIA: usize = 3;

const EARLIEST: Month = Month {
    year: 2000,
    month: 1,
};

/// The report screen's state. Holds counts only.
pub struct MonthReport {
    /// The screen's step: the preview, the options, the stick, the result.
    pub step: ReportStep,
    /// The month shown (the chooser moves it).
    pub month: Month,
    /// The current month: the chooser never goes beyond it.
    pub latest: Month,
    report: Option<MonthlyReport>,
    /// The month's tables as previewed (counts only).
    pub tables: Vec<PreviewTable>,
    /// A table's index, or `tables.len()` for the chart.
    pub tab: usize,
    /// The page of the current table's rows.
    pub row_page: usize,
    /// The month's visits by week, for the chart tab.
    pub chart: Vec<ChartWeek>,
    /// The USB sticks found (at most [`MAX_MEDIA`]).
    pub media: Vec<Medium>,
    /// The stick chosen among `media`.
    pub medium: Option<usize>,
    /// The CSV's encoding (UTF-8 with a BOM, or CP932 for older software).
    pub encoding: Encoding,
    /// The purpose picked for the media ledger (its position in [`PURPOSES`]).
    pub purpose: usize,
    /// What the export writes (the report, the ledger, another report).
    pub transfer: Transfer,
    /// An error or a hint on the current step.
    pub message: String,
    /// What was written, on the result step.
    pub written: Option<Written>,
    /// The media ledger's entries, newest first.
    pub ledger: Vec<LedgerRow>,
    /// The ledger's page on screen, from 0.
    pub ledger_page: usize,
    /// The handling report's period (Japan dates, both included).
    pub period: (chrono::NaiveDate, chrono::NaiveDate),
    /// The incident whose report is written.
    pub incident: Option<String>,
}

impl MonthReport {
    fn new(month: Month, latest: Month) -> Self {
        Self {
            step: ReportStep::Preview,
            month,
            latest,
            report: None,
            tables: Vec::new(),
            tab: 0,
            row_page: 0,
            chart: Vec::new(),
            media: Vec::new(),
            medium: None,
            encoding: Encoding::Utf8Bom,
            purpose: 0,
            transfer: Transfer::Report,
            message: String::new(),
            written: None,
            ledger: Vec::new(),
            ledger_page: 0,
            period: (month.first_day(), month.last_day()),
            incident: None,
        }
    }

    /// Whether the chooser can go a month back (not before 2000).
    pub fn can_go_back(&self) -> bool {
        self.month > EARLIEST
    }

    /// Whether the chooser can go a month forward (not past this month).
    pub fn can_go_forward(&self) -> bool {
        self.month < self.latest
    }

    /// The short labels of the tabs: the tables, then the chart.
    pub fn tab_labels(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.tables.iter().map(|t| t.tab).collect();
        v.push(wording::CHART_TAB);
        v
    }

    /// Whether the chart tab (not a table) is on screen.
    pub fn showing_chart(&self) -> bool {
        self.tab >= self.tables.len()
    }

    /// The table on screen, if a table (not the chart) is.
    pub fn table(&self) -> Option<&PreviewTable> {
        self.tables.get(self.tab)
    }

    /// How many pages the current table's rows take (at least one).
    pub fn row_pages(&self) -> usize {
        self.table()
            .map(|t| t.rows.len().div_ceil(TABLE_ROWS).max(1))
            .unwrap_or(1)
    }

    /// The rows of the current page.
    pub fn visible_rows(&self) -> &[Vec<PreviewCell>] {
        match self.table() {
            Some(t) => {
                let from = (self.row_page * TABLE_ROWS).min(t.rows.len());
                let to = (from + TABLE_ROWS).min(t.rows.len());
                &t.rows[from..to]
            }
            None => &[],
        }
    }

    /// "7〜12行目／全42行", when the table needs more than one page.
    pub fn rows_info(&self) -> String {
        match self.table() {
            Some(t) if t.rows.len() > TABLE_ROWS => {
                let from = self.row_page * TABLE_ROWS + 1;
                let to = (from + TABLE_ROWS - 1).min(t.rows.len());
                wording::rows_info(from, to, t.rows.len())
            }
            _ => String::new(),
        }
    }

    /// The line above the table or chart.
    pub fn title(&self) -> String {
        match self.table() {
            Some(t) => t.title.clone(),
            None => wording::chart_title(self.month),
        }
    }

    /// How many pages the media ledger takes (at least one).
    pub fn ledger_pages(&self) -> usize {
        self.ledger.len().div_ceil(LEDGER_ROWS).max(1)
    }

    /// The ledger's entries on the current page.
    pub fn visible_ledger(&self) -> &[LedgerRow] {
        let from = (self.ledger_page * LEDGER_ROWS).min(self.ledger.len());
        let to = (from + LEDGER_ROWS).min(self.ledger.len());
        &self.ledger[from..to]
    }

    /// The stick chosen to write to, if one is.
    pub fn chosen_medium(&self) -> Option<&Medium> {
        self.medium.and_then(|i| self.media.get(i))
    }

    /// The heading of the current step.
    pub fn step_title(&self) -> String {
        wording::heading(self)
    }

    /// One line under the encoding buttons.
    pub fn encoding_note(&self) -> &'static str {
        wording::encoding_note(self.encoding)
    }

    /// What the confirm screen lists.
    pub fn summary(&self, ward: bool) -> Vec<String> {
        let medium = self
            .chosen_medium()
            .map(Medium::name)
            .unwrap_or_else(|| wording::UNCHOSEN.into());
        // Counted from the report itself, so the line follows the tables it
        // publishes (it said 6 after the groups table made 8).
        let csvs = self
            .report
            .as_ref()
            .map_or(0, |r| r.published_tables().len());
        wording::summary(self, &medium, csvs, ward)
    }

    /// The label of the button that leaves the result screen.
    pub fn back_label(&self) -> &'static str {
        wording::back_label(self.transfer)
    }

    /// What the result screen lists.
    pub fn result_lines(&self) -> Vec<String> {
        self.written
            .as_ref()
            .map(wording::result_lines)
            .unwrap_or_default()
    }

    fn compute(&mut self, store: &Store, staff: &StaffSession) {
        self.report = None;
        self.tables.clear();
        self.chart.clear();
        self.row_page = 0;
        self.message.clear();
        match store.monthly_report(staff, self.month, Wording::default()) {
            Ok(report) => {
                // Every table the export writes, the groups' included.
                self.tables = report
                    .published_tables()
                    .iter()
                    .map(|t| preview_table(t, &report.wording))
                    .collect();
                self.chart = chart(&report.month_counts, self.month);
                self.report = Some(report);
            }
            Err(e) => {
                self.message = wording::not_counted(&e);
            }
        }
        self.tab = self.tab.min(self.tables.len());
    }

    fn scan_media(&mut self, root: &std::path::Path) {
        let mut found = media::removable_media(root);
        self.message.clear();
        if found.len() > MAX_MEDIA {
            found.truncate(MAX_MEDIA);
            self.message = wording::TOO_MANY_STICKS.into();
        }
        // Keep the choice if the same stick is still there; one stick is chosen for you.
        let before = self.chosen_medium().cloned();
        self.media = found;
        self.medium = match before {
            Some(m) => self.media.iter().position(|x| *x == m),
            None => None,
        };
        if self.media.len() == 1 {
            self.medium = Some(0);
        }
    }
}

impl KioskController {
    /// Whether the signed-in staff member may open the monthly report
    /// (operators and managers, after the first password change).
    pub fn report_available(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| s.require_reporting().is_ok())
    }

    /// The report screen's state, while it is open.
    pub fn month_report(&self) -> Option<&MonthReport> {
        self.report.as_ref()
    }

    /// "月の報告" on the Today screen: the previous month's preview.
    pub fn report_start(&mut self) {
        if self.screen != Screen::StaffToday {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        if let Err(e) = staff.require_reporting() {
            self.staff_message = format!("{}{e}", wording::NOT_ALLOWED);
            return;
        }
        let today = self.store.clock().today();
        let latest = Month {
            year: today.year(),
            month: today.month(),
        };
        let mut r = MonthReport::new(shift_month(latest, -1), latest);
        r.compute(&self.store, &staff);
        self.staff_message.clear();
        self.report = Some(r);
        self.screen = Screen::StaffReport;
    }

    /// The staff member and the open report, if both are there and allowed.
    fn report_parts(&mut self) -> Option<(StaffSession, &mut MonthReport)> {
        if self.screen != Screen::StaffReport {
            return None;
        }
        let staff = self.staff.clone()?;
        staff.require_reporting().ok()?;
        Some((staff, self.report.as_mut()?))
    }

    /// "もどる" on any report step.
    pub fn report_back(&mut self) {
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        r.message.clear();
        let oversight = r.transfer.from_oversight();
        match r.step {
            ReportStep::Preview => {
                self.report = None;
                self.open_today();
            }
            ReportStep::Confirm if oversight => r.step = ReportStep::Media,
            ReportStep::Media | ReportStep::Done | ReportStep::Failed if oversight => {
                self.report = None;
                self.oversight_open();
            }
            // Back to the ledger, read again so the new entry shows.
            ReportStep::Media | ReportStep::Done if r.transfer == Transfer::Ledger => {
                self.report_ledger()
            }
            ReportStep::Media | ReportStep::Done | ReportStep::Ledger => {
                r.step = ReportStep::Preview
            }
            ReportStep::Options => r.step = ReportStep::Media,
            ReportStep::Confirm if r.transfer == Transfer::Ledger => r.step = ReportStep::Media,
            ReportStep::Confirm => r.step = ReportStep::Options,
            ReportStep::Failed if r.transfer == Transfer::Ledger => self.report_ledger(),
            ReportStep::Failed => r.step = ReportStep::Preview,
            ReportStep::Writing => {}
        }
    }

    /// ◀ 前の月 (-1) / 次の月 ▶ (+1), never beyond the current month.
    pub fn report_month(&mut self, delta: i32) {
        let Some((staff, r)) = self.report_parts() else {
            return;
        };
        if r.step != ReportStep::Preview {
            return;
        }
        let next = shift_month(r.month, delta);
        if next > r.latest || next < EARLIEST || next == r.month {
            return;
        }
        r.month = next;
        let store = &self.store;
        if let Some(r) = self.report.as_mut() {
            r.compute(store, &staff);
        }
    }

    /// A tab: a table, or the chart after the tables.
    pub fn report_tab(&mut self, index: usize) {
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        if r.step == ReportStep::Preview && index <= r.tables.len() {
            r.tab = index;
            r.row_page = 0;
        }
    }

    /// The next (+1) or previous (-1) rows of a long table.
    pub fn report_rows(&mut self, delta: i32) {
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        r.row_page = step_page(r.row_page, delta, r.row_pages());
    }

    /// "USBメモリに書き出す" on the preview: looks for sticks.
    pub fn report_export_start(&mut self) {
        let root = self.config.usb.media_root.clone();
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        if r.step != ReportStep::Preview || r.report.is_none() {
            return;
        }
        r.transfer = Transfer::Report;
        r.medium = None;
        r.written = None;
        r.scan_media(&root);
        r.step = ReportStep::Media;
    }

    /// "もう一度さがす".
    pub fn report_media_retry(&mut self) {
        let root = self.config.usb.media_root.clone();
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Media
        {
            r.scan_media(&root);
        }
    }

    /// Picks one of the listed sticks.
    pub fn report_medium(&mut self, index: usize) {
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Media
            && index < r.media.len()
        {
            r.medium = Some(index);
        }
    }

    /// "次へ": stick → settings → confirm (the ledger needs no settings).
    pub fn report_next(&mut self) {
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        match r.step {
            ReportStep::Media if r.chosen_medium().is_none() => {
                r.message = if r.media.is_empty() {
                    wording::INSERT_STICK
                } else {
                    wording::CHOOSE_STICK
                }
                .into();
            }
            ReportStep::Media => {
                r.message.clear();
                r.step = match r.transfer {
                    Transfer::Report => ReportStep::Options,
                    _ => ReportStep::Confirm,
                };
            }
            ReportStep::Options => r.step = ReportStep::Confirm,
            _ => {}
        }
    }

    /// The CSV's encoding chosen on the options step.
    pub fn report_encoding(&mut self, encoding: Encoding) {
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Options
        {
            r.encoding = encoding;
        }
    }

    /// The ledger's purpose chosen on the options step (its position in
    /// [`PURPOSES`]).
    pub fn report_purpose(&mut self, index: usize) {
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Options
            && index < PURPOSES.len()
        {
            r.purpose = index;
        }
    }

    /// "書き出す" on the confirm step: shows 「書き出しています…」. The
    /// screen calls [`Self::report_write`] once that is drawn.
    pub fn report_confirm(&mut self) {
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Confirm
        {
            r.message.clear();
            r.step = ReportStep::Writing;
        }
    }

    /// Writes, flushes, reads back and records; then the result or the reason.
    pub fn report_write(&mut self) {
        let root = self.config.usb.media_root.clone();
        let ward = self.config.usb.ward.clone();
        let Some((staff, r)) = self.report_parts() else {
            return;
        };
        if r.step != ReportStep::Writing {
            return;
        }
        // The stick must still be mounted where it was: a folder left behind
        // by an unplugged stick is on the kiosk's own card.
        let chosen = r.chosen_medium().cloned();
        let Some(medium) = chosen.filter(|m| media::removable_media(&root).contains(m)) else {
            r.message = removed_message();
            r.step = ReportStep::Failed;
            return;
        };
        let (transfer, month, encoding) = (r.transfer, r.month, r.encoding);
        let (period, incident) = (r.period, r.incident.clone());
        let purpose = PURPOSES[r.purpose.min(PURPOSES.len() - 1)];
        let preflight = match (&r.report, encoding) {
            (Some(report), Encoding::Cp932) => cp932_preflight(report),
            (None, _) if transfer == Transfer::Report => {
                Err(crate::kiosk::error::KioskError::NoCounts.into())
            }
            _ => Ok(()),
        };
        let ledger_before = self.store.media_ledger().map(|l| l.len()).unwrap_or(0);
        let outcome = preflight.and_then(|()| match transfer {
            Transfer::Report => self
                .store
                .export_report_to_medium(
                    &staff,
                    month,
                    &medium,
                    purpose,
                    encoding,
                    Wording::default(),
                    ward.as_ref(),
                )
                .and_then(|export| {
                    let all = std::fs::read_dir(&export.dir)?.count();
                    Ok(Written {
                        transfer,
                        medium: medium.name(),
                        folder: folder_name(&export.dir),
                        files: export.files.len(),
                        signature_files: all.saturating_sub(export.files.len()),
                        key_prefix: Some(export.public_key.chars().take(16).collect()),
                    })
                }),
            Transfer::Ledger => write_ledger(&mut self.store, &staff, &medium),
            Transfer::Handling | Transfer::Roster | Transfer::Incident => {
                let (folder, purpose) = match transfer {
                    Transfer::Handling => (
                        format!("tsudoi-handling-{}-{}", period.0, period.1),
                        transfer.purpose(),
                    ),
                    Transfer::Roster => (
                        format!("tsudoi-staff-roster-{}", self.store.clock().today()),
                        transfer.purpose(),
                    ),
                    _ => (
                        format!("tsudoi-incident-{}", incident.clone().unwrap_or_default()),
                        transfer.purpose(),
                    ),
                };
                self.store
                    .export_to_medium(
                        &staff,
                        &medium,
                        &folder,
                        purpose,
                        |store, dir| match transfer {
                            Transfer::Handling => {
                                store.export_handling_report(&staff, period.0, period.1, &[], dir)
                            }
                            Transfer::Roster => store.export_staff_roster(&staff, dir),
                            _ => store.export_incident_report(
                                &staff,
                                incident.as_deref().unwrap_or_default(),
                                dir,
                            ),
                        },
                    )
                    .and_then(|export| {
                        let all = std::fs::read_dir(&export.dir)?.count();
                        Ok(Written {
                            transfer,
                            medium: medium.name(),
                            folder: folder_name(&export.dir),
                            files: export.files.len(),
                            signature_files: all.saturating_sub(export.files.len()),
                            key_prefix: Some(export.public_key.chars().take(16).collect()),
                        })
                    })
            }
        });
        // A read-back mismatch is entered in the ledger as not verified.
        let mismatch = outcome.is_err()
            && self
                .store
                .media_ledger()
                .is_ok_and(|l| l.len() > ledger_before && l.last().is_some_and(|e| !e.verified));
        let Some(r) = self.report.as_mut() else {
            return;
        };
        match outcome {
            Ok(written) => {
                r.written = Some(written);
                r.step = ReportStep::Done;
            }
            Err(e) => {
                r.message = if mismatch {
                    mismatch_message()
                } else {
                    failure_message(&e)
                };
                r.step = ReportStep::Failed;
            }
        }
    }

    /// [`Self::report_confirm`] and [`Self::report_write`] at once.
    pub fn report_export(&mut self) {
        self.report_confirm();
        self.report_write();
    }

    /// "やり直す" after a failure: back to choosing the stick.
    pub fn report_retry(&mut self) {
        let root = self.config.usb.media_root.clone();
        if let Some((_, r)) = self.report_parts()
            && r.step == ReportStep::Failed
        {
            r.medium = None;
            r.scan_media(&root);
            r.step = ReportStep::Media;
        }
    }

    /// "管理簿": the media ledger, newest first.
    pub fn report_ledger(&mut self) {
        let Some((staff, _)) = self.report_parts() else {
            return;
        };
        let entries = staff
            .require_reporting()
            .and_then(|()| self.store.media_ledger());
        let Some(r) = self.report.as_mut() else {
            return;
        };
        match entries {
            Ok(entries) => {
                r.ledger = entries.iter().rev().map(ledger_row).collect();
                r.message.clear();
            }
            Err(e) => {
                r.ledger.clear();
                r.message = wording::ledger_unreadable(&e);
            }
        }
        r.ledger_page = 0;
        r.transfer = Transfer::Report;
        r.step = ReportStep::Ledger;
    }

    /// The next (+1) or previous (-1) page of the ledger.
    pub fn report_ledger_page(&mut self, delta: i32) {
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        r.ledger_page = step_page(r.ledger_page, delta, r.ledger_pages());
    }

    /// An export started from the 「事故・点検」 screen: the report screen
    /// opens on choosing the stick, and goes back there when done.
    pub(in crate::kiosk) fn report_open_for(
        &mut self,
        transfer: Transfer,
        period: (chrono::NaiveDate, chrono::NaiveDate),
        incident: Option<String>,
    ) {
        let root = self.config.usb.media_root.clone();
        let today = self.store.clock().today();
        let latest = Month {
            year: today.year(),
            month: today.month(),
        };
        let mut r = MonthReport::new(latest, latest);
        r.transfer = transfer;
        r.period = period;
        r.incident = incident;
        r.scan_media(&root);
        r.step = ReportStep::Media;
        self.report = Some(r);
        self.screen = Screen::StaffReport;
    }

    /// "管理簿をUSBメモリに書き出す": the ledger CSV, for printing elsewhere.
    pub fn report_ledger_export(&mut self) {
        let root = self.config.usb.media_root.clone();
        let Some((_, r)) = self.report_parts() else {
            return;
        };
        if r.step != ReportStep::Ledger {
            return;
        }
        r.transfer = Transfer::Ledger;
        r.medium = None;
        r.written = None;
        r.scan_media(&root);
        r.step = ReportStep::Media;
    }
}

fn folder_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Refuses a CP932 export before anything touches the stick.
fn cp932_preflight(report: &MonthlyReport) -> Result<()> {
    for table in report.published_tables() {
        let name = format!("tsudoi-{}-{}.csv", report.month, table.id);
        csv::encode(
            &csv::to_csv_text(&table, &report.wording),
            Encoding::Cp932,
            &name,
        )?;
    }
    Ok(())
}

/// Writes the media ledger as CSV into a new folder on the stick, flushes it,
/// reads it back and records this transfer in the ledger too: everything
/// that leaves the kiosk on a medium is in the ledger, even the ledger (it
/// holds staff ids, media names and file checksums, no residents' data). The
/// CSV written is the ledger before this entry.
fn write_ledger(store: &mut Store, staff: &StaffSession, medium: &Medium) -> Result<Written> {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    staff.require_reporting()?;
    let bytes = media::ledger_csv(&store.media_ledger()?);
    let today = store.clock().today();
    let mut dir = medium.mount_point.join(format!("tsudoi-ledger-{today}"));
    let mut n = 2;
    while dir.exists() {
        dir = medium
            .mount_point
            .join(format!("tsudoi-ledger-{today}-{n}"));
        n += 1;
    }
    std::fs::create_dir(&dir)?;
    let name = "tsudoi-media-ledger.csv";
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path)?;
    f.write_all(&bytes)?;
    f.sync_all()?;
    drop(f);
    media::flush_and_forget(&dir)?;
    let back = std::fs::read(&path)?;
    let hex = |b: &[u8]| -> String {
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    };
    let verified = back == bytes;
    store.record_media_transfer(
        staff,
        &LedgerEntry {
            at: store.now(),
            staff_id: staff.staff_id().to_owned(),
            medium: medium.name(),
            destination: dir.display().to_string(),
            purpose: LEDGER_PURPOSE.to_owned(),
            files: vec![LedgerFile {
                name: name.to_owned(),
                sha256: hex(&bytes),
            }],
            verified,
        },
    )?;
    if !verified {
        // The staff's sentence is `mismatch_message`, chosen by the caller.
        return Err(Error::Report(
            crate::report::ReportError::ReadBackMismatch { detail: None },
        ));
    }
    Ok(Written {
        transfer: Transfer::Ledger,
        medium: medium.name(),
        folder: folder_name(&dir),
        files: 1,
        signature_files: 0,
        key_prefix: None,
    })
}
