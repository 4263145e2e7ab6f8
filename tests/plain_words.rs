//! Plain words on the resident screens (issue 18): every sentence a resident
//! reads at the kiosk uses only kanji taught in the first four years of
//! elementary school (教育漢字, grades 1–4), harder words are written in
//! kana; a sentence is at most [`MAX_SENTENCE`] characters; no 「」.
//!
//! The grades come from Debian's `kanjidic` (KANJIDIC, EDRDG, CC BY-SA;
//! the `G1`…`G4` fields, 2020 course of study: 642 kanji), read here
//! through `iconv` from `/usr/share/edict/kanjidic` (`scripts/install-deps.sh`
//! installs it). The strings are taken from the wording modules themselves:
//! the `WORDS` tables through their `Debug` output (a new field is checked
//! without touching this file), the `&str` constants from the source, and
//! every public function called for every variant of its outcome types
//! (the `variant` matches have no wildcard: a new variant does not compile
//! until it has a sample here). A public item this file does not know fails
//! [`every_public_wording_item_is_checked`]. Class and session titles,
//! names and the site's name are data typed by staff, not wording: the
//! samples use kana titles. The word list with the grades of the kanji kept
//! is docs/dev/plain-words.md; [`the_word_list_has_the_right_grades`]
//! checks its grade column against KANJIDIC too.

use std::collections::BTreeMap;
use std::process::Command;

use chrono::NaiveDate;
use tsudoi::kiosk::flows::checkin::{self, wording as cw};
use tsudoi::kiosk::flows::classes::{self, wording as lw};
use tsudoi::store::lottery::{ApplicationStatus, ClassResult};
use tsudoi_hw::CardIdError;
use zeroize::Zeroizing;

/// The highest 教育漢字 grade allowed without furigana.
const MAX_GRADE: u8 = 4;
/// The longest sentence, in characters (up to 。, ！, ？ or a line break).
/// The result message at 800×480 holds about 30 characters a line.
const MAX_SENTENCE: usize = 30;
const KANJIDIC: &str = "/usr/share/edict/kanjidic";

/// Staff-facing items of the two modules: the staff button and sign-in on
/// the waiting screen, the 準備中 screen's hint (it asks staff to sign in)
/// and its 研修モード button, the desk's application and the class day's
/// attendance sheet. The purpose statement (`PURPOSE`) is the text
/// residents agree to at registration, versioned with each consent: it is
/// left as agreed with the ward (see docs/dev/plain-words.md).
const NOT_FOR_RESIDENTS: &[&str] = &[
    "checkin::WORDS.staff",
    "checkin::WORDS.sign_in",
    "checkin::WORDS.locked_hint",
    "checkin::WORDS.training",
    "checkin::PURPOSE",
    "classes::WORDS.sheet_summary",
    "classes::WORDS.sheet_empty",
    "classes::WORDS.sheet_prev",
    "classes::WORDS.sheet_prev_label",
    "classes::WORDS.sheet_next",
    "classes::WORDS.sheet_next_label",
    "classes::staff_applied",
    "classes::STAFF_NO_TOWN",
    "classes::sheet_header",
    "classes::sheet_summary",
    "classes::sheet_who",
    "classes::sheet_marks",
];

/// The public functions and non-literal constants checked below.
const CALLED: &[&str] = &[
    "checkin::WORDS",
    "checkin::waiting_prompt",
    "checkin::reader_banner",
    "checkin::page_note",
    "checkin::choice_label",
    "checkin::choose_notice",
    "checkin::result",
    "classes::WORDS",
    "classes::class_text",
    "classes::list_prompt",
    "classes::result_label",
    "classes::result_message",
    "classes::outcome",
    "classes::refusal",
    "checkin::page_note_large",
    "checkin::large_button",
    "checkin::choose_notice_large",
    "checkin::result_large",
    "classes::LARGE_WORDS",
    "classes::class_button_large",
    "classes::list_prompt_large",
    "classes::result_label_large",
    "classes::result_message_large",
    "classes::outcome_large",
];

const MODULES: &[(&str, &str)] = &[
    ("checkin", "src/kiosk/flows/checkin/wording.rs"),
    ("classes", "src/kiosk/flows/classes/wording.rs"),
];

/// A class or session title as staff might type it, in kana (data).
const TITLE: &str = "たいそう";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

/// KANJIDIC's school grade of each kanji (1–6 教育漢字, 8 other 常用,
/// 9–10 人名用); kanji without a grade are absent.
fn grades() -> BTreeMap<char, u8> {
    let out = Command::new("iconv")
        .args(["-f", "EUC-JP", "-t", "UTF-8", KANJIDIC])
        .output()
        .expect("iconv runs");
    assert!(
        out.status.success(),
        "{KANJIDIC} is needed (apt-get install kanjidic): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 from iconv");
    let mut grades = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split(' ');
        let Some(kanji) = fields.next().and_then(|k| k.chars().next()) else {
            continue;
        };
        if let Some(g) = fields.find_map(|f| f.strip_prefix('G')?.parse::<u8>().ok()) {
            grades.insert(kanji, g);
        }
    }
    let allowed = grades.values().filter(|g| **g <= MAX_GRADE).count();
    assert_eq!(allowed, 642, "grades 1–4 of the 2020 course of study");
    grades
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3ffff}')
}

/// The `name: "value"` pairs of a `Debug`-printed struct of strings.
fn debug_fields(debug: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = debug;
    while let Some(q) = rest.find(": \"") {
        let name = rest[..q]
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut value = String::new();
        let mut chars = rest[q + 3..].char_indices();
        let mut end = rest.len() - q - 3;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, e)) => value.push(e),
                    None => {}
                },
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        out.push((name, value));
        rest = &rest[q + 3 + end..];
    }
    out
}

/// `pub const NAME: &str = "…";` in a source file: (name, Some(literal)),
/// or (name, None) when the value is not a literal; `pub fn` names with None.
fn public_items(source: &str) -> Vec<(String, Option<String>)> {
    let mut items = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("pub fn ") {
            let name = rest.split(['(', '<']).next().unwrap_or_default();
            items.push((name.to_owned(), None));
        } else if let Some(rest) = line.strip_prefix("pub const ") {
            let name = rest.split(':').next().unwrap_or_default().to_owned();
            let value = source
                .lines()
                .skip(i)
                .collect::<Vec<_>>()
                .join("\n")
                .split_once('=')
                .map(|(_, v)| v.trim_start().to_owned())
                .filter(|v| rest.contains("&str") && v.starts_with('"'))
                .and_then(|v| v[1..].split_once("\";").map(|(lit, _)| lit.to_owned()));
            items.push((name, value));
        }
    }
    items
}

fn checkin_variant(o: &checkin::Outcome) -> usize {
    use checkin::Outcome as O;
    match o {
        O::CheckedIn { .. } => 0,
        O::AlreadyCheckedIn { .. } => 1,
        O::UnknownCard => 2,
        O::ReverificationDue => 3,
        O::NotEligible { .. } => 4,
        O::SessionFull => 5,
        O::NoSession => 6,
        O::CardError(CardIdError::Empty) => 7,
        O::CardError(CardIdError::TooLong) => 8,
        O::CardError(CardIdError::RandomIdentifier) => 9,
        O::Fault => 10,
        O::ClockUnconfirmed => 11,
        O::NoSeat { .. } => 12,
    }
}
const CHECKIN_VARIANTS: usize = 13;

fn checkin_outcomes() -> Vec<checkin::Outcome> {
    use checkin::Outcome as O;
    let kana = || Zeroizing::new("スズキ ハナコ".to_owned());
    vec![
        O::CheckedIn {
            kana: kana(),
            session_title: TITLE.into(),
        },
        O::AlreadyCheckedIn {
            kana: kana(),
            session_title: TITLE.into(),
        },
        O::UnknownCard,
        O::ReverificationDue,
        O::NotEligible {
            reaches_age_on: d(2027, 1, 9),
        },
        O::SessionFull,
        O::NoSession,
        O::CardError(CardIdError::Empty),
        O::CardError(CardIdError::TooLong),
        O::CardError(CardIdError::RandomIdentifier),
        O::Fault,
        O::ClockUnconfirmed,
        O::NoSeat {
            class_title: TITLE.into(),
            waiting_rank: Some(12),
        },
        O::NoSeat {
            class_title: TITLE.into(),
            waiting_rank: None,
        },
    ]
}

fn classes_variant(o: &classes::Outcome) -> usize {
    use classes::Outcome as O;
    match o {
        O::Applied { .. } => 0,
        O::NeedsAddress => 1,
        O::Duplicate { .. } => 2,
        O::NotEligible {
            reaches_age_on: Some(_),
            ..
        } => 3,
        O::NotEligible {
            reaches_age_on: None,
            ..
        } => 4,
        O::Closed => 5,
        O::OtherClass { .. } => 6,
    }
}
const CLASSES_VARIANTS: usize = 7;

fn classes_outcomes() -> Vec<classes::Outcome> {
    use classes::Outcome as O;
    vec![
        O::Applied {
            entry_number: 12,
            draw_on: d(2026, 11, 20),
            starts_on: Some(d(2026, 12, 3)),
        },
        O::NeedsAddress,
        O::Duplicate { entry_number: 12 },
        O::NotEligible {
            session_date: d(2026, 12, 3),
            reaches_age_on: Some(d(2027, 1, 9)),
        },
        O::NotEligible {
            session_date: d(2026, 12, 3),
            reaches_age_on: None,
        },
        O::Closed,
        O::OtherClass {
            other_title: TITLE.into(),
        },
    ]
}

fn status_variant(s: ApplicationStatus) -> usize {
    use ApplicationStatus as S;
    match s {
        S::Applied => 0,
        S::Withdrawn => 1,
        S::Won => 2,
        S::Waiting => 3,
        S::NotSelected => 4,
        S::Cancelled => 5,
        S::MovedUp => 6,
    }
}
const STATUSES: [ApplicationStatus; 7] = [
    ApplicationStatus::Applied,
    ApplicationStatus::Withdrawn,
    ApplicationStatus::Won,
    ApplicationStatus::Waiting,
    ApplicationStatus::NotSelected,
    ApplicationStatus::Cancelled,
    ApplicationStatus::MovedUp,
];

/// Every resident-facing string of the two flows, named by where it comes
/// from.
fn resident_strings() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: String, s: String| {
        if !NOT_FOR_RESIDENTS.contains(&name.as_str()) && !s.is_empty() {
            out.push((name, s));
        }
    };
    for (field, value) in debug_fields(&format!("{:?}", cw::WORDS)) {
        add(format!("checkin::WORDS.{field}"), value);
    }
    for (field, value) in debug_fields(&format!("{:?}", lw::WORDS)) {
        add(format!("classes::WORDS.{field}"), value);
    }
    for (module, path) in MODULES {
        let source = std::fs::read_to_string(path).expect("wording source");
        for (name, literal) in public_items(&source) {
            if let Some(literal) = literal {
                add(format!("{module}::{name}"), literal);
            }
        }
    }
    for connected in [true, false] {
        add(
            format!("checkin::waiting_prompt({connected})"),
            cw::waiting_prompt(connected).into(),
        );
    }
    add("checkin::reader_banner()".into(), cw::reader_banner());
    add("checkin::page_note(1/2)".into(), cw::page_note("1/2"));
    add(
        "checkin::page_note_large(1/2)".into(),
        cw::page_note_large("1/2"),
    );
    for layout in [
        checkin::ResidentLayout::Normal,
        checkin::ResidentLayout::Large,
    ] {
        add(
            format!("checkin::large_button({layout:?})"),
            cw::large_button(layout).into(),
        );
    }
    add(
        "checkin::choose_notice_large".into(),
        cw::choose_notice_large(TITLE),
    );
    for (field, value) in debug_fields(&format!("{:?}", lw::LARGE_WORDS)) {
        add(format!("classes::LARGE_WORDS.{field}"), value);
    }
    add(
        "checkin::choice_label".into(),
        cw::choice_label(TITLE, "10:00〜11:30"),
    );
    for rank in [Some(12), None] {
        add(
            format!("checkin::choose_notice({rank:?})"),
            cw::choose_notice(TITLE, rank),
        );
    }
    let outcomes = checkin_outcomes();
    let mut seen = [false; CHECKIN_VARIANTS];
    for o in &outcomes {
        seen[checkin_variant(o)] = true;
        let t = cw::result(o);
        add(
            format!("checkin::result({o:?}).headline"),
            t.headline.into(),
        );
        add(format!("checkin::result({o:?}).message"), t.message);
        let t = cw::result_large(o);
        add(
            format!("checkin::result_large({o:?}).headline"),
            t.headline.into(),
        );
        add(format!("checkin::result_large({o:?}).message"), t.message);
    }
    assert!(
        seen.iter().all(|s| *s),
        "a sample of every check-in outcome"
    );

    let row = classes::ClassRow {
        id: "c1".into(),
        title: TITLE.into(),
        session_dates: vec![d(2026, 12, 3), d(2026, 12, 10)],
        capacity: 20,
        apply_until: d(2026, 11, 15),
        draw_on: d(2026, 11, 20),
    };
    add("classes::class_text".into(), lw::class_text(&row).button);
    for line in lw::class_button_large(&row).lines().skip(1) {
        // The first line is the class's title (data, typed by staff).
        add("classes::class_button_large".into(), line.to_owned());
    }
    for has in [true, false] {
        add(
            format!("classes::list_prompt({has})"),
            lw::list_prompt(has).into(),
        );
        add(
            format!("classes::list_prompt_large({has})"),
            lw::list_prompt_large(has).into(),
        );
    }
    for status in STATUSES {
        let _ = status_variant(status);
        for starts_on in [Some(d(2026, 12, 3)), None] {
            let r = ClassResult {
                class_id: "c1".into(),
                title: TITLE.into(),
                starts_on,
                draw_on: d(2026, 11, 20),
                entry_number: 12,
                status,
                waiting_rank: (status == ApplicationStatus::Waiting).then_some(3),
            };
            add(
                format!("classes::result_label({status:?})"),
                lw::result_label(&r),
            );
            add(
                format!("classes::result_message({status:?}, {starts_on:?})"),
                lw::result_message(&r),
            );
            add(
                format!("classes::result_label_large({status:?})"),
                lw::result_label_large(&r),
            );
            add(
                format!("classes::result_message_large({status:?}, {starts_on:?})"),
                lw::result_message_large(&r),
            );
        }
    }
    let outcomes = classes_outcomes();
    let mut seen = [false; CLASSES_VARIANTS];
    for o in &outcomes {
        seen[classes_variant(o)] = true;
        let t = lw::outcome(TITLE, o);
        add(format!("classes::outcome({o:?}).headline"), t.headline);
        add(format!("classes::outcome({o:?}).entry"), t.entry);
        add(format!("classes::outcome({o:?}).message"), t.message);
        add(format!("classes::refusal({o:?})"), lw::refusal(o));
        let t = lw::outcome_large(TITLE, o);
        add(
            format!("classes::outcome_large({o:?}).headline"),
            t.headline,
        );
        add(format!("classes::outcome_large({o:?}).entry"), t.entry);
        add(format!("classes::outcome_large({o:?}).message"), t.message);
    }
    assert!(seen.iter().all(|s| *s), "a sample of every class outcome");
    out
}

#[test]
fn every_public_wording_item_is_checked() {
    let mut unknown = Vec::new();
    for (module, path) in MODULES {
        let source = std::fs::read_to_string(path).expect("wording source");
        for (name, literal) in public_items(&source) {
            let key = format!("{module}::{name}");
            let known = literal.is_some()
                || CALLED.contains(&key.as_str())
                || NOT_FOR_RESIDENTS.contains(&key.as_str());
            if !known {
                unknown.push(key);
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "new wording, not yet checked for plain words: {unknown:?}. Call it in \
         tests/plain_words.rs resident_strings(), or list it in NOT_FOR_RESIDENTS \
         if no resident sees it"
    );
}

#[test]
fn resident_screens_use_only_kanji_of_grades_1_to_4() {
    let grades = grades();
    let strings = resident_strings();
    assert!(strings.len() > 60, "{} strings", strings.len());
    let mut bad = Vec::new();
    for (name, s) in &strings {
        for c in s.chars().filter(|c| is_kanji(*c)) {
            match grades.get(&c) {
                Some(g) if *g <= MAX_GRADE => {}
                g => bad.push(format!(
                    "{name}: {c} ({}) in 「{s}」",
                    g.map_or("no grade".to_owned(), |g| format!("G{g}"))
                )),
            }
        }
    }
    assert!(
        bad.is_empty(),
        "kanji above grade {MAX_GRADE} on resident screens (write the word in kana; \
         docs/dev/plain-words.md):\n{}",
        bad.join("\n")
    );
}

#[test]
fn resident_sentences_are_short_and_without_brackets() {
    let mut bad = Vec::new();
    for (name, s) in resident_strings() {
        if s.contains(['「', '」', '『', '』']) {
            bad.push(format!("{name}: 「」 in {s}"));
        }
        for sentence in s.split(['。', '！', '？', '\n']) {
            let n = sentence.chars().count();
            if n > MAX_SENTENCE {
                bad.push(format!("{name}: {n} characters: {sentence}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_hard_kanji_is_caught() {
    // The check itself: 抽選 (抽 is not a 教育漢字) is refused, ちゅうせん is not.
    let grades = grades();
    let hard = |s: &str| {
        s.chars()
            .filter(|c| is_kanji(*c))
            .any(|c| grades.get(&c).is_none_or(|g| *g > MAX_GRADE))
    };
    assert!(hard("抽選の結果"));
    assert!(!hard("ちゅうせんの結果"));
    assert!(hard("受付は済んでいます"), "済 is grade 6");
    assert!(!hard("今日の受付は、もうすんでいます。"));
}

#[test]
fn the_word_list_has_the_right_grades() {
    // docs/dev/plain-words.md: | word | written as | kanji and grades | ,
    // the grades as `抽 G8` pairs.
    let grades = grades();
    let doc = std::fs::read_to_string("docs/dev/plain-words.md").expect("the word list");
    let mut rows = 0;
    for line in doc
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" G"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (word, written, kanji) = (cells[1], cells[2], cells[3]);
        let listed: Vec<(char, u8)> = kanji
            .split('・')
            .filter_map(|p| {
                let (c, g) = p.trim().split_once(" G")?;
                Some((c.chars().next()?, g.parse().ok()?))
            })
            .collect();
        let in_word: Vec<char> = word.chars().filter(|c| is_kanji(*c)).collect();
        assert_eq!(
            listed.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            in_word,
            "{word}: every kanji of the word, in order"
        );
        for (c, g) in &listed {
            assert_eq!(grades.get(c), Some(g), "{word}: the grade of {c}");
        }
        for c in written.chars().filter(|c| is_kanji(*c)) {
            assert!(
                grades.get(&c).is_some_and(|g| *g <= MAX_GRADE),
                "{word} → {written}: {c} kept"
            );
        }
        rows += 1;
    }
    assert!(rows >= 20, "{rows} words listed");
}
