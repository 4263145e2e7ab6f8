//! Every sentence and label of 研修モード at the kiosk, in one place: the
//! sign-in's lines when training starts and ends, the banner, the guide.
//! The banner itself ([`crate::training::BANNER`]) and the exercises' names
//! and how-tos ([`Exercise::label`], [`Exercise::how`]) belong to the
//! training module, shared with the command line and the record.

use super::{Recorded, TrainingResult};
use crate::training::{Chapter, Exercise, Manual, SAMPLE_ID};

/// The sign-in form's line after 「研修モード」.
pub const START: &str = "研修モード: ご自分のスタッフIDとパスワードを入れてください。研修は架空のデータで行い、本番の記録は見えず、変わりません。";

/// Training asked with a staff member's first password.
pub const FIRST_SIGN_IN: &str = "はじめてのサインインでは研修を始められません。先にふつうにサインインして、パスワードを決めてください。";

/// The practice store could not be made; `e` says why.
pub fn not_made(e: &dyn std::fmt::Display) -> String {
    format!("研修用のデータを作れませんでした（{e}）。")
}

/// 「課題 4/6・読んだ章 3」: what a training came to, in short.
pub fn summary(r: &TrainingResult) -> String {
    format!(
        "課題 {}/{}・読んだ章 {}",
        r.done.len(),
        Exercise::ALL.len(),
        r.chapters.len()
    )
}

/// The sign-in form's line once 「研修を終わる」 was pressed at the kiosk.
pub fn finished(r: &TrainingResult) -> String {
    if r.is_empty() {
        "研修を終えました。終えた課題も読んだ章もないので、記録はありません。「やめる」でもどります。"
            .into()
    } else {
        format!(
            "研修を終えました（{}）。{} のパスワードでサインインすると記録します。「やめる」と記録しません。",
            summary(r),
            r.trainee
        )
    }
}

/// The line on 「今日の受付」 after the trainee's sign-in wrote (or could
/// not write) the record; `None`: nothing to say.
pub fn recorded(r: &Recorded) -> Option<String> {
    match r {
        Recorded::Nothing => None,
        Recorded::Written { new, result } => Some(format!(
            "研修の記録を残しました（新しく {new} 件、{}）。",
            summary(result)
        )),
        Recorded::Failed => {
            Some("研修の記録を残せませんでした。取扱責任者に連絡してください。".into())
        }
    }
}

/// The banner's right-hand side: 「終えた課題 2/6　課題を見る ▶」
/// (while training; else empty, like the banner).
pub fn banner_action(done: usize, training: bool) -> String {
    if training {
        format!("{}　課題を見る ▶", progress(done))
    } else {
        "　課題を見る ▶".into()
    }
}

/// 「終えた課題 2/6」
pub fn progress(done: usize) -> String {
    format!("終えた課題 {done}/{}", Exercise::ALL.len())
}

/// The guide's heading: 「研修の課題（スタッフ uketsuke02）　終えた課題 2/6」.
pub fn guide_title(trainee: &str, done: usize, training: bool) -> String {
    let progress = if training {
        progress(done)
    } else {
        String::new()
    };
    format!("研修の課題（スタッフ {trainee}）　{progress}")
}

/// Read out for the guide's heading (the tests find the guide by it).
pub const GUIDE_LABEL: &str = "研修の課題";
/// Read out for the banner, a button that opens the guide.
pub const BANNER_LABEL: &str = "研修の課題を見る";
/// Read out for the line with the next exercise.
pub const NEXT_LABEL: &str = "つぎの課題";

/// The practice store's password, shown on the guide.
pub fn password(password: &str) -> String {
    format!("研修用のパスワード: {password}")
}

/// An exercise's mark on the guide.
pub fn exercise_mark(done: bool) -> &'static str {
    if done { "済み" } else { "まだ" }
}

/// A chapter's mark on the guide's 「読んだ章」 page.
pub fn chapter_mark(read: bool) -> &'static str {
    if read { "読んだ" } else { "まだ" }
}

/// A chapter's row: 「3. 参加する方の画面と、その意味」.
pub fn chapter(c: &Chapter) -> String {
    format!("{}. {}", c.number, c.title)
}

/// The next exercise not done yet and how to do it (the registration's
/// with the sample ID card's number); when all are done, how to end.
pub fn next(next: Option<Exercise>, training: bool) -> String {
    match next {
        Some(Exercise::Register) => format!("つぎ: {}\n{SAMPLE_ID}", Exercise::Register.how()),
        Some(e) => format!("つぎ: {}", e.how()),
        None if training => "すべての課題を終えました。「研修を終わる」を押してください。".into(),
        None => String::new(),
    }
}

/// The heading of the 「読んだ章」 page.
pub fn chapters_title(read: usize, all: usize) -> String {
    format!(
        "{}：読んだ章を押してください（読んだ章 {read}/{all}）。研修を終えるときに記録します。",
        Manual::Staff.title()
    )
}

/// The guide's button back to the screen underneath.
pub const BACK: &str = "画面にもどる";
/// The guide's button to the manual's chapters.
pub const CHAPTERS: &str = "読んだ章";
/// The chapters page's button back to the exercises.
pub const EXERCISES: &str = "課題を見る";
/// The guide's button that ends the training.
pub const FINISH: &str = "研修を終わる";
