//! `tp_v_block_size.so`: `tp_v_block_size` (7613), a mono amplifier that halves the first
//! sample of every run, so its output depends on where blocks begin. Warns in `block-size`
//! only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static BLOCK: StaticDescriptor = StaticDescriptor::new(descriptor::<BlockStart, 3>(
    Info {
        unique_id: 7613,
        label: c"tp_v_block_size",
        name: c"Validator Fixture: block starts differ",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&BLOCK);

/// The amplifier with a soft first sample.
struct BlockStart;

impl Plugin for BlockStart {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            let factor = if i == 0 { 0.5 } else { 1.0 };
            io.write(2, i, io.read(1, i) * gain * factor);
        }
    }
}
