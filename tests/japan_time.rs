//! Japan time whatever the system's zone: the command line and the kiosk give
//! the same answers under `TZ=Pacific/Kiritimati` (UTC+14) and
//! `TZ=Pacific/Pago_Pago` (UTC−11), which are on different calendar days for
//! most of every day. All data is invented.

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveTime, Timelike};
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::ComponentHandle;
use tsudoi::clock::{Clock, SystemClock, jst_offset};
use tsudoi::eligibility::PostalTable;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Signal};
use tsudoi::store::Store;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use common::cli::{Env, text};
use common::*;

const ZONES: [&str; 2] = ["Pacific/Kiritimati", "Pacific/Pago_Pago"];

/// Today in Tokyo, computed from UTC here rather than through tsudoi.
fn tokyo_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&jst_offset()).date_naive()
}

fn zones_installed() -> bool {
    ZONES
        .iter()
        .all(|z| std::path::Path::new("/usr/share/zoneinfo").join(z).exists())
}

#[test]
fn the_zones_really_differ_by_a_day() {
    // Without the zone files the other tests here would prove nothing.
    assert!(zones_installed(), "tzdata is missing: install it");
    let out = Command::new("date")
        .arg("+%Y-%m-%d %H")
        .env("TZ", ZONES[0])
        .output()
        .unwrap();
    let east = text(&out.stdout);
    let out = Command::new("date")
        .arg("+%Y-%m-%d %H")
        .env("TZ", ZONES[1])
        .output()
        .unwrap();
    let west = text(&out.stdout);
    assert_ne!(east, west, "the two zones should show different times");
}

#[test]
fn check_judges_on_the_same_japanese_day_in_any_zone() {
    let env = Env::new();
    let mut lines = Vec::new();
    let first = tokyo_today();
    for zone in ZONES {
        let before = tokyo_today();
        let out = env
            .cmd(&["check", "--birth", "昭和41年4月1日", "--postal", "160-0022"])
            .env("TZ", zone)
            .output()
            .unwrap();
        let after = tokyo_today();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        let line = shown
            .lines()
            .find(|l| l.starts_with("判定日"))
            .unwrap()
            .to_owned();
        let expected = |d: chrono::NaiveDate| {
            use chrono::Datelike;
            format!("判定日: {}年{}月{}日", d.year(), d.month(), d.day())
        };
        assert!(
            line == expected(before) || line == expected(after),
            "{zone}: {line}"
        );
        lines.push(line);
    }
    if tokyo_today() == first {
        assert_eq!(lines[0], lines[1]);
    }
}

#[test]
fn sessions_added_for_today_are_listed_as_today_in_any_zone() {
    let env = Env::new();
    env.init();
    let today = tokyo_today().to_string();
    let out = env.staff(&[
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
    assert!(out.status.success());
    for zone in ZONES {
        let mut c = env.cmd(&["session", "list"]);
        c.env("TZ", zone).env("TSUDOI_PASSWORD", NEW_PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("交流サロン"),
            "{zone}: {}",
            text(&out.stdout)
        );
    }
}

/// Runs [`kiosk_probe`] in a child process with `TZ` set, and returns what it printed.
fn probe_in(zone: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "kiosk_probe", "--ignored", "--nocapture"])
        .env("TZ", zone)
        .env("TSUDOI_PROBE", "1")
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{zone}: {shown}{}", text(&out.stderr));
    shown
        .lines()
        .filter_map(|l| l.strip_prefix("PROBE "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_kiosk_keeps_japan_time_in_any_zone() {
    let east = probe_in(ZONES[0]);
    let west = probe_in(ZONES[1]);
    assert!(east.contains("tap=Success"), "{east}");
    assert!(west.contains("tap=Success"), "{west}");
    // The date line on the waiting screen is Tokyo's, in both zones.
    use chrono::Datelike;
    let d = tokyo_today();
    let day = format!("date={}月{}日", d.month(), d.day());
    assert!(east.contains(&day) && west.contains(&day), "{east}\n{west}");
}

/// The kiosk on a real store with the system clock: a session running now
/// in Tokyo, a card tap, and the waiting screen's date line. Run by
/// [`the_kiosk_keeps_japan_time_in_any_zone`] in a child process per zone.
#[test]
#[ignore = "run by the_kiosk_keeps_japan_time_in_any_zone with TZ set"]
fn kiosk_probe() {
    if std::env::var_os("TSUDOI_PROBE").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (mut store, mut manager, _) = Store::create(
        &dir.path().join("tsudoi.db"),
        "テスト施設",
        MANAGER,
        PASSWORD,
        policy(),
        PostalTable::shinjuku(),
        clock,
    )
    .unwrap();
    store.change_password(&mut manager, NEW_PASSWORD).unwrap();
    // A session around the present minute in Tokyo (never across midnight).
    let now = chrono::Utc::now().with_timezone(&jst_offset());
    let minute = now.hour() * 60 + now.minute();
    let start = minute.saturating_sub(20);
    let end = (minute + 40).min(23 * 60 + 59);
    let at = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
    store
        .add_session(
            &manager,
            NewSession {
                program: Program::Koryu,
                date: now.date_naive(),
                start: at(start),
                end: at(end),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let id = store
        .register(
            &manager,
            resident(
                "山田 花子",
                "ヤマダ ハナコ",
                "03-1234-5678",
                date(1950, 4, 1),
            ),
        )
        .unwrap();
    let card = CardId::from_hex(Technology::Iso14443A, "04112233445566").unwrap();
    store.link_card(&manager, &id, &card).unwrap();
    store.sign_out(&manager).unwrap();

    init_no_event_loop();
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    println!("PROBE date={}", ui.with_controller(|c| c.date_label()));
    let signal = ui.on_card(Ok(card));
    let shown = if signal == Signal::Success {
        "Success"
    } else {
        "other"
    };
    println!("PROBE tap={shown}");
}
