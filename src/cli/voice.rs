//! `tsudoi voice show` and `tsudoi voice set`: the kiosk's spoken guidance
//! as the kiosk's 「音声案内の設定」 sets it (kept in the store, over the
//! configuration's `[voice]`; see docs/dev/voice.md).

use std::process::ExitCode;

use tsudoi::Result;
use tsudoi::cli_error::CliError;
use tsudoi::store::voice_setting::VoiceSetting;

use super::VoiceCmd;
use super::commands::Context;

/// What the kiosk runs with: the stored setting, else the configuration's.
fn effective(ctx: &Context, stored: Option<VoiceSetting>) -> VoiceSetting {
    stored.unwrap_or(VoiceSetting {
        enabled: ctx.config.voice.enabled,
        volume: ctx.config.voice.volume,
        quiet: ctx.config.voice.quiet,
    })
}

fn print(s: &VoiceSetting, from_store: bool) {
    println!("音声案内: {}", if s.enabled { "入" } else { "切" });
    println!("音量: {}", s.volume);
    println!(
        "静かなモード: {}",
        if s.quiet { "使う" } else { "使わない" }
    );
    println!(
        "設定のもと: {}",
        if from_store {
            "スタッフが保存した設定（設定ファイルの [voice] より優先）"
        } else {
            "設定ファイルの [voice]"
        }
    );
}

fn on_off(s: &str) -> Result<bool> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(CliError::OnOff {
            input: s.to_owned(),
        }
        .into()),
    }
}

pub fn voice(ctx: &Context, c: VoiceCmd) -> Result<ExitCode> {
    match c {
        VoiceCmd::Show => {
            let store = ctx.open()?;
            let stored = store.voice_setting()?;
            print(&effective(ctx, stored), stored.is_some());
            Ok(ExitCode::SUCCESS)
        }
        VoiceCmd::Set {
            enabled,
            volume,
            quiet,
        } => {
            let (mut store, staff) = ctx.sign_in()?;
            let old = effective(ctx, store.voice_setting()?);
            let new = VoiceSetting {
                enabled: enabled
                    .as_deref()
                    .map(on_off)
                    .transpose()?
                    .unwrap_or(old.enabled),
                volume: volume.unwrap_or(old.volume),
                quiet: quiet
                    .as_deref()
                    .map(on_off)
                    .transpose()?
                    .unwrap_or(old.quiet),
            };
            if new == old {
                println!("変わったところはありません。");
                return Ok(ExitCode::SUCCESS);
            }
            store.set_voice_setting(&staff, &old, new)?;
            print(&new, true);
            println!(
                "保存しました（記録: {}）。動いている端末は、次に起動したときから使います。",
                staff.staff_id()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
