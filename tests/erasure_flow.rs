//! 「契約終了の消去」: where the erasure starts, what it says, and the
//! recovery-key keyboard, over a fake store (no database, no Slint). The
//! erasure itself, the certificate on the stick and the erased kiosk are
//! tested through the screens on a real store in `kiosk_end_of_record.rs`.

use tsudoi::Error;
use tsudoi::kiosk::flows::erasure::{Erasure, ErasureStep, ErasureStore, RECOVERY_KEY_CHARS};

/// Answers as told.
struct Fake {
    report_due: Option<String>,
    report_fails: bool,
    roster_due: bool,
    plan: Option<Vec<(String, u64)>>,
}

impl Fake {
    /// Reported, roster returned, four kinds to erase.
    fn ready() -> Self {
        Self {
            report_due: None,
            report_fails: false,
            roster_due: false,
            plan: Some(vec![
                ("参加者の記録".into(), 41),
                ("受付の記録".into(), 380),
                ("スタッフのアカウント".into(), 3),
                ("監査ログ".into(), 912),
            ]),
        }
    }
}

impl ErasureStore for Fake {
    fn report_due(&self) -> tsudoi::Result<Option<String>> {
        if self.report_fails {
            return Err(Error::Refused("保存ファイルを読めません。".into()));
        }
        Ok(self.report_due.clone())
    }

    fn roster_due(&self) -> bool {
        self.roster_due
    }

    fn plan(&self) -> tsudoi::Result<Vec<(String, u64)>> {
        self.plan
            .clone()
            .ok_or_else(|| Error::Refused("鍵がありません。".into()))
    }
}

#[test]
fn the_counts_show_two_kinds_a_line_and_lead_to_the_recovery_key() {
    let mut e = Erasure::opening(&Fake::ready(), false);
    assert_eq!(e.step, ErasureStep::Plan);
    let lines = e.lines();
    assert!(lines[0].contains("元にはもどせません"), "{lines:?}");
    assert_eq!(lines[1], "参加者の記録：41件　受付の記録：380件");
    assert_eq!(lines[2], "スタッフのアカウント：3件　監査ログ：912件");
    assert!(e.can_go_on());
    e.next();
    assert_eq!(e.step, ErasureStep::Key);
    assert!(e.lines()[1].ends_with(&format!("0／{RECOVERY_KEY_CHARS}")));
}

#[test]
fn a_month_not_yet_reported_stops_the_erasure_before_any_count() {
    let mut fake = Fake::ready();
    fake.report_due = Some("2027-03".into());
    let mut e = Erasure::opening(&fake, false);
    assert_eq!(e.step, ErasureStep::ReportDue);
    assert!(!e.can_go_on() && e.counts.is_empty());
    let lines = e.lines().join("\n");
    assert!(lines.contains("2027年3月の受付の記録"), "{lines}");
    assert!(lines.contains("月次報告"), "{lines}");
    e.next();
    assert_eq!(e.step, ErasureStep::ReportDue, "no way past it");
}

#[test]
fn the_wards_roster_must_go_back_first_unless_none_was_provided() {
    let mut fake = Fake::ready();
    fake.roster_due = true;
    let e = Erasure::opening(&fake, false);
    assert_eq!(e.step, ErasureStep::ReportDue);
    assert!(e.roster_due);
    let lines = e.lines().join("\n");
    assert!(lines.contains("名簿を区に返す"), "{lines}");
    assert!(lines.contains("第11条"), "{lines}");
    // `[contract] roster_not_returned`: the ward never gave one.
    let e = Erasure::opening(&fake, true);
    assert_eq!(e.step, ErasureStep::Plan);
    assert!(e.can_go_on());
    // The month's report still comes first.
    fake.report_due = Some("2027-03".into());
    let e = Erasure::opening(&fake, false);
    assert!(!e.roster_due);
}

#[test]
fn a_store_that_cannot_count_says_why_and_offers_no_way_on() {
    let mut fake = Fake::ready();
    fake.plan = None;
    let mut e = Erasure::opening(&fake, false);
    assert!(
        e.message
            .starts_with("消去する件数を数えられませんでした。")
    );
    assert!(e.message.contains("鍵がありません"));
    assert!(!e.can_go_on());
    e.next();
    assert_eq!(e.step, ErasureStep::Plan);
    let mut fake = Fake::ready();
    fake.report_fails = true;
    let e = Erasure::opening(&fake, false);
    assert!(e.message.starts_with("月次報告を確かめられませんでした。"));
    assert!(!e.can_go_on());
}

#[test]
fn the_recovery_key_takes_only_base32_one_letter_at_a_time_up_to_its_length() {
    let mut e = Erasure::opening(&Fake::ready(), false);
    e.type_key("A");
    assert_eq!(e.key_len(), 0, "nothing is typed before the key step");
    e.next();
    for k in ["A", "Z", "2", "7"] {
        e.type_key(k);
    }
    assert_eq!(e.key_len(), 4);
    for k in ["a", "1", "8", "0", "-", "AB", "", "あ"] {
        e.type_key(k);
    }
    assert_eq!(
        e.key_len(),
        4,
        "lower case, 0, 1, 8, 9, hyphens and pairs are ignored"
    );
    e.backspace();
    assert_eq!(e.key_len(), 3);
    for _ in 0..RECOVERY_KEY_CHARS + 10 {
        e.type_key("Q");
    }
    assert_eq!(e.key_len(), RECOVERY_KEY_CHARS);
    assert!(
        !e.lines().join("").contains("QQ"),
        "the key itself is never on screen"
    );
    assert!(e.lines()[1].ends_with(&format!("{RECOVERY_KEY_CHARS}／{RECOVERY_KEY_CHARS}")));
}

#[test]
fn two_confirmations_then_the_stick() {
    let mut e = Erasure::opening(&Fake::ready(), false);
    e.step = ErasureStep::Confirm;
    assert!(e.lines().join("").contains("何もできなくなります"));
    e.next();
    assert_eq!(e.step, ErasureStep::ConfirmAgain);
    assert!(e.lines()[0].contains("本当に消去しますか"));
    e.next();
    assert_eq!(e.step, ErasureStep::Stick);
    assert!(e.lines()[0].contains("1本だけ差して"), "no stick found yet");
    e.next();
    assert_eq!(
        e.step,
        ErasureStep::Stick,
        "the erasure starts only from its own button"
    );
}
