//! Scene steps of tendering: projects to register, announce, commission, suspend and resume,
//! list or award directly; an open tender taking bonds, bids, changes, withdrawals,
//! questions, objections and corrections; complaints at each stage of their handling.

use anyhow::Context;
use ggzy_service::Role;
use serde_json::{json, Value};

use super::{Example, Scene, Step};
use crate::seed::SHA;

pub const STEPS: &[Step] = &[
    ("projects to register, announce, commission and resume", projects),
    ("an open tender", open_tender),
    ("complaints", complaints),
    ("a land listing", listing),
];

/// The fuzzer's tenderer and its token.
fn tenderer(scene: &Scene) -> anyhow::Result<(String, String)> {
    let id = scene.district.tenderers.first().context("no tenderer")?.clone();
    let token = scene.token(Role::Tenderer, Some(&id))?;
    Ok((id, token))
}

/// The fuzzer's bidder and its token.
fn bidder(scene: &Scene) -> anyhow::Result<(String, String)> {
    let id = scene.district.bidders.first().context("no bidder")?.clone();
    let token = scene.token(Role::Bidder, Some(&id))?;
    Ok((id, token))
}

/// A construction project of `tenderer` (supervised by 住建委, zjw) with one section of
/// each amount, as registered.
fn construction(tenderer: &str, name: &str, amounts: &[&str]) -> Value {
    let sections: Vec<Value> = amounts
        .iter()
        .enumerate()
        .map(|(i, amount)| json!({"name": format!("第{}标段", i + 1), "estimated_amount": amount}))
        .collect();
    json!({"name": name, "tenderer_id": tenderer, "category": "construction", "subtype": "works",
        "sector": "municipal", "funding": "state_funded", "legally_required_tendering": true,
        "sections": sections,
        "approval_documents": [{"title": "立项批复", "number": "密发改〔2026〕301号", "sha256": SHA}],
        "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}})
}

fn register(scene: &Scene, token: &str, body: &Value) -> anyhow::Result<Value> {
    scene.post("/api/v1/projects", token, body)
}

fn id_of(value: &Value, pointer: &str) -> anyhow::Result<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no {pointer} in {value}"))
}

/// An announcement of `sections` closing for bids on Monday 2026-11-30 (four weeks on).
fn announcement(sections: &[String]) -> Value {
    let sections: Vec<Value> = sections.iter().map(|s| json!({"section_id": s, "bond_amount": "6000.00"})).collect();
    json!({"bid_deadline": "2026-11-30T02:00:00Z", "opening_place": "开标一室",
        "documents": [{"title": "招标文件", "sha256": SHA}], "sections": sections})
}

fn projects(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let (tenderer_id, token) = tenderer(scene)?;
    let by_tenderer = |method, path| Example::new(method, path, Role::Tenderer, Some(&tenderer_id));
    let mut examples = vec![by_tenderer("POST", "/api/v1/projects").body(construction(
        &tenderer_id,
        "密云区某街道雨污分流工程",
        &["800000.00"],
    ))];

    // Registered, to be announced.
    let registered = register(scene, &token, &construction(&tenderer_id, "密云区某小学操场改造工程", &["700000.00"]))?;
    let section = id_of(&registered, "/sections/0/id")?;
    examples.push(
        by_tenderer("POST", "/api/v1/projects/{id}/announcements")
            .with("id", id_of(&registered, "/id")?)
            .body(announcement(&[section])),
    );

    // An agency with its commitment and three staff, to be commissioned on one project and
    // to have its agents replaced on another.
    let agency = scene.district.agencies.first().context("no agency")?.clone();
    let agency_token = scene.token(Role::Agent, Some(&agency))?;
    scene.post(&format!("/api/v1/participants/{agency}/commitments"), &agency_token, &json!({}))?;
    let centre = scene.token(Role::CentreStaff, Some("centre"))?;
    let agents = (0..3)
        .map(|n| {
            scene.id(
                "/api/v1/persons",
                &centre,
                &json!({"name": format!("代理人{n}"), "id_number": crate::seed::resident_id(900 + n), "employer_id": agency}),
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let to_commission =
        register(scene, &token, &construction(&tenderer_id, "密云区某社区服务站改造工程", &["650000.00"]))?;
    examples.push(
        by_tenderer("POST", "/api/v1/projects/{id}/commissions")
            .with("id", id_of(&to_commission, "/id")?)
            .body(json!({"agency_id": agency, "agent_ids": agents[..2]})),
    );
    let commissioned =
        register(scene, &token, &construction(&tenderer_id, "密云区某村供水管网改造工程", &["660000.00"]))?;
    let commissioned_id = id_of(&commissioned, "/id")?;
    let with_commission = scene.post(
        &format!("/api/v1/projects/{commissioned_id}/commissions"),
        &token,
        &json!({"agency_id": agency, "agent_ids": agents[..2]}),
    )?;
    examples.push(
        by_tenderer("PUT", "/api/v1/projects/{id}/commissions/{commission_id}/agents")
            .with("id", commissioned_id)
            .with("commission_id", id_of(&with_commission, "/commissions/0/id")?)
            .body(json!({"agent_ids": [agents[0], agents[2]]})),
    );

    // Suspended, to be resumed.
    let suspended = register(scene, &token, &construction(&tenderer_id, "密云区某桥梁维修加固工程", &["720000.00"]))?;
    let suspended_id = id_of(&suspended, "/id")?;
    scene.post(&format!("/api/v1/projects/{suspended_id}/suspension"), &token, &json!({"reason": "设计变更"}))?;
    examples.push(
        by_tenderer("POST", "/api/v1/projects/{id}/resumption")
            .with("id", suspended_id)
            .body(json!({"reason": "设计变更完成"})),
    );

    // Awarded directly (直接发包) to a bidder of the district.
    let direct = register(scene, &token, &construction(&tenderer_id, "密云区某泵站设备更新工程", &["520000.00"]))?;
    let contractor = scene.district.bidders.get(1).context("a second bidder")?;
    examples.push(
        by_tenderer("POST", "/api/v1/projects/{id}/direct-award")
            .with("id", id_of(&direct, "/id")?)
            .body(json!({"contractor_id": contractor, "amount": "515000.00"})),
    );
    Ok(examples)
}

/// A bid of the fuzzer's bidder for `section`, sealed with `keys`.
fn envelope(
    keys: &ggzy_seal::SecretKeys,
    section: &str,
    bidder: &str,
    manager: &str,
    price: &str,
) -> anyhow::Result<Value> {
    let content = json!({"price": price, "documents": [{"title": "投标文件", "sha256": SHA}],
        "project_manager_id": manager, "device_fingerprint": format!("device-{bidder}")});
    let (envelope, _) = ggzy_seal::seal(keys, section, bidder, &serde_json::to_vec(&content)?)?;
    Ok(json!({"envelope": envelope}))
}

fn bond() -> Value {
    json!({"form": "transfer", "amount": "6000.00",
        "payer_account": {"bank": "中国银行", "number": "6222000001", "is_basic_account": true}})
}

/// One project of four sections announced: the bidder's bond is still to come in the first;
/// held in the second (the bid to come); bid in the third (to change) and the fourth (to
/// withdraw); a question waits for its answer. Two more announced tenders: one with an
/// objection waiting for its answer, one to be objected to.
fn open_tender(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let (tenderer_id, token) = tenderer(scene)?;
    let (bidder_id, bidder_token) = bidder(scene)?;
    let manager = scene.seeded("persons", 0)?;
    let project = register(
        scene,
        &token,
        &construction(
            &tenderer_id,
            "密云区某镇污水处理厂提标改造工程",
            &["900000.00", "850000.00", "800000.00", "750000.00"],
        ),
    )?;
    let project_id = id_of(&project, "/id")?;
    let sections = (0..4).map(|n| id_of(&project, &format!("/sections/{n}/id"))).collect::<anyhow::Result<Vec<_>>>()?;
    let announced =
        scene.post(&format!("/api/v1/projects/{project_id}/announcements"), &token, &announcement(&sections))?;
    let keys = &scene.bidder_keys;
    scene.post(
        &format!("/api/v1/participants/{bidder_id}/sealing-keys"),
        &bidder_token,
        &serde_json::to_value(keys.public()?)?,
    )?;
    for section in &sections[1..] {
        scene.post(&format!("/api/v1/sections/{section}/bonds"), &bidder_token, &bond())?;
    }
    let mut bids = Vec::new();
    for section in &sections[2..] {
        let body = envelope(keys, section, &bidder_id, &manager, "780000.00")?;
        bids.push(scene.id(&format!("/api/v1/sections/{section}/bids"), &bidder_token, &body)?);
    }
    let question = scene.id(
        &format!("/api/v1/projects/{project_id}/questions"),
        &bidder_token,
        &json!({"question": "工期是否可以调整？"}),
    )?;
    // An objection suspends its project until answered (construction.objection.reply), so
    // the objection to answer and the one to raise are on tenders of their own.
    let mut objected = Vec::new();
    for name in ["密云区某镇供热管网改造工程", "密云区某水厂配套管网工程"] {
        let project = register(scene, &token, &construction(&tenderer_id, name, &["680000.00"]))?;
        let id = id_of(&project, "/id")?;
        let section = id_of(&project, "/sections/0/id")?;
        scene.post(&format!("/api/v1/projects/{id}/announcements"), &token, &announcement(&[section]))?;
        objected.push(id);
    }
    let objection = scene.id(
        &format!("/api/v1/projects/{}/objections", objected[0]),
        &bidder_token,
        &json!({"stage": "tender_documents", "content": "资格条件中的业绩要求过高"}),
    )?;
    let by_bidder = |method, path| Example::new(method, path, Role::Bidder, Some(&bidder_id));
    let by_tenderer = |method, path| Example::new(method, path, Role::Tenderer, Some(&tenderer_id));
    Ok(vec![
        by_bidder("POST", "/api/v1/sections/{id}/bonds").with("id", sections[0].clone()).body(bond()),
        by_bidder("POST", "/api/v1/sections/{id}/bids").with("id", sections[1].clone()).body(envelope(
            keys,
            &sections[1],
            &bidder_id,
            &manager,
            "820000.00",
        )?),
        by_bidder("PUT", "/api/v1/bids/{id}").with("id", bids[0].clone()).body(envelope(
            keys,
            &sections[2],
            &bidder_id,
            &manager,
            "770000.00",
        )?),
        by_bidder("POST", "/api/v1/bids/{id}/withdrawal").with("id", bids[1].clone()),
        by_bidder("POST", "/api/v1/projects/{id}/questions")
            .with("id", project_id.clone())
            .body(json!({"question": "是否接受联合体投标？"})),
        by_bidder("POST", "/api/v1/projects/{id}/objections")
            .with("id", objected[1].clone())
            .body(json!({"stage": "tender_documents", "content": "评分标准中的设备品牌要求有倾向性"})),
        by_tenderer("POST", "/api/v1/questions/{id}/answer")
            .with("id", question)
            .body(json!({"answer": "工期不可调整"})),
        by_tenderer("POST", "/api/v1/objections/{id}/answer")
            .with("id", objection)
            .body(json!({"answer": "业绩要求符合项目规模，维持不变"})),
        by_tenderer("POST", "/api/v1/announcements/{id}/corrections").with("id", id_of(&announced, "/id")?).body(
            json!({"affects_preparation": false, "opening_place": "开标二室", "summary": "开标地点改为开标二室"}),
        ),
    ])
}

/// Four complaints of the bidder against a project of the district (住建委 supervises): one
/// received, to be accepted; one accepted, to be decided; one accepted, to be paused; one
/// paused, to be resumed.
fn complaints(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let (tenderer_id, token) = tenderer(scene)?;
    let (bidder_id, bidder_token) = bidder(scene)?;
    let zjw = scene.token(Role::IndustryRegulator, Some("zjw"))?;
    let complaint = json!({"content": "评标委员会未按招标文件规定的标准评审", "knew_at": "2026-10-30T02:00:00Z"});
    let mut filed = Vec::new();
    let mut projects = Vec::new();
    for n in 0..5 {
        let project = register(
            scene,
            &token,
            &construction(&tenderer_id, &format!("密云区某道路大修工程（{}）", n + 1), &["610000.00"]),
        )?;
        let project_id = id_of(&project, "/id")?;
        if n > 0 {
            filed.push(scene.id(&format!("/api/v1/projects/{project_id}/complaints"), &bidder_token, &complaint)?);
        }
        projects.push(project_id);
    }
    let accept = json!({"accept": true, "reason": "符合受理条件"});
    for id in &filed[1..] {
        scene.post(&format!("/api/v1/complaints/{id}/acceptance"), &zjw, &accept)?;
    }
    scene.post(&format!("/api/v1/complaints/{}/pauses", filed[3]), &zjw, &json!({"reason": "expert_review"}))?;
    let by_zjw = |method, path| Example::new(method, path, Role::IndustryRegulator, Some("zjw"));
    Ok(vec![
        Example::new("POST", "/api/v1/projects/{id}/complaints", Role::Bidder, Some(&bidder_id))
            .with("id", projects[0].clone())
            .body(complaint),
        Example::new("GET", "/api/v1/complaints/{id}", Role::Bidder, Some(&bidder_id)).with("id", filed[0].clone()),
        by_zjw("POST", "/api/v1/complaints/{id}/acceptance").with("id", filed[0].clone()).body(accept),
        by_zjw("POST", "/api/v1/complaints/{id}/decision")
            .with("id", filed[1].clone())
            .body(json!({"outcome": "dismissed", "decision": "京密住建投诉〔2026〕21号"})),
        by_zjw("POST", "/api/v1/complaints/{id}/pauses")
            .with("id", filed[2].clone())
            .body(json!({"reason": "expert_review"})),
        by_zjw("POST", "/api/v1/complaints/{id}/resumption").with("id", filed[3].clone()),
    ])
}

/// A land project of the tenderer, registered: its listing to be published.
fn listing(scene: &Scene) -> anyhow::Result<Vec<Example>> {
    let (tenderer_id, token) = tenderer(scene)?;
    let project = register(
        scene,
        &token,
        &json!({"name": "密云区某地块国有建设用地使用权出让", "tenderer_id": tenderer_id, "category": "land_mining",
            "subtype": "land_use_right", "funding": "state_funded", "legally_required_tendering": true,
            "sections": [{"name": "一标段", "estimated_amount": "3000000.00"}],
            "approval_documents": [{"title": "出让方案批复", "number": "密规自〔2026〕31号", "sha256": SHA}],
            "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}}),
    )?;
    let section = id_of(&project, "/sections/0/id")?;
    Ok(vec![Example::new("POST", "/api/v1/projects/{id}/listings", Role::Tenderer, Some(&tenderer_id))
        .with("id", id_of(&project, "/id")?)
        .body(json!({"section_id": section, "starting_price": "3000000.00", "increment": "10000.00",
            "deposit": "600000.00", "listing_start": "2026-11-24T09:00:00+08:00",
            "listing_end": "2026-12-08T15:00:00+08:00", "place": "密云区公共资源交易中心网上交易系统",
            "documents": [{"title": "挂牌文件", "sha256": SHA}]}))])
}
