//! A person's record at the desk: the search, corrections, deletion and
//! cards decided over a fake store (no database, no Slint). All data invented.

use tsudoi::eligibility::PhoneNumber;
use tsudoi::kiosk::Signal;
use tsudoi::kiosk::controller::NameEntry;
use tsudoi::kiosk::flows::record::{
    CardWait, Hit, OpenRecord, RecordFlow, RecordStore, SEARCH_LIMIT, name_corrections,
    wording as w,
};
use tsudoi::store::cards::LinkedCard;
use tsudoi::store::participants::{Correction, ParticipantSummary};
use tsudoi_hw::{CardId, Technology};
use zeroize::Zeroizing;

/// A store of invented people: records every call the flow makes.
#[derive(Default)]
struct Fake {
    people: Vec<ParticipantSummary>,
    /// Every call, as "what id detail".
    calls: Vec<String>,
    cards: Vec<LinkedCard>,
    /// The next write is refused with this reason.
    refuse: Option<String>,
}

fn person(i: usize, kana: &str, year: Option<i32>) -> ParticipantSummary {
    ParticipantSummary {
        id: format!("p{i:02}"),
        name: Zeroizing::new(format!("試験 {i}")),
        kana: Zeroizing::new(kana.into()),
        birth_date: year.and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 4, 1)),
    }
}

fn linked(id: &str, day: u32) -> LinkedCard {
    LinkedCard {
        id: id.into(),
        linked_at: format!("2026-06-{day:02}T10:00:00+09:00"),
        linked_by: "kanri01".into(),
    }
}

fn card(hex: &str) -> Result<CardId, tsudoi_hw::CardIdError> {
    CardId::from_hex(Technology::Iso14443A, hex)
}

impl Fake {
    fn write(&mut self, call: String) -> tsudoi::Result<()> {
        if let Some(m) = self.refuse.take() {
            return Err(tsudoi::Error::Refused(m));
        }
        self.calls.push(call);
        Ok(())
    }
}

impl RecordStore for Fake {
    fn find_by_kana(&mut self, kana: &str) -> tsudoi::Result<Vec<ParticipantSummary>> {
        self.calls.push(format!("find_by_kana {kana}"));
        Ok(self
            .people
            .iter()
            .filter(|p| p.kana.starts_with(kana))
            .map(|p| ParticipantSummary {
                id: p.id.clone(),
                name: p.name.clone(),
                kana: p.kana.clone(),
                birth_date: p.birth_date,
            })
            .collect())
    }

    fn find_by_phone(&mut self, phone: &PhoneNumber) -> tsudoi::Result<Vec<ParticipantSummary>> {
        self.calls
            .push(format!("find_by_phone {}", phone.display()));
        Ok(Vec::new())
    }

    fn correct(&mut self, id: &str, change: Correction) -> tsudoi::Result<()> {
        let detail = match change {
            Correction::Name(n) => format!("name {n}"),
            Correction::Kana(k) => format!("kana {k}"),
            Correction::Phone(p) => format!("phone {}", p.display()),
            Correction::Address(a) => format!("address {}", a.unwrap_or_default()),
        };
        self.write(format!("correct {id} {detail}"))
    }

    fn delete(&mut self, id: &str) -> tsudoi::Result<()> {
        self.write(format!("delete {id}"))
    }

    fn cards_of(&mut self, id: &str) -> tsudoi::Result<Vec<LinkedCard>> {
        self.calls.push(format!("cards_of {id}"));
        Ok(self.cards.clone())
    }

    fn unlink_card(&mut self, id: &str, link: &str) -> tsudoi::Result<()> {
        self.write(format!("unlink {id} {link}"))?;
        self.cards.retain(|c| c.id != link);
        Ok(())
    }

    fn replace_card(&mut self, id: &str, link: &str, _new: &CardId) -> tsudoi::Result<()> {
        self.write(format!("replace {id} {link}"))?;
        self.cards.retain(|c| c.id != link);
        self.cards.push(linked("new", 20));
        Ok(())
    }

    fn link_card(&mut self, id: &str, _card: &CardId) -> tsudoi::Result<()> {
        self.write(format!("link {id}"))?;
        self.cards.push(linked("added", 21));
        Ok(())
    }
}

/// The flow with `id`'s record open, as after 「さがす」 and a hit.
fn open(id: &str) -> RecordFlow {
    RecordFlow {
        record: Some(OpenRecord {
            id: id.into(),
            name: Zeroizing::new("試験 花子".into()),
            kana: Zeroizing::new("シケン ハナコ".into()),
            ..OpenRecord::default()
        }),
        hits: vec![
            Hit {
                id: id.into(),
                label: Zeroizing::new("シケン ハナコ（1950年生まれ）".into()),
            },
            Hit {
                id: "other".into(),
                label: Zeroizing::new("シケン タロウ（1948年生まれ）".into()),
            },
        ],
        searched: true,
        ..RecordFlow::default()
    }
}

#[test]
fn results_keep_the_stores_order_show_the_birth_year_and_stop_at_the_limit() {
    let mut store = Fake {
        people: (0..SEARCH_LIMIT + 10)
            .map(|i| person(i, "スズキ", (i != 1).then_some(1940 + i as i32)))
            .collect(),
        ..Fake::default()
    };
    let mut flow = RecordFlow {
        query: Zeroizing::new("スズキ".into()),
        ..RecordFlow::default()
    };
    flow.run_search(&mut store);
    assert!(flow.searched);
    assert_eq!(
        flow.hits.len(),
        SEARCH_LIMIT,
        "at most {SEARCH_LIMIT} shown"
    );
    let ids: Vec<&str> = flow.hits.iter().map(|h| h.id.as_str()).collect();
    let expected: Vec<String> = (0..SEARCH_LIMIT).map(|i| format!("p{i:02}")).collect();
    assert_eq!(ids, expected, "the store's order is kept");
    assert_eq!(flow.hits[0].label.as_str(), "スズキ（1940年生まれ）");
    assert_eq!(
        flow.hits[1].label.as_str(),
        "スズキ（生年月日の登録なし）",
        "a roster member without a birth date says so"
    );
    assert_eq!(flow.message, "");
}

#[test]
fn a_search_that_finds_nobody_says_so() {
    let mut store = Fake::default();
    let mut flow = RecordFlow {
        query: Zeroizing::new("ワタナベ".into()),
        ..RecordFlow::default()
    };
    flow.run_search(&mut store);
    assert!(flow.hits.is_empty());
    assert_eq!(flow.message, w::NOT_FOUND);
}

#[test]
fn a_phone_number_that_cannot_be_one_is_refused_before_the_store_is_asked() {
    let mut store = Fake::default();
    let mut flow = RecordFlow {
        by_phone: true,
        query: Zeroizing::new("12".into()),
        ..RecordFlow::default()
    };
    flow.run_search(&mut store);
    assert!(!flow.searched);
    assert!(!flow.message.is_empty());
    assert!(store.calls.is_empty(), "no search reached the store");
}

#[test]
fn a_phone_correction_reaches_the_store_for_the_open_record_and_says_so() {
    let mut store = Fake::default();
    let mut flow = open("p07");
    let phone = PhoneNumber::parse("03-1234-5678").unwrap();
    assert!(flow.save(&mut store, vec![Correction::Phone(phone)]));
    assert_eq!(store.calls, ["correct p07 phone 03-1234-5678"]);
    assert_eq!(flow.message, "訂正しました。");
}

#[test]
fn a_refused_correction_stops_at_the_refusal_and_shows_its_reason() {
    let mut store = Fake {
        refuse: Some("この方の記録は直せません。".into()),
        ..Fake::default()
    };
    let mut flow = open("p07");
    let saved = flow.save(
        &mut store,
        vec![
            Correction::Name("試験 花".into()),
            Correction::Kana("シケン ハナ".into()),
        ],
    );
    assert!(!saved);
    assert!(store.calls.is_empty(), "the second change was not sent");
    assert!(flow.message.contains("直せません"), "{}", flow.message);
}

#[test]
fn the_furigana_alone_or_nothing_changed() {
    let mut entry = NameEntry::with_kana("シケン ハナコ");
    assert_eq!(
        name_corrections(&entry, "シケン ハナコ").err().as_deref(),
        Some(w::NOTHING_CHANGED)
    );
    entry.key("⌫");
    match name_corrections(&entry, "シケン ハナコ").as_deref() {
        Ok([Correction::Kana(k)]) => assert_eq!(k, "シケン ハナ"),
        _ => panic!("only the furigana is corrected"),
    }
}

#[test]
fn deletion_asks_first_and_then_removes_the_record_and_its_hit() {
    let mut store = Fake::default();
    let mut flow = open("p07");
    assert!(
        !flow.confirm_delete(&mut store),
        "nothing without the question"
    );
    assert!(store.calls.is_empty());
    assert!(flow.record.is_some());

    flow.ask_delete();
    flow.keep();
    assert!(
        !flow.confirm_delete(&mut store),
        "「やめる」 takes the question back"
    );
    assert!(store.calls.is_empty());

    flow.ask_delete();
    assert!(flow.confirm_delete(&mut store));
    assert_eq!(store.calls, ["delete p07"]);
    assert!(flow.record.is_none(), "the record left the screen");
    let left: Vec<&str> = flow.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(left, ["other"], "and the results");
    assert_eq!(flow.message, "記録を消しました。");
    assert!(!flow.confirm_delete(&mut store), "asked once, deleted once");
}

#[test]
fn a_replaced_card_is_swapped_on_the_next_tap_and_the_list_shows_the_new_one() {
    let mut store = Fake {
        cards: vec![linked("old", 2)],
        ..Fake::default()
    };
    let mut flow = open("p07");
    assert!(flow.load_cards(&mut store));
    assert_eq!(flow.cards[0].label, "カード 1：2026年6月2日 kanri01 が登録");

    flow.wait_for_card(CardWait::Replace("old".into()));
    assert_eq!(flow.message, w::TOUCH_NEW_CARD);
    assert_eq!(flow.card_tap(&mut store, card("04a1b2c3")), Signal::Success);
    assert!(store.calls.contains(&"replace p07 old".to_owned()));
    assert_eq!(flow.card_wait, None, "no longer waiting");
    assert_eq!(flow.message, w::REPLACED);
    let ids: Vec<&str> = flow.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["new"]);
}

#[test]
fn a_refused_card_keeps_the_screen_waiting_for_another() {
    let mut store = Fake {
        cards: vec![linked("old", 2)],
        refuse: Some("このカードはすでに別の方に登録されています。".into()),
        ..Fake::default()
    };
    let mut flow = open("p07");
    flow.wait_for_card(CardWait::Add);
    assert_eq!(flow.card_tap(&mut store, card("04a1b2c3")), Signal::Error);
    assert_eq!(flow.card_wait, Some(CardWait::Add));
    assert!(
        flow.message.contains("別のカードをタッチするか"),
        "{}",
        flow.message
    );
    // A tap nobody asked for does nothing.
    let mut idle = open("p07");
    assert_eq!(
        idle.card_tap(&mut store, card("04a1b2c3")),
        Signal::Attention
    );
}

#[test]
fn unlinking_a_card_says_it_no_longer_checks_in() {
    let mut store = Fake {
        cards: vec![linked("old", 2), linked("spare", 3)],
        ..Fake::default()
    };
    let mut flow = open("p07");
    flow.load_cards(&mut store);
    flow.unlink_card(&mut store, "old");
    assert_eq!(flow.message, w::UNLINKED);
    let ids: Vec<&str> = flow.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["spare"]);
}

#[test]
fn the_delete_question_names_the_person() {
    assert_eq!(
        w::delete_question("試験 花子"),
        "試験 花子 さんの記録を消しますか"
    );
}
