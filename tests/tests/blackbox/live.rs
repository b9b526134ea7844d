//! Live streams: fifty bidding screens follow one listing's stream and see every accepted
//! quote in order; one that drops its connection and reconnects with `Last-Event-ID`
//! misses none; the stream ends with the listing's conclusion.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::Value;

use crate::listings::{at, bidders, close, listed, quote};
use crate::send;

const CLIENTS: usize = 50;
const QUOTES: usize = 12;
/// The quotes the reconnecting client receives before it drops its connection.
const BEFORE_DROP: usize = 5;

/// One server-sent event as a client sees it.
#[derive(Debug, Clone)]
struct Event {
    name: String,
    id: Option<String>,
    data: Value,
}

/// A client's open stream.
struct Stream {
    lines: std::io::Lines<BufReader<reqwest::blocking::Response>>,
    retry_seen: bool,
}

impl Stream {
    fn open(server: &Server, listing: &str, last_event_id: Option<usize>) -> Stream {
        // A client of its own: the harness's client gives up on a body after 30 s.
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
        let mut request = client
            .get(server.url(&format!("/api/v1/public/listings/{listing}/events")))
            .header("Accept", "text/event-stream")
            // The stream must not be held back by the compression middleware.
            .header("Accept-Encoding", "gzip");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        assert!(response.headers().get("content-encoding").is_none_or(|v| v == "identity"));
        Stream { lines: BufReader::new(response).lines(), retry_seen: false }
    }

    /// The next event, or None when the server closed the stream.
    fn next(&mut self) -> Option<Event> {
        let (mut name, mut id, mut data) = (None, None, None);
        for line in self.lines.by_ref() {
            let line = line.unwrap();
            if line.is_empty() {
                if let Some(name) = name.take() {
                    let data: String = data.take().expect("an event has data");
                    return Some(Event { name, id: id.take(), data: serde_json::from_str(&data).unwrap() });
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(": ").unwrap_or((&line, ""));
            match field {
                "retry" => self.retry_seen = true,
                "event" => name = Some(value.to_owned()),
                "id" => id = Some(value.to_owned()),
                "data" => data = Some(value.to_owned()),
                other => panic!("unknown field {other}: {line}"),
            }
        }
        None
    }

    /// The next quote event, passing over `listing` events; panics on any other.
    fn next_quote(&mut self) -> Event {
        loop {
            let event = self.next().expect("the stream stays open while quotes come");
            match event.name.as_str() {
                "quote" => return event,
                "listing" => continue,
                other => panic!("unexpected event {other}: {event:?}"),
            }
        }
    }
}

fn fifty_screens_follow_a_listing_and_a_reconnecting_one_misses_no_quote(backend: Backend) {
    let Some(mut s) = listed(backend) else { return };
    let ids = bidders(&mut s, 1, 2);
    let s = at(s, "2026-11-24T10:00:00+08:00");
    let events = format!("/api/v1/public/listings/{}/events", s.listing);

    // Bad input is refused before anything is streamed.
    let reply = send(s.server.client().get(s.server.url(&events)).header("Last-Event-ID", "abc"));
    reply.problem(422, "validation-failed");
    assert_eq!(reply.error_fields(), ["Last-Event-ID"]);
    send(s.server.client().get(s.server.url("/api/v1/public/listings/00000000-0000-0000-0000-000000000000/events")))
        .problem(404, "not-found");

    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let (dropped_tx, dropped_rx) = mpsc::channel::<()>();
    let (resume_tx, resume_rx) = mpsc::channel::<()>();
    let seen: Vec<Vec<Event>> = std::thread::scope(|scope| {
        let mut readers = Vec::new();
        let mut resume_rx = Some(resume_rx);
        for client in 0..CLIENTS {
            let (server, listing, ready) = (&s.server, &s.listing, ready_tx.clone());
            let reconnecting = (client == 0).then(|| (dropped_tx.clone(), resume_rx.take().unwrap()));
            readers.push(scope.spawn(move || {
                let mut stream = Stream::open(server, listing, None);
                let first = stream.next().unwrap();
                assert!(stream.retry_seen, "the stream tells its reconnection delay first");
                assert_eq!(
                    (first.name.as_str(), &first.data["phase"], &first.id),
                    ("listing", &Value::from("listing"), &None)
                );
                assert_eq!(first.data["quotes"], 0);
                ready.send(()).unwrap();
                let mut quotes = Vec::new();
                if let Some((dropped, resume)) = reconnecting {
                    while quotes.len() < BEFORE_DROP {
                        quotes.push(stream.next_quote());
                    }
                    drop(stream);
                    dropped.send(()).unwrap();
                    resume.recv().unwrap();
                    let last = quotes.last().unwrap().id.clone().unwrap();
                    stream = Stream::open(server, listing, Some(last.parse().unwrap()));
                    // What it missed, then where the listing stands.
                    while quotes.len() < QUOTES {
                        let missed = stream.next().unwrap();
                        assert_eq!(missed.name, "quote", "{missed:?}");
                        quotes.push(missed);
                    }
                    let snapshot = stream.next().unwrap();
                    assert_eq!(snapshot.name, "listing", "{snapshot:?}");
                    assert_eq!(snapshot.data["quotes"], QUOTES, "{snapshot:?}");
                    assert_eq!(snapshot.data["current_price"], quotes.last().unwrap().data["price"]);
                }
                while quotes.len() < QUOTES {
                    quotes.push(stream.next_quote());
                }
                quotes
            }));
        }
        drop(ready_tx);
        for _ in 0..CLIENTS {
            ready_rx.recv_timeout(Duration::from_secs(60)).expect("every screen connected");
        }
        // Two bidders outbid each other, one increment at a time; the reconnecting screen
        // hangs up after the fifth quote and comes back after the last.
        let mut accepted = Vec::new();
        for n in 0..QUOTES {
            if n == BEFORE_DROP {
                dropped_rx.recv_timeout(Duration::from_secs(60)).expect("the screen dropped its connection");
            }
            let price = 1_000_000 + 10_000 * n as i64;
            let reply = quote(&s, &ids[n % 2], &format!("{price}.00"));
            assert_eq!(reply.status, 201, "{}", reply.text);
            accepted.push(reply.body);
        }
        resume_tx.send(()).unwrap();
        let seen: Vec<Vec<Event>> = readers.into_iter().map(|r| r.join().unwrap()).collect();
        for (client, quotes) in seen.iter().enumerate() {
            let got: Vec<(&Value, &Value, &Value)> =
                quotes.iter().map(|e| (&e.data["sequence"], &e.data["price"], &e.data["bidder_number"])).collect();
            let want: Vec<(&Value, &Value, &Value)> =
                accepted.iter().map(|q| (&q["sequence"], &q["price"], &q["bidder_number"])).collect();
            assert_eq!(got, want, "screen {client} saw every accepted quote once, in order");
            let ids: Vec<String> = quotes.iter().map(|e| e.id.clone().unwrap()).collect();
            let sequences: Vec<String> = (1..=QUOTES).map(|n| n.to_string()).collect();
            assert_eq!(ids, sequences, "each quote carries its sequence as the event id");
        }
        seen
    });
    assert_eq!(seen.len(), CLIENTS);

    // The listing's time is up: the close sends it to an auction (two bidders quoted); when
    // the auction ends without a quote, the close concludes it and the stream ends.
    let s = at(s, "2026-12-07T15:00:00+08:00");
    let auction = close(&s);
    assert_eq!(auction.body["phase"], "auction", "{}", auction.text);
    let s = at(s, "2026-12-07T15:05:00+08:00");
    let mut stream = Stream::open(&s.server, &s.listing, Some(QUOTES));
    let snapshot = stream.next().unwrap();
    // The phase follows the clock before the close applies the result.
    assert_eq!(
        (snapshot.name.as_str(), &snapshot.data["phase"], &snapshot.data["result"]),
        ("listing", &Value::from("sold"), &Value::Null)
    );
    let sold = close(&s);
    assert_eq!(sold.body["phase"], "sold", "{}", sold.text);
    let end = stream.next().expect("the conclusion is sent");
    assert_eq!(end.name, "end", "{end:?}");
    assert_eq!(end.data["result"]["winner_number"], sold.body["result"]["winner_number"]);
    assert!(stream.next().is_none(), "the stream closes after its end");
}

/// SIGTERM ends the open streams at once: the graceful shutdown does not wait its 30 seconds
/// for screens that would never hang up.
fn a_stopping_server_ends_its_streams(backend: Backend) {
    let Some(s) = listed(backend) else { return };
    let mut stream = Stream::open(&s.server, &s.listing, None);
    assert_eq!(stream.next().unwrap().data["phase"], "announced");
    let asked = std::time::Instant::now();
    assert!(s.server.terminate(), "the server stopped cleanly");
    assert!(asked.elapsed() < Duration::from_secs(10), "stopped after {:?}", asked.elapsed());
    assert!(stream.next().is_none(), "the stream ended with the server");
}

both_backends!(
    fifty_screens_follow_a_listing_and_a_reconnecting_one_misses_no_quote,
    a_stopping_server_ends_its_streams
);
