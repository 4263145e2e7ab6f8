//! The adapter between the Slint screens and [`KioskController`].

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::controller::{self, KioskController, Screen, Signal};
use super::flows::{self, Flow};

pub mod disclosure;
pub mod erasure;
pub mod oversight;
pub mod report;
pub mod setup;
pub mod training;

#[allow(clippy::all)]
pub(in crate::kiosk) mod generated {
    slint::include_modules!();
}

pub use generated::{
    AppWindow, ClassRow as UiClassRow, Kiosk, ResultRow as UiResultRow, Screen as UiScreen,
    SheetLine as UiSheetLine,
};

/// Called after every card tap with what the buzzer and lights should do.
pub type FeedbackHook = Box<dyn Fn(Signal)>;

/// The adapters' shared handle on the controller and the window.
pub(in crate::kiosk) struct Shared {
    controller: RefCell<KioskController>,
    window: slint::Weak<AppWindow>,
    timer: slint::Timer,
    /// Turns the waiting screen's pages and keeps its date current.
    ticker: slint::Timer,
    feedback: RefCell<Option<FeedbackHook>>,
    reader: RefCell<Option<ReaderLink>>,
}

/// The card reader thread as the UI sees it: its events are drained on the UI
/// thread by a timer (the controller is not thread-safe), and in the demo the
/// on-screen panel places cards on the simulated reader.
struct ReaderLink {
    handle: tsudoi_hw::ReaderHandle,
    control: Option<tsudoi_hw::SimulatedReaderControl>,
    _timer: slint::Timer,
}

/// How often reader events are taken onto the UI thread.
const READER_DRAIN: std::time::Duration = std::time::Duration::from_millis(20);

impl Shared {
    /// Hands every pending reader event to the controller, oldest first.
    fn drain_reader(self: &Rc<Self>) {
        loop {
            let event = match self.reader.borrow().as_ref() {
                Some(link) => match link.handle.events().try_recv() {
                    Ok(event) => event,
                    Err(_) => return,
                },
                None => return,
            };
            match event {
                tsudoi_hw::ReaderEvent::Card(card) => {
                    self.card(Ok(card));
                }
                tsudoi_hw::ReaderEvent::Refused(why) => {
                    self.card(Err(why));
                }
                tsudoi_hw::ReaderEvent::State(state) => {
                    let ready = matches!(state, tsudoi_hw::ReaderState::Ready);
                    self.act(|c| c.on_reader_state(ready));
                }
            }
        }
    }

    /// A demo-panel tap: through the simulated reader when one is attached
    /// (so the demo exercises the same path as a real card), else directly.
    fn demo_tap(self: &Rc<Self>, card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>) {
        let control = self
            .reader
            .borrow()
            .as_ref()
            .and_then(|l| l.control.clone());
        let Some(control) = control else {
            self.card(card);
            return;
        };
        match &card {
            Ok(id) => control.place(id),
            // A phone's random identifier, as the reader would see it.
            Err(_) => {
                control.place_raw(tsudoi_hw::Technology::Iso14443A, &[0x08, 0x4d, 0x1c, 0x77])
            }
        }
        // Lift the card again after a moment, as a hand would.
        slint::Timer::single_shot(std::time::Duration::from_millis(400), move || {
            control.remove()
        });
    }
}

/// The kiosk window with its controller.
pub struct KioskUi {
    window: AppWindow,
    shared: Rc<Shared>,
}

/// The window's top-level screen: a flow with its own global, or a screen
/// not moved into a flow yet.
fn ui_screen(s: Screen) -> UiScreen {
    use Screen as S;
    match s.flow() {
        Flow::CheckIn => return UiScreen::CheckIn,
        Flow::SignIn => return UiScreen::SignIn,
        Flow::Groups => return UiScreen::Groups,
        Flow::Mimamori => return UiScreen::Mimamori,
        Flow::Roster => return UiScreen::Roster,
        Flow::Today => return UiScreen::Today,
        Flow::Record => return UiScreen::Record,
        Flow::Classes | Flow::Staff | Flow::Erased => {}
    }
    match s {
        S::ClassCard => UiScreen::ClassCard,
        S::Classes => UiScreen::Classes,
        S::ClassApplied => UiScreen::ClassApplied,
        S::ClassNeedsAddress => UiScreen::ClassNeedsAddress,
        S::ClassRefused => UiScreen::ClassRefused,
        S::StaffRegister => UiScreen::StaffRegister,
        S::StaffClasses => UiScreen::StaffClasses,
        S::StaffReport => UiScreen::StaffReport,
        S::StaffSheet => UiScreen::StaffSheet,
        S::StaffOversight => UiScreen::StaffOversight,
        S::StaffIncident => UiScreen::StaffIncident,
        S::StaffDisclose => UiScreen::StaffDisclose,
        S::StaffErasure => UiScreen::StaffErasure,
        S::Erased => UiScreen::Erased,
        // The flows' screens returned above.
        _ => UiScreen::CheckIn,
    }
}

/// The screen the window shows, read back from its globals (for tests):
/// the inverse of [`ui_screen`] and of the flows' own screens.
fn shown(window: &AppWindow, c: &KioskController) -> Option<Screen> {
    use Screen as S;
    Some(match window.global::<Kiosk>().get_screen() {
        UiScreen::CheckIn => return flows::checkin::adapter::shown(window, c),
        UiScreen::SignIn => return flows::sign_in::adapter::shown(window),
        UiScreen::Groups => return flows::groups::adapter::shown(window),
        UiScreen::Mimamori => return flows::mimamori::adapter::shown(window),
        UiScreen::Roster => return flows::roster::adapter::shown(window),
        UiScreen::Today => return flows::today::adapter::shown(window),
        UiScreen::Record => return flows::record::adapter::shown(window),
        UiScreen::Setup => return None,
        UiScreen::ClassCard => S::ClassCard,
        UiScreen::Classes => S::Classes,
        UiScreen::ClassApplied => S::ClassApplied,
        UiScreen::ClassNeedsAddress => S::ClassNeedsAddress,
        UiScreen::ClassRefused => S::ClassRefused,
        UiScreen::StaffRegister => S::StaffRegister,
        UiScreen::StaffClasses => S::StaffClasses,
        UiScreen::StaffReport => S::StaffReport,
        UiScreen::StaffSheet => S::StaffSheet,
        UiScreen::StaffOversight => S::StaffOversight,
        UiScreen::StaffIncident => S::StaffIncident,
        UiScreen::StaffDisclose => S::StaffDisclose,
        UiScreen::StaffErasure => S::StaffErasure,
        UiScreen::Erased => S::Erased,
    })
}

fn class_rows(list: &[controller::ClassRow]) -> ModelRc<UiClassRow> {
    let v: Vec<UiClassRow> = list
        .iter()
        .map(|c| UiClassRow {
            id: c.id.as_str().into(),
            title: c.title.as_str().into(),
            dates: c.dates.as_str().into(),
            capacity: c.capacity.as_str().into(),
            period: c.period.as_str().into(),
        })
        .collect();
    ModelRc::new(VecModel::from(v))
}

fn result_rows(list: &[controller::ResultRow]) -> ModelRc<UiResultRow> {
    let v: Vec<UiResultRow> = list
        .iter()
        .map(|r| UiResultRow {
            label: r.label.as_str().into(),
            message: r.message.as_str().into(),
        })
        .collect();
    ModelRc::new(VecModel::from(v))
}

/// A list of texts as a Slint model (every adapter's lists of lines and labels).
pub(super) fn strings<S: AsRef<str>>(list: &[S]) -> ModelRc<SharedString> {
    ModelRc::new(VecModel::from(
        list.iter()
            .map(|s| SharedString::from(s.as_ref()))
            .collect::<Vec<_>>(),
    ))
}

/// The name entry's properties; everything is cleared when no name is being
/// entered, so nothing typed stays on screen.
fn set_name_entry(
    g: &Kiosk<'_>,
    entry: Option<&controller::NameEntry>,
    message: &str,
    on_record: Option<&str>,
) {
    let Some(e) = entry else {
        g.set_name_kana(SharedString::new());
        g.set_name_text(SharedString::new());
        g.set_name_rest(SharedString::new());
        g.set_name_on_kana(true);
        for set in [
            Kiosk::set_name_row1,
            Kiosk::set_name_row2,
            Kiosk::set_name_row3,
        ] {
            set(g, ModelRc::default());
        }
        g.set_name_hint(SharedString::new());
        g.set_name_message(SharedString::new());
        return;
    };
    g.set_name_kana(e.kana.as_str().into());
    g.set_name_text(e.name().into());
    g.set_name_rest(e.rest().into());
    g.set_name_on_kana(e.on_kana);
    let page = e.page_candidates();
    let per_row = controller::CANDIDATES_PER_PAGE / 3;
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
    g.set_name_row1(row(0));
    g.set_name_row2(row(1));
    g.set_name_row3(row(2));
    g.set_name_page_index(i32::try_from(e.page()).unwrap_or(0));
    g.set_name_page_count(i32::try_from(e.pages()).unwrap_or(1));
    g.set_name_mode(match e.mode() {
        tsudoi_kanji::Mode::Whole => 0,
        tsudoi_kanji::Mode::OneByOne => 1,
        tsudoi_kanji::Mode::Variants => 2,
    });
    let mut hint = e.hint();
    if let Some(name) = on_record.filter(|_| e.on_kana && !e.has_picks()) {
        hint = flows::record::wording::name_on_record(name, &hint);
    }
    g.set_name_hint(hint.into());
    g.set_name_message(message.into());
    g.set_name_can_undo(e.has_picks());
    g.set_name_can_variants(e.has_picks());
}

impl Shared {
    /// Copies the controller's state into the screen and restarts the idle timer.
    fn refresh(self: &Rc<Self>) {
        self.redraw(true);
    }

    /// Copies the controller's state into the screen; the idle timer
    /// restarts when `restart` (something was done), else only starts if it
    /// is not running (a redraw of the waiting screen's pages must not put
    /// off its timeout).
    fn redraw(self: &Rc<Self>, restart: bool) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let timeout = {
            let c = self.controller.borrow();
            let g = window.global::<Kiosk>();
            let screen = c.screen();
            g.set_screen(ui_screen(screen));
            g.set_reader_banner(c.reader_banner().into());
            g.set_date_label(c.date_label().into());
            g.set_header(if c.shows_site() {
                g.get_site()
            } else {
                c.staff_header().into()
            });
            g.set_result_title(c.class_title().into());
            g.set_result_message(c.class_message().into());
            let page = c.class_page();
            g.set_classes(class_rows(page.classes));
            g.set_class_results(result_rows(page.results));
            g.set_class_page(page.page.into());
            g.set_class_has_prev(page.has_prev);
            g.set_class_has_next(page.has_next);
            g.set_class_says_classes(page.says_classes);
            g.set_entry_number(c.entry_number().into());
            if let Some(r) = c.registration() {
                use crate::kiosk::controller::RegStep;
                g.set_reg_step(match r.step {
                    RegStep::Document => 0,
                    RegStep::Name => 1,
                    RegStep::Birth => 2,
                    RegStep::Postal => 3,
                    RegStep::Phone => 4,
                    RegStep::Consent => 5,
                    RegStep::Card => 6,
                });
                g.set_reg_era(
                    crate::eligibility::Era::ALL
                        .iter()
                        .position(|e| *e == r.era)
                        .unwrap_or(0) as i32,
                );
                g.set_reg_year(
                    if r.year == 1 {
                        "元年".to_owned()
                    } else {
                        format!("{}年", r.year)
                    }
                    .into(),
                );
                g.set_reg_month(format!("{}月", r.month).into());
                g.set_reg_day(format!("{}日", r.day).into());
                g.set_reg_postal(r.postal.as_str().into());
                g.set_reg_phone(r.phone.as_str().into());
                g.set_reg_message(r.message.as_str().into());
                g.set_reg_info(r.info.as_str().into());
                g.set_reg_valid(r.valid);
                g.set_reg_reverify(r.reverify.is_some());
            } else {
                // Nothing typed in the wizard stays on screen after it ends.
                g.set_reg_postal(SharedString::new());
                g.set_reg_phone(SharedString::new());
                g.set_reg_message(SharedString::new());
                g.set_reg_info(SharedString::new());
                g.set_reg_reverify(false);
            }
            // The staff class list (on the person's behalf) is the record's.
            g.set_staff_classes(match c.search() {
                Some(s) => class_rows(&s.classes),
                None => ModelRc::default(),
            });
            match c.sheet() {
                Some(v) => {
                    g.set_sheet_summary(v.summary().into());
                    let lines: Vec<UiSheetLine> = v
                        .lines()
                        .into_iter()
                        .map(|l| UiSheetLine {
                            who: l.who.into(),
                            marks: l.marks.into(),
                            to_call: l.to_call,
                        })
                        .collect();
                    g.set_sheet_lines(ModelRc::new(VecModel::from(lines)));
                    g.set_sheet_page(v.page_label().into());
                }
                None => {
                    g.set_sheet_summary(SharedString::new());
                    g.set_sheet_lines(ModelRc::default());
                    g.set_sheet_page(SharedString::new());
                }
            }
            let name_message = match (screen, c.registration(), c.search()) {
                (controller::Screen::StaffRegister, Some(r), _) => r.message.as_str(),
                (controller::Screen::StaffCorrect, _, Some(s)) => s.message.as_str(),
                _ => "",
            };
            set_name_entry(&g, c.name_entry(), name_message, c.record_name());
            if let Some(a) = c.address_entry() {
                // The address steps say what to do in their own words.
                g.set_name_hint(a.hint().into());
            }
            for adapter in flows::ADAPTERS {
                (adapter.refresh)(&window, &c);
            }
            if c.wants_quit() {
                // `tsudoi training` ended: the command line writes the record.
                let _ = slint::quit_event_loop();
            }
            c.timeout()
        };
        match timeout {
            Some(_) if !restart && self.timer.running() => {}
            Some(d) => {
                let weak: Weak<Shared> = Rc::downgrade(self);
                self.timer.start(slint::TimerMode::SingleShot, d, move || {
                    if let Some(s) = weak.upgrade() {
                        s.controller.borrow_mut().on_timeout();
                        s.refresh();
                    }
                });
            }
            None => self.timer.stop(),
        }
    }

    pub(in crate::kiosk) fn act(self: &Rc<Self>, f: impl FnOnce(&mut KioskController)) {
        f(&mut self.controller.borrow_mut());
        self.refresh();
    }

    /// A button that finishes what a card tap began (choosing a session,
    /// applying to a class): on resident screens its result plays its signal;
    /// staff screens stay quiet.
    pub(in crate::kiosk) fn resident_action(
        self: &Rc<Self>,
        f: impl FnOnce(&mut KioskController) -> Signal,
    ) {
        let (resident, signal) = {
            let mut c = self.controller.borrow_mut();
            let resident = !c.screen().is_staff();
            (resident, f(&mut c))
        };
        self.refresh();
        if resident && let Some(hook) = self.feedback.borrow().as_ref() {
            hook(signal);
        }
    }

    fn card(self: &Rc<Self>, card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>) -> Signal {
        let signal = self.controller.borrow_mut().on_card(card);
        self.refresh();
        if let Some(hook) = self.feedback.borrow().as_ref() {
            hook(signal);
        }
        signal
    }
}

impl KioskUi {
    /// Creates the window (a Slint platform must exist or be creatable).
    pub fn new(controller: KioskController) -> Result<Self, slint::PlatformError> {
        Self::with_window(AppWindow::new()?, controller)
    }

    /// The kiosk in a window that exists already: the one the first-start
    /// wizard ([`setup::SetupUi`]) showed. Every `Kiosk` callback is wired
    /// anew, replacing the wizard's.
    pub fn with_window(
        window: AppWindow,
        controller: KioskController,
    ) -> Result<Self, slint::PlatformError> {
        let shared = Rc::new(Shared {
            controller: RefCell::new(controller),
            window: window.as_weak(),
            timer: slint::Timer::default(),
            ticker: slint::Timer::default(),
            feedback: RefCell::new(None),
            reader: RefCell::new(None),
        });
        let g = window.global::<Kiosk>();
        {
            let c = shared.controller.borrow();
            g.set_site(c.store().site().unwrap_or_default().into());
            g.set_purpose_text(flows::checkin::wording::PURPOSE.into());
        }
        let documents: Vec<&str> = crate::store::participants::DocumentKind::ALL
            .iter()
            .map(|d| d.label())
            .collect();
        g.set_reg_documents(strings(&documents));

        macro_rules! wire {
            ($on:ident, |$c:ident $(, $arg:ident: $t:ty)*| $body:expr) => {{
                let weak = Rc::downgrade(&shared);
                g.$on(move |$($arg: $t),*| {
                    if let Some(s) = weak.upgrade() {
                        s.act(|$c| {
                            $body;
                        });
                    }
                });
            }};
        }
        {
            // A resident's application to a class ends like a card tap: its
            // result sounds and lights up the same way.
            let weak = Rc::downgrade(&shared);
            g.on_apply_class(move |id| {
                if let Some(s) = weak.upgrade() {
                    s.resident_action(|c| c.apply_class(&id));
                }
            });
        }
        wire!(on_class_page_step, |c, d: i32| c.class_page_step(d));
        wire!(on_key, |c, k: SharedString| c.key(&k));
        wire!(on_backspace, |c| c.backspace());
        wire!(on_toggle_shift, |c| c.toggle_shift());
        wire!(on_toggle_symbols, |c| c.toggle_symbols());
        wire!(on_submit, |c| c.submit());
        wire!(on_cancel, |c| c.cancel());
        wire!(on_register_start, |c| c.register_start());
        wire!(on_sheet_page_step, |c, d: i32| c.sheet_page(d));
        wire!(on_staff_apply, |c, id: SharedString| c.staff_apply(&id));
        wire!(on_reg_document_set, |c, i: i32| c
            .reg_document(usize::try_from(i).unwrap_or(0)));
        wire!(on_name_focus_kana, |c, k: bool| c.name_focus_kana(k));
        wire!(on_name_choose, |c, i: i32| c
            .name_choose(usize::try_from(i).unwrap_or(usize::MAX)));
        wire!(on_name_as_kana, |c, katakana: bool| c.name_kana(katakana));
        wire!(on_name_mode_set, |c, m: i32| c.name_mode(match m {
            1 => tsudoi_kanji::Mode::OneByOne,
            2 => tsudoi_kanji::Mode::Variants,
            _ => tsudoi_kanji::Mode::Whole,
        }));
        wire!(on_name_page_step, |c, d: i32| c.name_page(d));
        wire!(on_name_undo, |c| c.name_undo());
        wire!(on_reg_era_set, |c, i: i32| c
            .reg_era(usize::try_from(i).unwrap_or(0)));
        wire!(on_reg_step_date, |c, part: i32, d: i32| c
            .reg_step_date(usize::try_from(part).unwrap_or(0), d));
        for adapter in flows::ADAPTERS {
            (adapter.wire)(&window, &shared);
        }
        {
            let weak = Rc::downgrade(&shared);
            g.on_demo_tap(move |n| {
                if let (Some(s), Some(card)) = (weak.upgrade(), super::demo_card(n)) {
                    s.demo_tap(card);
                }
            });
        }
        {
            let weak = Rc::downgrade(&shared);
            shared.ticker.start(
                slint::TimerMode::Repeated,
                controller::WAITING_TICK,
                move || {
                    if let Some(s) = weak.upgrade() {
                        // Other screens are left alone: a redraw there would
                        // restart their idle timeout.
                        if s.controller.borrow_mut().tick() {
                            s.redraw(false);
                        }
                    }
                },
            );
        }
        shared.refresh();
        Ok(Self { window, shared })
    }

    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// Shows the simulated reader panel (and keys 1–4) of `tsudoi demo`.
    pub fn set_demo_mode(&self, on: bool) {
        self.window.global::<Kiosk>().set_demo_mode(on);
    }

    /// Where the hardware layer's feedback (buzzer, lights) plugs in.
    pub fn set_feedback(&self, hook: FeedbackHook) {
        *self.shared.feedback.borrow_mut() = Some(hook);
    }

    /// Connects the card reader thread and the buzzer and lights: reader
    /// events reach the controller on the UI thread, each result plays its
    /// signal. `control` is the simulated reader's, for the demo panel.
    pub fn attach_reader(
        &self,
        handle: tsudoi_hw::ReaderHandle,
        control: Option<tsudoi_hw::SimulatedReaderControl>,
        feedback: Box<dyn tsudoi_hw::Feedback>,
    ) {
        let feedback = RefCell::new(feedback);
        self.set_feedback(Box::new(move |signal| feedback.borrow_mut().signal(signal)));
        let timer = slint::Timer::default();
        let weak = Rc::downgrade(&self.shared);
        timer.start(slint::TimerMode::Repeated, READER_DRAIN, move || {
            if let Some(shared) = weak.upgrade() {
                shared.drain_reader();
            }
        });
        *self.shared.reader.borrow_mut() = Some(ReaderLink {
            handle,
            control,
            _timer: timer,
        });
    }

    /// A card tap from the reader; returns the feedback signal.
    pub fn on_card(&self, card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>) -> Signal {
        self.shared.card(card)
    }

    /// The reader was plugged in or out.
    pub fn on_reader_state(&self, connected: bool) {
        self.shared.act(|c| c.on_reader_state(connected));
    }

    /// Runs `f` on the controller, then updates the screen.
    pub fn with_controller<R>(&self, f: impl FnOnce(&mut KioskController) -> R) -> R {
        let r = f(&mut self.shared.controller.borrow_mut());
        self.shared.refresh();
        r
    }

    /// The screen the window shows, read back from its globals (`None`
    /// only while the first-start wizard shows).
    pub fn ui_screen(&self) -> Option<Screen> {
        shown(&self.window, &self.shared.controller.borrow())
    }
}

/// Installs the headless testing platform with the software renderer, so
/// windows can be rendered to pixels without a display (screenshots, tests).
/// Time is mocked: advance it with `i_slint_backend_testing::mock_elapsed_time`.
pub fn init_headless() -> Result<(), slint::PlatformError> {
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )))
    .map_err(|e| slint::PlatformError::Other(e.to_string()))
}

/// Renders the window at `width`×`height` physical pixels and writes a PNG.
pub fn render_png(
    window: &AppWindow,
    width: u32,
    height: u32,
    path: &std::path::Path,
) -> crate::Result<()> {
    let w = window.window();
    w.set_size(slint::PhysicalSize::new(width, height));
    // Let layouts, conditionals and repeaters settle.
    i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
    let shot = w
        .take_snapshot()
        .map_err(|e| crate::Error::Invalid(format!("画面を描けませんでした: {e}")))?;
    let file = std::fs::File::create(path)?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), shot.width(), shot.height());
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let png_err =
        |e: png::EncodingError| crate::Error::Invalid(format!("PNGを書けませんでした: {e}"));
    let mut writer = enc.write_header().map_err(png_err)?;
    writer.write_image_data(shot.as_bytes()).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(())
}
