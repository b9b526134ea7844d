//! The query parameters of lists read with every problem at once (registration.one_time_notice):
//! a query flag, and the queries of the expert pool, the draw list, an expert's own
//! committees, the project list, the public announcement list, the opening schedule and the
//! search, each to what the store filters on and the page asked for.

use chrono::{NaiveDate, NaiveDateTime};
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};
use ggzy_oversight::page::read_page;
use ggzy_rules::Category;
use ggzy_store::announcements::AnnouncementFilter;
use ggzy_store::evaluation::ExpertFilter;
use ggzy_store::projects::ProjectFilter;
use ggzy_trading::committee::{read_specialty_filter, CommitteeState};
use ggzy_trading::lifecycle::{AnnouncementKind, ProjectStatus};
use ggzy_trading::opening::ScheduleCursor;

use crate::announcements::{AnnouncementQuery, OpeningScheduleQuery};
use crate::evaluation::{DrawListQuery, ExpertQuery, OwnCommitteeQuery};
use crate::projects::ProjectListQuery;
use crate::search::{SearchKind, SearchQuery};

/// The page, once every problem of the query is named; else those problems.
fn finish<T>(
    problems: Vec<FieldError>,
    page: Option<PageRequest>,
    found: T,
) -> Result<(T, PageRequest), Vec<FieldError>> {
    match page {
        Some(page) if problems.is_empty() => Ok((found, page)),
        _ => Err(problems),
    }
}

/// The expert pool's filter; `restricted` is told of `today` (Beijing).
pub fn read_expert_query(query: ExpertQuery, today: NaiveDate) -> Result<(ExpertFilter, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let specialty = query.specialty.and_then(|s| read_specialty_filter(&mut problems, s));
    let active = query.active.as_deref().and_then(|a| read::boolean(&mut problems, "active", a));
    let restricted = query.restricted.as_deref().and_then(|r| read::boolean(&mut problems, "restricted", r));
    let name = query.name.and_then(|n| read::text(&mut problems, "name", n, 100));
    let page = read_page(&mut problems, query.after, query.limit);
    let filter = ExpertFilter { specialty, active, restricted_on: restricted.map(|r| (today, r)), name };
    finish(problems, page, filter)
}

/// The section whose draws are listed, if one is named.
pub fn read_draw_list_query(query: DrawListQuery) -> Result<(Option<String>, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let section_id = query.section_id.and_then(|s| read::uuid(&mut problems, "section_id", s));
    let page = read_page(&mut problems, query.after, query.limit);
    finish(problems, page, section_id)
}

/// The state an expert's committees are listed in, if one is named.
pub fn read_own_committee_query(
    query: OwnCommitteeQuery,
) -> Result<(Option<CommitteeState>, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let state = query.state.as_deref().and_then(|s| read::closed::<CommitteeState>(&mut problems, "state", s));
    let page = read_page(&mut problems, query.after, query.limit);
    finish(problems, page, state)
}

/// The project list's filters: status, category, subtype, regulator, registration dates
/// (Beijing) and words of at most 50 characters.
pub fn read_project_list_query(query: ProjectListQuery) -> Result<(ProjectFilter, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = query.status.as_deref().and_then(|s| read::closed::<ProjectStatus>(&mut problems, "status", s));
    let category = query.category.as_deref().and_then(|c| read::closed::<Category>(&mut problems, "category", c));
    let registered_from = read::day(&mut problems, "registered_from", query.registered_from);
    let registered_to = read::day(&mut problems, "registered_to", query.registered_to);
    let text = query.q.and_then(|q| read::text(&mut problems, "q", q, 50));
    let page = read_page(&mut problems, query.after, query.limit);
    let filter = ProjectFilter {
        status: status.map(ProjectStatus::as_str),
        category: category.map(Category::as_str),
        subtype: query.subtype,
        regulator_id: query.regulator_id,
        registered_from: registered_from.map(read::day_start),
        registered_before: registered_to.map(read::day_after),
        text,
    };
    finish(problems, page, filter)
}

/// The public announcement list's filters: project, category, kind and publication dates
/// (Beijing).
pub fn read_announcement_query(query: AnnouncementQuery) -> Result<(AnnouncementFilter, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let project_id = query.project_id.and_then(|p| read::uuid(&mut problems, "project_id", p));
    let category = query.category.as_deref().and_then(|c| read::closed::<Category>(&mut problems, "category", c));
    let kind = query.kind.as_deref().and_then(|k| read::closed::<AnnouncementKind>(&mut problems, "kind", k));
    let published_from = read::day(&mut problems, "published_from", query.published_from);
    let published_to = read::day(&mut problems, "published_to", query.published_to);
    let page = read_page(&mut problems, query.after, query.limit);
    let filter = AnnouncementFilter {
        project_id,
        category: category.map(Category::as_str),
        kind: kind.map(AnnouncementKind::as_str),
        published_from: published_from.map(read::day_start),
        published_before: published_to.map(read::day_after),
    };
    finish(problems, page, filter)
}

/// What the opening schedule is read between: openings at or after `from` and before
/// `before`, after the previous page's last opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRange {
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
    pub after: Option<(NaiveDateTime, String)>,
}

/// The opening schedule's Beijing dates and its cursor (an opening's position, not an id).
pub fn read_opening_schedule_query(
    query: OpeningScheduleQuery,
) -> Result<(ScheduleRange, PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let from = read::day(&mut problems, "from", query.from);
    let to = read::day(&mut problems, "to", query.to);
    let after = query.after.as_deref().and_then(|text| match ScheduleCursor::read(text) {
        Ok(cursor) => Some((cursor.opening_at, cursor.section_id)),
        Err(problem) => {
            problems.push(problem);
            None
        }
    });
    let page = PageRequest::new(None, query.limit).map_err(|e| problems.push(e)).ok();
    let range = ScheduleRange { from: from.map(read::day_start), before: to.map(read::day_after), after };
    finish(problems, page, range)
}

/// A search's words (1–50 characters, required) and what is searched (required).
pub fn read_search_query(query: SearchQuery) -> Result<((String, SearchKind), PageRequest), Vec<FieldError>> {
    let mut problems = Vec::new();
    let text = read::required(&mut problems, "q", query.q).and_then(|q| read::text(&mut problems, "q", q, 50));
    let kind = read::required(&mut problems, "kind", query.kind)
        .and_then(|k| read::closed::<SearchKind>(&mut problems, "kind", &k));
    let page = read_page(&mut problems, query.after, query.limit);
    match (text, kind) {
        (Some(text), Some(kind)) => finish(problems, page, (text, kind)),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn fields(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    #[test]
    fn the_expert_query_filters_on_what_it_names_and_restriction_on_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let query = ExpertQuery {
            specialty: Some("A01".into()),
            active: Some("true".into()),
            restricted: Some("false".into()),
            name: Some(" 王 ".into()),
            after: Some(UUID.into()),
            limit: Some(10),
        };
        let (filter, page) = read_expert_query(query, today).unwrap();
        assert_eq!(filter.specialty.as_deref(), Some("A01"));
        assert_eq!((filter.active, filter.restricted_on), (Some(true), Some((today, false))));
        assert_eq!(filter.name.as_deref(), Some("王"));
        assert_eq!((page.after.as_deref(), page.limit), (Some(UUID), 10));
        let (all, page) = read_expert_query(ExpertQuery::default(), today).unwrap();
        assert_eq!((all.specialty, all.active, all.restricted_on, all.name), (None, None, None, None));
        assert_eq!((page.after, page.limit), (None, 50));
    }

    #[test]
    fn every_problem_of_the_expert_query_is_told_at_once_in_order() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let query = ExpertQuery {
            specialty: Some("A01,B02".into()),
            active: Some("1".into()),
            restricted: Some("no".into()),
            name: None,
            after: Some("x".into()),
            limit: Some(0),
        };
        let problems = read_expert_query(query, today).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(named, vec!["specialty", "active", "restricted", "after", "limit"]);
    }

    #[test]
    fn the_draw_list_names_a_section_by_uuid() {
        let query = DrawListQuery { section_id: Some(UUID.into()), after: None, limit: Some(5) };
        let (section, page) = read_draw_list_query(query).unwrap();
        assert_eq!((section.as_deref(), page.limit), (Some(UUID), 5));
        let bad = DrawListQuery { section_id: Some("s1".into()), after: Some("y".into()), limit: None };
        let problems = read_draw_list_query(bad).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["section_id", "after"]);
    }

    #[test]
    fn own_committees_are_listed_in_a_known_state() {
        let query = OwnCommitteeQuery { state: Some("scored".into()), ..Default::default() };
        let (state, page) = read_own_committee_query(query).unwrap();
        assert_eq!(state, Some(CommitteeState::Scored));
        assert_eq!(page.limit, 50);
        let bad = OwnCommitteeQuery { state: Some("asleep".into()), after: None, limit: Some(201) };
        let problems = read_own_committee_query(bad).unwrap_err();
        assert_eq!(fields(&problems)[0], ("state", "unknown_value"));
        assert_eq!(problems[1].field, "limit");
    }

    fn utc(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    #[test]
    fn the_project_list_filters_on_status_category_and_beijing_days() {
        let query = ProjectListQuery {
            status: Some("awaiting_regulator".into()),
            category: Some("construction".into()),
            subtype: Some("building".into()),
            registered_from: Some("2026-03-02".into()),
            registered_to: Some("2026-03-02".into()),
            q: Some(" 水库 ".into()),
            limit: Some(20),
            ..Default::default()
        };
        let (filter, page) = read_project_list_query(query).unwrap();
        assert_eq!((filter.status, filter.category), (Some("awaiting_regulator"), Some("construction")));
        assert_eq!(filter.subtype.as_deref(), Some("building"));
        // A Beijing day runs from 16:00 UTC of the day before.
        assert_eq!((filter.registered_from, filter.registered_before), (Some(utc(1, 16)), Some(utc(2, 16))));
        assert_eq!((filter.text.as_deref(), page.limit), (Some("水库"), 20));
        let bad = ProjectListQuery {
            status: Some("sleeping".into()),
            category: Some("roads".into()),
            registered_to: Some("2026-13-01".into()),
            q: Some("字".repeat(51)),
            after: Some("p1".into()),
            ..Default::default()
        };
        let named =
            fields(&read_project_list_query(bad).unwrap_err()).iter().map(|(f, _)| f.to_string()).collect::<Vec<_>>();
        assert_eq!(named, ["status", "category", "registered_to", "q", "after"]);
    }

    #[test]
    fn the_announcement_list_filters_on_project_category_kind_and_days() {
        let query = AnnouncementQuery {
            project_id: Some(UUID.into()),
            category: Some("procurement".into()),
            kind: Some("correction".into()),
            published_to: Some("2026-03-05".into()),
            ..Default::default()
        };
        let (filter, page) = read_announcement_query(query).unwrap();
        assert_eq!(filter.project_id.as_deref(), Some(UUID));
        assert_eq!((filter.category, filter.kind), (Some("procurement"), Some("correction")));
        assert_eq!((filter.published_from, filter.published_before), (None, Some(utc(5, 16))));
        assert_eq!(page.limit, 50);
        let bad = AnnouncementQuery {
            project_id: Some("p".into()),
            kind: Some("notice".into()),
            published_from: Some("yesterday".into()),
            limit: Some(0),
            ..Default::default()
        };
        let problems = read_announcement_query(bad).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(),
            ["project_id", "kind", "published_from", "limit"]
        );
    }

    #[test]
    fn the_opening_schedule_goes_on_from_the_last_opening_shown() {
        let cursor = ScheduleCursor { opening_at: utc(3, 1), section_id: "s9".into() };
        let query = OpeningScheduleQuery {
            from: Some("2026-03-03".into()),
            to: None,
            after: Some(cursor.to_string()),
            limit: Some(3),
        };
        let (range, page) = read_opening_schedule_query(query).unwrap();
        assert_eq!(
            range,
            ScheduleRange { from: Some(utc(2, 16)), before: None, after: Some((utc(3, 1), "s9".into())) }
        );
        assert_eq!((page.after, page.limit), (None, 3));
        let bad =
            OpeningScheduleQuery { from: None, to: Some("3/3".into()), after: Some("s9".into()), limit: Some(500) };
        let problems = read_opening_schedule_query(bad).unwrap_err();
        assert_eq!(fields(&problems)[1], ("after", "unknown_cursor"));
        assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["to", "after", "limit"]);
    }

    #[test]
    fn a_search_needs_its_words_and_what_it_looks_through() {
        let query =
            SearchQuery { q: Some(" 密云区 ".into()), kind: Some("participant".into()), ..Default::default() };
        let ((text, kind), page) = read_search_query(query).unwrap();
        assert_eq!((text.as_str(), kind, page.limit), ("密云区", SearchKind::Participant, 50));
        let problems = read_search_query(SearchQuery::default()).unwrap_err();
        assert_eq!(fields(&problems), [("q", "required"), ("kind", "required")]);
        let bad = SearchQuery { q: Some("水".into()), kind: Some("people".into()), after: None, limit: None };
        assert_eq!(fields(&read_search_query(bad).unwrap_err()), [("kind", "unknown_value")]);
    }
}
