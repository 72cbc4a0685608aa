//! The [`Catalog`]: the plugin files a scan listed, what each gave, the queries over them, and
//! what the scan did ([`ScanReport`]). Scanning is the `scanner` module's ([`Catalog::scan`]
//! is written there).

use std::path::{Path, PathBuf};

use super::record::{FileOutcome, FileRecord, PluginRecord};
use crate::plugin::Query;

/// The plugin files along a search path and what scanning each gave, with no plugin code
/// loaded. See the [module documentation](super).
#[derive(Debug, Clone)]
pub struct Catalog {
    pub(super) files: Vec<FileRecord>,
    pub(super) unreadable: Vec<(PathBuf, String)>,
    pub(super) report: ScanReport,
}

impl Catalog {
    /// Every plugin file, in search order.
    pub fn files(&self) -> &[FileRecord] {
        &self.files
    }

    /// The record of the file at `path`, if it was listed.
    pub fn file(&self, path: impl AsRef<Path>) -> Option<&FileRecord> {
        self.files.iter().find(|file| file.path == path.as_ref())
    }

    /// Directories (or entries) that exist but could not be read, with the system's message.
    pub fn unreadable(&self) -> &[(PathBuf, String)] {
        &self.unreadable
    }

    /// Every valid plugin type, file by file in search order.
    pub fn plugins(&self) -> impl Iterator<Item = &PluginRecord> {
        self.files.iter().flat_map(FileRecord::plugins)
    }

    /// The files that gave no plugin: refused, or fatal to their worker.
    pub fn failures(&self) -> impl Iterator<Item = &FileRecord> {
        self.files
            .iter()
            .filter(|file| !matches!(file.outcome, FileOutcome::Loaded { .. }))
    }

    /// Every plugin type matching `query`, in search order (a unique ID may be in several
    /// files).
    pub fn find_all<'a>(&'a self, query: &'a Query) -> impl Iterator<Item = &'a PluginRecord> {
        self.plugins().filter(move |plugin| plugin.matches(query))
    }

    /// The first plugin type along the path matching `query`.
    pub fn find(&self, query: &Query) -> Option<&PluginRecord> {
        self.plugins().find(|plugin| plugin.matches(query))
    }

    /// The first plugin type along the path with this label.
    pub fn find_label(&self, label: &str) -> Option<&PluginRecord> {
        self.plugins().find(|plugin| plugin.label() == label)
    }

    /// The first plugin type along the path with this unique ID.
    pub fn find_unique_id(&self, unique_id: u64) -> Option<&PluginRecord> {
        self.plugins()
            .find(|plugin| plugin.unique_id() == unique_id)
    }

    /// What the scan did.
    pub fn report(&self) -> &ScanReport {
        &self.report
    }
}

/// What a scan did: how many files came from the cache, how many workers it took, what
/// happened to the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanReport {
    /// Plugin files listed.
    pub files: usize,
    /// Files whose records came from the cache, unchanged.
    pub from_cache: usize,
    /// Files scanned by workers.
    pub scanned: usize,
    /// Worker processes started (replacements of dead ones included).
    pub workers_started: usize,
    /// Why the cache file was discarded, if it was (damaged, another format or version).
    pub cache_discarded: Option<String>,
    /// Why the cache could not be written, if it could not (the scan's result is still whole).
    pub cache_write_error: Option<String>,
}
