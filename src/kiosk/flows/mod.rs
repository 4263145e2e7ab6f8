//! The kiosk's flows and the registry of their screens.
//!
//! A flow is one folder here: `mod.rs` holds its state and its controller
//! actions (`impl KioskController` blocks, no UI), `wording.rs` every
//! Japanese sentence it shows, `adapter.rs` the copy of its state into its
//! own Slint global (`ui/<flow>.slint`) and the wiring of that global's
//! callbacks. This file is the registry: [`Screen`] lists every screen with
//! its flow (one line per screen), and `ADAPTERS` every flow's adapter
//! (one line per flow).
//!
//! Moved so far (issue 17, phase 1): the waiting and check-in flow
//! ([`checkin`]) and the staff sign-in ([`sign_in`]); built as flows from
//! the start (issue 15): 「グループの受付」 ([`groups`]) and
//! 「おやすみが続いている方」 ([`mimamori`]), 「名簿の取り込み」 ([`roster`]).
//! Moved from `controller/` (issue 17, phase 2): 「今日の受付」 ([`today`]),
//! a person's record at the desk ([`record`]: search, the record,
//! corrections, deletion, cards, applying to a lottery class on the
//! person's behalf), 「月の報告」 ([`report`]),
//! lottery classes ([`classes`]: [`Flow::Classes`] and [`Flow::ClassesStaff`]),
//! 「事故・点検」 ([`oversight`]), 開示 ([`disclosure`]), 「契約終了の消去」
//! and the erased screen ([`erasure`]), 「新しい方の登録」 ([`registration`],
//! with the name entry the record's corrections share). Every screen now
//! belongs to a flow; the window's `Kiosk` global keeps only what they all
//! share (which flow shows, the title bar, the on-screen keyboards). Built
//! as a flow (issue 18): 「音声案内の設定」 ([`voice_settings`]). Moved from
//! `controller/` last: 研修モード's banner and guide ([`training`], over
//! every screen, so it has an adapter but no screen of its own) and
//! 「はじめての設定」 ([`setup`], before any store exists: its own window
//! adapter, no screen and no `ADAPTERS` line).

pub mod checkin;
pub mod classes;
pub mod disclosure;
pub mod erasure;
pub mod groups;
pub mod mimamori;
pub mod oversight;
pub mod record;
pub mod registration;
pub mod report;
pub mod roster;
pub mod setup;
pub mod sign_in;
pub mod today;
pub mod training;
pub mod voice_settings;

use std::rc::Rc;

use crate::kiosk::controller::KioskController;
use crate::kiosk::ui::{AppWindow, Shared};

/// The kiosk's flows: which part of the code owns a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Waiting for a card, the result of a tap, choosing among sessions
    /// ([`checkin`]).
    CheckIn,
    /// The staff sign-in and the first password change ([`sign_in`]).
    SignIn,
    /// 「グループの受付」: today's group meetings, a member list, the list
    /// in the representative's hands ([`groups`]).
    Groups,
    /// 「おやすみが続いている方」: the 見守り list and a call's outcome
    /// ([`mimamori`]).
    Mimamori,
    /// 「名簿の取り込み」: the ward's roster from a USB stick ([`roster`]).
    Roster,
    /// 「今日の受付」: the staff home screen and adding a session ([`today`]).
    Today,
    /// A person's record at the desk: search, the record, corrections,
    /// deletion, cards, applying to a lottery class on the person's behalf
    /// ([`record`]; the class list's rows and words are [`classes`]').
    Record,
    /// 「月の報告」: the month's tables and chart, exports to a USB stick
    /// with the media ledger ([`report`]).
    Report,
    /// 「事故・点検」: incidents, the inspection summary, the ward's reports,
    /// the records past the retention period ([`oversight`]).
    Oversight,
    /// A record's disclosure PDF written to a USB stick ([`disclosure`]).
    Disclosure,
    /// 「契約終了の消去」, step by step (managers) ([`erasure`]).
    Erasure,
    /// 「新しい方の登録」 and the re-check of an ID ([`registration`]).
    Registration,
    /// Lottery classes at the kiosk: class mode, the card holder's results
    /// and the open classes, an application's result ([`classes`]).
    Classes,
    /// The classes flow's staff screens: a class's attendance sheet
    /// ([`classes`]; the same folder and global as [`Flow::Classes`], but
    /// behind a sign-in).
    ClassesStaff,
    /// 「音声案内の設定」: on/off, volume, quiet mode, a sample
    /// ([`voice_settings`]).
    VoiceSettings,
    /// The store has been erased: the kiosk does nothing else. Not a staff
    /// flow (nothing locks, nothing signs in); its screen is drawn by the
    /// [`erasure`] flow's adapter.
    Erased,
}

impl Flow {
    /// Staff flows need a sign-in (or lead to one) and lock when idle.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Flow::SignIn
                | Flow::Groups
                | Flow::Mimamori
                | Flow::Roster
                | Flow::Today
                | Flow::Record
                | Flow::Report
                | Flow::ClassesStaff
                | Flow::Oversight
                | Flow::Disclosure
                | Flow::Erasure
                | Flow::Registration
                | Flow::VoiceSettings
        )
    }
}

/// Declares [`Screen`] and [`Screen::flow`] from one list of
/// `Screen => Flow` lines, so that a new screen is one line here.
macro_rules! screens {
    ($( $(#[$doc:meta])* $screen:ident => $flow:ident, )*) => {
        /// Every screen of the kiosk and, in [`Screen::flow`], the flow that
        /// owns it. Resident screens need no sign-in; staff screens do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Screen {
            $( $(#[$doc])* $screen, )*
        }

        impl Screen {
            /// The flow that owns the screen.
            pub fn flow(self) -> Flow {
                match self {
                    $( Screen::$screen => Flow::$flow, )*
                }
            }
        }
    };
}

screens! {
    /// The store is locked: a staff member must sign in to start the day.
    Locked => CheckIn,
    /// Waiting for a card: the day's sessions, 「カードをタッチしてください」.
    Waiting => CheckIn,
    /// Why the kiosk records a visit and what it keeps (利用目的), one tap
    /// from waiting.
    Purpose => CheckIn,
    /// The tap recorded the check-in: the name (own name only) and the session.
    CheckedIn => CheckIn,
    /// This card was already checked in to that session today.
    AlreadyCheckedIn => CheckIn,
    /// No one has registered this card: staff register it at the desk.
    UnknownCard => CheckIn,
    /// The holder's ID must be checked again before the next check-in.
    ReverificationDue => CheckIn,
    /// The holder is not eligible (age, address) for the session.
    NotEligible => CheckIn,
    /// The session has no seat left.
    SessionFull => CheckIn,
    /// No session is open for check-in now.
    NoSession => CheckIn,
    /// The card could not be read as a card (a phone's random id, a
    /// misread): tap again or use another card.
    CardError => CheckIn,
    /// The store failed during a resident's tap (a disk or database error):
    /// 「係の者をお呼びください」, the attention light, a log line.
    KioskFault => CheckIn,
    /// The clock was found behind the store's latest time at start-up: no
    /// check-in is recorded until staff confirm the time (`tsudoi clock confirm`).
    ClockUnconfirmed => CheckIn,
    /// A tap while several sessions are open: which one the resident came for.
    ChooseSession => CheckIn,
    /// A lottery class is running and the card holder holds no seat in it.
    NoSeat => CheckIn,
    /// Class mode: asks for the card whose classes and results to show.
    ClassCard => Classes,
    /// The card holder's lottery results and the open classes.
    Classes => Classes,
    /// An application was recorded: the entry number in big type.
    ClassApplied => Classes,
    /// The first application needs the address: staff take it at the desk.
    ClassNeedsAddress => Classes,
    /// An application was refused (duplicate, not eligible, closed, other class).
    ClassRefused => Classes,
    /// The staff sign-in: staff id and password.
    StaffSignIn => SignIn,
    /// The first sign-in's password change (new password twice).
    StaffChangePassword => SignIn,
    /// The staff sign-in that ends representative mode (「スタッフにもどす」);
    /// 「やめる」 returns to the representative's list.
    RepresentativeSignIn => SignIn,
    /// 「グループ・見守り」: today's group meetings, and the way to 見守り.
    StaffGroups => Groups,
    /// A meeting's member list: furigana order, big rows, a tap checks in.
    StaffGroupMembers => Groups,
    /// The member list in the group representative's hands: no phones, no
    /// staff session, nothing else reachable.
    GroupRepresentative => Groups,
    /// 「おやすみが続いている方」: the 見守り list.
    StaffWatch => Mimamori,
    /// A call's outcome and day.
    StaffWatchCall => Mimamori,
    /// 「名簿の取り込み」: the files on the stick, a file's problems or its
    /// differences, the import.
    StaffRoster => Roster,
    /// 「今日の受付」: the staff home screen, today's sessions and counts.
    StaffToday => Today,
    /// Adding a session for today, step by step.
    StaffAddSession => Today,
    /// 「新しい方の登録」, step by step (also 「本人確認をやり直す」).
    StaffRegister => Registration,
    /// Finding a person's record by furigana, phone or card.
    StaffSearch => Record,
    /// A person's record at the desk: what is on file, and what can be done.
    StaffRecord => Record,
    /// Correcting one field of the record (name, phone, address …).
    StaffCorrect => Record,
    /// 「直す・消す」 on a record: which field to correct, or delete.
    StaffEditMenu => Record,
    /// The classes taking applications, to apply on the person's behalf.
    StaffClasses => Record,
    /// 「記録を消す」: asks before deleting.
    StaffConfirmDelete => Record,
    /// The monthly report: preview, chart, USB export, media ledger.
    StaffReport => Report,
    /// A record's cards: take one off, replace one, add one.
    StaffCards => Record,
    /// A lottery class's attendance sheet (出席簿).
    StaffSheet => ClassesStaff,
    /// 「事故・点検」: record an incident, the inspection summary, the
    /// ward's reports.
    StaffOversight => Oversight,
    /// Recording an incident, step by step.
    StaffIncident => Oversight,
    /// A record's disclosure PDF written to a USB stick (開示).
    StaffDisclose => Disclosure,
    /// 「契約終了の消去」, step by step (managers).
    StaffErasure => Erasure,
    /// 「音声案内の設定」 (from 「事故・点検」).
    StaffVoice => VoiceSettings,
    /// The store has been erased: the kiosk does nothing else.
    Erased => Erased,
}

impl Screen {
    /// Whether the screen belongs to a staff flow.
    pub fn is_staff(self) -> bool {
        self.flow().is_staff()
    }
}

/// A flow's adapter: copies the controller's state into the flow's Slint
/// global, and wires that global's callbacks to the controller.
pub(in crate::kiosk) struct Adapter {
    /// Sets the global's fixed words and connects its callbacks, once per
    /// window.
    pub wire: fn(&AppWindow, &Rc<Shared>),
    /// Copies the controller's state into the global after every action.
    pub refresh: fn(&AppWindow, &KioskController),
}

/// Every flow's adapter, one line per flow; the window's own `Kiosk` global
/// (which flow shows, the title bar, the keyboards) is wired by `ui.rs`.
pub(in crate::kiosk) const ADAPTERS: &[Adapter] = &[
    Adapter {
        wire: checkin::adapter::wire,
        refresh: checkin::adapter::refresh,
    },
    Adapter {
        wire: sign_in::adapter::wire,
        refresh: sign_in::adapter::refresh,
    },
    Adapter {
        wire: classes::adapter::wire,
        refresh: classes::adapter::refresh,
    },
    Adapter {
        wire: groups::adapter::wire,
        refresh: groups::adapter::refresh,
    },
    Adapter {
        wire: mimamori::adapter::wire,
        refresh: mimamori::adapter::refresh,
    },
    Adapter {
        wire: roster::adapter::wire,
        refresh: roster::adapter::refresh,
    },
    Adapter {
        wire: today::adapter::wire,
        refresh: today::adapter::refresh,
    },
    Adapter {
        wire: record::adapter::wire,
        refresh: record::adapter::refresh,
    },
    Adapter {
        wire: report::adapter::wire,
        refresh: report::adapter::refresh,
    },
    Adapter {
        wire: registration::adapter::wire,
        refresh: registration::adapter::refresh,
    },
    Adapter {
        wire: oversight::adapter::wire,
        refresh: oversight::adapter::refresh,
    },
    Adapter {
        wire: disclosure::adapter::wire,
        refresh: disclosure::adapter::refresh,
    },
    Adapter {
        wire: erasure::adapter::wire,
        refresh: erasure::adapter::refresh,
    },
    Adapter {
        wire: voice_settings::adapter::wire,
        refresh: voice_settings::adapter::refresh,
    },
    Adapter {
        wire: training::adapter::wire,
        refresh: training::adapter::refresh,
    },
];
