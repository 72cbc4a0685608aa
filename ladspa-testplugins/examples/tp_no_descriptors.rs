//! `tp_no_descriptors.so`: a LADSPA plugin file with no plugin types: `ladspa_descriptor`
//! returns NULL for every index.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::LADSPA_Descriptor;

ladspa_testplugins::export_counters!(COUNTERS);

/// The LADSPA entry point: NULL, whatever the index.
#[unsafe(no_mangle)]
pub extern "C" fn ladspa_descriptor(_index: c_ulong) -> *const LADSPA_Descriptor {
    core::ptr::null()
}
