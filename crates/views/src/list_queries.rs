//! The query parameters of lists read with every problem at once (registration.one_time_notice):
//! a query flag, and the queries of the expert pool, the draw list and an expert's own
//! committees, each to what the store filters on and the page asked for.

use chrono::NaiveDate;
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, PageRequest};
use ggzy_oversight::page::read_page;
use ggzy_store::evaluation::ExpertFilter;
use ggzy_trading::committee::{read_specialty_filter, CommitteeState};

use crate::evaluation::{DrawListQuery, ExpertQuery, OwnCommitteeQuery};

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
}
