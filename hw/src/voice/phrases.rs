//! Everything the kiosk can say aloud, in one place.
//!
//! Each resident-facing result or prompt is a [`Phrase`]; numbers and dates
//! are said as a sequence of [`Piece`]s. Nothing here takes a string: the
//! kiosk can only choose among these fixed sentences and small numbers, so it
//! can never say a name or anything else from a resident's record aloud
//! (others stand nearby).
//!
//! For every clip there is the text (as a person would write it), and the
//! reading in hiragana. `scripts/synth-voice.py` gives Open JTalk the text
//! (kanji keep the accent right) and checks that Open JTalk's own reading
//! of it is the one written here; where it is not (「一日」 read as
//! いちにち, say), the script gives it the reading instead. The synthesised
//! files and their manifest are under `assets/voice/`.

/// A resident-facing result or prompt, said as one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phrase {
    /// The check-in went through.
    CheckedIn,
    /// The card was already checked in today.
    AlreadyCheckedIn,
    /// A card that no one registered.
    UnknownCard,
    /// Registered, but cannot take part yet (age, identity check due, …).
    NotEligibleYet,
    /// Something only staff can sort out.
    SeeStaff,
    /// The session has no places left.
    SessionFull,
    /// No session to check in to at this time.
    NoSessionNow,
    /// The application to a class was taken.
    ClassApplied,
    /// Already applied to that class.
    ClassDuplicate,
    /// Applications to that class are closed.
    ClassClosed,
    /// Lottery: a place.
    LotteryWon,
    /// Lottery: on the waiting list, without the number (see
    /// [`Utterance::waitlisted`] for 「補欠の N番です」).
    LotteryWaitlisted,
    /// Lottery: no place this time.
    LotteryLost,
    /// The card could not be read; try again.
    CardError,
    /// A phone or a watch was held to the reader.
    PhoneOrWatch,
    /// The waiting screen's prompt.
    PleaseTap,
}

impl Phrase {
    /// Every phrase, in a fixed order.
    pub const ALL: [Phrase; 16] = [
        Phrase::CheckedIn,
        Phrase::AlreadyCheckedIn,
        Phrase::UnknownCard,
        Phrase::NotEligibleYet,
        Phrase::SeeStaff,
        Phrase::SessionFull,
        Phrase::NoSessionNow,
        Phrase::ClassApplied,
        Phrase::ClassDuplicate,
        Phrase::ClassClosed,
        Phrase::LotteryWon,
        Phrase::LotteryWaitlisted,
        Phrase::LotteryLost,
        Phrase::CardError,
        Phrase::PhoneOrWatch,
        Phrase::PleaseTap,
    ];

    /// The file name stem and manifest id.
    pub fn id(self) -> &'static str {
        self.entry().0
    }

    /// The sentence as written.
    pub fn text(self) -> &'static str {
        self.entry().1
    }

    /// The reading in hiragana (punctuation kept).
    pub fn reading(self) -> &'static str {
        self.entry().2
    }

    /// Routine confirmations, which quiet mode leaves unsaid: the screen,
    /// the tone and the light tell them well enough while an event is on.
    /// Everything else asks the resident to do something or tells them
    /// something they could not guess, and is said in quiet mode too.
    pub fn is_routine(self) -> bool {
        matches!(
            self,
            Phrase::CheckedIn | Phrase::AlreadyCheckedIn | Phrase::PleaseTap
        )
    }

    fn entry(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Phrase::CheckedIn => ("checked_in", "受付しました。", "うけつけしました。"),
            Phrase::AlreadyCheckedIn => (
                "already_checked_in",
                "今日は、もう受付済みです。",
                "きょうは、もううけつけずみです。",
            ),
            Phrase::UnknownCard => (
                "unknown_card",
                "登録がありません。窓口へどうぞ。",
                "とうろくがありません。まどぐちへどうぞ。",
            ),
            Phrase::NotEligibleYet => (
                "not_eligible_yet",
                "まだ使えません。窓口へどうぞ。",
                "まだつかえません。まどぐちへどうぞ。",
            ),
            Phrase::SeeStaff => (
                "see_staff",
                "係の者にお声がけください。",
                "かかりのものにおこえがけください。",
            ),
            Phrase::SessionFull => (
                "session_full",
                "今日は定員になりました。",
                "きょうはていいんになりました。",
            ),
            Phrase::NoSessionNow => (
                "no_session_now",
                "今は受付の時間ではありません。",
                "いまはうけつけのじかんではありません。",
            ),
            Phrase::ClassApplied => (
                "class_applied",
                "申し込みを受け付けました。",
                "もうしこみをうけつけました。",
            ),
            Phrase::ClassDuplicate => (
                "class_duplicate",
                "もう申し込んであります。",
                "もうもうしこんであります。",
            ),
            Phrase::ClassClosed => (
                "class_closed",
                "申し込みは締め切りました。",
                "もうしこみはしめきりました。",
            ),
            Phrase::LotteryWon => (
                "lottery_won",
                "抽選の結果、当選です。",
                "ちゅうせんのけっか、とうせんです。",
            ),
            Phrase::LotteryWaitlisted => (
                "lottery_waitlisted",
                "抽選の結果、補欠です。",
                "ちゅうせんのけっか、ほけつです。",
            ),
            Phrase::LotteryLost => (
                "lottery_lost",
                "今回は落選でした。",
                "こんかいはらくせんでした。",
            ),
            Phrase::CardError => (
                "card_error",
                "読めませんでした。もう一度どうぞ。",
                "よめませんでした。もういちどどうぞ。",
            ),
            Phrase::PhoneOrWatch => (
                "phone_or_watch",
                "スマホや時計は使えません。",
                "すまほやとけいはつかえません。",
            ),
            Phrase::PleaseTap => (
                "please_tap",
                "カードをかざしてください。",
                "かーどをかざしてください。",
            ),
        }
    }
}

/// A piece of a composed sentence: the words around a number or a date,
/// the numbers of 「N番」 (1 to 99) and the months and days of 「M月D日から。」.
///
/// Numbers are said from at most two pieces: 12番 is 「十」 and 「二番」,
/// 20番 is 「二十番」, 7番 is 「七番」. Days are whole pieces, because their
/// readings are irregular (ついたち, はつか, にじゅうよっか), and they carry
/// 「から。」: said with the day in one breath it is shorter than as a
/// piece of its own, and the longest 「受け付けました。M月D日から。」
/// (十一月二十八日) stays within 3 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    /// 「補欠の」, before a number.
    WaitlistedPrefix,
    /// 「です。」, after a number.
    Desu,
    /// 「受け付けました。」, before the date a class starts (the shorter
    /// form of [`Phrase::ClassApplied`], so that the date fits in 3 s).
    Accepted,
    /// The tens of a number followed by its units: 「十」 … 「九十」 (1–9).
    Tens(Digit),
    /// Units with 番: 「一番」 … 「九番」 (1–9).
    Ban(Digit),
    /// Whole tens with 番: 「十番」 … 「九十番」 (1–9).
    TensBan(Digit),
    /// 「一月」 … 「十二月」.
    Month(Month),
    /// 「一日から。」 … 「三十一日から。」.
    DayFrom(DayOfMonth),
}

/// A digit from 1 to 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digit(u8);

/// A month from 1 to 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(u8);

/// A day of the month from 1 to 31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DayOfMonth(u8);

impl Digit {
    /// `n` if it is 1 to 9.
    pub fn new(n: u8) -> Option<Digit> {
        (1..=9).contains(&n).then_some(Digit(n))
    }
    /// The value.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Month {
    /// `n` if it is 1 to 12.
    pub fn new(n: u8) -> Option<Month> {
        (1..=12).contains(&n).then_some(Month(n))
    }
    /// The value.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl DayOfMonth {
    /// `n` if it is 1 to 31.
    pub fn new(n: u8) -> Option<DayOfMonth> {
        (1..=31).contains(&n).then_some(DayOfMonth(n))
    }
    /// The value.
    pub fn get(self) -> u8 {
        self.0
    }
}

const KANJI_DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const KANA_DIGITS: [&str; 10] = [
    "",
    "いち",
    "に",
    "さん",
    "よん",
    "ご",
    "ろく",
    "なな",
    "はち",
    "きゅう",
];

/// A number from 1 to 99 in kanji (十二, 二十, 七).
fn kanji_number(n: u8) -> String {
    let (t, u) = (usize::from(n / 10), usize::from(n % 10));
    let tens = match t {
        0 => String::new(),
        1 => "十".to_owned(),
        _ => format!("{}十", KANJI_DIGITS[t]),
    };
    format!("{tens}{}", KANJI_DIGITS[u])
}

/// A number from 1 to 99 in kana (じゅうに, にじゅう, なな).
fn kana_number(n: u8) -> String {
    let (t, u) = (usize::from(n / 10), usize::from(n % 10));
    let tens = match t {
        0 => String::new(),
        1 => "じゅう".to_owned(),
        _ => format!("{}じゅう", KANA_DIGITS[t]),
    };
    format!("{tens}{}", KANA_DIGITS[u])
}

const MONTH_READINGS: [&str; 13] = [
    "",
    "いちがつ",
    "にがつ",
    "さんがつ",
    "しがつ",
    "ごがつ",
    "ろくがつ",
    "しちがつ",
    "はちがつ",
    "くがつ",
    "じゅうがつ",
    "じゅういちがつ",
    "じゅうにがつ",
];

const DAY_READINGS: [&str; 32] = [
    "",
    "ついたち",
    "ふつか",
    "みっか",
    "よっか",
    "いつか",
    "むいか",
    "なのか",
    "ようか",
    "ここのか",
    "とおか",
    "じゅういちにち",
    "じゅうににち",
    "じゅうさんにち",
    "じゅうよっか",
    "じゅうごにち",
    "じゅうろくにち",
    "じゅうしちにち",
    "じゅうはちにち",
    "じゅうくにち",
    "はつか",
    "にじゅういちにち",
    "にじゅうににち",
    "にじゅうさんにち",
    "にじゅうよっか",
    "にじゅうごにち",
    "にじゅうろくにち",
    "にじゅうしちにち",
    "にじゅうはちにち",
    "にじゅうくにち",
    "さんじゅうにち",
    "さんじゅういちにち",
];

impl Piece {
    /// Every piece, in a fixed order.
    pub fn all() -> Vec<Piece> {
        let mut all = vec![Piece::WaitlistedPrefix, Piece::Desu, Piece::Accepted];
        let digits = || (1..=9).map(Digit);
        all.extend(digits().map(Piece::Tens));
        all.extend(digits().map(Piece::Ban));
        all.extend(digits().map(Piece::TensBan));
        all.extend((1..=12).map(|m| Piece::Month(Month(m))));
        all.extend((1..=31).map(|d| Piece::DayFrom(DayOfMonth(d))));
        all
    }

    /// The file name stem and manifest id.
    pub fn id(self) -> String {
        match self {
            Piece::WaitlistedPrefix => "waitlisted_prefix".into(),
            Piece::Desu => "desu".into(),
            Piece::Accepted => "accepted".into(),
            Piece::Tens(d) => format!("tens_{}", d.0 * 10),
            Piece::Ban(d) => format!("ban_{}", d.0),
            Piece::TensBan(d) => format!("ban_{}", d.0 * 10),
            Piece::Month(m) => format!("month_{:02}", m.0),
            Piece::DayFrom(d) => format!("day_{:02}_kara", d.0),
        }
    }

    /// The piece as written.
    pub fn text(self) -> String {
        match self {
            Piece::WaitlistedPrefix => "補欠の".into(),
            Piece::Desu => "です。".into(),
            Piece::Accepted => "受け付けました。".into(),
            Piece::Tens(d) => kanji_number(d.0 * 10),
            Piece::Ban(d) => format!("{}番", kanji_number(d.0)),
            Piece::TensBan(d) => format!("{}番", kanji_number(d.0 * 10)),
            Piece::Month(m) => format!("{}月", kanji_number(m.0)),
            Piece::DayFrom(d) => format!("{}日から。", kanji_number(d.0)),
        }
    }

    /// The reading in hiragana.
    pub fn reading(self) -> String {
        match self {
            Piece::WaitlistedPrefix => "ほけつの".into(),
            Piece::Desu => "です。".into(),
            Piece::Accepted => "うけつけました。".into(),
            Piece::Tens(d) => kana_number(d.0 * 10),
            Piece::Ban(d) => format!("{}ばん", kana_number(d.0)),
            Piece::TensBan(d) => format!("{}ばん", kana_number(d.0 * 10)),
            Piece::Month(m) => MONTH_READINGS[usize::from(m.0)].into(),
            Piece::DayFrom(d) => format!("{}から。", DAY_READINGS[usize::from(d.0)]),
        }
    }
}

/// One audio file: a whole phrase or a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Clip {
    /// A whole sentence.
    Phrase(Phrase),
    /// A piece of a composed sentence.
    Piece(Piece),
}

impl Clip {
    /// Every clip: the phrases, then the pieces. The manifest lists exactly
    /// these, in this order.
    pub fn all() -> Vec<Clip> {
        let mut all: Vec<Clip> = Phrase::ALL.iter().map(|&p| Clip::Phrase(p)).collect();
        all.extend(Piece::all().into_iter().map(Clip::Piece));
        all
    }

    /// The manifest id and file name stem (`<id>.wav`).
    pub fn id(self) -> String {
        match self {
            Clip::Phrase(p) => p.id().to_owned(),
            Clip::Piece(p) => p.id(),
        }
    }

    /// The clip as written.
    pub fn text(self) -> String {
        match self {
            Clip::Phrase(p) => p.text().to_owned(),
            Clip::Piece(p) => p.text(),
        }
    }

    /// The reading in hiragana.
    pub fn reading(self) -> String {
        match self {
            Clip::Phrase(p) => p.reading().to_owned(),
            Clip::Piece(p) => p.reading(),
        }
    }
}

/// What is said for one result: clips played one after another without a
/// gap. Built only from [`Phrase`]s and the constructors below, never from
/// text, so nothing from a resident's record can be said:
///
/// ```compile_fail
/// use tsudoi_hw::voice::Utterance;
/// let name = String::from("山田 花子");
/// let u: Utterance = name.into();
/// ```
///
/// ```compile_fail
/// use tsudoi_hw::voice::{Speaker, VoiceConfig};
/// let (speaker, _) = Speaker::open(&VoiceConfig::default());
/// speaker.say("山田さん、受付しました");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    clips: Vec<Clip>,
}

impl From<Phrase> for Utterance {
    fn from(p: Phrase) -> Utterance {
        Utterance {
            clips: vec![Clip::Phrase(p)],
        }
    }
}

impl Utterance {
    /// 「補欠の N番です。」 for a place `n` on the waiting list from 1 to 99;
    /// past that 「抽選の結果、補欠です。」 without the number.
    pub fn waitlisted(n: u32) -> Utterance {
        match u8::try_from(n).ok().and_then(number_ban) {
            Some(number) => {
                let mut clips = vec![Clip::Piece(Piece::WaitlistedPrefix)];
                clips.extend(number.into_iter().map(Clip::Piece));
                clips.push(Clip::Piece(Piece::Desu));
                Utterance { clips }
            }
            None => Phrase::LotteryWaitlisted.into(),
        }
    }

    /// 「受け付けました。M月D日から。」: an application taken, and the day
    /// its class starts. `None` for a date that is not one (month 13, day
    /// 32; 2月30日 is the caller's to avoid). Without a date the kiosk says
    /// [`Phrase::ClassApplied`] (「申し込みを受け付けました。」).
    pub fn applied_starting(month: u32, day: u32) -> Option<Utterance> {
        let m = Month::new(u8::try_from(month).ok()?)?;
        let d = DayOfMonth::new(u8::try_from(day).ok()?)?;
        Some(Utterance {
            clips: vec![
                Clip::Piece(Piece::Accepted),
                Clip::Piece(Piece::Month(m)),
                Clip::Piece(Piece::DayFrom(d)),
            ],
        })
    }

    /// This, then `next`.
    pub fn then(mut self, next: impl Into<Utterance>) -> Utterance {
        self.clips.extend(next.into().clips);
        self
    }

    /// The clips in the order they are played.
    pub fn clips(&self) -> &[Clip] {
        &self.clips
    }

    /// Whether quiet mode leaves this unsaid: every clip is a routine
    /// phrase (see [`Phrase::is_routine`]).
    pub fn is_routine(&self) -> bool {
        self.clips
            .iter()
            .all(|c| matches!(c, Clip::Phrase(p) if p.is_routine()))
    }

    /// The whole sentence as written (for logs of what was said and for
    /// tests; it holds nothing personal).
    pub fn text(&self) -> String {
        self.clips.iter().map(|c| c.text()).collect()
    }
}

/// The pieces of 「N番」 for 1 ≤ n ≤ 99.
fn number_ban(n: u8) -> Option<Vec<Piece>> {
    let (tens, units) = (n / 10, n % 10);
    match (Digit::new(tens), Digit::new(units)) {
        (None, Some(u)) => Some(vec![Piece::Ban(u)]),
        (Some(t), None) => Some(vec![Piece::TensBan(t)]),
        (Some(t), Some(u)) => Some(vec![Piece::Tens(t), Piece::Ban(u)]),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn waitlisted_12_is_said_as_jyuu_then_niban() {
        let u = Utterance::waitlisted(12);
        let ids: Vec<String> = u.clips().iter().map(|c| c.id()).collect();
        assert_eq!(ids, ["waitlisted_prefix", "tens_10", "ban_2", "desu"]);
        assert_eq!(u.text(), "補欠の十二番です。");
    }

    #[test]
    fn every_number_from_1_to_99_reads_as_itself() {
        for n in 1..=99u8 {
            let pieces = number_ban(n).unwrap();
            let text: String = pieces.iter().map(|p| p.text()).collect();
            assert_eq!(text, format!("{}番", kanji_number(n)), "{n}");
            let reading: String = pieces.iter().map(|p| p.reading()).collect();
            assert_eq!(reading, format!("{}ばん", kana_number(n)), "{n}");
        }
        assert_eq!(kanji_number(20), "二十");
        assert_eq!(kana_number(47), "よんじゅうなな");
        assert_eq!(
            Utterance::waitlisted(0),
            Utterance::from(Phrase::LotteryWaitlisted)
        );
        assert_eq!(
            Utterance::waitlisted(100),
            Utterance::from(Phrase::LotteryWaitlisted)
        );
        assert_eq!(Utterance::waitlisted(20).text(), "補欠の二十番です。");
        assert_eq!(Utterance::waitlisted(7).text(), "補欠の七番です。");
    }

    #[test]
    fn dates_are_composed_and_checked() {
        let u = Utterance::applied_starting(4, 15).unwrap();
        assert_eq!(u.text(), "受け付けました。四月十五日から。");
        let reading: String = u.clips().iter().map(|c| c.reading()).collect();
        assert_eq!(reading, "うけつけました。しがつじゅうごにちから。");
        let first: String = Utterance::applied_starting(1, 1)
            .unwrap()
            .clips()
            .iter()
            .map(|c| c.reading())
            .collect();
        assert_eq!(first, "うけつけました。いちがつついたちから。");
        assert!(Utterance::applied_starting(0, 1).is_none());
        assert!(Utterance::applied_starting(13, 1).is_none());
        assert!(Utterance::applied_starting(1, 32).is_none());
        assert_eq!(u.clips().len(), 3);
    }

    #[test]
    fn ids_are_unique_and_make_safe_file_names() {
        let all = Clip::all();
        assert_eq!(all.len(), 16 + 3 + 27 + 12 + 31);
        let ids: HashSet<String> = all.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), all.len());
        for id in ids {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            );
        }
    }

    #[test]
    fn readings_are_hiragana_and_texts_are_short() {
        for c in Clip::all() {
            let r = c.reading();
            assert!(
                r.chars().all(|ch| ('\u{3041}'..='\u{309f}').contains(&ch)
                    || matches!(ch, 'ー' | '、' | '。')),
                "{r}"
            );
            assert!(c.text().chars().count() <= 20, "{}", c.text());
        }
    }

    #[test]
    fn quiet_mode_keeps_what_asks_for_action() {
        assert!(Utterance::from(Phrase::CheckedIn).is_routine());
        assert!(!Utterance::from(Phrase::UnknownCard).is_routine());
        assert!(!Utterance::from(Phrase::SeeStaff).is_routine());
        assert!(!Utterance::waitlisted(3).is_routine());
    }
}
