//! Objections (异议 in tendering, 质疑 in procurement): each stage has its window from the
//! rules and is refused outside it with the rule named; a construction objection suspends
//! the project until the tenderer answers (construction.objection.reply); the answer is due
//! within the rule's limit and an overdue one shows on the regulators' list; a results
//! objection holds the award.

use chrono::{DateTime, Utc};
use ggzy_kernel::Answer;
use ggzy_oversight::objection;
use ggzy_rules::Category;
use ggzy_store::objections::{self as repo, ObjectionRow};
use ggzy_store::DbConnection;

use crate::policy::{authorized, Action};
use crate::{Principal, ServiceError};

pub use ggzy_oversight::objection::request::{AnswerObjection, RaiseObjection};
pub use ggzy_oversight::objection::ObjectionStage;
use ggzy_views::objections::{
    answered_entry, objection_row, objection_suspension_row, raised_entry, read_queue, stage_facts, window_read,
    RaisedIn,
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
            let section_id = valid.section_id.as_deref();
            let dates = repo::window_dates(conn, project_id, section_id, window_read(stage))?;
            let facts = stage_facts(stage, section_id, project_id, dates, valid.knew_at)?;
            let rule = objection::window(&facts, &rule_set, &calendar, now_utc).map_err(Answer::from)?;
            let (reply_rule, reply_due) =
                stage.reply_due(&rule_set, &calendar, now_utc).map_err(crate::rules::deadline_error)?;
            // construction.objection.reply: the tendering is suspended until the answer.
            let suspension = stage.suspends_tendering().then(|| {
                objection_suspension_row(self.fresh_id(), project_id, project.status.clone(), principal.actor(), now)
            });
            let suspension_id = match suspension {
                Some(row) if ggzy_store::conduct::suspend_unless_suspended(conn, &row)? => Some(row.id),
                _ => None,
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
            let rows = repo::unanswered_supervised_by(conn, crate::policy::industry_of(principal))?;
            rows.into_iter().map(|row| view(row, now, &official)).collect()
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
