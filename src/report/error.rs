//! The report layer's errors: exporting, signing and verifying report
//! folders, and the ward's merge of several sites' reports. Each variant says
//! when it happens and its kind ([`ErrorKind`], the command line's exit
//! code); the messages are the Japanese sentences staff read, and carry file
//! and folder names, never a personal value.

use std::path::PathBuf;

use crate::error::{Error, ErrorKind};

/// What a signed folder's check ([`super::sign::verify_dir`]) found wrong.
///
/// A folder whose signed list, signature or files do not match is damaged
/// or was altered ([`ErrorKind::Damaged`], exit 4); a folder that is not a
/// signed report at all, or a key typed wrong, is input to correct
/// ([`ErrorKind::InvalidInput`], exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A public key (typed with `--public-key`, or from an export) is not 64
    /// hexadecimal digits of an Ed25519 key. [`ErrorKind::InvalidInput`].
    #[error("公開鍵は64文字の16進数で入力してください（設置時の記録票に印刷されています）。")]
    BadPublicKey,
    /// The folder has no `SHA256SUMS`: it is not a signed report folder
    /// (or not the folder meant). [`ErrorKind::InvalidInput`].
    #[error(
        "検証できませんでした: SHA256SUMS がありません。署名された報告のフォルダを指定してください。"
    )]
    NoManifest,
    /// `SHA256SUMS.sig` is missing beside the list. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: SHA256SUMS.sig がありません。このフォルダは使わず、出力し直してください。"
    )]
    NoSignature,
    /// The signature file is not the exact form `sign` writes (128
    /// lowercase hexadecimal digits and a newline). [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 署名の形式が正しくありません。このフォルダは使わず、出力し直してください。"
    )]
    SignatureFormat,
    /// No `--public-key` was given and `SIGNER.txt` names none.
    /// [`ErrorKind::InvalidInput`].
    #[error(
        "検証できませんでした: 署名した端末の公開鍵がわかりません。--public-key で指定してください。"
    )]
    UnknownSigner,
    /// The key `SIGNER.txt` names is not a key (the file was changed).
    /// [`ErrorKind::Damaged`]; the sentence is the one for a key typed
    /// wrong, since giving the set-up sheet's key is what to do.
    #[error("公開鍵は64文字の16進数で入力してください（設置時の記録票に印刷されています）。")]
    SignerKey,
    /// The signature does not match the list: the list was changed, or
    /// another device signed it. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 署名が一致しません。ファイルの一覧が書き換えられたか、別の端末の署名です。このフォルダは使わず、出力し直してください。"
    )]
    SignatureMismatch,
    /// The signed list is not UTF-8. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 一覧の文字が壊れています。このフォルダは使わず、出力し直してください。"
    )]
    ManifestNotText,
    /// A line of the signed list is not `SUM  NAME`. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 一覧の行の形式が正しくありません。このフォルダは使わず、出力し直してください。"
    )]
    ManifestLine,
    /// The signed list names a file outside the folder or a hidden one.
    /// [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 一覧に不正なファイル名があります: {name}。このフォルダは使わず、出力し直してください。"
    )]
    BadFileName {
        /// The name as listed.
        name: String,
    },
    /// A listed file is missing. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: {name} がありません。このフォルダは使わず、出力し直してください。"
    )]
    FileMissing {
        /// The file's name.
        name: String,
    },
    /// A listed file's SHA-256 differs from the signed list: changed or
    /// damaged since it was signed. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: {name} の内容が署名のときと違います（改変または破損）。このフォルダは使わず、出力し直してください。"
    )]
    FileChanged {
        /// The file's name.
        name: String,
    },
    /// The folder holds a file the list does not name. [`ErrorKind::Damaged`].
    #[error(
        "検証できませんでした: 署名されていないファイルがあります: {name}。このフォルダは使わず、出力し直してください。"
    )]
    UnsignedFile {
        /// The file's name.
        name: String,
    },
    /// The folder could not be listed. [`ErrorKind::Io`] (exit 5).
    #[error("ファイルを読み書きできません: {0}")]
    Io(#[from] std::io::Error),
}

impl VerifyError {
    /// The kind of this failure, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::BadPublicKey | VerifyError::NoManifest | VerifyError::UnknownSigner => {
                ErrorKind::InvalidInput
            }
            VerifyError::Io(_) => ErrorKind::Io,
            VerifyError::NoSignature
            | VerifyError::SignatureFormat
            | VerifyError::SignerKey
            | VerifyError::SignatureMismatch
            | VerifyError::ManifestNotText
            | VerifyError::ManifestLine
            | VerifyError::BadFileName { .. }
            | VerifyError::FileMissing { .. }
            | VerifyError::FileChanged { .. }
            | VerifyError::UnsignedFile { .. } => ErrorKind::Damaged,
        }
    }
}

/// What the ward's merge of sites' reports (`tsudoi report merge`, and the
/// sealing of counts at export) refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// The ward's public key (`[report] ward_public_key`) is not an age
    /// key. [`ErrorKind::InvalidInput`].
    #[error("区の公開鍵は age1 で始まる文字列です。区から受け取ったものを確かめてください。")]
    WardKey,
    /// Encrypting to the ward's key failed (it does not, for a parsed key).
    /// [`ErrorKind::Other`] (exit 1).
    #[error("区の公開鍵で暗号化できません: {0}")]
    Seal(String),
    /// Encrypting a report's counts failed (it does not, for a parsed key).
    /// [`ErrorKind::Other`] (exit 1).
    #[error("人数データを暗号化できません: {0}")]
    SealCounts(String),
    /// The ward's identity file could not be read: [`ErrorKind::InvalidInput`]
    /// when it does not exist or is not text, [`ErrorKind::Io`] otherwise.
    #[error(
        "区の秘密鍵のファイル {} を読めません: {source}。--identity に ward-key で作ったファイルを指定してください。",
        .path.display()
    )]
    IdentityRead {
        /// The file given with `--identity`.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The identity file holds no age identity. [`ErrorKind::InvalidInput`].
    #[error(
        "区の秘密鍵のファイルの形式が正しくありません。--identity に ward-key で作ったファイルを指定してください。"
    )]
    IdentityFormat,
    /// A site's sealed counts do not open with the ward's identity (the
    /// wrong identity; the folder's signature was checked first).
    /// [`ErrorKind::InvalidInput`].
    #[error(
        "人数データを開けません。区の秘密鍵が違うか、ファイルが壊れています。--identity の区の秘密鍵を確かめてください。"
    )]
    CountsUnreadable,
    /// The opened counts are not the format's JSON: the signed file from
    /// the site is faulty. [`ErrorKind::Damaged`].
    #[error("人数データの形式が正しくありません。施設の報告を出力し直してください。")]
    CountsFormat,
    /// A count above 10^9 (no site counts a billion people or visits).
    /// [`ErrorKind::Damaged`].
    #[error("人数データに大きすぎる値があります。施設の報告を出力し直してください。")]
    CountTooLarge,
    /// The counts are of another format version. [`ErrorKind::Other`]
    /// (exit 1), like a store from a newer tsudoi.
    #[error("人数データの版が違います。tsudoiを更新してください。")]
    CountsVersion,
    /// Adding a site's counts to the sum overflowed. [`ErrorKind::Damaged`].
    #[error(
        "{} の人数データの値が大きすぎて合計できません。施設の報告を出力し直してください。",
        .dir.display()
    )]
    SumOverflow {
        /// The site's folder.
        dir: PathBuf,
    },
    /// Fewer than two folders were given. [`ErrorKind::InvalidInput`].
    #[error("合計するには2つ以上の報告フォルダを指定してください。")]
    TooFewDirs,
    /// A folder is signed by a device not among `--public-key`.
    /// [`ErrorKind::InvalidInput`].
    #[error(
        "{} は登録された端末の署名ではありません（公開鍵 {key}）。--public-key に設置時の記録票の公開鍵を指定してください。",
        .dir.display()
    )]
    UntrustedSigner {
        /// The folder.
        dir: PathBuf,
        /// The key that signed it.
        key: String,
    },
    /// Two folders come from the same device. [`ErrorKind::InvalidInput`].
    #[error(
        "同じ施設の報告が2回指定されています: {}。どちらか1つを指定してください。",
        .dir.display()
    )]
    DuplicateSite {
        /// The second folder.
        dir: PathBuf,
    },
    /// A folder has no counts sealed to the ward. [`ErrorKind::InvalidInput`].
    #[error(
        "{} には人数データ（区の公開鍵で暗号化したもの）がありません。施設の設定に区の公開鍵を入れて出力し直してください。",
        .dir.display()
    )]
    NoCounts {
        /// The folder.
        dir: PathBuf,
    },
    /// The folders are of different months. [`ErrorKind::InvalidInput`].
    #[error("違う月の報告が混ざっています。同じ月の報告だけを指定してください。")]
    MixedMonths,
    /// No report was read. [`ErrorKind::InvalidInput`].
    #[error("報告がありません。報告フォルダを指定してください。")]
    NoReports,
    /// The output folder has files in it. [`ErrorKind::InvalidInput`].
    #[error("出力先 {} は空ではありません。空のフォルダを指定してください。", .dir.display())]
    OutDirNotEmpty {
        /// The folder given with `--out`.
        dir: PathBuf,
    },
}

impl MergeError {
    /// The kind of this failure, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            MergeError::Seal(_) | MergeError::SealCounts(_) | MergeError::CountsVersion => {
                ErrorKind::Other
            }
            MergeError::IdentityRead { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidData => {
                    ErrorKind::InvalidInput
                }
                _ => ErrorKind::Io,
            },
            MergeError::CountsFormat
            | MergeError::CountTooLarge
            | MergeError::SumOverflow { .. } => ErrorKind::Damaged,
            MergeError::WardKey
            | MergeError::IdentityFormat
            | MergeError::CountsUnreadable
            | MergeError::TooFewDirs
            | MergeError::UntrustedSigner { .. }
            | MergeError::DuplicateSite { .. }
            | MergeError::NoCounts { .. }
            | MergeError::MixedMonths
            | MergeError::NoReports
            | MergeError::OutDirNotEmpty { .. } => ErrorKind::InvalidInput,
        }
    }
}

/// The report layer's errors: the monthly report and the other exports,
/// their CSV and PDF files, the copy onto a USB stick, and (inside)
/// [`VerifyError`] and [`MergeError`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A signed folder's check failed; the kind is [`VerifyError::kind`].
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The ward's merge refused; the kind is [`MergeError::kind`].
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The month is not `YYYY-MM`. [`ErrorKind::InvalidInput`].
    #[error("月は 2026-10 のように入力してください（入力: {given}）。")]
    BadMonth {
        /// What was typed.
        given: String,
    },
    /// `--encoding` is neither `utf8-bom` nor `cp932`. [`ErrorKind::InvalidInput`].
    #[error("--encoding は utf8-bom（標準）か cp932 にしてください。")]
    BadEncoding,
    /// A character of a CSV cell has no CP932 form (a session title, a
    /// site name): choose UTF-8. [`ErrorKind::InvalidInput`].
    #[error(
        "「{ch}」（U+{:04X}）はCP932（Shift_JIS）で表せません（{file} の{line}行目）。--encoding utf8-bom で出力してください。",
        u32::from(*.ch)
    )]
    NotCp932 {
        /// The character.
        ch: char,
        /// The CSV file's name.
        file: String,
        /// The 1-based line.
        line: usize,
    },
    /// The output folder has files in it. [`ErrorKind::InvalidInput`].
    #[error("出力先 {} は空ではありません。空のフォルダを指定してください。", .dir.display())]
    OutDirNotEmpty {
        /// The folder given.
        dir: PathBuf,
    },
    /// The purpose of taking data out is empty or over 100 characters.
    /// [`ErrorKind::InvalidInput`].
    #[error("持ち出しの目的を100文字以内で入力してください。")]
    BadPurpose,
    /// The period ends before it starts. [`ErrorKind::InvalidInput`].
    #[error("期間の終わり（--to）が始め（--from）より前です。日付を確かめてください。")]
    BadPeriod,
    /// What was read back from the USB stick differs from what was
    /// written: the medium is faulty. [`ErrorKind::Io`] (exit 5). `detail`
    /// is the check's own sentence, when there is one.
    #[error(
        "USBメモリから読み戻した内容が一致しません。別の媒体でやり直してください。{}",
        .detail.as_deref().map(|d| format!("（{d}）")).unwrap_or_default()
    )]
    ReadBackMismatch {
        /// What the check of the read-back folder found.
        detail: Option<String>,
    },
    /// A stored activity's program or date does not read: the store's
    /// data is damaged. [`ErrorKind::Damaged`].
    #[error("活動の{what}が壊れています。tsudoi doctor で保存ファイルを確かめてください。")]
    DamagedSession {
        /// 事業区分 or 日付.
        what: &'static str,
    },
    /// The PDF could not be made (the built-in font or page size refused,
    /// or the writer failed): a fault of this build. [`ErrorKind::Other`].
    #[error("{0}")]
    Pdf(String),
    /// A ledger entry could not be written as JSON: a fault of this build.
    /// [`ErrorKind::Other`].
    #[error("{0}")]
    Internal(String),
}

impl ReportError {
    /// The kind of this failure, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReportError::Verify(e) => e.kind(),
            ReportError::Merge(e) => e.kind(),
            ReportError::BadMonth { .. }
            | ReportError::BadEncoding
            | ReportError::NotCp932 { .. }
            | ReportError::OutDirNotEmpty { .. }
            | ReportError::BadPurpose
            | ReportError::BadPeriod => ErrorKind::InvalidInput,
            ReportError::ReadBackMismatch { .. } => ErrorKind::Io,
            ReportError::DamagedSession { .. } => ErrorKind::Damaged,
            ReportError::Pdf(_) | ReportError::Internal(_) => ErrorKind::Other,
        }
    }
}

impl From<VerifyError> for Error {
    fn from(e: VerifyError) -> Self {
        Error::Report(ReportError::Verify(e))
    }
}

impl From<MergeError> for Error {
    fn from(e: MergeError) -> Self {
        Error::Report(ReportError::Merge(e))
    }
}
