//! The credit report (信用报告) of one participant on one date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::{is_public_on, CreditPolicy, Score};
use crate::record::CreditRecord;
use crate::restriction::{Commitment, Restriction};

/// What the platform knows about a participant's credit on `as_of` (credit.use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreditReport {
    #[schema(example = "01890a5d-ac96-774b-bcce-b302099a8057")]
    pub participant_id: String,
    #[schema(value_type = String, format = Date, example = "2026-09-01")]
    pub as_of: NaiveDate,
    /// Version of the credit policy the score was computed with.
    #[schema(example = 1)]
    pub policy_version: u32,
    /// Credit score (信用评分) with its explanation.
    pub score: Score,
    /// Restrictions in force on `as_of` (有效的限制措施), the one ending last first.
    pub active_restrictions: Vec<Restriction>,
    /// Records on the public list on `as_of` (公示中的信用记录), newest decision first.
    pub public_records: Vec<CreditRecord>,
    /// Whether a credit commitment (信用承诺) is in force on `as_of`.
    pub commitment_in_force: bool,
}

/// Builds the report of `participant_id` on `as_of`. The slices may hold other
/// participants' data; only entries with this `participant_id` are used.
pub fn report(
    participant_id: &str,
    as_of: NaiveDate,
    policy: &CreditPolicy,
    records: &[CreditRecord],
    restrictions: &[Restriction],
    commitments: &[Commitment],
) -> CreditReport {
    let own: Vec<CreditRecord> = records.iter().filter(|r| r.participant_id == participant_id).cloned().collect();
    let score = policy.score.score(&own, as_of);

    let mut public_records: Vec<CreditRecord> = own.into_iter().filter(|r| is_public_on(r, as_of)).collect();
    public_records.sort_by(|a, b| b.decided_on.cmp(&a.decided_on).then_with(|| a.id.cmp(&b.id)));

    let mut active_restrictions: Vec<Restriction> =
        restrictions.iter().filter(|r| r.participant_id == participant_id && r.is_active_on(as_of)).cloned().collect();
    active_restrictions.sort_by(|a, b| b.ends_on.cmp(&a.ends_on).then_with(|| a.id.cmp(&b.id)));

    let commitment_in_force = commitments.iter().any(|c| c.participant_id == participant_id && c.in_force_on(as_of));

    CreditReport {
        participant_id: participant_id.to_owned(),
        as_of,
        policy_version: policy.version,
        score,
        active_restrictions,
        public_records,
        commitment_in_force,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{date, record};
    use crate::record::RecordKind::*;
    use crate::record::Severity::{General, Minor, Serious};
    use crate::restriction::tests::{commitment, restriction};
    use crate::restriction::RestrictionKind;

    #[test]
    fn report_gathers_one_participants_credit() {
        let policy = CreditPolicy::seed();
        let mut other = record("x", CourtEnforcement, Some(Serious), date(2026, 1, 1), Some(36));
        other.participant_id = "p2".into();
        let mut repaired = record("rep", AdministrativePenalty, Some(General), date(2026, 2, 1), Some(12));
        repaired.repaired_on = Some(date(2026, 6, 1));
        let records = vec![
            record("perf", Performance, None, date(2025, 1, 1), Some(36)),
            record("pen", AdministrativePenalty, Some(Serious), date(2026, 3, 1), Some(24)),
            record("minor", BadTradingConduct, Some(Minor), date(2026, 4, 1), None),
            repaired,
            other,
        ];
        let mut foreign = restriction("f", RestrictionKind::SeriousDishonesty, date(2026, 1, 1), date(2027, 1, 1));
        foreign.participant_id = "p2".into();
        let restrictions = vec![
            restriction("ent", RestrictionKind::EntryDisqualification, date(2026, 3, 1), date(2026, 9, 30)),
            restriction("deb", RestrictionKind::Debarment, date(2026, 3, 1), date(2027, 2, 28)),
            restriction("old", RestrictionKind::AgencySuspension, date(2025, 1, 1), date(2025, 12, 31)),
            foreign,
        ];
        let commitments = vec![commitment(date(2025, 6, 1), None)];

        let r = report("p1", date(2026, 7, 1), &policy, &records, &restrictions, &commitments);
        assert_eq!(r.participant_id, "p1");
        assert_eq!(r.policy_version, 1);
        // perf +5, pen −20, minor −2 (bad_trading_conduct minor has a rule); "rep" repaired
        // on 2026-06-01 and "x" belongs to p2: 100 + 5 − 20 − 2 = 83 → B.
        assert_eq!(r.score.total, 83);
        assert_eq!(r.score.grade, "B");
        let public: Vec<_> = r.public_records.iter().map(|r| r.id.as_str()).collect();
        // The minor record is not published, the repaired one is no longer; newest first.
        assert_eq!(public, ["pen", "perf"]);
        let active: Vec<_> = r.active_restrictions.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(active, ["deb", "ent"]);
        assert!(r.commitment_in_force);

        let nobody = report("p3", date(2026, 7, 1), &policy, &records, &restrictions, &commitments);
        assert_eq!(nobody.score.total, 100);
        assert!(nobody.public_records.is_empty() && nobody.active_restrictions.is_empty());
        assert!(!nobody.commitment_in_force);

        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["score"]["grade"], "B");
        assert_eq!(json["active_restrictions"][0]["kind"], "debarment");
    }
}
