//! `tp_static_descriptor.so`: three plugin types filled, one after the other, into ONE static
//! descriptor, as some C plugins do: `ladspa_descriptor(i)` for i = 0, 1, 2 refills the same
//! struct with
//!
//! - `tp_static_a` (7410, "Test Static Descriptor A"),
//! - `tp_static_b` (7411, "Test Static Descriptor B"),
//! - `tp_static_c` (7412, "Test Static Descriptor C"),
//!
//! each a mono amplifier (0 "Gain", 1 "Input", 2 "Output"), and returns the same pointer every
//! time; NULL for i ≥ 3. A host that asks for every index before reading the descriptors sees
//! C three times; the SDK's tools, which read each one right after asking for it, see A, B, C.
//! Either way the host cannot keep three descriptors at once, so it cannot instantiate them
//! correctly.
//!
//! Like the C plugins it imitates, the refill is not synchronised: two threads loading the file
//! at once race.

use core::cell::UnsafeCell;
use core::ffi::{CStr, c_ulong};

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

/// The labels, names and unique IDs, by index.
const TYPES: [(&CStr, &CStr, c_ulong); 3] = [
    (c"tp_static_a", c"Test Static Descriptor A", 7410),
    (c"tp_static_b", c"Test Static Descriptor B", 7411),
    (c"tp_static_c", c"Test Static Descriptor C", 7412),
];

/// The plugin type with index `index` of `TYPES`.
const fn amp(index: usize) -> LADSPA_Descriptor {
    let (label, name, unique_id) = TYPES[index];
    descriptor::<Amp<1>, 3>(
        Info {
            unique_id,
            label,
            name,
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
}

/// The one descriptor, written in place by `ladspa_descriptor`.
struct Shared(UnsafeCell<LADSPA_Descriptor>);

// SAFETY: every pointer the descriptor ever holds is to `'static`, immutable data (C string
// literals, `PORTS`, `COUNTERS`); the writes in `ladspa_descriptor` are the unsynchronised
// refill this fixture imitates, and hosts load a file from one thread at a time (the LADSPA
// usage that makes the C original work at all).
unsafe impl Sync for Shared {}

static DESCRIPTOR: Shared = Shared(UnsafeCell::new(amp(0)));

/// The LADSPA entry point: refills the one descriptor with plugin type `index` and returns it,
/// or NULL past the last type.
#[unsafe(no_mangle)]
pub extern "C" fn ladspa_descriptor(index: c_ulong) -> *const LADSPA_Descriptor {
    let Some(index) = usize::try_from(index).ok().filter(|&i| i < TYPES.len()) else {
        return core::ptr::null();
    };
    let descriptor = DESCRIPTOR.0.get();
    // SAFETY: the pointer is to the static, valid for writes; no Rust reference to it exists
    // (the host reads it only through the raw pointer returned below), and the write is
    // a whole-struct store, as in the C plugins that do this.
    unsafe { descriptor.write(amp(index)) };
    descriptor
}
