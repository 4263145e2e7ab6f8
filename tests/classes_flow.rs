//! The classes flow's decisions and words over a fake store: no database,
//! no Slint. What a resident sees after a card tap in class mode and after
//! pressing a class, the results after a draw, and the staff's attendance
//! sheet. All data invented.

use chrono::NaiveDate;
use tsudoi::Error;
use tsudoi::kiosk::Signal;
use tsudoi::kiosk::flows::classes::{
    ClassRow, ClassStore, Classes, ITEMS_PER_PAGE, ITEMS_PER_PAGE_LARGE, Outcome, SHEET_ROWS,
    SheetView, Step, apply, card_tap, wording,
};
use tsudoi::kiosk::flows::{Flow, Screen, checkin};
use tsudoi::store::StaffSession;
use tsudoi::store::class_day::{ABSENCES_TO_CALL, AttendanceSheet, SheetRow};
use tsudoi::store::lottery::{
    ApplicationStatus, ApplyOutcome, ClassResult, ClassStatus, LotteryClass, Priority,
};
use tsudoi::store::sessions::Program;
use tsudoi_hw::{CardId, CardIdError, Technology};
use zeroize::Zeroizing;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(11, 2)
}

fn card() -> CardId {
    CardId::from_hex(Technology::Iso14443A, "04A1B2C3D4E5F6").unwrap()
}

/// Answers with what the test put in, and records the calls (no card
/// identifier in them).
#[derive(Default)]
struct FakeStore {
    results: Option<tsudoi::Result<Option<Vec<ClassResult>>>>,
    open: Option<tsudoi::Result<Vec<LotteryClass>>>,
    applied: Option<tsudoi::Result<Option<ApplyOutcome>>>,
    calls: Vec<String>,
}

impl ClassStore for FakeStore {
    fn results_for_card(&mut self, _card: &CardId) -> tsudoi::Result<Option<Vec<ClassResult>>> {
        self.calls.push("results".into());
        self.results.take().expect("an answer for the results")
    }

    fn open_classes(&self, today: NaiveDate) -> tsudoi::Result<Vec<LotteryClass>> {
        assert_eq!(today, self::today());
        match &self.open {
            Some(Ok(list)) => Ok(list.clone()),
            Some(Err(_)) => Err(Error::Io(std::io::Error::other("disk"))),
            None => panic!("an answer for the open classes"),
        }
    }

    fn apply_by_card(
        &mut self,
        _card: &CardId,
        class_id: &str,
    ) -> tsudoi::Result<Option<ApplyOutcome>> {
        self.calls.push(format!("apply {class_id}"));
        self.applied.take().expect("an answer for the application")
    }

    fn attendance_sheet(
        &mut self,
        _staff: &StaffSession,
        _class_id: &str,
    ) -> tsudoi::Result<AttendanceSheet> {
        unreachable!("the sheet needs a signed-in staff member: tested in kiosk_class_day")
    }
}

fn lottery_class(id: &str, title: &str, dates: &[NaiveDate], capacity: u32) -> LotteryClass {
    LotteryClass {
        id: id.into(),
        program: Program::Kaigo,
        title: title.into(),
        kind: "体操".into(),
        term: "2026年度後期".into(),
        capacity,
        waitlist_size: None,
        apply_from: d(11, 1),
        apply_until: d(11, 15),
        draw_on: d(11, 20),
        one_per_term: false,
        priority: Priority::None,
        previous_class_id: None,
        status: ClassStatus::Open,
        session_dates: dates.to_vec(),
        applications: 0,
        commitment: None,
        announced_sources: Vec::new(),
    }
}

fn row(id: &str, title: &str) -> ClassRow {
    ClassRow::new(&lottery_class(id, title, &[d(12, 3), d(12, 10)], 20))
}

fn result(title: &str, status: ApplicationStatus, rank: Option<u32>) -> ClassResult {
    ClassResult {
        class_id: "x".into(),
        title: title.into(),
        starts_on: Some(d(12, 3)),
        draw_on: d(11, 20),
        entry_number: 12,
        status,
        waiting_rank: rank,
    }
}

fn applied_to(answer: tsudoi::Result<Option<ApplyOutcome>>) -> (Step, FakeStore) {
    let mut store = FakeStore {
        applied: Some(answer),
        ..FakeStore::default()
    };
    let step = apply(&mut store, &card(), &row("c1", "転倒予防教室"));
    (step, store)
}

fn outcome(step: Step) -> Outcome {
    match step {
        Step::Applied(o) => o,
        Step::List { .. } => panic!("the list, not a result"),
        Step::CheckIn(o) => panic!("a check-in screen: {o:?}"),
        Step::Failed(what, e) => panic!("failed: {what}: {e}"),
    }
}

#[test]
fn a_known_card_in_class_mode_shows_its_own_results_and_the_open_classes() {
    let mut store = FakeStore {
        results: Some(Ok(Some(vec![result(
            "脳トレ教室",
            ApplicationStatus::Applied,
            None,
        )]))),
        open: Some(Ok(vec![lottery_class(
            "c1",
            "転倒予防教室",
            &[d(12, 3), d(12, 10)],
            1,
        )])),
        ..FakeStore::default()
    };
    let Step::List { results, classes } = card_tap(&mut store, &Ok(card()), today()) else {
        panic!("the class list");
    };
    assert_eq!(results.len(), 1);
    assert_eq!(wording::result_label(&results[0]), "ちゅうせん待ち");
    assert_eq!(
        wording::result_message(&results[0]),
        "脳トレ教室は、受付番号 12番です。ちゅうせんは11月20日です。"
    );
    assert_eq!(classes.len(), 1);
    let t = wording::class_text(&classes[0]);
    assert_eq!(t.dates, "12月3日（木）から 全2回");
    assert_eq!(t.capacity, "定員 1人");
    assert_eq!(
        t.period,
        "しめきり 11月15日（日）・ちゅうせん 11月20日（金）"
    );
    assert_eq!(
        t.button,
        "転倒予防教室\n12月3日（木）から 全2回　定員 1人\nしめきり 11月15日（日）・ちゅうせん 11月20日（金）"
    );
    assert_eq!(
        wording::list_prompt(true),
        "もうしこむ教室をおしてください。"
    );
    assert_eq!(
        wording::list_prompt(false),
        "いまもうしこめる教室はありません。"
    );
}

#[test]
fn a_class_with_one_session_shows_that_day_alone() {
    let one = ClassRow::new(&lottery_class("c", "健康講座", &[d(12, 4)], 30));
    assert_eq!(wording::class_text(&one).dates, "12月4日（金）");
}

#[test]
fn an_unknown_card_a_phone_and_a_failing_store_in_class_mode() {
    // Unknown card: the check-in flow's 「登録されていないカード」 screen.
    let mut store = FakeStore {
        results: Some(Ok(None)),
        ..FakeStore::default()
    };
    assert!(matches!(
        card_tap(&mut store, &Ok(card()), today()),
        Step::CheckIn(checkin::Outcome::UnknownCard)
    ));
    // A phone's random identifier: the card-error screen that names it; the
    // store is not asked.
    let mut store = FakeStore::default();
    let phone = card_tap(&mut store, &Err(CardIdError::RandomIdentifier), today());
    assert!(matches!(
        phone,
        Step::CheckIn(checkin::Outcome::CardError(CardIdError::RandomIdentifier))
    ));
    assert!(store.calls.is_empty());
    // The store fails reading the results, or the classes: the calm fault screen.
    let mut store = FakeStore {
        results: Some(Err(Error::Io(std::io::Error::other("disk")))),
        ..FakeStore::default()
    };
    assert!(matches!(
        card_tap(&mut store, &Ok(card()), today()),
        Step::Failed(..)
    ));
    let mut store = FakeStore {
        results: Some(Ok(Some(Vec::new()))),
        open: Some(Err(Error::Io(std::io::Error::other("disk")))),
        ..FakeStore::default()
    };
    assert!(matches!(
        card_tap(&mut store, &Ok(card()), today()),
        Step::Failed(..)
    ));
}

#[test]
fn an_application_shows_the_entry_number_and_the_draw_date() {
    let (step, store) = applied_to(Ok(Some(ApplyOutcome::Applied {
        entry_number: 7,
        tier: 0,
    })));
    assert_eq!(store.calls, ["apply c1"]);
    let o = outcome(step);
    assert_eq!(
        o,
        Outcome::Applied {
            entry_number: 7,
            draw_on: d(11, 20),
            starts_on: Some(d(12, 3)),
        }
    );
    assert_eq!(o.screen(), Screen::ClassApplied);
    assert_eq!(o.signal(), Signal::Success);
    let t = wording::outcome("転倒予防教室", &o);
    assert_eq!(t.headline, "もうしこみました　転倒予防教室");
    assert_eq!(t.entry, "受付番号 7番");
    assert_eq!(t.entry_number, "7");
    assert_eq!(
        t.message,
        "ちゅうせんは11月20日（金）です。そのあと、このカードをタッチすると結果が見られます。"
    );
    // At the desk, the same application in one line.
    assert_eq!(
        wording::staff_applied("転倒予防教室", 7, d(11, 20)),
        "「転倒予防教室」に申し込みました。受付番号 7番（抽選 11月20日（金））。"
    );
}

#[test]
fn a_first_application_sends_the_resident_to_the_desk() {
    let o = outcome(applied_to(Ok(Some(ApplyOutcome::NeedsAddress))).0);
    assert_eq!(o, Outcome::NeedsAddress);
    assert_eq!(o.screen(), Screen::ClassNeedsAddress);
    assert_eq!(o.signal(), Signal::Attention);
    let t = wording::outcome("転倒予防教室", &o);
    assert_eq!(t.headline, "ご住所の登録がいります");
    assert_eq!(t.detail, "転倒予防教室");
    assert!(t.message.contains("受付のスタッフにお声がけください"));
    assert_eq!(t.entry, "");
}

#[test]
fn every_refusal_is_said_with_its_reason_on_the_refused_screen() {
    let cases = [
        (
            ApplyOutcome::Duplicate { entry_number: 3 },
            "この教室には、すでにもうしこんでいます。受付番号は 3番です。もうしこみは1回だけです。",
        ),
        (
            ApplyOutcome::Closed,
            "いまは、この教室のもうしこみの期間ではありません。",
        ),
        (
            ApplyOutcome::NotEligible {
                session_date: d(12, 3),
                reaches_age_on: Some(NaiveDate::from_ymd_opt(2027, 1, 9).unwrap()),
            },
            "この教室は60さいからです。12月3日の回には、まだ参加できません。2027年1月9日から参加できます。受付にお声がけください。",
        ),
        (
            ApplyOutcome::NotEligible {
                session_date: d(12, 3),
                reaches_age_on: None,
            },
            "ご本人のかくにんが必要です。受付で、ほけんしょうなどを見せてください。",
        ),
        (
            ApplyOutcome::OtherClassThisTerm {
                other_title: "椅子ヨガ教室".into(),
            },
            "この種類の教室は、1期に1つだけもうしこめます。椅子ヨガ教室に、すでにもうしこんでいます。",
        ),
    ];
    for (answer, sentence) in cases {
        // The CLI says the same (`tsudoi lottery apply`).
        assert_eq!(answer.message(), sentence);
        let o = outcome(applied_to(Ok(Some(answer))).0);
        assert_eq!(o.screen(), Screen::ClassRefused, "{o:?}");
        assert_eq!(o.signal(), Signal::Attention);
        let t = wording::outcome("転倒予防教室", &o);
        assert_eq!(t.headline, "もうしこみできませんでした");
        assert_eq!(t.detail, "転倒予防教室");
        assert_eq!(t.message, sentence);
        assert_eq!(wording::refusal(&o), sentence);
        assert_eq!(t.entry, "");
    }
}

#[test]
fn an_application_with_the_clock_behind_an_unlinked_card_or_a_failing_store() {
    let (step, _) = applied_to(Err(Error::ClockBehind {
        now: "2026-01-01".into(),
        seen: "2026-11-02".into(),
    }));
    assert!(matches!(
        step,
        Step::CheckIn(checkin::Outcome::ClockUnconfirmed)
    ));
    // The card was taken off the record between the tap and the press.
    let (step, _) = applied_to(Ok(None));
    assert!(matches!(step, Step::CheckIn(checkin::Outcome::UnknownCard)));
    let (step, _) = applied_to(Err(Error::Io(std::io::Error::other("disk"))));
    assert!(matches!(step, Step::Failed(..)));
}

#[test]
fn results_after_the_draw_won_waiting_or_not_selected() {
    let cases = [
        (
            ApplicationStatus::Won,
            None,
            "当選",
            "転倒予防教室は当選です。12月3日から始まります。",
        ),
        (
            ApplicationStatus::MovedUp,
            None,
            "当選（くり上げ）",
            "転倒予防教室は当選です。12月3日から始まります。",
        ),
        (
            ApplicationStatus::Waiting,
            Some(3),
            "ほけつ 3番",
            "転倒予防教室は、ほけつ 3番です。空きが出たら、れんらくします。",
        ),
        (
            ApplicationStatus::NotSelected,
            None,
            "今回は選ばれませんでした",
            "転倒予防教室は、今回は選ばれませんでした。またのもうしこみをお待ちしています。",
        ),
        (
            ApplicationStatus::Withdrawn,
            None,
            "取り下げ",
            "転倒予防教室は、もうしこみを取り下げました。",
        ),
        (
            ApplicationStatus::Cancelled,
            None,
            "じたい",
            "転倒予防教室は、参加をじたいされました。",
        ),
    ];
    for (status, rank, label, message) in cases {
        let r = result("転倒予防教室", status, rank);
        assert_eq!(wording::result_label(&r), label);
        // The printed result notice says the same.
        assert_eq!(r.label(), label);
        assert_eq!(wording::result_message(&r), message);
    }
}

#[test]
fn the_class_list_pages_two_at_a_time_results_first() {
    let mut flow = Classes::default();
    flow.list(
        card(),
        vec![
            result("A", ApplicationStatus::Won, None),
            result("B", ApplicationStatus::Waiting, Some(1)),
            result("C", ApplicationStatus::NotSelected, None),
        ],
        vec![row("c1", "D"), row("c2", "E")],
    );
    assert_eq!(ITEMS_PER_PAGE, 2);
    let p = flow.page();
    assert_eq!((p.results.len(), p.classes.len()), (2, 0));
    assert_eq!(p.page, "1/3");
    assert!(!p.has_prev && p.has_next);
    assert!(!p.says_classes, "the line about classes waits for them");
    flow.page_step(1);
    let p = flow.page();
    assert_eq!((p.results.len(), p.classes.len()), (1, 1));
    assert_eq!(p.results[0].title, "C");
    assert_eq!(p.classes[0].title, "D");
    assert!(p.says_classes);
    flow.page_step(1);
    flow.page_step(1);
    let p = flow.page();
    assert_eq!(p.page, "3/3");
    assert!(p.has_prev && !p.has_next);
    assert_eq!(p.classes[0].title, "E");
    // Nothing open: the line that says so, on the last page.
    let mut flow = Classes::default();
    flow.list(
        card(),
        vec![result("A", ApplicationStatus::Won, None)],
        vec![],
    );
    let p = flow.page();
    assert_eq!(p.page, "", "one page: no page number");
    assert!(p.says_classes);
    // Forgetting the card holder forgets everything shown.
    flow.clear();
    assert!(flow.results().is_empty() && flow.classes().is_empty());
    assert!(flow.applied().is_none());
}

#[test]
fn class_screens_are_resident_screens_and_the_sheet_a_staff_screen() {
    for s in [
        Screen::ClassCard,
        Screen::Classes,
        Screen::ClassApplied,
        Screen::ClassNeedsAddress,
        Screen::ClassRefused,
    ] {
        assert_eq!(s.flow(), Flow::Classes);
        assert!(!s.is_staff(), "{s:?} needs no sign-in");
    }
    assert_eq!(Screen::StaffSheet.flow(), Flow::ClassesStaff);
    assert!(Screen::StaffSheet.is_staff(), "the sheet locks when idle");
}

fn sheet_row(entry: u32, kana: Option<&str>, marks: &[Option<bool>], in_row: u32) -> SheetRow {
    SheetRow {
        entry_number: entry,
        participant_id: format!("p{entry}"),
        kana: kana.map(|k| Zeroizing::new(k.to_owned())),
        moved_up: false,
        marks: marks.to_vec(),
        absences_in_row: in_row,
    }
}

#[test]
fn the_attendance_sheet_pages_marks_and_says_whom_to_call() {
    let dates = vec![d(12, 3), d(12, 10), d(12, 17)];
    let mut rows = vec![
        sheet_row(1, Some("ヤマダ ハナコ"), &[Some(true), Some(true), None], 0),
        sheet_row(
            2,
            Some("スズキ イチロウ"),
            &[Some(false), Some(false), None],
            2,
        ),
    ];
    for n in 3..=7 {
        rows.push(sheet_row(
            n,
            Some("シケン タロウ"),
            &[Some(true), Some(false), None],
            1,
        ));
    }
    let sheet = AttendanceSheet {
        class_id: "c1".into(),
        title: "転倒予防教室".into(),
        dates,
        rows,
    };
    assert_eq!(wording::sheet_header(&sheet.title), "出席簿　転倒予防教室");
    assert_eq!(
        wording::sheet_summary(&sheet),
        format!(
            "3回（12/3 12/10 12/17）　出席率 50.0%（延べ 7 / 14）。続けて{ABSENCES_TO_CALL}回以上休んでいる方 1人：ようすをうかがいましょう"
        )
    );
    let mut v = SheetView { sheet, page: 0 };
    assert_eq!(v.rows().len(), SHEET_ROWS);
    assert_eq!(v.page_label(), "1/2");
    let first = &v.rows()[0];
    assert_eq!(wording::sheet_who(first), "1番 ヤマダ ハナコ");
    assert_eq!(wording::sheet_marks(first), "○○－　出席 2/2");
    assert!(!SheetView::to_call(first));
    let second = &v.rows()[1];
    assert_eq!(
        wording::sheet_marks(second),
        "××－　出席 0/2　続けて2回休み"
    );
    assert!(SheetView::to_call(second), "two absences in a row: call");
    v.step(1);
    assert_eq!(v.page_label(), "2/2");
    assert_eq!(v.rows().len(), 2);
    v.step(1);
    assert_eq!(v.page_label(), "2/2", "no page after the last");
    // An operator's sheet has no furigana: the entry number alone.
    let anonymous = sheet_row(12, None, &[None], 0);
    assert_eq!(wording::sheet_who(&anonymous), "12番");
    let before = AttendanceSheet {
        class_id: "c1".into(),
        title: "転倒予防教室".into(),
        dates: vec![d(12, 3)],
        rows: vec![anonymous],
    };
    assert_eq!(
        wording::sheet_summary(&before),
        "1回（12/3）　まだ始まっていません"
    );
}

/// The large layout (issue 18): one result or class a page, and short
/// words without 「」 for every result and application.
#[test]
fn the_large_layout_pages_one_at_a_time_with_short_words() {
    let mut flow = Classes::default();
    flow.list(
        card(),
        vec![
            result("A", ApplicationStatus::Won, None),
            result("B", ApplicationStatus::Waiting, Some(1)),
        ],
        vec![row("c1", "D")],
    );
    flow.set_layout(checkin::ResidentLayout::Large);
    assert_eq!(ITEMS_PER_PAGE_LARGE, 1);
    let p = flow.page();
    assert_eq!(p.page, "1/3");
    assert_eq!((p.results.len(), p.classes.len()), (1, 0));
    flow.page_step(1);
    flow.page_step(1);
    let p = flow.page();
    assert_eq!(p.page, "3/3");
    assert_eq!(p.classes[0].title, "D");
    assert!(p.says_classes);
    // Forgetting the card holder forgets the layout with it.
    flow.clear();
    flow.list(card(), vec![], vec![row("c1", "D"), row("c2", "E")]);
    assert_eq!(flow.page().page, "", "two on one page again");

    let statuses = [
        (ApplicationStatus::Applied, None, "ちゅうせん 待ち"),
        (ApplicationStatus::Won, None, "当選"),
        (ApplicationStatus::MovedUp, None, "当選"),
        (ApplicationStatus::Waiting, Some(2), "ほけつ 2番"),
        (ApplicationStatus::NotSelected, None, "今回は 外れました"),
        (ApplicationStatus::Withdrawn, None, "取り下げ"),
        (ApplicationStatus::Cancelled, None, "じたい"),
    ];
    for (status, rank, label) in statuses {
        let r = result("転倒予防教室", status, rank);
        assert_eq!(wording::result_label_large(&r), label);
        let m = wording::result_message_large(&r);
        assert!(m.starts_with("転倒予防教室"), "{m}");
        assert!(!m.contains('「') && !m.contains('。'), "{m}");
    }
    assert_eq!(
        wording::class_button_large(&row("c1", "転倒予防教室")),
        "転倒予防教室\n12月3日（木）から 全2回\nしめきり 11月15日（日）"
    );
    let outcomes = [
        Outcome::Applied {
            entry_number: 7,
            draw_on: d(11, 20),
            starts_on: Some(d(12, 3)),
        },
        Outcome::NeedsAddress,
        Outcome::Duplicate { entry_number: 7 },
        Outcome::NotEligible {
            session_date: d(12, 3),
            reaches_age_on: Some(d(12, 24)),
        },
        Outcome::NotEligible {
            session_date: d(12, 3),
            reaches_age_on: None,
        },
        Outcome::Closed,
        Outcome::OtherClass {
            other_title: "脳トレ教室".into(),
        },
    ];
    for o in &outcomes {
        let (normal, large) = (
            wording::outcome("転倒予防教室", o),
            wording::outcome_large("転倒予防教室", o),
        );
        assert_eq!(large.entry, normal.entry, "{o:?}: the number stays");
        assert!(!large.message.is_empty(), "{o:?}");
        assert!(
            large.message.chars().count() < normal.message.chars().count(),
            "{o:?}"
        );
        for t in [&large.headline, &large.message] {
            assert!(!t.contains('「') && !t.contains('。'), "{o:?}: {t}");
        }
    }
    assert_eq!(
        wording::outcome_large("転倒予防教室", &outcomes[0]).message,
        "ちゅうせんは 11月20日（金）です"
    );
}
