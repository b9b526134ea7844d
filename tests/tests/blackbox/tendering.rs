//! Announcements and the bonds behind bids: the bidding period and bond caps, corrections,
//! deposits into the dedicated account, refunds that cannot happen twice, deadlines.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::projects::commit;
use crate::{get, post, register, send, BINARY};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// A server on a fixed clock with a registered project of the category; returns the
/// server, the tenderer token, the project and its first section id.
fn project(backend: Backend, clock: &str, category: &str) -> Option<(Server, String, Value, String)> {
    let server = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", clock)])?;
    let admin = server.token("platform_admin", None);
    post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "s", "name": "王芳"}));
    let tenderer = register(&server, "91110000600037341L", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let token = server.token("tenderer", Some(&tenderer));
    let mut body = json!({
        "name": "某工程", "tenderer_id": tenderer, "category": category, "funding": "state_funded",
        "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
        "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}],
    });
    if category == "construction" {
        body["subtype"] = json!("works");
        body["sector"] = json!("building");
    } else {
        body["subtype"] = json!("goods");
        body["procurement_organisation"] = json!("centralised");
    }
    let created = post(&server, "/api/v1/projects", Some(&token), &body);
    assert_eq!(created.status, 201, "{}", created.text);
    let section = created.body["sections"][0]["id"].as_str().unwrap().to_owned();
    Some((server, token, created.body, section))
}

/// Records the section's opening (a failed one, with the bids there are): from then on the
/// bonds are no longer sealed and their refunds may start.
fn open_section(server: &Server, token: &str, section: &str) {
    let staff = get(server, "/api/v1/departments/centre/staff", Some(&server.token("platform_admin", None)));
    let witness = staff.body[0]["id"].as_str().expect("the centre's staff member").to_owned();
    let opened =
        post(server, &format!("/api/v1/sections/{section}/opening"), Some(token), &json!({"witness_id": witness}));
    assert_eq!(opened.status, 200, "{}", opened.text);
}

fn announce(server: &Server, token: &str, project: &Value, section: &str, deadline: &str, bond: &str) -> crate::Reply {
    post(
        server,
        &format!("/api/v1/projects/{}/announcements", project["id"].as_str().unwrap()),
        Some(token),
        &json!({"bid_deadline": deadline, "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": SHA}],
                "sections": [{"section_id": section, "bond_amount": bond}]}),
    )
}

fn announcements_check_the_period_and_the_cap(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-11-02T09:00:00+08:00", "construction")
    else {
        return;
    };
    // Documents issued Mon 11-02: 20 days → 11-22 (Sunday) rolls to Mon 11-23, the earliest deadline.
    let short = announce(&server, &token, &project, &section, "2026-11-20T02:00:00Z", "20001.00");
    short.problem(422, "validation-failed");
    assert_eq!(short.error_fields(), vec!["sections[0].bond_amount", "bid_deadline"], "{}", short.text);
    assert!(short.text.contains("construction.bond.cap") && short.text.contains("2026-11-23"), "{}", short.text);
    let published = announce(&server, &token, &project, &section, "2026-11-23T02:00:00Z", "20000.00");
    assert_eq!(published.status, 201, "{}", published.text);

    // The published hash is the sha256 of the canonical content.
    let mut content = published.body.clone();
    for key in ["id", "published_at", "content_hash"] {
        content.as_object_mut().unwrap().remove(key);
    }
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(serde_json::to_string(&content).unwrap().as_bytes()));
    assert_eq!(published.body["content_hash"], digest);
    let public = get(&server, "/api/v1/public/announcements", None);
    assert_eq!(public.body["items"][0]["id"], published.body["id"]);

    // 11-09: 14 days before the 11-23 deadline, less than the 15-day clarification period.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-09T09:00:00+08:00")]);
    let token = server.token("tenderer", Some(project["tenderer_id"].as_str().unwrap()));
    let path = format!("/api/v1/announcements/{}/corrections", published.body["id"].as_str().unwrap());
    let late = post(
        &server,
        &path,
        Some(&token),
        &json!({"affects_preparation": true, "summary": "修改工程量清单",
        "documents": [{"title": "招标文件（修改）", "sha256": SHA}]}),
    );
    assert_eq!(late.problem(422, "validation-failed")["errors"][0]["code"], "clarification_too_late", "{}", late.text);
    let moved = post(
        &server,
        &path,
        Some(&token),
        &json!({"affects_preparation": true, "summary": "修改工程量清单并顺延截止时间",
        "bid_deadline": "2026-11-25T02:00:00Z", "documents": [{"title": "招标文件（修改）", "sha256": SHA}]}),
    );
    assert_eq!(moved.status, 201, "{}", moved.text);
    assert_eq!(moved.body["kind"], "correction");
    assert_eq!(moved.body["supersedes"], published.body["id"]);
    // The day's openings follow the correction: the section leaves 11-23 for the new time.
    let on = |day: &str| {
        let listed = get(&server, &format!("/api/v1/public/openings?from={day}&to={day}"), None);
        let opening: Vec<Value> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["section_id"] == section.as_str())
            .cloned()
            .collect();
        opening
    };
    assert_eq!(on("2026-11-23"), Vec::<Value>::new());
    let moved_opening = on(&moved.body["opening_at"].as_str().unwrap()[..10]);
    assert_eq!(moved_opening.len(), 1, "{}", moved.text);
    assert_eq!(moved_opening[0]["opening_at"], moved.body["opening_at"]);
    assert_eq!(moved_opening[0]["opening_place"], moved.body["opening_place"]);
}

/// A construction project registered on the clock's day (not announced).
pub fn construction_project(backend: Backend, clock: &str) -> Option<(Server, String, Value, String)> {
    project(backend, clock, "construction")
}

/// A procurement project announced on 2026-08-20 with its deadline on 09-15.
pub fn procurement_project(backend: Backend) -> Option<(Server, String, Value, String)> {
    let (server, token, project, section) = project(backend, "manual:2026-08-20T09:00:00+08:00", "procurement")?;
    assert_eq!(announce(&server, &token, &project, &section, "2026-09-15T02:00:00Z", "20000.00").status, 201);
    Some((server, token, project, section))
}

/// A registered bidder with its commitment: (id, token).
pub fn committed_bidder(server: &Server, n: u32) -> (String, String) {
    bidder(server, &code(n))
}

fn bidder(server: &Server, code: &str) -> (String, String) {
    let id = register(server, code, &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let token = server.token("bidder", Some(&id));
    (id, token)
}

fn deposit(server: &Server, token: &str, section: &str, body: Value) -> crate::Reply {
    post(server, &format!("/api/v1/sections/{section}/bonds"), Some(token), &body)
}

fn cash(amount: &str, basic: bool) -> Value {
    json!({"form": "transfer", "amount": amount, "payer_account": {"bank": "中国银行", "number": "6222", "is_basic_account": basic}})
}

/// Unified social credit codes for synthetic bidders: a fixed body with the check character
/// computed as GB 32100 says.
fn code(n: u32) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let body = format!("91110000{n:09}");
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| (b - b'0') as u32 * w).sum();
    format!("{body}{}", ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

fn refunds_happen_once_and_the_books_balance(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-11-02T09:00:00+08:00", "construction")
    else {
        return;
    };
    assert_eq!(announce(&server, &token, &project, &section, "2026-11-30T02:00:00Z", "20000.00").status, 201);
    let (_, first) = bidder(&server, &code(1));
    deposit(&server, &first, &section, cash("19999.99", true)).problem(422, "validation-failed");
    let not_basic = deposit(&server, &first, &section, cash("20000.00", false));
    assert_eq!(not_basic.problem(422, "rule-violation")["rule"]["id"], "construction.bond.basic_account");
    let uncommitted = register(&server, &code(999), &["bidder"])["id"].as_str().unwrap().to_owned();
    let refused = deposit(&server, &server.token("bidder", Some(&uncommitted)), &section, cash("20000.00", true));
    assert_eq!(refused.problem(403, "forbidden")["rule"]["id"], "credit.commitment");

    // 100 bidders deposit; every refund instruction is sent twice at once.
    let bidders: Vec<(String, String)> =
        (1..=100).map(|n| if n == 1 { (String::new(), first.clone()) } else { bidder(&server, &code(n)) }).collect();
    let bonds: Vec<String> = bidders
        .iter()
        .map(|(_, token)| {
            let held = deposit(&server, token, &section, cash("20000.00", true));
            assert_eq!(held.status, 201, "{}", held.text);
            assert_eq!(held.body["held"], "20000.00");
            held.body["id"].as_str().unwrap().to_owned()
        })
        .collect();
    deposit(&server, &first, &section, cash("20000.00", true)).problem(409, "conflict");
    // Before the opening only the bond desk sees (and so refunds) the deposits.
    let trading_staff = server.token("centre_staff", Some("centre"));
    let refused =
        post(&server, &format!("/api/v1/bonds/{}/refund-instructions", bonds[0]), Some(&trading_staff), &json!({}));
    refused.problem(404, "not-found");
    let centre = server.token_with_scope("centre_staff", Some("centre"), "bonds:desk");
    let statuses: Vec<(u16, u16)> = std::thread::scope(|scope| {
        let chunks: Vec<_> = bonds
            .chunks(5)
            .map(|chunk| {
                let (server, centre) = (&server, &centre);
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|bond| {
                            let path = format!("/api/v1/bonds/{bond}/refund-instructions");
                            let (a, b) = std::thread::scope(|inner| {
                                let one = inner
                                    .spawn(|| send(server.client().post(server.url(&path)).bearer_auth(centre)).status);
                                let two = inner
                                    .spawn(|| send(server.client().post(server.url(&path)).bearer_auth(centre)).status);
                                (one.join().unwrap(), two.join().unwrap())
                            });
                            let confirm = post(
                                server,
                                &format!("/api/v1/bonds/{bond}/refund-confirmations"),
                                Some(centre),
                                &json!({"paid": true, "bank_reference": format!("BANK-{bond}")}),
                            );
                            assert_eq!(confirm.status, 200, "{}", confirm.text);
                            (a.min(b), a.max(b))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.len(), 100);
    assert!(statuses.iter().all(|s| *s == (200, 409)), "{statuses:?}");
    let verify = server.cli(&["ledger", "verify"]);
    let books: Value = serde_json::from_slice(&verify.stdout).expect("ledger verify prints JSON");
    assert_eq!(books["valid"], true, "{books}");
    assert_eq!(books["transfers"], 300, "100 deposits, 100 pending refunds, 100 posts");
    let bond = get(&server, &format!("/api/v1/bonds/{}", bonds[0]), Some(&first));
    assert_eq!((bond.body["outcome"].clone(), bond.body["held"].clone()), (json!("refunded"), json!("0.00")));
    let verify = server.cli(&["ledger", "verify"]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
}

fn refund_deadlines_cross_national_day(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-08-20T09:00:00+08:00", "procurement")
    else {
        return;
    };
    assert_eq!(announce(&server, &token, &project, &section, "2026-09-15T02:00:00Z", "20000.00").status, 201);
    let (winner, winner_token) = bidder(&server, &code(1));
    let (_, loser_token) = bidder(&server, &code(2));
    let cash_refused = deposit(&server, &winner_token, &section, cash("20000.00", true));
    assert_eq!(cash_refused.problem(422, "rule-violation")["rule"]["id"], "procurement.bond.cap");
    let guarantee = json!({"form": "guarantee", "amount": "20000.00", "guarantee": {"issuer": "某银行", "number": "BH-1", "sha256": SHA}});
    assert_eq!(deposit(&server, &winner_token, &section, guarantee.clone()).status, 201);
    let loser_bond = deposit(&server, &loser_token, &section, guarantee);
    assert_eq!(loser_bond.status, 201, "{}", loser_bond.text);

    // Award notice on Tue 2026-09-29: losers within 5 working days — 09-30 (1), 10-01..07
    // holiday, 10-08 (2), 10-09 (3), Sat 10-10 make-up (4), Mon 10-12 (5).
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-09-29T10:00:00+08:00")]);
    let token = server.token("tenderer", Some(project["tenderer_id"].as_str().unwrap()));
    // Before the opening record no refund may start: it would list who deposited.
    let sealed = post(
        &server,
        &format!("/api/v1/sections/{section}/bond-events"),
        Some(&token),
        &json!({"event": "award_notice", "winner_id": winner}),
    );
    sealed.problem(409, "conflict");
    open_section(&server, &token, &section);
    let started = post(
        &server,
        &format!("/api/v1/sections/{section}/bond-events"),
        Some(&token),
        &json!({"event": "award_notice", "winner_id": winner}),
    );
    assert_eq!(started.status, 200, "{}", started.text);
    assert_eq!(started.body.as_array().unwrap().len(), 1, "only the loser's clock starts");
    assert_eq!(started.body[0]["refund_rule"], "procurement.bond.refund_losers");
    assert_eq!(started.body[0]["refund_deadline"], "2026-10-12T16:00:00Z");

    let centre_overdue = |server: &Server| {
        get(server, "/api/v1/bonds/overdue", Some(&server.token("industry_regulator", Some("czj")))).body
    };
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-10-12T23:59:00+08:00")]);
    assert_eq!(centre_overdue(&server), json!([]));
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-10-13T00:00:00+08:00")]);
    let overdue = centre_overdue(&server);
    assert_eq!(overdue[0]["id"], loser_bond.body["id"], "{overdue}");
}

fn restricted_bidders_cannot_bid(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-11-02T09:00:00+08:00", "construction")
    else {
        return;
    };
    assert_eq!(announce(&server, &token, &project, &section, "2026-11-30T02:00:00Z", "20000.00").status, 201);
    let (debarred, debarred_token) = bidder(&server, &code(7));
    let zjw = server.token("industry_regulator", Some("zjw"));
    let imposed = post(
        &server,
        "/api/v1/credit/restrictions",
        Some(&zjw),
        &json!({"participant_id": debarred,
        "kind": "debarment", "starts_on": "2026-10-01", "ends_on": "2027-09-30", "decision": "京密住建罚字〔2026〕21号"}),
    );
    assert_eq!(imposed.status, 201, "{}", imposed.text);
    let refused = deposit(&server, &debarred_token, &section, cash("20000.00", true));
    let problem = refused.problem(403, "forbidden");
    assert_eq!(problem["rule"]["id"], "construction.debarment");
    assert!(problem["detail"].as_str().unwrap().contains("2027-09-30"), "{}", refused.text);
    let bid = post(
        &server,
        &format!("/api/v1/sections/{section}/bids"),
        Some(&debarred_token),
        &json!({"price": "1.00", "documents": [{"title": "x", "sha256": SHA}], "project_manager_id": debarred, "device_fingerprint": "d"}),
    );
    assert_eq!(bid.problem(403, "forbidden")["rule"]["id"], "construction.debarment");
}

fn late_refunds_pay_the_fee_and_statements_reconcile(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-08-20T09:00:00+08:00", "procurement")
    else {
        return;
    };
    assert_eq!(announce(&server, &token, &project, &section, "2026-09-15T02:00:00Z", "20000.00").status, 201);
    let (winner, _) = bidder(&server, &code(1));
    let (_, loser_token) = bidder(&server, &code(2));
    let cheque = json!({"form": "cheque", "amount": "20000.00",
        "payer_account": {"bank": "中国银行", "number": "6222-0001", "is_basic_account": false}});
    let held = deposit(&server, &loser_token, &section, cheque);
    assert_eq!(held.status, 201, "{}", held.text);
    let bond = held.body["id"].as_str().unwrap().to_owned();

    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-09-29T10:00:00+08:00")]);
    let token = server.token("tenderer", Some(project["tenderer_id"].as_str().unwrap()));
    open_section(&server, &token, &section);
    post(
        &server,
        &format!("/api/v1/sections/{section}/bond-events"),
        Some(&token),
        &json!({"event": "award_notice", "winner_id": winner}),
    );
    // Due by 2026-10-12 (see refund_deadlines_cross_national_day); refunded on 10-19: 7 days
    // late. Fee = 20,000.00 × (4.35% × 1.2 = 5.22%) × 7 / 360 = 7,308 / 360 = 20.30 yuan.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-10-19T10:00:00+08:00")]);
    let centre = server.token("centre_staff", Some("centre"));
    let pending = post(&server, &format!("/api/v1/bonds/{bond}/refund-instructions"), Some(&centre), &json!({}));
    assert_eq!(pending.status, 200, "{}", pending.text);
    assert_eq!(pending.body["refund_pending"], "20020.30");
    // The platform's liability is on the project's record.
    let chain = format!("project:{}", project["id"].as_str().unwrap());
    assert!(crate::projects::audit_actions(&server, &chain).contains(&"bond.platform_liability".to_owned()));
    let paid = post(
        &server,
        &format!("/api/v1/bonds/{bond}/refund-confirmations"),
        Some(&centre),
        &json!({"paid": true, "bank_reference": "B-1"}),
    );
    assert_eq!(paid.body["outcome"], "refunded", "{}", paid.text);
    let books = get(&server, "/api/v1/ledger/verification", Some(&server.token("inspector", Some("jijian"))));
    assert_eq!(books.body["valid"], true, "{}", books.text);
    let closure = get(&server, &format!("/api/v1/sections/{section}/bond-closure"), Some(&centre));
    assert_eq!(closure.body["closed"], true, "{}", closure.text);

    let statement = format!("date,amount,payer_account,reference\n2026-09-01,20000.00,6222-0001,{bond}\n2026-09-01,500.00,6222-0009,unknown\n");
    let reconciled = send(
        server
            .client()
            .post(server.url("/api/v1/ledger/bank-statements"))
            .bearer_auth(&centre)
            .header("content-type", "text/csv")
            .body(statement),
    );
    assert_eq!(reconciled.body["matched"], json!([bond]), "{}", reconciled.text);
    assert_eq!(reconciled.body["unmatched_lines"][0]["field"], "line 3");
    assert_eq!(reconciled.body["unmatched_bonds"], json!([]));
}

fn idempotency_keys_replay_the_first_answer(backend: Backend) {
    let Some((server, token, project, section)) = project(backend, "manual:2026-11-02T09:00:00+08:00", "construction")
    else {
        return;
    };
    assert_eq!(announce(&server, &token, &project, &section, "2026-11-30T02:00:00Z", "20000.00").status, 201);
    let (_, bidder_token) = bidder(&server, &code(5));
    let path = server.url(&format!("/api/v1/sections/{section}/bonds"));
    let send_with = |key: &str, body: &Value| {
        send(server.client().post(&path).bearer_auth(&bidder_token).header("idempotency-key", key).json(body))
    };
    let first = send_with("deposit-0001", &cash("20000.00", true));
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send_with("deposit-0001", &cash("20000.00", true));
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["id"], first.body["id"], "the first answer, replayed");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let other = send_with("deposit-0001", &cash("20000.00", false));
    assert_eq!(other.problem(422, "validation-failed")["errors"][0]["field"], "Idempotency-Key");
    send_with("deposit-0002", &cash("20000.00", true)).problem(409, "conflict");
    // The operator's check counts every transfer; before the opening the inspector's does not
    // count the deposits of the sealed section (their number is the number of bidders).
    let books = server.cli(&["ledger", "verify"]);
    let books: Value = serde_json::from_slice(&books.stdout).expect("ledger verify prints JSON");
    assert_eq!(books["transfers"], 1, "one deposit however often it was sent");
    let told = get(&server, "/api/v1/ledger/verification", Some(&server.token("inspector", Some("jijian"))));
    assert_eq!((&told.body["valid"], &told.body["transfers"]), (&json!(true), &json!(0)), "{}", told.text);
    send_with(&"x".repeat(201), &cash("20000.00", true)).problem(400, "malformed-request");
}

both_backends!(
    idempotency_keys_replay_the_first_answer,
    late_refunds_pay_the_fee_and_statements_reconcile,
    restricted_bidders_cannot_bid,
    announcements_check_the_period_and_the_cap,
    refunds_happen_once_and_the_books_balance,
    refund_deadlines_cross_national_day,
);
