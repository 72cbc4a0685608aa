//! `tp_v_denormal_output.so`: `tp_v_denormal_output` (7609), a one-pole feedback filter
//! (y = x + 0.5 y) without denormal protection: as the input falls silent, its output halves
//! each sample down through the subnormal numbers. Fails `denormal-output` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static DENORMAL: StaticDescriptor = StaticDescriptor::new(descriptor::<OnePole, 3>(
    Info {
        unique_id: 7609,
        label: c"tp_v_denormal_output",
        name: c"Validator Fixture: feedback without denormal protection",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&DENORMAL);

/// y = gain × x + 0.5 y.
struct OnePole {
    y: f32,
}

impl Plugin for OnePole {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self { y: 0.0 })
    }

    fn activate(&mut self) {
        self.y = 0.0;
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            self.y = io.read(1, i) * gain + 0.5 * self.y;
            io.write(2, i, self.y);
        }
    }
}
