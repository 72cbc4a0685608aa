//! `tp_v_write_outside_run.so`: `tp_v_write_outside_run` (7606), a mono amplifier whose
//! `activate` clears the first 64 samples of its output buffer. Fails `write-outside-run`
//! only.

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static OUTSIDE: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    activate: Some(activate),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7606,
            label: c"tp_v_write_outside_run",
            name: c"Validator Fixture: writes in activate",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&OUTSIDE);

/// `activate`: the generic one, then 64 output samples cleared.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::activate()`], and the output must point at 64 samples
/// (the defect: LADSPA gives a plugin no buffer outside `run`).
unsafe extern "C" fn activate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::activate::<Amp<1>>(handle) };
    // SAFETY: as above.
    let io = unsafe { connected::<Amp<1>>(handle, 64) };
    for i in 0..io.len() {
        io.write(2, i, 0.0);
    }
}
