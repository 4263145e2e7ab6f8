//! `tsudoi doctor` (issue 16): what a store file still holds when something
//! is wrong with it, read without any key and without writing a byte. Staff
//! or the installer run it when a command says the file is damaged; it says
//! which part is damaged and what can still be read.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use tsudoi_tlog::{Frontier, leaf_hash};

use super::audit::{self, AuditEntry, NODE_TABLE};
use super::schema;
use crate::error::{Error, Result};

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked, in Japanese.
    pub check: String,
    /// Whether it is sound.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// Everything `doctor` found, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnosis {
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// True when nothing is damaged.
    pub fn healthy(&self) -> bool {
        self.findings.iter().all(|f| f.ok)
    }

    fn push(&mut self, check: &str, ok: bool, detail: impl Into<String>) {
        self.findings.push(Finding {
            check: check.to_owned(),
            ok,
            detail: detail.into(),
        });
    }
}

/// The tables whose rows are counted (the rest are small or internal).
const TABLES: &[(&str, &str)] = &[
    ("participants", "参加者"),
    ("cards", "カード"),
    ("attendance", "受付（出席）"),
    ("sessions", "活動"),
    ("lottery_classes", "抽選のある教室"),
    ("lottery_applications", "申し込み"),
    ("staff", "スタッフ"),
    ("keyslots", "パスワードの鍵スロット"),
    ("grants", "鍵の割り当て"),
    ("audit", "監査ログ"),
    ("incident", "事故の記録"),
];

/// Reads `path` read-only and reports what is sound and what is not.
/// Errors only when the file cannot be found; everything else is a finding.
pub fn diagnose(path: &Path) -> Result<Diagnosis> {
    if !path.exists() {
        return Err(Error::StoreMissing(path.display().to_string()));
    }
    let mut d = Diagnosis::default();
    let header = std::fs::read(path).map(|b| b.starts_with(b"SQLite format 3\0"));
    match header {
        Ok(true) => d.push("ファイルの種類", true, "SQLite の保存ファイル"),
        Ok(false) => {
            d.push(
                "ファイルの種類",
                false,
                "SQLite の保存ファイルではありません（先頭が壊れているか、別のファイルです）",
            );
            return Ok(d);
        }
        Err(e) => {
            d.push("ファイルの種類", false, format!("読めません: {e}"));
            return Ok(d);
        }
    }
    // Read-only, and without the WAL's changes being folded into the file.
    let conn = match Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(e) => {
            d.push("開く", false, format!("開けません: {e}"));
            return Ok(d);
        }
    };
    match integrity(&conn) {
        Ok(problems) if problems.is_empty() => {
            d.push("SQLite の整合性（integrity_check）", true, "ok")
        }
        Ok(problems) => d.push(
            "SQLite の整合性（integrity_check）",
            false,
            format!("{}件の問題: {}", problems.len(), problems.join(" / ")),
        ),
        Err(e) => d.push("SQLite の整合性（integrity_check）", false, e.to_string()),
    }
    if super::erase::is_erased(&conn).unwrap_or(false) {
        d.push(
            "消去",
            true,
            "契約の終了で消去された保存ファイルです（消去証明書だけが入っています）",
        );
        return Ok(d);
    }
    match schema::version(&conn) {
        Ok(v) if v <= schema::CURRENT_VERSION => d.push(
            "形式",
            true,
            format!(
                "形式{v}（このプログラムは形式{}まで）",
                schema::CURRENT_VERSION
            ),
        ),
        Ok(v) => d.push(
            "形式",
            false,
            format!(
                "形式{v}は新しい版のtsudoiのものです（このプログラムは形式{}まで）",
                schema::CURRENT_VERSION
            ),
        ),
        Err(e) => d.push("形式", false, e.to_string()),
    }
    for (table, label) in TABLES {
        let n: rusqlite::Result<i64> =
            conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            });
        match n {
            Ok(n) => d.push(&format!("{label}の表"), true, format!("{n}行を読めます")),
            Err(e) => d.push(&format!("{label}の表"), false, format!("読めません: {e}")),
        }
    }
    audit_tree(&conn, &mut d);
    Ok(d)
}

fn integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// The audit log's Merkle tree recomputed from the rows (no key needed)
/// against the stored tree head: an edited, removed or added row, or
/// damaged nodes. The keyed chain needs a sign-in (`tsudoi audit verify`).
fn audit_tree(conn: &Connection, d: &mut Diagnosis) {
    const CHECK: &str = "監査ログの木（鍵なしで確かめられる部分）";
    let recomputed = (|| -> Result<(u64, tsudoi_tlog::Hash)> {
        let mut frontier = Frontier::new();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM audit ORDER BY rowid",
            audit::ENTRY_COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let entry = AuditEntry::from_row(r)?;
            frontier
                .push(leaf_hash(&audit::canonical(&entry)))
                .map_err(|_| Error::Tampered(NODE_TABLE.into()))?;
        }
        Ok((frontier.size(), frontier.root()))
    })();
    let stored = audit::tree_head(conn);
    match (recomputed, stored) {
        (Ok(r), Ok(s)) if r == s => d.push(CHECK, true, format!("{}件、行と木が一致", r.0)),
        (Ok(r), Ok(s)) => d.push(
            CHECK,
            false,
            format!(
                "行から計算した木（{}件）と保存された木（{}件）が一致しません。tsudoi audit verify で調べてください",
                r.0, s.0
            ),
        ),
        (Err(e), _) | (_, Err(e)) => d.push(CHECK, false, format!("読めません: {e}")),
    }
}
