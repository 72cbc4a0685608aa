//! `tp_inplace_broken.so`: `tp_inplace_broken` (7007, "Test In-Place Broken Copier"), a copier
//! that declares `LADSPA_PROPERTY_INPLACE_BROKEN` and really is broken in place, so tests can
//! see whether a host honours the property.
//!
//! Ports: 0 "Input", 1 "Output", 2 "Aliased" (control output). A run whose input and output
//! buffers overlap sets "Aliased" to 1, counts in `aliased_runs` and writes zeros (the visible
//! damage); any other run copies the input and sets "Aliased" to 0.

use core::ffi::c_ulong;

use ladspa_testplugins::Counters;
use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new([
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
    Port::control_out(c"Aliased"),
]);

static COPIER: StaticDescriptor = StaticDescriptor::new(descriptor::<Copier, 3>(
    Info {
        unique_id: 7007,
        label: c"tp_inplace_broken",
        name: c"Test In-Place Broken Copier",
        properties: LADSPA_PROPERTY_INPLACE_BROKEN | LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&COPIER);

struct Copier;

impl Plugin for Copier {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        if io.overlap(0, 1) {
            Counters::bump(&io.counters().aliased_runs);
            io.set_control(2, 1.0);
            for i in 0..io.len() {
                io.write(1, i, 0.0);
            }
        } else {
            io.set_control(2, 0.0);
            for i in 0..io.len() {
                io.write(1, i, io.read(0, i));
            }
        }
    }
}
