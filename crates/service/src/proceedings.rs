//! The running of a project around its tender: questions and answers (答疑) that count as
//! clarifications, venues and bookings (场地安排), suspension, resumption and termination,
//! and the notifications everyone concerned receives.

use ggzy_kernel::AuditAction;
use ggzy_store::conduct::{self as repo, BookingRow, VenueRow};
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;

use crate::policy::{authorize, authorized, Action};
use crate::stored::stored;
use crate::utc;

use crate::validate;
use crate::{Principal, ServiceError};
pub use ggzy_oversight::notices::NotificationKind;
use ggzy_trading::proceedings::{self as decide, BookingValues};
pub use ggzy_trading::proceedings::{
    AnswerQuestion, AskQuestion, BookVenue, BookingPurpose, NewVenue, StateChange, VenueKind,
};
use ggzy_views::proceedings as proceedings_views;
pub use ggzy_views::proceedings::{
    Booking, BookingPage, BookingQuery, DecryptNowNotice, Notification, NotificationPage, NotificationPayload,
    NotificationQuery, NotificationsMarked, Question, QuestionPage, RecountNotice, StateChangeNotice, SuspensionNotice,
    UnreadCount, Venue, YearMissingNotice,
};

impl crate::contexts::Tendering<'_> {
    /// Refuses any trading step on a suspended or terminated project.
    pub(crate) fn ensure_running(conn: &mut DbConnection, project: &ProjectRow) -> Result<(), ServiceError> {
        let status = crate::projects::status_of(project)?;
        let suspension = repo::open_suspension(conn, &project.id)?;
        status
            .running(suspension.as_ref().map(|s| s.reason.as_str()))
            .map_err(|refusal| ServiceError::Conflict { detail: refusal.detail() })
    }

    /// Whether changes to the tender documents can still be made without moving the
    /// deadline: strictly before the clarification limit counted back from the deadline.
    fn clarification_open(&self, conn: &mut DbConnection, project: &ProjectRow) -> Result<(), ServiceError> {
        let announcement = ggzy_store::announcements::of_project(conn, &project.id)?
            .pop()
            .ok_or_else(|| ServiceError::Conflict { detail: "尚未发布招标公告".into() })?;
        let category = ggzy_views::projects::category_of(project)?;
        let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
        let calendar = self.working_calendar_in(conn)?;
        decide::clarification_open(category, utc(announcement.bid_deadline), &rule_set, &calendar, self.now())
            .map_err(|refusal| ServiceError::from(refusal.answer()))
    }

    /// A (potential) bidder asks about the tender documents, before the clarification limit.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn ask_question(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: AskQuestion,
    ) -> Result<Question, ServiceError> {
        let principal = authorized(principal, Action::Bid)?;
        let question = decide::read_question(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = crate::projects::project_row(conn, project_id)?;
            Self::ensure_running(conn, &project)?;
            self.clarification_open(conn, &project)?;
            let asked_by = principal.org.clone().unwrap_or_default();
            let row = proceedings_views::question_row(self.fresh_id(), project_id, asked_by, question, now);
            repo::insert_question(conn, &row)?;
            crate::record_entry(conn, principal, now, proceedings_views::question_asked_entry(&row))?;
            Ok(Question::from(row))
        })
    }

    /// The tenderer's side answers; the answer is published to everyone and counts as a
    /// clarification, so it must come before the clarification limit.
    #[tracing::instrument(skip_all, fields(question_id = %question_id))]
    pub fn answer_question(
        &self,
        principal: Option<&Principal>,
        question_id: &str,
        request: AnswerQuestion,
    ) -> Result<Question, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let answer = decide::read_answer(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let (question, project) =
                repo::question_and_project(conn, question_id)?.ok_or(ServiceError::NotFound { what: "question" })?;
            Self::authorize_tendering(conn, principal, &project)?;
            Self::ensure_running(conn, &project)?;
            self.clarification_open(conn, &project)?;
            if !repo::answer_question(conn, question_id, &answer, &principal_ref.actor(), now)? {
                return Err(ServiceError::Conflict { detail: "该问题已答复".into() });
            }
            crate::record_entry(
                conn,
                principal_ref,
                now,
                proceedings_views::question_answered_entry(&question, &answer),
            )?;
            Ok(proceedings_views::answered_question(question, answer, now))
        })
    }

    /// Answered questions of a project, public, without who asked.
    pub fn answered_questions(&self, project_id: &str) -> Result<Vec<Question>, ServiceError> {
        let rows = self.store().read(|conn| repo::questions_of(conn, project_id))?;
        Ok(rows.into_iter().filter(|q| q.answer.is_some()).map(Question::from).collect())
    }

    /// Questions of a project for the tenderer's side (to answer them) and supervisors, and
    /// a bidder's own questions; never the asker's name.
    /// The caller's queue of questions across projects, newest first, scoped as the
    /// objections' (a bidder its own; the tender's side and supervisors those of their
    /// projects, never saying who asked).
    #[tracing::instrument(skip_all)]
    pub fn question_queue(
        &self,
        principal: Option<&Principal>,
        query: crate::objections::QueueQuery,
    ) -> Result<QuestionPage, ServiceError> {
        let principal = authorized(principal, Action::ListQuestionQueue)?;
        let (filter, page) = crate::objections::checked_queue(query)?;
        let scope = crate::policy::queue_scope(principal);
        self.store().read(|conn| {
            let mut rows = ggzy_store::objections::question_queue(
                conn,
                &scope,
                &filter,
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            Ok(QuestionPage { items: rows.into_iter().map(Question::from).collect(), next_cursor })
        })
    }

    pub fn questions(&self, principal: Option<&Principal>, project_id: &str) -> Result<Vec<Question>, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let rows = repo::questions_of(conn, project_id)?;
            if let ggzy_store::objections::QueueScope::Own(asker) = crate::policy::queue_scope(principal) {
                return Ok(rows.into_iter().filter(|q| q.asked_by == asker).map(Question::from).collect());
            }
            self.visible_project(conn, Some(principal), project_id)?;
            Ok(rows.into_iter().map(Question::from).collect())
        })
    }

    pub fn create_venue(&self, principal: Option<&Principal>, request: NewVenue) -> Result<Venue, ServiceError> {
        authorize(principal, Action::ManageVenues)?;
        let (name, kind) = decide::read_venue(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let row = VenueRow { id: self.fresh_id(), name, kind: kind.as_str().to_owned(), created_at: now };
        self.store().write(|conn| {
            repo::insert_venue(conn, &row).map_err(|e| match e {
                ggzy_store::StoreError::UniqueViolation(_) => {
                    ServiceError::Conflict { detail: "场地名称已存在".into() }
                }
                other => other.into(),
            })
        })?;
        Ok(Venue { id: row.id, name: row.name, kind })
    }

    pub fn venues(&self) -> Result<Vec<Venue>, ServiceError> {
        let rows = self.store().read(repo::all_venues)?;
        Ok(rows.into_iter().map(Venue::try_from).collect::<Result<_, _>>()?)
    }

    /// Books a room for a project; bookings of one room never overlap, and each kind of room
    /// serves its own purpose only.
    #[tracing::instrument(skip_all, fields(venue_id = %venue_id))]
    pub fn book_venue(
        &self,
        principal: Option<&Principal>,
        venue_id: &str,
        request: BookVenue,
    ) -> Result<Booking, ServiceError> {
        let principal = authorized(principal, Action::ManageVenues)?;
        let values = decide::read_booking(request).map_err(ServiceError::Invalid)?;
        let BookingValues { project_id, purpose, starts_at, ends_at } = &values;
        let now = self.now_naive();
        self.store().write(|conn| {
            let venue = repo::lock_venue(conn, venue_id)?.ok_or(ServiceError::NotFound { what: "venue" })?;
            let kind: VenueKind = stored("venues.kind", &venue.kind)?;
            let project_known = ggzy_store::projects::find(conn, project_id)?.is_some();
            let overlapping = repo::overlapping(conn, venue_id, starts_at.naive_utc(), ends_at.naive_utc())?;
            let clashes = proceedings_views::clash_spans(overlapping);
            decide::may_book(kind, *purpose, project_known, &clashes)
                .map_err(|refusal| ServiceError::from(refusal.answer()))?;
            let row = proceedings_views::booking_row(self.fresh_id(), venue_id, &values, principal.actor());
            repo::insert_booking(conn, &row)?;
            crate::record_entry(conn, principal, now, proceedings_views::booking_entry(&row.id, &venue.name, &values))?;
            Ok(Booking::try_from(row)?)
        })
    }

    pub fn cancel_booking(&self, principal: Option<&Principal>, booking_id: &str) -> Result<Booking, ServiceError> {
        authorize(principal, Action::ManageVenues)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let row = repo::find_booking(conn, booking_id)?.ok_or(ServiceError::NotFound { what: "booking" })?;
            if !repo::cancel_booking(conn, booking_id, now)? {
                return Err(ServiceError::Conflict { detail: "预约已取消".into() });
            }
            Ok(Booking::try_from(BookingRow { cancelled_at: Some(now), ..row })?)
        })
    }

    /// Bookings of every room (cancelled ones left out), by start, in a range of Beijing
    /// dates and optionally of one room: the centre's day across its rooms. Public, as each
    /// room's bookings are.
    pub fn bookings(&self, query: BookingQuery) -> Result<BookingPage, ServiceError> {
        let filter = query.read().map_err(ServiceError::Invalid)?;
        let (after, limit) = (filter.page.after.as_deref(), filter.page.limit);
        self.store().read(|conn| {
            let venue_id = filter.venue_id.as_deref();
            let mut rows =
                repo::bookings_page(conn, filter.from, filter.before, venue_id, after, i64::from(limit) + 1)?
                    .ok_or_else(validate::unknown_cursor)?;
            let next_cursor = validate::next_cursor(&mut rows, limit, |row| row.id.clone());
            let items = rows.into_iter().map(Booking::try_from).collect::<Result<_, _>>()?;
            Ok(BookingPage { items, next_cursor })
        })
    }

    pub fn venue_bookings(&self, venue_id: &str) -> Result<Vec<Booking>, ServiceError> {
        let rows = self.store().read(|conn| repo::bookings_of(conn, venue_id))?;
        Ok(rows.into_iter().map(Booking::try_from).collect::<Result<_, _>>()?)
    }

    /// Tells everyone concerned with a project: its tenderer, commissioned agencies, its
    /// regulator and the centre, and the bidders who hold a bond on it. While a section is
    /// still sealed the bidders' copies do not go to webhook subscribers, whose copy names
    /// its recipient (招标投标法 §22).
    fn notify_concerned(
        &self,
        conn: &mut DbConnection,
        project: &ProjectRow,
        kind: NotificationKind,
        payload: &NotificationPayload,
    ) -> Result<(), ServiceError> {
        let agencies = Self::agencies_of(conn, &project.id)?;
        let mut bidders = Vec::new();
        let mut sealed = false;
        for section in ggzy_store::projects::sections_of(conn, &project.id)? {
            sealed |= crate::bids::sealed_section(conn, &section.id)?;
            bidders.extend(ggzy_store::ledger::bonds_of_section(conn, &section.id)?.into_iter().map(|b| b.bidder_id));
        }
        let told = decide::concerned(&project.tenderer_id, agencies, project.regulator_id.as_deref(), bidders, sealed);
        self.notify_each(conn, &told.parties, Some(&project.id), kind, payload, true)?;
        self.notify_each(conn, &told.bidders, Some(&project.id), kind, payload, told.bidders_to_subscribers)
    }

    /// Tells everyone concerned of a change to a project and audits it with the notice
    /// they were sent.
    fn announce_change(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        now: chrono::NaiveDateTime,
        project: &ProjectRow,
        (kind, action): (NotificationKind, AuditAction),
        notice: &NotificationPayload,
    ) -> Result<(), ServiceError> {
        self.notify_concerned(conn, project, kind, notice)?;
        crate::record_entry(conn, principal, now, proceedings_views::state_change_entry(&project.id, action, notice))
    }

    /// One notification per recipient (an organisation's inbox), each also queued for the
    /// webhook subscribers when `to_subscribers`.
    pub(crate) fn notify_each(
        &self,
        conn: &mut DbConnection,
        recipients: &[String],
        project_id: Option<&str>,
        kind: NotificationKind,
        payload: &NotificationPayload,
        to_subscribers: bool,
    ) -> Result<(), ServiceError> {
        crate::inboxes::deliver(conn, recipients, project_id, kind, payload, self.now_naive(), to_subscribers)
    }

    /// Whether the caller suspends or resumes (`act`) the project as a regulator (else as
    /// its tenderer); anyone else is refused.
    fn suspends_as_regulator(principal: &Principal, project: &ProjectRow, act: &str) -> Result<bool, ServiceError> {
        let party = crate::policy::suspending_party(principal, &project.tenderer_id, project.regulator_id.as_deref())
            .ok_or_else(|| ServiceError::Forbidden {
            detail: format!("仅招标人或项目的监管部门可{act}项目"),
            rule: None,
        })?;
        Ok(party == crate::policy::SuspendingParty::Regulator)
    }

    /// Suspends a project (objection pending, regulator's order, force majeure); every
    /// trading step waits until it resumes.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn suspend_project(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: StateChange,
    ) -> Result<(), ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let reason = decide::read_reason(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = crate::projects::project_row(conn, project_id)?;
            let by_regulator = Self::suspends_as_regulator(principal, &project, "暂停")?;
            Self::ensure_running(conn, &project)?;
            let suspension = proceedings_views::suspension_row(
                self.fresh_id(),
                &project,
                &reason,
                principal.actor(),
                by_regulator,
                now,
            );
            repo::insert_suspension(conn, &suspension)?;
            let notice = NotificationPayload::suspension(&reason, by_regulator, &project);
            let change = (NotificationKind::ProjectSuspended, AuditAction::ProjectSuspend);
            self.announce_change(conn, principal, now, &project, change, &notice)
        })
    }

    /// Resumes a suspended project; a regulator's suspension is lifted only by a regulator.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn resume_project(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: StateChange,
    ) -> Result<(), ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let reason = decide::read_reason(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            // Who may act is settled before the project's state is looked at.
            let project = self.visible_project(conn, Some(principal), project_id)?;
            let is_regulator = Self::suspends_as_regulator(principal, &project, "恢复")?;
            let suspension = repo::open_suspension(conn, project_id)?;
            let refused = decide::ResumeRefusal::answer;
            decide::may_resume(suspension.as_ref().map(|s| s.by_regulator == 1), is_regulator).map_err(refused)?;
            let suspension = suspension.ok_or(decide::ResumeRefusal::NotSuspended).map_err(refused)?;
            repo::resume(conn, &suspension.id, &principal.actor(), now)?;
            let notice = NotificationPayload::state_change(&reason, &project);
            let change = (NotificationKind::ProjectResumed, AuditAction::ProjectResume);
            self.announce_change(conn, principal, now, &project, change, &notice)
        })
    }

    /// Terminates a project (tenderer); every bond's refund clock starts
    /// (construction.bond.refund_on_termination).
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn terminate_project(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: StateChange,
    ) -> Result<(), ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let reason = decide::read_reason(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let project = crate::projects::project_row(conn, project_id)?;
            Self::authorize_tendering(conn, principal, &project)?;
            let next = crate::projects::next_status(&project, crate::projects::ProjectCommand::Terminate)?;
            crate::projects::set_status(conn, &project, next, now)?;
            let event = (crate::bonds::RefundTrigger::Termination, None);
            self.bonds().start_project_refund_clocks(conn, &project, None, event, &calendar)?;
            let notice = NotificationPayload::state_change(&reason, &project);
            let change = (NotificationKind::ProjectTerminated, AuditAction::ProjectTerminate);
            self.announce_change(conn, principal_ref, now, &project, change, &notice)
        })
    }
}

/// The inbox a principal reads: platform admins share one (the calendar reminders); every
/// other person reads their organisation's, and only when the organisation is of the kind
/// their role belongs to (a participant for tenderers, agents and bidders, a department of
/// the matching kind for its staff, an expert for experts). Role and organisation are
/// checked together, so a token of one role naming another kind's organisation reads
/// nothing of it; service accounts have no inbox.
fn inbox_of(conn: &mut DbConnection, principal: &Principal) -> Result<String, ServiceError> {
    use crate::principal::OrganisationKind;
    let refused = || ServiceError::Forbidden { detail: "该角色没有此机构的通知".into(), rule: None };
    if crate::policy::reads_platform_inbox(principal) {
        return Ok(crate::calendar::PLATFORM_INBOX.to_owned());
    }
    let org = principal.org.clone().ok_or_else(refused)?;
    let belongs = match principal.role.organisation_kind() {
        OrganisationKind::Participant => ggzy_store::participants::find(conn, &org)?.is_some(),
        OrganisationKind::Expert => ggzy_store::evaluation::find_expert(conn, &org)?.is_some(),
        OrganisationKind::Department => ggzy_store::departments::find(conn, &org)?
            .is_some_and(|d| principal.role.department_kind().is_some_and(|k| d.kind == k.as_str())),
        OrganisationKind::None => false,
    };
    belongs.then_some(org).ok_or_else(refused)
}

impl crate::contexts::Disclosure<'_> {
    /// The caller's organisation's notifications, newest first, all or the unread ones.
    pub fn notifications(
        &self,
        principal: Option<&Principal>,
        query: NotificationQuery,
    ) -> Result<NotificationPage, ServiceError> {
        let principal = authorized(principal, Action::ListNotifications)?;
        let (unread_only, page) = query.read().map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let recipient = inbox_of(conn, principal)?;
            let after = page.after.as_deref();
            let mut rows = repo::notifications_page(conn, &recipient, unread_only, after, i64::from(page.limit) + 1)?
                .ok_or_else(validate::unknown_cursor)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            Ok(NotificationPage {
                items: rows.into_iter().map(Notification::try_from).collect::<Result<_, _>>()?,
                next_cursor,
            })
        })
    }

    /// How many notifications of the caller's inbox are unread.
    pub fn unread_notifications(&self, principal: Option<&Principal>) -> Result<UnreadCount, ServiceError> {
        let principal = authorized(principal, Action::CountUnreadNotifications)?;
        self.store().read(|conn| {
            let recipient = inbox_of(conn, principal)?;
            Ok(UnreadCount { unread: repo::unread_notifications(conn, &recipient)? })
        })
    }

    /// Marks one notification of the caller's inbox read; again, it stays read as first
    /// marked. Another inbox's notification is not found.
    pub fn mark_notification_read(
        &self,
        principal: Option<&Principal>,
        id: &str,
    ) -> Result<Notification, ServiceError> {
        let principal = authorized(principal, Action::MarkNotificationRead)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let recipient = inbox_of(conn, principal)?;
            let row = repo::mark_notification_read(conn, &recipient, id, now)?
                .ok_or(ServiceError::NotFound { what: "notification" })?;
            Ok(Notification::try_from(row)?)
        })
    }

    /// Marks every unread notification of the caller's inbox read.
    pub fn mark_all_notifications_read(
        &self,
        principal: Option<&Principal>,
    ) -> Result<NotificationsMarked, ServiceError> {
        let principal = authorized(principal, Action::MarkAllNotificationsRead)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let recipient = inbox_of(conn, principal)?;
            let marked = repo::mark_all_notifications_read(conn, &recipient, now)?;
            Ok(NotificationsMarked { marked: u64::try_from(marked).unwrap_or(u64::MAX) })
        })
    }
}
