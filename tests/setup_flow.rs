//! 「はじめての設定」: the first-start wizard's decisions and words over a
//! fake [`StoreMaker`] (no Slint; the real maker in a temporary folder for
//! the last test): the steps in order, what each refuses and says, the
//! recovery key held only until its check, a failed creation or a store
//! that cannot be put in place. `tests/kiosk_setup.rs` drives the same
//! wizard through its screen. All names, keys and passwords are invented.

use std::sync::{Arc, Mutex};

use tsudoi::eligibility::PostalTable;
use tsudoi::kiosk::controller::Field;
use tsudoi::kiosk::flows::setup::{
    Created, Notice, SetupController, SetupStep, StoreCreator, StoreMaker, wording as w,
};
use tsudoi::store::Policy;
use tsudoi::{Error, Result};
use zeroize::Zeroizing;

/// What the screen would say under the step (the wizard's notice in words).
fn msg(c: &SetupController) -> String {
    w::notice(c.notice())
}

const KEY: &str = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UV2";
const PASSWORD: &str = "Hajimete-2026-pass";

/// Records what it was asked; fails when told to.
#[derive(Default)]
struct Fake {
    made: Mutex<Vec<(String, String, String)>>,
    kept: Mutex<u32>,
    fail_create: bool,
    fail_keep: bool,
}

impl StoreMaker for Fake {
    fn create(&self, site: &str, manager: &str, password: &str) -> Result<Created> {
        if self.fail_create {
            return Err(Error::Refused("ディスクがいっぱいです。".into()));
        }
        self.made
            .lock()
            .unwrap()
            .push((site.into(), manager.into(), password.into()));
        Ok(Created {
            recovery_key: Zeroizing::new(KEY.into()),
            public_key: "0123456789abcdef".repeat(4),
            audit_vkey: "tsudoi/テスト施設+01234567+AQID".into(),
        })
    }

    fn keep(&self) -> Result<()> {
        if self.fail_keep {
            return Err(Error::Refused("置けません。".into()));
        }
        *self.kept.lock().unwrap() += 1;
        Ok(())
    }
}

fn wizard(fake: Fake, site: Option<&str>) -> (SetupController, Arc<Fake>) {
    let fake = Arc::new(fake);
    (SetupController::new(fake.clone(), site), fake)
}

fn typed(c: &mut SetupController, text: &str) {
    for ch in text.chars() {
        if ch.is_ascii_uppercase() && !c.shifted() {
            c.toggle_shift();
            c.key(&ch.to_ascii_lowercase().to_string());
            c.toggle_shift();
        } else {
            c.key(&ch.to_string());
        }
    }
}

/// Welcome → site (kana) → manager → password twice → confirm.
fn to_confirm(c: &mut SetupController) {
    c.next();
    for k in ["テ", "ス", "ト", "空白"] {
        c.key(k);
    }
    c.keyboard(false);
    typed(c, "A1");
    c.next();
    assert_eq!(c.site(), "テスト A1");
    typed(c, "kanri01");
    c.next();
    typed(c, PASSWORD);
    c.focus(Field::Second);
    typed(c, PASSWORD);
    c.next();
    assert_eq!(c.step(), SetupStep::Confirm, "{}", msg(c));
}

#[test]
fn the_whole_wizard_with_the_fake() {
    let (mut c, fake) = wizard(Fake::default(), None);
    assert_eq!(c.step(), SetupStep::Welcome);
    assert!(w::lines(&c).iter().any(|l| l.contains("記録票とペン")));
    assert!(!c.can_go_back());
    to_confirm(&mut c);
    assert!(w::lines(&c).iter().any(|l| l == "施設名：テスト A1"));
    assert!(w::lines(&c).iter().all(|l| !l.contains(PASSWORD)));
    let job = c.create().unwrap();
    assert_eq!(c.step(), SetupStep::Creating);
    assert_eq!(w::title(c.step()), "作成しています");
    assert_eq!(w::next(c.step()), "");
    assert!(!c.can_go_on(), "no button goes on while creating");
    assert!(c.create().is_none(), "one creation at a time");
    c.created(job.run());
    assert_eq!(
        fake.made.lock().unwrap().as_slice(),
        [("テスト A1".into(), "kanri01".into(), PASSWORD.into())]
    );
    assert_eq!(c.step(), SetupStep::RecoveryKey);
    assert_eq!(c.key_groups().len(), 14);
    assert_eq!(c.key_groups()[0], "ABCD");
    assert!(w::lines(&c)[0].contains("この画面を閉じると二度と表示されません"));
    assert!(!c.can_go_back());
    c.next();
    assert_eq!(c.step(), SetupStep::RecoveryCheck);
    assert!(
        c.key_groups().is_empty(),
        "the key is not shown while checked"
    );
    assert!(c.shifted(), "capitals, as on the sheet");
    assert_eq!(*fake.kept.lock().unwrap(), 0, "not kept before the check");
    for k in ["u", "v", "2", "7"] {
        c.key(k);
    }
    assert_eq!(c.first_shown(), "UV2", "no more than the group's length");
    c.next();
    assert_eq!(c.step(), SetupStep::DeviceKeys, "{}", msg(&c));
    assert_eq!(*fake.kept.lock().unwrap(), 1);
    assert!(!c.holds_recovery_key(), "the key is gone once confirmed");
    let lines = w::lines(&c);
    assert!(lines.contains(
        &"01234567 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567 89abcdef".to_owned()
    ));
    assert!(lines.iter().any(|l| l.starts_with("tsudoi/テスト施設+")));
    c.back();
    assert_eq!(c.step(), SetupStep::DeviceKeys, "no way back to the key");
    c.next();
    assert_eq!(c.step(), SetupStep::Done);
    assert_eq!(w::title(c.step()), "設定が終わりました");
    assert!(!c.finished());
    c.next();
    assert!(c.finished());
}

#[test]
fn back_on_every_input_step_and_passwords_are_typed_again() {
    let (mut c, _) = wizard(Fake::default(), None);
    to_confirm(&mut c);
    c.back();
    assert_eq!(c.step(), SetupStep::Password);
    assert_eq!(c.first_shown(), "", "the passwords are typed again");
    assert_eq!(c.second_shown(), "");
    c.back();
    assert_eq!(c.step(), SetupStep::Manager);
    assert_eq!(c.first_shown(), "kanri01", "the id is kept");
    c.back();
    assert_eq!(c.step(), SetupStep::Site);
    assert_eq!(c.first_shown(), "テスト A1");
    c.back();
    assert_eq!(c.step(), SetupStep::Welcome);
    c.back();
    assert_eq!(c.step(), SetupStep::Welcome);
}

#[test]
fn site_and_staff_id_are_checked() {
    let (mut c, _) = wizard(Fake::default(), None);
    c.next();
    c.key("空白");
    c.next();
    assert_eq!(c.step(), SetupStep::Site);
    assert_eq!(msg(&c), "施設名を入力してください。");
    c.key("ア");
    assert_eq!(msg(&c), "", "typing clears the message");
    c.key("あ");
    c.key("漢");
    assert_eq!(c.site(), " ア", "only what the keyboards type");
    c.backspace();
    c.backspace();
    c.key("ア");
    c.next();
    assert_eq!(c.step(), SetupStep::Manager);
    assert_eq!(c.site(), "ア");
    c.key("k");
    c.next();
    assert!(msg(&c).contains("2〜32文字"), "{}", msg(&c));
    assert_eq!(c.step(), SetupStep::Manager);
    c.key("空白");
    assert_eq!(c.manager(), "k", "no spaces in an id");
    for _ in 0..40 {
        c.key("a");
    }
    assert_eq!(c.manager().len(), 32);
}

#[test]
fn password_rules_and_mismatch_in_plain_japanese() {
    let (mut c, _) = wizard(Fake::default(), None);
    c.next();
    c.key("ア");
    c.next();
    typed(&mut c, "kanri01");
    c.next();
    c.next();
    assert_eq!(msg(&c), "パスワードを2回入力してください。");
    typed(&mut c, "short-1");
    c.focus(Field::Second);
    typed(&mut c, "short-1");
    c.next();
    assert_eq!(
        msg(&c),
        "パスワードは13文字以上にしてください（今は7文字）。"
    );
    assert_eq!(c.first_shown(), "", "a refused password is cleared");
    assert_eq!(c.field(), Field::First);
    typed(&mut c, "kanri01-2026-pass");
    c.focus(Field::Second);
    typed(&mut c, "kanri01-2026-pass");
    c.next();
    assert_eq!(msg(&c), "パスワードにスタッフIDを含めないでください。");
    typed(&mut c, PASSWORD);
    c.focus(Field::Second);
    typed(&mut c, "Hajimete-2026-pasS");
    c.next();
    assert_eq!(
        msg(&c),
        "2回入力したパスワードが一致しません。もう一度入力してください。"
    );
    assert_eq!(c.field(), Field::Second);
    assert_eq!(c.first_shown().chars().count(), PASSWORD.len());
    assert_eq!(c.second_shown(), "");
    typed(&mut c, PASSWORD);
    c.backspace();
    assert_eq!(c.second_shown().chars().count(), PASSWORD.len() - 1);
    c.key("s");
    c.next();
    assert_eq!(c.step(), SetupStep::Confirm);
}

#[test]
fn a_failed_creation_returns_to_the_confirmation() {
    let (mut c, _) = wizard(
        Fake {
            fail_create: true,
            ..Fake::default()
        },
        None,
    );
    to_confirm(&mut c);
    let job = c.create().unwrap();
    c.created(job.run());
    assert_eq!(c.step(), SetupStep::Confirm);
    assert_eq!(msg(&c), "作成できませんでした。ディスクがいっぱいです。");
    // The passwords are still there: 「作成する」 again is enough.
    assert!(c.create().is_some());
}

#[test]
fn a_wrong_group_is_refused_and_the_key_can_be_seen_again() {
    let (mut c, fake) = wizard(Fake::default(), None);
    to_confirm(&mut c);
    let job = c.create().unwrap();
    c.created(job.run());
    c.next();
    for k in ["U", "V", "3"] {
        c.key(k);
    }
    c.next();
    assert_eq!(c.step(), SetupStep::RecoveryCheck);
    assert!(msg(&c).contains("一致しません"));
    assert_eq!(c.first_shown(), "");
    assert_eq!(*fake.kept.lock().unwrap(), 0);
    c.back();
    assert_eq!(c.step(), SetupStep::RecoveryKey);
    assert_eq!(c.key_groups().last().unwrap(), "UV2");
    c.next();
    // Lowercase, and 1/0 read as I/O, like a typed recovery key.
    for k in ["u", "v", "2"] {
        c.key(k);
    }
    c.next();
    assert_eq!(c.step(), SetupStep::DeviceKeys);
}

#[test]
fn a_store_that_cannot_be_put_in_place_says_so() {
    let (mut c, _) = wizard(
        Fake {
            fail_keep: true,
            ..Fake::default()
        },
        None,
    );
    to_confirm(&mut c);
    let job = c.create().unwrap();
    c.created(job.run());
    c.next();
    for k in ["U", "V", "2"] {
        c.key(k);
    }
    c.next();
    assert_eq!(c.step(), SetupStep::RecoveryCheck);
    assert_eq!(msg(&c), "保存ファイルを置けませんでした。置けません。");
    assert!(c.holds_recovery_key(), "still there to try again");
}

#[test]
fn the_configured_site_is_offered() {
    let (mut c, _) = wizard(Fake::default(), Some("  新宿区ふれあい交流スペース "));
    c.next();
    assert_eq!(c.first_shown(), "新宿区ふれあい交流スペース");
    assert!(w::lines(&c)[0].contains("設定ファイルの施設名"));
    c.next();
    assert_eq!(c.step(), SetupStep::Manager);
    assert_eq!(c.site(), "新宿区ふれあい交流スペース");
}

#[test]
fn the_real_maker_keeps_nothing_until_the_key_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tsudoi.db");
    let maker = StoreCreator {
        path: path.clone(),
        policy: Policy {
            kdf: tsudoi::crypto::KdfParams::testing(),
            ..Policy::default()
        },
        postal: PostalTable::shinjuku(),
        clock: Arc::new(tsudoi::clock::FixedClock::jst(
            chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            9,
            0,
        )),
    };
    // A set-up cut short earlier left its file: it is replaced.
    std::fs::write(maker.pending_path(), b"left over").unwrap();
    let made = maker.create("テスト施設", "kanri01", PASSWORD).unwrap();
    assert!(!path.exists());
    assert!(maker.pending_path().exists());
    assert_eq!(made.recovery_key.split('-').count(), 14);
    assert_eq!(made.public_key.len(), 64);
    assert!(made.audit_vkey.starts_with("tsudoi/テスト施設+"));
    maker.keep().unwrap();
    assert!(path.exists() && !maker.pending_path().exists());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["tsudoi.db"], "no WAL left beside it");
    assert!(matches!(
        maker.create("テスト施設", "kanri01", PASSWORD),
        Err(Error::StoreExists(_))
    ));
}

#[test]
fn an_entry_step_says_why_it_stopped_in_place_of_its_guide() {
    let (mut c, _) = wizard(Fake::default(), None);
    c.next();
    assert_eq!(
        w::guide(&c),
        "カタカナか英数字で入力してください。あとから変えられません。"
    );
    c.next();
    assert_eq!(*c.notice(), Notice::SiteMissing);
    assert_eq!(w::guide(&c), "施設名を入力してください。");
    c.key("ア");
    assert_eq!(*c.notice(), Notice::None, "typing clears the notice");
    assert!(w::guide(&c).starts_with("カタカナか英数字"));
    c.next();
    c.key("k");
    c.next();
    assert!(
        matches!(c.notice(), Notice::Refused(why) if why.contains("2〜32文字")),
        "the store's own rule, in its words: {:?}",
        c.notice()
    );
    assert_eq!(w::guide(&c), msg(&c));
}

#[test]
fn the_keyboards_and_fields_answer_only_on_their_steps() {
    let (mut c, _) = wizard(Fake::default(), None);
    c.keyboard(false);
    assert!(c.kana(), "no keyboard to switch on the welcome step");
    c.focus(Field::Second);
    assert_eq!(
        c.field(),
        Field::First,
        "no second field before the password"
    );
    c.key("a");
    assert_eq!(c.site(), "", "nothing types on the welcome step");
    c.next();
    assert!(c.kana(), "the site is typed in katakana first");
    c.key("a");
    assert_eq!(c.site(), "a", "the letter keys type there too");
    c.keyboard(false);
    assert!(!c.kana());
    c.toggle_shift();
    c.key("b");
    assert_eq!(c.site(), "aB");
    c.next();
    assert!(!c.shifted(), "the manager's id starts in small letters");
    c.keyboard(true);
    assert!(!c.kana(), "the id has no kana keyboard");
    typed(&mut c, "kanri01");
    c.next();
    c.focus(Field::Second);
    assert_eq!(c.field(), Field::Second);
    typed(&mut c, "x");
    assert_eq!(c.first_shown(), "");
    assert_eq!(c.second_shown(), "●");
}

#[test]
fn the_words_of_every_step_and_no_password_in_them() {
    let (mut c, _) = wizard(Fake::default(), None);
    let mut seen = Vec::new();
    let mut record = |c: &SetupController| {
        let all = [
            w::title(c.step()).to_owned(),
            w::caption(c.step()).to_owned(),
            w::back(c.step()).to_owned(),
            w::next(c.step()).to_owned(),
            w::lines(c).join("\n"),
        ]
        .join("\n");
        assert!(!all.contains(PASSWORD), "{:?}", c.step());
        seen.push((c.step(), w::next(c.step())));
    };
    record(&c);
    to_confirm(&mut c);
    record(&c);
    let job = c.create().unwrap();
    record(&c);
    c.created(job.run());
    record(&c);
    c.next();
    record(&c);
    assert_eq!(
        w::lines(&c),
        ["書き写した回復キーの、最後のまとまり（3文字）を入力してください。"]
    );
    assert_eq!(w::back(c.step()), "もう一度見る");
    for k in ["U", "V", "2"] {
        c.key(k);
    }
    c.next();
    record(&c);
    c.next();
    record(&c);
    assert_eq!(
        w::lines(&c)[0],
        "施設：テスト A1　取扱責任者：kanri01",
        "the last step names what was made"
    );
    assert_eq!(
        seen,
        [
            (SetupStep::Welcome, "はじめる"),
            (SetupStep::Confirm, "作成する"),
            (SetupStep::Creating, ""),
            (SetupStep::RecoveryKey, "書き写しました"),
            (SetupStep::RecoveryCheck, "確かめる"),
            (SetupStep::DeviceKeys, "写しました"),
            (SetupStep::Done, "サインインへ"),
        ]
    );
}
