//! The `rdf` feature: LRDF metadata read from fixtures written for these tests, presets applied
//! to the test plugins, mutated files read without a panic, and (opt-in) every RDF file that
//! Debian's plugin packages install, cross-checked against a second reading in Python.
#![cfg(feature = "rdf")]

mod debian;
mod fixtures;
mod mutations;
mod presets;

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
