//! 「おやすみが続いている方」's adapter: copies the flow's state into the
//! `Mimamori` global (`ui/mimamori.slint`) and forwards its callbacks. No
//! logic: the flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::wording;
use crate::kiosk::controller::{KioskController, Screen};
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::Mimamori;
use crate::kiosk::ui::generated::{AppWindow, MimamoriRow, MimamoriScreen, MimamoriWords};
use crate::kiosk::ui::{Shared, strings, wire};
use crate::store::mimamori::{NO_ANSWER_REMINDER, Outcome, WatchEntry};

fn ui_screen(s: Screen) -> MimamoriScreen {
    match s {
        Screen::StaffWatch => MimamoriScreen::List,
        Screen::StaffWatchCall => MimamoriScreen::Call,
        _ => MimamoriScreen::None,
    }
}

fn row(e: &WatchEntry) -> MimamoriRow {
    MimamoriRow {
        id: e.candidate.participant_id.as_str().into(),
        label: wording::row_label(e).into(),
        who: wording::who(e).into(),
        phone: wording::phone_line(e).into(),
        detail: wording::detail(e).into(),
        remind: e.candidate.no_answer >= NO_ANSWER_REMINDER,
    }
}

/// Copies the flow's state into `Mimamori`; outside the flow every list and
/// the person are emptied, so no name or phone stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Mimamori>();
    let screen = c.screen();
    g.set_screen(ui_screen(screen));
    let flow = c.mimamori();
    let rows: Vec<MimamoriRow> = if screen == Screen::StaffWatch {
        flow.page_entries().iter().map(row).collect()
    } else {
        Vec::new()
    };
    g.set_rows(ModelRc::new(VecModel::from(rows)));
    let pages = flow.pages();
    g.set_page(wording::page(flow.page(), pages).into());
    g.set_has_prev(flow.page() > 0);
    g.set_has_next(flow.page() + 1 < pages);
    g.set_guide(
        if flow.entries().is_empty() {
            ""
        } else {
            wording::LIST_GUIDE
        }
        .into(),
    );
    g.set_empty(wording::EMPTY.into());
    let call = screen == Screen::StaffWatchCall;
    match flow.chosen().filter(|_| call) {
        Some(e) => g.set_person(row(e)),
        None => g.set_person(MimamoriRow::default()),
    }
    g.set_outcome(
        flow.outcome()
            .and_then(|o| Outcome::ALL.iter().position(|x| *x == o))
            .map_or(-1, |i| i as i32),
    );
    let today = c.store().clock().today();
    g.set_day(
        match flow.day().filter(|_| call) {
            Some(d) => wording::day(d, today),
            None => String::new(),
        }
        .into(),
    );
    g.set_can_earlier(flow.can_go_earlier());
    g.set_can_later(flow.can_go_later());
    match flow.notice().filter(|_| call) {
        Some(n) => {
            let (text, warns) = wording::notice(n);
            g.set_notice(text.into());
            g.set_notice_warns(warns);
        }
        None => {
            g.set_notice(SharedString::new());
            g.set_notice_warns(false);
        }
    }
    g.set_reminder(
        if call && flow.reminds() {
            c.mimamori_reminder()
        } else {
            String::new()
        }
        .into(),
    );
}

/// Wires `Mimamori`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Mimamori>();
    g.set_words(MimamoriWords {
        back: wording::BACK.into(),
        prev: wording::PREV.into(),
        next: wording::NEXT.into(),
        earlier: wording::EARLIER.into(),
        later: wording::LATER.into(),
        record: wording::RECORD.into(),
        outcome_caption: wording::OUTCOME_CAPTION.into(),
        day_caption: wording::DAY_CAPTION.into(),
    });
    let labels: Vec<&str> = Outcome::ALL.iter().map(|o| o.label()).collect();
    g.set_outcomes(strings(&labels));
    wire!(g, shared, on_back, |c| c.mimamori_back());
    wire!(g, shared, on_choose, |c, id| c.mimamori_choose(&id));
    wire!(g, shared, on_page_step, |c, d| c.mimamori_page(d));
    wire!(g, shared, on_set_outcome, |c, i| c
        .mimamori_outcome(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_day_step, |c, d| c.mimamori_day(i64::from(d)));
    wire!(g, shared, on_record, |c| c.mimamori_record());
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Mimamori>().get_screen() {
        MimamoriScreen::None => None,
        MimamoriScreen::List => Some(Screen::StaffWatch),
        MimamoriScreen::Call => Some(Screen::StaffWatchCall),
    }
}
