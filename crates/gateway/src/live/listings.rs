//! The live stream of one listing: its accepted quotes as a numbered series, and the
//! listing as it stands after each change.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use actix_web::web;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::Stream;
use ggzy_service::listings::{Listing, ListingChanges};
use tokio::sync::broadcast;

use super::{drive, event, Follow, Source, StreamPermit};
use crate::routes::run;
use crate::AppState;

/// What a listing's stream remembers between reads.
struct ListingSource {
    listing_id: String,
    /// The sequence of the last quote sent (or the client's `Last-Event-ID`).
    last_sequence: i32,
    /// The progress row's version of the last listing sent.
    version: i32,
    /// The next instant at which the listing's phase may change by the clock alone.
    next_boundary: Option<DateTime<Utc>>,
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
    let mut source = ListingSource { listing_id, last_sequence: after, version: first.version, next_boundary: None };
    let mut frames = VecDeque::new();
    let follow = source.take(first, true, state.platform.now(), &mut frames);
    drive(state, source, frames, follow != Follow::On, signals, permit)
}

impl Source for ListingSource {
    fn object_id(&self) -> &str {
        &self.listing_id
    }

    async fn refresh(&mut self, state: &web::Data<AppState>, signalled: bool, out: &mut VecDeque<Bytes>) -> Follow {
        let now = state.platform.now();
        let clock_passed = self.next_boundary.is_some_and(|at| now >= at);
        if !signalled && !clock_passed {
            // The poll tick: a cheap look at the version first.
            let id = self.listing_id.clone();
            let Some(_slot) = state.live.read_slot().await else { return Follow::Fail };
            match run(state, move |p| p.listings().listing_version(&id)).await {
                Ok(version) if version == self.version => return Follow::On,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(listing_id = %self.listing_id, %error, "a listing stream could not read");
                    return Follow::Fail;
                }
            }
        }
        let (id, after) = (self.listing_id.clone(), self.last_sequence);
        let Some(_slot) = state.live.read_slot().await else { return Follow::Fail };
        match run(state, move |p| p.listings().listing_changes(&id, after)).await {
            Ok(changes) => {
                let moved = changes.version != self.version || !changes.quotes.is_empty() || clock_passed;
                self.take(changes, moved, now, out)
            }
            Err(error) => {
                tracing::warn!(listing_id = %self.listing_id, %error, "a listing stream could not read");
                Follow::Fail
            }
        }
    }
}

impl ListingSource {
    /// Queues the quotes of a read and, when `moved`, the listing as it stands (`end` once
    /// it is concluded, after which the stream closes).
    fn take(&mut self, changes: ListingChanges, moved: bool, now: DateTime<Utc>, out: &mut VecDeque<Bytes>) -> Follow {
        for quote in &changes.quotes {
            match event("quote", Some(&quote.sequence.to_string()), quote) {
                Ok(frame) => out.push_back(frame),
                Err(error) => return self.fail(&error),
            }
            self.last_sequence = quote.sequence;
        }
        self.version = changes.version;
        self.next_boundary = next_boundary(&changes.listing, now);
        if !moved {
            return Follow::On;
        }
        let concluded = changes.listing.result.is_some();
        let frame = if concluded {
            event("end", Some(super::END_ID), &changes.listing)
        } else {
            event("listing", None, &changes.listing)
        };
        match frame {
            Ok(frame) => out.push_back(frame),
            Err(error) => return self.fail(&error),
        }
        if concluded {
            Follow::End
        } else {
            Follow::On
        }
    }

    fn fail(&self, error: &serde_json::Error) -> Follow {
        tracing::error!(listing_id = %self.listing_id, %error, "a listing event could not be written");
        Follow::Fail
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
