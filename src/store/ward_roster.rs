//! The ward's roster of hobby-group members (issue 15; format in
//! docs/dev/groups.md): a CSV file in UTF-8 (with or without a byte-order
//! mark) or CP932, columns group, name, furigana, phone.
//!
//! The whole file is checked before anything is stored; every problem is
//! reported by line number and reason, never by value (a value may be a
//! person's name). Only a clean file is imported, in one transaction, and
//! the import is compared with what is stored first: members added,
//! changed and removed.

use std::collections::{HashMap, HashSet};

use rusqlite::params;
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::errors::RosterError;
use super::participants::{
    Basis, ParticipantRow, insert_participant, kana_key, normalize_kana, normalize_name,
    rewrite_participant, short_id,
};
use super::{Cell, StaffSession, Store, open_str, record_in};
use crate::eligibility::PhoneNumber;
use crate::error::Result;

/// The largest roster file read (a ward's whole roster is far smaller).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The most lines a roster may have.
pub const MAX_LINES: usize = 100_000;

/// How the file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes for 「CSV UTF-8」).
    Utf8Bom,
    /// CP932, Windows' Shift_JIS: chosen when fewer lines fail to decode as CP932 than as UTF-8.
    Cp932,
}

impl RosterEncoding {
    /// The encoding's name as shown to staff in the import summary.
    pub fn label(self) -> &'static str {
        match self {
            RosterEncoding::Utf8 => "UTF-8",
            RosterEncoding::Utf8Bom => "UTF-8（BOM付き）",
            RosterEncoding::Cp932 => "CP932（Shift_JIS）",
        }
    }
}

/// One problem of the file: a line number (1 = the header) and a reason in
/// Japanese that never quotes the line's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line number in the file, 1 being the header.
    pub line: usize,
    /// What is wrong, in Japanese, without the line's values.
    pub reason: String,
}

/// One member line that passed the checks of the file alone.
pub struct RosterLine {
    /// Line number in the file, 1 being the header.
    pub line: usize,
    /// The group's name as the roster writes it (checked against the store's groups later).
    pub group: String,
    /// Full name.
    pub name: Zeroizing<String>,
    /// Furigana.
    pub kana: Zeroizing<String>,
    /// Phone number, normalised.
    pub phone: PhoneNumber,
}

impl std::fmt::Debug for RosterLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterLine")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

/// The file read and checked on its own (groups are checked against the store).
#[derive(Debug)]
pub struct ParsedRoster {
    /// The encoding detected.
    pub encoding: RosterEncoding,
    /// Member lines that passed, in file order.
    pub lines: Vec<RosterLine>,
    /// Every problem found, by line.
    pub problems: Vec<Problem>,
}

/// The column a header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Group,
    Name,
    Kana,
    Phone,
}

fn column_of(header: &str) -> Option<Column> {
    let h: String = header
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    match h.as_str() {
        "グループ" | "グループ名" | "group" => Some(Column::Group),
        "氏名" | "名前" | "name" => Some(Column::Name),
        "ふりがな" | "フリガナ" | "furigana" | "kana" => Some(Column::Kana),
        "電話番号" | "電話" | "phone" => Some(Column::Phone),
        _ => None,
    }
}

/// Splits one line into fields (RFC 4180 quoting). `None`: a quote is
/// left open at the end of the line.
fn split_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
        } else {
            cur.push(c);
            at_start = false;
        }
    }
    if quoted {
        return None;
    }
    fields.push(cur);
    Some(fields)
}

/// How many lines of `body` fail to decode in each encoding.
fn decode_errors(lines: &[&[u8]]) -> (usize, usize) {
    let utf8 = lines
        .iter()
        .filter(|l| std::str::from_utf8(l).is_err())
        .count();
    let cp932 = lines
        .iter()
        .filter(|l| {
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(l)
                .is_none()
        })
        .count();
    (utf8, cp932)
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads and checks the file on its own: encoding, quoting, columns,
/// names, furigana, phones, duplicates.
pub fn parse(bytes: &[u8]) -> ParsedRoster {
    let mut problems = Vec::new();
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &bytes[3..] } else { bytes };
    let mut raw: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let ends_with_newline = body.ends_with(b"\n");
    if ends_with_newline {
        raw.pop();
    }
    let raw: Vec<&[u8]> = raw
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    let (utf8_errors, cp932_errors) = decode_errors(&raw);
    let encoding = if bom {
        RosterEncoding::Utf8Bom
    } else if utf8_errors <= cp932_errors {
        RosterEncoding::Utf8
    } else {
        RosterEncoding::Cp932
    };
    let mut out = ParsedRoster {
        encoding,
        lines: Vec::new(),
        problems: Vec::new(),
    };
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        out.problems.push(Problem {
            line: 1,
            reason: "ファイルが空です。".into(),
        });
        return out;
    }
    if bytes.len() > MAX_BYTES || raw.len() > MAX_LINES {
        out.problems.push(Problem {
            line: 1,
            reason: format!(
                "ファイルが大きすぎます（{} MB、{}行まで）。",
                MAX_BYTES / 1024 / 1024,
                MAX_LINES
            ),
        });
        return out;
    }
    let last = raw.len();
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, bytes) in raw.iter().enumerate() {
        let line = i + 1;
        let cut_short = line == last && !ends_with_newline;
        let problem = |reason: String| Problem { line, reason };
        if find(bytes, &[0xEF, 0xBB, 0xBF]) {
            problems.push(problem(
                "行の中にBOM（U+FEFF）があります。ファイルをつなぎ合わせたときに入ることがあります。つなぎ目を確かめて、保存し直してください。".into(),
            ));
            continue;
        }
        let text: Zeroizing<String> = match encoding {
            RosterEncoding::Utf8 | RosterEncoding::Utf8Bom => match std::str::from_utf8(bytes) {
                Ok(s) => Zeroizing::new(s.to_owned()),
                Err(_) => {
                    problems.push(problem(format!(
                        "文字として読めないバイトがあります（ファイルは{}として読んでいます）。{}",
                        encoding.label(),
                        if cut_short {
                            "ファイルが途中で切れている可能性があります。"
                        } else {
                            "文字コードの違うファイルをつなぎ合わせていないか確かめてください。"
                        }
                    )));
                    continue;
                }
            },
            RosterEncoding::Cp932 => {
                match encoding_rs::SHIFT_JIS
                    .decode_without_bom_handling_and_without_replacement(bytes)
                {
                    Some(s) => Zeroizing::new(s.into_owned()),
                    None => {
                        problems.push(problem(format!(
                            "文字として読めないバイトがあります（ファイルは{}として読んでいます）。{}",
                            encoding.label(),
                            if cut_short {
                                "ファイルが途中で切れている可能性があります。"
                            } else {
                                "文字コードの違うファイルをつなぎ合わせていないか確かめてください。"
                            }
                        )));
                        continue;
                    }
                }
            }
        };
        if text.contains('\u{FEFF}') {
            problems.push(problem(
                "行の中にBOM（U+FEFF）があります。ファイルをつなぎ合わせたときに入ることがあります。".into(),
            ));
            continue;
        }
        if text.chars().any(|c| c.is_control() && c != '\t') {
            problems.push(problem(
                "制御文字（NULなど）が入っています。表計算ソフトでCSVとして保存し直してください。"
                    .into(),
            ));
            continue;
        }
        let Some(fields) = split_fields(&text) else {
            problems.push(problem(if cut_short {
                "ファイルが途中で切れています（最後の行の引用符 \" が閉じていません）。区に送り直しを頼んでください。".into()
            } else {
                "引用符 \" が行の中で閉じていません（欄の中の改行は使えません）。".into()
            }));
            continue;
        };
        let fields: Vec<Zeroizing<String>> = fields.into_iter().map(Zeroizing::new).collect();
        if line == 1 {
            columns = fields.iter().map(|f| column_of(f)).collect();
            let missing: Vec<&str> = [
                (Column::Group, "グループ名"),
                (Column::Name, "氏名"),
                (Column::Kana, "ふりがな"),
                (Column::Phone, "電話番号"),
            ]
            .iter()
            .filter(|(c, _)| columns.iter().filter(|x| **x == Some(*c)).count() != 1)
            .map(|(_, l)| *l)
            .collect();
            if !missing.is_empty() {
                problems.push(problem(format!(
                    "1行目（見出し）には「グループ名,氏名,ふりがな,電話番号」の4つを1回ずつ書いてください（足りないか重なっている見出し: {}）。",
                    missing.join("、")
                )));
                // Without a header nothing else can be read.
                break;
            }
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            // A blank line (Excel leaves some at the end).
            continue;
        }
        if fields.len() != columns.len() {
            problems.push(problem(format!(
                "欄の数が{}です（見出しのとおり{}欄のはずです）。{}",
                fields.len(),
                columns.len(),
                if cut_short {
                    "ファイルが途中で切れている可能性があります。"
                } else {
                    "欄の中の , は \" で囲んでください。"
                }
            )));
            continue;
        }
        let get = |c: Column| -> &str {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .and_then(|i| fields.get(i))
                .map(|f| f.as_str())
                .unwrap_or("")
        };
        let mut reasons: Vec<String> = Vec::new();
        // A leading ' before =, +, - or @ is the guard every CSV tsudoi
        // writes (the roster's return too): not part of the value.
        let group: String = super::roster_return::unguard(get(Column::Group).trim())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if group.is_empty() {
            reasons.push("グループ名がありません。".into());
        }
        let name = match super::roster_return::unguard(get(Column::Name).trim()) {
            "" => {
                reasons.push("氏名がありません。".into());
                None
            }
            n => match normalize_name(n) {
                Ok(n) => Some(Zeroizing::new(n)),
                Err(_) => {
                    reasons.push(
                        "氏名は50文字以内で、改行や制御文字を含めずに書いてください。".into(),
                    );
                    None
                }
            },
        };
        let kana = match get(Column::Kana).trim() {
            "" => {
                reasons.push("ふりがながありません。".into());
                None
            }
            k => match normalize_kana(k) {
                Ok(k) => Some(Zeroizing::new(k)),
                Err(_) => {
                    reasons.push(
                        "ふりがなは、ひらがなかカタカナで書いてください（80文字まで）。".into(),
                    );
                    None
                }
            },
        };
        let phone = match PhoneNumber::parse(get(Column::Phone)) {
            Ok(p) => Some(p),
            Err(e) => {
                reasons.push(format!("電話番号の形が正しくありません。{e}"));
                None
            }
        };
        if cut_short && !reasons.is_empty() {
            reasons.push("（最後の行です。ファイルが途中で切れている可能性があります。）".into());
        }
        match (name, kana, phone) {
            (Some(name), Some(kana), Some(phone)) if reasons.is_empty() => {
                let key = (group.clone(), kana_key(&kana), phone.digits().to_owned());
                if let Some(first) = seen.get(&key) {
                    problems.push(problem(format!(
                        "{first}行目と同じ方です（同じグループに、同じふりがなと電話番号の方が2回あります）。"
                    )));
                    continue;
                }
                seen.insert(key, line);
                out.lines.push(RosterLine {
                    line,
                    group,
                    name,
                    kana,
                    phone,
                });
            }
            _ => problems.push(problem(reasons.join(""))),
        }
    }
    if out.lines.is_empty() && problems.is_empty() {
        problems.push(Problem {
            line: 1,
            reason: "見出しの行だけで、会員の行がありません。".into(),
        });
    }
    out.problems = problems;
    out
}

/// Where the file came from, for the media ledger.
#[derive(Debug, Clone)]
pub struct ImportSource {
    /// The file's name (no folder).
    pub file_name: String,
    /// The medium it was read from (a USB stick's name, or "ファイル").
    pub medium: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// How one member's line compares with what is stored.
pub struct DiffEntry {
    /// The roster line (None for a removed member).
    pub line: Option<usize>,
    /// The group's name as the roster writes it.
    pub group: String,
    /// The stored person (None for one not yet stored).
    pub participant_id: Option<String>,
    /// Full name (from the roster, or decrypted from the store for a removed member).
    pub name: Zeroizing<String>,
    /// Furigana.
    pub kana: Zeroizing<String>,
    /// For a change: which of name, kana, phone differ.
    pub changed: Vec<&'static str>,
}

impl std::fmt::Debug for DiffEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiffEntry")
            .field("line", &self.line)
            .field("changed", &self.changed)
            .finish_non_exhaustive()
    }
}

/// What importing the file changes.
#[derive(Debug, Default)]
pub struct RosterDiff {
    /// New members (a new record, or a person already stored).
    pub added: Vec<DiffEntry>,
    /// Members whose name, furigana or phone changed.
    pub changed: Vec<DiffEntry>,
    /// Members no longer on their group's roster (groups the file does
    /// not mention keep their members).
    pub removed: Vec<DiffEntry>,
    /// Warnings: members who match a person registered at the desk and are
    /// linked to that record, not duplicated (and whose desk record is not
    /// changed by the roster).
    pub linked: Vec<DiffEntry>,
    /// Members as stored already.
    pub unchanged: usize,
    /// Records deleted because their person is in no group any more.
    pub records_deleted: usize,
}

/// The outcome of [`Store::import_roster`].
#[derive(Debug)]
pub struct ImportReport {
    /// The encoding detected.
    pub encoding: RosterEncoding,
    /// Member lines read.
    pub members: usize,
    /// Every problem, by line. Non-empty: nothing was stored.
    pub problems: Vec<Problem>,
    /// What the import changes (or would change, for a dry run).
    pub diff: RosterDiff,
    /// Whether the changes were stored (false for a dry run or a refusal).
    pub applied: bool,
}

/// The media ledger's destination and purpose for a roster that came in.
pub const LEDGER_DESTINATION: &str = "受領（区から提供された会員名簿の取り込み）";
/// The media ledger's purpose for a roster that came in (what the data is used for).
pub const LEDGER_PURPOSE: &str = "いきがいつくり支援の会員名簿";

/// A stored person, decrypted for the comparison.
struct Stored {
    basis: Basis,
    name: Zeroizing<String>,
    kana: Zeroizing<String>,
    phone: Zeroizing<String>,
}

/// The cells a roster line changes in a stored record, new values in the clear.
type Changes = Vec<(&'static str, Zeroizing<String>)>;

/// Who a roster line's member is, once matched.
#[derive(Debug, Clone)]
enum Target {
    Existing(String),
    /// Index into the new persons of this import.
    New(usize),
}

impl Store {
    /// Checks the ward's roster and, when it is clean and `dry_run` is
    /// false, stores it in one transaction: new members are sealed like
    /// every participant (basis `ward`: name, furigana and phone only);
    /// a member who matches a stored person (same furigana and phone) is
    /// linked to that record; members no longer listed in a group the file
    /// lists leave it (groups it does not mention are left as they are),
    /// and a ward-provided record in no group any more is deleted. The
    /// import is entered in the media ledger and the audit log (one entry
    /// per person touched, one for the import).
    pub fn import_roster(
        &mut self,
        staff: &StaffSession,
        bytes: &[u8],
        source: &ImportSource,
        dry_run: bool,
    ) -> Result<ImportReport> {
        staff.require(true)?;
        self.require_trusted_clock()?;
        let parsed = parse(bytes);
        let mut problems = parsed.problems;
        let groups: HashMap<String, String> = {
            let mut stmt = self.conn().prepare("SELECT name, id FROM hobby_groups")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for l in &parsed.lines {
            if !groups.contains_key(&l.group) {
                problems.push(Problem {
                    line: l.line,
                    reason: "グループ名が、登録されているどのグループとも一致しません（登録されているグループの名前と同じか確かめるか、先にグループを登録してください）。".into(),
                });
            }
        }
        problems.sort_by_key(|p| p.line);
        let mut report = ImportReport {
            encoding: parsed.encoding,
            members: parsed.lines.len(),
            problems,
            diff: RosterDiff::default(),
            applied: false,
        };
        let file_id = source.sha256.chars().take(16).collect::<String>();
        if !report.problems.is_empty() {
            let result = format!("refused_{}_problems", report.problems.len());
            let actor = super::Actor::Staff(staff.clone());
            self.record(&actor, AuditAction::RosterImport, &file_id, &[], &result)?;
            return Ok(report);
        }

        // Everyone stored, decrypted once.
        let mut stored: HashMap<String, Stored> = HashMap::new();
        let mut by_key: HashMap<(String, String), Vec<String>> = HashMap::new();
        {
            let keys = self.keys()?;
            let mut stmt = self
                .conn()
                .prepare("SELECT id, basis, rev, name, kana, phone FROM participants ORDER BY created_at, id")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                ))
            })?;
            for row in rows {
                let (id, basis, rev, name, kana, phone) = row?;
                let s = Stored {
                    basis: if basis == "ward" {
                        Basis::WardProvided
                    } else {
                        Basis::SelfPresented
                    },
                    name: open_str(keys, Cell::participant("name", &id, rev), &name)?,
                    kana: open_str(keys, Cell::participant("kana", &id, rev), &kana)?,
                    phone: open_str(keys, Cell::participant("phone", &id, rev), &phone)?,
                };
                by_key
                    .entry((kana_key(&s.kana), s.phone.to_string()))
                    .or_default()
                    .push(id.clone());
                stored.insert(id, s);
            }
        }
        let mut members: HashMap<String, Vec<String>> = HashMap::new();
        {
            let mut stmt = self
                .conn()
                .prepare("SELECT group_id, participant_id FROM group_members ORDER BY added_at, participant_id")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
            for row in rows {
                let (g, p) = row?;
                members.entry(g).or_default().push(p);
            }
        }
        // Lines matched to people; new people by their key.
        let mut new_people: Vec<&RosterLine> = Vec::new();
        let mut new_by_key: HashMap<(String, String), usize> = HashMap::new();
        let mut joins: Vec<(String, Target, usize)> = Vec::new(); // group id, who, line
        let mut changes: HashMap<String, Changes> = HashMap::new();
        let mut leaves: Vec<(String, String)> = Vec::new();
        let mut sorted_groups: Vec<(&String, &String)> = groups.iter().collect();
        sorted_groups.sort();
        for (gname, gid) in sorted_groups {
            // A group the file does not mention is left as it is: the ward
            // may send one group's roster at a time.
            if !parsed.lines.iter().any(|l| &l.group == gname) {
                continue;
            }
            let existing: Vec<String> = members.get(gid).cloned().unwrap_or_default();
            let mut matched: HashSet<String> = HashSet::new();
            for l in parsed.lines.iter().filter(|l| &l.group == gname) {
                let key = (kana_key(&l.kana), l.phone.digits().to_owned());
                let same = existing
                    .iter()
                    .find(|p| {
                        !matched.contains(*p)
                            && stored.get(*p).is_some_and(|s| {
                                kana_key(&s.kana) == key.0 && s.phone.as_str() == key.1
                            })
                    })
                    .or_else(|| {
                        // The phone changed: same furigana and name.
                        existing.iter().find(|p| {
                            !matched.contains(*p)
                                && stored.get(*p).is_some_and(|s| {
                                    kana_key(&s.kana) == key.0 && s.name.as_str() == l.name.as_str()
                                })
                        })
                    })
                    .cloned();
                if let Some(pid) = same {
                    matched.insert(pid.clone());
                    let Some(s) = stored.get(&pid) else { continue };
                    let mut diff: Changes = Vec::new();
                    if s.name.as_str() != l.name.as_str() {
                        diff.push(("name", l.name.clone()));
                    }
                    if s.kana.as_str() != l.kana.as_str() {
                        diff.push(("kana", l.kana.clone()));
                    }
                    if s.phone.as_str() != l.phone.digits() {
                        diff.push(("phone", Zeroizing::new(l.phone.digits().to_owned())));
                    }
                    let entry = || DiffEntry {
                        line: Some(l.line),
                        group: gname.clone(),
                        participant_id: Some(pid.clone()),
                        name: l.name.clone(),
                        kana: l.kana.clone(),
                        changed: diff.iter().map(|(c, _)| *c).collect(),
                    };
                    if diff.is_empty() {
                        report.diff.unchanged += 1;
                    } else if s.basis == Basis::SelfPresented {
                        // The desk's record came from the person: the roster
                        // does not overwrite it. Staff decide.
                        report.diff.linked.push(entry());
                    } else {
                        report.diff.changed.push(entry());
                        changes.insert(pid.clone(), diff);
                    }
                    continue;
                }
                let target = match by_key.get(&key).and_then(|v| v.first()) {
                    Some(pid) => {
                        if stored
                            .get(pid)
                            .is_some_and(|s| s.basis == Basis::SelfPresented)
                        {
                            report.diff.linked.push(DiffEntry {
                                line: Some(l.line),
                                group: gname.clone(),
                                participant_id: Some(pid.clone()),
                                name: l.name.clone(),
                                kana: l.kana.clone(),
                                changed: Vec::new(),
                            });
                        }
                        Target::Existing(pid.clone())
                    }
                    None => match new_by_key.get(&key) {
                        Some(i) => Target::New(*i),
                        None => {
                            new_people.push(l);
                            new_by_key.insert(key, new_people.len() - 1);
                            Target::New(new_people.len() - 1)
                        }
                    },
                };
                report.diff.added.push(DiffEntry {
                    line: Some(l.line),
                    group: gname.clone(),
                    participant_id: match &target {
                        Target::Existing(p) => Some(p.clone()),
                        Target::New(_) => None,
                    },
                    name: l.name.clone(),
                    kana: l.kana.clone(),
                    changed: Vec::new(),
                });
                joins.push((gid.clone(), target, l.line));
            }
            for pid in existing.iter().filter(|p| !matched.contains(*p)) {
                if let Some(s) = stored.get(pid) {
                    report.diff.removed.push(DiffEntry {
                        line: None,
                        group: gname.clone(),
                        participant_id: Some(pid.clone()),
                        name: s.name.clone(),
                        kana: s.kana.clone(),
                        changed: Vec::new(),
                    });
                }
                leaves.push((gid.clone(), pid.clone()));
            }
        }
        // Records that end up in no group: ward-provided ones are deleted.
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for (_, ps) in members.iter() {
            for p in ps {
                *remaining.entry(p.as_str()).or_default() += 1;
            }
        }
        for (_, p) in &leaves {
            if let Some(n) = remaining.get_mut(p.as_str()) {
                *n -= 1;
            }
        }
        for (_, t, _) in &joins {
            if let Target::Existing(p) = t
                && let Some(n) = remaining.get_mut(p.as_str())
            {
                *n += 1;
            }
        }
        let mut to_delete: Vec<String> = leaves
            .iter()
            .map(|(_, p)| p.clone())
            .filter(|p| {
                remaining.get(p.as_str()) == Some(&0)
                    && stored
                        .get(p)
                        .is_some_and(|s| s.basis == Basis::WardProvided)
            })
            .collect();
        to_delete.sort();
        to_delete.dedup();
        report.diff.records_deleted = to_delete.len();
        let summary = format!(
            "added_{}_changed_{}_removed_{}_linked_{}",
            report.diff.added.len(),
            report.diff.changed.len(),
            report.diff.removed.len(),
            report.diff.linked.len()
        );
        if dry_run {
            let actor = super::Actor::Staff(staff.clone());
            self.record(
                &actor,
                AuditAction::RosterImport,
                &file_id,
                &["name", "kana", "phone"],
                &format!("dry_run_{summary}"),
            )?;
            return Ok(report);
        }

        // Apply, all or nothing.
        let now = self.now();
        let today = self.clock().today();
        let bits = self.blind_bits();
        let staff_id = staff.staff_id().to_owned();
        let (tx, keys, _, _) = self.write_tx()?;
        let mut new_ids: Vec<String> = Vec::with_capacity(new_people.len());
        for l in &new_people {
            let id = uuid::Uuid::new_v4().to_string();
            let fields = insert_participant(
                &tx,
                keys,
                bits,
                &ParticipantRow {
                    id: &id,
                    name: &l.name,
                    kana: &l.kana,
                    phone: l.phone.digits(),
                    birth_date: None,
                    postal_code: None,
                    town: None,
                    address: None,
                    basis: Basis::WardProvided,
                    document: None,
                    verified: None,
                    consent_on: today,
                },
                &now,
            )?;
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::Create,
                &id,
                &fields,
                "ward_roster",
            )?;
            new_ids.push(id);
        }
        for (gid, target, _) in &joins {
            let pid = match target {
                Target::Existing(p) => p.as_str(),
                Target::New(i) => new_ids
                    .get(*i)
                    .map(String::as_str)
                    .ok_or(RosterError::ImportInternal)?,
            };
            tx.prepare_cached(
                "INSERT INTO group_members (group_id, participant_id, source, added_at)
                 VALUES (?1, ?2, 'ward_roster', ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![gid, pid, now])?;
            let result = format!("group_{}", short_id(gid));
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::GroupJoin,
                pid,
                &["group"],
                &result,
            )?;
        }
        let mut changed: Vec<(&String, &Changes)> = changes.iter().collect();
        changed.sort_by(|a, b| a.0.cmp(b.0));
        for (pid, diff) in changed {
            let cols: Vec<(&str, Option<&str>)> =
                diff.iter().map(|(c, v)| (*c, Some(v.as_str()))).collect();
            rewrite_participant(&tx, keys, bits, pid, &cols, &now)?;
            let names: Vec<&str> = diff.iter().map(|(c, _)| *c).collect();
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::Update,
                pid,
                &names,
                "ward_roster",
            )?;
        }
        for (gid, pid) in &leaves {
            tx.execute(
                "DELETE FROM group_members WHERE group_id = ?1 AND participant_id = ?2",
                params![gid, pid],
            )?;
            tx.execute(
                "UPDATE hobby_groups SET representative_id = NULL
                 WHERE id = ?1 AND representative_id = ?2",
                params![gid, pid],
            )?;
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::GroupLeave,
                pid,
                &["group"],
                &format!("group_{}", short_id(gid)),
            )?;
        }
        for pid in &to_delete {
            tx.execute("DELETE FROM participants WHERE id = ?1", [pid])?;
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::Delete,
                pid,
                &["*"],
                "ward_roster_removed",
            )?;
        }
        let ledger_id = uuid::Uuid::new_v4().to_string();
        let files = serde_json::to_string(&[crate::report::media::LedgerFile {
            name: source.file_name.clone(),
            sha256: source.sha256.clone(),
        }])
        .map_err(|_| RosterError::LedgerInternal)?;
        tx.execute(
            "INSERT INTO media_ledger (id, at, staff_id, medium_label, medium_device, destination,
               purpose, files, verified)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, 1)",
            params![
                ledger_id,
                now,
                staff_id,
                source.medium,
                LEDGER_DESTINATION,
                LEDGER_PURPOSE,
                files
            ],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            &staff_id,
            AuditAction::RosterImport,
            &ledger_id,
            &["name", "kana", "phone"],
            &format!(
                "applied_{summary}_deleted_{}_file_{file_id}",
                report.diff.records_deleted
            ),
        )?;
        tx.commit()?;
        report.applied = true;
        // Replaced and deleted ciphertext must not stay in the WAL.
        self.checkpoint()?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "グループ名,氏名,ふりがな,電話番号\n";

    #[test]
    fn a_clean_file_in_each_encoding_reads_the_same() {
        let text = format!("{HEADER}ローズ会,試験 花子,しけん はなこ,03-1111-2222\n");
        let utf8 = parse(text.as_bytes());
        assert!(utf8.problems.is_empty(), "{:?}", utf8.problems);
        assert_eq!(utf8.encoding, RosterEncoding::Utf8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let bom = parse(&bom);
        assert_eq!(bom.encoding, RosterEncoding::Utf8Bom);
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!bad);
        let sjis = parse(&sjis);
        assert_eq!(sjis.encoding, RosterEncoding::Cp932);
        for p in [&utf8, &bom, &sjis] {
            assert!(p.problems.is_empty());
            assert_eq!(p.lines.len(), 1);
            assert_eq!(p.lines[0].kana.as_str(), "シケン ハナコ");
            assert_eq!(p.lines[0].phone.digits(), "0311112222");
        }
    }

    #[test]
    fn quoted_fields_and_formulas_are_plain_text() {
        let text = format!(
            "{HEADER}\"ローズ会\",\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",シケン イチ,090-0000-1111\r\n"
        );
        let p = parse(text.as_bytes());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.lines[0].name.as_str(),
            "=HYPERLINK(\"http://example.invalid\",\"x\")"
        );
    }

    #[test]
    fn problems_name_lines_not_values() {
        let text = format!(
            "{HEADER}ローズ会,試験 一郎,,03-1111-2222\nローズ会,試験 二郎,シケン ジロウ,12345\nローズ会,試験 三郎,シケン サブロウ,03-1111-3333\nローズ会,試験 三郎,しけん さぶろう,0311113333\nローズ会,試験 四郎,シケン"
        );
        let p = parse(text.as_bytes());
        let lines: Vec<usize> = p.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 5, 6], "{:?}", p.problems);
        assert!(p.problems[0].reason.contains("ふりがながありません"));
        assert!(p.problems[1].reason.contains("電話番号"));
        assert!(p.problems[2].reason.contains("4行目と同じ方"));
        assert!(p.problems[3].reason.contains("途中で切れて"));
        for pr in &p.problems {
            assert!(!pr.reason.contains("試験"), "{}", pr.reason);
            assert!(!pr.reason.contains("1111"), "{}", pr.reason);
        }
    }

    #[test]
    fn a_bom_in_the_middle_and_an_open_quote_are_refused() {
        let mut b = HEADER.as_bytes().to_vec();
        b.extend_from_slice("ローズ会,試験 花子,シケン ハナコ,03-1111-2222\n".as_bytes());
        b.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        b.extend_from_slice("ローズ会,試験 月子,シケン ツキコ,03-1111-2223\n".as_bytes());
        b.extend_from_slice("ローズ会,\"試験 星子,シケン ホシコ,03-1111-2224".as_bytes());
        let p = parse(&b);
        let lines: Vec<usize> = p.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4], "{:?}", p.problems);
        assert!(p.problems[0].reason.contains("BOM"));
        assert!(p.problems[1].reason.contains("途中で切れて"));
    }

    #[test]
    fn undecodable_bytes_are_reported_by_line() {
        let mut b = HEADER.as_bytes().to_vec();
        b.extend_from_slice("ローズ会,試験 花子,シケン ハナコ,03-1111-2222\n".as_bytes());
        b.extend_from_slice(b"\xff\xfe,x,y,z\n");
        let p = parse(&b);
        assert_eq!(p.encoding, RosterEncoding::Utf8);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 3);
        assert!(p.problems[0].reason.contains("読めないバイト"));
    }

    #[test]
    fn a_bad_header_stops_the_check() {
        let p = parse("名前,電話\nx,y\n".as_bytes());
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 1);
        assert!(p.lines.is_empty());
    }
}
