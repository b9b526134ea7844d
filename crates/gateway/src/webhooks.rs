//! The delivery worker: sends due webhook deliveries, signed, and records each attempt.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ggzy_service::Platform;

/// Runs until `stop` is set: sends what is due, sleeps a little when nothing is.
pub fn spawn_worker(platform: Platform, stop: Arc<AtomicBool>) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name("webhooks".into()).spawn(move || {
        let client = match reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build() {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "webhook worker cannot build its HTTP client");
                return;
            }
        };
        while !stop.load(Ordering::Relaxed) {
            let due = match platform.disclosure().due_webhook_deliveries(20) {
                Ok(due) => due,
                Err(error) => {
                    tracing::warn!(%error, "webhook worker cannot read due deliveries");
                    Vec::new()
                }
            };
            if due.is_empty() {
                std::thread::sleep(Duration::from_millis(300));
                continue;
            }
            for delivery in due {
                let outcome = client
                    .post(&delivery.url)
                    .header("content-type", "application/json")
                    .header("x-ggzy-delivery", &delivery.id)
                    .header("x-ggzy-timestamp", delivery.timestamp.to_string())
                    .header("x-ggzy-signature", &delivery.signature)
                    .body(delivery.body.clone())
                    .send()
                    .map_err(|e| e.to_string())
                    .and_then(|r| if r.status().is_success() { Ok(()) } else { Err(format!("HTTP {}", r.status())) });
                if let Err(error) = platform.disclosure().record_webhook_attempt(&delivery.id, outcome) {
                    tracing::warn!(%error, "webhook worker cannot record an attempt");
                }
            }
        }
    })
}
