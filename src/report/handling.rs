//! 個人情報の取扱状況報告 (contract clauses 14–17): how personal data was
//! handled in a period, from the audit log — accesses by kind and by staff
//! member, sign-ins, failures and lockouts, media transfers, re-keying, and
//! the audit log's own check. Counts and staff ids only: no resident's data,
//! no record ids. Signed like the monthly report.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::params;

use super::{Export, csv, pdf};
use crate::error::{Error, Result};
use crate::jp_date;
use crate::store::transparency::{CheckpointFinding, WardCheckpoint};
use crate::store::{Actor, StaffSession, Store};

/// One kind of handling, counted from the audit log: a label, and the SQL
/// condition on an audit row that makes it one.
pub struct Kind {
    /// The kind's name in the report, in Japanese.
    pub label: &'static str,
    /// SQL condition on an `audit` row (a constant of this module, never user input).
    pub condition: &'static str,
}

/// Every kind the report counts, in its order (FORMAT of the CSV: one row each).
pub const KINDS: &[Kind] = &[
    Kind {
        label: "記録の閲覧",
        condition: "action = 'view' AND result NOT LIKE 'call_list%'",
    },
    Kind {
        label: "連絡用名簿の表示",
        condition: "action = 'view' AND result LIKE 'call_list%'",
    },
    Kind {
        label: "検索",
        condition: "action = 'search'",
    },
    Kind {
        label: "登録",
        condition: "action = 'create'",
    },
    Kind {
        label: "訂正",
        condition: "action = 'update'",
    },
    Kind {
        label: "削除",
        condition: "action = 'delete'",
    },
    Kind {
        label: "住所などの消去",
        condition: "action = 'erase'",
    },
    Kind {
        label: "スタッフによる手入力の受付",
        condition: "action = 'check_in' AND actor <> 'kiosk'",
    },
    Kind {
        label: "カードでの受付",
        condition: "action = 'check_in' AND actor = 'kiosk'",
    },
    Kind {
        label: "カードの登録・解除・交換",
        condition: "action IN ('card_link', 'card_unlink', 'card_replace')",
    },
    Kind {
        label: "書き出し（報告・名簿）",
        condition: "action = 'export'",
    },
    Kind {
        label: "印刷（お知らせ）",
        condition: "action = 'print'",
    },
    Kind {
        label: "抽選",
        condition: "action = 'draw'",
    },
    Kind {
        label: "サインイン",
        condition: "action = 'sign_in'",
    },
    Kind {
        label: "サインインの失敗",
        condition: "action = 'sign_in_failed'",
    },
    Kind {
        label: "アカウントのロック",
        condition: "action = 'account_locked'",
    },
    Kind {
        label: "スタッフの追加・無効化",
        condition: "action IN ('staff_create', 'staff_deactivate')",
    },
    Kind {
        label: "鍵の変更（パスワード・再暗号化）",
        condition: "action = 'key_change'",
    },
    Kind {
        label: "うち、データの再暗号化（鍵の取り替え）",
        condition: "action = 'key_change' AND result LIKE 'rotated%'",
    },
    Kind {
        label: "セキュリティ設定の変更",
        condition: "action = 'policy_change'",
    },
    Kind {
        label: "閉館時などの鍵の消去",
        condition: "action = 'keys_dropped'",
    },
    Kind {
        label: "時計の確認（時計が戻っていたとき）",
        condition: "action = 'clock_confirm'",
    },
    Kind {
        label: "監査ログのチェックポイント作成",
        condition: "action = 'checkpoint'",
    },
    Kind {
        label: "事故の記録（事故報告）",
        condition: "action = 'incident'",
    },
    Kind {
        label: "研修の記録（研修モードで終えた課題）",
        condition: "action = 'training' AND record_id NOT LIKE 'chapter:%'",
    },
    Kind {
        label: "研修の記録（マニュアルの読んだ章）",
        condition: "action = 'training' AND record_id LIKE 'chapter:%'",
    },
];

/// The report's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlingReport {
    /// First day counted, included.
    pub from: NaiveDate,
    /// Last day counted, included.
    pub to: NaiveDate,
    /// `(label, count)` in [`KINDS`]' order.
    pub kinds: Vec<(&'static str, u64)>,
    /// `(staff id, views and searches, changes, hand check-ins, exports, sign-ins, failed sign-ins)`.
    pub staff: Vec<(String, [u64; 6])>,
    /// Transfers recorded in the media ledger, and how many failed their read-back.
    pub media: (u64, u64),
    /// The audit log's check when the report was made: one line per
    /// finding, the last the verdict.
    pub audit: Vec<String>,
    /// Whether the check found nothing.
    pub audit_intact: bool,
    /// How many of the ward's checkpoints were given, and how many matched.
    pub checkpoints: (usize, usize),
    /// Incidents recorded in the period: `(id, kind, people)`.
    pub incidents: Vec<(String, &'static str, u32)>,
    /// Set when an incident row no longer matches its audit entry.
    pub incidents_tampered: Option<String>,
}

/// The staff table's columns.
pub const STAFF_COLUMNS: [&str; 7] = [
    "スタッフID",
    "閲覧・検索",
    "登録・訂正・削除",
    "手入力の受付",
    "書き出し・印刷",
    "サインイン",
    "サインインの失敗",
];

const STAFF_CONDITIONS: [&str; 6] = [
    "action IN ('view', 'search')",
    "action IN ('create', 'update', 'delete', 'erase', 'card_link', 'card_unlink', 'card_replace')",
    "action = 'check_in'",
    "action IN ('export', 'print')",
    "action = 'sign_in'",
    "action = 'sign_in_failed'",
];

const IN_PERIOD: &str = "substr(at, 1, 10) BETWEEN ?1 AND ?2";

impl Store {
    /// The handling report for `from..=to` (Japan dates). Managers and
    /// operators (like the monthly report). Checks the audit log first —
    /// the keyed chain, the Merkle tree, and the ward's last checkpoints
    /// when given — and says in the report what it found.
    pub fn handling_report(
        &mut self,
        staff: &StaffSession,
        from: NaiveDate,
        to: NaiveDate,
        checkpoints: &[WardCheckpoint],
    ) -> Result<HandlingReport> {
        staff.require_reporting()?;
        if to < from {
            return Err(super::ReportError::BadPeriod.into());
        }
        let log = self.verify_audit_log(&Actor::Staff(staff.clone()), checkpoints)?;
        let audit: Vec<String> = log.to_string().lines().map(str::to_owned).collect();
        let matched = log
            .checkpoints
            .iter()
            .filter(|(_, f)| matches!(f, CheckpointFinding::Matches { .. }))
            .count();
        let (incidents, incidents_tampered) = match self.incidents(staff) {
            Ok(all) => (
                all.into_iter()
                    .filter(|i| {
                        let day = i.recorded_at.get(..10).unwrap_or_default();
                        day >= from.to_string().as_str() && day <= to.to_string().as_str()
                    })
                    .map(|i| (i.id, i.kind.label(), i.people))
                    .collect(),
                None,
            ),
            Err(Error::Tampered(what)) => (Vec::new(), Some(what)),
            Err(e) => return Err(e),
        };
        let (f, t) = (from.to_string(), to.to_string());
        // One pass over the period's entries for every kind, and one for
        // every staff member's row (a count per condition would read the
        // year's log some thirty times).
        let sums = |conditions: &mut dyn Iterator<Item = &str>| -> String {
            conditions
                .map(|c| format!("coalesce(sum(CASE WHEN ({c}) THEN 1 ELSE 0 END), 0)"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let kind_counts: Vec<i64> = self.conn().query_row(
            &format!(
                "SELECT {} FROM audit WHERE {IN_PERIOD}",
                sums(&mut KINDS.iter().map(|k| k.condition))
            ),
            params![f, t],
            |r| (0..KINDS.len()).map(|i| r.get(i)).collect(),
        )?;
        let kinds: Vec<(&'static str, u64)> = KINDS
            .iter()
            .zip(kind_counts)
            .map(|(k, n)| (k.label, u64::try_from(n).unwrap_or(0)))
            .collect();
        let by_staff: Vec<(String, [u64; 6])> = {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT actor, {} FROM audit WHERE {IN_PERIOD}
                   AND actor NOT IN ('kiosk', '(unknown)') GROUP BY actor ORDER BY actor",
                sums(&mut STAFF_CONDITIONS.iter().copied())
            ))?;
            stmt.query_map(params![f, t], |r| {
                let mut cells = [0u64; 6];
                for (i, cell) in cells.iter_mut().enumerate() {
                    *cell = u64::try_from(r.get::<_, i64>(i + 1)?).unwrap_or(0);
                }
                Ok((r.get(0)?, cells))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let (media, failed): (i64, i64) = self.conn().query_row(
            &format!(
                "SELECT count(*), coalesce(sum(verified = 0), 0) FROM media_ledger WHERE {IN_PERIOD}"
            ),
            params![f, t],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(HandlingReport {
            from,
            to,
            kinds,
            staff: by_staff,
            media: (
                u64::try_from(media).unwrap_or(0),
                u64::try_from(failed).unwrap_or(0),
            ),
            audit,
            audit_intact: log.is_intact(),
            checkpoints: (checkpoints.len(), matched),
            incidents,
            incidents_tampered,
        })
    }

    /// `tsudoi report handling --from DATE --to DATE --out DIR`: the report
    /// as two CSV files (UTF-8 with BOM) and an A4 PDF, signed, audited.
    pub fn export_handling_report(
        &mut self,
        staff: &StaffSession,
        from: NaiveDate,
        to: NaiveDate,
        checkpoints: &[WardCheckpoint],
        dir: &Path,
    ) -> Result<Export> {
        let report = self.handling_report(staff, from, to, checkpoints)?;
        super::prepare_out_dir(dir)?;
        let site = self.site()?;
        let today = self.clock().today();
        let stem = format!("tsudoi-handling-{from}-{to}");
        let line = |cells: &[String]| -> String {
            let mut l = cells
                .iter()
                .map(|c| csv::field(c))
                .collect::<Vec<_>>()
                .join(",");
            l.push_str("\r\n");
            l
        };
        let mut kinds_csv = line(&["種類".to_owned(), "件数".to_owned()]);
        for (label, n) in &report.kinds {
            kinds_csv.push_str(&line(&[(*label).to_owned(), n.to_string()]));
        }
        kinds_csv.push_str(&line(&[
            "媒体の受渡し（管理簿）".to_owned(),
            report.media.0.to_string(),
        ]));
        kinds_csv.push_str(&line(&[
            "うち読み戻しの失敗".to_owned(),
            report.media.1.to_string(),
        ]));
        kinds_csv.push_str(&line(&[
            "監査ログの改ざん（見つかった＝1）".to_owned(),
            u8::from(!report.audit_intact).to_string(),
        ]));
        kinds_csv.push_str(&line(&[
            "区の控え（チェックポイント）との照合".to_owned(),
            report.checkpoints.0.to_string(),
        ]));
        kinds_csv.push_str(&line(&[
            "うち一致".to_owned(),
            report.checkpoints.1.to_string(),
        ]));
        let staff_rows: Vec<Vec<String>> = report
            .staff
            .iter()
            .map(|(id, cells)| {
                std::iter::once(id.clone())
                    .chain(cells.iter().map(u64::to_string))
                    .collect()
            })
            .collect();
        let mut staff_csv = line(&STAFF_COLUMNS.map(str::to_owned));
        for row in &staff_rows {
            staff_csv.push_str(&line(row));
        }
        let names = [
            format!("{stem}-kinds.csv"),
            format!("{stem}-staff.csv"),
            format!("{stem}.pdf"),
        ];
        super::write_synced(
            &dir.join(&names[0]),
            &csv::encode(&kinds_csv, csv::Encoding::Utf8Bom, &names[0])?,
        )?;
        super::write_synced(
            &dir.join(&names[1]),
            &csv::encode(&staff_csv, csv::Encoding::Utf8Bom, &names[1])?,
        )?;
        let mut rows: Vec<Vec<String>> = report
            .kinds
            .iter()
            .map(|(l, n)| vec![(*l).to_owned(), n.to_string()])
            .collect();
        rows.push(vec![
            "媒体の受渡し（管理簿）・うち読み戻しの失敗".to_owned(),
            format!("{}・{}", report.media.0, report.media.1),
        ]);
        rows.push(vec!["".to_owned(), "".to_owned()]);
        rows.push(vec![
            "スタッフ別（閲覧・検索／変更／手入力の受付／書き出し／サインイン／失敗）".to_owned(),
            "".to_owned(),
        ]);
        for (id, cells) in &report.staff {
            rows.push(vec![
                id.clone(),
                cells
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join("／"),
            ]);
        }
        rows.push(vec!["".to_owned(), "".to_owned()]);
        rows.push(vec![
            "期間中に記録された事故（番号・種類）".to_owned(),
            "参加者の人数".to_owned(),
        ]);
        if let Some(what) = &report.incidents_tampered {
            rows.push(vec![
                format!("{what}が書き換えられています"),
                "—".to_owned(),
            ]);
        } else if report.incidents.is_empty() {
            rows.push(vec!["（なし）".to_owned(), "".to_owned()]);
        }
        for (id, kind, people) in &report.incidents {
            rows.push(vec![format!("{id}　{kind}"), format!("{people}人")]);
        }
        let mut lines = vec![format!(
            "施設: {site}　期間: {}〜{}　作成日: {}　作成者: {}",
            jp_date::ymd(from),
            jp_date::ymd(to),
            jp_date::ymd(today),
            staff.staff_id()
        )];
        lines.push(if report.checkpoints.0 == 0 {
            "監査ログの確認（区の控えの指定なし）:".to_owned()
        } else {
            format!(
                "監査ログの確認（区の控え{}件と照合、{}件が一致）:",
                report.checkpoints.0, report.checkpoints.1
            )
        });
        lines.extend(report.audit.iter().map(|l| format!("　{l}")));
        lines.push(
            "契約書第14条〜第17条による報告です。件数とスタッフIDのみで、参加者の情報は含みません。"
                .to_owned(),
        );
        let page = pdf::table_pdf(
            "個人情報の取扱状況報告",
            &lines,
            &["種類", "件数"],
            &rows,
            &[330.0, 150.0],
        )?;
        super::write_synced(&dir.join(&names[2]), &page)?;
        self.sign_and_record_export(
            staff,
            dir,
            names.to_vec(),
            &format!("handling:{from}..{to}"),
        )
    }
}
