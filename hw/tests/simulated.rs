//! The simulated reader behind the same tap thread, as `tsudoi demo` uses it.

use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tsudoi_hw::{
    CardId, CardIdError, ReaderEvent, ReaderSettings, ReaderState, SimulatedReader, Technology,
    spawn_reader,
};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn the_demo_reader_taps_refuses_and_survives_an_unplug() {
    let (reader, control) = SimulatedReader::new();
    let settings = ReaderSettings {
        reconnect_initial: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(50),
        ..ReaderSettings::default()
    };
    let handle = spawn_reader(Box::new(reader), settings);
    let ev = handle.events();
    assert_eq!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::State(ReaderState::Ready))
    );

    let card = CardId::from_hex(Technology::Felica, "01 27 00 4A 1B 2C 3D 4E").unwrap();
    control.place(&card);
    assert_eq!(ev.recv_timeout(WAIT), Ok(ReaderEvent::Card(card.clone())));
    // Held there: nothing more.
    assert_eq!(
        ev.recv_timeout(Duration::from_millis(300)),
        Err(RecvTimeoutError::Timeout)
    );
    control.remove();

    control.place_raw(Technology::Iso14443A, &[0x08, 1, 2, 3]);
    assert_eq!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::Refused(CardIdError::RandomIdentifier))
    );
    control.remove();

    control.unplug();
    assert!(matches!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::State(ReaderState::NotConnected { .. }))
    ));
    control.replug();
    assert_eq!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::State(ReaderState::Ready))
    );
    let other = CardId::from_hex(Technology::Iso14443A, "04A1B2C3").unwrap();
    control.place(&other);
    assert_eq!(ev.recv_timeout(WAIT), Ok(ReaderEvent::Card(other)));
    handle.stop();
}

#[test]
fn stopping_the_reader_returns_promptly() {
    let (reader, _control) = SimulatedReader::new();
    let handle = spawn_reader(Box::new(reader), ReaderSettings::default());
    let started = std::time::Instant::now();
    handle.stop();
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// A reader whose driver panics on the first poll.
struct Crashing;

impl tsudoi_hw::CardReader for Crashing {
    fn connect(&mut self) -> Result<(), tsudoi_hw::ReaderError> {
        Ok(())
    }
    fn poll(
        &mut self,
        _timeout: Duration,
    ) -> Result<Option<tsudoi_hw::RawTap>, tsudoi_hw::ReaderError> {
        panic!("driver bug")
    }
    fn disconnect(&mut self) {}
    fn describe(&self) -> String {
        "crashing".into()
    }
}

#[test]
fn a_crashing_driver_shows_not_connected_instead_of_ready_forever() {
    let handle = spawn_reader(Box::new(Crashing), ReaderSettings::default());
    let ev = handle.events();
    assert_eq!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::State(ReaderState::Ready))
    );
    assert!(matches!(
        ev.recv_timeout(WAIT),
        Ok(ReaderEvent::State(ReaderState::NotConnected { .. }))
    ));
    handle.stop();
}
