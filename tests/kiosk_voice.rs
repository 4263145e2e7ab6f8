//! Spoken guidance at the kiosk (issue 18, docs/dev/voice.md): the real
//! kiosk, driven through Slint's testing backend as residents would use it,
//! with a speaker writing what it says to WAV files in a temporary folder.
//! Python's `wave` module (an independent reader) checks that each result's
//! file is exactly its clips joined, and how long it is. All people and
//! cards are invented.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use i_slint_backend_testing::mock_elapsed_time;
use slint::ComponentHandle;
use tsudoi::clock::jst;
use tsudoi::kiosk::flows::classes::adapter::Classes;
use tsudoi::kiosk::flows::{checkin, classes};
use tsudoi::kiosk::{KioskUi, Screen};
use tsudoi::store::lottery::{ApplicationStatus, ClassResult};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::voice::{Library, Utterance, VoiceConfig, WavFileOut};
use tsudoi_hw::{CardId, CardIdError};
use zeroize::Zeroizing;

use common::ui::{Running, labelled, press, start_day};
use common::voice::{clips, full_volume, speaker_into, wait_written};
use common::*;

const KNOWN: &str = "04112233445566";
const OTHER: &str = "04223344556677";
const UNKNOWN: &str = "04AABBCCDDEEFF";

/// What the kiosk says, as files.
struct Ears {
    out: WavFileOut,
    _dir: tempfile::TempDir,
}

/// Gives the running kiosk a speaker that writes into a temporary folder.
fn listen(ui: &KioskUi, config: VoiceConfig, paced: bool) -> Ears {
    let dir = tempfile::tempdir().unwrap();
    let mut out = WavFileOut::new(dir.path().join("said")).unwrap();
    if paced {
        out = out.paced();
    }
    ui.with_controller(|c| c.set_speaker(speaker_into(&out, config)));
    Ears { out, _dir: dir }
}

impl Ears {
    /// Waits until `n` utterances have been written.
    fn wait(&self, n: usize) {
        wait_written(&self.out, n);
    }

    /// After an action: the file of what it said (one new utterance, whole).
    fn said_after(&self, action: impl FnOnce()) -> PathBuf {
        let n = self.out.written().len();
        action();
        self.wait(n + 1);
        // Nothing else follows it.
        std::thread::sleep(Duration::from_millis(30));
        let written = self.out.written();
        assert_eq!(written.len(), n + 1, "one utterance per result");
        assert!(!written[n].interrupted);
        written[n].path.clone()
    }

    /// After an action: that nothing was said.
    fn silent_after(&self, action: impl FnOnce()) {
        let n = self.out.written().len();
        action();
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(self.out.written().len(), n, "something was said");
    }
}

fn python(script: &str, args: &[String]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Python reads each written file and the clips it should be, joined:
/// returns, per file, whether the frames are the same and the length in
/// seconds.
fn heard(cases: &[(PathBuf, Vec<&str>)]) -> Vec<(bool, f64)> {
    let mut args = vec![clips().to_str().unwrap().to_owned()];
    for (path, ids) in cases {
        args.push(format!("{}={}", path.display(), ids.join(",")));
    }
    let answer = python(
        r#"
import sys, wave
def frames(p):
    with wave.open(p, "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), p
        return w.readframes(w.getnframes())
clips = sys.argv[1]
for case in sys.argv[2:]:
    path, ids = case.rsplit("=", 1)
    played = frames(path)
    joined = b"".join(frames(clips + "/" + i + ".wav") for i in ids.split(","))
    print(played == joined, len(played) // 2 / 16000)
"#,
        &args,
    );
    answer
        .lines()
        .map(|l| {
            let (same, secs) = l.split_once(' ').unwrap();
            (same == "True", secs.parse().unwrap())
        })
        .collect()
}

/// Every case is its clips, back to back, at most `limit` seconds long.
fn assert_heard(cases: &[(PathBuf, Vec<&str>)], limit: f64) {
    let answers = heard(cases);
    assert_eq!(answers.len(), cases.len());
    for ((_, ids), (same, secs)) in cases.iter().zip(answers) {
        assert!(same, "not the clips {ids:?}");
        assert!(secs > 0.3 && secs <= limit, "{ids:?}: {secs} s");
    }
}

fn session(
    f: &mut Fixture,
    day: NaiveDate,
    start: (u32, u32),
    end: (u32, u32),
    capacity: Option<u32>,
) -> String {
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: day,
                start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
                end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
                title: "交流サロン".into(),
                capacity,
                // A capacity is kept first come, first served.
                mode: if capacity.is_some() {
                    SessionMode::FirstCome
                } else {
                    SessionMode::Open
                },
            },
        )
        .unwrap()
}

fn person(f: &mut Fixture, name: &str, kana: &str, phone: &str, hex: &str) -> String {
    let id = f
        .store
        .register(&f.manager, resident(name, kana, phone, date(1950, 4, 1)))
        .unwrap();
    f.store.link_card(&f.manager, &id, &card(hex)).unwrap();
    id
}

fn tap(ui: &KioskUi, c: Result<CardId, CardIdError>) {
    ui.on_card(c);
    mock_elapsed_time(Duration::ZERO);
}

#[test]
fn every_check_in_result_is_said_with_its_own_clips() {
    let day = date(2026, 6, 2);
    let mut f = fixture_on(day);
    session(&mut f, day, (9, 0), (12, 0), None);
    session(&mut f, day, (13, 0), (15, 0), Some(1));
    person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", KNOWN);
    person(
        &mut f,
        "鈴木 一郎",
        "スズキ イチロウ",
        "03-2345-6789",
        OTHER,
    );
    let clock = f.clock.clone();
    let Running { ui, dir: _dir } = start_day(f);
    let ears = listen(&ui, full_volume(), false);
    let screen = |s| assert_eq!(ui.ui_screen(), Some(s));

    let mut cases = Vec::new();
    let mut said = |action: &dyn Fn(), s: Screen, ids: Vec<&'static str>| {
        let path = ears.said_after(action);
        screen(s);
        cases.push((path, ids));
    };
    said(
        &|| tap(&ui, Ok(card(KNOWN))),
        Screen::CheckedIn,
        vec!["checked_in"],
    );
    said(
        &|| tap(&ui, Ok(card(KNOWN))),
        Screen::AlreadyCheckedIn,
        vec!["already_checked_in"],
    );
    said(
        &|| tap(&ui, Ok(card(UNKNOWN))),
        Screen::UnknownCard,
        vec!["unknown_card"],
    );
    said(
        &|| tap(&ui, Err(CardIdError::RandomIdentifier)),
        Screen::CardError,
        vec!["phone_or_watch"],
    );
    said(
        &|| tap(&ui, Err(CardIdError::Empty)),
        Screen::CardError,
        vec!["card_error"],
    );
    // The afternoon's session takes one: the second card finds it full.
    clock.set(jst(day, 13, 0));
    said(
        &|| tap(&ui, Ok(card(KNOWN))),
        Screen::CheckedIn,
        vec!["checked_in"],
    );
    said(
        &|| tap(&ui, Ok(card(OTHER))),
        Screen::SessionFull,
        vec!["session_full"],
    );
    clock.set(jst(day, 16, 0));
    said(
        &|| tap(&ui, Ok(card(KNOWN))),
        Screen::NoSession,
        vec!["no_session_now"],
    );
    // A year and more later the ID must be seen again at the desk.
    let later = date(2027, 6, 10);
    clock.set(jst(later, 10, 0));
    ui.with_controller(|c| {
        let store = c.store_mut();
        let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
        store
            .add_session(
                &s,
                NewSession {
                    program: Program::Koryu,
                    date: later,
                    start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                    title: "交流サロン".into(),
                    capacity: None,
                    mode: SessionMode::Open,
                },
            )
            .unwrap();
        store.sign_out(&s).unwrap();
    });
    said(
        &|| tap(&ui, Ok(card(KNOWN))),
        Screen::ReverificationDue,
        vec!["not_eligible_yet"],
    );
    // Each result is its own clip, whole, and short.
    assert_heard(&cases, 3.0);
    // Nothing but the fixed sentences was said: no name, no activity.
    let texts: Vec<String> = ui.with_controller(|c| {
        c.speaker()
            .unwrap()
            .played()
            .into_iter()
            .map(|p| p.text)
            .collect()
    });
    assert_eq!(texts.len(), cases.len());
    for t in &texts {
        for personal in ["山田", "花子", "ヤマダ", "ハナコ", "鈴木", "スズキ", "交流"]
        {
            assert!(!t.contains(personal), "{t}");
        }
    }
}

/// Class mode (its prompt said), then the card: the class list, which has
/// nothing to say before the draw (抽選待ち has no phrase).
fn open_classes(ui: &KioskUi, ears: &Ears, hex: &str) -> PathBuf {
    let prompt = ears.said_after(|| press(ui, "教室のもうしこみ・ちゅうせんの結果"));
    assert_eq!(ui.ui_screen(), Some(Screen::ClassCard));
    ears.silent_after(|| tap(ui, Ok(card(hex))));
    assert_eq!(ui.ui_screen(), Some(Screen::Classes));
    prompt
}

#[test]
fn applying_to_a_class_says_the_result_and_the_first_date() {
    let mut f = fixture_on(date(2026, 11, 2));
    lottery_class(
        &mut f,
        "転倒予防教室",
        &[date(2026, 12, 3), date(2026, 12, 10)],
        10,
        None,
    );
    let earlier = lottery_class(&mut f, "脳トレ教室", &[date(2026, 12, 4)], 10, None);
    let known = person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", KNOWN);
    person(
        &mut f,
        "鈴木 一郎",
        "スズキ イチロウ",
        "03-2345-6789",
        OTHER,
    );
    // The address is on file from an application at the desk.
    f.store
        .apply_on_behalf(
            &f.manager,
            &known,
            &earlier,
            Some("新宿区架空町一丁目二番三号".into()),
        )
        .unwrap();
    let Running { ui, dir: _dir } = start_day(f);
    let ears = listen(&ui, full_volume(), false);
    let mut cases = Vec::new();

    let prompt = open_classes(&ui, &ears, KNOWN);
    cases.push((prompt, vec!["please_tap"]));
    let path = ears.said_after(|| press_class(&ui, "転倒予防教室"));
    assert_eq!(ui.ui_screen(), Some(Screen::ClassApplied));
    cases.push((path, vec!["accepted", "month_12", "day_03_kara"]));
    press(&ui, "もどる");
    open_classes(&ui, &ears, KNOWN);
    let path = ears.said_after(|| press_class(&ui, "転倒予防教室"));
    assert_eq!(ui.ui_screen(), Some(Screen::ClassRefused));
    cases.push((path, vec!["class_duplicate"]));
    press(&ui, "もどる");
    // No address on file: the desk takes it.
    open_classes(&ui, &ears, OTHER);
    let path = ears.said_after(|| press_class(&ui, "転倒予防教室"));
    assert_eq!(ui.ui_screen(), Some(Screen::ClassNeedsAddress));
    cases.push((path, vec!["see_staff"]));

    // The date included, every result is at most 3 s.
    assert_heard(&cases, 3.0);
}

#[test]
fn a_class_closed_while_its_button_showed_is_said_closed() {
    // The list opens late on the last day; the button is pressed after
    // midnight, when the class no longer takes applications.
    let mut f = fixture_on(date(2026, 11, 2));
    lottery_class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 10, None);
    person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", KNOWN);
    f.clock.set(jst(date(2026, 11, 15), 20, 50));
    let clock = f.clock.clone();
    let Running { ui, dir: _dir } = start_day(f);
    let ears = listen(&ui, full_volume(), false);
    open_classes(&ui, &ears, KNOWN);
    clock.set(jst(date(2026, 11, 16), 0, 5));
    let path = ears.said_after(|| press_class(&ui, "転倒予防教室"));
    assert_eq!(ui.ui_screen(), Some(Screen::ClassRefused));
    assert_heard(&[(path, vec!["class_closed"])], 3.0);
}

/// Presses an open class's button, turning the class list's pages to find it.
fn press_class(ui: &KioskUi, title: &str) {
    let g = ui.window().global::<Classes>();
    while labelled(ui, title).is_empty() && g.get_has_next() {
        press(ui, "つぎのページ");
    }
    press(ui, title);
}

/// 「補欠の N番です。」 as its pieces (1–99).
fn waitlisted(rank: u32) -> Vec<String> {
    let mut ids = vec!["waitlisted_prefix".to_owned()];
    match (rank / 10, rank % 10) {
        (0, u) => ids.push(format!("ban_{u}")),
        (t, 0) => ids.push(format!("ban_{}", t * 10)),
        (t, u) => ids.extend([format!("tens_{}", t * 10), format!("ban_{u}")]),
    }
    ids.push("desu".into());
    ids
}

#[test]
fn lottery_results_are_said_won_waitlisted_with_the_number_or_lost() {
    let mut f = fixture_on(date(2026, 11, 2));
    // One place and one on the waiting list for four applicants.
    let tight = lottery_class(&mut f, "転倒予防教室", &[date(2026, 12, 3)], 1, Some(1));
    let mut cards = Vec::new();
    for i in 0..4u8 {
        let hex = format!("043344556677{i:02}");
        let id = person(
            &mut f,
            &format!("試験 太郎{i}"),
            "シケン タロウ",
            &format!("03-3456-78{i:02}"),
            &hex,
        );
        f.store
            .apply_on_behalf(&f.manager, &id, &tight, Some("新宿区架空町二丁目".into()))
            .unwrap();
        cards.push(hex);
    }
    f.clock.set(jst(date(2026, 11, 16), 10, 0));
    f.store
        .close_lottery_class(
            &f.manager,
            &tight,
            vec!["ロト7 第600回 本数字".into(), "国債残高（末尾8桁）".into()],
        )
        .unwrap();
    f.clock.set(jst(date(2026, 11, 20), 10, 0));
    f.store
        .draw_lottery_class(
            &f.manager,
            &tight,
            vec!["7 8 11 17 19 25 46".into(), "08285182".into()],
        )
        .unwrap();
    let Running { ui, dir: _dir } = start_day(f);
    let ears = listen(&ui, full_volume(), false);
    let mut cases = Vec::new();
    let mut statuses = Vec::new();
    for hex in &cards {
        ears.said_after(|| press(&ui, "教室のもうしこみ・ちゅうせんの結果"));
        let path = ears.said_after(|| tap(&ui, Ok(card(hex))));
        assert_eq!(ui.ui_screen(), Some(Screen::Classes));
        let r = ui.with_controller(|c| c.class_results()[0].clone());
        let ids: Vec<String> = match r.status {
            ApplicationStatus::Won | ApplicationStatus::MovedUp => vec!["lottery_won".into()],
            ApplicationStatus::Waiting => waitlisted(r.waiting_rank.unwrap()),
            ApplicationStatus::NotSelected => vec!["lottery_lost".into()],
            other => panic!("{other:?}"),
        };
        statuses.push(r.status);
        cases.push((path, ids));
        press(&ui, "もどる");
    }
    for s in [
        ApplicationStatus::Won,
        ApplicationStatus::Waiting,
        ApplicationStatus::NotSelected,
    ] {
        assert!(statuses.contains(&s), "{s:?} among {statuses:?}");
    }
    let cases: Vec<(PathBuf, Vec<&str>)> = cases
        .iter()
        .map(|(p, ids)| (p.clone(), ids.iter().map(String::as_str).collect()))
        .collect();
    assert_heard(&cases, 3.0);
}

/// A morning session open, one registered resident with a card, and the
/// kiosk speaking with `config` into a temporary folder.
fn morning_with_one_resident(config: VoiceConfig) -> (Running, Ears) {
    let day = date(2026, 6, 2);
    let mut f = fixture_on(day);
    session(&mut f, day, (9, 0), (12, 0), None);
    person(&mut f, "山田 花子", "ヤマダ ハナコ", "03-1234-5678", KNOWN);
    let running = start_day(f);
    let ears = listen(&running.ui, config, false);
    (running, ears)
}

#[test]
fn quiet_mode_leaves_routine_phrases_out_and_says_the_rest() {
    let (Running { ui, dir: _dir }, ears) = morning_with_one_resident(VoiceConfig {
        quiet: true,
        ..full_volume()
    });
    ears.silent_after(|| tap(&ui, Ok(card(KNOWN))));
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    ears.silent_after(|| tap(&ui, Ok(card(KNOWN))));
    assert_eq!(ui.ui_screen(), Some(Screen::AlreadyCheckedIn));
    press(&ui, "もどる");
    ears.silent_after(|| press(&ui, "教室のもうしこみ・ちゅうせんの結果"));
    press(&ui, "もどる");
    ears.said_after(|| tap(&ui, Ok(card(UNKNOWN))));
    assert_eq!(ui.ui_screen(), Some(Screen::UnknownCard));
    let texts: Vec<String> = ui.with_controller(|c| {
        c.speaker()
            .unwrap()
            .played()
            .into_iter()
            .map(|p| p.text)
            .collect()
    });
    assert_eq!(texts, ["登録がありません。窓口へどうぞ。"]);
}

#[test]
fn a_voice_turned_off_says_nothing() {
    let (Running { ui, dir: _dir }, ears) = morning_with_one_resident(VoiceConfig {
        enabled: false,
        ..full_volume()
    });
    ears.silent_after(|| {
        tap(&ui, Ok(card(KNOWN)));
        tap(&ui, Ok(card(UNKNOWN)));
        tap(&ui, Err(CardIdError::RandomIdentifier));
        press(&ui, "もどる");
        press(&ui, "教室のもうしこみ・ちゅうせんの結果");
    });
    assert!(ui.with_controller(|c| c.speaker().unwrap().played().is_empty()));
}

#[test]
fn the_idle_reset_and_the_back_button_cut_the_sentence_off() {
    let day = date(2026, 6, 2);
    let mut f = fixture_on(day);
    session(&mut f, day, (9, 0), (12, 0), None);
    let Running { ui, dir: _dir } = start_day(f);
    // Written in real time, as a loudspeaker plays.
    let ears = listen(&ui, full_volume(), true);
    let full = Library::open(clips())
        .unwrap()
        .compose(&Utterance::from(tsudoi_hw::voice::Phrase::UnknownCard), 1.0)
        .unwrap()
        .len();
    tap(&ui, Ok(card(UNKNOWN)));
    std::thread::sleep(Duration::from_millis(300));
    // 21 s untouched (mock time): back to waiting, and the voice stops.
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
    ears.wait(1);
    let w = &ears.out.written()[0];
    assert!(
        w.interrupted && w.samples < full / 2,
        "{} of {full}",
        w.samples
    );

    tap(&ui, Ok(card(UNKNOWN)));
    std::thread::sleep(Duration::from_millis(300));
    press(&ui, "もどる");
    ears.wait(2);
    let w = &ears.out.written()[1];
    assert!(
        w.interrupted && w.samples < full / 2,
        "{} of {full}",
        w.samples
    );
}

/// Every result of every flow has its sentence, written out here one by one
/// (the flows' matches have no wildcard, so a new outcome does not compile
/// until it has one; this list then fails until it is added here too).
#[test]
fn every_outcome_maps_to_its_sentence() {
    use checkin::Outcome as C;
    let kana = || Zeroizing::new("ヤマダ ハナコ".to_owned());
    let d = date(2026, 12, 3);
    let check_in: Vec<(C, &str)> = vec![
        (
            C::CheckedIn {
                kana: kana(),
                session_title: "交流サロン".into(),
            },
            "受付しました。",
        ),
        (
            C::AlreadyCheckedIn {
                kana: kana(),
                session_title: "交流サロン".into(),
            },
            "今日は、もう受付済みです。",
        ),
        (C::UnknownCard, "登録がありません。窓口へどうぞ。"),
        (C::ReverificationDue, "まだ使えません。窓口へどうぞ。"),
        (
            C::NotEligible { reaches_age_on: d },
            "まだ使えません。窓口へどうぞ。",
        ),
        (C::SessionFull, "今日は定員になりました。"),
        (C::NoSession, "今は受付の時間ではありません。"),
        (
            C::CardError(CardIdError::RandomIdentifier),
            "スマホや時計は使えません。",
        ),
        (
            C::CardError(CardIdError::Empty),
            "読めませんでした。もう一度どうぞ。",
        ),
        (
            C::CardError(CardIdError::TooLong),
            "読めませんでした。もう一度どうぞ。",
        ),
        (C::Fault, "係の者にお声がけください。"),
        (C::ClockUnconfirmed, "係の者にお声がけください。"),
        (
            C::NoSeat {
                class_title: "転倒予防教室".into(),
                waiting_rank: Some(12),
            },
            "補欠の十二番です。",
        ),
        (
            C::NoSeat {
                class_title: "転倒予防教室".into(),
                waiting_rank: None,
            },
            "係の者にお声がけください。",
        ),
    ];
    for (o, text) in &check_in {
        // Listed once per variant (the compiler checks the list is whole).
        match o {
            C::CheckedIn { .. }
            | C::AlreadyCheckedIn { .. }
            | C::UnknownCard
            | C::ReverificationDue
            | C::NotEligible { .. }
            | C::SessionFull
            | C::NoSession
            | C::CardError(_)
            | C::Fault
            | C::ClockUnconfirmed
            | C::NoSeat { .. } => {}
        }
        assert_eq!(checkin::voice::utterance(o).text(), *text, "{o:?}");
    }

    use classes::Outcome as A;
    let applications: Vec<(A, &str)> = vec![
        (
            A::Applied {
                entry_number: 7,
                draw_on: date(2026, 11, 20),
                starts_on: Some(d),
            },
            "受け付けました。十二月三日から。",
        ),
        (
            A::Applied {
                entry_number: 7,
                draw_on: date(2026, 11, 20),
                starts_on: None,
            },
            "申し込みを受け付けました。",
        ),
        (A::NeedsAddress, "係の者にお声がけください。"),
        (A::Duplicate { entry_number: 7 }, "もう申し込んであります。"),
        (
            A::NotEligible {
                session_date: d,
                reaches_age_on: Some(date(2027, 1, 1)),
            },
            "まだ使えません。窓口へどうぞ。",
        ),
        (
            A::NotEligible {
                session_date: d,
                reaches_age_on: None,
            },
            "まだ使えません。窓口へどうぞ。",
        ),
        (A::Closed, "申し込みは締め切りました。"),
        (
            A::OtherClass {
                other_title: "脳トレ教室".into(),
            },
            "係の者にお声がけください。",
        ),
    ];
    for (o, text) in &applications {
        match o {
            A::Applied { .. }
            | A::NeedsAddress
            | A::Duplicate { .. }
            | A::NotEligible { .. }
            | A::Closed
            | A::OtherClass { .. } => {}
        }
        assert_eq!(classes::voice::applied(o).text(), *text, "{o:?}");
    }

    let result = |status, rank| ClassResult {
        class_id: "c1".into(),
        title: "転倒予防教室".into(),
        starts_on: Some(d),
        draw_on: date(2026, 11, 20),
        entry_number: 3,
        status,
        waiting_rank: rank,
    };
    use ApplicationStatus as S;
    let results: Vec<(ClassResult, Option<&str>)> = vec![
        (result(S::Won, None), Some("抽選の結果、当選です。")),
        (result(S::MovedUp, None), Some("抽選の結果、当選です。")),
        (result(S::Waiting, Some(3)), Some("補欠の三番です。")),
        (result(S::Waiting, None), Some("抽選の結果、補欠です。")),
        (result(S::NotSelected, None), Some("今回は落選でした。")),
        (result(S::Applied, None), None),
        (result(S::Withdrawn, None), None),
        (result(S::Cancelled, None), None),
    ];
    for (r, text) in &results {
        match r.status {
            S::Won | S::MovedUp | S::Waiting | S::NotSelected => {}
            S::Applied | S::Withdrawn | S::Cancelled => {}
        }
        let said = classes::voice::result(r).map(|u| u.text());
        assert_eq!(said.as_deref(), *text, "{:?}", r.status);
    }
    // The list says its first result with a sentence, the top one on screen.
    let list = [
        result(S::Applied, None),
        result(S::NotSelected, None),
        result(S::Won, None),
    ];
    assert_eq!(
        classes::voice::results(&list).map(|u| u.text()).as_deref(),
        Some("今回は落選でした。")
    );
    assert_eq!(classes::voice::results(&list[..1]), None);
}
