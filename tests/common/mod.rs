//! Shared set-up for the integration tests: a store in a temporary directory,
//! small Argon2 parameters, a clock the test controls. All data is invented.
#![allow(dead_code)]

pub mod class_day;
pub mod cli;
pub mod media;
pub mod storm;
pub mod ui;
pub mod voice;
pub mod x11;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use tsudoi::clock::FixedClock;
use tsudoi::crypto::KdfParams;
use tsudoi::eligibility::{PhoneNumber, PostalCode, PostalTable};
use tsudoi::store::participants::{Basis, DocumentKind, IdCheck, NewParticipant};
use tsudoi::store::{Policy, Role, StaffSession, Store};

pub const MANAGER: &str = "kanri01";
pub const PASSWORD: &str = "Initial-pass-2026";
pub const NEW_PASSWORD: &str = "Changed-pass-2026";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn policy() -> Policy {
    Policy {
        kdf: KdfParams::testing(),
        ..Policy::default()
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub clock: Arc<FixedClock>,
    pub store: Store,
    pub manager: StaffSession,
}

/// A new store at 10:00 on `today`, its manager signed in with the first
/// password already changed.
pub fn fixture_on(today: NaiveDate) -> Fixture {
    fixture_with(today, policy())
}

pub fn fixture_with(today: NaiveDate, policy: Policy) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    let clock = Arc::new(FixedClock::jst(today, 10, 0));
    let (mut store, mut manager, _recovery) = Store::create(
        &path,
        "テスト施設",
        MANAGER,
        PASSWORD,
        policy,
        PostalTable::shinjuku(),
        clock.clone(),
    )
    .unwrap();
    store.change_password(&mut manager, NEW_PASSWORD).unwrap();
    Fixture {
        dir,
        path,
        clock,
        store,
        manager,
    }
}

pub fn reopen(path: &Path, clock: Arc<FixedClock>) -> Store {
    Store::open(path, policy(), PostalTable::shinjuku(), clock).unwrap()
}

/// A synthetic resident born on `birth`, living at 160-0022 (新宿).
pub fn resident(name: &str, kana: &str, phone: &str, birth: NaiveDate) -> NewParticipant {
    NewParticipant {
        name: name.into(),
        kana: kana.into(),
        phone: PhoneNumber::parse(phone).unwrap(),
        basis: Basis::SelfPresented,
        id_check: Some(IdCheck {
            birth_date: birth,
            postal: PostalCode::parse("160-0022").unwrap(),
            document: DocumentKind::HealthInsurance,
        }),
        address: None,
    }
}

/// Every file in `dir`, raw bytes (the database, its WAL and shared memory).
pub fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A small deterministic generator (xorshift64*) for randomized tests; they
/// print their seed so a failure can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One answer from the `sqlite3` command (not our code) on the file at `db`,
/// trimmed; the command must succeed.
pub fn sqlite3(db: &Path, sql: &str) -> String {
    storm::sqlite_with(db, sql, &[])
}

/// A lottery class of `title` taking applications 1–15 Nov 2026, drawn
/// 20 Nov, meeting 10:00–11:30 on `days`, with `capacity` seats and
/// `waitlist` places on the waiting list (`None`: everyone not drawn).
/// Returns the class's id.
pub fn lottery_class(
    f: &mut Fixture,
    title: &str,
    days: &[NaiveDate],
    capacity: u32,
    waitlist: Option<u32>,
) -> String {
    use chrono::NaiveTime;
    use tsudoi::store::lottery::{NewLotteryClass, Priority};
    use tsudoi::store::sessions::{NewSession, Program, SessionMode};
    let sessions = days
        .iter()
        .map(|d| {
            f.store
                .add_session(
                    &f.manager,
                    NewSession {
                        program: Program::Kaigo,
                        date: *d,
                        start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                        end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                        title: title.into(),
                        capacity: Some(capacity),
                        mode: SessionMode::Lottery,
                    },
                )
                .unwrap()
        })
        .collect();
    f.store
        .add_lottery_class(
            &f.manager,
            NewLotteryClass {
                program: Program::Kaigo,
                title: title.into(),
                kind: "体操".into(),
                term: "2026年度後期".into(),
                sessions,
                capacity,
                waitlist_size: waitlist,
                apply_from: date(2026, 11, 1),
                apply_until: date(2026, 11, 15),
                draw_on: date(2026, 11, 20),
                one_per_term: false,
                priority: Priority::None,
                previous_class: None,
            },
        )
        .unwrap()
}

/// Staff accounts added by `manager`, each signed in once to change its
/// first password `first` to `password` (as a new member of staff does at
/// the first sign-in), so a test can sign them in with `password`.
pub fn add_ready_staff(
    store: &mut Store,
    manager: &StaffSession,
    staff: &[(&str, Role)],
    first: &str,
    password: &str,
) {
    for &(id, role) in staff {
        store.add_staff(manager, id, role, first).unwrap();
        let mut s = store.sign_in(id, first).unwrap();
        store.change_password(&mut s, password).unwrap();
        store.sign_out(&s).unwrap();
    }
}

/// A test card (ISO 14443 A) by its identifier in hex.
pub fn card(hex: &str) -> tsudoi_hw::CardId {
    tsudoi_hw::CardId::from_hex(tsudoi_hw::Technology::Iso14443A, hex).unwrap()
}
