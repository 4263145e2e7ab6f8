//! The real reader: any libnfc device (PN532 over UART, SPI or I2C; ACR122U)
//! through the `nfc1` bindings.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use nfc1::target_info::TargetInfo;
use nfc1::{BaudRate, Modulation, ModulationType, Property};

use crate::card::Technology;
use crate::reader::{CardReader, RawTap, ReaderError};

/// One libnfc context for the whole process, created on first use and never
/// freed. `nfc_init` calls `setenv` (for its log level), which is not safe
/// while other threads read the environment, and libnfc logs through
/// `getenv`: initialising once, under a lock, keeps readers in several
/// threads (tests, a reconnecting kiosk) away from that race.
static LIBNFC: Mutex<Option<nfc1::Context>> = Mutex::new(None);

fn open_device(connstring: &str) -> Result<nfc1::Device, ReaderError> {
    let mut context = LIBNFC.lock().unwrap_or_else(|e| e.into_inner());
    if context.is_none() {
        let c = nfc1::Context::new()
            .map_err(|e| ReaderError::Disconnected(format!("libnfc init: {e:?}")))?;
        *context = Some(c);
    }
    let Some(context) = context.as_mut() else {
        return Err(ReaderError::Disconnected("libnfc init".into()));
    };
    context
        .open_with_connstring(connstring)
        .map_err(|e| ReaderError::Disconnected(format!("open: {e:?}")))
}

/// Polls ISO 14443A (106 kbps) and FeliCa (212 kbps) on a libnfc device.
pub struct NfcReader {
    connstring: String,
    device: Option<nfc1::Device>,
    /// A card answered the previous poll; the RF field is reset before the
    /// next one so a card left in place (now in ACTIVE state, deaf to REQA)
    /// answers again instead of looking removed.
    card_was_present: bool,
}

const MODULATIONS: [(Modulation, Technology); 2] = [
    (
        Modulation {
            modulation_type: ModulationType::Iso14443a,
            baud_rate: BaudRate::Baud106,
        },
        Technology::Iso14443A,
    ),
    (
        Modulation {
            modulation_type: ModulationType::Felica,
            baud_rate: BaudRate::Baud212,
        },
        Technology::Felica,
    ),
];

impl NfcReader {
    /// A reader for a libnfc connection string such as
    /// `pn532_uart:/dev/serial0`; nothing is opened until `connect`.
    pub fn new(connstring: &str) -> NfcReader {
        NfcReader {
            connstring: connstring.to_string(),
            device: None,
            card_was_present: false,
        }
    }

    fn classify(&mut self, e: nfc1::Error, doing: &str) -> ReaderError {
        let detail = self
            .device
            .as_mut()
            .and_then(|d| d.get_last_error_string())
            .unwrap_or_default();
        let why = format!("{doing}: {e:?} {detail}").trim_end().to_string();
        match e {
            // Radio trouble with a card in motion: the device itself is fine.
            nfc1::Error::RfTransmissionError
            | nfc1::Error::TargetReleased
            | nfc1::Error::MifareAuthFailed
            | nfc1::Error::Chip
            | nfc1::Error::Soft
            | nfc1::Error::BufferOverflow => ReaderError::Transient(why),
            _ => ReaderError::Disconnected(why),
        }
    }

    fn close(&mut self) {
        self.device = None;
    }
}

/// The identifier in a target, or `None` for nfc1's empty "no card" target.
fn identifier(info: &TargetInfo) -> Option<(Technology, Vec<u8>)> {
    match info {
        TargetInfo::Iso14443a(a) => {
            let uid = a.uid.get(..a.uid_len)?;
            (!uid.is_empty()).then(|| (Technology::Iso14443A, uid.to_vec()))
        }
        TargetInfo::Felica(f) => {
            (f.len > 0 && f.id.iter().any(|b| *b != 0)).then(|| (Technology::Felica, f.id.to_vec()))
        }
        _ => None,
    }
}

impl CardReader for NfcReader {
    fn connect(&mut self) -> Result<(), ReaderError> {
        self.close();
        self.card_was_present = false;
        let device = open_device(&self.connstring)?;
        self.device = Some(device);
        let setup = (|| {
            let device = self.device.as_mut().ok_or(nfc1::Error::NoDeviceFound)?;
            device.initiator_init()?;
            // initiator_init turns on infinite select, which would block the
            // thread until a card comes; one try per poll keeps stop and
            // unplug detection prompt.
            device.set_property_bool(Property::InfiniteSelect, false)
        })();
        if let Err(e) = setup {
            let err = self.classify(e, "initialise");
            self.close();
            return Err(ReaderError::Disconnected(err.to_string()));
        }
        Ok(())
    }

    fn poll(&mut self, timeout: Duration) -> Result<Option<RawTap>, ReaderError> {
        let started = Instant::now();
        let Some(device) = self.device.as_mut() else {
            return Err(ReaderError::Disconnected("not connected".into()));
        };
        if self.card_was_present {
            let reset = device
                .set_property_bool(Property::ActivateField, false)
                .and_then(|()| device.set_property_bool(Property::ActivateField, true));
            if let Err(e) = reset {
                return Err(self.classify(e, "reset field"));
            }
            // ISO 14443-3 gives a card 5 ms to power up before the first
            // command; a read missed here would look like a removal.
            std::thread::sleep(Duration::from_millis(10));
        }
        let mut found = None;
        for (modulation, _) in &MODULATIONS {
            let Some(device) = self.device.as_mut() else {
                return Err(ReaderError::Disconnected("not connected".into()));
            };
            match device.initiator_select_passive_target(modulation) {
                Ok(target) => {
                    if let Some((tech, uid)) = identifier(&target.target_info) {
                        found = Some(RawTap::new(tech, &uid));
                        break;
                    }
                }
                Err(e) => return Err(self.classify(e, "select")),
            }
        }
        self.card_was_present = found.is_some();
        if found.is_none() {
            // The selects take a few milliseconds when the field is empty;
            // rest for the rest of the interval instead of hammering the bus.
            if let Some(rest) = timeout.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
        }
        Ok(found)
    }

    fn disconnect(&mut self) {
        self.close();
    }

    fn describe(&self) -> String {
        self.connstring.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_device_is_not_connected_not_a_panic() {
        let mut r = NfcReader::new("pn532_uart:/nonexistent/tty");
        assert!(matches!(r.connect(), Err(ReaderError::Disconnected(_))));
        assert!(matches!(
            r.poll(Duration::from_millis(10)),
            Err(ReaderError::Disconnected(_))
        ));
    }
}
