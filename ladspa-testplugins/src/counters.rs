//! How the tests see what a plugin file's code did: each file's [`Counters`] (calls per
//! function, by the generic functions of the kit), read through [`counters()`] as
//! [`CounterSnapshot`]s.

use std::sync::atomic::{AtomicU64, Ordering};

/// The name of the symbol through which each plugin file exports its [`Counters`].
pub const COUNTERS_SYMBOL: &str = "ladspa_testplugins_counters";

/// The accounting of one plugin file: how often each part of the LADSPA interface was called,
/// over all instances of all plugin types of the file.
///
/// Each file holds one `static` of this type (see [`export_counters!`](crate::export_counters)); tests read it through
/// [`counters()`].
#[repr(C)]
#[derive(Debug, Default)]
pub struct Counters {
    /// Successful calls of `instantiate`.
    pub instantiated: AtomicU64,
    /// Calls of `instantiate` that returned NULL.
    pub failed_instantiations: AtomicU64,
    /// Calls of `activate`.
    pub activated: AtomicU64,
    /// Calls of `deactivate`.
    pub deactivated: AtomicU64,
    /// Calls of `cleanup`.
    pub cleaned_up: AtomicU64,
    /// Calls of `run`.
    pub runs: AtomicU64,
    /// Calls of `run_adding`.
    pub run_addings: AtomicU64,
    /// Runs in which an input buffer and an output buffer overlapped (counted by the plugins
    /// that check, `tp_inplace_broken`).
    pub aliased_runs: AtomicU64,
    /// Calls of `connect_port`.
    pub connections: AtomicU64,
    /// Control input values that were NaN or infinite when the plugin looked at them (counted
    /// by the plugins that check, `tp_nan_hints`, once per value and call).
    pub non_finite_controls: AtomicU64,
    /// Lifecycle calls (`instantiate`, `activate`, `deactivate`, `cleanup`) that began while
    /// another lifecycle call of the same file was still running (counted by the plugins that
    /// check, `tp_overlap`).
    pub overlapping_calls: AtomicU64,
}

impl Counters {
    /// All counts zero, for a `static`.
    pub const fn new() -> Self {
        Self {
            instantiated: AtomicU64::new(0),
            failed_instantiations: AtomicU64::new(0),
            activated: AtomicU64::new(0),
            deactivated: AtomicU64::new(0),
            cleaned_up: AtomicU64::new(0),
            runs: AtomicU64::new(0),
            run_addings: AtomicU64::new(0),
            aliased_runs: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            non_finite_controls: AtomicU64::new(0),
            overlapping_calls: AtomicU64::new(0),
        }
    }

    /// Adds one to a counter (the plugins' side).
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::SeqCst);
    }

    /// The counts now.
    pub fn snapshot(&self) -> CounterSnapshot {
        let read = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        CounterSnapshot {
            instantiated: read(&self.instantiated),
            failed_instantiations: read(&self.failed_instantiations),
            activated: read(&self.activated),
            deactivated: read(&self.deactivated),
            cleaned_up: read(&self.cleaned_up),
            runs: read(&self.runs),
            run_addings: read(&self.run_addings),
            aliased_runs: read(&self.aliased_runs),
            connections: read(&self.connections),
            non_finite_controls: read(&self.non_finite_controls),
            overlapping_calls: read(&self.overlapping_calls),
        }
    }

    /// Instances made and not cleaned up yet.
    pub fn live(&self) -> u64 {
        self.snapshot().live()
    }
}

/// A copy of [`Counters`] at one moment, as plain numbers (see [`Counters`] for each field).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the fields are those of `Counters`
pub struct CounterSnapshot {
    pub instantiated: u64,
    pub failed_instantiations: u64,
    pub activated: u64,
    pub deactivated: u64,
    pub cleaned_up: u64,
    pub runs: u64,
    pub run_addings: u64,
    pub aliased_runs: u64,
    pub connections: u64,
    pub non_finite_controls: u64,
    pub overlapping_calls: u64,
}

impl CounterSnapshot {
    /// Instances made and not cleaned up yet: `instantiated - cleaned_up` (saturating, so a
    /// plugin that was cleaned up twice shows as 0 live, not as a wrapped number).
    pub fn live(&self) -> u64 {
        self.instantiated.saturating_sub(self.cleaned_up)
    }
}

/// The [`Counters`] of a loaded plugin file of this package, through its
/// `ladspa_testplugins_counters` symbol ([`COUNTERS_SYMBOL`]). Fails when the file has no such
/// symbol (`tp_no_symbol.so`, or any plugin not from this package).
///
/// The counters live in the library's image, so the reference borrows `library`.
pub fn counters(library: &libloading::Library) -> Result<&Counters, libloading::Error> {
    type CountersFn = unsafe extern "C" fn() -> *const Counters;
    // SAFETY: the symbol name is this package's own and specific to it; every file that exports
    // it does so with the `export_counters!` macro, with exactly this signature. Opening the
    // library (the unsafe step) was the caller's decision to trust the file.
    let function = unsafe { library.get::<CountersFn>(COUNTERS_SYMBOL.as_bytes()) }?;
    // SAFETY: the function takes no arguments and returns the address of a `static Counters`.
    let pointer = unsafe { function() };
    // SAFETY: the pointer is to a `static` of the library's image, valid and never moved for as
    // long as the library stays loaded, which the returned borrow of `library` guarantees; the
    // fields are atomics, so shared references are fine.
    Ok(unsafe { &*pointer })
}
