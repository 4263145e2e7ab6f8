//! Care-prevention classes by application, allocated by a publicly
//! verifiable lottery.
//!
//! - [`rfc3797`]: the selection algorithm of RFC 3797, byte for byte.
//! - [`draw`]: the draw of one class (priority tiers, winners, waiting list)
//!   and its JSON transcript, which anyone can recompute.
//!
//! The store side (classes, applications, closing, results) is in
//! `crate::store::lottery`.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod draw;
pub mod rfc3797;
