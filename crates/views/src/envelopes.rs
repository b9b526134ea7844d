//! What is made of a bid its bidder sealed (crate ggzy-seal): the field problem each seal
//! error is told as, the rows an accepted envelope becomes, the sealed files it names that
//! were never handed in, the bid in clear its revealed key opens, and how far the
//! decryption of a section's bids has come. The service verifies
//! and opens the envelope; these say what the result is, with no database and no rule.

use chrono::{DateTime, Utc};
use ggzy_kernel::{stored_opt, FieldError, StoredFault};
use ggzy_seal::{Envelope, SealError};
use ggzy_store::bids::{BidRow, OwnBidRow};
use ggzy_store::sealing::EnvelopeRow;
use ggzy_trading::bidding::EnvelopeState;
use ggzy_trading::decryption;
use ggzy_trading::lifecycle::{DecryptionOutcome, DecryptionTally};

use crate::bids::{envelope_outcomes, envelope_row, OwnBid, SealedBid, SubmitBid};
use crate::proceedings::{DecryptNowNotice, NotificationPayload};

/// Marks a bid row whose content is still the bidder's envelope (bid_envelopes).
pub const ENVELOPE_MARKER: &str = "envelope";

/// The problem of `field` (the envelope, or a key) that a seal error is.
pub fn seal_problem(field: &str, error: &SealError) -> FieldError {
    // Written out here rather than in ggzy_seal, which stands alone: the field-error-code
    // scan reads each code where its field error is built.
    let code = match error {
        SealError::Malformed(_) => "malformed_envelope",
        SealError::UnknownSuite(_) => "unknown_suite",
        SealError::SuiteMismatch => "suite_not_registered",
        SealError::WrongAddress => "wrong_section_or_bidder",
        SealError::BadSignature => "bad_signature",
        SealError::CommitmentMismatch => "content_key_mismatch",
        SealError::DoesNotDecrypt => "does_not_decrypt",
        SealError::CannotUnwrap => "cannot_unwrap",
        SealError::BadKey(_) => "bad_key",
        SealError::Cipher(_) => "cipher_failed",
    };
    FieldError::new(field, code, error.to_string())
}

/// The problem of public keys registered that do not validate, on the key it concerns.
pub fn key_problem(error: &SealError) -> FieldError {
    let field = if error.to_string().contains("verifying") { "verifying_key" } else { "encryption_key" };
    seal_problem(field, error)
}

/// The sealed files an envelope names (in its order) that are not among those its bidder
/// handed in for the section (`stored`): one problem each, naming its place in the list.
pub fn unstored_files(files: &[String], stored: &[String]) -> Vec<FieldError> {
    files
        .iter()
        .enumerate()
        .filter(|(_, sha256)| !stored.contains(sha256))
        .map(|(index, _)| {
            FieldError::new(
                format!("envelope.files[{index}]"),
                "sealed_file_not_stored",
                "未找到本投标人为本标段提交的此加密投标文件：先以 kind=sealed_bid_file 上传",
            )
        })
        .collect()
}

/// An envelope verified for a section and bidder: its receipt, the key it was sealed for
/// and the envelope to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedEnvelope {
    pub receipt_hash: String,
    pub key_id: String,
    pub envelope: String,
}

impl AcceptedEnvelope {
    /// The verified envelope as it is kept, sealed for the key `key_id`.
    pub fn of(envelope: &Envelope, key_id: String) -> Result<AcceptedEnvelope, String> {
        Ok(AcceptedEnvelope {
            receipt_hash: envelope.receipt().map_err(|e| e.to_string())?,
            key_id,
            envelope: serde_json::to_string(envelope).map_err(|e| e.to_string())?,
        })
    }

    /// What bid `bid_id` holds of it: in the bids table the envelope marker and the receipt,
    /// beside it the envelope itself. The envelope's commitment lives with the envelope; a
    /// bid's `commitment_hash` is the price-and-nonce commitment of platform-sealed bids.
    pub fn rows(self, bid_id: &str) -> (SealedBid, EnvelopeRow) {
        let sealed =
            SealedBid { sealed: ENVELOPE_MARKER.into(), receipt_hash: self.receipt_hash, commitment_hash: None };
        (sealed, envelope_row(bid_id.to_owned(), self.key_id, self.envelope))
    }
}

/// The envelope's content, opened with the revealed key: a bid in clear, itself neither an
/// envelope nor carrying a price commitment.
pub fn open_content(envelope: &Envelope, content_key: &[u8]) -> Result<SubmitBid, Vec<FieldError>> {
    let plain = envelope.open(content_key).map_err(|e| vec![seal_problem("content_key", &e)])?;
    let content: SubmitBid = serde_json::from_slice(&plain).map_err(|e| {
        vec![FieldError::new("content_key", "content_not_a_bid", format!("解密内容不是有效的投标文件：{e}"))]
    })?;
    decryption::plain_bid_only(content.envelope.is_some(), content.commitment_hash.is_some())
        .map_err(|problem| vec![problem])?;
    Ok(content)
}

/// The notice to each bidder of a section whose decryption window opened: decrypt before
/// `closes_at` (tendering.decryption_window).
pub fn decrypt_now(section_id: &str, closes_at: DateTime<Utc>) -> NotificationPayload {
    NotificationPayload::DecryptNow(DecryptNowNotice {
        section_id: section_id.to_owned(),
        closes_at,
        rule: ggzy_rules::rule_ids::DECRYPTION_WINDOW.into(),
    })
}

/// A bidder's own bids as its list shows them, each with what became of its envelope;
/// `outcomes` are the stored outcomes of those its bidder sealed: (bid id, outcome).
pub fn own_bids(rows: Vec<OwnBidRow>, outcomes: Vec<(String, Option<String>)>) -> Result<Vec<OwnBid>, StoredFault> {
    let envelopes = envelope_outcomes(outcomes)?;
    rows.into_iter()
        .map(|row| {
            let envelope = EnvelopeState::of(envelopes.get(&row.id).copied());
            OwnBid::from_row(row, envelope)
        })
        .collect()
}

/// The envelopes of a section's submitted bids (bids their bidders did not seal left out),
/// each with the outcome it has recorded, as the window's close decides on them. An envelope
/// that does not read is the platform's fault, here as when it is opened.
pub fn recorded_envelopes(
    bids: Vec<(BidRow, Option<EnvelopeRow>)>,
) -> Result<Vec<(BidRow, EnvelopeRow, Option<DecryptionOutcome>)>, StoredFault> {
    let mut envelopes = Vec::new();
    for (bid, row) in bids {
        let Some(row) = row else { continue };
        crate::sealed_bids::envelope_from_row(&row)?;
        let outcome = stored_opt("bid_envelopes.outcome", row.outcome.as_deref())?;
        envelopes.push((bid, row, outcome));
    }
    Ok(envelopes)
}

/// How far the decryption of a section's standing bids has come: each bid with its
/// bidder's envelope, if its bidder sealed it.
pub fn decryption_tally(bids: &[(BidRow, Option<EnvelopeRow>)]) -> Result<DecryptionTally, StoredFault> {
    let each = bids
        .iter()
        .map(|(_, envelope)| {
            envelope
                .as_ref()
                .map(|e| stored_opt::<DecryptionOutcome>("bid_envelopes.outcome", e.outcome.as_deref()))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DecryptionTally::count(each))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_seal::{SecretKeys, Suite};

    fn sealed(content: &[u8]) -> (Envelope, Vec<u8>) {
        let keys = SecretKeys::generate(Suite::Hpke).unwrap();
        ggzy_seal::seal(&keys, "s1", "b1", content).unwrap()
    }

    #[test]
    fn each_seal_error_is_its_own_code_on_the_field_named() {
        let problem = seal_problem("envelope", &SealError::WrongAddress);
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("envelope", "wrong_section_or_bidder"));
        assert_eq!(problem.message, SealError::WrongAddress.to_string());
        let key = seal_problem("content_key", &SealError::CommitmentMismatch);
        assert_eq!((key.field.as_str(), key.code.as_str()), ("content_key", "content_key_mismatch"));
        assert_eq!(seal_problem("envelope", &SealError::Malformed("x".into())).code, "malformed_envelope");
        assert_eq!(seal_problem("envelope", &SealError::UnknownSuite("x".into())).code, "unknown_suite");
        assert_eq!(seal_problem("envelope", &SealError::Cipher("x".into())).code, "cipher_failed");
    }

    #[test]
    fn a_key_problem_names_the_key_it_concerns() {
        let verifying = key_problem(&SealError::BadKey("verifying_key is not an Ed25519 public key".into()));
        assert_eq!((verifying.field.as_str(), verifying.code.as_str()), ("verifying_key", "bad_key"));
        let encryption = key_problem(&SealError::BadKey("encryption_key is not an X25519 public key".into()));
        assert_eq!((encryption.field.as_str(), encryption.code.as_str()), ("encryption_key", "bad_key"));
    }

    #[test]
    fn only_the_files_not_handed_in_are_named_by_their_place() {
        let files = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let problems = unstored_files(&files, &["b".to_owned()]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["envelope.files[0]", "envelope.files[2]"]);
        assert!(problems.iter().all(|p| p.code == "sealed_file_not_stored"));
        assert!(unstored_files(&files, &files).is_empty());
        assert!(unstored_files(&[], &[]).is_empty());
    }

    #[test]
    fn an_accepted_envelope_is_kept_whole_beside_a_marked_bid() {
        let (envelope, _) = sealed(br#"{"price":"1.00"}"#);
        let accepted = AcceptedEnvelope::of(&envelope, "k1".into()).unwrap();
        assert_eq!(accepted.receipt_hash, envelope.receipt().unwrap());
        let kept: Envelope = serde_json::from_str(&accepted.envelope).unwrap();
        assert_eq!(kept.commitment, envelope.commitment);
        let (bid, row) = accepted.clone().rows("bid1");
        assert_eq!((bid.sealed.as_str(), bid.receipt_hash.as_str()), (ENVELOPE_MARKER, accepted.receipt_hash.as_str()));
        assert_eq!(bid.commitment_hash, None, "the envelope's commitment stays with the envelope");
        assert_eq!((row.bid_id.as_str(), row.key_id.as_str()), ("bid1", "k1"));
        assert_eq!(row.envelope, accepted.envelope);
    }

    #[test]
    fn the_revealed_key_opens_a_plain_bid_only() {
        let (envelope, key) = sealed(br#"{"price":"985000.00","device_fingerprint":"d"}"#);
        let bid = open_content(&envelope, &key).unwrap();
        assert_eq!(bid.price.as_deref(), Some("985000.00"));
        assert_eq!(bid.device_fingerprint.as_deref(), Some("d"));
        let wrong = vec![0_u8; key.len()];
        assert_eq!(open_content(&envelope, &wrong).unwrap_err()[0].field, "content_key");

        let (not_a_bid, key) = sealed(br#"{"unknown":1}"#);
        assert_eq!(open_content(&not_a_bid, &key).unwrap_err()[0].code, "content_not_a_bid");
        let (committed, key) = sealed(br#"{"price":"1.00","commitment_hash":"ab"}"#);
        let refused = &open_content(&committed, &key).unwrap_err()[0];
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("content_key", "content_not_a_bid"));
        assert!(refused.message.contains("commitment_hash"), "{}", refused.message);
    }

    fn bid(id: &str) -> BidRow {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        BidRow {
            id: id.into(),
            section_id: "s1".into(),
            bidder_id: format!("bidder-{id}"),
            sealed: ENVELOPE_MARKER.into(),
            receipt_hash: "r".into(),
            commitment_hash: None,
            revealed_nonce: None,
            status: "submitted".into(),
            submitted_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn envelope(bid_id: &str, outcome: Option<&str>) -> Option<EnvelopeRow> {
        let (_, row) =
            AcceptedEnvelope { receipt_hash: "r".into(), key_id: "k".into(), envelope: "{}".into() }.rows(bid_id);
        Some(EnvelopeRow { outcome: outcome.map(str::to_owned), ..row })
    }

    #[test]
    fn a_window_closes_on_the_envelopes_with_their_outcomes_and_refuses_one_that_does_not_read() {
        let (sealed_envelope, _) = sealed(br#"{"price":"1.00"}"#);
        let readable = |bid_id: &str, outcome: Option<&str>| {
            let row = EnvelopeRow {
                envelope: serde_json::to_string(&sealed_envelope).unwrap(),
                ..envelope(bid_id, outcome).unwrap()
            };
            Some(row)
        };
        let platform_sealed = BidRow { sealed: "sealed-by-platform".into(), ..bid("b0") };
        let bids = vec![
            (platform_sealed, None),
            (bid("b1"), readable("b1", None)),
            (bid("b2"), readable("b2", Some("revoked"))),
        ];
        let recorded = recorded_envelopes(bids).unwrap();
        let seen: Vec<_> =
            recorded.iter().map(|(bid, row, outcome)| (bid.id.as_str(), row.bid_id.as_str(), *outcome)).collect();
        assert_eq!(seen, [("b1", "b1", None), ("b2", "b2", Some(DecryptionOutcome::Revoked))]);
        assert!(recorded_envelopes(vec![(bid("b3"), envelope("b3", None))]).is_err(), "an envelope that does not read");
        assert!(recorded_envelopes(vec![(bid("b4"), readable("b4", Some("lost")))]).is_err(), "an unknown outcome");
    }

    #[test]
    fn bidders_are_told_to_decrypt_before_the_window_closes() {
        let closes_at =
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap().and_utc();
        let NotificationPayload::DecryptNow(notice) = decrypt_now("s1", closes_at) else { panic!("another notice") };
        assert_eq!((notice.section_id.as_str(), notice.closes_at), ("s1", closes_at));
        assert_eq!(notice.rule, ggzy_rules::rule_ids::DECRYPTION_WINDOW);
    }

    #[test]
    fn own_bids_show_whether_their_bidder_sealed_them_and_what_became_of_it() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        let row = |id: &str| OwnBidRow {
            id: id.into(),
            section_id: "s1".into(),
            project_id: "p1".into(),
            project_code: "P-1".into(),
            project_name: "工程".into(),
            status: "submitted".into(),
            submitted_at: at,
            updated_at: at,
        };
        let outcomes = vec![("b".to_owned(), Some("decrypted".to_owned())), ("c".to_owned(), None)];
        let bids = own_bids(vec![row("a"), row("b"), row("c")], outcomes).unwrap();
        let ids: Vec<&str> = bids.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "c"]);
        assert!(!bids[0].sealed_by_bidder);
        assert!(bids[1].sealed_by_bidder && bids[2].sealed_by_bidder);
        assert_eq!(bids[1].decryption_outcome, Some(DecryptionOutcome::Decrypted));
        assert_eq!(bids[2].decryption_outcome, None);
        let fault = own_bids(vec![row("a")], vec![("a".to_owned(), Some("lost".to_owned()))]).unwrap_err();
        assert_eq!(fault.column, "bid_envelopes.outcome");
    }

    #[test]
    fn the_tally_counts_every_bid_and_each_envelope_by_its_outcome() {
        let bids = vec![
            (bid("a"), None),
            (bid("b"), envelope("b", None)),
            (bid("c"), envelope("c", Some("decrypted"))),
            (bid("d"), envelope("d", Some("revoked"))),
            (bid("e"), envelope("e", Some("withdrawn"))),
        ];
        let tally = decryption_tally(&bids).unwrap();
        assert_eq!((tally.bids, tally.sealed_by_bidders), (5, 4));
        assert_eq!((tally.pending, tally.decrypted, tally.revoked, tally.withdrawn), (1, 1, 1, 1));
        assert_eq!(decryption_tally(&[]).unwrap(), DecryptionTally::default());
        let unknown = vec![(bid("x"), envelope("x", Some("lost")))];
        assert_eq!(decryption_tally(&unknown).unwrap_err().column, "bid_envelopes.outcome");
    }
}
