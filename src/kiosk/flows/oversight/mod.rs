//! 「事故・点検」 at the kiosk (issue 13, contract clauses 13–19): staff
//! record an incident by choosing from fixed lists (never typing about a
//! resident); operators and managers read the one-page inspection summary
//! and write the handling report, the staff roster and incident reports to
//! a USB stick through the report screen's export steps.
//!
//! Only counts, dates, staff ids and incident numbers reach this state.
//! 「保存期間を過ぎた記録」 ([`retention`]) opens from the same menu.
//!
//! Screens: the `=> Oversight` lines of the registry; words in [`wording`].

pub mod adapter;
pub mod retention;
pub mod wording;

use chrono::{Datelike, Duration, NaiveDate};

use crate::kiosk::controller::keys::step_page;
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::flows::report::{Transfer, shift_month};
use crate::report::Month;
use crate::store::incidents::{IncidentKind, MAX_PEOPLE, Measure, NewIncident};
use retention::Retention;

/// At most this many incidents are offered for a report (the newest).
pub const INCIDENT_BUTTONS: usize = 3;
/// Summary lines per page (they wrap at 800×480).
pub const SUMMARY_LINES: usize = 6;
/// How far back an incident's dates go on screen (the command line takes any
/// date).
const MAX_DAYS_BACK: i64 = 365;

/// The 「事故・点検」 screen.
#[derive(Debug, Clone, Default)]
pub struct Oversight {
    /// The inspection summary (operators and managers); empty for handlers.
    pub summary: Vec<String>,
    /// Why something could not be shown or done.
    pub message: String,
    /// The newest incidents, for their reports: (id, button text).
    pub incidents: Vec<(String, String)>,
    /// Whether the signed-in staff member may read the summary and write
    /// the handling report.
    pub reporting: bool,
    /// Whether they may write the roster and incident reports.
    pub manager: bool,
    /// The summary's page while it is shown; `None` on the menu.
    pub summary_page: Option<usize>,
    /// Whether they handle personal data (managers and handlers): the
    /// records past the retention period.
    pub handles_people: bool,
    /// 「保存期間を過ぎた記録」 while it is open.
    pub retention: Option<Retention>,
}

impl Oversight {
    /// How many pages the inspection summary takes (at least one).
    pub fn summary_pages(&self) -> usize {
        self.summary.len().div_ceil(SUMMARY_LINES).max(1)
    }

    /// The lines of the summary page on screen.
    pub fn visible_summary(&self) -> &[String] {
        let page = self.summary_page.unwrap_or(0);
        let from = (page * SUMMARY_LINES).min(self.summary.len());
        let to = (from + SUMMARY_LINES).min(self.summary.len());
        &self.summary[from..to]
    }
}

/// The steps of recording an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentStep {
    /// What happened (the fixed list).
    Kind,
    /// When it happened and was noticed, and how many residents it touched.
    Details,
    /// What has been done (any of the fixed list, or none yet).
    Measures,
    /// Everything once more before it is recorded.
    Confirm,
    /// Recorded: the incident's number.
    Done,
}

/// The incident being recorded.
#[derive(Debug, Clone)]
pub struct IncidentForm {
    /// The form's step on screen.
    pub step: IncidentStep,
    /// What happened (a lost stick, data shown to the wrong person, …), once
    /// chosen.
    pub kind: Option<IncidentKind>,
    /// The day it happened (the form moves it a day at a time).
    pub occurred_on: NaiveDate,
    /// The day it was found.
    pub found_on: NaiveDate,
    /// How many people's data it touched.
    pub people: u32,
    /// The measures taken, as ticked.
    pub measures: Vec<Measure>,
    /// Why the step could not go on, or the store's refusal; empty if none.
    pub message: String,
    /// The number given when it was recorded.
    pub recorded: Option<String>,
    today: NaiveDate,
}

impl IncidentForm {
    /// A new incident on `today`: nothing chosen, both days today.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            step: IncidentStep::Kind,
            kind: None,
            occurred_on: today,
            found_on: today,
            people: 0,
            measures: Vec::new(),
            message: String::new(),
            recorded: None,
            today,
        }
    }

    /// A kind from the list; goes on to the dates.
    pub fn choose_kind(&mut self, index: usize) {
        if self.step == IncidentStep::Kind
            && let Some(k) = IncidentKind::ALL.get(index)
        {
            self.kind = Some(*k);
            self.message.clear();
            self.step = IncidentStep::Details;
        }
    }

    /// ◀ ▶ on a date: `found` false for the day it happened. The day it
    /// happened never passes the day it was noticed, which never passes
    /// today; neither goes back more than a year.
    pub fn step_day(&mut self, found: bool, delta: i64) {
        if self.step != IncidentStep::Details {
            return;
        }
        let earliest = self.today - Duration::days(MAX_DAYS_BACK);
        if found {
            let d = (self.found_on + Duration::days(delta)).clamp(earliest, self.today);
            self.found_on = d;
            self.occurred_on = self.occurred_on.min(d);
        } else {
            let d = (self.occurred_on + Duration::days(delta)).clamp(earliest, self.found_on);
            self.occurred_on = d;
        }
    }

    /// − / ＋ on the number of residents (0 to the store's maximum).
    pub fn add_people(&mut self, delta: i32) {
        if self.step == IncidentStep::Details {
            let n = i64::from(self.people) + i64::from(delta);
            self.people = u32::try_from(n.clamp(0, i64::from(MAX_PEOPLE))).unwrap_or(0);
        }
    }

    /// Turns one measure on or off (kept in the list's order).
    pub fn toggle_measure(&mut self, index: usize) {
        if self.step == IncidentStep::Measures
            && let Some(m) = Measure::ALL.get(index)
        {
            if let Some(at) = self.measures.iter().position(|x| x == m) {
                self.measures.remove(at);
            } else {
                self.measures.push(*m);
                self.measures.sort();
            }
        }
    }

    /// 「次へ」: dates → measures → confirm.
    pub fn next(&mut self) {
        self.message.clear();
        self.step = match self.step {
            IncidentStep::Details => IncidentStep::Measures,
            IncidentStep::Measures => IncidentStep::Confirm,
            s => s,
        };
    }

    /// 「もどる」 one step; `false` from the first step or the result,
    /// where the form closes (nothing is kept of an unrecorded incident).
    pub fn back(&mut self) -> bool {
        self.message.clear();
        self.step = match self.step {
            IncidentStep::Kind | IncidentStep::Done => return false,
            IncidentStep::Details => IncidentStep::Kind,
            IncidentStep::Measures => IncidentStep::Details,
            IncidentStep::Confirm => IncidentStep::Measures,
        };
        true
    }

    /// The step's heading ([`wording::step_title`]).
    pub fn step_title(&self) -> &'static str {
        wording::step_title(self.step)
    }

    /// The day it happened as the form shows it (「今日 11月23日（月）」).
    pub fn occurred_label(&self) -> String {
        wording::day(self.occurred_on, self.today)
    }

    /// The day it was found as the form shows it.
    pub fn found_label(&self) -> String {
        wording::day(self.found_on, self.today)
    }

    /// How many people, as the form shows it (「3人」).
    pub fn people_label(&self) -> String {
        wording::people(self.people)
    }

    /// The confirm step's lines (and, once recorded, the result's).
    pub fn summary(&self) -> Vec<String> {
        wording::incident_summary(self)
    }
}

impl KioskController {
    /// The 「事故・点検」 screen's state, while it is open.
    pub fn oversight(&self) -> Option<&Oversight> {
        self.oversight.as_ref()
    }

    /// The incident being recorded.
    pub fn incident_form(&self) -> Option<&IncidentForm> {
        self.incident.as_ref()
    }

    /// 「事故・点検」 on the Today screen (every staff member: anyone may
    /// record an incident). Reads the summary for operators and managers.
    pub fn oversight_open(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        if !matches!(
            self.screen,
            Screen::StaffToday
                | Screen::StaffReport
                | Screen::StaffIncident
                | Screen::StaffOversight
                | Screen::StaffErasure
        ) {
            return;
        }
        if let Err(e) = staff.require(false) {
            self.staff_message = e.to_string();
            return;
        }
        let mut o = Oversight {
            reporting: staff.require_reporting().is_ok(),
            manager: staff.require_manager().is_ok(),
            handles_people: staff.require(true).is_ok(),
            ..Oversight::default()
        };
        if o.reporting {
            match self.store.inspection_summary(&staff) {
                Ok(s) => o.summary = s.lines(),
                Err(e) => o.message = wording::summary_failed(&e),
            }
        }
        if o.manager {
            match self.store.incidents(&staff) {
                Ok(all) => {
                    o.incidents = all
                        .iter()
                        .rev()
                        .take(INCIDENT_BUTTONS)
                        .map(|i| (i.id.clone(), wording::incident_button(&i.id, i.kind)))
                        .collect()
                }
                Err(e) => o.message = e.to_string(),
            }
        }
        self.incident = None;
        self.report = None;
        self.erasure = None;
        self.oversight = Some(o);
        self.screen = Screen::StaffOversight;
    }

    /// Whether the 「事故・点検」 screen is open to a staff member who may
    /// write the reports (`manager`: the roster and incident reports too).
    fn oversight_allows(&self, manager: bool) -> bool {
        self.screen == Screen::StaffOversight
            && self.staff.as_ref().is_some_and(|s| {
                if manager {
                    s.require_manager().is_ok()
                } else {
                    s.require_reporting().is_ok()
                }
            })
    }

    /// 「もどる」 on the 「事故・点検」 screen: from the summary (or the
    /// retention screen's first step) to the menu, from the menu to the
    /// Today screen.
    pub fn oversight_back(&mut self) {
        if self.screen != Screen::StaffOversight {
            return;
        }
        match self.oversight.as_mut() {
            Some(o) if o.retention.is_some() => self.retention_back(),
            Some(o) if o.summary_page.is_some() => o.summary_page = None,
            _ => {
                self.oversight = None;
                self.open_today();
            }
        }
    }

    /// 「点検用のまとめ」 (operators and managers).
    pub fn oversight_summary(&mut self) {
        if self.screen != Screen::StaffOversight {
            return;
        }
        if let Some(o) = self.oversight.as_mut()
            && o.reporting
            && !o.summary.is_empty()
        {
            o.summary_page = Some(0);
        }
    }

    /// ◀ ▶ on the summary.
    pub fn oversight_summary_page(&mut self, delta: i32) {
        if self.screen != Screen::StaffOversight {
            return;
        }
        if let Some(o) = self.oversight.as_mut()
            && let Some(page) = o.summary_page
        {
            o.summary_page = Some(step_page(page, delta, o.summary_pages()));
        }
    }

    /// 「取扱状況報告（先月）」 (`this_year` false) or 「…（今年度）」:
    /// the report screen's export steps for that period.
    pub fn oversight_handling(&mut self, this_year: bool) {
        if !self.oversight_allows(false) {
            return;
        }
        let today = self.store.clock().today();
        let month = Month {
            year: today.year(),
            month: today.month(),
        };
        let period = if this_year {
            (month.fiscal_year_start(), today)
        } else {
            let last = shift_month(month, -1);
            (last.first_day(), last.last_day())
        };
        self.oversight = None;
        self.report_open_for(Transfer::Handling, period, None);
    }

    /// 「スタッフ名簿（届出）」 (managers).
    pub fn oversight_roster(&mut self) {
        if !self.oversight_allows(true) {
            return;
        }
        let today = self.store.clock().today();
        self.oversight = None;
        self.report_open_for(Transfer::Roster, (today, today), None);
    }

    /// One of the listed incidents' 「報告書」 (managers).
    pub fn oversight_incident_report(&mut self, index: usize) {
        if !self.oversight_allows(true) {
            return;
        }
        let Some(id) = self
            .oversight
            .as_ref()
            .and_then(|o| o.incidents.get(index))
            .map(|(id, _)| id.clone())
        else {
            return;
        };
        let today = self.store.clock().today();
        self.oversight = None;
        self.report_open_for(Transfer::Incident, (today, today), Some(id));
    }

    /// 「事故を記録する」.
    pub fn incident_start(&mut self) {
        if self.screen != Screen::StaffOversight || self.staff.is_none() {
            return;
        }
        self.oversight = None;
        self.incident = Some(IncidentForm::new(self.store.clock().today()));
        self.screen = Screen::StaffIncident;
    }

    fn incident_parts(&mut self) -> Option<&mut IncidentForm> {
        if self.screen != Screen::StaffIncident || self.staff.is_none() {
            return None;
        }
        self.incident.as_mut()
    }

    /// A kind from the list; goes on to the dates.
    pub fn incident_kind(&mut self, index: usize) {
        if let Some(f) = self.incident_parts() {
            f.choose_kind(index);
        }
    }

    /// ◀ ▶ on a date ([`IncidentForm::step_day`]).
    pub fn incident_day(&mut self, found: bool, delta: i64) {
        if let Some(f) = self.incident_parts() {
            f.step_day(found, delta);
        }
    }

    /// − / ＋ on the number of residents.
    pub fn incident_people(&mut self, delta: i32) {
        if let Some(f) = self.incident_parts() {
            f.add_people(delta);
        }
    }

    /// Turns one measure on or off.
    pub fn incident_measure(&mut self, index: usize) {
        if let Some(f) = self.incident_parts() {
            f.toggle_measure(index);
        }
    }

    /// 「次へ」: dates → measures → confirm.
    pub fn incident_next(&mut self) {
        if let Some(f) = self.incident_parts() {
            f.next();
        }
    }

    /// 「もどる」: one step back; from the first step or the result, back to
    /// 「事故・点検」 (nothing is kept of an unrecorded incident).
    pub fn incident_back(&mut self) {
        if let Some(f) = self.incident_parts()
            && !f.back()
        {
            self.incident = None;
            self.oversight_open();
        }
    }

    /// 「記録する」 on the confirm step.
    pub fn incident_save(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(f) = self.incident_parts() else {
            return;
        };
        let Some(kind) = f.kind else {
            return;
        };
        if f.step != IncidentStep::Confirm {
            return;
        }
        let new = NewIncident {
            kind,
            occurred_on: f.occurred_on,
            found_on: f.found_on,
            people: f.people,
            records: Vec::new(),
            measures: f.measures.clone(),
            follows: None,
        };
        let outcome = self.store.add_incident(&staff, &new);
        let Some(f) = self.incident.as_mut() else {
            return;
        };
        match outcome {
            Ok(incident) => {
                f.recorded = Some(incident.id);
                f.step = IncidentStep::Done;
            }
            Err(e) => f.message = wording::not_recorded(&e),
        }
    }

    /// The header of the flow's screens.
    pub(in crate::kiosk) fn oversight_header(&self) -> Option<String> {
        match self.screen {
            Screen::StaffOversight => Some(
                match &self.oversight {
                    Some(o) if o.retention.is_some() => wording::RETENTION_TITLE,
                    Some(o) if o.summary_page.is_some() => wording::SUMMARY_TITLE,
                    _ => wording::MENU_TITLE,
                }
                .into(),
            ),
            Screen::StaffIncident => Some(
                self.incident
                    .as_ref()
                    .map(wording::incident_title)
                    .unwrap_or_default(),
            ),
            _ => None,
        }
    }
}
