//! Where a complaint and a risk alert stand, and the commands that move them, as pure
//! functions: the service loads the stored status, asks here, and writes the answer.

use ggzy_kernel::closed_enum;

closed_enum! {
    /// Where a complaint stands: received (受理审查), accepted (受理), rejected (不予受理) or
    /// decided (作出处理决定).
    pub enum ComplaintStatus {
        Received = "received",
        Accepted = "accepted",
        Rejected = "rejected",
        Decided = "decided",
    }
}

closed_enum! {
    /// What the regulator decided on a complaint.
    pub enum ComplaintOutcome {
        /// 驳回
        Dismissed = "dismissed",
        /// 投诉成立
        Upheld = "upheld",
    }
}

closed_enum! {
    /// What an upheld complaint orders.
    pub enum Remedy {
        /// 责令改正
        Correct = "correct",
        /// 重新评标
        ReEvaluate = "re_evaluate",
        /// 重新招标
        ReTender = "re_tender",
        /// 中标无效
        VoidAward = "void_award",
    }
}

/// A command on a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintCommand {
    /// The regulator accepts the complaint or refuses to (受理审查).
    Review { accept: bool },
    /// The decision clock stops or starts again (testing, appraisal, expert review).
    PauseOrResume,
    /// The regulator decides; `paused` says whether the clock is stopped now.
    Decide { paused: bool },
}

/// A command the complaint's status does not allow, with why in Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplaintStateRefusal {
    pub status: ComplaintStatus,
    pub command: ComplaintCommand,
}

impl ComplaintStateRefusal {
    pub fn detail(self) -> &'static str {
        match self.command {
            ComplaintCommand::Review { .. } => "该投诉已受理或已处理",
            ComplaintCommand::PauseOrResume => "仅已受理未决定的投诉可暂停或恢复计时",
            ComplaintCommand::Decide { .. } => "仅已受理且未暂停计时的投诉可作出决定",
        }
    }
}

impl ComplaintStatus {
    /// The status after `command`, or the refusal.
    pub fn after(self, command: ComplaintCommand) -> Result<ComplaintStatus, ComplaintStateRefusal> {
        use ComplaintStatus::*;
        let next = match (self, command) {
            (Received, ComplaintCommand::Review { accept: true }) => Some(Accepted),
            (Received, ComplaintCommand::Review { accept: false }) => Some(Rejected),
            (Accepted, ComplaintCommand::PauseOrResume) => Some(Accepted),
            (Accepted, ComplaintCommand::Decide { paused: false }) => Some(Decided),
            _ => None,
        };
        next.ok_or(ComplaintStateRefusal { status: self, command })
    }

    /// Whether the decision clock runs (or ran) in this state: not for a rejected one.
    pub fn has_decision_clock(self) -> bool {
        self != ComplaintStatus::Rejected
    }
}

closed_enum! {
    /// Where a collusion risk alert stands.
    pub enum AlertStatus {
        /// 待处理
        Open = "open",
        /// 核查中
        Investigating = "investigating",
        /// 排除
        Dismissed = "dismissed",
        /// 经核实（立案）
        Confirmed = "confirmed",
        /// 已并入同一团伙的预警 (by the scan, never by a regulator: the alert it joined
        /// carries its sections, bidders and evidence)
        Merged = "merged",
    }
}

impl AlertStatus {
    /// The status a regulator moves an alert to, or `None` when it may not: an alert is
    /// looked into, dismissed or confirmed once; an investigation ends in one of the last two.
    pub fn handle(self, to: AlertStatus) -> Option<AlertStatus> {
        use AlertStatus::*;
        match (self, to) {
            (_, Open | Merged) | (Merged, _) => None,
            (Open, _) => Some(to),
            (Investigating, Dismissed | Confirmed) => Some(to),
            _ => None,
        }
    }

    /// Open or under investigation: a later finding of its ring still extends it. A decided
    /// (or merged) alert stays as it is; what is new of its ring is a new alert.
    pub fn grows(self) -> bool {
        matches!(self, AlertStatus::Open | AlertStatus::Investigating)
    }

    /// Open and not yet taken up by a regulator: the scan may merge it into another alert
    /// of its ring.
    pub fn untouched(self) -> bool {
        self == AlertStatus::Open
    }
}

closed_enum! {
    /// Where a report of wrongdoing (举报) stands.
    pub enum ReportState {
        /// 已收到
        Received = "received",
        /// 核查中
        Investigating = "investigating",
        /// 已办结
        Closed = "closed",
    }
}

impl ReportState {
    /// The state a regulator's handling step moves a report to, or `None` when it may not:
    /// steps of an investigation may follow one another, but a closed (办结) report stays
    /// closed — what comes to light later is a new report — and nothing returns to received.
    pub fn handle(self, to: ReportState) -> Option<ReportState> {
        use ReportState::*;
        match (self, to) {
            (_, Received) | (Closed, _) => None,
            (Received | Investigating, Investigating | Closed) => Some(to),
        }
    }
}

closed_enum! {
    /// How one participant controls another (条例 §34).
    pub enum ControlKind {
        /// 控股
        Holding = "holding",
        /// 管理关系
        Management = "management",
    }
}

closed_enum! {
    /// A legal clock the deadline watch follows.
    pub enum ClockKind {
        /// 异议答复
        ObjectionAnswer = "objection_answer",
        /// 投诉受理审查
        ComplaintAcceptance = "complaint_acceptance",
        /// 投诉处理决定
        ComplaintDecision = "complaint_decision",
        /// 保证金退还
        BondRefund = "bond_refund",
        /// 中标候选人公示
        CandidatePublicity = "candidate_publicity",
        /// 合同签订
        ContractSigning = "contract_signing",
        /// 直接发包公示
        DirectAwardPublicity = "direct_award_publicity",
    }
}

closed_enum! {
    /// What a newly loaded calendar did to a running clock.
    pub enum RecountOutcome {
        /// The due date moved later.
        Moved = "moved",
        /// The due date would have moved earlier; the provisional one is kept.
        Kept = "kept",
    }
}

impl RecountOutcome {
    /// What a recount did, or `None` when it left the clock as it was.
    pub fn of(recount: &ggzy_rules::Recount) -> Option<RecountOutcome> {
        match recount {
            ggzy_rules::Recount::Unchanged => None,
            ggzy_rules::Recount::Moved { .. } => Some(RecountOutcome::Moved),
            ggzy_rules::Recount::Kept { .. } => Some(RecountOutcome::Kept),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recount_is_moved_kept_or_nothing() {
        use chrono::TimeZone;
        let provisional = chrono::Utc.with_ymd_and_hms(2027, 1, 10, 16, 0, 0).unwrap();
        let later = provisional + chrono::Duration::days(2);
        let earlier = provisional - chrono::Duration::days(2);
        let now = provisional - chrono::Duration::days(5);
        assert_eq!(RecountOutcome::of(&ggzy_rules::recount(provisional, later, now)), Some(RecountOutcome::Moved));
        assert_eq!(RecountOutcome::of(&ggzy_rules::recount(provisional, earlier, now)), Some(RecountOutcome::Kept));
        assert_eq!(RecountOutcome::of(&ggzy_rules::recount(provisional, provisional, now)), None);
    }

    #[test]
    fn a_closed_report_stays_closed() {
        use ReportState::*;
        let table: &[(ReportState, ReportState, Option<ReportState>)] = &[
            (Received, Investigating, Some(Investigating)),
            (Received, Closed, Some(Closed)),
            (Investigating, Investigating, Some(Investigating)),
            (Investigating, Closed, Some(Closed)),
            (Closed, Investigating, None),
            (Closed, Closed, None),
            (Received, Received, None),
            (Investigating, Received, None),
        ];
        for (from, to, after) in table {
            assert_eq!(from.handle(*to), *after, "{from:?} → {to:?}");
        }
    }

    #[test]
    fn complaint_transitions_by_the_table() {
        use ComplaintCommand::*;
        use ComplaintStatus::*;
        let table: &[(ComplaintStatus, ComplaintCommand, Option<ComplaintStatus>)] = &[
            (Received, Review { accept: true }, Some(Accepted)),
            (Received, Review { accept: false }, Some(Rejected)),
            (Accepted, Review { accept: true }, None),
            (Rejected, Review { accept: true }, None),
            (Received, PauseOrResume, None),
            (Accepted, PauseOrResume, Some(Accepted)),
            (Decided, PauseOrResume, None),
            (Accepted, Decide { paused: false }, Some(Decided)),
            (Accepted, Decide { paused: true }, None),
            (Received, Decide { paused: false }, None),
            (Decided, Decide { paused: false }, None),
            (Rejected, Decide { paused: false }, None),
        ];
        for (from, command, to) in table {
            assert_eq!(from.after(*command).ok(), *to, "{from:?} {command:?}");
        }
        assert_eq!(
            Decided.after(Decide { paused: false }).map_err(ComplaintStateRefusal::detail),
            Err("仅已受理且未暂停计时的投诉可作出决定")
        );
        assert!(!Rejected.has_decision_clock() && Received.has_decision_clock());
    }

    #[test]
    fn alerts_are_handled_once_and_investigations_end_in_a_decision() {
        use AlertStatus::*;
        for to in [Investigating, Dismissed, Confirmed] {
            assert_eq!(Open.handle(to), Some(to));
        }
        assert_eq!(Investigating.handle(Investigating), None);
        assert_eq!(Investigating.handle(Confirmed), Some(Confirmed));
        assert_eq!(Investigating.handle(Dismissed), Some(Dismissed));
        assert_eq!(Open.handle(Merged), None);
        for settled in [Dismissed, Confirmed, Merged] {
            for to in AlertStatus::ALL {
                assert_eq!(settled.handle(*to), None);
            }
        }
        for from in AlertStatus::ALL {
            assert_eq!(from.handle(Open), None);
        }
    }

    #[test]
    fn open_and_investigated_alerts_grow_only_open_ones_merge() {
        use AlertStatus::*;
        let table = [
            (Open, true, true),
            (Investigating, true, false),
            (Dismissed, false, false),
            (Confirmed, false, false),
            (Merged, false, false),
        ];
        for (status, grows, untouched) in table {
            assert_eq!((status.grows(), status.untouched()), (grows, untouched), "{status:?}");
        }
    }
}
