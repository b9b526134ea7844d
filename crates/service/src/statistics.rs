//! Trading statistics (细则 §19): projects, sections, budget, contract amounts, the savings
//! rate, bidders per section, failed sections and bonds, grouped by category, subtype,
//! Beijing month of registration and regulator; as JSON or CSV, public. Bid and bond
//! figures count only sections already opened, so no statistic reveals a sealed tender.

use ggzy_oversight::statistics::{self, Grouping};
use ggzy_store::statistics::{self as repo, Dimension, StatisticsRow};
use rust_decimal::Decimal;

use crate::{Platform, ServiceError};
pub use ggzy_views::statistics::{Statistics, StatisticsGroup, StatisticsQuery};

fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

fn group(row: StatisticsRow) -> StatisticsGroup {
    StatisticsGroup {
        bidders_per_section: statistics::bidders_per_section(row.bids, row.sections_with_bids),
        savings_rate_percent: statistics::savings_rate_percent(row.contract_amount, row.contracted_budget),
        category: row.category,
        subtype: row.subtype,
        month: row.month,
        regulator_id: row.regulator_id,
        projects: row.projects,
        sections: row.sections,
        budget: yuan(row.budget),
        opened_sections: row.opened_sections,
        failed_sections: row.failed_sections,
        awarded_sections: row.awarded_sections,
        contract_amount: yuan(row.contract_amount),
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
        let request = statistics::read_request(query.group_by.as_deref(), query.from.as_deref(), query.to.as_deref())
            .map_err(ServiceError::Invalid)?;
        let Some((start, end)) = request.registered_between() else {
            return Err(ServiceError::Internal("month bounds out of range".into()));
        };
        let dimensions: Vec<Dimension> = request
            .group_by
            .iter()
            .map(|grouping| match grouping {
                Grouping::Category => Dimension::Category,
                Grouping::Subtype => Dimension::Subtype,
                Grouping::Month => Dimension::Month,
                Grouping::Regulator => Dimension::Regulator,
            })
            .collect();
        let now = self.now_naive();
        let rows = self.store().read(|conn| repo::aggregate(conn, &dimensions, start, end, now))?;
        let group_by = request.group_by.iter().map(|g| g.as_str().to_owned()).collect();
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
