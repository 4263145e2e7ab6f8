//! 「事故・点検」's adapter: copies the flow's [`super::Oversight`] (with its
//! [`Retention`]) or [`IncidentForm`] into the `Oversight` global
//! (`ui/oversight.slint`) and forwards its callbacks. No logic: the flow
//! decides in `mod.rs` and `retention.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::retention::{Retention, RetentionStep};
use super::wording::{self, WORDS};
use super::{IncidentForm, IncidentStep};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{AppWindow, OversightIncident, OversightMeasure, OversightWords};
/// The flow's global and its step enum, for tests.
pub use crate::kiosk::ui::generated::{Oversight, OversightStep};
use crate::kiosk::ui::{Shared, strings, wire};
use crate::store::incidents::{IncidentKind, Measure};

/// Copies the state into the global; off the flow's screens it is emptied,
/// so nothing stays on screen after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Oversight>();
    let kinds: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.label()).collect();
    g.set_kinds(strings(&kinds));
    let form = c
        .incident_form()
        .filter(|_| c.screen() == Screen::StaffIncident);
    let menu = c
        .oversight()
        .filter(|_| c.screen() == Screen::StaffOversight);
    g.set_measures(measures(form));
    if let Some(f) = form {
        show_form(&g, f);
    } else if let Some(o) = menu {
        show_menu(&g, o);
    } else {
        clear(&g);
    }
}

/// The measures' buttons, chosen as on the form.
fn measures(form: Option<&IncidentForm>) -> ModelRc<OversightMeasure> {
    ModelRc::new(VecModel::from(
        Measure::ALL
            .iter()
            .map(|m| {
                let on = form.is_some_and(|f| f.measures.contains(m));
                OversightMeasure {
                    text: m.short().into(),
                    label: wording::measure_label(m.short(), on).into(),
                    on,
                }
            })
            .collect::<Vec<_>>(),
    ))
}

fn show_menu(g: &Oversight<'_>, o: &super::Oversight) {
    g.set_reporting(o.reporting);
    g.set_manager(o.manager);
    g.set_handles_people(o.handles_people);
    if let Some(r) = &o.retention {
        show_retention(g, r);
        return;
    }
    g.set_step(if o.summary_page.is_some() {
        OversightStep::Summary
    } else {
        OversightStep::Menu
    });
    g.set_lines(strings(o.visible_summary()));
    g.set_rows(ModelRc::default());
    g.set_page_info(wording::page(o.summary_page.unwrap_or(0), o.summary_pages()).into());
    g.set_message(o.message.as_str().into());
    g.set_incidents(ModelRc::new(VecModel::from(
        o.incidents
            .iter()
            .map(|(_, t)| OversightIncident {
                text: t.as_str().into(),
                label: wording::incident_label(t).into(),
            })
            .collect::<Vec<_>>(),
    )));
}

fn show_retention(g: &Oversight<'_>, r: &Retention) {
    g.set_step(match r.step {
        RetentionStep::List => OversightStep::Retention,
        RetentionStep::Confirm => OversightStep::RetentionConfirm,
        RetentionStep::Done => OversightStep::RetentionDone,
    });
    g.set_lines(strings(&r.lines()));
    g.set_rows(strings(&r.rows()));
    g.set_page_info(wording::page(r.page, r.pages()).into());
    g.set_message(r.message.as_str().into());
    g.set_incidents(ModelRc::default());
}

fn show_form(g: &Oversight<'_>, f: &IncidentForm) {
    g.set_step(match f.step {
        IncidentStep::Kind => OversightStep::Kind,
        IncidentStep::Details => OversightStep::Details,
        IncidentStep::Measures => OversightStep::Measures,
        IncidentStep::Confirm => OversightStep::Confirm,
        IncidentStep::Done => OversightStep::Done,
    });
    g.set_lines(strings(&f.summary()));
    g.set_message(f.message.as_str().into());
    g.set_occurred(f.occurred_label().into());
    g.set_found(f.found_label().into());
    g.set_people(f.people_label().into());
}

fn clear(g: &Oversight<'_>) {
    g.set_step(OversightStep::None);
    g.set_reporting(false);
    g.set_manager(false);
    g.set_handles_people(false);
    g.set_lines(ModelRc::default());
    g.set_rows(ModelRc::default());
    g.set_page_info(SharedString::new());
    g.set_message(SharedString::new());
    g.set_incidents(ModelRc::default());
    g.set_occurred(SharedString::new());
    g.set_found(SharedString::new());
    g.set_people(SharedString::new());
}

fn words() -> OversightWords {
    let w = &WORDS;
    OversightWords {
        back: w.back.into(),
        record: w.record.into(),
        summary: w.summary.into(),
        training: w.training.into(),
        handling_last_month: w.handling_last_month.into(),
        handling_last_month_label: w.handling_last_month_label.into(),
        handling_this_year: w.handling_this_year.into(),
        handling_this_year_label: w.handling_this_year_label.into(),
        roster: w.roster.into(),
        roster_label: w.roster_label.into(),
        incidents_caption: w.incidents_caption.into(),
        retention: w.retention.into(),
        erasure: w.erasure.into(),
        handler_guide: w.handler_guide.into(),
        page_previous: w.page_previous.into(),
        page_previous_label: w.page_previous_label.into(),
        page_next: w.page_next.into(),
        page_next_label: w.page_next_label.into(),
        page_label: w.page_label.into(),
        occurred: w.occurred.into(),
        found: w.found.into(),
        people: w.people.into(),
        day_less: w.day_less.into(),
        day_more: w.day_more.into(),
        people_less: w.people_less.into(),
        people_more: w.people_more.into(),
        occurred_earlier: w.occurred_earlier.into(),
        occurred_later: w.occurred_later.into(),
        found_earlier: w.found_earlier.into(),
        found_later: w.found_later.into(),
        people_fewer: w.people_fewer.into(),
        people_added: w.people_added.into(),
        next: w.next.into(),
        save: w.save.into(),
        to_menu: w.to_menu.into(),
        delete: w.delete.into(),
        delete_confirm: w.delete_confirm.into(),
    }
}

/// Connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Oversight>();
    g.set_words(words());
    let index = |i: i32| usize::try_from(i).unwrap_or(usize::MAX);
    wire!(g, shared, on_open, |c| c.oversight_open());
    wire!(
        g,
        shared,
        on_back,
        |c| if c.screen() == Screen::StaffIncident {
            c.incident_back()
        } else {
            c.oversight_back()
        }
    );
    wire!(g, shared, on_summary, |c| c.oversight_summary());
    wire!(g, shared, on_summary_page, |c, d: i32| c
        .oversight_summary_page(d));
    wire!(g, shared, on_handling, |c, this_year: bool| c
        .oversight_handling(this_year));
    wire!(g, shared, on_roster, |c| c.oversight_roster());
    wire!(g, shared, on_incident_report, |c, i: i32| c
        .oversight_incident_report(index(i)));
    wire!(g, shared, on_record, |c| c.incident_start());
    wire!(g, shared, on_kind, |c, i: i32| c.incident_kind(index(i)));
    wire!(g, shared, on_day, |c, found: bool, d: i32| c
        .incident_day(found, i64::from(d)));
    wire!(g, shared, on_people_add, |c, d: i32| c.incident_people(d));
    wire!(g, shared, on_measure, |c, i: i32| c
        .incident_measure(index(i)));
    wire!(g, shared, on_next, |c| c.incident_next());
    wire!(g, shared, on_save, |c| c.incident_save());
    wire!(g, shared, on_retention, |c| c.oversight_retention());
    wire!(g, shared, on_retention_page, |c, d: i32| c
        .retention_page(d));
    wire!(g, shared, on_retention_delete, |c| c.retention_delete());
    wire!(g, shared, on_retention_confirm, |c| c.retention_confirm());
    wire!(g, shared, on_erasure, |c| c.erasure_open());
}

/// The registry's screen the window shows, when it is one of this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Oversight>().get_step() {
        OversightStep::None => None,
        OversightStep::Kind
        | OversightStep::Details
        | OversightStep::Measures
        | OversightStep::Confirm
        | OversightStep::Done => Some(Screen::StaffIncident),
        _ => Some(Screen::StaffOversight),
    }
}
