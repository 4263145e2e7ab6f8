//! Offline kana → kanji for Japanese personal names.
//!
//! Front-desk staff type a resident's furigana on a kana keyboard; this crate
//! offers the written forms to pick from, so the name can be entered exactly
//! as the ID card prints it, without an input method or a network:
//!
//! - [`names`]: whole family or given names read that way (佐藤, 左藤 … for
//!   さとう), most likely first;
//! - [`kanji`]: single kanji read that way, for names the dictionary lacks;
//! - [`variants`]: the variant forms of a kanji (高 → 髙, 崎 → 﨑, 辺 → 邊 邉);
//! - [`NameComposer`]: the picking itself: the reading is used up part by part
//!   as written forms are chosen, and picks can be taken back.
//!
//! The data (`data/`) is derived from JMnedict and KANJIDIC2 (EDRDG, CC BY-SA
//! 4.0) and Unihan (Unicode licence); `data/README.md` tells how. It is
//! embedded and searched in place: nothing is loaded at start-up.
//!
//! ```
//! use tsudoi_kanji::{NameComposer, Mode};
//! let mut c = NameComposer::new("スズキ ハナコ");
//! let family = c.candidates(Mode::Whole);
//! assert_eq!(family[0].text, "鈴木");
//! c.pick(&family[0]);
//! let given = c.candidates(Mode::Whole);
//! let hanako = given.iter().find(|g| g.text == "花子").unwrap();
//! c.pick(hanako);
//! assert_eq!(c.name(), "鈴木 花子");
//! assert!(c.is_complete());
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod composer;
mod kana;
mod table;

pub use composer::{Candidate, CandidateKind, Mode, NameComposer, Pick};
pub use kana::{to_hiragana, to_katakana};

use table::Table;

static FAMILY: Table = Table::new(include_str!("../data/family.tsv"));
static GIVEN: Table = Table::new(include_str!("../data/given.tsv"));
static KANJI: Table = Table::new(include_str!("../data/kanji.tsv"));
/// The longest reading in the kanji table, in bytes. No longer stretch of a
/// reading can be one kanji's, so the composer looks none up: a reading of
/// thousands of kana (a pasted file) would otherwise cost a lookup for every
/// prefix, time growing with the square of its length (found by fuzzing).
pub(crate) const LONGEST_KANJI_READING: usize = 36;

static VARIANTS: Table = Table::new(include_str!("../data/variants.tsv"));

/// Which part of a name a reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    /// 姓
    Family,
    /// 名
    Given,
}

/// Written forms of a whole family or given name read `reading` (hiragana or
/// katakana), most likely first.
pub fn names(reading: &str, part: NamePart) -> impl Iterator<Item = &'static str> + use<> {
    let table = match part {
        NamePart::Family => &FAMILY,
        NamePart::Given => &GIVEN,
    };
    table.values(&to_hiragana(reading))
}

/// Single kanji read `reading` (on, kun or name readings), most common first.
pub fn kanji(reading: &str) -> impl Iterator<Item = &'static str> + use<> {
    KANJI.values(&to_hiragana(reading))
}

/// Variant forms of `c` that Japanese ID cards print (異体字), most common
/// first; empty for a character without variants.
pub fn variants(c: char) -> impl Iterator<Item = &'static str> + use<> {
    let mut buf = [0u8; 4];
    VARIANTS.values(c.encode_utf8(&mut buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(reading: &str, part: NamePart, n: usize) -> Vec<&'static str> {
        names(reading, part).take(n).collect()
    }

    #[test]
    fn every_table_is_sorted_and_well_formed() {
        for (name, table) in [
            ("family", &FAMILY),
            ("given", &GIVEN),
            ("kanji", &KANJI),
            ("variants", &VARIANTS),
        ] {
            let mut previous: Option<&str> = None;
            let mut lines = 0;
            for line in table.lines() {
                let (key, values) = line
                    .split_once('\t')
                    .unwrap_or_else(|| panic!("{name}: a line without a tab"));
                assert!(!key.is_empty() && !values.is_empty(), "{name}: {line}");
                assert!(
                    !values.split(' ').any(str::is_empty),
                    "{name}: empty value in {line}"
                );
                if let Some(p) = previous {
                    assert!(p.as_bytes() < key.as_bytes(), "{name}: {p} before {key}");
                }
                previous = Some(key);
                lines += 1;
            }
            assert!(lines > 1000, "{name} has only {lines} lines");
        }
    }

    #[test]
    fn no_kanji_reading_is_longer_than_the_composer_looks() {
        let longest = KANJI
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, _)| k.len())
            .max();
        assert_eq!(longest, Some(LONGEST_KANJI_READING));
    }

    #[test]
    fn common_surnames_come_first() {
        for (reading, written) in [
            ("さとう", "佐藤"),
            ("すずき", "鈴木"),
            ("たかはし", "高橋"),
            ("たなか", "田中"),
            ("わたなべ", "渡辺"),
            ("やまもと", "山本"),
            ("こばやし", "小林"),
            ("やまざき", "山崎"),
        ] {
            assert_eq!(first(reading, NamePart::Family, 1), [written], "{reading}");
        }
        assert!(first("ささき", NamePart::Family, 3).contains(&"佐々木"));
        assert!(first("さいとう", NamePart::Family, 3).contains(&"斎藤"));
    }

    #[test]
    fn given_names_of_the_residents_generation_are_on_the_first_page() {
        for (reading, written) in [
            ("はなこ", "花子"),
            ("よしこ", "良子"),
            ("かずこ", "和子"),
            ("せつこ", "節子"),
            ("ひろし", "博"),
            ("しげる", "茂"),
            ("かずお", "和夫"),
            ("みちこ", "美智子"),
        ] {
            assert!(
                first(reading, NamePart::Given, 18).contains(&written),
                "{reading}: {:?}",
                first(reading, NamePart::Given, 18)
            );
        }
    }

    #[test]
    fn katakana_readings_work_as_typed() {
        assert_eq!(first("サトウ", NamePart::Family, 1), ["佐藤"]);
        assert_eq!(kanji("タカ").next(), kanji("たか").next());
    }

    #[test]
    fn single_kanji_and_variants() {
        assert!(kanji("たか").take(5).any(|k| k == "高"));
        assert!(kanji("すず").take(5).any(|k| k == "鈴"));
        assert_eq!(kanji("こ").next(), Some("子"));
        assert!(variants('高').any(|v| v == "髙"));
        assert!(variants('髙').any(|v| v == "高"));
        assert!(variants('崎').any(|v| v == "﨑"));
        assert!(variants('辺').any(|v| v == "邊"));
        assert!(variants('辺').any(|v| v == "邉"));
        assert!(variants('吉').any(|v| v == "𠮷"));
        assert_eq!(variants('あ').count(), 0);
        assert_eq!(names("", NamePart::Family).count(), 0);
    }
}
