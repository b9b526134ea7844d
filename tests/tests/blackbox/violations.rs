//! Violation cases from the centre's record to the regulator's decision, joint
//! investigation, the catalogue's per-subject codes; recusal of supervisors and tenderer
//! representatives by registered and declared ties.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{open_bids, place_bid};
use crate::{get, post, register, resident_id};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn case_body(project: &str, kind: &str, subject: &str, codes: &[&str]) -> Value {
    json!({"project_id": project, "subject_kind": kind, "subject_id": subject, "suspected_codes": codes,
           "description": "开标现场发现两家投标文件由同一人递交", "evidence": [{"name": "现场录像", "sha256": SHA}]})
}

fn violations_are_investigated_jointly_and_decided_by_the_catalogue(backend: Backend) {
    let Some((server, _, project, _)) =
        crate::tendering::construction_project(backend, "manual:2026-09-14T09:00:00+08:00")
    else {
        return;
    };
    let project = project["id"].as_str().unwrap().to_owned();
    let bidder = register(&server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    let centre = server.token("centre_staff", Some("centre"));
    let zjw = server.token("industry_regulator", Some("zjw"));
    let swj = server.token("industry_regulator", Some("swj"));
    let fgw = server.token("industry_regulator", Some("fgw"));

    // The catalogue is public: 51 items of 管理办法 §20–27.
    let codes = get(&server, "/api/v1/oversight/conduct-codes", None);
    assert_eq!(codes.body.as_array().unwrap().len(), 51, "{}", codes.text);

    // Every problem of a bad record at once, and nothing stored.
    let mut bad = case_body(&project, "bidder", &bidder, &["26.1", "99.9"]);
    bad["evidence"] = json!([{"name": "录像", "sha256": "ABC"}]);
    let refused = post(&server, "/api/v1/violations", Some(&centre), &bad);
    refused.problem(422, "validation-failed");
    let fields = refused.error_fields();
    for field in ["suspected_codes[0]", "suspected_codes[1]", "evidence[0].sha256"] {
        assert!(fields.contains(&field.to_owned()), "{field} not named: {}", refused.text);
    }
    let mut no_evidence = case_body(&project, "bidder", &bidder, &["24.1"]);
    no_evidence["evidence"] = json!([]);
    assert!(post(&server, "/api/v1/violations", Some(&centre), &no_evidence)
        .error_fields()
        .contains(&"evidence".into()));
    let unknown_subject =
        post(&server, "/api/v1/violations", Some(&centre), &case_body(&project, "expert", &bidder, &["26.1"]));
    assert_eq!(unknown_subject.problem(422, "validation-failed")["errors"][0]["field"], "subject_id");
    assert_eq!(get(&server, "/api/v1/violations", Some(&centre)).body["items"], json!([]));
    let bad = get(&server, "/api/v1/violations?status=lost&after=x", Some(&centre));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "after"], "every problem at once: {}", bad.text);
    post(
        &server,
        "/api/v1/violations",
        Some(&server.token("bidder", Some(&bidder))),
        &case_body(&project, "bidder", &bidder, &["24.1"]),
    )
    .problem(403, "forbidden");

    // The centre records what it saw (细则 §17(七)); the project's regulator leads.
    let recorded =
        post(&server, "/api/v1/violations", Some(&centre), &case_body(&project, "bidder", &bidder, &["24.1"]));
    assert_eq!(recorded.status, 201, "{}", recorded.text);
    assert_eq!(recorded.body["lead_department"], "zjw");
    assert_eq!(recorded.body["status"], "reported");
    assert_eq!(recorded.body["suspected"][0]["source"], "管理办法 §24(一)");
    let id = recorded.body["id"].as_str().unwrap().to_owned();
    let investigation = format!("/api/v1/violations/{id}/investigation");
    let decision = format!("/api/v1/violations/{id}/decision");

    // Deciding comes after investigating; the centre never investigates; another industry
    // neither acts nor sees the case.
    post(&server, &decision, Some(&zjw), &json!({"outcome": "dismissed", "decision": "x"})).problem(409, "conflict");
    let by_centre = post(&server, &investigation, Some(&centre), &json!({"note": "立案"}));
    assert_eq!(by_centre.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    post(&server, &investigation, Some(&swj), &json!({"note": "立案"})).problem(403, "forbidden");
    get(&server, &format!("/api/v1/violations/{id}"), Some(&swj)).problem(404, "not-found");
    let duplicate = post(
        &server,
        &investigation,
        Some(&zjw),
        &json!({"note": "立案", "joint_departments": ["swj", "swj", "nowhere", "centre"]}),
    );
    let fields = duplicate.problem(422, "validation-failed");
    assert_eq!(fields["errors"].as_array().unwrap().len(), 3, "{duplicate:?}", duplicate = duplicate.text);

    // Opened jointly with the water authority (联合查处): it sees the case and records steps,
    // but only the lead decides.
    let opened = post(&server, &investigation, Some(&zjw), &json!({"note": "立案调查", "joint_departments": ["swj"]}));
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["status"], "investigating");
    assert_eq!(opened.body["joint_departments"], json!(["swj"]));
    post(&server, &investigation, Some(&zjw), &json!({"note": "again"})).problem(409, "conflict");
    let step = post(
        &server,
        &format!("/api/v1/violations/{id}/steps"),
        Some(&swj),
        &json!({"note": "调取保证金账户流水", "evidence": [{"name": "银行流水", "sha256": SHA}]}),
    );
    assert_eq!(step.status, 200, "{}", step.text);
    assert_eq!(step.body["steps"][1]["by"], "swj");
    assert_eq!(get(&server, "/api/v1/violations", Some(&swj)).body["items"][0]["id"], id.as_str());
    assert_eq!(get(&server, "/api/v1/violations", Some(&fgw)).body["items"], json!([]));
    assert_eq!(get(&server, "/api/v1/violations", Some(&centre)).body["items"][0]["id"], id.as_str());
    post(&server, &decision, Some(&swj), &json!({"outcome": "dismissed", "decision": "x"})).problem(403, "forbidden");

    // Findings must be catalogue items for this subject; a participant's breach needs a severity.
    let wrong = post(
        &server,
        &decision,
        Some(&zjw),
        &json!({"outcome": "confirmed", "findings": ["26.1"], "decision": "京密住建罚〔2026〕7号"}),
    );
    let wrong_fields = wrong.error_fields();
    assert!(
        wrong_fields.contains(&"findings[0]".to_owned()) && wrong_fields.contains(&"severity".to_owned()),
        "{}",
        wrong.text
    );
    let decided = post(
        &server,
        &decision,
        Some(&zjw),
        &json!({"outcome": "confirmed", "findings": ["24.1"], "decision": "京密住建罚〔2026〕7号", "penalty": "罚款", "severity": "general"}),
    );
    assert_eq!(decided.status, 200, "{}", decided.text);
    assert_eq!(decided.body["status"], "confirmed");
    let record_id = decided.body["decision"]["credit_record_id"].as_str().unwrap().to_owned();
    let records = get(&server, &format!("/api/v1/participants/{bidder}/credit-records"), Some(&zjw));
    assert_eq!(records.body[0]["id"], record_id.as_str(), "{}", records.text);
    assert_eq!(records.body[0]["kind"], "violation_finding");
    post(&server, &decision, Some(&zjw), &json!({"outcome": "dismissed", "decision": "x"})).problem(409, "conflict");

    // A case about the centre goes to 公管办; the industry regulator of the project cannot lead it.
    let about_centre = post(
        &server,
        "/api/v1/violations",
        Some(&server.token("inspector", Some("jijian"))),
        &case_body(&project, "centre", "centre", &["22.4"]),
    );
    assert_eq!(about_centre.body["lead_department"], "gongguanban", "{}", about_centre.text);
    let centre_case = about_centre.body["id"].as_str().unwrap().to_owned();
    post(&server, &format!("/api/v1/violations/{centre_case}/investigation"), Some(&zjw), &json!({"note": "x"}))
        .problem(403, "forbidden");
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let opened = post(
        &server,
        &format!("/api/v1/violations/{centre_case}/investigation"),
        Some(&gongguanban),
        &json!({"note": "立案"}),
    );
    assert_eq!(opened.status, 200, "{}", opened.text);

    // Every act is on the project's audit chain, which still verifies.
    let verified = get(&server, "/api/v1/audit/verification", Some(&gongguanban));
    assert_eq!(verified.body["valid"], true, "{}", verified.text);
}

fn supervisors_and_tenderer_representatives_recuse(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let project = t.project["id"].as_str().unwrap().to_owned();
    let (bidder, bidder_token, manager) = ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let bid = place_bid(server, &t.section, &bidder_token, &bid_body("990000.00", &manager, None));
    assert_eq!(bid.status, 201, "{}", bid.text);
    // Until the opening the recusal check does not see who bid (招标投标法 §22; the secrecy
    // test probes it); from the opening on it does. One bid, decrypted by its bidder in the
    // window: the opening fails, and is one.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let server = &server;
    let opened = open_bids(server, &t.section, &server.token("tenderer", Some(&t.tenderer)), &t.witness);
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["outcome"], "failed", "one bid is too few: {}", opened.text);
    let centre = server.token("centre_staff", Some("centre"));
    let person = |name: &str, body: &str, employer: Option<&str>| -> String {
        let mut request = json!({"name": name, "id_number": resident_id(body)});
        if let Some(employer) = employer {
            request["employer_id"] = json!(employer);
        }
        let reply = post(server, "/api/v1/persons", Some(&centre), &request);
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body["id"].as_str().unwrap().to_owned()
    };
    let representative = person("招标人代表", "11010519800101011", Some(&t.tenderer));
    let inspector = person("监督员", "11010519800101012", None);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let officials = format!("/api/v1/projects/{project}/officials");

    // The bidder's own project manager cannot supervise (employer tie) nor sit for the tenderer.
    let refused = post(server, &officials, Some(&zjw), &json!({"person_id": manager, "role": "supervisor"}));
    let problem = refused.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "recusal", "{}", refused.text);
    assert_eq!(problem["errors"][0]["code"], "bidder_employer");
    post(server, &officials, Some(&tenderer), &json!({"person_id": manager, "role": "tenderer_representative"}))
        .problem(422, "rule-violation");
    // Naming is for the project's regulator (supervisors) and its tenderer (representatives).
    let by_centre = post(server, &officials, Some(&centre), &json!({"person_id": inspector, "role": "supervisor"}));
    assert_eq!(by_centre.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    post(
        server,
        &officials,
        Some(&server.token("industry_regulator", Some("swj"))),
        &json!({"person_id": inspector, "role": "supervisor"}),
    )
    .problem(404, "not-found");
    post(server, &officials, Some(&tenderer), &json!({"person_id": inspector, "role": "supervisor"}))
        .problem(403, "forbidden");
    let bad = post(server, &officials, Some(&zjw), &json!({"person_id": "x", "role": "boss"}));
    assert_eq!(bad.error_fields(), vec!["person_id".to_owned(), "role".to_owned()]);

    // A representative employed by the tenderer is fine; so is a supervisor without ties.
    let named = post(
        server,
        &officials,
        Some(&tenderer),
        &json!({"person_id": representative, "role": "tenderer_representative"}),
    );
    assert_eq!(named.status, 201, "{}", named.text);
    let supervisor = post(server, &officials, Some(&zjw), &json!({"person_id": inspector, "role": "supervisor"}));
    assert_eq!(supervisor.status, 201, "{}", supervisor.text);
    assert_eq!(supervisor.body["must_recuse"], false);
    let supervisor_id = supervisor.body["id"].as_str().unwrap().to_owned();

    // Later the supervisor declares a tie with the bidder: the list says step aside.
    let declared = post(
        server,
        &format!("/api/v1/persons/{inspector}/relations"),
        Some(&zjw),
        &json!({"participant_id": bidder, "relation": "配偶在该公司任职"}),
    );
    assert_eq!(declared.status, 200, "{}", declared.text);
    let list = get(server, &officials, Some(&zjw));
    let entry = list.body.as_array().unwrap().iter().find(|o| o["id"] == supervisor_id.as_str()).unwrap().clone();
    assert_eq!(entry["must_recuse"], true, "{}", list.text);
    assert_eq!(entry["conflicts"][0]["tie"], "declared");
    let representative_entry =
        list.body.as_array().unwrap().iter().find(|o| o["person_id"] == representative.as_str()).unwrap().clone();
    assert_eq!(representative_entry["must_recuse"], false);
    let withdrawn = post(
        server,
        &format!("{officials}/{supervisor_id}/withdrawal"),
        Some(&zjw),
        &json!({"reason": "申报利害关系，主动回避"}),
    );
    assert_eq!(withdrawn.body["must_recuse"], false, "{}", withdrawn.text);
    post(server, &format!("{officials}/{supervisor_id}/withdrawal"), Some(&zjw), &json!({"reason": "again"}))
        .problem(409, "conflict");
    // And a fresh naming of that person is refused now.
    post(server, &officials, Some(&zjw), &json!({"person_id": inspector, "role": "supervisor"}))
        .problem(422, "rule-violation");
}

both_backends!(
    violations_are_investigated_jointly_and_decided_by_the_catalogue,
    supervisors_and_tenderer_representatives_recuse
);
