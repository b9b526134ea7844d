//! Connections handed out in the order they were asked for.
//!
//! The connection pool (r2d2) wakes one waiter when a connection comes back, but a thread
//! that asks at that moment (often the very thread that gave it back, asking again for its
//! next request) takes it first, and the woken waiter waits again at the back. Under load a
//! few unlucky requests waited through many turns: the tail of a bid's latency. A `Turns`
//! in front of the pool admits as many holders as the pool has connections, strictly first
//! come first served: a returned turn goes straight to the longest waiter, never to a
//! newcomer, so a request waits for at most the turns of those before it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::Thread;
use std::time::{Duration, Instant};

use crate::waits::WaitHistogram;

/// At most `capacity` turns held at once, handed to waiters in the order they asked.
#[derive(Debug)]
pub(crate) struct Turns {
    state: Mutex<TurnState>,
    /// How long each asker waited, for its turn or until it gave up.
    pub(crate) waits: WaitHistogram,
}

#[derive(Debug)]
struct TurnState {
    /// Turns nobody holds; never more than zero while anyone waits.
    free: usize,
    waiting: VecDeque<Arc<Waiter>>,
}

#[derive(Debug)]
struct Waiter {
    /// Set, under the state's lock, when a returned turn is handed to this waiter.
    granted: AtomicBool,
    thread: Thread,
}

/// A held turn; dropping it hands it to the longest waiter, if any.
#[derive(Debug)]
pub(crate) struct Turn {
    turns: Arc<Turns>,
}

/// No turn came within the time allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NoTurn;

impl Turns {
    pub(crate) fn new(capacity: usize) -> Arc<Turns> {
        Arc::new(Turns {
            state: Mutex::new(TurnState { free: capacity.max(1), waiting: VecDeque::new() }),
            waits: WaitHistogram::default(),
        })
    }

    fn state(&self) -> MutexGuard<'_, TurnState> {
        // The state is consistent between statements; a panic elsewhere leaves nothing half done.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A turn, once every earlier asker has had one; `NoTurn` after `timeout`.
    pub(crate) fn take(self: &Arc<Self>, timeout: Duration) -> Result<Turn, NoTurn> {
        let asked = Instant::now();
        let taken = self.wait_for_turn(asked, timeout);
        self.waits.record(asked.elapsed());
        taken
    }

    fn wait_for_turn(self: &Arc<Self>, asked: Instant, timeout: Duration) -> Result<Turn, NoTurn> {
        let me = {
            let mut state = self.state();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                return Ok(Turn { turns: Arc::clone(self) });
            }
            let me = Arc::new(Waiter { granted: AtomicBool::new(false), thread: std::thread::current() });
            state.waiting.push_back(Arc::clone(&me));
            me
        };
        let deadline = asked + timeout;
        loop {
            if me.granted.load(Ordering::Acquire) {
                return Ok(Turn { turns: Arc::clone(self) });
            }
            let now = Instant::now();
            if now >= deadline {
                let mut state = self.state();
                // Handed over between the check above and the lock: it is this waiter's.
                if me.granted.load(Ordering::Acquire) {
                    return Ok(Turn { turns: Arc::clone(self) });
                }
                state.waiting.retain(|waiter| !Arc::ptr_eq(waiter, &me));
                return Err(NoTurn);
            }
            // Wakes early on the hand-over's unpark, or spuriously; the loop checks again.
            std::thread::park_timeout(deadline - now);
        }
    }

    fn give_back(&self) {
        let mut state = self.state();
        match state.waiting.pop_front() {
            Some(next) => {
                next.granted.store(true, Ordering::Release);
                next.thread.unpark();
            }
            None => state.free += 1,
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.turns.give_back();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    const LONG: Duration = Duration::from_secs(10);

    /// Waits until `n` threads wait for a turn.
    fn until_waiting(turns: &Turns, n: usize) {
        let deadline = Instant::now() + LONG;
        while turns.state().waiting.len() < n {
            assert!(Instant::now() < deadline, "{n} waiters never queued");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn at_most_the_capacity_is_held_and_a_returned_turn_is_taken_again() {
        let turns = Turns::new(2);
        let first = turns.take(LONG).unwrap();
        let second = turns.take(LONG).unwrap();
        assert_eq!(turns.take(Duration::from_millis(20)).unwrap_err(), NoTurn);
        drop(first);
        let third = turns.take(Duration::from_millis(20)).unwrap();
        drop((second, third));
        assert_eq!(turns.state().free, 2, "every turn came back");
    }

    #[test]
    fn waiters_are_served_in_the_order_they_asked_and_never_overtaken() {
        let turns = Turns::new(1);
        let held = turns.take(LONG).unwrap();
        let (served, order) = mpsc::channel();
        let mut threads = Vec::new();
        for n in 0..5 {
            let (line, served) = (Arc::clone(&turns), served.clone());
            threads.push(std::thread::spawn(move || {
                let turn = line.take(LONG).unwrap();
                served.send(n).unwrap();
                drop(turn);
            }));
            until_waiting(&turns, n + 1);
        }
        // A newcomer finds waiters ahead of it: it does not take the turn given back.
        drop(held);
        let late = turns.take(LONG).unwrap();
        drop(late);
        for thread in threads {
            thread.join().unwrap();
        }
        let order: Vec<usize> = order.try_iter().collect();
        assert_eq!(order, [0, 1, 2, 3, 4]);
        assert_eq!(turns.state().free, 1);
    }

    #[test]
    fn a_waiter_that_gives_up_leaves_the_line_and_loses_no_turn() {
        let turns = Turns::new(1);
        let held = turns.take(LONG).unwrap();
        let waiting = {
            let turns = Arc::clone(&turns);
            std::thread::spawn(move || turns.take(Duration::from_millis(30)).map(drop))
        };
        assert_eq!(waiting.join().unwrap(), Err(NoTurn));
        assert!(turns.state().waiting.is_empty(), "the one that gave up is no longer waiting");
        drop(held);
        assert_eq!(turns.state().free, 1);
        drop(turns.take(Duration::from_millis(20)).unwrap());
        // Every asker's wait is counted, the one that gave up with the whole of its wait.
        let waits = turns.waits.snapshot();
        assert_eq!(waits.count, 3);
        assert!(waits.sum_seconds >= 0.030, "{waits:?}");
        let within_25_ms = waits.cumulative.iter().find(|(bound, _)| *bound == 0.025).map(|(_, n)| *n);
        assert_eq!(within_25_ms, Some(2), "{waits:?}");
    }
}
