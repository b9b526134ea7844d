//! `cargo xtask fuzz [EXAMPLES]`: API fuzzing with schemathesis (`pip install
//! schemathesis`) against the real binary on a fresh SQLite database, with a token of each
//! role: every operation of the served OpenAPI document, every check (server errors,
//! status codes, content types, response schemas, negative and positive data, missing
//! headers, undeclared methods …), configured by `schemathesis.toml`, from a fixed seed so
//! that a run can be repeated. Exit 1 when any run finds a failure.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

const ROLES: [(&str, Option<&str>); 6] = [
    ("centre_staff", Some("centre")),
    ("industry_regulator", Some("zjw")),
    ("comprehensive_regulator", Some("gongguanban")),
    ("inspector", Some("jijian")),
    ("platform_admin", None),
    ("system", None),
];

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[allow(clippy::print_stdout)]
pub fn run(root: &std::path::Path, examples: u32) -> anyhow::Result<bool> {
    if Command::new("st").arg("--version").stdout(Stdio::null()).status().is_err() {
        anyhow::bail!("schemathesis is not installed: pip install schemathesis");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--quiet", "--package", "ggzy-gateway", "--message-format", "short"])
        .status()
        .context("building ggzy")?;
    anyhow::ensure!(built.success(), "building ggzy failed");
    let target =
        std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| root.join("target"));
    let binary = target.join("debug/ggzy");
    let data = std::env::temp_dir().join(format!("ggzy-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
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
    let mut clean = true;
    for (role, org) in ROLES {
        let mut minted = Command::new(&binary);
        minted.env("GGZY_DATA_DIR", &data).args(["token", "--role", role, "--ttl", "86400"]);
        if let Some(org) = org {
            minted.args(["--org", org]);
        }
        let token = String::from_utf8(minted.output().context("minting a token")?.stdout)?.trim().to_owned();
        println!("== {role}");
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
