//! Kana conversions the lookups need: katakana ↔ hiragana, voiced sounds
//! (rendaku: the き of 鈴木 is read ぎ in 八木沢), the small っ, morae.

/// Katakana → hiragana; everything else (ー, spaces, kanji) is kept.
pub fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            // The two blocks are 0x60 apart from ァ/ぁ to ヶ/ゖ.
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Hiragana → katakana; everything else is kept.
pub fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The unvoiced kana of a voiced one (が → か, ぱ → は), if it is voiced.
pub(crate) fn unvoiced(c: char) -> Option<char> {
    const PAIRS: [(char, char); 25] = [
        ('が', 'か'),
        ('ぎ', 'き'),
        ('ぐ', 'く'),
        ('げ', 'け'),
        ('ご', 'こ'),
        ('ざ', 'さ'),
        ('じ', 'し'),
        ('ず', 'す'),
        ('ぜ', 'せ'),
        ('ぞ', 'そ'),
        ('だ', 'た'),
        ('ぢ', 'ち'),
        ('づ', 'つ'),
        ('で', 'て'),
        ('ど', 'と'),
        ('ば', 'は'),
        ('び', 'ひ'),
        ('ぶ', 'ふ'),
        ('べ', 'へ'),
        ('ぼ', 'ほ'),
        ('ぱ', 'は'),
        ('ぴ', 'ひ'),
        ('ぷ', 'ふ'),
        ('ぺ', 'へ'),
        ('ぽ', 'ほ'),
    ];
    PAIRS.iter().find(|(v, _)| *v == c).map(|(_, u)| *u)
}

/// Readings a kanji may have in its dictionary form when it is read
/// `reading` inside a name: the reading itself; with the first kana unvoiced
/// (rendaku: 崎 さき read ざき in 山崎); with a final small っ restored
/// (促音化: 八 はち read はっ in 八田). Exact first.
pub(crate) fn dictionary_forms(reading: &str) -> Vec<String> {
    let mut out = vec![reading.to_owned()];
    let mut chars = reading.chars();
    if let Some(first) = chars.next()
        && let Some(u) = unvoiced(first)
    {
        out.push(std::iter::once(u).chain(chars).collect());
    }
    let mut with_sokuon = Vec::new();
    for form in &out {
        if let Some(stem) = form.strip_suffix('っ')
            && !stem.is_empty()
        {
            for end in ['つ', 'ち', 'く', 'き'] {
                with_sokuon.push(format!("{stem}{end}"));
            }
        }
    }
    out.extend(with_sokuon);
    out
}

/// Is `c` a kana that belongs to the mora before it (small ゃ, ー …)?
fn joins_previous(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ー'
    )
}

/// The first mora of a hiragana string: a kana with the small kana and
/// long-vowel marks that follow it (しょ, きゃー); `っ` and `ん` stand alone.
pub(crate) fn first_mora(s: &str) -> &str {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if i > 0 && !joins_previous(c) {
            break;
        }
        end = i + c.len_utf8();
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_and_hiragana_convert_both_ways() {
        assert_eq!(to_hiragana("スズキ ハナコ"), "すずき はなこ");
        assert_eq!(to_hiragana("ヴィーナス"), "ゔぃーなす");
        assert_eq!(to_katakana("すずき はなこ"), "スズキ ハナコ");
        assert_eq!(to_katakana(&to_hiragana("ヵヶ")), "ヵヶ");
        assert_eq!(to_hiragana("鈴木"), "鈴木");
    }

    #[test]
    fn dictionary_forms_undo_rendaku_and_sokuon() {
        assert_eq!(dictionary_forms("さき"), ["さき"]);
        assert_eq!(dictionary_forms("ざき"), ["ざき", "さき"]);
        assert_eq!(dictionary_forms("ぱし"), ["ぱし", "はし"]);
        assert_eq!(
            dictionary_forms("はっ"),
            ["はっ", "はつ", "はち", "はく", "はき"]
        );
        assert_eq!(dictionary_forms("っ"), ["っ"]);
    }

    #[test]
    fn morae_keep_small_kana_and_long_vowels() {
        assert_eq!(first_mora("しょうこ"), "しょ");
        assert_eq!(first_mora("きゃーこ"), "きゃー");
        assert_eq!(first_mora("っと"), "っ");
        assert_eq!(first_mora("ん"), "ん");
        assert_eq!(first_mora(""), "");
    }
}
