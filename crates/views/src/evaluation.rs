//! Response and request bodies of evaluation (see `ggzy_service::evaluation` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored_json, stored_money, Money, StoredFault};
use ggzy_store::evaluation::{DrawRow, ExpertRow, ResultRow};
pub use ggzy_trading::committee::{
    AwardSection, BidScore, Candidate, CommitteeState, DeclareRelation, DrawExperts, DrawRecord, DrawReplay, Expert,
    NewExpert, OwnCommittee, Recusal, RecuseExpert, RestrictExpert, SignContract, SubmitScores,
};
use serde::{Deserialize, Serialize};
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
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
