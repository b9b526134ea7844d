//! Live streams (`text/event-stream`, server-sent events) that spare screens from polling:
//! the signals that wake them, the cap on how many are open, and the framing.
//!
//! The database is the stream's source of truth. A write that changes what a stream shows
//! (a quote, a close) signals the listing's id in this process; a stream woken by it, or by
//! its own poll tick (a write made by another instance or by the closer of another process),
//! reads what changed after the client's last event. So a signal lost or never sent costs at
//! most one poll interval, never an event.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use bytes::Bytes;
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use crate::AppState;

pub mod listings;
pub mod openings;

/// How often an open stream looks at the database without a signal.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// A comment line after this long without output keeps proxies from closing the stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The reconnection delay a client is told to use (`retry:`), in milliseconds.
pub const RETRY_MILLIS: u64 = 2_000;

/// Signals between the writers and the open streams of one process.
#[derive(Debug)]
pub struct LiveSignals {
    changed: broadcast::Sender<Arc<str>>,
    open: AtomicUsize,
    limit: usize,
    shutting_down: AtomicBool,
    /// Database reads of streams at once: never the whole pool, so that however many
    /// screens follow, a quote or a bid still gets a connection.
    reads: tokio::sync::Semaphore,
}

impl LiveSignals {
    /// `limit`: the most streams open at once (`GGZY_STREAM_LIMIT`); more are refused
    /// with 503 and `Retry-After`, since each holds a connection and a poll. `pool_size`:
    /// the database pool's, of which streams read through half at most.
    pub fn new(limit: usize, pool_size: u32) -> Arc<LiveSignals> {
        // A stream that falls this far behind is told it lagged and reads everything anew.
        let (changed, _) = broadcast::channel(1024);
        let reads = tokio::sync::Semaphore::new((pool_size as usize / 2).max(1));
        Arc::new(LiveSignals {
            changed,
            open: AtomicUsize::new(0),
            limit,
            shutting_down: AtomicBool::new(false),
            reads,
        })
    }

    /// Waits for one of the streams' read slots.
    pub(crate) async fn read_slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.reads.acquire().await.ok()
    }

    /// Something a stream of `object_id` shows was written (and committed).
    pub fn changed(&self, object_id: &str) {
        // No receiver means no stream is open: nothing to wake.
        let _ = self.changed.send(Arc::from(object_id));
    }

    /// The server is stopping: open streams end at their next wake, so that the graceful
    /// shutdown does not wait for clients that would never hang up.
    pub fn shut_down(&self) {
        self.shutting_down.store(true, Ordering::Relaxed);
        let _ = self.changed.send(Arc::from(""));
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.changed.subscribe()
    }

    /// A place among the open streams, or None when `limit` are open.
    pub fn admit(self: &Arc<Self>) -> Option<StreamPermit> {
        let mut open = self.open.load(Ordering::Relaxed);
        loop {
            if open >= self.limit {
                return None;
            }
            match self.open.compare_exchange_weak(open, open + 1, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Some(StreamPermit { signals: self.clone() }),
                Err(now) => open = now,
            }
        }
    }

    pub fn open_streams(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }
}

/// Held by an open stream; its place is given back when the stream is dropped (the client
/// hung up, or the stream ended).
#[derive(Debug)]
pub struct StreamPermit {
    signals: Arc<LiveSignals>,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        self.signals.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What one kind of stream follows: the object whose signals wake it, and how it reads
/// what changed.
pub(crate) trait Source: 'static {
    fn object_id(&self) -> &str;

    /// Reads what may have changed and queues its events: `signalled` when a write of this
    /// process named the object (otherwise it is the poll tick). `Follow::End` after the
    /// last event; `Follow::Fail` when the database did not answer (the client reconnects).
    async fn refresh(&mut self, state: &web::Data<AppState>, signalled: bool, out: &mut VecDeque<Bytes>) -> Follow;
}

/// Whether a stream goes on after a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Follow {
    On,
    End,
    Fail,
}

/// The response body of a stream: `first` (already read, so that an unknown object was a
/// 404), then whatever `source` queues when a signal or its poll tick wakes it, a comment
/// after a quiet `KEEP_ALIVE`, until the source ends it, the client hangs up (the body is
/// dropped with the permit) or the server stops.
pub(crate) fn drive<S: Source>(
    state: web::Data<AppState>,
    source: S,
    first: VecDeque<Bytes>,
    ended: bool,
    signals: broadcast::Receiver<Arc<str>>,
    permit: StreamPermit,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    struct Driven<S> {
        state: web::Data<AppState>,
        source: S,
        pending: VecDeque<Bytes>,
        ended: bool,
        signals: broadcast::Receiver<Arc<str>>,
        next_poll: Instant,
        last_output: Instant,
        _permit: StreamPermit,
    }
    let now = Instant::now();
    let mut pending = VecDeque::from([retry()]);
    pending.extend(first);
    let driven = Driven {
        state,
        source,
        pending,
        ended,
        signals,
        next_poll: now + POLL_INTERVAL,
        last_output: now,
        _permit: permit,
    };
    stream::unfold(driven, |mut d| async move {
        loop {
            if let Some(frame) = d.pending.pop_front() {
                d.last_output = Instant::now();
                return Some((Ok(frame), d));
            }
            if d.ended || d.state.live.is_shutting_down() {
                return None;
            }
            let signalled = tokio::select! {
                heard = d.signals.recv() => match heard {
                    Ok(id) if *id == *d.source.object_id() => true,
                    // Another object's change, or the shutdown (looked at above).
                    Ok(_) => continue,
                    // Fell behind the signals: whatever happened is read anew.
                    Err(RecvError::Lagged(_)) => true,
                    // No writer can wake it any more: the server is going away.
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep_until(d.next_poll) => false,
            };
            if !signalled {
                d.next_poll = Instant::now() + POLL_INTERVAL;
            }
            match d.source.refresh(&d.state, signalled, &mut d.pending).await {
                Follow::On => {}
                Follow::End => d.ended = true,
                Follow::Fail => return None,
            }
            if d.pending.is_empty() && d.last_output.elapsed() >= KEEP_ALIVE {
                d.pending.push_back(keep_alive());
            }
        }
    })
}

/// The 200 answer carrying a stream.
pub(crate) fn respond(stream: impl Stream<Item = Result<Bytes, Infallible>> + 'static) -> actix_web::HttpResponse {
    use actix_web::http::header;
    actix_web::HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // The events must reach the client as they are written: the compression
        // middleware leaves a response alone that names its encoding, and nginx does not
        // buffer one that says so.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream)
}

/// The `id:` of a stream's last event. A client that comes back with it as
/// `Last-Event-ID` (a browser's EventSource reconnects by itself) is answered 204, which
/// tells EventSource to stop.
pub const END_ID: &str = "end";

/// The answer to a client that already received the end.
pub(crate) fn ended() -> actix_web::HttpResponse {
    actix_web::HttpResponse::NoContent().finish()
}

/// Whether the request resumes a stream that had ended.
pub(crate) fn resumes_after_end(request: &actix_web::HttpRequest) -> bool {
    request.headers().get("Last-Event-ID").is_some_and(|v| v.as_bytes() == END_ID.as_bytes())
}

/// The refusal when `GGZY_STREAM_LIMIT` streams are open.
pub(crate) fn full() -> crate::problem::ApiError {
    crate::problem::ApiError::new(crate::problem::ProblemType::ServiceUnavailable, "实时推送连接数已满，请稍后重连")
        .retry_after(RETRY_MILLIS / 1000)
}

/// One event: `event:` its name, `id:` when the event is one of a numbered series a client
/// resumes with `Last-Event-ID`, `data:` its JSON on one line.
pub fn event(name: &str, id: Option<&str>, data: &impl Serialize) -> Result<Bytes, serde_json::Error> {
    let json = serde_json::to_string(data)?;
    let mut frame = format!("event: {name}\n");
    if let Some(id) = id {
        frame.push_str(&format!("id: {id}\n"));
    }
    frame.push_str(&format!("data: {json}\n\n"));
    Ok(Bytes::from(frame))
}

/// The first line of every stream: how long a client waits before reconnecting.
pub fn retry() -> Bytes {
    Bytes::from(format!("retry: {RETRY_MILLIS}\n\n"))
}

/// A comment, which clients ignore, to keep an idle connection open.
pub fn keep_alive() -> Bytes {
    Bytes::from_static(b": keep-alive\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_one_data_line_with_its_name_and_id() {
        let frame = event("quote", Some("7"), &serde_json::json!({"price": "1.00", "note": "a\nb"})).unwrap();
        assert_eq!(frame, Bytes::from("event: quote\nid: 7\ndata: {\"note\":\"a\\nb\",\"price\":\"1.00\"}\n\n"));
        let frame = event("listing", None, &serde_json::json!({})).unwrap();
        assert_eq!(frame, Bytes::from("event: listing\ndata: {}\n\n"));
    }

    #[test]
    fn no_more_streams_than_the_limit_are_admitted_and_a_dropped_one_frees_its_place() {
        let signals = LiveSignals::new(2, 10);
        let first = signals.admit().unwrap();
        let _second = signals.admit().unwrap();
        assert!(signals.admit().is_none());
        assert_eq!(signals.open_streams(), 2);
        drop(first);
        assert!(signals.admit().is_some());
    }

    #[test]
    fn a_subscriber_hears_which_object_changed_and_the_shutdown() {
        let signals = LiveSignals::new(1, 10);
        let mut heard = signals.subscribe();
        signals.changed("listing-1");
        assert_eq!(&*heard.try_recv().unwrap(), "listing-1");
        assert!(!signals.is_shutting_down());
        signals.shut_down();
        assert!(signals.is_shutting_down());
        assert_eq!(&*heard.try_recv().unwrap(), "");
    }
}
