//! 「今日の受付」 and 「活動を追加」: the flow's decisions and words over a
//! fake store (no database, no Slint). All data invented.

use chrono::{NaiveDate, NaiveTime};
use tsudoi::kiosk::flows::today::{
    AddProblem, SESSION_TITLES, SessionForm, TodayStore, add, rows, wording as w,
};
use tsudoi::store::roster::RosterEntry;
use tsudoi::store::sessions::{NewSession, Program, SessionInfo, SessionMode};
use zeroize::Zeroizing;

/// Today's sessions, who is checked in, the lottery classes; records every
/// session added (or refuses with `refuse`).
#[derive(Default)]
struct Fake {
    sessions: Vec<SessionInfo>,
    roster: Vec<RosterEntry>,
    /// The operator: the store gives no names.
    operator: bool,
    classes: Vec<(String, String)>,
    added: Vec<NewSession>,
    refuse: Option<String>,
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn session(id: &str, title: &str, start: NaiveTime, count: u32, mode: SessionMode) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        program: Program::Koryu,
        date: day(),
        start,
        end: start + chrono::Duration::minutes(90),
        title: title.into(),
        capacity: None,
        mode,
        attendance: count,
    }
}

fn here(session_id: &str, kana: &str) -> RosterEntry {
    RosterEntry {
        session_id: session_id.into(),
        participant_id: format!("p-{kana}"),
        kana: Zeroizing::new(kana.into()),
    }
}

impl TodayStore for Fake {
    fn today(&self) -> NaiveDate {
        day()
    }

    fn sessions_today(&self) -> tsudoi::Result<Vec<SessionInfo>> {
        Ok(self.sessions.clone())
    }

    fn checked_in_today(&mut self) -> tsudoi::Result<Vec<RosterEntry>> {
        if self.operator {
            return Ok(Vec::new());
        }
        // `RosterEntry` is not `Clone` (names stay where they are read).
        Ok(self
            .roster
            .iter()
            .map(|e| RosterEntry {
                session_id: e.session_id.clone(),
                participant_id: e.participant_id.clone(),
                kana: e.kana.clone(),
            })
            .collect())
    }

    fn class_of_session(&self, session_id: &str) -> Option<String> {
        self.classes
            .iter()
            .find(|(s, _)| s == session_id)
            .map(|(_, c)| c.clone())
    }

    fn add_session(&mut self, new: NewSession) -> tsudoi::Result<String> {
        if let Some(m) = &self.refuse {
            return Err(tsudoi::Error::Refused(m.clone()));
        }
        self.added.push(new);
        Ok(format!("s{}", self.added.len()))
    }
}

fn day_with_two_sessions() -> Fake {
    Fake {
        sessions: vec![
            session("a", "交流サロン", t(10, 0), 2, SessionMode::Open),
            session("b", "転倒予防体操", t(13, 30), 0, SessionMode::Lottery),
        ],
        roster: vec![here("a", "ヤマダ ハナコ"), here("a", "スズキ イチロウ")],
        classes: vec![("b".into(), "class-1".into())],
        ..Fake::default()
    }
}

#[test]
fn staff_see_each_session_with_its_time_head_count_and_who_is_checked_in() {
    let mut store = day_with_two_sessions();
    let list = rows(&mut store);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].time, "10:00〜11:30");
    assert_eq!(list[0].title, "交流サロン");
    assert_eq!(list[0].count, 2);
    assert_eq!(list[0].names, "ヤマダ ハナコ、スズキ イチロウ");
    assert_eq!(w::count(list[0].count), "2人");
    // Nobody at the class yet; its attendance sheet opens from the row.
    assert_eq!(list[1].names, "");
    assert_eq!(list[1].class_id, "class-1");
    assert_eq!(list[0].class_id, "", "an open session has no sheet");
    assert_eq!(w::sheet_label(&list[1].title), "転倒予防体操の出席簿");
}

#[test]
fn the_operator_sees_head_counts_and_no_names() {
    let mut store = Fake {
        operator: true,
        ..day_with_two_sessions()
    };
    let list = rows(&mut store);
    assert_eq!(list[0].count, 2);
    assert!(list.iter().all(|r| r.names.is_empty()));
}

#[test]
fn a_class_session_without_its_class_offers_no_sheet() {
    let mut store = Fake {
        classes: Vec::new(),
        ..day_with_two_sessions()
    };
    assert!(rows(&mut store).iter().all(|r| r.class_id.is_empty()));
}

#[test]
fn the_form_starts_at_ten_for_ninety_minutes_and_steps_by_half_hours_within_limits() {
    let mut f = SessionForm::default();
    assert_eq!((f.start, f.end()), (t(10, 0), t(11, 30)));
    assert_eq!(w::time_range(f.start, f.end()), "10:00〜11:30");
    f.start_step(1);
    assert_eq!(f.start, t(10, 30));
    for _ in 0..40 {
        f.start_step(-1);
    }
    assert_eq!(f.start, t(8, 0), "never before 8:00");
    for _ in 0..40 {
        f.start_step(1);
    }
    assert_eq!(f.start, t(20, 0), "never after 20:00");
    for _ in 0..40 {
        f.length_step(-1);
    }
    assert_eq!(f.minutes, 30, "at least 30 minutes");
    for _ in 0..40 {
        f.length_step(1);
    }
    assert_eq!(f.minutes, 480, "at most 8 hours");
    // A title or program outside the lists changes nothing.
    f.set_title(2);
    f.set_title(SESSION_TITLES.len());
    assert_eq!(f.title_text(), "健康講座");
    f.set_program(0);
    f.set_program(99);
    assert_eq!(f.program, Program::ALL[0]);
}

#[test]
fn adding_a_session_records_an_open_session_today_with_the_chosen_title_and_times() {
    let mut store = Fake::default();
    let mut f = SessionForm::default();
    f.set_title(1);
    f.start_step(4);
    f.length_step(-1);
    assert_eq!(add(&f, &mut store), Ok(()));
    let new = &store.added[0];
    assert_eq!(new.title, "体操教室");
    assert_eq!(new.date, day());
    assert_eq!((new.start, new.end), (t(12, 0), t(13, 0)));
    assert_eq!(new.mode, SessionMode::Open);
    assert_eq!(new.capacity, None);
}

#[test]
fn a_session_ending_after_midnight_is_refused_with_the_reason() {
    let mut store = Fake::default();
    let mut f = SessionForm::default();
    for _ in 0..40 {
        f.start_step(1);
        f.length_step(1);
    }
    // 20:00 for 8 hours ends at 4:00 the next day.
    assert_eq!(add(&f, &mut store), Err(AddProblem::CrossesMidnight));
    assert!(store.added.is_empty());
    assert_eq!(w::CROSSES_MIDNIGHT, "終わりの時刻が日付をまたいでいます。");
}

#[test]
fn the_stores_refusal_reaches_staff_in_its_own_words() {
    let mut store = Fake {
        refuse: Some("この役割では活動を追加できません。".into()),
        ..Fake::default()
    };
    match add(&SessionForm::default(), &mut store) {
        Err(AddProblem::Refused(m)) => assert!(m.contains("活動を追加できません"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_header_names_the_signed_in_staff_member() {
    assert_eq!(w::header("S001"), "今日の受付（スタッフ S001）");
}
