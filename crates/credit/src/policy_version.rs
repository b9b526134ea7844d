//! What a new version of the credit policy may be (credit.score, credit.record.publicity):
//! its number follows the latest version's, it is valid as a whole, and it takes effect
//! after today and after the latest version. The caller reads the draft from its wire
//! format and writes the version decided here.

use chrono::NaiveDate;
use ggzy_kernel::FieldError;

use crate::policy::CreditPolicy;

/// The latest published version, as far as the next one is decided on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestVersion {
    pub version: u32,
    pub effective_from: NaiveDate,
}

impl LatestVersion {
    /// The number the next version is published under; a draft's own number is ignored.
    pub fn next(self) -> u32 {
        self.version.saturating_add(1)
    }
}

/// Why a draft is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyRefusal {
    /// The draft is not a JSON object.
    NotAnObject,
    /// The draft does not read as a policy; the reader's explanation.
    Malformed(String),
    /// The policy's own problems and its effective date, every one.
    Invalid(Vec<FieldError>),
}

impl PolicyRefusal {
    /// The problems the publisher is told.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            PolicyRefusal::NotAnObject => vec![FieldError::new("", "not_an_object", "信用政策须为 JSON 对象")],
            PolicyRefusal::Malformed(reason) => {
                vec![FieldError::new("", "malformed_policy", format!("信用政策格式错误：{reason}"))]
            }
            PolicyRefusal::Invalid(problems) => problems.clone(),
        }
    }
}

/// A refused draft is an invalid request.
impl From<PolicyRefusal> for ggzy_kernel::Answer {
    fn from(refusal: PolicyRefusal) -> Self {
        ggzy_kernel::Answer::Invalid(refusal.problems())
    }
}

/// Whether `draft`, numbered [`LatestVersion::next`], may be published on `today`: the
/// policy's own problems ([`CreditPolicy::validate`]) first, then an effective date that is
/// not after both today and the latest version's.
pub fn decide_version(
    draft: CreditPolicy,
    latest: LatestVersion,
    today: NaiveDate,
) -> Result<CreditPolicy, PolicyRefusal> {
    let mut problems = draft.validate().err().unwrap_or_default();
    if draft.effective_from <= today || draft.effective_from <= latest.effective_from {
        problems.push(FieldError::new(
            "effective_from",
            "not_in_future",
            format!("生效日期须晚于今天（{today}）和第 {} 版的生效日期 {}", latest.version, latest.effective_from),
        ));
    }
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(PolicyRefusal::Invalid(problems))
    }
}

/// Reads a publisher's draft (a JSON object) as the next version after `latest`, whatever
/// number it gives itself, and decides whether it may be published on `today`
/// ([`decide_version`]).
pub fn decide_draft(
    draft: serde_json::Value,
    latest: LatestVersion,
    today: NaiveDate,
) -> Result<CreditPolicy, PolicyRefusal> {
    let serde_json::Value::Object(mut fields) = draft else { return Err(PolicyRefusal::NotAnObject) };
    fields.insert("version".into(), serde_json::Value::from(latest.next()));
    let draft: CreditPolicy = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| PolicyRefusal::Malformed(e.to_string()))?;
    decide_version(draft, latest, today)
}

/// Which of the published versions, listed by their effective dates in the order they were
/// published (each after the one before), is in force on `date`: the last one in effect by
/// then. Before the first there is none, and the reader of `as_of` is told so.
pub fn in_force_on(effective_from: &[NaiveDate], date: NaiveDate) -> Result<usize, FieldError> {
    effective_from.iter().rposition(|from| *from <= date).ok_or_else(|| {
        FieldError::new(
            "as_of",
            "before_first_credit_policy",
            format!("{date} 早于第一版信用政策的生效日期，没有可适用的评分规则"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::date;

    fn codes(problems: &[FieldError]) -> Vec<(&str, &str)> {
        problems.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    const LATEST: LatestVersion = LatestVersion {
        version: 1,
        effective_from: match NaiveDate::from_ymd_opt(2019, 8, 21) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
    };

    #[test]
    fn a_valid_version_taking_effect_after_today_and_the_latest_is_published() {
        let draft = CreditPolicy { version: LATEST.next(), effective_from: date(2026, 9, 2), ..CreditPolicy::seed() };
        assert_eq!(LATEST.next(), 2);
        assert_eq!(decide_version(draft.clone(), LATEST, date(2026, 9, 1)), Ok(draft));
    }

    #[test]
    fn its_own_problems_come_before_its_effective_date() {
        let mut draft = CreditPolicy { version: 2, effective_from: date(2026, 9, 1), ..CreditPolicy::seed() };
        draft.publication.default_months = 0;
        let refusal = decide_version(draft, LATEST, date(2026, 9, 1)).unwrap_err();
        let problems = refusal.problems();
        assert_eq!(
            codes(&problems),
            [("publication.default_months", "out_of_range"), ("effective_from", "not_in_future")]
        );
        assert_eq!(problems[1].message, "生效日期须晚于今天（2026-09-01）和第 1 版的生效日期 2019-08-21");
        // Not after the latest version's date either, even when after today.
        let latest = LatestVersion { version: 3, effective_from: date(2026, 10, 1) };
        let draft = CreditPolicy { version: 4, effective_from: date(2026, 10, 1), ..CreditPolicy::seed() };
        let problems = decide_version(draft, latest, date(2026, 9, 1)).unwrap_err().problems();
        assert_eq!(codes(&problems), [("effective_from", "not_in_future")]);
    }

    #[test]
    fn a_draft_is_read_as_the_next_version_whatever_number_it_gives_itself() {
        let mut draft = serde_json::to_value(CreditPolicy::seed()).unwrap();
        draft["version"] = serde_json::Value::from(9);
        draft["effective_from"] = serde_json::Value::from("2026-09-02");
        let policy = decide_draft(draft.clone(), LATEST, date(2026, 9, 1)).unwrap();
        assert_eq!((policy.version, policy.effective_from), (2, date(2026, 9, 2)));
        let refusal = decide_draft(draft, LATEST, date(2026, 9, 2)).unwrap_err();
        assert_eq!(codes(&refusal.problems()), [("effective_from", "not_in_future")]);
    }

    #[test]
    fn a_draft_that_is_not_an_object_or_not_a_policy_is_refused_as_such() {
        assert_eq!(decide_draft(serde_json::json!([1]), LATEST, date(2026, 9, 1)), Err(PolicyRefusal::NotAnObject));
        let refusal = decide_draft(serde_json::json!({ "effective_from": "2026-09-02" }), LATEST, date(2026, 9, 1));
        assert!(matches!(refusal, Err(PolicyRefusal::Malformed(_))), "{refusal:?}");
    }

    #[test]
    fn a_draft_that_is_no_policy_is_told_so() {
        assert_eq!(codes(&PolicyRefusal::NotAnObject.problems()), [("", "not_an_object")]);
        let problems = PolicyRefusal::Malformed("missing field `score`".into()).problems();
        assert_eq!(codes(&problems), [("", "malformed_policy")]);
        assert_eq!(problems[0].message, "信用政策格式错误：missing field `score`");
    }

    #[test]
    fn the_version_in_force_is_the_last_in_effect_by_the_date() {
        let versions = [date(2019, 8, 21), date(2026, 1, 1), date(2027, 1, 1)];
        assert_eq!(in_force_on(&versions, date(2019, 8, 21)), Ok(0));
        assert_eq!(in_force_on(&versions, date(2025, 12, 31)), Ok(0));
        assert_eq!(in_force_on(&versions, date(2026, 1, 1)), Ok(1));
        assert_eq!(in_force_on(&versions, date(2026, 12, 31)), Ok(1));
        assert_eq!(in_force_on(&versions, date(2030, 1, 1)), Ok(2));
        let before = in_force_on(&versions, date(2019, 8, 20)).unwrap_err();
        assert_eq!((before.field.as_str(), before.code.as_str()), ("as_of", "before_first_credit_policy"));
        assert_eq!(before.message, "2019-08-20 早于第一版信用政策的生效日期，没有可适用的评分规则");
        assert!(in_force_on(&[], date(2026, 1, 1)).is_err());
    }
}

#[cfg(test)]
mod answers {
    use super::*;
    use ggzy_kernel::Answer;

    #[test]
    fn a_refused_draft_is_an_invalid_request_with_its_problems() {
        let own = vec![FieldError::new("score", "bad", "x")];
        let cases = [
            (PolicyRefusal::NotAnObject, "not_an_object"),
            (PolicyRefusal::Malformed("eof".into()), "malformed_policy"),
            (PolicyRefusal::Invalid(own.clone()), "bad"),
        ];
        for (refusal, code) in cases {
            let Answer::Invalid(problems) = Answer::from(refusal) else { panic!("not an invalid request") };
            assert_eq!(problems.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), vec![code]);
        }
    }
}
