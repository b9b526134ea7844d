//! Reads and writes of the bidding commands made together: a section's openness, what its
//! opening progress is shown from, the listing a relisting names, and a decrypted bid's
//! files, each filed once by its bytes.

use chrono::NaiveDate;
use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::conduct::{self, SuspensionRow};
use ggzy_store::documents::{self, DocumentRow};
use ggzy_store::projects::{self, ProjectRow, SectionRow};
use ggzy_store::rule_sets::{self, RuleSetRow};
use ggzy_store::sealing::{self, SealingKeyRow};
use ggzy_store::staff::{self, StaffRow};
use ggzy_store::{audit, bids, command_reads, credit, listings, participants, Store, StoreError};

use super::oversight_reads::{commitment, restriction};
use super::{micros_at, open_migrated, participant};

both_backends!(
    a_sections_bidding_reads_answer_for_what_exists,
    a_bids_files_are_filed_once_by_their_bytes,
    a_submission_reads_the_bidders_latest_sealing_key,
    a_submission_reads_the_bidders_standing_with_its_facts,
    a_bid_and_its_envelope_are_written_together_or_not_at_all
);

/// Project `p1` (tenderer `t1`, status `status`) with its section `s1`.
fn project_with_section(store: &Store, status: &str) {
    store
        .write(|conn| {
            participants::insert(conn, &participant("t1", 1))?;
            participants::insert(conn, &participant("b1", 2))?;
            let owner = StaffRow {
                id: "staff-1".into(),
                department_id: "centre".into(),
                subject: "staff-1".into(),
                name: "王五".into(),
                active: 1,
                created_at: micros_at(1),
            };
            staff::insert(conn, &owner)?;
            let rule_set = RuleSetRow {
                version: 1,
                effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                title: "规则".into(),
                body: "{}".into(),
                published_at: micros_at(1),
                published_by: "admin".into(),
            };
            rule_sets::insert(conn, &rule_set)?;
            let project = ProjectRow {
                id: "p1".into(),
                code: "GC1".into(),
                name: "工程".into(),
                category: "construction".into(),
                subtype: "works".into(),
                tenderer_id: "t1".into(),
                status: status.into(),
                regulator_id: None,
                service_owner_id: "staff-1".into(),
                rule_set_version: 1,
                entry_outcome: "must_enter".into(),
                estimated_total: 1,
                details: "{}".into(),
                registered_at: micros_at(1),
                updated_at: micros_at(1),
                version: 1,
            };
            let section = SectionRow {
                id: "s1".into(),
                project_id: "p1".into(),
                code: "S1".into(),
                position: 1,
                name: "一标段".into(),
                estimated_amount: 1,
            };
            projects::insert(conn, &project, &[section])
        })
        .expect("project with its section");
}

fn a_sections_bidding_reads_answer_for_what_exists(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    assert_eq!(store.read(|conn| bids::openness(conn, "s1")).expect("openness"), None);
    assert!(store.read(|conn| command_reads::opening_progress(conn, "s1", Some("b1"))).expect("read").is_none());
    project_with_section(&store, "terminated");

    let openness = store.read(|conn| bids::openness(conn, "s1")).expect("openness").expect("a section");
    assert_eq!(
        openness,
        bids::SectionOpenness { listed: false, opening_outcome: None, project_status: "terminated".into() }
    );
    let progress =
        store.read(|conn| command_reads::opening_progress(conn, "s1", Some("b1"))).expect("read").expect("a section");
    assert_eq!((progress.project.id.as_str(), progress.project.status.as_str()), ("p1", "terminated"));
    assert!(progress.agencies.is_empty());
    assert_eq!((progress.bid_status, progress.opening_at, progress.window, progress.opened), (None, None, None, false));
    assert!(store.read(|conn| listings::named_round(conn, "p1", "no-listing")).expect("read").is_none());
}

fn bid_file(id: &str, sha_byte: &str) -> DocumentRow {
    DocumentRow {
        id: id.into(),
        sha256: sha_byte.repeat(32),
        size_bytes: 2,
        kind: "bid_file".into(),
        title: format!("文件{id}"),
        media_type: "application/octet-stream".into(),
        project_id: Some("p1".into()),
        uploaded_by: "bidder:u@b1".into(),
        uploader_role: "bidder".into(),
        uploader_org: Some("b1".into()),
        uploaded_at: micros_at(3),
        section_id: Some("s1".into()),
    }
}

fn a_bids_files_are_filed_once_by_their_bytes(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    project_with_section(&store, "tendering");
    let first = vec![bid_file("d1", "aa"), bid_file("d2", "bb"), bid_file("d3", "aa")];
    store.write(|conn| documents::file_bid_files(conn, "s1", "b1", "bid_file", first)).expect("file");
    let filed = |store: &Store| {
        let mut ids: Vec<String> =
            store.read(|conn| documents::of_project(conn, "p1")).expect("read").into_iter().map(|d| d.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(filed(&store), ["d1", "d2"], "the same bytes twice in one bid are filed once");
    let again = vec![bid_file("d4", "bb"), bid_file("d5", "cc")];
    store.write(|conn| documents::file_bid_files(conn, "s1", "b1", "bid_file", again)).expect("file again");
    assert_eq!(filed(&store), ["d1", "d2", "d5"], "a file handed in before is not filed again");
    store.write(|conn| documents::file_bid_files(conn, "s1", "b1", "bid_file", Vec::new())).expect("none");
    assert_eq!(filed(&store).len(), 3);
}

fn sealing_key(id: &str, participant_id: &str, registered: u32) -> SealingKeyRow {
    SealingKeyRow {
        id: id.into(),
        participant_id: participant_id.into(),
        suite: "sm2-sm3-sm4gcm+sm2".into(),
        encryption_key: format!("ek-{id}"),
        verifying_key: format!("vk-{id}"),
        registered_at: micros_at(registered),
        registered_by: format!("bidder:u@{participant_id}"),
    }
}

/// The facts a bid is submitted on carry the key its envelope is verified with: the
/// bidder's latest, as the list of its keys names first, and never another's.
fn a_submission_reads_the_bidders_latest_sealing_key(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    project_with_section(&store, "tendering");
    let key_of = |store: &Store, bidder: &str| {
        let facts = store.read(|conn| bids::submission_facts(conn, "s1", bidder)).expect("read").expect("a section");
        facts.bidder_key.map(|key| key.id)
    };
    assert_eq!(key_of(&store, "b1"), None, "no key registered");
    store
        .write(|conn| {
            participants::insert(conn, &participant("b2", 3))?;
            sealing::insert_key(conn, &sealing_key("k1", "b1", 4))?;
            sealing::insert_key(conn, &sealing_key("k3", "b1", 6))?;
            sealing::insert_key(conn, &sealing_key("k2", "b1", 5))?;
            sealing::insert_key(conn, &sealing_key("k9", "b2", 9))
        })
        .expect("keys");
    assert_eq!(key_of(&store, "b1").as_deref(), Some("k3"));
    let listed = store.read(|conn| sealing::keys_of(conn, "b1")).expect("keys of b1");
    assert_eq!(key_of(&store, "b1"), listed.first().map(|key| key.id.clone()));
    assert_eq!(key_of(&store, "b2").as_deref(), Some("k9"));
    assert_eq!(key_of(&store, "t1"), None);
    let facts = store.read(|conn| bids::submission_facts(conn, "s1", "b1")).expect("read").expect("a section");
    assert_eq!(facts.bidder_key, Some(sealing_key("k3", "b1", 6)));
}

fn open_suspension(id: &str) -> SuspensionRow {
    SuspensionRow {
        id: id.into(),
        project_id: "p1".into(),
        previous_status: "tendering".into(),
        reason: "投诉处理".into(),
        ordered_by: "zjw".into(),
        by_regulator: 1,
        suspended_at: micros_at(2),
        resumed_at: None,
        resumed_by: None,
    }
}

/// The facts a bid is submitted on carry what the credit gate decides it on: the bidder's
/// restrictions and commitments, exactly as their own read gives them, each once even where
/// another join repeats the facts (two open suspensions), and none of another participant;
/// a bidder with neither still has its facts.
fn a_submission_reads_the_bidders_standing_with_its_facts(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    project_with_section(&store, "tendering");
    let standing_in_facts = |store: &Store, bidder: &str| {
        store.read(|conn| bids::submission_facts(conn, "s1", bidder)).expect("read").expect("a section").bidder_standing
    };
    assert_eq!(standing_in_facts(&store, "b1"), (Vec::new(), Vec::new()));
    store
        .write(|conn| {
            participants::insert(conn, &participant("b2", 3))?;
            credit::insert_restriction(conn, &restriction("x2", "b1", 20))?;
            credit::insert_restriction(conn, &restriction("x1", "b1", 3))?;
            credit::insert_restriction(conn, &restriction("x3", "b2", 1))?;
            credit::insert_commitment(conn, &commitment("c2", "b1", 9, false))?;
            credit::insert_commitment(conn, &commitment("c1", "b1", 4, true))?;
            credit::insert_commitment(conn, &commitment("c3", "b2", 1, false))?;
            conduct::insert_suspension(conn, &open_suspension("su1"))?;
            conduct::insert_suspension(conn, &open_suspension("su2"))
        })
        .expect("the standing and two open suspensions");
    let (restrictions, commitments) = standing_in_facts(&store, "b1");
    assert_eq!(restrictions, [restriction("x1", "b1", 3), restriction("x2", "b1", 20)]);
    assert_eq!(commitments, [commitment("c1", "b1", 4, true), commitment("c2", "b1", 9, false)]);
    let read_alone = store.read(|conn| credit::standing_rows(conn, "b1")).expect("standing");
    assert_eq!((restrictions, commitments), read_alone);
    assert_eq!(
        standing_in_facts(&store, "b2"),
        (vec![restriction("x3", "b2", 1)], vec![commitment("c3", "b2", 1, false)])
    );
    assert_eq!(standing_in_facts(&store, "t1"), (Vec::new(), Vec::new()));
    let facts = store.read(|conn| bids::submission_facts(conn, "s1", "b1")).expect("read").expect("a section");
    assert_eq!(facts.suspension_reason.as_deref(), Some("投诉处理"));
    assert_eq!(facts.section.id, "s1");
    assert!(store.read(|conn| bids::submission_facts(conn, "s9", "b1")).expect("read").is_none());
}

fn bid_row(id: &str, bidder: &str) -> bids::BidRow {
    bids::BidRow {
        id: id.into(),
        section_id: "s1".into(),
        bidder_id: bidder.into(),
        sealed: format!("sealed-{id}"),
        receipt_hash: format!("receipt-{id}"),
        commitment_hash: None,
        revealed_nonce: Some(format!("nonce-{id}")),
        status: "submitted".into(),
        submitted_at: micros_at(7),
        updated_at: micros_at(8),
        version: 1,
    }
}

fn envelope_row(bid: &str, key: &str) -> sealing::EnvelopeRow {
    sealing::EnvelopeRow {
        bid_id: bid.into(),
        key_id: key.into(),
        envelope: format!("envelope-{bid}"),
        outcome: None,
        decided_at: None,
        note: Some("备注".into()),
    }
}

/// The audit event that records `bid`, its chain locked in the transaction of `conn`.
fn bid_event(conn: &mut ggzy_store::DbConnection, bid: &str, chain: &str) -> Result<audit::LockedAppend, StoreError> {
    audit::lock_for_append(
        conn,
        audit::NewAuditEvent {
            id: format!("event-{bid}"),
            chain: chain.to_owned(),
            occurred_at: micros_at(5),
            actor: "bidder:b@b",
            action: "bid.submit",
            object_type: "bid",
            object_id: bid.to_owned(),
            payload: &serde_json::json!({ "section_id": "s1" }),
        },
    )
}

/// A bid with its envelope reads back as written with the event that records it, a bid
/// without one has none, and an envelope that cannot be written (its key unknown) takes its
/// bid and its event with it.
fn a_bid_and_its_envelope_are_written_together_or_not_at_all(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    project_with_section(&store, "tendering");
    store
        .write(|conn| {
            participants::insert(conn, &participant("b2", 3))?;
            participants::insert(conn, &participant("b3", 4))?;
            sealing::insert_key(conn, &sealing_key("k1", "b1", 4))
        })
        .expect("bidders and a key");
    let (sealed, plain) = (bid_row("bid-1", "b1"), bid_row("bid-2", "b2"));
    let events = store
        .write(|conn| {
            let event = bid_event(conn, "bid-1", "sealed:s1")?;
            let first = bids::insert_recorded(conn, &sealed, Some(&envelope_row("bid-1", "k1")), event)?;
            let event = bid_event(conn, "bid-2", "sealed:s1")?;
            Ok::<_, StoreError>([first, bids::insert_recorded(conn, &plain, None, event)?])
        })
        .expect("bids");
    let read = |id: &str| {
        store
            .read(|conn| Ok::<_, StoreError>((bids::find(conn, id)?, sealing::envelope(conn, id)?)))
            .expect("read back")
    };
    assert_eq!(read("bid-1"), (Some(sealed), Some(envelope_row("bid-1", "k1"))));
    assert_eq!(read("bid-2"), (Some(plain), None));
    let chain = || store.read(|conn| audit::chain(conn, "sealed:s1")).expect("chain");
    // Each event as stored, its sequence number the one its insert returned, linked in turn.
    assert_eq!(chain(), events.to_vec());
    assert_eq!((events[0].object_id.as_str(), events[1].object_id.as_str()), ("bid-1", "bid-2"));
    assert_eq!((events[0].position, events[1].position), (1, 2));
    assert_eq!(events[1].prev_hash, events[0].event_hash);
    assert!(events[1].seq > events[0].seq, "{events:?}");

    let refused = store.write(|conn| {
        let event = bid_event(conn, "bid-3", "sealed:s1")?;
        bids::insert_recorded(conn, &bid_row("bid-3", "b3"), Some(&envelope_row("bid-3", "no-key")), event)
    });
    assert!(matches!(refused, Err(StoreError::ForeignKeyViolation(_))), "{refused:?}");
    assert_eq!(read("bid-3"), (None, None));
    assert_eq!(chain(), events.to_vec());
    let verification = store.read(audit::verify_all).expect("verify");
    assert_eq!(verification.first_bad, None, "{verification:?}");
}
