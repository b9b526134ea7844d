//! Project registration (进场登记), codes under concurrency, service owners, regulators,
//! commissions and the agent limit, direct award.

use diesel::{Connection, RunQueryDsl};
use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::rules::start_at_fixed_time;
use crate::{get, post, register, resident_id, send, VALID_CODES};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

struct Fixture {
    tenderer: String,
    agency: String,
    contractor: String,
}

fn add_staff(server: &Server, subject: &str, name: &str) -> Value {
    let admin = server.token("platform_admin", None);
    let reply =
        post(server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": subject, "name": name}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn fixture(server: &Server) -> Fixture {
    add_staff(server, "wang.fang", "王芳");
    Fixture {
        tenderer: register(server, VALID_CODES[0], &["tenderer"])["id"].as_str().unwrap().to_owned(),
        agency: register(server, VALID_CODES[1], &["agency"])["id"].as_str().unwrap().to_owned(),
        contractor: register(server, VALID_CODES[2], &["bidder"])["id"].as_str().unwrap().to_owned(),
    }
}

/// The participant signs the platform's credit commitment (credit.commitment).
pub fn commit(server: &Server, participant: &str, role: &str) {
    let token = server.token(role, Some(participant));
    let reply = post(server, &format!("/api/v1/participants/{participant}/commitments"), Some(&token), &json!({}));
    assert_eq!(reply.status, 201, "{}", reply.text);
}

fn construction(tenderer: &str, sector: &str, amounts: &[&str]) -> Value {
    let sections: Vec<Value> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| json!({"name": format!("第{}标段", i + 1), "estimated_amount": a}))
        .collect();
    json!({
        "name": "密云区某小学改扩建工程",
        "tenderer_id": tenderer,
        "category": "construction",
        "subtype": "works",
        "sector": sector,
        "funding": "state_funded",
        "legally_required_tendering": true,
        "sections": sections,
        "approval_documents": [{"title": "可行性研究报告批复", "number": "京密发改〔2026〕12号", "sha256": SHA}],
    })
}

fn register_project(server: &Server, token: &str, body: &Value) -> crate::Reply {
    post(server, "/api/v1/projects", Some(token), body)
}

fn registration_assigns_code_owner_and_regulator(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let tenderer = server.token("tenderer", Some(&f.tenderer));
    let created =
        register_project(&server, &tenderer, &construction(&f.tenderer, "building", &["600000.00", "250000.50"]));
    assert_eq!(created.status, 201, "{}", created.text);
    let project = &created.body;
    // A (construction), 110118 (Miyun), 261129 (the registration day), 0001.
    assert_eq!(project["code"], "A1101182611290001");
    assert_eq!(project["sections"][0]["code"], "A1101182611290001001");
    assert_eq!(project["sections"][1]["code"], "A1101182611290001002");
    assert_eq!(project["estimated_total"], "850000.50");
    assert_eq!(project["entry_decision"]["outcome"], "must_enter");
    assert_eq!(project["rule_set_version"], 1);
    assert_eq!(project["status"], "registered");
    assert_eq!(project["regulator_id"], "zjw");
    assert_eq!(project["service_owner"]["name"], "王芳");
    let path = format!("/api/v1/projects/{}", project["id"].as_str().unwrap());
    assert_eq!(created.headers["location"], path.as_str());

    // Who sees it: its tenderer, its regulator, the centre; not another regulator or a bidder.
    assert_eq!(get(&server, &path, Some(&tenderer)).status, 200);
    assert_eq!(get(&server, &path, Some(&server.token("industry_regulator", Some("zjw")))).status, 200);
    get(&server, &path, Some(&server.token("industry_regulator", Some("swj")))).problem(404, "not-found");
    get(&server, &path, Some(&server.token("bidder", Some(&f.contractor)))).problem(404, "not-found");
    let listed = get(&server, "/api/v1/projects", Some(&server.token("industry_regulator", Some("swj"))));
    assert_eq!(listed.body["items"], json!([]));

    // Another tenderer may not register in this tenderer's name.
    let other = server.token("tenderer", Some(&f.contractor));
    register_project(&server, &other, &construction(&f.tenderer, "building", &["600000.00"])).problem(403, "forbidden");
}

fn missing_materials_are_told_at_once(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let centre = server.token("centre_staff", Some("centre"));
    // Decentralised procurement needs the registration form (entry.registration_form); the
    // sections and approval documents are missing too.
    let body = json!({
        "name": "某单位办公设备采购",
        "tenderer_id": f.tenderer,
        "category": "procurement",
        "subtype": "goods",
        "funding": "state_funded",
        "legally_required_tendering": true,
        "procurement_organisation": "decentralised",
    });
    let reply = register_project(&server, &centre, &body);
    let problem = reply.problem(422, "validation-failed");
    assert_eq!(problem["rule"]["id"], "registration.one_time_notice");
    assert_eq!(reply.error_fields(), vec!["sections", "approval_documents", "registration_form"]);

    let wrong = json!({
        "tenderer_id": "x", "category": "mining", "subtype": "works", "funding": "public",
        "sections": [{"name": "一标段", "estimated_amount": "12.345"}, {"estimated_amount": "-1"}],
        "approval_documents": [{"title": "批复", "number": "1号", "sha256": "ABC"}],
    });
    let reply = register_project(&server, &centre, &wrong);
    reply.problem(422, "validation-failed");
    assert_eq!(
        reply.error_fields(),
        vec![
            "name",
            "tenderer_id",
            "category",
            "funding",
            "legally_required_tendering",
            "sections[0].estimated_amount",
            "sections[1].name",
            "sections[1].estimated_amount",
            "approval_documents[0].sha256",
        ]
    );
    assert_eq!(get(&server, "/api/v1/projects", Some(&centre)).body["items"], json!([]), "nothing registered");
}

fn fifty_concurrent_registrations_get_fifty_codes(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let tenderer = server.token("tenderer", Some(&f.tenderer));
    let body = construction(&f.tenderer, "municipal", &["700000.00"]);
    let codes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|_| {
                scope.spawn(|| {
                    let reply = register_project(&server, &tenderer, &body);
                    assert_eq!(reply.status, 201, "{}", reply.text);
                    reply.body["code"].as_str().unwrap().to_owned()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 50, "{codes:?}");
    let expected: Vec<String> = (1..=50).map(|n| format!("A110118261129{n:04}")).collect();
    assert_eq!(distinct, expected);
}

fn service_owners_are_the_least_loaded(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let centre = server.token("centre_staff", Some("centre"));
    let tenderer = register(&server, VALID_CODES[0], &["tenderer"])["id"].as_str().unwrap().to_owned();
    let body = construction(&tenderer, "building", &["600000.00"]);
    let none = register_project(&server, &centre, &body);
    assert!(none.problem(409, "conflict")["detail"].as_str().unwrap().contains("registration.service_owner"));
    let first = add_staff(&server, "a.staff", "甲");
    let second = add_staff(&server, "b.staff", "乙");
    let owners: Vec<String> = (0..4)
        .map(|_| {
            let reply = register_project(&server, &centre, &body);
            assert_eq!(reply.status, 201, "{}", reply.text);
            reply.body["service_owner"]["id"].as_str().unwrap().to_owned()
        })
        .collect();
    let (a, b) = (first["id"].as_str().unwrap(), second["id"].as_str().unwrap());
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    assert_eq!(owners, vec![low, high, low, high]);
}

fn unmapped_projects_await_the_comprehensive_regulator(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let tenderer = server.token("tenderer", Some(&f.tenderer));
    // A construction project of an "other" sector has no industry regulator in the mapping.
    let mut body = construction(&f.tenderer, "other", &["800000.00"]);
    body["registration_form"] = json!({"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA});
    let created = register_project(&server, &tenderer, &body);
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["status"], "awaiting_regulator");
    assert_eq!(created.body["regulator_id"], Value::Null);
    let path = format!("/api/v1/projects/{}/regulator", created.body["id"].as_str().unwrap());
    // The statistics count it without a regulator until one is assigned, then under it.
    let by_regulator = |server: &Server| {
        let stats = crate::get(server, "/api/v1/public/statistics?group_by=regulator", None);
        stats.body["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["regulator_id"].clone(), g["projects"].clone(), g["budget"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(by_regulator(&server), [(Value::Null, json!(1), json!("800000.00"))]);
    // 公管办's queue: the projects awaiting a regulator, among others filtered out.
    let mut building_body = construction(&f.tenderer, "building", &["900000.00"]);
    building_body["name"] = json!("密云水库管理处办公楼工程");
    let building = register_project(&server, &tenderer, &building_body);
    assert_eq!(building.body["regulator_id"], "zjw", "{}", building.text);
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let listed = |server: &Server, query: &str| -> Vec<String> {
        let reply = crate::get(server, &format!("/api/v1/projects?{query}"), Some(&gongguanban));
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        reply.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    let (unmapped, mapped) = (created.body["id"].as_str().unwrap(), building.body["id"].as_str().unwrap());
    assert_eq!(listed(&server, "status=awaiting_regulator"), [unmapped]);
    assert_eq!(listed(&server, "category=construction&subtype=works"), [unmapped, mapped]);
    assert_eq!(listed(&server, "subtype=goods"), Vec::<String>::new());
    assert_eq!(listed(&server, "regulator_id=zjw"), [mapped]);
    assert_eq!(listed(&server, "category=procurement"), Vec::<String>::new());
    assert_eq!(listed(&server, "registered_from=2026-11-29&registered_to=2026-11-29"), [unmapped, mapped]);
    assert_eq!(listed(&server, "registered_from=2026-11-30"), Vec::<String>::new());
    assert_eq!(listed(&server, "registered_to=2026-11-28"), Vec::<String>::new());
    // Free text: a part of the name (three characters and more from the trigram index, fewer
    // by reading), the code in lower case and its tail; wildcards are literal.
    assert_eq!(listed(&server, "q=%E6%B0%B4%E5%BA%93%E7%AE%A1%E7%90%86"), [mapped], "水库管理");
    assert_eq!(listed(&server, "q=%E5%B0%8F%E5%AD%A6"), [unmapped], "小学");
    assert_eq!(listed(&server, "q=%E5%AF%86%E4%BA%91"), [unmapped, mapped], "密云");
    let code = created.body["code"].as_str().unwrap();
    assert!(code.chars().any(|c| c.is_ascii_uppercase()), "{code}");
    assert_eq!(listed(&server, &format!("q={}", code.to_lowercase())), [unmapped], "{code}");
    let tail = &code[code.len() - 5..];
    assert_eq!(listed(&server, &format!("q={tail}")), [unmapped], "{code}");
    assert_eq!(listed(&server, "q=%25"), Vec::<String>::new());
    assert_eq!(
        listed(&server, "q=%E6%B0%B4%E5%BA%93%E7%AE%A1%E7%90%86&status=awaiting_regulator"),
        Vec::<String>::new()
    );
    let bad = crate::get(
        &server,
        "/api/v1/projects?status=open&category=roads&registered_to=2026-13-01&q=%20&limit=0",
        Some(&gongguanban),
    );
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "category", "registered_to", "q", "limit"], "{}", bad.text);
    crate::get(&server, "/api/v1/projects?colour=red", Some(&gongguanban)).problem(400, "malformed-request");
    let centre = server.token("centre_staff", Some("centre"));
    let refused =
        send(server.client().put(server.url(&path)).bearer_auth(&centre).json(&json!({"department_id": "zjw"})));
    assert_eq!(refused.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    let not_a_regulator = send(
        server.client().put(server.url(&path)).bearer_auth(&gongguanban).json(&json!({"department_id": "centre"})),
    );
    not_a_regulator.problem(422, "validation-failed");
    let assigned =
        send(server.client().put(server.url(&path)).bearer_auth(&gongguanban).json(&json!({"department_id": "fgw"})));
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    assert_eq!(assigned.body["status"], "registered");
    assert_eq!(assigned.body["regulator_id"], "fgw");
    assert_eq!(
        by_regulator(&server),
        [(json!("fgw"), json!(1), json!("800000.00")), (json!("zjw"), json!(1), json!("900000.00"))],
        "moved, nothing left behind"
    );
    assert_eq!(listed(&server, "status=awaiting_regulator"), Vec::<String>::new(), "the queue is empty again");
}

/// A person employed by `employer`, registered by the centre; answers its id.
pub fn person(server: &Server, employer: &str, body17: &str) -> String {
    let centre = server.token("centre_staff", Some("centre"));
    let reply = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": format!("代理{body17}"), "id_number": resident_id(body17), "employer_id": employer}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

pub fn audit_actions(server: &Server, chain: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Action {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
    }
    let sql = format!("SELECT action FROM audit_events WHERE chain = '{chain}' ORDER BY position");
    let rows: Vec<Action> = match server.database.backend {
        Backend::Sqlite => {
            let mut conn =
                diesel::SqliteConnection::establish(server.database.url.trim_start_matches("sqlite://")).unwrap();
            diesel::sql_query(sql).load(&mut conn).unwrap()
        }
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&server.database.url).unwrap();
            diesel::sql_query(sql).load(&mut conn).unwrap()
        }
    };
    rows.into_iter().map(|r| r.action).collect()
}

fn commissions_respect_the_agent_limit(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let tenderer = server.token("tenderer", Some(&f.tenderer));
    let created = register_project(&server, &tenderer, &construction(&f.tenderer, "building", &["600000.00"]));
    let project_id = created.body["id"].as_str().unwrap().to_owned();
    let agents: Vec<String> = ["11010519800101001", "11010519800101002", "11010519800101003", "11010519800101004"]
        .iter()
        .map(|b| person(&server, &f.agency, b))
        .collect();
    let outsider = person(&server, &f.contractor, "11010519800101005");
    let path = format!("/api/v1/projects/{project_id}/commissions");

    // An agency without a credit commitment in force cannot be commissioned.
    let uncommitted = post(&server, &path, Some(&tenderer), &json!({"agency_id": f.agency, "agent_ids": agents[..3]}));
    assert_eq!(uncommitted.problem(403, "forbidden")["rule"]["id"], "credit.commitment");
    commit(&server, &f.agency, "agent");
    let four = post(&server, &path, Some(&tenderer), &json!({"agency_id": f.agency, "agent_ids": agents}));
    let problem = four.problem(422, "rule-violation");
    assert_eq!(problem["rule"]["id"], "agency.max_agents");
    assert_eq!(problem["rule"]["source"], "实施方案 五(四)");
    let not_staff =
        post(&server, &path, Some(&tenderer), &json!({"agency_id": f.agency, "agent_ids": [agents[0], outsider]}));
    assert_eq!(not_staff.problem(422, "validation-failed")["errors"][0]["field"], "agent_ids[1]");
    let not_agency =
        post(&server, &path, Some(&tenderer), &json!({"agency_id": f.contractor, "agent_ids": [outsider]}));
    not_agency.problem(422, "validation-failed");
    let centre = server.token("centre_staff", Some("centre"));
    post(&server, &path, Some(&centre), &json!({"agency_id": f.agency, "agent_ids": [agents[0]]}))
        .problem(403, "forbidden");

    let three = post(&server, &path, Some(&tenderer), &json!({"agency_id": f.agency, "agent_ids": agents[..3]}));
    assert_eq!(three.status, 201, "{}", three.text);
    let commission = &three.body["commissions"][0];
    assert_eq!(commission["agent_ids"].as_array().unwrap().len(), 3);
    post(&server, &path, Some(&tenderer), &json!({"agency_id": f.agency, "agent_ids": [agents[3]]}))
        .problem(409, "conflict");

    // The agency's agents now see the project.
    let agent = server.token("agent", Some(&f.agency));
    assert_eq!(get(&server, &format!("/api/v1/projects/{project_id}"), Some(&agent)).status, 200);
    assert_eq!(get(&server, "/api/v1/projects", Some(&agent)).body["items"].as_array().unwrap().len(), 1);

    // Replacing an agent keeps the limit and is audited.
    let replace = format!("{path}/{}/agents", commission["id"].as_str().unwrap());
    let replaced = send(
        server
            .client()
            .put(server.url(&replace))
            .bearer_auth(&tenderer)
            .json(&json!({"agent_ids": [agents[0], agents[1], agents[3]]})),
    );
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(replaced.body["commissions"][0]["agent_ids"], json!([agents[0], agents[1], agents[3]]));
    let too_many =
        send(server.client().put(server.url(&replace)).bearer_auth(&tenderer).json(&json!({"agent_ids": agents})));
    too_many.problem(422, "rule-violation");
    assert_eq!(
        audit_actions(&server, &format!("project:{project_id}")),
        vec!["project.register", "project.commission_agency", "project.replace_agents"]
    );
}

fn direct_award_is_published_for_five_working_days(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let tenderer = server.token("tenderer", Some(&f.tenderer));
    // Water works file the registration form (entry.registration_form).
    let mut body = construction(&f.tenderer, "water", &["520000.00"]);
    register_project(&server, &tenderer, &body).problem(422, "validation-failed");
    body["registration_form"] = json!({"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA});
    let created = register_project(&server, &tenderer, &body);
    assert_eq!(created.body["regulator_id"], "swj", "{}", created.text);
    let project_id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/projects/{project_id}/direct-award");
    let bad = post(&server, &path, Some(&tenderer), &json!({"amount": "1.001"}));
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), vec!["contractor_id", "amount"]);
    let award = post(&server, &path, Some(&tenderer), &json!({"contractor_id": f.contractor, "amount": "515000.00"}));
    assert_eq!(award.status, 201, "{}", award.text);
    // Reported Sun 2026-11-29 (Beijing): 11-30 (1), 12-01 (2), 12-02 (3), 12-03 (4), Fri 12-04 (5).
    assert_eq!(award.body["publicity_end_day"], "2026-12-04");
    assert_eq!(award.body["publicity_end"], "2026-12-04T16:00:00Z");
    assert_eq!(award.body["rule_id"], "direct_award.publicity");
    post(&server, &path, Some(&tenderer), &json!({"contractor_id": f.contractor, "amount": "515000.00"}))
        .problem(409, "already-exists");
    // Anyone sees the publicity without a token.
    let public = get(&server, "/api/v1/public/direct-awards", None);
    assert_eq!(public.status, 200);
    assert_eq!(public.body["items"][0]["contractor_name"], format!("测试主体{}", VALID_CODES[2]));
    assert_eq!(public.body["items"][0]["amount"], "515000.00");
    let project = get(&server, &format!("/api/v1/projects/{project_id}"), Some(&tenderer));
    assert_eq!(project.body["status"], "direct_award_publicity");
    assert_eq!(project.body["direct_award"]["amount"], "515000.00");
    // The list shows the award on its project only.
    let listed = get(&server, "/api/v1/projects?limit=50", Some(&tenderer));
    let items = listed.body["items"].as_array().unwrap();
    let awarded: Vec<&Value> = items.iter().filter(|p| !p["direct_award"].is_null()).collect();
    assert_eq!(awarded.len(), 1, "{}", listed.text);
    assert_eq!(awarded[0]["id"], project_id.as_str());
    assert_eq!(awarded[0]["direct_award"]["contractor_id"], f.contractor.as_str());
}

fn an_agency_registers_under_its_commission(backend: Backend) {
    let Some(server) = start_at_fixed_time(backend) else { return };
    let f = fixture(&server);
    let agents: Vec<String> = ["11010519800101001", "11010519800101002", "11010519800101003", "11010519800101004"]
        .iter()
        .map(|b| person(&server, &f.agency, b))
        .collect();
    commit(&server, &f.agency, "agent");
    let agent = server.token("agent", Some(&f.agency));
    let mut body = construction(&f.tenderer, "building", &["600000.00"]);
    let missing = register_project(&server, &agent, &body);
    assert_eq!(missing.problem(422, "validation-failed")["rule"]["id"], "registration.one_time_notice");
    assert_eq!(missing.error_fields(), vec!["commission"]);
    body["commission"] = json!({"contract_sha256": SHA, "agent_ids": agents});
    let too_many = register_project(&server, &agent, &body);
    assert_eq!(too_many.problem(422, "rule-violation")["errors"][0]["field"], "commission.agent_ids");
    body["commission"] = json!({"contract_sha256": SHA, "agent_ids": agents[..2]});
    let created = register_project(&server, &agent, &body);
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["commissions"][0]["agency_id"], f.agency.as_str());
    assert_eq!(created.body["commissions"][0]["agent_ids"], json!(agents[..2]));
    let project_id = created.body["id"].as_str().unwrap();
    assert_eq!(
        audit_actions(&server, &format!("project:{project_id}")),
        vec!["project.register", "project.commission_agency"]
    );
    // An agent whose organisation is not an agency is refused.
    let stranger = server.token("agent", Some(&f.contractor));
    register_project(&server, &stranger, &body).problem(403, "forbidden");
}

both_backends!(
    an_agency_registers_under_its_commission,
    registration_assigns_code_owner_and_regulator,
    missing_materials_are_told_at_once,
    fifty_concurrent_registrations_get_fifty_codes,
    service_owners_are_the_least_loaded,
    unmapped_projects_await_the_comprehensive_regulator,
    commissions_respect_the_agent_limit,
    direct_award_is_published_for_five_working_days,
);
