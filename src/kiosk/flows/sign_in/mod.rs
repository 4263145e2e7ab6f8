//! The staff sign-in flow: the staff id and password typed on the on-screen
//! keyboard, and the new password asked twice at a first sign-in.
//!
//! Its screens are the `=> SignIn` lines of the registry
//! ([`crate::kiosk::flows::Screen`]); its words are in [`wording`].

pub mod adapter;
pub mod wording;

use zeroize::Zeroizing;

use crate::error::Error;
use crate::kiosk::controller::{KioskController, Screen};

/// Which field the on-screen keyboard types into: on the sign-in screen the
/// staff id and the password, on the password change the new password and
/// the same again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    /// The staff id (the new password on the password change).
    #[default]
    First,
    /// The password (the new password again).
    Second,
}

/// Longest staff id or password the form takes.
const MAX_FIELD: usize = 64;

/// The flow's state inside [`KioskController`]; cleared whenever the form
/// closes, so nothing typed stays. No `Debug`: it holds a password.
#[derive(Default)]
pub struct SignIn {
    pub(in crate::kiosk) first: Zeroizing<String>,
    pub(in crate::kiosk) second: Zeroizing<String>,
    pub(in crate::kiosk) field: Field,
    pub(in crate::kiosk) shifted: bool,
    /// The keyboard shows symbols instead of letters.
    pub(in crate::kiosk) symbols: bool,
    /// What the form says above the keyboard (a refusal, a hint), or empty.
    pub(in crate::kiosk) message: String,
}

impl KioskController {
    /// The staff button on the waiting or locked screen.
    pub fn staff_start(&mut self) {
        if matches!(self.screen, Screen::Waiting | Screen::Locked) {
            // Staff are at the screen: a resident's sentence stops.
            self.hush();
            self.clear_result();
            self.clear_form();
            // Large text was for a resident; staff screens never use it.
            self.check_in.layout = Default::default();
            self.training.request = false;
            self.screen = Screen::StaffSignIn;
        }
    }

    /// The sign-in with `id` already typed, for the manager just made by
    /// the first-start wizard (`setup`): only the first password is left.
    pub fn staff_start_as(&mut self, id: &str) {
        self.staff_start();
        if self.screen == Screen::StaffSignIn {
            self.sign_in.first = Zeroizing::new(id.to_owned());
            self.sign_in.field = Field::Second;
            self.sign_in.message = wording::FIRST_PASSWORD_AFTER_SETUP.into();
        }
    }

    /// What the sign-in form says (a refusal or a hint), or empty.
    pub fn sign_in_message(&self) -> &str {
        &self.sign_in.message
    }

    /// The first field as typed: the staff id (or the new password on the
    /// password change; never shown as it is there).
    pub fn first_field(&self) -> &str {
        &self.sign_in.first
    }

    /// The second field as dots: passwords never reach the screen.
    pub fn second_masked(&self) -> String {
        "●".repeat(self.sign_in.second.chars().count())
    }

    /// The first field as typed (staff id), or as dots on the password-change screen.
    pub fn first_shown(&self) -> String {
        if self.screen == Screen::StaffChangePassword {
            "●".repeat(self.sign_in.first.chars().count())
        } else {
            self.sign_in.first.to_string()
        }
    }

    /// Which of the form's two fields the keys type into.
    pub fn field(&self) -> Field {
        self.sign_in.field
    }

    /// The letter keyboard types capitals.
    pub fn shifted(&self) -> bool {
        self.sign_in.shifted
    }

    /// The letter keyboard shows its symbols.
    pub fn symbols(&self) -> bool {
        self.sign_in.symbols
    }

    /// A field was tapped: the keys type into it.
    pub fn focus(&mut self, field: Field) {
        self.sign_in.field = field;
    }

    /// The keyboard's shift key.
    pub fn toggle_shift(&mut self) {
        self.sign_in.shifted = !self.sign_in.shifted;
    }

    /// 「記号」: the letter rows become the ASCII symbols, and back.
    pub fn toggle_symbols(&mut self) {
        self.sign_in.symbols = !self.sign_in.symbols;
    }

    /// A key of the on-screen keyboard on the sign-in form: staff ids and
    /// passwords are printable ASCII, one key at a time.
    pub(in crate::kiosk) fn sign_in_key(&mut self, text: &str) {
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return;
        };
        if !c.is_ascii_graphic() {
            return;
        }
        let c = if self.sign_in.shifted {
            c.to_ascii_uppercase()
        } else {
            c
        };
        let target = match self.sign_in.field {
            Field::First => &mut self.sign_in.first,
            Field::Second => &mut self.sign_in.second,
        };
        if target.chars().count() < MAX_FIELD {
            target.push(c);
        }
    }

    pub(in crate::kiosk) fn sign_in_backspace(&mut self) {
        let target = match self.sign_in.field {
            Field::First => &mut self.sign_in.first,
            Field::Second => &mut self.sign_in.second,
        };
        target.pop();
    }

    /// 「サインイン」 / 「変更する」.
    pub fn sign_in_submit(&mut self) {
        match self.screen {
            Screen::StaffSignIn | Screen::RepresentativeSignIn => self.sign_in(),
            Screen::StaffChangePassword => self.change_password(),
            _ => {}
        }
    }

    /// 「やめる」: leaves the sign-in without signing in; on the password
    /// change, signs out again.
    pub fn sign_in_cancel(&mut self) {
        match self.screen {
            Screen::StaffSignIn => {
                self.clear_form();
                self.training.request = false;
                // A training that just ended is not recorded without the sign-in.
                self.training.pending = None;
                self.go_waiting();
            }
            Screen::StaffChangePassword => self.sign_out(),
            // Ending representative mode was not confirmed: the list again.
            Screen::RepresentativeSignIn => self.groups_resume(),
            _ => {}
        }
    }

    fn sign_in(&mut self) {
        let id = self.sign_in.first.trim().to_owned();
        let password = std::mem::take(&mut self.sign_in.second);
        if id.is_empty() || password.is_empty() {
            self.sign_in.message = wording::ID_AND_PASSWORD.into();
            return;
        }
        // The upgrade to format 2 makes a new recovery key that must be shown
        // once: it runs at a manager's sign-in on the command line, not here.
        if self.store.needs_format_upgrade().unwrap_or(false) {
            self.sign_in.message = wording::FORMAT_UPGRADE.into();
            return;
        }
        if self.training.request {
            self.training_sign_in(&id, &password);
            return;
        }
        match self.store.sign_in(&id, &password) {
            Ok(session) => {
                let must_change = session.must_change_password();
                // A sign-in that ends representative mode drops the list.
                self.groups = Default::default();
                self.staff = Some(session);
                self.clear_form();
                if must_change {
                    self.sign_in.message = wording::FIRST_SIGN_IN.into();
                    self.screen = Screen::StaffChangePassword;
                } else {
                    self.open_today();
                    if let Some(m) = self
                        .staff
                        .clone()
                        .and_then(|s| self.record_pending_training(&s))
                    {
                        self.staff_message = m;
                    } else if !self.store.can_check_in_by_card() {
                        self.staff_message = wording::NO_CARD_KEYS.into();
                    }
                }
            }
            Err(e) => self.sign_in_refused(e),
        }
    }

    /// A sign-in was refused: why, and the password to type again.
    pub(in crate::kiosk) fn sign_in_refused(&mut self, e: Error) {
        self.sign_in.field = Field::Second;
        self.sign_in.message = wording::sign_in_failure(e);
    }

    fn change_password(&mut self) {
        if *self.sign_in.first != *self.sign_in.second {
            self.sign_in.second = Zeroizing::new(String::new());
            self.sign_in.field = Field::Second;
            self.sign_in.message = wording::PASSWORDS_DIFFER.into();
            return;
        }
        let Some(mut session) = self.staff.take() else {
            self.go_waiting();
            return;
        };
        let result = self
            .store
            .change_password(&mut session, &self.sign_in.first);
        self.staff = Some(session);
        match result {
            Ok(()) => {
                self.clear_form();
                self.open_today();
            }
            Err(e) => {
                self.sign_in.first = Zeroizing::new(String::new());
                self.sign_in.second = Zeroizing::new(String::new());
                self.sign_in.field = Field::First;
                self.sign_in.message = match e {
                    Error::WeakPassword(m) => m,
                    _ => wording::PASSWORD_NOT_CHANGED.into(),
                };
            }
        }
    }
}
