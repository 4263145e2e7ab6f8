//! The error type shared by the data-key, field and index APIs.

use thiserror::Error;

use crate::error::ErrorKind;

/// Errors from [`super::DataKey`], [`super::FieldCipher`], the blind index
/// and card token types.
///
/// Variant names are English for code; `Display` is a short Japanese
/// sentence that can be shown to staff as is. No variant carries data, so
/// an error can be logged without leaking a value, a key or a position.
/// Opening never says more than "damaged or altered": which byte, which
/// key or what the plaintext began with is not told. Its kind
/// ([`CryptoError::kind`]) is the command line's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The operating system could not provide random bytes. Other (exit 1).
    #[error("乱数を生成できませんでした。端末を再起動してください。")]
    Random,
    /// The blob is shorter than the fixed header plus tag. Damaged (exit 4).
    #[error("暗号化されたデータが壊れています。")]
    Truncated,
    /// The blob's first byte is not a format version this code knows.
    /// Damaged (exit 4).
    #[error("暗号化されたデータの形式に対応していません。")]
    UnsupportedVersion,
    /// The value was sealed under another data key (key id mismatch).
    /// Damaged (exit 4).
    #[error("このデータは別の鍵で暗号化されています。")]
    WrongKey,
    /// Authentication failed: the value was tampered with, or moved to
    /// another cell (table, column or row id differ from when it was sealed).
    /// Damaged (exit 4). A wrong key and an altered value are one variant
    /// here on purpose: the AEAD cannot tell them apart.
    #[error("暗号化されたデータが壊れているか、改ざんされています。")]
    Authentication,
    /// The plaintext is too large for one AEAD message: a fault inside
    /// tsudoi, other (exit 1).
    #[error("データが大きすぎて暗号化できません。")]
    TooLarge,
    /// A table, column or row id is empty or longer than 2^32-1 bytes: a
    /// fault inside tsudoi, other (exit 1).
    #[error("暗号化の対象（表・列・行）の指定が正しくありません。")]
    InvalidAad,
    /// A decrypted value expected to be text is not valid UTF-8. Damaged
    /// (exit 4).
    #[error("復号したデータが文字列ではありません。")]
    NotText,
    /// A key id, card token or index setting is not in the expected form,
    /// or a key bundle lacks a key it should hold: all read from the store,
    /// so damaged (exit 4).
    #[error("鍵または索引の設定値の形式が正しくありません。")]
    InvalidEncoding,
}

impl CryptoError {
    /// No randomness and a request tsudoi should not have made
    /// ([`CryptoError::TooLarge`], [`CryptoError::InvalidAad`]) are
    /// [`ErrorKind::Other`] (exit 1); everything met while opening stored
    /// data is [`ErrorKind::Damaged`] (exit 4).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CryptoError::Random | CryptoError::TooLarge | CryptoError::InvalidAad => {
                ErrorKind::Other
            }
            CryptoError::Truncated
            | CryptoError::UnsupportedVersion
            | CryptoError::WrongKey
            | CryptoError::Authentication
            | CryptoError::NotText
            | CryptoError::InvalidEncoding => ErrorKind::Damaged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{KeyslotError, RecoveryKeyError};
    use crate::error::Error;

    fn exit(e: impl Into<Error>) -> u8 {
        e.into().kind().exit_code()
    }

    /// A staff member's mistake, a refusal and damage are three exit codes;
    /// the crypto layer's own faults are 1.
    #[test]
    fn each_crypto_error_exits_by_its_kind() {
        // Typed in wrong by staff: 2.
        for e in [
            RecoveryKeyError::InvalidCharacter,
            RecoveryKeyError::InvalidLength,
            RecoveryKeyError::Checksum,
        ] {
            assert_eq!(exit(e), 2, "{e:?}");
        }
        // A wrong password, or a wrapped key altered in place: 3, one answer.
        assert_eq!(exit(KeyslotError::WrongSecret), 3);
        assert!(matches!(
            Error::from(KeyslotError::WrongSecret),
            Error::WrongCredentials
        ));
        // A slot that does not read, a value that does not open: 4.
        for e in [
            KeyslotError::Corrupt,
            KeyslotError::WrongKind,
            KeyslotError::KdfFailed,
        ] {
            assert_eq!(exit(e), 4, "{e:?}");
            assert!(matches!(Error::from(e), Error::KeyslotCorrupt(_)), "{e:?}");
        }
        for e in [
            CryptoError::Truncated,
            CryptoError::UnsupportedVersion,
            CryptoError::WrongKey,
            CryptoError::Authentication,
            CryptoError::NotText,
            CryptoError::InvalidEncoding,
        ] {
            assert_eq!(exit(e), 4, "{e:?}");
        }
        // No randomness, or a request tsudoi should not make: 1 (the keyslot's
        // were 4, the recovery key's 2).
        assert_eq!(exit(KeyslotError::Random), 1);
        assert_eq!(exit(KeyslotError::InvalidInput), 1);
        assert_eq!(exit(RecoveryKeyError::Random), 1);
        for e in [
            CryptoError::Random,
            CryptoError::TooLarge,
            CryptoError::InvalidAad,
        ] {
            assert_eq!(exit(e), 1, "{e:?}");
        }
    }

    /// The messages keep their words (a damaged slot's inside the store's
    /// sentence) and carry nothing but fixed text.
    #[test]
    fn messages_keep_their_words_and_carry_no_value() {
        assert_eq!(
            Error::from(KeyslotError::WrongSecret).to_string(),
            "スタッフIDまたはパスワードが違います。"
        );
        assert_eq!(
            Error::from(KeyslotError::Corrupt).to_string(),
            "鍵の情報が壊れています（鍵スロットが壊れています。管理者に連絡してください。）。取扱責任者に連絡し、回復キーで復旧してください。"
        );
        assert_eq!(
            Error::from(KeyslotError::Random).to_string(),
            "乱数を生成できませんでした。端末を再起動してください。"
        );
        assert_eq!(
            Error::from(RecoveryKeyError::Checksum).to_string(),
            "回復キーの入力に誤りがあります。もう一度確認してください。"
        );
        // Debug is the variant's name only.
        assert_eq!(format!("{:?}", KeyslotError::WrongSecret), "WrongSecret");
        assert_eq!(format!("{:?}", RecoveryKeyError::Checksum), "Checksum");
        assert_eq!(
            format!("{:?}", CryptoError::Authentication),
            "Authentication"
        );
    }
}
