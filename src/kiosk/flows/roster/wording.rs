//! Every sentence and label of 「名簿の取り込み」, in one place.

use super::{Counts, Failure, Found, Kind, Line, Step};
use crate::store::ward_roster::{self, DiffEntry};

/// The groups menu's button.
pub const OPEN: &str = "名簿の取り込み";
pub const TITLE: &str = "区の名簿の取り込み";
pub const INSERT: &str =
    "USBメモリを差してください。区から受け取った名簿のファイル（.csv）が入ったものです。";
pub const NO_FILES: &str = "名簿のファイル（.csv）が見つかりません。USBメモリのいちばん上のフォルダに入っているか確かめて、もう一度さがしてください。";
pub const CHOOSE: &str =
    "取り込む名簿のファイルを選んでください。選ぶと中身を確かめます（まだ取り込みません）。";
pub const PROBLEMS_GUIDE: &str =
    "何も取り込んでいません。区に名簿を直してもらい、直したファイルでもう一度取り込んでください。";
pub const DIFFERENCES_GUIDE: &str =
    "まだ何も取り込んでいません。内容がよければ「取り込む」を押してください。";
pub const LINKED_GUIDE: &str = "「注意」の方は、窓口で登録済みの方と同じふりがな・電話番号です。新しく登録せず、その記録に結び付けます。別の方なら「やめる」を押して区に確かめてください。";
pub const SCAN: &str = "もう一度さがす";
pub const IMPORT: &str = "取り込む";
pub const BACK: &str = "もどる";
pub const CANCEL: &str = "やめる";
pub const DONE: &str = "おわる";
pub const PREV: &str = "前へ";
pub const NEXT: &str = "次へ";
pub const LINKED: &str = "注意";
pub const ADDED: &str = "追加";
pub const CHANGED: &str = "変更";
pub const REMOVED: &str = "削除";

/// The label on the left button for a step.
pub fn back(step: Step) -> &'static str {
    match step {
        Step::Differences => CANCEL,
        Step::Imported => DONE,
        _ => BACK,
    }
}

/// A file's button: its name and the stick it is on.
pub fn file_label(f: &Found) -> String {
    format!("{}　（{}）", f.file_name, f.medium.name())
}

/// Above the problems.
pub fn problems_summary(c: &Counts) -> String {
    format!(
        "名簿に問題が{}件あります（文字コード: {}）。",
        c.problems,
        c.encoding.label()
    )
}

/// The counts above the differences.
pub fn differences_summary(c: &Counts) -> String {
    format!(
        "追加 {}人　変更 {}人　削除 {}人　変わらない {}人\n（文字コード: {}、会員の行: {}）",
        c.added,
        c.changed,
        c.removed,
        c.unchanged,
        c.encoding.label(),
        c.members
    )
}

/// Below the differences: the desk-registered warning first, then what a
/// removal deletes, then what to do.
pub fn differences_guide(c: &Counts) -> String {
    let mut out = String::new();
    if c.linked > 0 {
        out.push_str(LINKED_GUIDE);
    }
    if c.records_deleted > 0 {
        out.push_str(&format!(
            "どのグループにも属さなくなる区提供の記録{}件は、取り込むと削除します（受付の記録も消えます）。",
            c.records_deleted
        ));
    }
    out.push_str(DIFFERENCES_GUIDE);
    out
}

/// After the import.
pub fn imported_summary(c: &Counts) -> String {
    format!(
        "名簿を取り込みました。追加 {}人、変更 {}人、削除 {}人、変わらない {}人。",
        c.added, c.changed, c.removed, c.unchanged
    )
}

pub fn imported_guide(medium: &str) -> String {
    format!(
        "媒体受渡し管理簿に「{}」として記録しました（{medium}）。USBメモリを抜いてください。",
        ward_roster::LEDGER_PURPOSE
    )
}

pub fn failure(f: &Failure) -> String {
    match f {
        Failure::TooBig => format!(
            "名簿のファイルが大きすぎます（{} MB まで）。何も取り込んでいません。区に確かめてください。",
            ward_roster::MAX_BYTES / 1024 / 1024
        ),
        Failure::Unreadable => "名簿のファイルを読めませんでした。何も取り込んでいません。USBメモリを差し直して、もう一度さがしてください。".into(),
        Failure::StickGone => "USBメモリが見つかりません。何も取り込んでいません。差し直して、もう一度さがしてください。".into(),
        Failure::FileChanged => "確かめた後で名簿のファイルが変わっています。何も取り込んでいません。もう一度ファイルを選んで、確かめ直してください。".into(),
        Failure::Store(m) => format!("名簿を取り込めませんでした。{m}"),
    }
}

/// A row as shown: tag, first line, name, furigana, detail, warns.
pub struct RowText {
    pub tag: &'static str,
    pub head: String,
    /// Above the name: line, group, furigana.
    pub sub: String,
    /// The accessible label.
    pub label: String,
    pub name: String,
    pub kana: String,
    pub detail: String,
    pub warns: bool,
}

fn column(c: &str) -> &str {
    match c {
        "name" => "氏名",
        "kana" => "ふりがな",
        "phone" => "電話番号",
        other => other,
    }
}

fn entry_head(e: &DiffEntry) -> String {
    match e.line {
        Some(l) => format!("{l}行目　{}", e.group),
        None => e.group.clone(),
    }
}

pub fn row(line: &Line) -> RowText {
    match line {
        Line::Problem(p) => {
            let head = format!("{}行目: {}", p.line, p.reason);
            RowText {
                tag: "",
                sub: String::new(),
                label: head.clone(),
                head,
                name: String::new(),
                kana: String::new(),
                detail: String::new(),
                warns: true,
            }
        }
        Line::Entry(kind, e) => {
            let (tag, detail, warns) = match kind {
                Kind::Linked => (LINKED, "窓口で登録済みの方に結び付けます".to_owned(), true),
                Kind::Added => (ADDED, String::new(), false),
                Kind::Changed => (
                    CHANGED,
                    format!(
                        "変わる所: {}",
                        e.changed
                            .iter()
                            .map(|c| column(c))
                            .collect::<Vec<_>>()
                            .join("・")
                    ),
                    false,
                ),
                Kind::Removed => (REMOVED, "グループから外れます".to_owned(), false),
            };
            let head = entry_head(e);
            RowText {
                tag,
                sub: format!("{head}　{}", e.kana.as_str()),
                label: format!("{tag}　{head}　{}", e.name.as_str()),
                head,
                name: e.name.to_string(),
                kana: e.kana.to_string(),
                detail,
                warns,
            }
        }
    }
}

/// "1/3" when the list has more than one page, else empty.
pub fn page(page: usize, pages: usize) -> String {
    if pages > 1 {
        format!("{}/{}", page + 1, pages)
    } else {
        String::new()
    }
}
