//! Lottery classes at the kiosk: "class mode" from the waiting screen, a card
//! tap shows that resident's results and the open classes, a tap on a class
//! applies. Only the card holder's own data is shown, and everything is
//! forgotten when the screen returns to waiting.

use chrono::NaiveDate;

use super::keys::step_page;
use super::{KioskController, Screen, Signal};
use crate::error::Error;
use crate::jp_date;
use crate::kiosk::flows::checkin::Outcome;
use crate::store::lottery::{ApplyOutcome, ClassResult, LotteryClass};

/// An open class as a big button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRow {
    pub id: String,
    pub title: String,
    /// The session dates, e.g. "12月3日（木）から 全4回".
    pub dates: String,
    /// "定員 20人".
    pub capacity: String,
    /// "申し込み 11月15日（日）まで・抽選 11月20日（金）".
    pub period: String,
    /// The draw date, shown again after applying.
    pub draw_on: NaiveDate,
}

/// One of the card holder's applications and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// 当選 / 補欠 N番 / 今回は選ばれませんでした / 抽選待ち …
    pub label: String,
    /// The sentence with the class title.
    pub message: String,
}

pub(in crate::kiosk) fn class_row(c: &LotteryClass) -> ClassRow {
    let dates = match c.session_dates.as_slice() {
        [] => String::new(),
        [one] => jp_date::md_weekday(*one),
        [first, ..] => format!(
            "{}から 全{}回",
            jp_date::md_weekday(*first),
            c.session_dates.len()
        ),
    };
    ClassRow {
        id: c.id.clone(),
        title: c.title.clone(),
        dates,
        capacity: format!("定員 {}人", c.capacity),
        period: format!(
            "申し込み {}まで・抽選 {}",
            jp_date::md_weekday(c.apply_until),
            jp_date::md_weekday(c.draw_on)
        ),
        draw_on: c.draw_on,
    }
}

fn result_row(r: &ClassResult) -> ResultRow {
    ResultRow {
        label: r.label(),
        message: r.message(),
    }
}

/// Results and classes per page of the class list: what fits at 800×480
/// (and 1280×800, which scales) without scrolling, which residents miss.
pub const CLASS_ITEMS_PER_PAGE: usize = 2;

/// One page of the class list: the card holder's results first, then the
/// open classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPage<'a> {
    pub results: &'a [ResultRow],
    pub classes: &'a [ClassRow],
    /// "1/2" when there is more than one page, else empty.
    pub page: String,
    pub has_prev: bool,
    pub has_next: bool,
    /// Whether the line about the classes (「申し込む教室を押してください」 or
    /// 「いま申し込める教室はありません」) belongs on this page.
    pub says_classes: bool,
}

impl KioskController {
    /// The card holder's own results, shown on the class list.
    pub fn class_results(&self) -> &[ResultRow] {
        &self.class_results
    }

    /// The open classes, shown on the class list.
    pub fn class_rows(&self) -> &[ClassRow] {
        &self.classes
    }

    fn class_pages(&self) -> usize {
        (self.class_results.len() + self.classes.len())
            .div_ceil(CLASS_ITEMS_PER_PAGE)
            .max(1)
    }

    /// The current page of the class list.
    pub fn class_page(&self) -> ClassPage<'_> {
        let pages = self.class_pages();
        let page = self.class_page.min(pages - 1);
        let (from, to) = (
            page * CLASS_ITEMS_PER_PAGE,
            (page + 1) * CLASS_ITEMS_PER_PAGE,
        );
        let n = self.class_results.len();
        let results = &self.class_results[from.min(n)..to.min(n)];
        let m = self.classes.len();
        let classes = &self.classes[from.saturating_sub(n).min(m)..to.saturating_sub(n).min(m)];
        ClassPage {
            results,
            classes,
            page: if pages > 1 {
                format!("{}/{}", page + 1, pages)
            } else {
                String::new()
            },
            has_prev: page > 0,
            has_next: page + 1 < pages,
            says_classes: !classes.is_empty() || (self.classes.is_empty() && page + 1 == pages),
        }
    }

    /// 「つぎ」 / 「まえ」 on the class list.
    pub fn class_page_step(&mut self, delta: i32) {
        if self.screen == Screen::Classes {
            self.class_page = step_page(self.class_page, delta, self.class_pages());
        }
    }

    /// The entry number after an application ("12"), or empty.
    pub fn entry_number(&self) -> &str {
        &self.entry_number
    }

    /// 「教室のもうしこみ・抽選の結果」 on the waiting screen: the next card
    /// tap opens the classes instead of checking in.
    pub fn class_mode(&mut self) {
        if self.screen == Screen::Waiting {
            self.clear_result();
            self.screen = Screen::ClassCard;
        }
    }

    /// True on the screens where a card tap belongs to class mode.
    pub(in crate::kiosk) fn in_class_mode(&self) -> bool {
        matches!(self.screen, Screen::ClassCard | Screen::Classes)
    }

    /// A card tapped in class mode: that resident's results and the open classes.
    pub(in crate::kiosk) fn class_card(
        &mut self,
        card: Result<tsudoi_hw::CardId, tsudoi_hw::CardIdError>,
    ) -> Signal {
        self.clear_result();
        let card = match card {
            Ok(c) => c,
            Err(e) => return self.show_outcome(Outcome::CardError(e)),
        };
        let today = self.store.clock().today();
        let results = match self.store.lottery_results_for_card(&card) {
            Ok(Some(r)) => r,
            Ok(None) => return self.show_outcome(Outcome::UnknownCard),
            Err(e) => return self.fault("a card's lottery results could not be read", &e),
        };
        let open = match self.store.open_classes(today) {
            Ok(o) => o,
            Err(e) => return self.fault("the open classes could not be read", &e),
        };
        self.class_results = results.iter().map(result_row).collect();
        self.classes = open.iter().map(class_row).collect();
        self.class_message = if self.classes.is_empty() {
            "いま申し込める教室はありません。".to_owned()
        } else {
            "申し込む教室を押してください。".to_owned()
        };
        self.class_holder = Some(card);
        self.screen = Screen::Classes;
        Signal::Success
    }

    /// The resident tapped an open class: apply with their card.
    pub fn apply_class(&mut self, class_id: &str) -> Signal {
        if self.screen != Screen::Classes {
            return Signal::Attention;
        }
        let Some(card) = self.class_holder.take() else {
            self.go_waiting();
            return Signal::Attention;
        };
        let Some(class) = self.classes.iter().find(|c| c.id == class_id).cloned() else {
            self.go_waiting();
            return Signal::Attention;
        };
        let outcome = self.store.apply_by_card(&card, &class.id, None);
        self.clear_result();
        match outcome {
            Ok(Some(o)) => self.apply_class_outcome(&class.title, class.draw_on, o),
            Ok(None) => self.show_outcome(Outcome::UnknownCard),
            Err(Error::ClockBehind { .. }) => self.show_outcome(Outcome::ClockUnconfirmed),
            Err(e) => self.fault("an application could not be recorded", &e),
        }
    }

    /// Shows the screen for an application outcome (also used by the screenshots).
    pub fn apply_class_outcome(
        &mut self,
        title: &str,
        draw_on: NaiveDate,
        outcome: ApplyOutcome,
    ) -> Signal {
        self.class_title = title.to_owned();
        match outcome {
            ApplyOutcome::Applied { entry_number, .. } => {
                self.entry_number = entry_number.to_string();
                self.class_message = format!(
                    "抽選日は{}です。抽選のあとに、このカードをタッチすると結果が見られます。",
                    jp_date::md_weekday(draw_on)
                );
                self.screen = Screen::ClassApplied;
                Signal::Success
            }
            ApplyOutcome::NeedsAddress => {
                // No kanji keyboard here: staff apply on the resident's behalf
                // with the address (`tsudoi lottery apply`).
                self.class_message = "はじめての申し込みには、ご住所の登録がいります。受付のスタッフにお声がけください。スタッフが代わりに申し込みます。".to_owned();
                self.screen = Screen::ClassNeedsAddress;
                Signal::Attention
            }
            other => {
                self.class_message = other.message();
                self.screen = Screen::ClassRefused;
                Signal::Attention
            }
        }
    }
}
