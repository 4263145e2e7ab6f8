//! The certificate of erasure (消去証明書, contract clauses 11 and 12) and
//! the check the ward watches (`tsudoi erase verify`).
//!
//! The erasure itself is [`crate::store::Store::erase`]. What it leaves is a
//! folder signed like a monthly report (`SHA256SUMS`, `SHA256SUMS.sig`,
//! `SIGNER.txt`) holding the certificate as JSON (the fields of NIST SP
//! 800-88's sample certificate of sanitization, adapted to the contract) and
//! as an A4 PDF, and the audit log's final checkpoint; and a store file that
//! holds nothing but those same files. The format is in `docs/dev/erasure.md`.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod device;

use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use tsudoi_tlog::note::Verifier;
use tsudoi_tlog::{Checkpoint, ConsistencyProofFile};

use crate::error::{ErrorKind, Result};
use crate::report::sign;

/// The certificate's JSON file.
pub const CERTIFICATE_JSON: &str = "tsudoi-erasure-certificate.json";
/// The certificate's PDF for paper.
pub const CERTIFICATE_PDF: &str = "tsudoi-erasure-certificate.pdf";
/// The audit log's final checkpoint (C2SP signed note).
pub const FINAL_CHECKPOINT: &str = "tsudoi-erasure-audit-checkpoint.txt";
/// `format` of the JSON.
pub const FORMAT: &str = "tsudoi-erasure-certificate/1";
/// The one table of an erased store file.
pub const ERASED_TABLE: &str = "erasure_certificate";

/// The certificate of erasure, as written to [`CERTIFICATE_JSON`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Always [`FORMAT`].
    pub format: String,
    /// The site (施設) as recorded at `init`.
    pub site: String,
    /// The contract period, as given to `tsudoi erase`.
    pub contract: ContractPeriod,
    /// The computer.
    pub device: device::DeviceFacts,
    /// The medium that held the store.
    pub medium: device::MediumFacts,
    /// What was erased, kind by kind.
    pub erased: Vec<ErasedCount>,
    /// Data the ward provided, returned before erasure.
    pub returned: Returned,
    /// How it was erased.
    pub method: Method,
    /// The program that erased.
    pub tool: Tool,
    /// When (RFC 3339, Japan time).
    pub performed_at: String,
    /// The staff id of the manager (取扱責任者) who erased.
    pub performed_by: String,
    /// What authorised it besides the manager's password.
    pub authorised_with: String,
    /// Who witnessed (signed by hand on the printed certificate).
    pub witness: String,
    /// The audit log's end.
    pub audit: AuditEnd,
    /// SHA-256 of the store file just before the keys were destroyed
    /// (after the final checkpoint, WAL folded in), lowercase hex.
    pub last_state_sha256: String,
    /// The check the program made on the erased file before writing this.
    pub verification: Verification,
}

/// The contract period (dates `YYYY-MM-DD`), when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractPeriod {
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub until: Option<String>,
}

/// One kind of record erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedCount {
    /// Machine name (`participants`, `check_ins`…).
    pub kind: String,
    /// Its Japanese name on the PDF.
    pub label: String,
    /// How many rows.
    pub count: u64,
}

/// Data the ward provided and got back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returned {
    /// Hobby-group rosters returned (none exist before the groups feature).
    pub ward_rosters: u64,
    /// In words.
    pub note: String,
}

/// The method, in NIST SP 800-88's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// Clear / purge as performed.
    pub category: String,
    /// The guideline followed.
    pub standard: String,
    /// What was done, step by step.
    pub technique: Vec<String>,
    /// Every key destroyed.
    pub keys_destroyed: Vec<DestroyedKey>,
}

/// One key destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestroyedKey {
    /// Its name in FORMAT.md 8.1 (`personal`, `statistics`, `audit`, `card`, `device`).
    pub kind: String,
    /// What it protected.
    pub protected: String,
    /// Algorithm and use.
    pub algorithm: String,
    /// Key size in bits.
    pub bits: u32,
    /// Its public key id (FORMAT.md section 1), 16 hex characters.
    pub key_id: String,
}

/// The program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `tsudoi`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The audit log's last state, for checks against the ward's checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEnd {
    /// The log's name (checkpoint origin).
    pub origin: String,
    /// The verifier key (C2SP vkey) of the device key that signed.
    pub vkey: String,
    /// Entries in the log at the end.
    pub final_size: u64,
    /// Its tree head, base64.
    pub final_root: String,
    /// The file holding the signed final checkpoint.
    pub checkpoint_file: String,
    /// A consistency proof from every earlier checkpoint's size to the
    /// final size (the JSON of `tsudoi audit prove`'s `proof.json`).
    pub consistency: Vec<ProofJson>,
}

/// `{"old_size": n, "new_size": m, "proof": [base64…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofJson {
    /// Size of the earlier checkpoint.
    pub old_size: u64,
    /// The final size.
    pub new_size: u64,
    /// RFC 6962 proof hashes, base64.
    pub proof: Vec<String>,
}

/// The program's own check of the erased file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// How it was checked.
    pub method: String,
    /// Each check and whether it passed.
    pub checks: Vec<CheckResult>,
    /// `passed` or `failed`.
    pub result: String,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// What was checked, in Japanese.
    pub check: String,
    /// Whether it held.
    pub passed: bool,
}

/// The certificate of erasure could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErasureError {
    /// The certificate could not be written as JSON (a fault inside tsudoi,
    /// not the input). `detail` is the JSON library's reason (no personal
    /// value: the certificate holds none).
    #[error("消去証明書を書けません: {detail}。設置業者に連絡してください。")]
    CertificateJson {
        /// The JSON library's reason.
        detail: String,
    },
}

impl ErasureError {
    /// A fault inside tsudoi: [`ErrorKind::Other`] (exit 1).
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

impl Certificate {
    /// The JSON bytes (pretty, UTF-8, newline at the end).
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(|e| ErasureError::CertificateJson {
            detail: e.to_string(),
        })?;
        v.push(b'\n');
        Ok(v)
    }

    /// The PDF for paper: every fact, and lines for the hand signatures.
    pub fn to_pdf(&self) -> Result<Vec<u8>> {
        let unknown_or = |v: &Option<String>| v.clone().unwrap_or_else(|| "（記載なし）".into());
        let mut rows: Vec<Vec<String>> = vec![
            vec!["施設".into(), self.site.clone()],
            vec![
                "契約期間".into(),
                format!(
                    "{} から {} まで",
                    unknown_or(&self.contract.from),
                    unknown_or(&self.contract.until)
                ),
            ],
            vec!["端末（機種）".into(), self.device.model.clone()],
            vec!["端末（製造番号）".into(), self.device.serial.clone()],
            vec![
                "記憶媒体".into(),
                format!("{}（{}）", self.medium.device, self.medium.kind),
            ],
            vec!["記憶媒体（型式）".into(), self.medium.model.clone()],
            vec!["記憶媒体（製造番号）".into(), self.medium.serial.clone()],
        ];
        for e in &self.erased {
            rows.push(vec![format!("消去: {}", e.label), format!("{}件", e.count)]);
        }
        rows.push(vec![
            "区から預かったデータ".into(),
            self.returned.note.clone(),
        ]);
        rows.push(vec!["消去の方法".into(), self.method.category.clone()]);
        rows.push(vec!["準拠".into(), self.method.standard.clone()]);
        for k in &self.method.keys_destroyed {
            let name = match k.kind.as_str() {
                "personal" => "個人情報",
                "statistics" => "統計用",
                "audit" => "監査ログ",
                "card" => "カード",
                "device" => "端末の署名",
                other => other,
            };
            rows.push(vec![
                format!("破棄した鍵（{name}）"),
                format!("ID {}（{}ビット）", k.key_id, k.bits),
            ]);
        }
        rows.push(vec![
            "使用したツール".into(),
            format!("{} {}", self.tool.name, self.tool.version),
        ]);
        rows.push(vec!["実施日時".into(), self.performed_at.clone()]);
        rows.push(vec![
            "実施者（取扱責任者）".into(),
            self.performed_by.clone(),
        ]);
        rows.push(vec!["実施の承認".into(), self.authorised_with.clone()]);
        rows.push(vec![
            "監査ログの最終チェックポイント".into(),
            format!("{}件 {}", self.audit.final_size, self.audit.final_root),
        ]);
        let (a, b) = self
            .last_state_sha256
            .split_at(self.last_state_sha256.len().min(32));
        rows.push(vec!["消去前のファイルのSHA-256".into(), a.to_owned()]);
        rows.push(vec!["（続き）".into(), b.to_owned()]);
        for c in &self.verification.checks {
            rows.push(vec![
                format!("検証: {}", c.check),
                if c.passed { "合格" } else { "不合格" }.into(),
            ]);
        }
        rows.push(vec![
            "検証の結果".into(),
            if self.verification.result == "passed" {
                "合格（消去を確認しました）".into()
            } else {
                "不合格".into()
            },
        ]);
        crate::report::pdf::table_pdf(
            "消去証明書（個人情報の消去の記録）",
            &[
                "契約書第11条・第12条により、受託者が収集した個人情報をこの端末から消去したことを証明します。".into(),
                format!(
                    "区の確認: tsudoi erase verify --certificate <このフォルダ> --checkpoint <区の控え>。署名は {} と {} で、独立に確かめられます。",
                    sign::MANIFEST,
                    sign::SIGNATURE
                ),
                "消去実施者（取扱責任者）署名: ＿＿＿＿＿＿＿＿＿＿＿＿".into(),
                "確認者（区職員）所属・氏名・署名: ＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿".into(),
            ],
            &["項目", "内容"],
            &rows,
            &[190.0, 293.0],
        )
    }
}

/// What `tsudoi erase verify` found: each check in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureVerdict {
    /// (what was checked, whether it held, what was found).
    pub checks: Vec<(String, bool, String)>,
}

impl ErasureVerdict {
    /// True when every check held.
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|(_, ok, _)| *ok)
    }

    fn push(&mut self, what: &str, ok: bool, detail: impl Into<String>) {
        self.checks.push((what.to_owned(), ok, detail.into()));
    }
}

/// The raw 8-byte key ids the certificate names.
fn key_ids(cert: &Certificate) -> Vec<[u8; 8]> {
    cert.method
        .keys_destroyed
        .iter()
        .filter_map(|k| crate::crypto::KeyId::parse(&k.key_id).ok())
        .map(|id| id.0)
        .collect()
}

/// The store file and the files SQLite keeps beside it.
pub fn store_files(store: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![store.to_owned()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = store.as_os_str().to_owned();
        name.push(suffix);
        out.push(name.into());
    }
    out
}

/// Whether `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Files whose bytes hold any of the key ids: every sealed cell, grant and
/// keyslot carries its key's id, so none may remain.
pub(crate) fn files_with_key_ids(store: &Path, ids: &[[u8; 8]]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for f in store_files(store) {
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        if ids.iter().any(|id| contains(&bytes, id)) {
            found.push(
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
    }
    Ok(found)
}

/// One of the ward's checkpoints for [`verify`].
#[derive(Debug, Clone)]
pub struct HeldCheckpoint {
    /// How to name it (the file name).
    pub label: String,
    /// The signed note.
    pub bytes: Vec<u8>,
}

/// `tsudoi erase verify`: the certificate's signature and contents, the
/// ward's checkpoints against the final one, and the erased store file.
/// Never changes anything. `expected` is the device public key from the
/// set-up sheet; without it the key in `SIGNER.txt` is used (and said so).
pub fn verify(
    store: &Path,
    certificate: &Path,
    held: &[HeldCheckpoint],
    expected: Option<&VerifyingKey>,
) -> Result<ErasureVerdict> {
    let mut v = ErasureVerdict { checks: Vec::new() };
    let signed = sign::verify_dir(certificate, expected);
    let public = match &signed {
        Ok(s) => {
            let whose = if expected.is_some() {
                "設置時の記録票の公開鍵と一致"
            } else {
                "SIGNER.txt の公開鍵（設置時の記録票と照らしてください）"
            };
            v.push(
                "証明書の署名とファイルの一覧",
                true,
                format!("{}件のファイル、{whose}: {}", s.files.len(), s.public_key),
            );
            Some(sign::parse_public_key(&s.public_key)?)
        }
        Err(e) => {
            v.push("証明書の署名とファイルの一覧", false, e.to_string());
            return Ok(v);
        }
    };
    let json = std::fs::read(certificate.join(CERTIFICATE_JSON))?;
    let cert: Certificate = match serde_json::from_slice(&json) {
        Ok(c) => c,
        Err(e) => {
            v.push("証明書の内容", false, format!("読めません: {e}"));
            return Ok(v);
        }
    };
    let format_ok = cert.format == FORMAT && cert.verification.result == "passed";
    v.push(
        "証明書の内容",
        format_ok,
        format!("{}、消去時の検証 {}", cert.format, cert.verification.result),
    );

    // The final checkpoint, signed by the same key under the log's name.
    let final_cp = public.and_then(|key| {
        let verifier = Verifier::new(&cert.audit.origin, key).ok()?;
        let bytes = std::fs::read(certificate.join(&cert.audit.checkpoint_file)).ok()?;
        let cp = Checkpoint::open(&bytes, &verifier).ok()?;
        Some((verifier, cp))
    });
    let Some((verifier, final_cp)) = final_cp else {
        v.push(
            "監査ログの最終チェックポイント",
            false,
            "署名を確かめられません",
        );
        return Ok(v);
    };
    let head_ok = verifier.vkey() == cert.audit.vkey
        && final_cp.size() == cert.audit.final_size
        && final_cp.root().to_base64() == cert.audit.final_root;
    v.push(
        "監査ログの最終チェックポイント",
        head_ok,
        format!("{}件 {}", final_cp.size(), final_cp.root().to_base64()),
    );

    for h in held {
        let what = format!("区の控え {} と最終チェックポイントの整合", h.label);
        let old = match Checkpoint::open(&h.bytes, &verifier) {
            Ok(c) => c,
            Err(e) => {
                v.push(&what, false, format!("この端末の署名ではありません: {e}"));
                continue;
            }
        };
        let result = if old.size() == final_cp.size() {
            if old.root() == final_cp.root() {
                Ok(())
            } else {
                Err("同じ件数で木の頭が違います".to_owned())
            }
        } else {
            match cert
                .audit
                .consistency
                .iter()
                .find(|p| p.old_size == old.size() && p.new_size == final_cp.size())
            {
                None => Err(format!(
                    "控えの件数（{}件）からの証明が証明書にありません",
                    old.size()
                )),
                Some(p) => serde_json::to_vec(p)
                    .map_err(|e| e.to_string())
                    .and_then(|b| ConsistencyProofFile::from_json(&b).map_err(|e| e.to_string()))
                    .and_then(|f| f.verify(&old, &final_cp).map_err(|e| e.to_string())),
            }
        };
        match result {
            Ok(()) => v.push(
                &what,
                true,
                format!(
                    "控えの{}件は最終の{}件の先頭と一致",
                    old.size(),
                    final_cp.size()
                ),
            ),
            Err(e) => v.push(&what, false, e),
        }
    }

    check_store_file(&mut v, store, certificate, &cert)?;
    Ok(v)
}

/// The erased store file: only the certificate's own files, no key id in
/// any byte of the file or the files beside it.
fn check_store_file(
    v: &mut ErasureVerdict,
    store: &Path,
    certificate: &Path,
    cert: &Certificate,
) -> Result<()> {
    use rusqlite::{Connection, OpenFlags};
    if !store.exists() {
        v.push("保存ファイル", false, "ありません");
        return Ok(());
    }
    let conn = match Connection::open_with_flags(
        store,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(e) => {
            v.push("保存ファイル", false, format!("開けません: {e}"));
            return Ok(());
        }
    };
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let only_certificate = tables == [ERASED_TABLE];
    v.push(
        "保存ファイルの表",
        only_certificate,
        format!("表: {}", tables.join(", ")),
    );
    if only_certificate {
        let rows: Vec<(String, Vec<u8>)> = conn
            .prepare(&format!(
                "SELECT name, content FROM {ERASED_TABLE} ORDER BY name"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let same = !rows.is_empty()
            && rows.iter().all(|(name, content)| {
                !name.contains('/')
                    && std::fs::read(certificate.join(name)).ok().as_ref() == Some(content)
            });
        v.push(
            "保存ファイルの中身が証明書と同じ",
            same,
            format!("{}件のファイル", rows.len()),
        );
    }
    let freelist: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    v.push(
        "保存ファイルに空きページ（消した跡）がない",
        freelist == 0,
        format!("空きページ {freelist}"),
    );
    drop(conn);
    let ids = key_ids(cert);
    let found = files_with_key_ids(store, &ids)?;
    v.push(
        "暗号化された値・鍵の残り（鍵IDの検索）",
        ids.len() == cert.method.keys_destroyed.len() && found.is_empty(),
        if found.is_empty() {
            format!(
                "{}個の鍵IDはどのファイルのどのバイトにもありません",
                ids.len()
            )
        } else {
            format!("見つかったファイル: {}", found.join(", "))
        },
    );
    Ok(())
}
