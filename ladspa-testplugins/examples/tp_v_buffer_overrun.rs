//! `tp_v_buffer_overrun.so`: `tp_v_buffer_overrun` (7604), a mono amplifier that also writes
//! one sample past the end of its output in every run of at least one sample (an off-by-one
//! loop). Fails `buffer-overrun` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static OVERRUN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run: Some(run),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7604,
            label: c"tp_v_buffer_overrun",
            name: c"Validator Fixture: writes past the output",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&OVERRUN);

/// `run`: the amplifier, then output sample `sample_count` (one too far) written.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::run()`], and the output must hold one more sample than the
/// run: this fixture's defect, which LADSPA does not allow.
unsafe extern "C" fn run(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::run::<Amp<1>>(handle, sample_count) };
    if sample_count > 0 {
        let len = sample_count as usize + 1;
        // SAFETY: as above (one sample more, the defect).
        let io = unsafe { connected::<Amp<1>>(handle, len) };
        io.write(2, len - 1, 0.0);
    }
}
