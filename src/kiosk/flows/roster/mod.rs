//! 「名簿の取り込み」 (issue 15): the ward's hobby-group roster (CSV),
//! imported at the kiosk from a USB stick, as `tsudoi group import` does
//! from the command line.
//!
//! Reached from the 「グループの受付・見守り」 menu by managers and handlers
//! (the store refuses other roles anyway). Steps: the `.csv` files on the
//! inserted sticks (found as the report screens find sticks,
//! [`media::removable_media`] under the configured `media_root`); one is
//! chosen, read (at most [`ward_roster::MAX_BYTES`]) and checked with
//! `dry_run`; a file with problems shows them by line and can not be
//! imported; a clean file shows its differences, and 「取り込む」 stores the
//! **same bytes** after making sure the file on the stick still has the
//! SHA-256 it had when checked (else it refuses and asks to check again).
//! The medium in the media ledger is named by [`media::medium_of`], as the
//! CLI names it. The file's bytes are held in [`Zeroizing`] and wiped when
//! the flow leaves the differences (imported, refused, cancelled, signed out).
//!
//! Only files directly in a stick's top folder are offered, and only
//! regular files: a symbolic link is never followed (it could point off
//! the stick).
//!
//! Screens: the `=> Roster` line of the registry; words in [`wording`].

pub mod adapter;
pub mod wording;

use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::Result;
use crate::kiosk::controller::{KioskController, Screen};
use crate::report::media::{self, Medium};
use crate::store::ward_roster::{
    self, DiffEntry, ImportReport, ImportSource, Problem, RosterEncoding,
};
use crate::store::{StaffSession, Store};

/// Rows per page: a problem's reason may take three lines at 800×480.
pub const ROWS: usize = 3;

/// What the flow needs from the store, so that its decisions can be tested
/// over a fake (`tests/roster_flow.rs`).
pub trait RosterStore {
    /// [`Store::import_roster`] as the signed-in staff member.
    fn import_roster(
        &mut self,
        bytes: &[u8],
        source: &ImportSource,
        dry_run: bool,
    ) -> Result<ImportReport>;
}

/// The store with the signed-in staff member.
pub struct StaffStore<'a> {
    /// The store the flow's decisions are written to.
    pub store: &'a mut Store,
    /// The signed-in staff member the store calls act (and are audited) as.
    pub staff: &'a StaffSession,
}

impl RosterStore for StaffStore<'_> {
    fn import_roster(
        &mut self,
        bytes: &[u8],
        source: &ImportSource,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.store.import_roster(self.staff, bytes, source, dry_run)
    }
}

/// Where the flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step {
    /// No USB stick: 「USBメモリを差してください」.
    #[default]
    Insert,
    /// Sticks, but no `.csv` file on them.
    NoFiles,
    /// The files found: choose one to check.
    Choose,
    /// The chosen file has problems: nothing was imported.
    Problems,
    /// The file is clean: its differences, 「取り込む」 or 「やめる」.
    Differences,
    /// Imported: the counts.
    Imported,
    /// Reading or storing failed ([`Failure`] says why).
    Failed,
}

/// A `.csv` file found on a stick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Where the file is (read when staff choose it).
    pub path: PathBuf,
    /// The file's name as the list shows it.
    pub file_name: String,
    /// The stick it is on (recorded in the media ledger with the import).
    pub medium: Medium,
}

/// What a difference row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A member who matches a person registered at the desk (a warning).
    Linked,
    /// A new member (a new record, or a person already stored).
    Added,
    /// A member whose name, furigana or phone changed.
    Changed,
    /// A member no longer on their group's roster.
    Removed,
}

/// One row of the problems or the differences. `Debug` shows no name.
pub enum Line {
    /// A line of the file that cannot be imported, and why.
    Problem(Problem),
    /// A member the import adds, changes, removes or links.
    Entry(Kind, DiffEntry),
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Line::Problem(p) => write!(f, "Problem({})", p.line),
            Line::Entry(k, e) => write!(f, "Entry({k:?}, {:?})", e.line),
        }
    }
}

/// The report's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// The file's encoding as detected (UTF-8, with or without a BOM, or CP932).
    pub encoding: RosterEncoding,
    /// Members listed in the file.
    pub members: usize,
    /// Lines that cannot be imported.
    pub problems: usize,
    /// New members.
    pub added: usize,
    /// Members whose name, furigana or phone changed.
    pub changed: usize,
    /// Members no longer on their group's roster.
    pub removed: usize,
    /// Members as stored already.
    pub unchanged: usize,
    /// Members matched to a person registered at the desk (linked, not duplicated).
    pub linked: usize,
    /// Records deleted because their person is in no group any more.
    pub records_deleted: usize,
}

impl Counts {
    fn of(r: &ImportReport) -> Counts {
        Counts {
            encoding: r.encoding,
            members: r.members,
            problems: r.problems.len(),
            added: r.diff.added.len(),
            changed: r.diff.changed.len(),
            removed: r.diff.removed.len(),
            unchanged: r.diff.unchanged,
            linked: r.diff.linked.len(),
            records_deleted: r.diff.records_deleted,
        }
    }
}

/// Why a step failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Larger than [`ward_roster::MAX_BYTES`].
    TooBig,
    /// The file could not be read.
    Unreadable,
    /// The stick is not mounted any more.
    StickGone,
    /// The file on the stick changed since it was checked.
    FileChanged,
    /// The store refused or failed: its Japanese message.
    Store(String),
}

/// The flow's state; everything is dropped (the bytes wiped) when it closes.
#[derive(Debug, Default)]
pub struct Roster {
    pub(in crate::kiosk) step: Step,
    pub(in crate::kiosk) files: Vec<Found>,
    pub(in crate::kiosk) chosen: Option<Found>,
    /// The checked file's bytes, kept for 「取り込む」 (wiped on drop).
    bytes: Zeroizing<Vec<u8>>,
    pub(in crate::kiosk) source: Option<ImportSource>,
    pub(in crate::kiosk) counts: Option<Counts>,
    pub(in crate::kiosk) lines: Vec<Line>,
    pub(in crate::kiosk) page: usize,
    pub(in crate::kiosk) failure: Option<Failure>,
}

/// The `.csv` files directly in each stick's top folder (regular files
/// only, no hidden ones), by stick then name; and whether any stick is in.
pub fn csv_files(root: &Path) -> (bool, Vec<Found>) {
    let sticks = media::removable_media(root);
    let mut found = Vec::new();
    for m in &sticks {
        let Ok(dir) = std::fs::read_dir(&m.mount_point) else {
            continue;
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_csv = Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            // `file_type` does not follow a symbolic link.
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            if is_csv && regular && !name.starts_with('.') {
                found.push(Found {
                    path: entry.path(),
                    file_name: name,
                    medium: m.clone(),
                });
            }
        }
    }
    found.sort_by(|a, b| (a.medium.name(), &a.file_name).cmp(&(b.medium.name(), &b.file_name)));
    (!sticks.is_empty(), found)
}

/// Reads a roster file, refusing one larger than [`ward_roster::MAX_BYTES`]
/// (also if it grows while read) and anything but a regular file.
fn read_roster(path: &Path) -> std::result::Result<Zeroizing<Vec<u8>>, Failure> {
    let meta = std::fs::symlink_metadata(path).map_err(|_| Failure::Unreadable)?;
    if !meta.is_file() {
        return Err(Failure::Unreadable);
    }
    if meta.len() > ward_roster::MAX_BYTES as u64 {
        return Err(Failure::TooBig);
    }
    let file = std::fs::File::open(path).map_err(|_| Failure::Unreadable)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(ward_roster::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| Failure::Unreadable)?;
    if bytes.len() > ward_roster::MAX_BYTES {
        return Err(Failure::TooBig);
    }
    Ok(bytes)
}

impl Roster {
    /// Looks for sticks and their `.csv` files; forgets any file chosen.
    pub fn scan(&mut self, root: &Path) {
        let (any, files) = csv_files(root);
        *self = Roster {
            step: if !any {
                Step::Insert
            } else if files.is_empty() {
                Step::NoFiles
            } else {
                Step::Choose
            },
            files,
            ..Roster::default()
        };
    }

    fn fail(&mut self, failure: Failure) {
        self.bytes = Zeroizing::new(Vec::new());
        self.lines.clear();
        self.page = 0;
        self.failure = Some(failure);
        self.step = Step::Failed;
    }

    /// The stick of `found` is still mounted where it was.
    fn still_there(root: &Path, found: &Found) -> bool {
        media::removable_media(root).contains(&found.medium)
    }

    /// A file chosen (by its index in [`Roster::files`]): read and checked
    /// with a dry run. Nothing is stored.
    pub fn choose(&mut self, store: &mut impl RosterStore, root: &Path, index: usize) {
        if self.step != Step::Choose {
            return;
        }
        let Some(found) = self.files.get(index).cloned() else {
            return;
        };
        self.chosen = Some(found.clone());
        if !Self::still_there(root, &found) {
            return self.fail(Failure::StickGone);
        }
        let bytes = match read_roster(&found.path) {
            Ok(b) => b,
            Err(f) => return self.fail(f),
        };
        let source = ImportSource {
            file_name: found.file_name.clone(),
            medium: media::medium_of(root, &found.path),
            sha256: crate::report::sign::sha256_hex(&bytes),
        };
        match store.import_roster(&bytes, &source, true) {
            Err(e) => self.fail(Failure::Store(e.to_string())),
            Ok(report) => {
                self.counts = Some(Counts::of(&report));
                self.source = Some(source);
                self.page = 0;
                self.failure = None;
                if report.problems.is_empty() {
                    self.lines = differences(report);
                    self.bytes = bytes;
                    self.step = Step::Differences;
                } else {
                    self.lines = report.problems.into_iter().map(Line::Problem).collect();
                    self.step = Step::Problems;
                }
            }
        }
    }

    /// 「取り込む」: the checked bytes are stored, if the file on the stick
    /// still has the hash it had when checked. The bytes are wiped after.
    pub fn import(&mut self, store: &mut impl RosterStore, root: &Path) {
        if self.step != Step::Differences {
            return;
        }
        let (Some(found), Some(source)) = (self.chosen.clone(), self.source.clone()) else {
            return;
        };
        if !Self::still_there(root, &found) {
            return self.fail(Failure::StickGone);
        }
        let now = match read_roster(&found.path) {
            Ok(b) => crate::report::sign::sha256_hex(&b),
            Err(_) => return self.fail(Failure::FileChanged),
        };
        if now != source.sha256 || crate::report::sign::sha256_hex(&self.bytes) != source.sha256 {
            return self.fail(Failure::FileChanged);
        }
        let bytes = std::mem::replace(&mut self.bytes, Zeroizing::new(Vec::new()));
        let result = store.import_roster(&bytes, &source, false);
        drop(bytes);
        match result {
            Err(e) => self.fail(Failure::Store(e.to_string())),
            Ok(report) => {
                self.counts = Some(Counts::of(&report));
                self.page = 0;
                if report.applied {
                    self.lines.clear();
                    self.step = Step::Imported;
                } else {
                    // Refused at the last moment (a group removed meanwhile).
                    self.lines = report.problems.into_iter().map(Line::Problem).collect();
                    self.step = Step::Problems;
                }
            }
        }
    }

    /// 「前へ」 / 「次へ」.
    pub fn page_step(&mut self, delta: i32) {
        let pages = self.pages();
        let next = self.page as i64 + i64::from(delta);
        self.page = next.clamp(0, pages as i64 - 1) as usize;
    }

    fn listed(&self) -> usize {
        if self.step == Step::Choose {
            self.files.len()
        } else {
            self.lines.len()
        }
    }

    /// How many pages the list on screen takes (at least one).
    pub fn pages(&self) -> usize {
        self.listed().div_ceil(ROWS).max(1)
    }

    fn window(&self) -> std::ops::Range<usize> {
        let n = self.listed();
        let start = (self.page * ROWS).min(n);
        start..(start + ROWS).min(n)
    }

    /// The files on the current page, with their index.
    pub fn page_files(&self) -> Vec<(usize, &Found)> {
        if self.step != Step::Choose {
            return Vec::new();
        }
        self.window().map(|i| (i, &self.files[i])).collect()
    }

    /// The problem or difference rows on the current page.
    pub fn page_lines(&self) -> &[Line] {
        if self.step == Step::Choose {
            return &[];
        }
        &self.lines[self.window()]
    }

    /// The screen's step: a stick to insert, the files, a file's problems or
    /// differences, the result.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The list's page on screen, from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    /// The `.csv` files found on the sticks.
    pub fn files(&self) -> &[Found] {
        &self.files
    }

    /// The chosen file's problems, or its differences.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The chosen file's numbers, once it was read.
    pub fn counts(&self) -> Option<&Counts> {
        self.counts.as_ref()
    }

    /// Why the file could not be read or imported, if it could not.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// The chosen file as the import records it (name, stick, SHA-256).
    pub fn source(&self) -> Option<&ImportSource> {
        self.source.as_ref()
    }

    /// Whether file bytes are held (only while the differences show).
    pub fn holds_bytes(&self) -> bool {
        !self.bytes.is_empty()
    }

    /// 「取り込む」 is offered: a clean file's differences show.
    pub fn can_import(&self) -> bool {
        self.step == Step::Differences && self.holds_bytes()
    }
}

/// The differences as rows: the desk-registered matches first (staff
/// decide on them), then added, changed, removed. The store lists a match
/// among the added members too: it shows once, as the warning.
fn differences(report: ImportReport) -> Vec<Line> {
    let d = report.diff;
    let linked: Vec<Option<usize>> = d.linked.iter().map(|e| e.line).collect();
    let (matched, added): (Vec<DiffEntry>, Vec<DiffEntry>) = d
        .added
        .into_iter()
        .partition(|e| e.line.is_some() && linked.contains(&e.line));
    let shown: Vec<Option<usize>> = matched.iter().map(|e| e.line).collect();
    let mut out = Vec::new();
    out.extend(matched.into_iter().map(|e| Line::Entry(Kind::Linked, e)));
    out.extend(
        d.linked
            .into_iter()
            .filter(|e| !shown.contains(&e.line))
            .map(|e| Line::Entry(Kind::Linked, e)),
    );
    out.extend(added.into_iter().map(|e| Line::Entry(Kind::Added, e)));
    out.extend(d.changed.into_iter().map(|e| Line::Entry(Kind::Changed, e)));
    out.extend(d.removed.into_iter().map(|e| Line::Entry(Kind::Removed, e)));
    out
}

impl KioskController {
    /// Whether the groups menu offers 「名簿の取り込み」 (managers and handlers).
    pub fn roster_available(&self) -> bool {
        self.screen == Screen::StaffGroups && self.staff_handles_people()
    }

    /// The flow's state (for the adapter and tests).
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// 「名簿の取り込み」 on the groups menu: looks for the stick.
    pub fn roster_open(&mut self) {
        if !self.roster_available() {
            return;
        }
        let root = self.config.usb.media_root.clone();
        self.roster = Roster::default();
        self.roster.scan(&root);
        self.screen = Screen::StaffRoster;
    }

    /// 「もう一度さがす」.
    pub fn roster_scan(&mut self) {
        if self.screen != Screen::StaffRoster
            || matches!(self.roster.step, Step::Differences | Step::Imported)
        {
            return;
        }
        let root = self.config.usb.media_root.clone();
        self.roster.scan(&root);
    }

    /// A file chosen: read and checked (nothing stored).
    pub fn roster_choose(&mut self, index: usize) {
        if self.screen != Screen::StaffRoster {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let root = self.config.usb.media_root.clone();
        let mut store = StaffStore {
            store: &mut self.store,
            staff: &staff,
        };
        self.roster.choose(&mut store, &root, index);
    }

    /// 「取り込む」.
    pub fn roster_import(&mut self) {
        if self.screen != Screen::StaffRoster {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let root = self.config.usb.media_root.clone();
        let mut store = StaffStore {
            store: &mut self.store,
            staff: &staff,
        };
        self.roster.import(&mut store, &root);
    }

    /// 「前へ」 / 「次へ」 on the roster screen.
    pub fn roster_page(&mut self, delta: i32) {
        if self.screen == Screen::StaffRoster {
            self.roster.page_step(delta);
        }
    }

    /// 「もどる」 / 「やめる」 / 「おわる」: from the problems, the
    /// differences or a failure back to the files (nothing imported, the
    /// bytes wiped); otherwise back to the groups menu.
    pub fn roster_back(&mut self) {
        if self.screen != Screen::StaffRoster {
            return;
        }
        let root = self.config.usb.media_root.clone();
        match self.roster.step {
            Step::Problems | Step::Differences | Step::Failed => self.roster.scan(&root),
            Step::Insert | Step::NoFiles | Step::Choose | Step::Imported => {
                self.roster = Roster::default();
                self.screen = Screen::StaffGroups;
                if let Some(staff) = self.staff.clone() {
                    let mut store = crate::kiosk::flows::groups::StaffStore {
                        store: &mut self.store,
                        staff: &staff,
                    };
                    // The menu as it was if the reload fails.
                    let _ = self.groups.load(&mut store);
                }
            }
        }
    }

    /// The title bar of the flow's screen.
    pub(in crate::kiosk) fn roster_header(&self) -> Option<String> {
        (self.screen == Screen::StaffRoster).then(|| wording::TITLE.into())
    }
}
