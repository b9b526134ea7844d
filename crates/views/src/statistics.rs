//! Response and request bodies of statistics (see `ggzy_service::statistics` for the use cases).

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
