//! What the parent and a worker process say to each other.
//!
//! The parent starts a worker by running the current executable again with
//! [`WORKER_ENV`] set (to [`LIST`] or [`CHECK`]), the plugin file in [`FILE_ENV`] and, for
//! [`CHECK`], the descriptor index in [`INDEX_ENV`] and the check ids in [`CHECKS_ENV`]. The
//! worker answers with one JSON [`Message`] per line on the pipe that was its standard output
//! (standard output itself is moved to standard error, so a plugin that prints cannot garble
//! the answers). Before each call into the plugin that may crash or hang, the worker says the
//! step it is in, so that its death tells the parent where it died.

use serde::{Deserialize, Serialize};

use super::report::Verdict;

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
