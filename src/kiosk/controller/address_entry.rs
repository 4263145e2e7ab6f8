//! Entering an address at the desk (only for lottery classes, at the first
//! application): the ward and town come from the postal code on record, so
//! staff type only the block number (番地) and the room on a digit pad, and
//! the building name (optional) like a name: its reading on the kana
//! keyboard, its written form picked or left in katakana.

use zeroize::Zeroizing;

use super::name_entry::NameEntry;
use crate::store::participants::normalize_address;

/// The two steps: numbers, then the building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressStep {
    /// 番地 and room number on the digit pad.
    Numbers,
    /// The building name (optional).
    Building,
}

/// Which number field the digit pad types into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    /// 番地: 丁目, 番, 号 as the ID card writes them ("3-2-1").
    Block,
    /// The room number (optional).
    Room,
}

/// The address being entered. Dropped (and zeroized) with the screen.
pub struct AddressEntry {
    /// Ward and town, e.g. "新宿区西新宿", from the postal code on record.
    pub town: String,
    /// The step on screen: the numbers, or the building.
    pub step: AddressStep,
    /// Which of the block numbers the number keys type into.
    pub field: NumberField,
    /// "3-2-1": 丁目, 番, 号 as the ID card writes them.
    pub block: Zeroizing<String>,
    /// The room number as typed (personal: zeroized).
    pub room: Zeroizing<String>,
    /// The building's name, typed in kana and picked in kanji like a name.
    pub building: NameEntry,
}

const MAX_BLOCK: usize = 20;
const MAX_ROOM: usize = 10;

impl AddressEntry {
    /// An entry for an address in `town` (one of the ward's towns),
    /// starting at its block numbers.
    pub fn new(town: String) -> Self {
        Self {
            town,
            step: AddressStep::Numbers,
            field: NumberField::Block,
            block: Zeroizing::new(String::new()),
            room: Zeroizing::new(String::new()),
            building: NameEntry::default(),
        }
    }

    /// A key: digits and 「-」 on the numbers step, kana on the building step.
    pub fn key(&mut self, key: &str) {
        match self.step {
            AddressStep::Building => self.building.key(key),
            AddressStep::Numbers => {
                let (text, max) = match self.field {
                    NumberField::Block => (&mut self.block, MAX_BLOCK),
                    NumberField::Room => (&mut self.room, MAX_ROOM),
                };
                match key {
                    "⌫" => {
                        text.pop();
                    }
                    k if k.len() == 1
                        && k.chars().all(|c| c.is_ascii_digit() || c == '-')
                        && text.chars().count() < max =>
                    {
                        text.push_str(k)
                    }
                    _ => {}
                }
            }
        }
    }

    /// A number field was tapped: the keys type into it.
    pub fn focus(&mut self, field: NumberField) {
        self.field = field;
    }

    /// What is wrong with the numbers, if anything.
    fn numbers_problem(&self) -> Option<&'static str> {
        let block = self.block.trim_matches('-');
        if block.is_empty() {
            return Some("番地を入力してください（例 3-2-1）。");
        }
        if self.block.starts_with('-') || self.block.contains("--") || self.block.ends_with('-') {
            return Some("番地の「-」は数字と数字のあいだに入れてください（例 3-2-1）。");
        }
        if self.room.starts_with('-') || self.room.ends_with('-') {
            return Some("部屋番号の「-」は数字と数字のあいだに入れてください。");
        }
        None
    }

    /// 「次へ」 on the numbers step; false (with the reason) if they are not right.
    pub fn to_building(&mut self) -> Result<(), String> {
        if let Some(p) = self.numbers_problem() {
            return Err(p.into());
        }
        self.step = AddressStep::Building;
        Ok(())
    }

    /// 「もどる」 on the building step.
    pub fn back(&mut self) -> bool {
        match self.step {
            AddressStep::Building => {
                self.step = AddressStep::Numbers;
                true
            }
            AddressStep::Numbers => false,
        }
    }

    /// The building as it will be written: the picked written form, or the
    /// reading in katakana when nothing was picked; empty when none.
    fn building_text(&self) -> Result<String, String> {
        let b = &self.building;
        if b.kana.trim().is_empty() {
            return Ok(String::new());
        }
        // The reading's spaces only split it into words to look up; a
        // building's name is written without them (大久保ハイツ).
        if !b.has_picks() {
            return Ok(b.kana.split_whitespace().collect());
        }
        if !b.is_complete() {
            return Err(
                "建物名の書き方がまだ途中です。のこりを選ぶか、「1つ消す」で戻してください。"
                    .into(),
            );
        }
        Ok(b.name().split_whitespace().collect())
    }

    /// The whole address, or what is wrong with it.
    pub fn address(&self) -> Result<String, String> {
        if let Some(p) = self.numbers_problem() {
            return Err(p.into());
        }
        let building = self.building_text()?;
        let mut parts = vec![format!("{}{}", self.town, self.block.as_str())];
        if !building.is_empty() {
            parts.push(building);
        }
        if !self.room.is_empty() {
            parts.push(self.room.to_string());
        }
        normalize_address(&parts.join(" ")).map_err(|e| e.to_string())
    }

    /// What to do next on this step.
    pub fn hint(&self) -> String {
        match self.step {
            AddressStep::Numbers => format!(
                "{}に続く番地と、部屋番号（あれば）を入力してください。",
                self.town
            ),
            AddressStep::Building => {
                if self.building.kana.trim().is_empty() {
                    "建物名のよみを入力してください。建物名がなければ、そのまま保存します。".into()
                } else {
                    self.building.hint()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(a: &mut AddressEntry, keys: &str) {
        for k in keys.split("") {
            a.key(k);
        }
    }

    #[test]
    fn numbers_then_an_optional_building() {
        let mut a = AddressEntry::new("新宿区西新宿".into());
        assert!(a.to_building().is_err(), "the block number is needed");
        typed(&mut a, "3-2-1");
        a.focus(NumberField::Room);
        typed(&mut a, "101");
        assert!(a.to_building().is_ok());
        assert_eq!(a.address().as_deref(), Ok("新宿区西新宿3-2-1 101"));
        for k in ["メ", "ソ", "゛", "ン"] {
            a.key(k);
        }
        assert_eq!(a.address().as_deref(), Ok("新宿区西新宿3-2-1 メゾン 101"));
    }

    #[test]
    fn letters_and_misplaced_hyphens_are_refused() {
        let mut a = AddressEntry::new("新宿区大久保".into());
        typed(&mut a, "a2x--");
        assert_eq!(a.block.as_str(), "2--");
        assert!(a.to_building().is_err());
        a.key("⌫");
        a.key("⌫");
        typed(&mut a, "-5");
        assert!(a.to_building().is_ok());
        assert_eq!(a.address().as_deref(), Ok("新宿区大久保2-5"));
    }
}
