//! Experts, the draw of the evaluation committee (replayable from its recorded seed, with
//! recusal), scores, the committee's ranking with candidate publicity, award and contract.

use ggzy_kernel::Answer;
use ggzy_store::evaluation::{self as repo, DrawRow, ResultRow};
use ggzy_store::DbConnection;
use rand::RngCore;

use crate::bonds::RefundTrigger;
use crate::policy::{authorize, authorized, Action};
use crate::utc;
use crate::{Principal, ServiceError};

use ggzy_trading::committee as decide;
pub use ggzy_trading::committee::{
    AwardSection, BidScore, Candidate, CommitteeState, DeclareRelation, DrawExperts, DrawRecord, DrawReplay, Expert,
    NewExpert, OwnCommittee, Recusal, RecuseExpert, RestrictExpert, SignContract, SubmitScores,
};
use ggzy_views::evaluation::{
    award_entry, contract_entry, draw_entry, draw_record, draw_row, expert_from_row, expert_registered_entry,
    expert_restriction_entry, expert_row, own_committee, recusal_entry, relation_entry, report_entry, report_row,
    scores_entry, SignedContract,
};
pub use ggzy_views::evaluation::{
    DrawListQuery, ExpertDraw, ExpertDrawPage, ExpertPage, ExpertQuery, OwnCommitteePage, OwnCommitteeQuery,
    SectionResult,
};
use ggzy_views::evaluation_report::{opened_prices, score_sheets};
use ggzy_views::list_queries;

/// Who has just joined a draw's committee: all of it when it is drawn, the replacement of
/// the latest recusal when one is made.
pub(crate) fn new_members(row: &DrawRow, after_recusal: bool) -> Result<Vec<String>, ServiceError> {
    Ok(draw_record(row)?.new_members(after_recusal))
}

/// Whether an expert sits on a section's evaluation committee (its latest draw, after
/// recusals and replacements).
pub(crate) fn on_committee(conn: &mut DbConnection, section_id: &str, expert_id: &str) -> Result<bool, ServiceError> {
    let Some(draw) = repo::draws_of(conn, section_id)?.pop() else { return Ok(false) };
    Ok(draw_view(draw)?.record.seats(expert_id))
}

/// A section and its project; either missing is the section not found.
fn section_and_project(
    conn: &mut DbConnection,
    section_id: &str,
) -> Result<(ggzy_store::projects::SectionRow, ggzy_store::projects::ProjectRow), ServiceError> {
    ggzy_store::projects::section_and_project(conn, section_id)?.ok_or(ServiceError::NotFound { what: "section" })
}

fn draw_view(row: DrawRow) -> Result<ExpertDraw, ServiceError> {
    Ok(ExpertDraw::try_from(row)?)
}

/// Whether an expert sits on the committee (the latest draw) of an opened section in which
/// the participant has a standing bid: the only participants whose credit an expert may read
/// (细则 on evaluation; the report serves the committee's review, 管理办法 §38).
pub(crate) fn evaluates_bidder(
    conn: &mut DbConnection,
    expert_id: &str,
    participant_id: &str,
) -> Result<bool, ServiceError> {
    for section_id in ggzy_store::bids::sections_of_bidder(conn, participant_id)? {
        if crate::bids::opened(conn, &section_id)? && on_committee(conn, &section_id, expert_id)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn new_seed() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl crate::contexts::Evaluation<'_> {
    #[tracing::instrument(skip_all)]
    pub fn register_expert(&self, principal: Option<&Principal>, request: NewExpert) -> Result<Expert, ServiceError> {
        let principal = authorized(principal, Action::ManageExperts)?;
        let expert = decide::read_new_expert(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let employer_known = match &expert.employer_id {
                Some(employer) => Some(ggzy_store::participants::find(conn, employer)?.is_some()),
                None => None,
            };
            decide::check_employer(employer_known).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            let row = expert_row(self.fresh_id(), &expert, now);
            repo::insert_expert(conn, &row)?;
            let view = expert_from_row(row.clone());
            crate::record_entry(conn, principal, now, expert_registered_entry(&view))?;
            Ok(view)
        })
    }

    pub fn experts(&self, principal: Option<&Principal>, query: ExpertQuery) -> Result<ExpertPage, ServiceError> {
        authorize(principal, Action::ManageExperts)?;
        let today = ggzy_kernel::local_date(self.clock.now());
        let (filter, page) = list_queries::read_expert_query(query, today).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let mut rows = repo::experts_page(conn, &filter, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            Ok(ExpertPage { items: rows.into_iter().map(expert_from_row).collect(), next_cursor })
        })
    }

    /// The expert declares a relation or interest with a participant (recusal).
    pub fn declare_relation(
        &self,
        principal: Option<&Principal>,
        expert_id: &str,
        request: DeclareRelation,
    ) -> Result<Expert, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        authorize(principal, Action::DeclareExpertRelation { expert_id })?;
        let (participant, relation) = decide::read_relation(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let expert = repo::find_expert(conn, expert_id)?.ok_or(ServiceError::NotFound { what: "expert" })?;
            let known = ggzy_store::participants::find(conn, &participant)?.is_some();
            decide::check_relation(known).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            repo::insert_relation(conn, expert_id, &participant, &relation)?;
            crate::record_entry(conn, principal_ref, now, relation_entry(expert_id, &participant, &relation))?;
            Ok(expert_from_row(expert))
        })
    }

    /// A regulator restricts an expert; the draw skips a restricted expert.
    pub fn restrict_expert(
        &self,
        principal: Option<&Principal>,
        expert_id: &str,
        request: RestrictExpert,
    ) -> Result<Expert, ServiceError> {
        let principal = authorized(principal, Action::RestrictExpert)?;
        let (until, decision) = decide::read_expert_restriction(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let expert = repo::restricted_expert(conn, expert_id, until, &decision)?
                .ok_or(ServiceError::NotFound { what: "expert" })?;
            crate::record_entry(conn, principal, now, expert_restriction_entry(expert_id, until, &decision))?;
            Ok(expert_from_row(expert))
        })
    }

    /// The centre draws the committee of an opened section at random from the eligible
    /// experts of the specialty.
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn draw_experts(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: DrawExperts,
    ) -> Result<ExpertDraw, ServiceError> {
        let principal = authorized(principal, Action::DrawExperts)?;
        let (specialty, size) = decide::read_draw(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let (_, project) = section_and_project(conn, section_id)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let reads = repo::draw_reads(conn, &project.id, section_id)?;
            let drawn_section = decide::DrawSection {
                opened: crate::bids::opened(conn, section_id)?,
                drawn_before: reads.drawn_before,
                category: ggzy_views::projects::category_of(&project)?,
                budget: ggzy_kernel::stored_money("projects.estimated_total", project.estimated_total)?,
            };
            let tendering = self.stored_rule_set(conn, project.rule_set_version)?.tendering;
            // Who may sit on the committee, and who may not with why: none of the parties.
            let parties: Vec<String> =
                std::iter::once(project.tenderer_id.clone()).chain(reads.bidders).chain(reads.agencies).collect();
            let pool: Vec<Expert> = reads.experts.into_iter().map(expert_from_row).collect();
            let eligibility = decide::eligibility(&pool, &reads.relations, &parties, &specialty, self.today());
            let decide::PlannedDraw { record, size } =
                decide::plan_draw(drawn_section, &specialty, size, &tendering, eligibility, new_seed())
                    .map_err(Answer::from)?;
            let row = draw_row(self.fresh_id(), section_id, specialty, size, &record, now, principal.actor())
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            repo::insert_draw(conn, &row)?;
            crate::record_entry(conn, principal, now, draw_entry(&project.id, &row.id, &record))?;
            draw_view(row)
        })
    }

    /// The draw, for the centre, the tenderer's side and supervisors; never for bidders.
    pub fn expert_draw(&self, principal: Option<&Principal>, id: &str) -> Result<ExpertDraw, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = repo::find_draw(conn, id)?.ok_or(ServiceError::NotFound { what: "draw" })?;
            let section =
                ggzy_store::projects::section(conn, &row.section_id)?.ok_or(ServiceError::NotFound { what: "draw" })?;
            let reads_project = self.tendering().visible_project(conn, Some(principal), &section.project_id).is_ok();
            if authorize(Some(principal), Action::ReadExpertDraw { reads_project }).is_err() {
                return Err(ServiceError::NotFound { what: "draw" });
            }
            draw_view(row)
        })
    }

    /// The draws the caller may read, newest first, of one section or all: every draw for
    /// the centre, 公管办 and inspectors; those of its projects for an industry regulator, a
    /// tenderer or an agency; nobody else (committee members are secret until the result,
    /// 招标投标法 §37).
    #[tracing::instrument(skip_all)]
    pub fn expert_draws(
        &self,
        principal: Option<&Principal>,
        query: DrawListQuery,
    ) -> Result<ExpertDrawPage, ServiceError> {
        let principal = authorized(principal, Action::ListExpertDraws)?;
        let (section_id, page) = list_queries::read_draw_list_query(query).map_err(ServiceError::Invalid)?;
        let scope = crate::policy::project_scope(principal);
        self.store().read(|conn| {
            let mut rows = repo::draws_page(
                conn,
                &scope,
                section_id.as_deref(),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items = rows.into_iter().map(draw_view).collect::<Result<_, _>>()?;
            Ok(ExpertDrawPage { items, next_cursor })
        })
    }

    /// Recomputes a draw from its recorded seed and candidates.
    pub fn replay_draw(&self, principal: Option<&Principal>, id: &str) -> Result<DrawReplay, ServiceError> {
        let draw = self.expert_draw(principal, id)?;
        Ok(draw.record.replay(ggzy_kernel::stored_count("expert_draws.size", i64::from(draw.size))?))
    }

    /// The evaluation committees the calling expert sits on now (the latest draw of each
    /// section, after recusals and replacements), newest draw first. A committee the expert
    /// stepped aside from, or a draw replaced by a later one, is not listed; no other member
    /// is named.
    pub fn own_committees(
        &self,
        principal: Option<&Principal>,
        query: OwnCommitteeQuery,
    ) -> Result<OwnCommitteePage, ServiceError> {
        let principal = authorized(principal, Action::ListOwnCommittees)?;
        let expert_id = principal
            .org
            .clone()
            .ok_or(ServiceError::Forbidden { detail: "令牌未指明专家".into(), rule: None })?;
        let (wanted, page) = list_queries::read_own_committee_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            // Every committee the expert sits on, newest draw first; an expert sits on few,
            // so the page is cut from the whole list.
            let mut committees = Vec::new();
            for row in repo::latest_draws_naming(conn, &expert_id)? {
                let draw = draw_view(row)?;
                if !draw.record.seats(&expert_id) {
                    continue;
                }
                let facts = repo::committee_facts(conn, &draw.section_id, &expert_id)?
                    .ok_or(ServiceError::NotFound { what: "section" })?;
                committees.push(own_committee(draw, facts));
            }
            let mut items = decide::own_page(committees, page.after.as_deref(), wanted, page.limit as usize + 1)
                .ok_or_else(crate::validate::unknown_cursor)?;
            let next_cursor = crate::validate::next_cursor(&mut items, page.limit, |c| c.draw_id.clone());
            Ok(OwnCommitteePage { items, next_cursor })
        })
    }

    /// A drawn expert steps aside; one replacement is drawn with a fresh recorded seed from
    /// the candidates not drawn before.
    pub fn recuse_expert(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: RecuseExpert,
    ) -> Result<ExpertDraw, ServiceError> {
        let principal = authorized(principal, Action::DrawExperts)?;
        let (expert_id, reason) = decide::read_recusal(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let row = repo::find_draw(conn, id)?.ok_or(ServiceError::NotFound { what: "draw" })?;
            let mut record = draw_record(&row)?;
            record.recuse(&expert_id, reason, new_seed()).map_err(Answer::from)?;
            let row = DrawRow { record: crate::json_text(&record)?, ..row };
            repo::update_draw_record(conn, id, &row.record)?;
            let section =
                ggzy_store::projects::section(conn, &row.section_id)?.ok_or(ServiceError::NotFound { what: "draw" })?;
            crate::record_entry(conn, principal, now, recusal_entry(&section.project_id, id, &record.recusals))?;
            draw_view(row)
        })
    }

    /// A committee member submits its scores for every bid of the section.
    pub fn submit_scores(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: SubmitScores,
    ) -> Result<(), ServiceError> {
        let principal = authorized(principal, Action::SubmitScores)?;
        let expert_id = principal.org.clone().unwrap_or_default();
        let sheet = decide::read_scores(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let reads = repo::scoring_reads(conn, section_id)?;
            let draw = draw_view(reads.latest_draw.ok_or(ServiceError::NotFound { what: "section" })?)?;
            decide::accept_scores(&draw.committee, &expert_id, reads.reported, &sheet, &reads.bidders)
                .map_err(Answer::from)?;
            repo::insert_scores(conn, section_id, &expert_id, &crate::json_text(&sheet)?, now).map_err(
                |e| match e {
                    ggzy_store::StoreError::UniqueViolation(_) => {
                        Answer::from(decide::ScoreRefusal::AlreadySubmitted).into()
                    }
                    other => ServiceError::from(other),
                },
            )?;
            let project_id = reads.project_id.unwrap_or_default();
            crate::record_entry(conn, principal, now, scores_entry(&project_id, section_id, &expert_id, &sheet))?;
            Ok(())
        })
    }

    fn result_view(&self, conn: &mut DbConnection, row: ResultRow) -> Result<SectionResult, ServiceError> {
        let official = ggzy_store::calendar::official_years(conn)?;
        let contract = match row.awarded_at {
            Some(awarded_at) => {
                let calendar = self.working_calendar_in(conn)?;
                let (_, project) = section_and_project(conn, &row.section_id)?;
                let (_, due) = self.oversight().contract_due(conn, &calendar, &project, &row.section_id, awarded_at)?;
                Some((utc(awarded_at), due))
            }
            None => None,
        };
        Ok(SectionResult::from_row(row, contract, &official)?)
    }

    /// The committee's report once every member has scored: the ranking, up to three
    /// candidates (construction.candidates.max), published for the publicity period.
    pub fn evaluation_report(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
    ) -> Result<SectionResult, ServiceError> {
        let principal = authorized(principal, Action::RecordEvaluation)?;
        let now = self.now_naive();
        let now_utc = self.now();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let (_, project) = section_and_project(conn, section_id)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let reads = repo::report_reads(conn, section_id)?;
            let draw = draw_view(decide::reporting_committee(reads.latest_draw).map_err(Answer::from)?)?;
            let sheets = score_sheets(reads.scores)?;
            let bids = opened_prices(crate::bids::opening_record_in(conn, section_id)?);
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let decide::EvaluationReport { candidates, publicity_end } = decide::report(
                &draw.committee,
                &sheets,
                reads.recorded,
                // Bids the committee rejected are not ranked.
                &reads.rejected,
                &bids,
                &rule_set,
                &calendar,
                now_utc,
            )
            .map_err(Answer::from)?;
            let row = report_row(section_id, &candidates, now, publicity_end)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            repo::insert_result(conn, &row)?;
            crate::record_entry(conn, principal, now, report_entry(&project.id, section_id, &candidates))?;
            self.result_view(conn, row)
        })
    }

    /// The result of a section as it stands; none yet is not found.
    fn current_result(&self, conn: &mut DbConnection, section_id: &str) -> Result<SectionResult, ServiceError> {
        let row = repo::result(conn, section_id)?.ok_or(ServiceError::NotFound { what: "result" })?;
        self.result_view(conn, row)
    }

    /// Candidates and result of a section, public once the report exists.
    pub fn section_result(&self, section_id: &str) -> Result<SectionResult, ServiceError> {
        self.store().read(|conn| self.current_result(conn, section_id))
    }

    /// The tenderer awards after the publicity period; a state-funded project takes the
    /// first-ranked candidate (construction.candidates.max). Losers' bond clocks start.
    pub fn award(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: AwardSection,
    ) -> Result<SectionResult, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let winner = decide::read_award(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let (_, project) = section_and_project(conn, section_id)?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            crate::contexts::Oversight::award_held_by_objection(conn, &project.id)?;
            let result = decide::recorded_report(repo::result(conn, section_id)?).map_err(Answer::from)?;
            let publicity_end = utc(result.publicity_end);
            let awarded = result.winner_id.is_some();
            let view = self.result_view(conn, result)?;
            let funding = crate::projects::project_funding(&project)?;
            decide::award(utc(now), publicity_end, &view.candidates, &winner, funding, awarded)
                .map_err(|stop| ServiceError::from(stop.answer()))?;
            // A concurrent award is caught by the write.
            if !repo::set_award(conn, section_id, &winner, now)? {
                return Err(decide::AwardStop::AlreadyAwarded.answer().into());
            }
            // Outcome signals and rotating groups, now that the winner is known.
            self.oversight().scan_awarded_section(conn, section_id)?;
            let event = (RefundTrigger::AwardNotice, Some(winner.as_str()));
            self.bonds().start_project_refund_clocks(conn, &project, Some(section_id), event, &calendar)?;
            crate::record_entry(conn, principal_ref, now, award_entry(&project.id, section_id, &winner))?;
            self.current_result(conn, section_id)
        })
    }

    /// The written contract after the award; flagged late past the contract window. The
    /// bonds' refund clocks start.
    pub fn sign_contract(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
        request: SignContract,
    ) -> Result<SectionResult, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let (amount, sha) = decide::read_contract(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let (_, project) = section_and_project(conn, section_id)?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            // The contract is a file the platform keeps (一项一档), not only its hash.
            crate::documents::must_be_stored(conn, "sha256", &sha)?;
            crate::contexts::Tendering::ensure_running(conn, &project)?;
            let result = decide::recorded_report(repo::result(conn, section_id)?).map_err(Answer::from)?;
            let awarded_at = decide::contract_award(result.awarded_at).map_err(Answer::from)?;
            let (rule, due) = self.oversight().contract_due(conn, &calendar, &project, section_id, awarded_at)?;
            let late = decide::signed_late(due, utc(now));
            if !repo::set_contract(conn, section_id, amount.fen(), &sha, now, late)? {
                return Err(Answer::from(decide::ResultStop::ContractSigned).into());
            }
            let event = (RefundTrigger::ContractSigned, result.winner_id.as_deref());
            self.bonds().start_project_refund_clocks(conn, &project, Some(section_id), event, &calendar)?;
            crate::record_entry(
                conn,
                principal_ref,
                now,
                contract_entry(&project.id, section_id, SignedContract { amount, sha256: &sha, late, rule: &rule }),
            )?;
            self.current_result(conn, section_id)
        })
    }
}
