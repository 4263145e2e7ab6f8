//! Self-run hobby groups of いきがいつくり支援 (issue 15): a group meets on a
//! regular schedule ("第1・第3火曜 13:30–15:30"); its meetings are rows of
//! `sessions` like any activity, generated from the schedule and then
//! cancelled or moved one by one. Members are participants (basis
//! `ward`, sealed like every participant) brought in by the ward's roster
//! (`ward_roster.rs`).

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::dates::or_damaged;
pub use super::errors::GroupError;
use super::participants::{Basis, read_cells, short_id};
use super::sessions::parse_time;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

/// Which weeks of the month a group meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weeks {
    /// Every week (毎週).
    Every,
    /// The given weeks of the month, 1–5, sorted (第1・第3).
    Nth(Vec<u8>),
}

/// A group's regular schedule, parsed into a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Which weeks of the month.
    pub weeks: Weeks,
    /// The day of the week it meets.
    pub weekday: Weekday,
    /// Start time (Japan time, wall clock).
    pub start: NaiveTime,
    /// End time; after `start`.
    pub end: NaiveTime,
}

const WEEKDAYS: [(char, Weekday); 7] = [
    ('月', Weekday::Mon),
    ('火', Weekday::Tue),
    ('水', Weekday::Wed),
    ('木', Weekday::Thu),
    ('金', Weekday::Fri),
    ('土', Weekday::Sat),
    ('日', Weekday::Sun),
];

fn weekday_char(w: Weekday) -> char {
    WEEKDAYS
        .iter()
        .find(|(_, d)| *d == w)
        .map(|(c, _)| *c)
        .unwrap_or('?')
}

fn schedule_error() -> Error {
    GroupError::ScheduleForm.into()
}

impl Schedule {
    /// Parses "第1・第3火曜 13:30–15:30", "第2,4木曜日 10時-12時",
    /// "毎週月曜 9:30～11:00" (full-width digits allowed).
    pub fn parse(input: &str) -> Result<Schedule> {
        let s = crate::eligibility::to_halfwidth(input.trim());
        // The weekday is the first weekday character followed by 曜.
        let chars: Vec<char> = s.chars().collect();
        let pos = chars
            .windows(2)
            .position(|w| w[1] == '曜' && WEEKDAYS.iter().any(|(c, _)| *c == w[0]))
            .ok_or_else(schedule_error)?;
        let weekday = WEEKDAYS
            .iter()
            .find(|(c, _)| Some(c) == chars.get(pos))
            .map(|(_, d)| *d)
            .ok_or_else(schedule_error)?;
        let before: String = chars[..pos].iter().collect();
        let mut rest: String = chars[pos + 2..].iter().collect();
        if let Some(r) = rest.strip_prefix('日') {
            rest = r.to_owned();
        }
        let before = before.trim();
        let weeks = if before == "毎週" {
            Weeks::Every
        } else if before.starts_with('第') {
            let mut weeks: Vec<u8> = Vec::new();
            for part in before.split(['・', ',', '、', '第', ' ']) {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let n: u8 = part.parse().map_err(|_| schedule_error())?;
                if !(1..=5).contains(&n) {
                    return Err(GroupError::WeekOfMonth.into());
                }
                if !weeks.contains(&n) {
                    weeks.push(n);
                }
            }
            if weeks.is_empty() {
                return Err(schedule_error());
            }
            weeks.sort_unstable();
            Weeks::Nth(weeks)
        } else {
            return Err(schedule_error());
        };
        let times: Vec<&str> = rest
            .split(['-', '–', '—', '−', '~', '〜', '～', 'ー'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let [start, end] = times.as_slice() else {
            return Err(schedule_error());
        };
        let (start, end) = (parse_time(start)?, parse_time(end)?);
        if start >= end {
            return Err(GroupError::EndNotAfterStart.into());
        }
        Ok(Schedule {
            weeks,
            weekday,
            start,
            end,
        })
    }

    /// The rule written back the way staff write it: "第1・第3火曜 13:30–15:30".
    pub fn display(&self) -> String {
        let days = match &self.weeks {
            Weeks::Every => "毎週".to_owned(),
            Weeks::Nth(w) => w
                .iter()
                .map(|n| format!("第{n}"))
                .collect::<Vec<_>>()
                .join("・"),
        };
        format!(
            "{days}{}曜 {}–{}",
            weekday_char(self.weekday),
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }

    /// The stored form of `weeks`: "every" or "1,3".
    fn weeks_code(&self) -> String {
        match &self.weeks {
            Weeks::Every => "every".into(),
            Weeks::Nth(w) => w.iter().map(u8::to_string).collect::<Vec<_>>().join(","),
        }
    }

    fn from_columns(weeks: &str, weekday: i64, start: &str, end: &str) -> Option<Schedule> {
        let weeks = if weeks == "every" {
            Weeks::Every
        } else {
            Weeks::Nth(
                weeks
                    .split(',')
                    .map(|w| w.parse().ok())
                    .collect::<Option<Vec<u8>>>()?,
            )
        };
        Some(Schedule {
            weeks,
            weekday: Weekday::try_from(u8::try_from(weekday).ok()?).ok()?,
            start: NaiveTime::parse_from_str(start, "%H:%M").ok()?,
            end: NaiveTime::parse_from_str(end, "%H:%M").ok()?,
        })
    }

    /// Whether the group meets on `date`: the right weekday, and (for 第N)
    /// the Nth such weekday of its month ((day − 1) / 7 + 1).
    pub fn meets_on(&self, date: NaiveDate) -> bool {
        if date.weekday() != self.weekday {
            return false;
        }
        match &self.weeks {
            Weeks::Every => true,
            Weeks::Nth(w) => {
                let nth = u8::try_from((date.day() - 1) / 7 + 1).unwrap_or(0);
                w.contains(&nth)
            }
        }
    }

    /// Every meeting date from `from` to `until`, both included.
    pub fn dates(&self, from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = from;
        while d <= until {
            if self.meets_on(d) {
                out.push(d);
            }
            d += Duration::days(1);
        }
        out
    }
}

/// When a regular stops coming (見守り): at least `visits` visits in the
/// last `weeks` weeks and none in the last `absent_weeks` weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WatchRule {
    /// Visits needed in the look-back window to count as a regular.
    pub visits: u32,
    /// The look-back window, in weeks (1–52).
    pub weeks: u32,
    /// Weeks without a visit, counted back from today, after which staff call; shorter than
    /// `weeks`.
    pub absent_weeks: u32,
}

impl Default for WatchRule {
    fn default() -> Self {
        WatchRule {
            visits: 3,
            weeks: 8,
            absent_weeks: 3,
        }
    }
}

impl WatchRule {
    /// Checks the rule: each number 1–52 and `absent_weeks < weeks`.
    /// # Errors
    /// [`GroupError::WatchRule`].
    pub fn validate(&self) -> Result<()> {
        let ok = (1..=52).contains(&self.visits)
            && (1..=52).contains(&self.weeks)
            && (1..=52).contains(&self.absent_weeks)
            && self.absent_weeks < self.weeks;
        if ok {
            Ok(())
        } else {
            Err(GroupError::WatchRule.into())
        }
    }
}

/// A group to add.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// The group's name as the ward announces it.
    pub name: String,
    /// The regular schedule its meetings are generated from.
    pub schedule: Schedule,
    /// The room it meets in, as shown at the kiosk.
    pub room: String,
    /// Meetings are generated from `from` to `until`, both included.
    pub from: NaiveDate,
    /// Last day meetings are generated for, included.
    pub until: NaiveDate,
}

/// A group as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// Row id in `hobby_groups`.
    pub id: String,
    /// The group's name as the ward announces it.
    pub name: String,
    /// The regular schedule.
    pub schedule: Schedule,
    /// The room it meets in.
    pub room: String,
    /// The representative's participant id, if one is set (a member of the group).
    pub representative: Option<String>,
    /// Current members.
    pub members: u32,
    /// When the group's regulars are put on the 見守り list.
    pub watch: WatchRule,
    /// The next meeting on or after today that is not cancelled.
    pub next: Option<NaiveDate>,
}

/// One meeting of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSession {
    /// The date the schedule gives, even if the meeting was moved or cancelled.
    pub planned_date: NaiveDate,
    /// `scheduled`, `moved` or `cancelled` (the `group_sessions.status` column).
    pub status: String,
    /// The `sessions` row held for it; `None` when cancelled.
    pub session_id: Option<String>,
    /// The actual date (differs from `planned_date` when moved); `None` when cancelled.
    pub date: Option<NaiveDate>,
    /// Actual start time; `None` when cancelled.
    pub start: Option<NaiveTime>,
    /// Actual end time; `None` when cancelled.
    pub end: Option<NaiveTime>,
    /// Check-ins recorded for the meeting.
    pub attendance: u32,
}

/// A group's meeting on one day, as the kiosk's 「グループの受付」 lists it:
/// nothing personal (names of groups, rooms, times, a head count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMeeting {
    /// Row id in `hobby_groups`.
    pub group_id: String,
    /// The group's name.
    pub name: String,
    /// The room it meets in.
    pub room: String,
    /// The `sessions` row to check in to.
    pub session_id: String,
    /// Start time.
    pub start: NaiveTime,
    /// End time.
    pub end: NaiveTime,
    /// Check-ins recorded so far (a head count, nothing personal).
    pub attendance: u32,
    /// Whether the group has a representative (who may be handed the
    /// member list without phones).
    pub has_representative: bool,
}

/// A member as staff see them. Debug output is redacted.
pub struct Member {
    /// Row id in `participants`.
    pub participant_id: String,
    /// Full name (decrypted; only for staff who handle personal data).
    pub name: Zeroizing<String>,
    /// Furigana (decrypted).
    pub kana: Zeroizing<String>,
    /// Phone number as entered (decrypted).
    pub phone: Zeroizing<String>,
    /// How the person's data came to the store (`ward` for roster members).
    pub basis: Basis,
    /// Cards linked to the person.
    pub cards: u32,
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

/// Group names and rooms: 1–40 characters, no control characters.
fn plain_label(input: &str, what: &'static str) -> Result<String> {
    let s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = s.chars().count();
    if n == 0 || n > 40 || s.chars().any(char::is_control) {
        return Err(GroupError::Label { what }.into());
    }
    Ok(s)
}

/// The most meetings generated at once (about two years of a weekly group).
const MAX_GENERATED: usize = 120;

const GROUP_SELECT: &str = "SELECT id, name, weeks, weekday, start_time, end_time, room,
    representative_id, watch_visits, watch_weeks, watch_absent_weeks,
    (SELECT count(*) FROM group_members m WHERE m.group_id = g.id)
    FROM hobby_groups g";

fn group_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(GroupInfo, ())> {
    // A schedule edited outside tsudoi is damaged data, not a disk failure.
    let bad = || super::errors::in_row(2, GroupError::DamagedSchedule);
    let schedule = Schedule::from_columns(
        &r.get::<_, String>(2)?,
        r.get(3)?,
        &r.get::<_, String>(4)?,
        &r.get::<_, String>(5)?,
    )
    .ok_or_else(bad)?;
    Ok((
        GroupInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            schedule,
            room: r.get(6)?,
            representative: r.get(7)?,
            watch: WatchRule {
                visits: r.get(8)?,
                weeks: r.get(9)?,
                absent_weeks: r.get(10)?,
            },
            members: r.get(11)?,
            next: None,
        },
        (),
    ))
}

/// A meeting's stored date that does not read (edited outside tsudoi).
fn damaged_date(e: rusqlite::Error) -> Error {
    or_damaged(e, || GroupError::DamagedMeeting { what: "日付" }.into())
}

impl Store {
    /// Adds a group and generates its meetings. Any signed-in role may:
    /// nothing personal is involved.
    pub fn add_group(&mut self, staff: &StaffSession, g: NewGroup) -> Result<(String, usize)> {
        staff.require(false)?;
        let name = plain_label(&g.name, "グループ名")?;
        let room = plain_label(&g.room, "部屋")?;
        let exists: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM hobby_groups WHERE name = ?1",
                [&name],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(GroupError::DuplicateName.into());
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO hobby_groups (id, name, program_id, weeks, weekday, start_time, end_time,
               room, created_at)
             VALUES (?1, ?2, 'ikigai', ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                name,
                g.schedule.weeks_code(),
                g.schedule.weekday.num_days_from_monday(),
                g.schedule.start.format("%H:%M").to_string(),
                g.schedule.end.format("%H:%M").to_string(),
                room,
                now
            ],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupCreate,
            &id,
            &[],
            "ok",
        )?;
        let n = generate(&tx, &id, &name, &g.schedule, g.from, g.until, &now)?;
        tx.commit()?;
        Ok((id, n))
    }

    /// Generates the meetings of a group from `from` to `until` that do
    /// not exist yet (cancelled ones stay cancelled). Returns how many.
    pub fn generate_group_sessions(
        &mut self,
        staff: &StaffSession,
        group: &str,
        from: NaiveDate,
        until: NaiveDate,
    ) -> Result<usize> {
        staff.require(false)?;
        let g = self.group(group)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let n = generate(&tx, &g.id, &g.name, &g.schedule, from, until, &now)?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupSessions,
            &g.id,
            &[],
            &format!("generated_{n}"),
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// Every group, by name.
    pub fn groups(&self) -> Result<Vec<GroupInfo>> {
        let today = self.clock().today();
        let mut stmt = self
            .conn()
            .prepare(&format!("{GROUP_SELECT} ORDER BY name"))?;
        let mut out: Vec<GroupInfo> = stmt
            .query_map([], group_from_row)?
            .map(|r| r.map(|(g, ())| g))
            .collect::<rusqlite::Result<_>>()?;
        for g in &mut out {
            g.next = self
                .conn()
                .query_row(
                    "SELECT min(s.date) FROM group_sessions gs JOIN sessions s ON s.id = gs.session_id
                     WHERE gs.group_id = ?1 AND s.date >= ?2",
                    params![g.id, today],
                    |r| r.get(0),
                )
                .optional()
                .map_err(damaged_date)?
                .flatten();
        }
        Ok(out)
    }

    /// One group by its exact name or a unique id prefix.
    pub fn group(&self, name_or_id: &str) -> Result<GroupInfo> {
        let key = name_or_id.trim();
        let by_name = self
            .conn()
            .query_row(
                &format!("{GROUP_SELECT} WHERE name = ?1"),
                [key],
                group_from_row,
            )
            .optional()?;
        if let Some((g, ())) = by_name {
            return Ok(g);
        }
        let id = self
            .resolve_id("hobby_groups", "グループ", key)
            .map_err(|_| Error::NotFound {
                what: "グループ"
            })?;
        Ok(self
            .conn()
            .query_row(
                &format!("{GROUP_SELECT} WHERE id = ?1"),
                [&id],
                group_from_row,
            )?
            .0)
    }

    /// The groups meeting on `date` (their session rows on that day), by
    /// start time then name. No personal data, no audit entry.
    pub fn group_meetings_on(&self, date: NaiveDate) -> Result<Vec<GroupMeeting>> {
        let mut stmt = self.conn().prepare(
            "SELECT g.id, g.name, g.room, s.id, s.start_time, s.end_time,
               (SELECT count(*) FROM attendance a WHERE a.session_id = s.id),
               g.representative_id IS NOT NULL
             FROM group_sessions gs
             JOIN hobby_groups g ON g.id = gs.group_id
             JOIN sessions s ON s.id = gs.session_id
             WHERE s.date = ?1
             ORDER BY s.start_time, g.name",
        )?;
        let rows = stmt.query_map([date], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (group_id, name, room, session_id, start, end, attendance, rep) = row?;
            let time = |t: &str| {
                NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| GroupError::DamagedMeeting { what: "時刻" })
            };
            out.push(GroupMeeting {
                group_id,
                name,
                room,
                session_id,
                start: time(&start)?,
                end: time(&end)?,
                attendance,
                has_representative: rep,
            });
        }
        Ok(out)
    }

    /// The record ids checked in to a session (ids only: nothing is
    /// decrypted, so nothing is audited).
    pub fn checked_in_to(&self, session_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT participant_id FROM attendance WHERE session_id = ?1")?;
        let rows = stmt.query_map([session_id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A group's meetings from `from` on, by planned date.
    pub fn group_sessions(&self, group: &str, from: NaiveDate) -> Result<Vec<GroupSession>> {
        let g = self.group(group)?;
        let mut stmt = self.conn().prepare(
            "SELECT gs.planned_date, gs.status, gs.session_id, s.date, s.start_time, s.end_time,
               (SELECT count(*) FROM attendance a WHERE a.session_id = gs.session_id)
             FROM group_sessions gs LEFT JOIN sessions s ON s.id = gs.session_id
             WHERE gs.group_id = ?1 AND (gs.planned_date >= ?2 OR s.date >= ?2)
             ORDER BY gs.planned_date",
        )?;
        let rows = stmt.query_map(params![g.id, from], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<NaiveDate>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (planned_date, status, sid, date, start, end, attendance) =
                row.map_err(damaged_date)?;
            let t = |s: Option<String>| s.and_then(|s| NaiveTime::parse_from_str(&s, "%H:%M").ok());
            out.push(GroupSession {
                planned_date,
                status,
                session_id: sid,
                date,
                start: t(start),
                end: t(end),
                attendance,
            });
        }
        Ok(out)
    }

    /// The group meeting planned on `planned` (its session row id and status).
    fn group_meeting(
        &self,
        group_id: &str,
        planned: NaiveDate,
    ) -> Result<(String, Option<String>)> {
        self.conn()
            .query_row(
                "SELECT id, session_id FROM group_sessions WHERE group_id = ?1 AND planned_date = ?2",
                params![group_id, planned],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound { what: "その日の集まり" })
    }

    /// Cancels the meeting planned on `planned`: its session leaves the
    /// kiosk. Refused once someone has checked in.
    pub fn cancel_group_session(
        &mut self,
        staff: &StaffSession,
        group: &str,
        planned: NaiveDate,
    ) -> Result<()> {
        staff.require(false)?;
        let g = self.group(group)?;
        let (gs_id, sid) = self.group_meeting(&g.id, planned)?;
        let Some(sid) = sid else {
            return Err(GroupError::AlreadyCancelled.into());
        };
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM attendance WHERE session_id = ?1",
            [&sid],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Err(GroupError::HasCheckIns.into());
        }
        tx.execute(
            "UPDATE group_sessions SET session_id = NULL, status = 'cancelled', updated_at = ?2
             WHERE id = ?1",
            params![gs_id, now],
        )?;
        tx.execute("DELETE FROM sessions WHERE id = ?1", [&sid])?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupSessions,
            &g.id,
            &["planned_date"],
            "cancelled",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves the meeting planned on `planned` to another day or time.
    pub fn move_group_session(
        &mut self,
        staff: &StaffSession,
        group: &str,
        planned: NaiveDate,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
    ) -> Result<()> {
        staff.require(false)?;
        if start >= end {
            return Err(GroupError::EndNotAfterStart.into());
        }
        let g = self.group(group)?;
        let (gs_id, sid) = self.group_meeting(&g.id, planned)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let sid = match sid {
            Some(sid) => {
                tx.execute(
                    "UPDATE sessions SET date = ?2, start_time = ?3, end_time = ?4 WHERE id = ?1",
                    params![
                        sid,
                        date,
                        start.format("%H:%M").to_string(),
                        end.format("%H:%M").to_string()
                    ],
                )?;
                sid
            }
            // A cancelled meeting held after all, on another day.
            None => insert_session(&tx, &g.name, date, start, end, &now)?,
        };
        tx.execute(
            "UPDATE group_sessions SET session_id = ?2, status = 'moved', updated_at = ?3
             WHERE id = ?1",
            params![gs_id, sid, now],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupSessions,
            &g.id,
            &["date", "start_time", "end_time"],
            "moved",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether `participant_id` is a member of the group `group_id`.
    fn is_group_member(&self, group_id: &str, participant_id: &str) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT count(*) > 0 FROM group_members WHERE group_id = ?1 AND participant_id = ?2",
            params![group_id, participant_id],
            |r| r.get(0),
        )?)
    }
    /// Sets the group's representative, a member of it (by id prefix).
    pub fn set_group_representative(
        &mut self,
        staff: &StaffSession,
        group: &str,
        member: &str,
    ) -> Result<()> {
        staff.require(true)?;
        let g = self.group(group)?;
        let pid = self.resolve_id("participants", "参加者", member)?;
        if !self.is_group_member(&g.id, &pid)? {
            return Err(GroupError::RepresentativeNotMember.into());
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "UPDATE hobby_groups SET representative_id = ?2 WHERE id = ?1",
            params![g.id, pid],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupUpdate,
            &g.id,
            &["representative_id"],
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets the group's 見守り rule.
    pub fn set_group_watch(
        &mut self,
        staff: &StaffSession,
        group: &str,
        rule: WatchRule,
    ) -> Result<()> {
        staff.require(true)?;
        rule.validate()?;
        let g = self.group(group)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "UPDATE hobby_groups SET watch_visits = ?2, watch_weeks = ?3, watch_absent_weeks = ?4
             WHERE id = ?1",
            params![g.id, rule.visits, rule.weeks, rule.absent_weeks],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupUpdate,
            &g.id,
            &["watch_visits", "watch_weeks", "watch_absent_weeks"],
            "ok",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Checks a member in by hand to the group's meeting today (members
    /// without a card, from the member list). The usual check-in rules and
    /// audit entry apply.
    pub fn check_in_group_member(
        &mut self,
        staff: &StaffSession,
        group: &str,
        member: &str,
    ) -> Result<super::attendance::CheckInOutcome> {
        staff.require(true)?;
        let g = self.group(group)?;
        let pid = self.resolve_id("participants", "参加者", member)?;
        if !self.is_group_member(&g.id, &pid)? {
            return Err(GroupError::CheckInNotMember.into());
        }
        let sid = self.group_session_today(&g.id)?;
        self.check_in(
            &super::Actor::Staff(staff.clone()),
            &pid,
            &sid,
            super::attendance::CheckInMethod::Staff,
        )
    }

    /// Staff hand the member list of today's meeting to the group's
    /// representative at the kiosk (audited `group_handover`, record id the
    /// group). Refused when the group has no representative.
    pub fn hand_over_group(&mut self, staff: &StaffSession, group: &str) -> Result<()> {
        staff.require(true)?;
        let g = self.group(group)?;
        if g.representative.is_none() {
            return Err(GroupError::NoRepresentative.into());
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::GroupHandover,
            &g.id,
            &[],
            "handed_over",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A member checked in by the group's representative at the kiosk,
    /// after staff handed them the list ([`Self::hand_over_group`]) and
    /// signed out: the same checks as [`Self::check_in_group_member`] (a
    /// member of the group, its meeting today), recorded by the kiosk
    /// (actor `kiosk`, method `staff`: by hand, not by card).
    pub fn check_in_group_member_at_kiosk(
        &mut self,
        group: &str,
        participant_id: &str,
    ) -> Result<super::attendance::CheckInOutcome> {
        let g = self.group(group)?;
        if !self.is_group_member(&g.id, participant_id)? {
            return Err(GroupError::NotMember.into());
        }
        let sid = self.group_session_today(&g.id)?;
        self.check_in(
            &super::Actor::Kiosk,
            participant_id,
            &sid,
            super::attendance::CheckInMethod::Staff,
        )
    }

    /// The session of the group's meeting today (the earliest, if two).
    fn group_session_today(&self, group_id: &str) -> Result<String> {
        let today = self.clock().today();
        let sid: Option<String> = self
            .conn()
            .query_row(
                "SELECT s.id FROM group_sessions gs JOIN sessions s ON s.id = gs.session_id
                 WHERE gs.group_id = ?1 AND s.date = ?2 ORDER BY s.start_time LIMIT 1",
                params![group_id, today],
                |r| r.get(0),
            )
            .optional()?;
        sid.ok_or_else(|| GroupError::NoMeetingToday.into())
    }

    /// A group's members in furigana order, decrypted for staff who handle
    /// personal data. Each member's record is audited as a view, like a
    /// participant shown at the desk.
    pub fn group_members(&mut self, staff: &StaffSession, group: &str) -> Result<Vec<Member>> {
        staff.require(true)?;
        let g = self.group(group)?;
        let mut out = Vec::new();
        {
            let keys = self.keys()?;
            let mut stmt = self.conn().prepare(
                "SELECT m.participant_id, p.basis,
                   (SELECT count(*) FROM cards c WHERE c.participant_id = p.id)
                 FROM group_members m JOIN participants p ON p.id = m.participant_id
                 WHERE m.group_id = ?1",
            )?;
            let rows = stmt.query_map([&g.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                ))
            })?;
            for row in rows {
                let (pid, basis, cards) = row?;
                let (_, cells) = read_cells(self.conn(), keys, &pid)?;
                let [name, kana, phone, ..] = cells;
                out.push(Member {
                    participant_id: pid,
                    name: name.unwrap_or_default(),
                    kana: kana.unwrap_or_default(),
                    phone: phone.unwrap_or_default(),
                    basis: if basis == "ward" {
                        Basis::WardProvided
                    } else {
                        Basis::SelfPresented
                    },
                    cards,
                });
            }
        }
        out.sort_by(|a, b| {
            a.kana
                .as_str()
                .cmp(b.kana.as_str())
                .then_with(|| a.participant_id.cmp(&b.participant_id))
        });
        let now = self.now();
        let result = format!("group_{}", short_id(&g.id));
        let (tx, keys, _, _) = self.write_tx()?;
        for m in &out {
            record_in(
                &tx,
                keys,
                &now,
                staff.staff_id(),
                AuditAction::View,
                &m.participant_id,
                &["name", "kana", "phone"],
                &result,
            )?;
        }
        tx.commit()?;
        Ok(out)
    }
}

fn insert_session(
    tx: &rusqlite::Connection,
    title: &str,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    now: &str,
) -> Result<String> {
    let sid = uuid::Uuid::new_v4().to_string();
    tx.prepare_cached(
        "INSERT INTO sessions (id, program_id, date, start_time, end_time, title, capacity, mode,
           created_at)
         VALUES (?1, 'ikigai', ?2, ?3, ?4, ?5, NULL, 'open', ?6)",
    )?
    .execute(params![
        sid,
        date,
        start.format("%H:%M").to_string(),
        end.format("%H:%M").to_string(),
        title,
        now
    ])?;
    Ok(sid)
}

/// Inserts the meetings of `schedule` between the dates that are not yet
/// planned; returns how many.
fn generate(
    tx: &rusqlite::Connection,
    group_id: &str,
    title: &str,
    schedule: &Schedule,
    from: NaiveDate,
    until: NaiveDate,
    now: &str,
) -> Result<usize> {
    if until < from {
        return Err(GroupError::PeriodReversed.into());
    }
    let dates = schedule.dates(from, until);
    if dates.len() > MAX_GENERATED {
        return Err(GroupError::TooManyMeetings {
            most: MAX_GENERATED,
        }
        .into());
    }
    let mut n = 0;
    for d in dates {
        let planned: bool = tx
            .prepare_cached(
                "SELECT count(*) > 0 FROM group_sessions WHERE group_id = ?1 AND planned_date = ?2",
            )?
            .query_row(params![group_id, d], |r| r.get(0))?;
        if planned {
            continue;
        }
        let sid = insert_session(tx, title, d, schedule.start, schedule.end, now)?;
        tx.prepare_cached(
            "INSERT INTO group_sessions (id, group_id, planned_date, session_id, status, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'scheduled', ?5)",
        )?
        .execute(params![
            uuid::Uuid::new_v4().to_string(),
            group_id,
            d,
            sid,
            now
        ])?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn schedules_parse_in_the_forms_staff_write() {
        let s = Schedule::parse("第1・第3火曜 13:30–15:30").unwrap();
        assert_eq!(s.weeks, Weeks::Nth(vec![1, 3]));
        assert_eq!(s.weekday, Weekday::Tue);
        assert_eq!(s.display(), "第1・第3火曜 13:30–15:30");
        let s = Schedule::parse("第２，４木曜日　１０時～１２時").unwrap();
        assert_eq!(s.weeks, Weeks::Nth(vec![2, 4]));
        assert_eq!(s.weekday, Weekday::Thu);
        assert_eq!(s.display(), "第2・第4木曜 10:00–12:00");
        let s = Schedule::parse("毎週金曜 9:30〜11:00").unwrap();
        assert_eq!(s.weeks, Weeks::Every);
        assert_eq!(s.display(), "毎週金曜 09:30–11:00");
        for bad in [
            "",
            "火曜 13:30-15:30",
            "第6火曜 13:30-15:30",
            "第1火曜",
            "第1火曜 15:30-13:30",
            "第1曜 10:00-11:00",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn meeting_dates_follow_the_nth_weekday() {
        // December 2026: Tuesdays are 1, 8, 15, 22, 29.
        let s = Schedule::parse("第1・第3火曜 13:30-15:30").unwrap();
        assert_eq!(
            s.dates(d(2026, 12, 1), d(2026, 12, 31)),
            vec![d(2026, 12, 1), d(2026, 12, 15)]
        );
        let s = Schedule::parse("第5火曜 13:30-15:30").unwrap();
        assert_eq!(
            s.dates(d(2026, 12, 1), d(2027, 1, 31)),
            vec![d(2026, 12, 29)]
        );
        let s = Schedule::parse("毎週火曜 13:30-15:30").unwrap();
        assert_eq!(s.dates(d(2026, 12, 1), d(2026, 12, 31)).len(), 5);
    }
}
