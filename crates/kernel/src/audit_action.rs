//! What an audit event says was done (`audit_events.action`): one closed set for every use
//! case, so that what an action makes (a public event, a notice, an OCDS release) is decided
//! by matching on it, and a misspelt action does not compile instead of silently making
//! nothing.

crate::closed_enum! {
    /// An audited action, `<object>.<verb>` as stored on the audit chain.
    pub enum AuditAction {
        AnnouncementCorrect = "announcement.correct",
        AnnouncementPublish = "announcement.publish",
        BidDecrypt = "bid.decrypt",
        BidDecryptionFailure = "bid.decryption_failure",
        BidModify = "bid.modify",
        BidSubmit = "bid.submit",
        BidWithdraw = "bid.withdraw",
        BondDeposit = "bond.deposit",
        BondForfeit = "bond.forfeit",
        BondPlatformLiability = "bond.platform_liability",
        BondRefundClock = "bond.refund_clock",
        BondRefundInstruct = "bond.refund_instruct",
        BondRefundPosted = "bond.refund_posted",
        BondRefundVoided = "bond.refund_voided",
        CalendarLoadYear = "calendar.load_year",
        ComplaintAccept = "complaint.accept",
        ComplaintDecide = "complaint.decide",
        ComplaintFile = "complaint.file",
        ComplaintPause = "complaint.pause",
        ComplaintResume = "complaint.resume",
        CreditCommitmentSign = "credit.commitment.sign",
        CreditConductReport = "credit.conduct_report",
        CreditPolicyPublish = "credit.policy.publish",
        CreditRecordCreate = "credit.record.create",
        CreditRepairApply = "credit.repair.apply",
        CreditRepairDecide = "credit.repair.decide",
        CreditRestrictionImpose = "credit.restriction.impose",
        DeadlineRecount = "deadline.recount",
        DocumentUpload = "document.upload",
        EvaluationReport = "evaluation.report",
        EvaluationScore = "evaluation.score",
        ExpertDeclareRelation = "expert.declare_relation",
        ExpertRegister = "expert.register",
        ExpertRestrict = "expert.restrict",
        ExpertsDraw = "experts.draw",
        ExpertsRecuse = "experts.recuse",
        ListingClose = "listing.close",
        ListingConfirm = "listing.confirm",
        ListingCreate = "listing.create",
        ListingQuote = "listing.quote",
        ListingRefusal = "listing.refusal",
        ObjectionAnswer = "objection.answer",
        ObjectionRaise = "objection.raise",
        ParticipantControl = "participant.control",
        ParticipantEntrustAgent = "participant.entrust_agent",
        ParticipantRegister = "participant.register",
        ParticipantUpdate = "participant.update",
        PersonDeclareRelation = "person.declare_relation",
        PersonRegister = "person.register",
        ProjectAssignRegulator = "project.assign_regulator",
        ProjectCommissionAgency = "project.commission_agency",
        ProjectNameOfficial = "project.name_official",
        ProjectRegister = "project.register",
        ProjectReplaceAgents = "project.replace_agents",
        ProjectReportDirectAward = "project.report_direct_award",
        ProjectResume = "project.resume",
        ProjectSuspend = "project.suspend",
        ProjectTerminate = "project.terminate",
        ProjectWithdrawOfficial = "project.withdraw_official",
        QuestionAnswer = "question.answer",
        QuestionAsk = "question.ask",
        ReportFile = "report.file",
        ReportHandle = "report.handle",
        RiskAlertHandle = "risk_alert.handle",
        RuleSetPublish = "rule_set.publish",
        SealingKeyRegister = "sealing_key.register",
        SectionAward = "section.award",
        SectionContract = "section.contract",
        SectionDecryptionWindow = "section.decryption_window",
        SectionFail = "section.fail",
        SectionOpen = "section.open",
        SectionRejectBid = "section.reject_bid",
        ServiceAccountCreate = "service_account.create",
        ServiceItemPublish = "service_item.publish",
        StaffAdd = "staff.add",
        VenueBook = "venue.book",
        ViolationDecide = "violation.decide",
        ViolationInvestigate = "violation.investigate",
        ViolationReport = "violation.report",
        ViolationStep = "violation.step",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_an_object_and_a_verb_and_names_itself_only() {
        for &action in AuditAction::ALL.iter() {
            let text = action.as_str();
            let (object, verb) = text.rsplit_once('.').unwrap_or(("", ""));
            assert!(!object.is_empty() && !verb.is_empty(), "{text}");
            assert!(text.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'), "{text}");
            assert_eq!(AuditAction::parse(text), Some(action), "{text} must name exactly one action");
        }
        assert_eq!(AuditAction::parse("bid.sumbit"), None);
    }
}
