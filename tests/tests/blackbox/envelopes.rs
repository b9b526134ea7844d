//! The bidders' side of sealing, for the whole suite. Every section announced now takes
//! envelopes only (tendering.bidder_sealing), so each bidder of a test keeps its own sealing
//! key (generated and registered at its first bid), seals its bids with `ggzy-seal` as a
//! bidder's own tool would, and decrypts them when the tender's staff open the decryption
//! window at the opening. `sealed_by_bidder.rs` drives the same through the `ggzy bid` CLI.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use base64::Engine;
use ggzy_blackbox::Server;
use ggzy_seal::{Envelope, SecretKeys, Suite};
use serde_json::{json, Value};

use crate::{get, post, send, Reply};

/// A bid the suite sealed: where it went, whose it is, and the envelope as sent.
struct SealedBid {
    section: String,
    bidder: String,
    envelope: Envelope,
}

/// Sealing keys by bidder id (ids are fresh per database, so one map serves every server).
fn keys() -> MutexGuard<'static, HashMap<String, SecretKeys>> {
    static KEYS: OnceLock<Mutex<HashMap<String, SecretKeys>>> = OnceLock::new();
    KEYS.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Envelopes by bid id, the latest of each bid.
fn sealed_bids() -> MutexGuard<'static, HashMap<String, SealedBid>> {
    static BIDS: OnceLock<Mutex<HashMap<String, SealedBid>>> = OnceLock::new();
    BIDS.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The participant a bidder's token acts for (its `org` claim).
pub fn bidder_of(token: &str) -> String {
    let claims = token.split('.').nth(1).expect("a JWT");
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claims).expect("base64url claims");
    let claims: Value = serde_json::from_slice(&claims).expect("JSON claims");
    claims["org"].as_str().expect("a bidder token names its participant").to_owned()
}

/// The bidder's sealing key; the first call generates one (HPKE and Ed25519, the faster
/// suite; `sealed_by_bidder.rs` covers SM2) and registers its public half.
pub fn sealing_key(server: &Server, bidder: &str, token: &str) -> SecretKeys {
    if let Some(key) = keys().get(bidder) {
        return key.clone();
    }
    let key = SecretKeys::generate(Suite::Hpke).expect("generate sealing keys");
    let public = serde_json::to_value(key.public().expect("public keys")).expect("public keys as JSON");
    let registered = post(server, &format!("/api/v1/participants/{bidder}/sealing-keys"), Some(token), &public);
    assert_eq!(registered.status, 201, "registering {bidder}'s sealing key: {}", registered.text);
    keys().insert(bidder.to_owned(), key.clone());
    key
}

/// A bid's content sealed for a section by the bidder `token` acts for.
pub fn seal(server: &Server, section: &str, token: &str, content: &Value) -> Envelope {
    let bidder = bidder_of(token);
    let key = sealing_key(server, &bidder, token);
    let plain = serde_json::to_vec(content).expect("bid content as JSON");
    ggzy_seal::seal(&key, section, &bidder, &plain).expect("seal a bid").0
}

/// Submits `content` (the fields of a bid) sealed in an envelope, as the bidder would.
pub fn place_bid(server: &Server, section: &str, token: &str, content: &Value) -> Reply {
    let envelope = seal(server, section, token, content);
    let placed =
        post(server, &format!("/api/v1/sections/{section}/bids"), Some(token), &json!({ "envelope": envelope }));
    if placed.status == 201 {
        let id = placed.body["id"].as_str().expect("a bid id").to_owned();
        sealed_bids().insert(id, SealedBid { section: section.to_owned(), bidder: bidder_of(token), envelope });
    }
    placed
}

/// A bid whose documents are files, as a bidder's tool hands it in: a content key first,
/// each file sealed under it (`ggzy-bid-file-v1`) and handed in as a `sealed_bid_file` of
/// the section, then the content — its `documents` the files' titles and hashes — sealed
/// under the same key into an envelope listing the sealed files. Answers the submission
/// and the sealed files' hashes.
pub fn place_bid_with_files(
    server: &Server,
    section: &str,
    token: &str,
    content: &Value,
    files: &[(&str, &[u8])],
) -> (Reply, Vec<String>) {
    let bidder = bidder_of(token);
    let key = sealing_key(server, &bidder, token);
    let content_key = ggzy_seal::new_content_key(key.suite);
    let mut documents = Vec::new();
    let mut sealed_files = Vec::new();
    for (title, bytes) in files {
        let mut sealed = Vec::new();
        let file = ggzy_seal::seal_file(key.suite, &content_key, section, &bidder, *bytes, &mut sealed)
            .expect("seal a bid file");
        let uploaded = send(
            server
                .client()
                .post(server.url(&format!(
                    "/api/v1/documents?kind=sealed_bid_file&section_id={section}&title=sealed&sha256={}",
                    file.sealed_sha256
                )))
                .bearer_auth(token)
                .header("Content-Type", "application/octet-stream")
                .body(sealed),
        );
        assert_eq!(uploaded.status, 201, "handing in a sealed bid file: {}", uploaded.text);
        assert_eq!(uploaded.body["kind"], "sealed_bid_file");
        documents.push(json!({"title": title, "sha256": file.sha256}));
        sealed_files.push(file.sealed_sha256);
    }
    let mut content = content.clone();
    content["documents"] = json!(documents);
    let plain = serde_json::to_vec(&content).expect("bid content as JSON");
    let envelope = ggzy_seal::seal_with_key(&key, section, &bidder, &plain, &content_key, sealed_files.clone())
        .expect("seal a bid with files");
    let placed =
        post(server, &format!("/api/v1/sections/{section}/bids"), Some(token), &json!({ "envelope": envelope }));
    if placed.status == 201 {
        let id = placed.body["id"].as_str().expect("a bid id").to_owned();
        sealed_bids().insert(id, SealedBid { section: section.to_owned(), bidder, envelope });
    }
    (placed, sealed_files)
}

/// Replaces a bid before the deadline with a new envelope of `content`.
pub fn change_bid(server: &Server, bid: &str, token: &str, content: &Value) -> Reply {
    let section = sealed_bids().get(bid).map(|b| b.section.clone()).unwrap_or_else(|| "unknown-section".into());
    let envelope = seal(server, &section, token, content);
    let changed =
        send(server.client().put(server.url(&format!("/api/v1/bids/{bid}"))).bearer_auth(token).json(&json!({
            "envelope": envelope
        })));
    if changed.status == 200 {
        sealed_bids().insert(bid.to_owned(), SealedBid { section, bidder: bidder_of(token), envelope });
    }
    changed
}

/// At the opening time: the tender's staff open the section's decryption window and every
/// bidder of the section whose bid still stands decrypts it.
pub fn decrypt_bids(server: &Server, section: &str, tender_token: &str) {
    decrypt_bids_except(server, section, tender_token, &[]);
}

/// As `decrypt_bids`, but the bidders named in `silent` do not decrypt.
pub fn decrypt_bids_except(server: &Server, section: &str, tender_token: &str, silent: &[&str]) {
    let window = post(server, &format!("/api/v1/sections/{section}/decryption-window"), Some(tender_token), &json!({}));
    assert_eq!(window.status, 200, "the decryption window of {section}: {}", window.text);
    decrypt_in_open_window(server, section, silent);
}

/// Every bidder of the section whose bid still stands, but those named in `silent`,
/// decrypts it in the window already open.
pub fn decrypt_in_open_window(server: &Server, section: &str, silent: &[&str]) {
    let ours: Vec<(String, String, Envelope)> = sealed_bids()
        .iter()
        .filter(|(_, b)| b.section == section && !silent.contains(&b.bidder.as_str()))
        .map(|(id, b)| (id.clone(), b.bidder.clone(), b.envelope.clone()))
        .collect();
    for (bid, bidder, envelope) in ours {
        let token = server.token("bidder", Some(&bidder));
        if get(server, &format!("/api/v1/bids/{bid}"), Some(&token)).body["status"] != "submitted" {
            continue;
        }
        let key = keys().get(&bidder).cloned().expect("the bidder's key");
        let content_key = ggzy_seal::recover_content_key(&key, &envelope).expect("the bidder opens its own envelope");
        let decrypted = post(
            server,
            &format!("/api/v1/bids/{bid}/decryption"),
            Some(&token),
            &json!({ "content_key": ggzy_seal::encode_key(&content_key) }),
        );
        assert_eq!(decrypted.status, 200, "decrypting bid {bid}: {}", decrypted.text);
    }
}

/// The opening of a section: its bids decrypted in the window, then the opening record.
pub fn open_bids(server: &Server, section: &str, tender_token: &str, witness: &str) -> Reply {
    decrypt_bids(server, section, tender_token);
    post(server, &format!("/api/v1/sections/{section}/opening"), Some(tender_token), &json!({ "witness_id": witness }))
}

/// Makes a freshly announced section what a section announced by a build from before bidder
/// sealing looks like in the database (no `bidder_sealed_sections` row): the platform seals its
/// bids on arrival. For the tests of that older path only, which databases still hold.
pub fn announced_before_bidder_sealing(server: &Server, section: &str) {
    crate::audit::tamper(server, &[&format!("DELETE FROM bidder_sealed_sections WHERE section_id = '{section}'")])
        .expect("remove the section's bidder sealing");
}
