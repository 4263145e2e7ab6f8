//! `tsudoi clock show` and `tsudoi clock confirm`: the guard against a clock
//! that went backwards (the Pi has no real-time clock; see
//! `tsudoi::store::clock_guard`).

use std::process::ExitCode;

use chrono::NaiveDateTime;
use tsudoi::Result;
use tsudoi::cli_error::CliError;
use tsudoi::store::clock_guard::{CLOCK_SLACK_SECONDS, display_time};

use super::ClockCmd;
use super::commands::Context;

/// Reads "2026-12-02 10:30" (seconds optional, `T` allowed, full-width digits allowed).
fn parse_stated(s: &str) -> Result<NaiveDateTime> {
    let t = tsudoi::eligibility::to_halfwidth(s.trim()).replace('T', " ");
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        .ok_or_else(|| {
            CliError::ClockTimeForm {
                input: s.trim().to_owned(),
            }
            .into()
        })
}

pub fn clock(ctx: &Context, c: ClockCmd) -> Result<ExitCode> {
    match c {
        ClockCmd::Show => {
            let store = ctx.open()?;
            let now = ctx.clock.now();
            println!("端末の時計: {}", display_time(&now));
            match store.latest_time_seen()? {
                Some(t) => println!("最後に記録された日時: {}", display_time(&t)),
                None => println!("最後に記録された日時: なし"),
            }
            match store.clock_behind() {
                Some(_) => {
                    println!(
                        "状態: 端末の時計が{CLOCK_SLACK_SECONDS}秒より大きく戻っています。受付は記録しません。時計を合わせてから tsudoi clock confirm --now \"YYYY-MM-DD HH:MM\" で確かめてください。"
                    );
                    Ok(ExitCode::from(1))
                }
                None => {
                    println!("状態: 受付を記録できます");
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        ClockCmd::Confirm { now } => {
            let stated = parse_stated(&now)?;
            let (mut store, staff) = ctx.sign_in()?;
            let was_behind = store.clock_behind().is_some();
            store.confirm_clock(&staff, stated)?;
            println!(
                "端末の時計（{}）を確かめました（記録: {}）。{}",
                display_time(&ctx.clock.now()),
                staff.staff_id(),
                if was_behind {
                    "受付をまた記録できます。"
                } else {
                    "時計は戻っていませんでした。"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
