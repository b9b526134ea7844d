//! Sealing of bid contents, their receipts and stored answers at rest, under the section's
//! and the platform's keys: done by `ggzy_seal::at_rest`; a fault of it is the platform's.

pub(crate) use ggzy_seal::at_rest::{new_key, open_with_any, seal, unwrap_with_any, wrap};
