//! The deadline watch: a running clock as the watch shows it (due moment, overdue, counted
//! provisionally through a year whose official holidays are not loaded), which clocks of a
//! complaint and of a section's result run, the watch's order (soonest first) with its
//! cursor, what a request for a page asks, and which clocks a page shows.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};
use ggzy_rules::rule_ids;
use serde::Serialize;
use utoipa::ToSchema;

use crate::lifecycle::{ClockKind, ComplaintStatus};

/// A running clock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunningDeadline {
    /// objection_answer, complaint_acceptance, complaint_decision, bond_refund,
    /// candidate_publicity or contract_signing.
    pub kind: ClockKind,
    pub project_id: String,
    pub project_code: String,
    /// The industry regulator of the project.
    pub regulator_id: Option<String>,
    /// What the clock is about (objection, complaint, bond or section id).
    pub subject_id: String,
    pub rule_id: String,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    /// True when the due moment was counted through a year whose official holiday
    /// arrangement is not loaded (it may still move when it is).
    pub provisional: bool,
    /// The years counted provisionally; empty when `provisional` is false.
    pub provisional_years: Vec<i32>,
}

/// The project a clock runs in, as the watch names it.
#[derive(Debug, Clone, Copy)]
pub struct ClockProject<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub regulator_id: Option<&'a str>,
}

/// One clock: what it is about, under which rule, from which moment (if known) to its due
/// moment.
#[derive(Debug, Clone)]
pub struct Clock {
    pub kind: ClockKind,
    pub subject_id: String,
    pub rule_id: String,
    pub started: Option<DateTime<Utc>>,
    pub due: DateTime<Utc>,
}

impl RunningDeadline {
    /// The clock as it stands at `now`: overdue from its due moment on; provisional when
    /// its count from `started` to `due` crossed a year not in `official`.
    pub fn at(project: ClockProject<'_>, clock: Clock, now: DateTime<Utc>, official: &[i32]) -> RunningDeadline {
        let provisional_years =
            clock.started.map(|from| ggzy_kernel::provisional_span(official, from, clock.due)).unwrap_or_default();
        RunningDeadline {
            kind: clock.kind,
            project_id: project.id.to_owned(),
            project_code: project.code.to_owned(),
            regulator_id: project.regulator_id.map(str::to_owned),
            subject_id: clock.subject_id,
            rule_id: clock.rule_id,
            due: clock.due,
            overdue: now >= clock.due,
            provisional: !provisional_years.is_empty(),
            provisional_years,
        }
    }
}

/// A complaint as its clocks see it.
#[derive(Debug, Clone)]
pub struct ComplaintStanding {
    pub id: String,
    pub status: ComplaintStatus,
    pub filed_at: DateTime<Utc>,
    pub acceptance_due: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// The rule of its decision clock and, unless a pause stops it, its due moment.
    pub decision_rule: String,
    pub decision_due: Option<DateTime<Utc>>,
}

/// The clocks of a complaint that run: its acceptance review while it awaits acceptance,
/// and its decision unless a pause stops it (counted from the acceptance, or from receipt
/// when it needs none).
pub fn complaint_clocks(complaint: ComplaintStanding) -> Vec<Clock> {
    let mut clocks = Vec::new();
    if crate::clocks::acceptance_runs(complaint.status) {
        clocks.push(Clock {
            kind: ClockKind::ComplaintAcceptance,
            subject_id: complaint.id.clone(),
            rule_id: rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE.into(),
            started: Some(complaint.filed_at),
            due: complaint.acceptance_due,
        });
    }
    if let Some(due) = complaint.decision_due {
        clocks.push(Clock {
            kind: ClockKind::ComplaintDecision,
            subject_id: complaint.id,
            rule_id: complaint.decision_rule,
            started: Some(complaint.accepted_at.unwrap_or(complaint.filed_at)),
            due,
        });
    }
    clocks
}

/// A section's result as its clocks see it.
#[derive(Debug, Clone)]
pub struct ResultStanding {
    pub section_id: String,
    pub contract_signed: bool,
    pub winner_named: bool,
    pub publicity_start: DateTime<Utc>,
    pub publicity_end: DateTime<Utc>,
    pub awarded_at: Option<DateTime<Utc>>,
}

impl ResultStanding {
    /// The candidates' publicity, while it lasts and no winner is named yet.
    pub fn candidate_publicity(&self, now: DateTime<Utc>) -> Option<Clock> {
        (!self.contract_signed && !self.winner_named && now < self.publicity_end).then(|| Clock {
            kind: ClockKind::CandidatePublicity,
            subject_id: self.section_id.clone(),
            rule_id: rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY.into(),
            started: Some(self.publicity_start),
            due: self.publicity_end,
        })
    }

    /// The moment the contract signing window opened (the award), while the contract is
    /// not signed.
    pub fn awaits_contract(&self) -> Option<DateTime<Utc>> {
        self.awarded_at.filter(|_| !self.contract_signed)
    }

    /// The contract signing clock from the award, under `rule_id`, due at `due`.
    pub fn contract_signing(&self, awarded_at: DateTime<Utc>, rule_id: String, due: DateTime<Utc>) -> Clock {
        Clock {
            kind: ClockKind::ContractSigning,
            subject_id: self.section_id.clone(),
            rule_id,
            started: Some(awarded_at),
            due,
        }
    }
}

/// Where a clock stands in the watch's order (soonest first; then kind and subject, so that
/// the order is total) and the text of that position as a cursor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WatchCursor {
    due_micros: i64,
    kind: &'static str,
    subject_id: String,
}

impl WatchCursor {
    pub fn of(clock: &RunningDeadline) -> WatchCursor {
        WatchCursor {
            due_micros: clock.due.timestamp_micros(),
            kind: clock.kind.as_str(),
            subject_id: clock.subject_id.clone(),
        }
    }

    /// The cursor a page gave as `next_cursor`; none for any other text.
    pub fn parse(text: &str) -> Option<WatchCursor> {
        let mut parts = text.splitn(3, '.');
        let due_micros = parts.next()?.parse().ok()?;
        let kind = ClockKind::parse(parts.next()?)?.as_str();
        let subject_id = parts.next().filter(|s| !s.is_empty())?.to_owned();
        Some(WatchCursor { due_micros, kind, subject_id })
    }
}

impl std::fmt::Display for WatchCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.due_micros, self.kind, self.subject_id)
    }
}

/// Which clocks a page of the watch shows.
#[derive(Debug, Clone, Default)]
pub struct WatchFilter {
    /// The department whose projects' clocks are shown (an industry regulator's own).
    pub department: Option<String>,
    pub project_id: Option<String>,
    pub overdue: Option<bool>,
    pub kind: Option<ClockKind>,
    /// Only clocks after this position.
    pub after: Option<WatchCursor>,
}

impl WatchFilter {
    fn shows(&self, clock: &RunningDeadline) -> bool {
        self.department.as_ref().is_none_or(|d| clock.regulator_id.as_ref() == Some(d))
            && self.project_id.as_ref().is_none_or(|p| &clock.project_id == p)
            && self.overdue.is_none_or(|o| clock.overdue == o)
            && self.kind.is_none_or(|k| clock.kind == k)
            && self.after.as_ref().is_none_or(|a| WatchCursor::of(clock) > *a)
    }
}

/// What a request for a page of the watch asks, read: the kind of clock, where the last
/// page ended and how many clocks a page holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchPageRequest {
    pub kind: Option<ClockKind>,
    pub after: Option<WatchCursor>,
    pub limit: usize,
}

/// Reads `kind`, `after` (a `next_cursor` of an earlier page) and `limit`; every problem at
/// once.
pub fn read_page(
    kind: Option<&str>,
    after: Option<&str>,
    limit: Option<u32>,
) -> Result<WatchPageRequest, Vec<FieldError>> {
    let mut problems = Vec::new();
    let kind = kind.and_then(|k| read::closed::<ClockKind>(&mut problems, "kind", k));
    let after = after.and_then(|text| {
        let parsed = WatchCursor::parse(text);
        if parsed.is_none() {
            problems.push(FieldError::new("after", "unknown_cursor", "不是上一页给出的 next_cursor"));
        }
        parsed
    });
    let page = PageRequest::new(None, limit).map_err(|e| problems.push(e)).ok();
    if !problems.is_empty() {
        return Err(problems);
    }
    let limit = page.map_or(PageRequest::DEFAULT_LIMIT, |p| p.limit) as usize;
    Ok(WatchPageRequest { kind, after, limit })
}

/// One page of the watch: the clocks the filter shows, soonest first, at most `limit`
/// (at least one), and the cursor of the next page when there is more.
pub fn page(
    mut clocks: Vec<RunningDeadline>,
    filter: &WatchFilter,
    limit: usize,
) -> (Vec<RunningDeadline>, Option<String>) {
    let limit = limit.max(1);
    clocks.retain(|clock| filter.shows(clock));
    clocks.sort_by_key(WatchCursor::of);
    let next_cursor = (clocks.len() > limit).then(|| WatchCursor::of(&clocks[limit - 1]).to_string());
    clocks.truncate(limit);
    (clocks, next_cursor)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).single().expect("a valid moment")
    }

    fn clock(kind: ClockKind, subject: &str, due: DateTime<Utc>) -> Clock {
        Clock { kind, subject_id: subject.into(), rule_id: "rule".into(), started: Some(at(1, 0)), due }
    }

    fn project(id: &'static str, regulator: Option<&'static str>) -> ClockProject<'static> {
        ClockProject { id, code: "MY-1", regulator_id: regulator }
    }

    fn running(subject: &str, kind: ClockKind, due: DateTime<Utc>) -> RunningDeadline {
        RunningDeadline::at(project("p-1", Some("zjw")), clock(kind, subject, due), at(10, 0), &[2026, 2027])
    }

    #[test]
    fn a_clock_is_overdue_from_its_due_moment_on() {
        let now = at(10, 0);
        let due_now = RunningDeadline::at(project("p", None), clock(ClockKind::BondRefund, "b", now), now, &[2026]);
        assert!(due_now.overdue);
        let later = RunningDeadline::at(
            project("p", None),
            clock(ClockKind::BondRefund, "b", now + chrono::Duration::seconds(1)),
            now,
            &[2026],
        );
        assert!(!later.overdue);
    }

    #[test]
    fn a_count_through_a_year_not_loaded_is_provisional() {
        let due = Utc.with_ymd_and_hms(2027, 1, 8, 0, 0, 0).single().expect("a valid moment");
        let counted =
            RunningDeadline::at(project("p", None), clock(ClockKind::ObjectionAnswer, "o", due), at(2, 0), &[2026]);
        assert_eq!(counted.provisional_years, vec![2027]);
        assert!(counted.provisional);
        let loaded = RunningDeadline::at(
            project("p", None),
            clock(ClockKind::ObjectionAnswer, "o", due),
            at(2, 0),
            &[2026, 2027],
        );
        assert!(loaded.provisional_years.is_empty() && !loaded.provisional);
        let unknown_start = RunningDeadline::at(
            project("p", None),
            Clock { started: None, ..clock(ClockKind::BondRefund, "b", due) },
            at(2, 0),
            &[2026],
        );
        assert!(!unknown_start.provisional);
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let clock = running("s-1", ClockKind::ContractSigning, at(20, 3));
        let cursor = WatchCursor::of(&clock);
        assert_eq!(WatchCursor::parse(&cursor.to_string()), Some(cursor));
        for text in ["", "x.contract_signing.s-1", "1.unknown_kind.s-1", "1.contract_signing.", "1.contract_signing"] {
            assert_eq!(WatchCursor::parse(text), None, "{text}");
        }
    }

    #[test]
    fn pages_run_soonest_first_and_miss_nothing() {
        let clocks = vec![
            running("c", ClockKind::BondRefund, at(20, 0)),
            running("a", ClockKind::ObjectionAnswer, at(12, 0)),
            running("b", ClockKind::BondRefund, at(12, 0)),
            running("d", ClockKind::ComplaintDecision, at(5, 0)),
        ];
        let mut seen = Vec::new();
        let mut filter = WatchFilter::default();
        loop {
            let (page, next) = page(clocks.clone(), &filter, 2);
            seen.extend(page.iter().map(|c| c.subject_id.clone()));
            match next {
                Some(cursor) => filter.after = WatchCursor::parse(&cursor),
                None => break,
            }
        }
        // Same due moment: ordered by kind's text, so bond_refund before objection_answer.
        assert_eq!(seen, vec!["d", "b", "a", "c"]);
    }

    #[test]
    fn the_filter_narrows_by_department_project_overdue_and_kind() {
        let mut other = running("x", ClockKind::BondRefund, at(20, 0));
        other.regulator_id = Some("fgw".into());
        other.project_id = "p-2".into();
        let clocks = vec![running("d", ClockKind::ComplaintDecision, at(5, 0)), other];
        let only = |filter: WatchFilter| -> Vec<String> {
            page(clocks.clone(), &filter, 50).0.into_iter().map(|c| c.subject_id).collect()
        };
        assert_eq!(only(WatchFilter { department: Some("fgw".into()), ..WatchFilter::default() }), vec!["x"]);
        assert_eq!(only(WatchFilter { project_id: Some("p-1".into()), ..WatchFilter::default() }), vec!["d"]);
        assert_eq!(only(WatchFilter { overdue: Some(true), ..WatchFilter::default() }), vec!["d"]);
        assert_eq!(only(WatchFilter { kind: Some(ClockKind::BondRefund), ..WatchFilter::default() }), vec!["x"]);
        assert_eq!(page(clocks.clone(), &WatchFilter::default(), 50).1, None);
    }

    fn complaint(status: ComplaintStatus, accepted: Option<u32>, decision_due: Option<u32>) -> ComplaintStanding {
        ComplaintStanding {
            id: "c".into(),
            status,
            filed_at: at(1, 2),
            acceptance_due: at(6, 16),
            accepted_at: accepted.map(|day| at(day, 2)),
            decision_rule: "decision".into(),
            decision_due: decision_due.map(|day| at(day, 16)),
        }
    }

    #[test]
    fn a_complaint_runs_its_acceptance_until_accepted_and_its_decision_unless_paused() {
        use ComplaintStatus::*;
        type Shown = (ClockKind, String, Option<DateTime<Utc>>, DateTime<Utc>);
        let shown = |c: ComplaintStanding| -> Vec<Shown> {
            complaint_clocks(c).into_iter().map(|c| (c.kind, c.rule_id, c.started, c.due)).collect()
        };
        let acceptance = (
            ClockKind::ComplaintAcceptance,
            rule_ids::CONSTRUCTION_COMPLAINT_ACCEPTANCE.to_owned(),
            Some(at(1, 2)),
            at(6, 16),
        );
        let table: &[(ComplaintStanding, Vec<Shown>)] = &[
            (complaint(Received, None, None), vec![acceptance.clone()]),
            (
                complaint(Received, None, Some(20)),
                vec![acceptance, (ClockKind::ComplaintDecision, "decision".into(), Some(at(1, 2)), at(20, 16))],
            ),
            (
                complaint(Accepted, Some(3), Some(25)),
                vec![(ClockKind::ComplaintDecision, "decision".into(), Some(at(3, 2)), at(25, 16))],
            ),
            (complaint(Accepted, Some(3), None), vec![]),
            (complaint(Rejected, None, None), vec![]),
        ];
        for (standing, expected) in table {
            assert_eq!(&shown(standing.clone()), expected, "{:?}", standing.status);
        }
    }

    fn result(signed: bool, winner: bool, awarded: Option<u32>) -> ResultStanding {
        ResultStanding {
            section_id: "s".into(),
            contract_signed: signed,
            winner_named: winner,
            publicity_start: at(1, 2),
            publicity_end: at(4, 16),
            awarded_at: awarded.map(|day| at(day, 2)),
        }
    }

    #[test]
    fn a_results_publicity_runs_until_its_end_and_its_contract_until_signed() {
        let during = at(2, 0);
        let after = at(5, 0);
        type Case = (ResultStanding, DateTime<Utc>, bool, Option<DateTime<Utc>>);
        let table: &[Case] = &[
            (result(false, false, None), during, true, None),
            (result(false, false, None), after, false, None),
            (result(false, true, Some(6)), during, false, Some(at(6, 2))),
            (result(true, true, Some(6)), during, false, None),
            (result(true, false, None), during, false, None),
        ];
        for (standing, now, publicity, contract) in table {
            let clock = standing.candidate_publicity(*now);
            assert_eq!(clock.is_some(), *publicity, "{standing:?} at {now}");
            if let Some(clock) = clock {
                assert_eq!(clock.rule_id, rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY);
                assert_eq!((clock.started, clock.due), (Some(at(1, 2)), at(4, 16)));
            }
            assert_eq!(standing.awaits_contract(), *contract, "{standing:?}");
        }
        let signing = result(false, true, Some(6)).contract_signing(at(6, 2), "signing".into(), at(30, 16));
        assert_eq!((signing.kind, signing.subject_id.as_str()), (ClockKind::ContractSigning, "s"));
    }

    #[test]
    fn a_request_for_a_page_names_every_problem() {
        let cursor = WatchCursor::of(&running("s-1", ClockKind::ContractSigning, at(20, 3))).to_string();
        let read = read_page(Some("bond_refund"), Some(&cursor), Some(10)).unwrap();
        assert_eq!(read.kind, Some(ClockKind::BondRefund));
        assert_eq!(read.after, WatchCursor::parse(&cursor));
        assert_eq!(read.limit, 10);
        assert_eq!(read_page(None, None, None).map(|r| r.limit), Ok(PageRequest::DEFAULT_LIMIT as usize));
        let codes = |kind, after, limit| -> Vec<(String, String)> {
            read_page(kind, after, limit).err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
        };
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(
            codes(Some("nap"), Some("x"), Some(0)),
            vec![pair("kind", "unknown_value"), pair("after", "unknown_cursor"), pair("limit", "limit_out_of_range")]
        );
        assert_eq!(codes(None, None, Some(201)), vec![pair("limit", "limit_out_of_range")]);
    }
}
