//! Response and request bodies of statistics (see `ggzy_service::statistics` for the use cases).

use ggzy_oversight::statistics;
use ggzy_store::statistics::{Dimension, StatisticsRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// Comma-separated: category, subtype, month, regulator (default: all four).
    pub group_by: Option<String>,
    /// First month, YYYY-MM (Beijing time of registration); default: all.
    pub from: Option<String>,
    /// Last month, YYYY-MM, inclusive; default: all.
    pub to: Option<String>,
}

/// The figures of one group; amounts are decimal yuan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatisticsGroup {
    #[schema(value_type = Option<ggzy_rules::Category>)]
    pub category: Option<String>,
    pub subtype: Option<String>,
    /// YYYY-MM, Beijing time.
    pub month: Option<String>,
    pub regulator_id: Option<String>,
    pub projects: i64,
    pub sections: i64,
    #[schema(value_type = String, example = "1000000.00")]
    pub budget: Decimal,
    pub opened_sections: i64,
    /// Sections opened with too few bids (流标).
    pub failed_sections: i64,
    /// Average bids per section opened with bids, two decimals.
    #[schema(value_type = Option<String>)]
    pub bidders_per_section: Option<Decimal>,
    pub awarded_sections: i64,
    #[schema(value_type = String)]
    pub contract_amount: Decimal,
    /// 1 − contract amount / budget of the contracted sections, as a percentage with two
    /// decimals; absent until a contract is recorded.
    #[schema(value_type = Option<String>, example = "3.25")]
    pub savings_rate_percent: Option<Decimal>,
    /// Bonds not yet settled, of opened sections.
    #[schema(value_type = String)]
    pub bonds_held: Decimal,
    #[schema(value_type = String)]
    pub bonds_refunded: Decimal,
    /// How many bonds are past their refund deadline without a refund.
    pub bonds_overdue: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Statistics {
    pub group_by: Vec<String>,
    pub groups: Vec<StatisticsGroup>,
}

fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// A group's figures, amounts in yuan, with its ratios worked out.
/// The column of the store's aggregate a grouping of the figures groups on.
pub fn dimension_of(grouping: statistics::Grouping) -> Dimension {
    match grouping {
        statistics::Grouping::Category => Dimension::Category,
        statistics::Grouping::Subtype => Dimension::Subtype,
        statistics::Grouping::Month => Dimension::Month,
        statistics::Grouping::Regulator => Dimension::Regulator,
    }
}

impl From<StatisticsRow> for StatisticsGroup {
    fn from(row: StatisticsRow) -> Self {
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
}

/// A CSV field: quoted when it holds a separator, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

impl Statistics {
    /// The figures as CSV (UTF-8 with a header row), one line a group.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "category,subtype,month,regulator_id,projects,sections,budget,opened_sections,failed_sections,\
             bidders_per_section,awarded_sections,contract_amount,savings_rate_percent,bonds_held,bonds_refunded,bonds_overdue\n",
        );
        for g in &self.groups {
            let optional = |v: &Option<String>| v.as_deref().map(csv_field).unwrap_or_default();
            let decimal = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
            let fields = [
                optional(&g.category),
                optional(&g.subtype),
                optional(&g.month),
                optional(&g.regulator_id),
                g.projects.to_string(),
                g.sections.to_string(),
                g.budget.to_string(),
                g.opened_sections.to_string(),
                g.failed_sections.to_string(),
                decimal(g.bidders_per_section),
                g.awarded_sections.to_string(),
                g.contract_amount.to_string(),
                decimal(g.savings_rate_percent),
                g.bonds_held.to_string(),
                g.bonds_refunded.to_string(),
                g.bonds_overdue.to_string(),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> StatisticsRow {
        StatisticsRow {
            category: Some("construction".into()),
            subtype: Some("房建, 市政".into()),
            month: None,
            regulator_id: None,
            projects: 2,
            sections: 3,
            budget: 100_000,
            opened_sections: 2,
            failed_sections: 1,
            bids: 6,
            sections_with_bids: 2,
            awarded_sections: 1,
            contract_amount: 90_000,
            contracted_budget: 100_000,
            bonds_held: 250,
            bonds_refunded: 0,
            bonds_overdue: 1,
        }
    }

    #[test]
    fn a_group_shows_amounts_in_yuan_and_its_ratios() {
        let group = StatisticsGroup::from(row());
        assert_eq!(group.budget, Decimal::new(100_000, 2));
        assert_eq!(group.contract_amount.to_string(), "900.00");
        assert_eq!(group.bonds_held.to_string(), "2.50");
        assert_eq!(group.bidders_per_section, statistics::bidders_per_section(6, 2));
        assert_eq!(group.savings_rate_percent, statistics::savings_rate_percent(90_000, 100_000));
        assert_eq!((group.projects, group.sections, group.bonds_overdue), (2, 3, 1));
    }

    #[test]
    fn csv_quotes_only_fields_that_need_it() {
        assert_eq!(csv_field("房建"), "房建");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        let csv = Statistics { group_by: vec![], groups: vec![StatisticsGroup::from(row())] }.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("category,subtype,month,"));
        assert!(lines[1].starts_with("construction,\"房建, 市政\",,,2,3,1000.00,2,1,"), "{}", lines[1]);
        assert!(lines[1].ends_with(",900.00,10.00,2.50,0.00,1"), "{}", lines[1]);
    }

    #[test]
    fn each_grouping_groups_on_its_own_dimension() {
        use statistics::Grouping;
        let dimensions: Vec<Dimension> = [Grouping::Category, Grouping::Subtype, Grouping::Month, Grouping::Regulator]
            .into_iter()
            .map(dimension_of)
            .collect();
        assert_eq!(dimensions, vec![Dimension::Category, Dimension::Subtype, Dimension::Month, Dimension::Regulator]);
    }
}
