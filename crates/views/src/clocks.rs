//! Response and request bodies of clocks (see `ggzy_service::clocks` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_oversight::clocks::{ClockOwner, Recounted};
use ggzy_oversight::lifecycle::{ClockKind, RecountOutcome};
use ggzy_store::projects::ProjectRow;
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
    /// A recounted clock as the loader's answer lists it.
    pub fn of(recounted: &Recounted) -> Self {
        let Recounted { running, plan } = recounted;
        RecountedClock {
            kind: running.clock.kind,
            project_id: running.project_id.clone(),
            subject_id: running.subject_id.clone(),
            rule_id: running.rule_id.clone(),
            provisional_due: plan.provisional_due,
            official_due: plan.official_due,
            due: plan.due,
            outcome: plan.outcome,
        }
    }
}

/// The project a running clock belongs to, as its recount needs it.
pub fn clock_owner(project: &ProjectRow) -> ClockOwner<'_> {
    ClockOwner {
        project_id: &project.id,
        rule_set_version: project.rule_set_version,
        tenderer: &project.tenderer_id,
        regulator: project.regulator_id.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ggzy_oversight::clocks::{RecountPlan, RunningClock};

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
        let owner = ClockOwner { project_id: "p1", rule_set_version: 1, tenderer: "t1", regulator: None };
        let span = (day(1), day(9));
        let running = RunningClock::new(ClockKind::ObjectionAnswer, owner, "o1", "r1", span, Some("b1"), false);
        let shown = RecountedClock::of(&Recounted { running, plan });
        assert_eq!(
            (shown.kind, shown.project_id.as_str(), shown.subject_id.as_str()),
            (ClockKind::ObjectionAnswer, "p1", "o1")
        );
        assert_eq!((shown.rule_id.as_str(), shown.outcome), ("r1", RecountOutcome::Kept));
        assert_eq!((shown.provisional_due, shown.official_due, shown.due), (day(9), day(8), day(9)));
    }
}
