//! OCDS 1.1.5 output on both databases: a district with a tender from registration to
//! contract (with a correction), a terminated tender, a failed opening and a land listing
//! sold and confirmed. Every release package and record package the routes answer is
//! validated against the standard's own schemas (../shared/ocds/1.1.5, JSON Schema draft 4,
//! formats checked) and its closed codelists; the compiled release of the tender equals
//! the document written out below; before the opening no OCDS output names a bidder or a
//! price.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use ggzy_blackbox::{both_backends, Backend, Server};
use ggzy_ocds::validate::Standard;
use serde_json::{json, Value};

use crate::bids::tender;
use crate::envelopes::open_bids;
use crate::lifecycle::{expert, three_bids};
use crate::listings;
use crate::{get, post, SHA256_OF_TEST as SHA};

const PREFIX: &str = "ocds-ggzy00";

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/ocds/1.1.5")
}

/// The standard's schemas and codelists; None (the test reports itself not run) when they
/// are absent outside CI. In CI their absence fails the test.
fn standard() -> Option<&'static Standard> {
    static STANDARD: OnceLock<Option<Standard>> = OnceLock::new();
    STANDARD
        .get_or_init(|| {
            let dir = schema_dir();
            if !dir.join("release-schema.json").exists() {
                let required = std::env::var_os("CI").is_some() || std::env::var_os("GGZY_REQUIRE_POSTGRES").is_some();
                assert!(!required, "the OCDS 1.1.5 schemas are missing at {}", dir.display());
                eprintln!("NOT RUN: the OCDS 1.1.5 schemas are missing at {}", dir.display());
                return None;
            }
            Some(Standard::load(&dir).unwrap_or_else(|e| panic!("the OCDS standard: {e}")))
        })
        .as_ref()
}

/// Every OCDS answer there is now: the release feed page by page (three per page), and
/// each process's release package and record package. Answers (path, package).
pub(crate) fn all_output(server: &Server) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut ocids = BTreeSet::new();
    let mut path = "/api/v1/ocds/releases?limit=3".to_owned();
    loop {
        let page = get(server, &path, None);
        if page.status == 204 {
            assert!(page.text.is_empty(), "{path}: {}", page.text);
            break;
        }
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        let releases = page.body["releases"].as_array().unwrap().clone();
        assert!(!releases.is_empty() && releases.len() <= 3, "{path}: {}", page.text);
        for release in &releases {
            ocids.insert(release["ocid"].as_str().unwrap().to_owned());
        }
        out.push((path.clone(), page.body.clone()));
        let next = page.body["links"]["next"].as_str().unwrap();
        let after = next.split("after=").nth(1).unwrap().split('&').next().unwrap();
        path = format!("/api/v1/ocds/releases?limit=3&after={after}");
    }
    for ocid in ocids {
        for route in ["releases", "records"] {
            let path = format!("/api/v1/ocds/{route}/{ocid}");
            let reply = get(server, &path, None);
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
            out.push((path, reply.body));
        }
    }
    out
}

/// Validates every package; panics naming every error at once.
pub(crate) fn validate_all(output: &[(String, Value)]) {
    let Some(standard) = standard() else { return };
    let mut errors = Vec::new();
    for (path, package) in output {
        errors.extend(standard.problems(package).into_iter().map(|e| format!("{path}: {e}")));
    }
    assert!(errors.is_empty(), "{} OCDS errors:\n{}", errors.len(), errors.join("\n"));
}

fn sorted_by_id(items: &Value) -> Value {
    let mut items = items.as_array().cloned().unwrap_or_default();
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Value::Array(items)
}

fn ocds_publishes_a_district(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let tenderer_token = server.token("tenderer", Some(&t.tenderer));
    let project_code = t.project["code"].as_str().unwrap().to_owned();
    let ocid = format!("{PREFIX}-{project_code}");
    let section_code = t.project["sections"][0]["code"].as_str().unwrap().to_owned();

    // A correction on the day: the opening room moves.
    let announcements = get(server, "/api/v1/public/announcements", None);
    let announcement = announcements.body["items"][0]["id"].as_str().unwrap().to_owned();
    let corrected = post(
        server,
        &format!("/api/v1/announcements/{announcement}/corrections"),
        Some(&tenderer_token),
        &json!({"affects_preparation": false, "opening_place": "开标二室", "summary": "开标地点改为开标二室"}),
    );
    assert_eq!(corrected.status, 201, "{}", corrected.text);
    let correction = corrected.body["id"].as_str().unwrap().to_owned();
    // The portal narrows the list by project, kind and category; what matches nothing is an
    // empty page, a bad filter is named, an unknown one refused.
    let project_id = t.project["id"].as_str().unwrap();
    let ids = |query: &str| -> Vec<String> {
        let page = get(server, &format!("/api/v1/public/announcements?{query}"), None);
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        page.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(&format!("project_id={project_id}")), [announcement.clone(), correction.clone()]);
    assert_eq!(ids(&format!("project_id={project_id}&kind=correction")), std::slice::from_ref(&correction));
    assert_eq!(ids("category=construction&kind=tender"), std::slice::from_ref(&announcement));
    assert_eq!(ids("category=land_mining"), Vec::<String>::new());
    assert_eq!(ids("published_from=2099-01-01"), Vec::<String>::new());
    let far = get(server, "/api/v1/public/announcements?published_from=0001-01-01&published_to=9999-12-31", None);
    assert_eq!(far.problem(422, "validation-failed")["errors"][0]["code"], "date_out_of_range", "{}", far.text);
    assert_eq!(far.error_fields(), ["published_from", "published_to"]);
    let bad = get(server, "/api/v1/public/announcements?project_id=x&category=roads&kind=notice&published_to=1", None);
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["project_id", "category", "kind", "published_to"], "{}", bad.text);
    get(server, "/api/v1/public/announcements?sort=newest", None).problem(400, "malformed-request");

    // Two more tenders of the same tenderer: one terminated, one that nobody bids on.
    let mut others = Vec::new();
    for name in ["终止的工程", "流标的工程"] {
        let project = post(
            server,
            "/api/v1/projects",
            Some(&tenderer_token),
            &json!({"name": name, "tenderer_id": t.tenderer, "category": "construction", "subtype": "works",
                "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                "sections": [{"name": "一标段", "estimated_amount": "800000.00"}],
                "approval_documents": [{"title": "批复", "number": "2号", "sha256": SHA}]}),
        );
        assert_eq!(project.status, 201, "{}", project.text);
        let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();
        let announced = post(
            server,
            &format!("/api/v1/projects/{}/announcements", project.body["id"].as_str().unwrap()),
            Some(&tenderer_token),
            &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
                    "documents": [{"title": "招标文件", "sha256": SHA}],
                    "sections": [{"section_id": section, "bond_amount": "16000.00"}]}),
        );
        assert_eq!(announced.status, 201, "{}", announced.text);
        others.push((project.body["id"].as_str().unwrap().to_owned(), section));
    }
    // The opening schedule pages the three announced sections one at a time, soonest first,
    // each once.
    let mut scheduled: Vec<(String, String)> = Vec::new();
    let mut path = "/api/v1/public/openings?limit=1".to_owned();
    loop {
        let page = get(server, &path, None);
        assert_eq!(page.status, 200, "{}", page.text);
        for item in page.body["items"].as_array().unwrap() {
            scheduled.push((
                item["opening_at"].as_str().unwrap().to_owned(),
                item["section_id"].as_str().unwrap().to_owned(),
            ));
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/public/openings?limit=1&after={cursor}"),
            None => break,
        }
        assert!(scheduled.len() <= 3, "more pages than openings: {scheduled:?}");
    }
    let mut sorted = scheduled.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((scheduled.len(), &scheduled), (3, &sorted), "in order, each once");
    assert!(scheduled.iter().any(|(_, section)| *section == section_code_of(&t.project)), "{scheduled:?}");
    get(server, "/api/v1/public/openings?after=ab", None).problem(422, "validation-failed");
    // A project only registered is not public: no release names it.
    let unannounced = post(
        server,
        "/api/v1/projects",
        Some(&tenderer_token),
        &json!({"name": "尚未公告的工程", "tenderer_id": t.tenderer, "category": "construction", "subtype": "works",
            "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
            "sections": [{"name": "一标段", "estimated_amount": "700000.00"}],
            "approval_documents": [{"title": "批复", "number": "3号", "sha256": SHA}]}),
    );
    assert_eq!(unannounced.status, 201, "{}", unannounced.text);
    let unannounced_code = unannounced.body["code"].as_str().unwrap().to_owned();
    get(server, &format!("/api/v1/ocds/releases/{PREFIX}-{unannounced_code}"), None).problem(404, "not-found");
    let terminated = post(
        server,
        &format!("/api/v1/projects/{}/termination", others[0].0),
        Some(&tenderer_token),
        &json!({"reason": "项目取消"}),
    );
    assert_eq!(terminated.status, 200, "{}", terminated.text);

    // Bids are in, and a bidder's question is answered: no OCDS output names a bidder or a
    // price before the opening, nor who asked.
    let bidders = three_bids(server, &t.section);
    let asked = post(
        server,
        &format!("/api/v1/projects/{}/questions", t.project["id"].as_str().unwrap()),
        Some(&bidders[0].1),
        &json!({"question": "工期能否调整？"}),
    );
    assert_eq!(asked.status, 201, "{}", asked.text);
    let question = asked.body["id"].as_str().unwrap().to_owned();
    let answered = post(
        server,
        &format!("/api/v1/questions/{question}/answer"),
        Some(&tenderer_token),
        &json!({"answer": "工期不变"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let codes = ["914403001922038216", "91110108551385082Q", "9144030071526726XG"];
    let secrets: Vec<String> = bidders
        .iter()
        .map(|b| b.0.clone())
        .chain(codes.iter().map(|c| (*c).to_owned()))
        .chain(["980000", "990000", "995000"].iter().map(|p| (*p).to_owned()))
        .collect();
    let before = all_output(server);
    assert!(before.len() >= 3, "the feed and the three processes");
    assert!(
        before.iter().all(|(_, package)| !package.to_string().contains(&unannounced_code)),
        "an unannounced project is in the OCDS output"
    );
    for (path, package) in &before {
        let text = package.to_string();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{path} shows `{secret}` before the opening: {text}");
        }
    }
    validate_all(&before);

    // The opening (and the failed one), evaluation, award and contract.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer_token = server.token("tenderer", Some(&t.tenderer));
    for section in [&t.section, &others[1].1] {
        let opened = open_bids(&server, section, &tenderer_token, &t.witness);
        assert_eq!(opened.status, 200, "{}", opened.text);
    }
    let after_opening = all_output(&server).into_iter().map(|(_, p)| p.to_string()).collect::<String>();
    assert!(after_opening.contains(codes[0]), "after the opening the sweep finds the bidders");
    let centre = server.token("centre_staff", Some("centre"));
    for i in 0..5 {
        expert(&server, &format!("专家{i}"), None);
    }
    let draw = post(
        &server,
        &format!("/api/v1/sections/{}/expert-draws", t.section),
        Some(&centre),
        &json!({"specialty": "building", "size": 5}),
    );
    assert_eq!(draw.status, 201, "{}", draw.text);
    for member in draw.body["committee"].as_array().unwrap() {
        let token = server.token("expert", Some(member.as_str().unwrap()));
        let sheet = json!({"scores": [
            {"bidder_id": bidders[0].0, "score": "85.00"},
            {"bidder_id": bidders[1].0, "score": "92.50"},
            {"bidder_id": bidders[2].0, "score": "80.00"},
        ]});
        let scored = post(&server, &format!("/api/v1/sections/{}/scores", t.section), Some(&token), &sheet);
        assert_eq!(scored.status, 200, "{}", scored.text);
    }
    let report = post(&server, &format!("/api/v1/sections/{}/evaluation-report", t.section), Some(&centre), &json!({}));
    assert_eq!(report.status, 201, "{}", report.text);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-27T09:00:00+08:00")]);
    let tenderer_token = server.token("tenderer", Some(&t.tenderer));
    let awarded = post(
        &server,
        &format!("/api/v1/sections/{}/award", t.section),
        Some(&tenderer_token),
        &json!({"winner_id": bidders[1].0}),
    );
    assert_eq!(awarded.status, 200, "{}", awarded.text);
    let contract = post(
        &server,
        &format!("/api/v1/sections/{}/contract", t.section),
        Some(&tenderer_token),
        &json!({"amount": "990000.00", "sha256": SHA}),
    );
    assert_eq!(contract.status, 200, "{}", contract.text);

    let output = all_output(&server);
    validate_all(&output);
    // The check can fail: a package spoilt three ways is told so three times.
    if let Some(standard) = standard() {
        let mut spoilt = output[0].1.clone();
        spoilt.as_object_mut().unwrap().remove("publishedDate");
        spoilt["releases"][0]["tag"] = json!(["tendered"]);
        spoilt["releases"][0]["tender"]["value"] = json!({"amount": 1, "currency": "RMB"});
        let problems = standard.problems(&spoilt);
        assert!(problems.iter().any(|p| p.contains("publishedDate")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("tendered")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("RMB")), "{problems:?}");
    }

    // The record of the tender, field by field.
    let record = get(&server, &format!("/api/v1/ocds/records/{ocid}"), None);
    assert_eq!(record.status, 200, "{}", record.text);
    let compiled = record.body["records"][0]["compiledRelease"].clone();
    let base = compiled["tender"]["documents"][0]["url"].as_str().unwrap().split("/api/v1/").next().unwrap().to_owned();
    let party = |code: &str, roles: &[&str]| {
        let name = format!("测试主体{code}");
        json!({"id": format!("CN-USCC-{code}"), "name": name,
               "identifier": {"scheme": "CN-USCC", "id": code, "legalName": name}, "roles": roles})
    };
    let reference = |code: &str| json!({"id": format!("CN-USCC-{code}"), "name": format!("测试主体{code}")});
    let yuan = |amount: f64| json!({"amount": amount, "currency": "CNY"});
    let reason = t.project["entry_decision"]["reason"].clone();
    assert!(reason.is_string(), "{}", t.project);
    let opened = "2026-11-23T10:00:00+08:00";
    let awarded_at = "2026-11-27T09:00:00+08:00";
    let bid = |code: &str, price: f64| {
        json!({"id": format!("{section_code}-{code}"), "date": opened, "status": "pending",
               "tenderers": [reference(code)], "value": yuan(price), "relatedLots": [section_code]})
    };
    let expected = json!({
        "ocid": ocid,
        "id": format!("{ocid}-{awarded_at}"),
        "date": awarded_at,
        "tag": ["compiled"],
        "initiationType": "tender",
        "language": "zh",
        "buyer": reference("91110000600037341L"),
        "parties": sorted_by_id(&json!([
            party("91110000600037341L", &["buyer"]),
            party(codes[0], &["tenderer"]),
            party(codes[1], &["tenderer", "supplier"]),
            party(codes[2], &["tenderer"]),
        ])),
        "planning": {"budget": {"description": "估算金额", "amount": yuan(1_000_000.0)}, "rationale": reason},
        "tender": {
            "id": project_code,
            "title": "某工程",
            "status": "complete",
            "mainProcurementCategory": "works",
            "procurementMethod": "open",
            "procurementMethodDetails": "公开招标",
            "value": yuan(1_000_000.0),
            "tenderPeriod": {"startDate": "2026-11-02T09:00:00+08:00", "endDate": opened},
            "submissionMethod": ["electronicSubmission"],
            "submissionMethodDetails": "开标时间 2026-11-23 10:00 北京时间，地点 开标二室",
            "documents": [
                {"id": announcement, "documentType": "tenderNotice", "title": "招标公告",
                 "url": format!("{base}/api/v1/public/announcements/{announcement}"),
                 "datePublished": "2026-11-02T09:00:00+08:00"},
                {"id": format!("{announcement}-1"), "documentType": "biddingDocuments", "title": "招标文件",
                 "description": format!("sha256:{SHA}"), "datePublished": "2026-11-02T09:00:00+08:00"},
                {"id": correction, "documentType": "tenderNotice", "title": "更正公告",
                 "url": format!("{base}/api/v1/public/announcements/{correction}"),
                 "datePublished": "2026-11-02T09:00:00+08:00"},
                {"id": format!("{correction}-1"), "documentType": "biddingDocuments", "title": "招标文件",
                 "description": format!("sha256:{SHA}"), "datePublished": "2026-11-02T09:00:00+08:00"},
            ],
            "lots": [{"id": section_code, "title": "一标段", "status": "complete", "value": yuan(1_000_000.0)}],
            "amendments": [{"id": correction, "date": "2026-11-02T09:00:00+08:00",
                            "rationale": "开标地点改为开标二室", "description": "开标地点改为开标二室"}],
            "tenderers": [reference(codes[0]), reference(codes[1]), reference(codes[2])],
            "numberOfTenderers": 3,
            "hasEnquiries": true,
            "enquiries": [{"id": question, "date": "2026-11-02T09:00:00+08:00", "description": "工期能否调整？",
                           "answer": "工期不变", "dateAnswered": "2026-11-02T09:00:00+08:00"}],
        },
        "bids": {
            "details": [bid(codes[0], 980_000.0), bid(codes[1], 990_000.0), bid(codes[2], 995_000.0)],
            "statistics": [{"id": format!("{section_code}-bids"), "measure": "bids", "value": 3, "date": opened,
                            "relatedLot": section_code}],
        },
        "awards": [
            {"id": format!("{section_code}-1"), "title": "一标段 第1中标候选人", "status": "active",
             "date": awarded_at, "value": yuan(990_000.0), "suppliers": [reference(codes[1])],
             "relatedLots": [section_code]},
            {"id": format!("{section_code}-2"), "title": "一标段 第2中标候选人", "status": "unsuccessful",
             "date": opened, "value": yuan(980_000.0), "suppliers": [reference(codes[0])],
             "relatedLots": [section_code]},
            {"id": format!("{section_code}-3"), "title": "一标段 第3中标候选人", "status": "unsuccessful",
             "date": opened, "value": yuan(995_000.0), "suppliers": [reference(codes[2])],
             "relatedLots": [section_code]},
        ],
        "contracts": [{"id": format!("{section_code}-contract"), "awardID": format!("{section_code}-1"),
                       "title": "一标段 合同", "status": "active", "value": yuan(990_000.0),
                       "dateSigned": awarded_at}],
    });
    let mut compiled_sorted = compiled.clone();
    compiled_sorted["parties"] = sorted_by_id(&compiled["parties"]);
    compiled_sorted["tender"]["tenderers"] = sorted_by_id(&compiled["tender"]["tenderers"]);
    compiled_sorted["bids"]["details"] = sorted_by_id(&compiled["bids"]["details"]);
    let mut expected_sorted = expected.clone();
    expected_sorted["tender"]["tenderers"] = sorted_by_id(&expected["tender"]["tenderers"]);
    expected_sorted["bids"]["details"] = sorted_by_id(&expected["bids"]["details"]);
    let fields: BTreeSet<&String> =
        expected_sorted.as_object().unwrap().keys().chain(compiled_sorted.as_object().unwrap().keys()).collect();
    for field in fields {
        assert_eq!(compiled_sorted[field], expected_sorted[field], "compiled release field `{field}`");
    }
    let tags: Vec<Value> =
        record.body["records"][0]["releases"].as_array().unwrap().iter().map(|r| r["tag"][0].clone()).collect();
    assert_eq!(
        tags,
        ["planning", "tender", "tenderAmendment", "tenderUpdate", "tenderUpdate", "award", "awardUpdate", "contract"],
        "one release per public event, in order"
    );
    let versions = &record.body["records"][0]["versionedRelease"]["tender"]["status"];
    let statuses: Vec<&Value> = versions.as_array().unwrap().iter().map(|v| &v["value"]).collect();
    assert_eq!(statuses, [&json!("planning"), &json!("active"), &json!("complete")], "{versions}");

    // The terminated and the failed tenders end as the standard says.
    let process_of = |project: &str| {
        let code = get(&server, &format!("/api/v1/projects/{project}"), Some(&tenderer_token)).body["code"].clone();
        let ocid = format!("{PREFIX}-{}", code.as_str().unwrap());
        get(&server, &format!("/api/v1/ocds/records/{ocid}"), None).body["records"][0].clone()
    };
    let cancelled = process_of(&others[0].0);
    assert_eq!(cancelled["compiledRelease"]["tender"]["status"], "cancelled");
    assert_eq!(cancelled["releases"].as_array().unwrap().last().unwrap()["tag"], json!(["tenderCancellation"]));
    let failed = process_of(&others[1].0);
    assert_eq!(failed["compiledRelease"]["tender"]["status"], "unsuccessful");
    assert_eq!(failed["compiledRelease"]["tender"]["lots"][0]["status"], "unsuccessful");

    // Unknown processes and bad cursors are refused.
    get(&server, &format!("/api/v1/ocds/records/{PREFIX}-X0000000000000000"), None).problem(404, "not-found");
    get(&server, "/api/v1/ocds/releases/ocds-other0-A1", None).problem(404, "not-found");
    let bad = get(&server, "/api/v1/ocds/releases?after=x&limit=0", None);
    assert_eq!(bad.problem(422, "validation-failed")["errors"].as_array().unwrap().len(), 2, "{}", bad.text);
}

/// A land listing, sold and confirmed: a tender with its method, an award, a contract;
/// the reserve price never appears.
fn ocds_publishes_a_listing(backend: Backend) {
    let Some(mut s) = listings::listed(backend) else { return };
    let ids = listings::bidders(&mut s, 1, 2);
    let s = listings::at(s, "2026-11-24T10:00:00+08:00");
    assert_eq!(listings::quote(&s, &ids[0], "1060000.00").status, 201);
    let s = listings::at(s, "2026-12-07T15:00:00+08:00");
    let closed = listings::close(&s);
    assert_eq!(closed.body["phase"], "sold", "{}", closed.text);
    let token = s.server.token("bidder", Some(&ids[0]));
    let confirmed = post(&s.server, &format!("/api/v1/listings/{}/confirmation", s.listing), Some(&token), &json!({}));
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    let output = all_output(&s.server);
    validate_all(&output);
    for (path, package) in &output {
        assert!(!package.to_string().contains("1050000"), "{path} shows the reserve price");
    }
    let record = output.iter().find(|(path, _)| path.starts_with("/api/v1/ocds/records/")).unwrap();
    let compiled = &record.1["records"][0]["compiledRelease"];
    assert_eq!(compiled["tender"]["procurementMethod"], "open");
    assert_eq!(compiled["tender"]["procurementMethodDetails"], "国有建设用地使用权挂牌出让（可转竞价）");
    assert!(compiled.get("buyer").is_none(), "a seller is not a buyer");
    assert_eq!(compiled["awards"][0]["status"], "active");
    assert_eq!(compiled["awards"][0]["value"], json!({"amount": 1_060_000.0, "currency": "CNY"}));
    assert_eq!(compiled["contracts"][0]["status"], "active");
    let tags: Vec<Value> =
        record.1["records"][0]["releases"].as_array().unwrap().iter().map(|r| r["tag"][0].clone()).collect();
    assert_eq!(tags, ["planning", "tender", "award", "contract"]);

    // A database from before releases were kept: at start the server writes the releases
    // of its earlier events, dated as they were, and the record is the same.
    let ocid = record.1["records"][0]["ocid"].as_str().unwrap().to_owned();
    crate::audit::tamper(&s.server, &["DELETE FROM ocds_releases"]).unwrap();
    let server = s.server.restart(&[]);
    let rebuilt = get(&server, &format!("/api/v1/ocds/records/{ocid}"), None);
    assert_eq!(rebuilt.status, 200, "{}", rebuilt.text);
    assert_eq!(&rebuilt.body["records"][0]["compiledRelease"], compiled, "the record written again");
    let dates = |r: &Value| -> Vec<Value> {
        r["records"][0]["releases"].as_array().unwrap().iter().map(|r| r["date"].clone()).collect()
    };
    assert_eq!(dates(&rebuilt.body), dates(&record.1));
    assert!(server.log_lines().iter().any(|l| l.contains("wrote the OCDS releases")), "{:?}", server.log_lines());
}

both_backends!(ocds_publishes_a_district, ocds_publishes_a_listing);

/// The id of a project's first section.
fn section_code_of(project: &Value) -> String {
    project["sections"][0]["id"].as_str().unwrap_or_default().to_owned()
}
