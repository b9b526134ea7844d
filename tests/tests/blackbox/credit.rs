//! Credit: commitments, records written by regulators, scores across expiries, restrictions
//! that bar trading, disclosure by publication period, repair and imports.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::envelopes::open_bids;
use crate::projects::commit;
use crate::rules::start_at_fixed_time;
use crate::{get, post, register, send, VALID_CODES};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn record(server: &Server, body: Value) -> Value {
    let zjw = server.token("industry_regulator", Some("zjw"));
    let reply = post(server, "/api/v1/credit/records", Some(&zjw), &body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn score_on(server: &Server, participant: &str, date: &str) -> (i64, String) {
    let zjw = server.token("industry_regulator", Some("zjw"));
    let reply = get(server, &format!("/api/v1/participants/{participant}/credit-score?as_of={date}"), Some(&zjw));
    assert_eq!(reply.status, 200, "{}", reply.text);
    (reply.body["total"].as_i64().unwrap(), reply.body["grade"].as_str().unwrap().to_owned())
}

fn scores_follow_record_expiries(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let id = register(&server, VALID_CODES[0], &["bidder"])["id"].as_str().unwrap().to_owned();
    // Seed score model: base 100; performance +5 for 36 months; tax grade A +2 for 12;
    // serious administrative penalty −20 for 36; minor bad trading conduct −2 for 6.
    record(
        &server,
        json!({"participant_id": id, "kind": "performance", "decision": "业绩-1", "decided_on": "2025-01-10"}),
    );
    record(
        &server,
        json!({"participant_id": id, "kind": "tax_grade_a", "decision": "纳税A级", "decided_on": "2025-06-15"}),
    );
    record(
        &server,
        json!({"participant_id": id, "kind": "administrative_penalty", "severity": "serious",
        "decision": "京密住建罚字〔2025〕3号", "decided_on": "2025-12-01", "publication_months": 12}),
    );
    record(
        &server,
        json!({"participant_id": id, "kind": "bad_trading_conduct", "severity": "minor",
        "decision": "交易中心记录", "decided_on": "2026-03-31"}),
    );
    let expected = [
        ("2025-01-09", 100, "A"), // nothing counts yet
        ("2025-01-10", 105, "A"), // + performance
        ("2025-06-15", 107, "A"), // + tax grade A
        ("2025-11-30", 107, "A"),
        ("2025-12-01", 87, "B"), // − 20 penalty: 107 − 20
        ("2026-03-31", 85, "B"), // − 2 minor conduct
        ("2026-06-14", 85, "B"), // tax grade A counts through 2026-06-14
        ("2026-06-15", 83, "B"), // … and stops on 2026-06-15 (12 months)
        ("2026-09-29", 83, "B"),
        ("2026-09-30", 85, "B"),  // minor conduct: 2026-03-31 + 6 months = 2026-09-30 (month end)
        ("2028-01-10", 80, "B"),  // performance ends: 100 − 20
        ("2028-12-01", 100, "A"), // penalty ends after 36 months
    ];
    for (date, total, grade) in expected {
        assert_eq!(score_on(&server, &id, date), (total, grade.to_owned()), "as of {date}");
    }
    let zjw = server.token("industry_regulator", Some("zjw"));
    let ancient = get(&server, &format!("/api/v1/participants/{id}/credit-score?as_of=1999-01-01"), Some(&zjw));
    ancient.problem(422, "validation-failed");
    let centre = server.token("centre_staff", Some("centre"));
    // The centre records nothing itself (centre.no_regulatory_power): it reports.
    let refused = post(
        &server,
        "/api/v1/credit/records",
        Some(&centre),
        &json!({"participant_id": id, "kind": "bad_trading_conduct", "severity": "general", "decision": "x", "decided_on": "2026-11-01"}),
    );
    refused.problem(403, "forbidden");
    let bad = post(
        &server,
        "/api/v1/credit/records",
        Some(&server.token("industry_regulator", Some("zjw"))),
        &json!({"participant_id": id, "kind": "court_enforcement", "decision": "", "decided_on": "2027-01-01", "publication_months": 2}),
    );
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), vec!["decision", "decided_on", "severity"]);
}

fn restrictions_bar_agencies_by_name(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let agency = register(&server, VALID_CODES[1], &["agency"])["id"].as_str().unwrap().to_owned();
    let zjw = server.token("industry_regulator", Some("zjw"));
    let short = post(
        &server,
        "/api/v1/credit/restrictions",
        Some(&zjw),
        &json!({"participant_id": agency,
        "kind": "debarment", "starts_on": "2026-11-01", "ends_on": "2027-01-31", "decision": "x"}),
    );
    short.problem(422, "validation-failed");
    let suspended = post(
        &server,
        "/api/v1/credit/restrictions",
        Some(&zjw),
        &json!({"participant_id": agency,
        "kind": "agency_suspension", "starts_on": "2026-11-01", "ends_on": "2027-04-30", "decision": "京密住建〔2026〕88号"}),
    );
    assert_eq!(suspended.status, 201, "{}", suspended.text);
    let restrictions = get(&server, "/api/v1/public/restrictions", None);
    assert_eq!(restrictions.body["items"][0]["participant_id"], agency.as_str());
    // The public reads who it is without a token: its name and credit code, once.
    let named = &restrictions.body["participants"];
    assert_eq!(named.as_array().map(Vec::len), Some(1), "{}", restrictions.text);
    assert_eq!(named[0]["id"], agency.as_str());
    assert!(named[0]["name"].as_str().is_some_and(|n| !n.is_empty()) && named[0]["credit_code"].is_string());

    // The suspended agency cannot be commissioned: the refusal names the restriction and its end.
    commit(&server, &agency, "agent");
    let admin = server.token("platform_admin", None);
    post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "s", "name": "王芳"}));
    let tenderer = register(&server, VALID_CODES[0], &["tenderer"])["id"].as_str().unwrap().to_owned();
    let tenderer_token = server.token("tenderer", Some(&tenderer));
    let project = post(
        &server,
        "/api/v1/projects",
        Some(&tenderer_token),
        &json!({
        "name": "工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works", "sector": "building",
        "funding": "state_funded", "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "600000.00"}],
        "approval_documents": [{"title": "批复", "number": "1号", "sha256": SHA}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let centre = server.token("centre_staff", Some("centre"));
    let agent = post(
        &server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "代理", "id_number": crate::resident_id("11010519800101001"), "employer_id": agency}),
    );
    let path = format!("/api/v1/projects/{}/commissions", project.body["id"].as_str().unwrap());
    let refused =
        post(&server, &path, Some(&tenderer_token), &json!({"agency_id": agency, "agent_ids": [agent.body["id"]]}));
    let problem = refused.problem(403, "forbidden");
    assert_eq!(problem["rule"]["id"], "credit.use");
    assert!(problem["detail"].as_str().unwrap().contains("2027-04-30"), "{}", refused.text);
}

fn publication_ends_on_the_right_day(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let id = register(&server, VALID_CODES[2], &["bidder"])["id"].as_str().unwrap().to_owned();
    // General severity, 6 months from 2026-06-01: public through 2026-11-30, gone on 2026-12-01.
    let written = record(
        &server,
        json!({"participant_id": id, "kind": "violation_finding", "severity": "general",
        "decision": "京密发改〔2026〕5号", "decided_on": "2026-06-01", "publication_months": 6}),
    );
    assert_eq!(written["public_until"], "2026-12-01");
    // A minor record is never published.
    record(
        &server,
        json!({"participant_id": id, "kind": "bad_trading_conduct", "severity": "minor",
        "decision": "轻微", "decided_on": "2026-11-01"}),
    );
    let listed = get(&server, "/api/v1/public/credit-records", None);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1, "{}", listed.text);
    assert_eq!(listed.body["participants"][0]["id"], id.as_str(), "{}", listed.text);
    assert_eq!(listed.body["participants"][0]["credit_code"], VALID_CODES[2]);

    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-30T23:59:00+08:00")]);
    assert_eq!(get(&server, "/api/v1/public/credit-records", None).body["items"].as_array().unwrap().len(), 1);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-01T00:00:00+08:00")]);
    assert_eq!(get(&server, "/api/v1/public/credit-records", None).body["items"], json!([]));

    // Afterwards only authorised roles read it, and each such read is logged with its purpose.
    let another_bidder = register(&server, VALID_CODES[3], &["bidder"])["id"].as_str().unwrap().to_owned();
    let bidder = server.token("bidder", Some(&another_bidder));
    get(&server, &format!("/api/v1/participants/{id}/credit-records"), Some(&bidder)).problem(403, "forbidden");
    let zjw = server.token("industry_regulator", Some("zjw"));
    let read = get(&server, &format!("/api/v1/participants/{id}/credit-records?purpose=资格审查"), Some(&zjw));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body.as_array().unwrap().len(), 2);
    let inspector = server.token("inspector", Some("jijian"));
    let reads = get(&server, &format!("/api/v1/participants/{id}/credit-reads"), Some(&inspector));
    assert_eq!(reads.body[0]["purpose"], "资格审查", "{}", reads.text);
    assert!(reads.body[0]["reader"].as_str().unwrap().starts_with("industry_regulator:"));
}

fn repair_after_the_minimum_period(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let id = register(&server, VALID_CODES[3], &["bidder"])["id"].as_str().unwrap().to_owned();
    // General severity: minimum 3 months. Decided 2026-10-01, so repair from 2027-01-01.
    let early = record(
        &server,
        json!({"participant_id": id, "kind": "administrative_penalty", "severity": "general",
        "decision": "早", "decided_on": "2026-10-01", "publication_months": 12}),
    );
    let old = record(
        &server,
        json!({"participant_id": id, "kind": "administrative_penalty", "severity": "general",
        "decision": "旧", "decided_on": "2026-05-01", "publication_months": 12}),
    );
    let bidder = server.token("bidder", Some(&id));
    let signed = post(&server, &format!("/api/v1/participants/{id}/commitments"), Some(&bidder), &json!({}));
    let commitment = signed.body["id"].as_str().unwrap().to_owned();
    let apply = |record: &Value| {
        post(
            &server,
            &format!("/api/v1/credit/records/{}/repair-applications", record["id"].as_str().unwrap()),
            Some(&bidder),
            &json!({"obligations_proof_sha256": SHA, "commitment_id": commitment}),
        )
    };
    let too_early = apply(&early);
    let problem = too_early.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "credit.repair");
    assert!(too_early.text.contains("2027-01-01"), "{}", too_early.text);
    let applied = apply(&old);
    assert_eq!(applied.status, 201, "{}", applied.text);
    let application = applied.body["id"].as_str().unwrap().to_owned();
    // One application at a time: a second while the first awaits its decision is refused.
    let again = apply(&old);
    assert!(again.problem(409, "conflict")["detail"].as_str().unwrap().contains(&application), "{}", again.text);
    let zjw = server.token("industry_regulator", Some("zjw"));

    // The regulators' queue of applications awaiting a decision holds it; the applicant sees
    // its own; another participant sees none of it, even asking for it by participant.
    let list = "/api/v1/credit/repair-applications";
    let ids = |path: &str, token: &str| -> Vec<String> {
        let page = get(&server, path, Some(token));
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        page.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(&format!("{list}?status=pending"), &zjw), [application.as_str()]);
    assert_eq!(ids(list, &bidder), [application.as_str()]);
    let other = register(&server, VALID_CODES[4], &["bidder"])["id"].as_str().unwrap().to_owned();
    let other_token = server.token("bidder", Some(&other));
    assert!(ids(list, &other_token).is_empty());
    assert!(ids(&format!("{list}?participant_id={id}"), &other_token).is_empty());
    get(&server, list, Some(&server.token("centre_staff", Some("centre")))).problem(403, "forbidden");
    let bad = get(&server, &format!("{list}?status=open&limit=0"), Some(&zjw));
    bad.problem(422, "validation-failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "status"], "{}", bad.text);
    get(&server, &format!("{list}?record_id=x"), Some(&zjw)).problem(400, "malformed-request");

    let decision = format!("/api/v1/credit/repair-applications/{application}/decision");
    post(&server, &decision, Some(&zjw), &json!({"approve": false})).problem(422, "validation-failed");
    let approved = post(&server, &decision, Some(&zjw), &json!({"approve": true}));
    assert_eq!(approved.body["status"], "approved", "{}", approved.text);
    // Decided, it leaves the queue and shows as approved, to the applicant too.
    assert!(ids(&format!("{list}?status=pending"), &zjw).is_empty());
    assert_eq!(ids(&format!("{list}?status=approved&participant_id={id}"), &zjw), [application.as_str()]);
    let own = get(&server, list, Some(&bidder));
    assert_eq!(own.body["items"][0]["status"], "approved", "{}", own.text);
    post(&server, &decision, Some(&zjw), &json!({"approve": true})).problem(409, "conflict");
    let public = get(&server, "/api/v1/public/credit-records", None);
    let ids: Vec<&str> = public.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![early["id"].as_str().unwrap()], "the repaired record left the public list");
}

fn conduct_reports_and_court_imports(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let id = register(&server, VALID_CODES[4], &["bidder"])["id"].as_str().unwrap().to_owned();
    let centre = server.token("centre_staff", Some("centre"));
    let report = post(
        &server,
        "/api/v1/credit/conduct-reports",
        Some(&centre),
        &json!({"participant_id": id, "description": "开标现场扰乱秩序"}),
    );
    assert_eq!(report.body["status"], "pending", "{}", report.text);
    // The regulators' queue of reports to decide.
    let pending = |token: &str| -> Vec<serde_json::Value> {
        let page = get(&server, "/api/v1/credit/conduct-reports?status=pending", Some(token));
        assert_eq!(page.status, 200, "{}", page.text);
        page.body["items"].as_array().unwrap().clone()
    };
    let zjw = server.token("industry_regulator", Some("zjw"));
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    assert_eq!(pending(&gongguanban).len(), 1);
    assert_eq!(pending(&gongguanban)[0]["id"], report.body["id"]);
    // A report on no project is 公管办's: an industry regulator's queue holds those on the
    // projects it supervises only.
    assert!(pending(&zjw).is_empty());
    get(&server, "/api/v1/credit/conduct-reports", Some(&server.token("bidder", Some(&id)))).problem(403, "forbidden");
    let bad = get(&server, "/api/v1/credit/conduct-reports?status=open&participant_id=x", Some(&zjw));
    assert_eq!(bad.error_fields(), ["status", "participant_id"], "{}", bad.text);
    let path = format!("/api/v1/credit/conduct-reports/{}/decision", report.body["id"].as_str().unwrap());
    post(&server, &path, Some(&centre), &json!({"accept": true})).problem(403, "forbidden");
    let zjw = server.token("industry_regulator", Some("zjw"));
    let accepted = post(
        &server,
        &path,
        Some(&zjw),
        &json!({"accept": true, "severity": "general", "decision": "京密住建〔2026〕9号"}),
    );
    assert_eq!(accepted.body["status"], "accepted", "{}", accepted.text);
    assert!(accepted.body["record_id"].is_string());
    assert!(pending(&gongguanban).is_empty(), "decided: off the queue");
    let all = get(&server, &format!("/api/v1/credit/conduct-reports?participant_id={id}"), Some(&centre));
    assert_eq!(all.body["items"][0]["status"], "accepted", "{}", all.text);

    let csv = format!("credit_code,case_number,court,decided_on\n{},(2026)京0118执100号,密云区人民法院,2026-10-10\n91110000600037341X,(2026)京0118执101号,密云区人民法院,2026-10-10\n{},(2026)京0118执102号,密云区人民法院,2026-13-01\n", VALID_CODES[4], VALID_CODES[4]);
    let import = |token: &str| {
        send(
            server
                .client()
                .post(server.url("/api/v1/credit/court-enforcement-imports"))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(csv.clone()),
        )
    };
    let first = import(&zjw);
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["created"], 1);
    assert_eq!(first.body["rejected"].as_array().unwrap().len(), 2);
    let second = import(&zjw);
    assert_eq!((second.body["created"].clone(), second.body["already_present"].clone()), (json!(0), json!(1)));
    import(&centre).problem(403, "forbidden");
    let report = get(&server, &format!("/api/v1/participants/{id}/credit-report"), Some(&zjw));
    assert_eq!(report.body["public_records"].as_array().unwrap().len(), 2, "{}", report.text);
    assert_eq!(report.body["commitment_in_force"], false);
    // A date before any credit policy is a documented 422 (the suite holds it to the document).
    let before = get(&server, &format!("/api/v1/participants/{id}/credit-report?as_of=2000-01-01"), Some(&zjw));
    before.problem(422, "validation-failed");
}

fn the_score_model_is_published_as_a_new_version(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let mut draft = get(&server, "/api/v1/credit/policy", None).body;
    draft.as_object_mut().unwrap().remove("version");
    draft["effective_from"] = json!("2027-01-01");
    draft["score"]["base"] = json!(80);
    let centre = server.token("centre_staff", Some("centre"));
    let refused = post(&server, "/api/v1/credit/policies", Some(&centre), &draft);
    assert_eq!(refused.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let mut bad = draft.clone();
    bad["effective_from"] = json!("2026-01-01");
    bad["publication"]["default_months"] = json!(0);
    let problems = post(&server, "/api/v1/credit/policies", Some(&gongguanban), &bad);
    problems.problem(422, "validation-failed");
    assert!(problems.error_fields().len() >= 2, "{}", problems.text);
    let published = post(&server, "/api/v1/credit/policies", Some(&gongguanban), &draft);
    assert_eq!(published.status, 201, "{}", published.text);
    assert_eq!(published.body["version"], 2);
    // Scores from 2027 use the new base.
    let id = register(&server, VALID_CODES[0], &["bidder"])["id"].as_str().unwrap().to_owned();
    assert_eq!(score_on(&server, &id, "2026-12-31").0, 100);
    assert_eq!(score_on(&server, &id, "2027-01-01").0, 80);
}

/// An expert reads a participant's credit only as a member of the committee of an opened
/// section the participant bid in, and every such read is logged with its purpose.
fn experts_read_the_credit_of_their_own_sections_bidders_only(backend: Backend) {
    let Some(t) = crate::bids::tender(backend) else { return };
    let bidders = crate::lifecycle::three_bids(&t.server, &t.section);
    let experts: Vec<String> = (0..6).map(|i| crate::lifecycle::expert(&t.server, &format!("专家{i}"), None)).collect();
    let outsider = register(&t.server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    let report = |server: &Server, expert: &str, participant: &str| {
        get(
            server,
            &format!("/api/v1/participants/{participant}/credit-report?purpose=%E8%AF%84%E6%A0%87"),
            Some(&server.token("expert", Some(expert))),
        )
    };
    // Before the opening no expert reads a bidder's credit, not even one later drawn.
    for expert in &experts {
        report(&t.server, expert, &bidders[0].0).problem(404, "not-found");
    }
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let opened = open_bids(&server, &t.section, &tenderer, &t.witness);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    let centre = server.token("centre_staff", Some("centre"));
    let draw = post(
        &server,
        &format!("/api/v1/sections/{}/expert-draws", t.section),
        Some(&centre),
        &json!({"specialty": "building", "size": 5}),
    );
    assert_eq!(draw.status, 201, "{}", draw.text);
    let committee: Vec<&str> = draw.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    let member = committee[0];
    let left_out = experts.iter().find(|e| !committee.contains(&e.as_str())).expect("six experts, five drawn");

    let read = report(&server, member, &bidders[1].0);
    assert_eq!(read.status, 200, "{}", read.text);
    let score = get(
        &server,
        &format!("/api/v1/participants/{}/credit-score", bidders[2].0),
        Some(&server.token("expert", Some(member))),
    );
    assert_eq!(score.status, 200, "{}", score.text);
    report(&server, member, &outsider).problem(404, "not-found");
    report(&server, left_out, &bidders[1].0).problem(404, "not-found");
    report(&server, "nobody", &bidders[1].0).problem(404, "not-found");

    let inspector = server.token("inspector", Some("jijian"));
    let reads = get(&server, &format!("/api/v1/participants/{}/credit-reads", bidders[1].0), Some(&inspector));
    let logged: Vec<&Value> = reads.body.as_array().unwrap().iter().collect();
    assert_eq!(logged.len(), 1, "{}", reads.text);
    assert!(
        logged[0]["reader"].as_str().unwrap().starts_with("expert:")
            && logged[0]["reader"].as_str().unwrap().ends_with(member)
    );
    assert_eq!(logged[0]["purpose"], "评标");
    let default_purpose =
        get(&server, &format!("/api/v1/participants/{}/credit-reads", bidders[2].0), Some(&inspector));
    assert_eq!(default_purpose.body[0]["purpose"], "评标", "{}", default_purpose.text);
    // Regulators read without the committee condition, as before.
    let zjw = server.token("industry_regulator", Some("zjw"));
    assert_eq!(get(&server, &format!("/api/v1/participants/{outsider}/credit-report"), Some(&zjw)).status, 200);
}

both_backends!(
    experts_read_the_credit_of_their_own_sections_bidders_only,
    the_score_model_is_published_as_a_new_version,
    scores_follow_record_expiries,
    restrictions_bar_agencies_by_name,
    publication_ends_on_the_right_day,
    repair_after_the_minimum_period,
    conduct_reports_and_court_imports,
);
