//! 「音声案内の設定」 (issue 18, docs/dev/voice.md) driven as staff would use
//! it, through Slint's testing backend: an operator lowers the volume, a
//! handler turns quiet mode on, then the voice off; each time the next
//! resident's result, written to WAV files by the kiosk's speaker and read
//! with Python's `wave` (an independent reader), is quieter or not there at
//! all. The setting survives closing the kiosk and reopening the store, and
//! overrides the configuration's `[voice]`; every change is in the audit
//! log (read with `sqlite3`). All people and cards are invented.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use chrono::NaiveTime;
use i_slint_backend_testing::mock_elapsed_time;
use slint::ComponentHandle;
use tsudoi::kiosk::flows::voice_settings::adapter::{VoiceSettings, VoiceSettingsTone};
use tsudoi::kiosk::{KioskConfig, KioskUi, Screen};
use tsudoi::store::Role;
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi_hw::voice::WavFileOut;

use common::ui::{labelled, on_panel, press, sign_in};
use common::voice::{clips, full_volume, speaker_into, wait_written};
use common::*;

const KNOWN: &str = "04112233445566";
const UNKNOWN: &str = "04AABBCCDDEEFF";
const HANDLER: &str = "tori01";
const OPERATOR: &str = "unei01";

/// A kiosk on the store at `path`, 800×480, with a speaker writing what it
/// says into `said` (as `tsudoi run` gives it one from `[voice]`).
fn kiosk(
    path: &Path,
    clock: std::sync::Arc<tsudoi::clock::FixedClock>,
    said: &Path,
) -> (KioskUi, WavFileOut) {
    let ui = on_panel(reopen(path, clock), KioskConfig::default());
    let out = WavFileOut::new(said).unwrap();
    // The configuration file's `[voice]`: on, at full volume.
    ui.with_controller(|c| c.set_speaker(speaker_into(&out, full_volume())));
    (ui, out)
}

/// Waits for the `n`th file, then a moment more for anything after it.
fn wait(out: &WavFileOut, n: usize) {
    wait_written(out, n);
    std::thread::sleep(Duration::from_millis(30));
}

/// A card held to the reader; the file said for it, or `None` after 150 ms
/// of silence.
fn tap(ui: &KioskUi, out: &WavFileOut, hex: &str) -> Option<PathBuf> {
    let n = out.written().len();
    ui.on_card(Ok(card(hex)));
    mock_elapsed_time(Duration::ZERO);
    std::thread::sleep(Duration::from_millis(150));
    let written = out.written();
    let path = written.get(n).map(|w| w.path.clone());
    if path.is_some() {
        wait(out, n + 1);
        assert_eq!(out.written().len(), n + 1, "one utterance per tap");
    }
    path
}

/// The loudness (RMS) of each file as Python's `wave` reads it, over that
/// of `clip` as recorded.
fn loudness(files: &[&Path], clip: &str) -> Vec<f64> {
    let mut args = vec![clips().join(format!("{clip}.wav")).display().to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            r#"
import array, math, sys, wave
def rms(p):
    with wave.open(p, "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), p
        s = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        s.byteswap()
    return math.sqrt(sum(x * x for x in s) / len(s))
ref = rms(sys.argv[1])
for p in sys.argv[2:]:
    print(rms(p) / ref)
"#,
        )
        .args(&args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

/// From the waiting screen: signs in, opens 「事故・点検」 then
/// 「音声案内の設定」.
fn open_settings(ui: &KioskUi, id: &str) {
    sign_in(ui, id, NEW_PASSWORD);
    press(ui, "事故・点検");
    // The voice's credit (CC BY 3.0) stands beside the button.
    let credit = tsudoi::kiosk::flows::voice_settings::wording::CREDIT;
    assert!(credit.contains("Mei") && credit.contains("CC BY 3.0"));
    assert!(!labelled(ui, credit).is_empty(), "the credit is on screen");
    press(ui, "音声案内の設定");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffVoice));
}

/// 「保存する」, then back to the waiting screen.
fn save_and_leave(ui: &KioskUi) {
    press(ui, "保存する");
    assert_eq!(
        ui.window().global::<VoiceSettings>().get_line().as_str(),
        "保存しました。いまから、この設定で話します。"
    );
    press(ui, "もどる");
    assert_eq!(ui.ui_screen(), Some(Screen::StaffOversight));
    press(ui, "もどる");
    press(ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));
}

fn near(got: f64, want: f64) -> bool {
    (got - want).abs() < 0.02
}

#[test]
fn staff_lower_quiet_and_turn_off_the_voice_and_it_holds_after_a_restart() {
    let day = date(2026, 6, 2);
    let mut f = fixture_on(day);
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Koryu,
                date: day,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                "山田 花子",
                "ヤマダ ハナコ",
                "03-1234-5678",
                date(1950, 4, 1),
            ),
        )
        .unwrap();
    f.store.link_card(&f.manager, &id, &card(KNOWN)).unwrap();
    for (who, role) in [(HANDLER, Role::Handler), (OPERATOR, Role::Operator)] {
        f.store.add_staff(&f.manager, who, role, PASSWORD).unwrap();
        let mut other = reopen(&f.path, f.clock.clone());
        let mut s = other.sign_in(who, PASSWORD).unwrap();
        other.change_password(&mut s, NEW_PASSWORD).unwrap();
    }
    // The day is started by the manager; the kiosk opens on waiting.
    f.store.sign_out(&f.manager).unwrap();
    let s = f.store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    f.store.sign_out(&s).unwrap();
    let (path, clock) = (f.path.clone(), f.clock.clone());
    let said = f.dir.path().join("said");
    let (ui, out) = kiosk(&path, clock.clone(), &said);
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    press(&ui, "サインアウト");
    assert_eq!(ui.ui_screen(), Some(Screen::Waiting));

    // As configured: the unknown card's sentence as recorded.
    let full = tap(&ui, &out, UNKNOWN).expect("said at the configured volume");
    press(&ui, "もどる");

    // An operator (no personal data) lowers the volume by five steps and
    // tries it before saving: the sample plays at the new volume.
    open_settings(&ui, OPERATOR);
    let g = ui.window().global::<VoiceSettings>();
    assert_eq!(g.get_volume().as_str(), "100");
    for _ in 0..5 {
        press(&ui, "音量を下げる");
    }
    assert_eq!(g.get_volume().as_str(), "50");
    let n = out.written().len();
    press(&ui, "ためしに聞く");
    wait(&out, n + 1);
    let sample = out.written()[n].path.clone();
    save_and_leave(&ui);
    let half = tap(&ui, &out, UNKNOWN).expect("said at volume 50");
    press(&ui, "もどる");

    // A handler turns quiet mode on: 「受付しました」 is left unsaid, the
    // unknown card is said at half of that again.
    open_settings(&ui, HANDLER);
    press(&ui, "静かなモードを使う");
    save_and_leave(&ui);
    assert_eq!(
        tap(&ui, &out, KNOWN),
        None,
        "a routine phrase in quiet mode"
    );
    assert_eq!(ui.ui_screen(), Some(Screen::CheckedIn));
    press(&ui, "もどる");
    let quiet = tap(&ui, &out, UNKNOWN).expect("said in quiet mode");
    press(&ui, "もどる");

    // Volume 50 is a quarter of the amplitude (the squared curve), quiet
    // mode half of that: 12 dB and 18 dB down, as anyone nearby hears.
    let ratios = loudness(&[&full, &half, &quiet], "unknown_card");
    assert!(near(ratios[0], 1.0), "{ratios:?}");
    assert!(near(ratios[1], 0.25), "{ratios:?}");
    assert!(near(ratios[2], 0.125), "{ratios:?}");
    let sample_ratio = loudness(&[&sample], "see_staff");
    assert!(near(sample_ratio[0], 0.25), "{sample_ratio:?}");

    // Then off: nothing at all; 「ためしに聞く」 says why nothing plays.
    open_settings(&ui, HANDLER);
    press(&ui, "音声案内を切にする");
    let n = out.written().len();
    press(&ui, "ためしに聞く");
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(out.written().len(), n);
    assert_eq!(g.get_tone(), VoiceSettingsTone::Warn);
    assert!(!labelled(&ui, "音声案内が「切」なので、何も流れません。").is_empty());
    save_and_leave(&ui);
    assert_eq!(tap(&ui, &out, UNKNOWN), None, "the voice is off");
    press(&ui, "もどる");

    // The kiosk is closed and the store reopened, as after a restart; the
    // configuration still says on, volume 100: the stored setting wins.
    drop(ui);
    let said_again = f.dir.path().join("said-again");
    let (ui, out) = kiosk(&path, clock.clone(), &said_again);
    let kept = ui.with_controller(|c| c.speaker().unwrap().config().clone());
    assert_eq!((kept.enabled, kept.volume, kept.quiet), (false, 50, true));
    sign_in(&ui, MANAGER, NEW_PASSWORD);
    press(&ui, "サインアウト");
    assert_eq!(tap(&ui, &out, UNKNOWN), None, "still off after the restart");
    press(&ui, "もどる");
    // Turned on again: volume 50 and quiet mode were kept.
    open_settings(&ui, MANAGER);
    assert_eq!(
        ui.window().global::<VoiceSettings>().get_volume().as_str(),
        "50"
    );
    press(&ui, "音声案内を入にする");
    save_and_leave(&ui);
    let back_on = tap(&ui, &out, UNKNOWN).expect("on again");
    let ratio = loudness(&[&back_on], "unknown_card");
    assert!(near(ratio[0], 0.125), "{ratio:?}");
    drop(ui);

    // Every change is in the audit log: who, which settings, the new
    // values; nothing about any resident.
    let entries = sqlite3(
        &path,
        "SELECT actor || ' ' || record_id || ' ' || fields || ' ' || result FROM audit WHERE action = 'voice_change' ORDER BY seq",
    );
    assert_eq!(
        entries.trim(),
        [
            "unei01 voice volume enabled=1 volume=50 quiet=0",
            "tori01 voice quiet enabled=1 volume=50 quiet=1",
            "tori01 voice enabled enabled=0 volume=50 quiet=1",
            "kanri01 voice enabled enabled=1 volume=50 quiet=1",
        ]
        .join("\n")
    );
    // The keyed chain still verifies with the entries in it.
    let config = f.dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[security]\nkdf_memory_kib = 19456\nkdf_iterations = 2\nkdf_parallelism = 1\n",
    )
    .unwrap();
    let verify = Command::new(env!("CARGO_BIN_EXE_tsudoi"))
        .args(["audit", "verify"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", f.dir.path())
        .env("TSUDOI_STORE", &path)
        .env("TSUDOI_CONFIG", &config)
        .env("TSUDOI_STAFF", MANAGER)
        .env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}
