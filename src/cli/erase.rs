//! `tsudoi erase`: the end of the contract (契約書第11条・第12条). The store
//! side is `tsudoi::store::erase`, the certificate and the ward's check
//! `tsudoi::erasure`.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use tsudoi::cli_error::CliError;
use tsudoi::erasure::{self, HeldCheckpoint};
use tsudoi::store::erase::{EraseRequest, certificate_in};
use tsudoi::{Error, Result};

use super::commands::{Context, parse_iso_date};
use super::{EraseAction, EraseArgs, secrets};

/// What staff type to confirm.
const CONFIRM_WORD: &str = "消去";

pub fn erase(ctx: &Context, a: EraseArgs) -> Result<ExitCode> {
    match a.action {
        Some(EraseAction::Verify {
            certificate,
            checkpoint,
            public_key,
        }) => verify(ctx.store_path(), &certificate, &checkpoint, public_key),
        Some(EraseAction::Certificate { out }) => rewrite_certificate(ctx.store_path(), &out),
        None => run(ctx, a),
    }
}

fn run(ctx: &Context, a: EraseArgs) -> Result<ExitCode> {
    let out = a.certificate_out.ok_or(CliError::CertificateOutMissing)?;
    // The flags, else the configuration's [contract].
    let configured = ctx.config.contract()?;
    let request = EraseRequest {
        contract_from: match a.contract_from.as_deref() {
            Some(d) => Some(parse_iso_date(d)?),
            None => configured.contract_from,
        },
        contract_until: match a.contract_until.as_deref() {
            Some(d) => Some(parse_iso_date(d)?),
            None => configured.contract_until,
        },
        roster_not_returned: a.roster_not_returned,
    };
    tsudoi::report::prepare_out_dir(&out)?;
    let (mut store, manager) = ctx.sign_in()?;
    let plan = store.erasure_plan(&manager)?;
    let key = tsudoi::crypto::RecoveryKey::parse(&secrets::recovery_key()?)?;
    store.check_erasure_allowed_for(&manager, &key, &request)?;
    println!("この端末のすべての個人情報と鍵を消去します。元に戻せません。");
    for c in &plan.counts {
        println!("  {}: {}件", c.label, c.count);
    }
    if !a.yes {
        println!(
            "よろしければ「{CONFIRM_WORD}」と入力してください（やめるときは何も入力せずに Enter）:"
        );
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() != CONFIRM_WORD {
            println!("消去しませんでした。");
            return Ok(ExitCode::from(2));
        }
    }
    let erased = store.erase(&manager, &key, &request)?;
    let write = || -> Result<()> {
        for (name, bytes) in &erased.files {
            tsudoi::report::write_synced(&out.join(name), bytes)?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        eprintln!(
            "消去は終わりましたが、消去証明書を {} に書けませんでした: {e}",
            out.display()
        );
        eprintln!(
            "証明書は保存ファイルに残っています。tsudoi erase certificate --out フォルダ で書き出してください。"
        );
        return Ok(ExitCode::from(tsudoi::error::ErrorKind::Io.exit_code()));
    }
    println!(
        "消去しました。消去証明書を {} に書き出しました。",
        out.display()
    );
    for (name, _) in &erased.files {
        println!("  {name}");
    }
    println!("署名: 端末の公開鍵 {}", erased.public_key);
    println!(
        "区の確認: tsudoi erase verify --certificate {} --checkpoint 区の控えのチェックポイント",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn rewrite_certificate(store: &Path, out: &Path) -> Result<ExitCode> {
    let files = certificate_in(store)?.ok_or(CliError::NotErased)?;
    tsudoi::report::prepare_out_dir(out)?;
    for (name, bytes) in &files {
        if name.contains('/') || name.starts_with('.') {
            return Err(Error::Tampered("消去証明書のファイル名".into()));
        }
        tsudoi::report::write_synced(&out.join(name), bytes)?;
    }
    println!("消去証明書を {} に書き出しました。", out.display());
    Ok(ExitCode::SUCCESS)
}

fn verify(
    store: &Path,
    certificate: &Path,
    checkpoints: &[std::path::PathBuf],
    public_key: Option<String>,
) -> Result<ExitCode> {
    let expected = public_key
        .as_deref()
        .map(tsudoi::report::sign::parse_public_key)
        .transpose()?;
    let mut held = Vec::new();
    for p in checkpoints {
        held.push(HeldCheckpoint {
            label: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: std::fs::read(p).map_err(|e| CliError::read_file("チェックポイント", p, &e))?,
        });
    }
    let verdict = erasure::verify(store, certificate, &held, expected.as_ref())?;
    println!("消去の確認: 保存ファイル {}", store.display());
    for (what, ok, detail) in &verdict.checks {
        println!(
            "  [{}] {what}: {detail}",
            if *ok { "合格" } else { "不合格" }
        );
    }
    if held.is_empty() {
        println!(
            "  （区の控えのチェックポイントを --checkpoint で渡すと、監査ログが控えから続いていることも確かめます）"
        );
    }
    if verdict.passed() {
        println!("結果: 合格。消去を確認しました。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("結果: 不合格。上の「不合格」の項目を取扱責任者と確かめてください。");
        Ok(ExitCode::from(1))
    }
}
