//! 事故報告 (contract clause 19): an accident with personal data is recorded
//! by staff on screen or with `tsudoi incident add`, and the kiosk writes the
//! report for the ward (`tsudoi incident report`, in `report::incident`).
//!
//! An incident holds only choices from fixed lists, dates, a count and
//! record ids: never free text, so nothing about a resident can be typed
//! into it. Each incident is entered in the audit log in the same
//! transaction (`incident`, the record being its id), with a digest of the
//! row in the entry's result, so a row edited, deleted or added with
//! `sqlite3` is caught when incidents are read.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::audit::AuditAction;
use super::errors::IncidentError;
use super::{Store, record_in};
use crate::error::{Error, Result};
use crate::store::StaffSession;

/// What happened, from the contract's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum IncidentKind {
    /// 媒体（USBメモリ・紙）の紛失・盗難
    MediumLost,
    /// 別の人に個人情報を見せてしまった
    ShownToWrongPerson,
    /// 別の人を受付してしまった
    WrongCheckIn,
    /// 端末（キオスク）の紛失・盗難
    DeviceLost,
    /// 不正アクセスの疑い
    UnauthorisedAccess,
    /// その他
    Other,
}

impl IncidentKind {
    /// Every kind, in declaration order (for choice lists and code lookups).
    pub const ALL: [IncidentKind; 6] = [
        Self::MediumLost,
        Self::ShownToWrongPerson,
        Self::WrongCheckIn,
        Self::DeviceLost,
        Self::UnauthorisedAccess,
        Self::Other,
    ];

    /// The stored code (also the command line's `--kind` value).
    pub fn code(self) -> &'static str {
        match self {
            Self::MediumLost => "medium-lost",
            Self::ShownToWrongPerson => "shown-to-wrong-person",
            Self::WrongCheckIn => "wrong-check-in",
            Self::DeviceLost => "device-lost",
            Self::UnauthorisedAccess => "unauthorised-access",
            Self::Other => "other",
        }
    }

    /// The Japanese name printed in the 事故報告 and shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::MediumLost => "媒体（USBメモリ・紙）の紛失・盗難",
            Self::ShownToWrongPerson => "別の人への個人情報の表示",
            Self::WrongCheckIn => "別の人の受付",
            Self::DeviceLost => "端末の紛失・盗難",
            Self::UnauthorisedAccess => "不正アクセスの疑い",
            Self::Other => "その他",
        }
    }

    /// The kind with this stored code, or `None` for an unknown code (a row from a newer version,
    /// or an edited file).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What was done about it, from a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Measure {
    /// 区に第一報を入れた
    WardInformed,
    /// 本人に説明しておわびした
    PersonInformed,
    /// 媒体・書類を回収した
    MediumRecovered,
    /// 誤った受付・記録を訂正した
    RecordCorrected,
    /// カードの登録を解除した
    CardUnlinked,
    /// パスワードを変更した
    PasswordChanged,
    /// スタッフのアカウントを無効にした
    AccountDeactivated,
    /// 鍵を取り替えた（再暗号化）
    KeysRotated,
    /// 警察に届け出た
    PoliceInformed,
    /// その他（区に口頭で説明）
    Other,
}

impl Measure {
    /// Every measure, in declaration order (for choice lists and code lookups).
    pub const ALL: [Measure; 10] = [
        Self::WardInformed,
        Self::PersonInformed,
        Self::MediumRecovered,
        Self::RecordCorrected,
        Self::CardUnlinked,
        Self::PasswordChanged,
        Self::AccountDeactivated,
        Self::KeysRotated,
        Self::PoliceInformed,
        Self::Other,
    ];

    /// The stored code (also the command line's `--measure` value).
    pub fn code(self) -> &'static str {
        match self {
            Self::WardInformed => "ward-informed",
            Self::PersonInformed => "person-informed",
            Self::MediumRecovered => "medium-recovered",
            Self::RecordCorrected => "record-corrected",
            Self::CardUnlinked => "card-unlinked",
            Self::PasswordChanged => "password-changed",
            Self::AccountDeactivated => "account-deactivated",
            Self::KeysRotated => "keys-rotated",
            Self::PoliceInformed => "police-informed",
            Self::Other => "other",
        }
    }

    /// The full Japanese sentence printed in the 事故報告.
    pub fn label(self) -> &'static str {
        match self {
            Self::WardInformed => "区に第一報を入れた",
            Self::PersonInformed => "本人に説明しておわびした",
            Self::MediumRecovered => "媒体・書類を回収した",
            Self::RecordCorrected => "誤った受付・記録を訂正した",
            Self::CardUnlinked => "カードの登録を解除した",
            Self::PasswordChanged => "パスワードを変更した",
            Self::AccountDeactivated => "スタッフのアカウントを無効にした",
            Self::KeysRotated => "鍵を取り替えた（再暗号化）",
            Self::PoliceInformed => "警察に届け出た",
            Self::Other => "その他（区に口頭で説明）",
        }
    }

    /// The kiosk's button text (the report uses [`Measure::label`]).
    pub fn short(self) -> &'static str {
        match self {
            Self::WardInformed => "区に第一報",
            Self::PersonInformed => "本人に説明・おわび",
            Self::MediumRecovered => "媒体・書類を回収",
            Self::RecordCorrected => "受付・記録を訂正",
            Self::CardUnlinked => "カードを解除",
            Self::PasswordChanged => "パスワード変更",
            Self::AccountDeactivated => "アカウント無効化",
            Self::KeysRotated => "鍵の取り替え",
            Self::PoliceInformed => "警察に届出",
            Self::Other => "その他（区に口頭で）",
        }
    }

    /// The measure with this stored code, or `None` for an unknown code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// At most this many residents in one incident (a typing slip guard, not a
/// limit of the format).
pub const MAX_PEOPLE: u32 = 100_000;
/// At most this many record ids in one incident.
pub const MAX_RECORDS: usize = 50;

/// What staff enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    /// What happened.
    pub kind: IncidentKind,
    /// The day it happened (on or before `found_on`).
    pub occurred_on: NaiveDate,
    /// When it was noticed (the same day or later).
    pub found_on: NaiveDate,
    /// How many residents it touched (0 when none, or not yet known).
    pub people: u32,
    /// Participant ids (or unique prefixes) of the records it touched.
    pub records: Vec<String>,
    /// What was done about it so far, in the order entered.
    pub measures: Vec<Measure>,
    /// An earlier incident this one adds to (a follow-up report, 続報).
    pub follows: Option<String>,
}

/// An incident as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// `YYYY-NNN`: the year it was recorded and its number in that year.
    pub id: String,
    /// What happened.
    pub kind: IncidentKind,
    /// The day it happened.
    pub occurred_on: NaiveDate,
    /// The day it was noticed.
    pub found_on: NaiveDate,
    /// When it was recorded (RFC 3339, Japan time).
    pub recorded_at: String,
    /// Staff id of who recorded it.
    pub recorded_by: String,
    /// How many residents it touched (0 when none, or not yet known).
    pub people: u32,
    /// Full participant ids.
    pub records: Vec<String>,
    /// What was done about it.
    pub measures: Vec<Measure>,
    /// The earlier incident this one follows up (続報), by id.
    pub follows: Option<String>,
    /// The audit entry that recorded it.
    pub audit_seq: i64,
    /// How many record ids were left out of `records` because the reader's
    /// role does not see them (operators).
    pub hidden_records: usize,
}

impl Incident {
    /// The digest kept in the audit entry's result: every column, in order,
    /// one per line (lists as their codes joined by commas).
    fn digest(&self) -> String {
        let text = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.id,
            self.kind.code(),
            self.occurred_on,
            self.found_on,
            self.recorded_at,
            self.recorded_by,
            self.people,
            self.records.join(","),
            self.measures
                .iter()
                .map(|m| m.code())
                .collect::<Vec<_>>()
                .join(","),
            self.follows.as_deref().unwrap_or(""),
        );
        let hash = Sha256::digest(text.as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }
}

const COLUMNS: &str =
    "id, kind, occurred_on, found_on, recorded_at, recorded_by, people, records, measures, follows";

fn tampered(id: &str) -> Error {
    Error::Tampered(format!("事故の記録 {id}"))
}

/// Reads one row; `seq`/`result` come from the audit entry joined to it.
fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RawIncident, Option<(i64, String)>)> {
    let raw = RawIncident {
        id: r.get(0)?,
        kind: r.get(1)?,
        // Kept as read: a date that does not read is refused in `check`,
        // naming the record.
        occurred_on: r.get(2),
        found_on: r.get(3),
        recorded_at: r.get(4)?,
        recorded_by: r.get(5)?,
        people: r.get(6)?,
        records: r.get(7)?,
        measures: r.get(8)?,
        follows: r.get(9)?,
    };
    let audit = match (
        r.get::<_, Option<i64>>(10)?,
        r.get::<_, Option<String>>(11)?,
    ) {
        (Some(seq), Some(result)) => Some((seq, result)),
        _ => None,
    };
    Ok((raw, audit))
}

struct RawIncident {
    id: String,
    kind: String,
    occurred_on: rusqlite::Result<NaiveDate>,
    found_on: rusqlite::Result<NaiveDate>,
    recorded_at: String,
    recorded_by: String,
    people: i64,
    records: String,
    measures: String,
    follows: Option<String>,
}

impl RawIncident {
    /// Parses the row and checks it against its audit entry.
    fn check(self, audit: Option<(i64, String)>) -> Result<Incident> {
        let bad = || tampered(&self.id);
        let records: Vec<String> = if self.records.is_empty() {
            Vec::new()
        } else {
            self.records.split(',').map(str::to_owned).collect()
        };
        let measures = if self.measures.is_empty() {
            Vec::new()
        } else {
            self.measures
                .split(',')
                .map(|c| Measure::from_code(c).ok_or_else(bad))
                .collect::<Result<Vec<_>>>()?
        };
        let incident = Incident {
            kind: IncidentKind::from_code(&self.kind).ok_or_else(bad)?,
            occurred_on: self.occurred_on.map_err(|_| bad())?,
            found_on: self.found_on.map_err(|_| bad())?,
            recorded_at: self.recorded_at.clone(),
            recorded_by: self.recorded_by.clone(),
            people: u32::try_from(self.people).map_err(|_| bad())?,
            records,
            measures,
            follows: self.follows.clone(),
            audit_seq: 0,
            hidden_records: 0,
            id: self.id.clone(),
        };
        match audit {
            Some((seq, result)) if result == incident.digest() => Ok(Incident {
                audit_seq: seq,
                ..incident
            }),
            _ => Err(bad()),
        }
    }
}

/// Rows joined to the audit entry that recorded them (the first `incident`
/// entry for the id: a later forged entry cannot replace it).
const SELECT: &str = "SELECT i.id, i.kind, i.occurred_on, i.found_on, i.recorded_at, i.recorded_by,
        i.people, i.records, i.measures, i.follows, a.seq, a.result
   FROM incident i
   LEFT JOIN audit a ON a.seq = (SELECT min(seq) FROM audit
                                  WHERE action = 'incident' AND record_id = i.id)";

impl Store {
    /// Records an incident (any staff member after the first password
    /// change; naming records needs a role that handles personal data).
    /// Returns it with its new id.
    pub fn add_incident(&mut self, staff: &StaffSession, new: &NewIncident) -> Result<Incident> {
        staff.require(!new.records.is_empty())?;
        let today = self.clock().today();
        if new.occurred_on > today || new.found_on > today {
            return Err(IncidentError::FutureDate.into());
        }
        if new.found_on < new.occurred_on {
            return Err(IncidentError::FoundBeforeOccurred.into());
        }
        if new.people > MAX_PEOPLE {
            return Err(IncidentError::TooManyPeople { most: MAX_PEOPLE }.into());
        }
        if new.records.len() > MAX_RECORDS {
            return Err(IncidentError::TooManyRecords { most: MAX_RECORDS }.into());
        }
        let mut records = Vec::new();
        for prefix in &new.records {
            let id = self.resolve_id("participants", "参加者", prefix)?;
            if !records.contains(&id) {
                records.push(id);
            }
        }
        let follows = match &new.follows {
            Some(f) => Some(self.incident(staff, f)?.id),
            None => None,
        };
        let mut measures = new.measures.clone();
        measures.sort();
        measures.dedup();
        let now = self.now();
        let recorded_at = now.clone();
        let year = today.format("%Y").to_string();
        let (tx, keys, _, _) = self.write_tx()?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM incident WHERE id LIKE ?1 || '-%'",
            params![year],
            |r| r.get(0),
        )?;
        let mut incident = Incident {
            id: format!("{year}-{:03}", n + 1),
            kind: new.kind,
            occurred_on: new.occurred_on,
            found_on: new.found_on,
            recorded_at,
            recorded_by: staff.staff_id().to_owned(),
            people: new.people,
            records,
            measures,
            follows,
            audit_seq: 0,
            hidden_records: 0,
        };
        tx.execute(
            &format!(
                "INSERT INTO incident ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            params![
                incident.id,
                incident.kind.code(),
                incident.occurred_on,
                incident.found_on,
                incident.recorded_at,
                incident.recorded_by,
                i64::from(incident.people),
                incident.records.join(","),
                incident
                    .measures
                    .iter()
                    .map(|m| m.code())
                    .collect::<Vec<_>>()
                    .join(","),
                incident.follows,
            ],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Incident,
            &incident.id,
            &[
                "kind",
                "occurred_on",
                "found_on",
                "people",
                "records",
                "measures",
                "follows",
            ],
            &incident.digest(),
        )?;
        incident.audit_seq = tx.query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))?;
        tx.commit()?;
        Ok(incident)
    }

    /// One incident, checked against its audit entry.
    pub fn incident(&self, staff: &StaffSession, id: &str) -> Result<Incident> {
        staff.require(false)?;
        let id = id.trim();
        let row = self
            .conn()
            .query_row(&format!("{SELECT} WHERE i.id = ?1"), params![id], from_row)
            .optional()?
            .ok_or(Error::NotFound {
                what: "事故の記録"
            })?;
        let (raw, audit) = row;
        let incident = raw.check(audit)?;
        // Operators see no record ids (as in `audit show`).
        Ok(redact_for(staff, incident))
    }

    /// Every incident, oldest first, each checked against its audit entry;
    /// an audit entry whose row is gone is reported as tampering too.
    pub fn incidents(&self, staff: &StaffSession) -> Result<Vec<Incident>> {
        staff.require(false)?;
        let mut stmt = self
            .conn()
            .prepare(&format!("{SELECT} ORDER BY i.recorded_at, i.id"))?;
        let rows = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for (raw, audit) in rows {
            out.push(redact_for(staff, raw.check(audit)?));
        }
        let missing: Option<String> = self
            .conn()
            .query_row(
                "SELECT record_id FROM audit WHERE action = 'incident'
                   AND record_id NOT IN (SELECT id FROM incident) LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = missing {
            return Err(tampered(&id));
        }
        Ok(out)
    }
}

fn redact_for(staff: &StaffSession, mut incident: Incident) -> Incident {
    if !staff.role().handles_personal_data() {
        incident.hidden_records = incident.records.len();
        incident.records.clear();
    }
    incident
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for k in IncidentKind::ALL {
            assert_eq!(IncidentKind::from_code(k.code()), Some(k));
        }
        for m in Measure::ALL {
            assert_eq!(Measure::from_code(m.code()), Some(m));
        }
        let mut labels: Vec<&str> = Measure::ALL.iter().map(|m| m.label()).collect();
        labels.dedup();
        assert_eq!(labels.len(), Measure::ALL.len());
    }

    #[test]
    fn digest_matches_the_format_test_vector() {
        let incident = Incident {
            id: "2026-001".into(),
            kind: IncidentKind::WrongCheckIn,
            occurred_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            found_on: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            recorded_at: "2026-12-02T10:30:00+09:00".into(),
            recorded_by: "kanri01".into(),
            people: 1,
            records: vec!["0f8e4c1a-0000-4000-8000-000000000001".into()],
            measures: vec![Measure::PersonInformed, Measure::RecordCorrected],
            follows: None,
            audit_seq: 0,
            hidden_records: 0,
        };
        // FORMAT.md section 10, recomputed by coreutils' sha256sum.
        let text = "2026-001\nwrong-check-in\n2026-12-01\n2026-12-02\n2026-12-02T10:30:00+09:00\nkanri01\n1\n0f8e4c1a-0000-4000-8000-000000000001\nperson-informed,record-corrected\n";
        let mut child = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let hex = String::from_utf8(out.stdout).unwrap();
        let hex = hex.split_whitespace().next().unwrap();
        assert_eq!(incident.digest(), format!("sha256:{hex}"));
    }

    #[test]
    fn clap_values_are_the_stored_codes() {
        use clap::ValueEnum;
        for k in IncidentKind::ALL {
            assert_eq!(
                k.to_possible_value().map(|v| v.get_name().to_owned()),
                Some(k.code().to_owned())
            );
        }
        for m in Measure::ALL {
            assert_eq!(
                m.to_possible_value().map(|v| v.get_name().to_owned()),
                Some(m.code().to_owned())
            );
        }
    }
}
