//! The card reader abstraction and the thread that turns polls into taps.
//!
//! A [`CardReader`] only answers "which card is in the field right now?".
//! Everything the kiosk cares about (one event per physical tap, the cooldown
//! for the same card, reconnecting after an unplug, telling the screen the
//! reader is gone) lives in the thread started by [`spawn_reader`], so the real
//! reader and the simulated one behave identically.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::card::{CardId, CardIdError, Technology};

/// What one poll saw in the field: a technology and the identifier bytes,
/// not yet checked. Debug output never shows the identifier.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawTap {
    technology: Technology,
    uid: Vec<u8>,
}

impl RawTap {
    /// Wraps an identifier read from the field.
    pub fn new(technology: Technology, uid: &[u8]) -> RawTap {
        RawTap {
            technology,
            uid: uid.to_vec(),
        }
    }

    /// The technology the card answered on.
    pub fn technology(&self) -> Technology {
        self.technology
    }

    /// Checks the identifier (random phone identifiers are refused).
    pub fn to_card(&self) -> Result<CardId, CardIdError> {
        CardId::new(self.technology, &self.uid)
    }
}

impl fmt::Debug for RawTap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RawTap({}, <{} bytes>)",
            self.technology.code(),
            self.uid.len()
        )
    }
}

/// Why a reader could not be opened or polled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderError {
    /// The device is absent, unplugged or not answering: reconnect.
    Disconnected(String),
    /// A radio hiccup (a card moved during the read): poll again.
    Transient(String),
}

impl fmt::Display for ReaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReaderError::Disconnected(why) => write!(f, "reader disconnected: {why}"),
            ReaderError::Transient(why) => write!(f, "transient reader error: {why}"),
        }
    }
}

impl std::error::Error for ReaderError {}

/// A device that can tell which card is in its field, in the spirit of the
/// embedded-hal traits: small, blocking, no policy.
pub trait CardReader: Send {
    /// Opens and initialises the device. Called at the start and again after
    /// a [`ReaderError::Disconnected`], with back-off.
    fn connect(&mut self) -> Result<(), ReaderError>;

    /// Looks for one card, waiting at most about `timeout` when none is there
    /// (a reader whose hardware has its own timing may return earlier or
    /// slightly later). `Ok(None)` means the field is empty.
    fn poll(&mut self, timeout: Duration) -> Result<Option<RawTap>, ReaderError>;

    /// Closes the device; `connect` may be called again afterwards.
    fn disconnect(&mut self);

    /// A short description for logs, e.g. the connection string.
    fn describe(&self) -> String;
}

/// Whether the reader can take taps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderState {
    /// Connected and polling.
    Ready,
    /// Not connected; the thread keeps retrying. `reason` is technical detail
    /// for the log, not for the screen.
    NotConnected {
        /// What the driver said.
        reason: String,
    },
}

impl fmt::Display for ReaderState {
    /// The text for the kiosk screen.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReaderState::Ready => "カードをタッチしてください",
            ReaderState::NotConnected { .. } => "カードリーダーがつながっていません",
        })
    }
}

/// What the reader thread tells the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// A card was placed on the reader: one event per physical tap.
    Card(CardId),
    /// Something was placed that is not a usable card (a phone's random
    /// identifier); its Display tells the resident what to do.
    Refused(CardIdError),
    /// The reader was connected or lost.
    State(ReaderState),
}

/// Timing of the reader thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSettings {
    /// Longest wait of one poll when the field is empty.
    pub poll_interval: Duration,
    /// The same card is ignored for this long after it was last seen, so a
    /// hesitant double tap counts once.
    pub cooldown: Duration,
    /// Consecutive empty polls before a card counts as removed; one missed
    /// read while a card is held must not count as a second tap.
    pub removal_polls: u32,
    /// First wait before reconnecting; doubles up to `reconnect_max`.
    pub reconnect_initial: Duration,
    /// Longest wait between reconnection attempts.
    pub reconnect_max: Duration,
    /// Transient errors in a row after which the device is reopened anyway.
    pub max_transient_errors: u32,
}

impl Default for ReaderSettings {
    fn default() -> Self {
        ReaderSettings {
            poll_interval: Duration::from_millis(50),
            cooldown: Duration::from_secs(30),
            removal_polls: 2,
            reconnect_initial: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(5),
            max_transient_errors: 5,
        }
    }
}

/// The running reader thread. Dropping it stops the thread too.
pub struct ReaderHandle {
    events: Receiver<ReaderEvent>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ReaderHandle {
    /// The events, in order. Use `try_recv` from a UI timer or `recv` from a
    /// dedicated thread.
    pub fn events(&self) -> &Receiver<ReaderEvent> {
        &self.events
    }

    /// Stops the thread and waits for it (at most about one poll).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic in the reader thread has already been reported by the
            // runtime; there is nothing more to do with it here.
            let _ = thread.join();
        }
    }
}

impl Drop for ReaderHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts the reader thread. The first event is always a
/// [`ReaderEvent::State`].
pub fn spawn_reader(reader: Box<dyn CardReader>, settings: ReaderSettings) -> ReaderHandle {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("tsudoi-reader".into())
        .spawn(move || {
            let last_words = tx.clone();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run(reader, settings, tx, thread_stop)
            }));
            if outcome.is_err() {
                // A driver bug must not leave the screen saying "ready"
                // while nobody polls.
                let _ = last_words.send(ReaderEvent::State(ReaderState::NotConnected {
                    reason: "reader thread panicked".into(),
                }));
            }
        });
    match thread {
        Ok(thread) => ReaderHandle {
            events: rx,
            stop,
            thread: Some(thread),
        },
        Err(e) => {
            // Without a thread there is no reader; say so on the screen
            // rather than panicking the kiosk.
            let (tx, rx) = mpsc::channel();
            let _ = tx.send(ReaderEvent::State(ReaderState::NotConnected {
                reason: format!("cannot start reader thread: {e}"),
            }));
            ReaderHandle {
                events: rx,
                stop,
                thread: None,
            }
        }
    }
}

/// Sleeps in small steps so `stop` is honoured quickly.
fn sleep_unless_stopped(stop: &AtomicBool, total: Duration) {
    let deadline = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(20)));
    }
}

/// The tap logic, separate from I/O so it can be reasoned about alone.
struct TapTracker {
    settings: ReaderSettings,
    /// The card in the field and how many polls in a row missed it.
    present: Option<(RawTap, u32)>,
    /// When each recently seen card was last seen, for the cooldown.
    last_seen: HashMap<RawTap, Instant>,
}

impl TapTracker {
    fn new(settings: ReaderSettings) -> TapTracker {
        TapTracker {
            settings,
            present: None,
            last_seen: HashMap::new(),
        }
    }

    /// Feeds one poll result; returns the event for a new tap, if any.
    fn observe(&mut self, seen: Option<RawTap>, now: Instant) -> Option<ReaderEvent> {
        let cooldown = self.settings.cooldown;
        self.last_seen
            .retain(|_, at| now.saturating_duration_since(*at) < cooldown);
        match seen {
            None => {
                if let Some((tap, misses)) = self.present.take() {
                    let misses = misses + 1;
                    if misses < self.settings.removal_polls {
                        self.present = Some((tap, misses));
                    }
                }
                None
            }
            Some(tap) => {
                if let Some((current, misses)) = &mut self.present
                    && *current == tap
                {
                    *misses = 0;
                    self.last_seen.insert(tap, now);
                    return None;
                }
                let in_cooldown = self.last_seen.contains_key(&tap);
                self.last_seen.insert(tap.clone(), now);
                self.present = Some((tap.clone(), 0));
                if in_cooldown {
                    return None;
                }
                Some(match tap.to_card() {
                    Ok(card) => ReaderEvent::Card(card),
                    Err(why) => ReaderEvent::Refused(why),
                })
            }
        }
    }

    /// After a reconnect the field is unknown; cooldowns still apply.
    fn forget_present(&mut self) {
        self.present = None;
    }
}

fn run(
    mut reader: Box<dyn CardReader>,
    settings: ReaderSettings,
    tx: Sender<ReaderEvent>,
    stop: Arc<AtomicBool>,
) {
    let mut tracker = TapTracker::new(settings.clone());
    let mut state: Option<ReaderState> = None;
    let mut backoff = settings.reconnect_initial;
    // Emits a state event only when the state changes, so a reader that stays
    // unplugged does not flood the kiosk.
    let set_state = |new: ReaderState, state: &mut Option<ReaderState>| -> bool {
        let changed = !matches!(
            (&*state, &new),
            (Some(ReaderState::Ready), ReaderState::Ready)
                | (
                    Some(ReaderState::NotConnected { .. }),
                    ReaderState::NotConnected { .. }
                )
        );
        if changed {
            if let ReaderState::NotConnected { reason } = &new {
                eprintln!("tsudoi-hw: card reader not connected: {reason}");
            }
            *state = Some(new.clone());
            return tx.send(ReaderEvent::State(new)).is_ok();
        }
        true
    };

    'outer: while !stop.load(Ordering::SeqCst) {
        match reader.connect() {
            Ok(()) => {
                backoff = settings.reconnect_initial;
                tracker.forget_present();
                if !set_state(ReaderState::Ready, &mut state) {
                    break;
                }
            }
            Err(e) => {
                let reason = format!("{} ({})", e, reader.describe());
                if !set_state(ReaderState::NotConnected { reason }, &mut state) {
                    break;
                }
                reader.disconnect();
                sleep_unless_stopped(&stop, backoff);
                backoff = (backoff * 2).min(settings.reconnect_max);
                continue;
            }
        }

        let mut transient = 0u32;
        while !stop.load(Ordering::SeqCst) {
            match reader.poll(settings.poll_interval) {
                Ok(seen) => {
                    transient = 0;
                    if let Some(event) = tracker.observe(seen, Instant::now())
                        && tx.send(event).is_err()
                    {
                        // The kiosk dropped the receiver: nobody is listening.
                        break 'outer;
                    }
                }
                Err(ReaderError::Transient(_)) if transient + 1 < settings.max_transient_errors => {
                    transient += 1;
                }
                Err(e) => {
                    let reason = format!("{} ({})", e, reader.describe());
                    reader.disconnect();
                    if !set_state(ReaderState::NotConnected { reason }, &mut state) {
                        break 'outer;
                    }
                    sleep_unless_stopped(&stop, backoff);
                    backoff = (backoff * 2).min(settings.reconnect_max);
                    continue 'outer;
                }
            }
        }
    }
    reader.disconnect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ReaderSettings {
        ReaderSettings {
            cooldown: Duration::from_secs(10),
            removal_polls: 2,
            ..ReaderSettings::default()
        }
    }

    fn tap(uid: &[u8]) -> Option<RawTap> {
        Some(RawTap::new(Technology::Iso14443A, uid))
    }

    #[test]
    fn a_card_held_for_a_minute_counts_once() {
        let mut t = TapTracker::new(settings());
        let start = Instant::now();
        assert!(matches!(
            t.observe(tap(&[4, 1, 2, 3]), start),
            Some(ReaderEvent::Card(_))
        ));
        for i in 1..1200 {
            let now = start + Duration::from_millis(50 * i);
            // A missed read now and then must not end the tap.
            let seen = if i % 7 == 0 { None } else { tap(&[4, 1, 2, 3]) };
            assert_eq!(t.observe(seen, now), None);
        }
    }

    #[test]
    fn the_same_card_within_the_cooldown_is_ignored_and_after_it_counts() {
        let mut t = TapTracker::new(settings());
        let start = Instant::now();
        assert!(t.observe(tap(&[4, 1, 2, 3]), start).is_some());
        let later = start + Duration::from_millis(100);
        assert_eq!(t.observe(None, later), None);
        assert_eq!(t.observe(None, later), None);
        assert_eq!(
            t.observe(tap(&[4, 1, 2, 3]), start + Duration::from_secs(2)),
            None
        );
        // A different card right away is a new tap.
        assert!(
            t.observe(tap(&[4, 9, 9, 9]), start + Duration::from_secs(3))
                .is_some()
        );
        t.observe(None, start + Duration::from_secs(3));
        t.observe(None, start + Duration::from_secs(3));
        assert!(matches!(
            t.observe(tap(&[4, 1, 2, 3]), start + Duration::from_secs(13)),
            Some(ReaderEvent::Card(_))
        ));
    }

    #[test]
    fn a_phone_is_refused_once_per_tap() {
        let mut t = TapTracker::new(settings());
        let now = Instant::now();
        assert_eq!(
            t.observe(tap(&[0x08, 1, 2, 3]), now),
            Some(ReaderEvent::Refused(CardIdError::RandomIdentifier))
        );
        assert_eq!(t.observe(tap(&[0x08, 1, 2, 3]), now), None);
    }

    #[test]
    fn not_connected_is_shown_in_japanese() {
        let s = ReaderState::NotConnected { reason: "x".into() };
        assert_eq!(s.to_string(), "カードリーダーがつながっていません");
    }

    #[test]
    fn raw_tap_debug_hides_the_identifier() {
        let t = RawTap::new(Technology::Felica, &[0xde, 0xad, 0xbe, 0xef]);
        assert!(!format!("{t:?}").contains("de"));
    }
}
