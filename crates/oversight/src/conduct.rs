//! The prohibited-conduct catalogue of 管理办法 §20–27: the code list for violation
//! findings, each item bound to the kinds of subject it can be found against.

ggzy_kernel::closed_enum! {
    /// Who a violation case is about.
    pub enum Subject {
        /// 综合监管部门 (公管办), §20.
        ComprehensiveRegulator = "comprehensive_regulator",
        /// 行业监管部门, §21.
        IndustryRegulator = "industry_regulator",
        /// 公共资源交易中心, §22.
        Centre = "centre",
        /// 招标人, §23.
        Tenderer = "tenderer",
        /// 投标人, §24.
        Bidder = "bidder",
        /// 政府采购中心、中介代理机构, §25.
        Agency = "agency",
        /// 评标委员会成员, §26 and §27(三).
        Expert = "expert",
        /// 监督管理人员, §27(一).
        Supervisor = "supervisor",
        /// 招标人代表, §27(二).
        TendererRepresentative = "tenderer_representative",
    }
}

impl Subject {
    /// A market participant: a confirmed finding becomes a credit record.
    pub fn is_market_participant(self) -> bool {
        matches!(self, Subject::Tenderer | Subject::Bidder | Subject::Agency)
    }

    /// A department of the government or the centre: the case goes to the level above.
    pub fn is_department(self) -> bool {
        matches!(self, Subject::ComprehensiveRegulator | Subject::IndustryRegulator | Subject::Centre)
    }
}

/// One item of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConductCode {
    /// Article and item: "24.1" is §24(一).
    pub code: &'static str,
    pub subjects: &'static [Subject],
    pub text: &'static str,
    pub source: &'static str,
}

const fn item(
    code: &'static str,
    subjects: &'static [Subject],
    text: &'static str,
    source: &'static str,
) -> ConductCode {
    ConductCode { code, subjects, text, source }
}

use Subject::*;

const PERSONS: &[Subject] = &[Supervisor, TendererRepresentative, Expert];

/// 管理办法 §20–27, item by item.
pub const CATALOGUE: &[ConductCode] = &[
    item("20.1", &[ComprehensiveRegulator], "非法干涉行业监管部门依法实施的公共资源交易监管工作", "管理办法 §20(一)"),
    item("20.2", &[ComprehensiveRegulator], "非法干涉招标人正当行使权力", "管理办法 §20(二)"),
    item("20.3", &[ComprehensiveRegulator], "非法干涉政府集中采购机构、代理机构正当行使权力", "管理办法 §20(三)"),
    item("20.4", &[ComprehensiveRegulator], "非法干涉评标委员会正当行使的权力", "管理办法 §20(四)"),
    item("20.5", &[ComprehensiveRegulator], "非法干涉公共资源交易平台正常运行", "管理办法 §20(五)"),
    item("20.6", &[ComprehensiveRegulator], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §20(六)"),
    item("21.1", &[IndustryRegulator], "非法干涉招标人正当行使权力", "管理办法 §21(一)"),
    item("21.2", &[IndustryRegulator], "非法干涉政府集中采购机构、代理机构正当行使权力", "管理办法 §21(二)"),
    item("21.3", &[IndustryRegulator], "非法干涉评标委员会正当行使权力", "管理办法 §21(三)"),
    item("21.4", &[IndustryRegulator], "非法干涉公共资源交易平台正常运行", "管理办法 §21(四)"),
    item("21.5", &[IndustryRegulator], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §21(五)"),
    item("22.1", &[Centre], "非法干涉招标人正当行使权力", "管理办法 §22(一)"),
    item("22.2", &[Centre], "非法干涉政府集中采购机构、代理机构正当行使权力", "管理办法 §22(二)"),
    item("22.3", &[Centre], "非法干涉评标委员会正当行使权力", "管理办法 §22(三)"),
    item("22.4", &[Centre], "行使任何审批、监管、处罚等行政监管职能", "管理办法 §22(四)"),
    item("22.5", &[Centre], "违法从事或强制指定招标、政府采购代理和工程造价等中介服务", "管理办法 §22(五)"),
    item("22.6", &[Centre], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §22(六)"),
    item("23.1", &[Tenderer], "不正当行使招标人权力和职责", "管理办法 §23(一)"),
    item("23.2", &[Tenderer], "采取化整为零、肢解或者以其他方式规避招标、政府采购等", "管理办法 §23(二)"),
    item("23.3", &[Tenderer], "以不合理的条件排斥、歧视潜在投标人", "管理办法 §23(三)"),
    item("23.4", &[Tenderer], "泄露应当保密的与交易活动有关的情况和资料", "管理办法 §23(四)"),
    item("23.5", &[Tenderer], "无正当理由拒绝签订合同或者提出额外附加条件", "管理办法 §23(五)"),
    item("23.6", &[Tenderer], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §23(六)"),
    item("24.1", &[Bidder], "相互串通或者与招标人、评标委员会成员串通，谋取非法利益", "管理办法 §24(一)"),
    item("24.2", &[Bidder], "以他人名义参与交易活动，或者以其他方式弄虚作假，骗取中标", "管理办法 §24(二)"),
    item("24.3", &[Bidder], "向监管部门、招标人、采购机构、代理机构、评标委员会成员行贿", "管理办法 §24(三)"),
    item("24.4", &[Bidder], "不履行或违背在交易时做出的承诺", "管理办法 §24(四)"),
    item(
        "24.5",
        &[Bidder],
        "捏造事实、伪造材料，或者以非法手段获取证明材料进行异议（质疑）、举报、投诉",
        "管理办法 §24(五)",
    ),
    item("24.6", &[Bidder], "无正当理由拒绝签订合同或者提出额外附加条件", "管理办法 §24(六)"),
    item(
        "24.7",
        &[Bidder],
        "不履行合同，违法转让、肢解转让或违法分包中标项目，或项目管理班子不到位、不履职",
        "管理办法 §24(七)",
    ),
    item("24.8", &[Bidder], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §24(八)"),
    item("25.1", &[Agency], "借用他人资质或者超出资质范围，或不按有关规定从事中介业务", "管理办法 §25(一)"),
    item("25.2", &[Agency], "非法干涉或代替招标人正当行使权力", "管理办法 §25(二)"),
    item("25.3", &[Agency], "与招标人、投标人串通损害国家利益、社会公共利益或者他人合法权益", "管理办法 §25(三)"),
    item("25.4", &[Agency], "在提供服务过程中行贿、受贿或者获取其他不正当利益", "管理办法 §25(四)"),
    item("25.5", &[Agency], "不按法律法规规定编制招标文件、采购文件等", "管理办法 §25(五)"),
    item(
        "25.6",
        &[Agency],
        "泄露应当保密的信息，隐匿、销毁应当保存的文件资料或者伪造、变造文件资料",
        "管理办法 §25(六)",
    ),
    item("25.7", &[Agency], "发现公共资源交易活动中的违法违规行为不及时向行业监管部门报告", "管理办法 §25(七)"),
    item("25.8", &[Agency], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §25(八)"),
    item("26.1", &[Expert], "与投标人存在利害关系而不主动回避", "管理办法 §26(一)"),
    item("26.2", &[Expert], "不按要求时间到达评标现场", "管理办法 §26(二)"),
    item("26.3", &[Expert], "玩忽职守，不按照招标文件规定的标准和方法评标、谈判或询价等渎职行为", "管理办法 §26(三)"),
    item("26.4", &[Expert], "向招标人征询中标意向，接受倾向性意见或者排斥特定投标人的要求", "管理办法 §26(四)"),
    item("26.5", &[Expert], "私下合谋、串联，或违背公平、公正原则进行评标", "管理办法 §26(五)"),
    item("26.6", &[Expert], "违背评标委员会成员人人平等原则，将个人意向强加他人影响评标", "管理办法 §26(六)"),
    item("26.7", &[Expert], "向他人泄露评审过程、候选人推荐情况或评审中获悉的国家秘密、商业秘密", "管理办法 §26(七)"),
    item("26.8", &[Expert], "法律法规和规范性文件规定的其他禁止性行为", "管理办法 §26(八)"),
    item(
        "27.1",
        &[Supervisor],
        "监督管理人员应当回避而未回避（近亲属参与交易，或与代理机构、投标人有利害关系）",
        "管理办法 §27(一)",
    ),
    item(
        "27.2",
        &[TendererRepresentative],
        "招标人代表应当回避而未回避（近亲属参与交易，或与投标人有利害关系）",
        "管理办法 §27(二)",
    ),
    item(
        "27.3",
        &[Expert],
        "评标委员会成员应当回避而未回避（近亲属参与交易，或与投标人有利害关系）",
        "管理办法 §27(三)",
    ),
    item("27.4", PERSONS, "法律法规和规范性文件规定的其他应当回避而未回避的情形", "管理办法 §27(四)"),
];

/// The catalogue item with this code.
pub fn conduct(code: &str) -> Option<&'static ConductCode> {
    CATALOGUE.iter().find(|c| c.code == code)
}

/// Why a code cannot be a finding against a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Unknown,
    /// The code exists but concerns another kind of subject (a bidder cannot breach §26).
    WrongSubject,
}

/// Checks one code against the subject of a case.
pub fn check_code(code: &str, subject: Subject) -> Result<&'static ConductCode, CodeProblem> {
    let item = conduct(code).ok_or(CodeProblem::Unknown)?;
    if item.subjects.contains(&subject) {
        Ok(item)
    } else {
        Err(CodeProblem::WrongSubject)
    }
}

ggzy_kernel::closed_enum! {
    /// The state of a violation case.
    pub enum CaseStatus {
        /// Recorded by whoever saw it (centre staff, an inspector, a regulator, a report).
        Reported = "reported",
        /// The lead department has opened an investigation, possibly with others (联合查处).
        Investigating = "investigating",
        Confirmed = "confirmed",
        Dismissed = "dismissed",
    }
}

impl CaseStatus {
    /// An investigation opens only on a reported case.
    pub fn can_investigate(self) -> bool {
        self == CaseStatus::Reported
    }

    /// A decision needs an investigation first: findings rest on its record.
    pub fn can_decide(self) -> bool {
        self == CaseStatus::Investigating
    }

    /// Investigation steps are recorded while the case is open.
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Reported | CaseStatus::Investigating)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_covers_every_item_of_articles_20_to_27_once() {
        // Items per article as the seed lists them: §20 6, §21 5, §22 6, §23 6, §24 8,
        // §25 8, §26 8, §27 4.
        let expected = [(20, 6), (21, 5), (22, 6), (23, 6), (24, 8), (25, 8), (26, 8), (27, 4)];
        for (article, items) in expected {
            for n in 1..=items {
                let code = format!("{article}.{n}");
                assert!(conduct(&code).is_some(), "missing {code}");
            }
            assert!(conduct(&format!("{article}.{}", items + 1)).is_none());
        }
        let total: usize = expected.iter().map(|(_, n)| n).sum();
        assert_eq!(CATALOGUE.len(), total);
    }

    #[test]
    fn a_code_is_a_finding_only_against_its_own_subjects() {
        assert_eq!(check_code("24.1", Subject::Bidder).map(|c| c.source), Ok("管理办法 §24(一)"));
        assert_eq!(check_code("26.1", Subject::Bidder), Err(CodeProblem::WrongSubject));
        assert_eq!(check_code("22.4", Subject::Centre).map(|c| c.code), Ok("22.4"));
        assert_eq!(check_code("27.4", Subject::Supervisor).map(|c| c.code), Ok("27.4"));
        assert_eq!(check_code("27.4", Subject::Bidder), Err(CodeProblem::WrongSubject));
        assert_eq!(check_code("99.1", Subject::Bidder), Err(CodeProblem::Unknown));
    }

    #[test]
    fn a_case_is_investigated_before_it_is_decided() {
        assert!(CaseStatus::Reported.can_investigate());
        assert!(!CaseStatus::Reported.can_decide());
        assert!(CaseStatus::Investigating.can_decide());
        assert!(!CaseStatus::Confirmed.can_decide() && !CaseStatus::Confirmed.is_open());
        for status in ["reported", "investigating", "confirmed", "dismissed"] {
            assert_eq!(CaseStatus::parse(status).map(CaseStatus::as_str), Some(status));
        }
        for subject in Subject::ALL {
            assert_eq!(Subject::parse(subject.as_str()), Some(*subject));
        }
    }
}

ggzy_kernel::closed_enum! {
    /// How a department takes part in a case: it leads, or joins (联合查处).
    pub enum CasePart {
        Lead = "lead",
        Joint = "joint",
    }
}

ggzy_kernel::closed_enum! {
    /// What the lead department decides on a case.
    pub enum CaseOutcome {
        Confirmed = "confirmed",
        Dismissed = "dismissed",
    }
}

impl CaseOutcome {
    /// The case's status after the decision.
    pub fn status(self) -> CaseStatus {
        match self {
            CaseOutcome::Confirmed => CaseStatus::Confirmed,
            CaseOutcome::Dismissed => CaseStatus::Dismissed,
        }
    }
}
