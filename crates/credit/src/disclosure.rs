//! Who learns what of a participant's credit (管理办法 §43–46, credit.record.publicity,
//! credit.use): whether a record is public on a day and until when, which records are on
//! the public list, how far back the list can reach, when a read of unpublished records is
//! logged, and which rule a refused trading act is told.

use chrono::{Months, NaiveDate};

use crate::policy::{is_public_on, publication_window, CreditPolicy};
use crate::record::CreditRecord;
use crate::restriction::Refusal;

/// Whether a record is public on a day, and until when it is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publicity {
    /// On the public list that day ([`is_public_on`]).
    pub public: bool,
    /// The first day it is no longer public (exclusive end of publication); `None` when it
    /// is never published.
    pub public_until: Option<NaiveDate>,
}

/// The record's publicity on `today`.
pub fn publicity(record: &CreditRecord, today: NaiveDate) -> Publicity {
    Publicity { public: is_public_on(record, today), public_until: publication_window(record).map(|(_, end)| end) }
}

/// Whether the record is on the public list of bad records on `today`: bad, and public.
pub fn on_public_list(record: &CreditRecord, today: NaiveDate) -> bool {
    record.kind.is_bad() && is_public_on(record, today)
}

/// The earliest decision date a record on the public list of `today` can have: nothing
/// decided before today minus the longest publication of `policy` is still public.
pub fn public_list_since(policy: &CreditPolicy, today: NaiveDate) -> NaiveDate {
    let publication = &policy.publication;
    let longest = publication.serious.max.max(publication.general.max).max(publication.default_months);
    today.checked_sub_months(Months::new(longest)).unwrap_or(NaiveDate::MIN)
}

/// Whether reading `records` on `today` is logged with the reader's purpose: one of them
/// is a bad record not (or no longer) public.
pub fn read_is_logged(records: &[CreditRecord], today: NaiveDate) -> bool {
    records.iter().any(|record| record.kind.is_bad() && !is_public_on(record, today))
}

/// The participants a public list names, each once, in id order, from its items'
/// participant ids.
pub fn named_once(mut participant_ids: Vec<String>) -> Vec<String> {
    participant_ids.sort();
    participant_ids.dedup();
    participant_ids
}

/// The rule a refused trading act is told: a restriction's kind's rule (the kind's default,
/// whatever rule the restriction cites), or the commitment rule.
pub fn refusal_rule(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::Restricted { kind, .. } => kind.default_rule_id(),
        Refusal::NoCommitment { .. } => ggzy_rules::rule_ids::CREDIT_COMMITMENT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{date, record};
    use crate::record::{RecordKind, Severity};
    use crate::restriction::RestrictionKind;

    #[test]
    fn a_record_is_public_from_its_decision_up_to_its_end() {
        let penalty =
            record("1", RecordKind::AdministrativePenalty, Some(Severity::General), date(2026, 8, 31), Some(6));
        let end = Some(date(2027, 2, 28));
        assert_eq!(publicity(&penalty, date(2026, 8, 30)), Publicity { public: false, public_until: end });
        assert_eq!(publicity(&penalty, date(2026, 8, 31)), Publicity { public: true, public_until: end });
        assert_eq!(publicity(&penalty, date(2027, 2, 27)), Publicity { public: true, public_until: end });
        assert_eq!(publicity(&penalty, date(2027, 2, 28)), Publicity { public: false, public_until: end });
        let repaired = CreditRecord { repaired_on: Some(date(2026, 10, 1)), ..penalty.clone() };
        assert_eq!(
            publicity(&repaired, date(2026, 10, 1)),
            Publicity { public: false, public_until: Some(date(2026, 10, 1)) }
        );
        let minor = record("2", RecordKind::AdministrativePenalty, Some(Severity::Minor), date(2026, 8, 31), None);
        assert_eq!(publicity(&minor, date(2026, 9, 1)), Publicity { public: false, public_until: None });
    }

    #[test]
    fn only_bad_public_records_are_on_the_list() {
        let day = date(2026, 9, 1);
        let bad = record("1", RecordKind::AdministrativePenalty, Some(Severity::General), date(2026, 8, 31), Some(6));
        assert!(on_public_list(&bad, day));
        assert!(!on_public_list(&bad, date(2027, 2, 28)));
        let good = record("2", RecordKind::Performance, None, date(2026, 8, 31), Some(6));
        assert!(is_public_on(&good, day), "published, but not a bad record");
        assert!(!on_public_list(&good, day));
    }

    #[test]
    fn the_list_reaches_back_the_longest_publication() {
        let policy = CreditPolicy::seed();
        // The seed's longest: serious records, 36 months.
        assert_eq!(public_list_since(&policy, date(2026, 9, 1)), date(2023, 9, 1));
        assert_eq!(public_list_since(&policy, date(2028, 2, 29)), date(2025, 2, 28));
        let mut longer_default = policy.clone();
        longer_default.publication.default_months = 48;
        assert_eq!(public_list_since(&longer_default, date(2026, 9, 1)), date(2022, 9, 1));
        let mut longer_general = policy;
        longer_general.publication.general.max = 40;
        assert_eq!(public_list_since(&longer_general, date(2026, 9, 1)), date(2023, 5, 1));
        assert_eq!(public_list_since(&CreditPolicy::seed(), NaiveDate::MIN), NaiveDate::MIN);
    }

    #[test]
    fn a_read_is_logged_when_a_bad_record_is_not_public() {
        let day = date(2026, 9, 1);
        let public =
            record("1", RecordKind::AdministrativePenalty, Some(Severity::General), date(2026, 8, 31), Some(6));
        let expired =
            record("2", RecordKind::AdministrativePenalty, Some(Severity::General), date(2020, 1, 1), Some(6));
        let good = record("3", RecordKind::Performance, None, date(2020, 1, 1), None);
        assert!(!read_is_logged(&[], day));
        assert!(!read_is_logged(&[public.clone(), good.clone()], day));
        assert!(read_is_logged(&[public, expired.clone()], day));
        assert!(read_is_logged(&[expired], day));
        assert!(!read_is_logged(&[good], day));
    }

    #[test]
    fn a_list_names_each_participant_once_in_id_order() {
        let ids = vec!["b".to_owned(), "a".to_owned(), "b".to_owned(), "c".to_owned(), "a".to_owned()];
        assert_eq!(named_once(ids), ["a", "b", "c"]);
        assert!(named_once(vec![]).is_empty());
    }

    #[test]
    fn a_restriction_is_told_its_kind_s_rule_and_no_commitment_the_commitment_rule() {
        let restricted = Refusal::Restricted {
            restriction_id: "r".into(),
            kind: RestrictionKind::Debarment,
            rule_id: "something.else".into(),
            decision: "d".into(),
            ends_on: date(2027, 8, 31),
        };
        assert_eq!(refusal_rule(&restricted), RestrictionKind::Debarment.default_rule_id());
        let none = Refusal::NoCommitment { rule_id: "x".into() };
        assert_eq!(refusal_rule(&none), ggzy_rules::rule_ids::CREDIT_COMMITMENT);
    }
}
