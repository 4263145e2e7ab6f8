//! Card placed on the emulated PN532 → `ReaderEvent::Card` delivered, through
//! the real libnfc `pn532_uart` driver, at the default reader settings.
//!
//! Run with `cargo bench -p tsudoi-hw --bench tap_latency`; prints p50, p99
//! and the maximum, and fails if p99 exceeds 200 ms.

#[allow(dead_code, unused_imports)]
#[path = "../src/emulator.rs"]
mod emulator;

use std::time::{Duration, Instant};

use emulator::{EmulatedCard, Pn532Emulator};
use tsudoi_hw::{NfcReader, ReaderEvent, ReaderSettings, ReaderState, spawn_reader};

const TAPS: u32 = 200;
const LIMIT: Duration = Duration::from_millis(200);

fn main() {
    if let Err(e) = run() {
        eprintln!("tap_latency: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let emu = Pn532Emulator::start().map_err(|e| format!("emulator: {e}"))?;
    let settings = ReaderSettings::default();
    let handle = spawn_reader(
        Box::new(NfcReader::new(&emu.connstring())),
        settings.clone(),
    );
    let wait = Duration::from_secs(10);
    match handle.events().recv_timeout(wait) {
        Ok(ReaderEvent::State(ReaderState::Ready)) => {}
        other => return Err(format!("reader not ready: {other:?}")),
    }
    // A cheap deterministic jitter so cards arrive at every phase of the
    // poll cycle, as a resident's hand would.
    let mut seed: u32 = 0x2545_F491;
    let mut latencies = Vec::with_capacity(TAPS as usize);
    for i in 0..TAPS {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        std::thread::sleep(Duration::from_millis(u64::from(seed % 100)));
        // A different card each time, so the cooldown does not apply.
        let uid = vec![0x04, (i >> 8) as u8, i as u8, 0x5A, 0x11, 0x22, 0x33];
        let placed = Instant::now();
        emu.place(EmulatedCard::Iso14443A(uid));
        match handle.events().recv_timeout(wait) {
            Ok(ReaderEvent::Card(_)) => latencies.push(placed.elapsed()),
            other => return Err(format!("tap {i}: {other:?}")),
        }
        emu.remove();
        // Let the reader see the field empty before the next card.
        std::thread::sleep(settings.poll_interval * (settings.removal_polls + 1));
    }
    handle.stop();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let (p50, p99, max) = (pct(0.50), pct(0.99), pct(1.0));
    println!(
        "tap_latency: {TAPS} taps, poll_interval {} ms: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        settings.poll_interval.as_millis(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
    if p99 > LIMIT {
        return Err(format!("p99 {p99:?} exceeds {LIMIT:?}"));
    }
    Ok(())
}
