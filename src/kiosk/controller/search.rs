//! Search by kana or phone → a person's record → check in by hand.

use zeroize::Zeroizing;

use super::{KioskController, Screen, SessionRow, row};
use crate::eligibility::{self, PhoneNumber, to_wareki};
use crate::store::Actor;
use crate::store::participants::Correction;

/// The text the keyboard types into on the search screens.
struct SearchText<'a>(&'a mut Zeroizing<String>);
use crate::store::attendance::CheckInMethod;

/// One search hit: the kana and the birth year, enough to pick the right person.
pub struct Hit {
    pub id: String,
    pub label: Zeroizing<String>,
}

/// The search screen's state. Dropped (and zeroized) when staff leave it.
#[derive(Default)]
pub struct Search {
    pub by_phone: bool,
    pub query: Zeroizing<String>,
    pub hits: Vec<Hit>,
    /// False while typing, true once the results are shown.
    pub searched: bool,
    pub message: String,
    /// The open record: its id and the text shown.
    pub record: Option<(String, Zeroizing<String>)>,
    pub(super) record_birth: Option<chrono::NaiveDate>,
    pub(super) record_postal: Option<Zeroizing<String>>,
    /// The field being corrected and its new value.
    pub edit: Option<(EditField, Zeroizing<String>)>,
}

/// A field staff can correct on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Kana,
    Phone,
}

impl KioskController {
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// "さがす" on the Today screen.
    pub fn search_start(&mut self) {
        if self.screen == Screen::StaffToday {
            self.search = Some(Search::default());
            self.screen = Screen::StaffSearch;
        }
    }

    /// Switches between kana and phone.
    pub fn search_toggle(&mut self) {
        if let Some(s) = self.search.as_mut() {
            s.by_phone = !s.by_phone;
            s.query = Zeroizing::new(String::new());
            s.message.clear();
        }
    }

    pub(super) fn search_key(&mut self, key: &str) {
        if let Some(s) = self.search.as_mut() {
            let s = match s.edit.as_mut() {
                Some((_, text)) => &mut SearchText(text),
                None => &mut SearchText(&mut s.query),
            };
            match key {
                "⌫" => {
                    s.0.pop();
                }
                "空白" => s.0.push(' '),
                "゛" | "゜" | "小" => {
                    let table: &[(char, char)] = match key {
                        "゛" => &super::register::DAKUTEN,
                        "゜" => &super::register::HANDAKUTEN,
                        _ => &super::register::SMALL,
                    };
                    super::register::modify_last(s.0, table);
                }
                k if s.0.chars().count() < 40 => s.0.push_str(k),
                _ => {}
            }
        }
    }

    pub(super) fn search_backspace(&mut self) {
        if let Some(s) = self.search.as_mut() {
            match s.edit.as_mut() {
                Some((_, text)) => text.pop(),
                None => s.query.pop(),
            };
        }
    }

    /// "ふりがなを直す" / "電話を直す" on a record.
    pub fn edit_start(&mut self, field: EditField) {
        if self.screen != Screen::StaffRecord {
            return;
        }
        if let Some(s) = self.search.as_mut() {
            s.edit = Some((field, Zeroizing::new(String::new())));
            s.message.clear();
            self.screen = Screen::StaffCorrect;
        }
    }

    /// Saves the correction (audited by the store) and shows the record again.
    pub(super) fn edit_save(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let (Some((field, text)), Some((id, _))) = (s.edit.as_ref(), s.record.as_ref()) else {
            return;
        };
        let id = id.clone();
        let change = match field {
            EditField::Kana => Correction::Kana(text.to_string()),
            EditField::Phone => match PhoneNumber::parse(text) {
                Ok(p) => Correction::Phone(p),
                Err(e) => {
                    s.message = e.to_string();
                    return;
                }
            },
        };
        match self.store.correct(&staff, &id, change) {
            Ok(()) => {
                self.search_open(&id);
                if let Some(s) = self.search.as_mut() {
                    s.message = "訂正しました。".into();
                }
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// "さがす": runs the search (audited by the store).
    pub(super) fn search_run(&mut self) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let found = if s.by_phone {
            match PhoneNumber::parse(&s.query) {
                Ok(p) => self.store.find_by_phone(&staff, &p),
                Err(e) => {
                    s.message = e.to_string();
                    return;
                }
            }
        } else {
            self.store.find_by_kana(&staff, &s.query)
        };
        match found {
            Ok(list) => {
                s.hits = list
                    .into_iter()
                    .take(30)
                    .map(|p| Hit {
                        label: Zeroizing::new(format!(
                            "{}（{}生まれ）",
                            p.kana.as_str(),
                            p.birth_date.map_or_else(
                                || "生年不明".to_owned(),
                                |b| b.format("%Y年").to_string()
                            )
                        )),
                        id: p.id,
                    })
                    .collect();
                s.searched = true;
                s.message = if s.hits.is_empty() {
                    "見つかりませんでした。".into()
                } else {
                    String::new()
                };
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// Opens one person's record (audited as a view by the store).
    pub fn search_open(&mut self, id: &str) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let today = self.store.clock().today();
        let rules = self.store.policy().rules.clone();
        let record = self.store.participant(&staff, id);
        let Some(s) = self.search.as_mut() else {
            return;
        };
        match record {
            Ok(p) => {
                let mut text = format!("{}（{}）\n", p.name.as_str(), p.kana.as_str());
                if let Some(b) = p.birth_date {
                    let age = eligibility::age_on(b, today)
                        .map_or_else(String::new, |a| format!("　{a}歳"));
                    text.push_str(&format!("生年月日: {}{age}\n", to_wareki(b)));
                }
                if let Some(town) = &p.town {
                    text.push_str(&format!("住所: {}\n", town.as_str()));
                }
                let phone = PhoneNumber::parse(&p.phone)
                    .map_or_else(|_| p.phone.to_string(), |n| n.display());
                text.push_str(&format!("電話: {phone}\n"));
                if let Some(v) = p.verified_on {
                    let due = eligibility::reverification_due(v, today, &rules);
                    text.push_str(&format!(
                        "本人確認: {}{}",
                        v.format("%Y年%-m月%-d日"),
                        if due {
                            "（やり直しの時期です）"
                        } else {
                            ""
                        }
                    ));
                }
                s.record = Some((p.id.clone(), Zeroizing::new(text)));
                s.record_birth = p.birth_date;
                s.record_postal = p.postal_code;
                s.edit = None;
                s.message.clear();
                self.choices = self
                    .store
                    .sessions_on(today)
                    .unwrap_or_default()
                    .iter()
                    .map(row)
                    .collect::<Vec<SessionRow>>();
                self.screen = Screen::StaffRecord;
            }
            Err(e) => s.message = e.to_string(),
        }
    }

    /// Checks the open record's person in to a session by hand.
    pub fn check_in_by_hand(&mut self, session_id: &str) {
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let Some(pid) = self
            .search
            .as_ref()
            .and_then(|s| s.record.as_ref())
            .map(|r| r.0.clone())
        else {
            return;
        };
        if !self.choices.iter().any(|c| c.id == session_id) {
            return;
        }
        let outcome =
            self.store
                .check_in(&Actor::Staff(staff), &pid, session_id, CheckInMethod::Staff);
        if let Some(s) = self.search.as_mut() {
            s.message = match outcome {
                Ok(o) => o.message(),
                Err(e) => e.to_string(),
            };
        }
    }

    /// "もどる" on the search screens.
    pub(super) fn search_back(&mut self) {
        match self.screen {
            Screen::StaffCorrect => {
                if let Some(s) = self.search.as_mut() {
                    s.edit = None;
                    s.message.clear();
                }
                self.screen = Screen::StaffRecord;
            }
            Screen::StaffRecord => {
                if let Some(s) = self.search.as_mut() {
                    s.record = None;
                    s.message.clear();
                }
                self.choices.clear();
                self.screen = Screen::StaffSearch;
            }
            _ => match self.search.as_mut() {
                Some(s) if s.searched => {
                    s.searched = false;
                    s.hits.clear();
                    s.message.clear();
                }
                _ => {
                    self.search = None;
                    self.open_today();
                }
            },
        }
    }
}
