//! The platform's own scheduled work, each on a thread of its own until the server stops:
//! the calendar reminder (from the warning date on, once a Beijing day, tells platform
//! admins that next year's official holiday calendar is missing), the clock reminder
//! (clocks running out within a working day, overdue refunds), the listing closer
//! (closes listings and auctions whose time is up) and the spool sweeper (removes dead
//! uploads and expired upload sessions).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ggzy_service::Platform;

/// How often the calendar reminder looks; it sends at most one notification a day.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);

/// Runs until `stop` is set: at start and then every minute, asks the platform to remind
/// platform admins of a missing next-year calendar (at most once a Beijing day).
pub fn spawn_calendar_reminder(
    platform: Platform,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    every("calendar-reminder", REMINDER_INTERVAL, stop, move || match platform.rules().remind_missing_calendar() {
        Ok(true) => tracing::warn!("next year's official holiday calendar is missing; platform admins notified"),
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, "calendar reminder could not run"),
    })
}

/// How often the clock reminder looks (reminders are a working day ahead, so minutes late
/// do not matter; the sweep reads every running clock).
const CLOCK_REMINDER_INTERVAL: Duration = Duration::from_secs(300);

/// Runs until `stop` is set: at start and then every five minutes, reminds whoever owes a
/// clock that runs out within one working day, and tells bidders of overdue refunds (each
/// reminder once, whichever instance sends it).
pub fn spawn_clock_reminder(platform: Platform, stop: Arc<AtomicBool>) -> std::io::Result<std::thread::JoinHandle<()>> {
    every("clock-reminder", CLOCK_REMINDER_INTERVAL, stop, move || match platform.disclosure().send_reminders() {
        Ok(0) => {}
        Ok(sent) => tracing::info!(sent, "reminders of running clocks sent"),
        Err(error) => tracing::warn!(%error, "clock reminder could not run"),
    })
}

/// How often the upload spool is swept.
const SWEEP_INTERVAL: Duration = Duration::from_secs(3600);

/// Runs until `stop` is set: at start and then every hour, removes from the upload spool
/// plain uploads untouched for longer than `upload_age` (left by a process that died) and
/// resumable sessions untouched for longer than `session_age`, so that abandoned uploads
/// do not fill the disk between restarts.
pub fn spawn_spool_sweeper(
    state: actix_web::web::Data<crate::AppState>,
    upload_age: Duration,
    session_age: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    every("spool-sweeper", SWEEP_INTERVAL, stop, move || {
        let swept = state.documents.sweep_spool(upload_age, session_age);
        if swept > 0 {
            tracing::info!(files = swept, "removed dead uploads and expired upload sessions from the spool");
        }
    })
}

/// Runs until `stop` is set: at start and then every `interval`, closes the listings and
/// auctions whose time is up (results, refunds, the winner's deposit), as a host would.
pub fn spawn_listing_closer(
    platform: Platform,
    live: Arc<crate::live::LiveSignals>,
    interval: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    every("listing-closer", interval, stop, move || match platform.listings().close_due_listings() {
        Ok(closed) if !closed.is_empty() => {
            for listing_id in &closed {
                live.changed(listing_id);
            }
            tracing::info!(?closed, "listings closed on time")
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "listing closer could not run"),
    })
}

/// Runs `task` now and then every `interval` on a thread named `name`, until `stop` is set
/// (looked at five times a second, so shutdown never waits for an interval).
fn every(
    name: &str,
    interval: Duration,
    stop: Arc<AtomicBool>,
    mut task: impl FnMut() + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name(name.to_owned()).spawn(move || {
        let mut next = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            if Instant::now() >= next {
                task();
                next = Instant::now() + interval;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    })
}
