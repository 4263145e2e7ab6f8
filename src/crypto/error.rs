//! The error type shared by the data-key, field and index APIs.

use thiserror::Error;

/// Errors from [`super::DataKey`], [`super::FieldCipher`], the blind index
/// and card token types.
///
/// Variant names are English for code; `Display` is a short Japanese
/// sentence that can be shown to staff as is. No variant carries data, so
/// an error can be logged without leaking a value, a key or a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// The operating system could not provide random bytes.
    #[error("乱数を生成できませんでした。端末を再起動してください。")]
    Random,
    /// The blob is shorter than the fixed header plus tag.
    #[error("暗号化されたデータが壊れています。")]
    Truncated,
    /// The blob's first byte is not a format version this code knows.
    #[error("暗号化されたデータの形式に対応していません。")]
    UnsupportedVersion,
    /// The value was sealed under another data key (key id mismatch).
    #[error("このデータは別の鍵で暗号化されています。")]
    WrongKey,
    /// Authentication failed: the value was tampered with, or moved to
    /// another cell (table, column or row id differ from when it was sealed).
    #[error("暗号化されたデータが壊れているか、改ざんされています。")]
    Authentication,
    /// The plaintext is too large for one AEAD message.
    #[error("データが大きすぎて暗号化できません。")]
    TooLarge,
    /// A table, column or row id is empty or longer than 2^32-1 bytes.
    #[error("暗号化の対象（表・列・行）の指定が正しくありません。")]
    InvalidAad,
    /// A decrypted value expected to be text is not valid UTF-8.
    #[error("復号したデータが文字列ではありません。")]
    NotText,
    /// A key id, card token or index setting is not in the expected form.
    #[error("鍵または索引の設定値の形式が正しくありません。")]
    InvalidEncoding,
}
