//! `tp_endless.so`: `ladspa_descriptor` returns the same valid descriptor, `tp_endless` (7200,
//! a mono amplifier), for every index and never NULL, so a host that enumerates until NULL
//! must stop by itself.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ENDLESS: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7200,
        label: c"tp_endless",
        name: c"Test Endless Descriptors",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

/// The LADSPA entry point: `tp_endless`, whatever the index.
#[unsafe(no_mangle)]
pub extern "C" fn ladspa_descriptor(_index: c_ulong) -> *const LADSPA_Descriptor {
    ENDLESS.as_ptr()
}
