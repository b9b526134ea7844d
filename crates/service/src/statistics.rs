//! Trading statistics (细则 §19): projects, sections, budget, contract amounts, the savings
//! rate, bidders per section, failed sections and bonds, grouped by category, subtype,
//! Beijing month of registration and regulator; as JSON or CSV, public. Bid and bond
//! figures count only sections already opened, so no statistic reveals a sealed tender.

use chrono::{Months, NaiveDate};
use ggzy_kernel::FieldError;
use ggzy_store::statistics::{self as repo, Dimension, StatisticsRow};
use rust_decimal::Decimal;

use crate::two_places;
use crate::{Platform, ServiceError};
pub use ggzy_views::statistics::{Statistics, StatisticsGroup, StatisticsQuery};

fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

fn parse_month(problems: &mut Vec<FieldError>, field: &str, text: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().filter(|_| text.len() == 7);
    if parsed.is_none() {
        problems.push(FieldError::new(field, "invalid_month", "月份格式为 YYYY-MM"));
    }
    parsed
}

fn group(row: StatisticsRow) -> StatisticsGroup {
    let bidders_per_section = (row.sections_with_bids > 0)
        .then(|| two_places(Decimal::from(row.bids) / Decimal::from(row.sections_with_bids)));
    let savings_rate_percent = (row.contracted_budget > 0).then(|| {
        two_places(
            (Decimal::ONE - Decimal::from(row.contract_amount) / Decimal::from(row.contracted_budget))
                * Decimal::ONE_HUNDRED,
        )
    });
    StatisticsGroup {
        category: row.category,
        subtype: row.subtype,
        month: row.month,
        regulator_id: row.regulator_id,
        projects: row.projects,
        sections: row.sections,
        budget: yuan(row.budget),
        opened_sections: row.opened_sections,
        failed_sections: row.failed_sections,
        bidders_per_section,
        awarded_sections: row.awarded_sections,
        contract_amount: yuan(row.contract_amount),
        savings_rate_percent,
        bonds_held: yuan(row.bonds_held),
        bonds_refunded: yuan(row.bonds_refunded),
        bonds_overdue: row.bonds_overdue,
    }
}

/// A CSV field: quoted when it holds a separator, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

impl Platform {
    pub fn statistics(&self, query: StatisticsQuery) -> Result<Statistics, ServiceError> {
        let mut problems = Vec::new();
        let mut dimensions = Vec::new();
        let names = query.group_by.unwrap_or_else(|| "category,subtype,month,regulator".into());
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let dimension = match name {
                "category" => Dimension::Category,
                "subtype" => Dimension::Subtype,
                "month" => Dimension::Month,
                "regulator" => Dimension::Regulator,
                _ => {
                    problems.push(FieldError::new(
                        "group_by",
                        "unknown_value",
                        "可选：category、subtype、month、regulator",
                    ));
                    continue;
                }
            };
            if !dimensions.contains(&dimension) {
                dimensions.push(dimension);
            }
        }
        let from = query.from.as_deref().and_then(|m| parse_month(&mut problems, "from", m));
        let to = query.to.as_deref().and_then(|m| parse_month(&mut problems, "to", m));
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                problems.push(FieldError::new("to", "before_from", "结束月份不能早于起始月份"));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        // Month bounds in Beijing time (00:00 of the first day), as UTC instants; without a
        // bound, years both backends store.
        let start_of = |d: NaiveDate| d.pred_opt().map(|eve| ggzy_kernel::end_of_local_day(eve).naive_utc());
        let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).and_then(start_of);
        let latest = NaiveDate::from_ymd_opt(9999, 1, 1).and_then(start_of);
        let start = from.and_then(start_of).or(earliest);
        let end = to.and_then(|d| d.checked_add_months(Months::new(1))).and_then(start_of).or(latest);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(ServiceError::Internal("month bounds out of range".into()));
        };
        let now = self.now_naive();
        let rows = self.store().read(|conn| repo::aggregate(conn, &dimensions, start, end, now))?;
        let group_by = dimensions
            .iter()
            .map(|d| match d {
                Dimension::Category => "category",
                Dimension::Subtype => "subtype",
                Dimension::Month => "month",
                Dimension::Regulator => "regulator",
            })
            .map(str::to_owned)
            .collect();
        Ok(Statistics { group_by, groups: rows.into_iter().map(group).collect() })
    }

    /// The same figures as CSV (UTF-8 with a header row).
    pub fn statistics_csv(&self, query: StatisticsQuery) -> Result<String, ServiceError> {
        let statistics = self.statistics(query)?;
        let mut out = String::from(
            "category,subtype,month,regulator_id,projects,sections,budget,opened_sections,failed_sections,\
             bidders_per_section,awarded_sections,contract_amount,savings_rate_percent,bonds_held,bonds_refunded,bonds_overdue\n",
        );
        for g in statistics.groups {
            let optional = |v: Option<String>| v.map(|t| csv_field(&t)).unwrap_or_default();
            let fields = [
                optional(g.category),
                optional(g.subtype),
                optional(g.month),
                optional(g.regulator_id),
                g.projects.to_string(),
                g.sections.to_string(),
                g.budget.to_string(),
                g.opened_sections.to_string(),
                g.failed_sections.to_string(),
                g.bidders_per_section.map(|d| d.to_string()).unwrap_or_default(),
                g.awarded_sections.to_string(),
                g.contract_amount.to_string(),
                g.savings_rate_percent.map(|d| d.to_string()).unwrap_or_default(),
                g.bonds_held.to_string(),
                g.bonds_refunded.to_string(),
                g.bonds_overdue.to_string(),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        Ok(out)
    }
}
