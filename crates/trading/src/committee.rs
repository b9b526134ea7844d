//! An evaluation committee (评标委员会) as its members see it: who sits on it after
//! recusals and replacements, and where it stands for one member.

use ggzy_kernel::closed_enum;

closed_enum! {
    /// Where a committee the expert sits on stands, as far as the expert is concerned.
    pub enum CommitteeState {
        /// 待评分: the expert has not submitted its scores.
        AwaitingScores = "awaiting_scores",
        /// 已评分: the expert's scores are in; the committee's report is not yet recorded.
        Scored = "scored",
        /// 评标报告已形成: the committee's evaluation report is recorded.
        Reported = "reported",
    }
}

impl CommitteeState {
    /// The state for one member: the report decides it once recorded, whatever the
    /// member did; before it, whether the member's scores are in.
    pub fn of(report_recorded: bool, scores_submitted: bool) -> Self {
        match (report_recorded, scores_submitted) {
            (true, _) => CommitteeState::Reported,
            (false, true) => CommitteeState::Scored,
            (false, false) => CommitteeState::AwaitingScores,
        }
    }
}

/// A recusal at a draw: the expert who stood down and who replaced it, if anyone could.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recusal<'a> {
    pub expert_id: &'a str,
    pub replacement: Option<&'a str>,
}

/// Who sits on a drawn committee: the recusals applied in the order they were made to
/// those selected — each one's expert leaves, its replacement joins at the end — so a
/// replacement who later stands down leaves too.
pub fn seated(selected: &[String], recusals: &[Recusal<'_>]) -> Vec<String> {
    let mut members: Vec<String> = selected.to_vec();
    for recusal in recusals {
        members.retain(|member| member != recusal.expert_id);
        if let Some(replacement) = recusal.replacement {
            members.push(replacement.to_owned());
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_report_decides_the_state_once_recorded() {
        assert_eq!(CommitteeState::of(false, false), CommitteeState::AwaitingScores);
        assert_eq!(CommitteeState::of(false, true), CommitteeState::Scored);
        assert_eq!(CommitteeState::of(true, true), CommitteeState::Reported);
        // A member who never scored still sees the committee as reported.
        assert_eq!(CommitteeState::of(true, false), CommitteeState::Reported);
    }

    #[test]
    fn recused_experts_leave_and_replacements_join_in_order() {
        let selected = ids(&["a", "b", "c", "d", "e"]);
        assert_eq!(seated(&selected, &[]), selected);
        let recusals = [
            Recusal { expert_id: "b", replacement: Some("f") },
            Recusal { expert_id: "d", replacement: None },
            Recusal { expert_id: "f", replacement: Some("g") },
        ];
        // b stood down for f, d for nobody, then f for g: f was seated, then left.
        assert_eq!(seated(&selected, &recusals), ids(&["a", "c", "e", "g"]));
        assert_eq!(seated(&selected, &recusals[..1]), ids(&["a", "c", "d", "e", "f"]));
    }
}
