//! A lottery class's day for the tests: a class of three weekly sessions
//! drawn among four applicants, one winner cancelled and the first on the
//! waiting list moved up, five residents with cards. All invented.

use chrono::{NaiveDate, NaiveTime};
use tsudoi::clock::jst;
use tsudoi::store::lottery::{ApplicationStatus, NewLotteryClass, Priority};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

use super::*;
#[allow(unused_imports)]
use chrono::Datelike;

pub const CLASS: &str = "転倒予防教室";

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Who is who after the draw and one cancellation.
pub struct ClassDay {
    pub f: Fixture,
    pub class: String,
    /// The class's sessions: last week, today, next week.
    pub sessions: Vec<String>,
    pub salon: String,
    /// Cards: a winner, one moved up, a cancelled winner, one waiting (2nd),
    /// one who never applied.
    pub winner: &'static str,
    pub moved_up: &'static str,
    pub cancelled: &'static str,
    pub waiting: &'static str,
    pub never: &'static str,
    pub never_id: String,
}

pub const CARDS: [&str; 5] = [
    "04000000000001",
    "04000000000002",
    "04000000000003",
    "04000000000004",
    "04000000000005",
];
pub const KANA: [&str; 5] = [
    "アオキ ハナコ",
    "イシダ タロウ",
    "ウエノ ヨシコ",
    "エンドウ マサオ",
    "オオタ キヨシ",
];

/// A class of three sessions (a week before `day`, `day`, a week after;
/// 10:00–11:30), capacity 2, applications from 5 weeks before, drawn 13
/// days before among four applicants; one winner then cancelled and the
/// first on the waiting list moved up. 交流サロン is open on `day` from
/// `salon.0` to `salon.1`. The clock ends at 10:00 on `day`.
pub fn class_day(day: NaiveDate, salon: (u32, u32)) -> ClassDay {
    let week = chrono::Duration::days(7);
    let d = |n: i64| day + chrono::Duration::days(n);
    let mut f = fixture_on(d(-28));
    let sessions: Vec<String> = [day - week, day, day + week]
        .iter()
        .map(|d| {
            f.store
                .add_session(
                    &f.manager,
                    NewSession {
                        program: Program::Kaigo,
                        date: *d,
                        start: at(10, 0),
                        end: at(11, 30),
                        title: CLASS.into(),
                        capacity: Some(2),
                        mode: SessionMode::Lottery,
                    },
                )
                .unwrap()
        })
        .collect();
    let salon = f
        .store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: day,
                start: at(salon.0, 0),
                end: at(salon.1, 0),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let class = f
        .store
        .add_lottery_class(
            &f.manager,
            NewLotteryClass {
                program: Program::Kaigo,
                title: CLASS.into(),
                kind: "体操".into(),
                term: "2026年度後期".into(),
                sessions: sessions.clone(),
                capacity: 2,
                waitlist_size: None,
                apply_from: d(-35),
                apply_until: d(-18),
                draw_on: d(-13),
                one_per_term: false,
                priority: Priority::None,
                previous_class: None,
            },
        )
        .unwrap();
    let mut ids = Vec::new();
    for (i, (hex, kana)) in CARDS.iter().zip(KANA).enumerate() {
        let phone = format!("03-5555-000{i}");
        let id = f
            .store
            .register(
                &f.manager,
                resident("試験 花子", kana, &phone, date(1950, 4, 1)),
            )
            .unwrap();
        f.store.link_card(&f.manager, &id, &card(hex)).unwrap();
        if i < 4 {
            f.store
                .apply_on_behalf(
                    &f.manager,
                    &id,
                    &class,
                    Some("新宿区架空町一丁目2番3号".into()),
                )
                .unwrap();
        }
        ids.push(id);
    }
    f.clock.set(jst(d(-17), 10, 0));
    f.store
        .close_lottery_class(&f.manager, &class, vec!["ロト7 本数字".into()])
        .unwrap();
    f.clock.set(jst(d(-13), 10, 0));
    f.store
        .draw_lottery_class(&f.manager, &class, vec!["7 8 11 17 19 25 46".into()])
        .unwrap();
    // Who won is the draw's business: read it back, by card.
    let status = |f: &mut Fixture, i: usize| {
        let r = f
            .store
            .lottery_results_for_card(&card(CARDS[i]))
            .unwrap()
            .unwrap();
        (r[0].status, r[0].entry_number, r[0].waiting_rank)
    };
    let mut winners = Vec::new();
    let mut waiting = Vec::new();
    for i in 0..4 {
        match status(&mut f, i) {
            (ApplicationStatus::Won, entry, _) => winners.push((i, entry)),
            (ApplicationStatus::Waiting, _, Some(rank)) => waiting.push((rank, i)),
            other => panic!("unexpected {other:?}"),
        }
    }
    waiting.sort();
    assert_eq!((winners.len(), waiting.len()), (2, 2));
    // The second winner cancels: the first on the waiting list moves up.
    f.store
        .cancel_win(&f.manager, &class, winners[1].1)
        .unwrap();
    assert_eq!(status(&mut f, waiting[0].1).0, ApplicationStatus::MovedUp);
    f.clock.set(jst(day, 10, 0));
    ClassDay {
        f,
        class,
        sessions,
        salon,
        winner: CARDS[winners[0].0],
        cancelled: CARDS[winners[1].0],
        moved_up: CARDS[waiting[0].1],
        waiting: CARDS[waiting[1].1],
        never: CARDS[4],
        never_id: ids[4].clone(),
    }
}
