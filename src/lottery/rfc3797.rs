//! RFC 3797 ("Publicly Verifiable Nominations Committee (NomCom) Random
//! Selection"), exactly as its reference program computes it, so that anyone
//! can repeat a draw with the RFC's own C code or with `tsudoi draw`.
//!
//! 1. Each public random source becomes text: a source of integers is sorted
//!    ascending and each number is written in decimal without leading zeros,
//!    followed by `.`; every source ends with `/`. The sources are
//!    concatenated in the announced order into the *key string*.
//! 2. For step `i = 0, 1, 2, …` the 16-byte MD5 of
//!    `(i as 2 bytes big-endian) || key || (i as 2 bytes big-endian)` is read
//!    as an unsigned big-endian integer and reduced modulo the number of pool
//!    positions still unselected; that remainder (0-based) picks among the
//!    remaining positions in their original order.
//!
//! Positions are 1-based, as the reference program prints them.
//!
//! Text sources are written `text:…` on input so that a typing mistake in a
//! list of numbers is refused rather than silently read as text. They are
//! canonicalised to the upper-case ASCII letters and digits they contain,
//! followed by `/` (the reading other RFC 3797 implementations use). The
//! reference program accepts numbers only, so a draw meant to be checked with
//! the RFC's C code should use numbers only; the kiosk's notices suggest
//! numeric public lotteries.

use md5::{Digest, Md5};

/// The reference program's limits: a pool of at most 2^16 − 1 (the step
/// index is two bytes), at most 16 sources of at most 16 numbers each.
pub const MAX_POOL: u32 = 65_535;
/// At most this many random sources in one draw.
pub const MAX_SOURCES: usize = 16;
/// At most this many numbers in one source.
pub const MAX_VALUES_PER_SOURCE: usize = 16;

/// One public random source, as announced before the draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Numbers, e.g. lottery balls or the digits of a published figure.
    Integers(Vec<u64>),
    /// A text result, kept as its upper-case ASCII letters and digits.
    Text(String),
}

/// Why the input for a draw was refused. Messages are for staff and residents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// A source is neither whitespace-separated non-negative integers nor `text:…`. Re-enter it as
    /// published.
    #[error(
        "乱数の元{index}番目「{input}」を読めません。0以上の整数を空白で区切って入力してください（例: 7 8 11 17 19 25 46）。文字の場合は text: を付けてください。"
    )]
    MalformedSource {
        /// Which source, 1-based.
        index: usize,
        /// The source as typed (a published random value).
        input: String,
    },
    /// A source has no numbers (or no letters and digits). Enter the published value.
    #[error("乱数の元{index}番目が空です。公表された数字を入力してください。")]
    EmptySource {
        /// Which source, 1-based.
        index: usize,
    },
    /// A source has more numbers than the RFC's program takes.
    #[error("乱数の元{index}番目の数が多すぎます（{max}個まで）。")]
    TooManyValues {
        /// Which source, 1-based.
        index: usize,
        /// The limit, [`MAX_VALUES_PER_SOURCE`].
        max: usize,
    },
    /// No source was given: the draw needs at least one published random value (`--source`).
    #[error("乱数の元がありません。公表された乱数を --source で1つ以上指定してください。")]
    NoSources,
    /// More sources than the RFC's program takes.
    #[error("乱数の元が多すぎます（{max}個まで）。")]
    TooManySources {
        /// The limit, [`MAX_SOURCES`].
        max: usize,
    },
    /// The pool is empty or larger than the RFC's program can draw from.
    #[error("対象の人数は1〜{max}人にしてください（指定: {pool}）。")]
    BadPool {
        /// The pool size asked for.
        pool: u64,
        /// The limit, [`MAX_POOL`].
        max: u32,
    },
    /// Asked to select nobody; select at least one.
    #[error("選ぶ人数は1人以上にしてください。")]
    ZeroCount,
    /// Asked to select more than the pool holds.
    #[error("選ぶ人数（{count}）が対象の人数（{pool}）より多くなっています。")]
    CountExceedsPool {
        /// How many were to be selected.
        count: u64,
        /// The pool size.
        pool: u64,
    },
}

/// Full-width digits and spaces (typed on Japanese keyboards) become ASCII.
fn fold_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '\u{3000}' => ' ',
            '，' | '、' => ',',
            _ => c,
        })
        .collect()
}

/// Reads one source as typed: numbers separated by spaces or commas, or
/// `text:…`. `index` is 1-based, for the message.
pub fn parse_source(index: usize, input: &str) -> Result<Source, DrawError> {
    let folded = fold_width(input);
    let trimmed = folded.trim();
    if let Some(text) = trimmed
        .strip_prefix("text:")
        .or_else(|| trimmed.strip_prefix("TEXT:"))
    {
        let canon: String = text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if canon.is_empty() {
            return Err(DrawError::EmptySource { index });
        }
        return Ok(Source::Text(canon));
    }
    let tokens: Vec<&str> = trimmed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err(DrawError::EmptySource { index });
    }
    if tokens.len() > MAX_VALUES_PER_SOURCE {
        return Err(DrawError::TooManyValues {
            index,
            max: MAX_VALUES_PER_SOURCE,
        });
    }
    let mut values = Vec::with_capacity(tokens.len());
    for t in tokens {
        // Digits only: no signs, no decimals, no exponents. The reference
        // program reads C `long`s, so values stay below 2^63.
        let ok = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let v = if ok { t.parse::<u64>().ok() } else { None };
        match v {
            Some(v) if v <= i64::MAX as u64 => values.push(v),
            _ => {
                return Err(DrawError::MalformedSource {
                    index,
                    input: input.chars().take(60).collect(),
                });
            }
        }
    }
    Ok(Source::Integers(values))
}

/// Reads every source (`--source` values in their announced order).
pub fn parse_sources<S: AsRef<str>>(inputs: &[S]) -> Result<Vec<Source>, DrawError> {
    if inputs.is_empty() {
        return Err(DrawError::NoSources);
    }
    if inputs.len() > MAX_SOURCES {
        return Err(DrawError::TooManySources { max: MAX_SOURCES });
    }
    inputs
        .iter()
        .enumerate()
        .map(|(i, s)| parse_source(i + 1, s.as_ref()))
        .collect()
}

/// The key string of RFC 3797 section 4.
pub fn key_string(sources: &[Source]) -> String {
    let mut key = String::new();
    for s in sources {
        match s {
            Source::Integers(values) => {
                let mut v = values.clone();
                v.sort_unstable();
                for n in v {
                    key.push_str(&n.to_string());
                    key.push('.');
                }
            }
            Source::Text(t) => key.push_str(t),
        }
        key.push('/');
    }
    key
}

/// One step of the selection, as the reference program prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based step number.
    pub index: u32,
    /// MD5 of index || key || index.
    pub digest: [u8; 16],
    /// Positions still unselected before this step (the divisor).
    pub remaining: u32,
    /// The 1-based pool position chosen.
    pub selected: u32,
}

impl Step {
    /// The digest in upper-case hex, as the reference program prints it.
    pub fn digest_hex(&self) -> String {
        self.digest.iter().map(|b| format!("{b:02X}")).collect()
    }
}

/// MD5 of `i || key || i` with `i` as two bytes big-endian (0-based step).
pub fn step_digest(step: u16, key: &str) -> [u8; 16] {
    let i = step.to_be_bytes();
    let mut h = Md5::new();
    h.update(i);
    h.update(key.as_bytes());
    h.update(i);
    h.finalize().into()
}

/// Checks a pool size and a count against the algorithm's limits.
pub fn check_sizes(pool: u64, count: u64) -> Result<(), DrawError> {
    if pool == 0 || pool > u64::from(MAX_POOL) {
        return Err(DrawError::BadPool {
            pool,
            max: MAX_POOL,
        });
    }
    if count == 0 {
        return Err(DrawError::ZeroCount);
    }
    if count > pool {
        return Err(DrawError::CountExceedsPool { count, pool });
    }
    Ok(())
}

/// Selects `count` of the positions 1..=`pool` in order.
pub fn select(key: &str, pool: u32, count: u32) -> Result<Vec<Step>, DrawError> {
    check_sizes(u64::from(pool), u64::from(count))?;
    let mut remaining: Vec<u32> = (1..=pool).collect();
    let mut steps = Vec::with_capacity(count as usize);
    for i in 0..count {
        // `count <= pool <= 65535`, so the index fits in two bytes.
        let digest = step_digest(i as u16, key);
        let divisor = remaining.len() as u32;
        // The whole 128-bit value modulo the divisor, as the reference
        // program's long division computes it.
        let k = (u128::from_be_bytes(digest) % u128::from(divisor)) as usize;
        let selected = remaining.remove(k);
        steps.push(Step {
            index: i + 1,
            digest,
            remaining: divisor,
            selected,
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pool: u32, count: u32, sources: &[&str]) -> (String, Vec<Step>) {
        let s = parse_sources(sources).unwrap();
        let key = key_string(&s);
        let steps = select(&key, pool, count).unwrap();
        (key, steps)
    }

    /// RFC 3797 section 6: 25 volunteers, 10 chosen, sources 9319 /
    /// 2 5 12 8 10 / 9 18 26 34 41 45. The RFC lists the selected people:
    /// Lee (17), Doc (7), Mary (2), Charity (16), Kasczynski (25), Envy (23),
    /// Sneazy (8), Anger (24), Chastity (19), Pandora (13).
    #[test]
    fn rfc3797_section6_worked_example() {
        let (key, steps) = run(25, 10, &["9319", "2 5 12 8 10", "9 18 26 34 41 45"]);
        assert_eq!(key, "9319./2.5.8.10.12./9.18.26.34.41.45./");
        let picked: Vec<u32> = steps.iter().map(|s| s.selected).collect();
        assert_eq!(picked, vec![17, 7, 2, 16, 25, 23, 8, 24, 19, 13]);
        // The first digests printed in the RFC.
        assert_eq!(steps[0].digest_hex(), "990DD0A5692A029A98B5E01AA28F3459");
        assert_eq!(steps[1].digest_hex(), "3691E55CB63FCC37914430B2F70B5EC6");
        assert_eq!(steps[2].digest_hex(), "FE814EDF564C190AC1D25753979990FA");
        assert_eq!(steps[9].digest_hex(), "31CB111C4A4EBE9287CEAE16FE51B909");
        assert_eq!(steps[0].remaining, 25);
        assert_eq!(steps[9].remaining, 16);
    }

    /// The reference program's published test case for the 2012 NomCom.
    #[test]
    fn reference_program_test_case_2012() {
        let (key, steps) = run(
            134,
            12,
            &[
                "17 20 22 35 38 48 36",
                "90193202",
                "55598744",
                "11 17 21 48 50 9 10",
            ],
        );
        assert_eq!(
            key,
            "17.20.22.35.36.38.48./90193202./55598744./9.10.11.17.21.48.50./"
        );
        let picked: Vec<u32> = steps.iter().map(|s| s.selected).collect();
        assert_eq!(
            picked,
            vec![90, 25, 92, 126, 24, 31, 122, 96, 81, 132, 2, 41]
        );
        assert_eq!(steps[0].digest_hex(), "CA30D5996DE35BA57B393541328C4159");
        assert_eq!(steps[11].digest_hex(), "6168D40CF2EB896E0E13AF709E8998B2");
    }

    /// The reference program's published test case for the 2013 NomCom
    /// (note the leading zero of 08285182 disappears from the key).
    #[test]
    fn reference_program_test_case_2013() {
        let (key, steps) = run(
            154,
            12,
            &[
                "7 8 11 17 19 25 46",
                "08285182",
                "60115701",
                "2 3 18 26 32 33 42",
            ],
        );
        assert_eq!(
            key,
            "7.8.11.17.19.25.46./8285182./60115701./2.3.18.26.32.33.42./"
        );
        let picked: Vec<u32> = steps.iter().map(|s| s.selected).collect();
        assert_eq!(
            picked,
            vec![138, 151, 89, 112, 117, 145, 118, 143, 144, 122, 95, 139]
        );
        assert_eq!(steps[0].digest_hex(), "D31D1C4AC453CA37989E9920B4E9BC03");
        assert_eq!(steps[11].digest_hex(), "2C3BF59B559F268A2F98BD97031A9CAF");
    }

    #[test]
    fn full_width_input_is_folded() {
        let s = parse_sources(&["９　１８，２６"]).unwrap();
        assert_eq!(key_string(&s), "9.18.26./");
    }

    #[test]
    fn text_sources_are_upper_case_alphanumerics() {
        let s = parse_sources(&["text: Deep Impact-2"]).unwrap();
        assert_eq!(key_string(&s), "DEEPIMPACT2/");
    }

    #[test]
    fn malformed_input_is_refused() {
        for bad in ["7 8 x", "-3", "1.5", "1e3", "７ 八", "99999999999999999999"] {
            assert!(
                matches!(
                    parse_sources(&[bad]),
                    Err(DrawError::MalformedSource { index: 1, .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            parse_sources(&["1", "  "]),
            Err(DrawError::EmptySource { index: 2 })
        );
        assert_eq!(parse_sources::<&str>(&[]), Err(DrawError::NoSources));
        assert!(matches!(
            parse_sources(&["1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"]),
            Err(DrawError::TooManyValues { .. })
        ));
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(select("1./", 5, 0), Err(DrawError::ZeroCount));
        assert_eq!(
            select("1./", 5, 6),
            Err(DrawError::CountExceedsPool { count: 6, pool: 5 })
        );
        assert!(matches!(
            select("1./", 0, 0),
            Err(DrawError::BadPool { .. })
        ));
        assert!(check_sizes(70_000, 1).is_err());
        assert_eq!(select("1./", 1, 1).unwrap()[0].selected, 1);
    }

    #[test]
    fn selecting_everyone_is_a_permutation() {
        let steps = select("1./", 300, 300).unwrap();
        let mut v: Vec<u32> = steps.iter().map(|s| s.selected).collect();
        v.sort_unstable();
        assert_eq!(v, (1..=300).collect::<Vec<_>>());
    }
}
