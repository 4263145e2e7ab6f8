//! A real window for the tests that drive the kiosk as a person would: an
//! X server of its own (Xvfb), the mouse (xdotool) and the screen's frames
//! (xwd). All three are installed by scripts/install-deps.sh.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::cli::text;

/// An X server of its own at 1024×768, stopped on drop.
pub struct XServer {
    child: Child,
    /// Its display, for the programs started on it (`DISPLAY`).
    pub display: String,
}

impl XServer {
    /// Starts Xvfb on a display number taken from `base` and the process
    /// id, so two test binaries running at once do not meet.
    pub fn start(base: u32) -> XServer {
        let n = base + std::process::id() % 600;
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (scripts/install-deps.sh installs it)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        assert!(
            wait_until(Duration::from_secs(20), || Path::new(&socket).exists()),
            "Xvfb did not start"
        );
        XServer { child, display }
    }

    /// Runs an X program on this display; its standard output.
    pub fn tool(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("{program} (scripts/install-deps.sh installs it): {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// `xdotool ARGS`; its standard output.
    pub fn xdotool(&self, args: &[&str]) -> String {
        self.tool("xdotool", args)
    }

    /// A left click at (x, y) in the window's own coordinates.
    pub fn click(&self, window: &str, x: u32, y: u32) {
        let (x, y) = (x.to_string(), y.to_string());
        self.xdotool(&["mousemove", "--window", window, &x, &y]);
        std::thread::sleep(Duration::from_millis(200));
        self.xdotool(&["click", "1"]);
    }

    /// The window's frame as an XWD file at `out`.
    pub fn capture(&self, window: &str, out: &Path) {
        let out = out.to_str().expect("a UTF-8 path");
        self.tool("xwd", &["-silent", "-id", window, "-out", out]);
    }
}

impl Drop for XServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `done` every 100 ms until it holds (true) or `limit` passes (false).
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}
