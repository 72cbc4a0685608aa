//! One process-wide lock around every call into plugin code that is not a run: loading and
//! unloading files, `ladspa_descriptor`, `instantiate`, `activate`, `deactivate`, `cleanup`.
//!
//! LADSPA hosts make these calls from one thread at a time (LV2 names them the "instantiation
//! threading class"), and real plugins depend on it: swh's FFTW-based plugins share FFTW's
//! global planner across files and crash when two `instantiate`s meet, `ringmod` builds a
//! global table in `instantiate`. The lock is process-wide, not per file, because that shared
//! state crosses files. `connect_port`, `run`, `run_adding` and `set_run_adding_gain` never take
//! it: runs of different instances may be concurrent, and the run path stays lock-free.
//!
//! The lock is reentrant on one thread, so that a file unloaded while a lifecycle call is under
//! way on the same thread (an error path of loading drops the file it opened) needs no care.

use std::cell::Cell;
use std::sync::{Mutex, PoisonError};

static LOCK: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds [`LOCK`].
    static HELD: Cell<bool> = const { Cell::new(false) };
}

/// Runs `call` with the process-wide lifecycle lock held.
pub(crate) fn serialized<R>(call: impl FnOnce() -> R) -> R {
    // A thread that is being torn down has no thread-locals left; it cannot hold the lock.
    let held = HELD.try_with(Cell::get).unwrap_or(false);
    if held {
        return call();
    }
    // A panic while the lock was held (only this crate's own code can panic; foreign code that
    // unwinds into it aborts) leaves nothing half-done that the lock protects.
    let _guard = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let _held = HeldFlag::set();
    call()
}

/// Marks this thread as holding the lock until dropped, even if `call` panics.
struct HeldFlag;

impl HeldFlag {
    fn set() -> Self {
        let _ = HELD.try_with(|held| held.set(true));
        Self
    }
}

impl Drop for HeldFlag {
    fn drop(&mut self) {
        let _ = HELD.try_with(|held| held.set(false));
    }
}
