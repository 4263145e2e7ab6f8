//! CSV files Excel opens by double-click: UTF-8 with a byte-order mark by
//! default (without it Excel assumes Shift_JIS and garbles the text), or CP932
//! on request, refusing characters CP932 cannot hold instead of replacing them.

use super::{ReportError, Table, Wording};
use crate::error::Result;

/// The text encoding of the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark (the default): Excel then reads it as UTF-8.
    Utf8Bom,
    /// CP932 (Windows' Shift_JIS), for older software; characters it cannot hold are refused, not
    /// replaced.
    Cp932,
}

impl Encoding {
    /// Reads `utf8-bom` (also `utf-8-bom`, `utf8`) or `cp932` (also `shift_jis`, `sjis`), in any
    /// case.
    /// # Errors
    /// [`ReportError::BadEncoding`] for anything else.
    pub fn parse(s: &str) -> Result<Encoding> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf8-bom" | "utf-8-bom" | "utf8" => Ok(Encoding::Utf8Bom),
            "cp932" | "shift_jis" | "sjis" => Ok(Encoding::Cp932),
            _ => Err(ReportError::BadEncoding.into()),
        }
    }
}

pub(crate) fn field(s: &str) -> String {
    // Quote when needed; also guard against spreadsheet formula injection.
    let guarded = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The table as CSV text: a header row, then the rows, CRLF line ends.
pub fn to_csv_text(table: &Table, wording: &Wording) -> String {
    let mut out = String::new();
    let header: Vec<String> = table.columns.iter().map(|c| field(c)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|v| field(&wording.render(v))).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Encodes CSV text; CP932 refuses unencodable characters by name and line.
pub fn encode(text: &str, encoding: Encoding, file_name: &str) -> Result<Vec<u8>> {
    match encoding {
        Encoding::Utf8Bom => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            Ok(b)
        }
        Encoding::Cp932 => {
            let text = &to_cp932_forms(text);
            for (line_no, line) in text.lines().enumerate() {
                for ch in line.chars() {
                    let mut buf = [0u8; 4];
                    let (_, _, bad) = encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut buf));
                    if bad {
                        return Err(ReportError::NotCp932 {
                            ch,
                            file: file_name.to_owned(),
                            line: line_no + 1,
                        }
                        .into());
                    }
                }
            }
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
            Ok(bytes.into_owned())
        }
    }
}

/// Windows maps these Unicode characters to CP932's own forms (the
/// "wave dash problem"); encoding_rs follows WHATWG, which does not, so the
/// Windows mapping is applied first.
fn to_cp932_forms(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{301C}' => '\u{FF5E}', // 〜 wave dash → ～
            '\u{2016}' => '\u{2225}', // ‖ → ∥
            '\u{2212}' => '\u{FF0D}', // − minus → －
            '\u{00A2}' => '\u{FFE0}', // ¢
            '\u{00A3}' => '\u{FFE1}', // £
            '\u{00AC}' => '\u{FFE2}', // ¬
            '\u{2014}' => '\u{2015}', // — em dash → ―
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-5"), "-5");
        assert_eq!(field("転倒予防体操"), "転倒予防体操");
    }

    #[test]
    fn utf8_gets_a_bom_and_cp932_refuses_by_name() {
        let b = encode("事業,人数\r\n", Encoding::Utf8Bom, "x.csv").unwrap();
        assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF]);
        let b = encode("事業,人数\r\n", Encoding::Cp932, "x.csv").unwrap();
        assert_eq!(encoding_rs::SHIFT_JIS.decode(&b).0, "事業,人数\r\n");
        let b = encode("60〜64歳\r\n", Encoding::Cp932, "x.csv").unwrap();
        assert_eq!(encoding_rs::SHIFT_JIS.decode(&b).0, "60～64歳\r\n");
        let e = encode("町名\r\n𠮷野\r\n", Encoding::Cp932, "towns.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("𠮷") && e.contains("towns.csv の2行目"), "{e}");
    }
}
