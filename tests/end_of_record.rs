//! The end of a record and a resident's view of it (issue 14, seed 003):
//! the retention rule deletes exactly the records with no visit for three
//! whole fiscal years, and a disclosure (開示請求) prints everything held
//! about one resident, read back with `pdftotext` and `sqlite3`.

mod common;

use std::process::Command;

use chrono::{NaiveDate, NaiveTime};
use common::cli::{Env, code, id_after, text};
use common::{MANAGER, NEW_PASSWORD, date, fixture_on, resident};
use tsudoi::store::retention::DueRecord;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::{StaffSession, Store};

fn sqlite(db: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Checks `id` in to a salon on `day` (the clock set to 10:00 that day).
fn visit(f: &mut common::Fixture, staff: &StaffSession, id: &str, day: NaiveDate) {
    f.clock.set(tsudoi::clock::jst(day, 10, 0));
    let session = f
        .store
        .add_session(
            staff,
            NewSession {
                program: Program::Koryu,
                date: day,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let out = f.store.check_in_by_staff(staff, id, &session).unwrap();
    assert_eq!(out.code(), "checked_in");
}

fn register(store: &mut Store, staff: &StaffSession, n: u32) -> String {
    store
        .register(
            staff,
            resident(
                &format!("保存 {}郎", ["一", "二", "三", "四", "五"][n as usize - 1]),
                &format!(
                    "ほぞん {}ろう",
                    ["いち", "じ", "さぶ", "し", "ご"][n as usize - 1]
                ),
                &format!("090-5555-{:04}", 1000 + n),
                date(1950, 5, 5),
            ),
        )
        .unwrap()
}

#[test]
fn retention_deletes_exactly_the_records_with_no_visit_for_three_fiscal_years() {
    let mut f = fixture_on(date(2022, 6, 1));
    let m = f.manager.clone();
    let visited_2022 = register(&mut f.store, &m, 1);
    let never_visited = register(&mut f.store, &m, 2);
    let last_day_of_fy2022 = register(&mut f.store, &m, 3);
    let first_day_of_fy2023 = register(&mut f.store, &m, 4);
    visit(&mut f, &m, &visited_2022, date(2022, 6, 1));
    visit(&mut f, &m, &last_day_of_fy2022, date(2023, 3, 31));
    visit(&mut f, &m, &first_day_of_fy2023, date(2023, 4, 1));

    // December 2026 (fiscal 2026): fiscal 2023, 2024 and 2025 passed
    // without a visit from the first two and the third.
    f.clock.set(tsudoi::clock::jst(date(2026, 12, 3), 10, 0));
    let m = f.store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    let newcomer = register(&mut f.store, &m, 5);
    let due = f.store.records_due(&m, 3).unwrap();
    let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{due:?}");
    for id in [&visited_2022, &never_visited, &last_day_of_fy2022] {
        assert!(ids.contains(&id.as_str()));
    }
    assert_eq!(
        due.iter()
            .find(|d| d.id == last_day_of_fy2022)
            .unwrap()
            .last_activity,
        date(2023, 3, 31)
    );
    // A record that is no longer due by the time staff confirm (it came
    // back) is kept even if it was on the list.
    let mut listed = due.clone();
    listed.push(DueRecord {
        id: newcomer.clone(),
        last_activity: date(2020, 1, 1),
    });
    assert_eq!(f.store.delete_due(&m, 3, &listed).unwrap(), 3);
    for id in [&visited_2022, &never_visited, &last_day_of_fy2022] {
        assert!(f.store.participant(&m, id).is_err());
    }
    for id in [&first_day_of_fy2023, &newcomer] {
        assert!(f.store.participant(&m, id).is_ok());
    }
    assert!(f.store.records_due(&m, 3).unwrap().is_empty());
    f.store.checkpoint().unwrap();
    let log = sqlite(
        &f.path,
        "SELECT count(*) FROM audit WHERE action = 'delete' AND result = 'retention'",
    );
    assert_eq!(log.trim(), "3");
    assert_eq!(
        sqlite(&f.path, "SELECT count(*) FROM attendance").trim(),
        "1",
        "the deleted records' check-ins go with them"
    );
}

#[test]
fn a_disclosure_prints_everything_held_and_who_handled_it() {
    const PERSON: &str = r#"{"name": "開示 花子", "kana": "かいじ はなこ", "phone": "090-2468-1357",
      "birth": "昭和24年2月2日", "postal": "160-0022"}"#;
    let env = Env::new();
    env.init();
    let out = env.run_with_input(
        &["participant", "add", "--json", "-"],
        Some(NEW_PASSWORD),
        PERSON,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = id_after(&out, "登録番号: ");
    let session = env.salon_today();
    env.staff(&["checkin", "--participant", &id, "--session", &session]);
    env.staff(&["participant", "show", &id]);

    let first = env.path("first");
    let out = env.staff(&[
        "participant",
        "disclose",
        &id,
        "--out",
        first.to_str().unwrap(),
    ]);
    assert!(
        text(&out.stdout).contains("受付 1回"),
        "{}",
        text(&out.stdout)
    );
    let pdf = first.join(format!("tsudoi-disclosure-{id}.pdf"));
    let page = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(page.status.success());
    let page = text(&page.stdout);
    for needle in [
        "保有個人情報の開示",
        "開示",
        "花子",
        "カイジ",
        "090-2468-1357",
        "昭和24年2月2日",
        "【受付の記録】1回",
        "交流サロン",
        "登録 職員 kanri01",
        "受付 職員 kanri01",
        "記録の表示 職員 kanri01",
    ] {
        assert!(page.contains(needle), "{needle} missing:\n{page}");
    }
    // The disclosure is audited, and the next one shows it.
    let log = sqlite(
        &env.store(),
        "SELECT fields FROM audit WHERE action = 'export' AND record_id LIKE '%' || (SELECT substr(id, 1, 8) FROM participants) || '%'",
    );
    assert_eq!(log.trim(), "disclosure");
    let second = env.path("second");
    env.staff(&[
        "participant",
        "disclose",
        &id,
        "--out",
        second.to_str().unwrap(),
    ]);
    let page = Command::new("pdftotext")
        .arg(second.join(format!("tsudoi-disclosure-{id}.pdf")))
        .arg("-")
        .output()
        .unwrap();
    assert!(text(&page.stdout).contains("書き出し"));

    // An operator holds no key to a name: refused, nothing written.
    env.add_staff("unei01", "operator");
    let third = env.path("third");
    let mut c = env.cmd(&[
        "participant",
        "disclose",
        &id,
        "--out",
        third.to_str().unwrap(),
    ]);
    c.env("TSUDOI_STAFF", "unei01")
        .env("TSUDOI_PASSWORD", NEW_PASSWORD);
    let out = c.output().unwrap();
    assert_ne!(code(&out), 0);
    assert!(!third.join(format!("tsudoi-disclosure-{id}.pdf")).exists());
}
