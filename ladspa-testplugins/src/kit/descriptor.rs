//! Descriptors that live in `static`s ([`StaticDescriptor`]), made complete and valid for a
//! plugin type by [`descriptor()`].

use core::ffi::{CStr, c_ulong, c_void};

use ladspa_host_sys::*;

use super::functions::{
    activate, cleanup, connect_port, deactivate, instantiate, run, run_adding, set_run_adding_gain,
};
use super::instance::Plugin;
use super::port::PortTable;
use crate::counters::Counters;

/// The `Maker` of every plugin of this package.
pub const MAKER: &CStr = c"ladspa-rs test plugins";
/// The `Copyright` of every plugin of this package.
pub const COPYRIGHT: &CStr = c"None";

/// A `LADSPA_Descriptor` that can live in a `static`.
#[repr(transparent)]
#[derive(Debug)]
pub struct StaticDescriptor(pub LADSPA_Descriptor);

// SAFETY: the raw pointers of the descriptor point to `'static`, immutable data (C string
// literals, `PortTable` statics, the file's `Counters`, whose fields are atomics) and the
// descriptor itself is never written after its constant initialisation, so any thread may read
// it; that is also what the LADSPA specification expects of a host.
unsafe impl Sync for StaticDescriptor {}

impl StaticDescriptor {
    /// Wraps a descriptor.
    pub const fn new(descriptor: LADSPA_Descriptor) -> Self {
        Self(descriptor)
    }

    /// The pointer that `ladspa_descriptor` returns.
    pub const fn as_ptr(&self) -> *const LADSPA_Descriptor {
        &self.0
    }
}

/// The identity of a plugin type, for [`descriptor()`].
#[derive(Debug, Clone, Copy)]
pub struct Info {
    /// `UniqueID`.
    pub unique_id: c_ulong,
    /// `Label`.
    pub label: &'static CStr,
    /// `Name`.
    pub name: &'static CStr,
    /// `Properties`, the OR of `LADSPA_PROPERTY_*` flags.
    pub properties: LADSPA_Properties,
}

/// A complete, valid descriptor of the plugin type `P` with the ports `ports`, whose instances
/// count in `counters`: `instantiate`, `connect_port`, `activate`, `run`, `deactivate` and
/// `cleanup` are the generic functions of this module for `P`; `run_adding` and
/// `set_run_adding_gain` are NULL (see [`with_run_adding()`]). Maker and Copyright are
/// [`MAKER`] and [`COPYRIGHT`].
///
/// Broken descriptors start from this one and change a field with struct update syntax.
pub const fn descriptor<P: Plugin, const N: usize>(
    info: Info,
    ports: &'static PortTable<N>,
    counters: &'static Counters,
) -> LADSPA_Descriptor {
    LADSPA_Descriptor {
        UniqueID: info.unique_id,
        Label: info.label.as_ptr(),
        Properties: info.properties,
        Name: info.name.as_ptr(),
        Maker: MAKER.as_ptr(),
        Copyright: COPYRIGHT.as_ptr(),
        PortCount: N as c_ulong,
        PortDescriptors: ports.descriptors.as_ptr(),
        PortNames: ports.names.as_ptr(),
        PortRangeHints: ports.hints.as_ptr(),
        ImplementationData: counters as *const Counters as *mut c_void,
        instantiate: Some(instantiate::<P>),
        connect_port: Some(connect_port::<P>),
        activate: Some(activate::<P>),
        run: Some(run::<P>),
        run_adding: None,
        set_run_adding_gain: None,
        deactivate: Some(deactivate::<P>),
        cleanup: Some(cleanup::<P>),
    }
}

/// `descriptor` with `run_adding` and `set_run_adding_gain` of `P`.
pub const fn with_run_adding<P: Plugin>(descriptor: LADSPA_Descriptor) -> LADSPA_Descriptor {
    LADSPA_Descriptor {
        run_adding: Some(run_adding::<P>),
        set_run_adding_gain: Some(set_run_adding_gain::<P>),
        ..descriptor
    }
}
