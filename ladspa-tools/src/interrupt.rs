//! Signals that stop a file job (SIGINT, SIGTERM, SIGHUP, SIGPIPE): the handler only notes the
//! signal; the job sees it at its next block, removes its unfinished output and stops, and the
//! program then dies by the same signal, as the shell expects. A second SIGINT, SIGTERM or
//! SIGHUP kills at once (for a plugin that never returns); an unfinished output then leaves no
//! file where the file system has `O_TMPFILE` (see `ladspa_host::audio::OutputFile`).

use std::sync::atomic::{AtomicI32, Ordering};

/// The signal that arrived, or 0.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn note(signal: libc::c_int) {
    // Async-signal-safe: one atomic store.
    SIGNAL.store(signal, Ordering::Relaxed);
}

/// Installs the handlers; call it before a job starts.
pub fn install() {
    for (signal, once) in [
        (libc::SIGINT, true),
        (libc::SIGTERM, true),
        (libc::SIGHUP, true),
        // A write to a closed pipe raises it too: that write fails with EPIPE, which is the
        // error reported; the handler stays so that later writes fail the same way.
        (libc::SIGPIPE, false),
    ] {
        // SAFETY: a zeroed sigaction is a valid value to fill in; the handler only stores an
        // atomic, which is async-signal-safe; the struct outlives the call.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = note as *const () as libc::sighandler_t;
            action.sa_flags = if once { libc::SA_RESETHAND } else { 0 };
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// Whether a signal asked the job to stop.
pub fn requested() -> bool {
    SIGNAL.load(Ordering::Relaxed) != 0
}

/// Whether the signal was SIGPIPE: a write to standard output found its reader gone (or someone
/// sent it), which `apply` writing to `-` reports as a failure, status 1, like any write error.
pub fn pipe_closed() -> bool {
    SIGNAL.load(Ordering::Relaxed) == libc::SIGPIPE
}

/// Ends the process by the signal that stopped the job, with its default action (a shell then
/// reports 130 for SIGINT, 143 for SIGTERM); returns when there was none.
pub fn die_by_signal() {
    let signal = SIGNAL.load(Ordering::Relaxed);
    if signal == 0 {
        return;
    }
    // SAFETY: restoring the default action and raising a signal have no memory effects here.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}
