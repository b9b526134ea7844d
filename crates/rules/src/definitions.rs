//! Every rule of `RULES.md` as a static definition: id, Chinese title, number, source.
//!
//! The numbers a decision actually uses (thresholds, time limits, caps) live in a
//! versioned [`RuleSet`](crate::RuleSet); this table is the catalogue of what each rule
//! id means and where it comes from, listed by `GET /api/v1/rules` and quoted in every
//! [`Citation`](crate::Citation).

use serde::Serialize;
use utoipa::ToSchema;

/// One rule of `RULES.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleDefinition {
    /// Stable rule id, e.g. `construction.bidding_period`.
    #[schema(example = "construction.bidding_period")]
    pub id: &'static str,
    /// Short Chinese title.
    #[schema(example = "投标文件编制期限")]
    pub title: &'static str,
    /// The number as `RULES.md` states it, e.g. `≥ 20 days`; `—` when the rule has none.
    #[schema(example = "≥ 20 days")]
    pub number: &'static str,
    /// Where the rule comes from, e.g. `招标投标法 §24` or `实施方案 二(一)` (the district's
    /// 进场交易实施方案 / 管理办法 / 服务管理细则 are cited by their short names).
    #[schema(example = "招标投标法 §24")]
    pub source: &'static str,
    /// Table of `RULES.md` the rule belongs to: `district`, `construction`,
    /// `procurement`, `land_property` or `credit`.
    #[schema(example = "construction")]
    pub group: &'static str,
    /// Whether the number is policy ("default" in `RULES.md`) that an authorised
    /// regulator may change by publishing a new rule-set version. When false the number
    /// is fixed by law or by the district's documents and a version may not change it.
    pub adjustable: bool,
    /// What the rule says, as `RULES.md` words it.
    pub description: &'static str,
}

#[allow(clippy::too_many_arguments)]
const fn def(
    id: &'static str,
    title: &'static str,
    number: &'static str,
    source: &'static str,
    group: &'static str,
    adjustable: bool,
    description: &'static str,
) -> RuleDefinition {
    RuleDefinition { id, title, number, source, group, adjustable, description }
}

/// Number of table rows in `RULES.md`: district 17, construction 26, procurement 17,
/// land/mining/property 6, credit 5.
const RULE_COUNT: usize = 71;

static DEFINITIONS: [RuleDefinition; RULE_COUNT] = [
    def("entry.threshold", "进场交易限额标准", "500,000 yuan, inclusive (default)", "实施方案 二(一)", "district", true,
        "a catalogued project whose contract estimate or budget is at or above the threshold must trade on the district platform"),
    def("entry.categories", "进场交易项目类别", "5", "实施方案 二(二)", "district", false,
        "five categories: construction (勘察/设计/施工/监理/重要设备材料), government procurement (货物/工程/服务), land use rights and mining rights (出让), state-owned property rights (处置/转让), other public resources (园林绿化/广告牌匾/医药采购 …)"),
    def("entry.catalogue", "进场交易目录", "versioned data", "管理办法 §6", "district", true,
        "the catalogue (目录) of what must enter is drawn up by the comprehensive regulator (公管办); catalogued and at threshold = must enter"),
    def("entry.voluntary", "社会投资项目自愿进场", "—", "细则 §8, 实施方案 一", "district", false,
        "social investment not legally required to tender may enter voluntarily and must be served"),
    def("entry.municipal", "市级平台交易项目", "catalogue flag", "实施方案 一", "district", true,
        "projects that rules send to the municipal platform go there, not here"),
    def("entry.registration_form", "进场登记表", "—", "实施方案 五(五)", "district", false,
        "except construction (房建/市政) and centralised government procurement, the tenderer files the 进场登记表 with the approval documents"),
    def("registration.one_time_notice", "一次性告知", "—", "细则 §14(二)", "district", false,
        "when materials are incomplete, all missing items are told at once (一次性告知)"),
    def("registration.service_owner", "项目服务责任人", "1", "细则 §14(四)", "district", false,
        "every registered project has a named service owner at the centre"),
    def("agency.max_agents", "代理机构进场人员上限", "3 (default)", "实施方案 五(四)", "district", true,
        "a tendering agency acting for a tenderer brings at most this many real-name agent staff onto the platform; a category may set its own number"),
    def("direct_award.publicity", "直接发包公示", "publicity period: 5 working days (default)", "实施方案 四(一)", "district", true,
        "for direct award (直接发包) the chosen contractor is published for public supervision"),
    def("regulator.assignment", "行业监管部门确定", "—", "管理办法 §10", "district", false,
        "every project has an industry regulator; where none can be determined the comprehensive regulator assigns one"),
    def("centre.no_regulatory_power", "交易中心不行使监管职能", "—", "管理办法 §22(四)", "district", false,
        "the centre (交易中心) never approves, supervises or penalises"),
    def("bond.central", "投标保证金集中收退", "—", "细则 §21, 管理办法 §40", "district", false,
        "bid bonds are collected and held centrally in a dedicated account; refunded on time; the platform is liable for a late refund"),
    def("services.free", "公共服务不收费", "0", "细则 §23", "district", false,
        "the platform charges nothing for its public services"),
    def("participant.register_once", "市场主体一次注册", "—", "细则 §33, §36", "district", false,
        "a market participant registers once (by unified social credit code) and is never asked to register again"),
    def("credit.commitment", "信用承诺", "—", "管理办法 §37", "district", false,
        "before trading, a participant makes a public credit commitment (信用承诺) that enters its credit record"),
    def("recusal", "回避", "—", "管理办法 §27", "district", false,
        "supervisors, tenderer representatives and experts with relatives in, or interests with, a bidder or agency step aside"),
    def("construction.bidding_period", "投标文件编制期限", "≥ 20 days", "招标投标法 §24", "construction", false,
        "from first issue of tender documents to the bid deadline"),
    def("construction.doc_sale_period", "招标文件发售期", "≥ 5 days", "招标投标法实施条例 §16", "construction", false,
        "tender / prequalification documents on sale"),
    def("construction.clarification", "招标文件澄清或修改", "15 / 3 days", "招标投标法 §23, 招标投标法实施条例 §21", "construction", false,
        "a change that affects preparation must come ≥ 15 days before the bid deadline (≥ 3 days before the prequalification deadline), else the deadline moves"),
    def("construction.objection.prequal_docs", "资格预审文件异议期限", "before deadline − 2 days", "招标投标法实施条例 §22", "construction", false,
        "objection to prequalification documents"),
    def("construction.objection.tender_docs", "招标文件异议期限", "before bid deadline − 10 days", "招标投标法实施条例 §22", "construction", false,
        "objection to tender documents"),
    def("construction.objection.reply", "异议答复期限", "≤ 3 days", "招标投标法实施条例 §22, §54", "construction", false,
        "the tenderer replies; the tendering is suspended until it does"),
    def("construction.objection.opening", "开标异议", "on site", "招标投标法实施条例 §44", "construction", false,
        "objection to the bid opening is raised at the opening and answered on the spot"),
    def("construction.min_bidders", "投标人不足三个", "3", "招标投标法实施条例 §44, 招标投标法 §28", "construction", false,
        "fewer bidders than this: no opening, re-tender"),
    def("construction.candidates.publish", "中标候选人公示发布", "≤ 3 days", "招标投标法实施条例 §54", "construction", false,
        "winning candidates published after the evaluation report arrives"),
    def("construction.candidates.publicity", "中标候选人公示期", "≥ 3 days", "招标投标法实施条例 §54", "construction", false,
        "candidate publicity lasts; results objections only inside it"),
    def("construction.candidates.max", "中标候选人人数", "≤ 3; state-funded projects take rank 1", "招标投标法实施条例 §53, §55", "construction", false,
        "ranked candidates"),
    def("construction.complaint.window", "投诉期限", "≤ 10 days", "招标投标法实施条例 §60", "construction", false,
        "complaint to the industry regulator from when the complainant knew; objection-first matters need the objection first and the reply time is not counted"),
    def("construction.complaint.acceptance", "投诉受理期限", "≤ 3 working days", "招标投标法实施条例 §61", "construction", false,
        "regulator decides whether to accept"),
    def("construction.complaint.decision", "投诉处理期限", "≤ 30 working days", "招标投标法实施条例 §61", "construction", false,
        "written decision from acceptance; time for testing, appraisal or expert review is not counted"),
    def("construction.bond.cap", "投标保证金上限", "≤ 2% of the estimate", "招标投标法实施条例 §26", "construction", false,
        "bid bond"),
    def("construction.bond.basic_account", "投标保证金从基本账户转出", "—", "招标投标法实施条例 §26", "construction", false,
        "a domestic bidder's cash bond leaves from its basic account"),
    def("construction.bond.refund_after_contract", "签订合同后退还投标保证金", "≤ 5 days", "招标投标法实施条例 §57", "construction", false,
        "refund to every bidder, with bank demand-deposit interest, after the written contract"),
    def("construction.bond.refund_on_withdrawal", "撤回投标后退还投标保证金", "≤ 5 days", "招标投标法实施条例 §35", "construction", false,
        "refund after a written withdrawal before the deadline"),
    def("construction.bond.forfeit", "投标保证金不予退还", "—", "招标投标法实施条例 §35, §74", "construction", false,
        "forfeited: withdrawal after the deadline; winner refuses to sign, adds conditions or gives no performance bond"),
    def("construction.bond.refund_on_termination", "终止招标后退还投标保证金", "promptly (default 5 days)", "招标投标法实施条例 §31", "construction", true,
        "tender terminated: bonds and interest refunded promptly"),
    def("construction.performance_bond.cap", "履约保证金上限", "≤ 10% of contract", "招标投标法实施条例 §58", "construction", false,
        "performance bond"),
    def("construction.contract.window", "签订合同期限", "≤ 30 days", "招标投标法 §46", "construction", false,
        "contract after the award notice"),
    def("construction.evaluation.committee", "评标委员会组成", "≥ 5", "招标投标法 §37, 招标投标法实施条例 §46", "construction", false,
        "committee size, odd; experts ≥ 2/3; drawn at random from the expert pool"),
    def("construction.collusion.deemed", "视为串通投标", "6 indicators", "招标投标法实施条例 §40", "construction", false,
        "deemed collusion: (1) same preparer (2) same person handles bidding for several bidders (3) same project manager (4) abnormally identical documents or regular price differences (5) documents mixed together (6) bonds paid from the same account"),
    def("construction.barred_bidders", "不得参加同一标段投标", "—", "招标投标法实施条例 §34", "construction", false,
        "same legal representative, or control relationship, may not bid the same section"),
    def("construction.debarment", "取消投标资格", "1–2 / 1–3 years", "招标投标法实施条例 §67, §68", "construction", false,
        "collusion / fraud, serious: barred from must-tender projects"),
    def("procurement.bidding_period", "投标文件编制期限", "≥ 20 days", "政府采购法 §35", "procurement", false,
        "open tender: from issue of documents to bid deadline"),
    def("procurement.clarification", "招标文件澄清或修改", "≥ 15 days", "政府采购法实施条例 §31", "procurement", false,
        "clarification before the bid deadline"),
    def("procurement.bond.cap", "投标保证金上限", "≤ 2% of budget", "政府采购法实施条例 §33", "procurement", false,
        "bid bond, non-cash only (cheque, draft, guarantee)"),
    def("procurement.bond.refund_losers", "未中标人投标保证金退还", "≤ 5 working days", "政府采购法实施条例 §33, 财政部87号令 §38", "procurement", false,
        "losing bidders refunded after the award notice"),
    def("procurement.bond.refund_winner", "中标人投标保证金退还", "≤ 5 working days", "财政部87号令 §38", "procurement", false,
        "winner refunded after contract signing"),
    def("procurement.bond.refund_on_withdrawal", "撤回投标后退还投标保证金", "≤ 5 working days", "财政部87号令 §38", "procurement", false,
        "withdrawal before the deadline"),
    def("procurement.bond.late_fee", "逾期退还投标保证金利息", "rate × 1.2", "财政部87号令 §38", "procurement", false,
        "a late refund pays principal plus a fee at the PBoC benchmark loan rate + 20% (base rate kept as data: last published 1-year rate 4.35%) unless the bidder caused the delay"),
    def("procurement.question.window", "质疑期限", "≤ 7 working days", "政府采购法 §52, 财政部94号令 §10", "procurement", false,
        "质疑 from when the supplier knew or should have known"),
    def("procurement.question.reply", "质疑答复期限", "≤ 7 working days", "政府采购法 §53, 财政部94号令 §13", "procurement", false,
        "the purchaser or agency replies"),
    def("procurement.complaint.window", "投诉期限", "≤ 15 working days", "政府采购法 §55, 财政部94号令 §17", "procurement", false,
        "投诉 after the reply period ends"),
    def("procurement.complaint.decision", "投诉处理期限", "≤ 30 working days", "财政部94号令 §26, 政府采购法 §56–57", "procurement", false,
        "finance department decides from receipt; testing, expert review and correction time not counted; may suspend procurement ≤ 30 days"),
    def("procurement.award.publish", "中标结果公告", "≤ 2 working days", "财政部87号令 §69", "procurement", false,
        "result published after the decision"),
    def("procurement.contract.window", "签订合同期限", "≤ 30 days", "政府采购法 §46", "procurement", false,
        "contract after award notice"),
    def("procurement.single_source.publicity", "单一来源采购公示", "≥ 5 working days", "政府采购法实施条例 §38", "procurement", false,
        "single-source publicity"),
    def("procurement.committee", "评标委员会组成", "≥ 5, odd", "财政部87号令 §47", "procurement", false,
        "evaluation committee; ≥ 7 when budget ≥ 10,000,000 yuan"),
    def("procurement.collusion.deemed", "视为串通投标", "6 indicators", "财政部87号令 §37", "procurement", false,
        "as construction.collusion.deemed, with (3) extended to contact persons"),
    def("procurement.recusal", "采购回避", "3 years", "政府采购法实施条例 §9", "procurement", false,
        "staff and experts step aside for employment, directorship or control in the last 3 years, spouse, direct relatives, collateral relatives to the third degree, close in-laws"),
    def("land.announcement", "土地出让公告期", "≥ 20 days", "国土资源部 39号令 (default)", "land_property", true,
        "announcement before the start of 招标/拍卖/挂牌"),
    def("land.listing_period", "挂牌期限", "≥ 10 working days", "国土资源部 39号令 (default)", "land_property", true,
        "挂牌 period"),
    def("land.deposit.refund", "竞买保证金退还", "≤ 5 working days", "local practice (default)", "land_property", true,
        "losers' deposits refunded after the event, without interest; the winner's deposit counts toward the price"),
    def("mining.announcement", "矿业权出让公告期", "≥ 20 working days", "国土资规〔2017〕7号 (default)", "land_property", true,
        "announcement before listing"),
    def("property.disclosure", "国有产权转让信息披露期", "≥ 20 working days", "国资委/财政部 32号令 (default)", "land_property", true,
        "formal disclosure of a state-owned property transfer"),
    def("property.relisting_floor", "重新挂牌底价", "90%", "国资委/财政部 32号令 (default)", "land_property", true,
        "relisting below 90% of the appraisal needs new approval"),
    def("credit.record.publicity", "不良行为记录公布期限", "6 months (default; or the restriction period if longer)", "发改法规〔2008〕1531号 §9", "credit", true,
        "a bad-conduct record is published for"),
    def("credit.severity.periods", "失信信息分级公示期限", "—", "信用修复管理办法 (in force 2026-04-01)", "credit", false,
        "publication by severity: minor not published; general 3 months–1 year; serious 1–3 years"),
    def("credit.repair", "信用修复", "—", "信用修复管理办法", "credit", false,
        "repair after the minimum period, obligations fulfilled and a new public commitment; automatic removal at the maximum"),
    def("credit.score", "信用评分", "configurable policy", "管理办法 §36 (factors: 业绩, 信誉, 创新创优, 税收, 履约, 违法违规处理, 司法执行)", "credit", true,
        "score model: base and per-record deductions and additions, each with a validity window; grades"),
    def("credit.use", "信用信息应用", "—", "管理办法 §38", "credit", false,
        "credit information is a basis for market access, approval, qualification review, evaluation and award"),
];

/// Every rule of `RULES.md`, in the order of its tables.
pub fn definitions() -> &'static [RuleDefinition] {
    &DEFINITIONS
}

/// The definition of one rule id.
pub fn definition(id: &str) -> Option<&'static RuleDefinition> {
    DEFINITIONS.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_table_row_of_rules_md_is_defined_once() {
        // Counted by hand in RULES.md: district 17 + construction 26 + procurement 17
        // + land/mining/property 6 + credit 5 = 71 table rows.
        assert_eq!(definitions().len(), 71);
        let ids: HashSet<&str> = definitions().iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), definitions().len(), "rule ids must be unique");
        let count = |g: &str| definitions().iter().filter(|d| d.group == g).count();
        assert_eq!(count("district"), 17);
        assert_eq!(count("construction"), 26);
        assert_eq!(count("procurement"), 17);
        assert_eq!(count("land_property"), 6);
        assert_eq!(count("credit"), 5);
    }

    #[test]
    fn fields_are_filled_and_sources_name_their_law() {
        for d in definitions() {
            assert!(!d.title.is_empty() && !d.number.is_empty() && !d.source.is_empty(), "{}", d.id);
            assert!(!d.description.is_empty(), "{}", d.id);
            // A bare "法 §" or "条例 §" would not say which law.
            for part in d.source.split(", ") {
                assert!(!part.starts_with("法 ") && !part.starts_with("条例 "), "{}: {}", d.id, d.source);
                assert!(!part.starts_with("87号令") && !part.starts_with("94号令"), "{}: {}", d.id, d.source);
            }
        }
    }

    #[test]
    fn lookups() {
        let d = definition("construction.bidding_period").unwrap();
        assert_eq!(d.number, "≥ 20 days");
        assert_eq!(d.source, "招标投标法 §24");
        assert!(!d.adjustable);
        let d = definition("entry.threshold").unwrap();
        assert_eq!(d.number, "500,000 yuan, inclusive (default)");
        assert_eq!(d.source, "实施方案 二(一)");
        assert!(d.adjustable);
        assert_eq!(
            definition("procurement.bond.refund_losers").unwrap().source,
            "政府采购法实施条例 §33, 财政部87号令 §38"
        );
        assert_eq!(definition("procurement.complaint.decision").unwrap().source, "财政部94号令 §26, 政府采购法 §56–57");
        assert_eq!(definition("construction.objection.tender_docs").unwrap().number, "before bid deadline − 10 days");
        assert_eq!(definition("land.listing_period").unwrap().source, "国土资源部 39号令 (default)");
        assert!(definition("no.such.rule").is_none());
    }

    #[test]
    fn serializes_for_the_rules_listing() {
        let json = serde_json::to_value(definition("recusal").unwrap()).unwrap();
        assert_eq!(json["id"], "recusal");
        assert_eq!(json["source"], "管理办法 §27");
        assert_eq!(json["group"], "district");
        assert_eq!(json["adjustable"], false);
    }
}
