//! The one-page printable summary (A4): the month's table by program, a bar
//! chart of visits by week, the suppression rules. BIZ UD Gothic is embedded
//! (subset by krilla), so the page prints the same on any PC.

use chrono::{Datelike, NaiveDate};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::suppress::{Cell, suppress_independent};
use super::{MonthlyReport, ReportError, Value};
use crate::error::Result;
use crate::jp_date;

/// BIZ UD PGothic (SIL OFL 1.1; licence in ui/fonts/).
static FONT: &[u8] = include_bytes!("../../ui/fonts/BIZUDPGothic-Regular.ttf");

const A4_W: f32 = 595.28;
const A4_H: f32 = 841.89;
const MARGIN: f32 = 56.0;

fn fill(surface: &mut Surface<'_>, r: u8, g: u8, b: u8) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x, y);
    pb.line_to(x + w, y);
    pb.line_to(x + w, y + h);
    pb.line_to(x, y + h);
    pb.close();
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

/// Renders the summary page.
/// `checkpoint`: the short fingerprint of the audit log's checkpoint that
/// goes out with the report (`SignedCheckpoint::fingerprint`), printed at
/// the bottom so the ward can match the file it receives with the paper.
pub fn summary_pdf(
    report: &MonthlyReport,
    made_on: &NaiveDate,
    checkpoint: Option<&str>,
) -> Result<Vec<u8>> {
    let font = Font::new(FONT.into(), 0)
        .ok_or_else(|| ReportError::Pdf("PDF用のフォントを読み込めません。".into()))?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(A4_W, A4_H)
        .ok_or_else(|| ReportError::Pdf("PDFの用紙設定が不正です。".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let text = |surface: &mut Surface<'_>, x: f32, y: f32, size: f32, s: &str| {
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            s,
            false,
            TextDirection::Auto,
        );
    };
    let w = &report.wording;
    let m = report.month;

    fill(&mut surface, 0, 0, 0);
    text(
        &mut surface,
        MARGIN,
        MARGIN + 10.0,
        20.0,
        &format!(
            "高齢者地域交流スペース 月次利用報告 {}",
            jp_date::ym(m.year, m.month)
        ),
    );
    text(
        &mut surface,
        MARGIN,
        MARGIN + 34.0,
        11.0,
        &format!("施設: {}　作成日: {}", report.site, jp_date::ymd(*made_on)),
    );

    // The month's table by program.
    let programs = &report.tables()[0];
    let cols = [MARGIN, MARGIN + 190.0, MARGIN + 280.0, MARGIN + 390.0];
    let mut y = MARGIN + 80.0;
    fill(&mut surface, 230, 236, 245);
    rect(
        &mut surface,
        MARGIN - 4.0,
        y - 16.0,
        A4_W - 2.0 * MARGIN + 8.0,
        22.0,
    );
    fill(&mut surface, 0, 0, 0);
    for (x, c) in cols.iter().zip(&programs.columns) {
        text(&mut surface, *x, y, 12.0, c);
    }
    for row in &programs.rows {
        y += 24.0;
        for (x, v) in cols.iter().zip(row) {
            text(&mut surface, *x, y, 12.0, &w.render(v));
        }
    }

    // Visits by week as bars; small weekly counts are hidden like any cell.
    y += 50.0;
    text(&mut surface, MARGIN, y, 14.0, "週ごとの延べ参加者数");
    let weeks = report.month_counts.visits_by_week(m);
    let counts: Vec<u64> = weeks.iter().map(|(_, n)| *n).collect();
    let cells = suppress_independent(&counts, w.threshold);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f32;
    let chart_top = y + 20.0;
    let chart_h = 150.0;
    let bar_w = (A4_W - 2.0 * MARGIN) / weeks.len().max(1) as f32;
    fill(&mut surface, 120, 120, 120);
    rect(
        &mut surface,
        MARGIN,
        chart_top + chart_h,
        A4_W - 2.0 * MARGIN,
        1.0,
    );
    for (i, ((monday, n), cell)) in weeks.iter().zip(&cells).enumerate() {
        let x = MARGIN + i as f32 * bar_w;
        let label = w.render(&Value::Count(*cell));
        if let Cell::Shown(_) = cell {
            let h = chart_h * (*n as f32) / max;
            fill(&mut surface, 31, 119, 180);
            rect(
                &mut surface,
                x + bar_w * 0.2,
                chart_top + chart_h - h,
                bar_w * 0.6,
                h,
            );
            fill(&mut surface, 0, 0, 0);
            text(
                &mut surface,
                x + bar_w * 0.25,
                chart_top + chart_h - h - 6.0,
                11.0,
                &label,
            );
        } else {
            fill(&mut surface, 0, 0, 0);
            text(
                &mut surface,
                x + bar_w * 0.25,
                chart_top + chart_h - 6.0,
                11.0,
                &label,
            );
        }
        text(
            &mut surface,
            x + bar_w * 0.15,
            chart_top + chart_h + 16.0,
            10.0,
            &format!("{}/{}〜", monday.month(), monday.day()),
        );
    }

    // いきがいつくり支援's hobby groups and 見守り: the groups table in words.
    let mut y = chart_top + chart_h + 52.0;
    fill(&mut surface, 0, 0, 0);
    text(
        &mut surface,
        MARGIN,
        y,
        13.0,
        "いきがいつくり支援 自主活動グループと見守り",
    );
    y += 20.0;
    for line in group_lines(report) {
        // Proportional glyphs: wrap a little before the measured width.
        for part in wrap(&line, ((A4_W - 2.0 * MARGIN) / 11.5) as usize * 2) {
            text(&mut surface, MARGIN, y, 10.5, &part);
            y += 17.0;
        }
    }

    // Notes.
    y += 14.0;
    for line in [
        format!(
            "「{}」: 1〜{}人の欄は、個人が特定されないよう人数を伏せています。",
            w.small, w.threshold
        ),
        format!(
            "「{}」: 伏せた欄を合計から計算できないよう、あわせて伏せた欄です。",
            w.secondary
        ),
        "実人数は期間中に1回以上参加した人の数です。年齢は参加日の年齢です。".to_owned(),
        "個人を特定できる情報（氏名・電話番号・住所・生年月日）は含みません。".to_owned(),
        "内訳（開催回別・年齢階級別・町名別・年度累計・グループ）は同じフォルダのCSVファイルにあります。"
            .to_owned(),
        "ファイルの真正性: tsudoi report verify <フォルダ> --public-key <端末の公開鍵>".to_owned(),
    ] {
        text(&mut surface, MARGIN, y, 10.0, &line);
        y += 18.0;
    }
    if let Some(fp) = checkpoint {
        for line in [
            format!("監査ログのチェックポイント: {fp}"),
            "（同じフォルダの audit-checkpoint ファイルの件数と3行目の先頭16文字。区で保管し、次回の照合に使います）"
                .to_owned(),
        ] {
            text(&mut surface, MARGIN, y, 10.0, &line);
            y += 18.0;
        }
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("PDFを作れませんでした: {e:?}")).into())
}

/// The groups table ([`MonthlyReport::group_table`]) as three sentences,
/// with the table's own (suppressed) cells.
fn group_lines(report: &MonthlyReport) -> Vec<String> {
    let w = &report.wording;
    let table = report.group_table();
    let cell = |i: usize| -> String {
        table
            .rows
            .get(i)
            .and_then(|r| r.get(2))
            .map(|v| w.render(v))
            .unwrap_or_default()
    };
    let calls: Vec<String> = table
        .rows
        .iter()
        .skip(6)
        .take(5)
        .map(|r| match (r.get(1), r.get(2)) {
            (Some(detail), Some(v)) => format!("{} {}", w.render(detail), w.render(v)),
            _ => String::new(),
        })
        .collect();
    vec![
        format!(
            "グループ数 {}　会員数（実人数）{}（区から提供 {}・窓口で登録済み {}）",
            cell(0),
            cell(3),
            cell(1),
            cell(2)
        ),
        format!("集まりの開催回数 {}　延べ参加者数 {}", cell(4), cell(5)),
        format!("見守りの電話 {}件（{}）", cell(11), calls.join("・")),
    ]
}

/// Splits `s` into lines of at most `max` half-width units (a full-width
/// character counts two).
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut used = 0;
    for ch in s.chars() {
        let w = if ch.is_ascii() { 1 } else { 2 };
        if used + w > max.max(2) {
            out.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(last) = out.last_mut() {
            last.push(ch);
        }
    }
    out
}

/// A plain A4 table for the ward's paperwork (the staff roster and the
/// like): a title, lines of explanation, then the rows under a shaded
/// header, as many pages as they need. `widths` are the columns' widths in
/// points; text longer than its column is cut with "…".
///
/// # Errors
///
/// [`ReportError::Pdf`] when the embedded font, the page settings or the
/// PDF writer fail.
pub fn table_pdf(
    title: &str,
    lines: &[String],
    columns: &[&str],
    rows: &[Vec<String>],
    widths: &[f32],
) -> Result<Vec<u8>> {
    let font = Font::new(FONT.into(), 0)
        .ok_or_else(|| ReportError::Pdf("PDF用のフォントを読み込めません。".into()))?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(A4_W, A4_H)
        .ok_or_else(|| ReportError::Pdf("PDFの用紙設定が不正です。".into()))?;
    const ROW: f32 = 22.0;
    const SIZE: f32 = 10.5;
    let fit = |s: &str, width: f32| -> String {
        // BIZ UD PGothic: full-width characters are about one em wide.
        let max = ((width - 6.0) / SIZE).max(1.0) as usize * 2;
        let mut used = 0;
        let mut out = String::new();
        for ch in s.chars() {
            let w = if ch.is_ascii() { 1 } else { 2 };
            if used + w > max {
                out.push('…');
                break;
            }
            used += w;
            out.push(ch);
        }
        out
    };
    let mut remaining: &[Vec<String>] = rows;
    let mut page_no = 0;
    loop {
        page_no += 1;
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let text = |surface: &mut Surface<'_>, x: f32, y: f32, size: f32, s: &str| {
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                size,
                s,
                false,
                TextDirection::Auto,
            );
        };
        fill(&mut surface, 0, 0, 0);
        let mut y = MARGIN + 10.0;
        text(&mut surface, MARGIN, y, 16.0, title);
        y += 26.0;
        if page_no == 1 {
            // Long lines (the audit log's findings) wrap rather than run off
            // the page.
            let max = ((A4_W - 2.0 * MARGIN) / 10.0) as usize * 2;
            for line in lines {
                for part in wrap(line, max) {
                    text(&mut surface, MARGIN, y, 10.0, &part);
                    y += 17.0;
                }
            }
        }
        y += 14.0;
        fill(&mut surface, 230, 236, 245);
        rect(
            &mut surface,
            MARGIN - 4.0,
            y - 15.0,
            widths.iter().sum::<f32>() + 8.0,
            ROW,
        );
        fill(&mut surface, 0, 0, 0);
        let mut x = MARGIN;
        for (c, w) in columns.iter().zip(widths) {
            text(&mut surface, x, y, SIZE, &fit(c, *w));
            x += w;
        }
        let fits = (((A4_H - MARGIN - 30.0) - y) / ROW).max(1.0) as usize;
        let (here, rest) = remaining.split_at(fits.min(remaining.len()));
        for row in here {
            y += ROW;
            let mut x = MARGIN;
            for (cell, w) in row.iter().zip(widths) {
                text(&mut surface, x, y, SIZE, &fit(cell, *w));
                x += w;
            }
        }
        if here.is_empty() {
            y += ROW;
            text(&mut surface, MARGIN, y, SIZE, "（該当なし）");
        }
        text(
            &mut surface,
            A4_W - MARGIN - 40.0,
            A4_H - MARGIN + 10.0,
            9.0,
            &format!("{page_no}ページ"),
        );
        surface.finish();
        page.finish();
        remaining = rest;
        if remaining.is_empty() {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("PDFを作れませんでした: {e:?}")).into())
}
