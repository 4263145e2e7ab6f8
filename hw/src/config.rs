//! The `[hardware]` section of the kiosk's configuration.
//!
//! ```toml
//! [hardware]
//! reader = "pn532_uart:/dev/serial0"   # or "simulated", "pn532_spi:/dev/spidev0.0", "acr122_usb"
//! poll_interval_ms = 50
//! cooldown_secs = 30
//!
//! [hardware.gpio]
//! buzzer_pin = 18
//! green_led_pin = 23
//! red_led_pin = 24
//! ```

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::nfc::NfcReader;
use crate::reader::{CardReader, ReaderSettings};
use crate::simulated::{SimulatedReader, SimulatedReaderControl};

/// Hardware configuration; every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HardwareConfig {
    /// `"simulated"` or a libnfc connection string (`pn532_uart:/dev/serial0`,
    /// `pn532_spi:/dev/spidev0.0`, `pn532_i2c:/dev/i2c-1`, `acr122_usb`).
    pub reader: String,
    /// Longest wait of one poll with an empty field, in milliseconds.
    pub poll_interval_ms: u64,
    /// How long the same card is ignored after it was last seen, in seconds.
    pub cooldown_secs: u64,
    /// Empty polls in a row before a card counts as removed.
    pub removal_polls: u32,
    /// Longest wait between reconnection attempts, in milliseconds.
    pub reconnect_max_ms: u64,
    /// Buzzer and LEDs.
    pub gpio: GpioConfig,
}

impl Default for HardwareConfig {
    fn default() -> Self {
        let s = ReaderSettings::default();
        HardwareConfig {
            reader: "pn532_uart:/dev/serial0".into(),
            poll_interval_ms: s.poll_interval.as_millis() as u64,
            cooldown_secs: s.cooldown.as_secs(),
            removal_polls: s.removal_polls,
            reconnect_max_ms: s.reconnect_max.as_millis() as u64,
            gpio: GpioConfig::default(),
        }
    }
}

/// GPIO pins (BCM numbers, not header pin numbers) for the feedback.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GpioConfig {
    /// `false` turns the buzzer and LEDs off entirely.
    pub enabled: bool,
    /// Passive buzzer (through a transistor), BCM 18 = header pin 12.
    pub buzzer_pin: u8,
    /// Green LED, BCM 23 = header pin 16.
    pub green_led_pin: u8,
    /// Red LED, BCM 24 = header pin 18.
    pub red_led_pin: u8,
}

impl Default for GpioConfig {
    fn default() -> Self {
        GpioConfig {
            enabled: true,
            buzzer_pin: 18,
            green_led_pin: 23,
            red_led_pin: 24,
        }
    }
}

/// Which reader the configuration asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderSource {
    /// The simulated reader (demo, tests).
    Simulated,
    /// A libnfc device by connection string.
    Libnfc(String),
}

/// A configuration value the kiosk cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The `reader` value is not "simulated" or a supported libnfc driver.
    BadReader(String),
    /// A pin number is not on the 40-pin header or used twice.
    BadPins,
    /// A timing value is zero or absurd.
    BadTiming(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::BadReader(r) => write!(
                f,
                "カードリーダーの設定が正しくありません（[hardware] reader = \"{r}\"）。\
                 \"simulated\" または pn532_uart:/dev/serial0 のような libnfc の接続文字列を指定してください。"
            ),
            ConfigError::BadPins => {
                f.write_str("GPIO ピンの設定が正しくありません（BCM 番号 2〜27、重複なし）。")
            }
            ConfigError::BadTiming(field) => {
                write!(f, "[hardware] {field} の値が正しくありません。")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// libnfc drivers this kiosk is built with and documents.
const DRIVERS: &[&str] = &[
    "pn532_uart",
    "pn532_spi",
    "pn532_i2c",
    "acr122_usb",
    "pn53x_usb",
];

impl HardwareConfig {
    /// Checks the values and says which reader to open.
    pub fn reader_source(&self) -> Result<ReaderSource, ConfigError> {
        let r = self.reader.trim();
        if r.eq_ignore_ascii_case("simulated") {
            return Ok(ReaderSource::Simulated);
        }
        let bad = || ConfigError::BadReader(self.reader.chars().take(80).collect());
        // libnfc copies the string into a 1024-byte buffer and stops at NUL.
        if r.is_empty() || r.len() > 512 || !r.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad());
        }
        let driver = r.split(':').next().unwrap_or_default();
        if !DRIVERS.contains(&driver) {
            return Err(bad());
        }
        if driver == "pn532_i2c" {
            eprintln!(
                "tsudoi-hw: warning: PN532 over I2C is unreliable on a Raspberry Pi \
                 (the PN532 stretches the I2C clock); prefer UART or SPI"
            );
        }
        Ok(ReaderSource::Libnfc(r.to_string()))
    }

    /// The reader thread's timing.
    pub fn settings(&self) -> Result<ReaderSettings, ConfigError> {
        if !(10..=2000).contains(&self.poll_interval_ms) {
            return Err(ConfigError::BadTiming("poll_interval_ms"));
        }
        if self.cooldown_secs > 24 * 3600 {
            return Err(ConfigError::BadTiming("cooldown_secs"));
        }
        if !(1..=20).contains(&self.removal_polls) {
            return Err(ConfigError::BadTiming("removal_polls"));
        }
        if !(100..=600_000).contains(&self.reconnect_max_ms) {
            return Err(ConfigError::BadTiming("reconnect_max_ms"));
        }
        let reconnect_max = Duration::from_millis(self.reconnect_max_ms);
        Ok(ReaderSettings {
            poll_interval: Duration::from_millis(self.poll_interval_ms),
            cooldown: Duration::from_secs(self.cooldown_secs),
            removal_polls: self.removal_polls,
            reconnect_max,
            reconnect_initial: ReaderSettings::default()
                .reconnect_initial
                .min(reconnect_max),
            ..ReaderSettings::default()
        })
    }

    /// Validates the section and builds the configured reader (nothing is
    /// opened yet; the reader thread connects). For `"simulated"` the control
    /// that places cards comes back too.
    pub fn open_reader(
        &self,
    ) -> Result<(Box<dyn CardReader>, Option<SimulatedReaderControl>), ConfigError> {
        self.validate()?;
        Ok(match self.reader_source()? {
            ReaderSource::Simulated => {
                let (reader, control) = SimulatedReader::new();
                (Box::new(reader), Some(control))
            }
            ReaderSource::Libnfc(conn) => (Box::new(NfcReader::new(&conn)), None),
        })
    }

    /// Checks the whole section (reader, timing, pins).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.reader_source()?;
        self.settings()?;
        let g = &self.gpio;
        let pins = [g.buzzer_pin, g.green_led_pin, g.red_led_pin];
        let on_header = pins.iter().all(|p| (2..=27).contains(p));
        let distinct = pins[0] != pins[1] && pins[0] != pins[2] && pins[1] != pins[2];
        if !on_header || !distinct {
            return Err(ConfigError::BadPins);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct App {
        hardware: HardwareConfig,
    }

    #[test]
    fn the_app_section_parses_with_defaults() {
        let app: App = toml::from_str(
            "[hardware]\nreader = \"pn532_spi:/dev/spidev0.0\"\ncooldown_secs = 45\n[hardware.gpio]\nred_led_pin = 25\n",
        )
        .unwrap();
        let hw = app.hardware;
        assert_eq!(
            hw.reader_source().unwrap(),
            ReaderSource::Libnfc("pn532_spi:/dev/spidev0.0".into())
        );
        assert_eq!(hw.settings().unwrap().cooldown, Duration::from_secs(45));
        assert_eq!(hw.gpio.red_led_pin, 25);
        assert_eq!(hw.gpio.buzzer_pin, 18);
        hw.validate().unwrap();
    }

    #[test]
    fn the_simulated_reader_comes_with_its_control() {
        let hw = HardwareConfig {
            reader: "simulated".into(),
            ..HardwareConfig::default()
        };
        let (reader, control) = hw.open_reader().unwrap();
        assert_eq!(reader.describe(), "simulated");
        assert!(control.is_some());
        let (reader, control) = HardwareConfig::default().open_reader().unwrap();
        assert_eq!(reader.describe(), "pn532_uart:/dev/serial0");
        assert!(control.is_none());
    }

    #[test]
    fn typos_and_bad_values_are_refused_not_ignored() {
        assert!(toml::from_str::<App>("[hardware]\nreaders = \"simulated\"\n").is_err());
        let mut hw = HardwareConfig {
            reader: "rcs380:usb".into(),
            ..HardwareConfig::default()
        };
        let e = hw.validate().unwrap_err();
        assert!(e.to_string().contains("カードリーダー"));
        hw.reader = "pn532_uart:/dev/ttyS0\0".into();
        assert!(hw.validate().is_err());
        hw.reader = "Simulated".into();
        assert_eq!(hw.reader_source().unwrap(), ReaderSource::Simulated);
        hw.gpio.green_led_pin = hw.gpio.red_led_pin;
        assert_eq!(hw.validate(), Err(ConfigError::BadPins));
        hw.gpio = GpioConfig::default();
        hw.poll_interval_ms = 0;
        assert!(hw.validate().is_err());
    }
}
