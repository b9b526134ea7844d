//! The bid-bond ledger: double-entry accounts with posted and pending amounts, immutable
//! two-phase transfers, refunds, forfeits, interest and late fees. Pure domain logic.
