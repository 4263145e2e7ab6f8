//! 開示請求: everything held about one resident, on A4 for them to take
//! home (issue 14; seed 003: people may ask to see what is held about them).
//! The fields of their record, their consent, their check-ins, their class
//! applications, and every audit entry that touched their record (who, when,
//! what, never a value). Printing it is itself audited, so the next
//! disclosure shows it.

use std::path::{Path, PathBuf};

use rusqlite::params;

use super::media::{self, LedgerEntry, LedgerFile, Medium};
use super::{pdf, prepare_out_dir, write_synced};
use crate::eligibility;
use crate::error::Result;
use crate::jp_date;
use crate::store::audit::AuditAction;
use crate::store::participants::short_id;
use crate::store::{Actor, StaffSession, Store};

/// What `tsudoi participant disclose` wrote.
#[derive(Debug, Clone)]
pub struct Disclosure {
    /// The PDF's file name in the folder.
    pub file: String,
    /// Rows printed per section: (check-ins, applications, audit entries).
    pub counts: (usize, usize, usize),
}

/// The media ledger's purpose for a disclosure written to a stick.
pub const DISCLOSURE_PURPOSE: &str = "本人への開示";

/// What a disclosure onto a USB stick wrote.
#[derive(Debug, Clone)]
pub struct DisclosureExport {
    /// The folder on the stick.
    pub dir: PathBuf,
    /// The PDF's file name in it.
    pub file: String,
    /// The PDF's SHA-256 (hex), as read back and entered in the ledger.
    pub sha256: String,
}

/// The Japanese name of an audit action as a resident would read it.
fn action_label(action: &str) -> &str {
    match action {
        "create" => "登録",
        "view" => "記録の表示",
        "search" => "検索で表示",
        "update" => "訂正",
        "delete" => "削除",
        "card_link" => "カードの登録",
        "card_unlink" => "カードの登録解除",
        "card_replace" => "カードの交換",
        "check_in" => "受付",
        "lottery_apply" => "教室への申し込み",
        "lottery_withdraw" => "申し込みの取り下げ",
        "lottery_cancel" => "当選の辞退",
        "lottery_move_up" => "繰り上げ当選",
        "export" => "書き出し",
        "print" => "印刷",
        "erase" => "住所などの消去",
        "incident" => "事故の記録",
        "group_join" => "グループへの参加（区の名簿）",
        "group_leave" => "グループからの退会（区の名簿）",
        "watch_list" => "見守りの一覧での表示",
        "watch_call" => "見守りの電話の記録",
        other => other,
    }
}

/// Column names as the audit log records them, in Japanese.
fn field_label(field: &str) -> &str {
    match field {
        "name" => "氏名",
        "kana" => "ふりがな",
        "phone" => "電話",
        "birth_date" => "生年月日",
        "postal_code" => "郵便番号",
        "town" => "町名",
        "address" => "住所",
        "document" | "document_kind" => "本人確認書類",
        "verified_on" => "本人確認日",
        "consent" | "consent_purpose" | "consent_on" => "同意",
        "card_token" => "カード",
        "session" => "活動",
        "class" => "教室",
        "entry_number" => "受付番号",
        "tier" => "優先",
        "*" => "すべて",
        other => other,
    }
}

fn status_label(status: &str) -> &str {
    match status {
        "applied" => "申し込み中",
        "withdrawn" => "取り下げ",
        "won" => "当選",
        "waiting" => "補欠",
        "not_selected" => "落選",
        "cancelled" => "辞退",
        "moved_up" => "繰り上げ当選",
        other => other,
    }
}

impl Store {
    /// Writes `tsudoi-disclosure-<登録番号>.pdf` into `dir` (new or empty)
    /// for the resident whose record it is, and records the export. Staff
    /// who handle personal data only (the resident has shown ID at the desk).
    pub fn export_disclosure(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        dir: &Path,
    ) -> Result<Disclosure> {
        staff.require(true)?;
        let p = self.participant(staff, id_or_prefix)?;
        prepare_out_dir(dir)?;
        let today = self.clock().today();
        let site = self.site()?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut row = |a: &str, b: String| rows.push(vec![a.to_owned(), b]);
        row("【登録されている内容】", String::new());
        row("登録番号", short_id(&p.id));
        row("氏名", p.name.to_string());
        row("ふりがな", p.kana.to_string());
        row(
            "電話",
            eligibility::PhoneNumber::parse(&p.phone)
                .map(|n| n.display())
                .unwrap_or_else(|_| p.phone.to_string()),
        );
        if let Some(b) = p.birth_date {
            row(
                "生年月日",
                format!("{}（{}）", eligibility::to_wareki(b), jp_date::ymd(b)),
            );
        }
        if let Some(code) = &p.postal_code {
            row("郵便番号", code.to_string());
        }
        if let Some(t) = &p.town {
            row("町名", t.to_string());
        }
        if let Some(a) = &p.address {
            row("住所", a.to_string());
        }
        row("集めた方法", p.basis.label().to_owned());
        if let (Some(on), Some(doc)) = (p.verified_on, p.document) {
            row(
                "本人確認",
                format!("{}（{}）", jp_date::ymd(on), doc.label()),
            );
        }
        row("利用目的の説明と同意", jp_date::ymd(p.consent_on));
        row(
            "ICカード",
            format!("{}枚（カードの番号は保存していません）", p.cards),
        );

        let conn = self.conn();
        let check_ins: Vec<(String, String, String)> = conn
            .prepare_cached(
                "SELECT s.date, s.title, a.method FROM attendance a
                   JOIN sessions s ON s.id = a.session_id
                  WHERE a.participant_id = ?1 ORDER BY a.checked_in_at",
            )?
            .query_map([&p.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let applications: Vec<(String, i64, String)> = conn
            .prepare_cached(
                "SELECT c.title, a.entry_number, a.status FROM lottery_applications a
                   JOIN lottery_classes c ON c.id = a.class_id
                  WHERE a.participant_id = ?1 ORDER BY a.applied_at",
            )?
            .query_map([&p.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let entries: Vec<(String, String, String, String)> = conn
            .prepare_cached(
                "SELECT at, actor, action, fields FROM audit
                  WHERE record_id = ?1
                     OR record_id IN (SELECT id FROM lottery_applications WHERE participant_id = ?1)
                  ORDER BY seq",
            )?
            .query_map(params![&p.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;

        rows.push(vec![
            format!("【受付の記録】{}回", check_ins.len()),
            String::new(),
        ]);
        for (date, title, method) in &check_ins {
            let how = if method == "card" {
                "カード"
            } else {
                "係の者"
            };
            rows.push(vec![date.clone(), format!("{title}（{how}）")]);
        }
        rows.push(vec![
            format!("【教室への申し込み】{}件", applications.len()),
            String::new(),
        ]);
        for (title, entry, status) in &applications {
            rows.push(vec![
                title.clone(),
                format!("受付番号 {entry}　{}", status_label(status)),
            ]);
        }
        rows.push(vec![
            format!("【この記録を扱った記録】{}件", entries.len()),
            String::new(),
        ]);
        for (at, actor, action, fields) in &entries {
            let when: String = at.chars().take(16).collect::<String>().replace('T', " ");
            let who = if actor == "kiosk" {
                "受付の機械".to_owned()
            } else {
                format!("職員 {actor}")
            };
            let what: Vec<&str> = fields
                .split(',')
                .filter(|f| !f.is_empty())
                .map(field_label)
                .collect();
            let what = if what.is_empty() {
                String::new()
            } else {
                format!("（{}）", what.join("・"))
            };
            rows.push(vec![when, format!("{} {who}{what}", action_label(action))]);
        }

        let file = format!("tsudoi-disclosure-{}.pdf", short_id(&p.id));
        let bytes = pdf::table_pdf(
            "保有個人情報の開示（ご本人用）",
            &[
                format!(
                    "施設: {site}　作成日: {}　作成者: {}",
                    jp_date::ymd(today),
                    staff.staff_id()
                ),
                "この施設の受付の端末が、あなたについて保存しているすべての内容です。".to_owned(),
                "訂正・削除をご希望のときは、受付の係の者にお申し出ください。".to_owned(),
            ],
            &["項目", "内容"],
            &rows,
            &[170.0, 313.0],
        )?;
        write_synced(&dir.join(&file), &bytes)?;
        let counts = (check_ins.len(), applications.len(), entries.len());
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::Export,
            &p.id,
            &["disclosure"],
            "ok",
        )?;
        Ok(Disclosure { file, counts })
    }
}

impl Store {
    /// A disclosure onto a removable medium, for printing: the PDF of
    /// [`Store::export_disclosure`] in a new folder
    /// `tsudoi-disclosure-<登録番号>` (or `…-2`, …) with a `SHA256SUMS`,
    /// flushed, read back from the stick and entered in the media ledger
    /// with the purpose [`DISCLOSURE_PURPOSE`] (a failed read-back is
    /// entered too, as not verified). Not signed: handlers hold no device
    /// signing key. Managers and handlers.
    pub fn export_disclosure_to_medium(
        &mut self,
        staff: &StaffSession,
        id: &str,
        medium: &Medium,
    ) -> Result<DisclosureExport> {
        staff.require(true)?;
        let folder = format!("tsudoi-disclosure-{}", short_id(id));
        let mut dir = medium.mount_point.join(&folder);
        let mut n = 2;
        while dir.exists() {
            dir = medium.mount_point.join(format!("{folder}-{n}"));
            n += 1;
        }
        let written = self.export_disclosure(staff, id, &dir)?;
        let sha256 = crate::report::sign::sha256_hex(&std::fs::read(dir.join(&written.file))?);
        write_synced(
            &dir.join("SHA256SUMS"),
            format!("{sha256}  {}\n", written.file).as_bytes(),
        )?;
        media::flush_and_forget(&dir)?;
        let read_back =
            std::fs::read(dir.join(&written.file)).map(|b| crate::report::sign::sha256_hex(&b));
        let verified = read_back.as_ref().is_ok_and(|s| *s == sha256);
        self.insert_media_transfer(
            staff,
            &LedgerEntry {
                at: self.now(),
                staff_id: staff.staff_id().to_owned(),
                medium: medium.name(),
                destination: dir.display().to_string(),
                purpose: DISCLOSURE_PURPOSE.to_owned(),
                files: vec![LedgerFile {
                    name: written.file.clone(),
                    sha256: sha256.clone(),
                }],
                verified,
            },
        )?;
        if !verified {
            return Err(super::ReportError::ReadBackMismatch { detail: None }.into());
        }
        Ok(DisclosureExport {
            dir,
            file: written.file,
            sha256,
        })
    }
}
