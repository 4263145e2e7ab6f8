//! Every sentence and label of 「音声案内の設定」, in one place.

use super::Notice;

/// The title bar.
pub const TITLE: &str = "音声案内の設定";
/// The button on 「事故・点検」 that opens the screen.
pub const OPEN: &str = "音声案内の設定";
/// Read out for [`OPEN`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const OPEN_LABEL: &str = "音声案内の設定";

/// The heading of the on/off row.
pub const VOICE: &str = "音声案内";
/// The button that turns spoken guidance on.
pub const ON: &str = "入";
/// Read out for [`ON`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const ON_LABEL: &str = "音声案内を入にする";
/// The button that turns spoken guidance off.
pub const OFF: &str = "切";
/// Read out for [`OFF`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const OFF_LABEL: &str = "音声案内を切にする";

/// The heading of the volume row.
pub const VOLUME: &str = "音量";
/// Turns the volume down a step ([`super::VOLUME_STEP`]).
pub const DOWN: &str = "−";
/// Read out for [`DOWN`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const DOWN_LABEL: &str = "音量を下げる";
/// Turns the volume up a step ([`super::VOLUME_STEP`]).
pub const UP: &str = "＋";
/// Read out for [`UP`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const UP_LABEL: &str = "音量を上げる";

/// The heading of the quiet-mode row (for events: fewer, softer sentences).
pub const QUIET: &str = "静かなモード";
/// Turns quiet mode on.
pub const QUIET_ON: &str = "使う";
/// Read out for [`QUIET_ON`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const QUIET_ON_LABEL: &str = "静かなモードを使う";
/// Turns quiet mode off.
pub const QUIET_OFF: &str = "使わない";
/// Read out for [`QUIET_OFF`]: the control's accessible label, by which
/// screen readers name it and the tests find it.
pub const QUIET_OFF_LABEL: &str = "静かなモードを使わない";

/// Under the settings while nothing else is to be said.
pub const GUIDE: &str =
    "静かなモード（行事のとき）：「受付しました」などは言わず、ほかは小さめに言います。";

/// Leaves the screen without saving, back to 「事故・点検」.
pub const BACK: &str = "もどる";
/// Plays the sample sentence at the chosen settings, before saving.
pub const TRY: &str = "ためしに聞く";
/// Stores the chosen settings; the speaker takes them at once.
pub const SAVE: &str = "保存する";

/// The voice's credit, short, beside the button on 「事故・点検」: CC BY 3.0
/// asks for it wherever the audio is used (the full text is
/// `tsudoi_hw::voice::CREDITS`, and the notices are in
/// /usr/share/doc/tsudoi/NOTICE.voice).
pub const CREDIT: &str = "声：HTS Voice \"Mei\"（名古屋工業大学、CC BY 3.0）、Open JTalk";

/// The volume as shown, 0 to 100.
pub fn volume(v: u8) -> String {
    if v == 0 {
        "0（音なし）".to_owned()
    } else {
        v.to_string()
    }
}

/// The volume as read out.
pub fn volume_label(v: u8) -> String {
    format!("音量 {v}")
}

/// What the last action came to, and whether it is a warning.
pub fn notice(n: &Notice) -> (String, bool) {
    match n {
        Notice::None => (GUIDE.into(), false),
        Notice::Saved => ("保存しました。いまから、この設定で話します。".into(), false),
        Notice::Unchanged => ("変わったところはありません。".into(), false),
        Notice::Sample { unsaved: true } => (
            "ためしに流しました。この設定にするには「保存する」を押してください。".into(),
            false,
        ),
        Notice::Sample { unsaved: false } => ("ためしに流しました。".into(), false),
        Notice::SampleOff => ("音声案内が「切」なので、何も流れません。".into(), true),
        Notice::SampleSilent => ("音量が0なので、何も流れません。".into(), true),
        Notice::NotSaved(why) => (format!("保存できませんでした。{why}"), true),
    }
}
