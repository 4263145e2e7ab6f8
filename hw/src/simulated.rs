//! A reader without hardware, for `tsudoi demo` and tests: cards are placed
//! and removed from code through a [`SimulatedReaderControl`].

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::card::{CardId, Technology};
use crate::reader::{CardReader, RawTap, ReaderError};

#[derive(Default)]
struct Field {
    card: Option<RawTap>,
    unplugged: bool,
    /// Bumped on every change, so a waiting poll wakes at once.
    generation: u64,
}

#[derive(Default)]
struct Shared {
    field: Mutex<Field>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Field> {
        // A panic while holding this lock cannot leave the field half
        // updated (every update is a single assignment), so recover.
        self.field.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut Field)) {
        let mut field = self.lock();
        f(&mut field);
        field.generation += 1;
        drop(field);
        self.changed.notify_all();
    }
}

/// The simulated reader; give it to [`crate::spawn_reader`].
pub struct SimulatedReader {
    shared: Arc<Shared>,
    connected: bool,
}

/// Places and removes cards on a [`SimulatedReader`]. Cloneable; every clone
/// controls the same reader.
#[derive(Clone)]
pub struct SimulatedReaderControl {
    shared: Arc<Shared>,
}

impl SimulatedReader {
    /// A reader with an empty field, plugged in.
    pub fn new() -> (SimulatedReader, SimulatedReaderControl) {
        let shared = Arc::new(Shared::default());
        (
            SimulatedReader {
                shared: Arc::clone(&shared),
                connected: false,
            },
            SimulatedReaderControl { shared },
        )
    }
}

impl SimulatedReaderControl {
    /// Puts a card on the reader (replacing any card there).
    pub fn place(&self, card: &CardId) {
        self.place_raw(card.technology(), card.uid());
    }

    /// Puts anything on the reader, including identifiers [`CardId`] refuses
    /// (a phone's random UID).
    pub fn place_raw(&self, technology: Technology, uid: &[u8]) {
        let tap = RawTap::new(technology, uid);
        self.shared.update(|f| f.card = Some(tap));
    }

    /// Takes the card away.
    pub fn remove(&self) {
        self.shared.update(|f| f.card = None);
    }

    /// Pulls the reader's cable: polls fail until [`Self::replug`].
    pub fn unplug(&self) {
        self.shared.update(|f| f.unplugged = true);
    }

    /// Plugs the reader back in.
    pub fn replug(&self) {
        self.shared.update(|f| f.unplugged = false);
    }
}

impl CardReader for SimulatedReader {
    fn connect(&mut self) -> Result<(), ReaderError> {
        if self.shared.lock().unplugged {
            return Err(ReaderError::Disconnected(
                "simulated reader unplugged".into(),
            ));
        }
        self.connected = true;
        Ok(())
    }

    fn poll(&mut self, timeout: Duration) -> Result<Option<RawTap>, ReaderError> {
        if !self.connected {
            return Err(ReaderError::Disconnected("not connected".into()));
        }
        let deadline = Instant::now() + timeout;
        let mut field = self.shared.lock();
        let start_generation = field.generation;
        // Waits for a change or the timeout, then reports the field: a card
        // placed during the wait is seen at once (like a real reader answering
        // as soon as a card enters the field), and a card left lying there
        // does not turn the poll loop into a busy loop.
        loop {
            if field.unplugged {
                self.connected = false;
                return Err(ReaderError::Disconnected(
                    "simulated reader unplugged".into(),
                ));
            }
            let now = Instant::now();
            if field.generation != start_generation || now >= deadline {
                return Ok(field.card.clone());
            }
            field = match self.shared.changed.wait_timeout(field, deadline - now) {
                Ok((guard, _)) => guard,
                Err(e) => e.into_inner().0,
            };
        }
    }

    fn disconnect(&mut self) {
        self.connected = false;
    }

    fn describe(&self) -> String {
        "simulated".into()
    }
}
