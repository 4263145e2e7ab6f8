//! 「新しい方の登録」's adapter: copies the wizard into the `Registration`
//! global (`ui/register.slint`) and the name being entered into the `Names`
//! global (`ui/names.slint`, also the record's name and building
//! corrections), and forwards their callbacks. No logic: the flow decides
//! in `mod.rs` and `name_entry.rs`, the words are in `wording.rs`.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::name_entry::CANDIDATES_PER_PAGE;
use super::{DatePart, Registration as Wizard, Step, wording};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::generated::{
    AppWindow, DatePart as UiDatePart, DateStepper, NameMode, NamesWords, RegistrationWords,
};
/// The flow's globals and its step enum, for tests.
pub use crate::kiosk::ui::generated::{Names, Registration, RegistrationStep};
use crate::kiosk::ui::{Shared, strings, wire};

fn ui_step(s: Step) -> RegistrationStep {
    match s {
        Step::Document => RegistrationStep::Document,
        Step::Name => RegistrationStep::Name,
        Step::Birth => RegistrationStep::Birth,
        Step::Postal => RegistrationStep::Postal,
        Step::Phone => RegistrationStep::Phone,
        Step::Consent => RegistrationStep::Consent,
        Step::Card => RegistrationStep::Card,
    }
}

fn date_part(p: UiDatePart) -> DatePart {
    match p {
        UiDatePart::Year => DatePart::Year,
        UiDatePart::Month => DatePart::Month,
        UiDatePart::Day => DatePart::Day,
    }
}

/// The big step of the year's stepper.
const YEAR_BIG_STEP: i32 = 10;

fn stepper(part: DatePart, value: u32, big_step: i32) -> DateStepper {
    DateStepper {
        value: wording::date_value(part, value).into(),
        what: wording::date_part(part).into(),
        down: wording::step_text(-1).into(),
        down_label: wording::step_label(part, -1).into(),
        up: wording::step_text(1).into(),
        up_label: wording::step_label(part, 1).into(),
        big_step,
        big_down: wording::step_text(-big_step).into(),
        big_down_label: wording::step_label(part, -big_step).into(),
        big_up: wording::step_text(big_step).into(),
        big_up_label: wording::step_label(part, big_step).into(),
    }
}

/// Copies the wizard into `Registration` and the name entry into `Names`;
/// outside the wizard everything typed is emptied, so nothing stays in the
/// window.
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    refresh_wizard(window, c);
    refresh_names(window, c);
}

fn refresh_wizard(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Registration>();
    let wizard = c
        .registration()
        .filter(|_| c.screen() == Screen::StaffRegister);
    let Some(r) = wizard else {
        g.set_step(RegistrationStep::None);
        for set in [
            Registration::set_entry_text,
            Registration::set_entry_line,
            Registration::set_confirmation,
            Registration::set_notice,
        ] {
            set(&g, SharedString::new());
        }
        g.set_valid(false);
        return;
    };
    g.set_step(ui_step(r.step()));
    g.set_era(
        crate::eligibility::Era::ALL
            .iter()
            .position(|e| *e == r.era())
            .unwrap_or(0) as i32,
    );
    let (year, month, day) = r.ymd();
    g.set_year(stepper(DatePart::Year, year, YEAR_BIG_STEP));
    g.set_month(stepper(DatePart::Month, month, 0));
    g.set_day(stepper(DatePart::Day, day, 0));
    let (caption, typed) = match r.step() {
        Step::Postal => (wording::WORDS.postal, r.postal()),
        Step::Phone => (wording::WORDS.phone, r.phone()),
        _ => ("", ""),
    };
    g.set_entry_caption(caption.into());
    g.set_entry_text(typed.into());
    g.set_entry_line(wording::entry_line(typed).into());
    g.set_confirmation(wording::confirmation(r.confirmation()).into());
    g.set_notice(wording::notice(r.notice()).into());
    g.set_notice_warns(r.notice().is_problem());
    g.set_valid(r.valid());
}

/// The name entry's guide line: a problem, or what to do next with the
/// candidates' page.
fn name_guide(c: &KioskController, wizard: Option<&Wizard>) -> (String, bool) {
    let Some(e) = c.name_entry() else {
        return (String::new(), false);
    };
    let problem = match (c.screen(), wizard, c.search()) {
        (Screen::StaffRegister, Some(r), _) => wording::notice(r.notice()),
        (Screen::StaffCorrect, _, Some(s)) => s.message.to_string(),
        _ => String::new(),
    };
    if !problem.is_empty() {
        return (problem, true);
    }
    let hint = match (c.address_entry(), c.record_name()) {
        // The building step says what to do in its own words.
        (Some(a), _) => a.hint(),
        (None, Some(name)) if e.on_kana && !e.has_picks() => wording::on_record(name, &e.hint()),
        _ => e.hint(),
    };
    if e.pages() > 1 && !e.on_kana {
        (wording::with_page(&hint, e.page(), e.pages()), false)
    } else {
        (hint, false)
    }
}

fn refresh_names(window: &AppWindow, c: &KioskController) {
    let g = window.global::<Names>();
    let (guide, warns) = name_guide(c, c.registration());
    g.set_guide(guide.into());
    g.set_guide_warns(warns);
    let Some(e) = c.name_entry() else {
        g.set_kana(SharedString::new());
        g.set_written(SharedString::new());
        g.set_written_line(SharedString::new());
        g.set_on_kana(true);
        for set in [Names::set_row1, Names::set_row2, Names::set_row3] {
            set(&g, ModelRc::default());
        }
        return;
    };
    let name = e.name();
    g.set_kana(e.kana.as_str().into());
    g.set_written_line(wording::written_line(&name, &e.rest(), !e.on_kana).into());
    g.set_written(name.into());
    g.set_on_kana(e.on_kana);
    let page = e.page_candidates();
    let per_row = CANDIDATES_PER_PAGE / 3;
    let row = |r: usize| -> ModelRc<SharedString> {
        // Always six slots, so the grid keeps its shape on the last page.
        let v: Vec<SharedString> = (r * per_row..(r + 1) * per_row)
            .map(|i| {
                page.get(i)
                    .map(|c| c.text.as_str().into())
                    .unwrap_or_default()
            })
            .collect();
        ModelRc::new(VecModel::from(v))
    };
    g.set_row1(row(0));
    g.set_row2(row(1));
    g.set_row3(row(2));
    g.set_has_prev(e.page() > 0);
    g.set_has_next(e.page() + 1 < e.pages());
    let mode = e.mode();
    g.set_mode(match mode {
        tsudoi_kanji::Mode::Whole => NameMode::Whole,
        tsudoi_kanji::Mode::OneByOne => NameMode::OneByOne,
        tsudoi_kanji::Mode::Variants => NameMode::Variants,
    });
    let (text, label) = wording::mode_button(mode == tsudoi_kanji::Mode::OneByOne);
    g.set_mode_text(text.into());
    g.set_mode_label(label.into());
    g.set_can_undo(e.has_picks());
    g.set_can_variants(e.has_picks());
}

/// Sets the fixed words and wires `Registration`'s and `Names`' callbacks
/// to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<Registration>();
    let w = wording::WORDS;
    g.set_words(RegistrationWords {
        choose_document: w.choose_document.into(),
        quit: w.quit.into(),
        back: w.back.into(),
        next: w.next.into(),
        consent_title: w.consent_title.into(),
        consent_next: w.consent_next.into(),
        touch_card: w.touch_card.into(),
        without_card: w.without_card.into(),
        confirmation: w.confirmation.into(),
        notice: w.notice.into(),
    });
    let documents: Vec<&str> = crate::store::participants::DocumentKind::ALL
        .iter()
        .map(|d| d.label())
        .collect();
    g.set_documents(strings(&documents));
    g.set_eras(strings(&wording::eras()));
    g.set_purpose(wording::PURPOSE.into());
    let n = window.global::<Names>();
    let nw = wording::NAME_WORDS;
    n.set_words(NamesWords {
        back: nw.back.into(),
        name_caption: wording::NAME_CAPTION.into(),
        kana_caption: wording::KANA_CAPTION.into(),
        prev: nw.prev.into(),
        prev_label: nw.prev_label.into(),
        next: nw.next.into(),
        next_label: nw.next_label.into(),
        variants: nw.variants.into(),
        hiragana: nw.hiragana.into(),
        hiragana_label: nw.hiragana_label.into(),
        katakana: nw.katakana.into(),
        katakana_label: nw.katakana_label.into(),
        undo: nw.undo.into(),
        undo_label: nw.undo_label.into(),
        guide: nw.guide.into(),
    });
    wire!(g, shared, on_start, |c| c.register_start());
    wire!(g, shared, on_document_set, |c, i| c
        .reg_document(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_era_set, |c, i| c
        .reg_era(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(g, shared, on_step_date, |c, part, d| c
        .reg_step_date(date_part(part), d));
    wire!(g, shared, on_back, |c| c.cancel());
    wire!(g, shared, on_next, |c| c.submit());
    wire!(n, shared, on_focus_kana, |c, k| c.name_focus_kana(k));
    wire!(n, shared, on_choose, |c, i| c
        .name_choose(usize::try_from(i).unwrap_or(usize::MAX)));
    wire!(n, shared, on_as_kana, |c, katakana| c.name_kana(katakana));
    wire!(n, shared, on_toggle_one_by_one, |c| c
        .name_toggle_one_by_one());
    wire!(n, shared, on_toggle_variants, |c| c.name_toggle_variants());
    wire!(n, shared, on_page_step, |c, d| c.name_page(d));
    wire!(n, shared, on_undo, |c| c.name_undo());
    wire!(n, shared, on_back, |c| c.cancel());
    wire!(n, shared, on_act, |c| c.submit());
}

/// The registry's screen the window shows, when it is this flow's.
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<Registration>().get_step() {
        RegistrationStep::None => None,
        _ => Some(Screen::StaffRegister),
    }
}
