//! The one place where a [`PluginName`] becomes the plugin types it stands for: the command
//! line, chain specs, the Python package and the live host all resolve names here, so that a
//! name means the same thing everywhere.

use std::fmt;
use std::path::{Path, PathBuf};

use super::error::CatalogError;
use super::list::Catalog;
use super::record::{FileOutcome, FileRecord, PluginRecord};
use super::scanner::Scanner;
use crate::discovery::SearchPath;
use crate::plugin::{FindError, Query};
use crate::plugin_name::PluginName;

/// One of several plugin types a name could stand for, written as a name that picks it alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The plugin file.
    pub file: PathBuf,
    /// The plugin type's label (lossily decoded when it is not UTF-8).
    pub label: String,
    /// The plugin type's unique ID.
    pub unique_id: u64,
}

/// `/usr/lib/ladspa/filter.so:lpf (ID 1041)`: what to write to name this candidate alone.
impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} (ID {})",
            self.file.display(),
            self.label,
            self.unique_id
        )
    }
}

impl Candidate {
    fn of(plugin: &PluginRecord) -> Self {
        Self {
            file: plugin.path().to_owned(),
            label: plugin.label().to_string(),
            unique_id: plugin.unique_id(),
        }
    }
}

/// Why a name does not stand for a usable plugin type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// Scanning failed as a whole (workers could not start).
    #[error(transparent)]
    Scan(#[from] CatalogError),
    /// No file and no plugin type along the search path has this name.
    #[error(
        "no plugin file, label or unique ID `{name}` {}{}",
        searched(path),
        hint(name)
    )]
    NotFound {
        /// The name as written.
        name: String,
        /// Where it was looked for.
        path: SearchPath,
    },
    /// The file was found but gives no plugin: the loader refused it, or it crashed or hung
    /// while it was scanned.
    #[error("{}", named_once(file, reason))]
    Unusable {
        /// The plugin file.
        file: PathBuf,
        /// What happened to it.
        reason: String,
    },
    /// The file has no such plugin type, or refused its descriptor.
    #[error("{source}; the file has: {}", available.join(", "))]
    NotInFile {
        /// The look-up's own error, naming the file and the query.
        source: FindError,
        /// The labels the file does have.
        available: Vec<String>,
    },
    /// One plugin type was asked for, and the name is a file that holds several.
    #[error(
        "{} holds {} plugins ({}); name one as {}:<label>",
        file.display(),
        labels.len(),
        labels.join(", "),
        file.display()
    )]
    SeveralInFile {
        /// The plugin file.
        file: PathBuf,
        /// Its labels.
        labels: Vec<String>,
    },
    /// The label or unique ID is in more than one file: naming one of them is the caller's
    /// choice, never the search order's.
    #[error(
        "`{name}` is in {} files; name one of them: {}",
        candidates.len(),
        candidates.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    Ambiguous {
        /// The name as written.
        name: String,
        /// One plugin type per file that has the name, in search order.
        candidates: Vec<Candidate>,
    },
}

fn searched(path: &SearchPath) -> String {
    if path.dirs().is_empty() {
        return "(the search path is empty: set LADSPA_PATH, or name a file by its path)"
            .to_owned();
    }
    let listed = |keep: fn(&Path) -> bool| -> Vec<String> {
        let dirs = path.dirs().iter().filter(|dir| keep(dir));
        dirs.map(|dir| dir.display().to_string()).collect()
    };
    // A plugin file named as a directory (LADSPA_PATH=/usr/lib/ladspa/amp.so) is the likely
    // mistake; a missing directory is common (the default path names three).
    let files = listed(|dir| dir.exists() && !dir.is_dir());
    let missing = listed(|dir| !dir.exists());
    if let ([file], [_]) = (files.as_slice(), path.dirs()) {
        return format!(
            "along the search path {file}, which is not a directory (the search path names \
             directories of plugin files; a file is named by its path)"
        );
    }
    let mut notes = Vec::new();
    match files.as_slice() {
        [] => {}
        [file] => notes.push(format!(
            "{file} is not a directory: the search path names directories of plugin files"
        )),
        files => notes.push(format!(
            "{} are not directories: the search path names directories of plugin files",
            files.join(", ")
        )),
    }
    if missing.len() == path.dirs().len() {
        notes.push("none of its directories exists (set LADSPA_PATH)".to_owned());
    } else if !missing.is_empty() && files.is_empty() {
        notes.push(format!("{} not a directory", missing.join(", ")));
    }
    match notes.is_empty() {
        true => format!("along the search path {path}"),
        false => format!("along the search path {path} ({})", notes.join("; ")),
    }
}

/// `file: reason`, or the reason alone when it names the file already.
fn named_once(file: &Path, reason: &str) -> String {
    let name = file.display().to_string();
    if reason.contains(&name) {
        reason.to_owned()
    } else {
        format!("{name}: {reason}")
    }
}

fn hint(name: &str) -> &'static str {
    if name.contains(':') {
        " (a plugin of a file is named FILE.so:LABEL)"
    } else {
        ""
    }
}

/// Why a scanned file gives no plugin, or `None` when it loaded.
pub fn why_unusable(outcome: &FileOutcome) -> Option<String> {
    match outcome {
        FileOutcome::Loaded { .. } => None,
        FileOutcome::Refused(error) => Some(error.to_string()),
        FileOutcome::Failed(failure) => Some(failure.to_string()),
    }
}

/// Finds the plugin types that names stand for, through the [catalog](super): the search path
/// is scanned at most once (from the cache where files did not change), when a label or ID is
/// looked for; a file named is scanned alone unless the path was (from the cache, which then
/// reads that file's record only). No plugin code runs in the calling process.
///
/// What a [`PluginName`] stands for:
/// - a file (`amp.so`, a path): every plugin type it holds; a bare file name is looked for
///   along the search path the way the SDK's tools do (first directory that has it, `.so`
///   appended when missing);
/// - `FILE.so:LABEL` or `FILE.so:ID`: that plugin type of that file;
/// - anything else: the plugin type with that label (or unique ID, when it is all digits) in any
///   file along the search path, and when none has it, a file of that name. A label or ID found
///   in two different files is [`ResolveError::Ambiguous`], listing each candidate as
///   `file:label` with its ID; the same file reached twice along the path (a directory listed
///   twice through a symbolic link, a hard link) is one candidate.
///
/// ```
/// # let dir = ladspa_testplugins::reference_dir();
/// # let cache = std::env::temp_dir().join(format!("ladspa-doc-resolver-{}", std::process::id()));
/// use ladspa_host::PluginName;
/// use ladspa_host::catalog::{Resolver, Scanner};
/// use ladspa_host::discovery::SearchPath;
///
/// let scanner = Scanner::new().cache_file(cache.join("catalog.bin"));
/// let mut resolver = Resolver::new(scanner, SearchPath::new([dir]));
/// let amp = resolver.resolve_one(&PluginName::parse("tp_amp.so:tp_amp_mono"))?;
/// assert_eq!(amp.unique_id(), 7001);
/// assert_eq!(resolver.resolve_one(&"7001".into())?.label(), "tp_amp_mono");
/// assert_eq!(resolver.resolve(&"tp_amp".into())?.len(), 2); // a file: every type in it
/// # std::fs::remove_dir_all(&cache).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Resolver {
    scanner: Scanner,
    path: SearchPath,
    along_path: Option<Catalog>,
}

impl Resolver {
    /// A resolver over `path`, scanning with `scanner` when it first needs to.
    pub fn new(scanner: Scanner, path: SearchPath) -> Self {
        Self {
            scanner,
            path,
            along_path: None,
        }
    }

    /// The search path.
    pub fn path(&self) -> &SearchPath {
        &self.path
    }

    /// Every file along the search path, scanned (once; from the cache when they did not
    /// change).
    pub fn catalog(&mut self) -> Result<&Catalog, CatalogError> {
        let catalog = match self.along_path.take() {
            Some(catalog) => catalog,
            None => self.scanner.scan(&self.path)?,
        };
        Ok(self.along_path.insert(catalog))
    }

    /// The plugin types `name` stands for: one, or every one of a file named without a label.
    pub fn resolve(&mut self, name: &PluginName) -> Result<Vec<PluginRecord>, ResolveError> {
        match name {
            PluginName::File { file, plugin } => {
                let record = self.file(file.as_path())?;
                match plugin {
                    None => Ok(record.plugins().to_vec()),
                    Some(query) => Ok(vec![found_in(&record, query)?.clone()]),
                }
            }
            PluginName::Any(text) => {
                let query = Query::parse(text);
                if let Some(found) = self.unique_match(text, &query)? {
                    return Ok(vec![found]);
                }
                // A name that no file has is not passed on as a path (the label look-up failed
                // too, and saying so is more useful than the loader's "no such file").
                if self.path.resolve(text).is_ok_and(|file| file.exists()) {
                    return Ok(self.file(Path::new(text))?.plugins().to_vec());
                }
                Err(ResolveError::NotFound {
                    name: text.clone(),
                    path: self.path.clone(),
                })
            }
        }
    }

    /// The one plugin type `name` stands for; a file that holds several needs a label
    /// ([`ResolveError::SeveralInFile`]).
    pub fn resolve_one(&mut self, name: &PluginName) -> Result<PluginRecord, ResolveError> {
        let mut found = self.resolve(name)?;
        if found.len() == 1 {
            return Ok(found.remove(0));
        }
        let file = match name {
            PluginName::File { file, .. } => self.path.resolve(file).unwrap_or(file.clone()),
            PluginName::Any(text) => found
                .first()
                .map_or_else(|| PathBuf::from(text), |p| p.path().to_owned()),
        };
        Err(ResolveError::SeveralInFile {
            file,
            labels: found.iter().map(|p| p.label().to_string()).collect(),
        })
    }

    /// The plugin type matching `query` along the search path, when exactly one file has it.
    fn unique_match(
        &mut self,
        name: &str,
        query: &Query,
    ) -> Result<Option<PluginRecord>, ResolveError> {
        let catalog = self.catalog()?;
        // One candidate per file: the same file reached twice along the path is one file.
        let mut per_file: Vec<(Option<(u64, u64)>, &PluginRecord)> = Vec::new();
        for plugin in catalog.find_all(query) {
            let identity = plugin.stamp().map(|stamp| (stamp.device, stamp.inode));
            let seen = per_file
                .iter()
                .any(|(other, first)| match (identity, other) {
                    (Some(identity), Some(other)) => identity == *other,
                    _ => first.path() == plugin.path(),
                });
            if !seen {
                per_file.push((identity, plugin));
            }
        }
        match per_file.as_slice() {
            [] => Ok(None),
            [(_, only)] => Ok(Some((*only).clone())),
            several => Err(ResolveError::Ambiguous {
                name: name.to_owned(),
                candidates: several.iter().map(|(_, p)| Candidate::of(p)).collect(),
            }),
        }
    }

    /// The record of one file: resolved along the search path as the SDK's tools resolve
    /// names, then taken from the path's catalog when it was scanned, or scanned alone.
    fn file(&mut self, name: &Path) -> Result<FileRecord, ResolveError> {
        let path = self
            .path
            .resolve(name)
            .map_err(|_| ResolveError::NotFound {
                name: name.to_string_lossy().into_owned(),
                path: self.path.clone(),
            })?;
        // A catalog of the path already scanned knows the file; else the file is scanned
        // alone (from the cache when it did not change, which reads its record only).
        let known = self
            .along_path
            .as_ref()
            .and_then(|c| c.file(&path).cloned());
        let record = match known {
            Some(record) => record,
            None => self.scan_alone(&path)?,
        };
        match why_unusable(record.outcome()) {
            None => Ok(record),
            Some(reason) => Err(ResolveError::Unusable { file: path, reason }),
        }
    }

    fn scan_alone(&self, path: &Path) -> Result<FileRecord, CatalogError> {
        let catalog = self.scanner.scan_files([path])?;
        Ok(catalog
            .files()
            .first()
            .cloned()
            .expect("a scan of one file has its record"))
    }
}

fn found_in<'r>(record: &'r FileRecord, query: &Query) -> Result<&'r PluginRecord, ResolveError> {
    record
        .find(query)
        .map_err(|source| ResolveError::NotInFile {
            source,
            available: record
                .plugins()
                .iter()
                .map(|p| p.label().to_string())
                .collect(),
        })
}
