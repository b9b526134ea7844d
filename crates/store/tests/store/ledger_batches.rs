//! A batch of transfers is read and written through one call each: the locked snapshot
//! holds only what the batch names, the write records its transfers with their resolutions
//! and the accounts' new totals; a refund's reads count the recorded attempts, and the last
//! recorded of a bond's refunds is the pending one.

use ggzy_blackbox::{both_backends, Backend, TestDatabase};
use ggzy_store::ledger::{self, AccountRow, BatchWriteRows, ResolutionRow, TransferRow};

use super::{micros_at, open_migrated};

both_backends!(a_batch_reads_what_it_names_and_writes_what_it_created);

fn account(id: &str, credits_posted: i64) -> AccountRow {
    AccountRow {
        id: id.to_owned(),
        kind: "bidder_bond".to_owned(),
        owner: None,
        section_id: None,
        debits_must_not_exceed_credits: 0,
        credits_must_not_exceed_debits: 0,
        debits_posted: 0,
        credits_posted,
        debits_pending: 0,
        credits_pending: 0,
        created_at: micros_at(1),
    }
}

fn transfer(id: &str, debit: &str, credit: &str, pending_id: Option<&str>) -> TransferRow {
    TransferRow {
        seq: 0,
        id: id.to_owned(),
        debit_account_id: debit.to_owned(),
        credit_account_id: credit.to_owned(),
        amount: 100,
        kind: "refund".to_owned(),
        pending: i32::from(pending_id.is_none()),
        post_pending: i32::from(pending_id.is_some()),
        void_pending: 0,
        pending_id: pending_id.map(str::to_owned),
        reason: None,
        rule_id: None,
        created_at: micros_at(2),
    }
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn a_batch_reads_what_it_names_and_writes_what_it_created(backend: Backend) {
    let Some(db) = TestDatabase::new(backend) else { return };
    let store = open_migrated(&db);
    store.write(|conn| ledger::ensure_account(conn, &account("pool", 0))).expect("pool");
    store.write(|conn| ledger::ensure_account(conn, &account("bond:b1", 100))).expect("bond account");
    // An existing account is left as it is.
    store.write(|conn| ledger::ensure_account(conn, &account("bond:b1", 7))).expect("again");
    store.write(|conn| ledger::ensure_account(conn, &account("other", 0))).expect("other");

    let first = BatchWriteRows {
        created: vec![(transfer("refund:b1:1", "bond:b1", "pool", None), None)],
        totals: vec![AccountRow { debits_pending: 100, ..account("bond:b1", 100) }],
    };
    store.write(|conn| ledger::write_batch(conn, &first)).expect("first batch");
    let resolution = ResolutionRow {
        pending_id: "refund:b1:1".into(),
        resolved_by: "refund:b1:1:posted".into(),
        status: "posted".into(),
        amount: 100,
    };
    let second = BatchWriteRows {
        created: vec![(
            transfer("refund:b1:1:posted", "bond:b1", "pool", Some("refund:b1:1")),
            Some(resolution.clone()),
        )],
        totals: vec![AccountRow { debits_posted: 100, ..account("bond:b1", 100) }],
    };
    store.write(|conn| ledger::write_batch(conn, &second)).expect("second batch");

    let rows = store
        .write(|conn| {
            ledger::lock_batch(
                conn,
                &ids(&["bond:b1", "pool"]),
                &ids(&["refund:b1:1", "missing"]),
                &ids(&["refund:b1:1"]),
            )
        })
        .expect("snapshot");
    let mut accounts: Vec<_> =
        rows.accounts.iter().map(|a| (a.id.as_str(), a.credits_posted, a.debits_posted)).collect();
    accounts.sort_unstable();
    assert_eq!(accounts, [("bond:b1", 100, 100), ("pool", 0, 0)]);
    assert_eq!(rows.transfers.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["refund:b1:1"]);
    assert_eq!(rows.resolutions, [resolution]);

    let counted = ids(&["refund:b1:1", "refund:b1:2", "refund:b1:3"]);
    let (recorded, held) = store.read(|conn| ledger::refund_reads(conn, &counted, "bond:b1")).expect("refund reads");
    assert_eq!((recorded, held.map(|a| a.debits_posted)), (1, Some(100)));
    let (recorded, held) = store.read(|conn| ledger::refund_reads(conn, &counted, "no-account")).expect("none");
    assert_eq!((recorded, held), (1, None));

    let answerable = ids(&["refund:b1:1", "refund:b1:1:posted", "refund:b1:2"]);
    let last = store.read(|conn| ledger::last_transfer(conn, &answerable)).expect("last");
    assert_eq!(last.map(|t| t.id).as_deref(), Some("refund:b1:1:posted"));
    assert_eq!(store.read(|conn| ledger::last_transfer(conn, &ids(&["none"]))).expect("no last"), None);
}
