//! Prometheus metrics: request counts and latency histograms per route, kept in memory and
//! rendered as Prometheus text at /metrics. A count per route would tell anyone how many bids
//! or bonds came in before an opening (招标投标法 §22), so every write, and every read of a
//! bid or a bond, is counted under the one route `*`: only reads of other routes keep theirs.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// The requests of one method and route: counts by status, and latency.
#[derive(Debug, Default)]
struct RouteSeries {
    by_status: BTreeMap<u16, u64>,
    latency: Histogram,
}

/// method → route → series. Nested, so that a request already seen is counted by looking
/// its names up, without writing them out again (every request passes here).
#[derive(Debug, Default)]
struct Series {
    routes: BTreeMap<String, BTreeMap<String, RouteSeries>>,
}

#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<Series>,
}

impl Metrics {
    /// Records one request. `route` is the matched pattern (`/api/v1/participants/{id}`),
    /// never the raw path, so the number of series stays bounded.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let route = route_label(method, route);
        let seconds = elapsed.as_secs_f64();
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        if !series.routes.contains_key(method) {
            series.routes.insert(method.to_owned(), BTreeMap::new());
        }
        let Some(by_route) = series.routes.get_mut(method) else { return };
        if !by_route.contains_key(route) {
            by_route.insert(route.to_owned(), RouteSeries::default());
        }
        let Some(route_series) = by_route.get_mut(route) else { return };
        *route_series.by_status.entry(status).or_default() += 1;
        let histogram = &mut route_series.latency;
        histogram.count += 1;
        histogram.sum_seconds += seconds;
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    pub fn render(&self) -> String {
        let series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str("# HELP ggzy_http_requests_total HTTP requests by method, route and status.\n");
        out.push_str("# TYPE ggzy_http_requests_total counter\n");
        for (method, by_route) in &series.routes {
            for (route, route_series) in by_route {
                for (status, count) in &route_series.by_status {
                    let _ = writeln!(
                        out,
                        "ggzy_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                        escape(route)
                    );
                }
            }
        }
        out.push_str("# HELP ggzy_http_request_duration_seconds HTTP request latency by method and route.\n");
        out.push_str("# TYPE ggzy_http_request_duration_seconds histogram\n");
        let latencies = series.routes.iter().flat_map(|(method, by_route)| {
            by_route.iter().map(move |(route, route_series)| (method, route, &route_series.latency))
        });
        for (method, route, histogram) in latencies {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(out, "ggzy_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ =
                writeln!(out, "ggzy_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", histogram.count);
            let _ = writeln!(out, "ggzy_http_request_duration_seconds_sum{{{labels}}} {}", histogram.sum_seconds);
            let _ = writeln!(out, "ggzy_http_request_duration_seconds_count{{{labels}}} {}", histogram.count);
        }
        out
    }
}

/// The route a request is counted under: `*` for writes and for anything about bids, bonds
/// or the ledger.
pub fn route_label<'a>(method: &str, route: &'a str) -> &'a str {
    let write = !matches!(method, "GET" | "HEAD" | "OPTIONS");
    let sealed = ["/bids", "/bonds", "/ledger"].iter().any(|part| route.contains(part));
    if write || sealed {
        "*"
    } else {
        route
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// A histogram of waits (`ggzy_store::waits`), in Prometheus text format.
pub fn wait_histogram(name: &str, help: &str, waits: &ggzy_store::waits::WaitSnapshot) -> String {
    let mut out = format!("# HELP {name} {help}\n# TYPE {name} histogram\n");
    for (bound, count) in &waits.cumulative {
        let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {count}");
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", waits.count);
    let _ = writeln!(out, "{name}_sum {}", waits.sum_seconds);
    let _ = writeln!(out, "{name}_count {}", waits.count);
    out
}

/// The two limits the wait histograms are read against: the wait for a service thread
/// grows when the threads are too few, the wait for a connection when the connections are.
pub fn limit_gauges(service_threads: usize, db_connections: u32) -> String {
    format!(
        "# HELP ggzy_service_threads Most threads running use cases at once (GGZY_SERVICE_THREADS).\n\
         # TYPE ggzy_service_threads gauge\n\
         ggzy_service_threads {service_threads}\n\
         # HELP ggzy_db_connections Database connections in the pool (GGZY_DB_POOL_SIZE).\n\
         # TYPE ggzy_db_connections gauge\n\
         ggzy_db_connections {db_connections}\n"
    )
}

/// The holiday calendar gauges, in Prometheus text format.
pub fn calendar_gauges(outlook: &ggzy_service::calendar::CalendarOutlook) -> String {
    format!(
        "# HELP ggzy_calendar_official_years_ahead Years after the current Beijing year whose official holiday arrangement is loaded.\n\
         # TYPE ggzy_calendar_official_years_ahead gauge\n\
         ggzy_calendar_official_years_ahead {ahead}\n\
         # HELP ggzy_calendar_next_year_missing 1 from the warning date on while next year's official holiday arrangement is not loaded.\n\
         # TYPE ggzy_calendar_next_year_missing gauge\n\
         ggzy_calendar_next_year_missing {missing}\n",
        ahead = outlook.official_years_ahead,
        missing = u8::from(outlook.warning.is_some()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bids_bonds_and_writes_share_one_route_label() {
        let metrics = Metrics::default();
        metrics.observe("POST", "/api/v1/sections/{id}/bids", 201, Duration::from_millis(3));
        metrics.observe("POST", "/api/v1/projects", 201, Duration::from_millis(3));
        metrics.observe("GET", "/api/v1/bids/{id}", 200, Duration::from_millis(3));
        metrics.observe("GET", "/api/v1/sections/{id}/bonds", 200, Duration::from_millis(3));
        metrics.observe("GET", "/api/v1/projects", 200, Duration::from_millis(3));
        let text = metrics.render();
        assert!(!text.contains("bids") && !text.contains("bonds"), "{text}");
        assert!(text.contains("ggzy_http_requests_total{method=\"POST\",route=\"*\",status=\"201\"} 2"), "{text}");
        assert!(text.contains("ggzy_http_requests_total{method=\"GET\",route=\"*\",status=\"200\"} 2"), "{text}");
        assert!(text.contains("route=\"/api/v1/projects\",status=\"200\"} 1"), "{text}");
    }

    #[test]
    fn a_wait_histogram_is_rendered_with_every_bucket_its_sum_and_count() {
        let waits = ggzy_store::waits::WaitHistogram::default();
        waits.record(Duration::from_micros(300));
        waits.record(Duration::from_secs(7));
        let text = wait_histogram("ggzy_test_wait_seconds", "Test waits.", &waits.snapshot());
        assert!(
            text.starts_with("# HELP ggzy_test_wait_seconds Test waits.\n# TYPE ggzy_test_wait_seconds histogram\n")
        );
        assert!(text.contains("ggzy_test_wait_seconds_bucket{le=\"0.00025\"} 0\n"), "{text}");
        assert!(text.contains("ggzy_test_wait_seconds_bucket{le=\"0.0005\"} 1\n"), "{text}");
        assert!(text.contains("ggzy_test_wait_seconds_bucket{le=\"5\"} 1\n"), "{text}");
        assert!(text.contains("ggzy_test_wait_seconds_bucket{le=\"+Inf\"} 2\n"), "{text}");
        assert!(text.contains("ggzy_test_wait_seconds_sum 7.0003\n"), "{text}");
        assert!(text.contains("ggzy_test_wait_seconds_count 2\n"), "{text}");
    }

    #[test]
    fn counts_and_buckets_are_cumulative() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/healthz", 200, Duration::from_millis(3));
        metrics.observe("GET", "/healthz", 200, Duration::from_millis(30));
        metrics.observe("GET", "/healthz", 503, Duration::from_secs(9));
        let text = metrics.render();
        assert!(text.contains("ggzy_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"));
        assert!(text.contains("ggzy_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1"));
        assert!(text.contains("_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 1\n"));
        assert!(text.contains("_bucket{method=\"GET\",route=\"/healthz\",le=\"0.05\"} 2\n"));
        assert!(text.contains("_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 3\n"));
        assert!(text.contains("_count{method=\"GET\",route=\"/healthz\"} 3\n"));
    }
}
