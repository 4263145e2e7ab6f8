//! 研修モード and the training record (issue 19): the banner on every
//! screen, the exercises detected from the practice store (not from button
//! presses), the real store refused and untouched, the record in the real
//! store, the handling report and the printed record (read back with
//! Python's csv module, `sha256sum` and `pdftotext`). All data is invented.

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use chrono::NaiveDate;
use i_slint_backend_testing::mock_elapsed_time;
use slint::ComponentHandle;
use tsudoi::kiosk::controller::EditField;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen};
use tsudoi::store::sessions::SessionMode;
use tsudoi::training::{
    BANNER, Chapter, Exercise, Manual, PRACTICE_PASSWORD, Practice, TrainingItem,
};

use common::cli::{Env, code, text};
use common::ui::{labelled, press, type_text};
use common::{MANAGER, NEW_PASSWORD};

const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 24) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn show(ui: &KioskUi) {
    ui.window().show().unwrap();
    ui.window()
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    mock_elapsed_time(Duration::ZERO);
}

/// A kiosk in training for `MANAGER`, as `tsudoi training` starts it.
fn practice_kiosk() -> KioskUi {
    i_slint_backend_testing::init_no_event_loop();
    let (store, practice) =
        Practice::create(MANAGER, TODAY, None, std::path::Path::new("/nonexistent")).unwrap();
    let ui = KioskUi::new(KioskController::new_training(
        store,
        practice,
        KioskConfig::default(),
    ))
    .unwrap();
    show(&ui);
    ui
}

fn done(ui: &KioskUi) -> BTreeSet<&'static str> {
    ui.with_controller(|c| {
        c.training_status()
            .into_iter()
            .filter(|(_, d)| *d)
            .map(|(e, _)| e.code())
            .collect()
    })
}

fn demo_card(n: i32) -> Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError> {
    tsudoi::kiosk::demo_card(n).unwrap()
}

fn sign_in(c: &mut KioskController, id: &str, password: &str) {
    c.staff_start();
    for k in id.split("") {
        c.key(k);
    }
    c.focus(tsudoi::kiosk::Field::Second);
    for k in password.split("") {
        c.key(k);
    }
    c.submit();
}

/// From Today: the record whose phone is `phone`, found by phone.
fn open_by_phone(c: &mut KioskController, phone: &str) {
    c.search_start();
    if !c.search().unwrap().by_phone {
        c.search_toggle();
    }
    for k in phone.split("") {
        c.key(k);
    }
    c.submit();
    let id = c.search().unwrap().hits.first().expect("a hit").id.clone();
    c.search_open(&id);
    assert_eq!(c.screen(), Screen::StaffRecord);
}

/// The registration wizard from Today to the end, without a card.
/// Registers the sample person of the guide's ID document (みほん はなこ,
/// 昭和31年5月1日) with `phone`; `born_off` moves the birth month (a
/// registration that does not match the document).
fn register_born(c: &mut KioskController, phone: &str, born_off: i32) {
    c.register_start();
    c.reg_document(0);
    for k in ["ミ", "ホ", "ン", "空白", "ハ", "ナ", "コ"] {
        c.key(k);
    }
    c.name_focus_kana(false);
    for _ in 0..3 {
        c.name_kana(false);
    }
    c.submit();
    // From the form's 昭和30年1月1日.
    c.reg_era(2);
    c.reg_step_date(tsudoi::kiosk::controller::DatePart::Year, 1);
    c.reg_step_date(tsudoi::kiosk::controller::DatePart::Month, 4 + born_off);
    c.submit();
    for k in "1600022".split("") {
        c.key(k);
    }
    c.submit();
    for k in phone.split("") {
        c.key(k);
    }
    c.submit();
    c.submit(); // consent: saved here
    c.submit(); // no card
}

fn register(c: &mut KioskController, phone: &str) {
    register_born(c, phone, 0);
}

/// Every screen visited shows the banner; returns the screens seen.
fn assert_banner(ui: &KioskUi, seen: &mut BTreeSet<String>) {
    mock_elapsed_time(Duration::ZERO);
    let screen = format!("{:?}", ui.with_controller(|c| c.screen()));
    assert_eq!(labelled(ui, BANNER).len(), 1, "banner missing on {screen}");
    seen.insert(screen);
}

#[test]
fn the_banner_is_on_every_screen_of_the_practice_kiosk() {
    let ui = practice_kiosk();
    let mut seen = BTreeSet::new();
    // The guide opens first, over the waiting screen.
    assert!(!labelled(&ui, "研修の課題").is_empty());
    assert_banner(&ui, &mut seen);
    press(&ui, "画面にもどる");
    assert!(labelled(&ui, "研修の課題").is_empty());
    assert_banner(&ui, &mut seen);
    // The banner opens the guide again.
    press(&ui, "研修の課題を見る");
    assert!(!labelled(&ui, "研修の課題").is_empty());
    press(&ui, "画面にもどる");
    // No 「研修モード」 button while training already.
    ui.with_controller(|c| c.show_purpose());
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.back());
    ui.on_card(demo_card(1));
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.back());
    ui.on_card(demo_card(2));
    assert_banner(&ui, &mut seen);
    ui.on_card(demo_card(3));
    assert_banner(&ui, &mut seen);
    ui.on_card(demo_card(4));
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.back();
        c.class_mode();
    });
    assert_banner(&ui, &mut seen);
    ui.on_card(demo_card(1));
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.back());
    // Staff screens, typed on screen as a trainee would.
    press(&ui, "スタッフのサインイン");
    assert_banner(&ui, &mut seen);
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, PRACTICE_PASSWORD);
    press(&ui, "サインイン");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffToday);
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.add_session_start());
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.register_start();
    });
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.reg_document(0);
    });
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.search_start();
    });
    assert_banner(&ui, &mut seen);
    let phone = ui.with_controller(|c| {
        c.cancel();
        // Demo card 1's invented resident, opened from the search screen.
        let card = demo_card(1).unwrap();
        let pid = c.store().participant_by_card(&card).unwrap().unwrap();
        c.search_start();
        c.search_open(&pid);
        c.screen()
    });
    assert_eq!(phone, Screen::StaffRecord);
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.edit_menu());
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| c.edit_start(EditField::Phone));
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.staff_classes_start();
    });
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.cards_start();
    });
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.delete_start();
    });
    assert_banner(&ui, &mut seen);
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.cancel();
        c.sign_out();
    });
    assert_banner(&ui, &mut seen);
    assert!(seen.len() >= 18, "{seen:?}");
}

#[test]
fn exercises_count_only_when_the_practice_store_shows_them_done() {
    let ui = practice_kiosk();
    assert!(done(&ui).is_empty());
    let session = ui.with_controller(|c| {
        c.training_guide_close();
        c.store()
            .sessions_on(TODAY)
            .unwrap()
            .into_iter()
            .find(|s| {
                s.mode == SessionMode::Open
                    && s.start <= chrono::NaiveTime::from_hms_opt(10, 30, 0).unwrap()
                    && s.end > chrono::NaiveTime::from_hms_opt(10, 30, 0).unwrap()
            })
            .expect("an activity open at 10:30")
            .id
    });
    ui.with_controller(|c| sign_in(c, MANAGER, PRACTICE_PASSWORD));
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffToday);

    // Pressing buttons without finishing counts for nothing.
    ui.with_controller(|c| {
        c.register_start();
        c.reg_document(0);
        c.cancel();
        c.cancel();
        c.search_start();
        c.cancel();
    });
    assert!(done(&ui).is_empty(), "{:?}", done(&ui));

    // Someone registered, but not as the sample ID says (born a month
    // later): the exercise is not done.
    ui.with_controller(|c| register_born(c, "0355550888", 1));
    assert_eq!(
        ui.with_controller(|c| c.store().participant_count().unwrap()),
        41
    );
    assert!(done(&ui).is_empty(), "{:?}", done(&ui));

    ui.with_controller(|c| register(c, "0355550123"));
    assert_eq!(done(&ui), BTreeSet::from(["register"]));

    ui.with_controller(|c| {
        open_by_phone(c, "0355550123");
        c.edit_menu();
        c.edit_start(EditField::Phone);
        // Typed, then abandoned: not done.
        c.key("0");
        c.cancel();
        c.cancel();
    });
    assert!(!done(&ui).contains("correct_phone"));
    ui.with_controller(|c| {
        c.edit_menu();
        c.edit_start(EditField::Phone);
        for _ in 0..12 {
            c.backspace();
        }
        for k in "0355550999".split("") {
            c.key(k);
        }
        c.submit();
    });
    assert!(done(&ui).contains("correct_phone"), "{:?}", done(&ui));

    ui.with_controller(|c| {
        while c.screen() != Screen::StaffToday {
            c.cancel();
        }
        open_by_phone(c, "0355550999");
        c.choose(&session);
    });
    assert!(done(&ui).contains("check_in_by_hand"), "{:?}", done(&ui));

    ui.with_controller(|c| {
        c.staff_classes_start();
        let class = c
            .search()
            .unwrap()
            .classes
            .first()
            .expect("a class")
            .id
            .clone();
        c.staff_apply(&class);
        // The first application asks the address: block number, no building.
        assert_eq!(c.screen(), Screen::StaffCorrect);
    });
    assert!(!done(&ui).contains("apply_for_class"));
    ui.with_controller(|c| {
        for k in ["3", "-", "2", "-", "1"] {
            c.key(k);
        }
        c.submit();
        c.submit();
    });
    assert!(done(&ui).contains("apply_for_class"), "{:?}", done(&ui));

    // Lock (sign out), an unregistered card at the waiting screen, unlock.
    ui.with_controller(|c| c.sign_out());
    assert!(!done(&ui).contains("lock_unlock"));
    ui.on_card(demo_card(2));
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::UnknownCard);
    assert!(!done(&ui).contains("unknown_card"));
    ui.with_controller(|c| {
        c.back();
        sign_in(c, MANAGER, PRACTICE_PASSWORD);
    });
    assert!(done(&ui).contains("lock_unlock"), "{:?}", done(&ui));
    ui.with_controller(|c| {
        open_by_phone(c, "0355550999");
        c.cards_start();
        c.card_add();
    });
    ui.on_card(demo_card(2));
    assert_eq!(done(&ui).len(), Exercise::ALL.len(), "{:?}", done(&ui));

    // 「研修を終わる」 under `tsudoi training`: the result for the record.
    let folder = ui.with_controller(|c| {
        c.training_finish();
        assert!(c.wants_quit());
        c.take_training_result().unwrap()
    });
    assert_eq!(folder.trainee, MANAGER);
    assert_eq!(folder.done.len(), Exercise::ALL.len());
}

#[test]
fn training_from_the_kiosk_never_touches_the_real_store_and_records_at_sign_in() {
    i_slint_backend_testing::init_no_event_loop();
    let mut f = common::fixture_on(TODAY);
    // A real resident the practice kiosk must never show.
    let real_pid = f
        .store
        .register(
            &f.manager,
            common::resident(
                "本番 太郎",
                "ほんばん たろう",
                "09011112222",
                common::date(1950, 1, 1),
            ),
        )
        .unwrap();
    f.store.sign_out(&f.manager).unwrap();
    f.store.lock();
    let real_path = f.path.clone();
    let real_count = f.store.participant_count().unwrap();
    let ui = KioskUi::new(KioskController::new(f.store, KioskConfig::default())).unwrap();
    show(&ui);
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::Locked);
    assert!(labelled(&ui, BANNER).is_empty());
    press(&ui, "研修モード（架空のデータで練習）");
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    assert!(ui.with_controller(|c| c.in_training()));
    assert_eq!(labelled(&ui, BANNER).len(), 1);
    let (practice_path, real_visible) = ui.with_controller(|c| {
        let p = c.store().path().to_owned();
        (p, c.store().participant_count().unwrap())
    });
    assert_ne!(practice_path, real_path);
    assert!(!practice_path.starts_with(real_path.parent().unwrap()));
    // The practice store has its own invented residents; the real one is not there.
    ui.with_controller(|c| {
        sign_in(c, MANAGER, PRACTICE_PASSWORD);
        let shown = c
            .store()
            .participant_by_card(&demo_card(1).unwrap())
            .unwrap();
        assert!(shown.is_some());
        c.search_start();
        c.search_open(&real_pid);
        assert_ne!(c.screen(), Screen::StaffRecord);
        c.cancel();
        register(c, "0355550123");
    });
    assert!(real_visible > 0);
    // The staff manual's chapters read, marked on the guide: a tap marks,
    // a second tap unmarks.
    ui.with_controller(|c| c.training_guide());
    press(&ui, "読んだ章");
    assert!(ui.with_controller(|c| c.chapters_open()));
    for label in [
        "1. tsudoi でできること",
        "4. 新しい方の登録",
        "2. 一日のはじめ",
        "4. 新しい方の登録",
    ] {
        press(&ui, label);
    }
    let checked = |label: &str| labelled(&ui, label)[0].accessible_checked();
    assert_eq!(checked("1. tsudoi でできること"), Some(true));
    assert_eq!(checked("2. 一日のはじめ"), Some(true));
    assert_eq!(checked("4. 新しい方の登録"), Some(false));
    press(&ui, "課題を見る");
    assert!(!ui.with_controller(|c| c.chapters_open()));
    ui.with_controller(|c| c.training_finish());
    let message = ui.with_controller(|c| c.sign_in_message().to_owned());
    assert!(message.contains("課題 1/6・読んだ章 2"), "{message}");
    assert!(!practice_path.exists(), "the practice store is deleted");
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffSignIn);
    assert_eq!(ui.with_controller(|c| c.first_field().to_owned()), MANAGER);
    assert!(labelled(&ui, BANNER).is_empty());
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    let message = ui.with_controller(|c| c.staff_message().to_owned());
    assert!(message.contains("研修の記録を残しました"), "{message}");
    ui.with_controller(|c| {
        // Nothing done in training reached the real store.
        assert_eq!(c.store().participant_count().unwrap(), real_count);
        assert_eq!(c.store().path(), real_path);
        let staff = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let rows = c.store().training_record(&staff).unwrap();
        let items: Vec<TrainingItem> = rows.iter().map(|r| r.item.clone()).collect();
        assert_eq!(
            items,
            [
                TrainingItem::Exercise(Exercise::Register),
                TrainingItem::ChapterRead("chapter:staff-1".into()),
                TrainingItem::ChapterRead("chapter:staff-2".into()),
            ]
        );
        assert!(
            rows.iter()
                .all(|r| r.staff_id == MANAGER && r.done_on == TODAY)
        );
    });
}

/// Runs Python's csv module over a CSV file; rows joined with `|`.
fn csv_rows(path: &std::path::Path) -> Vec<String> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import csv,sys\n\
             for r in csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')):\n\
             \x20   print('|'.join(r))",
        )
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn sha256sum_ok(dir: &std::path::Path) {
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", text(&sums.stdout));
}

#[test]
fn the_record_is_in_the_real_store_the_handling_report_and_the_printed_record() {
    let mut f = common::fixture_on(TODAY);
    let done = [Exercise::Register, Exercise::LockUnlock];
    assert_eq!(f.store.record_training(&f.manager, &done).unwrap(), 2);
    // Twice the same day: recorded once.
    assert_eq!(f.store.record_training(&f.manager, &done).unwrap(), 0);
    f.store
        .add_staff(
            &f.manager,
            "uketsuke01",
            tsudoi::store::Role::Handler,
            "First-pass-2026",
        )
        .unwrap();
    let mut handler = f.store.sign_in("uketsuke01", "First-pass-2026").unwrap();
    f.store
        .change_password(&mut handler, "Second-pass-2026")
        .unwrap();
    f.clock
        .set(tsudoi::clock::jst(TODAY.succ_opt().unwrap(), 10, 0));
    assert_eq!(
        f.store.record_training(&handler, &Exercise::ALL).unwrap(),
        6
    );
    let read = [
        Chapter::parse("staff-3").unwrap(),
        Chapter::parse("staff-10").unwrap(),
    ];
    assert_eq!(f.store.record_chapters_read(&handler, &read).unwrap(), 2);
    assert_eq!(f.store.record_chapters_read(&handler, &read).unwrap(), 0);
    // Only a manager reads or prints the record.
    assert!(f.store.training_record(&handler).is_err());
    let rows = f.store.training_record(&f.manager).unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].staff_id, MANAGER);
    assert_eq!(rows[9].staff_id, "uketsuke01");

    // The handling report counts the `training` entries of the period.
    let report = f
        .store
        .handling_report(&f.manager, TODAY, TODAY.succ_opt().unwrap(), &[])
        .unwrap();
    let training = report
        .kinds
        .iter()
        .find(|(l, _)| l.starts_with("研修の記録"))
        .unwrap();
    assert_eq!(training.1, 8);
    let day_one = f
        .store
        .handling_report(&f.manager, TODAY, TODAY, &[])
        .unwrap();
    assert!(day_one.kinds.contains(&(training.0, 2)));
    let dir = f.dir.path().join("handling");
    f.store
        .export_handling_report(&f.manager, TODAY, TODAY.succ_opt().unwrap(), &[], &dir)
        .unwrap();
    let kinds = csv_rows(&dir.join("tsudoi-handling-2026-11-24-2026-11-25-kinds.csv"));
    assert!(
        kinds.contains(&"研修の記録（研修モードで終えた課題）|8".to_owned()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"研修の記録（マニュアルの読んだ章）|2".to_owned()),
        "{kinds:?}"
    );
    sha256sum_ok(&dir);

    // The printed record for the ward.
    let dir = f.dir.path().join("training");
    let export = f.store.export_training_record(&f.manager, &dir).unwrap();
    assert_eq!(
        export.files,
        ["tsudoi-training-record.csv", "tsudoi-training-record.pdf"]
    );
    let rows = csv_rows(&dir.join("tsudoi-training-record.csv"));
    assert_eq!(rows[0], "実施日|スタッフID|課題|課題の記号");
    assert_eq!(rows.len(), 11);
    assert!(rows.contains(
        &"2026-11-25|uketsuke01|読んだ章: 受付スタッフ用 3. 参加する方の画面と、その意味|chapter:staff-3"
            .to_owned()
    ));
    assert!(rows.contains(&"2026-11-24|kanri01|見本の本人確認書類で登録する|register".to_owned()));
    assert!(rows.contains(
        &"2026-11-25|uketsuke01|ご本人に代わって教室に申し込む|apply_for_class".to_owned()
    ));
    // Staff ids, dates and exercises only: four columns, nothing else.
    assert!(rows.iter().all(|r| r.split('|').count() == 4));
    sha256sum_ok(&dir);
    let page = pdf_text(&dir.join("tsudoi-training-record.pdf"));
    for s in [
        "研修の記録",
        "kanri01",
        "uketsuke01",
        "電話番号を直す",
        "2026-11-25",
        "uketsuke01 課題6/6・章2",
        "kanri01 課題2/6・章0",
        "読んだ章",
    ] {
        assert!(page.contains(s), "{s} in {page}");
    }
    // The export itself is audited.
    let audit = f.store.audit_entries(5).unwrap();
    assert!(audit.iter().any(|e| e.record_id == "training_record"));
    assert!(
        f.store
            .audit_entries(30)
            .unwrap()
            .iter()
            .any(|e| e.action == "training" && e.actor == "uketsuke01")
    );
}

#[test]
fn a_practice_store_is_never_a_record_store() {
    let (mut store, practice) =
        Practice::create(MANAGER, TODAY, None, std::path::Path::new("/nonexistent")).unwrap();
    let staff = store.sign_in(MANAGER, PRACTICE_PASSWORD).unwrap();
    assert!(matches!(
        store.record_training(&staff, &[Exercise::Register]),
        Err(tsudoi::Error::Refused(_))
    ));
    let folder = practice.location().to_owned();
    assert!(folder.exists());
    drop(store);
    drop(practice);
    assert!(!folder.exists());
}

#[test]
fn tsudoi_training_refuses_the_real_store_and_leaves_its_bytes_alone() {
    let env = Env::new();
    env.init();
    let store_files = |env: &Env| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        common::all_bytes(env.dir.path())
            .into_iter()
            .filter(|(p, _)| p.to_string_lossy().contains("tsudoi.db"))
            .collect()
    };
    let before = store_files(&env);
    assert!(!before.is_empty());
    let real = env.store();
    let out = env.run(
        &["training", "--practice-store", real.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("本番の保存ファイル"), "{err}");
    assert!(err.contains("開きません"), "{err}");
    assert_eq!(store_files(&env), before, "the real store's bytes changed");

    // The real store under another name (a hard link) is the real store too.
    let link = env.path("link.db");
    std::fs::hard_link(&real, &link).unwrap();
    let out = env.run(
        &["training", "--practice-store", link.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("本番の保存ファイル"));
    std::fs::remove_file(&link).unwrap();
    assert_eq!(store_files(&env), before, "the real store's bytes changed");

    // Another existing store (a copy of the real one under another name)
    // is refused too, and left as it was.
    let copy = env.path("copy.db");
    std::fs::copy(&real, &copy).unwrap();
    let copy_bytes = std::fs::read(&copy).unwrap();
    let out = env.run(
        &["training", "--practice-store", copy.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("保存ファイル"));
    assert_eq!(std::fs::read(&copy).unwrap(), copy_bytes);
    assert!(!env.path("copy.db-wal").exists());
    assert_eq!(store_files(&env), before);
}

#[test]
fn tsudoi_report_training_prints_the_record_for_the_ward() {
    let env = Env::new();
    env.init();
    {
        let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::new(tsudoi::clock::Clock::now(
            &tsudoi::clock::SystemClock,
        )));
        let mut store = common::reopen(&env.store(), clock);
        let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
        store
            .record_training(&staff, &[Exercise::CheckInByHand, Exercise::UnknownCard])
            .unwrap();
        store.sign_out(&staff).unwrap();
    }
    // The chapters read, from the command line: every manual's chapters
    // are listed with their codes; an unknown code records nothing.
    let listed = env.run(&["training", "chapters"], None);
    assert!(listed.status.success());
    for m in Manual::ALL {
        assert!(text(&listed.stdout).contains(m.title()));
    }
    assert!(text(&listed.stdout).contains("staff-3"));
    let wrong = env.run(
        &["training", "read", "staff-3", "staff-99"],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&wrong), 2);
    assert!(
        text(&wrong.stderr).contains("training chapters"),
        "{}",
        text(&wrong.stderr)
    );
    let read = env.staff(&["training", "read", "staff-3", "manager-6"]);
    assert!(
        text(&read.stdout).contains("新しく2件"),
        "{}",
        text(&read.stdout)
    );

    let dir = env.path("record");
    let out = env.staff(&["report", "training", "--out", dir.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("tsudoi-training-record.csv"));
    let today = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock).to_string();
    let rows = csv_rows(&dir.join("tsudoi-training-record.csv"));
    assert_eq!(
        rows,
        [
            "実施日|スタッフID|課題|課題の記号".to_owned(),
            format!("{today}|kanri01|手入力で受付する|check_in_by_hand"),
            format!("{today}|kanri01|登録されていないカードに対応する|unknown_card"),
            format!(
                "{today}|kanri01|読んだ章: 受付スタッフ用 3. 参加する方の画面と、その意味|chapter:staff-3"
            ),
            format!(
                "{today}|kanri01|読んだ章: 取扱責任者用 6. 監査ログを確かめる|chapter:manager-6"
            ),
        ]
    );
    sha256sum_ok(&dir);
    let verified = env.run(&["report", "verify", dir.to_str().unwrap()], None);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(pdf_text(&dir.join("tsudoi-training-record.pdf")).contains("kanri01 課題2/6・章2"));
    // Printing it again into the same folder is refused.
    let again = env.run(
        &["report", "training", "--out", dir.to_str().unwrap()],
        Some(NEW_PASSWORD),
    );
    assert_eq!(code(&again), 2);
}

#[test]
fn leaving_the_record_sign_in_records_nothing_and_the_record_holds_no_personal_data() {
    i_slint_backend_testing::init_no_event_loop();
    let f = common::fixture_on(TODAY);
    let dir = f.dir.path().to_owned();
    let common::Fixture {
        mut store,
        manager,
        dir: _keep,
        ..
    } = f;
    store.sign_out(&manager).unwrap();
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    show(&ui);
    let train = |ui: &KioskUi| {
        ui.with_controller(|c| {
            c.back();
            c.training_start();
            for k in MANAGER.split("") {
                c.key(k);
            }
            c.focus(tsudoi::kiosk::Field::Second);
            for k in NEW_PASSWORD.split("") {
                c.key(k);
            }
            c.submit();
            assert!(c.in_training());
            sign_in(c, MANAGER, PRACTICE_PASSWORD);
            register(c, "0355550123");
            c.training_finish();
            assert_eq!(c.screen(), Screen::StaffSignIn);
        });
    };
    // 「やめる」 at the record's sign-in: nothing is written.
    train(&ui);
    press(&ui, "やめる");
    let rows = ui.with_controller(|c| {
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let rows = c.store().training_record(&s).unwrap();
        c.store_mut().sign_out(&s).unwrap();
        rows
    });
    assert!(rows.is_empty());
    // Again, recorded this time; the printed record names no resident.
    train(&ui);
    ui.with_controller(|c| {
        for k in NEW_PASSWORD.split("") {
            c.key(k);
        }
        c.submit();
        assert_eq!(c.screen(), Screen::StaffToday);
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        assert_eq!(c.store().training_record(&s).unwrap().len(), 1);
        c.store_mut()
            .export_training_record(&s, &dir.join("record"))
            .unwrap();
    });
    let csv = std::fs::read_to_string(dir.join("record/tsudoi-training-record.csv")).unwrap();
    let pdf = pdf_text(&dir.join("record/tsudoi-training-record.pdf"));
    for personal in ["みほん", "ミホン", "はなこ", "0355550123", "03-5555-0123"] {
        assert!(!csv.contains(personal), "{personal} in the CSV");
        assert!(!pdf.contains(personal), "{personal} in the PDF");
    }
}

#[test]
fn training_left_idle_at_the_kiosk_ends_and_the_real_store_takes_taps_again() {
    i_slint_backend_testing::init_no_event_loop();
    let mut f = common::fixture_on(TODAY);
    f.store.sign_out(&f.manager).unwrap();
    f.store.lock();
    let ui = KioskUi::new(KioskController::new(f.store, KioskConfig::default())).unwrap();
    show(&ui);
    press(&ui, "研修モード（架空のデータで練習）");
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    let practice_path = ui.with_controller(|c| c.store().path().to_owned());
    ui.with_controller(|c| {
        c.training_guide_close();
        sign_in(c, MANAGER, PRACTICE_PASSWORD);
        register(c, "0355550123");
        c.sign_out();
        assert!(c.in_training());
        assert_eq!(c.screen(), Screen::Waiting);
    });
    // Nobody pressed 「研修を終わる」: after the staff lock's time the
    // training ends by itself, the practice store is deleted and the real
    // store is back (locked, as it was: 準備中).
    let idle = KioskConfig::default().staff_idle;
    // (Read from the screen: `with_controller` would restart the timer.)
    mock_elapsed_time(idle - Duration::from_secs(1));
    assert_eq!(labelled(&ui, BANNER).len(), 1);
    mock_elapsed_time(Duration::from_secs(2));
    assert!(!ui.with_controller(|c| c.in_training()));
    assert!(!practice_path.exists());
    assert!(labelled(&ui, BANNER).is_empty());
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::Locked);
    assert_eq!(ui.with_controller(|c| c.store().path().to_owned()), f.path);
    // The trainee's next sign-in at this kiosk records what was done.
    ui.with_controller(|c| {
        sign_in(c, MANAGER, NEW_PASSWORD);
        assert_eq!(c.screen(), Screen::StaffToday);
        let s = c.store_mut().sign_in(MANAGER, NEW_PASSWORD).unwrap();
        let rows = c.store().training_record(&s).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].item, TrainingItem::Exercise(Exercise::Register));
    });
}

#[test]
fn training_starts_during_the_day_from_the_oversight_screen_and_the_day_goes_on_after() {
    i_slint_backend_testing::init_no_event_loop();
    let f = common::fixture_on(TODAY);
    let real_path = f.path.clone();
    let ui = KioskUi::new(KioskController::new(f.store, KioskConfig::default())).unwrap();
    show(&ui);
    ui.with_controller(|c| {
        assert_eq!(c.screen(), Screen::Waiting);
        sign_in(c, MANAGER, NEW_PASSWORD);
        c.oversight_open();
        assert_eq!(c.screen(), Screen::StaffOversight);
    });
    press(&ui, "研修モード");
    // The staff member on the screen was signed out; the trainee signs in.
    assert_eq!(ui.with_controller(|c| c.screen()), Screen::StaffSignIn);
    assert_eq!(
        ui.with_controller(|c| c.staff_id().map(str::to_owned)),
        None
    );
    type_text(&ui, MANAGER);
    press(&ui, "パスワード");
    type_text(&ui, NEW_PASSWORD);
    press(&ui, "サインイン");
    assert!(ui.with_controller(|c| c.in_training()));
    assert_ne!(
        ui.with_controller(|c| c.store().path().to_owned()),
        real_path
    );
    assert_eq!(labelled(&ui, BANNER).len(), 1);
    // After training the real store is back, still open for the day:
    // residents' taps are taken again.
    ui.with_controller(|c| {
        c.training_finish();
        c.cancel();
        assert!(!c.in_training());
        assert_eq!(c.store().path(), real_path.as_path());
        assert!(c.store().is_unlocked());
        assert_eq!(c.screen(), Screen::Waiting);
    });
}
