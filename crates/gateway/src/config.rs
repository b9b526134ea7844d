//! Configuration, read from `GGZY_*` environment variables in this one place. The README's
//! configuration table mirrors the doc comments here.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};

/// Which clock the platform runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockSetting {
    System,
    /// Fixed start for tests: `GGZY_CLOCK=manual:2026-03-01T09:00:00+08:00`. Never the default.
    Manual(DateTime<Utc>),
    /// Starts at an instant and runs in real time, for benches that live through a deadline:
    /// `GGZY_CLOCK=from:2026-11-23T09:58:00+08:00`. Never the default.
    Running(DateTime<Utc>),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `GGZY_DATABASE_URL`: `postgres://…` or `sqlite://path`; default
    /// `sqlite://<GGZY_DATA_DIR>/ggzy.db`.
    pub database_url: String,
    /// `GGZY_LISTEN`: address to serve on; default `127.0.0.1:8080` (port 0 picks a free one).
    pub listen: SocketAddr,
    /// `GGZY_DATA_DIR`: where the embedded database and generated keys live; default `./data`.
    pub data_dir: PathBuf,
    /// `GGZY_JWT_SECRET`: HS256 secret (at least 32 bytes); generated into the data
    /// directory when unset.
    pub jwt_secret: Option<String>,
    /// `GGZY_JWT_PREVIOUS_SECRETS`: comma-separated secrets rotated away from; tokens they
    /// signed verify until they expire, nothing new is signed with them.
    pub jwt_previous_secrets: Vec<String>,
    /// `GGZY_JWT_ISSUER`, `GGZY_JWT_AUDIENCE`: expected `iss` and `aud`; default `ggzy`.
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// `GGZY_JWKS_FILE`: JSON Web Key Set of a production identity provider (EdDSA or RS256
    /// keys selected by `kid`).
    pub jwks_file: Option<PathBuf>,
    /// `GGZY_TOKEN_TTL_SECONDS`: lifetime of tokens issued at /api/v1/auth/token; default 3600.
    pub token_ttl: Duration,
    /// `GGZY_TOKEN_MAX_LIFETIME_SECONDS`: the longest `exp - iat` a local token may have to be
    /// accepted; default 86400 (24 hours).
    pub token_max_lifetime: i64,
    /// `GGZY_PII_KEY`: key of the hashes of resident identity numbers (at least 32 bytes);
    /// generated into the data directory when unset. Keep it with the database.
    pub pii_key: Option<String>,
    /// `GGZY_BID_MASTER_KEY`: 64 hex characters (32 bytes) that wrap the per-section keys of
    /// sealed bids; generated into the data directory when unset. Losing it makes sealed
    /// bids unopenable: keep it with the database, and apart from database dumps.
    pub bid_master_key: Option<String>,
    /// `GGZY_BID_MASTER_KEY_PREVIOUS`: a master key being rotated away from (64 hex
    /// characters): what it wrapped still opens until `ggzy keys rotate-bid-master` has
    /// re-wrapped it under the current key.
    pub bid_master_key_previous: Option<String>,
    /// `GGZY_CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser;
    /// empty (default) sends no CORS headers.
    pub cors_origins: Vec<String>,
    /// `GGZY_BODY_LIMIT_BYTES`: largest request body accepted; default 1 MiB.
    pub body_limit: usize,
    /// `GGZY_BODY_TIMEOUT_SECONDS` (30): a request body not received in full within this
    /// time is answered 408 and its connection dropped.
    pub body_timeout: Duration,
    /// `GGZY_AUTH_CLIENT_FAILURES`, `GGZY_AUTH_ADDRESS_FAILURES`, `GGZY_AUTH_BACKOFF_SECONDS`:
    /// see crate::throttle.
    pub token_throttle: crate::throttle::ThrottleConfig,
    /// `GGZY_DB_POOL_SIZE`: database connections; default 10.
    pub db_pool_size: u32,
    /// `GGZY_READ_CONCURRENCY`: API reads (GET, HEAD) run at once, the others waiting their
    /// turn (crate::admission); default twice the number of CPU cores, 0 for no limit (a
    /// database on a machine of its own with more cores than the gateway's).
    pub read_concurrency: usize,
    /// `GGZY_DB_STARTUP_TIMEOUT_SECONDS`: how long start-up waits for the database; default 30.
    pub db_startup_timeout: Duration,
    /// `GGZY_WORKERS`: HTTP worker threads; default the number of CPU cores.
    pub workers: Option<usize>,
    /// `GGZY_SERVICE_THREADS`: most threads running use cases at once (crate::service_threads),
    /// the other requests waiting their turn; default `GGZY_DB_POOL_SIZE`. A use case holds a
    /// connection from its first statement to its last, so a thread beyond the connections
    /// would only wait for one: with as many threads as connections a request waits in one
    /// queue, and a thread that finishes takes the next request without sleeping.
    pub service_threads: usize,
    /// `GGZY_SHUTDOWN_TIMEOUT_SECONDS`: grace period for in-flight requests on SIGTERM; default 30.
    pub shutdown_timeout: u64,
    /// `GGZY_IDEMPOTENCY_STALE_SECONDS`: how long a claimed Idempotency-Key without an answer
    /// (its request died with the process) blocks retries; default 300.
    pub idempotency_stale_seconds: u64,
    /// `GGZY_CALENDAR_WARNING_FROM`: `MM-DD` (Beijing date) from which a missing official
    /// holiday calendar of next year is warned about — `/metrics`, the deadline watch and a
    /// daily notification to platform admins; default `11-01`.
    pub calendar_warning_from: (u32, u32),
    /// `GGZY_LISTING_CLOSER_SECONDS`: how often the listing closer closes listings and
    /// auctions whose time is up; default 15, 0 turns it off (listings then close only when
    /// their host closes them).
    pub listing_closer_seconds: u64,
    /// `GGZY_OCDS_PREFIX`: the ocid prefix the Open Contracting Partnership registered for
    /// the publisher (`ocds-` and six letters or digits); default `ocds-ggzy00`, a
    /// placeholder to replace before publishing.
    pub ocds_prefix: String,
    /// `GGZY_OCDS_PUBLISHER`: the publisher named in OCDS packages; default 密云区公共资源交易中心.
    pub ocds_publisher: String,
    /// `GGZY_PUBLIC_BASE_URL`: the platform's public address (scheme, host, optional port),
    /// which OCDS package `uri`s and document links start with; default `http://` and
    /// `GGZY_LISTEN`.
    pub public_base_url: String,
    /// `GGZY_CLOCK`: `system` (default), `manual:<RFC 3339 instant>` for tests (the clock
    /// stands still) or `from:<RFC 3339 instant>` for benches (it starts there and runs).
    pub clock: ClockSetting,
    /// `GGZY_DOCUMENT_STORE`: where documents are kept — unset for `<GGZY_DATA_DIR>/documents`
    /// on the file system, `file:///path` for another directory, or `s3://bucket/prefix`
    /// for S3-compatible object storage (MinIO, Aliyun OSS, AWS S3) with
    /// `GGZY_S3_ENDPOINT` (e.g. `http://minio:9000`; AWS when unset), `GGZY_S3_REGION`
    /// (default `us-east-1`), `GGZY_S3_ACCESS_KEY_ID` and `GGZY_S3_SECRET_ACCESS_KEY`.
    pub document_store: ggzy_documents::StoreConfig,
    /// `GGZY_UPLOAD_TIMEOUT_SECONDS` (3600): an upload not received in full within this
    /// time is refused (408) and nothing of it is kept.
    pub upload_timeout: Duration,
    /// `GGZY_STREAM_LIMIT` (1000): the most live streams (`text/event-stream`) open at
    /// once in this process; each holds a connection and looks at the database once a
    /// second, so more are refused with 503 and `Retry-After`.
    pub stream_limit: usize,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(text) => text.trim().parse().map_err(|e| anyhow::anyhow!("{name}={text}: {e}")),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(var("GGZY_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = var("GGZY_DATABASE_URL").unwrap_or_else(|| {
            let dir = data_dir.to_string_lossy();
            format!("sqlite://{}/ggzy.db", dir.trim_end_matches('/'))
        });
        let listen = parsed("GGZY_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let jwt_secret = var("GGZY_JWT_SECRET");
        if let Some(secret) = &jwt_secret {
            if secret.len() < 32 {
                bail!("GGZY_JWT_SECRET must be at least 32 bytes");
            }
        }
        let jwt_previous_secrets: Vec<String> = var("GGZY_JWT_PREVIOUS_SECRETS")
            .map(|v| v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        if jwt_previous_secrets.iter().any(|s| s.len() < 32) {
            bail!("every secret in GGZY_JWT_PREVIOUS_SECRETS must be at least 32 bytes");
        }
        let pii_key = var("GGZY_PII_KEY");
        if let Some(key) = &pii_key {
            if key.len() < 32 {
                bail!("GGZY_PII_KEY must be at least 32 bytes");
            }
        }
        let bid_master_key = var("GGZY_BID_MASTER_KEY");
        if let Some(key) = &bid_master_key {
            if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
                bail!("GGZY_BID_MASTER_KEY must be 64 hexadecimal characters (32 bytes)");
            }
        }
        let bid_master_key_previous = var("GGZY_BID_MASTER_KEY_PREVIOUS");
        if let Some(key) = &bid_master_key_previous {
            if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
                bail!("GGZY_BID_MASTER_KEY_PREVIOUS must be 64 hexadecimal characters (32 bytes)");
            }
        }
        let calendar_warning_from = match var("GGZY_CALENDAR_WARNING_FROM") {
            None => (11, 1),
            Some(text) => chrono::NaiveDate::parse_from_str(&format!("2024-{text}"), "%Y-%m-%d")
                .map(|d| (chrono::Datelike::month(&d), chrono::Datelike::day(&d)))
                .map_err(|_| anyhow::anyhow!("GGZY_CALENDAR_WARNING_FROM must be MM-DD, e.g. 11-01 (got `{text}`)"))?,
        };
        let token_ttl = parsed("GGZY_TOKEN_TTL_SECONDS", 3600_u64)?;
        let token_max_lifetime = parsed("GGZY_TOKEN_MAX_LIFETIME_SECONDS", 86_400_i64)?;
        if token_max_lifetime < 1 || i64::try_from(token_ttl).map_or(true, |ttl| ttl > token_max_lifetime) {
            bail!(
                "GGZY_TOKEN_TTL_SECONDS ({token_ttl}) must not exceed GGZY_TOKEN_MAX_LIFETIME_SECONDS \
                 ({token_max_lifetime}): the platform would refuse its own tokens"
            );
        }
        let body_timeout = Duration::from_secs(parsed("GGZY_BODY_TIMEOUT_SECONDS", 30_u64)?);
        if body_timeout.is_zero() {
            bail!("GGZY_BODY_TIMEOUT_SECONDS must be at least 1");
        }
        let clock = match var("GGZY_CLOCK").as_deref() {
            None | Some("system") => ClockSetting::System,
            Some(text) => {
                let instant = |start: &str| {
                    DateTime::parse_from_rfc3339(start)
                        .with_context(|| format!("GGZY_CLOCK: `{start}` is not an RFC 3339 instant"))
                        .map(|t| t.with_timezone(&Utc))
                };
                match (text.strip_prefix("manual:"), text.strip_prefix("from:")) {
                    (Some(start), _) => ClockSetting::Manual(instant(start)?),
                    (_, Some(start)) => ClockSetting::Running(instant(start)?),
                    _ => bail!("GGZY_CLOCK must be `system`, `manual:<RFC 3339 instant>` or `from:<RFC 3339 instant>`"),
                }
            }
        };
        let ocds_prefix = var("GGZY_OCDS_PREFIX").unwrap_or_else(|| "ocds-ggzy00".into());
        let registered = ocds_prefix
            .strip_prefix("ocds-")
            .is_some_and(|tail| tail.len() == 6 && tail.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        if !registered {
            bail!("GGZY_OCDS_PREFIX must be `ocds-` and six lower-case letters or digits, e.g. ocds-213czf (got `{ocds_prefix}`)");
        }
        let public_base_url = var("GGZY_PUBLIC_BASE_URL").unwrap_or_else(|| format!("http://{listen}"));
        let public_base_url = public_base_url.trim_end_matches('/').to_owned();
        if !(public_base_url.starts_with("http://") || public_base_url.starts_with("https://"))
            || public_base_url.contains(|c: char| c.is_whitespace() || c == '"' || c == '\\')
        {
            bail!("GGZY_PUBLIC_BASE_URL must be an http:// or https:// address (got `{public_base_url}`)");
        }
        let document_store = ggzy_documents::StoreConfig::parse(
            var("GGZY_DOCUMENT_STORE").as_deref(),
            &data_dir,
            ggzy_documents::S3Settings {
                endpoint: var("GGZY_S3_ENDPOINT"),
                region: var("GGZY_S3_REGION"),
                access_key_id: var("GGZY_S3_ACCESS_KEY_ID"),
                secret_access_key: var("GGZY_S3_SECRET_ACCESS_KEY"),
            },
        )
        .map_err(|e| anyhow::anyhow!(e))?;
        let db_pool_size = parsed("GGZY_DB_POOL_SIZE", 10)?;
        Ok(Config {
            ocds_prefix,
            ocds_publisher: var("GGZY_OCDS_PUBLISHER").unwrap_or_else(|| "密云区公共资源交易中心".into()),
            public_base_url,
            database_url,
            listen,
            data_dir,
            jwt_secret,
            jwt_previous_secrets,
            jwt_issuer: var("GGZY_JWT_ISSUER").unwrap_or_else(|| "ggzy".into()),
            jwt_audience: var("GGZY_JWT_AUDIENCE").unwrap_or_else(|| "ggzy".into()),
            jwks_file: var("GGZY_JWKS_FILE").map(PathBuf::from),
            token_ttl: Duration::from_secs(token_ttl),
            token_max_lifetime,
            pii_key,
            bid_master_key,
            bid_master_key_previous,
            cors_origins: var("GGZY_CORS_ORIGINS")
                .map(|v| v.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect())
                .unwrap_or_default(),
            body_limit: parsed("GGZY_BODY_LIMIT_BYTES", 1024 * 1024)?,
            body_timeout,
            token_throttle: crate::throttle::ThrottleConfig {
                client_failures: parsed("GGZY_AUTH_CLIENT_FAILURES", 5)?,
                address_failures: parsed("GGZY_AUTH_ADDRESS_FAILURES", 50)?,
                first_backoff: Duration::from_secs(parsed("GGZY_AUTH_BACKOFF_SECONDS", 1_u64)?),
                ..crate::throttle::ThrottleConfig::default()
            },
            db_pool_size,
            read_concurrency: parsed("GGZY_READ_CONCURRENCY", crate::admission::default_limit())?,
            db_startup_timeout: Duration::from_secs(parsed("GGZY_DB_STARTUP_TIMEOUT_SECONDS", 30_u64)?),
            workers: var("GGZY_WORKERS").map(|w| w.parse()).transpose().context("GGZY_WORKERS")?,
            service_threads: parsed("GGZY_SERVICE_THREADS", db_pool_size as usize)?,
            shutdown_timeout: parsed("GGZY_SHUTDOWN_TIMEOUT_SECONDS", 30)?,
            idempotency_stale_seconds: parsed("GGZY_IDEMPOTENCY_STALE_SECONDS", 300)?,
            calendar_warning_from,
            listing_closer_seconds: parsed("GGZY_LISTING_CLOSER_SECONDS", 15)?,
            document_store,
            upload_timeout: Duration::from_secs(parsed("GGZY_UPLOAD_TIMEOUT_SECONDS", 3600)?),
            stream_limit: parsed("GGZY_STREAM_LIMIT", 1000_usize)?,
            clock,
        })
    }
}

/// Reads a secret from the data directory, creating it (random, owner-only) on first use.
pub fn secret_in_data_dir(data_dir: &std::path::Path, file: &str) -> anyhow::Result<Vec<u8>> {
    use rand::RngCore;
    let path = data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let trimmed = existing.trim();
        if trimmed.len() >= 32 {
            return Ok(trimmed.as_bytes().to_vec());
        }
        bail!("{} is shorter than 32 bytes", path.display());
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    write_private(&path, &hex_encode(&bytes))?;
    // Read back: a process that started at the same moment may have written first.
    let stored = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(stored.trim().as_bytes().to_vec())
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    // create_new: two processes starting at once must not overwrite each other's secret.
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(mut file) => {
            file.write_all(contents.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}
