//! 「名簿の取り込み」's adapter: copies the flow's state into the `Roster`
//! global (`ui/roster.slint`) and forwards its callbacks. No logic: the
//! flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{Step, wording};
use crate::kiosk::controller::{KioskController, Screen};
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::Roster;
use crate::kiosk::ui::generated::{AppWindow, RosterFile, RosterRow, RosterStep, RosterWords};
use crate::kiosk::ui::{Shared, wire};

fn ui_step(s: Step) -> RosterStep {
    match s {
        Step::Insert => RosterStep::Insert,
        Step::NoFiles => RosterStep::NoFiles,
        Step::Choose => RosterStep::Choose,
        Step::Problems => RosterStep::Problems,
        Step::Differences => RosterStep::Differences,
        Step::Imported => RosterStep::Imported,
        Step::Failed => RosterStep::Failed,
    }
}

/// Copies the flow's state into `Roster`; outside the flow every list is
/// emptied, so no name stays in the window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Roster>();
    g.set_available(c.roster_available());
    let on = c.screen() == Screen::StaffRoster;
    let flow = c.roster();
    let step = flow.step();
    g.set_step(if on { ui_step(step) } else { RosterStep::None });
    let files: Vec<RosterFile> = if on {
        flow.page_files()
            .into_iter()
            .map(|(i, f)| RosterFile {
                index: i32::try_from(i).unwrap_or(i32::MAX),
                label: wording::file_label(f).into(),
            })
            .collect()
    } else {
        Vec::new()
    };
    g.set_files(ModelRc::new(VecModel::from(files)));
    let rows: Vec<RosterRow> = if on {
        flow.page_lines()
            .iter()
            .map(|l| {
                let t = wording::row(l);
                RosterRow {
                    tag: t.tag.into(),
                    head: t.head.into(),
                    sub: t.sub.into(),
                    label: t.label.into(),
                    name: t.name.into(),
                    kana: t.kana.into(),
                    detail: t.detail.into(),
                    warns: t.warns,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    g.set_rows(ModelRc::new(VecModel::from(rows)));
    let (summary, guide, warns) = if !on {
        (String::new(), String::new(), false)
    } else {
        let counts = flow.counts();
        match step {
            Step::Insert => (String::new(), wording::INSERT.to_owned(), false),
            Step::NoFiles => (String::new(), wording::NO_FILES.to_owned(), true),
            Step::Choose => (String::new(), wording::CHOOSE.to_owned(), false),
            Step::Problems => (
                counts.map(wording::problems_summary).unwrap_or_default(),
                wording::PROBLEMS_GUIDE.to_owned(),
                true,
            ),
            Step::Differences => (
                counts.map(wording::differences_summary).unwrap_or_default(),
                counts.map(wording::differences_guide).unwrap_or_default(),
                counts.is_some_and(|c| c.linked > 0),
            ),
            Step::Imported => (
                counts.map(wording::imported_summary).unwrap_or_default(),
                wording::imported_guide(flow.source().map_or("", |s| s.medium.as_str())),
                false,
            ),
            Step::Failed => (
                String::new(),
                flow.failure().map(wording::failure).unwrap_or_default(),
                true,
            ),
        }
    };
    g.set_summary(summary.into());
    g.set_guide(guide.into());
    g.set_guide_warns(warns);
    let pages = flow.pages();
    g.set_page(if on {
        wording::page(flow.page(), pages).into()
    } else {
        SharedString::new()
    });
    g.set_has_prev(on && flow.page() > 0);
    g.set_has_next(on && flow.page() + 1 < pages);
    g.set_paged(on && pages > 1);
    g.set_can_import(on && flow.can_import());
    g.set_can_scan(
        on && matches!(
            step,
            Step::Insert | Step::NoFiles | Step::Choose | Step::Failed
        ),
    );
    g.set_back_text(wording::back(step).into());
}

/// Wires `Roster`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Roster>();
    g.set_words(RosterWords {
        open: wording::OPEN.into(),
        scan: wording::SCAN.into(),
        import: wording::IMPORT.into(),
        prev: wording::PREV.into(),
        next: wording::NEXT.into(),
    });
    wire!(g, shared, on_open, |c| c.roster_open());
    wire!(g, shared, on_back, |c| c.roster_back());
    wire!(g, shared, on_scan, |c| c.roster_scan());
    wire!(g, shared, on_choose, |c, i| c
        .roster_choose(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_page_step, |c, d| c.roster_page(d));
    wire!(g, shared, on_import, |c| c.roster_import());
}

/// The registry's screen the window shows, when it is this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Roster>().get_step() {
        RosterStep::None => None,
        _ => Some(Screen::StaffRoster),
    }
}
