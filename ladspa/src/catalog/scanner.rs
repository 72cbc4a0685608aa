//! The [`Scanner`]: how a scan runs (workers, timeout, cache), the scan itself (cache first,
//! then the worker pool for the files the cache does not know), what it reports is the
//! catalog's [`ScanReport`](super::ScanReport).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::CatalogError;
use super::list::{Catalog, ScanReport};
use super::record::{FileRecord, FileStamp};
use super::{cache, pool};
use crate::discovery::SearchPath;

/// The time one file may take in a worker by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a scan keeps its cache.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CacheChoice {
    Default,
    File(PathBuf),
    None,
}

/// How to scan: workers, timeout, cache. [`Catalog::scan`] uses the defaults.
///
/// ```
/// use std::time::Duration;
/// use ladspa_host::catalog::Scanner;
///
/// let scanner = Scanner::new()
///     .timeout(Duration::from_secs(3)) // per file
///     .workers(2)
///     .rescan(true); // ignore what the cache knows
/// # let _ = scanner;
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    timeout: Duration,
    workers: Option<usize>,
    cache: CacheChoice,
    rescan: bool,
    program: Option<PathBuf>,
    args: Vec<OsString>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    /// The defaults: [`DEFAULT_TIMEOUT`] per file, one worker per core, the cache at
    /// [`default_cache_file`](super::default_cache_file), unchanged files taken from it.
    pub fn new() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            workers: None,
            cache: CacheChoice::Default,
            rescan: false,
            program: None,
            args: Vec::new(),
        }
    }

    /// How long one file may take in a worker before the worker is killed and the file marked
    /// [`WorkerFailure::TimedOut`](super::WorkerFailure::TimedOut).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most worker processes at once (at least one; by default one per core).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = Some(workers.max(1));
        self
    }

    /// Keeps the cache in this file instead of [`default_cache_file`](super::default_cache_file).
    pub fn cache_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.cache = CacheChoice::File(path.into());
        self
    }

    /// Neither reads nor writes a cache: every file is scanned.
    pub fn without_cache(mut self) -> Self {
        self.cache = CacheChoice::None;
        self
    }

    /// Scans every file again, whatever the cache knows (the cache is then rewritten).
    pub fn rescan(mut self, rescan: bool) -> Self {
        self.rescan = rescan;
        self
    }

    /// Runs this executable as the worker instead of the running program's own; it must link
    /// this version of the crate.
    pub fn worker_program(self, program: impl Into<PathBuf>) -> Self {
        self.worker_command(program, std::iter::empty::<OsString>())
    }

    /// Runs `program` with `args` as the worker: a program that loads this crate rather than
    /// being linked with it, such as an interpreter that loads an extension module which links
    /// it (the worker serves as soon as the library is loaded, see
    /// [How workers are started](super#how-workers-are-started)). The Python package starts
    /// `sys.executable` with arguments that load its extension.
    pub fn worker_command(
        mut self,
        program: impl Into<PathBuf>,
        args: impl IntoIterator<Item = impl Into<OsString>>,
    ) -> Self {
        self.program = Some(program.into());
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// The cache file this scanner uses, if any.
    pub fn cache_path(&self) -> Option<PathBuf> {
        match &self.cache {
            CacheChoice::Default => cache::default_location(),
            CacheChoice::File(path) => Some(path.clone()),
            CacheChoice::None => None,
        }
    }

    /// Scans every plugin file along `path` ([`SearchPath::plugin_files`]), in search order.
    pub fn scan(&self, path: &SearchPath) -> Result<Catalog, CatalogError> {
        let listing = path.plugin_files();
        let mut catalog = self.scan_files_in(listing.files, path.dirs())?;
        catalog.unreadable = listing.unreadable;
        Ok(catalog)
    }

    /// Scans these plugin files, in this order.
    pub fn scan_files(
        &self,
        files: impl IntoIterator<Item = impl Into<PathBuf>>,
    ) -> Result<Catalog, CatalogError> {
        self.scan_files_in(files.into_iter().map(Into::into).collect(), &[])
    }

    /// Scans `files`; the cache's entries for files of `listed_dirs` that are not among them
    /// are dropped (the files are gone).
    fn scan_files_in(
        &self,
        files: Vec<PathBuf>,
        listed_dirs: &[PathBuf],
    ) -> Result<Catalog, CatalogError> {
        let cache_path = self.cache_path();
        let mut report = ScanReport {
            files: files.len(),
            ..ScanReport::default()
        };
        // The cache's records of these files (only theirs are read).
        let mut cache = None;
        let mut cached: HashMap<PathBuf, FileRecord> = HashMap::new();
        if let Some(cache_path) = &cache_path {
            let opened = cache::open(cache_path).and_then(|opened| {
                let Some(opened) = opened else {
                    return Ok(None);
                };
                let records = opened.records(files.iter().map(PathBuf::as_path))?;
                Ok(Some((opened, records)))
            });
            match opened {
                Ok(Some((opened, records))) => {
                    cached.extend(records.into_iter().map(|r| (r.path.clone(), r)));
                    cache = Some(opened);
                }
                Ok(None) => {}
                Err(reason) => report.cache_discarded = Some(reason),
            }
        }

        let mut records: Vec<Option<FileRecord>> = Vec::with_capacity(files.len());
        let mut to_scan: Vec<usize> = Vec::new();
        let mut stamps = Vec::with_capacity(files.len());
        for (index, file) in files.iter().enumerate() {
            let stamp = FileStamp::of(file).ok();
            // Taken out of the map: what stays there is the cache's knowledge of other files.
            let known = cached
                .remove(file)
                .filter(|record| !self.rescan && stamp.is_some() && record.stamp == stamp);
            if known.is_none() {
                to_scan.push(index);
            }
            records.push(known);
            stamps.push(stamp);
        }
        report.from_cache = files.len() - to_scan.len();
        report.scanned = to_scan.len();

        if !to_scan.is_empty() {
            // Largest files first: loading time grows with size, and the last file handed out
            // should not be the one that keeps every other worker waiting.
            to_scan.sort_by_key(|&i| std::cmp::Reverse(stamps[i].map_or(0, |stamp| stamp.size)));
            let paths: Vec<PathBuf> = to_scan.iter().map(|&i| files[i].clone()).collect();
            let options = pool::PoolOptions {
                program: match &self.program {
                    Some(program) => program.clone(),
                    None => std::env::current_exe().map_err(CatalogError::CurrentExe)?,
                },
                args: self.args.clone(),
                workers: self.workers.unwrap_or_else(|| {
                    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
                }),
                timeout: self.timeout,
            };
            let (outcomes, stats) = pool::scan(&paths, &options)?;
            report.workers_started = stats.workers_started;
            for (&index, outcome) in to_scan.iter().zip(outcomes) {
                records[index] = Some(FileRecord::new(
                    files[index].clone(),
                    stamps[index],
                    outcome,
                ));
            }
        }
        let files: Vec<FileRecord> = records
            .into_iter()
            .map(|record| record.expect("every file is cached or scanned"))
            .collect();

        if let Some(cache_path) = &cache_path {
            let mut stale = report.scanned > 0 || report.cache_discarded.is_some();
            // The cache's knowledge of files this scan did not list: those of a listed
            // directory are gone.
            let listed: HashSet<&Path> = files.iter().map(FileRecord::path).collect();
            let others: Vec<&Path> = cache
                .iter()
                .flat_map(cache::CacheFile::paths)
                .filter(|path| !listed.contains(path))
                .collect();
            let gone = |path: &Path| {
                path.parent()
                    .is_some_and(|dir| listed_dirs.iter().any(|listed| listed == dir))
            };
            let kept_others: Vec<&Path> = others.iter().copied().filter(|p| !gone(p)).collect();
            stale |= kept_others.len() != others.len();
            if stale {
                // Files of other search paths stay known, unless they no longer exist (so that
                // the cache does not grow with every temporary directory ever scanned).
                let mut kept: Vec<FileRecord> = files.clone();
                match cache.as_ref().map(|c| c.records(kept_others)) {
                    Some(Ok(others)) => {
                        kept.extend(others.into_iter().filter(|record| record.path.exists()));
                    }
                    Some(Err(reason)) => report.cache_discarded = Some(reason),
                    None => {}
                }
                if let Err(error) = cache::write(cache_path, kept) {
                    report.cache_write_error =
                        Some(format!("cannot write {}: {error}", cache_path.display()));
                }
            }
        }
        Ok(Catalog {
            files,
            unreadable: Vec::new(),
            report,
        })
    }
}

// `Catalog::scan` is written here, beside the scanner it uses, so that the catalog's own module
// does not import the scanner that builds it (one way: scanner -> list).
impl Catalog {
    /// Scans `path` with the default [`Scanner`]: workers, the default cache.
    pub fn scan(path: &SearchPath) -> Result<Self, CatalogError> {
        Scanner::new().scan(path)
    }
}
