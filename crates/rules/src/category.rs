//! The five trading categories (entry.categories), their subtypes, construction sectors,
//! funding sources and procurement organisation forms.
//!
//! Subtypes are validated string keys rather than one enum per category, so that a
//! project row can store `(category, subtype)` as two stable text columns and a new
//! subtype is one line here.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Trading category (交易类别, entry.categories, 实施方案 二(二)).
///
/// - `construction`: 建设工程
/// - `procurement`: 政府采购
/// - `land_mining`: 土地和矿业权
/// - `state_property`: 国有产权
/// - `other`: 其他公共资源
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 建设工程
    Construction,
    /// 政府采购
    Procurement,
    /// 土地和矿业权
    LandMining,
    /// 国有产权
    StateProperty,
    /// 其他公共资源
    Other,
}

impl Category {
    /// Every category, in the order of 实施方案 二(二).
    pub const ALL: [Category; 5] =
        [Category::Construction, Category::Procurement, Category::LandMining, Category::StateProperty, Category::Other];

    /// The serde key, e.g. `land_mining`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Construction => "construction",
            Category::Procurement => "procurement",
            Category::LandMining => "land_mining",
            Category::StateProperty => "state_property",
            Category::Other => "other",
        }
    }

    /// The inverse of [`Category::as_str`].
    pub fn from_key(key: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == key)
    }

    /// The Chinese term, e.g. 建设工程.
    pub fn name(self) -> &'static str {
        match self {
            Category::Construction => "建设工程",
            Category::Procurement => "政府采购",
            Category::LandMining => "土地和矿业权",
            Category::StateProperty => "国有产权",
            Category::Other => "其他公共资源",
        }
    }

    /// The subtype keys of this category; see [`subtypes`].
    pub fn subtypes(self) -> &'static [&'static str] {
        subtypes(self)
    }
}

/// Stored as its serde key, read back with `ggzy_kernel::stored`.
impl ggzy_kernel::ClosedEnum for Category {
    const NAME: &'static str = "Category";
    fn all() -> &'static [Self] {
        &Category::ALL
    }
    fn as_str(self) -> &'static str {
        Category::as_str(self)
    }
    fn parse(text: &str) -> Option<Self> {
        Category::from_key(text)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `(key, 中文名)` per category.
const CONSTRUCTION: [(&str, &str); 5] =
    [("survey", "勘察"), ("design", "设计"), ("works", "施工"), ("supervision", "监理"), ("equipment", "重要设备材料")];
const PROCUREMENT: [(&str, &str); 3] = [("goods", "货物"), ("works", "工程"), ("services", "服务")];
const LAND_MINING: [(&str, &str); 2] = [("land_use_right", "土地使用权出让"), ("mining_right", "矿业权出让")];
const STATE_PROPERTY: [(&str, &str); 2] = [("disposal", "处置"), ("transfer", "转让")];
const OTHER: [(&str, &str); 4] =
    [("landscaping", "园林绿化"), ("advertising", "广告牌匾"), ("medical_procurement", "医药采购"), ("other", "其他")];

const CONSTRUCTION_KEYS: [&str; 5] = ["survey", "design", "works", "supervision", "equipment"];
const PROCUREMENT_KEYS: [&str; 3] = ["goods", "works", "services"];
const LAND_MINING_KEYS: [&str; 2] = ["land_use_right", "mining_right"];
const STATE_PROPERTY_KEYS: [&str; 2] = ["disposal", "transfer"];
const OTHER_KEYS: [&str; 4] = ["landscaping", "advertising", "medical_procurement", "other"];

fn named(category: Category) -> &'static [(&'static str, &'static str)] {
    match category {
        Category::Construction => &CONSTRUCTION,
        Category::Procurement => &PROCUREMENT,
        Category::LandMining => &LAND_MINING,
        Category::StateProperty => &STATE_PROPERTY,
        Category::Other => &OTHER,
    }
}

/// The subtype keys of a category (entry.categories), e.g. `survey`, `design`, `works`,
/// `supervision`, `equipment` for construction.
pub fn subtypes(category: Category) -> &'static [&'static str] {
    match category {
        Category::Construction => &CONSTRUCTION_KEYS,
        Category::Procurement => &PROCUREMENT_KEYS,
        Category::LandMining => &LAND_MINING_KEYS,
        Category::StateProperty => &STATE_PROPERTY_KEYS,
        Category::Other => &OTHER_KEYS,
    }
}

/// Whether `key` is a subtype of `category` (exact, case-sensitive match).
pub fn is_subtype(category: Category, key: &str) -> bool {
    subtypes(category).contains(&key)
}

/// The Chinese name of a subtype, e.g. `subtype_name(Construction, "survey") == Some("勘察")`.
pub fn subtype_name(category: Category, key: &str) -> Option<&'static str> {
    named(category).iter().find(|(k, _)| *k == key).map(|(_, name)| *name)
}

/// Sector of a construction project (行业), used for the regulator mapping and
/// entry.registration_form.
///
/// - `building`: 房屋建筑（房建）
/// - `municipal`: 市政
/// - `water`: 水利
/// - `transport`: 交通
/// - `other`: 其他
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// 房屋建筑（房建）
    Building,
    /// 市政
    Municipal,
    /// 水利
    Water,
    /// 交通
    Transport,
    /// 其他
    Other,
}

impl Sector {
    pub const ALL: [Sector; 5] = [Sector::Building, Sector::Municipal, Sector::Water, Sector::Transport, Sector::Other];

    /// The serde key, e.g. `building`; also the regulator mapping key.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Building => "building",
            Sector::Municipal => "municipal",
            Sector::Water => "water",
            Sector::Transport => "transport",
            Sector::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.as_str() == key)
    }

    pub fn name(self) -> &'static str {
        match self {
            Sector::Building => "房建",
            Sector::Municipal => "市政",
            Sector::Water => "水利",
            Sector::Transport => "交通",
            Sector::Other => "其他",
        }
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Source of a project's funds.
///
/// - `state_funded`: 国有资金投资
/// - `state_controlled`: 国有资金控股或占主导
/// - `social_investment`: 社会投资
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    /// 国有资金投资
    StateFunded,
    /// 国有资金控股或占主导
    StateControlled,
    /// 社会投资
    SocialInvestment,
}

impl Funding {
    pub fn as_str(self) -> &'static str {
        match self {
            Funding::StateFunded => "state_funded",
            Funding::StateControlled => "state_controlled",
            Funding::SocialInvestment => "social_investment",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Funding::StateFunded => "国有资金投资",
            Funding::StateControlled => "国有资金控股或占主导",
            Funding::SocialInvestment => "社会投资",
        }
    }
}

/// How a government procurement is organised.
///
/// - `centralised`: 集中采购
/// - `decentralised`: 分散采购
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcurementOrganisation {
    /// 集中采购
    Centralised,
    /// 分散采购
    Decentralised,
}

impl ProcurementOrganisation {
    pub fn as_str(self) -> &'static str {
        match self {
            ProcurementOrganisation::Centralised => "centralised",
            ProcurementOrganisation::Decentralised => "decentralised",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ProcurementOrganisation::Centralised => "集中采购",
            ProcurementOrganisation::Decentralised => "分散采购",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_category_reads_back_and_an_unknown_one_is_a_fault() {
        assert_eq!(ggzy_kernel::stored::<Category>("projects.category", "land_mining"), Ok(Category::LandMining));
        let fault = ggzy_kernel::stored::<Category>("projects.category", "lands").err();
        assert_eq!(
            fault.map(|f| f.to_string()).as_deref(),
            Some("projects.category holds `lands`, which is not Category")
        );
    }

    #[test]
    fn serde_keys_match_as_str() {
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.as_str()));
            assert_eq!(Category::from_key(c.as_str()), Some(c));
        }
        for s in Sector::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
            assert_eq!(Sector::from_key(s.as_str()), Some(s));
        }
        for f in [Funding::StateFunded, Funding::StateControlled, Funding::SocialInvestment] {
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.as_str()));
        }
        for o in [ProcurementOrganisation::Centralised, ProcurementOrganisation::Decentralised] {
            assert_eq!(serde_json::to_value(o).unwrap(), serde_json::json!(o.as_str()));
        }
        assert_eq!(serde_json::to_value(Category::LandMining).unwrap(), "land_mining");
        assert!(serde_json::from_str::<Category>("\"Construction\"").is_err());
    }

    #[test]
    fn subtypes_have_names_and_keys_agree() {
        for c in Category::ALL {
            let keys = subtypes(c);
            assert_eq!(keys.len(), named(c).len());
            for key in keys {
                assert!(is_subtype(c, key));
                assert!(subtype_name(c, key).is_some(), "{c}/{key}");
            }
        }
        assert_eq!(subtype_name(Category::Construction, "survey"), Some("勘察"));
        assert_eq!(subtype_name(Category::Construction, "equipment"), Some("重要设备材料"));
        assert_eq!(subtype_name(Category::Other, "advertising"), Some("广告牌匾"));
        assert!(is_subtype(Category::Procurement, "works"));
        assert!(!is_subtype(Category::Procurement, "survey"));
        assert!(!is_subtype(Category::Construction, "Works"));
        assert!(!is_subtype(Category::Construction, ""));
        assert_eq!(subtype_name(Category::LandMining, "disposal"), None);
    }

    #[test]
    fn construction_subtypes_and_sector_keys_are_disjoint() {
        // The regulator mapping puts both kinds of key in one column.
        for s in Sector::ALL {
            assert!(!is_subtype(Category::Construction, s.as_str()), "{s}");
        }
    }
}
