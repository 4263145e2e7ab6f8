//! Replays the fuzzing corpus (`fuzz/corpus/<target>/`) and every crash or
//! hang reproducer (`fuzz/regressions/<target>/`) through the same targets
//! AFL++ runs (`fuzz/src/targets.rs`), without AFL: CI's check that no
//! input the fuzzer kept panics. See README "Fuzzing".

#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::path::Path;

fn replay(folder: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder);
    let ctx = targets::Ctx::new();
    let files = targets::corpus_files(&root);
    for (target, path) in &files {
        let data = std::fs::read(path).expect("a corpus file reads");
        let name = path.display().to_string();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            targets::run(&ctx, target, &data);
        }));
        assert!(outcome.is_ok(), "{target}: {name} panics");
    }
    files.len()
}

#[test]
fn every_corpus_input_runs_without_a_panic() {
    let n = replay("corpus");
    // Each target has a seed corpus; an empty replay would prove nothing.
    assert!(n >= targets::TARGETS.len(), "only {n} corpus files");
}

#[test]
fn every_regression_runs_without_a_panic() {
    replay("regressions");
}

/// Writes the seeds that only the real code can make (keyslots, grants,
/// cells, a signed report folder, a lottery transcript) into
/// `fuzz/corpus/`; the text seeds come from `fuzz/seeds.py`. Run by hand:
/// `cargo test --test fuzz_corpus -- --ignored write_binary_seeds`.
#[test]
#[ignore = "writes fuzz/corpus; run by hand when the formats change"]
fn write_binary_seeds() {
    use tsudoi::crypto::{DataKey, Grant, KdfParams, Keyslot};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let ctx = targets::Ctx::new();
    let put = |target: &str, name: &str, bytes: &[u8]| {
        std::fs::create_dir_all(root.join(target)).unwrap();
        std::fs::write(root.join(target).join(name), bytes).unwrap();
    };
    let tagged = |tag: u8, bytes: &[u8]| [&[tag][..], bytes].concat();

    let key = DataKey::from_bytes([9; 32]);
    let slot = Keyslot::seal_with_recovery(&key, &ctx.recovery).unwrap();
    put(
        "keys",
        "recovery-slot",
        &tagged(0, &slot.to_bytes().unwrap()),
    );
    let slot = Keyslot::seal_with_password(&key, "試験 花子", b"pw", KdfParams::testing()).unwrap();
    put(
        "keys",
        "password-slot",
        &tagged(0, &slot.to_bytes().unwrap()),
    );
    for mask in [0x01, 0x1f] {
        let grant = Grant::seal(
            &ctx.bundle,
            mask,
            targets::GRANT_LABEL,
            targets::GRANT_ROLE,
            &ctx.identity.public(),
        )
        .unwrap();
        put(
            "keys",
            &format!("grant-{mask:02x}"),
            &tagged(1, &grant.to_bytes()),
        );
    }
    put(
        "keys",
        "recovery-key",
        &tagged(2, targets::RECOVERY_KEY.as_bytes()),
    );

    let cell = ctx
        .cell
        .encrypt_str(&targets::CELL_AAD, "試験 花子")
        .unwrap();
    put("cell", "cell", &cell);
    let field = ctx
        .field
        .encrypt_str(&targets::FIELD_AAD, "しけん はなこ")
        .unwrap();
    put("cell", "field", &field);

    let files = vec![(
        "a.csv".to_owned(),
        "区分,人数\n合計,12\n".as_bytes().to_vec(),
    )];
    let signed = tsudoi::report::sign::signature_files(&files, &ctx.signing, "試験会場");
    let mut folder = vec![0u8];
    for (_, bytes) in &signed {
        folder.extend_from_slice(bytes);
        folder.push(0);
    }
    folder.extend_from_slice(&files[0].1);
    put("report", "signed-folder", &folder);
    folder[0] = 2;
    put("report", "signed-folder-expected-key", &folder);

    use tsudoi::lottery::draw;
    let pool = draw::close_pool(
        "c1",
        "転倒予防教室",
        3,
        Some(2),
        vec!["ロト6 第2000回".into(), "ロト7 第600回".into()],
        (1..=7)
            .map(|e| (e, if e % 3 == 0 { 1 } else { 2 }))
            .collect(),
    );
    let sources = vec!["9 18 26 34 41 45".to_owned(), "2 5 12 8 10".to_owned()];
    let transcript = draw::run(&pool, &sources).unwrap();
    put("transcript", "draw-7", transcript.to_json().as_bytes());
    let empty = draw::close_pool("c2", "体操", 2, None, vec!["ロト6".into()], Vec::new());
    let transcript = draw::run(&empty, &sources[..1]).unwrap();
    put("transcript", "draw-empty", transcript.to_json().as_bytes());

    use tsudoi::report::{Month, MonthCounts, YearCounts};
    use tsudoi::store::sessions::Program;
    let site = |name: &str, visits: u64| {
        let mut month = MonthCounts {
            distinct_total: visits / 2,
            new_registrations: 1,
            by_age_band: [0, 1, 2, 3, 4, 0, 0],
            ..MonthCounts::default()
        };
        month.visits.insert(Program::Ikigai, visits);
        month.sessions_held.insert(Program::Ikigai, 4);
        month
            .distinct_by_program
            .insert(Program::Ikigai, visits / 2);
        month.by_town.insert("西新宿".into(), visits / 2);
        month.per_session.push((
            chrono::NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            Program::Ikigai,
            "囲碁".into(),
            visits,
        ));
        serde_json::json!({
            "format": "tsudoi-counts-v1",
            "site": name,
            "month": Month::parse("2026-10").unwrap(),
            "month_counts": month,
            "year_counts": YearCounts::default(),
        })
        .to_string()
    };
    let pair = format!("{}\0{}", site("試験会場A", 12), site("試験会場B", 30));
    put("merge", "two-sites", pair.as_bytes());
}
