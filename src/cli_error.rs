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
    /// A command that unlocks the store was given no staff id.
    #[error("スタッフIDを --staff か環境変数 TSUDOI_STAFF で指定してください。")]
    StaffIdMissing,
    /// A date option not in the form `YYYY-MM-DD`. `input` is the text as
    /// typed (a date of an activity or a period, never personal: birth
    /// dates never reach the arguments).
    #[error("日付は 2026-11-23 のように入力してください（入力: {input}）。")]
    DateForm {
        /// The text as typed, trimmed.
        input: String,
    },
    /// An identity document kind that tsudoi does not know. `choices` lists
    /// the kinds it knows.
    #[error("身分証の種類は次のどれかにしてください: {choices}")]
    DocumentKind {
        /// The known kinds, joined with 「、」.
        choices: String,
    },
    /// A new file (the recovery key's) could not be created. `path` is as
    /// typed, `detail` the OS's reason. A file that exists already, or a
    /// folder that does not, is the user's to correct; anything else is the
    /// disk's failure.
    #[error(
        "{what}のファイル {path} を新しく作れません: {detail}。まだないファイルの名前を、書き込めるフォルダに指定してください。"
    )]
    CreateFile {
        /// The file's kind, in Japanese (「回復キー」).
        what: &'static str,
        /// The path as typed.
        path: String,
        /// The OS's reason.
        detail: String,
        /// Whether the path is the user's to correct (the file exists, or
        /// its folder does not) rather than the disk failing.
        wrong_path: bool,
    },
    /// `tsudoi check` given only one of `--birth` and `--postal`.
    #[error(
        "--birth と --postal を両方付けるか、どちらも付けずに標準入力（--input -）か端末から入力してください。"
    )]
    BirthPostalPair,
    /// A registration from the person themselves without both the birth
    /// date and the postal code checked on the ID document.
    #[error("身分証を確認して、生年月日（birth）と郵便番号（postal）を両方入力してください。")]
    IdCheckIncomplete,
    /// A correction of the address together with `--clear-address`.
    #[error(
        "住所の訂正と --clear-address は一緒に使えません。住所を直すか消すか、どちらか一方だけにしてください。"
    )]
    AddressAndClear,
    /// A correction with nothing to correct.
    #[error(
        "訂正する項目を入力してください（name, kana, phone, address のどれか、または --clear-address）。"
    )]
    NothingToCorrect,
    /// `tsudoi participant delete-due` without `--yes`.
    #[error(
        "削除は元に戻せません。tsudoi participant due で一覧を確かめたうえで --yes を付けてください。"
    )]
    DeleteDueUnconfirmed,
    /// `tsudoi participant delete` without `--yes`.
    #[error("削除は元に戻せません。確かめたうえで --yes を付けてください。")]
    DeleteUnconfirmed,
    /// `--tech` is neither `felica` nor `iso14443a`.
    #[error("--tech は felica か iso14443a にしてください。")]
    CardTech,
    /// `--uid` is not a card's identifier: not hexadecimal, too long, or a
    /// phone's random one. `detail` is the card layer's sentence.
    #[error(
        "{detail}（--uid にはカードの番号を 01:23:45:67 のように16進数で入力してください。スマホや時計の番号は使えません。）"
    )]
    CardUid {
        /// The card layer's sentence (never the identifier).
        detail: String,
    },
    /// `tsudoi session add --program` is none of the three programs.
    #[error(
        "--program は ikigai（いきがいつくり支援）、koryu（地域交流支援）、kaigo（介護予防）のどれかにしてください。"
    )]
    SessionProgram,
    /// `tsudoi session add --mode` is none of the three ways places are given.
    #[error(
        "--mode は open（自由参加）、first_come（先着順）、lottery（抽選）のどれかにしてください。"
    )]
    SessionMode,
    /// `--role` is none of the three roles.
    #[error(
        "--role は manager（取扱責任者）、handler（取扱者）、operator（運営者）のどれかにしてください。"
    )]
    Role,
    /// `tsudoi security set` given Argon2id values outside what the key
    /// derivation accepts at all (the floor is [`PolicyError::WeakKdf`](crate::store::errors::PolicyError::WeakKdf)).
    #[error(
        "Argon2id の値が範囲外です（メモリ 8×並列度〜1048576 KiB、回数 1〜64、並列度 1〜16）。範囲の中の値を指定してください。"
    )]
    KdfRange,
    /// A file named on the command line is larger than tsudoi reads for
    /// its kind (a checkpoint is a few hundred bytes): most likely the
    /// wrong file.
    #[error(
        "{what}のファイル {path} が大きすぎます。{most_kib} KiB までの、正しいファイルを指定してください。"
    )]
    FileTooLarge {
        /// The file's kind, in Japanese.
        what: &'static str,
        /// The path as typed.
        path: String,
        /// The largest file read, KiB.
        most_kib: usize,
    },
    /// An output path that exists already; nothing was overwritten.
    #[error("{path} はすでにあります。別の場所を指定してください。")]
    PathExists {
        /// The path as typed.
        path: String,
    },
    /// The configuration's `[hardware]` section is wrong (reader, pins,
    /// timing). `detail` is the hardware layer's sentence naming the value.
    #[error("{detail}設定ファイルの [hardware] を直してから、もう一度起動してください。")]
    Hardware {
        /// The hardware layer's sentence.
        detail: String,
    },
    /// `tsudoi screenshot --size` not in the form `WxH` within 320×240 to
    /// 4096×4096.
    #[error("大きさは 800x480 のように書いてください（入力: {input}）。")]
    SizeForm {
        /// The text as typed.
        input: String,
    },
    /// `tsudoi report` without `--month`.
    #[error("--month で対象の月を指定してください（例: --month 2026-10）。")]
    MonthMissing,
    /// `--threshold` outside 1–100.
    #[error("--threshold は1〜100にしてください。")]
    Threshold,
    /// `--usb` with several USB sticks inserted and no `--medium`.
    #[error(
        "USBメモリが複数あります。--medium でマウント先を選んでください（tsudoi report media で一覧）。"
    )]
    SeveralMedia,
    /// `--usb` with no USB stick inserted, or a `--medium` that is none of
    /// the inserted ones.
    #[error("USBメモリが見つかりません。差し込んでから、もう一度お試しください。")]
    NoMedium,
    /// Personal values given as options (visible to other users in `ps`);
    /// nothing was stored. `flags` names the options, never their values.
    #[error(
        "個人情報（{flags}）はコマンドラインでは受け付けません（他の利用者から見えるためです）。何も保存していません。端末で実行して画面の質問に答えるか、--json - を付けて標準入力から JSON で渡してください。シェルの履歴に残った値は消してください。"
    )]
    PersonalFlags {
        /// The options given, joined with 「, 」.
        flags: String,
    },
    /// A field that must be answered was left empty (at the prompt or in
    /// the JSON).
    #[error("{label}（{key}）を入力してください。")]
    FieldMissing {
        /// What the prompt says.
        label: &'static str,
        /// The JSON key.
        key: &'static str,
    },
    /// A search value's JSON names none, or more than one, of its keys.
    #[error("JSON には {keys} のどれか1つだけを書いてください。")]
    JsonOneOf {
        /// The keys it may name, joined with 「, 」.
        keys: String,
    },
    /// A search value piped as a plain line, but the line is empty.
    #[error("{label}を標準入力から1行で渡してください。")]
    StdinLineMissing {
        /// What was to be given.
        label: &'static str,
    },
    /// A search value left empty at the prompt.
    #[error("{label}を入力してください。")]
    ValueMissing {
        /// What was asked for.
        label: &'static str,
    },
    /// Standard input did not read: not UTF-8 text (the user's to correct),
    /// or the read itself failed (the system's).
    #[error("標準入力を読めません（UTF-8 の文字で渡してください）。")]
    StdinUnreadable {
        /// Whether the read failed for another reason than the text not
        /// being UTF-8.
        io_failure: bool,
    },
    /// More on standard input than one record can be.
    #[error("標準入力が長すぎます（{most_kib} KiB まで）。1人分の JSON だけを渡してください。")]
    StdinTooLong {
        /// The most read, KiB.
        most_kib: u64,
    },
    /// Standard input is JSON but not one object.
    #[error("標準入力には JSON のオブジェクト（{{ \"name\": … }}）を1つ渡してください。")]
    JsonNotObject,
    /// Standard input is not JSON. The position is given, never the text.
    #[error(
        "標準入力の JSON の書き方に誤りがあります（{line}行目 {column}文字目）。そこを直して、もう一度渡してください。"
    )]
    JsonSyntax {
        /// The line of the mistake, from 1.
        line: usize,
        /// The column of the mistake, from 1.
        column: usize,
    },
    /// A JSON field that is not a string (or null).
    #[error("JSON の \"{key}\" は文字列で書いてください。")]
    JsonNotString {
        /// The field's key.
        key: &'static str,
    },
    /// A JSON yes/no field that is not `true` or `false`.
    #[error("JSON の \"{key}\" は true か false で書いてください。")]
    JsonNotBool {
        /// The field's key.
        key: &'static str,
    },
    /// A JSON key the command does not take. `shown` is its first 20
    /// characters (keys are typed by staff, not personal values, but a slip
    /// is cut short).
    #[error(
        "JSON の項目「{shown}」は使えません。使える項目: {known}。項目の名前を直してください。"
    )]
    JsonUnknownKey {
        /// The key's first 20 characters.
        shown: String,
        /// The keys the command takes, joined with 「, 」.
        known: String,
    },
    /// Personal values were to be asked at a prompt, but standard input is
    /// not a terminal.
    #[error(
        "入力する端末がありません。スクリプトからは --json - を付けて、標準入力から JSON で渡してください。"
    )]
    NoTerminalForInput,
}

impl CliError {
    /// A file that does not read (or cannot be made) for another reason
    /// than a wrong path, and standard input that fails to read, are
    /// [`ErrorKind::Io`] (exit 5); a JSON failure inside tsudoi is
    /// [`ErrorKind::Other`] (exit 1); the rest are the user's to correct,
    /// [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CliError::ReadFile { missing: false, .. }
            | CliError::CreateFile {
                wrong_path: false, ..
            }
            | CliError::StdinUnreadable { io_failure: true } => ErrorKind::Io,
            CliError::Json { .. } => ErrorKind::Other,
            _ => ErrorKind::InvalidInput,
        }
    }

    /// [`CliError::CreateFile`] for creating `path` failing with `e`.
    pub fn create_file(what: &'static str, path: &std::path::Path, e: &std::io::Error) -> Self {
        CliError::CreateFile {
            what,
            path: path.display().to_string(),
            detail: e.to_string(),
            wrong_path: matches!(
                e.kind(),
                std::io::ErrorKind::AlreadyExists
                    | std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::NotADirectory
                    | std::io::ErrorKind::IsADirectory
            ),
        }
    }

    /// [`CliError::Json`] for `serde_json`'s failure `e`.
    pub fn json(e: &serde_json::Error) -> Self {
        CliError::Json {
            detail: e.to_string(),
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

    #[test]
    fn a_new_file_at_a_wrong_path_is_input_and_a_failing_disk_is_io() {
        use std::io::{Error, ErrorKind as K};
        let path = std::path::Path::new("recovery.txt");
        for k in [K::AlreadyExists, K::NotFound, K::NotADirectory] {
            let e = CliError::create_file("回復キー", path, &Error::from(k));
            assert_eq!(e.kind().exit_code(), 2, "{k:?}");
            assert!(e.to_string().contains("指定してください"), "{e}");
        }
        for k in [K::PermissionDenied, K::ReadOnlyFilesystem, K::StorageFull] {
            let e = CliError::create_file("回復キー", path, &Error::from(k));
            assert_eq!(e.kind().exit_code(), 5, "{k:?}");
        }
        assert_eq!(
            CliError::StdinUnreadable { io_failure: true }
                .kind()
                .exit_code(),
            5
        );
        assert_eq!(
            CliError::StdinUnreadable { io_failure: false }
                .kind()
                .exit_code(),
            2
        );
        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        assert_eq!(CliError::json(&json).kind().exit_code(), 1);
    }

    #[test]
    fn every_message_says_what_to_do() {
        let all = [
            CliError::StaffIdMissing,
            CliError::DateForm { input: "x".into() },
            CliError::DocumentKind {
                choices: "健康保険証".into(),
            },
            CliError::BirthPostalPair,
            CliError::IdCheckIncomplete,
            CliError::AddressAndClear,
            CliError::NothingToCorrect,
            CliError::DeleteDueUnconfirmed,
            CliError::DeleteUnconfirmed,
            CliError::CardTech,
            CliError::CardUid {
                detail: "カードを読み取れませんでした。".into(),
            },
            CliError::SessionProgram,
            CliError::SessionMode,
            CliError::Role,
            CliError::KdfRange,
            CliError::FileTooLarge {
                what: "チェックポイント",
                path: "x".into(),
                most_kib: 64,
            },
            CliError::PathExists { path: "x".into() },
            CliError::Hardware {
                detail: "GPIO ピンの設定が正しくありません（BCM 番号 2〜27、重複なし）。".into(),
            },
            CliError::SizeForm { input: "x".into() },
            CliError::MonthMissing,
            CliError::Threshold,
            CliError::SeveralMedia,
            CliError::NoMedium,
            CliError::PersonalFlags {
                flags: "--name".into(),
            },
            CliError::FieldMissing {
                label: "氏名",
                key: "name",
            },
            CliError::JsonOneOf {
                keys: "phone, kana".into(),
            },
            CliError::StdinLineMissing {
                label: "電話番号"
            },
            CliError::ValueMissing {
                label: "電話番号"
            },
            CliError::StdinUnreadable { io_failure: false },
            CliError::StdinTooLong { most_kib: 64 },
            CliError::JsonNotObject,
            CliError::JsonSyntax { line: 1, column: 2 },
            CliError::JsonNotString { key: "name" },
            CliError::JsonNotBool {
                key: "ward_provided",
            },
            CliError::JsonUnknownKey {
                shown: "nmae".into(),
                known: "name".into(),
            },
            CliError::NoTerminalForInput,
        ];
        for e in all {
            let m = e.to_string();
            assert!(
                ["ください", "お試しください"].iter().any(|w| m.contains(w)),
                "says nothing to do: {m}"
            );
            assert_eq!(e.kind().exit_code(), 2, "{m}");
        }
    }
}
