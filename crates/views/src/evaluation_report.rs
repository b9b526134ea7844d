//! What the committee's report is made from, as stored: each member's score sheet and the
//! prices the opening recorded (ggzy_trading::committee::report decides the ranking).

use ggzy_kernel::{stored_json, StoredFault};
use ggzy_trading::committee::{OpenedPrice, ScoreSheet};
use ggzy_trading::opening::OpeningRecord;

/// The score sheets of a section's members, as stored: (expert, sheet JSON).
pub fn score_sheets(rows: Vec<(String, String)>) -> Result<Vec<(String, ScoreSheet)>, StoredFault> {
    rows.into_iter().map(|(expert, sheet)| Ok((expert, stored_json("expert_scores.scores", sheet)?))).collect()
}

/// Whose bids the opening opened, and at what price.
pub fn opened_prices(record: OpeningRecord) -> Vec<OpenedPrice> {
    record
        .bids
        .into_iter()
        .map(|b| OpenedPrice { bidder_id: b.bidder_id, bidder_name: b.bidder_name, price: b.price })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_kernel::Money;
    use ggzy_trading::bidding::CommitmentCheck;
    use ggzy_trading::lifecycle::OpeningOutcome;
    use ggzy_trading::opening::OpenedBid;

    #[test]
    fn score_sheets_read_back_by_expert_and_a_sheet_that_does_not_read_is_a_fault() {
        let rows = vec![("e1".to_owned(), r#"{"b1":"87.5","b2":"90"}"#.to_owned()), ("e2".to_owned(), "{}".to_owned())];
        let sheets = score_sheets(rows).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].0, "e1");
        assert_eq!(sheets[0].1.get("b1").map(ToString::to_string).as_deref(), Some("87.5"));
        assert!(sheets[1].1.is_empty());
        let fault = score_sheets(vec![("e3".to_owned(), "[1]".to_owned())]).unwrap_err();
        assert_eq!(fault.column, "expert_scores.scores");
    }

    #[test]
    fn the_opened_prices_are_the_records_bids_in_order() {
        let opened = |id: &str, fen| OpenedBid {
            bidder_id: id.into(),
            bidder_name: format!("{id} 公司"),
            price: Money::from_fen(fen).unwrap(),
            documents: Vec::new(),
            commitment: CommitmentCheck::None,
        };
        let record = OpeningRecord {
            section_id: "s1".into(),
            opened_at: chrono::DateTime::UNIX_EPOCH,
            witness: "王芳".into(),
            outcome: OpeningOutcome::Opened,
            bid_count: 2,
            min_bidders: 2,
            bids: vec![opened("b2", 200), opened("b1", 100)],
            not_opened: Vec::new(),
            objections: Vec::new(),
        };
        let prices = opened_prices(record);
        assert_eq!(prices.iter().map(|p| p.bidder_id.as_str()).collect::<Vec<_>>(), vec!["b2", "b1"]);
        assert_eq!((prices[1].bidder_name.as_str(), prices[1].price), ("b1 公司", Money::from_fen(100).unwrap()));
    }
}
