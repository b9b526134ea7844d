//! Search, as the public portal uses it: announcements and listings by their project's name
//! or code or their tenderer's name, participants by name or credit code; substrings of one,
//! two and many characters, codes in any case, newest first and paged, each hit naming the
//! fields it matched; every problem of a bad query named at once. On both databases (the
//! trigram indexes differ: pg_trgm on PostgreSQL, FTS5 on SQLite).

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::{get, post, BINARY};

fn participant(server: &Server, code: &str, name: &str) -> String {
    let centre = server.token("centre_staff", Some("centre"));
    let reply = post(
        server,
        "/api/v1/participants",
        Some(&centre),
        &json!({"credit_code": code, "name": name, "kinds": ["tenderer"], "legal_representative": "张三"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// A project of the tenderer, announced; answers (project, announcement).
fn announced(server: &Server, tenderer: &str, name: &str) -> (Value, String) {
    let token = server.token("tenderer", Some(tenderer));
    let project = post(
        server,
        "/api/v1/projects",
        Some(&token),
        &json!({"name": name, "tenderer_id": tenderer, "category": "construction", "subtype": "works",
                "sector": "building", "funding": "state_funded", "legally_required_tendering": true,
                "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
                "approval_documents": [{"title": "批复", "number": "1号", "sha256": crate::SHA256_OF_TEST}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let section = project.body["sections"][0]["id"].as_str().unwrap();
    let announcement = post(
        server,
        &format!("/api/v1/projects/{}/announcements", project.body["id"].as_str().unwrap()),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": crate::SHA256_OF_TEST}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    assert_eq!(announcement.status, 201, "{}", announcement.text);
    (project.body, announcement.body["id"].as_str().unwrap().to_owned())
}

fn search(server: &Server, query: &str) -> Value {
    let found = get(server, &format!("/api/v1/public/search?{query}"), None);
    assert_eq!(found.status, 200, "{query}: {}", found.text);
    found.body
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|hit| hit["id"].as_str().unwrap().to_owned()).collect()
}

fn the_public_finds_tenders_and_participants_by_the_words_it_knows(backend: Backend) {
    let Some(server) = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00")])
    else {
        return;
    };
    let admin = server.token("platform_admin", None);
    let staff =
        post(&server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "w", "name": "服务员"}));
    assert_eq!(staff.status, 201, "{}", staff.text);
    let water = participant(&server, "91110000600037341L", "北京市密云区水务投资有限公司");
    let roads = participant(&server, "91110108551385082Q", "北京怀柔城市建设集团");
    let (reservoir, reservoir_notice) = announced(&server, &water, "密云水库除险加固工程");
    let (_, road_notice) = announced(&server, &roads, "怀柔区雁栖湖环湖道路改造工程");
    let (pipes, pipes_notice) = announced(&server, &water, "溪翁庄镇供水管网改造工程");

    // By the project's name, three characters and more: from the trigram index.
    let page = search(&server, "kind=announcement&q=除险加固");
    assert_eq!(ids(&page), vec![reservoir_notice.clone()], "{page}");
    assert_eq!(page["items"][0]["matched"], json!(["name"]));
    assert_eq!(page["items"][0]["project_id"], reservoir["id"]);
    assert_eq!(page["items"][0]["party"], "北京市密云区水务投资有限公司");
    // By the tenderer's name: both of its tenders, newest first.
    let page = search(&server, "kind=announcement&q=%E5%AF%86%E4%BA%91%E5%8C%BA%E6%B0%B4%E5%8A%A1");
    assert_eq!(ids(&page), vec![pipes_notice.clone(), reservoir_notice.clone()], "{page}");
    assert!(page["items"].as_array().unwrap().iter().all(|hit| hit["matched"] == json!(["party"])), "{page}");
    // Two characters, which no trigram index answers: still found.
    let page = search(&server, "kind=announcement&q=雁栖");
    assert_eq!(ids(&page), vec![road_notice.clone()], "{page}");
    let page = search(&server, "kind=announcement&q=密云");
    assert_eq!(ids(&page), vec![pipes_notice.clone(), reservoir_notice.clone()], "name or tenderer: {page}");
    // By the project's code, in any case.
    let code = pipes["code"].as_str().unwrap().to_owned();
    let page = search(&server, &format!("kind=announcement&q={}", code.to_lowercase()));
    assert_eq!(ids(&page), vec![pipes_notice.clone()], "{page}");
    assert_eq!(page["items"][0]["matched"], json!(["code"]));
    // Nothing matches; a wildcard is only a character.
    assert!(ids(&search(&server, "kind=announcement&q=延庆区")).is_empty());
    assert!(ids(&search(&server, "kind=announcement&q=%25")).is_empty(), "% is not a wildcard");
    // Paged: one at a time, newest first, to the end.
    let first = search(&server, "kind=announcement&q=工程&limit=2");
    assert_eq!(ids(&first), vec![pipes_notice.clone(), road_notice.clone()]);
    let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
    let second = search(&server, &format!("kind=announcement&q=工程&limit=2&after={cursor}"));
    assert_eq!(ids(&second), vec![reservoir_notice.clone()]);
    assert!(second["next_cursor"].is_null());

    // Participants by name or credit code; another kind's entries never answer.
    let page = search(&server, "kind=participant&q=城市建设");
    assert_eq!(ids(&page), vec![roads.clone()], "{page}");
    let page = search(&server, "kind=participant&q=600037341l");
    assert_eq!(ids(&page), vec![water.clone()], "{page}");
    assert_eq!(page["items"][0]["matched"], json!(["code"]));
    assert!(ids(&search(&server, "kind=listing&q=工程")).is_empty(), "no listing was made");
    // A renamed participant is found by its new name only.
    let centre = server.token("centre_staff", Some("centre"));
    let renamed = crate::send(
        server
            .client()
            .patch(server.url(&format!("/api/v1/participants/{roads}")))
            .bearer_auth(&centre)
            .json(&json!({"name": "北京怀柔城乡建设集团"})),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(ids(&search(&server, "kind=participant&q=城乡建设")), vec![roads.clone()]);
    // Its tenders are found by its new name as their tenderer.
    let page = search(&server, "kind=announcement&q=城乡建设");
    assert_eq!(ids(&page), vec![road_notice.clone()], "{page}");
    assert_eq!(page["items"][0]["matched"], json!(["party"]));
    assert!(ids(&search(&server, "kind=participant&q=城市建设")).is_empty());

    // Letters beyond ASCII in any case (full-width Latin, Greek), in queries of two
    // characters (no trigram answers) and of three, and in the centre's project list.
    let latin = participant(&server, "914403001922038216", "北京ＡＢＣ科技有限公司");
    for query in ["ａｂ", "ａＢｃ", "ＢＣ科"] {
        let page = search(&server, &format!("kind=participant&q={query}"));
        assert_eq!(ids(&page), vec![latin.clone()], "{query}: {page}");
        assert_eq!(page["items"][0]["matched"], json!(["name"]), "{query}");
    }
    let (sigma, _) = announced(&server, &water, "ΣΤΑΘΜΟΣ泵站工程");
    let listed = get(&server, "/api/v1/projects?q=%CF%83%CF%84", Some(&centre));
    assert_eq!(listed.status, 200, "{}", listed.text);
    let listed: Vec<&Value> = listed.body["items"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 1, "στ finds ΣΤΑΘΜΟΣ");
    assert_eq!(listed[0]["id"], sigma["id"]);
    // The Σ ending ΣΤΑΘΜΟΣ lowers to σ like any other, on both databases (as PostgreSQL's
    // lower() does): found by σ alone, a pair and a longer query, and named as matched.
    for query in ["%CF%83", "%CF%83%E6%B3%B5", "%CE%BC%CE%BF%CF%83%E6%B3%B5", "%CE%9C%CE%9F%CE%A3%E6%B3%B5%E7%AB%99"] {
        let page = search(&server, &format!("kind=announcement&q={query}"));
        let found: Vec<&Value> = page["items"].as_array().unwrap().iter().collect();
        assert_eq!(found.len(), 1, "{query}: {page}");
        assert_eq!(found[0]["matched"], json!(["name"]), "{query}: {page}");
        let listed = get(&server, &format!("/api/v1/projects?q={query}"), Some(&centre));
        assert_eq!(listed.body["items"][0]["id"], sigma["id"], "{query}: {}", listed.text);
    }

    // Every problem at once; unknown parameters are a 400 naming them.
    let bad = get(&server, "/api/v1/public/search?kind=tenders&limit=0", None);
    bad.problem(422, "validation-failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["kind", "limit", "q"], "{}", bad.text);
    let long = "工".repeat(51);
    get(&server, &format!("/api/v1/public/search?kind=participant&q={long}"), None).problem(422, "validation-failed");
    let unknown = get(&server, "/api/v1/public/search?kind=participant&q=abc&category=construction", None);
    unknown.problem(400, "malformed-request");
    assert!(unknown.text.contains("category"), "{}", unknown.text);
}

both_backends!(the_public_finds_tenders_and_participants_by_the_words_it_knows);
