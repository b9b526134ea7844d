//! The command line of the `ggzy` binary: `serve` (the default), `migrate`, `token`,
//! `audit verify`, `ledger verify`, `risk scan`, and the bidder's offline sealing tool
//! `bid keygen | seal | open-key` (crate ggzy-seal; no database, no server).

use std::io::Write;
use std::process::ExitCode;

use crate::config::Config;
use crate::server;
use anyhow::Context;
use clap::{Parser, Subcommand};
use ggzy_service::{Principal, Role};

#[derive(Debug, Parser)]
#[command(name = "ggzy", version, about = "公共资源交易平台 — district public resource trading platform")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the REST API (the default). Configuration comes from GGZY_* variables.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Mint a local HS256 token for development and print it (nothing else).
    Token {
        /// One of: tenderer, agent, bidder, expert, centre_staff, industry_regulator,
        /// comprehensive_regulator, inspector, platform_admin, system.
        #[arg(long)]
        role: String,
        /// The organisation the principal acts for: a participant id (tenderer, agent,
        /// bidder), a department id (centre_staff, regulators, inspector) or an expert id.
        #[arg(long)]
        org: Option<String>,
        /// Subject (user name); default "dev".
        #[arg(long, default_value = "dev")]
        sub: String,
        /// Lifetime in seconds; default 8 hours.
        #[arg(long, default_value_t = 28_800)]
        ttl: i64,
        /// Space-separated scopes: a service account's (`credit:read` …), or `bonds:desk` for the centre's bond desk.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Audit chain commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Bond ledger commands.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Collusion risk commands.
    Risk {
        #[command(subcommand)]
        command: RiskCommand,
    },
    /// Copy the database online, with a manifest (`FILE.manifest.json`) of its audit chain
    /// heads, ledger totals and schema version taken from the same snapshot: `VACUUM INTO`
    /// on SQLite, `pg_dump --snapshot` on PostgreSQL. Never overwrites.
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into GGZY_DATABASE_URL, which must be empty (a new SQLite file, or a
    /// PostgreSQL database without tables), then check it against its manifest and verify
    /// the audit chains and the ledger; exit 1 when anything differs.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// The manifest; default `FILE.manifest.json`.
        #[arg(long)]
        manifest: Option<std::path::PathBuf>,
    },
    /// Check the database against a backup manifest (after a restore done by hand, e.g.
    /// `pg_restore`): the same chain heads, ledger and schema, and every chain and the
    /// ledger verify; exit 1 when anything differs.
    Verify {
        #[arg(long)]
        against: std::path::PathBuf,
    },
    /// Key rotation.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Open Contracting Data Standard output.
    Ocds {
        #[command(subcommand)]
        command: OcdsCommand,
    },
    /// The bidder's sealing tool, offline: keys, envelopes, and the key revealed at the
    /// opening. Needs no database and no server.
    Bid {
        #[command(subcommand)]
        command: BidCommand,
    },
}

#[derive(Debug, Subcommand)]
enum BidCommand {
    /// Make a key file (keep it: it alone opens the bidder's envelopes) and print the public
    /// keys to register at POST /api/v1/participants/{id}/sealing-keys.
    Keygen {
        /// `hpke` (X25519, HKDF-SHA256, AES-256-GCM, Ed25519) or `sm` (SM2, SM3, SM4-GCM).
        #[arg(long)]
        suite: String,
        /// Where to write the key file (created, owner-only; never overwritten).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Seal a bid for a section and print the envelope (the body of a bid's `envelope`).
    Seal {
        /// The key file from `ggzy bid keygen`.
        #[arg(long)]
        key: std::path::PathBuf,
        #[arg(long)]
        section: String,
        /// The bidder's participant id.
        #[arg(long)]
        bidder: String,
        /// The price, a decimal string with at most two places.
        #[arg(long)]
        price: String,
        /// The project manager's person id.
        #[arg(long)]
        manager: String,
        /// A bid file as `TITLE=PATH`; repeat for more. Each is sealed under the bid's key
        /// into `PATH.sealed` (which must not exist), to hand in before the envelope:
        /// `POST /api/v1/documents?kind=sealed_bid_file&section_id=…&title=…&sha256=…`.
        #[arg(long = "file", required_unless_present = "documents")]
        files: Vec<String>,
        /// A bid document named by hash only, as `TITLE=SHA256`; repeat for more. Not with
        /// `--file`: a bid that carries files names exactly those files.
        #[arg(long = "document", conflicts_with = "files")]
        documents: Vec<String>,
        /// The device the bid was made on.
        #[arg(long, default_value = "ggzy-bid-tool")]
        device: String,
        /// The contact person's id.
        #[arg(long)]
        contact: Option<String>,
    },
    /// Print the content key of an envelope (recovered with the key file), as the body to
    /// submit at POST /api/v1/bids/{id}/decryption during the opening.
    OpenKey {
        #[arg(long)]
        key: std::path::PathBuf,
        /// The envelope file `ggzy bid seal` printed.
        #[arg(long)]
        envelope: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Re-wrap, in one transaction, every section key and sealed stored answer still under
    /// GGZY_BID_MASTER_KEY_PREVIOUS under GGZY_BID_MASTER_KEY; prints what it did as JSON.
    /// Changes nothing if anything opens under neither key.
    RotateBidMaster,
}

#[derive(Debug, Subcommand)]
enum OcdsCommand {
    /// Write every release of every contracting process for bulk publication: one OCDS
    /// release package, or with --lines one release per line (JSON Lines).
    Export {
        /// The file to write (replaced if it exists).
        #[arg(long)]
        out: std::path::PathBuf,
        /// JSON Lines: one release per line, for large volumes.
        #[arg(long)]
        lines: bool,
    },
}

#[derive(Debug, Subcommand)]
enum RiskCommand {
    /// Rescan every opened section and raise the alerts not raised before; prints what
    /// was scanned and found as JSON.
    Scan,
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// Recompute every balance from the transfers and check the invariants; exit 1 when
    /// any is violated.
    Verify,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every hash chain; exit 1 and name the first bad event if one fails.
    /// With --archive, check an exported project archive offline instead.
    Verify {
        /// A file written from GET /api/v1/projects/{id}/archive.
        #[arg(long)]
        archive: Option<std::path::PathBuf>,
    },
}

fn init_logging(to_stderr: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GGZY_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().json().flatten_event(true).with_current_span(true).with_env_filter(filter);
    if to_stderr {
        builder.with_writer(std::io::stderr).init();
    } else {
        builder.with_writer(std::io::stdout).init();
    }
}

/// Parses the arguments and runs the command; the exit code is 0 on success, 1 when
/// `audit verify` finds a bad event, 2 on any other failure.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            init_logging(false);
            Config::from_env().and_then(|config| actix_web::rt::System::new().block_on(server::serve(config)))
        }
        Command::Migrate => {
            init_logging(true);
            migrate()
        }
        Command::Token { role, org, sub, ttl, scope } => token(&role, org, sub, ttl, scope),
        Command::Audit { command: AuditCommand::Verify { archive: Some(file) } } => return archive_verify(&file),
        Command::Audit { command: AuditCommand::Verify { archive: None } } => {
            init_logging(true);
            return audit_verify();
        }
        Command::Ledger { command: LedgerCommand::Verify } => {
            init_logging(true);
            return ledger_verify();
        }
        Command::Risk { command: RiskCommand::Scan } => {
            init_logging(true);
            risk_scan()
        }
        Command::Bid { command } => bid(command),
        Command::Backup { out } => crate::backup::backup(&out),
        Command::Keys { command: KeysCommand::RotateBidMaster } => rotate_bid_master(),
        Command::Restore { file, manifest } => return exit_code(crate::backup::restore(&file, manifest.as_deref())),
        Command::Verify { against } => return exit_code(crate::backup::verify_against(&against)),
        Command::Ocds { command: OcdsCommand::Export { out, lines } } => ocds_export(&out, lines),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "ggzy: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn bid(command: BidCommand) -> anyhow::Result<()> {
    let read_keys = |path: &std::path::Path| -> anyhow::Result<ggzy_seal::SecretKeys> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a ggzy bid key file", path.display()))
    };
    let mut out = std::io::stdout();
    match command {
        BidCommand::Keygen { suite, out: file } => {
            let suite = match suite.as_str() {
                "hpke" => ggzy_seal::Suite::Hpke,
                "sm" | "sm2" => ggzy_seal::Suite::Sm,
                other => anyhow::bail!("unknown suite `{other}`: hpke or sm"),
            };
            let keys = ggzy_seal::SecretKeys::generate(suite)?;
            let public = keys.public()?;
            write_new_private(&file, &serde_json::to_string_pretty(&keys)?)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&public)?)?;
        }
        BidCommand::Seal { key, section, bidder, price, manager, files, documents, device, contact } => {
            let keys = read_keys(&key)?;
            let mut named = documents
                .iter()
                .map(|d| {
                    let (title, sha256) =
                        d.rsplit_once('=').with_context(|| format!("--document `{d}` must be TITLE=SHA256"))?;
                    Ok(serde_json::json!({"title": title, "sha256": sha256}))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let content_key = ggzy_seal::new_content_key(keys.suite);
            let mut sealed_files = Vec::new();
            for file in &files {
                let (title, path) =
                    file.split_once('=').with_context(|| format!("--file `{file}` must be TITLE=PATH"))?;
                let source = std::path::Path::new(path);
                let target = std::path::PathBuf::from(format!("{path}.sealed"));
                let reader = std::fs::File::open(source).with_context(|| format!("reading {path}"))?;
                let writer = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                    .with_context(|| format!("creating {} (it must not exist)", target.display()))?;
                let sealed = ggzy_seal::seal_file(
                    keys.suite,
                    &content_key,
                    &section,
                    &bidder,
                    std::io::BufReader::new(reader),
                    std::io::BufWriter::new(writer),
                )?;
                named.push(serde_json::json!({"title": title, "sha256": sealed.sha256}));
                writeln!(
                    std::io::stderr(),
                    "sealed {path} → {} ({} bytes): POST /api/v1/documents?kind=sealed_bid_file&section_id={section}&title=…&sha256={}",
                    target.display(),
                    sealed.sealed_size,
                    sealed.sealed_sha256
                )?;
                sealed_files.push(sealed.sealed_sha256);
            }
            // The content as the platform reads it at the opening (SubmitBid's fields).
            let content = serde_json::json!({
                "price": price, "documents": named, "project_manager_id": manager,
                "contact_person_id": contact, "device_fingerprint": device,
            });
            let envelope = ggzy_seal::seal_with_key(
                &keys,
                &section,
                &bidder,
                &serde_json::to_vec(&content)?,
                &content_key,
                sealed_files,
            )?;
            writeln!(out, "{}", serde_json::to_string_pretty(&envelope)?)?;
        }
        BidCommand::OpenKey { key, envelope } => {
            let keys = read_keys(&key)?;
            let text = std::fs::read_to_string(&envelope).with_context(|| format!("reading {}", envelope.display()))?;
            let envelope: ggzy_seal::Envelope =
                serde_json::from_str(&text).with_context(|| format!("{} is not an envelope", envelope.display()))?;
            let content_key = ggzy_seal::recover_content_key(&keys, &envelope)?;
            writeln!(out, "{}", serde_json::json!({"content_key": ggzy_seal::encode_key(&content_key)}))?;
        }
    }
    Ok(())
}

/// Writes a new owner-only file; refuses to overwrite one.
fn write_new_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("creating {} (it must not exist)", path.display()))?;
    file.write_all(contents.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn migrate() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let mut store_config = ggzy_store::StoreConfig::new(config.database_url.clone());
    store_config.max_connections = 1;
    let store = ggzy_store::Store::open(&store_config)?;
    let applied = store.migrate()?;
    let mut out = std::io::stdout();
    if applied.is_empty() {
        writeln!(out, "database is up to date")?;
    }
    for version in applied {
        writeln!(out, "applied {version}")?;
    }
    Ok(())
}

fn token(role: &str, org: Option<String>, sub: String, ttl: i64, scope: Option<String>) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let role = Role::parse(role).with_context(|| {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role `{role}`; one of {}", names.join(", "))
    })?;
    if role.organisation_kind() != ggzy_service::principal::OrganisationKind::None && org.is_none() {
        anyhow::bail!("role {role} acts for an organisation: pass --org ID");
    }
    if ttl <= 0 {
        anyhow::bail!("--ttl must be positive");
    }
    let scopes = scope.map(|s| s.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default();
    let principal = Principal { subject: sub, role, org, scopes, request_key: None };
    let authority = server::token_authority(&config)?;
    let token = authority.issue(&principal, server::clock(&config).now(), ttl)?;
    writeln!(std::io::stdout(), "{token}")?;
    Ok(())
}

fn audit_verify() -> ExitCode {
    let outcome = (|| -> anyhow::Result<ggzy_service::audit::AuditVerification> {
        let config = Config::from_env()?;
        let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(config.database_url.clone()))?;
        let platform = server::platform(&config, store)?;
        platform.verify_audit_unchecked().map_err(|e| anyhow::anyhow!("{e}"))
    })();
    let mut out = std::io::stdout();
    match outcome {
        Ok(verification) => {
            let _ = writeln!(out, "{}", serde_json::to_string(&verification).unwrap_or_default());
            match &verification.first_bad_event {
                None => ExitCode::SUCCESS,
                Some(bad) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "ggzy: audit chain broken at event seq={} id={} (chain {}, position {}): {}",
                        bad.seq,
                        bad.id,
                        bad.chain,
                        bad.position,
                        bad.fault
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "ggzy: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A command's own exit code, or 2 with its error.
fn exit_code(outcome: anyhow::Result<ExitCode>) -> ExitCode {
    match outcome {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "ggzy: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn rotate_bid_master() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    anyhow::ensure!(
        config.bid_master_key.is_some() && config.bid_master_key_previous.is_some(),
        "set GGZY_BID_MASTER_KEY to the new key and GGZY_BID_MASTER_KEY_PREVIOUS to the old one"
    );
    let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(config.database_url.clone()))?;
    let platform = server::platform(&config, store)?;
    let rotation = platform.rotate_bid_master_key().map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(std::io::stdout(), "{}", serde_json::to_string(&rotation)?)?;
    Ok(())
}

fn ocds_export(out: &std::path::Path, lines: bool) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(config.database_url.clone()))?;
    let platform = server::platform(&config, store)?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let written = platform.disclosure().ocds_export(&mut writer, lines).map_err(|e| anyhow::anyhow!("{e}"))?;
    std::io::Write::flush(&mut writer)?;
    writeln!(std::io::stdout(), "{written} releases written to {}", out.display())?;
    Ok(())
}

fn risk_scan() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(config.database_url.clone()))?;
    let platform = server::platform(&config, store)?;
    let summary = platform.oversight().risk_scan_all().map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(std::io::stdout(), "{}", serde_json::to_string(&summary)?)?;
    Ok(())
}

fn ledger_verify() -> ExitCode {
    let outcome = (|| -> anyhow::Result<ggzy_service::bonds::LedgerVerification> {
        let config = Config::from_env()?;
        let store = ggzy_store::Store::open(&ggzy_store::StoreConfig::new(config.database_url.clone()))?;
        let platform = server::platform(&config, store)?;
        platform.bonds().verify_ledger_unchecked().map_err(|e| anyhow::anyhow!("{e}"))
    })();
    match outcome {
        Ok(verification) => {
            let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string(&verification).unwrap_or_default());
            if verification.valid {
                ExitCode::SUCCESS
            } else {
                let _ = writeln!(std::io::stderr(), "ggzy: the ledger does not verify: {:?}", verification.violations);
                ExitCode::from(1)
            }
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "ggzy: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn archive_verify(file: &std::path::Path) -> ExitCode {
    // A zip is read from the file as it is needed (it may carry recordings of gigabytes);
    // a JSON export is read whole.
    let outcome = std::fs::File::open(file)
        .and_then(|mut opened| {
            use std::io::{Read, Seek};
            let mut magic = [0u8; 4];
            let is_zip = opened.read(&mut magic)? == 4 && &magic == b"PK\x03\x04";
            opened.rewind()?;
            Ok((opened, is_zip))
        })
        .map_err(|e| format!("reading {}: {e}", file.display()))
        .and_then(|(opened, is_zip)| {
            if is_zip {
                ggzy_service::archive::verify_archive_zip(std::io::BufReader::new(opened))
            } else {
                std::fs::read(file)
                    .map_err(|e| format!("reading {}: {e}", file.display()))
                    .and_then(|bytes| ggzy_service::archive::verify_archive_file(&bytes))
            }
        });
    match outcome {
        Ok(verification) => {
            let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string(&verification).unwrap_or_default());
            if let Some(fault) = &verification.file_fault {
                let _ = writeln!(std::io::stderr(), "ggzy: the archive file does not verify: {fault}");
                return ExitCode::from(1);
            }
            match verification.first_bad_event {
                None => ExitCode::SUCCESS,
                Some((id, position, fault)) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "ggzy: archive chain broken at event {id} (position {position}): {fault}"
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "ggzy: {error}");
            ExitCode::from(2)
        }
    }
}
