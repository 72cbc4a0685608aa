//! Lifecycle calls are serialised process-wide; a file can be kept mapped for a plugin's thread.

use crate::harness::*;

type Intervals = unsafe extern "C" fn(*mut [u64; 2], usize) -> usize;

/// The lifecycle calls `tp_overlap` recorded in one file, `[enter, exit]` each.
fn recorded_intervals(file: &PrivateCopy) -> Vec<[u64; 2]> {
    // SAFETY: the file is loaded already (this only adds a reference to its image) and is
    // trusted test code.
    let library = unsafe { libloading::Library::new(&file.path) }.unwrap();
    // SAFETY: the symbol has this signature (see `OVERLAP_INTERVALS_SYMBOL`).
    let intervals = *unsafe { library.get::<Intervals>(OVERLAP_INTERVALS_SYMBOL.as_bytes()) }
        .expect("tp_overlap exports its intervals");
    let mut out = vec![[0_u64; 2]; ladspa_testplugins::OVERLAP_MAX_INTERVALS];
    // SAFETY: `out` holds `OVERLAP_MAX_INTERVALS` intervals; no lifecycle call is running.
    let count = unsafe { intervals(out.as_mut_ptr(), out.len()) };
    out.truncate(count);
    out
}

#[test]
fn lifecycle_calls_never_overlap_across_threads_and_files() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 6;
    // Two images of one plugin: serialising per file would not be enough.
    let files = [
        PrivateCopy::of(&hostile("tp_overlap")),
        PrivateCopy::of(&hostile("tp_overlap")),
    ];
    let descriptors = [
        files[0].descriptor("tp_overlap"),
        files[1].descriptor("tp_overlap"),
    ];
    let start = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let (start, descriptors) = (&start, &descriptors);
            scope.spawn(move || {
                start.wait();
                let input = common::signal(64, thread as u32 + 1);
                let mut output = vec![0.0; 64];
                for round in 0..ROUNDS {
                    let descriptor = &descriptors[(thread + round) % 2];
                    let mut handle = descriptor.instantiate(44100).unwrap().activate();
                    handle.run(64, &[&input], &mut [&mut output]).unwrap();
                    drop(handle.deactivate());
                }
            });
        }
    });

    let mut all = Vec::new();
    for file in &files {
        let intervals = recorded_intervals(file);
        // instantiate, activate, deactivate, cleanup: 4 calls a round, half the rounds here.
        assert_eq!(intervals.len(), THREADS * ROUNDS / 2 * 4);
        assert_eq!(file.counters().overlapping_calls, 0);
        all.extend(intervals);
    }
    all.sort();
    // In the order they began, each call must begin after every earlier one ended.
    let mut latest_end = 0;
    let mut overlaps = Vec::new();
    for &[enter, exit] in &all {
        if enter < latest_end {
            overlaps.push([enter, exit]);
        }
        latest_end = latest_end.max(exit);
    }
    assert!(
        overlaps.is_empty(),
        "{} of {} lifecycle calls began while another was running: {overlaps:?}",
        overlaps.len(),
        all.len()
    );
}

#[test]
fn keep_loaded_keeps_a_file_with_a_running_thread_mapped() {
    let path = hostile("tp_thread");
    let child = in_child(
        "lifecycle::keep_loaded_keeps_a_file_with_a_running_thread_mapped",
        CHILD_TIMEOUT,
        || {
            // SAFETY: the test plugins are trusted code.
            let plugin = unsafe { LoadOptions::new().keep_loaded(true).load(&path) }.unwrap();
            let mut handle = plugin.descriptors()[0]
                .instantiate(44100)
                .unwrap()
                .activate();
            let mut output = [0.0_f32; 16];
            handle.run(16, &[&[1.0; 16]], &mut [&mut output]).unwrap();
            drop(handle);
            drop(plugin);
            // The thread wakes every millisecond: by now it has run in the file many times.
            std::thread::sleep(Duration::from_millis(100));
            assert!(common::is_mapped(&path), "the file was unmapped");
        },
    );
    assert_exited_cleanly(&child);
}

#[test]
fn without_keep_loaded_the_fixtures_thread_crashes_after_unloading() {
    // The counterpart of the test above: proof that the fixture crashes a process that unloads
    // it, so that the clean exit above is the option's doing.
    let path = hostile("tp_thread");
    let child = in_child(
        "lifecycle::without_keep_loaded_the_fixtures_thread_crashes_after_unloading",
        CHILD_TIMEOUT,
        || {
            let plugin = load(&path);
            drop(plugin.descriptors()[0].instantiate(44100).unwrap());
            drop(plugin);
            assert!(!common::is_mapped(&path), "unloading is the default");
            std::thread::sleep(Duration::from_millis(100));
        },
    );
    assert!(
        matches!(child.outcome, Outcome::Signalled(_)),
        "expected death by a signal (SIGSEGV): {child}"
    );
}
