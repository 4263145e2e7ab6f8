//! 「月の報告」's adapter: copies the flow's [`MonthReport`] into the
//! `Report` global (`ui/report.slint`) and forwards its callbacks. No
//! logic: the flow decides in `mod.rs`, the words are in `wording.rs`.

use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::ReportStep as Step;
use super::wording::{self, WORDS};
use super::{CellKind, MonthReport, Transfer};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{
    AppWindow, ReportBar, ReportCell, ReportColumn, ReportEncoding, ReportLedgerRow, ReportMark,
    ReportMedium, ReportProgram, ReportRow, ReportWeek, ReportWords,
};
/// The flow's global and its enums, for tests.
pub use crate::kiosk::ui::generated::{Report, ReportCellKind, ReportStep};
use crate::kiosk::ui::{Shared, strings, wire};
use crate::report::csv::Encoding;
use crate::store::sessions::Program;

/// How long 「書き出しています…」 is on screen before the writing starts, so
/// that it is drawn first (the export runs on the UI thread).
const DRAW_FIRST: Duration = Duration::from_millis(60);

fn model<T: Clone + 'static>(v: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(v))
}

fn step(s: Step) -> ReportStep {
    match s {
        Step::Preview => ReportStep::Preview,
        Step::Media => ReportStep::Media,
        Step::Options => ReportStep::Options,
        Step::Confirm => ReportStep::Confirm,
        Step::Writing => ReportStep::Writing,
        Step::Done => ReportStep::Done,
        Step::Failed => ReportStep::Failed,
        Step::Ledger => ReportStep::Ledger,
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

/// How the bars of the `index`th program of [`Program::ALL`] look.
fn mark(index: usize) -> ReportMark {
    match index {
        0 => ReportMark::Solid,
        1 => ReportMark::Striped,
        _ => ReportMark::Outlined,
    }
}

fn encoding(e: Encoding) -> ReportEncoding {
    match e {
        Encoding::Utf8Bom => ReportEncoding::Utf8,
        Encoding::Cp932 => ReportEncoding::Cp932,
    }
}

/// Copies the report state into the `Report` global; off the report screen
/// it is emptied, so nothing stays after sign-out or the staff lock.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Report>();
    g.set_available(c.report_available());
    match c
        .month_report()
        .filter(|_| c.screen() == Screen::StaffReport)
    {
        Some(r) => show(&g, r, c.config().usb.ward.is_some()),
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
    let warns = !r.message.is_empty();
    g.set_caption(if warns { r.message.clone() } else { r.title() }.into());
    g.set_caption_warns(warns);
    g.set_message(r.message.as_str().into());
    let (columns, rows) = match r.table() {
        Some(t) => (
            t.columns
                .iter()
                .map(|c| ReportColumn {
                    title: c.title.as_str().into(),
                    label: format!("{}{}", WORDS.column_prefix, c.title).into(),
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
    g.set_programs(model(
        Program::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| ReportProgram {
                name: p.label().into(),
                label: wording::legend(p.label()).into(),
                value: wording::program_mark(i).into(),
                mark: mark(i),
            })
            .collect(),
    ));
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
                            mark: mark(
                                Program::ALL
                                    .iter()
                                    .position(|p| *p == b.program)
                                    .unwrap_or(0),
                            ),
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
    g.set_media_action(if r.media.is_empty() { "" } else { WORDS.next }.into());
    g.set_encoding(encoding(r.encoding));
    g.set_encoding_note(r.encoding_note().into());
    g.set_purpose(i32::try_from(r.purpose).unwrap_or(0));
    g.set_summary(strings(&r.summary(ward)));
    g.set_outcome(wording::outcome(r.step != Step::Failed).into());
    g.set_result(strings(&r.result_lines()));
    g.set_back_text(r.back_label().into());
    g.set_ledger_link(r.transfer == Transfer::Report);
    g.set_ledger(model(
        r.visible_ledger()
            .iter()
            .map(|e| {
                let files = wording::ledger_files(e.files);
                let check = wording::ledger_verified(e.verified);
                ReportLedgerRow {
                    when: e.when.as_str().into(),
                    staff: wording::ledger_staff(&e.staff_id).into(),
                    detail: wording::ledger_detail(&e.medium, &e.purpose, &files).into(),
                    check: check.into(),
                    verified: e.verified,
                    summary: [
                        e.when.as_str(),
                        &e.staff_id,
                        &e.medium,
                        &e.purpose,
                        &files,
                        check,
                    ]
                    .join(" ")
                    .into(),
                }
            })
            .collect(),
    ));
    g.set_ledger_action(
        if r.ledger.is_empty() {
            ""
        } else {
            WORDS.ledger_export
        }
        .into(),
    );
    g.set_ledger_info(if r.ledger.is_empty() {
        SharedString::new()
    } else {
        wording::page(r.ledger_page, r.ledger_pages()).into()
    });
}

fn clear(g: &Report<'_>) {
    g.set_step(ReportStep::None);
    g.set_heading(SharedString::new());
    g.set_caption(SharedString::new());
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

fn words() -> ReportWords {
    let w = &WORDS;
    ReportWords {
        back: w.back.into(),
        previous_month: w.previous_month.into(),
        previous_month_label: w.previous_month_label.into(),
        next_month: w.next_month.into(),
        next_month_label: w.next_month_label.into(),
        export: w.export.into(),
        ledger: w.ledger.into(),
        ledger_label: w.ledger_label.into(),
        month_label: w.month_label.into(),
        table_label: w.table_label.into(),
        rows_label: w.rows_label.into(),
        rows_previous: w.rows_previous.into(),
        rows_previous_label: w.rows_previous_label.into(),
        rows_next: w.rows_next.into(),
        rows_next_label: w.rows_next_label.into(),
        legend_label: w.legend_label.into(),
        legend_value: w.legend_value.into(),
        small: w.small.into(),
        small_label: w.small_label.into(),
        small_meaning: w.small_meaning.into(),
        hidden: w.hidden.into(),
        hidden_label: w.hidden_label.into(),
        hidden_meaning: w.hidden_meaning.into(),
        week_label: w.week_label.into(),
        heading_label: w.heading_label.into(),
        insert: w.insert.into(),
        insert_guide: w.insert_guide.into(),
        retry_media: w.retry_media.into(),
        choose: w.choose.into(),
        next: w.next.into(),
        encoding_caption: w.encoding_caption.into(),
        utf8: w.utf8.into(),
        cp932: w.cp932.into(),
        purpose_caption: w.purpose_caption.into(),
        write: w.write.into(),
        writing: w.writing.into(),
        writing_guide: w.writing_guide.into(),
        retry: w.retry.into(),
        failure_label: w.failure_label.into(),
        see_ledger: w.see_ledger.into(),
        ledger_export_label: w.ledger_export_label.into(),
        ledger_empty: w.ledger_empty.into(),
        ledger_entry_label: w.ledger_entry_label.into(),
        page_previous: w.page_previous.into(),
        page_previous_label: w.page_previous_label.into(),
        page_next: w.page_next.into(),
        page_next_label: w.page_next_label.into(),
        page_label: w.page_label.into(),
    }
}

/// Connects the `Report` global's callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Report>();
    g.set_words(words());
    g.set_purposes(strings(&wording::PURPOSES));
    let index = |i: i32| usize::try_from(i).unwrap_or(usize::MAX);
    wire!(g, shared, on_open, |c| c.report_start());
    wire!(g, shared, on_back, |c| c.report_back());
    wire!(g, shared, on_month, |c, d: i32| c.report_month(d));
    wire!(g, shared, on_tab_set, |c, i: i32| c.report_tab(index(i)));
    wire!(g, shared, on_rows_move, |c, d: i32| c.report_rows(d));
    wire!(g, shared, on_export, |c| c.report_export_start());
    wire!(g, shared, on_retry_media, |c| c.report_media_retry());
    wire!(g, shared, on_medium_set, |c, i: i32| c
        .report_medium(index(i)));
    wire!(g, shared, on_next, |c| c.report_next());
    wire!(g, shared, on_encoding_set, |c, e: ReportEncoding| c
        .report_encoding(match e {
            ReportEncoding::Cp932 => Encoding::Cp932,
            ReportEncoding::Utf8 => Encoding::Utf8Bom,
        }));
    wire!(g, shared, on_purpose_set, |c, i: i32| c
        .report_purpose(index(i)));
    wire!(g, shared, on_retry, |c| c.report_retry());
    wire!(g, shared, on_ledger_open, |c| c.report_ledger());
    wire!(g, shared, on_ledger_page, |c, d: i32| c
        .report_ledger_page(d));
    wire!(g, shared, on_ledger_export, |c| c.report_ledger_export());
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
                    if c.month_report().is_some_and(|r| r.step == Step::Done) {
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

/// The registry's screen the window shows, when it is this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Report>().get_step() {
        ReportStep::None => None,
        _ => Some(Screen::StaffReport),
    }
}
