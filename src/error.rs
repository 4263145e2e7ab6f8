//! Errors staff can read: each says what is wrong and what to do, in Japanese,
//! and never carries a personal value.

use crate::crypto::{CryptoError, KeyslotError, RecoveryKeyError};
use crate::eligibility::InputError;
use crate::store::schema::MigrationError;

/// Everything the store and the services can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("保存ファイルが見つかりません（{0}）。先に「tsudoi init」で作成してください。")]
    StoreMissing(String),
    #[error("保存ファイルがすでにあります（{0}）。別の場所を指定してください。")]
    StoreExists(String),
    #[error("保存ファイルを読み書きできません: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{0}")]
    Migration(#[from] MigrationError),
    #[error("ファイルを読み書きできません: {0}")]
    Io(#[from] std::io::Error),
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
    #[error(
        "端末の時計（{now}）が、この保存ファイルに最後に記録された日時（{seen}）より前になっています。スタッフが日時を確かめるまで、受付は記録しません（tsudoi clock confirm）。"
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
