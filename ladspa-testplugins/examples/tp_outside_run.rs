//! `tp_outside_run.so`: `tp_outside_run` (7402, "Test Outside Run"), an amplifier that touches
//! its audio ports outside `run`.
//!
//! Ports, in this order so that a host's per-port memory puts the control between the two
//! audio ports: 0 "Output" (audio output), 1 "Gain" (control input, bounded below by 0,
//! logarithmic, default 1), 2 "Input" (audio input).
//!
//! `run` is a plain amplifier, output = input × gain. `activate`, `deactivate` and `cleanup`
//! each read `ladspa_testplugins::OUTSIDE_RUN_SAMPLES` (4096) samples from the input and write
//! as many `ladspa_testplugins::OUTSIDE_RUN_MARKER`s (12345) to the output, as real plugins
//! that clear or prime their buffers there do. A host that leaves a port on a one-sample
//! scratch gets its neighbouring memory overwritten (heap corruption); a host that leaves it on
//! the caller's buffer from the last run gets that buffer overwritten after the run, or memory
//! freed since then. Neither happens when every audio port points at host-owned memory of a
//! realistic block size outside runs.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;
use ladspa_testplugins::{OUTSIDE_RUN_MARKER, OUTSIDE_RUN_SAMPLES};

ladspa_testplugins::export_counters!(COUNTERS);

/// Port numbers.
const OUTPUT: usize = 0;
const GAIN: usize = 1;
const INPUT: usize = 2;

static PORTS: PortTable<3> = PortTable::new([
    Port::audio_out(c"Output"),
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Input"),
]);

static OUTSIDE_RUN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    activate: Some(activate),
    deactivate: Some(deactivate),
    cleanup: Some(cleanup),
    ..descriptor::<OutsideRun, 3>(
        Info {
            unique_id: 7402,
            label: c"tp_outside_run",
            name: c"Test Outside Run",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&OUTSIDE_RUN);

/// Reads the whole block of the input and fills the output with the marker.
///
/// # Safety
///
/// `handle` is a live instance, used by no other call, whose audio ports hold at least
/// `OUTSIDE_RUN_SAMPLES` samples: this fixture's hostile assumption, which LADSPA does not
/// make.
unsafe fn touch_the_buffers(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    let io = unsafe { connected::<OutsideRun>(handle, OUTSIDE_RUN_SAMPLES) };
    let mut sum = 0.0;
    for i in 0..io.len() {
        sum += io.read(INPUT, i);
        io.write(OUTPUT, i, OUTSIDE_RUN_MARKER);
    }
    // The reads are part of the behaviour under test (valgrind sees them): keep them.
    core::hint::black_box(sum);
}

/// `activate`: the generic one, then the buffers.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::activate()`], and as `touch_the_buffers`.
unsafe extern "C" fn activate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        ladspa_testplugins::kit::activate::<OutsideRun>(handle);
        touch_the_buffers(handle);
    }
}

/// `deactivate`: the buffers, then the generic one.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::deactivate()`], and as `touch_the_buffers`.
unsafe extern "C" fn deactivate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        touch_the_buffers(handle);
        ladspa_testplugins::kit::deactivate::<OutsideRun>(handle);
    }
}

/// `cleanup`: the buffers, then the generic one, which frees the instance.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::cleanup()`], and as `touch_the_buffers`.
unsafe extern "C" fn cleanup(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract; the instance is freed only after the
    // buffers were touched.
    unsafe {
        touch_the_buffers(handle);
        ladspa_testplugins::kit::cleanup::<OutsideRun>(handle);
    }
}

/// A plain amplifier on this file's port order.
struct OutsideRun;

impl Plugin for OutsideRun {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(GAIN);
        for i in 0..io.len() {
            io.write(OUTPUT, i, io.read(INPUT, i) * gain);
        }
    }
}
