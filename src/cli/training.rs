//! `tsudoi training`: the kiosk on a practice store of invented residents
//! (研修モード, issue 19). The real store is never opened while training
//! runs; when the window closes after 「研修を終わる」, the staff member signs
//! in to the real store (password prompt, or `TSUDOI_PASSWORD`) and the
//! completed exercises are written to its training record.
//! `tsudoi training chapters` lists the manuals' chapters and
//! `tsudoi training read CHAPTER…` records those the staff member read.

use std::process::ExitCode;

use tsudoi::cli_error::CliError;
use tsudoi::training::{Chapter, Exercise, Manual, Practice, refuse_practice_path};
use tsudoi::{Error, Result};

use super::commands::{Context, kiosk_config, ui_error};
use super::{TrainingAction, TrainingArgs};

pub(super) fn training(ctx: &Context, a: &TrainingArgs) -> Result<ExitCode> {
    match &a.action {
        None => practice(ctx, a),
        Some(TrainingAction::Chapters) => {
            for m in Manual::ALL {
                println!("{}", m.title());
                for c in m.chapters() {
                    println!("  {:<13} {}. {}", c.short_code(), c.number, c.title);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(TrainingAction::Read { chapters }) => read(ctx, chapters),
    }
}

/// `tsudoi training read CHAPTER…`: every code is checked before the
/// sign-in, so a typing mistake records nothing.
fn read(ctx: &Context, codes: &[String]) -> Result<ExitCode> {
    let mut chapters = Vec::new();
    for code in codes {
        let chapter = Chapter::parse(code).ok_or_else(|| CliError::UnknownChapter {
            code: code.to_string(),
        })?;
        if !chapters.contains(&chapter) {
            chapters.push(chapter);
        }
    }
    let (mut store, staff) = ctx.sign_in()?;
    let written = store.record_chapters_read(&staff, &chapters);
    store.sign_out(&staff)?;
    let written = written?;
    for c in &chapters {
        println!("  {}", c.label());
    }
    println!(
        "読んだ章を研修の記録に残しました（{}章、うち新しく{written}件）。",
        chapters.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn practice(ctx: &Context, a: &TrainingArgs) -> Result<ExitCode> {
    let trainee = ctx.staff_id()?.to_owned();
    let real = ctx.store_path().to_owned();
    // Checked before anything is made or opened: a practice store must be a
    // new file, never the real store (its bytes stay as they are).
    if let Some(p) = &a.practice_store {
        refuse_practice_path(p, &real)?;
    }
    if !real.exists() {
        return Err(Error::StoreMissing(format!(
            "{}（研修の記録を残す本番の保存ファイル。--store か TSUDOI_STORE で指定してください）",
            real.display()
        )));
    }
    let config = kiosk_config(ctx, &a.kiosk)?;
    let today = ctx.clock.today();
    let (store, practice) = Practice::create(&trainee, today, a.practice_store.as_deref(), &real)?;
    println!(
        "研修モードを始めます（架空のデータ。本番の保存ファイルは研修が終わるまで開きません）。"
    );
    println!(
        "スタッフID {trainee}、研修用のパスワード {} でサインインしてください。",
        tsudoi::training::PRACTICE_PASSWORD
    );
    let ui = tsudoi::kiosk::KioskUi::new(tsudoi::kiosk::KioskController::new_training(
        store, practice, config,
    ))
    .map_err(ui_error)?;
    // The demo's simulated reader panel: cards to tap on a desktop; a real
    // reader is not needed to practise.
    ui.set_demo_mode(true);
    let (reader, control) = tsudoi_hw::SimulatedReader::new();
    let handle = tsudoi_hw::spawn_reader(Box::new(reader), tsudoi_hw::ReaderSettings::default());
    ui.attach_reader(
        handle,
        Some(control),
        tsudoi_hw::open_feedback(&ctx.config.hardware.gpio),
    );
    ui.with_controller(|c| c.set_speaker(tsudoi::kiosk::voice::open(&ctx.config.voice)));
    slint::ComponentHandle::run(ui.window()).map_err(ui_error)?;
    let result = ui.with_controller(|c| c.take_training_result());
    // The practice store closes and its file is deleted here.
    drop(ui);
    let Some(result) = result else {
        println!("「研修を終わる」を押さずに閉じたため、研修の記録は残しません。");
        return Ok(ExitCode::SUCCESS);
    };
    if result.is_empty() {
        println!("終えた課題も読んだ章もありません。研修の記録は残しません。");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "終えた課題（{}/{}）:",
        result.done.len(),
        Exercise::ALL.len()
    );
    for e in &result.done {
        println!("  {}", e.label());
    }
    if !result.chapters.is_empty() {
        println!("読んだ章:");
        for c in &result.chapters {
            println!("  {}", c.label());
        }
    }
    println!("本番の保存ファイルに研修の記録を残します。");
    let (mut store, staff) = ctx.sign_in()?;
    let written = store.record_training_and_chapters(&staff, &result.done, &result.chapters)?;
    store.sign_out(&staff)?;
    println!("研修の記録を残しました（新しく{written}件）。");
    Ok(ExitCode::SUCCESS)
}
