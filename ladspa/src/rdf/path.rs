//! Finding RDF files: the `LADSPA_RDF_PATH` search path and the `*.rdf`/`*.rdfs` files in it.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::RdfError;
use crate::discovery::SearchPath;

/// Directories searched when `LADSPA_RDF_PATH` is unset or holds no directory, in order: where
/// liblrdf's users (Ardour, JACK Rack) look, and where Debian's plugin packages install.
pub const DEFAULT_RDF_DIRS: &[&str] = &["/usr/local/share/ladspa/rdf", "/usr/share/ladspa/rdf"];

/// An ordered list of directories that hold LRDF metadata files, without empty entries or
/// duplicates (the same rules as [`SearchPath`], whose parsing it shares).
///
/// ```
/// use ladspa_host::rdf::RdfPath;
///
/// let path = RdfPath::from_env_value(Some("/opt/rdf::/opt/rdf".as_ref()));
/// assert_eq!(path.dirs(), [std::path::Path::new("/opt/rdf")]);
/// assert_eq!(RdfPath::from_env_value(None), RdfPath::standard());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdfPath {
    dirs: SearchPath,
}

impl RdfPath {
    /// The path from `LADSPA_RDF_PATH`, or [`RdfPath::standard`] when it is unset or holds no
    /// directory.
    pub fn from_env() -> Self {
        Self::from_env_value(std::env::var_os("LADSPA_RDF_PATH").as_deref())
    }

    /// The path for a value of `LADSPA_RDF_PATH` (`None`: unset): a colon-separated list whose
    /// empty entries and repeats are skipped.
    pub fn from_env_value(value: Option<&OsStr>) -> Self {
        match value.map(SearchPath::parse) {
            Some(dirs) if !dirs.dirs().is_empty() => Self { dirs },
            _ => Self::standard(),
        }
    }

    /// [`DEFAULT_RDF_DIRS`].
    pub fn standard() -> Self {
        Self::new(DEFAULT_RDF_DIRS)
    }

    /// A path of these directories, empty ones and repeats skipped.
    pub fn new(dirs: impl IntoIterator<Item = impl Into<PathBuf>>) -> Self {
        Self {
            dirs: SearchPath::new(dirs),
        }
    }

    /// The directories, in search order.
    pub fn dirs(&self) -> &[PathBuf] {
        self.dirs.dirs()
    }

    /// Every `*.rdf` and `*.rdfs` file along the path: directory by directory, each
    /// directory's files sorted by name (so that reading is reproducible). Directories are not
    /// searched recursively; missing ones are skipped, and ones that exist but cannot be read
    /// are reported as [`RdfError::UnreadableDirectory`].
    pub fn files(&self) -> RdfListing {
        let mut listing = RdfListing::default();
        for dir in self.dirs() {
            let entries = match std::fs::read_dir(dir) {
                Ok(entries) => entries,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    listing.errors.push(unreadable_dir(dir, error));
                    continue;
                }
            };
            let mut found = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) if is_rdf_file_name(&entry.file_name()) => found.push(entry.path()),
                    Ok(_) => {}
                    Err(error) => listing.errors.push(unreadable_dir(dir, error)),
                }
            }
            found.sort();
            listing.files.extend(found);
        }
        listing
    }
}

impl fmt::Display for RdfPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.dirs.fmt(f)
    }
}

fn unreadable_dir(dir: &Path, error: std::io::Error) -> RdfError {
    RdfError::UnreadableDirectory {
        path: dir.to_owned(),
        source: Arc::new(error),
    }
}

/// Whether a file name ends in `.rdf` or `.rdfs` (and has a stem).
fn is_rdf_file_name(name: &OsStr) -> bool {
    let path = Path::new(name);
    let has_stem = path.file_stem().is_some_and(|stem| !stem.is_empty());
    has_stem
        && matches!(
            path.extension().and_then(OsStr::to_str),
            Some("rdf" | "rdfs")
        )
}

/// The RDF files along an [`RdfPath`] ([`RdfPath::files`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RdfListing {
    /// Every `*.rdf` and `*.rdfs` file, in reading order.
    pub files: Vec<PathBuf>,
    /// Directories (or entries) that exist but could not be read.
    pub errors: Vec<RdfError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rdf_and_rdfs_files_with_a_stem_are_taken() {
        for name in ["a.rdf", "ladspa.rdfs", "x.y.rdf"] {
            assert!(is_rdf_file_name(name.as_ref()), "{name}");
        }
        for name in [".rdf", "a.rdf~", "a.RDF", "a.rdfx", "rdf", "a.so"] {
            assert!(!is_rdf_file_name(name.as_ref()), "{name}");
        }
    }
}
