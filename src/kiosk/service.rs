//! The kiosk as a systemd service (`Type=notify`, `WatchdogSec=`): it says
//! `READY=1` once its first frame is on the screen and `WATCHDOG=1` from a
//! timer on the UI thread, so a UI thread that hangs stops the pings and
//! systemd restarts the kiosk. Outside systemd (`NOTIFY_SOCKET` unset) this
//! does nothing.

use std::time::Duration;

use sd_notify::NotifyState;
use slint::{Timer, TimerMode};

/// Keeps the notification timers alive; drop it when the event loop ends.
pub struct ServiceNotifier {
    _ready: Timer,
    _watchdog: Option<Timer>,
}

/// How often to ping the watchdog: a third of its timeout, so one late timer
/// tick is not yet a restart.
pub fn ping_interval(timeout: Duration) -> Duration {
    (timeout / 3).max(Duration::from_millis(100))
}

/// Call after the kiosk window exists and before the event loop runs.
/// Returns `None` when not started by systemd with `NOTIFY_SOCKET`.
pub fn notify_systemd() -> Option<ServiceNotifier> {
    std::env::var_os("NOTIFY_SOCKET")?;
    let ready = Timer::default();
    // Timers run at the start of an event-loop iteration and the window is
    // drawn at its end; a timer started from this first one runs in the
    // next iteration, after the first frame was presented (the software
    // renderer offers no rendering notifier).
    ready.start(TimerMode::SingleShot, Duration::ZERO, || {
        Timer::single_shot(Duration::ZERO, || {
            if let Err(e) = sd_notify::notify(&[NotifyState::Ready]) {
                eprintln!("tsudoi: could not tell systemd the kiosk is ready: {e}");
            }
        });
    });
    let watchdog = sd_notify::watchdog_enabled().map(|timeout| {
        let timer = Timer::default();
        timer.start(TimerMode::Repeated, ping_interval(timeout), || {
            // Errors are not repeated every few seconds: a missing ping shows
            // up as a restart in the journal.
            let _ = sd_notify::notify(&[NotifyState::Watchdog]);
        });
        timer
    });
    Some(ServiceNotifier {
        _ready: ready,
        _watchdog: watchdog,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_well_within_the_watchdog_timeout() {
        let timeout = Duration::from_secs(10);
        let every = ping_interval(timeout);
        assert!(every * 3 <= timeout && every >= Duration::from_secs(3));
        // A tiny timeout does not turn the UI thread into a busy loop.
        assert_eq!(
            ping_interval(Duration::from_millis(30)),
            Duration::from_millis(100)
        );
    }
}
