//! Workers started as a program with arguments (`Scanner::worker_command`): the way an
//! interpreter that loads this crate as a library (the Python package) scans.

use std::path::PathBuf;

use ladspa_host::catalog::{CatalogError, Scanner};
use ladspa_host::discovery::SearchPath;

use crate::scratch::scratch_dir;

#[test]
fn a_worker_command_runs_its_program_with_its_arguments() {
    let dir = ladspa_testplugins::reference_dir();
    let cache = scratch_dir("worker-command-cache").join("catalog.bin");
    // `sh -c 'exec "$0"' TEST_BINARY`: the shell is started, and only its argument makes it
    // the worker (this test binary, which serves before `main`).
    let this = std::env::current_exe().unwrap();
    let scanner = Scanner::new()
        .cache_file(&cache)
        .worker_command("/bin/sh", [PathBuf::from("-c"), "exec \"$0\"".into(), this]);
    let catalog = scanner
        .scan(&SearchPath::new([dir]))
        .expect("the scan runs");
    assert!(catalog.report().workers_started >= 1);
    assert_eq!(catalog.find_label("tp_amp_mono").unwrap().unique_id(), 7001);
    assert_eq!(catalog.failures().count(), 0);
}

#[test]
fn a_worker_command_that_does_not_serve_is_not_a_worker() {
    let scanner = Scanner::new()
        .without_cache()
        .worker_command("/bin/sh", ["-c", "exit 0"]);
    let error = scanner
        .scan(&SearchPath::new([ladspa_testplugins::reference_dir()]))
        .expect_err("sh does not serve");
    assert!(
        matches!(&error, CatalogError::NotAWorker { program, .. } if program.ends_with("sh")),
        "{error}"
    );
}
