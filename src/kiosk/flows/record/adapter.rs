//! The record flow's adapter: copies the flow's state into the `Record`
//! global (`ui/record.slint`) and forwards its callbacks. No logic: the flow
//! decides in `mod.rs`, the words are in `wording.rs`. The keys come from
//! the shared on-screen keyboards (`Kiosk.key`), routed by the controller;
//! the name entry (names.slint) is shared with the registration and filled
//! by `ui.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{Edit, EditField, RecordFlow, wording};
use crate::kiosk::controller::{AddressStep, KioskController, NumberField, Screen, SessionRow};
use crate::kiosk::flows::classes;
use crate::kiosk::ui::generated::{AppWindow, RecordItem, RecordWords};
/// The flow's global and its enums, for tests.
pub use crate::kiosk::ui::generated::{
    Record, RecordAddressField, RecordAddressStep, RecordEdit, RecordScreen,
};
use crate::kiosk::ui::{Shared, wire};

fn ui_screen(s: Screen) -> RecordScreen {
    match s {
        Screen::StaffSearch => RecordScreen::Search,
        Screen::StaffRecord => RecordScreen::Record,
        Screen::StaffCorrect => RecordScreen::Correct,
        Screen::StaffEditMenu => RecordScreen::EditMenu,
        Screen::StaffConfirmDelete => RecordScreen::ConfirmDelete,
        Screen::StaffCards => RecordScreen::Cards,
        Screen::StaffClasses => RecordScreen::Classes,
        _ => RecordScreen::None,
    }
}

fn items(list: impl Iterator<Item = RecordItem>) -> ModelRc<RecordItem> {
    ModelRc::new(VecModel::from(list.collect::<Vec<_>>()))
}

fn ui_edit(f: Option<EditField>) -> RecordEdit {
    match f {
        None => RecordEdit::None,
        Some(EditField::Name) => RecordEdit::Name,
        Some(EditField::Phone) => RecordEdit::Phone,
        Some(EditField::Address) => RecordEdit::Address,
    }
}

/// Copies the flow's state into `Record`; when the flow is closed every
/// text and list is emptied, so nothing typed or shown stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Record>();
    let screen = c.screen();
    g.set_screen(ui_screen(screen));
    let empty = RecordFlow::default();
    let s = c.search().unwrap_or(&empty);
    g.set_message(s.message.as_str().into());
    g.set_by_phone(s.by_phone);
    g.set_query_caption(
        if s.by_phone {
            wording::PHONE_CAPTION
        } else {
            wording::KANA_CAPTION
        }
        .into(),
    );
    g.set_toggle(
        if s.by_phone {
            wording::TO_KANA
        } else {
            wording::TO_PHONE
        }
        .into(),
    );
    g.set_query(s.query.as_str().into());
    g.set_searched(s.searched);
    g.set_results_heading(
        if s.message.is_empty() {
            wording::CHOOSE_PERSON
        } else {
            s.message.as_str()
        }
        .into(),
    );
    g.set_hits(items(s.hits.iter().map(|h| RecordItem {
        id: h.id.as_str().into(),
        label: h.label.as_str().into(),
    })));
    let record = s.record.as_ref();
    g.set_record_text(record.map(|r| r.text.as_str()).unwrap_or_default().into());
    let choices: &[SessionRow] = if record.is_some() {
        c.record_choices()
    } else {
        &[]
    };
    g.set_choices(items(choices.iter().map(|r| RecordItem {
        id: r.id.as_str().into(),
        label: wording::check_in_to(&r.title).into(),
    })));
    g.set_confirm_seat(c.confirm_check_in_pending());
    let has_address = c.record_has_address();
    g.set_has_address(has_address);
    g.set_address_action(
        if has_address {
            wording::EDIT_ADDRESS
        } else {
            wording::ADD_ADDRESS
        }
        .into(),
    );
    g.set_menu_guide(
        if s.message.is_empty() {
            wording::ADDRESS_RULE
        } else {
            s.message.as_str()
        }
        .into(),
    );
    g.set_delete_question(
        record
            .map(|r| wording::delete_question(r.name.as_str()))
            .unwrap_or_default()
            .into(),
    );
    g.set_edit(ui_edit(s.edit.as_ref().map(Edit::field)));
    g.set_edit_text(match &s.edit {
        Some(Edit::Phone(t)) => t.as_str().into(),
        _ => SharedString::new(),
    });
    match c.address_entry() {
        Some(a) => {
            g.set_address_step(match a.step {
                AddressStep::Numbers => RecordAddressStep::Numbers,
                AddressStep::Building => RecordAddressStep::Building,
            });
            g.set_address_field(match a.field {
                NumberField::Block => RecordAddressField::Block,
                NumberField::Room => RecordAddressField::Room,
            });
            g.set_block_caption(wording::block_caption(&a.town).into());
            g.set_address_block(a.block.as_str().into());
            g.set_address_room(a.room.as_str().into());
            let warns = !s.message.is_empty();
            g.set_address_guide(if warns { s.message.clone() } else { a.hint() }.into());
            g.set_address_guide_warns(warns);
        }
        None => {
            g.set_address_step(RecordAddressStep::Numbers);
            g.set_block_caption(SharedString::new());
            g.set_address_block(SharedString::new());
            g.set_address_room(SharedString::new());
            g.set_address_guide(SharedString::new());
            g.set_address_guide_warns(false);
        }
    }
    g.set_building_action(
        if s.apply_to.is_some() {
            wording::APPLY_WITH_ADDRESS
        } else {
            wording::SAVE_ADDRESS
        }
        .into(),
    );
    // The classes on the person's behalf, in the classes flow's words.
    let classes: Vec<_> = s.classes.iter().map(classes::adapter::class_row).collect();
    g.set_classes(ModelRc::new(VecModel::from(classes)));
    g.set_cards(items(s.cards.iter().map(|r| RecordItem {
        id: r.id.as_str().into(),
        label: r.label.as_str().into(),
    })));
    let waiting = c.card_waiting();
    g.set_cards_waiting(waiting);
    g.set_cards_empty(
        if s.cards.is_empty() && !waiting {
            wording::NO_CARDS
        } else {
            ""
        }
        .into(),
    );
}

/// Sets the words and wires `Record`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Record>();
    g.set_words(RecordWords {
        back: wording::BACK.into(),
        search: wording::SEARCH.into(),
        search_label: wording::SEARCH_LABEL.into(),
        toggle_label: wording::TOGGLE_LABEL.into(),
        guide_label: wording::GUIDE_LABEL.into(),
        record_label: wording::RECORD_LABEL.into(),
        check_in_anyway: wording::CHECK_IN_ANYWAY.into(),
        cancel: wording::CANCEL.into(),
        edit_menu: wording::EDIT_MENU.into(),
        cards: wording::CARDS.into(),
        reverify: wording::REVERIFY.into(),
        apply: wording::APPLY.into(),
        choose_field: wording::CHOOSE_FIELD.into(),
        edit_name: wording::EDIT_NAME.into(),
        edit_phone: wording::EDIT_PHONE.into(),
        remove_address: wording::REMOVE_ADDRESS.into(),
        disclose: wording::DISCLOSE.into(),
        disclose_label: wording::DISCLOSE_LABEL.into(),
        delete: wording::DELETE.into(),
        delete_question_label: wording::DELETE_QUESTION_LABEL.into(),
        delete_explained: wording::DELETE_EXPLAINED.into(),
        delete_confirm: wording::DELETE_CONFIRM.into(),
        delete_confirm_label: wording::DELETE_CONFIRM_LABEL.into(),
        correct: wording::CORRECT.into(),
        new_phone: wording::NEW_PHONE.into(),
        room_caption: wording::ROOM_CAPTION.into(),
        to_building: wording::TO_BUILDING.into(),
        to_building_label: wording::TO_BUILDING_LABEL.into(),
        building_caption: wording::BUILDING_CAPTION.into(),
        building_kana_caption: wording::BUILDING_KANA_CAPTION.into(),
        unlink: wording::UNLINK.into(),
        replace: wording::REPLACE.into(),
        add_card: wording::ADD_CARD.into(),
        touch_card: wording::TOUCH_CARD.into(),
    });
    wire!(g, shared, on_cancel, |c| c.cancel());
    wire!(g, shared, on_submit, |c| c.submit());
    wire!(g, shared, on_toggle_way, |c| c.search_toggle());
    wire!(g, shared, on_open, |c, id| c.search_open(&id));
    wire!(g, shared, on_check_in, |c, id| c.check_in_by_hand(&id));
    wire!(g, shared, on_confirm_check_in, |c| c.confirm_check_in());
    wire!(g, shared, on_edit_menu, |c| c.edit_menu());
    wire!(g, shared, on_cards_open, |c| c.cards_start());
    wire!(g, shared, on_reverify, |c| c.reverify_start());
    wire!(g, shared, on_apply, |c| c.staff_classes_start());
    wire!(g, shared, on_edit_start, |c, f| match f {
        RecordEdit::Name => c.edit_start(EditField::Name),
        RecordEdit::Phone => c.edit_start(EditField::Phone),
        RecordEdit::Address => c.edit_start(EditField::Address),
        RecordEdit::None => {}
    });
    wire!(g, shared, on_address_remove, |c| c.address_remove());
    wire!(g, shared, on_delete, |c| c.delete_start());
    wire!(g, shared, on_delete_confirm, |c| c.delete_confirm());
    wire!(g, shared, on_address_focus, |c, f| c.address_focus(
        match f {
            RecordAddressField::Block => NumberField::Block,
            RecordAddressField::Room => NumberField::Room,
        }
    ));
    wire!(g, shared, on_card_unlink, |c, id| c.card_unlink(&id));
    wire!(g, shared, on_card_replace, |c, id| c.card_replace(&id));
    wire!(g, shared, on_card_add, |c| c.card_add());
    wire!(g, shared, on_apply_to, |c, id| c.staff_apply(&id));
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Record>().get_screen() {
        RecordScreen::None => None,
        RecordScreen::Search => Some(Screen::StaffSearch),
        RecordScreen::Record => Some(Screen::StaffRecord),
        RecordScreen::Correct => Some(Screen::StaffCorrect),
        RecordScreen::EditMenu => Some(Screen::StaffEditMenu),
        RecordScreen::ConfirmDelete => Some(Screen::StaffConfirmDelete),
        RecordScreen::Cards => Some(Screen::StaffCards),
        RecordScreen::Classes => Some(Screen::StaffClasses),
    }
}
