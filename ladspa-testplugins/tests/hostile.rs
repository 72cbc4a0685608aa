//! The hostile fixtures do what their documentation says, driven through raw FFI with the
//! memory they expect, so that a host's test that finds no damage proves the host, not a
//! fixture that does nothing.

use std::ffi::{CStr, c_ulong};
use std::path::Path;

use ladspa_testplugins::kit::*;
use ladspa_testplugins::{
    HOSTILE_PLUGINS, OUTSIDE_RUN_MARKER, OUTSIDE_RUN_SAMPLES, OVERLAP_INTERVALS_SYMBOL,
};
use libloading::Library;

fn open(path: &Path) -> Library {
    // SAFETY: the test plugins are this package's own code; the ones that misbehave on load
    // (`tp_fpenv`) are only opened by the tests that undo what they do.
    unsafe { Library::new(path) }.unwrap_or_else(|error| panic!("load {}: {error}", path.display()))
}

fn hostile(name: &str) -> Library {
    open(&ladspa_testplugins::hostile_plugin(name))
}

type DescriptorFunction = unsafe extern "C" fn(c_ulong) -> *const LADSPA_Descriptor;

fn entry(library: &Library) -> DescriptorFunction {
    // SAFETY: `ladspa_descriptor` has this signature in every LADSPA plugin file.
    let symbol = unsafe { library.get::<DescriptorFunction>(b"ladspa_descriptor") };
    *symbol.expect("the file exports ladspa_descriptor")
}

/// The first descriptor of a file that has one.
fn first(library: &Library) -> &LADSPA_Descriptor {
    // SAFETY: index 0 may be asked; the answer lives as long as the library.
    unsafe { entry(library)(0).as_ref() }.expect("the file has a descriptor")
}

fn label(descriptor: &LADSPA_Descriptor) -> String {
    // SAFETY: the fixtures' labels are NUL-terminated literals of the loaded image.
    unsafe { CStr::from_ptr(descriptor.Label) }
        .to_string_lossy()
        .into_owned()
}

/// One instance, driven through raw FFI; cleaned up on drop.
struct Raw<'a> {
    descriptor: &'a LADSPA_Descriptor,
    handle: LADSPA_Handle,
}

impl<'a> Raw<'a> {
    fn new(descriptor: &'a LADSPA_Descriptor) -> Self {
        // SAFETY: a valid descriptor and a non-zero sample rate.
        let handle = unsafe { descriptor.instantiate.unwrap()(descriptor, 44100) };
        assert!(!handle.is_null());
        Self { descriptor, handle }
    }

    /// # Safety
    ///
    /// `data` must stay valid for whatever the fixture does with the port until it is connected
    /// elsewhere or the instance is dropped.
    unsafe fn connect(&mut self, port: c_ulong, data: *mut f32) {
        // SAFETY: a live instance; the caller keeps `data` valid.
        unsafe { self.descriptor.connect_port.unwrap()(self.handle, port, data) }
    }

    /// # Safety
    ///
    /// Every port is connected to memory the fixture may use in `activate`.
    unsafe fn activate(&mut self) {
        // SAFETY: a live instance; the caller's contract for the ports.
        unsafe { self.descriptor.activate.unwrap()(self.handle) }
    }

    /// # Safety
    ///
    /// Every port is connected to memory the fixture may use in `deactivate`.
    unsafe fn deactivate(&mut self) {
        // SAFETY: a live instance; the caller's contract for the ports.
        unsafe { self.descriptor.deactivate.unwrap()(self.handle) }
    }

    /// # Safety
    ///
    /// Every port is connected to a buffer valid for `samples` (and for what the fixture does
    /// beyond that).
    unsafe fn run(&mut self, samples: c_ulong) {
        // SAFETY: forwarded from the caller.
        unsafe { self.descriptor.run.unwrap()(self.handle, samples) }
    }
}

impl Drop for Raw<'_> {
    fn drop(&mut self) {
        // SAFETY: a live instance, never used again; the tests keep the connected memory alive
        // until after the drop.
        unsafe { self.descriptor.cleanup.unwrap()(self.handle) }
    }
}

#[test]
fn the_hostile_files_are_where_the_locator_says_and_alone() {
    for name in HOSTILE_PLUGINS {
        let path = ladspa_testplugins::hostile_plugin(name);
        assert_eq!(
            path,
            ladspa_testplugins::hostile_dir().join(format!("{name}.so"))
        );
        assert!(path.is_file());
    }
    let mut files: Vec<String> = std::fs::read_dir(ladspa_testplugins::hostile_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    files.sort();
    let mut expected: Vec<String> = HOSTILE_PLUGINS
        .iter()
        .map(|name| format!("{name}.so"))
        .collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn the_hostile_plugins_have_their_labels_and_ids() {
    // `tp_fpenv` changes the caller's floating-point environment when asked for a descriptor:
    // it has a test of its own. `tp_static_descriptor` holds three types, see its test.
    for (file, label_, id, ports) in [
        ("tp_nan_hints", "tp_nan_hints", 7400, 18),
        ("tp_zero_run", "tp_zero_run", 7401, 3),
        ("tp_outside_run", "tp_outside_run", 7402, 3),
        ("tp_overlap", "tp_overlap", 7420, 3),
        ("tp_thread", "tp_thread", 7430, 3),
    ] {
        let library = hostile(file);
        let descriptor = first(&library);
        assert_eq!(
            (
                label(descriptor).as_str(),
                descriptor.UniqueID,
                descriptor.PortCount
            ),
            (label_, id, ports),
            "{file}"
        );
        // SAFETY: any index may be asked.
        assert!(unsafe { entry(&library)(1) }.is_null(), "{file}");
        ladspa_testplugins::counters(&library).expect("every hostile file exports its counters");
    }
}

#[test]
fn tp_nan_hints_counts_the_non_finite_controls_it_is_given() {
    let library = hostile("tp_nan_hints");
    let counters = ladspa_testplugins::counters(&library).unwrap();
    let descriptor = first(&library);
    let count = descriptor.PortCount as usize;
    // SAFETY: a valid descriptor has `PortCount` port descriptors and hints.
    let (kinds, hints) = unsafe {
        (
            std::slice::from_raw_parts(descriptor.PortDescriptors, count),
            std::slice::from_raw_parts(descriptor.PortRangeHints, count),
        )
    };
    let controls: Vec<usize> = (0..count)
        .filter(|&port| LADSPA_IS_PORT_CONTROL(kinds[port]) && LADSPA_IS_PORT_INPUT(kinds[port]))
        .collect();
    assert_eq!(controls.len(), 16);
    // The hints really are absurd: NaN bounds, infinite bounds, an inverted range.
    assert!(hints[3].LowerBound.is_nan() && hints[3].UpperBound.is_nan());
    assert_eq!(
        (hints[9].LowerBound, hints[9].UpperBound),
        (f32::NEG_INFINITY, f32::INFINITY)
    );
    assert!(hints[13].LowerBound > hints[13].UpperBound);

    let mut values = vec![1.0_f32; count];
    let mut audio = [0.5_f32; 4];
    let mut output = [0.0_f32; 4];
    let mut instance = Raw::new(descriptor);
    // SAFETY: every port is connected to memory that outlives the instance: one value per
    // control, four samples per audio port.
    unsafe {
        for &port in &controls {
            instance.connect(port as c_ulong, &mut values[port]);
        }
        instance.connect(1, audio.as_mut_ptr());
        instance.connect(2, output.as_mut_ptr());
    }
    let before = counters.snapshot().non_finite_controls;
    // SAFETY: all connected; four samples.
    unsafe {
        instance.activate();
        instance.run(4);
    }
    assert_eq!(counters.snapshot().non_finite_controls, before);
    assert_eq!(output, [0.5; 4]);

    values[4] = f32::NAN;
    values[9] = f32::INFINITY;
    values[10] = f32::NEG_INFINITY;
    // SAFETY: as above.
    unsafe {
        instance.deactivate();
        instance.activate(); // sees 3
        instance.run(4); // sees 3
    }
    assert_eq!(counters.snapshot().non_finite_controls, before + 6);
    drop(instance);
}

#[test]
fn tp_zero_run_touches_the_first_samples_in_a_run_of_zero() {
    let library = hostile("tp_zero_run");
    let mut instance = Raw::new(first(&library));
    let mut gain = 2.0_f32;
    let mut input = [1.5_f32];
    let mut output = [0.0_f32];
    // SAFETY: one value and one sample each, alive until after the instance is dropped.
    unsafe {
        instance.connect(0, &mut gain);
        instance.connect(1, input.as_mut_ptr());
        instance.connect(2, output.as_mut_ptr());
        instance.activate();
        instance.run(0);
    }
    assert_eq!(output, [3.0], "a run of 0 samples wrote sample 0");
    drop(instance);
}

#[test]
fn tp_outside_run_writes_its_outputs_in_activate_deactivate_and_cleanup() {
    let library = hostile("tp_outside_run");
    let mut gain = 0.5_f32;
    let mut input = vec![2.0_f32; OUTSIDE_RUN_SAMPLES];
    let mut output = vec![0.0_f32; OUTSIDE_RUN_SAMPLES];
    let mut instance = Raw::new(first(&library));
    // SAFETY: a block of `OUTSIDE_RUN_SAMPLES` per audio port, as the fixture expects outside
    // runs, alive until after the instance is dropped.
    unsafe {
        instance.connect(0, output.as_mut_ptr());
        instance.connect(1, &mut gain);
        instance.connect(2, input.as_mut_ptr());
        instance.activate();
    }
    assert!(output.iter().all(|&sample| sample == OUTSIDE_RUN_MARKER));
    // SAFETY: as above; 16 samples.
    unsafe { instance.run(16) };
    assert_eq!(output[..16], [1.0; 16]);
    assert_eq!(output[16], OUTSIDE_RUN_MARKER);
    output.fill(0.0);
    // SAFETY: as above.
    unsafe { instance.deactivate() };
    assert!(output.iter().all(|&sample| sample == OUTSIDE_RUN_MARKER));
    output.fill(0.0);
    drop(instance);
    assert!(output.iter().all(|&sample| sample == OUTSIDE_RUN_MARKER));
    assert_eq!((input[0], gain), (2.0, 0.5));
}

#[test]
fn tp_static_descriptor_refills_one_struct_for_every_index() {
    let library = hostile("tp_static_descriptor");
    let function = entry(&library);
    let mut pointers = Vec::new();
    let mut seen = Vec::new();
    for index in 0..3 {
        // SAFETY: any index may be asked; the answer lives as long as the library.
        let descriptor = unsafe { function(index) };
        // SAFETY: not NULL for 0 to 2 (checked by `expect`); read before the next call.
        let descriptor = unsafe { descriptor.as_ref() }.expect("a descriptor");
        seen.push((label(descriptor), descriptor.UniqueID));
        pointers.push(descriptor as *const LADSPA_Descriptor);
    }
    assert_eq!(
        seen,
        [
            ("tp_static_a".to_string(), 7410),
            ("tp_static_b".to_string(), 7411),
            ("tp_static_c".to_string(), 7412)
        ]
    );
    assert!(pointers.iter().all(|&pointer| pointer == pointers[0]));
    // SAFETY: any index may be asked.
    assert!(unsafe { function(3) }.is_null());
    // What a host that asks for every index first sees: the last one, three times.
    // SAFETY: as above.
    assert_eq!(label(unsafe { &*pointers[0] }), "tp_static_c");
}

#[test]
fn tp_overlap_records_each_lifecycle_call_and_counts_overlaps() {
    let library = hostile("tp_overlap");
    let counters = ladspa_testplugins::counters(&library).unwrap();
    type Intervals = unsafe extern "C" fn(*mut [u64; 2], usize) -> usize;
    // SAFETY: the symbol has this signature (see `OVERLAP_INTERVALS_SYMBOL`).
    let intervals = *unsafe { library.get::<Intervals>(OVERLAP_INTERVALS_SYMBOL.as_bytes()) }
        .expect("tp_overlap exports its intervals");
    let read = || {
        let mut out = vec![[0_u64; 2]; 64];
        // SAFETY: `out` holds 64 intervals; no lifecycle call is running.
        let count = unsafe { intervals(out.as_mut_ptr(), out.len()) };
        out.truncate(count);
        out
    };

    // Two instances whose lifecycles overlap on purpose, from two threads at once.
    let handles = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                handles.wait();
                drop(Raw::new(first(&library)));
            });
        }
    });
    let recorded = read();
    assert_eq!(recorded.len(), 4, "two instantiates and two cleanups");
    for [enter, exit] in &recorded {
        assert!(exit - enter >= 1_000_000, "each call lasts at least 1 ms");
    }
    // Two threads released together into calls of at least 1 ms: at least one overlap, seen
    // by both the counter and the intervals.
    assert!(counters.snapshot().overlapping_calls >= 1);
    let overlapping = recorded
        .iter()
        .enumerate()
        .any(|(i, a)| recorded[i + 1..].iter().any(|b| a[0] < b[1] && b[0] < a[1]));
    assert!(overlapping, "{recorded:?}");
}

#[test]
fn tp_thread_starts_a_thread_that_keeps_ticking() {
    let library = hostile("tp_thread");
    // SAFETY: the function takes nothing and returns a count.
    let ticks = *unsafe { library.get::<extern "C" fn() -> u64>(b"tp_thread_ticks") }
        .expect("tp_thread exports its ticks");
    assert_eq!(ticks(), 0, "no thread before the first instantiate");
    drop(Raw::new(first(&library)));
    std::thread::sleep(std::time::Duration::from_millis(50));
    let later = ticks();
    assert!(later > 0, "the thread ticks");
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(ticks() > later, "and goes on after the instance is gone");
    // The thread runs this file's code forever: unloading the file would crash this test
    // process, which is the fixture's point (the host's tests show it in a child process).
    std::mem::forget(library);
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use ladspa_testplugins::fp_register as fp;

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn tp_fpenv_leaves_the_fp_environment_changed_after_every_entry_point() {
    let library = hostile("tp_fpenv");
    let function = entry(&library);
    let clean = fp::read();
    let mut seen = Vec::new();
    // Each call's effect is read, then undone at once, so that this test's own floating-point
    // code never runs with traps enabled.
    let mut observe = |what: &str, call: &mut dyn FnMut()| {
        // SAFETY: the value read before the test; the environment `call` leaves is read and
        // replaced at once, before any floating-point code of the test runs.
        unsafe { fp::write(clean) };
        call();
        let after = fp::read();
        // SAFETY: as above.
        unsafe { fp::write(clean) };
        seen.push((what.to_string(), after));
    };
    let mut descriptor = std::ptr::null();
    observe("ladspa_descriptor", &mut || {
        // SAFETY: any index may be asked.
        descriptor = unsafe { function(0) }
    });
    // SAFETY: index 0 is the fixture's descriptor, alive while `library` is.
    let descriptor = unsafe { &*descriptor };
    let mut gain = 1.0_f32;
    let mut input = [0.5_f32; 4];
    let mut output = [0.0_f32; 4];
    let mut instance = None;
    observe("instantiate", &mut || instance = Some(Raw::new(descriptor)));
    let mut instance = instance.unwrap();
    // SAFETY: the buffers outlive the instance (dropped below, before them).
    observe("connect_port", &mut || unsafe {
        instance.connect(0, &mut gain);
        instance.connect(1, input.as_mut_ptr());
        instance.connect(2, output.as_mut_ptr());
    });
    // SAFETY: every port connected; four samples.
    observe("activate", &mut || unsafe { instance.activate() });
    // SAFETY: as above.
    observe("run", &mut || unsafe { instance.run(4) });
    // SAFETY: as above.
    observe("deactivate", &mut || unsafe { instance.deactivate() });
    let mut instance = Some(instance);
    observe("cleanup", &mut || drop(instance.take()));

    let spoiled = fp::spoiled(clean);
    let control = |value: u64| value & fp::SPOILED_BITS;
    let expected: Vec<(String, u64)> = [
        "ladspa_descriptor",
        "instantiate",
        "connect_port",
        "activate",
        "run",
        "deactivate",
        "cleanup",
    ]
    .iter()
    .map(|what| (what.to_string(), control(spoiled)))
    .collect();
    let seen: Vec<(String, u64)> = seen
        .into_iter()
        .map(|(what, value)| (what, control(value)))
        .collect();
    assert_eq!(seen, expected);
    assert_ne!(control(spoiled), control(clean));
    assert_eq!(output, [0.5; 4], "the amplifier ran at a gain of 1");
}
