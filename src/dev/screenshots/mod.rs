//! Renders every kiosk screen with invented demo data (`tsudoi screenshot`).
//!
//! This module renders the main set (01–106, in the order of a day at the
//! site); its companions render theirs, each on its own small invented store
//! so that the others' pictures do not change: [`training`] (80–87),
//! [`setup`] (110–119), [`groups`] (130–147), [`large`] (150–171) and
//! [`voice`] (120–124). Each shows its window with [`Shots`] and takes the
//! pictures by name.

mod groups;
mod large;
mod setup;
mod shots;
mod training;
mod voice;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveTime};

use crate::clock::FixedClock;
use crate::demo;
use crate::dev::DevError;
use crate::error::Result;
use crate::kiosk::controller::{KioskConfig, KioskController, UsbExport};
use crate::kiosk::{Field, KioskUi};
use crate::store::Role;
use crate::store::StaffSession;
use crate::store::Store;
use crate::store::attendance::CheckInOutcome;
use crate::store::lottery::{ApplyOutcome, NewLotteryClass, Priority};
use crate::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::{CardId, Technology};

use shots::Shots;

/// The day the screenshots show (a Tuesday).
const SCREENSHOT_DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2026, 11, 24) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

/// Height of the demo's simulated-reader panel (`DemoPanel` in ui/app.slint).
const DEMO_PANEL_HEIGHT: u32 = 52;

/// A second staff account of the screenshots, still on its first password.
pub const NEW_STAFF: &str = "uketsuke01";
const NEW_STAFF_PASSWORD: &str = "Hajimete-2026-pass";
/// An operator (運営者) of the screenshots, for the monthly report screens.
pub const OPERATOR: &str = "unei01";
const OPERATOR_PASSWORD: &str = "Unei-2026-report";

/// Renders every screen at `width`×`height` into `out`; returns the files
/// written. The headless platform must be installed ([`crate::dev::init_headless`]).
pub fn render_all(out: &Path, width: u32, height: u32) -> Result<Vec<PathBuf>> {
    // The demo store is invented and thrown away with the folder on drop.
    let scratch = tempfile::Builder::new()
        .prefix("tsudoi-screens-")
        .tempdir()?;
    let today = SCREENSHOT_DAY;
    // The recovery key is kept for the erasure screens (the last ones).
    let ScreensStore {
        mut store,
        manager,
        recovery,
        clock,
        exercise,
        open_class,
        open_draw,
    } = ScreensStore::create(&scratch.path().join("screens.db"))?;
    store.add_staff(&manager, NEW_STAFF, Role::Handler, NEW_STAFF_PASSWORD)?;
    last_month_visits(&mut store, &manager, today)?;
    store.add_staff(&manager, OPERATOR, Role::Operator, "Unei-first-2026")?;
    store.sign_out(&manager)?;
    let mut operator = store.sign_in(OPERATOR, "Unei-first-2026")?;
    store.change_password(&mut operator, OPERATOR_PASSWORD)?;
    store.sign_out(&operator)?;
    let media_root = scratch.path().join("system");
    fake_media(&media_root, &[])?;

    let config = KioskConfig {
        usb: UsbExport {
            media_root: media_root.clone(),
            ward: None,
        },
        // The demo's ward roster is erased as on the ward's instruction: its
        // return is a command (`tsudoi group return`), not a screen.
        contract: crate::store::erase::EraseRequest {
            roster_not_returned: true,
            ..Default::default()
        },
        ..KioskConfig::default()
    };
    let ui = KioskUi::new(KioskController::new(store, config)).map_err(DevError::ui)?;
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    let card = |n| crate::kiosk::demo_card(n).unwrap_or(Err(tsudoi_hw::CardIdError::Empty));

    shots.take("01-waiting")?;
    ui.with_controller(|c| c.show_purpose());
    shots.take("02-purpose")?;
    ui.with_controller(|c| c.back());
    ui.on_card(card(1));
    shots.take("03-choose-session")?;
    ui.with_controller(|c| c.choose(&exercise));
    shots.take("04-checked-in")?;
    ui.on_card(card(1));
    ui.with_controller(|c| c.choose(&exercise));
    shots.take("05-already-checked-in")?;
    ui.on_card(card(2));
    shots.take("06-unknown-card")?;
    ui.on_card(card(3));
    shots.take("07-reverification-due")?;
    ui.with_controller(|c| {
        c.back();
        c.apply_outcome(CheckInOutcome::NotEligible {
            reaches_age_on: today + chrono::Duration::days(120),
        })
    });
    shots.take("08-not-eligible")?;
    ui.with_controller(|c| c.apply_outcome(CheckInOutcome::SessionFull));
    shots.take("09-session-full")?;
    ui.on_card(Err(tsudoi_hw::CardIdError::Empty));
    shots.take("10-card-error")?;
    ui.on_card(Err(tsudoi_hw::CardIdError::RandomIdentifier));
    shots.take("90-phone-card")?;
    ui.with_controller(|c| c.show_fault());
    shots.take("91-kiosk-fault")?;
    clock.set(crate::clock::jst(today, 20, 0));
    ui.on_card(card(1));
    shots.take("11-no-session")?;
    clock.set(crate::clock::jst(today, 10, 30));
    ui.with_controller(|c| c.back());
    ui.on_reader_state(false);
    shots.take("12-reader-disconnected")?;
    ui.on_reader_state(true);

    ui.with_controller(|c| {
        c.staff_start();
        for k in demo::DEMO_MANAGER.split("") {
            c.key(k);
        }
        c.focus(Field::Second);
        for k in "abcdefgh".split("") {
            c.key(k);
        }
    });
    shots.take("13-staff-sign-in")?;
    ui.with_controller(|c| c.toggle_symbols());
    shots.take("59-staff-sign-in-symbols")?;
    ui.with_controller(|c| c.toggle_symbols());
    ui.with_controller(|c| {
        c.focus(Field::First);
        for _ in 0..demo::DEMO_MANAGER.len() {
            c.backspace();
        }
        for k in NEW_STAFF.split("") {
            c.key(k);
        }
        for _ in 0..5 {
            c.focus(Field::Second);
            c.key("x");
            c.submit();
        }
    });
    shots.take("14-staff-locked-out")?;
    clock.set(crate::clock::jst(today, 10, 50));
    ui.with_controller(|c| {
        c.cancel();
        sign_in(c, NEW_STAFF, NEW_STAFF_PASSWORD);
    });
    shots.take("15-staff-change-password")?;
    ui.with_controller(|c| {
        c.sign_out();
        sign_in(c, demo::DEMO_MANAGER, demo::DEMO_PASSWORD);
    });
    shots.take("16-staff-today")?;
    ui.with_controller(|c| c.add_session_start());
    shots.take("17-staff-add-session")?;
    ui.with_controller(|c| {
        c.cancel();
        c.register_start();
    });
    shots.take("20-register-document")?;
    ui.with_controller(|c| {
        c.reg_document(0);
        for k in ["ス", "ス", "゛", "キ", "空白", "ハ", "ナ"] {
            c.key(k);
        }
    });
    shots.take("21-register-name")?;
    ui.with_controller(|c| c.name_focus_kana(false));
    shots.take("50-register-name-candidates")?;
    ui.with_controller(|c| {
        choose_name(c, "鈴木");
        c.name_mode(tsudoi_kanji::Mode::OneByOne);
    });
    shots.take("51-register-name-one-by-one")?;
    ui.with_controller(|c| {
        c.name_mode(tsudoi_kanji::Mode::Whole);
        choose_name(c, "花");
        c.name_mode(tsudoi_kanji::Mode::Variants);
    });
    shots.take("52-register-name-variants")?;
    ui.with_controller(|c| {
        c.name_mode(tsudoi_kanji::Mode::Whole);
        c.submit();
        c.reg_step_date(crate::kiosk::controller::DatePart::Year, -5);
        c.reg_step_date(crate::kiosk::controller::DatePart::Month, 3);
    });
    shots.take("22-register-birth")?;
    ui.with_controller(|c| {
        c.reg_era(3);
    });
    shots.take("23-register-birth-too-young")?;
    ui.with_controller(|c| {
        c.reg_era(2);
        c.submit();
        for k in "1000001".split("") {
            c.key(k);
        }
    });
    shots.take("24-register-postal-out-of-ward")?;
    ui.with_controller(|c| {
        for _ in 0..7 {
            c.backspace();
        }
        for k in "1600022".split("") {
            c.key(k);
        }
    });
    shots.take("25-register-postal")?;
    ui.with_controller(|c| {
        c.submit();
        for k in "0312345678".split("") {
            c.key(k);
        }
    });
    shots.take("26-register-phone")?;
    ui.with_controller(|c| c.submit());
    shots.take("27-register-consent")?;
    ui.with_controller(|c| c.submit());
    shots.take("28-register-card")?;
    ui.on_card(card(2));
    ui.with_controller(|c| {
        c.search_start();
        for k in ["ス", "ス", "゛", "キ"] {
            c.key(k);
        }
    });
    shots.take("29-search")?;
    ui.with_controller(|c| c.submit());
    shots.take("30-search-results")?;
    ui.with_controller(|c| {
        let first = c
            .search()
            .and_then(|s| s.hits.first())
            .map(|h| h.id.clone());
        if let Some(id) = first {
            c.search_open(&id);
        }
    });
    shots.take("31-record")?;
    ui.with_controller(|c| {
        c.choose(&exercise);
    });
    shots.take("32-record-checked-in-by-hand")?;
    ui.with_controller(|c| c.edit_menu());
    shots.take("54-record-edit-menu")?;
    ui.with_controller(|c| {
        c.edit_start(crate::kiosk::controller::EditField::Name);
    });
    shots.take("53-correct-name")?;
    ui.with_controller(|c| {
        c.cancel();
        c.edit_start(crate::kiosk::controller::EditField::Phone);
        for k in "0312".split("") {
            c.key(k);
        }
    });
    shots.take("33-correct-phone")?;
    ui.with_controller(|c| {
        c.cancel();
        c.edit_start(crate::kiosk::controller::EditField::Address);
        for k in "3-2-1".split("") {
            c.key(k);
        }
        c.address_focus(crate::kiosk::controller::NumberField::Room);
        for k in "101".split("") {
            c.key(k);
        }
    });
    shots.take("56-address-numbers")?;
    ui.with_controller(|c| {
        c.submit();
        for k in ["オ", "オ", "ク", "ホ", "゛", "空白", "ハ", "イ", "ツ"] {
            c.key(k);
        }
        c.name_focus_kana(false);
        choose_name(c, "大久保");
    });
    shots.take("57-address-building")?;
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.delete_start();
    });
    shots.take("58-confirm-delete")?;
    // 開示: the record's disclosure PDF, written to a stick inserted late.
    ui.with_controller(|c| {
        c.cancel();
        c.disclose_start();
    });
    shots.take("77-disclose-insert-usb")?;
    fake_media(&media_root, &[("sdb", "TSUDOI")])?;
    ui.with_controller(|c| c.disclose_scan());
    shots.take("78-disclose-ready")?;
    ui.with_controller(|c| c.disclose_write());
    shots.take("79-disclose-written")?;
    fake_media(&media_root, &[])?;
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.staff_classes_start();
    });
    shots.take("55-staff-classes")?;
    ui.with_controller(|c| {
        c.cancel();
        c.reverify_start();
        c.reg_document(0);
    });
    shots.take("34-reverify-birth")?;
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
    });
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.cancel();
    });
    // A class day from the staff side: card 1's resident holds no seat in
    // today's lottery class; their cards; a check-in by hand that asks first.
    let card1 = card(1).map_err(DevError::sample)?;
    let class_session = ui.with_controller(|c| {
        c.store()
            .sessions_on(today)
            .ok()
            .and_then(|list| list.into_iter().find(|s| s.mode == SessionMode::Lottery))
            .map(|s| s.id)
    });
    ui.with_controller(|c| {
        c.search_start();
        if let Ok(Some(pid)) = c.store().participant_by_card(&card1) {
            c.search_open(&pid);
        }
        c.cards_start();
    });
    shots.take("60-record-cards")?;
    ui.with_controller(|c| {
        let first = c
            .search()
            .and_then(|s| s.cards.first())
            .map(|r| r.id.clone());
        if let Some(id) = first {
            c.card_replace(&id);
        }
    });
    shots.take("61-record-card-replace")?;
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        if let Some(id) = &class_session {
            c.choose(id);
        }
    });
    shots.take("62-record-confirm-seat")?;
    ui.with_controller(|c| {
        c.cancel();
        c.cancel();
        c.cancel();
        c.cancel();
    });
    ui.with_controller(|c| {
        c.sign_out();
        c.class_mode();
    });
    shots.take("35-class-card")?;
    ui.on_card(card(1));
    shots.take("36-classes")?;
    ui.with_controller(|c| c.apply_class(&open_class));
    shots.take("37-class-applied")?;
    ui.with_controller(|c| {
        c.back();
        c.class_mode();
    });
    ui.on_card(card(1));
    ui.with_controller(|c| c.apply_class(&open_class));
    shots.take("38-class-duplicate")?;
    ui.with_controller(|c| {
        c.back();
        c.apply_class_outcome(OPEN_CLASS, open_draw, ApplyOutcome::NeedsAddress)
    });
    shots.take("39-class-needs-address")?;
    ui.with_controller(|c| c.back());

    // The class day for residents: demo card 5's holder won a seat; someone
    // on the waiting list is told so. Then the class's attendance sheet once
    // today's session is over.
    ui.on_card(card(5));
    shots.take("63-class-day-checked-in")?;
    ui.with_controller(|c| {
        c.back();
        c.apply_outcome(CheckInOutcome::NoSeat {
            class_title: "転倒予防体操".into(),
            waiting_rank: Some(3),
        })
    });
    shots.take("64-no-seat")?;
    clock.set(crate::clock::jst(today, 12, 0));
    ui.with_controller(|c| {
        c.back();
        sign_in(c, demo::DEMO_MANAGER, demo::DEMO_PASSWORD);
        let class = c
            .today_rows()
            .iter()
            .find(|r| !r.class_id.is_empty())
            .map(|r| r.class_id.clone());
        if let Some(class) = class {
            c.sheet_open(&class);
        }
    });
    shots.take("65-attendance-sheet")?;
    ui.with_controller(|c| c.sign_out());
    clock.set(crate::clock::jst(today, 10, 30));

    // The operator's monthly report: preview, chart, USB export, ledger.
    ui.with_controller(|c| {
        sign_in(c, OPERATOR, OPERATOR_PASSWORD);
        c.report_start();
    });
    shots.take("40-report-preview")?;
    ui.with_controller(|c| {
        c.report_tab(1);
        c.report_rows(1);
    });
    shots.take("41-report-sessions-page")?;
    ui.with_controller(|c| {
        let chart = c.month_report().map(|r| r.tables.len()).unwrap_or(0);
        c.report_tab(chart);
    });
    shots.take("42-report-chart")?;
    ui.with_controller(|c| c.report_export_start());
    shots.take("43-report-insert-usb")?;
    fake_media(&media_root, &[("sdb", "TSUDOI"), ("sdc", "KUYAKUSHO")])?;
    ui.with_controller(|c| {
        c.report_media_retry();
        c.report_medium(0);
    });
    shots.take("44-report-choose-usb")?;
    ui.with_controller(|c| c.report_next());
    shots.take("45-report-settings")?;
    ui.with_controller(|c| c.report_next());
    shots.take("46-report-confirm")?;
    ui.with_controller(|c| c.report_export());
    shots.take("47-report-written")?;
    ui.with_controller(|c| {
        c.report_back();
        c.report_export_start();
        c.report_medium(1);
        c.report_next();
        c.report_next();
    });
    // The stick is pulled out before 「書き出す」.
    fake_media(&media_root, &[("sdb", "TSUDOI")])?;
    ui.with_controller(|c| c.report_export());
    shots.take("48-report-failed")?;
    ui.with_controller(|c| {
        c.report_back();
        c.report_ledger();
    });
    shots.take("49-report-ledger")?;
    ui.with_controller(|c| c.sign_out());

    // 「事故・点検」: an incident recorded step by step by the manager, the
    // inspection summary, and the handling report's export.
    ui.with_controller(|c| {
        sign_in(c, demo::DEMO_MANAGER, demo::DEMO_PASSWORD);
        c.oversight_open();
        c.incident_start();
    });
    shots.take("66-incident-kind")?;
    ui.with_controller(|c| {
        c.incident_kind(0);
        c.incident_day(false, -1);
        c.incident_people(3);
    });
    shots.take("67-incident-details")?;
    ui.with_controller(|c| {
        c.incident_next();
        c.incident_measure(0);
        c.incident_measure(2);
    });
    shots.take("68-incident-measures")?;
    ui.with_controller(|c| c.incident_next());
    shots.take("69-incident-confirm")?;
    ui.with_controller(|c| c.incident_save());
    shots.take("70-incident-recorded")?;
    ui.with_controller(|c| c.incident_back());
    shots.take("71-oversight-menu")?;
    ui.with_controller(|c| c.oversight_summary());
    shots.take("72-inspection-summary")?;
    ui.with_controller(|c| {
        c.oversight_back();
        c.oversight_handling(false);
        c.report_medium(0);
        c.report_next();
    });
    shots.take("73-handling-report-confirm")?;
    // 「保存期間を過ぎた記録」: a few invented records registered in 2022
    // and never seen again, listed and deleted.
    ui.with_controller(|c| {
        demo::past_residents(c.store_mut(), demo::DEMO_MANAGER, RETENTION_DAY, 7, 2022)
    })?;
    ui.with_controller(|c| {
        c.oversight_open();
        c.oversight_retention();
    });
    shots.take("74-retention-list")?;
    ui.with_controller(|c| c.retention_delete());
    shots.take("75-retention-confirm")?;
    ui.with_controller(|c| c.retention_confirm());
    shots.take("76-retention-done")?;
    ui.with_controller(|c| c.sign_out());
    ui.with_controller(|c| c.store_mut().lock());
    ui.with_controller(|c| c.on_timeout());
    shots.take("18-locked-start-of-day")?;
    ui.with_controller(|c| {
        if let Ok(s) = c
            .store_mut()
            .sign_in(demo::DEMO_MANAGER, demo::DEMO_PASSWORD)
        {
            let _ = c.store_mut().sign_out(&s);
        }
        c.back();
    });
    ui.set_demo_mode(true);
    // The demo panel sits below the kiosk area: the window is that much taller.
    let demo_panel = shots.take_taller("19-demo-reader-panel", DEMO_PANEL_HEIGHT)?;
    ui.set_demo_mode(false);

    // 「契約終了の消去」, last: it erases the demo store.
    ui.with_controller(|c| {
        sign_in(c, demo::DEMO_MANAGER, demo::DEMO_PASSWORD);
        c.oversight_open();
        c.erasure_open();
    });
    shots.take("100-erasure-report-due")?;
    // The day's report, written after the day's last check-in.
    clock.set(crate::clock::jst(today, 20, 0));
    let report_dir = scratch.path().join("last-report");
    ui.with_controller(|c| -> Result<()> {
        c.erasure_back();
        let store = c.store_mut();
        let staff = store.sign_in(demo::DEMO_MANAGER, demo::DEMO_PASSWORD)?;
        let month = crate::report::Month {
            year: today.year(),
            month: today.month(),
        };
        store.export_report(
            &staff,
            month,
            &report_dir,
            crate::report::csv::Encoding::Utf8Bom,
            crate::report::Wording::default(),
        )?;
        store.sign_out(&staff)?;
        c.erasure_open();
        Ok(())
    })?;
    shots.take("101-erasure-plan")?;
    let key: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
        recovery
            .to_display()
            .chars()
            .filter(|c| *c != '-')
            .collect(),
    );
    drop(recovery);
    ui.with_controller(|c| {
        c.erasure_next();
        for k in key.chars().take(23) {
            c.erasure_key(&k.to_string());
        }
    });
    shots.take("102-erasure-key")?;
    ui.with_controller(|c| {
        for k in key.chars().skip(23) {
            c.erasure_key(&k.to_string());
        }
        c.erasure_check_key();
    });
    shots.take("103-erasure-confirm")?;
    ui.with_controller(|c| c.erasure_next());
    shots.take("104-erasure-confirm-again")?;
    fake_media(&media_root, &[("sdb", "TSUDOI")])?;
    ui.with_controller(|c| c.erasure_next());
    shots.take("105-erasure-stick")?;
    ui.with_controller(|c| c.erasure_run());
    shots.take("106-erased")?;
    shots.push([demo_panel]);
    shots.push(training::render(out, width, height, today)?);
    shots.push(setup::render(out, width, height)?);
    shots.push(groups::render(out, width, height, today)?);
    shots.push(large::render(out, width, height)?);
    shots.push(voice::render(out, width, height, today)?);
    Ok(shots.into_files())
}

/// When the records past the retention period were registered.
const RETENTION_DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2022, 6, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

/// Picks the candidate written `text` on the name step, whichever page it is on.
fn choose_name(c: &mut KioskController, text: &str) {
    for _ in 0..20 {
        let found = c
            .name_entry()
            .and_then(|e| e.page_candidates().iter().position(|x| x.text == text));
        if let Some(i) = found {
            c.name_choose(i);
            return;
        }
        c.name_page(1);
    }
}

const OPEN_CLASS: &str = "転倒予防教室";

/// More invented visits last month, so that the report screenshots show both
/// kinds of hidden cells and a fuller chart: a weekly exercise class and two
/// small go afternoons.
fn last_month_visits(
    store: &mut Store,
    manager: &StaffSession,
    today: chrono::NaiveDate,
) -> Result<()> {
    use crate::store::Actor;
    use crate::store::attendance::CheckInMethod;
    use chrono::Datelike;
    let first = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .and_then(|d| d.with_day(1))
        .ok_or_else(|| DevError::sample("先月の日付を作れません。"))?;
    let ids: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM participants ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let plan = [
        (Program::Kaigo, "体操教室", 2, 12),
        (Program::Kaigo, "体操教室", 9, 15),
        (Program::Ikigai, "囲碁の会", 10, 3),
        (Program::Kaigo, "体操教室", 16, 11),
        (Program::Kaigo, "体操教室", 23, 14),
        (Program::Ikigai, "囲碁の会", 24, 4),
    ];
    for (program, title, day, people) in plan {
        let date = first + chrono::Duration::days(day - 1);
        let session = store.add_session(
            manager,
            NewSession {
                program,
                date,
                start: t(10, 0),
                end: t(11, 30),
                title: title.into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )?;
        for pid in ids.iter().skip(day as usize).take(people) {
            store.check_in(
                &Actor::Staff(manager.clone()),
                pid,
                &session,
                CheckInMethod::Staff,
            )?;
        }
    }
    Ok(())
}

/// A system root as /proc and /sys show it with these USB sticks mounted
/// (disk name, filesystem label) under `<root>/media/<label>`.
fn fake_media(root: &Path, sticks: &[(&str, &str)]) -> Result<()> {
    std::fs::create_dir_all(root.join("proc"))?;
    std::fs::create_dir_all(root.join("dev/disk/by-label"))?;
    let mut mounts = String::from("/dev/mmcblk0p2 / ext4 rw,relatime 0 0\n");
    for (disk, label) in sticks {
        let mount = root.join("media").join(label);
        std::fs::create_dir_all(&mount)?;
        mounts.push_str(&format!(
            "/dev/{disk}1 {} vfat rw,nosuid,nodev 0 0\n",
            mount.display()
        ));
        let dev = root.join(format!("sys/devices/platform/usb1/1-1/host0/block/{disk}"));
        std::fs::create_dir_all(&dev)?;
        std::fs::write(dev.join("removable"), "1\n")?;
        let link = root.join("sys/block").join(disk);
        if !link.exists() {
            std::fs::create_dir_all(root.join("sys/block"))?;
            std::os::unix::fs::symlink(&dev, &link)?;
        }
        let by_label = root.join("dev/disk/by-label").join(label);
        if std::fs::symlink_metadata(&by_label).is_err() {
            std::os::unix::fs::symlink(format!("../../{disk}1"), &by_label)?;
        }
    }
    std::fs::write(root.join("proc/mounts"), mounts)?;
    Ok(())
}

/// From the waiting screen: staff sign in as `id`, typed key by key.
fn sign_in(c: &mut KioskController, id: &str, password: &str) {
    c.staff_start();
    for k in id.split("") {
        c.key(k);
    }
    c.focus(Field::Second);
    for k in password.split("") {
        c.key(k);
    }
    c.submit();
}

/// The screenshots' invented store: the demo's year ending on
/// [`SCREENSHOT_DAY`] (40 residents), a fresh 体操教室 beside the salon (so a
/// tap offers a choice, then checks in to a session this resident has not
/// visited yet) and the demo's classes; the manager still signed in.
struct ScreensStore {
    pub store: Store,
    pub manager: StaffSession,
    pub recovery: crate::crypto::RecoveryKey,
    /// At 10:30 on [`SCREENSHOT_DAY`], JST.
    pub clock: Arc<FixedClock>,
    /// The 体操教室 session's id.
    pub exercise: String,
    /// The open lottery class's id and its draw day ([`demo_classes`]).
    pub open_class: String,
    pub open_draw: chrono::NaiveDate,
}

impl ScreensStore {
    /// Creates it at `path` (a scratch folder's file).
    fn create(path: &Path) -> Result<ScreensStore> {
        // A fixed day, so the committed screenshots change only when the
        // screens do.
        let today = SCREENSHOT_DAY;
        let demo::SmallDemo {
            spec,
            policy,
            clock,
        } = demo::SmallDemo::new(today, 2026);
        let (mut store, manager, _, recovery) =
            demo::create(path, demo::DEMO_PASSWORD, &spec, policy, clock.clone())?;
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        let exercise = store.add_session(
            &manager,
            NewSession {
                program: Program::Kaigo,
                date: today,
                start: t(10, 0),
                end: t(11, 30),
                title: "体操教室".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )?;
        let (open_class, open_draw) = demo_classes(&mut store, &manager, &clock, today)?;
        Ok(ScreensStore {
            store,
            manager,
            recovery,
            clock,
            exercise,
            open_class,
            open_draw,
        })
    }
}

/// Two invented lottery classes: one drawn last month that demo card 1's
/// resident won, and one taking applications now. Returns the open class's
/// id and draw date.
fn demo_classes(
    store: &mut Store,
    manager: &StaffSession,
    clock: &FixedClock,
    today: chrono::NaiveDate,
) -> Result<(String, chrono::NaiveDate)> {
    let day = |n: i64| today + chrono::Duration::days(n);
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let class = |store: &mut Store,
                 title: &str,
                 dates: &[chrono::NaiveDate],
                 period: (i64, i64, i64)|
     -> Result<String> {
        let mut sessions = Vec::new();
        for d in dates {
            sessions.push(store.add_session(
                manager,
                NewSession {
                    program: Program::Kaigo,
                    date: *d,
                    start: t(10, 0),
                    end: t(11, 30),
                    title: title.into(),
                    capacity: Some(20),
                    mode: SessionMode::Lottery,
                },
            )?);
        }
        store.add_lottery_class(
            manager,
            NewLotteryClass {
                program: Program::Kaigo,
                title: title.into(),
                kind: "介護予防".into(),
                term: "デモ期".into(),
                sessions,
                capacity: 20,
                waitlist_size: None,
                apply_from: day(period.0),
                apply_until: day(period.1),
                draw_on: day(period.2),
                one_per_term: false,
                priority: Priority::None,
                previous_class: None,
            },
        )
    };
    let past = class(store, "脳トレ教室", &[day(7), day(14)], (-30, -20, -15))?;
    let open = class(
        store,
        OPEN_CLASS,
        &[day(21), day(28), day(35), day(42)],
        (-3, 10, 14),
    )?;
    // Demo card 1's resident applied to the past class (the address is
    // invented) and won its draw.
    let card1 = CardId::from_hex(Technology::Iso14443A, demo::cards::KNOWN_RESIDENT)
        .map_err(DevError::sample)?;
    clock.set(crate::clock::jst(day(-25), 10, 0));
    store.apply_by_card(&card1, &past, Some("架空区見本町一丁目2番3号".into()))?;
    clock.set(crate::clock::jst(day(-19), 10, 0));
    store.close_lottery_class(
        manager,
        &past,
        vec![
            "ロト7 本数字（デモ）".into(),
            "国債残高 末尾8桁（デモ）".into(),
        ],
    )?;
    clock.set(crate::clock::jst(day(-15), 10, 0));
    store.draw_lottery_class(
        manager,
        &past,
        vec!["7 8 11 17 19 25 46".into(), "08285182".into()],
    )?;
    clock.set(crate::clock::jst(today, 10, 30));
    Ok((open, day(14)))
}
