//! 研修モード (training mode, issue 19): the kiosk on a separate store of
//! invented residents, created fresh in a scratch folder for each training
//! and deleted afterwards, with guided exercises whose completion is read
//! from that store's own state and audit log; and the record of who
//! completed which exercise on which day, kept in the real store.
//!
//! Nothing done in training reaches the real store: the practice store is a
//! different file, made here and never a path the caller names. The only
//! write to the real store is the training record, made after training with
//! the trainee's own sign-in ([`Store::record_training`]).

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod chapters;

/// A training practice refused as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingError {
    /// The trainee's staff id is the practice store's own manager.
    #[error("このスタッフIDは研修では使えません。ご自分のスタッフIDで始めてください。")]
    ReservedTrainee,
}

impl TrainingError {
    /// The trainee's to correct: [`ErrorKind::InvalidInput`] (exit 2).
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{OptionalExtension, params};

use crate::demo;
use crate::error::{Error, ErrorKind, Result};
use crate::store::audit::AuditAction;
use crate::store::lottery::{NewLotteryClass, Priority};
use crate::store::sessions::{NewSession, Program, SessionMode};
use crate::store::{Role, StaffSession, Store, record_in};

pub use chapters::{Chapter, Manual};

/// The banner on every screen while training runs.
pub const BANNER: &str = "研修中（架空のデータ）";

/// The trainee's password in the practice store (shown on the guide; it
/// protects nothing real, and the trainee's real password never goes there).
pub const PRACTICE_PASSWORD: &str = "renshu-2026-desk";

/// The practice store's site name.
pub const PRACTICE_SITE: &str = "研修用（架空のデータ）";

/// The sample ID document the registration exercise uses: an invented
/// person, shown on the guide.
pub const SAMPLE_ID: &str =
    "見本: みほん はなこ（見本 花子）昭和31年5月1日生 〒160-0022 03-5555-0123";

/// The sample person's reading and birth date (as on [`SAMPLE_ID`]): the
/// registration exercise counts only a person registered with these.
pub const SAMPLE_KANA: &str = "みほん はなこ";
/// The sample person's birth date, 昭和31年5月1日 (1956-05-01), as on [`SAMPLE_ID`].
pub const SAMPLE_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1956, 5, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Whether a registered person is the sample person: the same reading
/// (hiragana or katakana, spaces aside) and birth date.
fn is_sample_person(kana: &str, birth: Option<NaiveDate>) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                _ => c,
            })
            .collect()
    };
    birth == Some(SAMPLE_BIRTH) && fold(kana) == fold(SAMPLE_KANA)
}

/// The class that takes applications in the practice store.
pub const PRACTICE_CLASS: &str = "研修用の体操教室";

/// One guided exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exercise {
    /// Register a person from the sample ID document.
    Register,
    /// Check someone in by hand from their record.
    CheckInByHand,
    /// Correct a person's phone number.
    CorrectPhone,
    /// A card no one has registered was tapped: link it to a person.
    UnknownCard,
    /// Sign out (the staff screens lock) and sign in again.
    LockUnlock,
    /// Apply for a lottery class on a person's behalf.
    ApplyForClass,
}

impl Exercise {
    /// Every exercise, in declaration order (the record counts done ones against its length).
    pub const ALL: [Exercise; 6] = [
        Exercise::Register,
        Exercise::CheckInByHand,
        Exercise::CorrectPhone,
        Exercise::UnknownCard,
        Exercise::LockUnlock,
        Exercise::ApplyForClass,
    ];

    /// The code stored in the training record and the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Exercise::Register => "register",
            Exercise::CheckInByHand => "check_in_by_hand",
            Exercise::CorrectPhone => "correct_phone",
            Exercise::UnknownCard => "unknown_card",
            Exercise::LockUnlock => "lock_unlock",
            Exercise::ApplyForClass => "apply_for_class",
        }
    }

    /// The exercise with this stored code, or `None` for an unknown code.
    pub fn parse(code: &str) -> Option<Exercise> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The exercise's name on screen and in the printed record.
    pub fn label(self) -> &'static str {
        match self {
            Exercise::Register => "見本の本人確認書類で登録する",
            Exercise::CheckInByHand => "手入力で受付する",
            Exercise::CorrectPhone => "電話番号を直す",
            Exercise::UnknownCard => "登録されていないカードに対応する",
            Exercise::LockUnlock => "サインアウトして、もう一度サインインする",
            Exercise::ApplyForClass => "ご本人に代わって教室に申し込む",
        }
    }

    /// How to do it, in the guide's words.
    pub fn how(self) -> &'static str {
        match self {
            Exercise::Register => "「新しい方の登録」で見本の保険証の内容を最後まで入れます。",
            Exercise::CheckInByHand => {
                "「さがす」で、だれかの記録を開き、今日の活動を押して受付します。"
            }
            Exercise::CorrectPhone => {
                "記録の「直す・消す」→「電話」で、電話番号を直して保存します。"
            }
            Exercise::UnknownCard => {
                "サインアウトしてカードをタッチ（デモではボタン2）。「受付にお声がけください」と出たら、サインインして、その方の記録の「カード」→「カードを追加」でカードを登録します。"
            }
            Exercise::LockUnlock => {
                "「サインアウト」を押して画面を閉じ、もう一度スタッフIDと研修用のパスワードでサインインします。"
            }
            Exercise::ApplyForClass => {
                "記録の「教室に申し込む」で「研修用の体操教室」を選び、申し込みます（はじめての方は住所も入れます）。"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_person_is_the_one_on_the_sample_id() {
        assert!(SAMPLE_ID.contains(SAMPLE_KANA));
        assert!(SAMPLE_ID.contains("昭和31年5月1日"));
        assert!(is_sample_person("ミホン　ハナコ", Some(SAMPLE_BIRTH)));
        assert!(is_sample_person("みほんはなこ", Some(SAMPLE_BIRTH)));
        assert!(!is_sample_person("みほん はなこ", SAMPLE_BIRTH.pred_opt()));
        assert!(!is_sample_person("みほん はなえ", Some(SAMPLE_BIRTH)));
        assert!(!is_sample_person("みほん はなこ", None));
    }
}

/// Where the practice store lives, removed on drop: a scratch folder of its
/// own, or a new file the caller named (with its WAL and shared memory).
#[derive(Debug)]
enum Scratch {
    /// Removed by `TempDir`'s own drop.
    Folder(tempfile::TempDir),
    File(PathBuf),
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self {
            Scratch::Folder(_) => {}
            Scratch::File(file) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = file.as_os_str().to_owned();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
            }
        }
    }
}

/// A training under way: who is training, since which audit entry of the
/// practice store, and the practice store's scratch folder (deleted when
/// this is dropped, after the store itself).
#[derive(Debug)]
pub struct Practice {
    trainee: String,
    /// The practice store's audit log length when training began: only
    /// later entries count.
    start_seq: i64,
    /// The audit length when a card no one had registered was tapped.
    unknown_card_at: Option<i64>,
    /// The staff manual's chapters the trainee marked as read on the guide.
    chapters_read: Vec<Chapter>,
    scratch: Scratch,
}

/// Whether `path` must not be used for a practice store: any existing file
/// (a real store, or anything else) is refused, and nothing is opened or
/// written to find that out. The message says why in plain Japanese.
pub fn refuse_practice_path(path: &Path, real_store: &Path) -> Result<()> {
    // The same file by path, or by inode (a hard link or a bind mount): the
    // header of the real store must never be read below, because closing a
    // descriptor of it would drop this process's SQLite locks on it.
    let same_inode = || {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(path), std::fs::metadata(real_store)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    };
    let same = match (path.canonicalize(), real_store.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => path == real_store,
    } || same_inode();
    if same {
        return Err(Error::Refused(format!(
            "{} は本番の保存ファイルです。研修モードでは本番の保存ファイルを開きません（本番のデータは研修から見えず、研修で行ったことは本番に入りません）。",
            path.display()
        )));
    }
    if path.exists() {
        let mut head = [0u8; 16];
        let is_sqlite = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok()
            && &head == b"SQLite format 3\0";
        let what = if is_sqlite {
            "保存ファイル（本番のものかもしれません）"
        } else {
            "ファイル"
        };
        return Err(Error::Refused(format!(
            "{} には既に{what}があります。研修モードでは既にある保存ファイルを開きません。研修用の保存ファイルは毎回新しく作ります。",
            path.display()
        )));
    }
    Ok(())
}

impl Practice {
    /// Makes a practice store of invented residents at `file`, which must
    /// not exist and must not be `real_store` ([`refuse_practice_path`]), or
    /// by default in a new scratch folder under the system's temporary
    /// folder; either is deleted when the practice is dropped. It stands
    /// at 10:30 on `today` so the day's activities are open, with an account
    /// for `trainee` (a 取扱者, password [`PRACTICE_PASSWORD`]) and a class
    /// taking applications. Returns the store, unlocked for card taps, with
    /// no one signed in.
    pub fn create(
        trainee: &str,
        today: NaiveDate,
        file: Option<&Path>,
        real_store: &Path,
    ) -> Result<(Store, Practice)> {
        crate::store::staff::validate_staff_id(trainee)?;
        if trainee == demo::DEMO_MANAGER {
            return Err(TrainingError::ReservedTrainee.into());
        }
        let (scratch, path) = match file {
            Some(f) => {
                refuse_practice_path(f, real_store)?;
                (Scratch::File(f.to_owned()), f.to_owned())
            }
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("tsudoi-training-")
                    .tempdir()?;
                let path = dir.path().join("practice.db");
                (Scratch::Folder(dir), path)
            }
        };
        refuse_practice_path(&path, real_store)?;
        let demo::SmallDemo {
            spec,
            policy,
            clock,
        } = demo::SmallDemo::new(today, 19);
        let (mut store, manager, _) =
            demo::open_or_create(&path, demo::DEMO_PASSWORD, &spec, policy, clock)?;
        store.set_meta(&[("site", PRACTICE_SITE), ("training", "1")])?;
        practice_class(&mut store, &manager, today)?;
        store.add_staff(&manager, trainee, Role::Handler, "first-2026-renshu")?;
        store.sign_out(&manager)?;
        let mut session = store.sign_in(trainee, "first-2026-renshu")?;
        store.change_password(&mut session, PRACTICE_PASSWORD)?;
        store.sign_out(&session)?;
        let start_seq = last_seq(&store)?;
        Ok((
            store,
            Practice {
                trainee: trainee.to_owned(),
                start_seq,
                unknown_card_at: None,
                chapters_read: Vec::new(),
                scratch,
            },
        ))
    }

    /// The real staff member who is training.
    pub fn trainee(&self) -> &str {
        &self.trainee
    }

    /// The practice store's folder or file (removed when this is dropped).
    pub fn location(&self) -> &Path {
        match &self.scratch {
            Scratch::Folder(d) => d.path(),
            Scratch::File(p) => p,
        }
    }

    /// The chapters marked as read so far, in the manual's order.
    pub fn chapters_read(&self) -> &[Chapter] {
        &self.chapters_read
    }

    /// Marks `chapter` as read, or unmarks it if it was.
    pub fn toggle_chapter(&mut self, chapter: Chapter) {
        match self.chapters_read.iter().position(|c| *c == chapter) {
            Some(i) => {
                self.chapters_read.remove(i);
            }
            None => {
                self.chapters_read.push(chapter);
                self.chapters_read.sort();
            }
        }
    }

    /// A card no one has registered was tapped on the practice kiosk: a
    /// card linked after this point handles it.
    pub fn unknown_card_tapped(&mut self, store: &Store) {
        if self.unknown_card_at.is_none() {
            self.unknown_card_at = last_seq(store).ok();
        }
    }

    /// Which exercises are done, read from the practice store: its audit
    /// log since training began (entries by the trainee) and the rows those
    /// entries point at. Pressing buttons without finishing counts for nothing.
    pub fn status(&self, store: &Store) -> Vec<(Exercise, bool)> {
        Exercise::ALL
            .into_iter()
            .map(|e| (e, self.is_done(store, e).unwrap_or(false)))
            .collect()
    }

    /// The exercises done so far.
    pub fn done(&self, store: &Store) -> Vec<Exercise> {
        self.status(store)
            .into_iter()
            .filter(|(_, d)| *d)
            .map(|(e, _)| e)
            .collect()
    }

    fn is_done(&self, store: &Store, exercise: Exercise) -> Result<bool> {
        let conn = store.conn();
        let since = self.start_seq;
        let who = self.trainee.as_str();
        // Every query binds three parameters (since, trainee, an extra
        // audit position); those that need only two compare the third
        // with itself.
        let exists = |sql: &str, extra: i64| -> Result<bool> {
            Ok(conn
                .query_row(sql, params![since, who, extra], |_| Ok(()))
                .optional()?
                .is_some())
        };
        match exercise {
            // A registration whose record is still there, of the sample
            // person (read from the practice store: invented data only).
            Exercise::Register => {
                let mut stmt = conn.prepare(
                    "SELECT DISTINCT a.record_id FROM audit a JOIN participants p ON p.id = a.record_id
                      WHERE a.seq > ?1 AND a.actor = ?2 AND a.action = 'create' AND a.result = 'ok'",
                )?;
                let ids = stmt
                    .query_map(params![since, who], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                for id in ids {
                    let p = store.load(&id)?;
                    if is_sample_person(&p.kana, p.birth_date) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            // A check-in by staff whose attendance row is there.
            Exercise::CheckInByHand => exists(
                "SELECT 1 FROM audit a JOIN attendance t
                    ON t.participant_id = a.record_id AND t.method = 'staff' AND t.staff_id = a.actor
                  WHERE a.seq > ?1 AND a.actor = ?2 AND a.action = 'check_in'
                    AND a.result LIKE 'checked_in%' AND ?3 = ?3",
                0,
            ),
            Exercise::CorrectPhone => exists(
                "SELECT 1 FROM audit a JOIN participants p ON p.id = a.record_id
                  WHERE a.seq > ?1 AND a.actor = ?2 AND a.action = 'update'
                    AND a.fields LIKE '%phone%' AND a.result = 'ok' AND ?3 = ?3",
                0,
            ),
            // A card linked after an unregistered card was tapped, and still linked.
            Exercise::UnknownCard => match self.unknown_card_at {
                None => Ok(false),
                Some(at) => exists(
                    "SELECT 1 FROM audit a JOIN cards c ON c.participant_id = a.record_id
                      WHERE a.seq > ?1 AND a.actor = ?2 AND a.seq > ?3
                        AND a.action IN ('card_link', 'card_replace')",
                    at,
                ),
            },
            // A sign-out followed by a sign-in of the trainee.
            Exercise::LockUnlock => exists(
                "SELECT 1 FROM audit o JOIN audit i ON i.seq > o.seq AND i.actor = o.actor
                  WHERE o.seq > ?1 AND o.actor = ?2 AND o.action = 'sign_out'
                    AND i.action = 'sign_in' AND i.result = 'ok' AND ?3 = ?3",
                0,
            ),
            // An application recorded by the trainee, still in the class.
            Exercise::ApplyForClass => exists(
                "SELECT 1 FROM audit a JOIN lottery_applications l ON l.id = a.record_id
                  WHERE a.seq > ?1 AND a.actor = ?2 AND a.action = 'lottery_apply'
                    AND a.result = 'applied' AND ?3 = ?3",
                0,
            ),
        }
    }
}

fn last_seq(store: &Store) -> Result<i64> {
    Ok(store
        .conn()
        .query_row("SELECT coalesce(max(seq), 0) FROM audit", [], |r| r.get(0))?)
}

/// A class taking applications today, with four weekly sessions from next week.
fn practice_class(store: &mut Store, manager: &StaffSession, today: NaiveDate) -> Result<()> {
    let day = |n: i64| today + chrono::Duration::days(n);
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let mut sessions = Vec::new();
    for n in [7, 14, 21, 28] {
        sessions.push(store.add_session(
            manager,
            NewSession {
                program: Program::Kaigo,
                date: day(n),
                start: t(10),
                end: t(11),
                title: PRACTICE_CLASS.into(),
                capacity: Some(20),
                mode: SessionMode::Lottery,
            },
        )?);
    }
    store.add_lottery_class(
        manager,
        NewLotteryClass {
            program: Program::Kaigo,
            title: PRACTICE_CLASS.into(),
            kind: "研修".into(),
            term: "研修".into(),
            sessions,
            capacity: 20,
            waitlist_size: None,
            apply_from: day(-1),
            apply_until: day(5),
            draw_on: day(6),
            one_per_term: false,
            priority: Priority::None,
            previous_class: None,
        },
    )?;
    Ok(())
}

/// What a line of the training record says was done: an exercise of the
/// training mode, or a manual chapter read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingItem {
    /// An exercise of the training mode, completed.
    Exercise(Exercise),
    /// A chapter's code (`chapter:staff-3`). Kept as stored: a later
    /// release's manuals may number their chapters differently.
    ChapterRead(String),
}

impl TrainingItem {
    /// The code stored in the record and the audit log.
    pub fn code(&self) -> String {
        match self {
            TrainingItem::Exercise(e) => e.code().to_owned(),
            TrainingItem::ChapterRead(code) => code.clone(),
        }
    }

    /// The line's words in the printed record.
    pub fn label(&self) -> String {
        match self {
            TrainingItem::Exercise(e) => e.label().to_owned(),
            TrainingItem::ChapterRead(code) => match Chapter::parse(code) {
                Some(c) => format!("読んだ章: {} {}. {}", c.manual.reader(), c.number, c.title),
                None => format!("読んだ章: {code}（この版のマニュアルにない章）"),
            },
        }
    }

    /// The exercise, if the line is one (not a chapter read).
    pub fn exercise(&self) -> Option<Exercise> {
        match self {
            TrainingItem::Exercise(e) => Some(*e),
            TrainingItem::ChapterRead(_) => None,
        }
    }

    fn parse(code: &str) -> Option<TrainingItem> {
        if Chapter::is_chapter_code(code) {
            return Some(TrainingItem::ChapterRead(code.to_owned()));
        }
        Exercise::parse(code).map(TrainingItem::Exercise)
    }
}

/// One line of the training record: a staff member completed an exercise,
/// or read a manual chapter, on a day. Staff id and date only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRow {
    /// Staff id of the staff member who did it.
    pub staff_id: String,
    /// What was done.
    pub item: TrainingItem,
    /// Japan date.
    pub done_on: NaiveDate,
}

impl Store {
    /// Writes the exercises `staff` completed today into this (the real)
    /// store's training record, each audited as `training`; an exercise
    /// already recorded for them today is not written twice. Any signed-in
    /// role records its own training only. Returns how many were new.
    pub fn record_training(&mut self, staff: &StaffSession, done: &[Exercise]) -> Result<usize> {
        let codes: Vec<String> = done.iter().map(|e| e.code().to_owned()).collect();
        self.record_training_codes(staff, &codes)
    }

    /// Writes that `staff` read `chapters` today into the training record,
    /// like [`Self::record_training`] (each audited as `training`, with the
    /// chapter's code; a chapter already recorded for them today is not
    /// written twice). Returns how many were new.
    pub fn record_chapters_read(
        &mut self,
        staff: &StaffSession,
        chapters: &[Chapter],
    ) -> Result<usize> {
        let codes: Vec<String> = chapters.iter().map(Chapter::code).collect();
        self.record_training_codes(staff, &codes)
    }

    /// [`Self::record_training`] and [`Self::record_chapters_read`] in one
    /// transaction: what a training at the kiosk ended with.
    pub fn record_training_and_chapters(
        &mut self,
        staff: &StaffSession,
        done: &[Exercise],
        chapters: &[Chapter],
    ) -> Result<usize> {
        let codes: Vec<String> = done
            .iter()
            .map(|e| e.code().to_owned())
            .chain(chapters.iter().map(Chapter::code))
            .collect();
        self.record_training_codes(staff, &codes)
    }

    fn record_training_codes(&mut self, staff: &StaffSession, codes: &[String]) -> Result<usize> {
        if self.meta("training")?.as_deref() == Some("1") {
            return Err(Error::Refused(
                "研修用の保存ファイルには研修の記録を残しません。".into(),
            ));
        }
        let today = self.clock().today();
        let now = self.now();
        let id = staff.staff_id().to_owned();
        let (tx, keys, _, _) = self.write_tx()?;
        let mut written = 0;
        for code in codes {
            let n = tx.execute(
                "INSERT OR IGNORE INTO training_record (staff_id, exercise, done_on, recorded_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, code, today, now],
            )?;
            if n == 1 {
                record_in(
                    &tx,
                    keys,
                    &now,
                    &id,
                    AuditAction::Training,
                    code,
                    &["training_record"],
                    "ok",
                )?;
                written += 1;
            }
        }
        tx.commit()?;
        Ok(written)
    }

    /// The whole training record (exercises and chapters read), by day and
    /// staff id, in the order written. Managers
    /// only (it is what the ward inspects).
    pub fn training_record(&self, manager: &StaffSession) -> Result<Vec<TrainingRow>> {
        manager.require_manager()?;
        self.keys()?;
        let mut stmt = self.conn().prepare(
            "SELECT staff_id, exercise, done_on FROM training_record ORDER BY done_on, staff_id, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| {
                crate::store::dates::or_damaged(e, || Error::Tampered("研修の記録（日付）".into()))
            })?;
        let mut out = Vec::new();
        for (staff_id, code, done_on) in rows {
            // A code neither an exercise nor a chapter was not written by
            // tsudoi. (Named in the message: codes are not personal data.)
            let item = TrainingItem::parse(&code)
                .ok_or_else(|| Error::Tampered(format!("研修の記録（課題 {code}）")))?;
            out.push(TrainingRow {
                staff_id,
                item,
                done_on,
            });
        }
        Ok(out)
    }
}
