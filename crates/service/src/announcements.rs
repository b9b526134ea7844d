//! Tender announcements (招标公告) and corrections (更正公告): the bidding period and bond
//! caps are checked against the project's rule set; a correction that affects bid
//! preparation and comes later than the clarification period before the deadline must move
//! the deadline. Announcements are public, with the hash of their content.

use chrono::{DateTime, Utc};
use ggzy_kernel::{local_date, FieldError, Money};
use ggzy_rules::{rule_ids, Category, RuleSet};
use ggzy_store::announcements::{self as repo, AnnouncementRow, SectionTermsRow};
use ggzy_store::DbConnection;
pub use ggzy_trading::lifecycle::AnnouncementKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::{self, Problems};
use crate::{Platform, Principal, ServiceError};

/// A tender document, recorded by its hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderDocument {
    #[schema(required = true, value_type = String, example = "招标文件")]
    pub title: Option<String>,
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

/// The bond of one section.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBond {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub section_id: Option<String>,
    /// Bid bond, decimal yuan; at most the category's cap of the section's estimate.
    #[schema(required = true, value_type = String, example = "12000.00")]
    pub bond_amount: Option<String>,
}

/// Publishing a tender announcement for a registered project.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishAnnouncement {
    /// When the tender documents are first issued (default: now).
    pub documents_issued_at: Option<DateTime<Utc>>,
    #[schema(required = true, value_type = DateTime<Utc>)]
    pub bid_deadline: Option<DateTime<Utc>>,
    /// Bid opening; not before the deadline (default: the deadline).
    pub opening_at: Option<DateTime<Utc>>,
    #[schema(required = true, value_type = String, example = "密云区公共资源交易中心开标一室")]
    pub opening_place: Option<String>,
    #[schema(required = true)]
    pub documents: Option<Vec<TenderDocument>>,
    /// Every section of the project with its bond.
    #[schema(required = true)]
    pub sections: Option<Vec<SectionBond>>,
    /// `bidder`, the only value taken and the default: the bidders seal their bids
    /// themselves and decrypt them at the opening (tendering.bidder_sealing). `platform` is
    /// refused: only sections announced before bidder sealing keep the platform's sealing.
    pub bid_sealing: Option<ggzy_trading::lifecycle::BidSealing>,
    /// Minutes of the decryption window at the opening (tendering.decryption_window: the
    /// rule set's default, 30, within its limits, 15–120).
    #[serde(default, deserialize_with = "crate::validate::whole_number")]
    #[schema(value_type = Option<u32>, minimum = 1)]
    pub decryption_window_minutes: Option<u32>,
}

/// A correction (更正公告): the fields that change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishCorrection {
    /// Whether the change affects the preparation of bids (construction.clarification,
    /// procurement.clarification).
    #[schema(required = true, value_type = bool)]
    pub affects_preparation: Option<bool>,
    pub bid_deadline: Option<DateTime<Utc>>,
    pub opening_at: Option<DateTime<Utc>>,
    pub opening_place: Option<String>,
    pub documents: Option<Vec<TenderDocument>>,
    pub sections: Option<Vec<SectionBond>>,
    /// What changed and why.
    #[schema(required = true, value_type = String)]
    pub summary: Option<String>,
}

/// The terms of a section as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnouncedSection {
    pub section_id: String,
    pub section_code: String,
    pub name: String,
    pub estimated_amount: Money,
    pub bond_amount: Money,
}

/// An announcement as published. `content_hash` is the sha256 of the canonical JSON of
/// everything above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnouncementContent {
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub category: Category,
    /// tender, listing (挂牌出让/转让公告) or correction.
    pub kind: AnnouncementKind,
    pub supersedes: Option<String>,
    pub summary: Option<String>,
    pub documents_issued_at: DateTime<Utc>,
    pub bid_deadline: DateTime<Utc>,
    pub opening_at: DateTime<Utc>,
    pub opening_place: String,
    pub documents: Vec<TenderDocument>,
    pub sections: Vec<AnnouncedSection>,
    /// The rules the announcement was checked against.
    pub rule_set_version: i32,
    /// Present when the bidders seal their bids themselves: the minutes of the decryption
    /// window at the opening (tendering.bidder_sealing, tendering.decryption_window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decryption_window_minutes: Option<u32>,
}

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

pub(crate) fn view(row: AnnouncementRow) -> Result<Announcement, ServiceError> {
    let content: AnnouncementContent =
        serde_json::from_str(&row.body).map_err(|e| ServiceError::Internal(format!("stored announcement: {e}")))?;
    Ok(Announcement {
        id: row.id,
        published_at: DateTime::from_naive_utc_and_offset(row.published_at, Utc),
        content,
        content_hash: row.content_hash,
    })
}

pub(crate) fn documents(problems: &mut Problems, list: Vec<TenderDocument>) -> Vec<TenderDocument> {
    if list.is_empty() {
        problems.push(FieldError::new("documents", "empty", "须提供招标文件"));
    }
    list.into_iter()
        .enumerate()
        .map(|(index, d)| {
            let field = format!("documents[{index}]");
            let title = problems
                .required(&format!("{field}.title"), d.title)
                .and_then(|t| problems.text(&format!("{field}.title"), t, 200));
            let sha256 = problems.required(&format!("{field}.sha256"), d.sha256).filter(|s| {
                let ok = crate::validate::is_sha256(s);
                if !ok {
                    problems.push(FieldError::new(
                        format!("{field}.sha256"),
                        "invalid_sha256",
                        "须为 64 位小写十六进制 sha256 摘要",
                    ));
                }
                ok
            });
            TenderDocument { title, sha256 }
        })
        .collect()
}

/// The rules that govern tendering of a category.
fn tender_rules(category: Category) -> Result<(&'static str, &'static str), ServiceError> {
    match category {
        Category::Construction | Category::Other => {
            Ok((rule_ids::CONSTRUCTION_BIDDING_PERIOD, rule_ids::CONSTRUCTION_CLARIFICATION))
        }
        Category::Procurement => Ok((rule_ids::PROCUREMENT_BIDDING_PERIOD, rule_ids::PROCUREMENT_CLARIFICATION)),
        Category::LandMining | Category::StateProperty => Err(ServiceError::Conflict {
            detail: "土地、矿业权和国有产权项目以挂牌、拍卖方式交易，不发布招标公告".into(),
        }),
    }
}

fn hash_content(content: &AnnouncementContent) -> Result<String, ServiceError> {
    let value = crate::payload_of(content)?;
    let text = serde_json::to_string(&value).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(ggzy_store::audit::sha256_hex(text.as_bytes()))
}

impl Platform {
    /// Checks and prices the sections against the bond cap (construction.bond.cap,
    /// procurement.bond.cap).
    fn announced_sections(
        conn: &mut DbConnection,
        problems: &mut Problems,
        rule_set: &RuleSet,
        category: Category,
        project_id: &str,
        requested: Vec<SectionBond>,
        require_all: bool,
    ) -> Result<Vec<AnnouncedSection>, ServiceError> {
        let sections = ggzy_store::projects::sections_of(conn, project_id)?;
        let cap = rule_set.bond_cap(category);
        let mut announced = Vec::new();
        for (index, entry) in requested.into_iter().enumerate() {
            let field = format!("sections[{index}]");
            let section_id = problems.required(&format!("{field}.section_id"), entry.section_id);
            let bond = problems.required(&format!("{field}.bond_amount"), entry.bond_amount).and_then(|a| {
                Money::parse(&a).map_err(|e| problems.push(e.to_field_error(format!("{field}.bond_amount")))).ok()
            });
            let Some(section) = section_id.and_then(|id| sections.iter().find(|s| s.id == id)) else {
                problems.push(FieldError::new(
                    format!("{field}.section_id"),
                    "unknown_section",
                    "不是本项目的标段（包）",
                ));
                continue;
            };
            if announced.iter().any(|a: &AnnouncedSection| a.section_id == section.id) {
                problems.push(FieldError::new(format!("{field}.section_id"), "duplicate", "标段（包）重复"));
                continue;
            }
            let estimate =
                Money::from_fen(section.estimated_amount).map_err(|e| ServiceError::Internal(e.to_string()))?;
            let Some(bond) = bond else { continue };
            if let Some(cap) = cap {
                let max = cap.max_amount(estimate);
                if bond > max {
                    problems.push(FieldError::new(
                        format!("{field}.bond_amount"),
                        "exceeds_bond_cap",
                        format!(
                            "投标保证金不得超过估算价的 {}.{:02}%（{}），上限为 {max} 元",
                            cap.basis_points / 100,
                            cap.basis_points % 100,
                            cap.rule_id
                        ),
                    ));
                }
            }
            announced.push(AnnouncedSection {
                section_id: section.id.clone(),
                section_code: section.code.clone(),
                name: section.name.clone(),
                estimated_amount: estimate,
                bond_amount: bond,
            });
        }
        if require_all && problems.is_empty() && announced.len() != sections.len() {
            problems.push(FieldError::new("sections", "incomplete", "须列出本项目的全部标段（包）及其保证金"));
        }
        Ok(announced)
    }

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
            let category: Category = crate::projects::parse_stored_enum("category", &project.category)?;
            let (period_rule, _) = tender_rules(category)?;
            let next = crate::projects::next_status(&project, crate::projects::ProjectCommand::Announce)?;
            let mut problems = Problems::default();
            let issued_at = request.documents_issued_at.unwrap_or(now_utc);
            let bid_deadline = problems.required("bid_deadline", request.bid_deadline);
            let opening_at = request.opening_at.or(bid_deadline);
            let place = problems
                .required("opening_place", request.opening_place)
                .and_then(|p| problems.text("opening_place", p, 200));
            let docs = problems
                .required("documents", request.documents)
                .map(|d| documents(&mut problems, d))
                .unwrap_or_default();
            let hashes: Vec<Option<String>> = docs.iter().map(|d| d.sha256.clone()).collect();
            crate::documents::check_stored(conn, &mut problems, "documents", &hashes)?;
            let sections = match problems.required("sections", request.sections) {
                Some(list) => {
                    Self::announced_sections(conn, &mut problems, &rule_set, category, project_id, list, true)?
                }
                None => Vec::new(),
            };
            if let (Some(deadline), Some(opening)) = (bid_deadline, opening_at) {
                if opening < deadline {
                    problems.push(FieldError::new("opening_at", "before_deadline", "开标时间不得早于投标截止时间"));
                }
                if deadline <= now_utc {
                    problems.push(FieldError::new("bid_deadline", "in_past", "投标截止时间须晚于当前时间"));
                }
                let period = rule_set.due(period_rule, issued_at, &calendar).map_err(crate::rules::deadline_error)?;
                if !period.permits_closing_on(local_date(deadline)) {
                    problems.push(FieldError::new(
                        "bid_deadline",
                        "bidding_period_too_short",
                        format!(
                            "自招标文件发出之日起至投标截止不得少于 {} 日（{}，{}），最早截止日为 {}",
                            period.amount, period_rule, period.source, period.end_date
                        ),
                    ));
                }
            }
            // Every section announced from now on takes envelopes only (电子招标投标办法 §24):
            // the platform's own sealing is left to sections announced before.
            if request.bid_sealing == Some(ggzy_trading::lifecycle::BidSealing::Platform) {
                problems.push(FieldError::new(
                    "bid_sealing",
                    "platform_sealing_closed",
                    format!("新发布的招标公告一律由投标人自行加密投标文件（{}）", ggzy_rules::rule_ids::BIDDER_SEALING),
                ));
            }
            let window = rule_set.sealing.window(request.decryption_window_minutes);
            if window.is_none() {
                problems.push(FieldError::new(
                    "decryption_window_minutes",
                    "window_out_of_range",
                    format!(
                        "解密时限须在 {} 至 {} 分钟之间（{}）",
                        rule_set.sealing.decryption_window_min,
                        rule_set.sealing.decryption_window_max,
                        ggzy_rules::rule_ids::DECRYPTION_WINDOW
                    ),
                ));
            }
            problems.finish()?;
            let (Some(bid_deadline), Some(opening_at), Some(place)) = (bid_deadline, opening_at, place) else {
                return Err(ServiceError::Internal("validation passed without values".into()));
            };
            let content = AnnouncementContent {
                project_id: project.id.clone(),
                project_code: project.code.clone(),
                project_name: project.name.clone(),
                category,
                kind: AnnouncementKind::Tender,
                supersedes: None,
                summary: None,
                documents_issued_at: issued_at,
                bid_deadline,
                opening_at,
                opening_place: place,
                documents: docs,
                sections,
                rule_set_version: project.rule_set_version,
                decryption_window_minutes: window,
            };
            let announcement = self.store_announcement(conn, principal_ref, now, content, None)?;
            if !ggzy_store::projects::set_status(conn, project_id, next.as_str(), now, project.version)? {
                return Err(ServiceError::Conflict { detail: "项目已被他人修改，请重试".into() });
            }
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
        let content_hash = hash_content(&content)?;
        let row = AnnouncementRow {
            id: self.fresh_id(),
            project_id: content.project_id.clone(),
            // The column tells an original announcement from a correction; the content says
            // which procedure (a tender, or a listing of land, mining rights or property).
            // The column tells corrections from first announcements (a listing's is one).
            kind: if content.kind == AnnouncementKind::Correction {
                AnnouncementKind::Correction.as_str().into()
            } else {
                AnnouncementKind::Tender.as_str().into()
            },
            supersedes,
            published_at: now,
            documents_issued_at: content.documents_issued_at.naive_utc(),
            bid_deadline: content.bid_deadline.naive_utc(),
            opening_at: content.opening_at.naive_utc(),
            opening_place: content.opening_place.clone(),
            body: serde_json::to_string(&content).map_err(|e| ServiceError::Internal(e.to_string()))?,
            content_hash: content_hash.clone(),
            published_by: principal.actor(),
        };
        repo::insert(conn, &row)?;
        for section in &content.sections {
            // Each announced section gets its sealing key now, before any bid can arrive.
            if ggzy_store::bids::wrapped_key(conn, &section.section_id)?.is_none() {
                let wrapped =
                    crate::sealing::wrap(self.bid_master_key()?, &crate::sealing::new_key(), &section.section_id)?;
                ggzy_store::bids::insert_wrapped_key(conn, &section.section_id, &wrapped, now)?;
            }
            // Bidder sealing is settled with the first announcement of the section.
            if let Some(minutes) = content.decryption_window_minutes {
                if ggzy_store::sealing::sealed_section(conn, &section.section_id)?.is_none() {
                    ggzy_store::sealing::insert_sealed_section(
                        conn,
                        &ggzy_store::sealing::SealedSectionRow {
                            section_id: section.section_id.clone(),
                            window_minutes: i32::try_from(minutes).unwrap_or(i32::MAX),
                            window_opened_at: None,
                            window_closes_at: None,
                        },
                    )?;
                }
            }
            repo::set_terms(
                conn,
                &SectionTermsRow {
                    section_id: section.section_id.clone(),
                    announcement_id: row.id.clone(),
                    bond_amount: section.bond_amount.fen(),
                    bid_deadline: content.bid_deadline.naive_utc(),
                },
            )?;
        }
        crate::record(
            conn,
            principal,
            now,
            crate::AuditRecord {
                chain: format!("project:{}", content.project_id),
                action: if content.kind == AnnouncementKind::Correction {
                    "announcement.correct"
                } else {
                    "announcement.publish"
                },
                object_type: "announcement",
                object_id: row.id.clone(),
                payload: serde_json::json!({ "content_hash": content_hash, "content": content }),
            },
        )?;
        view(row)
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
            let previous = view(repo::of_project(conn, &project.id)?.pop().ok_or(ServiceError::NotFound { what: "announcement" })?)?;
            let category = previous.content.category;
            let (_, clarification_rule) = tender_rules(category)?;
            if previous.content.bid_deadline <= now_utc {
                return Err(ServiceError::Conflict { detail: "投标截止时间已过，不能再发布更正公告".into() });
            }
            let mut problems = Problems::default();
            let affects = problems.required("affects_preparation", request.affects_preparation);
            let summary = problems.required("summary", request.summary).and_then(|s| problems.text("summary", s, 2000));
            let mut content = previous.content.clone();
            if let Some(deadline) = request.bid_deadline {
                content.bid_deadline = deadline;
                content.opening_at = request.opening_at.unwrap_or(deadline);
            } else if let Some(opening) = request.opening_at {
                content.opening_at = opening;
            }
            if let Some(place) = request.opening_place.and_then(|p| problems.text("opening_place", p, 200)) {
                content.opening_place = place;
            }
            if let Some(list) = request.documents {
                content.documents = documents(&mut problems, list);
                let hashes: Vec<Option<String>> = content.documents.iter().map(|d| d.sha256.clone()).collect();
                crate::documents::check_stored(conn, &mut problems, "documents", &hashes)?;
            }
            if let Some(list) = request.sections {
                let changed = Self::announced_sections(conn, &mut problems, &rule_set, category, &project.id, list, false)?;
                for section in changed {
                    if let Some(existing) = content.sections.iter_mut().find(|s| s.section_id == section.section_id) {
                        *existing = section;
                    }
                }
            }
            if content.opening_at < content.bid_deadline {
                problems.push(FieldError::new("opening_at", "before_deadline", "开标时间不得早于投标截止时间"));
            }
            if content.bid_deadline <= now_utc {
                problems.push(FieldError::new("bid_deadline", "in_past", "投标截止时间须晚于当前时间"));
            }
            if affects == Some(true) {
                let latest_change = rule_set.due(clarification_rule, content.bid_deadline, &calendar).map_err(crate::rules::deadline_error)?;
                if !latest_change.is_on_time(now_utc) {
                    problems.push(FieldError::new(
                        "bid_deadline",
                        "clarification_too_late",
                        format!(
                            "影响投标文件编制的澄清或修改须在投标截止时间至少 {} 日前发出（{}，{}），须顺延投标截止时间",
                            latest_change.amount, clarification_rule, latest_change.source
                        ),
                    ));
                }
            }
            problems.finish()?;
            content.kind = AnnouncementKind::Correction;
            content.supersedes = Some(previous.id.clone());
            content.summary = summary;
            content.rule_set_version = project.rule_set_version;
            self.store_announcement(conn, principal_ref, now, content, Some(previous.id))
        })
    }

    /// Announcements, public, in publication order, narrowed by the query's filters.
    pub fn announcements(&self, query: AnnouncementQuery) -> Result<AnnouncementPage, ServiceError> {
        let mut problems = Problems::default();
        let project_id = query.project_id.and_then(|p| problems.uuid("project_id", p));
        let category = query.category.as_deref().and_then(|c| problems.category("category", c));
        let kind = query.kind.as_deref().and_then(|k| problems.closed::<AnnouncementKind>("kind", k));
        let published_from = problems.day("published_from", query.published_from);
        let published_to = problems.day("published_to", query.published_to);
        let page = validate::page_of(&mut problems, query.after, query.limit);
        problems.finish()?;
        let page = page.ok_or_else(|| ServiceError::Internal("page checked without a value".into()))?;
        let filter = repo::AnnouncementFilter {
            project_id,
            category: category.map(Category::as_str),
            kind: kind.map(AnnouncementKind::as_str),
            published_from: published_from.map(validate::day_start),
            published_before: published_to.map(validate::day_after),
        };
        let mut rows =
            self.store().read(|conn| repo::list(conn, &filter, page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(AnnouncementPage { items: rows.into_iter().map(view).collect::<Result<_, _>>()?, next_cursor })
    }

    /// The published openings, soonest first (then by section), in a range of Beijing
    /// dates: the centre's list of the day's openings, and the public's. Public: the time
    /// and place are in the announcements.
    pub fn opening_schedule(&self, query: OpeningScheduleQuery) -> Result<OpeningSchedulePage, ServiceError> {
        let mut problems = Problems::default();
        let from = problems.day("from", query.from);
        let to = problems.day("to", query.to);
        // `<microseconds since 1970>.<section id>`: where the previous page ended.
        let after = query.after.as_deref().and_then(|text| {
            let position = text.split_once('.').and_then(|(micros, section)| {
                let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
                (!section.is_empty()).then(|| (at, section.to_owned()))
            });
            if position.is_none() {
                problems.push(FieldError::new("after", "unknown_cursor", "不是上一页给出的 next_cursor"));
            }
            position
        });
        let page = ggzy_kernel::PageRequest::new(None, query.limit).map_err(|e| problems.push(e)).ok();
        problems.finish()?;
        let page = page.ok_or_else(|| ServiceError::Internal("page checked without a value".into()))?;
        self.store().read(|conn| {
            let mut rows = repo::openings_between(
                conn,
                from.map(validate::day_start),
                to.map(validate::day_after),
                after,
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| {
                format!("{}.{}", row.opening_at.and_utc().timestamp_micros(), row.section_id)
            });
            let items = rows
                .into_iter()
                .map(|row| ScheduledOpening {
                    section_id: row.section_id,
                    section_code: row.section_code,
                    section_name: row.section_name,
                    project_id: row.project_id,
                    project_code: row.project_code,
                    project_name: row.project_name,
                    opening_at: crate::utc(row.opening_at),
                    opening_place: row.opening_place,
                })
                .collect();
            Ok(OpeningSchedulePage { items, next_cursor })
        })
    }

    pub fn announcement(&self, id: &str) -> Result<Announcement, ServiceError> {
        let row = self.store().read(|conn| repo::find(conn, id))?;
        view(row.ok_or(ServiceError::NotFound { what: "announcement" })?)
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
