//! Developer tasks: `cargo xtask openapi [--check]` writes (or checks) api-spec/openapi.json
//! from the gateway's route table.

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

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask openapi [--check]");
    ExitCode::from(2)
}

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["openapi"] => openapi(false),
        ["openapi", "--check"] => openapi(true),
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
