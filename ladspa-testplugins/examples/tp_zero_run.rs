//! `tp_zero_run.so`: `tp_zero_run` (7401, "Test Zero-Sample Run"), a mono amplifier (0 "Gain",
//! control input, default 1; 1 "Input"; 2 "Output") whose `run` reads the first input sample
//! and writes the first output sample through the connected pointers even when `sample_count`
//! is 0.
//!
//! Seven of Debian's plugin files do the same (blepvco, blvco, cmt's `limit_peak`, cs_phaser,
//! mvchpf24, mvclpf24, vco_sawpulse). It is harmless when the ports point at host memory, and a
//! segmentation fault when a host connects the dangling pointer of an empty slice (address 4
//! for `f32`) for a run of 0 samples.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ZERO_RUN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run: Some(run),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7401,
            label: c"tp_zero_run",
            name: c"Test Zero-Sample Run",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&ZERO_RUN);

/// `run`: for a run of 0 samples, what the amplifier would do to sample 0 all the same (output
/// 0 = input 0 × gain); any other run is the amplifier's own, which processes sample 0 once, so
/// in-place processing stays correct.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::run()`], and the audio ports must hold at least one sample
/// even when `sample_count` is 0 (the defect under test: LADSPA does not promise that).
unsafe extern "C" fn run(handle: LADSPA_Handle, sample_count: c_ulong) {
    if sample_count == 0 {
        // SAFETY: the handle is live (this function's contract); that the buffers hold one
        // sample is this fixture's hostile assumption, true when the host connects its own
        // memory, a crash when it connects a dangling pointer.
        let io = unsafe { connected::<Amp<1>>(handle, 1) };
        io.write(2, 0, io.read(1, 0) * io.control(0));
    }
    // SAFETY: forwarded from this function's contract; the `Io` above is gone.
    unsafe { ladspa_testplugins::kit::run::<Amp<1>>(handle, sample_count) };
}
