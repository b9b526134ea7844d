//! Complaints: the window, acceptance by the right regulator only, the decision clock
//! across holidays with an expert-review pause, and credit records from the decision.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::{json, Value};

use crate::{get, notices, post, register};

fn complaint_clock_pauses_for_expert_review(backend: Backend) {
    let Some((server, _, project, _)) =
        crate::tendering::construction_project(backend, "manual:2026-09-14T09:00:00+08:00")
    else {
        return;
    };
    let project = project["id"].as_str().unwrap().to_owned();
    let complainant = register(&server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    let token = server.token("bidder", Some(&complainant));
    let path = format!("/api/v1/projects/{project}/complaints");
    // Knew on 09-01: 10 days end 09-11; on 09-14 it is too late.
    let late = post(&server, &path, Some(&token), &json!({"content": "评标不公", "knew_at": "2026-09-01T02:00:00Z"}));
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "construction.complaint.window");
    let filed = post(&server, &path, Some(&token), &json!({"content": "评标不公", "knew_at": "2026-09-10T02:00:00Z"}));
    assert_eq!(filed.status, 201, "{}", filed.text);
    // Acceptance within 3 working days of Mon 09-14: 09-15, 09-16, 09-17.
    assert_eq!(filed.body["acceptance_due"], "2026-09-17T16:00:00Z");
    let id = filed.body["id"].as_str().unwrap().to_owned();
    // The supervising department hears of it at once.
    let told = crate::notices(&server, &server.token("industry_regulator", Some("zjw")), "complaint.filed");
    assert_eq!(told.first().map(|n| n["payload"]["subject_id"].clone()), Some(json!(id)), "{told:?}");
    let watch = format!("/api/v1/oversight/deadlines?project={project}");
    let clocks = |server: &ggzy_blackbox::Server, kind: &str| -> Vec<serde_json::Value> {
        let reply = get(server, &watch, Some(&server.token("comprehensive_regulator", Some("gongguanban"))));
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind && c["subject_id"] == id.as_str())
            .cloned()
            .collect()
    };
    let acceptance_clock = clocks(&server, "complaint_acceptance");
    assert_eq!(acceptance_clock[0]["due"], "2026-09-17T16:00:00Z");
    assert_eq!(acceptance_clock[0]["rule_id"], "construction.complaint.acceptance");

    let acceptance = format!("/api/v1/complaints/{id}/acceptance");
    let another_industry = post(
        &server,
        &acceptance,
        Some(&server.token("industry_regulator", Some("swj"))),
        &json!({"accept": true, "reason": "受理"}),
    );
    another_industry.problem(403, "forbidden");
    let centre = post(
        &server,
        &acceptance,
        Some(&server.token("centre_staff", Some("centre"))),
        &json!({"accept": true, "reason": "受理"}),
    );
    assert_eq!(centre.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");

    // Accepted Tue 09-15. 30 working days after it, without pauses: 09-16, 17, 18, Sun 20
    // (make-up), 21, 22, 23, 24 (8); 25–27 Mid-autumn; 28, 29, 30 (11); 10-01..07 National
    // Day; 10-08, 09, Sat 10 (make-up) (14); 12–16 (19); 19–23 (24); 26–30 (29); 11-02 (30).
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-09-15T09:00:00+08:00")]);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let accepted = post(&server, &acceptance, Some(&zjw), &json!({"accept": true, "reason": "符合受理条件"}));
    assert_eq!(accepted.body["decision_due"], "2026-11-02T16:00:00Z", "{}", accepted.text);
    let complainant_token = server.token("bidder", Some(&complainant));
    let reviewed = notices(&server, &complainant_token, "complaint.reviewed");
    assert_eq!(reviewed.len(), 1, "{reviewed:?}");
    assert_eq!(reviewed[0]["payload"]["link"], format!("/api/v1/complaints/{id}"));
    assert!(clocks(&server, "complaint_acceptance").is_empty());
    assert_eq!(clocks(&server, "complaint_decision")[0]["due"], "2026-11-02T16:00:00Z");

    // Expert review from Mon 09-21, back on Thu 09-24: 09-21, 22, 23 are not counted, so the
    // end moves three working days: 11-03, 11-04, 11-05.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-09-21T09:00:00+08:00")]);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let paused =
        post(&server, &format!("/api/v1/complaints/{id}/pauses"), Some(&zjw), &json!({"reason": "expert_review"}));
    assert_eq!(paused.body["decision_due"], serde_json::Value::Null, "{}", paused.text);
    assert!(clocks(&server, "complaint_decision").is_empty(), "a paused clock has no due moment");
    // A paused clock is not paused again; the refusal changes nothing.
    let again = post(&server, &format!("/api/v1/complaints/{id}/pauses"), Some(&zjw), &json!({"reason": "testing"}));
    assert_eq!(again.problem(409, "conflict")["detail"], "计时已暂停", "{}", again.text);
    post(
        &server,
        &format!("/api/v1/complaints/{id}/decision"),
        Some(&zjw),
        &json!({"outcome": "dismissed", "decision": "x"}),
    )
    .problem(409, "conflict");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-09-24T09:00:00+08:00")]);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let resumed = post(&server, &format!("/api/v1/complaints/{id}/resumption"), Some(&zjw), &json!({}));
    assert_eq!(resumed.body["decision_due"], "2026-11-05T16:00:00Z", "{}", resumed.text);
    assert_eq!(clocks(&server, "complaint_decision")[0]["due"], "2026-11-05T16:00:00Z");
    // A running clock is not resumed.
    let twice = post(&server, &format!("/api/v1/complaints/{id}/resumption"), Some(&zjw), &json!({}));
    assert_eq!(twice.problem(409, "conflict")["detail"], "计时未暂停", "{}", twice.text);
    let shown = get(&server, &format!("/api/v1/complaints/{id}"), Some(&zjw));
    assert_eq!(shown.body["pauses"].as_array().map(Vec::len), Some(1), "{}", shown.text);
    assert_eq!(shown.body["pauses"][0]["reason"], "expert_review", "{}", shown.text);

    // Dismissed and found false: the complainant gets a credit record.
    let decided = post(
        &server,
        &format!("/api/v1/complaints/{id}/decision"),
        Some(&zjw),
        &json!({"outcome": "dismissed", "decision": "京密住建投诉〔2026〕3号", "false_complaint": true}),
    );
    assert_eq!(decided.body["status"], "decided", "{}", decided.text);
    assert_eq!(notices(&server, &server.token("bidder", Some(&complainant)), "complaint.decided").len(), 1);
    let records = get(&server, &format!("/api/v1/participants/{complainant}/credit-records"), Some(&zjw));
    assert_eq!(records.body[0]["kind"], "false_complaint", "{}", records.text);
    let own = get(&server, &format!("/api/v1/complaints/{id}"), Some(&server.token("bidder", Some(&complainant))));
    assert_eq!(own.body["outcome"], "dismissed");
    // The project's file carries the complaint with its pause and decision.
    let archive = get(&server, &format!("/api/v1/projects/{project}/archive?purpose=复核"), Some(&zjw));
    assert_eq!(archive.body["complaints"][0]["id"], id.as_str(), "{}", archive.text);
    assert_eq!(archive.body["complaints"][0]["pauses"][0]["reason"], "expert_review");
    assert_eq!(archive.body["complaints"][0]["outcome"], "dismissed");
}

fn reports_are_tracked_and_reporters_protected(backend: Backend) {
    let Some((server, _, project, _)) =
        crate::tendering::construction_project(backend, "manual:2026-09-14T09:00:00+08:00")
    else {
        return;
    };
    let project = project["id"].as_str().unwrap().to_owned();
    let inspector = server.token("inspector", Some("jijian"));
    let chains_before =
        get(&server, "/api/v1/audit/verification", Some(&inspector)).body["chains_checked"].as_u64().unwrap();
    let filed = post(
        &server,
        "/api/v1/reports",
        None,
        &json!({"project_id": project, "content": "疑似围标", "reporter": "王某", "contact": "139xxxx"}),
    );
    assert_eq!(filed.status, 201, "{}", filed.text);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    // Filing starts the report's own audit chain, without the reporter's name.
    let verified = get(&server, "/api/v1/audit/verification", Some(&inspector));
    assert_eq!(verified.body["chains_checked"].as_u64().unwrap(), chains_before + 1, "{}", verified.text);
    assert_eq!(verified.body["valid"], true);
    assert_eq!(filed.body["department_id"], "zjw");
    post(&server, "/api/v1/reports", None, &json!({"content": ""})).problem(422, "validation-failed");
    let public = get(&server, &format!("/api/v1/reports/{code}"), None);
    assert!(!public.text.contains("王某"), "{}", public.text);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let listed = get(&server, "/api/v1/reports", Some(&zjw));
    assert_eq!(listed.body["items"][0]["reporter"], "王某", "{}", listed.text);
    assert_eq!(listed.body["next_cursor"], Value::Null);
    assert_eq!(
        get(&server, "/api/v1/reports", Some(&server.token("industry_regulator", Some("swj")))).body,
        json!({"items": [], "next_cursor": null})
    );
    get(&server, "/api/v1/reports", Some(&server.token("centre_staff", Some("centre")))).problem(403, "forbidden");
    // A second report: the inbox is newest first, a page at a time, filtered by state.
    let second = post(&server, "/api/v1/reports", None, &json!({"project_id": project, "content": "疑似挂靠"}));
    assert_eq!(second.status, 201, "{}", second.text);
    let first_page = get(&server, "/api/v1/reports?limit=1", Some(&zjw));
    assert_eq!(first_page.body["items"][0]["content"], "疑似挂靠", "{}", first_page.text);
    let cursor = first_page.body["next_cursor"].as_str().expect("a second page").to_owned();
    let second_page = get(&server, &format!("/api/v1/reports?limit=1&after={cursor}"), Some(&zjw));
    assert_eq!(second_page.body["items"][0]["tracking_code"], code.as_str(), "{}", second_page.text);
    assert_eq!(second_page.body["next_cursor"], Value::Null);
    let bad = get(&server, "/api/v1/reports?status=lost&limit=0&after=x", Some(&zjw));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "after", "limit"], "{}", bad.text);
    get(&server, "/api/v1/reports?sort=new", Some(&zjw)).problem(400, "malformed-request");
    let swj = post(
        &server,
        &format!("/api/v1/reports/{code}/handling"),
        Some(&server.token("industry_regulator", Some("swj"))),
        &json!({"status": "investigating", "note": "x"}),
    );
    swj.problem(403, "forbidden");
    let handled = post(
        &server,
        &format!("/api/v1/reports/{code}/handling"),
        Some(&zjw),
        &json!({"status": "investigating", "note": "已立案调查"}),
    );
    assert_eq!(handled.body["status"], "investigating", "{}", handled.text);
    assert_eq!(get(&server, &format!("/api/v1/reports/{code}"), None).body["handling"][0]["note"], "已立案调查");
    let received = get(&server, "/api/v1/reports?status=received", Some(&zjw));
    let codes: Vec<&str> =
        received.body["items"].as_array().unwrap().iter().map(|r| r["tracking_code"].as_str().unwrap()).collect();
    assert_eq!(codes, [second.body["tracking_code"].as_str().unwrap()], "{}", received.text);
    let investigating = get(&server, "/api/v1/reports?status=investigating", Some(&zjw));
    assert_eq!(investigating.body["items"][0]["tracking_code"], code.as_str(), "{}", investigating.text);
    // Closed (办结) is final: what comes to light later is a new report.
    let handling = format!("/api/v1/reports/{code}/handling");
    let closed = post(&server, &handling, Some(&zjw), &json!({"status": "closed", "note": "查无实据，办结"}));
    assert_eq!(closed.body["status"], "closed", "{}", closed.text);
    post(&server, &handling, Some(&zjw), &json!({"status": "investigating", "note": "重新核查"}))
        .problem(409, "conflict");
    let after = get(&server, &format!("/api/v1/reports/{code}"), None);
    assert_eq!(after.body["status"], "closed", "{}", after.text);
    assert_eq!(after.body["handling"].as_array().map(Vec::len), Some(2), "{}", after.text);
}

both_backends!(complaint_clock_pauses_for_expert_review, reports_are_tracked_and_reporters_protected);
