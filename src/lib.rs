//! tsudoi (つどい): the check-in kiosk of a ward-run community exchange space
//! for residents aged 60 and over.
//!
//! - [`eligibility`]: who may take part (age under Japanese law, wareki dates,
//!   the ward's postal codes, phone numbers).
//! - [`crypto`]: field encryption, blind indexes, keyslots, the recovery key.
//! - [`store`]: the encrypted SQLite store, staff accounts and the audit chain.
//! - [`jp_date`]: dates written the Japanese way (「2026年11月24日」).
//! - [`report`]: monthly totals for the ward, suppressed, signed.
//! - [`demo`]: a synthetic year of data for demonstrations, training mode
//!   and benchmarks.
//! - `dev` (feature `dev`, on by default, off in the device builds):
//!   `tsudoi screenshot` and `tsudoi bench`.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod cli_error;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod demo;
#[cfg(feature = "dev")]
pub mod dev;
pub mod eligibility;
pub mod erasure;
pub mod error;
pub mod jp_date;
pub mod kiosk;
pub mod lottery;
pub mod report;
pub mod store;
pub mod training;

pub use error::{Error, Result};
