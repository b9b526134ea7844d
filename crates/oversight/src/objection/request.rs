//! An objection as its objector raises it and as the tenderer's side answers it: the
//! requests, read with every problem named at once; whether the stage fits the project's
//! category; and the rule and words of a refusal outside the stage's window.

use chrono::{DateTime, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError};
use ggzy_rules::{rule_ids, Category, DeadlineError};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ObjectionStage, WindowRefusal};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseObjection {
    #[schema(required = true, value_type = ObjectionStage)]
    pub stage: Option<ObjectionStage>,
    /// The section concerned (opening and results).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub section_id: Option<String>,
    #[schema(required = true, value_type = String)]
    pub content: Option<String>,
    /// Procurement: when the supplier knew or should have known (the window counts from it).
    pub knew_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerObjection {
    #[schema(required = true, value_type = String)]
    pub answer: Option<String>,
}

/// An objection whose fields are valid (its window is checked against the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidObjection {
    pub stage: ObjectionStage,
    pub section_id: Option<String>,
    pub content: String,
    pub knew_at: Option<DateTime<Utc>>,
}

/// Reads an objection: its stage and content.
pub fn read_objection(request: RaiseObjection) -> Result<ValidObjection, Vec<FieldError>> {
    let mut problems = Vec::new();
    let stage = read::required(&mut problems, "stage", request.stage);
    let content = read::required(&mut problems, "content", request.content)
        .and_then(|c| read::text(&mut problems, "content", c, 5000));
    match (stage, content) {
        (Some(stage), Some(content)) if problems.is_empty() => {
            Ok(ValidObjection { stage, section_id: request.section_id, content, knew_at: request.knew_at })
        }
        _ => Err(problems),
    }
}

/// Reads an answer.
pub fn read_answer(request: AnswerObjection) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required(&mut problems, "answer", request.answer)
        .and_then(|a| read::text(&mut problems, "answer", a, 5000))
    {
        Some(answer) if problems.is_empty() => Ok(answer),
        _ => Err(problems),
    }
}

/// A procurement project is questioned (质疑, `procurement_*` stages), any other objected
/// to (异议).
pub fn fits_category(stage: ObjectionStage, category: Category) -> Result<(), FieldError> {
    if stage.is_procurement() == (category == Category::Procurement) {
        Ok(())
    } else {
        Err(FieldError::new("stage", "wrong_category", "政府采购项目提出质疑（procurement_*），其他项目提出异议"))
    }
}

/// The section an objection at the opening or to the evaluation result names: it must name
/// one, and one of the project's (`section_project` is the project of the section found
/// under that id, none when there is no such section).
pub fn named_section<'a>(
    section_id: Option<&'a str>,
    section_project: Option<&str>,
    project_id: &str,
) -> Result<&'a str, FieldError> {
    let id = section_id.ok_or_else(|| FieldError::new("section_id", "required", "须指明标段"))?;
    if section_project == Some(project_id) {
        Ok(id)
    } else {
        Err(FieldError::new("section_id", "unknown_section", "不是本项目的标段"))
    }
}

/// How an objection outside its window is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowAnswer {
    /// The rule set could not count the limit.
    Deadline(DeadlineError),
    /// A problem of the request.
    Invalid(FieldError),
    /// Outside the window of the rule named: its words.
    Outside { rule: &'static str, detail: String },
}

/// Told as every refusal is: a limit not counted as the rule set's fault, an objection
/// outside its window as the rule's bar on its `stage` (`outside_window`).
impl From<WindowRefusal> for Answer {
    fn from(refusal: WindowRefusal) -> Answer {
        match refusal.answer() {
            WindowAnswer::Deadline(error) => Answer::from(error),
            WindowAnswer::Invalid(problem) => Answer::Invalid(vec![problem]),
            WindowAnswer::Outside { rule, detail } => Answer::Rule {
                rule,
                detail,
                problems: vec![FieldError::new("stage", "outside_window", "不在提出异议的期限内")],
            },
        }
    }
}

impl WindowRefusal {
    /// The answer to this refusal.
    pub fn answer(self) -> WindowAnswer {
        let outside = |rule: &'static str, detail: String| WindowAnswer::Outside { rule, detail };
        match self {
            WindowRefusal::Deadline(error) => WindowAnswer::Deadline(error),
            WindowRefusal::KnewAtRequired => {
                WindowAnswer::Invalid(FieldError::new("knew_at", "required", "须注明知道或者应当知道其权益受损之日"))
            }
            WindowRefusal::KnewAtInFuture => {
                WindowAnswer::Invalid(FieldError::new("knew_at", "in_future", "不能晚于当前时间"))
            }
            WindowRefusal::TenderDocumentsLate(limit) => outside(
                rule_ids::CONSTRUCTION_OBJECTION_TENDER_DOCS,
                format!(
                    "对招标文件的异议须在投标截止时间 {} 日前提出（{}），截止于 {}",
                    limit.amount,
                    limit.source,
                    ggzy_kernel::beijing_text(limit.due)
                ),
            ),
            WindowRefusal::NoOpening => {
                outside(rule_ids::CONSTRUCTION_OBJECTION_OPENING, "对开标的异议应在开标现场提出".into())
            }
            WindowRefusal::NotTheOpeningDay => {
                outside(rule_ids::CONSTRUCTION_OBJECTION_OPENING, "对开标的异议应在开标现场提出并当场答复".into())
            }
            WindowRefusal::NoCandidates => {
                outside(rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY, "中标候选人尚未公示".into())
            }
            WindowRefusal::OutsideCandidatesPublicity { ends } => outside(
                rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY,
                format!("对评标结果的异议应在中标候选人公示期内提出，公示期至 {}", ggzy_kernel::beijing_text(ends)),
            ),
            WindowRefusal::NoDirectAward => outside(rule_ids::DIRECT_AWARD_PUBLICITY, "没有直接发包公示".into()),
            WindowRefusal::OutsideDirectAwardPublicity { ends } => {
                outside(rule_ids::DIRECT_AWARD_PUBLICITY, format!("公示期至 {}", ggzy_kernel::beijing_text(ends)))
            }
            WindowRefusal::ProcurementLate(limit) => outside(
                rule_ids::PROCUREMENT_QUESTION_WINDOW,
                format!(
                    "质疑应在知道或者应当知道其权益受损之日起 {} 个工作日内提出（{}），截止于 {}",
                    limit.amount,
                    limit.source,
                    ggzy_kernel::beijing_text(limit.due)
                ),
            ),
        }
    }
}

#[cfg(test)]
mod told {
    use super::*;

    #[test]
    fn a_refused_window_is_told_as_the_rules_bar_on_the_stage_or_as_the_requests_problem() {
        let Answer::Rule { rule, detail, problems } = Answer::from(WindowRefusal::NoDirectAward) else {
            panic!("a window outside its rule is the rule's bar");
        };
        assert_eq!((rule, detail.as_str()), (rule_ids::DIRECT_AWARD_PUBLICITY, "没有直接发包公示"));
        let named: Vec<_> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(named, [("stage", "outside_window")]);
        let Answer::Invalid(problems) = Answer::from(WindowRefusal::KnewAtInFuture) else {
            panic!("a knew_at in the future is the request's problem");
        };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("knew_at", "in_future"));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_objection_names_a_section_of_its_project() {
        let cases = [
            (Some("s"), Some("p"), Ok("s")),
            (Some("s"), Some("other"), Err("unknown_section")),
            (Some("s"), None, Err("unknown_section")),
            (None, None, Err("required")),
            (None, Some("p"), Err("required")),
        ];
        for (section_id, section_project, expected) in cases {
            let named = named_section(section_id, section_project, "p").map_err(|problem| {
                assert_eq!(problem.field, "section_id");
                problem.code
            });
            assert_eq!(named, expected.map_err(str::to_owned), "{section_id:?} {section_project:?}");
        }
    }

    fn codes(problems: &[FieldError]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect()
    }

    #[test]
    fn an_objection_names_its_stage_and_content() {
        let refused = read_objection(RaiseObjection { content: Some("  ".into()), ..RaiseObjection::default() });
        assert_eq!(
            codes(&refused.expect_err("refused")),
            vec![("stage".to_owned(), "required".to_owned()), ("content".to_owned(), "blank".to_owned())]
        );
        let valid = read_objection(RaiseObjection {
            stage: Some(ObjectionStage::Opening),
            section_id: Some("s-1".into()),
            content: Some(" 开标异议 ".into()),
            knew_at: None,
        });
        assert_eq!(
            valid,
            Ok(ValidObjection {
                stage: ObjectionStage::Opening,
                section_id: Some("s-1".into()),
                content: "开标异议".into(),
                knew_at: None
            })
        );
        let answer = read_answer(AnswerObjection { answer: Some("x".repeat(5001)) });
        assert_eq!(codes(&answer.expect_err("refused")), vec![("answer".to_owned(), "too_long".to_owned())]);
    }

    #[test]
    fn procurement_is_questioned_and_the_rest_objected_to() {
        assert_eq!(fits_category(ObjectionStage::ProcurementResult, Category::Procurement), Ok(()));
        assert_eq!(fits_category(ObjectionStage::Opening, Category::Construction), Ok(()));
        for (stage, category) in
            [(ObjectionStage::Opening, Category::Procurement), (ObjectionStage::ProcurementDocuments, Category::Other)]
        {
            assert_eq!(fits_category(stage, category).expect_err("refused").code, "wrong_category");
        }
    }

    #[test]
    fn a_refusal_outside_the_window_names_its_rule() {
        let ends = Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).single().expect("a valid moment");
        match (WindowRefusal::OutsideCandidatesPublicity { ends }).answer() {
            WindowAnswer::Outside { rule, detail } => {
                assert_eq!(rule, rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY);
                assert!(detail.ends_with("公示期至 2026-12-04 16:00 北京时间"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(WindowRefusal::KnewAtInFuture.answer(), WindowAnswer::Invalid(e) if e.code == "in_future"));
        assert!(matches!(
            WindowRefusal::NoDirectAward.answer(),
            WindowAnswer::Outside { rule: rule_ids::DIRECT_AWARD_PUBLICITY, .. }
        ));
    }
}
