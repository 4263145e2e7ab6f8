//! 「グループの受付」 and 「おやすみが続いている方」: the flows' decisions and
//! words over fake stores (no database, no Slint). All data invented.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use tsudoi::Error;
use tsudoi::kiosk::flows::groups::{
    GroupStore, Groups, MEMBER_ROWS, Notice, RepresentativeStore, wording as gw,
};
use tsudoi::kiosk::flows::mimamori::{
    CallNotice, MAX_DAYS_BACK, Mimamori, WatchStore, wording as mw,
};
use tsudoi::store::attendance::CheckInOutcome;
use tsudoi::store::groups::{GroupMeeting, Member, WatchRule};
use tsudoi::store::mimamori::{CallRecorded, Outcome, WatchCandidate, WatchContext, WatchEntry};
use tsudoi::store::participants::Basis;
use zeroize::Zeroizing;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn meeting(group: &str, name: &str, session: &str, rep: bool) -> GroupMeeting {
    GroupMeeting {
        group_id: group.into(),
        name: name.into(),
        room: "多目的室".into(),
        session_id: session.into(),
        start: NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(15, 30, 0).unwrap(),
        attendance: 0,
        has_representative: rep,
    }
}

fn member(i: usize) -> Member {
    Member {
        participant_id: format!("p{i:02}"),
        name: Zeroizing::new(format!("試験 会員{i:02}")),
        kana: Zeroizing::new(format!("シケン カイイン{i:02}")),
        phone: Zeroizing::new(format!("035555{i:04}")),
        basis: Basis::WardProvided,
        cards: u32::from(i.is_multiple_of(3)),
    }
}

/// Members in furigana order (the store's order), check-ins in a set.
#[derive(Default)]
struct FakeGroups {
    meetings: Vec<GroupMeeting>,
    members: usize,
    done: BTreeSet<String>,
    refuse: Option<Error>,
    refuse_members: Option<Error>,
    calls: Vec<String>,
}

impl FakeGroups {
    fn outcome(&mut self, who: &str) -> tsudoi::Result<CheckInOutcome> {
        if let Some(e) = self.refuse.take() {
            return Err(e);
        }
        let kana = Zeroizing::new(format!("カナ{who}"));
        let session_title = "ローズ会".to_string();
        Ok(if self.done.insert(who.to_owned()) {
            CheckInOutcome::CheckedIn {
                kana,
                session_title,
            }
        } else {
            CheckInOutcome::AlreadyCheckedIn {
                kana,
                session_title,
            }
        })
    }
}

impl GroupStore for FakeGroups {
    fn meetings_today(&mut self) -> tsudoi::Result<Vec<GroupMeeting>> {
        self.calls.push("meetings".into());
        Ok(self.meetings.clone())
    }

    fn members(&mut self, group_id: &str) -> tsudoi::Result<Vec<Member>> {
        self.calls.push(format!("members {group_id}"));
        if let Some(e) = self.refuse_members.take() {
            return Err(e);
        }
        Ok((0..self.members).map(member).collect())
    }

    fn checked_in(&mut self, _session_id: &str) -> tsudoi::Result<Vec<String>> {
        Ok(self.done.iter().cloned().collect())
    }

    fn check_in(&mut self, group_id: &str, who: &str) -> tsudoi::Result<CheckInOutcome> {
        self.calls.push(format!("staff check_in {group_id} {who}"));
        self.outcome(who)
    }

    fn hand_over(&mut self, group_id: &str) -> tsudoi::Result<()> {
        self.calls.push(format!("hand_over {group_id}"));
        Ok(())
    }
}

impl RepresentativeStore for FakeGroups {
    fn check_in_at_kiosk(&mut self, group_id: &str, who: &str) -> tsudoi::Result<CheckInOutcome> {
        self.calls.push(format!("kiosk check_in {group_id} {who}"));
        self.outcome(who)
    }

    fn checked_in(&mut self, _session_id: &str) -> tsudoi::Result<Vec<String>> {
        Ok(self.done.iter().cloned().collect())
    }
}

fn opened(members: usize, rep: bool) -> (Groups, FakeGroups) {
    let mut store = FakeGroups {
        meetings: vec![
            meeting("g1", "囲碁クラブ", "s1", false),
            meeting("g2", "ローズ会", "s2", rep),
        ],
        members,
        ..FakeGroups::default()
    };
    store.done.insert("p01".into());
    let mut g = Groups::default();
    g.load(&mut store).unwrap();
    assert!(g.choose(&mut store, "s2"));
    (g, store)
}

#[test]
fn the_list_is_in_furigana_order_with_phones_marks_and_pages() {
    let (mut g, _store) = opened(10, true);
    assert_eq!(g.open_meeting().unwrap().name, "ローズ会");
    assert_eq!(g.members().len(), 10);
    assert_eq!(g.pages(), 10usize.div_ceil(MEMBER_ROWS));
    let first = &g.page_rows()[0];
    assert_eq!(first.participant_id, "p00");
    assert_eq!(gw::phone(first), "03-5555-0000");
    assert_eq!(gw::card(first), "カードあり");
    assert_eq!(gw::status(first), "まだ");
    assert_eq!(gw::status(&g.page_rows()[1]), "受付済み");
    assert_eq!(gw::page(g.page(), g.pages()), "1/3");
    g.page_step(1);
    g.page_step(1);
    g.page_step(1);
    assert_eq!(g.page(), 2, "the last page, not beyond");
    assert_eq!(g.page_rows().len(), 2);
    g.page_step(-9);
    assert_eq!(g.page(), 0);
}

#[test]
fn a_tap_checks_in_once_and_says_so_plainly() {
    let (mut g, mut store) = opened(5, false);
    g.check_in(&mut store, "p02");
    let (text, warns) = gw::notice(g.notice().unwrap());
    assert_eq!(text, "カナp02 さんを受付しました。");
    assert!(!warns);
    assert!(g.members()[2].checked_in);
    assert_eq!(g.open_meeting().unwrap().attendance, 2);
    g.check_in(&mut store, "p02");
    let (text, warns) = gw::notice(g.notice().unwrap());
    assert_eq!(text, "カナp02 さんは、もう受付が済んでいます。");
    assert!(!warns);
    // Someone not on the list is never sent to the store.
    g.check_in(&mut store, "stranger");
    assert!(!store.calls.iter().any(|c| c.contains("stranger")));
    // A refusal of the store reaches staff in Japanese.
    store.refuse = Some(Error::Refused(
        "このグループの集まりは今日はありません。".into(),
    ));
    g.check_in(&mut store, "p03");
    let (text, warns) = gw::notice(g.notice().unwrap());
    assert!(warns);
    assert_eq!(
        text,
        "受付できませんでした。このグループの集まりは今日はありません。"
    );
    // A rule's refusal (an ID check due) in staff's words.
    let (text, warns) = gw::notice(&Notice::Refused(CheckInOutcome::ReverificationDue {
        due_since: day(1),
    }));
    assert!(warns && text.contains("本人確認の時期"), "{text}");
}

#[test]
fn a_refused_member_list_stays_on_the_menu_with_the_reason() {
    let mut store = FakeGroups {
        meetings: vec![meeting("g1", "ローズ会", "s1", true)],
        refuse_members: Some(Error::NotPermitted { role: "運営者" }),
        ..FakeGroups::default()
    };
    let mut g = Groups::default();
    g.load(&mut store).unwrap();
    assert!(!g.choose(&mut store, "s1"));
    assert!(g.open_meeting().is_none());
    assert!(matches!(g.notice(), Some(Notice::Failed(_))));
    // A session that is not one of today's meetings opens nothing.
    assert!(!g.choose(&mut store, "s-other"));
}

#[test]
fn handing_over_needs_a_representative_and_drops_every_phone() {
    let (mut g, mut store) = opened(6, false);
    assert!(!g.can_hand_over());
    assert!(!g.hand_over(&mut store));
    assert!(g.members().iter().all(|m| m.phone.is_some()));
    assert!(!store.calls.iter().any(|c| c.starts_with("hand_over")));

    let (mut g, mut store) = opened(6, true);
    assert!(g.can_hand_over());
    assert!(g.hand_over(&mut store));
    assert!(store.calls.contains(&"hand_over g2".to_string()));
    assert!(g.representative());
    assert!(!g.can_hand_over(), "once handed over, not again");
    assert!(g.members().iter().all(|m| m.phone.is_none()));
    assert!(g.members().iter().all(|m| gw::phone(m).is_empty()));
    assert!(g.meetings().is_empty(), "no other group's meeting is kept");
    // In representative mode the staff path is refused; the kiosk path works.
    g.check_in(&mut store, "p04");
    assert!(!store.calls.iter().any(|c| c.starts_with("staff check_in")));
    g.check_in_as_representative(&mut store, "p04");
    assert!(store.calls.contains(&"kiosk check_in g2 p04".to_string()));
    assert!(g.members()[4].checked_in);
    // And a list not handed over never checks in as the kiosk.
    let (mut g, mut store) = opened(6, true);
    g.check_in_as_representative(&mut store, "p04");
    assert!(!store.calls.iter().any(|c| c.starts_with("kiosk")));
}

#[test]
fn member_rows_and_notices_never_print_personal_values() {
    let (g, _) = opened(3, true);
    let dbg = format!("{:?}", g);
    assert!(!dbg.contains("試験"), "{dbg}");
    assert!(!dbg.contains("035555"), "{dbg}");
    assert!(!dbg.contains("シケン"), "{dbg}");
}

// ---- 見守り ----

fn entry(i: u32, no_answer: u32, last: Option<(Outcome, NaiveDate)>) -> WatchEntry {
    WatchEntry {
        candidate: WatchCandidate {
            participant_id: format!("w{i}"),
            last_visit: day(3),
            contexts: vec![
                WatchContext {
                    kind: "group",
                    name: "ローズ会".into(),
                    visits: 4,
                    rule: WatchRule::default(),
                },
                WatchContext {
                    kind: "activity",
                    name: "体操教室".into(),
                    visits: 3,
                    rule: WatchRule::default(),
                },
            ],
            last_outcome: last,
            no_answer,
        },
        name: Zeroizing::new(format!("試験 見守{i}")),
        kana: Zeroizing::new(format!("シケン ミマモリ{i}")),
        phone: Zeroizing::new(format!("0355550{i:03}")),
    }
}

struct FakeWatch {
    today: NaiveDate,
    entries: Vec<WatchEntry>,
    no_answer: u32,
    calls: Vec<(String, Outcome, NaiveDate)>,
    refuse: Option<Error>,
}

impl WatchStore for FakeWatch {
    fn today(&self) -> NaiveDate {
        self.today
    }

    fn watch_list(&mut self) -> tsudoi::Result<Vec<WatchEntry>> {
        Ok(std::mem::take(&mut self.entries))
    }

    fn record_call(
        &mut self,
        who: &str,
        outcome: Outcome,
        on: NaiveDate,
    ) -> tsudoi::Result<CallRecorded> {
        if let Some(e) = self.refuse.take() {
            return Err(e);
        }
        self.calls.push((who.into(), outcome, on));
        if outcome == Outcome::NoAnswer {
            self.no_answer += 1;
        }
        Ok(CallRecorded {
            no_answer: self.no_answer,
            remind: self.no_answer >= 2,
        })
    }
}

fn watch(entries: Vec<WatchEntry>, no_answer: u32) -> (Mimamori, FakeWatch) {
    let mut store = FakeWatch {
        today: day(24),
        entries,
        no_answer,
        calls: Vec::new(),
        refuse: None,
    };
    let mut m = Mimamori::default();
    m.load(&mut store).unwrap();
    (m, store)
}

#[test]
fn the_list_shows_who_where_when_and_the_last_outcome() {
    let (m, _) = watch(
        vec![
            entry(1, 0, None),
            entry(2, 2, Some((Outcome::NoAnswer, day(20)))),
        ],
        0,
    );
    let e = &m.entries()[0];
    assert_eq!(mw::who(e), "シケン ミマモリ1　試験 見守1");
    assert_eq!(
        mw::phone_line(e),
        "電話 03-5555-0001　最後に来た日 11月3日（火）"
    );
    assert_eq!(
        mw::detail(e),
        "ローズ会 4回、体操教室 3回　まだ電話していません"
    );
    let e = &m.entries()[1];
    assert_eq!(
        mw::detail(e),
        "【センターへのお知らせを検討】ローズ会 4回、体操教室 3回　前回の電話: 連絡がつかない（11月20日）"
    );
}

#[test]
fn a_call_is_recorded_today_by_default_earlier_allowed_never_later() {
    let (mut m, mut store) = watch(vec![entry(1, 0, None), entry(2, 0, None)], 0);
    assert!(m.choose("w2"));
    assert_eq!(m.day(), Some(day(24)));
    assert!(!m.can_go_later());
    m.day_step(1);
    assert_eq!(m.day(), Some(day(24)), "never after today");
    m.day_step(-2);
    assert_eq!(m.day(), Some(day(22)));
    assert!(m.can_go_later());
    m.day_step(-100);
    assert_eq!(
        m.day(),
        Some(day(24) - chrono::Duration::days(MAX_DAYS_BACK))
    );
    assert!(!m.can_go_earlier());
    m.day_step(100);
    assert_eq!(m.day(), Some(day(24)));
    m.day_step(-1);
    // Nothing chosen yet: nothing recorded, and staff are told.
    m.record(&mut store);
    assert!(store.calls.is_empty());
    assert_eq!(m.notice(), Some(&CallNotice::ChooseOutcome));
    m.set_outcome(0);
    m.record(&mut store);
    assert_eq!(store.calls, vec![("w2".into(), Outcome::Well, day(23))]);
    assert_eq!(
        mw::notice(m.notice().unwrap()).0,
        "11月23日の電話を「元気だった」と記録しました。"
    );
    assert_eq!(
        m.entries()[1].candidate.last_outcome,
        Some((Outcome::Well, day(23)))
    );
    assert!(!m.reminds());
    assert_eq!(m.outcome(), None, "the next call starts unchosen");
}

#[test]
fn the_second_no_answer_brings_the_reminder() {
    let (mut m, mut store) = watch(vec![entry(1, 1, Some((Outcome::NoAnswer, day(17))))], 1);
    m.choose("w1");
    assert!(!m.reminds());
    m.set_outcome(3);
    assert_eq!(m.outcome(), Some(Outcome::NoAnswer));
    m.record(&mut store);
    assert_eq!(
        m.notice(),
        Some(&CallNotice::Recorded {
            outcome: Outcome::NoAnswer,
            on: day(24),
            remind: true
        })
    );
    assert!(m.reminds());
    assert_eq!(m.entries()[0].candidate.no_answer, 2);
    // The reminder names the office only.
    let text = tsudoi::store::mimamori::reminder("大久保高齢者総合相談センター");
    assert!(text.contains("大久保高齢者総合相談センター"));
    assert!(!text.contains("試験"));
}

#[test]
fn a_refused_call_says_why_and_changes_nothing() {
    let (mut m, mut store) = watch(vec![entry(1, 0, None)], 0);
    m.choose("w1");
    m.set_outcome(4);
    store.refuse = Some(Error::Refused(
        "電話をした日に、先の日付は入れられません。".into(),
    ));
    m.record(&mut store);
    let (text, warns) = mw::notice(m.notice().unwrap());
    assert!(warns);
    assert!(text.contains("先の日付"), "{text}");
    assert_eq!(m.entries()[0].candidate.last_outcome, None);
    assert!(!m.choose("nobody"));
    let dbg = format!("{m:?}");
    assert!(!dbg.contains("試験") && !dbg.contains("0355550"), "{dbg}");
}
