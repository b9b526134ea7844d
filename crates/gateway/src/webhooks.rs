//! Background workers: the webhook delivery worker (sends due deliveries, signed, and
//! records each attempt) and the calendar reminder (once a day, from the warning date on,
//! tells platform admins that next year's official holiday calendar is missing).

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
            let due = match platform.due_webhook_deliveries(20) {
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
                if let Err(error) = platform.record_webhook_attempt(&delivery.id, outcome) {
                    tracing::warn!(%error, "webhook worker cannot record an attempt");
                }
            }
        }
    })
}

/// How often the calendar reminder looks; it sends at most one notification a day.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);

/// Runs until `stop` is set: at start and then every minute, asks the platform to remind
/// platform admins of a missing next-year calendar (at most once a Beijing day).
pub fn spawn_calendar_reminder(
    platform: Platform,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name("calendar-reminder".into()).spawn(move || {
        let mut next_check = std::time::Instant::now();
        while !stop.load(Ordering::Relaxed) {
            if std::time::Instant::now() >= next_check {
                match platform.remind_missing_calendar() {
                    Ok(true) => {
                        tracing::warn!("next year's official holiday calendar is missing; platform admins notified")
                    }
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "calendar reminder could not run"),
                }
                next_check = std::time::Instant::now() + REMINDER_INTERVAL;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    })
}
