//! `tsudoi draw` (RFC 3797 without the store) and `tsudoi lottery …`.

use std::io::Write;
use std::process::ExitCode;

use tsudoi::Result;
use tsudoi::lottery::{draw as lottery_draw, rfc3797};
use tsudoi::store::Actor;
use tsudoi::store::errors::LotteryError;
use tsudoi::store::lottery::{ApplyOutcome, NewLotteryClass, Priority};
use tsudoi::store::sessions::Program;
use unicode_width::UnicodeWidthStr;

use super::commands::{Context, parse_iso_date};
use super::personal::{self, Field};
use super::{DrawArgs, LotteryAddArgs, LotteryCmd};

/// Reads a whole number typed by staff (full-width digits allowed).
fn number(what: &'static str, s: &str) -> Result<u64> {
    let t = tsudoi::eligibility::to_halfwidth(s.trim());
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LotteryError::NumberForm {
            what,
            input: s.trim().to_owned(),
        }
        .into());
    }
    t.parse::<u64>()
        .map_err(|_| LotteryError::NumberTooLarge { what }.into())
}

/// `s` followed by spaces up to `columns` terminal columns. `{:<N}` counts
/// characters, and a full-width character such as 当 takes two columns, so
/// Japanese cells padded that way push the next column out of line.
fn pad_end(s: &str, columns: usize) -> String {
    let used = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(columns.saturating_sub(used)))
}

/// `tsudoi draw`: prints the key string, then the selected positions one
/// per line, as RFC 3797's reference program computes them.
pub fn draw(a: DrawArgs) -> Result<ExitCode> {
    let pool = number("--pool-size（対象の人数）", &a.pool_size)?;
    let count = number("--count（選ぶ人数）", &a.count)?;
    rfc3797::check_sizes(pool, count)?;
    let sources = rfc3797::parse_sources(&a.sources)?;
    let key = rfc3797::key_string(&sources);
    // check_sizes bounds both by 65535.
    let steps = rfc3797::select(&key, pool as u32, count as u32)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{key}")?;
    if a.steps {
        writeln!(out, "index        hex value of MD5        div  selected")?;
        for s in &steps {
            writeln!(
                out,
                "{:2}  {}  {:2}  -> {:2} <-",
                s.index,
                s.digest_hex(),
                s.remaining,
                s.selected
            )?;
        }
    } else {
        for s in &steps {
            writeln!(out, "{}", s.selected)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn lottery(ctx: &Context, cmd: LotteryCmd) -> Result<ExitCode> {
    match cmd {
        LotteryCmd::Add(a) => add(ctx, a),
        LotteryCmd::List => {
            let store = ctx.open()?;
            let classes = store.lottery_classes()?;
            if classes.is_empty() {
                println!("抽選のある教室はありません。");
            }
            for c in classes {
                println!(
                    "{}  {}（{}・{}）  定員{}  申込{}  受付 {}〜{}  抽選 {}  {}",
                    &c.id[..8],
                    c.title,
                    c.kind,
                    c.term,
                    c.capacity,
                    c.applications,
                    c.apply_from,
                    c.apply_until,
                    c.draw_on,
                    c.status.label()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Apply {
            class,
            participant,
            json,
            refused,
        } => {
            refused.refuse_if_given()?;
            let (mut store, staff) = ctx.sign_in()?;
            let mut outcome = store.apply_on_behalf(&staff, &participant, &class, None)?;
            if matches!(outcome, ApplyOutcome::NeedsAddress) {
                // The address is asked for only when this first application
                // needs it, and never travels on the command line.
                let answers = personal::read(
                    json.is_some(),
                    &[Field {
                        key: "address",
                        label: "住所（抽選のある教室にはじめて申し込むため）",
                        required: true,
                    }],
                    &[],
                )?;
                outcome =
                    store.apply_on_behalf(&staff, &participant, &class, answers.get("address"))?;
            }
            println!("{}", outcome.message());
            Ok(match outcome {
                ApplyOutcome::Applied { .. } => ExitCode::SUCCESS,
                ApplyOutcome::NeedsAddress => ExitCode::from(2),
                _ => ExitCode::from(1),
            })
        }
        LotteryCmd::Withdraw { class, entry } => {
            let (mut store, staff) = ctx.sign_in()?;
            store.withdraw(&staff, &class, entry)?;
            println!("受付番号 {entry} 番の申し込みを取り下げました。");
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Close {
            class,
            source_names,
        } => {
            let (mut store, staff) = ctx.sign_in()?;
            let notice = store.close_lottery_class(&staff, &class, source_names)?;
            print!("{}", notice.text());
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Draw {
            class,
            sources,
            transcript_out,
        } => {
            let (mut store, staff) = ctx.sign_in()?;
            let t = store.draw_lottery_class(&staff, &class, sources)?;
            if let Some(path) = transcript_out {
                std::fs::write(&path, t.to_json())?;
                println!("抽選の記録を書きました: {}", path.display());
            }
            let won = t
                .results
                .iter()
                .filter(|r| r.outcome == lottery_draw::Outcome::Won)
                .count();
            println!("キー文字列: {}", t.key);
            println!(
                "抽選しました。当選 {} 人、補欠・落選 {} 人。結果の掲示は tsudoi lottery notice {} で。",
                won,
                t.results.len() - won,
                &t.closed.class_id[..8]
            );
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Transcript { class } => {
            let (store, _staff) = ctx.sign_in()?;
            print!("{}", store.lottery_transcript(&class)?);
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Verify { transcript } => {
            let text = std::fs::read_to_string(&transcript)?;
            let v = lottery_draw::verify(&text);
            if v.matches {
                println!(
                    "一致しました。この抽選の記録は、公表した対象者一覧と乱数から計算し直した結果と同じです。"
                );
                println!("確認値: {}（掲示と同じか確かめてください）", v.commitment);
                Ok(ExitCode::SUCCESS)
            } else {
                println!("一致しません。");
                for p in &v.problems {
                    println!("- {p}");
                }
                Ok(ExitCode::from(1))
            }
        }
        LotteryCmd::Notice { class } => {
            let (mut store, staff) = ctx.sign_in()?;
            let c = store.lottery_class(&class)?;
            match c.status {
                tsudoi::store::lottery::ClassStatus::Drawn => {
                    print!("{}", store.result_notice(&Actor::Staff(staff), &class)?);
                }
                _ => print!("{}", store.closing_notice(&class)?.text()),
            }
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Calllist { class } => {
            let (mut store, staff) = ctx.sign_in()?;
            let list = store.call_list(&staff, &class)?;
            println!("受付番号  結果        氏名（ふりがな）  電話番号");
            for e in list {
                let label = match e.waiting_rank {
                    Some(r) if e.status == tsudoi::store::lottery::ApplicationStatus::Waiting => {
                        format!("補欠{r}番")
                    }
                    _ => "当選".to_owned(),
                };
                println!(
                    "{:>8}  {}  {}（{}）  {}",
                    e.entry_number,
                    pad_end(&label, 10),
                    e.name.as_str(),
                    e.kana.as_str(),
                    e.phone.as_str()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Attendance { class, csv } => {
            let (mut store, staff) = ctx.sign_in()?;
            let sheet = store.attendance_sheet(&staff, &class)?;
            println!("{} 出席簿", sheet.title);
            let dates: Vec<String> = sheet
                .dates
                .iter()
                .map(|d| d.format("%-m/%-d").to_string())
                .collect();
            println!("回: {}（○ 出席、× 欠席、－ まだ）", dates.join(" "));
            for r in &sheet.rows {
                let name = r.kana.as_deref().map(String::as_str).unwrap_or_default();
                println!(
                    "{:>4}番  {}  出席 {}/{}  続けて休み {}回{}{}",
                    r.entry_number,
                    r.marks_text(),
                    r.attended(),
                    r.held(),
                    r.absences_in_row,
                    if r.moved_up { "  繰り上げ" } else { "" },
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("  {name}")
                    }
                );
            }
            match sheet.rate_percent() {
                Some(rate) => println!(
                    "出席率 {rate:.1}%（延べ {} / {}）",
                    sheet.attended(),
                    sheet.possible()
                ),
                None => println!("まだ始まっていません。"),
            }
            let to_call: Vec<String> = sheet
                .to_call()
                .map(|r| format!("{}番", r.entry_number))
                .collect();
            if !to_call.is_empty() {
                println!(
                    "続けて{}回以上休んでいる方: {}（ようすをうかがう電話をおすすめします）",
                    tsudoi::store::class_day::ABSENCES_TO_CALL,
                    to_call.join("、")
                );
            }
            if let Some(path) = csv {
                let text = tsudoi::report::csv::to_csv_text(
                    &sheet.table(),
                    &tsudoi::report::Wording::default(),
                );
                let bytes = tsudoi::report::csv::encode(
                    &text,
                    tsudoi::report::csv::Encoding::Utf8Bom,
                    "出席簿",
                )?;
                std::fs::write(&path, bytes)?;
                println!("CSVに書き出しました。");
            }
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Cancel { class, entry } => {
            let (mut store, staff) = ctx.sign_in()?;
            match store.cancel_win(&staff, &class, entry)? {
                Some(up) => println!(
                    "受付番号 {entry} 番の辞退を記録しました。補欠の受付番号 {up} 番が繰り上がりました。連絡してください。"
                ),
                None => println!("受付番号 {entry} 番の辞退を記録しました。補欠の方はいません。"),
            }
            Ok(ExitCode::SUCCESS)
        }
        LotteryCmd::Purge { on } => {
            let day = match on {
                Some(d) => parse_iso_date(&d)?,
                None => ctx.clock.today(),
            };
            let (mut store, staff) = ctx.sign_in()?;
            let r = store.purge_unselected_addresses(&Actor::Staff(staff), day)?;
            println!(
                "{} 教室について、選ばれなかった方の住所を {} 件消しました。",
                r.classes, r.addresses_deleted
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn add(ctx: &Context, a: LotteryAddArgs) -> Result<ExitCode> {
    let program = Program::parse(&a.program).ok_or(LotteryError::ProgramChoice)?;
    let priority = Priority::parse(&a.priority).ok_or(LotteryError::PriorityChoice)?;
    let new = NewLotteryClass {
        program,
        title: a.title,
        kind: a.kind,
        term: a.term,
        sessions: a.sessions,
        capacity: a.capacity,
        waitlist_size: a.waitlist,
        apply_from: parse_iso_date(&a.from)?,
        apply_until: parse_iso_date(&a.until)?,
        draw_on: parse_iso_date(&a.draw_on)?,
        one_per_term: a.one_per_term,
        priority,
        previous_class: a.previous,
    };
    let (mut store, staff) = ctx.sign_in()?;
    let id = store.add_lottery_class(&staff, new)?;
    println!("教室を追加しました。教室番号: {}（{}）", &id[..8], id);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::pad_end;

    #[test]
    fn pads_by_terminal_columns() {
        // 「当選」 is four columns wide, 「補欠3番」 seven.
        assert_eq!(pad_end("当選", 10), "当選      ");
        assert_eq!(pad_end("補欠3番", 10), "補欠3番   ");
        assert_eq!(pad_end("abc", 2), "abc");
    }
}
