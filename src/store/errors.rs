//! The store's refusals by area, one type each: [`GroupError`] (hobby
//! groups, [`groups`](super::groups)), [`SessionError`] (activities,
//! [`sessions`](super::sessions)), [`StaffError`] (accounts,
//! [`staff`](super::staff)), [`ParticipantError`] (residents' records,
//! [`participants`](super::participants)) and [`LotteryError`] (classes by
//! application and their draw, [`lottery`](super::lottery)),
//! [`CheckpointError`] (the audit log's checkpoints), [`PolicyError`] (the
//! security policy's floor), [`IncidentError`] (incident records),
//! [`RosterError`] (hobby groups' rosters from and to the ward) and
//! [`StoreError`] (the smaller areas and the store file itself). Each converts into the crate's
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
    /// A group's stored schedule (weeks, weekday, times) cannot be read:
    /// the row was damaged or edited outside tsudoi. Nothing was shown.
    #[error(
        "保存されたグループの予定が壊れています。何も表示していません。取扱責任者に連絡してください。"
    )]
    DamagedSchedule,
}

impl GroupError {
    /// The kind of this refusal: a damaged row is [`ErrorKind::Damaged`]
    /// (exit 4), everything else [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            GroupError::DamagedMeeting { .. } | GroupError::DamagedSchedule => ErrorKind::Damaged,
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
    /// A stored value of an activity (its program, date, times or way of
    /// giving places) cannot be read: the row was damaged or edited outside
    /// tsudoi. Nothing was shown.
    #[error(
        "保存された活動の{what}が壊れています。何も表示していません。取扱責任者に連絡してください。"
    )]
    Damaged {
        /// Which value: 「事業」, 「日付」, 「時刻」 or 「受付のしかた」.
        what: &'static str,
    },
}

impl SessionError {
    /// A damaged row is [`ErrorKind::Damaged`] (exit 4); the rest are the
    /// user's to correct, [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            SessionError::Damaged { .. } => ErrorKind::Damaged,
            _ => ErrorKind::InvalidInput,
        }
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

/// A class by application (教室の申し込みと抽選) refused as entered, or one of
/// its stored values unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LotteryError {
    /// A class's name, kind or term, or the name of a published random
    /// value, is empty, too long or holds a line break.
    #[error("{what}を1〜{max}文字で、改行を含めずに入力してください。")]
    Text {
        /// Which text, in Japanese (「教室名」, 「期」, 「乱数の元の名前」, …).
        what: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// A capacity of 0 or over 1,000.
    #[error("定員は1〜1000人にしてください。")]
    CapacityRange,
    /// The dates are not in the order: applications open, applications
    /// close, draw.
    #[error("日付は 受付開始 ≦ 受付締切 < 抽選日 の順にしてください。")]
    DateOrder,
    /// A class without any session (活動).
    #[error("教室の回（活動番号）を1つ以上指定してください。")]
    NoSessions,
    /// One of the class's sessions is on or before the draw day.
    #[error("教室の回（{date}）は抽選日より後の日にしてください。")]
    SessionNotAfterDraw {
        /// The session's date, `YYYY-MM-DD` (a date of the activity, never
        /// personal).
        date: String,
    },
    /// Priority to the previous term's losers without naming the previous
    /// class.
    #[error("前回落選した方を優先するには、前回の教室（--previous）を指定してください。")]
    PreviousClassMissing,
    /// No published random value named at closing, or more than the draw
    /// takes.
    #[error(
        "抽選に使う公開の乱数を1〜{most}個、名前で指定してください（例: ロト6 第2050回の当せん番号）。"
    )]
    SourceCount {
        /// The most sources the draw takes.
        most: usize,
    },
    /// `--program` is none of the three programs.
    #[error("--program は ikigai、koryu、kaigo のどれかにしてください。")]
    ProgramChoice,
    /// `--priority` is none of the priorities.
    #[error(
        "--priority は none（なし）、first_time（初めての方）、previous_losers（前回落選の方）のどれかにしてください。"
    )]
    PriorityChoice,
    /// A number for `tsudoi draw` that is not a whole number. `input` is the
    /// text as typed (a count, never personal).
    #[error("{what}は0以上の整数で入力してください（入力: {input}）。")]
    NumberForm {
        /// Which number, with its option (「--count（選ぶ人数）」).
        what: &'static str,
        /// The text as typed, trimmed.
        input: String,
    },
    /// A number for `tsudoi draw` too large for tsudoi to hold.
    #[error("{what}が大きすぎます。数を確かめて入力し直してください。")]
    NumberTooLarge {
        /// Which number, with its option.
        what: &'static str,
    },
    /// The closing's list of applicants or its random values' names could
    /// not be written out (a fault inside tsudoi, not the input). Nothing
    /// was closed.
    #[error("{what}を保存できません。締め切りはしていません。設置業者に連絡してください。")]
    Internal {
        /// What was being stored: 「対象者一覧」 or 「乱数の元」.
        what: &'static str,
    },
    /// A stored value of a class (a session's date, the closed list of
    /// applicants, the draw's record) cannot be read: the row was damaged or
    /// edited outside tsudoi. Nothing was shown or drawn.
    #[error("保存された{what}が壊れています。取扱責任者に連絡してください。")]
    Damaged {
        /// Which value: 「日付」, 「教室の種類」, 「対象者一覧」 or 「抽選の記録」.
        what: &'static str,
    },
}

impl LotteryError {
    /// A damaged value is [`ErrorKind::Damaged`] (exit 4), a fault inside
    /// tsudoi [`ErrorKind::Other`] (exit 1), the rest
    /// [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            LotteryError::Damaged { .. } => ErrorKind::Damaged,
            LotteryError::Internal { .. } => ErrorKind::Other,
            _ => ErrorKind::InvalidInput,
        }
    }
}

/// The audit log's signed checkpoints ([`transparency`](super::transparency))
/// refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// This device has no signing key yet: it is made at the first
    /// checkpoint.
    #[error(
        "端末の署名鍵がまだ作られていません。取扱責任者か運営者が一度サインインして tsudoi audit checkpoint を実行してください。"
    )]
    NoDeviceKey,
    /// The log's name could not be made from the site's name (a fault
    /// inside tsudoi: the name is made safe before use).
    #[error(
        "施設名から監査ログの名前を作れません。tsudoi doctor の表示を設置業者に見せてください。"
    )]
    Origin,
    /// A checkpoint could not be built from the log's head (a fault inside
    /// tsudoi). `detail` is the log library's reason (English, no personal
    /// value).
    #[error("チェックポイントを作れません: {detail}。設置業者に連絡してください。")]
    Build {
        /// The library's reason.
        detail: String,
    },
    /// A checkpoint could not be signed (a fault inside tsudoi).
    #[error("チェックポイントに署名できません: {detail}。設置業者に連絡してください。")]
    Sign {
        /// The library's reason.
        detail: String,
    },
    /// The ward's copy of an earlier checkpoint (given with `--from`) does
    /// not open with this device's key: another device's, or not a
    /// checkpoint.
    #[error(
        "区の控えのチェックポイントを確認できません（{detail}）。この端末の鍵で署名された監査ログのチェックポイントか確かめてください。"
    )]
    OldCheckpoint {
        /// The library's reason.
        detail: String,
    },
}

impl CheckpointError {
    /// A missing key or a foreign checkpoint is [`ErrorKind::InvalidInput`]
    /// (exit 2); a fault inside tsudoi [`ErrorKind::Other`] (exit 1).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CheckpointError::NoDeviceKey | CheckpointError::OldCheckpoint { .. } => {
                ErrorKind::InvalidInput
            }
            _ => ErrorKind::Other,
        }
    }
}

/// A security policy (from the configuration or set by a manager) below
/// the floor tsudoi keeps ([`security_policy`](super::security_policy)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// `lockout_attempts` outside 1–`most`.
    #[error("ロックまでの失敗回数（lockout_attempts）は1〜{most}回にしてください。")]
    LockoutAttempts {
        /// The most failures allowed before the lock.
        most: u32,
    },
    /// `lockout_minutes` outside `least`–`most`.
    #[error("ロックの時間（lockout_minutes）は{least}〜{most}分にしてください。")]
    LockoutMinutes {
        /// The shortest lock.
        least: u32,
        /// The longest lock.
        most: u32,
    },
    /// Argon2id below OWASP's floor.
    #[error(
        "パスワードの鍵導出（Argon2id）が弱すぎます。メモリ {memory_kib} KiB 以上・{passes} 回以上にしてください（OWASP の基準）。"
    )]
    WeakKdf {
        /// The least memory, KiB.
        memory_kib: u32,
        /// The fewest passes.
        passes: u32,
    },
    /// `reverify_after_months` outside 1–`most`.
    #[error("本人確認をやり直すまでの月数（reverify_after_months）は1〜{most}にしてください。")]
    ReverifyMonths {
        /// The most months.
        most: u32,
    },
}

impl PolicyError {
    /// Every refusal here is a setting to correct: [`ErrorKind::InvalidInput`].
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

/// An incident record ([`incidents`](super::incidents)) refused as entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IncidentError {
    /// The day it happened or was found is after today.
    #[error("未来の日付は記録できません。起きた日と気づいた日を確かめてください。")]
    FutureDate,
    /// Found before it happened.
    #[error("気づいた日が起きた日より前になっています。日付を確かめてください。")]
    FoundBeforeOccurred,
    /// More people than `most`.
    #[error("人数は{most}人までです。数を確かめてください。")]
    TooManyPeople {
        /// The most people an incident records.
        most: u32,
    },
    /// More record numbers than `most`.
    #[error("記録の番号は{most}件までです。それより多いときは人数だけを記録してください。")]
    TooManyRecords {
        /// The most record numbers an incident lists.
        most: usize,
    },
}

impl IncidentError {
    /// Every refusal here is the user's to correct: [`ErrorKind::InvalidInput`].
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

/// A hobby groups' roster from or to the ward
/// ([`ward_roster`](super::ward_roster), [`roster_return`](super::roster_return))
/// refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    /// No group has members, so there is no roster to return.
    #[error(
        "グループの会員がいないので、返す名簿はありません。会員を登録してから書き出してください。"
    )]
    NoMembers,
    /// The roster written to the USB stick reads back differently (or not
    /// at all): the medium failed. `detail` is what the check found (file
    /// names, never a personal value).
    #[error(
        "書き出した名簿を読み戻すと一致しません。別のUSBメモリでやり直してください。（{detail}）"
    )]
    ReadBack {
        /// What the read-back check found.
        detail: String,
    },
    /// An import's plan names a new record it did not make (a fault inside
    /// tsudoi). Nothing was imported.
    #[error("取り込みの内部の誤りです。何も取り込んでいません。設置業者に連絡してください。")]
    ImportInternal,
    /// The import's entry in the media ledger could not be written out (a
    /// fault inside tsudoi). Nothing was imported.
    #[error("媒体の記録を作れません。何も取り込んでいません。設置業者に連絡してください。")]
    LedgerInternal,
}

impl RosterError {
    /// Nothing to return is [`ErrorKind::InvalidInput`] (exit 2), a medium
    /// that reads back wrong [`ErrorKind::Io`] (exit 5), a fault inside
    /// tsudoi [`ErrorKind::Other`] (exit 1).
    pub fn kind(&self) -> ErrorKind {
        match self {
            RosterError::NoMembers => ErrorKind::InvalidInput,
            RosterError::ReadBack { .. } => ErrorKind::Io,
            _ => ErrorKind::Other,
        }
    }
}

/// A request of the store's smaller areas refused as entered: retention
/// ([`retention`](super::retention)), 見守り calls
/// ([`mimamori`](super::mimamori)), the clock's confirmation
/// ([`clock_guard`](super::clock_guard)), the voice settings
/// ([`voice_setting`](super::voice_setting)) and the store file itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A retention period outside 1–10 fiscal years.
    #[error("保存期間（年度）は1〜10にしてください。")]
    RetentionYears,
    /// A 見守り call recorded on a day after today.
    #[error("電話をした日に、先の日付は入れられません。今日か、それより前の日を入れてください。")]
    CallInFuture,
    /// The date and time stated for the clock does not exist in Japan time.
    #[error(
        "日時を読み取れません。時計で確かめた日本時間を 2026-12-02 10:30 のように入力してください。"
    )]
    ClockTime,
    /// A volume over the most.
    #[error("音量は0〜{most}で決めてください（{given}になっています）。")]
    Volume {
        /// The loudest volume.
        most: u8,
        /// The volume asked for.
        given: u8,
    },
    /// A site's name empty or over 100 characters (at `init`).
    #[error("施設名を1〜100文字で入力してください。")]
    SiteName,
    /// The store's blind index length is missing or out of range: the file
    /// was damaged or edited outside tsudoi. Nothing was opened.
    #[error(
        "保存ファイルの設定（索引の長さ）が壊れています。何も変更していません。tsudoi doctor の表示を設置業者に見せてください。"
    )]
    DamagedSetting,
    /// A stored date the 見守り list reads (an activity's, or a call's)
    /// cannot be read: the row was damaged or edited outside tsudoi.
    /// Nothing was shown.
    #[error(
        "保存された{what}の日付が壊れています。何も表示していません。取扱責任者に連絡してください。"
    )]
    DamagedDate {
        /// Whose date: 「活動」 or 「見守りの電話」.
        what: &'static str,
    },
}

impl StoreError {
    /// A damaged setting or date is [`ErrorKind::Damaged`] (exit 4), the
    /// rest [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::DamagedSetting | StoreError::DamagedDate { .. } => ErrorKind::Damaged,
            _ => ErrorKind::InvalidInput,
        }
    }
}

/// A typed refusal raised inside a row mapper, which may only return
/// rusqlite's error: it travels boxed in
/// [`FromSqlConversionFailure`](rusqlite::Error::FromSqlConversionFailure),
/// and the crate's `From<rusqlite::Error>` takes it out again (so a damaged
/// row exits 4 with its own sentence, not as a disk failure).
pub(crate) fn in_row<E>(column: usize, e: E) -> rusqlite::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
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
        assert_eq!(LotteryError::Damaged { what: "日付" }.kind().exit_code(), 4);
        assert_eq!(LotteryError::DateOrder.kind().exit_code(), 2);
        assert_eq!(StoreError::DamagedSetting.kind().exit_code(), 4);
        assert_eq!(
            StoreError::DamagedDate { what: "活動" }.kind().exit_code(),
            4
        );
        assert_eq!(GroupError::DamagedSchedule.kind().exit_code(), 4);
        assert_eq!(SessionError::Damaged { what: "時刻" }.kind().exit_code(), 4);
        assert_eq!(StoreError::RetentionYears.kind().exit_code(), 2);
        assert_eq!(
            RosterError::ReadBack { detail: "x".into() }
                .kind()
                .exit_code(),
            5
        );
        assert_eq!(RosterError::NoMembers.kind().exit_code(), 2);
        assert_eq!(CheckpointError::NoDeviceKey.kind().exit_code(), 2);
        assert_eq!(CheckpointError::Origin.kind().exit_code(), 1);
        assert_eq!(IncidentError::FutureDate.kind().exit_code(), 2);
        assert_eq!(
            PolicyError::ReverifyMonths { most: 60 }.kind().exit_code(),
            2
        );
        assert_eq!(
            LotteryError::Internal {
                what: "乱数の元"
            }
            .kind()
            .exit_code(),
            1
        );
    }
}
