//! Japanese phone numbers as residents write them.
//!
//! Fixed lines have 10 digits starting with 0 (03-xxxx-xxxx in Tokyo);
//! mobiles (070/080/090, and 060 reserved for mobiles) and IP phones (050)
//! have 11. Residents write hyphens, parentheses and full-width digits; all
//! of that is stripped so that [`PhoneNumber::digits`] is a stable key (the
//! blind-index input).
//!
//! Phone numbers are personal data: error messages never repeat the number
//! (only how many digits were given), and `Debug` masks the digits.

use std::fmt;

use thiserror::Error;

use super::text::normalize_digits_and_punct;

/// What kind of line a number is, from its prefix and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// 10-digit fixed line (固定電話), `0` + non-zero digit.
    Fixed,
    /// 11-digit mobile (携帯電話): 060, 070, 080, 090.
    Mobile,
    /// 11-digit IP phone (IP電話): 050.
    Ip,
}

/// A validated phone number: ASCII digits only, starting with 0.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    digits: String,
    kind: PhoneKind,
}

/// Why a phone number was refused. Messages are Japanese, for staff, and
/// never contain the number itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Nothing was entered.
    #[error(
        "電話番号が入力されていません。市外局番から入力してください（例：03-1234-5678、090-1234-5678）。"
    )]
    Empty,

    /// Characters other than digits, hyphens, spaces and parentheses.
    #[error(
        "電話番号には数字・ハイフン・かっこ以外の文字は使えません。数字だけで入力してください。"
    )]
    NotDigits,

    /// Does not start with 0 (typically the area code was left out).
    #[error("電話番号は0から始まります。市外局番（03など）から入力してください。")]
    NoLeadingZero,

    /// A 10-digit number starting with 00 (an international-call prefix,
    /// not a subscriber number).
    #[error("「00」から始まる番号は登録できません。市外局番（03など）から入力してください。")]
    InternationalPrefix,

    /// 11 digits, but not a mobile or IP prefix (includes 0800 free-dial).
    #[error(
        "11桁の電話番号は090・080・070・060（携帯電話）または050（IP電話）で始まります（0800のフリーダイヤルは登録できません）。番号を確認して入力してください。"
    )]
    UnknownElevenDigitPrefix,

    /// Neither 10 nor 11 digits.
    #[error(
        "電話番号の桁数が合いません（入力されたのは{given}桁でした）。固定電話は10桁、携帯電話は11桁です。市外局番から入力してください。"
    )]
    WrongLength {
        /// How many digits were entered.
        given: usize,
    },
}

impl PhoneNumber {
    /// Parses a phone number, stripping hyphens (and dash variants), spaces
    /// and parentheses, ASCII or full-width, and folding full-width digits.
    ///
    /// Checks, in order: not empty; only digits remain; starts with 0;
    /// 10 digits → [`PhoneKind::Fixed`] unless it starts with `00`;
    /// 11 digits → 060/070/080/090 [`PhoneKind::Mobile`] (but not 0800,
    /// which is free-dial), 050 [`PhoneKind::Ip`], anything else refused;
    /// other lengths refused. Non-geographic 10-digit numbers (0120, 0570)
    /// are accepted as [`PhoneKind::Fixed`]: telling them apart is not needed
    /// to reach a resident, and the rule was kept deliberately simple.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let folded = normalize_digits_and_punct(input);
        let mut digits = String::with_capacity(11);
        let mut saw_anything = false;
        for c in folded.chars() {
            match c {
                c if c.is_whitespace() => {}
                // Full-width parentheses were folded to ASCII above.
                '-' | '(' | ')' => saw_anything = true,
                c if c.is_ascii_digit() => {
                    saw_anything = true;
                    digits.push(c);
                }
                _ => return Err(PhoneError::NotDigits),
            }
        }
        if !saw_anything {
            return Err(PhoneError::Empty);
        }
        if digits.is_empty() {
            return Err(PhoneError::WrongLength { given: 0 });
        }
        if !digits.starts_with('0') {
            return Err(PhoneError::NoLeadingZero);
        }
        let kind = match digits.len() {
            10 if digits.starts_with("00") => return Err(PhoneError::InternationalPrefix),
            10 => PhoneKind::Fixed,
            // 0800 is free-dial (0800-xxx-xxxx), not a mobile, even though
            // it shares the 080 prefix.
            11 if digits.starts_with("0800") => {
                return Err(PhoneError::UnknownElevenDigitPrefix);
            }
            11 => match &digits[..3] {
                "060" | "070" | "080" | "090" => PhoneKind::Mobile,
                "050" => PhoneKind::Ip,
                _ => return Err(PhoneError::UnknownElevenDigitPrefix),
            },
            given => return Err(PhoneError::WrongLength { given }),
        };
        Ok(PhoneNumber { digits, kind })
    }

    /// The normalised digits, e.g. `0312345678` (the blind-index input).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Fixed, mobile or IP.
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// The number grouped for display:
    ///
    /// * 11 digits (mobile, IP): `090-1234-5678` (3-4-4);
    /// * 10 digits starting 03 or 06 (Tokyo, Osaka): `03-1234-5678` (2-4-4);
    /// * 10 digits starting 0120, 0570 or 0990 (non-geographic):
    ///   `0120-123-456` (4-3-3);
    /// * any other 10 digits: `042-123-4567` (3-3-4).
    ///
    /// The last rule is right for 3-digit area codes (042, 045, 011, ...)
    /// but not for 4- and 5-digit ones (e.g. 0422-xx-xxxx); getting those
    /// right would need the full area-code table, and the grouping is only
    /// cosmetic: identity is [`PhoneNumber::digits`].
    pub fn display(&self) -> String {
        let d = self.digits.as_str();
        // All groupings below split ASCII digits, so byte indices are safe.
        let groups: [usize; 2] = match (self.kind, &d[..2]) {
            (PhoneKind::Mobile | PhoneKind::Ip, _) => [3, 7],
            (PhoneKind::Fixed, "03" | "06") => [2, 6],
            (PhoneKind::Fixed, _) if ["0120", "0570", "0990"].contains(&&d[..4]) => [4, 7],
            (PhoneKind::Fixed, _) => [3, 6],
        };
        format!(
            "{}-{}-{}",
            &d[..groups[0]],
            &d[groups[0]..groups[1]],
            &d[groups[1]..]
        )
    }
}

/// Same as [`PhoneNumber::parse`], as a free function.
pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
    PhoneNumber::parse(input)
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Masks the digits so that a stray `{:?}` in a log does not leak the
/// number; use [`PhoneNumber::digits`] or `Display` deliberately.
impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneNumber")
            .field("kind", &self.kind)
            .field("digits", &format_args!("<{} digits>", self.digits.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> PhoneNumber {
        match PhoneNumber::parse(input) {
            Ok(number) => number,
            Err(e) => panic!("{input:?} was rejected: {e}"),
        }
    }

    fn err(input: &str) -> PhoneError {
        match PhoneNumber::parse(input) {
            Ok(number) => panic!("{input:?} was accepted as {number}"),
            Err(e) => e,
        }
    }

    #[test]
    fn fixed_line_forms() {
        for input in [
            "03-1234-5678",
            "0312345678",
            "03(1234)5678",
            "(03)1234-5678",
            "（０３）１２３４－５６７８",
            "０３ー１２３４ー５６７８",
            "03 1234 5678",
            "\u{3000}03‐1234‐5678 ",
            "03−1234−5678",
        ] {
            let number = ok(input);
            assert_eq!(number.digits(), "0312345678", "{input}");
            assert_eq!(number.kind(), PhoneKind::Fixed, "{input}");
            assert_eq!(number.display(), "03-1234-5678", "{input}");
        }
    }

    #[test]
    fn mobile_and_ip() {
        for (input, kind) in [
            ("090-1234-5678", PhoneKind::Mobile),
            ("080-1234-5678", PhoneKind::Mobile),
            ("070-1234-5678", PhoneKind::Mobile),
            ("060-1234-5678", PhoneKind::Mobile),
            ("050-1234-5678", PhoneKind::Ip),
            ("０９０１２３４５６７８", PhoneKind::Mobile),
        ] {
            let number = ok(input);
            assert_eq!(number.kind(), kind, "{input}");
            assert_eq!(number.digits().len(), 11);
        }
        assert_eq!(ok("09012345678").display(), "090-1234-5678");
        assert_eq!(ok("05012345678").to_string(), "050-1234-5678");
    }

    #[test]
    fn display_grouping_of_other_fixed_lines() {
        assert_eq!(ok("0612345678").display(), "06-1234-5678");
        assert_eq!(ok("0421234567").display(), "042-123-4567");
        assert_eq!(ok("0451234567").display(), "045-123-4567");
        assert_eq!(ok("0120123456").display(), "0120-123-456");
        assert_eq!(ok("0570123456").display(), "0570-123-456");
    }

    #[test]
    fn empty() {
        assert_eq!(err(""), PhoneError::Empty);
        assert_eq!(err("  \u{3000}"), PhoneError::Empty);
        assert_eq!(err("--"), PhoneError::WrongLength { given: 0 });
    }

    #[test]
    fn non_digits() {
        for input in ["03-1234-567a", "+81-3-1234-5678", "03.1234.5678", "〇三"] {
            assert_eq!(err(input), PhoneError::NotDigits, "{input}");
        }
    }

    #[test]
    fn must_start_with_zero() {
        // Area code left out: 8 digits of a Tokyo number.
        assert_eq!(err("1234-5678"), PhoneError::NoLeadingZero);
        assert_eq!(err("3-1234-5678"), PhoneError::NoLeadingZero);
    }

    #[test]
    fn double_zero_is_refused() {
        assert_eq!(err("0012345678"), PhoneError::InternationalPrefix);
        assert_eq!(err("00123456789"), PhoneError::UnknownElevenDigitPrefix);
    }

    #[test]
    fn eleven_digits_need_mobile_or_ip_prefix() {
        for input in [
            "031-2345-6789",
            "0120-123-4567",
            "0800-123-4567",
            "010-1234-5678",
            "020-1234-5678",
        ] {
            assert_eq!(err(input), PhoneError::UnknownElevenDigitPrefix, "{input}");
        }
    }

    #[test]
    fn wrong_lengths_report_count_not_number() {
        for (input, given) in [("03-1234-567", 9), ("090-1234-56789", 12), ("0", 1)] {
            let e = err(input);
            assert_eq!(e, PhoneError::WrongLength { given }, "{input}");
            let message = e.to_string();
            assert!(message.contains(&format!("{given}桁")), "{message}");
            assert!(
                message.contains("固定電話は10桁、携帯電話は11桁"),
                "{message}"
            );
        }
    }

    #[test]
    fn no_error_message_contains_digits_of_the_input() {
        let inputs = [
            "",
            "03-9876-543",
            "090-9876-54321",
            "9876-5432",
            "0098765432",
            "03-9876-543x",
            "031-9876-5432",
        ];
        for input in inputs {
            let message = err(input).to_string();
            assert!(!message.contains("9876"), "{message}");
            assert!(!message.contains("5432"), "{message}");
        }
    }

    #[test]
    fn debug_masks_the_number() {
        let debug = format!("{:?}", ok("090-1234-5678"));
        assert!(!debug.contains("1234"), "{debug}");
        assert!(debug.contains("Mobile"), "{debug}");
        assert!(debug.contains("11 digits"), "{debug}");
    }

    #[test]
    fn equal_numbers_written_differently_have_same_digits() {
        assert_eq!(ok("03-1234-5678"), ok("（０３）１２３４ー５６７８"));
    }
}
