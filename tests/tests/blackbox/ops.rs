//! Operations: health, readiness, metrics, request ids, unknown routes, Swagger UI,
//! graceful shutdown.

use ggzy_blackbox::{both_backends, Backend, Server};

use crate::{get, send, start, BINARY};

fn ready_and_healthy(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let ready = get(&server, "/readyz", None);
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(ready.body["status"], "ready");
    assert_eq!(ready.body["pending_migrations"], 0);
    assert_eq!(get(&server, "/healthz", None).body["status"], "ok");
}

fn metrics_count_requests_per_route(backend: Backend) {
    let Some(server) = start(backend) else { return };
    for _ in 0..3 {
        assert_eq!(get(&server, "/api/v1/departments", None).status, 200);
    }
    let participant = "/api/v1/participants/00000000-0000-0000-0000-000000000000";
    assert_eq!(get(&server, participant, Some(&server.token("centre_staff", Some("centre")))).status, 404);
    let metrics = get(&server, "/metrics", None);
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.text.contains(r#"ggzy_http_requests_total{method="GET",route="/api/v1/departments",status="200"} 3"#),
        "{}",
        metrics.text
    );
    // The pattern, not the raw path, labels the series.
    assert!(metrics.text.contains(r#"route="/api/v1/participants/{id}",status="404"} 1"#), "{}", metrics.text);
    assert!(metrics
        .text
        .contains(r#"ggzy_http_request_duration_seconds_count{method="GET",route="/api/v1/departments"} 3"#));
    // Each of the four requests' use cases waited for a service thread and for a connection
    // (start-up took connections too), and the waits are there to read.
    let count_of = |name: &str| -> u64 {
        let line = metrics.text.lines().find(|line| line.starts_with(&format!("{name}_count "))).unwrap_or_default();
        line.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    assert!(count_of("ggzy_service_queue_wait_seconds") >= 4, "{}", metrics.text);
    assert!(count_of("ggzy_db_connection_wait_seconds") >= 4, "{}", metrics.text);
    assert!(metrics.text.contains("# TYPE ggzy_db_connection_wait_seconds histogram\n"), "{}", metrics.text);
    assert!(metrics.text.contains("ggzy_service_queue_wait_seconds_bucket{le=\"+Inf\"}"), "{}", metrics.text);
}

/// The limits the waits are read against: by default as many service threads as the pool has
/// connections (the harness sets a pool of 4), and each as configured when both are given.
fn metrics_show_the_thread_and_connection_limits(backend: Backend) {
    let gauge = |text: &str, name: &str| -> Option<u64> {
        text.lines().find_map(|line| line.strip_prefix(&format!("{name} ")).and_then(|n| n.parse().ok()))
    };
    let Some(server) = start(backend) else { return };
    let text = get(&server, "/metrics", None).text;
    assert_eq!(gauge(&text, "ggzy_db_connections"), Some(4), "{text}");
    assert_eq!(gauge(&text, "ggzy_service_threads"), Some(4), "{text}");
    assert!(text.contains("# TYPE ggzy_service_threads gauge\n"), "{text}");
    let Some(server) =
        Server::start_with(BINARY, backend, &[("GGZY_DB_POOL_SIZE", "3"), ("GGZY_SERVICE_THREADS", "7")])
    else {
        return;
    };
    let text = get(&server, "/metrics", None).text;
    assert_eq!(gauge(&text, "ggzy_db_connections"), Some(3), "{text}");
    assert_eq!(gauge(&text, "ggzy_service_threads"), Some(7), "{text}");
}

fn request_ids_are_echoed_or_made(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let given = send(server.client().get(server.url("/healthz")).header("x-request-id", "abc-123"));
    assert_eq!(given.headers["x-request-id"], "abc-123");
    let made = get(&server, "/healthz", None);
    let id = made.headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "{id}");
    // The access log is JSON and carries the request id.
    // The log is read by another thread: give it up to two seconds.
    let logged = (0..40).any(|_| {
        let found = server.log_lines().iter().any(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            value["message"] == "request completed" && value["span"]["request_id"] == "abc-123"
        });
        if !found {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        found
    });
    assert!(logged, "no JSON access log line with the request id: {:?}", server.log_lines());
}

fn unknown_routes_are_problem_404(backend: Backend) {
    let Some(server) = start(backend) else { return };
    get(&server, "/api/v1/no-such-thing", None).problem(404, "not-found");
}

fn swagger_ui_and_openapi_are_served(backend: Backend) {
    let Some(server) = start(backend) else { return };
    let ui = get(&server, "/swagger-ui/", None);
    assert_eq!(ui.status, 200);
    assert!(ui.text.contains("swagger"), "{}", &ui.text[..ui.text.len().min(300)]);
    // The UI's own script comes from the binary, not from a CDN.
    assert_eq!(get(&server, "/swagger-ui/swagger-ui-bundle.js", None).status, 200);
    let spec = get(&server, "/api-docs/openapi.json", None);
    assert_eq!(spec.status, 200);
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../../api-spec/openapi.json")).expect("api-spec/openapi.json");
    assert_eq!(spec.body, committed, "the served document differs from api-spec/openapi.json");
}

fn sigterm_shuts_down_gracefully(backend: Backend) {
    let Some(server) = start(backend) else { return };
    assert_eq!(get(&server, "/healthz", None).status, 200);
    assert!(server.terminate(), "server did not exit cleanly on SIGTERM");
}

fn cors_allows_only_configured_origins(backend: Backend) {
    let origin = "https://front.example.gov.cn";
    let Some(server) = ggzy_blackbox::Server::start_with(crate::BINARY, backend, &[("GGZY_CORS_ORIGINS", origin)])
    else {
        return;
    };
    let preflight = |from: &str| {
        send(
            server
                .client()
                .request(reqwest::Method::OPTIONS, server.url("/api/v1/participants"))
                .header("origin", from)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization,content-type"),
        )
    };
    let allowed = preflight(origin);
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    assert_eq!(allowed.headers["access-control-allow-origin"], origin);
    let refused = preflight("https://elsewhere.example");
    assert!(!refused.headers.contains_key("access-control-allow-origin"), "{:?}", refused.headers);
    // Without configuration no CORS headers are sent at all.
    let Some(plain) = start(backend) else { return };
    let reply = send(plain.client().get(plain.url("/healthz")).header("origin", origin));
    assert!(!reply.headers.contains_key("access-control-allow-origin"));
}

both_backends!(
    cors_allows_only_configured_origins,
    ready_and_healthy,
    metrics_count_requests_per_route,
    metrics_show_the_thread_and_connection_limits,
    request_ids_are_echoed_or_made,
    unknown_routes_are_problem_404,
    swagger_ui_and_openapi_are_served,
    sigterm_shuts_down_gracefully,
);
