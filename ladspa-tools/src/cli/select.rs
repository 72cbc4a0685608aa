//! Which plugins a command line names: `<file>[:<label or unique ID>]`, a label, or a unique ID,
//! found through the [catalog](ladspa_host::catalog) so that no plugin code runs in this process
//! until a command needs an instance.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use ladspa_host::catalog::{Catalog, CatalogError, FileOutcome, FileRecord, PluginRecord, Scanner};
use ladspa_host::discovery::SearchPath;
use ladspa_host::{FindError, Query};

/// A plugin named on the command line, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSpec {
    /// A plugin file (a path, or a file name looked for along the search path), and which of
    /// its plugin types (every one when `None`).
    File {
        /// The file as written.
        file: OsString,
        /// The label or unique ID after the last `:`.
        plugin: Option<Query>,
    },
    /// A label or unique ID, looked for in every file along the search path; when nothing has
    /// it, a file name (`amp` for `amp.so`) as the SDK's tools take it.
    Name(String),
}

impl PluginSpec {
    /// Parses `file.so`, `dir/file.so:label`, `file:1049`, `label` or `1049`. A spec holding a
    /// `/` or ending in `.so` is a file; so is the part before the last `:` when one follows.
    pub fn parse(spec: &str) -> Self {
        let query = |text: &str| match text.parse::<u64>() {
            Ok(id) => Query::UniqueId(id),
            Err(_) => Query::Label(text.to_owned()),
        };
        if let Some((file, plugin)) = spec.rsplit_once(':')
            && !file.is_empty()
            && !plugin.contains('/')
        {
            return Self::File {
                file: file.into(),
                plugin: Some(query(plugin)),
            };
        }
        if spec.contains('/') || spec.ends_with(".so") {
            Self::File {
                file: spec.into(),
                plugin: None,
            }
        } else {
            Self::Name(spec.to_owned())
        }
    }
}

/// Why a plugin named on the command line cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SelectError {
    /// Scanning failed as a whole (workers could not start).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// No file and no plugin type has this name.
    #[error(
        "no plugin file, label or unique ID `{name}` along the search path {}",
        dirs(path)
    )]
    NotFound {
        /// The name as written.
        name: String,
        /// Where it was looked for.
        path: SearchPath,
    },
    /// The file was found but gives no plugin: the loader refused it, or it crashed or hung
    /// while it was scanned.
    #[error("{}: {reason}", file.display())]
    Unusable {
        /// The plugin file.
        file: PathBuf,
        /// What happened to it.
        reason: String,
    },
    /// The file has no such plugin type (or refused its descriptor).
    #[error("{source}; the file has: {}", available.join(", "))]
    NotInFile {
        /// The look-up's own error, naming the file and the query.
        source: FindError,
        /// The labels it does have.
        available: Vec<String>,
    },
    /// A command that needs one plugin type was given a file that has several.
    #[error("{} holds {} plugins ({}); name one as {}:<label>", file.display(), labels.len(), labels.join(", "), file.display())]
    Ambiguous {
        /// The plugin file.
        file: PathBuf,
        /// Its labels.
        labels: Vec<String>,
    },
}

fn dirs(path: &SearchPath) -> String {
    let dirs: Vec<String> = path
        .dirs()
        .iter()
        .map(|dir| dir.display().to_string())
        .collect();
    format!("({})", dirs.join(":"))
}

/// Finds plugins for command lines: scans the search path at most once, and single files
/// outside it on demand.
pub struct Selector {
    scanner: Scanner,
    path: SearchPath,
    along_path: Option<Catalog>,
}

impl Selector {
    /// A selector over `path`, scanning with `scanner`.
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

    /// Every file along the search path, scanned (from the cache when they did not change).
    pub fn catalog(&mut self) -> Result<&Catalog, SelectError> {
        if self.along_path.is_none() {
            self.along_path = Some(self.scanner.scan(&self.path)?);
        }
        Ok(self.along_path.as_ref().expect("just scanned"))
    }

    /// The plugin types `spec` names: one, or every one of a file named without a label.
    pub fn select(&mut self, spec: &PluginSpec) -> Result<Vec<PluginRecord>, SelectError> {
        match spec {
            PluginSpec::File { file, plugin } => {
                let record = self.file(file)?;
                match plugin {
                    None => Ok(record.plugins().to_vec()),
                    Some(query) => Ok(vec![found_in(&record, query)?.clone()]),
                }
            }
            PluginSpec::Name(name) => {
                let query = match name.parse::<u64>() {
                    Ok(id) => Query::UniqueId(id),
                    Err(_) => Query::Label(name.clone()),
                };
                if let Some(found) = self.catalog()?.find(&query) {
                    return Ok(vec![found.clone()]);
                }
                match self.path.resolve(name) {
                    Ok(_) => Ok(self.file(name.as_ref())?.plugins().to_vec()),
                    Err(_) => Err(SelectError::NotFound {
                        name: name.clone(),
                        path: self.path.clone(),
                    }),
                }
            }
        }
    }

    /// The one plugin type `spec` names; a file with several needs a label.
    pub fn select_one(&mut self, spec: &PluginSpec) -> Result<PluginRecord, SelectError> {
        let mut found = self.select(spec)?;
        if found.len() == 1 {
            return Ok(found.remove(0));
        }
        let file = found
            .first()
            .map(|plugin| plugin.path().to_owned())
            .unwrap_or_default();
        Err(SelectError::Ambiguous {
            file,
            labels: found.iter().map(|p| p.label().to_string()).collect(),
        })
    }

    /// The record of one file: resolved along the search path as the SDK's tools resolve
    /// names, then taken from the path's catalog or scanned alone.
    fn file(&mut self, name: &std::ffi::OsStr) -> Result<FileRecord, SelectError> {
        let path = self.path.resolve(name).map_err(|_| SelectError::NotFound {
            name: name.to_string_lossy().into_owned(),
            path: self.path.clone(),
        })?;
        let along_path = self
            .path
            .dirs()
            .iter()
            .any(|dir| path.parent() == Some(dir));
        let record = if along_path {
            self.catalog()?.file(&path).cloned()
        } else {
            None
        };
        let record = match record {
            Some(record) => record,
            None => single_file(&self.scanner, &path)?,
        };
        match why_unusable(record.outcome()) {
            None => Ok(record),
            Some(reason) => Err(SelectError::Unusable { file: path, reason }),
        }
    }
}

/// Why a scanned file gives no plugin, or `None` when it loaded.
pub fn why_unusable(outcome: &FileOutcome) -> Option<String> {
    match outcome {
        FileOutcome::Loaded { .. } => None,
        FileOutcome::Refused(error) => Some(error.to_string()),
        FileOutcome::Failed(failure) => Some(failure.to_string()),
        _ => Some("gave no plugin".to_owned()),
    }
}

fn single_file(scanner: &Scanner, path: &Path) -> Result<FileRecord, SelectError> {
    let catalog = scanner.scan_files([path])?;
    Ok(catalog
        .files()
        .first()
        .cloned()
        .expect("a scan of one file has its record"))
}

fn found_in<'r>(record: &'r FileRecord, query: &Query) -> Result<&'r PluginRecord, SelectError> {
    record.find(query).map_err(|source| SelectError::NotInFile {
        source,
        available: record
            .plugins()
            .iter()
            .map(|p| p.label().to_string())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_as_files_labels_and_ids() {
        let file = |file: &str, plugin| PluginSpec::File {
            file: file.into(),
            plugin,
        };
        assert_eq!(PluginSpec::parse("amp.so"), file("amp.so", None));
        assert_eq!(
            PluginSpec::parse("/usr/lib/ladspa/amp.so:amp_mono"),
            file(
                "/usr/lib/ladspa/amp.so",
                Some(Query::Label("amp_mono".into()))
            )
        );
        assert_eq!(
            PluginSpec::parse("amp:1048"),
            file("amp", Some(Query::UniqueId(1048)))
        );
        assert_eq!(
            PluginSpec::parse("amp_mono"),
            PluginSpec::Name("amp_mono".into())
        );
        assert_eq!(PluginSpec::parse("1048"), PluginSpec::Name("1048".into()));
        assert_eq!(PluginSpec::parse("./x"), file("./x", None));
    }
}
