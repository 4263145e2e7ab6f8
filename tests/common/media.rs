//! Fake USB sticks for the kiosk's export screens: a system root as /proc
//! and /sys show it, with a folder as each stick's mount point.

use std::path::{Path, PathBuf};

/// Writes a system root as /proc and /sys show it with these sticks (disk,
/// label) mounted at `<root>/media/<label>`; sticks not listed are unmounted.
pub fn fake_system(root: &Path, sticks: &[(&str, &str)]) {
    std::fs::create_dir_all(root.join("proc")).unwrap();
    std::fs::create_dir_all(root.join("sys/block/mmcblk0")).unwrap();
    std::fs::write(root.join("sys/block/mmcblk0/removable"), "0\n").unwrap();
    std::fs::create_dir_all(root.join("dev/disk/by-label")).unwrap();
    let mut mounts = String::from(
        "/dev/mmcblk0p2 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n/dev/mmcblk0p1 /boot vfat rw 0 0\n",
    );
    for (disk, label) in sticks {
        let mount = stick(root, label);
        std::fs::create_dir_all(&mount).unwrap();
        mounts.push_str(&format!(
            "/dev/{disk}1 {} vfat rw,nosuid,nodev,noexec 0 0\n",
            mount.display()
        ));
        let dev = root.join(format!(
            "sys/devices/platform/scb/usb2/2-1/2-1:1.0/host0/block/{disk}"
        ));
        std::fs::create_dir_all(&dev).unwrap();
        std::fs::write(dev.join("removable"), "0\n").unwrap();
        let link = root.join("sys/block").join(disk);
        if std::fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink(&dev, &link).unwrap();
        }
        let by_label = root.join("dev/disk/by-label").join(label);
        if std::fs::symlink_metadata(&by_label).is_err() {
            std::os::unix::fs::symlink(format!("../../{disk}1"), &by_label).unwrap();
        }
    }
    std::fs::write(root.join("proc/mounts"), mounts).unwrap();
}

pub fn stick(root: &Path, label: &str) -> PathBuf {
    root.join("media").join(label)
}
