//! The command line's own refusals ([`CliError`]): options missing or
//! mistyped, a terminal that is not there, a file named on the command line
//! that does not read. The type lives in the library so that the crate's
//! [`Error`](crate::error::Error) carries it (`Error::Cli`) and its `kind()`
//! decides the exit code like every other layer's.

use crate::error::ErrorKind;

/// A command refused as typed, before (or beside) the store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// `tsudoi clock confirm` given a date and time not in the form.
    /// `input` is the text as typed (a time, never personal).
    #[error(
        "日時は 2026-12-02 10:30 のように、時計で確かめた日本時間を入力してください（入力: {input}）。"
    )]
    ClockTimeForm {
        /// The text as typed, trimmed.
        input: String,
    },
    /// A voice setting that is neither `on` nor `off`.
    #[error("on か off で書いてください（入力: {input}）。")]
    OnOff {
        /// The text as typed.
        input: String,
    },
    /// A training chapter code that does not exist.
    #[error(
        "「{code}」という章はありません。章の記号は `tsudoi training chapters` で確かめてください（例: staff-3）。"
    )]
    UnknownChapter {
        /// The code as typed.
        code: String,
    },
    /// The two entries of a new password differ.
    #[error("2回入力したパスワードが一致しません。もう一度やり直してください。")]
    PasswordsDiffer,
    /// A password is needed but there is no terminal to type it on.
    #[error(
        "パスワードを入力できる端末がありません。スクリプトからは環境変数 TSUDOI_PASSWORD で渡してください。"
    )]
    NoTerminal,
    /// `tsudoi erase` without `--certificate-out`.
    #[error(
        "消去証明書の出力先を --certificate-out フォルダ で指定してください（USBメモリなど）。"
    )]
    CertificateOutMissing,
    /// The certificate of erasure asked for a store that was not erased.
    #[error(
        "この保存ファイルは消去されていません。消去証明書はありません。消去した保存ファイルを指定してください。"
    )]
    NotErased,
    /// A file named on the command line could not be read. `what` names
    /// its kind, `path` is as typed (never personal), `detail` the OS's
    /// reason. A missing file is the user's to correct; anything else is the
    /// disk's failure.
    #[error(
        "{what}のファイル {path} を読めません: {detail}。ファイルの場所と、読めるかどうかを確かめてください。"
    )]
    ReadFile {
        /// The file's kind, in Japanese (「チェックポイント」, …).
        what: &'static str,
        /// The path as typed.
        path: String,
        /// The OS's reason.
        detail: String,
        /// Whether the file does not exist (input) rather than failing to
        /// read (I/O).
        missing: bool,
    },
    /// `tsudoi group return` without the ward's public key configured.
    #[error(
        "区の公開鍵が設定されていません。区から受け取った age1 で始まる公開鍵を、設定ファイルの [report] ward_public_key に入れてください。名簿は暗号化せずには書き出しません。"
    )]
    WardKeyMissing,
    /// The ward's roster file is larger than tsudoi reads.
    #[error(
        "名簿のファイルが大きすぎます（{most_mb} MB まで）。何も取り込んでいません。区に確かめてください。"
    )]
    RosterTooLarge {
        /// The largest file, MB.
        most_mb: usize,
    },
    /// The ward's roster has problems (listed on stderr line by line before
    /// this); nothing was imported.
    #[error("区に名簿を直してもらうか、直したファイルでもう一度取り込んでください。")]
    RosterProblems,
    /// A list could not be written as JSON (a fault inside tsudoi).
    #[error("JSONを書けません: {detail}。設置業者に連絡してください。")]
    Json {
        /// The JSON library's reason.
        detail: String,
    },
}

impl CliError {
    /// A file that does not read for another reason than being missing is
    /// [`ErrorKind::Io`] (exit 5), a JSON failure [`ErrorKind::Other`]
    /// (exit 1), the rest [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CliError::ReadFile { missing: false, .. } => ErrorKind::Io,
            CliError::Json { .. } => ErrorKind::Other,
            _ => ErrorKind::InvalidInput,
        }
    }

    /// [`CliError::ReadFile`] for `path`'s read failing with `e`.
    pub fn read_file(what: &'static str, path: &std::path::Path, e: &std::io::Error) -> Self {
        CliError::ReadFile {
            what,
            path: path.display().to_string(),
            detail: e.to_string(),
            missing: e.kind() == std::io::ErrorKind::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_input_and_an_unreadable_one_is_the_disk() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let path = std::path::Path::new("x");
        assert_eq!(
            CliError::read_file("名簿", path, &missing)
                .kind()
                .exit_code(),
            2
        );
        let broken = std::io::Error::other("EIO");
        assert_eq!(
            CliError::read_file("名簿", path, &broken)
                .kind()
                .exit_code(),
            5
        );
        assert_eq!(CliError::NoTerminal.kind().exit_code(), 2);
    }
}
