//! Re-keying (FORMAT.md 8.8): new personal and statistics keys, every cell
//! and blind index re-sealed in one transaction, new grants for the active
//! staff and the recovery key, then the WAL truncated and the file vacuumed
//! so no byte of the old ciphertext remains.

use rusqlite::{Transaction, params};

use super::audit::AuditAction;
use super::lottery::seal_application_link;
use super::participants::{card_cell, read_cells, write_cells};
use super::staff::{regrant_all, write_key_meta};
use super::{Keys, StaffSession, Store, open_cell, record_in, seal_cell};
use crate::crypto::{DataKey, KeyBundle, KeyKind};
use crate::error::{Error, Result};

/// What a re-keying re-sealed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RekeyReport {
    /// Participant rows whose cells were re-sealed.
    pub participants: u64,
    /// Card tokens re-sealed (and their blind indexes recomputed).
    pub cards: u64,
    /// Lottery applications whose participant link was checked and re-sealed.
    pub applications: u64,
}

/// Re-seals everything under a new `P` and `S` inside `tx`; returns the new
/// keys. `A`, `C` and `D` are carried over (FORMAT.md 8.1).
pub(crate) fn rekey_in(
    tx: &Transaction<'_>,
    old: &Keys,
    blind_bits: u8,
    now: &str,
) -> Result<(Keys, RekeyReport)> {
    let mut bundle = KeyBundle::default();
    bundle.set(KeyKind::Personal, DataKey::generate()?);
    bundle.set(KeyKind::Statistics, DataKey::generate()?);
    for kind in [KeyKind::Audit, KeyKind::Card, KeyKind::Device] {
        let key = old.bundle.get(kind).ok_or(Error::KeyNotHeld)?;
        bundle.set(kind, DataKey::from_bytes(*key.as_bytes()));
    }
    old.personal()?;
    let new = Keys::derive(bundle)?;
    let mut report = RekeyReport::default();

    let ids: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM participants")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for id in &ids {
        let (rev, cells) = read_cells(tx, old, id)?;
        write_cells(tx, &new, blind_bits, id, rev + 1, &cells, None)?;
        report.participants += 1;
    }

    let cards: Vec<(String, String, Vec<u8>)> = {
        let mut stmt = tx.prepare("SELECT id, participant_id, token FROM cards")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let personal = new.personal()?;
    for (id, pid, blob) in cards {
        let token = open_cell(old, card_cell(&id, &pid), &blob)?;
        let sealed = seal_cell(&new, card_cell(&id, &pid), &token)?;
        let bidx = i64::from(personal.card_index.index(&token, blind_bits));
        tx.prepare_cached(
            "UPDATE cards SET token = ?2, token_bidx = ?3, key_id = ?4 WHERE id = ?1",
        )?
        .execute(params![
            id,
            sealed,
            bidx,
            personal.cells.key_id().to_string()
        ])?;
        report.cards += 1;
    }

    let apps: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM lottery_applications")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for app in &apps {
        super::lottery::check_application_link(tx, old, app)?;
        seal_application_link(tx, &new, app)?;
        report.applications += 1;
    }

    write_key_meta(tx, &new.bundle)?;
    regrant_all(tx, old, &new.bundle, now)?;
    Ok((new, report))
}

impl Store {
    /// `tsudoi keys rotate`: new keys for personal data and statistics, every
    /// cell re-sealed, every active account and the recovery key given the
    /// new keys; then nothing of the old ciphertext is left in the files.
    /// Manager only.
    pub fn rotate_keys(&mut self, manager: &StaffSession) -> Result<RekeyReport> {
        manager.require_manager()?;
        let now = self.now();
        let bits = self.blind_bits();
        let (tx, keys, _, _) = self.write_tx()?;
        let (new, report) = rekey_in(&tx, keys, bits, &now)?;
        record_in(
            &tx,
            &new,
            &now,
            manager.staff_id(),
            AuditAction::KeyChange,
            "store",
            &["personal_key", "statistics_key"],
            &format!(
                "rotated_participants_{}_cards_{}_applications_{}",
                report.participants, report.cards, report.applications
            ),
        )?;
        tx.commit()?;
        self.keys = Some(new);
        self.scrub_files()?;
        Ok(report)
    }

    /// Truncates the WAL and vacuums, so deleted or replaced ciphertext is
    /// left neither in the WAL nor in free pages.
    pub(crate) fn scrub_files(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
