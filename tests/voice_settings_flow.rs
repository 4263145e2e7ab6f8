//! 「音声案内の設定」's form without Slint or a database: the volume's steps
//! and bounds, the sample's settings (or why there is none), and the save
//! over a fake store (nothing written when nothing changed, a refusal shown
//! and the old setting kept).

use tsudoi::error::{Error, Result};
use tsudoi::kiosk::flows::voice_settings::wording;
use tsudoi::kiosk::flows::voice_settings::{
    Notice, VoiceForm, VoiceStore, setting_of, with_setting,
};
use tsudoi::store::voice_setting::VoiceSetting;
use tsudoi_hw::voice::VoiceConfig;

#[derive(Default)]
struct FakeStore {
    saved: Vec<(VoiceSetting, VoiceSetting)>,
    refuse: bool,
}

impl VoiceStore for FakeStore {
    fn save(&mut self, old: &VoiceSetting, new: VoiceSetting) -> Result<Vec<&'static str>> {
        if self.refuse {
            return Err(Error::Refused("パスワードを変えてください。".into()));
        }
        self.saved.push((*old, new));
        Ok(new.changed_from(old))
    }
}

fn on(volume: u8) -> VoiceSetting {
    VoiceSetting {
        enabled: true,
        volume,
        quiet: false,
    }
}

#[test]
fn the_volume_moves_in_steps_of_10_within_0_and_100() {
    let mut f = VoiceForm::new(on(75));
    f.step_volume(true);
    assert_eq!(f.draft.volume, 80);
    f.step_volume(true);
    f.step_volume(true);
    f.step_volume(true);
    assert_eq!(f.draft.volume, 100);
    let mut f = VoiceForm::new(on(75));
    f.step_volume(false);
    assert_eq!(f.draft.volume, 70);
    for _ in 0..10 {
        f.step_volume(false);
    }
    assert_eq!(f.draft.volume, 0);
    assert_eq!(wording::volume(0), "0（音なし）");
    assert_eq!(f.saved.volume, 75, "nothing saved yet");
}

#[test]
fn the_sample_plays_the_choice_before_it_is_saved_or_says_why_not() {
    let mut f = VoiceForm::new(on(80));
    f.step_volume(false);
    f.set_quiet(true);
    let s = f.sample().unwrap();
    assert_eq!((s.volume, s.quiet), (70, true));
    assert_eq!(f.notice, Notice::Sample { unsaved: true });
    // The speaker's own output and clips stay; staff's values replace the
    // configuration's.
    let base = VoiceConfig {
        device: Some("plughw:CARD=Headphones".into()),
        ..VoiceConfig::default()
    };
    let c = with_setting(&base, &s);
    assert_eq!((c.enabled, c.volume, c.quiet), (true, 70, true));
    assert_eq!(c.device, base.device);
    assert_eq!(setting_of(&c), s);

    f.set_enabled(false);
    assert_eq!(f.sample(), None);
    assert_eq!(f.notice, Notice::SampleOff);
    assert!(wording::notice(&f.notice).1, "a warning");
    f.set_enabled(true);
    for _ in 0..10 {
        f.step_volume(false);
    }
    assert_eq!(f.sample(), None);
    assert_eq!(f.notice, Notice::SampleSilent);
}

#[test]
fn saving_writes_once_per_change_and_keeps_the_old_setting_when_refused() {
    let mut store = FakeStore::default();
    let mut f = VoiceForm::new(on(80));
    assert_eq!(f.save(&mut store), None);
    assert_eq!(f.notice, Notice::Unchanged);
    assert!(store.saved.is_empty(), "nothing changed, nothing written");

    f.set_quiet(true);
    let stored = f.save(&mut store).unwrap();
    assert!(stored.quiet);
    assert_eq!(f.notice, Notice::Saved);
    assert_eq!(store.saved, [(on(80), stored)]);
    assert_eq!(f.saved, stored);
    // The sample of what is saved says so.
    f.sample();
    assert_eq!(f.notice, Notice::Sample { unsaved: false });

    store.refuse = true;
    f.set_enabled(false);
    assert_eq!(f.save(&mut store), None);
    assert_eq!(f.saved, stored, "the kiosk keeps what it ran with");
    let (line, warns) = wording::notice(&f.notice);
    assert!(warns);
    assert_eq!(line, "保存できませんでした。パスワードを変えてください。");
}
