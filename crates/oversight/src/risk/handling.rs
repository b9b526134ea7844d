//! A regulator's handling of a collusion risk alert, and the platform's own step when it
//! merges an alert into another of its ring: the request read, the move from one status to
//! the next with the step it adds to the alert's handling, the violation case a
//! confirmation opens against each bidder, and where an alert points its reader. No I/O.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Indicator;
use crate::conduct::Subject;
use crate::lifecycle::AlertStatus;
use crate::violation::{CaseValues, Evidence};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlertStep {
    pub at: DateTime<Utc>,
    pub by: String,
    pub status: AlertStatus,
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleAlert {
    /// investigating, dismissed or confirmed (confirmed opens a violation case per bidder).
    #[schema(required = true, value_type = AlertStatus)]
    pub status: Option<String>,
    #[schema(required = true, value_type = String)]
    pub note: Option<String>,
}

/// Reads a handling: the status a regulator moves the alert to (never `open` or `merged`,
/// which only the platform sets) and its note, every problem named at once.
pub fn read_handling(request: HandleAlert) -> Result<(AlertStatus, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = read::required(&mut problems, "status", request.status).and_then(|s| {
        match read::closed::<AlertStatus>(&mut problems, "status", &s) {
            Some(AlertStatus::Open | AlertStatus::Merged) => {
                problems.push(FieldError::new("status", "unknown_value", "可选：investigating、dismissed、confirmed"));
                None
            }
            other => other,
        }
    });
    let note = read::required_text(&mut problems, "note", request.note, 2000);
    match (status, note) {
        (Some(status), Some(note)) if problems.is_empty() => Ok((status, note)),
        _ => Err(problems),
    }
}

/// The status an alert may not leave for the one asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlingRefusal {
    pub current: AlertStatus,
}

impl HandlingRefusal {
    pub fn detail(self) -> String {
        format!("预警已是 {} 状态", self.current)
    }
}

/// A handling decided: the new status, the handling with its new step last, and whether
/// a violation case is opened against each bidder (a confirmation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub status: AlertStatus,
    pub handling: Vec<AlertStep>,
    pub opens_cases: bool,
}

/// A regulator (`by`, its department) moves an alert from `current` to `to` at `now` with
/// `note`: refused when [`AlertStatus::handle`] does not allow it.
pub fn handle(
    current: AlertStatus,
    mut handling: Vec<AlertStep>,
    to: AlertStatus,
    note: String,
    by: String,
    now: DateTime<Utc>,
) -> Result<Handled, HandlingRefusal> {
    let status = current.handle(to).ok_or(HandlingRefusal { current })?;
    handling.push(AlertStep { at: now, by, status, note });
    Ok(Handled { status, handling, opens_cases: status == AlertStatus::Confirmed })
}

/// The alert as a confirmation reads it to open its cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedAlert<'a> {
    pub id: &'a str,
    pub indicator: Indicator,
    pub project_ids: &'a [String],
    pub bidders: &'a [String],
    pub evidence: &'a str,
    /// SHA-256 of the alert's fingerprint and evidence: the document the cases cite.
    pub evidence_sha256: &'a str,
}

/// The violation case a confirmed alert opens against each of its bidders, in the alert's
/// order: on its first project, for the prohibited conduct its indicator breaches, with
/// the regulator's `note` after the alert's evidence.
pub fn cases_of(alert: &ConfirmedAlert<'_>, note: &str) -> Vec<CaseValues> {
    alert
        .bidders
        .iter()
        .map(|bidder| CaseValues {
            project_id: alert.project_ids.first().cloned(),
            subject: Subject::Bidder,
            subject_id: bidder.clone(),
            codes: vec![alert.indicator.conduct_code().into()],
            description: format!("围标串标风险预警（{}）经核实：{}。{}", alert.indicator, alert.evidence, note),
            evidence: vec![Evidence {
                name: format!("风险预警 {}", alert.id),
                sha256: alert.evidence_sha256.to_owned(),
            }],
        })
        .collect()
}

/// The platform's step when it merges an alert into `into`, the alert of its ring.
pub fn merged_step(into: &str, now: DateTime<Utc>) -> AlertStep {
    AlertStep {
        at: now,
        by: "platform".into(),
        status: AlertStatus::Merged,
        note: format!("并入同一团伙的预警 {into}"),
    }
}

/// The platform's step merging an alert in `status` into `into`: none when a regulator has
/// taken the alert up meanwhile (one under investigation, or decided, is not merged away).
pub fn merge(status: AlertStatus, into: &str, now: DateTime<Utc>) -> Option<AlertStep> {
    status.untouched().then(|| merged_step(into, now))
}

/// Where to look: the projects, the sections' opening records and the bidders.
pub fn links(project_ids: &[String], section_ids: &[String], bidders: &[String]) -> Vec<String> {
    project_ids
        .iter()
        .map(|p| format!("/api/v1/projects/{p}"))
        .chain(section_ids.iter().map(|s| format!("/api/v1/public/sections/{s}/opening-record")))
        .chain(bidders.iter().map(|b| format!("/api/v1/participants/{b}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request(status: Option<&str>, note: Option<&str>) -> HandleAlert {
        HandleAlert { status: status.map(str::to_owned), note: note.map(str::to_owned) }
    }

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    #[test]
    fn only_an_alert_nobody_took_up_is_merged_away() {
        let now = Utc.with_ymd_and_hms(2026, 11, 3, 2, 0, 0).unwrap();
        let cases = [
            (AlertStatus::Open, true),
            (AlertStatus::Investigating, false),
            (AlertStatus::Dismissed, false),
            (AlertStatus::Confirmed, false),
            (AlertStatus::Merged, false),
        ];
        for (status, merged) in cases {
            let step = merge(status, "a2", now);
            assert_eq!(step.is_some(), merged, "{status}");
            if let Some(step) = step {
                assert_eq!((step.status, step.by.as_str(), step.at), (AlertStatus::Merged, "platform", now));
                assert_eq!(step.note, "并入同一团伙的预警 a2");
            }
        }
    }

    #[test]
    fn a_handling_names_a_regulators_status_and_a_note() {
        assert_eq!(
            read_handling(request(Some("confirmed"), Some("  属实 "))),
            Ok((AlertStatus::Confirmed, "属实".to_owned()))
        );
        // Both missing: both named, status first.
        assert_eq!(
            codes(&read_handling(request(None, None)).unwrap_err()),
            vec![("status", "required"), ("note", "required")]
        );
        // The platform's statuses are refused as unknown, listing the regulator's three.
        for platform_only in ["open", "merged"] {
            let problems = read_handling(request(Some(platform_only), Some("x"))).unwrap_err();
            assert_eq!(codes(&problems), vec![("status", "unknown_value")]);
            assert_eq!(problems[0].message, "可选：investigating、dismissed、confirmed");
        }
        let problems = read_handling(request(Some("closed"), Some(" "))).unwrap_err();
        assert_eq!(codes(&problems), vec![("status", "unknown_value"), ("note", "blank")]);
        assert!(problems[0].message.contains("merged"), "an unknown word lists every status");
        let long = "字".repeat(2001);
        assert_eq!(
            codes(&read_handling(request(Some("dismissed"), Some(&long))).unwrap_err()),
            vec![("note", "too_long")]
        );
        assert!(read_handling(request(Some("dismissed"), Some(&"字".repeat(2000)))).is_ok());
    }

    #[test]
    fn a_handling_adds_its_step_and_a_confirmation_opens_cases() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let earlier = AlertStep { at: now, by: "d0".into(), status: AlertStatus::Investigating, note: "查".into() };
        let handled = handle(
            AlertStatus::Investigating,
            vec![earlier.clone()],
            AlertStatus::Confirmed,
            "属实".into(),
            "d1".into(),
            now,
        )
        .unwrap();
        assert_eq!(handled.status, AlertStatus::Confirmed);
        assert!(handled.opens_cases);
        assert_eq!(
            handled.handling,
            vec![earlier, AlertStep { at: now, by: "d1".into(), status: AlertStatus::Confirmed, note: "属实".into() }]
        );
        let looked_into =
            handle(AlertStatus::Open, vec![], AlertStatus::Investigating, "n".into(), "d".into(), now).unwrap();
        assert!(!looked_into.opens_cases);
        assert!(
            !handle(AlertStatus::Open, vec![], AlertStatus::Dismissed, "n".into(), "d".into(), now)
                .unwrap()
                .opens_cases
        );
        let refused = handle(AlertStatus::Dismissed, vec![], AlertStatus::Confirmed, "n".into(), "d".into(), now);
        assert_eq!(refused, Err(HandlingRefusal { current: AlertStatus::Dismissed }));
        assert_eq!(refused.unwrap_err().detail(), "预警已是 dismissed 状态");
        assert_eq!(
            handle(AlertStatus::Investigating, vec![], AlertStatus::Investigating, "n".into(), "d".into(), now),
            Err(HandlingRefusal { current: AlertStatus::Investigating })
        );
    }

    #[test]
    fn a_confirmation_opens_one_case_per_bidder_on_the_first_project() {
        let projects = vec!["p1".to_owned(), "p2".to_owned()];
        let bidders = vec!["b1".to_owned(), "b2".to_owned()];
        let alert = ConfirmedAlert {
            id: "a1",
            indicator: Indicator::ControlRelation,
            project_ids: &projects,
            bidders: &bidders,
            evidence: "控股",
            evidence_sha256: "ab",
        };
        let cases = cases_of(&alert, "属实");
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[1].subject_id, "b2");
        assert_eq!(cases[0].project_id.as_deref(), Some("p1"));
        assert_eq!(cases[0].subject, Subject::Bidder);
        assert_eq!(cases[0].codes, vec!["24.8".to_owned()]);
        assert_eq!(cases[0].description, "围标串标风险预警（control_relation）经核实：控股。属实");
        assert_eq!(cases[0].evidence, vec![Evidence { name: "风险预警 a1".into(), sha256: "ab".into() }]);
        let collusion = ConfirmedAlert { indicator: Indicator::SameDevice, project_ids: &[], ..alert };
        let cases = cases_of(&collusion, "n");
        assert_eq!(cases[0].codes, vec!["24.1".to_owned()]);
        assert_eq!(cases[0].project_id, None);
    }

    #[test]
    fn a_merge_is_the_platforms_step_and_links_point_at_each_object() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        assert_eq!(
            merged_step("a9", now),
            AlertStep {
                at: now,
                by: "platform".into(),
                status: AlertStatus::Merged,
                note: "并入同一团伙的预警 a9".into()
            }
        );
        assert_eq!(
            links(&["p".into()], &["s".into()], &["b1".into(), "b2".into()]),
            vec![
                "/api/v1/projects/p",
                "/api/v1/public/sections/s/opening-record",
                "/api/v1/participants/b1",
                "/api/v1/participants/b2"
            ]
        );
        assert!(links(&[], &[], &[]).is_empty());
    }
}
