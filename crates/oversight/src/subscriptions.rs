//! Webhook subscriptions of other district systems: the address a subscription is made
//! for, how long a rotated-away secret keeps signing, and which secrets sign a delivery at
//! a given moment. Drawing the secrets and the signing itself are the caller's. No I/O.

use chrono::{DateTime, TimeDelta, Utc};
use ggzy_kernel::validation::read;
use ggzy_kernel::FieldError;

/// The longest address a subscription keeps, in characters.
pub const URL_MAX_CHARS: usize = 500;
/// How long a rotated-away secret signs when the request names no grace period.
pub const DEFAULT_GRACE_HOURS: u32 = 24;
/// The grace periods a rotation may ask for (a week at most).
pub const GRACE_HOURS: std::ops::RangeInclusive<u32> = 1..=168;

/// The address deliveries go to: required, plain text of at most [`URL_MAX_CHARS`], http
/// or https; every problem named.
pub fn read_url(url: Option<String>) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    let url =
        read::required(&mut problems, "url", url).and_then(|u| read::text(&mut problems, "url", u, URL_MAX_CHARS));
    if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
        problems.push(FieldError::new("url", "not_http", "须为 http 或 https 地址"));
    }
    match url {
        Some(url) if problems.is_empty() => Ok(url),
        _ => Err(problems),
    }
}

/// Until when the secret a rotation at `now` replaces keeps signing: `grace_hours` (by
/// default [`DEFAULT_GRACE_HOURS`]) within [`GRACE_HOURS`].
pub fn previous_secret_until(grace_hours: Option<u32>, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let grace = grace_hours.unwrap_or(DEFAULT_GRACE_HOURS);
    if !GRACE_HOURS.contains(&grace) {
        return Err(FieldError::new("grace_hours", "out_of_range", "宽限期为 1 至 168 小时"));
    }
    Ok(now + TimeDelta::hours(i64::from(grace)))
}

/// The secrets that sign a delivery at `now`, the current one first: a rotated-away secret
/// signs as well until its grace period ends, so that the receiver may switch over.
pub fn signing_secrets<'a>(
    current: &'a str,
    previous: Option<&'a str>,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<&'a str> {
    let mut secrets = vec![current];
    if let (Some(previous), Some(until)) = (previous, previous_until) {
        if now < until {
            secrets.push(previous);
        }
    }
    secrets
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn codes(result: Result<String, Vec<FieldError>>) -> Vec<String> {
        result.err().unwrap_or_default().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_subscription_is_made_for_an_http_address() {
        type Read = Result<&'static str, &'static [&'static str]>;
        let table: &[(Option<&str>, Read)] = &[
            (Some("https://a.example/hook"), Ok("https://a.example/hook")),
            (Some("  http://a.example/hook "), Ok("http://a.example/hook")),
            (Some("ftp://a.example/hook"), Err(&["not_http"])),
            (Some("a.example"), Err(&["not_http"])),
            (Some("   "), Err(&["blank"])),
            (None, Err(&["required"])),
        ];
        for (url, expected) in table {
            let read = read_url(url.map(str::to_owned));
            match expected {
                Ok(url) => assert_eq!(read, Ok((*url).to_owned())),
                Err(expected) => assert_eq!(codes(read), *expected, "{url:?}"),
            }
        }
        let long = format!("https://{}", "a".repeat(URL_MAX_CHARS));
        assert_eq!(codes(read_url(Some(long))), ["too_long"]);
    }

    #[test]
    fn the_grace_period_is_a_day_by_default_and_a_week_at_most() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
        let table: &[(Option<u32>, Option<i64>)] =
            &[(None, Some(24)), (Some(1), Some(1)), (Some(168), Some(168)), (Some(0), None), (Some(169), None)];
        for (asked, hours) in table {
            let until = previous_secret_until(*asked, now);
            assert_eq!(until.as_ref().ok().copied(), hours.map(|h| now + TimeDelta::hours(h)), "{asked:?}");
            if let Err(error) = until {
                assert_eq!((error.field.as_str(), error.code.as_str()), ("grace_hours", "out_of_range"));
            }
        }
    }

    #[test]
    fn a_rotated_away_secret_signs_until_its_grace_period_ends() {
        let until = Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap();
        let before = until - TimeDelta::seconds(1);
        assert_eq!(signing_secrets("new", Some("old"), Some(until), before), ["new", "old"]);
        assert_eq!(signing_secrets("new", Some("old"), Some(until), until), ["new"]);
        assert_eq!(signing_secrets("new", None, Some(until), before), ["new"]);
        assert_eq!(signing_secrets("new", Some("old"), None, before), ["new"]);
    }
}
