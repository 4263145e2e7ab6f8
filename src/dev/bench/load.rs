//! `tsudoi bench load`: a busy morning at the site in fast-forward (issue 16,
//! "Load").
//!
//! Everything is the real thing but the people:
//!
//! - the store is a real SQLite file holding the synthetic year
//!   ([`crate::demo`]), with a session open for the morning;
//! - the kiosk is the real controller in the real Slint window, drawn by the
//!   software renderer as `tsudoi screenshot` draws it (headless), on this
//!   process's main thread, which plays the event loop: every 20 ms (the
//!   reader drain's period) it lets Slint's timers run and, when something
//!   changed, renders a frame;
//! - cards are placed on the simulated reader by a "resident" thread and
//!   reach the kiosk through the reader thread and the UI's drain timer, the
//!   path a real tap takes ([`crate::kiosk::KioskUi::attach_reader`]);
//! - staff work at the same time in other processes (`tsudoi load-staff`,
//!   each with its own connection and its own staff sign-in): searches by
//!   furigana and by phone, each opening the first record found, and
//!   registrations with a card linked, through the same store calls the
//!   command line and the kiosk's staff screens make.
//!
//! Fast-forward: every process reads the same [`FastForwardClock`] (the
//! simulated time runs `speed` times faster than the real one from a common
//! origin), so 30 simulated minutes pass in 30/`speed` real minutes. People
//! are sped up, the machine is not: a card is held on the reader for 300 ms
//! and the next one comes no sooner than 600 ms later, the kiosk's own timers
//! (reader drain, idle return, clock tick) run in real time, and the reader's
//! cooldown for the same card is scaled by `speed` like the rest of the day.
//! So the load on the store and the UI thread is `speed` times denser than on
//! the real morning.
//!
//! Measured: tap-to-screen (the card placed on the reader → the frame showing
//! its result rendered), the UI thread's longest stall (the longest time one
//! turn of the loop kept it from taking the next event: timers, the tap's
//! store work with any lock wait, the refresh and the frame), each staff
//! action's time, and busy errors anywhere. Checked: every tap got its
//! screen, no resident saw the fault screen, every check-in the resident was
//! told about is recorded exactly once (and nothing else), every
//! registration is there, the audit chain and `integrity_check` are intact.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use slint::ComponentHandle;

use crate::clock::{Clock, FixedClock, jst};
use crate::demo::{self, DemoSpec};
use crate::dev::DevError;
use crate::eligibility::{PhoneNumber, PostalCode, PostalTable};
use crate::error::{Error, Result};
use crate::kiosk::{KioskConfig, KioskController, KioskUi, Screen, Signal};
use crate::store::participants::{Basis, DocumentKind, IdCheck, NewParticipant};
use crate::store::{Actor, Policy, StaffSession, Store};

/// How long a hand holds a card on the reader (real time).
pub const HOLD: Duration = Duration::from_millis(300);
/// The least real time from one card placed to the next (the next person
/// steps up); taps the day plans closer than this wait.
pub const MIN_SPACING: Duration = Duration::from_millis(600);
/// One turn of the kiosk's loop when idle: the reader drain's period.
const TURN: Duration = Duration::from_millis(20);
/// When the morning begins on the simulated day: the salon opens at 9:00
/// and takes check-ins from 8:30, the lottery class of 10:00 from 9:30.
const START: (u32, u32) = (8, 50);

/// What to run.
#[derive(Debug, Clone, Serialize)]
pub struct LoadOptions {
    /// Card taps in the morning (default 200).
    pub taps: usize,
    /// Simulated length of the morning, in minutes (default 30).
    pub minutes: f64,
    /// How many times faster simulated time runs than real time (default 10).
    pub speed: f64,
    /// Residents in the synthetic year (at least 10; default 4,000).
    pub residents: usize,
    /// Staff processes searching (default 2).
    pub searchers: usize,
    /// Staff processes registering (default 1).
    pub registrars: usize,
    /// Seed for the day's plan and the staff's choices.
    pub seed: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            taps: 200,
            minutes: 30.0,
            speed: 10.0,
            residents: 4000,
            searchers: 2,
            registrars: 1,
            seed: 2026,
        }
    }
}

/// Simulated time: `start` until the origin is set, then `start` plus the
/// real time since the origin times `speed`. Every process of a run builds
/// one from the same start, speed and origin, so they agree on the time
/// (the store's clock guard sees one clock, not several).
#[derive(Debug)]
pub struct FastForwardClock {
    start: DateTime<FixedOffset>,
    speed: f64,
    origin: OnceLock<SystemTime>,
}

impl FastForwardClock {
    /// A clock standing at `start` until [`FastForwardClock::set_origin`] is called; `speed` is
    /// clamped to at least 0.001.
    pub fn new(start: DateTime<FixedOffset>, speed: f64) -> Self {
        FastForwardClock {
            start,
            speed: speed.max(0.001),
            origin: OnceLock::new(),
        }
    }

    /// Starts the clock running from `origin` (a real time; once).
    pub fn set_origin(&self, origin: SystemTime) {
        let _ = self.origin.set(origin);
    }

    /// Simulated seconds since the start.
    pub fn elapsed_s(&self) -> f64 {
        match self.origin.get() {
            None => 0.0,
            Some(o) => SystemTime::now()
                .duration_since(*o)
                .map_or(0.0, |d| d.as_secs_f64() * self.speed),
        }
    }
}

impl Clock for FastForwardClock {
    fn now(&self) -> DateTime<FixedOffset> {
        let ms = (self.elapsed_s() * 1000.0) as i64;
        self.start + chrono::Duration::milliseconds(ms)
    }
}

/// Percentiles in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Spread {
    /// How many timings were taken.
    pub samples: usize,
    /// Median, in milliseconds.
    pub p50_ms: f64,
    /// 95th percentile, in milliseconds.
    pub p95_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Slowest, in milliseconds.
    pub max_ms: f64,
}

impl Spread {
    /// The percentiles of `d` (the sample at the rounded rank); all zero for no samples.
    pub fn of(mut d: Vec<Duration>) -> Spread {
        d.sort_unstable();
        let pick = |q: f64| {
            let i = ((d.len() as f64 - 1.0) * q).round() as usize;
            d.get(i).map_or(0.0, |x| x.as_secs_f64() * 1000.0)
        };
        Spread {
            samples: d.len(),
            p50_ms: pick(0.5),
            p95_ms: pick(0.95),
            p99_ms: pick(0.99),
            max_ms: pick(1.0),
        }
    }
}

/// What a planned tap puts on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TapKind {
    /// A registered resident's card, the first time today.
    Resident,
    /// The same resident again later (already checked in).
    Again,
    /// A card nobody registered.
    Unknown,
    /// A phone's random identifier (refused by the reader layer).
    Phone,
}

/// One tap of the day.
#[derive(Debug, Clone, Copy)]
pub struct PlannedTap {
    /// Simulated seconds from the start of the morning.
    pub at_s: f64,
    /// What kind of tap it is.
    pub kind: TapKind,
    /// The demo resident whose card it is (Resident, Again), or a number
    /// for an unknown card.
    pub card: usize,
}

/// The taps of a busy morning: a queue at the door, then groups of 2–10
/// people a few seconds apart with quiet stretches between; about 4 % taps
/// again later, 2 % unknown cards, 1 % phones. Deterministic in `seed`.
pub fn plan_taps(taps: usize, minutes: f64, residents: usize, seed: u64) -> Vec<PlannedTap> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6c6f_6164);
    let span = minutes.max(0.1) * 60.0 * 0.95;
    let mut sizes = Vec::new();
    let mut left = taps;
    if left > 0 {
        let first = (taps / 6).clamp(1, 40);
        sizes.push(first);
        left -= first;
    }
    while left > 0 {
        let k = rng.random_range(2..=10).min(left);
        sizes.push(k);
        left -= k;
    }
    // The next person steps up 4–9 s after the one before.
    let mut steps: Vec<Vec<f64>> = sizes
        .iter()
        .map(|&k| {
            (1..k)
                .map(|_| rng.random_range(4.0..9.0))
                .collect::<Vec<f64>>()
        })
        .collect();
    let inside: f64 = steps.iter().flatten().sum();
    if inside > span * 0.8 {
        // More taps than the minutes hold at that pace: tighter groups.
        let f = span * 0.8 / inside;
        steps.iter_mut().flatten().for_each(|s| *s *= f);
    }
    let inside: f64 = steps.iter().flatten().sum();
    let weights: Vec<f64> = (1..sizes.len())
        .map(|_| rng.random_range(0.2..1.8))
        .collect();
    let total_w: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let quiet = (span - inside).max(0.0);

    let mut cards: Vec<usize> = (0..residents)
        .filter(|&i| demo::card_uid(seed, i).is_some())
        .collect();
    cards.shuffle(&mut rng);
    let mut next_card = cards.into_iter();
    let mut plan: Vec<PlannedTap> = Vec::with_capacity(taps);
    let mut at = 0.0;
    let mut unknown = 0usize;
    for (b, burst) in steps.iter().enumerate() {
        if b > 0 {
            at += quiet * weights[b - 1] / total_w;
        }
        for j in 0..=burst.len() {
            if j > 0 {
                at += burst[j - 1];
            }
            let r: f64 = rng.random();
            let earlier: Vec<usize> = plan
                .iter()
                .rev()
                .skip(5)
                .filter(|t| t.kind == TapKind::Resident)
                .map(|t| t.card)
                .collect();
            let (kind, card) = if r < 0.04 && !earlier.is_empty() {
                (TapKind::Again, earlier[rng.random_range(0..earlier.len())])
            } else if r < 0.06 {
                unknown += 1;
                (TapKind::Unknown, unknown)
            } else if r < 0.07 {
                (TapKind::Phone, 0)
            } else if let Some(c) = next_card.next() {
                (TapKind::Resident, c)
            } else {
                unknown += 1;
                (TapKind::Unknown, unknown)
            };
            plan.push(PlannedTap {
                at_s: at,
                kind,
                card,
            });
        }
    }
    plan
}

fn unknown_card(seed: u64, n: usize) -> Option<tsudoi_hw::CardId> {
    let mut h = blake3::Hasher::new();
    h.update(b"tsudoi load: a card nobody registered");
    h.update(&seed.to_le_bytes());
    h.update(&(n as u64).to_le_bytes());
    let mut uid = vec![0x01, 0x2e];
    uid.extend_from_slice(&h.finalize().as_bytes()[..6]);
    tsudoi_hw::CardId::new(tsudoi_hw::Technology::Felica, &uid).ok()
}

/// The card a newcomer registered at the desk is given.
fn new_card(seed: u64, worker: usize, n: usize) -> Option<tsudoi_hw::CardId> {
    let mut h = blake3::Hasher::new();
    h.update(b"tsudoi load: a newcomer's card");
    h.update(&seed.to_le_bytes());
    h.update(&(worker as u64).to_le_bytes());
    h.update(&(n as u64).to_le_bytes());
    let mut uid = vec![0x01, 0x2f];
    uid.extend_from_slice(&h.finalize().as_bytes()[..6]);
    tsudoi_hw::CardId::new(tsudoi_hw::Technology::Felica, &uid).ok()
}

/// One staff process's account of its morning (its last line of output).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StaffReport {
    /// `search` or `register`.
    pub role: String,
    /// The worker's number among all staff processes of the run, from 0.
    pub worker: usize,
    /// Searches (by furigana or phone, then the first record opened), or
    /// registrations (with a card linked).
    pub actions: usize,
    /// How long each action took.
    pub action_time: Spread,
    /// SQLITE_BUSY / SQLITE_LOCKED met by an action (after the store's own
    /// 5 s wait).
    pub busy_errors: usize,
    /// Any other failure.
    pub other_errors: usize,
    /// Registrations that printed their number (registrars only).
    pub registered: usize,
    /// The sign-in before the morning (Argon2id).
    pub sign_in_ms: f64,
}

/// Everything `tsudoi bench load` reports.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// The options the run was given.
    pub options: LoadOptions,
    /// The simulated day.
    pub day: NaiveDate,
    /// Participants in the store before the morning.
    pub participants_before: u64,
    /// Simulated minutes the morning took (later than planned when taps had
    /// to wait for the one before).
    pub simulated_minutes: f64,
    /// Real time the run took, in seconds.
    pub real_seconds: f64,
    /// Card placed on the reader → the frame showing its result rendered.
    pub tap_to_screen: Spread,
    /// The longest turn of the kiosk's loop: the time it could not take
    /// another event or draw.
    pub ui_stall_max_ms: f64,
    /// Turns of the loop and their busy time.
    pub ui_turns: Spread,
    /// Turns in which a tap was handled: timers, the tap with its store
    /// work and any lock wait, the refresh (without the frame).
    pub tap_handling: Spread,
    /// Frames rendered (software renderer, 800×480, whole window).
    pub frames: Spread,
    /// Screens the taps showed, by name.
    pub screens: BTreeMap<String, usize>,
    /// Taps whose result screen was replaced before a frame showed it.
    pub unshown_screens: usize,
    /// Taps the kiosk never answered.
    pub taps_without_screen: usize,
    /// 「係の者をお呼びください」 (the store failed during a tap).
    pub fault_screens: usize,
    /// 準備中: the kiosk not open for check-ins (must not happen here).
    pub locked_screens: usize,
    /// Taps that told the resident "checked in".
    pub checked_in: usize,
    /// Card check-ins stored for the day at the end.
    pub attendance_rows: u64,
    /// Tapped cards whose stored check-ins differ from what the screens said
    /// (0 or 1 expected per card).
    pub recorded_mismatches: usize,
    /// Each staff process's own report.
    pub staff: Vec<StaffReport>,
    /// Busy errors met by staff processes, in all.
    pub busy_errors: usize,
    /// Other staff failures, in all.
    pub staff_errors: usize,
    /// Registrations staff completed, in all.
    pub registered: usize,
    /// Participants in the store after the morning.
    pub participants_after: u64,
    /// Whether the audit chain checked out at the end.
    pub audit_intact: bool,
    /// Whether SQLite's `integrity_check` passed at the end.
    pub integrity_ok: bool,
}

impl LoadReport {
    /// Nothing lost, nothing shown wrong, nothing failed.
    pub fn holds(&self) -> bool {
        self.taps_without_screen == 0
            && self.fault_screens == 0
            && self.locked_screens == 0
            && self.checked_in > 0
            && self.recorded_mismatches == 0
            && self.attendance_rows == self.checked_in as u64
            && self.busy_errors == 0
            && self.staff_errors == 0
            && self.participants_after == self.participants_before + self.registered as u64
            && self.audit_intact
            && self.integrity_ok
    }
}

fn sim_start(day: NaiveDate) -> DateTime<FixedOffset> {
    jst(day, START.0, START.1)
}

fn other(e: impl std::fmt::Display) -> Error {
    DevError::run(e).into()
}

/// A staff process as the parent sees it.
struct StaffChild {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: std::io::Lines<BufReader<ChildStdout>>,
}

impl Drop for StaffChild {
    fn drop(&mut self) {
        // Only ever this run's own children, by their handle.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The whole run, in `dir`: the synthetic year, the staff processes, the
/// kiosk on this thread, then the checks.
pub fn run(dir: &Path, opts: &LoadOptions, policy: Policy) -> Result<LoadReport> {
    let path = dir.join("load.db");
    for suffix in ["", "-wal", "-shm"] {
        let p = dir.join(format!("load.db{suffix}"));
        if p.exists() {
            std::fs::remove_file(p)?;
        }
    }
    let day = crate::clock::SystemClock.today();
    let start = sim_start(day);
    let made_at = Arc::new(FixedClock::new(start - chrono::Duration::minutes(10)));
    let spec = DemoSpec {
        residents: opts.residents.max(10),
        target_visits: opts.residents.max(10) * 15,
        ..DemoSpec::year_ending(day, opts.seed)
    };
    let (store, staff, _, _) =
        demo::create(&path, demo::DEMO_PASSWORD, &spec, policy.clone(), made_at)?;
    drop(staff);
    let participants_before = store.participant_count()?;
    drop(store);

    // Staff first: each signs in (Argon2id) and says "ready".
    let exe = std::env::current_exe()?;
    let mut children = Vec::new();
    let roles = std::iter::repeat_n("search", opts.searchers)
        .chain(std::iter::repeat_n("register", opts.registrars));
    for (worker, role) in roles.enumerate() {
        let mut child = Command::new(&exe)
            .arg("--store")
            .arg(&path)
            .arg("load-staff")
            .args(["--role", role])
            .args(["--worker", &worker.to_string()])
            .args(["--speed", &opts.speed.to_string()])
            .args(["--minutes", &opts.minutes.to_string()])
            .args(["--seed", &opts.seed.to_string()])
            .args(["--start", &start.to_rfc3339()])
            .env("TSUDOI_PASSWORD", demo::DEMO_PASSWORD)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| other("a staff process has no output"))?;
        let stdin = child.stdin.take();
        children.push(StaffChild {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
        });
    }

    // The kiosk: the store opened on the shared clock and unlocked for the
    // day by a staff sign-in and sign-out, then the controller and window
    // on it (a controller made on a locked store starts on 準備中).
    let clock = Arc::new(FastForwardClock::new(start, opts.speed));
    let mut store = Store::open(&path, policy, PostalTable::shinjuku(), clock.clone())?;
    let s = store.sign_in(demo::DEMO_MANAGER, demo::DEMO_PASSWORD)?;
    store.sign_out(&s)?;
    crate::dev::init_headless().map_err(other)?;
    let ui = KioskUi::new(KioskController::new(store, KioskConfig::default())).map_err(other)?;
    let window = ui.window();
    window.show().map_err(other)?;
    window.window().set_size(slint::PhysicalSize::new(800, 480));
    if ui.ui_screen() != Some(Screen::Waiting) {
        return Err(other("the kiosk did not open for check-ins"));
    }
    let (reader, control) = tsudoi_hw::SimulatedReader::new();
    let settings = tsudoi_hw::ReaderSettings {
        cooldown: tsudoi_hw::ReaderSettings::default()
            .cooldown
            .div_f64(opts.speed.max(1.0)),
        ..tsudoi_hw::ReaderSettings::default()
    };
    let feedback = tsudoi_hw::RecordingFeedback::new();
    ui.attach_reader(
        tsudoi_hw::spawn_reader(Box::new(reader), settings),
        Some(control.clone()),
        Box::new(feedback.clone()),
    );

    for c in &mut children {
        match c.lines.next() {
            Some(Ok(line)) if line == "ready" => {}
            _ => return Err(other("a staff process did not start")),
        }
    }

    // One origin for every process, a moment from now.
    let lead = Duration::from_millis(300);
    let origin = SystemTime::now() + lead;
    let origin_instant = Instant::now() + lead;
    let origin_ms = origin
        .duration_since(UNIX_EPOCH)
        .map_err(other)?
        .as_millis();
    for c in &mut children {
        if let Some(mut stdin) = c.stdin.take() {
            writeln!(stdin, "{origin_ms}")?;
        }
    }
    clock.set_origin(origin);

    let plan = plan_taps(opts.taps, opts.minutes, opts.residents.max(10), opts.seed);
    let placed: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let resident = {
        let plan = plan.clone();
        let placed = Arc::clone(&placed);
        let done = Arc::clone(&done);
        let speed = opts.speed;
        let seed = opts.seed;
        std::thread::Builder::new()
            .name("load-residents".into())
            .spawn(move || {
                let mut next = origin_instant;
                for tap in &plan {
                    let due = origin_instant + Duration::from_secs_f64(tap.at_s / speed);
                    let at = due.max(next);
                    sleep_until(at);
                    let now = Instant::now();
                    if let Ok(mut p) = placed.lock() {
                        p.push(now);
                    }
                    match tap.kind {
                        TapKind::Resident | TapKind::Again => {
                            if let Some(c) = demo::card(seed, tap.card) {
                                control.place(&c);
                            }
                        }
                        TapKind::Unknown => {
                            if let Some(c) = unknown_card(seed, tap.card) {
                                control.place(&c);
                            }
                        }
                        TapKind::Phone => control
                            .place_raw(tsudoi_hw::Technology::Iso14443A, &[0x08, 0x4d, 0x1c, 0x77]),
                    }
                    std::thread::sleep(HOLD);
                    control.remove();
                    next = now + MIN_SPACING;
                }
                done.store(true, Ordering::SeqCst);
            })?
    };

    // The event loop.
    let loop_start = Instant::now();
    let mut mocked_ms: u128 = 0;
    let mut turns = Vec::new();
    let mut handling = Vec::new();
    let mut frames = Vec::new();
    let mut tap_to_screen = Vec::new();
    let mut tap_screens: Vec<Option<Screen>> = Vec::new();
    let mut last_screen = ui.ui_screen();
    let mut last_frame = Instant::now();
    let mut seen = 0usize;
    let mut finished_at: Option<Instant> = None;
    let mut next_turn = Instant::now();
    loop {
        sleep_until(next_turn);
        let turn = Instant::now();
        next_turn = turn + TURN;
        let target = turn.duration_since(loop_start).as_millis();
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(
            u64::try_from(target.saturating_sub(mocked_ms)).unwrap_or(0),
        ));
        mocked_ms = target;
        let signals = feedback.signals();
        let screen = ui.ui_screen();
        let new = signals.len().saturating_sub(seen);
        if new > 0 {
            handling.push(turn.elapsed());
        }
        if new > 0 || screen != last_screen || last_frame.elapsed() >= crate::kiosk::WAITING_TICK {
            let f = Instant::now();
            window.window().take_snapshot().map_err(other)?;
            let drawn = Instant::now();
            frames.push(drawn - f);
            last_frame = drawn;
            if new > 0 {
                let placed = placed.lock().map_err(other)?.clone();
                // Only the last tap of the turn reached the screen.
                for j in seen..signals.len() {
                    let shown = j + 1 == signals.len();
                    tap_screens.push(if shown { screen } else { None });
                    if shown && let Some(t0) = placed.get(j) {
                        tap_to_screen.push(drawn.saturating_duration_since(*t0));
                    }
                }
                seen = signals.len();
            }
        }
        last_screen = screen;
        turns.push(turn.elapsed());
        if done.load(Ordering::SeqCst) {
            let all = placed.lock().map_err(other)?.len();
            let since = *finished_at.get_or_insert_with(Instant::now);
            if seen >= all || since.elapsed() > Duration::from_secs(5) {
                break;
            }
        }
    }
    let real_seconds = loop_start.elapsed().as_secs_f64();
    let simulated_minutes = clock.elapsed_s() / 60.0;
    resident
        .join()
        .map_err(|_| other("the residents' thread failed"))?;
    let signals = feedback.signals();

    // Staff reports.
    let mut staff = Vec::new();
    for mut c in children {
        let mut report = None;
        for line in c.lines.by_ref() {
            let line = line?;
            if let Ok(r) = serde_json::from_str::<StaffReport>(&line) {
                report = Some(r);
            }
        }
        let status = c.child.wait()?;
        match (status.success(), report) {
            (true, Some(r)) => staff.push(r),
            _ => return Err(other("a staff process failed")),
        }
    }

    // What the screens said against what the store holds.
    let mut screens = BTreeMap::new();
    for s in tap_screens.iter().flatten() {
        *screens.entry(format!("{s:?}")).or_insert(0usize) += 1;
    }
    let fault_screens = tap_screens
        .iter()
        .filter(|s| **s == Some(Screen::KioskFault))
        .count();
    let locked_screens = tap_screens
        .iter()
        .filter(|s| **s == Some(Screen::Locked))
        .count();
    let unshown_screens = tap_screens.iter().filter(|s| s.is_none()).count();
    let mut told: HashMap<usize, usize> = HashMap::new();
    for (j, tap) in plan.iter().enumerate().take(signals.len()) {
        if matches!(tap.kind, TapKind::Resident | TapKind::Again) {
            let n = told.entry(tap.card).or_insert(0);
            if signals[j] == Signal::Success {
                *n += 1;
            }
        }
    }
    let checked_in = signals.iter().filter(|s| **s == Signal::Success).count();
    let (recorded_mismatches, attendance_rows, audit_intact, participants_after) = ui
        .with_controller(|c| -> Result<(usize, u64, bool, u64)> {
            let store = c.store_mut();
            let day_s = day.format("%Y-%m-%d").to_string();
            let rows: i64 = store.conn().query_row(
                "SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
                 WHERE s.date = ?1 AND a.method = 'card'",
                [&day_s],
                |r| r.get(0),
            )?;
            let mut mismatches = 0;
            for (&card, &n) in &told {
                let stored = match demo::card(opts.seed, card)
                    .map(|c| store.participant_by_card(&c))
                    .transpose()?
                    .flatten()
                {
                    Some(id) => store.conn().query_row(
                        "SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id
                         WHERE s.date = ?1 AND a.participant_id = ?2",
                        [&day_s, &id],
                        |r| r.get::<_, i64>(0),
                    )?,
                    None => 0,
                };
                if stored != n as i64 || n > 1 {
                    mismatches += 1;
                }
            }
            let intact = matches!(
                store.verify_audit(&Actor::Kiosk)?,
                crate::store::audit::ChainVerdict::Intact { .. }
            );
            Ok((mismatches, rows as u64, intact, store.participant_count()?))
        })?;
    drop(ui);
    let integrity_ok = {
        let conn = rusqlite::Connection::open(&path)?;
        let r: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        r == "ok"
    };

    let busy_errors = staff.iter().map(|s| s.busy_errors).sum();
    let staff_errors = staff.iter().map(|s| s.other_errors).sum();
    let registered = staff.iter().map(|s| s.registered).sum();
    let taps_without_screen = plan.len().saturating_sub(signals.len());
    Ok(LoadReport {
        options: opts.clone(),
        day,
        participants_before,
        simulated_minutes,
        real_seconds,
        tap_to_screen: Spread::of(tap_to_screen),
        ui_stall_max_ms: turns.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        ui_turns: Spread::of(turns),
        tap_handling: Spread::of(handling),
        frames: Spread::of(frames),
        screens,
        unshown_screens,
        taps_without_screen,
        fault_screens,
        locked_screens,
        checked_in,
        attendance_rows,
        recorded_mismatches,
        staff,
        busy_errors,
        staff_errors,
        registered,
        participants_after,
        audit_intact,
        integrity_ok,
    })
}

fn sleep_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}

fn is_busy(e: &Error) -> bool {
    use rusqlite::ErrorCode as C;
    matches!(e, Error::Database(d)
        if matches!(d.sqlite_error_code(), Some(C::DatabaseBusy | C::DatabaseLocked)))
}

/// Invented names for the newcomers (kanji, furigana).
const FAMILY: [(&str, &str); 6] = [
    ("青木", "アオキ"),
    ("石川", "イシカワ"),
    ("上野", "ウエノ"),
    ("大塚", "オオツカ"),
    ("川口", "カワグチ"),
    ("菊池", "キクチ"),
];
const GIVEN: [(&str, &str); 6] = [
    ("和子", "カズコ"),
    ("節子", "セツコ"),
    ("弘", "ヒロシ"),
    ("昭", "アキラ"),
    ("幸子", "サチコ"),
    ("修", "オサム"),
];

/// What a staff process was asked to do.
#[derive(Debug, Clone)]
pub struct StaffOptions {
    /// "search" or "register".
    pub role: String,
    /// The worker's number among all staff processes of the run, from 0.
    pub worker: usize,
    /// How many times faster simulated time runs than real time.
    pub speed: f64,
    /// Simulated length of the morning, in minutes.
    pub minutes: f64,
    /// Seed shared by the run; the worker's number makes its choices its own.
    pub seed: u64,
    /// The simulated start (RFC 3339).
    pub start: String,
}

/// A staff process (`tsudoi load-staff`): opens the store on the shared
/// clock, signs in, says "ready", reads the origin (Unix milliseconds) from
/// standard input, then works through the morning and prints its
/// [`StaffReport`] as JSON. Searches come every 15–45 simulated seconds,
/// registrations every 1.5–4.5 simulated minutes.
pub fn staff(store_path: &Path, o: &StaffOptions, policy: Policy, password: &str) -> Result<()> {
    let start = DateTime::parse_from_rfc3339(&o.start).map_err(other)?;
    let clock = Arc::new(FastForwardClock::new(start, o.speed));
    let mut store = Store::open(store_path, policy, PostalTable::shinjuku(), clock.clone())?;
    let t = Instant::now();
    let session = store.sign_in(demo::DEMO_MANAGER, password)?;
    let sign_in_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!("ready");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let origin_ms: u64 = line.trim().parse().map_err(other)?;
    let origin = UNIX_EPOCH + Duration::from_millis(origin_ms);
    clock.set_origin(origin);

    let register = o.role == "register";
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed ^ ((o.worker as u64 + 1) * 0x9e37_79b9));
    let readings: Vec<(&str, &str)> = demo::name_readings().collect();
    let end = o.minutes * 60.0;
    let mut at = if register {
        rng.random_range(30.0..120.0)
    } else {
        rng.random_range(0.0..30.0)
    };
    let mut report = StaffReport {
        role: o.role.clone(),
        worker: o.worker,
        sign_in_ms,
        ..StaffReport::default()
    };
    let mut times = Vec::new();
    let mut n = 0usize;
    while at < end {
        let due = origin + Duration::from_secs_f64(at / o.speed);
        if let Ok(wait) = due.duration_since(SystemTime::now()) {
            std::thread::sleep(wait);
        }
        let result = if register {
            let (fk, fr) = FAMILY[n % FAMILY.len()];
            let (gk, gr) = GIVEN[(n / FAMILY.len()) % GIVEN.len()];
            let newcomer = Newcomer {
                name: format!("{fk} {gk}"),
                kana: format!("{fr} {gr}"),
                phone: format!("090-7{}{:02}-{:04}", o.worker % 10, n / 10_000, n % 10_000),
                birth_month: 1 + (n % 12) as u32,
                card: new_card(o.seed, o.worker, n),
            };
            let t = Instant::now();
            let r = register_one(&mut store, &session, newcomer);
            times.push(t.elapsed());
            r
        } else {
            let query = if n % 4 == 3 {
                Query::Phone(format!(
                    "090-{:04}-{:04}",
                    rng.random_range(1000..10_000),
                    rng.random_range(0..10_000)
                ))
            } else {
                let (family, _) = readings[rng.random_range(0..readings.len())];
                Query::Kana(family.chars().take(2).collect())
            };
            let t = Instant::now();
            let r = search_one(&mut store, &session, &query);
            times.push(t.elapsed());
            r
        };
        match result {
            Ok(()) => {
                if register {
                    report.registered += 1;
                }
            }
            Err(e) if is_busy(&e) => report.busy_errors += 1,
            Err(e) => {
                // The kind only: error texts carry no personal value anyway.
                eprintln!("tsudoi load-staff: {:?}", e.kind());
                report.other_errors += 1;
            }
        }
        n += 1;
        at += if register {
            rng.random_range(90.0..270.0)
        } else {
            rng.random_range(15.0..45.0)
        };
    }
    report.actions = n;
    report.action_time = Spread::of(times);
    let _ = store.sign_out(&session);
    println!("{}", serde_json::to_string(&report).map_err(other)?);
    Ok(())
}

/// A newcomer registered at the desk (invented).
struct Newcomer {
    name: String,
    kana: String,
    phone: String,
    birth_month: u32,
    card: Option<tsudoi_hw::CardId>,
}

/// A registration as the command line and the kiosk's registration make
/// it: the ID check, the record, the card linked.
fn register_one(store: &mut Store, session: &StaffSession, p: Newcomer) -> Result<()> {
    let id = store.register(
        session,
        NewParticipant {
            name: p.name,
            kana: p.kana,
            phone: PhoneNumber::parse(&p.phone).map_err(other)?,
            basis: Basis::SelfPresented,
            id_check: Some(IdCheck {
                birth_date: NaiveDate::from_ymd_opt(1950, p.birth_month, 10)
                    .ok_or_else(|| other("an invalid invented birth date"))?,
                postal: PostalCode::parse("160-0022").map_err(other)?,
                document: DocumentKind::HealthInsurance,
            }),
            address: None,
        },
    )?;
    if let Some(card) = p.card {
        store.link_card(session, &id, &card)?;
    }
    Ok(())
}

/// What a searching staff member types.
enum Query {
    Kana(String),
    Phone(String),
}

/// A search as staff make it (`participant find`, the kiosk's search
/// screen), then the first record found opened.
fn search_one(store: &mut Store, session: &StaffSession, q: &Query) -> Result<()> {
    let found = match q {
        Query::Kana(k) => store.find_by_kana(session, k)?,
        Query::Phone(p) => store.find_by_phone(session, &PhoneNumber::parse(p).map_err(other)?)?,
    };
    if let Some(first) = found.first() {
        let _record = store.participant(session, &first.id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_morning_plan_has_every_tap_in_order_within_the_minutes() {
        let plan = plan_taps(200, 30.0, 4000, 2026);
        assert_eq!(plan.len(), 200);
        assert!(plan.windows(2).all(|w| w[0].at_s <= w[1].at_s));
        assert!(plan.last().is_some_and(|t| t.at_s <= 30.0 * 60.0));
        // Bursts: many taps within 10 s of the one before.
        let close = plan
            .windows(2)
            .filter(|w| w[1].at_s - w[0].at_s < 10.0)
            .count();
        assert!(close > 150, "{close}");
        let first: std::collections::HashSet<usize> = plan
            .iter()
            .filter(|t| t.kind == TapKind::Resident)
            .map(|t| t.card)
            .collect();
        let residents = plan.iter().filter(|t| t.kind == TapKind::Resident).count();
        assert_eq!(first.len(), residents, "a first tap is a new resident");
        assert!(
            plan.iter()
                .filter(|t| t.kind == TapKind::Again)
                .all(|t| first.contains(&t.card))
        );
    }

    #[test]
    fn the_clock_runs_fast_from_its_origin() {
        let start = jst(
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
            8,
            50,
        );
        let c = FastForwardClock::new(start, 60.0);
        assert_eq!(c.now(), start);
        c.set_origin(SystemTime::now() - Duration::from_secs(2));
        let ahead = c.now() - start;
        assert!(ahead >= chrono::Duration::seconds(119) && ahead < chrono::Duration::seconds(130));
    }
}
