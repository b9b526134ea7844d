//! Trading statistics (细则 §19): what a request for them asks (the groupings and the range
//! of Beijing months of registration), the UTC instants that range covers, and the figures
//! worked out of a group's totals — bidders per section and the savings rate. Counting the
//! totals is the store's. No I/O.

use chrono::{Months, NaiveDate, NaiveDateTime};
use ggzy_kernel::FieldError;
use rust_decimal::Decimal;

use crate::service_quality::two_places;

/// What the figures may be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Category,
    Subtype,
    /// Beijing month of registration.
    Month,
    Regulator,
}

impl Grouping {
    pub const ALL: [Grouping; 4] = [Grouping::Category, Grouping::Subtype, Grouping::Month, Grouping::Regulator];

    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Category => "category",
            Grouping::Subtype => "subtype",
            Grouping::Month => "month",
            Grouping::Regulator => "regulator",
        }
    }

    fn parse(text: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.as_str() == text)
    }
}

/// A request for statistics, read: its groupings, each once in the order named (all four
/// when none is named), and its first and last month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsRequest {
    pub group_by: Vec<Grouping>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Reads `group_by` (comma-separated names), `from` and `to` (YYYY-MM, inclusive); every
/// problem at once.
pub fn read_request(
    group_by: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<StatisticsRequest, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut groupings = Vec::new();
    let names = group_by.unwrap_or("category,subtype,month,regulator");
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Grouping::parse(name) {
            Some(grouping) if !groupings.contains(&grouping) => groupings.push(grouping),
            Some(_) => {}
            None => {
                problems.push(FieldError::new("group_by", "unknown_value", "可选：category、subtype、month、regulator"))
            }
        }
    }
    let from = from.and_then(|m| month(&mut problems, "from", m));
    let to = to.and_then(|m| month(&mut problems, "to", m));
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            problems.push(FieldError::new("to", "before_from", "结束月份不能早于起始月份"));
        }
    }
    if problems.is_empty() {
        Ok(StatisticsRequest { group_by: groupings, from, to })
    } else {
        Err(problems)
    }
}

/// The first day of a month written YYYY-MM.
fn month(problems: &mut Vec<FieldError>, field: &str, text: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().filter(|_| text.len() == 7);
    if parsed.is_none() {
        problems.push(FieldError::new(field, "invalid_month", "月份格式为 YYYY-MM"));
    }
    parsed
}

impl StatisticsRequest {
    /// The registrations counted, as UTC instants: from 00:00 Beijing time of the first
    /// month's first day to the same moment of the month after the last; without a bound,
    /// years both backends store. `None` only for months out of range.
    pub fn registered_between(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let start_of = |d: NaiveDate| d.pred_opt().map(|eve| ggzy_kernel::end_of_local_day(eve).naive_utc());
        let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).and_then(start_of);
        let latest = NaiveDate::from_ymd_opt(9999, 1, 1).and_then(start_of);
        let start = self.from.and_then(start_of).or(earliest)?;
        let end = self.to.and_then(|d| d.checked_add_months(Months::new(1))).and_then(start_of).or(latest)?;
        Some((start, end))
    }
}

/// The average number of bids per section opened with bids, two decimals; `None` without
/// such a section.
pub fn bidders_per_section(bids: i64, sections_with_bids: i64) -> Option<Decimal> {
    (sections_with_bids > 0).then(|| two_places(Decimal::from(bids) / Decimal::from(sections_with_bids)))
}

/// 1 − contract amount / budget of the contracted sections, in percent with two decimals;
/// `None` until a contract is recorded. Amounts in fen.
pub fn savings_rate_percent(contract_amount: i64, contracted_budget: i64) -> Option<Decimal> {
    (contracted_budget > 0).then(|| {
        two_places(
            (Decimal::ONE - Decimal::from(contract_amount) / Decimal::from(contracted_budget)) * Decimal::ONE_HUNDRED,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn codes(result: Result<StatisticsRequest, Vec<FieldError>>) -> Vec<(String, String)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn groupings_are_named_once_in_order_and_all_by_default() {
        use Grouping::*;
        let table: &[(Option<&str>, &[Grouping])] = &[
            (None, &[Category, Subtype, Month, Regulator]),
            (Some("month, category,month"), &[Month, Category]),
            (Some(""), &[]),
            (Some("regulator,,"), &[Regulator]),
        ];
        for (asked, expected) in table {
            assert_eq!(read_request(*asked, None, None).map(|r| r.group_by), Ok(expected.to_vec()), "{asked:?}");
        }
    }

    #[test]
    fn every_problem_of_a_request_is_named() {
        let pair = |field: &str, code: &str| (field.to_owned(), code.to_owned());
        type Case = (Option<&'static str>, Option<&'static str>, Option<&'static str>, Vec<(String, String)>);
        let table: &[Case] = &[
            (Some("category,year"), None, None, vec![pair("group_by", "unknown_value")]),
            (None, Some("2026-1"), Some("2026-13"), vec![pair("from", "invalid_month"), pair("to", "invalid_month")]),
            (None, Some("2026-05"), Some("2026-04"), vec![pair("to", "before_from")]),
            (None, Some("2026-04-01"), None, vec![pair("from", "invalid_month")]),
            (None, Some("2026-04"), Some("2026-04"), vec![]),
        ];
        for (group_by, from, to, expected) in table {
            assert_eq!(&codes(read_request(*group_by, *from, *to)), expected, "{group_by:?} {from:?} {to:?}");
        }
    }

    #[test]
    fn a_range_of_months_runs_from_beijing_midnight_to_beijing_midnight() {
        let request =
            StatisticsRequest { group_by: vec![], from: Some(day("2026-04-01")), to: Some(day("2026-05-01")) };
        let (start, end) = request.registered_between().unwrap();
        // 00:00 Beijing is 16:00 UTC the day before.
        assert_eq!(start, day("2026-03-31").and_hms_opt(16, 0, 0).unwrap());
        assert_eq!(end, day("2026-05-31").and_hms_opt(16, 0, 0).unwrap());
        let open = StatisticsRequest { group_by: vec![], from: None, to: None }.registered_between().unwrap();
        assert_eq!(
            open,
            (day("1899-12-31").and_hms_opt(16, 0, 0).unwrap(), day("9998-12-31").and_hms_opt(16, 0, 0).unwrap())
        );
    }

    #[test]
    fn figures_have_two_places_and_none_without_their_base() {
        let d = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(bidders_per_section(7, 3), Some(d("2.33")));
        assert_eq!(bidders_per_section(5, 2), Some(d("2.50")));
        assert_eq!(bidders_per_section(4, 0), None);
        assert_eq!(savings_rate_percent(96_750, 100_000), Some(d("3.25")));
        assert_eq!(savings_rate_percent(100_000, 100_000), Some(d("0.00")));
        assert_eq!(savings_rate_percent(110_000, 100_000), Some(d("-10.00")));
        assert_eq!(savings_rate_percent(1, 0), None);
        assert_eq!(savings_rate_percent(2, 3), Some(d("33.33")));
    }
}
