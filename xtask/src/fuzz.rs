//! `cargo xtask fuzz [EXAMPLES]`: API fuzzing with schemathesis (`pip install
//! schemathesis`) against the real binary on a seeded district (`cargo xtask seed`, ten
//! projects through every procedure, on SQLite), with a token of every role — the staff
//! roles and a tenderer, a bidder, an expert and an agent of the seeded district — so that
//! lists, records and views are answered with data in them: every operation of the served
//! OpenAPI document, every check (server errors, status codes, content types, response
//! schemas, negative and positive data, missing headers, undeclared methods …), configured
//! by `schemathesis.toml`, from a fixed seed so that a run can be repeated. Exit 1 when any
//! run finds a failure.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use ggzy_service::{Principal, Role};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The projects the fuzzed district is seeded with.
const PROJECTS: usize = 10;

#[allow(clippy::print_stdout)]
pub fn run(root: &std::path::Path, examples: u32) -> anyhow::Result<bool> {
    if Command::new("st").arg("--version").stdout(Stdio::null()).status().is_err() {
        anyhow::bail!("schemathesis is not installed: pip install schemathesis");
    }
    let data = std::env::temp_dir().join(format!("ggzy-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let district = crate::seed::seed(root, &crate::seed::Options { projects: PROJECTS, seed: 1, data: data.clone() })?;
    let binary = crate::seed::binary(root)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Running(
        Command::new(&binary)
            .arg("serve")
            .env("GGZY_DATA_DIR", &data)
            .env("GGZY_LISTEN", format!("127.0.0.1:{port}"))
            .env("GGZY_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting ggzy")?,
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "ggzy did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
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
    let secret = ggzy_gateway::config::secret_in_data_dir(&data, "jwt-secret")?;
    let tokens = ggzy_gateway::auth::TokenAuthority::new(&secret, "ggzy".into(), "ggzy".into());
    let mut clean = true;
    for (role, org) in roles {
        let principal = Principal { subject: "fuzz".into(), role, org: org.clone(), scopes: vec![], request_key: None };
        let token = tokens.issue(&principal, chrono::Utc::now(), 86_400)?;
        println!("== {role}{}", org.map(|o| format!(" ({o})")).unwrap_or_default());
        let status = Command::new("st")
            .arg("--config-file")
            .arg(root.join("schemathesis.toml"))
            .args(["run", &format!("{base}/api-docs/openapi.json"), "--no-color", "--seed", "1"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", &examples.to_string()])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .status()
            .context("running schemathesis")?;
        clean &= status.success();
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    println!("{}", if clean { "every check passed for every role" } else { "schemathesis found failures (above)" });
    Ok(clean)
}
