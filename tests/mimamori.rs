//! 見守り (issue 15): the list of regulars who stopped coming, computed by
//! the store over a synthetic year with hobby groups and other activities,
//! and recomputed independently by a short Python program that reads the
//! raw attendance with Python's own sqlite3 module. Then the command line:
//! `tsudoi mimamori [--json]`, `mimamori record`, the reminder after two
//! unanswered calls, roles, audit. Every name and number is invented.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use common::cli::{Env, code, days_from_today, text};
use common::{Rng, date, fixture_on, resident};
use tsudoi::store::groups::{NewGroup, Schedule, WatchRule};
use tsudoi::store::mimamori::{Outcome, WatchCandidate};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::ward_roster::ImportSource;

/// The rule written out in Python, straight from docs/dev/groups.md, over
/// the raw tables: no SQL joins, every attendance row looked at.
const INDEPENDENT: &str = r#"
import sqlite3, sys, datetime
from collections import defaultdict
db, today, N, M, K = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
day = lambda s: datetime.date.fromisoformat(s)
today = day(today)
con = sqlite3.connect(db)
groups = {}
for gid, name, n, m, k in con.execute(
        "SELECT id, name, watch_visits, watch_weeks, watch_absent_weeks FROM hobby_groups"):
    groups[gid] = (name, n, m, k)
group_of = {}
for sid, gid in con.execute("SELECT session_id, group_id FROM group_sessions"):
    if sid is not None:
        group_of[sid] = gid
sessions = {}
for sid, d, program, title in con.execute("SELECT id, date, program_id, title FROM sessions"):
    sessions[sid] = (day(d), program, title)
def context(sid):
    if sid in group_of:
        g = group_of[sid]
        name, n, m, k = groups[g]
        return ("g", g), name, (n, m, k)
    d, program, title = sessions[sid]
    return ("a", program, title), title, (N, M, K)
held = defaultdict(list)
for sid, (d, _, _) in sessions.items():
    held[context(sid)[0]].append(d)
visits = defaultdict(list)
for pid, sid in con.execute("SELECT participant_id, session_id FROM attendance"):
    d = sessions[sid][0]
    if d <= today:
        visits[pid].append((d, sid))
calls = defaultdict(list)
for pid, outcome, on in con.execute(
        "SELECT participant_id, outcome, called_on FROM watch_calls ORDER BY called_on, recorded_at"):
    calls[pid].append((outcome, day(on)))
for pid in sorted(visits):
    vs = visits[pid]
    last_any = max(d for d, _ in vs)
    places = []
    for key in sorted(set(context(sid)[0] for _, sid in vs)):
        mine = [d for d, sid in vs if context(sid)[0] == key]
        name, rule = [(context(sid)[1], context(sid)[2]) for _, sid in vs if context(sid)[0] == key][0]
        n, m, k = rule
        recent = [d for d in mine if today - datetime.timedelta(weeks=m) <= d <= today]
        last_here = max(mine)
        held_after = any(last_here < h <= today for h in held[key])
        if len(recent) >= n and last_any <= today - datetime.timedelta(weeks=k) and held_after:
            places.append(name)
    if not places:
        continue
    since = [(o, d) for o, d in calls[pid] if d > last_any]
    if since and since[-1][0] == "declined":
        continue
    no_answer = sum(1 for o, _ in since if o == "no_answer")
    last = "%s@%s" % since[-1] if since else "-"
    print("%s|%s|%s|%s|%d" % (pid, last_any, ",".join(sorted(places)), last, no_answer))
"#;

fn line(c: &WatchCandidate) -> String {
    let mut places: Vec<&str> = c.contexts.iter().map(|x| x.name.as_str()).collect();
    places.sort();
    format!(
        "{}|{}|{}|{}|{}",
        c.participant_id,
        c.last_visit,
        places.join(","),
        c.last_outcome
            .map(|(o, d)| format!("{}@{d}", o.code()))
            .unwrap_or_else(|| "-".into()),
        c.no_answer
    )
}

fn python(db: &Path, today: NaiveDate, rule: WatchRule) -> Vec<String> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(INDEPENDENT)
        .arg(db)
        .arg(today.to_string())
        .arg(rule.visits.to_string())
        .arg(rule.weeks.to_string())
        .arg(rule.absent_weeks.to_string())
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

/// One synthetic person's habit over the year.
#[derive(Debug, Clone, Copy)]
enum Habit {
    /// Comes to most meetings all year.
    Regular,
    /// Comes now and then.
    Occasional,
    /// A regular who stops on the given day.
    StopsOn(NaiveDate),
}

#[test]
fn the_list_over_a_synthetic_year_matches_an_independent_computation() {
    let today = date(2026, 12, 3);
    let start = date(2025, 12, 1);
    let mut f = fixture_on(today);
    let kana = ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ"];
    let digits = |i: u32| -> String {
        format!("{i:03}")
            .chars()
            .map(|c| kana[c.to_digit(10).unwrap() as usize])
            .collect()
    };

    // Three groups meeting all year; 囲碁クラブ watches with its own rule.
    let mut groups = Vec::new();
    for (name, schedule) in [
        ("ローズ会", "第1・第3火曜 13:30-15:30"),
        ("囲碁クラブ", "毎週金曜 10:00-12:00"),
        ("書道の会", "第2・第4水曜 10:00-12:00"),
    ] {
        let (id, _) = f
            .store
            .add_group(
                &f.manager,
                NewGroup {
                    name: name.into(),
                    schedule: Schedule::parse(schedule).unwrap(),
                    room: "多目的室".into(),
                    from: start,
                    until: today + Duration::days(30),
                },
            )
            .unwrap();
        groups.push((name, id));
    }
    f.store
        .set_group_watch(
            &f.manager,
            "囲碁クラブ",
            WatchRule {
                visits: 3,
                weeks: 6,
                absent_weeks: 2,
            },
        )
        .unwrap();
    // 書道の会 takes a break for the last five weeks: its regulars are not flagged.
    let rest = f
        .store
        .group_sessions("書道の会", today - Duration::weeks(5))
        .unwrap();
    for s in rest.iter().filter(|s| s.planned_date <= today) {
        f.store
            .cancel_group_session(&f.manager, "書道の会", s.planned_date)
            .unwrap();
    }

    // 60 members from the ward's roster (some in two groups).
    let mut roster = String::from("グループ名,氏名,ふりがな,電話番号\n");
    for i in 0..60u32 {
        let (g, _) = groups[(i % 3) as usize];
        roster.push_str(&format!(
            "{g},試験 会員{i:03},シケン {},03{:08}\n",
            digits(i),
            55_550_000 + i
        ));
        if i % 10 == 0 {
            let (g2, _) = groups[((i + 1) % 3) as usize];
            roster.push_str(&format!(
                "{g2},試験 会員{i:03},シケン {},03{:08}\n",
                digits(i),
                55_550_000 + i
            ));
        }
    }
    let report = f
        .store
        .import_roster(
            &f.manager,
            roster.as_bytes(),
            &ImportSource {
                file_name: "roster.csv".into(),
                medium: "test".into(),
                sha256: "0".repeat(64),
            },
            false,
        )
        .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // 30 residents registered at the desk for the weekly activities.
    let mut residents = Vec::new();
    for i in 0..30u32 {
        residents.push(
            f.store
                .register(
                    &f.manager,
                    resident(
                        &format!("試験 住民{i:03}"),
                        &format!("ジュウミン {}", digits(i)),
                        &format!("090{:08}", 55_560_000 + i),
                        date(1950, 1, 1),
                    ),
                )
                .unwrap(),
        );
    }
    // 体操教室 every Monday, 交流サロン every Thursday, all year.
    let mut d = start;
    while d <= today + Duration::days(14) {
        let wd = d.weekday().num_days_from_monday();
        let title = match wd {
            0 => Some(("体操教室", Program::Kaigo)),
            3 => Some(("交流サロン", Program::Koryu)),
            _ => None,
        };
        if let Some((title, program)) = title {
            f.store
                .add_session(
                    &f.manager,
                    NewSession {
                        program,
                        date: d,
                        start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                        end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                        title: title.into(),
                        capacity: None,
                        mode: SessionMode::Open,
                    },
                )
                .unwrap();
        }
        d += Duration::days(1);
    }

    // The year's attendance, written straight into the file.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let members: Vec<(String, String)> = conn
        .prepare("SELECT participant_id, group_id FROM group_members")
        .unwrap()
        .query_map([], |r| Ok((r.get(0).unwrap(), r.get(1).unwrap())))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let sessions: Vec<(String, String, Option<String>, String)> = conn
        .prepare(
            "SELECT s.id, s.date, gs.group_id, s.title FROM sessions s
             LEFT JOIN group_sessions gs ON gs.session_id = s.id WHERE s.date <= ?1",
        )
        .unwrap()
        .query_map([today.to_string()], |r| {
            Ok((
                r.get(0).unwrap(),
                r.get(1).unwrap(),
                r.get(2).unwrap(),
                r.get(3).unwrap(),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let seed = 0x15_0003;
    eprintln!("seed {seed:#x}");
    let mut rng = Rng(seed);
    let habit = |rng: &mut Rng| match rng.below(10) {
        0..=3 => Habit::Regular,
        4..=5 => Habit::Occasional,
        _ => Habit::StopsOn(today - Duration::days(rng.below(84) as i64)),
    };
    // Who goes where: members to their groups; residents to one or both
    // activities; a few members also to 交流サロン.
    let mut goes: Vec<(String, Option<String>, Option<&str>, Habit)> = Vec::new();
    for (pid, gid) in &members {
        goes.push((pid.clone(), Some(gid.clone()), None, habit(&mut rng)));
        if rng.below(8) == 0 {
            goes.push((pid.clone(), None, Some("交流サロン"), habit(&mut rng)));
        }
    }
    for (i, pid) in residents.iter().enumerate() {
        goes.push((pid.clone(), None, Some("体操教室"), habit(&mut rng)));
        if i % 3 == 0 {
            goes.push((pid.clone(), None, Some("交流サロン"), habit(&mut rng)));
        }
    }
    let mut rows = 0;
    let tx = conn.unchecked_transaction().unwrap();
    for (pid, gid, title, h) in &goes {
        for (sid, day, sgid, stitle) in &sessions {
            let here = match (gid, title) {
                (Some(g), _) => sgid.as_deref() == Some(g.as_str()),
                (None, Some(t)) => sgid.is_none() && stitle == t,
                _ => false,
            };
            if !here {
                continue;
            }
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            let p = match h {
                Habit::Regular => 85,
                Habit::Occasional => 25,
                Habit::StopsOn(stop) if day < *stop => 90,
                Habit::StopsOn(_) => 0,
            };
            if rng.below(100) < p {
                let n = tx
                    .execute(
                        "INSERT OR IGNORE INTO attendance (id, participant_id, session_id, checked_in_at, method)
                         VALUES (?1, ?2, ?3, ?4, 'card')",
                        rusqlite::params![
                            uuid::Uuid::new_v4().to_string(),
                            pid,
                            sid,
                            format!("{day}T10:05:00+09:00")
                        ],
                    )
                    .unwrap();
                rows += n;
            }
        }
    }
    tx.commit().unwrap();
    eprintln!("{} sessions, {rows} check-ins", sessions.len());
    assert!(rows > 3000, "{rows}");

    let rule = WatchRule::default();
    let first = f.store.watch_candidates(today, rule).unwrap();
    assert!(first.len() >= 5, "too few to test: {}", first.len());
    // Someone of a group with its own rule, and someone of an activity.
    assert!(
        first
            .iter()
            .any(|c| c.contexts.iter().any(|x| x.name == "囲碁クラブ"))
    );
    assert!(
        first
            .iter()
            .any(|c| c.contexts.iter().any(|x| x.kind == "activity"))
    );
    assert!(
        !first
            .iter()
            .any(|c| c.contexts.iter().any(|x| x.name == "書道の会"))
    );
    let mine: Vec<String> = first.iter().map(line).collect();
    let mut theirs = python(&f.path, today, rule);
    theirs.sort();
    let mut sorted = mine.clone();
    sorted.sort();
    assert_eq!(sorted, theirs);

    // Calls: two unanswered bring the reminder; 辞退 takes the person off;
    // 元気だった keeps them on with the outcome shown.
    let a = &first[0].participant_id;
    let b = &first[1].participant_id;
    let c = &first[2].participant_id;
    let r = f
        .store
        .record_watch_call(&f.manager, a, Outcome::NoAnswer, today - Duration::days(2))
        .unwrap();
    assert!(!r.remind);
    let r = f
        .store
        .record_watch_call(&f.manager, a, Outcome::NoAnswer, today)
        .unwrap();
    assert!(r.remind && r.no_answer == 2);
    f.store
        .record_watch_call(&f.manager, b, Outcome::Declined, today)
        .unwrap();
    f.store
        .record_watch_call(&f.manager, c, Outcome::Well, today)
        .unwrap();
    assert!(
        f.store
            .record_watch_call(&f.manager, c, Outcome::Well, today + Duration::days(1))
            .is_err()
    );
    let second = f.store.watch_candidates(today, rule).unwrap();
    assert_eq!(second.len(), first.len() - 1);
    assert!(!second.iter().any(|x| &x.participant_id == b));
    let ca = second.iter().find(|x| &x.participant_id == a).unwrap();
    assert_eq!(ca.no_answer, 2);
    let cc = second.iter().find(|x| &x.participant_id == c).unwrap();
    assert_eq!(cc.last_outcome, Some((Outcome::Well, today)));
    let mut mine: Vec<String> = second.iter().map(line).collect();
    mine.sort();
    let mut theirs = python(&f.path, today, rule);
    theirs.sort();
    assert_eq!(mine, theirs);

    // A week later, with another default rule, the two still agree.
    let later = today + Duration::days(7);
    let other = WatchRule {
        visits: 2,
        weeks: 12,
        absent_weeks: 4,
    };
    let mut mine: Vec<String> = f
        .store
        .watch_candidates(later, other)
        .unwrap()
        .iter()
        .map(line)
        .collect();
    mine.sort();
    let mut theirs = python(&f.path, later, other);
    theirs.sort();
    assert_eq!(mine, theirs);

    // The list with names and phones is audited per person shown.
    let before = f.store.audit_entries(100_000).unwrap().len();
    let list = f.store.watch_list(&f.manager, rule).unwrap();
    let after = f.store.audit_entries(100_000).unwrap();
    assert_eq!(after.len() - before, list.len());
    assert!(
        after
            .iter()
            .rev()
            .take(list.len())
            .all(|e| e.action == "watch_list")
    );
    assert!(
        list.iter()
            .all(|e| e.phone.starts_with("03") || e.phone.starts_with("090"))
    );

    // How long the list takes over the year (printed; the benchmark has the figure).
    let t = std::time::Instant::now();
    let n = f.store.watch_candidates(today, rule).unwrap().len();
    eprintln!(
        "見守り over the synthetic year: {n} listed in {:?} (debug build)",
        t.elapsed()
    );
}

#[test]
fn the_command_line_lists_records_reminds_and_checks_roles() {
    let env = Env::new();
    let config = env.path("config.toml");
    let mut c = std::fs::read_to_string(&config).unwrap();
    c.push_str("\n[mimamori]\ncenter = \"試験町高齢者総合相談センター\"\n");
    std::fs::write(&config, c).unwrap();
    env.init();
    env.add_staff("unei01", "operator");
    env.add_staff("tanto01", "handler");
    // A weekly group that met for the last 10 weeks and meets today.
    env.staff(&[
        "group",
        "add",
        "--name",
        "ローズ会",
        "--schedule",
        &weekly_today(),
        "--room",
        "多目的室",
        "--from",
        &days_from_today(-70),
        "--until",
        &days_from_today(0),
    ]);
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("r.csv");
    std::fs::write(
        &file,
        "グループ名,氏名,ふりがな,電話番号\nローズ会,試験 花子,しけん はなこ,03-5555-0101\nローズ会,見本 一郎,みほん いちろう,090-5555-0102\n",
    )
    .unwrap();
    env.staff(&["group", "import", file.to_str().unwrap()]);
    let db = env.store();
    // 花子 came to the meetings 10 to 5 weeks ago; 一郎 to every one until last week.
    let sql = format!(
        "INSERT INTO attendance (id, participant_id, session_id, checked_in_at, method)
         SELECT lower(hex(randomblob(16))), m.participant_id, s.id, s.date || 'T13:35:00+09:00', 'card'
         FROM group_members m, sessions s
         WHERE (m.participant_id IN (SELECT participant_id FROM group_members ORDER BY participant_id LIMIT 1 OFFSET 0)
                AND s.date BETWEEN '{}' AND '{}')
            OR (m.participant_id IN (SELECT participant_id FROM group_members ORDER BY participant_id LIMIT 1 OFFSET 1)
                AND s.date BETWEEN '{}' AND '{}');",
        days_from_today(-70),
        days_from_today(-35),
        days_from_today(-70),
        days_from_today(-7),
    );
    let out = Command::new("sqlite3").arg(&db).arg(&sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first: String = sqlite(
        &db,
        "SELECT participant_id FROM group_members ORDER BY participant_id LIMIT 1 OFFSET 0",
    );

    let out = env.staff(&["mimamori", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["participant_id"], first.as_str());
    assert_eq!(list[0]["last_visit"], days_from_today(-35).as_str());
    assert_eq!(list[0]["contexts"][0]["name"], "ローズ会");
    // 10 to 5 weeks ago: 4 of those visits fall in the last 8 weeks.
    assert_eq!(list[0]["contexts"][0]["visits"], 4);
    assert!(list[0]["reminder"].is_null());
    let phone = list[0]["phone"].as_str().unwrap().to_owned();
    assert!(phone == "03-5555-0101" || phone == "090-5555-0102");
    let out = env.staff(&["mimamori"]);
    let shown = text(&out.stdout);
    assert!(shown.contains("おやすみが続いている方（1人）"), "{shown}");
    assert!(shown.contains(&phone), "{shown}");

    let short: String = first.chars().take(8).collect();
    let out = env.run_as(
        "tanto01",
        &["mimamori", "record", &short, "--outcome", "no-answer"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("相談センター"));
    let out = env.run_as(
        "tanto01",
        &["mimamori", "record", &short, "--outcome", "no-answer"],
    );
    assert!(
        text(&out.stdout).contains("試験町高齢者総合相談センターにお知らせ"),
        "{}",
        text(&out.stdout)
    );
    let out = env.staff(&["mimamori", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["no_answer"], 2);
    assert!(list[0]["reminder"].as_str().unwrap().contains("試験町"));
    let out = env.staff(&["mimamori"]);
    assert!(text(&out.stdout).contains("試験町高齢者総合相談センター"));

    // Operators: neither the list nor a record; a bad outcome is input.
    let out = env.run_as(
        "unei01",
        &["mimamori", "record", &short, "--outcome", "well"],
    );
    assert_eq!(code(&out), 3);
    let out = env.run_as(
        "tanto01",
        &["mimamori", "record", &short, "--outcome", "fine"],
    );
    assert_eq!(code(&out), 2);
    let out = env.run_as(
        "tanto01",
        &[
            "mimamori",
            "record",
            &short,
            "--outcome",
            "well",
            "--on",
            &days_from_today(3),
        ],
    );
    assert_eq!(code(&out), 2);

    // 辞退: off the list.
    env.staff(&["mimamori", "record", &short, "--outcome", "declined"]);
    let out = env.staff(&["mimamori", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);

    // Per group: 一郎 (absent one week) is listed when the group says 1 week.
    env.staff(&[
        "group",
        "watch",
        "ローズ会",
        "--visits",
        "3",
        "--weeks",
        "8",
        "--absent-weeks",
        "1",
    ]);
    let out = env.staff(&["mimamori", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_ne!(list[0]["participant_id"], first.as_str());

    let audit = sqlite(
        &db,
        "SELECT group_concat(action || ':' || result, ' ') FROM audit WHERE action LIKE 'watch_%'",
    );
    assert_eq!(audit.matches("watch_call:no_answer").count(), 2, "{audit}");
    assert!(audit.contains("watch_call:declined"), "{audit}");
    assert!(audit.contains("watch_list:listed"), "{audit}");
    assert_eq!(sqlite(&db, "SELECT count(*) FROM watch_calls"), "3");
    // Outcomes are codes; nothing personal in the row or the audit log.
    for secret in ["試験", "見本", "5555"] {
        assert!(!sqlite(&db, "SELECT * FROM watch_calls").contains(secret));
        assert!(!audit.contains(secret));
    }
}

fn sqlite(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// "毎週X曜 13:30-15:30" for today's weekday (system clock).
fn weekly_today() -> String {
    let today = NaiveDate::parse_from_str(&days_from_today(0), "%Y-%m-%d").unwrap();
    let w =
        ["月", "火", "水", "木", "金", "土", "日"][today.weekday().num_days_from_monday() as usize];
    format!("毎週{w}曜 13:30-15:30")
}
