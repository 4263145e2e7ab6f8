//! 研修モード at the kiosk: the guide's pages and the writing of a
//! training's record at the trainee's sign-in, over a fake recorder (no
//! database, no Slint), and the words the trainee reads. `tests/training.rs`
//! drives the same flow through the kiosk's window on a practice store. All
//! staff ids are invented.

use tsudoi::kiosk::flows::training::{
    Guide, Recorded, TrainingRecorder, TrainingResult, record, wording as w,
};
use tsudoi::training::{Chapter, Exercise, Manual};

/// Remembers what it was asked to record; refuses when told to.
#[derive(Default)]
struct Fake {
    calls: Vec<(Vec<Exercise>, Vec<Chapter>)>,
    fail: bool,
}

impl TrainingRecorder for Fake {
    fn record(&mut self, done: &[Exercise], chapters: &[Chapter]) -> tsudoi::Result<usize> {
        if self.fail {
            return Err(tsudoi::Error::Locked);
        }
        self.calls.push((done.to_vec(), chapters.to_vec()));
        Ok(done.len() + chapters.len())
    }
}

fn result(trainee: &str, done: &[Exercise], chapters: usize) -> TrainingResult {
    TrainingResult {
        trainee: trainee.into(),
        done: done.to_vec(),
        chapters: Manual::Staff
            .chapters()
            .into_iter()
            .take(chapters)
            .collect(),
    }
}

#[test]
fn the_guide_opens_on_the_exercises_and_its_chapters_only_while_open() {
    let mut g = Guide::default();
    assert!(!g.is_open());
    g.chapters(true);
    assert!(!g.shows_chapters(), "no chapters page on a closed guide");
    g.open();
    assert!(g.is_open() && !g.shows_chapters(), "opens on the exercises");
    g.chapters(true);
    assert!(g.shows_chapters());
    g.open();
    assert!(!g.shows_chapters(), "the banner again: the exercises");
    g.chapters(true);
    g.close();
    assert!(!g.is_open() && !g.shows_chapters());
    g.open();
    assert!(!g.shows_chapters(), "closing forgets the chapters page");
}

#[test]
fn the_trainee_s_sign_in_records_once_and_says_what() {
    let mut fake = Fake::default();
    let r = result(
        "uketsuke02",
        &[Exercise::Register, Exercise::CheckInByHand],
        3,
    );
    let got = record(r.clone(), "uketsuke02", &mut fake);
    assert_eq!(
        got,
        Recorded::Written {
            new: 5,
            result: r.clone()
        }
    );
    assert_eq!(fake.calls, [(r.done.clone(), r.chapters.clone())]);
    assert_eq!(
        w::recorded(&got).unwrap(),
        "研修の記録を残しました（新しく 5 件、課題 2/6・読んだ章 3）。"
    );
}

#[test]
fn another_staff_member_or_an_empty_training_records_nothing() {
    let mut fake = Fake::default();
    let r = result("uketsuke02", &[Exercise::Register], 0);
    assert_eq!(record(r, "kanri01", &mut fake), Recorded::Nothing);
    let empty = result("uketsuke02", &[], 0);
    assert!(empty.is_empty());
    assert_eq!(record(empty, "uketsuke02", &mut fake), Recorded::Nothing);
    assert!(fake.calls.is_empty(), "the store was not asked");
    assert_eq!(
        w::recorded(&Recorded::Nothing),
        None,
        "the sign-in says nothing"
    );
}

#[test]
fn a_refused_record_asks_for_the_manager() {
    let mut fake = Fake {
        fail: true,
        ..Fake::default()
    };
    let got = record(result("uketsuke02", &[], 1), "uketsuke02", &mut fake);
    assert_eq!(got, Recorded::Failed);
    assert_eq!(
        w::recorded(&got).unwrap(),
        "研修の記録を残せませんでした。取扱責任者に連絡してください。"
    );
}

#[test]
fn the_end_of_a_training_says_whether_a_sign_in_will_record_it() {
    let r = result("uketsuke02", &Exercise::ALL, 2);
    assert_eq!(r.summary(), "課題 6/6・読んだ章 2");
    assert_eq!(
        w::finished(&r),
        "研修を終えました（課題 6/6・読んだ章 2）。uketsuke02 のパスワードでサインインすると記録します。「やめる」と記録しません。"
    );
    assert!(w::finished(&result("uketsuke02", &[], 0)).contains("記録はありません"));
}

#[test]
fn the_guide_s_words() {
    assert_eq!(w::progress(2), "終えた課題 2/6");
    assert_eq!(w::banner_action(2, true), "終えた課題 2/6　課題を見る ▶");
    assert_eq!(
        w::guide_title("uketsuke02", 0, true),
        "研修の課題（スタッフ uketsuke02）　終えた課題 0/6"
    );
    assert_eq!(w::exercise_mark(true), "済み");
    assert_eq!(w::chapter_mark(false), "まだ");
    let first = Manual::Staff.chapters()[0];
    assert!(w::chapter(&first).starts_with("1. "));
    assert!(w::next(Some(Exercise::Register), true).starts_with("つぎ: "));
    assert!(
        w::next(Some(Exercise::Register), true).contains(tsudoi::training::SAMPLE_ID),
        "the registration exercise shows the sample card's number"
    );
    assert_eq!(
        w::next(None, true),
        "すべての課題を終えました。「研修を終わる」を押してください。"
    );
    assert_eq!(w::next(None, false), "");
    assert!(w::chapters_title(3, 10).contains("（読んだ章 3/10）"));
}
