//! How long callers waited, kept as a histogram cheap enough to update on every call (atomic
//! counters, no lock) and read by the gateway's `/metrics`: the waits for a connection turn
//! here, the waits for a service thread in the gateway. A wait that grows is the first sign
//! that the database's connections, or the threads in front of them, are too few for the load.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the buckets, in seconds: finer than the request latencies' at the low
/// end, where an unloaded server's waits are.
pub const WAIT_BUCKETS: [f64; 14] =
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// Waits counted by bucket.
#[derive(Debug, Default)]
pub struct WaitHistogram {
    /// Waits within each bound and above the one before it (not cumulative); the last slot
    /// is for waits above every bound.
    buckets: [AtomicU64; WAIT_BUCKETS.len() + 1],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

/// A histogram as read at one moment, cumulative as Prometheus has it.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitSnapshot {
    /// (bound in seconds, waits at most that long).
    pub cumulative: Vec<(f64, u64)>,
    pub count: u64,
    pub sum_seconds: f64,
}

impl WaitHistogram {
    pub fn record(&self, waited: Duration) {
        let seconds = waited.as_secs_f64();
        let slot = WAIT_BUCKETS.iter().position(|bound| seconds <= *bound).unwrap_or(WAIT_BUCKETS.len());
        if let Some(bucket) = self.buckets.get(slot) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(waited.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The counts so far. Read without a lock, so a wait recorded meanwhile may show in
    /// the count and not yet in its bucket; the next read has both.
    pub fn snapshot(&self) -> WaitSnapshot {
        let mut running = 0;
        let cumulative = WAIT_BUCKETS
            .iter()
            .zip(&self.buckets)
            .map(|(bound, bucket)| {
                running += bucket.load(Ordering::Relaxed);
                (*bound, running)
            })
            .collect();
        WaitSnapshot {
            cumulative,
            count: self.count.load(Ordering::Relaxed),
            sum_seconds: self.sum_micros.load(Ordering::Relaxed) as f64 / 1_000_000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_fall_in_their_buckets_and_read_back_cumulative() {
        let waits = WaitHistogram::default();
        waits.record(Duration::ZERO);
        waits.record(Duration::from_micros(100));
        waits.record(Duration::from_micros(700));
        waits.record(Duration::from_millis(30));
        waits.record(Duration::from_secs(9));
        let read = waits.snapshot();
        let at = |bound: f64| read.cumulative.iter().find(|(b, _)| *b == bound).map(|(_, n)| *n);
        assert_eq!(at(0.0001), Some(2), "zero and 100 µs are within the first bound");
        assert_eq!(at(0.0005), Some(2));
        assert_eq!(at(0.001), Some(3));
        assert_eq!(at(0.025), Some(3));
        assert_eq!(at(0.05), Some(4));
        assert_eq!(at(5.0), Some(4), "nine seconds is above every bound");
        assert_eq!(read.count, 5);
        assert!((read.sum_seconds - 9.0308).abs() < 1e-9, "{}", read.sum_seconds);
    }
}
