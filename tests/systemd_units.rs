//! The device's systemd units (debian/*.service, *.path), checked by systemd's
//! own tools: `systemd-analyze verify` must print nothing (it exits 0 on
//! unknown keys, so any output is a failure) and the kiosk's unit must score
//! an exposure of at most 1.5 in `systemd-analyze security --offline=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

const UNITS: &[&str] = &[
    "tsudoi.service",
    "tsudoi-media@.service",
    "tsudoi-media-eject.service",
    "tsudoi-media-eject.path",
];

fn debian_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("debian")
}

/// A root directory holding systemd's own units, ours, and the programs
/// our units start, so `verify --root` checks everything but the host.
fn fake_root(units: &[(&str, String)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    let r = root.path();
    std::fs::create_dir_all(r.join("usr/lib/systemd")).expect("mkdir");
    let status = Command::new("cp")
        .args(["-a", "/usr/lib/systemd/system"])
        .arg(r.join("usr/lib/systemd"))
        .status()
        .expect("cp runs");
    assert!(status.success(), "copying /usr/lib/systemd/system failed");
    let etc = r.join("etc/systemd/system");
    std::fs::create_dir_all(&etc).expect("mkdir");
    for (name, text) in units {
        std::fs::write(etc.join(name), text).expect("write unit");
    }
    for (dir, prog) in [
        ("usr/bin", "tsudoi"),
        ("usr/libexec/tsudoi", "tsudoi-media"),
    ] {
        std::fs::create_dir_all(r.join(dir)).expect("mkdir");
        let p = r.join(dir).join(prog);
        std::fs::write(&p, "#!/bin/sh\nexit 0\n").expect("write program");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    root
}

fn our_units() -> Vec<(&'static str, String)> {
    UNITS
        .iter()
        .map(|u| {
            let text = std::fs::read_to_string(debian_dir().join(u))
                .unwrap_or_else(|e| panic!("debian/{u}: {e}"));
            (*u, text)
        })
        .collect()
}

/// `systemd-analyze verify`'s output for one unit (an instance for templates).
fn verify(root: &Path, unit: &str) -> String {
    let name = unit.replace("@.", "@sda1.");
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(format!("--root={}", root.display()))
        .arg(&name)
        .output()
        .expect("systemd-analyze is installed (scripts/install-deps.sh installs systemd)");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() && text.is_empty() {
        text = format!("exit status {}", out.status);
    }
    text
}

#[test]
fn units_pass_systemd_analyze_verify_silently() {
    let units = our_units();
    let root = fake_root(&units);
    for (unit, _) in &units {
        let out = verify(root.path(), unit);
        assert!(out.is_empty(), "systemd-analyze verify {unit}:\n{out}");
    }
}

#[test]
fn verify_would_catch_a_misspelt_key() {
    // The check above is only worth something if verify speaks up.
    let mut units = our_units();
    units[0].1 = units[0].1.replace("WatchdogSec=", "WatchdogSecs=");
    let root = fake_root(&units);
    let out = verify(root.path(), "tsudoi.service");
    assert!(out.contains("WatchdogSecs"), "verify said: {out:?}");
}

fn exposure(unit_file: &Path) -> (f64, String) {
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(unit_file)
        .output()
        .expect("systemd-analyze runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains("Overall exposure level"))
        .unwrap_or_else(|| panic!("no exposure line in:\n{text}"));
    let value = line
        .split(':')
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("cannot read {line:?}"));
    (value, text)
}

#[test]
fn kiosk_unit_is_hardened_to_an_exposure_of_at_most_1_5() {
    let (value, text) = exposure(&debian_dir().join("tsudoi.service"));
    assert!(value <= 1.5, "exposure {value}:\n{text}");
    // The watchdog and notify settings the kiosk's code relies on.
    let unit = std::fs::read_to_string(debian_dir().join("tsudoi.service")).expect("unit");
    for line in [
        "Type=notify",
        "NotifyAccess=main",
        "WatchdogSec=10s",
        "Restart=always",
        "Environment=SLINT_BACKEND=linuxkms-software LANG=ja_JP.UTF-8",
    ] {
        assert!(unit.lines().any(|l| l.starts_with(line)), "missing {line}");
    }
}

#[test]
fn an_unhardened_unit_scores_worse() {
    // The same service without its sandbox: the score must rise well above
    // 1.5, so the test above measures the hardening and not the tool.
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("tsudoi.service");
    std::fs::write(
        &plain,
        "[Service]\nType=notify\nExecStart=/usr/bin/tsudoi run\nUser=tsudoi\n",
    )
    .expect("write");
    let (value, _) = exposure(&plain);
    assert!(value > 5.0, "exposure {value}");
}

/// The `[Service]` keys a unit sets (comments and other sections ignored).
fn service_keys(unit: &str) -> Vec<String> {
    let text = std::fs::read_to_string(debian_dir().join(unit)).expect("unit");
    let mut in_service = false;
    let mut keys = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_service = line == "[Service]";
        } else if in_service
            && !line.starts_with('#')
            && let Some((key, _)) = line.split_once('=')
        {
            keys.push(key.trim().to_string());
        }
    }
    keys
}

#[test]
fn kiosk_hears_udevs_announcements_of_new_input_devices() {
    // libinput learns of a touchscreen that appears after the kiosk started
    // (a slow driver at boot, a USB keyboard plugged in) from udev over
    // netlink, which reaches only the host's network namespace. In the VM
    // test a kiosk with PrivateNetwork=yes never saw its tablet or keyboard.
    let keys = service_keys("tsudoi.service");
    for key in ["PrivateNetwork", "NetworkNamespacePath", "JoinsNamespaceOf"] {
        assert!(!keys.iter().any(|k| k == key), "tsudoi.service sets {key}");
    }
    let unit = std::fs::read_to_string(debian_dir().join("tsudoi.service")).expect("unit");
    assert!(
        unit.lines()
            .any(|l| l == "RestrictAddressFamilies=AF_UNIX AF_NETLINK")
    );
    // Still no IP: no IP socket family and no packet.
    assert!(unit.lines().any(|l| l == "IPAddressDeny=any"));
}

#[test]
fn usb_stick_units_mount_in_the_hosts_namespace() {
    // Each of these settings gives a service a mount namespace of its own
    // (or, for the device settings, closes /dev/sdX): a stick mounted there
    // is invisible to the kiosk and to the eject unit.
    const NAMESPACING: &[&str] = &[
        "PrivateTmp",
        "PrivateDevices",
        "PrivateNetwork",
        "PrivateMounts",
        "PrivateUsers",
        "ProtectSystem",
        "ProtectHome",
        "ProtectKernelTunables",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectClock",
        "ProtectHostname",
        "ProtectProc",
        "ProcSubset",
        "ReadOnlyPaths",
        "ReadWritePaths",
        "InaccessiblePaths",
        "TemporaryFileSystem",
        "BindPaths",
        "BindReadOnlyPaths",
        "RootDirectory",
        "RootImage",
        "MountAPIVFS",
        "DeviceAllow",
        "DevicePolicy",
    ];
    for unit in ["tsudoi-media@.service", "tsudoi-media-eject.service"] {
        let keys = service_keys(unit);
        for key in NAMESPACING {
            assert!(!keys.iter().any(|k| k == key), "{unit} sets {key}");
        }
        // Still confined by system-call filters, which need no namespace.
        assert!(keys.iter().any(|k| k == "SystemCallFilter"), "{unit}");
        assert!(keys.iter().any(|k| k == "CapabilityBoundingSet"), "{unit}");
    }
}
