//! Combining several sites' reports into one ward total.
//!
//! Merging needs the raw counts, which must not travel in the clear: a site's
//! export carries them only encrypted to the ward's age key
//! (`tsudoi-YYYY-MM-counts.json.age`, X25519), and the file is covered by the
//! site's signed manifest. The ward, holding the identity, verifies each
//! folder, decrypts, adds the counts and applies suppression to the sum.
//!
//! Distinct-people counts (実人数) are added across sites: someone who visited
//! two sites is counted twice. The merged files say so.

use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{MergeError, Month, MonthCounts, MonthlyReport, Wording, YearCounts, csv, pdf, sign};
use crate::error::Result;

/// The ward's public key (an age X25519 recipient, `age1…`).
#[derive(Clone)]
pub struct WardRecipient(age::x25519::Recipient);

impl std::fmt::Debug for WardRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WardRecipient({})", self.0)
    }
}

impl WardRecipient {
    /// Reads an `age1…` public key.
    /// # Errors
    /// [`MergeError::WardKey`] when the text is not an age X25519 recipient.
    pub fn parse(s: &str) -> Result<WardRecipient> {
        s.trim()
            .parse()
            .map(WardRecipient)
            .map_err(|_| MergeError::WardKey.into())
    }
}

impl WardRecipient {
    /// Encrypts `bytes` to the ward (age, X25519): only the ward's
    /// identity opens it (`age -d -i ward.key`).
    pub fn seal(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        age::encrypt(&self.0, bytes).map_err(|e| MergeError::Seal(e.to_string()).into())
    }
}

/// The ward's secret identity, read from the file `ward-key` wrote.
pub struct WardIdentity(age::x25519::Identity);

impl WardIdentity {
    /// Reads the identity file `ward-key` wrote (the line starting `AGE-SECRET-KEY-`).
    /// # Errors
    /// [`MergeError::IdentityRead`] when the file cannot be read; [`MergeError::IdentityFormat`]
    /// when it holds no identity.
    pub fn from_file(path: &Path) -> Result<WardIdentity> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
            MergeError::IdentityRead {
                path: path.to_owned(),
                source,
            }
        })?);
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with("AGE-SECRET-KEY-"))
            .and_then(|l| l.parse().ok())
            .map(WardIdentity)
            .ok_or_else(|| MergeError::IdentityFormat.into())
    }
}

/// Makes a new ward key pair: the identity file's text and the public key.
pub fn generate_ward_key() -> (Zeroizing<String>, String) {
    let id = age::x25519::Identity::generate();
    let public = id.to_public().to_string();
    let text = Zeroizing::new(format!(
        "# tsudoi: 区の集計用の秘密鍵（各施設の報告の人数データを開く鍵）。区の外に出さないでください。\n# public key: {public}\n{}\n",
        id.to_string().expose_secret()
    ));
    (text, public)
}

const FORMAT: &str = "tsudoi-counts-v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SealedCounts {
    format: String,
    site: String,
    month: Month,
    month_counts: MonthCounts,
    year_counts: YearCounts,
}

/// The raw counts, encrypted to the ward.
pub fn seal_counts(report: &MonthlyReport, ward: &WardRecipient) -> Result<Vec<u8>> {
    let json = Zeroizing::new(
        serde_json::to_vec(&SealedCounts {
            format: FORMAT.into(),
            site: report.site.clone(),
            month: report.month,
            month_counts: report.month_counts.clone(),
            year_counts: report.year_counts.clone(),
        })
        .map_err(|e| super::ReportError::Internal(e.to_string()))?,
    );
    age::encrypt(&ward.0, &json).map_err(|e| MergeError::SealCounts(e.to_string()).into())
}

/// The largest count a site's file may hold.
const MAX_COUNT: u64 = 1_000_000_000;

fn has_number_above(value: &serde_json::Value, max: u64) -> bool {
    match value {
        serde_json::Value::Number(n) => n.as_u64().is_none_or(|n| n > max),
        serde_json::Value::Array(items) => items.iter().any(|v| has_number_above(v, max)),
        serde_json::Value::Object(map) => map.values().any(|v| has_number_above(v, max)),
        _ => false,
    }
}

fn open_counts(bytes: &[u8], identity: &WardIdentity) -> Result<SealedCounts> {
    let json =
        Zeroizing::new(age::decrypt(&identity.0, bytes).map_err(|_| MergeError::CountsUnreadable)?);
    parse_counts(&json)
}

/// Reads a site's decrypted counts.
fn parse_counts(json: &[u8]) -> Result<SealedCounts> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|_| MergeError::CountsFormat)?;
    // No site counts a billion people or visits; a larger number is a
    // faulty file, and left in, sums of such counts overflowed (a panic in
    // the suppression's totals; found by fuzzing, fuzz/regressions/merge).
    if has_number_above(&value, MAX_COUNT) {
        return Err(MergeError::CountTooLarge.into());
    }
    let counts: SealedCounts =
        serde_json::from_value(value).map_err(|_| MergeError::CountsFormat)?;
    if counts.format != FORMAT {
        return Err(MergeError::CountsVersion.into());
    }
    Ok(counts)
}

/// Adds a site's count to the total. Counts are decrypted from a site's
/// file, so a faulty (or altered, then re-signed) site could send absurd
/// ones: a sum past `u64::MAX` is refused rather than wrapped or a panic.
/// (`fuzz/regressions/merge` holds the input that found it.)
fn add_count(into: &mut u64, from: u64, dir: &Path) -> Result<()> {
    *into = into
        .checked_add(from)
        .ok_or_else(|| MergeError::SumOverflow {
            dir: dir.to_owned(),
        })?;
    Ok(())
}

fn add_map<K: Ord + Clone>(
    into: &mut std::collections::BTreeMap<K, u64>,
    from: &std::collections::BTreeMap<K, u64>,
    dir: &Path,
) -> Result<()> {
    for (k, v) in from {
        add_count(into.entry(k.clone()).or_default(), *v, dir)?;
    }
    Ok(())
}

/// What a merge combined.
#[derive(Debug, Clone)]
pub struct Merged {
    /// (site name, signing public key) of each report combined, in the order given.
    pub sites: Vec<(String, String)>,
    /// The month all the reports are for.
    pub month: Month,
    /// Names of the files written into `out`.
    pub files: Vec<String>,
    /// The folder the merged report was written to (it was empty or new).
    pub out: PathBuf,
}

/// The ward total of several sites' reports, not yet written anywhere.
#[derive(Debug, Clone)]
pub struct Summed {
    /// (site name, signing public key) of each report combined, in the order given.
    pub sites: Vec<(String, String)>,
    /// The sums, as one report for the ward.
    pub report: MonthlyReport,
}

/// Verifies every folder, decrypts its counts, adds them up and writes the
/// ward total (CSV and PDF, suppression applied to the sums) into `out`.
/// With `trusted`, every folder must be signed by one of those keys.
pub fn merge_dirs(
    dirs: &[PathBuf],
    identity: &WardIdentity,
    trusted: &[ed25519_dalek::VerifyingKey],
    out: &Path,
    encoding: csv::Encoding,
    wording: Wording,
    today: chrono::NaiveDate,
) -> Result<Merged> {
    let Summed { sites, report } = sum_dirs(dirs, identity, trusted, wording)?;
    let month = report.month;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(MergeError::OutDirNotEmpty {
            dir: out.to_owned(),
        }
        .into());
    }
    std::fs::create_dir_all(out)?;
    let mut files = Vec::new();
    let name = format!("tsudoi-{month}-ward-summary.pdf");
    std::fs::write(out.join(&name), pdf::summary_pdf(&report, &today, None)?)?;
    files.push(name);
    for (name, bytes) in report.csv_files(&format!("tsudoi-{month}-ward-"), encoding)? {
        std::fs::write(out.join(&name), bytes)?;
        files.push(name);
    }
    Ok(Merged {
        sites,
        month,
        files,
        out: out.to_owned(),
    })
}

/// Verifies every folder, decrypts its counts and adds them up: the part of
/// [`merge_dirs`] that reads what the sites sent (and what the fuzzer feeds).
/// With `trusted`, every folder must be signed by one of those keys.
pub fn sum_dirs(
    dirs: &[PathBuf],
    identity: &WardIdentity,
    trusted: &[ed25519_dalek::VerifyingKey],
    wording: Wording,
) -> Result<Summed> {
    if dirs.len() < 2 {
        return Err(MergeError::TooFewDirs.into());
    }
    let mut totals = Totals::default();
    for dir in dirs {
        let verified = sign::verify_dir(dir, None)?;
        if !trusted.is_empty()
            && !trusted
                .iter()
                .any(|k| sign::public_key_text(k) == verified.public_key)
        {
            return Err(MergeError::UntrustedSigner {
                dir: dir.clone(),
                key: verified.public_key,
            }
            .into());
        }
        if totals.sites.iter().any(|(_, k)| *k == verified.public_key) {
            return Err(MergeError::DuplicateSite { dir: dir.clone() }.into());
        }
        let sealed = verified
            .files
            .iter()
            .find(|f| f.ends_with("-counts.json.age"))
            .ok_or_else(|| MergeError::NoCounts { dir: dir.clone() })?;
        let counts = open_counts(&std::fs::read(dir.join(sealed))?, identity)?;
        totals.add(dir, verified.public_key, counts)?;
    }
    totals.finish(wording)
}

/// What [`sum_dirs`] does once each folder is verified and its counts
/// decrypted: the fuzzer's way in (`fuzz/src/targets.rs`, `merge`), so
/// that most of its inputs reach the counts without sealing and signing two
/// folders each. `jsons` are the sites' decrypted count files.
#[doc(hidden)]
pub fn sum_decrypted_counts(jsons: &[&[u8]], wording: Wording) -> Result<Summed> {
    let mut totals = Totals::default();
    for (i, json) in jsons.iter().enumerate() {
        let site = format!("site{i}");
        totals.add(Path::new(&site), site.clone(), parse_counts(json)?)?;
    }
    totals.finish(wording)
}

/// The sums so far, site by site.
#[derive(Default)]
struct Totals {
    /// (site name, signing public key) of each site added.
    sites: Vec<(String, String)>,
    month: Option<Month>,
    month_counts: MonthCounts,
    year_counts: YearCounts,
}

impl Totals {
    /// Adds one site's counts, read from `dir` and signed by `key`.
    fn add(&mut self, dir: &Path, key: String, counts: SealedCounts) -> Result<()> {
        if *self.month.get_or_insert(counts.month) != counts.month {
            return Err(MergeError::MixedMonths.into());
        }
        let (total_month, total_year) = (&mut self.month_counts, &mut self.year_counts);
        let m = &counts.month_counts;
        add_map(&mut total_month.sessions_held, &m.sessions_held, dir)?;
        add_map(&mut total_month.visits, &m.visits, dir)?;
        add_map(
            &mut total_month.distinct_by_program,
            &m.distinct_by_program,
            dir,
        )?;
        add_count(&mut total_month.distinct_total, m.distinct_total, dir)?;
        add_count(&mut total_month.new_registrations, m.new_registrations, dir)?;
        total_month
            .per_session
            .extend(m.per_session.iter().cloned());
        for (a, b) in total_month.by_age_band.iter_mut().zip(m.by_age_band) {
            add_count(a, b, dir)?;
        }
        add_map(&mut total_month.by_town, &m.by_town, dir)?;
        total_month.lottery.extend(m.lottery.iter().cloned());
        total_month
            .class_attendance
            .extend(m.class_attendance.iter().cloned());
        // Reports made before groups existed carry none (all zero).
        let (tg, g) = (&mut total_month.groups, &m.groups);
        add_count(&mut tg.groups, g.groups, dir)?;
        add_count(&mut tg.members_ward, g.members_ward, dir)?;
        add_count(&mut tg.members_desk, g.members_desk, dir)?;
        add_count(&mut tg.checkins, g.checkins, dir)?;
        tg.meetings.extend(g.meetings.iter().cloned());
        for (a, b) in tg.calls.iter_mut().zip(g.calls) {
            add_count(a, b, dir)?;
        }
        let y = &counts.year_counts;
        add_map(&mut total_year.sessions_held, &y.sessions_held, dir)?;
        add_map(&mut total_year.visits, &y.visits, dir)?;
        add_map(
            &mut total_year.distinct_by_program,
            &y.distinct_by_program,
            dir,
        )?;
        add_count(&mut total_year.distinct_total, y.distinct_total, dir)?;
        add_count(&mut total_year.new_registrations, y.new_registrations, dir)?;
        self.sites.push((counts.site, key));
        Ok(())
    }

    /// The ward total of the sites added.
    fn finish(self, wording: Wording) -> Result<Summed> {
        let Totals {
            sites,
            month,
            mut month_counts,
            year_counts,
        } = self;
        let month = month.ok_or(MergeError::NoReports)?;
        month_counts
            .per_session
            .sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let report = MonthlyReport {
            site: format!("{}施設の合計（実人数は施設ごとの人数の和）", sites.len()),
            month,
            month_counts,
            year_counts,
            wording,
        };
        Ok(Summed { sites, report })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sessions::Program;

    fn counts(site: &str, month: &str, visits: u64) -> Vec<u8> {
        let mut m = MonthCounts {
            distinct_total: visits / 2,
            ..MonthCounts::default()
        };
        m.visits.insert(Program::Ikigai, visits);
        serde_json::to_vec(&SealedCounts {
            format: FORMAT.into(),
            site: site.into(),
            month: Month::parse(month).unwrap(),
            month_counts: m,
            year_counts: YearCounts::default(),
        })
        .unwrap()
    }

    /// Two signed folders holding `jsons` sealed to a new ward key, and the key.
    fn folders(jsons: &[&[u8]]) -> (tempfile::TempDir, Vec<PathBuf>, WardIdentity) {
        let tmp = tempfile::tempdir().unwrap();
        let (identity, public) = generate_ward_key();
        std::fs::write(tmp.path().join("ward-key"), identity.as_bytes()).unwrap();
        let identity = WardIdentity::from_file(&tmp.path().join("ward-key")).unwrap();
        let ward = WardRecipient::parse(&public).unwrap();
        let mut dirs = Vec::new();
        for (i, json) in jsons.iter().enumerate() {
            let files = vec![(
                "tsudoi-2026-10-counts.json.age".to_owned(),
                ward.seal(json).unwrap(),
            )];
            let device = ed25519_dalek::SigningKey::from_bytes(&[0x60 + i as u8; 32]);
            let dir = tmp.path().join(format!("site{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            for (name, bytes) in
                files
                    .iter()
                    .cloned()
                    .chain(sign::signature_files(&files, &device, "試験会場"))
            {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
            dirs.push(dir);
        }
        (tmp, dirs, identity)
    }

    #[test]
    fn the_fuzzers_way_in_adds_as_the_signed_folders_do() {
        let (a, b) = (
            counts("試験会場A", "2026-10", 12),
            counts("試験会場B", "2026-10", 30),
        );
        let (_tmp, dirs, identity) = folders(&[&a, &b]);
        let by_folders = sum_dirs(&dirs, &identity, &[], Wording::default()).unwrap();
        let direct = sum_decrypted_counts(&[&a, &b], Wording::default()).unwrap();
        assert_eq!(by_folders.report.month_counts, direct.report.month_counts);
        assert_eq!(by_folders.report.month, direct.report.month);
        assert_eq!(by_folders.report.site, direct.report.site);
        assert_eq!(direct.report.month_counts.visits[&Program::Ikigai], 42);
        assert_eq!(direct.report.month_counts.distinct_total, 21);

        // The same refusals either way.
        let other_month = counts("試験会場B", "2026-11", 30);
        let (_tmp, dirs, identity) = folders(&[&a, &other_month]);
        for refused in [
            sum_dirs(&dirs, &identity, &[], Wording::default()),
            sum_decrypted_counts(&[&a, &other_month], Wording::default()),
        ] {
            assert!(matches!(
                refused,
                Err(crate::Error::Report(super::super::ReportError::Merge(
                    MergeError::MixedMonths
                )))
            ));
        }
    }
}
