//! 「新しい方の登録」: the wizard's decisions and words over a fake store (no
//! database, no Slint), and, through the real kiosk, that nothing typed
//! stays after 「やめる」 or the idle timeout. All data invented.

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use i_slint_backend_testing::{init_no_event_loop, mock_elapsed_time};
use slint::ComponentHandle;
use tsudoi::eligibility::{PostalCode, PostalTable};
use tsudoi::kiosk::flows::registration::adapter::{Names, Registration as Globals};
use tsudoi::kiosk::flows::registration::{
    Confirmation, DatePart, Notice, Outcome, Registration, RegistrationStore, Step, wording as w,
};
use tsudoi::kiosk::{KioskConfig, KioskController, KioskUi, Screen, Signal};
use tsudoi::store::participants::{DocumentKind, IdCheck, NewParticipant};
use tsudoi_hw::{CardId, Technology};

use common::ui::{press, sign_in};
use common::{MANAGER, NEW_PASSWORD, date, fixture_on};

/// Records every call; refuses what it is told to.
struct Fake {
    today: NaiveDate,
    postal: PostalTable,
    /// The furigana of each person registered.
    registered: Vec<String>,
    /// (person, card) linked.
    linked: Vec<(String, String)>,
    reverified: Vec<(String, IdCheck)>,
    /// The store refuses to register with this error.
    refuse: Option<tsudoi::Error>,
    /// This card is someone else's already.
    card_in_use: Option<String>,
}

impl Fake {
    fn new() -> Fake {
        Fake {
            today: date(2026, 11, 24),
            postal: PostalTable::shinjuku(),
            registered: Vec::new(),
            linked: Vec::new(),
            reverified: Vec::new(),
            refuse: None,
            card_in_use: None,
        }
    }
}

impl RegistrationStore for Fake {
    fn today(&self) -> NaiveDate {
        self.today
    }

    fn minimum_age(&self) -> u32 {
        60
    }

    fn town_of(&self, code: &PostalCode) -> Option<String> {
        self.postal
            .lookup(code)
            .map(|r| format!("新宿区{}", r.town.unwrap_or_default()))
    }

    fn register(&mut self, new: NewParticipant) -> tsudoi::Result<String> {
        if let Some(e) = self.refuse.take() {
            return Err(e);
        }
        self.registered.push(new.kana.to_string());
        Ok(format!("p{}", self.registered.len()))
    }

    fn link_card(&mut self, participant: &str, card: &CardId) -> tsudoi::Result<()> {
        let hex: String = card.uid().iter().map(|b| format!("{b:02X}")).collect();
        if self.card_in_use.as_deref() == Some(hex.as_str()) {
            return Err(tsudoi::Error::CardInUse);
        }
        self.linked.push((participant.to_owned(), hex));
        Ok(())
    }

    fn reverify(&mut self, participant: &str, check: IdCheck) -> tsudoi::Result<()> {
        self.reverified.push((participant.to_owned(), check));
        Ok(())
    }
}

fn card(hex: &str) -> Result<CardId, tsudoi_hw::CardIdError> {
    CardId::from_hex(Technology::Iso14443A, hex)
}

fn keys(r: &mut Registration, s: &Fake, keys: &str) {
    for k in keys.split("") {
        r.key(k, s);
    }
}

/// Document, then the furigana ヤマダ ハナ written in katakana as it is.
fn to_birth(r: &mut Registration, s: &mut Fake) {
    r.choose_document(1, s);
    for k in ["ヤ", "マ", "タ", "゛", "空白", "ハ", "ナ"] {
        r.key(k, s);
    }
    r.focus_kana(false, s);
    // The family name, then the given name, left in katakana.
    r.names_mut().choose_kana(true);
    r.names_mut().choose_kana(true);
    assert_eq!(r.names().name(), "ヤマダ ハナ");
    assert_eq!(r.next(s), Outcome::Stay);
}

/// Through the consent step with 昭和25年 (1950), in the ward, a phone.
fn to_consent(r: &mut Registration, s: &mut Fake) {
    to_birth(r, s);
    r.step_date(DatePart::Year, -5, s);
    assert_eq!(r.next(s), Outcome::Stay);
    keys(r, s, "1600022");
    assert_eq!(r.next(s), Outcome::Stay);
    keys(r, s, "0312345679");
    assert_eq!(r.next(s), Outcome::Stay);
    assert_eq!(r.step(), Step::Consent);
}

#[test]
fn the_steps_in_order_and_the_header_counts_them() {
    let mut s = Fake::new();
    let mut r = Registration::new(&s);
    let mut seen = vec![r.step()];
    assert_eq!(w::header(r.step(), false), "新しい方の登録（1/7）");
    r.choose_document(1, &s);
    assert_eq!(r.document(), DocumentKind::ALL[1]);
    seen.push(r.step());
    assert_eq!(
        w::header(Step::Name, false),
        "",
        "the name step needs the room"
    );
    r.wipe();
    to_consent(&mut r, &mut s);
    seen.extend([Step::Birth, Step::Postal, Step::Phone, Step::Consent]);
    assert_eq!(w::header(r.step(), false), "新しい方の登録（6/7）");
    assert_eq!(r.next(&mut s), Outcome::Stay);
    seen.push(r.step());
    assert_eq!(
        seen,
        [
            Step::Document,
            Step::Name,
            Step::Birth,
            Step::Postal,
            Step::Phone,
            Step::Consent,
            Step::Card
        ]
    );
    assert_eq!(s.registered, ["ヤマダ ハナ"]);
    assert_eq!(r.registered(), Some("p1"));
    assert_eq!(
        w::confirmation(r.confirmation()),
        "登録しました。ご本人のカードをリーダーにタッチしてください。"
    );

    let (outcome, signal) = r.card(card("04DEADBEEF0102"), &mut s);
    assert_eq!((outcome, signal), (Outcome::CardLinked, Signal::Success));
    assert_eq!(s.linked.len(), 1);
    assert_eq!(s.linked[0].0, "p1");
    assert!(r.is_blank(), "nothing of the person stays in the wizard");
}

#[test]
fn each_step_says_what_it_understood() {
    let mut s = Fake::new();
    let mut r = Registration::new(&s);
    to_birth(&mut r, &mut s);
    // 昭和22年2月3日 (1947-02-03): 79 on 2026-11-24.
    r.step_date(DatePart::Year, -8, &s);
    r.step_date(DatePart::Month, 1, &s);
    r.step_date(DatePart::Day, 2, &s);
    let shown = w::confirmation(r.confirmation());
    assert!(shown.starts_with("昭和22年2月3日"), "{shown}");
    assert!(shown.contains("79歳"), "{shown}");
    assert_eq!(w::notice(r.notice()), "参加できる年齢です。");
    assert!(!r.notice().is_problem());
    assert_eq!(r.next(&mut s), Outcome::Stay);
    keys(&mut r, &s, "1600022");
    assert_eq!(
        r.confirmation(),
        &Confirmation::Town("新宿区新宿".into()),
        "the ward and town of the code"
    );
    assert_eq!(r.next(&mut s), Outcome::Stay);
    keys(&mut r, &s, "0312345679");
    assert_eq!(w::confirmation(r.confirmation()), "03-1234-5679");
}

#[test]
fn next_is_refused_with_the_reason() {
    let mut s = Fake::new();
    let mut r = Registration::new(&s);
    r.choose_document(0, &s);
    // No written name yet.
    for k in ["ス", "ス", "゛", "キ"] {
        r.key(k, &s);
    }
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Name);
    assert_eq!(r.notice(), &Notice::Name(w::NAME_NOT_PICKED.into()));

    let mut r = Registration::new(&s);
    to_birth(&mut r, &mut s);
    // 令和30年: too young, said with the day from which they may come.
    r.choose_era(4, &s);
    assert!(matches!(
        r.notice(),
        Notice::TooYoung {
            minimum_age: 60,
            ..
        }
    ));
    let said = w::notice(r.notice());
    assert!(said.contains("60歳になる日"), "{said}");
    assert!(said.ends_with("今日は登録できません。"), "{said}");
    assert!(r.notice().is_problem(), "shown in red");
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Birth);
    // 昭和 again; 2月30日 does not exist.
    r.choose_era(2, &s);
    r.step_date(DatePart::Month, 1, &s);
    r.step_date(DatePart::Day, 29, &s);
    assert!(matches!(r.notice(), Notice::Invalid(_)));
    assert_eq!(w::confirmation(r.confirmation()), "昭和30年2月30日");
    assert_eq!(r.next(&mut s), Outcome::Stay);
    r.step_date(DatePart::Day, -5, &s);
    assert_eq!(r.next(&mut s), Outcome::Stay);

    // Outside the ward.
    keys(&mut r, &s, "1000001");
    assert_eq!(r.notice(), &Notice::OutsideWard);
    assert_eq!(
        w::notice(r.notice()),
        "区外の郵便番号です。区内にお住まいの方だけが登録できます。"
    );
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Postal);
    for _ in 0..7 {
        r.backspace(&s);
    }
    assert_eq!(
        r.notice(),
        &Notice::None,
        "nothing typed: nothing wrong yet"
    );
    keys(&mut r, &s, "1600022");
    assert_eq!(r.next(&mut s), Outcome::Stay);
    // A phone number too short.
    keys(&mut r, &s, "0312");
    assert!(matches!(r.notice(), Notice::Invalid(_)));
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Phone);
    assert!(s.registered.is_empty());
}

#[test]
fn the_store_refusing_keeps_the_wizard_on_consent() {
    let mut s = Fake::new();
    s.refuse = Some(tsudoi::Error::DuplicateParticipant {
        existing: "abcd".into(),
    });
    let mut r = Registration::new(&s);
    to_consent(&mut r, &mut s);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Consent);
    let said = w::notice(r.notice());
    assert!(said.contains("すでに登録されている可能性"), "{said}");
    assert!(r.notice().is_problem());
    assert!(s.registered.is_empty());
}

#[test]
fn a_card_already_linked_is_refused_and_another_one_taken() {
    let mut s = Fake::new();
    let mut r = Registration::new(&s);
    to_consent(&mut r, &mut s);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    let taken = card("04AAAAAAAA0001").unwrap();
    s.card_in_use = Some("04AAAAAAAA0001".into());
    let (outcome, signal) = r.card(Ok(taken), &mut s);
    assert_eq!((outcome, signal), (Outcome::Stay, Signal::Error));
    assert_eq!(r.step(), Step::Card);
    assert_eq!(
        w::notice(r.notice()),
        "このカードはすでに別の方に登録されています。"
    );
    assert!(r.notice().is_problem(), "shown in red, not as a success");
    // A phone's random identifier is refused too.
    let (outcome, signal) = r.card(Err(tsudoi_hw::CardIdError::RandomIdentifier), &mut s);
    assert_eq!((outcome, signal), (Outcome::Stay, Signal::Error));
    assert!(s.linked.is_empty());
    let (outcome, signal) = r.card(card("04BBBBBBBB0002"), &mut s);
    assert_eq!((outcome, signal), (Outcome::CardLinked, Signal::Success));
    assert_eq!(s.linked.len(), 1);
}

#[test]
fn leaving_wipes_the_half_entered_person() {
    let mut s = Fake::new();
    let mut r = Registration::new(&s);
    to_birth(&mut r, &mut s);
    r.step_date(DatePart::Year, -5, &s);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    keys(&mut r, &s, "1600022");
    assert_eq!(r.next(&mut s), Outcome::Stay);
    keys(&mut r, &s, "0312345679");
    assert!(!r.is_blank());
    // 「もどる」 step by step, then out from the document step.
    let mut back = Vec::new();
    loop {
        match r.back(&s) {
            Outcome::Stay => back.push(r.step()),
            outcome => {
                assert_eq!(outcome, Outcome::Left { record: None });
                break;
            }
        }
    }
    assert_eq!(
        back,
        [Step::Postal, Step::Birth, Step::Name, Step::Document]
    );
    assert!(
        r.is_blank(),
        "no furigana, name, birth date, postal or phone"
    );
    assert_eq!(r.names().kana.as_str(), "");
    assert_eq!(r.phone(), "");
    assert!(s.registered.is_empty());

    // 「カードなしで終える」 after registering: the person is kept in the
    // store, nothing in the wizard.
    let mut r = Registration::new(&s);
    to_consent(&mut r, &mut s);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.back(&s), Outcome::Left { record: None });
    assert!(r.is_blank());
    assert_eq!(s.registered.len(), 1);
    assert!(s.linked.is_empty());
}

#[test]
fn reverification_asks_document_birth_and_postal_only() {
    let mut s = Fake::new();
    let born = date(1950, 4, 1);
    let mut r = Registration::reverifying(
        &s,
        "p9".into(),
        Some(born),
        Some(zeroize::Zeroizing::new("1600022".into())),
    );
    assert_eq!(w::header(r.step(), true), "本人確認のやり直し");
    r.choose_document(3, &s);
    assert_eq!(r.step(), Step::Birth, "no name step");
    assert_eq!(
        r.confirmation(),
        &Confirmation::Birth {
            birth: born,
            age: Some(76)
        },
        "filled in from the record"
    );
    assert_eq!(r.back(&s), Outcome::Stay);
    assert_eq!(r.step(), Step::Document);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.next(&mut s), Outcome::Stay);
    assert_eq!(r.step(), Step::Postal);
    assert_eq!(
        r.next(&mut s),
        Outcome::Reverified {
            record: "p9".into()
        }
    );
    assert_eq!(s.reverified.len(), 1);
    assert_eq!(s.reverified[0].0, "p9");
    assert_eq!(s.reverified[0].1.birth_date, born);
    assert_eq!(s.reverified[0].1.document, DocumentKind::ALL[3]);
    assert!(r.is_blank());
    assert!(s.registered.is_empty());

    // Leaving returns to the record.
    let mut r = Registration::reverifying(&s, "p9".into(), Some(born), None);
    assert_eq!(
        r.back(&s),
        Outcome::Left {
            record: Some("p9".into())
        }
    );
    assert!(r.is_blank());
}

// ---- through the real kiosk ----

fn kiosk() -> (KioskUi, tempfile::TempDir) {
    init_no_event_loop();
    let f = fixture_on(date(2026, 11, 24));
    let mut store = f.store;
    store.sign_out(&f.manager).unwrap();
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).unwrap();
    ui.window().show().unwrap();
    mock_elapsed_time(Duration::ZERO);
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
    (ui, f.dir)
}

/// Types a furigana and a postal code, then leaves with `leave`; nothing
/// typed stays in the controller or the window.
fn typed_then(leave: impl Fn(&KioskUi)) -> (KioskUi, tempfile::TempDir) {
    let (ui, dir) = kiosk();
    press(&ui, "新しい方の登録");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffRegister));
    press(&ui, "健康保険証");
    for k in ["ミ", "ホ", "ン", "空白", "ハ", "ナ"] {
        press(&ui, k);
    }
    let names = ui.window().global::<Names>();
    assert_eq!(names.get_kana(), "ミホン ハナ");
    ui.with_controller(|c| {
        c.name_focus_kana(false);
        c.name_kana(true);
        c.name_kana(true);
        c.submit();
        c.submit();
    });
    for d in "160002".chars() {
        press(&ui, &d.to_string());
    }
    let g = ui.window().global::<Globals>();
    assert_eq!(g.get_entry_text(), "160002");
    leave(&ui);
    ui.with_controller(|c| assert!(c.registration().is_none(), "the wizard is gone"));
    assert_eq!(g.get_entry_text(), "");
    assert_eq!(g.get_entry_line(), "");
    assert_eq!(g.get_confirmation(), "");
    assert_eq!(names.get_kana(), "");
    assert_eq!(names.get_written(), "");
    (ui, dir)
}

#[test]
fn cancel_at_the_kiosk_leaves_nothing_typed() {
    let (ui, _dir) = typed_then(|ui| {
        ui.with_controller(|c| {
            for _ in 0..4 {
                c.cancel();
            }
        });
    });
    assert_eq!(ui.ui_screen(), Some(Screen::StaffToday));
}

#[test]
fn the_idle_timeout_leaves_nothing_typed() {
    let (ui, _dir) = typed_then(|ui| ui.with_controller(|c| c.on_timeout()));
    let shown = ui.ui_screen();
    assert!(shown.is_some_and(|s| !s.is_staff()), "{shown:?}");
}
