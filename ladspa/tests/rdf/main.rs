//! The `rdf` feature: LRDF metadata read from fixtures written for these tests, presets applied
//! to the test plugins, mutated files read without a panic, and (opt-in) every RDF file that
//! Debian's plugin packages install, cross-checked against a second reading in Python.
#![cfg(feature = "rdf")]

mod debian;
mod fixture_files;
mod fixtures;
mod mutations;
mod presets;
