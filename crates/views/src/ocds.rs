//! Response and request bodies of ocds (see `ggzy_service::ocds` for the use cases).

use ggzy_ocds::release;
use ggzy_store::announcements::AnnouncementRow;
use ggzy_store::conduct::QuestionRow;
use ggzy_store::participants::ParticipantRow;
use ggzy_trading::announcement::AnnouncementContent;
use ggzy_trading::lifecycle::AnnouncementKind;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseQuery {
    /// The `after` of the previous page's `links.next`; from the first release if absent.
    pub after: Option<String>,
    /// Releases per page, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// An OCDS 1.1.5 release package as JSON text: `uri`, `version`, `extensions`,
/// `publishedDate`, `publisher` and `releases`, valid against the standard's
/// `release-package-schema.json`; `links.next` is the next page. Kept as text: stored
/// releases are spliced into it without being parsed.
#[derive(Debug, Clone, utoipa::ToSchema)]
#[schema(value_type = Object)]
pub struct ReleasePackage(pub String);

/// An OCDS 1.1.5 record package with one record: every release of the process, its
/// compiled release and its versioned release, valid against `record-package-schema.json`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct RecordPackage(pub Value);

/// A participant as a party of a release: an organisation by its credit code.
pub fn org_of(participant: ParticipantRow) -> release::Org {
    release::Org { credit_code: participant.credit_code, name: participant.name }
}

/// An answered question as its release needs it.
pub fn enquiry_of(question: QuestionRow) -> release::Enquiry {
    release::Enquiry {
        id: question.id,
        asked_at: question.asked_at.and_utc(),
        question: question.question,
        answer: question.answer,
        answered_at: question.answered_at.map(|t| t.and_utc()),
    }
}

/// An announcement as its release needs it; `listed` when a section it announces is listed.
pub fn notice_of(row: AnnouncementRow, content: AnnouncementContent, listed: bool) -> release::Notice {
    release::Notice {
        id: row.id,
        published_at: row.published_at.and_utc(),
        correction: content.kind == AnnouncementKind::Correction,
        of_listing: content.kind == AnnouncementKind::Listing,
        summary: content.summary,
        documents: content
            .documents
            .into_iter()
            .map(|d| release::NoticeDocument { title: d.title, sha256: d.sha256 })
            .collect(),
        documents_issued_at: content.documents_issued_at,
        bid_deadline: content.bid_deadline,
        opening_at: content.opening_at,
        opening_place: content.opening_place,
        lots: content
            .sections
            .into_iter()
            .map(|s| release::Lot { code: s.section_code, name: s.name, amount: s.estimated_amount })
            .collect(),
        listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use ggzy_kernel::Money;
    use ggzy_trading::announcement::{AnnouncedSection, TenderDocument};

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn content(kind: AnnouncementKind) -> AnnouncementContent {
        AnnouncementContent {
            project_id: "p1".into(),
            project_code: "P1".into(),
            project_name: "工程".into(),
            category: ggzy_rules::Category::Construction,
            kind,
            supersedes: None,
            summary: Some("摘要".into()),
            documents_issued_at: at(1_700_000_000),
            bid_deadline: at(1_701_000_000),
            opening_at: at(1_701_000_000),
            opening_place: "开标室".into(),
            documents: vec![TenderDocument { title: Some("招标文件".into()), sha256: Some("ab".into()) }],
            sections: vec![AnnouncedSection {
                section_id: "s1".into(),
                section_code: "S1".into(),
                name: "一标段".into(),
                estimated_amount: Money::from_fen(100).unwrap(),
                bond_amount: Money::from_fen(2).unwrap(),
            }],
            rule_set_version: 1,
            decryption_window_minutes: None,
        }
    }

    fn row() -> AnnouncementRow {
        AnnouncementRow {
            id: "a1".into(),
            project_id: "p1".into(),
            kind: "tender".into(),
            supersedes: None,
            published_at: at(1_699_000_000).naive_utc(),
            documents_issued_at: at(1_700_000_000).naive_utc(),
            bid_deadline: at(1_701_000_000).naive_utc(),
            opening_at: at(1_701_000_000).naive_utc(),
            opening_place: "开标室".into(),
            body: String::new(),
            content_hash: String::new(),
            published_by: String::new(),
        }
    }

    #[test]
    fn a_notice_carries_the_announcement_as_published() {
        let notice = notice_of(row(), content(AnnouncementKind::Tender), true);
        assert_eq!(notice.id, "a1");
        assert_eq!(notice.published_at, at(1_699_000_000));
        assert!(!notice.correction && !notice.of_listing && notice.listed);
        assert_eq!(notice.summary.as_deref(), Some("摘要"));
        assert_eq!(notice.documents[0].title.as_deref(), Some("招标文件"));
        assert_eq!((notice.lots[0].code.as_str(), notice.lots[0].amount.fen()), ("S1", 100));
        assert_eq!(notice.opening_place, "开标室");
        assert!(notice_of(row(), content(AnnouncementKind::Correction), false).correction);
        assert!(notice_of(row(), content(AnnouncementKind::Listing), false).of_listing);
    }

    #[test]
    fn an_enquiry_carries_its_row() {
        let enquiry = enquiry_of(QuestionRow {
            id: "q1".into(),
            project_id: "p1".into(),
            asked_by: "b1".into(),
            question: "何时开标".into(),
            asked_at: at(1_700_000_000).naive_utc(),
            answer: Some("明日".into()),
            answered_at: Some(at(1_700_001_000).naive_utc()),
            answered_by: None,
        });
        assert_eq!(
            (enquiry.id.as_str(), enquiry.question.as_str(), enquiry.answer.as_deref()),
            ("q1", "何时开标", Some("明日"))
        );
        assert_eq!((enquiry.asked_at, enquiry.answered_at), (at(1_700_000_000), Some(at(1_700_001_000))));
    }
}
