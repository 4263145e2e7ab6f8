//! The adapter between the Slint screens and [`KioskController`].

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::controller::{self, KioskController, Screen, Signal};
use super::flows::{self, Flow};

#[allow(clippy::all, missing_docs)]
pub(in crate::kiosk) mod generated {
    slint::include_modules!();
}

pub use generated::{AppWindow, Kiosk, Screen as UiScreen};

/// Shows the shared on-screen keyboard in its shift and symbol states, with
/// the caps that name what the shift and symbol keys switch to.
pub(in crate::kiosk) fn show_keyboard(k: &Kiosk, shifted: bool, symbols: bool) {
    k.set_shifted(shifted);
    k.set_symbols(symbols);
    k.set_shift_key(if shifted { "ABC" } else { "abc" }.into());
    let (cap, label) = if symbols {
        ("英字", "英字にもどす")
    } else {
        ("記号", "記号を出す")
    };
    k.set_symbols_key(cap.into());
    k.set_symbols_key_label(label.into());
}

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

/// The window's top-level screen: the flow's own view (every screen belongs
/// to a flow with its own global).
fn ui_screen(s: Screen) -> UiScreen {
    match s.flow() {
        Flow::CheckIn => UiScreen::CheckIn,
        Flow::SignIn => UiScreen::SignIn,
        Flow::Groups => UiScreen::Groups,
        Flow::Mimamori => UiScreen::Mimamori,
        Flow::Roster => UiScreen::Roster,
        Flow::Today => UiScreen::Today,
        Flow::Record => UiScreen::Record,
        Flow::Registration => UiScreen::Registration,
        Flow::Report => UiScreen::Report,
        Flow::Classes | Flow::ClassesStaff => UiScreen::Classes,
        Flow::Oversight => UiScreen::Oversight,
        Flow::Disclosure => UiScreen::Disclosure,
        Flow::Erasure => UiScreen::Erasure,
        Flow::Erased => UiScreen::Erased,
        Flow::VoiceSettings => UiScreen::VoiceSettings,
    }
}

/// The screen the window shows, read back from its globals (for tests):
/// the inverse of [`ui_screen`] and of the flows' own screens.
fn shown(window: &AppWindow, c: &KioskController) -> Option<Screen> {
    match window.global::<Kiosk>().get_screen() {
        UiScreen::CheckIn => flows::checkin::adapter::shown(window, c),
        UiScreen::SignIn => flows::sign_in::adapter::shown(window),
        UiScreen::Groups => flows::groups::adapter::shown(window),
        UiScreen::Mimamori => flows::mimamori::adapter::shown(window),
        UiScreen::Roster => flows::roster::adapter::shown(window),
        UiScreen::Today => flows::today::adapter::shown(window),
        UiScreen::Record => flows::record::adapter::shown(window),
        UiScreen::Report => flows::report::adapter::shown(window),
        UiScreen::Classes => flows::classes::adapter::shown(window),
        UiScreen::Oversight => flows::oversight::adapter::shown(window),
        UiScreen::Disclosure => flows::disclosure::adapter::shown(window),
        UiScreen::Erasure | UiScreen::Erased => flows::erasure::adapter::shown(window),
        UiScreen::Registration => flows::registration::adapter::shown(window),
        UiScreen::VoiceSettings => flows::voice_settings::adapter::shown(window),
        UiScreen::Setup => None,
    }
}

/// A list of texts as a Slint model (every adapter's lists of lines and labels).
pub(super) fn strings<S: AsRef<str>>(list: &[S]) -> ModelRc<SharedString> {
    ModelRc::new(VecModel::from(
        list.iter()
            .map(|s| SharedString::from(s.as_ref()))
            .collect::<Vec<_>>(),
    ))
}

/// Wires a global's callback to a controller action, then refreshes the
/// window: `wire!(g, shared, on_back, |c| c.report_back())`, with the
/// callback's arguments after `c` (`|c, i: i32| …`). Every flow's adapter
/// uses it; the window is held weakly, so a closed window does nothing.
macro_rules! wire {
    ($g:expr, $shared:expr, $on:ident, |$c:ident $(, $arg:ident $(: $t:ty)?)*| $body:expr) => {{
        let weak = std::rc::Rc::downgrade($shared);
        $g.$on(move |$($arg $(: $t)?),*| {
            if let Some(s) = weak.upgrade() {
                s.act(|$c| {
                    $body;
                });
            }
        });
    }};
}
pub(in crate::kiosk) use wire;

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
    /// wizard ([`SetupUi`](crate::kiosk::flows::setup::adapter::SetupUi)) showed. Every `Kiosk` callback is wired
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
        }

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
        wire!(on_key, |c, k: SharedString| c.key(&k));
        wire!(on_backspace, |c| c.backspace());
        wire!(on_toggle_shift, |c| c.toggle_shift());
        wire!(on_toggle_symbols, |c| c.toggle_symbols());
        wire!(on_submit, |c| c.submit());
        wire!(on_cancel, |c| c.cancel());
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

    /// The kiosk's window (to show it, run its event loop, or render it).
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// Shows the simulated reader panel (and keys 1–4) of `tsudoi demo`.
    pub fn set_demo_mode(&self, on: bool) {
        let g = self.window.global::<Kiosk>();
        let buttons: Vec<generated::DemoButton> = super::DEMO_BUTTONS
            .iter()
            .map(|text| generated::DemoButton {
                text: (*text).into(),
                label: super::demo_button_label(text).into(),
            })
            .collect();
        g.set_demo_buttons(ModelRc::new(VecModel::from(buttons)));
        g.set_demo_mode(on);
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
