//! `tp_v_input_written.so`: `tp_v_input_written` (7605), a mono amplifier that clears each
//! input sample after reading it (before writing the output, so in-place processing still
//! gives the right output). Fails `input-written` only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static INPUT_WRITTEN: StaticDescriptor = StaticDescriptor::new(descriptor::<ClearsInput, 3>(
    Info {
        unique_id: 7605,
        label: c"tp_v_input_written",
        name: c"Validator Fixture: clears its input",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&INPUT_WRITTEN);

/// The amplifier that clears its input.
struct ClearsInput;

impl Plugin for ClearsInput {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            let x = io.read(1, i);
            io.write(1, i, 0.0);
            io.write(2, i, x * gain);
        }
    }
}
