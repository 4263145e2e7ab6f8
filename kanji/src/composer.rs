//! Picking a name's written form, part by part, from its reading.

use zeroize::Zeroize;

use crate::kana::{dictionary_forms, first_mora, to_hiragana, to_katakana};
use crate::{LONGEST_KANJI_READING, NamePart, kanji, names, variants};

/// Which candidates to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Whole family or given names for the part's reading; one kanji at a
    /// time when the dictionary has none, or the part is already begun.
    #[default]
    Whole,
    /// One kanji at a time for the start of what is left of the reading.
    OneByOne,
    /// Variant forms (異体字) of the characters already picked.
    Variants,
}

/// What a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    /// A whole family or given name from the dictionary.
    Name,
    /// One kanji.
    Kanji,
    /// The reading itself, in hiragana.
    Hiragana,
    /// The reading itself, in katakana.
    Katakana,
    /// An earlier pick with one character replaced by a variant form.
    Variant,
}

/// A written form to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What goes into the name.
    pub text: String,
    /// The part of the reading (hiragana) it uses up.
    pub reading: String,
    /// What kind of candidate it is.
    pub kind: CandidateKind,
    /// For [`CandidateKind::Variant`]: the index of the pick it replaces.
    pub replaces: Option<usize>,
}

impl Candidate {
    fn new(text: &str, reading: &str, kind: CandidateKind) -> Self {
        Self {
            text: text.to_owned(),
            reading: reading.to_owned(),
            kind,
            replaces: None,
        }
    }
}

/// A written form chosen for part of the reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// Which part of the name (0 family, 1 given, …).
    pub part: usize,
    /// The written form.
    pub text: String,
    /// The reading it used up (hiragana).
    pub reading: String,
}

/// Builds a name's written form from its reading: the reading is split into
/// parts at spaces (family name, given name), and each pick uses up the
/// start of what is left of the current part. Everything is derived from
/// the reading and the picks, so changing the reading keeps the picks that
/// still fit it. Readings and picks are personal data: they are zeroized
/// when the composer is dropped.
#[derive(Default)]
pub struct NameComposer {
    parts: Vec<String>,
    picks: Vec<Pick>,
}

impl std::fmt::Debug for NameComposer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameComposer")
            .field("parts", &self.parts.len())
            .field("picks", &self.picks.len())
            .finish_non_exhaustive()
    }
}

impl Drop for NameComposer {
    fn drop(&mut self) {
        self.wipe_picks(0);
        self.parts.iter_mut().for_each(Zeroize::zeroize);
    }
}

impl NameComposer {
    /// At most this many candidates are offered at once.
    pub const MAX_CANDIDATES: usize = 300;

    /// A composer for `reading` (katakana or hiragana, parts separated by spaces).
    pub fn new(reading: &str) -> Self {
        let mut c = Self::default();
        c.set_reading(reading);
        c
    }

    /// A new reading (the furigana was corrected): picks that still fit it
    /// stay, the first one that does not and every later one are dropped.
    pub fn set_reading(&mut self, reading: &str) {
        let mut hira = to_hiragana(reading);
        let parts: Vec<String> = hira.split_whitespace().map(str::to_owned).collect();
        hira.zeroize();
        let mut used: Vec<String> = vec![String::new(); parts.len()];
        let mut keep = 0;
        for p in &self.picks {
            let fits = parts.get(p.part).is_some_and(|whole| {
                whole
                    .strip_prefix(used[p.part].as_str())
                    .is_some_and(|rest| rest.starts_with(&p.reading))
            });
            if !fits {
                break;
            }
            used[p.part].push_str(&p.reading);
            keep += 1;
        }
        used.iter_mut().for_each(Zeroize::zeroize);
        self.wipe_picks(keep);
        self.parts.iter_mut().for_each(Zeroize::zeroize);
        self.parts = parts;
    }

    fn wipe_picks(&mut self, keep: usize) {
        for mut p in self.picks.drain(keep.min(self.picks.len())..) {
            p.text.zeroize();
            p.reading.zeroize();
        }
    }

    /// The picks so far, oldest first.
    pub fn picks(&self) -> &[Pick] {
        &self.picks
    }

    /// How many bytes of `part`'s reading the picks have used up.
    fn used(&self, part: usize) -> usize {
        self.picks
            .iter()
            .filter(|p| p.part == part)
            .map(|p| p.reading.len())
            .sum()
    }

    /// The first part not yet written out.
    pub fn current_part(&self) -> Option<usize> {
        (0..self.parts.len()).find(|&i| self.used(i) < self.parts[i].len())
    }

    /// What is left of the current part's reading (hiragana); empty when done.
    pub fn remaining(&self) -> &str {
        match self.current_part() {
            Some(i) => &self.parts[i][self.used(i)..],
            None => "",
        }
    }

    /// Everything not yet written out, part by part (for the screen).
    pub fn remaining_all(&self) -> String {
        (0..self.parts.len())
            .map(|i| &self.parts[i][self.used(i).min(self.parts[i].len())..])
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when the current part has no pick yet.
    pub fn at_part_start(&self) -> bool {
        self.current_part().is_some_and(|i| self.used(i) == 0)
    }

    /// The name as picked so far: each part's picks in order, parts separated
    /// by one space.
    pub fn name(&self) -> String {
        (0..self.parts.len())
            .map(|i| {
                self.picks
                    .iter()
                    .filter(|p| p.part == i)
                    .map(|p| p.text.as_str())
                    .collect::<String>()
            })
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when there is a reading and all of it is written out.
    pub fn is_complete(&self) -> bool {
        !self.parts.is_empty() && self.current_part().is_none()
    }

    /// Whole names are looked up as family names for the first of several
    /// parts, given names for the others, and both for a single part.
    fn kinds(&self, part: usize) -> &'static [NamePart] {
        match (self.parts.len(), part) {
            (1, _) => &[NamePart::Family, NamePart::Given],
            (_, 0) => &[NamePart::Family],
            _ => &[NamePart::Given],
        }
    }

    /// The candidates for `mode`, most likely first.
    pub fn candidates(&self, mode: Mode) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        let push = |c: Candidate, out: &mut Vec<Candidate>| {
            if out.len() < Self::MAX_CANDIDATES && !out.iter().any(|o| o.text == c.text) {
                out.push(c);
            }
        };
        match mode {
            Mode::Variants => {
                for (j, p) in self.picks.iter().enumerate() {
                    for (i, ch) in p.text.char_indices() {
                        for v in variants(ch) {
                            let mut text = p.text.clone();
                            text.replace_range(i..i + ch.len_utf8(), v);
                            let c = Candidate {
                                replaces: Some(j),
                                ..Candidate::new(&text, &p.reading, CandidateKind::Variant)
                            };
                            push(c, &mut out);
                        }
                    }
                }
                return out;
            }
            Mode::Whole if self.at_part_start() => {
                let (Some(part), rest) = (self.current_part(), self.remaining()) else {
                    return out;
                };
                for kind in self.kinds(part) {
                    for n in names(rest, *kind) {
                        push(Candidate::new(n, rest, CandidateKind::Name), &mut out);
                    }
                }
                if !out.is_empty() {
                    return out;
                }
            }
            _ => {}
        }
        // One kanji at a time: the longest reading first, as a dictionary
        // form first and then as read inside a name (rendaku, small っ).
        let rest = self.remaining();
        // (No kanji is read longer than the table's longest reading, and
        // the dictionary forms keep a reading's length in bytes.)
        let ends: Vec<usize> = rest
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take_while(|&end| end <= LONGEST_KANJI_READING)
            .collect();
        for end in ends.into_iter().rev() {
            let prefix = &rest[..end];
            for form in dictionary_forms(prefix) {
                for k in kanji(&form) {
                    push(Candidate::new(k, prefix, CandidateKind::Kanji), &mut out);
                }
            }
        }
        out
    }

    /// The reading itself as hiragana and as katakana: all that is left of
    /// the part in [`Mode::Whole`] at the start of a part, else its next mora.
    pub fn kana(&self, mode: Mode) -> Vec<Candidate> {
        let rest = self.remaining();
        if rest.is_empty() {
            return Vec::new();
        }
        let reading = if mode == Mode::Whole && self.at_part_start() {
            rest
        } else {
            first_mora(rest)
        };
        vec![
            Candidate::new(reading, reading, CandidateKind::Hiragana),
            Candidate::new(&to_katakana(reading), reading, CandidateKind::Katakana),
        ]
    }

    /// Takes a candidate: appends it (using up its reading) or, for a
    /// variant, replaces the pick it was made from. False if it does not fit
    /// (the reading changed since it was offered).
    pub fn pick(&mut self, c: &Candidate) -> bool {
        if c.kind == CandidateKind::Variant {
            return match c.replaces.and_then(|j| self.picks.get_mut(j)) {
                Some(p)
                    if p.reading == c.reading
                        && p.text.chars().count() == c.text.chars().count() =>
                {
                    p.text.zeroize();
                    p.text = c.text.clone();
                    true
                }
                _ => false,
            };
        }
        let Some(part) = self.current_part() else {
            return false;
        };
        if c.reading.is_empty() || c.text.is_empty() || !self.remaining().starts_with(&c.reading) {
            return false;
        }
        self.picks.push(Pick {
            part,
            text: c.text.clone(),
            reading: c.reading.clone(),
        });
        true
    }

    /// Takes back the last pick (its reading is left to pick again).
    pub fn undo(&mut self) -> bool {
        let n = self.picks.len();
        self.wipe_picks(n.saturating_sub(1));
        n > 0
    }

    /// Takes back every pick.
    pub fn clear(&mut self) {
        self.wipe_picks(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(c: &mut NameComposer, mode: Mode, text: &str) {
        let all = c.candidates(mode);
        let found = all.iter().find(|x| x.text == text).unwrap_or_else(|| {
            panic!(
                "{text} not among {:?}",
                all.iter().map(|x| &x.text).collect::<Vec<_>>()
            )
        });
        assert!(c.pick(found));
    }

    #[test]
    fn family_then_given_name_from_the_dictionary() {
        let mut c = NameComposer::new("スズキ ハナコ");
        assert_eq!(c.remaining(), "すずき");
        assert_eq!(c.remaining_all(), "すずき はなこ");
        assert!(!c.is_complete());
        take(&mut c, Mode::Whole, "鈴木");
        assert_eq!(c.name(), "鈴木");
        assert_eq!(c.remaining(), "はなこ");
        take(&mut c, Mode::Whole, "花子");
        assert_eq!(c.name(), "鈴木 花子");
        assert!(c.is_complete());
        assert!(c.candidates(Mode::Whole).is_empty());
        assert!(c.kana(Mode::Whole).is_empty());
    }

    #[test]
    fn one_kanji_at_a_time_with_rendaku_and_kana() {
        let mut c = NameComposer::new("ヤマザキ トメ");
        take(&mut c, Mode::OneByOne, "山");
        // ざき is looked up as さき.
        take(&mut c, Mode::OneByOne, "崎");
        assert_eq!(c.name(), "山崎");
        // A given name written in kana, a mora at a time or all at once.
        let kana = c.kana(Mode::Whole);
        assert_eq!(kana[0].text, "とめ");
        assert_eq!(kana[1].text, "トメ");
        assert!(c.pick(&kana[1]));
        assert_eq!(c.name(), "山崎 トメ");
        assert!(c.is_complete());
    }

    #[test]
    fn variants_replace_one_character_of_an_earlier_pick() {
        let mut c = NameComposer::new("タカハシ イチロウ");
        take(&mut c, Mode::Whole, "高橋");
        take(&mut c, Mode::Whole, "一郎");
        let v = c.candidates(Mode::Variants);
        let taka = v.iter().find(|x| x.text == "髙橋").expect("髙橋 offered");
        assert_eq!(taka.replaces, Some(0));
        assert!(c.pick(taka));
        assert_eq!(c.name(), "髙橋 一郎");
        assert!(c.is_complete());
    }

    #[test]
    fn undo_gives_the_reading_back_and_a_new_reading_keeps_what_fits() {
        let mut c = NameComposer::new("サトウ ハナ");
        take(&mut c, Mode::Whole, "佐藤");
        take(&mut c, Mode::OneByOne, "花");
        assert!(c.is_complete());
        assert!(c.undo());
        assert_eq!(c.remaining(), "はな");
        take(&mut c, Mode::OneByOne, "花");
        // The furigana is corrected: the given name changes, the family name stays.
        c.set_reading("サトウ ハナコ");
        assert_eq!(c.name(), "佐藤 花");
        assert_eq!(c.remaining(), "こ");
        c.set_reading("サイトウ ハナコ");
        assert_eq!(c.name(), "");
        assert_eq!(c.remaining(), "さいとう");
        assert!(!c.undo());
    }

    #[test]
    fn candidates_that_no_longer_fit_are_refused() {
        let mut c = NameComposer::new("サトウ");
        let sato = c.candidates(Mode::Whole)[0].clone();
        c.set_reading("カトウ");
        assert!(!c.pick(&sato));
        assert_eq!(c.name(), "");
        let empty = NameComposer::new("");
        assert!(!empty.is_complete());
        assert!(empty.candidates(Mode::Whole).is_empty());
    }

    /// Candidates and the table lookups they cost.
    fn counted(c: &NameComposer, mode: Mode) -> (Vec<Candidate>, usize) {
        let before = crate::table::LOOKUPS.with(std::cell::Cell::get);
        let found = c.candidates(mode);
        (
            found,
            crate::table::LOOKUPS.with(std::cell::Cell::get) - before,
        )
    }

    #[test]
    fn a_pasted_reading_of_thousands_of_kana_costs_no_more_than_a_name() {
        // The fuzzer's hangs: a reading of 10,000 kana took seconds, one
        // lookup per prefix. Only the stretch a kanji can be read as counts.
        let name = "やまざきとめ".repeat(3);
        let pasted = NameComposer::new(&name.repeat(600));
        let short = NameComposer::new(&name);
        for mode in [Mode::Whole, Mode::OneByOne] {
            let (long_found, long_cost) = counted(&pasted, mode);
            let (short_found, short_cost) = counted(&short, mode);
            assert_eq!(
                long_found.iter().map(|c| &c.text).collect::<Vec<_>>(),
                short_found.iter().map(|c| &c.text).collect::<Vec<_>>(),
                "{mode:?}"
            );
            assert!(
                !long_found.is_empty() && long_found[0].text == "山",
                "{mode:?}"
            );
            assert!(long_cost <= short_cost + 2, "{mode:?}: {long_cost} lookups");
        }
    }

    #[test]
    fn a_single_part_offers_family_and_given_names() {
        let c = NameComposer::new("サトウ");
        let all = c.candidates(Mode::Whole);
        assert_eq!(all[0].text, "佐藤");
        assert!(all.len() <= NameComposer::MAX_CANDIDATES);
        assert!(
            format!("{c:?}").find("さとう").is_none(),
            "Debug shows no reading"
        );
    }
}
