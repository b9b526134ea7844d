//! Collusion detection over a whole district, on both databases: one tenderer with a
//! building project (住建委, eleven sections) and a water project (水务局, two sections),
//! a ring of four bidders taking turns to win across both projects, honest bidders, and
//! an honest pair that meets three times and wins once each. After the openings, the
//! evaluations, the awards (each scanned as it happens) and a full rescan, the alerts show:
//!
//! 1. price_pattern: the one section whose prices rise by a constant ratio (rounded to the
//!    fen) is flagged, and no section of ordinary prices is;
//! 2. rotation: the ring is one rotating_group alert covering all five of its sections
//!    across both projects, and a second rescan raises nothing new;
//! 3. routing: that alert reaches both projects' regulators and 公管办, not an unrelated
//!    regulator, and one regulator's handling is seen by the others;
//! 4. the honest pair is not taken for a ring;
//! 5. same_handler: one bidder's entrusted agent is another bidder's contact (and an agent
//!    neither on a bidder's staff nor entrusted by it is refused when the bidder decrypts
//!    its sealed bid, which is then revoked at the opening);
//! 6. accounts: one bank account written two ways is one account (same_bond_account), and
//!    a basic account that backs bonds of three different bidders is flagged
//!    (shared_basic_account).

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::bid_body;
use crate::envelopes::{decrypt_bids, place_bid, seal, sealing_key};
use crate::lifecycle::expert;
use crate::projects::commit;
use crate::{get, post, register, resident_id, Reply, BINARY, SHA256_OF_TEST as SHA, VALID_CODES};

const ESTIMATE: &str = "1000000.00";
const BOND: &str = "20000.00";
const DEADLINE: &str = "2026-11-23T02:00:00Z";
const REGISTRATION: &str = "manual:2026-11-02T09:00:00+08:00";
const OPENING: &str = "manual:2026-11-23T10:00:00+08:00";
/// When the decryption windows opened at the opening time have closed (30 minutes).
const WINDOWS_CLOSED: &str = "manual:2026-11-23T10:30:00+08:00";
/// After the candidates' publicity (3 days from Mon 11-23, until Thu 11-26 24:00).
const AWARD: &str = "manual:2026-11-27T09:00:00+08:00";

/// Sections of the building project (P1) and of the water project (P2).
const BUILDING_SECTIONS: [usize; 11] = [1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13];
const WATER_SECTIONS: [usize; 2] = [4, 5];

/// Unified social credit codes for synthetic bidders: a fixed body with the check character
/// computed as GB 32100 says (as in tendering.rs).
fn code(n: u32) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let body = format!("91110000{n:09}");
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| (b - b'0') as u32 * w).sum();
    format!("{body}{}", ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// Fen as decimal yuan.
fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The next price of a constant-ratio progression of 1.5%, rounded half-up to the fen.
fn times_1_015(fen: i64) -> i64 {
    (fen * 1015 + 500) / 1000
}

/// Ordinary prices for `count` bidders of section `n`: a spread with no three prices near a
/// constant difference or a constant ratio, shifted per section so that no two sections
/// share a price; all below the 995,000.00 yuan at which a win counts as "at the ceiling".
fn ordinary_prices(n: usize, count: usize) -> Vec<i64> {
    const SPREAD: [i64; 5] = [0, 713_012, 2_987_034, 4_126_057, 8_854_089];
    let prices: Vec<i64> =
        (0..count).map(|i| 90_000_000 + SPREAD[(i + n) % SPREAD.len()] + n as i64 * 31_157).collect();
    assert_no_progression(&prices);
    prices
}

/// Precondition on the test's own data: no three prices within 1,000.00 yuan of an
/// arithmetic or geometric progression.
fn assert_no_progression(prices: &[i64]) {
    let mut sorted = prices.to_vec();
    sorted.sort_unstable();
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            for k in j + 1..sorted.len() {
                let (a, b, c) = (i128::from(sorted[i]), i128::from(sorted[j]), i128::from(sorted[k]));
                assert!(((c - b) - (b - a)).abs() >= 100_000, "test data: {a} {b} {c} are near a constant difference");
                assert!((c * a - b * b).abs() >= 100_000 * a, "test data: {a} {b} {c} are near a constant ratio");
            }
        }
    }
}

/// A committed bidder with its project manager and the account it pays its bonds from.
#[derive(Debug)]
struct Bidder {
    name: &'static str,
    id: String,
    manager: String,
    account: Value,
}

/// Registers a person of `employer`; answers the person's id.
fn person(server: &Server, employer: &str, n: u32, name: &str) -> String {
    let centre = server.token("centre_staff", Some("centre"));
    let reply = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": name, "id_number": resident_id(&format!("11010519800101{n:03}")), "employer_id": employer}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// A new bidder: registered, committed, with a project manager and its own basic account.
fn new_bidder(server: &Server, n: u32, name: &'static str) -> Bidder {
    let id = register(server, &code(n), &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let manager = person(server, &id, n, &format!("项目经理{name}"));
    let account = json!({"bank": "中国银行", "number": format!("6222 0000 0000 00{n:02}"), "is_basic_account": true});
    Bidder { name, id, manager, account }
}

/// The bidder's bond for the section, paid from `account`.
fn deposit(server: &Server, section: &str, bidder: &Bidder, account: &Value) {
    let token = server.token("bidder", Some(&bidder.id));
    let held = post(
        server,
        &format!("/api/v1/sections/{section}/bonds"),
        Some(&token),
        &json!({"form": "transfer", "amount": BOND, "payer_account": account}),
    );
    assert_eq!(held.status, 201, "bond of {}: {}", bidder.name, held.text);
}

/// The content of the bidder's bid (its own document, so no two bids share a document
/// hash), with the fields of `extra` added.
fn bid_content(section: &str, bidder: &Bidder, price_fen: i64, extra: &Value) -> Value {
    let mut body = bid_body(&yuan(price_fen), &bidder.manager, None);
    body["documents"] = json!([{"title": "投标文件", "sha256": sha256(&format!("{section}:{}", bidder.id))}]);
    for (field, value) in extra.as_object().into_iter().flatten() {
        body[field] = value.clone();
    }
    body
}

/// Submits the bidder's bid, sealed by the bidder (its device, authors, agents and contact
/// inside the envelope until it decrypts at the opening); answers the reply.
fn bid(server: &Server, section: &str, bidder: &Bidder, price_fen: i64, extra: &Value) -> Reply {
    let token = server.token("bidder", Some(&bidder.id));
    let placed = place_bid(server, section, &token, &bid_content(section, bidder, price_fen, extra));
    if placed.status == 201 {
        assert_eq!(placed.body["sealed_by_bidder"], true, "{}", placed.text);
    }
    placed
}

/// The bond from the bidder's own account, then a plain bid.
fn deposit_and_bid(server: &Server, section: &str, bidder: &Bidder, price_fen: i64) {
    deposit(server, section, bidder, &bidder.account);
    let reply = bid(server, section, bidder, price_fen, &json!({}));
    assert_eq!(reply.status, 201, "bid of {}: {}", bidder.name, reply.text);
}

/// Registers a construction project of `sector` with the sections numbered `numbers` and
/// announces it; checks the project goes to `regulator`; answers the project id and
/// (number, section id) pairs.
fn project(
    server: &Server,
    tenderer: &str,
    sector: &str,
    regulator: &str,
    numbers: &[usize],
) -> (String, Vec<(usize, String)>) {
    let token = server.token("tenderer", Some(tenderer));
    let sections: Vec<Value> =
        numbers.iter().map(|n| json!({"name": format!("第{n}标段"), "estimated_amount": ESTIMATE})).collect();
    let mut body = json!({"name": format!("密云区{sector}工程"), "tenderer_id": tenderer, "category": "construction",
        "subtype": "works", "sector": sector, "funding": "state_funded", "legally_required_tendering": true,
        "sections": sections, "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]});
    if sector != "building" {
        // Outside building and municipal works the entry form is filed (entry.registration_form).
        body["registration_form"] = json!({"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA});
    }
    let registered = post(server, "/api/v1/projects", Some(&token), &body);
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(registered.body["regulator_id"], regulator, "{}", registered.text);
    let project = registered.body["id"].as_str().unwrap().to_owned();
    let listed = registered.body["sections"].as_array().unwrap();
    let ids: Vec<(usize, String)> = numbers
        .iter()
        .map(|n| {
            let name = format!("第{n}标段");
            let section = listed.iter().find(|s| s["name"] == name.as_str()).unwrap();
            (*n, section["id"].as_str().unwrap().to_owned())
        })
        .collect();
    let bonds: Vec<Value> = ids.iter().map(|(_, id)| json!({"section_id": id, "bond_amount": BOND})).collect();
    let announced = post(
        server,
        &format!("/api/v1/projects/{project}/announcements"),
        Some(&token),
        &json!({"bid_deadline": DEADLINE, "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": SHA}], "sections": bonds}),
    );
    assert_eq!(announced.status, 201, "{}", announced.text);
    (project, ids)
}

/// The district: its tenderer, the opening witness, the two projects and sections S1..S13.
#[derive(Debug)]
struct District {
    tenderer: String,
    witness: String,
    building: String,
    water: String,
    /// S1..S13 at 0..12.
    sections: Vec<String>,
}

impl District {
    fn s(&self, n: usize) -> &str {
        &self.sections[n - 1]
    }
}

fn district(backend: Backend) -> Option<(Server, District)> {
    let server = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", REGISTRATION)])?;
    let admin = server.token("platform_admin", None);
    let witness =
        post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "w", "name": "见证人"}));
    assert_eq!(witness.status, 201, "{}", witness.text);
    let tenderer = register(&server, VALID_CODES[0], &["tenderer"])["id"].as_str().unwrap().to_owned();
    let (building, mut sections) = project(&server, &tenderer, "building", "zjw", &BUILDING_SECTIONS);
    let (water, water_sections) = project(&server, &tenderer, "water", "swj", &WATER_SECTIONS);
    sections.extend(water_sections);
    sections.sort();
    let district = District {
        tenderer,
        witness: witness.body["id"].as_str().unwrap().to_owned(),
        building,
        water,
        sections: sections.into_iter().map(|(_, id)| id).collect(),
    };
    assert_eq!(district.sections.len(), 13);
    Some((server, district))
}

/// Everyone who bids.
#[derive(Debug)]
struct Cast {
    ring: [Bidder; 4],
    honest: [Bidder; 4],
    pair: [Bidder; 2],
    /// A person on h4's staff whom h3 names as its entrusted agent.
    agent: String,
    /// X, bidding in S13 through an agent it may not name.
    stranger: Stranger,
}

/// The ring takes S1..S5; the honest pair and honest bidders the rest. Every bid is in
/// before the deadline.
fn bids(server: &Server, d: &District) -> Cast {
    let ring = [
        new_bidder(server, 1, "r1"),
        new_bidder(server, 2, "r2"),
        new_bidder(server, 3, "r3"),
        new_bidder(server, 4, "r4"),
    ];
    let honest = [
        new_bidder(server, 5, "h1"),
        new_bidder(server, 6, "h2"),
        new_bidder(server, 7, "h3"),
        new_bidder(server, 8, "h4"),
    ];
    let pair = [new_bidder(server, 9, "A"), new_bidder(server, 10, "B")];
    let [r1, r2, r3, r4] = &ring;
    let [h1, h2, h3, h4] = &honest;
    let [a, b] = &pair;
    let plain = |n: usize, bidders: &[&Bidder]| {
        for (bidder, price) in bidders.iter().zip(ordinary_prices(n, bidders.len())) {
            deposit_and_bid(server, d.s(n), bidder, price);
        }
    };

    // S1..S5: the ring and h1, across both projects.
    for n in 1..=5 {
        plain(n, &[r1, r2, r3, r4, h1]);
    }
    // S6..S8: the honest pair with h2; S9, S10: one of the pair with h1 and h2, h2 paying
    // its bond in S10 from a 工商银行 account written the third way.
    for n in 6..=8 {
        plain(n, &[a, b, h2]);
    }
    plain(9, &[a, h1, h2]);
    let s10 = ordinary_prices(10, 3);
    deposit_and_bid(server, d.s(10), b, s10[0]);
    deposit_and_bid(server, d.s(10), h1, s10[1]);
    deposit(
        server,
        d.s(10),
        h2,
        &json!({"bank": "工行北京密云支行", "number": "020000123456 7890", "is_basic_account": true}),
    );
    let reply = bid(server, d.s(10), h2, s10[2], &json!({}));
    assert_eq!(reply.status, 201, "{}", reply.text);

    // S11: h3, h4 and A in a constant ratio of 1.015, each price rounded to the fen.
    let h3_price = 95_123_456;
    let h4_price = times_1_015(h3_price);
    let a_price = times_1_015(h4_price);
    deposit_and_bid(server, d.s(11), h3, h3_price);
    deposit_and_bid(server, d.s(11), h4, h4_price);
    deposit_and_bid(server, d.s(11), a, a_price);

    // S12: h3 and h4 pay their bonds from one 工商银行 account, written two ways.
    let s12 = ordinary_prices(12, 3);
    deposit_and_bid(server, d.s(12), b, s12[0]);
    for (bidder, account, price) in [
        (
            h3,
            json!({"bank": "中国工商银行北京密云支行", "number": "0200-0012-3456-7890", "is_basic_account": true}),
            s12[1],
        ),
        (
            h4,
            json!({"bank": "工商银行 北京密云支行", "number": "0200 0012 3456 7890", "is_basic_account": true}),
            s12[2],
        ),
    ] {
        deposit(server, d.s(12), bidder, &account);
        let reply = bid(server, d.s(12), bidder, price, &json!({}));
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    // S13: P works for h4; h3 entrusts P and names P its agent, h4 names P its contact.
    let agent = person(server, &h4.id, 20, "委托代理人");
    let entrusted = post(
        server,
        &format!("/api/v1/participants/{}/entrusted-agents", h3.id),
        Some(&server.token("bidder", Some(&h3.id))),
        &json!({"person_id": agent}),
    );
    assert_eq!(entrusted.status, 201, "entrusting an agent: {}", entrusted.text);
    assert!(
        entrusted
            .body
            .as_array()
            .is_some_and(|list| list.iter().any(|e| e["person_id"] == agent.as_str() && e["entrusted_at"].is_string())),
        "the bidder's entrusted agents list the agent: {}",
        entrusted.text
    );
    let s13 = ordinary_prices(13, 4);
    deposit_and_bid(server, d.s(13), h1, s13[0]);
    deposit(server, d.s(13), h3, &h3.account);
    let reply = bid(server, d.s(13), h3, s13[1], &json!({"agent_person_id": agent}));
    assert_eq!(reply.status, 201, "a bid through the entrusted agent: {}", reply.text);
    deposit(server, d.s(13), h4, &h4.account);
    let reply = bid(server, d.s(13), h4, s13[2], &json!({"contact_person_id": agent}));
    assert_eq!(reply.status, 201, "a bid with the agent as contact: {}", reply.text);
    // X names as its agent h1's project manager, neither on X's staff nor entrusted by X.
    // The platform cannot read an envelope, so the bid is taken; it is refused when X
    // decrypts it at the opening (see `open_all`).
    let x = new_bidder(server, 11, "X");
    deposit(server, d.s(13), &x, &x.account);
    let x_token = server.token("bidder", Some(&x.id));
    let envelope =
        seal(server, d.s(13), &x_token, &bid_content(d.s(13), &x, s13[3], &json!({"agent_person_id": h1.manager})));
    let reply =
        post(server, &format!("/api/v1/sections/{}/bids", d.s(13)), Some(&x_token), &json!({"envelope": envelope}));
    assert_eq!(reply.status, 201, "an envelope is taken unread: {}", reply.text);
    assert!(reply.body["content"].is_null(), "nothing of an envelope is read before it is decrypted: {}", reply.text);
    let stranger = Stranger { bid: reply.body["id"].as_str().unwrap().to_owned(), bidder: x, envelope };

    Cast { ring, honest, pair, agent, stranger }
}

/// A bid of S13 whose agent is a stranger to its bidder, as the bidder sealed it.
#[derive(Debug)]
struct Stranger {
    bid: String,
    bidder: Bidder,
    envelope: ggzy_seal::Envelope,
}

/// Every section opened by the tenderer with the witness: at the opening time the windows
/// open and the bidders decrypt their bids (their people checked then); X's decryption is
/// refused for its agent, so the openings are made once the windows have closed, X's bid
/// revoked. Answers the server at that time.
fn open_all(server: Server, d: &District, stranger: &Stranger) -> Server {
    let tenderer = server.token("tenderer", Some(&d.tenderer));
    for section in &d.sections {
        decrypt_bids(&server, section, &tenderer);
    }
    // An agent who is neither on the bidder's staff nor entrusted by it is refused.
    let x_token = server.token("bidder", Some(&stranger.bidder.id));
    let key = sealing_key(&server, &stranger.bidder.id, &x_token);
    let content_key = ggzy_seal::recover_content_key(&key, &stranger.envelope).expect("X opens its own envelope");
    let refused = post(
        &server,
        &format!("/api/v1/bids/{}/decryption", stranger.bid),
        Some(&x_token),
        &json!({"content_key": ggzy_seal::encode_key(&content_key)}),
    );
    assert_eq!(refused.status, 422, "an agent neither on staff nor entrusted: {}", refused.text);
    assert!(refused.error_fields().contains(&"agent_person_id".to_owned()), "{}", refused.text);

    let server = server.restart(&[("GGZY_CLOCK", WINDOWS_CLOSED)]);
    let tenderer = server.token("tenderer", Some(&d.tenderer));
    for (i, section) in d.sections.iter().enumerate() {
        let opened = post(
            &server,
            &format!("/api/v1/sections/{section}/opening"),
            Some(&tenderer),
            &json!({"witness_id": d.witness}),
        );
        assert_eq!(opened.status, 200, "opening S{}: {}", i + 1, opened.text);
        assert_eq!(opened.body["outcome"], "opened", "opening S{}: {}", i + 1, opened.text);
        let not_opened = opened.body["not_opened"].as_array().cloned().unwrap_or_default();
        if i + 1 == 13 {
            assert_eq!(not_opened.len(), 1, "S13: X's bid alone is not opened: {}", opened.text);
            assert_eq!(not_opened[0]["bidder_id"], stranger.bidder.id.as_str(), "{}", opened.text);
            assert_eq!(not_opened[0]["outcome"], "revoked", "{}", opened.text);
            assert_eq!(opened.body["bid_count"], 3, "S13: X's bid is not counted: {}", opened.text);
        } else {
            assert!(not_opened.is_empty(), "opening S{}: every bid decrypted: {}", i + 1, opened.text);
        }
    }
    server
}

/// Draws a committee of five, has every member score `winner` highest, and forms the
/// report with `winner` first.
fn evaluate(server: &Server, section: &str, bidders: &[&Bidder], winner: &Bidder) {
    let centre = server.token("centre_staff", Some("centre"));
    let draw = post(
        server,
        &format!("/api/v1/sections/{section}/expert-draws"),
        Some(&centre),
        &json!({"specialty": "building", "size": 5}),
    );
    assert_eq!(draw.status, 201, "{}", draw.text);
    let mut runners_up = 90;
    let scores: Vec<Value> = bidders
        .iter()
        .map(|bidder| {
            let score = if bidder.id == winner.id {
                "95.00".to_owned()
            } else {
                runners_up -= 1;
                format!("{runners_up}.00")
            };
            json!({"bidder_id": bidder.id, "score": score})
        })
        .collect();
    for member in draw.body["committee"].as_array().unwrap() {
        let token = server.token("expert", Some(member.as_str().unwrap()));
        let scored =
            post(server, &format!("/api/v1/sections/{section}/scores"), Some(&token), &json!({"scores": scores}));
        assert_eq!(scored.status, 200, "{}", scored.text);
    }
    let report = post(server, &format!("/api/v1/sections/{section}/evaluation-report"), Some(&centre), &json!({}));
    assert_eq!(report.status, 201, "{}", report.text);
    assert_eq!(report.body["candidates"][0]["bidder_id"], winner.id.as_str(), "{}", report.text);
}

/// The tenderer awards the section to its first candidate (the server scans it then).
fn award(server: &Server, d: &District, section: &str, winner: &Bidder) {
    let tenderer = server.token("tenderer", Some(&d.tenderer));
    let awarded =
        post(server, &format!("/api/v1/sections/{section}/award"), Some(&tenderer), &json!({"winner_id": winner.id}));
    assert_eq!(awarded.status, 200, "award to {}: {}", winner.name, awarded.text);
    assert_eq!(awarded.body["winner_id"], winner.id.as_str(), "{}", awarded.text);
}

/// Every alert the token sees, page by page.
fn alerts(server: &Server, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = "/api/v1/risk/alerts?limit=200".to_owned();
    loop {
        let reply = get(server, &path, Some(token));
        assert_eq!(reply.status, 200, "{}", reply.text);
        out.extend(reply.body["items"].as_array().unwrap().iter().cloned());
        match reply.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/risk/alerts?limit=200&after={cursor}"),
            None => return out,
        }
    }
}

fn of(alerts: &[Value], indicator: &str) -> Vec<Value> {
    alerts.iter().filter(|a| a["indicator"] == indicator).cloned().collect()
}

fn sorted(ids: &[&str]) -> Value {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    json!(ids)
}

fn bidders(list: &[&Bidder]) -> Value {
    sorted(&list.iter().map(|b| b.id.as_str()).collect::<Vec<_>>())
}

fn names(alert: &Value, bidder: &Bidder) -> bool {
    alert["bidders"].as_array().is_some_and(|list| list.iter().any(|b| b == bidder.id.as_str()))
}

fn scan(server: &Server) -> Reply {
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let scan = post(server, "/api/v1/risk/scans", Some(&gongguanban), &json!({}));
    assert_eq!(scan.status, 200, "{}", scan.text);
    scan
}

/// 1. The constant ratio of S11 is flagged, and nothing else is.
fn check_price_pattern(d: &District, cast: &Cast, alerts: &[Value]) {
    let [_, _, h3, h4] = &cast.honest;
    let patterns = of(alerts, "price_pattern");
    assert_eq!(patterns.len(), 1, "price pattern: exactly one alert, for S11's constant ratio: {patterns:#?}");
    assert_eq!(
        patterns[0]["bidders"],
        bidders(&[&cast.pair[0], h3, h4]),
        "price pattern: the bidders of S11's ratio: {patterns:#?}"
    );
    assert_eq!(patterns[0]["section_ids"], json!([d.s(11)]), "price pattern: only S11: {patterns:#?}");
}

/// 2. The ring is one alert over its five sections in both projects, and stays one.
fn check_rotation(server: &Server, d: &District, cast: &Cast, alerts: &[Value]) -> Value {
    let rotations = of(alerts, "rotating_group");
    assert_eq!(rotations.len(), 1, "rotation: exactly one rotating_group alert, for the ring: {rotations:#?}");
    let ring = &rotations[0];
    let members: Vec<&Bidder> = cast.ring.iter().collect();
    assert_eq!(ring["bidders"], bidders(&members), "rotation: the ring's four members: {ring:#}");
    let sections: Vec<&str> = (1..=5).map(|n| d.s(n)).collect();
    assert_eq!(ring["section_ids"], sorted(&sections), "rotation: S1..S5: {ring:#}");
    assert_eq!(
        ring["project_ids"],
        sorted(&[d.building.as_str(), d.water.as_str()]),
        "rotation: both projects: {ring:#}"
    );
    let again = scan(server);
    assert_eq!(again.body["new_alerts"], 0, "rotation: a second rescan raises nothing: {}", again.text);
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let after = of(&self::alerts(server, &gongguanban), "rotating_group");
    assert_eq!(after.len(), 1, "rotation: still one rotating_group alert after a second rescan: {after:#?}");
    assert_eq!(after[0]["id"], ring["id"], "rotation: the same alert after a second rescan: {after:#?}");
    ring.clone()
}

/// 3. The ring's alert goes to both regulators and 公管办; one handles it, all see it.
fn check_routing(server: &Server, ring: &Value) {
    let id = ring["id"].as_str().unwrap();
    let departments = ring["department_ids"].as_array().cloned().unwrap_or_default();
    for department in ["zjw", "swj", "gongguanban"] {
        assert!(departments.iter().any(|d| d == department), "routing: {department} among the departments: {ring:#}");
    }
    let path = format!("/api/v1/risk/alerts/{id}");
    for regulator in ["zjw", "swj"] {
        let token = server.token("industry_regulator", Some(regulator));
        let read = get(server, &path, Some(&token));
        assert_eq!(read.status, 200, "routing: {regulator} reads the alert: {}", read.text);
        assert!(alerts(server, &token).iter().any(|a| a["id"] == id), "routing: the alert is in {regulator}'s list");
    }
    let czj = get(server, &path, Some(&server.token("industry_regulator", Some("czj"))));
    assert_eq!(czj.status, 404, "routing: an unrelated regulator does not see the alert: {}", czj.text);
    let czj_handles = post(
        server,
        &format!("{path}/handling"),
        Some(&server.token("industry_regulator", Some("czj"))),
        &json!({"status": "investigating", "note": "x"}),
    );
    assert_eq!(
        czj_handles.status, 404,
        "routing: an unrelated regulator cannot handle it either: {}",
        czj_handles.text
    );

    let note = "调取五个标段的投标文件和保证金流水";
    let swj = server.token("industry_regulator", Some("swj"));
    let handled =
        post(server, &format!("{path}/handling"), Some(&swj), &json!({"status": "investigating", "note": note}));
    assert_eq!(handled.status, 200, "routing: swj handles the alert: {}", handled.text);
    assert_eq!(handled.body["status"], "investigating", "routing: {}", handled.text);
    for (role, department) in [("industry_regulator", "zjw"), ("comprehensive_regulator", "gongguanban")] {
        let read = get(server, &path, Some(&server.token(role, Some(department))));
        assert_eq!(read.status, 200, "routing: {department} reads the handled alert: {}", read.text);
        assert_eq!(read.body["status"], "investigating", "routing: {department} sees swj's handling: {}", read.text);
        let steps = read.body["handling"].as_array().cloned().unwrap_or_default();
        assert!(
            steps.iter().any(|s| s["status"] == "investigating" && s["note"] == note && s["by"] == "swj"),
            "routing: {department} sees swj's handling step: {}",
            read.text
        );
    }
}

/// 4. The honest pair met three times and won once each: not a ring.
fn check_honest_pair(cast: &Cast, alerts: &[Value]) {
    for member in &cast.pair {
        let flagged: Vec<Value> = of(alerts, "rotating_group").into_iter().filter(|a| names(a, member)).collect();
        assert!(flagged.is_empty(), "honest pair: {} is named in a rotating_group alert: {flagged:#?}", member.name);
    }
}

/// 5. h3's entrusted agent is h4's contact in S13.
fn check_entrusted_agent(d: &District, cast: &Cast, alerts: &[Value]) {
    let [_, _, h3, h4] = &cast.honest;
    let handlers = of(alerts, "same_handler");
    assert!(
        handlers.iter().any(|a| a["section_ids"] == json!([d.s(13)]) && a["bidders"] == bidders(&[h3, h4])),
        "entrusted agent: a same_handler alert for h3 and h4 in S13 (agent {}): {handlers:#?}",
        cast.agent
    );
}

/// 6. One account written two ways in S12; one basic account behind three bidders' bonds.
fn check_accounts(d: &District, cast: &Cast, alerts: &[Value]) {
    let [_, h2, h3, h4] = &cast.honest;
    let same = of(alerts, "same_bond_account");
    assert!(
        same.iter().any(|a| a["section_ids"] == json!([d.s(12)]) && a["bidders"] == bidders(&[h3, h4])),
        "accounts: a same_bond_account alert for h3 and h4 in S12: {same:#?}"
    );
    let shared = of(alerts, "shared_basic_account");
    assert!(
        shared.iter().any(|a| [h2, h3, h4].iter().all(|b| names(a, b))),
        "accounts: a shared_basic_account alert naming h2, h3 and h4: {shared:#?}"
    );
}

fn collusion_in_a_district(backend: Backend) {
    let Some((server, d)) = district(backend) else { return };
    let cast = bids(&server, &d);
    let [r1, r2, r3, r4] = &cast.ring;
    let [h1, h2, _, _] = &cast.honest;
    let [a, b] = &cast.pair;

    // The openings at the deadline, then the evaluations of S1..S8.
    let server = server.restart(&[("GGZY_CLOCK", OPENING)]);
    let server = open_all(server, &d, &cast.stranger);
    for i in 0..5 {
        expert(&server, &format!("专家{i}"), None);
    }
    let ring_bids: [&Bidder; 5] = [r1, r2, r3, r4, h1];
    let outcomes: [(usize, &[&Bidder], &Bidder); 8] = [
        (1, &ring_bids, r1),
        (2, &ring_bids, r2),
        (3, &ring_bids, r3),
        (4, &ring_bids, r4),
        (5, &ring_bids, r1),
        (6, &[a, b, h2], a),
        (7, &[a, b, h2], b),
        (8, &[a, b, h2], h2),
    ];
    for (n, bidders, winner) in outcomes {
        evaluate(&server, d.s(n), bidders, winner);
    }

    // After the publicity, the awards one at a time, each scanned as it is made.
    let server = server.restart(&[("GGZY_CLOCK", AWARD)]);
    for (n, _, winner) in outcomes {
        award(&server, &d, d.s(n), winner);
    }

    // A full rescan; 公管办 reads every alert.
    scan(&server);
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let raised = alerts(&server, &gongguanban);

    check_price_pattern(&d, &cast, &raised);
    let ring = check_rotation(&server, &d, &cast, &raised);
    check_routing(&server, &ring);
    check_honest_pair(&cast, &raised);
    check_entrusted_agent(&d, &cast, &raised);
    check_accounts(&d, &cast, &raised);

    let verified = get(&server, "/api/v1/audit/verification", Some(&gongguanban));
    assert_eq!(verified.body["valid"], true, "{}", verified.text);
}

both_backends!(collusion_in_a_district);
