//! Every sentence and label of 「今日の受付」 and 「活動を追加」, in one place.

use chrono::{DateTime, FixedOffset, NaiveTime};

use crate::store::clock_guard::display_time;

/// A button with two short lines (the Today row has up to seven buttons in
/// 800 px: no line longer than four characters) and its spoken label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Button {
    /// The button's text on screen, in two short lines.
    pub text: &'static str,
    /// The button's spoken label, in one line.
    pub label: &'static str,
}

const fn same(text: &'static str) -> Button {
    Button { text, label: text }
}

/// The Today screen's title bar.
pub fn header(staff_id: &str) -> String {
    format!("今日の受付（スタッフ {staff_id}）")
}

/// The add-session screen's title bar.
pub const ADD_HEADER: &str = "活動を追加";

/// Under the list when no session is planned today.
pub const EMPTY: &str = "今日の活動はまだありません。";

/// Under a session nobody has checked in to yet.
pub const NOBODY_YET: &str = "（まだだれも受付していません）";

/// Between the kana names of those checked in.
pub const NAME_SEPARATOR: &str = "、";

/// A session's head count.
pub fn count(n: u32) -> String {
    format!("{n}人")
}

/// A session's head count as read out.
pub fn count_description(title: &str, n: u32) -> String {
    format!("{title} {n}人")
}

/// A lottery class session's attendance sheet.
pub const SHEET: &str = "出席簿";

/// Read out for a class session's 「出席簿」 button: whose sheet it opens.
pub fn sheet_label(title: &str) -> String {
    format!("{title}の出席簿")
}

/// The clock guard's button.
pub const CLOCK_OK: &str = "時計は正しい";

/// The clock guard's question: the latest time the store saw and the
/// device's time, to compare with a watch.
pub fn clock_question(latest: &DateTime<FixedOffset>, now: &DateTime<FixedOffset>) -> String {
    format!(
        "時計が戻っているため、受付を止めています（最後の記録 {}）。端末の時計は {} です。腕時計などと合っていれば「{CLOCK_OK}」を押してください。",
        display_time(latest),
        display_time(now)
    )
}

/// After 「時計は正しい」.
pub const CLOCK_CONFIRMED: &str = "時計を確かめました。受付をまた記録します。";

/// Opens the record search.
pub const SEARCH: Button = same("さがす");
/// Opens 「新しい方の登録」.
pub const REGISTER: Button = Button {
    text: "新しい方\nの登録",
    label: "新しい方の登録",
};
/// Opens 「活動を追加」.
pub const ADD_SESSION: Button = Button {
    text: "活動を\n追加",
    label: "活動を追加",
};
/// Opens 「月の報告」.
pub const REPORT: Button = Button {
    text: "月の\n報告",
    label: "月の報告",
};
/// Opens 「事故・点検」.
pub const OVERSIGHT: Button = Button {
    text: "事故・\n点検",
    label: "事故・点検",
};
/// Signs out, back to the residents' screens.
pub const SIGN_OUT: Button = Button {
    text: "サイン\nアウト",
    label: "サインアウト",
};

/// Titles staff can pick for a new session (no Japanese typing needed).
pub const SESSION_TITLES: [&str; 6] = [
    "交流サロン",
    "体操教室",
    "健康講座",
    "趣味の会",
    "うたごえ広場",
    "相談会",
];

/// Moves the new session's start 30 minutes earlier.
pub const START_EARLIER: Button = Button {
    text: "開始 −",
    label: "開始を30分早く",
};
/// Moves the new session's start 30 minutes later.
pub const START_LATER: Button = Button {
    text: "開始 ＋",
    label: "開始を30分遅く",
};
/// Makes the new session 30 minutes shorter.
pub const SHORTER: Button = Button {
    text: "長さ −",
    label: "30分短く",
};
/// Makes the new session 30 minutes longer.
pub const LONGER: Button = Button {
    text: "長さ ＋",
    label: "30分長く",
};

/// The accessible label of the new session's time range.
pub const TIME_LABEL: &str = "時間";

/// A session's time range, e.g. "10:00〜11:30".
pub fn time_range(start: NaiveTime, end: NaiveTime) -> String {
    format!("{}〜{}", start.format("%-H:%M"), end.format("%-H:%M"))
}

/// Leaves 「活動を追加」 without adding.
pub const CANCEL: &str = "やめる";
/// Adds the session for today.
pub const ADD: &str = "この活動を追加する";

/// A new session whose end would fall on the next day.
pub const CROSSES_MIDNIGHT: &str = "終わりの時刻が日付をまたいでいます。";
