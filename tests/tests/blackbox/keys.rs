//! Rotating the bid master key on both databases: bids their bidders sealed, an answer
//! stored under the old key, and the bids decrypted at the opening time (sealed then with
//! the section's key, wrapped by the old master key); the server restarted with the new key
//! and the old one as previous reads them; `ggzy keys rotate-bid-master` re-wraps
//! everything in one go; then the old key is dropped and the section still opens with
//! every price. A previous key that opens nothing makes the rotation fail and change
//! nothing.

use std::process::{Command, Output};

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{decrypt_bids, place_bid, seal, sealing_key};
use crate::{get, post, send, BINARY};

/// The section's deadline and opening time (`bids::tender`).
const OPENING: &str = "manual:2026-11-23T10:00:00+08:00";
const NEW_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn rotate(server: &Server, current: &str, previous: &str) -> Output {
    Command::new(BINARY)
        .args(["keys", "rotate-bid-master"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GGZY_DATABASE_URL", &server.database.url)
        .env("GGZY_DATA_DIR", server.data_dir.path())
        .env("GGZY_PII_KEY", ggzy_blackbox::TEST_PII_KEY)
        .env("GGZY_BID_MASTER_KEY", current)
        .env("GGZY_BID_MASTER_KEY_PREVIOUS", previous)
        .env("GGZY_LOG", "warn")
        .output()
        .expect("run ggzy")
}

fn the_bid_master_key_rotates_without_losing_a_bid(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let old_key = std::fs::read_to_string(t.server.data_dir.path().join("bid-master-key")).unwrap();
    let (bidder, token, manager) = ready_bidder(&t.server, &t.section, "914403001922038216", "11010519800101001");
    // A bid the bidder sealed, whose answer is stored (sealed with the master key) under its
    // Idempotency-Key.
    let envelope = seal(&t.server, &t.section, &token, &bid_body("987654.32", &manager, None));
    let submit = |server: &Server, token: &str| {
        send(
            server
                .client()
                .post(server.url(&format!("/api/v1/sections/{}/bids", t.section)))
                .bearer_auth(token)
                .header("idempotency-key", "bid-0001")
                .json(&json!({ "envelope": envelope })),
        )
    };
    let first = submit(&t.server, &token);
    assert_eq!(first.status, 201, "{}", first.text);
    let bid = first.body["id"].as_str().unwrap().to_owned();
    // Two more bids, so that the section opens.
    for (code, id_body, price) in [
        ("91110108551385082Q", "11010519800101002", "990000.00"),
        ("9144030071526726XG", "11010519800101003", "995000.00"),
    ] {
        let (_, other, other_manager) = ready_bidder(&t.server, &t.section, code, id_body);
        let placed = place_bid(&t.server, &t.section, &other, &bid_body(price, &other_manager, None));
        assert_eq!(placed.status, 201, "{}", placed.text);
    }

    // Step 0: at the opening time, still under the old key alone, the window opens and every
    // bidder decrypts: each price is now sealed with the section's key, wrapped by the old key.
    let server = t.server.restart(&[("GGZY_CLOCK", OPENING)]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    decrypt_bids(&server, &t.section, &tenderer);
    let token = server.token("bidder", Some(&bidder));
    let content_key = ggzy_seal::recover_content_key(&sealing_key(&server, &bidder, &token), &envelope)
        .expect("the bidder opens its own envelope");
    let decrypted = post(
        &server,
        &format!("/api/v1/bids/{bid}/decryption"),
        Some(&token),
        &json!({ "content_key": ggzy_seal::encode_key(&content_key) }),
    );
    assert_eq!(decrypted.body["content"]["price"], "987654.32", "{}", decrypted.text);

    // Step 1: the new key current, the old one previous: everything still opens.
    let server = server.restart(&[
        ("GGZY_CLOCK", OPENING),
        ("GGZY_BID_MASTER_KEY", NEW_KEY),
        ("GGZY_BID_MASTER_KEY_PREVIOUS", &old_key),
    ]);
    let token = server.token("bidder", Some(&bidder));
    let read = get(&server, &format!("/api/v1/bids/{bid}"), Some(&token));
    assert_eq!(read.body["content"]["price"], "987654.32", "{}", read.text);
    let replayed = submit(&server, &token);
    assert_eq!((replayed.status, replayed.body["id"].clone()), (201, json!(bid)), "{}", replayed.text);

    // A previous key that opens nothing: the rotation fails and changes nothing.
    let wrong = rotate(&server, NEW_KEY, &"ab".repeat(32));
    assert_eq!(wrong.status.code(), Some(2), "{}", String::from_utf8_lossy(&wrong.stdout));
    // Step 2: the rotation re-wraps the section key and re-seals the stored answer.
    let rotated = rotate(&server, NEW_KEY, &old_key);
    assert!(rotated.status.success(), "{}", String::from_utf8_lossy(&rotated.stderr));
    let report: serde_json::Value = serde_json::from_slice(&rotated.stdout).unwrap();
    assert_eq!(report["section_keys_rewrapped"], 1, "{report}");
    assert!(report["answers_resealed"].as_u64().unwrap() >= 1, "{report}");
    let again: serde_json::Value = serde_json::from_slice(&rotate(&server, NEW_KEY, &old_key).stdout).unwrap();
    assert_eq!((again["section_keys_rewrapped"].clone(), again["section_keys_current"].clone()), (json!(0), json!(1)));

    // Step 3: the old key gone; the section opens with every price, and the stored answer
    // still replays.
    let server = server.restart(&[("GGZY_CLOCK", OPENING), ("GGZY_BID_MASTER_KEY", NEW_KEY)]);
    let token = server.token("bidder", Some(&bidder));
    let read = get(&server, &format!("/api/v1/bids/{bid}"), Some(&token));
    assert_eq!(read.body["content"]["price"], "987654.32", "{}", read.text);
    let replayed = submit(&server, &token);
    assert_eq!((replayed.status, replayed.body["id"].clone()), (201, json!(bid)), "{}", replayed.text);
    let opened = post(
        &server,
        &format!("/api/v1/sections/{}/opening", t.section),
        Some(&server.token("tenderer", Some(&t.tenderer))),
        &json!({"witness_id": t.witness}),
    );
    assert_eq!((opened.status, opened.body["outcome"].clone()), (200, json!("opened")), "{}", opened.text);
    assert_eq!(opened.body["bid_count"], 3, "{}", opened.text);
    for price in ["987654.32", "990000.00", "995000.00"] {
        assert!(opened.text.contains(price), "{price}: {}", opened.text);
    }
}

both_backends!(the_bid_master_key_rotates_without_losing_a_bid);
