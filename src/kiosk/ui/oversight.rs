//! The adapter of the 「事故・点検」 screens (`ui/oversight.slint`): copies
//! the controller's [`ctl::Oversight`] (with its [`ctl::Retention`]) or
//! [`ctl::IncidentForm`] into the `Oversight` global and forwards its
//! callbacks. No logic: everything is decided in `controller::oversight`
//! and `controller::retention`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::Shared;
use super::generated::AppWindow;
/// The global and its step enum, for tests.
pub use super::generated::{Oversight, OversightStep};
use crate::kiosk::controller::{self as ctl, IncidentStep, KioskController, RetentionStep};
use crate::store::incidents::{IncidentKind, Measure};

use super::strings;

/// Copies the state into the global; with neither open, empties it so
/// nothing stays on screen after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Oversight>();
    let kinds: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.label()).collect();
    let measures: Vec<&str> = Measure::ALL.iter().map(|m| m.short()).collect();
    g.set_kinds(strings(&kinds));
    g.set_measures(strings(&measures));
    if let Some(f) = c.incident_form() {
        show_form(&g, f);
    } else if let Some(o) = c.oversight() {
        show_menu(&g, o);
    } else {
        clear(&g);
    }
}

fn show_menu(g: &Oversight<'_>, o: &ctl::Oversight) {
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
    g.set_page_info(format!("{}/{}", o.summary_page.unwrap_or(0) + 1, o.summary_pages()).into());
    g.set_message(o.message.as_str().into());
    let buttons: Vec<&str> = o.incidents.iter().map(|(_, t)| t.as_str()).collect();
    g.set_incidents(strings(&buttons));
}

fn show_retention(g: &Oversight<'_>, r: &ctl::Retention) {
    g.set_step(match r.step {
        RetentionStep::List => OversightStep::Retention,
        RetentionStep::Confirm => OversightStep::RetentionConfirm,
        RetentionStep::Done => OversightStep::RetentionDone,
    });
    g.set_lines(strings(&r.lines()));
    g.set_rows(strings(&r.rows()));
    g.set_page_info(format!("{}/{}", r.page + 1, r.pages()).into());
    g.set_message(r.message.as_str().into());
    g.set_incidents(ModelRc::default());
}

fn show_form(g: &Oversight<'_>, f: &ctl::IncidentForm) {
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
    g.set_measures_on(ModelRc::new(VecModel::from(
        Measure::ALL
            .iter()
            .map(|m| f.measures.contains(m))
            .collect::<Vec<_>>(),
    )));
}

fn clear(g: &Oversight<'_>) {
    g.set_step(OversightStep::Menu);
    g.set_reporting(false);
    g.set_manager(false);
    g.set_handles_people(false);
    g.set_lines(ModelRc::default());
    g.set_rows(ModelRc::default());
    g.set_page_info(SharedString::new());
    g.set_message(SharedString::new());
    g.set_incidents(ModelRc::default());
    g.set_measures_on(ModelRc::default());
    g.set_occurred(SharedString::new());
    g.set_found(SharedString::new());
    g.set_people(SharedString::new());
}

/// Connects the global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Oversight>();
    macro_rules! wire {
        ($on:ident, |$c:ident $(, $arg:ident: $t:ty)*| $body:expr) => {{
            let weak = Rc::downgrade(shared);
            g.$on(move |$($arg: $t),*| {
                if let Some(s) = weak.upgrade() {
                    s.act(|$c| {
                        $body;
                    });
                }
            });
        }};
    }
    let index = |i: i32| usize::try_from(i).unwrap_or(usize::MAX);
    wire!(on_open, |c| c.oversight_open());
    wire!(on_back, |c| if c.screen() == ctl::Screen::StaffIncident {
        c.incident_back()
    } else {
        c.oversight_back()
    });
    wire!(on_summary, |c| c.oversight_summary());
    wire!(on_summary_page, |c, d: i32| c.oversight_summary_page(d));
    wire!(on_handling, |c, this_year: bool| c
        .oversight_handling(this_year));
    wire!(on_roster, |c| c.oversight_roster());
    wire!(on_incident_report, |c, i: i32| c
        .oversight_incident_report(index(i)));
    wire!(on_record, |c| c.incident_start());
    wire!(on_kind, |c, i: i32| c.incident_kind(index(i)));
    wire!(on_day, |c, found: bool, d: i32| c
        .incident_day(found, i64::from(d)));
    wire!(on_people_add, |c, d: i32| c.incident_people(d));
    wire!(on_measure, |c, i: i32| c.incident_measure(index(i)));
    wire!(on_next, |c| c.incident_next());
    wire!(on_save, |c| c.incident_save());
    wire!(on_retention, |c| c.oversight_retention());
    wire!(on_retention_page, |c, d: i32| c.retention_page(d));
    wire!(on_retention_delete, |c| c.retention_delete());
    wire!(on_retention_confirm, |c| c.retention_confirm());
    wire!(on_erasure, |c| c.erasure_open());
}
