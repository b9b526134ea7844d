//! The threads the service's use cases run on. Diesel is synchronous, so no use case runs on
//! an HTTP worker: the worker hands it to one of these threads and awaits its answer.
//!
//! Not tokio's blocking pool (`web::block`): under actix-rt tokio's locks are parking_lot's,
//! which on contention spin a little and then call `sched_yield` up to seven times before
//! they sleep. On a host whose cores are all busy — PostgreSQL on the same machine, the rush
//! of bids before a deadline — a yield gives the core away for the rest of a time slice, and
//! the HTTP worker that yielded holds up every connection it serves meanwhile. Here the
//! queue is under a std mutex, which sleeps on a futex until its holder lets go and never
//! yields the core.
//!
//! Threads are started as jobs need them, up to `GGZY_SERVICE_THREADS` (by default as many as
//! the database has connections); beyond that a job waits in the queue, first come first
//! served, for the first thread to finish, which takes it without going to sleep. A started
//! thread stays: each waiting thread costs only its stack.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use ggzy_store::waits::{WaitHistogram, WaitSnapshot};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The use case did not answer: it panicked, or no thread could be started for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoAnswer;

#[derive(Default)]
struct Queue {
    /// Each with the moment it was queued.
    jobs: VecDeque<(Instant, Job)>,
    /// Threads waiting for a job.
    waiting: usize,
    /// Wake-ups sent that no waiting thread has taken yet: a job that finds every waiting
    /// thread already woken for an earlier job starts a thread rather than wait for one.
    woken: usize,
    /// Threads started.
    threads: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    job_ready: Condvar,
    limit: usize,
    /// How long jobs waited for a thread.
    waits: WaitHistogram,
}

impl Shared {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        // Jobs run outside the lock; the queue is consistent between statements.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn next_job(&self) -> Job {
        let mut queue = self.queue();
        loop {
            if let Some((queued, job)) = queue.jobs.pop_front() {
                self.waits.record(queued.elapsed());
                return job;
            }
            queue.waiting += 1;
            queue = self.job_ready.wait(queue).unwrap_or_else(|poisoned| poisoned.into_inner());
            queue.waiting -= 1;
            queue.woken = queue.woken.saturating_sub(1);
        }
    }
}

/// The service's threads; cloned into every HTTP worker.
#[derive(Clone)]
pub struct ServiceThreads {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ServiceThreads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceThreads").field("limit", &self.shared.limit).finish_non_exhaustive()
    }
}

impl ServiceThreads {
    /// At most `limit` threads (at least one).
    pub fn new(limit: usize) -> ServiceThreads {
        ServiceThreads {
            shared: Arc::new(Shared {
                queue: Mutex::new(Queue::default()),
                job_ready: Condvar::new(),
                limit: limit.max(1),
                waits: WaitHistogram::default(),
            }),
        }
    }

    /// Runs `work` on a service thread; its result once done.
    pub async fn run<T, F>(&self, work: F) -> Result<T, NoAnswer>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.submit(Box::new(move || {
            // A panic is this job's alone: the thread goes on to the next.
            if let Ok(result) = catch_unwind(AssertUnwindSafe(work)) {
                let _ = answer.send(result);
            }
        }));
        // A job dropped unrun (no thread could be started) drops its sender too.
        answered.await.map_err(|_| NoAnswer)
    }

    /// How long jobs have waited for a thread, since the start.
    pub fn queue_waits(&self) -> WaitSnapshot {
        self.shared.waits.snapshot()
    }

    fn submit(&self, job: Job) {
        let mut queue = self.shared.queue();
        queue.jobs.push_back((Instant::now(), job));
        if queue.waiting > queue.woken {
            queue.woken += 1;
            // Woken while the queue is still locked, the thread would find the lock taken and
            // sleep on it again, and unlocking would be a second system call to wake it.
            drop(queue);
            self.shared.job_ready.notify_one();
            return;
        }
        if queue.threads >= self.shared.limit {
            return;
        }
        let shared = Arc::clone(&self.shared);
        let started = std::thread::Builder::new().name("ggzy-service".into()).spawn(move || loop {
            let job = shared.next_job();
            job();
        });
        match started {
            Ok(_) => queue.threads += 1,
            Err(error) => {
                tracing::error!(%error, threads = queue.threads, "could not start a service thread");
                // With no thread at all the job would wait for ever: it is answered as lost.
                if queue.threads == 0 {
                    queue.jobs.clear();
                }
            }
        }
    }

    /// The most threads that run use cases at once.
    pub fn limit(&self) -> usize {
        self.shared.limit
    }

    /// Threads started so far.
    #[cfg(test)]
    fn threads(&self) -> usize {
        self.shared.queue().threads
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;
    use std::time::Duration;

    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
    }

    #[test]
    fn runs_each_job_off_the_calling_thread_and_answers_it() {
        let threads = ServiceThreads::new(4);
        let caller = std::thread::current().id();
        let answers = runtime().block_on(async {
            let mut answers = Vec::new();
            for n in 0..20_u32 {
                answers.push(threads.run(move || (n * 2, std::thread::current().id())).await);
            }
            answers
        });
        for (n, answer) in answers.into_iter().enumerate() {
            let (doubled, ran_on) = answer.expect("answered");
            assert_eq!(doubled as usize, n * 2);
            assert_ne!(ran_on, caller);
        }
        assert!(threads.threads() <= 4);
    }

    #[test]
    fn jobs_at_once_start_threads_up_to_the_limit_and_the_rest_wait_their_turn() {
        let threads = ServiceThreads::new(3);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let all_in = Arc::new(Barrier::new(3));
        let done = runtime().block_on(async {
            let jobs = (0..9).map(|n| {
                let (running, most, all_in) = (running.clone(), most.clone(), all_in.clone());
                threads.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // The first three meet: three run at once, so three threads were started.
                    if n < 3 {
                        all_in.wait();
                    }
                    std::thread::sleep(Duration::from_millis(5));
                    running.fetch_sub(1, Ordering::SeqCst);
                    n
                })
            });
            futures_util::future::join_all(jobs).await
        });
        let done: Vec<u32> = done.into_iter().map(|answer| answer.expect("answered")).collect();
        assert_eq!(done, (0..9).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 3, "never more than the limit at once");
        assert_eq!(threads.threads(), 3);
        // Every job's wait is counted; the last three waited for two rounds of 5 ms before them.
        let waits = threads.queue_waits();
        assert_eq!(waits.count, 9);
        let within_5_ms = waits.cumulative.iter().find(|(bound, _)| *bound == 0.005).map(|(_, n)| *n);
        assert!(within_5_ms.is_some_and(|n| n <= 6), "{waits:?}");
    }

    #[test]
    fn a_job_that_panics_has_no_answer_and_the_thread_goes_on() {
        let threads = ServiceThreads::new(1);
        let (lost, next) = runtime().block_on(async {
            let lost = threads.run(|| -> u32 { panic!("a use case's bug") }).await;
            let next = threads.run(|| 7_u32).await;
            (lost, next)
        });
        assert_eq!(lost, Err(NoAnswer));
        assert_eq!(next, Ok(7));
        assert_eq!(threads.threads(), 1);
    }
}
