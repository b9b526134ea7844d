//! Every user's screens: an inbox with read state (GET /api/v1/notifications, its unread
//! count, marking one or all read), a regulator's complaints inbox (GET /api/v1/complaints)
//! and an expert's committees (GET /api/v1/experts/me/committees). Each list is driven by
//! real procedures, and each is checked for what it shows and for what it must not: another
//! party's notifications or complaints, another expert, any role but its own.

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::bids::{ready_bidder, tender, Tender};
use crate::envelopes::open_bids;
use crate::lifecycle::{expert, three_bids};
use crate::{get, post, register, Reply};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const NOBODY: &str = "00000000-0000-4000-8000-000000000000";

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

fn kinds(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|item| item["kind"].as_str().unwrap().to_owned()).collect()
}

/// Every item of a list, walked one page of `limit` 1 at a time, by `key`.
fn walk(server: &Server, path: &str, token: &str, key: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(after) => format!("{path}{separator}limit=1&after={after}"),
            None => format!("{path}{separator}limit=1"),
        };
        let page = get(server, &url, Some(token));
        assert_eq!(page.status, 200, "{url}: {}", page.text);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 1, "{url}: {}", page.text);
        seen.extend(items.iter().map(|item| item[key].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() < 20, "the walk does not end: {seen:?}");
    }
    seen
}

fn unread(server: &Server, token: &str) -> i64 {
    let count = get(server, "/api/v1/notifications/unread-count", Some(token));
    assert_eq!(count.status, 200, "{}", count.text);
    count.body["unread"].as_i64().unwrap()
}

/// An unknown query parameter is a 400 naming it.
fn refuses_unknown_parameter(server: &Server, path: &str, token: &str, parameter: &str) {
    let refused = get(server, path, Some(token));
    refused.problem(400, "malformed-request");
    assert_eq!(refused.error_fields(), [parameter], "{path}: {}", refused.text);
}

fn an_inbox_lists_newest_first_and_keeps_what_was_read(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let Tender { server, project, section, tenderer, .. } = t;
    let project = project["id"].as_str().unwrap().to_owned();
    // The bidder holds a bond in the section, so it is concerned by what happens to the
    // project; the tenderer is too. Each reads its own inbox.
    let (bidder, _, _) = ready_bidder(&server, &section, "914403001922038216", "11010519800101001");
    let outsider = register(&server, "91110108551385082Q", &["bidder"])["id"].as_str().unwrap().to_owned();
    // 09:00 suspended, 10:00 resumed, 11:00 terminated.
    let zjw = server.token("industry_regulator", Some("zjw"));
    let suspended =
        post(&server, &format!("/api/v1/projects/{project}/suspension"), Some(&zjw), &json!({"reason": "责令暂停"}));
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T10:00:00+08:00")]);
    let zjw = server.token("industry_regulator", Some("zjw"));
    let resumed =
        post(&server, &format!("/api/v1/projects/{project}/resumption"), Some(&zjw), &json!({"reason": "已处理"}));
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T11:00:00+08:00")]);
    let tenderer_token = server.token("tenderer", Some(&tenderer));
    let terminated = post(
        &server,
        &format!("/api/v1/projects/{project}/termination"),
        Some(&tenderer_token),
        &json!({"reason": "项目取消"}),
    );
    assert_eq!(terminated.status, 200, "{}", terminated.text);
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T12:00:00+08:00")]);
    let token = server.token("bidder", Some(&bidder));
    let tenderer_token = server.token("tenderer", Some(&tenderer));
    let outsider_token = server.token("bidder", Some(&outsider));

    // Newest first, every one unread.
    let inbox = get(&server, "/api/v1/notifications", Some(&token));
    assert_eq!(inbox.status, 200, "{}", inbox.text);
    assert_eq!(kinds(&inbox.body), ["project.terminated", "project.resumed", "project.suspended"], "{}", inbox.text);
    assert!(inbox.body["items"].as_array().unwrap().iter().all(|n| n["read_at"].is_null()), "{}", inbox.text);
    assert!(
        inbox.body["items"][0]["created_at"].as_str().unwrap().starts_with("2026-11-02T03:00:00"),
        "{}",
        inbox.text
    );
    let mine = ids(&inbox.body);
    assert_eq!(walk(&server, "/api/v1/notifications", &token, "id"), mine);
    assert_eq!(unread(&server, &token), 3);
    // The tenderer's inbox has its own three, none of the bidder's; the outsider's is empty.
    let theirs = get(&server, "/api/v1/notifications", Some(&tenderer_token));
    assert_eq!(kinds(&theirs.body), ["project.terminated", "project.resumed", "project.suspended"], "{}", theirs.text);
    let theirs = ids(&theirs.body);
    assert!(theirs.iter().all(|id| !mine.contains(id)), "one inbox shows another's: {mine:?} {theirs:?}");
    let empty = get(&server, "/api/v1/notifications", Some(&outsider_token));
    assert_eq!(empty.body["items"], json!([]), "{}", empty.text);
    assert_eq!(unread(&server, &outsider_token), 0);

    // One marked read: it keeps its place and says when; the unread list and count drop it.
    let read = post(&server, &format!("/api/v1/notifications/{}/read", mine[1]), Some(&token), &json!({}));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["id"], mine[1].as_str());
    assert_eq!(read.body["kind"], "project.resumed");
    assert_eq!(read.body["read_at"], "2026-11-02T04:00:00Z", "{}", read.text);
    // Marking it again changes nothing, a later time included.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-02T13:00:00+08:00")]);
    let token = server.token("bidder", Some(&bidder));
    let tenderer_token = server.token("tenderer", Some(&tenderer));
    let again = post(&server, &format!("/api/v1/notifications/{}/read", mine[1]), Some(&token), &json!({}));
    assert_eq!((again.status, again.body["read_at"].clone()), (200, json!("2026-11-02T04:00:00Z")), "{}", again.text);
    assert_eq!(unread(&server, &token), 2);
    let inbox = get(&server, "/api/v1/notifications", Some(&token));
    assert_eq!(ids(&inbox.body), mine, "{}", inbox.text);
    assert_eq!(inbox.body["items"][1]["read_at"], "2026-11-02T04:00:00Z", "{}", inbox.text);
    assert!(inbox.body["items"][0]["read_at"].is_null() && inbox.body["items"][2]["read_at"].is_null());
    let unread_only = get(&server, "/api/v1/notifications?unread=true", Some(&token));
    assert_eq!(ids(&unread_only.body), [mine[0].clone(), mine[2].clone()], "{}", unread_only.text);
    assert_eq!(walk(&server, "/api/v1/notifications?unread=true", &token, "id"), [mine[0].clone(), mine[2].clone()]);
    let all = get(&server, "/api/v1/notifications?unread=false", Some(&token));
    assert_eq!(ids(&all.body), mine, "{}", all.text);

    // Another inbox's notification is not found, and stays unread; so is one that does not exist.
    for id in [mine[0].as_str(), NOBODY] {
        post(&server, &format!("/api/v1/notifications/{id}/read"), Some(&tenderer_token), &json!({}))
            .problem(404, "not-found");
    }
    post(&server, &format!("/api/v1/notifications/{}/read", theirs[0]), Some(&token), &json!({}))
        .problem(404, "not-found");
    assert_eq!(unread(&server, &token), 2);
    assert_eq!(unread(&server, &tenderer_token), 3);
    // Nor does another inbox's notification serve as a cursor.
    let foreign = get(&server, &format!("/api/v1/notifications?after={}", theirs[0]), Some(&token));
    assert_eq!(foreign.problem(422, "validation-failed")["errors"][0]["field"], "after", "{}", foreign.text);

    // All marked read: the count of those marked, then none; the tenderer's stay unread.
    let marked = post(&server, "/api/v1/notifications/read", Some(&token), &json!({}));
    assert_eq!(marked.status, 200, "{}", marked.text);
    assert_eq!(marked.body, json!({"marked": 2}));
    let marked = post(&server, "/api/v1/notifications/read", Some(&token), &json!({}));
    assert_eq!(marked.body, json!({"marked": 0}), "{}", marked.text);
    assert_eq!(unread(&server, &token), 0);
    let unread_only = get(&server, "/api/v1/notifications?unread=true", Some(&token));
    assert_eq!(unread_only.body["items"], json!([]), "{}", unread_only.text);
    let inbox = get(&server, "/api/v1/notifications", Some(&token));
    let read_at: Vec<&str> =
        inbox.body["items"].as_array().unwrap().iter().map(|n| n["read_at"].as_str().unwrap()).collect();
    assert_eq!(read_at, ["2026-11-02T05:00:00Z", "2026-11-02T04:00:00Z", "2026-11-02T05:00:00Z"], "{}", inbox.text);
    assert_eq!(unread(&server, &tenderer_token), 3);

    // An unknown query parameter is a 400 naming it; a value `unread` cannot take, a 422
    // naming `unread`, with a bad page size named beside it.
    refuses_unknown_parameter(&server, "/api/v1/notifications?recipient=x", &token, "recipient");
    let maybe = get(&server, "/api/v1/notifications?unread=maybe&limit=0", Some(&token));
    maybe.problem(422, "validation-failed");
    let mut fields = maybe.error_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "unread"], "{}", maybe.text);

    // A service account has no inbox; nor does a role whose organisation is of another kind.
    let no_inbox = [
        server.token("system", Some("district-system")),
        server.token("expert", Some(&bidder)),
        server.token("centre_staff", Some(&bidder)),
    ];
    for token in &no_inbox {
        get(&server, "/api/v1/notifications", Some(token)).problem(403, "forbidden");
        get(&server, "/api/v1/notifications/unread-count", Some(token)).problem(403, "forbidden");
        post(&server, "/api/v1/notifications/read", Some(token), &json!({})).problem(403, "forbidden");
        post(&server, &format!("/api/v1/notifications/{}/read", mine[0]), Some(token), &json!({}))
            .problem(403, "forbidden");
    }
    get(&server, "/api/v1/notifications/unread-count", None).problem(401, "unauthenticated");
    post(&server, "/api/v1/notifications/read", None, &json!({})).problem(401, "unauthenticated");
}

fn file(server: &Server, project: &str, token: &str, content: &str) -> String {
    let filed = post(
        server,
        &format!("/api/v1/projects/{project}/complaints"),
        Some(token),
        &json!({"content": content, "knew_at": "2026-11-01T02:00:00Z"}),
    );
    assert_eq!(filed.status, 201, "{}", filed.text);
    filed.body["id"].as_str().unwrap().to_owned()
}

fn complaint_ids(server: &Server, path: &str, token: &str) -> Vec<String> {
    let page = get(server, path, Some(token));
    assert_eq!(page.status, 200, "{path}: {}", page.text);
    ids(&page.body)
}

fn regulators_and_complainants_list_the_complaints_they_may_see(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let Tender { server, project, tenderer, .. } = t;
    let building = project["id"].as_str().unwrap().to_owned();
    assert_eq!(project["regulator_id"], "zjw", "{project}");
    // A water project of the same tenderer: the water authority supervises it.
    let water = post(
        &server,
        "/api/v1/projects",
        Some(&server.token("tenderer", Some(&tenderer))),
        &json!({"name": "水利工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works",
            "sector": "water", "funding": "state_funded", "legally_required_tendering": true,
            "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
            "approval_documents": [{"title": "批复", "number": "2号", "sha256": SHA}],
            "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}}),
    );
    assert_eq!(water.status, 201, "{}", water.text);
    assert_eq!(water.body["regulator_id"], "swj", "{}", water.text);
    let water = water.body["id"].as_str().unwrap().to_owned();
    let a = register(&server, "914403001922038216", &["bidder"])["id"].as_str().unwrap().to_owned();
    let b = register(&server, "91110108551385082Q", &["bidder"])["id"].as_str().unwrap().to_owned();
    let a_token = server.token("bidder", Some(&a));
    let b_token = server.token("bidder", Some(&b));
    // In filing order: a on the building project, b on it, a on the water project, a again
    // on the building project.
    let a1 = file(&server, &building, &a_token, "资格审查不公");
    let b1 = file(&server, &building, &b_token, "评标办法排斥潜在投标人");
    let a2 = file(&server, &water, &a_token, "工期设置不合理");
    let a3 = file(&server, &building, &a_token, "澄清未通知全部投标人");

    // 公管办 sees every complaint, newest filing first; each regulator its projects'.
    let comprehensive = server.token("comprehensive_regulator", Some("gongguanban"));
    let zjw = server.token("industry_regulator", Some("zjw"));
    let swj = server.token("industry_regulator", Some("swj"));
    let all = get(&server, "/api/v1/complaints", Some(&comprehensive));
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(ids(&all.body), [a3.as_str(), a2.as_str(), b1.as_str(), a1.as_str()], "{}", all.text);
    assert!(all.body["next_cursor"].is_null(), "{}", all.text);
    let newest = &all.body["items"][0];
    assert_eq!(newest["project_id"], building.as_str());
    assert_eq!(newest["complainant_id"], a.as_str());
    assert_eq!(newest["status"], "received");
    assert_eq!(newest["content"], "澄清未通知全部投标人");
    assert!(newest["acceptance_due"].is_string(), "{}", all.text);
    assert_eq!(complaint_ids(&server, "/api/v1/complaints", &zjw), [a3.as_str(), b1.as_str(), a1.as_str()]);
    assert_eq!(complaint_ids(&server, "/api/v1/complaints", &swj), [a2.as_str()]);
    // A complainant sees its own only.
    assert_eq!(complaint_ids(&server, "/api/v1/complaints", &a_token), [a3.as_str(), a2.as_str(), a1.as_str()]);
    let own = get(&server, "/api/v1/complaints", Some(&b_token));
    assert_eq!(ids(&own.body), [b1.as_str()], "{}", own.text);
    assert!(!own.text.contains(&a) && !own.text.contains("资格审查不公"), "another's complaint: {}", own.text);
    // A complainant with none, and a regulator of no project here, see nothing.
    let c = register(&server, "9144030071526726XG", &["bidder"])["id"].as_str().unwrap().to_owned();
    assert!(complaint_ids(&server, "/api/v1/complaints", &server.token("bidder", Some(&c))).is_empty());
    let fgw = server.token("industry_regulator", Some("fgw"));
    assert!(complaint_ids(&server, "/api/v1/complaints", &fgw).is_empty());

    // Accepted, refused, decided: the decided one stays in the inbox; the status filter finds each.
    let decide = |id: &str, accept: bool| {
        let reviewed = post(
            &server,
            &format!("/api/v1/complaints/{id}/acceptance"),
            Some(&zjw),
            &json!({"accept": accept, "reason": "审查"}),
        );
        assert_eq!(reviewed.status, 200, "{}", reviewed.text);
    };
    decide(&a1, true);
    decide(&b1, false);
    let decided = post(
        &server,
        &format!("/api/v1/complaints/{a1}/decision"),
        Some(&zjw),
        &json!({"outcome": "dismissed", "decision": "京密住建投诉〔2026〕9号"}),
    );
    assert_eq!(decided.body["status"], "decided", "{}", decided.text);
    assert_eq!(complaint_ids(&server, "/api/v1/complaints", &zjw), [a3.as_str(), b1.as_str(), a1.as_str()]);
    assert_eq!(complaint_ids(&server, "/api/v1/complaints?status=decided", &zjw), [a1.as_str()]);
    assert_eq!(complaint_ids(&server, "/api/v1/complaints?status=rejected", &zjw), [b1.as_str()]);
    assert_eq!(
        complaint_ids(&server, "/api/v1/complaints?status=received", &comprehensive),
        [a3.as_str(), a2.as_str()]
    );
    assert!(complaint_ids(&server, "/api/v1/complaints?status=accepted", &zjw).is_empty());
    assert_eq!(complaint_ids(&server, "/api/v1/complaints?status=decided", &a_token), [a1.as_str()]);
    assert!(complaint_ids(&server, "/api/v1/complaints?status=rejected", &a_token).is_empty());
    let decided_item = get(&server, "/api/v1/complaints?status=decided", Some(&a_token));
    assert_eq!(decided_item.body["items"][0]["outcome"], "dismissed", "{}", decided_item.text);
    // The project filter, alone and with the status; a project of another regulator is empty.
    assert_eq!(
        complaint_ids(&server, &format!("/api/v1/complaints?project_id={water}"), &comprehensive),
        [a2.as_str()]
    );
    assert_eq!(
        complaint_ids(&server, &format!("/api/v1/complaints?project_id={building}"), &a_token),
        [a3.as_str(), a1.as_str()]
    );
    assert!(complaint_ids(&server, &format!("/api/v1/complaints?project_id={water}"), &zjw).is_empty());
    assert_eq!(
        complaint_ids(&server, &format!("/api/v1/complaints?project_id={building}&status=received"), &zjw),
        [a3.as_str()]
    );

    // Paging by one walks every item once, in the same order; another's cursor resumes nothing.
    assert_eq!(
        walk(&server, "/api/v1/complaints", &comprehensive, "id"),
        [a3.as_str(), a2.as_str(), b1.as_str(), a1.as_str()]
    );
    assert_eq!(walk(&server, "/api/v1/complaints", &zjw, "id"), [a3.as_str(), b1.as_str(), a1.as_str()]);
    assert_eq!(walk(&server, "/api/v1/complaints", &a_token, "id"), [a3.as_str(), a2.as_str(), a1.as_str()]);
    let foreign = get(&server, &format!("/api/v1/complaints?after={a2}"), Some(&zjw));
    assert_eq!(foreign.problem(422, "validation-failed")["errors"][0]["field"], "after", "{}", foreign.text);
    let foreign = get(&server, &format!("/api/v1/complaints?after={a1}"), Some(&b_token));
    assert_eq!(foreign.problem(422, "validation-failed")["errors"][0]["field"], "after", "{}", foreign.text);

    // Invalid filters are named at once; unknown parameters are 400s naming them.
    let bad = get(&server, "/api/v1/complaints?status=open&project_id=x&limit=0", Some(&zjw));
    bad.problem(422, "validation-failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "project_id", "status"], "{}", bad.text);
    refuses_unknown_parameter(&server, "/api/v1/complaints?complainant_id=x", &zjw, "complainant_id");
    refuses_unknown_parameter(&server, "/api/v1/complaints?regulator_id=zjw&limit=5", &a_token, "regulator_id");

    // Nobody else is given the list: the centre never supervises, and says by which rule.
    let centre = get(&server, "/api/v1/complaints", Some(&server.token("centre_staff", Some("centre"))));
    assert_eq!(centre.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power", "{}", centre.text);
    let others = [
        server.token("tenderer", Some(&tenderer)),
        server.token("agent", Some("some-agency")),
        server.token("inspector", Some("jijian")),
        server.token("expert", Some("some-expert")),
        server.token("platform_admin", None),
        server.token("system", Some("district-system")),
    ];
    for token in &others {
        let refused: Reply = get(&server, "/api/v1/complaints", Some(token));
        refused.problem(403, "forbidden");
        assert!(!refused.text.contains(&a1), "{}", refused.text);
    }
    get(&server, "/api/v1/complaints", None).problem(401, "unauthenticated");
}

fn an_expert_lists_the_committees_it_sits_on(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    let bidders = three_bids(server, &t.section);
    let pool: Vec<String> = (0..7).map(|i| expert(server, &format!("专家{i}"), None)).collect();
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let path = "/api/v1/experts/me/committees";
    // Before any draw, nobody sits anywhere.
    for member in &pool {
        let none = get(&server, path, Some(&server.token("expert", Some(member))));
        assert_eq!(none.status, 200, "{}", none.text);
        assert_eq!(none.body["items"], json!([]), "{}", none.text);
    }
    let opened = open_bids(&server, &t.section, &server.token("tenderer", Some(&t.tenderer)), &t.witness);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);
    let centre = server.token("centre_staff", Some("centre"));
    let draw = post(
        &server,
        &format!("/api/v1/sections/{}/expert-draws", t.section),
        Some(&centre),
        &json!({"specialty": "building", "size": 5}),
    );
    assert_eq!(draw.status, 201, "{}", draw.text);
    let draw_id = draw.body["id"].as_str().unwrap().to_owned();
    let members: Vec<String> =
        draw.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    let outside: Vec<&String> = pool.iter().filter(|e| !members.contains(e)).collect();
    assert_eq!(outside.len(), 2);
    // The first member steps aside; one of the two outside replaces it.
    let recused = post(
        &server,
        &format!("/api/v1/expert-draws/{draw_id}/recusals"),
        Some(&centre),
        &json!({"expert_id": members[0], "reason": "与投标人存在利害关系"}),
    );
    assert_eq!(recused.status, 200, "{}", recused.text);
    let committee: Vec<String> =
        recused.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    let replacement = committee.iter().find(|e| !members.contains(e)).unwrap().clone();
    let never = pool.iter().find(|e| !committee.contains(e) && **e != members[0]).unwrap().clone();

    // Each member sees the committee: where, when, awaiting its scores — and no other member.
    let project = &t.project;
    for member in &committee {
        let mine = get(&server, path, Some(&server.token("expert", Some(member))));
        assert_eq!(mine.status, 200, "{}", mine.text);
        let items = mine.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}", mine.text);
        let item = &items[0];
        assert_eq!(item["draw_id"], draw_id.as_str());
        assert_eq!(item["section_id"], t.section.as_str());
        assert_eq!(item["section_name"], "一标段");
        assert_eq!(item["project_id"], project["id"]);
        assert_eq!(item["project_code"], project["code"]);
        assert_eq!(item["project_name"], "某工程");
        assert_eq!(item["specialty"], "building");
        assert_eq!(item["state"], "awaiting_scores", "{}", mine.text);
        assert!(item["scores_submitted_at"].is_null(), "{}", mine.text);
        assert!(item["drawn_at"].as_str().unwrap().starts_with("2026-11-23T02:00:00"), "{}", mine.text);
        for other in pool.iter().filter(|e| *e != member) {
            assert!(!mine.text.contains(other.as_str()), "{member} is shown {other}: {}", mine.text);
        }
        for (bidder, _, _) in &bidders {
            assert!(!mine.text.contains(bidder.as_str()), "a bidder in the list: {}", mine.text);
        }
    }
    // Who stepped aside, and who was never drawn, sit on nothing.
    for expert in [&members[0], &never] {
        let none = get(&server, path, Some(&server.token("expert", Some(expert))));
        assert_eq!(none.body["items"], json!([]), "{expert}: {}", none.text);
    }

    // Scores in: that member's committee is scored (when), the others' still await theirs.
    let sheet = json!({"scores": [
        {"bidder_id": bidders[0].0, "score": "85.00"},
        {"bidder_id": bidders[1].0, "score": "92.50"},
        {"bidder_id": bidders[2].0, "score": "80"},
    ]});
    let scores = format!("/api/v1/sections/{}/scores", t.section);
    let scored = post(&server, &scores, Some(&server.token("expert", Some(&replacement))), &sheet);
    assert_eq!(scored.status, 200, "{}", scored.text);
    let token = server.token("expert", Some(&replacement));
    let mine = get(&server, path, Some(&token));
    assert_eq!(mine.body["items"][0]["state"], "scored", "{}", mine.text);
    assert!(mine.body["items"][0]["scores_submitted_at"].as_str().unwrap().starts_with("2026-11-23T02:00:00"));
    assert_eq!(walk(&server, &format!("{path}?state=scored"), &token, "draw_id"), [draw_id.as_str()]);
    let waiting = get(&server, &format!("{path}?state=scored"), Some(&server.token("expert", Some(&committee[1]))));
    assert_eq!(waiting.body["items"], json!([]), "{}", waiting.text);
    let waiting =
        get(&server, &format!("{path}?state=awaiting_scores"), Some(&server.token("expert", Some(&committee[1]))));
    assert_eq!(waiting.body["items"][0]["draw_id"], draw_id.as_str(), "{}", waiting.text);
    // A cursor from one filter stays good under another (the committee's state moves on
    // between two pages): it is placed among all the expert's committees.
    let moved = get(
        &server,
        &format!("{path}?state=scored&after={draw_id}"),
        Some(&server.token("expert", Some(&committee[1]))),
    );
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["items"], json!([]), "{}", moved.text);
    // Every member scores; the report is recorded: reported for all of them.
    for member in committee.iter().filter(|m| **m != replacement) {
        let scored = post(&server, &scores, Some(&server.token("expert", Some(member))), &sheet);
        assert_eq!(scored.status, 200, "{}", scored.text);
    }
    let report = post(&server, &format!("/api/v1/sections/{}/evaluation-report", t.section), Some(&centre), &json!({}));
    assert_eq!(report.status, 201, "{}", report.text);
    for member in &committee {
        let mine = get(&server, &format!("{path}?state=reported"), Some(&server.token("expert", Some(member))));
        assert_eq!(mine.body["items"][0]["state"], "reported", "{}", mine.text);
    }

    // Invalid values are named; unknown parameters are 400s naming them.
    let bad = get(&server, &format!("{path}?state=done&limit=201"), Some(&token));
    bad.problem(422, "validation-failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "state"], "{}", bad.text);
    let bad = get(&server, &format!("{path}?after={NOBODY}"), Some(&token));
    assert_eq!(bad.problem(422, "validation-failed")["errors"][0]["field"], "after", "{}", bad.text);
    refuses_unknown_parameter(&server, &format!("{path}?expert_id={}", committee[1]), &token, "expert_id");

    // Nobody but an expert is given such a list.
    let others = [
        server.token("tenderer", Some(&t.tenderer)),
        server.token("bidder", Some(&bidders[0].0)),
        server.token("agent", Some("some-agency")),
        server.token("centre_staff", Some("centre")),
        server.token("industry_regulator", Some("zjw")),
        server.token("comprehensive_regulator", Some("gongguanban")),
        server.token("inspector", Some("jijian")),
        server.token("platform_admin", None),
        server.token("system", Some("district-system")),
    ];
    for token in &others {
        let refused = get(&server, path, Some(token));
        refused.problem(403, "forbidden");
        assert!(!refused.text.contains(&draw_id), "{}", refused.text);
    }
    get(&server, path, None).problem(401, "unauthenticated");
}

both_backends!(
    an_inbox_lists_newest_first_and_keeps_what_was_read,
    regulators_and_complainants_list_the_complaints_they_may_see,
    an_expert_lists_the_committees_it_sits_on,
);
