//! 取扱責任者・取扱者の届出 (contract clause 13): the roster of accounts the
//! ward is told about — staff id, role, the day added and by whom, the day
//! removed and by whom — as a CSV and a printable A4 page, signed like the
//! monthly report. Staff ids only: no resident's data, and no staff names
//! (ids are chosen not to be names).

use std::path::Path;

use super::{Export, csv, pdf};
use crate::error::{Error, Result};
use crate::jp_date;
use crate::store::audit::AuditAction;
use crate::store::{Role, StaffSession, Store};

/// One account on the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The account's staff id.
    pub staff_id: String,
    /// The account's role.
    pub role: Role,
    /// `YYYY-MM-DD` (Japan time).
    pub added_on: String,
    /// The manager who added the account; `None` for the first manager,
    /// made by `tsudoi init`.
    pub added_by: Option<String>,
    /// When and by whom the account was deactivated.
    pub removed: Option<(String, String)>,
}

/// The CSV's columns, in order.
pub const COLUMNS: [&str; 6] = [
    "スタッフID",
    "役割",
    "追加した日",
    "追加した人",
    "無効にした日",
    "無効にした人",
];

impl RosterRow {
    fn cells(&self) -> [String; 6] {
        let (removed_on, removed_by) = self.removed.clone().unwrap_or_default();
        [
            self.staff_id.clone(),
            self.role.label().to_owned(),
            self.added_on.clone(),
            self.added_by
                .clone()
                .unwrap_or_else(|| "（設置時）".to_owned()),
            removed_on,
            removed_by,
        ]
    }
}

fn day(at: &str) -> String {
    at.chars().take(10).collect()
}

impl Store {
    /// The roster, every account ever made, in the order they were added.
    /// Each staff row's MAC is checked (a role changed with `sqlite3` is
    /// refused by name). Manager only.
    pub fn staff_roster(&self, manager: &StaffSession) -> Result<Vec<RosterRow>> {
        let accounts = self.staff_accounts(manager)?;
        let events = |action: AuditAction| -> Result<Vec<(String, String, String)>> {
            let mut stmt = self
                .conn()
                .prepare("SELECT record_id, at, actor FROM audit WHERE action = ?1 ORDER BY seq")?;
            let rows = stmt
                .query_map([action.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        };
        let created = events(AuditAction::StaffCreate)?;
        let removed = events(AuditAction::StaffDeactivate)?;
        let init = events(AuditAction::Init)?;
        let mut rows = Vec::new();
        for a in accounts {
            let made = created.iter().find(|(id, _, _)| *id == a.id);
            let (added_on, added_by) = match made {
                Some((_, at, by)) => (day(at), Some(by.clone())),
                // The first manager: added by `init`, logged under their id.
                None => {
                    let at = init
                        .iter()
                        .find(|(_, _, by)| *by == a.id)
                        .map(|(_, at, _)| day(at))
                        .ok_or_else(|| {
                            Error::Tampered(format!("スタッフ {} の追加の記録（監査ログ）", a.id))
                        })?;
                    (at, None)
                }
            };
            let removed = if a.active {
                None
            } else {
                removed
                    .iter()
                    .rev()
                    .find(|(id, _, _)| *id == a.id)
                    .map(|(_, at, by)| (day(at), by.clone()))
            };
            rows.push(RosterRow {
                staff_id: a.id,
                role: a.role,
                added_on,
                added_by,
                removed,
            });
        }
        rows.sort_by(|a, b| {
            (a.added_on.as_str(), a.staff_id.as_str())
                .cmp(&(b.added_on.as_str(), b.staff_id.as_str()))
        });
        Ok(rows)
    }

    /// `tsudoi report staff --out DIR`: the roster as
    /// `tsudoi-staff-roster.csv` (UTF-8 with BOM) and
    /// `tsudoi-staff-roster.pdf` (A4), signed with the device key like the
    /// monthly report (`SHA256SUMS`, its signature, `SIGNER.txt`), audited.
    /// `dir` must be new or empty. Manager only.
    pub fn export_staff_roster(&mut self, manager: &StaffSession, dir: &Path) -> Result<Export> {
        let rows = self.staff_roster(manager)?;
        super::prepare_out_dir(dir)?;
        let site = self.site()?;
        let today = self.clock().today();
        let mut text = COLUMNS
            .iter()
            .map(|c| csv::field(c))
            .collect::<Vec<_>>()
            .join(",");
        text.push_str("\r\n");
        for r in &rows {
            let cells: Vec<String> = r.cells().iter().map(|c| csv::field(c)).collect();
            text.push_str(&cells.join(","));
            text.push_str("\r\n");
        }
        let csv_name = "tsudoi-staff-roster.csv".to_owned();
        let pdf_name = "tsudoi-staff-roster.pdf".to_owned();
        super::write_synced(
            &dir.join(&csv_name),
            &csv::encode(&text, csv::Encoding::Utf8Bom, &csv_name)?,
        )?;
        let table: Vec<Vec<String>> = rows.iter().map(|r| r.cells().to_vec()).collect();
        let page = pdf::table_pdf(
            "個人情報取扱責任者・取扱者の届出（スタッフ名簿）",
            &[
                format!(
                    "施設: {site}　作成日: {}　作成者: {}",
                    jp_date::ymd(today),
                    manager.staff_id()
                ),
                "契約書第13条による届出です。スタッフIDと役割のみを記載し、参加者の情報は含みません。".to_owned(),
                "役割: 取扱責任者＝個人情報の取扱責任者、取扱者＝個人情報の取扱者、運営者＝個人情報を扱わない運営担当".to_owned(),
            ],
            &COLUMNS,
            &table,
            &[90.0, 70.0, 80.0, 90.0, 80.0, 90.0],
        )?;
        super::write_synced(&dir.join(&pdf_name), &page)?;
        self.sign_and_record_export(manager, dir, vec![csv_name, pdf_name], "staff_roster")
    }
}
