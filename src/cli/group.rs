//! `tsudoi group …` and `tsudoi mimamori`: hobby groups, the ward's roster
//! and 見守り (issue 15). The store side is `tsudoi::store::groups`,
//! `ward_roster` and `mimamori`. Members' names and phones reach this
//! process only from the ward's file; problems in it are reported on stderr
//! by line number and reason, never by value.

use std::path::Path;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use tsudoi::cli_error::CliError;
use tsudoi::eligibility::PhoneNumber;
use tsudoi::store::groups::{NewGroup, Schedule, WatchRule};
use tsudoi::store::participants::short_id;
use tsudoi::store::ward_roster::{self, DiffEntry, ImportSource};
use tsudoi::{Error, Result, jp_date};

use super::commands::{Context, parse_iso_date};
use super::{GroupCmd, MimamoriAction, MimamoriArgs};

/// The last day of the fiscal year (April–March) that holds `d`.
fn fiscal_year_end(d: NaiveDate) -> NaiveDate {
    let year = if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    };
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(d)
}

fn phone_display(digits: &str) -> String {
    PhoneNumber::parse(digits)
        .map(|n| n.display())
        .unwrap_or_else(|_| digits.to_owned())
}

pub fn group(ctx: &Context, c: GroupCmd) -> Result<ExitCode> {
    match c {
        GroupCmd::Add(a) => {
            let schedule = Schedule::parse(&a.schedule)?;
            let from = a.from.as_deref().map(parse_iso_date).transpose()?;
            let until = a.until.as_deref().map(parse_iso_date).transpose()?;
            let (mut store, staff) = ctx.sign_in()?;
            let from = from.unwrap_or_else(|| store.clock().today());
            let until = until.unwrap_or_else(|| fiscal_year_end(from));
            let (id, n) = store.add_group(
                &staff,
                NewGroup {
                    name: a.name,
                    schedule: schedule.clone(),
                    room: a.room,
                    from,
                    until,
                },
            )?;
            println!(
                "グループを追加しました。グループ番号: {}（{id}）",
                short_id(&id)
            );
            println!(
                "予定: {}。{}から{}までの集まりを{n}回作りました。",
                schedule.display(),
                jp_date::ymd(from),
                jp_date::ymd(until)
            );
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::List => {
            let (store, _staff) = ctx.sign_in()?;
            let groups = store.groups()?;
            if groups.is_empty() {
                println!("グループはまだありません（tsudoi group add で追加します）。");
                return Ok(ExitCode::SUCCESS);
            }
            for g in groups {
                println!(
                    "{}  {}  {}  {}  会員 {}人  次回 {}  見守り {}週に{}回以上・{}週お休み{}",
                    short_id(&g.id),
                    g.name,
                    g.schedule.display(),
                    g.room,
                    g.members,
                    g.next
                        .map(jp_date::md_weekday)
                        .unwrap_or_else(|| "（予定なし）".into()),
                    g.watch.weeks,
                    g.watch.visits,
                    g.watch.absent_weeks,
                    g.representative
                        .as_deref()
                        .map(|r| format!("  代表者 {}", short_id(r)))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Import { file, dry_run } => import(ctx, &file, dry_run),
        GroupCmd::Return { out } => return_roster(ctx, &out),
        GroupCmd::Members { group } => {
            let (mut store, staff) = ctx.sign_in()?;
            let g = store.group(&group)?;
            let members = store.group_members(&staff, &group)?;
            println!(
                "{}（{}）会員 {}人",
                g.name,
                g.schedule.display(),
                members.len()
            );
            for m in &members {
                println!(
                    "{}  {}  {}  {}  {}{}",
                    short_id(&m.participant_id),
                    m.kana.as_str(),
                    m.name.as_str(),
                    phone_display(&m.phone),
                    m.basis.label(),
                    if m.cards > 0 {
                        format!("  カード{}枚", m.cards)
                    } else {
                        String::new()
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Sessions { group, from } => {
            let from = from.as_deref().map(parse_iso_date).transpose()?;
            let (store, _staff) = ctx.sign_in()?;
            let from = from.unwrap_or_else(|| store.clock().today());
            let g = store.group(&group)?;
            // Read every row before printing: a damaged one refuses the
            // whole list, not its second half.
            let sessions = store.group_sessions(&group, from)?;
            println!("{}（{}、{}）", g.name, g.schedule.display(), g.room);
            for s in sessions {
                let status = match s.status.as_str() {
                    "cancelled" => "中止".to_owned(),
                    "moved" => format!(
                        "変更 → {} {}–{}",
                        s.date.map(jp_date::md_weekday).unwrap_or_default(),
                        s.start
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_default(),
                        s.end
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_default()
                    ),
                    _ => "予定どおり".to_owned(),
                };
                println!(
                    "{}  {}  {}{}",
                    s.planned_date,
                    jp_date::md_weekday(s.planned_date),
                    status,
                    if s.attendance > 0 {
                        format!("  受付 {}人", s.attendance)
                    } else {
                        String::new()
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Generate { group, until, from } => {
            let until = parse_iso_date(&until)?;
            let from = from.as_deref().map(parse_iso_date).transpose()?;
            let (mut store, staff) = ctx.sign_in()?;
            let from = from.unwrap_or_else(|| store.clock().today());
            let n = store.generate_group_sessions(&staff, &group, from, until)?;
            println!("集まりを{n}回作りました。");
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Cancel { group, date } => {
            let date = parse_iso_date(&date)?;
            let (mut store, staff) = ctx.sign_in()?;
            store.cancel_group_session(&staff, &group, date)?;
            println!("{}の集まりを中止にしました。", jp_date::ymd(date));
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Move {
            group,
            date,
            to,
            start,
            end,
        } => {
            let date = parse_iso_date(&date)?;
            let to = parse_iso_date(&to)?;
            let start = start
                .as_deref()
                .map(tsudoi::store::sessions::parse_time)
                .transpose()?;
            let end = end
                .as_deref()
                .map(tsudoi::store::sessions::parse_time)
                .transpose()?;
            let (mut store, staff) = ctx.sign_in()?;
            let g = store.group(&group)?;
            let start = start.unwrap_or(g.schedule.start);
            let end = end.unwrap_or(g.schedule.end);
            store.move_group_session(&staff, &group, date, to, start, end)?;
            println!(
                "{}の集まりを{} {}–{}に移しました。",
                jp_date::ymd(date),
                jp_date::md_weekday(to),
                start.format("%H:%M"),
                end.format("%H:%M")
            );
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Representative { group, member } => {
            let (mut store, staff) = ctx.sign_in()?;
            store.set_group_representative(&staff, &group, &member)?;
            println!("代表者を登録しました。");
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Watch {
            group,
            visits,
            weeks,
            absent_weeks,
        } => {
            let rule = WatchRule {
                visits,
                weeks,
                absent_weeks,
            };
            rule.validate()?;
            let (mut store, staff) = ctx.sign_in()?;
            store.set_group_watch(&staff, &group, rule)?;
            println!(
                "見守りの条件を「{weeks}週に{visits}回以上来た方が、{absent_weeks}週来ていない」にしました。"
            );
            Ok(ExitCode::SUCCESS)
        }
        GroupCmd::Checkin { group, member } => {
            let (mut store, staff) = ctx.sign_in()?;
            let outcome = store.check_in_group_member(&staff, &group, &member)?;
            println!("{}", outcome.message());
            Ok(match outcome {
                tsudoi::store::attendance::CheckInOutcome::CheckedIn { .. }
                | tsudoi::store::attendance::CheckInOutcome::AlreadyCheckedIn { .. } => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(1),
            })
        }
    }
}

/// `tsudoi group return --out DIR`: the roster back to the ward.
fn return_roster(ctx: &Context, out: &Path) -> Result<ExitCode> {
    let ward = ctx
        .config
        .ward_recipient()?
        .ok_or(CliError::WardKeyMissing)?;
    let (mut store, staff) = ctx.sign_in()?;
    staff.require_manager()?;
    // The medium is where the folder will be: its parent exists.
    let medium = tsudoi::report::media::medium_of(Path::new("/"), out.parent().unwrap_or(out));
    let r = store.return_roster(&staff, out, &medium, &ward)?;
    println!(
        "区から提供された会員名簿を、区の公開鍵で暗号化して {} に書き出しました（{}人、{}行）。",
        r.dir.display(),
        r.people,
        r.lines
    );
    for f in &r.files {
        println!("  {f}");
    }
    println!("署名: 端末の公開鍵 {}", r.public_key);
    println!(
        "受渡し管理簿に「{}」として記録しました。",
        tsudoi::store::roster_return::RETURN_DESTINATION
    );
    println!("区での開き方: age -d -i 区の秘密鍵 {} > 名簿.csv", r.file);
    Ok(ExitCode::SUCCESS)
}

fn entry_line(e: &DiffEntry) -> String {
    format!(
        "{}{}  {}（{}）{}",
        e.line.map(|l| format!("{l}行目  ")).unwrap_or_default(),
        e.group,
        e.name.as_str(),
        e.kana.as_str(),
        e.participant_id
            .as_deref()
            .map(|p| format!("  登録番号 {}", short_id(p)))
            .unwrap_or_default()
    )
}

fn import(ctx: &Context, file: &Path, dry_run: bool) -> Result<ExitCode> {
    let file_error = |source: std::io::Error| Error::File {
        what: format!("名簿のファイル {}", file.display()),
        source,
    };
    let meta = std::fs::metadata(file).map_err(file_error)?;
    if meta.len() > ward_roster::MAX_BYTES as u64 {
        return Err(CliError::RosterTooLarge {
            most_mb: ward_roster::MAX_BYTES / 1024 / 1024,
        }
        .into());
    }
    let bytes = zeroize::Zeroizing::new(std::fs::read(file).map_err(file_error)?);
    let source = ImportSource {
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        medium: tsudoi::report::media::medium_of(Path::new("/"), file),
        sha256: tsudoi::report::sign::sha256_hex(&bytes),
    };
    let (mut store, staff) = ctx.sign_in()?;
    let report = store.import_roster(&staff, &bytes, &source, dry_run)?;
    if !report.problems.is_empty() {
        eprintln!(
            "名簿に問題が{}件あります。何も取り込んでいません（文字コード: {}）。",
            report.problems.len(),
            report.encoding.label()
        );
        for p in &report.problems {
            eprintln!("  {}行目: {}", p.line, p.reason);
        }
        return Err(CliError::RosterProblems.into());
    }
    let d = &report.diff;
    println!(
        "名簿を確かめました（文字コード: {}、会員の行: {}）。",
        report.encoding.label(),
        report.members
    );
    println!(
        "追加 {}人、変更 {}人、削除 {}人、変わらない方 {}人。",
        d.added.len(),
        d.changed.len(),
        d.removed.len(),
        d.unchanged
    );
    for e in &d.added {
        println!("追加: {}", entry_line(e));
    }
    for e in &d.changed {
        let cols: Vec<&str> = e
            .changed
            .iter()
            .map(|c| match *c {
                "name" => "氏名",
                "kana" => "ふりがな",
                "phone" => "電話番号",
                other => other,
            })
            .collect();
        println!("変更: {}（{}）", entry_line(e), cols.join("・"));
    }
    for e in &d.removed {
        println!("削除: {}", entry_line(e));
    }
    if d.records_deleted > 0 {
        println!(
            "どのグループにも属さなくなる区提供の記録 {}件は、取り込みのときに削除します（受付の記録も消えます）。",
            d.records_deleted
        );
    }
    for e in &d.linked {
        println!(
            "注意: 窓口で登録済みの方と同じふりがな・電話番号です。新しく登録せず、その記録に結び付けます（窓口の記録は名簿で書き換えません。別の方ならスタッフが確かめてください）: {}",
            entry_line(e)
        );
    }
    if dry_run {
        println!(
            "確認だけです（--dry-run）。何も保存していません。取り込むには --dry-run を付けずに実行してください。"
        );
    } else {
        println!(
            "取り込みました。媒体受渡し管理簿に「{}」として記録しました（{}）。",
            ward_roster::LEDGER_PURPOSE,
            source.medium
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mimamori(ctx: &Context, a: MimamoriArgs) -> Result<ExitCode> {
    let center = ctx.config.mimamori.center.clone();
    match a.action {
        Some(MimamoriAction::Record {
            participant,
            outcome,
            on,
        }) => {
            let on = on.as_deref().map(parse_iso_date).transpose()?;
            let (mut store, staff) = ctx.sign_in()?;
            let on = on.unwrap_or_else(|| store.clock().today());
            let r = store.record_watch_call(&staff, &participant, outcome, on)?;
            println!(
                "{}の電話の結果「{}」を記録しました。",
                jp_date::ymd(on),
                outcome.label()
            );
            if r.remind {
                println!("{}", tsudoi::store::mimamori::reminder(&center));
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let rule = ctx.config.mimamori.rule()?;
            let (mut store, staff) = ctx.sign_in()?;
            let list = store.watch_list(&staff, rule)?;
            if a.json {
                let items: Vec<serde_json::Value> = list
                    .iter()
                    .map(|e| {
                        let c = &e.candidate;
                        serde_json::json!({
                            "participant_id": c.participant_id,
                            "name": e.name.as_str(),
                            "kana": e.kana.as_str(),
                            "phone": phone_display(&e.phone),
                            "last_visit": c.last_visit,
                            "contexts": c.contexts,
                            "last_outcome": c.last_outcome.map(|(o, d)| serde_json::json!({
                                "outcome": o.code(), "label": o.label(), "on": d })),
                            "no_answer": c.no_answer,
                            "reminder": (c.no_answer >= tsudoi::store::mimamori::NO_ANSWER_REMINDER)
                                .then(|| tsudoi::store::mimamori::reminder(&center)),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&items).map_err(|e| CliError::Json {
                        detail: e.to_string(),
                    })?
                );
                return Ok(ExitCode::SUCCESS);
            }
            println!("おやすみが続いている方（{}人）", list.len());
            for e in &list {
                let c = &e.candidate;
                let places: Vec<String> = c
                    .contexts
                    .iter()
                    .map(|x| format!("{}（{}週に{}回）", x.name, x.rule.weeks, x.visits))
                    .collect();
                println!(
                    "{}  {}  {}  {}  最後の来所 {}  {}{}",
                    short_id(&c.participant_id),
                    e.kana.as_str(),
                    e.name.as_str(),
                    phone_display(&e.phone),
                    jp_date::ymd(c.last_visit),
                    places.join("、"),
                    c.last_outcome
                        .map(|(o, d)| format!("  前回の電話 {}「{}」", jp_date::md(d), o.label()))
                        .unwrap_or_default()
                );
                if c.no_answer >= tsudoi::store::mimamori::NO_ANSWER_REMINDER {
                    println!("    {}", tsudoi::store::mimamori::reminder(&center));
                }
            }
            if !list.is_empty() {
                println!(
                    "電話の結果は tsudoi mimamori record 登録番号 --outcome well|unwell|hospital|no-answer|declined で記録します。"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
