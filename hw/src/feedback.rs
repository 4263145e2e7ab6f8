//! Tone and light for the result of a tap, for residents who cannot read the
//! screen: a passive buzzer driven by PWM and a green and a red LED.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::config::GpioConfig;

/// What the kiosk wants to tell the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Checked in: one short high tone, green light.
    Success,
    /// Already checked in today: two mid tones, green light.
    AlreadyCheckedIn,
    /// Could not check in (unknown card, phone, error): one long low tone, red.
    Error,
    /// Look at the screen (staff needed, reader lost): three short tones, red
    /// blinking.
    Attention,
}

/// Which LED is lit during a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Light {
    /// No LED.
    Off,
    /// The green LED.
    Green,
    /// The red LED.
    Red,
}

/// One step of a pattern: a tone (or silence) and a light for a while.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Tone frequency in hertz; `None` is silence.
    pub tone_hz: Option<f64>,
    /// The LED lit during the step.
    pub light: Light,
    /// How long the step lasts.
    pub millis: u64,
}

const fn step(tone_hz: Option<f64>, light: Light, millis: u64) -> Step {
    Step {
        tone_hz,
        light,
        millis,
    }
}

impl Signal {
    /// The tone and light pattern. Each signal differs in rhythm as well as
    /// pitch, because many older residents hear high tones poorly.
    pub fn pattern(self) -> &'static [Step] {
        use Light::*;
        const SUCCESS: &[Step] = &[step(Some(2000.0), Green, 150), step(None, Green, 850)];
        const ALREADY: &[Step] = &[
            step(Some(1500.0), Green, 100),
            step(None, Green, 80),
            step(Some(1500.0), Green, 100),
            step(None, Green, 720),
        ];
        const ERROR: &[Step] = &[step(Some(400.0), Red, 600), step(None, Red, 600)];
        const ATTENTION: &[Step] = &[
            step(Some(1000.0), Red, 120),
            step(None, Off, 80),
            step(Some(1000.0), Red, 120),
            step(None, Off, 80),
            step(Some(1000.0), Red, 120),
            step(None, Red, 480),
        ];
        match self {
            Signal::Success => SUCCESS,
            Signal::AlreadyCheckedIn => ALREADY,
            Signal::Error => ERROR,
            Signal::Attention => ATTENTION,
        }
    }
}

/// Something that can give a resident tone-and-light feedback. `signal`
/// returns at once; the pattern plays in the background.
pub trait Feedback: Send {
    /// Plays the pattern of `s`, cutting short one still playing.
    fn signal(&mut self, s: Signal);
}

/// Feedback that does nothing: off a Raspberry Pi, or with GPIO disabled.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopFeedback;

impl Feedback for NoopFeedback {
    fn signal(&mut self, _s: Signal) {}
}

/// Remembers the signals, for tests. Clones share the record.
#[derive(Debug, Default, Clone)]
pub struct RecordingFeedback {
    signals: Arc<Mutex<Vec<Signal>>>,
}

impl RecordingFeedback {
    /// An empty record.
    pub fn new() -> RecordingFeedback {
        RecordingFeedback::default()
    }

    /// The signals so far, oldest first.
    pub fn signals(&self) -> Vec<Signal> {
        self.signals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Feedback for RecordingFeedback {
    fn signal(&mut self, s: Signal) {
        self.signals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(s);
    }
}

/// Buzzer and LEDs on the Raspberry Pi's GPIO header, played by a worker
/// thread so the kiosk never waits for a tone.
pub struct GpioFeedback {
    tx: Sender<Signal>,
}

struct Pins {
    buzzer: rppal::gpio::OutputPin,
    green: rppal::gpio::OutputPin,
    red: rppal::gpio::OutputPin,
}

impl Pins {
    fn all_off(&mut self) {
        // Clearing PWM only fails if the pin was never set up for it.
        let _ = self.buzzer.clear_pwm();
        self.buzzer.set_low();
        self.green.set_low();
        self.red.set_low();
    }

    fn apply(&mut self, s: &Step) {
        match s.tone_hz {
            Some(hz) => {
                if let Err(e) = self.buzzer.set_pwm_frequency(hz, 0.5) {
                    eprintln!("tsudoi-hw: buzzer: {e}");
                }
            }
            None => {
                let _ = self.buzzer.clear_pwm();
                self.buzzer.set_low();
            }
        }
        match s.light {
            Light::Off => {
                self.green.set_low();
                self.red.set_low();
            }
            Light::Green => {
                self.red.set_low();
                self.green.set_high();
            }
            Light::Red => {
                self.green.set_low();
                self.red.set_high();
            }
        }
    }
}

impl GpioFeedback {
    /// Claims the pins. Fails off a Raspberry Pi (`UnknownModel`) or when a
    /// pin is taken; see [`open_feedback`] for the fallback.
    pub fn new(config: &GpioConfig) -> Result<GpioFeedback, rppal::gpio::Error> {
        let gpio = rppal::gpio::Gpio::new()?;
        let mut pins = Pins {
            buzzer: gpio.get(config.buzzer_pin)?.into_output_low(),
            green: gpio.get(config.green_led_pin)?.into_output_low(),
            red: gpio.get(config.red_led_pin)?.into_output_low(),
        };
        pins.all_off();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("tsudoi-feedback".into())
            .spawn(move || play(pins, rx))
            .map_err(rppal::gpio::Error::Io)?;
        Ok(GpioFeedback { tx })
    }
}

fn play(mut pins: Pins, rx: Receiver<Signal>) {
    let mut next = rx.recv().ok();
    while let Some(signal) = next.take() {
        'pattern: for s in signal.pattern() {
            pins.apply(s);
            // A newer signal interrupts the pattern: the resident's latest
            // tap is what the tone must describe.
            match rx.recv_timeout(Duration::from_millis(s.millis)) {
                Ok(newer) => {
                    next = Some(newer);
                    break 'pattern;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break 'pattern,
            }
        }
        pins.all_off();
        if next.is_none() {
            next = rx.recv().ok();
        }
    }
    pins.all_off();
}

impl Feedback for GpioFeedback {
    fn signal(&mut self, s: Signal) {
        // The worker only stops when this sender is dropped.
        let _ = self.tx.send(s);
    }
}

/// The feedback for the configuration: GPIO on a Raspberry Pi, otherwise (or
/// if GPIO is disabled) nothing, with one line in the log; the kiosk runs on.
pub fn open_feedback(config: &GpioConfig) -> Box<dyn Feedback> {
    if !config.enabled {
        return Box::new(NoopFeedback);
    }
    match GpioFeedback::new(config) {
        Ok(f) => Box::new(f),
        Err(rppal::gpio::Error::UnknownModel) => {
            eprintln!("tsudoi-hw: no Raspberry Pi GPIO here; buzzer and LEDs are off");
            Box::new(NoopFeedback)
        }
        Err(e) => {
            eprintln!("tsudoi-hw: GPIO unavailable ({e}); buzzer and LEDs are off");
            Box::new(NoopFeedback)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_sounds_different_and_lights_the_right_led() {
        let all = [
            Signal::Success,
            Signal::AlreadyCheckedIn,
            Signal::Error,
            Signal::Attention,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.pattern().iter().any(|s| s.tone_hz.is_some()));
            for b in &all[i + 1..] {
                assert_ne!(a.pattern(), b.pattern(), "{a:?} vs {b:?}");
            }
        }
        assert!(
            Signal::Success
                .pattern()
                .iter()
                .all(|s| s.light == Light::Green)
        );
        assert!(
            Signal::Error
                .pattern()
                .iter()
                .all(|s| s.light == Light::Red)
        );
        for s in all {
            let total: u64 = s.pattern().iter().map(|s| s.millis).sum();
            assert!(total <= 1500, "{s:?} too long for the next resident");
        }
    }

    #[test]
    fn off_a_pi_feedback_falls_back_and_keeps_working() {
        // On the build machine there is no Pi; on a Pi this claims real pins.
        let mut f = open_feedback(&GpioConfig::default());
        f.signal(Signal::Success);
    }

    #[test]
    fn recording_feedback_keeps_order() {
        let rec = RecordingFeedback::new();
        let mut f: Box<dyn Feedback> = Box::new(rec.clone());
        f.signal(Signal::Error);
        f.signal(Signal::Success);
        assert_eq!(rec.signals(), vec![Signal::Error, Signal::Success]);
    }
}
