//! The opening record as the opening makes it: each opened bid read from its row and
//! content, and the record of the section's opening (ggzy_trading::opening decides whether
//! the bids are opened at all).

use chrono::NaiveDateTime;
use ggzy_store::bids::BidRow;
use ggzy_trading::bidding::BidContent;
use ggzy_trading::lifecycle::OpeningOutcome;
use ggzy_trading::opening::{NotOpenedBid, OpenedBid, OpeningRecord};

use crate::utc;

/// How a section's opening came out: its outcome, the bids that stood and how many the
/// rules require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningCount {
    pub outcome: OpeningOutcome,
    pub bid_count: usize,
    pub min_bidders: usize,
}

/// A bid as the opening reads it from its row, its bidder's name and its unsealed content.
pub fn opened_bid(row: &BidRow, bidder_name: String, content: BidContent) -> OpenedBid {
    OpenedBid::read(
        row.bidder_id.clone(),
        bidder_name,
        content,
        row.commitment_hash.as_deref(),
        row.revealed_nonce.as_deref(),
    )
}

/// The record of a section opened at `at` before `witness` (the witness's name); no
/// objection yet.
pub fn opening_record(
    section_id: &str,
    at: NaiveDateTime,
    witness: String,
    count: OpeningCount,
    bids: Vec<OpenedBid>,
    not_opened: Vec<NotOpenedBid>,
) -> OpeningRecord {
    let OpeningCount { outcome, bid_count, min_bidders } = count;
    OpeningRecord {
        section_id: section_id.to_owned(),
        opened_at: utc(at),
        witness,
        outcome,
        bid_count,
        min_bidders,
        bids,
        not_opened,
        objections: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::bid_content as content;
    use ggzy_trading::bidding::CommitmentCheck;
    use ggzy_trading::lifecycle::DecryptionOutcome;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(9, 30, 0)).unwrap()
    }

    fn row(commitment_hash: Option<String>, revealed_nonce: Option<&str>) -> BidRow {
        BidRow {
            id: "bid1".into(),
            section_id: "s1".into(),
            bidder_id: "b1".into(),
            sealed: "sealed".into(),
            receipt_hash: "r".into(),
            commitment_hash,
            revealed_nonce: revealed_nonce.map(str::to_owned),
            status: "submitted".into(),
            submitted_at: at(),
            updated_at: at(),
            version: 1,
        }
    }

    #[test]
    fn an_opened_bid_shows_its_bidder_price_documents_and_commitment_check() {
        let bid = opened_bid(&row(None, None), "甲公司".into(), content());
        assert_eq!((bid.bidder_id.as_str(), bid.bidder_name.as_str()), ("b1", "甲公司"));
        assert_eq!((bid.price, bid.documents.len()), (content().price, 1));
        assert_eq!(bid.commitment, CommitmentCheck::None);
        let unrevealed = opened_bid(&row(Some("ab".repeat(32)), None), String::new(), content());
        assert_eq!(unrevealed.commitment, CommitmentCheck::Unverified);
    }

    #[test]
    fn the_record_names_its_section_time_witness_count_and_bids() {
        let count = OpeningCount { outcome: OpeningOutcome::Opened, bid_count: 1, min_bidders: 3 };
        let bids = vec![opened_bid(&row(None, None), "甲公司".into(), content())];
        let not_opened = vec![NotOpenedBid {
            bidder_id: "b2".into(),
            bidder_name: "乙公司".into(),
            outcome: DecryptionOutcome::Revoked,
            note: None,
        }];
        let record = opening_record("s1", at(), "王芳".into(), count, bids, not_opened);
        assert_eq!(
            (record.section_id.as_str(), record.opened_at, record.witness.as_str()),
            ("s1", at().and_utc(), "王芳")
        );
        assert_eq!((record.outcome, record.bid_count, record.min_bidders), (OpeningOutcome::Opened, 1, 3));
        assert_eq!((record.bids.len(), record.not_opened[0].bidder_id.as_str()), (1, "b2"));
        assert!(record.objections.is_empty());
    }
}
