//! `tp_v_run_adding.so`: `tp_v_run_adding` (7614), a mono amplifier whose `run_adding`
//! ignores the gain of `set_run_adding_gain` (adds input × gain, as if the run-adding gain were
//! 1). Fails `run-adding` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ADDING: StaticDescriptor = StaticDescriptor::new(with_run_adding::<IgnoresGain>(
    descriptor::<IgnoresGain, 3>(
        Info {
            unique_id: 7614,
            label: c"tp_v_run_adding",
            name: c"Validator Fixture: run_adding ignores its gain",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    ),
));

ladspa_testplugins::export_descriptors!(&ADDING);

/// The amplifier whose `run_adding` forgets the run-adding gain.
struct IgnoresGain;

impl Plugin for IgnoresGain {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        Amp::<1>.run(io);
    }

    fn run_adding(&mut self, io: &Io<'_>, _gain: LADSPA_Data) {
        Amp::<1>.run_adding(io, 1.0);
    }
}
