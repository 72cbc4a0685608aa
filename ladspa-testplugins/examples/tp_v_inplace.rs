//! `tp_v_inplace.so`: `tp_v_inplace` (7612), not marked `INPLACE_BROKEN`: output = 2 × input,
//! then input added to the output in a second pass, which reads the output when both share a
//! buffer (3 × input out of place, 4 × input in place), as swh's `plate` does. Fails `inplace`
//! only.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static INPLACE: StaticDescriptor = StaticDescriptor::new(descriptor::<TwoPasses, 3>(
    Info {
        unique_id: 7612,
        label: c"tp_v_inplace",
        name: c"Validator Fixture: two passes over the output",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&INPLACE);

/// Two passes.
struct TwoPasses;

impl Plugin for TwoPasses {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        for i in 0..io.len() {
            io.write(2, i, 2.0 * io.read(1, i));
        }
        for i in 0..io.len() {
            io.add(2, i, io.read(1, i));
        }
    }
}
