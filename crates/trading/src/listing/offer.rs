//! What a seller offers when it lists a lot: the prices, the deposit and the listing's
//! times, read from the request and checked against each other, the clock and the rule set
//! (the announcement and listing periods, a relisting's first appraisal, the floor of
//! state-owned property). Every problem is named, in the order a form shows the fields.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read::required;
use ggzy_kernel::{local_date, Answer, FieldError, Money, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, DeadlineError, RuleSet, TimeUnit};

use super::{property_floor, FloorProblem};

/// The minutes an auction runs on after a late quote when the request does not say.
pub const DEFAULT_EXTENSION_MINUTES: u32 = 5;

/// The offer as requested: amounts as decimal yuan text, the listing's times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferRequest<'a> {
    pub starting_price: Option<&'a str>,
    pub increment: Option<&'a str>,
    pub deposit: Option<&'a str>,
    pub reserve_price: Option<&'a str>,
    pub appraisal: Option<&'a str>,
    pub listing_start: Option<DateTime<Utc>>,
    pub listing_end: Option<DateTime<Utc>>,
    pub extension_minutes: Option<u32>,
}

/// The offer's values as far as they could be read; amounts in fen, each positive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferValues {
    pub starting_price: Option<i64>,
    pub increment: Option<i64>,
    pub deposit: Option<i64>,
    pub reserve_price: Option<i64>,
    pub appraisal: Option<i64>,
    pub listing_start: Option<DateTime<Utc>>,
    pub listing_end: Option<DateTime<Utc>>,
    pub extension_minutes: u32,
}

fn amount(problems: &mut Vec<FieldError>, field: &str, text: Option<&str>) -> Option<i64> {
    let parsed = Money::parse(text?).map_err(|e| problems.push(e.to_field_error(field))).ok()?;
    if parsed.fen() <= 0 {
        problems.push(FieldError::new(field, "not_positive", "金额须大于零"));
        return None;
    }
    Some(parsed.fen())
}

/// Reads each value on its own: present where required, amounts positive, the extension
/// 1–60 minutes (5 when not given).
pub fn read_values(request: &OfferRequest<'_>, problems: &mut Vec<FieldError>) -> OfferValues {
    let starting = required(problems, "starting_price", request.starting_price);
    let starting_price = amount(problems, "starting_price", starting);
    let increment = required(problems, "increment", request.increment);
    let increment = amount(problems, "increment", increment);
    let deposit = required(problems, "deposit", request.deposit);
    let deposit = amount(problems, "deposit", deposit);
    let reserve_price = amount(problems, "reserve_price", request.reserve_price);
    let appraisal = amount(problems, "appraisal", request.appraisal);
    let listing_start = required(problems, "listing_start", request.listing_start);
    let listing_end = required(problems, "listing_end", request.listing_end);
    let extension_minutes = request.extension_minutes.unwrap_or(DEFAULT_EXTENSION_MINUTES);
    if !(1..=60).contains(&extension_minutes) {
        problems.push(FieldError::new("extension_minutes", "out_of_range", "延时须为 1 至 60 分钟"));
    }
    OfferValues {
        starting_price,
        increment,
        deposit,
        reserve_price,
        appraisal,
        listing_start,
        listing_end,
        extension_minutes,
    }
}

/// Checks the values against each other and the clock: the reserve not below the starting
/// price, the listing starting after `now` and ending after it starts.
pub fn check_values(values: &OfferValues, now: DateTime<Utc>, problems: &mut Vec<FieldError>) {
    if let (Some(starting), Some(reserve)) = (values.starting_price, values.reserve_price) {
        if reserve < starting {
            problems.push(FieldError::new("reserve_price", "below_starting_price", "保留价不得低于起始价"));
        }
    }
    if let (Some(start), Some(end)) = (values.listing_start, values.listing_end) {
        if start <= now {
            problems.push(FieldError::new("listing_start", "in_past", "挂牌起始时间须晚于当前时间"));
        }
        if end <= start {
            problems.push(FieldError::new("listing_end", "not_after_start", "挂牌截止时间须晚于起始时间"));
        }
    }
}

/// The announcement rule of a listed category and subtype (land.announcement,
/// mining.announcement, property.disclosure); `None` for the tendered categories.
pub fn announcement_rule(category: Category, subtype: &str) -> Option<&'static str> {
    match (category, subtype) {
        (Category::LandMining, "mining_right") => Some(rule_ids::MINING_ANNOUNCEMENT),
        (Category::LandMining, _) => Some(rule_ids::LAND_ANNOUNCEMENT),
        (Category::StateProperty, _) => Some(rule_ids::PROPERTY_DISCLOSURE),
        _ => None,
    }
}

/// A project of a tendered category offered by listing or auction: it publishes a tender
/// announcement instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotListed;

impl NotListed {
    /// Why, in words.
    pub fn detail(self) -> &'static str {
        "只有土地使用权、矿业权和国有产权项目以挂牌、拍卖方式交易；工程、采购等项目请发布招标公告"
    }

    /// A conflict with how the project trades.
    pub fn answer(self) -> Answer {
        Answer::Conflict(self.detail().into())
    }
}

/// The announcement rule a listing of a project follows; refused for the tendered
/// categories.
pub fn listing_rule(category: Category, subtype: &str) -> Result<&'static str, NotListed> {
    announcement_rule(category, subtype).ok_or(NotListed)
}

/// What the offer is judged on besides its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferFacts {
    pub category: Category,
    /// The announcement rule of the project's category and subtype.
    pub announcement_rule: &'static str,
    /// For a relisting: its lot's first appraisal and the lowest starting price an earlier
    /// approval covers (see `relisting_terms`).
    pub inherited: Option<(Option<i64>, Option<i64>)>,
    /// Whether this round brings an approval of a price below the floor.
    pub floor_approved: bool,
}

/// Checks the offer against the rule set and returns the appraisal the listing keeps (a
/// relisting keeps its lot's first, whatever it states). The announcement runs in full
/// from `now` before the listing starts; land and mining listings run at least their
/// period; a relisting may not restate its appraisal; state-owned property below the floor
/// needs an approval. A rule the rule set cannot count is an error, not a problem.
pub fn check_against_rules(
    values: &OfferValues,
    facts: &OfferFacts,
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
    problems: &mut Vec<FieldError>,
) -> Result<Option<i64>, DeadlineError> {
    if let Some(start) = values.listing_start {
        let what = "公告（信息披露）之日起至挂牌开始";
        period_check(problems, rule_set, calendar, facts.announcement_rule, now, start, "listing_start", what)?;
    }
    if let (Category::LandMining, Some(start), Some(end)) = (facts.category, values.listing_start, values.listing_end) {
        let rule = rule_ids::LAND_LISTING_PERIOD;
        period_check(problems, rule_set, calendar, rule, start, end, "listing_end", "挂牌期限")?;
    }
    if let (Some((Some(first), _)), Some(stated)) = (facts.inherited, values.appraisal) {
        if first != stated {
            let first = Money::from_fen(first).map(|m| m.to_string()).unwrap_or_default();
            problems.push(FieldError::new(
                "appraisal",
                "not_the_first_appraisal",
                format!("重新挂牌沿用首次挂牌的评估价 {first} 元"),
            ));
        }
    }
    let (appraisal, approved_down_to) = match facts.inherited {
        Some((first, approved_down_to)) => (first.or(values.appraisal), approved_down_to),
        None => (values.appraisal, None),
    };
    if facts.category == Category::StateProperty {
        let floor_percent = rule_set.listing.relisting_floor_percent;
        let floor =
            property_floor(appraisal, values.starting_price, floor_percent, facts.floor_approved, approved_down_to);
        match floor {
            Err(FloorProblem::MissingAppraisal) => {
                problems.push(FieldError::new("appraisal", "required", "国有产权转让须提供评估价"))
            }
            Err(FloorProblem::ApprovalRequired { floor_percent }) => problems.push(FieldError::new(
                "floor_approval",
                "approval_required",
                format!(
                    "起始价低于评估价的 {floor_percent}%，须提供批准文件（{}）",
                    rule_ids::PROPERTY_RELISTING_FLOOR
                ),
            )),
            Ok(()) => {}
        }
    }
    Ok(appraisal)
}

/// Names `field` when the at-least period `rule`, counted from `from`, has not run by the
/// Beijing date of `closes` (the announcement before the listing, the listing period).
#[allow(clippy::too_many_arguments)]
fn period_check(
    problems: &mut Vec<FieldError>,
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    rule: &'static str,
    from: DateTime<Utc>,
    closes: DateTime<Utc>,
    field: &str,
    what: &str,
) -> Result<(), DeadlineError> {
    let period = rule_set.due(rule, from, calendar)?;
    let date = local_date(closes);
    // The notice period precedes the listing's start in full; the listing period closes
    // with the listing's end on its last day (Deadline's two readings).
    let notice_period = field == "listing_start";
    let (permitted, earliest) = if notice_period {
        (period.permits_starting_on(date), period.earliest_start())
    } else {
        (period.permits_closing_on(date), period.end_date)
    };
    let code = if notice_period { "announcement_period_too_short" } else { "listing_period_too_short" };
    if !permitted {
        let unit = if period.unit == TimeUnit::WorkingDays { "个工作日" } else { "日" };
        problems.push(FieldError::new(
            field,
            code,
            format!("{what}不得少于 {} {unit}（{rule}，{}），最早为 {earliest}", period.amount, period.source),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
    }

    fn fields(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    fn request<'a>(start: DateTime<Utc>, end: DateTime<Utc>) -> OfferRequest<'a> {
        OfferRequest {
            starting_price: Some("1000000.00"),
            increment: Some("10000.00"),
            deposit: Some("200000.00"),
            reserve_price: None,
            appraisal: Some("1000000.00"),
            listing_start: Some(start),
            listing_end: Some(end),
            extension_minutes: None,
        }
    }

    #[test]
    fn every_value_is_read_and_every_problem_named_in_the_form_s_order() {
        let mut problems = Vec::new();
        let empty = read_values(&OfferRequest { extension_minutes: Some(0), ..OfferRequest::default() }, &mut problems);
        assert_eq!(
            fields(&problems),
            [
                ("starting_price", "required"),
                ("increment", "required"),
                ("deposit", "required"),
                ("listing_start", "required"),
                ("listing_end", "required"),
                ("extension_minutes", "out_of_range"),
            ]
        );
        assert_eq!(empty.starting_price, None);
        let mut problems = Vec::new();
        let bad = OfferRequest {
            starting_price: Some("0.00"),
            increment: Some("x"),
            reserve_price: Some("-1.00"),
            ..request(at(12, 1, 0), at(12, 20, 0))
        };
        let values = read_values(&bad, &mut problems);
        assert_eq!(fields(&problems)[0], ("starting_price", "not_positive"));
        assert_eq!(problems[1].field, "increment");
        assert_eq!(fields(&problems)[2], ("reserve_price", "negative"), "refused by Money itself");
        assert_eq!((values.deposit, values.appraisal), (Some(20_000_000), Some(100_000_000)));
        assert_eq!(values.extension_minutes, DEFAULT_EXTENSION_MINUTES);
    }

    #[test]
    fn the_values_are_checked_against_each_other_and_the_clock() {
        let now = at(12, 1, 0);
        let mut problems = Vec::new();
        let values = read_values(
            &OfferRequest { reserve_price: Some("999999.99"), ..request(now, now - Duration::hours(1)) },
            &mut problems,
        );
        assert!(problems.is_empty());
        check_values(&values, now, &mut problems);
        assert_eq!(
            fields(&problems),
            [
                ("reserve_price", "below_starting_price"),
                ("listing_start", "in_past"),
                ("listing_end", "not_after_start")
            ]
        );
        let mut fine = Vec::new();
        let values = read_values(&request(now + Duration::seconds(1), now + Duration::days(20)), &mut fine);
        check_values(&values, now, &mut fine);
        assert!(fine.is_empty(), "{fine:?}");
    }

    #[test]
    fn listed_categories_have_their_announcement_rule_and_tendered_ones_none() {
        assert_eq!(announcement_rule(Category::LandMining, "mining_right"), Some(rule_ids::MINING_ANNOUNCEMENT));
        assert_eq!(announcement_rule(Category::LandMining, "land_use_right"), Some(rule_ids::LAND_ANNOUNCEMENT));
        assert_eq!(announcement_rule(Category::StateProperty, "equity"), Some(rule_ids::PROPERTY_DISCLOSURE));
        assert_eq!(announcement_rule(Category::Construction, "works"), None);
        assert_eq!(announcement_rule(Category::Procurement, "goods"), None);
    }

    fn judge(values: &OfferValues, facts: &OfferFacts, now: DateTime<Utc>) -> (Option<i64>, Vec<FieldError>) {
        let mut problems = Vec::new();
        let calendar = WorkingCalendar::official().unwrap();
        let appraisal = check_against_rules(values, facts, &RuleSet::seed(), &calendar, now, &mut problems).unwrap();
        (appraisal, problems)
    }

    #[test]
    fn the_announcement_and_listing_periods_run_in_full() {
        let now = at(11, 2, 1);
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let notice = rule_set.due(rule_ids::LAND_ANNOUNCEMENT, now, &calendar).unwrap();
        let facts = OfferFacts {
            category: Category::LandMining,
            announcement_rule: rule_ids::LAND_ANNOUNCEMENT,
            inherited: None,
            floor_approved: false,
        };
        // Starting on the earliest day the notice allows, and listing for its full period.
        let start = Utc.from_utc_datetime(&notice.earliest_start().and_hms_opt(1, 0, 0).unwrap());
        let listing = rule_set.due(rule_ids::LAND_LISTING_PERIOD, start, &calendar).unwrap();
        let end = Utc.from_utc_datetime(&listing.end_date.and_hms_opt(8, 0, 0).unwrap());
        let mut problems = Vec::new();
        let values = read_values(&request(start, end), &mut problems);
        let (appraisal, problems) = judge(&values, &facts, now);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(appraisal, Some(100_000_000));
        // A day less of either is refused, naming its field.
        let early = OfferValues { listing_start: Some(start - Duration::days(1)), ..values };
        assert_eq!(fields(&judge(&early, &facts, now).1)[0], ("listing_start", "announcement_period_too_short"));
        let short = OfferValues { listing_end: Some(end - Duration::days(1)), ..values };
        assert_eq!(fields(&judge(&short, &facts, now).1), [("listing_end", "listing_period_too_short")]);
        // State-owned property has no listing period of its own.
        let property =
            OfferFacts { category: Category::StateProperty, announcement_rule: rule_ids::PROPERTY_DISCLOSURE, ..facts };
        let disclosure = rule_set.due(rule_ids::PROPERTY_DISCLOSURE, now, &calendar).unwrap();
        let start = Utc.from_utc_datetime(&disclosure.earliest_start().and_hms_opt(1, 0, 0).unwrap());
        let values =
            OfferValues { listing_start: Some(start), listing_end: Some(start + Duration::hours(1)), ..values };
        assert!(judge(&values, &property, now).1.is_empty());
    }

    #[test]
    fn a_relisting_keeps_its_first_appraisal_and_property_keeps_its_floor() {
        let now = at(11, 2, 1);
        let facts = OfferFacts {
            category: Category::StateProperty,
            announcement_rule: rule_ids::PROPERTY_DISCLOSURE,
            inherited: Some((Some(100_000_000), None)),
            floor_approved: false,
        };
        let far = now + Duration::days(60);
        let mut problems = Vec::new();
        let stated = read_values(
            &OfferRequest {
                appraisal: Some("800000.00"),
                starting_price: Some("890000.00"),
                ..request(far, far + Duration::days(10))
            },
            &mut problems,
        );
        // Restated: refused, and judged on the first appraisal, so 890,000 is below 90 %.
        let (appraisal, problems) = judge(&stated, &facts, now);
        assert_eq!(appraisal, Some(100_000_000));
        assert_eq!(
            fields(&problems),
            [("appraisal", "not_the_first_appraisal"), ("floor_approval", "approval_required")]
        );
        // Not stated: the first is kept; an approval covers the lower price.
        let unstated = OfferValues { appraisal: None, ..stated };
        let approved = OfferFacts { floor_approved: true, ..facts };
        assert_eq!(judge(&unstated, &approved, now), (Some(100_000_000), vec![]));
        // An earlier approval down to 850,000 covers 890,000 without a new one.
        let covered = OfferFacts { inherited: Some((Some(100_000_000), Some(85_000_000))), ..facts };
        assert!(judge(&unstated, &covered, now).1.is_empty());
        // A first round of state-owned property needs its appraisal.
        let first_round = OfferFacts { inherited: None, ..facts };
        assert_eq!(fields(&judge(&unstated, &first_round, now).1), [("appraisal", "required")]);
    }

    #[test]
    fn a_rule_set_without_the_period_cannot_count_it() {
        let mut without = RuleSet::seed();
        without.time_limits.retain(|limit| limit.rule_id != rule_ids::LAND_ANNOUNCEMENT);
        let facts = OfferFacts {
            category: Category::LandMining,
            announcement_rule: rule_ids::LAND_ANNOUNCEMENT,
            inherited: None,
            floor_approved: false,
        };
        let now = at(11, 2, 1);
        let mut problems = Vec::new();
        let values = read_values(&request(now + Duration::days(30), now + Duration::days(60)), &mut problems);
        let calendar = WorkingCalendar::official().unwrap();
        assert_eq!(
            check_against_rules(&values, &facts, &without, &calendar, now, &mut problems),
            Err(DeadlineError::UnknownRule(rule_ids::LAND_ANNOUNCEMENT.into()))
        );
    }

    #[test]
    fn only_land_mining_and_property_projects_are_listed() {
        assert_eq!(listing_rule(Category::LandMining, "mining_right"), Ok(rule_ids::MINING_ANNOUNCEMENT));
        assert_eq!(listing_rule(Category::LandMining, "land_use_right"), Ok(rule_ids::LAND_ANNOUNCEMENT));
        assert_eq!(listing_rule(Category::StateProperty, "equity"), Ok(rule_ids::PROPERTY_DISCLOSURE));
        assert_eq!(listing_rule(Category::Construction, "road"), Err(NotListed));
        assert_eq!(NotListed.answer(), Answer::Conflict(NotListed.detail().into()));
    }
}
