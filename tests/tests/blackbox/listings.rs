//! Listings and auctions of land, mining rights and state-owned property: a listing that
//! ends on its own, one that goes to auction, one that fails its reserve, and fifty bidders
//! quoting at once in an auction's final minute.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::projects::commit;
use crate::{get, post, register, BINARY, SHA256_OF_TEST as SHA};

/// Beijing times of the land scenario: announced on Friday 10-30 (the 20 days end on 11-19,
/// so the listing may start from 11-20), listing from 11-23 to 12-07 15:00.
const LAND_ANNOUNCED: &str = "manual:2026-10-30T09:00:00+08:00";
/// The announcement day of the other scenarios.
const ANNOUNCED: &str = "manual:2026-11-02T09:00:00+08:00";
const START: &str = "2026-11-23T09:00:00+08:00";
const END: &str = "2026-12-07T15:00:00+08:00";

pub(crate) struct Scenario {
    pub(crate) server: Server,
    seller: String,
    project: String,
    pub(crate) listing: String,
    section: String,
    /// Each bidder's bond id.
    bonds: std::collections::HashMap<String, String>,
}

/// A credit code with a valid check character (GB 32100), distinct for each n.
fn credit_code(n: u32) -> String {
    let body = format!("92110000{n:09}");
    format!("{body}{}", ggzy_kernel::CreditCode::check_character(&body).unwrap())
}

fn listing_body(section: &str, start: &str, end: &str) -> Value {
    json!({"section_id": section, "starting_price": "1000000.00", "increment": "10000.00",
           "reserve_price": "1050000.00", "deposit": "200000.00", "listing_start": start, "listing_end": end,
           "place": "网上交易系统", "documents": [{"title": "挂牌出让文件", "sha256": SHA}]})
}

/// A server on the announcement day with centre staff on duty and a registered seller:
/// the server, the seller's id and its token.
fn seller(backend: Backend, clock: &str) -> Option<(Server, String, String)> {
    let server = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", clock)])?;
    let admin = server.token("platform_admin", None);
    post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "s", "name": "王芳"}));
    let seller = register(&server, "91110000600037341L", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let token = server.token("tenderer", Some(&seller));
    Some((server, seller, token))
}

/// A project registered by the seller with its sections (name, estimate); answers its body.
fn registered(server: &Server, token: &str, seller: &str, kind: (&str, &str), sections: &[(&str, &str)]) -> Value {
    let (category, subtype) = kind;
    let sections: Vec<Value> =
        sections.iter().map(|(name, estimate)| json!({"name": name, "estimated_amount": estimate})).collect();
    let project = post(
        server,
        "/api/v1/projects",
        Some(token),
        &json!({"name": format!("{subtype} 挂牌交易"), "tenderer_id": seller, "category": category,
                "subtype": subtype, "funding": "state_funded", "legally_required_tendering": true,
                "sections": sections,
                "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}],
                "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    project.body
}

/// A land project on the announcement day with its listing created, after the periods
/// were checked.
pub(crate) fn listed(backend: Backend) -> Option<Scenario> {
    listed_on(backend, LAND_ANNOUNCED, START, END, true)
}

/// A land project announced on `announced` (a GGZY_CLOCK value), listed from `start` to
/// `end`; with `check_periods`, the refusals of too short periods first (dates of the
/// default scenario).
fn listed_on(backend: Backend, announced: &str, start: &str, end: &str, check_periods: bool) -> Option<Scenario> {
    let (server, seller, token) = seller(backend, announced)?;
    let project =
        registered(&server, &token, &seller, ("land_mining", "land_use_right"), &[("密云区某地块", "1000000.00")]);
    let project_id = project["id"].as_str().unwrap().to_owned();
    let section = project["sections"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/projects/{project_id}/listings");
    if check_periods {
        check_listing_periods(&server, &token, &path, &section);
    }
    let created = post(&server, &path, Some(&token), &listing_body(&section, start, end));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["phase"], "announced");
    assert_eq!(created.body["reserve_price"], Value::Null, "the reserve is secret until the end");
    let listing = created.body["id"].as_str().unwrap().to_owned();
    // The announcement is public and carries the deposit as the section's bond.
    let announcement = get(
        &server,
        &format!("/api/v1/public/announcements/{}", created.body["announcement_id"].as_str().unwrap()),
        None,
    );
    assert_eq!(announcement.body["kind"], "listing", "{}", announcement.text);
    // People read the listing period in Beijing time; JSON instants stay RFC 3339.
    let summary = announcement.body["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("北京时间") && !announcement.text.contains("UTC"), "{}", announcement.text);
    assert_eq!(announcement.body["sections"][0]["bond_amount"], "200000.00");
    Some(Scenario { server, seller, project: project_id, listing, section, bonds: Default::default() })
}

/// Too early a start (on the last of the 20 days) and too short a period (9 working days):
/// both named at once, nothing stored; then the period alone.
fn check_listing_periods(server: &Server, token: &str, path: &str, section: &str) {
    let short = post(
        server,
        path,
        Some(token),
        &listing_body(section, "2026-11-19T09:00:00+08:00", "2026-12-02T15:00:00+08:00"),
    );
    let problem = short.problem(422, "validation-failed");
    let codes: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["announcement_period_too_short", "listing_period_too_short"], "{}", short.text);
    let short = post(server, path, Some(token), &listing_body(section, START, "2026-12-04T15:00:00+08:00"));
    assert_eq!(
        short.problem(422, "validation-failed")["errors"][0]["code"],
        "listing_period_too_short",
        "{}",
        short.text
    );
}

/// Registers `count` bidders from `first`, signs their commitments and deposits; returns
/// their ids, and remembers each one's bond.
pub(crate) fn bidders(s: &mut Scenario, first: u32, count: u32) -> Vec<String> {
    (first..first + count)
        .map(|n| {
            let id = register(&s.server, &credit_code(n), &["bidder"])["id"].as_str().unwrap().to_owned();
            commit(&s.server, &id, "bidder");
            let token = s.server.token("bidder", Some(&id));
            let deposit = post(
                &s.server,
                &format!("/api/v1/sections/{}/bonds", s.section),
                Some(&token),
                &json!({"form": "transfer", "amount": "200000.00",
                        "payer_account": {"bank": "中国银行", "number": format!("6222{n}"), "is_basic_account": true}}),
            );
            assert_eq!(deposit.status, 201, "{}", deposit.text);
            s.bonds.insert(id.clone(), deposit.body["id"].as_str().unwrap().to_owned());
            id
        })
        .collect()
}

pub(crate) fn at(s: Scenario, beijing: &str) -> Scenario {
    let server = s.server.restart(&[("GGZY_CLOCK", &format!("manual:{beijing}"))]);
    Scenario { server, ..s }
}

/// The phase of the listed project's first section, as the seller reads it.
fn section_phase(s: &Scenario) -> Value {
    let token = s.server.token("tenderer", Some(&s.seller));
    get(&s.server, &format!("/api/v1/projects/{}", s.project), Some(&token)).body["sections"][0]["phase"].clone()
}

pub(crate) fn quote(s: &Scenario, bidder: &str, price: &str) -> crate::Reply {
    let token = s.server.token("bidder", Some(bidder));
    post(&s.server, &format!("/api/v1/listings/{}/quotes", s.listing), Some(&token), &json!({"price": price}))
}

pub(crate) fn close(s: &Scenario) -> crate::Reply {
    let centre = s.server.token("centre_staff", Some("centre"));
    post(&s.server, &format!("/api/v1/listings/{}/close", s.listing), Some(&centre), &json!({}))
}

fn bond_of(s: &Scenario, bidder: &str) -> Value {
    let centre = s.server.token("centre_staff", Some("centre"));
    let bond = get(&s.server, &format!("/api/v1/bonds/{}", s.bonds[bidder]), Some(&centre));
    assert_eq!(bond.status, 200, "{}", bond.text);
    bond.body
}

fn ledger_is_valid(s: &Scenario) {
    let books = get(&s.server, "/api/v1/ledger/verification", Some(&s.server.token("inspector", Some("jijian"))));
    assert_eq!(books.body["valid"], true, "{}", books.text);
}

fn a_listing_ends_on_its_own_and_the_deposit_goes_to_the_price(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    let ids = bidders(&mut s, 1, 2);
    let (a, b) = (&ids[0], &ids[1]);
    quote(&s, a, "1000000.00").problem(409, "conflict");
    // A listed lot takes quotes, never a bid, with or without a deposit behind it.
    let bid = post(
        &s.server,
        &format!("/api/v1/sections/{}/bids", s.section),
        Some(&s.server.token("bidder", Some(a))),
        &json!({"price": "1000000.00", "documents": [{"title": "投标文件", "sha256": SHA}],
                "project_manager_id": a, "device_fingerprint": "d"}),
    );
    assert!(bid.problem(409, "conflict")["detail"].as_str().unwrap().contains("挂牌"), "{}", bid.text);
    let s = at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(quote(&s, a, "1000000.00").status, 201);
    let raised = quote(&s, a, "1060000.00");
    assert_eq!(
        (raised.status, raised.body["bidder_number"].clone(), raised.body["sequence"].clone()),
        (201, json!(1), json!(2)),
        "{}",
        raised.text
    );
    assert_eq!(quote(&s, a, "1075000.00").problem(422, "validation-failed")["errors"][0]["code"], "off_increment");
    assert_eq!(quote(&s, b, "1060000.00").problem(422, "validation-failed")["errors"][0]["code"], "below_minimum");
    // Without a deposit there is no quoting.
    let outsider = register(&s.server, &credit_code(99), &["bidder"])["id"].as_str().unwrap().to_owned();
    quote(&s, &outsider, "1070000.00").problem(403, "forbidden");
    let public = get(&s.server, &format!("/api/v1/public/listings/{}", s.listing), None);
    assert_eq!(
        (public.body["phase"].clone(), public.body["current_price"].clone(), public.body["minimum_quote"].clone()),
        (json!("listing"), json!("1060000.00"), json!("1070000.00")),
        "{}",
        public.text
    );
    assert!(!public.text.contains("1050000.00"), "the reserve stays secret while quoting: {}", public.text);
    let quotes = get(&s.server, &format!("/api/v1/public/listings/{}/quotes", s.listing), None);
    assert!(!quotes.text.contains(a.as_str()), "quotes name bidder numbers, not bidders: {}", quotes.text);
    let all = get(&s.server, "/api/v1/public/listings", None);
    assert!(all.status == 200 && !all.text.contains("1050000.00"), "{}", all.text);
    close(&s).problem(409, "conflict");

    let s = at(s, END);
    quote(&s, a, "1070000.00").problem(409, "conflict");
    let closed = close(&s);
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.body["phase"], "sold", "one bidder quoted: no auction");
    assert_eq!(closed.body["result"]["winner_id"], a.as_str());
    assert_eq!(closed.body["result"]["price"], "1060000.00");
    assert_eq!(closed.body["reserve_price"], "1050000.00", "disclosed at the end");
    close(&s).problem(409, "conflict");
    // The loser's deposit is on its way back under land.deposit.refund; the winner's stays.
    let lost = bond_of(&s, b);
    assert_eq!(
        (lost["status"].clone(), lost["refund_rule"].clone()),
        (json!("refund_pending"), json!("land.deposit.refund")),
        "{lost}"
    );
    assert_eq!(bond_of(&s, a)["status"], "held");
    // Only the winner signs the confirmation; its deposit then counts toward the price.
    let token_b = s.server.token("bidder", Some(b));
    post(&s.server, &format!("/api/v1/listings/{}/confirmation", s.listing), Some(&token_b), &json!({}))
        .problem(403, "forbidden");
    let token_a = s.server.token("bidder", Some(a));
    let confirmed =
        post(&s.server, &format!("/api/v1/listings/{}/confirmation", s.listing), Some(&token_a), &json!({}));
    assert_eq!(confirmed.body["result"]["confirmation"], "confirmed", "{}", confirmed.text);
    let applied = bond_of(&s, a);
    assert_eq!(
        (applied["status"].clone(), applied["outcome"].clone()),
        (json!("applied_to_price"), json!("applied_to_price")),
        "{applied}"
    );
    post(&s.server, &format!("/api/v1/listings/{}/confirmation", s.listing), Some(&token_a), &json!({}))
        .problem(409, "conflict");
    ledger_is_valid(&s);
    // Every public step of the listing is in the event feed, in order.
    let feed = get(&s.server, "/api/v1/events?limit=200", None).body;
    let kinds: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.starts_with("listing.") || t == "quote.accepted"))
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["listing.announced", "quote.accepted", "quote.accepted", "listing.closed", "listing.confirmed"]);
}

fn a_listing_with_two_bidders_goes_to_auction(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    assert_eq!(section_phase(&s), "announced");
    let ids = bidders(&mut s, 1, 3);
    let s = at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(quote(&s, &ids[0], "1000000.00").status, 201);
    assert_eq!(quote(&s, &ids[1], "1010000.00").status, 201);
    let s = at(s, END);
    let auction = close(&s);
    assert_eq!(
        (auction.body["phase"].clone(), auction.body["auction_end"].clone()),
        (json!("auction"), json!("2026-12-07T07:05:00Z")),
        "{}",
        auction.text
    );
    assert_eq!(section_phase(&s), "auction");
    // The round lasts the extension, so each quote in it moves the end to five minutes
    // after the quote.
    let s = at(s, "2026-12-07T15:01:00+08:00");
    let first = quote(&s, &ids[2], "1020000.00");
    assert_eq!(
        (first.body["phase"].clone(), first.body["auction_end"].clone()),
        (json!("auction"), json!("2026-12-07T07:06:00Z")),
        "{}",
        first.text
    );
    let s = at(s, "2026-12-07T15:05:30+08:00");
    let late = quote(&s, &ids[0], "1050000.00");
    assert_eq!(late.body["auction_end"], "2026-12-07T07:10:30Z", "{}", late.text);
    let s = at(s, "2026-12-07T15:10:29+08:00");
    close(&s).problem(409, "conflict");
    let s = at(s, "2026-12-07T15:10:30+08:00");
    quote(&s, &ids[1], "1060000.00").problem(409, "conflict");
    let sold = close(&s);
    assert_eq!(
        (sold.body["phase"].clone(), sold.body["result"]["winner_id"].clone()),
        (json!("sold"), json!(ids[0])),
        "{}",
        sold.text
    );
    assert_eq!(sold.body["result"]["winner_number"], 1);
    assert_eq!(section_phase(&s), "sold");
    for loser in &ids[1..] {
        assert_eq!(bond_of(&s, loser)["status"], "refund_pending");
    }
    // A winner who refuses forfeits the deposit to the seller.
    let centre = s.server.token("centre_staff", Some("centre"));
    let path = format!("/api/v1/listings/{}/refusal", s.listing);
    post(&s.server, &path, Some(&centre), &json!({})).problem(422, "validation-failed");
    let refused = post(&s.server, &path, Some(&centre), &json!({"reason": "竞得人书面放弃"}));
    assert_eq!(refused.body["result"]["confirmation"], "refused", "{}", refused.text);
    assert_eq!(section_phase(&s), "failed", "a refused sale is off");
    assert_eq!(bond_of(&s, &ids[0])["outcome"], "forfeited");
    ledger_is_valid(&s);
    // In OCDS: the close that sent it to auction made no release (it did not fail); the
    // auction's close an award, the refusal its cancellation and the lot unsuccessful.
    let code =
        get(&s.server, &format!("/api/v1/projects/{}", s.project), Some(&s.server.token("tenderer", Some(&s.seller))))
            .body["code"]
            .as_str()
            .unwrap()
            .to_owned();
    let record = get(&s.server, &format!("/api/v1/ocds/records/ocds-ggzy00-{code}"), None);
    let releases = record.body["records"][0]["releases"].as_array().unwrap();
    let tags: Vec<&Value> = releases.iter().map(|r| &r["tag"][0]).collect();
    assert_eq!(tags, ["planning", "tender", "award", "awardCancellation"], "{}", record.text);
    let compiled = &record.body["records"][0]["compiledRelease"];
    assert_eq!(compiled["awards"][0]["status"], "cancelled");
    assert_eq!(compiled["tender"]["lots"][0]["status"], "unsuccessful");
    assert!(!record.text.contains("流拍"), "{}", record.text);
}

fn a_listing_below_its_reserve_fails_and_refunds_everyone(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    let ids = bidders(&mut s, 1, 2);
    let s = at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(quote(&s, &ids[0], "1040000.00").status, 201);
    let s = at(s, END);
    let failed = close(&s);
    assert_eq!(
        (failed.body["phase"].clone(), failed.body["result"]["failure"].clone()),
        (json!("failed"), json!("below_reserve")),
        "{}",
        failed.text
    );
    assert_eq!(failed.body["result"]["winner_id"], Value::Null);
    for bidder in &ids {
        assert_eq!(bond_of(&s, bidder)["status"], "refund_pending");
    }
    let token = s.server.token("bidder", Some(&ids[0]));
    post(&s.server, &format!("/api/v1/listings/{}/confirmation", s.listing), Some(&token), &json!({}))
        .problem(409, "conflict");
    ledger_is_valid(&s);
}

fn fifty_bidders_quote_at_once_in_the_final_minute(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    let ids = bidders(&mut s, 1, 50);
    let s = at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(quote(&s, &ids[0], "1000000.00").status, 201);
    assert_eq!(quote(&s, &ids[1], "1010000.00").status, 201);
    let s = at(s, END);
    assert_eq!(close(&s).body["phase"], "auction");
    let s = at(s, "2026-12-07T15:04:30+08:00");
    let listing_path = format!("/api/v1/public/listings/{}", s.listing);
    // Every bidder reads the least acceptable price and quotes it or up to three increments
    // more, four times; many collide, and the database takes at most one quote at each
    // price, each above the last.
    let accepted: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(index, bidder)| {
                let s = &s;
                let listing_path = &listing_path;
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for _ in 0..4 {
                        let minimum =
                            get(&s.server, listing_path, None).body["minimum_quote"].as_str().unwrap().to_owned();
                        let minimum: i64 = minimum.replace('.', "").parse().unwrap();
                        let price = minimum + (index as i64 % 4) * 1_000_000;
                        let reply = quote(s, bidder, &format!("{}.{:02}", price / 100, price % 100));
                        match reply.status {
                            201 => mine.push(reply.body),
                            422 => assert_eq!(reply.body["errors"][0]["code"], "below_minimum", "{}", reply.text),
                            _ => panic!("unexpected answer: {}", reply.text),
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let quotes = get(&s.server, &format!("/api/v1/public/listings/{}/quotes", s.listing), None).body;
    let quotes = quotes.as_array().unwrap();
    let auction: Vec<&Value> = quotes.iter().filter(|q| q["phase"] == "auction").collect();
    assert_eq!(auction.len(), accepted.len(), "every 201 is one stored quote");
    let winners: std::collections::HashSet<&Value> = accepted.iter().map(|q| &q["bidder_number"]).collect();
    assert!(accepted.len() >= 5 && winners.len() >= 2, "quotes of several bidders accepted: {accepted:?}");
    let prices: Vec<i64> =
        quotes.iter().map(|q| q["price"].as_str().unwrap().replace('.', "").parse().unwrap()).collect();
    assert!(
        prices.windows(2).all(|w| w[1] >= w[0] + 1_000_000),
        "each accepted quote raises by at least the increment: {prices:?}"
    );
    // The first auction quote came within the last five minutes: the end moved to five
    // minutes after it, and quotes at the same instant leave it there.
    assert!(auction.iter().all(|q| q["auction_end"] == "2026-12-07T07:09:30Z"), "{auction:?}");
    let s = at(s, "2026-12-07T15:09:30+08:00");
    let sold = close(&s);
    let last = quotes.last().unwrap();
    assert_eq!(sold.body["result"]["price"], last["price"], "{}", sold.text);
    assert_eq!(sold.body["result"]["winner_number"], last["bidder_number"]);
    let winner = sold.body["result"]["winner_id"].as_str().unwrap();
    for bidder in &ids {
        let expected = if bidder == winner { "held" } else { "refund_pending" };
        assert_eq!(bond_of(&s, bidder)["status"], expected, "{bidder}");
    }
    ledger_is_valid(&s);
}

/// State-owned property: disclosure of 20 working days, and a starting price below 90% of
/// the appraisal only with an approval.
fn property_listings_need_the_disclosure_period_and_an_approval_below_the_floor(backend: Backend) {
    let Some((server, seller, token)) = seller(backend, ANNOUNCED) else { return };
    let shares = [("30% 股权", "2000000.00"), ("20% 股权", "2000000.00")];
    let project = registered(&server, &token, &seller, ("state_property", "transfer"), &shares);
    let sections = [0, 1].map(|i| project["sections"][i]["id"].as_str().unwrap().to_owned());
    let path = format!("/api/v1/projects/{}/listings", project["id"].as_str().unwrap());
    let body = |section: &str, start: &str, starting: &str, approval: bool| {
        let mut body = json!({"section_id": section, "starting_price": starting, "increment": "10000.00",
               "appraisal": "2000000.00", "deposit": "200000.00", "listing_start": start,
               "listing_end": "2026-12-30T15:00:00+08:00", "place": "网上交易系统",
               "documents": [{"title": "产权转让公告", "sha256": SHA}]});
        if approval {
            body["floor_approval"] = json!({"title": "降价转让批复", "number": "3号", "sha256": SHA});
        }
        body
    };
    // 11-02 + 20 working days is 11-30, so the earliest start is 12-01: 11-27 is too early; 1,790,000.00 is below
    // 90% of 2,000,000.00 without an approval. Both at once.
    let refused =
        post(&server, &path, Some(&token), &body(&sections[0], "2026-11-27T09:00:00+08:00", "1790000.00", false));
    refused.problem(422, "validation-failed");
    assert_eq!(refused.error_fields(), ["listing_start", "floor_approval"], "{}", refused.text);
    assert!(
        refused.text.contains("property.disclosure") && refused.text.contains("property.relisting_floor"),
        "{}",
        refused.text
    );
    // At the floor no approval is needed; below it, with one, the listing goes out (from
    // 12-01, the first day after the 20 working days).
    let at_floor =
        post(&server, &path, Some(&token), &body(&sections[0], "2026-12-01T09:00:00+08:00", "1800000.00", false));
    assert_eq!(at_floor.status, 201, "{}", at_floor.text);
    assert_eq!(at_floor.body["appraisal"], "2000000.00");
    let approved =
        post(&server, &path, Some(&token), &body(&sections[1], "2026-12-01T09:00:00+08:00", "1700000.00", true));
    assert_eq!(approved.status, 201, "{}", approved.text);
}

/// A listing with no quote fails; relisting it opens a new round on a new section, where
/// the first round's bidders deposit again. A listing is relisted once, and only if it
/// failed.
fn a_failed_listing_is_relisted_as_a_new_round(backend: Backend) {
    let announced = "manual:2026-09-01T09:00:00+08:00";
    let Some(mut s) = listed_on(backend, announced, "2026-09-22T09:00:00+08:00", "2026-10-20T15:00:00+08:00", false)
    else {
        return;
    };
    let first_round = s.section.clone();
    let ids = bidders(&mut s, 1, 1);
    let token = s.server.token("tenderer", Some(&s.seller));
    let path = format!("/api/v1/projects/{}/listings", s.project);
    let mut body = listing_body("", "2026-11-10T09:00:00+08:00", "2026-11-25T15:00:00+08:00");
    body["section_id"] = json!(first_round);
    body["relisting_of"] = json!(s.listing);
    let both = post(&s.server, &path, Some(&token), &body);
    assert_eq!(both.problem(422, "validation-failed")["errors"][0]["code"], "with_section_id", "{}", both.text);
    body.as_object_mut().unwrap().remove("section_id");
    let running = post(&s.server, &path, Some(&token), &body);
    assert_eq!(running.problem(422, "validation-failed")["errors"][0]["code"], "not_failed", "{}", running.text);

    let s = at(s, "2026-10-20T15:00:00+08:00");
    let failed = close(&s);
    assert_eq!(failed.body["result"]["failure"], "no_quote", "{}", failed.text);
    assert_eq!(bond_of(&s, &ids[0])["status"], "refund_pending");
    let token = s.server.token("tenderer", Some(&s.seller));
    // The new round has its own announcement period: 10-20 + 20 days is 11-09.
    let mut early = body.clone();
    early["listing_start"] = json!("2026-11-06T09:00:00+08:00");
    let refused = post(&s.server, &path, Some(&token), &early);
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "announcement_period_too_short");
    let sections = get(&s.server, &format!("/api/v1/projects/{}", s.project), Some(&token)).body["sections"].clone();
    assert_eq!(sections.as_array().map(Vec::len), Some(1), "a refused relisting adds no section: {sections}");
    let relisted = post(&s.server, &path, Some(&token), &body);
    assert_eq!(relisted.status, 201, "{}", relisted.text);
    assert_eq!(relisted.body["relisting_of"], s.listing.as_str());
    let new_section = relisted.body["section_id"].as_str().unwrap().to_owned();
    assert_ne!(new_section, first_round);
    let project = get(&s.server, &format!("/api/v1/projects/{}", s.project), Some(&token)).body;
    assert_eq!(project["sections"][1]["id"], new_section.as_str(), "{project}");
    assert_eq!(project["sections"][1]["name"], project["sections"][0]["name"]);
    let again = post(&s.server, &path, Some(&token), &body);
    assert_eq!(again.problem(422, "validation-failed")["errors"][0]["code"], "already_relisted", "{}", again.text);
    // The first round's bidder deposits again for the new round.
    let bidder = s.server.token("bidder", Some(&ids[0]));
    let deposit = post(
        &s.server,
        &format!("/api/v1/sections/{new_section}/bonds"),
        Some(&bidder),
        &json!({"form": "transfer", "amount": "200000.00",
                "payer_account": {"bank": "中国银行", "number": "62221", "is_basic_account": true}}),
    );
    assert_eq!(deposit.status, 201, "{}", deposit.text);
}

both_backends!(
    an_unclosed_listing_follows_the_clock_and_the_closer_applies_its_result,
    notice_periods_end_before_the_listing_starts,
    a_property_relisting_keeps_its_first_appraisal_and_the_rounds_are_counted,
    a_failed_listing_is_relisted_as_a_new_round,
    property_listings_need_the_disclosure_period_and_an_approval_below_the_floor,
    a_listing_ends_on_its_own_and_the_deposit_goes_to_the_price,
    a_listing_with_two_bidders_goes_to_auction,
    a_listing_below_its_reserve_fails_and_refunds_everyone,
    fifty_bidders_quote_at_once_in_the_final_minute,
);

/// "Announced at least N days before the start": for land (20 days), mining rights (20
/// working days) and state-owned property (20 working days) the listing may not start on
/// the last day of the period `POST /api/v1/rules/deadline` gives for the announcement,
/// and may on the day after.
fn notice_periods_end_before_the_listing_starts(backend: Backend) {
    let Some((server, seller, token)) = seller(backend, ANNOUNCED) else { return };
    let cases = [
        // 20 days from 11-03 end on Sunday 11-22, which rolls to Monday 11-23.
        ("land_mining", "land_use_right", "land.announcement", "2026-11-23"),
        ("land_mining", "mining_right", "mining.announcement", "2026-11-30"),
        ("state_property", "transfer", "property.disclosure", "2026-11-30"),
    ];
    for (category, subtype, rule, last_day) in cases {
        let period = post(
            &server,
            "/api/v1/rules/deadline",
            None,
            &json!({"rule_id": rule, "event_at": "2026-11-02T09:00:00+08:00"}),
        );
        assert_eq!(period.body["end_date"], last_day, "{rule}: {}", period.text);
        let project = registered(&server, &token, &seller, (category, subtype), &[("标的", "2000000.00")]);
        let section = project["sections"][0]["id"].as_str().unwrap();
        let path = format!("/api/v1/projects/{}/listings", project["id"].as_str().unwrap());
        let body = |start_day: &str| {
            let mut body = listing_body(section, &format!("{start_day}T09:00:00+08:00"), "2026-12-30T15:00:00+08:00");
            if category == "state_property" {
                body["appraisal"] = json!("1000000.00");
            }
            body
        };
        let on_last_day = post(&server, &path, Some(&token), &body(last_day));
        let problem = on_last_day.problem(422, "validation-failed");
        assert_eq!(problem["errors"][0]["code"], "announcement_period_too_short", "{rule}: {}", on_last_day.text);
        let day_after =
            (chrono::NaiveDate::parse_from_str(last_day, "%Y-%m-%d").unwrap() + chrono::Days::new(1)).to_string();
        assert!(problem["errors"][0]["message"].as_str().unwrap().ends_with(&day_after), "{}", on_last_day.text);
        let next_day = post(&server, &path, Some(&token), &body(&day_after));
        assert_eq!(next_day.status, 201, "{rule}: {}", next_day.text);
    }
}

/// A failed state-property listing relisted: the floor is 90 % of the first round's
/// appraisal whatever the relisting restates, and the rule set's two rounds end the lot.
fn a_property_relisting_keeps_its_first_appraisal_and_the_rounds_are_counted(backend: Backend) {
    let Some((server, seller, token)) = seller(backend, ANNOUNCED) else { return };
    let project = registered(&server, &token, &seller, ("state_property", "transfer"), &[("30% 股权", "2000000.00")]);
    let section = project["sections"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/projects/{}/listings", project["id"].as_str().unwrap());
    let body = |start: &str, end: &str, starting: &str| {
        json!({"starting_price": starting, "increment": "10000.00", "deposit": "200000.00",
               "listing_start": start, "listing_end": end, "place": "网上交易系统",
               "documents": [{"title": "产权转让公告", "sha256": SHA}]})
    };
    let mut first = body("2026-12-01T09:00:00+08:00", "2026-12-30T15:00:00+08:00", "1900000.00");
    first["section_id"] = json!(section);
    first["appraisal"] = json!("2000000.00");
    let first = post(&server, &path, Some(&token), &first);
    assert_eq!(first.status, 201, "{}", first.text);
    let first_id = first.body["id"].as_str().unwrap().to_owned();
    let centre = |server: &Server| server.token("centre_staff", Some("centre"));
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-30T15:00:00+08:00")]);
    let closed = post(&server, &format!("/api/v1/listings/{first_id}/close"), Some(&centre(&server)), &json!({}));
    assert_eq!(closed.body["result"]["failure"], "no_quote", "{}", closed.text);

    // 2026-12-30 + 20 working days ends in 2027 (counted provisionally); start well after.
    let token = server.token("tenderer", Some(&seller));
    let relist = |starting: &str, appraisal: Option<&str>, of: &str| {
        let mut b = body("2027-02-22T09:00:00+08:00", "2027-03-10T15:00:00+08:00", starting);
        b["relisting_of"] = json!(of);
        if let Some(a) = appraisal {
            b["appraisal"] = json!(a);
        }
        b
    };
    // 1,700,000.00 is 85 % of the first appraisal: refused without an approval, and a
    // restated lower appraisal changes nothing (it is refused too).
    let restated = post(&server, &path, Some(&token), &relist("1700000.00", Some("1800000.00"), &first_id));
    restated.problem(422, "validation-failed");
    assert_eq!(restated.error_fields(), ["appraisal", "floor_approval"], "{}", restated.text);
    let below = post(&server, &path, Some(&token), &relist("1700000.00", None, &first_id));
    assert_eq!(below.error_fields(), ["floor_approval"], "{}", below.text);
    let second = post(&server, &path, Some(&token), &relist("1800000.00", None, &first_id));
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["appraisal"], "2000000.00", "the relisting keeps the first appraisal");
    let second_id = second.body["id"].as_str().unwrap().to_owned();
    let server = server.restart(&[("GGZY_CLOCK", "manual:2027-03-10T15:00:00+08:00")]);
    let closed = post(&server, &format!("/api/v1/listings/{second_id}/close"), Some(&centre(&server)), &json!({}));
    assert_eq!(closed.body["result"]["failure"], "no_quote", "{}", closed.text);
    // A third round of the lot is beyond the rule set's two.
    let token = server.token("tenderer", Some(&seller));
    let mut third = relist("1800000.00", None, &second_id);
    third["listing_start"] = json!("2027-05-10T09:00:00+08:00");
    third["listing_end"] = json!("2027-05-28T15:00:00+08:00");
    let third = post(&server, &path, Some(&token), &third);
    let problem = third.problem(422, "validation-failed");
    assert_eq!(problem["errors"][0]["code"], "too_many_rounds", "{}", third.text);
}

/// Nobody closes a listing whose time is up: the public phase follows the clock at once,
/// and the platform's closer applies the result (winner, disclosed reserve, the loser's
/// refund) on its own, as a host would have.
fn an_unclosed_listing_follows_the_clock_and_the_closer_applies_its_result(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    let ids = bidders(&mut s, 1, 2);
    let (a, b) = (ids[0].clone(), ids[1].clone());
    let s = at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(quote(&s, &a, "1060000.00").status, 201);
    // A week after the end, the closer off: the phase is the clock's, no result yet.
    let s = at(s, "2026-12-14T10:00:00+08:00");
    let path = format!("/api/v1/public/listings/{}", s.listing);
    let by_clock = get(&s.server, &path, None);
    assert_eq!((by_clock.body["phase"].clone(), by_clock.body["result"].clone()), (json!("sold"), Value::Null));
    assert_eq!(bond_of(&s, &b)["status"], "held", "nothing is applied before a close");
    // The closer runs at start and every second here.
    let server =
        s.server.restart(&[("GGZY_CLOCK", "manual:2026-12-14T10:00:00+08:00"), ("GGZY_LISTING_CLOSER_SECONDS", "1")]);
    let s = Scenario { server, ..s };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let closed = loop {
        let listing = get(&s.server, &path, None);
        if listing.body["result"].is_object() || std::time::Instant::now() > deadline {
            break listing;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(closed.body["phase"], "sold", "{}", closed.text);
    assert_eq!(closed.body["result"]["winner_id"], a.as_str(), "{}", closed.text);
    assert_eq!(closed.body["result"]["price"], "1060000.00");
    assert_eq!(closed.body["reserve_price"], "1050000.00", "disclosed at the end");
    assert_eq!(bond_of(&s, &b)["status"], "refund_pending", "the loser's deposit is on its way back");
    assert_eq!(bond_of(&s, &a)["status"], "held", "the winner's waits for the confirmation");
    // A manual close is still answered: the listing has ended.
    close(&s).problem(409, "conflict");
}
