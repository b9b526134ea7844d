//! Party notices: each audited change a party must act on or learn of lands in the inboxes
//! `ggzy_oversight::notices` names for it, in the change's own transaction; clocks about to
//! run out and overdue refunds are reminded of by a scheduled sweep. Each notice is also
//! queued for the webhook subscribers unless it would name a bidder still secret or a
//! committee member.

use chrono::NaiveDateTime;
use ggzy_oversight::lifecycle::ClockKind;
use ggzy_oversight::notices::{
    self, Audience, NoticeKind, NoticeParties, NoticeSubject, NotificationKind, ReminderStanding, Subject,
};
use ggzy_store::projects::ProjectRow;
use ggzy_store::DbConnection;

use crate::deadlines::RunningDeadline;
use crate::proceedings::NotificationPayload;
use crate::ServiceError;
use ggzy_views::inboxes::notice_rows;
pub use ggzy_views::inboxes::{ClockDue, PartyNotice};

/// Writes one notification per recipient (an organisation's inbox, each once) and, when
/// `to_subscribers`, queues each for every webhook subscription.
pub(crate) fn deliver(
    conn: &mut DbConnection,
    recipients: &[String],
    project_id: Option<&str>,
    kind: NotificationKind,
    payload: &NotificationPayload,
    at: NaiveDateTime,
    to_subscribers: bool,
) -> Result<(), ServiceError> {
    let text = crate::payload_of(payload)?.to_string();
    let subscriptions = if to_subscribers { ggzy_store::webhooks::active_subscriptions(conn)? } else { Vec::new() };
    let subscription_ids: Vec<String> = subscriptions.into_iter().map(|s| s.id).collect();
    let new_id = || ggzy_kernel::ids::v7_at(crate::utc(at)).to_string();
    for (notification, deliveries) in notice_rows(recipients, project_id, kind, &text, at, &subscription_ids, new_id) {
        ggzy_store::conduct::insert_notification(conn, &notification)?;
        for delivery in &deliveries {
            ggzy_store::webhooks::insert_delivery(conn, delivery)?;
        }
    }
    Ok(())
}

/// What a notice is about, loaded once, with the parties it may go to.
#[derive(Debug, Default)]
struct About {
    /// Always set by the constructor that loads the record.
    subject_type: Option<NoticeSubject>,
    subject_id: String,
    project: Option<ProjectRow>,
    section_id: Option<String>,
    /// The parties known with the record (asker, bond holder, complainant, new members);
    /// the others are read for the audiences that need them.
    parties: NoticeParties,
}

impl About {
    /// The record an audited action of this notice kind acted on; None when it is gone.
    fn of_action(
        conn: &mut DbConnection,
        kind: NoticeKind,
        action: ggzy_kernel::AuditAction,
        object_id: &str,
    ) -> Result<Option<About>, ServiceError> {
        let Some(subject_type) = notices::action_subject(kind) else { return Ok(None) };
        let about = match subject_type {
            NoticeSubject::Question => {
                let Some(question) = ggzy_store::conduct::find_question(conn, object_id)? else { return Ok(None) };
                let parties = NoticeParties { asker: Some(question.asked_by), ..NoticeParties::default() };
                About::on_project(conn, &question.project_id, None, parties)?
            }
            NoticeSubject::Objection => {
                let Some(objection) = ggzy_store::objections::find(conn, object_id)? else { return Ok(None) };
                let parties = NoticeParties { asker: Some(objection.objector_id), ..NoticeParties::default() };
                About::on_project(conn, &objection.project_id, objection.section_id, parties)?
            }
            NoticeSubject::Section => About::of_section(conn, object_id)?,
            NoticeSubject::Bond => {
                let Some(bond) = ggzy_store::ledger::find_bond(conn, object_id)? else { return Ok(None) };
                let parties = NoticeParties { bond_holder: Some(bond.bidder_id), ..NoticeParties::default() };
                About { parties, ..About::of_section(conn, &bond.section_id)? }
            }
            NoticeSubject::Complaint => {
                let Some(complaint) = ggzy_store::objections::find_complaint(conn, object_id)? else {
                    return Ok(None);
                };
                let parties = NoticeParties { complainant: Some(complaint.complainant_id), ..NoticeParties::default() };
                About::on_project(conn, &complaint.project_id, None, parties)?
            }
            NoticeSubject::ExpertDraw => {
                let Some(draw) = ggzy_store::evaluation::find_draw(conn, object_id)? else { return Ok(None) };
                let new_members = crate::evaluation::new_members(&draw, notices::only_replacements(action))?;
                let parties = NoticeParties { new_members, ..NoticeParties::default() };
                About { parties, ..About::of_section(conn, &draw.section_id)? }
            }
            NoticeSubject::RiskAlert => return Ok(None),
        };
        Ok(Some(About { subject_type: Some(subject_type), subject_id: object_id.to_owned(), ..about }))
    }

    /// About a record of a project (of one of its sections) known with its `parties`.
    fn on_project(
        conn: &mut DbConnection,
        project_id: &str,
        section_id: Option<String>,
        parties: NoticeParties,
    ) -> Result<About, ServiceError> {
        Ok(About { project: ggzy_store::projects::find(conn, project_id)?, section_id, parties, ..About::default() })
    }

    fn of_section(conn: &mut DbConnection, section_id: &str) -> Result<About, ServiceError> {
        let project = ggzy_store::projects::section_and_project(conn, section_id)?.map(|(_, project)| project);
        Ok(About { project, section_id: Some(section_id.to_owned()), ..About::default() })
    }

    /// The inboxes of the audiences, in order, each once ([`notices::recipients`]); the
    /// project's owners, the section's bidders and its winner read only when asked for.
    fn recipients(&self, conn: &mut DbConnection, audiences: &[Audience]) -> Result<Vec<String>, ServiceError> {
        let mut parties = self.parties.clone();
        parties.supervisor = crate::supervising_department(self.project.as_ref());
        if let (Some(project), true) = (&self.project, audiences.contains(&Audience::ProjectOwners)) {
            parties.owners = vec![project.tenderer_id.clone()];
            parties.owners.extend(crate::contexts::Tendering::agencies_of(conn, &project.id)?);
        }
        if let (Some(section_id), true) = (&self.section_id, audiences.contains(&Audience::SectionBidders)) {
            parties.section_bidders =
                ggzy_store::bids::submitted(conn, section_id)?.into_iter().map(|b| b.bidder_id).collect();
        }
        if let (Some(section_id), true) = (&self.section_id, audiences.contains(&Audience::Winner)) {
            parties.winner = ggzy_store::evaluation::result(conn, section_id)?.and_then(|r| r.winner_id);
        }
        Ok(notices::recipients(audiences, &parties))
    }

    /// Whether any section of the project still keeps its bidders secret.
    fn bidders_secret(&self, conn: &mut DbConnection) -> Result<bool, ServiceError> {
        let Some(project) = &self.project else { return Ok(false) };
        for section in ggzy_store::projects::sections_of(conn, &project.id)? {
            if crate::bids::sealed_section(conn, &section.id)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn send(
        &self,
        conn: &mut DbConnection,
        kind: NoticeKind,
        audiences: &[Audience],
        clock: Option<ClockDue>,
        at: NaiveDateTime,
    ) -> Result<usize, ServiceError> {
        let recipients = self.recipients(conn, audiences)?;
        if recipients.is_empty() {
            return Ok(0);
        }
        let subject = Subject {
            project_id: self.project.as_ref().map(|p| p.id.as_str()),
            section_id: self.section_id.as_deref(),
            object_id: &self.subject_id,
        };
        let subject_type =
            self.subject_type.ok_or_else(|| ServiceError::Internal("a notice without its subject".into()))?;
        let notice = PartyNotice::of(kind, subject_type, subject, self.project.as_ref().map(|p| p.code.clone()), clock);
        let to_subscribers = notices::to_subscribers(kind, self.bidders_secret(conn)?);
        deliver(
            conn,
            &recipients,
            self.project.as_ref().map(|p| p.id.as_str()),
            kind.into(),
            &NotificationPayload::Party(notice),
            at,
            to_subscribers,
        )?;
        Ok(recipients.len())
    }
}

/// The party notice an audited action makes, if it makes one, inside its transaction.
pub(crate) fn notify_parties(
    conn: &mut DbConnection,
    action: ggzy_kernel::AuditAction,
    object_id: &str,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let Some(rule) = notices::on_action(action) else { return Ok(()) };
    let Some(about) = About::of_action(conn, rule.kind, action, object_id)? else { return Ok(()) };
    about.send(conn, rule.kind, rule.audiences, None, at)?;
    Ok(())
}

/// A new risk alert, to the departments it is routed to.
pub(crate) fn notify_alert(
    conn: &mut DbConnection,
    alert_id: &str,
    departments: &[String],
    project_id: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let project = project_id.map(|id| ggzy_store::projects::find(conn, id)).transpose()?.flatten();
    let kind = NoticeKind::RiskAlertRaised;
    let subject = Subject { project_id, section_id: None, object_id: alert_id };
    let notice =
        PartyNotice::of(kind, NoticeSubject::RiskAlert, subject, project.as_ref().map(|p| p.code.clone()), None);
    deliver(
        conn,
        departments,
        project_id,
        kind.into(),
        &NotificationPayload::Party(notice),
        at,
        notices::to_subscribers(kind, false),
    )
}

impl crate::contexts::Disclosure<'_> {
    /// Reminds whoever owes a clock that runs out within one working day, and tells a
    /// bidder its bond's refund is overdue; each reminder once (per clock and due moment).
    /// Run by the server every few minutes; returns how many notifications it sent.
    pub fn send_reminders(&self) -> Result<usize, ServiceError> {
        let now = self.now();
        let (clocks, calendar) = self.store().read(|conn| -> Result<_, ServiceError> {
            let calendar = self.working_calendar_in(conn)?;
            Ok((self.oversight().running_clocks(conn, &calendar, now, true)?, calendar))
        })?;
        let mut sent = 0;
        for clock in clocks {
            let notice = match notices::reminder(&calendar, clock.kind, clock.due, now) {
                Ok(Some(notice)) => notice,
                Ok(None) => continue,
                Err(error) => {
                    tracing::warn!(%error, subject = %clock.subject_id, "a clock's reminder could not be counted");
                    continue;
                }
            };
            // One clock that cannot be reminded of (another instance sent it a moment ago, a
            // record gone) does not hold up the others.
            match self.remind(&clock, notice) {
                Ok(count) => sent += count,
                Err(error) => tracing::warn!(%error, subject = %clock.subject_id, "a clock's reminder was not sent"),
            }
        }
        Ok(sent)
    }

    fn remind(&self, clock: &RunningDeadline, notice: NoticeKind) -> Result<usize, ServiceError> {
        let at = self.now_naive();
        let key = format!("{notice}:{}:{}:{}", clock.kind, clock.subject_id, clock.due.timestamp());
        self.store().write(|conn| {
            let project = ggzy_store::projects::find(conn, &clock.project_id)?;
            let mut about = About { subject_id: clock.subject_id.clone(), project, ..About::default() };
            let standing = match clock.kind {
                ClockKind::BondRefund => {
                    let bond = ggzy_store::ledger::find_bond(conn, &clock.subject_id)?;
                    let sealed = bond.as_ref().map(|b| crate::bids::sealed_section(conn, &b.section_id)).transpose()?;
                    let settled = bond.as_ref().is_none_or(|b| b.outcome.is_some());
                    about.parties.bond_holder = bond.as_ref().map(|b| b.bidder_id.clone());
                    about.section_id = bond.map(|b| b.section_id);
                    ReminderStanding::Bond { settled, sealed: sealed.unwrap_or(false) }
                }
                ClockKind::ObjectionAnswer => {
                    let objection = ggzy_store::objections::find(conn, &clock.subject_id)?;
                    let answered = objection.as_ref().is_none_or(|o| o.answered_at.is_some());
                    about.section_id = objection.and_then(|o| o.section_id);
                    ReminderStanding::Objection { answered }
                }
                ClockKind::ContractSigning | ClockKind::CandidatePublicity | ClockKind::DirectAwardPublicity => {
                    about.section_id = Some(clock.subject_id.clone());
                    ReminderStanding::Other
                }
                ClockKind::ComplaintAcceptance | ClockKind::ComplaintDecision => ReminderStanding::Other,
            };
            let Some(plan) = notices::plan_reminder(clock.kind, notice, standing) else { return Ok(0) };
            about.subject_type = Some(plan.subject);
            if !ggzy_store::conduct::reminder_sent_once(conn, &key, at)? {
                return Ok(0);
            }
            let due = ClockDue { kind: clock.kind, rule_id: clock.rule_id.clone(), due: clock.due };
            about.send(conn, notice, plan.audiences, Some(due), at)
        })
    }
}
