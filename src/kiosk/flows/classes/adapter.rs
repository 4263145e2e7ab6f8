//! The classes flow's adapter: copies the controller's state into the
//! `Classes` global (`ui/classes.slint`) and forwards its callbacks. No
//! logic: the flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{ClassRow, SheetView, wording};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::flows::checkin::ResidentLayout;
use crate::kiosk::ui::Shared;
use crate::kiosk::ui::generated::{
    AppWindow, ClassesResult, ClassesScreen, ClassesSheetLine, ClassesWords,
};
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::{Classes, ClassesRow};

/// The flow's Slint screen for a screen of the registry, `None` outside the flow.
fn ui_screen(s: Screen) -> ClassesScreen {
    match s {
        Screen::ClassCard => ClassesScreen::Card,
        Screen::Classes => ClassesScreen::List,
        Screen::ClassApplied => ClassesScreen::Applied,
        Screen::ClassNeedsAddress => ClassesScreen::NeedsAddress,
        Screen::ClassRefused => ClassesScreen::Refused,
        Screen::StaffSheet => ClassesScreen::Sheet,
        _ => ClassesScreen::None,
    }
}

/// A class as the flow's row: its words from [`wording::class_text`].
pub(in crate::kiosk) fn class_row(c: &ClassRow) -> ClassesRow {
    let t = wording::class_text(c);
    ClassesRow {
        id: c.id.as_str().into(),
        title: c.title.as_str().into(),
        dates: t.dates.into(),
        capacity: t.capacity.into(),
        period: t.period.into(),
        text: t.button.into(),
    }
}

fn sheet_lines(v: &SheetView) -> ModelRc<ClassesSheetLine> {
    let lines: Vec<ClassesSheetLine> = v
        .rows()
        .iter()
        .map(|r| ClassesSheetLine {
            who: wording::sheet_who(r).into(),
            marks: wording::sheet_marks(r).into(),
            to_call: SheetView::to_call(r),
        })
        .collect();
    ModelRc::new(VecModel::from(lines))
}

/// Copies the flow's state into `Classes`; outside the flow every list and
/// line is emptied, so no result or name stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Classes>();
    g.set_screen(ui_screen(c.screen()));
    let flow = c.classes();
    let page = flow.page();
    let large = c.resident_layout() == ResidentLayout::Large;
    let results: Vec<ClassesResult> = page
        .results
        .iter()
        .map(|r| ClassesResult {
            label: if large {
                wording::result_label_large(r)
            } else {
                wording::result_label(r)
            }
            .into(),
            message: if large {
                wording::result_message_large(r)
            } else {
                wording::result_message(r)
            }
            .into(),
        })
        .collect();
    g.set_results(ModelRc::new(VecModel::from(results)));
    let classes: Vec<ClassesRow> = page
        .classes
        .iter()
        .map(|row| {
            let mut r = class_row(row);
            if large {
                r.text = wording::class_button_large(row).into();
            }
            r
        })
        .collect();
    g.set_classes(ModelRc::new(VecModel::from(classes)));
    let has_classes = !flow.classes().is_empty();
    g.set_prompt(match (c.screen() == Screen::Classes, large) {
        (false, _) => SharedString::new(),
        (true, false) => wording::list_prompt(has_classes).into(),
        (true, true) => wording::list_prompt_large(has_classes).into(),
    });
    let w = wording::WORDS;
    let (hint, results_title) = if large {
        let l = wording::LARGE_WORDS;
        (l.card_hint, l.results)
    } else {
        (w.card_hint, w.results)
    };
    g.set_card_hint(hint.into());
    g.set_results_title(results_title.into());
    g.set_says_classes(page.says_classes);
    g.set_page(page.page.into());
    g.set_has_prev(page.has_prev);
    g.set_has_next(page.has_next);
    let text = flow
        .applied()
        .map(|(title, o)| {
            if large {
                wording::outcome_large(title, o)
            } else {
                wording::outcome(title, o)
            }
        })
        .unwrap_or_default();
    g.set_headline(text.headline.into());
    g.set_detail(text.detail.into());
    g.set_entry(text.entry.into());
    g.set_entry_number(text.entry_number.into());
    g.set_message(text.message.into());
    match c.sheet() {
        Some(v) => {
            g.set_sheet_summary(wording::sheet_summary(&v.sheet).into());
            g.set_sheet_lines(sheet_lines(v));
            g.set_sheet_page(v.page_label().into());
        }
        None => {
            g.set_sheet_summary(SharedString::new());
            g.set_sheet_lines(ModelRc::default());
            g.set_sheet_page(SharedString::new());
        }
    }
}

/// Wires `Classes`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Classes>();
    let w = wording::WORDS;
    g.set_words(ClassesWords {
        card: w.card.into(),
        card_hint: w.card_hint.into(),
        back: w.back.into(),
        results: w.results.into(),
        prev: w.prev.into(),
        prev_label: w.prev_label.into(),
        next: w.next.into(),
        next_label: w.next_label.into(),
        page: w.page.into(),
        applied: w.applied.into(),
        entry: w.entry.into(),
        sheet_summary: w.sheet_summary.into(),
        sheet_empty: w.sheet_empty.into(),
        sheet_prev: w.sheet_prev.into(),
        sheet_prev_label: w.sheet_prev_label.into(),
        sheet_next: w.sheet_next.into(),
        sheet_next_label: w.sheet_next_label.into(),
    });
    let weak = Rc::downgrade(shared);
    g.on_back(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.back());
        }
    });
    // A resident's application to a class ends like a card tap: its result
    // sounds and lights up the same way.
    let weak = Rc::downgrade(shared);
    g.on_apply(move |id| {
        if let Some(s) = weak.upgrade() {
            s.resident_action(|c| c.apply_class(&id));
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_page_step(move |d| {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.class_page_step(d));
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_sheet_back(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.sheet_back());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_sheet_page_step(move |d| {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.sheet_page(d));
        }
    });
}

/// The registry's screen the window shows, when it is one of this flow's
/// (read back from `Classes`, for tests).
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Classes>().get_screen() {
        ClassesScreen::None => None,
        ClassesScreen::Card => Some(Screen::ClassCard),
        ClassesScreen::List => Some(Screen::Classes),
        ClassesScreen::Applied => Some(Screen::ClassApplied),
        ClassesScreen::NeedsAddress => Some(Screen::ClassNeedsAddress),
        ClassesScreen::Refused => Some(Screen::ClassRefused),
        ClassesScreen::Sheet => Some(Screen::StaffSheet),
    }
}
