//! The development commands (feature `dev`, on by default): `tsudoi
//! screenshot` and `tsudoi bench` are in the development build, and the
//! strings by which scripts/check-device-binary.sh recognises development
//! code in a device build (scripts/dev-only-strings.txt) are all in this
//! binary, so that script's "none found" on the packaged binary means
//! something. The device build itself is checked by that script, which
//! scripts/test-deb.sh runs on the package's binary (CI: the `--quick`
//! package, built without `dev` as the release package is).
#![cfg(feature = "dev")]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn dev_only_strings() -> Vec<String> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev-only-strings.txt");
    std::fs::read_to_string(list)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_development_build_holds_every_string_the_device_check_looks_for() {
    let wanted = dev_only_strings();
    assert!(wanted.len() >= 5, "{wanted:?}");
    // grep, an independent reader of the binary, one pass for all of them.
    let out = Command::new("grep")
        .args(["-a", "-o", "-F"])
        .args(wanted.iter().flat_map(|s| ["-e", s.as_str()]))
        .arg(env!("CARGO_BIN_EXE_tsudoi"))
        .output()
        .unwrap();
    let found: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    for s in &wanted {
        assert!(found.contains(s), "{s:?} is not in the development binary");
    }
}

#[test]
fn the_development_build_lists_screenshot_and_bench() {
    let out = Command::new(env!("CARGO_BIN_EXE_tsudoi"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["screenshot", "bench", "demo"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from --help:\n{help}"
        );
    }
}
