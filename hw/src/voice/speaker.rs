//! The clips on disk, the `[voice]` settings, and the player thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Deserialize;

use super::out::{AplayOut, NoopOut, VoiceOut};
use super::phrases::{Clip, Utterance};
use super::wav::{self, WavError};

/// Where the Debian package installs the clips.
pub const INSTALLED_DIR: &str = "/usr/share/tsudoi/voice";

/// The `[voice]` section of the configuration; every key is optional.
///
/// ```toml
/// [voice]
/// enabled = true     # spoken guidance on the resident screens
/// volume = 80        # 0-100
/// quiet = false      # events: routine confirmations unsaid, half volume
/// device = "plughw:CARD=Headphones"   # ALSA device; default: ALSA's default
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VoiceConfig {
    /// Whether the kiosk speaks at all.
    pub enabled: bool,
    /// Loudness from 0 (silent) to 100 (the clips as recorded).
    pub volume: u8,
    /// Quiet mode for events: 「受付しました」 and the other routine
    /// confirmations are left unsaid, and the rest is said at half volume.
    pub quiet: bool,
    /// The ALSA device for `aplay -D`; `None` is ALSA's default.
    pub device: Option<String>,
    /// Where the clips are; `None` is the package's [`INSTALLED_DIR`] (in a
    /// source tree without it, the tree's `assets/voice`).
    pub dir: Option<PathBuf>,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig {
            enabled: true,
            volume: 80,
            quiet: false,
            device: None,
            dir: None,
        }
    }
}

impl VoiceConfig {
    /// Checks the values.
    pub fn validate(&self) -> Result<(), VoiceError> {
        if self.volume > 100 {
            return Err(VoiceError::BadVolume(self.volume));
        }
        Ok(())
    }

    /// The folder of the clips.
    pub fn dir(&self) -> PathBuf {
        if let Some(d) = &self.dir {
            return d.clone();
        }
        let installed = PathBuf::from(INSTALLED_DIR);
        let tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice");
        if !installed.is_dir() && tree.is_dir() {
            tree
        } else {
            installed
        }
    }

    /// The sample gain: volume on a squared curve (closer to how loudness
    /// is heard than a straight line), halved in quiet mode.
    pub fn gain(&self) -> f32 {
        let v = f32::from(self.volume.min(100)) / 100.0;
        let g = v * v;
        if self.quiet { g * 0.5 } else { g }
    }

    /// Whether `u` is said at all under these settings.
    pub fn says(&self, u: &Utterance) -> bool {
        self.enabled && self.volume > 0 && !(self.quiet && u.is_routine())
    }
}

/// What went wrong with the voice. The kiosk goes on without it.
#[derive(Debug)]
pub enum VoiceError {
    /// `[voice] volume` is over 100.
    BadVolume(u8),
    /// A clip's file is missing or unreadable.
    Clip {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl std::fmt::Display for VoiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VoiceError::BadVolume(v) => write!(
                f,
                "[voice] volume の値が正しくありません（{v}）。0〜100 で書いてください。"
            ),
            VoiceError::Clip { path, reason } => write!(
                f,
                "音声案内のファイル {} を使えません（{reason}）。tsudoi パッケージを入れ直してください。音声なしで続けます。",
                path.display()
            ),
        }
    }
}

impl std::error::Error for VoiceError {}

/// The clips in a folder, read when they are played (each is a few tens of
/// kilobytes; nothing stays in memory between utterances).
#[derive(Debug, Clone)]
pub struct Library {
    dir: PathBuf,
}

impl Library {
    /// The clips in `dir`; fails naming the first clip whose file is missing.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Library, VoiceError> {
        let lib = Library { dir: dir.into() };
        for clip in Clip::all() {
            let path = lib.path(clip);
            if !path.is_file() {
                return Err(VoiceError::Clip {
                    path,
                    reason: "ありません".into(),
                });
            }
        }
        Ok(lib)
    }

    /// The file of `clip`.
    pub fn path(&self, clip: Clip) -> PathBuf {
        self.dir.join(format!("{}.wav", clip.id()))
    }

    /// The samples of one clip.
    pub fn load(&self, clip: Clip) -> Result<Vec<i16>, VoiceError> {
        let path = self.path(clip);
        let bytes = std::fs::read(&path).map_err(|e| VoiceError::Clip {
            path: path.clone(),
            reason: e.kind().to_string(),
        })?;
        wav::decode(&bytes).map_err(|e: WavError| VoiceError::Clip {
            path,
            reason: e.to_string(),
        })
    }

    /// The samples of a whole utterance, its clips back to back without a
    /// gap, scaled by `gain` (0.0 to 1.0).
    pub fn compose(&self, u: &Utterance, gain: f32) -> Result<Vec<i16>, VoiceError> {
        let mut out = Vec::new();
        for &clip in u.clips() {
            out.extend(self.load(clip)?);
        }
        if gain < 1.0 {
            let g = gain.max(0.0);
            for s in &mut out {
                *s = (f32::from(*s) * g).round() as i16;
            }
        }
        Ok(out)
    }
}

struct Job {
    generation: u64,
    utterance: Utterance,
    asked_at: Instant,
    /// The sample gain it is said with (the settings at the time of `say`).
    gain: f32,
}

/// One utterance as the player thread handled it (for tests and the
/// benchmark; holds no personal data, only the fixed sentence).
#[derive(Debug, Clone)]
pub struct Played {
    /// The sentence as written.
    pub text: String,
    /// When [`Speaker::say`] was called.
    pub asked_at: Instant,
    /// Whether a newer utterance cut it short (or replaced it before it
    /// started).
    pub interrupted: bool,
    /// The output's error, if any.
    pub error: Option<String>,
}

/// Says utterances on a thread of its own: [`Speaker::say`] returns at once,
/// and a new utterance cuts off the one still playing (a new tap means the
/// old result no longer matters).
pub struct Speaker {
    tx: Sender<Job>,
    generation: Arc<AtomicU64>,
    /// Opened without its clips or with a wrong setting: silent for good.
    broken: bool,
    config: VoiceConfig,
    log: Arc<Mutex<Vec<Played>>>,
}

impl Speaker {
    /// A speaker for the configured audio output: `aplay` when the voice's
    /// clips are there (also when it is off, so that staff can turn it on
    /// at the kiosk: [`Speaker::adjust`]), otherwise one that says nothing
    /// (with the reason, to log once).
    pub fn open(config: &VoiceConfig) -> (Speaker, Option<VoiceError>) {
        let problem = config
            .validate()
            .and_then(|()| Library::open(config.dir()))
            .map_err(Some);
        match problem {
            Ok(lib) => (
                Speaker::new(
                    Box::new(AplayOut::new(config.device.clone())),
                    lib,
                    config.clone(),
                ),
                None,
            ),
            Err(e) => {
                let off = VoiceConfig {
                    enabled: false,
                    ..config.clone()
                };
                let lib = Library { dir: off.dir() };
                let mut speaker = Speaker::new(Box::new(NoopOut), lib, off);
                speaker.broken = true;
                (speaker, e)
            }
        }
    }

    /// A speaker playing the clips of `library` into `out`.
    pub fn new(out: Box<dyn VoiceOut>, library: Library, config: VoiceConfig) -> Speaker {
        let (tx, rx) = mpsc::channel();
        let generation = Arc::new(AtomicU64::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (g, l) = (generation.clone(), log.clone());
        // If the thread cannot start, `say` finds the channel closed and the
        // kiosk goes on silently.
        let _ = std::thread::Builder::new()
            .name("tsudoi-voice".into())
            .spawn(move || run(out, library, rx, g, l));
        Speaker {
            tx,
            generation,
            broken: false,
            config,
            log,
        }
    }

    /// Says `u` (a [`super::Phrase`] or a composed [`Utterance`]), cutting
    /// off whatever is playing. Returns at once; nothing is said when the
    /// voice is off, or for a routine phrase in quiet mode.
    pub fn say(&self, u: impl Into<Utterance>) {
        self.say_with(u, &self.config);
    }

    /// Says `u` as [`Speaker::say`] does, but with the on/off, volume and
    /// quiet mode of `settings` (the staff screen's 「ためしに聞く」 plays the
    /// volume chosen before it is saved). The output and the clips stay
    /// the speaker's own.
    pub fn say_with(&self, u: impl Into<Utterance>, settings: &VoiceConfig) {
        let utterance = u.into();
        if self.broken || !settings.says(&utterance) {
            return;
        }
        let asked_at = Instant::now();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.tx.send(Job {
            generation,
            utterance,
            asked_at,
            gain: settings.gain(),
        });
    }

    /// Takes new settings at once (staff changed them at the kiosk): on or
    /// off, the volume (at most 100) and quiet mode; the next utterance is
    /// said with them. A speaker whose clips are missing stays silent.
    pub fn adjust(&mut self, enabled: bool, volume: u8, quiet: bool) {
        self.config.enabled = enabled && !self.broken;
        self.config.volume = volume.min(100);
        self.config.quiet = quiet;
    }

    /// Stops what is playing (the idle reset, a staff sign-in).
    pub fn stop(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The settings it runs with.
    pub fn config(&self) -> &VoiceConfig {
        &self.config
    }

    /// The utterances handled so far, oldest first.
    pub fn played(&self) -> Vec<Played> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn run(
    mut out: Box<dyn VoiceOut>,
    library: Library,
    rx: Receiver<Job>,
    generation: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<Played>>>,
) {
    let record = |job: &Job, interrupted: bool, error: Option<String>| {
        log.lock().unwrap_or_else(|e| e.into_inner()).push(Played {
            text: job.utterance.text(),
            asked_at: job.asked_at,
            interrupted,
            error,
        });
    };
    let mut last_error: Option<String> = None;
    while let Ok(mut job) = rx.recv() {
        // Only the newest waiting utterance matters.
        while let Ok(newer) = rx.try_recv() {
            record(&job, true, None);
            job = newer;
        }
        let cancelled = || generation.load(Ordering::SeqCst) != job.generation;
        if cancelled() {
            record(&job, true, None);
            continue;
        }
        let result = library
            .compose(&job.utterance, job.gain)
            .map_err(|e| e.to_string())
            .and_then(|samples| out.play(&samples, &cancelled).map_err(|e| e.to_string()));
        let error = result.err();
        if let Some(e) = newly_failing(&mut last_error, &error) {
            eprintln!("tsudoi: 音声案内: {e}");
        }
        record(&job, cancelled(), error);
    }
}

/// The error to log for this utterance: only one that differs from the
/// previous utterance's, so that a missing `aplay` or an unplugged card is
/// one journal line, not one per tap all day. A success clears it, so the
/// same failure coming back later is logged again.
fn newly_failing<'e>(last: &mut Option<String>, error: &'e Option<String>) -> Option<&'e str> {
    let new = match (error.as_deref(), last.as_deref()) {
        (Some(e), Some(l)) if e == l => None,
        (e, _) => e,
    };
    last.clone_from(error);
    new
}

#[cfg(test)]
mod tests {
    use super::newly_failing;

    #[test]
    fn a_failure_repeated_at_every_tap_is_logged_once_and_again_after_a_recovery() {
        let missing = Some("aplay がありません".to_owned());
        let mut last = None;
        let logged: Vec<bool> = [&missing, &missing, &missing, &None, &missing]
            .into_iter()
            .map(|e| newly_failing(&mut last, e).is_some())
            .collect();
        assert_eq!(logged, [true, false, false, false, true]);
        let other = Some("別のエラー".to_owned());
        assert_eq!(newly_failing(&mut last, &other), Some("別のエラー"));
    }
}
