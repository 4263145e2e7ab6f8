//! 「文字を大きく」 (issue 18, larger text) driven through Slint's testing
//! backend with the software renderer (mock time, no display, 800×480): a
//! resident presses the button on the waiting screen, taps a card, and
//! reads the result in the large layout; the next resident after the
//! return to waiting gets the normal one; class mode in the large layout;
//! staff screens unaffected. All people and cards are invented.

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::mock_elapsed_time;
use slint::{ComponentHandle, Model};
use tsudoi::kiosk::flows::checkin::adapter::{CheckIn, Resident, UiLayout};
use tsudoi::kiosk::flows::classes::adapter::Classes;
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen, Signal};
use tsudoi::store::lottery::ApplyOutcome;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};

use common::ui::{labelled, press, sign_in};
use common::*;

const CARD: &str = "04112233445566";
const OTHER: &str = "04223344556677";
const LARGE: &str = "文字を大きく";
const BACK_TO_NORMAL: &str = "もとの大きさにもどす";

fn person(f: &mut Fixture, name: &str, kana: &str, phone: &str, hex: &str) -> String {
    let id = f
        .store
        .register(&f.manager, resident(name, kana, phone, date(1950, 4, 1)))
        .unwrap();
    f.store.link_card(&f.manager, &id, &card(hex)).unwrap();
    id
}

/// 2 November 2026 at 10:00: 交流サロン open now, two residents with
/// cards, two lottery classes taking applications; the first resident has
/// applied to one of them at the desk (so an address is on file).
fn fixture() -> Fixture {
    let mut f = fixture_on(date(2026, 11, 2));
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: date(2026, 11, 2),
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let earlier = lottery_class(&mut f, "脳トレ教室", &[date(2026, 12, 4)], 10, None);
    lottery_class(
        &mut f,
        "転倒予防教室",
        &[date(2026, 12, 3), date(2026, 12, 10)],
        10,
        None,
    );
    let first = person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", CARD);
    person(
        &mut f,
        "鈴木 一郎",
        "スズキ イチロウ",
        "03-2345-6789",
        OTHER,
    );
    let outcome = f
        .store
        .apply_on_behalf(
            &f.manager,
            &first,
            &earlier,
            Some("新宿区架空町一丁目二番三号".into()),
        )
        .unwrap();
    assert!(matches!(outcome, ApplyOutcome::Applied { .. }));
    f
}

/// The kiosk on the fixture's store at 800×480, rendered by the software
/// renderer (so frames can be read back).
fn start(f: Fixture) -> (KioskUi, tempfile::TempDir) {
    // Once per test thread; a second call on the same thread is refused
    // and harmless.
    let _ = tsudoi::dev::init_headless();
    let Fixture {
        dir,
        mut store,
        manager,
        ..
    } = f;
    store.sign_out(&manager).unwrap();
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    ui.window()
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    mock_elapsed_time(Duration::ZERO);
    (ui, dir)
}

fn tap(ui: &KioskUi, hex: &str) -> Signal {
    let s = ui.on_card(Ok(card(hex)));
    mock_elapsed_time(Duration::ZERO);
    s
}

fn layout(ui: &KioskUi) -> UiLayout {
    ui.window().global::<Resident>().get_layout()
}

/// The body text size the resident screens use now, in logical px (the
/// window is 800×480, so one logical px is one pixel).
fn body(ui: &KioskUi) -> f32 {
    ui.window().global::<Resident>().get_body()
}

/// The height on screen of the element showing `text` (its accessible label).
fn height_of(ui: &KioskUi, text: &str) -> f32 {
    let found = labelled(ui, text);
    assert!(!found.is_empty(), "{text:?} is not on screen");
    found[0].size().height
}

/// How many pixel rows of the element showing `text` hold dark ink, from
/// the first to the last: the height of its glyphs in the rendered frame.
fn glyph_rows(ui: &KioskUi, text: &str) -> u32 {
    let found = labelled(ui, text);
    assert!(!found.is_empty(), "{text:?} is not on screen");
    let (pos, size) = (found[0].absolute_position(), found[0].size());
    let shot = ui.window().window().take_snapshot().unwrap();
    let (w, h) = (shot.width(), shot.height());
    let px = shot.as_slice();
    let (x0, x1) = (pos.x.max(0.0) as u32, ((pos.x + size.width) as u32).min(w));
    let (y0, y1) = (pos.y.max(0.0) as u32, ((pos.y + size.height) as u32).min(h));
    let dark: Vec<u32> = (y0..y1)
        .filter(|y| {
            (x0..x1).any(|x| {
                let p = px[(y * w + x) as usize];
                u32::from(p.r) + u32::from(p.g) + u32::from(p.b) < 200
            })
        })
        .collect();
    match (dark.first(), dark.last()) {
        (Some(a), Some(b)) => b - a + 1,
        _ => 0,
    }
}

#[test]
fn one_touch_makes_the_next_result_large_and_the_next_resident_gets_the_normal_layout() {
    let (ui, _dir) = start(fixture());
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);
    assert!(body(&ui) < 36.0);

    // One touch on the waiting screen; the button shows that it is on.
    press(&ui, LARGE);
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Large);
    assert!(labelled(&ui, LARGE).is_empty());
    assert!(!labelled(&ui, BACK_TO_NORMAL).is_empty());

    // The card: the result in the large layout, one short message.
    assert_eq!(tap(&ui, CARD), Signal::Success);
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(layout(&ui), UiLayout::Large);
    assert!(body(&ui) >= 36.0, "body text {} px", body(&ui));
    let r = ui.window().global::<Resident>();
    assert!(r.get_title() > r.get_body(), "titles bigger than the body");
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_headline(), "受付しました");
    assert_eq!(g.get_name(), "ヤマダ ハナコ さん");
    assert_eq!(g.get_detail(), "", "one message: no second line");
    assert_eq!(g.get_message(), "そのまま お入りください");
    assert!(height_of(&ui, "そのまま お入りください") >= 36.0);
    // In the rendered frame: the message's glyphs stand about 36 px tall
    // (a 38 px font; ink from the tallest glyph's top to the lowest bottom).
    let large_rows = glyph_rows(&ui, "そのまま お入りください");
    assert!(large_rows >= 33, "glyphs {large_rows} px tall");

    // The result returns to waiting by itself: the layout with it.
    mock_elapsed_time(Duration::from_secs(6));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);
    assert!(!labelled(&ui, LARGE).is_empty());

    // The next resident reads the normal layout and its words.
    assert_eq!(tap(&ui, OTHER), Signal::Success);
    assert_eq!(layout(&ui), UiLayout::Normal);
    assert!(body(&ui) < 36.0);
    assert_eq!(g.get_headline(), "受付しました");
    assert_eq!(g.get_message(), "ようこそ。受付ができました。");
    assert_eq!(g.get_detail(), "交流サロン");
    let normal_rows = glyph_rows(&ui, "ようこそ。受付ができました。");
    assert!(
        normal_rows < large_rows,
        "normal glyphs {normal_rows} px, large {large_rows} px"
    );
}

#[test]
fn pressed_again_it_turns_off_and_the_idle_reset_turns_it_off_too() {
    let (ui, _dir) = start(fixture());
    press(&ui, LARGE);
    assert_eq!(layout(&ui), UiLayout::Large);
    press(&ui, BACK_TO_NORMAL);
    assert_eq!(layout(&ui), UiLayout::Normal);
    assert!(!labelled(&ui, LARGE).is_empty());

    // On, and nobody taps: the waiting screen's idle reset (20 s) puts it back.
    press(&ui, LARGE);
    mock_elapsed_time(Duration::from_secs(19));
    assert_eq!(layout(&ui), UiLayout::Large);
    mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);

    // A refusal in the large layout, then 「もどる」: normal again.
    press(&ui, LARGE);
    assert_eq!(tap(&ui, "04AABBCCDDEEFF"), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_headline(), "まだ 使えない カードです");
    assert_eq!(g.get_message(), "受付で 声をかけてください");
    assert!(height_of(&ui, "受付で 声をかけてください") >= 36.0);
    press(&ui, "もどる");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);

    // The idle reset of a result screen ends it as well.
    press(&ui, LARGE);
    tap(&ui, "04AABBCCDDEEFF");
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);
}

#[test]
fn class_mode_in_the_large_layout_shows_one_item_a_page_and_its_results() {
    let (ui, _dir) = start(fixture());
    press(&ui, LARGE);
    press(&ui, "教室のもうしこみ・ちゅうせんの結果");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassCard));
    assert_eq!(layout(&ui), UiLayout::Large);
    let g = ui.window().global::<Classes>();
    assert_eq!(g.get_card_hint(), "教室の 申しこみと 結果を 見られます");
    assert!(height_of(&ui, "教室の 申しこみと 結果を 見られます") >= 36.0);

    // The card: the resident's own result, then the two classes, one a page.
    tap(&ui, CARD);
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    assert_eq!(layout(&ui), UiLayout::Large);
    assert_eq!(g.get_page(), "1/3");
    assert_eq!(g.get_results_title(), "ちゅうせんの 結果");
    let results: Vec<_> = g.get_results().iter().collect();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].label, "ちゅうせん 待ち");
    assert_eq!(results[0].message, "脳トレ教室　ちゅうせんは 11月20日");
    assert!(height_of(&ui, "脳トレ教室　ちゅうせんは 11月20日") >= 36.0);
    assert_eq!(g.get_classes().row_count(), 0);
    press(&ui, "つぎのページ");
    assert_eq!(g.get_page(), "2/3");
    assert_eq!(g.get_results().row_count(), 0);
    let classes: Vec<_> = g.get_classes().iter().collect();
    assert_eq!(classes.len(), 1);
    assert_eq!(g.get_prompt(), "申しこむ 教室を おしてください");
    press(&ui, "つぎのページ");
    assert_eq!(g.get_page(), "3/3");
    let class = g.get_classes().row_data(0).unwrap();
    assert_eq!(class.title, "転倒予防教室");
    assert_eq!(
        class.text,
        "転倒予防教室\n12月3日（木）から 全2回\nしめきり 11月15日（日）"
    );
    // A big row: taller than the normal layout's 116 px.
    assert!(labelled(&ui, "転倒予防教室")[0].size().height >= 150.0);

    // Applying: the entry number and one short line.
    press(&ui, "転倒予防教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassApplied));
    assert_eq!(layout(&ui), UiLayout::Large);
    assert_eq!(g.get_headline(), "申しこみました");
    assert_eq!(g.get_entry(), "受付番号 1番");
    assert_eq!(g.get_message(), "ちゅうせんは 11月20日（金）です");
    assert!(height_of(&ui, "ちゅうせんは 11月20日（金）です") >= 36.0);
    press(&ui, "もどる");
    assert_eq!(layout(&ui), UiLayout::Normal);

    // The second resident, in the large layout too: no address on file.
    press(&ui, LARGE);
    press(&ui, "教室のもうしこみ・ちゅうせんの結果");
    tap(&ui, OTHER);
    assert_eq!(g.get_page(), "1/2", "no result: the two classes alone");
    press(&ui, "脳トレ教室");
    assert_eq!(ui.ui_screen(), Some(Screen::ClassNeedsAddress));
    assert_eq!(layout(&ui), UiLayout::Large);
    assert_eq!(g.get_headline(), "住所の 登録が いります");
    assert_eq!(g.get_message(), "受付で 声をかけてください");
    assert!(height_of(&ui, "受付で 声をかけてください") >= 36.0);
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);
}

#[test]
fn staff_screens_are_unaffected() {
    let (ui, _dir) = start(fixture());
    let normal_body = body(&ui);
    press(&ui, LARGE);
    assert_eq!(layout(&ui), UiLayout::Large);
    // Staff come to the kiosk: the large layout was for a resident.
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    assert_eq!(layout(&ui), UiLayout::Normal);
    assert_eq!(body(&ui), normal_body);
    // Signed out, back on the waiting screen: still normal, and a card
    // reads in the normal words.
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    assert_eq!(layout(&ui), UiLayout::Normal);
    tap(&ui, CARD);
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_message(), "ようこそ。受付ができました。");
}

#[test]
fn the_choice_among_sessions_in_the_large_layout() {
    let mut f = fixture();
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Ikigai,
                date: date(2026, 11, 2),
                start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                title: "囲碁の会".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let (ui, _dir) = start(f);
    press(&ui, LARGE);
    assert_eq!(tap(&ui, CARD), Signal::Attention);
    assert_eq!(ui.ui_screen(), Some(Screen::ChooseSession));
    let g = ui.window().global::<CheckIn>();
    assert_eq!(g.get_choose_title(), "どれに 参加しますか");
    assert!(height_of(&ui, "どれに 参加しますか") >= 36.0);
    assert!(ui.window().global::<Resident>().get_heading() >= 40.0);
    // Two big buttons, whole on screen; the choice checks in, still large.
    for title in ["交流サロン", "囲碁の会"] {
        let b = labelled(&ui, title);
        assert_eq!(b.len(), 1, "{title}");
        let (pos, size) = (b[0].absolute_position(), b[0].size());
        assert!(
            size.height >= 72.0 && pos.y + size.height <= 480.0,
            "{title}"
        );
    }
    press(&ui, "囲碁の会");
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    assert_eq!(g.get_headline(), "受付しました");
    assert_eq!(layout(&ui), UiLayout::Large);
}
