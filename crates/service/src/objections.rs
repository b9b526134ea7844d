//! Objections (异议 in tendering, 质疑 in procurement): each stage has its window from the
//! rules and is refused outside it with the rule named; a construction objection suspends
//! the project until the tenderer answers (construction.objection.reply); the answer is due
//! within the rule's limit and an overdue one shows on the regulators' list; a results
//! objection holds the award.

use chrono::{DateTime, Utc};
use ggzy_kernel::Answer;
use ggzy_kernel::WorkingCalendar;
use ggzy_oversight::objection::{self, Publicity, StageFacts};
use ggzy_rules::{Category, RuleSet};
use ggzy_store::objections::{self as repo, ObjectionRow};
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;

use crate::policy::{authorized, Action};
use crate::utc;
use crate::{Principal, ServiceError};

pub use ggzy_oversight::objection::request::{AnswerObjection, RaiseObjection};
pub use ggzy_oversight::objection::ObjectionStage;
use ggzy_views::objections::{
    answered_entry, objection_row, objection_suspension_row, raised_entry, read_queue, RaisedIn,
};
pub use ggzy_views::objections::{Objection, ObjectionPage, QueueQuery};

fn view(row: ObjectionRow, now: DateTime<Utc>, official: &[i32]) -> Result<Objection, ServiceError> {
    Ok(Objection::from_row(row, now, official)?)
}

/// The filter and page asked for, every problem named at once.
pub(crate) fn checked_queue(query: QueueQuery) -> Result<(repo::QueueFilter, ggzy_kernel::PageRequest), ServiceError> {
    read_queue(query).map_err(ServiceError::Invalid)
}

impl crate::contexts::Oversight<'_> {
    /// Checks the window of a stage now; returns the rule of the window.
    fn objection_window(
        &self,
        conn: &mut DbConnection,
        (project, rule_set, calendar): (&ProjectRow, &RuleSet, &WorkingCalendar),
        stage: ObjectionStage,
        section_id: Option<&str>,
        knew_at: Option<DateTime<Utc>>,
    ) -> Result<&'static str, ServiceError> {
        let section = |conn: &mut DbConnection| -> Result<String, ServiceError> {
            let found = section_id.map(|id| ggzy_store::projects::section(conn, id)).transpose()?.flatten();
            let project_of = found.as_ref().map(|s| s.project_id.as_str());
            let named = objection::request::named_section(section_id, project_of, &project.id);
            Ok(named.map_err(|problem| ServiceError::Invalid(vec![problem]))?.to_owned())
        };
        let facts = match stage {
            ObjectionStage::TenderDocuments => {
                let announcement = ggzy_store::announcements::of_project(conn, &project.id)?
                    .pop()
                    .ok_or_else(|| ServiceError::Conflict { detail: "尚未发布招标公告".into() })?;
                StageFacts::TenderDocuments { bid_deadline: utc(announcement.bid_deadline) }
            }
            ObjectionStage::Opening => {
                let section = section(conn)?;
                StageFacts::Opening { opened_at: ggzy_store::bids::opening(conn, &section)?.map(|o| utc(o.opened_at)) }
            }
            ObjectionStage::EvaluationResult => {
                let section = section(conn)?;
                let result = ggzy_store::evaluation::result(conn, &section)?;
                StageFacts::EvaluationResult {
                    publicity: result.map(|r| Publicity { start: utc(r.publicity_start), end: utc(r.publicity_end) }),
                }
            }
            ObjectionStage::DirectAward => {
                let award = ggzy_store::projects::direct_award_of(conn, &project.id)?;
                StageFacts::DirectAward {
                    publicity: award.map(|a| Publicity { start: utc(a.reported_at), end: utc(a.publicity_end) }),
                }
            }
            ObjectionStage::ProcurementDocuments
            | ObjectionStage::ProcurementProcess
            | ObjectionStage::ProcurementResult => StageFacts::Procurement { knew_at },
        };
        objection::window(&facts, rule_set, calendar, self.now()).map_err(|refused| Answer::from(refused).into())
    }

    /// A bidder (or potential bidder) objects within the stage's window.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn raise_objection(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: RaiseObjection,
    ) -> Result<Objection, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let valid = ggzy_oversight::objection::request::read_objection(request).map_err(ServiceError::Invalid)?;
        let stage = valid.stage;
        let now = self.now_naive();
        let now_utc = self.now();
        self.store().write(|conn| {
            let project =
                ggzy_store::projects::find(conn, project_id)?.ok_or(ServiceError::NotFound { what: "project" })?;
            let category: Category = crate::projects::parse_stored_enum("category", &project.category)?;
            ggzy_oversight::objection::request::fits_category(stage, category)
                .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            let calendar = self.working_calendar_in(conn)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let counted = (&project, &rule_set, &calendar);
            let rule = self.objection_window(conn, counted, stage, valid.section_id.as_deref(), valid.knew_at)?;
            let (reply_rule, reply_due) =
                stage.reply_due(&rule_set, &calendar, now_utc).map_err(crate::rules::deadline_error)?;
            // construction.objection.reply: the tendering is suspended until the answer.
            let suspension_id =
                if stage.suspends_tendering() && ggzy_store::conduct::open_suspension(conn, project_id)?.is_none() {
                    let suspension = objection_suspension_row(
                        self.fresh_id(),
                        project_id,
                        project.status.clone(),
                        principal.actor(),
                        now,
                    );
                    ggzy_store::conduct::insert_suspension(conn, &suspension)?;
                    Some(suspension.id)
                } else {
                    None
                };
            let raised = RaisedIn { rule, reply_rule, reply_due };
            let objector = principal.org.clone().unwrap_or_default();
            let row = objection_row(self.fresh_id(), project_id, valid, objector, &raised, suspension_id, now);
            repo::insert(conn, &row)?;
            crate::record_entry(conn, principal, now, raised_entry(&row, stage, &raised))?;
            view(row, now_utc, &ggzy_store::calendar::official_years(conn)?)
        })
    }

    /// The tenderer's side answers; a suspension the objection caused is lifted.
    #[tracing::instrument(skip_all, fields(objection_id = %objection_id))]
    pub fn answer_objection(
        &self,
        principal: Option<&Principal>,
        objection_id: &str,
        request: AnswerObjection,
    ) -> Result<Objection, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let answer = ggzy_oversight::objection::request::read_answer(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let now_utc = self.now();
        self.store().write(|conn| {
            let objection = repo::find(conn, objection_id)?.ok_or(ServiceError::NotFound { what: "objection" })?;
            let project = ggzy_store::projects::find(conn, &objection.project_id)?
                .ok_or(ServiceError::NotFound { what: "objection" })?;
            crate::contexts::Tendering::authorize_tendering(conn, principal, &project)?;
            if !repo::answer(conn, objection_id, &answer, &principal_ref.actor(), now)? {
                return Err(ServiceError::Conflict { detail: "该异议已答复".into() });
            }
            if let Some(suspension) = &objection.suspension_id {
                ggzy_store::conduct::resume(conn, suspension, &principal_ref.actor(), now)?;
            }
            crate::record_entry(conn, principal_ref, now, answered_entry(&objection, &answer, now_utc))?;
            let official = ggzy_store::calendar::official_years(conn)?;
            view(
                repo::find(conn, objection_id)?.ok_or(ServiceError::NotFound { what: "objection" })?,
                now_utc,
                &official,
            )
        })
    }

    /// A project's objections: the tenderer's side and supervisors see all, an objector its own.
    pub fn objections(&self, principal: Option<&Principal>, project_id: &str) -> Result<Vec<Objection>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        self.store().read(|conn| {
            let official = ggzy_store::calendar::official_years(conn)?;
            let rows = repo::of_project(conn, project_id)?;
            if let repo::QueueScope::Own(objector) = crate::policy::queue_scope(principal) {
                return rows
                    .into_iter()
                    .filter(|o| o.objector_id == objector)
                    .map(|o| view(o, now, &official))
                    .collect();
            }
            self.tendering().visible_project(conn, Some(principal), project_id)?;
            rows.into_iter().map(|o| view(o, now, &official)).collect()
        })
    }

    /// Unanswered objections for supervisors (an industry regulator: its projects), overdue
    /// first.
    pub fn unanswered_objections(&self, principal: Option<&Principal>) -> Result<Vec<Objection>, ServiceError> {
        let principal = authorized(principal, Action::ListUnansweredObjections)?;
        let now = self.now();
        self.store().read(|conn| {
            let official = ggzy_store::calendar::official_years(conn)?;
            let mut out = Vec::new();
            for row in repo::unanswered(conn)? {
                if let Some(industry) = crate::policy::industry_of(principal) {
                    let project = ggzy_store::projects::find(conn, &row.project_id)?;
                    if project.and_then(|p| p.regulator_id).as_deref() != Some(industry) {
                        continue;
                    }
                }
                out.push(view(row, now, &official)?);
            }
            Ok(out)
        })
    }

    /// The caller's queue of objections across projects, newest first: a tenderer's those on
    /// its projects, an agent's those on its agency's commissions, an industry regulator's
    /// those it supervises, a bidder's its own; the centre, 公管办 and inspectors all.
    #[tracing::instrument(skip_all)]
    pub fn objection_queue(
        &self,
        principal: Option<&Principal>,
        query: QueueQuery,
    ) -> Result<ObjectionPage, ServiceError> {
        let principal = authorized(principal, Action::ListObjectionQueue)?;
        let (filter, page) = checked_queue(query)?;
        let scope = crate::policy::queue_scope(principal);
        let now = self.now();
        self.store().read(|conn| {
            let official = ggzy_store::calendar::official_years(conn)?;
            let mut rows =
                repo::objection_queue(conn, &scope, &filter, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items = rows.into_iter().map(|row| view(row, now, &official)).collect::<Result<_, _>>()?;
            Ok(ObjectionPage { items, next_cursor })
        })
    }

    /// A results objection still unanswered holds the award.
    pub(crate) fn award_held_by_objection(conn: &mut DbConnection, project_id: &str) -> Result<(), ServiceError> {
        let mut objections = Vec::new();
        for row in repo::of_project(conn, project_id)? {
            let stage: ObjectionStage = crate::projects::parse_stored_enum("stage", &row.stage)?;
            objections.push((stage, row.answered_at.is_some()));
        }
        objection::award_may_proceed(&objections)
            .map_err(|held| ServiceError::Conflict { detail: held.detail().into() })
    }
}
