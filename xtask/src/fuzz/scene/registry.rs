//! Scene steps: registry — participants, a bidder's sealing key and a control between two
//! participants; the rules and the credit policy; the calendar; service items and ratings;
//! rooms and their bookings; documents, upload sessions and a project's archive.

use anyhow::Context;
use ggzy_service::Role;
use serde_json::{json, Value};

use super::{Example, Scene, Step};
use crate::seed::{credit_code, SHA};

pub const STEPS: &[Step] = &[
    ("participants", participants),
    ("sealing key", sealing_key),
    ("rules and credit policy", rules_and_policy),
    ("calendar", calendar),
    ("service quality", service_quality),
    ("venue bookings", venue_bookings),
    ("documents", documents),
];

const CENTRE: Option<&str> = Some("centre");

/// A participant the scene registers: credit codes from 900000 on, clear of the seed's.
fn participant(n: u64) -> Value {
    json!({"credit_code": credit_code(n), "name": format!("北京场景登记{n}有限公司"), "kinds": ["bidder"],
           "legal_representative": "孙立"})
}

fn participants(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, CENTRE)?;
    // A control between two participants of the scene's own: between seeded bidders it would
    // bar them from bidding together in the other steps' tenders.
    let holding = scene.id("/api/v1/participants", &centre, &participant(900_002))?;
    let held = scene.id("/api/v1/participants", &centre, &participant(900_003))?;
    Ok(vec![
        Example::new("POST", "/api/v1/participants", Role::CentreStaff, CENTRE).body(participant(900_001)),
        Example::new("POST", "/api/v1/participants/{id}/controls", Role::CentreStaff, CENTRE)
            .with("id", holding)
            .body(json!({"controlled_id": held, "kind": "holding"})),
    ])
}

/// The fuzzer's bidder registers again the key the scene seals its bids with: the key in use
/// stays the same whenever the example is played.
fn sealing_key(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let bidder = scene.district.bidders.first().context("the seed made no bidder")?;
    Ok(vec![Example::new("POST", "/api/v1/participants/{id}/sealing-keys", Role::Bidder, Some(bidder))
        .with("id", bidder.clone())
        .body(serde_json::to_value(scene.bidder_keys.public()?)?)])
}

/// The rules and the credit policy in force, published again as versions that take effect
/// on 2027-01-01 (after today and after the first versions), unchanged otherwise so that
/// nothing the other steps stage is decided differently. The version given is replaced by
/// the next one.
fn rules_and_policy(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let regulator = scene.token(Role::ComprehensiveRegulator, Some("gongguanban"))?;
    let mut rule_set = scene.get("/api/v1/rule-sets/1", &regulator)?["rule_set"].take();
    rule_set["effective_from"] = json!("2027-01-01");
    rule_set["title"] = json!("密云区公共资源交易平台进场交易规则（2027 年版）");
    let mut policy = scene.get("/api/v1/credit/policy", &regulator)?;
    policy["effective_from"] = json!("2027-01-01");
    let by = |path| Example::new("POST", path, Role::ComprehensiveRegulator, Some("gongguanban"));
    Ok(vec![by("/api/v1/rule-sets").body(rule_set), by("/api/v1/credit/policies").body(policy)])
}

/// 2026 loaded again as it stands: no day changes, so no running clock is recounted.
fn calendar(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let admin = scene.token(Role::PlatformAdmin, None)?;
    let year = scene.get("/api/v1/calendar/2026", &admin)?;
    Ok(vec![
        Example::new("GET", "/api/v1/calendar/{year}", Role::PlatformAdmin, None).with("year", 2026),
        Example::new("PUT", "/api/v1/calendar/{year}", Role::PlatformAdmin, None)
            .with("year", 2026)
            .body(json!({"days": year["days"]})),
    ])
}

/// A service item published, and rated by the tenderer of the first project (a party to
/// it), once.
fn service_quality(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, CENTRE)?;
    let item = json!({"name": "项目登记", "promised_working_days": 1, "description": "受理并登记交易项目"});
    scene.send(reqwest::Method::PUT, "/api/v1/service-items/project_registration", &centre, &item)?;
    let tenderer = scene.district.tenderers.first().context("the seed made no tenderer")?;
    let project = scene.seeded("projects", 0)?;
    Ok(vec![
        Example::new("PUT", "/api/v1/service-items/{id}", Role::CentreStaff, CENTRE)
            .with("id", "project_registration")
            .body(item),
        Example::new("POST", "/api/v1/service-ratings", Role::Tenderer, Some(tenderer)).body(json!({
            "service_item_id": "project_registration", "project_id": project, "score": 5, "on_time": true,
            "comment": "当日办结"})),
    ])
}

/// An opening room of the scene's own with one booking to cancel; the example books
/// another free time.
fn venue_bookings(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, CENTRE)?;
    let room = scene.id("/api/v1/venues", &centre, &json!({"name": "登记场景开标室", "kind": "opening_room"}))?;
    let project = scene.seeded("projects", 0)?;
    let booking = |starts: &str, ends: &str| json!({"project_id": project, "purpose": "opening", "starts_at": starts, "ends_at": ends});
    let to_cancel = scene.id(
        &format!("/api/v1/venues/{room}/bookings"),
        &centre,
        &booking("2026-11-24T01:00:00Z", "2026-11-24T03:00:00Z"),
    )?;
    Ok(vec![
        Example::new("POST", "/api/v1/venues/{id}/bookings", Role::CentreStaff, CENTRE)
            .with("id", room)
            .body(booking("2026-11-23T01:00:00Z", "2026-11-23T03:00:00Z")),
        Example::new("POST", "/api/v1/bookings/{id}/cancellation", Role::CentreStaff, CENTRE).with("id", to_cancel),
    ])
}

/// Hands in the file `test` (SHA-256 [`SHA`]) as the document `query` describes; answers
/// the document.
fn hand_in(scene: &Scene, query: &str, token: &str) -> anyhow::Result<Value> {
    let path = format!("/api/v1/documents?{query}&sha256={SHA}");
    let request = scene.client.post(format!("{}{path}", scene.base)).bearer_auth(token).body("test");
    scene.answer(request, format!("POST {path}"))
}

/// The seed's evidence `test` (handed in by the centre: handing it in again answers it, whatever
/// the body) and its content; the same file handed in as the tender document of the first
/// announcement's project, which the announcement names; an upload session; the first
/// project's archive.
fn documents(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, CENTRE)?;
    let evidence = hand_in(scene, "kind=evidence&title=test", &centre)?;
    let document = evidence["id"].as_str().context("no id in the evidence handed in")?.to_owned();
    let announcement = scene.seeded("announcements", 0)?;
    let announced = scene.get(&format!("/api/v1/public/announcements/{announcement}"), &centre)?;
    let project = announced["project_id"].as_str().context("an announcement without its project")?;
    hand_in(
        scene,
        &format!("kind=tender_document&title=%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6&project_id={project}"),
        &centre,
    )?;
    let session =
        scene.id(&format!("/api/v1/uploads?kind=evidence&title=scene&sha256={SHA}&size=4"), &centre, &Value::Null)?;
    let bidder = scene.district.bidders.first().context("the seed made no bidder")?;
    let by_centre = |method, path| Example::new(method, path, Role::CentreStaff, CENTRE);
    Ok(vec![
        by_centre("POST", "/api/v1/documents").with("kind", "evidence").with("title", "test").with("sha256", SHA),
        by_centre("GET", "/api/v1/documents/{id}").with("id", document.clone()),
        by_centre("GET", "/api/v1/documents/{id}/content").with("id", document),
        Example::new("GET", "/api/v1/announcements/{id}/documents/{sha256}", Role::Bidder, Some(bidder))
            .with("id", announcement)
            .with("sha256", SHA),
        by_centre("POST", "/api/v1/uploads")
            .with("kind", "evidence")
            .with("title", "scene")
            .with("sha256", SHA)
            .with("size", 4),
        by_centre("GET", "/api/v1/uploads/{id}").with("id", session),
        Example::new("GET", "/api/v1/projects/{id}/archive", Role::Inspector, Some("jijian"))
            .with("id", scene.seeded("projects", 0)?)
            .with("purpose", "案件核查"),
    ])
}
