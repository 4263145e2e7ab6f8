//! 「グループの受付」 (issue 15): today's hobby-group meetings, a meeting's
//! member list in furigana order with big rows, a tap to check a member in
//! by hand, and the same list handed to the group's representative.
//!
//! **Representative mode.** 「代表者にわたす」 is offered only for a group
//! whose representative a manager or handler has set
//! (`tsudoi group representative`).
//! Handing over is audited (`group_handover`), then the staff member is
//! **signed out**: the kiosk holds no staff session while the representative
//! has the tablet, so no staff action can run whatever is pressed. The
//! phones are dropped from memory before the list shows again (never
//! hidden only); the list keeps record ids, names, furigana, checked-in and
//! card marks. A tap checks the member in as the kiosk does a card tap
//! ([`Store::check_in_group_member_at_kiosk`]: the member of that group,
//! its meeting today). The only way out is a staff sign-in (any staff
//! member's id and password, [`Screen::RepresentativeSignIn`]), or the
//! staff idle timeout, which ends on the waiting screen.
//!
//! Screens: the `=> Groups` lines of the registry; words in [`wording`].

pub mod adapter;
pub mod wording;

use std::collections::HashSet;

use zeroize::Zeroizing;

use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen};
use crate::store::attendance::CheckInOutcome;
use crate::store::groups::{GroupMeeting, Member};
use crate::store::{StaffSession, Store};

/// Member rows per page: big rows at 800×480 under the header, with the
/// message line and the buttons below.
pub const MEMBER_ROWS: usize = 4;

/// What the flow needs from the store, so that its decisions can be tested
/// over a fake (`tests/groups_flow.rs`).
pub trait GroupStore {
    /// The groups meeting today.
    fn meetings_today(&mut self) -> Result<Vec<GroupMeeting>>;
    /// A group's members in furigana order, with phones (staff only; audited).
    fn members(&mut self, group_id: &str) -> Result<Vec<Member>>;
    /// The record ids checked in to a session.
    fn checked_in(&mut self, session_id: &str) -> Result<Vec<String>>;
    /// A member checked in by hand by the signed-in staff member.
    fn check_in(&mut self, group_id: &str, participant_id: &str) -> Result<CheckInOutcome>;
    /// Audits the hand-over of a group's list to its representative.
    fn hand_over(&mut self, group_id: &str) -> Result<()>;
}

/// What representative mode may do: check a member in as the kiosk (no
/// staff session exists then).
pub trait RepresentativeStore {
    /// Checks a member of the group in as a card tap at the kiosk would
    /// (the check-in rules apply; no staff session exists).
    fn check_in_at_kiosk(&mut self, group_id: &str, participant_id: &str)
    -> Result<CheckInOutcome>;
    /// Who is checked in to the session already (their record ids), to mark
    /// the list.
    fn checked_in(&mut self, session_id: &str) -> Result<Vec<String>>;
}

/// The store with the signed-in staff member.
pub struct StaffStore<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl GroupStore for StaffStore<'_> {
    fn meetings_today(&mut self) -> Result<Vec<GroupMeeting>> {
        self.staff.require(true)?;
        let today = self.store.clock().today();
        self.store.group_meetings_on(today)
    }

    fn members(&mut self, group_id: &str) -> Result<Vec<Member>> {
        self.store.group_members(self.staff, group_id)
    }

    fn checked_in(&mut self, session_id: &str) -> Result<Vec<String>> {
        self.store.checked_in_to(session_id)
    }

    fn check_in(&mut self, group_id: &str, participant_id: &str) -> Result<CheckInOutcome> {
        self.store
            .check_in_group_member(self.staff, group_id, participant_id)
    }

    fn hand_over(&mut self, group_id: &str) -> Result<()> {
        self.store.hand_over_group(self.staff, group_id)
    }
}

impl RepresentativeStore for Store {
    fn check_in_at_kiosk(
        &mut self,
        group_id: &str,
        participant_id: &str,
    ) -> Result<CheckInOutcome> {
        self.check_in_group_member_at_kiosk(group_id, participant_id)
    }

    fn checked_in(&mut self, session_id: &str) -> Result<Vec<String>> {
        self.checked_in_to(session_id)
    }
}

/// One member as a row. `phone` is `None` in representative mode: dropped,
/// not hidden. `Debug` shows the record id alone.
pub struct MemberRow {
    /// The member's record id (what a tap checks in; the only field `Debug` shows).
    pub participant_id: String,
    /// The member's name (personal: zeroized).
    pub name: Zeroizing<String>,
    /// The name's furigana, the list's order.
    pub kana: Zeroizing<String>,
    /// The member's phone for staff; `None` in representative mode.
    pub phone: Option<Zeroizing<String>>,
    /// Whether the member is checked in to the meeting already.
    pub checked_in: bool,
    /// Whether the member has a card linked (else staff check them in here).
    pub has_card: bool,
}

impl std::fmt::Debug for MemberRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberRow")
            .field("participant_id", &self.participant_id)
            .field("checked_in", &self.checked_in)
            .field("has_card", &self.has_card)
            .finish_non_exhaustive()
    }
}

/// What the last action came to, before [`wording::notice`] puts it into
/// words. `Debug` shows the variant alone (the kana is personal).
pub enum Notice {
    /// The tapped member was checked in (their name).
    CheckedIn(Zeroizing<String>),
    /// The tapped member was checked in already (their name).
    AlreadyCheckedIn(Zeroizing<String>),
    /// The check-in rules refused (an ID check due, not eligible, …).
    Refused(CheckInOutcome),
    /// The store refused or failed: its Japanese message.
    Failed(String),
}

impl std::fmt::Debug for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Notice::CheckedIn(_) => "CheckedIn",
            Notice::AlreadyCheckedIn(_) => "AlreadyCheckedIn",
            Notice::Refused(_) => "Refused",
            Notice::Failed(_) => "Failed",
        })
    }
}

/// The flow's state; everything is dropped when the flow closes.
#[derive(Default, Debug)]
pub struct Groups {
    pub(in crate::kiosk) meetings: Vec<GroupMeeting>,
    /// The meeting whose list is open.
    pub(in crate::kiosk) open: Option<GroupMeeting>,
    pub(in crate::kiosk) members: Vec<MemberRow>,
    pub(in crate::kiosk) page: usize,
    /// The list is in the representative's hands.
    pub(in crate::kiosk) representative: bool,
    pub(in crate::kiosk) notice: Option<Notice>,
}

impl Groups {
    /// Today's meetings (the menu).
    pub fn load(&mut self, store: &mut impl GroupStore) -> Result<()> {
        let meetings = store.meetings_today()?;
        *self = Groups {
            meetings,
            ..Groups::default()
        };
        Ok(())
    }

    /// Opens one meeting's member list (by its session id). False when the
    /// meeting is not among today's, or the store refused (the notice says why).
    pub fn choose(&mut self, store: &mut impl GroupStore, session_id: &str) -> bool {
        let Some(meeting) = self
            .meetings
            .iter()
            .find(|m| m.session_id == session_id)
            .cloned()
        else {
            return false;
        };
        let members = match store.members(&meeting.group_id) {
            Ok(m) => m,
            Err(e) => {
                self.notice = Some(Notice::Failed(e.to_string()));
                return false;
            }
        };
        let done: HashSet<String> = store
            .checked_in(&meeting.session_id)
            .unwrap_or_default()
            .into_iter()
            .collect();
        self.members = members
            .into_iter()
            .map(|m| MemberRow {
                checked_in: done.contains(&m.participant_id),
                has_card: m.cards > 0,
                participant_id: m.participant_id,
                name: m.name,
                kana: m.kana,
                phone: Some(m.phone),
            })
            .collect();
        self.open = Some(meeting);
        self.page = 0;
        self.representative = false;
        self.notice = None;
        true
    }

    /// A row tapped by staff: checks the member in.
    pub fn check_in(&mut self, store: &mut impl GroupStore, participant_id: &str) {
        let Some(meeting) = self.open.clone() else {
            return;
        };
        if self.representative || !self.has_member(participant_id) {
            return;
        }
        let result = store.check_in(&meeting.group_id, participant_id);
        self.after_check_in(result);
        let done = store.checked_in(&meeting.session_id);
        self.mark_checked_in(done);
    }

    /// A row tapped by the representative: checks the member in as the kiosk.
    pub fn check_in_as_representative(
        &mut self,
        store: &mut impl RepresentativeStore,
        participant_id: &str,
    ) {
        let Some(meeting) = self.open.clone() else {
            return;
        };
        if !self.representative || !self.has_member(participant_id) {
            return;
        }
        let result = store.check_in_at_kiosk(&meeting.group_id, participant_id);
        self.after_check_in(result);
        let done = store.checked_in(&meeting.session_id);
        self.mark_checked_in(done);
    }

    fn has_member(&self, participant_id: &str) -> bool {
        self.members
            .iter()
            .any(|m| m.participant_id == participant_id)
    }

    fn after_check_in(&mut self, result: Result<CheckInOutcome>) {
        self.notice = Some(match result {
            Ok(CheckInOutcome::CheckedIn { kana, .. }) => Notice::CheckedIn(kana),
            Ok(CheckInOutcome::AlreadyCheckedIn { kana, .. }) => Notice::AlreadyCheckedIn(kana),
            Ok(refused) => Notice::Refused(refused),
            Err(e) => Notice::Failed(e.to_string()),
        });
    }

    fn mark_checked_in(&mut self, done: Result<Vec<String>>) {
        let Ok(done) = done else {
            return;
        };
        let done: HashSet<String> = done.into_iter().collect();
        for m in &mut self.members {
            m.checked_in = done.contains(&m.participant_id);
        }
        if let Some(meeting) = self.open.as_mut() {
            meeting.attendance = u32::try_from(done.len()).unwrap_or(u32::MAX);
        }
    }

    /// Whether 「代表者にわたす」 is offered: a list is open in staff mode
    /// and its group has a representative.
    pub fn can_hand_over(&self) -> bool {
        !self.representative && self.open.as_ref().is_some_and(|m| m.has_representative)
    }

    /// 「代表者にわたす」: audits the hand-over, then drops every phone.
    /// False (with the notice) when not offered or the store refused.
    pub fn hand_over(&mut self, store: &mut impl GroupStore) -> bool {
        if !self.can_hand_over() {
            return false;
        }
        let Some(meeting) = self.open.clone() else {
            return false;
        };
        if let Err(e) = store.hand_over(&meeting.group_id) {
            self.notice = Some(Notice::Failed(e.to_string()));
            return false;
        }
        for m in &mut self.members {
            // Zeroized on drop.
            m.phone = None;
        }
        self.meetings.clear();
        self.representative = true;
        self.notice = None;
        self.page = 0;
        true
    }

    /// 「前へ」 / 「次へ」.
    pub fn page_step(&mut self, delta: i32) {
        let pages = self.pages();
        let next = self.page as i64 + i64::from(delta);
        self.page = next.clamp(0, pages as i64 - 1) as usize;
    }

    /// How many pages the member list takes (at least one).
    pub fn pages(&self) -> usize {
        self.members.len().div_ceil(MEMBER_ROWS).max(1)
    }

    /// The rows on the current page.
    pub fn page_rows(&self) -> &[MemberRow] {
        let start = (self.page * MEMBER_ROWS).min(self.members.len());
        let end = (start + MEMBER_ROWS).min(self.members.len());
        &self.members[start..end]
    }

    /// The member list's page on screen, from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    /// Today's group meetings, as 「グループ・見守り」 lists them.
    pub fn meetings(&self) -> &[GroupMeeting] {
        &self.meetings
    }

    /// The meeting whose member list is open, if one is.
    pub fn open_meeting(&self) -> Option<&GroupMeeting> {
        self.open.as_ref()
    }

    /// The open meeting's members, in furigana order.
    pub fn members(&self) -> &[MemberRow] {
        &self.members
    }

    /// Whether the list is in the group representative's hands (no
    /// phones, nothing else reachable).
    pub fn representative(&self) -> bool {
        self.representative
    }

    /// What the last tap came to, if anything is to be said.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Back from the list to the menu (staff mode only).
    pub fn close_list(&mut self) {
        self.members.clear();
        self.open = None;
        self.page = 0;
        self.notice = None;
    }
}

impl KioskController {
    /// Whether the Today screen offers 「グループ・見守り」: for roles that
    /// handle personal data. Also on a site with no hobby group yet: 見守り
    /// covers the regulars of every activity, not only the groups'.
    pub fn groups_available(&self) -> bool {
        self.screen == Screen::StaffToday && self.staff_handles_people()
    }

    /// The flow's state (for the adapter and tests).
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// 「グループ・見守り」 on the Today screen (managers and handlers).
    pub fn groups_open(&mut self) {
        if !matches!(self.screen, Screen::StaffToday | Screen::StaffWatch)
            || !self.staff_handles_people()
        {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        self.mimamori = Default::default();
        let mut store = StaffStore {
            store: &mut self.store,
            staff: &staff,
        };
        match self.groups.load(&mut store) {
            Ok(()) => self.screen = Screen::StaffGroups,
            Err(e) => self.staff_message = e.to_string(),
        }
    }

    /// A meeting chosen on the menu: its member list.
    pub fn groups_choose(&mut self, session_id: &str) {
        if self.screen != Screen::StaffGroups {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let mut store = StaffStore {
            store: &mut self.store,
            staff: &staff,
        };
        if self.groups.choose(&mut store, session_id) {
            self.screen = Screen::StaffGroupMembers;
        }
    }

    /// A member's row tapped: a check-in by hand (staff), or by the
    /// representative as the kiosk.
    pub fn groups_check_in(&mut self, participant_id: &str) {
        match self.screen {
            Screen::StaffGroupMembers => {
                let Some(staff) = self.staff.clone() else {
                    return;
                };
                let mut store = StaffStore {
                    store: &mut self.store,
                    staff: &staff,
                };
                self.groups.check_in(&mut store, participant_id);
            }
            Screen::GroupRepresentative => {
                self.groups
                    .check_in_as_representative(&mut self.store, participant_id);
            }
            _ => {}
        }
    }

    /// 「前へ」 / 「次へ」 on the member list.
    pub fn groups_page(&mut self, delta: i32) {
        if matches!(
            self.screen,
            Screen::StaffGroupMembers | Screen::GroupRepresentative
        ) {
            self.groups.page_step(delta);
        }
    }

    /// 「代表者にわたす」: the hand-over is audited, the staff member signed
    /// out, the phones dropped; the representative's list shows.
    pub fn groups_hand_over(&mut self) {
        if self.screen != Screen::StaffGroupMembers {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let mut store = StaffStore {
            store: &mut self.store,
            staff: &staff,
        };
        if !self.groups.hand_over(&mut store) {
            return;
        }
        // No staff session while the representative holds the tablet.
        if let Some(s) = self.staff.take() {
            let _ = self.store.sign_out(&s);
        }
        self.today.clear();
        self.staff_message.clear();
        self.screen = Screen::GroupRepresentative;
    }

    /// 「スタッフにもどす」: the staff sign-in that ends representative mode.
    pub fn groups_hand_back(&mut self) {
        if self.screen != Screen::GroupRepresentative {
            return;
        }
        self.clear_form();
        self.groups.notice = None;
        self.sign_in.message = wording::HAND_BACK_SIGN_IN.into();
        self.screen = Screen::RepresentativeSignIn;
    }

    /// 「やめる」 on the staff sign-in that ends representative mode: back
    /// to the representative's list.
    pub(in crate::kiosk) fn groups_resume(&mut self) {
        if self.screen == Screen::RepresentativeSignIn && self.groups.representative {
            self.clear_form();
            self.screen = Screen::GroupRepresentative;
        } else {
            self.sign_out();
        }
    }

    /// 「もどる」: from the list to the menu, from the menu to Today. The
    /// representative's list has no way back.
    pub fn groups_back(&mut self) {
        match self.screen {
            Screen::StaffGroupMembers => {
                self.groups.close_list();
                self.screen = Screen::StaffGroups;
            }
            Screen::StaffGroups => {
                self.groups = Groups::default();
                self.open_today();
            }
            _ => {}
        }
    }

    /// The title bar of the flow's screens.
    pub(in crate::kiosk) fn groups_header(&self) -> Option<String> {
        let name = || {
            self.groups
                .open
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_default()
        };
        match self.screen {
            Screen::StaffGroups => Some(wording::MENU_TITLE.into()),
            Screen::StaffGroupMembers => Some(wording::list_title(&name())),
            Screen::GroupRepresentative => Some(wording::representative_title(&name())),
            _ => None,
        }
    }
}
