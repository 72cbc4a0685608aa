//! The properties of a plugin type (`LADSPA_PROPERTY_*`).

use ladspa_host_sys as sys;

bitflags::bitflags! {
    /// The `Properties` of a plugin type.
    ///
    /// Bits that LADSPA 1.1 does not define are kept (see [`Properties::bits`]).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Properties: sys::LADSPA_Properties {
        /// `LADSPA_PROPERTY_REALTIME`: the plugin has a real-time dependency (for example on a
        /// MIDI device), so its output must not be computed ahead of time or cached.
        const REALTIME = sys::LADSPA_PROPERTY_REALTIME;
        /// `LADSPA_PROPERTY_INPLACE_BROKEN`: an input and an output must not share a buffer.
        const INPLACE_BROKEN = sys::LADSPA_PROPERTY_INPLACE_BROKEN;
        /// `LADSPA_PROPERTY_HARD_RT_CAPABLE`: `run` allocates nothing, takes no locks, does no
        /// I/O and takes bounded time.
        const HARD_RT_CAPABLE = sys::LADSPA_PROPERTY_HARD_RT_CAPABLE;
    }
}
