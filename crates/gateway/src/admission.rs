//! Admission of reads: at most `GGZY_READ_CONCURRENCY` API reads (GET and HEAD under
//! `/api/v1`) run at once, by default twice as many as the machine has cores; the others
//! wait their turn, first come first served.
//!
//! A read is nearly all CPU, the gateway's and the database's. With many more reads running
//! than the machine has cores they share the cores in the kernel's scheduler, and one in a
//! hundred waits through several of its slices: on a 2-core host running the gateway and
//! PostgreSQL, 8 clients searching 2,000,000 entries had a p99 of 20–30 ms over a p50 of
//! 3 ms with 8 running at once, and under 9 ms with 2. Twice the cores rather than as many
//! keeps the cores busy while a read waits on a round trip (16 clients of the screens'
//! lists at 1,000,000 rows: 15–24% more pages a second of most lists than with 2, the p99s
//! alike).
//! Writes are not held: they wait on the database's flush to disk, which commits made
//! together share, and a pool of 4 connections (which holds them) halved the bids over
//! HTTP on that host. A read's turn ends when its answer is ready to send, so a stream or
//! a download holds no turn while its body goes out.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use tokio::sync::Semaphore;

/// Twice the machine's cores (as many as the process may use, cgroup limits included).
pub fn default_limit() -> usize {
    2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// The turns of reads, or none where reads are not limited (`GGZY_READ_CONCURRENCY=0`);
/// given to the app as `web::Data<ReadAdmission>`.
#[derive(Debug, Clone, Default)]
pub struct ReadAdmission {
    turns: Option<Arc<Semaphore>>,
    limit: usize,
}

impl ReadAdmission {
    /// `limit` reads at once; 0 for no limit.
    pub fn new(limit: usize) -> Self {
        ReadAdmission { turns: (limit > 0).then(|| Arc::new(Semaphore::new(limit))), limit }
    }

    /// How many reads may run at once; none for no limit.
    pub fn limit(&self) -> Option<usize> {
        self.turns.as_ref().map(|_| self.limit)
    }
}

/// Whether a request is a read of the API, which takes a turn.
pub fn takes_a_turn(method: &Method, path: &str) -> bool {
    (method == Method::GET || method == Method::HEAD) && path.starts_with("/api/v1/")
}

/// Runs a read when its turn comes; anything else at once.
pub async fn admit(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let turns = match req.app_data::<web::Data<ReadAdmission>>() {
        Some(admission) if takes_a_turn(req.method(), req.path()) => admission.turns.clone(),
        _ => None,
    };
    // The semaphore is never closed, so acquiring cannot fail; if it did, the read would run.
    let turn = match turns {
        Some(turns) => turns.acquire_owned().await.ok(),
        None => None,
    };
    let response = next.call(req).await;
    drop(turn);
    response
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    /// Counts the requests running at once and the most seen.
    #[derive(Default)]
    struct Running {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    async fn slow(running: web::Data<Running>) -> HttpResponse {
        let now = running.now.fetch_add(1, Ordering::SeqCst) + 1;
        running.most.fetch_max(now, Ordering::SeqCst);
        actix_web::rt::time::sleep(Duration::from_millis(40)).await;
        running.now.fetch_sub(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }

    /// The most requests of `method` to `path` seen running at once, of six sent together.
    async fn most_at_once(limit: usize, method: Method, path: &str) -> usize {
        let running = web::Data::new(Running::default());
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(ReadAdmission::new(limit)))
                .app_data(running.clone())
                .wrap(from_fn(admit))
                .default_service(web::to(slow)),
        )
        .await;
        let calls = (0..6).map(|_| {
            let request = test::TestRequest::default().method(method.clone()).uri(path).to_request();
            test::call_service(&app, request)
        });
        for response in futures_util::future::join_all(calls).await {
            assert!(response.status().is_success());
        }
        running.most.load(Ordering::SeqCst)
    }

    #[actix_web::test]
    async fn reads_of_the_api_run_at_most_the_limit_at_once() {
        assert_eq!(most_at_once(2, Method::GET, "/api/v1/public/search").await, 2);
        assert_eq!(most_at_once(1, Method::HEAD, "/api/v1/projects").await, 1);
    }

    #[actix_web::test]
    async fn writes_and_reads_outside_the_api_and_an_unlimited_gateway_are_not_held() {
        assert_eq!(most_at_once(2, Method::POST, "/api/v1/sections/s/bids").await, 6);
        assert_eq!(most_at_once(2, Method::GET, "/metrics").await, 6);
        assert_eq!(most_at_once(0, Method::GET, "/api/v1/public/search").await, 6);
        assert_eq!(ReadAdmission::new(0).limit(), None);
        assert_eq!(ReadAdmission::new(3).limit(), Some(3));
    }
}
