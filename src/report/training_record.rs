//! 研修の記録 (issue 19; contract clause 18, the ward's inspection under
//! clauses 15–17): which staff member completed which exercise of the
//! training mode, and read which chapter of the manuals, on which day, as a
//! CSV and a printable A4 page, signed like the monthly report. Staff ids,
//! exercises, chapters and dates only.

use std::path::Path;

use super::{Export, csv, pdf};
use crate::error::Result;
use crate::jp_date;
use crate::store::{StaffSession, Store};
use crate::training::{Exercise, TrainingRow};

/// The CSV's columns, in order.
pub const COLUMNS: [&str; 4] = ["実施日", "スタッフID", "課題", "課題の記号"];

/// The CSV file `tsudoi report training` writes (the signature files come after).
pub const CSV_NAME: &str = "tsudoi-training-record.csv";
/// The PDF it writes beside the CSV: the same rows, for paper files.
pub const PDF_NAME: &str = "tsudoi-training-record.pdf";

fn cells(r: &TrainingRow) -> Vec<String> {
    vec![
        r.done_on.format("%Y-%m-%d").to_string(),
        r.staff_id.clone(),
        r.item.label(),
        r.item.code(),
    ]
}

impl Store {
    /// `tsudoi report training --out DIR`: the training record as
    /// `tsudoi-training-record.csv` (UTF-8 with BOM) and
    /// `tsudoi-training-record.pdf` (A4), with a summary per staff member,
    /// signed with the device key (`SHA256SUMS`, its signature,
    /// `SIGNER.txt`), audited. `dir` must be new or empty. Manager only.
    pub fn export_training_record(&mut self, manager: &StaffSession, dir: &Path) -> Result<Export> {
        let rows = self.training_record(manager)?;
        super::prepare_out_dir(dir)?;
        let site = self.site()?;
        let today = self.clock().today();
        let line = |cells: &[String]| -> String {
            let mut l = cells
                .iter()
                .map(|c| csv::field(c))
                .collect::<Vec<_>>()
                .join(",");
            l.push_str("\r\n");
            l
        };
        let mut text = line(&COLUMNS.map(str::to_owned));
        for r in &rows {
            text.push_str(&line(&cells(r)));
        }
        super::write_synced(
            &dir.join(CSV_NAME),
            &csv::encode(&text, csv::Encoding::Utf8Bom, CSV_NAME)?,
        )?;
        // Per staff member: how many of the exercises they have completed,
        // and how many chapters they read.
        let mut staff: Vec<&str> = rows.iter().map(|r| r.staff_id.as_str()).collect();
        staff.sort_unstable();
        staff.dedup();
        let summary: Vec<String> = staff
            .iter()
            .map(|id| {
                let done = Exercise::ALL
                    .iter()
                    .filter(|e| {
                        rows.iter()
                            .any(|r| r.staff_id == *id && r.item.exercise() == Some(**e))
                    })
                    .count();
                let mut read: Vec<String> = rows
                    .iter()
                    .filter(|r| r.staff_id == *id && r.item.exercise().is_none())
                    .map(|r| r.item.code())
                    .collect();
                read.sort_unstable();
                read.dedup();
                format!("{id} 課題{done}/{}・章{}", Exercise::ALL.len(), read.len())
            })
            .collect();
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| cells(r).into_iter().take(3).collect())
            .collect();
        let page = pdf::table_pdf(
            "研修の記録（研修モード）",
            &[
                format!(
                    "施設: {site}　作成日: {}　作成者: {}",
                    jp_date::ymd(today),
                    manager.staff_id()
                ),
                "研修モード（架空のデータ）で課題を終えたスタッフ、マニュアルの章を読んだスタッフと日付です。スタッフIDと日付のみで、参加者の情報は含みません。".to_owned(),
                if summary.is_empty() {
                    "まだ研修の記録はありません。".to_owned()
                } else {
                    format!("終えた課題の数（全{}課題）と読んだ章の数: {}", Exercise::ALL.len(), summary.join("　"))
                },
            ],
            &COLUMNS[..3],
            &table,
            &[90.0, 110.0, 300.0],
        )?;
        super::write_synced(&dir.join(PDF_NAME), &page)?;
        self.sign_and_record_export(
            manager,
            dir,
            vec![CSV_NAME.to_owned(), PDF_NAME.to_owned()],
            "training_record",
        )
    }
}
