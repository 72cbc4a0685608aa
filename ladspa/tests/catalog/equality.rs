//! For files that behave, the isolated scan gives what an in-process scan gives, field by
//! field: every plugin type's metadata, refused descriptors with their defects, and the errors
//! of files the host or the loader refuses.

use std::path::PathBuf;

use ladspa_host::catalog::{FileRecord, Scanner};
use ladspa_host::discovery::SearchPath;

/// What an in-process load of each file gives, as catalog records.
fn in_process(files: &[PathBuf]) -> Vec<FileRecord> {
    files
        .iter()
        .map(|path| {
            // SAFETY: the workspace's reference, broken and hostile test plugins are trusted
            // not to crash while they load (the lethal ones are not among them).
            let result = unsafe { ladspa_host::Plugin::load(path) };
            FileRecord::of_load(path, &result)
        })
        .collect()
}

/// Asserts that the records are equal, naming the first file and field that differ.
fn assert_same(scanned: &[FileRecord], loaded: &[FileRecord]) {
    assert_eq!(scanned.len(), loaded.len());
    for (scanned, loaded) in scanned.iter().zip(loaded) {
        if scanned != loaded {
            let (a, b) = (format!("{scanned:#?}"), format!("{loaded:#?}"));
            let first = a
                .lines()
                .zip(b.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let context = |text: &str| {
                text.lines()
                    .skip(first.saturating_sub(8))
                    .take(10)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{}: the isolated scan gives\n{}\nan in-process load gives\n{}",
                loaded.path().display(),
                context(&a),
                context(&b)
            );
        }
    }
}

#[test]
fn the_isolated_scan_equals_an_in_process_load_file_by_file() {
    let path = SearchPath::new([
        ladspa_testplugins::reference_dir(),
        ladspa_testplugins::broken_dir(),
        ladspa_testplugins::hostile_dir(),
    ]);
    let catalog = Scanner::new().without_cache().scan(&path).unwrap();
    let files: Vec<PathBuf> = path.plugin_files().files;
    assert_eq!(catalog.files().len(), files.len());
    assert_same(catalog.files(), &in_process(&files));
    // Every kind of outcome took part.
    assert!(catalog.files().iter().any(|f| !f.rejected().is_empty()));
    assert!(catalog.failures().count() >= 3);
    assert!(
        catalog.plugins().count() >= 19,
        "{} plugin types",
        catalog.plugins().count()
    );
}

/// The same over every plugin file Debian's 25 packages install, but those that crash the
/// process that loads them (`known-plugin-defects.txt`: none crashes while loading).
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn the_isolated_scan_equals_an_in_process_load_on_every_debian_plugin_file() {
    let dir = std::path::Path::new("/usr/lib/ladspa");
    let path = SearchPath::new([dir]);
    let catalog = Scanner::new().without_cache().scan(&path).unwrap();
    let files = path.plugin_files().files;
    assert!(
        files.len() >= 206,
        "{} files in {}",
        files.len(),
        dir.display()
    );
    let expected = in_process(&files);
    assert_same(catalog.files(), &expected);
    assert_eq!(catalog.plugins().count(), 494);
}
