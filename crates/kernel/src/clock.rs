//! The source of "now". Every deadline and every id timestamp reads the injected clock,
//! so time-dependent rules can be tested (and demonstrated) without waiting.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock; the default everywhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to.
///
/// It exists for tests and demonstrations of deadline rules; production code uses it
/// only when it is explicitly configured, never as a fallback.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { now: Mutex::new(start) }
    }

    pub fn set(&self, t: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = t;
    }

    /// Moves the clock by `by` (may be negative). Saturates instead of overflowing at
    /// the ends of chrono's range.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        let fallback = if by < Duration::zero() { DateTime::<Utc>::MIN_UTC } else { DateTime::<Utc>::MAX_UTC };
        *now = now.checked_add_signed(by).unwrap_or(fallback);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        // The guarded value is a plain timestamp, always valid, so a panic elsewhere
        // while holding the lock leaves nothing inconsistent: recover it.
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A clock that starts at a given instant and runs at the speed of the real one: for
/// demonstrations and benches that must live through a deadline of a tender announced
/// weeks before (the deadline storm). Never a default.
#[derive(Debug)]
pub struct RunningClock {
    start: DateTime<Utc>,
    started: std::time::Instant,
}

impl RunningClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { start, started: std::time::Instant::now() }
    }
}

impl Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = Duration::from_std(self.started.elapsed()).unwrap_or(Duration::zero());
        self.start.checked_add_signed(elapsed).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::Arc;

    #[test]
    fn running_clock_starts_where_told_and_runs() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 1, 59, 0).unwrap();
        let clock = RunningClock::new(start);
        let first = clock.now();
        assert!(first >= start && first - start < Duration::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 2, 12, 1, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::days(3));
        assert_eq!(clock.now(), start + Duration::days(3));
        clock.advance(Duration::hours(-1));
        assert_eq!(clock.now(), start + Duration::days(3) - Duration::hours(1));
        let later = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
        clock.set(later);
        assert_eq!(clock.now(), later);
    }

    #[test]
    fn manual_clock_survives_a_poisoned_lock() {
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let c = Arc::clone(&clock);
        let joined = std::thread::spawn(move || {
            let _guard = c.now.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        assert!(joined.is_err());
        assert!(clock.now.is_poisoned());
        assert_eq!(clock.now(), start);
        clock.advance(Duration::seconds(1));
        assert_eq!(clock.now(), start + Duration::seconds(1));
    }

    #[test]
    fn clocks_are_usable_as_trait_objects() {
        let start = Utc::now() - Duration::days(365);
        let before = Utc::now();
        let clocks: Vec<Arc<dyn Clock>> = vec![Arc::new(SystemClock), Arc::new(ManualClock::new(start))];
        let readings: Vec<DateTime<Utc>> = clocks.iter().map(|c| c.now()).collect();
        // The system clock reads the wall clock; the manual one stays where it was set.
        assert!(readings[0] >= before && readings[0] <= Utc::now(), "{readings:?}");
        assert_eq!(readings[1], start);
    }
}
