//! Running the `tsudoi` binary in a scratch folder with small Argon2
//! parameters, as staff and scripts do.

use std::path::PathBuf;
use std::process::{Command, Output};

use super::{NEW_PASSWORD, PASSWORD};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "[security]\nkdf_memory_kib = 19456\nkdf_iterations = 2\nkdf_parallelism = 1\n",
        )
        .unwrap();
        Env { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn store(&self) -> PathBuf {
        self.path("tsudoi.db")
    }

    /// The command with a clean environment pointing at this folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tsudoi"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TSUDOI_STORE", self.store())
            .env("TSUDOI_CONFIG", self.path("config.toml"))
            .env("TSUDOI_STAFF", "kanri01")
            .env("HOME", self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str], password: Option<&str>) -> Output {
        let mut c = self.cmd(args);
        if let Some(p) = password {
            c.env("TSUDOI_PASSWORD", p);
        }
        c.output().unwrap()
    }

    /// Like [`Env::run`], with `input` on standard input (personal values
    /// travel this way, never as arguments).
    pub fn run_with_input(&self, args: &[&str], password: Option<&str>, input: &str) -> Output {
        let mut c = self.cmd(args);
        if let Some(p) = password {
            c.env("TSUDOI_PASSWORD", p);
        }
        output_with_input(c, input.as_bytes())
    }

    /// `group add` as staff: a hobby group meeting on `schedule` in `room`.
    pub fn add_group(&self, name: &str, schedule: &str, room: &str) -> Output {
        self.staff(&[
            "group",
            "add",
            "--name",
            name,
            "--schedule",
            schedule,
            "--room",
            room,
        ])
    }

    /// `init`, then the first password changed to [`NEW_PASSWORD`].
    pub fn init(&self) -> Output {
        self.init_with(&[])
    }

    /// `init` with the recovery key written to `recovery.txt` as a manager
    /// keeps it, then the first password changed. Returns `init`'s own
    /// output and the recovery key.
    pub fn init_keeping_recovery_key(&self) -> (Output, String) {
        let key_path = self.path("recovery.txt");
        let init = self.init_with(&["--recovery-key-out", key_path.to_str().unwrap()]);
        // The file's first line says what it is; the key is the second.
        let recovery = std::fs::read_to_string(&key_path)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .to_owned();
        (init, recovery)
    }

    /// `init` with `extra` arguments; returns `init`'s output, after the
    /// first password has been changed.
    fn init_with(&self, extra: &[&str]) -> Output {
        let mut args = vec!["init", "--site", "テスト施設", "--manager", "kanri01"];
        args.extend_from_slice(extra);
        let init = self.run(&args, Some(PASSWORD));
        assert!(init.status.success(), "{}", text(&init.stderr));
        let mut c = self.cmd(&["staff", "passwd"]);
        c.env("TSUDOI_PASSWORD", PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        init
    }

    /// A staff command that must succeed.
    pub fn staff(&self, args: &[&str]) -> Output {
        let out = self.run(args, Some(NEW_PASSWORD));
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        out
    }
}

/// Runs `c` with `input` (any bytes) on standard input and its output captured.
pub fn output_with_input(mut c: Command, input: &[u8]) -> Output {
    use std::io::Write;
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    // The command may refuse before reading; a closed pipe is fine then.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The first 8 characters after `label` in a command's output (an id).
pub fn id_after(out: &Output, label: &str) -> String {
    text(&out.stdout)
        .split(label)
        .nth(1)
        .unwrap_or_else(|| panic!("no {label} in {}", text(&out.stdout)))
        .chars()
        .take(8)
        .collect()
}

/// A date `n` days from today (system clock), as `YYYY-MM-DD`.
pub fn days_from_today(n: i64) -> String {
    let today = tsudoi::clock::Clock::today(&tsudoi::clock::SystemClock);
    (today + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

impl Env {
    /// 交流サロン open all of today (system clock); returns its id.
    pub fn salon_today(&self) -> String {
        let out = self.staff(&[
            "session",
            "add",
            "--program",
            "koryu",
            "--date",
            &days_from_today(0),
            "--start",
            "00:00",
            "--end",
            "23:59",
            "--title",
            "交流サロン",
        ]);
        id_after(&out, "活動番号: ")
    }

    /// A lottery class (its one session 30 days on) taking applications
    /// from `from` to `until` days from today, drawn `draw_on` days from
    /// today; returns the class id.
    pub fn lottery_class(&self, from: i64, until: i64, draw_on: i64) -> String {
        let out = self.staff(&[
            "session",
            "add",
            "--program",
            "kaigo",
            "--date",
            &days_from_today(30),
            "--start",
            "10:00",
            "--end",
            "11:30",
            "--title",
            "転倒予防教室",
            "--capacity",
            "20",
            "--mode",
            "lottery",
        ]);
        let session = id_after(&out, "活動番号: ");
        let (from, until, draw_on) = (
            days_from_today(from),
            days_from_today(until),
            days_from_today(draw_on),
        );
        let out = self.staff(&lottery_add(&session, &from, &until, &draw_on));
        id_after(&out, "教室番号: ")
    }

    /// The desk applies for `participant` to `class`, giving an invented
    /// address (the class asks for one to post the result).
    pub fn apply_with_address(&self, class: &str, participant: &str) -> Output {
        let args = [
            "lottery",
            "apply",
            class,
            "--participant",
            participant,
            "--json",
            "-",
        ];
        self.run_with_input(&args, Some(NEW_PASSWORD), APPLICATION_ADDRESS)
    }
}

/// The `--json` answer of a desk application: an invented address.
pub const APPLICATION_ADDRESS: &str = r#"{"address": "新宿区西新宿二丁目8番1号"}"#;

/// `lottery add` for 転倒予防教室 (体操, 後期, 10 places) meeting in
/// `session`, taking applications `from`–`until`, drawn on `draw_on`
/// (`YYYY-MM-DD`); a test may push more options.
pub fn lottery_add<'a>(
    session: &'a str,
    from: &'a str,
    until: &'a str,
    draw_on: &'a str,
) -> Vec<&'a str> {
    vec![
        "lottery",
        "add",
        "--title",
        "転倒予防教室",
        "--kind",
        "体操",
        "--term",
        "後期",
        "--session",
        session,
        "--capacity",
        "10",
        "--from",
        from,
        "--until",
        until,
        "--draw-on",
        draw_on,
    ]
}

impl Env {
    /// A staff account made by the manager, its first password already
    /// changed to [`NEW_PASSWORD`], ready to sign in.
    pub fn add_staff(&self, id: &str, role: &str) {
        let mut c = self.cmd(&["staff", "add", id, "--role", role]);
        c.env("TSUDOI_PASSWORD", NEW_PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut c = self.cmd(&["staff", "passwd"]);
        c.env("TSUDOI_STAFF", id)
            .env("TSUDOI_PASSWORD", PASSWORD)
            .env("TSUDOI_NEW_PASSWORD", NEW_PASSWORD);
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    /// A command run as `id` (password [`NEW_PASSWORD`]).
    pub fn run_as(&self, id: &str, args: &[&str]) -> Output {
        let mut c = self.cmd(args);
        c.env("TSUDOI_STAFF", id)
            .env("TSUDOI_PASSWORD", NEW_PASSWORD);
        c.output().unwrap()
    }
}
