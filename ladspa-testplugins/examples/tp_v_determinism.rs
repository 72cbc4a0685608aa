//! `tp_v_determinism.so`: `tp_v_determinism` (7611): output = input × gain + 0.01 × the
//! instance's number (a file-wide count of instantiations), so two instances differ. Fails
//! `determinism` only: the checks that compare instances see that two plain instances differ
//! and leave the blame to `determinism`.

use core::ffi::c_ulong;
use std::sync::atomic::{AtomicU32, Ordering};

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static DETERMINISM: StaticDescriptor = StaticDescriptor::new(descriptor::<Numbered, 3>(
    Info {
        unique_id: 7611,
        label: c"tp_v_determinism",
        name: c"Validator Fixture: instances differ",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&DETERMINISM);

/// Instances made so far in this process.
static INSTANCES: AtomicU32 = AtomicU32::new(0);

/// An amplifier with an offset of its own.
struct Numbered {
    offset: f32,
}

impl Plugin for Numbered {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        let number = INSTANCES.fetch_add(1, Ordering::Relaxed);
        Some(Self {
            offset: 0.01 * (number % 100) as f32,
        })
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) * gain + self.offset);
        }
    }
}
