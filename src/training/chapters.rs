//! The manuals' chapters (docs/ja), for the training record's 「読んだ章」:
//! the ward's inspection asks which chapters each staff member read, and
//! when (issue 19). The chapter list is read from the manuals' Markdown as
//! built into this binary, so the numbers are the ones printed in the PDFs
//! of the same release.

use std::fmt;

/// One of the five manuals (docs/ja/*.md, the quick cards aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Manual {
    /// 受付スタッフ用 操作マニュアル (docs/ja/staff.md).
    Staff,
    /// 取扱責任者用 運用手順書 (docs/ja/manager.md).
    Manager,
    /// 運営者用 月の報告マニュアル (docs/ja/operator.md).
    Operator,
    /// 区職員用 確認の手引き (docs/ja/ward.md).
    Ward,
    /// 設置業者用 設置の手引き (docs/ja/installer.md).
    Installer,
}

impl Manual {
    /// Every manual, in declaration order.
    pub const ALL: [Manual; 5] = [
        Manual::Staff,
        Manual::Manager,
        Manual::Operator,
        Manual::Ward,
        Manual::Installer,
    ];

    /// The file name without `.md`, also the first part of a chapter code.
    pub fn stem(self) -> &'static str {
        match self {
            Manual::Staff => "staff",
            Manual::Manager => "manager",
            Manual::Operator => "operator",
            Manual::Ward => "ward",
            Manual::Installer => "installer",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Manual::Staff => include_str!("../../docs/ja/staff.md"),
            Manual::Manager => include_str!("../../docs/ja/manager.md"),
            Manual::Operator => include_str!("../../docs/ja/operator.md"),
            Manual::Ward => include_str!("../../docs/ja/ward.md"),
            Manual::Installer => include_str!("../../docs/ja/installer.md"),
        }
    }

    /// The manual's title, as printed on its cover (its `# ` line).
    pub fn title(self) -> &'static str {
        self.source()
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(str::trim)
            .unwrap_or_else(|| self.stem())
    }

    /// Who the manual is for, as its title begins: 「受付スタッフ用」.
    pub fn reader(self) -> &'static str {
        self.title()
            .split_whitespace()
            .next()
            .unwrap_or_else(|| self.stem())
    }

    /// The numbered chapters (`## N. title`), in order.
    pub fn chapters(self) -> Vec<Chapter> {
        self.source()
            .lines()
            .filter_map(|l| {
                let rest = l.strip_prefix("## ")?;
                let (n, title) = rest.split_once(". ")?;
                Some(Chapter {
                    manual: self,
                    number: n.trim().parse().ok()?,
                    title: title.trim(),
                })
            })
            .collect()
    }

    fn parse(stem: &str) -> Option<Manual> {
        Self::ALL.into_iter().find(|m| m.stem() == stem)
    }
}

/// A numbered chapter of a manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chapter {
    /// The manual it belongs to.
    pub manual: Manual,
    /// The chapter's number in its manual (the `N` of its `## N. title` heading).
    pub number: u32,
    /// The chapter's heading without its number, as the manual writes it.
    pub title: &'static str,
}

/// The prefix of a chapter's code in the training record.
const CODE_PREFIX: &str = "chapter:";

impl Chapter {
    /// The code in the training record and the audit log: `chapter:staff-3`.
    pub fn code(&self) -> String {
        format!("{CODE_PREFIX}{}-{}", self.manual.stem(), self.number)
    }

    /// What staff type on the command line: `staff-3`.
    pub fn short_code(&self) -> String {
        format!("{}-{}", self.manual.stem(), self.number)
    }

    /// 「受付スタッフ用 操作マニュアル 3. 参加する方の画面と、その意味」
    pub fn label(&self) -> String {
        format!("{} {}. {}", self.manual.title(), self.number, self.title)
    }

    /// A chapter from its code (`chapter:staff-3`) or short code
    /// (`staff-3`); `None` if this release's manuals have no such chapter.
    pub fn parse(code: &str) -> Option<Chapter> {
        let short = code.strip_prefix(CODE_PREFIX).unwrap_or(code);
        let (stem, n) = short.rsplit_once('-')?;
        let manual = Manual::parse(stem)?;
        let number: u32 = n.parse().ok()?;
        manual.chapters().into_iter().find(|c| c.number == number)
    }

    /// Whether a stored code has a chapter code's form (`chapter:`, a
    /// manual, a number), whether or not this release's manuals have it.
    pub fn is_chapter_code(code: &str) -> bool {
        code.strip_prefix(CODE_PREFIX)
            .and_then(|short| short.rsplit_once('-'))
            .is_some_and(|(stem, n)| {
                Manual::parse(stem).is_some()
                    && !n.is_empty()
                    && n.len() <= 3
                    && n.bytes().all(|b| b.is_ascii_digit())
            })
    }
}

impl fmt::Display for Chapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_manual_has_numbered_chapters_in_order() {
        for m in Manual::ALL {
            let chapters = m.chapters();
            assert!(chapters.len() >= 5, "{m:?}");
            for (i, c) in chapters.iter().enumerate() {
                assert_eq!(c.number as usize, i + 1, "{m:?}");
                assert_eq!(Chapter::parse(&c.code()), Some(*c));
                assert_eq!(Chapter::parse(&c.short_code()), Some(*c));
            }
        }
        assert_eq!(Manual::Staff.title(), "受付スタッフ用 操作マニュアル");
        assert_eq!(Manual::Manager.reader(), "取扱責任者用");
    }

    #[test]
    fn unknown_codes_are_not_chapters() {
        for code in [
            "staff-99", "staff-0", "nobody-1", "staff", "chapter:", "-3", "staff-x",
        ] {
            assert_eq!(Chapter::parse(code), None, "{code}");
        }
        assert!(Chapter::is_chapter_code("chapter:staff-99"));
        for code in [
            "chapter:nobody-1",
            "chapter:staff-",
            "chapter:staff-1x",
            "staff-1",
            "chapter:",
        ] {
            assert!(!Chapter::is_chapter_code(code), "{code}");
        }
    }
}
