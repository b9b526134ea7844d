//! Response and request bodies of announcements (see `ggzy_service::announcements` for the use cases).

use chrono::{DateTime, NaiveDateTime, Utc};
use ggzy_kernel::{stored_json, stored_money, StoredFault};
use ggzy_rules::Category;
use ggzy_store::announcements::{AnnouncementRow, ScheduledOpeningRow, SectionTermsRow};
use ggzy_store::projects::{ProjectRow, SectionRow};
use ggzy_trading::announcement::{AnnouncedProject, Publication, RegisteredSection, SectionTerms};
pub use ggzy_trading::announcement::{
    AnnouncedSection, AnnouncementContent, PublishAnnouncement, PublishCorrection, SectionBond, TenderDocument,
};
pub use ggzy_trading::lifecycle::AnnouncementKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Announcement {
    pub id: String,
    pub published_at: DateTime<Utc>,
    #[serde(flatten)]
    pub content: AnnouncementContent,
    pub content_hash: String,
}

/// The filters of the public announcement list (each narrows it). Any other parameter is
/// refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnnouncementQuery {
    /// Only this project's announcements (its tender or listing announcements and their
    /// corrections).
    #[param(format = Uuid)]
    pub project_id: Option<String>,
    /// Only announcements of projects of this category.
    #[param(value_type = Option<Category>)]
    pub category: Option<String>,
    /// Only this kind of announcement.
    #[param(value_type = Option<AnnouncementKind>)]
    pub kind: Option<String>,
    /// Published on or after this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub published_from: Option<String>,
    /// Published on or before this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub published_to: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A section's opening as published: when and where (开标时间、地点), from its
/// announcement or latest correction.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduledOpening {
    pub section_id: String,
    pub section_code: String,
    pub section_name: String,
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub opening_at: DateTime<Utc>,
    pub opening_place: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningSchedulePage {
    pub items: Vec<ScheduledOpening>,
    pub next_cursor: Option<String>,
}

/// The query of the opening schedule. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpeningScheduleQuery {
    /// Openings on or after this Beijing date.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Openings on or before this Beijing date (`from` = `to`: one day's openings).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Cursor from the previous page's `next_cursor` (the last opening's position, so a
    /// correction that moves it between pages neither skips nor repeats others).
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnnouncementPage {
    pub items: Vec<Announcement>,
    pub next_cursor: Option<String>,
}

impl TryFrom<AnnouncementRow> for Announcement {
    type Error = StoredFault;

    fn try_from(row: AnnouncementRow) -> Result<Self, StoredFault> {
        Ok(Announcement {
            content: stored_json("announcements.body", &row.body)?,
            id: row.id,
            published_at: row.published_at.and_utc(),
            content_hash: row.content_hash,
        })
    }
}

impl From<ScheduledOpeningRow> for ScheduledOpening {
    fn from(row: ScheduledOpeningRow) -> Self {
        ScheduledOpening {
            section_id: row.section_id,
            section_code: row.section_code,
            section_name: row.section_name,
            project_id: row.project_id,
            project_code: row.project_code,
            project_name: row.project_name,
            opening_at: row.opening_at.and_utc(),
            opening_place: row.opening_place,
        }
    }
}

/// A stored section as an announcement is checked against it.
pub fn registered_section(section: SectionRow) -> Result<RegisteredSection, StoredFault> {
    Ok(RegisteredSection {
        estimated_amount: stored_money("sections.estimated_amount", section.estimated_amount)?,
        id: section.id,
        code: section.code,
        name: section.name,
    })
}

/// The project an announcement is for, as registered.
pub fn announced_project(project: &ProjectRow, category: Category) -> AnnouncedProject {
    AnnouncedProject {
        id: project.id.clone(),
        code: project.code.clone(),
        name: project.name.clone(),
        category,
        rule_set_version: project.rule_set_version,
    }
}

/// The sha256 of an announcement's content, over its JSON text as stored in the audit trail.
pub fn content_hash(content: &AnnouncementContent) -> Result<String, serde_json::Error> {
    let text = serde_json::to_string(&serde_json::to_value(content)?)?;
    Ok(ggzy_store::audit::sha256_hex(text.as_bytes()))
}

/// An announcement as published at `at` by `published_by`, filed as `publication` says.
#[allow(clippy::too_many_arguments)]
pub fn announcement_row(
    id: String,
    content: &AnnouncementContent,
    content_hash: String,
    publication: &Publication,
    supersedes: Option<String>,
    published_by: String,
    at: NaiveDateTime,
) -> Result<AnnouncementRow, serde_json::Error> {
    Ok(AnnouncementRow {
        id,
        project_id: content.project_id.clone(),
        kind: publication.stored_kind.as_str().into(),
        supersedes,
        published_at: at,
        documents_issued_at: content.documents_issued_at.naive_utc(),
        bid_deadline: content.bid_deadline.naive_utc(),
        opening_at: content.opening_at.naive_utc(),
        opening_place: content.opening_place.clone(),
        body: serde_json::to_string(content)?,
        content_hash,
        published_by,
        category: content.category.as_str().into(),
    })
}

/// A section whose bidders seal their files, with its decryption window not yet opened.
pub fn sealed_section_row(section_id: &str, window_minutes: i32) -> ggzy_store::sealing::SealedSectionRow {
    ggzy_store::sealing::SealedSectionRow {
        section_id: section_id.to_owned(),
        window_minutes,
        window_opened_at: None,
        window_closes_at: None,
    }
}

/// The terms a section trades under from the announcement `announcement` on, with the
/// announcement's opening time.
pub fn terms_row(terms: SectionTerms, announcement: &AnnouncementRow) -> SectionTermsRow {
    SectionTermsRow {
        section_id: terms.section_id,
        announcement_id: announcement.id.clone(),
        bond_amount: terms.bond_amount.fen(),
        bid_deadline: terms.bid_deadline.naive_utc(),
        opening_at: announcement.opening_at,
    }
}

/// An announcement or correction published: its content with the hash of it.
pub fn published_entry(
    announcement_id: &str,
    action: ggzy_kernel::AuditAction,
    content_hash: &str,
    content: &AnnouncementContent,
) -> crate::audit_entry::AuditEntry<serde_json::Value> {
    let payload = serde_json::json!({ "content_hash": content_hash, "content": content });
    crate::audit_entry::project_entry(&content.project_id, action, "announcement", announcement_id, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    #[test]
    fn a_sealed_section_starts_with_its_window_closed() {
        let row = sealed_section_row("s1", 30);
        assert_eq!((row.section_id.as_str(), row.window_minutes), ("s1", 30));
        assert_eq!((row.window_opened_at, row.window_closes_at), (None, None));
    }

    #[test]
    fn an_announcement_whose_body_cannot_be_read_is_a_fault() {
        let row = AnnouncementRow {
            id: "a1".into(),
            project_id: "p1".into(),
            kind: "tender".into(),
            supersedes: None,
            published_at: at(9),
            documents_issued_at: at(9),
            bid_deadline: at(10),
            opening_at: at(10),
            opening_place: "一号开标室".into(),
            body: "{}".into(),
            content_hash: "ab".into(),
            published_by: "agent:1".into(),
            category: "construction".into(),
        };
        let fault = Announcement::try_from(row).unwrap_err();
        assert_eq!((fault.column, fault.expected), ("announcements.body", "JSON of the shape it is written in"));
    }

    #[test]
    fn a_scheduled_opening_shows_what_the_row_holds() {
        let row = ScheduledOpeningRow {
            section_id: "s1".into(),
            section_code: "A001".into(),
            section_name: "一标段".into(),
            project_id: "p1".into(),
            project_code: "A".into(),
            project_name: "水库".into(),
            opening_at: at(10),
            opening_place: "一号开标室".into(),
        };
        let shown = ScheduledOpening::from(row);
        assert_eq!((shown.section_code.as_str(), shown.project_name.as_str()), ("A001", "水库"));
        assert_eq!((shown.opening_at, shown.opening_place.as_str()), (at(10).and_utc(), "一号开标室"));
    }

    #[test]
    fn a_section_with_a_negative_stored_amount_is_a_fault() {
        let section = |fen| SectionRow {
            id: "s1".into(),
            project_id: "p1".into(),
            code: "A001".into(),
            position: 1,
            name: "一标段".into(),
            estimated_amount: fen,
        };
        assert_eq!(registered_section(section(500)).unwrap().estimated_amount.fen(), 500);
        let fault = registered_section(section(-5)).unwrap_err();
        assert_eq!(fault.to_string(), "sections.estimated_amount holds `-5`, which is not an amount in fen");
    }

    #[test]
    fn a_publication_is_audited_on_the_project_with_its_content_and_hash() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let content = AnnouncementContent {
            project_id: "p1".into(),
            project_code: "C1".into(),
            project_name: "水厂".into(),
            category: Category::Construction,
            kind: AnnouncementKind::Tender,
            supersedes: None,
            summary: None,
            documents_issued_at: at,
            bid_deadline: at,
            opening_at: at,
            opening_place: "开标室".into(),
            documents: Vec::new(),
            sections: Vec::new(),
            rule_set_version: 1,
            decryption_window_minutes: None,
        };
        let entry = published_entry("a1", ggzy_kernel::AuditAction::AnnouncementPublish, "ab", &content);
        assert_eq!(
            (entry.chain.as_str(), entry.object_type, entry.object_id.as_str()),
            ("project:p1", "announcement", "a1")
        );
        assert_eq!(entry.payload["content_hash"], "ab");
        assert_eq!(entry.payload["content"]["project_code"], "C1");
    }
}
