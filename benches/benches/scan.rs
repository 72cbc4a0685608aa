//! Scanning a directory of plugin files: `SearchPath::scan_in_process`, against listing the directory and
//! doing `dlopen`/`dlsym`/`ladspa_descriptor`/`dlclose` for each `*.so` file (what the SDK's
//! `listplugins` does; `scan-vs-listplugins.sh` times that C program itself).
//!
//! One group `scan/<dir>` per directory of [`scan_dirs`]: the test plugins, and Debian's
//! `/usr/lib/ladspa` when present. Both sides load with `RTLD_NOW | RTLD_LOCAL` and pass over
//! files the loader refuses (Debian's `filter.so` uses `sqrtf` without linking `libm`, so it
//! loads only into a process that already has `libm`); the counts are printed first.

use criterion::Criterion;
use ladspa_benches::{raw_scan, raw_scan_kept, scan_dirs};
use ladspa_host::discovery::SearchPath;

fn scan(c: &mut Criterion) {
    for (name, dir) in scan_dirs() {
        let search_path = SearchPath::new([&dir]);
        // SAFETY: the test plugins and the SDK's plugins are trusted plugin files.
        let (raw_count, raw_refused) = unsafe { raw_scan(&dir) };
        // SAFETY: as above.
        let scan = unsafe { search_path.scan_in_process() };
        let safe_count: usize = scan.plugins().map(|p| p.descriptors().len()).sum();
        let safe_refused = scan.failures().count();
        drop(scan);
        eprintln!(
            "{}: raw finds {raw_count} plugin types ({raw_refused} files refused), \
             safe finds {safe_count} ({safe_refused} refused)",
            dir.display()
        );
        let mut group = c.benchmark_group(format!("scan/{name}"));
        // SAFETY: the test plugins and the SDK's plugins are trusted plugin files.
        group.bench_function("raw", |b| b.iter(|| unsafe { raw_scan(&dir) }));
        // SAFETY: as above.
        group.bench_function("raw-kept", |b| b.iter(|| unsafe { raw_scan_kept(&dir) }));
        group.bench_function("safe", |b| {
            b.iter(|| {
                // SAFETY: as above.
                let scan = unsafe { search_path.scan_in_process() };
                scan.plugins().map(|p| p.descriptors().len()).sum::<usize>()
            })
        });
        group.finish();
    }
}

fn main() {
    ladspa_benches::main(scan);
}
