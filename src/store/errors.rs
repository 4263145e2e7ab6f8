//! The store's refusals by area, one type each: [`GroupError`] (hobby
//! groups, [`groups`](super::groups)), [`SessionError`] (activities,
//! [`sessions`](super::sessions)), [`StaffError`] (accounts,
//! [`staff`](super::staff)) and [`ParticipantError`] (residents' records,
//! [`participants`](super::participants)). Each converts into the crate's
//! [`Error`](crate::error::Error) and has a `kind()` that decides the exit
//! code. Each message says, in Japanese, what is wrong and what to enter or
//! do instead; none carries a personal value.

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

/// An activity (a session of the salon, a class) refused as entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A time not in the 24-hour form. `input` is the time as typed (a
    /// time of day, never personal).
    #[error("時刻は「10:00」のように24時間制で入力してください（入力: {input}）。")]
    TimeForm {
        /// The time as typed, trimmed.
        input: String,
    },
    /// The activity's name is empty, longer than 60 characters, or holds a
    /// control character.
    #[error("活動名を1〜60文字で入力してください。")]
    Title,
    /// The end time is not after the start time.
    #[error("終了時刻は開始時刻より後にしてください。")]
    EndNotAfterStart,
    /// A first-come or lottery activity without a capacity.
    #[error("先着順と抽選の活動には定員を入れてください。")]
    CapacityMissing,
    /// A capacity of 0 or over 1,000.
    #[error("定員は1〜1000人にしてください。")]
    CapacityRange,
}

impl SessionError {
    /// Every refusal here is the user's to correct: [`ErrorKind::InvalidInput`].
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

/// A staff account's request refused, or its stored row unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StaffError {
    /// A staff id that is not 2–32 ASCII letters, digits, `-`, `_` or `.`
    /// (ids appear in the audit log, so they must not be names).
    #[error(
        "スタッフIDは半角の英数字（- _ . も可）で2〜32文字にしてください。氏名は使わないでください。"
    )]
    IdForm,
    /// Another account (active or not) already has this id.
    #[error("そのスタッフIDはすでに使われています。")]
    IdTaken,
    /// A manager tried to deactivate their own account.
    #[error("自分自身のアカウントは無効にできません。")]
    DeactivateSelf,
    /// The recovery key typed is well formed but not this store's.
    #[error("回復キーが違います。封筒に保管された回復キーを確かめてください。")]
    WrongRecoveryKey,
    /// An account's stored role is none tsudoi knows: the row was damaged or
    /// edited outside tsudoi.
    #[error("スタッフの役割が壊れています。取扱責任者に連絡してください。")]
    DamagedRole,
}

impl StaffError {
    /// A damaged role is [`ErrorKind::Damaged`] (exit 4); the rest are
    /// [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            StaffError::DamagedRole => ErrorKind::Damaged,
            _ => ErrorKind::InvalidInput,
        }
    }
}

/// A resident's record refused as entered, or a stored value unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParticipantError {
    /// No name.
    #[error("氏名を入力してください。")]
    NameMissing,
    /// A name over 50 characters or with a control character.
    #[error("氏名は50文字以内で、記号や改行を含めずに入力してください。")]
    NameForm,
    /// No furigana.
    #[error("ふりがなを入力してください。")]
    KanaMissing,
    /// Furigana with characters other than kana.
    #[error("ふりがなは、ひらがなかカタカナで入力してください。")]
    KanaForm,
    /// Furigana over 80 characters.
    #[error("ふりがなは80文字以内にしてください。")]
    KanaTooLong,
    /// An address empty, over 200 characters or with a line break.
    #[error("住所は200文字以内で、改行を含めずに入力してください。")]
    AddressForm,
    /// Registration from the person themselves without the ID document's
    /// check (birth date and postal code).
    #[error("本人から受け付ける場合は、身分証で生年月日と郵便番号を確認してください。")]
    IdNotChecked,
    /// A record without a phone number, which every record needs (it is
    /// how duplicates are found).
    #[error("電話番号がありません。電話番号を入力してください。")]
    PhoneMissing,
    /// A correction names a field that cannot be corrected (a fault inside
    /// tsudoi, not the user's input).
    #[error("直せない項目です。")]
    NotCorrectable,
    /// A stored date of a record cannot be read: the row was damaged or
    /// edited outside tsudoi.
    #[error("保存された日付が壊れています。取扱責任者に連絡してください。")]
    DamagedDate,
}

impl ParticipantError {
    /// A damaged date is [`ErrorKind::Damaged`] (exit 4), a field that cannot
    /// be corrected [`ErrorKind::Other`] (exit 1), the rest
    /// [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            ParticipantError::DamagedDate => ErrorKind::Damaged,
            ParticipantError::NotCorrectable => ErrorKind::Other,
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
        assert_eq!(StaffError::DamagedRole.kind().exit_code(), 4);
        assert_eq!(StaffError::IdTaken.kind().exit_code(), 2);
        assert_eq!(ParticipantError::DamagedDate.kind().exit_code(), 4);
        assert_eq!(ParticipantError::KanaForm.kind().exit_code(), 2);
        assert_eq!(SessionError::Title.kind().exit_code(), 2);
    }
}
