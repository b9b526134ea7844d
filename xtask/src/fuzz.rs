//! `cargo xtask fuzz [EXAMPLES]`: API fuzzing with schemathesis (`pip install
//! schemathesis`) against the real binary on a seeded district (`cargo xtask seed`, ten
//! projects through every procedure, on SQLite), with a token of every role — the staff
//! roles and a tenderer, a bidder, an expert and an agent of the seeded district — so that
//! lists, records and views are answered with data in them: every operation of the served
//! OpenAPI document, every check (server errors, status codes, content types, response
//! schemas, negative and positive data, missing headers, undeclared methods …), configured
//! by `schemathesis.toml`, from a fixed seed so that a run can be repeated.
//!
//! The phases are examples, coverage, fuzzing and stateful. The server's clock stands still
//! at `scene::AT`, after the seed's last step. The document fuzzed is the served one with the
//! seeded district's ids (projects, sections, bids, bonds, listings …) as examples of the
//! parameters that take them, so that generated calls reach real records, and with one
//! valid call of each operation the scene (`fuzz/scene.rs`) staged a record for — a project
//! to announce, an open tender, complaints at each stage … — so that the state-changing
//! operations are reached and not only refused; the stateful phase follows the document's
//! links from each create to the operations that use what it created. At the end a table
//! gives, per operation, the calls made (all roles) and how many were answered 2xx, and the
//! share of operations with at least one 2xx. Exit 1 when any run finds a failure, a scene
//! step fails, or fewer than 80% of the operations reached a 2xx. `--stage-only` stops after
//! the scene and plays each of its calls once as its caller, to show that it succeeds.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use ggzy_service::{Principal, Role};
use serde_json::{json, Value};

mod scene;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The projects the fuzzed district is seeded with.
const PROJECTS: usize = 10;

/// The share of operations that should see a 2xx.
const GOAL: f64 = 0.8;

/// Every phase. The coverage phase (boundaries and negative values of every parameter, as
/// many cases whatever EXAMPLES says) takes most of a run's time; `--short` runs it for the
/// first role only, whose token reaches the most operations.
const PHASES: &str = "examples,coverage,fuzzing,stateful";

/// The seeded ids given as examples of one parameter: a few keep the examples phase short.
const EXAMPLES_PER_PARAMETER: usize = 3;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

#[allow(clippy::print_stdout)]
pub fn run(root: &Path, examples: u32, short: bool, stage_only: bool) -> anyhow::Result<bool> {
    if Command::new("st").arg("--version").stdout(Stdio::null()).status().is_err() {
        anyhow::bail!("schemathesis is not installed: pip install schemathesis");
    }
    let started = Instant::now();
    let data = std::env::temp_dir().join(format!("ggzy-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let district = crate::seed::seed(
        root,
        &crate::seed::Options { projects: PROJECTS, seed: 1, data: data.clone(), database_url: None },
    )?;
    let binary = crate::seed::binary(root)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Running(
        Command::new(&binary)
            .arg("serve")
            .env("GGZY_DATA_DIR", &data)
            .env("GGZY_LISTEN", format!("127.0.0.1:{port}"))
            .env("GGZY_CLOCK", format!("manual:{}", scene::AT))
            .env("GGZY_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting ggzy")?,
    );
    let waiting = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(waiting.elapsed() < Duration::from_secs(30), "ggzy did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The served document, with the district's ids as examples.
    let mut document: Value = reqwest::blocking::get(format!("{base}/api-docs/openapi.json"))
        .and_then(|r| r.error_for_status())
        .and_then(|r| r.json())
        .context("fetching the served OpenAPI document")?;
    let given = with_examples(&mut document, &district.ids);
    let secret = ggzy_gateway::config::secret_in_data_dir(&data, "jwt-secret")?;
    let tokens = ggzy_gateway::auth::TokenAuthority::new(&secret, "ggzy".into(), "ggzy".into());
    let staging = scene::Scene::new(base.clone(), &district, &tokens)?;
    let (staged, scene_failures) = scene::stage(&staging);
    let unknown = scene::give(&mut document, &staged);
    println!(
        "the scene gives {} operations a valid call on records in the state it needs",
        scene::describe(&staged).len()
    );
    for failure in scene_failures.iter().chain(&unknown) {
        println!("scene step failed: {failure}");
    }
    let scene_clean = scene_failures.is_empty() && unknown.is_empty();
    if stage_only {
        for (operation, count) in scene::describe(&staged) {
            println!("  {operation} ({count})");
        }
        let played = scene::play(&staging, &staged);
        for failure in &played {
            println!("example refused when played: {failure}");
        }
        println!("{} examples played, {} refused", staged.len(), played.len());
        drop(server);
        let _ = std::fs::remove_dir_all(&data);
        return Ok(scene_clean && played.is_empty());
    }
    for stream in without_streams(&mut document) {
        println!("left out: {stream} (a live stream answers until its client hangs up; tests/tests/blackbox/live.rs drives it)");
    }
    let fuzzed = data.join("openapi-fuzz.json");
    std::fs::write(&fuzzed, serde_json::to_vec_pretty(&document)?)?;
    println!("{given} parameters take the seeded district's ids as examples");

    let first = |ids: &[String]| ids.first().cloned();
    let roles: Vec<(Role, Option<String>)> = vec![
        (Role::CentreStaff, Some("centre".into())),
        (Role::IndustryRegulator, Some("zjw".into())),
        (Role::ComprehensiveRegulator, Some("gongguanban".into())),
        (Role::Inspector, Some("jijian".into())),
        (Role::PlatformAdmin, None),
        (Role::System, None),
        (Role::Tenderer, first(&district.tenderers)),
        (Role::Bidder, first(&district.bidders)),
        (Role::Expert, first(&district.experts)),
        (Role::Agent, first(&district.agencies)),
    ];
    let mut clean = scene_clean;
    let mut failed = Vec::new();
    let mut calls: Vec<(String, String, u16)> = Vec::new();
    for (n, (role, org)) in roles.into_iter().enumerate() {
        let principal = Principal { subject: "fuzz".into(), role, org: org.clone(), scopes: vec![], request_key: None };
        let token = tokens.issue(&principal, scene::at()?, 86_400)?;
        println!("== {role}{}", org.map(|o| format!(" ({o})")).unwrap_or_default());
        let har = data.join(format!("calls-{n}.har"));
        let status = Command::new("st")
            .arg("--config-file")
            .arg(root.join("schemathesis.toml"))
            .arg("run")
            .arg(&fuzzed)
            .args(["--url", &base, "--no-color", "--seed", "1"])
            .args(["--phases", if short && n > 0 { "examples,fuzzing,stateful" } else { PHASES }])
            .args(["--max-examples", &examples.to_string()])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--report", "har", "--report-har-path"])
            .arg(&har)
            .status()
            .context("running schemathesis")?;
        if !status.success() {
            clean = false;
            failed.push(role.to_string());
        }
        let recorded: Value = serde_json::from_slice(&std::fs::read(&har).with_context(|| har.display().to_string())?)
            .with_context(|| format!("reading {}", har.display()))?;
        for entry in recorded["log"]["entries"].as_array().into_iter().flatten() {
            let method = entry["request"]["method"].as_str().unwrap_or_default().to_owned();
            let url = entry["request"]["url"].as_str().unwrap_or_default().to_owned();
            let status = entry["response"]["status"].as_u64().unwrap_or(0) as u16;
            calls.push((method, url, status));
        }
    }
    drop(server);
    let coverage = Coverage::count(&document, &calls);
    print!("{}", coverage.table());
    let _ = std::fs::remove_dir_all(&data);
    println!("fuzzed in {:.0} s", started.elapsed().as_secs_f64());
    if !scene_clean {
        println!("the scene failed to stage what some operations need (above)");
    }
    if failed.is_empty() {
        println!("every check passed for every role");
    } else {
        println!("schemathesis found failures (above) for {}", failed.join(", "));
    }
    if coverage.share() < GOAL {
        println!("too few operations reached a 2xx (goal {:.0}%)", GOAL * 100.0);
        clean = false;
    }
    Ok(clean)
}

/// The collection whose ids a parameter named `name` takes; `previous` is the path segment
/// before a path parameter. `{id}` after `projects` takes project ids; `section_id` section
/// ids; the parties' ids (`bidder_id`, `tenderer_id` …) participant ids.
fn collection(name: &str, previous: Option<&str>) -> Option<String> {
    if name == "id" {
        return previous.map(str::to_owned);
    }
    if name == "ocid" {
        return Some(name.to_owned());
    }
    let stem = name.strip_suffix("_id")?;
    Some(match stem {
        "participant" | "bidder" | "tenderer" | "agency" | "winner" | "employer" | "contractor" => {
            "participants".into()
        }
        stem => format!("{stem}s"),
    })
}

/// Gives every path and query parameter that takes ids of a seeded collection those ids as
/// examples; returns how many parameters it gave examples.
/// Removes the operations that answer `text/event-stream` (schemathesis reads a whole body,
/// and a live stream has no end while its listing is open), and the links that lead to
/// them; answers them as `METHOD path`.
fn without_streams(document: &mut Value) -> Vec<String> {
    let mut removed = Vec::new();
    let mut removed_ids = Vec::new();
    let Some(paths) = document["paths"].as_object_mut() else { return removed };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let streams = item[method]["responses"]["200"]["content"].get("text/event-stream").is_some();
            if streams {
                if let Some(operation) = item.as_object_mut().and_then(|o| o.remove(method)) {
                    removed_ids.extend(operation["operationId"].as_str().map(str::to_owned));
                    removed.push(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    paths.retain(|_, item| item.as_object().is_some_and(|o| METHODS.iter().any(|m| o.contains_key(*m))));
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(responses) =
                item.get_mut(method).and_then(|o| o.get_mut("responses")).and_then(Value::as_object_mut)
            else {
                continue;
            };
            for response in responses.values_mut() {
                if let Some(links) = response.get_mut("links").and_then(Value::as_object_mut) {
                    links.retain(|_, link| {
                        !link["operationId"].as_str().is_some_and(|id| removed_ids.iter().any(|r| r == id))
                    });
                }
            }
        }
    }
    removed
}

fn with_examples(document: &mut Value, ids: &BTreeMap<&str, Vec<String>>) -> usize {
    let mut given = 0;
    let Some(paths) = document["paths"].as_object_mut() else { return 0 };
    for (path, item) in paths.iter_mut() {
        let segments: Vec<&str> = path.split('/').collect();
        for method in METHODS {
            let Some(parameters) = item.get_mut(method).and_then(|o| o.get_mut("parameters")) else { continue };
            for parameter in parameters.as_array_mut().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default().to_owned();
                let previous = match parameter["in"].as_str() {
                    Some("path") => {
                        let at = segments.iter().position(|s| *s == format!("{{{name}}}"));
                        at.and_then(|i| i.checked_sub(1)).map(|i| segments[i])
                    }
                    Some("query") => None,
                    _ => continue,
                };
                let Some(values) = collection(&name, previous).and_then(|c| ids.get(c.as_str())) else { continue };
                if values.is_empty() {
                    continue;
                }
                let examples: serde_json::Map<String, Value> = values
                    .iter()
                    .take(EXAMPLES_PER_PARAMETER)
                    .enumerate()
                    .map(|(n, v)| (format!("seeded-{n}"), json!({"value": v})))
                    .collect();
                parameter["examples"] = Value::Object(examples);
                given += 1;
            }
        }
    }
    given
}

/// Per operation of the document, the calls made and those answered 2xx.
struct Coverage {
    /// (path, method) → (calls, 2xx)
    operations: BTreeMap<(String, String), (usize, usize)>,
    /// Calls that match no operation (undeclared methods, unknown paths).
    other: usize,
}

impl Coverage {
    fn count(document: &Value, calls: &[(String, String, u16)]) -> Coverage {
        let mut operations = BTreeMap::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                operations.insert((path.clone(), method.to_uppercase()), (0, 0));
            }
        }
        let templates: Vec<(String, String, Vec<String>)> =
            operations.keys().map(|(p, m)| (p.clone(), m.clone(), p.split('/').map(str::to_owned).collect())).collect();
        let mut other = 0;
        for (method, url, status) in calls {
            let path = url.split("://").nth(1).and_then(|rest| rest.find('/').map(|i| &rest[i..])).unwrap_or(url);
            let path = path.split(['?', '#']).next().unwrap_or(path);
            let segments: Vec<&str> = path.split('/').collect();
            // The operation whose template matches with the most literal segments.
            let matched = templates
                .iter()
                .filter(|(_, m, t)| m == method && t.len() == segments.len())
                .filter(|(_, _, t)| t.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s))
                .max_by_key(|(_, _, t)| t.iter().filter(|s| !s.starts_with('{')).count());
            match matched.and_then(|(p, m, _)| operations.get_mut(&(p.clone(), m.clone()))) {
                Some((made, ok)) => {
                    *made += 1;
                    *ok += usize::from((200..300).contains(status));
                }
                None => other += 1,
            }
        }
        Coverage { operations, other }
    }

    /// The share of operations with at least one 2xx.
    fn share(&self) -> f64 {
        let reached = self.operations.values().filter(|(_, ok)| *ok > 0).count();
        if self.operations.is_empty() {
            0.0
        } else {
            reached as f64 / self.operations.len() as f64
        }
    }

    fn table(&self) -> String {
        let mut out = String::from("\n  calls    2xx  operation\n");
        for ((path, method), (made, ok)) in &self.operations {
            let mark = if *ok == 0 { "  (no 2xx)" } else { "" };
            out.push_str(&format!("{made:>7} {ok:>6}  {method} {path}{mark}\n"));
        }
        let total = self.operations.len();
        let reached = self.operations.values().filter(|(_, ok)| *ok > 0).count();
        let made: usize = self.operations.values().map(|(m, _)| m).sum();
        let ok: usize = self.operations.values().map(|(_, o)| o).sum();
        let share = self.share();
        out.push_str(&format!(
            "{made:>7} {ok:>6}  in all ({} calls to no operation of the document)\n\
             {reached} of {total} operations reached a 2xx: {:.1}%, goal {:.0}% {}\n",
            self.other,
            share * 100.0,
            GOAL * 100.0,
            if share >= GOAL { "met" } else { "missed" }
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_count_against_the_operation_they_reach() {
        let document = json!({"paths": {
            "/api/v1/bonds/{id}": {"get": {}},
            "/api/v1/bonds/overdue": {"get": {}},
            "/api/v1/projects": {"get": {}, "post": {}},
        }});
        let calls = [
            ("GET", "http://127.0.0.1:1/api/v1/bonds/overdue?limit=2", 200),
            ("GET", "http://127.0.0.1:1/api/v1/bonds/b1", 404),
            ("GET", "http://127.0.0.1:1/api/v1/bonds/b2", 200),
            ("POST", "http://127.0.0.1:1/api/v1/projects", 422),
            ("DELETE", "http://127.0.0.1:1/api/v1/projects", 405),
        ]
        .map(|(m, u, s)| (m.to_owned(), u.to_owned(), s));
        let coverage = Coverage::count(&document, &calls);
        let at = |p: &str, m: &str| coverage.operations[&(p.to_owned(), m.to_owned())];
        assert_eq!(at("/api/v1/bonds/overdue", "GET"), (1, 1));
        assert_eq!(at("/api/v1/bonds/{id}", "GET"), (2, 1));
        assert_eq!(at("/api/v1/projects", "POST"), (1, 0));
        assert_eq!(at("/api/v1/projects", "GET"), (0, 0));
        assert_eq!(coverage.other, 1);
        assert!(coverage.table().contains("2 of 4 operations reached a 2xx: 50.0%, goal 80% missed"));
        assert_eq!(coverage.share(), 0.5);
    }

    #[test]
    fn seeded_ids_become_examples_of_the_parameters_that_take_them() {
        let mut document = json!({"paths": {
            "/api/v1/projects/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}]}},
            "/api/v1/bids": {"get": {"parameters": [{"name": "section_id", "in": "query"}, {"name": "limit", "in": "query"}]}},
            "/api/v1/projects/{id}/commissions/{commission_id}/agents":
                {"put": {"parameters": [{"name": "id", "in": "path"}, {"name": "commission_id", "in": "path"}]}},
        }});
        let ids =
            BTreeMap::from([("projects", vec!["p1".to_owned(), "p2".to_owned()]), ("sections", vec!["s1".to_owned()])]);
        assert_eq!(with_examples(&mut document, &ids), 3);
        let project = &document["paths"]["/api/v1/projects/{id}"]["get"]["parameters"][0];
        assert_eq!(project["examples"]["seeded-1"]["value"], "p2");
        assert_eq!(document["paths"]["/api/v1/bids"]["get"]["parameters"][0]["examples"]["seeded-0"]["value"], "s1");
        assert!(document["paths"]["/api/v1/bids"]["get"]["parameters"][1].get("examples").is_none());
        let agents = &document["paths"]["/api/v1/projects/{id}/commissions/{commission_id}/agents"]["put"];
        assert!(agents["parameters"][1].get("examples").is_none());
    }
}
