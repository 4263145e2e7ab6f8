//! Care-prevention classes by application and their lottery: classes,
//! applications (kiosk and staff), closing with a published commitment, the
//! RFC 3797 draw, results, cancellations moving the waiting list up, the call
//! list, and the deletion of addresses that are no longer needed.
//!
//! Nothing personal is stored in the lottery tables: they hold participant
//! ids, entry numbers and tiers. The address lives in the participant's own
//! encrypted `address` column and is asked for only when a person first
//! applies.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::dates::or_damaged;
use super::errors::LotteryError;
use super::participants::rewrite_participant;
use super::participants::{Basis, normalize_address};
use super::sessions::Program;
use super::{Actor, Cell, Keys, StaffSession, Store, open_str, record_in};
use crate::eligibility;
use crate::error::{Error, Result};
use crate::jp_date;
use crate::lottery::draw::{self, ClosedPool, Outcome, Transcript};
use crate::lottery::rfc3797;

/// Which applicants are drawn first (a tier, never extra tickets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Everyone in one tier.
    None,
    /// People applying to a class of this kind for the first time.
    FirstTime,
    /// People who lost the previous term's draw of the same class.
    PreviousLosers,
}

impl Priority {
    /// The value stored in `lottery_classes.priority`.
    pub fn code(self) -> &'static str {
        match self {
            Priority::None => "none",
            Priority::FirstTime => "first_time",
            Priority::PreviousLosers => "previous_losers",
        }
    }

    /// The rule in Japanese, for staff screens and the closing notice.
    pub fn label(self) -> &'static str {
        match self {
            Priority::None => "優先なし",
            Priority::FirstTime => "初めて申し込む方を優先",
            Priority::PreviousLosers => "前回この教室で落選した方を優先",
        }
    }

    /// Reads a stored code, a command-line spelling (`first-time`) or the Japanese short form (初回,
    /// 前回落選); `None` for anything else.
    pub fn parse(s: &str) -> Option<Priority> {
        match s.trim() {
            "none" | "なし" => Some(Priority::None),
            "first_time" | "first-time" | "初回" => Some(Priority::FirstTime),
            "previous_losers" | "previous-losers" | "前回落選" => {
                Some(Priority::PreviousLosers)
            }
            _ => None,
        }
    }
}

/// Where a class is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassStatus {
    /// Taking applications (within its period).
    Open,
    /// Pool fixed and commitment published; waiting for the draw.
    Closed,
    /// Drawn; results exist.
    Drawn,
}

impl ClassStatus {
    fn parse(s: &str) -> ClassStatus {
        match s {
            "closed" => ClassStatus::Closed,
            "drawn" => ClassStatus::Drawn,
            _ => ClassStatus::Open,
        }
    }

    /// The state in Japanese for staff screens (受付中, 締切（抽選待ち）, 抽選済み).
    pub fn label(self) -> &'static str {
        match self {
            ClassStatus::Open => "受付中",
            ClassStatus::Closed => "締切（抽選待ち）",
            ClassStatus::Drawn => "抽選済み",
        }
    }
}

/// A class to add.
#[derive(Debug, Clone)]
pub struct NewLotteryClass {
    /// The 事業 the class belongs to (normally 介護予防).
    pub program: Program,
    /// The class's title as announced.
    pub title: String,
    /// Classes of the same kind share the one-application-per-term rule
    /// (for example 「体操」).
    pub kind: String,
    /// The term, for example 「2026年度前期」.
    pub term: String,
    /// Ids (or unique prefixes) of the class's sessions: one, or a series.
    pub sessions: Vec<String>,
    /// Seats: how many win the draw.
    pub capacity: u32,
    /// Length of the waiting list; `None`: everyone not winning waits.
    pub waitlist_size: Option<u32>,
    /// First day applications are taken, included.
    pub apply_from: NaiveDate,
    /// Last day applications are taken, included.
    pub apply_until: NaiveDate,
    /// The day of the draw (after the announced random sources are published).
    pub draw_on: NaiveDate,
    /// Whether a person may apply to only one class of this `kind` per `term`.
    pub one_per_term: bool,
    /// Which applicants are drawn first.
    pub priority: Priority,
    /// The same class last term, for [`Priority::PreviousLosers`].
    pub previous_class: Option<String>,
}

/// A class as listed at the kiosk and for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotteryClass {
    /// Row id in `lottery_classes`.
    pub id: String,
    /// The 事業 the class belongs to.
    pub program: Program,
    /// The class's title as announced.
    pub title: String,
    /// Classes of the same kind share the one-application-per-term rule.
    pub kind: String,
    /// The term, for example 「2026年度前期」.
    pub term: String,
    /// Seats: how many win the draw.
    pub capacity: u32,
    /// Length of the waiting list; `None`: everyone not winning waits.
    pub waitlist_size: Option<u32>,
    /// First day applications are taken, included.
    pub apply_from: NaiveDate,
    /// Last day applications are taken, included.
    pub apply_until: NaiveDate,
    /// The day of the draw.
    pub draw_on: NaiveDate,
    /// Whether a person may apply to only one class of this kind per term.
    pub one_per_term: bool,
    /// Which applicants are drawn first.
    pub priority: Priority,
    /// The same class last term, for [`Priority::PreviousLosers`].
    pub previous_class_id: Option<String>,
    /// Open, closed or drawn.
    pub status: ClassStatus,
    /// Dates of its sessions, earliest first.
    pub session_dates: Vec<NaiveDate>,
    /// Live applications (not withdrawn).
    pub applications: u32,
    /// BLAKE3 of the closed pool's listing, published at closing so the draw can be checked; `None`
    /// while open.
    pub commitment: Option<String>,
    /// The public random sources announced at closing (RFC 3797); empty while open.
    pub announced_sources: Vec<String>,
}

impl LotteryClass {
    /// The first session's date: when the class starts.
    pub fn starts_on(&self) -> Option<NaiveDate> {
        self.session_dates.first().copied()
    }

    /// Applications are taken on `today`.
    pub fn is_open_on(&self, today: NaiveDate) -> bool {
        self.status == ClassStatus::Open && self.apply_from <= today && today <= self.apply_until
    }
}

/// State of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    /// Made, waiting for the draw.
    Applied,
    /// Withdrawn before the draw; not in the pool.
    Withdrawn,
    /// Selected by the draw.
    Won,
    /// On the waiting list (the rank is kept separately).
    Waiting,
    /// In the pool but neither selected nor on the waiting list.
    NotSelected,
    /// A winner who cancelled.
    Cancelled,
    /// Moved up from the waiting list after a cancellation.
    MovedUp,
}

impl ApplicationStatus {
    /// The value stored in `lottery_applications.status`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Withdrawn => "withdrawn",
            Self::Won => "won",
            Self::Waiting => "waiting",
            Self::NotSelected => "not_selected",
            Self::Cancelled => "cancelled",
            Self::MovedUp => "moved_up",
        }
    }

    fn parse(s: &str) -> ApplicationStatus {
        match s {
            "withdrawn" => Self::Withdrawn,
            "won" => Self::Won,
            "waiting" => Self::Waiting,
            "not_selected" => Self::NotSelected,
            "cancelled" => Self::Cancelled,
            "moved_up" => Self::MovedUp,
            _ => Self::Applied,
        }
    }
}

/// What an application attempt came to; each is a distinct kiosk screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// Recorded; show the entry number in big type.
    Applied {
        /// The entry number (受付番号) given to this application.
        entry_number: u32,
        /// Priority tier: 1 is drawn before 2.
        tier: u8,
    },
    /// First application: the address must be asked for (staff at the desk
    /// or the on-screen keyboard), then call again with it.
    NeedsAddress,
    /// Already applied to this class; nothing changed.
    Duplicate {
        /// The existing application's entry number.
        entry_number: u32,
    },
    /// Under the minimum age on one of the session dates.
    NotEligible {
        /// The first session the person is too young for.
        session_date: NaiveDate,
        /// The day they reach the minimum age; `None` when no birth date is known (an ID check is
        /// needed).
        reaches_age_on: Option<NaiveDate>,
    },
    /// Not taking applications (before or after the period, or closed).
    Closed,
    /// The class allows one application per term among classes of its
    /// kind, and the person has applied to another.
    OtherClassThisTerm {
        /// Title of the class already applied to.
        other_title: String,
    },
}

impl ApplyOutcome {
    /// A stable name for the audit result (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            ApplyOutcome::Applied { .. } => "applied",
            ApplyOutcome::NeedsAddress => "needs_address",
            ApplyOutcome::Duplicate { .. } => "duplicate",
            ApplyOutcome::NotEligible { .. } => "not_eligible",
            ApplyOutcome::Closed => "closed",
            ApplyOutcome::OtherClassThisTerm { .. } => "other_class_this_term",
        }
    }

    /// The sentence shown to the resident.
    pub fn message(&self) -> String {
        match self {
            ApplyOutcome::Applied { entry_number, .. } => format!(
                "申し込みを受け付けました。受付番号は {entry_number} 番です。抽選の結果は、抽選日のあとにカードをかざすと表示されます。"
            ),
            ApplyOutcome::NeedsAddress => {
                "はじめての抽選の申し込みです。ご住所をうかがいます（抽選の教室のご連絡のためだけに使います）。"
                    .to_owned()
            }
            ApplyOutcome::Duplicate { entry_number } => format!(
                "この教室には、すでにもうしこんでいます。受付番号は {entry_number}番です。もうしこみは1回だけです。"
            ),
            ApplyOutcome::NotEligible {
                session_date,
                reaches_age_on,
            } => match reaches_age_on {
                Some(d) => format!(
                    "この教室は60さいからです。{}の回には、まだ参加できません。{}から参加できます。受付にお声がけください。",
                    jp_date::md(*session_date),
                    jp_date::ymd(*d)
                ),
                None => "ご本人のかくにんが必要です。受付で、ほけんしょうなどを見せてください。".to_owned(),
            },
            ApplyOutcome::Closed => "いまは、この教室のもうしこみの期間ではありません。".to_owned(),
            ApplyOutcome::OtherClassThisTerm { other_title } => format!(
                "この種類の教室は、1期に1つだけもうしこめます。{other_title}に、すでにもうしこんでいます。"
            ),
        }
    }
}

/// One person's application and result, as the kiosk shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassResult {
    /// Row id in `lottery_classes`.
    pub class_id: String,
    /// The class's title as announced.
    pub title: String,
    /// The first session's date, if it has sessions.
    pub starts_on: Option<NaiveDate>,
    /// The day of the draw.
    pub draw_on: NaiveDate,
    /// The application's entry number (受付番号).
    pub entry_number: u32,
    /// Where the application stands.
    pub status: ApplicationStatus,
    /// Place on the waiting list when `status` is waiting.
    pub waiting_rank: Option<u32>,
}

impl ClassResult {
    /// 当選 / ほけつ N番 / 今回は選ばれませんでした, and the states around them
    /// (in plain words: docs/dev/plain-words.md), on the printed result notice (the kiosk says the same through
    /// `kiosk::flows::classes::wording`).
    pub fn label(&self) -> String {
        match self.status {
            ApplicationStatus::Applied => "ちゅうせん待ち".to_owned(),
            ApplicationStatus::Withdrawn => "取り下げ".to_owned(),
            ApplicationStatus::Won => "当選".to_owned(),
            ApplicationStatus::MovedUp => "当選（くり上げ）".to_owned(),
            ApplicationStatus::Waiting => {
                format!("ほけつ {}番", self.waiting_rank.unwrap_or_default())
            }
            ApplicationStatus::NotSelected => "今回は選ばれませんでした".to_owned(),
            ApplicationStatus::Cancelled => "じたい".to_owned(),
        }
    }
}

/// The closing notice: entry numbers, the commitment, the announced sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingNotice {
    /// The closed pool: every live application's entry number, tier and draw position.
    pub pool: ClosedPool,
    /// BLAKE3 of the pool listing, in hex, published before the draw.
    pub commitment: String,
    /// The day of the draw.
    pub draw_on: NaiveDate,
}

impl ClosingNotice {
    /// Printable text for the notice board. No names.
    pub fn text(&self) -> String {
        let p = &self.pool;
        let mut s = String::new();
        s.push_str(&format!("【抽選のお知らせ】{}\n", p.title));
        s.push_str(&format!(
            "申込数 {} 件　定員 {} 人　抽選日 {}\n\n",
            p.pool.len(),
            p.capacity,
            jp_date::ymd(self.draw_on)
        ));
        s.push_str("抽選は RFC 3797 の方法で行い、だれでも同じ計算で確かめられます。\n");
        s.push_str("結果を決める公開の乱数（締切のあとに発表されるもの）:\n");
        for (i, src) in p.announced_sources.iter().enumerate() {
            s.push_str(&format!("  {}. {}\n", i + 1, src));
        }
        s.push_str(&format!(
            "\n対象者一覧の確認値（BLAKE3）:\n  {}\n\n",
            self.commitment
        ));
        s.push_str("抽選順位  受付番号  区分\n");
        for e in &p.pool {
            s.push_str(&format!(
                "{:>8}  {:>8}  {}\n",
                e.position,
                e.entry,
                if e.tier == 1 { "優先" } else { "一般" }
            ));
        }
        s.push_str("\n確認値の計算に使う一覧（この行から下をそのまま BLAKE3 にかけます）:\n");
        s.push_str(&draw::pool_listing(p));
        s
    }
}

/// One line of the staff call list.
pub struct CallListEntry {
    /// The application's entry number (受付番号).
    pub entry_number: u32,
    /// Won, moved up or waiting.
    pub status: ApplicationStatus,
    /// Place on the waiting list, when waiting.
    pub waiting_rank: Option<u32>,
    /// Full name (decrypted), for the phone call.
    pub name: Zeroizing<String>,
    /// Furigana (decrypted).
    pub kana: Zeroizing<String>,
    /// Phone number as entered (decrypted).
    pub phone: Zeroizing<String>,
}

impl std::fmt::Debug for CallListEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallListEntry")
            .field("entry_number", &self.entry_number)
            .finish_non_exhaustive()
    }
}

/// What [`Store::purge_unselected_addresses`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Drawn classes whose unselected applicants were looked at.
    pub classes: u32,
    /// Addresses deleted.
    pub addresses_deleted: u32,
}

const CT: &str = "lottery_classes";

/// A class's stored date (its own or a session's) that does not read.
fn damaged_date(e: rusqlite::Error) -> Error {
    or_damaged(e, || LotteryError::Damaged { what: "日付" }.into())
}

fn refused(msg: &str) -> Error {
    Error::Refused(msg.to_owned())
}

fn validate_text(what: &'static str, s: &str, max: usize) -> Result<String> {
    let t = s.trim();
    let n = t.chars().count();
    if n == 0 || n > max || t.chars().any(char::is_control) {
        return Err(LotteryError::Text { what, max }.into());
    }
    Ok(t.to_owned())
}

type ClassRow = (
    String,
    String,
    String,
    String,
    String,
    u32,
    Option<u32>,
    NaiveDate,
    NaiveDate,
    NaiveDate,
    bool,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Adds a class offered by lottery. Any signed-in role may (no personal
    /// data); the sessions must exist.
    pub fn add_lottery_class(
        &mut self,
        staff: &StaffSession,
        c: NewLotteryClass,
    ) -> Result<String> {
        staff.require(false)?;
        let title = validate_text("教室名", &c.title, 60)?;
        let kind = validate_text("教室の種類", &c.kind, 30)?;
        let term = validate_text("期", &c.term, 30)?;
        if c.capacity == 0 || c.capacity > 1000 {
            return Err(LotteryError::CapacityRange.into());
        }
        if c.apply_from > c.apply_until || c.apply_until >= c.draw_on {
            return Err(LotteryError::DateOrder.into());
        }
        if c.sessions.is_empty() {
            return Err(LotteryError::NoSessions.into());
        }
        let mut session_ids = Vec::new();
        for s in &c.sessions {
            let id = self.resolve_id("sessions", "活動", s)?;
            let info = self.session_by_id(&id)?;
            if info.date <= c.draw_on {
                return Err(LotteryError::SessionNotAfterDraw {
                    date: info.date.to_string(),
                }
                .into());
            }
            if !session_ids.contains(&id) {
                session_ids.push(id);
            }
        }
        let previous = match (&c.priority, &c.previous_class) {
            (Priority::PreviousLosers, None) => {
                return Err(LotteryError::PreviousClassMissing.into());
            }
            (_, Some(p)) => Some(self.resolve_id(CT, "教室", p)?),
            (_, None) => None,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "INSERT INTO lottery_classes (id, program_id, title, kind, term, capacity, waitlist_size,
               apply_from, apply_until, draw_on, one_per_term, priority, previous_class_id, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open', ?14)",
            params![
                id,
                c.program.code(),
                title,
                kind,
                term,
                c.capacity,
                c.waitlist_size,
                c.apply_from,
                c.apply_until,
                c.draw_on,
                c.one_per_term,
                c.priority.code(),
                previous,
                now
            ],
        )?;
        for sid in &session_ids {
            tx.execute(
                "INSERT INTO lottery_class_sessions (class_id, session_id) VALUES (?1, ?2)",
                params![id, sid],
            )?;
        }
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::LotteryClassCreate,
            &id,
            &[],
            "ok",
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn class_by_id(&self, id: &str) -> Result<LotteryClass> {
        let row: ClassRow = self
            .conn()
            .prepare_cached(
                "SELECT id, program_id, title, kind, term, capacity, waitlist_size, apply_from,
                        apply_until, draw_on, one_per_term, priority, previous_class_id, status,
                        commitment, announced_sources
                 FROM lottery_classes WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                ))
            })
            .optional()
            .map_err(damaged_date)?
            .ok_or(Error::NotFound { what: "教室" })?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.date FROM lottery_class_sessions l JOIN sessions s ON s.id = l.session_id
             WHERE l.class_id = ?1 ORDER BY s.date",
        )?;
        let session_dates = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<NaiveDate>>>()
            .map_err(damaged_date)?;
        let applications: u32 = self.conn().query_row(
            "SELECT count(*) FROM lottery_applications WHERE class_id = ?1 AND status <> 'withdrawn'",
            [id],
            |r| r.get(0),
        )?;
        let announced_sources: Vec<String> = match &row.15 {
            Some(j) => serde_json::from_str(j).map_err(|_| LotteryError::Damaged {
                what: "抽選の記録",
            })?,
            None => Vec::new(),
        };
        Ok(LotteryClass {
            id: row.0,
            // An edited program must not quietly count as another one.
            program: Program::parse(&row.1).ok_or(LotteryError::Damaged {
                what: "教室の種類"
            })?,
            title: row.2,
            kind: row.3,
            term: row.4,
            capacity: row.5,
            waitlist_size: row.6,
            apply_from: row.7,
            apply_until: row.8,
            draw_on: row.9,
            one_per_term: row.10,
            priority: Priority::parse(&row.11).unwrap_or(Priority::None),
            previous_class_id: row.12,
            status: ClassStatus::parse(&row.13),
            session_dates,
            applications,
            commitment: row.14,
            announced_sources,
        })
    }

    /// One class by id or unique id prefix.
    pub fn lottery_class(&self, id_or_prefix: &str) -> Result<LotteryClass> {
        let id = self.resolve_id(CT, "教室", id_or_prefix)?;
        self.class_by_id(&id)
    }

    /// Every class, latest application period first.
    pub fn lottery_classes(&self) -> Result<Vec<LotteryClass>> {
        let ids: Vec<String> = self
            .conn()
            .prepare("SELECT id FROM lottery_classes ORDER BY apply_until DESC, title")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| self.class_by_id(id)).collect()
    }

    /// The classes taking applications on `today` (the kiosk's list).
    pub fn open_classes(&self, today: NaiveDate) -> Result<Vec<LotteryClass>> {
        let ids: Vec<String> = self
            .conn()
            .prepare(
                "SELECT id FROM lottery_classes
                 WHERE status = 'open' AND apply_from <= ?1 AND apply_until >= ?1
                 ORDER BY draw_on, title",
            )?
            .query_map([today], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| self.class_by_id(id)).collect()
    }

    /// A resident applies at the kiosk with their card. `Ok(None)`: the card
    /// is not registered. `address` is passed only after
    /// [`ApplyOutcome::NeedsAddress`]; when an address is already on record
    /// it is not replaced (corrections go through staff, `Correction::Address`).
    pub fn apply_by_card(
        &mut self,
        card: &tsudoi_hw::CardId,
        class_id: &str,
        address: Option<String>,
    ) -> Result<Option<ApplyOutcome>> {
        match self.participant_by_card(card)? {
            Some(pid) => self.apply(&Actor::Kiosk, &pid, class_id, address).map(Some),
            None => Ok(None),
        }
    }

    /// Staff apply on someone's behalf (ids as staff type them).
    pub fn apply_on_behalf(
        &mut self,
        staff: &StaffSession,
        participant: &str,
        class: &str,
        address: Option<String>,
    ) -> Result<ApplyOutcome> {
        staff.require(true)?;
        let pid = self.resolve_id("participants", "参加者", participant)?;
        let cid = self.resolve_id(CT, "教室", class)?;
        self.apply(&Actor::Staff(staff.clone()), &pid, &cid, address)
    }

    /// The application itself; every outcome is recorded in the audit chain.
    fn apply(
        &mut self,
        actor: &Actor,
        participant_id: &str,
        class_id: &str,
        address: Option<String>,
    ) -> Result<ApplyOutcome> {
        self.require_trusted_clock()?;
        let class = self.class_by_id(class_id)?;
        let today = self.clock().today();
        let outcome = self.apply_refusal(&class, participant_id, today)?;
        let needs_address: bool = self.conn().query_row(
            "SELECT address IS NULL FROM participants WHERE id = ?1",
            [participant_id],
            |r| r.get(0),
        )?;
        let address = match address {
            Some(a) if needs_address => Some(normalize_address(&a)?),
            _ => None,
        };
        let outcome = match outcome {
            Some(o) => o,
            None if needs_address && address.is_none() => ApplyOutcome::NeedsAddress,
            None => {
                let tier = self.tier_for(&class, participant_id)?;
                let now = self.now();
                let app_id = uuid::Uuid::new_v4().to_string();
                let bits = self.blind_bits();
                let (tx, keys, _, _) = self.write_tx()?;
                let entry: u32 = tx.query_row(
                    "SELECT coalesce(max(entry_number), 0) + 1 FROM lottery_applications WHERE class_id = ?1",
                    [class_id],
                    |r| r.get(0),
                )?;
                if let Some(a) = &address {
                    rewrite_participant(
                        &tx,
                        keys,
                        bits,
                        participant_id,
                        &[("address", Some(a))],
                        &now,
                    )?;
                    record_in(
                        &tx,
                        keys,
                        &now,
                        actor.id(),
                        AuditAction::Update,
                        participant_id,
                        &["address"],
                        "lottery_first_application",
                    )?;
                }
                tx.execute(
                    "INSERT INTO lottery_applications (id, class_id, participant_id, entry_number, tier,
                       status, applied_at, applied_by, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'applied', ?6, ?7, ?6)",
                    params![app_id, class_id, participant_id, entry, tier, now, actor.id()],
                )?;
                seal_application_link(&tx, keys, &app_id)?;
                record_in(
                    &tx,
                    keys,
                    &now,
                    actor.id(),
                    AuditAction::LotteryApply,
                    &app_id,
                    &["class", "entry_number", "tier"],
                    "applied",
                )?;
                tx.commit()?;
                return Ok(ApplyOutcome::Applied {
                    entry_number: entry,
                    tier,
                });
            }
        };
        self.record(
            actor,
            AuditAction::LotteryApply,
            participant_id,
            &["class"],
            outcome.code(),
        )?;
        Ok(outcome)
    }

    /// Why an application cannot be taken, if it cannot.
    fn apply_refusal(
        &self,
        class: &LotteryClass,
        participant_id: &str,
        today: NaiveDate,
    ) -> Result<Option<ApplyOutcome>> {
        if !class.is_open_on(today) {
            return Ok(Some(ApplyOutcome::Closed));
        }
        let existing: Option<u32> = self
            .conn()
            .query_row(
                "SELECT entry_number FROM lottery_applications
                 WHERE class_id = ?1 AND participant_id = ?2 AND status <> 'withdrawn'",
                params![class.id, participant_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(entry_number) = existing {
            return Ok(Some(ApplyOutcome::Duplicate { entry_number }));
        }
        // Eligibility is judged on each session's date, not today.
        let (birth, _, basis) = self.eligibility_facts(participant_id)?;
        let min_age = self.policy().rules.minimum_age;
        match (basis, birth) {
            (Basis::WardProvided, None) => {}
            (Basis::SelfPresented, None) => {
                return Ok(Some(ApplyOutcome::NotEligible {
                    session_date: class.starts_on().unwrap_or(today),
                    reaches_age_on: None,
                }));
            }
            (_, Some(birth)) => {
                for d in &class.session_dates {
                    if eligibility::age_on(birth, *d).is_none_or(|a| a < min_age) {
                        return Ok(Some(ApplyOutcome::NotEligible {
                            session_date: *d,
                            reaches_age_on: Some(eligibility::reaches_age_on(birth, min_age)),
                        }));
                    }
                }
            }
        }
        if class.one_per_term {
            let other: Option<String> = self
                .conn()
                .query_row(
                    "SELECT c.title FROM lottery_applications a JOIN lottery_classes c ON c.id = a.class_id
                     WHERE a.participant_id = ?1 AND a.status <> 'withdrawn'
                       AND c.kind = ?2 AND c.term = ?3 AND c.id <> ?4
                     LIMIT 1",
                    params![participant_id, class.kind, class.term, class.id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other_title) = other {
                return Ok(Some(ApplyOutcome::OtherClassThisTerm { other_title }));
            }
        }
        Ok(None)
    }

    /// Tier 1 (drawn first) or 2, by the class's priority rule.
    fn tier_for(&self, class: &LotteryClass, participant_id: &str) -> Result<u8> {
        let priority = match class.priority {
            Priority::None => false,
            Priority::FirstTime => {
                let before: u32 = self.conn().query_row(
                    "SELECT count(*) FROM lottery_applications a JOIN lottery_classes c ON c.id = a.class_id
                     WHERE a.participant_id = ?1 AND a.status <> 'withdrawn' AND c.kind = ?2 AND c.id <> ?3",
                    params![participant_id, class.kind, class.id],
                    |r| r.get(0),
                )?;
                before == 0
            }
            Priority::PreviousLosers => match &class.previous_class_id {
                Some(prev) => {
                    let lost: u32 = self.conn().query_row(
                        "SELECT count(*) FROM lottery_applications
                         WHERE participant_id = ?1 AND class_id = ?2
                           AND status IN ('not_selected', 'waiting')",
                        params![participant_id, prev],
                        |r| r.get(0),
                    )?;
                    lost > 0
                }
                None => false,
            },
        };
        Ok(if priority { 1 } else { 2 })
    }

    /// Withdraws an application before the pool is fixed.
    pub fn withdraw(&mut self, staff: &StaffSession, class: &str, entry_number: u32) -> Result<()> {
        staff.require(true)?;
        let cid = self.resolve_id(CT, "教室", class)?;
        self.withdraw_entry(&Actor::Staff(staff.clone()), &cid, entry_number)
    }

    /// A resident withdraws their own application at the kiosk.
    /// `Ok(false)`: the card is unknown or has no application to this class.
    pub fn withdraw_by_card(&mut self, card: &tsudoi_hw::CardId, class_id: &str) -> Result<bool> {
        let Some(pid) = self.participant_by_card(card)? else {
            return Ok(false);
        };
        let entry: Option<u32> = self
            .conn()
            .query_row(
                "SELECT entry_number FROM lottery_applications
                 WHERE class_id = ?1 AND participant_id = ?2 AND status <> 'withdrawn'",
                params![class_id, pid],
                |r| r.get(0),
            )
            .optional()?;
        match entry {
            Some(e) => self
                .withdraw_entry(&Actor::Kiosk, class_id, e)
                .map(|_| true),
            None => Ok(false),
        }
    }

    fn withdraw_entry(&mut self, actor: &Actor, class_id: &str, entry_number: u32) -> Result<()> {
        let class = self.class_by_id(class_id)?;
        if class.status != ClassStatus::Open {
            return Err(refused(
                "締め切り後は申し込みを取り下げられません（対象者一覧は公表済みです）。当選後に辞退の手続きをしてください。",
            ));
        }
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let app: Option<(String, String)> = tx
            .query_row(
                "SELECT id, status FROM lottery_applications WHERE class_id = ?1 AND entry_number = ?2",
                params![class_id, entry_number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((app_id, status)) = app else {
            return Err(Error::NotFound {
                what: "申し込み"
            });
        };
        if status != "applied" {
            return Err(refused("この申し込みはすでに取り下げられています。"));
        }
        tx.execute(
            "UPDATE lottery_applications SET status = 'withdrawn', updated_at = ?2 WHERE id = ?1",
            params![app_id, now],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            actor.id(),
            AuditAction::LotteryWithdraw,
            &app_id,
            &["status"],
            "withdrawn",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Closes the application period: fixes the pool, computes the
    /// commitment and records which public random numbers will decide.
    pub fn close_lottery_class(
        &mut self,
        staff: &StaffSession,
        class: &str,
        announced_sources: Vec<String>,
    ) -> Result<ClosingNotice> {
        staff.require(false)?;
        self.require_trusted_clock()?;
        let cid = self.resolve_id(CT, "教室", class)?;
        let c = self.class_by_id(&cid)?;
        let today = self.clock().today();
        if c.status != ClassStatus::Open {
            return Err(refused("この教室はすでに締め切っています。"));
        }
        if today <= c.apply_until {
            return Err(refused(&format!(
                "受付期間中（{}まで）は締め切れません。",
                jp_date::ymd(c.apply_until)
            )));
        }
        if announced_sources.is_empty() || announced_sources.len() > rfc3797::MAX_SOURCES {
            return Err(LotteryError::SourceCount {
                most: rfc3797::MAX_SOURCES,
            }
            .into());
        }
        let announced = announced_sources
            .iter()
            .map(|s| validate_text("乱数の元の名前", s, 200))
            .collect::<Result<Vec<_>>>()?;
        let entries: Vec<(u32, u8)> = self
            .conn()
            .prepare(
                "SELECT entry_number, tier FROM lottery_applications
                 WHERE class_id = ?1 AND status = 'applied' ORDER BY entry_number",
            )?
            .query_map([&cid], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rfc3797::check_sizes(entries.len().max(1) as u64, 1)?;
        let pool = draw::close_pool(
            &cid,
            &c.title,
            c.capacity,
            c.waitlist_size,
            announced.clone(),
            entries,
        );
        let commitment = draw::commitment(&pool);
        let pool_json = serde_json::to_string(&pool).map_err(|_| LotteryError::Internal {
            what: "対象者一覧",
        })?;
        let sources_json =
            serde_json::to_string(&announced).map_err(|_| LotteryError::Internal {
                what: "乱数の元",
            })?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        tx.execute(
            "UPDATE lottery_classes SET status = 'closed', pool_listing = ?2, commitment = ?3,
               announced_sources = ?4, closed_at = ?5 WHERE id = ?1 AND status = 'open'",
            params![cid, pool_json, commitment, sources_json, now],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::LotteryClose,
            &cid,
            &[],
            &format!("pool_{}_commitment_{}", pool.pool.len(), &commitment[..16]),
        )?;
        tx.commit()?;
        Ok(ClosingNotice {
            pool,
            commitment,
            draw_on: c.draw_on,
        })
    }

    /// The closing notice again (for reprinting).
    pub fn closing_notice(&self, class: &str) -> Result<ClosingNotice> {
        let cid = self.resolve_id(CT, "教室", class)?;
        let c = self.class_by_id(&cid)?;
        let pool = self.stored_pool(&cid)?;
        Ok(ClosingNotice {
            pool,
            commitment: c.commitment.unwrap_or_default(),
            draw_on: c.draw_on,
        })
    }

    fn stored_pool(&self, class_id: &str) -> Result<ClosedPool> {
        let json: Option<String> = self.conn().query_row(
            "SELECT pool_listing FROM lottery_classes WHERE id = ?1",
            [class_id],
            |r| r.get(0),
        )?;
        let json = json.ok_or_else(|| refused("この教室はまだ締め切っていません。"))?;
        serde_json::from_str(&json).map_err(|_| {
            LotteryError::Damaged {
                what: "対象者一覧"
            }
            .into()
        })
    }

    /// Runs the draw with the published random values, in the announced
    /// order. Refused before the draw date, before closing, or a second time.
    pub fn draw_lottery_class(
        &mut self,
        staff: &StaffSession,
        class: &str,
        sources: Vec<String>,
    ) -> Result<Transcript> {
        staff.require(false)?;
        // The draw date and the public numbers' day are judged on today.
        self.require_trusted_clock()?;
        let cid = self.resolve_id(CT, "教室", class)?;
        let c = self.class_by_id(&cid)?;
        let today = self.clock().today();
        match c.status {
            ClassStatus::Open => {
                return Err(refused(
                    "まだ締め切っていません。先に締め切り（tsudoi lottery close）をして、対象者一覧と乱数の元を公表してください。",
                ));
            }
            ClassStatus::Drawn => {
                return Err(refused(
                    "この教室はすでに抽選しました。抽選は1回だけです（結果は tsudoi lottery notice で見られます）。",
                ));
            }
            ClassStatus::Closed => {}
        }
        if today < c.draw_on {
            return Err(refused(&format!(
                "抽選日（{}）より前には抽選できません。",
                jp_date::ymd(c.draw_on)
            )));
        }
        if sources.len() != c.announced_sources.len() {
            return Err(refused(&format!(
                "締め切りのときに公表した乱数の元は{}個です（{}）。同じ順に{}個入力してください。",
                c.announced_sources.len(),
                c.announced_sources.join("、"),
                c.announced_sources.len()
            )));
        }
        let pool = self.stored_pool(&cid)?;
        // The stored pool must still be the one whose commitment was published.
        if Some(draw::commitment(&pool)) != c.commitment {
            return Err(refused(
                "保存された対象者一覧が公表した確認値と一致しません。抽選を中止し、取扱責任者に連絡してください。",
            ));
        }
        let transcript = draw::run(&pool, &sources)?;
        let json = transcript.to_json();
        let digest = blake3::hash(json.as_bytes()).to_hex().to_string();
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        for r in &transcript.results {
            let status = match r.outcome {
                Outcome::Won => "won",
                Outcome::Waiting => "waiting",
                Outcome::NotSelected => "not_selected",
            };
            tx.execute(
                "UPDATE lottery_applications SET status = ?3, waiting_rank = ?4, drawn_rank = ?5, updated_at = ?6
                 WHERE class_id = ?1 AND entry_number = ?2 AND status = 'applied'",
                params![cid, r.entry, status, r.waiting_rank, r.drawn, now],
            )?;
        }
        let changed = tx.execute(
            "UPDATE lottery_classes SET status = 'drawn', transcript = ?2, drawn_at = ?3
             WHERE id = ?1 AND status = 'closed'",
            params![cid, json, now],
        )?;
        if changed != 1 {
            return Err(refused("この教室はすでに抽選しました。"));
        }
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::Draw,
            &cid,
            &[],
            &format!("transcript_blake3_{}", &digest[..32]),
        )?;
        tx.commit()?;
        Ok(transcript)
    }

    /// The transcript JSON of a drawn class, exactly as stored.
    pub fn lottery_transcript(&self, class: &str) -> Result<String> {
        let cid = self.resolve_id(CT, "教室", class)?;
        let t: Option<String> = self.conn().query_row(
            "SELECT transcript FROM lottery_classes WHERE id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        t.ok_or_else(|| refused("この教室はまだ抽選していません。"))
    }

    /// Every application and result of the card's holder, newest class
    /// first. `Ok(None)`: the card is not registered.
    pub fn lottery_results_for_card(
        &mut self,
        card: &tsudoi_hw::CardId,
    ) -> Result<Option<Vec<ClassResult>>> {
        let Some(pid) = self.participant_by_card(card)? else {
            return Ok(None);
        };
        let results = self.lottery_results_for(&pid)?;
        self.record(
            &Actor::Kiosk,
            AuditAction::View,
            &pid,
            &["lottery_results"],
            &format!("{}_shown", results.len()),
        )?;
        Ok(Some(results))
    }

    /// Results of one participant (no audit entry: callers record why).
    pub(crate) fn lottery_results_for(&self, participant_id: &str) -> Result<Vec<ClassResult>> {
        let rows: Vec<(String, u32, String, Option<u32>, String)> = self
            .conn()
            .prepare(
                "SELECT a.class_id, a.entry_number, a.status, a.waiting_rank, a.id
                 FROM lottery_applications a JOIN lottery_classes c ON c.id = a.class_id
                 WHERE a.participant_id = ?1 ORDER BY c.draw_on DESC, a.applied_at DESC",
            )?
            .query_map([participant_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (.., app_id) in &rows {
            check_application_link(self.conn(), self.keys()?, app_id)?;
        }
        rows.into_iter()
            .map(|(cid, entry, status, rank, _)| (cid, entry, status, rank))
            .map(|(cid, entry, status, rank)| {
                let c = self.class_by_id(&cid)?;
                Ok(ClassResult {
                    starts_on: c.starts_on(),
                    class_id: c.id,
                    title: c.title,
                    draw_on: c.draw_on,
                    entry_number: entry,
                    status: ApplicationStatus::parse(&status),
                    waiting_rank: rank,
                })
            })
            .collect()
    }

    /// A winner cancels: the first on the waiting list moves up. Returns the
    /// entry number that moved up, if anyone was waiting.
    pub fn cancel_win(
        &mut self,
        staff: &StaffSession,
        class: &str,
        entry_number: u32,
    ) -> Result<Option<u32>> {
        staff.require(true)?;
        let cid = self.resolve_id(CT, "教室", class)?;
        let now = self.now();
        let (tx, keys, _, _) = self.write_tx()?;
        let app: Option<(String, String)> = tx
            .query_row(
                "SELECT id, status FROM lottery_applications WHERE class_id = ?1 AND entry_number = ?2",
                params![cid, entry_number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((app_id, status)) = app else {
            return Err(Error::NotFound {
                what: "申し込み"
            });
        };
        if status != "won" && status != "moved_up" {
            return Err(refused("辞退できるのは当選した申し込みだけです。"));
        }
        tx.execute(
            "UPDATE lottery_applications SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![app_id, now],
        )?;
        record_in(
            &tx,
            keys,
            &now,
            staff.staff_id(),
            AuditAction::LotteryCancel,
            &app_id,
            &["status"],
            "cancelled",
        )?;
        let next: Option<(String, u32, u32)> = tx
            .query_row(
                "SELECT id, entry_number, waiting_rank FROM lottery_applications
                 WHERE class_id = ?1 AND status = 'waiting' ORDER BY waiting_rank LIMIT 1",
                [&cid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let moved = if let Some((next_id, next_entry, rank)) = next {
            tx.execute(
                "UPDATE lottery_applications SET status = 'moved_up', updated_at = ?2 WHERE id = ?1",
                params![next_id, now],
            )?;
            record_in(
                &tx,
                keys,
                &now,
                staff.staff_id(),
                AuditAction::LotteryMoveUp,
                &next_id,
                &["status"],
                &format!("moved_up_from_waiting_{rank}_after_entry_{entry_number}"),
            )?;
            Some(next_entry)
        } else {
            None
        };
        tx.commit()?;
        Ok(moved)
    }

    /// The printable result notice, by entry number (no names).
    pub fn result_notice(&mut self, actor: &Actor, class: &str) -> Result<String> {
        let cid = self.resolve_id(CT, "教室", class)?;
        let c = self.class_by_id(&cid)?;
        if c.status != ClassStatus::Drawn {
            return Err(refused("この教室はまだ抽選していません。"));
        }
        let transcript: Transcript = serde_json::from_str(&self.lottery_transcript(&cid)?)
            .map_err(|_| LotteryError::Damaged {
                what: "抽選の記録"
            })?;
        let rows: Vec<(u32, String, Option<u32>)> = self
            .conn()
            .prepare(
                "SELECT entry_number, status, waiting_rank FROM lottery_applications
                 WHERE class_id = ?1 AND status <> 'withdrawn' ORDER BY entry_number",
            )?
            .query_map([&cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut s = String::new();
        s.push_str(&format!("【抽選結果】{}\n", c.title));
        if let Some(d) = c.starts_on() {
            s.push_str(&format!("開始日 {}　", jp_date::ymd(d)));
        }
        s.push_str(&format!(
            "定員 {} 人　申込 {} 件\n\n",
            c.capacity,
            transcript.closed.pool.len()
        ));
        s.push_str(&format!("対象者一覧の確認値: {}\n", transcript.commitment));
        s.push_str("使った公開の乱数:\n");
        for (name, value) in c.announced_sources.iter().zip(&transcript.sources) {
            s.push_str(&format!("  {name}: {value}\n"));
        }
        s.push_str(&format!("キー文字列: {}\n\n", transcript.key));
        s.push_str("受付番号  結果\n");
        for (entry, status, rank) in rows {
            let r = ClassResult {
                class_id: cid.clone(),
                title: String::new(),
                starts_on: None,
                draw_on: c.draw_on,
                entry_number: entry,
                status: ApplicationStatus::parse(&status),
                waiting_rank: rank,
            };
            s.push_str(&format!("{entry:>8}  {}\n", r.label()));
        }
        s.push_str(
            "\n確かめ方: tsudoi draw --pool-size (申込数) --count (申込数) --source … で抽選順位が出ます。\n",
        );
        self.record(actor, AuditAction::Print, &cid, &[], "result_notice")?;
        Ok(s)
    }

    /// Winners and the waiting list with names and phones, for staff who
    /// handle personal data. Recorded as a view.
    pub fn call_list(&mut self, staff: &StaffSession, class: &str) -> Result<Vec<CallListEntry>> {
        staff.require(true)?;
        let cid = self.resolve_id(CT, "教室", class)?;
        let rows: Vec<(String, u32, String, Option<u32>, String)> = self
            .conn()
            .prepare(
                "SELECT participant_id, entry_number, status, waiting_rank, id FROM lottery_applications
                 WHERE class_id = ?1 AND status IN ('won', 'moved_up', 'waiting')
                 ORDER BY CASE WHEN status = 'waiting' THEN 1 ELSE 0 END, waiting_rank, entry_number",
            )?
            .query_map([&cid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        {
            let keys = self.keys()?;
            for (.., app_id) in &rows {
                check_application_link(self.conn(), keys, app_id)?;
            }
            for (pid, entry, status, rank, _) in rows {
                let (name, kana, phone, rev): (Vec<u8>, Vec<u8>, Vec<u8>, i64) =
                    self.conn().query_row(
                        "SELECT name, kana, phone, rev FROM participants WHERE id = ?1",
                        [&pid],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )?;
                out.push(CallListEntry {
                    entry_number: entry,
                    status: ApplicationStatus::parse(&status),
                    waiting_rank: rank,
                    name: open_str(keys, Cell::participant("name", &pid, rev), &name)?,
                    kana: open_str(keys, Cell::participant("kana", &pid, rev), &kana)?,
                    phone: open_str(keys, Cell::participant("phone", &pid, rev), &phone)?,
                });
            }
        }
        self.record(
            &Actor::Staff(staff.clone()),
            AuditAction::View,
            &cid,
            &["name", "kana", "phone"],
            &format!("call_list_{}", out.len()),
        )?;
        Ok(out)
    }

    /// Deletes the addresses of applicants who were not selected, for every
    /// drawn class that has started by `today` (data minimisation). An
    /// address still needed for another live application or a win is kept.
    /// Each deletion is recorded.
    pub fn purge_unselected_addresses(
        &mut self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<PurgeReport> {
        if let Actor::Staff(s) = actor {
            s.require(true)?;
        }
        let classes: Vec<String> = self
            .conn()
            .prepare(
                "SELECT c.id FROM lottery_classes c
                 WHERE c.status = 'drawn' AND c.addresses_purged_at IS NULL
                   AND (SELECT min(s.date) FROM lottery_class_sessions l JOIN sessions s ON s.id = l.session_id
                        WHERE l.class_id = c.id) <= ?1",
            )?
            .query_map([today], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut report = PurgeReport::default();
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        for cid in &classes {
            // Not selected: lost, still waiting when the class began, or withdrew.
            let pids: Vec<String> = tx
                .prepare(
                    "SELECT a.participant_id FROM lottery_applications a
                     JOIN participants p ON p.id = a.participant_id
                     WHERE a.class_id = ?1 AND a.status IN ('not_selected', 'waiting', 'withdrawn')
                       AND p.address IS NOT NULL
                       AND NOT EXISTS (
                         SELECT 1 FROM lottery_applications b JOIN lottery_classes c2 ON c2.id = b.class_id
                         WHERE b.participant_id = a.participant_id AND b.class_id <> a.class_id
                           AND (b.status IN ('won', 'moved_up')
                                OR (b.status IN ('applied', 'waiting') AND c2.addresses_purged_at IS NULL)))",
                )?
                .query_map([cid], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for pid in &pids {
                rewrite_participant(&tx, keys, bits, pid, &[("address", None)], &now)?;
                record_in(
                    &tx,
                    keys,
                    &now,
                    actor.id(),
                    AuditAction::Erase,
                    pid,
                    &["address"],
                    "lottery_not_selected_class_started",
                )?;
            }
            tx.execute(
                "UPDATE lottery_classes SET addresses_purged_at = ?2 WHERE id = ?1",
                params![cid, now],
            )?;
            record_in(
                &tx,
                keys,
                &now,
                actor.id(),
                AuditAction::Erase,
                cid,
                &["address"],
                &format!("addresses_deleted_{}", pids.len()),
            )?;
            report.classes += 1;
            report.addresses_deleted += pids.len() as u32;
        }
        tx.commit()?;
        // The deleted addresses must not stay in the WAL.
        self.checkpoint()?;
        Ok(report)
    }
}

/// Writes an application's link MAC (FORMAT.md 8.5) from its row.
pub(crate) fn seal_application_link(
    tx: &rusqlite::Connection,
    keys: &Keys,
    app_id: &str,
) -> Result<()> {
    let mac = application_link(tx, keys, app_id)?.0;
    tx.execute(
        "UPDATE lottery_applications SET link_mac = ?2 WHERE id = ?1",
        params![app_id, mac.as_slice()],
    )?;
    Ok(())
}

/// The expected and the stored link MAC of one application.
fn application_link(
    conn: &rusqlite::Connection,
    keys: &Keys,
    app_id: &str,
) -> Result<([u8; 32], Option<Vec<u8>>)> {
    let (class_id, pid, entry, stored): (String, String, i64, Option<Vec<u8>>) = conn
        .prepare_cached(
            "SELECT class_id, participant_id, entry_number, link_mac
             FROM lottery_applications WHERE id = ?1",
        )?
        .query_row([app_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let expected = keys.personal()?.links.application_mac(
        app_id,
        &class_id,
        &pid,
        u64::try_from(entry).unwrap_or(0),
    )?;
    Ok((expected, stored))
}

/// Refuses an application whose class, participant or entry number was
/// changed outside tsudoi, naming it.
pub(crate) fn check_application_link(
    conn: &rusqlite::Connection,
    keys: &Keys,
    app_id: &str,
) -> Result<()> {
    let (expected, stored) = application_link(conn, keys, app_id)?;
    if stored
        .as_deref()
        .is_some_and(|m| crate::crypto::mac_equal(m, &expected))
    {
        Ok(())
    } else {
        let short: String = app_id.chars().take(8).collect();
        Err(Error::Tampered(format!(
            "lottery_applications {short}（申込と参加者の結び付き）"
        )))
    }
}
