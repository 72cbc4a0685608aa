//! What the parent keeps of a file's children ([`FileReport`]) and of each thing that went wrong
//! ([`Failure`]), which the known defects are compared with.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::child;
use crate::protocol::{Outcome, StepKey};

/// One thing that went wrong in the sweep.
#[derive(Debug, Clone)]
pub struct Failure {
    pub file: String,
    pub key: StepKey,
    /// `SIGSEGV`, `timeout`, `exit-101`, `fail`, `load-error`…
    pub kind: String,
    pub detail: String,
}

impl Failure {
    pub fn new(path: &Path, key: StepKey, kind: &str, detail: String) -> Self {
        Self {
            file: file_name(path),
            key,
            kind: kind.to_owned(),
            detail,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.file, self.key, self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// What the children of one file found.
#[derive(Debug, Default)]
pub struct FileReport {
    pub path: PathBuf,
    /// The last outcome of every step that some child finished (a later child repeats the
    /// steps before the one it skips).
    pub steps: BTreeMap<StepKey, (Outcome, u64, String)>,
    /// Steps that killed a child, and how.
    pub deaths: Vec<Failure>,
    pub descriptors: usize,
    pub rejected: usize,
    pub children: usize,
    /// Whether some child swept to the end of the file.
    pub ended: bool,
    /// The file's slowest steps, slowest first.
    pub slowest_steps: Vec<(Duration, StepKey)>,
    pub elapsed: Duration,
}

/// How many sample rates each plugin type is swept at.
pub fn rates() -> usize {
    child::RATES.len()
}
