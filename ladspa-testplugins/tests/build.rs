//! The plugins build on demand, land where the locator says, and behave as documented.

use std::ffi::{CStr, c_ulong};
use std::ptr;

use ladspa_testplugins::kit::*;
use ladspa_testplugins::{BAD_DESCRIPTORS, BROKEN_PLUGINS, CounterSnapshot, REFERENCE_PLUGINS};
use libloading::Library;

fn open(path: &std::path::Path) -> Library {
    // SAFETY: the test plugins are this package's own, trusted code.
    unsafe { Library::new(path) }.unwrap_or_else(|error| panic!("load {}: {error}", path.display()))
}

fn entry(library: &Library) -> unsafe extern "C" fn(c_ulong) -> *const LADSPA_Descriptor {
    // SAFETY: `ladspa_descriptor` has this signature in every LADSPA plugin file.
    let symbol = unsafe {
        library
            .get::<unsafe extern "C" fn(c_ulong) -> *const LADSPA_Descriptor>(b"ladspa_descriptor")
    };
    *symbol.expect("the file exports ladspa_descriptor")
}

/// The descriptors of a file, until NULL (at most 100).
fn descriptors(library: &Library) -> Vec<&LADSPA_Descriptor> {
    let function = entry(library);
    let mut all = Vec::new();
    for index in 0..100 {
        // SAFETY: any index may be asked; the answer is NULL or a descriptor that lives as long
        // as the library.
        match unsafe { function(index).as_ref() } {
            Some(descriptor) => all.push(descriptor),
            None => return all,
        }
    }
    panic!("more than 100 descriptors")
}

fn string(pointer: *const std::ffi::c_char) -> Option<&'static CStr> {
    // SAFETY: the plugins' strings are NULL or NUL-terminated literals of the loaded image, and
    // the tests keep every library loaded (the loader never unloads a file a test still holds).
    (!pointer.is_null()).then(|| unsafe { CStr::from_ptr(pointer) })
}

fn label(descriptor: &LADSPA_Descriptor) -> String {
    string(descriptor.Label).map_or("(null)".to_string(), |label| {
        label.to_string_lossy().into_owned()
    })
}

#[test]
fn every_file_is_where_the_locator_says() {
    for name in REFERENCE_PLUGINS {
        let path = ladspa_testplugins::reference_plugin(name);
        assert_eq!(
            path,
            ladspa_testplugins::reference_dir().join(format!("{name}.so"))
        );
        assert!(path.is_file());
    }
    for name in BROKEN_PLUGINS {
        assert!(ladspa_testplugins::broken_plugin(name).is_file());
        assert_eq!(
            ladspa_testplugins::broken_plugin(&format!("{name}.so")),
            ladspa_testplugins::broken_plugin(name)
        );
    }
    // The reference directory holds nothing else, so it can be a LADSPA_PATH.
    let mut files: Vec<String> = std::fs::read_dir(ladspa_testplugins::reference_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    files.sort();
    let mut expected: Vec<String> = REFERENCE_PLUGINS
        .iter()
        .map(|name| format!("{name}.so"))
        .collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
#[should_panic(expected = "no reference test plugin named \"tp_nothing\"")]
fn an_unknown_name_panics_clearly() {
    ladspa_testplugins::reference_plugin("tp_nothing");
}

#[test]
fn the_reference_plugins_have_their_labels_ids_and_ports() {
    /// Label, unique ID, port count.
    type Plugin = (&'static str, c_ulong, c_ulong);
    let expected: &[(&str, &[Plugin])] = &[
        (
            "tp_amp",
            &[("tp_amp_mono", 7001, 3), ("tp_amp_stereo", 7002, 5)],
        ),
        ("tp_delay", &[("tp_delay", 7003, 4)]),
        ("tp_sine", &[("tp_sine", 7004, 3)]),
        ("tp_noise", &[("tp_noise", 7005, 2)]),
        ("tp_adding", &[("tp_adding_amp", 7006, 3)]),
        ("tp_inplace_broken", &[("tp_inplace_broken", 7007, 3)]),
        (
            "tp_hints",
            &[("tp_hints", 7008, 50), ("tp_hint_edges", 7015, 12)],
        ),
        ("tp_recorder", &[("tp_recorder", 7009, 8)]),
        (
            "tp_latency",
            &[
                ("tp_latency", 7010, 5),
                ("tp_split", 7011, 3),
                ("tp_mix", 7012, 3),
            ],
        ),
        (
            "tp_fanout",
            &[("tp_fanout_split", 7013, 4), ("tp_fanout_mix", 7014, 4)],
        ),
        ("tp_meter", &[("tp_peak_meter", 7016, 2)]),
    ];
    assert_eq!(expected.len(), REFERENCE_PLUGINS.len());
    for (file, plugins) in expected {
        let library = open(&ladspa_testplugins::reference_plugin(file));
        let found: Vec<(String, c_ulong, c_ulong)> = descriptors(&library)
            .iter()
            .map(|d| (label(d), d.UniqueID, d.PortCount))
            .collect();
        let plugins: Vec<(String, c_ulong, c_ulong)> = plugins
            .iter()
            .map(|&(label, id, ports)| (label.to_string(), id, ports))
            .collect();
        assert_eq!(found, plugins, "{file}");
        for descriptor in descriptors(&library) {
            assert_eq!(string(descriptor.Maker), Some(c"ladspa-rs test plugins"));
            assert_eq!(string(descriptor.Copyright), Some(c"None"));
            assert!(descriptor.activate.is_some() && descriptor.deactivate.is_some());
            assert_eq!(descriptor.run_adding.is_some(), *file == "tp_adding");
            assert_eq!(
                descriptor.set_run_adding_gain.is_some(),
                *file == "tp_adding"
            );
            // Port names are unique within a plugin.
            let count = descriptor.PortCount as usize;
            // SAFETY: a valid descriptor has `PortCount` port names.
            let names = unsafe { std::slice::from_raw_parts(descriptor.PortNames, count) };
            let mut names: Vec<&CStr> = names.iter().map(|&name| string(name).unwrap()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), count, "{file}");
        }
        ladspa_testplugins::counters(&library).expect("every reference file exports its counters");
    }
}

/// One instance of the descriptor, driven through raw FFI.
struct Raw<'a> {
    descriptor: &'a LADSPA_Descriptor,
    handle: LADSPA_Handle,
}

impl<'a> Raw<'a> {
    fn new(descriptor: &'a LADSPA_Descriptor, sample_rate: c_ulong) -> Self {
        // SAFETY: a valid descriptor and a non-zero sample rate.
        let handle = unsafe { descriptor.instantiate.unwrap()(descriptor, sample_rate) };
        assert!(!handle.is_null());
        Self { descriptor, handle }
    }

    /// # Safety
    ///
    /// `data` must stay valid for every later run (one value for a control port, the run's
    /// length for an audio port).
    unsafe fn connect(&mut self, port: c_ulong, data: *mut f32) {
        // SAFETY: a live instance; the caller keeps `data` valid.
        unsafe { self.descriptor.connect_port.unwrap()(self.handle, port, data) }
    }

    fn activate(&mut self) {
        // SAFETY: a live instance.
        unsafe { self.descriptor.activate.unwrap()(self.handle) }
    }

    fn deactivate(&mut self) {
        // SAFETY: a live instance.
        unsafe { self.descriptor.deactivate.unwrap()(self.handle) }
    }

    /// # Safety
    ///
    /// Every port is connected to a buffer valid for `samples`.
    unsafe fn run(&mut self, samples: c_ulong) {
        // SAFETY: forwarded from the caller.
        unsafe { self.descriptor.run.unwrap()(self.handle, samples) }
    }
}

impl Drop for Raw<'_> {
    fn drop(&mut self) {
        // SAFETY: a live instance, never used again.
        unsafe { self.descriptor.cleanup.unwrap()(self.handle) }
    }
}

#[test]
fn tp_amp_mono_amplifies_and_counts_its_lifecycle() {
    let library = open(&ladspa_testplugins::reference_plugin("tp_amp"));
    let counters = ladspa_testplugins::counters(&library).unwrap();
    let before = counters.snapshot();
    let mono = descriptors(&library)[0];

    let mut gain = 0.5_f32;
    let mut input: Vec<f32> = (0..64).map(|i| i as f32 - 20.0).collect();
    let mut output = vec![f32::NAN; 64];
    {
        let mut instance = Raw::new(mono, 44100);
        // SAFETY: the buffers outlive the instance (dropped at the end of this block) and hold
        // 64 samples.
        unsafe {
            instance.connect(0, &mut gain);
            instance.connect(1, input.as_mut_ptr());
            instance.connect(2, output.as_mut_ptr());
        }
        instance.activate();
        // SAFETY: all ports connected, 64 samples.
        unsafe { instance.run(64) };
        instance.deactivate();
        assert_eq!(counters.snapshot().live() - before.live(), 1);
    }
    let expected: Vec<f32> = input.iter().map(|x| x * 0.5).collect();
    assert_eq!(output, expected);

    let after = counters.snapshot();
    let delta = CounterSnapshot {
        instantiated: after.instantiated - before.instantiated,
        activated: after.activated - before.activated,
        deactivated: after.deactivated - before.deactivated,
        cleaned_up: after.cleaned_up - before.cleaned_up,
        runs: after.runs - before.runs,
        ..CounterSnapshot::default()
    };
    let expected = CounterSnapshot {
        instantiated: 1,
        activated: 1,
        deactivated: 1,
        cleaned_up: 1,
        runs: 1,
        ..Default::default()
    };
    assert_eq!(delta, expected);

    // In place: the output buffer is the input buffer.
    {
        let mut instance = Raw::new(mono, 44100);
        let mut gain = 2.0_f32;
        let mut buffer = vec![1.5_f32; 16];
        // SAFETY: the buffers outlive the instance and hold 16 samples.
        unsafe {
            instance.connect(0, &mut gain);
            instance.connect(1, buffer.as_mut_ptr());
            instance.connect(2, buffer.as_mut_ptr());
        }
        instance.activate();
        // SAFETY: all ports connected, 16 samples.
        unsafe { instance.run(16) };
        instance.deactivate();
        drop(instance);
        assert_eq!(buffer, vec![3.0; 16]);
    }
}

#[test]
fn tp_inplace_broken_notices_aliasing() {
    let library = open(&ladspa_testplugins::reference_plugin("tp_inplace_broken"));
    let counters = ladspa_testplugins::counters(&library).unwrap();
    let copier = descriptors(&library)[0];
    assert!(LADSPA_IS_INPLACE_BROKEN(copier.Properties));
    let mut instance = Raw::new(copier, 48000);
    let mut aliased = f32::NAN;
    let mut input = vec![0.25_f32; 8];
    let mut output = vec![0.0_f32; 8];
    // SAFETY: the buffers outlive the instance and hold 8 samples.
    unsafe {
        instance.connect(0, input.as_mut_ptr());
        instance.connect(1, output.as_mut_ptr());
        instance.connect(2, &mut aliased);
    }
    instance.activate();
    // SAFETY: all ports connected, 8 samples.
    unsafe { instance.run(8) };
    assert_eq!((aliased, &output[..]), (0.0, &[0.25; 8][..]));
    let before = counters.snapshot().aliased_runs;
    // SAFETY: as above, now both on `input`.
    unsafe {
        instance.connect(1, input.as_mut_ptr().add(2));
        instance.run(4);
    }
    assert_eq!(aliased, 1.0);
    assert_eq!(counters.snapshot().aliased_runs, before + 1);
}

#[test]
fn tp_delay_delays_and_forgets_on_activate() {
    let library = open(&ladspa_testplugins::reference_plugin("tp_delay"));
    let delay = descriptors(&library)[0];
    let mut instance = Raw::new(delay, 1000);
    let (mut seconds, mut wet) = (0.01_f32, 1.0_f32);
    let mut input = vec![0.0_f32; 32];
    let mut output = vec![0.0_f32; 32];
    // SAFETY: the buffers outlive the instance and hold 32 samples.
    unsafe {
        instance.connect(0, &mut seconds);
        instance.connect(1, &mut wet);
        instance.connect(2, input.as_mut_ptr());
        instance.connect(3, output.as_mut_ptr());
    }
    instance.activate();
    input[0] = 1.0;
    // SAFETY: all ports connected, 32 samples.
    unsafe { instance.run(32) };
    let mut expected = vec![0.0_f32; 32];
    expected[10] = 1.0;
    assert_eq!(output, expected);

    // SAFETY: as above.
    unsafe { instance.run(5) };
    instance.deactivate();
    instance.activate();
    input[0] = 0.0;
    // SAFETY: as above.
    unsafe { instance.run(32) };
    assert!(output.iter().all(|&sample| sample == 0.0), "{output:?}");
}

#[test]
fn the_bad_descriptors_come_in_the_documented_order() {
    let library = open(&ladspa_testplugins::broken_plugin("tp_bad_descriptors"));
    let all = descriptors(&library);
    let labels: Vec<String> = all.iter().map(|d| label(d)).collect();
    let expected: Vec<&str> = BAD_DESCRIPTORS.iter().map(|(label, _)| *label).collect();
    assert_eq!(labels, expected);
    let ids: Vec<c_ulong> = all.iter().map(|d| d.UniqueID).collect();
    assert_eq!(ids, (7100..7122).collect::<Vec<_>>());
    let latin1 = all[20];
    assert_eq!(
        string(latin1.Name).unwrap().to_bytes(),
        b"Caf\xe9 Amplifier"
    );
    assert_eq!(all[19].PortCount, 1 << 40);
    ladspa_testplugins::counters(&library).unwrap();
}

#[test]
fn the_other_broken_files_are_broken_as_documented() {
    let no_symbol = open(&ladspa_testplugins::broken_plugin("tp_no_symbol"));
    // SAFETY: only looked up, never called.
    assert!(unsafe { no_symbol.get::<unsafe extern "C" fn()>(b"ladspa_descriptor") }.is_err());
    assert!(ladspa_testplugins::counters(&no_symbol).is_err());

    let none = open(&ladspa_testplugins::broken_plugin("tp_no_descriptors"));
    for index in [0, 1, 1000] {
        // SAFETY: any index may be asked.
        assert!(unsafe { entry(&none)(index) }.is_null());
    }

    let endless = open(&ladspa_testplugins::broken_plugin("tp_endless"));
    // SAFETY: any index may be asked.
    let first = unsafe { entry(&endless)(0) };
    for index in [1, 2, 1000, c_ulong::MAX] {
        // SAFETY: any index may be asked.
        assert_eq!(unsafe { entry(&endless)(index) }, first);
    }
    // SAFETY: not NULL, so a descriptor that lives as long as the library.
    assert_eq!(label(unsafe { &*first }), "tp_endless");

    let fails = open(&ladspa_testplugins::broken_plugin("tp_instantiate_fails"));
    let counters = ladspa_testplugins::counters(&fails).unwrap();
    let descriptor = descriptors(&fails)[0];
    assert_eq!(
        (label(descriptor).as_str(), descriptor.UniqueID),
        ("tp_instantiate_fails", 7300)
    );
    let before = counters.snapshot();
    // SAFETY: a valid descriptor and sample rate.
    let handle = unsafe { descriptor.instantiate.unwrap()(descriptor, 44100) };
    assert_eq!(handle, ptr::null_mut());
    let after = counters.snapshot();
    assert_eq!(
        (after.instantiated, after.failed_instantiations),
        (before.instantiated, before.failed_instantiations + 1)
    );
}
