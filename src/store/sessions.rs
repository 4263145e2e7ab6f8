//! Programs and their sessions (the day's activities).

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{OptionalExtension, Row, params};

use super::audit::AuditAction;
use super::dates::or_damaged;
use super::errors::SessionError;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

/// The three programs of the contract (seed 001).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    /// いきがいつくり支援: self-run hobby groups.
    Ikigai,
    /// 地域交流支援: open exchange, performance days.
    Koryu,
    /// 介護予防: care-prevention classes and lectures.
    Kaigo,
}

impl Program {
    /// Every program, in the order staff choose from.
    pub const ALL: [Program; 3] = [Program::Ikigai, Program::Koryu, Program::Kaigo];

    /// The value stored in `sessions.program`.
    pub fn code(self) -> &'static str {
        match self {
            Program::Ikigai => "ikigai",
            Program::Koryu => "koryu",
            Program::Kaigo => "kaigo",
        }
    }

    /// The program's official Japanese name (事業名), on screens and in reports.
    pub fn label(self) -> &'static str {
        match self {
            Program::Ikigai => "いきがいつくり支援",
            Program::Koryu => "地域交流支援",
            Program::Kaigo => "介護予防",
        }
    }

    /// Reads a stored code or the Japanese name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Program> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.code() == s || p.label() == s)
    }
}

/// How places in a session are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMode {
    /// Anyone eligible may come.
    Open,
    /// First come, first served up to the capacity.
    FirstCome,
    /// Places allocated by lottery in advance.
    Lottery,
}

impl SessionMode {
    /// The value stored in `sessions.mode`.
    pub fn code(self) -> &'static str {
        match self {
            SessionMode::Open => "open",
            SessionMode::FirstCome => "first_come",
            SessionMode::Lottery => "lottery",
        }
    }

    /// The mode in Japanese, for staff screens.
    pub fn label(self) -> &'static str {
        match self {
            SessionMode::Open => "自由参加",
            SessionMode::FirstCome => "先着順",
            SessionMode::Lottery => "事前申込（抽選）",
        }
    }

    /// Reads a stored code, its hyphenated spelling or the Japanese label; `None` for anything
    /// else.
    pub fn parse(s: &str) -> Option<SessionMode> {
        match s.trim() {
            "open" | "自由参加" => Some(SessionMode::Open),
            "first_come" | "first-come" | "先着順" => Some(SessionMode::FirstCome),
            "lottery" | "抽選" | "事前申込（抽選）" => Some(SessionMode::Lottery),
            _ => None,
        }
    }
}

/// A session to add.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The 事業 the session belongs to (decides the report's columns).
    pub program: Program,
    /// The day it is held.
    pub date: NaiveDate,
    /// Start time (Japan time).
    pub start: NaiveTime,
    /// End time; after `start`.
    pub end: NaiveTime,
    /// Title shown at the kiosk, for example 「健康体操」.
    pub title: String,
    /// Places, for first-come sessions; `None` for no limit.
    pub capacity: Option<u32>,
    /// How places are given.
    pub mode: SessionMode,
}

/// A session with its head count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Row id in `sessions`.
    pub id: String,
    /// The 事業 the session belongs to.
    pub program: Program,
    /// The day it is held.
    pub date: NaiveDate,
    /// Start time (Japan time).
    pub start: NaiveTime,
    /// End time.
    pub end: NaiveTime,
    /// Title shown at the kiosk.
    pub title: String,
    /// Places, for first-come sessions; `None` for no limit.
    pub capacity: Option<u32>,
    /// How places are given.
    pub mode: SessionMode,
    /// Check-ins recorded so far.
    pub attendance: u32,
}

const SELECT: &str =
    "SELECT s.id, s.program_id, s.date, s.start_time, s.end_time, s.title, s.capacity, s.mode,
    (SELECT count(*) FROM attendance a WHERE a.session_id = s.id) FROM sessions s";

/// A session's stored date that does not read (edited outside tsudoi).
fn damaged_date(e: rusqlite::Error) -> Error {
    or_damaged(e, || Error::Tampered("活動の日付".into()))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<SessionInfo> {
    // A value edited outside tsudoi is damaged data, not a disk failure.
    let bad = |i: usize| {
        let what = match i {
            1 => "事業",
            2 => "日付",
            3 | 4 => "時刻",
            _ => "受付のしかた",
        };
        super::errors::in_row(i, super::errors::SessionError::Damaged { what })
    };
    let start: String = r.get(3)?;
    let end: String = r.get(4)?;
    Ok(SessionInfo {
        id: r.get(0)?,
        program: Program::parse(&r.get::<_, String>(1)?).ok_or_else(|| bad(1))?,
        date: r.get(2)?,
        start: NaiveTime::parse_from_str(&start, "%H:%M").map_err(|_| bad(3))?,
        end: NaiveTime::parse_from_str(&end, "%H:%M").map_err(|_| bad(4))?,
        title: r.get(5)?,
        capacity: r.get(6)?,
        mode: SessionMode::parse(&r.get::<_, String>(7)?).ok_or_else(|| bad(7))?,
        attendance: r.get(8)?,
    })
}

/// Parses `HH:MM` (also full-width digits and `時`/`分`).
pub fn parse_time(input: &str) -> Result<NaiveTime> {
    let s: String = crate::eligibility::to_halfwidth(input.trim())
        .replace('時', ":")
        .replace('分', "");
    let s = s.trim_end_matches(':');
    let s = if s.contains(':') {
        s.to_owned()
    } else {
        format!("{s}:00")
    };
    NaiveTime::parse_from_str(&s, "%H:%M").map_err(|_| {
        SessionError::TimeForm {
            input: input.trim().to_owned(),
        }
        .into()
    })
}

impl NewSession {
    fn validate(&self) -> Result<String> {
        let title = self.title.trim();
        let n = title.chars().count();
        if n == 0 || n > 60 || title.chars().any(char::is_control) {
            return Err(SessionError::Title.into());
        }
        if self.start >= self.end {
            return Err(SessionError::EndNotAfterStart.into());
        }
        match (self.mode, self.capacity) {
            (SessionMode::FirstCome | SessionMode::Lottery, None) => {
                return Err(SessionError::CapacityMissing.into());
            }
            (_, Some(c)) if c == 0 || c > 1000 => {
                return Err(SessionError::CapacityRange.into());
            }
            _ => {}
        }
        Ok(title.to_owned())
    }
}

impl Store {
    /// Adds a session. Any signed-in role may; no personal data is involved.
    pub fn add_session(&mut self, staff: &StaffSession, s: NewSession) -> Result<String> {
        staff.require(false)?;
        let title = s.validate()?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO sessions (id, program_id, date, start_time, end_time, title, capacity, mode, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                s.program.code(),
                s.date,
                // `HH:MM`, not rusqlite's `HH:MM:SS` (see `store::dates`).
                s.start.format("%H:%M").to_string(),
                s.end.format("%H:%M").to_string(),
                title,
                s.capacity,
                s.mode.code(),
                now
            ],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::SessionCreate,
            &id,
            &[],
            "ok",
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The sessions of one day, by start time.
    pub fn sessions_on(&self, date: NaiveDate) -> Result<Vec<SessionInfo>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "{SELECT} WHERE s.date = ?1 ORDER BY s.start_time, s.title"
        ))?;
        let rows = stmt.query_map([date], from_row)?;
        rows.collect::<rusqlite::Result<_>>().map_err(damaged_date)
    }

    /// One session by id or unique id prefix.
    pub fn session(&self, id_or_prefix: &str) -> Result<SessionInfo> {
        let id = self.resolve_id("sessions", "活動", id_or_prefix)?;
        self.session_by_id(&id)
    }

    pub(crate) fn session_by_id(&self, id: &str) -> Result<SessionInfo> {
        self.conn()
            .prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))?
            .query_row([id], from_row)
            .optional()
            .map_err(damaged_date)?
            .ok_or(Error::NotFound { what: "活動" })
    }

    /// The session for a check-in: its attendance is counted only when a
    /// first-come capacity needs it (a count on every tap grew with the
    /// day's check-ins). Otherwise `attendance` is 0.
    pub(crate) fn session_for_check_in(&self, id: &str) -> Result<SessionInfo> {
        let mut session = self
            .conn()
            .prepare_cached(
                "SELECT s.id, s.program_id, s.date, s.start_time, s.end_time, s.title, s.capacity,
                        s.mode, 0 FROM sessions s WHERE s.id = ?1",
            )?
            .query_row([id], from_row)
            .optional()
            .map_err(damaged_date)?
            .ok_or(Error::NotFound { what: "活動" })?;
        if session.mode == SessionMode::FirstCome && session.capacity.is_some() {
            let n: i64 = self
                .conn()
                .prepare_cached("SELECT count(*) FROM attendance WHERE session_id = ?1")?
                .query_row([id], |r| r.get(0))?;
            session.attendance = u32::try_from(n).unwrap_or(u32::MAX);
        }
        Ok(session)
    }

    /// How many sessions exist in all.
    pub fn session_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_common_forms() {
        assert_eq!(
            parse_time("10:00").unwrap(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("１４：３０").unwrap(),
            NaiveTime::from_hms_opt(14, 30, 0).unwrap()
        );
        assert_eq!(
            parse_time("9時").unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("13時30分").unwrap(),
            NaiveTime::from_hms_opt(13, 30, 0).unwrap()
        );
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("昼").is_err());
    }

    #[test]
    fn programs_parse_by_code_and_label() {
        assert_eq!(Program::parse("介護予防"), Some(Program::Kaigo));
        assert_eq!(Program::parse("koryu"), Some(Program::Koryu));
        assert_eq!(Program::parse("other"), None);
    }
}
