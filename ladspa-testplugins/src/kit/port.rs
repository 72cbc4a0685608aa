//! Ports: one [`Port`] (name, flags, hint) and the three parallel arrays of a descriptor made
//! from them ([`PortTable`]).

use core::ffi::{CStr, c_char};
use core::ptr;

use ladspa_host_sys::*;

/// The most ports an instance keeps connections for; `connect_port` ignores higher numbers
/// (only `bad_huge_port_count` claims more).
pub const MAX_PORTS: usize = 1024;

/// One port of a plugin type: name, port descriptor and range hint.
#[derive(Debug, Clone, Copy)]
pub struct Port {
    /// The name.
    pub name: &'static CStr,
    /// The OR of `LADSPA_PORT_*` flags.
    pub descriptor: LADSPA_PortDescriptor,
    /// The range hint.
    pub hint: LADSPA_PortRangeHint,
}

/// A range hint without flags or bounds.
pub const NO_HINT: LADSPA_PortRangeHint = LADSPA_PortRangeHint {
    HintDescriptor: 0,
    LowerBound: 0.0,
    UpperBound: 0.0,
};

impl Port {
    /// An audio input.
    pub const fn audio_in(name: &'static CStr) -> Self {
        Self {
            name,
            descriptor: LADSPA_PORT_INPUT | LADSPA_PORT_AUDIO,
            hint: NO_HINT,
        }
    }

    /// An audio output.
    pub const fn audio_out(name: &'static CStr) -> Self {
        Self {
            name,
            descriptor: LADSPA_PORT_OUTPUT | LADSPA_PORT_AUDIO,
            hint: NO_HINT,
        }
    }

    /// A control input with a range hint (`hint` is the OR of `LADSPA_HINT_*` flags).
    pub const fn control_in(
        name: &'static CStr,
        hint: LADSPA_PortRangeHintDescriptor,
        lower: LADSPA_Data,
        upper: LADSPA_Data,
    ) -> Self {
        Self {
            name,
            descriptor: LADSPA_PORT_INPUT | LADSPA_PORT_CONTROL,
            hint: LADSPA_PortRangeHint {
                HintDescriptor: hint,
                LowerBound: lower,
                UpperBound: upper,
            },
        }
    }

    /// A control output without hints.
    pub const fn control_out(name: &'static CStr) -> Self {
        Self {
            name,
            descriptor: LADSPA_PORT_OUTPUT | LADSPA_PORT_CONTROL,
            hint: NO_HINT,
        }
    }
}

/// The three parallel port arrays of a descriptor, made from [`Port`]s, for a `static`.
#[repr(C)]
#[derive(Debug)]
pub struct PortTable<const N: usize> {
    /// `PortDescriptors`.
    pub descriptors: [LADSPA_PortDescriptor; N],
    /// `PortNames`.
    pub names: [*const c_char; N],
    /// `PortRangeHints`.
    pub hints: [LADSPA_PortRangeHint; N],
}

// SAFETY: the only non-`Sync` fields are the name pointers, which point to `'static` C string
// literals; tables are immutable once built (they live in `static`s), so sharing them between
// threads only ever reads immutable data.
unsafe impl<const N: usize> Sync for PortTable<N> {}

impl<const N: usize> PortTable<N> {
    /// The arrays of `ports`, in order.
    pub const fn new(ports: [Port; N]) -> Self {
        let mut table = Self {
            descriptors: [0; N],
            names: [ptr::null(); N],
            hints: [NO_HINT; N],
        };
        let mut i = 0;
        while i < N {
            table.descriptors[i] = ports[i].descriptor;
            table.names[i] = ports[i].name.as_ptr();
            table.hints[i] = ports[i].hint;
            i += 1;
        }
        table
    }
}
