//! `cargo xtask torture`: runs the reliability harness's campaigns (issue 16)
//! longer than CI does, one after another, and prints the README's
//! reliability table with this run's figures.
//!
//! ```text
//! cargo xtask torture                 # every campaign at its README size (hours)
//! cargo xtask torture --quick         # the sizes CI runs (minutes)
//! cargo xtask torture --only crash-storm --only power-cut
//! cargo xtask torture --vm            # also 50 power cuts of the whole VM (image/test-boot.sh)
//! cargo xtask torture --list
//! ```
//!
//! Each campaign is a test of `tests/` (or a command) that prints its own
//! figures; this runner sets the trial count, keeps those lines and adds
//! the wall time and the outcome. Fuzzing stays with `scripts/fuzz.sh
//! TARGET 10000000` (hours per target; see README "Fuzzing").
//!
//! Exit codes: 0 every campaign passed, 1 at least one failed, 2 the command
//! line is wrong.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// One campaign: what it is, how it runs, and its size.
struct Campaign {
    /// Its name on the command line (`--only`).
    name: &'static str,
    /// What it does, for the table.
    what: &'static str,
    /// The program and its arguments.
    command: &'static [&'static str],
    /// The environment variable that sets the number of trials and the
    /// README's size; `--quick` leaves it unset (the test's CI size).
    trials: Option<(&'static str, &'static str)>,
    /// With `--quick`: another command, if CI runs another one.
    quick_command: Option<&'static [&'static str]>,
    /// Only with `--vm` (needs the cross build and the image).
    vm: bool,
}

impl Campaign {
    /// A test of `tests/` run as it is, with `--quick` too.
    const fn plain(
        name: &'static str,
        what: &'static str,
        command: &'static [&'static str],
    ) -> Self {
        Campaign {
            name,
            what,
            command,
            trials: None,
            quick_command: None,
            vm: false,
        }
    }
}

const CAMPAIGNS: &[Campaign] = &[
    Campaign {
        trials: Some(("TSUDOI_CRASH_TRIALS", "1000")),
        ..Campaign::plain(
            "crash-storm",
            "kill -9 during a storm of check-ins, a registration and a report export",
            &[
                "cargo",
                "test",
                "--test",
                "crash_storm",
                "--",
                "--nocapture",
            ],
        )
    },
    Campaign {
        trials: Some(("TSUDOI_POWER_CUT_TRIALS", "200")),
        ..Campaign::plain(
            "power-cut",
            "power cuts below SQLite (the fsync shim), the same storm",
            &["cargo", "test", "--test", "power_cut", "--", "--nocapture"],
        )
    },
    Campaign {
        trials: Some(("TSUDOI_DAMAGE_TRIALS", "500")),
        ..Campaign::plain(
            "damaged-files",
            "bit flips and truncations of the store, WAL, configuration and postal table",
            &[
                "cargo",
                "test",
                "--test",
                "damaged_files",
                "--",
                "--nocapture",
                "--skip",
                "damaged_report",
            ],
        )
    },
    Campaign {
        trials: Some(("TSUDOI_DAMAGE_TRIALS", "40")),
        ..Campaign::plain(
            "damaged-report",
            "bit flips and truncations of a signed report folder",
            &[
                "cargo",
                "test",
                "--test",
                "damaged_files",
                "damaged_report",
                "--",
                "--nocapture",
            ],
        )
    },
    Campaign::plain(
        "io-faults",
        "EIO on reads, failed fsync, full disk and full USB stick (LD_PRELOAD shim)",
        &["cargo", "test", "--test", "io_faults", "--", "--nocapture"],
    ),
    Campaign::plain(
        "clock",
        "the clock back a day, at 1970, a year ahead",
        &[
            "cargo",
            "test",
            "--test",
            "clock_guard",
            "--",
            "--nocapture",
        ],
    ),
    Campaign::plain(
        "fuzz-corpus",
        "every fuzz target's corpus and regressions replayed",
        &[
            "cargo",
            "test",
            "--test",
            "fuzz_corpus",
            "--",
            "--nocapture",
        ],
    ),
    Campaign {
        quick_command: Some(&["cargo", "test", "--test", "busy_day", "--", "--nocapture"]),
        ..Campaign::plain(
            "load",
            "a busy morning in fast-forward: 200 taps in 30 minutes, staff searching and registering",
            &["cargo", "run", "--release", "--", "bench", "load"],
        )
    },
    Campaign {
        quick_command: Some(&["image/test-boot.sh", "--power-cuts", "2", "--lanes", "1"]),
        vm: true,
        ..Campaign::plain(
            "vm-power-cuts",
            "the whole device's power cut: the arm64 VM SIGKILLed during check-in storms",
            &["image/test-boot.sh", "--power-cuts", "50"],
        )
    },
];

/// What the command line asked for.
struct Options {
    quick: bool,
    vm: bool,
    only: Vec<String>,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask torture [--quick] [--vm] [--only NAME]... | cargo xtask torture --list"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        return usage();
    };
    if task != "torture" {
        return usage();
    }
    let mut options = Options {
        quick: false,
        vm: false,
        only: Vec::new(),
    };
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--vm" => options.vm = true,
            "--only" => match rest.next() {
                Some(name) if CAMPAIGNS.iter().any(|c| c.name == name) => {
                    options.only.push(name.clone())
                }
                Some(name) => {
                    eprintln!("torture: no campaign named {name:?} (see --list)");
                    return ExitCode::from(2);
                }
                None => return usage(),
            },
            "--list" => {
                for c in CAMPAIGNS {
                    let vm = if c.vm { " (with --vm)" } else { "" };
                    println!("{:15} {}{vm}", c.name, c.what);
                }
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    // The tests and scripts expect the workspace root as working folder.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("torture: cannot enter {}: {e}", root.display());
        return ExitCode::from(1);
    }
    let chosen: Vec<&Campaign> = CAMPAIGNS
        .iter()
        .filter(|c| {
            if options.only.is_empty() {
                !c.vm || options.vm
            } else {
                options.only.iter().any(|n| n == c.name)
            }
        })
        .collect();
    let mut rows = Vec::new();
    for c in chosen {
        rows.push(run(c, options.quick));
    }
    println!();
    println!("| campaign | command | outcome | wall time | figures |");
    println!("| --- | --- | --- | --- | --- |");
    let mut failed = false;
    for r in &rows {
        failed |= !r.passed;
        println!(
            "| {} | `{}` | {} | {:.0} s | {} |",
            r.name,
            r.command,
            if r.passed { "passed" } else { "**FAILED**" },
            r.seconds,
            r.figures.join("; ").replace('|', "\\|")
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One campaign's row of the table.
struct Row {
    name: &'static str,
    command: String,
    passed: bool,
    seconds: f64,
    figures: Vec<String>,
}

fn run(c: &Campaign, quick: bool) -> Row {
    let argv = match (quick, c.quick_command) {
        (true, Some(q)) => q,
        _ => c.command,
    };
    let mut shown = String::new();
    let mut cmd = Command::new(argv[0]);
    cmd.args(&argv[1..]).stdout(Stdio::piped());
    if let (false, Some((var, n))) = (quick, c.trials) {
        cmd.env(var, n);
        shown.push_str(&format!("{var}={n} "));
    }
    shown.push_str(&argv.join(" "));
    eprintln!("torture: {} — {shown}", c.name);
    let started = Instant::now();
    let mut figures = Vec::new();
    let passed = match cmd.spawn() {
        Ok(mut child) => {
            if let Some(out) = child.stdout.take() {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    println!("{line}");
                    if is_figure(&line) {
                        figures.push(line.trim().to_string());
                    }
                }
            }
            child.wait().map(|s| s.success()).unwrap_or(false)
        }
        Err(e) => {
            figures.push(format!("could not start {}: {e}", argv[0]));
            false
        }
    };
    Row {
        name: c.name,
        command: shown,
        passed,
        seconds: started.elapsed().as_secs_f64(),
        figures,
    }
}

/// A line a campaign printed about itself, not the test harness's own.
fn is_figure(line: &str) -> bool {
    let l = line.trim();
    !(l.is_empty()
        || l.starts_with("running ")
        || l.starts_with("test ")
        || l.starts_with("test result:")
        || l.starts_with("successes:")
        || l.starts_with("failures:")
        || l.starts_with("---- ")
        || l.starts_with("power-cuts[")
        || l.starts_with("test-boot:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_harness_lines_are_not_figures_and_a_campaigns_summary_is() {
        assert!(!is_figure("running 3 tests"));
        assert!(!is_figure("test crash_storm ... ok"));
        assert!(!is_figure("test result: ok. 3 passed; 0 failed"));
        assert!(is_figure(
            "failed fsync during check-in: 6 trials, 3 refused, none lost"
        ));
    }

    #[test]
    fn campaign_names_are_unique_and_each_has_a_command() {
        for (i, c) in CAMPAIGNS.iter().enumerate() {
            assert!(!c.command.is_empty(), "{}", c.name);
            assert!(CAMPAIGNS[i + 1..].iter().all(|d| d.name != c.name));
        }
    }
}
