//! 「グループの受付」 and 「おやすみが続いている方」 for `tsudoi screenshot`
//! (110 upward), on their own small invented store: two hobby groups
//! meeting on the screenshots' Tuesday, a roster of invented members,
//! sixteen weeks of meetings in which two regulars stopped coming.
//! 「名簿の取り込み」 (141 upward) reads a new roster from a fake USB stick:
//! one file with problems, one with every kind of difference (a member
//! matching a person registered at the desk among them).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use super::Shots;
use crate::clock::FixedClock;
use crate::demo;
use crate::dev::DevError;
use crate::eligibility::{PhoneNumber, PostalCode, PostalTable};
use crate::error::{Error, Result};
use crate::kiosk::KioskUi;
use crate::kiosk::controller::{KioskConfig, KioskController, UsbExport};
use crate::store::Store;
use crate::store::groups::{NewGroup, Schedule};
use crate::store::mimamori::Outcome;
use crate::store::participants::{Basis, DocumentKind, IdCheck, NewParticipant};
use crate::store::ward_roster::ImportSource;

const MANAGER: &str = "kanri01";
const FIRST_PASSWORD: &str = "Groups-first-2026";
const PASSWORD: &str = "Groups-screens-2026";

/// The invented roster: ローズ会 (nine members: three pages) and 囲碁クラブ.
const ROSTER: &str = "グループ名,氏名,ふりがな,電話番号
ローズ会,青木 花子,あおき はなこ,03-5555-0101
ローズ会,石井 和子,いしい かずこ,03-5555-0102
ローズ会,上田 節子,うえだ せつこ,090-5555-0103
ローズ会,江藤 幸子,えとう さちこ,03-5555-0104
ローズ会,小川 道子,おがわ みちこ,080-5555-0105
ローズ会,加藤 信子,かとう のぶこ,03-5555-0106
ローズ会,木村 洋子,きむら ようこ,03-5555-0107
ローズ会,久保 恵子,くぼ けいこ,090-5555-0108
ローズ会,佐藤 良子,さとう よしこ,03-5555-0109
囲碁クラブ,田中 一郎,たなか いちろう,03-5555-0201
囲碁クラブ,中村 次郎,なかむら じろう,03-5555-0202
囲碁クラブ,野口 三郎,のぐち さぶろう,03-5555-0203
";

/// The ward's next roster: 青木's phone changed, 佐藤 left, two new members,
/// one of whom (森) was registered at the desk already.
const NEXT_ROSTER: &str = "グループ名,氏名,ふりがな,電話番号
ローズ会,青木 花子,あおき はなこ,03-5555-0111
ローズ会,石井 和子,いしい かずこ,03-5555-0102
ローズ会,上田 節子,うえだ せつこ,090-5555-0103
ローズ会,江藤 幸子,えとう さちこ,03-5555-0104
ローズ会,小川 道子,おがわ みちこ,080-5555-0105
ローズ会,加藤 信子,かとう のぶこ,03-5555-0106
ローズ会,木村 洋子,きむら ようこ,03-5555-0107
ローズ会,久保 恵子,くぼ けいこ,090-5555-0108
ローズ会,森 和枝,もり かずえ,03-5555-0110
ローズ会,山本 春子,やまもと はるこ,03-5555-0112
囲碁クラブ,田中 一郎,たなか いちろう,03-5555-0201
囲碁クラブ,中村 次郎,なかむら じろう,03-5555-0202
囲碁クラブ,野口 三郎,のぐち さぶろう,03-5555-0203
";

/// A roster with problems: a short phone, an unknown group, a missing name.
const BAD_ROSTER: &str = "グループ名,氏名,ふりがな,電話番号
ローズ会,青木 花子,あおき はなこ,03-5555
手芸の会,石井 和子,いしい かずこ,03-5555-0102
ローズ会,,うえだ せつこ,090-5555-0103
ローズ会,江藤 幸子,えとう さちこ,03-5555-0104
";

/// Renders the screens at `width`×`height` into `out`, with `day` (a
/// Tuesday) as today; returns the files written.
pub fn render(out: &Path, width: u32, height: u32, day: NaiveDate) -> Result<Vec<PathBuf>> {
    let scratch = tempfile::Builder::new()
        .prefix("tsudoi-groups-screens-")
        .tempdir()?;
    render_in(scratch.path(), out, width, height, day)
}

fn render_in(
    scratch: &Path,
    out: &Path,
    width: u32,
    height: u32,
    day: NaiveDate,
) -> Result<Vec<PathBuf>> {
    let start = day - Duration::weeks(16);
    let clock = Arc::new(FixedClock::jst(start, 9, 0));
    let policy = demo::throwaway_policy();
    let (mut store, mut manager, _recovery) = Store::create(
        &scratch.join("groups.db"),
        "デモ施設",
        MANAGER,
        FIRST_PASSWORD,
        policy,
        PostalTable::shinjuku(),
        clock.clone(),
    )?;
    store.change_password(&mut manager, PASSWORD)?;
    for (name, schedule, room) in [
        ("ローズ会", "毎週火曜 13:30–15:30", "多目的室"),
        ("囲碁クラブ", "毎週火曜 10:00–12:00", "和室"),
    ] {
        store.add_group(
            &manager,
            NewGroup {
                name: name.into(),
                schedule: Schedule::parse(schedule)?,
                room: room.into(),
                from: start,
                until: day + Duration::days(30),
            },
        )?;
    }
    let report = store.import_roster(
        &manager,
        ROSTER.as_bytes(),
        &ImportSource {
            file_name: "roster.csv".into(),
            medium: "端末内のファイル".into(),
            sha256: "0".repeat(64),
        },
        false,
    )?;
    if !report.problems.is_empty() {
        return Err(DevError::sample("見本の名簿を取り込めませんでした。").into());
    }
    let members = store.group_members(&manager, "ローズ会")?;
    let id = |i: usize| -> Result<String> {
        members
            .get(i)
            .map(|m| m.participant_id.clone())
            .ok_or(Error::NotFound { what: "会員" })
    };
    store.set_group_representative(&manager, "ローズ会", &id(0)?)?;
    // Sixteen weeks of ローズ会: most come every week; 木村 (6) stopped
    // five weeks ago, 久保 (7) four weeks ago.
    let sessions = store.group_sessions("ローズ会", start)?;
    for s in sessions.iter().filter(|s| s.planned_date < day) {
        let (Some(sid), Some(date)) = (&s.session_id, s.date) else {
            continue;
        };
        clock.set(crate::clock::jst(date, 13, 40));
        let weeks_ago = (day - date).num_weeks();
        for i in 0..members.len() {
            let stopped = match i {
                6 => weeks_ago < 5,
                7 => weeks_ago < 4,
                _ => false,
            };
            // Everyone misses a week now and then.
            if stopped || (i + weeks_ago as usize).is_multiple_of(5) {
                continue;
            }
            let at = crate::clock::jst(date, 13, 30 + i as u32)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            store.check_in_at(&id(i)?, sid, at)?;
        }
    }
    // One call to 久保 that found nobody: a second one brings the reminder.
    clock.set(crate::clock::jst(day - Duration::days(6), 15, 0));
    store.record_watch_call(
        &manager,
        &id(7)?,
        Outcome::NoAnswer,
        day - Duration::days(6),
    )?;
    // Today: two members came already, one with a card.
    clock.set(crate::clock::jst(day, 13, 35));
    let card = tsudoi_hw::CardId::from_hex(tsudoi_hw::Technology::Iso14443A, "04C1D2E3F40506")
        .map_err(|_| DevError::sample("見本のカード"))?;
    store.link_card(&manager, &id(1)?, &card)?;
    store.check_in_group_member(&manager, "ローズ会", &id(1)?)?;
    store.check_in_group_member(&manager, "ローズ会", &id(3)?)?;
    store.sign_out(&manager)?;

    let media_root = scratch.join("system");
    super::fake_media(&media_root, &[])?;
    let config = KioskConfig {
        usb: UsbExport {
            media_root: media_root.clone(),
            ward: None,
        },
        ..KioskConfig::default()
    };
    let ui = KioskUi::new(KioskController::new(store, config)).map_err(DevError::ui)?;
    let mut shots = Shots::show(ui.window(), out, width, height)?;
    let sign_in = |c: &mut KioskController| super::sign_in(c, MANAGER, PASSWORD);
    let rose = |c: &KioskController| -> String {
        c.groups()
            .meetings()
            .iter()
            .find(|m| m.name == "ローズ会")
            .map(|m| m.session_id.clone())
            .unwrap_or_default()
    };
    ui.with_controller(sign_in);
    shots.take("130-staff-today-groups")?;
    ui.with_controller(|c| c.groups_open());
    shots.take("131-groups-menu")?;
    ui.with_controller(|c| {
        let sid = rose(c);
        c.groups_choose(&sid);
    });
    shots.take("132-group-members")?;
    let fifth = id(4)?;
    ui.with_controller(|c| {
        c.groups_page(1);
        c.groups_check_in(&fifth);
    });
    shots.take("133-group-member-checked-in")?;
    ui.with_controller(|c| c.groups_hand_over());
    shots.take("134-group-representative")?;
    ui.with_controller(|c| {
        c.groups_page(1);
        c.groups_page(1);
    });
    shots.take("135-group-representative-last-page")?;
    ui.with_controller(|c| c.groups_hand_back());
    shots.take("136-group-hand-back-sign-in")?;
    ui.with_controller(|c| {
        c.cancel();
        c.groups_hand_back();
        for k in MANAGER.split("") {
            c.key(k);
        }
        c.focus(crate::kiosk::Field::Second);
        for k in PASSWORD.split("") {
            c.key(k);
        }
        c.submit();
        c.groups_open();
        c.mimamori_open();
    });
    shots.take("137-mimamori-list")?;
    let kubo = id(7)?;
    ui.with_controller(|c| {
        c.mimamori_choose(&kubo);
        c.mimamori_outcome(3);
    });
    shots.take("138-mimamori-call")?;
    ui.with_controller(|c| c.mimamori_record());
    shots.take("139-mimamori-reminder")?;
    ui.with_controller(|c| c.mimamori_back());
    shots.take("140-mimamori-list-after-call")?;

    // 「名簿の取り込み」: 森 registered at the desk first.
    ui.with_controller(|c| -> Result<()> {
        let staff = c.staff.clone().ok_or(DevError::sample("サインイン"))?;
        let invalid = || Error::from(DevError::sample("見本"));
        c.store_mut().register(
            &staff,
            NewParticipant {
                name: "森 和枝".into(),
                kana: "もり かずえ".into(),
                phone: PhoneNumber::parse("03-5555-0110").map_err(|_| invalid())?,
                basis: Basis::SelfPresented,
                id_check: Some(IdCheck {
                    birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).ok_or_else(invalid)?,
                    postal: PostalCode::parse("160-0022").map_err(|_| invalid())?,
                    document: DocumentKind::HealthInsurance,
                }),
                address: None,
            },
        )?;
        c.mimamori_back();
        c.roster_open();
        Ok(())
    })?;
    shots.take("141-roster-insert-usb")?;
    super::fake_media(&media_root, &[("sdb", "KUYAKUSHO")])?;
    let on_stick = media_root.join("media/KUYAKUSHO");
    std::fs::write(on_stick.join("meibo-2026-12.csv"), NEXT_ROSTER)?;
    std::fs::write(on_stick.join("meibo-old.csv"), BAD_ROSTER)?;
    ui.with_controller(|c| c.roster_scan());
    shots.take("142-roster-choose-file")?;
    ui.with_controller(|c| c.roster_choose(1));
    shots.take("143-roster-problems")?;
    ui.with_controller(|c| {
        c.roster_back();
        c.roster_choose(0);
    });
    shots.take("144-roster-differences")?;
    ui.with_controller(|c| c.roster_page(1));
    shots.take("145-roster-differences-page-2")?;
    ui.with_controller(|c| c.roster_import());
    shots.take("146-roster-imported")?;
    ui.with_controller(|c| c.roster_back());
    shots.take("147-groups-menu-after-import")?;
    Ok(shots.into_files())
}
