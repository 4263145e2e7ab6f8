//! Entering a name on the kiosk: the furigana is typed on the kana keyboard,
//! then the written form is picked from candidates (`tsudoi_kanji`), so a
//! kanji name is entered exactly as the ID card prints it, without an input
//! method. Used by the registration wizard and, from the record flow, by the
//! name correction and the address's building name. Its sentences are in
//! [`super::wording`].

use tsudoi_kanji::{Candidate, Mode, NameComposer};
use zeroize::Zeroizing;

use super::wording as w;
use crate::kiosk::controller::keys::{step_page, type_key};
use crate::store::participants::{normalize_kana, normalize_name};

/// Candidates per page: three rows of six big buttons at 800×480.
pub const CANDIDATES_PER_PAGE: usize = 18;

/// The name being entered. Dropped (and zeroized) with the screen.
pub struct NameEntry {
    /// The furigana as typed (personal: zeroized).
    pub kana: Zeroizing<String>,
    /// True while the keyboard types the furigana; false while picking the
    /// written form.
    pub on_kana: bool,
    composer: NameComposer,
    mode: Mode,
    page: usize,
    /// The candidates of the current mode (recomputed after every change).
    candidates: Vec<Candidate>,
}

impl Default for NameEntry {
    fn default() -> Self {
        Self {
            kana: Zeroizing::new(String::new()),
            on_kana: true,
            composer: NameComposer::default(),
            mode: Mode::Whole,
            page: 0,
            candidates: Vec::new(),
        }
    }
}

impl NameEntry {
    /// An entry starting from a furigana already on record (corrections).
    pub fn with_kana(kana: &str) -> Self {
        let mut e = Self {
            kana: Zeroizing::new(kana.to_owned()),
            ..Self::default()
        };
        e.composer.set_reading(kana);
        e.refresh();
        e
    }

    fn refresh(&mut self) {
        // A mode with nothing to offer falls back to whole names.
        if self.mode == Mode::Variants && self.composer.picks().is_empty() {
            self.mode = Mode::Whole;
        }
        self.candidates = self.composer.candidates(self.mode);
        self.page = self.page.min(self.pages().saturating_sub(1));
    }

    /// A key of the kana keyboard (while the furigana is being typed).
    pub fn key(&mut self, key: &str) {
        if !self.on_kana {
            return;
        }
        type_key(&mut self.kana, key, is_keyboard_kana);
        self.composer.set_reading(&self.kana);
        self.page = 0;
        self.refresh();
    }

    /// 「一文字消す」: the furigana's last kana while typing it, else the
    /// last pick taken back.
    pub fn backspace(&mut self) {
        if self.on_kana {
            self.key("⌫");
        } else {
            self.undo();
        }
    }

    /// Switches between typing the furigana and picking the written form.
    pub fn focus_kana(&mut self, kana: bool) {
        self.on_kana = kana;
        self.mode = Mode::Whole;
        self.page = 0;
        self.refresh();
    }

    /// What the candidates are: whole names, single kanji, or variants.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Shows the candidates of `mode`, from their first page.
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        self.page = 0;
        self.refresh();
    }

    /// 「1字ずつ」 / 「名前で」: one kanji at a time, or whole names again.
    pub fn toggle_one_by_one(&mut self) {
        self.set_mode(if self.mode == Mode::OneByOne {
            Mode::Whole
        } else {
            Mode::OneByOne
        });
    }

    /// 「異体字」: the variants of the picked characters, or whole names again.
    pub fn toggle_variants(&mut self) {
        self.set_mode(if self.mode == Mode::Variants {
            Mode::Whole
        } else {
            Mode::Variants
        });
    }

    /// How many pages the candidates take (at least one).
    pub fn pages(&self) -> usize {
        self.candidates.len().div_ceil(CANDIDATES_PER_PAGE).max(1)
    }

    /// The candidates' page on screen, from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    /// Moves `delta` pages, staying within the list.
    pub fn page_step(&mut self, delta: i32) {
        self.page = step_page(self.page, delta, self.pages());
    }

    /// The candidates on the current page.
    pub fn page_candidates(&self) -> &[Candidate] {
        let start = (self.page * CANDIDATES_PER_PAGE).min(self.candidates.len());
        let end = (start + CANDIDATES_PER_PAGE).min(self.candidates.len());
        &self.candidates[start..end]
    }

    fn take(&mut self, c: &Candidate) {
        if self.composer.pick(c) {
            // After a variant, stay with the variants only if more remain useful;
            // after anything else start the next part with whole names.
            self.mode = match self.mode {
                Mode::Variants => Mode::Variants,
                _ if self.composer.at_part_start() => Mode::Whole,
                m => m,
            };
            if self.composer.is_complete() && self.mode != Mode::Variants {
                self.mode = Mode::Whole;
            }
            self.page = 0;
            self.refresh();
        }
    }

    /// The `index`th candidate of the current page.
    pub fn choose(&mut self, index: usize) {
        if let Some(c) = self.page_candidates().get(index).cloned() {
            self.take(&c);
        }
    }

    /// 「ひらがなで」 (0) or 「カタカナで」 (1).
    pub fn choose_kana(&mut self, katakana: bool) {
        let kana = self.composer.kana(self.mode);
        if let Some(c) = kana.get(usize::from(katakana)).cloned() {
            self.take(&c);
        }
    }

    /// Takes back the last pick.
    pub fn undo(&mut self) {
        if self.composer.undo() {
            self.mode = Mode::Whole;
            self.page = 0;
            self.refresh();
        }
    }

    /// The written name as picked so far.
    pub fn name(&self) -> String {
        self.composer.name()
    }

    /// The reading still to be written out.
    pub fn rest(&self) -> String {
        self.composer.remaining_all()
    }

    /// Whether a written form has been picked (「もどす」 has something to take back).
    pub fn has_picks(&self) -> bool {
        !self.composer.picks().is_empty()
    }

    /// True when the written name has every part of the furigana.
    pub fn is_complete(&self) -> bool {
        self.composer.is_complete()
    }

    /// What to do next, in a sentence.
    pub fn hint(&self) -> String {
        if self.on_kana {
            return if self.kana.trim().is_empty() {
                w::HINT_TYPE_KANA.into()
            } else {
                w::HINT_TO_NAME.into()
            };
        }
        if self.kana.trim().is_empty() {
            return w::HINT_KANA_FIRST.into();
        }
        if self.composer.is_complete() {
            return if self.mode == Mode::Variants {
                w::HINT_VARIANT.into()
            } else {
                w::HINT_DONE.into()
            };
        }
        // The reading being picked is on screen next to the name; the hint
        // itself names no one.
        match self.mode {
            Mode::OneByOne => w::HINT_ONE_BY_ONE.into(),
            _ if self.candidates.is_empty() => w::HINT_NOT_IN_DICTIONARY.into(),
            _ => w::HINT_PICK.into(),
        }
    }

    /// The name and the kana as they will be stored, or what is wrong.
    pub fn validated(&self) -> Result<(String, String), String> {
        let kana = normalize_kana(&self.kana).map_err(|e| e.to_string())?;
        if !self.composer.is_complete() {
            return Err(if self.has_picks() {
                w::NAME_HALF_DONE.into()
            } else {
                w::NAME_NOT_PICKED.into()
            });
        }
        let name = normalize_name(&self.composer.name()).map_err(|e| e.to_string())?;
        Ok((name, kana))
    }
}

/// Keys of the kana keyboard: katakana, ー and the space.
fn is_keyboard_kana(c: char) -> bool {
    matches!(c, 'ァ'..='ヶ' | 'ー')
}
