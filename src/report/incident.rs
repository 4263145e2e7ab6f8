//! The written incident report for the ward (事故報告書, contract clause
//! 19): `tsudoi incident report ID --out DIR` writes it as an A4 PDF and a
//! CSV of the same items, signed with the device key like the monthly
//! report. It holds the incident's kind, dates, counts, record ids and
//! measures, and the audit entry that recorded it: no resident's data.

use std::path::Path;

use super::{Export, csv, pdf};
use crate::error::Result;
use crate::jp_date;
use crate::store::incidents::Incident;
use crate::store::{StaffSession, Store};

/// The items of the report, `(label, value)`, in order (the CSV's rows and
/// the PDF's table).
pub fn items(incident: &Incident) -> Vec<(&'static str, String)> {
    let date = jp_date::ymd;
    let mut items = vec![
        ("事故の番号", incident.id.clone()),
        ("種類", incident.kind.label().to_owned()),
        ("起きた日", date(incident.occurred_on)),
        ("気づいた日", date(incident.found_on)),
        (
            "記録した日時・スタッフID",
            format!(
                "{}　{}",
                incident
                    .recorded_at
                    .chars()
                    .take(16)
                    .collect::<String>()
                    .replace('T', " "),
                incident.recorded_by
            ),
        ),
        ("影響を受けた参加者の人数", format!("{}人", incident.people)),
    ];
    let records = if incident.records.is_empty() {
        "（なし）".to_owned()
    } else {
        // The first 8 characters, as staff type them on the command line.
        incident
            .records
            .iter()
            .map(|r| r.chars().take(8).collect::<String>())
            .collect::<Vec<_>>()
            .join("、")
    };
    items.push(("対象の記録（登録番号）", records));
    if incident.measures.is_empty() {
        items.push(("講じた措置", "（記録時点ではまだありません）".to_owned()));
    }
    for m in &incident.measures {
        items.push(("講じた措置", m.label().to_owned()));
    }
    items.push((
        "続報の対象",
        incident
            .follows
            .clone()
            .unwrap_or_else(|| "（第一報）".to_owned()),
    ));
    items.push(("監査ログの記録番号", incident.audit_seq.to_string()));
    items
}

impl Store {
    /// `tsudoi incident report ID --out DIR`: `tsudoi-incident-ID.pdf` and
    /// `tsudoi-incident-ID.csv` (UTF-8 with BOM), signed, audited as an
    /// export of `incident:ID`. Manager only (it names record ids, and the
    /// 取扱責任者 answers to the ward for it). `dir` must be new or empty.
    pub fn export_incident_report(
        &mut self,
        manager: &StaffSession,
        id: &str,
        dir: &Path,
    ) -> Result<Export> {
        manager.require_manager()?;
        let incident = self.incident(manager, id)?;
        super::prepare_out_dir(dir)?;
        let site = self.site()?;
        let today = self.clock().today();
        let items = items(&incident);
        let stem = format!("tsudoi-incident-{}", incident.id);
        let mut text = format!("{},{}\r\n", csv::field("項目"), csv::field("内容"));
        for (label, value) in &items {
            text.push_str(&format!("{},{}\r\n", csv::field(label), csv::field(value)));
        }
        let csv_name = format!("{stem}.csv");
        super::write_synced(
            &dir.join(&csv_name),
            &csv::encode(&text, csv::Encoding::Utf8Bom, &csv_name)?,
        )?;
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|(l, v)| vec![(*l).to_owned(), v.clone()])
            .collect();
        let page = pdf::table_pdf(
            "個人情報に関する事故報告書",
            &[
                format!(
                    "施設: {site}　作成日: {}　作成者（取扱責任者）: {}",
                    jp_date::ymd(today),
                    manager.staff_id()
                ),
                "契約書第19条による報告です。種類・日付・人数・登録番号・措置のみで、参加者の氏名などは含みません。".to_owned(),
                "登録番号の方の詳細は、区の求めに応じて取扱責任者が端末で確かめます。".to_owned(),
            ],
            &["項目", "内容"],
            &rows,
            &[170.0, 310.0],
        )?;
        let pdf_name = format!("{stem}.pdf");
        super::write_synced(&dir.join(&pdf_name), &page)?;
        self.sign_and_record_export(
            manager,
            dir,
            vec![pdf_name, csv_name],
            &format!("incident:{}", incident.id),
        )
    }
}
