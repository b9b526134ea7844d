//! Developer tasks: `cargo xtask openapi [--check]` writes (or checks) api-spec/openapi.json
//! from the gateway's route table; `cargo xtask typescript` type-checks a client generated
//! from it (api-spec/typescript); `cargo xtask bench risk [BIDS…]` times the collusion risk
//! scan over synthetic histories (100,000 and 1,000,000 bids by default); `cargo xtask seed
//! --risk [--sections N] [--seed S]` generates a history with a ring of every indicator
//! planted among honest bidders and reports what the scan found (exit 1 on a miss or a
//! false alert). Both run the scan built with optimisations. `cargo xtask bench stats
//! [PROJECTS]` times the public statistics over a fresh PostgreSQL database filled with a
//! million projects (GGZY_BENCH_POSTGRES_URL, default the local server). `cargo xtask fuzz
//! [EXAMPLES] [--short]` runs schemathesis over every operation with a token of each role,
//! statefully too, and reports the operations that reached a 2xx; `cargo xtask crash [KILLS] [--db postgres|sqlite]` kills the server with SIGKILL under load on
//! PostgreSQL or the embedded SQLite (default 20 times) and checks that nothing acknowledged
//! is lost or doubled.

mod bench_stats;
mod crash;
mod fuzz;
mod outage;
mod seed;
mod soak;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

#[allow(clippy::print_stdout)]
fn openapi(check: bool) -> anyhow::Result<bool> {
    let path = repository_root().join("api-spec/openapi.json");
    let fresh = ggzy_gateway::openapi_json().context("serialising the OpenAPI document")?;
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != fresh {
            eprintln!("{} is stale: run `cargo xtask openapi` and commit the result", path.display());
            return Ok(false);
        }
        println!("{} is up to date", path.display());
        return Ok(true);
    }
    std::fs::create_dir_all(path.parent().unwrap_or(&path)).context("creating api-spec/")?;
    std::fs::write(&path, fresh).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(true)
}

/// Generates a TypeScript client's types from api-spec/openapi.json with openapi-typescript
/// and type-checks api-spec/typescript/check.ts against them: a misspelt closed value must
/// not compile. Needs Node.js and the npm registry.
fn typescript() -> anyhow::Result<bool> {
    let dir = repository_root().join("api-spec/typescript");
    let steps: [&[&str]; 3] = [
        &["npm", "install", "--no-audit", "--no-fund", "--silent"],
        &["npx", "openapi-typescript", "../openapi.json", "--output", "api.d.ts", "--silent"],
        &["npx", "tsc", "--project", "tsconfig.json"],
    ];
    for step in steps {
        let status = std::process::Command::new(step[0])
            .args(&step[1..])
            .current_dir(&dir)
            .status()
            .with_context(|| format!("running {}", step.join(" ")))?;
        if !status.success() {
            eprintln!("`{}` failed in {}", step.join(" "), dir.display());
            return Ok(false);
        }
    }
    eprintln!("the generated TypeScript client refuses every misspelt value of check.ts");
    Ok(true)
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask openapi [--check]\n       cargo xtask typescript\n       cargo xtask bench risk [BIDS…]\n       cargo xtask bench stats [PROJECTS]\n       cargo xtask bench api [--db postgres|sqlite] [--clients N] [--sections N] [--announcements N] [--requests N] [--pool N]\n       cargo xtask bench storm [--db postgres|sqlite] [--bidders N] [--sections N] [--clients N]\n       cargo xtask bench documents [--mib N] [--db sqlite|postgres]\n       cargo xtask bench search [--db postgres|sqlite] [--rows N] [--clients N] [--requests N] [--pool N]\n       cargo xtask fuzz [EXAMPLES] [--short] [--stage-only]\n       cargo xtask crash [KILLS] [--db postgres|sqlite]\n       cargo xtask outage [SECONDS]\n       cargo xtask soak [--minutes N] [--clients N]\n       cargo xtask seed --risk [--sections N] [--seed S]\n       cargo xtask seed [--projects N] [--seed S] [--data DIR] [--database-url URL]\n       cargo xtask demo [--projects N] [--seed S]"
    );
    ExitCode::from(2)
}

/// Runs the risk example of the oversight crate in release mode: timings in a debug build
/// would say nothing about the target.
fn risk_example(args: &[&str]) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(repository_root())
        .args(["run", "--release", "--quiet", "--package", "ggzy-oversight", "--example", "risk", "--"])
        .args(args)
        .status()
        .context("running the risk example")?;
    Ok(status.success())
}

/// Builds the binary and a load generator with optimisations and runs the generator, which
/// starts the binary itself (crates/gateway/examples/bench_api.rs, bench_storm.rs).
fn bench_gateway(example: &str, options: &[&str]) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(&cargo)
        .current_dir(repository_root())
        .args(["build", "--release", "--quiet", "--package", "ggzy-gateway", "--bin", "ggzy"])
        .status()
        .context("building the binary")?;
    if !built.success() {
        return Ok(false);
    }
    let status = std::process::Command::new(cargo)
        .current_dir(repository_root())
        .args(["run", "--release", "--quiet", "--package", "ggzy-gateway", "--example", example, "--"])
        .args(options)
        .status()
        .context("running the load generator")?;
    Ok(status.success())
}

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["openapi"] => openapi(false),
        ["openapi", "--check"] => openapi(true),
        ["typescript"] => typescript(),
        ["bench", "risk", sizes @ ..] => risk_example(&[&["bench"], sizes].concat()),
        ["bench", "stats"] => bench_stats::run(1_000_000),
        ["bench", "api", options @ ..] => bench_gateway("bench_api", options),
        ["bench", "storm", options @ ..] => bench_gateway("bench_storm", options),
        ["bench", "documents", options @ ..] => bench_gateway("bench_documents", options),
        ["bench", "search", options @ ..] => bench_gateway("bench_search", options),
        ["crash", rest @ ..] => {
            let mut kills = 20;
            let mut sqlite = false;
            let mut args = rest.iter();
            while let Some(arg) = args.next() {
                match (*arg, args.as_slice().first()) {
                    ("--db", Some(&"sqlite")) => {
                        sqlite = true;
                        args.next();
                    }
                    ("--db", Some(&"postgres")) => {
                        args.next();
                    }
                    (number, _) => match number.parse() {
                        Ok(n) => kills = n,
                        Err(_) => return usage(),
                    },
                }
            }
            crash::run(&repository_root(), kills, sqlite)
        }
        ["soak", rest @ ..] => {
            let (mut minutes, mut clients) = (10, 8);
            for pair in rest.chunks(2) {
                match (pair.first().copied(), pair.get(1).and_then(|v| v.parse().ok())) {
                    (Some("--minutes"), Some(n)) => minutes = n,
                    (Some("--clients"), Some(n)) => clients = n as usize,
                    _ => return usage(),
                }
            }
            soak::run(&repository_root(), minutes, clients)
        }
        ["outage"] => outage::run(&repository_root(), 30),
        ["outage", seconds] => match seconds.parse() {
            Ok(seconds) => outage::run(&repository_root(), seconds),
            Err(_) => return usage(),
        },
        ["fuzz", rest @ ..] => {
            let short = rest.contains(&"--short");
            let stage_only = rest.contains(&"--stage-only");
            if rest.iter().any(|a| a.starts_with("--") && !matches!(*a, "--short" | "--stage-only")) {
                return usage();
            }
            let numbers: Vec<&&str> = rest.iter().filter(|a| !a.starts_with("--")).collect();
            match numbers.as_slice() {
                [] => fuzz::run(&repository_root(), 100, short, stage_only),
                [examples] => match examples.parse() {
                    Ok(examples) => fuzz::run(&repository_root(), examples, short, stage_only),
                    Err(_) => return usage(),
                },
                _ => return usage(),
            }
        }
        ["bench", "stats", projects] => match projects.parse() {
            Ok(projects) => bench_stats::run(projects),
            Err(_) => return usage(),
        },
        ["seed", "--risk", options @ ..] => risk_example(&[&["seed"], options].concat()),
        ["seed", options @ ..] => {
            let root = repository_root();
            seed::Options::parse(options, &root.join("data/seed")).and_then(|o| seed::seed(&root, &o)).map(|_| true)
        }
        ["demo", options @ ..] => {
            let root = repository_root();
            seed::Options::parse(options, &root.join("data/demo")).and_then(|o| seed::demo(&root, &o))
        }
        _ => return usage(),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::from(2)
        }
    }
}
