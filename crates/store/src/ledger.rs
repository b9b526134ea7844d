//! The bid-bond ledger's tables: accounts with their running totals, append-only
//! transfers, one resolution per pending transfer, and bonds. Account rows touched by a
//! command are locked (PostgreSQL `FOR UPDATE`, in id order) so that concurrent commands
//! cannot double-spend or double-refund; SQLite has a single writer anyway.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::id_list::in_ids;
use crate::schema::{bonds, ledger_accounts, ledger_resolutions, ledger_transfers, projects, sections};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_accounts)]
pub struct AccountRow {
    pub id: String,
    pub kind: String,
    pub owner: Option<String>,
    pub section_id: Option<String>,
    pub debits_must_not_exceed_credits: i32,
    pub credits_must_not_exceed_debits: i32,
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_transfers)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TransferRow {
    #[diesel(skip_insertion)]
    pub seq: i64,
    pub id: String,
    pub debit_account_id: String,
    pub credit_account_id: String,
    pub amount: i64,
    pub kind: String,
    pub pending: i32,
    pub post_pending: i32,
    pub void_pending: i32,
    pub pending_id: Option<String>,
    pub reason: Option<String>,
    pub rule_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_resolutions)]
pub struct ResolutionRow {
    pub pending_id: String,
    pub resolved_by: String,
    pub status: String,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = bonds)]
pub struct BondRow {
    pub id: String,
    pub section_id: String,
    pub bidder_id: String,
    pub account_id: String,
    pub form: String,
    pub amount: i64,
    pub payer_account: Option<String>,
    pub guarantee: Option<String>,
    pub deposited_at: NaiveDateTime,
    pub status: String,
    pub refund_trigger: Option<String>,
    pub refund_trigger_at: Option<NaiveDateTime>,
    pub refund_rule: Option<String>,
    pub refund_deadline: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub settled_at: Option<NaiveDateTime>,
}

pub fn insert_account(conn: &mut DbConnection, row: &AccountRow) -> Result<(), StoreError> {
    diesel::insert_into(ledger_accounts::table).values(row).execute(conn)?;
    Ok(())
}

/// Locks the rows of these accounts for the rest of the transaction (PostgreSQL), in id
/// order so that two commands never wait on each other in a cycle.
pub fn lock_accounts(conn: &mut DbConnection, ids: &[String]) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        let mut sorted: Vec<&String> = ids.iter().collect();
        sorted.sort();
        sorted.dedup();
        for id in sorted {
            diesel::sql_query("SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE")
                .bind::<Text, _>(id)
                .execute(pg)?;
        }
    }
    Ok(())
}

pub fn accounts(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<AccountRow>, StoreError> {
    ledger_accounts::table
        .filter(in_ids(ledger_accounts::id, ids))
        .select(AccountRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn all_accounts(conn: &mut DbConnection) -> Result<Vec<AccountRow>, StoreError> {
    ledger_accounts::table
        .select(AccountRow::as_select())
        .order(ledger_accounts::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn update_totals(conn: &mut DbConnection, row: &AccountRow) -> Result<(), StoreError> {
    diesel::update(ledger_accounts::table.find(&row.id))
        .set((
            ledger_accounts::debits_posted.eq(row.debits_posted),
            ledger_accounts::credits_posted.eq(row.credits_posted),
            ledger_accounts::debits_pending.eq(row.debits_pending),
            ledger_accounts::credits_pending.eq(row.credits_pending),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn transfers(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<TransferRow>, StoreError> {
    ledger_transfers::table
        .filter(in_ids(ledger_transfers::id, ids))
        .select(TransferRow::as_select())
        .order(ledger_transfers::seq.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Every transfer in the order it was recorded.
pub fn all_transfers(conn: &mut DbConnection) -> Result<Vec<TransferRow>, StoreError> {
    ledger_transfers::table
        .select(TransferRow::as_select())
        .order(ledger_transfers::seq.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_transfer(conn: &mut DbConnection, row: &TransferRow) -> Result<(), StoreError> {
    diesel::insert_into(ledger_transfers::table).values(row).execute(conn)?;
    Ok(())
}

pub fn resolutions(conn: &mut DbConnection, pending_ids: &[String]) -> Result<Vec<ResolutionRow>, StoreError> {
    ledger_resolutions::table
        .filter(in_ids(ledger_resolutions::pending_id, pending_ids))
        .select(ResolutionRow::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn insert_resolution(conn: &mut DbConnection, row: &ResolutionRow) -> Result<(), StoreError> {
    diesel::insert_into(ledger_resolutions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn insert_bond(conn: &mut DbConnection, row: &BondRow) -> Result<(), StoreError> {
    diesel::insert_into(bonds::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_bond(conn: &mut DbConnection, id: &str) -> Result<Option<BondRow>, StoreError> {
    bonds::table.find(id).select(BondRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

/// A bond read again once its account and the `pool` are locked for the rest of the
/// transaction, so that two commands on one bond are serialised and the second sees what
/// the first wrote.
pub fn lock_bond(conn: &mut DbConnection, id: &str, pool: &str) -> Result<Option<BondRow>, StoreError> {
    let Some(bond) = find_bond(conn, id)? else { return Ok(None) };
    lock_accounts(conn, &[pool.to_owned(), bond.account_id])?;
    find_bond(conn, id)
}

/// One account, if it exists.
pub fn account(conn: &mut DbConnection, id: &str) -> Result<Option<AccountRow>, StoreError> {
    ledger_accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional().map_err(StoreError::from)
}

pub fn bond_of(conn: &mut DbConnection, section_id: &str, bidder_id: &str) -> Result<Option<BondRow>, StoreError> {
    bonds::table
        .filter(bonds::section_id.eq(section_id))
        .filter(bonds::bidder_id.eq(bidder_id))
        .select(BondRow::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

pub fn bonds_of_section(conn: &mut DbConnection, section_id: &str) -> Result<Vec<BondRow>, StoreError> {
    bonds::table
        .filter(bonds::section_id.eq(section_id))
        .select(BondRow::as_select())
        .order(bonds::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// The bonds of a section whose bidders have a submitted bid in it (those behind the bids
/// its opening record lists), by id.
pub fn bonds_of_submitted_bidders(conn: &mut DbConnection, section_id: &str) -> Result<Vec<BondRow>, StoreError> {
    let submitted = crate::schema::bids::table
        .filter(crate::schema::bids::section_id.eq(section_id))
        .filter(crate::schema::bids::status.eq("submitted"))
        .select(crate::schema::bids::bidder_id);
    bonds::table
        .filter(bonds::section_id.eq(section_id))
        .filter(bonds::bidder_id.eq_any(submitted))
        .select(BondRow::as_select())
        .order(bonds::id.asc())
        .load(conn)
        .map_err(StoreError::from)
}

pub fn update_bond(conn: &mut DbConnection, row: &BondRow) -> Result<(), StoreError> {
    diesel::update(bonds::table.find(&row.id))
        .set((
            bonds::status.eq(&row.status),
            bonds::refund_trigger.eq(&row.refund_trigger),
            bonds::refund_trigger_at.eq(row.refund_trigger_at),
            bonds::refund_rule.eq(&row.refund_rule),
            bonds::refund_deadline.eq(row.refund_deadline),
            bonds::outcome.eq(&row.outcome),
            bonds::settled_at.eq(row.settled_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Bonds whose refund deadline has passed without a refund, oldest deadline first.
pub fn overdue_bonds(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Vec<BondRow>, StoreError> {
    bonds::table
        .filter(bonds::outcome.is_null())
        // Due at 24:00 means late from that instant on.
        .filter(bonds::refund_deadline.le(now))
        .select(BondRow::as_select())
        .order(bonds::refund_deadline.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Cash bonds deposited, for matching against a bank statement.
pub fn cash_bonds(conn: &mut DbConnection) -> Result<Vec<BondRow>, StoreError> {
    bonds::table
        .filter(bonds::form.ne("guarantee"))
        .select(BondRow::as_select())
        .order(bonds::deposited_at.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// Bonds whose refund clock runs (a deadline set, no outcome yet), by deadline.
pub fn bonds_on_clock(conn: &mut DbConnection) -> Result<Vec<BondRow>, StoreError> {
    bonds::table
        .filter(bonds::outcome.is_null())
        .filter(bonds::refund_deadline.is_not_null())
        .select(BondRow::as_select())
        .order(bonds::refund_deadline.asc())
        .load(conn)
        .map_err(StoreError::from)
}

/// One of a bidder's bonds with the project it is for: (bond, project id, code, name).
pub type OwnBondRow = (BondRow, String, String, String);

/// Where a keyset page of a bidder's bonds resumes: the deposit time and id of the last bond
/// of the previous page, if that bond is the bidder's.
pub fn own_bond_cursor(
    conn: &mut DbConnection,
    bidder_id: &str,
    bond_id: &str,
) -> Result<Option<(NaiveDateTime, String)>, StoreError> {
    bonds::table
        .filter(bonds::id.eq(bond_id))
        .filter(bonds::bidder_id.eq(bidder_id))
        .select((bonds::deposited_at, bonds::id))
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// A page of the bidder's bonds as [`own_bonds`] reads it, starting after the bond
/// `after_id` names; `None` when that bond is not one of the bidder's (a cursor no page gave).
pub fn own_bonds_after(
    conn: &mut DbConnection,
    bidder_id: &str,
    status: Option<&str>,
    section_id: Option<&str>,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Option<Vec<OwnBondRow>>, StoreError> {
    let after = match after_id {
        Some(id) => match own_bond_cursor(conn, bidder_id, id)? {
            Some(position) => Some(position),
            None => return Ok(None),
        },
        None => None,
    };
    own_bonds(conn, bidder_id, status, section_id, after, limit).map(Some)
}

/// What [`bond_extras`] reads: the account's (credits posted, debits posted, debits
/// pending) and the official calendar years.
pub type BondExtras = ((i64, i64, i64), Vec<i32>);

/// What a bond's view reads beside its row: its account's posted credits, posted debits
/// and pending debits (zeros when it has none), and, when its refund clock runs, the
/// years whose official calendar is published.
pub fn bond_extras(conn: &mut DbConnection, bond: &BondRow) -> Result<BondExtras, StoreError> {
    let holdings =
        account(conn, &bond.account_id)?.map_or((0, 0, 0), |a| (a.credits_posted, a.debits_posted, a.debits_pending));
    let official_years = match (bond.refund_trigger_at, bond.refund_deadline) {
        (Some(_), Some(_)) => crate::calendar::official_years(conn)?,
        _ => Vec::new(),
    };
    Ok((holdings, official_years))
}

/// A page of the bidder's bonds in every section, newest deposit first (ties by id,
/// descending), optionally of one status and one section.
pub fn own_bonds(
    conn: &mut DbConnection,
    bidder_id: &str,
    status: Option<&str>,
    section_id: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<OwnBondRow>, StoreError> {
    let mut query = bonds::table
        .inner_join(sections::table.on(sections::id.eq(bonds::section_id)))
        .inner_join(projects::table.on(projects::id.eq(sections::project_id)))
        .filter(bonds::bidder_id.eq(bidder_id.to_owned()))
        .select((BondRow::as_select(), projects::id, projects::code, projects::name))
        .order((bonds::deposited_at.desc(), bonds::id.desc()))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(bonds::status.eq(status.to_owned()));
    }
    if let Some(section_id) = section_id {
        query = query.filter(bonds::section_id.eq(section_id.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(bonds::deposited_at.lt(at).or(bonds::deposited_at.eq(at).and(bonds::id.lt(id))));
    }
    query.limit(limit).load(conn).map_err(StoreError::from)
}

/// What a batch of transfers is checked on: the accounts it touches, the transfers it names
/// that are already recorded, and the resolutions of the pending transfers it resolves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchRows {
    pub accounts: Vec<AccountRow>,
    pub transfers: Vec<TransferRow>,
    pub resolutions: Vec<ResolutionRow>,
}

/// Locks the accounts a batch touches for the rest of the transaction (see
/// [`lock_accounts`]) and reads what the batch is checked on.
pub fn lock_batch(
    conn: &mut DbConnection,
    account_ids: &[String],
    transfer_ids: &[String],
    pending_ids: &[String],
) -> Result<BatchRows, StoreError> {
    lock_accounts(conn, account_ids)?;
    Ok(BatchRows {
        accounts: accounts(conn, account_ids)?,
        transfers: transfers(conn, transfer_ids)?,
        resolutions: resolutions(conn, pending_ids)?,
    })
}

/// What a checked batch writes: each transfer it created with the resolution of the pending
/// transfer it resolves (if it does), in order, and the new totals of its accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchWriteRows {
    pub created: Vec<(TransferRow, Option<ResolutionRow>)>,
    pub totals: Vec<AccountRow>,
}

/// Records a checked batch inside the caller's transaction.
pub fn write_batch(conn: &mut DbConnection, rows: &BatchWriteRows) -> Result<(), StoreError> {
    for (transfer, resolution) in &rows.created {
        insert_transfer(conn, transfer)?;
        if let Some(resolution) = resolution {
            insert_resolution(conn, resolution)?;
        }
    }
    for account in &rows.totals {
        update_totals(conn, account)?;
    }
    Ok(())
}

/// The bonds of a section (as [`bonds_of_section`]) with the accounts they hold that exist.
pub fn section_bonds_with_accounts(
    conn: &mut DbConnection,
    section_id: &str,
) -> Result<(Vec<BondRow>, Vec<AccountRow>), StoreError> {
    let bonds = bonds_of_section(conn, section_id)?;
    let accounts = ledger_accounts::table
        .filter(
            ledger_accounts::id.eq_any(bonds::table.filter(bonds::section_id.eq(section_id)).select(bonds::account_id)),
        )
        .select(AccountRow::as_select())
        .load(conn)?;
    Ok((bonds, accounts))
}

/// What a refund instruction is decided on beside the bond: how many of `counted_ids` (the
/// transfers of earlier attempts) are recorded, and the bond's account if it exists.
pub fn refund_reads(
    conn: &mut DbConnection,
    counted_ids: &[String],
    account_id: &str,
) -> Result<(usize, Option<AccountRow>), StoreError> {
    let recorded: i64 =
        ledger_transfers::table.filter(ledger_transfers::id.eq_any(counted_ids)).count().get_result(conn)?;
    Ok((usize::try_from(recorded).unwrap_or(usize::MAX), account(conn, account_id)?))
}

/// The last recorded of these transfers (in recording order), if any is.
pub fn last_transfer(conn: &mut DbConnection, ids: &[String]) -> Result<Option<TransferRow>, StoreError> {
    ledger_transfers::table
        .filter(in_ids(ledger_transfers::id, ids))
        .select(TransferRow::as_select())
        .order(ledger_transfers::seq.desc())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// Records a deposited bond: the account that holds it, the bond, and the basic account it
/// was paid from when the bidder declared one (`basic_account_key`, keyed for the scan).
pub fn insert_deposit(
    conn: &mut DbConnection,
    account: &AccountRow,
    bond: &BondRow,
    basic_account_key: Option<&str>,
) -> Result<(), StoreError> {
    insert_account(conn, account)?;
    insert_bond(conn, bond)?;
    if let Some(key) = basic_account_key {
        crate::risk::declare_basic_account(conn, &bond.id, &bond.bidder_id, &bond.section_id, key)?;
    }
    Ok(())
}

/// What a deposit is admitted on beside the section: its announced terms (none before its
/// tender announcement) and whether the bidder already posted a bond there.
pub fn deposit_reads(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
) -> Result<(Option<crate::announcements::SectionTermsRow>, bool), StoreError> {
    Ok((crate::announcements::terms(conn, section_id)?, bond_of(conn, section_id, bidder_id)?.is_some()))
}

/// Creates an account unless it exists (an existing one is left as it is).
pub fn ensure_account(conn: &mut DbConnection, row: &AccountRow) -> Result<(), StoreError> {
    if account(conn, &row.id)?.is_none() {
        insert_account(conn, row)?;
    }
    Ok(())
}
