//! `tsudoi training` from start to end in a real window: the kiosk opens on
//! an X server (Xvfb), a mouse (xdotool) marks a chapter of the manual as
//! read and presses 「研修を終わる」, the window closes, and the command line
//! signs in to the real store and writes the training record, read back with
//! `tsudoi report training` and Python's csv module. All data is invented.
//!
//! Needs `Xvfb` and `xdotool` (installed by scripts/install-deps.sh).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::NEW_PASSWORD;
use common::cli::{Env, text};
use common::x11::XServer;

/// A click, then time for the software renderer to redraw under load.
fn click(x: &XServer, window: &str, px: u32, py: u32) {
    x.click(window, px, py);
    std::thread::sleep(Duration::from_millis(1500));
}

#[test]
fn tsudoi_training_ends_in_the_window_and_writes_the_record_to_the_real_store() {
    let env = Env::new();
    env.init();
    let x = XServer::start(300);
    let mut kiosk = env
        .cmd(&["training"])
        .env("DISPLAY", &x.display)
        .env("TSUDOI_PASSWORD", NEW_PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let window = {
        let out = x.xdotool(&["search", "--sync", "--onlyvisible", "--class", "tsudoi"]);
        out.lines().next().unwrap_or_default().trim().to_owned()
    };
    assert!(!window.is_empty());
    // Let the first frame settle (the guide is open from the start).
    std::thread::sleep(Duration::from_secs(2));
    // 「読んだ章」, chapter 1, then 「研修を終わる」: where the screenshots
    // 84 and 87 show them (800×480, the demo reader panel below).
    click(&x, &window, 470, 430);
    click(&x, &window, 180, 200);
    click(&x, &window, 690, 430);

    let start = Instant::now();
    let status = loop {
        if let Some(s) = kiosk.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = kiosk.kill();
            let out = kiosk.wait_with_output().unwrap();
            panic!(
                "the window did not close: {}{}",
                text(&out.stdout),
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let out = kiosk.wait_with_output().unwrap();
    let stdout = text(&out.stdout);
    assert!(status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("読んだ章:"), "{stdout}");
    assert!(
        stdout.contains("研修の記録を残しました（新しく1件）"),
        "{stdout}"
    );

    // In the real store, as the ward's printed record shows it.
    let dir = env.path("record");
    env.staff(&["report", "training", "--out", dir.to_str().unwrap()]);
    let csv = Command::new("python3")
        .args([
            "-c",
            "import csv,sys; [print('|'.join(r)) for r in csv.reader(open(sys.argv[1], encoding='utf-8-sig'))]",
            dir.join("tsudoi-training-record.csv").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let rows: Vec<String> = text(&csv.stdout).lines().map(str::to_owned).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[1]
            .ends_with("|kanri01|読んだ章: 受付スタッフ用 1. tsudoi でできること|chapter:staff-1"),
        "{rows:?}"
    );
}
