//! Bids sealed by the bidder: three bidders seal offline with `ggzy bid` (one HPKE/Ed25519,
//! two SM2/SM3/SM4-GCM), the platform refuses plain and tampered bids, never holds the price
//! before the opening, and at the opening two decrypt online while one does not: it is
//! revoked and the opening fails for want of three bids.

use std::path::Path;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder};
use crate::{get, post, register, send, BINARY};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const PRICES: [&str; 3] = ["8765432.19", "8765001.27", "8769876.53"];

struct SealedTender {
    server: Server,
    project: String,
    section: String,
    tenderer: String,
    witness: String,
}

fn sealed_tender(backend: Backend) -> Option<SealedTender> {
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
        &json!({"name": "某工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
            "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
            "sections": [{"name": "一标段", "estimated_amount": "10000000.00"}],
            "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();
    let project = project.body["id"].as_str().unwrap().to_owned();
    let body = |extra: Value| {
        let mut body = json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
            "documents": [{"title": "招标文件", "sha256": SHA}],
            "sections": [{"section_id": section, "bond_amount": "20000.00"}], "bid_sealing": "bidder"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let path = format!("/api/v1/projects/{project}/announcements");
    // Every new section is sealed by its bidders: the platform's own sealing is not offered.
    let platform = post(&server, &path, Some(&token), &body(json!({"bid_sealing": "platform"})));
    assert_eq!(platform.problem(422, "validation-failed")["errors"][0]["code"], "platform_sealing_closed");
    let too_long = post(&server, &path, Some(&token), &body(json!({"decryption_window_minutes": 500})));
    assert_eq!(too_long.problem(422, "validation-failed")["errors"][0]["code"], "window_out_of_range");
    // JSON Schema's integers include 500.0: the same answer, not a malformed body.
    let too_long = post(&server, &path, Some(&token), &body(json!({"decryption_window_minutes": 500.0})));
    assert_eq!(too_long.problem(422, "validation-failed")["errors"][0]["code"], "window_out_of_range");
    let announced = post(&server, &path, Some(&token), &body(json!({})));
    assert_eq!(announced.status, 201, "{}", announced.text);
    assert_eq!(announced.body["decryption_window_minutes"], 30, "the rule set's default");
    Some(SealedTender { server, project, section, tenderer, witness: witness.body["id"].as_str().unwrap().to_owned() })
}

fn ggzy(server: &Server, args: &[&str]) -> Value {
    let output = server.cli(args);
    assert!(output.status.success(), "ggzy {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from ggzy bid")
}

fn seal(server: &Server, key: &Path, section: &str, bidder: &str, price: &str, manager: &str) -> Value {
    ggzy(
        server,
        &[
            "bid",
            "seal",
            "--key",
            key.to_str().unwrap(),
            "--section",
            section,
            "--bidder",
            bidder,
            "--price",
            price,
            "--manager",
            manager,
            "--document",
            &format!("投标文件={SHA}"),
        ],
    )
}

fn bidders_seal_decrypt_and_one_is_revoked(backend: Backend) {
    let Some(t) = sealed_tender(backend) else { return };
    let server = &t.server;
    let tools = tempfile::tempdir().unwrap();
    let codes = [
        ("914403001922038216", "11010519800101001"),
        ("91110108551385082Q", "11010519800101002"),
        ("9144030071526726XG", "11010519800101003"),
    ];
    let suites = ["hpke", "sm", "sm"];
    let mut bidders = Vec::new();
    for ((code, person), suite) in codes.iter().zip(suites) {
        let (id, token, manager) = ready_bidder(server, &t.section, code, person);
        let key = tools.path().join(format!("{id}.key"));
        let public = ggzy(server, &["bid", "keygen", "--suite", suite, "--out", key.to_str().unwrap()]);
        let registered = post(server, &format!("/api/v1/participants/{id}/sealing-keys"), Some(&token), &public);
        assert_eq!(registered.status, 201, "{}", registered.text);
        bidders.push((id, token, manager, key));
    }
    let bids_path = format!("/api/v1/sections/{}/bids", t.section);

    // A bid in clear is refused in a section announced for bidder sealing.
    let (first, first_token, first_manager, first_key) = &bidders[0];
    let plain = post(server, &bids_path, Some(first_token), &bid_body(PRICES[0], first_manager, None));
    assert_eq!(plain.problem(422, "rule-violation")["rule"]["id"], "tendering.bidder_sealing");
    assert!(plain.error_fields().contains(&"price".to_owned()), "{}", plain.text);

    // Tampering, each refused with its own problem and nothing stored.
    let envelope = seal(server, first_key, &t.section, first, PRICES[0], first_manager);
    let mut changed = envelope.clone();
    let ciphertext = changed["ciphertext"].as_str().unwrap().to_owned();
    let flipped = if ciphertext.starts_with('A') { "B" } else { "A" };
    changed["ciphertext"] = json!(format!("{flipped}{}", &ciphertext[1..]));
    let refused = post(server, &bids_path, Some(first_token), &json!({"envelope": changed}));
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "bad_signature");
    let by_another = seal(server, &bidders[1].3, &t.section, first, PRICES[0], first_manager);
    let refused = post(server, &bids_path, Some(first_token), &json!({"envelope": by_another}));
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "suite_not_registered");
    let other_hpke = tools.path().join("other.key");
    ggzy(server, &["bid", "keygen", "--suite", "hpke", "--out", other_hpke.to_str().unwrap()]);
    let forged = seal(server, &other_hpke, &t.section, first, PRICES[0], first_manager);
    let refused = post(server, &bids_path, Some(first_token), &json!({"envelope": forged}));
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "bad_signature");
    let elsewhere = seal(server, first_key, "another-section", first, PRICES[0], first_manager);
    let refused = post(server, &bids_path, Some(first_token), &json!({"envelope": elsewhere}));
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "wrong_section_or_bidder");

    // Three envelopes in, each with its bid file sealed by the same tool under the bid's key
    // and handed in first.
    let mut bid_ids = Vec::new();
    let mut bid_files = Vec::new();
    for ((id, token, manager, key), price) in bidders.iter().zip(PRICES) {
        let file = tools.path().join(format!("{id}.pdf"));
        let bytes = format!("%PDF-1.7 投标函：投标报价 {price} 元。\n").repeat(2000).into_bytes();
        std::fs::write(&file, &bytes).unwrap();
        let envelope = ggzy(
            server,
            &[
                "bid",
                "seal",
                "--key",
                key.to_str().unwrap(),
                "--section",
                &t.section,
                "--bidder",
                id,
                "--price",
                price,
                "--manager",
                manager,
                "--file",
                &format!("投标文件={}", file.display()),
            ],
        );
        let sealed_path = format!("{}.sealed", file.display());
        let sealed = std::fs::read(&sealed_path).expect("ggzy bid seal writes the sealed file beside it");
        let sealed_hash = envelope["files"][0].as_str().expect("the envelope lists its sealed file").to_owned();
        let handed_in = send(
            server
                .client()
                .post(server.url(&format!(
                    "/api/v1/documents?kind=sealed_bid_file&section_id={}&title=sealed&sha256={sealed_hash}",
                    t.section
                )))
                .bearer_auth(token)
                .body(sealed),
        );
        assert_eq!(handed_in.status, 201, "{}", handed_in.text);
        bid_files.push(bytes);
        let placed = post(server, &bids_path, Some(token), &json!({"envelope": envelope}));
        assert_eq!(placed.status, 201, "{}", placed.text);
        assert_eq!(placed.body["sealed_by_bidder"], true);
        assert!(placed.body.get("content").is_none(), "the platform cannot show what it cannot read");
        bid_ids.push((placed.body["id"].as_str().unwrap().to_owned(), envelope));
    }

    // With the database, the server's keys and its log in hand before the opening, no
    // price is anywhere: it never reached the server.
    let holds_a_price = |bytes: &[u8]| PRICES.iter().find(|p| bytes.windows(p.len()).any(|w| w == p.as_bytes()));
    // Every file of the server's data directory (the document store with the sealed bid
    // files included) and of the database.
    let mut places = vec![server.data_dir.path().to_owned()];
    places.extend(server.database.sqlite_dir().map(Path::to_owned));
    let mut files_read = 0;
    while let Some(dir) = places.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                places.push(path);
            } else if path.is_file() {
                let price = holds_a_price(&std::fs::read(&path).unwrap());
                assert!(price.is_none(), "{price:?} in {}", path.display());
                files_read += 1;
            }
        }
    }
    assert!(files_read >= 4, "the three sealed bid files and the database were read");
    if backend == Backend::Postgres {
        // The whole database as its operator would dump it, every table in text.
        let dump = std::process::Command::new("pg_dump")
            .args(["--dbname", &server.database.url, "--data-only", "--no-owner"])
            .output()
            .expect("run pg_dump");
        assert!(dump.status.success(), "pg_dump: {}", String::from_utf8_lossy(&dump.stderr));
        assert!(
            String::from_utf8_lossy(&dump.stdout).contains("bid_envelopes"),
            "the dump holds the envelopes (the check can see what it looks for)"
        );
        let price = holds_a_price(&dump.stdout);
        assert!(price.is_none(), "{price:?} in the PostgreSQL database");
    }
    for line in server.log_lines() {
        assert!(!PRICES.iter().any(|p| line.contains(p)), "a price in the log: {line}");
    }

    // The opening: the window first; no record while it runs with bids undecided.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let opening = format!("/api/v1/sections/{}/opening", t.section);
    let early = post(&server, &opening, Some(&tenderer), &json!({"witness_id": t.witness}));
    assert_eq!(early.problem(422, "rule-violation")["rule"]["id"], "tendering.decryption_window");
    let window =
        post(&server, &format!("/api/v1/sections/{}/decryption-window", t.section), Some(&tenderer), &json!({}));
    assert_eq!(window.status, 200, "{}", window.text);
    assert_eq!(window.body["closes_at"], "2026-11-23T02:30:00Z");
    let told = get(&server, "/api/v1/notifications", Some(&server.token("bidder", Some(&bidders[2].0))));
    assert!(
        told.body["items"].as_array().unwrap().iter().any(|n| n["kind"] == "bid.decrypt_now"),
        "every bidder of the section is told to decrypt: {}",
        told.text
    );

    // The first two decrypt; a wrong key is refused and changes nothing.
    let key_of = |n: usize| {
        ggzy(
            &server,
            &["bid", "open-key", "--key", bidders[n].3.to_str().unwrap(), "--envelope", &{
                let file = tools.path().join(format!("envelope-{n}.json"));
                std::fs::write(&file, bid_ids[n].1.to_string()).unwrap();
                file.to_str().unwrap().to_owned()
            }],
        )
    };
    let decrypt = |n: usize, key: &Value| {
        post(
            &server,
            &format!("/api/v1/bids/{}/decryption", bid_ids[n].0),
            Some(&server.token("bidder", Some(&bidders[n].0))),
            key,
        )
    };
    let wrong = decrypt(1, &key_of(0));
    assert_eq!(wrong.problem(422, "validation-failed")["errors"][0]["code"], "content_key_mismatch");
    for (n, price) in PRICES.iter().enumerate().take(2) {
        let opened = decrypt(n, &key_of(n));
        assert_eq!(opened.status, 200, "{}", opened.text);
        assert_eq!(opened.body["content"]["price"], *price);
        // The bid file opened with the same key (HPKE's AES-256-GCM, then SM4-GCM).
        let document = &opened.body["content"]["documents"][0];
        let file = server
            .client()
            .get(server.url(&format!(
                "/api/v1/bids/{}/documents/{}",
                bid_ids[n].0,
                document["sha256"].as_str().unwrap()
            )))
            .bearer_auth(server.token("bidder", Some(&bidders[n].0)))
            .send()
            .unwrap();
        assert_eq!(file.status().as_u16(), 200);
        assert!(file.bytes().unwrap().to_vec() == bid_files[n], "the file as the bidder wrote it");
    }
    let again = decrypt(0, &key_of(0));
    again.problem(409, "conflict");
    post(&server, &opening, Some(&tenderer), &json!({"witness_id": t.witness})).problem(409, "conflict");

    // The window closes: the third is revoked, and two bids are too few.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:30:00+08:00")]);
    let late = post(
        &server,
        &format!("/api/v1/bids/{}/decryption", bid_ids[2].0),
        Some(&server.token("bidder", Some(&bidders[2].0))),
        &ggzy(
            &server,
            &["bid", "open-key", "--key", bidders[2].3.to_str().unwrap(), "--envelope", &{
                let file = tools.path().join("envelope-2.json");
                std::fs::write(&file, bid_ids[2].1.to_string()).unwrap();
                file.to_str().unwrap().to_owned()
            }],
        ),
    );
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "tendering.decryption_window");
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let record = post(&server, &opening, Some(&tenderer), &json!({"witness_id": t.witness}));
    assert_eq!(record.status, 200, "{}", record.text);
    assert_eq!(record.body["outcome"], "failed", "construction.min_bidders: {}", record.text);
    assert_eq!(record.body["bid_count"], 2);
    assert_eq!(record.body["not_opened"][0]["bidder_id"], bidders[2].0.as_str());
    assert_eq!(record.body["not_opened"][0]["outcome"], "revoked");
    // A failed opening shows no bid, and so none of their files, though two were decrypted.
    let documents = get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&tenderer));
    assert_eq!(documents.status, 200, "{}", documents.text);
    assert!(
        !documents.body.as_array().unwrap().iter().any(|d| d["kind"] == "bid_file" || d["kind"] == "sealed_bid_file"),
        "no bid file after a failed opening: {}",
        documents.text
    );
    let public = get(&server, &format!("/api/v1/public/sections/{}/opening-record", t.section), None);
    assert_eq!(public.body["not_opened"][0]["outcome"], "revoked", "{}", public.text);

    // The books and the audit chains hold.
    for check in [["audit", "verify"], ["ledger", "verify"]] {
        let verified = server.cli(&check);
        assert!(verified.status.success(), "ggzy {check:?}: {}", String::from_utf8_lossy(&verified.stderr));
    }
    let _ = t.project;
}

both_backends!(bidders_seal_decrypt_and_one_is_revoked);
