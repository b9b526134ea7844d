//! Start-up and the HTTP server.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{from_fn, Compress, Condition, Next};
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use ggzy_kernel::{Clock, ManualClock, SystemClock};
use ggzy_service::Platform;
use ggzy_store::{Store, StoreConfig};
use tracing::Instrument;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenAuthority;
use crate::config::{secret_in_data_dir, ClockSetting, Config};
use crate::metrics::Metrics;
use crate::problem;
use crate::{routes, AppState};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The clock the configuration asks for; the system clock unless a manual one is
/// configured for tests.
pub fn clock(config: &Config) -> Arc<dyn Clock> {
    match config.clock {
        ClockSetting::System => Arc::new(SystemClock),
        ClockSetting::Manual(start) => Arc::new(ManualClock::new(start)),
        ClockSetting::Running(start) => Arc::new(ggzy_kernel::RunningClock::new(start)),
    }
}

/// The HS256 secret: configured, or generated once into the data directory.
pub fn jwt_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    match &config.jwt_secret {
        Some(secret) => Ok(secret.as_bytes().to_vec()),
        None => secret_in_data_dir(&config.data_dir, "jwt-secret"),
    }
}

pub fn token_authority(config: &Config) -> anyhow::Result<TokenAuthority> {
    let mut authority =
        TokenAuthority::new(&jwt_secret(config)?, config.jwt_issuer.clone(), config.jwt_audience.clone())
            .with_max_lifetime(config.token_max_lifetime);
    for previous in &config.jwt_previous_secrets {
        authority = authority.with_previous_secret(previous.as_bytes());
    }
    match &config.jwks_file {
        None => Ok(authority),
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            authority.with_jwks(&text).with_context(|| format!("loading {}", path.display()))
        }
    }
}

/// Opens the database and applies pending migrations, waiting for the database to answer
/// for up to the configured start-up timeout.
pub fn open_store(config: &Config) -> anyhow::Result<Store> {
    let mut store_config = StoreConfig::new(config.database_url.clone());
    store_config.max_connections = config.db_pool_size;
    let store = Store::open(&store_config)?;
    let deadline = Instant::now() + config.db_startup_timeout;
    loop {
        match store.migrate() {
            Ok(applied) => {
                if !applied.is_empty() {
                    tracing::info!(migrations = ?applied, "applied migrations");
                }
                if let Ok(Some(false)) = store.autovacuum() {
                    tracing::warn!(
                        "PostgreSQL's autovacuum is off: plans made while a table was small stay in use as it grows \
                         (a bid's read scans every bid); turn it on (README, Deployment)"
                    );
                }
                return Ok(store);
            }
            Err(ggzy_store::StoreError::Unavailable(reason)) if Instant::now() < deadline => {
                tracing::warn!(%reason, "database not reachable yet; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(e) => return Err(e).context("preparing the database"),
        }
    }
}

/// A bid master key from its 64 hexadecimal characters.
fn master_key(hex_text: &str) -> anyhow::Result<[u8; 32]> {
    let mut master = [0_u8; 32];
    for (index, byte) in master.iter_mut().enumerate() {
        let pair = hex_text.get(index * 2..index * 2 + 2).context("bid master key too short")?;
        *byte = u8::from_str_radix(pair, 16).context("bid master key is not hexadecimal")?;
    }
    Ok(master)
}

pub fn platform(config: &Config, store: Store) -> anyhow::Result<Platform> {
    let pii_key = match &config.pii_key {
        Some(key) => key.as_bytes().to_vec(),
        None => secret_in_data_dir(&config.data_dir, "pii-key")?,
    };
    let master_hex = match &config.bid_master_key {
        Some(key) => key.clone(),
        None => String::from_utf8(secret_in_data_dir(&config.data_dir, "bid-master-key")?)?,
    };
    let mut platform = Platform::new(store, clock(config), pii_key).with_bid_master_key(master_key(&master_hex)?);
    if let Some(previous) = &config.bid_master_key_previous {
        platform = platform.with_previous_bid_master_key(master_key(previous)?);
    }
    Ok(platform
        .with_idempotency_stale_after(config.idempotency_stale_seconds)
        .with_calendar_warning_from(config.calendar_warning_from.0, config.calendar_warning_from.1)
        .with_ocds_publication(ggzy_service::ocds::OcdsPublication {
            prefix: config.ocds_prefix.clone(),
            base_url: config.public_base_url.clone(),
            publisher: config.ocds_publisher.clone(),
        }))
}

/// Request ids, the request span, the access log line and metrics for every request.
async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = req.method().to_string();
    let metrics = req.app_data::<web::Data<AppState>>().map(|s| s.metrics.clone());
    // Writes, and reads of bids and bonds, are logged without their path, as metrics count
    // them without their route: a line per bid would tell the log's reader who bids and how
    // many (招标投标法 §22). The request id still ties the line to the service's own logs.
    // Decided on the path itself: the route is not known before routing, and matching it
    // here would run the router's patterns a second time for every request.
    let logged_path = match crate::metrics::route_label(&method, req.path()) {
        "*" => "*".to_owned(),
        _ => req.path().to_owned(),
    };
    let span = tracing::info_span!("request", request_id = %request_id, method = %method, path = %logged_path);
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let elapsed = started.elapsed();
    // After routing this is the matched resource's pattern, looked up without matching again.
    let route = response.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16();
    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status, elapsed);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    span.in_scope(
        || tracing::info!(status, route = %crate::metrics::route_label(&method, &route), latency_ms = elapsed.as_secs_f64() * 1000.0, "request completed"),
    );
    Ok(response)
}

fn cors(origins: &[String]) -> actix_cors::Cors {
    use actix_web::http::{header, Method};
    let mut cors = actix_cors::Cors::default()
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT, REQUEST_ID])
        .allowed_header(HeaderName::from_static("idempotency-key"))
        // Stream clients resume with it (fetch-based ones preflight it).
        .allowed_header(HeaderName::from_static("last-event-id"))
        .expose_headers([header::LOCATION, REQUEST_ID])
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

/// Builds everything and serves until SIGINT/SIGTERM, then drains in-flight requests.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let store = open_store(&config)?;
    let platform = platform(&config, store)?;
    // The first rule-set version comes from RULES.md; later ones are published over the API.
    platform.rules().ensure_seed_rule_set().map_err(|e| anyhow::anyhow!("seeding rule set 1: {e}"))?;
    platform.credit().ensure_seed_credit_policy().map_err(|e| anyhow::anyhow!("seeding credit policy 1: {e}"))?;
    platform.bonds().ensure_ledger_accounts().map_err(|e| anyhow::anyhow!("creating ledger accounts: {e}"))?;
    // Not a reason to refuse to serve: the releases of later events are written as they come.
    match platform.disclosure().backfill_ocds_releases() {
        Ok(0) => {}
        Ok(backfilled) => {
            tracing::info!(releases = backfilled, "wrote the OCDS releases of events from before they were kept")
        }
        Err(error) => tracing::error!(%error, "could not write the OCDS releases of earlier events"),
    }
    // Likewise: bonds deposited before basic accounts were keyed are keyed now.
    match platform.oversight().backfill_basic_account_declarations() {
        Ok(0) => {}
        Ok(keyed) => tracing::info!(bonds = keyed, "keyed the basic accounts of earlier bond deposits"),
        Err(error) => tracing::error!(%error, "could not key the basic accounts of earlier bond deposits"),
    }
    let state = web::Data::new(AppState {
        platform,
        tokens: token_authority(&config)?,
        metrics: Arc::new(Metrics::default()),
        token_ttl: config.token_ttl,
        token_throttle: crate::throttle::TokenThrottle::new(config.token_throttle),
        body_rules: crate::body::BodyRules { limit: config.body_limit, timeout: config.body_timeout },
        // Files being received wait on the data directory's volume (not a tmpfs /tmp): for
        // the file system store inside it, for object storage in `<data>/spool`.
        documents: ggzy_documents::DocumentStore::open(
            &config.document_store,
            match &config.document_store {
                ggzy_documents::StoreConfig::FileSystem { .. } => None,
                ggzy_documents::StoreConfig::S3 { .. } => Some(config.data_dir.join("spool")),
            },
        )
        .map_err(|e| anyhow::anyhow!("opening the document store: {e}"))?,
        upload_timeout: config.upload_timeout,
        live: crate::live::LiveSignals::new(config.stream_limit, config.db_pool_size),
        service_threads: crate::service_threads::ServiceThreads::new(config.service_threads),
    });
    let body_limit = config.body_limit;
    let listing_closer_seconds = config.listing_closer_seconds;
    let upload_timeout = config.upload_timeout;
    let cors_origins = config.cors_origins.clone();
    let app_state = state.clone();
    let reads = web::Data::new(crate::admission::ReadAdmission::new(config.read_concurrency));
    // One document for Swagger UI and /api-docs, the same that `cargo xtask openapi` writes.
    let document = crate::openapi_document();
    let mut server = HttpServer::new(move || {
        App::new()
            .into_utoipa_app()
            .app_data(app_state.clone())
            .app_data(reads.clone())
            .app_data(web::JsonConfig::default().limit(body_limit).error_handler(problem::json_error))
            .app_data(web::FormConfig::default().limit(body_limit).error_handler(problem::form_error))
            .app_data(web::PayloadConfig::default().limit(body_limit))
            .app_data(web::QueryConfig::default().error_handler(problem::query_error))
            .app_data(web::PathConfig::default().error_handler(problem::path_error))
            .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
            .configure(routes::operations)
            .default_service(web::to(crate::fallback::unmatched))
            .into_app()
            .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", document.clone()))
            .wrap(from_fn(crate::admission::admit))
            .wrap(from_fn(crate::idempotency::idempotency))
            .wrap(from_fn(crate::body::received_in_full))
            .wrap(Compress::default())
            .wrap(Condition::new(!cors_origins.is_empty(), cors(&cors_origins)))
            .wrap(from_fn(observe))
    })
    .shutdown_timeout(config.shutdown_timeout);
    if let Some(workers) = config.workers {
        server = server.workers(workers.max(1));
    }
    let server = server.bind(config.listen).with_context(|| format!("binding {}", config.listen))?;
    let addr = server.addrs().first().copied().unwrap_or(config.listen);
    tracing::info!(
        addr = %addr,
        swagger_ui = %format!("http://{addr}/swagger-ui/"),
        token_hint = "ggzy token --role centre_staff --org centre",
        database = %state.platform.store().backend_name(),
        "listening"
    );
    // A plain banner for people; the JSON line above is for machines.
    let _ = writeln!(
        std::io::stderr(),
        "ggzy is serving on http://{addr} ({backend})\n  Swagger UI: http://{addr}/swagger-ui/\n  \
         a token:    cargo run -p ggzy-gateway -- token --role centre_staff --org centre",
        backend = state.platform.store().backend_name()
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker =
        crate::webhooks::spawn_worker(state.platform.clone(), stop.clone()).context("starting the webhook worker")?;
    let reminder = crate::scheduled::spawn_calendar_reminder(state.platform.clone(), stop.clone())
        .context("starting the calendar reminder")?;
    let clock_reminder = crate::scheduled::spawn_clock_reminder(state.platform.clone(), stop.clone())
        .context("starting the clock reminder")?;
    let sweeper = crate::scheduled::spawn_spool_sweeper(
        state.clone(),
        upload_timeout,
        crate::routes::documents::SESSION_LIFETIME,
        stop.clone(),
    )
    .context("starting the spool sweeper")?;
    let closer = match listing_closer_seconds {
        0 => None,
        seconds => Some(
            crate::scheduled::spawn_listing_closer(
                state.platform.clone(),
                state.live.clone(),
                Duration::from_secs(seconds),
                stop.clone(),
            )
            .context("starting the listing closer")?,
        ),
    };
    // Open live streams end when the server is told to stop, or the graceful shutdown
    // would wait its whole timeout for clients that never hang up.
    let live = state.live.clone();
    actix_web::rt::spawn(async move {
        stopping().await;
        live.shut_down();
    });
    let served = server.run().await.context("serving");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = worker.join();
    let _ = reminder.join();
    let _ = clock_reminder.join();
    let _ = sweeper.join();
    if let Some(closer) = closer {
        let _ = closer.join();
    }
    served
}

/// Resolves on the first SIGINT or SIGTERM (the signals the server stops on).
async fn stopping() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            // Without the handlers the streams end at the shutdown timeout instead.
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
