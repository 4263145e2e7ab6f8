//! The sign-in flow's adapter: copies the form into the `SignIn` global
//! (`ui/sign-in.slint`) and forwards its callbacks. The keys come from the
//! shared on-screen keyboard (`Kiosk.key`), routed by the controller.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{Field, wording};
use crate::kiosk::controller::{KioskController, Screen};
use crate::kiosk::ui::Shared;
/// The flow's global, for tests.
pub use crate::kiosk::ui::generated::SignIn;
use crate::kiosk::ui::generated::{AppWindow, Kiosk, SignInField, SignInScreen};

fn ui_field(f: Field) -> SignInField {
    match f {
        Field::First => SignInField::First,
        Field::Second => SignInField::Second,
    }
}

/// Copies the form into `SignIn` (empty outside the flow: the controller
/// clears the form when it closes).
pub(in crate::kiosk) fn refresh(window: &AppWindow, c: &KioskController) {
    let g = window.global::<SignIn>();
    let (screen, labels) = match c.screen() {
        Screen::StaffSignIn => (SignInScreen::SignIn, wording::SIGN_IN),
        Screen::RepresentativeSignIn => (SignInScreen::HandBack, wording::SIGN_IN),
        Screen::StaffChangePassword => (SignInScreen::ChangePassword, wording::CHANGE_PASSWORD),
        _ => (SignInScreen::None, wording::SIGN_IN),
    };
    g.set_screen(screen);
    g.set_first_caption(labels.first.into());
    g.set_second_caption(labels.second.into());
    g.set_action(labels.action.into());
    g.set_cancel_label(wording::CANCEL.into());
    g.set_guide_label(wording::GUIDE_LABEL.into());
    g.set_first_text(c.first_shown().into());
    g.set_second_text(c.second_masked().into());
    g.set_field(ui_field(c.field()));
    let message = c.sign_in_message();
    g.set_warns(!message.is_empty());
    g.set_guide(
        if message.is_empty() {
            labels.title
        } else {
            message
        }
        .into(),
    );
    // The on-screen keyboard is shared with the first-start wizard: its
    // shift and symbol keys read `Kiosk`.
    let k = window.global::<Kiosk>();
    crate::kiosk::ui::show_keyboard(&k, c.shifted(), c.symbols());
}

/// Wires `SignIn`'s callbacks to the controller.
pub(in crate::kiosk) fn wire(window: &AppWindow, shared: &Rc<Shared>) {
    let g = window.global::<SignIn>();
    let weak = Rc::downgrade(shared);
    g.on_focus(move |f| {
        if let Some(s) = weak.upgrade() {
            s.act(|c| {
                c.focus(match f {
                    SignInField::First => Field::First,
                    SignInField::Second => Field::Second,
                })
            });
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_submit(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.sign_in_submit());
        }
    });
    let weak = Rc::downgrade(shared);
    g.on_cancel(move || {
        if let Some(s) = weak.upgrade() {
            s.act(|c| c.sign_in_cancel());
        }
    });
}

/// The registry's screen the window shows, when it is one of this flow's
/// (read back from `SignIn`, for tests).
pub(in crate::kiosk) fn shown(window: &AppWindow) -> Option<Screen> {
    match window.global::<SignIn>().get_screen() {
        SignInScreen::None => None,
        SignInScreen::SignIn => Some(Screen::StaffSignIn),
        SignInScreen::HandBack => Some(Screen::RepresentativeSignIn),
        SignInScreen::ChangePassword => Some(Screen::StaffChangePassword),
    }
}
