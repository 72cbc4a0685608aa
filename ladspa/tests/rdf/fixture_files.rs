//! Where the fixture files are, and a database read from some of them.

use std::path::{Path, PathBuf};

use ladspa_host::rdf::Database;

/// The directory of the fixture files.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rdf/fixtures")
}

/// A fixture file's path.
pub fn fixture(name: &str) -> PathBuf {
    fixture_dir().join(name)
}

/// A database of the named fixture files only, which must all read without error.
pub fn fixtures(names: &[&str]) -> Database {
    let database = Database::from_files(names.iter().map(|name| fixture(name)));
    assert!(database.errors().is_empty(), "{:#?}", database.errors());
    database
}
