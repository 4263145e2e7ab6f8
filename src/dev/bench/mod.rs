//! `tsudoi bench`: the check-in path on the synthetic year, encrypted against a
//! plain-SQLite baseline doing the same work in the same run, plus unlock time,
//! demo generation time and peak memory.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod kiosk;
pub mod load;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::clock::{Clock, SystemClock};
use crate::crypto::KdfParams;
use crate::demo::{self, DemoSpec};
use crate::dev::DevError;
use crate::eligibility::PostalTable;
use crate::error::Result;
use crate::store::sessions::{NewSession, Program, SessionMode};
use crate::store::{Policy, Store};

/// Percentiles of a set of timings, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// How many timings were taken.
    pub samples: usize,
    /// Median, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Slowest, in milliseconds.
    pub max_ms: f64,
}

impl Timing {
    /// The percentiles of `d` (the sample at the rounded rank); all zero for no samples.
    pub fn of(mut d: Vec<StdDuration>) -> Timing {
        d.sort_unstable();
        let pick = |q: f64| {
            let i = ((d.len() as f64 - 1.0) * q).round() as usize;
            d.get(i).map_or(0.0, |x| x.as_secs_f64() * 1000.0)
        };
        Timing {
            samples: d.len(),
            p50_ms: pick(0.5),
            p99_ms: pick(0.99),
            max_ms: pick(1.0),
        }
    }
}

/// Everything `tsudoi bench` measures.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// A card check-in on the encrypted store (the real code path).
    pub checkin_encrypted: Timing,
    /// The same check-in on a plain SQLite baseline without encryption.
    pub checkin_plain: Timing,
    /// Encrypted p99 over plain p99: what encryption costs at the tail.
    pub p99_ratio: f64,
    /// Encrypted p50 over plain p50.
    pub p50_ratio: f64,
    /// Unlocking a keyslot with the default Argon2id parameters (sign-in), p50 in milliseconds.
    pub unlock_default_kdf_ms: f64,
    /// The default Argon2id parameters measured, as text (`Argon2id m=… KiB t=… p=…`).
    pub kdf: String,
    /// Generating the synthetic year (demo data), in seconds.
    pub demo_generation_s: f64,
    /// The previous month's report and the fiscal year to date, computed and tabulated.
    pub monthly_report_ms: f64,
    /// Participants in the synthetic year.
    pub participants: u64,
    /// Check-ins in the synthetic year.
    pub visits: u64,
    /// Peak resident memory of the process (`VmHWM`), in MiB.
    pub peak_rss_mib: f64,
    /// A lottery draw over [`LOTTERY_BENCH_APPLICANTS`] applicants (RFC 3797
    /// order of the whole pool, tiers, results), target ≤ 100 ms.
    pub lottery_draw: Timing,
    /// Recomputing and checking that draw's transcript.
    pub lottery_verify: Timing,
    /// `keys rotate` on the synthetic year: every cell and index re-sealed in
    /// one transaction, grants renewed, WAL truncated, file vacuumed (≤ 3 s).
    pub rekey_s: f64,
    /// The audit log's Merkle tree in the store's own table (issue 13).
    pub audit_log: AuditLogBench,
    /// The handling report (issue 13) over the fiscal year to date of the
    /// synthetic year: the audit log's full check (chain and tree) and the
    /// counts (≤ 500 ms). p50 of 3.
    pub handling_report_ms: f64,
    /// The inspection summary on the same store. p50 of 3.
    pub inspection_summary_ms: f64,
    /// Audit entries in the synthetic year's log when they were measured.
    pub audit_entries_in_year: u64,
    /// `tsudoi erase` on the synthetic year and `tsudoi erase verify` of
    /// the result against the last report's checkpoint (≤ 10 s, issue 14).
    pub erasure_s: f64,
    /// Hobby groups (issue 15): the ward's roster and 見守り.
    pub groups: GroupsBench,
    /// Spoken guidance (issue 18): result → first audio sample.
    pub voice: VoiceBench,
}

/// The ward's roster of [`ROSTER_BENCH_MEMBERS`] members in
/// [`ROSTER_BENCH_GROUPS`] groups imported into a new store (target ≤ 2 s),
/// the same file checked again against what is stored (`--dry-run`), and
/// the 見守り list over the synthetic year (target ≤ 100 ms).
#[derive(Debug, Clone, Serialize)]
pub struct GroupsBench {
    /// Members in the roster file.
    pub roster_members: u32,
    /// Read, checked, compared and stored in one transaction (sealing,
    /// blind indexes, audit entries, the ledger row, the WAL checkpoint).
    pub roster_import_s: f64,
    /// The same roster again with `--dry-run`: every stored member opened
    /// and compared, nothing written but the audit entry.
    pub roster_dry_run_s: f64,
    /// The 見守り rule over the synthetic year's attendance (ids and dates),
    /// p50 of 5.
    pub watch_candidates_ms: f64,
    /// The list as staff get it: the rule, each listed person's name,
    /// furigana and phone opened, one audit entry each. p50 of 5.
    pub watch_list_ms: f64,
    /// People on the list.
    pub watch_listed: usize,
}

/// Members in the roster benchmark.
pub const ROSTER_BENCH_MEMBERS: u32 = 10_000;
/// Groups in the roster benchmark.
pub const ROSTER_BENCH_GROUPS: u32 = 40;

/// A synthetic roster: invented names, furigana and mobile numbers.
pub fn synthetic_roster(members: u32, groups: u32) -> String {
    const KANA: [char; 10] = ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ'];
    let mut out = String::from("グループ名,氏名,ふりがな,電話番号\r\n");
    for i in 0..members {
        let kana: String = format!("{i:05}")
            .chars()
            .map(|c| KANA[c.to_digit(10).unwrap_or(0) as usize])
            .collect();
        out.push_str(&format!(
            "試験グループ{:02},試験 会員{i:05},シケン {kana},090-{:04}-{:04}\r\n",
            i % groups.max(1),
            5000 + i / 10_000,
            i % 10_000
        ));
    }
    out
}

/// The roster part of [`GroupsBench`], on a new store in `dir`.
fn roster_import(dir: &Path, clock: Arc<dyn Clock>) -> Result<(f64, f64)> {
    use crate::store::groups::{NewGroup, Schedule};
    use crate::store::ward_roster::ImportSource;
    let path = dir.join("roster-bench.db");
    let _ = std::fs::remove_file(&path);
    let password = "bench-password-2026!";
    let (mut store, mut manager, _recovery) = Store::create(
        &path,
        "ベンチマーク",
        "kanri01",
        password,
        Policy::default(),
        PostalTable::shinjuku(),
        clock.clone(),
    )?;
    store.change_password(&mut manager, "bench-password-2027!")?;
    let today = clock.today();
    for g in 0..ROSTER_BENCH_GROUPS {
        store.add_group(
            &manager,
            NewGroup {
                name: format!("試験グループ{g:02}"),
                schedule: Schedule::parse("第1・第3火曜 13:30-15:30")?,
                room: "多目的室".into(),
                from: today,
                until: today + chrono::Duration::days(60),
            },
        )?;
    }
    let roster = synthetic_roster(ROSTER_BENCH_MEMBERS, ROSTER_BENCH_GROUPS);
    let source = ImportSource {
        file_name: "roster.csv".into(),
        medium: "benchmark".into(),
        sha256: crate::report::sign::sha256_hex(roster.as_bytes()),
    };
    let t = Instant::now();
    let r = store.import_roster(&manager, roster.as_bytes(), &source, false)?;
    let import_s = t.elapsed().as_secs_f64();
    if !r.applied || r.diff.added.len() != ROSTER_BENCH_MEMBERS as usize {
        return Err(DevError::run("ベンチマークの名簿を取り込めませんでした。").into());
    }
    let t = Instant::now();
    let r = store.import_roster(&manager, roster.as_bytes(), &source, true)?;
    let dry_run_s = t.elapsed().as_secs_f64();
    if r.diff.unchanged != ROSTER_BENCH_MEMBERS as usize {
        return Err(DevError::run("ベンチマークの名簿の比較が合いません。").into());
    }
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("roster-bench.db{suffix}")));
    }
    Ok((import_s, dry_run_s))
}

/// Default size of the audit-log benchmark (`TSUDOI_BENCH_AUDIT_ENTRIES`).
pub const AUDIT_BENCH_ENTRIES: u64 = 1_000_000;

/// The audit log as a Merkle tree at scale: entries appended through the
/// store's own code (`audit::append`: row, chain MAC, leaf and nodes), then
/// for several older sizes the work of `tsudoi audit prove` on a fresh
/// connection: open the tree, the old tree head (to compare with the ward's
/// checkpoint), the consistency proof and a signed checkpoint.
#[derive(Debug, Clone, Serialize)]
pub struct AuditLogBench {
    /// Entries appended.
    pub entries: u64,
    /// Appending one entry inside a transaction (no commit per entry):
    /// row, chain MAC, leaf and completed nodes. Microseconds.
    pub append_us_mean: f64,
    /// The store file's size after appending, in MiB.
    pub file_mib: f64,
    /// Per older size, open + old head + proof + signed checkpoint: the
    /// worst and the median of the older sizes tried (target ≤ 50 ms).
    pub checkpoint_and_proof_worst_ms: f64,
    /// Median over the older sizes tried, in milliseconds.
    pub checkpoint_and_proof_p50_ms: f64,
    /// The longest consistency proof seen, in hashes.
    pub proof_hashes_max: usize,
}

/// Runs the audit-log benchmark in `dir` with `entries` entries.
pub fn audit_log(dir: &Path, entries: u64) -> Result<AuditLogBench> {
    use crate::store::audit::{self, AuditAction, AuditEvent, AuditKey};
    use tsudoi_tlog::note::Signer;
    let path = dir.join("audit-bench.db");
    let _ = std::fs::remove_file(&path);
    let mut conn = Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    crate::store::schema::migrate_to(&mut conn, crate::store::schema::CURRENT_VERSION)?;
    let key = AuditKey::new([0x5a; 32]);
    let t = Instant::now();
    {
        let tx = conn.transaction()?;
        let mut head = audit::head(&tx)?;
        for i in 0..entries {
            let record = format!("{:08x}-0000-4000-8000-{:012x}", i % 4000, i);
            head = audit::append(
                &tx,
                &key,
                head,
                &AuditEvent {
                    at: "2026-12-02T10:30:00+09:00".into(),
                    actor: if i % 3 == 0 { "kiosk" } else { "kanri01" },
                    action: if i % 3 == 0 {
                        AuditAction::CheckIn
                    } else {
                        AuditAction::View
                    },
                    record_id: &record,
                    fields: &["name", "kana", "phone"],
                    result: "ok",
                },
            )?;
        }
        tx.commit()?;
    }
    let append_us_mean = t.elapsed().as_secs_f64() * 1e6 / entries.max(1) as f64;
    drop(conn);
    let file_mib = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64
        + std::fs::metadata(path.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0) as f64;
    let signer = Signer::new(
        "tsudoi/ベンチマーク",
        ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
    )
    .map_err(|_| DevError::run("bench signer"))?;
    let n = entries;
    let mut olds: Vec<u64> = vec![
        n.saturating_sub(1),
        n.saturating_sub(n / 12),
        n / 2,
        n / 3,
        1,
    ];
    if n > 1 {
        olds.push(1 << (63 - (n - 1).leading_zeros()));
    }
    olds.retain(|o| *o >= 1 && *o <= n);
    let mut times = Vec::new();
    let mut proof_hashes_max = 0;
    for old in olds {
        let t = Instant::now();
        let conn = Connection::open(&path)?;
        let tree = audit::open_tree(&conn)?;
        let old_root = tree.root_at(old).map_err(audit::tree_error)?;
        let proof = tree
            .consistency_proof(old, tree.size())
            .map_err(audit::tree_error)?;
        let cp = tsudoi_tlog::Checkpoint::new(signer.name(), tree.size(), tree.root())
            .map_err(DevError::run)?
            .sign(&signer)
            .map_err(DevError::run)?;
        times.push(t.elapsed());
        // Check what was timed, outside the timing.
        tsudoi_tlog::verify_consistency(old, tree.size(), &old_root, &tree.root(), &proof)
            .map_err(|e| DevError::run(format!("bench proof: {e}")))?;
        proof_hashes_max = proof_hashes_max.max(proof.len());
        std::hint::black_box(cp);
    }
    let timing = Timing::of(times);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    Ok(AuditLogBench {
        entries,
        append_us_mean,
        file_mib: file_mib / (1024.0 * 1024.0),
        checkpoint_and_proof_worst_ms: timing.max_ms,
        checkpoint_and_proof_p50_ms: timing.p50_ms,
        proof_hashes_max,
    })
}

/// Pool size of the lottery benchmark.
pub const LOTTERY_BENCH_APPLICANTS: u32 = 10_000;

/// Times the draw (and the verification of its transcript) of a class with
/// `applicants` entries, one in seven in the priority tier, `runs` times with
/// different public numbers. Needs no store: the draw is pure computation.
pub fn lottery_draw(applicants: u32, runs: usize) -> Result<(Timing, Timing)> {
    use crate::lottery::draw;
    let pool = draw::close_pool(
        "bench",
        "ベンチマーク教室",
        100,
        None,
        vec!["ロト6".into(), "ロト7".into()],
        (1..=applicants)
            .map(|e| (e, if e % 7 == 0 { 1 } else { 2 }))
            .collect(),
    );
    let mut draws = Vec::with_capacity(runs);
    let mut verifies = Vec::with_capacity(runs);
    for r in 0..runs {
        let sources = vec![
            format!("{} 9 14 22 31 40", r + 1),
            format!("{}", 8_285_182 + r),
        ];
        let t = Instant::now();
        let transcript = draw::run(&pool, &sources)?;
        draws.push(t.elapsed());
        let json = transcript.to_json();
        let t = Instant::now();
        let ok = draw::verify(&json).matches;
        verifies.push(t.elapsed());
        if !ok {
            return Err(DevError::run("ベンチマークの抽選記録が検証できませんでした。").into());
        }
    }
    Ok((Timing::of(draws), Timing::of(verifies)))
}

/// Runs the benchmark in `dir` (a scratch directory on the disk to measure).
pub fn run(dir: &Path, checkins: usize) -> Result<BenchReport> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let today = clock.today();
    let password = "bench-password-2026!";
    let policy = Policy::default();
    let spec = DemoSpec::year_ending(today, 1);

    let started = Instant::now();
    if dir.join("bench.db").exists() {
        return Err(DevError::BenchStoreExists.into());
    }
    let (mut store, staff, summary, recovery) = demo::create(
        &dir.join("bench.db"),
        password,
        &spec,
        policy.clone(),
        clock.clone(),
    )?;
    let demo_generation_s = started.elapsed().as_secs_f64();

    // Unlock with the default Argon2id parameters: a fresh open + sign-in.
    drop(store);
    let mut unlock = Vec::new();
    for _ in 0..3 {
        let mut s = Store::open(
            &dir.join("bench.db"),
            policy.clone(),
            PostalTable::shinjuku(),
            clock.clone(),
        )?;
        let t = Instant::now();
        s.sign_in(demo::DEMO_MANAGER, password)?;
        unlock.push(t.elapsed());
    }
    store = Store::open(
        &dir.join("bench.db"),
        policy.clone(),
        PostalTable::shinjuku(),
        clock.clone(),
    )?;
    let staff = {
        let _ = staff;
        store.sign_in(demo::DEMO_MANAGER, password)?
    };

    let plain = PlainBaseline::create(&dir.join("plain.db"), &spec)?;

    // Fresh sessions so every tap is a real first check-in.
    let rounds = checkins.div_ceil(3000).max(1);
    let mut enc_times = Vec::with_capacity(checkins);
    let mut plain_times = Vec::with_capacity(checkins);
    let cards: Vec<(usize, Vec<u8>)> = (2..spec.residents)
        .filter_map(|i| demo::card_uid(spec.seed, i).map(|u| (i, u)))
        .collect();
    let mut done = 0;
    for round in 0..rounds {
        let session = store.add_session(
            &staff,
            NewSession {
                program: Program::Koryu,
                date: today,
                start: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                end: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
                title: format!("ベンチマーク{round}"),
                capacity: None,
                mode: SessionMode::Open,
            },
        )?;
        let plain_session = plain.add_session(today)?;
        for (i, uid) in cards.iter().take(checkins - done) {
            let card = demo::card(spec.seed, *i)
                .ok_or_else(|| DevError::run("ベンチマーク用のカードが見つかりません。"))?;
            let t = Instant::now();
            let outcome = store.check_in_card(&card, &session)?;
            enc_times.push(t.elapsed());
            if outcome.is_none() {
                return Err(DevError::run("ベンチマーク用のカードが見つかりません。").into());
            }
            let t = Instant::now();
            plain.check_in(uid, &plain_session, today, *i)?;
            plain_times.push(t.elapsed());
            done += 1;
        }
    }
    let previous = today - chrono::Duration::days(i64::from(today.day()));
    let month = crate::report::Month {
        year: previous.year(),
        month: previous.month(),
    };
    let mut report_times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let report = store.monthly_report(&staff, month, crate::report::Wording::default())?;
        let tables = report.tables();
        report_times.push(t.elapsed());
        std::hint::black_box(tables);
    }
    let from = month.fiscal_year_start();
    let (mut handling_times, mut inspection_times) = (Vec::new(), Vec::new());
    let mut audit_entries_in_year = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let report = store.handling_report(&staff, from, today, &[])?;
        handling_times.push(t.elapsed());
        std::hint::black_box(report);
        let t = Instant::now();
        let summary = store.inspection_summary(&staff)?;
        inspection_times.push(t.elapsed());
        audit_entries_in_year = summary.audit_entries;
    }
    // 見守り over the synthetic year, before re-keying and erasure.
    let rule = crate::store::groups::WatchRule::default();
    let mut candidate_times = Vec::new();
    let mut list_times = Vec::new();
    let mut watch_listed = 0;
    for _ in 0..5 {
        let t = Instant::now();
        watch_listed = store.watch_candidates(today, rule)?.len();
        candidate_times.push(t.elapsed());
        let t = Instant::now();
        store.watch_list(&staff, rule)?;
        list_times.push(t.elapsed());
    }
    let (roster_import_s, roster_dry_run_s) = roster_import(dir, clock.clone())?;
    let groups = GroupsBench {
        roster_members: ROSTER_BENCH_MEMBERS,
        roster_import_s,
        roster_dry_run_s,
        watch_candidates_ms: Timing::of(candidate_times).p50_ms,
        watch_list_ms: Timing::of(list_times).p50_ms,
        watch_listed,
    };
    let t = Instant::now();
    store.rotate_keys(&staff)?;
    let rekey_s = t.elapsed().as_secs_f64();
    let enc = Timing::of(enc_times);
    let pl = Timing::of(plain_times);
    let (lottery_draw, lottery_verify) = lottery_draw(LOTTERY_BENCH_APPLICANTS, 5)?;
    let audit_entries = std::env::var("TSUDOI_BENCH_AUDIT_ENTRIES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(AUDIT_BENCH_ENTRIES)
        .max(2);
    let audit_log = audit_log(dir, audit_entries)?;
    let peak_rss_mib = peak_rss_mib();

    // The end of the contract on the synthetic year: the last report goes
    // out (not timed), then erasure and the ward's check of it.
    let this_month = crate::report::Month {
        year: today.year(),
        month: today.month(),
    };
    let checkpoint_dir = dir.join("last-report");
    store.export_report(
        &staff,
        this_month,
        &checkpoint_dir,
        crate::report::csv::Encoding::Utf8Bom,
        crate::report::Wording::default(),
    )?;
    let held = crate::erasure::HeldCheckpoint {
        label: "last-report".into(),
        bytes: std::fs::read(checkpoint_dir.join(format!(
            "tsudoi-{this_month}-{}",
            crate::report::CHECKPOINT_SUFFIX
        )))?,
    };
    let t = Instant::now();
    let erased = store.erase(&staff, &recovery, &Default::default())?;
    let certificate_dir = dir.join("certificate");
    std::fs::create_dir_all(&certificate_dir)?;
    for (name, bytes) in &erased.files {
        crate::report::write_synced(&certificate_dir.join(name), bytes)?;
    }
    let verdict = crate::erasure::verify(&dir.join("bench.db"), &certificate_dir, &[held], None)?;
    let erasure_s = t.elapsed().as_secs_f64();
    if !verdict.passed() {
        return Err(DevError::run("ベンチマークの消去の確認が合格しませんでした。").into());
    }
    let voice = voice(
        &tsudoi_hw::voice::VoiceConfig::default().dir(),
        dir,
        VOICE_BENCH_RUNS,
    )?;
    Ok(BenchReport {
        voice,
        groups,
        erasure_s,
        audit_log,
        handling_report_ms: Timing::of(handling_times).p50_ms,
        inspection_summary_ms: Timing::of(inspection_times).p50_ms,
        audit_entries_in_year,
        rekey_s,
        lottery_draw,
        lottery_verify,
        p99_ratio: enc.p99_ms / pl.p99_ms.max(1e-9),
        p50_ratio: enc.p50_ms / pl.p50_ms.max(1e-9),
        checkin_encrypted: enc,
        checkin_plain: pl,
        unlock_default_kdf_ms: Timing::of(unlock).p50_ms,
        kdf: {
            let k = KdfParams::default();
            format!(
                "Argon2id m={} KiB t={} p={}",
                k.m_cost_kib, k.t_cost, k.p_cost
            )
        },
        demo_generation_s,
        monthly_report_ms: Timing::of(report_times).p50_ms,
        participants: summary.participants,
        visits: summary.visits,
        peak_rss_mib,
    })
}

/// VmHWM from /proc (Linux); 0 elsewhere.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The same check-in work on plain SQLite: card lookup by index, birth date
/// read and age computed, attendance inserted, a hash-chained audit row, one
/// durable commit. Same pragmas, same row counts.
struct PlainBaseline {
    conn: Connection,
}

impl PlainBaseline {
    fn create(path: &Path, spec: &DemoSpec) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(
            "CREATE TABLE participants (id INTEGER PRIMARY KEY, name TEXT, kana TEXT, phone TEXT, birth_date TEXT);
             CREATE TABLE cards (uid BLOB PRIMARY KEY, participant_id INTEGER REFERENCES participants(id));
             CREATE TABLE sessions (id TEXT PRIMARY KEY, date TEXT);
             CREATE TABLE attendance (id TEXT PRIMARY KEY, participant_id INTEGER REFERENCES participants(id),
                 session_id TEXT REFERENCES sessions(id), at TEXT, UNIQUE (participant_id, session_id));
             CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, record_id TEXT, hash BLOB);",
        )?;
        let tx = conn.transaction()?;
        for i in 0..spec.residents {
            tx.execute(
                "INSERT INTO participants VALUES (?1, 'x', 'x', '09000000000', '1950-01-01')",
                [i as i64],
            )?;
            if let Some(uid) = demo::card_uid(spec.seed, i) {
                tx.execute("INSERT INTO cards VALUES (?1, ?2)", params![uid, i as i64])?;
            }
        }
        tx.execute("INSERT INTO sessions VALUES ('old', '2000-01-01')", [])?;
        for n in 0..spec.target_visits {
            tx.execute(
                "INSERT OR IGNORE INTO attendance VALUES (?1, ?2, 'old', '')",
                params![format!("{n:036}"), (n % spec.residents) as i64],
            )?;
        }
        tx.commit()?;
        Ok(Self { conn })
    }

    fn add_session(&self, date: NaiveDate) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.conn.execute(
            "INSERT INTO sessions VALUES (?1, ?2)",
            params![id, date.to_string()],
        )?;
        Ok(id)
    }

    fn check_in(&self, uid: &[u8], session: &str, date: NaiveDate, _i: usize) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let (pid, birth): (i64, String) = tx
            .prepare_cached("SELECT p.id, p.birth_date FROM cards c JOIN participants p ON p.id = c.participant_id WHERE c.uid = ?1")?
            .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or(date);
        let _eligible = crate::eligibility::age_on(birth, date).is_some_and(|a| a >= 60);
        let now = SystemClock.now().to_rfc3339();
        tx.prepare_cached("INSERT INTO attendance VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")?
            .execute(params![uuid::Uuid::new_v4().to_string(), pid, session, now])?;
        let (seq, prev): (i64, Vec<u8>) = tx
            .prepare_cached("SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), x'') FROM audit")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut h = blake3::Hasher::new();
        h.update(&prev);
        h.update(now.as_bytes());
        h.update(&pid.to_le_bytes());
        tx.prepare_cached("INSERT INTO audit VALUES (?1, ?2, 'kiosk', 'check_in', ?3, ?4)")?
            .execute(params![
                seq + 1,
                now,
                pid,
                h.finalize().as_bytes().as_slice()
            ])?;
        tx.commit()?;
        Ok(())
    }
}

/// Spoken guidance (issue 18): from `Speaker::say` (what the kiosk calls on
/// a tap's result) to the first sample leaving the voice's thread, through
/// the real path: the queue, the clips read from disk, composition, volume,
/// and a WAV file as the sink. Target: tap → first audio sample ≤ 150 ms.
#[derive(Debug, Clone, Serialize)]
pub struct VoiceBench {
    /// The voice idle: `say` → first sample written.
    pub say_to_first_sample: Timing,
    /// A tap while the last result is still being said (a real-time sink):
    /// `say` → the new utterance's first sample, the old one cut off.
    pub interrupt_to_first_sample: Timing,
    /// `aplay` into ALSA's null device, started, fed 10 ms and ended: an
    /// upper bound of what starting the ALSA player adds on this machine.
    /// `None` without alsa-utils.
    pub aplay_start_to_exit: Option<Timing>,
}

/// Utterances measured in each part of the voice benchmark.
pub const VOICE_BENCH_RUNS: usize = 50;

/// Measures [`VoiceBench`] with the clips in `clips` (the source tree's
/// `assets/voice` or the installed ones), `runs` times each.
pub fn voice(clips: &Path, scratch: &Path, runs: usize) -> Result<VoiceBench> {
    use tsudoi_hw::voice::{
        AplayOut, Library, Phrase, Speaker, Utterance, VoiceConfig, VoiceOut, WavFileOut,
    };
    let library = Library::open(clips).map_err(|e| DevError::Clips {
        detail: e.to_string(),
    })?;
    let utterances = [
        Utterance::from(Phrase::CheckedIn),
        Utterance::waitlisted(12),
        Utterance::from(Phrase::SeeStaff),
        Utterance::applied_starting(4, 15).unwrap_or_else(|| Phrase::ClassApplied.into()),
    ];
    let wait = |speaker: &Speaker, n: usize| -> Result<()> {
        let deadline = Instant::now() + StdDuration::from_secs(30);
        while speaker.played().len() < n {
            if Instant::now() > deadline {
                return Err(DevError::run("音声案内の測定で再生が終わりませんでした。").into());
            }
            std::thread::sleep(StdDuration::from_micros(200));
        }
        Ok(())
    };
    let config = VoiceConfig::default();

    let idle_dir = scratch.join("voice-idle");
    let out = WavFileOut::new(&idle_dir)?;
    let speaker = Speaker::new(Box::new(out.clone()), library.clone(), config.clone());
    for i in 0..runs {
        speaker.say(utterances[i % utterances.len()].clone());
        wait(&speaker, i + 1)?;
    }
    let idle: Vec<StdDuration> = speaker
        .played()
        .iter()
        .zip(out.written())
        .map(|(p, w)| w.first_sample_at.saturating_duration_since(p.asked_at))
        .collect();

    let paced_dir = scratch.join("voice-interrupt");
    let out = WavFileOut::new(&paced_dir)?.paced();
    let speaker = Speaker::new(Box::new(out.clone()), library.clone(), config);
    speaker.say(Phrase::SeeStaff);
    for i in 0..runs {
        std::thread::sleep(StdDuration::from_millis(60));
        speaker.say(utterances[i % utterances.len()].clone());
    }
    speaker.stop();
    wait(&speaker, runs + 1)?;
    // Each utterance but the first was said over the one before it.
    let played = speaker.played();
    let written = out.written();
    let interrupt: Vec<StdDuration> = played
        .iter()
        .skip(1)
        .filter_map(|p| {
            written
                .iter()
                .find(|w| w.first_sample_at >= p.asked_at)
                .map(|w| w.first_sample_at.saturating_duration_since(p.asked_at))
        })
        .collect();
    let _ = std::fs::remove_dir_all(&idle_dir);
    let _ = std::fs::remove_dir_all(&paced_dir);

    let short = vec![0i16; 160];
    let mut aplay = AplayOut::new(Some("null".into()));
    let mut starts = Vec::new();
    for _ in 0..runs.min(20) {
        let t = Instant::now();
        if aplay.play(&short, &|| false).is_err() {
            starts.clear();
            break;
        }
        starts.push(t.elapsed());
    }
    Ok(VoiceBench {
        say_to_first_sample: Timing::of(idle),
        interrupt_to_first_sample: Timing::of(interrupt),
        aplay_start_to_exit: (!starts.is_empty()).then(|| Timing::of(starts)),
    })
}
