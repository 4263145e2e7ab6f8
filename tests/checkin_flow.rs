//! The waiting and check-in flow's decisions and words over a fake store:
//! no database, no Slint. All data invented.

use chrono::{NaiveDate, NaiveTime};
use tsudoi::Error;
use tsudoi::kiosk::Signal;
use tsudoi::kiosk::flows::checkin::{CheckInStore, Outcome, Tap, Tone, chosen, tap, wording};
use tsudoi::store::attendance::CheckInOutcome;
use tsudoi::store::class_day::CardCheckIn;
use tsudoi::store::sessions::{Program, SessionInfo, SessionMode};
use tsudoi_hw::{CardId, CardIdError, Technology};
use zeroize::Zeroizing;

/// Answers with what the test put in, and counts the calls.
#[derive(Default)]
struct FakeStore {
    by_card: Option<tsudoi::Result<CardCheckIn>>,
    chosen: Option<tsudoi::Result<CheckInOutcome>>,
    calls: Vec<String>,
}

impl CheckInStore for FakeStore {
    fn check_in_by_card(
        &mut self,
        _card: &CardId,
        early: chrono::Duration,
    ) -> tsudoi::Result<CardCheckIn> {
        self.calls.push(format!("by_card {}", early.num_minutes()));
        self.by_card.take().expect("an answer for the tap")
    }

    fn check_in_chosen(
        &mut self,
        participant_id: &str,
        session_id: &str,
    ) -> tsudoi::Result<CheckInOutcome> {
        self.calls
            .push(format!("chosen {participant_id} {session_id}"));
        self.chosen.take().expect("an answer for the choice")
    }
}

fn card() -> Result<CardId, CardIdError> {
    CardId::from_hex(Technology::Iso14443A, "04A1B2C3D4E5F6")
}

fn early() -> chrono::Duration {
    chrono::Duration::minutes(30)
}

fn session(id: &str, title: &str, start: u32, end: u32) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        program: Program::Koryu,
        date: NaiveDate::from_ymd_opt(2026, 6, 2).unwrap(),
        start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
        title: title.into(),
        capacity: None,
        mode: SessionMode::Open,
        attendance: 7,
    }
}

fn done(t: Tap) -> Outcome {
    match t {
        Tap::Done(o) => o,
        Tap::Choose { .. } => panic!("a choice, not a result"),
        Tap::Failed(what, e) => panic!("failed: {what}: {e}"),
    }
}

fn on_tap(answer: tsudoi::Result<CardCheckIn>) -> Outcome {
    let mut store = FakeStore {
        by_card: Some(answer),
        ..FakeStore::default()
    };
    done(tap(&mut store, card(), early()))
}

#[test]
fn a_check_in_greets_the_holder_by_name_with_the_activity() {
    let o = on_tap(Ok(CardCheckIn::Decided(CheckInOutcome::CheckedIn {
        kana: Zeroizing::new("ヤマダ ハナコ".into()),
        session_title: "交流サロン".into(),
    })));
    assert_eq!(o.signal(), Signal::Success);
    assert_eq!(format!("{o:?}"), "CheckedIn", "no name in a log line");
    let t = wording::result(&o);
    assert_eq!(t.tone, Tone::Ok);
    assert_eq!(t.headline, "受付しました");
    assert_eq!(t.name.as_str(), "ヤマダ ハナコ さん");
    assert_eq!(t.detail, "交流サロン");
    assert_eq!(t.message, "ようこそ。受付ができました。");

    let again = on_tap(Ok(CardCheckIn::Decided(CheckInOutcome::AlreadyCheckedIn {
        kana: Zeroizing::new("ヤマダ ハナコ".into()),
        session_title: "交流サロン".into(),
    })));
    assert_eq!(again.signal(), Signal::AlreadyCheckedIn);
    assert_eq!(wording::result(&again).tone, Tone::Again);
}

#[test]
fn refusals_say_why_and_what_to_do_without_a_name() {
    let cases = [
        (
            Ok(CardCheckIn::UnknownCard),
            "カードの登録をします",
            Signal::Attention,
        ),
        (
            Ok(CardCheckIn::NoSession),
            "時間をたしかめるか",
            Signal::Attention,
        ),
        (
            Ok(CardCheckIn::Decided(CheckInOutcome::NotEligible {
                reaches_age_on: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            })),
            "2026年9月30日から参加できます",
            Signal::Error,
        ),
        (
            Ok(CardCheckIn::Decided(CheckInOutcome::ReverificationDue {
                due_since: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            })),
            "ほけんしょうなどを見せてください",
            Signal::Attention,
        ),
        (
            Ok(CardCheckIn::Decided(CheckInOutcome::SessionFull)),
            "定員になりました",
            Signal::Error,
        ),
        (
            Ok(CardCheckIn::Decided(CheckInOutcome::NoSeat {
                class_title: "転倒予防教室".into(),
                waiting_rank: Some(2),
            })),
            "いまは、ほけつ 2番です",
            Signal::Attention,
        ),
        (
            Err(Error::ClockBehind {
                now: "2026-06-02T09:00:00+09:00".into(),
                seen: "2026-06-02T10:00:00+09:00".into(),
            }),
            "時計をたしかめるまで",
            Signal::Attention,
        ),
    ];
    let mut headlines = Vec::new();
    for (answer, says, signal) in cases {
        let o = on_tap(answer);
        let t = wording::result(&o);
        assert!(t.message.contains(says), "{o:?}: {}", t.message);
        assert_eq!(o.signal(), signal, "{o:?}");
        assert!(t.name.is_empty(), "{o:?} shows no name");
        assert!(!t.headline.is_empty());
        headlines.push(t.headline);
    }
    headlines.sort_unstable();
    headlines.dedup();
    assert_eq!(headlines.len(), 7, "each refusal has its own headline");
}

#[test]
fn an_unreadable_card_asks_nothing_of_the_store_and_a_phone_is_named() {
    let mut store = FakeStore::default();
    let o = done(tap(&mut store, Err(CardIdError::Empty), early()));
    assert!(store.calls.is_empty());
    assert_eq!(o.signal(), Signal::Error);
    assert!(
        wording::result(&o)
            .message
            .contains("もう一度ゆっくりタッチ")
    );

    let phone = done(tap(&mut store, Err(CardIdError::RandomIdentifier), early()));
    assert_eq!(
        wording::result(&phone).message,
        CardIdError::RandomIdentifier.to_string(),
        "the reader's own words for a phone or watch"
    );
    assert!(store.calls.is_empty());
}

#[test]
fn a_store_failure_is_a_fault_not_a_retry() {
    let mut store = FakeStore {
        by_card: Some(Err(Error::Io(std::io::Error::other("disk")))),
        ..FakeStore::default()
    };
    match tap(&mut store, card(), early()) {
        Tap::Failed(what, Error::Io(_)) => assert!(what.contains("card tap")),
        _ => panic!("expected a failure"),
    }
    let t = wording::result(&Outcome::Fault);
    assert_eq!(t.headline, "係の者をおよびください");
    assert!(!t.message.contains("もう一度タッチ"));
    assert_eq!(Outcome::Fault.signal(), Signal::Attention);
}

#[test]
fn several_open_sessions_are_offered_with_the_class_notice_then_the_choice_checks_in() {
    let mut store = FakeStore {
        by_card: Some(Ok(CardCheckIn::Choose {
            participant_id: "p-17".into(),
            sessions: vec![
                session("s1", "交流サロン", 9, 17),
                session("s2", "体操教室", 10, 11),
            ],
            notice: Some(CheckInOutcome::NoSeat {
                class_title: "転倒予防教室".into(),
                waiting_rank: None,
            }),
        })),
        ..FakeStore::default()
    };
    let Tap::Choose {
        participant_id,
        choices,
        notice,
    } = tap(&mut store, card(), early())
    else {
        panic!("expected a choice");
    };
    assert_eq!(store.calls, ["by_card 30"], "the configured early window");
    assert_eq!(participant_id, "p-17");
    let labels: Vec<String> = choices
        .iter()
        .map(|c| wording::choice_label(&c.title, &c.time))
        .collect();
    assert_eq!(
        labels,
        ["交流サロン　9:00〜17:00", "体操教室　10:00〜11:00"]
    );
    assert!(
        choices.iter().all(|c| c.count == 7),
        "rows as the store gave them"
    );
    let (title, rank) = notice.expect("the class is named");
    let n = wording::choose_notice(&title, rank);
    assert!(n.starts_with("転倒予防教室は、ちゅうせんで当選した方の教室です。"));
    assert!(n.ends_with("ほかの活動に参加するときは、選んでください。"));
    assert!(!n.contains("ほけつ"));

    store.chosen = Some(Ok(CheckInOutcome::CheckedIn {
        kana: Zeroizing::new("スズキ イチロウ".into()),
        session_title: "体操教室".into(),
    }));
    let o = done(chosen(&mut store, &participant_id, "s2"));
    assert_eq!(store.calls[1], "chosen p-17 s2");
    assert_eq!(wording::result(&o).detail, "体操教室");
}

#[test]
fn the_reader_and_waiting_words_are_the_flows() {
    assert_eq!(
        wording::reader_banner(),
        "カードリーダーがつながっていません。受付にお声がけください。"
    );
    assert_eq!(wording::waiting_prompt(true), "カードをタッチしてください");
    assert_eq!(wording::waiting_prompt(false), "いまはカードが使えません");
    assert_eq!(wording::page_note(""), "");
    assert_eq!(wording::page_note("1/2"), "（1/2）つづきは自動で出ます");
}

/// The words of the large layout (issue 18): one short headline, one short
/// line for the next step, no 「」; the card holder's own name stays.
#[test]
fn the_large_layout_says_one_short_thing_per_result() {
    let kana = || Zeroizing::new("ヤマダ ハナコ".to_owned());
    let outcomes = [
        Outcome::CheckedIn {
            kana: kana(),
            session_title: "体操教室".into(),
        },
        Outcome::AlreadyCheckedIn {
            kana: kana(),
            session_title: "体操教室".into(),
        },
        Outcome::UnknownCard,
        Outcome::ReverificationDue,
        Outcome::NotEligible {
            reaches_age_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        },
        Outcome::SessionFull,
        Outcome::NoSession,
        Outcome::CardError(CardIdError::Empty),
        Outcome::CardError(CardIdError::RandomIdentifier),
        Outcome::Fault,
        Outcome::ClockUnconfirmed,
        Outcome::NoSeat {
            class_title: "転倒予防体操".into(),
            waiting_rank: Some(3),
        },
        Outcome::NoSeat {
            class_title: "転倒予防体操".into(),
            waiting_rank: None,
        },
    ];
    for o in &outcomes {
        let (normal, large) = (wording::result(o), wording::result_large(o));
        assert_eq!(large.tone, normal.tone, "{o:?}");
        assert_eq!(large.name, normal.name, "{o:?}: the own name stays");
        // A headline of 14 characters at most fits one line at 54 px.
        assert!(large.headline.chars().count() <= 14, "{o:?}");
        assert!(large.message.chars().count() <= 20, "{o:?}");
        for t in [
            large.headline,
            large.message.as_str(),
            large.detail.as_str(),
        ] {
            assert!(!t.contains('。') && !t.contains('「'), "{o:?}: {t}");
        }
        assert!(
            large.message.chars().count() < normal.message.chars().count(),
            "{o:?}: fewer words"
        );
    }
    let checked_in = wording::result_large(&outcomes[0]);
    assert_eq!(checked_in.headline, "受付しました");
    assert_eq!(checked_in.detail, "", "the activity is left out");
    assert_eq!(checked_in.message, "そのまま お入りください");
    let no_seat = wording::result_large(&outcomes[11]);
    assert_eq!(
        no_seat.detail, "転倒予防体操",
        "the class stays: it is the point"
    );
    assert_eq!(no_seat.message, "いまは ほけつ 3番です");
    assert_eq!(
        wording::result_large(&outcomes[4]).message,
        "2026年9月1日から 参加できます"
    );
}
