//! 「事故・点検」: recording an incident step by step, with no database and
//! no Slint (the form is the flow's state; the store only records it, see
//! `kiosk_oversight.rs` for that through the screens). Dates invented.

use chrono::NaiveDate;
use tsudoi::kiosk::flows::oversight::{IncidentForm, IncidentStep};
use tsudoi::store::incidents::{IncidentKind, MAX_PEOPLE, Measure};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A form on the dates step, today 2027-01-05 (a Tuesday).
fn on_details() -> IncidentForm {
    let mut f = IncidentForm::new(day(2027, 1, 5));
    f.choose_kind(0);
    assert_eq!(f.step, IncidentStep::Details);
    f
}

#[test]
fn choosing_a_kind_goes_on_to_the_dates_which_start_today() {
    let mut f = IncidentForm::new(day(2027, 1, 5));
    assert_eq!(f.step_title(), "何がありましたか（1/4）");
    f.choose_kind(99);
    assert_eq!(f.step, IncidentStep::Kind, "no such kind: nothing happens");
    f.choose_kind(1);
    assert_eq!(f.kind, Some(IncidentKind::ALL[1]));
    assert_eq!(f.step_title(), "いつ・何人に（2/4）");
    assert!(
        f.occurred_label().starts_with("今日 "),
        "{}",
        f.occurred_label()
    );
    assert!(f.found_label().starts_with("今日 "));
    assert_eq!(f.people_label(), "0人（いない・まだわからない）");
}

#[test]
fn no_day_passes_today_and_it_happened_before_it_was_noticed() {
    let mut f = on_details();
    f.step_day(true, 1);
    assert_eq!(f.found_on, day(2027, 1, 5), "never after today");
    f.step_day(false, 3);
    assert_eq!(
        f.occurred_on,
        day(2027, 1, 5),
        "never after the day noticed"
    );
    f.step_day(false, -1);
    assert!(f.occurred_label().starts_with("昨日 "));
    // Moving the day noticed before the day it happened takes that along.
    f.step_day(true, -10);
    assert_eq!(f.found_on, day(2026, 12, 26));
    assert_eq!(f.occurred_on, day(2026, 12, 26));
    assert!(
        f.found_label().starts_with("2026年"),
        "another year is named: {}",
        f.found_label()
    );
    // At most a year back.
    f.step_day(true, -1000);
    f.step_day(false, -1000);
    assert_eq!(f.found_on, day(2026, 1, 5));
    assert_eq!(f.occurred_on, day(2026, 1, 5));
}

#[test]
fn the_number_of_residents_stays_between_none_and_the_stores_limit() {
    let mut f = on_details();
    f.add_people(-1);
    assert_eq!(f.people, 0);
    f.add_people(3);
    assert_eq!(f.people_label(), "3人");
    f.add_people(i32::MAX);
    assert_eq!(f.people, MAX_PEOPLE);
}

#[test]
fn measures_toggle_in_the_lists_order_and_the_summary_says_everything_but_names() {
    let mut f = on_details();
    f.add_people(2);
    f.toggle_measure(0);
    assert!(
        f.measures.is_empty(),
        "measures are chosen on their own step"
    );
    f.next();
    assert_eq!(f.step, IncidentStep::Measures);
    f.toggle_measure(3);
    f.toggle_measure(1);
    f.toggle_measure(3);
    f.toggle_measure(2);
    assert_eq!(f.measures, vec![Measure::ALL[1], Measure::ALL[2]]);
    f.next();
    assert_eq!(f.step, IncidentStep::Confirm);
    let lines = f.summary();
    assert_eq!(lines[0], format!("種類：{}", IncidentKind::ALL[0].label()));
    assert!(
        lines.contains(&"影響を受けた参加者：2人".to_owned()),
        "{lines:?}"
    );
    assert!(lines.contains(&format!(
        "したこと：{}、{}",
        Measure::ALL[1].label(),
        Measure::ALL[2].label()
    )));
    assert!(lines.last().unwrap().contains("氏名などは記録しません"));
    // Once recorded: the number first, and who sends the report.
    f.recorded = Some("I-2027-001".into());
    f.step = IncidentStep::Done;
    let lines = f.summary();
    assert_eq!(lines[0], "事故の番号：I-2027-001");
    assert!(lines.last().unwrap().contains("取扱責任者"));
}

#[test]
fn back_goes_one_step_and_closes_the_form_from_the_first() {
    let mut f = on_details();
    f.next();
    f.next();
    assert_eq!(f.step, IncidentStep::Confirm);
    assert!(f.back());
    assert_eq!(f.step, IncidentStep::Measures);
    assert!(f.back());
    assert!(f.back());
    assert_eq!(f.step, IncidentStep::Kind);
    assert!(!f.back(), "from the first step the form closes");
    f.step = IncidentStep::Done;
    assert!(!f.back(), "and from the result");
}
