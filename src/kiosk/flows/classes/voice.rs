//! What the classes flow says aloud (issue 18, docs/dev/voice.md): an
//! application's result and the card holder's lottery result, chosen from
//! the typed [`Outcome`] and the store's [`ApplicationStatus`], never from
//! the sentences on screen. Only fixed phrases, the place on the waiting
//! list and the class's first date are said; never a class's title or
//! anything about the person. The matches have no wildcard: a new outcome
//! or status does not compile until it has its phrase (or says why not).

use chrono::Datelike;
use tsudoi_hw::voice::{Phrase, Utterance};

use super::Outcome;
use crate::store::lottery::{ApplicationStatus, ClassResult};

/// The sentence said when an application's result shows.
pub fn applied(outcome: &Outcome) -> Utterance {
    match outcome {
        // 「受け付けました。十二月三日から。」 when the class has a date
        // (within 3 s for every date), else 「申し込みを受け付けました。」.
        Outcome::Applied { starts_on, .. } => starts_on
            .and_then(|d| Utterance::applied_starting(d.month(), d.day()))
            .unwrap_or_else(|| Phrase::ClassApplied.into()),
        Outcome::Duplicate { .. } => Phrase::ClassDuplicate.into(),
        Outcome::Closed => Phrase::ClassClosed.into(),
        // Under age on a session date, or the ID to be seen again.
        Outcome::NotEligible { .. } => Phrase::NotEligibleYet.into(),
        // The address is taken at the desk, and one class per term is the
        // desk's to explain: both need staff.
        Outcome::NeedsAddress | Outcome::OtherClass { .. } => Phrase::SeeStaff.into(),
    }
}

/// The sentence for one of the card holder's results: 当選, 補欠 N番,
/// 落選; nothing for the states before the draw or after a withdrawal (the
/// screen shows them; no phrase says them).
pub fn result(r: &ClassResult) -> Option<Utterance> {
    match r.status {
        ApplicationStatus::Won | ApplicationStatus::MovedUp => Some(Phrase::LotteryWon.into()),
        ApplicationStatus::Waiting => Some(match r.waiting_rank {
            Some(rank) => Utterance::waitlisted(rank),
            None => Phrase::LotteryWaitlisted.into(),
        }),
        ApplicationStatus::NotSelected => Some(Phrase::LotteryLost.into()),
        ApplicationStatus::Applied
        | ApplicationStatus::Withdrawn
        | ApplicationStatus::Cancelled => None,
    }
}

/// The sentence when a card opens the class list: the first result with
/// something to say, in the list's order (the one at the top of the screen).
/// One result only, so that it stays short; the screen shows the others.
pub fn results(results: &[ClassResult]) -> Option<Utterance> {
    results.iter().find_map(result)
}
