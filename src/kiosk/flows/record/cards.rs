//! A record's cards: list them, take a lost one off, replace one, add one.

use super::{RecordFlow, RecordStore, wording};
use crate::kiosk::controller::{KioskController, Screen, Signal};

/// A linked card as a row on screen: when and by whom, never the identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRow {
    /// The link's id in the store (what taking the card off or replacing it names).
    pub id: String,
    /// When and by whom the card was linked, as the row shows it.
    pub label: String,
}

/// What the next tap on the cards screen does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardWait {
    /// Links the card to the person.
    Add,
    /// Replaces the card with this link id.
    Replace(String),
}

impl RecordFlow {
    /// Reloads the open record's cards (audited as a view by the store);
    /// false, with the store's reason, when it refused.
    pub fn load_cards(&mut self, store: &mut impl RecordStore) -> bool {
        let Some(id) = self.record_id() else {
            return false;
        };
        match store.cards_of(&id) {
            Ok(list) => {
                self.cards = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| CardRow {
                        id: c.id.clone(),
                        label: wording::card(i + 1, &c.label()),
                    })
                    .collect();
                true
            }
            Err(e) => {
                self.message = e.to_string();
                false
            }
        }
    }

    /// 「カードの登録を解除」 on one card (audited by the store).
    pub fn unlink_card(&mut self, store: &mut impl RecordStore, link_id: &str) {
        let Some(id) = self.record_id() else {
            return;
        };
        let result = store.unlink_card(&id, link_id);
        self.load_cards(store);
        self.card_wait = None;
        self.message = match result {
            Ok(()) => wording::UNLINKED.into(),
            Err(e) => e.to_string(),
        };
    }

    /// 「新しいカードに替える」 or 「カードを追加」: the next tap does it.
    pub fn wait_for_card(&mut self, wait: CardWait) {
        self.card_wait = Some(wait);
        self.message = wording::TOUCH_NEW_CARD.into();
    }

    /// A tap while waiting: replaces or adds, as staff asked (audited by
    /// the store). A refused card keeps the screen waiting for another.
    pub fn card_tap(
        &mut self,
        store: &mut impl RecordStore,
        card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
    ) -> Signal {
        let (Some(id), Some(wait)) = (self.record_id(), self.card_wait.clone()) else {
            return Signal::Attention;
        };
        let card = match card {
            Ok(c) => c,
            Err(e) => {
                self.message = e.to_string();
                return Signal::Error;
            }
        };
        let (result, done) = match &wait {
            CardWait::Replace(old) => (store.replace_card(&id, old, &card), wording::REPLACED),
            CardWait::Add => (store.link_card(&id, &card), wording::LINKED),
        };
        self.load_cards(store);
        match result {
            Ok(()) => {
                self.card_wait = None;
                self.message = done.into();
                Signal::Success
            }
            Err(e) => {
                self.message = wording::card_refused(&e.to_string());
                Signal::Error
            }
        }
    }
}

impl KioskController {
    /// 「カード」 on a record: the person's cards.
    pub fn cards_start(&mut self) {
        if self.screen != Screen::StaffRecord {
            return;
        }
        let Some((mut store, flow)) = self.records() else {
            return;
        };
        if flow.load_cards(&mut store) {
            flow.message.clear();
            self.screen = Screen::StaffCards;
        }
    }

    /// 「カードの登録を解除」 on one card (audited by the store).
    pub fn card_unlink(&mut self, card_id: &str) {
        if self.screen != Screen::StaffCards {
            return;
        }
        if let Some((mut store, flow)) = self.records() {
            flow.unlink_card(&mut store, card_id);
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
            s.wait_for_card(wait);
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
        match self.records() {
            Some((mut store, flow)) => flow.card_tap(&mut store, card),
            None => Signal::Attention,
        }
    }
}
