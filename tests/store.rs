//! The encrypted store end to end, on real SQLite files.

mod common;

use chrono::Duration;
use common::*;
use rusqlite::Connection;
use tsudoi::Error;
use tsudoi::crypto::KdfParams;
use tsudoi::eligibility::{PhoneNumber, PostalCode};
use tsudoi::store::attendance::{CheckInMethod, CheckInOutcome};
use tsudoi::store::audit::{BreakKind, ChainVerdict};
use tsudoi::store::participants::{Basis, Correction, DocumentKind, IdCheck, NewParticipant};
use tsudoi::store::sessions::{NewSession, Program, SessionMode};
use tsudoi::store::{Actor, Policy, Role};
use tsudoi_hw::{CardId, Technology};

fn session_on(
    f: &mut Fixture,
    day: chrono::NaiveDate,
    mode: SessionMode,
    cap: Option<u32>,
) -> String {
    f.store
        .add_session(
            &f.manager,
            NewSession {
                program: Program::Kaigo,
                date: day,
                start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                end: chrono::NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                title: "転倒予防体操".into(),
                capacity: cap,
                mode,
            },
        )
        .unwrap()
}

/// Flips one bit of a BLOB cell, as a disk error or an attacker would.
fn flip_bit(conn: &Connection, table: &str, column: &str, key: &str, value: &str, byte: usize) {
    let sql = format!("SELECT {column} FROM {table} WHERE {key} = ?1");
    let mut blob: Vec<u8> = conn.query_row(&sql, [value], |r| r.get(0)).unwrap();
    blob[byte] ^= 0x01;
    let sql = format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2");
    conn.execute(&sql, rusqlite::params![blob, value]).unwrap();
}

fn raw(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

#[test]
fn no_personal_value_is_stored_in_plain_text() {
    let mut f = fixture_on(date(2026, 11, 23));
    let name = "試験院ミドリ虎之介";
    let kana = "シケンイン ミドリトラノスケ";
    let phone = "090-4821-7365";
    let address = "新宿区架空町九丁目九番九号テスト荘";
    let uid = [0x01, 0x27, 0xA5, 0x5A, 0xC3, 0x3C, 0x96, 0x69];
    let mut p = resident(name, kana, phone, date(1951, 3, 14));
    p.address = Some(address.into());
    let id = f.store.register(&f.manager, p).unwrap();
    let card = CardId::new(Technology::Felica, &uid).unwrap();
    f.store.link_card(&f.manager, &id, &card).unwrap();
    let sid = session_on(&mut f, date(2026, 11, 23), SessionMode::Open, None);
    f.store.check_in_card(&card, &sid).unwrap().unwrap();
    // Errors shown to staff must not carry values either.
    let err = f
        .store
        .register(&f.manager, resident(name, kana, phone, date(1951, 3, 14)))
        .unwrap_err()
        .to_string();

    let needles: Vec<Vec<u8>> = vec![
        name.as_bytes().to_vec(),
        "ミドリトラノスケ".as_bytes().to_vec(),
        b"09048217365".to_vec(),
        b"4821".to_vec(),
        b"1951-03-14".to_vec(),
        "昭和26年".as_bytes().to_vec(),
        "架空町九丁目".as_bytes().to_vec(),
        uid.to_vec(),
        b"0127a55ac33c9669".to_vec(),
        b"0127A55AC33C9669".to_vec(),
    ];
    // Before a checkpoint the values are in the WAL; after it, in the main file.
    for phase in ["wal", "checkpointed"] {
        if phase == "checkpointed" {
            f.store.checkpoint().unwrap();
        }
        let files = all_bytes(f.dir.path());
        assert!(
            files
                .iter()
                .any(|(p, _)| p.to_string_lossy().ends_with("-wal"))
        );
        for (path, bytes) in &files {
            for n in &needles {
                assert!(
                    !contains(bytes, n),
                    "{phase}: a personal value is readable in {}",
                    path.display()
                );
            }
        }
    }
    for n in &needles {
        assert!(
            !contains(err.as_bytes(), n),
            "error message carries a value: {err}"
        );
    }
    // The participant's Debug output is redacted too.
    let shown = f.store.participant(&f.manager, &id).unwrap();
    assert_eq!(shown.name.as_str(), name);
    assert!(!format!("{shown:?}").contains("ミドリ"));
}

#[test]
fn wrong_password_corrupted_slot_and_tampered_values_are_refused_without_change() {
    let mut f = fixture_on(date(2026, 11, 23));
    let id = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 花子",
                "しけん はなこ",
                "03-5555-0101",
                date(1950, 5, 5),
            ),
        )
        .unwrap();
    drop(f.store);

    let count = |c: &Connection, t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    let conn = raw(&f.path);
    let before = (count(&conn, "participants"), count(&conn, "keyslots"));

    // Wrong password.
    let mut store = reopen(&f.path, f.clock.clone());
    let e = store.sign_in(MANAGER, "Not-the-password-1").unwrap_err();
    assert!(matches!(e, Error::WrongCredentials), "{e}");
    assert_eq!(e.to_string(), "スタッフIDまたはパスワードが違います。");
    assert!(!store.is_unlocked());

    // A corrupted slot (one bit of the wrapped key flipped): a distinct message.
    flip_bit(&conn, "keyslots", "slot", "label", MANAGER, 40);
    let e = store.sign_in(MANAGER, NEW_PASSWORD).unwrap_err();
    assert!(matches!(e, Error::KeyslotCorrupt(_)), "{e}");
    assert!(e.to_string().contains("回復キー"), "{e}");
    assert_eq!(
        (count(&conn, "participants"), count(&conn, "keyslots")),
        before
    );
    drop(store);

    // A tampered ciphertext, on a fresh copy with a good slot.
    let mut f = fixture_on(date(2026, 11, 23));
    let id2 = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 次郎",
                "しけん じろう",
                "03-5555-0102",
                date(1950, 5, 6),
            ),
        )
        .unwrap();
    let conn = raw(&f.path);
    flip_bit(&conn, "participants", "name", "id", &id2, 40);
    let e = f.store.participant(&f.manager, &id2).unwrap_err();
    // Refused, naming the damaged cell (never its value).
    assert!(
        matches!(&e, Error::Tampered(what) if what.ends_with("の name")),
        "{e}"
    );
    assert!(e.to_string().contains("壊れ"), "{e}");

    // Cells moved between rows (same table and column) do not open either.
    let id3 = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 三郎",
                "しけん さぶろう",
                "03-5555-0103",
                date(1950, 5, 7),
            ),
        )
        .unwrap();
    conn.execute("UPDATE participants SET kana = (SELECT kana FROM participants WHERE id = ?1) WHERE id = ?2", [&id3, &id2]).unwrap();
    assert!(matches!(
        f.store.participant(&f.manager, &id2),
        Err(Error::Tampered(_))
    ));
    let _ = id;
}

#[test]
fn lockout_after_five_failures_lasts_fifteen_minutes_and_is_audited() {
    let f = fixture_on(date(2026, 11, 23));
    drop(f.store);
    let mut store = reopen(&f.path, f.clock.clone());
    for i in 1..=4 {
        let e = store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
        assert!(matches!(e, Error::WrongCredentials), "attempt {i}: {e}");
    }
    let e = store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
    assert!(matches!(e, Error::AccountLocked { minutes: 15 }), "{e}");
    // Even the right password is refused while locked, with the time left.
    f.clock.advance(Duration::minutes(6));
    let e = store.sign_in(MANAGER, NEW_PASSWORD).unwrap_err();
    assert!(matches!(e, Error::AccountLocked { minutes: 9 }), "{e}");
    assert!(e.to_string().contains("あと9分"));
    f.clock.advance(Duration::minutes(9));
    let staff = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    // The failures, the lock and the refused attempt were folded into the chain.
    let log = store.audit_entries(20).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "sign_in_failed").count(),
        6
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "account_locked").count(),
        1
    );
    assert_eq!(actions.last(), Some(&"sign_in"));
    assert!(matches!(
        store.verify_audit(&Actor::Staff(staff)).unwrap(),
        ChainVerdict::Intact { .. }
    ));
}

#[test]
fn lockout_policy_is_configurable() {
    let policy = Policy {
        lockout_attempts: 3,
        lockout_duration: Duration::minutes(30),
        ..policy()
    };
    let f = fixture_with(date(2026, 11, 23), policy.clone());
    drop(f.store);
    let mut store = tsudoi::store::Store::open(
        &f.path,
        policy,
        tsudoi::eligibility::PostalTable::shinjuku(),
        f.clock.clone(),
    )
    .unwrap();
    store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
    store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
    let e = store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
    assert!(matches!(e, Error::AccountLocked { minutes: 30 }), "{e}");
}

#[test]
fn first_password_must_be_changed_and_roles_are_enforced() {
    let mut f = fixture_on(date(2026, 11, 23));
    f.store
        .add_staff(&f.manager, "uketsuke1", Role::Handler, "Handler-first-01")
        .unwrap();
    f.store
        .add_staff(&f.manager, "unei1", Role::Operator, "Operator-first-01")
        .unwrap();
    assert!(matches!(
        f.store
            .add_staff(&f.manager, "short1", Role::Handler, "short"),
        Err(Error::WeakPassword(_))
    ));
    let mut handler = f.store.sign_in("uketsuke1", "Handler-first-01").unwrap();
    assert!(handler.must_change_password());
    let p = resident(
        "試験 四郎",
        "しけん しろう",
        "03-5555-0104",
        date(1950, 1, 1),
    );
    assert!(matches!(
        f.store.register(&handler, p),
        Err(Error::PasswordChangeRequired)
    ));
    f.store
        .change_password(&mut handler, "Handler-second-02")
        .unwrap();
    let p = resident(
        "試験 四郎",
        "しけん しろう",
        "03-5555-0104",
        date(1950, 1, 1),
    );
    let id = f.store.register(&handler, p).unwrap();
    // The old password no longer opens anything.
    assert!(f.store.sign_in("uketsuke1", "Handler-first-01").is_err());

    let mut operator = f.store.sign_in("unei1", "Operator-first-01").unwrap();
    f.store
        .change_password(&mut operator, "Operator-second-02")
        .unwrap();
    assert!(matches!(
        f.store.participant(&operator, &id),
        Err(Error::NotPermitted { .. })
    ));
    assert!(matches!(
        f.store
            .add_staff(&handler, "x1", Role::Handler, "Whatever-pass-01"),
        Err(Error::NotPermitted { .. })
    ));

    // A revoked account's key is gone.
    f.store.deactivate_staff(&f.manager, "uketsuke1").unwrap();
    assert!(matches!(
        f.store.sign_in("uketsuke1", "Handler-second-02"),
        Err(Error::AccountInactive)
    ));
}

#[test]
fn recovery_key_resets_a_forgotten_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::jst(date(2026, 11, 23), 9, 0));
    let (store, _, recovery) = tsudoi::store::Store::create(
        &path,
        "テスト施設",
        MANAGER,
        PASSWORD,
        policy(),
        tsudoi::eligibility::PostalTable::shinjuku(),
        clock.clone(),
    )
    .unwrap();
    let printed = recovery.to_display();
    drop(store);
    let mut store = reopen(&path, clock);
    let typed = tsudoi::crypto::RecoveryKey::parse(&printed.to_lowercase()).unwrap();
    store
        .reset_password_with_recovery(&typed, MANAGER, "Recovered-pass-99")
        .unwrap();
    let s = store.sign_in(MANAGER, "Recovered-pass-99").unwrap();
    assert!(s.must_change_password());
    let other = tsudoi::crypto::RecoveryKey::generate().unwrap();
    assert!(
        store
            .reset_password_with_recovery(&other, MANAGER, "Another-pass-9999")
            .is_err()
    );
}

#[test]
fn registration_decides_eligibility_and_refuses_duplicates() {
    let mut f = fixture_on(date(2026, 11, 23));
    // Reaches 60 on 2026-11-23 (born 1966-11-24): eligible today.
    f.store
        .register(
            &f.manager,
            resident(
                "試験 五郎",
                "しけん ごろう",
                "090-1111-0001",
                date(1966, 11, 24),
            ),
        )
        .unwrap();
    // Born a day later: still 59 today.
    let e = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 六郎",
                "しけん ろくろう",
                "090-1111-0002",
                date(1966, 11, 25),
            ),
        )
        .unwrap_err();
    assert!(matches!(e, Error::NotEligible(_)), "{e}");
    assert!(e.to_string().contains("59歳"), "{e}");
    // Outside the ward (Nakano).
    let mut p = resident(
        "試験 七郎",
        "しけん しちろう",
        "090-1111-0003",
        date(1950, 1, 1),
    );
    p.id_check.as_mut().unwrap().postal = PostalCode::parse("164-0001").unwrap();
    assert!(matches!(
        f.store.register(&f.manager, p),
        Err(Error::NotEligible(_))
    ));
    // The same person again (same phone and birth date, kana in hiragana).
    let e = f
        .store
        .register(
            &f.manager,
            resident(
                "試験　五郎",
                "シケン ゴロウ",
                "09011110001",
                date(1966, 11, 24),
            ),
        )
        .unwrap_err();
    assert!(matches!(e, Error::DuplicateParticipant { .. }), "{e}");
    // A ward-provided hobby-group member: name and phone only.
    f.store
        .register(
            &f.manager,
            NewParticipant {
                name: "試験 八重".into(),
                kana: "しけん やえ".into(),
                phone: PhoneNumber::parse("03-5555-0999").unwrap(),
                basis: Basis::WardProvided,
                id_check: None,
                address: None,
            },
        )
        .unwrap();
    assert_eq!(f.store.participant_count().unwrap(), 2);
}

#[test]
fn blind_index_lookups_confirm_candidates() {
    // 8 bits over 300 residents: every bucket holds one or two others.
    let policy = Policy {
        blind_index_bits: 8,
        ..policy()
    };
    let mut f = fixture_with(date(2026, 11, 23), policy);
    let mut ids = Vec::new();
    let mut cards = Vec::new();
    for i in 0..300u32 {
        let id = f
            .store
            .register(
                &f.manager,
                resident(
                    &format!("試験 {i}"),
                    "しけん",
                    &format!("090{:08}", 10_000 + i),
                    date(1950, 1, 1 + i % 28),
                ),
            )
            .unwrap();
        let card = CardId::new(
            Technology::Felica,
            &[1, 2, 3, 4, (i >> 8) as u8, i as u8, 7, 8],
        )
        .unwrap();
        f.store.link_card(&f.manager, &id, &card).unwrap();
        ids.push(id);
        cards.push(card);
    }
    let bidx: i64 = raw(&f.path)
        .query_row(
            "SELECT count(DISTINCT phone_bidx) FROM participants",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(bidx <= 256);
    for i in [0usize, 57, 123, 299] {
        let phone = PhoneNumber::parse(&format!("090{:08}", 10_000 + i)).unwrap();
        let found = f.store.find_by_phone(&f.manager, &phone).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, ids[i]);
        assert_eq!(
            f.store.participant_by_card(&cards[i]).unwrap().as_deref(),
            Some(ids[i].as_str())
        );
    }
    let stranger = CardId::new(Technology::Felica, &[9, 9, 9, 9, 9, 9, 9, 9]).unwrap();
    assert_eq!(f.store.participant_by_card(&stranger).unwrap(), None);
    // A card is linked to one person only.
    assert!(matches!(
        f.store.link_card(&f.manager, &ids[1], &cards[0]),
        Err(Error::CardInUse)
    ));
    // Kana search decrypts and matches prefixes.
    assert_eq!(
        f.store.find_by_kana(&f.manager, "シケン").unwrap().len(),
        300
    );
    assert_eq!(f.store.find_by_kana(&f.manager, "たなか").unwrap().len(), 0);
}

#[test]
fn check_in_applies_the_rules_on_the_session_date() {
    let mut f = fixture_on(date(2026, 3, 31));
    // Born 1966-04-01: reaches 60 on 2026-03-31 (the day before the birthday).
    let a = f
        .store
        .register(
            &f.manager,
            resident("試験 甲", "しけん こう", "090-2222-0001", date(1966, 4, 1)),
        )
        .unwrap();
    let today = session_on(&mut f, date(2026, 3, 31), SessionMode::Open, None);
    match f
        .store
        .check_in(&Actor::Kiosk, &a, &today, CheckInMethod::Card)
        .unwrap()
    {
        CheckInOutcome::CheckedIn {
            kana,
            session_title,
        } => {
            assert_eq!(kana.as_str(), "シケン コウ");
            assert_eq!(session_title, "転倒予防体操");
        }
        other => panic!("{other:?}"),
    }
    // Twice: still one row.
    assert!(matches!(
        f.store
            .check_in(&Actor::Kiosk, &a, &today, CheckInMethod::Card)
            .unwrap(),
        CheckInOutcome::AlreadyCheckedIn { .. }
    ));
    assert_eq!(f.store.attendance_count().unwrap(), 1);

    // Re-verification falls due 12 months after the check.
    let next_year = session_on(&mut f, date(2027, 3, 31), SessionMode::Open, None);
    let day_before = session_on(&mut f, date(2027, 3, 30), SessionMode::Open, None);
    assert!(matches!(
        f.store
            .check_in(&Actor::Kiosk, &a, &day_before, CheckInMethod::Card)
            .unwrap(),
        CheckInOutcome::CheckedIn { .. }
    ));
    assert!(matches!(
        f.store.check_in(&Actor::Kiosk, &a, &next_year, CheckInMethod::Card).unwrap(),
        CheckInOutcome::ReverificationDue { due_since } if due_since == date(2027, 3, 31)
    ));
    f.clock.set(tsudoi::clock::jst(date(2027, 3, 31), 9, 0));
    let decision = f
        .store
        .reverify(
            &f.manager,
            &a,
            IdCheck {
                birth_date: date(1966, 4, 1),
                postal: PostalCode::parse("1600022").unwrap(),
                document: DocumentKind::MyNumberCard,
            },
        )
        .unwrap();
    assert!(decision.eligible);
    assert!(matches!(
        f.store
            .check_in(&Actor::Kiosk, &a, &next_year, CheckInMethod::Card)
            .unwrap(),
        CheckInOutcome::CheckedIn { .. }
    ));

    // First come: the seat limit holds.
    let full = session_on(&mut f, date(2027, 3, 31), SessionMode::FirstCome, Some(1));
    let b = f
        .store
        .register(
            &f.manager,
            resident("試験 乙", "しけん おつ", "090-2222-0002", date(1940, 2, 29)),
        )
        .unwrap();
    assert!(matches!(
        f.store
            .check_in(&Actor::Kiosk, &b, &full, CheckInMethod::Card)
            .unwrap(),
        CheckInOutcome::CheckedIn { .. }
    ));
    assert!(matches!(
        f.store
            .check_in(&Actor::Kiosk, &a, &full, CheckInMethod::Card)
            .unwrap(),
        CheckInOutcome::SessionFull
    ));
}

#[test]
fn a_person_too_young_on_the_session_date_is_refused() {
    // Registered on the day they reach 60, the session is a week earlier
    // (entered late from a paper list): not yet 60 then.
    let mut f = fixture_on(date(2026, 4, 1));
    let a = f
        .store
        .register(
            &f.manager,
            resident("試験 丙", "しけん へい", "090-2222-0003", date(1966, 4, 2)),
        )
        .unwrap();
    let earlier = session_on(&mut f, date(2026, 3, 25), SessionMode::Open, None);
    match f
        .store
        .check_in(
            &Actor::Staff(f.manager.clone()),
            &a,
            &earlier,
            CheckInMethod::Staff,
        )
        .unwrap()
    {
        CheckInOutcome::NotEligible { reaches_age_on } => {
            assert_eq!(reaches_age_on, date(2026, 4, 1))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(f.store.attendance_count().unwrap(), 0);
}

#[test]
fn corrections_and_deletion_are_recorded_by_field_name_only() {
    let mut f = fixture_on(date(2026, 11, 23));
    let id = f
        .store
        .register(
            &f.manager,
            resident("試験 丁", "しけん てい", "090-3333-0001", date(1950, 1, 1)),
        )
        .unwrap();
    f.store
        .correct(
            &f.manager,
            &id[..8],
            Correction::Phone(PhoneNumber::parse("090-3333-0002").unwrap()),
        )
        .unwrap();
    let found = f
        .store
        .find_by_phone(&f.manager, &PhoneNumber::parse("09033330002").unwrap())
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        f.store
            .find_by_phone(&f.manager, &PhoneNumber::parse("09033330001").unwrap())
            .unwrap()
            .is_empty()
    );
    f.store.delete_participant(&f.manager, &id).unwrap();
    assert!(matches!(
        f.store.participant(&f.manager, &id),
        Err(Error::NotFound { .. })
    ));
    let log = f.store.audit_entries(10).unwrap();
    let update = log.iter().find(|e| e.action == "update").unwrap();
    assert_eq!(update.fields, "phone");
    assert!(
        log.iter()
            .any(|e| e.action == "delete" && e.record_id == id)
    );
    for e in &log {
        assert!(!e.fields.contains("3333") && !e.result.contains("3333"));
    }
}

#[test]
fn old_schema_files_are_upgraded_on_open() {
    // A file made by the code before issue 12 (schema 4, store format 1;
    // see tests/keys.rs), turned back into a version-1 file: version 2 added
    // `audit_pending`, version 3 the lottery tables, version 4 `media_ledger`.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format1.db"),
        &path,
    )
    .unwrap();
    let clock = std::sync::Arc::new(tsudoi::clock::FixedClock::jst(date(2026, 11, 10), 10, 0));
    let conn = raw(&path);
    conn.execute_batch(
        "DROP TABLE lottery_applications; DROP TABLE lottery_class_sessions;
         DROP TABLE lottery_classes; DROP TABLE audit_pending; DROP TABLE media_ledger;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let mut store = reopen(&path, clock.clone());
    let v: u32 = raw(&path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, tsudoi::store::schema::CURRENT_VERSION);
    // Version 2's table works: a failed sign-in waits there, then folds in.
    store.sign_in(MANAGER, "wrong-password-99").unwrap_err();
    let s = store.sign_in(MANAGER, NEW_PASSWORD).unwrap();
    let found = store.find_by_kana(&s, "しけん はなこ").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        store.participant(&s, &found[0].id).unwrap().kana.as_str(),
        "シケン ハナコ"
    );
    assert!(matches!(
        store.verify_audit(&Actor::Staff(s)).unwrap(),
        ChainVerdict::Intact { .. }
    ));
}

#[test]
fn audit_chain_finds_edited_deleted_and_reordered_entries() {
    for tamper in ["edit", "delete", "reorder"] {
        let mut f = fixture_on(date(2026, 11, 23));
        for i in 0..5 {
            f.store
                .register(
                    &f.manager,
                    resident(
                        "試験 己",
                        "しけん き",
                        &format!("090-5555-{i:04}"),
                        date(1950, 1, 1),
                    ),
                )
                .unwrap();
        }
        let n: i64 = raw(&f.path)
            .query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))
            .unwrap();
        assert!(n >= 7);
        let conn = raw(&f.path);
        match tamper {
            "edit" => conn
                .execute("UPDATE audit SET fields = 'name' WHERE seq = 5", [])
                .unwrap(),
            "delete" => conn.execute("DELETE FROM audit WHERE seq = 5", []).unwrap(),
            _ => {
                conn.execute_batch(
                    "UPDATE audit SET seq = -1 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -1;",
                )
                .unwrap();
                0
            }
        };
        let verdict = f
            .store
            .verify_audit(&Actor::Staff(f.manager.clone()))
            .unwrap();
        let expected = if tamper == "delete" {
            BreakKind::Missing
        } else {
            BreakKind::Altered
        };
        assert_eq!(
            verdict,
            ChainVerdict::Broken {
                at_seq: 5,
                problem: expected
            },
            "{tamper}"
        );
        assert!(verdict.to_string().contains("5番目"));
    }
}

#[test]
fn store_uses_durable_settings() {
    let f = fixture_on(date(2026, 11, 23));
    let conn = raw(&f.path);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(f.store.integrity_ok().unwrap());
    let _ = KdfParams::testing();
}

/// Dates go to SQLite through rusqlite's `chrono` feature (`store::dates`):
/// `sqlite3` (not our code) still reads the `YYYY-MM-DD` text every existing
/// file holds, times keep `HH:MM`, and a date edited by hand is refused as
/// damaged data (exit code 4), not a fault or a panic.
#[test]
fn dates_are_stored_as_iso_days_and_a_damaged_one_is_refused() {
    let mut f = fixture_on(date(2026, 10, 26));
    let pid = f
        .store
        .register(
            &f.manager,
            resident(
                "試験 七郎",
                "しけん しちろう",
                "090-1111-0007",
                date(1950, 5, 6),
            ),
        )
        .unwrap();
    let class = lottery_class(&mut f, "秋の体操", &[date(2026, 12, 3)], 10, None);
    assert_eq!(
        sqlite3(
            &f.path,
            "SELECT date || ' ' || start_time || '-' || end_time FROM sessions"
        ),
        "2026-12-03 10:00-11:30"
    );
    assert_eq!(
        sqlite3(
            &f.path,
            "SELECT apply_from || ' ' || apply_until || ' ' || draw_on FROM lottery_classes"
        ),
        "2026-11-01 2026-11-15 2026-11-20"
    );
    assert_eq!(
        sqlite3(
            &f.path,
            "SELECT verified_on || ' ' || consent_on FROM participants"
        ),
        "2026-10-26 2026-10-26"
    );
    // Read back as written.
    let c = f.store.lottery_class(&class).unwrap();
    assert_eq!(
        (c.apply_from, c.apply_until, c.draw_on),
        (date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 20))
    );
    assert_eq!(c.session_dates, vec![date(2026, 12, 3)]);
    let p = f.store.participant(&f.manager, &pid).unwrap();
    assert_eq!(p.consent_on, date(2026, 10, 26));
    assert_eq!(p.verified_on, Some(date(2026, 10, 26)));
    // Edited by hand: damaged data, nothing shown.
    sqlite3(&f.path, "UPDATE lottery_classes SET draw_on = '2026-11-2x'");
    let e = f.store.lottery_class(&class).unwrap_err();
    assert_eq!(e.kind().exit_code(), 4, "{e}");
    sqlite3(&f.path, "UPDATE participants SET consent_on = '2026-13-01'");
    let e = f.store.participant(&f.manager, &pid).unwrap_err();
    assert_eq!(e.kind().exit_code(), 4, "{e}");
    let sid = sqlite3(&f.path, "SELECT id FROM sessions");
    sqlite3(&f.path, "UPDATE sessions SET date = '3 Dec 2026'");
    let e = f.store.session(&sid).unwrap_err();
    assert_eq!(e.kind().exit_code(), 4, "{e}");
}
