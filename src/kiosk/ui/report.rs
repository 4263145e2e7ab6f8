//! The adapter of the monthly report screens (`ui/report.slint`): copies the
//! controller's [`MonthReport`] into the `Report` global and forwards its
//! callbacks. No logic: everything is decided in `controller::report`.

use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::Shared;
use super::generated::{
    AppWindow, ReportBar, ReportCell, ReportColumn, ReportLedgerRow, ReportMedium, ReportRow,
    ReportWeek,
};
/// The report screens' global and its enums, for tests.
pub use super::generated::{Report, ReportCellKind, ReportStep};
use crate::kiosk::controller::{self as ctl, CellKind, KioskController, MonthReport, Transfer};
use crate::report::csv::Encoding;
use crate::store::sessions::Program;

/// How long 「書き出しています…」 is on screen before the writing starts, so
/// that it is drawn first (the export runs on the UI thread).
const DRAW_FIRST: Duration = Duration::from_millis(60);

fn model<T: Clone + 'static>(v: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(v))
}

use super::strings;

fn step(s: ctl::ReportStep) -> ReportStep {
    match s {
        ctl::ReportStep::Preview => ReportStep::Preview,
        ctl::ReportStep::Media => ReportStep::Media,
        ctl::ReportStep::Options => ReportStep::Options,
        ctl::ReportStep::Confirm => ReportStep::Confirm,
        ctl::ReportStep::Writing => ReportStep::Writing,
        ctl::ReportStep::Done => ReportStep::Done,
        ctl::ReportStep::Failed => ReportStep::Failed,
        ctl::ReportStep::Ledger => ReportStep::Ledger,
    }
}

fn kind(k: CellKind) -> ReportCellKind {
    match k {
        CellKind::Text => ReportCellKind::Text,
        CellKind::Number => ReportCellKind::Number,
        CellKind::Small => ReportCellKind::Small,
        CellKind::Secondary => ReportCellKind::Hidden,
    }
}

/// Copies the report state into the `Report` global; with no report open,
/// empties it so nothing stays on screen after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Report>();
    g.set_available(c.report_available());
    match c.month_report() {
        Some(r) => show(&g, r, c.config().report.ward.is_some()),
        None => clear(&g),
    }
}

fn show(g: &Report<'_>, r: &MonthReport, ward: bool) {
    g.set_step(step(r.step));
    g.set_heading(r.step_title().into());
    g.set_can_previous(r.can_go_back());
    g.set_can_next(r.can_go_forward());
    g.set_tabs(strings(&r.tab_labels()));
    g.set_tab(i32::try_from(r.tab).unwrap_or(0));
    g.set_chart_shown(r.showing_chart());
    g.set_title(r.title().into());
    g.set_message(r.message.as_str().into());
    let (columns, rows) = match r.table() {
        Some(t) => (
            t.columns
                .iter()
                .map(|c| ReportColumn {
                    title: c.title.as_str().into(),
                    share: c.share,
                    numeric: c.numeric,
                })
                .collect(),
            r.visible_rows()
                .iter()
                .map(|row| ReportRow {
                    cells: model(
                        row.iter()
                            .map(|cell| ReportCell {
                                text: cell.text.as_str().into(),
                                kind: kind(cell.kind),
                                label: cell.label.as_str().into(),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    g.set_columns(model(columns));
    g.set_rows(model(rows));
    g.set_rows_info(r.rows_info().into());
    let programs: Vec<&str> = Program::ALL.iter().map(|p| p.label()).collect();
    g.set_programs(strings(&programs));
    g.set_weeks(model(
        r.chart
            .iter()
            .map(|w| ReportWeek {
                label: w.label.as_str().into(),
                bars: model(
                    w.bars
                        .iter()
                        .map(|b| ReportBar {
                            value: b.value.to_string().into(),
                            level: b.level,
                            label: b.label.as_str().into(),
                        })
                        .collect(),
                ),
            })
            .collect(),
    ));
    g.set_media(model(
        r.media
            .iter()
            .enumerate()
            .map(|(i, m)| ReportMedium {
                name: m.name().into(),
                selected: r.medium == Some(i),
            })
            .collect(),
    ));
    g.set_encoding(match r.encoding {
        Encoding::Utf8Bom => 0,
        Encoding::Cp932 => 1,
    });
    g.set_encoding_note(r.encoding_note().into());
    g.set_purpose(i32::try_from(r.purpose).unwrap_or(0));
    g.set_summary(strings(&r.summary(ward)));
    g.set_result(strings(&r.result_lines()));
    g.set_back_text(r.back_label().into());
    g.set_ledger_link(r.transfer == Transfer::Report);
    g.set_ledger(model(
        r.visible_ledger()
            .iter()
            .map(|e| ReportLedgerRow {
                when: e.when.as_str().into(),
                staff: e.staff_id.as_str().into(),
                medium: e.medium.as_str().into(),
                purpose: e.purpose.as_str().into(),
                files: format!("{}ファイル", e.files).into(),
                verified: e.verified,
            })
            .collect(),
    ));
    g.set_ledger_info(if r.ledger.is_empty() {
        SharedString::new()
    } else {
        format!("{}/{}", r.ledger_page + 1, r.ledger_pages()).into()
    });
}

fn clear(g: &Report<'_>) {
    g.set_step(ReportStep::Preview);
    g.set_heading(SharedString::new());
    g.set_title(SharedString::new());
    g.set_message(SharedString::new());
    g.set_columns(ModelRc::default());
    g.set_rows(ModelRc::default());
    g.set_rows_info(SharedString::new());
    g.set_weeks(ModelRc::default());
    g.set_media(ModelRc::default());
    g.set_summary(ModelRc::default());
    g.set_result(ModelRc::default());
    g.set_ledger(ModelRc::default());
    g.set_ledger_info(SharedString::new());
}

/// Connects the `Report` global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Report>();
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
    wire!(on_open, |c| c.report_start());
    wire!(on_back, |c| c.report_back());
    wire!(on_month, |c, d: i32| c.report_month(d));
    wire!(on_tab_set, |c, i: i32| c.report_tab(index(i)));
    wire!(on_rows_move, |c, d: i32| c.report_rows(d));
    wire!(on_export, |c| c.report_export_start());
    wire!(on_retry_media, |c| c.report_media_retry());
    wire!(on_medium_set, |c, i: i32| c.report_medium(index(i)));
    wire!(on_next, |c| c.report_next());
    wire!(on_encoding_set, |c, i: i32| c.report_encoding(if i == 1 {
        Encoding::Cp932
    } else {
        Encoding::Utf8Bom
    }));
    wire!(on_purpose_set, |c, i: i32| c.report_purpose(index(i)));
    wire!(on_retry, |c| c.report_retry());
    wire!(on_ledger_open, |c| c.report_ledger());
    wire!(on_ledger_page, |c, d: i32| c.report_ledger_page(d));
    wire!(on_ledger_export, |c| c.report_ledger_export());
    // 「書き出しています…」 first, then the writing itself.
    let weak = Rc::downgrade(shared);
    g.on_confirm(move || {
        let Some(s) = weak.upgrade() else {
            return;
        };
        s.act(|c| c.report_confirm());
        let later = Rc::downgrade(&s);
        slint::Timer::single_shot(DRAW_FIRST, move || {
            if let Some(s) = later.upgrade() {
                s.act(|c| {
                    c.report_write();
                    if c.month_report()
                        .is_some_and(|r| r.step == ctl::ReportStep::Done)
                    {
                        unmount_sticks();
                    }
                });
            }
        });
    });
}

/// A finished export: on the appliance, root's `tsudoi-media-eject.path`
/// unmounts the sticks so they can be pulled out (see debian/tsudoi-media).
fn unmount_sticks() {
    let dir = std::env::var_os("RUNTIME_DIRECTORY").map(std::path::PathBuf::from);
    if let Err(e) = crate::report::media::request_unmount(dir.as_deref()) {
        eprintln!("tsudoi: could not ask for the USB stick to be unmounted: {e}");
    }
}
