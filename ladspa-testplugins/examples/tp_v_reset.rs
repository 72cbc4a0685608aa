//! `tp_v_reset.so`: `tp_v_reset` (7610): output = input × gain + 0.001 × (samples processed
//! since `instantiate`, modulo 1000). `activate` does not reset the count, so deactivate +
//! activate does not restore the initial state. Fails `reset` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static RESET: StaticDescriptor = StaticDescriptor::new(descriptor::<NoReset, 3>(
    Info {
        unique_id: 7610,
        label: c"tp_v_reset",
        name: c"Validator Fixture: activate does not reset",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&RESET);

/// The sample count that `activate` forgets to reset.
struct NoReset {
    count: u32,
}

impl Plugin for NoReset {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self { count: 0 })
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) * gain + 0.001 * self.count as f32);
            self.count = (self.count + 1) % 1000;
        }
    }
}
