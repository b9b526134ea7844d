//! The bond ledger's accounts, transfers and resolutions as their rows hold them, both ways
//! (see `ggzy_service::bonds`).

use chrono::NaiveDateTime;
use ggzy_kernel::{stored, StoredFault};
use ggzy_ledger::batch::BatchWrites;
use ggzy_ledger::{
    Account, AccountFlags, AccountKind, Ledger, PendingResolution, Transfer, TransferFlags, TransferKind,
};
use ggzy_store::ledger::{AccountRow, BatchRows, BatchWriteRows, ResolutionRow, TransferRow};

/// A stored flag column (0 or 1) as a bool; anything else is a fault.
fn stored_flag(column: &'static str, value: i32) -> Result<bool, StoredFault> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(StoredFault::new(column, other, "a flag (0 or 1)")),
    }
}

pub fn account_from_row(row: &AccountRow) -> Result<Account, StoredFault> {
    let kind = AccountKind::from_key(&row.kind)
        .ok_or_else(|| StoredFault::new("ledger_accounts.kind", &row.kind, "AccountKind"))?;
    let mut account = Account::new(row.id.clone(), kind).with_flags(AccountFlags {
        debits_must_not_exceed_credits: stored_flag(
            "ledger_accounts.debits_must_not_exceed_credits",
            row.debits_must_not_exceed_credits,
        )?,
        credits_must_not_exceed_debits: stored_flag(
            "ledger_accounts.credits_must_not_exceed_debits",
            row.credits_must_not_exceed_debits,
        )?,
    });
    account.owner = row.owner.clone();
    account.section_id = row.section_id.clone();
    account.debits_posted = row.debits_posted;
    account.credits_posted = row.credits_posted;
    account.debits_pending = row.debits_pending;
    account.credits_pending = row.credits_pending;
    Ok(account)
}

/// The row of an account as of `at` (its creation time when inserted).
pub fn account_row(account: &Account, at: NaiveDateTime) -> AccountRow {
    AccountRow {
        id: account.id.clone(),
        kind: account.kind.as_str().to_owned(),
        owner: account.owner.clone(),
        section_id: account.section_id.clone(),
        debits_must_not_exceed_credits: i32::from(account.flags.debits_must_not_exceed_credits),
        credits_must_not_exceed_debits: i32::from(account.flags.credits_must_not_exceed_debits),
        debits_posted: account.debits_posted,
        credits_posted: account.credits_posted,
        debits_pending: account.debits_pending,
        credits_pending: account.credits_pending,
        created_at: at,
    }
}

pub fn transfer_from_row(row: &TransferRow) -> Result<Transfer, StoredFault> {
    let kind = TransferKind::from_key(&row.kind)
        .ok_or_else(|| StoredFault::new("ledger_transfers.kind", &row.kind, "TransferKind"))?;
    let mut transfer =
        Transfer::new(row.id.clone(), row.debit_account_id.clone(), row.credit_account_id.clone(), row.amount, kind);
    transfer.flags = TransferFlags {
        pending: stored_flag("ledger_transfers.pending", row.pending)?,
        post_pending: stored_flag("ledger_transfers.post_pending", row.post_pending)?,
        void_pending: stored_flag("ledger_transfers.void_pending", row.void_pending)?,
        linked: false,
    };
    transfer.pending_id = row.pending_id.clone();
    transfer.reason = row.reason.clone();
    transfer.rule_id = row.rule_id.clone();
    Ok(transfer)
}

/// The row of a transfer recorded at `at` (`seq` is the database's).
pub fn transfer_row(transfer: &Transfer, at: NaiveDateTime) -> TransferRow {
    TransferRow {
        seq: 0,
        id: transfer.id.clone(),
        debit_account_id: transfer.debit_account_id.clone(),
        credit_account_id: transfer.credit_account_id.clone(),
        amount: transfer.amount,
        kind: transfer.kind.as_str().to_owned(),
        pending: i32::from(transfer.flags.pending),
        post_pending: i32::from(transfer.flags.post_pending),
        void_pending: i32::from(transfer.flags.void_pending),
        pending_id: transfer.pending_id.clone(),
        reason: transfer.reason.clone(),
        rule_id: transfer.rule_id.clone(),
        created_at: at,
    }
}

pub fn resolution_from_row(row: ResolutionRow) -> Result<PendingResolution, StoredFault> {
    Ok(PendingResolution {
        status: stored("ledger_resolutions.status", &row.status)?,
        pending_id: row.pending_id,
        resolved_by: row.resolved_by,
        amount: row.amount,
    })
}

pub fn resolution_row(resolution: &PendingResolution) -> ResolutionRow {
    ResolutionRow {
        pending_id: resolution.pending_id.clone(),
        resolved_by: resolution.resolved_by.clone(),
        status: resolution.status.as_str().to_owned(),
        amount: resolution.amount,
    }
}

/// The snapshot of the books a batch of transfers is checked on, from the rows
/// `ggzy_store::ledger::lock_batch` read.
pub fn batch_books(rows: BatchRows) -> Result<Ledger, StoredFault> {
    let accounts: Vec<_> = rows.accounts.iter().map(account_from_row).collect::<Result<_, _>>()?;
    let recorded: Vec<_> = rows.transfers.iter().map(transfer_from_row).collect::<Result<_, _>>()?;
    let resolutions: Vec<_> = rows.resolutions.into_iter().map(resolution_from_row).collect::<Result<_, _>>()?;
    Ok(Ledger::snapshot(accounts, recorded, resolutions))
}

/// The rows a checked batch writes, recorded at `at`.
pub fn batch_write_rows(writes: &BatchWrites, at: NaiveDateTime) -> BatchWriteRows {
    BatchWriteRows {
        created: writes
            .created
            .iter()
            .map(|(transfer, resolution)| (transfer_row(transfer, at), resolution.as_ref().map(resolution_row)))
            .collect(),
        totals: writes.accounts.iter().map(|account| account_row(account, at)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_ledger::PendingStatus;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(9, 30, 0)).unwrap()
    }

    fn bond_account() -> Account {
        let mut account = Account::bidder_bond("bond:b1", "p1", "s1");
        account.credits_posted = 500_000;
        account.debits_pending = 200_000;
        account
    }

    #[test]
    fn an_account_reads_back_as_it_was_written() {
        let account = bond_account();
        let row = account_row(&account, at());
        assert_eq!(row.kind, "bidder_bond");
        assert_eq!(row.created_at, at());
        assert_eq!(account_from_row(&row), Ok(account));
    }

    #[test]
    fn an_account_of_an_unknown_kind_or_flag_is_a_fault() {
        let mut row = account_row(&bond_account(), at());
        row.kind = "savings".into();
        assert_eq!(
            account_from_row(&row).err().map(|f| f.to_string()).as_deref(),
            Some("ledger_accounts.kind holds `savings`, which is not AccountKind")
        );
        let mut row = account_row(&bond_account(), at());
        row.credits_must_not_exceed_debits = 2;
        assert_eq!(
            account_from_row(&row).err().map(|f| (f.column, f.value)),
            Some(("ledger_accounts.credits_must_not_exceed_debits", "2".to_owned()))
        );
    }

    #[test]
    fn a_transfer_reads_back_as_it_was_written() {
        let mut transfer = Transfer::new("refund:b1", "bond:b1", "pool", 200_000, TransferKind::Refund);
        transfer.flags.pending = true;
        transfer.reason = Some("退还".into());
        transfer.rule_id = Some("bond.central".into());
        let row = transfer_row(&transfer, at());
        assert_eq!((row.seq, row.pending, row.post_pending, row.void_pending), (0, 1, 0, 0));
        assert_eq!(transfer_from_row(&row), Ok(transfer));
    }

    #[test]
    fn a_transfer_of_an_unknown_kind_or_flag_is_a_fault() {
        let transfer = Transfer::new("t1", "bond:b1", "pool", 1, TransferKind::Refund);
        let mut row = transfer_row(&transfer, at());
        row.kind = "gift".into();
        assert_eq!(transfer_from_row(&row).err().map(|f| f.column), Some("ledger_transfers.kind"));
        let mut row = transfer_row(&transfer, at());
        row.void_pending = -1;
        assert_eq!(
            transfer_from_row(&row).err().map(|f| (f.column, f.value)),
            Some(("ledger_transfers.void_pending", "-1".to_owned()))
        );
    }

    #[test]
    fn a_resolution_reads_back_and_an_unknown_status_is_a_fault() {
        let resolution = PendingResolution {
            pending_id: "refund:b1".into(),
            resolved_by: "post:b1".into(),
            status: PendingStatus::Posted,
            amount: 200_000,
        };
        assert_eq!(resolution_from_row(resolution_row(&resolution)), Ok(resolution.clone()));
        let mut row = resolution_row(&resolution);
        row.status = "lost".into();
        assert_eq!(
            resolution_from_row(row).err().map(|f| f.to_string()).as_deref(),
            Some("ledger_resolutions.status holds `lost`, which is not PendingStatus")
        );
    }

    #[test]
    fn a_batch_is_checked_on_its_rows_and_writes_what_it_created() {
        let deposit = Transfer::new("deposit:b1", "pool", "bond:b1", 500_000, TransferKind::Deposit);
        let mut refund = Transfer::new("refund:b1", "bond:b1", "pool", 200_000, TransferKind::Refund);
        refund.flags.pending = true;
        let rows = BatchRows {
            accounts: vec![account_row(&bond_account(), at())],
            transfers: vec![transfer_row(&deposit, at()), transfer_row(&refund, at())],
            resolutions: Vec::new(),
        };
        let books = batch_books(rows.clone()).unwrap();
        assert_eq!(books.account("bond:b1"), Some(&bond_account()));
        assert_eq!(books.transfers().len(), 2);
        assert_eq!(books.pending_status("refund:b1"), Some(PendingStatus::Pending));
        let mut bad = rows;
        bad.transfers[1].kind = "gift".into();
        assert_eq!(batch_books(bad).err().map(|f| f.column), Some("ledger_transfers.kind"));

        let resolution = PendingResolution {
            pending_id: "refund:b1".into(),
            resolved_by: "post:b1".into(),
            status: PendingStatus::Posted,
            amount: 200_000,
        };
        let writes = BatchWrites {
            created: vec![(deposit.clone(), None), (refund.clone(), Some(resolution.clone()))],
            accounts: vec![bond_account()],
        };
        let written = batch_write_rows(&writes, at());
        assert_eq!(
            written.created,
            [(transfer_row(&deposit, at()), None), (transfer_row(&refund, at()), Some(resolution_row(&resolution)))]
        );
        assert_eq!(written.totals, [account_row(&bond_account(), at())]);
    }
}
