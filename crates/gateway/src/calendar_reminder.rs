//! The calendar reminder: from the warning date on, once a Beijing day, tells platform
//! admins that next year's official holiday calendar is missing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ggzy_service::Platform;

/// How often the calendar reminder looks; it sends at most one notification a day.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);

/// Runs until `stop` is set: at start and then every minute, asks the platform to remind
/// platform admins of a missing next-year calendar (at most once a Beijing day).
pub fn spawn(platform: Platform, stop: Arc<AtomicBool>) -> std::io::Result<std::thread::JoinHandle<()>> {
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
