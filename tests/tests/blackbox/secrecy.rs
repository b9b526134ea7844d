//! Before a section's opening nobody but a bidder itself learns who bids or how many
//! (招标投标法 §22): every GET operation of the OpenAPI document, with a token of every role
//! and with none, answers exactly as it did before anyone deposited or bid; nothing of the
//! bidders' bonds or bids is in any answer, in `/metrics`, in the archive zip or in the
//! server's log. The bidders seal their bids themselves, so the price is in no answer (not
//! even the bidder's own), no log line, no file of the server and no row of the database,
//! on either backend. After the opening the same things are where they belong.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::{bid_body, tender, Tender};
use sha2::Digest;

use crate::envelopes::{open_bids, place_bid_with_files, sealing_key};
use crate::projects::commit;
use crate::{get, post, register, resident_id, send};

const PRICE: &str = "7654321.98";
/// A placeholder for an id that does not exist yet (the bids and bonds, before they are made).
const ABSENT: &str = "00000000-0000-4000-8000-000000000000";

/// A bidder taking part: what would identify it, and its token.
struct Planted {
    id: String,
    code: String,
    token: String,
    manager: String,
    bond: String,
    bid: String,
    receipt: String,
    /// The bid's file: its sealed form's hash and its own.
    files: Vec<String>,
}

impl Planted {
    /// Everything that tells this bidder takes part (its id and credit code are public as a
    /// registered participant, but never next to this tender).
    fn traces(&self) -> Vec<&str> {
        [self.bond.as_str(), self.bid.as_str(), self.receipt.as_str()]
            .into_iter()
            .chain(self.files.iter().map(String::as_str))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

fn prepare(server: &Server, code: &str, id_body: &str) -> Planted {
    let id = register(server, code, &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let centre = server.token("centre_staff", Some("centre"));
    let manager = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "项目经理", "id_number": resident_id(id_body), "employer_id": id}),
    );
    assert_eq!(manager.status, 201, "{}", manager.text);
    let token = server.token("bidder", Some(&id));
    // A bidder's sealing key is its own, registered once for all its tenders (not an act
    // on this one): it is there before the first sweep.
    sealing_key(server, &id, &token);
    Planted {
        token,
        id,
        code: code.to_owned(),
        manager: manager.body["id"].as_str().unwrap().to_owned(),
        bond: String::new(),
        bid: String::new(),
        receipt: String::new(),
        files: Vec::new(),
    }
}

fn bid(server: &Server, section: &str, bidder: &mut Planted) {
    let held = post(
        server,
        &format!("/api/v1/sections/{section}/bonds"),
        Some(&bidder.token),
        &json!({"form": "transfer", "amount": "20000.00", "payer_account": {"bank": "中国银行", "number": format!("6222{}", bidder.code.chars().filter(char::is_ascii_digit).collect::<String>()), "is_basic_account": true}}),
    );
    assert_eq!(held.status, 201, "{}", held.text);
    bidder.bond = held.body["id"].as_str().unwrap().to_owned();
    // The bid's file carries the price too: sealed, it is in no file of the server either.
    let file = format!("%PDF-1.7 投标报价 {PRICE} 元 {}\n", bidder.code).repeat(300).into_bytes();
    let (placed, sealed) = place_bid_with_files(
        server,
        section,
        &bidder.token,
        &bid_body(PRICE, &bidder.manager, None),
        &[("投标文件", file.as_slice())],
    );
    bidder.files = sealed.into_iter().chain([hex::encode(sha2::Sha256::digest(&file))]).collect();
    assert_eq!(placed.status, 201, "{}", placed.text);
    assert_eq!(placed.body["sealed_by_bidder"], true, "{}", placed.text);
    bidder.bid = placed.body["id"].as_str().unwrap().to_owned();
    bidder.receipt = placed.body["receipt_hash"].as_str().unwrap().to_owned();
}

/// Who reads: every role (the bidders last), and nobody.
fn readers(server: &Server, t: &Tender, bidders: &[Planted]) -> Vec<(String, Option<String>)> {
    let mut readers = vec![
        ("anonymous".to_owned(), None),
        ("platform_admin".to_owned(), Some(server.token("platform_admin", None))),
        ("centre_staff".to_owned(), Some(server.token("centre_staff", Some("centre")))),
        ("industry_regulator".to_owned(), Some(server.token("industry_regulator", Some("zjw")))),
        ("comprehensive_regulator".to_owned(), Some(server.token("comprehensive_regulator", Some("gongguanban")))),
        ("inspector".to_owned(), Some(server.token("inspector", Some("jijian")))),
        ("tenderer".to_owned(), Some(server.token("tenderer", Some(&t.tenderer)))),
        ("agent".to_owned(), Some(server.token("agent", Some("some-agency")))),
        ("expert".to_owned(), Some(server.token("expert", Some("some-expert")))),
        (
            "system".to_owned(),
            Some(server.token_with_scope(
                "system",
                Some("district-system"),
                "audit:read credit:read participants:read persons:read",
            )),
        ),
    ];
    for (index, bidder) in bidders.iter().enumerate() {
        readers.push((format!("bidder{index}"), Some(bidder.token.clone())));
    }
    readers
}

/// Every GET operation of the document, with its path filled in: one or more concrete paths
/// per operation, keyed by the template and an index so that the sweeps before and after
/// bidding compare like with like (ids that do not exist yet stand in as `ABSENT`).
fn get_operations(t: &Tender, bidders: &[Planted]) -> Vec<(String, String)> {
    let document: Value =
        serde_json::from_str(include_str!("../../../api-spec/openapi.json")).expect("the committed OpenAPI document");
    let project = t.project["id"].as_str().unwrap();
    let or_absent = |id: &str| if id.is_empty() { ABSENT.to_owned() } else { id.to_owned() };
    let mut operations = Vec::new();
    for (template, item) in document["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let ids: Vec<String> = if !template.contains('{') {
            vec![String::new()]
        } else if template.starts_with("/api/v1/projects/") || template.starts_with("/api/v1/public/projects/") {
            vec![project.to_owned()]
        } else if template.contains("/sections/") {
            vec![t.section.clone()]
        } else if template.starts_with("/api/v1/bids/") {
            bidders.iter().map(|b| or_absent(&b.bid)).collect()
        } else if template.starts_with("/api/v1/bonds/") {
            bidders.iter().map(|b| or_absent(&b.bond)).collect()
        } else if template.starts_with("/api/v1/participants/") {
            bidders.iter().map(|b| b.id.clone()).collect()
        } else if template.starts_with("/api/v1/persons/") {
            bidders.iter().map(|b| b.manager.clone()).collect()
        } else if template.starts_with("/api/v1/ocds/") {
            vec![format!("ocds-ggzy00-{}", t.project["code"].as_str().unwrap())]
        } else if template.starts_with("/api/v1/calendar/") {
            vec!["2026".to_owned()]
        } else if template.starts_with("/api/v1/departments/") {
            vec!["centre".to_owned()]
        } else if template.starts_with("/api/v1/rule-sets/") {
            vec!["1".to_owned()]
        } else {
            vec![ABSENT.to_owned()]
        };
        for (index, id) in ids.iter().enumerate() {
            let mut path = template.clone();
            while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
                path.replace_range(open..=close, id);
            }
            if template.contains("archive") || template.contains("credit-records") {
                path.push_str("?purpose=%E6%A3%80%E6%9F%A5");
            }
            operations.push((format!("{template}#{index}"), path));
        }
    }
    operations
}

/// The text of an answer; a zip's entries, unpacked.
fn answer_text(response: reqwest::blocking::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let is_zip = response.headers().get("content-type").is_some_and(|v| v.as_bytes() == b"application/zip");
    if response.headers().get("content-type").is_some_and(|v| v.as_bytes() == b"text/event-stream") {
        return (status, first_event(response));
    }
    let bytes = response.bytes().expect("body");
    if !is_zip {
        return (status, String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut text = String::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("zip entry");
        text.push_str(entry.name());
        text.push('\n');
        // Carried files may be binary (a sealed bid file): their text as far as it reads.
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("a zip entry");
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    (status, text)
}

/// A live stream's text up to its first event (a stream does not end while what it follows
/// goes on; what it would tell first is what the sweep compares).
fn first_event(response: reqwest::blocking::Response) -> String {
    use std::io::BufRead;
    let mut text = String::new();
    for line in std::io::BufReader::new(response).lines() {
        let line = line.expect("a stream line");
        let ends_event = line.is_empty() && text.contains("data: ");
        text.push_str(&line);
        text.push('\n');
        if ends_event {
            break;
        }
    }
    text
}

type Sweep = BTreeMap<(String, String), (u16, String)>;

fn sweep(server: &Server, readers: &[(String, Option<String>)], operations: &[(String, String)]) -> Sweep {
    let mut answers = Sweep::new();
    for (reader, token) in readers {
        for (key, path) in operations {
            let mut request = server.client().get(server.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let (status, text) = answer_text(request.send().expect("request"));
            assert!(status < 500, "{reader} GET {path}: {status} {text}");
            answers.insert((reader.clone(), key.clone()), (status, text));
        }
    }
    answers
}

/// What the sweeps may legitimately see change: the reads of the archive that the first
/// sweep itself made, and the metrics of the sweep's own requests.
fn compared(key: &str) -> bool {
    !key.starts_with("/api/v1/projects/{id}/archive-reads") && !key.starts_with("/metrics")
}

fn nothing_about_a_tender_leaks_before_its_opening(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let mut bidders = vec![
        prepare(server, "914403001922038216", "11010519800101001"),
        prepare(server, "91110108551385082Q", "11010519800101002"),
        prepare(server, "9144030071526726XG", "11010519800101003"),
    ];
    let readers_now = readers(server, &t, &bidders);
    let before = sweep(server, &readers_now, &get_operations(&t, &bidders));

    for bidder in &mut bidders {
        bid(server, &t.section, bidder);
    }
    let after = sweep(server, &readers_now, &get_operations(&t, &bidders));

    let mut leaks = Vec::new();
    for ((reader, key), (status, text)) in &after {
        let own = reader.strip_prefix("bidder").and_then(|n| n.parse::<usize>().ok());
        // A bidder sees its own bond and bid, nobody else's.
        for (index, bidder) in bidders.iter().enumerate() {
            if own == Some(index) {
                continue;
            }
            for trace in bidder.traces() {
                if text.contains(trace) {
                    leaks.push(format!("{reader} {key}: {status} shows {trace} of bidder{index}"));
                }
            }
        }
        // The price never reached the server: not even the bidder's own reads show it.
        if text.contains(PRICE) {
            leaks.push(format!("{reader} {key}: {status} shows the price"));
        }
        if own.is_none()
            && compared(key)
            && before.get(&(reader.clone(), key.clone())) != Some(&(*status, text.clone()))
        {
            let (old_status, old_text) = &before[&(reader.clone(), key.clone())];
            leaks.push(format!(
                "{reader} {key}: the answer changed with the bids: {old_status} {old_text:.300} → {status} {text:.300}"
            ));
        }
    }
    // Metrics count no bid or bond route.
    let metrics = get(server, "/metrics", None).text;
    for route in ["/bids", "/bonds"] {
        if metrics.contains(route) {
            leaks.push(format!("/metrics names {route}"));
        }
    }
    // Nor does the log say who bid, or how often a bid or bond route was called.
    for line in server.log_lines() {
        let names_trace = bidders.iter().flat_map(Planted::traces).any(|trace| line.contains(trace));
        if names_trace || line.contains(PRICE) || line.contains("/bids") || line.contains("/bonds") {
            leaks.push(format!("log: {line}"));
        }
    }
    // Nor is the price in any file of the server or row of the database (a sweep that
    // finds the section's id there, so it reads what is stored).
    let control = at_rest(server, &t.section);
    let in_database = match server.database.backend {
        Backend::Sqlite => control.iter().any(|p| p.contains("ggzy.db")),
        Backend::Postgres => control.iter().any(|p| p.starts_with("PostgreSQL")),
    };
    assert!(in_database, "the sweep at rest finds the section: {control:?}");
    for place in at_rest(server, PRICE) {
        leaks.push(format!("the price at rest: {place}"));
    }
    // Nor does a recusal check: naming a bidder's employee as the tenderer's representative
    // says nothing of whether that bidder bid.
    let project = t.project["id"].as_str().unwrap();
    let tenderer_token = server.token("tenderer", Some(&t.tenderer));
    let probe = post(
        server,
        &format!("/api/v1/projects/{project}/officials"),
        Some(&tenderer_token),
        &json!({"person_id": bidders[0].manager, "role": "tenderer_representative"}),
    );
    if probe.text.contains(&bidders[0].id) || probe.text.contains("bidder") {
        leaks.push(format!("a recusal check names the bidder: {} {}", probe.status, probe.text));
    }
    let officials = get(server, &format!("/api/v1/projects/{project}/officials"), Some(&tenderer_token));
    if officials.text.contains(&bidders[0].id) {
        leaks.push(format!("the officials list names a bidder: {}", officials.text));
    }
    assert!(leaks.is_empty(), "{} leaks before the opening:\n{}", leaks.len(), leaks.join("\n"));

    // The bond desk holds the deposits and sees them, before the opening too.
    let desk = server.token_with_scope("centre_staff", Some("centre"), "bonds:desk");
    for bidder in &bidders {
        let bond = get(server, &format!("/api/v1/bonds/{}", bidder.bond), Some(&desk));
        assert_eq!(bond.status, 200, "{}", bond.text);
        assert_eq!(bond.body["bidder_id"], bidder.id.as_str());
    }
    let closure = get(server, &format!("/api/v1/sections/{}/bond-closure", t.section), Some(&desk));
    assert_eq!(closure.body["bonds"], 3, "{}", closure.text);

    // After the opening the file holds everything, in order, and verifies.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let opened = open_bids(&server, &t.section, &tenderer, &t.witness);
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["bid_count"], 3);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    assert!(opened.text.contains(PRICE), "the bidders decrypted: {}", opened.text);
    let inspector = server.token("inspector", Some("jijian"));
    let project = t.project["id"].as_str().unwrap();
    let archive =
        get(&server, &format!("/api/v1/projects/{project}/archive?purpose=%E6%A3%80%E6%9F%A5"), Some(&inspector));
    assert_eq!(archive.status, 200, "{}", archive.text);
    let events = archive.body["audit_chain"].as_array().unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in the order written: {seqs:?}");
    for bidder in &bidders {
        assert!(
            events.iter().any(|e| e["action"] == "bid.submit" && e["object_id"] == bidder.bid.as_str()),
            "the archive shows the bid of {}",
            bidder.id
        );
        assert!(
            events.iter().any(|e| e["action"] == "bond.deposit" && e["object_id"] == bidder.bond.as_str()),
            "the archive shows the bond of {}",
            bidder.id
        );
        assert!(archive.text.contains(&bidder.receipt));
        assert!(archive.body["bonds"].as_array().unwrap().iter().any(|b| b["id"] == bidder.bond.as_str()));
        let bond = get(&server, &format!("/api/v1/bonds/{}", bidder.bond), Some(&inspector));
        assert_eq!(bond.status, 200, "after the opening the regulators see the bonds: {}", bond.text);
    }
    let zip = server
        .client()
        .get(server.url(&format!("/api/v1/projects/{project}/archive.zip?purpose=%E6%A3%80%E6%9F%A5")))
        .bearer_auth(&inspector)
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    let file = server.data_dir.path().join("archive.zip");
    std::fs::write(&file, &zip).unwrap();
    let verified = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));
    let audit = send(server.client().get(server.url("/api/v1/audit/verification")).bearer_auth(&inspector));
    assert_eq!(audit.body["valid"], true, "{}", audit.text);
    let public = get(&server, &format!("/api/v1/public/sections/{}/opening-record", t.section), None);
    for bidder in &bidders {
        assert!(public.text.contains(&bidder.id), "the opening record names every bidder: {}", public.text);
    }
}

/// Where `needle` lies at rest: the files of the server's data directory and, on SQLite, of
/// the database (with its journal); on PostgreSQL, every table of the test database whose
/// rows hold it as text, or as bytes (hex in a row's text form).
pub(crate) fn at_rest(server: &Server, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![server.data_dir.path().to_owned()];
    dirs.extend(server.database.sqlite_dir().map(Path::to_owned));
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    if server.database.backend == Backend::Postgres {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::PgConnection::establish(&server.database.url).expect("the test database");
        let sweep = format!(
            "DO $$ DECLARE t record; hit boolean; hits text := ''; BEGIN
               FOR t IN SELECT n.nspname AS s, c.relname AS r FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p', 'm')
                          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                          AND n.nspname NOT LIKE 'pg_toast%' LOOP
                 EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I x WHERE x::text LIKE %L OR x::text LIKE %L)',
                                t.s, t.r, '%{needle}%', '%{hex}%') INTO hit;
                 IF hit THEN hits := hits || ' ' || t.s || '.' || t.r; END IF;
               END LOOP;
               IF hits <> '' THEN RAISE EXCEPTION 'in%', hits; END IF;
             END $$",
            hex = hex::encode(needle),
        );
        if let Err(e) = diesel::sql_query(sweep).execute(&mut conn) {
            found.push(format!("PostgreSQL {e}"));
        }
    }
    found
}

both_backends!(nothing_about_a_tender_leaks_before_its_opening);
