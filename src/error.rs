//! Errors staff can read: each says what is wrong and what to do, in Japanese,
//! and never carries a personal value.

use crate::config::ConfigError;
use crate::crypto::{CryptoError, KeyslotError, RecoveryKeyError};
use crate::eligibility::InputError;
use crate::report::ReportError;
use crate::store::schema::MigrationError;

/// Everything the store and the services can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("保存ファイルが見つかりません（{0}）。先に「tsudoi init」で作成してください。")]
    StoreMissing(String),
    #[error("保存ファイルがすでにあります（{0}）。別の場所を指定してください。")]
    StoreExists(String),
    #[error(
        "保存ファイルを読み書きできません（{0}）。ディスクの空きを確かめてください。続くときは tsudoi doctor の表示を設置業者に見せてください。"
    )]
    Database(#[from] rusqlite::Error),
    #[error("{0}")]
    Migration(#[from] MigrationError),
    #[error("ファイルを読み書きできません: {0}")]
    Io(#[from] std::io::Error),
    /// No screen could be opened (no display, no framebuffer). `detail` is
    /// the backends' own report, shown only with `--verbose`.
    #[error(
        "画面が見つかりません。画面のない端末では、データだけを作る tsudoi demo --no-ui か、画面をPNGに描く tsudoi screenshot --out フォルダ を使ってください（表示先は環境変数 SLINT_BACKEND で選べます。詳しい理由は --verbose で表示します）。"
    )]
    NoDisplay { detail: String },
    /// A named file could not be read or written. `what` is its path or its
    /// kind ("設定ファイル …"), never a personal value.
    #[error("{what}: {source}")]
    File {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    RecoveryKey(#[from] RecoveryKeyError),
    #[error("スタッフIDまたはパスワードが違います。")]
    WrongCredentials,
    #[error("鍵の情報が壊れています（{0}）。取扱責任者に連絡し、回復キーで復旧してください。")]
    KeyslotCorrupt(String),
    #[error(
        "パスワードを続けて間違えたため、このアカウントはロックされています。あと{minutes}分待ってからもう一度お試しください。"
    )]
    AccountLocked { minutes: i64 },
    #[error("このアカウントは無効です。取扱責任者に確認してください。")]
    AccountInactive,
    #[error("初めてのサインインです。先にパスワードを変更してください（tsudoi staff passwd）。")]
    PasswordChangeRequired,
    #[error("{0}")]
    WeakPassword(String),
    #[error("データがロックされています。スタッフがサインインしてください。")]
    Locked,
    #[error("この操作は{role}の権限ではできません。取扱責任者に依頼してください。")]
    NotPermitted { role: &'static str },
    #[error("{what}が見つかりません。番号を確かめてください。")]
    NotFound { what: &'static str },
    #[error("{what}の番号「{prefix}」に当てはまるものが複数あります。もっと長く入力してください。")]
    Ambiguous { what: &'static str, prefix: String },
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "同じ方がすでに登録されている可能性があります（登録番号 {existing}）。その記録を確かめてください。"
    )]
    DuplicateParticipant { existing: String },
    #[error("このカードはすでに別の方に登録されています。")]
    CardInUse,
    #[error("{0}")]
    NotEligible(String),
    #[error("{0}")]
    Draw(#[from] crate::lottery::rfc3797::DrawError),
    #[error("{0}")]
    Refused(String),
    #[error(
        "記録が壊れているか、書き換えられています（{0}）。何も表示・変更していません。取扱責任者に連絡してください。"
    )]
    Tampered(String),
    /// A file the kiosk relies on (not the store) is damaged or was altered:
    /// its checksum does not match. The sentence names the file.
    #[error("{0}")]
    DamagedFile(String),
    #[error(
        "この操作に必要な鍵（個人情報の鍵）を持っていません。取扱責任者か取扱者がサインインしてください。"
    )]
    KeyNotHeld,
    #[error(
        "保存ファイルの形式を新しくする必要があります。先に取扱責任者がサインインしてください。"
    )]
    UpgradeNeeded,
    #[error(
        "この保存ファイルは契約の終了により消去されています。残っているのは消去証明書だけです（tsudoi erase certificate --out フォルダ で書き出せます）。"
    )]
    Erased,
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
    #[error(
        "端末の時計（{now}）が、この保存ファイルに最後に記録された日時（{seen}）より前になっています。スタッフが日時を確かめるまで、受付は記録しません。登録・教室の申し込み・抽選・報告・消去もできません（tsudoi clock confirm）。"
    )]
    ClockBehind { now: String, seen: String },
}

impl From<KeyslotError> for Error {
    fn from(e: KeyslotError) -> Self {
        match e {
            KeyslotError::WrongSecret => Error::WrongCredentials,
            other => Error::KeyslotCorrupt(other.to_string()),
        }
    }
}

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
            | Error::Invalid(_)
            | Error::WeakPassword(_)
            | Error::NotFound { .. }
            | Error::Ambiguous { .. }
            | Error::DuplicateParticipant { .. }
            | Error::CardInUse
            | Error::NotEligible(_)
            | Error::Draw(_)
            | Error::Refused(_)
            | Error::Erased
            | Error::RecoveryKey(_) => K::InvalidInput,
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
            Error::Crypto(c) => match c {
                CryptoError::Random => K::Other,
                CryptoError::TooLarge | CryptoError::InvalidAad => K::Other,
                _ => K::Damaged,
            },
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
            Error::Database(e) => sqlite_kind(e),
            Error::Migration(MigrationError::Sqlite(e)) => sqlite_kind(e),
            Error::Migration(MigrationError::TooNew { .. }) => K::Other,
        }
    }
}
