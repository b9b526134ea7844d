//! `ggzy backup`, `ggzy restore` and `ggzy verify --against`: online copies with a manifest
//! taken from the same snapshot, restored only into an empty database and checked against
//! that manifest (chain heads, ledger, schema version) with the audit chains and ledger
//! verified. SQLite is copied with `VACUUM INTO`; PostgreSQL with `pg_dump` on the
//! snapshot the manifest was read in, and restored with `pg_restore`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, ensure, Context};
use ggzy_service::backup::{BackupManifest, ManifestCheck, MANIFEST_FORMAT};
use ggzy_service::{Platform, ServiceError};
use ggzy_store::{Backend, Store, StoreConfig};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// Where a backup's manifest goes: beside it, `<file>.manifest.json`.
pub fn manifest_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// A PostgreSQL URL without its password, and the password: given to `pg_dump` and
/// `pg_restore` through `PGPASSWORD`, so that it never shows in the process list.
fn without_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), None) };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((credentials, host)) = authority.rsplit_once('@') else { return (url.to_owned(), None) };
    match credentials.split_once(':') {
        Some((user, password)) => (format!("{scheme}://{user}@{host}{tail}"), Some(password.to_owned())),
        None => (url.to_owned(), None),
    }
}

/// A backup file readable by its owner only, on disk before the manifest names it.
fn seal_file(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut digest = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        digest.update(&buffer[..read]);
    }
    Ok(hex::encode(digest.finalize()))
}

/// A platform for reading and checking only: no keys are needed or made.
fn checking_platform(config: &Config, store: Store) -> Platform {
    Platform::new(store, crate::server::clock(config), Vec::new())
}

fn open(url: &str) -> anyhow::Result<Store> {
    Ok(Store::open(&StoreConfig::new(url.to_owned()))?)
}

fn service(error: ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// `ggzy backup --out FILE`: never overwrites; prints what it wrote as JSON.
pub fn backup(out: &Path) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let manifest_file = manifest_path(out);
    for path in [out, manifest_file.as_path()] {
        ensure!(!path.exists(), "{} exists: a backup never overwrites a file", path.display());
    }
    let store = open(&config.database_url)?;
    let mut manifest = match store.backend() {
        Backend::Sqlite => {
            store.copy_sqlite_into(out).context("copying the database (VACUUM INTO)")?;
            // Read from the copy itself: the manifest describes exactly what it holds.
            let copy = open(&format!("sqlite://{}", out.display()))?;
            checking_platform(&config, copy).backup_manifest(|_| Ok(())).map_err(service)?
        }
        Backend::Postgres => {
            let (url, password) = without_password(&config.database_url);
            checking_platform(&config, store)
                .backup_manifest(|snapshot| {
                    let snapshot = snapshot.ok_or_else(|| ServiceError::Internal("no snapshot to dump".into()))?;
                    let mut dump = Command::new("pg_dump");
                    if let Some(password) = &password {
                        dump.env("PGPASSWORD", password);
                    }
                    let status = dump
                        .arg(format!("--snapshot={snapshot}"))
                        .args(["--format=custom", "--no-owner", "--file"])
                        .arg(out)
                        .arg(format!("--dbname={url}"))
                        .status()
                        .map_err(|e| ServiceError::Internal(format!("running pg_dump: {e}")))?;
                    if status.success() {
                        Ok(())
                    } else {
                        Err(ServiceError::Internal(format!("pg_dump failed ({status})")))
                    }
                })
                .map_err(service)?
        }
    };
    seal_file(out)?;
    manifest.file = out.file_name().map(|n| n.to_string_lossy().into_owned());
    manifest.file_sha256 = Some(sha256_of(out)?);
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&manifest_file)
    }
    .with_context(|| format!("writing {}", manifest_file.display()))?;
    file.write_all(serde_json::to_string_pretty(&manifest)?.as_bytes())?;
    file.sync_all()?;
    writeln!(
        std::io::stdout(),
        "{}",
        serde_json::json!({
            "backup": out, "manifest": manifest_file, "backend": manifest.backend,
            "chains": manifest.chains.len(), "ledger_accounts": manifest.ledger.accounts,
            "sha256": manifest.file_sha256,
        })
    )?;
    Ok(())
}

fn read_manifest(path: &Path) -> anyhow::Result<BackupManifest> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: BackupManifest =
        serde_json::from_str(&text).with_context(|| format!("{} is not a backup manifest", path.display()))?;
    ensure!(manifest.format == MANIFEST_FORMAT, "{}: unknown format {}", path.display(), manifest.format);
    Ok(manifest)
}

/// Prints a check and turns it into the exit code: 0 when valid, 1 otherwise.
fn report(check: &ManifestCheck) -> anyhow::Result<ExitCode> {
    writeln!(std::io::stdout(), "{}", serde_json::to_string(check)?)?;
    if check.valid {
        return Ok(ExitCode::SUCCESS);
    }
    for difference in &check.differences {
        writeln!(std::io::stderr(), "ggzy: {difference}")?;
    }
    if let Some(bad) = &check.audit.first_bad_event {
        writeln!(std::io::stderr(), "ggzy: audit chain {} broken at position {}", bad.chain, bad.position)?;
    }
    for violation in &check.ledger.violations {
        writeln!(std::io::stderr(), "ggzy: ledger: {violation}")?;
    }
    Ok(ExitCode::from(1))
}

/// `ggzy restore FILE [--manifest M]` into GGZY_DATABASE_URL, which must be empty (a new
/// SQLite path, or a PostgreSQL database without tables); then the check.
pub fn restore(file: &Path, manifest: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    let manifest_file = manifest.map_or_else(|| manifest_path(file), Path::to_path_buf);
    let expected = read_manifest(&manifest_file)?;
    let sha256 = sha256_of(file)?;
    if expected.file_sha256.as_deref() != Some(sha256.as_str()) {
        bail!("{} does not match its manifest (sha256 {sha256}): not restored", file.display());
    }
    let url = config.database_url.clone();
    let sqlite = url.strip_prefix("sqlite://");
    match (sqlite, expected.backend.as_str()) {
        (Some(path), "sqlite") => {
            let target = PathBuf::from(path);
            for leftover in ["", "-wal", "-shm", "-journal"] {
                let mut name = target.as_os_str().to_owned();
                name.push(leftover);
                let path = PathBuf::from(name);
                ensure!(
                    !path.exists(),
                    "{} exists: stop the server and move the database and its -wal, -shm and -journal files away \
                     first (a restore never overwrites)",
                    path.display()
                );
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(file, &target).with_context(|| format!("copying into {}", target.display()))?;
            seal_file(&target)?;
        }
        (None, "postgres") => {
            let store = open(&url)?;
            let tables = store.read(ggzy_store::backup::table_count)?;
            ensure!(tables == 0, "the database has {tables} tables: a restore goes only into an empty database");
            drop(store);
            let (bare, password) = without_password(&url);
            let mut command = Command::new("pg_restore");
            if let Some(password) = &password {
                command.env("PGPASSWORD", password);
            }
            let status = command
                .args(["--no-owner", "--exit-on-error"])
                .arg(format!("--dbname={bare}"))
                .arg(file)
                .status()
                .context("running pg_restore")?;
            ensure!(status.success(), "pg_restore failed ({status})");
        }
        (_, backend) => bail!("the backup is of {backend}; GGZY_DATABASE_URL names another backend"),
    }
    let platform = checking_platform(&config, open(&url)?);
    report(&platform.check_against(&expected).map_err(service)?)
}

/// `ggzy verify --against MANIFEST`: the database at GGZY_DATABASE_URL checked against it.
pub fn verify_against(manifest: &Path) -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    let expected = read_manifest(manifest)?;
    let platform = checking_platform(&config, open(&config.database_url)?);
    report(&platform.check_against(&expected).map_err(service)?)
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_leave_the_url() {
        assert_eq!(
            without_password("postgres://ggzy:s3cr%40t@db:5432/ggzy?sslmode=require"),
            ("postgres://ggzy@db:5432/ggzy?sslmode=require".to_owned(), Some("s3cr%40t".to_owned()))
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/x"),
            ("postgres://postgres@127.0.0.1/x".to_owned(), None)
        );
        assert_eq!(without_password("postgres://h/x"), ("postgres://h/x".to_owned(), None));
    }
}
