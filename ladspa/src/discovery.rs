//! Finding plugin files: the `LADSPA_PATH` search path, resolving a bare name like the SDK
//! tools do, and scanning directories.
//!
//! # What an in-process scan survives
//!
//! [`SearchPath::scan_in_process`] loads every file into the calling process, one after the other. A file
//! that the host can refuse without running it, or that the dynamic loader refuses cleanly, is
//! reported in its own [`ScannedFile`] and the scan goes on: a FIFO, directory or device named
//! `*.so` ([`LoadError::NotRegularFile`]), a file that is not a shared object, an unresolved
//! symbol, a file without `ladspa_descriptor`, no or endless descriptors, invalid descriptors.
//!
//! It does **not** survive a file whose own code misbehaves while it loads, because that code
//! runs in the caller's process: a static constructor or `ladspa_descriptor` that crashes,
//! calls `exit()` or hangs, or a truncated ELF file that raises SIGBUS inside `dlopen`, ends or
//! freezes the whole program. Only running the loading in another process can survive those;
//! the catalog (`ladspa_host::catalog`, feature `catalog`) scans that way, in worker processes, and caches what it found.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::descriptor::Descriptor;
use crate::library::LoadError;
use crate::plugin::LoadOptions;
use crate::plugin::{FindError, Plugin, Query};

/// Directories searched when `LADSPA_PATH` is unset or empty, in order (`~` is `$HOME`). The
/// `lib64` ones are added only where they exist.
pub const STANDARD_DIRS: &[&str] = &["~/.ladspa", "/usr/local/lib/ladspa", "/usr/lib/ladspa"];
const LIB64_DIRS: &[&str] = &["/usr/lib64/ladspa", "/usr/local/lib64/ladspa"];

/// Why discovery could not give what was asked for.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// No file of that name along the search path.
    #[error("no plugin file `{name}` in the search path ({path})")]
    FileNotFound {
        /// The name that was looked for.
        name: String,
        /// The search path.
        path: SearchPath,
    },
    /// No plugin type matching the query in any file along the search path.
    #[error("no plugin with {query} in the search path ({path})")]
    PluginNotFound {
        /// What was looked for.
        query: Query,
        /// The search path.
        path: SearchPath,
    },
    /// The file was found but could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The plugin type was found but failed validation.
    #[error(transparent)]
    Find(#[from] FindError),
}

/// An ordered list of directories that hold plugin files, without empty entries or duplicates.
///
/// ```
/// use ladspa_host::discovery::SearchPath;
///
/// let path = SearchPath::parse("/opt/ladspa::/usr/lib/ladspa:/opt/ladspa".as_ref());
/// assert_eq!(path.dirs(), [std::path::Path::new("/opt/ladspa"), "/usr/lib/ladspa".as_ref()]);
/// ```
///
/// [`SearchPath::default()`] is empty, as collections are; the directories hosts search when
/// `LADSPA_PATH` is unset are [`SearchPath::standard()`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPath {
    dirs: Vec<PathBuf>,
}

impl SearchPath {
    /// The search path from `LADSPA_PATH`, or [`SearchPath::standard`] when it is unset or
    /// holds no directory.
    pub fn from_env() -> Self {
        Self::from_env_value(std::env::var_os("LADSPA_PATH").as_deref())
    }

    /// The search path for a value of `LADSPA_PATH` (`None`: unset).
    pub fn from_env_value(value: Option<&OsStr>) -> Self {
        match value.map(Self::parse) {
            Some(path) if !path.dirs.is_empty() => path,
            _ => Self::standard(),
        }
    }

    /// Parses a colon-separated list. Empty entries and repeated directories are skipped (a
    /// repeat is not the end of the list); the order is kept.
    pub fn parse(value: &OsStr) -> Self {
        use std::os::unix::ffi::OsStrExt;
        Self::new(
            value
                .as_bytes()
                .split(|&b| b == b':')
                .map(|entry| PathBuf::from(OsStr::from_bytes(entry))),
        )
    }

    /// The standard directories, which hosts search when `LADSPA_PATH` is unset:
    /// [`STANDARD_DIRS`], then
    /// `/usr/lib64/ladspa` and `/usr/local/lib64/ladspa` where they exist.
    pub fn standard() -> Self {
        let home = std::env::var_os("HOME");
        let expand = |dir: &str| match (dir.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => Some(Path::new(home).join(rest)),
            (Some(_), None) => None,
            (None, _) => Some(PathBuf::from(dir)),
        };
        let lib64 = LIB64_DIRS
            .iter()
            .map(PathBuf::from)
            .filter(|dir| dir.is_dir());
        Self::new(
            STANDARD_DIRS
                .iter()
                .filter_map(|dir| expand(dir))
                .chain(lib64),
        )
    }

    /// A search path of these directories, empty ones and repeats skipped.
    pub fn new(dirs: impl IntoIterator<Item = impl Into<PathBuf>>) -> Self {
        let mut unique: Vec<PathBuf> = Vec::new();
        for dir in dirs.into_iter().map(Into::into) {
            if !dir.as_os_str().is_empty() && !unique.contains(&dir) {
                unique.push(dir);
            }
        }
        Self { dirs: unique }
    }

    /// The directories, in search order.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Finds a plugin file by name, as the LADSPA SDK's tools do: a name with a `/` is a path
    /// and is used as it is; otherwise each directory is tried for `name`. Either way, when
    /// nothing is found and `name` does not end in `.so`, the same is tried for `name.so`.
    pub fn resolve(&self, name: impl AsRef<OsStr>) -> Result<PathBuf, DiscoveryError> {
        let name = name.as_ref();
        let mut candidates = vec![name.to_owned()];
        if !name.as_encoded_bytes().ends_with(b".so") {
            let mut with_suffix = name.to_owned();
            with_suffix.push(".so");
            candidates.push(with_suffix);
        }
        let is_path = name.as_encoded_bytes().contains(&b'/');
        let found = candidates.iter().find_map(|candidate| {
            if is_path {
                Some(PathBuf::from(candidate)).filter(|path| path.is_file())
            } else {
                self.dirs
                    .iter()
                    .map(|dir| dir.join(candidate))
                    .find(|path| path.is_file())
            }
        });
        match (found, is_path) {
            (Some(path), _) => Ok(path),
            // A path that names nothing is passed on, so that loading it reports the loader's
            // own message about it.
            (None, true) => Ok(PathBuf::from(name)),
            (None, false) => Err(DiscoveryError::FileNotFound {
                name: name.to_string_lossy().into_owned(),
                path: self.clone(),
            }),
        }
    }

    /// Resolves `name` ([`SearchPath::resolve`]) and loads it.
    ///
    /// # Safety
    /// As for [`Plugin::load`]: the file found runs its code.
    pub unsafe fn load(&self, name: impl AsRef<OsStr>) -> Result<Plugin, DiscoveryError> {
        let path = self.resolve(name)?;
        // SAFETY: the caller trusts the plugin files along this path.
        Ok(unsafe { Plugin::load(path) }?)
    }

    /// Every `*.so` file along the path: directory by directory, each in the order the
    /// directory lists it (as the SDK's `listplugins` does; sort if you need a stable order).
    /// Directories that are missing or unreadable are reported in [`Listing::unreadable`].
    pub fn plugin_files(&self) -> Listing {
        let mut listing = Listing::default();
        for dir in &self.dirs {
            let entries = match std::fs::read_dir(dir) {
                Ok(entries) => entries,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    listing
                        .unreadable
                        .push((dir.clone(), crate::io_reason::reason(&error)));
                    continue;
                }
            };
            for entry in entries {
                match entry {
                    Ok(entry) if is_plugin_file_name(&entry.file_name()) => {
                        // The listing's own file type (no system call where the file system
                        // gives it), which spares the load a second look at the file.
                        let regular = entry.file_type().is_ok_and(|kind| kind.is_file());
                        listing.files.push(entry.path());
                        listing.regular.push(regular);
                    }
                    Ok(_) => {}
                    Err(error) => listing
                        .unreadable
                        .push((dir.clone(), crate::io_reason::reason(&error))),
                }
            }
        }
        listing
    }

    /// Loads every plugin file along the path into a result of its own, so that a file the
    /// loader refuses (not a regular file, not a shared object, not LADSPA, an unresolved
    /// symbol) is reported and the scan goes on. A file that crashes, exits or hangs while it
    /// loads takes the process with it: see the [module documentation](self).
    ///
    /// # Safety
    /// As for [`Plugin::load`]: every file found runs its code.
    pub unsafe fn scan_in_process(&self) -> InProcessScan {
        // SAFETY: the caller's promise, passed on.
        unsafe { self.scan_in_process_with(&LoadOptions::new()) }
    }

    /// [`SearchPath::scan_in_process`], loading each file with `options` (for example
    /// [`LoadOptions::keep_loaded`]).
    ///
    /// # Safety
    /// As for [`Plugin::load`]: every file found runs its code.
    pub unsafe fn scan_in_process_with(&self, options: &LoadOptions) -> InProcessScan {
        let listing = self.plugin_files();
        let files = listing
            .files
            .into_iter()
            .zip(listing.regular)
            .map(|(path, regular)| {
                let result = if regular {
                    // SAFETY: the caller trusts the plugin files along this path; the listing
                    // says that this one is a regular file (not a symbolic link to anything).
                    unsafe { options.load_regular_file(&path, |_| {}) }
                } else {
                    // SAFETY: the caller trusts the plugin files along this path.
                    unsafe { options.load(&path) }
                };
                ScannedFile { path, result }
            })
            .collect();
        InProcessScan {
            files,
            unreadable: listing.unreadable,
        }
    }

    /// The first plugin type along the path that matches `query`; files that fail to load are
    /// passed over.
    ///
    /// # Safety
    /// As for [`Plugin::load`]: every file tried runs its code.
    pub unsafe fn find(&self, query: &Query) -> Result<Descriptor, DiscoveryError> {
        for path in self.plugin_files().files {
            // SAFETY: the caller trusts the plugin files along this path.
            let Ok(plugin) = (unsafe { Plugin::load(&path) }) else {
                continue;
            };
            match plugin.find(query) {
                Ok(found) => return Ok(found.clone()),
                Err(FindError::NotFound { .. }) => continue,
                Err(invalid) => return Err(invalid.into()),
            }
        }
        Err(DiscoveryError::PluginNotFound {
            query: query.clone(),
            path: self.clone(),
        })
    }
}

impl fmt::Display for SearchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<OsString> = self.dirs.iter().map(|d| d.as_os_str().to_owned()).collect();
        write!(f, "{}", joined.join(OsStr::new(":")).to_string_lossy())
    }
}

fn is_plugin_file_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.len() > 3 && bytes.ends_with(b".so")
}

/// The plugin files along a search path ([`SearchPath::plugin_files`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Listing {
    /// Every `*.so` file, in search order.
    pub files: Vec<PathBuf>,
    /// Directories (or entries) that exist but could not be read, with the system's message.
    pub unreadable: Vec<(PathBuf, String)>,
    /// For each file, whether the listing saw a regular file (not a symbolic link).
    pub(crate) regular: Vec<bool>,
}

/// One file of an [`InProcessScan`].
#[derive(Debug)]
#[non_exhaustive]
pub struct ScannedFile {
    /// The plugin file.
    pub path: PathBuf,
    /// The loaded file, or why it could not be loaded.
    pub result: Result<Plugin, LoadError>,
}

/// The result of [`SearchPath::scan_in_process`]: every plugin file along the path, each with its own
/// outcome.
#[derive(Debug)]
#[non_exhaustive]
pub struct InProcessScan {
    /// Every `*.so` file, in search order.
    pub files: Vec<ScannedFile>,
    /// Directories (or entries) that exist but could not be read, with the system's message.
    pub unreadable: Vec<(PathBuf, String)>,
}

impl InProcessScan {
    /// The files that loaded.
    pub fn plugins(&self) -> impl Iterator<Item = &Plugin> {
        self.files
            .iter()
            .filter_map(|entry| entry.result.as_ref().ok())
    }

    /// The files that did not load, with their errors.
    pub fn failures(&self) -> impl Iterator<Item = &LoadError> {
        self.files
            .iter()
            .filter_map(|entry| entry.result.as_ref().err())
    }
}
