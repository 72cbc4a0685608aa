//! Discovery that survives any plugin file: scanning in worker processes, and a persistent
//! catalog of what they found.
//!
//! [`Catalog::scan`] lists every plugin file along a [`SearchPath`] and has worker processes
//! load the files that it does not know yet; the caller's process never loads a plugin file.
//! What the workers found (labels, names, ports, hints, properties, which functions exist,
//! refused descriptors and their defects) is kept in a cache file, so the next scan loads only
//! the files that changed. Turning an entry into a loaded [`Descriptor`] is one call,
//! [`PluginRecord::load`], which first checks that the file is still the one scanned.
//!
//! ```
//! # let dir = ladspa_testplugins::reference_dir();
//! # let cache = std::env::temp_dir().join(format!("ladspa-doc-catalog-{}", std::process::id()));
//! use ladspa_host::catalog::Scanner;
//! use ladspa_host::discovery::SearchPath;
//!
//! let catalog = Scanner::new().cache_file(cache.join("catalog.bin")).scan(&SearchPath::new([dir]))?;
//! let amp = catalog.find_label("tp_amp_mono").expect("the test amplifier");
//! assert_eq!(amp.unique_id(), 7001);
//! assert_eq!(amp.port(0).unwrap().hint().default_value(48_000), Some(1.0));
//!
//! // Only now does this process load the file, having checked it did not change.
//! // SAFETY: the test plugins are trusted code.
//! let descriptor = unsafe { amp.load() }?;
//! assert_eq!(descriptor.label(), "tp_amp_mono");
//! # std::fs::remove_dir_all(&cache).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What the isolated scan survives, and what it does not
//!
//! A file whose code crashes (any signal: SIGSEGV, SIGBUS on a truncated file inside `dlopen`,
//! SIGABRT…), calls `exit`, or hangs while it is loaded, while `ladspa_descriptor` runs, while
//! its descriptors are read, or while it is unloaded, costs only its own entry: the entry says
//! what happened and in which step ([`ScanFailure`]), the worker is replaced and the scan goes
//! on. Each file has [`Scanner::timeout`] (10 s by default) to be scanned. Files the host
//! refuses cleanly (a FIFO, a file that is not a shared object, a missing symbol, no
//! descriptors) are [`FileOutcome::Refused`] with the error an in-process load gives.
//!
//! It protects the scan only. A file that loads well in a worker may still crash, hang or
//! misbehave later in the process that loads it for real ([`PluginRecord::load`]), when its
//! plugins are instantiated or run: checking that is the validator's business. The worker
//! runs the file's code with the caller's rights, so a malicious file can still do whatever a
//! program of yours could (delete files, kill processes): isolation is against accidents, not a
//! sandbox.
//!
//! # How workers are started
//!
//! A worker is the caller's own executable, started again with an environment variable that a
//! function of this crate, run before `main`, recognises: any program that links this crate can
//! scan with no set-up at all, test harnesses and doctests included. [`Scanner::worker_program`]
//! names another executable instead (it must link this crate too), and
//! [`Scanner::worker_command`] a program with arguments that loads this crate as a shared
//! library: the function runs when the library is loaded (an `.init_array` entry of a shared
//! object runs at `dlopen`), so an interpreter that imports an extension module linking this
//! crate serves as a worker too. See the `worker` module's
//! source for why this beats shipping a worker binary.
//!
//! # The cache
//!
//! One file, by default `$XDG_CACHE_HOME/ladspa-rs/catalog.bin` ([`default_cache_file`]),
//! holding every file scanned along any search path. A file is scanned again when its size,
//! modification time, inode or device changed; files that crashed or hung are remembered as
//! such until they change, and [`Scanner::rescan`] forces a fresh scan. A damaged cache is
//! discarded and rebuilt, and concurrent scans never corrupt it (the new cache is written to a
//! temporary file and renamed over the old one).

mod cache;
mod pool;
mod port_record;
mod record;
mod resolve;
pub(crate) mod serial;
mod step_page;
mod worker;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use cache::default_location as default_cache_file;
pub use record::{
    FileOutcome, FileRecord, FileStamp, PluginRecord, PortRecord, ScanFailure, ScanStep,
    WorkerFailure,
};
pub use resolve::{Candidate, ResolveError, Resolver, why_unusable};

use crate::discovery::SearchPath;
use crate::{Descriptor, FindError, LoadError, Plugin, Query};

/// The time one file may take in a worker by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// [`default_cache_file`], unchanged files taken from it.
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
    /// [`WorkerFailure::TimedOut`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most worker processes at once (at least one; by default one per core).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = Some(workers.max(1));
        self
    }

    /// Keeps the cache in this file instead of [`default_cache_file`].
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
    /// [How workers are started](self#how-workers-are-started)). The Python package starts
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
            CacheChoice::Default => default_cache_file(),
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
        let mut cached: HashMap<PathBuf, FileRecord> = HashMap::new();
        if let Some(cache_path) = &cache_path {
            match cache::read(cache_path) {
                Ok(records) => cached.extend(records.into_iter().map(|r| (r.path.clone(), r))),
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
            let stale = report.scanned > 0 || report.cache_discarded.is_some();
            // What is left in `cached` is about files this scan did not list: those of a listed
            // directory are gone.
            let gone = |path: &Path| {
                path.parent()
                    .is_some_and(|dir| listed_dirs.iter().any(|listed| listed == dir))
            };
            let before = cached.len();
            cached.retain(|path, _| !gone(path));
            if stale || cached.len() != before {
                let mut kept: Vec<FileRecord> = files.clone();
                // Files of other search paths stay known, unless they no longer exist (so that
                // the cache does not grow with every temporary directory ever scanned).
                kept.extend(cached.into_values().filter(|record| record.path.exists()));
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

/// The plugin files along a search path and what scanning each gave, with no plugin code
/// loaded. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Catalog {
    files: Vec<FileRecord>,
    unreadable: Vec<(PathBuf, String)>,
    report: ScanReport,
}

impl Catalog {
    /// Scans `path` with the default [`Scanner`]: workers, the default cache.
    pub fn scan(path: &SearchPath) -> Result<Self, CatalogError> {
        Scanner::new().scan(path)
    }

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

impl FileRecord {
    /// The plugin type with this label, as [`Plugin::find_label`] finds it.
    pub fn find_label(&self, label: &str) -> Result<&PluginRecord, FindError> {
        self.find(&Query::Label(label.to_owned()))
    }

    /// The plugin type that matches `query`, as [`Plugin::find`] finds it: a match among the
    /// refused descriptors gives its validation error.
    pub fn find(&self, query: &Query) -> Result<&PluginRecord, FindError> {
        let found = self.plugins().iter().find(|p| p.matches(query));
        crate::plugin::found_or_why(found, self.rejected(), query, &self.path)
    }

    /// Loads the file into this process, after checking that it is the file that was scanned.
    ///
    /// # Safety
    /// As for [`Plugin::load`]: the file runs its code in this process. That it loaded in a
    /// worker does not make it safe to load (see the [module documentation](self)).
    pub unsafe fn load(&self) -> Result<Plugin, CatalogError> {
        if !self.is_current() {
            return Err(CatalogError::Changed {
                file: self.path.clone(),
            });
        }
        // SAFETY: the caller's promise, passed on.
        Ok(unsafe { Plugin::load(&self.path) }?)
    }
}

impl PluginRecord {
    fn matches(&self, query: &Query) -> bool {
        match query {
            Query::Label(label) => self.label() == label.as_str(),
            Query::UniqueId(id) => self.unique_id() == *id,
        }
    }

    /// Loads this plugin type's file into this process and gives its descriptor, after checking
    /// that the file is the one scanned and still holds this plugin type (same index, label and
    /// unique ID).
    ///
    /// # Safety
    /// As for [`Plugin::load`]: the file runs its code in this process.
    pub unsafe fn load(&self) -> Result<Descriptor, CatalogError> {
        if self.stamp.is_none() || FileStamp::of(&self.file).ok() != self.stamp {
            return Err(CatalogError::Changed {
                file: self.file.clone(),
            });
        }
        // SAFETY: the caller's promise, passed on.
        let plugin = unsafe { Plugin::load(&self.file) }?;
        plugin
            .descriptors()
            .iter()
            .find(|d| {
                d.index() == self.index()
                    && d.unique_id() == self.unique_id()
                    && d.label() == self.label()
            })
            .cloned()
            .ok_or_else(|| CatalogError::Missing {
                file: self.file.clone(),
                index: self.index(),
                label: self.label().to_string(),
                unique_id: self.unique_id(),
            })
    }
}
