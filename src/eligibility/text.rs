//! Normalisation of what residents and staff type.
//!
//! Japanese input methods often produce full-width characters (`１２３`,
//! `Ｓ`, `－`) and a zoo of dash-like characters. Two levels are offered:
//!
//! * [`to_halfwidth`] only folds the full-width ASCII block and the
//!   ideographic space. It is safe for any text, including names, because it
//!   never touches kana or the long-vowel mark `ー`.
//! * [`normalize_digits_and_punct`] additionally turns dash-like characters
//!   into `-`. Use it only for fields that are known to be numbers with
//!   separators (postal codes, phone numbers, dates): in a name, `ー` is a
//!   long-vowel mark and must not become a hyphen.

/// Maps full-width ASCII (U+FF01..=U+FF5E) to ASCII and the ideographic
/// space (U+3000) to an ASCII space. Every other character is kept.
///
/// ```text
/// "Ｓ４１．４．１"  -> "S41.4.1"
/// "昭和４１年"      -> "昭和41年"
/// "カー"            -> "カー"   (the long-vowel mark is left alone)
/// ```
pub fn to_halfwidth(s: &str) -> String {
    s.chars().map(halfwidth_char).collect()
}

/// [`to_halfwidth`] plus dash-like characters mapped to `-`.
///
/// The dashes folded are: `ー` (U+30FC, the long-vowel mark, which IMEs
/// produce when a resident types "-" in kana mode), `ｰ` (U+FF70), `－`
/// (U+FF0D), `‐` (U+2010), `‑` (U+2011), `‒` (U+2012), `–` (U+2013),
/// `—` (U+2014), `―` (U+2015), `−` (U+2212) and `⁃` (U+2043).
///
/// Only for numeric fields (postal codes, phone numbers, dates); see the
/// module documentation for why names must not go through this.
pub fn normalize_digits_and_punct(s: &str) -> String {
    s.chars()
        .map(|c| {
            let c = halfwidth_char(c);
            if is_dash(c) { '-' } else { c }
        })
        .collect()
}

/// True for the dash-like characters folded by [`normalize_digits_and_punct`].
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{30FC}'
            | '\u{FF70}'
            | '\u{FF0D}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{2043}'
    )
}

fn halfwidth_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        // The full-width block is laid out in ASCII order at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_ascii_is_folded() {
        assert_eq!(to_halfwidth("Ｓ４１．４．１"), "S41.4.1");
        assert_eq!(to_halfwidth("ＡＺａｚ０９！～"), "AZaz09!~");
        assert_eq!(to_halfwidth("（０３）"), "(03)");
        assert_eq!(to_halfwidth("昭和４１年"), "昭和41年");
    }

    #[test]
    fn ideographic_space_becomes_space() {
        assert_eq!(to_halfwidth("a\u{3000}b"), "a b");
    }

    #[test]
    fn to_halfwidth_keeps_kana_and_long_vowel_mark() {
        assert_eq!(to_halfwidth("スーパー　タロー"), "スーパー タロー");
        assert_eq!(to_halfwidth("‐–—"), "‐–—");
    }

    #[test]
    fn full_width_hyphen_minus_is_plain_ascii() {
        // U+FF0D is in the full-width ASCII block, so both functions fold it.
        assert_eq!(to_halfwidth("１６０－００２２"), "160-0022");
    }

    #[test]
    fn dashes_are_folded_for_numeric_fields() {
        for dash in ["ー", "ｰ", "－", "‐", "‑", "‒", "–", "—", "―", "−", "⁃", "-"]
        {
            let input = format!("03{dash}1234{dash}5678");
            assert_eq!(normalize_digits_and_punct(&input), "03-1234-5678", "{dash}");
        }
        assert_eq!(normalize_digits_and_punct("１６０ー００２２"), "160-0022");
    }

    #[test]
    fn other_characters_are_kept() {
        assert_eq!(normalize_digits_and_punct("〒160・年"), "〒160・年");
        assert_eq!(normalize_digits_and_punct(""), "");
    }
}
