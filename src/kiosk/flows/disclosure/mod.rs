//! 「開示用PDF」 on a record's 「直す・消す」 menu (issue 14, 開示請求):
//! everything held about the resident, as the A4 PDF of
//! [`crate::store::Store::export_disclosure_to_medium`], written onto one
//! inserted USB stick, read back and entered in the media ledger (purpose
//! 「本人への開示」), for staff to print and hand over. Managers and
//! handlers (the record screens are theirs).
//!
//! Only the stick's name, the folder and the file name reach this state;
//! it is kept with the open record (`Search::disclosure`), so it goes when
//! the record does.
//!
//! Screens: the `=> Disclosure` line of the registry; words in [`wording`].

pub mod adapter;
pub mod wording;

use crate::kiosk::controller::{KioskController, Screen};
use crate::report::media::{self, Medium};

/// The steps of writing a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscloseStep {
    /// No stick, or more than one: insert one and look again.
    Insert,
    /// One stick found: 「書き出す」.
    Ready,
    /// Written and read back.
    Done,
    /// Not written: why, and look again.
    Failed,
}

/// The disclosure screen's state.
#[derive(Debug, Clone)]
pub struct Disclose {
    /// Where the disclosure is: a stick to insert, ready, written, or failed.
    pub step: DiscloseStep,
    /// The one stick found.
    pub medium: Option<Medium>,
    /// Once written: the folder and the file on the stick.
    pub written: Option<(String, String)>,
    /// Why the stick cannot be used, or why writing failed.
    pub message: String,
}

impl Disclose {
    fn scan(root: &std::path::Path) -> Self {
        let found = media::removable_media(root);
        let (step, medium, message) = match found.as_slice() {
            [one] => (DiscloseStep::Ready, Some(one.clone()), String::new()),
            [] => (DiscloseStep::Insert, None, wording::NO_STICK.into()),
            _ => (DiscloseStep::Insert, None, wording::MANY_STICKS.into()),
        };
        Self {
            step,
            medium,
            written: None,
            message,
        }
    }

    /// The step's lines.
    pub fn lines(&self) -> Vec<String> {
        wording::lines(self)
    }
}

impl KioskController {
    /// The disclosure screen's state, while it is open.
    pub fn disclosure(&self) -> Option<&Disclose> {
        self.search.as_ref().and_then(|s| s.disclosure.as_ref())
    }

    /// 「開示用PDF」 on a record's 「直す・消す」 menu: looks for the stick.
    pub fn disclose_start(&mut self) {
        if self.screen != Screen::StaffEditMenu || !self.staff_handles_people() {
            return;
        }
        let root = self.config.usb.media_root.clone();
        if let Some(s) = self.search.as_mut()
            && s.record.is_some()
        {
            s.message.clear();
            s.disclosure = Some(Disclose::scan(&root));
            self.screen = Screen::StaffDisclose;
        }
    }

    /// 「もう一度さがす」 (no stick, or after a failure).
    pub fn disclose_scan(&mut self) {
        if self.screen != Screen::StaffDisclose {
            return;
        }
        let root = self.config.usb.media_root.clone();
        if let Some(s) = self.search.as_mut()
            && s.disclosure
                .as_ref()
                .is_some_and(|d| matches!(d.step, DiscloseStep::Insert | DiscloseStep::Failed))
        {
            s.disclosure = Some(Disclose::scan(&root));
        }
    }

    /// 「書き出す」: writes, reads back and enters the ledger.
    pub fn disclose_write(&mut self) {
        if self.screen != Screen::StaffDisclose {
            return;
        }
        let Some((staff, pid)) = self.staff_and_record() else {
            return;
        };
        let root = self.config.usb.media_root.clone();
        let Some(medium) = self
            .disclosure()
            .filter(|d| d.step == DiscloseStep::Ready)
            .and_then(|d| d.medium.clone())
        else {
            return;
        };
        // The stick must still be mounted where it was: a folder left behind
        // by an unplugged stick would be on the kiosk's own card.
        let outcome = if media::removable_media(&root).contains(&medium) {
            self.store
                .export_disclosure_to_medium(&staff, &pid, &medium)
                .map_err(|e| wording::not_written(&e))
        } else {
            Err(wording::REMOVED.into())
        };
        let Some(d) = self.search.as_mut().and_then(|s| s.disclosure.as_mut()) else {
            return;
        };
        match outcome {
            Ok(export) => {
                let folder = export
                    .dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                d.written = Some((folder, export.file));
                d.step = DiscloseStep::Done;
            }
            Err(m) => {
                d.message = m;
                d.step = DiscloseStep::Failed;
            }
        }
    }

    /// The header of the flow's screen.
    pub(in crate::kiosk) fn disclosure_header(&self) -> Option<String> {
        (self.screen == Screen::StaffDisclose).then(|| wording::TITLE.into())
    }
}
