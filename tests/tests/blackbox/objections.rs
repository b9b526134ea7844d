//! Objections: one minute inside each window taken, one minute outside refused with the
//! rule; a construction objection suspends the project until it is answered; an overdue
//! answer shows on the regulator's list.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::json;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::place_bid;
use crate::{get, post};

fn tender_document_objections_suspend_until_answered(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let (bidder, _, manager) = ready_bidder(&t.server, &t.section, "914403001922038216", "11010519800101001");
    let project = t.project["id"].as_str().unwrap().to_owned();
    let objection = json!({"stage": "tender_documents", "content": "资格条件排斥潜在投标人"});
    // Deadline 11-23 10:00: objections to the documents until 10 days before, 11-13 24:00.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-13T23:59:00+08:00")]);
    let token = server.token("bidder", Some(&bidder));
    let raised = post(&server, &format!("/api/v1/projects/{project}/objections"), Some(&token), &objection);
    assert_eq!(raised.status, 201, "{}", raised.text);
    assert_eq!(raised.body["suspended_project"], true);
    // Answer due 3 days later: 11-16 (Monday), 24:00.
    assert_eq!(raised.body["reply_due"], "2026-11-16T16:00:00Z");
    let bid = place_bid(&server, &t.section, &token, &bid_body("990000.00", &manager, None));
    bid.problem(409, "conflict");

    // Unanswered past its deadline, it shows as overdue to the project's regulator only.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-17T09:00:00+08:00")]);
    let list = get(&server, "/api/v1/oversight/objections", Some(&server.token("industry_regulator", Some("zjw"))));
    assert_eq!(list.body[0]["overdue"], true, "{}", list.text);
    let other = get(&server, "/api/v1/oversight/objections", Some(&server.token("industry_regulator", Some("swj"))));
    assert_eq!(other.body, json!([]));
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let answered = post(
        &server,
        &format!("/api/v1/objections/{}/answer", raised.body["id"].as_str().unwrap()),
        Some(&tenderer),
        &json!({"answer": "已修改资格条件"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let token = server.token("bidder", Some(&bidder));
    let bid = place_bid(&server, &t.section, &token, &bid_body("990000.00", &manager, None));
    assert_eq!(bid.status, 201, "resumed on the answer: {}", bid.text);
    assert_eq!(bid.body["sealed_by_bidder"], true, "{}", bid.text);

    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-14T00:01:00+08:00")]);
    let late = post(
        &server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&server.token("bidder", Some(&bidder))),
        &objection,
    );
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "construction.objection.tender_docs");
    // An objection to an opening that has not been held: none is in its window.
    let early = post(
        &server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&server.token("bidder", Some(&bidder))),
        &json!({"stage": "opening", "section_id": t.section, "content": "唱标有误"}),
    );
    let problem = early.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "construction.objection.opening");
    assert_eq!(problem["detail"], "对开标的异议应在开标现场提出");
    assert_eq!(problem["errors"][0]["code"], "outside_window", "{problem}");
}

fn procurement_questions_within_seven_working_days(backend: Backend) {
    let Some((server, token, project, section)) = crate::tendering::procurement_project(backend) else { return };
    let _ = (token, section);
    let (bidder, _) = crate::tendering::committed_bidder(&server, 3);
    let project = project["id"].as_str().unwrap().to_owned();
    // Knew on Tue 09-29: 09-30 (1), 10-08 (2), 10-09 (3), Sat 10-10 (4), 10-12 (5), 10-13 (6), 10-14 (7).
    let question =
        json!({"stage": "procurement_result", "content": "评审因素量化不合理", "knew_at": "2026-09-29T02:00:00Z"});
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-10-14T23:59:00+08:00")]);
    let raised = post(
        &server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&server.token("bidder", Some(&bidder))),
        &question,
    );
    assert_eq!(raised.status, 201, "{}", raised.text);
    assert_eq!(raised.body["suspended_project"], false, "a procurement question does not suspend by itself");
    assert_eq!(raised.body["reply_rule_id"], "procurement.question.reply");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-10-15T00:01:00+08:00")]);
    let late = post(
        &server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&server.token("bidder", Some(&bidder))),
        &question,
    );
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "procurement.question.window");
    let wrong = post(
        &server,
        &format!("/api/v1/projects/{project}/objections"),
        Some(&server.token("bidder", Some(&bidder))),
        &json!({"stage": "tender_documents", "content": "x"}),
    );
    assert_eq!(wrong.problem(422, "validation-failed")["errors"][0]["field"], "stage");

    // A procurement complaint follows a question: without one it is refused, naming the
    // field; after the question (unanswered, so counted from the end of its reply period)
    // it is filed.
    let complaints = format!("/api/v1/projects/{project}/complaints");
    let bidder_token = server.token("bidder", Some(&bidder));
    let first = post(
        &server,
        &complaints,
        Some(&bidder_token),
        &json!({"content": "评审不公", "knew_at": "2026-10-14T02:00:00Z"}),
    );
    let problem = first.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "procurement.complaint.window", "{problem}");
    assert_eq!(problem["errors"][0]["field"], "objection_id", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "question_first", "{problem}");
    // The question was raised on Wed 10-14 and is unanswered: its reply period ends with
    // 10-23 (7 working days), and the complaint window 15 working days later, with 11-13.
    // Counted from the question itself it would have ended with 11-04.
    let complain = |server: &ggzy_blackbox::Server| {
        post(
            server,
            &complaints,
            Some(&server.token("bidder", Some(&bidder))),
            &json!({"content": "评审不公", "knew_at": "2026-10-14T02:00:00Z", "objection_id": raised.body["id"]}),
        )
    };
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-13T23:59:00+08:00")]);
    let in_time = complain(&server);
    assert_eq!(in_time.status, 201, "{}", in_time.text);
    assert_eq!(in_time.body["status"], "received", "{}", in_time.text);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-14T00:00:00+08:00")]);
    let late = complain(&server);
    let problem = late.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "procurement.complaint.window", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "outside_window", "{problem}");
}

both_backends!(tender_document_objections_suspend_until_answered, procurement_questions_within_seven_working_days);
