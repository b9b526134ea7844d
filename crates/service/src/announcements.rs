//! Tender announcements (招标公告) and corrections (更正公告): the bidding period and bond
//! caps are checked against the project's rule set; a correction that affects bid
//! preparation and comes later than the clarification period before the deadline must move
//! the deadline. Announcements are public, with the hash of their content.

use ggzy_rules::Category;
use ggzy_store::announcements as repo;
use ggzy_store::DbConnection;
use ggzy_trading::announcement::{self as decide, AnnouncementReads, AnnouncementRefusal};
pub use ggzy_trading::announcement::{
    AnnouncedSection, AnnouncementContent, PublishAnnouncement, PublishCorrection, SectionBond, TenderDocument,
};
pub use ggzy_trading::lifecycle::AnnouncementKind;
use ggzy_trading::opening::ScheduleCursor;
use ggzy_views::announcements::{self as announcements_views, registered_section};
pub use ggzy_views::announcements::{
    Announcement, AnnouncementPage, AnnouncementQuery, OpeningSchedulePage, OpeningScheduleQuery, ScheduledOpening,
};
use ggzy_views::list_queries::{read_announcement_query, read_opening_schedule_query};

use crate::validate;
use crate::{Principal, ServiceError};

/// What an announcement of the project is checked against: its sections, and which of the
/// request's documents no upload has.
fn reads(
    conn: &mut DbConnection,
    project: &ggzy_store::projects::ProjectRow,
    category: Category,
    documents: Option<&[TenderDocument]>,
) -> Result<AnnouncementReads, ServiceError> {
    let sections = ggzy_store::projects::sections_of(conn, &project.id)?;
    Ok(AnnouncementReads {
        project: announcements_views::announced_project(project, category),
        sections: sections.into_iter().map(registered_section).collect::<Result<_, _>>()?,
        unknown_documents: ggzy_store::documents::unknown_hashes(conn, &decide::named_hashes(documents))?,
    })
}

/// The answer to a refused announcement or correction.
fn refused(refusal: AnnouncementRefusal) -> ServiceError {
    ServiceError::from(refusal.answer())
}

impl crate::contexts::Tendering<'_> {
    /// Publishes the tender announcement of a registered project.
    #[tracing::instrument(skip_all, fields(project_id = %project_id))]
    pub fn publish_announcement(
        &self,
        principal: Option<&Principal>,
        project_id: &str,
        request: PublishAnnouncement,
    ) -> Result<Announcement, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let now_utc = self.now();
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let project = self.visible_project_for_tendering(conn, principal, project_id)?;
            Self::ensure_running(conn, &project)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let category = ggzy_views::projects::category_of(&project)?;
            decide::tender_rules(category).map_err(refused)?;
            let next = crate::projects::next_status(&project, crate::projects::ProjectCommand::Announce)?;
            let read = reads(conn, &project, category, request.documents.as_deref())?;
            let content = decide::announce(request, &read.facts(&rule_set, &calendar, now_utc)).map_err(refused)?;
            let announcement = self.store_announcement(conn, principal_ref, now, content, None)?;
            crate::projects::set_status(conn, &project, next, now)?;
            Ok(announcement)
        })
    }

    pub(crate) fn store_announcement(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        now: chrono::NaiveDateTime,
        content: AnnouncementContent,
        supersedes: Option<String>,
    ) -> Result<Announcement, ServiceError> {
        let internal = |e: serde_json::Error| ServiceError::Internal(e.to_string());
        let content_hash = announcements_views::content_hash(&content).map_err(internal)?;
        let publication = decide::publication(&content);
        let (id, by) = (self.fresh_id(), principal.actor());
        let row = announcements_views::announcement_row(
            id,
            &content,
            content_hash.clone(),
            &publication,
            supersedes,
            by,
            now,
        )
        .map_err(internal)?;
        repo::insert(conn, &row)?;
        for terms in publication.terms {
            // Each announced section gets its sealing key now, before any bid can arrive.
            if ggzy_store::bids::wrapped_key(conn, &terms.section_id)?.is_none() {
                let wrapped =
                    crate::sealing::wrap(self.bid_master_key()?, &crate::sealing::new_key(), &terms.section_id)?;
                ggzy_store::bids::insert_wrapped_key(conn, &terms.section_id, &wrapped, now)?;
            }
            if let Some(window_minutes) = publication.decryption_window_minutes {
                if ggzy_store::sealing::sealed_section(conn, &terms.section_id)?.is_none() {
                    let sealed = announcements_views::sealed_section_row(&terms.section_id, window_minutes);
                    ggzy_store::sealing::insert_sealed_section(conn, &sealed)?;
                }
            }
            repo::set_terms(conn, &announcements_views::terms_row(terms, &row))?;
        }
        let entry = announcements_views::published_entry(&row.id, publication.action, &content_hash, &content);
        crate::record_entry(conn, principal, now, entry)?;
        Ok(Announcement::try_from(row)?)
    }

    /// Publishes a correction. A change that affects bid preparation later than the
    /// clarification period before the deadline must move the deadline
    /// (construction.clarification, procurement.clarification).
    #[tracing::instrument(skip_all, fields(announcement_id = %announcement_id))]
    pub fn publish_correction(
        &self,
        principal: Option<&Principal>,
        announcement_id: &str,
        request: PublishCorrection,
    ) -> Result<Announcement, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let now_utc = self.now();
        let now = self.now_naive();
        let calendar = self.working_calendar()?;
        self.store().write(|conn| {
            let original = repo::find(conn, announcement_id)?.ok_or(ServiceError::NotFound { what: "announcement" })?;
            let project = self.visible_project_for_tendering(conn, principal, &original.project_id)?;
            Self::ensure_running(conn, &project)?;
            let rule_set = self.stored_rule_set(conn, project.rule_set_version)?;
            let previous = Announcement::try_from(
                repo::of_project(conn, &project.id)?.pop().ok_or(ServiceError::NotFound { what: "announcement" })?,
            )?;
            let category = ggzy_views::projects::category_of(&project)?;
            let read = reads(conn, &project, category, request.documents.as_deref())?;
            let facts = read.facts(&rule_set, &calendar, now_utc);
            let content = decide::correct(&previous.id, &previous.content, request, &facts).map_err(refused)?;
            self.store_announcement(conn, principal_ref, now, content, Some(previous.id))
        })
    }

    /// Announcements, public, in publication order, narrowed by the query's filters.
    pub fn announcements(&self, query: AnnouncementQuery) -> Result<AnnouncementPage, ServiceError> {
        let (filter, page) = read_announcement_query(query).map_err(ServiceError::Invalid)?;
        let mut rows =
            self.store().read(|conn| repo::list(conn, &filter, page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(AnnouncementPage {
            items: rows.into_iter().map(Announcement::try_from).collect::<Result<_, _>>()?,
            next_cursor,
        })
    }

    /// The published openings, soonest first (then by section), in a range of Beijing
    /// dates: the centre's list of the day's openings, and the public's. Public: the time
    /// and place are in the announcements.
    pub fn opening_schedule(&self, query: OpeningScheduleQuery) -> Result<OpeningSchedulePage, ServiceError> {
        let (range, page) = read_opening_schedule_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let limit = i64::from(page.limit) + 1;
            let mut rows = repo::openings_between(conn, range.from, range.before, range.after, limit)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| {
                ScheduleCursor { opening_at: row.opening_at, section_id: row.section_id.clone() }.to_string()
            });
            Ok(OpeningSchedulePage { items: rows.into_iter().map(ScheduledOpening::from).collect(), next_cursor })
        })
    }

    pub fn announcement(&self, id: &str) -> Result<Announcement, ServiceError> {
        let row = self.store().read(|conn| repo::find(conn, id))?;
        Ok(Announcement::try_from(row.ok_or(ServiceError::NotFound { what: "announcement" })?)?)
    }

    /// The project, if the principal may run its tendering: the tenderer, or an agent of
    /// the commissioned agency.
    fn visible_project_for_tendering(
        &self,
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        project_id: &str,
    ) -> Result<ggzy_store::projects::ProjectRow, ServiceError> {
        let project = self.visible_project(conn, principal, project_id)?;
        Self::authorize_tendering(conn, principal, &project)?;
        Ok(project)
    }
}
