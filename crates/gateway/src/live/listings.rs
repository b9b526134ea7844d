//! The live stream of one listing: its accepted quotes as a numbered series, and the
//! listing as it stands after each change.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use actix_web::web;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use ggzy_service::listings::{Listing, ListingChanges};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use super::{event, keep_alive, retry, StreamPermit, KEEP_ALIVE, POLL_INTERVAL};
use crate::routes::run;
use crate::AppState;

/// An open stream's state between two writes to the client.
struct Follower {
    state: web::Data<AppState>,
    listing_id: String,
    /// The sequence of the last quote sent (or the client's `Last-Event-ID`).
    last_sequence: i32,
    /// The progress row's version of the last listing sent.
    version: i32,
    /// The next instant at which the listing's phase may change by the clock alone.
    next_boundary: Option<DateTime<Utc>>,
    pending: VecDeque<Bytes>,
    signals: broadcast::Receiver<Arc<str>>,
    next_poll: Instant,
    last_output: Instant,
    ended: bool,
    _permit: StreamPermit,
}

enum Wake {
    Signalled,
    Tick,
}

/// The stream of `listing_id` for a client whose last quote was `after`, starting from the
/// `first` read. `signals` is subscribed before that read, so no write after it goes
/// unheard.
pub fn stream(
    state: web::Data<AppState>,
    listing_id: String,
    after: i32,
    first: ListingChanges,
    signals: broadcast::Receiver<Arc<str>>,
    permit: StreamPermit,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    let now = Instant::now();
    let mut follower = Follower {
        state,
        listing_id,
        last_sequence: after,
        version: first.version,
        next_boundary: None,
        pending: VecDeque::from([retry()]),
        signals,
        next_poll: now + POLL_INTERVAL,
        last_output: now,
        ended: false,
        _permit: permit,
    };
    follower.take(first, true);
    stream::unfold(follower, |mut follower| async move {
        loop {
            if let Some(frame) = follower.pending.pop_front() {
                follower.last_output = Instant::now();
                return Some((Ok(frame), follower));
            }
            if follower.ended || follower.state.live.is_shutting_down() {
                return None;
            }
            let wake = tokio::select! {
                heard = follower.signals.recv() => match heard {
                    Ok(id) if *id == *follower.listing_id => Wake::Signalled,
                    // Another object's change, or the shutdown (looked at above).
                    Ok(_) => continue,
                    // Fell behind the signals: whatever happened is read anew.
                    Err(RecvError::Lagged(_)) => Wake::Signalled,
                    Err(RecvError::Closed) => Wake::Tick,
                },
                () = tokio::time::sleep_until(follower.next_poll) => Wake::Tick,
            };
            if !follower.wake(wake).await {
                return None;
            }
        }
    })
}

impl Follower {
    /// Reads what changed, if anything may have; false when the stream must end (the
    /// database did not answer: the client reconnects and resumes from its last quote).
    async fn wake(&mut self, wake: Wake) -> bool {
        let clock_passed = self.next_boundary.is_some_and(|at| self.state.platform.now() >= at);
        let read = match wake {
            Wake::Signalled => true,
            Wake::Tick => {
                self.next_poll = Instant::now() + POLL_INTERVAL;
                let id = self.listing_id.clone();
                match run(&self.state, move |p| p.listing_version(&id)).await {
                    Ok(version) => version != self.version || clock_passed,
                    Err(error) => {
                        tracing::warn!(listing_id = %self.listing_id, %error, "a listing stream could not read");
                        return false;
                    }
                }
            }
        };
        if read {
            let (id, after) = (self.listing_id.clone(), self.last_sequence);
            match run(&self.state, move |p| p.listing_changes(&id, after)).await {
                Ok(changes) => {
                    let moved = changes.version != self.version || !changes.quotes.is_empty() || clock_passed;
                    self.take(changes, moved);
                }
                Err(error) => {
                    tracing::warn!(listing_id = %self.listing_id, %error, "a listing stream could not read");
                    return false;
                }
            }
        }
        if self.pending.is_empty() && self.last_output.elapsed() >= KEEP_ALIVE {
            self.pending.push_back(keep_alive());
        }
        true
    }

    /// Queues the quotes of a read and, when `moved`, the listing as it stands (`end` once
    /// it is concluded, after which the stream closes).
    fn take(&mut self, changes: ListingChanges, moved: bool) {
        for quote in &changes.quotes {
            match event("quote", Some(i64::from(quote.sequence)), quote) {
                Ok(frame) => self.pending.push_back(frame),
                Err(error) => return self.fail(&error),
            }
            self.last_sequence = quote.sequence;
        }
        self.version = changes.version;
        self.next_boundary = next_boundary(&changes.listing, self.state.platform.now());
        if moved {
            let concluded = changes.listing.result.is_some();
            match event(if concluded { "end" } else { "listing" }, None, &changes.listing) {
                Ok(frame) => self.pending.push_back(frame),
                Err(error) => return self.fail(&error),
            }
            self.ended = concluded;
        }
    }

    fn fail(&mut self, error: &serde_json::Error) {
        tracing::error!(listing_id = %self.listing_id, %error, "a listing event could not be written");
        self.ended = true;
    }
}

/// The first of the listing's times still ahead: when it starts, ends, and when its
/// auction ends; at each the phase may move without a write.
fn next_boundary(listing: &Listing, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    [Some(listing.listing_start), Some(listing.listing_end), listing.auction_end]
        .into_iter()
        .flatten()
        .filter(|at| *at > now)
        .min()
}
