//! Every sentence and label of 「はじめての設定」, in one place: the steps'
//! headings and explanations, the buttons, and why a step could not go on.

use super::{Notice, SetupController, SetupStep};

/// The second password field's caption.
pub const AGAIN: &str = "もう一度";
/// The site step's button to the letter keyboard, and its spoken label.
pub const TO_LETTERS: &str = "英数";
/// Read out for [`TO_LETTERS`].
pub const TO_LETTERS_LABEL: &str = "英数字のキーボード";
/// The site step's button back to the kana keyboard.
pub const TO_KANA: &str = "カナ";
/// Read out for [`TO_KANA`].
pub const TO_KANA_LABEL: &str = "カナのキーボード";
/// Read out for the line under an entry step's field (its guide or why it
/// could not go on).
pub const GUIDE_LABEL: &str = "案内";
/// Read out for each group of the recovery key on its step.
pub const KEY_GROUP_LABEL: &str = "回復キーのまとまり";
/// Read out for a reading step's heading.
pub const HEADING_LABEL: &str = "見出し";

/// The step's heading.
pub fn title(step: SetupStep) -> &'static str {
    match step {
        SetupStep::Welcome => "はじめての設定",
        SetupStep::Site => "施設名",
        SetupStep::Manager => "最初の取扱責任者のスタッフID",
        SetupStep::Password => "取扱責任者の最初のパスワード",
        SetupStep::Confirm => "この内容で作成します",
        SetupStep::Creating => "作成しています",
        SetupStep::RecoveryKey => "回復キー（この一度だけ表示します）",
        SetupStep::RecoveryCheck => "書き写した回復キーの確認",
        SetupStep::DeviceKeys => "端末の鍵（記録票に写して区に渡します）",
        SetupStep::Done => "設定が終わりました",
    }
}

/// How a step's lines are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// Plain body type.
    Body,
    /// Smaller type: the device keys are long, this keeps each to a line
    /// or two.
    Small,
    /// Bold: the recovery key's warnings.
    Strong,
}

/// The type of the step's lines.
pub fn line_style(step: SetupStep) -> LineStyle {
    match step {
        SetupStep::DeviceKeys => LineStyle::Small,
        SetupStep::RecoveryKey => LineStyle::Strong,
        _ => LineStyle::Body,
    }
}

/// The step's lines of explanation (on the confirmation what was typed,
/// never the password; on the device keys' step the keys themselves).
pub fn lines(c: &SetupController) -> Vec<String> {
    match c.step() {
        SetupStep::Welcome => vec![
            "この端末には、まだ保存ファイルがありません。保存ファイルと、最初の取扱責任者のアカウントを作ります。".into(),
            "用意するもの：設置時の記録票とペン。".into(),
            "順に、施設名、取扱責任者のスタッフID、パスワード（2回）を入れます。そのあと回復キーと端末の鍵が表示されるので、記録票に書き写します。".into(),
        ],
        SetupStep::Site if c.site_from_config() => vec![
            "設定ファイルの施設名を入れてあります。よければ「次へ」。あとから変えられません。".into(),
        ],
        SetupStep::Site => vec![
            "カタカナか英数字で入力してください。あとから変えられません。".into(),
        ],
        SetupStep::Manager => vec![
            "半角の英数字（- _ . も可）で2〜32文字。氏名は使いません（例：kanri01）。".into(),
        ],
        SetupStep::Password => vec![
            "13文字以上で、英字・数字・記号のうち2種類以上。スタッフIDは含めません。".into(),
        ],
        SetupStep::Confirm => vec![
            format!("施設名：{}", c.site()),
            format!("取扱責任者のスタッフID：{}", c.manager()),
            "パスワード：2回入力しました（最初のサインインで変更します）。".into(),
            "施設名は、作成したあとでは変えられません。".into(),
        ],
        SetupStep::Creating => vec![
            "鍵を作っています。画面にふれずに、しばらくお待ちください。".into(),
        ],
        SetupStep::RecoveryKey => vec![
            "設置時の記録票に書き写し、封筒に入れて区が保管してください。この画面を閉じると二度と表示されません。".into(),
            "数字は2〜7だけです（0と1は使いません。OとIは英字です）。".into(),
        ],
        SetupStep::RecoveryCheck => vec![format!(
            "書き写した回復キーの、最後のまとまり（{}文字）を入力してください。",
            c.last_group_len()
        )],
        SetupStep::DeviceKeys => vec![
            "端末の公開鍵（月の報告の署名の確認用）：".into(),
            grouped(c.public_key(), 8),
            "監査ログの検証鍵（チェックポイントの確認用）：".into(),
            c.audit_vkey().to_owned(),
            "どちらも秘密ではありません。設置時の記録票に写して区に渡してください。".into(),
        ],
        SetupStep::Done => vec![
            format!("施設：{}　取扱責任者：{}", c.site(), c.manager()),
            "次は、スタッフのサインインです。取扱責任者のIDと最初のパスワードを入力すると、新しいパスワードを決める画面になります。".into(),
        ],
    }
}

/// The text field's caption on an entry step; empty on the others.
pub fn caption(step: SetupStep) -> &'static str {
    match step {
        SetupStep::Site => "施設名",
        SetupStep::Manager => "取扱責任者のスタッフID",
        SetupStep::Password => "最初のパスワード",
        SetupStep::RecoveryCheck => "回復キーの最後のまとまり",
        _ => "",
    }
}

/// The back button's label: on the check step it shows the key again.
pub fn back(step: SetupStep) -> &'static str {
    if step == SetupStep::RecoveryCheck {
        "もう一度見る"
    } else {
        "もどる"
    }
}

/// The label of the button that goes on; empty while creating (no button).
pub fn next(step: SetupStep) -> &'static str {
    match step {
        SetupStep::Welcome => "はじめる",
        SetupStep::Confirm => "作成する",
        SetupStep::Creating => "",
        SetupStep::RecoveryKey => "書き写しました",
        SetupStep::RecoveryCheck => "確かめる",
        SetupStep::DeviceKeys => "写しました",
        SetupStep::Done => "サインインへ",
        _ => "次へ",
    }
}

/// Why a step could not go on, in plain Japanese; empty for
/// [`Notice::None`].
pub fn notice(n: &Notice) -> String {
    match n {
        Notice::None => String::new(),
        Notice::SiteMissing => "施設名を入力してください。".into(),
        Notice::Refused(why) => why.clone(),
        Notice::PasswordsMissing => "パスワードを2回入力してください。".into(),
        Notice::PasswordsDiffer => {
            "2回入力したパスワードが一致しません。もう一度入力してください。".into()
        }
        Notice::KeyMismatch => "書き写した回復キーと一致しません。記録票を確かめてください（「もう一度見る」で回復キーをもう一度表示します）。".into(),
        Notice::NotKept(why) => format!("保存ファイルを置けませんでした。{why}"),
        Notice::NotCreated(why) => format!("作成できませんでした。{why}"),
    }
}

/// The line under an entry step's field: why it could not go on, or else
/// the step's first line of explanation.
pub fn guide(c: &SetupController) -> String {
    match c.notice() {
        Notice::None => lines(c).into_iter().next().unwrap_or_default(),
        n => notice(n),
    }
}

/// `text` in groups of `n` characters, joined by spaces (the public key,
/// easier to copy by hand).
fn grouped(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(n.max(1))
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
