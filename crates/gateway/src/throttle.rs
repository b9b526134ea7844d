//! Throttling of `POST /auth/token`: attempts are counted per client id (from each
//! connecting address) and per address before the secret is checked, so a burst of
//! parallel guesses is counted in full; a correct secret takes its attempt back. Past a
//! threshold every further attempt under that id from that address, or from that address
//! at all, waits a back-off that doubles with each failure (429 with `Retry-After`). The id
//! count is kept per address so that guessing from elsewhere cannot lock the legitimate
//! client out; the address count stops one source from trying many ids. Counts older than
//! an hour start afresh; the table is capped. They live in memory: a restart forgets them.

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

/// What is counted: a client id as tried from one address, or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Counted {
    Client { id: String, address: Option<String> },
    Address(String),
}

/// Counts older than this start afresh.
const FORGET_AFTER: chrono::Duration = chrono::Duration::hours(1);
/// The most entries kept; past it the oldest are forgotten.
const MAX_ENTRIES: usize = 10_000;
/// Longer client ids are counted by their first characters (no id is that long).
const ID_CHARS: usize = 200;

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
        let id: String = client_id.chars().take(ID_CHARS).collect();
        let mut keys = vec![Counted::Client { id, address: address.map(str::to_owned) }];
        keys.extend(address.map(|a| Counted::Address(a.to_owned())));
        keys
    }

    fn threshold(&self, key: &Counted) -> u32 {
        match key {
            Counted::Client { .. } => self.config.client_failures,
            Counted::Address(_) => self.config.address_failures,
        }
    }

    fn wait_until(&self, key: &Counted, count: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        backoff(count, self.threshold(key), self.config.first_backoff, self.config.max_backoff)
            .and_then(|wait| chrono::Duration::from_std(wait).ok())
            .map(|wait| now + wait)
    }

    /// An attempt: refused with the whole seconds to wait while this id (from this address)
    /// or this address backs off; otherwise counted as a failure until `succeeded` takes it
    /// back.
    pub fn attempt(&self, client_id: &str, address: Option<&str>, now: DateTime<Utc>) -> Result<(), u64> {
        let mut table = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let keys = Self::keys(client_id, address);
        let wait = keys
            .iter()
            .filter_map(|key| table.get(key)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| u64::try_from((until - now).num_milliseconds()).unwrap_or(0).div_ceil(1000).max(1))
            .max();
        if let Some(seconds) = wait {
            return Err(seconds);
        }
        if table.len() >= MAX_ENTRIES {
            table.retain(|_, f| f.blocked_until.is_some_and(|until| until > now) || now - f.last < FORGET_AFTER);
            if table.len() >= MAX_ENTRIES {
                let mut oldest: Vec<(DateTime<Utc>, Counted)> =
                    table.iter().map(|(k, f)| (f.last, k.clone())).collect();
                oldest.sort_by_key(|(last, _)| *last);
                for (_, key) in oldest.into_iter().take(MAX_ENTRIES / 2) {
                    table.remove(&key);
                }
            }
        }
        for key in keys {
            if self.threshold(&key) == 0 {
                continue;
            }
            let entry = table.entry(key.clone()).or_insert(Failures { count: 0, last: now, blocked_until: None });
            if now - entry.last >= FORGET_AFTER {
                entry.count = 0;
            }
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
            let count = entry.count;
            let until = self.wait_until(&key, count, now);
            if let Some(entry) = table.get_mut(&key) {
                entry.blocked_until = until;
            }
        }
        Ok(())
    }

    /// A correct secret: the id starts afresh from this address, and the address has its
    /// attempt back.
    pub fn succeeded(&self, client_id: &str, address: Option<&str>, now: DateTime<Utc>) {
        let mut table = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut keys = Self::keys(client_id, address).into_iter();
        if let Some(client) = keys.next() {
            table.remove(&client);
        }
        for key in keys {
            let Some(count) = table.get(&key).map(|f| f.count.saturating_sub(1)) else { continue };
            let until = self.wait_until(&key, count, now);
            if let Some(entry) = table.get_mut(&key) {
                entry.count = count;
                entry.blocked_until = until;
            }
        }
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
        let here = Some("10.0.0.9");
        for _ in 0..3 {
            assert_eq!(throttle.attempt("victim", here, at(0)), Ok(()));
        }
        assert_eq!(throttle.attempt("victim", here, at(0)), Err(1), "the third failure starts the back-off");
        assert_eq!(throttle.attempt("victim", here, at(1)), Ok(()), "after the wait, one more try");
        assert_eq!(throttle.attempt("victim", here, at(1)), Err(2), "doubled");
        assert_eq!(throttle.attempt("legitimate", here, at(1)), Ok(()));
        throttle.succeeded("legitimate", here, at(1));
        assert_eq!(throttle.attempt("victim", Some("10.0.0.10"), at(1)), Ok(()), "not locked out from elsewhere");
        throttle.succeeded("victim", here, at(1));
        assert_eq!(throttle.attempt("victim", here, at(1)), Ok(()), "a correct secret starts afresh");
        assert_eq!(throttle.attempt("victim", here, at(3_601 + 1)), Ok(()), "counts an hour old start afresh");
    }

    #[test]
    fn an_address_trying_many_ids_backs_off() {
        let throttle = TokenThrottle::new(ThrottleConfig {
            client_failures: 100,
            address_failures: 4,
            ..ThrottleConfig::default()
        });
        for id in ["a", "b", "c", "d"] {
            assert_eq!(throttle.attempt(id, Some("10.0.0.9"), at(0)), Ok(()));
        }
        assert_eq!(throttle.attempt("e", Some("10.0.0.9"), at(0)), Err(1));
        assert_eq!(throttle.attempt("e", Some("10.0.0.10"), at(0)), Ok(()));
    }

    #[test]
    fn successes_give_their_attempt_back_and_the_table_stays_bounded() {
        let throttle = TokenThrottle::new(ThrottleConfig { address_failures: 3, ..ThrottleConfig::default() });
        for _ in 0..10 {
            assert_eq!(throttle.attempt("busy", Some("10.0.0.9"), at(0)), Ok(()));
            throttle.succeeded("busy", Some("10.0.0.9"), at(0));
        }
        for n in 0..(MAX_ENTRIES + 10) {
            let _ = throttle.attempt(&format!("id-{n}"), None, at(0));
        }
        let size = throttle.failures.lock().unwrap().len();
        assert!(size <= MAX_ENTRIES, "{size}");
        let long = "x".repeat(10_000);
        assert_eq!(throttle.attempt(&long, None, at(0)), Ok(()));
    }
}
