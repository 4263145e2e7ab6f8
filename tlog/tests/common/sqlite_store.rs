//! A [`NodeStore`] over an SQLite table with the layout the README gives:
//! what the tsudoi store is expected to do, here for the tests and the
//! benchmark.

use rusqlite::{Connection, OptionalExtension, params};
use tsudoi_tlog::{Hash, NodeId, NodeStore};

/// The table of complete-subtree hashes.
pub const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS tlog_node (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;";

/// What can go wrong with the table.
#[derive(Debug, thiserror::Error)]
pub enum SqliteStoreError {
    /// SQLite failed (including a duplicate node: the primary key).
    #[error("sqlite: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A stored hash is not 32 bytes.
    #[error("a stored hash is not 32 bytes")]
    BadHash,
    /// A position does not fit SQLite's signed integers.
    #[error("node index out of range")]
    Index,
}

/// Node hashes in an SQLite connection.
pub struct SqliteStore {
    pub conn: Connection,
}

impl SqliteStore {
    pub fn new(conn: Connection) -> Result<SqliteStore, SqliteStoreError> {
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteStore { conn })
    }
}

fn index(id: NodeId) -> Result<i64, SqliteStoreError> {
    i64::try_from(id.index).map_err(|_| SqliteStoreError::Index)
}

impl NodeStore for SqliteStore {
    type Error = SqliteStoreError;

    fn get(&self, id: NodeId) -> Result<Option<Hash>, SqliteStoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM tlog_node WHERE level = ?1 AND idx = ?2")?;
        let blob: Option<Vec<u8>> = stmt
            .query_row(params![id.level, index(id)?], |row| row.get(0))
            .optional()?;
        blob.map(|b| Hash::from_slice(&b).map_err(|_| SqliteStoreError::BadHash))
            .transpose()
    }

    fn put(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), SqliteStoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("INSERT INTO tlog_node (level, idx, hash) VALUES (?1, ?2, ?3)")?;
        for (id, hash) in nodes {
            stmt.execute(params![id.level, index(*id)?, &hash.0[..]])?;
        }
        Ok(())
    }
}
