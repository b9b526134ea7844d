//! The turn of the year: a tender whose clocks run into 2027 before its official holiday
//! arrangement is loaded counts them provisionally and says so, warns the operators, and
//! recounts them (audited, notified) when the official year is loaded.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::tender;
use crate::envelopes::open_bids;
use crate::lifecycle::{expert, three_bids};
use crate::{get, post, send, SHA256_OF_TEST};

fn watch(server: &Server) -> Value {
    let reply =
        get(server, "/api/v1/oversight/deadlines", Some(&server.token("comprehensive_regulator", Some("gongguanban"))));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

fn clock<'a>(watch: &'a Value, kind: &str, subject: &str) -> &'a Value {
    watch["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["subject_id"] == subject)
        .unwrap_or_else(|| panic!("no {kind} clock for {subject}: {watch}"))
}

fn metric(server: &Server, name: &str) -> String {
    let text = get(server, "/metrics", None).text;
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")).map(str::to_owned))
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// The platform admins' inbox once it holds a reminder sent at `day` (the reminder worker
/// runs at start, in the background).
fn admin_notifications_by(server: &Server, day: &str) -> Value {
    let admin = server.token("platform_admin", None);
    let mut last = Value::Null;
    for _ in 0..100 {
        let inbox = get(server, "/api/v1/notifications", Some(&admin));
        assert_eq!(inbox.status, 200, "{}", inbox.text);
        if inbox.body["items"].as_array().unwrap().iter().any(|n| n["created_at"].as_str().unwrap().starts_with(day)) {
            return inbox.body;
        }
        last = inbox.body;
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no reminder on {day}: {last}");
}

fn a_tender_across_the_year_end_counts_2027_provisionally_until_it_is_loaded(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let bidders = three_bids(server, &t.section);
    for i in 0..6 {
        expert(server, &format!("专家{i}"), None);
    }
    // November is covered by the official 2026 notice: no warning yet before 1 November…
    // and on 2 November the warning is on, since 2027 is not loaded.
    assert_eq!(metric(server, "ggzy_calendar_official_years_ahead"), "0");
    assert_eq!(metric(server, "ggzy_calendar_next_year_missing"), "1");

    // Opening, committee, scores and the report on the deadline day.
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
    for member in draw.body["committee"].as_array().unwrap() {
        let token = server.token("expert", Some(member.as_str().unwrap()));
        let sheet = json!({"scores": [
            {"bidder_id": bidders[0].0, "score": "85.00"},
            {"bidder_id": bidders[1].0, "score": "92.50"},
            {"bidder_id": bidders[2].0, "score": "80"},
        ]});
        let scored = post(&server, &format!("/api/v1/sections/{}/scores", t.section), Some(&token), &sheet);
        assert_eq!(scored.status, 200, "{}", scored.text);
    }
    let report = post(&server, &format!("/api/v1/sections/{}/evaluation-report", t.section), Some(&centre), &json!({}));
    assert_eq!(report.status, 201, "{}", report.text);
    assert_eq!(report.body["provisional"], false, "publicity inside 2026 is official: {}", report.text);

    // 2026-12-28: the award. The contract window (30 days) ends Wed 2027-01-27, counted on
    // the provisional 2027; nothing fails.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-28T09:00:00+08:00")]);
    let project = t.project["id"].as_str().unwrap().to_owned();
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let awarded = post(
        &server,
        &format!("/api/v1/sections/{}/award", t.section),
        Some(&tenderer),
        &json!({"winner_id": bidders[1].0}),
    );
    assert_eq!(awarded.status, 200, "{}", awarded.text);
    assert_eq!(awarded.body["contract_due"], "2027-01-27T16:00:00Z", "{}", awarded.text);
    assert_eq!(
        (awarded.body["provisional"].clone(), awarded.body["provisional_years"].clone()),
        (json!(true), json!([2027]))
    );
    let before = watch(&server);
    let contract_clock = clock(&before, "contract_signing", &t.section);
    assert_eq!(
        (contract_clock["due"].clone(), contract_clock["provisional"].clone()),
        (json!("2027-01-27T16:00:00Z"), json!(true))
    );
    assert!(before["warnings"][0].as_str().unwrap().contains("2027"), "{before}");
    // The deadline route answers for the example too: a complaint decision from 12-20.
    let decision = post(
        &server,
        "/api/v1/rules/deadline",
        None,
        &json!({"rule_id": "construction.complaint.decision", "event_at": "2026-12-20T02:00:00Z"}),
    );
    assert_eq!((decision.status, decision.body["provisional"].clone()), (200, json!(true)), "{}", decision.text);
    // Platform admins were reminded once on each day a server ran since 1 November (11-02,
    // 11-23, 12-28), not once per start: a second start on 12-28 adds none.
    admin_notifications_by(&server, "2026-12-28");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-28T15:00:00+08:00")]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let reminders = admin_notifications_by(&server, "2026-12-28");
    let days: Vec<&str> =
        reminders["items"].as_array().unwrap().iter().map(|n| &n["created_at"].as_str().unwrap()[..10]).collect();
    // Newest first.
    assert_eq!(days, ["2026-12-28", "2026-11-23", "2026-11-02"], "{reminders}");
    assert!(reminders["items"].as_array().unwrap().iter().all(|n| n["kind"] == "calendar.year_missing"));

    // 2026-12-30: two complaints and the contract.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-30T09:00:00+08:00")]);
    let complain = |who: usize| {
        let token = server.token("bidder", Some(&bidders[who].0));
        let filed = post(
            &server,
            &format!("/api/v1/projects/{project}/complaints"),
            Some(&token),
            &json!({"content": "评标不公", "knew_at": "2026-12-28T02:00:00Z"}),
        );
        assert_eq!(filed.status, 201, "{}", filed.text);
        filed.body
    };
    // Acceptance within 3 working days of Wed 12-30: 12-31, (元旦 Fri 01-01, weekend), Mon
    // 01-04, Tue 01-05 — provisional.
    let waiting = complain(2);
    assert_eq!(waiting["acceptance_due"], "2027-01-05T16:00:00Z", "{waiting}");
    assert_eq!(waiting["provisional_years"], json!([2027]));
    let accepted_one = complain(0);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let accepted = post(
        &server,
        &format!("/api/v1/complaints/{}/acceptance", accepted_one["id"].as_str().unwrap()),
        Some(&zjw),
        &json!({"accept": true, "reason": "受理"}),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    // 30 working days from 12-30: 12-31 (1), January 4–29 (21), February 1–4 (25), the
    // provisional Spring Festival 02-05..02-10 skipped, 02-11, 12, 15, 16, 17 (30).
    assert_eq!(accepted.body["decision_due"], "2027-02-17T16:00:00Z", "{}", accepted.text);
    assert_eq!(accepted.body["provisional"], true);
    let contract = post(
        &server,
        &format!("/api/v1/sections/{}/contract", t.section),
        Some(&server.token("tenderer", Some(&t.tenderer))),
        &json!({"amount": "990000.00", "sha256": SHA256_OF_TEST}),
    );
    assert_eq!((contract.status, contract.body["contract_late"].clone()), (200, json!(false)), "{}", contract.text);
    // Bonds go on their refund clocks: 12-30 + 5 days = Mon 2027-01-04, provisional.
    let on_clock = watch(&server);
    let refunds: Vec<&Value> =
        on_clock["deadlines"].as_array().unwrap().iter().filter(|c| c["kind"] == "bond_refund").collect();
    assert_eq!(refunds.len(), 3, "{on_clock}");
    assert!(refunds.iter().all(|c| c["due"] == "2027-01-04T16:00:00Z" && c["provisional"] == true), "{on_clock}");
    let bond = refunds[0]["subject_id"].as_str().unwrap().to_owned();
    let centre = server.token("centre_staff", Some("centre"));
    let refund = post(&server, &format!("/api/v1/bonds/{bond}/refund-instructions"), Some(&centre), &json!({}));
    assert_eq!(refund.status, 200, "{}", refund.text);
    assert_eq!(refund.body["provisional_years"], json!([2027]), "{}", refund.text);

    // The official 2027 notice arrives: 元旦 01-01 with Saturday 01-02 a make-up workday,
    // the Spring Festival 02-05..02-13 with Saturday 02-20 a make-up workday.
    let admin = server.token("platform_admin", None);
    let mut days = vec![json!({"date": "2027-01-01", "kind": "holiday", "name": "元旦"})];
    days.push(json!({"date": "2027-01-02", "kind": "workday", "name": "元旦"}));
    for day in 5..=13 {
        days.push(json!({"date": format!("2027-02-{day:02}"), "kind": "holiday", "name": "春节"}));
    }
    days.push(json!({"date": "2027-02-20", "kind": "workday", "name": "春节"}));
    let loaded =
        send(server.client().put(server.url("/api/v1/calendar/2027")).bearer_auth(&admin).json(&json!({"days": days})));
    assert_eq!(loaded.status, 200, "{}", loaded.text);
    assert_eq!(loaded.body["status"], "official");
    let recounted = loaded.body["recounted"].as_array().unwrap();
    // The decision clock: 12-31 (1), Sat 01-02 (2), January 4–29 (22), February 1–4 (26),
    // 02-05..02-14 off, 02-15, 16, 17, 18 (30): later than provisionally — moved.
    let moved = recounted.iter().find(|c| c["kind"] == "complaint_decision").expect("decision recounted");
    assert_eq!(moved["provisional_due"], "2027-02-17T16:00:00Z", "{}", loaded.text);
    assert_eq!(moved["official_due"], "2027-02-18T16:00:00Z");
    assert_eq!((moved["due"].clone(), moved["outcome"].clone()), (json!("2027-02-18T16:00:00Z"), json!("moved")));
    // The acceptance clock: 12-31, Sat 01-02, Mon 01-04 — earlier than the 01-05 the parties
    // were shown, so 01-05 stands.
    let kept = recounted.iter().find(|c| c["kind"] == "complaint_acceptance").expect("acceptance recounted");
    assert_eq!(
        (kept["official_due"].clone(), kept["due"].clone()),
        (json!("2027-01-04T16:00:00Z"), json!("2027-01-05T16:00:00Z"))
    );
    assert_eq!(kept["outcome"], "kept");
    // The refund clocks (01-04 either way) did not change and are not listed.
    assert_eq!(recounted.len(), 2, "{}", loaded.text);

    let accepted_now =
        get(&server, &format!("/api/v1/complaints/{}", accepted_one["id"].as_str().unwrap()), Some(&zjw));
    assert_eq!(accepted_now.body["decision_due"], "2027-02-18T16:00:00Z", "{}", accepted_now.text);
    assert_eq!(accepted_now.body["provisional"], false);
    let waiting_now = get(&server, &format!("/api/v1/complaints/{}", waiting["id"].as_str().unwrap()), Some(&zjw));
    assert_eq!(waiting_now.body["acceptance_due"], "2027-01-05T16:00:00Z", "{}", waiting_now.text);
    let after = watch(&server);
    assert!(after["deadlines"].as_array().unwrap().iter().all(|c| c["provisional"] == false), "{after}");
    assert_eq!(after["warnings"], json!([]));
    assert_eq!(metric(&server, "ggzy_calendar_official_years_ahead"), "1");
    assert_eq!(metric(&server, "ggzy_calendar_next_year_missing"), "0");

    // Each recount is on the project's audit chain and in its parties' inboxes.
    let archive = get(
        &server,
        &format!("/api/v1/projects/{project}/archive?purpose=核查期限重算"),
        Some(&server.token("inspector", Some("jijian"))),
    );
    assert_eq!(archive.status, 200, "{}", archive.text);
    assert_eq!(archive.text.matches("deadline.recount").count(), 2, "{}", archive.text);
    let inbox = get(&server, "/api/v1/notifications", Some(&server.token("bidder", Some(&bidders[0].0))));
    let recount_notes: Vec<&Value> =
        inbox.body["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "deadline.recounted").collect();
    assert_eq!(recount_notes.len(), 1, "{}", inbox.text);
    let regulator_inbox = get(&server, "/api/v1/notifications", Some(&zjw));
    assert_eq!(
        regulator_inbox.body["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "deadline.recounted").count(),
        2,
        "{}",
        regulator_inbox.text
    );
    let audit = get(&server, "/api/v1/audit/verification", Some(&server.token("inspector", Some("jijian"))));
    assert_eq!(audit.body["valid"], true, "{}", audit.text);
}

both_backends!(a_tender_across_the_year_end_counts_2027_provisionally_until_it_is_loaded);
