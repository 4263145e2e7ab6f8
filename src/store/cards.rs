//! The IC cards linked to a person: listing them, taking one off (a lost
//! card, a phone whose Suica moved) and replacing one in a single step.
//!
//! Only a keyed token of a card's identifier is stored, sealed and with a
//! blind index; nothing here shows or logs the identifier itself.

use super::audit::AuditAction;
use super::{StaffSession, Store, record_in};
use crate::error::{Error, Result};

/// A card linked to a person, as staff see it: when and by whom, never the
/// card's identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCard {
    /// The link's own id (random, not derived from the card).
    pub id: String,
    /// RFC 3339, Japan time.
    pub linked_at: String,
    /// Staff id of the staff member who linked the card (no name; staff ids are not personal data
    /// of residents).
    pub linked_by: String,
}

impl LinkedCard {
    /// 「2026年6月2日 kanri01 が登録」.
    pub fn label(&self) -> String {
        let date = chrono::DateTime::parse_from_rfc3339(&self.linked_at)
            .map(|d| crate::jp_date::ymd(d.date_naive()))
            .unwrap_or_else(|_| "日付不明".to_owned());
        format!("{date} {} が登録", self.linked_by)
    }
}

impl Store {
    /// The cards linked to a person, oldest first (audited as a view).
    pub fn cards_of(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
    ) -> Result<Vec<LinkedCard>> {
        staff.require(true)?;
        let pid = self.resolve_id("participants", "参加者", id_or_prefix)?;
        let cards = self.linked_cards(&pid)?;
        self.record(
            &super::Actor::Staff(staff.clone()),
            AuditAction::View,
            &pid,
            &["cards"],
            &format!("{}_cards", cards.len()),
        )?;
        Ok(cards)
    }

    fn linked_cards(&self, participant_id: &str) -> Result<Vec<LinkedCard>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id, linked_at, linked_by FROM cards WHERE participant_id = ?1
                 ORDER BY linked_at, id",
            )?
            .query_map([participant_id], |r| {
                Ok(LinkedCard {
                    id: r.get(0)?,
                    linked_at: r.get(1)?,
                    linked_by: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The link `card` (its id or a unique prefix) of the person `pid`.
    fn card_link_of(&self, pid: &str, card: &str) -> Result<String> {
        let card = card.trim();
        let matches: Vec<String> = self
            .linked_cards(pid)?
            .into_iter()
            .map(|c| c.id)
            .filter(|id| !card.is_empty() && id.starts_with(card))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::NotFound { what: "カード" }),
            _ => Err(Error::Ambiguous {
                what: "カード",
                prefix: card.to_owned(),
            }),
        }
    }

    /// Takes a card off a person's record (「カードの登録を解除」): a lost
    /// card, or one that no longer works. A tap of it is then an unknown card.
    pub fn unlink_card(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        card: &str,
    ) -> Result<()> {
        staff.require(true)?;
        let pid = self.resolve_id("participants", "参加者", id_or_prefix)?;
        let link = self.card_link_of(&pid, card)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute("DELETE FROM cards WHERE id = ?1", [&link])?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::CardUnlink,
            &pid,
            &["card_token"],
            "ok",
        )?;
        tx.commit()?;
        // The old token's pages leave the WAL now rather than at the next
        // automatic checkpoint; the change is committed either way.
        let _ = self.checkpoint();
        Ok(())
    }

    /// Replaces one of a person's cards with a new one in one step (a new
    /// phone, a reissued card): the old link goes, the new card is linked,
    /// or nothing changes.
    pub fn replace_card(
        &mut self,
        staff: &StaffSession,
        id_or_prefix: &str,
        card: &str,
        new_card: &tsudoi_hw::CardId,
    ) -> Result<()> {
        staff.require(true)?;
        let pid = self.resolve_id("participants", "参加者", id_or_prefix)?;
        let link = self.card_link_of(&pid, card)?;
        match self.participant_by_card(new_card)? {
            Some(holder) if holder == pid => {
                return Err(Error::Refused(
                    "このカードはもうこの方に登録されています。".into(),
                ));
            }
            Some(_) => return Err(Error::CardInUse),
            None => {}
        }
        let card_row = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute("DELETE FROM cards WHERE id = ?1", [&link])?;
        super::participants::insert_card(
            &tx,
            keys,
            bits,
            &card_row,
            &pid,
            new_card,
            &now,
            staff.staff_id(),
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::CardReplace,
            &pid,
            &["card_token"],
            "ok",
        )?;
        tx.commit()?;
        // The old token's pages leave the WAL now rather than at the next
        // automatic checkpoint; the change is committed either way.
        let _ = self.checkpoint();
        Ok(())
    }
}
