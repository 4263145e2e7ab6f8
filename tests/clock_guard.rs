//! The clock guard: a Raspberry Pi has no real-time clock, so a store opened
//! with the clock behind the latest time it has seen records no check-in
//! until staff confirm the time (audited). All data is invented.

mod common;

use std::process::Command;

use chrono::{Duration, NaiveTime};
use tsudoi::Error;
use tsudoi::kiosk::{Field, KioskConfig, KioskController, Screen, Signal};
use tsudoi::store::audit::ChainVerdict;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::{Actor, Store};
use tsudoi_hw::{CardId, Technology};

use common::cli::{Env, code, text};
use common::*;

const CARD: &str = "04112233445566";

fn sqlite(path: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(path).arg(sql).output().unwrap();
    assert!(out.status.success(), "sqlite3: {}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// A store with one all-day session on 2026-06-02 and one registered
/// resident with a card; returns the fixture and the ids.
fn day() -> (Fixture, String, String) {
    let mut f = fixture_on(date(2026, 6, 2));
    let session = f
        .store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: date(2026, 6, 2),
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let pid = f
        .store
        .register(
            &f.manager,
            resident(
                "山田 花子",
                "ヤマダ ハナコ",
                "03-5555-0101",
                date(1950, 5, 5),
            ),
        )
        .unwrap();
    f.store
        .link_card(
            &f.manager,
            &pid,
            &CardId::from_hex(Technology::Iso14443A, CARD).unwrap(),
        )
        .unwrap();
    (f, pid, session)
}

#[test]
fn the_store_remembers_the_latest_time_it_has_seen() {
    let (mut f, pid, session) = day();
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 14, 30));
    f.store
        .check_in(
            &Actor::Kiosk,
            &pid,
            &session,
            tsudoi::store::attendance::CheckInMethod::Card,
        )
        .unwrap();
    drop(f.store);
    // sqlite3 reads what the store keeps: the time of its last audit entry.
    let seen = sqlite(&f.path, "SELECT value FROM meta WHERE key = 'clock_seen'");
    let last_audit = sqlite(&f.path, "SELECT at FROM audit ORDER BY seq DESC LIMIT 1");
    assert_eq!(seen, "2026-06-02T14:30:00+09:00");
    assert_eq!(seen, last_audit);

    // A clock later than that, or back by less than a minute, is trusted.
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 3), 9, 0));
    assert!(reopen(&f.path, f.clock.clone()).clock_behind().is_none());
    f.clock
        .set(tsudoi::clock::jst(date(2026, 6, 2), 14, 30) - Duration::seconds(59));
    assert!(reopen(&f.path, f.clock.clone()).clock_behind().is_none());
}

#[test]
fn a_clock_gone_backwards_stops_check_ins_until_staff_confirm_the_time() {
    let (mut f, pid, session) = day();
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 15, 0));
    f.store
        .check_in(
            &Actor::Kiosk,
            &pid,
            &session,
            tsudoi::store::attendance::CheckInMethod::Card,
        )
        .unwrap();
    drop(f.store);

    // A power cut; the Pi comes back with the time fake-hwclock saved at 13:00.
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 13, 0));
    let mut store = reopen(&f.path, f.clock.clone());
    let behind = store.clock_behind().cloned().expect("the clock is behind");
    assert_eq!(behind.latest_seen.to_rfc3339(), "2026-06-02T15:00:00+09:00");
    let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    // Nothing is recorded, by card or by hand, and the message says why.
    let err = store
        .check_in_by_staff(&staff, &pid, &session)
        .expect_err("refused");
    assert!(matches!(err, Error::ClockBehind { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("2026年6月2日 13:00:00") && msg.contains("2026年6月2日 15:00:00"),
        "{msg}"
    );
    assert_eq!(store.attendance_count().unwrap(), 1);

    // Staff read 15:10 on a watch: the device says 13:00, so set the clock first.
    let err = store
        .confirm_clock(&staff, date(2026, 6, 2).and_hms_opt(15, 10, 0).unwrap())
        .expect_err("refused: the clock is two hours off");
    assert!(
        err.to_string().contains("先に端末の時計を合わせてください"),
        "{err}"
    );
    assert!(store.clock_behind().is_some());

    // The clock is set; staff read the same time within five minutes and confirm.
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 14, 58));
    store
        .confirm_clock(&staff, date(2026, 6, 2).and_hms_opt(15, 1, 0).unwrap())
        .unwrap();
    assert!(store.clock_behind().is_none());
    let other = store
        .register(
            &staff,
            resident(
                "鈴木 次郎",
                "スズキ ジロウ",
                "03-5555-0102",
                date(1948, 8, 8),
            ),
        )
        .unwrap();
    assert!(matches!(
        store.check_in_by_staff(&staff, &other, &session).unwrap(),
        tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. }
    ));
    let entries = store.audit_entries(20).unwrap();
    let confirm = entries
        .iter()
        .find(|e| e.action == "clock_confirm")
        .expect("the confirmation is audited");
    assert_eq!(confirm.actor, MANAGER);
    assert_eq!(confirm.at, "2026-06-02T14:58:00+09:00");
    assert!(
        confirm.result.contains("2026-06-02T15:00:00+09:00"),
        "{}",
        confirm.result
    );
    assert!(matches!(
        store.verify_audit(&Actor::Staff(staff.clone())).unwrap(),
        ChainVerdict::Intact { .. }
    ));
    drop(store);
    // The next start at the confirmed time is trusted.
    assert!(reopen(&f.path, f.clock.clone()).clock_behind().is_none());
}

#[test]
fn a_store_from_before_the_guard_uses_its_last_audit_entry() {
    let (f, _, _) = day();
    drop(f.store);
    sqlite(&f.path, "DELETE FROM meta WHERE key = 'clock_seen'");
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 1), 10, 0));
    assert!(reopen(&f.path, f.clock.clone()).clock_behind().is_some());
}

#[test]
fn the_kiosk_asks_residents_to_see_staff_instead_of_recording() {
    let (mut f, _, _) = day();
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 11, 0));
    f.store
        .verify_audit(&Actor::Staff(f.manager.clone()))
        .unwrap();
    drop(f.store);
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 9, 30));
    let mut store: Store = reopen(&f.path, f.clock.clone());
    let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    store.sign_out(&staff).unwrap();
    let mut c = KioskController::new(store, KioskConfig::default());
    assert_eq!(
        c.on_card(CardId::from_hex(Technology::Iso14443A, CARD)),
        Signal::Attention
    );
    assert_eq!(c.screen(), Screen::ClockUnconfirmed);
    assert!(
        c.check_in_text()
            .map(|t| t.message)
            .unwrap_or_default()
            .contains("時計"),
        "{}",
        c.check_in_text().map(|t| t.message).unwrap_or_default()
    );
    assert!(
        c.check_in_text()
            .map(|t| t.message)
            .unwrap_or_default()
            .contains("受付にお声がけください")
    );
    assert_eq!(sqlite(&f.path, "SELECT count(*) FROM attendance"), "0");

    // Staff sign in on the screen; Today shows the device's time to compare
    // with a watch, and one button confirms it.
    c.on_timeout();
    assert_eq!(c.clock_question(), "");
    c.staff_start();
    for k in MANAGER.split("") {
        c.key(k);
    }
    c.focus(Field::Second);
    for k in NEW_PASSWORD.split("") {
        c.key(k);
    }
    c.submit();
    assert_eq!(c.screen(), Screen::StaffToday);
    let q = c.clock_question();
    assert!(
        q.contains("端末の時計は 2026年6月2日 09:30:00")
            && q.contains("最後の記録 2026年6月2日 11:00:00"),
        "{q}"
    );
    c.clock_confirm();
    assert_eq!(c.clock_question(), "");
    assert!(
        c.staff_message().contains("時計を確かめました"),
        "{}",
        c.staff_message()
    );
    c.sign_out();
    assert_eq!(
        c.on_card(CardId::from_hex(Technology::Iso14443A, CARD)),
        Signal::Success
    );
    assert_eq!(c.screen(), Screen::CheckedIn);
    drop(c);
    assert_eq!(sqlite(&f.path, "SELECT count(*) FROM attendance"), "1");
    assert_eq!(
        sqlite(
            &f.path,
            "SELECT actor FROM audit WHERE action = 'clock_confirm'"
        ),
        MANAGER
    );
}

#[test]
fn the_command_line_shows_refuses_and_confirms() {
    let env = Env::new();
    env.init();
    let store = env.store();
    // The store has seen a time a day ahead of this machine's clock, as if
    // the clock had gone back a day.
    let now = chrono::Utc::now().with_timezone(&tsudoi::clock::jst_offset());
    let ahead = (now + Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let today = now.format("%Y-%m-%d").to_string();
    env.staff(&[
        "session",
        "add",
        "--program",
        "koryu",
        "--date",
        &today,
        "--start",
        "00:00",
        "--end",
        "23:59",
        "--title",
        "交流サロン",
    ]);
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        r#"{"name": "山田 花子", "kana": "ヤマダ ハナコ", "phone": "03-5555-0101",
            "birth": "1950-05-05", "postal": "160-0022"}"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Registration waits for a trusted clock too, so it comes first.
    sqlite(
        &store,
        &format!("UPDATE meta SET value = '{ahead}' WHERE key = 'clock_seen'"),
    );
    let pid = sqlite(&store, "SELECT substr(id, 1, 8) FROM participants");
    let sid = sqlite(&store, "SELECT substr(id, 1, 8) FROM sessions");

    let show = env.run(&["clock", "show"], None);
    assert_eq!(code(&show), 1, "{}", text(&show.stdout));
    assert!(text(&show.stdout).contains("受付は記録しません"));

    let out = env.run(
        &["checkin", "--participant", &pid, "--session", &sid],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("時計"), "{}", text(&out.stderr));
    assert_eq!(sqlite(&store, "SELECT count(*) FROM attendance"), "0");

    // A time far from the machine's clock is refused (exit 2); bad input too.
    let out = env.run(
        &["clock", "confirm", "--now", "2020-01-01 09:00"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let out = env.run(&["clock", "confirm", "--now", "きょう"], Some(NEW_PASSWORD));
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("2026-12-02 10:30"));

    let watch = chrono::Utc::now()
        .with_timezone(&tsudoi::clock::jst_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let out = env.staff(&["clock", "confirm", "--now", &watch]);
    assert!(text(&out.stdout).contains("受付をまた記録できます"));
    env.staff(&["checkin", "--participant", &pid, "--session", &sid]);
    assert_eq!(sqlite(&store, "SELECT count(*) FROM attendance"), "1");
    assert_eq!(code(&env.run(&["clock", "show"], None)), 0);
    let audit = text(&env.staff(&["audit", "show"]).stdout);
    assert!(audit.contains("clock_confirm"), "{audit}");
}

/// Issue 16's clock campaign: the clock back a day, at 1970 (no saved time
/// at boot), and back from a year ahead (a clock that ran forward, then was
/// corrected): registration, applications, the lottery, the monthly report
/// and erasure all refuse until staff confirm the time; nothing is recorded
/// with an impossible time; confirming lets them run again.
#[test]
fn registration_lottery_reports_and_erasure_wait_for_a_confirmed_clock() {
    use tsudoi::store::lottery::{NewLotteryClass, Priority};

    let (mut f, pid, _) = day();
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 2), 15, 0));
    let m = f.manager.clone();
    let class_session = f
        .store
        .add_session(
            &m,
            NewSession {
                program: Program::Kaigo,
                date: date(2026, 7, 1),
                start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
                title: "体操教室".into(),
                capacity: Some(10),
                mode: SessionMode::Lottery,
            },
        )
        .unwrap();
    let class = f
        .store
        .add_lottery_class(
            &m,
            NewLotteryClass {
                program: Program::Kaigo,
                title: "体操教室".into(),
                kind: "体操".into(),
                term: "2026前期".into(),
                sessions: vec![class_session],
                capacity: 10,
                waitlist_size: None,
                apply_from: date(2026, 6, 1),
                apply_until: date(2026, 6, 10),
                draw_on: date(2026, 6, 12),
                one_per_term: false,
                priority: Priority::None,
                previous_class: None,
            },
        )
        .unwrap();
    drop(f.store);
    let audit_rows = sqlite(&f.path, "SELECT count(*) FROM audit");

    for (label, at) in [
        ("a day back", tsudoi::clock::jst(date(2026, 6, 1), 15, 0)),
        ("1970", tsudoi::clock::jst(date(1970, 1, 1), 9, 0)),
    ] {
        f.clock.set(at);
        let mut store = reopen(&f.path, f.clock.clone());
        assert!(store.clock_behind().is_some(), "{label}");
        let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let refused = |r: Result<(), Error>, what: &str| {
            assert!(
                matches!(r, Err(Error::ClockBehind { .. })),
                "{label}: {what} was not refused: {r:?}"
            );
        };
        refused(
            store
                .register(
                    &staff,
                    resident(
                        "時計 三郎",
                        "トケイ サブロウ",
                        "03-5555-0199",
                        date(1950, 1, 1),
                    ),
                )
                .map(drop),
            "registration",
        );
        refused(
            store.apply_on_behalf(&staff, &pid, &class, None).map(drop),
            "an application",
        );
        refused(
            store
                .close_lottery_class(&staff, &class, vec!["宝くじ".into()])
                .map(drop),
            "closing the lottery",
        );
        refused(
            store
                .draw_lottery_class(&staff, &class, vec!["1".into()])
                .map(drop),
            "the draw",
        );
        refused(
            store
                .export_report(
                    &staff,
                    tsudoi::report::Month {
                        year: 2026,
                        month: 5,
                    },
                    &f.dir.path().join(format!("report-{}", label.len())),
                    tsudoi::report::csv::Encoding::Utf8Bom,
                    tsudoi::report::Wording::default(),
                )
                .map(drop),
            "the monthly report",
        );
        refused(
            store.check_erasure_allowed(&staff, &tsudoi::crypto::RecoveryKey::generate().unwrap()),
            "erasure",
        );
        drop(store);
    }
    // Nothing but sign-ins was written while the clock was wrong, and no
    // row carries a time before the store's latest.
    assert_eq!(
        sqlite(
            &f.path,
            "SELECT count(*) FROM audit WHERE action NOT IN ('sign_in')"
        )
        .parse::<u64>()
        .unwrap(),
        audit_rows.parse::<u64>().unwrap(),
    );
    assert_eq!(
        sqlite(&f.path, "SELECT count(*) FROM participants"),
        "1",
        "no registration"
    );

    // A clock a year ahead records with that date (nothing can tell without
    // a reference) ...
    f.clock.set(tsudoi::clock::jst(date(2027, 6, 2), 10, 0));
    let mut store = reopen(&f.path, f.clock.clone());
    assert!(store.clock_behind().is_none());
    store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    drop(store);
    // ... and once corrected, the store refuses until staff confirm, then
    // runs again.
    f.clock.set(tsudoi::clock::jst(date(2026, 6, 3), 10, 0));
    let mut store = reopen(&f.path, f.clock.clone());
    assert!(store.clock_behind().is_some());
    let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    store
        .confirm_clock(&staff, date(2026, 6, 3).and_hms_opt(10, 1, 0).unwrap())
        .unwrap();
    store
        .register(
            &staff,
            resident(
                "時計 三郎",
                "トケイ サブロウ",
                "03-5555-0199",
                date(1950, 1, 1),
            ),
        )
        .unwrap();
    assert!(store.apply_on_behalf(&staff, &pid, &class, None).is_ok());
}
