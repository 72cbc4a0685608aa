//! `tp_v_instantiate_rates.so`: `tp_v_instantiate_rates` (7602), a mono amplifier whose
//! `instantiate` aborts (SIGABRT) at 192000 Hz, as plugins with fixed tables sized for lower
//! rates crash: fails `instantiate-rates` only (every other check runs at 48 kHz).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static RATES: StaticDescriptor = StaticDescriptor::new(descriptor::<HighRateAbort, 3>(
    Info {
        unique_id: 7602,
        label: c"tp_v_instantiate_rates",
        name: c"Validator Fixture: abort at 192 kHz",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&RATES);

/// An amplifier that cannot be made above 96 kHz.
struct HighRateAbort;

impl Plugin for HighRateAbort {
    fn new(sample_rate: c_ulong) -> Option<Self> {
        if sample_rate > 96_000 {
            std::process::abort();
        }
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        Amp::<1>.run(io);
    }
}
