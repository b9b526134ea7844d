//! Throttling of `POST /auth/token`: wrong client secrets are counted per client id and per
//! connecting address; past a threshold every further attempt under that id or from that
//! address waits a back-off that doubles with each failure (429 with `Retry-After`). A
//! correct secret resets its client id's count, so the legitimate client of one id is not
//! held up by an attack on another. Counts live in memory: a restart forgets them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Read from the environment where the gateway's configuration is read (config.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures of one client id before its back-off starts (`GGZY_AUTH_CLIENT_FAILURES`,
    /// 5; 0 turns the per-id count off).
    pub client_failures: u32,
    /// Failures from one address before its back-off starts (`GGZY_AUTH_ADDRESS_FAILURES`,
    /// 50; 0 turns it off, e.g. behind a proxy where every client has the proxy's address).
    pub address_failures: u32,
    /// The first wait (`GGZY_AUTH_BACKOFF_SECONDS`, 1 s); it doubles with every further
    /// failure up to `max_backoff` (15 minutes).
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            client_failures: 5,
            address_failures: 50,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(15 * 60),
        }
    }
}

/// The wait after `failures` failures where the back-off starts at `threshold`: none below
/// it, then `first`, `2·first`, `4·first` … capped at `max`. A threshold of 0 never waits.
pub fn backoff(failures: u32, threshold: u32, first: Duration, max: Duration) -> Option<Duration> {
    if threshold == 0 || failures < threshold {
        return None;
    }
    let doublings = (failures - threshold).min(30);
    Some(first.saturating_mul(1_u32 << doublings).min(max))
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
}

/// What is counted: a client id or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Counted {
    Client(String),
    Address(String),
}

/// Counts older than this are forgotten when the table grows large.
const FORGET_AFTER: chrono::Duration = chrono::Duration::hours(1);
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct TokenThrottle {
    config: ThrottleConfig,
    failures: Mutex<HashMap<Counted, Failures>>,
}

impl TokenThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        TokenThrottle { config, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(client_id: &str, address: Option<&str>) -> Vec<Counted> {
        let mut keys = vec![Counted::Client(client_id.to_owned())];
        keys.extend(address.map(|a| Counted::Address(a.to_owned())));
        keys
    }

    fn threshold(&self, key: &Counted) -> u32 {
        match key {
            Counted::Client(_) => self.config.client_failures,
            Counted::Address(_) => self.config.address_failures,
        }
    }

    /// The whole seconds to wait before this client id may try again from this address, if
    /// either is backing off.
    pub fn retry_after(&self, client_id: &str, address: Option<&str>, now: DateTime<Utc>) -> Option<u64> {
        let table = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::keys(client_id, address)
            .iter()
            .filter_map(|key| table.get(key)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| u64::try_from((until - now).num_milliseconds()).unwrap_or(0).div_ceil(1000).max(1))
            .max()
    }

    /// A wrong secret (or an unknown id).
    pub fn failed(&self, client_id: &str, address: Option<&str>, now: DateTime<Utc>) {
        let mut table = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if table.len() > PRUNE_ABOVE {
            table.retain(|_, f| f.blocked_until.is_some_and(|until| until > now) || now - f.last < FORGET_AFTER);
        }
        for key in Self::keys(client_id, address) {
            let threshold = self.threshold(&key);
            if threshold == 0 {
                continue;
            }
            let entry = table.entry(key).or_insert(Failures { count: 0, last: now, blocked_until: None });
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
            entry.blocked_until = backoff(entry.count, threshold, self.config.first_backoff, self.config.max_backoff)
                .and_then(|wait| chrono::Duration::from_std(wait).ok())
                .map(|wait| now + wait);
        }
    }

    /// A correct secret: its client id starts afresh (the address keeps its count).
    pub fn succeeded(&self, client_id: &str) {
        let mut table = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        table.remove(&Counted::Client(client_id.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn backoff_starts_at_the_threshold_and_doubles_to_the_cap() {
        let (first, max) = (Duration::from_secs(1), Duration::from_secs(60));
        assert_eq!(backoff(4, 5, first, max), None);
        assert_eq!(backoff(5, 5, first, max), Some(Duration::from_secs(1)));
        assert_eq!(backoff(6, 5, first, max), Some(Duration::from_secs(2)));
        assert_eq!(backoff(8, 5, first, max), Some(Duration::from_secs(8)));
        assert_eq!(backoff(20, 5, first, max), Some(max));
        assert_eq!(backoff(u32::MAX, 5, first, max), Some(max));
        assert_eq!(backoff(100, 0, first, max), None, "0 turns it off");
    }

    #[test]
    fn an_attacked_id_backs_off_and_another_id_does_not() {
        let throttle = TokenThrottle::new(ThrottleConfig { client_failures: 3, ..ThrottleConfig::default() });
        for _ in 0..2 {
            throttle.failed("victim", Some("10.0.0.9"), at(0));
        }
        assert_eq!(throttle.retry_after("victim", Some("10.0.0.9"), at(0)), None);
        throttle.failed("victim", Some("10.0.0.9"), at(0));
        assert_eq!(throttle.retry_after("victim", Some("10.0.0.9"), at(0)), Some(1));
        throttle.failed("victim", Some("10.0.0.9"), at(0));
        assert_eq!(throttle.retry_after("victim", None, at(0)), Some(2), "doubled");
        assert_eq!(throttle.retry_after("victim", None, at(2)), None, "over once the wait is over");
        assert_eq!(throttle.retry_after("legitimate", Some("10.0.0.9"), at(0)), None);
        throttle.succeeded("victim");
        assert_eq!(throttle.retry_after("victim", None, at(0)), None);
    }

    #[test]
    fn an_address_trying_many_ids_backs_off() {
        let throttle = TokenThrottle::new(ThrottleConfig {
            client_failures: 100,
            address_failures: 4,
            ..ThrottleConfig::default()
        });
        for id in ["a", "b", "c", "d"] {
            throttle.failed(id, Some("10.0.0.9"), at(0));
        }
        assert_eq!(throttle.retry_after("e", Some("10.0.0.9"), at(0)), Some(1));
        assert_eq!(throttle.retry_after("e", Some("10.0.0.10"), at(0)), None);
    }
}
