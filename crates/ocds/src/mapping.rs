//! How the platform's facts are written in OCDS: identifiers, values, dates, categories
//! and methods.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use ggzy_kernel::Money;
use ggzy_rules::Category;
use serde_json::{json, Value};

/// The OCDS version the packages declare.
pub const OCDS_VERSION: &str = "1.1";

/// Sections are lots (`tender.lots`, `awards[].relatedLots`, `lot.status`).
pub const LOTS_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json";
/// After the opening: the bids as the opening record shows them (`bids.details`,
/// `bids.statistics`).
pub const BIDS_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json";

/// Answered questions (答疑) as `tender.enquiries`, without who asked.
pub const ENQUIRY_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json";

/// The extensions every package declares.
pub const EXTENSIONS: [&str; 3] = [LOTS_EXTENSION, BIDS_EXTENSION, ENQUIRY_EXTENSION];

/// Organisations are identified by their unified social credit code (统一社会信用代码).
pub const USCC_SCHEME: &str = "CN-USCC";

const BEIJING_SECONDS: i32 = 8 * 3600;

/// An instant in RFC 3339 with the Beijing offset, e.g. `2026-11-23T10:00:00+08:00`.
pub fn beijing_date(t: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(BEIJING_SECONDS) {
        Some(beijing) => t.with_timezone(&beijing).to_rfc3339_opts(SecondsFormat::Secs, false),
        None => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// A party's `id` within a release: the scheme and the credit code.
pub fn party_id(credit_code: &str) -> String {
    format!("{USCC_SCHEME}-{credit_code}")
}

/// A party with its roles.
pub fn party(credit_code: &str, name: &str, roles: &[&str]) -> Value {
    json!({
        "id": party_id(credit_code),
        "name": name,
        "identifier": {"scheme": USCC_SCHEME, "id": credit_code, "legalName": name},
        "roles": roles,
    })
}

/// A reference to a party.
pub fn party_reference(credit_code: &str, name: &str) -> Value {
    json!({"id": party_id(credit_code), "name": name})
}

/// An amount in yuan as an OCDS value. The number is written with the shortest decimal
/// text that reads back as itself, which for amounts in fen is their exact decimal.
pub fn value(amount: Money) -> Value {
    let number = amount.to_decimal().to_string().parse::<f64>().ok().and_then(serde_json::Number::from_f64);
    json!({"amount": number, "currency": "CNY"})
}

/// `mainProcurementCategory` and `additionalProcurementCategories` of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcurementCategories {
    pub main: Option<&'static str>,
    pub additional: &'static [&'static str],
}

/// The mapping of categories and subtypes:
///
/// | category / subtype | main | additional |
/// |---|---|---|
/// | construction works (施工) | works | |
/// | construction survey, design, supervision (勘察、设计、监理) | services | consultingServices |
/// | construction equipment (重要设备材料) | goods | works |
/// | procurement goods / works / services | goods / works / services | |
/// | other: landscaping (园林绿化) | works | |
/// | other: medical procurement (医药采购) | goods | |
/// | other: advertising (广告牌匾), other | none | |
/// | land and mining rights, state property | none: these sell, they do not procure | |
pub fn procurement_categories(category: Category, subtype: &str) -> ProcurementCategories {
    let (main, additional): (Option<&'static str>, &'static [&'static str]) = match (category, subtype) {
        (Category::Construction, "works") => (Some("works"), &[]),
        (Category::Construction, "survey" | "design" | "supervision") => (Some("services"), &["consultingServices"]),
        (Category::Construction, "equipment") => (Some("goods"), &["works"]),
        (Category::Procurement, "goods") => (Some("goods"), &[]),
        (Category::Procurement, "works") => (Some("works"), &[]),
        (Category::Procurement, "services") => (Some("services"), &[]),
        (Category::Other, "landscaping") => (Some("works"), &[]),
        (Category::Other, "medical_procurement") => (Some("goods"), &[]),
        _ => (None, &[]),
    };
    ProcurementCategories { main, additional }
}

/// How a project trades: `procurementMethod` and `procurementMethodDetails`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trading {
    /// An open tender (公开招标) announced on the platform.
    Tender,
    /// A listing (挂牌), which goes to auction when several bidders quote at the end.
    Listing,
    /// A direct award (直接发包) reported for publicity.
    Direct,
}

/// `procurementMethod` (closed codelist `method`) and its details in Chinese.
pub fn procurement_method(category: Category, subtype: &str, trading: Trading) -> (&'static str, &'static str) {
    match trading {
        Trading::Direct => ("direct", "直接发包"),
        Trading::Tender => match category {
            Category::Procurement => ("open", "公开招标（政府采购）"),
            _ => ("open", "公开招标"),
        },
        Trading::Listing => (
            "open",
            match (category, subtype) {
                (Category::LandMining, "mining_right") => "矿业权挂牌出让（可转竞价）",
                (Category::LandMining, _) => "国有建设用地使用权挂牌出让（可转竞价）",
                (Category::StateProperty, "transfer") => "国有产权挂牌转让（可转竞价）",
                (Category::StateProperty, _) => "国有资产挂牌处置（可转竞价）",
                _ => "公共资源挂牌交易（可转竞价）",
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_carry_the_beijing_offset() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        assert_eq!(beijing_date(t), "2026-11-23T10:00:00+08:00");
    }

    #[test]
    fn values_are_exact_yuan_in_cny() {
        for (text, written) in
            [("980000.00", "980000.0"), ("12345.67", "12345.67"), ("0.01", "0.01"), ("99999999.99", "99999999.99")]
        {
            let v = value(Money::parse(text).unwrap());
            assert_eq!(v["currency"], "CNY");
            assert_eq!(v["amount"].to_string(), written);
        }
    }

    #[test]
    fn every_subtype_maps_to_a_closed_code_or_none() {
        for category in Category::ALL {
            for subtype in category.subtypes() {
                let mapped = procurement_categories(category, subtype);
                assert!(
                    mapped.main.is_none_or(|m| ["goods", "works", "services"].contains(&m)),
                    "{category}/{subtype}"
                );
                let (method, details) = procurement_method(category, subtype, Trading::Listing);
                assert_eq!(method, "open");
                assert!(!details.is_empty());
            }
        }
        assert_eq!(procurement_categories(Category::LandMining, "land_use_right").main, None);
        assert_eq!(procurement_categories(Category::Construction, "design").additional, &["consultingServices"]);
    }
}
