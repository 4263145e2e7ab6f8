//! What the certificate of erasure says about the machine and the storage
//! medium, read from the system: the device tree on a Raspberry Pi, DMI on
//! a PC, sysfs for the block device that holds the store. Whatever the
//! system does not tell (an unprivileged user cannot read a PC's serial
//! number) is written as unknown, never guessed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Written where the system does not tell a fact.
pub const UNKNOWN: &str = "不明（システムから読めません）";

/// The computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFacts {
    /// Maker and model (`Raspberry Pi 4 Model B Rev 1.5`).
    pub model: String,
    /// Serial number.
    pub serial: String,
}

/// The storage medium that held the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediumFacts {
    /// The block device (`mmcblk0`), or how the file system is mounted.
    pub device: String,
    /// Type of medium (`SD`, `MMC`, `USB`, `virtio`…).
    pub kind: String,
    /// Model or product name as the medium reports it.
    pub model: String,
    /// Serial number as the medium reports it.
    pub serial: String,
    /// Capacity in bytes.
    pub size_bytes: Option<u64>,
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    // Device-tree strings end with NUL.
    let text = String::from_utf8_lossy(&bytes)
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_owned();
    (!text.is_empty()).then_some(text)
}

/// The computer's model and serial number.
pub fn device() -> DeviceFacts {
    let tree = ["/proc/device-tree", "/sys/firmware/devicetree/base"];
    let from_tree = |name: &str| {
        tree.iter()
            .find_map(|base| read_text(&Path::new(base).join(name)))
    };
    let dmi = |name: &str| read_text(&Path::new("/sys/class/dmi/id").join(name));
    let model = from_tree("model").or_else(|| {
        let product = dmi("product_name")?;
        Some(match dmi("sys_vendor") {
            Some(vendor) => format!("{vendor} {product}"),
            None => product,
        })
    });
    let serial = from_tree("serial-number").or_else(|| dmi("product_serial"));
    DeviceFacts {
        model: model.unwrap_or_else(|| UNKNOWN.to_owned()),
        serial: serial.unwrap_or_else(|| UNKNOWN.to_owned()),
    }
}

/// The block device under `path` (the store file) and what it reports.
pub fn medium(path: &Path) -> MediumFacts {
    use std::os::unix::fs::MetadataExt;
    let unknown = |device: &str| MediumFacts {
        device: device.to_owned(),
        kind: UNKNOWN.to_owned(),
        model: UNKNOWN.to_owned(),
        serial: UNKNOWN.to_owned(),
        size_bytes: None,
    };
    let Ok(meta) = std::fs::metadata(path) else {
        return unknown(UNKNOWN);
    };
    let dev = meta.dev();
    // glibc's encoding of dev_t.
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let link = PathBuf::from(format!("/sys/dev/block/{major}:{minor}"));
    let Ok(mut disk) = std::fs::canonicalize(&link) else {
        return unknown(&format!(
            "ブロック装置なし（{major}:{minor}、仮想のファイルシステム）"
        ));
    };
    if disk.join("partition").exists()
        && let Some(parent) = disk.parent()
    {
        disk = parent.to_owned();
    }
    let name = disk
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| UNKNOWN.to_owned());
    let attr = |a: &str| read_text(&disk.join("device").join(a));
    let kind = attr("type")
        .or_else(|| {
            let subsystem = std::fs::read_link(disk.join("device").join("subsystem")).ok()?;
            subsystem
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .or_else(|| {
            if name.starts_with("vd") {
                Some("virtio".to_owned())
            } else {
                None
            }
        });
    let model = match (attr("vendor"), attr("model").or_else(|| attr("name"))) {
        (Some(v), Some(m)) => Some(format!("{v} {m}")),
        (None, m) => m,
        (v, None) => v,
    };
    let serial = attr("serial")
        .or_else(|| attr("cid"))
        .or_else(|| read_text(&disk.join("serial")));
    let size_bytes = read_text(&disk.join("size"))
        .and_then(|s| s.parse::<u64>().ok())
        .map(|sectors| sectors * 512);
    MediumFacts {
        device: name,
        kind: kind.unwrap_or_else(|| UNKNOWN.to_owned()),
        model: model.unwrap_or_else(|| UNKNOWN.to_owned()),
        serial: serial.unwrap_or_else(|| UNKNOWN.to_owned()),
        size_bytes,
    }
}
