//! Response and request bodies of evaluation (see `ggzy_service::evaluation` for the use cases).

use crate::audit_entry::{expert_chain, project_chain, AuditEntry};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ggzy_kernel::{stored_json, stored_money, AuditAction, Money, StoredFault};
use ggzy_rules::rule_ids;
use ggzy_store::evaluation::{CommitteeFacts, DrawRow, ExpertRow, ResultRow};
pub use ggzy_trading::committee::{
    AwardSection, BidScore, Candidate, CommitteeState, DeclareRelation, DrawExperts, DrawRecord, DrawReplay, Expert,
    NewExpert, OwnCommittee, Recusal, RecuseExpert, RestrictExpert, SignContract, SubmitScores,
};
use ggzy_trading::committee::{NewExpertValues, ScoreSheet};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A page of the expert pool, by id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertPage {
    pub items: Vec<Expert>,
    pub next_cursor: Option<String>,
}

/// The query of the expert pool. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExpertQuery {
    /// Only experts with this specialty code among theirs (ASCII case ignored; one code, no
    /// comma).
    pub specialty: Option<String>,
    /// `true`: only experts in the pool's active service; `false`: only those out of it.
    #[param(value_type = Option<bool>)]
    pub active: Option<String>,
    /// `true`: only experts barred from draws today (Beijing); `false`: only those not.
    #[param(value_type = Option<bool>)]
    pub restricted: Option<String>,
    /// A part of the name, as a person types it (ASCII case ignored).
    pub name: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertDraw {
    pub id: String,
    pub section_id: String,
    pub specialty: String,
    pub size: i32,
    pub drawn_at: DateTime<Utc>,
    pub record: DrawRecord,
    /// The committee now: the selected minus the recused plus their replacements.
    pub committee: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertDrawPage {
    pub items: Vec<ExpertDraw>,
    pub next_cursor: Option<String>,
}

/// The query of the draw list. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DrawListQuery {
    /// Only this section's draws.
    #[param(format = Uuid)]
    pub section_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The committee's result, its publicity, award and contract.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionResult {
    pub section_id: String,
    pub candidates: Vec<Candidate>,
    pub publicity_start: DateTime<Utc>,
    /// End of the candidate publicity (construction.candidates.publicity).
    pub publicity_end: DateTime<Utc>,
    pub winner_id: Option<String>,
    pub awarded_at: Option<DateTime<Utc>>,
    pub contract_amount: Option<Money>,
    pub contract_signed_at: Option<DateTime<Utc>>,
    /// Signed after the contract window (construction.contract.window, procurement.contract.window).
    pub contract_late: Option<bool>,
    /// Once awarded: when the contract must be signed at the latest (24:00 Beijing time).
    pub contract_due: Option<DateTime<Utc>>,
    /// True when `publicity_end` or `contract_due` was counted through a year whose
    /// official holiday arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnCommitteePage {
    pub items: Vec<OwnCommittee>,
    pub next_cursor: Option<String>,
}

/// The query of an expert's committees. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnCommitteeQuery {
    /// Only committees in this state.
    #[param(value_type = Option<CommitteeState>)]
    pub state: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// An expert of the pool as a stored row holds it.
pub fn expert_from_row(row: ExpertRow) -> Expert {
    Expert {
        id: row.id,
        name: row.name,
        specialties: ggzy_trading::committee::specialties_of(&row.specialties),
        employer_id: row.employer_id,
        active: row.active != 0,
        restricted_until: row.restricted_until,
    }
}

/// The row of an expert registered at `now`: in active service, unrestricted.
pub fn expert_row(id: String, expert: &NewExpertValues, now: NaiveDateTime) -> ExpertRow {
    ExpertRow {
        id,
        name: expert.name.clone(),
        specialties: ggzy_trading::committee::stored_specialties(&expert.specialties),
        employer_id: expert.employer_id.clone(),
        active: 1,
        restricted_until: None,
        restriction_decision: None,
        created_at: now,
    }
}

/// The row of a committee of `size` drawn at `drawn_at` by `drawn_by`, its record kept as
/// JSON to be replayed.
pub fn draw_row(
    id: String,
    section_id: &str,
    specialty: String,
    size: usize,
    record: &DrawRecord,
    drawn_at: NaiveDateTime,
    drawn_by: String,
) -> Result<DrawRow, serde_json::Error> {
    Ok(DrawRow {
        id,
        section_id: section_id.to_owned(),
        specialty,
        size: i32::try_from(size).unwrap_or(i32::MAX),
        record: serde_json::to_string(record)?,
        drawn_at,
        drawn_by,
    })
}

/// The row of a committee's report recorded at `now`: its ranked candidates, in publicity
/// from `now` to `publicity_end`, nobody awarded yet.
pub fn report_row(
    section_id: &str,
    candidates: &[Candidate],
    now: NaiveDateTime,
    publicity_end: DateTime<Utc>,
) -> Result<ResultRow, serde_json::Error> {
    Ok(ResultRow {
        section_id: section_id.to_owned(),
        report: serde_json::to_string(candidates)?,
        publicity_start: now,
        publicity_end: publicity_end.naive_utc(),
        winner_id: None,
        awarded_at: None,
        contract_amount: None,
        contract_sha256: None,
        contract_signed_at: None,
        contract_late: None,
    })
}

/// A committee the expert sits on, as its own list shows it: the draw that seated it, the
/// section and project it evaluates, and how far its work has come (the report decides it
/// once recorded; before it, whether the expert's scores are in).
pub fn own_committee(draw: ExpertDraw, facts: CommitteeFacts) -> OwnCommittee {
    let CommitteeFacts { section, project, reported, scores_submitted_at } = facts;
    OwnCommittee {
        draw_id: draw.id,
        section_id: draw.section_id,
        section_name: section.name,
        project_id: project.id,
        project_code: project.code,
        project_name: project.name,
        specialty: draw.specialty,
        drawn_at: draw.drawn_at,
        state: CommitteeState::of(reported, scores_submitted_at.is_some()),
        scores_submitted_at: scores_submitted_at.map(|t| t.and_utc()),
    }
}

/// The record of a stored draw, enough to replay it.
pub fn draw_record(row: &DrawRow) -> Result<DrawRecord, StoredFault> {
    stored_json("expert_draws.record", &row.record)
}

impl TryFrom<DrawRow> for ExpertDraw {
    type Error = StoredFault;

    fn try_from(row: DrawRow) -> Result<Self, StoredFault> {
        let record = draw_record(&row)?;
        Ok(ExpertDraw {
            committee: record.committee(),
            id: row.id,
            section_id: row.section_id,
            specialty: row.specialty,
            size: row.size,
            drawn_at: row.drawn_at.and_utc(),
            record,
        })
    }
}

impl SectionResult {
    /// A stored result; `contract` is `(awarded_at, contract_due)` once awarded, and
    /// `official_years` the years whose holiday arrangement is loaded.
    pub fn from_row(
        row: ResultRow,
        contract: Option<(DateTime<Utc>, DateTime<Utc>)>,
        official_years: &[i32],
    ) -> Result<Self, StoredFault> {
        let publicity = (row.publicity_start.and_utc(), row.publicity_end.and_utc());
        let provisional_years = ggzy_trading::committee::provisional_years(official_years, publicity, contract);
        Ok(SectionResult {
            candidates: stored_json("section_results.report", &row.report)?,
            contract_amount: row
                .contract_amount
                .map(|fen| stored_money("section_results.contract_amount", fen))
                .transpose()?,
            contract_due: contract.map(|(_, due)| due),
            provisional: !provisional_years.is_empty(),
            provisional_years,
            section_id: row.section_id,
            publicity_start: publicity.0,
            publicity_end: publicity.1,
            winner_id: row.winner_id,
            awarded_at: row.awarded_at.map(|t| t.and_utc()),
            contract_signed_at: row.contract_signed_at.map(|t| t.and_utc()),
            contract_late: row.contract_late.map(|late| late != 0),
        })
    }
}

/// An expert registered, on its own chain, as it is shown.
pub fn expert_registered_entry(expert: &Expert) -> AuditEntry<&Expert> {
    AuditEntry {
        chain: expert_chain(&expert.id),
        action: AuditAction::ExpertRegister,
        object_type: "expert",
        object_id: expert.id.clone(),
        payload: expert,
    }
}

/// An expert's act on its own record, on its chain.
fn expert_entry(expert_id: &str, action: AuditAction, payload: Value) -> AuditEntry<Value> {
    AuditEntry { chain: expert_chain(expert_id), action, object_type: "expert", object_id: expert_id.into(), payload }
}

/// A relation the expert declared with a participant, under the recusal rule.
pub fn relation_entry(expert_id: &str, participant_id: &str, relation: &str) -> AuditEntry<Value> {
    let payload =
        serde_json::json!({ "participant_id": participant_id, "relation": relation, "rule": rule_ids::RECUSAL });
    expert_entry(expert_id, AuditAction::ExpertDeclareRelation, payload)
}

/// A regulator's restriction of an expert: until when, and its decision.
pub fn expert_restriction_entry(expert_id: &str, until: NaiveDate, decision: &str) -> AuditEntry<Value> {
    expert_entry(expert_id, AuditAction::ExpertRestrict, serde_json::json!({ "until": until, "decision": decision }))
}

/// A committee drawn for a section of the project: the draw's whole record, to replay.
pub fn draw_entry<'a>(project_id: &str, draw_id: &str, record: &'a DrawRecord) -> AuditEntry<&'a DrawRecord> {
    AuditEntry {
        chain: project_chain(project_id),
        action: AuditAction::ExpertsDraw,
        object_type: "expert_draw",
        object_id: draw_id.into(),
        payload: record,
    }
}

/// A recusal and its replacement: the draw's recusals as they now stand.
pub fn recusal_entry<'a>(project_id: &str, draw_id: &str, recusals: &'a [Recusal]) -> AuditEntry<&'a [Recusal]> {
    AuditEntry {
        chain: project_chain(project_id),
        action: AuditAction::ExpertsRecuse,
        object_type: "expert_draw",
        object_id: draw_id.into(),
        payload: recusals,
    }
}

/// An act on a section of the project, on the project's chain.
fn section_entry<P>(project_id: &str, section_id: &str, action: AuditAction, payload: P) -> AuditEntry<P> {
    AuditEntry {
        chain: project_chain(project_id),
        action,
        object_type: "section",
        object_id: section_id.into(),
        payload,
    }
}

/// A member's scores, with who gave them.
pub fn scores_entry(project_id: &str, section_id: &str, expert_id: &str, sheet: &ScoreSheet) -> AuditEntry<Value> {
    let payload = serde_json::json!({ "expert_id": expert_id, "scores": sheet });
    section_entry(project_id, section_id, AuditAction::EvaluationScore, payload)
}

/// The committee's report: the candidates as ranked.
pub fn report_entry<'a>(
    project_id: &str,
    section_id: &str,
    candidates: &'a [Candidate],
) -> AuditEntry<&'a [Candidate]> {
    section_entry(project_id, section_id, AuditAction::EvaluationReport, candidates)
}

/// The tenderer's award: the winner named.
pub fn award_entry(project_id: &str, section_id: &str, winner_id: &str) -> AuditEntry<Value> {
    section_entry(project_id, section_id, AuditAction::SectionAward, serde_json::json!({ "winner_id": winner_id }))
}

/// The contract registered: its amount and file, whether it came late, and the rule of the
/// window it was due in.
pub fn contract_entry(project_id: &str, section_id: &str, signed: SignedContract<'_>) -> AuditEntry<Value> {
    let SignedContract { amount, sha256, late, rule } = signed;
    let payload = serde_json::json!({ "amount": amount, "sha256": sha256, "late": late, "rule": rule });
    section_entry(project_id, section_id, AuditAction::SectionContract, payload)
}

/// A contract as registered, for its audit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedContract<'a> {
    pub amount: Money,
    pub sha256: &'a str,
    pub late: bool,
    /// The rule whose window the contract was due in.
    pub rule: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_store::projects::{ProjectRow, SectionRow};

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    #[test]
    fn a_registered_expert_is_stored_active_and_unrestricted() {
        let values = NewExpertValues {
            name: "赵六".into(),
            specialties: vec!["A01".into(), "C03".into()],
            employer_id: Some("p1".into()),
        };
        let row = expert_row("e9".into(), &values, at(10));
        assert_eq!((row.id.as_str(), row.name.as_str(), row.specialties.as_str()), ("e9", "赵六", "A01,C03"));
        assert_eq!((row.employer_id.as_deref(), row.active, row.created_at), (Some("p1"), 1, at(10)));
        assert_eq!((row.restricted_until, row.restriction_decision.as_deref()), (None, None));
        // What is stored reads back as the expert registered.
        assert_eq!(expert_from_row(row).specialties, values.specialties);
    }

    #[test]
    fn a_drawn_committee_keeps_its_record_to_replay() {
        let record = DrawRecord {
            seed: "ab".into(),
            candidates: vec!["e1".into(), "e2".into(), "e3".into()],
            selected: vec!["e3".into(), "e1".into(), "e2".into()],
            recusals: vec![],
            excluded: vec![],
        };
        let row = draw_row("d1".into(), "s1", "A01".into(), 3, &record, at(11), "staff:7".into()).unwrap();
        assert_eq!((row.id.as_str(), row.section_id.as_str(), row.specialty.as_str()), ("d1", "s1", "A01"));
        assert_eq!((row.size, row.drawn_at, row.drawn_by.as_str()), (3, at(11), "staff:7"));
        assert_eq!(draw_record(&row).unwrap(), record);
        assert_eq!(
            draw_row("d2".into(), "s1", "A01".into(), usize::MAX, &record, at(11), "x".into()).unwrap().size,
            i32::MAX
        );
    }

    #[test]
    fn a_recorded_report_is_in_publicity_and_unawarded() {
        let row = report_row("s1", &[], at(9), at(15).and_utc()).unwrap();
        assert_eq!((row.section_id.as_str(), row.report.as_str()), ("s1", "[]"));
        assert_eq!((row.publicity_start, row.publicity_end), (at(9), at(15)));
        assert_eq!((row.winner_id.as_deref(), row.awarded_at, row.contract_amount), (None, None, None));
        assert_eq!((row.contract_sha256.as_deref(), row.contract_signed_at, row.contract_late), (None, None, None));
        let shown = SectionResult::from_row(row, None, &[2026]).unwrap();
        assert!(shown.candidates.is_empty());
        assert_eq!(shown.publicity_end, at(15).and_utc());
    }

    #[test]
    fn an_own_committee_names_its_section_and_project() {
        let record = DrawRecord {
            seed: "00".into(),
            candidates: vec!["e1".into()],
            selected: vec!["e1".into()],
            recusals: vec![],
            excluded: vec![],
        };
        let draw = ExpertDraw::try_from(
            draw_row("d1".into(), "s1", "A01".into(), 1, &record, at(8), "staff:1".into()).unwrap(),
        )
        .unwrap();
        let section = SectionRow { code: "P-001".into(), ..crate::fixtures::section_row(100) };
        let project =
            ProjectRow { code: "P".into(), name: "道路工程".into(), ..crate::fixtures::project_row(at(7)) };
        let facts = CommitteeFacts { section, project, reported: false, scores_submitted_at: Some(at(12)) };
        let own = own_committee(draw.clone(), facts.clone());
        assert_eq!((own.draw_id.as_str(), own.section_id.as_str(), own.section_name.as_str()), ("d1", "s1", "一标段"));
        assert_eq!(
            (own.project_id.as_str(), own.project_code.as_str(), own.project_name.as_str()),
            ("p1", "P", "道路工程")
        );
        assert_eq!((own.specialty.as_str(), own.drawn_at, own.state), ("A01", at(8).and_utc(), CommitteeState::Scored));
        assert_eq!(own.scores_submitted_at, Some(at(12).and_utc()));
        // The recorded report decides the state, whether the expert scored or not.
        let reported = own_committee(draw.clone(), CommitteeFacts { reported: true, ..facts.clone() });
        assert_eq!(reported.state, CommitteeState::Reported);
        let awaiting = own_committee(draw, CommitteeFacts { scores_submitted_at: None, ..facts });
        assert_eq!((awaiting.state, awaiting.scores_submitted_at), (CommitteeState::AwaitingScores, None));
    }

    #[test]
    fn an_expert_shows_the_row() {
        let row = ExpertRow {
            id: "e1".into(),
            name: "王五".into(),
            specialties: "A01,B02".into(),
            employer_id: None,
            active: 1,
            restricted_until: None,
            restriction_decision: None,
            created_at: at(9),
        };
        let expert = expert_from_row(row);
        assert_eq!(expert.specialties, vec!["A01".to_owned(), "B02".to_owned()]);
        assert!(expert.active);
        assert_eq!(expert.name, "王五");
    }

    #[test]
    fn a_draw_whose_record_cannot_be_read_is_a_fault() {
        let row = |record: &str| DrawRow {
            id: "d1".into(),
            section_id: "s1".into(),
            specialty: "A01".into(),
            size: 2,
            record: record.into(),
            drawn_at: at(9),
            drawn_by: "staff:1".into(),
        };
        assert_eq!(ExpertDraw::try_from(row("{")).unwrap_err().column, "expert_draws.record");
        let record = DrawRecord {
            seed: "00".into(),
            candidates: vec!["e1".into(), "e2".into()],
            selected: vec!["e1".into(), "e2".into()],
            recusals: vec![],
            excluded: vec![],
        };
        let draw = ExpertDraw::try_from(row(&serde_json::to_string(&record).unwrap())).unwrap();
        assert_eq!(draw.committee, vec!["e1".to_owned(), "e2".to_owned()]);
        assert_eq!((draw.size, draw.drawn_at), (2, at(9).and_utc()));
        assert_eq!(draw.record, record);
    }

    fn result(contract_amount: Option<i64>) -> ResultRow {
        ResultRow {
            section_id: "s1".into(),
            report: "[]".into(),
            publicity_start: at(9),
            publicity_end: at(12),
            winner_id: Some("b1".into()),
            awarded_at: Some(at(13)),
            contract_amount,
            contract_sha256: None,
            contract_signed_at: None,
            contract_late: Some(1),
        }
    }

    #[test]
    fn a_result_shows_the_row_and_the_provisional_years() {
        let due = at(20).and_utc();
        let shown = SectionResult::from_row(result(Some(900)), Some((at(13).and_utc(), due)), &[2026]).unwrap();
        assert_eq!(shown.contract_amount.map(Money::fen), Some(900));
        assert_eq!((shown.contract_due, shown.contract_late), (Some(due), Some(true)));
        assert!(!shown.provisional && shown.provisional_years.is_empty());
        let unloaded = SectionResult::from_row(result(None), None, &[]).unwrap();
        assert_eq!((unloaded.provisional, unloaded.provisional_years), (true, vec![2026]));
    }

    #[test]
    fn a_negative_stored_contract_amount_is_a_fault() {
        let fault = SectionResult::from_row(result(Some(-1)), None, &[2026]).unwrap_err();
        assert_eq!(fault.column, "section_results.contract_amount");
    }
}

#[cfg(test)]
mod entries {
    use super::*;

    #[test]
    fn an_experts_record_is_audited_on_its_own_chain() {
        let expert = Expert {
            id: "e1".into(),
            name: "赵六".into(),
            specialties: vec!["A01".into()],
            employer_id: None,
            active: true,
            restricted_until: None,
        };
        let registered = expert_registered_entry(&expert);
        assert_eq!((registered.chain.as_str(), registered.action), ("expert:e1", AuditAction::ExpertRegister));
        assert_eq!(
            (registered.object_type, registered.object_id.as_str(), registered.payload),
            ("expert", "e1", &expert)
        );
        let relation = relation_entry("e1", "a1", "曾任职");
        assert_eq!((relation.chain.as_str(), relation.action), ("expert:e1", AuditAction::ExpertDeclareRelation));
        assert_eq!(
            relation.payload,
            serde_json::json!({ "participant_id": "a1", "relation": "曾任职", "rule": rule_ids::RECUSAL })
        );
        let until = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        let restricted = expert_restriction_entry("e1", until, "处理决定");
        assert_eq!(restricted.action, AuditAction::ExpertRestrict);
        assert_eq!(restricted.payload, serde_json::json!({ "until": "2027-06-30", "decision": "处理决定" }));
    }

    #[test]
    fn a_sections_evaluation_is_audited_on_its_projects_chain() {
        let record = DrawRecord {
            seed: "ab".into(),
            candidates: vec!["e1".into()],
            selected: vec!["e1".into()],
            recusals: vec![],
            excluded: vec![],
        };
        let draw = draw_entry("p1", "d1", &record);
        assert_eq!(
            (draw.chain.as_str(), draw.object_type, draw.object_id.as_str()),
            ("project:p1", "expert_draw", "d1")
        );
        assert_eq!((draw.action, draw.payload), (AuditAction::ExpertsDraw, &record));
        let recusal = recusal_entry("p1", "d1", &record.recusals);
        assert_eq!((recusal.action, recusal.object_type), (AuditAction::ExpertsRecuse, "expert_draw"));
        let sheet: ScoreSheet = [("b1".to_owned(), rust_decimal::Decimal::from(85))].into();
        let scores = scores_entry("p1", "s1", "e1", &sheet);
        assert_eq!((scores.object_type, scores.object_id.as_str()), ("section", "s1"));
        assert_eq!(scores.payload, serde_json::json!({ "expert_id": "e1", "scores": { "b1": "85" } }));
        assert_eq!(report_entry("p1", "s1", &[]).action, AuditAction::EvaluationReport);
        let award = award_entry("p1", "s1", "b1");
        assert_eq!((award.chain.as_str(), award.action), ("project:p1", AuditAction::SectionAward));
        assert_eq!(award.payload, serde_json::json!({ "winner_id": "b1" }));
        let signed = SignedContract {
            amount: Money::from_fen(123_456).unwrap(),
            sha256: "ab12",
            late: true,
            rule: "construction.contract.sign",
        };
        let contract = contract_entry("p1", "s1", signed);
        assert_eq!(contract.action, AuditAction::SectionContract);
        assert_eq!(
            contract.payload,
            serde_json::json!({ "amount": "1234.56", "sha256": "ab12", "late": true, "rule": "construction.contract.sign" })
        );
    }
}
