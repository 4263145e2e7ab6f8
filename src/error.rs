//! Errors staff can read: each says what is wrong and what to do, in Japanese,
//! and never carries a personal value.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use crate::config::ConfigError;
use crate::crypto::{CryptoError, KeyslotError, RecoveryKeyError};
use crate::eligibility::InputError;
use crate::report::ReportError;
use crate::store::errors::{
    CheckpointError, GroupError, IncidentError, LotteryError, ParticipantError, PolicyError,
    RosterError, SessionError, StaffError, StoreError,
};
use crate::store::schema::MigrationError;

/// Everything the store and the services can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No store file at the configured path (the path is in the message). Create one with `tsudoi
    /// init`, or fix the path in the configuration.
    #[error("保存ファイルが見つかりません（{0}）。先に「tsudoi init」で作成してください。")]
    StoreMissing(String),
    /// `init` was given a path where a store file already exists; nothing was overwritten. Choose
    /// another path.
    #[error("保存ファイルがすでにあります（{0}）。別の場所を指定してください。")]
    StoreExists(String),
    /// SQLite could not read or write the store file (full disk, permissions, a damaged file).
    /// Check the free space; if it persists, show `tsudoi doctor` to the installer.
    /// A typed refusal raised inside a row mapper (a damaged row) is not
    /// this: see `From<rusqlite::Error>`.
    #[error(
        "保存ファイルを読み書きできません（{0}）。ディスクの空きを確かめてください。続くときは tsudoi doctor の表示を設置業者に見せてください。"
    )]
    Database(rusqlite::Error),
    /// The store file could not be brought to the current format (see [`MigrationError`]).
    #[error("{0}")]
    Migration(#[from] MigrationError),
    /// A file or folder could not be read or written (the OS error says why).
    #[error("ファイルを読み書きできません: {0}")]
    Io(#[from] std::io::Error),
    /// No screen could be opened (no display, no framebuffer). `detail` is
    /// the backends' own report, shown only with `--verbose`. The sentence
    /// names `tsudoi screenshot` only in the development build (feature
    /// `dev`), the only one that has it.
    #[cfg_attr(
        feature = "dev",
        error(
            "画面が見つかりません。画面のない端末では、データだけを作る tsudoi demo --no-ui か、画面をPNGに描く tsudoi screenshot --out フォルダ を使ってください（表示先は環境変数 SLINT_BACKEND で選べます。詳しい理由は --verbose で表示します）。"
        )
    )]
    #[cfg_attr(
        not(feature = "dev"),
        error(
            "画面が見つかりません。画面のない端末では、データだけを作る tsudoi demo --no-ui を使ってください（表示先は環境変数 SLINT_BACKEND で選べます。画面の接続を確かめてください。詳しい理由は --verbose で表示します）。"
        )
    )]
    NoDisplay {
        /// The UI backends' own reasons, for `--verbose` only.
        detail: String,
    },
    /// A named file could not be read or written. `what` is its path or its
    /// kind ("設定ファイル …"), never a personal value.
    #[error("{what}: {source}")]
    File {
        /// The file's path or kind, never a personal value.
        what: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Sealing or opening data failed (see [`CryptoError`]); for opening, the data is damaged or
    /// altered.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// The recovery key typed is malformed (see [`RecoveryKeyError`]): check it against the printed
    /// sheet.
    #[error("{0}")]
    RecoveryKey(#[from] RecoveryKeyError),
    /// A keyslot could not be sealed for a reason that is neither the staff's nor the slot's (no
    /// randomness, a request tsudoi should not have made); see [`KeyslotError::kind`]. A wrong
    /// password is [`Error::WrongCredentials`] and a damaged slot [`Error::KeyslotCorrupt`], never
    /// this.
    #[error("{0}")]
    Keyslot(KeyslotError),
    /// A development tool (`tsudoi screenshot`, `tsudoi bench`) did not finish; its kind is
    /// [`DevError::kind`](crate::dev::DevError::kind). Only in builds with the `dev` feature.
    #[cfg(feature = "dev")]
    #[error(transparent)]
    Dev(#[from] crate::dev::DevError),
    /// Wrong staff id or password (which one is not said). Counts towards the account's lockout.
    ///
    /// On purpose this is also the answer for an unknown staff id and for a password slot whose
    /// wrapped key was altered with its checksum made to match ([`KeyslotError::WrongSecret`]):
    /// the AEAD cannot tell an altered slot from a wrong password, and answering differently
    /// would tell someone guessing which ids exist or whether a guess met a changed slot.
    #[error("スタッフIDまたはパスワードが違います。")]
    WrongCredentials,
    /// A staff keyslot or the key bundle is damaged; the message names the part. A manager restores
    /// access with the recovery key. Only found by checks made without the password (the row's
    /// checksum, the slot's layout), so it tells nothing about the password typed.
    #[error("鍵の情報が壊れています（{0}）。取扱責任者に連絡し、回復キーで復旧してください。")]
    KeyslotCorrupt(String),
    /// Too many failed sign-ins: the account is locked for a while. Wait, or ask a manager.
    #[error(
        "パスワードを続けて間違えたため、このアカウントはロックされています。あと{minutes}分待ってからもう一度お試しください。"
    )]
    AccountLocked {
        /// Minutes left until the lock ends.
        minutes: i64,
    },
    /// The account was deactivated. A manager can make a new one if the person still works here.
    #[error("このアカウントは無効です。取扱責任者に確認してください。")]
    AccountInactive,
    /// The account still has its first (or reset) password: change it before any other work.
    #[error("初めてのサインインです。先にパスワードを変更してください（tsudoi staff passwd）。")]
    PasswordChangeRequired,
    /// A new password was refused; the message says which rule it breaks (13–256
    /// characters, two kinds of character, not the staff id).
    #[error("{0}")]
    WeakPassword(String),
    /// The store's keys are not in memory (no staff member signed in since it was locked): sign in
    /// first.
    #[error("データがロックされています。スタッフがサインインしてください。")]
    Locked,
    /// The signed-in role may not do this; ask a manager (取扱責任者).
    #[error("この操作は{role}の権限ではできません。取扱責任者に依頼してください。")]
    NotPermitted {
        /// The role's Japanese name.
        role: &'static str,
    },
    /// No record with the given id (or id prefix). Check the number.
    #[error("{what}が見つかりません。番号を確かめてください。")]
    NotFound {
        /// What was looked for, in Japanese (「参加者」, 「開催回」, …).
        what: &'static str,
    },
    /// An id prefix matches more than one record: type more of it.
    #[error("{what}の番号「{prefix}」に当てはまるものが複数あります。もっと長く入力してください。")]
    Ambiguous {
        /// What was looked for, in Japanese.
        what: &'static str,
        /// The prefix as typed (an id, never personal data).
        prefix: String,
    },
    /// A typed value (date, phone, postal code, name) is malformed; the message says what form is
    /// expected.
    #[error("{0}")]
    Input(#[from] InputError),
    /// A person with the same phone and the same birth date or furigana is
    /// registered already; nothing was stored. Check that record before registering again.
    #[error(
        "同じ方がすでに登録されている可能性があります（登録番号 {existing}）。その記録を確かめてください。"
    )]
    DuplicateParticipant {
        /// The existing record's short id (first 8 characters).
        existing: String,
    },
    /// The card tapped is already linked to someone else; unlink it there first, or use another
    /// card.
    #[error("このカードはすでに別の方に登録されています。")]
    CardInUse,
    /// The person does not meet the age or residence rules for this; the message says why and from
    /// when.
    #[error("{0}")]
    NotEligible(String),
    /// The lottery draw could not be run from the sources given (see
    /// [`DrawError`](crate::lottery::rfc3797::DrawError)).
    #[error("{0}")]
    Draw(#[from] crate::lottery::rfc3797::DrawError),
    /// The request is refused as it stands (for example training mode pointed at
    /// the real store); the message says why and what to do instead.
    #[error("{0}")]
    Refused(String),
    /// A stored record failed its authentication or chain check: it was damaged or edited outside
    /// tsudoi. Nothing was shown or changed; tell a manager.
    #[error(
        "記録が壊れているか、書き換えられています（{0}）。何も表示・変更していません。取扱責任者に連絡してください。"
    )]
    Tampered(String),
    /// A file the kiosk relies on (not the store) is damaged or was altered:
    /// its checksum does not match. The sentence names the file.
    #[error("{0}")]
    DamagedFile(String),
    /// The signed-in staff hold no key that opens personal data (operators only): a manager or
    /// handler must sign in.
    #[error(
        "この操作に必要な鍵（個人情報の鍵）を持っていません。取扱責任者か取扱者がサインインしてください。"
    )]
    KeyNotHeld,
    /// The store file is in an older format that needs keys to upgrade: a manager must sign in
    /// first.
    #[error(
        "保存ファイルの形式を新しくする必要があります。先に取扱責任者がサインインしてください。"
    )]
    UpgradeNeeded,
    /// The store was erased at the end of the contract; only the erasure certificate is left
    /// (`tsudoi erase certificate`).
    #[error(
        "この保存ファイルは契約の終了により消去されています。残っているのは消去証明書だけです（tsudoi erase certificate --out フォルダ で書き出せます）。"
    )]
    Erased,
    /// The account's keyslot was not carried over by a format upgrade: a manager reissues it with
    /// the recovery key (`tsudoi staff recover`).
    #[error(
        "このアカウントは保存ファイルの更新で鍵が作り直されました。取扱責任者に回復キーでの再発行（tsudoi staff recover）を依頼してください。"
    )]
    ReissueNeeded,
    /// The configuration file is unreadable or holds a wrong value; its
    /// kind is [`ConfigError::kind`].
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A report could not be exported, verified or merged; its kind is
    /// [`ReportError::kind`].
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A hobby group's request was refused, or a meeting's stored row is
    /// unreadable; its kind is [`GroupError::kind`].
    #[error(transparent)]
    Group(#[from] GroupError),
    /// An activity was refused as entered; its kind is [`SessionError::kind`].
    #[error(transparent)]
    Session(#[from] SessionError),
    /// A staff account's request was refused, or its stored role is
    /// unreadable; its kind is [`StaffError::kind`].
    #[error(transparent)]
    Staff(#[from] StaffError),
    /// A resident's record was refused as entered, or a stored date is
    /// unreadable; its kind is [`ParticipantError::kind`].
    #[error(transparent)]
    Participant(#[from] ParticipantError),
    /// A class by application or its draw was refused as entered, or a
    /// stored value of it is unreadable; its kind is [`LotteryError::kind`].
    #[error(transparent)]
    Lottery(#[from] LotteryError),
    /// An audit checkpoint could not be made, signed or checked; its kind is
    /// [`CheckpointError::kind`].
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A security policy is below tsudoi's floor; its kind is
    /// [`PolicyError::kind`].
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// An incident record was refused as entered; its kind is
    /// [`IncidentError::kind`].
    #[error(transparent)]
    Incident(#[from] IncidentError),
    /// A roster from or to the ward was refused or failed; its kind is
    /// [`RosterError::kind`].
    #[error(transparent)]
    Roster(#[from] RosterError),
    /// A request of the store's smaller areas was refused, or the store's
    /// own setting is unreadable; its kind is [`StoreError::kind`].
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A training practice was refused as asked; its kind is
    /// [`TrainingError::kind`](crate::training::TrainingError::kind).
    #[error(transparent)]
    Training(#[from] crate::training::TrainingError),
    /// The certificate of erasure could not be made; its kind is
    /// [`ErasureError::kind`](crate::erasure::ErasureError::kind).
    #[error(transparent)]
    Erasure(#[from] crate::erasure::ErasureError),
    /// The kiosk itself failed (a screen not drawn, the set-up's work
    /// stopped); its kind is [`KioskError::kind`](crate::kiosk::error::KioskError::kind).
    #[error(transparent)]
    Kiosk(#[from] crate::kiosk::error::KioskError),
    /// A command was refused as typed; its kind is
    /// [`CliError::kind`](crate::cli_error::CliError::kind).
    #[error(transparent)]
    Cli(#[from] crate::cli_error::CliError),
    /// The device clock is earlier than the latest time the store recorded: a wrong clock would
    /// falsify dates. Staff check the time and confirm it (`tsudoi clock confirm`); until then
    /// nothing dated is recorded.
    #[error(
        "端末の時計（{now}）が、この保存ファイルに最後に記録された日時（{seen}）より前になっています。スタッフが日時を確かめるまで、受付は記録しません。登録・教室の申し込み・抽選・報告・消去もできません（tsudoi clock confirm）。"
    )]
    ClockBehind {
        /// The device's time now, as shown.
        now: String,
        /// The latest time the store recorded.
        seen: String,
    },
}

/// A row mapper's typed refusal (a stored value that does not read, raised
/// with `store::errors::in_row`) comes out as its own layer's error, so it
/// exits 4 with its own sentence; every other rusqlite error is
/// [`Error::Database`].
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e else {
            return Error::Database(e);
        };
        if let Some(s) = inner.downcast_ref::<StoreError>() {
            return Error::Store(s.clone());
        }
        if let Some(s) = inner.downcast_ref::<SessionError>() {
            return Error::Session(s.clone());
        }
        if let Some(g) = inner.downcast_ref::<GroupError>() {
            return Error::Group(g.clone());
        }
        Error::Database(e)
    }
}

/// The crate's result type: [`Error`] unless another error is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is: the command line's exit code and
/// how the kiosk reacts follow from it, not from the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The user typed or chose something wrong, or asked for something that
    /// does not exist: fix the input and try again. Exit code 2.
    InvalidInput,
    /// The user may not do this now (wrong password, locked account, role
    /// without the right, keys not held, clock not confirmed). Exit code 3.
    NotAllowed,
    /// Stored data is damaged or was tampered with. Exit code 4.
    Damaged,
    /// The disk, the file system or a device failed (full disk, I/O error,
    /// no permission). Exit code 5.
    Io,
    /// Anything else (a file from a newer tsudoi, an internal failure).
    /// Exit code 1.
    Other,
}

impl ErrorKind {
    /// The command line's exit code for this kind (documented in the README,
    /// `docs/dev/commands.md` and `tsudoi --help`). 1 is also what commands
    /// return for a check whose answer is "no" (not eligible, log not intact).
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::InvalidInput => 2,
            ErrorKind::NotAllowed => 3,
            ErrorKind::Damaged => 4,
            ErrorKind::Io => 5,
            ErrorKind::Other => 1,
        }
    }
}

fn sqlite_kind(e: &rusqlite::Error) -> ErrorKind {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => ErrorKind::Damaged,
        Some(
            C::SystemIoFailure
            | C::DiskFull
            | C::CannotOpen
            | C::ReadOnly
            | C::PermissionDenied
            | C::FileLockingProtocolFailed,
        ) => ErrorKind::Io,
        _ => ErrorKind::Other,
    }
}

impl Error {
    /// Details for `--verbose` that the one-sentence message leaves out.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::NoDisplay { detail } => Some(detail),
            _ => None,
        }
    }

    /// The kind of this failure.
    pub fn kind(&self) -> ErrorKind {
        use ErrorKind as K;
        match self {
            Error::StoreMissing(_)
            | Error::StoreExists(_)
            | Error::Input(_)
            | Error::WeakPassword(_)
            | Error::NotFound { .. }
            | Error::Ambiguous { .. }
            | Error::DuplicateParticipant { .. }
            | Error::CardInUse
            | Error::NotEligible(_)
            | Error::Draw(_)
            | Error::Refused(_)
            | Error::Erased => K::InvalidInput,
            Error::WrongCredentials
            | Error::AccountLocked { .. }
            | Error::AccountInactive
            | Error::PasswordChangeRequired
            | Error::Locked
            | Error::NotPermitted { .. }
            | Error::KeyNotHeld
            | Error::UpgradeNeeded
            | Error::ReissueNeeded
            | Error::ClockBehind { .. } => K::NotAllowed,
            Error::Tampered(_) | Error::KeyslotCorrupt(_) | Error::DamagedFile(_) => K::Damaged,
            Error::Crypto(e) => e.kind(),
            Error::RecoveryKey(e) => e.kind(),
            Error::Keyslot(e) => e.kind(),
            #[cfg(feature = "dev")]
            Error::Dev(e) => e.kind(),
            Error::Io(_) | Error::NoDisplay { .. } => K::Io,
            // A path that does not exist, a file that already does, or one
            // that is not text is the user's to correct; anything else is
            // the disk's failure.
            Error::File { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound
                | std::io::ErrorKind::AlreadyExists
                | std::io::ErrorKind::InvalidData => K::InvalidInput,
                _ => K::Io,
            },
            Error::Config(e) => e.kind(),
            Error::Report(e) => e.kind(),
            Error::Group(e) => e.kind(),
            Error::Session(e) => e.kind(),
            Error::Staff(e) => e.kind(),
            Error::Participant(e) => e.kind(),
            Error::Lottery(e) => e.kind(),
            Error::Checkpoint(e) => e.kind(),
            Error::Policy(e) => e.kind(),
            Error::Incident(e) => e.kind(),
            Error::Roster(e) => e.kind(),
            Error::Store(e) => e.kind(),
            Error::Training(e) => e.kind(),
            Error::Erasure(e) => e.kind(),
            Error::Kiosk(e) => e.kind(),
            Error::Cli(e) => e.kind(),
            Error::Database(e) => sqlite_kind(e),
            Error::Migration(MigrationError::Sqlite(e)) => sqlite_kind(e),
            Error::Migration(MigrationError::TooNew { .. }) => K::Other,
        }
    }
}

// The crypto layer's conversions (issue 17).

impl From<KeyslotError> for Error {
    /// A wrong secret (or a wrapped key altered in place, which the AEAD cannot tell from it) is
    /// [`Error::WrongCredentials`]; a slot that does not read is [`Error::KeyslotCorrupt`] with the
    /// slot error's sentence; no randomness or a bad request is [`Error::Keyslot`] (exit 1, was 4).
    fn from(e: KeyslotError) -> Self {
        match e {
            KeyslotError::WrongSecret => Error::WrongCredentials,
            KeyslotError::Corrupt | KeyslotError::KdfFailed | KeyslotError::WrongKind => {
                Error::KeyslotCorrupt(e.to_string())
            }
            KeyslotError::InvalidInput | KeyslotError::Random => Error::Keyslot(e),
        }
    }
}
