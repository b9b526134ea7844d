//! Response and request bodies of credit (see `ggzy_service::credit` for the use cases).

use crate::audit_entry::{participant_chain, AuditEntry};
use crate::utc;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ggzy_credit::disclosure::{self, Publicity};
use ggzy_credit::policy_version::LatestVersion;
pub use ggzy_credit::queries::{ConductReportQuery, RepairApplicationQuery};
use ggzy_credit::repair::Application;
use ggzy_credit::requests::ConductReportValues;
pub use ggzy_credit::requests::{
    self, ConductDecision, ConductOutcome, NewConductReport, NewCreditRecord, NewRepairApplication, NewRestriction,
    RepairDecision,
};
use ggzy_credit::{
    Commitment, ConductReportStatus, CreditPolicy, CreditRecord, RecordKind, RepairStatus, Restriction,
    RestrictionKind, Severity,
};
use ggzy_kernel::{stored, stored_count, stored_opt, AuditAction, FieldError, StoredFault};
use ggzy_store::credit::{
    CommitmentRow, CommitmentTextRow, ConductReportRow, CreditPolicyRow, CreditRecordRow, RepairApplicationRow,
    RestrictionRow,
};
use serde::Serialize;
use serde_json::Value;
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
    pub fn of(commitment: Commitment, signed_at: NaiveDateTime, signed_by: &str) -> SignedCommitment {
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

pub fn record_from_row(row: &CreditRecordRow) -> Result<CreditRecord, StoredFault> {
    Ok(CreditRecord {
        id: row.id.clone(),
        participant_id: row.participant_id.clone(),
        kind: RecordKind::parse(&row.kind)
            .ok_or_else(|| StoredFault::new("credit_records.kind", &row.kind, "RecordKind"))?,
        severity: stored_opt("credit_records.severity", row.severity.as_deref())?,
        source: row.source.clone(),
        decision: row.decision.clone(),
        decided_on: row.decided_on,
        publication_months: row
            .publication_months
            .map(|m| stored_count("credit_records.publication_months", i64::from(m)))
            .transpose()?,
        repaired_on: row.repaired_on,
    })
}

/// The row of a record written now: where it came from (`origin`), the key of an imported
/// line, and who entered it. It is not repaired yet.
pub fn record_row(
    record: &CreditRecord,
    origin: &str,
    external_key: Option<String>,
    recorded_by: String,
    at: NaiveDateTime,
) -> CreditRecordRow {
    CreditRecordRow {
        id: record.id.clone(),
        participant_id: record.participant_id.clone(),
        kind: record.kind.as_str().to_owned(),
        severity: record.severity.map(|s| s.as_str().to_owned()),
        source: record.source.clone(),
        decision: record.decision.clone(),
        decided_on: record.decided_on,
        publication_months: record.publication_months.map(|m| i32::try_from(m).unwrap_or(i32::MAX)),
        repaired_on: None,
        origin: origin.to_owned(),
        external_key,
        recorded_by,
        recorded_at: at,
    }
}

impl CreditRecordView {
    /// The record of `row`, read as `record`, with its publicity on the day it is shown.
    pub fn of(record: CreditRecord, row: &CreditRecordRow, publicity: Publicity) -> CreditRecordView {
        CreditRecordView {
            id: record.id,
            participant_id: record.participant_id,
            kind: record.kind,
            severity: record.severity,
            source: record.source,
            decision: record.decision,
            decided_on: record.decided_on,
            publication_months: record.publication_months,
            repaired_on: record.repaired_on,
            origin: row.origin.clone(),
            recorded_by: Some(row.recorded_by.clone()),
            public: publicity.public,
            public_until: publicity.public_until,
        }
    }

    /// A stored record as shown on `today`, with its publicity that day.
    pub fn on(row: &CreditRecordRow, today: NaiveDate) -> Result<CreditRecordView, StoredFault> {
        let record = record_from_row(row)?;
        let publicity = disclosure::publicity(&record, today);
        Ok(CreditRecordView::of(record, row, publicity))
    }

    /// A stored record as the public list shows it on `today`, without who recorded it;
    /// None when it is not on the list that day.
    pub fn listed_on(row: &CreditRecordRow, today: NaiveDate) -> Result<Option<CreditRecordView>, StoredFault> {
        let record = record_from_row(row)?;
        if !disclosure::on_public_list(&record, today) {
            return Ok(None);
        }
        let publicity = disclosure::publicity(&record, today);
        Ok(Some(CreditRecordView { recorded_by: None, ..CreditRecordView::of(record, row, publicity) }))
    }
}

pub fn restriction_from_row(row: &RestrictionRow) -> Result<Restriction, StoredFault> {
    Ok(Restriction {
        id: row.id.clone(),
        participant_id: row.participant_id.clone(),
        kind: RestrictionKind::parse(&row.kind)
            .ok_or_else(|| StoredFault::new("restrictions.kind", &row.kind, "RestrictionKind"))?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        decision: row.decision.clone(),
        decided_by: row.decided_by.clone(),
        rule_id: row.rule_id.clone(),
    })
}

pub fn restriction_row(restriction: &Restriction, at: NaiveDateTime) -> RestrictionRow {
    RestrictionRow {
        id: restriction.id.clone(),
        participant_id: restriction.participant_id.clone(),
        kind: restriction.kind.as_str().to_owned(),
        starts_on: restriction.starts_on,
        ends_on: restriction.ends_on,
        decision: restriction.decision.clone(),
        decided_by: restriction.decided_by.clone(),
        rule_id: restriction.rule_id.clone(),
        recorded_at: at,
    }
}

pub fn commitment_from_row(row: &CommitmentRow) -> Result<Commitment, StoredFault> {
    Ok(Commitment {
        id: row.id.clone(),
        participant_id: row.participant_id.clone(),
        text_version: stored_count("commitments.text_version", i64::from(row.text_version))?,
        signed_on: row.signed_on,
        revoked_on: row.revoked_on,
    })
}

/// The row of a commitment signed at `at` by `signed_by`.
/// A participant's restrictions and commitments as the credit gate decides on them.
pub fn standing_from_rows(
    (restrictions, commitments): &(Vec<RestrictionRow>, Vec<CommitmentRow>),
) -> Result<(Vec<Restriction>, Vec<Commitment>), StoredFault> {
    Ok((
        restrictions.iter().map(restriction_from_row).collect::<Result<_, _>>()?,
        commitments.iter().map(commitment_from_row).collect::<Result<_, _>>()?,
    ))
}

pub fn commitment_row(commitment: Commitment, at: NaiveDateTime, signed_by: String) -> CommitmentRow {
    CommitmentRow {
        id: commitment.id,
        participant_id: commitment.participant_id,
        text_version: i32::try_from(commitment.text_version).unwrap_or(i32::MAX),
        signed_on: commitment.signed_on,
        signed_at: at,
        signed_by,
        revoked_on: commitment.revoked_on,
    }
}

impl TryFrom<&CommitmentRow> for SignedCommitment {
    type Error = StoredFault;
    fn try_from(row: &CommitmentRow) -> Result<SignedCommitment, StoredFault> {
        Ok(SignedCommitment::of(commitment_from_row(row)?, row.signed_at, &row.signed_by))
    }
}

impl CommitmentText {
    /// The version a commitment signed now names.
    pub fn signed_version(row: &CommitmentTextRow) -> Result<u32, StoredFault> {
        stored_count("commitment_texts.version", i64::from(row.version))
    }
}

impl From<CommitmentTextRow> for CommitmentText {
    fn from(row: CommitmentTextRow) -> CommitmentText {
        CommitmentText { version: row.version, body: row.body, effective_from: row.effective_from }
    }
}

/// The row of a credit policy published at `at` by `published_by`.
pub fn policy_row(
    policy: &CreditPolicy,
    at: NaiveDateTime,
    published_by: String,
) -> Result<CreditPolicyRow, serde_json::Error> {
    Ok(CreditPolicyRow {
        version: i32::try_from(policy.version).unwrap_or(i32::MAX),
        effective_from: policy.effective_from,
        body: serde_json::to_string(policy)?,
        published_at: at,
        published_by,
    })
}

/// The credit policy a row holds.
pub fn policy_from_row(row: &CreditPolicyRow) -> Result<CreditPolicy, StoredFault> {
    ggzy_kernel::stored_json("credit_policies.body", row.body.as_bytes())
}

/// The latest published credit policy version, as a new one is numbered after it.
pub fn latest_version(row: &CreditPolicyRow) -> Result<LatestVersion, StoredFault> {
    Ok(LatestVersion {
        version: stored_count("credit_policies.version", i64::from(row.version))?,
        effective_from: row.effective_from,
    })
}

/// The row of a conduct report the centre files now, pending a regulator's decision.
pub fn pending_conduct_report_row(
    id: String,
    report: ConductReportValues,
    reported_by: String,
    now: NaiveDateTime,
) -> ConductReportRow {
    ConductReportRow {
        id,
        participant_id: report.participant_id,
        project_id: report.project_id,
        description: report.description,
        reported_by,
        reported_at: now,
        status: ConductReportStatus::Pending.as_str().into(),
        decided_by: None,
        decided_at: None,
        record_id: None,
    }
}

/// The row of a repair application taken now, undecided.
pub fn repair_application_row(id: String, taken: Application, now: NaiveDateTime) -> RepairApplicationRow {
    RepairApplicationRow {
        id,
        record_id: taken.record_id,
        participant_id: taken.participant_id,
        obligations_proof_sha256: taken.obligations_proof_sha256,
        commitment_id: taken.commitment_id,
        applied_at: now,
        status: taken.status.as_str().into(),
        decided_by: None,
        decided_at: None,
        reason: None,
    }
}

impl TryFrom<ConductReportRow> for ConductReport {
    type Error = StoredFault;
    fn try_from(row: ConductReportRow) -> Result<ConductReport, StoredFault> {
        Ok(ConductReport {
            status: stored("conduct_reports.status", &row.status)?,
            id: row.id,
            participant_id: row.participant_id,
            project_id: row.project_id,
            description: row.description,
            reported_by: row.reported_by,
            reported_at: utc(row.reported_at),
            decided_by: row.decided_by,
            record_id: row.record_id,
        })
    }
}

impl TryFrom<RepairApplicationRow> for RepairApplication {
    type Error = StoredFault;
    fn try_from(row: RepairApplicationRow) -> Result<RepairApplication, StoredFault> {
        Ok(RepairApplication {
            status: stored("repair_applications.status", &row.status)?,
            id: row.id,
            record_id: row.record_id,
            participant_id: row.participant_id,
            commitment_id: row.commitment_id,
            applied_at: utc(row.applied_at),
            decided_by: row.decided_by,
            reason: row.reason,
        })
    }
}

impl From<(String, String, NaiveDateTime)> for CreditRead {
    /// A logged read: who, why, when.
    fn from((reader, purpose, at): (String, String, NaiveDateTime)) -> CreditRead {
        CreditRead { purpose, read_at: utc(at), reader }
    }
}

impl From<(String, String, String)> for ListedParticipant {
    /// A participant by id, name and credit code.
    fn from((id, name, credit_code): (String, String, String)) -> ListedParticipant {
        ListedParticipant { id, name, credit_code }
    }
}

/// A credit policy version published: on its own chain, the policy in full.
pub fn policy_entry(policy: &CreditPolicy) -> AuditEntry<&CreditPolicy> {
    AuditEntry {
        chain: format!("credit_policy:{}", policy.version),
        action: AuditAction::CreditPolicyPublish,
        object_type: "credit_policy",
        object_id: policy.version.to_string(),
        payload: policy,
    }
}

/// An act on a participant's credit, on the participant's chain, with what it wrote.
fn participant_entry<P>(
    participant_id: &str,
    action: AuditAction,
    object_type: &'static str,
    object_id: &str,
    payload: P,
) -> AuditEntry<P> {
    AuditEntry { chain: participant_chain(participant_id), action, object_type, object_id: object_id.into(), payload }
}

/// A commitment signed, as it is shown.
pub fn commitment_entry(commitment: &SignedCommitment) -> AuditEntry<&SignedCommitment> {
    let SignedCommitment { participant_id, id, .. } = commitment;
    participant_entry(participant_id, AuditAction::CreditCommitmentSign, "commitment", id, commitment)
}

/// A credit record written (by a regulator, an accepted conduct report or an import), as
/// stored under the id of its row.
pub fn credit_record_entry<'a>(row: &CreditRecordRow, record: &'a CreditRecord) -> AuditEntry<&'a CreditRecord> {
    participant_entry(&row.participant_id, AuditAction::CreditRecordCreate, "credit_record", &row.id, record)
}

/// The centre's report of bad conduct, as it is shown.
pub fn conduct_report_entry(report: ConductReport) -> AuditEntry<ConductReport> {
    let (participant_id, id) = (report.participant_id.clone(), report.id.clone());
    participant_entry(&participant_id, AuditAction::CreditConductReport, "conduct_report", &id, report)
}

/// A restriction imposed, in full.
pub fn restriction_entry(restriction: &Restriction) -> AuditEntry<&Restriction> {
    let Restriction { participant_id, id, .. } = restriction;
    participant_entry(participant_id, AuditAction::CreditRestrictionImpose, "restriction", id, restriction)
}

/// A repair applied for, as it is shown.
pub fn repair_application_entry(application: RepairApplication) -> AuditEntry<RepairApplication> {
    let (participant_id, id) = (application.participant_id.clone(), application.id.clone());
    participant_entry(&participant_id, AuditAction::CreditRepairApply, "repair_application", &id, application)
}

/// A repair decided: its status, the regulator's reason and the record it repairs.
pub fn repair_decision_entry(
    application: &RepairApplicationRow,
    status: RepairStatus,
    reason: Option<&str>,
) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "status": status, "reason": reason, "record_id": application.record_id });
    participant_entry(
        &application.participant_id,
        AuditAction::CreditRepairDecide,
        "repair_application",
        &application.id,
        payload,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn at() -> NaiveDateTime {
        day(1).and_hms_opt(9, 30, 0).unwrap()
    }

    fn record() -> CreditRecord {
        CreditRecord {
            id: "r1".into(),
            participant_id: "p1".into(),
            kind: RecordKind::AdministrativePenalty,
            severity: Some(Severity::General),
            source: "住建局".into(),
            decision: "京建罚〔2026〕1号".into(),
            decided_on: day(2),
            publication_months: Some(6),
            repaired_on: None,
        }
    }

    #[test]
    fn a_record_reads_back_as_it_was_written() {
        let row = record_row(&record(), "regulator", Some("court:1".into()), "regulator:u1@d1".into(), at());
        assert_eq!((row.kind.as_str(), row.severity.as_deref()), ("administrative_penalty", Some("general")));
        assert_eq!((row.origin.as_str(), row.external_key.as_deref()), ("regulator", Some("court:1")));
        assert_eq!((row.recorded_by.as_str(), row.recorded_at, row.repaired_on), ("regulator:u1@d1", at(), None));
        assert_eq!(record_from_row(&row), Ok(record()));
    }

    /// A change spoiling a row, and the column and value its fault names.
    type Spoiled = (fn(&mut CreditRecordRow), &'static str, &'static str);

    #[test]
    fn a_record_with_an_unknown_stored_value_is_a_fault() {
        let cases: [Spoiled; 3] = [
            (|r| r.kind = "gossip".into(), "credit_records.kind", "gossip"),
            (|r| r.severity = Some("dire".into()), "credit_records.severity", "dire"),
            (|r| r.publication_months = Some(-3), "credit_records.publication_months", "-3"),
        ];
        for (spoil, column, value) in cases {
            let mut row = record_row(&record(), "regulator", None, "u".into(), at());
            spoil(&mut row);
            assert_eq!(record_from_row(&row).err().map(|f| (f.column, f.value)), Some((column, value.to_owned())));
        }
    }

    #[test]
    fn a_record_view_holds_the_record_its_row_and_its_publicity() {
        let row = record_row(&record(), "court_import", None, "centre:u2@c".into(), at());
        let publicity = Publicity { public: true, public_until: Some(day(20)) };
        let view = CreditRecordView::of(record(), &row, publicity);
        assert_eq!((view.id.as_str(), view.participant_id.as_str()), ("r1", "p1"));
        assert_eq!((view.kind, view.severity), (RecordKind::AdministrativePenalty, Some(Severity::General)));
        assert_eq!((view.source.as_str(), view.decision.as_str()), ("住建局", "京建罚〔2026〕1号"));
        assert_eq!((view.decided_on, view.publication_months, view.repaired_on), (day(2), Some(6), None));
        assert_eq!((view.origin.as_str(), view.recorded_by.as_deref()), ("court_import", Some("centre:u2@c")));
        assert_eq!((view.public, view.public_until), (true, Some(day(20))));
    }

    fn restriction() -> Restriction {
        Restriction {
            id: "x1".into(),
            participant_id: "p1".into(),
            kind: RestrictionKind::Debarment,
            starts_on: day(1),
            ends_on: day(31),
            decision: "决定".into(),
            decided_by: "住建局".into(),
            rule_id: "construction.debarment".into(),
        }
    }

    #[test]
    fn a_restriction_reads_back_and_an_unknown_kind_is_a_fault() {
        let row = restriction_row(&restriction(), at());
        assert_eq!((row.kind.as_str(), row.recorded_at), ("debarment", at()));
        assert_eq!(restriction_from_row(&row), Ok(restriction()));
        let mut row = row;
        row.kind = "exile".into();
        assert_eq!(
            restriction_from_row(&row).err().map(|f| f.to_string()).as_deref(),
            Some("restrictions.kind holds `exile`, which is not RestrictionKind")
        );
    }

    #[test]
    fn a_standing_reads_every_restriction_and_commitment_or_names_a_fault() {
        let commitment = Commitment {
            id: "c1".into(),
            participant_id: "p1".into(),
            text_version: 2,
            signed_on: day(1),
            revoked_on: None,
        };
        let rows =
            (vec![restriction_row(&restriction(), at())], vec![commitment_row(commitment.clone(), at(), "b".into())]);
        assert_eq!(standing_from_rows(&rows), Ok((vec![restriction()], vec![commitment])));
        assert_eq!(standing_from_rows(&(Vec::new(), Vec::new())), Ok((Vec::new(), Vec::new())));
        let (restrictions, mut commitments) = rows;
        commitments[0].text_version = -1;
        let fault = standing_from_rows(&(restrictions, commitments)).unwrap_err();
        assert_eq!(fault.column, "commitments.text_version");
    }

    #[test]
    fn a_commitment_reads_back_and_a_version_below_zero_is_a_fault() {
        let commitment = Commitment {
            id: "c1".into(),
            participant_id: "p1".into(),
            text_version: 2,
            signed_on: day(1),
            revoked_on: None,
        };
        let row = commitment_row(commitment.clone(), at(), "bidder:u@p1".into());
        assert_eq!((row.text_version, row.signed_at, row.signed_by.as_str()), (2, at(), "bidder:u@p1"));
        assert_eq!(commitment_from_row(&row), Ok(commitment));
        let signed = SignedCommitment::try_from(&row).unwrap();
        assert_eq!((signed.id.as_str(), signed.text_version, signed.signed_by.as_str()), ("c1", 2, "bidder:u@p1"));
        assert_eq!(signed.signed_at, utc(at()));
        let mut row = row;
        row.text_version = -1;
        assert_eq!(
            commitment_from_row(&row).err().map(|f| (f.column, f.value)),
            Some(("commitments.text_version", "-1".to_owned()))
        );
        assert!(SignedCommitment::try_from(&row).is_err());
    }

    #[test]
    fn stored_version_numbers_below_zero_are_faults() {
        let text = CommitmentTextRow { version: 3, body: "承诺".into(), effective_from: day(1), published_at: at() };
        assert_eq!(CommitmentText::signed_version(&text), Ok(3));
        let shown = CommitmentText::from(text.clone());
        assert_eq!((shown.version, shown.body.as_str(), shown.effective_from), (3, "承诺", day(1)));
        let text = CommitmentTextRow { version: -3, ..text };
        assert_eq!(CommitmentText::signed_version(&text).err().map(|f| f.column), Some("commitment_texts.version"));
        let policy = CreditPolicyRow {
            version: 4,
            effective_from: day(5),
            body: "{}".into(),
            published_at: at(),
            published_by: "seed".into(),
        };
        assert_eq!(latest_version(&policy).map(|l| (l.version, l.effective_from)), Ok((4, day(5))));
        let policy = CreditPolicyRow { version: -1, ..policy };
        assert_eq!(latest_version(&policy).err().map(|f| f.column), Some("credit_policies.version"));
    }

    #[test]
    fn a_conduct_report_shows_its_row_and_an_unknown_status_is_a_fault() {
        let row = ConductReportRow {
            id: "cr1".into(),
            participant_id: "p1".into(),
            project_id: Some("pr1".into()),
            description: "串通".into(),
            reported_by: "centre:u@c".into(),
            reported_at: at(),
            status: "accepted".into(),
            decided_by: Some("regulator:u@d".into()),
            decided_at: Some(at()),
            record_id: Some("r1".into()),
        };
        let report = ConductReport::try_from(row.clone()).unwrap();
        assert_eq!((report.id.as_str(), report.participant_id.as_str()), ("cr1", "p1"));
        assert_eq!((report.project_id.as_deref(), report.description.as_str()), (Some("pr1"), "串通"));
        assert_eq!((report.reported_by.as_str(), report.reported_at), ("centre:u@c", utc(at())));
        assert_eq!(report.status, ConductReportStatus::Accepted);
        assert_eq!((report.decided_by.as_deref(), report.record_id.as_deref()), (Some("regulator:u@d"), Some("r1")));
        let row = ConductReportRow { status: "lost".into(), ..row };
        assert_eq!(
            ConductReport::try_from(row).err().map(|f| (f.column, f.value)),
            Some(("conduct_reports.status", "lost".to_owned()))
        );
    }

    #[test]
    fn a_repair_application_shows_its_row_and_an_unknown_status_is_a_fault() {
        let row = RepairApplicationRow {
            id: "ra1".into(),
            record_id: "r1".into(),
            participant_id: "p1".into(),
            obligations_proof_sha256: "ab".into(),
            commitment_id: "c1".into(),
            applied_at: at(),
            status: "rejected".into(),
            decided_by: Some("regulator:u@d".into()),
            decided_at: Some(at()),
            reason: Some("未履行".into()),
        };
        let application = RepairApplication::try_from(row.clone()).unwrap();
        assert_eq!((application.id.as_str(), application.record_id.as_str()), ("ra1", "r1"));
        assert_eq!((application.participant_id.as_str(), application.commitment_id.as_str()), ("p1", "c1"));
        assert_eq!((application.applied_at, application.status), (utc(at()), RepairStatus::Rejected));
        assert_eq!(application.decided_by.as_deref(), Some("regulator:u@d"));
        assert_eq!(application.reason.as_deref(), Some("未履行"));
        let row = RepairApplicationRow { status: "maybe".into(), ..row };
        assert_eq!(
            RepairApplication::try_from(row).err().map(|f| (f.column, f.value)),
            Some(("repair_applications.status", "maybe".to_owned()))
        );
    }

    #[test]
    fn reads_and_listed_participants_keep_their_fields() {
        let read = CreditRead::from(("expert:e1".to_owned(), "评标".to_owned(), at()));
        assert_eq!(read, CreditRead { purpose: "评标".into(), read_at: utc(at()), reader: "expert:e1".into() });
        let listed = ListedParticipant::from(("p1".to_owned(), "甲公司".to_owned(), "91110000".to_owned()));
        assert_eq!(
            listed,
            ListedParticipant { id: "p1".into(), name: "甲公司".into(), credit_code: "91110000".into() }
        );
    }

    #[test]
    fn a_credit_policy_reads_back_from_its_row() {
        let seed = CreditPolicy::seed();
        let row = policy_row(&seed, at(), "seed: RULES.md".into()).unwrap();
        assert_eq!((row.version, row.effective_from, row.published_at), (1, seed.effective_from, at()));
        assert_eq!(row.published_by, "seed: RULES.md");
        assert_eq!(policy_from_row(&row), Ok(seed));
        let row = CreditPolicyRow { body: "{}".into(), ..row };
        assert_eq!(policy_from_row(&row).err().map(|f| f.column), Some("credit_policies.body"));
    }

    #[test]
    fn a_filed_conduct_report_is_pending_and_reads_back() {
        let values = ConductReportValues {
            participant_id: "p1".into(),
            project_id: Some("pr1".into()),
            description: "围标".into(),
        };
        let row = pending_conduct_report_row("c1".into(), values, "staff:u1@centre".into(), at());
        assert_eq!(
            (row.status.as_str(), &row.decided_by, row.decided_at, &row.record_id),
            ("pending", &None, None, &None)
        );
        let report = ConductReport::try_from(row).unwrap();
        assert_eq!(report.status, ConductReportStatus::Pending);
        assert_eq!((report.participant_id.as_str(), report.project_id.as_deref()), ("p1", Some("pr1")));
        assert_eq!((report.description.as_str(), report.reported_by.as_str()), ("围标", "staff:u1@centre"));
        assert_eq!(report.reported_at, utc(at()));
    }

    #[test]
    fn a_taken_repair_application_is_stored_undecided_with_its_status() {
        let taken = Application {
            record_id: "r1".into(),
            participant_id: "p1".into(),
            commitment_id: "cm1".into(),
            obligations_proof_sha256: "ab".repeat(32),
            status: RepairStatus::Pending,
        };
        let row = repair_application_row("a1".into(), taken, at());
        assert_eq!((row.id.as_str(), row.record_id.as_str(), row.commitment_id.as_str()), ("a1", "r1", "cm1"));
        assert_eq!((row.applied_at, &row.decided_by, row.decided_at, &row.reason), (at(), &None, None, &None));
        let application = RepairApplication::try_from(row).unwrap();
        assert_eq!((application.status, application.participant_id.as_str()), (RepairStatus::Pending, "p1"));
    }

    #[test]
    fn a_record_is_shown_with_its_publicity_and_who_recorded_it() {
        let row = record_row(&record(), "regulator", None, "regulator:u1@d1".into(), at());
        let shown = CreditRecordView::on(&row, day(10)).unwrap();
        assert_eq!(
            (shown.id.as_str(), shown.recorded_by.as_deref(), shown.origin.as_str()),
            ("r1", Some("regulator:u1@d1"), "regulator")
        );
        assert_eq!(shown.public, disclosure::publicity(&record(), day(10)).public);
        assert!(shown.public && shown.public_until.is_some());
        let later = NaiveDate::from_ymd_opt(2027, 3, 2).unwrap();
        assert!(!CreditRecordView::on(&row, later).unwrap().public, "past its six months");
    }

    #[test]
    fn the_public_list_shows_bad_records_while_public_and_never_who_recorded_them() {
        let row = record_row(&record(), "regulator", None, "regulator:u1@d1".into(), at());
        let listed = CreditRecordView::listed_on(&row, day(10)).unwrap().unwrap();
        assert_eq!((listed.id.as_str(), listed.recorded_by, listed.public), ("r1", None, true));
        let later = NaiveDate::from_ymd_opt(2027, 3, 2).unwrap();
        assert!(CreditRecordView::listed_on(&row, later).unwrap().is_none());
        let good = CreditRecord { kind: RecordKind::Performance, severity: None, ..record() };
        let good = record_row(&good, "regulator", None, "regulator:u1@d1".into(), at());
        assert!(CreditRecordView::listed_on(&good, day(10)).unwrap().is_none(), "a good record is not listed");
        let spoiled = CreditRecordRow { kind: "gossip".into(), ..row };
        assert_eq!(CreditRecordView::listed_on(&spoiled, day(10)).unwrap_err().column, "credit_records.kind");
    }
}

#[cfg(test)]
mod entries {
    use super::*;

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 2).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap()
    }

    #[test]
    fn a_policy_is_audited_on_its_versions_chain() {
        let policy = CreditPolicy::seed();
        let entry = policy_entry(&policy);
        assert_eq!(entry.chain, format!("credit_policy:{}", policy.version));
        assert_eq!((entry.action, entry.object_type), (AuditAction::CreditPolicyPublish, "credit_policy"));
        assert_eq!((entry.object_id, entry.payload), (policy.version.to_string(), &policy));
    }

    #[test]
    fn a_participants_credit_is_audited_on_its_chain() {
        let row = RepairApplicationRow {
            id: "ra1".into(),
            record_id: "rec1".into(),
            participant_id: "a1".into(),
            obligations_proof_sha256: "ab".repeat(32),
            commitment_id: "c1".into(),
            applied_at: at(),
            status: "pending".into(),
            decided_by: None,
            decided_at: None,
            reason: None,
        };
        let decided = repair_decision_entry(&row, RepairStatus::Rejected, Some("材料不足"));
        assert_eq!((decided.chain.as_str(), decided.action), ("participant:a1", AuditAction::CreditRepairDecide));
        assert_eq!((decided.object_type, decided.object_id.as_str()), ("repair_application", "ra1"));
        assert_eq!(
            decided.payload,
            serde_json::json!({ "status": RepairStatus::Rejected, "reason": "材料不足", "record_id": "rec1" })
        );
        let application = RepairApplication::try_from(row).unwrap();
        let shown = serde_json::to_value(&application).unwrap();
        let applied = repair_application_entry(application);
        assert_eq!((applied.chain.as_str(), applied.action), ("participant:a1", AuditAction::CreditRepairApply));
        assert_eq!(serde_json::to_value(&applied.payload).unwrap(), shown);
    }
}
