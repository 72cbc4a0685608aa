//! A user's program: it scans the plugin directories named on its command line through the
//! catalog and prints one line per plugin file. Its `main` has no set-up for the scan's worker
//! processes; the `ladspa` crate makes this very executable a worker when it starts one.
//!
//! ```text
//! ladspa-user-crate /usr/lib/ladspa
//! ```
//!
//! Each line is `<path>: <what the scan found>`, then the report's counts on standard error.

use std::process::ExitCode;

use ladspa_host::catalog::{Catalog, FileOutcome};
use ladspa_host::discovery::SearchPath;

fn main() -> ExitCode {
    let path = SearchPath::new(std::env::args_os().skip(1));
    let catalog = match Catalog::scan(&path) {
        Ok(catalog) => catalog,
        Err(error) => {
            eprintln!("cannot scan {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    for file in catalog.files() {
        let found = match file.outcome() {
            FileOutcome::Loaded { plugins, .. } => {
                let labels: Vec<String> = plugins.iter().map(|p| p.label().to_string()).collect();
                format!("plugins {}", labels.join(" "))
            }
            FileOutcome::Refused(error) => format!("refused: {error}"),
            FileOutcome::Failed(failure) => format!("failed: {failure}"),
            other => format!("{other:?}"),
        };
        println!("{}: {found}", file.path().display());
    }
    let report = catalog.report();
    eprintln!(
        "files {} scanned {} from-cache {} workers {}",
        report.files, report.scanned, report.from_cache, report.workers_started
    );
    ExitCode::SUCCESS
}
