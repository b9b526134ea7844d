//! From registration to contract on both databases: three bidders, opening, a draw of five
//! experts (conflicted and restricted experts never drawn, the draw replayable), scores,
//! publicity, award, contract, and the bonds' refund clocks.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{open_bids, place_bid};
use crate::{await_notice, get, notices, post, send, SHA256_OF_TEST};

pub fn expert(server: &ggzy_blackbox::Server, name: &str, employer: Option<&str>) -> String {
    let centre = server.token("centre_staff", Some("centre"));
    let reply = post(
        server,
        "/api/v1/experts",
        Some(&centre),
        &json!({"name": name, "specialties": ["building"], "employer_id": employer}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// Three ready bidders of the section, each with a bid in (980,000, 990,000 and 995,000
/// yuan); returns their (id, token, manager).
pub fn three_bids(server: &ggzy_blackbox::Server, section: &str) -> Vec<(String, String, String)> {
    let bidders: Vec<(String, String, String)> = [
        ("914403001922038216", "11010519800101001"),
        ("91110108551385082Q", "11010519800101002"),
        ("9144030071526726XG", "11010519800101003"),
    ]
    .iter()
    .map(|(code, id)| ready_bidder(server, section, code, id))
    .collect();
    for ((_, token, manager), price) in bidders.iter().zip(["980000.00", "990000.00", "995000.00"]) {
        let bid = place_bid(server, section, token, &bid_body(price, manager, None));
        assert_eq!(bid.status, 201, "{}", bid.text);
    }
    bidders
}

/// The phase of the project and of its one section, as the tenderer reads them.
fn phases(server: &ggzy_blackbox::Server, (project, tenderer): (&str, &str)) -> (String, String) {
    let project = get(server, &format!("/api/v1/projects/{project}"), Some(&server.token("tenderer", Some(tenderer))));
    let phase = |v: &serde_json::Value| v.as_str().unwrap_or_else(|| panic!("a phase: {}", project.text)).to_owned();
    (phase(&project.body["phase"]), phase(&project.body["sections"][0]["phase"]))
}

fn from_registration_to_contract(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let bidders = three_bids(server, &t.section);
    let (project_id, tenderer_id) = (t.project["id"].as_str().unwrap().to_owned(), t.tenderer.clone());
    let ours = (project_id.as_str(), tenderer_id.as_str());
    assert_eq!(phases(server, ours), ("announced".into(), "announced".into()));
    // Before the opening not even the tenderer may list the section's bonds.
    let section_bonds = format!("/api/v1/sections/{}/bonds", t.section);
    get(server, &section_bonds, Some(&server.token("tenderer", Some(&t.tenderer)))).problem(404, "not-found");

    // The pool: eight clean experts, one employed by a bidder, one related to the tenderer,
    // one restricted.
    let centre = server.token("centre_staff", Some("centre"));
    let unknown_employer = post(
        server,
        "/api/v1/experts",
        Some(&centre),
        &json!({"name": "某", "specialties": ["building"], "employer_id": "01a00000-0000-7000-8000-000000000000"}),
    );
    assert_eq!(unknown_employer.problem(422, "validation-failed")["errors"][0]["field"], "employer_id");
    let clean: Vec<String> = (0..8).map(|i| expert(server, &format!("专家{i}"), None)).collect();
    let employed = expert(server, "投标人员工", Some(&bidders[0].0));
    let related = expert(server, "有利害关系", None);
    let restricted = expert(server, "受限专家", None);
    let related_token = server.token("expert", Some(&related));
    let declared = post(
        server,
        &format!("/api/v1/experts/{related}/relations"),
        Some(&related_token),
        &json!({"participant_id": t.tenderer, "relation": "近三年曾在招标人任职"}),
    );
    assert_eq!(declared.status, 200, "{}", declared.text);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let restricting = post(
        server,
        &format!("/api/v1/experts/{restricted}/restriction"),
        Some(&zjw),
        &json!({"until": "2027-12-31", "decision": "京密住建〔2026〕7号"}),
    );
    assert_eq!(restricting.status, 200, "{}", restricting.text);
    // The centre's pool screen: by restriction, specialty and name, a page at a time.
    let pool = |query: &str| -> Vec<String> {
        let page = get(server, &format!("/api/v1/experts?{query}"), Some(&centre));
        assert_eq!(page.status, 200, "{query}: {}", page.text);
        page.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(pool("restricted=true"), std::slice::from_ref(&restricted));
    assert!(!pool("restricted=false&specialty=BUILDING&limit=200").contains(&restricted));
    assert_eq!(pool("restricted=false&specialty=BUILDING&limit=200").len(), 10);
    assert!(pool("specialty=build").is_empty(), "a specialty is matched whole");
    assert_eq!(pool("name=利害"), std::slice::from_ref(&related));
    assert!(pool("name=%25").is_empty(), "a wildcard is a literal");
    assert!(pool("active=false").is_empty());
    let mut walked: Vec<String> = Vec::new();
    let mut after = String::new();
    for pages in 1.. {
        assert!(pages <= 5, "11 experts in pages of 4: {walked:?}");
        let page = get(server, &format!("/api/v1/experts?limit=4{after}"), Some(&centre));
        walked.extend(page.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => after = format!("&after={cursor}"),
            None => break,
        }
    }
    let mut sorted = walked.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(walked, sorted, "pages by id, each expert once");
    for id in clean.iter().chain([&employed, &related, &restricted]) {
        assert!(walked.contains(id), "{id} missing from the pool's pages");
    }
    let bad = get(server, "/api/v1/experts?specialty=building,roads&active=yes&restricted=1&limit=0", Some(&centre));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["specialty", "active", "restricted", "limit"], "{}", bad.text);
    get(server, "/api/v1/experts?sort=name", Some(&centre)).problem(400, "malformed-request");
    get(server, "/api/v1/experts", Some(&server.token("tenderer", Some(&t.tenderer)))).problem(403, "forbidden");

    // Opening at the deadline.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let opened = open_bids(&server, &t.section, &tenderer, &t.witness);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    assert_eq!(phases(&server, ours), ("opened".into(), "opened".into()));
    // The day's openings, public: this section at 10:00 Beijing time, where announced.
    let day = get(&server, "/api/v1/public/openings?from=2026-11-23&to=2026-11-23", None);
    let scheduled: Vec<&Value> =
        day.body["items"].as_array().unwrap().iter().filter(|o| o["section_id"] == t.section.as_str()).collect();
    assert_eq!(scheduled.len(), 1, "{}", day.text);
    assert_eq!(scheduled[0]["opening_at"], "2026-11-23T02:00:00Z");
    assert!(scheduled[0]["opening_place"].as_str().is_some_and(|p| !p.is_empty()));
    let next_day = get(&server, "/api/v1/public/openings?from=2026-11-24", None);
    assert!(!next_day.text.contains(&t.section), "{}", next_day.text);
    get(&server, "/api/v1/public/openings?to=2026-02-30", None).problem(422, "validation-failed");
    // From the opening on the tender's side lists them (to forfeit one), as do its
    // regulator and the centre; bidders and other regulators do not.
    let listed = get(&server, &section_bonds, Some(&tenderer));
    let mut holders: Vec<&str> =
        listed.body.as_array().unwrap().iter().map(|b| b["bidder_id"].as_str().unwrap()).collect();
    holders.sort();
    let mut expected: Vec<&str> = bidders.iter().map(|(id, _, _)| id.as_str()).collect();
    expected.sort();
    assert_eq!(holders, expected, "{}", listed.text);
    for (role, org) in [("industry_regulator", "zjw"), ("centre_staff", "centre")] {
        assert_eq!(
            get(&server, &section_bonds, Some(&server.token(role, Some(org)))).body.as_array().map(Vec::len),
            Some(3)
        );
    }
    for (role, org) in [("bidder", bidders[0].0.as_str()), ("industry_regulator", "swj")] {
        get(&server, &section_bonds, Some(&server.token(role, Some(org)))).problem(404, "not-found");
    }
    // Every bidder hears of the opening, with where to read its record.
    for (bidder, _, _) in &bidders {
        let held = notices(&server, &server.token("bidder", Some(bidder)), "opening.held");
        assert_eq!(held.len(), 1, "{held:?}");
        assert_eq!(held[0]["payload"]["section_id"], t.section.as_str());
        let record = format!("/api/v1/public/sections/{}/opening-record", t.section);
        assert_eq!(held[0]["payload"]["link"], record.as_str());
        assert_eq!(held[0]["read_at"], Value::Null);
    }

    let centre = server.token("centre_staff", Some("centre"));
    let draws = format!("/api/v1/sections/{}/expert-draws", t.section);
    let even = post(&server, &draws, Some(&centre), &json!({"specialty": "building", "size": 4}));
    assert_eq!(even.problem(422, "rule-violation")["rule"]["id"], "construction.evaluation.committee");
    let draw = post(&server, &draws, Some(&centre), &json!({"specialty": "building", "size": 5}));
    assert_eq!(draw.status, 201, "{}", draw.text);
    assert_eq!(phases(&server, ours).1, "under_evaluation");
    let committee: Vec<String> =
        draw.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    assert_eq!(committee.len(), 5);
    for conflicted in [&employed, &related, &restricted] {
        assert!(!committee.contains(conflicted), "a conflicted or restricted expert was drawn");
        assert!(!draw.body["record"]["candidates"].as_array().unwrap().iter().any(|c| c == conflicted.as_str()));
    }
    assert!(committee.iter().all(|e| clean.contains(e)));
    let draw_id = draw.body["id"].as_str().unwrap().to_owned();
    // Each member is told it sits on the committee; nobody else is.
    for member in &committee {
        let drawn = notices(&server, &server.token("expert", Some(member)), "committee.drawn");
        assert_eq!(drawn.len(), 1, "{member}: {drawn:?}");
        assert_eq!(drawn[0]["payload"]["subject_id"], draw_id.as_str());
        assert_eq!(drawn[0]["payload"]["link"], "/api/v1/experts/me/committees");
    }
    // The draw list: the centre's and the tender side's, never a bidder's; another industry's
    // regulator sees none of this project's.
    let draw_list = format!("/api/v1/expert-draws?section_id={}", t.section);
    for token in [&centre, &tenderer] {
        let listed = get(&server, &draw_list, Some(token));
        assert_eq!(listed.body["items"][0]["id"], draw_id.as_str(), "{}", listed.text);
    }
    get(&server, &draw_list, Some(&server.token("bidder", Some(&bidders[0].0)))).problem(403, "forbidden");
    let elsewhere = get(&server, &draw_list, Some(&server.token("industry_regulator", Some("swj"))));
    assert_eq!(elsewhere.body["items"], json!([]), "{}", elsewhere.text);
    let outside = clean.iter().find(|e| !committee.contains(e)).unwrap();
    assert!(notices(&server, &server.token("expert", Some(outside)), "committee.drawn").is_empty());
    // Bidders never see the experts.
    get(&server, &format!("/api/v1/expert-draws/{draw_id}"), Some(&server.token("bidder", Some(&bidders[0].0))))
        .problem(404, "not-found");
    // A recusal draws one replacement; the whole draw replays from its seeds.
    let recused = post(
        &server,
        &format!("/api/v1/expert-draws/{draw_id}/recusals"),
        Some(&centre),
        &json!({"expert_id": committee[0], "reason": "与投标人存在利害关系"}),
    );
    assert_eq!(recused.status, 200, "{}", recused.text);
    let committee: Vec<String> =
        recused.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    assert_eq!(committee.len(), 5);
    // The replacement is told; the recused expert's one notice stays its only one.
    let replacement = recused.body["record"]["recusals"][0]["replacement"].as_str().unwrap();
    assert_eq!(notices(&server, &server.token("expert", Some(replacement)), "committee.drawn").len(), 1);
    let first = recused.body["record"]["recusals"][0]["expert_id"].as_str().unwrap();
    assert_eq!(notices(&server, &server.token("expert", Some(first)), "committee.drawn").len(), 1);
    // The replacement stands down in turn: it leaves the committee (five still sit), a
    // second replacement joins, and it may not stand down twice.
    let again = post(
        &server,
        &format!("/api/v1/expert-draws/{draw_id}/recusals"),
        Some(&centre),
        &json!({"expert_id": replacement, "reason": "近三年曾在投标人任职"}),
    );
    assert_eq!(again.status, 200, "{}", again.text);
    let committee: Vec<String> =
        again.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    assert_eq!(committee.len(), 5, "{}", again.text);
    assert!(!committee.iter().any(|member| member == replacement), "{}", again.text);
    let second = again.body["record"]["recusals"][1]["replacement"].as_str().unwrap();
    assert!(committee.iter().any(|member| member == second), "{}", again.text);
    let twice = post(
        &server,
        &format!("/api/v1/expert-draws/{draw_id}/recusals"),
        Some(&centre),
        &json!({"expert_id": replacement, "reason": "重复回避"}),
    );
    assert_eq!(twice.problem(422, "validation-failed")["errors"][0]["code"], "not_on_committee");
    let replay = get(&server, &format!("/api/v1/expert-draws/{draw_id}/replay"), Some(&centre));
    assert_eq!(replay.body["matches"], true, "{}", replay.text);

    // Scores: the second bidder scores best from every expert.
    for member in &committee {
        let token = server.token("expert", Some(member));
        let sheet = json!({"scores": [
            {"bidder_id": bidders[0].0, "score": "85.00"},
            {"bidder_id": bidders[1].0, "score": "92.50"},
            {"bidder_id": bidders[2].0, "score": "80"},
        ]});
        let scored = post(&server, &format!("/api/v1/sections/{}/scores", t.section), Some(&token), &sheet);
        assert_eq!(scored.status, 200, "{}", scored.text);
    }
    // The committee rejects the third bid (否决投标): it is not ranked.
    let rejections = format!("/api/v1/sections/{}/rejections", t.section);
    let not_a_bidder = post(&server, &rejections, Some(&centre), &json!({"bidder_id": t.tenderer, "reason": "x"}));
    assert_eq!(not_a_bidder.problem(422, "validation-failed")["errors"][0]["code"], "not_a_bidder");
    let rejected = post(
        &server,
        &rejections,
        Some(&centre),
        &json!({"bidder_id": bidders[2].0, "reason": "未按要求提供业绩证明"}),
    );
    assert_eq!(rejected.body[0]["bidder_id"], bidders[2].0.as_str(), "{}", rejected.text);
    let report = post(&server, &format!("/api/v1/sections/{}/evaluation-report", t.section), Some(&centre), &json!({}));
    assert_eq!(report.status, 201, "{}", report.text);
    assert_eq!(phases(&server, ours).1, "candidates_published");
    for (bidder, _, _) in &bidders {
        let published = notices(&server, &server.token("bidder", Some(bidder)), "candidates.published");
        let result = format!("/api/v1/public/sections/{}/result", t.section);
        assert_eq!(published.first().map(|n| n["payload"]["link"].clone()), Some(json!(result)), "{published:?}");
    }
    post(&server, &rejections, Some(&centre), &json!({"bidder_id": bidders[0].0, "reason": "x"}))
        .problem(409, "conflict");
    assert_eq!(report.body["candidates"][0]["bidder_id"], bidders[1].0.as_str());
    assert_eq!(report.body["candidates"][0]["average_score"], "92.50");
    // Publicity: 3 days from Mon 11-23 → Thu 11-26, until 24:00.
    assert_eq!(report.body["publicity_end"], "2026-11-26T16:00:00Z");
    let public: Value = get(&server, &format!("/api/v1/public/sections/{}/result", t.section), None).body;
    let ranked: Vec<&Value> = public["candidates"].as_array().unwrap().iter().map(|c| &c["bidder_id"]).collect();
    assert_eq!(ranked, vec![&json!(bidders[1].0), &json!(bidders[0].0)], "the rejected bid is not ranked");

    let award_path = format!("/api/v1/sections/{}/award", t.section);
    let early = post(&server, &award_path, Some(&tenderer), &json!({"winner_id": bidders[1].0}));
    let problem = early.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "construction.candidates.publicity");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("24:00 北京时间") && !detail.contains("UTC"), "{detail}");
    // A results objection one minute before the publicity ends is taken and holds the award;
    // one minute after the end it is refused.
    let project = t.project["id"].as_str().unwrap().to_owned();
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-26T23:59:00+08:00")]);
    let objection = json!({"stage": "evaluation_result", "section_id": t.section, "content": "第一名业绩不实"});
    let objector = server.token("bidder", Some(&bidders[2].0));
    let raised = post(&server, &format!("/api/v1/projects/{project}/objections"), Some(&objector), &objection);
    assert_eq!(raised.status, 201, "{}", raised.text);
    let objection_id = raised.body["id"].as_str().unwrap().to_owned();
    // Who answers (the tenderer) and who watches (住建委) hear of it; the objector's name is
    // not in the notice.
    for (role, org) in [("tenderer", t.tenderer.as_str()), ("industry_regulator", "zjw")] {
        let heard = notices(&server, &server.token(role, Some(org)), "objection.raised");
        assert_eq!(heard.len(), 1, "{role}: {heard:?}");
        assert_eq!(heard[0]["payload"]["subject_id"], objection_id.as_str());
        assert!(!heard[0].to_string().contains(&bidders[2].0), "{heard:?}");
    }
    // It waits in the queues of who answers and who watches, and of who raised it only.
    let queued = |role: &str, org: &str| -> Vec<Value> {
        let page = get(&server, "/api/v1/objections?answered=false", Some(&server.token(role, Some(org))));
        assert_eq!(page.status, 200, "{role}: {}", page.text);
        page.body["items"].as_array().unwrap().clone()
    };
    for (role, org) in [("tenderer", t.tenderer.as_str()), ("industry_regulator", "zjw"), ("bidder", &bidders[2].0)] {
        let queue = queued(role, org);
        assert_eq!(queue.len(), 1, "{role}: {queue:?}");
        assert_eq!(queue[0]["id"], objection_id.as_str());
    }
    for (role, org) in [("industry_regulator", "swj"), ("bidder", bidders[0].0.as_str())] {
        assert!(queued(role, org).is_empty(), "{role}");
    }
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-27T00:01:00+08:00")]);
    let objector = server.token("bidder", Some(&bidders[2].0));
    let late = post(&server, &format!("/api/v1/projects/{project}/objections"), Some(&objector), &objection);
    assert_eq!(late.problem(422, "rule-violation")["rule"]["id"], "construction.candidates.publicity");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-27T09:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    // The answer is due within one working day (three days from Thu 11-26 23:59, by Mon
    // 11-30): the reminder, run when the server starts, tells the tenderer.
    let reminder = await_notice(&server, &tenderer, "deadline.due");
    assert_eq!(reminder["payload"]["subject_id"], objection_id.as_str(), "{reminder}");
    assert_eq!(reminder["payload"]["clock"]["kind"], "objection_answer", "{reminder}");
    assert_eq!(reminder["payload"]["link"], format!("/api/v1/projects/{project}/objections"));
    post(&server, &award_path, Some(&tenderer), &json!({"winner_id": bidders[1].0})).problem(409, "conflict");
    let answered = post(
        &server,
        &format!("/api/v1/objections/{}/answer", raised.body["id"].as_str().unwrap()),
        Some(&tenderer),
        &json!({"answer": "经核查业绩属实"}),
    );
    assert_eq!(answered.status, 200, "{}", answered.text);
    let objector = server.token("bidder", Some(&bidders[2].0));
    assert_eq!(notices(&server, &objector, "objection.answered").len(), 1);
    let still_waiting = get(&server, "/api/v1/objections?answered=false", Some(&tenderer));
    assert_eq!(still_waiting.body["items"], json!([]), "{}", still_waiting.text);
    // The other bidders did not object and hear nothing of the answer.
    assert!(notices(&server, &server.token("bidder", Some(&bidders[0].0)), "objection.answered").is_empty());
    let second = post(&server, &award_path, Some(&tenderer), &json!({"winner_id": bidders[0].0}));
    assert_eq!(second.problem(422, "rule-violation")["rule"]["id"], "construction.candidates.max");
    let awarded = post(&server, &award_path, Some(&tenderer), &json!({"winner_id": bidders[1].0}));
    assert_eq!(awarded.body["winner_id"], bidders[1].0.as_str(), "{}", awarded.text);
    assert_eq!(phases(&server, ours).1, "awarded");
    for (bidder, _, _) in &bidders {
        assert_eq!(notices(&server, &server.token("bidder", Some(bidder)), "award.made").len(), 1, "{bidder}");
    }
    // The deadline watch shows the contract clock: 30 days from Fri 11-27 is Sun 12-27,
    // rolled to Mon 12-28.
    let watch = get(&server, "/api/v1/oversight/deadlines", Some(&server.token("industry_regulator", Some("zjw"))));
    let contract_clock =
        watch.body["deadlines"].as_array().unwrap().iter().find(|c| c["kind"] == "contract_signing").cloned();
    assert_eq!(contract_clock.map(|c| c["due"].clone()), Some(json!("2026-12-28T16:00:00Z")), "{}", watch.text);
    let elsewhere = get(&server, "/api/v1/oversight/deadlines", Some(&server.token("industry_regulator", Some("swj"))));
    assert_eq!(elsewhere.body["deadlines"], json!([]));
    // A contract is a file the platform keeps: one never handed in is refused, nothing signed.
    let unstored = post(
        &server,
        &format!("/api/v1/sections/{}/contract", t.section),
        Some(&tenderer),
        &json!({"amount": "990000.00", "sha256": "0".repeat(64)}),
    );
    unstored.problem(422, "validation-failed");
    assert_eq!(unstored.error_fields(), vec!["sha256"], "{}", unstored.text);
    let contract = post(
        &server,
        &format!("/api/v1/sections/{}/contract", t.section),
        Some(&tenderer),
        &json!({"amount": "990000.00", "sha256": SHA256_OF_TEST}),
    );
    assert_eq!(contract.status, 200, "{}", contract.text);
    assert_eq!(contract.body["contract_late"], false);
    assert_eq!(phases(&server, ours), ("contracted".into(), "contracted".into()));
    // Every bond is on its refund clock: 5 days after the contract (Fri 11-27 + 5 = Wed 12-02).
    let inspector = server.token("inspector", Some("jijian"));
    assert_eq!(get(&server, "/api/v1/bonds/overdue", Some(&inspector)).body, json!([]));
    // The watch pages its clocks by kind: three refunds, two then one.
    let zjw = server.token("industry_regulator", Some("zjw"));
    let first = get(&server, "/api/v1/oversight/deadlines?kind=bond_refund&limit=2", Some(&zjw));
    assert_eq!(first.body["deadlines"].as_array().map(Vec::len), Some(2), "{}", first.text);
    assert!(first.body["deadlines"].as_array().unwrap().iter().all(|c| c["kind"] == "bond_refund"));
    let cursor = first.body["next_cursor"].as_str().expect("a next page").to_owned();
    let rest =
        get(&server, &format!("/api/v1/oversight/deadlines?kind=bond_refund&limit=2&after={cursor}"), Some(&zjw));
    assert_eq!(rest.body["deadlines"].as_array().map(Vec::len), Some(1), "{}", rest.text);
    assert_eq!(rest.body["next_cursor"], Value::Null);
    let mut subjects: Vec<&Value> =
        first.body["deadlines"].as_array().unwrap().iter().map(|c| &c["subject_id"]).collect();
    subjects.push(&rest.body["deadlines"][0]["subject_id"]);
    subjects.dedup();
    assert_eq!(subjects.len(), 3, "no clock twice");
    let bad = get(&server, "/api/v1/oversight/deadlines?kind=refunds&after=x&limit=0", Some(&zjw));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["kind", "after", "limit"], "{}", bad.text);
    get(&server, "/api/v1/oversight/deadlines?colour=red", Some(&zjw)).problem(400, "malformed-request");
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-12-03T00:00:00+08:00")]);
    let overdue = get(&server, "/api/v1/bonds/overdue", Some(&server.token("inspector", Some("jijian"))));
    assert_eq!(overdue.body.as_array().unwrap().len(), 3, "{}", overdue.text);
    assert_eq!(overdue.body[0]["refund_rule"], "construction.bond.refund_after_contract");
    // Each bidder is told its refund is overdue (by the reminder run at start), once.
    for (bidder, _, _) in &bidders {
        let token = server.token("bidder", Some(bidder));
        let late = await_notice(&server, &token, "refund.overdue");
        assert_eq!(late["payload"]["clock"]["kind"], "bond_refund", "{late}");
        assert_eq!(notices(&server, &token, "refund.overdue").len(), 1);
    }
    // Construction refunds carry demand-deposit interest: deposited 11-02, refunded 12-03,
    // 31 days: 20,000.00 × 0.35% × 31 / 360 = 2,170 / 360 = 6.0277… → 6.03 yuan.
    let bond = overdue.body[0]["id"].as_str().unwrap();
    let centre = server.token("centre_staff", Some("centre"));
    let refund = post(&server, &format!("/api/v1/bonds/{bond}/refund-instructions"), Some(&centre), &json!({}));
    assert_eq!(refund.body["refund_pending"], "20006.03", "{}", refund.text);
    let paid = post(
        &server,
        &format!("/api/v1/bonds/{bond}/refund-confirmations"),
        Some(&centre),
        &json!({"paid": true, "bank_reference": "BOC-20261203-1"}),
    );
    assert_eq!(paid.body["outcome"], "refunded", "{}", paid.text);
    let holder = server.token("bidder", Some(overdue.body[0]["bidder_id"].as_str().unwrap()));
    for kind in ["refund.instructed", "refund.posted"] {
        let told = notices(&server, &holder, kind);
        assert_eq!(told.len(), 1, "{kind}");
        assert_eq!(told[0]["payload"]["link"], format!("/api/v1/bonds/{bond}"));
    }

    // The project's file, with its chain, verifies offline; a hand-edited copy names the event.
    let inspector = server.token("inspector", Some("jijian"));
    let archive_path = format!("/api/v1/projects/{project}/archive");
    get(&server, &archive_path, Some(&inspector)).problem(422, "validation-failed");
    let archive = get(&server, &format!("{archive_path}?purpose=案件核查"), Some(&inspector));
    assert_eq!(archive.status, 200, "{}", archive.text);
    assert_eq!(archive.body["format"], "ggzy-archive-v1");
    assert_eq!(archive.body["opening_records"][0]["bid_count"], 3);
    assert_eq!(archive.body["results"][0]["winner_id"], bidders[1].0.as_str());

    // The public event feed, without a token: the project's public changes in order, each
    // pointing at its public route, read on from a cursor.
    let feed = get(&server, "/api/v1/events", None);
    assert_eq!(feed.status, 200, "{}", feed.text);
    let types: Vec<&str> = feed.body["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["announcement.published", "opening.recorded", "candidates.published", "award.published", "contract.recorded"],
        "{}",
        feed.text
    );
    let opening_event = &feed.body["items"][1];
    assert_eq!(opening_event["resource"], format!("/api/v1/public/sections/{}/opening-record", t.section));
    let cursor = opening_event["cursor"].as_str().unwrap();
    let rest = get(&server, &format!("/api/v1/events?after={cursor}&limit=2"), None);
    assert_eq!(rest.body["items"][0]["type"], "candidates.published", "{}", rest.text);
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 2);
    let end = feed.body["next_cursor"].as_str().unwrap();
    assert_eq!(get(&server, &format!("/api/v1/events?after={end}"), None).body["items"], json!([]));
    get(&server, "/api/v1/events?after=x&limit=0", None).problem(422, "validation-failed");

    // Service quality: the centre publishes an item with its promise; parties to the
    // project rate it once; the aggregate is public and names no rater.
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let centre = server.token("centre_staff", Some("centre"));
    let item = send(
        server
            .client()
            .put(server.url("/api/v1/service-items/project_registration"))
            .bearer_auth(&centre)
            .json(&json!({"name": "项目登记", "promised_working_days": 1, "description": "材料齐全的当场登记"})),
    );
    assert_eq!(item.status, 200, "{}", item.text);
    let bad_item = send(
        server
            .client()
            .put(server.url("/api/v1/service-items/Bad-Id"))
            .bearer_auth(&centre)
            .json(&json!({"promised_working_days": 0})),
    );
    assert_eq!(
        bad_item.error_fields(),
        vec!["id", "name", "promised_working_days", "description"],
        "{}",
        bad_item.text
    );
    let rate = |token: &str, score: i64, on_time: bool| {
        post(
            &server,
            "/api/v1/service-ratings",
            Some(token),
            &json!({"service_item_id": "project_registration", "project_id": project, "score": score, "on_time": on_time}),
        )
    };
    assert_eq!(rate(&tenderer, 5, true).status, 201);
    assert_eq!(rate(&server.token("bidder", Some(&bidders[0].0)), 4, false).status, 201);
    rate(&tenderer, 1, false).problem(409, "conflict");
    let outsider = crate::register(&server, "91350100M000100Y43", &["bidder"])["id"].as_str().unwrap().to_owned();
    let refused = rate(&server.token("bidder", Some(&outsider)), 3, true);
    assert_eq!(refused.problem(422, "validation-failed")["errors"][0]["code"], "not_a_party", "{}", refused.text);
    assert_eq!(rate(&tenderer, 9, true).error_fields(), vec!["score"]);
    let quality = get(&server, "/api/v1/public/service-quality", None);
    let registration = &quality.body["items"][0];
    assert_eq!(registration["ratings"], 2, "{}", quality.text);
    assert_eq!(registration["average_score"], "4.50");
    assert_eq!(registration["on_time_percent"], "50.00");
    assert!(!quality.text.contains(&t.tenderer), "raters are not shown");

    // Statistics, public: one construction project of 住建委 registered in November 2026.
    let stats = get(&server, "/api/v1/public/statistics?from=2026-11&to=2026-11", None);
    assert_eq!(stats.status, 200, "{}", stats.text);
    let group = &stats.body["groups"][0];
    assert_eq!(stats.body["groups"].as_array().unwrap().len(), 1, "{}", stats.text);
    assert_eq!(
        (group["category"].clone(), group["month"].clone(), group["regulator_id"].clone()),
        (json!("construction"), json!("2026-11"), json!("zjw"))
    );
    assert_eq!((group["projects"].clone(), group["sections"].clone()), (json!(1), json!(1)));
    assert_eq!(group["budget"], "1000000.00");
    assert_eq!((group["opened_sections"].clone(), group["failed_sections"].clone()), (json!(1), json!(0)));
    assert_eq!(group["bidders_per_section"], "3.00");
    assert_eq!(group["contract_amount"], "990000.00");
    // (1,000,000.00 − 990,000.00) / 1,000,000.00 = 1.00%.
    assert_eq!(group["savings_rate_percent"], "1.00");
    // Three bonds of 20,000.00: one refunded, two held and past their refund deadline.
    assert_eq!(
        (group["bonds_held"].clone(), group["bonds_refunded"].clone(), group["bonds_overdue"].clone()),
        (json!("40000.00"), json!("20000.00"), json!(2)),
        "{}",
        stats.text
    );
    let elsewhere = get(&server, "/api/v1/public/statistics?from=2026-12&group_by=category", None);
    assert_eq!(elsewhere.body["groups"], json!([]), "{}", elsewhere.text);
    let by_category = get(&server, "/api/v1/public/statistics?group_by=category", None);
    assert_eq!(by_category.body["groups"][0]["month"], Value::Null);
    let csv = get(&server, "/api/v1/public/statistics.csv?group_by=category,regulator", None);
    assert!(csv.content_type().starts_with("text/csv"), "{}", csv.content_type());
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(lines[0].starts_with("category,subtype,month,regulator_id,projects"), "{}", csv.text);
    assert!(lines[1].starts_with("construction,,,zjw,1,1,1000000.00,1,0,3.00,1,990000.00,1.00,"), "{}", csv.text);
    let bad = get(&server, "/api/v1/public/statistics?group_by=colour&from=2026-13&to=2026", None);
    let fields = bad.error_fields();
    assert_eq!(fields, vec!["group_by".to_owned(), "from".to_owned(), "to".to_owned()], "{}", bad.text);
    let chain = archive.body["audit_chain"].as_array().unwrap();
    assert!(chain.iter().any(|e| e["action"] == "section.contract"), "the contract is on the chain");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive.json");
    std::fs::write(&file, &archive.text).unwrap();
    let ok = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let mut forged = archive.body.clone();
    let victim = forged["audit_chain"][2]["id"].clone();
    let payload = forged["audit_chain"][2]["payload"].as_str().unwrap().replace('"', "'");
    forged["audit_chain"][2]["payload"] = json!(payload);
    std::fs::write(&file, forged.to_string()).unwrap();
    let bad = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains(victim.as_str().unwrap()));

    // The zip: archive.json with a manifest of its digest and the documents' hashes; it
    // verifies offline, and a byte changed in its contents fails it.
    let zipped = server
        .client()
        .get(server.url(&format!("/api/v1/projects/{project}/archive.zip?purpose=移交档案")))
        .bearer_auth(&inspector)
        .send()
        .unwrap();
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers()["content-type"], "application/zip");
    let bytes = zipped.bytes().unwrap().to_vec();
    assert!(bytes.starts_with(b"PK"));
    let zip_file = dir.path().join("archive.zip");
    std::fs::write(&zip_file, &bytes).unwrap();
    let ok = server.cli(&["audit", "verify", "--archive", zip_file.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    for offset in [bytes.len() / 3, bytes.len() / 2] {
        let mut changed = bytes.clone();
        changed[offset] ^= 0x20;
        std::fs::write(&zip_file, &changed).unwrap();
        let bad = server.cli(&["audit", "verify", "--archive", zip_file.to_str().unwrap()]);
        assert_eq!(bad.status.code(), Some(1), "byte {offset}: {}", String::from_utf8_lossy(&bad.stderr));
    }
    let reads = get(&server, &format!("/api/v1/projects/{project}/archive-reads"), Some(&inspector));
    assert_eq!(reads.body[0]["purpose"], "案件核查", "{}", reads.text);
    assert_eq!(reads.body[1]["purpose"], "移交档案", "the zip read is logged too");
}

both_backends!(from_registration_to_contract);
