//! Collusion risk on the platform's own records: alerts raised at opening for the project's
//! regulator only, a full rescan that raises nothing twice, control relations, and a
//! confirmed alert opening violation cases.

use ggzy_blackbox::{both_backends, Backend};
use serde_json::{json, Value};

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{decrypt_bids, place_bid};
use crate::{get, notices, post};

fn alerts(server: &ggzy_blackbox::Server, token: &str) -> Vec<Value> {
    let reply = get(server, "/api/v1/risk/alerts", Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["items"].as_array().unwrap().clone()
}

fn sorted(mut ids: Vec<&str>) -> Value {
    ids.sort();
    json!(ids)
}

fn openings_raise_alerts_and_rescans_find_the_rest(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let server = &t.server;
    // Every ready bidder pays its bond from the same account (中国银行 6222): a planted
    // ring of three. Two of them also share the document author.
    let (first, first_token, first_manager) =
        ready_bidder(server, &t.section, "914403001922038216", "11010519800101001");
    let (second, second_token, second_manager) =
        ready_bidder(server, &t.section, "91110108551385082Q", "11010519800101002");
    let (third, third_token, third_manager) =
        ready_bidder(server, &t.section, "9144030071526726XG", "11010519800101003");
    for (token, manager, price, author) in [
        (&first_token, &first_manager, "981234.56", Some("张工")),
        (&second_token, &second_manager, "990000.00", Some("张工")),
        (&third_token, &third_manager, "995432.10", None),
    ] {
        let mut body = bid_body(price, manager, None);
        if let Some(author) = author {
            body["document_author"] = json!(author);
        }
        // The author is inside the bidder's envelope: the platform learns it at the opening.
        let bid = place_bid(server, &t.section, token, &body);
        assert_eq!(bid.status, 201, "{}", bid.text);
    }
    let zjw_before = server.token("industry_regulator", Some("zjw"));
    assert!(alerts(server, &zjw_before).is_empty(), "nothing is scanned before the opening");

    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    decrypt_bids(&server, &t.section, &tenderer);
    let zjw = server.token("industry_regulator", Some("zjw"));
    assert!(alerts(&server, &zjw).is_empty(), "nothing is scanned before the opening record, decrypted or not");
    let opened = post(
        &server,
        &format!("/api/v1/sections/{}/opening", t.section),
        Some(&tenderer),
        &json!({"witness_id": t.witness}),
    );
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["outcome"], "opened", "{}", opened.text);

    // Raised at the opening, for the project's regulator.
    let raised = alerts(&server, &zjw);
    let by_indicator = |indicator: &str| raised.iter().find(|a| a["indicator"] == indicator).cloned();
    let account = by_indicator("same_bond_account").expect("same bond account");
    assert_eq!(account["bidders"], sorted(vec![&first, &second, &third]));
    assert_eq!(account["rule_id"], "construction.collusion.deemed");
    assert_eq!(account["severity"], "high");
    assert_eq!(account["section_ids"], json!([t.section]));
    let links: Vec<&str> = account["links"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(links.contains(&format!("/api/v1/public/sections/{}/opening-record", t.section).as_str()), "{links:?}");
    assert!(links.contains(&format!("/api/v1/participants/{first}").as_str()), "{links:?}");
    // Each new alert is in the regulator's inbox, with where to read it.
    let told = notices(&server, &zjw, "risk_alert.raised");
    assert_eq!(told.len(), raised.len(), "{told:?}");
    let account_id = account["id"].as_str().unwrap();
    let account_notice = told.iter().find(|n| n["payload"]["subject_id"] == account_id).expect("the alert's notice");
    assert_eq!(account_notice["payload"]["link"], format!("/api/v1/risk/alerts/{account_id}"));
    let author = by_indicator("same_author").expect("same author");
    assert_eq!(author["bidders"], sorted(vec![&first, &second]));
    // The test bids all carry the same document hash: identical documents, rightly flagged.
    assert_eq!(
        by_indicator("identical_documents").expect("identical documents")["bidders"],
        sorted(vec![&first, &second, &third])
    );
    assert_eq!(raised.len(), 3, "only the planted rings: {raised:#?}");
    assert!(alerts(&server, &server.token("industry_regulator", Some("swj"))).is_empty());
    assert_eq!(alerts(&server, &server.token("comprehensive_regulator", Some("gongguanban"))).len(), 3);
    get(&server, "/api/v1/risk/alerts", Some(&server.token("centre_staff", Some("centre")))).problem(403, "forbidden");
    let bad = get(
        &server,
        "/api/v1/risk/alerts?status=lost&limit=0",
        Some(&server.token("comprehensive_regulator", Some("gongguanban"))),
    );
    bad.problem(422, "validation-failed");
    assert_eq!(bad.error_fields(), ["status", "limit"], "every problem at once: {}", bad.text);
    get(
        &server,
        &format!("/api/v1/risk/alerts/{}", account["id"].as_str().unwrap()),
        Some(&server.token("industry_regulator", Some("swj"))),
    )
    .problem(404, "not-found");

    // The first controls the third (recorded later): a rescan raises that, and only that.
    let centre = server.token("centre_staff", Some("centre"));
    let control = post(
        &server,
        &format!("/api/v1/participants/{first}/controls"),
        Some(&centre),
        &json!({"controlled_id": third, "kind": "holding"}),
    );
    assert_eq!(control.body, json!([third]), "{}", control.text);
    post(
        &server,
        &format!("/api/v1/participants/{first}/controls"),
        Some(&centre),
        &json!({"controlled_id": first, "kind": "owner"}),
    )
    .problem(422, "validation-failed");
    let gongguanban = server.token("comprehensive_regulator", Some("gongguanban"));
    post(&server, "/api/v1/risk/scans", Some(&zjw), &json!({})).problem(403, "forbidden");
    let scan = post(&server, "/api/v1/risk/scans", Some(&gongguanban), &json!({}));
    assert_eq!(scan.status, 200, "{}", scan.text);
    assert_eq!(scan.body["sections"], 1);
    assert_eq!(scan.body["bids"], 3);
    assert_eq!(scan.body["new_alerts"], 1, "{}", scan.text);
    let control_alert = alerts(&server, &zjw).into_iter().find(|a| a["indicator"] == "control_relation").unwrap();
    assert_eq!(control_alert["rule_id"], "construction.barred_bidders");
    assert_eq!(control_alert["bidders"], sorted(vec![&first, &third]));
    // The command line rescans the same history and raises nothing new.
    let cli = server.cli(&["risk", "scan"]);
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let summary: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(summary["new_alerts"], 0, "{summary}");
    assert_eq!(summary["findings"], 4);

    // Handling: the regulator investigates and confirms; the centre and others may not.
    let path = format!("/api/v1/risk/alerts/{}/handling", author["id"].as_str().unwrap());
    let by_centre = post(&server, &path, Some(&centre), &json!({"status": "investigating", "note": "x"}));
    assert_eq!(by_centre.problem(403, "forbidden")["rule"]["id"], "centre.no_regulatory_power");
    // A regulator the alert does not go to learns nothing of it: 404, as for reading.
    post(
        &server,
        &path,
        Some(&server.token("industry_regulator", Some("swj"))),
        &json!({"status": "investigating", "note": "x"}),
    )
    .problem(404, "not-found");
    let bad = post(&server, &path, Some(&zjw), &json!({"status": "closed"}));
    assert_eq!(bad.error_fields(), vec!["status".to_owned(), "note".to_owned()]);
    let investigating =
        post(&server, &path, Some(&zjw), &json!({"status": "investigating", "note": "调取投标文件属性"}));
    assert_eq!(investigating.body["status"], "investigating", "{}", investigating.text);
    let confirmed =
        post(&server, &path, Some(&zjw), &json!({"status": "confirmed", "note": "两份投标文件由同一人编制"}));
    assert_eq!(confirmed.body["status"], "confirmed", "{}", confirmed.text);
    let cases = confirmed.body["violation_cases"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 2);
    let case = get(&server, &format!("/api/v1/violations/{}", cases[0].as_str().unwrap()), Some(&zjw));
    assert_eq!(case.body["subject_kind"], "bidder", "{}", case.text);
    assert_eq!(case.body["suspected"][0]["code"], "24.1");
    assert_eq!(case.body["lead_department"], "zjw");
    post(&server, &path, Some(&zjw), &json!({"status": "dismissed", "note": "x"})).problem(409, "conflict");
    let verified = get(&server, "/api/v1/audit/verification", Some(&gongguanban));
    assert_eq!(verified.body["valid"], true, "{}", verified.text);
}

both_backends!(openings_raise_alerts_and_rescans_find_the_rest);
