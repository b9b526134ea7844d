//! One alert per ring. A ring is seen in parts: the first awards show two of its members,
//! later awards and rescans show more of it. A finding that belongs to the group of an
//! alert already raised extends that alert (its sections, bidders and evidence) instead of
//! raising a partial duplicate; every alert of a group carries the group's identity.
//!
//! Belonging: the same indicator and at least two bidders in common; for the indicators of
//! one section, also a section in common (two bidders sharing a device in two tenders are
//! two findings, a ring rotating across tenders is one).

use super::{sorted_unique, Indicator, RiskFinding};

/// An alert as the grouping needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAlert {
    pub id: String,
    pub group_id: String,
    pub indicator: Indicator,
    /// Open or under investigation: still extended. A closed alert (confirmed or
    /// dismissed) stays as it was decided; what is new of its group is a new alert.
    pub open: bool,
    /// Open and not yet taken up by a regulator: may be merged into another alert of its
    /// ring. One under investigation is not merged away.
    pub untouched: bool,
    pub project_ids: Vec<String>,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
    pub evidence: String,
}

/// What to write for a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertChange {
    /// A new alert; of an existing group when that group's alerts are closed.
    Raise { finding: RiskFinding, group_id: Option<String> },
    /// The open alert `id` now covers the finding: its lists are the union, its evidence
    /// the finding's first, then what it said before.
    Extend { id: String, merged: RiskFinding },
    /// The open alert `id` was a part of the ring of alert `into`, which now covers it.
    Merge { id: String, into: String },
}

/// Evidence lines kept on an alert that grows: the newest first, no repeats.
const EVIDENCE_LINES: usize = 8;

fn merged_evidence(newest: &str, before: &str) -> String {
    let mut lines: Vec<&str> = vec![newest];
    for line in before.lines() {
        if !line.is_empty() && !lines.contains(&line) && lines.len() < EVIDENCE_LINES {
            lines.push(line);
        }
    }
    lines.join("\n")
}

fn overlap(a: &[String], b: &[String]) -> usize {
    a.iter().filter(|x| b.contains(x)).count()
}

fn within(inner: &[String], outer: &[String]) -> bool {
    inner.iter().all(|x| outer.contains(x))
}

fn belongs(finding: &RiskFinding, alert: &KnownAlert) -> bool {
    finding.indicator == alert.indicator
        && overlap(&finding.bidders, &alert.bidders) >= 2.min(finding.bidders.len())
        && (finding.indicator.spans_sections() || overlap(&finding.section_ids, &alert.section_ids) > 0)
}

fn union(a: &[String], b: &[String]) -> Vec<String> {
    sorted_unique(a.iter().chain(b).cloned().collect())
}

/// Where an alert goes: the industry regulator of each project it concerns (`None` for a
/// project without one) and the comprehensive regulator, sorted; and its lead — the
/// project's regulator when one project is concerned, the comprehensive regulator otherwise.
pub fn routing(project_regulators: &[Option<String>], comprehensive: &str) -> (String, Vec<String>) {
    let mut departments: Vec<String> = project_regulators
        .iter()
        .map(|r| r.clone().unwrap_or_else(|| comprehensive.to_owned()))
        .chain(std::iter::once(comprehensive.to_owned()))
        .collect();
    departments.sort();
    departments.dedup();
    let lead = match project_regulators {
        [Some(one)] => one.clone(),
        _ => comprehensive.to_owned(),
    };
    (lead, departments)
}

/// An alert grown by a finding as it is stored now (read again under lock: another
/// opening or award may have grown it meanwhile): the lists united, the evidence kept.
pub fn grow(stored: &KnownAlert, finding: RiskFinding) -> RiskFinding {
    RiskFinding {
        project_ids: union(&stored.project_ids, &finding.project_ids),
        section_ids: union(&stored.section_ids, &finding.section_ids),
        bidders: union(&stored.bidders, &finding.bidders),
        evidence: merged_evidence(&finding.evidence, &stored.evidence),
        ..finding
    }
}

/// What extending an alert writes, on the alert as read again under lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extension {
    /// The alert was decided meanwhile and stays as decided: the finding is a new alert of
    /// its group.
    RaiseInGroup { finding: RiskFinding, group_id: String },
    /// The alert, still open, now stands for the finding grown by what it held.
    Grow(RiskFinding),
}

/// Extends the alert `stored` (as read again under lock) by the finding `reconcile` merged
/// into it.
pub fn extend(stored: &KnownAlert, merged: RiskFinding) -> Extension {
    if stored.open {
        Extension::Grow(grow(stored, merged))
    } else {
        Extension::RaiseInGroup { finding: merged, group_id: stored.group_id.clone() }
    }
}

/// The changes that bring the alerts up to the findings; findings already covered by an
/// alert of their group change nothing. Several findings of one group in one batch make
/// one change.
pub fn reconcile(known: &[KnownAlert], findings: Vec<RiskFinding>) -> Vec<AlertChange> {
    struct Slot {
        alert: KnownAlert,
        /// Raised in this batch (with the group it joins), not stored yet.
        raised: Option<Option<String>>,
        /// The finding the alert now stands for, when it changed.
        changed: Option<RiskFinding>,
        /// Merged into this alert (by id) in this batch.
        merged_into: Option<String>,
    }
    let mut slots: Vec<Slot> = known
        .iter()
        .map(|alert| Slot { alert: alert.clone(), raised: None, changed: None, merged_into: None })
        .collect();
    for finding in findings {
        let group: Vec<usize> = (0..slots.len()).filter(|&i| belongs(&finding, &slots[i].alert)).collect();
        if group.iter().any(|&i| {
            within(&finding.section_ids, &slots[i].alert.section_ids)
                && within(&finding.bidders, &slots[i].alert.bidders)
        }) {
            continue;
        }
        // Under investigation first: the alert a regulator works on survives; then stored
        // alerts before those raised in this batch (which have no id yet).
        let mut open: Vec<usize> = group.iter().copied().filter(|&i| slots[i].alert.open).collect();
        open.sort_by_key(|&i| (slots[i].alert.untouched, slots[i].raised.is_some()));
        if let Some((&survivor, rest)) = open.split_first() {
            let others: Vec<usize> = rest.iter().copied().filter(|&i| slots[i].alert.untouched).collect();
            // The first open alert of the ring takes the finding, and any other open alert
            // of the ring (a part seen earlier on its own) is merged into it.
            let mut merged = RiskFinding {
                project_ids: union(&slots[survivor].alert.project_ids, &finding.project_ids),
                section_ids: union(&slots[survivor].alert.section_ids, &finding.section_ids),
                bidders: union(&slots[survivor].alert.bidders, &finding.bidders),
                evidence: merged_evidence(&finding.evidence, &slots[survivor].alert.evidence),
                ..finding
            };
            let survivor_id = slots[survivor].alert.id.clone();
            for &other in &others {
                merged.project_ids = union(&merged.project_ids, &slots[other].alert.project_ids);
                merged.section_ids = union(&merged.section_ids, &slots[other].alert.section_ids);
                merged.bidders = union(&merged.bidders, &slots[other].alert.bidders);
                merged.evidence = merged_evidence(&merged.evidence, &slots[other].alert.evidence);
                slots[other].alert.open = false;
                slots[other].alert.untouched = false;
                if slots[other].raised.is_some() {
                    // Raised in this batch: not stored, so simply not raised.
                    slots[other].changed = None;
                    slots[other].raised = None;
                } else {
                    slots[other].merged_into = Some(survivor_id.clone());
                }
            }
            let slot = &mut slots[survivor];
            slot.alert.project_ids.clone_from(&merged.project_ids);
            slot.alert.section_ids.clone_from(&merged.section_ids);
            slot.alert.bidders.clone_from(&merged.bidders);
            slot.alert.evidence.clone_from(&merged.evidence);
            slot.changed = Some(merged);
            continue;
        }
        let group_id = group.first().map(|&i| slots[i].alert.group_id.clone());
        slots.push(Slot {
            alert: KnownAlert {
                id: String::new(),
                group_id: group_id.clone().unwrap_or_default(),
                indicator: finding.indicator,
                open: true,
                untouched: true,
                project_ids: finding.project_ids.clone(),
                section_ids: finding.section_ids.clone(),
                bidders: finding.bidders.clone(),
                evidence: finding.evidence.clone(),
            },
            raised: Some(group_id),
            changed: Some(finding),
            merged_into: None,
        });
    }
    // Raises and extensions first, then the merges into what they became (an alert merged
    // into one that was itself merged later in the batch joins the last one).
    let final_target = |mut into: String| -> String {
        for _ in 0..slots.len() {
            match slots.iter().find(|s| s.alert.id == into).and_then(|s| s.merged_into.clone()) {
                Some(next) => into = next,
                None => break,
            }
        }
        into
    };
    let targets: Vec<Option<String>> = slots.iter().map(|s| s.merged_into.clone().map(&final_target)).collect();
    let mut changes: Vec<AlertChange> = Vec::new();
    let mut merges: Vec<AlertChange> = Vec::new();
    for (slot, target) in slots.into_iter().zip(targets) {
        if let Some(into) = target {
            merges.push(AlertChange::Merge { id: slot.alert.id, into });
            continue;
        }
        let Some(finding) = slot.changed else { continue };
        changes.push(match slot.raised {
            Some(group_id) => AlertChange::Raise { finding, group_id },
            None => AlertChange::Extend { id: slot.alert.id, merged: finding },
        });
    }
    changes.extend(merges);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::RiskSeverity;

    fn rotation(sections: &[&str], bidders: &[&str]) -> RiskFinding {
        RiskFinding {
            indicator: Indicator::RotatingGroup,
            rule_id: "construction.collusion.deemed",
            severity: RiskSeverity::Medium,
            project_ids: vec!["p".into()],
            section_ids: sections.iter().map(|s| (*s).to_owned()).collect(),
            bidders: bidders.iter().map(|s| (*s).to_owned()).collect(),
            evidence: format!("{} sections", sections.len()),
        }
    }

    fn known(id: &str, open: bool, finding: &RiskFinding) -> KnownAlert {
        KnownAlert {
            id: id.into(),
            group_id: format!("group-{id}"),
            indicator: finding.indicator,
            open,
            untouched: open,
            project_ids: finding.project_ids.clone(),
            section_ids: finding.section_ids.clone(),
            bidders: finding.bidders.clone(),
            evidence: finding.evidence.clone(),
        }
    }

    #[test]
    fn an_alert_decided_meanwhile_is_not_extended_but_joined_by_a_new_one() {
        let before = rotation(&["s1", "s2"], &["a", "b"]);
        let finding = rotation(&["s2", "s3"], &["a", "b", "c"]);
        let open = known("x", true, &before);
        match extend(&open, finding.clone()) {
            Extension::Grow(grown) => {
                assert_eq!(grown.section_ids, ["s1", "s2", "s3"]);
                assert_eq!(grown.bidders, ["a", "b", "c"]);
                assert_eq!(grown.evidence, "2 sections");
            }
            other => panic!("an open alert grows: {other:?}"),
        }
        let decided = known("x", false, &before);
        assert_eq!(extend(&decided, finding.clone()), Extension::RaiseInGroup { finding, group_id: "group-x".into() });
    }

    #[test]
    fn a_ring_seen_in_parts_is_one_alert() {
        // Award by award: two members, then three, then four.
        let first = rotation(&["s1", "s2", "s3"], &["a", "b"]);
        let changes = reconcile(&[], vec![first.clone()]);
        assert_eq!(changes, vec![AlertChange::Raise { finding: first.clone(), group_id: None }]);
        let alert = known("x", true, &first);
        let grown = rotation(&["s1", "s2", "s3", "s4"], &["a", "b", "c"]);
        let changes = reconcile(std::slice::from_ref(&alert), vec![grown.clone()]);
        let evidence = format!("{}\n{}", grown.evidence, first.evidence);
        assert_eq!(
            changes,
            vec![AlertChange::Extend { id: "x".into(), merged: RiskFinding { evidence, ..grown.clone() } }]
        );
        // Nothing new: nothing to write.
        assert!(reconcile(&[known("x", true, &grown)], vec![first]).is_empty());
    }

    #[test]
    fn parts_raised_apart_are_merged_when_the_ring_shows() {
        // {a,b} and later {b,c} were raised apart (one bidder in common); the whole ring
        // {a,b,c} extends the first and merges the second into it.
        let ab = rotation(&["s1", "s2", "s3"], &["a", "b"]);
        let bc = rotation(&["s4", "s5", "s6"], &["b", "c"]);
        let ring = rotation(&["s1", "s2", "s3", "s4", "s5", "s6"], &["a", "b", "c"]);
        let changes = reconcile(&[known("x", true, &ab), known("y", true, &bc)], vec![ring.clone()]);
        assert_eq!(changes.len(), 2, "{changes:#?}");
        let AlertChange::Extend { id, merged } = &changes[0] else { panic!("{changes:?}") };
        assert_eq!(id, "x");
        assert_eq!(merged.bidders, vec!["a", "b", "c"]);
        assert_eq!(merged.section_ids, ring.section_ids);
        assert_eq!(changes[1], AlertChange::Merge { id: "y".into(), into: "x".into() });
        // A part under investigation is not merged away: it takes the ring, the other
        // part joins it.
        let mut investigated = known("y", true, &bc);
        investigated.untouched = false;
        let changes = reconcile(&[known("x", true, &ab), investigated], vec![ring]);
        assert!(matches!(&changes[0], AlertChange::Extend { id, .. } if id == "y"), "{changes:?}");
        assert_eq!(changes[1], AlertChange::Merge { id: "x".into(), into: "y".into() });
    }

    #[test]
    fn parts_raised_in_the_same_batch_fold_into_one_raise() {
        // {a,b} known; {c,d} raised first in the batch; then {a,b,c,d} joins both: the
        // stored alert takes the ring, the fresh raise is never written.
        let ab = rotation(&["s1", "s2", "s3"], &["a", "b"]);
        let cd = rotation(&["s4", "s5", "s6"], &["c", "d"]);
        let ring = rotation(&["s1", "s2", "s3", "s4", "s5", "s6"], &["a", "b", "c", "d"]);
        let changes = reconcile(&[known("x", true, &ab)], vec![cd, ring.clone()]);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        let AlertChange::Extend { id, merged } = &changes[0] else { panic!("{changes:?}") };
        assert_eq!(id, "x");
        assert_eq!(merged.bidders, ring.bidders);
        // Nothing names an alert without an id.
        let batch = reconcile(
            &[],
            vec![
                rotation(&["s1"], &["a", "b"]),
                rotation(&["s2"], &["c", "d"]),
                rotation(&["s1", "s2"], &["a", "b", "c", "d"]),
            ],
        );
        assert_eq!(batch.len(), 1, "{batch:#?}");
        assert!(matches!(&batch[0], AlertChange::Raise { finding, .. } if finding.bidders.len() == 4));
    }

    #[test]
    fn a_merge_names_the_alert_that_takes_the_ring_in_the_end() {
        // X and Y untouched, Z under investigation: {a,b,c,d} merges Y into X, then
        // {a,b,e,f} merges X into Z; Y must name Z, not X.
        let x = known("x", true, &rotation(&["s1"], &["a", "b"]));
        let y = known("y", true, &rotation(&["s2"], &["c", "d"]));
        let mut z = known("z", true, &rotation(&["s3"], &["e", "f"]));
        z.untouched = false;
        let changes = reconcile(
            &[x, y, z],
            vec![rotation(&["s1", "s2"], &["a", "b", "c", "d"]), rotation(&["s1", "s3"], &["a", "b", "e", "f"])],
        );
        let merges: Vec<_> = changes.iter().filter(|c| matches!(c, AlertChange::Merge { .. })).collect();
        assert_eq!(merges.len(), 2, "{changes:#?}");
        assert!(merges.iter().all(|c| matches!(c, AlertChange::Merge { into, .. } if into == "z")), "{changes:#?}");
    }

    #[test]
    fn alerts_go_to_every_regulator_and_the_comprehensive_one() {
        let (lead, departments) = routing(&[Some("zjw".into())], "gongguanban");
        assert_eq!((lead.as_str(), departments), ("zjw", vec!["gongguanban".to_owned(), "zjw".to_owned()]));
        let (lead, departments) = routing(&[Some("zjw".into()), Some("swj".into()), None], "gongguanban");
        assert_eq!(lead, "gongguanban");
        assert_eq!(departments, vec!["gongguanban", "swj", "zjw"]);
        assert_eq!(routing(&[None], "gongguanban"), ("gongguanban".into(), vec!["gongguanban".into()]));
    }

    #[test]
    fn two_parts_in_one_batch_make_one_change() {
        let changes = reconcile(&[], vec![rotation(&["s1", "s2"], &["a", "b"]), rotation(&["s3"], &["b", "c", "a"])]);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        let AlertChange::Raise { finding, .. } = &changes[0] else { panic!("{changes:?}") };
        assert_eq!(finding.section_ids, vec!["s1", "s2", "s3"]);
        assert_eq!(finding.bidders, vec!["a", "b", "c"]);
    }

    #[test]
    fn a_closed_alert_stays_and_what_is_new_joins_its_group() {
        let decided = rotation(&["s1", "s2", "s3"], &["a", "b"]);
        let more = rotation(&["s1", "s2", "s3", "s4"], &["a", "b"]);
        let changes = reconcile(&[known("x", false, &decided)], vec![more.clone()]);
        assert_eq!(changes, vec![AlertChange::Raise { finding: more, group_id: Some("group-x".into()) }]);
    }

    #[test]
    fn other_groups_and_other_sections_stay_apart() {
        let ring = rotation(&["s1", "s2", "s3"], &["a", "b"]);
        // One bidder in common is not the same ring.
        let other = rotation(&["s5", "s6", "s7"], &["b", "c"]);
        let changes = reconcile(&[known("x", true, &ring)], vec![other.clone()]);
        assert_eq!(changes, vec![AlertChange::Raise { finding: other, group_id: None }]);
        // The same two bidders sharing a device in another section: another finding.
        let device = |section: &str| RiskFinding {
            indicator: Indicator::SameDevice,
            section_ids: vec![section.into()],
            ..rotation(&[], &["a", "b"])
        };
        let changes = reconcile(&[known("y", true, &device("s1"))], vec![device("s2")]);
        assert!(matches!(&changes[..], [AlertChange::Raise { group_id: None, .. }]), "{changes:?}");
    }
}
