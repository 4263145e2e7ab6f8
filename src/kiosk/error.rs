//! The kiosk's own failures ([`KioskError`]): drawing a screen to a file,
//! the set-up's background work, a transfer with nothing to write. Each
//! converts into the crate's [`Error`](crate::error::Error) and has a
//! `kind()`.

use crate::error::ErrorKind;

/// A failure of the kiosk itself (not of the store behind it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KioskError {
    /// A screen could not be rendered for `tsudoi screenshot` (the
    /// renderer's reason in `detail`).
    #[error("画面を描けませんでした: {detail}。設置業者に連絡してください。")]
    Snapshot {
        /// The renderer's reason.
        detail: String,
    },
    /// A rendered screen could not be encoded as PNG (not the disk: a disk
    /// failure is [`Error::Io`](crate::error::Error::Io)).
    #[error("PNGを書けませんでした: {detail}。設置業者に連絡してください。")]
    Png {
        /// The encoder's reason.
        detail: String,
    },
    /// The set-up's background work creating the store stopped without an
    /// answer. Nothing may have been made; try again.
    #[error("保存ファイルを作る処理が途中で止まりました。もう一度お試しください。")]
    SetupStopped,
    /// The monthly report was asked for before its counts were made.
    #[error("この月の集計がありません。月を選び直してください。")]
    NoCounts,
    /// A demo card's identifier, made by tsudoi itself for the demo store,
    /// was refused by the card layer (a fault inside tsudoi). `detail` is
    /// the card layer's sentence, never an identifier.
    #[error("見本のカードを作れません（{detail}）。設置業者に連絡してください。")]
    DemoCard {
        /// The card layer's sentence.
        detail: String,
    },
}

impl KioskError {
    /// Nothing to write is [`ErrorKind::InvalidInput`] (exit 2); the rest
    /// are faults inside tsudoi, [`ErrorKind::Other`] (exit 1).
    pub fn kind(&self) -> ErrorKind {
        match self {
            KioskError::NoCounts => ErrorKind::InvalidInput,
            _ => ErrorKind::Other,
        }
    }
}
