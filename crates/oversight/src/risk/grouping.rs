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
    pub project_ids: Vec<String>,
    pub section_ids: Vec<String>,
    pub bidders: Vec<String>,
}

/// What to write for a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertChange {
    /// A new alert; of an existing group when that group's alerts are closed.
    Raise { finding: RiskFinding, group_id: Option<String> },
    /// The open alert `id` now covers the finding: its lists are the union, its evidence
    /// the finding's.
    Extend { id: String, merged: RiskFinding },
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
    }
    let mut slots: Vec<Slot> =
        known.iter().map(|alert| Slot { alert: alert.clone(), raised: None, changed: None }).collect();
    for finding in findings {
        let group: Vec<usize> = (0..slots.len()).filter(|&i| belongs(&finding, &slots[i].alert)).collect();
        if group.iter().any(|&i| {
            within(&finding.section_ids, &slots[i].alert.section_ids)
                && within(&finding.bidders, &slots[i].alert.bidders)
        }) {
            continue;
        }
        if let Some(&open) = group.iter().find(|&&i| slots[i].alert.open) {
            let slot = &mut slots[open];
            let merged = RiskFinding {
                project_ids: union(&slot.alert.project_ids, &finding.project_ids),
                section_ids: union(&slot.alert.section_ids, &finding.section_ids),
                bidders: union(&slot.alert.bidders, &finding.bidders),
                ..finding
            };
            slot.alert.project_ids.clone_from(&merged.project_ids);
            slot.alert.section_ids.clone_from(&merged.section_ids);
            slot.alert.bidders.clone_from(&merged.bidders);
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
                project_ids: finding.project_ids.clone(),
                section_ids: finding.section_ids.clone(),
                bidders: finding.bidders.clone(),
            },
            raised: Some(group_id),
            changed: Some(finding),
        });
    }
    slots
        .into_iter()
        .filter_map(|slot| {
            let finding = slot.changed?;
            Some(match slot.raised {
                Some(group_id) => AlertChange::Raise { finding, group_id },
                None => AlertChange::Extend { id: slot.alert.id, merged: finding },
            })
        })
        .collect()
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
            project_ids: finding.project_ids.clone(),
            section_ids: finding.section_ids.clone(),
            bidders: finding.bidders.clone(),
        }
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
        assert_eq!(changes, vec![AlertChange::Extend { id: "x".into(), merged: grown.clone() }]);
        // Nothing new: nothing to write.
        assert!(reconcile(&[known("x", true, &grown)], vec![first]).is_empty());
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
