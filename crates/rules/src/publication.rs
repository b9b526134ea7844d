//! Publishing a rule-set version (entry.catalogue): a draft, read as JSON, gets the number
//! after the latest version's, must be a whole valid version, and takes effect on a later day
//! than today and than the latest version's, so that no decision already made is judged anew.
//! Every problem is named at once (一次性告知).

use chrono::NaiveDate;
use ggzy_kernel::FieldError;

use crate::ruleset::RuleSet;

/// Reads `draft` as the version that follows `latest`, judged on `today` (Beijing time).
pub fn read_draft(draft: serde_json::Value, latest: &RuleSet, today: NaiveDate) -> Result<RuleSet, Vec<FieldError>> {
    let serde_json::Value::Object(mut fields) = draft else {
        return Err(vec![FieldError::new("", "not_an_object", "规则版本须为 JSON 对象")]);
    };
    // The number is assigned, whatever the draft says.
    fields.insert("version".into(), serde_json::Value::from(latest.version.saturating_add(1)));
    let rule_set: RuleSet = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| vec![FieldError::new("", "malformed_rule_set", format!("规则版本格式错误：{e}"))])?;
    let mut problems = rule_set.validate().err().unwrap_or_default();
    if rule_set.effective_from <= today {
        problems.push(FieldError::new(
            "effective_from",
            "not_in_future",
            format!("生效日期须晚于今天（{today}）：已生效的版本不得更改，只能发布新版本"),
        ));
    }
    if rule_set.effective_from <= latest.effective_from {
        problems.push(FieldError::new(
            "effective_from",
            "not_after_latest",
            format!("生效日期须晚于第 {} 版的生效日期 {}", latest.version, latest.effective_from),
        ));
    }
    if problems.is_empty() {
        Ok(rule_set)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The seed as a draft taking effect on `from`.
    fn draft(from: &str) -> serde_json::Value {
        let mut draft = serde_json::to_value(RuleSet::seed()).unwrap();
        draft["effective_from"] = serde_json::Value::from(from);
        draft["version"] = serde_json::Value::from(77);
        draft
    }

    fn codes(result: Result<RuleSet, Vec<FieldError>>) -> Vec<String> {
        result.err().unwrap_or_default().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_valid_draft_becomes_the_next_version() {
        let latest = RuleSet::seed();
        let published = read_draft(draft("2026-12-10"), &latest, day("2026-12-04")).unwrap();
        assert_eq!(published.version, latest.version + 1);
        assert_eq!(published.effective_from, day("2026-12-10"));
    }

    #[test]
    fn a_draft_takes_effect_after_today_and_after_the_latest_version() {
        let latest = RuleSet { effective_from: day("2026-12-20"), ..RuleSet::seed() };
        let today = day("2026-12-04");
        let cases: [(&str, &[&str]); 5] = [
            ("2026-12-21", &[]),
            ("2026-12-20", &["not_after_latest"]),
            ("2026-12-05", &["not_after_latest"]),
            ("2026-12-04", &["not_in_future", "not_after_latest"]),
            ("2019-01-01", &["not_in_future", "not_after_latest"]),
        ];
        for (from, expected) in cases {
            assert_eq!(codes(read_draft(draft(from), &latest, today)), expected, "{from}");
        }
    }

    #[test]
    fn what_is_not_a_rule_set_is_refused_as_a_whole() {
        let latest = RuleSet::seed();
        let today = day("2026-12-04");
        assert_eq!(codes(read_draft(serde_json::json!([1, 2]), &latest, today)), ["not_an_object"]);
        assert_eq!(codes(read_draft(serde_json::json!({ "title": "x" }), &latest, today)), ["malformed_rule_set"]);
    }

    #[test]
    fn an_invalid_version_names_its_own_problems_with_the_dates() {
        let mut invalid = draft("2026-12-04");
        invalid["listing"]["max_rounds"] = serde_json::Value::from(0);
        let codes = codes(read_draft(invalid, &RuleSet::seed(), day("2026-12-04")));
        assert_eq!(codes, ["rounds_out_of_range", "not_in_future"]);
    }
}
