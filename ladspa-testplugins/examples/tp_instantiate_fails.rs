//! `tp_instantiate_fails.so`: `tp_instantiate_fails` (7300), a valid mono amplifier descriptor
//! whose `instantiate` always returns NULL (counted in `failed_instantiations`; `instantiated`
//! stays 0).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static FAILS: StaticDescriptor = StaticDescriptor::new(descriptor::<Fails, 3>(
    Info {
        unique_id: 7300,
        label: c"tp_instantiate_fails",
        name: c"Test Instantiate Fails",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&FAILS);

/// A plugin that cannot be instantiated.
struct Fails;

impl Plugin for Fails {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        None
    }

    fn run(&mut self, _io: &Io<'_>) {}
}
