//! Issue 12: roles enforced by keys. Each attack on a copy of the file is
//! made here the way an attacker would make it (rusqlite or the `sqlite3`
//! command on the raw file, the crypto primitives without the store's role
//! checks), and each must get nothing.
mod common;

use common::*;
use rusqlite::Connection;
use tsudoi::crypto::{
    CellAad, CellCipher, DataKey, FieldAad, FieldCipher, Grant, Identity, KeyBundle, KeyId,
    KeyKind, Keyslot,
};
use tsudoi::store::Role;

const OPERATOR: &str = "unei01";
const HANDLER: &str = "tanto01";
const OP_PASSWORD: &str = "Unei-changed-2026";
const HANDLER_PASSWORD: &str = "Tanto-changed-2026";

fn raw(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

/// A store with three invented residents (one with an address) and an
/// operator and a handler who changed their first passwords.
fn store_with_staff() -> (Fixture, Vec<String>) {
    let mut f = fixture_on(date(2026, 11, 23));
    let m = f.manager.clone();
    f.store
        .add_staff(&m, OPERATOR, Role::Operator, PASSWORD)
        .unwrap();
    f.store
        .add_staff(&m, HANDLER, Role::Handler, PASSWORD)
        .unwrap();
    let mut ids = Vec::new();
    for (i, (name, kana)) in [
        ("試験 一郎", "しけん いちろう"),
        ("試験 二郎", "しけん じろう"),
        ("試験 三郎", "しけん さぶろう"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = resident(name, kana, &format!("090-7000-000{i}"), date(1950, 1, 2));
        if i == 1 {
            r.address = Some("新宿区架空町九丁目八番七号".into());
        }
        ids.push(f.store.register(&m, r).unwrap());
    }
    for (id, pw) in [(OPERATOR, OP_PASSWORD), (HANDLER, HANDLER_PASSWORD)] {
        let mut s = f.store.sign_in(id, PASSWORD).unwrap();
        f.store.change_password(&mut s, pw).unwrap();
    }
    f.store.checkpoint().unwrap();
    (f, ids)
}

fn key_ids(conn: &Connection) -> [Option<KeyId>; 5] {
    let mut ids = [None; 5];
    for (slot, kind) in ids.iter_mut().zip(KeyKind::ALL) {
        let v: String = conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [kind.meta_key()],
                |r| r.get(0),
            )
            .unwrap();
        *slot = Some(KeyId::parse(&v).unwrap());
    }
    ids
}

/// Everything one staff member's password gives, read straight from the
/// file with the crypto primitives: their slot, then their grant.
fn keys_from_copy(
    conn: &Connection,
    staff: &str,
    password: &str,
    role: &str,
    mask: u8,
) -> KeyBundle {
    let slot: Vec<u8> = conn
        .query_row(
            "SELECT slot FROM keyslots WHERE id = ?1",
            [format!("password:{staff}")],
            |r| r.get(0),
        )
        .unwrap();
    let identity = Identity::from_slot_key(
        Keyslot::from_bytes(&slot)
            .unwrap()
            .open_with_password(password.as_bytes())
            .unwrap(),
    );
    let grant: Vec<u8> = conn
        .query_row("SELECT sealed FROM grants WHERE label = ?1", [staff], |r| {
            r.get(0)
        })
        .unwrap();
    Grant::from_bytes(&grant)
        .unwrap()
        .open(&identity, staff, role, mask, &key_ids(conn))
        .unwrap()
}

/// Tries every key in `bundle`, as every kind of cipher this code knows,
/// on one cell. True if anything opens it.
fn anything_opens(
    bundle: &KeyBundle,
    table: &str,
    column: &str,
    row: &str,
    rev: u64,
    blob: &[u8],
) -> bool {
    let aad = CellAad {
        table,
        column,
        row_id: row,
        rev,
        bound: "",
    };
    let v1 = FieldAad {
        table,
        column,
        row_id: row,
    };
    KeyKind::ALL
        .iter()
        .filter_map(|k| bundle.get(*k))
        .any(|key: &DataKey| {
            CellCipher::personal(key).decrypt(&aad, blob).is_ok()
                || CellCipher::statistics(key).decrypt(&aad, blob).is_ok()
                || FieldCipher::new(key).decrypt(&v1, blob).is_ok()
        })
}

#[test]
fn an_operators_password_and_a_copy_of_the_file_decrypt_no_personal_value() {
    let (f, ids) = store_with_staff();
    // The attacker's copy of the SD card.
    let copy = f.dir.path().join("copy.db");
    std::fs::copy(&f.path, &copy).unwrap();
    let conn = raw(&copy);
    let operator = keys_from_copy(&conn, OPERATOR, OP_PASSWORD, "operator", 0x16);
    assert!(operator.get(KeyKind::Personal).is_none());
    assert!(operator.get(KeyKind::Card).is_none());
    // Asking the grant for more than it holds fails: the mask is authenticated.
    let slot: Vec<u8> = conn
        .query_row(
            "SELECT slot FROM keyslots WHERE id = 'password:unei01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let identity = Identity::from_slot_key(
        Keyslot::from_bytes(&slot)
            .unwrap()
            .open_with_password(OP_PASSWORD.as_bytes())
            .unwrap(),
    );
    let grant: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM grants WHERE label = 'unei01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut forged = grant.clone();
    forged[1] = 0x1f;
    assert!(Grant::from_bytes(&forged).is_err());
    assert!(
        Grant::from_bytes(&grant)
            .unwrap()
            .open(&identity, OPERATOR, "manager", 0x16, &key_ids(&conn))
            .is_err()
    );
    // Other staff members' grants do not open with the operator's identity.
    for (label, role, mask) in [
        (MANAGER, "manager", 0x1f),
        (HANDLER, "handler", 0x0f),
        ("recovery", "recovery", 0x1f),
    ] {
        let g: Vec<u8> = conn
            .query_row("SELECT sealed FROM grants WHERE label = ?1", [label], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(
            Grant::from_bytes(&g)
                .unwrap()
                .open(&identity, label, role, mask, &key_ids(&conn))
                .is_err(),
            "{label}"
        );
    }

    let mut personal_cells = 0;
    let mut statistics_opened = 0;
    for id in &ids {
        type Cells = Vec<(String, Option<Vec<u8>>)>;
        let (rev, cells): (i64, Cells) = conn
            .query_row(
                "SELECT rev, name, kana, phone, postal_code, address, document, birth_date, town
                 FROM participants WHERE id = ?1",
                [id],
                |r| {
                    let names = [
                        "name",
                        "kana",
                        "phone",
                        "postal_code",
                        "address",
                        "document",
                        "birth_date",
                        "town",
                    ];
                    let mut out = Vec::new();
                    for (i, n) in names.iter().enumerate() {
                        out.push((n.to_string(), r.get::<_, Option<Vec<u8>>>(i + 1)?));
                    }
                    Ok((r.get(0)?, out))
                },
            )
            .unwrap();
        for (column, blob) in cells {
            let Some(blob) = blob else { continue };
            let opened = anything_opens(&operator, "participants", &column, id, rev as u64, &blob);
            if matches!(column.as_str(), "birth_date" | "town") {
                // The statistics key does open what the counts need.
                assert!(opened, "{column}");
                statistics_opened += 1;
            } else {
                assert!(!opened, "the operator's keys opened {column}");
                personal_cells += 1;
            }
        }
    }
    // name, kana, phone, postal code, document ×3, and one address.
    assert_eq!(personal_cells, 16);
    assert_eq!(statistics_opened, 6);
    // The card and phone indexes cannot be computed either: no P, no C.
    // A handler's password, by contrast, opens the names (the test can fail).
    let handler = keys_from_copy(&conn, HANDLER, HANDLER_PASSWORD, "handler", 0x0f);
    let (rev, name): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT rev, name FROM participants WHERE id = ?1",
            [&ids[0]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let plain = CellCipher::personal(handler.get(KeyKind::Personal).unwrap())
        .decrypt_string(
            &CellAad {
                table: "participants",
                column: "name",
                row_id: &ids[0],
                rev: rev as u64,
                bound: "",
            },
            &name,
        )
        .unwrap();
    assert_eq!(plain.as_str(), "試験 一郎");
}

#[test]
fn the_document_kind_is_not_stored_in_plain_text() {
    let (f, ids) = store_with_staff();
    let conn = raw(&f.path);
    for id in &ids {
        let (plain, sealed): (Option<String>, Option<Vec<u8>>) = conn
            .query_row(
                "SELECT document_kind, document FROM participants WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(plain, None);
        assert!(sealed.unwrap().len() > 49);
    }
    for (_, bytes) in all_bytes(f.dir.path()) {
        assert!(!contains(&bytes, b"health_insurance"));
        assert!(!contains(&bytes, "健康保険証".as_bytes()));
    }
    // Staff still see it.
    let mut f = f;
    let p = f.store.participant(&f.manager, &ids[0]).unwrap();
    assert_eq!(
        p.document,
        Some(tsudoi::store::participants::DocumentKind::HealthInsurance)
    );
}

#[test]
fn an_operator_signed_in_holds_no_personal_key() {
    let (f, ids) = store_with_staff();
    let mut store = reopen(&f.path, f.clock.clone());
    let op = store.sign_in(OPERATOR, OP_PASSWORD).unwrap();
    // Past the role checks too: the store itself has no key to open a name.
    assert!(matches!(
        store.find_by_kana(&f.manager, "しけん"),
        Err(tsudoi::Error::KeyNotHeld)
    ));
    assert!(store.participant(&op, &ids[0]).is_err());
    // What operators do still works: the counts need only birth dates and towns.
    let month = tsudoi::report::Month::parse("2026-11").unwrap();
    store.monthly_counts(&op, month).unwrap();
}

// ---------------------------------------------------------------------------
// Authenticated rows: each swap is made with the sqlite3 command on the file.

/// Runs SQL on the store file with the `sqlite3` command (an attacker's tool).
fn sqlite3(path: &std::path::Path, sql: &str) {
    let out = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .output()
        .expect("sqlite3 is installed by scripts/install-deps.sh");
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sqlite3_value(path: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn card(i: u8) -> tsudoi_hw::CardId {
    tsudoi_hw::CardId::new(
        tsudoi_hw::Technology::Felica,
        &[0x01, 0x2E, 0x47, 0x10, 0x33, 0x9A, 0x00, i],
    )
    .unwrap()
}

/// A snapshot of everything a refused attack must leave unchanged.
fn rows_of(path: &std::path::Path) -> String {
    sqlite3_value(
        path,
        "SELECT (SELECT count(*) FROM attendance), (SELECT group_concat(hex(phone)) FROM participants),
                (SELECT group_concat(role || active || must_change_password) FROM staff),
                (SELECT count(*) FROM audit WHERE action = 'sign_in')",
    )
}

fn tampered(e: tsudoi::Error, names: &str) {
    match &e {
        tsudoi::Error::Tampered(what) => assert!(what.contains(names), "{what}"),
        other => panic!("expected a refusal naming {names}, got {other:?}"),
    }
    let text = e.to_string();
    assert!(text.contains("何も表示・変更していません"), "{text}");
}

#[test]
fn a_keyslot_copied_over_a_managers_is_refused() {
    let (f, _) = store_with_staff();
    let Fixture {
        dir: _dir,
        path,
        clock,
        store,
        ..
    } = f;
    drop(store);
    // The operator's slot (and grant and public key) copied into the manager's rows.
    sqlite3(
        &path,
        "UPDATE keyslots SET slot = (SELECT slot FROM keyslots WHERE id = 'password:unei01'),
                             checksum = (SELECT checksum FROM keyslots WHERE id = 'password:unei01')
           WHERE id = 'password:kanri01';
         UPDATE grants SET sealed = (SELECT sealed FROM grants WHERE label = 'unei01') WHERE label = 'kanri01';
         UPDATE staff SET public_key = (SELECT public_key FROM staff WHERE id = 'unei01') WHERE id = 'kanri01';",
    );
    let before = rows_of(&path);
    let mut store = reopen(&path, clock.clone());
    let e = store.sign_in(MANAGER, OP_PASSWORD).unwrap_err();
    tampered(e, "スタッフ kanri01 の鍵スロット");
    assert!(!store.is_unlocked());
    drop(store);
    assert_eq!(rows_of(&path), before);
}

#[test]
fn a_role_changed_with_sqlite3_is_refused() {
    let (f, _) = store_with_staff();
    let Fixture {
        dir: _dir,
        path,
        clock,
        store,
        ..
    } = f;
    drop(store);
    sqlite3(
        &path,
        "UPDATE staff SET role = 'manager' WHERE id = 'unei01'",
    );
    let before = rows_of(&path);
    let mut store = reopen(&path, clock.clone());
    let e = store.sign_in(OPERATOR, OP_PASSWORD).unwrap_err();
    tampered(e, "スタッフ unei01");
    assert!(!store.is_unlocked());
    // Handler promoted to manager: the same.
    drop(store);
    sqlite3(
        &path,
        "UPDATE staff SET role = 'handler' WHERE id = 'unei01'",
    );
    let mut store = reopen(&path, clock.clone());
    tampered(
        store.sign_in(OPERATOR, OP_PASSWORD).unwrap_err(),
        "スタッフ unei01",
    );
    drop(store);
    sqlite3(
        &path,
        "UPDATE staff SET role = 'operator' WHERE id = 'unei01'",
    );
    assert_eq!(rows_of(&path).split('|').nth(3), before.split('|').nth(3));
    // Put back as it was, the account works again.
    let mut store = reopen(&path, clock);
    store.sign_in(OPERATOR, OP_PASSWORD).unwrap();
}

#[test]
fn must_change_and_active_flags_changed_with_sqlite3_are_refused() {
    let (mut f, _) = store_with_staff();
    let m = f.manager.clone();
    f.store
        .add_staff(&m, "shinjin01", Role::Handler, PASSWORD)
        .unwrap();
    f.store.deactivate_staff(&m, HANDLER).unwrap();
    let Fixture {
        dir: _dir,
        path,
        clock,
        store,
        ..
    } = f;
    drop(store);
    sqlite3(
        &path,
        "UPDATE staff SET must_change_password = 0 WHERE id = 'shinjin01'",
    );
    let before = rows_of(&path);
    let mut store = reopen(&path, clock.clone());
    tampered(
        store.sign_in("shinjin01", PASSWORD).unwrap_err(),
        "スタッフ shinjin01 の記録",
    );
    assert!(!store.is_unlocked());
    drop(store);
    assert_eq!(rows_of(&path), before);
    // A deactivated account switched back on: the manager's list names it.
    sqlite3(
        &path,
        "UPDATE staff SET must_change_password = 1 WHERE id = 'shinjin01';
         UPDATE staff SET active = 1 WHERE id = 'tanto01'",
    );
    let mut store = reopen(&path, clock);
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    tampered(
        store.staff_accounts(&s).unwrap_err(),
        "スタッフ tanto01 の記録",
    );
    // And it cannot sign in: its slot and grant were destroyed.
    assert!(store.sign_in(HANDLER, HANDLER_PASSWORD).is_err());
}

#[test]
fn a_card_pointed_at_another_resident_checks_nobody_in() {
    let (mut f, ids) = store_with_staff();
    let m = f.manager.clone();
    f.store.link_card(&m, &ids[0], &card(1)).unwrap();
    f.store.link_card(&m, &ids[1], &card(2)).unwrap();
    let session = f
        .store
        .add_session(
            &m,
            tsudoi::store::sessions::NewSession {
                program: tsudoi::store::sessions::Program::Koryu,
                date: date(2026, 11, 23),
                start: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
                title: "交流サロン".into(),
                capacity: None,
                mode: tsudoi::store::sessions::SessionMode::Open,
            },
        )
        .unwrap();
    let Fixture {
        dir: _dir,
        path,
        clock,
        store,
        ..
    } = f;
    drop(store);
    // Resident 0's card row pointed at resident 1.
    sqlite3(
        &path,
        &format!(
            "UPDATE cards SET participant_id = '{}' WHERE participant_id = '{}'",
            ids[1], ids[0]
        ),
    );
    let before = rows_of(&path);
    let mut store = reopen(&path, clock.clone());
    store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    let e = store.check_in_card(&card(1), &session).unwrap_err();
    tampered(e, "cards ");
    // Nobody was checked in, and the damaged card blocks only itself... the
    // other card (same index bucket or not) still works once repaired.
    drop(store);
    let after = rows_of(&path);
    assert_eq!(after.split('|').next(), before.split('|').next());
    sqlite3(
        &path,
        &format!(
            "UPDATE cards SET participant_id = '{}' WHERE rowid = (SELECT min(rowid) FROM cards)",
            ids[0]
        ),
    );
    let mut store = reopen(&path, clock);
    store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert!(store.check_in_card(&card(1), &session).unwrap().is_some());
}

#[test]
fn an_older_ciphertext_put_back_is_refused() {
    let (mut f, ids) = store_with_staff();
    let m = f.manager.clone();
    let old_phone = sqlite3_value(
        &f.path,
        &format!(
            "SELECT hex(phone) FROM participants WHERE id = '{}'",
            ids[0]
        ),
    );
    let old_address = sqlite3_value(
        &f.path,
        &format!(
            "SELECT hex(address) FROM participants WHERE id = '{}'",
            ids[1]
        ),
    );
    f.store
        .correct(
            &m,
            &ids[0],
            tsudoi::store::participants::Correction::Phone(
                tsudoi::eligibility::PhoneNumber::parse("090-7999-0000").unwrap(),
            ),
        )
        .unwrap();
    f.store
        .correct(
            &m,
            &ids[1],
            tsudoi::store::participants::Correction::Address(None),
        )
        .unwrap();
    let Fixture {
        dir: _dir,
        path,
        clock,
        store,
        ..
    } = f;
    drop(store);
    sqlite3(
        &path,
        &format!(
            "UPDATE participants SET phone = X'{old_phone}' WHERE id = '{}';
             UPDATE participants SET address = X'{old_address}' WHERE id = '{}';",
            ids[0], ids[1]
        ),
    );
    let before = rows_of(&path);
    let mut store = reopen(&path, clock.clone());
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    let short0: String = ids[0].chars().take(8).collect();
    let short1: String = ids[1].chars().take(8).collect();
    tampered(
        store.participant(&s, &ids[0]).unwrap_err(),
        &format!("participants {short0} の phone"),
    );
    tampered(
        store.participant(&s, &ids[1]).unwrap_err(),
        &format!("participants {short1} の address"),
    );
    // Not even raising the revision helps: every other cell was sealed
    // under the current one.
    drop(store);
    sqlite3(
        &path,
        &format!(
            "UPDATE participants SET rev = rev - 1 WHERE id = '{}'",
            ids[1]
        ),
    );
    let mut store = reopen(&path, clock);
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert!(matches!(
        store.participant(&s, &ids[1]),
        Err(tsudoi::Error::Tampered(_))
    ));
    drop(store);
    // Nothing was rewritten by the refused reads.
    assert_eq!(rows_of(&path).split('|').nth(1), before.split('|').nth(1));
}

// ---------------------------------------------------------------------------
// Upgrading a store made by the code before issue 12 (format 1).

/// `tests/fixtures/format1.db` was written by commit 8cb1143 (format 1):
/// manager kanri01 (password changed to NEW_PASSWORD), handler tanto01 and
/// operator unei01 (first password PASSWORD), handler taishoku01
/// deactivated; 試験 花子 with a card (FeliCa 01…08) checked in on
/// 2026-11-10; 試験 次郎 with an address, a card (FeliCa 09×8) and an
/// application to 脳トレ教室; the device key made.
fn format1_copy() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::sync::Arc<tsudoi::clock::FixedClock>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format1.db"),
        &path,
    )
    .unwrap();
    let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::jst(date(2026, 11, 10), 10, 0));
    (dir, path, clock)
}

fn felica(uid: [u8; 8]) -> tsudoi_hw::CardId {
    tsudoi_hw::CardId::new(tsudoi_hw::Technology::Felica, &uid).unwrap()
}

fn snapshot(path: &std::path::Path) -> String {
    sqlite3_value(
        path,
        "SELECT (SELECT group_concat(hex(name) || hex(phone) || ifnull(hex(address), '')) FROM participants),
                (SELECT group_concat(hex(token)) FROM cards),
                (SELECT group_concat(id || hex(slot)) FROM keyslots),
                (SELECT group_concat(key || value) FROM meta),
                (SELECT count(*) FROM grants)",
    )
}

#[test]
fn a_format_1_store_upgrades_in_place_at_the_first_manager_sign_in() {
    let (_dir, path, clock) = format1_copy();
    let device_key = sqlite3_value(
        &path,
        "SELECT value FROM meta WHERE key = 'device_public_key'",
    );
    assert_eq!(device_key.len(), 64);
    let mut store = reopen(&path, clock.clone());
    assert!(store.needs_format_upgrade().unwrap());
    // A handler cannot start it, and changes nothing.
    let before = snapshot(&path);
    assert!(matches!(
        store.sign_in(HANDLER, PASSWORD),
        Err(tsudoi::Error::UpgradeNeeded)
    ));
    assert_eq!(snapshot(&path), before);

    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert!(!s.must_change_password());
    let recovery = store
        .take_new_recovery_key()
        .expect("a new recovery key, shown once");
    assert!(store.take_new_recovery_key().is_none());
    assert!(!store.needs_format_upgrade().unwrap());

    // Every record is there and readable.
    let found = store.find_by_kana(&s, "しけん").unwrap();
    let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["試験 次郎", "試験 花子"]);
    let jiro = store.participant(&s, &found[0].id).unwrap();
    assert_eq!(
        jiro.address.as_deref().map(|a| a.as_str()),
        Some("新宿区架空町一丁目二番三号")
    );
    assert_eq!(jiro.phone.as_str(), "0333334444");
    assert_eq!(
        jiro.document,
        Some(tsudoi::store::participants::DocumentKind::HealthInsurance)
    );
    assert_eq!(jiro.cards, 1);
    assert_eq!(
        store
            .participant_by_card(&felica([1, 2, 3, 4, 5, 6, 7, 8]))
            .unwrap(),
        Some(found[1].id.clone())
    );
    let results = store
        .lottery_results_for_card(&felica([9; 8]))
        .unwrap()
        .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].entry_number, 1);
    assert_eq!(store.attendance_count().unwrap(), 1);
    assert!(matches!(
        store
            .verify_audit(&tsudoi::store::Actor::Staff(s.clone()))
            .unwrap(),
        tsudoi::store::audit::ChainVerdict::Intact { .. }
    ));
    // The device keeps its identity (the set-up sheet stays valid).
    assert_eq!(store.ensure_device_key().unwrap(), device_key);
    drop(store);

    // The file: format 2 everywhere, nothing of format 1 left.
    assert_eq!(
        sqlite3_value(&path, "SELECT value FROM meta WHERE key = 'key_format'"),
        "2"
    );
    assert_eq!(
        sqlite3_value(
            &path,
            "SELECT count(*) FROM meta WHERE key IN ('key_id', 'device_signing_key')"
        ),
        "0"
    );
    assert_eq!(
        sqlite3_value(&path, "SELECT group_concat(id) FROM keyslots"),
        "password:kanri01"
    );
    assert_eq!(
        sqlite3_value(
            &path,
            "SELECT group_concat(label) FROM grants ORDER BY label"
        ),
        "kanri01,recovery"
    );
    assert_eq!(
        sqlite3_value(
            &path,
            "SELECT count(*) FROM participants WHERE document_kind IS NOT NULL"
        ),
        "0"
    );
    assert_eq!(
        sqlite3_value(
            &path,
            "SELECT count(*) FROM participants WHERE substr(hex(name), 1, 2) <> '02' OR rev <> 1"
        ),
        "0"
    );
    assert_eq!(
        sqlite3_value(
            &path,
            "SELECT count(*) FROM lottery_applications WHERE link_mac IS NULL"
        ),
        "0"
    );
    assert_eq!(
        sqlite3_value(&path, "SELECT count(*) FROM staff WHERE mac IS NULL"),
        "0"
    );

    // The other accounts are re-issued with the new recovery key.
    let mut store = reopen(&path, clock.clone());
    assert!(matches!(
        store.sign_in(HANDLER, PASSWORD),
        Err(tsudoi::Error::ReissueNeeded)
    ));
    store
        .reset_password_with_recovery(&recovery, HANDLER, HANDLER_PASSWORD)
        .unwrap();
    let mut h = store.sign_in(HANDLER, HANDLER_PASSWORD).unwrap();
    assert!(h.must_change_password());
    store.change_password(&mut h, "Tanto-again-2026!").unwrap();
    assert_eq!(store.find_by_kana(&h, "しけん じろう").unwrap().len(), 1);
    store
        .reset_password_with_recovery(&recovery, OPERATOR, OP_PASSWORD)
        .unwrap();
    // The deactivated account stays deactivated.
    assert!(
        store
            .reset_password_with_recovery(&recovery, "taishoku01", OP_PASSWORD)
            .is_err()
    );
    assert!(matches!(
        store.sign_in("taishoku01", PASSWORD),
        Err(tsudoi::Error::AccountInactive)
    ));
    drop(store);
    // The re-issued operator's password opens no personal value.
    let conn = raw(&path);
    let op = keys_from_copy(&conn, OPERATOR, OP_PASSWORD, "operator", 0x16);
    assert!(op.get(KeyKind::Personal).is_none());
}

#[test]
fn an_upgrade_that_meets_a_damaged_record_changes_nothing() {
    let (_dir, path, clock) = format1_copy();
    // One card's token cell moved to the other card's row.
    sqlite3(
        &path,
        "UPDATE cards SET token = (SELECT token FROM cards ORDER BY rowid DESC LIMIT 1)
           WHERE rowid = (SELECT min(rowid) FROM cards)",
    );
    let mut store = reopen(&path, clock);
    let before = snapshot(&path);
    tampered(store.sign_in(MANAGER, NEW_PASSWORD).unwrap_err(), "cards ");
    assert!(store.needs_format_upgrade().unwrap());
    assert!(!store.is_unlocked());
    drop(store);
    assert_eq!(snapshot(&path), before);
}

// ---------------------------------------------------------------------------
// Deletion and re-keying leave nothing behind in the files.

fn blob_of(path: &std::path::Path, sql: &str) -> Vec<u8> {
    raw(path).query_row(sql, [], |r| r.get(0)).unwrap()
}

fn nowhere_in_files(dir: &std::path::Path, needles: &[(&str, &[u8])]) {
    let files = all_bytes(dir);
    assert!(files.iter().any(|(p, _)| p.ends_with("tsudoi.db")));
    for (p, bytes) in &files {
        for (what, needle) in needles {
            assert!(!contains(bytes, needle), "{what} found in {}", p.display());
        }
    }
}

#[test]
fn deleting_and_correcting_leave_no_old_ciphertext_in_the_database_or_its_wal() {
    let (mut f, ids) = store_with_staff();
    let m = f.manager.clone();
    let q = |id: &str, col: &str| format!("SELECT {col} FROM participants WHERE id = '{id}'");
    let name0 = blob_of(&f.path, &q(&ids[0], "name"));
    let phone0 = blob_of(&f.path, &q(&ids[0], "phone"));
    let phone1 = blob_of(&f.path, &q(&ids[1], "phone"));
    f.store.delete_participant(&m, &ids[0]).unwrap();
    f.store
        .correct(
            &m,
            &ids[1],
            tsudoi::store::participants::Correction::Phone(
                tsudoi::eligibility::PhoneNumber::parse("090-7999-1111").unwrap(),
            ),
        )
        .unwrap();
    // The store is still open (its WAL exists): search every file as it is.
    nowhere_in_files(
        f.dir.path(),
        &[
            ("deleted name ciphertext", &name0[33..]),
            ("deleted phone ciphertext", &phone0[33..]),
            ("replaced phone ciphertext", &phone1[33..]),
            ("deleted phone", b"09070000000"),
            ("replaced phone", b"09070000001"),
        ],
    );
}

#[test]
fn re_keying_leaves_no_old_ciphertext_and_old_keys_open_nothing() {
    let (mut f, ids) = store_with_staff();
    let m = f.manager.clone();
    f.store.link_card(&m, &ids[0], &card(7)).unwrap();
    // The handler's keys, as an attacker who once had the handler's password
    // and a copy of the file would hold them.
    let old_copy = f.dir.path().join("old-copy.db");
    f.store.checkpoint().unwrap();
    std::fs::copy(&f.path, &old_copy).unwrap();
    let old_keys = keys_from_copy(&raw(&old_copy), HANDLER, HANDLER_PASSWORD, "handler", 0x0f);
    std::fs::remove_file(&old_copy).unwrap();
    let old_cells: Vec<Vec<u8>> = ["name", "kana", "phone", "birth_date", "town"]
        .iter()
        .map(|c| {
            blob_of(
                &f.path,
                &format!("SELECT {c} FROM participants WHERE id = '{}'", ids[1]),
            )
        })
        .collect();
    let old_token = blob_of(&f.path, "SELECT token FROM cards");

    // The handler leaves: deactivation re-keys.
    f.store.deactivate_staff(&m, HANDLER).unwrap();
    let mut needles: Vec<(&str, &[u8])> =
        old_cells.iter().map(|c| ("old cell", &c[33..])).collect();
    needles.push(("old card token", &old_token[33..]));
    nowhere_in_files(f.dir.path(), &needles);

    // What is written afterwards does not open with the old keys.
    let later = f
        .store
        .register(
            &m,
            resident(
                "試験 四郎",
                "しけん しろう",
                "090-7000-0009",
                date(1951, 3, 3),
            ),
        )
        .unwrap();
    f.store.checkpoint().unwrap();
    let conn = raw(&f.path);
    for id in [&ids[1], &later] {
        let (rev, name): (i64, Vec<u8>) = conn
            .query_row(
                "SELECT rev, name FROM participants WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(!anything_opens(
            &old_keys,
            "participants",
            "name",
            id,
            rev as u64,
            &name
        ));
    }
    // Everyone else still works, the card too, and the chain is intact.
    let mut store = reopen(&f.path, f.clock.clone());
    let op = store.sign_in(OPERATOR, OP_PASSWORD).unwrap();
    store
        .monthly_counts(&op, tsudoi::report::Month::parse("2026-11").unwrap())
        .unwrap();
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    assert_eq!(
        store.participant_by_card(&card(7)).unwrap(),
        Some(ids[0].clone())
    );
    assert_eq!(
        store.participant(&s, &ids[1]).unwrap().kana.as_str(),
        "シケン ジロウ"
    );
    assert!(matches!(
        store
            .verify_audit(&tsudoi::store::Actor::Staff(s.clone()))
            .unwrap(),
        tsudoi::store::audit::ChainVerdict::Intact { .. }
    ));
    // `keys rotate` does the same on request.
    let before = blob_of(
        &f.path,
        &format!("SELECT name FROM participants WHERE id = '{later}'"),
    );
    let r = store.rotate_keys(&s).unwrap();
    assert_eq!((r.participants, r.cards), (4, 1));
    nowhere_in_files(f.dir.path(), &[("pre-rotation cell", &before[33..])]);
    assert!(store.rotate_keys(&op).is_err());
}

// ---------------------------------------------------------------------------
// FORMAT.md 8.9 and 8.10, recomputed by tools not written here.

fn format_md_vector(name: &str) -> String {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/crypto/FORMAT.md"),
    )
    .unwrap();
    doc.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(" = ")?;
            (n.trim_end() == name).then(|| v.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("FORMAT.md has no vector {name}"))
}

fn b3sum(args: &[&str], stdin: &[u8], file: &[u8]) -> String {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::write(&input, file).unwrap();
    let mut child = std::process::Command::new("b3sum")
        .args(args)
        .arg("--no-names")
        .arg(&input)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("b3sum is installed by scripts/install-deps.sh");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn lp(items: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        out.extend_from_slice(&(item.len() as u32).to_be_bytes());
        out.extend_from_slice(item);
    }
    out
}

#[test]
fn format_md_vectors_agree_with_b3sum_and_python() {
    let x: Vec<u8> = (0u8..32).collect();
    let derive = |context: &str| b3sum(&["--derive-key", context], b"", &x);
    for (name, context) in [
        ("personal cell key", "tsudoi 2026 personal cells v2"),
        ("statistics cell key", "tsudoi 2026 statistics cells v2"),
        ("phone index key", "tsudoi 2026 blind-index phone v2"),
        ("application-link key", "tsudoi 2026 application-link v2"),
        ("staff-row key", "tsudoi 2026 staff-row v2"),
    ] {
        assert_eq!(derive(context), format_md_vector(name), "{name}");
    }
    let hex = |s: &str| data_encoding::HEXLOWER.decode(s.as_bytes()).unwrap();
    let staff_key = hex(&derive("tsudoi 2026 staff-row v2"));
    let staff_input = lp(&[&[2], b"kanri01", b"manager", b"1", b"0", &[9u8; 32]]);
    assert_eq!(
        b3sum(&["--keyed"], &staff_key, &staff_input),
        format_md_vector("staff mac (kanri01, manager, 1, 0, 09…09)")
    );
    let link_key = hex(&derive("tsudoi 2026 application-link v2"));
    let link_input = lp(&[&[2], b"app-1", b"class-1", b"pid-1", &1u64.to_be_bytes()]);
    assert_eq!(
        b3sum(&["--keyed"], &link_key, &link_input),
        format_md_vector("application mac (app-1, class-1, pid-1, 1)")
    );
    let policy_key = hex(&derive("tsudoi 2026 security-policy v2"));
    let policy_text = format_md_vector("policy text");
    let policy_input = lp(&[&[2], b"security-policy", policy_text.as_bytes()]);
    assert_eq!(
        b3sum(&["--keyed"], &policy_key, &policy_input),
        format_md_vector("policy mac")
    );
    let cell_aad = lp(&[
        &[2],
        b"participants",
        b"name",
        b"r",
        &[1, 2, 3, 4, 5, 6, 7, 8],
        &1u64.to_be_bytes(),
        b"",
    ]);
    assert_eq!(
        data_encoding::HEXLOWER.encode(&cell_aad),
        format_md_vector("cell aad")
    );
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey as K\n\
             from cryptography.hazmat.primitives import serialization as s\n\
             k = K.from_private_bytes(bytes(range(32)))\n\
             print(k.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw).hex())",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format_md_vector("X25519 public of X")
    );
}

// ---------------------------------------------------------------------------
// Lockout that holds against parallel guesses.

#[test]
fn ten_parallel_wrong_passwords_on_the_command_line_lock_the_account() {
    let env = common::cli::Env::new();
    env.init();
    let children: Vec<std::process::Child> = (0..10)
        .map(|i| {
            let mut c = env.cmd(&["staff", "list"]);
            c.env("TSUDOI_PASSWORD", format!("Wrong-guess-2026-{i}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    let outputs: Vec<std::process::Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    assert!(outputs.iter().all(|o| !o.status.success()));
    let locked = outputs
        .iter()
        .filter(|o| common::cli::text(&o.stderr).contains("ロックされています"))
        .count();
    // The fifth failure (whichever process it was) locked the account: the
    // count is incremented inside each sign-in's transaction.
    assert!(locked >= 1, "no attempt reported the lock");
    // Now even the right password is refused.
    let out = env.run(&["staff", "list"], Some(NEW_PASSWORD));
    assert!(!out.status.success());
    assert!(common::cli::text(&out.stderr).contains("ロックされています"));
    // Every attempt was recorded: the 10 guesses and the refused right password.
    let conn = raw(&env.store());
    let failures: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_pending WHERE action = 'sign_in_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failures, 11);
}

#[test]
fn an_unknown_staff_id_gets_the_same_message_as_a_wrong_password() {
    let env = common::cli::Env::new();
    env.init();
    let wrong = env.run(&["staff", "list"], Some("Wrong-guess-2026-x"));
    let mut c = env.cmd(&["staff", "list"]);
    c.env("TSUDOI_STAFF", "daremo01")
        .env("TSUDOI_PASSWORD", "Wrong-guess-2026-x");
    let unknown = c.output().unwrap();
    assert_eq!(common::cli::code(&wrong), common::cli::code(&unknown));
    assert_eq!(
        common::cli::text(&wrong.stderr),
        common::cli::text(&unknown.stderr)
    );
}
