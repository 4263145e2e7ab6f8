//! The fuzz targets: each feeds one input to the project's own parsing entry
//! points, as the command line, the kiosk or the store hands them outside
//! input. A panic (or an AFL-detected crash) is a bug; errors are expected.
//!
//! This file is shared: `fuzz/src/main.rs` runs it under AFL++ (persistent
//! mode), and the root crate's `tests/fuzz_corpus.rs` includes it with
//! `#[path]` to replay every corpus file and regression in CI, without AFL.
//! Both therefore call exactly the same code.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use tsudoi::crypto::{
    CardToken, CellAad, CellCipher, DataKey, FieldAad, FieldCipher, Grant, Identity, KeyBundle,
    KeyId, KeyKind, Keyslot, RecoveryKey,
};

/// The recovery key the `keys` target opens recovery keyslots with (made
/// up for the fuzzer: the bytes 1..=32 and their checksum), so a seed
/// keyslot sealed to it reaches the unwrapping and the key id check.
pub const RECOVERY_KEY: &str =
    "AEBA-GBAF-AYDQ-QCIK-BMGA-2DQP-CAIR-EEYU-CULB-OGAZ-DINR-YHI6-D4QD-4GA";
/// The label and role the `keys` target opens grants as.
pub const GRANT_LABEL: &str = "fuzz";
pub const GRANT_ROLE: &str = "manager";
/// Where the `cell` target's cells and fields claim to live.
pub const CELL_AAD: CellAad<'static> = CellAad {
    table: "participants",
    column: "name",
    row_id: "00000000-0000-4000-8000-000000000000",
    rev: 0,
    bound: "",
};
pub const FIELD_AAD: FieldAad<'static> = FieldAad {
    table: "participants",
    column: "name",
    row_id: "00000000-0000-4000-8000-000000000000",
};

/// Every target, by the name used for `fuzz/corpus/<name>/`.
pub const TARGETS: &[&str] = &[
    "date",
    "postal",
    "phone",
    "kana",
    "config",
    "roster",
    "report",
    "merge",
    "lottery",
    "transcript",
    "keys",
    "cell",
    "pn532",
];

/// What the targets share between inputs: fixed keys (made once, not per
/// input) and a scratch folder for the report target.
pub struct Ctx {
    pub scratch: tempfile::TempDir,
    pub cell: CellCipher,
    pub field: FieldCipher,
    pub bundle: KeyBundle,
    pub identity: Identity,
    pub recovery: RecoveryKey,
    pub signing: ed25519_dalek::SigningKey,
    /// The ward's key pair for `merge`: the identity and the recipient.
    pub ward: (tsudoi::report::merge::WardIdentity, age::x25519::Recipient),
}

impl Ctx {
    /// # Panics
    /// If no temporary folder can be made (a broken machine, not an input).
    pub fn new() -> Ctx {
        let key = DataKey::from_bytes([0x42; 32]);
        let mut bundle = KeyBundle::default();
        for (i, kind) in (1u8..).zip(KeyKind::ALL) {
            bundle.set(kind, DataKey::from_bytes([i; 32]));
        }
        let scratch = tempfile::tempdir().expect("a temporary folder");
        let (identity_text, public) = tsudoi::report::merge::generate_ward_key();
        let identity_file = scratch.path().join("ward-key");
        std::fs::write(&identity_file, identity_text.as_bytes()).expect("a scratch file");
        let ward = (
            tsudoi::report::merge::WardIdentity::from_file(&identity_file)
                .expect("a new ward key reads back"),
            public.parse().expect("a new ward key's recipient parses"),
        );
        Ctx {
            scratch,
            cell: CellCipher::personal(&key),
            field: FieldCipher::new(&key),
            bundle,
            identity: Identity::from_slot_key(DataKey::from_bytes([0x17; 32])),
            recovery: RecoveryKey::parse(RECOVERY_KEY).expect("the fuzzer's recovery key parses"),
            signing: ed25519_dalek::SigningKey::from_bytes(&[0x5a; 32]),
            ward,
        }
    }
}

impl Default for Ctx {
    fn default() -> Ctx {
        Ctx::new()
    }
}

/// Runs one input through one target.
///
/// # Panics
/// For an unknown target name, and wherever the code under test panics.
pub fn run(ctx: &Ctx, target: &str, data: &[u8]) {
    match target {
        "date" => date(data),
        "postal" => postal(data),
        "phone" => phone(data),
        "kana" => kana(data),
        "config" => config(data),
        "roster" => roster(data),
        "report" => report(ctx, data),
        "merge" => merge(ctx, data),
        "lottery" => lottery(data),
        "transcript" => transcript(data),
        "keys" => keys(ctx, data),
        "cell" => cell(ctx, data),
        "pn532" => pn532(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Text targets take the input as UTF-8, as every caller reads its text
/// (`read_to_string`, clap, Slint); other bytes never reach the parser.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Dates as staff type them: wareki (令和7年4月1日, R7.4.1, H31/4/30) and
/// Western, full-width or not.
fn date(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(d) = tsudoi::eligibility::date::parse_date(s) {
        let wareki = tsudoi::eligibility::date::to_wareki(d);
        // A date in an era, as the kiosk shows it, must read back as the
        // same day. Not checked: dates before 1873 (shown in Gregorian,
        // years below 1000 in fewer than the four digits parse_date asks
        // for) and after 2999 (令和 years of four digits, which parse_date
        // refuses; fuzz/regressions/date holds the inputs that showed it).
        if tsudoi::eligibility::date::Era::of(d).is_some() && d.year() < 3000 {
            assert_eq!(
                tsudoi::eligibility::date::parse_date(&wareki).ok(),
                Some(d),
                "{wareki} does not read back"
            );
        }
        let _ = tsudoi::jp_date::ymd(d);
        let _ = tsudoi::jp_date::md_weekday(d);
        let _ = tsudoi::eligibility::date::Era::of(d);
    }
    let _ = tsudoi::store::sessions::parse_time(s);
    let _ = tsudoi::report::Month::parse(s);
}

/// Postal codes (一六〇-〇〇二二, 〒160‐0022) and the ward's postal table.
fn postal(data: &[u8]) {
    use tsudoi::eligibility::postal::{PostalCode, PostalTable};
    let Some(s) = text(data) else { return };
    if let Ok(code) = PostalCode::parse(s) {
        assert_eq!(code.digits().len(), 7);
        let _ = PostalTable::shinjuku().lookup(&code);
    }
    if let Ok(table) = PostalTable::from_tsv(s) {
        let _ = table.towns();
        for r in table.residences() {
            let _ = r;
        }
    }
}

fn phone(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(p) = tsudoi::eligibility::phone::PhoneNumber::parse(s) {
        let shown = p.display();
        // The shown form must read back as the same number.
        assert_eq!(
            tsudoi::eligibility::phone::PhoneNumber::parse(&shown)
                .ok()
                .as_ref()
                .map(|q| q.digits()),
            Some(p.digits())
        );
    }
}

/// Kana and names: the store's normalisation and the kanji composer.
fn kana(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = tsudoi::eligibility::text::to_halfwidth(s);
    let _ = tsudoi::eligibility::text::normalize_digits_and_punct(s);
    let _ = tsudoi::store::participants::normalize_name(s);
    let _ = tsudoi::store::participants::normalize_address(s);
    if let Ok(k) = tsudoi::store::participants::normalize_kana(s) {
        let _ = tsudoi_kanji::to_katakana(&k);
    }
    let hira = tsudoi_kanji::to_hiragana(s);
    let _ = tsudoi_kanji::to_katakana(s);
    let _ = tsudoi_kanji::names(&hira, tsudoi_kanji::NamePart::Family)
        .take(20)
        .count();
    let _ = tsudoi_kanji::kanji(&hira).take(20).count();
    if let Some(c) = s.chars().next() {
        let _ = tsudoi_kanji::variants(c).count();
    }
    // The composer as the registration screen drives it: ask, pick the
    // first candidate, undo once.
    let mut composer = tsudoi_kanji::NameComposer::new(&hira);
    for _ in 0..4 {
        let candidates = composer.candidates(tsudoi_kanji::Mode::Whole);
        let Some(first) = candidates.first() else {
            break;
        };
        if !composer.pick(first) {
            break;
        }
    }
    let _ = composer.name();
    let _ = composer.undo();
    let _ = composer.kana(tsudoi_kanji::Mode::OneByOne);
}

/// The configuration file, and every check `tsudoi` runs on it. The postal
/// table it names is a file of its own (the `postal` target); it is not
/// opened here, so no input names a path that is read.
fn config(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(c) = toml::from_str::<tsudoi::config::Config>(s) else {
        return;
    };
    let _ = c.policy();
    let _ = c.contract();
    let _ = c.ward_recipient();
    let _ = c.kiosk.closing_time();
    let _ = c.mimamori.rule();
    let _ = c.hardware.validate();
    let _ = c.hardware.settings();
    let _ = c.hardware.reader_source();
}

/// The ward's roster file, as bytes (it may be Shift_JIS or UTF-8).
fn roster(data: &[u8]) {
    let parsed = tsudoi::store::ward_roster::parse(data);
    // A problem names a line of the file, never line 0 or one past it.
    let lines = data.split(|&b| b == b'\n').count();
    for p in &parsed.problems {
        assert!(
            (1..=lines).contains(&p.line),
            "problem on line {} of {lines}",
            p.line
        );
    }
}

/// A report folder given to `tsudoi report verify`/`merge`, and the keys
/// typed with them. The input is split at NUL bytes into the manifest
/// (`SHA256SUMS`), its signature, `SIGNER.txt` and one data file `a.csv`.
/// When the first byte is odd, the harness signs the manifest itself so
/// the lines behind the signature check are reached too.
fn report(ctx: &Ctx, data: &[u8]) {
    use ed25519_dalek::Signer;
    use tsudoi::report::sign;
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(4, |&b| b == 0);
    let manifest = parts.next().unwrap_or_default();
    let signature = parts.next().unwrap_or_default();
    let signer = parts.next().unwrap_or_default();
    let file = parts.next().unwrap_or_default();
    let dir = ctx.scratch.path().join("report");
    clear(&dir);
    let signature = if flags & 1 == 1 {
        let sig = ctx.signing.sign(manifest);
        format!("{}\n", hex(&sig.to_bytes())).into_bytes()
    } else {
        signature.to_vec()
    };
    let writes = [
        (sign::MANIFEST, manifest),
        (sign::SIGNATURE, &signature[..]),
        (sign::SIGNER, signer),
        ("a.csv", file),
    ];
    for (name, bytes) in writes {
        // An empty part stands for a missing file.
        if !bytes.is_empty() && std::fs::write(dir.join(name), bytes).is_err() {
            return;
        }
    }
    let expected = ctx.signing.verifying_key();
    let _ = sign::verify_dir(&dir, (flags & 2 == 2).then_some(&expected));
    if let Some(s) = text(signer) {
        let _ = sign::parse_public_key(s);
        let _ = tsudoi::report::merge::WardRecipient::parse(s);
    }
}

/// Two sites' counts given to `tsudoi report merge`: the input is split at
/// the first NUL into the two sites' counts (the JSON inside
/// `…-counts.json.age`). A site's device signs what it sends, but the ward
/// should not crash on, nor mis-add, counts from a faulty one. The sums go
/// through the published tables and their CSV in memory.
///
/// Most inputs reach the counts directly (`merge::sum_decrypted_counts`,
/// what `sum_dirs` does once each folder is verified and decrypted): sealing
/// and signing two folders for every input held the campaign to 0.45k
/// executions a second, and the fuzzed bytes are the decrypted counts
/// either way. One input in 64, picked by the input's hash so a run is
/// repeatable, takes the whole way: the harness encrypts each site's counts
/// to the ward and signs each folder with its own device key, as an export
/// does, `sum_dirs` reads them back, and the summary PDF (tens of
/// milliseconds) is drawn.
fn merge(ctx: &Ctx, data: &[u8]) {
    use tsudoi::report::{Wording, csv, merge, pdf, sign};
    let (first, second) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let whole_way = one_in_64(data);
    let summed = if whole_way {
        let base = ctx.scratch.path().join("merge");
        let mut dirs = Vec::new();
        for (i, counts) in [first, second].into_iter().enumerate() {
            let Ok(sealed) = age::encrypt(&ctx.ward.1, counts) else {
                return;
            };
            let files = vec![("tsudoi-2026-10-counts.json.age".to_owned(), sealed)];
            let device = ed25519_dalek::SigningKey::from_bytes(&[0x60 + i as u8; 32]);
            let dir = base.join(format!("site{i}"));
            clear(&dir);
            for (name, bytes) in
                files
                    .iter()
                    .cloned()
                    .chain(sign::signature_files(&files, &device, "試験会場"))
            {
                if std::fs::write(dir.join(name), bytes).is_err() {
                    return;
                }
            }
            dirs.push(dir);
        }
        merge::sum_dirs(&dirs, &ctx.ward.0, &[], Wording::default())
    } else {
        merge::sum_decrypted_counts(&[first, second], Wording::default())
    };
    let Ok(summed) = summed else {
        return;
    };
    let report = &summed.report;
    for table in report.published_tables() {
        let text = csv::to_csv_text(&table, &report.wording);
        let _ = csv::encode(&text, csv::Encoding::Utf8Bom, "a.csv");
        let _ = csv::encode(&text, csv::Encoding::Cp932, "a.csv");
    }
    if whole_way {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default();
        let _ = pdf::summary_pdf(report, &today, None);
    }
}

/// True for one input in 64, picked by a hash of the input (FNV-1a).
fn one_in_64(data: &[u8]) -> bool {
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash % 64 == 0
}

fn clear(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::create_dir_all(dir);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The public random values of a lottery, one per line, and the draw they
/// give over a small pool.
fn lottery(data: &[u8]) {
    use tsudoi::lottery::rfc3797;
    let Some(s) = text(data) else { return };
    let lines: Vec<&str> = s.lines().collect();
    if let Ok(sources) = rfc3797::parse_sources(&lines) {
        let key = rfc3797::key_string(&sources);
        let _ = rfc3797::select(&key, 7, 3);
    }
}

/// A lottery transcript given to `tsudoi lottery verify`.
fn transcript(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = tsudoi::lottery::draw::verify(s);
}

/// Key material from the store and from staff: the first byte picks the
/// format (keyslot, grant, recovery key, card token, key id).
fn keys(ctx: &Ctx, data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => {
            if let Ok(slot) = Keyslot::from_bytes(rest) {
                // FORMAT.md: any deviation from the layout is refused, so
                // what parses writes back byte for byte.
                assert_eq!(slot.to_bytes().ok().as_deref(), Some(rest));
                let _ = slot.open_with_recovery(&ctx.recovery);
            }
        }
        1 => {
            if let Ok(grant) = Grant::from_bytes(rest) {
                assert_eq!(grant.to_bytes(), rest);
                let _ = grant.open(
                    &ctx.identity,
                    GRANT_LABEL,
                    GRANT_ROLE,
                    grant_mask(rest),
                    &ctx.bundle.key_ids(),
                );
            }
        }
        2 => {
            if let Some(s) = text(rest)
                && let Ok(key) = RecoveryKey::parse(s)
            {
                let shown = key.to_display();
                assert!(RecoveryKey::parse(&shown).is_ok());
            }
        }
        3 => {
            if let Some(s) = text(rest)
                && let Ok(token) = CardToken::from_hex(s)
            {
                assert_eq!(CardToken::from_hex(&token.to_hex()).ok(), Some(token));
            }
        }
        _ => {
            if let Some(s) = text(rest) {
                let _ = KeyId::parse(s);
            }
        }
    }
}

fn grant_mask(bytes: &[u8]) -> u8 {
    bytes.get(1).copied().unwrap_or(0)
}

/// A cell or field ciphertext as read from the store, opened with the
/// right key (the tag check stops anything the fuzzer made up, but the
/// layout parse before it sees every input).
fn cell(ctx: &Ctx, data: &[u8]) {
    let _ = ctx.cell.decrypt(&CELL_AAD, data);
    let _ = ctx.cell.decrypt_string(&CELL_AAD, data);
    let _ = ctx.field.decrypt_string(&FIELD_AAD, data);
}

/// Bytes from the host (libnfc) on the PN532 emulator's serial line, with
/// a card on the reader when the first byte is odd.
fn pn532(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let card = (flags & 1 == 1)
        .then(|| tsudoi_hw::emulator::EmulatedCard::Iso14443A(vec![0x04, 0x12, 0x34, 0x56]));
    let _ = tsudoi_hw::emulator::fuzz_host_bytes(rest, card);
}

/// Every file of a corpus or regression folder `root/<target>/`, with its
/// target, sorted (for the replay test).
pub fn corpus_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for target in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                files.push(((*target).to_owned(), path));
            }
        }
    }
    files.sort();
    files
}
