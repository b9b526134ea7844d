//! `cargo xtask seed --projects N [--seed S] [--data DIR] [--database-url postgres://…]`: a
//! synthetic district, built through the API of the real binary on SQLite in DIR (default
//! `data/seed`), or on the empty PostgreSQL database named: centre staff,
//! experts, tenderers, agencies and bidders with commitments, project managers and sealing
//! keys, one regulator's credit record, and N projects of every category taken through their
//! procedures — tenders (construction, procurement, other) announced, bonded, bid, opened,
//! evaluated by drawn experts, a result objected to and answered, awarded and contracted;
//! land and state-property listings with deposits, quotes, an auction and confirmations.
//! Every bid is sealed by its bidder (`ggzy-seal`, as a bidder's own tool would) and
//! decrypted by it in the decryption window the tenderer opens at the opening; in the tender
//! that fails (流标) one bidder does not decrypt, so its bid is revoked when the window
//! closes (电子招标投标办法 §31) and too few bids remain to open.
//! The server runs on a manual clock that moves from 2026-09-01 to 2026-10-20 between the
//! steps; at the end `ggzy audit verify` and `ggzy ledger verify` must pass. Names, prices
//! and scores come from the seed; the same seed gives the same district (only the keys and
//! the envelopes' bytes are random).
//!
//! `cargo xtask demo [--projects N] [--seed S]` seeds `data/demo` afresh, starts the
//! platform on it with the real clock at http://127.0.0.1:8080 and prints a token for each
//! role, so that every route can be tried in Swagger UI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use ggzy_gateway::auth::TokenAuthority;
use ggzy_service::{Principal, Role};
use serde_json::{json, Value};

mod screens;

pub(crate) const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const CATEGORIES: [&str; 5] = ["construction", "procurement", "land", "property", "other"];

pub struct Options {
    pub projects: usize,
    pub seed: u64,
    pub data: PathBuf,
    /// A PostgreSQL database to seed instead of the SQLite file in `data` (which still holds
    /// the keys and documents): `--database-url postgres://…`, an empty database.
    pub database_url: Option<String>,
}

impl Options {
    pub fn parse(args: &[&str], default_data: &Path) -> anyhow::Result<Options> {
        let mut options = Options { projects: 20, seed: 1, data: default_data.to_owned(), database_url: None };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest.next().with_context(|| format!("{flag} needs a value"))?;
            match *flag {
                "--projects" => options.projects = value.parse().context("--projects")?,
                "--seed" => options.seed = value.parse().context("--seed")?,
                "--data" => options.data = PathBuf::from(value),
                "--database-url" => options.database_url = Some((*value).to_owned()),
                other => bail!("unknown option {other}"),
            }
        }
        if options.projects == 0 {
            bail!("--projects must be at least 1");
        }
        Ok(options)
    }
}

/// xorshift64: small, deterministic, good enough for names and prices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The binary on a manual clock that the seed moves forward.
struct Platform {
    binary: PathBuf,
    data: PathBuf,
    database_url: Option<String>,
    port: u16,
    child: Option<Child>,
    tokens: TokenAuthority,
    now: DateTime<Utc>,
    client: reqwest::blocking::Client,
}

impl Platform {
    /// Restarts the server with its clock at `beijing` (RFC 3339 with +08:00).
    fn at(&mut self, beijing: &str) -> anyhow::Result<()> {
        self.stop();
        self.now = DateTime::parse_from_rfc3339(beijing)?.with_timezone(&Utc);
        let child = self
            .command()
            .arg("serve")
            .env("GGZY_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("GGZY_CLOCK", format!("manual:{beijing}"))
            // The seed closes its listings itself, at the times it writes.
            .env("GGZY_LISTING_CLOSER_SECONDS", "0")
            .env("GGZY_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting ggzy")?;
        self.child = Some(child);
        let started = Instant::now();
        loop {
            let ready = self.client.get(format!("http://127.0.0.1:{}/readyz", self.port)).send();
            if ready.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("ggzy did not become ready");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The binary on the seeded district's data directory and database.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command.env("GGZY_DATA_DIR", &self.data);
        if let Some(url) = &self.database_url {
            command.env("GGZY_DATABASE_URL", url);
        }
        command
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn token(&self, role: Role, org: Option<&str>) -> anyhow::Result<String> {
        let principal =
            Principal { subject: "seed".into(), role, org: org.map(str::to_owned), scopes: vec![], request_key: None };
        self.tokens.issue(&principal, self.now, 3600)
    }

    fn post(&self, path: &str, token: &str, body: &Value) -> anyhow::Result<Value> {
        let reply = self
            .client
            .post(format!("http://127.0.0.1:{}{path}", self.port))
            .bearer_auth(token)
            .json(body)
            .send()
            .with_context(|| format!("POST {path}"))?;
        let status = reply.status();
        let answer: Value = reply.json().unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("POST {path}: {status} {answer}");
        }
        Ok(answer)
    }

    /// A public GET: its status and body (null when empty).
    fn get(&self, path: &str) -> anyhow::Result<(u16, Value)> {
        let reply = self
            .client
            .get(format!("http://127.0.0.1:{}{path}", self.port))
            .send()
            .with_context(|| format!("GET {path}"))?;
        let status = reply.status().as_u16();
        Ok((status, reply.json().unwrap_or(Value::Null)))
    }

    /// A GET with a token: its status and body (null when empty).
    fn get_as(&self, path: &str, token: &str) -> anyhow::Result<(u16, Value)> {
        let reply = self
            .client
            .get(format!("http://127.0.0.1:{}{path}", self.port))
            .bearer_auth(token)
            .send()
            .with_context(|| format!("GET {path}"))?;
        let status = reply.status().as_u16();
        Ok((status, reply.json().unwrap_or(Value::Null)))
    }

    fn id(&self, path: &str, token: &str, body: &Value) -> anyhow::Result<String> {
        let answer = self.post(path, token, body)?;
        answer["id"].as_str().map(str::to_owned).with_context(|| format!("POST {path}: no id in {answer}"))
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A credit code with a valid check character (GB 32100), distinct for each n.
pub(crate) fn credit_code(n: u64) -> String {
    let body = format!("91110228{n:09}");
    let check = ggzy_kernel::CreditCode::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A resident identity number of Miyun (110228) with a valid check character (GB 11643).
pub(crate) fn resident_id(n: u64) -> String {
    let body = format!("1102281975{:02}{:02}{:03}", 1 + n / 28 % 12, 1 + n % 28, n % 1000);
    let check = ggzy_kernel::ResidentId::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

pub(crate) fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

struct Bidder {
    id: String,
    manager: String,
    /// The bidder's own sealing keys; their public half is registered at the platform.
    keys: ggzy_seal::SecretKeys,
}

/// A bid sealed by its bidder: the bid, the bidder's index and the content key it reveals
/// at the opening.
struct Sealed {
    bid: String,
    bidder: usize,
    content_key: Vec<u8>,
}

/// One tendered section on its way.
struct Tender {
    project: String,
    section: String,
    tenderer: String,
    category: &'static str,
    bids: Vec<(usize, u64)>,
    sealed: Vec<Sealed>,
    candidates: Vec<String>,
}

/// A bid of bidder `n` (its bond held): the bid's content — price, documents, project
/// manager, device — sealed by the bidder for the section and submitted as an envelope.
fn place_bid(p: &Platform, section: &str, bidders: &[Bidder], n: usize, price: u64) -> anyhow::Result<Sealed> {
    let bidder = &bidders[n];
    let content = json!({"price": yuan(price), "documents": [{"title": "投标文件", "sha256": SHA}],
        "project_manager_id": bidder.manager, "device_fingerprint": format!("device-{}", bidder.id)});
    let (envelope, content_key) = ggzy_seal::seal(&bidder.keys, section, &bidder.id, &serde_json::to_vec(&content)?)
        .with_context(|| format!("sealing {}'s bid", bidder.id))?;
    let token = p.token(Role::Bidder, Some(&bidder.id))?;
    let bid = p.id(&format!("/api/v1/sections/{section}/bids"), &token, &json!({"envelope": envelope}))?;
    Ok(Sealed { bid, bidder: n, content_key })
}

/// At the opening time: the tenderer opens the section's decryption window and each bidder
/// decrypts its bid by revealing its content key, except the bidders in `silent`.
fn decrypt(
    p: &Platform,
    section: &str,
    tenderer: &str,
    bidders: &[Bidder],
    sealed: &[Sealed],
    silent: &[usize],
) -> anyhow::Result<()> {
    p.post(&format!("/api/v1/sections/{section}/decryption-window"), tenderer, &json!({}))?;
    for bid in sealed.iter().filter(|b| !silent.contains(&b.bidder)) {
        p.post(
            &format!("/api/v1/bids/{}/decryption", bid.bid),
            &p.token(Role::Bidder, Some(&bidders[bid.bidder].id))?,
            &json!({"content_key": ggzy_seal::encode_key(&bid.content_key)}),
        )?;
    }
    Ok(())
}

/// One listing: land lists from 09-22, state property from 10-12.
struct Listed {
    listing: String,
    section: String,
    land: bool,
    bidders: Vec<usize>,
    starting: u64,
}

/// What the seed made, for the summary, the demo's tokens and the fuzzer's examples.
pub struct District {
    pub tenderers: Vec<String>,
    pub agencies: Vec<String>,
    pub bidders: Vec<String>,
    pub experts: Vec<String>,
    /// The ids of what the seed made, by the path segment that names their collection
    /// (`projects`, `sections`, `bids`, `records` for credit records …), and OCDS ids under
    /// `ocid`: real values for the parameters of the routes that take them.
    pub ids: BTreeMap<&'static str, Vec<String>>,
}

/// The `id` of an answer, noted under `collection`.
fn note(ids: &mut BTreeMap<&'static str, Vec<String>>, collection: &'static str, answer: &Value) {
    if let Some(id) = answer["id"].as_str() {
        ids.entry(collection).or_default().push(id.to_owned());
    }
}

/// Hands in the file `test` (SHA-256 `SHA`), which the seeded records name: the platform
/// refuses a record that points at a file it never received.
pub fn hand_in_test_document(client: &reqwest::blocking::Client, base: &str, centre_token: &str) -> anyhow::Result<()> {
    let reply = client
        .post(format!("{base}/api/v1/documents?kind=evidence&title=test&sha256={SHA}"))
        .bearer_auth(centre_token)
        .body("test")
        .send()?;
    let status = reply.status();
    anyhow::ensure!(status.is_success(), "uploading the test document: {status} {}", reply.text().unwrap_or_default());
    Ok(())
}

pub fn binary(root: &Path) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built =
        Command::new(&cargo).current_dir(root).args(["build", "--quiet", "--package", "ggzy-gateway"]).status()?;
    anyhow::ensure!(built.success(), "building ggzy failed");
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
    Ok(target.join("debug/ggzy"))
}

#[allow(clippy::print_stdout)]
pub fn seed(root: &Path, options: &Options) -> anyhow::Result<District> {
    if options.data.join("ggzy.db").exists() {
        bail!("{} holds a database already: remove it or choose another --data", options.data.display());
    }
    std::fs::create_dir_all(&options.data)?;
    let secret = ggzy_gateway::config::secret_in_data_dir(&options.data, "jwt-secret")?;
    let mut p = Platform {
        binary: binary(root)?,
        data: options.data.clone(),
        database_url: options.database_url.clone(),
        port: std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port(),
        child: None,
        tokens: TokenAuthority::new(&secret, "ggzy".into(), "ggzy".into()),
        now: Utc::now(),
        client: reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build()?,
    };
    let mut rng = Rng(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let started = Instant::now();

    // 2026-09-01: the district's people, and every project announced or listed.
    p.at("2026-09-01T09:00:00+08:00")?;
    let admin = p.token(Role::PlatformAdmin, None)?;
    let witness = p.id("/api/v1/departments/centre/staff", &admin, &json!({"subject": "zhang", "name": "张敏"}))?;
    p.post("/api/v1/departments/centre/staff", &admin, &json!({"subject": "li", "name": "李强"}))?;
    let centre = p.token(Role::CentreStaff, Some("centre"))?;
    hand_in_test_document(&p.client, &format!("http://127.0.0.1:{}", p.port), &centre)?;
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"];
    let experts = (0..12)
        .map(|_| {
            let name = format!("{}{}", rng.pick(&surnames), rng.pick(&given));
            p.id("/api/v1/experts", &centre, &json!({"name": name, "specialties": ["building"]}))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let places = ["密云", "京北", "燕山", "潮白河", "云蒙", "古北", "溪翁庄", "穆家峪"];
    let trades = ["建设", "建工", "市政", "园林", "科技", "设备", "工程咨询", "环境"];
    let mut code = 0_u64;
    let mut register = |p: &Platform, kind: &str, rng: &mut Rng| -> anyhow::Result<String> {
        code += 1;
        let name = format!("北京{}{}{}有限公司", rng.pick(&places), rng.pick(&trades), code);
        let representative = format!("{}{}", rng.pick(&surnames), rng.pick(&given));
        p.id(
            "/api/v1/participants",
            &centre,
            &json!({"credit_code": credit_code(code), "name": name, "kinds": [kind], "legal_representative": representative}),
        )
    };
    let tenderers = (0..4).map(|_| register(&p, "tenderer", &mut rng)).collect::<anyhow::Result<Vec<_>>>()?;
    let agencies = (0..2).map(|_| register(&p, "agency", &mut rng)).collect::<anyhow::Result<Vec<_>>>()?;
    let pool = (options.projects / 2).max(8);
    let mut bidders = Vec::with_capacity(pool);
    for n in 0..pool {
        let id = register(&p, "bidder", &mut rng)?;
        let token = p.token(Role::Bidder, Some(&id))?;
        p.post(&format!("/api/v1/participants/{id}/commitments"), &token, &json!({}))?;
        let keys = ggzy_seal::SecretKeys::generate(ggzy_seal::Suite::Hpke)?;
        p.post(&format!("/api/v1/participants/{id}/sealing-keys"), &token, &serde_json::to_value(keys.public()?)?)?;
        let name = format!("{}{}", rng.pick(&surnames), rng.pick(&given));
        let manager = p.id(
            "/api/v1/persons",
            &centre,
            &json!({"name": name, "id_number": resident_id(n as u64), "employer_id": id}),
        )?;
        bidders.push(Bidder { id, manager, keys });
    }
    // A regulator's record of bad conduct, published, for the credit pages.
    let zjw = p.token(Role::IndustryRegulator, Some("zjw"))?;
    let record = p.post(
        "/api/v1/credit/records",
        &zjw,
        &json!({"participant_id": bidders[0].id, "kind": "bad_trading_conduct", "severity": "general",
                "decision": "京密住建罚字〔2026〕12号", "decided_on": "2026-08-14"}),
    )?;
    let mut ids = BTreeMap::new();
    note(&mut ids, "records", &record);

    let mut tenders = Vec::new();
    let mut listed = Vec::new();
    // The first tender's announcement gets a correction.
    let mut corrected: Option<(String, String)> = None;
    for i in 0..options.projects {
        let category = CATEGORIES[i % CATEGORIES.len()];
        let tenderer = tenderers[i % tenderers.len()].clone();
        let token = p.token(Role::Tenderer, Some(&tenderer))?;
        // From 500,000.00 yuan (the entry threshold) in steps of 10,000.00, in fen.
        let estimate = 50_000_000 + rng.below(300) * 1_000_000;
        let place = rng.pick(&places);
        let mut body = json!({"tenderer_id": tenderer, "funding": "state_funded", "legally_required_tendering": true,
            "sections": [{"name": "一标段", "estimated_amount": yuan(estimate)}],
            "approval_documents": [{"title": "立项批复", "number": format!("密发改〔2026〕{}号", 100 + i), "sha256": SHA}],
            "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}});
        let (name, fields) = match category {
            "construction" => (
                format!("{place}镇道路改造工程"),
                json!({"category": "construction", "subtype": "works", "sector": "municipal"}),
            ),
            "procurement" => (
                format!("{place}学校教学设备采购"),
                json!({"category": "procurement", "subtype": "goods", "procurement_organisation": "centralised"}),
            ),
            "land" => (
                format!("{place}地块国有建设用地使用权出让"),
                json!({"category": "land_mining", "subtype": "land_use_right"}),
            ),
            "property" => {
                (format!("{place}国有企业资产转让"), json!({"category": "state_property", "subtype": "transfer"}))
            }
            _ => (format!("{place}公园绿化养护"), json!({"category": "other", "subtype": "landscaping"})),
        };
        body["name"] = json!(format!("{name}（{}）", i + 1));
        if let (Some(target), Some(extra)) = (body.as_object_mut(), fields.as_object()) {
            target.extend(extra.clone());
        }
        let project = p.post("/api/v1/projects", &token, &body)?;
        let project_id = project["id"].as_str().context("project id")?.to_owned();
        let section = project["sections"][0]["id"].as_str().context("section id")?.to_owned();
        note(&mut ids, "projects", &project);
        note(&mut ids, "sections", &project["sections"][0]);
        let chosen: Vec<usize> = (0..3).map(|k| (i * 3 + k) % pool).collect();
        let bidder_token = |n: usize| p.token(Role::Bidder, Some(&bidders[n].id));
        match category {
            "land" | "property" => {
                let starting = estimate - estimate % 1_000_000;
                let deposit = starting / 5 - (starting / 5) % 100;
                let (start, listing_body_extra) = if category == "land" {
                    ("2026-09-22T09:00:00+08:00", json!({}))
                } else {
                    ("2026-10-12T09:00:00+08:00", json!({"appraisal": yuan(starting)}))
                };
                let mut listing = json!({"section_id": section, "starting_price": yuan(starting), "increment": "10000.00",
                    "deposit": yuan(deposit), "listing_start": start, "listing_end": "2026-10-20T15:00:00+08:00",
                    "place": "密云区公共资源交易中心网上交易系统", "documents": [{"title": "挂牌文件", "sha256": SHA}]});
                if let (Some(target), Some(extra)) = (listing.as_object_mut(), listing_body_extra.as_object()) {
                    target.extend(extra.clone());
                }
                let listing = p.id(&format!("/api/v1/projects/{project_id}/listings"), &token, &listing)?;
                ids.entry("listings").or_default().push(listing.clone());
                let quoting = chosen[..2].to_vec();
                for &n in &quoting {
                    let bond = p.post(
                        &format!("/api/v1/sections/{section}/bonds"),
                        &bidder_token(n)?,
                        &json!({"form": "transfer", "amount": yuan(deposit),
                                "payer_account": {"bank": "中国银行", "number": format!("6222{n:06}"), "is_basic_account": true}}),
                    )?;
                    note(&mut ids, "bonds", &bond);
                }
                listed.push(Listed {
                    listing,
                    section: section.clone(),
                    land: category == "land",
                    bidders: quoting,
                    starting,
                });
            }
            _ => {
                let bond = estimate / 100;
                let announced = p.post(
                    &format!("/api/v1/projects/{project_id}/announcements"),
                    &token,
                    &json!({"bid_deadline": "2026-09-22T02:00:00Z", "opening_place": "开标一室",
                            "documents": [{"title": "招标文件", "sha256": SHA}],
                            "sections": [{"section_id": section, "bond_amount": yuan(bond)}]}),
                )?;
                note(&mut ids, "announcements", &announced);
                if corrected.is_none() {
                    corrected = announced["id"].as_str().map(|id| (tenderer.clone(), id.to_owned()));
                }
                let mut bids = Vec::new();
                let mut sealed = Vec::new();
                for &n in &chosen {
                    let form = if category == "procurement" { "cheque" } else { "transfer" };
                    let bond = p.post(
                        &format!("/api/v1/sections/{section}/bonds"),
                        &bidder_token(n)?,
                        &json!({"form": form, "amount": yuan(bond),
                                "payer_account": {"bank": "中国工商银行", "number": format!("0200{n:06}"), "is_basic_account": true}}),
                    )?;
                    note(&mut ids, "bonds", &bond);
                    let price = estimate - estimate / 100 * (2 + rng.below(12));
                    let bid = place_bid(&p, &section, &bidders, n, price)?;
                    ids.entry("bids").or_default().push(bid.bid.clone());
                    sealed.push(bid);
                    bids.push((n, price));
                }
                tenders.push(Tender {
                    project: project_id,
                    section,
                    tenderer,
                    category,
                    bids,
                    sealed,
                    candidates: Vec::new(),
                });
            }
        }
    }

    // A correction (the opening room moves); two more tenders, one terminated and one that
    // fails: three bid, one of them never decrypts its bid, two are too few to open.
    if let Some((tenderer, announcement)) = &corrected {
        p.post(
            &format!("/api/v1/announcements/{announcement}/corrections"),
            &p.token(Role::Tenderer, Some(tenderer))?,
            &json!({"affects_preparation": false, "opening_place": "开标二室", "summary": "开标地点改为开标二室"}),
        )?;
    }
    let mut failing = None;
    for (n, name) in ["密云区某道路工程（已终止）", "密云区某桥梁工程（流标）"].iter().enumerate()
    {
        let tenderer = tenderers[n % tenderers.len()].clone();
        let token = p.token(Role::Tenderer, Some(&tenderer))?;
        let project = p.post(
            "/api/v1/projects",
            &token,
            &json!({"name": name, "tenderer_id": tenderer, "category": "construction", "subtype": "works",
                "sector": "transport", "funding": "state_funded", "legally_required_tendering": true,
                "sections": [{"name": "一标段", "estimated_amount": "900000.00"}],
                "approval_documents": [{"title": "立项批复", "number": format!("密发改〔2026〕{}号", 90 + n), "sha256": SHA}],
                "registration_form": {"contact_name": "赵六", "contact_phone": "010-69000000", "sha256": SHA}}),
        )?;
        let project_id = project["id"].as_str().context("project id")?.to_owned();
        let section = project["sections"][0]["id"].as_str().context("section id")?.to_owned();
        note(&mut ids, "projects", &project);
        note(&mut ids, "sections", &project["sections"][0]);
        p.post(
            &format!("/api/v1/projects/{project_id}/announcements"),
            &token,
            &json!({"bid_deadline": "2026-09-22T02:00:00Z", "opening_place": "开标一室",
                    "documents": [{"title": "招标文件", "sha256": SHA}],
                    "sections": [{"section_id": section, "bond_amount": "9000.00"}]}),
        )?;
        if n == 0 {
            p.post(&format!("/api/v1/projects/{project_id}/termination"), &token, &json!({"reason": "项目取消"}))?;
            continue;
        }
        let mut sealed = Vec::new();
        for (k, n) in [pool - 1, pool - 2, pool - 3].into_iter().enumerate() {
            p.post(
                &format!("/api/v1/sections/{section}/bonds"),
                &p.token(Role::Bidder, Some(&bidders[n].id))?,
                &json!({"form": "transfer", "amount": "9000.00",
                        "payer_account": {"bank": "中国建设银行", "number": format!("1100{n:06}"), "is_basic_account": true}}),
            )?;
            let bid = place_bid(&p, &section, &bidders, n, 88_000_000 - 1_000_000 * k as u64)?;
            ids.entry("bids").or_default().push(bid.bid.clone());
            sealed.push(bid);
        }
        failing = Some((tenderer, section, sealed));
    }

    // 2026-09-22 10:00: decryption windows, each bidder decrypting its bid, openings, drawn
    // committees, scores, evaluation reports; land quotes. In the failing tender the last
    // bidder does not decrypt.
    p.at("2026-09-22T10:00:00+08:00")?;
    if let Some((tenderer, section, sealed)) = &failing {
        let silent: Vec<usize> = sealed.last().map(|b| b.bidder).into_iter().collect();
        decrypt(&p, section, &p.token(Role::Tenderer, Some(tenderer))?, &bidders, sealed, &silent)?;
    }
    let centre = p.token(Role::CentreStaff, Some("centre"))?;
    let mut committees: Vec<(String, Vec<String>)> = Vec::new();
    for tender in &mut tenders {
        let tenderer = p.token(Role::Tenderer, Some(&tender.tenderer))?;
        // Every bid decrypted, the opening record is made at once.
        decrypt(&p, &tender.section, &tenderer, &bidders, &tender.sealed, &[])?;
        p.post(&format!("/api/v1/sections/{}/opening", tender.section), &tenderer, &json!({"witness_id": witness}))?;
        let draw = p.post(
            &format!("/api/v1/sections/{}/expert-draws", tender.section),
            &centre,
            &json!({"specialty": "building", "size": 5}),
        )?;
        note(&mut ids, "expert-draws", &draw);
        let committee: Vec<String> = draw["committee"]
            .as_array()
            .context("committee")?
            .iter()
            .filter_map(|e| e.as_str().map(str::to_owned))
            .collect();
        committees.push((tender.section.clone(), committee.clone()));
        let scores: Vec<(usize, u64)> = tender.bids.iter().map(|(n, _)| (*n, 7000 + rng.below(2500))).collect();
        for member in &committee {
            let sheet: Vec<Value> = scores
                .iter()
                .map(|(n, base)| json!({"bidder_id": bidders[*n].id, "score": yuan(base + rng.below(200))}))
                .collect();
            p.post(
                &format!("/api/v1/sections/{}/scores", tender.section),
                &p.token(Role::Expert, Some(member))?,
                &json!({"scores": sheet}),
            )?;
        }
        let report = p.post(&format!("/api/v1/sections/{}/evaluation-report", tender.section), &centre, &json!({}))?;
        tender.candidates = report["candidates"]
            .as_array()
            .map(|c| c.iter().filter_map(|c| c["bidder_id"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
    }
    // A losing bidder objects to the first construction result; the tenderer answers later.
    let objection = match tenders.iter().find(|t| t.category == "construction") {
        Some(tender) => {
            let (objector, _) = tender.bids.last().context("bids")?;
            Some(p.id(
                &format!("/api/v1/projects/{}/objections", tender.project),
                &p.token(Role::Bidder, Some(&bidders[*objector].id))?,
                &json!({"stage": "evaluation_result", "section_id": tender.section, "content": "第一中标候选人的类似业绩存疑"}),
            )?)
        }
        None => None,
    };
    ids.insert("objections", objection.iter().cloned().collect());
    for listing in listed.iter().filter(|l| l.land) {
        let bidder = p.token(Role::Bidder, Some(&bidders[listing.bidders[0]].id))?;
        p.post(
            &format!("/api/v1/listings/{}/quotes", listing.listing),
            &bidder,
            &json!({"price": yuan(listing.starting)}),
        )?;
    }

    // 2026-09-22 10:31: the failing tender's window (30 minutes) has closed; the bid not
    // decrypted is revoked (电子招标投标办法 §31) and the two left are too few to open.
    p.at("2026-09-22T10:31:00+08:00")?;
    let mut revoked = 0;
    if let Some((tenderer, section, _)) = &failing {
        let record = p.post(
            &format!("/api/v1/sections/{section}/opening"),
            &p.token(Role::Tenderer, Some(tenderer))?,
            &json!({"witness_id": witness}),
        )?;
        let not_opened = record["not_opened"].as_array().map(Vec::as_slice).unwrap_or_default();
        revoked = not_opened.iter().filter(|b| b["outcome"] == "revoked").count();
        anyhow::ensure!(
            record["outcome"] == "failed" && record["bid_count"] == 2 && revoked == 1 && not_opened.len() == 1,
            "the failing tender's opening: {record}"
        );
    }

    // 2026-09-29 09:00: after the candidates' publicity, the objection answered, awards and
    // contracts.
    p.at("2026-09-29T09:00:00+08:00")?;
    if let (Some(objection), Some(tender)) = (objection, tenders.iter().find(|t| t.category == "construction")) {
        p.post(
            &format!("/api/v1/objections/{objection}/answer"),
            &p.token(Role::Tenderer, Some(&tender.tenderer))?,
            &json!({"answer": "经核查，业绩证明材料真实有效"}),
        )?;
    }
    let mut contracts = 0;
    let mut unawarded = Vec::new();
    for tender in &tenders {
        let tenderer = p.token(Role::Tenderer, Some(&tender.tenderer))?;
        let Some(winner) = tender.candidates.first() else { continue };
        let award =
            p.post(&format!("/api/v1/sections/{}/award", tender.section), &tenderer, &json!({"winner_id": winner}));
        if let Err(error) = award {
            unawarded.push(format!("{} {}: {error:#}", tender.category, tender.section));
            continue;
        }
        let price = tender.bids.iter().find(|(n, _)| &bidders[*n].id == winner).map(|(_, price)| *price).unwrap_or(0);
        p.post(
            &format!("/api/v1/sections/{}/contract", tender.section),
            &tenderer,
            &json!({"amount": yuan(price), "sha256": SHA}),
        )?;
        contracts += 1;
    }

    // 2026-10-12 10:00: both bidders of every listing quote, one increment (10,000 yuan)
    // and two above the starting price.
    p.at("2026-10-12T10:00:00+08:00")?;
    for listing in &listed {
        for (step, n) in listing.bidders.iter().enumerate() {
            let bidder = p.token(Role::Bidder, Some(&bidders[*n].id))?;
            let price = listing.starting + 1_000_000 * (step as u64 + 1);
            p.post(&format!("/api/v1/listings/{}/quotes", listing.listing), &bidder, &json!({"price": yuan(price)}))?;
        }
    }

    // 2026-10-20 15:00: listings close; two bidders each send a listing to auction.
    p.at("2026-10-20T15:00:00+08:00")?;
    let centre = p.token(Role::CentreStaff, Some("centre"))?;
    for listing in &listed {
        p.post(&format!("/api/v1/listings/{}/close", listing.listing), &centre, &json!({}))?;
    }
    p.at("2026-10-20T15:03:00+08:00")?;
    for listing in &listed {
        let first = p.token(Role::Bidder, Some(&bidders[listing.bidders[0]].id))?;
        p.post(
            &format!("/api/v1/listings/{}/quotes", listing.listing),
            &first,
            &json!({"price": yuan(listing.starting + 3_000_000)}),
        )?;
    }
    p.at("2026-10-20T15:08:00+08:00")?;
    let centre = p.token(Role::CentreStaff, Some("centre"))?;
    let mut listings_sold = 0;
    for listing in &listed {
        let closed = p.post(&format!("/api/v1/listings/{}/close", listing.listing), &centre, &json!({}))?;
        if let Some(winner) = closed["result"]["winner_id"].as_str() {
            p.post(
                &format!("/api/v1/listings/{}/confirmation", listing.listing),
                &p.token(Role::Bidder, Some(winner))?,
                &json!({}),
            )?;
            listings_sold += 1;
        }
    }
    let screens = {
        let failing = failing.as_ref().map(|(_, section, sealed)| {
            let silent = sealed.last().map(|b| b.bidder);
            let standing: Vec<usize> = sealed.iter().map(|b| b.bidder).filter(|n| Some(*n) != silent).collect();
            (section.clone(), sealed.iter().map(|b| b.bidder).collect::<Vec<_>>(), standing)
        });
        let world = screens::World {
            bidders: bidders.iter().map(|b| b.id.clone()).collect(),
            tenderers: tenderers.clone(),
            experts: experts.clone(),
            tenders: tenders.iter().map(|t| (t.section.clone(), t.bids.iter().map(|(n, _)| *n).collect())).collect(),
            listings: listed.iter().map(|l| (l.section.clone(), l.bidders.clone())).collect(),
            failing,
            committees: committees.clone(),
            projects: options.projects + 2,
        };
        screens::walk(&p, &world)?
    };
    let (mut ocds, ocids) = check_ocds(root, &p)?;
    ids.insert("ocid", ocids);
    p.stop();
    ocds.push_str(&check_ocds_export(root, &p)?);
    // The district must hold together: every audit chain and the bond ledger verify.
    for check in [["audit", "verify"], ["ledger", "verify"]] {
        let verified = p.command().env("GGZY_LOG", "error").args(check).stdout(Stdio::null()).status()?;
        anyhow::ensure!(verified.success(), "`ggzy {}` failed on the seeded district", check.join(" "));
    }
    let sealed = tenders.iter().map(|t| t.sealed.len()).sum::<usize>() + failing.as_ref().map_or(0, |f| f.2.len());
    println!(
        "seeded {} in {:.1} s (seed {}): {} projects, {} contracts, {} listings sold, {} bidders, {} experts; \
         {sealed} bids sealed by their bidders, {revoked} revoked for want of decryption; \
         audit chains and ledger verify; {screens}; {ocds}",
        options.data.display(),
        started.elapsed().as_secs_f64(),
        options.seed,
        options.projects,
        contracts,
        listings_sold,
        bidders.len(),
        experts.len()
    );
    for line in &unawarded {
        println!("  not awarded: {line}");
    }
    ids.insert("participants", [&tenderers, &agencies].into_iter().flatten().cloned().collect());
    ids.entry("participants").or_default().extend(bidders.iter().map(|b| b.id.clone()));
    ids.insert("persons", bidders.iter().map(|b| b.manager.clone()).collect());
    ids.insert("experts", experts.clone());
    ids.insert("departments", vec!["centre".to_owned()]);
    Ok(District { tenderers, agencies, bidders: bidders.into_iter().map(|b| b.id).collect(), experts, ids })
}

/// Reads every OCDS answer of the running district (the release feed page by page, each
/// process's release package and record) and checks each against the OCDS 1.1.5 schemas and
/// codelists at ../shared/ocds/1.1.5; fails on any problem. Without the schemas it says so,
/// and fails in CI.
fn check_ocds(root: &Path, p: &Platform) -> anyhow::Result<(String, Vec<String>)> {
    let dir = root.join("../shared/ocds/1.1.5");
    if !dir.join("release-schema.json").exists() {
        anyhow::ensure!(std::env::var_os("CI").is_none(), "the OCDS 1.1.5 schemas are missing at {}", dir.display());
        return Ok((format!("OCDS output NOT checked (no schemas at {})", dir.display()), Vec::new()));
    }
    let standard = ggzy_ocds::validate::Standard::load(&dir).map_err(|e| anyhow::anyhow!(e))?;
    let mut packages = Vec::new();
    let mut ocids = std::collections::BTreeSet::new();
    let mut after = 0_u64;
    loop {
        let path = format!("/api/v1/ocds/releases?limit=200&after={after}");
        let (status, page) = p.get(&path)?;
        if status == 204 {
            break;
        }
        anyhow::ensure!(status == 200, "GET {path}: {status} {page}");
        for release in page["releases"].as_array().into_iter().flatten() {
            ocids.insert(release["ocid"].as_str().unwrap_or_default().to_owned());
        }
        let next = page["links"]["next"].as_str().unwrap_or_default();
        after = next.split("after=").nth(1).and_then(|t| t.split('&').next()).and_then(|t| t.parse().ok()).unwrap_or(0);
        packages.push((path, page));
    }
    let releases: usize = packages.iter().map(|(_, page)| page["releases"].as_array().map_or(0, Vec::len)).sum();
    for ocid in &ocids {
        for route in ["releases", "records"] {
            let path = format!("/api/v1/ocds/{route}/{ocid}");
            let (status, package) = p.get(&path)?;
            anyhow::ensure!(status == 200, "GET {path}: {status} {package}");
            packages.push((path, package));
        }
    }
    let problems: Vec<String> = packages
        .iter()
        .flat_map(|(path, package)| standard.problems(package).into_iter().map(move |e| format!("{path}: {e}")))
        .collect();
    anyhow::ensure!(problems.is_empty(), "{} OCDS problems:\n{}", problems.len(), problems.join("\n"));
    let summary = format!(
        "OCDS valid: {releases} releases of {} processes in {} packages and records",
        ocids.len(),
        packages.len()
    );
    Ok((summary, ocids.into_iter().collect()))
}

/// `ggzy ocds export` on the stopped district: the package form checked like the routes'
/// answers, the JSON Lines form one release per line, the same count.
fn check_ocds_export(root: &Path, p: &Platform) -> anyhow::Result<String> {
    let dir = root.join("../shared/ocds/1.1.5");
    let mut counts = Vec::new();
    for (file, lines) in [("ocds-releases.json", false), ("ocds-releases.jsonl", true)] {
        let out = p.data.join(file);
        let mut command = p.command();
        command.env("GGZY_LOG", "error").args(["ocds", "export", "--out"]).arg(&out);
        if lines {
            command.arg("--lines");
        }
        anyhow::ensure!(command.stdout(Stdio::null()).status()?.success(), "`ggzy ocds export` failed");
        let text = std::fs::read_to_string(&out)?;
        if lines {
            let releases = text.lines().map(serde_json::from_str::<Value>).collect::<Result<Vec<_>, _>>()?;
            anyhow::ensure!(releases.iter().all(|r| r["ocid"].is_string()), "a line of {file} is not a release");
            counts.push(releases.len());
        } else {
            let package: Value = serde_json::from_str(&text)?;
            if dir.join("release-schema.json").exists() {
                let standard = ggzy_ocds::validate::Standard::load(&dir).map_err(|e| anyhow::anyhow!(e))?;
                let problems = standard.problems(&package);
                anyhow::ensure!(problems.is_empty(), "{file}: {}", problems.join("\n"));
            }
            counts.push(package["releases"].as_array().map_or(0, Vec::len));
        }
    }
    anyhow::ensure!(counts[0] == counts[1] && counts[0] > 0, "the two exports differ: {counts:?}");
    Ok(format!("; `ggzy ocds export` wrote the {} releases both ways", counts[0]))
}

/// Seeds `data/demo` afresh and serves it with the real clock until interrupted.
#[allow(clippy::print_stdout)]
pub fn demo(root: &Path, options: &Options) -> anyhow::Result<bool> {
    if options.data.exists() {
        std::fs::remove_dir_all(&options.data).with_context(|| format!("clearing {}", options.data.display()))?;
    }
    let district = seed(root, options)?;
    let secret = ggzy_gateway::config::secret_in_data_dir(&options.data, "jwt-secret")?;
    let tokens = TokenAuthority::new(&secret, "ggzy".into(), "ggzy".into());
    let now = Utc::now();
    let mint = |role: Role, org: Option<&str>| -> anyhow::Result<String> {
        let principal =
            Principal { subject: "demo".into(), role, org: org.map(str::to_owned), scopes: vec![], request_key: None };
        tokens.issue(&principal, now, 12 * 3600)
    };
    let listen = std::env::var("GGZY_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    println!("\nggzy demo on http://{listen} — Swagger UI: http://{listen}/swagger-ui/ (tokens valid 12 hours)\n");
    let roles: [(&str, Role, Option<&str>); 8] = [
        ("centre staff (centre)", Role::CentreStaff, Some("centre")),
        ("tenderer", Role::Tenderer, district.tenderers.first().map(String::as_str)),
        ("bidder (has a credit record)", Role::Bidder, district.bidders.first().map(String::as_str)),
        ("expert", Role::Expert, district.experts.first().map(String::as_str)),
        ("industry regulator (住建委 zjw)", Role::IndustryRegulator, Some("zjw")),
        ("comprehensive regulator (公管办)", Role::ComprehensiveRegulator, Some("gongguanban")),
        ("inspector (纪检监察 jijian)", Role::Inspector, Some("jijian")),
        ("platform admin", Role::PlatformAdmin, None),
    ];
    for (what, role, org) in roles {
        println!("{what}{}:\n  {}\n", org.map(|o| format!(" — {o}")).unwrap_or_default(), mint(role, org)?);
    }
    let mut serve = Command::new(binary(root)?);
    serve.arg("serve").env("GGZY_DATA_DIR", &options.data).env("GGZY_LISTEN", &listen);
    if let Some(url) = &options.database_url {
        serve.env("GGZY_DATABASE_URL", url);
    }
    let mut child = serve.spawn().context("starting ggzy")?;
    Ok(child.wait()?.success())
}
