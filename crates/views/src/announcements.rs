//! Response and request bodies of announcements (see `ggzy_service::announcements` for the use cases).

use chrono::{DateTime, Utc};
use ggzy_rules::Category;
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
