//! What the check-in flow says aloud for each result (issue 18,
//! docs/dev/voice.md): chosen from the typed [`Outcome`], never from the
//! sentence on screen, and only among the fixed phrases, so neither the
//! card holder's name nor the activity is ever said. The match has no
//! wildcard: a new outcome does not compile until it has its phrase.

use tsudoi_hw::CardIdError;
use tsudoi_hw::voice::{Phrase, Utterance};

use super::Outcome;

/// The sentence said when `outcome`'s screen shows.
pub fn utterance(outcome: &Outcome) -> Utterance {
    match outcome {
        Outcome::CheckedIn { .. } => Phrase::CheckedIn.into(),
        Outcome::AlreadyCheckedIn { .. } => Phrase::AlreadyCheckedIn.into(),
        Outcome::UnknownCard => Phrase::UnknownCard.into(),
        // Registered, but the card cannot be used until the desk has seen
        // an ID again: 「まだ使えません。窓口へどうぞ。」, as for the age.
        Outcome::ReverificationDue | Outcome::NotEligible { .. } => Phrase::NotEligibleYet.into(),
        Outcome::SessionFull => Phrase::SessionFull.into(),
        Outcome::NoSession => Phrase::NoSessionNow.into(),
        Outcome::CardError(CardIdError::RandomIdentifier) => Phrase::PhoneOrWatch.into(),
        Outcome::CardError(CardIdError::Empty | CardIdError::TooLong) => Phrase::CardError.into(),
        // The store failed, or the clock waits for staff: only staff can
        // sort it out.
        Outcome::Fault | Outcome::ClockUnconfirmed => Phrase::SeeStaff.into(),
        // A lottery class runs now and the card holder has no seat: their
        // place on the waiting list when they have one (the screen says the
        // same), else the desk.
        Outcome::NoSeat {
            waiting_rank: Some(rank),
            ..
        } => Utterance::waitlisted(*rank),
        Outcome::NoSeat {
            waiting_rank: None, ..
        } => Phrase::SeeStaff.into(),
    }
}
