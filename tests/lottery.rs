//! Lottery classes end to end on a real store: applying at the kiosk and at
//! the desk, closing, the RFC 3797 draw, results, cancellations and the
//! deletion of addresses. All people are invented.

mod common;

use chrono::{NaiveDate, NaiveTime};
use common::*;
use tsudoi::Error;
use tsudoi::clock::jst;
use tsudoi::lottery::{draw, rfc3797};
use tsudoi::store::audit::ChainVerdict;
use tsudoi::store::lottery::{
    ApplicationStatus, ApplyOutcome, ClassStatus, NewLotteryClass, Priority,
};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::{Actor, Role};
use tsudoi_hw::{CardId, Technology};

const TODAY: (i32, u32, u32) = (2026, 11, 2);

fn today() -> NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

fn session(f: &mut Fixture, day: NaiveDate) -> String {
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Kaigo,
                date: day,
                start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                title: "転倒予防教室".into(),
                capacity: Some(20),
                mode: SessionMode::Lottery,
            },
        )
        .unwrap()
}

/// A class taking applications 1–15 Nov 2026, drawn 20 Nov, meeting on
/// `days` (after the draw).
fn class(f: &mut Fixture, title: &str, days: &[NaiveDate], capacity: u32) -> NewLotteryClass {
    let sessions = days.iter().map(|d| session(f, *d)).collect();
    NewLotteryClass {
        program: Program::Kaigo,
        title: title.into(),
        kind: "体操".into(),
        term: "2026年度後期".into(),
        sessions,
        capacity,
        waitlist_size: None,
        apply_from: date(2026, 11, 1),
        apply_until: date(2026, 11, 15),
        draw_on: date(2026, 11, 20),
        one_per_term: false,
        priority: Priority::None,
        previous_class: None,
    }
}

fn card(i: u16) -> CardId {
    let [a, b] = i.to_be_bytes();
    CardId::new(
        Technology::Felica,
        &[0x01, 0x2E, 0x47, 0x10, 0x33, 0x9A, a, b],
    )
    .unwrap()
}

/// Registers synthetic resident `i` (born 1950) with a card; returns the id.
fn person(f: &mut Fixture, i: u16) -> String {
    let phone = format!("090-5{:03}-{:04}", i / 1000, 7000 + (i % 1000));
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                &format!("試験 花子{i}"),
                "シケン ハナコ",
                &phone,
                date(1950, 1, 1 + (i % 28) as u32),
            ),
        )
        .unwrap();
    f.store.link_card(&f.manager, &id, &card(i)).unwrap();
    id
}

fn applied(o: Option<ApplyOutcome>) -> u32 {
    match o {
        Some(ApplyOutcome::Applied { entry_number, .. }) => entry_number,
        other => panic!("not applied: {other:?}"),
    }
}

fn set_day(f: &Fixture, d: NaiveDate) {
    f.clock.set(jst(d, 10, 0));
}

/// Closes the class on `close` and draws it on `draw_on` (the clock set to
/// each day in turn); returns the draw's transcript.
fn close_and_draw(
    f: &mut Fixture,
    cid: &str,
    close: NaiveDate,
    draw_on: NaiveDate,
) -> draw::Transcript {
    set_day(f, close);
    f.store
        .close_lottery_class(&f.manager, cid, names())
        .unwrap();
    set_day(f, draw_on);
    f.store
        .draw_lottery_class(&f.manager, cid, sources())
        .unwrap()
}

fn sources() -> Vec<String> {
    vec!["7 8 11 17 19 25 46".into(), "08285182".into()]
}

fn names() -> Vec<String> {
    vec!["ロト7 第600回 本数字".into(), "国債残高（末尾8桁）".into()]
}

#[test]
fn kiosk_application_asks_address_once_and_refuses_duplicates() {
    let mut f = fixture_on(today());
    let c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 10);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    let c2 = class(&mut f, "脳トレ教室", &[date(2026, 12, 4)], 10);
    let cid2 = f.store.add_lottery_class(&f.manager, c2).unwrap();
    person(&mut f, 1);
    let open = f.store.open_classes(today()).unwrap();
    assert_eq!(open.len(), 2);

    // First application: the address is needed, nothing is recorded yet.
    assert_eq!(
        f.store.apply_by_card(&card(1), &cid, None).unwrap(),
        Some(ApplyOutcome::NeedsAddress)
    );
    let address = "新宿区架空町一丁目二番三号";
    let entry = applied(
        f.store
            .apply_by_card(&card(1), &cid, Some(address.into()))
            .unwrap(),
    );
    assert_eq!(entry, 1);
    // Second class: the address is not asked again.
    assert_eq!(
        applied(f.store.apply_by_card(&card(1), &cid2, None).unwrap()),
        1
    );
    // Duplicate application refused with the existing number.
    assert_eq!(
        f.store.apply_by_card(&card(1), &cid, None).unwrap(),
        Some(ApplyOutcome::Duplicate { entry_number: 1 })
    );
    let msg = ApplyOutcome::Duplicate { entry_number: 1 }.message();
    assert!(msg.contains("すでにもうしこんでいます"));
    // Unknown card.
    assert_eq!(f.store.apply_by_card(&card(999), &cid, None).unwrap(), None);

    // The address is stored encrypted, never in plain text.
    f.store.checkpoint().unwrap();
    for (_, bytes) in all_bytes(f.dir.path()) {
        assert!(!contains(&bytes, address.as_bytes()));
    }
}

#[test]
fn eligibility_is_judged_on_each_session_date() {
    let mut f = fixture_on(today());
    // Born 1967-01-10: reaches 60 on 2027-01-09 (the day before the birthday).
    // Registered later (the fixture clock moved forward), applying now.
    set_day(&f, date(2027, 2, 1));
    let pid = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 次郎",
                "シケン ジロウ",
                "090-5999-0001",
                date(1967, 1, 10),
            ),
        )
        .unwrap();
    f.store.link_card(&f.manager, &pid, &card(50)).unwrap();
    set_day(&f, today());
    let c = class(
        &mut f,
        "連続講座",
        &[date(2027, 1, 9), date(2026, 12, 10)],
        10,
    );
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    match f
        .store
        .apply_by_card(&card(50), &cid, Some("新宿区架空町".into()))
        .unwrap()
    {
        Some(ApplyOutcome::NotEligible {
            session_date,
            reaches_age_on,
        }) => {
            assert_eq!(session_date, date(2026, 12, 10));
            assert_eq!(reaches_age_on, Some(date(2027, 1, 9)));
        }
        other => panic!("{other:?}"),
    }
    // A class whose every session is on or after the 60th: accepted.
    let c = class(&mut f, "新年の講座", &[date(2027, 1, 9)], 10);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    applied(
        f.store
            .apply_by_card(&card(50), &cid, Some("新宿区架空町".into()))
            .unwrap(),
    );
}

#[test]
fn one_application_per_term_and_closed_periods() {
    let mut f = fixture_on(today());
    let mut a = class(&mut f, "体操A", &[date(2026, 12, 3)], 10);
    a.one_per_term = true;
    let a = f.store.add_lottery_class(&f.manager, a).unwrap();
    let mut b = class(&mut f, "体操B", &[date(2026, 12, 4)], 10);
    b.one_per_term = true;
    let b = f.store.add_lottery_class(&f.manager, b).unwrap();
    person(&mut f, 2);
    applied(
        f.store
            .apply_by_card(&card(2), &a, Some("新宿区架空町".into()))
            .unwrap(),
    );
    assert_eq!(
        f.store.apply_by_card(&card(2), &b, None).unwrap(),
        Some(ApplyOutcome::OtherClassThisTerm {
            other_title: "体操A".into()
        })
    );
    // After withdrawing from A, B is possible.
    f.store.withdraw(&f.manager, &a, 1).unwrap();
    applied(f.store.apply_by_card(&card(2), &b, None).unwrap());
    // Outside the period: closed.
    set_day(&f, date(2026, 11, 16));
    assert_eq!(
        f.store.apply_by_card(&card(2), &a, None).unwrap(),
        Some(ApplyOutcome::Closed)
    );
    assert!(f.store.open_classes(date(2026, 11, 16)).unwrap().is_empty());
}

/// Applies `n` people to class `cid`; returns their participant ids by entry.
fn fill(f: &mut Fixture, cid: &str, n: u16) -> Vec<String> {
    (1..=n)
        .map(|i| {
            let pid = person(f, i);
            let e = applied(
                f.store
                    .apply_by_card(&card(i), cid, Some(format!("新宿区架空町{i}番地")))
                    .unwrap(),
            );
            assert_eq!(u32::from(i), e);
            pid
        })
        .collect()
}

#[test]
fn every_refusal_leaves_the_class_unchanged() {
    let mut f = fixture_on(today());
    let c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 2);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    fill(&mut f, &cid, 4);

    // Drawing before closing.
    let e = f
        .store
        .draw_lottery_class(&f.manager, &cid, sources())
        .unwrap_err();
    assert!(matches!(e, Error::Refused(_)), "{e}");
    // Closing during the application period.
    let e = f
        .store
        .close_lottery_class(&f.manager, &cid, names())
        .unwrap_err();
    assert!(e.to_string().contains("受付期間中"), "{e}");

    set_day(&f, date(2026, 11, 16));
    let notice = f
        .store
        .close_lottery_class(&f.manager, &cid, names())
        .unwrap();
    assert_eq!(notice.pool.pool.len(), 4);
    let text = notice.text();
    assert!(text.contains(&notice.commitment) && text.contains("ロト7 第600回"));
    assert!(!text.contains("試験"), "the notice names no one");
    // Withdrawal after closing is refused: the pool is published.
    assert!(f.store.withdraw(&f.manager, &cid, 1).is_err());
    // A second closing.
    assert!(
        f.store
            .close_lottery_class(&f.manager, &cid, names())
            .is_err()
    );

    // Drawing before the draw date.
    let e = f
        .store
        .draw_lottery_class(&f.manager, &cid, sources())
        .unwrap_err();
    assert!(e.to_string().contains("抽選日"), "{e}");
    set_day(&f, date(2026, 11, 20));
    // Malformed sources, and the wrong number of sources.
    let e = f
        .store
        .draw_lottery_class(&f.manager, &cid, vec!["7 8 x".into(), "1".into()])
        .unwrap_err();
    assert!(
        matches!(e, Error::Draw(rfc3797::DrawError::MalformedSource { .. })),
        "{e}"
    );
    let e = f
        .store
        .draw_lottery_class(&f.manager, &cid, vec!["7 8".into()])
        .unwrap_err();
    assert!(e.to_string().contains("2個"), "{e}");
    assert_eq!(
        f.store.lottery_class(&cid).unwrap().status,
        ClassStatus::Closed
    );

    f.store
        .draw_lottery_class(&f.manager, &cid, sources())
        .unwrap();
    // A second draw.
    let e = f
        .store
        .draw_lottery_class(&f.manager, &cid, sources())
        .unwrap_err();
    assert!(e.to_string().contains("すでに抽選"), "{e}");
    // Applying after the draw.
    assert_eq!(
        f.store.apply_by_card(&card(1), &cid, None).unwrap(),
        Some(ApplyOutcome::Closed)
    );
}

#[test]
fn draw_follows_rfc3797_and_the_transcript_verifies() {
    let mut f = fixture_on(today());
    let mut c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 3);
    c.waitlist_size = Some(2);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    fill(&mut f, &cid, 8);
    // Entry 4 withdraws before closing: the pool has 7 positions.
    f.store.withdraw(&f.manager, &cid, 4).unwrap();
    set_day(&f, date(2026, 11, 16));
    let notice = f
        .store
        .close_lottery_class(&f.manager, &cid, names())
        .unwrap();
    let entries: Vec<u32> = notice.pool.pool.iter().map(|e| e.entry).collect();
    assert_eq!(entries, vec![1, 2, 3, 5, 6, 7, 8]);
    set_day(&f, date(2026, 11, 20));
    let t = f
        .store
        .draw_lottery_class(&f.manager, &cid, sources())
        .unwrap();

    // The order is exactly RFC 3797 over positions 1..=7.
    let key = rfc3797::key_string(&rfc3797::parse_sources(&sources()).unwrap());
    assert_eq!(t.key, "7.8.11.17.19.25.46./8285182./");
    assert_eq!(t.key, key);
    let rfc: Vec<u32> = rfc3797::select(&key, 7, 7)
        .unwrap()
        .iter()
        .map(|s| entries[s.selected as usize - 1])
        .collect();
    let drawn: Vec<u32> = t.results.iter().map(|r| r.entry).collect();
    assert_eq!(drawn, rfc, "one tier: results in RFC order");
    assert_eq!(t.commitment, notice.commitment);

    // Stored transcript verifies; one byte changed does not.
    let json = f.store.lottery_transcript(&cid).unwrap();
    assert!(draw::verify(&json).matches);
    let tampered = json.replacen("\"tier\": 2", "\"tier\": 1", 1);
    assert!(!draw::verify(&tampered).matches);

    // Per-entry states: 3 won, 2 waiting, 2 not selected, 1 withdrawn.
    let mut counts = std::collections::BTreeMap::new();
    for i in 1..=8u16 {
        let r = f.store.lottery_results_for_card(&card(i)).unwrap().unwrap();
        *counts.entry(r[0].label()).or_insert(0) += 1;
    }
    assert_eq!(counts.get("当選"), Some(&3));
    assert_eq!(counts.get("ほけつ 1番"), Some(&1));
    assert_eq!(counts.get("ほけつ 2番"), Some(&1));
    assert_eq!(counts.get("今回は選ばれませんでした"), Some(&2));
    assert_eq!(counts.get("取り下げ"), Some(&1));

    let notice = f
        .store
        .result_notice(&Actor::Staff(f.manager.clone()), &cid)
        .unwrap();
    assert!(notice.contains("当選") && notice.contains("ほけつ 1番"));
    assert!(!notice.contains("試験"));
}

#[test]
fn priority_tier_and_waiting_list_moves_up_on_cancellation() {
    let mut f = fixture_on(date(2026, 4, 2));
    // Last term's class: 2 places, 5 applicants, drawn.
    let mut prev = class(&mut f, "体操（前期）", &[date(2026, 6, 1)], 2);
    prev.apply_from = date(2026, 4, 1);
    prev.apply_until = date(2026, 4, 10);
    prev.draw_on = date(2026, 4, 20);
    prev.term = "2026年度前期".into();
    let prev = f.store.add_lottery_class(&f.manager, prev).unwrap();
    fill(&mut f, &prev, 5);
    let t = close_and_draw(&mut f, &prev, date(2026, 4, 11), date(2026, 4, 20));
    let losers: Vec<u32> = t
        .results
        .iter()
        .filter(|r| r.outcome != draw::Outcome::Won)
        .map(|r| r.entry)
        .collect();
    assert_eq!(losers.len(), 3);

    // This term: losers of last term's draw get tier 1.
    set_day(&f, today());
    let mut c = class(&mut f, "体操（後期）", &[date(2026, 12, 3)], 3);
    c.priority = Priority::PreviousLosers;
    c.previous_class = Some(prev.clone());
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    for i in 1..=5u16 {
        match f.store.apply_by_card(&card(i), &cid, None).unwrap() {
            Some(ApplyOutcome::Applied { entry_number, tier }) => {
                let lost = losers.contains(&u32::from(i));
                assert_eq!(tier, if lost { 1 } else { 2 }, "entry {entry_number}");
            }
            other => panic!("{other:?}"),
        }
    }
    let t = close_and_draw(&mut f, &cid, date(2026, 11, 16), date(2026, 11, 20));
    // All three tier-1 applicants fill the three places.
    let won: Vec<u32> = t
        .results
        .iter()
        .filter(|r| r.outcome == draw::Outcome::Won)
        .map(|r| r.entry)
        .collect();
    let mut w = won.clone();
    w.sort_unstable();
    let mut l = losers.clone();
    l.sort_unstable();
    assert_eq!(w, l);
    let first_waiting = t
        .results
        .iter()
        .find(|r| r.waiting_rank == Some(1))
        .unwrap()
        .entry;

    // A winner cancels: waiting 1 moves up, recorded.
    let moved = f.store.cancel_win(&f.manager, &cid, won[0]).unwrap();
    assert_eq!(moved, Some(first_waiting));
    let r = f
        .store
        .lottery_results_for_card(&card(first_waiting as u16))
        .unwrap()
        .unwrap();
    assert_eq!(r[0].status, ApplicationStatus::MovedUp);
    assert!(r[0].label().starts_with("当選"));
    // Cancelling a non-winner is refused.
    assert!(f.store.cancel_win(&f.manager, &cid, won[0]).is_err());
    let entries = f.store.audit_entries(20).unwrap();
    assert!(entries.iter().any(|e| e.action == "lottery_move_up"));
    assert!(entries.iter().any(|e| e.action == "lottery_cancel"));
    assert!(matches!(
        f.store
            .verify_audit(&Actor::Staff(f.manager.clone()))
            .unwrap(),
        ChainVerdict::Intact { .. }
    ));
}

#[test]
fn first_time_applicants_get_the_priority_tier() {
    let mut f = fixture_on(today());
    let older = class(&mut f, "体操入門", &[date(2026, 12, 1)], 5);
    let older = f.store.add_lottery_class(&f.manager, older).unwrap();
    let mut c = class(&mut f, "体操応用", &[date(2026, 12, 2)], 5);
    c.priority = Priority::FirstTime;
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    person(&mut f, 1);
    person(&mut f, 2);
    applied(
        f.store
            .apply_by_card(&card(1), &older, Some("新宿区架空町".into()))
            .unwrap(),
    );
    let t1 = f.store.apply_by_card(&card(1), &cid, None).unwrap();
    let t2 = f
        .store
        .apply_by_card(&card(2), &cid, Some("新宿区架空町".into()))
        .unwrap();
    assert!(matches!(t1, Some(ApplyOutcome::Applied { tier: 2, .. })));
    assert!(matches!(t2, Some(ApplyOutcome::Applied { tier: 1, .. })));
}

#[test]
fn call_list_needs_a_personal_data_role_and_is_audited() {
    let mut f = fixture_on(today());
    let c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 1);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    fill(&mut f, &cid, 3);
    close_and_draw(&mut f, &cid, date(2026, 11, 16), date(2026, 11, 20));

    let list = f.store.call_list(&f.manager, &cid).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].status, ApplicationStatus::Won);
    assert!(list[0].name.starts_with("試験 花子"));
    assert_eq!(list[1].waiting_rank, Some(1));
    let last = &f.store.audit_entries(1).unwrap()[0];
    assert_eq!(last.action, "view");
    assert!(last.fields.contains("phone") && !last.fields.contains("090"));

    f.store
        .add_staff(&f.manager, "unei1", Role::Operator, "Operator-first-01")
        .unwrap();
    let mut op = f.store.sign_in("unei1", "Operator-first-01").unwrap();
    f.store
        .change_password(&mut op, "Operator-second-02")
        .unwrap();
    assert!(matches!(
        f.store.call_list(&op, &cid),
        Err(Error::NotPermitted { .. })
    ));
}

#[test]
fn unselected_addresses_are_deleted_once_the_class_starts() {
    let mut f = fixture_on(today());
    let c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 1);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    let mut c2 = class(&mut f, "別の教室", &[date(2027, 1, 14)], 5);
    c2.draw_on = date(2026, 12, 20);
    let cid2 = f.store.add_lottery_class(&f.manager, c2).unwrap();
    let pids = fill(&mut f, &cid, 3);
    // Entry 3 also applied to a later class: that address is still needed.
    applied(f.store.apply_by_card(&card(3), &cid2, None).unwrap());
    let t = close_and_draw(&mut f, &cid, date(2026, 11, 16), date(2026, 11, 20));
    let winner = t.results[0].entry as usize;

    // Before the class starts nothing is deleted.
    let r = f
        .store
        .purge_unselected_addresses(&Actor::Kiosk, date(2026, 12, 2))
        .unwrap();
    assert_eq!(r.classes, 0);
    let r = f
        .store
        .purge_unselected_addresses(&Actor::Kiosk, date(2026, 12, 3))
        .unwrap();
    assert_eq!(r.classes, 1);
    for (i, pid) in pids.iter().enumerate() {
        let p = f.store.participant(&f.manager, pid).unwrap();
        let keep = i + 1 == winner || i + 1 == 3;
        assert_eq!(p.address.is_some(), keep, "entry {}", i + 1);
    }
    // Runs once per class.
    let r = f
        .store
        .purge_unselected_addresses(&Actor::Kiosk, date(2026, 12, 4))
        .unwrap();
    assert_eq!(r.classes, 0);
    assert!(
        f.store
            .audit_entries(50)
            .unwrap()
            .iter()
            .any(|e| e.action == "erase")
    );
}

#[test]
fn ten_thousand_applicants_all_get_a_result() {
    let pool = draw::close_pool(
        "bench",
        "大きな教室",
        100,
        None,
        names(),
        (1..=10_000)
            .map(|e| (e, if e % 7 == 0 { 1 } else { 2 }))
            .collect(),
    );
    // Speed is measured by `tsudoi bench`, not here.
    let t = draw::run(&pool, &sources()).unwrap();
    assert_eq!(t.results.len(), 10_000);
    let winners = t
        .results
        .iter()
        .filter(|r| r.outcome == draw::Outcome::Won)
        .count();
    assert_eq!(winners, 100);
}

#[test]
fn version_2_files_gain_the_lottery_tables() {
    // A file made before issue 12 (schema 4; see tests/keys.rs) turned back
    // into schema 2.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format1.db"),
        &path,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE lottery_applications; DROP TABLE lottery_class_sessions;
         DROP TABLE lottery_classes; DROP TABLE media_ledger; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::jst(today(), 10, 0));
    let mut store = reopen(&path, clock);
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert!(store.lottery_classes().unwrap().is_empty());
    let v: u32 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, tsudoi::store::schema::CURRENT_VERSION);
    drop(s);
}

#[test]
fn staff_apply_on_behalf_and_kiosk_withdrawal() {
    let mut f = fixture_on(today());
    let c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 10);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    let pid = person(&mut f, 7);
    assert_eq!(
        f.store
            .apply_on_behalf(&f.manager, &pid[..8], &cid[..8], None)
            .unwrap(),
        ApplyOutcome::NeedsAddress
    );
    let e = f
        .store
        .apply_on_behalf(&f.manager, &pid, &cid, Some("新宿区架空町\n改行".into()))
        .unwrap_err();
    assert!(matches!(
        e,
        Error::Participant(tsudoi::store::errors::ParticipantError::AddressForm)
    ));
    let out = f
        .store
        .apply_on_behalf(&f.manager, &pid, &cid, Some("新宿区架空町七番".into()))
        .unwrap();
    assert_eq!(
        out,
        ApplyOutcome::Applied {
            entry_number: 1,
            tier: 2
        }
    );
    assert!(out.message().contains("受付番号は 1 番"));
    let r = f.store.lottery_results_for_card(&card(7)).unwrap().unwrap();
    assert_eq!(r[0].status, ApplicationStatus::Applied);
    assert!(tsudoi::kiosk::flows::classes::wording::result_message(&r[0]).contains("受付番号 1番"));
    assert!(
        f.store
            .lottery_results_for_card(&card(8))
            .unwrap()
            .is_none()
    );

    // Withdrawal at the kiosk; the entry number is not reused.
    assert!(f.store.withdraw_by_card(&card(7), &cid).unwrap());
    assert!(!f.store.withdraw_by_card(&card(7), &cid).unwrap());
    let again = f.store.apply_by_card(&card(7), &cid, None).unwrap();
    assert_eq!(
        again,
        Some(ApplyOutcome::Applied {
            entry_number: 2,
            tier: 2
        })
    );
}

#[test]
fn the_monthly_report_counts_the_draw_and_the_moves_up() {
    let mut f = fixture_on(today());
    let mut c = class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 10);
    c.waitlist_size = Some(5);
    let cid = f.store.add_lottery_class(&f.manager, c).unwrap();
    fill(&mut f, &cid, 15);
    let t = close_and_draw(&mut f, &cid, date(2026, 11, 16), date(2026, 11, 20));
    let winner = t
        .results
        .iter()
        .find(|r| r.outcome == draw::Outcome::Won)
        .unwrap()
        .entry;
    assert!(
        f.store
            .cancel_win(&f.manager, &cid, winner)
            .unwrap()
            .is_some()
    );

    let month = tsudoi::report::Month::parse("2026-11").unwrap();
    let (mc, _) = f.store.monthly_counts(&f.manager, month).unwrap();
    assert_eq!(mc.lottery.len(), 1);
    let row = &mc.lottery[0];
    assert_eq!(
        (row.seats, row.applicants, row.winners, row.moved_up),
        (10, 15, 10, 1)
    );
    // Published: the applicants shown, the single move-up hidden.
    let report = f
        .store
        .monthly_report(&f.manager, month, tsudoi::report::Wording::default())
        .unwrap();
    let table = report
        .tables()
        .into_iter()
        .find(|t| t.id == "lottery")
        .unwrap();
    let rendered: Vec<String> = table.rows[0]
        .iter()
        .map(|v| report.wording.render(v))
        .collect();
    assert_eq!(rendered, ["転倒予防教室", "10", "15", "10", "<10"]);
    let october = tsudoi::report::Month::parse("2026-10").unwrap();
    assert!(
        f.store
            .monthly_counts(&f.manager, october)
            .unwrap()
            .0
            .lottery
            .is_empty()
    );
}
