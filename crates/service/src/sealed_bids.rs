//! Bids sealed by the bidder (crate ggzy-seal): bidders register the public keys they seal
//! with; a section announced for bidder sealing takes envelopes only, verified on
//! submission (format, address, the bidder's signature) and stored as they came — the
//! platform never holds a key that opens them. At the opening the tender's staff open a
//! decryption window; each bidder reveals its content key, checked against the envelope's
//! commitment; the content is then validated and sealed like any other bid. When the window
//! closes, a bid not decrypted is revoked (撤销, the bidder's fault) unless the centre
//! recorded the platform's fault (撤回, with the platform's liability), and the opening
//! goes on with the decrypted bids (电子招标投标办法 §30, §31, as the platform reads them).

use ggzy_kernel::Answer;
use ggzy_seal::{Envelope, PublicKeys, SealError, Suite};
use ggzy_store::sealing::{self as repo, EnvelopeRow, SealingKeyRow};
use ggzy_store::DbConnection;
use ggzy_trading::decryption;
pub use ggzy_trading::decryption::{DecryptBid, DecryptionFailure, OpenedFile, RegisterSealingKey};
pub use ggzy_trading::lifecycle::DecryptionOutcome;
use ggzy_trading::opening;
pub use ggzy_trading::opening::NotOpenedBid;

use crate::policy::{authorize, authorized, Action};
use crate::proceedings::NotificationKind;
use crate::stored::stored;
use crate::{utc, Principal, ServiceError};
use ggzy_views::bids::next_version;
use ggzy_views::envelopes::{decrypt_now, key_problem, open_content, recorded_envelopes, seal_problem, unstored_files};
use ggzy_views::sealed_bids::{
    bid_file_row, decrypted_entry, envelope_from_row, failure_entry, public_keys, sealing_key_entry, sealing_key_row,
    window_entry, FileUploader,
};
pub use ggzy_views::sealed_bids::{DecryptionPlan, DecryptionWindow, SealedEnvelope, SealingKey};

/// A refusal of an envelope or a reveal, naming what is wrong.
fn refusal(field: &str, error: &SealError) -> ServiceError {
    ServiceError::Invalid(vec![seal_problem(field, error)])
}

pub(crate) use ggzy_views::envelopes::{AcceptedEnvelope, ENVELOPE_MARKER};

/// Checks an envelope for a section and bidder against the bidder's registered key, and
/// that every sealed file it names was handed in by this bidder for this section.
pub(crate) fn accept_envelope(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: &str,
    bidder_key: Option<&SealingKeyRow>,
    envelope: SealedEnvelope,
) -> Result<AcceptedEnvelope, ServiceError> {
    let key = bidder_key.ok_or_else(decryption::no_sealing_key)?;
    let envelope: Envelope = envelope.into();
    envelope.verify(section_id, bidder_id, &public_keys(key)?).map_err(|e| refusal("envelope", &e))?;
    let kind = ggzy_rules::DocumentKind::SealedBidFile.as_str();
    let stored = ggzy_store::documents::bid_files_among(conn, section_id, bidder_id, kind, &envelope.files)?;
    let missing = unstored_files(&envelope.files, &stored);
    if !missing.is_empty() {
        return Err(ServiceError::Invalid(missing));
    }
    AcceptedEnvelope::of(&envelope, key.id.clone()).map_err(ServiceError::Internal)
}

/// The stored envelope of a bid, if its bidder sealed it.
pub(crate) fn envelope_of(
    conn: &mut DbConnection,
    bid_id: &str,
) -> Result<Option<(EnvelopeRow, Envelope)>, ServiceError> {
    let Some(row) = repo::envelope(conn, bid_id)? else { return Ok(None) };
    let envelope = envelope_from_row(&row)?;
    Ok(Some((row, envelope)))
}

/// Closes a bidder-sealed section's window at the opening: every envelope without an
/// outcome is revoked, every bid not decrypted leaves the section. Returns the bids not
/// opened, for the record. Refuses while the window runs and bids are still undecided.
pub(crate) fn close_window(
    conn: &mut DbConnection,
    section_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<Vec<NotOpenedBid>, ServiceError> {
    let Some(section) = repo::sealed_section(conn, section_id)? else { return Ok(Vec::new()) };
    let envelopes = recorded_envelopes(ggzy_store::bids::submitted_with_envelopes(conn, section_id)?)?;
    let recorded: Vec<Option<DecryptionOutcome>> = envelopes.iter().map(|(_, _, outcome)| *outcome).collect();
    let closed = opening::close_envelopes(section.window_closes_at, &recorded, now).map_err(Answer::from)?;
    let mut not_opened = Vec::new();
    for ((mut bid, row, _), closed) in envelopes.into_iter().zip(closed) {
        let opening::ClosedEnvelope { outcome, decided_now, bid_after } = closed;
        if decided_now {
            repo::decide(conn, &bid.id, outcome.as_str(), now, None)?;
        }
        // A bid not decrypted leaves the section.
        let Some(status) = bid_after else { continue };
        bid.status = status.as_str().into();
        crate::bids::store_bid(conn, next_version(&mut bid, now), &bid)?;
        not_opened.push(NotOpenedBid {
            bidder_name: crate::bids::bidder_name(conn, &bid.bidder_id)?,
            bidder_id: bid.bidder_id,
            outcome,
            note: row.note,
        });
    }
    Ok(not_opened)
}

fn revealed_key(request: &DecryptBid) -> Result<Vec<u8>, ServiceError> {
    let key_text = decryption::read_content_key(request).map_err(ServiceError::Invalid)?;
    ggzy_seal::decode_key(&key_text).map_err(|e| refusal("content_key", &e))
}

/// The caller's own bid, still an envelope awaiting its outcome, within an open window.
fn decryptable(
    conn: &mut DbConnection,
    principal: &Principal,
    bid_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<(ggzy_store::bids::BidRow, Envelope), ServiceError> {
    let bid = ggzy_store::bids::find(conn, bid_id)?
        .filter(|b| authorize(Some(principal), Action::DecryptBid { bidder_id: &b.bidder_id }).is_ok())
        .ok_or(ServiceError::NotFound { what: "bid" })?;
    let (row, envelope) = opening::bidders_envelope(envelope_of(conn, bid_id)?).map_err(|refusal| refusal.answer())?;
    let status = stored("bids.status", &bid.status)?;
    let closes_at = repo::sealed_section(conn, &bid.section_id)?.and_then(|w| w.window_closes_at);
    opening::may_decrypt(status, closes_at, row.outcome.is_some(), now)
        .map_err(|refusal| ServiceError::from(refusal.answer()))?;
    Ok((bid, envelope))
}

impl crate::contexts::Tendering<'_> {
    /// A bidder registers the public keys it seals with; the latest is the one in use.
    #[tracing::instrument(skip_all, fields(participant_id = %participant_id))]
    pub fn register_sealing_key(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
        request: RegisterSealingKey,
    ) -> Result<SealingKey, ServiceError> {
        let principal = authorized(principal, Action::RegisterSealingKey { participant_id })?;
        let decryption::SealingKeyValues { suite, encryption_key, verifying_key } =
            decryption::read_sealing_key(request, Suite::parse).map_err(ServiceError::Invalid)?;
        let public = PublicKeys { suite, encryption_key, verifying_key };
        public.validate().map_err(|e| ServiceError::Invalid(vec![key_problem(&e)]))?;
        let now = self.now_naive();
        let row = sealing_key_row(self.fresh_id(), participant_id, public, now, principal.actor());
        self.store().write(|conn| {
            ggzy_store::participants::find(conn, participant_id)?
                .ok_or(ServiceError::NotFound { what: "participant" })?;
            repo::insert_key(conn, &row)?;
            crate::record_entry(conn, principal, now, sealing_key_entry(&row))?;
            let registered = SealingKey::from(row.clone());
            // The answer is kept with the change, so a retry after a crash replays it.
            crate::idempotency::answer_created(self, conn, principal, &registered)?;
            Ok(registered)
        })
    }

    /// A participant's registered sealing keys, latest first (public keys: any caller with a
    /// token).
    pub fn sealing_keys(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
    ) -> Result<Vec<SealingKey>, ServiceError> {
        principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            ggzy_store::participants::find(conn, participant_id)?
                .ok_or(ServiceError::NotFound { what: "participant" })?;
            Ok(repo::keys_of(conn, participant_id)?.into_iter().map(SealingKey::from).collect())
        })
    }

    /// The tender's staff open the decryption window of a bidder-sealed section at or after
    /// the opening time (tendering.decryption_window).
    #[tracing::instrument(skip_all, fields(section_id = %section_id))]
    pub fn open_decryption_window(
        &self,
        principal: Option<&Principal>,
        section_id: &str,
    ) -> Result<DecryptionWindow, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let project = self.at_opening_time(conn, principal, section_id, now)?;
            let sealed =
                opening::bidder_sealed_section(repo::sealed_section(conn, section_id)?).map_err(Answer::from)?;
            let closes_at = opening::window_closes(now, sealed.window_minutes);
            if !repo::open_window(conn, section_id, now, closes_at)? {
                return Err(Answer::from(opening::WindowRefusal::AlreadyOpened).into());
            }
            crate::record_entry(
                conn,
                principal_ref,
                now,
                window_entry(&project.id, section_id, closes_at, sealed.window_minutes),
            )?;
            // Each bidder of the section is told to decrypt now. Not copied to webhook
            // subscribers: until the opening record a bid that fails to decrypt is revoked and
            // its bidder never named.
            let bidders: Vec<String> =
                ggzy_store::bids::submitted(conn, section_id)?.into_iter().map(|b| b.bidder_id).collect();
            self.notify_each(
                conn,
                &bidders,
                Some(&project.id),
                NotificationKind::BidDecryptNow,
                &decrypt_now(section_id, utc(closes_at)),
                false,
            )?;
            Ok(DecryptionWindow::opened(section_id, now, closes_at))
        })
    }

    /// What decrypting a bid needs first (read only): the same checks as the decryption,
    /// the revealed key against the envelope's commitment and the content opened with it.
    /// The gateway then opens the sealed files it names from the document store
    /// (`DecryptionPlan::files`) and hands what it stored to [`crate::contexts::Tendering::decrypt_bid`].
    #[tracing::instrument(skip_all, fields(bid_id = %bid_id))]
    pub fn plan_decryption(
        &self,
        principal: Option<&Principal>,
        bid_id: &str,
        request: &DecryptBid,
    ) -> Result<DecryptionPlan, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let content_key = revealed_key(request)?;
        let now = self.now_naive();
        self.store().read(|conn| {
            let (bid, envelope) = decryptable(conn, principal, bid_id, now)?;
            let content = open_content(&envelope, &content_key).map_err(ServiceError::Invalid)?;
            decryption::documents_match_files(envelope.files.len(), content.documents.as_ref().map(Vec::len))
                .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
            Ok(DecryptionPlan {
                suite: envelope.suite().map_err(|e| refusal("envelope", &e))?,
                content_key: content_key.clone(),
                section_id: bid.section_id,
                bidder_id: bid.bidder_id,
                files: envelope.files,
            })
        })
    }

    /// The bidder decrypts its bid online within the window by revealing its content key:
    /// it must match the envelope's commitment, the content must decrypt under it and be a
    /// valid bid, and where the bid carries sealed files, `opened` (what the gateway opened
    /// from them and stored) must be exactly the documents the content names. Only then is
    /// anything recorded: the bid and, as `bid_file` documents, its files.
    #[tracing::instrument(skip_all, fields(bid_id = %bid_id))]
    pub fn decrypt_bid(
        &self,
        principal: Option<&Principal>,
        bid_id: &str,
        request: DecryptBid,
        opened: &[OpenedFile],
    ) -> Result<crate::bids::Bid, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let content_key = revealed_key(&request)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let (mut bid, envelope) = decryptable(conn, principal, bid_id, now)?;
            let content = open_content(&envelope, &content_key).map_err(ServiceError::Invalid)?;
            let files = decryption::carried_files(&envelope.files, content.documents.as_deref(), opened)
                .map_err(ServiceError::Invalid)?;
            let section =
                ggzy_store::projects::section(conn, &bid.section_id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            // Validated and sealed like a bid the platform seals: from here on it is one.
            let sealed =
                self.seal_bid(conn, &crate::bids::BidPlace::of(&bid, &section.project_id), content.split().0)?;
            bid.sealed = sealed.sealed;
            crate::bids::store_bid(conn, next_version(&mut bid, now), &bid)?;
            if !repo::decide(conn, bid_id, DecryptionOutcome::Decrypted.as_str(), now, None)? {
                return Err(opening::DecryptRefusal::AlreadyDecided.answer().into());
            }
            let uploader = FileUploader::of(principal, &bid.bidder_id, now);
            let place = (section.project_id.as_str(), bid.section_id.as_str());
            let rows = files
                .iter()
                .map(|(title, file)| bid_file_row(self.fresh_id(), (title, file), place, uploader.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            // A file the bidder handed in before is filed once.
            let kind = ggzy_rules::DocumentKind::BidFile.as_str();
            ggzy_store::documents::file_bid_files(conn, &bid.section_id, &bid.bidder_id, kind, rows)?;
            // Until the opening record the act stays on the section's sealed chain.
            let audit_chain = crate::bids::bidding_chain(conn, &section.project_id, &bid.section_id)?;
            crate::record_entry(
                conn,
                principal,
                now,
                decrypted_entry(audit_chain, bid_id, &bid.section_id, &envelope.commitment, &files),
            )?;
            self.bid_view_in(conn, bid, true)
        })
    }

    /// The bid files a bid carries, for whoever reads the bid after the opening (the
    /// committee of its section included), by the SHA-256 its content names: the file as
    /// its bidder wrote it, stored when the bid was decrypted.
    #[tracing::instrument(skip_all, fields(bid_id = %bid_id))]
    pub fn bid_document(
        &self,
        principal: Option<&Principal>,
        bid_id: &str,
        sha256: &str,
    ) -> Result<crate::documents::DownloadGrant, ServiceError> {
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        self.store().read(|conn| {
            let row = ggzy_store::bids::find(conn, bid_id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            let own = self.readable_bid(conn, principal, &row)?;
            let bid = self.bid_view_in(conn, row, own)?;
            let kind = ggzy_rules::DocumentKind::BidFile.as_str();
            let stored = if bid.content.as_ref().is_some_and(|c| c.names_document(sha256)) {
                ggzy_store::documents::bid_file(conn, &bid.section_id, &bid.bidder_id, kind, sha256)?
            } else {
                None
            };
            Ok(stored.ok_or(ServiceError::NotFound { what: "document" })?.into())
        })
    }

    /// The centre records that a bid could not be decrypted through the platform's fault:
    /// the bid is withdrawn (撤回), not revoked, and the platform's liability is on record.
    #[tracing::instrument(skip_all, fields(bid_id = %bid_id))]
    pub fn record_decryption_failure(
        &self,
        principal: Option<&Principal>,
        bid_id: &str,
        request: DecryptionFailure,
    ) -> Result<(), ServiceError> {
        let principal = authorized(principal, Action::RecordDecryptionFailure)?;
        let reason = decryption::read_decryption_failure(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let bid = ggzy_store::bids::find(conn, bid_id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            // Each fact is read only while the ones before it allow the failure.
            let window_opened = repo::sealed_section(conn, &bid.section_id)?.and_then(|w| w.window_opened_at).is_some();
            let envelope = window_opened && envelope_of(conn, bid_id)?.is_some();
            let opened = envelope && ggzy_store::bids::opening(conn, &bid.section_id)?.is_some();
            decryption::may_record_failure(window_opened, envelope, opened).map_err(|refusal| {
                refusal.answer().map_or(ServiceError::NotFound { what: "bid" }, ServiceError::from)
            })?;
            if !repo::decide(conn, bid_id, DecryptionOutcome::Withdrawn.as_str(), now, Some(&reason))? {
                return Err(opening::DecryptRefusal::AlreadyDecided.answer().into());
            }
            let section =
                ggzy_store::projects::section(conn, &bid.section_id)?.ok_or(ServiceError::NotFound { what: "bid" })?;
            let audit_chain = crate::bids::bidding_chain(conn, &section.project_id, &bid.section_id)?;
            crate::record_entry(conn, principal, now, failure_entry(audit_chain, bid_id, &reason))?;
            Ok(())
        })
    }
}
