//! Why a hobby group's request was refused ([`GroupError`]): the schedule,
//! names, members, representative and meetings of the groups in
//! [`groups`](super::groups). Each message says, in Japanese, what is wrong
//! and what to enter or do instead; none carries a personal value.

use crate::error::ErrorKind;

/// A hobby group's request refused, or one of its stored rows unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The schedule is not in a form tsudoi reads (a weekday with 曜, the
    /// weeks of the month or 毎週, and a time range).
    #[error(
        "予定は「第1・第3火曜 13:30-15:30」や「毎週金曜 10:00-12:00」のように入力してください。"
    )]
    ScheduleForm,
    /// A week of the month outside 1–5 (「第6火曜」).
    #[error("第何週は1〜5で入力してください。")]
    WeekOfMonth,
    /// The end time is not after the start time (of the schedule or of one
    /// moved meeting).
    #[error("終了時刻は開始時刻より後にしてください。")]
    EndNotAfterStart,
    /// The 見守り rule's numbers are out of range, or its absence is not
    /// shorter than the period it looks at.
    #[error(
        "見守りの条件は、回数・週数とも1〜52で、休みの週数は見る期間の週数より短くしてください。"
    )]
    WatchRule,
    /// A group's name or room is empty, longer than 40 characters, or holds
    /// a control character.
    #[error("{what}を1〜40文字で入力してください。")]
    Label {
        /// Which label, in Japanese: 「グループ名」 or 「部屋」.
        what: &'static str,
    },
    /// Another group already has this name; nothing was stored.
    #[error("同じ名前のグループがすでにあります。")]
    DuplicateName,
    /// The meeting on that day is cancelled already.
    #[error("この日の集まりはすでに中止です。")]
    AlreadyCancelled,
    /// Someone has checked in to the meeting, so it cannot be cancelled.
    #[error("この日はもう受付をした方がいるので中止にできません。")]
    HasCheckIns,
    /// The representative chosen is not a member of the group.
    #[error("代表者はそのグループの会員から選んでください。")]
    RepresentativeNotMember,
    /// A group check-in for someone not in the group; others check in to
    /// the session itself.
    #[error(
        "この方はこのグループの会員ではありません（会員でない方は tsudoi checkin で受付します）。"
    )]
    CheckInNotMember,
    /// The person is not a member of the group (removing a member).
    #[error("この方はこのグループの会員ではありません。")]
    NotMember,
    /// The member list cannot be handed over: the group has no
    /// representative yet.
    #[error(
        "このグループには代表者が決まっていません（取扱責任者か取扱者が tsudoi group representative で決めます）。"
    )]
    NoRepresentative,
    /// The group does not meet today.
    #[error("このグループの集まりは今日はありません。")]
    NoMeetingToday,
    /// The last day of a period of meetings is not after its first.
    #[error("終わりの日は始めの日より後にしてください。")]
    PeriodReversed,
    /// More meetings at once than tsudoi generates (`most`, about two years
    /// of a weekly group).
    #[error("一度に作れる集まりは{most}回までです。期間を短くしてください。")]
    TooManyMeetings {
        /// The most meetings generated at once.
        most: usize,
    },
    /// A meeting's stored date or time cannot be read: the row was damaged
    /// or edited outside tsudoi. Nothing was shown.
    #[error(
        "保存された集まりの{what}が壊れています。何も表示していません。取扱責任者に連絡してください。"
    )]
    DamagedMeeting {
        /// Which value: 「日付」 or 「時刻」.
        what: &'static str,
    },
}

impl GroupError {
    /// The kind of this refusal: a damaged row is [`ErrorKind::Damaged`]
    /// (exit 4), everything else [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            GroupError::DamagedMeeting { .. } => ErrorKind::Damaged,
            _ => ErrorKind::InvalidInput,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_meeting_is_damaged_data_and_the_rest_are_the_users_to_fix() {
        assert_eq!(
            GroupError::DamagedMeeting { what: "時刻" }
                .kind()
                .exit_code(),
            4
        );
        for e in [
            GroupError::ScheduleForm,
            GroupError::Label { what: "部屋" },
            GroupError::TooManyMeetings { most: 120 },
            GroupError::NoMeetingToday,
        ] {
            assert_eq!(e.kind().exit_code(), 2, "{e}");
        }
    }
}
