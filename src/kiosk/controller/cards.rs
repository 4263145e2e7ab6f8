//! A record's cards: list them, take a lost one off, replace one, add one.

use super::search::CardWait;
use super::{KioskController, Screen, Signal};

/// A linked card as a row on screen: when and by whom, never the identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRow {
    pub id: String,
    pub label: String,
}

impl KioskController {
    /// 「カード」 on a record: the person's cards.
    pub fn cards_start(&mut self) {
        if self.screen != Screen::StaffRecord {
            return;
        }
        if self.load_cards() {
            if let Some(s) = self.search.as_mut() {
                s.message.clear();
            }
            self.screen = Screen::StaffCards;
        }
    }

    /// Reloads the open record's cards; false (with the message set) when the
    /// store refused.
    fn load_cards(&mut self) -> bool {
        let Some((staff, pid)) = self.staff_and_record() else {
            return false;
        };
        let cards = self.store.cards_of(&staff, &pid);
        let Some(s) = self.search.as_mut() else {
            return false;
        };
        match cards {
            Ok(list) => {
                s.cards = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| CardRow {
                        id: c.id.clone(),
                        label: format!("カード {}：{}", i + 1, c.label()),
                    })
                    .collect();
                true
            }
            Err(e) => {
                s.message = e.to_string();
                false
            }
        }
    }

    /// 「カードの登録を解除」 on one card (audited by the store).
    pub fn card_unlink(&mut self, card_id: &str) {
        if self.screen != Screen::StaffCards {
            return;
        }
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        let result = self.store.unlink_card(&staff, &pid, card_id);
        self.load_cards();
        if let Some(s) = self.search.as_mut() {
            s.card_wait = None;
            s.message = match result {
                Ok(()) => "カードの登録を解除しました。このカードでは受付できません。".into(),
                Err(e) => e.to_string(),
            };
        }
    }

    /// 「新しいカードに替える」 on one card: the next tap replaces it.
    pub fn card_replace(&mut self, card_id: &str) {
        self.card_wait(CardWait::Replace(card_id.to_owned()));
    }

    /// 「カードを追加」: the next tap is linked to the person.
    pub fn card_add(&mut self) {
        self.card_wait(CardWait::Add);
    }

    fn card_wait(&mut self, wait: CardWait) {
        if self.screen != Screen::StaffCards {
            return;
        }
        if let Some(s) = self.search.as_mut() {
            s.card_wait = Some(wait);
            s.message = "新しいカードをリーダーにタッチしてください。".into();
        }
    }

    /// Whether the cards screen waits for a tap.
    pub fn card_waiting(&self) -> bool {
        self.screen == Screen::StaffCards
            && self.search.as_ref().is_some_and(|s| s.card_wait.is_some())
    }

    /// A tap on the cards screen: replaces or adds, as staff asked.
    pub(in crate::kiosk) fn cards_tap(
        &mut self,
        card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
    ) -> Signal {
        let Some((staff, pid)) = self.staff_and_record() else {
            return Signal::Attention;
        };
        let Some(wait) = self.search.as_ref().and_then(|s| s.card_wait.clone()) else {
            return Signal::Attention;
        };
        let card = match card {
            Ok(c) => c,
            Err(e) => {
                if let Some(s) = self.search.as_mut() {
                    s.message = e.to_string();
                }
                return Signal::Error;
            }
        };
        let (result, done) = match &wait {
            CardWait::Replace(old) => (
                self.store.replace_card(&staff, &pid, old, &card),
                "新しいカードに替えました。前のカードでは受付できません。",
            ),
            CardWait::Add => (
                self.store.link_card(&staff, &pid, &card),
                "カードを登録しました。",
            ),
        };
        self.load_cards();
        let Some(s) = self.search.as_mut() else {
            return Signal::Error;
        };
        match result {
            Ok(()) => {
                s.card_wait = None;
                s.message = done.into();
                Signal::Success
            }
            Err(e) => {
                s.message = format!("{e} 別のカードをタッチするか、「もどる」を押してください。");
                Signal::Error
            }
        }
    }
}
