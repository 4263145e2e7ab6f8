//! The upgrade of a format-1 store (one data key) to format 2 (one key per
//! kind of data, FORMAT.md 8.7), in one transaction, at the first manager
//! sign-in (or a recovery-key reset).

use rusqlite::{TransactionBehavior, params};
use zeroize::Zeroizing;

use super::audit::AuditAction;
use super::lottery::seal_application_link;
use super::participants::{CELL_COLUMNS, Cells, card_cell, write_cells};
use super::staff::{Role, issue_identity, seal_staff_row, write_key_meta, write_recovery_grant};
use super::{Keys, Store, record_in, seal_cell};
use crate::crypto::{
    CryptoError, DataKey, FieldAad, FieldCipher, KeyBundle, KeyKind, KeyPurpose, RecoveryKey,
};
use crate::error::{Error, Result};

/// How a format-1 cell that does not open is named (never its value).
fn damaged(table: &str, row_id: &str, column: &str) -> Error {
    let short: String = row_id.chars().take(8).collect();
    Error::Tampered(format!("{table} {short} の {column}"))
}

fn open_v1(
    cipher: &FieldCipher,
    table: &str,
    column: &str,
    row_id: &str,
    blob: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    cipher
        .decrypt(
            &FieldAad {
                table,
                column,
                row_id,
            },
            blob,
        )
        .map_err(|e| match e {
            CryptoError::Random | CryptoError::TooLarge => Error::Crypto(e),
            _ => damaged(table, row_id, column),
        })
}

fn text(
    bytes: Zeroizing<Vec<u8>>,
    table: &str,
    row_id: &str,
    column: &str,
) -> Result<Zeroizing<String>> {
    let mut bytes = bytes;
    String::from_utf8(core::mem::take(&mut *bytes))
        .map(Zeroizing::new)
        .map_err(|_| damaged(table, row_id, column))
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.trim().as_bytes())
        .ok()
}

impl Store {
    /// Upgrades a format-1 store with its data key `data` (unwrapped from
    /// `staff_id`'s slot or the recovery slot). `staff_id` gets a new
    /// identity under `password`; every other account is left to be
    /// re-issued with the recovery key. Returns the keys and, unless
    /// `recovery` was given (a recovery-key reset keeps it), the new
    /// recovery key to show once.
    pub(crate) fn upgrade_format_1(
        &mut self,
        data: DataKey,
        staff_id: &str,
        role: Role,
        password: &str,
        must_change: bool,
        recovery: Option<&RecoveryKey>,
    ) -> Result<(Keys, Option<RecoveryKey>)> {
        let old = FieldCipher::new(&data);
        let now = self.now();
        let kdf = self.policy().kdf;
        let bits = self.blind_bits();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;

        // The new keys: P and S fresh; A and C are format 1's audit and card
        // subkeys (the chain and the card tokens stay valid); D is the
        // device key sealed in `meta`, if one was made.
        let mut bundle = KeyBundle::generate()?;
        bundle.set(
            KeyKind::Audit,
            data.subkey(KeyPurpose::AuditChain).to_data_key(),
        );
        bundle.set(
            KeyKind::Card,
            data.subkey(KeyPurpose::CardToken).to_data_key(),
        );
        let sealed_device: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'device_signing_key'",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(sealed) = sealed_device {
            let blob = hex_decode(&sealed)
                .ok_or_else(|| damaged("meta", "device", "device_signing_key"))?;
            let seed = open_v1(&old, "meta", "device_signing_key", "device", &blob)?;
            let seed: [u8; 32] = seed
                .as_slice()
                .try_into()
                .map_err(|_| damaged("meta", "device", "device_signing_key"))?;
            bundle.set(KeyKind::Device, DataKey::from_bytes(seed));
        }
        write_key_meta(&tx, &bundle)?;
        let keys = Keys::derive(bundle)?;

        // Participants: every cell re-sealed at revision 1; the plain
        // document kind moves into its sealed column.
        /// id, the seven format-1 cells, the plain document kind.
        type Row = (String, Vec<Option<Vec<u8>>>, Option<String>);
        let rows: Vec<Row> = {
            let mut stmt = tx.prepare(
                "SELECT id, name, kana, phone, birth_date, postal_code, town, address, document_kind
                 FROM participants",
            )?;
            stmt.query_map([], |r| {
                let mut blobs = Vec::with_capacity(7);
                for i in 1..=7 {
                    blobs.push(r.get::<_, Option<Vec<u8>>>(i)?);
                }
                Ok((r.get(0)?, blobs, r.get(8)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        for (id, blobs, document) in rows {
            let mut cells: Cells = Default::default();
            for ((cell, column), blob) in cells.iter_mut().zip(CELL_COLUMNS).zip(blobs) {
                *cell = match blob {
                    Some(b) => Some(text(
                        open_v1(&old, "participants", column, &id, &b)?,
                        "participants",
                        &id,
                        column,
                    )?),
                    None => None,
                };
            }
            if let Some(last) = cells.last_mut() {
                *last = document.map(Zeroizing::new);
            }
            write_cells(&tx, &keys, bits, &id, 1, &cells, None)?;
        }

        // Cards: the token (unchanged: C is format 1's card key) re-sealed
        // bound to its participant, with the new index.
        let cards: Vec<(String, String, Vec<u8>)> = {
            let mut stmt = tx.prepare("SELECT id, participant_id, token FROM cards")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let personal = keys.personal()?;
        for (id, pid, blob) in cards {
            let token = open_v1(&old, "cards", "token", &id, &blob)?;
            let sealed = seal_cell(&keys, card_cell(&id, &pid), &token)?;
            let bidx = i64::from(personal.card_index.index(&token, bits));
            tx.execute(
                "UPDATE cards SET token = ?2, token_bidx = ?3, key_id = ?4 WHERE id = ?1",
                params![id, sealed, bidx, personal.cells.key_id().to_string()],
            )?;
        }

        // Applications: their links under a MAC.
        let apps: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM lottery_applications")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for app in &apps {
            seal_application_link(&tx, &keys, app)?;
        }

        // Staff: the one signing in gets an identity; the others wait to be
        // re-issued (their format-1 slots wrap a key that opens nothing now).
        let staff: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM staff ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        tx.execute("DELETE FROM keyslots", [])?;
        for id in &staff {
            if id == staff_id {
                issue_identity(&tx, &keys, id, role, password, &kdf, must_change, &now)?;
            } else {
                tx.execute(
                    "UPDATE staff SET keyslot_id = NULL, public_key = NULL, must_change_password = 1
                     WHERE id = ?1",
                    [id],
                )?;
                seal_staff_row(&tx, &keys, id)?;
            }
        }

        // Recovery: the format-1 slot is gone with the others; the given
        // recovery key, or a new one, receives every key.
        let fresh = match recovery {
            Some(_) => None,
            None => Some(RecoveryKey::generate()?),
        };
        let recovery_key = match (recovery, fresh.as_ref()) {
            (Some(r), _) | (None, Some(r)) => r,
            (None, None) => return Err(Error::Crypto(CryptoError::Random)),
        };
        write_recovery_grant(&tx, &keys.bundle, recovery_key, &now)?;

        tx.execute(
            "DELETE FROM meta WHERE key IN ('key_id', 'device_signing_key')",
            [],
        )?;
        record_in(
            &tx,
            &keys,
            &now,
            staff_id,
            AuditAction::KeyChange,
            "store",
            &["key_format"],
            &format!(
                "upgraded_to_2_participants_{}_cards_{}_applications_{}",
                count(&tx, "participants")?,
                count(&tx, "cards")?,
                apps.len()
            ),
        )?;
        tx.commit()?;
        // Old ciphertext must not linger in the WAL or in free pages.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok((keys, fresh))
    }
}

/// Rows in one of our own tables (a constant name, never input).
fn count(tx: &rusqlite::Connection, table: &str) -> Result<i64> {
    Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}
