//! 「グループの受付」's adapter: copies the flow's state into the `Groups`
//! global (`ui/groups.slint`) and forwards its callbacks. No logic: the
//! flow decides in `mod.rs`, the words are in `wording.rs`. In
//! representative mode the rows carry no phone: the controller dropped
//! them, and this copies an empty string.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::wording;
use crate::kiosk::controller::{KioskController, Screen};
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::Groups;
use crate::kiosk::ui::generated::{
    AppWindow, GroupsMeeting, GroupsMember, GroupsScreen, GroupsWords,
};
use crate::kiosk::ui::{Shared, wire};

fn ui_screen(s: Screen) -> GroupsScreen {
    match s {
        Screen::StaffGroups => GroupsScreen::Menu,
        Screen::StaffGroupMembers => GroupsScreen::Members,
        Screen::GroupRepresentative => GroupsScreen::Representative,
        _ => GroupsScreen::None,
    }
}

/// Copies the flow's state into `Groups`; outside the flow every list is
/// emptied, so no name stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Groups>();
    let screen = c.screen();
    g.set_available(c.groups_available());
    g.set_screen(ui_screen(screen));
    let flow = c.groups();
    let in_flow = ui_screen(screen) != GroupsScreen::None;
    let meetings: Vec<GroupsMeeting> = if screen == Screen::StaffGroups {
        flow.meetings()
            .iter()
            .map(|m| GroupsMeeting {
                id: m.session_id.as_str().into(),
                label: wording::meeting_label(m).into(),
            })
            .collect()
    } else {
        Vec::new()
    };
    g.set_meetings(ModelRc::new(VecModel::from(meetings)));
    let members: Vec<GroupsMember> = if in_flow && screen != Screen::StaffGroups {
        flow.page_rows()
            .iter()
            .map(|r| GroupsMember {
                id: r.participant_id.as_str().into(),
                label: wording::row_label(r).into(),
                kana: r.kana.as_str().into(),
                name: r.name.as_str().into(),
                // `None` in representative mode: nothing to copy.
                phone: wording::phone(r).into(),
                status: wording::status(r).into(),
                done: r.checked_in,
                card: wording::card(r).into(),
            })
            .collect()
    } else {
        Vec::new()
    };
    g.set_members(ModelRc::new(VecModel::from(members)));
    let (guide, empty) = match screen {
        Screen::StaffGroups => (wording::MENU_GUIDE, wording::NO_MEETINGS),
        Screen::StaffGroupMembers => (wording::STAFF_GUIDE, wording::NO_MEMBERS),
        Screen::GroupRepresentative => (wording::REPRESENTATIVE_GUIDE, wording::NO_MEMBERS),
        _ => ("", ""),
    };
    g.set_guide(guide.into());
    g.set_empty(empty.into());
    g.set_summary(
        match flow.open_meeting() {
            Some(m) if in_flow && screen != Screen::StaffGroups => {
                wording::list_summary(m, flow.members().len())
            }
            _ => String::new(),
        }
        .into(),
    );
    match flow.notice().filter(|_| in_flow) {
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
    let pages = flow.pages();
    g.set_page(wording::page(flow.page(), pages).into());
    g.set_has_prev(flow.page() > 0);
    g.set_has_next(flow.page() + 1 < pages);
    g.set_can_hand_over(screen == Screen::StaffGroupMembers && flow.can_hand_over());
}

/// Wires `Groups`' callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Groups>();
    g.set_words(GroupsWords {
        open: wording::OPEN.into(),
        open_label: wording::OPEN_LABEL.into(),
        watch: wording::WATCH.into(),
        back: wording::BACK.into(),
        prev: wording::PREV.into(),
        next: wording::NEXT.into(),
        hand_over: wording::HAND_OVER.into(),
        hand_back: wording::HAND_BACK.into(),
    });
    wire!(g, shared, on_open, |c| c.groups_open());
    wire!(g, shared, on_back, |c| c.groups_back());
    wire!(g, shared, on_watch, |c| c.mimamori_open());
    wire!(g, shared, on_choose, |c, id| c.groups_choose(&id));
    wire!(g, shared, on_check_in, |c, id| c.groups_check_in(&id));
    wire!(g, shared, on_page_step, |c, d| c.groups_page(d));
    wire!(g, shared, on_hand_over, |c| c.groups_hand_over());
    wire!(g, shared, on_hand_back, |c| c.groups_hand_back());
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Groups>().get_screen() {
        GroupsScreen::None => None,
        GroupsScreen::Menu => Some(Screen::StaffGroups),
        GroupsScreen::Members => Some(Screen::StaffGroupMembers),
        GroupsScreen::Representative => Some(Screen::GroupRepresentative),
    }
}
