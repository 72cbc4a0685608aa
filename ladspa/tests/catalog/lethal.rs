//! A scan directory holding every kind of file that ends or freezes the process that loads it,
//! next to a good plugin.

use std::ffi::CString;
use std::path::Path;
use std::time::{Duration, Instant};

use ladspa_host::catalog::{FileOutcome, ScanStep, Scanner, WorkerFailure};
use ladspa_host::discovery::SearchPath;
use ladspa_host::{LoadError, Plugin};

use crate::scratch::{copy_into, scratch_dir};

const TIMEOUT: Duration = Duration::from_secs(2);

/// The directory: `tp_amp.so` (good), the lethal fixtures, a truncated copy of `tp_amp.so`,
/// and a FIFO, all named `*.so`.
fn lethal_scan_dir() -> std::path::PathBuf {
    let dir = scratch_dir("lethal");
    copy_into(&dir, &[ladspa_testplugins::reference_plugin("tp_amp")]);
    let lethal: Vec<_> = ladspa_testplugins::LETHAL_PLUGINS
        .iter()
        .map(|name| ladspa_testplugins::lethal_dir().join(format!("{name}.so")))
        .collect();
    copy_into(&dir, &lethal);
    let elf = std::fs::read(ladspa_testplugins::reference_plugin("tp_amp")).unwrap();
    // Cut in the middle of what the loader maps: the program headers promise code and data
    // past the end of the file.
    let cut = loaded_size(&elf) / 2;
    std::fs::write(dir.join("truncated.so"), &elf[..cut]).unwrap();
    let fifo = CString::new(dir.join("fifo.so").into_os_string().into_encoded_bytes()).unwrap();
    // SAFETY: a NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo");
    dir
}

/// Where the last loadable segment of a 64-bit little-endian ELF file ends in the file.
fn loaded_size(elf: &[u8]) -> usize {
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    assert_eq!(&elf[..5], b"\x7fELF\x02", "a 64-bit ELF file");
    let (table, entry_size, entries) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..entries)
        .map(|i| table + i * entry_size)
        .filter(|&header| elf[header..header + 4] == 1u32.to_le_bytes()) // PT_LOAD
        .map(|header| u64_at(header + 8) + u64_at(header + 0x20))
        .max()
        .expect("a loadable segment")
}

fn outcome<'a>(
    catalog: &'a ladspa_host::catalog::Catalog,
    dir: &Path,
    name: &str,
) -> &'a FileOutcome {
    catalog
        .file(dir.join(name))
        .unwrap_or_else(|| panic!("{name} is listed"))
        .outcome()
}

fn failed(outcome: &FileOutcome) -> (ScanStep, &WorkerFailure) {
    match outcome {
        FileOutcome::Failed(failure) => (failure.step, &failure.failure),
        other => panic!("expected a failed scan, got {other:?}"),
    }
}

fn signal(failure: &WorkerFailure) -> &str {
    match failure {
        WorkerFailure::Signal { name, .. } => name,
        other => panic!("expected a signal, got {other:?}"),
    }
}

#[test]
fn every_lethal_file_costs_only_its_own_entry_and_the_scan_ends_in_time() {
    let dir = lethal_scan_dir();
    let cache = scratch_dir("lethal-cache").join("catalog.bin");
    let scanner = Scanner::new().timeout(TIMEOUT).cache_file(&cache);
    let started = Instant::now();
    let catalog = scanner
        .scan(&SearchPath::new([&dir]))
        .expect("the scan runs");
    let took = started.elapsed();

    for file in catalog.files() {
        eprintln!("{}: {:?}", file.path().display(), file.outcome());
    }
    assert_eq!(catalog.files().len(), 8);
    let labels: Vec<String> = catalog.plugins().map(|p| p.label().to_string()).collect();
    assert_eq!(labels, ["tp_amp_mono", "tp_amp_stereo"]);

    let (step, how) = failed(outcome(&catalog, &dir, "tp_ctor_abort.so"));
    assert_eq!((step, signal(how)), (ScanStep::Loading, "SIGABRT"));
    let (step, how) = failed(outcome(&catalog, &dir, "tp_ctor_segv.so"));
    assert_eq!((step, signal(how)), (ScanStep::Loading, "SIGSEGV"));
    let (step, how) = failed(outcome(&catalog, &dir, "tp_ctor_exit.so"));
    assert_eq!(
        (step, how),
        (ScanStep::Loading, &WorkerFailure::Exited { code: 0 })
    );
    let (step, how) = failed(outcome(&catalog, &dir, "tp_descriptor_segv.so"));
    assert_eq!((step, signal(how)), (ScanStep::Descriptor(0), "SIGSEGV"));
    let (step, how) = failed(outcome(&catalog, &dir, "tp_descriptor_sleep.so"));
    assert_eq!(
        (step, how),
        (
            ScanStep::Descriptor(0),
            &WorkerFailure::TimedOut { after: TIMEOUT }
        )
    );
    match outcome(&catalog, &dir, "truncated.so") {
        FileOutcome::Failed(failure) => {
            assert_eq!(
                (failure.step, signal(&failure.failure)),
                (ScanStep::Loading, "SIGBUS")
            )
        }
        FileOutcome::Refused(LoadError::Open { message, .. }) => {
            assert!(!message.is_empty())
        }
        other => panic!("truncated.so: {other:?}"),
    }
    assert!(matches!(
        outcome(&catalog, &dir, "fifo.so"),
        FileOutcome::Refused(LoadError::NotRegularFile { kind, .. }) if kind == "a FIFO"
    ));

    // What a host prints for each file, with `Display`.
    let line = |name| outcome(&catalog, &dir, name).to_string();
    assert_eq!(
        line("tp_ctor_segv.so"),
        "stopped its scan worker: killed by SIGSEGV (signal 11) in loading the file (dlopen, its constructors)"
    );
    assert_eq!(
        line("tp_descriptor_sleep.so"),
        format!(
            "stopped its scan worker: gave no answer within {} s in ladspa_descriptor(0)",
            TIMEOUT.as_secs_f64()
        )
    );
    let fifo = line("fifo.so");
    assert!(
        fifo.starts_with("refused: ") && fifo.contains("FIFO"),
        "{fifo}"
    );
    let amp = catalog
        .files()
        .iter()
        .find(|file| !file.plugins().is_empty())
        .unwrap();
    assert_eq!(amp.outcome().to_string(), "loaded: 2 plugin types");

    // Workers run in parallel, so the one hang costs one timeout; the rest is start-up.
    assert!(
        took < TIMEOUT + Duration::from_secs(3),
        "the scan took {took:?} with a timeout of {TIMEOUT:?}"
    );
    assert!(
        catalog.report().workers_started >= 5,
        "{:?}",
        catalog.report()
    );

    // The verdicts are remembered: a second scan starts no worker and does not wait again.
    let started = Instant::now();
    let again = scanner.scan(&SearchPath::new([&dir])).unwrap();
    assert!(started.elapsed() < TIMEOUT, "{:?}", started.elapsed());
    assert_eq!(again.report().workers_started, 0);
    assert_eq!(again.files(), catalog.files());
}

#[test]
fn the_good_plugin_of_a_lethal_directory_loads_from_its_entry() {
    let dir = lethal_scan_dir();
    let catalog = Scanner::new()
        .timeout(TIMEOUT)
        .without_cache()
        .scan(&SearchPath::new([&dir]))
        .unwrap();
    let amp = catalog.find_unique_id(7001).expect("tp_amp_mono is listed");
    // SAFETY: tp_amp.so is a trusted test plugin (the lethal files are not loaded here).
    let descriptor = unsafe { amp.load() }.expect("the entry loads");
    assert_eq!(descriptor.path(), dir.join("tp_amp.so"));
    assert_eq!(descriptor.label(), "tp_amp_mono");
    // SAFETY: as above.
    let plugin = unsafe { catalog.file(dir.join("tp_amp.so")).unwrap().load() }.unwrap();
    assert_eq!(plugin.descriptors().len(), 2);
    let _: &Plugin = &plugin;
}

/// The verdicts do not depend on which worker gets which file, or on when a worker that has no
/// more files leaves: scanned again and again (the files a dead worker had queued go to
/// another worker, never to one that is leaving), every file keeps its verdict.
#[test]
fn verdicts_are_the_same_however_the_files_fall_to_workers() {
    let dir = scratch_dir("lethal-repeat");
    copy_into(&dir, &[ladspa_testplugins::reference_plugin("tp_amp")]);
    let quick: Vec<_> = [
        "tp_ctor_abort",
        "tp_ctor_segv",
        "tp_ctor_exit",
        "tp_descriptor_segv",
    ]
    .iter()
    .map(|name| ladspa_testplugins::lethal_dir().join(format!("{name}.so")))
    .collect();
    copy_into(&dir, &quick);
    let scanner = Scanner::new().timeout(TIMEOUT).without_cache();
    let first = scanner.scan(&SearchPath::new([&dir])).unwrap();
    assert_eq!(first.plugins().count(), 2);
    for round in 0..25 {
        let again = scanner.scan(&SearchPath::new([&dir])).unwrap();
        assert_eq!(again.files(), first.files(), "round {round}");
    }
}
