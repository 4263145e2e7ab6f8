//! `tsudoi bench --kiosk`: the kiosk's own figures on the synthetic year.
//!
//! The parent creates the synthetic year, then starts `tsudoi kiosk-probe`
//! as a child process (a fresh process, as the kiosk service would be): the
//! time from spawning it to its first rendered frame (headless, software
//! renderer) is "start to first frame"; the child then signs in as staff
//! would at the start of the day, taps cards of the synthetic year and
//! reports the latency from card event to updated screen model and its own
//! peak memory (VmHWM).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use slint::ComponentHandle;

use super::{Timing, peak_rss_mib};
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::demo::{self, DemoSpec};
use crate::dev::DevError;
use crate::dev::init_headless;
use crate::error::Result;
use crate::kiosk::{KioskConfig, KioskController, KioskUi};
use crate::store::{Policy, Store};

/// What the probe prints on its last line (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeReport {
    /// Cards tapped.
    pub taps: usize,
    /// Card event → updated screen model, median, in milliseconds.
    pub card_to_model_p50_ms: f64,
    /// The same, 99th percentile.
    pub card_to_model_p99_ms: f64,
    /// The same, slowest.
    pub card_to_model_max_ms: f64,
    /// From the probe's own start to its first rendered frame.
    pub first_frame_in_process_ms: f64,
    /// The probe's peak resident memory (`VmHWM`), in MiB.
    pub peak_rss_mib: f64,
    /// Peak before the staff sign-in (whose Argon2id needs its m_cost in RAM).
    pub peak_before_sign_in_mib: f64,
    /// Resident memory after the taps.
    pub rss_after_taps_mib: f64,
    /// Registration's name step: from the furigana to the first page of
    /// written forms on the screen model, over every invented name.
    #[serde(default)]
    pub name_candidates_p50_ms: f64,
    /// The same, 99th percentile.
    #[serde(default)]
    pub name_candidates_p99_ms: f64,
    /// Invented names whose candidates were measured.
    #[serde(default)]
    pub names_picked: usize,
}

/// The kiosk figures.
#[derive(Debug, Clone, Serialize)]
pub struct KioskBench {
    /// From spawning the probe process to its first rendered frame, in
    /// milliseconds.
    pub start_to_first_frame_ms: f64,
    /// What the probe measured itself.
    pub probe: ProbeReport,
    /// Participants in the synthetic year.
    pub participants: u64,
}

fn probe_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::jst(SystemClock.today(), 10, 30))
}

/// Parent side: builds the synthetic year in `dir`, runs the probe, collects.
pub fn run(dir: &Path, taps: usize, policy: Policy) -> Result<KioskBench> {
    let path = dir.join("kiosk-bench.db");
    let clock = probe_clock();
    let spec = DemoSpec::year_ending(clock.today(), 2026);
    let (store, staff, _) = demo::open_or_create(&path, demo::DEMO_PASSWORD, &spec, policy, clock)?;
    let participants = store.participant_count()?;
    drop(staff);
    drop(store);

    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .arg("kiosk-probe")
        .arg("--store")
        .arg(&path)
        .arg("--taps")
        .arg(taps.to_string())
        .env("TSUDOI_PASSWORD", demo::DEMO_PASSWORD)
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| DevError::run("probe has no output"))?;
    let mut first_frame = None;
    let mut report = None;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if line == "first-frame" && first_frame.is_none() {
            first_frame = Some(started.elapsed());
        } else if let Ok(r) = serde_json::from_str::<ProbeReport>(&line) {
            report = Some(r);
        }
    }
    let status = child.wait()?;
    match (status.success(), first_frame, report) {
        (true, Some(ff), Some(probe)) => Ok(KioskBench {
            start_to_first_frame_ms: ff.as_secs_f64() * 1000.0,
            probe,
            participants,
        }),
        _ => Err(DevError::run("the kiosk probe failed").into()),
    }
}

/// Child side (`tsudoi kiosk-probe`): what `tsudoi run` does, headless.
pub fn probe(store_path: &Path, taps: usize, policy: Policy, password: &str) -> Result<()> {
    let t0 = Instant::now();
    let clock = probe_clock();
    let store = Store::open(
        store_path,
        policy,
        crate::eligibility::PostalTable::shinjuku(),
        clock.clone(),
    )?;
    init_headless().map_err(DevError::ui)?;
    let ui =
        KioskUi::new(KioskController::new(store, KioskConfig::default())).map_err(DevError::ui)?;
    let window = ui.window();
    window.show().map_err(DevError::ui)?;
    window.window().set_size(slint::PhysicalSize::new(800, 480));
    i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
    window.window().take_snapshot().map_err(DevError::ui)?;
    let first_frame = t0.elapsed();
    println!("first-frame");

    let peak_before_sign_in = peak_rss_mib();
    // The start of the day: a staff sign-in unlocks the store, then sign-out.
    // The controller was made on the locked store (準備中), and a timeout
    // leaves 準備中 alone: back to the waiting screen, as the sign-out on
    // screen does, or every tap below would meet 準備中 and do nothing.
    ui.with_controller(|c| -> Result<()> {
        let s = c.store_mut().sign_in(demo::DEMO_MANAGER, password)?;
        c.store_mut().sign_out(&s)?;
        c.go_waiting();
        Ok(())
    })?;
    if ui.ui_screen() != Some(crate::kiosk::Screen::Waiting) {
        return Err(DevError::run("the kiosk did not open for check-ins").into());
    }
    let seed = 2026;
    let mut times = Vec::with_capacity(taps);
    let mut i = 0usize;
    while times.len() < taps {
        let Some(card) = demo::card(seed, i % 4000) else {
            i += 1;
            continue;
        };
        i += 1;
        let card = Ok(card);
        let started = Instant::now();
        ui.on_card(card);
        times.push(started.elapsed());
        if ui.ui_screen() == Some(crate::kiosk::Screen::Locked) {
            return Err(DevError::run("a tap met 準備中").into());
        }
        ui.with_controller(|c| c.back());
    }
    let rss_after_taps = rss_mib();
    let names = pick_names(&ui, password)?;
    // A rendered frame of the last state, so the renderer's memory counts too.
    let _ = window.window().take_snapshot();
    let t = Timing::of(times);
    let report = ProbeReport {
        taps: t.samples,
        card_to_model_p50_ms: t.p50_ms,
        card_to_model_p99_ms: t.p99_ms,
        card_to_model_max_ms: t.max_ms,
        first_frame_in_process_ms: first_frame.as_secs_f64() * 1000.0,
        peak_rss_mib: peak_rss_mib(),
        peak_before_sign_in_mib: peak_before_sign_in,
        rss_after_taps_mib: rss_after_taps,
        name_candidates_p50_ms: names.p50_ms,
        name_candidates_p99_ms: names.p99_ms,
        names_picked: names.samples,
    };
    println!("{}", serde_json::to_string(&report).map_err(DevError::run)?);
    Ok(())
}

/// Later in the day staff sign in on screen (Argon2id again, now with the
/// residents' state in memory) and register: the name step, for every
/// invented name, timed from the furigana to the candidates on the screen
/// model; the first candidate of each part is picked.
fn pick_names(ui: &KioskUi, password: &str) -> Result<Timing> {
    ui.with_controller(|c| {
        c.staff_start();
        for k in demo::DEMO_MANAGER.split("") {
            c.key(k);
        }
        c.focus(crate::kiosk::Field::Second);
        for k in password.split("") {
            c.key(k);
        }
        c.submit();
        c.register_start();
        c.reg_document(0);
    });
    let mut times = Vec::new();
    for (family, given) in demo::name_readings() {
        ui.with_controller(|c| {
            for k in format!("{family} {given}").chars() {
                c.key(&if k == ' ' {
                    "空白".into()
                } else {
                    k.to_string()
                });
            }
        });
        let started = Instant::now();
        ui.with_controller(|c| c.name_focus_kana(false));
        times.push(started.elapsed());
        let done = ui.with_controller(|c| {
            c.name_choose(0);
            c.name_choose(0);
            c.name_entry().is_some_and(|e| e.is_complete())
        });
        if !done {
            return Err(DevError::run("the name picker did not complete an invented name").into());
        }
        ui.with_controller(|c| {
            c.name_focus_kana(true);
            for _ in 0..20 {
                c.backspace();
            }
        });
    }
    ui.with_controller(|c| c.sign_out());
    Ok(Timing::of(times))
}

/// VmRSS from /proc (Linux); 0 elsewhere.
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
