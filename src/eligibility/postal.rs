//! Postal codes and the ward's postal-code table.
//!
//! Residency is confirmed from the address on the ID document: the postal
//! code plus the town. The ward's table lists every postal code in the ward
//! and the town (町名) it belongs to; a code with an empty town is the
//! ward-wide fallback code (1600000 for Shinjuku).
//!
//! Table format (UTF-8, tab-separated, as in
//! `postal-codes-13104-shinjuku.tsv`; `<TAB>` stands for a tab character):
//!
//! ```text
//! # comment lines start with '#'
//! # ward: 新宿区            <- optional; sets PostalTable::ward_name
//! postal_code<TAB>town<TAB>label
//! 1600000<TAB><TAB>               <- empty town: the ward-wide code
//! 1600022<TAB>新宿<TAB>新宿
//! ```
//!
//! Blank lines are ignored, a byte-order mark and CR line ends are
//! tolerated. The label column may be missing. Codes must be exactly seven
//! ASCII digits in the file (no normalisation: a malformed file should fail
//! loudly, not be half-read).
//!
//! A code may appear on several rows: Japan Post splits one town's code over
//! rows when parts of the town are labelled separately (in the Shinjuku data
//! 1620051 西早稲田 has two rows, so 697 rows give 696 codes). Such rows are
//! merged. A code listed with two *different* towns is refused, because a
//! [`Residence`] carries one town and guessing which would put people in
//! the wrong town statistics.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use super::text::normalize_digits_and_punct;

/// The embedded Shinjuku table (Japan Post KEN_ALL data; see the comment
/// lines at the top of the file for the source).
const SHINJUKU_TSV: &str = include_str!("postal-codes-13104-shinjuku.tsv");

/// Name of the ward the embedded table covers.
pub const SHINJUKU_WARD_NAME: &str = "新宿区";

/// Header row every table must have.
const HEADER: [&str; 3] = ["postal_code", "town", "label"];

/// A Japanese postal code: exactly seven ASCII digits, stored without the
/// hyphen. Displayed (and serialised) as `160-0022`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostalCode(String);

impl PostalCode {
    /// Parses a postal code as typed or read from an ID document.
    ///
    /// Accepts `160-0022`, `1600022`, `〒160-0022`, full-width digits and
    /// dashes (`１６０－００２２`, `160ー0022`) and spaces anywhere.
    pub fn parse(input: &str) -> Result<PostalCode, PostalError> {
        let folded = normalize_digits_and_punct(input);
        let mut digits = String::with_capacity(7);
        let mut saw_anything = false;
        for c in folded.chars() {
            match c {
                // Decoration that carries no information.
                c if c.is_whitespace() => {}
                '〒' | '-' => saw_anything = true,
                c if c.is_ascii_digit() => {
                    saw_anything = true;
                    digits.push(c);
                }
                _ => return Err(PostalError::NotDigits),
            }
        }
        if !saw_anything {
            return Err(PostalError::Empty);
        }
        if digits.len() != 7 {
            return Err(PostalError::WrongLength {
                given: digits.len(),
            });
        }
        Ok(PostalCode(digits))
    }

    /// The seven digits without hyphen, e.g. `1600022`.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Always 7 ASCII digits by construction, so byte slicing is safe.
        let (head, tail) = self.0.split_at(3);
        write!(f, "{head}-{tail}")
    }
}

impl Serialize for PostalCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where a postal code places a resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Residence {
    /// The postal code that was looked up.
    pub code: PostalCode,
    /// The town (町名); `None` for the ward-wide fallback code.
    pub town: Option<String>,
}

/// Why a postal code or a postal table could not be read. Messages are
/// Japanese, for staff, and never repeat the code that was entered.
#[derive(Debug, Error)]
pub enum PostalError {
    /// Nothing was entered.
    #[error(
        "郵便番号が入力されていません。ID書類の住所の郵便番号（7桁、例：160-0022）を入力してください。"
    )]
    Empty,

    /// Something other than digits, hyphens, spaces or 〒.
    #[error(
        "郵便番号は数字7桁で入力してください（例：160-0022）。数字とハイフン以外の文字が含まれています。"
    )]
    NotDigits,

    /// Not seven digits.
    #[error(
        "郵便番号は7桁です（入力されたのは{given}桁でした）。ID書類の郵便番号を確認して入力してください（例：160-0022）。"
    )]
    WrongLength {
        /// How many digits were entered.
        given: usize,
    },

    /// A line of a table file is malformed.
    #[error("郵便番号表の{line}行目が読み取れません：{problem}")]
    TableLine {
        /// 1-based line number in the file.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },

    /// The same code appears with two different towns in a table file.
    #[error(
        "郵便番号表の{line}行目：郵便番号{code}が{first_line}行目と別の町名で重複しています。1つの郵便番号には1つの町名だけを指定してください。"
    )]
    ConflictingTown {
        /// 1-based line number of the conflicting row.
        line: usize,
        /// 1-based line number of the first row with that code.
        first_line: usize,
        /// The repeated code.
        code: PostalCode,
    },

    /// The file has no header row (`postal_code`, `town`, `label`, tab-separated).
    #[error(
        "郵便番号表に見出し行（postal_code、town、label をタブ区切り）がありません。ファイルの形式を確認してください。"
    )]
    MissingHeader,

    /// The file has a header but no codes; an empty table would make every
    /// resident look out of the ward, so it is refused.
    #[error("郵便番号表に郵便番号が1件もありません。ファイルを確認してください。")]
    EmptyTable,

    /// The table file's SHA-256 is not the one written in the configuration:
    /// the file is damaged or was changed after the ward checked it. A flipped
    /// digit would still parse, and put residents in the wrong town or
    /// outside the ward, so the whole table is refused.
    #[error(
        "郵便番号表のファイル（{}）が設定に書かれたハッシュ（postal_table_sha256）と一致しません。ファイルが壊れているか、書き換えられています。区から受け取った表を入れ直してください。",
        .path.display()
    )]
    Damaged {
        /// The file that was read.
        path: PathBuf,
    },

    /// The expected SHA-256 in the configuration is not 64 hexadecimal digits.
    #[error(
        "設定の postal_table_sha256 は64桁の16進数で書いてください（sha256sum の出力の先頭の部分）。"
    )]
    BadChecksum,

    /// The table file could not be read.
    #[error("郵便番号表のファイル（{}）を読み込めませんでした：{source}", .path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    town: Option<String>,
    line: usize,
}

/// The postal codes of one ward and their towns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalTable {
    entries: BTreeMap<PostalCode, Entry>,
    ward_name: Option<String>,
}

impl PostalTable {
    /// The embedded Shinjuku table (696 codes on 697 rows), ward name 新宿区.
    pub fn shinjuku() -> PostalTable {
        // The embedded file is part of the source code, not input: the test
        // `embedded_table_parses` guarantees it parses, so failing here means
        // the build itself is broken and there is nothing sensible to
        // continue with.
        match PostalTable::from_tsv(SHINJUKU_TSV) {
            Ok(table) => table.with_ward_name(SHINJUKU_WARD_NAME),
            Err(e) => panic!("embedded Shinjuku postal table is invalid: {e}"),
        }
    }

    /// Parses a table in the format described in the module documentation.
    /// Errors name the 1-based line number.
    pub fn from_tsv(text: &str) -> Result<PostalTable, PostalError> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut entries: BTreeMap<PostalCode, Entry> = BTreeMap::new();
        let mut ward_name = None;
        let mut seen_header = false;

        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(name) = comment.trim().strip_prefix("ward:") {
                    let name = name.trim();
                    if !name.is_empty() {
                        ward_name = Some(name.to_owned());
                    }
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').collect();
            if !seen_header {
                if columns.len() < 2 || columns[..2] != HEADER[..2] {
                    return Err(PostalError::MissingHeader);
                }
                seen_header = true;
                continue;
            }
            if columns.len() > HEADER.len() {
                return Err(PostalError::TableLine {
                    line: line_no,
                    problem: format!(
                        "列が多すぎます（{}列。郵便番号・町名・表示名の3列までです）。",
                        columns.len()
                    ),
                });
            }
            let code = columns[0];
            if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PostalError::TableLine {
                    line: line_no,
                    problem: "郵便番号が半角数字7桁ではありません。".to_owned(),
                });
            }
            let town = columns.get(1).map(|t| t.trim()).filter(|t| !t.is_empty());
            let code = PostalCode(code.to_owned());
            if let Some(first) = entries.get(&code) {
                if first.town.as_deref() == town {
                    // Another row of the same town (a differently labelled
                    // part of it): nothing new to record.
                    continue;
                }
                return Err(PostalError::ConflictingTown {
                    line: line_no,
                    first_line: first.line,
                    code,
                });
            }
            entries.insert(
                code,
                Entry {
                    town: town.map(str::to_owned),
                    line: line_no,
                },
            );
        }

        if !seen_header {
            return Err(PostalError::MissingHeader);
        }
        if entries.is_empty() {
            return Err(PostalError::EmptyTable);
        }
        Ok(PostalTable { entries, ward_name })
    }

    /// Reads a table file (another ward's table, same format).
    pub fn from_tsv_file(path: &Path) -> Result<PostalTable, PostalError> {
        let text = std::fs::read_to_string(path).map_err(|source| PostalError::Io {
            path: path.to_owned(),
            source,
        })?;
        PostalTable::from_tsv(&text)
    }

    /// Reads a table file whose SHA-256 (as `sha256sum` prints it, upper or
    /// lower case) must be `sha256_hex`; any other content is refused before
    /// it is parsed.
    pub fn from_tsv_file_checked(
        path: &Path,
        sha256_hex: &str,
    ) -> Result<PostalTable, PostalError> {
        let expected = sha256_hex.trim().to_ascii_lowercase();
        if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PostalError::BadChecksum);
        }
        let bytes = std::fs::read(path).map_err(|source| PostalError::Io {
            path: path.to_owned(),
            source,
        })?;
        if crate::report::sign::sha256_hex(&bytes) != expected {
            return Err(PostalError::Damaged {
                path: path.to_owned(),
            });
        }
        let text = String::from_utf8(bytes).map_err(|_| PostalError::TableLine {
            line: 1,
            problem: "UTF-8 ではない文字があります".into(),
        })?;
        PostalTable::from_tsv(&text)
    }

    /// Sets (or replaces) the ward name, e.g. when the file has no
    /// `# ward:` comment.
    pub fn with_ward_name(mut self, name: &str) -> PostalTable {
        self.ward_name = Some(name.to_owned());
        self
    }

    /// The ward's name (新宿区 for [`PostalTable::shinjuku`]), if known.
    pub fn ward_name(&self) -> Option<&str> {
        self.ward_name.as_deref()
    }

    /// Looks a code up; `None` means the code is not in this ward.
    pub fn lookup(&self, code: &PostalCode) -> Option<Residence> {
        self.entries.get(code).map(|entry| Residence {
            code: code.clone(),
            town: entry.town.clone(),
        })
    }

    /// Number of postal codes in the table.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the table has no codes (never, for a table built by
    /// [`PostalTable::from_tsv`], which refuses empty tables).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every code with its town, in code order.
    pub fn residences(&self) -> impl Iterator<Item = Residence> + '_ {
        self.entries.iter().map(|(code, entry)| Residence {
            code: code.clone(),
            town: entry.town.clone(),
        })
    }

    /// The distinct town names, sorted (for pickers and per-town statistics).
    pub fn towns(&self) -> Vec<&str> {
        let mut towns: Vec<&str> = self
            .entries
            .values()
            .filter_map(|entry| entry.town.as_deref())
            .collect();
        towns.sort_unstable();
        towns.dedup();
        towns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> PostalCode {
        match PostalCode::parse(input) {
            Ok(code) => code,
            Err(e) => panic!("{input:?} was rejected: {e}"),
        }
    }

    // ---- PostalCode ----

    #[test]
    fn accepted_forms() {
        for input in [
            "160-0022",
            "1600022",
            "〒160-0022",
            "〒 160-0022",
            "１６０－００２２",
            "〒１６０ー００２２",
            "160‐0022",
            "160−0022",
            " 160 - 0022 ",
            "\u{3000}160-0022\u{3000}",
        ] {
            let parsed = code(input);
            assert_eq!(parsed.digits(), "1600022", "{input}");
            assert_eq!(parsed.to_string(), "160-0022", "{input}");
        }
    }

    #[test]
    fn empty_is_rejected() {
        for input in ["", "   ", "\u{3000}"] {
            assert!(
                matches!(PostalCode::parse(input), Err(PostalError::Empty)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn wrong_number_of_digits() {
        for (input, given) in [
            ("160-002", 6),
            ("16000222", 8),
            ("160", 3),
            ("〒", 0),
            ("-", 0),
        ] {
            match PostalCode::parse(input) {
                Err(PostalError::WrongLength { given: g }) => assert_eq!(g, given, "{input}"),
                other => panic!("{input:?}: {other:?}"),
            }
        }
        let message = PostalCode::parse("987-654").unwrap_err().to_string();
        assert!(message.contains("7桁"), "{message}");
        assert!(message.contains("6桁"), "{message}");
        // The entered code is not echoed.
        assert!(!message.contains("987"), "{message}");
    }

    #[test]
    fn non_digits() {
        for input in [
            "160-002a",
            "新宿区",
            "160_0022",
            "160/0022",
            "一六〇〇〇二二",
        ] {
            assert!(
                matches!(PostalCode::parse(input), Err(PostalError::NotDigits)),
                "{input}"
            );
        }
        let message = PostalError::NotDigits.to_string();
        assert!(message.contains("7桁"), "{message}");
    }

    // ---- embedded table ----

    #[test]
    fn embedded_table_parses() {
        let table = PostalTable::shinjuku();
        // 697 rows, 1620051 listed twice.
        assert_eq!(table.len(), 696);
        assert!(!table.is_empty());
        assert_eq!(table.ward_name(), Some("新宿区"));
    }

    #[test]
    fn embedded_file_keeps_its_source_lines() {
        assert!(SHINJUKU_TSV.starts_with('#'));
        assert!(SHINJUKU_TSV.contains("Japan Post"));
    }

    #[test]
    fn town_lookup() {
        let table = PostalTable::shinjuku();
        let residence = table.lookup(&code("160-0022")).unwrap();
        assert_eq!(residence.town.as_deref(), Some("新宿"));
        assert_eq!(residence.code.to_string(), "160-0022");
        assert_eq!(
            table.lookup(&code("1610033")).unwrap().town.as_deref(),
            Some("下落合")
        );
        assert_eq!(
            table.lookup(&code("162-0052")).unwrap().town.as_deref(),
            Some("戸山")
        );
        // The code listed on two rows.
        assert_eq!(
            table.lookup(&code("162-0051")).unwrap().town.as_deref(),
            Some("西早稲田")
        );
        // Building-specific code: the town is the town, not the label.
        assert_eq!(
            table.lookup(&code("163-0201")).unwrap().town.as_deref(),
            Some("西新宿")
        );
    }

    #[test]
    fn ward_wide_code_has_no_town() {
        let table = PostalTable::shinjuku();
        let residence = table.lookup(&code("1600000")).unwrap();
        assert_eq!(residence.town, None);
    }

    #[test]
    fn neighbouring_wards_are_not_in_the_table() {
        let table = PostalTable::shinjuku();
        for input in ["164-0001", "165-0021", "166-0001", "100-0001", "000-0000"] {
            assert_eq!(table.lookup(&code(input)), None, "{input}");
        }
    }

    #[test]
    fn towns_are_listed() {
        let table = PostalTable::shinjuku();
        let towns = table.towns();
        assert!(towns.contains(&"新宿"));
        assert!(towns.contains(&"西新宿"));
        assert!(towns.windows(2).all(|w| w[0] < w[1]));
    }

    // ---- other tables ----

    const SAMPLE: &str = "# sample ward\n# ward: 中野区\npostal_code\ttown\tlabel\n1640000\t\t\n1640001\t中野\t中野\n";

    #[test]
    fn other_ward_table() {
        let table = PostalTable::from_tsv(SAMPLE).unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.ward_name(), Some("中野区"));
        assert_eq!(
            table.lookup(&code("164-0001")).unwrap().town.as_deref(),
            Some("中野")
        );
        assert_eq!(table.lookup(&code("164-0000")).unwrap().town, None);
        assert_eq!(table.lookup(&code("160-0022")), None);
    }

    #[test]
    fn tolerant_of_bom_crlf_blank_lines_and_missing_label() {
        let text = "\u{FEFF}# c\r\npostal_code\ttown\tlabel\r\n\r\n1640001\t中野\r\n1640002\t上高田\t上高田\r\n";
        let table = PostalTable::from_tsv(text).unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.ward_name(), None);
        assert_eq!(
            table.lookup(&code("1640001")).unwrap().town.as_deref(),
            Some("中野")
        );
        assert_eq!(table.with_ward_name("中野区").ward_name(), Some("中野区"));
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let text = "# c\npostal_code\ttown\tlabel\n1640001\t中野\t中野\n164-0002\t上高田\t上高田\n";
        match PostalTable::from_tsv(text) {
            Err(PostalError::TableLine { line, .. }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
        let message = PostalTable::from_tsv(text).unwrap_err().to_string();
        assert!(message.contains("4行目"), "{message}");

        let too_many = "postal_code\ttown\tlabel\n1640001\ta\tb\tc\n";
        assert!(matches!(
            PostalTable::from_tsv(too_many),
            Err(PostalError::TableLine { line: 2, .. })
        ));
        let short = "postal_code\ttown\tlabel\n164001\ta\tb\n";
        assert!(matches!(
            PostalTable::from_tsv(short),
            Err(PostalError::TableLine { line: 2, .. })
        ));
        let full_width = "postal_code\ttown\tlabel\n１６４０００１\ta\tb\n";
        assert!(matches!(
            PostalTable::from_tsv(full_width),
            Err(PostalError::TableLine { line: 2, .. })
        ));
    }

    #[test]
    fn same_town_rows_are_merged() {
        let text = "postal_code\ttown\tlabel\n1640001\t中野\t中野（１丁目）\n1640002\tx\tx\n1640001\t中野\t中野（２丁目）\n";
        let table = PostalTable::from_tsv(text).unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(
            table.lookup(&code("1640001")).unwrap().town.as_deref(),
            Some("中野")
        );
    }

    #[test]
    fn conflicting_towns_are_rejected() {
        let text = "postal_code\ttown\tlabel\n1640001\t中野\t中野\n1640002\tx\tx\n1640001\t上高田\t上高田\n";
        let e = PostalTable::from_tsv(text).unwrap_err();
        match &e {
            PostalError::ConflictingTown {
                line, first_line, ..
            } => {
                assert_eq!((*line, *first_line), (4, 2));
            }
            other => panic!("{other:?}"),
        }
        let message = e.to_string();
        assert!(
            message.contains("4行目") && message.contains("2行目"),
            "{message}"
        );
        // A town and the ward-wide (empty) town also conflict.
        let text = "postal_code\ttown\tlabel\n1640000\t\t\n1640000\t中野\t中野\n";
        assert!(matches!(
            PostalTable::from_tsv(text),
            Err(PostalError::ConflictingTown {
                line: 3,
                first_line: 2,
                ..
            })
        ));
    }

    #[test]
    fn header_and_emptiness() {
        assert!(matches!(
            PostalTable::from_tsv(""),
            Err(PostalError::MissingHeader)
        ));
        assert!(matches!(
            PostalTable::from_tsv("# only comments\n"),
            Err(PostalError::MissingHeader)
        ));
        assert!(matches!(
            PostalTable::from_tsv("1640001\t中野\t中野\n"),
            Err(PostalError::MissingHeader)
        ));
        assert!(matches!(
            PostalTable::from_tsv("postal_code\ttown\tlabel\n"),
            Err(PostalError::EmptyTable)
        ));
    }

    #[test]
    fn file_loading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nakano.tsv");
        std::fs::write(&path, SAMPLE).unwrap();
        let table = PostalTable::from_tsv_file(&path).unwrap();
        assert_eq!(table.len(), 2);

        let missing = PostalTable::from_tsv_file(&dir.path().join("missing.tsv")).unwrap_err();
        assert!(matches!(missing, PostalError::Io { .. }));
        assert!(missing.to_string().contains("missing.tsv"));
    }
}
