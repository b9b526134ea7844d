//! Where a project, a bid and an opening stand, and the commands that move them, as pure
//! functions: the service loads the stored status, asks here, and writes the answer.

use ggzy_kernel::closed_enum;

closed_enum! {
    /// A project's status (the life cycle of DESIGN.md).
    pub enum ProjectStatus {
        /// 已登记
        Registered = "registered",
        /// 待指定行业监管部门
        AwaitingRegulator = "awaiting_regulator",
        /// 直接发包公示中
        DirectAwardPublicity = "direct_award_publicity",
        /// 招标中 (announced)
        Tendering = "tendering",
        /// 已终止
        Terminated = "terminated",
    }
}

/// A command that changes a project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectCommand {
    /// An industry regulator is named (the project leaves `awaiting_regulator`).
    AssignRegulator,
    /// The tender announcement is published.
    Announce,
    /// A lot of the project is listed (land, mining rights, state property).
    List,
    /// A direct award goes to publicity.
    SubmitDirectAward,
    /// The tenderer terminates the project.
    Terminate,
}

/// A command the project's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectStateRefusal {
    pub status: ProjectStatus,
    pub command: ProjectCommand,
}

impl ProjectStateRefusal {
    /// Why, in Chinese, for the problem detail.
    pub fn detail(self) -> String {
        if self.status == ProjectStatus::Terminated {
            return "项目已终止".into();
        }
        let what = match self.command {
            ProjectCommand::AssignRegulator => "不能指定行业监管部门",
            ProjectCommand::Announce => "不能发布招标公告",
            ProjectCommand::List => "不能挂牌",
            ProjectCommand::SubmitDirectAward => "不能报送直接发包",
            ProjectCommand::Terminate => "不能终止",
        };
        format!("项目当前状态（{}）{what}", self.status.as_str())
    }
}

impl ProjectStatus {
    /// The status after `command`, or the refusal.
    pub fn after(self, command: ProjectCommand) -> Result<ProjectStatus, ProjectStateRefusal> {
        use ProjectStatus::*;
        let next = match (self, command) {
            (AwaitingRegulator, ProjectCommand::AssignRegulator) => Some(Registered),
            // A regulator may be named again, even after termination (complaints and
            // investigations outlive the tender); the status stays.
            (status, ProjectCommand::AssignRegulator) => Some(status),
            (Terminated, _) => None,
            (Registered, ProjectCommand::Announce) => Some(Tendering),
            // A lot listed again (or another lot of the project) keeps it trading.
            (Registered | Tendering, ProjectCommand::List) => Some(Tendering),
            (Registered, ProjectCommand::SubmitDirectAward) => Some(DirectAwardPublicity),
            (_, ProjectCommand::Terminate) => Some(Terminated),
            _ => None,
        };
        next.ok_or(ProjectStateRefusal { status: self, command })
    }

    /// Whether a trading step may be taken on the project: not terminated, and not under an
    /// open suspension (whose reason is given).
    pub fn running(self, suspension_reason: Option<&str>) -> Result<(), NotRunning> {
        if self == ProjectStatus::Terminated {
            return Err(NotRunning::Terminated);
        }
        match suspension_reason {
            Some(reason) => Err(NotRunning::Suspended { reason: reason.to_owned() }),
            None => Ok(()),
        }
    }

    /// Statuses in which a project still occupies its service owner at the centre (the
    /// centre assigns new projects to the staff member with the fewest such projects).
    pub fn occupies_service_owner(self) -> bool {
        matches!(
            self,
            ProjectStatus::Registered | ProjectStatus::AwaitingRegulator | ProjectStatus::DirectAwardPublicity
        )
    }
}

/// Why no trading step may be taken on a project now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRunning {
    Terminated,
    /// Every trading step waits until the project resumes.
    Suspended {
        reason: String,
    },
}

impl NotRunning {
    /// Why, in Chinese, for the problem detail.
    pub fn detail(&self) -> String {
        match self {
            NotRunning::Terminated => "项目已终止".into(),
            NotRunning::Suspended { reason } => format!("项目已暂停：{reason}"),
        }
    }
}

closed_enum! {
    /// Where a sealed bid stands.
    pub enum BidStatus {
        /// 已递交（密封）
        Submitted = "submitted",
        /// 截止前撤回
        Withdrawn = "withdrawn",
    }
}

closed_enum! {
    /// Who seals a section's bids: the platform on arrival, or each bidder offline before
    /// sending (tendering.bidder_sealing).
    pub enum BidSealing {
        Platform = "platform",
        Bidder = "bidder",
    }
}

closed_enum! {
    /// What became of a bid its bidder sealed, at the opening (电子招标投标办法 §31 as the
    /// platform reads it).
    pub enum DecryptionOutcome {
        /// 已解密: the bidder revealed its content key in time; the bid is opened.
        Decrypted = "decrypted",
        /// 撤销: not decrypted within the window through the bidder's fault.
        Revoked = "revoked",
        /// 撤回: not decrypted through the platform's fault (recorded by the centre, with the
        /// platform's liability).
        Withdrawn = "withdrawn",
    }
}

impl DecryptionOutcome {
    /// What an envelope becomes when the window closes: what was recorded for it, or, with
    /// nothing recorded, revoked.
    pub fn at_window_close(recorded: Option<DecryptionOutcome>) -> DecryptionOutcome {
        recorded.unwrap_or(DecryptionOutcome::Revoked)
    }

    /// Whether the bid is opened with the others.
    pub fn is_opened(self) -> bool {
        self == DecryptionOutcome::Decrypted
    }
}

impl BidStatus {
    /// A bid can be withdrawn (or replaced) only while it is in.
    pub fn can_withdraw(self) -> bool {
        self == BidStatus::Submitted
    }
}

closed_enum! {
    /// How a section's opening ended.
    pub enum OpeningOutcome {
        /// 已开标
        Opened = "opened",
        /// 投标人不足，开标失败 (construction.min_bidders)
        Failed = "failed",
    }
}

impl OpeningOutcome {
    /// Fewer bids than the rule set's minimum, no opening (条例 §44, 法 §28).
    pub fn of(bids: usize, min_bidders: usize) -> OpeningOutcome {
        if bids < min_bidders {
            OpeningOutcome::Failed
        } else {
            OpeningOutcome::Opened
        }
    }
}

closed_enum! {
    /// What an announcement announces.
    pub enum AnnouncementKind {
        /// 招标（采购）公告
        Tender = "tender",
        /// 挂牌出让/转让公告
        Listing = "listing",
        /// 更正公告
        Correction = "correction",
    }
}

closed_enum! {
    /// The winner's answer to a listing's result (成交确认).
    pub enum Confirmation {
        /// 已签署成交确认书
        Confirmed = "confirmed",
        /// 拒绝签署
        Refused = "refused",
    }
}

closed_enum! {
    /// Where a section's opening stands, as the people following it see it.
    pub enum OpeningStage {
        /// Before the opening begins: nothing about the bids is shown, not even how many
        /// there are (招标投标法 §22).
        Awaiting = "awaiting",
        /// The decryption window is open: bidders decrypt their own bids.
        Decrypting = "decrypting",
        /// The opening record is made.
        Opened = "opened",
        /// The project was terminated without an opening: there will be none.
        Cancelled = "cancelled",
    }
}

impl OpeningStage {
    /// The stage from what is stored: an opening record, an opened decryption window, the
    /// project's termination.
    pub fn of(window_opened: bool, opened: bool, terminated: bool) -> OpeningStage {
        match (window_opened, opened) {
            (_, true) => OpeningStage::Opened,
            _ if terminated => OpeningStage::Cancelled,
            (true, false) => OpeningStage::Decrypting,
            (false, false) => OpeningStage::Awaiting,
        }
    }

    /// Nothing follows: the record is made or there will be none.
    pub fn is_final(self) -> bool {
        matches!(self, OpeningStage::Opened | OpeningStage::Cancelled)
    }

    /// Whether the count of bids and of their decryptions may be shown: once the opening
    /// has begun, when who bid is about to be read out anyway.
    pub fn shows_bids(self) -> bool {
        matches!(self, OpeningStage::Decrypting | OpeningStage::Opened)
    }
}

/// How far the bidders of a section have decrypted the bids they sealed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DecryptionTally {
    /// Bids in (not withdrawn before the deadline).
    pub bids: usize,
    /// Of them, sealed by their bidders (the others the platform sealed and opens itself).
    pub sealed_by_bidders: usize,
    pub decrypted: usize,
    /// Not decrypted through the bidder's fault.
    pub revoked: usize,
    /// Not decrypted through the platform's fault.
    pub withdrawn: usize,
    /// Sealed by their bidders and nothing recorded yet.
    pub pending: usize,
}

impl DecryptionTally {
    /// From each bid in: None for a bid the platform sealed, Some(outcome so far) for one
    /// its bidder sealed.
    pub fn count(bids: impl IntoIterator<Item = Option<Option<DecryptionOutcome>>>) -> DecryptionTally {
        let mut tally = DecryptionTally::default();
        for bid in bids {
            tally.bids += 1;
            let Some(outcome) = bid else { continue };
            tally.sealed_by_bidders += 1;
            match outcome {
                Some(DecryptionOutcome::Decrypted) => tally.decrypted += 1,
                Some(DecryptionOutcome::Revoked) => tally.revoked += 1,
                Some(DecryptionOutcome::Withdrawn) => tally.withdrawn += 1,
                None => tally.pending += 1,
            }
        }
        tally
    }
}

closed_enum! {
    /// Where a section (or a project) stands in its procedure, as every screen shows it. Tendered
    /// sections go registered → announced → opened → under evaluation → candidates
    /// published → awarded → contracted (or failed at the opening); listed ones announced →
    /// listing → auction → sold (or failed). Suspended and terminated come from the project.
    pub enum ProcedurePhase {
        /// 已登记
        Registered = "registered",
        /// 已公告 (tender or listing announced)
        Announced = "announced",
        /// 已开标
        Opened = "opened",
        /// 评标中 (the committee is drawn)
        UnderEvaluation = "under_evaluation",
        /// 中标候选人公示
        CandidatesPublished = "candidates_published",
        /// 已定标
        Awarded = "awarded",
        /// 已签订合同
        Contracted = "contracted",
        /// 挂牌中
        Listing = "listing",
        /// 竞价中
        Auction = "auction",
        /// 已成交
        Sold = "sold",
        /// 流标 / 流拍
        Failed = "failed",
        /// 已暂停
        Suspended = "suspended",
        /// 已终止
        Terminated = "terminated",
    }
}

/// What is stored about a section that decides its phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SectionProgress {
    pub project_terminated: bool,
    pub project_suspended: bool,
    /// Its terms are announced (a tender or a listing announcement names it).
    pub announced: bool,
    pub opening: Option<OpeningOutcome>,
    pub committee_drawn: bool,
    pub candidates_published: bool,
    pub awarded: bool,
    pub contracted: bool,
    /// The phase of its listing, when it is listed.
    pub listing: Option<crate::listing::Phase>,
    /// The listing's winner refused the confirmation (the sale is off).
    pub listing_refused: bool,
}

impl ProcedurePhase {
    /// The phase of a section from what is stored about it.
    pub fn of(progress: &SectionProgress) -> ProcedurePhase {
        use crate::listing::Phase as Listed;
        if progress.project_terminated {
            return ProcedurePhase::Terminated;
        }
        if progress.project_suspended {
            return ProcedurePhase::Suspended;
        }
        if let Some(listed) = progress.listing {
            return match listed {
                Listed::Announced => ProcedurePhase::Announced,
                Listed::Listing => ProcedurePhase::Listing,
                Listed::Auction => ProcedurePhase::Auction,
                Listed::Sold if progress.listing_refused => ProcedurePhase::Failed,
                Listed::Sold if progress.contracted => ProcedurePhase::Contracted,
                Listed::Sold => ProcedurePhase::Sold,
                Listed::Failed => ProcedurePhase::Failed,
            };
        }
        match progress.opening {
            _ if progress.contracted => ProcedurePhase::Contracted,
            _ if progress.awarded => ProcedurePhase::Awarded,
            _ if progress.candidates_published => ProcedurePhase::CandidatesPublished,
            Some(OpeningOutcome::Failed) => ProcedurePhase::Failed,
            Some(OpeningOutcome::Opened) if progress.committee_drawn => ProcedurePhase::UnderEvaluation,
            Some(OpeningOutcome::Opened) => ProcedurePhase::Opened,
            None if progress.announced => ProcedurePhase::Announced,
            None => ProcedurePhase::Registered,
        }
    }

    /// How far along the procedure: a project is as far as its least advanced section.
    /// A failed section has ended like a contracted one.
    fn reach(self) -> u8 {
        match self {
            ProcedurePhase::Registered => 0,
            ProcedurePhase::Announced => 1,
            ProcedurePhase::Listing | ProcedurePhase::Opened => 2,
            ProcedurePhase::Auction | ProcedurePhase::UnderEvaluation => 3,
            ProcedurePhase::CandidatesPublished => 4,
            ProcedurePhase::Sold | ProcedurePhase::Awarded => 5,
            ProcedurePhase::Contracted | ProcedurePhase::Failed => 6,
            ProcedurePhase::Suspended | ProcedurePhase::Terminated => 7,
        }
    }

    /// A project's phase: terminated or suspended as the project is, otherwise that of
    /// its least advanced section (registered when it has none).
    pub fn of_project(sections: &[ProcedurePhase]) -> ProcedurePhase {
        if let Some(held) =
            sections.iter().find(|p| matches!(p, ProcedurePhase::Terminated | ProcedurePhase::Suspended))
        {
            return *held;
        }
        // Among ended sections a contracted one speaks for the project before a failed one,
        // whatever their order.
        sections
            .iter()
            .copied()
            .min_by_key(|p| (p.reach(), *p == ProcedurePhase::Failed))
            .unwrap_or(ProcedurePhase::Registered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_project_neither_terminated_nor_suspended_runs() {
        for status in ProjectStatus::ALL {
            let expected = if *status == ProjectStatus::Terminated { Err(NotRunning::Terminated) } else { Ok(()) };
            assert_eq!(status.running(None), expected, "{status:?}");
        }
        let suspended = ProjectStatus::Tendering.running(Some("投诉处理"));
        assert_eq!(suspended, Err(NotRunning::Suspended { reason: "投诉处理".into() }));
        assert_eq!(suspended.unwrap_err().detail(), "项目已暂停：投诉处理");
        // Termination is told first.
        assert_eq!(ProjectStatus::Terminated.running(Some("投诉处理")), Err(NotRunning::Terminated));
        assert_eq!(NotRunning::Terminated.detail(), "项目已终止");
    }

    #[test]
    fn project_transitions_by_the_table() {
        use ProjectCommand::*;
        use ProjectStatus::*;
        let table: &[(ProjectStatus, ProjectCommand, Option<ProjectStatus>)] = &[
            (AwaitingRegulator, AssignRegulator, Some(Registered)),
            (Registered, AssignRegulator, Some(Registered)),
            (Tendering, AssignRegulator, Some(Tendering)),
            (Terminated, AssignRegulator, Some(Terminated)),
            (Registered, Announce, Some(Tendering)),
            (Tendering, Announce, None),
            (AwaitingRegulator, Announce, None),
            (DirectAwardPublicity, Announce, None),
            (Registered, List, Some(Tendering)),
            (Tendering, List, Some(Tendering)),
            (AwaitingRegulator, List, None),
            (Registered, SubmitDirectAward, Some(DirectAwardPublicity)),
            (Tendering, SubmitDirectAward, None),
            (Registered, Terminate, Some(Terminated)),
            (Tendering, Terminate, Some(Terminated)),
            (DirectAwardPublicity, Terminate, Some(Terminated)),
        ];
        for (from, command, to) in table {
            assert_eq!(from.after(*command).ok(), *to, "{from:?} {command:?}");
        }
    }

    #[test]
    fn a_terminated_project_refuses_every_trading_step() {
        for command in [
            ProjectCommand::Announce,
            ProjectCommand::List,
            ProjectCommand::SubmitDirectAward,
            ProjectCommand::Terminate,
        ] {
            let refusal = ProjectStatus::Terminated.after(command).err();
            assert_eq!(refusal.map(ProjectStateRefusal::detail).as_deref(), Some("项目已终止"));
        }
    }

    #[test]
    fn refusal_names_the_status_found() {
        let refusal = ProjectStatus::Tendering.after(ProjectCommand::Announce).err().map(ProjectStateRefusal::detail);
        assert_eq!(refusal.as_deref(), Some("项目当前状态（tendering）不能发布招标公告"));
    }

    #[test]
    fn service_owner_is_occupied_until_the_project_trades() {
        let occupying: Vec<_> = ProjectStatus::ALL.iter().filter(|s| s.occupies_service_owner()).collect();
        assert_eq!(
            occupying,
            [&ProjectStatus::Registered, &ProjectStatus::AwaitingRegulator, &ProjectStatus::DirectAwardPublicity]
        );
    }

    #[test]
    fn opening_needs_the_minimum_of_bids() {
        assert_eq!(OpeningOutcome::of(2, 3), OpeningOutcome::Failed);
        assert_eq!(OpeningOutcome::of(3, 3), OpeningOutcome::Opened);
        assert_eq!(OpeningOutcome::of(0, 0), OpeningOutcome::Opened);
        assert!(BidStatus::Submitted.can_withdraw());
        assert!(!BidStatus::Withdrawn.can_withdraw());
    }

    #[test]
    fn an_opening_shows_its_bids_only_once_it_has_begun() {
        assert_eq!(OpeningStage::of(false, false, false), OpeningStage::Awaiting);
        assert_eq!(OpeningStage::of(true, false, false), OpeningStage::Decrypting);
        assert_eq!(OpeningStage::of(true, true, false), OpeningStage::Opened);
        // A section the platform sealed has no window: its record opens it.
        assert_eq!(OpeningStage::of(false, true, false), OpeningStage::Opened);
        // A tender terminated before its opening never has one, and never tells its bids.
        assert_eq!(OpeningStage::of(false, false, true), OpeningStage::Cancelled);
        assert_eq!(OpeningStage::of(true, false, true), OpeningStage::Cancelled);
        assert_eq!(OpeningStage::of(true, true, true), OpeningStage::Opened);
        assert!(!OpeningStage::Cancelled.shows_bids() && OpeningStage::Cancelled.is_final());
        assert!(!OpeningStage::Awaiting.shows_bids() && !OpeningStage::Decrypting.is_final());
        assert!(OpeningStage::Decrypting.shows_bids() && OpeningStage::Opened.shows_bids());
    }

    #[test]
    fn the_tally_counts_each_bid_once_by_its_outcome() {
        use DecryptionOutcome::*;
        let tally = DecryptionTally::count([
            None,
            Some(None),
            Some(Some(Decrypted)),
            Some(Some(Decrypted)),
            Some(Some(Revoked)),
            Some(Some(Withdrawn)),
        ]);
        assert_eq!(
            tally,
            DecryptionTally { bids: 6, sealed_by_bidders: 5, decrypted: 2, revoked: 1, withdrawn: 1, pending: 1 }
        );
        assert_eq!(DecryptionTally::count([]), DecryptionTally::default());
    }

    #[test]
    fn a_tendered_section_moves_through_its_phases_in_order() {
        let mut p = SectionProgress::default();
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Registered);
        p.announced = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Announced);
        p.opening = Some(OpeningOutcome::Opened);
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Opened);
        p.committee_drawn = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::UnderEvaluation);
        p.candidates_published = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::CandidatesPublished);
        p.awarded = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Awarded);
        p.contracted = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Contracted);
        p.project_suspended = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Suspended);
        p.project_terminated = true;
        assert_eq!(ProcedurePhase::of(&p), ProcedurePhase::Terminated);
        let failed = SectionProgress { announced: true, opening: Some(OpeningOutcome::Failed), ..Default::default() };
        assert_eq!(ProcedurePhase::of(&failed), ProcedurePhase::Failed);
    }

    #[test]
    fn a_listed_section_follows_its_listing() {
        use crate::listing::Phase;
        let listed = |phase| SectionProgress { announced: true, listing: Some(phase), ..Default::default() };
        assert_eq!(ProcedurePhase::of(&listed(Phase::Announced)), ProcedurePhase::Announced);
        assert_eq!(ProcedurePhase::of(&listed(Phase::Listing)), ProcedurePhase::Listing);
        assert_eq!(ProcedurePhase::of(&listed(Phase::Auction)), ProcedurePhase::Auction);
        assert_eq!(ProcedurePhase::of(&listed(Phase::Sold)), ProcedurePhase::Sold);
        assert_eq!(ProcedurePhase::of(&listed(Phase::Failed)), ProcedurePhase::Failed);
        let signed = SectionProgress { contracted: true, ..listed(Phase::Sold) };
        assert_eq!(ProcedurePhase::of(&signed), ProcedurePhase::Contracted);
        let refused = SectionProgress { listing_refused: true, ..listed(Phase::Sold) };
        assert_eq!(ProcedurePhase::of(&refused), ProcedurePhase::Failed);
    }

    #[test]
    fn a_project_is_as_far_as_its_least_advanced_section() {
        use ProcedurePhase::*;
        assert_eq!(ProcedurePhase::of_project(&[]), Registered);
        assert_eq!(ProcedurePhase::of_project(&[Contracted, Opened, Failed]), Opened);
        assert_eq!(ProcedurePhase::of_project(&[Contracted, Failed]), Contracted);
        assert_eq!(ProcedurePhase::of_project(&[Failed, Contracted]), Contracted);
        assert_eq!(ProcedurePhase::of_project(&[Failed, Failed]), Failed);
        assert_eq!(ProcedurePhase::of_project(&[Awarded, Suspended]), Suspended);
        assert_eq!(ProcedurePhase::of_project(&[Announced, Listing]), Announced);
    }
}
