//! Every sentence and label of 「名簿の取り込み」, in one place.

use super::{Counts, Failure, Found, Kind, Line, Step};
use crate::store::ward_roster::{self, DiffEntry};

/// The groups menu's button.
pub const OPEN: &str = "名簿の取り込み";
/// The title bar.
pub const TITLE: &str = "区の名簿の取り込み";
/// No stick yet: what to insert.
pub const INSERT: &str =
    "USBメモリを差してください。区から受け取った名簿のファイル（.csv）が入ったものです。";
/// Sticks, but no `.csv` file on them.
pub const NO_FILES: &str = "名簿のファイル（.csv）が見つかりません。USBメモリのいちばん上のフォルダに入っているか確かめて、もう一度さがしてください。";
/// Above the files found: choosing one checks it, imports nothing yet.
pub const CHOOSE: &str =
    "取り込む名簿のファイルを選んでください。選ぶと中身を確かめます（まだ取り込みません）。";
/// Above a file's problems: nothing was imported.
pub const PROBLEMS_GUIDE: &str =
    "何も取り込んでいません。区に名簿を直してもらい、直したファイルでもう一度取り込んでください。";
/// Above a clean file's differences: 「取り込む」 to import.
pub const DIFFERENCES_GUIDE: &str =
    "まだ何も取り込んでいません。内容がよければ「取り込む」を押してください。";
/// Under the differences when some members match a desk registration.
pub const LINKED_GUIDE: &str = "「注意」の方は、窓口で登録済みの方と同じふりがな・電話番号です。新しく登録せず、その記録に結び付けます。別の方なら「やめる」を押して区に確かめてください。";
/// Looks for sticks and files again.
pub const SCAN: &str = "もう一度さがす";
/// Imports the checked file.
pub const IMPORT: &str = "取り込む";
/// Back one step.
pub const BACK: &str = "もどる";
/// Leaves without importing.
pub const CANCEL: &str = "やめる";
/// Leaves after the import.
pub const DONE: &str = "おわる";
/// The list's previous page.
pub const PREV: &str = "前へ";
/// The list's next page.
pub const NEXT: &str = "次へ";
/// A row's tag: matches a desk registration (a warning).
pub const LINKED: &str = "注意";
/// A row's tag: a new member.
pub const ADDED: &str = "追加";
/// A row's tag: a changed member.
pub const CHANGED: &str = "変更";
/// A row's tag: a member no longer listed.
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

/// After the import: what was read from which stick.
pub fn imported_guide(medium: &str) -> String {
    format!(
        "媒体受渡し管理簿に「{}」として記録しました（{medium}）。USBメモリを抜いてください。",
        ward_roster::LEDGER_PURPOSE
    )
}

/// Why the file could not be read or imported.
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
    /// The row's tag (追加, 変更, 削除, 注意); empty on a problem row.
    pub tag: &'static str,
    /// The row's first line: the file's line and the group, or the
    /// problem with its line.
    pub head: String,
    /// Above the name: line, group, furigana.
    pub sub: String,
    /// The accessible label.
    pub label: String,
    /// The member's name (empty on a problem row).
    pub name: String,
    /// The name's furigana.
    pub kana: String,
    /// What the import does with the member (what changes, 結び付け,
    /// 外れる); empty otherwise.
    pub detail: String,
    /// Whether the row is drawn as a warning (a problem, or 注意).
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

/// A problem or difference row, put into words.
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
