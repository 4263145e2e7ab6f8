//! 見守り (issue 15): noticing regulars who have stopped coming.
//!
//! The rule (docs/dev/groups.md): for each context — a hobby group, or an
//! activity outside the groups (sessions of the same program and title) —
//! a person is listed when, with the context's rule (N visits, M weeks, K
//! weeks; a group's own, otherwise the configured default):
//!
//! 1. they checked in to the context's sessions at least N times on dates
//!    `today − 7·M days ..= today`;
//! 2. their last check-in anywhere is on or before `today − 7·K days`;
//! 3. the context held a session after their last visit to it, on or
//!    before today (a group on its summer break flags nobody);
//! 4. their latest call outcome recorded after their last visit is not
//!    辞退 (declined).
//!
//! Staff record each call's outcome from a fixed list; 連絡がつかない twice
//! since the last visit brings a reminder to inform the ward's
//! 高齢者総合相談センター (only the office is named; nothing leaves the
//! device).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use rusqlite::params;
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::dates::or_damaged;
use super::errors::StoreError;
use super::groups::WatchRule;
use super::participants::read_cells;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

/// The outcome of a call, from a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 元気だった
    Well,
    /// 体調をくずしていた
    Unwell,
    /// 入院・施設
    Hospital,
    /// 連絡がつかない
    NoAnswer,
    /// 辞退
    Declined,
}

impl Outcome {
    /// Every outcome, in the order staff choose from.
    pub const ALL: [Outcome; 5] = [
        Outcome::Well,
        Outcome::Unwell,
        Outcome::Hospital,
        Outcome::NoAnswer,
        Outcome::Declined,
    ];

    /// The value stored in the call record and written in the audit result.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Well => "well",
            Outcome::Unwell => "unwell",
            Outcome::Hospital => "hospital",
            Outcome::NoAnswer => "no_answer",
            Outcome::Declined => "declined",
        }
    }

    /// The Japanese wording staff choose from and see in the list.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Well => "元気だった",
            Outcome::Unwell => "体調をくずしていた",
            Outcome::Hospital => "入院・施設",
            Outcome::NoAnswer => "連絡がつかない",
            Outcome::Declined => "辞退",
        }
    }

    /// Reads a stored code, its hyphenated spelling (`no-answer`) or the Japanese label; `None` for
    /// anything else.
    pub fn parse(s: &str) -> Option<Outcome> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|o| o.code() == s || o.label() == s || o.code().replace('_', "-") == s)
    }
}

/// How many 連絡がつかない since the last visit bring the reminder.
pub const NO_ANSWER_REMINDER: u32 = 2;

/// The reminder shown when a person could not be reached twice.
pub fn reminder(center: &str) -> String {
    format!(
        "2回続けて連絡がつきません。{center}にお知らせすることを検討してください（お知らせは電話などで。この端末から記録は出しません）。"
    )
}

/// Where a regular used to come.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WatchContext {
    /// "group" or "activity".
    pub kind: &'static str,
    /// The group's name, or the activity's title.
    pub name: String,
    /// Visits in the rule's window.
    pub visits: u32,
    /// The rule applied to this context (the group's own, otherwise the configured default).
    pub rule: WatchRule,
}

/// Someone on the list, before any personal value is opened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WatchCandidate {
    /// Row id in `participants`.
    pub participant_id: String,
    /// The last day the person checked in anywhere.
    pub last_visit: NaiveDate,
    /// Where they used to come: one entry per group or activity that makes them a regular.
    pub contexts: Vec<WatchContext>,
    /// The latest outcome recorded since the last visit.
    pub last_outcome: Option<(Outcome, NaiveDate)>,
    /// 連絡がつかない recorded since the last visit.
    pub no_answer: u32,
}

/// A listed person with their phone, for the call.
pub struct WatchEntry {
    /// Why the person is listed (no personal values).
    pub candidate: WatchCandidate,
    /// Full name (decrypted), for the call.
    pub name: Zeroizing<String>,
    /// Furigana (decrypted).
    pub kana: Zeroizing<String>,
    /// Phone number as entered (decrypted).
    pub phone: Zeroizing<String>,
}

impl std::fmt::Debug for WatchEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchEntry")
            .field("participant_id", &self.candidate.participant_id)
            .finish_non_exhaustive()
    }
}

/// What recording a call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRecorded {
    /// 連絡がつかない since the last visit, this call included.
    pub no_answer: u32,
    /// Whether to remind staff to inform the centre.
    pub remind: bool,
}

/// A stored date that does not read is damaged data, named by `what`
/// (「活動」 or 「見守りの電話」); other errors pass through.
fn damaged_date(what: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| or_damaged(e, || StoreError::DamagedDate { what }.into())
}

/// The context of a session: `g:<group id>` or `a:<program>|<title>`.
const CONTEXT: &str = "coalesce('g:' || gs.group_id, 'a:' || s.program_id || '|' || s.title)";

impl Store {
    /// The 見守り list as ids and dates only (no decryption, no audit):
    /// the computation of [`Store::watch_list`], also used by the benchmark.
    pub fn watch_candidates(
        &self,
        today: NaiveDate,
        default: WatchRule,
    ) -> Result<Vec<WatchCandidate>> {
        default.validate()?;
        // Rules by context.
        let mut rules: HashMap<String, (WatchRule, String, &'static str)> = HashMap::new();
        let mut max_weeks = default.weeks;
        {
            let mut stmt = self.conn().prepare(
                "SELECT id, name, watch_visits, watch_weeks, watch_absent_weeks FROM hobby_groups",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    WatchRule {
                        visits: r.get(2)?,
                        weeks: r.get(3)?,
                        absent_weeks: r.get(4)?,
                    },
                ))
            })?;
            for row in rows {
                let (id, name, rule) = row?;
                max_weeks = max_weeks.max(rule.weeks);
                rules.insert(format!("g:{id}"), (rule, name, "group"));
            }
        }
        let since = today - Duration::weeks(i64::from(max_weeks));
        // Session dates per context within the window.
        let mut held: HashMap<String, Vec<NaiveDate>> = HashMap::new();
        {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT s.date, {CONTEXT} FROM sessions s
                 LEFT JOIN group_sessions gs ON gs.session_id = s.id
                 WHERE s.date >= ?1 AND s.date <= ?2"
            ))?;
            let rows = stmt.query_map(params![since, today], |r| {
                Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (d, ctx) = row.map_err(damaged_date("活動"))?;
                held.entry(ctx).or_default().push(d);
            }
        }
        // Visits per person and context within the window.
        let mut visits: BTreeMap<String, HashMap<String, Vec<NaiveDate>>> = BTreeMap::new();
        {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT a.participant_id, s.date, {CONTEXT} FROM attendance a
                 JOIN sessions s ON s.id = a.session_id
                 LEFT JOIN group_sessions gs ON gs.session_id = s.id
                 WHERE s.date >= ?1 AND s.date <= ?2"
            ))?;
            let rows = stmt.query_map(params![since, today], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, NaiveDate>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (p, d, ctx) = row.map_err(damaged_date("活動"))?;
                visits.entry(p).or_default().entry(ctx).or_default().push(d);
            }
        }
        let mut out = Vec::new();
        for (pid, by_ctx) in visits {
            let Some(last_any) = by_ctx.values().flatten().max().copied() else {
                continue;
            };
            let mut contexts = Vec::new();
            for (ctx, dates) in &by_ctx {
                let (rule, name, kind) = match rules.get(ctx) {
                    Some((r, n, k)) => (*r, n.clone(), *k),
                    None => (
                        default,
                        ctx.split_once('|')
                            .map(|(_, t)| t.to_owned())
                            .unwrap_or_default(),
                        "activity",
                    ),
                };
                let from = today - Duration::weeks(i64::from(rule.weeks));
                let n = dates.iter().filter(|d| **d >= from).count();
                let absent_since = today - Duration::weeks(i64::from(rule.absent_weeks));
                let last_here = dates.iter().max().copied().unwrap_or(last_any);
                let held_after = held
                    .get(ctx)
                    .is_some_and(|h| h.iter().any(|d| *d > last_here && *d <= today));
                if u32::try_from(n).unwrap_or(u32::MAX) >= rule.visits
                    && last_any <= absent_since
                    && held_after
                {
                    contexts.push(WatchContext {
                        kind,
                        name,
                        visits: u32::try_from(n).unwrap_or(u32::MAX),
                        rule,
                    });
                }
            }
            if contexts.is_empty() {
                continue;
            }
            contexts.sort_by(|a, b| a.name.cmp(&b.name));
            let calls = self.calls_since(&pid, last_any)?;
            let last_outcome = calls.last().copied();
            if matches!(last_outcome, Some((Outcome::Declined, _))) {
                continue;
            }
            let no_answer = u32::try_from(
                calls
                    .iter()
                    .filter(|(o, _)| *o == Outcome::NoAnswer)
                    .count(),
            )
            .unwrap_or(u32::MAX);
            out.push(WatchCandidate {
                participant_id: pid,
                last_visit: last_any,
                contexts,
                last_outcome,
                no_answer,
            });
        }
        out.sort_by(|a, b| {
            a.last_visit
                .cmp(&b.last_visit)
                .then_with(|| a.participant_id.cmp(&b.participant_id))
        });
        Ok(out)
    }

    /// Calls recorded for a person after `after`, oldest first.
    fn calls_since(&self, pid: &str, after: NaiveDate) -> Result<Vec<(Outcome, NaiveDate)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT outcome, called_on FROM watch_calls
             WHERE participant_id = ?1 AND called_on > ?2
             ORDER BY called_on, recorded_at",
        )?;
        let rows = stmt.query_map(params![pid, after], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (o, d) = row.map_err(damaged_date("見守りの電話"))?;
            let o = Outcome::parse(&o)
                .ok_or_else(|| Error::Tampered("watch_calls の outcome".into()))?;
            out.push((o, d));
        }
        Ok(out)
    }

    /// The 見守り list with names and phones, for managers and handlers.
    /// Each person shown is audited (their record id, the fields opened).
    pub fn watch_list(
        &mut self,
        staff: &StaffSession,
        default: WatchRule,
    ) -> Result<Vec<WatchEntry>> {
        staff.require(true)?;
        let today = self.clock().today();
        let candidates = self.watch_candidates(today, default)?;
        let mut out = Vec::with_capacity(candidates.len());
        {
            let keys = self.keys()?;
            for c in candidates {
                let (_, cells) = read_cells(self.conn(), keys, &c.participant_id)?;
                let [name, kana, phone, ..] = cells;
                out.push(WatchEntry {
                    candidate: c,
                    name: name.unwrap_or_default(),
                    kana: kana.unwrap_or_default(),
                    phone: phone.unwrap_or_default(),
                });
            }
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        for e in &out {
            record_in(
                &tx,
                keys,
                &now,
                staff.staff_id(),
                AuditAction::WatchList,
                &e.candidate.participant_id,
                &["name", "kana", "phone"],
                "listed",
            )?;
        }
        if out.is_empty() {
            record_in(
                &tx,
                keys,
                &now,
                staff.staff_id(),
                AuditAction::WatchList,
                "",
                &[],
                "none",
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Records the outcome of a call to a person (id or prefix), on
    /// `called_on` (not in the future).
    pub fn record_watch_call(
        &mut self,
        staff: &StaffSession,
        participant: &str,
        outcome: Outcome,
        called_on: NaiveDate,
    ) -> Result<CallRecorded> {
        staff.require(true)?;
        self.require_trusted_clock()?;
        let today = self.clock().today();
        if called_on > today {
            return Err(StoreError::CallInFuture.into());
        }
        let pid = self.resolve_id("participants", "参加者", participant)?;
        let last_visit: Option<NaiveDate> = self
            .conn()
            .query_row(
                "SELECT max(s.date) FROM attendance a JOIN sessions s ON s.id = a.session_id
                 WHERE a.participant_id = ?1",
                [&pid],
                |r| r.get(0),
            )
            .map_err(damaged_date("活動"))?;
        let last_visit = last_visit.unwrap_or(NaiveDate::MIN);
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO watch_calls (id, participant_id, outcome, called_on, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                uuid::Uuid::new_v4().to_string(),
                pid,
                outcome.code(),
                called_on,
                now,
                staff.staff_id()
            ],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::WatchCall,
            &pid,
            &["outcome", "called_on"],
            outcome.code(),
        )?;
        tx.commit()?;
        let no_answer = u32::try_from(
            self.calls_since(&pid, last_visit)?
                .iter()
                .filter(|(o, _)| *o == Outcome::NoAnswer)
                .count(),
        )
        .unwrap_or(u32::MAX);
        Ok(CallRecorded {
            no_answer,
            remind: no_answer >= NO_ANSWER_REMINDER,
        })
    }
}
