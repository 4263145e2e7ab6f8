//! The monthly report's hobby groups and 見守り (issue 15): a synthetic
//! October with three groups, members from the ward's roster (two linked to
//! desk records), meetings, check-ins and calls. The published
//! `tsudoi-2026-10-groups.csv` is read with Python's csv module and checked
//! against a recount by Python's sqlite3 module straight from the store's
//! tables; small cells are hidden (and the attack a published check-in
//! total would allow is performed); the PDF shows the section (pdftotext);
//! the ward's merge adds the counts of reports with and without them.
//! Every name and number is invented.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{Duration, NaiveTime};
use common::{date, fixture_on, resident};
use tsudoi::report::csv::Encoding;
use tsudoi::report::merge::{self, WardIdentity, WardRecipient};
use tsudoi::report::{Month, Wording, sign};
use tsudoi::store::groups::{NewGroup, Schedule};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::ward_roster::ImportSource;

/// The groups table recounted from the raw tables with the definitions of
/// docs/dev/reports.md restated, then every published cell compared: a
/// number must be the count, `<10` a count of 1–9, and no count of people
/// or calls from 1 to 9 may be shown. Prints the raw counts and the published cells as JSON.
const RECOUNT: &str = r#"
import csv, json, sqlite3, sys
db, groups_csv, sessions_csv, frm, to = sys.argv[1:6]
T = 9
con = sqlite3.connect(db)
groups = sum(1 for (c,) in con.execute("SELECT created_at FROM hobby_groups") if c[:10] <= to)
basis = dict(con.execute("SELECT id, basis FROM participants"))
ward, desk = set(), set()
for pid, added in con.execute("SELECT participant_id, added_at FROM group_members"):
    if added[:10] <= to:
        (ward if basis[pid] == 'ward' else desk).add(pid)
sessions = {sid: (d, title) for sid, d, title in con.execute("SELECT id, date, title FROM sessions")}
meetings = {sid for (sid,) in con.execute("SELECT session_id FROM group_sessions")
            if sid is not None and frm <= sessions[sid][0] <= to}
per_meeting = {sid: 0 for sid in meetings}
for (sid,) in con.execute("SELECT session_id FROM attendance"):
    if sid in per_meeting:
        per_meeting[sid] += 1
checkins = sum(per_meeting.values())
outcomes = ['well', 'unwell', 'hospital', 'no_answer', 'declined']
calls = dict.fromkeys(outcomes, 0)
for o, on in con.execute("SELECT outcome, called_on FROM watch_calls"):
    if frm <= on <= to:
        calls[o] += 1
raw = [groups, len(ward), len(desk), len(ward) + len(desk), len(meetings), checkins] \
    + [calls[o] for o in outcomes] + [sum(calls.values())]
rows = list(csv.reader(open(groups_csv, encoding='utf-8-sig', newline='')))
assert rows[0] == ['項目', '内訳', '数'], rows[0]
body = rows[1:]
assert len(body) == len(raw), (len(body), len(raw))
# Groups and meetings are not about people (like 開催回数): always shown.
for i, ((item, detail, cell), n) in enumerate(zip(body, raw)):
    if i in (0, 4):
        assert cell == str(n), (item, detail, cell, n)
    elif cell.isdigit():
        assert int(cell) == n, (item, detail, cell, n)
        assert not 1 <= n <= T, (item, detail, 'a small count is shown')
    elif cell == '<10':
        assert 1 <= n <= T, (item, detail, cell, n)
    else:
        assert cell == '秘匿', (item, detail, cell)

# The attack a published check-in total would allow: the meetings' rows of
# the per-session table, minus the shown ones, leave the hidden ones.
names = {t for (t,) in con.execute("SELECT name FROM hobby_groups")}
srows = list(csv.reader(open(sessions_csv, encoding='utf-8-sig', newline='')))[1:]
mine = [r for r in srows if r[1] == 'いきがいつくり支援' and r[2] in names]
hidden = [r for r in mine if not r[3].isdigit()]
residual = checkins - sum(int(r[3]) for r in mine if r[3].isdigit())
print(json.dumps({'raw': raw, 'published': [r[2] for r in body],
                  'hidden_meeting_rows': len(hidden), 'residual': residual}))
"#;

fn python(args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(RECOUNT)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "recount: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The synthetic month: a store whose October has groups, members, meetings,
/// check-ins and calls; the report is exported on 10 November.
fn october(dir: &Path, ward: &WardRecipient) -> (common::Fixture, tsudoi::report::Export) {
    let mut f = fixture_on(date(2026, 10, 1));
    for (name, schedule) in [
        ("ローズ会", "第1・第3火曜 13:30-15:30"),
        ("囲碁クラブ", "毎週金曜 10:00-12:00"),
        ("書道の会", "第2・第4水曜 10:00-12:00"),
    ] {
        f.store
            .add_group(
                &f.manager,
                NewGroup {
                    name: name.into(),
                    schedule: Schedule::parse(schedule).unwrap(),
                    room: "多目的室".into(),
                    from: date(2026, 10, 1),
                    until: date(2026, 11, 30),
                },
            )
            .unwrap();
    }
    // A class of いきがいつくり支援 that is not a group.
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Ikigai,
                date: date(2026, 10, 15),
                start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                title: "いきがい講座".into(),
                capacity: None,
                mode: SessionMode::Open,
            },
        )
        .unwrap();
    // Two people registered at the desk whom the roster names too.
    for i in 0..2u32 {
        f.store
            .register(
                &f.manager,
                resident(
                    &format!("窓口 住民{i}"),
                    &format!("マドグチ ジュウミン{}", ["イチ", "ニ"][i as usize]),
                    &format!("0355551{i:03}"),
                    date(1950, 1, 1),
                ),
            )
            .unwrap();
    }
    let groups = ["ローズ会", "囲碁クラブ", "書道の会"];
    let kana = ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ"];
    let mut roster = String::from("グループ名,氏名,ふりがな,電話番号\n");
    for i in 0..40u32 {
        let k: String = format!("{i:02}")
            .chars()
            .map(|c| kana[c.to_digit(10).unwrap() as usize])
            .collect();
        roster.push_str(&format!(
            "{},試験 会員{i:02},シケン {k},090{:08}\n",
            groups[(i % 3) as usize],
            55_550_000 + i
        ));
    }
    roster.push_str("ローズ会,窓口 住民0,まどぐち じゅうみんいち,03-5555-1000\n");
    roster.push_str("囲碁クラブ,窓口 住民1,まどぐち じゅうみんに,03-5555-1001\n");
    let source = ImportSource {
        file_name: "roster.csv".into(),
        medium: "test".into(),
        sha256: "0".repeat(64),
    };
    let r = f
        .store
        .import_roster(&f.manager, roster.as_bytes(), &source, false)
        .unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);

    // November: a new group and a new member, not October's.
    f.clock.advance(Duration::days(35));
    f.store
        .add_group(
            &f.manager,
            NewGroup {
                name: "俳句の会".into(),
                schedule: Schedule::parse("第1月曜 10:00-12:00").unwrap(),
                room: "和室".into(),
                from: date(2026, 11, 5),
                until: date(2026, 11, 30),
            },
        )
        .unwrap();
    let r = f
        .store
        .import_roster(
            &f.manager,
            "グループ名,氏名,ふりがな,電話番号\n俳句の会,試験 新人,シケン シンジン,090-5555-9999\n"
                .as_bytes(),
            &source,
            false,
        )
        .unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);

    // October's check-ins, written straight into the file: every meeting
    // has 10 or more, except the first ローズ会 (4); いきがい講座 has 11.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let people: Vec<String> = conn
        .prepare("SELECT id FROM participants ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let sessions: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT id, date, title FROM sessions WHERE date BETWEEN '2026-10-01' AND '2026-10-31'
             ORDER BY date, title",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sessions.len(), 10, "9 meetings and the class");
    for (k, (sid, day, title)) in sessions.iter().enumerate() {
        let n = match (title.as_str(), day.as_str()) {
            ("ローズ会", "2026-10-06") => 4,
            ("いきがい講座", _) => 11,
            _ => 12 + k,
        };
        for pid in people.iter().skip(k).take(n) {
            conn.execute(
                "INSERT INTO attendance (id, participant_id, session_id, checked_in_at, method)
                 VALUES (?1, ?2, ?3, ?4, 'card')",
                rusqlite::params![
                    uuid::Uuid::new_v4().to_string(),
                    pid,
                    sid,
                    format!("{day}T10:05:00+09:00")
                ],
            )
            .unwrap();
        }
    }
    // Calls: 12 元気だった, 3 体調をくずしていた, 11 連絡がつかない in
    // October; some in September and November that do not count.
    let mut calls = vec![("well", 12), ("unwell", 3), ("no_answer", 11)];
    calls.extend([("declined", 0), ("hospital", 0)]);
    let mut k = 0;
    for (outcome, n) in calls {
        for _ in 0..n {
            k += 1;
            conn.execute(
                "INSERT INTO watch_calls (id, participant_id, outcome, called_on, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, '2026-10-31T10:00:00+09:00', 'kanri01')",
                rusqlite::params![
                    uuid::Uuid::new_v4().to_string(),
                    people[k % people.len()],
                    outcome,
                    format!("2026-10-{:02}", 1 + k % 31)
                ],
            )
            .unwrap();
        }
    }
    for on in ["2026-09-30", "2026-11-01"] {
        conn.execute(
            "INSERT INTO watch_calls (id, participant_id, outcome, called_on, recorded_at, recorded_by)
             VALUES (?1, ?2, 'hospital', ?3, '2026-11-01T10:00:00+09:00', 'kanri01')",
            rusqlite::params![uuid::Uuid::new_v4().to_string(), people[0], on],
        )
        .unwrap();
    }
    drop(conn);
    let export = f
        .store
        .export_report_for(
            &f.manager,
            Month::parse("2026-10").unwrap(),
            dir,
            Encoding::Utf8Bom,
            Wording::default(),
            Some(ward),
        )
        .unwrap();
    (f, export)
}

#[test]
fn the_groups_table_matches_a_recount_hides_small_cells_and_merges() {
    let work = tempfile::tempdir().unwrap();
    let (identity_text, public) = merge::generate_ward_key();
    let identity_path = work.path().join("ward.key");
    std::fs::write(&identity_path, identity_text.as_bytes()).unwrap();
    let ward = WardRecipient::parse(&public).unwrap();
    let dir = work.path().join("site-a");
    let (f, export) = october(&dir, &ward);

    // The new file is signed with the others; every old file is still there.
    let groups_csv = dir.join("tsudoi-2026-10-groups.csv");
    assert!(
        export
            .files
            .contains(&"tsudoi-2026-10-groups.csv".to_owned())
    );
    for old in ["programs", "sessions", "age-bands", "towns", "fiscal-year"] {
        assert!(dir.join(format!("tsudoi-2026-10-{old}.csv")).exists());
    }
    let key = sign::parse_public_key(&export.public_key).unwrap();
    sign::verify_dir(&dir, Some(&key)).unwrap();

    let got = python(&[
        f.path.to_str().unwrap(),
        groups_csv.to_str().unwrap(),
        dir.join("tsudoi-2026-10-sessions.csv").to_str().unwrap(),
        "2026-10-01",
        "2026-10-31",
    ]);
    let raw: Vec<u64> = serde_json::from_value(got["raw"].clone()).unwrap();
    let published: Vec<String> = serde_json::from_value(got["published"].clone()).unwrap();
    eprintln!("raw {raw:?}\npublished {published:?}");
    // 3 groups in October (俳句の会 came in November); 40 ward members and
    // 2 linked desk records (the November member is not October's); 9
    // meetings; 26 calls.
    assert_eq!(raw[..5], [3, 40, 2, 42, 9]);
    assert_eq!(raw[6..], [12, 3, 0, 11, 0, 26]);
    // Members: 2 is small, and 42 − 40 would give it away: 40 goes too.
    assert_eq!(published[..5], ["3", "秘匿", "<10", "42", "9"]);
    // Calls: 3 is small, and 26 − 12 − 11 would give it away: 11 goes too.
    assert_eq!(published[6..], ["12", "<10", "0", "秘匿", "0", "26"]);
    // Check-ins: the per-session table shows every meeting but the small
    // one (いきがい講座's 11 was hidden to protect it against the
    // program's total), so the meetings' total minus the shown meetings
    // would be that small count: the total is hidden.
    assert_eq!(got["hidden_meeting_rows"], 1);
    assert_eq!(got["residual"], 4, "the attack works on the raw total");
    assert_eq!(published[5], "秘匿");

    // The PDF's section.
    let text = pdftotext(&dir.join("tsudoi-2026-10-summary.pdf"));
    assert!(text.contains("自主活動グループと見守り"), "{text}");
    assert!(text.contains("グループ数 3"), "{text}");
    assert!(
        text.contains("会員数（実人数）42（区から提供 秘匿・窓口で登録済み <10）"),
        "{text}"
    );
    assert!(text.contains("見守りの電話 26件"), "{text}");
    // Nothing about a person in any byte of the folder.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        for secret in ["試験", "窓口 住民", "シケン", "マドグチ", "5555"] {
            assert!(!s.contains(secret), "{secret}");
        }
    }

    // The ward's merge: site A with the counts, and a site whose report was
    // made before the groups existed (its sealed counts have no `groups`).
    let sealed = std::fs::read(dir.join("tsudoi-2026-10-counts.json.age")).unwrap();
    let identity: age::x25519::Identity = identity_text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap();
    let json = age::decrypt(&identity, &sealed).unwrap();
    let mut counts: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(counts["month_counts"]["groups"].is_object());
    let old_site = |name: &str, counts: &serde_json::Value| {
        let d = work.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        let file = "tsudoi-2026-10-counts.json.age".to_owned();
        let bytes = age::encrypt(
            &public.parse::<age::x25519::Recipient>().unwrap(),
            &serde_json::to_vec(counts).unwrap(),
        )
        .unwrap();
        std::fs::write(d.join(&file), bytes).unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[name.len() as u8; 32]);
        sign::sign_dir(&d, &[file], &key, name).unwrap();
        d
    };
    let with_groups = old_site("site-b", &counts);
    counts["month_counts"]
        .as_object_mut()
        .unwrap()
        .remove("groups");
    counts["site"] = "古い施設".into();
    let without = old_site("site-old", &counts);
    let ward_identity = WardIdentity::from_file(&identity_path).unwrap();
    let merged_csv = |dirs: &[std::path::PathBuf], out: &str| {
        let out = work.path().join(out);
        merge::merge_dirs(
            dirs,
            &ward_identity,
            &[],
            &out,
            Encoding::Utf8Bom,
            Wording::default(),
            date(2026, 11, 11),
        )
        .unwrap();
        std::fs::read_to_string(out.join("tsudoi-2026-10-ward-groups.csv")).unwrap()
    };
    // With a site without groups, the sums are site A's own.
    let one = merged_csv(&[dir.clone(), without], "ward-1");
    assert_eq!(one, std::fs::read_to_string(&groups_csv).unwrap());
    // Two sites with groups: everything doubles; 4 desk members are still
    // small. The two small meetings (4 and 4) now share the meetings' total
    // with each other, so neither can be worked out and the total is shown.
    let two = merged_csv(&[dir.clone(), with_groups], "ward-2");
    let cells: Vec<&str> = two
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    let doubled = (2 * raw[5]).to_string();
    assert_eq!(
        cells,
        [
            "6", "秘匿", "<10", "84", "18", &doubled, "24", "<10", "0", "秘匿", "0", "52"
        ]
    );
}
