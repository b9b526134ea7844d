//! A bid's content as the platform keeps it at rest (crate ggzy-seal, `at_rest`): sealed
//! under its section's key and bound to the bid, beside the salt of the receipt its bidder
//! is given; and opened again. The service finds the key; a fault here is the platform's.

use ggzy_seal::at_rest;
use ggzy_trading::bidding::BidContent;

use crate::bids::{read_sealed_plain, sealed_plain, SealedBid};

/// What the sealed content of bid `bid_id` is bound to: it opens as no other bid.
fn bid_context(bid_id: &str) -> String {
    format!("bid:{bid_id}")
}

/// Bid `bid_id`'s content sealed under `key`, with its receipt keyed by `salt` (kept in the
/// sealed text, shown only to the bidder).
pub fn seal_content(
    key: &[u8; 32],
    bid_id: &str,
    content: BidContent,
    commitment_hash: Option<String>,
    salt: [u8; 32],
) -> Result<SealedBid, String> {
    // Keys sorted, no white space: the bidder recomputes the receipt from the content it
    // is shown.
    let content_json =
        serde_json::to_value(&content).and_then(|value| serde_json::to_vec(&value)).map_err(|e| e.to_string())?;
    let receipt_hash = at_rest::receipt(&salt, &content_json).map_err(|e| e.to_string())?;
    let plain = sealed_plain(hex::encode(salt), content).map_err(|e| e.to_string())?;
    let sealed = at_rest::seal(key, &plain, &bid_context(bid_id)).map_err(|e| e.to_string())?;
    Ok(SealedBid { sealed, receipt_hash, commitment_hash })
}

/// The content `seal_content` sealed for bid `bid_id`, and its receipt's salt (none for a
/// bid sealed before receipts were keyed).
pub fn open_content(key: &[u8; 32], bid_id: &str, sealed: &str) -> Result<(BidContent, Option<String>), String> {
    let plain = at_rest::open(key, sealed, &bid_context(bid_id)).map_err(|e| e.to_string())?;
    read_sealed_plain(&plain).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::bid_content as content;

    #[test]
    fn a_sealed_content_opens_for_its_own_bid_with_its_salt() {
        let key = [7_u8; 32];
        let salt = [3_u8; 32];
        let sealed = seal_content(&key, "b1", content(), Some("c0".into()), salt).unwrap();
        assert_eq!(sealed.commitment_hash.as_deref(), Some("c0"));
        let (opened, opened_salt) = open_content(&key, "b1", &sealed.sealed).unwrap();
        assert_eq!(opened, content());
        assert_eq!(opened_salt, Some(hex::encode(salt)));
        assert!(open_content(&key, "b2", &sealed.sealed).is_err(), "bound to its bid");
        assert!(open_content(&[8_u8; 32], "b1", &sealed.sealed).is_err(), "opens under its key only");
    }

    #[test]
    fn the_receipt_is_the_salted_hash_of_the_sorted_content() {
        let key = [7_u8; 32];
        let sealed = seal_content(&key, "b1", content(), None, [3_u8; 32]).unwrap();
        let sorted = serde_json::to_vec(&serde_json::to_value(content()).unwrap()).unwrap();
        assert_eq!(sealed.receipt_hash, at_rest::receipt(&[3_u8; 32], &sorted).unwrap());
        let other_salt = seal_content(&key, "b1", content(), None, [4_u8; 32]).unwrap();
        assert_ne!(other_salt.receipt_hash, sealed.receipt_hash, "the same bid, another receipt");
    }
}
