//! The progress display on standard error.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Progress on standard error for long runs, when it is a terminal.
pub(super) struct Progress {
    total: u64,
    done: u64,
    shown: Option<Instant>,
}

impl Progress {
    pub(super) fn new(total: u64) -> Self {
        let shown = std::io::stderr().is_terminal().then(Instant::now);
        Self {
            total,
            done: 0,
            shown,
        }
    }

    pub(super) fn advance(&mut self, frames: u64) {
        self.done += frames;
        let Some(shown) = self.shown else { return };
        if shown.elapsed() >= Duration::from_millis(250) {
            let percent = self.done as f64 * 100.0 / self.total.max(1) as f64;
            eprint!(
                "\rapplyplugin: {percent:5.1}% ({} of {} frames)",
                self.done, self.total
            );
            let _ = std::io::stderr().flush();
            self.shown = Some(Instant::now());
        }
    }

    pub(super) fn finish(&self) {
        if self.shown.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}
