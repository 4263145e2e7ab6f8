//! Monthly totals for the ward: counts only, small counts suppressed.
//!
//! The report is computed from the store (decrypting only birth dates and
//! towns, in memory), turned into [`Table`]s whose cells are already
//! suppressed, and then written as CSV files with a signed manifest. Nothing
//! that names or points at a person leaves this module: only program names,
//! session titles, dates, age bands, town names and counts.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod csv;
pub mod disclosure;
pub mod error;
pub mod handling;
pub mod incident;
pub mod inspection;
pub mod media;
pub mod merge;
pub mod pdf;
pub mod sign;
pub mod staff_roster;
pub mod suppress;
pub mod training_record;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use self::error::{MergeError, ReportError, VerifyError};
use crate::eligibility;
use crate::error::{Error, Result};
use crate::jp_date;
use crate::store::sessions::Program;
use crate::store::{StaffSession, Store};
use suppress::{Cell, suppress_group, suppress_independent};

/// A calendar month, `2026-10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    /// Calendar year, 2000–2200.
    pub year: i32,
    /// Month of the year, 1–12.
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM` (surrounding spaces allowed).
    /// # Errors
    /// [`ReportError::BadMonth`] for any other form, a month outside 1–12 or a year outside
    /// 2000–2200.
    pub fn parse(s: &str) -> Result<Month> {
        let bad = || {
            Error::from(ReportError::BadMonth {
                given: s.trim().to_owned(),
            })
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(2000..=2200).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month's first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month's last day (28th to 31st).
    pub fn last_day(self) -> NaiveDate {
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    /// The first day of the fiscal year (1 April) this month belongs to.
    pub fn fiscal_year_start(self) -> NaiveDate {
        let y = if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        };
        NaiveDate::from_ymd_opt(y, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 令和8年度 style label of the fiscal year.
    pub fn fiscal_year_label(self) -> String {
        let start = self.fiscal_year_start();
        let wareki = eligibility::to_wareki(start);
        match wareki.split_once('年') {
            Some((era_year, _)) => format!("{era_year}年度"),
            None => format!("{}年度", start.year()),
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Age bands of the national 通いの場 survey (ages on the session date).
pub const AGE_BANDS: [&str; 7] = [
    "60〜64歳",
    "65〜69歳",
    "70〜74歳",
    "75〜79歳",
    "80〜84歳",
    "85歳以上",
    "不明",
];

fn band_of(age: Option<u32>) -> usize {
    match age {
        Some(a) if a < 65 => 0,
        Some(a) if a < 70 => 1,
        Some(a) if a < 75 => 2,
        Some(a) if a < 80 => 3,
        Some(a) if a < 85 => 4,
        Some(_) => 5,
        None => 6,
    }
}

/// A published value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Printed as it is (a date, a title, a program's name).
    Text(String),
    /// A count, possibly suppressed; [`Wording::render`] writes it.
    Count(Cell),
}

/// One table of the report, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// File stem, ASCII: `programs`, `sessions`, …
    pub id: &'static str,
    /// Table heading, in Japanese.
    pub title: String,
    /// Column headings, in Japanese.
    pub columns: Vec<String>,
    /// The rows; each has one value per column.
    pub rows: Vec<Vec<Value>>,
}

/// How suppressed cells are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    /// Counts from 1 up to this are small and hidden (default 9).
    pub threshold: u64,
    /// For cells 1..=threshold (default `<10`).
    pub small: String,
    /// For cells hidden to protect a small one (default `秘匿`).
    pub secondary: String,
}

impl Default for Wording {
    fn default() -> Self {
        Self {
            threshold: 9,
            small: "<10".into(),
            secondary: "秘匿".into(),
        }
    }
}

impl Wording {
    /// The value as printed: text as it is, counts as numbers or this wording's replacements.
    pub fn render(&self, v: &Value) -> String {
        match v {
            Value::Text(t) => t.clone(),
            Value::Count(Cell::Shown(n)) => n.to_string(),
            Value::Count(Cell::Small) => self.small.clone(),
            Value::Count(Cell::Secondary) => self.secondary.clone(),
        }
    }
}

/// Raw counts of one month (before suppression). They leave the kiosk only
/// encrypted to the ward's key (see [`merge`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCounts {
    /// Sessions on the calendar this month, per program (with or without check-ins).
    pub sessions_held: BTreeMap<Program, u64>,
    /// Check-ins this month per program (延べ人数).
    pub visits: BTreeMap<Program, u64>,
    /// Different people who checked in to the program this month (実人数).
    pub distinct_by_program: BTreeMap<Program, u64>,
    /// Different people who checked in to anything this month.
    pub distinct_total: u64,
    /// People registered this month (by consent date; records deleted since are not counted).
    pub new_registrations: u64,
    /// (date, program, title, headcount) per session.
    pub per_session: Vec<(NaiveDate, Program, String, u64)>,
    /// Different people this month by age band ([`AGE_BANDS`] order), age on their first visit of
    /// the month.
    pub by_age_band: [u64; 7],
    /// Different people this month by 町名 (ward-provided records without one are counted together).
    pub by_town: BTreeMap<String, u64>,
    /// Lottery classes drawn this month.
    #[serde(default)]
    pub lottery: Vec<LotteryCounts>,
    /// Lottery classes with sessions this month, and who came.
    #[serde(default)]
    pub class_attendance: Vec<ClassAttendanceCounts>,
    /// いきがいつくり支援's hobby groups and 見守り calls (issue 15). Absent
    /// from the sealed counts of reports made before groups existed.
    #[serde(default)]
    pub groups: GroupCounts,
}

/// The hobby groups of いきがいつくり支援 and the 見守り calls in one month.
/// Counts only: no group's members, no person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCounts {
    /// Groups registered by the end of the month.
    pub groups: u64,
    /// Members (distinct people) with basis `ward` (the ward's roster), who
    /// joined a group by the end of the month and are members when the
    /// report is made.
    pub members_ward: u64,
    /// The same for members linked to a record made at the desk (basis `self`).
    pub members_desk: u64,
    /// (date, title) of each group meeting held in the month: they are also
    /// rows of `per_session` (program いきがいつくり支援).
    pub meetings: Vec<(NaiveDate, String)>,
    /// Check-ins to those meetings.
    pub checkins: u64,
    /// 見守り calls made in the month, by outcome in [`OUTCOMES`] order.
    pub calls: [u64; 5],
}

/// The 見守り outcomes in the report's order (the store's fixed list).
pub const OUTCOMES: [crate::store::mimamori::Outcome; 5] = crate::store::mimamori::Outcome::ALL;

/// Attendance at one lottery class's sessions in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassAttendanceCounts {
    /// The class's title as announced.
    pub title: String,
    /// The class's sessions held in the month.
    pub sessions: u64,
    /// Seat holders (winners and moved up, not cancelled).
    pub seat_holders: u64,
    /// Check-ins to those sessions (延べ出席者数), staff-confirmed ones included.
    pub visits: u64,
    /// Check-ins of seat holders: the numerator of the attendance rate.
    pub holder_visits: u64,
}

/// One lottery class drawn in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotteryCounts {
    /// The class's title as announced.
    pub title: String,
    /// The class's capacity.
    pub seats: u64,
    /// Applications in the pool (not withdrawn).
    pub applicants: u64,
    /// Applicants selected by the draw (including those who cancelled later).
    pub winners: u64,
    /// Places filled from the waiting list since the draw (繰り上げ; later cancellations included).
    pub moved_up: u64,
}

impl MonthCounts {
    /// Visits per week and program (for the operator screen's chart), in
    /// [`Program::ALL`] order; weeks as in [`MonthCounts::visits_by_week`].
    pub fn visits_by_week_and_program(&self, month: Month) -> Vec<(NaiveDate, [u64; 3])> {
        let mut weeks: BTreeMap<NaiveDate, [u64; 3]> = self
            .visits_by_week(month)
            .into_iter()
            .map(|(w, _)| (w, [0; 3]))
            .collect();
        for (date, program, _, n) in &self.per_session {
            let monday =
                *date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
            let slot = Program::ALL.iter().position(|p| p == program).unwrap_or(0);
            weeks.entry(monday.max(month.first_day())).or_default()[slot] += n;
        }
        weeks.into_iter().collect()
    }

    /// Visits per week (weeks start on Monday; the first is clipped to the month).
    pub fn visits_by_week(&self, month: Month) -> Vec<(NaiveDate, u64)> {
        let mut weeks: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        let mut day = month.first_day();
        while day <= month.last_day() {
            let monday =
                day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
            weeks.entry(monday.max(month.first_day())).or_default();
            day += chrono::Duration::days(7 - i64::from(day.weekday().num_days_from_monday()));
        }
        for (date, _, _, n) in &self.per_session {
            let monday =
                *date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
            *weeks.entry(monday.max(month.first_day())).or_default() += n;
        }
        weeks.into_iter().collect()
    }
}

/// Fiscal year to date (April to the month).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCounts {
    /// Sessions on the calendar, per program, April to the month.
    pub sessions_held: BTreeMap<Program, u64>,
    /// Check-ins per program (延べ人数), April to the month.
    pub visits: BTreeMap<Program, u64>,
    /// Different people per program (実人数), April to the month.
    pub distinct_by_program: BTreeMap<Program, u64>,
    /// Different people in all, April to the month.
    pub distinct_total: u64,
    /// People registered, April to the month.
    pub new_registrations: u64,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct MonthlyReport {
    /// The site's name given at `init`, printed in the heading.
    pub site: String,
    /// The month reported on.
    pub month: Month,
    /// The month's raw counts.
    pub month_counts: MonthCounts,
    /// The fiscal year's counts to date.
    pub year_counts: YearCounts,
    /// How suppressed cells are written.
    pub wording: Wording,
}

/// A date as the report's CSV writes it.
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Store {
    /// Counts a month and the fiscal year to date. Operators and managers
    /// may; the export is recorded in the audit log by the caller that writes it.
    pub fn monthly_counts(
        &self,
        staff: &StaffSession,
        month: Month,
    ) -> Result<(MonthCounts, YearCounts)> {
        staff.require_reporting()?;
        let keys = self.keys()?;
        let conn = self.conn();
        let (from, to) = (month.first_day(), month.last_day());
        let mut mc = MonthCounts::default();

        let mut stmt = conn.prepare_cached(
            "SELECT s.date, s.program_id, s.title, count(a.id) FROM sessions s
             LEFT JOIN attendance a ON a.session_id = s.id
             WHERE s.date BETWEEN ?1 AND ?2 GROUP BY s.id ORDER BY s.date, s.start_time, s.title",
        )?;
        let rows = stmt.query_map([&from, &to], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (date, program, title, n) = row.map_err(damaged_date)?;
            let program = Program::parse(&program).ok_or(ReportError::DamagedSession {
                what: "事業区分",
            })?;
            *mc.sessions_held.entry(program).or_default() += 1;
            *mc.visits.entry(program).or_default() += n as u64;
            mc.per_session.push((date, program, title, n as u64));
        }

        // Distinct people per program and in all.
        let distinct = |from: &NaiveDate,
                        to: &NaiveDate|
         -> Result<(BTreeMap<Program, u64>, u64)> {
            let mut per = BTreeMap::new();
            let mut stmt = conn.prepare_cached(
                "SELECT s.program_id, count(DISTINCT a.participant_id) FROM attendance a
                 JOIN sessions s ON s.id = a.session_id WHERE s.date BETWEEN ?1 AND ?2 GROUP BY s.program_id",
            )?;
            for row in stmt.query_map([from, to], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })? {
                let (p, n) = row?;
                if let Some(p) = Program::parse(&p) {
                    per.insert(p, n as u64);
                }
            }
            let total: i64 = conn.query_row(
                "SELECT count(DISTINCT a.participant_id) FROM attendance a
                 JOIN sessions s ON s.id = a.session_id WHERE s.date BETWEEN ?1 AND ?2",
                [from, to],
                |r| r.get(0),
            )?;
            Ok((per, total as u64))
        };
        let (per, total) = distinct(&from, &to)?;
        mc.distinct_by_program = per;
        mc.distinct_total = total;
        let registrations = |from: &NaiveDate, to: &NaiveDate| -> Result<u64> {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM participants WHERE consent_on BETWEEN ?1 AND ?2",
                [from, to],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        };
        mc.new_registrations = registrations(&from, &to)?;

        // Age (on the first session date of the month) and town of each person.
        let mut stmt = conn.prepare_cached(
            "SELECT a.participant_id, min(s.date), p.birth_date, p.town, p.rev FROM attendance a
             JOIN sessions s ON s.id = a.session_id JOIN participants p ON p.id = a.participant_id
             WHERE s.date BETWEEN ?1 AND ?2 GROUP BY a.participant_id",
        )?;
        let rows = stmt.query_map([&from, &to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
                r.get::<_, Option<Vec<u8>>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (pid, first, birth, town, rev) = row.map_err(damaged_date)?;
            let cell = |column: &'static str| crate::store::Cell::participant(column, &pid, rev);
            let birth = birth
                .map(|b| crate::store::open_str(keys, cell("birth_date"), &b))
                .transpose()?
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
            let age = match birth {
                Some(b) => eligibility::age_on(b, first),
                _ => None,
            };
            mc.by_age_band[band_of(age)] += 1;
            let town = town
                .map(|t| crate::store::open_str(keys, cell("town"), &t))
                .transpose()?
                .map(|t| t.to_string())
                .unwrap_or_else(|| "町名なし・区から提供".to_owned());
            *mc.by_town.entry(town).or_default() += 1;
        }

        // Lottery classes drawn this month: applicants (not withdrawn), seats,
        // winners of the draw, and places filled from the waiting list since.
        let mut stmt = conn.prepare_cached(
            "SELECT c.title, c.capacity,
                    (SELECT count(*) FROM lottery_applications a WHERE a.class_id = c.id AND a.status <> 'withdrawn'),
                    (SELECT count(*) FROM lottery_applications a WHERE a.class_id = c.id
                        AND a.status IN ('won', 'cancelled') AND a.waiting_rank IS NULL),
                    (SELECT count(*) FROM lottery_applications a WHERE a.class_id = c.id
                        AND a.status IN ('moved_up', 'cancelled') AND a.waiting_rank IS NOT NULL)
             FROM lottery_classes c
             WHERE c.status = 'drawn' AND substr(c.drawn_at, 1, 7) = ?1 ORDER BY c.drawn_at, c.title",
        )?;
        let rows = stmt.query_map([month.to_string()], |r| {
            Ok(LotteryCounts {
                title: r.get(0)?,
                seats: r.get::<_, i64>(1)? as u64,
                applicants: r.get::<_, i64>(2)? as u64,
                winners: r.get::<_, i64>(3)? as u64,
                moved_up: r.get::<_, i64>(4)? as u64,
            })
        })?;
        mc.lottery = rows.collect::<rusqlite::Result<_>>()?;

        // Lottery classes held this month: sessions, seat holders, check-ins,
        // and check-ins of seat holders (for the attendance rate).
        let mut stmt = conn.prepare_cached(
            "SELECT c.title,
                    (SELECT count(*) FROM lottery_class_sessions l JOIN sessions s ON s.id = l.session_id
                        WHERE l.class_id = c.id AND s.date BETWEEN ?1 AND ?2),
                    (SELECT count(*) FROM lottery_applications a
                        WHERE a.class_id = c.id AND a.status IN ('won', 'moved_up')),
                    (SELECT count(*) FROM lottery_class_sessions l JOIN sessions s ON s.id = l.session_id
                        JOIN attendance t ON t.session_id = s.id
                        WHERE l.class_id = c.id AND s.date BETWEEN ?1 AND ?2),
                    (SELECT count(*) FROM lottery_class_sessions l JOIN sessions s ON s.id = l.session_id
                        JOIN attendance t ON t.session_id = s.id
                        JOIN lottery_applications a ON a.class_id = c.id AND a.participant_id = t.participant_id
                        WHERE l.class_id = c.id AND s.date BETWEEN ?1 AND ?2 AND a.status IN ('won', 'moved_up'))
             FROM lottery_classes c ORDER BY c.title, c.id",
        )?;
        let rows = stmt.query_map([&from, &to], |r| {
            Ok(ClassAttendanceCounts {
                title: r.get(0)?,
                sessions: r.get::<_, i64>(1)? as u64,
                seat_holders: r.get::<_, i64>(2)? as u64,
                visits: r.get::<_, i64>(3)? as u64,
                holder_visits: r.get::<_, i64>(4)? as u64,
            })
        })?;
        mc.class_attendance = rows
            .filter(|r| r.as_ref().map_or(true, |c| c.sessions > 0))
            .collect::<rusqlite::Result<_>>()?;
        mc.groups = group_counts(conn, &from, &to)?;

        // Fiscal year to date.
        let (fy_from, fy_to) = (month.fiscal_year_start(), to);
        let mut yc = YearCounts::default();
        let mut stmt = conn.prepare_cached(
            "SELECT s.program_id, count(DISTINCT s.id), count(a.id) FROM sessions s
             LEFT JOIN attendance a ON a.session_id = s.id
             WHERE s.date BETWEEN ?1 AND ?2 GROUP BY s.program_id",
        )?;
        for row in stmt.query_map([&fy_from, &fy_to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (p, sessions, visits) = row?;
            if let Some(p) = Program::parse(&p) {
                yc.sessions_held.insert(p, sessions as u64);
                yc.visits.insert(p, visits as u64);
            }
        }
        let (per, total) = distinct(&fy_from, &fy_to)?;
        yc.distinct_by_program = per;
        yc.distinct_total = total;
        yc.new_registrations = registrations(&fy_from, &fy_to)?;
        Ok((mc, yc))
    }

    /// The report for a month, with the site's name.
    pub fn monthly_report(
        &self,
        staff: &StaffSession,
        month: Month,
        wording: Wording,
    ) -> Result<MonthlyReport> {
        let (month_counts, year_counts) = self.monthly_counts(staff, month)?;
        Ok(MonthlyReport {
            site: self.site()?,
            month,
            month_counts,
            year_counts,
            wording,
        })
    }
}

/// A session's stored date that does not read: nothing is exported.
fn damaged_date(e: rusqlite::Error) -> crate::error::Error {
    crate::store::dates::or_damaged(e, || ReportError::DamagedSession { what: "日付" }.into())
}

/// The month's hobby-group and 見守り counts, straight from the tables.
fn group_counts(
    conn: &rusqlite::Connection,
    from: &NaiveDate,
    to: &NaiveDate,
) -> Result<GroupCounts> {
    let mut g = GroupCounts::default();
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM hobby_groups WHERE substr(created_at, 1, 10) <= ?1",
        [to],
        |r| r.get(0),
    )?;
    g.groups = n as u64;
    let mut stmt = conn.prepare_cached(
        "SELECT p.basis, count(DISTINCT m.participant_id) FROM group_members m
         JOIN participants p ON p.id = m.participant_id
         WHERE substr(m.added_at, 1, 10) <= ?1 GROUP BY p.basis",
    )?;
    for row in stmt.query_map([to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        match row? {
            (basis, n) if basis == "ward" => g.members_ward = n as u64,
            (_, n) => g.members_desk += n as u64,
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT s.date, s.title, count(a.id) FROM group_sessions g
         JOIN sessions s ON s.id = g.session_id LEFT JOIN attendance a ON a.session_id = s.id
         WHERE s.date BETWEEN ?1 AND ?2 GROUP BY s.id ORDER BY s.date, s.start_time, s.title",
    )?;
    for row in stmt.query_map([from, to], |r| {
        Ok((
            r.get::<_, NaiveDate>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (date, title, n) = row.map_err(damaged_date)?;
        g.meetings.push((date, title));
        g.checkins += n as u64;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT outcome, count(*) FROM watch_calls WHERE called_on BETWEEN ?1 AND ?2 GROUP BY outcome",
    )?;
    for row in stmt.query_map([from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (outcome, n) = row?;
        let i = OUTCOMES
            .iter()
            .position(|o| o.code() == outcome)
            .ok_or_else(|| Error::Tampered("watch_calls の outcome".into()))?;
        g.calls[i] = n as u64;
    }
    Ok(g)
}

/// Whether a hidden (`<10`) cell of `cells`, which add up to `total`, has
/// only one possible value.
fn small_cell_recoverable(cells: &[Cell], total: u64, threshold: u64) -> bool {
    cells.iter().enumerate().any(|(i, c)| {
        *c == Cell::Small && {
            let (lo, hi) = suppress::feasible_range(cells, total, threshold, i);
            lo >= hi
        }
    })
}

fn get(m: &BTreeMap<Program, u64>, p: Program) -> u64 {
    m.get(&p).copied().unwrap_or(0)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn shown(n: u64) -> Value {
    Value::Count(Cell::Shown(n))
}

impl MonthlyReport {
    /// The tables as published, suppression applied.
    pub fn tables(&self) -> Vec<Table> {
        let t = self.wording.threshold;
        let mc = &self.month_counts;
        let yc = &self.year_counts;
        let mut tables = Vec::new();

        // Per program: sessions (not personal), visits (additive), distinct (not additive).
        let program_table = |id: &'static str,
                             title: String,
                             sessions: &BTreeMap<Program, u64>,
                             visits: &BTreeMap<Program, u64>,
                             distinct: &BTreeMap<Program, u64>,
                             distinct_total: u64,
                             new: u64| {
            let v: Vec<u64> = Program::ALL.iter().map(|p| get(visits, *p)).collect();
            let vs = suppress_group(&v, t);
            let d: Vec<u64> = Program::ALL.iter().map(|p| get(distinct, *p)).collect();
            let ds = suppress_independent(&d, t);
            let mut rows: Vec<Vec<Value>> = Program::ALL
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    vec![
                        text(p.label()),
                        shown(get(sessions, *p)),
                        Value::Count(vs.cells[i]),
                        Value::Count(ds[i]),
                    ]
                })
                .collect();
            rows.push(vec![
                text("合計"),
                shown(sessions.values().sum()),
                Value::Count(vs.total),
                Value::Count(suppress_independent(&[distinct_total], t)[0]),
            ]);
            rows.push(vec![
                text("新規登録者数"),
                text(""),
                text(""),
                Value::Count(suppress_independent(&[new], t)[0]),
            ]);
            Table {
                id,
                title,
                columns: vec![
                    "事業".into(),
                    "開催回数".into(),
                    "延べ参加者数".into(),
                    "実人数".into(),
                ],
                rows,
            }
        };
        tables.push(program_table(
            "programs",
            format!(
                "{} 事業別の利用状況",
                jp_date::ym(self.month.year, self.month.month)
            ),
            &mc.sessions_held,
            &mc.visits,
            &mc.distinct_by_program,
            mc.distinct_total,
            mc.new_registrations,
        ));

        // Per session, grouped by program (each group adds up to the program's visits).
        let mut rows = Vec::new();
        for p in Program::ALL {
            let group: Vec<&(NaiveDate, Program, String, u64)> =
                mc.per_session.iter().filter(|s| s.1 == p).collect();
            let counts: Vec<u64> = group.iter().map(|s| s.3).collect();
            let s = suppress_group(&counts, t);
            for (i, (date, _, title, _)) in group.iter().enumerate() {
                rows.push(vec![
                    text(iso(*date)),
                    text(p.label()),
                    text(title.clone()),
                    Value::Count(s.cells[i]),
                ]);
            }
        }
        tables.push(Table {
            id: "sessions",
            title: format!(
                "{} 開催回ごとの参加者数",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: vec![
                "日付".into(),
                "事業".into(),
                "活動".into(),
                "参加者数".into(),
            ],
            rows,
        });

        // Distinct people by age band and by town.
        let s = suppress_group(&mc.by_age_band, t);
        let mut rows: Vec<Vec<Value>> = AGE_BANDS
            .iter()
            .enumerate()
            .map(|(i, b)| vec![text(*b), Value::Count(s.cells[i])])
            .collect();
        rows.push(vec![text("合計"), Value::Count(s.total)]);
        tables.push(Table {
            id: "age-bands",
            title: format!(
                "{} 年齢階級別の実人数（参加日の年齢）",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: vec!["年齢階級".into(), "実人数".into()],
            rows,
        });
        let towns: Vec<(&String, &u64)> = mc.by_town.iter().collect();
        let counts: Vec<u64> = towns.iter().map(|(_, n)| **n).collect();
        let s = suppress_group(&counts, t);
        let mut rows: Vec<Vec<Value>> = towns
            .iter()
            .enumerate()
            .map(|(i, (town, _))| vec![text(town.as_str()), Value::Count(s.cells[i])])
            .collect();
        rows.push(vec![text("合計"), Value::Count(s.total)]);
        tables.push(Table {
            id: "towns",
            title: format!(
                "{} 町名別の実人数",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: vec!["町名".into(), "実人数".into()],
            rows,
        });

        // Lottery classes: seats are not about people; the other counts are.
        let rows = mc
            .lottery
            .iter()
            .map(|l| {
                let c = suppress_independent(&[l.applicants, l.winners, l.moved_up], t);
                vec![
                    text(l.title.clone()),
                    shown(l.seats),
                    Value::Count(c[0]),
                    Value::Count(c[1]),
                    Value::Count(c[2]),
                ]
            })
            .collect();
        tables.push(Table {
            id: "lottery",
            title: format!(
                "{} 抽選を行った教室",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: ["教室", "定員", "申込者数", "当選者数", "補欠からの繰り上げ"]
                .map(String::from)
                .to_vec(),
            rows,
        });

        // Lottery classes held this month: check-ins are about people, and the
        // rate is shown only where neither it nor the check-ins could reveal
        // a small number of seat holders.
        let rows = mc
            .class_attendance
            .iter()
            .map(|c| {
                let visits = suppress_independent(&[c.visits], t)[0];
                let possible = c.seat_holders * c.sessions;
                let rate = if visits.is_hidden() || (1..=t).contains(&c.seat_holders) {
                    Value::Count(Cell::Secondary)
                } else if possible == 0 {
                    text("－")
                } else {
                    text(format!(
                        "{:.1}%",
                        c.holder_visits as f64 * 100.0 / possible as f64
                    ))
                };
                vec![
                    text(c.title.clone()),
                    shown(c.sessions),
                    Value::Count(visits),
                    rate,
                ]
            })
            .collect();
        tables.push(Table {
            id: "lottery-attendance",
            title: format!(
                "{} 抽選のある教室の出席",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: ["教室", "開催回数", "延べ出席者数", "出席率"]
                .map(String::from)
                .to_vec(),
            rows,
        });

        tables.push(program_table(
            "fiscal-year",
            format!(
                "{}（4月〜{}月）累計",
                self.month.fiscal_year_label(),
                self.month.month
            ),
            &yc.sessions_held,
            &yc.visits,
            &yc.distinct_by_program,
            yc.distinct_total,
            yc.new_registrations,
        ));
        tables
    }
}

/// The group table's file stem: `tsudoi-2026-10-groups.csv`.
pub const GROUPS_TABLE: &str = "groups";

impl MonthlyReport {
    /// Every table written to the report folder: [`MonthlyReport::tables`]
    /// (the operator screen's tabs), then the hobby groups and 見守り
    /// ([`MonthlyReport::group_table`]).
    pub fn published_tables(&self) -> Vec<Table> {
        let mut tables = self.tables();
        tables.push(self.group_table());
        tables
    }

    /// The published tables as CSV files, named `{prefix}{table id}.csv`
    /// and encoded for the ward: what an export and a ward merge write.
    pub fn csv_files(
        &self,
        prefix: &str,
        encoding: csv::Encoding,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        self.published_tables()
            .iter()
            .map(|table| {
                let name = format!("{prefix}{}.csv", table.id);
                let bytes = csv::encode(&csv::to_csv_text(table, &self.wording), encoding, &name)?;
                Ok((name, bytes))
            })
            .collect()
    }

    /// いきがいつくり支援's hobby groups and the 見守り calls of the month,
    /// suppressed like the other tables: groups and meetings are not about
    /// people and are shown; members (by basis, with their total) and calls
    /// (by outcome, with their total) are additive groups
    /// ([`suppress_group`]); the meetings' check-ins are a sum over rows of
    /// the per-session table, so they are shown only when no hidden cell of
    /// that table could be worked out with them ([`group_checkins_cell`]).
    pub fn group_table(&self) -> Table {
        let t = self.wording.threshold;
        let g = &self.month_counts.groups;
        let members = suppress_group(&[g.members_ward, g.members_desk], t);
        let calls = suppress_group(&g.calls, t);
        let row = |item: &str, detail: &str, v: Value| vec![text(item), text(detail), v];
        let mut rows = vec![
            row("グループ数", "登録されているグループ", shown(g.groups)),
            row(
                "会員数（実人数）",
                "区から提供された方",
                Value::Count(members.cells[0]),
            ),
            row(
                "会員数（実人数）",
                "窓口で登録済みの方",
                Value::Count(members.cells[1]),
            ),
            row("会員数（実人数）", "合計", Value::Count(members.total)),
            row(
                "集まりの開催回数",
                "グループの集まり",
                shown(g.meetings.len() as u64),
            ),
            row(
                "延べ参加者数",
                "グループの集まり",
                Value::Count(group_checkins_cell(&self.month_counts, t)),
            ),
        ];
        for (o, c) in OUTCOMES.iter().zip(&calls.cells) {
            rows.push(row("見守りの電話（件数）", o.label(), Value::Count(*c)));
        }
        rows.push(row(
            "見守りの電話（件数）",
            "合計",
            Value::Count(calls.total),
        ));
        Table {
            id: GROUPS_TABLE,
            title: format!(
                "{} いきがいつくり支援 自主活動グループと見守り",
                jp_date::ym(self.month.year, self.month.month)
            ),
            columns: ["項目", "内訳", "数"].map(String::from).to_vec(),
            rows,
        }
    }
}

/// The published cell of the group meetings' check-ins. They are the sum of
/// some rows of the per-session table (program いきがいつくり支援), whose
/// hidden cells were made safe against that program's total only: with a
/// second sum published, the meetings' rows and the other rows each have a
/// known total. The count is shown only when, for each part, every `<10`
/// cell still has two or more possible values; else `秘匿`.
pub fn group_checkins_cell(mc: &MonthCounts, threshold: u64) -> Cell {
    let g = &mc.groups;
    if (1..=threshold).contains(&g.checkins) {
        return Cell::Small;
    }
    let ikigai: Vec<&(NaiveDate, Program, String, u64)> = mc
        .per_session
        .iter()
        .filter(|s| s.1 == Program::Ikigai)
        .collect();
    let counts: Vec<u64> = ikigai.iter().map(|s| s.3).collect();
    let published = suppress_group(&counts, threshold).cells;
    let meetings: std::collections::BTreeSet<(NaiveDate, &str)> =
        g.meetings.iter().map(|(d, t)| (*d, t.as_str())).collect();
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    let (mut sum_inside, mut sum_outside) = (0u64, 0u64);
    for (s, cell) in ikigai.iter().zip(published) {
        if meetings.contains(&(s.0, s.2.as_str())) {
            inside.push(cell);
            sum_inside = sum_inside.saturating_add(s.3);
        } else {
            outside.push(cell);
            sum_outside = sum_outside.saturating_add(s.3);
        }
    }
    if sum_inside != g.checkins
        || small_cell_recoverable(&inside, sum_inside, threshold)
        || small_cell_recoverable(&outside, sum_outside, threshold)
    {
        Cell::Secondary
    } else {
        Cell::Shown(g.checkins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_know_their_fiscal_year() {
        let m = Month::parse("2026-10").unwrap();
        assert_eq!(m.first_day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
        assert_eq!(
            m.fiscal_year_start(),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        assert_eq!(
            Month::parse("2027-02").unwrap().fiscal_year_start(),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        assert_eq!(Month::parse("2028-02").unwrap().last_day().day(), 29);
        assert_eq!(m.fiscal_year_label(), "令和8年度");
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("十月").is_err());
    }

    #[test]
    fn class_attendance_hides_small_counts_and_rates_that_would_reveal_them() {
        let class = |title: &str, holders, visits, holder_visits| ClassAttendanceCounts {
            title: title.into(),
            sessions: 4,
            seat_holders: holders,
            visits,
            holder_visits,
        };
        let report = MonthlyReport {
            site: "テスト".into(),
            month: Month::parse("2026-12").unwrap(),
            month_counts: MonthCounts {
                class_attendance: vec![
                    class("大きい教室", 20, 70, 68),
                    class("来た人が少ない", 20, 7, 7),
                    class("当選者が少ない", 6, 20, 20),
                ],
                ..MonthCounts::default()
            },
            year_counts: YearCounts::default(),
            wording: Wording::default(),
        };
        let tables = report.tables();
        let t = tables
            .iter()
            .find(|t| t.id == "lottery-attendance")
            .unwrap();
        assert_eq!(t.columns, ["教室", "開催回数", "延べ出席者数", "出席率"]);
        let w = Wording::default();
        let row = |i: usize| -> Vec<String> { t.rows[i].iter().map(|v| w.render(v)).collect() };
        // 68 of 20 × 4 = 85.0 %.
        assert_eq!(row(0), ["大きい教室", "4", "70", "85.0%"]);
        assert_eq!(row(1), ["来た人が少ない", "4", "<10", "秘匿"]);
        // 20 visits could be shown, but 20 / rate / 4 sessions gives 6 holders.
        assert_eq!(row(2), ["当選者が少ない", "4", "20", "秘匿"]);
    }

    #[test]
    fn group_checkins_are_shown_only_when_no_small_meeting_could_be_worked_out() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let month = |sessions: &[(u32, &str, u64)], meetings: &[(u32, &str)]| MonthCounts {
            per_session: sessions
                .iter()
                .map(|(day, t, n)| (d(*day), Program::Ikigai, (*t).to_owned(), *n))
                .collect(),
            groups: GroupCounts {
                meetings: meetings
                    .iter()
                    .map(|(day, t)| (d(*day), (*t).to_owned()))
                    .collect(),
                checkins: sessions
                    .iter()
                    .filter(|(day, t, _)| meetings.contains(&(*day, *t)))
                    .map(|s| s.2)
                    .sum(),
                ..GroupCounts::default()
            },
            ..MonthCounts::default()
        };
        // Every meeting shown: the total adds nothing.
        let mc = month(
            &[(1, "ローズ会", 30), (8, "ローズ会", 25), (9, "講座", 50)],
            &[(1, "ローズ会"), (8, "ローズ会")],
        );
        assert_eq!(group_checkins_cell(&mc, 9), Cell::Shown(55));
        // 4 is hidden and 25 with it, both meetings: 4 + x = 29 pins neither.
        let mc = month(
            &[
                (1, "ローズ会", 30),
                (8, "ローズ会", 25),
                (15, "ローズ会", 4),
                (9, "講座", 50),
            ],
            &[(1, "ローズ会"), (8, "ローズ会"), (15, "ローズ会")],
        );
        assert_eq!(group_checkins_cell(&mc, 9), Cell::Shown(59));
        // 4 is the only hidden meeting (the class's 20 was hidden with it):
        // 34 − 30 would be 4.
        let mc = month(
            &[
                (1, "ローズ会", 30),
                (15, "ローズ会", 4),
                (9, "講座", 50),
                (10, "講座", 20),
            ],
            &[(1, "ローズ会"), (15, "ローズ会")],
        );
        assert_eq!(group_checkins_cell(&mc, 9), Cell::Secondary);
        // A small total is small.
        let mc = month(&[(1, "ローズ会", 4)], &[(1, "ローズ会")]);
        assert_eq!(group_checkins_cell(&mc, 9), Cell::Small);
    }

    #[test]
    fn weeks_start_on_monday_and_are_clipped_to_the_month() {
        let m = Month::parse("2026-10").unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let counts = MonthCounts {
            per_session: vec![
                (d(1), Program::Koryu, "a".into(), 5),
                (d(4), Program::Kaigo, "b".into(), 7),
                (d(5), Program::Koryu, "c".into(), 11),
                (d(31), Program::Ikigai, "d".into(), 2),
            ],
            ..MonthCounts::default()
        };
        let weeks = counts.visits_by_week(m);
        // 1 Oct 2026 is a Thursday: the first week runs 1–4 Oct.
        assert_eq!(weeks.first(), Some(&(d(1), 12)));
        assert_eq!(weeks.get(1), Some(&(d(5), 11)));
        assert_eq!(weeks.last(), Some(&(d(26), 2)));
        assert_eq!(weeks.len(), 5);
        let by_program = counts.visits_by_week_and_program(m);
        assert_eq!(by_program[0], (d(1), [0, 5, 7]));
        assert_eq!(by_program[4], (d(26), [2, 0, 0]));
    }

    #[test]
    fn ages_fall_into_five_year_bands() {
        assert_eq!(band_of(Some(60)), 0);
        assert_eq!(band_of(Some(64)), 0);
        assert_eq!(band_of(Some(65)), 1);
        assert_eq!(band_of(Some(84)), 4);
        assert_eq!(band_of(Some(85)), 5);
        assert_eq!(band_of(Some(101)), 5);
        assert_eq!(band_of(None), 6);
    }
}

/// The name ending of the audit log's checkpoint in a report folder
/// (`tsudoi-2026-10-audit-checkpoint.txt`): a C2SP signed note, readable by
/// `tsudoi audit verify --checkpoint` and by Go's `sumdb/note`.
pub const CHECKPOINT_SUFFIX: &str = "audit-checkpoint.txt";

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Export {
    /// The folder written to.
    pub dir: std::path::PathBuf,
    /// Names of the files written, in the folder.
    pub files: Vec<String>,
    /// The device's signing public key, for the ward to check the signatures with.
    pub public_key: String,
}

impl Store {
    /// Makes sure the device signing key exists; returns its public key.
    pub fn ensure_device_key(&mut self) -> Result<String> {
        let key = self.device_signing_key()?;
        Ok(sign::public_key_text(&key.verifying_key()))
    }

    /// Writes the month's CSV files and the signed manifest into `dir` (new or
    /// empty), and records the export.
    pub fn export_report(
        &mut self,
        staff: &StaffSession,
        month: Month,
        dir: &std::path::Path,
        encoding: csv::Encoding,
        wording: Wording,
    ) -> Result<Export> {
        self.export_report_for(staff, month, dir, encoding, wording, None)
    }

    /// [`Store::export_report`], adding the raw counts encrypted to the ward's
    /// age key when one is configured, so the ward can merge several sites.
    pub fn export_report_for(
        &mut self,
        staff: &StaffSession,
        month: Month,
        dir: &std::path::Path,
        encoding: csv::Encoding,
        wording: Wording,
        ward: Option<&merge::WardRecipient>,
    ) -> Result<Export> {
        // Which months are complete, and the report's date, follow today.
        self.require_trusted_clock()?;
        let report = self.monthly_report(staff, month, wording)?;
        if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            return Err(ReportError::OutDirNotEmpty {
                dir: dir.to_owned(),
            }
            .into());
        }
        std::fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        // The audit log's checkpoint goes out with every report (issue 13):
        // recorded in the log, signed with the device key, in the signed
        // folder, and its fingerprint printed on the PDF.
        let checkpoint = self.audit_checkpoint(
            &crate::store::Actor::Staff(staff.clone()),
            &format!("report:{month}"),
        )?;
        let summary = format!("tsudoi-{month}-summary.pdf");
        write_synced(
            &dir.join(&summary),
            &pdf::summary_pdf(
                &report,
                &self.clock().today(),
                Some(&checkpoint.fingerprint()),
            )?,
        )?;
        files.push(summary);
        let checkpoint_name = format!("tsudoi-{month}-{CHECKPOINT_SUFFIX}");
        write_synced(&dir.join(&checkpoint_name), checkpoint.text.as_bytes())?;
        files.push(checkpoint_name);
        for (name, bytes) in report.csv_files(&format!("tsudoi-{month}-"), encoding)? {
            write_synced(&dir.join(&name), &bytes)?;
            files.push(name);
        }
        if let Some(ward) = ward {
            let name = format!("tsudoi-{month}-counts.json.age");
            write_synced(&dir.join(&name), &merge::seal_counts(&report, ward)?)?;
            files.push(name);
        }
        let key = self.device_signing_key()?;
        sign::sign_dir(dir, &files, &key, &report.site)?;
        for f in [sign::MANIFEST, sign::SIGNATURE, sign::SIGNER] {
            std::fs::File::open(dir.join(f))?.sync_all()?;
        }
        let fields: Vec<&str> = files.iter().map(String::as_str).collect();
        self.record(
            &crate::store::Actor::Staff(staff.clone()),
            crate::store::audit::AuditAction::Export,
            &format!("report:{month}"),
            &fields,
            "ok",
        )?;
        Ok(Export {
            dir: dir.to_owned(),
            files,
            public_key: sign::public_key_text(&key.verifying_key()),
        })
    }
}

/// Refuses an output folder that already holds files (a report never mixes
/// with another's files), and makes it when it is missing.
pub fn prepare_out_dir(dir: &std::path::Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(ReportError::OutDirNotEmpty {
            dir: dir.to_owned(),
        }
        .into());
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

impl Store {
    /// Signs the report files in `dir` with the device key (`SHA256SUMS`,
    /// its signature, `SIGNER.txt`), syncs the signature files and records
    /// the export as `record_id` in the audit log.
    pub(crate) fn sign_and_record_export(
        &mut self,
        staff: &StaffSession,
        dir: &std::path::Path,
        files: Vec<String>,
        record_id: &str,
    ) -> Result<Export> {
        let site = self.site()?;
        let key = self.device_signing_key()?;
        sign::sign_dir(dir, &files, &key, &site)?;
        for f in [sign::MANIFEST, sign::SIGNATURE, sign::SIGNER] {
            std::fs::File::open(dir.join(f))?.sync_all()?;
        }
        let fields: Vec<&str> = files.iter().map(String::as_str).collect();
        self.record(
            &crate::store::Actor::Staff(staff.clone()),
            crate::store::audit::AuditAction::Export,
            record_id,
            &fields,
            "ok",
        )?;
        Ok(Export {
            dir: dir.to_owned(),
            files,
            public_key: sign::public_key_text(&key.verifying_key()),
        })
    }
}

/// Writes a file and syncs it to the medium before returning.
pub fn write_synced(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

impl Store {
    /// Exports to a removable medium: writes into a new folder on it, flushes,
    /// reads everything back against the signed manifest, and records the
    /// transfer in the media ledger. A failed read-back is recorded too.
    #[allow(clippy::too_many_arguments)]
    pub fn export_report_to_medium(
        &mut self,
        staff: &StaffSession,
        month: Month,
        medium: &media::Medium,
        purpose: &str,
        encoding: csv::Encoding,
        wording: Wording,
        ward: Option<&merge::WardRecipient>,
    ) -> Result<Export> {
        self.export_to_medium(
            staff,
            medium,
            &format!("tsudoi-report-{month}"),
            purpose,
            |store, dir| store.export_report_for(staff, month, dir, encoding, wording, ward),
        )
    }

    /// Any signed export onto a removable medium: `write` fills a new folder
    /// `folder` (or `folder-2`, …) on the stick; then the folder is flushed,
    /// read back against its signed manifest, and entered in the media
    /// ledger (a failed read-back is entered too, as not verified).
    pub fn export_to_medium(
        &mut self,
        staff: &StaffSession,
        medium: &media::Medium,
        folder: &str,
        purpose: &str,
        write: impl FnOnce(&mut Store, &std::path::Path) -> Result<Export>,
    ) -> Result<Export> {
        let purpose = purpose.trim();
        if purpose.is_empty() || purpose.chars().count() > 100 {
            return Err(ReportError::BadPurpose.into());
        }
        let mut dir = medium.mount_point.join(folder);
        let mut n = 2;
        while dir.exists() {
            dir = medium.mount_point.join(format!("{folder}-{n}"));
            n += 1;
        }
        let export = write(self, &dir)?;
        media::flush_and_forget(&dir)?;
        let expected = sign::parse_public_key(&export.public_key)?;
        let verified = sign::verify_dir(&dir, Some(&expected));
        let manifest = std::fs::read_to_string(dir.join(sign::MANIFEST)).unwrap_or_default();
        let files = manifest
            .lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(sum, name)| media::LedgerFile {
                name: name.to_owned(),
                sha256: sum.to_owned(),
            })
            .collect();
        self.record_media_transfer(
            staff,
            &media::LedgerEntry {
                at: self.now(),
                staff_id: staff.staff_id().to_owned(),
                medium: medium.name(),
                destination: dir.display().to_string(),
                purpose: purpose.to_owned(),
                files,
                verified: verified.is_ok(),
            },
        )?;
        verified.map_err(|e| ReportError::ReadBackMismatch {
            detail: Some(e.to_string()),
        })?;
        Ok(export)
    }
}
