//! Spoken guidance: the committed clips against the phrase list, and the
//! player as a resident would hear it, written to WAV files and checked with
//! Python's `wave` module (an independent WAV reader).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tsudoi_hw::voice::{
    AplayOut, Clip, Library, Phrase, Speaker, Utterance, VoiceConfig, VoiceOut, WavFileOut,
};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice")
}

fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn manifest() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(assets().join("manifest.tsv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(
        lines.next().unwrap(),
        "id\ttext\treading\tfile\tsha256\tsamples\tduration_ms\tsynthesised_from"
    );
    lines
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_manifest_lists_exactly_the_phrase_list() {
    let rows = manifest();
    let clips = Clip::all();
    assert_eq!(rows.len(), clips.len());
    for (row, clip) in rows.iter().zip(&clips) {
        assert_eq!(row[0], clip.id());
        assert_eq!(row[1], clip.text(), "{}", clip.id());
        assert_eq!(row[2], clip.reading(), "{}", clip.id());
        assert_eq!(row[3], format!("{}.wav", clip.id()));
    }
    // Every phrase has its file, and there are no others.
    let mut files: Vec<String> = std::fs::read_dir(assets())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".wav"))
        .collect();
    files.sort();
    let mut expected: Vec<String> = clips.iter().map(|c| format!("{}.wav", c.id())).collect();
    expected.sort();
    assert_eq!(files, expected);
    for p in Phrase::ALL {
        assert!(assets().join(format!("{}.wav", p.id())).is_file());
    }
    Library::open(assets()).unwrap();
}

/// Python reads each file with `wave` and hashes it with `hashlib`: the
/// format, the SHA-256 and the length the manifest records, and at most 3 s.
#[test]
fn python_reads_every_clip_as_the_manifest_says() {
    let checked = python(
        r##"
import hashlib, sys, wave
from pathlib import Path
d = Path(sys.argv[1])
rows = [l.split("\t") for l in (d / "manifest.tsv").read_text(encoding="utf-8").splitlines()
        if not l.startswith("#")][1:]
total = 0
for ident, text, reading, name, sha, samples, ms, source in rows:
    data = (d / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha, name
    with wave.open(str(d / name), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), name
        n = w.getnframes()
        assert n == int(samples), name
        assert len(w.readframes(n)) == 2 * n, name
        seconds = n / w.getframerate()
        assert 0.1 < seconds <= 3.0, (name, seconds)
        assert abs(seconds * 1000 - int(ms)) <= 1, name
    total += len(data)
assert total < 3 * 1024 * 1024, total
print(len(rows))
"##,
        &[assets().to_str().unwrap()],
    );
    assert_eq!(checked.trim(), Clip::all().len().to_string());
}

/// Every sentence the kiosk can say, composed ones included, as the kiosk
/// composes it: each fixed phrase, 「補欠の N番です。」 for every N from 1 to
/// 99, and 「受け付けました。M月D日から。」 for every date of a leap year.
fn every_sentence() -> Vec<Utterance> {
    const DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut all: Vec<Utterance> = Phrase::ALL.iter().map(|&p| p.into()).collect();
    all.extend((1..=99).map(Utterance::waitlisted));
    for (month, days) in (1..=12).zip(DAYS) {
        for day in 1..=days {
            all.push(Utterance::applied_starting(month, day).unwrap());
        }
    }
    all
}

/// The issue's limit: no result is said for longer than 3 s. The length of
/// each sentence is the sum of its clips' lengths in the manifest (which
/// Python's `wave` confirms above), and the player's own composition is
/// exactly that long: no gap, nothing added.
#[test]
fn every_sentence_for_every_number_and_date_is_at_most_3_seconds() {
    let samples: std::collections::HashMap<String, usize> = manifest()
        .into_iter()
        .map(|row| (row[0].clone(), row[5].parse().unwrap()))
        .collect();
    let library = Library::open(assets()).unwrap();
    let all = every_sentence();
    assert_eq!(all.len(), 16 + 99 + 366);
    let mut longest = (0, String::new());
    for u in &all {
        let n: usize = u.clips().iter().map(|c| samples[&c.id()]).sum();
        assert_eq!(library.compose(u, 1.0).unwrap().len(), n, "{}", u.text());
        let seconds = n as f64 / 16000.0;
        assert!(seconds <= 3.0, "{}: {seconds:.3} s", u.text());
        longest = longest.max((n, u.text()));
    }
    // The longest: a date in late November (十一月二十八日), just under 3 s.
    assert_eq!(longest.1, "受け付けました。十一月二十八日から。");
    // The waiting list's longest is well under (補欠の三十三番です。).
    let waitlisted = (1..=99)
        .map(|n| {
            let u = Utterance::waitlisted(n);
            (u.clips().iter().map(|c| samples[&c.id()]).sum::<usize>(), n)
        })
        .max()
        .unwrap();
    assert!(waitlisted.0 <= 2 * 16000 + 800, "{waitlisted:?}");
}

fn loud() -> VoiceConfig {
    VoiceConfig {
        volume: 100,
        ..VoiceConfig::default()
    }
}

fn wait_for(speaker: &Speaker, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while speaker.played().len() < n {
        assert!(Instant::now() < deadline, "the speaker never played");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// 補欠の12番 is the prefix, 「十」, 「二番」 and 「です」 back to back: the
/// file written equals the four clips' frames joined, as Python reads them.
#[test]
fn waitlisted_12_plays_its_pieces_in_order_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let out = WavFileOut::new(dir.path()).unwrap();
    let speaker = Speaker::new(
        Box::new(out.clone()),
        Library::open(assets()).unwrap(),
        loud(),
    );
    speaker.say(Utterance::waitlisted(12));
    wait_for(&speaker, 1);
    let written = out.written();
    assert_eq!(written.len(), 1);
    assert!(!written[0].interrupted);
    assert_eq!(speaker.played()[0].text, "補欠の十二番です。");
    let same = python(
        r#"
import sys, wave
def frames(p):
    with wave.open(p, "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000)
        return w.readframes(w.getnframes())
played = frames(sys.argv[1])
joined = b"".join(frames(sys.argv[2] + "/" + n + ".wav") for n in sys.argv[3:])
print(played == joined, len(played) // 2)
"#,
        &[
            written[0].path.to_str().unwrap(),
            assets().to_str().unwrap(),
            "waitlisted_prefix",
            "tens_10",
            "ban_2",
            "desu",
        ],
    );
    assert!(same.starts_with("True "), "{same}");
}

/// A new tap cuts the old phrase off: the first file stops early, the second
/// is whole, and `say` never waits for the sound.
#[test]
fn a_new_utterance_interrupts_the_old_and_say_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let out = WavFileOut::new(dir.path()).unwrap().paced();
    let speaker = Speaker::new(
        Box::new(out.clone()),
        Library::open(assets()).unwrap(),
        loud(),
    );
    let t = Instant::now();
    speaker.say(Phrase::SeeStaff);
    assert!(t.elapsed() < Duration::from_millis(20), "{:?}", t.elapsed());
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    speaker.say(Phrase::CheckedIn);
    assert!(t.elapsed() < Duration::from_millis(20), "{:?}", t.elapsed());
    wait_for(&speaker, 2);
    let written = out.written();
    assert_eq!(written.len(), 2);
    assert!(written[0].interrupted);
    let full = Library::open(assets())
        .unwrap()
        .load(Clip::Phrase(Phrase::SeeStaff))
        .unwrap()
        .len();
    assert!(
        written[0].samples < full / 2,
        "{} of {full}",
        written[0].samples
    );
    assert!(!written[1].interrupted);
    // Both are valid WAV files whose length is what was played.
    let lens = python(
        r#"
import sys, wave
for p in sys.argv[1:]:
    with wave.open(p, "rb") as w:
        print(w.getnframes(), len(w.readframes(w.getnframes())) // 2)
"#,
        &[
            written[0].path.to_str().unwrap(),
            written[1].path.to_str().unwrap(),
        ],
    );
    let lines: Vec<&str> = lens.lines().collect();
    assert_eq!(
        lines[0],
        format!("{} {}", written[0].samples, written[0].samples)
    );
    assert_eq!(
        lines[1],
        format!("{} {}", written[1].samples, written[1].samples)
    );
    let played = speaker.played();
    assert!(played[0].interrupted && !played[1].interrupted);
}

fn peak(out: &WavFileOut, i: usize) -> i32 {
    let p = &out.written()[i].path;
    let samples = tsudoi_hw::voice::wav::decode(&std::fs::read(p).unwrap()).unwrap();
    samples.iter().map(|s| i32::from(*s).abs()).max().unwrap()
}

#[test]
fn quiet_mode_leaves_routine_phrases_unsaid_and_halves_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = WavFileOut::new(dir.path()).unwrap();
    let lib = Library::open(assets()).unwrap();
    let loud_speaker = Speaker::new(Box::new(out.clone()), lib.clone(), loud());
    loud_speaker.say(Phrase::SeeStaff);
    wait_for(&loud_speaker, 1);
    let quiet = Speaker::new(
        Box::new(out.clone()),
        lib,
        VoiceConfig {
            quiet: true,
            ..loud()
        },
    );
    quiet.say(Phrase::CheckedIn);
    quiet.say(Phrase::PleaseTap);
    quiet.say(Phrase::SeeStaff);
    wait_for(&quiet, 1);
    std::thread::sleep(Duration::from_millis(50));
    let played: Vec<String> = quiet.played().into_iter().map(|p| p.text).collect();
    assert_eq!(played, [Phrase::SeeStaff.text()]);
    assert_eq!(out.written().len(), 2);
    let (full, half) = (peak(&out, 0), peak(&out, 1));
    assert!((full / 2 - half).abs() <= 1, "{full} {half}");
}

#[test]
fn a_voice_turned_off_or_at_volume_0_says_nothing() {
    for config in [
        VoiceConfig {
            enabled: false,
            ..VoiceConfig::default()
        },
        VoiceConfig {
            volume: 0,
            ..VoiceConfig::default()
        },
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = WavFileOut::new(dir.path()).unwrap();
        let speaker = Speaker::new(
            Box::new(out.clone()),
            Library::open(assets()).unwrap(),
            config,
        );
        speaker.say(Phrase::SeeStaff);
        std::thread::sleep(Duration::from_millis(100));
        assert!(speaker.played().is_empty());
        assert!(out.written().is_empty());
    }
}

#[test]
fn missing_clips_turn_the_voice_off_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (speaker, problem) = Speaker::open(&VoiceConfig {
        dir: Some(dir.path().to_owned()),
        ..VoiceConfig::default()
    });
    let msg = problem.expect("a reason").to_string();
    assert!(
        msg.contains("checked_in.wav") && msg.contains("音声なしで続けます"),
        "{msg}"
    );
    assert!(!speaker.config().enabled);
    speaker.say(Phrase::SeeStaff);
    assert!(speaker.played().is_empty());
}

#[test]
fn the_voice_section_parses_with_defaults_and_refuses_mistakes() {
    let c: VoiceConfig = toml::from_str("").unwrap();
    assert_eq!(c, VoiceConfig::default());
    assert!(c.enabled && c.volume == 80 && !c.quiet && c.device.is_none());
    let c: VoiceConfig =
        toml::from_str("enabled = false\nvolume = 40\nquiet = true\ndevice = \"null\"\n").unwrap();
    assert!(!c.enabled && c.volume == 40 && c.quiet);
    assert_eq!(c.device.as_deref(), Some("null"));
    assert!(toml::from_str::<VoiceConfig>("volum = 3").is_err());
    assert!(toml::from_str::<VoiceConfig>("volume = -1").is_err());
    let c: VoiceConfig = toml::from_str("volume = 101").unwrap();
    let e = c.validate().unwrap_err().to_string();
    assert!(e.contains("0〜100"), "{e}");
}

/// The ALSA path, with a stand-in for `aplay` that saves its arguments and
/// standard input: the samples arrive as raw 16-bit little-endian PCM at
/// 16 kHz mono on the configured device.
#[test]
fn aplay_gets_the_raw_samples_and_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("aplay");
    let args = dir.path().join("args");
    let pcm = dir.path().join("pcm");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"$@\" > {}\ncat > {}\n",
            args.display(),
            pcm.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut out = AplayOut::new(Some("plughw:CARD=Headphones".into())).with_program(&fake);
    let samples: Vec<i16> = (0..4000).map(|i| (i * 7 % 2000 - 1000) as i16).collect();
    out.play(&samples, &|| false).unwrap();
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        "-q -t raw -f S16_LE -c 1 -r 16000 -D plughw:CARD=Headphones -"
    );
    let bytes = std::fs::read(&pcm).unwrap();
    let back: Vec<i16> = bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(back, samples);
    // A failing aplay is an error the kiosk logs, not a hang.
    let mut broken = AplayOut::new(None).with_program("/bin/false");
    assert!(broken.play(&samples, &|| false).is_err());
    let mut missing = AplayOut::new(None).with_program(dir.path().join("no-such-aplay"));
    assert!(missing.play(&samples, &|| false).is_err());
}

/// The real `aplay` (alsa-utils) into ALSA's null device: a phrase plays to
/// the end, and a cancelled one stops at once.
#[test]
fn real_aplay_plays_into_the_null_device_and_stops_when_cancelled() {
    let lib = Library::open(assets()).unwrap();
    let samples = lib.load(Clip::Phrase(Phrase::CheckedIn)).unwrap();
    let mut out = AplayOut::new(Some("null".into()));
    let t = Instant::now();
    out.play(&samples, &|| false)
        .expect("aplay (alsa-utils) on the null device");
    let whole = t.elapsed();
    let t = Instant::now();
    let long = lib.load(Clip::Phrase(Phrase::SeeStaff)).unwrap();
    out.play(&long, &|| t.elapsed() > Duration::from_millis(100))
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(1000),
        "{:?} ({whole:?})",
        t.elapsed()
    );
}
