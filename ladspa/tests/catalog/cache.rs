//! The persistent cache: used for unchanged files, invalidated by a change, rebuilt when
//! damaged, never corrupted by scans at once.

use std::path::{Path, PathBuf};

use ladspa_host::catalog::{Catalog, Scanner};
use ladspa_host::discovery::SearchPath;

use crate::scratch::{copy_into, scratch_dir};

/// A directory with copies of the reference plugins, and a scanner whose cache is private.
fn setup(name: &str) -> (PathBuf, Scanner, PathBuf) {
    let dir = scratch_dir(name);
    let files: Vec<PathBuf> = ladspa_testplugins::REFERENCE_PLUGINS
        .iter()
        .map(|name| ladspa_testplugins::reference_plugin(name))
        .collect();
    copy_into(&dir, &files);
    let cache = scratch_dir(&format!("{name}-cache")).join("catalog.bin");
    (dir.clone(), Scanner::new().cache_file(&cache), cache)
}

fn scan(scanner: &Scanner, dir: &Path) -> Catalog {
    scanner
        .scan(&SearchPath::new([dir]))
        .expect("the scan runs")
}

#[test]
fn unchanged_files_come_from_the_cache_without_a_worker() {
    let (dir, scanner, cache) = setup("warm");
    let cold = scan(&scanner, &dir);
    let files = ladspa_testplugins::REFERENCE_PLUGINS.len();
    assert_eq!(
        (cold.report().scanned, cold.report().from_cache),
        (files, 0)
    );
    assert!(cold.report().workers_started >= 1);
    assert!(cache.is_file());

    let warm = scan(&scanner, &dir);
    assert_eq!(
        (warm.report().scanned, warm.report().from_cache),
        (0, files)
    );
    assert_eq!(warm.report().workers_started, 0);
    assert_eq!(warm.files(), cold.files());

    let forced = scan(&scanner.clone().rescan(true), &dir);
    assert_eq!(forced.report().scanned, files);
    assert_eq!(forced.files(), cold.files());
}

#[test]
fn a_changed_file_is_scanned_again_and_its_old_entry_refused() {
    let (dir, scanner, _) = setup("changed");
    let cold = scan(&scanner, &dir);
    let amp = cold.find_label("tp_amp_mono").unwrap().clone();

    // Replace tp_amp.so by another plugin file under the same name: new inode, size, time.
    let amp_path = dir.join("tp_amp.so");
    std::fs::remove_file(&amp_path).unwrap();
    std::fs::copy(ladspa_testplugins::reference_plugin("tp_delay"), &amp_path).unwrap();

    let warm = scan(&scanner, &dir);
    assert_eq!(warm.report().scanned, 1);
    assert!(warm.find_label("tp_amp_mono").is_none());
    let labels: Vec<String> = warm
        .file(&amp_path)
        .unwrap()
        .plugins()
        .iter()
        .map(|p| p.label().to_string())
        .collect();
    assert!(
        labels.iter().all(|l| l.starts_with("tp_delay")),
        "{labels:?}"
    );

    // The old entry knows its file changed, and refuses to load.
    // SAFETY: would load a trusted test plugin; refused before that.
    let error = unsafe { amp.load() }.unwrap_err();
    assert!(
        matches!(error, ladspa_host::catalog::CatalogError::Changed { .. }),
        "{error}"
    );

    // A file that is gone leaves the cache.
    std::fs::remove_file(&amp_path).unwrap();
    let after = scan(&scanner, &dir);
    assert!(after.file(&amp_path).is_none());
    assert_eq!(after.report().scanned, 0);
}

#[test]
fn a_damaged_cache_is_discarded_and_rebuilt() {
    let (dir, scanner, cache) = setup("damaged");
    let good = scan(&scanner, &dir);
    let intact = std::fs::read(&cache).unwrap();
    let mut other_version = intact.clone();
    other_version[16] = other_version[16].wrapping_add(1);
    let mut flipped = intact.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x5a;
    let damages: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("truncated", intact[..intact.len() - 7].to_vec()),
        ("garbage", b"not a catalog at all, just text\n".repeat(40)),
        ("other format version", other_version),
        ("one byte flipped", flipped),
    ];
    for (damage, bytes) in damages {
        std::fs::write(&cache, &bytes).unwrap();
        let catalog = scan(&scanner, &dir);
        assert_eq!(catalog.files(), good.files(), "{damage}");
        let report = catalog.report();
        assert!(report.cache_discarded.is_some(), "{damage}: {report:?}");
        assert_eq!(report.scanned, report.files, "{damage}: {report:?}");
        // Rebuilt: the next scan uses it.
        assert_eq!(scan(&scanner, &dir).report().workers_started, 0, "{damage}");
    }
}

#[test]
fn scans_at_once_leave_a_whole_cache() {
    let (dir, scanner, cache) = setup("concurrent");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (dir, scanner) = (dir.clone(), scanner.clone());
            std::thread::spawn(move || scan(&scanner.rescan(true), &dir))
        })
        .collect();
    let catalogs: Vec<Catalog> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    for catalog in &catalogs {
        assert_eq!(catalog.files(), catalogs[0].files());
        assert_eq!(catalog.report().cache_write_error, None);
    }
    let warm = scan(&scanner, &dir);
    assert_eq!(warm.report().cache_discarded, None);
    assert_eq!(warm.report().workers_started, 0);
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "catalog.bin")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_lookup_reads_only_the_records_it_needs() {
    let (dir, scanner, cache) = setup("lookup");
    let cold = scan(&scanner, &dir);
    let (first, last) = (cold.files()[0].path(), cold.files().last().unwrap().path());
    assert_ne!(first, last);
    // Damage the last record (the records follow the scan's order).
    let mut bytes = std::fs::read(&cache).unwrap();
    let end = bytes.len() - 1;
    bytes[end] ^= 0x5a;
    std::fs::write(&cache, &bytes).unwrap();

    // A lookup of the first file reads its record alone: found, trusted, nothing rewritten.
    let one = scanner.scan_files([first]).expect("the scan runs");
    assert_eq!(
        (one.report().from_cache, one.report().scanned),
        (1, 0),
        "{:?}",
        one.report()
    );
    assert_eq!(one.report().cache_discarded, None);
    assert_eq!(one.files()[0], cold.files()[0]);
    assert_eq!(std::fs::read(&cache).unwrap(), bytes);

    // A lookup of the damaged one finds the damage, and so does a scan of them all.
    let damaged = scanner.scan_files([last]).expect("the scan runs");
    assert!(damaged.report().cache_discarded.is_some());
    assert_eq!(damaged.report().scanned, 1);
    assert_eq!(damaged.files()[0], *cold.files().last().unwrap());
    std::fs::write(&cache, &bytes).unwrap();
    let all = scan(&scanner, &dir);
    assert!(all.report().cache_discarded.is_some(), "{:?}", all.report());
    assert_eq!(all.files(), cold.files());
    assert_eq!(scan(&scanner, &dir).report().workers_started, 0);
}
