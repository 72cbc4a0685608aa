//! `tp_v_zero_length.so`: `tp_v_zero_length` (7607), a mono amplifier that processes sample 0
//! even in a run of 0 samples (as seven Debian plugin files do). Fails `zero-length` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ZERO: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run: Some(run),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7607,
            label: c"tp_v_zero_length",
            name: c"Validator Fixture: writes in runs of 0 samples",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&ZERO);

/// `run`: output 0 = input 0 × gain, whatever the length; then the amplifier.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::run()`], and the buffers must hold one sample even for a run
/// of 0 (the defect).
unsafe extern "C" fn run(handle: LADSPA_Handle, sample_count: c_ulong) {
    if sample_count == 0 {
        // SAFETY: as above.
        let io = unsafe { connected::<Amp<1>>(handle, 1) };
        io.write(2, 0, io.read(1, 0) * io.control(0));
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::run::<Amp<1>>(handle, sample_count) };
}
