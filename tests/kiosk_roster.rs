//! 「名簿の取り込み」 at the kiosk, on a real store file, through the screens
//! (Slint's testing backend), with the ward's sample roster on a fake USB
//! stick: a file with problems shows them by line and stores nothing; a
//! clean file shows its differences, then is imported, entered in the media
//! ledger and audited (read with `sqlite3`); operators cannot reach it.
//! Every name and number is invented.

mod common;

use common::sqlite3 as sqlite;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Duration as Days;
use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::KioskUi;
use tsudoi::kiosk::controller::Screen;
use tsudoi::kiosk::flows::roster::adapter::Roster;
use tsudoi::store::Role;
use tsudoi::store::groups::{NewGroup, Schedule};

use common::media::{fake_system, stick};
use common::ui::{labelled, on_panel, press, sign_in, with_sticks};
use common::*;

const HANDLER: &str = "tori01";
const OPERATOR: &str = "unei01";
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ward-roster.csv"
);

/// A phone with too few digits (line 2) and a group that is not registered (line 3).
const BAD: &str = "グループ名,氏名,ふりがな,電話番号
ローズ会,試験 花子,しけん はなこ,03-5555
手芸の会,見本 一郎,みほん いちろう,090-5555-0102
";

struct Site {
    ui: KioskUi,
    path: PathBuf,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

/// The store with the three roles and the sample's two groups; a stick
/// TSUDOI holding `file` as `meibo.csv`.
fn site(file: &[u8]) -> Site {
    let today = date(2026, 11, 24);
    let Fixture {
        dir,
        path,
        clock,
        mut store,
        manager,
    } = fixture_on(today);
    add_ready_staff(
        &mut store,
        &manager,
        &[(HANDLER, Role::Handler), (OPERATOR, Role::Operator)],
        PASSWORD,
        NEW_PASSWORD,
    );
    for (name, when) in [
        ("ローズ会", "毎週火曜 10:00–12:00"),
        ("囲碁クラブ", "毎週木曜 13:00–15:00"),
    ] {
        store
            .add_group(
                &manager,
                NewGroup {
                    name: name.into(),
                    schedule: Schedule::parse(when).unwrap(),
                    room: "多目的室".into(),
                    from: today - Days::weeks(2),
                    until: today + Days::days(30),
                },
            )
            .unwrap();
    }
    store.sign_out(&manager).unwrap();
    let day = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    store.sign_out(&day).unwrap();
    let root = dir.path().join("system");
    fake_system(&root, &[("sdb", "TSUDOI")]);
    std::fs::write(stick(&root, "TSUDOI").join("meibo.csv"), file).unwrap();
    let ui = on_panel(store, with_sticks(&root, None));
    drop(clock);
    Site {
        ui,
        path,
        root,
        _dir: dir,
    }
}

const FILE: &str = "meibo.csv　（TSUDOI（/dev/sdb1））";

/// From the Today screen to the files on the stick.
fn open(ui: &KioskUi) {
    press(ui, "グループ・見守り");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffGroups));
    press(ui, "名簿の取り込み");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRoster));
}

fn rows(ui: &KioskUi) -> Vec<(String, String, bool)> {
    let g = ui.window().global::<Roster>();
    g.get_rows()
        .iter()
        .map(|r| (r.tag.to_string(), r.head.to_string(), r.warns))
        .collect()
}

fn stored_nothing(db: &Path) {
    assert_eq!(sqlite(db, "SELECT count(*) FROM group_members"), "0");
    assert_eq!(sqlite(db, "SELECT count(*) FROM participants"), "0");
    assert_eq!(sqlite(db, "SELECT count(*) FROM media_ledger"), "0");
}

#[test]
fn a_file_with_problems_shows_them_by_line_and_stores_nothing() {
    let s = site(BAD.as_bytes());
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open(&s.ui);
    press(&s.ui, FILE);
    let g = s.ui.window().global::<Roster>();
    assert!(
        g.get_summary()
            .starts_with("名簿に問題が2件あります（文字コード: UTF-8）"),
        "{}",
        g.get_summary()
    );
    assert!(g.get_guide().contains("何も取り込んでいません"));
    let r = rows(&s.ui);
    assert_eq!(r.len(), 2);
    assert!(r[0].1.starts_with("2行目: "), "{r:?}");
    assert!(r[1].1.starts_with("3行目: "), "{r:?}");
    assert!(labelled(&s.ui, "取り込む").is_empty(), "no way to import");
    // Pressing it anyway does nothing.
    g.invoke_import();
    mock_elapsed_time(Duration::ZERO);
    stored_nothing(&s.path);
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT result FROM audit WHERE action = 'roster_import'"
        ),
        "refused_2_problems"
    );
    press(&s.ui, "もどる");
    assert!(!labelled(&s.ui, FILE).is_empty(), "back to the files");
}

#[test]
fn a_clean_file_shows_its_differences_then_is_imported() {
    let sample = std::fs::read(SAMPLE).unwrap();
    let s = site(&sample);
    sign_in(&s.ui, MANAGER, NEW_PASSWORD);
    open(&s.ui);
    press(&s.ui, FILE);
    let g = s.ui.window().global::<Roster>();
    let summary = g.get_summary().to_string();
    assert!(
        summary.starts_with("追加 6人　変更 0人　削除 0人　変わらない 0人"),
        "{summary}"
    );
    assert!(summary.contains("UTF-8（BOM付き）"), "{summary}");
    let r = rows(&s.ui);
    assert_eq!(r[0].0, "追加");
    assert!(r[0].1.starts_with("2行目　ローズ会"), "{r:?}");
    assert_eq!(g.get_page(), "1/2");
    stored_nothing(&s.path);
    press(&s.ui, "取り込む");
    let g = s.ui.window().global::<Roster>();
    assert!(
        g.get_summary()
            .starts_with("名簿を取り込みました。追加 6人"),
        "{}",
        g.get_summary()
    );
    assert!(g.get_guide().contains("TSUDOI"), "{}", g.get_guide());
    assert_eq!(sqlite(&s.path, "SELECT count(*) FROM group_members"), "6");
    let ledger = sqlite(
        &s.path,
        "SELECT medium_label || ' ' || destination || ' ' || files FROM media_ledger",
    );
    assert!(ledger.contains("区から提供された会員名簿"), "{ledger}");
    assert!(ledger.contains("meibo.csv"), "{ledger}");
    let sha = sqlite(&s.path, "SELECT count(*) FROM media_ledger");
    assert_eq!(sha, "1");
    let audit = sqlite(
        &s.path,
        "SELECT group_concat(result) FROM audit WHERE action = 'roster_import'",
    );
    assert!(audit.contains("applied_added_6"), "{audit}");
    assert!(!s.ui.with_controller(|c| c.roster().holds_bytes()));
    press(&s.ui, "おわる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffGroups));
}

#[test]
fn a_file_changed_on_the_stick_after_the_check_is_not_imported() {
    let sample = std::fs::read(SAMPLE).unwrap();
    let s = site(&sample);
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open(&s.ui);
    press(&s.ui, FILE);
    std::fs::write(stick(&s.root, "TSUDOI").join("meibo.csv"), BAD).unwrap();
    press(&s.ui, "取り込む");
    let g = s.ui.window().global::<Roster>();
    assert!(g.get_guide().contains("確かめ直して"), "{}", g.get_guide());
    stored_nothing(&s.path);
}

#[test]
fn operators_cannot_reach_the_roster_import() {
    let sample = std::fs::read(SAMPLE).unwrap();
    let s = site(&sample);
    sign_in(&s.ui, OPERATOR, NEW_PASSWORD);
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffToday));
    assert!(labelled(&s.ui, "名簿の取り込み").is_empty());
    assert!(!s.ui.window().global::<Roster>().get_available());
    s.ui.window().global::<Roster>().invoke_open();
    mock_elapsed_time(Duration::ZERO);
    s.ui.with_controller(|c| {
        c.roster_open();
        c.roster_choose(0);
        c.roster_import();
        assert_eq!(c.screen(), Screen::StaffToday);
    });
    stored_nothing(&s.path);
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT count(*) FROM audit WHERE action = 'roster_import'"
        ),
        "0"
    );
}

#[test]
fn signing_out_on_the_differences_wipes_the_file_and_stores_nothing() {
    let sample = std::fs::read(SAMPLE).unwrap();
    let s = site(&sample);
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open(&s.ui);
    press(&s.ui, FILE);
    assert!(s.ui.with_controller(|c| c.roster().holds_bytes()));
    s.ui.with_controller(|c| {
        c.sign_out();
        assert!(!c.roster().holds_bytes());
        c.roster_import();
    });
    assert!(s.ui.window().global::<Roster>().get_rows().row_count() == 0);
    stored_nothing(&s.path);
}
