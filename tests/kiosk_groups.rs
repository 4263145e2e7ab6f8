//! 「グループの受付」 and 「おやすみが続いている方」 at the kiosk, on a real
//! store file, through the screens (Slint's testing backend): who may open
//! them, the audit entries they leave (read with `sqlite3`), the
//! representative's list without phones and without any way to the rest of
//! the kiosk, and a ward-provided member linking a card like any resident.
//! Every name and number is invented.

mod common;

use common::sqlite3 as sqlite;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate};
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::controller::Screen;
use tsudoi::kiosk::flows::groups::adapter::Groups;
use tsudoi::kiosk::flows::mimamori::WatchConfig;
use tsudoi::kiosk::flows::mimamori::adapter::Mimamori;
use tsudoi::kiosk::flows::record::adapter::Record;
use tsudoi::kiosk::flows::registration::adapter::Registration;
use tsudoi::kiosk::flows::today::adapter::Today;
use tsudoi::kiosk::ui::Kiosk;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Signal};
use tsudoi::store::Role;
use tsudoi::store::groups::{NewGroup, Schedule};
use tsudoi::store::ward_roster::ImportSource;
use tsudoi_hw::{CardId, Technology};

use common::ui::{labelled, press, sign_in, type_text};
use common::*;

/// A Tuesday.
const TODAY: (i32, u32, u32) = (2026, 11, 24);
const HANDLER: &str = "tori01";
const OPERATOR: &str = "unei01";
const CENTER: &str = "大久保高齢者総合相談センター";

/// Six invented members of ローズ会; 江藤 stopped coming five weeks ago.
const ROSTER: &str = "グループ名,氏名,ふりがな,電話番号
ローズ会,青木 花子,あおき はなこ,03-5555-0101
ローズ会,石井 和子,いしい かずこ,03-5555-0102
ローズ会,上田 節子,うえだ せつこ,090-5555-0103
ローズ会,江藤 幸子,えとう さちこ,03-5555-0104
ローズ会,小川 道子,おがわ みちこ,080-5555-0105
ローズ会,加藤 信子,かとう のぶこ,03-5555-0106
";

/// Every phone of the roster, as digits and as shown.
const PHONES: [&str; 6] = [
    "03-5555-0101",
    "03-5555-0102",
    "090-5555-0103",
    "03-5555-0104",
    "080-5555-0105",
    "03-5555-0106",
];

fn phone_forms() -> Vec<String> {
    PHONES
        .iter()
        .flat_map(|p| [p.to_string(), p.replace('-', "")])
        .collect()
}

struct Site {
    ui: KioskUi,
    path: PathBuf,
    /// Record ids of the members, in furigana order.
    members: Vec<String>,
    _dir: tempfile::TempDir,
}

/// The store: the three roles, ローズ会 meeting every Tuesday 10:00–12:00
/// for ten weeks up to today, its roster, a representative (青木) unless
/// `representative` is false, and ten weeks of visits written into the file.
fn site_with(representative: bool) -> Site {
    init_no_event_loop();
    let today = date(TODAY.0, TODAY.1, TODAY.2);
    let start = today - Days::weeks(10);
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
    store
        .add_group(
            &manager,
            NewGroup {
                name: "ローズ会".into(),
                schedule: Schedule::parse("毎週火曜 10:00–12:00").unwrap(),
                room: "多目的室".into(),
                from: start,
                until: today + Days::days(30),
            },
        )
        .unwrap();
    let report = store
        .import_roster(
            &manager,
            ROSTER.as_bytes(),
            &ImportSource {
                file_name: "roster.csv".into(),
                medium: "test".into(),
                sha256: "0".repeat(64),
            },
            false,
        )
        .unwrap();
    assert!(report.problems.is_empty());
    let members: Vec<String> = store
        .group_members(&manager, "ローズ会")
        .unwrap()
        .into_iter()
        .map(|m| m.participant_id)
        .collect();
    if representative {
        store
            .set_group_representative(&manager, "ローズ会", &members[0])
            .unwrap();
    }
    store.sign_out(&manager).unwrap();
    visits(&path, &members, today);
    // The day starts with a sign-in (the keys for the card taps).
    let day = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    store.sign_out(&day).unwrap();
    let config = KioskConfig {
        mimamori: WatchConfig {
            center: CENTER.into(),
            ..WatchConfig::default()
        },
        ..KioskConfig::default()
    };
    let ui = KioskUi::new(KioskController::new(store, config)).unwrap();
    ui.window().show().unwrap();
    ui.window()
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    mock_elapsed_time(Duration::ZERO);
    drop(clock);
    Site {
        ui,
        path,
        members,
        _dir: dir,
    }
}

fn site() -> Site {
    site_with(true)
}

/// Past meetings: everyone came, but 江藤 (third in furigana order) not in
/// the last five weeks.
fn visits(path: &Path, members: &[String], today: NaiveDate) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let sessions: Vec<(String, String)> = conn
        .prepare(
            "SELECT s.id, s.date FROM sessions s JOIN group_sessions gs ON gs.session_id = s.id
             WHERE s.date < ?1",
        )
        .unwrap()
        .query_map([today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sessions.len(), 10);
    for (sid, day) in &sessions {
        let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        for (i, pid) in members.iter().enumerate() {
            if i == 3 && (today - d).num_weeks() < 5 {
                continue;
            }
            conn.execute(
                "INSERT INTO attendance (id, participant_id, session_id, checked_in_at, method, staff_id)
                 VALUES (?1, ?2, ?3, ?4, 'card', NULL)",
                rusqlite::params![
                    format!("{sid}-{i}"),
                    pid,
                    sid,
                    format!("{day}T10:05:00+09:00")
                ],
            )
            .unwrap();
        }
    }
}

fn shown(ui: &KioskUi, label: &str) -> bool {
    !labelled(ui, label).is_empty()
}

/// The member rows' accessible labels, as the screen shows them.
fn row_label(name: &str, kana: &str) -> String {
    format!("{name}（{kana}）")
}

/// From the Today screen to ローズ会's member list (its meeting pressed by
/// the label the menu shows).
fn open_list(ui: &KioskUi) {
    press(ui, "グループ・見守り");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffGroups));
    let label = ui
        .window()
        .global::<Groups>()
        .get_meetings()
        .row_data(0)
        .unwrap()
        .label;
    assert!(
        label.starts_with("10:00〜12:00　ローズ会（多目的室）　"),
        "{label}"
    );
    press(ui, &label);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffGroupMembers));
}

/// Every string in the window the flows and the `Kiosk` global hold, and
/// every accessible label and value of the element tree.
fn window_texts(ui: &KioskUi) -> Vec<String> {
    let mut out = Vec::new();
    let g = ui.window().global::<Groups>();
    for m in g.get_members().iter() {
        out.extend(
            [m.id, m.label, m.kana, m.name, m.phone, m.status, m.card]
                .into_iter()
                .map(|s| s.to_string()),
        );
    }
    for m in g.get_meetings().iter() {
        out.push(m.label.to_string());
    }
    out.extend(
        [
            g.get_summary(),
            g.get_notice(),
            g.get_guide(),
            g.get_empty(),
        ]
        .into_iter()
        .map(|s| s.to_string()),
    );
    let k = ui.window().global::<Kiosk>();
    let rec = ui.window().global::<Record>();
    out.extend(
        [
            k.get_header(),
            rec.get_record_text(),
            rec.get_query(),
            rec.get_edit_text(),
            ui.window().global::<Registration>().get_entry_text(),
        ]
        .into_iter()
        .map(|s| s.to_string()),
    );
    let t = ui.window().global::<Today>();
    out.push(t.get_message().to_string());
    for r in t.get_rows().iter() {
        out.push(r.names.to_string());
    }
    let w = ui.window().global::<Mimamori>();
    for r in w.get_rows().iter() {
        out.push(r.phone.to_string());
    }
    out.push(w.get_person().phone.to_string());
    for e in i_slint_backend_testing::ElementQuery::from_root(ui.window()).find_all() {
        if let Some(l) = e.accessible_label() {
            out.push(l.to_string());
        }
        if let Some(v) = e.accessible_value() {
            out.push(v.to_string());
        }
    }
    out
}

fn no_phone_anywhere(ui: &KioskUi) {
    let texts = window_texts(ui);
    for p in phone_forms() {
        assert!(
            !texts.iter().any(|t| t.contains(&p)),
            "a phone is in the window: {p}"
        );
    }
}

#[test]
fn operators_neither_see_nor_reach_the_groups_or_the_watch_list() {
    let s = site();
    sign_in(&s.ui, OPERATOR, NEW_PASSWORD);
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffToday));
    assert!(!shown(&s.ui, "グループ・見守り"));
    assert!(!s.ui.window().global::<Groups>().get_available());
    // The hidden button pressed anyway, and every later step called directly.
    let before = sqlite(&s.path, "SELECT count(*) FROM audit");
    s.ui.window().global::<Groups>().invoke_open();
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffToday));
    s.ui.with_controller(|c| {
        c.groups_open();
        assert_eq!(c.screen(), Screen::StaffToday);
        c.mimamori_open();
        c.groups_choose("anything");
        c.groups_check_in(&s.members[1]);
        c.groups_hand_over();
        c.mimamori_choose(&s.members[4]);
        c.mimamori_record();
        assert_eq!(c.screen(), Screen::StaffToday);
        assert!(c.groups().members().is_empty());
        assert!(c.mimamori().entries().is_empty());
    });
    assert_eq!(sqlite(&s.path, "SELECT count(*) FROM audit"), before);
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT count(*) FROM audit WHERE action IN ('view','watch_list','watch_call','check_in','group_handover') AND actor = 'unei01'"
        ),
        "0"
    );
    // Managers and handlers see the entry.
    press(&s.ui, "サインアウト");
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    assert!(shown(&s.ui, "グループ・見守り"));
    press(&s.ui, "サインアウト");
    sign_in(&s.ui, MANAGER, NEW_PASSWORD);
    assert!(shown(&s.ui, "グループ・見守り"));
}

#[test]
fn a_handler_checks_members_in_from_big_rows_and_it_is_audited() {
    let s = site();
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open_list(&s.ui);
    // Furigana order, phones shown to staff, four rows a page.
    let g = s.ui.window().global::<Groups>();
    let rows: Vec<_> = g.get_members().iter().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].kana.as_str(), "アオキ ハナコ");
    assert_eq!(rows[0].phone.as_str(), "03-5555-0101");
    assert_eq!(rows[3].kana.as_str(), "エトウ サチコ");
    assert_eq!(rows[2].status.as_str(), "まだ");
    assert_eq!(g.get_page().as_str(), "1/2");
    press(&s.ui, &row_label("上田 節子", "ウエダ セツコ"));
    assert_eq!(
        g.get_notice().as_str(),
        "ウエダ セツコ さんを受付しました。"
    );
    assert_eq!(
        g.get_members().row_data(2).unwrap().status.as_str(),
        "受付済み"
    );
    press(&s.ui, &row_label("上田 節子", "ウエダ セツコ"));
    assert_eq!(
        g.get_notice().as_str(),
        "ウエダ セツコ さんは、もう受付が済んでいます。"
    );
    press(&s.ui, "次へ");
    assert_eq!(g.get_page().as_str(), "2/2");
    press(&s.ui, &row_label("加藤 信子", "カトウ ノブコ"));
    // One attendance row each, by hand, by the handler.
    assert_eq!(
        sqlite(
            &s.path,
            &format!(
                "SELECT a.method || ' ' || a.staff_id FROM attendance a JOIN sessions s ON s.id = a.session_id
                 WHERE s.date = '2026-11-24' AND a.participant_id IN ('{}','{}') ORDER BY a.participant_id",
                s.members[2], s.members[5]
            )
        ),
        "staff tori01\nstaff tori01"
    );
    // Opening the list: one view per member; each check-in: one entry.
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT count(*) FROM audit WHERE actor = 'tori01' AND action = 'view' AND result LIKE 'group_%'"
        ),
        "6"
    );
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT result FROM audit WHERE actor = 'tori01' AND action = 'check_in' ORDER BY seq"
        ),
        "checked_in\nalready_checked_in\nchecked_in"
    );
    // Back to the menu and Today; the list leaves memory.
    press(&s.ui, "もどる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffGroups));
    assert_eq!(g.get_members().row_count(), 0);
    press(&s.ui, "もどる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffToday));
}

#[test]
fn without_a_representative_the_list_is_not_handed_over() {
    let s = site_with(false);
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open_list(&s.ui);
    assert!(!shown(&s.ui, "代表者にわたす"));
    s.ui.with_controller(|c| c.groups_hand_over());
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffGroupMembers));
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT count(*) FROM audit WHERE action = 'group_handover'"
        ),
        "0"
    );
}

#[test]
fn the_representative_sees_no_phone_and_reaches_nothing_else() {
    let s = site();
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open_list(&s.ui);
    assert!(
        window_texts(&s.ui).iter().any(|t| t == "03-5555-0101"),
        "staff see the phones (the check below would prove nothing otherwise)"
    );
    press(&s.ui, "代表者にわたす");
    assert_eq!(s.ui.ui_screen(), Some(Screen::GroupRepresentative));
    // No staff session is left while the representative holds the tablet.
    s.ui.with_controller(|c| {
        assert_eq!(c.staff_id(), None);
        assert!(c.groups().members().iter().all(|m| m.phone.is_none()));
    });
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT actor || ' ' || action FROM audit WHERE action IN ('group_handover', 'sign_out') ORDER BY seq DESC LIMIT 2"
        ),
        "tori01 sign_out\ntori01 group_handover"
    );
    // No phone in any property or element, on any page.
    no_phone_anywhere(&s.ui);
    assert!(!shown(&s.ui, "もどる"));
    assert!(!shown(&s.ui, "サインアウト"));
    press(&s.ui, "次へ");
    assert_eq!(s.ui.window().global::<Groups>().get_page().as_str(), "2/2");
    no_phone_anywhere(&s.ui);
    press(&s.ui, "前へ");

    // The representative checks a member in: as the kiosk, by hand.
    press(&s.ui, &row_label("石井 和子", "イシイ カズコ"));
    assert_eq!(
        s.ui.window().global::<Groups>().get_notice().as_str(),
        "イシイ カズコ さんを受付しました。"
    );
    assert_eq!(
        sqlite(
            &s.path,
            &format!(
                "SELECT method || ' ' || coalesce(staff_id, '-') FROM attendance a JOIN sessions s ON s.id = a.session_id
                 WHERE a.participant_id = '{}' AND s.date = '2026-11-24'",
                s.members[1]
            )
        ),
        "staff -"
    );
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT actor || ' ' || result FROM audit WHERE action = 'check_in' ORDER BY seq DESC LIMIT 1"
        ),
        "kiosk checked_in"
    );
    no_phone_anywhere(&s.ui);

    // Everything else a hidden button or a key could start does nothing.
    let views = "SELECT count(*) FROM audit WHERE action IN ('view', 'search', 'watch_list')";
    let before = sqlite(&s.path, views);
    s.ui.with_controller(|c| {
        c.search_start();
        c.register_start();
        c.add_session_start();
        c.oversight_open();
        c.groups_open();
        c.mimamori_open();
        c.groups_back();
        c.cancel();
        c.submit();
        c.key("a");
        c.groups_choose("x");
        c.staff_start();
        c.sheet_open("x");
        assert_eq!(c.screen(), Screen::GroupRepresentative);
    });
    s.ui.window().global::<Groups>().invoke_watch();
    s.ui.window().global::<Today>().invoke_search();
    mock_elapsed_time(Duration::ZERO);
    assert_eq!(s.ui.ui_screen(), Some(Screen::GroupRepresentative));
    // A card on the reader is not taken while the list is out.
    let tap = CardId::from_hex(Technology::Iso14443A, "04AABBCCDDEEFF").unwrap();
    assert_eq!(s.ui.on_card(Ok(tap)), Signal::Attention);
    assert_eq!(s.ui.ui_screen(), Some(Screen::GroupRepresentative));
    assert_eq!(sqlite(&s.path, views), before);
    no_phone_anywhere(&s.ui);

    // Leaving needs a staff sign-in; 「やめる」 returns to the list.
    press(&s.ui, "スタッフにもどす");
    assert_eq!(s.ui.ui_screen(), Some(Screen::RepresentativeSignIn));
    no_phone_anywhere(&s.ui);
    press(&s.ui, "やめる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::GroupRepresentative));
    press(&s.ui, "スタッフにもどす");
    type_text(&s.ui, HANDLER);
    press(&s.ui, "パスワード");
    type_text(&s.ui, "Not-the-password-1");
    press(&s.ui, "サインイン");
    assert_eq!(s.ui.ui_screen(), Some(Screen::RepresentativeSignIn));
    s.ui.with_controller(|c| assert_eq!(c.staff_id(), None));
    press(&s.ui, "パスワード");
    type_text(&s.ui, NEW_PASSWORD);
    press(&s.ui, "サインイン");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffToday));
    s.ui.with_controller(|c| {
        assert_eq!(c.staff_id(), Some(HANDLER));
        assert!(c.groups().members().is_empty());
        assert!(!c.groups().representative());
    });
}

#[test]
fn the_representative_list_ends_on_the_waiting_screen_when_left_alone() {
    let s = site();
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open_list(&s.ui);
    press(&s.ui, "代表者にわたす");
    s.ui.with_controller(|c| {
        assert!(c.timeout().is_some());
        c.on_timeout();
        assert_eq!(c.screen(), Screen::Waiting);
        assert!(c.groups().members().is_empty());
    });
    assert_eq!(
        s.ui.window().global::<Groups>().get_members().row_count(),
        0
    );
}

#[test]
fn the_watch_list_records_calls_reminds_and_is_audited() {
    let s = site();
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    press(&s.ui, "グループ・見守り");
    press(&s.ui, "おやすみが続いている方");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffWatch));
    let w = s.ui.window().global::<Mimamori>();
    let rows: Vec<_> = w.get_rows().iter().collect();
    assert_eq!(rows.len(), 1, "江藤 alone stopped coming");
    assert_eq!(rows[0].who.as_str(), "エトウ サチコ　江藤 幸子");
    assert_eq!(
        rows[0].phone.as_str(),
        "電話 03-5555-0104　最後に来た日 10月20日（火）"
    );
    assert_eq!(
        rows[0].detail.as_str(),
        "ローズ会 4回　まだ電話していません"
    );
    let eto = &s.members[3];
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT actor || ' ' || record_id || ' ' || result FROM audit WHERE action = 'watch_list'"
        ),
        format!("tori01 {eto} listed")
    );
    press(&s.ui, &row_label("江藤 幸子", "エトウ サチコ"));
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffWatchCall));
    assert_eq!(w.get_day().as_str(), "11月24日（火）　今日");
    // 「次の日」 does not go past today.
    press(&s.ui, "次の日");
    assert_eq!(w.get_day().as_str(), "11月24日（火）　今日");
    press(&s.ui, "前の日");
    assert_eq!(w.get_day().as_str(), "11月23日（月）　昨日");
    // Without an outcome nothing is recorded.
    press(&s.ui, "記録する");
    assert_eq!(sqlite(&s.path, "SELECT count(*) FROM watch_calls"), "0");
    press(&s.ui, "連絡がつかない");
    press(&s.ui, "記録する");
    assert_eq!(
        w.get_notice().as_str(),
        "11月23日の電話を「連絡がつかない」と記録しました。"
    );
    assert_eq!(w.get_reminder().as_str(), "");
    press(&s.ui, "次の日");
    press(&s.ui, "連絡がつかない");
    press(&s.ui, "記録する");
    let reminder = w.get_reminder().to_string();
    assert!(
        reminder.starts_with("2回続けて連絡がつきません。"),
        "{reminder}"
    );
    assert!(reminder.contains(CENTER));
    assert!(shown(&s.ui, &reminder));
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT participant_id || ' ' || outcome || ' ' || called_on || ' ' || recorded_by FROM watch_calls ORDER BY called_on"
        ),
        format!("{eto} no_answer 2026-11-23 tori01\n{eto} no_answer 2026-11-24 tori01")
    );
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT actor || ' ' || record_id || ' ' || result FROM audit WHERE action = 'watch_call'"
        ),
        format!("tori01 {eto} no_answer\ntori01 {eto} no_answer")
    );
    // Back on the list, the row says so; recording did not list (and audit) again.
    press(&s.ui, "もどる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffWatch));
    let row = w.get_rows().row_data(0).unwrap();
    assert!(row.remind);
    assert!(row.detail.starts_with("【センターへのお知らせを検討】"));
    assert_eq!(
        sqlite(
            &s.path,
            "SELECT count(*) FROM audit WHERE action = 'watch_list'"
        ),
        "1"
    );
    press(&s.ui, "もどる");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffGroups));
    assert_eq!(w.get_rows().row_count(), 0);
}

#[test]
fn a_ward_member_links_a_card_at_the_kiosk_and_taps_in() {
    let s = site();
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    // 小川 (basis ward, no birth date) found by phone, as at the desk.
    press(&s.ui, "さがす");
    press(&s.ui, "探し方の切り替え");
    s.ui.with_controller(|c| {
        for d in "08055550105".chars() {
            c.key(&d.to_string());
        }
    });
    press(&s.ui, "この内容でさがす");
    let hit = "オガワ ミチコ（生年月日の登録なし）";
    assert!(shown(&s.ui, hit), "the hit says there is no birth date");
    press(&s.ui, hit);
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffRecord));
    let text =
        s.ui.window()
            .global::<Record>()
            .get_record_text()
            .to_string();
    assert!(text.starts_with("小川 道子（オガワ ミチコ）"), "{text}");
    press(&s.ui, "カード");
    assert_eq!(s.ui.ui_screen(), Some(Screen::StaffCards));
    press(&s.ui, "カードを追加");
    let card = CardId::from_hex(Technology::Iso14443A, "04112233445566").unwrap();
    assert_eq!(s.ui.on_card(Ok(card.clone())), Signal::Success);
    assert_eq!(
        sqlite(
            &s.path,
            &format!(
                "SELECT count(*) FROM cards WHERE participant_id = '{}'",
                s.members[4]
            )
        ),
        "1"
    );
    press(&s.ui, "もどる");
    s.ui.with_controller(|c| c.sign_out());
    assert_eq!(s.ui.ui_screen(), Some(Screen::Waiting));
    // At 10:00 the group's meeting is open: the tap checks her in.
    assert_eq!(s.ui.on_card(Ok(card)), Signal::Success);
    assert_eq!(s.ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(
        sqlite(
            &s.path,
            &format!(
                "SELECT s.title || ' ' || a.method FROM attendance a JOIN sessions s ON s.id = a.session_id
                 WHERE a.participant_id = '{}' AND s.date = '2026-11-24'",
                s.members[4]
            )
        ),
        "ローズ会 card"
    );
    // The list shows her card and her check-in.
    s.ui.with_controller(|c| c.on_timeout());
    sign_in(&s.ui, HANDLER, NEW_PASSWORD);
    open_list(&s.ui);
    press(&s.ui, "次へ");
    let row =
        s.ui.window()
            .global::<Groups>()
            .get_members()
            .iter()
            .find(|m| m.kana.as_str() == "オガワ ミチコ")
            .unwrap();
    assert_eq!(row.card.as_str(), "カードあり");
    assert_eq!(row.status.as_str(), "受付済み");
}

#[test]
fn the_store_refuses_what_the_screens_never_offer() {
    let today = date(TODAY.0, TODAY.1, TODAY.2);
    let Fixture {
        path,
        clock,
        mut store,
        manager,
        dir: _dir,
    } = fixture_on(today);
    store
        .add_staff(&manager, OPERATOR, Role::Operator, PASSWORD)
        .unwrap();
    let mut other = reopen(&path, clock.clone());
    let mut operator = other.sign_in(OPERATOR, PASSWORD).unwrap();
    other.change_password(&mut operator, NEW_PASSWORD).unwrap();
    for (name, schedule) in [
        ("ローズ会", "毎週火曜 10:00–12:00"),
        ("囲碁クラブ", "毎週金曜 10:00–12:00"),
    ] {
        store
            .add_group(
                &manager,
                NewGroup {
                    name: name.into(),
                    schedule: Schedule::parse(schedule).unwrap(),
                    room: "和室".into(),
                    from: today,
                    until: today + Days::days(30),
                },
            )
            .unwrap();
    }
    store
        .import_roster(
            &manager,
            ROSTER.as_bytes(),
            &ImportSource {
                file_name: "roster.csv".into(),
                medium: "test".into(),
                sha256: "0".repeat(64),
            },
            false,
        )
        .unwrap();
    let member = store.group_members(&manager, "ローズ会").unwrap()[0]
        .participant_id
        .clone();
    let outsider = store
        .register(
            &manager,
            resident(
                "試験 外子",
                "しけん そとこ",
                "03-5555-0909",
                date(1950, 5, 5),
            ),
        )
        .unwrap();
    // No representative yet: no hand-over; an operator never hands over.
    assert!(store.hand_over_group(&manager, "ローズ会").is_err());
    store
        .set_group_representative(&manager, "ローズ会", &member)
        .unwrap();
    assert!(matches!(
        other.hand_over_group(&operator, "ローズ会"),
        Err(tsudoi::Error::NotPermitted { .. })
    ));
    store.hand_over_group(&manager, "ローズ会").unwrap();
    // The kiosk's check-in for a representative takes members of that
    // group, on its meeting day, and no one else.
    assert!(
        store
            .check_in_group_member_at_kiosk("ローズ会", &outsider)
            .is_err()
    );
    assert!(
        store
            .check_in_group_member_at_kiosk("囲碁クラブ", &member)
            .is_err(),
        "not a member of 囲碁クラブ (and it does not meet on Tuesdays)"
    );
    assert!(matches!(
        store.check_in_group_member_at_kiosk("ローズ会", &member),
        Ok(tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. })
    ));
    // The meetings list opens nothing personal and is the same for any role.
    let meetings = other.group_meetings_on(today).unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].name, "ローズ会");
    assert_eq!(meetings[0].attendance, 1);
    assert!(meetings[0].has_representative);
    assert_eq!(
        other.checked_in_to(&meetings[0].session_id).unwrap(),
        vec![member]
    );
}
