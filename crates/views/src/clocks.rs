//! Response and request bodies of clocks (see `ggzy_service::clocks` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::clocks::RecountPlan;
use ggzy_oversight::lifecycle::{ClockKind, RecountOutcome};
use serde::Serialize;
use utoipa::ToSchema;

/// One clock the loading of an official year recounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecountedClock {
    pub kind: ClockKind,
    pub project_id: String,
    /// The objection, complaint, bond, section or direct award.
    pub subject_id: String,
    pub rule_id: String,
    /// The due date counted with the provisional year.
    pub provisional_due: DateTime<Utc>,
    /// The due date counted with the official year.
    pub official_due: DateTime<Utc>,
    /// The due date now: the official one when it is later (`moved`), else the provisional
    /// one stands (`kept`).
    pub due: DateTime<Utc>,
    pub outcome: RecountOutcome,
}

impl RecountedClock {
    /// A clock of `project_id` recounted as `plan` decided, as the loader's answer lists it.
    pub fn of(kind: ClockKind, project_id: String, subject_id: String, rule_id: String, plan: &RecountPlan) -> Self {
        RecountedClock {
            kind,
            project_id,
            subject_id,
            rule_id,
            provisional_due: plan.provisional_due,
            official_due: plan.official_due,
            due: plan.due,
            outcome: plan.outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_recounted_clock_shows_the_plan_it_followed() {
        let day = |d| Utc.with_ymd_and_hms(2026, 10, d, 16, 0, 0).unwrap();
        let plan = RecountPlan {
            outcome: RecountOutcome::Kept,
            provisional_due: day(9),
            official_due: day(8),
            due: day(9),
            write: None,
            parties: vec!["t1".into()],
            sealed: false,
        };
        let shown = RecountedClock::of(ClockKind::ObjectionAnswer, "p1".into(), "o1".into(), "r1".into(), &plan);
        assert_eq!(
            (shown.kind, shown.project_id.as_str(), shown.subject_id.as_str()),
            (ClockKind::ObjectionAnswer, "p1", "o1")
        );
        assert_eq!((shown.rule_id.as_str(), shown.outcome), ("r1", RecountOutcome::Kept));
        assert_eq!((shown.provisional_due, shown.official_due, shown.due), (day(9), day(8), day(9)));
    }
}
