//! Response and request bodies of credit (see `ggzy_service::credit` for the use cases).

use chrono::{DateTime, NaiveDate, Utc};
pub use ggzy_credit::queries::{ConductReportQuery, RepairApplicationQuery};
pub use ggzy_credit::requests::{
    self, ConductDecision, ConductOutcome, NewConductReport, NewCreditRecord, NewRepairApplication, NewRestriction,
    RepairDecision,
};
use ggzy_credit::{Commitment, ConductReportStatus, RecordKind, RepairStatus, Restriction, Severity};
use ggzy_kernel::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

/// The platform's commitment text (信用承诺书).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentText {
    pub version: i32,
    pub body: String,
    pub effective_from: NaiveDate,
}

/// A signed commitment, public: the commitment's fields and who signed it when. Written out
/// rather than flattened, so that its schema is exactly what is answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignedCommitment {
    pub id: String,
    pub participant_id: String,
    /// Version of the commitment text signed (承诺书文本版本).
    pub text_version: u32,
    #[schema(value_type = String, format = Date)]
    pub signed_on: NaiveDate,
    /// Date of revocation; not in force from that day.
    #[schema(value_type = Option<String>, format = Date)]
    pub revoked_on: Option<NaiveDate>,
    pub signed_at: DateTime<Utc>,
    pub signed_by: String,
}

impl SignedCommitment {
    pub fn of(commitment: Commitment, signed_at: chrono::NaiveDateTime, signed_by: &str) -> SignedCommitment {
        SignedCommitment {
            id: commitment.id,
            participant_id: commitment.participant_id,
            text_version: commitment.text_version,
            signed_on: commitment.signed_on,
            revoked_on: commitment.revoked_on,
            signed_at: DateTime::from_naive_utc_and_offset(signed_at, Utc),
            signed_by: signed_by.to_owned(),
        }
    }
}

/// A record with where it came from: the record's fields written out (its schema is
/// exactly what is answered). `recorded_by`, the regulator's user who entered it, is for
/// the regulators and the participant; the public list leaves it out — the public learns
/// the deciding department from `source`, not a civil servant's account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditRecordView {
    pub id: String,
    pub participant_id: String,
    pub kind: RecordKind,
    pub severity: Option<Severity>,
    /// The department or court that made the decision (认定部门 / 法院).
    pub source: String,
    /// Document number of the decision or case number.
    pub decision: String,
    #[schema(value_type = String, format = Date)]
    pub decided_on: NaiveDate,
    /// Months of publication; null = not published.
    pub publication_months: Option<u32>,
    /// Date of credit repair.
    #[schema(value_type = Option<String>, format = Date)]
    pub repaired_on: Option<NaiveDate>,
    pub origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    /// Whether it is on the public list today.
    pub public: bool,
    /// First day it is no longer public (exclusive end of publication).
    pub public_until: Option<NaiveDate>,
}

/// One read of a participant's unpublished credit records.
// Fields in alphabetical order, the order the answer has always had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CreditRead {
    /// The purpose the reader stated (`未说明` when none).
    pub purpose: String,
    pub read_at: DateTime<Utc>,
    /// Who read: `role:subject@organisation`.
    pub reader: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditRecordPage {
    pub items: Vec<CreditRecordView>,
    /// The participants the items name, each once: who is on the public list, by name and
    /// credit code, so that the list can be read without a token.
    pub participants: Vec<ListedParticipant>,
    pub next_cursor: Option<String>,
}

/// A participant named on a public credit list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ListedParticipant {
    pub id: String,
    pub name: String,
    /// Unified social credit code (统一社会信用代码).
    pub credit_code: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConductReport {
    pub id: String,
    pub participant_id: String,
    pub project_id: Option<String>,
    pub description: String,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
    pub status: ConductReportStatus,
    pub decided_by: Option<String>,
    pub record_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RestrictionPage {
    pub items: Vec<Restriction>,
    /// The participants the items name, each once, by name and credit code.
    pub participants: Vec<ListedParticipant>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepairApplication {
    pub id: String,
    pub record_id: String,
    pub participant_id: String,
    pub commitment_id: String,
    pub applied_at: DateTime<Utc>,
    pub status: RepairStatus,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepairApplicationPage {
    pub items: Vec<RepairApplication>,
    pub next_cursor: Option<String>,
}

/// The outcome of one court-enforcement import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourtImportResult {
    /// Records created by this import.
    pub created: usize,
    /// Lines already imported before (idempotent re-import).
    pub already_present: usize,
    /// Lines naming no registered participant, or malformed: line number and reason.
    pub rejected: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConductReportPage {
    pub items: Vec<ConductReport>,
    pub next_cursor: Option<String>,
}
