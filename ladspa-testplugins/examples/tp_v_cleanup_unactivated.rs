//! `tp_v_cleanup_unactivated.so`: `tp_v_cleanup_unactivated` (7603), a mono amplifier whose
//! `cleanup` dereferences a pointer that only `activate` sets, as swh's IIR filters do: a
//! SIGSEGV in `cleanup` when `activate` never ran. Fails `cleanup-unactivated` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static CLEANUP: StaticDescriptor = StaticDescriptor::new(descriptor::<ActivatedState, 3>(
    Info {
        unique_id: 7603,
        label: c"tp_v_cleanup_unactivated",
        name: c"Validator Fixture: cleanup needs activate",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&CLEANUP);

/// State allocated by `activate` and freed, unchecked, when the instance is dropped (in
/// `cleanup`).
struct ActivatedState {
    state: *mut u32,
}

impl Plugin for ActivatedState {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self {
            state: core::ptr::null_mut(),
        })
    }

    fn activate(&mut self) {
        if self.state.is_null() {
            self.state = Box::into_raw(Box::new(0));
        }
    }

    fn run(&mut self, io: &Io<'_>) {
        Amp::<1>.run(io);
    }
}

impl Drop for ActivatedState {
    fn drop(&mut self) {
        // The defect under test: the state is assumed to exist. `black_box` keeps the compiler
        // from seeing the NULL, so the write really happens (a SIGSEGV) instead of a trap.
        let state = core::hint::black_box(self.state);
        // SAFETY: none when `activate` never ran; that crash is this fixture's purpose.
        unsafe { state.write_volatile(1) };
        // SAFETY: `state` came from `Box::into_raw` in `activate` (when it is not NULL).
        drop(unsafe { Box::from_raw(state) });
    }
}
