//! A synthetic year: about 4,000 invented residents, twelve months of
//! sessions and about 60,000 check-ins ending today. The same seed gives the
//! same people, sessions and visits (ciphertexts differ: nonces are random).
//!
//! Everything here is invented. Names are common Japanese names combined at
//! random; phone numbers are drawn at random; no record describes a real person.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::params;

use crate::clock::{Clock, FixedClock};
use crate::crypto::KdfParams;
use crate::eligibility::{self, PostalTable};
use crate::error::Result;
use crate::jp_date;
use crate::store::audit::AuditAction;
use crate::store::participants::{Basis, DocumentKind, ParticipantRow, insert_participant};
use crate::store::sessions::{Program, SessionMode};
use crate::store::{Policy, Store, record_in};

/// The demo manager's staff id.
pub const DEMO_MANAGER: &str = "demo-manager";
/// The demo manager's password when `TSUDOI_PASSWORD` is not set.
pub const DEMO_PASSWORD: &str = "tsudoi-demo-2026!";

/// Demo cards, so the kiosk can be tried without real cards.
pub mod cards {
    /// A resident who may check in today.
    pub const KNOWN_RESIDENT: &str = "0401020304050607";
    /// A resident whose ID check is more than a year old.
    pub const REVERIFY_RESIDENT: &str = "0401020304050608";
    /// A card no one has registered.
    pub const UNKNOWN: &str = "04A0B0C0D0E0F0";
    /// A resident who won a seat in today's lottery class.
    pub const CLASS_WINNER: &str = "0401020304050609";
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoSpec {
    /// Seed of the random generator that picks the invented people, sessions and visits.
    pub seed: u64,
    /// Invented residents to register.
    pub residents: usize,
    /// Check-ins to aim at over the year; session sizes are scaled towards it, so the result is
    /// close, not exact.
    pub target_visits: usize,
    /// The last day of the synthetic year (normally today).
    pub end: NaiveDate,
}

impl DemoSpec {
    /// The standard demonstration: 4,000 residents and about 60,000 check-ins in the year up to
    /// `end`.
    pub fn year_ending(end: NaiveDate, seed: u64) -> Self {
        Self {
            seed,
            residents: 4_000,
            target_visits: 60_000,
            end,
        }
    }
}

/// The policy of a throwaway store of invented data (practice, the
/// screenshots): light Argon2, so sign-ins stay quick on a Pi.
pub fn throwaway_policy() -> Policy {
    Policy {
        kdf: KdfParams::testing(),
        ..Policy::default()
    }
}

/// The small invented year that training practice and the screenshots
/// build on: 40 residents and about 200 check-ins up to `today`, a clock
/// fixed at 10:30 JST that day, and light Argon2 (a throwaway file of
/// invented data: sign-ins stay quick on a Pi).
pub struct SmallDemo {
    /// What to generate.
    pub spec: DemoSpec,
    /// The store's policy (light key derivation).
    pub policy: Policy,
    /// At 10:30 on `today`, JST.
    pub clock: Arc<FixedClock>,
}

impl SmallDemo {
    /// The small year ending on `today`, its people picked by `seed`.
    pub fn new(today: NaiveDate, seed: u64) -> SmallDemo {
        SmallDemo {
            spec: DemoSpec {
                residents: 40,
                target_visits: 200,
                ..DemoSpec::year_ending(today, seed)
            },
            policy: throwaway_policy(),
            clock: Arc::new(FixedClock::jst(today, 10, 30)),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Participants registered.
    pub participants: u64,
    /// Sessions created.
    pub sessions: u64,
    /// Check-ins recorded.
    pub visits: u64,
    /// The first day of the synthetic year.
    pub first_day: NaiveDate,
    /// The last day (the spec's `end`).
    pub last_day: NaiveDate,
}

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
];

const GIVEN: &[(&str, &str)] = &[
    ("和子", "カズコ"),
    ("幸子", "サチコ"),
    ("節子", "セツコ"),
    ("洋子", "ヨウコ"),
    ("恵子", "ケイコ"),
    ("京子", "キョウコ"),
    ("美智子", "ミチコ"),
    ("久子", "ヒサコ"),
    ("清", "キヨシ"),
    ("茂", "シゲル"),
    ("博", "ヒロシ"),
    ("実", "ミノル"),
    ("勇", "イサム"),
    ("進", "ススム"),
    ("正", "タダシ"),
    ("誠", "マコト"),
];

/// The furigana of the invented names (family, given), for benchmarks that
/// type names as staff would.
pub fn name_readings() -> impl Iterator<Item = (&'static str, &'static str)> {
    SURNAMES
        .iter()
        .flat_map(|(_, family)| GIVEN.iter().map(move |(_, given)| (*family, *given)))
}

const HOBBY_GROUPS: &[&str] = &[
    "囲碁の会",
    "俳句サークル",
    "書道の会",
    "うたごえ広場",
    "健康麻雀",
    "手芸サロン",
];
const CLASSES: &[&str] = &[
    "転倒予防体操",
    "お口の健康教室",
    "脳いきいき講座",
    "栄養と食事の教室",
];

/// A session the generator plans: program, title, times, capacity, mode,
/// and a typical head count.
type Planned = (
    Program,
    &'static str,
    NaiveTime,
    NaiveTime,
    Option<u32>,
    SessionMode,
    usize,
);

struct Person {
    id: String,
    registered: NaiveDate,
    reaches_60: NaiveDate,
    weight: f64,
}

fn uuid_from(rng: &mut ChaCha8Rng) -> String {
    let bytes: [u8; 16] = rng.random();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// Creates the demo store at `path` (or opens it if it is already there) and
/// returns it unlocked, signed in as the demo manager.
pub fn open_or_create(
    path: &Path,
    password: &str,
    spec: &DemoSpec,
    policy: Policy,
    clock: Arc<dyn Clock>,
) -> Result<(Store, crate::store::StaffSession, Option<DemoSummary>)> {
    let postal = PostalTable::shinjuku();
    if path.exists() {
        let mut store = Store::open(path, policy, postal, clock)?;
        let session = store.sign_in(DEMO_MANAGER, password)?;
        return Ok((store, session, None));
    }
    let (store, session, summary, _recovery) = create(path, password, spec, policy, clock)?;
    Ok((store, session, Some(summary)))
}

/// Creates a new demo store at `path` and keeps its recovery key (the
/// erasure benchmark needs it). The file is built under a temporary name.
pub fn create(
    path: &Path,
    password: &str,
    spec: &DemoSpec,
    policy: Policy,
    clock: Arc<dyn Clock>,
) -> Result<(
    Store,
    crate::store::StaffSession,
    DemoSummary,
    crate::crypto::RecoveryKey,
)> {
    let postal = PostalTable::shinjuku();
    // Build under a temporary name and rename at the end, so an interrupted
    // run never leaves a half-filled store that a later run would reuse.
    let partial = path.with_extension("partial");
    for leftover in [partial.clone(), wal_of(&partial), shm_of(&partial)] {
        if leftover.exists() {
            std::fs::remove_file(&leftover)?;
        }
    }
    let built = build(&partial, password, spec, &policy, &postal, &clock);
    let (summary, recovery) = match built {
        Ok(done) => done,
        Err(e) => {
            // A half-made store (disk full, interrupted) is never left behind.
            for leftover in [partial.clone(), wal_of(&partial), shm_of(&partial)] {
                let _ = std::fs::remove_file(&leftover);
            }
            return Err(e);
        }
    };
    std::fs::rename(&partial, path)?;
    let mut store = Store::open(path, policy, postal, clock)?;
    let session = store.sign_in(DEMO_MANAGER, password)?;
    Ok((store, session, summary, recovery))
}

fn wal_of(p: &Path) -> std::path::PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}

fn shm_of(p: &Path) -> std::path::PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push("-shm");
    s.into()
}

/// Fills a fresh store with the synthetic year, in a few large transactions.
pub fn generate(
    store: &mut Store,
    staff: &crate::store::StaffSession,
    spec: &DemoSpec,
) -> Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let first_day = spec.end - Duration::days(364);
    let codes: Vec<_> = store
        .postal_table()
        .residences()
        .filter(|r| r.town.is_some())
        .collect();
    let bits = store.blind_bits();
    let staff_id = staff.staff_id().to_owned();
    let rules = store.policy().rules.clone();
    let now = store.now();

    // People. Registration days cluster at the start (the space opened then).
    let mut people: Vec<Person> = Vec::with_capacity(spec.residents);
    {
        let (tx, keys, _, _) = store.write_tx()?;
        for i in 0..spec.residents {
            let id = uuid_from(&mut rng);
            let (sur, sur_k) = SURNAMES[rng.random_range(0..SURNAMES.len())];
            let (giv, giv_k) = GIVEN[rng.random_range(0..GIVEN.len())];
            let phone = if rng.random_bool(0.6) {
                format!(
                    "0{}0{:08}",
                    [7, 8, 9][rng.random_range(0..3)],
                    i * 7919 % 100_000_000
                )
            } else {
                format!("035{:07}", rng.random_range(0..10_000_000))
            };
            let registered = if rng.random_bool(0.35) {
                first_day + Duration::days(rng.random_range(0..30))
            } else {
                first_day + Duration::days(rng.random_range(0..365))
            };
            // Ages 60 to 95 on the day they registered, more of them younger.
            let age_days = 60 * 365 + 30 + (rng.random::<f64>().powf(1.6) * 35.0 * 365.0) as i64;
            let birth = registered - Duration::days(age_days);
            let ward = i % 10 == 0;
            let residence = &codes[rng.random_range(0..codes.len())];
            let document = (!ward).then(|| DocumentKind::ALL[rng.random_range(0..3)]);
            let fields = insert_participant(
                &tx,
                keys,
                bits,
                &ParticipantRow {
                    id: &id,
                    name: &format!("{sur} {giv}"),
                    kana: &format!("{sur_k} {giv_k}"),
                    phone: &phone,
                    birth_date: Some(birth),
                    postal_code: Some(residence.code.digits()),
                    town: residence.town.as_deref(),
                    address: None,
                    basis: if ward {
                        Basis::WardProvided
                    } else {
                        Basis::SelfPresented
                    },
                    document,
                    verified: (!ward).then_some((registered, staff_id.as_str())),
                    consent_on: registered,
                },
                &now,
            )?;
            record_in(
                &tx,
                keys,
                &now,
                &staff_id,
                AuditAction::Create,
                &id,
                &fields,
                "demo",
            )?;
            // Four in five residents carry a card; the first two are the documented demo cards.
            if let Some(uid) = card_uid(spec.seed, i) {
                let tech = card_technology(i);
                let card_id = uuid_from(&mut rng);
                let card = tsudoi_hw::CardId::new(tech, &uid).map_err(|e| {
                    crate::kiosk::error::KioskError::DemoCard {
                        detail: e.to_string(),
                    }
                })?;
                crate::store::participants::insert_card(
                    &tx, keys, bits, &card_id, &id, &card, &now, &staff_id,
                )?;
            }
            let reaches_60 = eligibility::reaches_age_on(birth, rules.minimum_age);
            people.push(Person {
                id,
                registered,
                reaches_60,
                weight: 0.2 + rng.random::<f64>().powi(3) * 3.0,
            });
        }
        // The second demo card's holder was checked 13 months ago.
        let stale = spec.end - Duration::days(400);
        tx.execute(
            "UPDATE participants SET verified_on = ?2, consent_on = ?2, basis = 'self' WHERE id = ?1",
            params![people[1].id, stale],
        )?;
        people[1].registered = stale;
        people[0].registered = first_day;
        // The third demo card's holder registered on the first day, in time
        // to apply for today's lottery class.
        tx.execute(
            "UPDATE participants SET verified_on = ?2, consent_on = ?2, basis = 'self' WHERE id = ?1",
            params![people[2].id, first_day],
        )?;
        people[2].registered = first_day;
        tx.commit()?;
    }

    // Sessions for every weekday of the year, and today whatever day it is.
    let mut sessions: Vec<(String, NaiveDate, Program, usize, Option<u32>)> = Vec::new();
    // Lottery-class sessions by (ISO year and week, title): one class each.
    let mut class_sessions = ClassSessions::new();
    {
        let (tx, keys, _, _) = store.write_tx()?;
        let mut day = first_day;
        while day <= spec.end {
            let weekday = day.weekday();
            let mut plan: Vec<Planned> = Vec::new();
            let working = !matches!(weekday, Weekday::Sat | Weekday::Sun);
            if working || day == spec.end {
                plan.push((
                    Program::Koryu,
                    "交流サロン",
                    t(9, 0),
                    t(17, 0),
                    None,
                    SessionMode::Open,
                    95,
                ));
                let g = HOBBY_GROUPS[(day.ordinal() as usize) % HOBBY_GROUPS.len()];
                plan.push((
                    Program::Ikigai,
                    g,
                    t(13, 30),
                    t(15, 30),
                    None,
                    SessionMode::Open,
                    22,
                ));
            }
            // Today always has a lottery class, so the demo shows a class day.
            if matches!(weekday, Weekday::Tue | Weekday::Thu) || day == spec.end {
                let c = CLASSES[(day.iso_week().week() as usize) % CLASSES.len()];
                let lottery = day.iso_week().week().is_multiple_of(2) || day == spec.end;
                let mode = if lottery {
                    SessionMode::Lottery
                } else {
                    SessionMode::FirstCome
                };
                plan.push((Program::Kaigo, c, t(10, 0), t(11, 30), Some(30), mode, 28));
            }
            if day.day() == 15 && working {
                plan.push((
                    Program::Koryu,
                    "演芸大会",
                    t(14, 0),
                    t(16, 0),
                    None,
                    SessionMode::Open,
                    60,
                ));
            }
            for (program, title, start, end, cap, mode, typical) in plan {
                let id = uuid_from(&mut rng);
                tx.prepare_cached(
                    "INSERT INTO sessions (id, program_id, date, start_time, end_time, title, capacity, mode, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    id,
                    program.code(),
                    day,
                    start.format("%H:%M").to_string(),
                    end.format("%H:%M").to_string(),
                    title,
                    cap,
                    mode.code(),
                    now
                ])?;
                record_in(
                    &tx,
                    keys,
                    &now,
                    &staff_id,
                    AuditAction::SessionCreate,
                    &id,
                    &[],
                    "demo",
                )?;
                if mode == SessionMode::Lottery {
                    let week = day.iso_week();
                    class_sessions
                        .entry((week.year(), week.week(), title))
                        .or_default()
                        .push((id.clone(), day));
                }
                sessions.push((id, day, program, typical, cap));
            }
            day += Duration::days(1);
        }
        tx.commit()?;
    }

    let seats = demo_lottery_classes(
        store,
        &mut rng,
        &people,
        &class_sessions,
        &staff_id,
        spec.end,
    )?;

    // Visits: each past session draws attendees among those registered, 60+
    // on the day and checked within the last year; today's sessions stay empty.
    let typical_total: usize = sessions
        .iter()
        .filter(|s| s.1 < spec.end)
        .map(|s| s.3)
        .sum();
    let scale = spec.target_visits as f64 / typical_total.max(1) as f64;
    let max_weight = people.iter().map(|p| p.weight).fold(0.0, f64::max);
    let mut class_visits: Vec<(String, String, String)> = Vec::new();
    {
        let (tx, keys, _, _) = store.write_tx()?;
        let reverify = rules.reverify_after_months;
        for (sid, day, _program, typical, cap) in sessions.iter().filter(|s| s.1 < spec.end) {
            let pool: Vec<&Person> = people
                .iter()
                .filter(|p| {
                    p.registered <= *day
                        && p.reaches_60 <= *day
                        && *day
                            < eligibility::reverification_due_on(
                                p.registered,
                                &eligibility::Rules {
                                    minimum_age: 60,
                                    reverify_after_months: reverify,
                                },
                            )
                })
                .collect();
            // A lottery class's sessions are for its seat holders only.
            let pool: Vec<&Person> = match seats.get(sid.as_str()) {
                Some(holders) => pool
                    .into_iter()
                    .filter(|p| holders.contains(p.id.as_str()))
                    .collect(),
                None => pool,
            };
            if pool.is_empty() {
                continue;
            }
            let want = ((*typical as f64) * scale * rng.random_range(0.8..1.2)).round() as usize;
            let want = want
                .min(cap.map_or(usize::MAX, |c| c as usize))
                .min(pool.len());
            let mut chosen = std::collections::HashSet::with_capacity(want);
            let mut tries = 0;
            while chosen.len() < want && tries < want * 50 {
                tries += 1;
                let p = pool[rng.random_range(0..pool.len())];
                if rng.random::<f64>() * max_weight < p.weight {
                    chosen.insert(p.id.as_str());
                }
            }
            let mut chosen: Vec<&str> = chosen.into_iter().collect();
            chosen.sort_unstable();
            for pid in chosen {
                let minute = rng.random_range(0..120);
                let at = crate::clock::jst(*day, 9 + minute / 60, minute % 60)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
                if seats.contains_key(sid.as_str()) {
                    // Lottery classes go through the check-in rules below.
                    class_visits.push((pid.to_owned(), sid.clone(), at));
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO attendance (id, participant_id, session_id, checked_in_at, method, staff_id)
                     VALUES (?1, ?2, ?3, ?4, 'card', NULL)",
                )?
                .execute(params![uuid_from(&mut rng), pid, sid, at])?;
                record_in(
                    &tx,
                    keys,
                    &at,
                    "kiosk",
                    AuditAction::CheckIn,
                    pid,
                    &["session"],
                    "checked_in",
                )?;
            }
        }
        tx.commit()?;
    }
    // The seat holders of the lottery classes check in through the store's
    // own check-in (seat, age and ID-check rules, one transaction each), at
    // the time they came.
    for (pid, sid, at) in class_visits {
        store.check_in_at(&pid, &sid, at)?;
    }
    store.checkpoint()?;
    Ok(DemoSummary {
        participants: store.participant_count()?,
        sessions: store.session_count()?,
        visits: store.attendance_count()?,
        first_day,
        last_day: spec.end,
    })
}

/// Lottery-class sessions (id, date) by ISO year, week and title: one class each.
type ClassSessions = std::collections::BTreeMap<(i32, u32, &'static str), Vec<(String, NaiveDate)>>;

/// Seat holders per lottery-class session id.
type Seats = std::collections::HashMap<String, std::collections::HashSet<String>>;

/// `count` more invented residents, registered on `day` (at 10:00) and
/// never seen since: records past the retention period, for the retention
/// screen's screenshots. The same seed gives the same ids; audited as the
/// demo's records are. Returns their ids.
pub fn past_residents(
    store: &mut Store,
    staff_id: &str,
    day: NaiveDate,
    count: usize,
    seed: u64,
) -> Result<Vec<String>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let bits = store.blind_bits();
    let Some((code, town)) = store
        .postal_table()
        .residences()
        .find(|r| r.town.is_some())
        .map(|r| (r.code.digits().to_owned(), r.town.clone()))
    else {
        return Ok(Vec::new());
    };
    let at = crate::clock::jst(day, 10, 0).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let (tx, keys, _, _) = store.write_tx()?;
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let id = uuid_from(&mut rng);
        let (sur, sur_k) = SURNAMES[rng.random_range(0..SURNAMES.len())];
        let (giv, giv_k) = GIVEN[rng.random_range(0..GIVEN.len())];
        let phone = format!("0900{:07}", 5_550_000 + i);
        let fields = insert_participant(
            &tx,
            keys,
            bits,
            &ParticipantRow {
                id: &id,
                name: &format!("{sur} {giv}"),
                kana: &format!("{sur_k} {giv_k}"),
                phone: &phone,
                birth_date: Some(day - Duration::days(70 * 365 + 30 * i as i64)),
                postal_code: Some(&code),
                town: town.as_deref(),
                address: None,
                basis: Basis::SelfPresented,
                document: Some(DocumentKind::ALL[i % 3]),
                verified: Some((day, staff_id)),
                consent_on: day,
            },
            &at,
        )?;
        record_in(
            &tx,
            keys,
            &at,
            staff_id,
            AuditAction::Create,
            &id,
            &fields,
            "demo",
        )?;
        ids.push(id);
    }
    tx.commit()?;
    Ok(ids)
}

/// One drawn lottery class per week of lottery sessions: about 40 applicants
/// among those eligible then, 30 seats, a waiting list of 10. Demo card 1's
/// resident holds a seat in today's class, so a tap shows the class day.
fn demo_lottery_classes(
    store: &mut Store,
    rng: &mut ChaCha8Rng,
    people: &[Person],
    classes: &ClassSessions,
    staff_id: &str,
    today: NaiveDate,
) -> Result<Seats> {
    const CAPACITY: usize = 30;
    const WAITING: usize = 10;
    let mut seats = Seats::new();
    let (tx, keys, _, clock) = store.write_tx()?;
    let now = crate::store::now_text(clock);
    for ((_, _, title), dates) in classes {
        let Some(first) = dates.iter().map(|d| d.1).min() else {
            continue;
        };
        let (from, until, draw_on) = (
            first - Duration::days(30),
            first - Duration::days(20),
            first - Duration::days(15),
        );
        let class_id = uuid_from(rng);
        let drawn_at =
            crate::clock::jst(draw_on, 10, 0).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        tx.prepare_cached(
            "INSERT INTO lottery_classes (id, program_id, title, kind, term, capacity, waitlist_size,
                apply_from, apply_until, draw_on, priority, status, drawn_at, created_at)
             VALUES (?1, 'kaigo', ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'none', 'drawn', ?9, ?10)",
        )?
        .execute(params![
            class_id,
            title,
            jp_date::ym(first.year(), first.month()),
            CAPACITY as i64,
            WAITING as i64,
            from,
            until,
            draw_on,
            drawn_at,
            now
        ])?;
        for (sid, _) in dates {
            tx.prepare_cached(
                "INSERT INTO lottery_class_sessions (class_id, session_id) VALUES (?1, ?2)",
            )?
            .execute(params![class_id, sid])?;
        }
        let eligible: Vec<&Person> = people
            .iter()
            .filter(|p| p.registered <= until && p.reaches_60 <= first)
            .collect();
        let mut applicants: Vec<&str> = Vec::new();
        // Today's class: demo card 5's holder won entry 1; demo card 1's
        // holder did not apply (to any synthetic class), so their tap shows
        // why the class is not theirs.
        let is_today = dates.iter().any(|(_, d)| *d == today);
        if is_today && people[2].reaches_60 <= first {
            applicants.push(people[2].id.as_str());
        }
        let want = 40.min(eligible.len());
        let mut tries = 0;
        while applicants.len() < want && tries < want * 20 {
            tries += 1;
            let p = eligible[rng.random_range(0..eligible.len())].id.as_str();
            // Demo card 1's holder applies at the kiosk in the demo and the
            // screenshots; the synthetic classes leave them out.
            if p != people[0].id && !applicants.contains(&p) {
                applicants.push(p);
            }
        }
        let mut won = std::collections::HashSet::new();
        for (i, pid) in applicants.iter().enumerate() {
            let (status, rank) = if i < CAPACITY {
                ("won", None)
            } else if i < CAPACITY + WAITING {
                ("waiting", Some((i - CAPACITY + 1) as i64))
            } else {
                ("not_selected", None)
            };
            if status == "won" {
                won.insert((*pid).to_owned());
            }
            let app_id = uuid_from(rng);
            tx.prepare_cached(
                "INSERT INTO lottery_applications (id, class_id, participant_id, entry_number, tier,
                    status, waiting_rank, drawn_rank, applied_at, applied_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                app_id,
                class_id,
                pid,
                (i + 1) as i64,
                status,
                rank,
                (i + 1) as i64,
                crate::clock::jst(from, 10, 0).to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                staff_id,
                drawn_at
            ])?;
            crate::store::lottery::seal_application_link(&tx, keys, &app_id)?;
        }
        record_in(
            &tx,
            keys,
            &drawn_at,
            staff_id,
            AuditAction::Draw,
            &class_id,
            &[],
            "demo",
        )?;
        for (sid, _) in dates {
            seats.insert(sid.clone(), won.clone());
        }
    }
    tx.commit()?;
    Ok(seats)
}

/// The documented demo cards (residents 0–2) are ISO 14443-A; the rest FeliCa.
pub fn card_technology(i: usize) -> tsudoi_hw::Technology {
    if i < 3 {
        tsudoi_hw::Technology::Iso14443A
    } else {
        tsudoi_hw::Technology::Felica
    }
}

/// The card the demo gave resident number `i`, as a reader reads it.
pub fn card(seed: u64, i: usize) -> Option<tsudoi_hw::CardId> {
    tsudoi_hw::CardId::new(card_technology(i), &card_uid(seed, i)?).ok()
}

/// The card the demo gave resident number `i`, if any (benchmarks tap these).
pub fn card_uid(seed: u64, i: usize) -> Option<Vec<u8>> {
    match i {
        0 => Some(hex(cards::KNOWN_RESIDENT)),
        1 => Some(hex(cards::REVERIFY_RESIDENT)),
        2 => Some(hex(cards::CLASS_WINNER)),
        _ if i % 5 == 4 => None,
        _ => {
            let mut h = blake3::Hasher::new();
            h.update(b"tsudoi demo card");
            h.update(&seed.to_le_bytes());
            h.update(&(i as u64).to_le_bytes());
            let mut u = vec![0x01, 0x27];
            u.extend_from_slice(&h.finalize().as_bytes()[..6]);
            Some(u)
        }
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Fills a new store at `partial` with the synthetic data.
fn build(
    partial: &Path,
    password: &str,
    spec: &DemoSpec,
    policy: &Policy,
    postal: &PostalTable,
    clock: &Arc<dyn Clock>,
) -> Result<(DemoSummary, crate::crypto::RecoveryKey)> {
    let (mut store, mut session, recovery) = Store::create(
        partial,
        "デモ施設（架空のデータ）",
        DEMO_MANAGER,
        password,
        policy.clone(),
        postal.clone(),
        clock.clone(),
    )?;
    // The demo manager is documented, so the first-change rule is waived here.
    store.change_password(&mut session, password)?;
    let summary = generate(&mut store, &session, spec)?;
    store.checkpoint()?;
    Ok((summary, recovery))
}
