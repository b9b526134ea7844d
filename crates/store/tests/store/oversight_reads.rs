//! Reads the credit and oversight commands make together: departments' kinds and
//! projects' regulators in the order asked, the court list's participants and earlier
//! imports, what a conduct report and a repair application are decided on, and what the
//! collusion scan and an objection's window read when nothing is recorded.

use chrono::NaiveDate;
use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::credit::{self, CommitmentRow, CreditRecordRow, RestrictionRow};
use ggzy_store::objections::{self, WindowDates, WindowRead};
use ggzy_store::{participants, risk, violations};

use super::{credit_code, micros_at, open_migrated, participant};

both_backends!(
    reads_of_oversight_commands_answer_in_the_order_asked,
    reads_of_what_is_not_recorded_are_empty,
    a_standing_reads_as_its_restrictions_and_commitments
);

fn record(id: &str, participant_id: &str, external_key: Option<&str>) -> CreditRecordRow {
    CreditRecordRow {
        id: id.to_owned(),
        participant_id: participant_id.to_owned(),
        kind: "bad".to_owned(),
        severity: Some("general".to_owned()),
        source: "法院".to_owned(),
        decision: "(2026)京0118执1号".to_owned(),
        decided_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        publication_months: Some(36),
        repaired_on: None,
        origin: "court_import".to_owned(),
        external_key: external_key.map(str::to_owned),
        recorded_by: "admin:root@centre".to_owned(),
        recorded_at: micros_at(3),
    }
}

fn reads_of_oversight_commands_answer_in_the_order_asked(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    store.write(|conn| participants::insert(conn, &participant("b1", 1))).expect("insert b1");
    store.write(|conn| participants::insert(conn, &participant("b2", 2))).expect("insert b2");
    store.write(|conn| credit::insert_record(conn, &record("r1", "b1", Some("court:1:A")))).expect("insert r1");

    let ids: Vec<String> = ["zjw", "nowhere", "centre"].map(str::to_owned).into();
    let kinds = store.read(|conn| violations::department_kinds(conn, &ids)).expect("kinds");
    assert_eq!(kinds, [Some("industry_regulator".to_owned()), None, Some("centre".to_owned())]);

    // b1's line imported before, b2's not, and a credit code nobody has (whose key exists
    // all the same) counts as not imported.
    let lines = [
        (credit_code(2), "court:2:A".to_owned()),
        (credit_code(1), "court:1:A".to_owned()),
        (credit_code(9), "court:1:A".to_owned()),
        (credit_code(1), "court:1:B".to_owned()),
    ];
    let found = store.read(|conn| credit::court_lines_found(conn, &lines)).expect("court lines");
    assert_eq!(
        found,
        [(Some("b2".to_owned()), false), (Some("b1".to_owned()), true), (None, false), (Some("b1".to_owned()), false)]
    );

    let reads = store.read(|conn| credit::conduct_report_reads(conn, "b1", Some("no-project"))).expect("reads");
    assert_eq!(reads, (true, false));
    let reads = store.read(|conn| credit::conduct_report_reads(conn, "nobody", Some("no-project"))).expect("reads");
    assert_eq!(reads, (false, false));

    let reads = store.write(|conn| credit::repair_application_reads(conn, "r1", "no-commitment")).expect("reads");
    assert_eq!(reads, Some((record("r1", "b1", Some("court:1:A")), None, None)));
    let missing = store.write(|conn| credit::repair_application_reads(conn, "r9", "no-commitment")).expect("reads");
    assert_eq!(missing, None);
}

fn reads_of_what_is_not_recorded_are_empty(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    let ids: Vec<String> = ["p1", "p2"].map(str::to_owned).into();
    assert_eq!(store.read(|conn| risk::regulators_of_projects(conn, &ids)).expect("regulators"), [None, None]);
    assert_eq!(store.read(|conn| risk::section_records(conn, "s1")).expect("section"), None);
    let holdings = store.read(|conn| risk::opened_basic_account_holdings(conn, "中国银行|1", "b1", "s1"));
    assert!(holdings.expect("holdings").is_empty());
    assert!(store.read(|conn| objections::unanswered_supervised_by(conn, Some("zjw"))).expect("queue").is_empty());
    assert!(store.read(|conn| objections::unanswered_supervised_by(conn, None)).expect("queue").is_empty());
    for read in [WindowRead::Announcement, WindowRead::Opening, WindowRead::EvaluationResult, WindowRead::Nothing] {
        let dates = store.read(|conn| objections::window_dates(conn, "p1", Some("s1"), read)).expect("dates");
        assert_eq!(dates, WindowDates::default());
    }
    let dates = store.read(|conn| objections::window_dates(conn, "p1", None, WindowRead::DirectAward));
    assert_eq!(dates.expect("dates"), WindowDates::default());
}

pub(crate) fn restriction(id: &str, participant_id: &str, starts_on: u32) -> RestrictionRow {
    RestrictionRow {
        id: id.to_owned(),
        participant_id: participant_id.to_owned(),
        kind: "bid_ban".to_owned(),
        starts_on: NaiveDate::from_ymd_opt(2026, 11, starts_on).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2027, 11, 1).unwrap(),
        decision: "京密建罚〔2026〕1号".to_owned(),
        decided_by: "zjw".to_owned(),
        rule_id: "credit.restriction.bid_ban".to_owned(),
        recorded_at: micros_at(starts_on),
    }
}

pub(crate) fn commitment(id: &str, participant_id: &str, signed: u32, revoked: bool) -> CommitmentRow {
    CommitmentRow {
        id: id.to_owned(),
        participant_id: participant_id.to_owned(),
        text_version: 1,
        signed_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        signed_at: micros_at(signed),
        signed_by: "bidder:u@b1".to_owned(),
        revoked_on: revoked.then(|| NaiveDate::from_ymd_opt(2026, 10, 2).unwrap()),
    }
}

/// The one-statement read of what the credit gate decides on answers exactly what the two
/// lists read one by one do, in their order, and nothing of another participant.
fn a_standing_reads_as_its_restrictions_and_commitments(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    store.write(|conn| participants::insert(conn, &participant("b1", 1))).expect("insert b1");
    store.write(|conn| participants::insert(conn, &participant("b2", 2))).expect("insert b2");
    let none = store.read(|conn| credit::standing_rows(conn, "b1")).expect("standing");
    assert_eq!(none, (Vec::new(), Vec::new()));
    store
        .write(|conn| {
            credit::insert_restriction(conn, &restriction("x2", "b1", 20))?;
            credit::insert_restriction(conn, &restriction("x1", "b1", 3))?;
            credit::insert_restriction(conn, &restriction("x3", "b2", 1))?;
            credit::insert_commitment(conn, &commitment("c2", "b1", 9, false))?;
            credit::insert_commitment(conn, &commitment("c1", "b1", 4, true))?;
            credit::insert_commitment(conn, &commitment("c3", "b2", 1, false))
        })
        .expect("insert the standing");
    let (restrictions, commitments) = store.read(|conn| credit::standing_rows(conn, "b1")).expect("standing");
    assert_eq!(restrictions, [restriction("x1", "b1", 3), restriction("x2", "b1", 20)]);
    assert_eq!(commitments, [commitment("c1", "b1", 4, true), commitment("c2", "b1", 9, false)]);
    let one_by_one = store
        .read(|conn| {
            Ok::<_, ggzy_store::StoreError>((credit::restrictions_of(conn, "b1")?, credit::commitments_of(conn, "b1")?))
        })
        .expect("one by one");
    assert_eq!((restrictions, commitments), one_by_one);
}
