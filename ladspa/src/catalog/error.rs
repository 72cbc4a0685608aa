//! [`CatalogError`]: why a scan, or loading a catalog entry, failed.

use std::path::PathBuf;

use super::failure::WorkerFailure;
use crate::library::LoadError;

/// Why a scan, or loading a catalog entry, failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The path of the running executable, which workers run, could not be found.
    #[error("cannot find this program's executable to start scan workers: {0}")]
    CurrentExe(#[source] std::io::Error),
    /// A worker process could not be started.
    #[error("cannot start the scan worker {}: {source}", program.display())]
    Spawn {
        /// The worker's executable.
        program: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// A process was started as a worker but did not act as one (it is not a program that
    /// links this crate, or another version of it).
    #[error("{} did not start as a scan worker ({failure}); a worker must be a program that links this version of the ladspa-host crate", program.display())]
    NotAWorker {
        /// The worker's executable.
        program: PathBuf,
        /// How it ended.
        failure: WorkerFailure,
    },
    /// Talking to or waiting for the workers failed.
    #[error("cannot wait for the scan workers: {0}")]
    Worker(#[source] std::io::Error),
    /// A catalog entry's file changed (or vanished) since it was scanned.
    #[error("{} changed since it was scanned; scan it again", file.display())]
    Changed {
        /// The plugin file.
        file: PathBuf,
    },
    /// A catalog entry's file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A catalog entry's file loaded but no longer holds the entry's plugin type.
    #[error("{} no longer holds plugin {index} ({label}, unique ID {unique_id})", file.display())]
    Missing {
        /// The plugin file.
        file: PathBuf,
        /// The entry's index in the file.
        index: usize,
        /// The entry's label.
        label: String,
        /// The entry's unique ID.
        unique_id: u64,
    },
}
