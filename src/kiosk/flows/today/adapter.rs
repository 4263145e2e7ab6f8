//! 「今日の受付」's adapter: copies the flow's state into the `Today` global
//! (`ui/today.slint`) and forwards its callbacks. No logic: the flow decides
//! in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::wording::{self, Button};
use crate::kiosk::controller::{KioskController, Screen, SessionRow};
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::Today;
use crate::kiosk::ui::generated::{AppWindow, TodayButton, TodayRow, TodayScreen, TodayWords};
use crate::kiosk::ui::{Shared, strings, wire};
use crate::store::sessions::Program;

fn ui_screen(s: Screen) -> TodayScreen {
    match s {
        Screen::StaffToday => TodayScreen::List,
        Screen::StaffAddSession => TodayScreen::AddSession,
        _ => TodayScreen::None,
    }
}

fn button(b: Button) -> TodayButton {
    TodayButton {
        text: b.text.into(),
        label: b.label.into(),
    }
}

fn ui_row(r: &SessionRow) -> TodayRow {
    let detail = if r.count == 0 {
        wording::NOBODY_YET
    } else {
        r.names.as_str()
    };
    TodayRow {
        id: r.id.as_str().into(),
        time: r.time.as_str().into(),
        title: r.title.as_str().into(),
        count: i32::try_from(r.count).unwrap_or(i32::MAX),
        count_label: wording::count(r.count).into(),
        count_description: wording::count_description(&r.title, r.count).into(),
        names: r.names.as_str().into(),
        detail: detail.into(),
        class_id: r.class_id.as_str().into(),
        sheet_label: wording::sheet_label(&r.title).into(),
    }
}

/// Copies the flow's state into `Today`; outside the flow the list is
/// emptied, so no name stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Today>();
    let screen = ui_screen(c.screen());
    g.set_screen(screen);
    let rows: Vec<TodayRow> = if screen == TodayScreen::None {
        Vec::new()
    } else {
        c.today_rows().iter().map(ui_row).collect()
    };
    g.set_rows(ModelRc::new(VecModel::from(rows)));
    g.set_clock_question(c.clock_question().into());
    g.set_message(if screen == TodayScreen::None {
        SharedString::new()
    } else {
        c.staff_message().into()
    });
    g.set_handles_people(c.staff_handles_people());
    let form = c.form();
    g.set_program(
        Program::ALL
            .iter()
            .position(|p| *p == form.program)
            .unwrap_or(0) as i32,
    );
    g.set_title(form.title as i32);
    g.set_time(wording::time_range(form.start, form.end()).into());
}

/// Sets the words and lists, and wires `Today`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Today>();
    g.set_words(TodayWords {
        empty: wording::EMPTY.into(),
        sheet: wording::SHEET.into(),
        clock_ok: wording::CLOCK_OK.into(),
        search: button(wording::SEARCH),
        register: button(wording::REGISTER),
        add_session: button(wording::ADD_SESSION),
        report: button(wording::REPORT),
        oversight: button(wording::OVERSIGHT),
        sign_out: button(wording::SIGN_OUT),
        start_earlier: button(wording::START_EARLIER),
        start_later: button(wording::START_LATER),
        shorter: button(wording::SHORTER),
        longer: button(wording::LONGER),
        time_label: wording::TIME_LABEL.into(),
        cancel: wording::CANCEL.into(),
        add: wording::ADD.into(),
    });
    let programs: Vec<&str> = Program::ALL.iter().map(|p| p.label()).collect();
    g.set_programs(strings(&programs));
    g.set_titles(strings(&wording::SESSION_TITLES));
    wire!(g, shared, on_clock_confirm, |c| c.clock_confirm());
    wire!(g, shared, on_search, |c| c.search_start());
    wire!(g, shared, on_register, |c| c.register_start());
    wire!(g, shared, on_add_session, |c| c.add_session_start());
    wire!(g, shared, on_sign_out, |c| c.sign_out());
    wire!(g, shared, on_sheet_open, |c, id| c.sheet_open(&id));
    wire!(g, shared, on_program_set, |c, i| c
        .form_program(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_title_set, |c, i| c
        .form_title(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_start_earlier, |c| c.form_start(-1));
    wire!(g, shared, on_start_later, |c| c.form_start(1));
    wire!(g, shared, on_shorter, |c| c.form_length(-1));
    wire!(g, shared, on_longer, |c| c.form_length(1));
    wire!(g, shared, on_add, |c| c.add_session());
    wire!(g, shared, on_cancel, |c| c.cancel());
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Today>().get_screen() {
        TodayScreen::None => None,
        TodayScreen::List => Some(Screen::StaffToday),
        TodayScreen::AddSession => Some(Screen::StaffAddSession),
    }
}
