//! The kiosk: Slint screens (`ui/`) driven by Rust controllers.
//!
//! - [`flows`]: every flow (check-in, sign-in, today, the record,
//!   registration, classes, …), each in its own folder with its state,
//!   actions, wording and adapter, and the registry of every screen and
//!   adapter.
//! - [`controller`]: the controller with its dispatchers and what several
//!   flows share (the address entry, the keyboards' keys); no UI.
//! - [`ui`]: the window's shared `Kiosk` global (which flow shows, the title
//!   bar, the keyboards) and the flows' adapters called in turn.
//! - [`flows::setup`]: the first-start wizard (「はじめての設定」) when there
//!   is no store yet.
//! - [`service`]: `READY=1` and watchdog pings for systemd.
//! - [`voice`]: the kiosk's speaker (spoken guidance, docs/dev/voice.md).

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod controller;
pub mod error;
pub mod flows;
pub mod service;
pub mod ui;
pub mod voice;

pub use controller::{
    Field, Flow, KioskConfig, KioskController, Screen, SessionRow, Signal, WAITING_ROWS,
    WAITING_TICK, WaitingList,
};
pub use ui::KioskUi;

/// The simulated reader's buttons, in the order of [`demo_card`]'s numbers
/// (the keys 1–5 tap the same cards).
pub const DEMO_BUTTONS: [&str; 5] = [
    "1 登録済みカード",
    "2 未登録カード",
    "3 本人確認の時期",
    "4 スマホ・時計",
    "5 教室の当選者",
];

/// What a screen reader says for a demo button.
pub fn demo_button_label(text: &str) -> String {
    format!("デモ: {text}")
}

/// The demo cards of [`crate::demo::cards`] as the simulated reader taps them:
/// 1 a known resident, 2 an unknown card, 3 a resident due for re-verification,
/// 4 a card that cannot be used (a phone's random identifier).
pub fn demo_card(n: i32) -> Option<Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>> {
    use crate::demo::cards;
    use tsudoi_hw::{CardId, CardIdError, Technology};
    let hex = match n {
        1 => cards::KNOWN_RESIDENT,
        2 => cards::UNKNOWN,
        3 => cards::REVERIFY_RESIDENT,
        4 => return Some(Err(CardIdError::RandomIdentifier)),
        5 => cards::CLASS_WINNER,
        _ => return None,
    };
    Some(CardId::from_hex(Technology::Iso14443A, hex))
}
