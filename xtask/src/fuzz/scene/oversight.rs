//! Scene steps: oversight — reports (举报), violation cases, a risk alert, the centre's
//! conduct reports and credit repair.
//!
//! 公管办 handles what every regulator may: it handles any report, leads every case not
//! about itself and sees every alert, so its examples do not hang on which industry
//! regulator the seeded projects have.

use anyhow::Context;
use ggzy_service::Role;
use serde_json::{json, Value};

use super::{Example, Scene, Step};
use crate::seed::SHA;

pub const STEPS: &[Step] = &[
    ("a report to follow and handle", reports),
    ("violation cases reported and investigating", violations),
    ("a conduct report awaiting a decision", conduct_reports),
    ("credit records old enough to repair", repairs),
    ("an open risk alert", risk_alert),
    ("restrictions, officials and an entry decision", restrictions_and_officials),
];

const GONGGUANBAN: &str = "gongguanban";

/// A report about the first project: followed by its code, and a step of its investigation
/// recorded by 公管办 (住建委, which supervises the project, may record it first; a report
/// closed by a generated call refuses later steps, but the operation has had its 2xx).
fn reports(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let bidder = scene.district.bidders.first().context("no bidders")?;
    let report = json!({"project_id": scene.seeded("projects", 0)?, "content": "开标前有人联系投标人商议报价",
                        "reporter": "王先生", "contact": "13800000000"});
    let answer = scene.post("/api/v1/reports", &scene.token(Role::Bidder, Some(bidder))?, &report)?;
    let code = answer["tracking_code"].as_str().with_context(|| format!("no tracking code in {answer}"))?;
    Ok(vec![
        Example::new("POST", "/api/v1/reports", Role::Bidder, Some(bidder)).body(report),
        Example::new("GET", "/api/v1/reports/{code}", Role::Bidder, Some(bidder)).with("code", code),
        Example::new("POST", "/api/v1/reports/{code}/handling", Role::ComprehensiveRegulator, Some(GONGGUANBAN))
            .with("code", code)
            .body(json!({"status": "investigating", "note": "已转交执法大队核查"})),
    ])
}

/// A case the centre records about the second bidder's conduct in the first project.
fn case_about(scene: &Scene) -> anyhow::Result<Value> {
    Ok(json!({"project_id": scene.seeded("projects", 0)?, "subject_kind": "bidder",
              "subject_id": scene.district.bidders.get(1).context("fewer than two bidders")?,
              "suspected_codes": ["24.1"], "description": "开标现场发现两家投标文件由同一人递交",
              "evidence": [{"name": "现场录像", "sha256": SHA}]}))
}

/// Three cases, one per operation that moves a case on: one reported (to investigate) and
/// two under investigation (one takes steps and is read, the other is decided).
fn violations(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, Some("centre"))?;
    let gongguanban = scene.token(Role::ComprehensiveRegulator, Some(GONGGUANBAN))?;
    let case = case_about(scene)?;
    let reported = scene.id("/api/v1/violations", &centre, &case)?;
    let investigating = || -> anyhow::Result<String> {
        let id = scene.id("/api/v1/violations", &centre, &case)?;
        scene.post(&format!("/api/v1/violations/{id}/investigation"), &gongguanban, &json!({"note": "立案调查"}))?;
        Ok(id)
    };
    let investigated = investigating()?;
    let to_decide = investigating()?;
    let by_gongguanban = |method, path| Example::new(method, path, Role::ComprehensiveRegulator, Some(GONGGUANBAN));
    Ok(vec![
        Example::new("POST", "/api/v1/violations", Role::CentreStaff, Some("centre")).body(case),
        by_gongguanban("GET", "/api/v1/violations/{id}").with("id", investigated.as_str()),
        by_gongguanban("POST", "/api/v1/violations/{id}/investigation")
            .with("id", reported)
            .body(json!({"note": "立案调查"})),
        by_gongguanban("POST", "/api/v1/violations/{id}/steps")
            .with("id", investigated)
            .body(json!({"note": "调取保证金账户流水", "evidence": [{"name": "银行流水", "sha256": SHA}]})),
        by_gongguanban("POST", "/api/v1/violations/{id}/decision")
            .with("id", to_decide)
            .body(json!({"outcome": "dismissed", "decision": "京公管不罚〔2026〕3号"})),
    ])
}

/// The centre reports the second bidder's conduct; a regulator dismisses the report.
fn conduct_reports(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let centre = scene.token(Role::CentreStaff, Some("centre"))?;
    let report = json!({"participant_id": scene.district.bidders.get(1).context("fewer than two bidders")?,
                        "project_id": scene.seeded("projects", 0)?, "description": "开标现场扰乱秩序"});
    let pending = scene.id("/api/v1/credit/conduct-reports", &centre, &report)?;
    Ok(vec![
        Example::new("POST", "/api/v1/credit/conduct-reports", Role::CentreStaff, Some("centre")).body(report),
        Example::new("POST", "/api/v1/credit/conduct-reports/{id}/decision", Role::IndustryRegulator, Some("zjw"))
            .with("id", pending)
            .body(json!({"accept": false})),
    ])
}

/// Two bad records of the fuzz bidder decided in June, past the three months a general
/// record must stay published before repair (the seeded one, of August, is not): one to
/// apply for, one already applied for that a regulator decides. The commitment is signed
/// now, after both decisions, as repair requires.
fn repairs(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let bidder = scene.district.bidders.first().context("no bidders")?;
    let zjw = scene.token(Role::IndustryRegulator, Some("zjw"))?;
    let bidder_token = scene.token(Role::Bidder, Some(bidder))?;
    let record = |decision: &str| {
        scene.id(
            "/api/v1/credit/records",
            &zjw,
            &json!({"participant_id": bidder, "kind": "bad_trading_conduct", "severity": "general",
                    "decision": decision, "decided_on": "2026-06-01", "publication_months": 12}),
        )
    };
    let to_apply = record("京密住建罚字〔2026〕5号")?;
    let applied = record("京密住建罚字〔2026〕6号")?;
    let commitment = scene.id(&format!("/api/v1/participants/{bidder}/commitments"), &bidder_token, &json!({}))?;
    let application = json!({"obligations_proof_sha256": SHA, "commitment_id": commitment});
    let pending =
        scene.id(&format!("/api/v1/credit/records/{applied}/repair-applications"), &bidder_token, &application)?;
    Ok(vec![
        Example::new("POST", "/api/v1/credit/records/{id}/repair-applications", Role::Bidder, Some(bidder))
            .with("id", to_apply)
            .body(application),
        Example::new("POST", "/api/v1/credit/repair-applications/{id}/decision", Role::IndustryRegulator, Some("zjw"))
            .with("id", pending)
            .body(json!({"approve": true})),
    ])
}

/// An open alert for 公管办 to take up: the seeded bids share their documents, so their
/// openings raised identical_documents alerts.
fn risk_alert(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let gongguanban = scene.token(Role::ComprehensiveRegulator, Some(GONGGUANBAN))?;
    let page = scene.get("/api/v1/risk/alerts?status=open", &gongguanban)?;
    let alert = page["items"][0]["id"].as_str().with_context(|| format!("the seed raised no open alert: {page}"))?;
    Ok(vec![Example::new("POST", "/api/v1/risk/alerts/{id}/handling", Role::ComprehensiveRegulator, Some(GONGGUANBAN))
        .with("id", alert)
        .body(json!({"status": "investigating", "note": "调取投标文件属性与保证金流水"}))])
}

/// 住建委 restricts the second agency (not the fuzzer's: its commissions must stay possible)
/// and the last expert (not the fuzzer's), and names a supervisor to the first project
/// (construction, so 住建委's) — one named already, to be withdrawn. Anyone asks which
/// projects must enter the platform.
fn restrictions_and_officials(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let zjw = scene.token(Role::IndustryRegulator, Some("zjw"))?;
    let by_zjw = |method, path| Example::new(method, path, Role::IndustryRegulator, Some("zjw"));
    let agency = scene.district.agencies.get(1).context("a second agency")?;
    let expert = scene.district.experts.last().context("no experts")?;
    let project = scene.seeded("projects", 0)?;
    let centre = scene.token(Role::CentreStaff, Some("centre"))?;
    let supervisors = ["监督员甲", "监督员乙"]
        .iter()
        .zip([950_u64, 951])
        .map(|(name, n)| {
            scene.id("/api/v1/persons", &centre, &json!({"name": name, "id_number": crate::seed::resident_id(n)}))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let officials = format!("/api/v1/projects/{project}/officials");
    let named = scene.id(&officials, &zjw, &json!({"person_id": supervisors[1], "role": "supervisor"}))?;
    Ok(vec![
        by_zjw("POST", "/api/v1/credit/restrictions").body(json!({"participant_id": agency,
            "kind": "agency_suspension", "starts_on": "2026-11-02", "ends_on": "2027-04-30",
            "decision": "京密住建〔2026〕91号"})),
        by_zjw("POST", "/api/v1/experts/{id}/restriction")
            .with("id", expert.as_str())
            .body(json!({"until": "2027-12-31", "decision": "京密住建〔2026〕92号"})),
        by_zjw("POST", "/api/v1/projects/{id}/officials")
            .with("id", project.as_str())
            .body(json!({"person_id": supervisors[0], "role": "supervisor"})),
        by_zjw("POST", "/api/v1/projects/{id}/officials/{official_id}/withdrawal")
            .with("id", project.as_str())
            .with("official_id", named)
            .body(json!({"reason": "工作调动"})),
        Example::new("POST", "/api/v1/rules/entry-decision", Role::CentreStaff, Some("centre")).body(json!({
            "category": "construction", "subtype": "works", "sector": "municipal", "funding": "state_funded",
            "legally_required_tendering": true, "estimated_amount": "600000.00", "as_of": "2026-11-02"})),
    ])
}
