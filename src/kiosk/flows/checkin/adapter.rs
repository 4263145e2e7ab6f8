//! The check-in flow's adapter: copies the controller's state into the
//! `CheckIn` global (`ui/checkin.slint`) and forwards its callbacks. No
//! logic: the flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{ResidentLayout, Tone, wording};
use crate::kiosk::controller::{KioskController, Screen, SessionRow};
use crate::kiosk::ui::Shared;
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::CheckIn;
use crate::kiosk::ui::generated::{
    AppWindow, CheckInRow, CheckInScreen, CheckInTone, CheckInWords,
};
/// The resident screens' layout global and its enum, for tests.
pub use crate::kiosk::ui::generated::{Resident, ResidentLayout as UiLayout};

/// The flow's Slint screen for a screen of the registry, `None` outside the flow.
fn ui_screen(s: Screen) -> CheckInScreen {
    match s {
        Screen::Locked => CheckInScreen::Locked,
        Screen::Waiting => CheckInScreen::Waiting,
        Screen::Purpose => CheckInScreen::Purpose,
        Screen::ChooseSession => CheckInScreen::Choose,
        Screen::CheckedIn
        | Screen::AlreadyCheckedIn
        | Screen::UnknownCard
        | Screen::ReverificationDue
        | Screen::NotEligible
        | Screen::SessionFull
        | Screen::NoSession
        | Screen::CardError
        | Screen::KioskFault
        | Screen::ClockUnconfirmed
        | Screen::NoSeat => CheckInScreen::Result,
        _ => CheckInScreen::None,
    }
}

fn tone(t: Tone) -> CheckInTone {
    match t {
        Tone::Ok => CheckInTone::Ok,
        Tone::Again => CheckInTone::Again,
        Tone::Warn => CheckInTone::Warn,
        Tone::Stop => CheckInTone::Stop,
    }
}

fn layout(l: ResidentLayout) -> UiLayout {
    match l {
        ResidentLayout::Normal => UiLayout::Normal,
        ResidentLayout::Large => UiLayout::Large,
    }
}

fn rows(list: &[SessionRow]) -> ModelRc<CheckInRow> {
    let v: Vec<CheckInRow> = list
        .iter()
        .map(|r| CheckInRow {
            id: r.id.as_str().into(),
            time: r.time.as_str().into(),
            title: r.title.as_str().into(),
            text: wording::choice_label(&r.title, &r.time).into(),
        })
        .collect();
    ModelRc::new(VecModel::from(v))
}

/// Copies the flow's state into `CheckIn`; outside the flow the result and
/// the choices are emptied, so no name stays on screen.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<CheckIn>();
    let screen = c.screen();
    // The layout of every resident screen (the classes flow's too); staff
    // screens do not read it.
    window
        .global::<Resident>()
        .set_layout(layout(c.resident_layout()));
    g.set_large_button(c.large_text_button().into());
    g.set_choose_title(c.choose_title().into());
    g.set_purpose_text(c.purpose_text().into());
    g.set_screen(ui_screen(screen));
    g.set_prompt(c.waiting_prompt().into());
    if matches!(screen, Screen::Waiting | Screen::Locked) {
        let list = c.waiting_list();
        g.set_sessions(rows(&list.rows));
        g.set_page_note(
            match c.resident_layout() {
                ResidentLayout::Normal => wording::page_note(&list.page),
                ResidentLayout::Large => wording::page_note_large(&list.page),
            }
            .into(),
        );
        g.set_page(list.page.into());
        g.set_empty(list.empty.into());
    }
    g.set_choices(rows(c.choices()));
    g.set_notice(c.choose_notice().into());
    match c.check_in_text() {
        Some(t) => {
            g.set_tone(tone(t.tone));
            g.set_headline(t.headline.into());
            g.set_name(t.name.as_str().into());
            g.set_detail(t.detail.into());
            g.set_message(t.message.into());
        }
        None => {
            g.set_headline(SharedString::new());
            g.set_name(SharedString::new());
            g.set_detail(SharedString::new());
            g.set_message(SharedString::new());
        }
    }
}

/// Wires `CheckIn`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<CheckIn>();
    let w = wording::WORDS;
    g.set_words(CheckInWords {
        today: w.today.into(),
        page: w.page.into(),
        classes: w.classes.into(),
        purpose: w.purpose.into(),
        staff: w.staff.into(),
        sign_in: w.sign_in.into(),
        locked: w.locked.into(),
        locked_hint: w.locked_hint.into(),
        training: w.training.into(),
        name: w.name.into(),
        back: w.back.into(),
        notice: w.notice.into(),
        choose: w.choose.into(),
        cancel: w.cancel.into(),
    });
    let weak = Rc::downgrade(shared);
    g.on_show_purpose(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.show_purpose());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_back(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.back());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_staff_start(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.staff_start());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_large_text(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.toggle_large_text());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_class_mode(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.class_mode());
        }
    });
    // A resident's choice of session ends like a card tap: its result
    // sounds and lights up the same way.
    let weak = Rc::downgrade(shared);
    g.on_choose(move |id| {
        if let Some(s) = weak.upgrade() {
            s.resident_action(|c| c.choose(&id));
        }
    });
}

/// The registry's screen the window shows, when it is one of this flow's
/// (read back from `CheckIn`, for tests).
pub(in crate::kiosk) fn shown(window: &AppWindow, c: &KioskController) -> Option<Screen> {
    match window.global::<CheckIn>().get_screen() {
        CheckInScreen::None => None,
        CheckInScreen::Locked => Some(Screen::Locked),
        CheckInScreen::Waiting => Some(Screen::Waiting),
        CheckInScreen::Purpose => Some(Screen::Purpose),
        CheckInScreen::Choose => Some(Screen::ChooseSession),
        // Which result: the one the controller put into words.
        CheckInScreen::Result => {
            Some(c.screen()).filter(|s| ui_screen(*s) == CheckInScreen::Result)
        }
    }
}
