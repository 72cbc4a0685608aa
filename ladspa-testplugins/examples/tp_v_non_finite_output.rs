//! `tp_v_non_finite_output.so`: `tp_v_non_finite_output` (7608): output = √input × gain, NaN
//! for every negative input sample. Fails `non-finite-output` only (`control-range` blames
//! only values that make a finite output non-finite).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static NAN: StaticDescriptor = StaticDescriptor::new(descriptor::<SquareRoot, 3>(
    Info {
        unique_id: 7608,
        label: c"tp_v_non_finite_output",
        name: c"Validator Fixture: square root",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&NAN);

/// √input × gain.
struct SquareRoot;

impl Plugin for SquareRoot {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i).sqrt() * gain);
        }
    }
}
