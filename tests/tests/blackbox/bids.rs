//! Sealed bids: nothing leaks before the deadline, the deadline is exact, opening publishes
//! the record. New sections take envelopes their bidders seal and decrypt at the opening;
//! sections announced before bidder sealing keep the platform's sealing (bids in clear
//! sealed on arrival, salted receipts, commitments verified at the opening).

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::envelopes::{announced_before_bidder_sealing, change_bid, open_bids, place_bid};
use crate::projects::commit;
use crate::{get, post, register, resident_id, send, BINARY};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const PLANTED_PRICE: &str = "8765432.19";

pub struct Tender {
    pub server: Server,
    pub project: Value,
    pub section: String,
    pub tenderer: String,
    pub witness: String,
}

pub fn tender(backend: Backend) -> Option<Tender> {
    let server = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00")])?;
    let admin = server.token("platform_admin", None);
    let witness =
        post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "w", "name": "见证人"}));
    let tenderer = register(&server, "91110000600037341L", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let token = server.token("tenderer", Some(&tenderer));
    let project = post(
        &server,
        "/api/v1/projects",
        Some(&token),
        &json!({
        "name": "某工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works", "sector": "building",
        "funding": "state_funded", "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
        "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();
    // Deadline and opening: 2026-11-23 10:00 Beijing time.
    let announced = post(
        &server,
        &format!("/api/v1/projects/{}/announcements", project.body["id"].as_str().unwrap()),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": SHA}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    assert_eq!(announced.status, 201, "{}", announced.text);
    Some(Tender {
        server,
        project: project.body,
        section,
        tenderer,
        witness: witness.body["id"].as_str().unwrap().to_owned(),
    })
}

/// A committed bidder with its bond held and a project manager; returns (id, token, manager).
pub fn ready_bidder(server: &Server, section: &str, code: &str, id_body: &str) -> (String, String, String) {
    let id = register(server, code, &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let token = server.token("bidder", Some(&id));
    let held = post(
        server,
        &format!("/api/v1/sections/{section}/bonds"),
        Some(&token),
        &json!({"form": "transfer", "amount": "20000.00", "payer_account": {"bank": "中国银行", "number": "6222", "is_basic_account": true}}),
    );
    assert_eq!(held.status, 201, "{}", held.text);
    let centre = server.token("centre_staff", Some("centre"));
    let manager = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "项目经理", "id_number": resident_id(id_body), "employer_id": id}),
    );
    (id, token, manager.body["id"].as_str().unwrap().to_owned())
}

pub fn bid_body(price: &str, manager: &str, commitment: Option<String>) -> Value {
    let mut body = json!({"price": price, "documents": [{"title": "投标文件", "sha256": SHA}],
        "project_manager_id": manager, "device_fingerprint": format!("device-{manager}")});
    if let Some(hash) = commitment {
        body["commitment_hash"] = json!(hash);
    }
    body
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn nothing_leaks_before_the_deadline_and_opening_publishes(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let (first, first_token, first_manager) =
        ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let (second, second_token, second_manager) =
        ready_bidder(server, &t.section, "91110108551385082Q", "11010519800101002");
    let (third, _, third_manager) = ready_bidder(server, &t.section, "9144030071526726XG", "11010519800101003");
    // A new section takes no bid in clear: the price would reach the platform.
    let bid_path = format!("/api/v1/sections/{}/bids", t.section);
    let plain = post(server, &bid_path, Some(&first_token), &bid_body(PLANTED_PRICE, &first_manager, None));
    assert_eq!(plain.problem(422, "rule-violation")["rule"]["id"], "tendering.bidder_sealing");
    // The bidders seal their bids themselves: the platform holds an envelope it cannot open.
    let first_bid = place_bid(server, &t.section, &first_token, &bid_body(PLANTED_PRICE, &first_manager, None));
    assert_eq!(first_bid.status, 201, "{}", first_bid.text);
    assert_eq!(first_bid.body["sealed_by_bidder"], true, "{}", first_bid.text);
    assert!(first_bid.body.get("content").is_none(), "nobody reads an envelope: {}", first_bid.text);
    assert!(first_bid.body.get("receipt_salt").is_none(), "an envelope's receipt has no salt: {}", first_bid.text);
    assert!(first_bid.body["receipt_hash"].as_str().is_some_and(|r| r.len() == 64), "{}", first_bid.text);
    let first_id = first_bid.body["id"].as_str().unwrap().to_owned();
    let own = get(server, &format!("/api/v1/bids/{first_id}"), Some(&first_token));
    assert_eq!((own.status, own.body["sealed_by_bidder"].clone()), (200, json!(true)), "{}", own.text);
    assert!(!own.text.contains(PLANTED_PRICE), "not even the bidder's own read shows the price: {}", own.text);
    let second_bid = place_bid(server, &t.section, &second_token, &bid_body("999000.00", &second_manager, None));
    assert_eq!(second_bid.status, 201, "{}", second_bid.text);
    let second_id = second_bid.body["id"].as_str().unwrap().to_owned();

    // Every read route, for every role, before the deadline: neither the price nor the bid
    // id (so not even the number of bids) appears.
    let project_id = t.project["id"].as_str().unwrap();
    let readers = [
        server.token("tenderer", Some(&t.tenderer)),
        server.token("centre_staff", Some("centre")),
        server.token("industry_regulator", Some("zjw")),
        server.token("comprehensive_regulator", Some("gongguanban")),
        server.token("inspector", Some("jijian")),
        second_token.clone(),
    ];
    let paths = [
        format!("/api/v1/projects/{project_id}"),
        "/api/v1/projects".to_owned(),
        "/api/v1/public/announcements".to_owned(),
        format!("/api/v1/public/sections/{}/opening-record", t.section),
        format!("/api/v1/bids/{first_id}"),
        "/api/v1/bonds/overdue".to_owned(),
        "/api/v1/audit/verification".to_owned(),
        "/api/v1/ledger/verification".to_owned(),
        format!("/api/v1/participants/{first}/credit-report"),
        "/metrics".to_owned(),
    ];
    for token in &readers {
        for path in &paths {
            let reply = get(server, path, Some(token));
            assert!(reply.status < 500, "{path}: {}", reply.text);
            assert!(!reply.text.contains(PLANTED_PRICE), "{path} leaks the price: {}", reply.text);
            assert!(!reply.text.contains(&first_id), "{path} leaks the bid: {}", reply.text);
        }
    }
    get(server, &format!("/api/v1/bids/{first_id}"), Some(&readers[0])).problem(404, "not-found");
    // The tendering project itself reads fine for its tenderer while the bids stay hidden.
    let seen = get(server, &format!("/api/v1/projects/{project_id}"), Some(&readers[0]));
    assert_eq!(seen.body["status"], "tendering", "{}", seen.text);
    // Nor does the database, the server's files or its log: the price never reached it.
    let found = crate::secrecy::at_rest(server, PLANTED_PRICE);
    assert!(found.is_empty(), "the price at rest: {found:?}");
    for line in server.log_lines() {
        assert!(!line.contains(PLANTED_PRICE), "the price in the log: {line}");
    }

    // One second before the deadline a bid is taken and another replaced; at the deadline
    // both are refused.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T09:59:59+08:00")]);
    let third_token = server.token("bidder", Some(&third));
    let last = place_bid(&server, &t.section, &third_token, &bid_body("1000000.00", &third_manager, None));
    assert_eq!(last.status, 201, "{}", last.text);
    let second_token = server.token("bidder", Some(&second));
    let changed = change_bid(&server, &second_id, &second_token, &bid_body("990000.00", &second_manager, None));
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_ne!(changed.body["receipt_hash"], second_bid.body["receipt_hash"], "a new envelope, a new receipt");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let (_, late_token, late_manager) = late_bidder(&server);
    place_bid(&server, &t.section, &late_token, &bid_body("1.00", &late_manager, None)).problem(409, "conflict");
    let first_token = server.token("bidder", Some(&first));
    change_bid(&server, &first_id, &first_token, &bid_body("1.00", &first_manager, None)).problem(409, "conflict");

    // The tenderer opens with the centre as witness: the bidders decrypt in the window first.
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let opening = format!("/api/v1/sections/{}/opening", t.section);
    post(&server, &opening, Some(&tenderer), &json!({"witness_id": "not-staff"})).problem(422, "validation-failed");
    let early = post(&server, &opening, Some(&tenderer), &json!({"witness_id": t.witness}));
    assert_eq!(early.problem(422, "rule-violation")["rule"]["id"], "tendering.decryption_window");
    let record = open_bids(&server, &t.section, &tenderer, &t.witness);
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.body["outcome"], "opened");
    assert_eq!(record.body["bid_count"], 3);
    let prices: Vec<&str> =
        record.body["bids"].as_array().unwrap().iter().filter_map(|b| b["price"].as_str()).collect();
    assert_eq!(prices.len(), 3, "{}", record.text);
    for price in [PLANTED_PRICE, "990000.00", "1000000.00"] {
        assert!(prices.contains(&price), "{price} opened as last sealed: {}", record.text);
    }
    let public = get(&server, &format!("/api/v1/public/sections/{}/opening-record", t.section), None);
    assert!(public.text.contains(PLANTED_PRICE));
    let read = get(&server, &format!("/api/v1/bids/{first_id}"), Some(&tenderer));
    assert_eq!(read.body["content"]["price"], PLANTED_PRICE, "{}", read.text);
    assert_eq!(read.body["receipt_hash"], first_bid.body["receipt_hash"], "the receipt stays the envelope's");
    post(&server, &opening, Some(&tenderer), &json!({"witness_id": t.witness})).problem(409, "conflict");

    // An objection at the opening is answered on the spot and written into the record.
    let project_path = format!("/api/v1/projects/{project_id}/objections");
    let objection = json!({"stage": "opening", "section_id": t.section, "content": "第三份投标文件密封不完整"});
    let raised = post(&server, &project_path, Some(&first_token), &objection);
    assert_eq!(raised.status, 201, "{}", raised.text);
    let objection_id = raised.body["id"].as_str().unwrap().to_owned();
    let public_path = format!("/api/v1/public/sections/{}/opening-record", t.section);
    let pending = get(&server, &public_path, None);
    assert_eq!(pending.body["objections"][0]["objection_id"], objection_id.as_str(), "{}", pending.text);
    assert_eq!(pending.body["objections"][0]["answer"], Value::Null);
    let answered = post(
        &server,
        &format!("/api/v1/objections/{objection_id}/answer"),
        Some(&tenderer),
        &json!({"answer": "经现场核查，密封完好"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let recorded = get(&server, &public_path, None);
    assert_eq!(recorded.body["objections"][0]["answer"], "经现场核查，密封完好", "{}", recorded.text);
    assert_eq!(recorded.body["bid_count"], 3, "the record itself is unchanged");
}

/// A section announced by a build from before bidder sealing keeps the platform's sealing:
/// bids in clear are sealed on arrival (never at rest in clear), an envelope is not taken,
/// a bidder may commit to its price and reveal its nonce after the deadline, and the
/// section opens without a decryption window, the commitment verified.
fn a_section_announced_before_bidder_sealing_keeps_the_platforms_sealing(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    // The subject is the platform's own sealing, which only sections announced before
    // bidder sealing keep: right after its announcement, the section is made one of those.
    announced_before_bidder_sealing(&t.server, &t.section);
    let server = &t.server;
    let (first, first_token, first_manager) =
        ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let (_, second_token, second_manager) = ready_bidder(server, &t.section, "91110108551385082Q", "11010519800101002");
    let (_, third_token, third_manager) = ready_bidder(server, &t.section, "9144030071526726XG", "11010519800101003");
    let bid_path = format!("/api/v1/sections/{}/bids", t.section);
    // An envelope is not taken here: the platform seals this section's bids.
    let envelope = place_bid(server, &t.section, &second_token, &bid_body("990000.00", &second_manager, None));
    assert_eq!(envelope.problem(422, "validation-failed")["errors"][0]["code"], "envelope_not_taken");
    // The first bidder commits to its price with a nonce it keeps.
    let commitment = sha256(&format!("{PLANTED_PRICE}:k3y-only-the-bidder-knows"));
    let first_bid =
        post(server, &bid_path, Some(&first_token), &bid_body(PLANTED_PRICE, &first_manager, Some(commitment.clone())));
    assert_eq!(first_bid.status, 201, "{}", first_bid.text);
    assert_eq!(first_bid.body["sealed_by_bidder"], false, "{}", first_bid.text);
    assert_eq!(first_bid.body["content"]["price"], PLANTED_PRICE, "the bidder sees its own bid");
    assert_eq!(first_bid.body["commitment_hash"], commitment.as_str());
    assert!(first_bid.body["receipt_salt"].is_string(), "{}", first_bid.text);
    let first_id = first_bid.body["id"].as_str().unwrap().to_owned();
    for (token, body) in [
        (&second_token, bid_body("990000.00", &second_manager, None)),
        (&third_token, bid_body("1000000.00", &third_manager, None)),
    ] {
        let placed = post(server, &bid_path, Some(token), &body);
        assert_eq!(placed.status, 201, "{}", placed.text);
    }
    get(server, &format!("/api/v1/bids/{first_id}"), Some(&server.token("tenderer", Some(&t.tenderer))))
        .problem(404, "not-found");
    // The price is sealed at rest.
    let found = crate::secrecy::at_rest(server, PLANTED_PRICE);
    assert!(found.is_empty(), "the price stored in clear: {found:?}");

    // At the deadline a bid in clear is no longer taken nor changed.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let (_, late_token, late_manager) = late_bidder(&server);
    post(&server, &bid_path, Some(&late_token), &bid_body("1.00", &late_manager, None)).problem(409, "conflict");
    let first_token = server.token("bidder", Some(&first));
    send(
        server.client().put(server.url(&format!("/api/v1/bids/{first_id}"))).bearer_auth(&first_token).json(&bid_body(
            "1.00",
            &first_manager,
            None,
        )),
    )
    .problem(409, "conflict");

    // The bidder reveals its nonce; the section opens with no decryption window.
    let revealed = post(
        &server,
        &format!("/api/v1/bids/{first_id}/reveal"),
        Some(&first_token),
        &json!({"nonce": "k3y-only-the-bidder-knows"}),
    );
    assert_eq!(revealed.status, 200, "{}", revealed.text);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let record = post(
        &server,
        &format!("/api/v1/sections/{}/opening", t.section),
        Some(&tenderer),
        &json!({"witness_id": t.witness}),
    );
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.body["outcome"], "opened");
    assert_eq!(record.body["bid_count"], 3);
    let planted = record.body["bids"].as_array().unwrap().iter().find(|b| b["price"] == PLANTED_PRICE).unwrap();
    assert_eq!(planted["commitment"], "verified");
    let public = get(&server, &format!("/api/v1/public/sections/{}/opening-record", t.section), None);
    assert!(public.text.contains(PLANTED_PRICE));
    assert_eq!(
        get(&server, &format!("/api/v1/bids/{first_id}"), Some(&tenderer)).body["content"]["price"],
        PLANTED_PRICE
    );
}

/// A bidder who comes at the deadline (no bond needed: the deadline refuses it first).
fn late_bidder(server: &Server) -> (String, String, String) {
    let id = register(server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let token = server.token("bidder", Some(&id));
    let centre = server.token("centre_staff", Some("centre"));
    let manager = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "迟到", "id_number": resident_id("11010519800101009"), "employer_id": id}),
    );
    (id, token, manager.body["id"].as_str().unwrap().to_owned())
}

/// HMAC-SHA256 of `message` keyed by the hex `salt`: what a bidder recomputes.
fn keyed_receipt(salt_hex: &str, message: &[u8]) -> String {
    use hmac::Mac;
    let salt = hex::decode(salt_hex).unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&salt).unwrap();
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

fn receipts_confirm_nothing_without_their_salt(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    // Salted receipts are the platform's sealing, which only sections announced before
    // bidder sealing keep (an envelope's receipt is the hash of the signed envelope): right
    // after its announcement, the section is made one of those.
    announced_before_bidder_sealing(&t.server, &t.section);
    let server = &t.server;
    let (_, token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let body = bid_body(PLANTED_PRICE, &manager, None);
    let bid = post(server, &format!("/api/v1/sections/{}/bids", t.section), Some(&token), &body);
    assert_eq!(bid.status, 201, "{}", bid.text);
    let receipt = bid.body["receipt_hash"].as_str().unwrap().to_owned();
    let salt = bid.body["receipt_salt"].as_str().expect("the bidder is given its receipt's salt").to_owned();
    // serde_json's map keeps keys sorted: the canonical form of the content.
    let canonical = serde_json::to_vec(&bid.body["content"]).unwrap();
    assert_eq!(keyed_receipt(&salt, &canonical), receipt, "the bidder can check its receipt");
    assert_ne!(sha256(&String::from_utf8(canonical.clone()).unwrap()), receipt, "a guessed content is not confirmed");
    // The same content again has another receipt.
    let id = bid.body["id"].as_str().unwrap();
    let again = send(server.client().put(server.url(&format!("/api/v1/bids/{id}"))).bearer_auth(&token).json(&body));
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["content"], bid.body["content"]);
    assert_ne!(again.body["receipt_hash"], bid.body["receipt_hash"], "identical bids share no receipt");
    let new_salt = again.body["receipt_salt"].as_str().unwrap();
    assert_eq!(keyed_receipt(new_salt, &canonical), again.body["receipt_hash"].as_str().unwrap());
}

both_backends!(
    nothing_leaks_before_the_deadline_and_opening_publishes,
    a_section_announced_before_bidder_sealing_keeps_the_platforms_sealing,
    receipts_confirm_nothing_without_their_salt
);
