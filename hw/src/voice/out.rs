//! Where the samples go: the audio output through ALSA's `aplay`, a WAV file
//! per utterance (tests, the benchmark), or nowhere.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::wav;

/// An audio output. `play` is called on the voice's own thread, never on
/// the UI thread (see [`super::Speaker`]).
pub trait VoiceOut: Send {
    /// Plays `samples` (16-bit mono at [`wav::SAMPLE_RATE`]) and returns when
    /// they have been played, or soon after `cancelled()` turns true (a new
    /// tap), having stopped the sound.
    fn play(&mut self, samples: &[i16], cancelled: &dyn Fn() -> bool) -> io::Result<()>;
}

/// Plays nothing: voice turned off, or no audio output.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopOut;

impl VoiceOut for NoopOut {
    fn play(&mut self, _samples: &[i16], _cancelled: &dyn Fn() -> bool) -> io::Result<()> {
        Ok(())
    }
}

/// How often a playing output looks at `cancelled`.
const POLL: Duration = Duration::from_millis(5);

/// The audio output through ALSA, by `aplay` (alsa-utils) reading raw PCM on
/// its standard input: one process per utterance, killed when a new tap
/// interrupts it. A subprocess rather than linking libasound: the kiosk's
/// binary keeps its short list of shared libraries (scripts/test-deb.sh),
/// the arm64 cross build needs no ALSA sysroot, and interrupting is a kill.
/// Starting `aplay` costs a few milliseconds (see `tsudoi bench`).
#[derive(Debug, Clone)]
pub struct AplayOut {
    program: PathBuf,
    device: Option<String>,
}

impl AplayOut {
    /// `aplay` on the ALSA device `device` (`None`: ALSA's default, e.g.
    /// `"plughw:CARD=Headphones"` for the Pi's 3.5 mm jack, `"null"` to
    /// play into nothing).
    pub fn new(device: Option<String>) -> AplayOut {
        AplayOut {
            program: PathBuf::from("aplay"),
            device,
        }
    }

    /// Another program with `aplay`'s arguments (tests).
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> AplayOut {
        self.program = program.into();
        self
    }

    fn spawn(&self) -> io::Result<Child> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r"])
            .arg(wav::SAMPLE_RATE.to_string());
        if let Some(d) = &self.device {
            cmd.arg("-D").arg(d);
        }
        cmd.arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
    }
}

fn stop(child: &mut Child) -> io::Result<()> {
    // Killing fails only if it has already exited; waiting reaps it.
    let _ = child.kill();
    child.wait().map(|_| ())
}

impl VoiceOut for AplayOut {
    fn play(&mut self, samples: &[i16], cancelled: &dyn Fn() -> bool) -> io::Result<()> {
        let mut child = self.spawn()?;
        let bytes = wav::pcm_bytes(samples);
        if let Some(mut stdin) = child.stdin.take() {
            // 100 ms at a time, so a new tap is heard within about that even
            // while the pipe is full.
            for chunk in bytes.chunks(wav::SAMPLE_RATE as usize / 5) {
                if cancelled() {
                    return stop(&mut child);
                }
                if let Err(e) = stdin.write_all(chunk) {
                    let _ = stop(&mut child);
                    return Err(e);
                }
            }
            // Dropping stdin closes the pipe: aplay plays what is left, then exits.
        }
        loop {
            if let Some(status) = child.try_wait()? {
                if status.success() {
                    return Ok(());
                }
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = io::Read::read_to_string(&mut e, &mut err);
                }
                return Err(io::Error::other(format!(
                    "aplay: {status}: {}",
                    err.lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(200)
                        .collect::<String>()
                )));
            }
            if cancelled() {
                return stop(&mut child);
            }
            std::thread::sleep(POLL);
        }
    }
}

/// One utterance written by a [`WavFileOut`].
#[derive(Debug, Clone)]
pub struct Written {
    /// The WAV file.
    pub path: PathBuf,
    /// When its first sample was written.
    pub first_sample_at: Instant,
    /// Samples written (fewer than asked when interrupted).
    pub samples: usize,
    /// Whether a new utterance cut it short.
    pub interrupted: bool,
}

/// Writes each utterance to its own WAV file, `0001.wav`, `0002.wav`, … in a
/// folder: what a resident would have heard, for tests and the benchmark.
/// Paced (the default for tests of interruption) it writes in real time, 20
/// ms at a time, and stops where a new tap cuts in, as a loudspeaker would.
#[derive(Debug, Clone)]
pub struct WavFileOut {
    dir: PathBuf,
    paced: bool,
    log: Arc<Mutex<Vec<Written>>>,
}

impl WavFileOut {
    /// Writes into `dir` (made if missing) as fast as it can.
    pub fn new(dir: impl Into<PathBuf>) -> io::Result<WavFileOut> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(WavFileOut {
            dir,
            paced: false,
            log: Arc::default(),
        })
    }

    /// Writes in real time, so a new utterance interrupts the one playing.
    pub fn paced(mut self) -> WavFileOut {
        self.paced = true;
        self
    }

    /// What has been written so far, oldest first (clones share the log).
    pub fn written(&self) -> Vec<Written> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl VoiceOut for WavFileOut {
    fn play(&mut self, samples: &[i16], cancelled: &dyn Fn() -> bool) -> io::Result<()> {
        let n = self.written().len() + 1;
        let path = self.dir.join(format!("{n:04}.wav"));
        let mut f = BufWriter::new(File::create(&path)?);
        // The header's lengths are fixed up at the end if cut short.
        f.write_all(&wav::header(samples.len()))?;
        let step = if self.paced {
            wav::SAMPLE_RATE as usize / 50
        } else {
            samples.len().max(1)
        };
        let start = Instant::now();
        let mut first_sample_at = None;
        let mut done = 0;
        let mut interrupted = false;
        for chunk in samples.chunks(step) {
            if cancelled() {
                interrupted = true;
                break;
            }
            f.write_all(&wav::pcm_bytes(chunk))?;
            f.flush()?;
            first_sample_at.get_or_insert_with(Instant::now);
            done += chunk.len();
            if self.paced {
                let due = Duration::from_micros(done as u64 * 1_000_000 / wav::SAMPLE_RATE as u64);
                if let Some(wait) = due.checked_sub(start.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
        }
        let mut file = f.into_inner().map_err(|e| e.into_error())?;
        if done != samples.len() {
            use std::io::Seek;
            file.seek(io::SeekFrom::Start(0))?;
            file.write_all(&wav::header(done))?;
        }
        drop(file);
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Written {
                path,
                first_sample_at: first_sample_at.unwrap_or_else(Instant::now),
                samples: done,
                interrupted,
            });
        Ok(())
    }
}
