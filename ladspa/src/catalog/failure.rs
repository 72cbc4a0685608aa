//! Why a file's scan ended its worker ([`ScanFailure`]): what happened to the worker
//! ([`WorkerFailure`]) and in which step of the scan ([`ScanStep`]).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::library::LoadStep;

/// A step of scanning a file in which the file's own code runs, or in which the host reads
/// memory the file handed out: where a worker was when it died or stopped answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ScanStep {
    /// Loading the file: `dlopen`, which runs its constructors, and finding
    /// `ladspa_descriptor`.
    Loading,
    /// The call `ladspa_descriptor(index)`.
    Descriptor(usize),
    /// Reading and validating what `ladspa_descriptor(index)` returned.
    Validation(usize),
    /// Unloading the file: `dlclose`, which runs its destructors.
    Unloading,
}

impl From<LoadStep> for ScanStep {
    fn from(step: LoadStep) -> Self {
        match step {
            LoadStep::Opening => Self::Loading,
            LoadStep::Descriptor(index) => Self::Descriptor(index),
            LoadStep::Validation(index) => Self::Validation(index),
        }
    }
}

impl fmt::Display for ScanStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Loading => f.write_str("loading the file (dlopen, its constructors)"),
            Self::Descriptor(index) => write!(f, "ladspa_descriptor({index})"),
            Self::Validation(index) => write!(f, "validating descriptor {index}"),
            Self::Unloading => f.write_str("unloading the file (dlclose, its destructors)"),
        }
    }
}

/// How a worker process ended without finishing a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum WorkerFailure {
    /// It was killed by a signal (a crash: SIGSEGV, SIGBUS, SIGABRT…).
    Signal {
        /// The signal's number.
        number: i32,
        /// Its name, such as `SIGSEGV`.
        name: String,
    },
    /// It exited (the file's code called `exit`).
    Exited {
        /// The exit status.
        code: i32,
    },
    /// It did not finish the file within the scan's timeout, and was killed.
    TimedOut {
        /// The timeout.
        after: Duration,
    },
    /// It answered something that is not a message of the scan's protocol (the file's code
    /// wrote to the worker's pipe).
    Garbled {
        /// What was wrong with the answer.
        message: String,
    },
}

impl fmt::Display for WorkerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Signal { number, name } => write!(f, "killed by {name} (signal {number})"),
            Self::Exited { code } => write!(f, "exited with status {code}"),
            Self::TimedOut { after } => {
                write!(f, "gave no answer within {} s", after.as_secs_f64())
            }
            Self::Garbled { message } => write!(f, "answered garbage ({message})"),
        }
    }
}

/// A file whose scan ended its worker: what happened, and in which step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{failure} in {step}")]
#[non_exhaustive]
pub struct ScanFailure {
    /// Where the worker was.
    pub step: ScanStep,
    /// What happened to it.
    pub failure: WorkerFailure,
}
