//! Removable media (USB sticks) and the media ledger.
//!
//! A medium is found from the mount table and sysfs: a mounted block device
//! whose sysfs path runs through a USB bus, or that the kernel marks
//! removable. Files are written, flushed to the device, dropped from the page
//! cache and read back against the signed manifest before the export counts
//! as done; then the ledger records what left, on what, by whom, and why.

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::audit::AuditAction;
use crate::store::{StaffSession, Store, record_in};

/// A mounted removable medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medium {
    /// Where it is mounted, for example `/media/staff/USB`.
    pub mount_point: PathBuf,
    /// `/dev/sda1`
    pub device: String,
    /// The filesystem label, if it has one.
    pub label: Option<String>,
    /// The filesystem type as the mount table gives it (`vfat`, `exfat`, …).
    pub fs_type: String,
}

impl Medium {
    /// What the ledger and the screen call it.
    pub fn name(&self) -> String {
        match &self.label {
            Some(l) => format!("{l}（{}）", self.device),
            None => self.device.clone(),
        }
    }
}

/// Undoes the octal escapes of /proc/mounts (`\040` for a space).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    let mut bytes = Vec::new();
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            bytes.push(v);
            i += 4;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// The whole-disk name of a partition device: `sda1` → `sda`, `mmcblk0p1` → `mmcblk0`.
fn disk_of(dev: &str) -> String {
    let name = dev.trim_start_matches("/dev/");
    if name.starts_with("mmcblk") || name.starts_with("nvme") {
        match name.rfind('p') {
            Some(i) if name[i + 1..].chars().all(|c| c.is_ascii_digit()) && i > 0 => {
                name[..i].to_owned()
            }
            _ => name.to_owned(),
        }
    } else {
        name.trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned()
    }
}

/// Mounted removable media. `root` is `/` on the device; tests pass a folder
/// holding `proc/mounts`, `sys/block/…` and `dev/disk/by-label/…`.
pub fn removable_media(root: &Path) -> Vec<Medium> {
    let mounts = std::fs::read_to_string(root.join("proc/mounts")).unwrap_or_default();
    let mut labels = std::collections::HashMap::new();
    if let Ok(dir) = std::fs::read_dir(root.join("dev/disk/by-label")) {
        for entry in dir.flatten() {
            if let Ok(target) = std::fs::read_link(entry.path()) {
                let dev = target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                labels.insert(
                    dev,
                    unescape(&entry.file_name().to_string_lossy().replace("\\x20", " ")),
                );
            }
        }
    }
    let mut out = Vec::new();
    for line in mounts.lines() {
        let mut f = line.split_whitespace();
        let (Some(dev), Some(mp), Some(fs)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if !dev.starts_with("/dev/") {
            continue;
        }
        let disk = disk_of(dev);
        let sys = root.join("sys/block").join(&disk);
        let removable =
            std::fs::read_to_string(sys.join("removable")).is_ok_and(|s| s.trim() == "1");
        let on_usb = std::fs::read_link(&sys).is_ok_and(|p| p.to_string_lossy().contains("/usb"));
        if removable || on_usb {
            let short = dev.trim_start_matches("/dev/").to_owned();
            out.push(Medium {
                mount_point: PathBuf::from(unescape(mp)),
                device: dev.to_owned(),
                label: labels.get(&short).cloned(),
                fs_type: fs.to_owned(),
            });
        }
    }
    out
}

/// The name of the removable medium a file was read from, for the media
/// ledger (its label and device, as [`Medium::name`]), or 「端末内のファイル」
/// when the file is on no removable medium. `root` as for
/// [`removable_media`]. Used by `tsudoi group import` and the kiosk's
/// 「名簿の取り込み」.
pub fn medium_of(root: &Path, path: &Path) -> String {
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    removable_media(root)
        .into_iter()
        .filter(|m| full.starts_with(&m.mount_point) || path.starts_with(&m.mount_point))
        .max_by_key(|m| m.mount_point.as_os_str().len())
        .map(|m| m.name())
        .unwrap_or_else(|| "端末内のファイル".to_owned())
}

/// One file as recorded in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFile {
    /// The file's name in the folder written.
    pub name: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// A line of the media ledger (受渡し管理簿).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// When the files were handed over, RFC 3339 in Japan time.
    pub at: String,
    /// Staff id of who wrote the medium.
    pub staff_id: String,
    /// The medium as named to staff (its label, or 端末内のファイル).
    pub medium: String,
    /// Where the files went: the folder written, with the recipient when known (受渡し先).
    pub destination: String,
    /// What the data is handed over for (利用目的), as staff entered it.
    pub purpose: String,
    /// The files written, with their digests.
    pub files: Vec<LedgerFile>,
    /// Whether the folder, read back after writing, matched its signed manifest.
    pub verified: bool,
}

/// Flushes a folder's files to the device and drops them from the page cache,
/// so that the read-back that follows comes from the medium itself.
pub fn flush_and_forget(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let f = std::fs::File::open(&path)?;
        f.sync_all()?;
        forget_cache(&f);
    }
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(target_os = "linux")]
fn forget_cache(f: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid open descriptor; the call only advises the kernel.
    unsafe {
        libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
    }
}

#[cfg(not(target_os = "linux"))]
fn forget_cache(_: &std::fs::File) {}

impl Store {
    /// Records files that left on a medium.
    pub fn record_media_transfer(
        &mut self,
        staff: &StaffSession,
        entry: &LedgerEntry,
    ) -> Result<()> {
        staff.require_reporting()?;
        self.insert_media_transfer(staff, entry)
    }

    /// Enters a transfer in the ledger with no role check: for the callers
    /// that check their own rule (a disclosure, by staff who handle
    /// personal data).
    pub(crate) fn insert_media_transfer(
        &mut self,
        staff: &StaffSession,
        entry: &LedgerEntry,
    ) -> Result<()> {
        let id = uuid::Uuid::new_v4().to_string();
        let files = serde_json::to_string(&entry.files)
            .map_err(|e| super::ReportError::Internal(e.to_string()))?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO media_ledger (id, at, staff_id, medium_label, medium_device, destination, purpose, files, verified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, entry.at, staff.staff_id(), entry.medium, entry.medium, entry.destination, entry.purpose, files, entry.verified],
        )?;
        let names: Vec<&str> = entry.files.iter().map(|f| f.name.as_str()).collect();
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Export,
            &id,
            &names,
            "media_ledger",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The whole ledger, oldest first.
    pub fn media_ledger(&self) -> Result<Vec<LedgerEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT at, staff_id, medium_label, destination, purpose, files, verified FROM media_ledger ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, staff_id, medium, destination, purpose, files, verified) = row?;
            out.push(LedgerEntry {
                at,
                staff_id,
                medium,
                destination,
                purpose,
                files: serde_json::from_str(&files).unwrap_or_default(),
                verified,
            });
        }
        Ok(out)
    }
}

/// The ledger as a printable CSV table (UTF-8 with BOM).
pub fn ledger_csv(entries: &[LedgerEntry]) -> Vec<u8> {
    let table = super::Table {
        id: "media-ledger",
        title: "媒体受渡し管理簿".into(),
        columns: [
            "日時",
            "担当者",
            "媒体",
            "書き出し先",
            "目的",
            "ファイル",
            "SHA-256",
            "読み戻し確認",
        ]
        .map(String::from)
        .to_vec(),
        rows: entries
            .iter()
            .flat_map(|e| {
                e.files.iter().map(move |f| {
                    [
                        e.at.clone(),
                        e.staff_id.clone(),
                        e.medium.clone(),
                        e.destination.clone(),
                        e.purpose.clone(),
                        f.name.clone(),
                        f.sha256.clone(),
                        if e.verified {
                            "済".into()
                        } else {
                            "未".into()
                        },
                    ]
                    .map(super::Value::Text)
                    .to_vec()
                })
            })
            .collect(),
    };
    let text = super::csv::to_csv_text(&table, &super::Wording::default());
    super::csv::encode(&text, super::csv::Encoding::Utf8Bom, "ledger.csv").unwrap_or_default()
}

/// The file that asks the appliance's root-owned `tsudoi-media-eject.path`
/// unit to unmount the USB sticks under `/media/tsudoi` (the kiosk itself has
/// no right to unmount anything).
pub const EJECT_REQUEST: &str = "eject";

/// After an export: asks the system to unmount the sticks, so they can be
/// pulled out safely, by creating [`EJECT_REQUEST`] in `runtime_dir`
/// (`$RUNTIME_DIRECTORY`, `/run/tsudoi` under systemd). Returns whether a
/// request was made: without a runtime directory (not running as the
/// service) there is nobody to ask.
pub fn request_unmount(runtime_dir: Option<&Path>) -> std::io::Result<bool> {
    let Some(dir) = runtime_dir.filter(|d| d.is_dir()) else {
        return Ok(false);
    };
    std::fs::write(dir.join(EJECT_REQUEST), b"export done\n")?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_map_to_their_disks() {
        assert_eq!(disk_of("/dev/sda1"), "sda");
        assert_eq!(disk_of("/dev/sdb"), "sdb");
        assert_eq!(disk_of("/dev/mmcblk0p2"), "mmcblk0");
        assert_eq!(disk_of("/dev/nvme0n1p1"), "nvme0n1");
    }

    #[test]
    fn mount_paths_are_unescaped() {
        assert_eq!(unescape("/media/USB\\040DISK"), "/media/USB DISK");
        assert_eq!(unescape("/plain"), "/plain");
    }

    #[test]
    fn an_unmount_request_is_a_file_in_the_runtime_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(request_unmount(Some(dir.path())).unwrap());
        assert!(dir.path().join(EJECT_REQUEST).is_file());
        // Not under systemd: nothing to ask, nothing written.
        assert!(!request_unmount(None).unwrap());
        assert!(!request_unmount(Some(&dir.path().join("missing"))).unwrap());
    }
}
