//! Every sentence and label of the staff sign-in flow, in one place.

use crate::error::Error;

/// The form's labels on each of its screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLabels {
    /// Above the keyboard when there is no message.
    pub title: &'static str,
    /// The first field's caption (the staff id, or the new password).
    pub first: &'static str,
    /// The second field's caption (the password, or the new one again).
    pub second: &'static str,
    /// The submit button.
    pub action: &'static str,
}

/// Leaves the form (the sign-in: back to waiting; the password change: signs out).
pub const CANCEL: &str = "やめる";

/// The accessible label of the line above the keyboard.
pub const GUIDE_LABEL: &str = "案内";

/// The sign-in screen.
pub const SIGN_IN: FormLabels = FormLabels {
    title: "スタッフのサインイン",
    first: "スタッフID",
    second: "パスワード",
    action: "サインイン",
};

/// The first password change.
pub const CHANGE_PASSWORD: FormLabels = FormLabels {
    title: "新しいパスワードを決めてください",
    first: "新しいパスワード",
    second: "もう一度",
    action: "変更する",
};

/// 「サインイン」 with a field left empty.
pub const ID_AND_PASSWORD: &str = "スタッフIDとパスワードを入力してください。";
/// The store needs the format upgrade, which makes a new recovery key:
/// that runs at a manager's sign-in on the command line, not here.
pub const FORMAT_UPGRADE: &str = "保存ファイルの更新が必要です。取扱責任者がコマンド（tsudoi staff list など）で一度サインインしてください。";
/// A first sign-in: the password change comes next.
pub const FIRST_SIGN_IN: &str = "初めてのサインインです。新しいパスワードを2回入力してください。";
/// After 「はじめての設定」: the manager's id is filled in, the first
/// password is asked.
pub const FIRST_PASSWORD_AFTER_SETUP: &str =
    "取扱責任者の最初のパスワードを入力して「サインイン」を押してください。";
/// On the Today screen after an operator's sign-in, while no key can match a card.
pub const NO_CARD_KEYS: &str = "カードの受付を始めるには、取扱責任者か取扱者がサインインしてください（運営者の鍵では参加者を確かめられません）。";
/// The password change's two new passwords differ.
pub const PASSWORDS_DIFFER: &str =
    "2回入力したパスワードが一致しません。もう一度入力してください。";
/// The store refused the password change for a reason the form cannot
/// name.
pub const PASSWORD_NOT_CHANGED: &str = "パスワードを変更できませんでした。";

/// Why a sign-in was refused, in words the staff member can act on; other
/// errors say only whom to call.
pub fn sign_in_failure(e: Error) -> String {
    match e {
        Error::WrongCredentials
        | Error::AccountLocked { .. }
        | Error::AccountInactive
        | Error::ReissueNeeded
        | Error::Tampered(_) => e.to_string(),
        _ => "サインインできませんでした。取扱責任者に連絡してください。".into(),
    }
}
