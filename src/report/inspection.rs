//! The one-page inspection summary (立入検査, contract clause 16): what the
//! ward's inspector asks first on a site visit, read on the kiosk's screen
//! (「点検・届出」) or with `tsudoi report inspection`. Counts, dates and
//! staff ids only.

use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, params};

use super::Month;
use crate::error::Result;
use crate::jp_date;
use crate::store::{Actor, Role, StaffSession, Store};

/// What the summary holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionSummary {
    /// The site's name given at `init`.
    pub site: String,
    /// The day the summary was made.
    pub today: NaiveDate,
    /// The first day of the fiscal year the counts start from (1 April).
    pub since: NaiveDate,
    /// Active accounts per role: manager, handler, operator.
    pub staff: [usize; 3],
    /// Deactivated accounts (kept for the audit trail).
    pub deactivated: usize,
    /// Participant records held now.
    pub registered: u64,
    /// Entries in the audit log.
    pub audit_entries: u64,
    /// The log's own check (keyed chain and Merkle tree), one line.
    pub audit_verdict: String,
    /// Whether that check passed.
    pub audit_intact: bool,
    /// The last signed checkpoint: (date, size).
    pub last_checkpoint: Option<(String, u64)>,
    /// The last monthly report exported: (date, month).
    pub last_report: Option<(String, String)>,
    /// Failed sign-ins since `since`.
    pub failed_sign_ins: u64,
    /// Accounts locked after failed sign-ins since `since`.
    pub lockouts: u64,
    /// Media transfers since `since`, and how many failed their read-back.
    pub media: (u64, u64),
    /// Incidents ever recorded (they matter beyond the fiscal year).
    pub incidents: u64,
    /// The newest incidents: (id, kind, recorded on).
    pub latest_incidents: Vec<(String, &'static str, String)>,
    /// The day of the last key rotation (`tsudoi keys rotate`), if any.
    pub last_rotation: Option<String>,
    /// Times staff confirmed the clock after it was found behind, since `since`.
    pub clock_confirms: u64,
}

impl InspectionSummary {
    /// The page as lines, in the order an inspector reads it.
    pub fn lines(&self) -> Vec<String> {
        let or_none = |o: &Option<String>| o.clone().unwrap_or_else(|| "なし".to_owned());
        let mut lines = vec![
            format!(
                "施設：{}　{}現在（件数は{}から）",
                self.site,
                jp_date::ymd(self.today),
                jp_date::ymd(self.since)
            ),
            format!(
                "スタッフ：取扱責任者{}人・取扱者{}人・運営者{}人（無効にしたアカウント{}）",
                self.staff[0], self.staff[1], self.staff[2], self.deactivated
            ),
            format!("登録されている参加者：{}人", self.registered),
            format!("監査ログ：{}件　{}", self.audit_entries, self.audit_verdict),
            match &self.last_checkpoint {
                Some((day, size)) => {
                    format!("最後のチェックポイント：{day}（{size}件）　区の控えと照合できます")
                }
                None => {
                    "最後のチェックポイント：まだありません（月次報告のときに作られます）".into()
                }
            },
            match &self.last_report {
                Some((day, month)) => format!("最後の月次報告の書き出し：{day}（{month}分）"),
                None => "最後の月次報告の書き出し：まだありません".into(),
            },
            format!(
                "サインインの失敗：{}回・アカウントのロック：{}回",
                self.failed_sign_ins, self.lockouts
            ),
            format!(
                "USBメモリでの持ち出し：{}回（読み戻しの不一致 {}回）",
                self.media.0, self.media.1
            ),
            format!("鍵の取り替え（最後）：{}", or_none(&self.last_rotation)),
            format!(
                "時計の確認（時計が戻っていたとき）：{}回",
                self.clock_confirms
            ),
        ];
        if self.incidents == 0 {
            lines.push("事故の記録：なし".into());
        } else {
            let latest: Vec<String> = self
                .latest_incidents
                .iter()
                .map(|(id, kind, day)| format!("{id} {kind}（{day}）"))
                .collect();
            lines.push(format!(
                "事故の記録：{}件　新しいもの：{}",
                self.incidents,
                latest.join("、")
            ));
        }
        lines
    }
}

impl Store {
    /// The inspection summary (managers and operators, like the reports).
    /// Checks the audit log and every staff row's MAC on the way.
    pub fn inspection_summary(&mut self, staff: &StaffSession) -> Result<InspectionSummary> {
        staff.require_reporting()?;
        let today = self.clock().today();
        let since = Month {
            year: today.year(),
            month: today.month(),
        }
        .fiscal_year_start();
        let log = self.verify_audit_log(&Actor::Staff(staff.clone()), &[])?;
        let audit_verdict = log
            .to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        let accounts = self.checked_staff_accounts()?;
        let mut counts = [0usize; 3];
        let mut deactivated = 0;
        for a in &accounts {
            if !a.active {
                deactivated += 1;
                continue;
            }
            let i = match a.role {
                Role::Manager => 0,
                Role::Handler => 1,
                Role::Operator => 2,
            };
            counts[i] += 1;
        }
        let conn = self.conn();
        let count = |condition: &str| -> Result<u64> {
            let n: i64 = conn.query_row(
                &format!(
                    "SELECT count(*) FROM audit WHERE substr(at, 1, 10) >= ?1 AND ({condition})"
                ),
                params![since],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let day = |at: String| at.chars().take(10).collect::<String>();
        let last_checkpoint = conn
            .query_row(
                "SELECT at, seq FROM audit WHERE action = 'checkpoint' ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?
            .map(|(at, seq)| (day(at), u64::try_from(seq).unwrap_or(0)));
        let last_report = conn
            .query_row(
                "SELECT at, record_id FROM audit WHERE action = 'export' AND record_id LIKE 'report:%'
                  ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .map(|(at, rec)| {
                (
                    day(at),
                    rec.trim_start_matches("report:").to_owned(),
                )
            });
        let last_rotation = conn
            .query_row(
                "SELECT at FROM audit WHERE action = 'key_change' AND result LIKE 'rotated%'
                  ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(day);
        let registered: i64 =
            conn.query_row("SELECT count(*) FROM participants", [], |r| r.get(0))?;
        let (media, media_failed): (i64, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(verified = 0), 0) FROM media_ledger WHERE substr(at, 1, 10) >= ?1",
            params![since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let failed_sign_ins = count("action = 'sign_in_failed'")?;
        let lockouts = count("action = 'account_locked'")?;
        let clock_confirms = count("action = 'clock_confirm'")?;
        // All incidents ever (they matter beyond the fiscal year), checked.
        let all = self.incidents(staff)?;
        let incidents = all.len() as u64;
        let latest_incidents = all
            .iter()
            .rev()
            .take(3)
            .map(|i| (i.id.clone(), i.kind.label(), day(i.recorded_at.clone())))
            .collect();
        Ok(InspectionSummary {
            site: self.site()?,
            today,
            since,
            staff: counts,
            deactivated,
            registered: u64::try_from(registered).unwrap_or(0),
            audit_entries: log.entries,
            audit_verdict,
            audit_intact: log.is_intact(),
            last_checkpoint,
            last_report,
            failed_sign_ins,
            lockouts,
            media: (
                u64::try_from(media).unwrap_or(0),
                u64::try_from(media_failed).unwrap_or(0),
            ),
            incidents,
            latest_incidents,
            last_rotation,
            clock_confirms,
        })
    }
}
