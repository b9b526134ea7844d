//! Persons: identity numbers validated, stored as keyed hash and mask, never returned.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::json;

use crate::{get, patch, post, register, resident_id, start};

fn identity_numbers_are_validated_masked_and_never_returned(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let agency = register(&server, "91110000600037341L", &["agency"]);
    let agency_id = agency["id"].as_str().unwrap();
    let number = resident_id("11010519491231002");
    let agent = server.token("agent", Some(agency_id));
    let created = post(
        &server,
        "/api/v1/persons",
        Some(&agent),
        &json!({"name": "李四", "id_number": number, "employer_id": agency_id}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["id_number_masked"], format!("110105********{}", &number[14..]));
    assert!(!created.text.contains(&number));
    let person_path = format!("/api/v1/persons/{}", created.body["id"].as_str().unwrap());
    let read = get(&server, &person_path, Some(&agent));
    assert_eq!(read.status, 200);
    assert!(!read.text.contains(&number));

    // Neither the database nor the audit trail holds the number.
    let inspector = server.token("inspector", Some("jijian"));
    assert!(get(&server, "/api/v1/audit/verification", Some(&inspector)).body["valid"].as_bool().unwrap());
    if let Some(dir) = server.database.sqlite_dir() {
        let mut found = false;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            found |= bytes.windows(number.len()).any(|w| w == number.as_bytes());
        }
        assert!(!found, "the identity number is stored in clear");
    }

    let again = post(
        &server,
        "/api/v1/persons",
        Some(&agent),
        &json!({"name": "李四", "id_number": number, "employer_id": agency_id}),
    );
    assert_eq!(again.problem(409, "already-exists")["existing"]["href"], person_path.as_str());
    // Another organisation's agent learns only that the number is taken, not whose it is.
    let other = register(&server, "914403001922038216", &["agency"]);
    let other_agent = server.token("agent", Some(other["id"].as_str().unwrap()));
    let probe = post(
        &server,
        "/api/v1/persons",
        Some(&other_agent),
        &json!({"name": "王五", "id_number": number, "employer_id": other["id"]}),
    );
    let problem = probe.problem(409, "already-exists");
    assert!(problem.get("existing").is_none_or(|e| e.is_null()), "{}", probe.text);
    assert!(!probe.text.contains(created.body["id"].as_str().unwrap()), "{}", probe.text);
    assert!(probe.headers.get("location").is_none(), "no Location for a record the caller may not read");

    let mut wrong_check = number.clone();
    let last = if number.ends_with('0') { '1' } else { '0' };
    wrong_check.replace_range(17.., &last.to_string());
    let bad = post(
        &server,
        "/api/v1/persons",
        Some(&agent),
        &json!({"name": "", "id_number": wrong_check, "employer_id": agency_id}),
    );
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), vec!["name", "id_number"]);
    assert!(!bad.text.contains(&wrong_check), "errors never echo the number");
    let bad_date = post(
        &server,
        "/api/v1/persons",
        Some(&agent),
        &json!({"name": "赵六", "id_number": resident_id("11010519491331002"), "employer_id": agency_id}),
    );
    assert_eq!(bad_date.problem(422, "validation-failed")["errors"][0]["code"], "invalid_birth_date");
}

fn persons_are_visible_to_their_employer_and_supervisors(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let agency = register(&server, "91110000600037341L", &["agency"]);
    let other = register(&server, "914403001922038216", &["agency"]);
    let agency_id = agency["id"].as_str().unwrap();
    let other_id = other["id"].as_str().unwrap();
    let centre = server.token("centre_staff", Some("centre"));
    let created = post(
        &server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "项目经理", "id_number": resident_id("11022819800101123"), "employer_id": agency_id}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let path = format!("/api/v1/persons/{}", created.body["id"].as_str().unwrap());

    let stranger = server.token("agent", Some(other_id));
    get(&server, &path, Some(&stranger)).problem(404, "not-found");
    post(
        &server,
        "/api/v1/persons",
        Some(&stranger),
        &json!({"name": "冒名", "id_number": resident_id("11022819800101124"), "employer_id": agency_id}),
    )
    .problem(403, "forbidden");
    get(&server, &format!("/api/v1/persons?employer_id={agency_id}"), Some(&stranger)).problem(403, "forbidden");

    let own = server.token("agent", Some(agency_id));
    let listed = get(&server, &format!("/api/v1/persons?employer_id={agency_id}"), Some(&own));
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1, "{}", listed.text);
    let regulator = server.token("industry_regulator", Some("zjw"));
    assert_eq!(get(&server, &path, Some(&regulator)).status, 200);

    // The person becomes the legal representative of the agency.
    let person_id = created.body["id"].as_str().unwrap();
    let linked = patch(
        &server,
        &format!("/api/v1/participants/{agency_id}"),
        Some(&own),
        &json!({"legal_representative": "项目经理", "legal_representative_person_id": person_id}),
    );
    assert_eq!(linked.status, 200, "{}", linked.text);
    assert_eq!(linked.body["legal_representative_person_id"], person_id);
    let unknown = patch(
        &server,
        &format!("/api/v1/participants/{agency_id}"),
        Some(&own),
        &json!({"legal_representative_person_id": "01890000-0000-7000-8000-000000000000"}),
    );
    assert_eq!(unknown.problem(422, "validation-failed")["errors"][0]["code"], "unknown_person");
}

both_backends!(
    identity_numbers_are_validated_masked_and_never_returned,
    persons_are_visible_to_their_employer_and_supervisors
);
