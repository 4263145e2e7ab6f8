//! `tsudoi training`: the kiosk on a practice store of invented residents
//! (研修モード, issue 19). The real store is never opened while training
//! runs; when the window closes after 「研修を終わる」, the staff member signs
//! in to the real store (password prompt, or `TSUDOI_PASSWORD`) and the
//! completed exercises are written to its training record.

use std::process::ExitCode;

use tsudoi::training::{Exercise, Practice, refuse_practice_path};
use tsudoi::{Error, Result};

use super::TrainingArgs;
use super::commands::{Context, kiosk_config, ui_error};

pub(super) fn training(ctx: &Context, a: &TrainingArgs) -> Result<ExitCode> {
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
    slint::ComponentHandle::run(ui.window()).map_err(ui_error)?;
    let result = ui.with_controller(|c| c.take_training_result());
    // The practice store closes and its file is deleted here.
    drop(ui);
    let Some(result) = result else {
        println!("「研修を終わる」を押さずに閉じたため、研修の記録は残しません。");
        return Ok(ExitCode::SUCCESS);
    };
    if result.done.is_empty() {
        println!("終えた課題はありません。研修の記録は残しません。");
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
    println!("本番の保存ファイルに研修の記録を残します。");
    let (mut store, staff) = ctx.sign_in()?;
    let written = store.record_training(&staff, &result.done)?;
    store.sign_out(&staff)?;
    println!("研修の記録を残しました（新しく{written}件）。");
    Ok(ExitCode::SUCCESS)
}
