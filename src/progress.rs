//! [`Progress`]: how a long run tells its caller how far it got, and how the
//! caller stops it.
//!
//! A `Progress` is a cheap, cloneable handle made of a shared cancel flag and an
//! optional callback. The caller keeps a clone (or just the flag from
//! [`Progress::cancel_flag`]) and hands another to a long operation with its
//! `.progress(&observer)` option: [`MonteCarlo`](crate::propagation::MonteCarlo)
//! (units of runs), [`Targeting`](crate::targeting::Targeting) (phases of the
//! selection), [`RankOptions`](crate::crm::RankOptions) (customers estimated),
//! [`Simulation`](crate::sim::Simulation) (periods),
//! [`InfluencerRanking`](crate::propagation::InfluencerRanking) (customers) and
//! [`Sweep`](crate::sweep::Sweep) (runs). (The model fits have none: a BG/NBD
//! fit with predictions on a million customers takes under half a second on
//! one thread; see BENCHMARKS.md.) The operation calls the
//! callback with a [`Completed`] count after each unit of work and checks the
//! flag before each one; once the flag is set it stops at the next check and
//! returns [`Error::Cancelled`].
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use std::sync::Arc;
//! use social_loop::progress::Progress;
//! use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
//!
//! let scenario = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(300, 30, 6.0)?))
//!     .horizon(6);
//! let last = Arc::new(AtomicU64::new(0));
//! let seen = Arc::clone(&last);
//! let progress = Progress::new().on_progress(move |c| seen.store(c.done, Ordering::Relaxed));
//! Simulation::new(&scenario)?.progress(&progress).run()?;
//! assert_eq!(last.load(Ordering::Relaxed), 6); // one call per period
//!
//! progress.cancel(); // e.g. from another thread, or a Ctrl-C handler
//! let stopped = Simulation::new(&scenario)?.progress(&progress).run();
//! assert!(stopped.is_err_and(|e| e.is_cancelled()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The callback is called from worker threads, one call at a time, with `done`
//! never going down from one call to the next; it should be quick (update a
//! progress bar, store a number).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// How much of a long run is finished: `done` of `total` units of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completed {
    /// Units finished so far.
    pub done: u64,
    /// Units in the whole run.
    pub total: u64,
}

impl Completed {
    /// The fraction done, in `[0, 1]` (1 when there is nothing to do).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        }
    }
}

type Callback = dyn Fn(Completed) + Send + Sync;

/// An observer of a long run: a cancel flag shared by every clone, and an
/// optional callback told of each unit of work finished.
///
/// `Progress::default()` observes nothing and is never cancelled unless
/// [`cancel`](Self::cancel) is called on it or on a clone. Two handles are
/// equal when both observe nothing (no callback, not cancelled) or when they
/// are clones of one observer, so the options that carry one keep their
/// `PartialEq`.
#[derive(Clone, Default)]
pub struct Progress {
    cancelled: Arc<AtomicBool>,
    callback: Option<Arc<Callback>>,
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("cancelled", &self.is_cancelled())
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        let inert = |p: &Progress| p.callback.is_none() && !p.is_cancelled();
        let same_callback = match (&self.callback, &other.callback) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        (inert(self) && inert(other))
            || (Arc::ptr_eq(&self.cancelled, &other.cancelled) && same_callback)
    }
}

impl Progress {
    /// An observer with a fresh cancel flag and no callback.
    pub fn new() -> Self {
        Progress::default()
    }

    /// An observer that uses the caller's cancel flag (for example one set by
    /// a signal handler); setting it to `true` cancels the run.
    pub fn with_cancel_flag(flag: Arc<AtomicBool>) -> Self {
        Progress {
            cancelled: flag,
            callback: None,
        }
    }

    /// Calls `callback` after each unit of work with the count done so far.
    #[must_use]
    pub fn on_progress(mut self, callback: impl Fn(Completed) + Send + Sync + 'static) -> Self {
        self.callback = Some(Arc::new(callback));
        self
    }

    /// The shared cancel flag: storing `true` in it cancels every run observed
    /// by this handle or its clones.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancelled)
    }

    /// Asks the observed runs to stop: they return [`Error::Cancelled`] at their
    /// next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`cancel`](Self::cancel) was called (or the flag set).
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Error::Cancelled)` once the run has been cancelled.
    ///
    /// # Errors
    /// [`Error::Cancelled`] when the flag is set.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// A handle with this one's cancel flag and no callback, for the inner
    /// steps of an operation that counts its own units.
    pub(crate) fn cancel_only(&self) -> Progress {
        Progress::with_cancel_flag(self.cancel_flag())
    }

    /// A counter of `total` units that reports to this observer's callback.
    pub(crate) fn counter(&self, total: u64) -> Counter<'_> {
        Counter {
            progress: self,
            state: Mutex::new(0),
            total,
        }
    }
}

/// Counts finished units of one run and reports each to the callback, one
/// call at a time, with `done` increasing from call to call.
pub(crate) struct Counter<'a> {
    progress: &'a Progress,
    state: Mutex<u64>,
    total: u64,
}

impl Counter<'_> {
    /// Counts a unit done before the counter started, without a call.
    pub(crate) fn skip(&self) {
        let mut done = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *done = done.saturating_add(1);
    }

    /// One more unit finished.
    pub(crate) fn tick(&self) {
        self.advance(1);
    }

    /// `units` more units finished, reported as one call.
    pub(crate) fn advance(&self, units: u64) {
        let Some(callback) = &self.progress.callback else {
            return; // nobody listens: no lock in the hot path
        };
        // A poisoned lock only means a callback panicked on another thread;
        // the count itself is still right.
        let mut done = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *done = done.saturating_add(units);
        callback(Completed {
            done: *done,
            total: self.total,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn fraction_is_clamped_and_total_zero_is_done() {
        assert_eq!(Completed { done: 1, total: 4 }.fraction(), 0.25);
        assert_eq!(Completed { done: 0, total: 0 }.fraction(), 1.0);
        assert_eq!(Completed { done: 5, total: 4 }.fraction(), 1.0);
    }

    #[test]
    fn clones_share_the_flag_and_a_given_flag_is_used() {
        let p = Progress::new();
        let q = p.clone();
        assert_eq!(q.check(), Ok(()));
        p.cancel();
        assert_eq!(q.check(), Err(Error::Cancelled));
        let flag = Arc::new(AtomicBool::new(false));
        let r = Progress::with_cancel_flag(Arc::clone(&flag));
        assert!(!r.is_cancelled());
        flag.store(true, Ordering::Relaxed);
        assert!(r.is_cancelled());
    }

    #[test]
    fn counter_reports_every_tick_in_increasing_order_from_many_threads() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let p = Progress::new().on_progress(move |c| {
            if let Ok(mut v) = sink.lock() {
                v.push(c);
            }
        });
        let counter = p.counter(500);
        (0..500).into_par_iter().for_each(|_| counter.tick());
        let seen = seen.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(seen.len(), 500);
        assert!(seen.iter().all(|c| c.total == 500));
        let done: Vec<u64> = seen.iter().map(|c| c.done).collect();
        assert_eq!(done, (1..=500).collect::<Vec<_>>());
    }
}
