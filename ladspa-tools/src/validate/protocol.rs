//! What the parent and a worker process say to each other, and the worker's end of the pipe
//! ([`Channel`]).
//!
//! The parent starts a worker by running the current executable again with
//! [`WORKER_ENV`] set (to [`LIST`] or [`CHECK`]), the plugin file in [`FILE_ENV`] and, for
//! [`CHECK`], the descriptor index in [`INDEX_ENV`] and the check ids in [`CHECKS_ENV`]. The
//! worker answers with one JSON [`Message`] per line on the pipe that was its standard output
//! (standard output itself is moved to standard error, so a plugin that prints cannot garble
//! the answers). Before each call into the plugin that may crash or hang, the worker says the
//! step it is in, so that its death tells the parent where it died.

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::suite::outcome::Verdict;
use super::suite::rig::Steps;

/// The environment variable that makes a program that calls
/// [`serve_worker_if_asked`](super::serve_worker_if_asked) a worker.
pub(crate) const WORKER_ENV: &str = "LADSPA_VALIDATE_WORKER";
/// The plugin file (raw bytes of the path).
pub(crate) const FILE_ENV: &str = "LADSPA_VALIDATE_FILE";
/// The descriptor index for [`CHECK`].
pub(crate) const INDEX_ENV: &str = "LADSPA_VALIDATE_INDEX";
/// The check ids for [`CHECK`], separated by commas, in the order to run them.
pub(crate) const CHECKS_ENV: &str = "LADSPA_VALIDATE_CHECKS";

/// Worker mode: load the file and list its descriptors.
pub(crate) const LIST: &str = "list";
/// Worker mode: run checks on one descriptor.
pub(crate) const CHECK: &str = "check";

/// One line from a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Message {
    /// The worker is about to call into the plugin in this step.
    Step(String),
    /// A long check makes progress: its timeout starts again.
    Alive,
    /// The worker begins the check with this id.
    Begin(String),
    /// The result of the check begun last.
    Result {
        /// The verdict.
        verdict: Verdict,
        /// What was found.
        message: String,
    },
    /// A plugin type of the file ([`LIST`]).
    Plugin {
        /// Its index in the file.
        index: usize,
        /// Its label, when it has one.
        label: Option<String>,
        /// Its unique ID, when the descriptor is valid.
        unique_id: Option<u64>,
        /// Why the descriptor is refused, when it is.
        defect: Option<String>,
    },
    /// The file could not be loaded ([`LIST`]).
    LoadFailed(String),
}

/// The pipe to the parent, and the last step said on it (a step is said once until it
/// changes: a run of 8192 one-sample blocks is one message, not 8192).
pub(crate) struct Channel {
    pipe: Mutex<File>,
    last_step: Mutex<String>,
}

impl Channel {
    /// The channel on `pipe` (the worker's answer pipe), no step said yet.
    pub(crate) fn new(pipe: File) -> Channel {
        Channel {
            pipe: Mutex::new(pipe),
            last_step: Mutex::new(String::new()),
        }
    }

    /// Sends one message (a parent that is gone ends the worker).
    pub(crate) fn send(&self, message: &Message) {
        let mut line = serde_json::to_vec(message).expect("messages serialise");
        line.push(b'\n');
        // A parent that is gone has no use for the answer; the worker ends when it finds out.
        let mut pipe = self
            .pipe
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pipe.write_all(&line).is_err() {
            // SAFETY: ends the process at once; nothing of it is used afterwards.
            unsafe { libc::_exit(3) };
        }
    }
}

impl Steps for Channel {
    /// Says that the next call into the plugin is `step`.
    fn step(&self, step: &str) {
        let mut last = self
            .last_step
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *last != step {
            step.clone_into(&mut last);
            drop(last);
            self.send(&Message::Step(step.to_owned()));
        }
    }

    /// Tells the parent that a long check makes progress (its timeout starts again).
    fn alive(&self) {
        self.send(&Message::Alive);
    }
}
