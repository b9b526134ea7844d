//! Open Contracting Data Standard 1.1.5 output: what the platform publishes about a
//! contracting process as OCDS, decided without I/O. It owns the standard's merge rules
//! (a compiled release and a versioned release from a process's releases), the mapping of
//! the platform's categories to OCDS procurement categories and methods, the identifiers
//! (`ocid`, party ids under `CN-USCC`), values in CNY and dates with the Beijing offset.
//! It builds each release from facts the service has loaded (which event publishes one, its
//! tag, and the status of its tender, lots, awards and contracts); nothing here reads a
//! database.

pub mod mapping;
pub mod merge;
pub mod package;
pub mod publication;
pub mod release;
#[cfg(feature = "validate")]
pub mod validate;

pub use mapping::{
    beijing_date, party, party_id, party_reference, procurement_categories, procurement_method, value,
    ProcurementCategories, Trading, BIDS_EXTENSION, ENQUIRY_EXTENSION, EXTENSIONS, LOTS_EXTENSION, OCDS_VERSION,
    USCC_SCHEME,
};
pub use merge::{compile, versioned};
