//! What ggzy's API reads and answers: the request and response bodies of the use cases, as
//! plain serde types with their OpenAPI schemas, one module per service module of the same
//! name (`ggzy_service` re-exports each type where its use case lives). Beside the shapes
//! live their conversions: views from stored rows and domain values, the rows a command
//! writes, the audit entries it appends (`audit_entry`), and the archive zip's format
//! (`archive_zip`, over any reader or writer). No database and no rule: what a command may
//! do is decided in the domain crates, and where the bytes are is the caller's.

pub mod announcements;
pub mod archive;
pub mod archive_zip;
pub mod audit;
pub mod audit_entry;
pub mod backup;
pub mod bid_sealing;
pub mod bids;
pub mod bonds;
pub mod calendar;
pub mod clocks;
pub mod complaints;
pub mod credit;
pub mod deadlines;
pub mod departments;
pub mod documents;
pub mod envelopes;
pub mod evaluation;
pub mod evaluation_report;
pub mod events;
pub mod inboxes;
pub mod keys;
pub mod ledger;
pub mod list_queries;
pub mod listings;
pub mod objections;
pub mod ocds;
pub mod officials;
pub mod opening;
pub mod participants;
pub mod persons;
pub mod proceedings;
pub mod projects;
pub mod reports;
pub mod risk;
pub mod rules;
pub mod sealed_bids;
pub mod search;
pub mod service_accounts;
pub mod service_quality;
pub mod staff;
pub mod statistics;
pub mod violations;
pub mod webhooks;

/// A stored UTC timestamp (the columns hold UTC without an offset) as the API gives it.
pub(crate) fn utc(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}

/// Stored rows the unit tests of several views start from; a test names the fields it
/// looks at (`ProjectRow { status: …, ..fixtures::project_row(at) }`).
#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::NaiveDateTime;
    use ggzy_store::projects::{ProjectRow, SectionRow};

    /// Project `p1` (GC1, 工程), a construction project of tenderer `t1`, announced, with
    /// no regulator, registered and last changed at `at`.
    pub(crate) fn project_row(at: NaiveDateTime) -> ProjectRow {
        ProjectRow {
            id: "p1".into(),
            code: "GC1".into(),
            name: "工程".into(),
            category: "construction".into(),
            subtype: "works".into(),
            tenderer_id: "t1".into(),
            status: "announced".into(),
            regulator_id: None,
            service_owner_id: "centre".into(),
            rule_set_version: 1,
            entry_outcome: "entered".into(),
            estimated_total: 1,
            details: "{}".into(),
            registered_at: at,
            updated_at: at,
            version: 1,
        }
    }

    /// Section `s1` (S1, 一标段) of project `p1`, estimated at `fen`.
    pub(crate) fn section_row(fen: i64) -> SectionRow {
        SectionRow {
            id: "s1".into(),
            project_id: "p1".into(),
            code: "S1".into(),
            position: 1,
            name: "一标段".into(),
            estimated_amount: fen,
        }
    }

    /// A bid's content: 985,000.00 yuan, one document, project manager `m1`.
    pub(crate) fn bid_content() -> crate::bids::BidContent {
        crate::bids::BidContent {
            price: ggzy_kernel::Money::from_fen(98_500_000).unwrap(),
            documents: vec![crate::announcements::TenderDocument {
                title: Some("投标文件".into()),
                sha256: Some("ab".repeat(32)),
            }],
            project_manager_id: "m1".into(),
            contact_person_id: None,
            agent_person_id: None,
            device_fingerprint: "dev".into(),
            document_author: None,
        }
    }
}
