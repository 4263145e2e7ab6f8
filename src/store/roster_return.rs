//! The return of the ward's roster at the end of the contract (issue 15;
//! contract clause 11: what the ward provided goes back to it). The hobby
//! groups' members are written in the ward's own import format (the file
//! `tsudoi group import` reads), encrypted to the ward's age key, signed like
//! every export, entered in the media ledger and the audit log. The erasure
//! ([`super::erase`]) refuses while the roster has changed since its last
//! return.

use std::path::Path;

use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::errors::RosterError;
use super::staff::StaffSession;
use super::{Actor, Store};
use crate::eligibility::PhoneNumber;
use crate::error::Result;
use crate::report::media::{self, LedgerEntry, LedgerFile};
use crate::report::merge::WardRecipient;
use crate::report::{csv, prepare_out_dir, sign, write_synced};

/// The media ledger's destination for a return.
pub const RETURN_DESTINATION: &str = "区へ返還（区から提供された会員名簿）";
/// The media ledger's purpose for a return.
pub const RETURN_PURPOSE: &str = "いきがいつくり支援の会員名簿の返還（契約書第11条）";
/// The audit entry that marks a return: an `export` whose record id starts
/// with this, result `ok` once the files were read back from the medium.
pub const RETURN_RECORD: &str = "roster_return:";

/// What a return wrote.
#[derive(Debug, Clone)]
pub struct RosterReturned {
    /// The folder.
    pub dir: std::path::PathBuf,
    /// The encrypted roster's file name (`tsudoi-ward-roster-2027-03-31.csv.age`).
    pub file: String,
    /// Every file listed in `SHA256SUMS`.
    pub files: Vec<String>,
    /// Distinct people in the file.
    pub people: usize,
    /// Lines (a person in two groups is two lines).
    pub lines: usize,
    /// The device's public key that signed.
    pub public_key: String,
}

/// Where the roster stands before the erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnState {
    /// Group memberships and ward-provided records held now.
    pub memberships: u64,
    /// Participant records held with basis `ward` (provided by the ward's roster).
    pub ward_records: u64,
    /// Returns recorded since the last applied import (all, if none).
    pub returns_since_import: u64,
    /// The last return's time (RFC 3339), if any.
    pub last_return: Option<String>,
    /// True when something is held that the last return (if any) does not
    /// cover: a membership or ward-provided record exists, and the roster
    /// changed (an import, a person joining or leaving a group, a record
    /// updated or deleted) after the last return.
    pub due: bool,
}

/// Undoes `report::csv::field`'s guard: a leading `'` before `=`, `+`, `-` or `@`
/// (what every CSV tsudoi writes puts in front of a formula-looking cell).
/// The roster's import applies it to names and group names, so a returned
/// file imports to the same members.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

impl Store {
    /// The roster as the ward's import file: UTF-8 with BOM, CRLF, header
    /// `グループ名,氏名,ふりがな,電話番号`, groups in name order and members in
    /// furigana order; each cell through `report::csv::field`. Opening the members
    /// is audited as views (one per member and group). Returns the bytes,
    /// the distinct people and the lines.
    pub fn roster_return_csv(
        &mut self,
        staff: &StaffSession,
    ) -> Result<(Zeroizing<Vec<u8>>, usize, usize)> {
        staff.require_manager()?;
        let mut groups = self.groups()?;
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        let mut text = Zeroizing::new(String::from("グループ名,氏名,ふりがな,電話番号\r\n"));
        let mut people = std::collections::BTreeSet::new();
        let mut lines = 0;
        for g in &groups {
            for m in self.group_members(staff, &g.id)? {
                let phone = Zeroizing::new(
                    PhoneNumber::parse(m.phone.as_str())
                        .map(|p| p.display())
                        .unwrap_or_else(|_| m.phone.as_str().to_owned()),
                );
                let line = Zeroizing::new(format!(
                    "{},{},{},{}\r\n",
                    csv::field(&g.name),
                    csv::field(m.name.as_str()),
                    csv::field(m.kana.as_str()),
                    csv::field(phone.as_str())
                ));
                text.push_str(&line);
                people.insert(m.participant_id.clone());
                lines += 1;
            }
        }
        let bytes = csv::encode(&text, csv::Encoding::Utf8Bom, "roster")?;
        Ok((Zeroizing::new(bytes), people.len(), lines))
    }

    /// Writes the roster, encrypted to the ward, into `dir` (new or empty)
    /// with a signed `SHA256SUMS`; flushes and reads the folder back; enters
    /// it in the media ledger (`medium`: where `dir` lies) and marks the
    /// return in the audit log. Managers (取扱責任者) only.
    pub fn return_roster(
        &mut self,
        staff: &StaffSession,
        dir: &Path,
        medium: &str,
        ward: &WardRecipient,
    ) -> Result<RosterReturned> {
        staff.require_manager()?;
        self.require_trusted_clock()?;
        let (plain, people, lines) = self.roster_return_csv(staff)?;
        if lines == 0 {
            return Err(RosterError::NoMembers.into());
        }
        let sealed = ward.seal(&plain)?;
        drop(plain);
        prepare_out_dir(dir)?;
        let file = format!("tsudoi-ward-roster-{}.csv.age", self.clock().today());
        write_synced(&dir.join(&file), &sealed)?;
        let site = self.site()?;
        let key = self.device_signing_key()?;
        let public_key = sign::public_key_text(&key.verifying_key());
        sign::sign_dir(dir, std::slice::from_ref(&file), &key, &site)?;
        media::flush_and_forget(dir)?;
        let verified = sign::verify_dir(dir, Some(&key.verifying_key()));
        let manifest = std::fs::read_to_string(dir.join(sign::MANIFEST)).unwrap_or_default();
        let files: Vec<LedgerFile> = manifest
            .lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(sum, name)| LedgerFile {
                name: name.to_owned(),
                sha256: sum.to_owned(),
            })
            .collect();
        self.insert_media_transfer(
            staff,
            &LedgerEntry {
                at: self.now(),
                staff_id: staff.staff_id().to_owned(),
                medium: medium.to_owned(),
                destination: format!("{RETURN_DESTINATION}: {}", dir.display()),
                purpose: RETURN_PURPOSE.to_owned(),
                files: files.clone(),
                verified: verified.is_ok(),
            },
        )?;
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::Export,
            &format!("{RETURN_RECORD}{}", self.clock().today()),
            &names,
            if verified.is_ok() {
                "ok"
            } else {
                "not_verified"
            },
        )?;
        verified.map_err(|e| RosterError::ReadBack {
            detail: e.to_string(),
        })?;
        Ok(RosterReturned {
            dir: dir.to_owned(),
            file,
            files: files.into_iter().map(|f| f.name).collect(),
            people,
            lines,
            public_key,
        })
    }

    /// Whether the roster must be returned before the erasure, and how
    /// often it was. Ordered by the audit log's sequence (not by clock).
    pub fn roster_return_state(&self) -> Result<ReturnState> {
        let conn = self.conn();
        let one = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
        let memberships = one("SELECT count(*) FROM group_members")? as u64;
        let ward_records = one("SELECT count(*) FROM participants WHERE basis = 'ward'")? as u64;
        let last_import = one("SELECT coalesce(max(seq), 0) FROM audit
             WHERE action = 'roster_import' AND result LIKE 'applied%'")?;
        let last_change = one("SELECT coalesce(max(seq), 0) FROM audit
             WHERE (action = 'roster_import' AND result LIKE 'applied%')
                OR action IN ('group_join', 'group_leave', 'delete')
                OR (action = 'update' AND record_id IN
                    (SELECT participant_id FROM group_members
                     UNION SELECT id FROM participants WHERE basis = 'ward'))")?;
        let like = format!("{RETURN_RECORD}%");
        let (returns_since_import, last_seq, last_return): (i64, i64, Option<String>) = conn
            .query_row(
                "SELECT count(*), coalesce(max(seq), 0), max(at) FROM audit
                 WHERE action = 'export' AND record_id LIKE ?1 AND result = 'ok' AND seq > ?2",
                rusqlite::params![like, last_import],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        let held = memberships > 0 || ward_records > 0;
        Ok(ReturnState {
            memberships,
            ward_records,
            returns_since_import: returns_since_import as u64,
            last_return,
            due: held && last_seq < last_change,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unguard_undoes_the_csv_guard_only() {
        for s in [
            "=HYPERLINK(x)",
            "+1x",
            "-a",
            "@b",
            "試験 花子",
            "'quote",
            "'",
        ] {
            assert_eq!(unguard(&csv::field(s)), s);
        }
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'試験"), "'試験");
    }
}
