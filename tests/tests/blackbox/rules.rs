//! Rules as versioned data: the catalogue, entry decisions at the threshold under two
//! versions, deadlines across holidays, the calendar table.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::{get, post, send, BINARY};

/// Servers in these tests run on a fixed clock, so "today" does not depend on when the
/// suite runs.
pub const NOW: &str = "manual:2026-11-29T10:00:00+08:00";

pub fn start_at_fixed_time(backend: Backend) -> Option<Server> {
    Server::start_with(BINARY, backend, &[("GGZY_CLOCK", NOW)])
}

fn deadline(server: &Server, rule_id: &str, event_at: &str) -> crate::Reply {
    post(server, "/api/v1/rules/deadline", None, &json!({"rule_id": rule_id, "event_at": event_at}))
}

fn assert_due(server: &Server, rule_id: &str, event_at: &str, end_date: &str) {
    let reply = deadline(server, rule_id, event_at);
    assert_eq!(reply.status, 200, "{rule_id} from {event_at}: {}", reply.text);
    assert_eq!(reply.body["end_date"], end_date, "{rule_id} from {event_at}: {}", reply.text);
    // 24:00 Beijing time of the end date is 16:00 UTC that day.
    assert_eq!(reply.body["due"], format!("{end_date}T16:00:00Z"), "{}", reply.text);
}

fn deadlines_across_the_2026_holidays(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    // Working days, Spring Festival: from Thu 02-12, 02-13 (1), Sat 02-14 make-up workday (2),
    // 02-15..02-23 holiday, 02-24 (3), 02-25 (4), 02-26 (5).
    assert_due(&server, "direct_award.publicity", "2026-02-12T02:00:00Z", "2026-02-26");
    // An event at 01:30 on 02-13 Beijing time (17:30 UTC the day before) counts from 02-13.
    assert_due(&server, "direct_award.publicity", "2026-02-12T17:30:00Z", "2026-02-27");
    // 7 working days from 02-12: 02-13, 02-14, 02-24, 02-25, 02-26, 02-27, Sat 02-28 (make-up).
    assert_due(&server, "procurement.question.window", "2026-02-12T02:00:00Z", "2026-02-28");
    // Calendar days ending in the holiday roll over: 02-13 + 3 = 02-16 (holiday) → 02-24.
    assert_due(&server, "construction.candidates.publicity", "2026-02-13T02:00:00Z", "2026-02-24");
    // Calendar days ending on a make-up Saturday do not roll: 02-11 + 3 = Sat 02-14, a workday.
    assert_due(&server, "construction.objection.reply", "2026-02-11T02:00:00Z", "2026-02-14");
    // National Day: 09-29 + 3 days = 10-02 (holiday); 10-03..10-07 holiday → Thu 10-08.
    assert_due(&server, "construction.objection.reply", "2026-09-29T02:00:00Z", "2026-10-08");
    // 10-07 + 3 days = Sat 10-10, the make-up workday: no roll-over.
    assert_due(&server, "construction.objection.reply", "2026-10-07T02:00:00Z", "2026-10-10");
    // 3 working days from Wed 09-30: 10-08 (1), 10-09 (2), Sat 10-10 make-up (3).
    assert_due(&server, "construction.complaint.acceptance", "2026-09-30T02:00:00Z", "2026-10-10");
    // 20 calendar days from 09-15: 10-05 (holiday) → 10-08.
    assert_due(&server, "construction.bidding_period", "2026-09-15T02:00:00Z", "2026-10-08");

    // Before the first rule set there is no rule to count by: a 422, not a 500.
    let ancient = deadline(&server, "direct_award.publicity", "2000-01-01T00:00:00Z");
    assert_eq!(ancient.problem(422, "validation-failed")["errors"][0]["code"], "before_first_rule_set");
    let unknown = deadline(&server, "entry.threshold", "2026-09-15T02:00:00Z");
    assert_eq!(unknown.problem(422, "validation-failed")["errors"][0]["field"], "rule_id");
}

fn a_year_without_calendar_counts_provisionally_until_loaded(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    // 12-29 (1), 12-30 (2), 12-31 (3), then 2027, which is not loaded: Fri 01-01 is 元旦 by
    // the holiday law, the weekend, Mon 01-04 (4), Tue 01-05 (5) — provisional.
    let provisional = deadline(&server, "direct_award.publicity", "2026-12-28T02:00:00Z");
    assert_eq!(provisional.status, 200, "{}", provisional.text);
    assert_eq!(provisional.body["end_date"], "2027-01-05");
    assert_eq!(provisional.body["provisional"], true);
    assert_eq!(provisional.body["provisional_years"], json!([2027]));
    // Inside 2026 nothing is provisional.
    let official = deadline(&server, "direct_award.publicity", "2026-12-01T02:00:00Z");
    assert_eq!(
        (official.body["provisional"].clone(), official.body["provisional_years"].clone()),
        (json!(false), json!([]))
    );
    // The provisional year is shown as such; years the law cannot count are not found.
    let shown = get(&server, "/api/v1/calendar/2027", None);
    assert_eq!(shown.body["status"], "provisional", "{}", shown.text);
    assert_eq!(shown.body["loaded_at"], Value::Null);
    assert!(shown.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["date"] == "2027-02-09" && d["name"] == "春节补假"));
    get(&server, "/api/v1/calendar/2300", None).problem(404, "not-found");
    // Beyond 2100 no date is taken at all.
    let beyond = deadline(&server, "direct_award.publicity", "2200-12-28T02:00:00Z");
    assert_eq!(beyond.problem(422, "validation-failed")["errors"][0]["code"], "date_out_of_range", "{}", beyond.text);
    assert_eq!(beyond.error_fields(), ["event_at"]);
    let years = get(&server, "/api/v1/calendar", None);
    let statuses = years.body["statuses"].as_array().unwrap();
    assert!(statuses.iter().any(|y| y == &json!({"year": 2026, "status": "official"})), "{}", years.text);
    assert!(statuses.iter().any(|y| y == &json!({"year": 2027, "status": "provisional"})), "{}", years.text);

    let admin = server.token("platform_admin", None);
    let centre = server.token("centre_staff", Some("centre"));
    let days = json!({"days": [{"date": "2027-01-01", "kind": "holiday", "name": "New Year's Day"}]});
    let path = "/api/v1/calendar/2027";
    send(server.client().put(server.url(path)).bearer_auth(&centre).json(&days)).problem(403, "forbidden");
    let bad = json!({"days": [
        {"date": "2027-01-04", "kind": "workday", "name": "x"},
        {"date": "2026-12-31", "kind": "holiday", "name": "y"},
        {"date": "2027-01-01", "kind": "holiday", "name": ""},
    ]});
    let refused = send(server.client().put(server.url(path)).bearer_auth(&admin).json(&bad));
    refused.problem(422, "validation-failed");
    assert_eq!(refused.error_fields(), vec!["days[0].kind", "days[1].date", "days[2].name"]);
    let loaded = send(server.client().put(server.url(path)).bearer_auth(&admin).json(&days));
    assert_eq!(loaded.status, 200, "{}", loaded.text);
    assert_eq!(get(&server, "/api/v1/calendar", None).body["years"].as_array().unwrap().last().unwrap(), 2027);
    assert_eq!(get(&server, "/api/v1/calendar/2027", None).body["status"], "official");
    // 12-29, 12-30, 12-31, 01-01 holiday, weekend, Mon 01-04 (4), Tue 01-05 (5).
    assert_due(&server, "direct_award.publicity", "2026-12-28T02:00:00Z", "2027-01-05");
    let seeded = get(&server, "/api/v1/calendar/2026", None);
    assert_eq!(seeded.body["days"].as_array().unwrap().len(), 39);
}

fn the_rules_are_listed_with_their_sources(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let rules = get(&server, "/api/v1/rules", None);
    assert_eq!(rules.status, 200);
    assert_eq!(rules.body["rule_set_in_force"], 1);
    let list = rules.body["rules"].as_array().unwrap();
    let threshold = list.iter().find(|r| r["id"] == "entry.threshold").unwrap();
    assert_eq!(threshold["source"], "实施方案 二(一)");
    assert!(list.iter().any(|r| r["id"] == "procurement.complaint.decision"));
    let seed = get(&server, "/api/v1/rule-sets/1", None);
    assert_eq!(seed.body["rule_set"]["effective_from"], "2019-08-21");
    assert_eq!(seed.body["rule_set"]["agent_limit"]["default"], 3);
    get(&server, "/api/v1/rule-sets/9", None).problem(404, "not-found");
}

/// A draft of version 2: the seed with a 1,000,000.00 threshold, effective 2027-01-01.
fn version_two(server: &Server) -> Value {
    let mut draft = get(server, "/api/v1/rule-sets/1", None).body["rule_set"].clone();
    draft.as_object_mut().unwrap().remove("version");
    draft["effective_from"] = json!("2027-01-01");
    draft["title"] = json!("第 2 版：进场金额标准调整为 100 万元");
    for entry in draft["catalogue"].as_array_mut().unwrap() {
        entry["threshold"] = json!("1000000.00");
    }
    draft
}

const SUBTYPES: [(&str, &str, Option<&str>); 5] = [
    ("construction", "works", Some("building")),
    ("procurement", "goods", None),
    ("land_mining", "land_use_right", None),
    ("state_property", "transfer", None),
    ("other", "landscaping", None),
];

fn decide(server: &Server, category: &str, subtype: &str, sector: Option<&str>, amount: &str, as_of: &str) -> Value {
    let reply = post(
        server,
        "/api/v1/rules/entry-decision",
        None,
        &json!({"category": category, "subtype": subtype, "sector": sector, "funding": "state_funded",
                "legally_required_tendering": true, "estimated_amount": amount, "as_of": as_of}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

fn entry_at_the_threshold_under_two_versions(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let regulator = server.token("comprehensive_regulator", Some("gongguanban"));
    let centre = server.token("centre_staff", Some("centre"));
    let draft = version_two(&server);

    let refused = post(&server, "/api/v1/rule-sets", Some(&centre), &draft);
    assert_eq!(refused.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    let mut in_the_past = draft.clone();
    in_the_past["effective_from"] = json!("2026-11-29");
    let past = post(&server, "/api/v1/rule-sets", Some(&regulator), &in_the_past);
    assert_eq!(past.problem(422, "validation-failed").clone()["errors"][0]["field"], "effective_from");
    let published = post(&server, "/api/v1/rule-sets", Some(&regulator), &draft);
    assert_eq!(published.status, 201, "{}", published.text);
    assert_eq!(published.body["rule_set"]["version"], 2);

    for (category, subtype, sector) in SUBTYPES {
        // Version 1 is in force until 2026-12-31.
        let at = decide(&server, category, subtype, sector, "500000.00", "2026-12-31");
        assert_eq!(at["outcome"], "must_enter", "{category}: {at}");
        assert_eq!(at["rule_set_version"], 1);
        assert!(at["cited"].as_array().unwrap().iter().any(|c| c["rule_id"] == "entry.threshold"), "{at}");
        let below = decide(&server, category, subtype, sector, "499999.99", "2026-12-31");
        assert_eq!(below["outcome"], "not_required", "{category}: {below}");
        // Version 2 from 2027-01-01.
        let old_threshold = decide(&server, category, subtype, sector, "500000.00", "2027-01-01");
        assert_eq!(old_threshold["outcome"], "not_required", "{category}: {old_threshold}");
        assert_eq!(old_threshold["rule_set_version"], 2);
        assert_eq!(decide(&server, category, subtype, sector, "999999.99", "2027-01-01")["outcome"], "not_required");
        assert_eq!(decide(&server, category, subtype, sector, "1000000.00", "2027-01-01")["outcome"], "must_enter");
    }
    let voluntary = post(
        &server,
        "/api/v1/rules/entry-decision",
        None,
        &json!({"category": "construction", "subtype": "works", "sector": "building", "funding": "social_investment",
                "legally_required_tendering": false, "estimated_amount": "9000000.00"}),
    );
    assert_eq!(voluntary.body["outcome"], "voluntary", "{}", voluntary.text);
    let versions = get(&server, "/api/v1/rule-sets", None);
    assert_eq!(versions.body.as_array().unwrap().len(), 2);
}

both_backends!(
    deadlines_across_the_2026_holidays,
    a_year_without_calendar_counts_provisionally_until_loaded,
    the_rules_are_listed_with_their_sources,
    entry_at_the_threshold_under_two_versions,
);
