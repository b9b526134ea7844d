//! Live streams: fifty bidding screens follow one listing's stream and see every accepted
//! quote in order; one that drops its connection and reconnects with `Last-Event-ID`
//! misses none; the stream ends with the listing's conclusion. An opening followed live by
//! its parties, with nothing of the bids before it begins. A stopping server ends them.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::Value;

use crate::bids::{bid_body, ready_bidder, tender};
use crate::envelopes::{decrypt_in_open_window, place_bid};
use crate::listings::{at, bidders, close, listed, quote};
use crate::{post, send};

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
        Stream::open_path(server, &format!("/api/v1/public/listings/{listing}/events"), None, last_event_id)
    }

    fn open_path(server: &Server, path: &str, token: Option<&str>, last_event_id: Option<usize>) -> Stream {
        // A client of its own: the harness's client gives up on a body after 30 s.
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
        let mut request = client
            .get(server.url(path))
            .header("Accept", "text/event-stream")
            // The stream must not be held back by the compression middleware.
            .header("Accept-Encoding", "gzip");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
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
    assert_eq!(end.id.as_deref(), Some("end"));
    assert!(stream.next().is_none(), "the stream closes after its end");
    // A browser reconnects by itself with the last id: told there is nothing more.
    let again = send(s.server.client().get(s.server.url(&events)).header("Last-Event-ID", "end"));
    assert_eq!(again.status, 204, "{}", again.text);
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

/// The opening of a section whose three bidders sealed their bids, followed live by the
/// tenderer and a bidder: nothing of the bids before the opening begins, then the window,
/// each decryption, and the opening record at the end.
fn an_opening_is_followed_live_and_shows_no_bid_before_it_begins(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let mut bidders = Vec::new();
    for (code, id_body, price) in [
        ("914403001922038216", "11010519800101001", "987654.32"),
        ("91110108551385082Q", "11010519800101002", "990000.00"),
        ("9144030071526726XG", "11010519800101003", "995000.00"),
    ] {
        let (id, token, manager) = ready_bidder(&t.server, &t.section, code, id_body);
        let placed = place_bid(&t.server, &t.section, &token, &bid_body(price, &manager, None));
        assert_eq!(placed.status, 201, "{}", placed.text);
        bidders.push(id);
    }
    let outsider_code =
        format!("92110000000000777{}", ggzy_kernel::CreditCode::check_character("92110000000000777").unwrap());
    let (outsider, outsider_token, outsider_manager) =
        ready_bidder(&t.server, &t.section, &outsider_code, "11010519800101004");
    // It bids, then withdraws before the deadline: no party of the opening any more.
    let withdrawn = place_bid(&t.server, &t.section, &outsider_token, &bid_body("999000.00", &outsider_manager, None));
    assert_eq!(withdrawn.status, 201, "{}", withdrawn.text);
    let withdrawal = post(
        &t.server,
        &format!("/api/v1/bids/{}/withdrawal", withdrawn.body["id"].as_str().unwrap()),
        Some(&outsider_token),
        &serde_json::json!({}),
    );
    assert_eq!(withdrawal.status, 200, "{}", withdrawal.text);
    let path = format!("/api/v1/sections/{}/opening/events", t.section);

    // Before the opening: where it stands, and nothing of the bids, for those who follow it.
    for token in [t.server.token("tenderer", Some(&t.tenderer)), t.server.token("bidder", Some(&bidders[0]))] {
        let mut stream = Stream::open_path(&t.server, &path, Some(&token), None);
        let first = stream.next().unwrap();
        assert_eq!(first.name, "progress", "{first:?}");
        assert_eq!(first.data["stage"], "awaiting");
        assert_eq!(first.data["bids"], Value::Null, "not even how many bids: {first:?}");
        assert_eq!(first.data["opening_at"], "2026-11-23T02:00:00Z");
    }
    // Nobody else learns that the section is being followed, or even that it exists.
    for token in [t.server.token("bidder", Some(&outsider)), t.server.token("expert", Some("e1"))] {
        send(t.server.client().get(t.server.url(&path)).bearer_auth(token)).problem(404, "not-found");
    }
    send(t.server.client().get(t.server.url(&path))).problem(401, "unauthenticated");

    // At the opening time the tenderer and a bidder follow it to its end.
    let server = t.server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer = server.token("tenderer", Some(&t.tenderer));
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let (window_tx, window_rx) = mpsc::channel::<()>();
    let followed: Vec<Vec<Event>> = std::thread::scope(|scope| {
        let readers: Vec<_> = [tenderer.clone(), server.token("bidder", Some(&bidders[1]))]
            .into_iter()
            .map(|token| {
                let (server, path, ready, window) = (&server, &path, ready_tx.clone(), window_tx.clone());
                scope.spawn(move || {
                    let mut stream = Stream::open_path(server, path, Some(&token), None);
                    let mut events = vec![stream.next().unwrap()];
                    ready.send(()).unwrap();
                    while let Some(event) = stream.next() {
                        if event.data["stage"] == "decrypting" && event.data["bids"]["decrypted"] == 0 {
                            window.send(()).unwrap();
                        }
                        events.push(event);
                    }
                    events
                })
            })
            .collect();
        for _ in 0..2 {
            ready_rx.recv_timeout(Duration::from_secs(60)).expect("both follow");
        }
        // The window opens; once both screens show it, the bidders decrypt.
        let window = post(
            &server,
            &format!("/api/v1/sections/{}/decryption-window", t.section),
            Some(&tenderer),
            &serde_json::json!({}),
        );
        assert_eq!(window.status, 200, "{}", window.text);
        for _ in 0..2 {
            window_rx.recv_timeout(Duration::from_secs(60)).expect("both see the window open");
        }
        decrypt_in_open_window(&server, &t.section, &[]);
        let opened = post(
            &server,
            &format!("/api/v1/sections/{}/opening", t.section),
            Some(&tenderer),
            &serde_json::json!({ "witness_id": t.witness }),
        );
        assert_eq!(opened.status, 200, "{}", opened.text);
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for events in followed {
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"progress"), "{names:?}");
        assert_eq!(names.last(), Some(&"end"), "the stream ends with the record: {names:?}");
        assert_eq!(events[0].data["stage"], "awaiting");
        assert_eq!(events[0].data["bids"], Value::Null);
        let progress: Vec<&Value> = events.iter().filter(|e| e.name == "progress").map(|e| &e.data).collect();
        let decrypting: Vec<&&Value> = progress.iter().filter(|p| p["stage"] == "decrypting").collect();
        assert!(!decrypting.is_empty(), "the window is seen open: {progress:?}");
        assert_eq!(decrypting[0]["bids"]["bids"], 3);
        assert_eq!(decrypting[0]["bids"]["sealed_by_bidders"], 3);
        assert!(decrypting[0]["window_closes_at"].is_string());
        // Each decryption is seen as it comes (several may fall between two reads).
        let counts: Vec<u64> = decrypting.iter().map(|p| p["bids"]["decrypted"].as_u64().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] < w[1]), "{counts:?}");
        let last = progress.last().unwrap();
        assert_eq!(
            (&last["stage"], &last["bids"]["decrypted"], &last["bids"]["pending"]),
            (&Value::from("opened"), &Value::from(3), &Value::from(0))
        );
        let record = &events.last().unwrap().data;
        assert_eq!(record["bid_count"], 3, "{record}");
        assert_eq!(record["section_id"], t.section);
        assert_eq!(events.last().unwrap().id.as_deref(), Some("end"));
    }
}

/// A tender terminated before its opening: its followers are told there will be none.
fn an_opening_stream_of_a_terminated_tender_ends(backend: Backend) {
    let Some(t) = tender(backend) else { return };
    let tenderer = t.server.token("tenderer", Some(&t.tenderer));
    let terminated = post(
        &t.server,
        &format!("/api/v1/projects/{}/termination", t.project["id"].as_str().unwrap()),
        Some(&tenderer),
        &serde_json::json!({"reason": "项目取消"}),
    );
    assert_eq!(terminated.status, 200, "{}", terminated.text);
    let path = format!("/api/v1/sections/{}/opening/events", t.section);
    let mut stream = Stream::open_path(&t.server, &path, Some(&tenderer), None);
    let progress = stream.next().unwrap();
    assert_eq!((progress.name.as_str(), &progress.data["stage"]), ("progress", &Value::from("cancelled")));
    assert_eq!(progress.data["bids"], Value::Null, "a tender that never opened never tells its bids");
    let end = stream.next().unwrap();
    assert_eq!((end.name.as_str(), end.id.as_deref()), ("end", Some("end")));
    assert!(stream.next().is_none());
    let again = send(t.server.client().get(t.server.url(&path)).bearer_auth(&tenderer).header("Last-Event-ID", "end"));
    assert_eq!(again.status, 204, "{}", again.text);
}

both_backends!(
    fifty_screens_follow_a_listing_and_a_reconnecting_one_misses_no_quote,
    a_stopping_server_ends_its_streams,
    an_opening_is_followed_live_and_shows_no_bid_before_it_begins,
    an_opening_stream_of_a_terminated_tender_ends
);
