//! The adapter of the first-start wizard (`ui/setup.slint`): copies the
//! [`SetupController`]'s state into the `Setup` global (words from
//! [`super::wording`], and the keyboards' shift and symbol states into
//! `Kiosk`), forwards the callbacks, and runs the store's creation on a
//! thread of its own so the screen (and the systemd watchdog's timer) keeps
//! going while Argon2 works. No logic: everything is decided in the flow's
//! `mod.rs`.
//!
//! The wizard shows in the kiosk's own window ([`AppWindow`], screen
//! `setup`); when it ends, the window is handed on ([`SetupUi::on_finished`])
//! and becomes the kiosk's ([`KioskUi::with_window`](crate::kiosk::KioskUi::with_window)): one window and
//! one event loop, nothing the linuxkms backend would have to open twice.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{self as ctl, CreateJob, Created, Notice, SetupController, wording};
use crate::error::{Error, Result};
use crate::kiosk::controller::Field;
use crate::kiosk::ui::generated::{AppWindow, Kiosk, Screen as UiScreen, SetupWords};
/// The flow's global and its enums, for tests.
pub use crate::kiosk::ui::generated::{Setup, SetupField, SetupLineStyle, SetupStep, SetupTone};
use crate::kiosk::ui::strings;

/// How often the creating thread's result is looked for.
const POLL: Duration = Duration::from_millis(50);

/// Called once 「サインインへ」 is pressed: the window and the manager's id.
pub type FinishHook = Box<dyn FnOnce(AppWindow, String)>;

struct Shared {
    controller: RefCell<SetupController>,
    window: slint::Weak<AppWindow>,
    poll: slint::Timer,
    result: RefCell<Option<mpsc::Receiver<Result<Created>>>>,
    finish: RefCell<Option<FinishHook>>,
}

/// The wizard in a kiosk window.
pub struct SetupUi {
    window: AppWindow,
    shared: Rc<Shared>,
}

fn tone(warn: bool) -> SetupTone {
    if warn {
        SetupTone::Warn
    } else {
        SetupTone::Plain
    }
}

fn ui_line_style(s: wording::LineStyle) -> SetupLineStyle {
    match s {
        wording::LineStyle::Body => SetupLineStyle::Body,
        wording::LineStyle::Small => SetupLineStyle::Small,
        wording::LineStyle::Strong => SetupLineStyle::Strong,
    }
}

fn ui_step(s: ctl::SetupStep) -> SetupStep {
    use ctl::SetupStep as S;
    match s {
        S::Welcome => SetupStep::Welcome,
        S::Site => SetupStep::Site,
        S::Manager => SetupStep::Manager,
        S::Password => SetupStep::Password,
        S::Confirm => SetupStep::Confirm,
        S::Creating => SetupStep::Creating,
        S::RecoveryKey => SetupStep::RecoveryKey,
        S::RecoveryCheck => SetupStep::RecoveryCheck,
        S::DeviceKeys => SetupStep::DeviceKeys,
        S::Done => SetupStep::Done,
    }
}

impl Shared {
    fn refresh(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let c = self.controller.borrow();
        let g = window.global::<Setup>();
        let step = c.step();
        g.set_step(ui_step(step));
        g.set_title(wording::title(step).into());
        g.set_title_tone(tone(step == ctl::SetupStep::RecoveryKey));
        g.set_lines(strings(&wording::lines(&c)));
        g.set_line_style(ui_line_style(wording::line_style(step)));
        g.set_message(wording::notice(c.notice()).into());
        g.set_guide(wording::guide(&c).into());
        g.set_guide_tone(tone(*c.notice() != Notice::None));
        g.set_types(c.types());
        g.set_first_caption(wording::caption(step).into());
        g.set_first_text(c.first_shown().into());
        g.set_second_text(c.second_shown().into());
        g.set_field(match c.field() {
            Field::First => SetupField::First,
            Field::Second => SetupField::Second,
        });
        g.set_kana(c.kana());
        let (switch, switch_label) = if c.kana() {
            (wording::TO_LETTERS, wording::TO_LETTERS_LABEL)
        } else {
            (wording::TO_KANA, wording::TO_KANA_LABEL)
        };
        g.set_switch_text(switch.into());
        g.set_switch_label(switch_label.into());
        // Empty on every other step: the key leaves the screen with its step.
        let rows: Vec<ModelRc<SharedString>> = c.key_rows().iter().map(|r| strings(r)).collect();
        g.set_key_rows(ModelRc::new(VecModel::from(rows)));
        g.set_can_back(c.can_go_back());
        g.set_back_label(wording::back(step).into());
        g.set_can_next(c.can_go_on());
        g.set_next_label(wording::next(step).into());
        let k = window.global::<Kiosk>();
        crate::kiosk::ui::show_keyboard(&k, c.shifted(), c.symbols());
    }

    fn act(&self, f: impl FnOnce(&mut SetupController)) {
        f(&mut self.controller.borrow_mut());
        self.refresh();
    }

    /// 「次へ」 and its kin; 「作成する」 starts the creation.
    fn next(self: &Rc<Self>) {
        let job = self.controller.borrow_mut().create();
        match job {
            Some(job) => self.start(job),
            None => self.controller.borrow_mut().next(),
        }
        self.refresh();
        let finished = self.controller.borrow().finished();
        if finished {
            let hook = self.finish.borrow_mut().take();
            let manager = self.controller.borrow().manager().to_owned();
            if let (Some(hook), Some(window)) = (hook, self.window.upgrade()) {
                hook(window, manager);
            }
        }
    }

    /// Runs the creation on its own thread; a timer brings the result back
    /// to the UI thread (the controller is not thread-safe).
    fn start(self: &Rc<Self>, job: CreateJob) {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("tsudoi-setup".into())
            .spawn(move || {
                let _ = tx.send(job.run());
            });
        if let Err(e) = spawned {
            self.controller.borrow_mut().created(Err(Error::from(e)));
            return;
        }
        *self.result.borrow_mut() = Some(rx);
        let weak = Rc::downgrade(self);
        self.poll.start(slint::TimerMode::Repeated, POLL, move || {
            if let Some(s) = weak.upgrade() {
                s.take_result();
            }
        });
    }

    fn take_result(&self) {
        let got = match self.result.borrow().as_ref().map(mpsc::Receiver::try_recv) {
            Some(Ok(result)) => result,
            Some(Err(mpsc::TryRecvError::Empty)) => return,
            Some(Err(mpsc::TryRecvError::Disconnected)) => {
                Err(crate::kiosk::error::KioskError::SetupStopped.into())
            }
            None => return,
        };
        self.result.borrow_mut().take();
        self.poll.stop();
        self.act(|c| c.created(got));
    }
}

impl SetupUi {
    /// Creates the window on the wizard's first step (a Slint platform must
    /// exist or be creatable).
    pub fn new(controller: SetupController) -> std::result::Result<Self, slint::PlatformError> {
        let window = AppWindow::new()?;
        let shared = Rc::new(Shared {
            controller: RefCell::new(controller),
            window: window.as_weak(),
            poll: slint::Timer::default(),
            result: RefCell::new(None),
            finish: RefCell::new(None),
        });
        let k = window.global::<Kiosk>();
        k.set_screen(UiScreen::Setup);
        k.set_reader_banner(SharedString::new());
        k.set_header(SharedString::new());
        macro_rules! wire {
            ($g:expr, $on:ident, |$c:ident $(, $arg:ident: $t:ty)*| $body:expr) => {{
                let weak = Rc::downgrade(&shared);
                $g.$on(move |$($arg: $t),*| {
                    if let Some(s) = weak.upgrade() {
                        s.act(|$c| {
                            $body;
                        });
                    }
                });
            }};
        }
        // The kiosk's keyboards call `Kiosk`; the kiosk's adapter takes these
        // over when the wizard hands the window on.
        wire!(k, on_key, |c, t: SharedString| c.key(&t));
        wire!(k, on_backspace, |c| c.backspace());
        wire!(k, on_toggle_shift, |c| c.toggle_shift());
        wire!(k, on_toggle_symbols, |c| c.toggle_symbols());
        let g = window.global::<Setup>();
        g.set_words(SetupWords {
            again: wording::AGAIN.into(),
            guide_label: wording::GUIDE_LABEL.into(),
            key_group_label: wording::KEY_GROUP_LABEL.into(),
            heading_label: wording::HEADING_LABEL.into(),
        });
        wire!(g, on_back, |c| c.back());
        wire!(g, on_focus, |c, f: SetupField| c.focus(match f {
            SetupField::First => Field::First,
            SetupField::Second => Field::Second,
        }));
        wire!(g, on_keyboard, |c, kana: bool| c.keyboard(kana));
        {
            let weak = Rc::downgrade(&shared);
            g.on_next(move || {
                if let Some(s) = weak.upgrade() {
                    s.next();
                }
            });
        }
        shared.refresh();
        Ok(Self { window, shared })
    }

    /// The kiosk's window the wizard shows in (to show it, or render it).
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// What to do once the wizard is over (the kiosk takes the window).
    pub fn on_finished(&self, hook: impl FnOnce(AppWindow, String) + 'static) {
        *self.shared.finish.borrow_mut() = Some(Box::new(hook));
    }

    /// Runs `f` on the controller, then updates the screen.
    pub fn with_controller<R>(&self, f: impl FnOnce(&mut SetupController) -> R) -> R {
        let r = f(&mut self.shared.controller.borrow_mut());
        self.shared.refresh();
        r
    }

    /// 「次へ」 as the screen's button does it (also 「作成する」).
    pub fn next(&self) {
        self.shared.next();
    }

    /// The wizard's step as the screen shows it.
    pub fn step(&self) -> SetupStep {
        self.window.global::<Setup>().get_step()
    }
}
