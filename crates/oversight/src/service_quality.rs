//! Service quality (细则 §39–40): a service item the centre publishes with the time it
//! promises, a rating by a party to a project of a service it received there, and the
//! averages and on-time rates made public. Every problem of a request is named at once
//! (registration.one_time_notice); whether the item is published and the project known is
//! the caller's to load.

use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishServiceItem {
    #[schema(required = true, value_type = String, example = "项目登记")]
    pub name: Option<String>,
    /// The time the centre promises, in working days (1–60).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(required = true, value_type = i32, minimum = 1, maximum = 60, example = 1)]
    pub promised_working_days: Option<i32>,
    #[schema(required = true, value_type = String)]
    pub description: Option<String>,
}

/// A service item to publish under its id, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItemValues {
    pub name: String,
    pub promised_working_days: i32,
    pub description: String,
}

/// Whether `id` may name a service item: lower-case letters, digits and underscores, 1 to
/// 50 of them.
pub fn is_item_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 50 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Reads the publication of the item `id`: the id first, then its name, the promised
/// working days (1–60) and the description.
pub fn read_service_item(id: &str, request: PublishServiceItem) -> Result<ServiceItemValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    if !is_item_id(id) {
        problems.push(FieldError::new("id", "invalid_id", "服务事项标识为小写字母、数字和下划线，50 字以内"));
    }
    let name = read::required_text(&mut problems, "name", request.name, 100);
    let days = read::required(&mut problems, "promised_working_days", request.promised_working_days);
    if days.is_some_and(|d| !(1..=60).contains(&d)) {
        problems.push(FieldError::new("promised_working_days", "out_of_range", "承诺时限为 1 至 60 个工作日"));
    }
    let description = read::required_text(&mut problems, "description", request.description, 1000);
    match (name, days, description) {
        (Some(name), Some(promised_working_days), Some(description)) if problems.is_empty() => {
            Ok(ServiceItemValues { name, promised_working_days, description })
        }
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateService {
    #[schema(required = true, value_type = String)]
    pub service_item_id: Option<String>,
    /// The project the service was for; the rater must be a party to it.
    #[schema(required = true, value_type = String, format = Uuid)]
    pub project_id: Option<String>,
    /// 1 (poor) to 5 (excellent).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(required = true, value_type = i32, minimum = 1, maximum = 5, example = 5)]
    pub score: Option<i32>,
    /// Whether the service was done within the promised time.
    #[schema(required = true, value_type = bool)]
    pub on_time: Option<bool>,
    pub comment: Option<String>,
}

/// A rating, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingValues {
    pub service_item_id: String,
    pub project_id: String,
    /// 1 to 5.
    pub score: i32,
    pub on_time: bool,
    pub comment: Option<String>,
}

/// Reads a rating: the item, the project, a score of 1 to 5, whether on time, any comment.
pub fn read_rating(request: RateService) -> Result<RatingValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let item = read::required(&mut problems, "service_item_id", request.service_item_id);
    let project = read::required(&mut problems, "project_id", request.project_id)
        .and_then(|p| read::uuid(&mut problems, "project_id", p));
    let score = read::required(&mut problems, "score", request.score);
    if score.is_some_and(|s| !(1..=5).contains(&s)) {
        problems.push(FieldError::new("score", "out_of_range", "评分为 1 至 5"));
    }
    let on_time = read::required(&mut problems, "on_time", request.on_time);
    let comment = request.comment.and_then(|c| read::text(&mut problems, "comment", c, 500));
    match (item, project, score, on_time) {
        (Some(service_item_id), Some(project_id), Some(score), Some(on_time)) if problems.is_empty() => {
            Ok(RatingValues { service_item_id, project_id, score, on_time, comment })
        }
        _ => Err(problems),
    }
}

/// Who takes part in a rated project: its tenderer, its agencies, and whether the rater
/// holds a bond in one of its sections (a bidder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectParties {
    pub tenderer_id: String,
    pub agencies: Vec<String>,
    pub rater_holds_bond: bool,
}

impl ProjectParties {
    /// Whether `participant` is a party: the tenderer, one of its agencies, or a bidder.
    pub fn includes(&self, participant: &str) -> bool {
        self.tenderer_id == participant || self.agencies.iter().any(|a| a == participant) || self.rater_holds_bond
    }
}

/// Checks a rating by `rater` against what was loaded: the item is published (named first),
/// the project exists (`None`: it does not) and the rater is a party to it.
pub fn check_rating(
    item_published: bool,
    project: Option<&ProjectParties>,
    rater: &str,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Vec::new();
    if !item_published {
        problems.push(FieldError::new("service_item_id", "unknown_item", "服务事项未公布"));
    }
    match project {
        None => problems.push(FieldError::new("project_id", "unknown_project", "项目不存在")),
        Some(parties) if !parties.includes(rater) => {
            problems.push(FieldError::new("project_id", "not_a_party", "只能评价本单位参与项目中接受的服务"))
        }
        Some(_) => {}
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Rounded half away from zero and always written with two decimals.
pub(crate) fn two_places(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// `part` of `whole` in percent with two decimals; `None` of nothing.
pub fn percent(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| two_places(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)))
}

/// How an item is rated, from its totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRating {
    /// Two decimals; `None` without ratings.
    pub average_score: Option<Decimal>,
    /// Percent of ratings saying on time, two decimals; `None` without ratings.
    pub on_time_percent: Option<Decimal>,
}

/// The average score and on-time percentage of `ratings` ratings whose scores sum to
/// `score_sum`, `on_time` of them saying the service came on time.
pub fn item_rating(ratings: i64, score_sum: i64, on_time: i64) -> ItemRating {
    ItemRating {
        average_score: (ratings > 0).then(|| two_places(Decimal::from(score_sum) / Decimal::from(ratings))),
        on_time_percent: percent(on_time, ratings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn item() -> PublishServiceItem {
        PublishServiceItem {
            name: Some(" 项目登记 ".into()),
            promised_working_days: Some(1),
            description: Some("登记".into()),
        }
    }

    fn rating() -> RateService {
        RateService {
            service_item_id: Some("registration".into()),
            project_id: Some(PROJECT.into()),
            score: Some(5),
            on_time: Some(true),
            comment: None,
        }
    }

    #[test]
    fn an_item_is_read_trimmed() {
        assert_eq!(
            read_service_item("project_registration_2", item()).unwrap(),
            ServiceItemValues { name: "项目登记".into(), promised_working_days: 1, description: "登记".into() }
        );
    }

    #[test]
    fn an_item_id_is_lower_case_letters_digits_and_underscores_up_to_50() {
        assert!(is_item_id("a"));
        assert!(is_item_id(&"a".repeat(50)));
        for bad in ["", "A", "a-b", "a b", "登记"] {
            assert!(!is_item_id(bad), "{bad}");
        }
        assert!(!is_item_id(&"a".repeat(51)));
        let problems = read_service_item("Bad", item()).unwrap_err();
        assert_eq!(codes(&problems), [("id", "invalid_id")]);
        assert_eq!(problems[0].message, "服务事项标识为小写字母、数字和下划线，50 字以内");
    }

    #[test]
    fn the_promised_days_are_1_to_60() {
        for (days, ok) in [(0, false), (1, true), (60, true), (61, false), (-1, false)] {
            let request = PublishServiceItem { promised_working_days: Some(days), ..item() };
            match read_service_item("x", request) {
                Ok(values) => assert!(ok && values.promised_working_days == days),
                Err(problems) => {
                    assert!(!ok, "{days}");
                    assert_eq!(codes(&problems), [("promised_working_days", "out_of_range")]);
                }
            }
        }
    }

    #[test]
    fn every_problem_of_an_item_is_named_in_field_order() {
        let problems = read_service_item("", PublishServiceItem::default()).unwrap_err();
        assert_eq!(
            codes(&problems),
            [
                ("id", "invalid_id"),
                ("name", "required"),
                ("promised_working_days", "required"),
                ("description", "required")
            ]
        );
        let request = PublishServiceItem {
            name: Some("x".repeat(101)),
            promised_working_days: Some(61),
            description: Some(" ".into()),
        };
        assert_eq!(
            codes(&read_service_item("ok", request).unwrap_err()),
            [("name", "too_long"), ("promised_working_days", "out_of_range"), ("description", "blank")]
        );
    }

    #[test]
    fn a_rating_is_read() {
        assert_eq!(
            read_rating(RateService { comment: Some(" 好 ".into()), ..rating() }).unwrap(),
            RatingValues {
                service_item_id: "registration".into(),
                project_id: PROJECT.into(),
                score: 5,
                on_time: true,
                comment: Some("好".into()),
            }
        );
    }

    #[test]
    fn a_score_is_1_to_5() {
        for (score, ok) in [(0, false), (1, true), (5, true), (6, false)] {
            let read = read_rating(RateService { score: Some(score), ..rating() });
            assert_eq!(read.is_ok(), ok, "{score}");
            if !ok {
                assert_eq!(codes(&read.unwrap_err()), [("score", "out_of_range")]);
            }
        }
    }

    #[test]
    fn every_problem_of_a_rating_is_named_in_field_order() {
        assert_eq!(
            codes(&read_rating(RateService::default()).unwrap_err()),
            [
                ("service_item_id", "required"),
                ("project_id", "required"),
                ("score", "required"),
                ("on_time", "required")
            ]
        );
        let request = RateService {
            project_id: Some("not-a-uuid".into()),
            score: Some(9),
            comment: Some("x".repeat(501)),
            ..rating()
        };
        assert_eq!(
            codes(&read_rating(request).unwrap_err()),
            [("project_id", "invalid_id"), ("score", "out_of_range"), ("comment", "too_long")]
        );
    }

    fn parties() -> ProjectParties {
        ProjectParties { tenderer_id: "t".into(), agencies: vec!["a".into()], rater_holds_bond: false }
    }

    #[test]
    fn the_tenderer_an_agency_and_a_bidder_are_parties() {
        assert!(parties().includes("t"));
        assert!(parties().includes("a"));
        assert!(!parties().includes("b"));
        assert!(ProjectParties { rater_holds_bond: true, ..parties() }.includes("b"));
        assert_eq!(check_rating(true, Some(&parties()), "t"), Ok(()));
    }

    #[test]
    fn a_rating_of_an_unpublished_item_or_an_unknown_project_or_by_a_stranger_is_refused() {
        assert_eq!(
            codes(&check_rating(false, Some(&parties()), "t").unwrap_err()),
            [("service_item_id", "unknown_item")]
        );
        assert_eq!(codes(&check_rating(true, None, "t").unwrap_err()), [("project_id", "unknown_project")]);
        let stranger = check_rating(true, Some(&parties()), "b").unwrap_err();
        assert_eq!(codes(&stranger), [("project_id", "not_a_party")]);
        assert_eq!(stranger[0].message, "只能评价本单位参与项目中接受的服务");
        assert_eq!(
            codes(&check_rating(false, None, "t").unwrap_err()),
            [("service_item_id", "unknown_item"), ("project_id", "unknown_project")]
        );
        assert_eq!(
            codes(&check_rating(false, Some(&parties()), "b").unwrap_err()),
            [("service_item_id", "unknown_item"), ("project_id", "not_a_party")]
        );
    }

    #[test]
    fn averages_and_percentages_have_two_places_rounded_half_away_from_zero() {
        assert_eq!(item_rating(0, 0, 0), ItemRating { average_score: None, on_time_percent: None });
        let rated = item_rating(3, 13, 2);
        assert_eq!(rated.average_score.unwrap().to_string(), "4.33");
        assert_eq!(rated.on_time_percent.unwrap().to_string(), "66.67");
        assert_eq!(item_rating(2, 9, 2).average_score.unwrap().to_string(), "4.50");
        assert_eq!(item_rating(1, 5, 1).on_time_percent.unwrap().to_string(), "100.00");
        assert_eq!(percent(1, 8).unwrap().to_string(), "12.50");
        assert_eq!(percent(1, 200).unwrap().to_string(), "0.50");
        assert_eq!(percent(1, 600).unwrap().to_string(), "0.17");
        assert_eq!(percent(0, 0), None);
    }
}
