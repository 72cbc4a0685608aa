//! Raw bindings of `ladspa.h`, the header of LADSPA 1.1 (the Linux Audio Developer's Simple
//! Plugin API).
//!
//! This crate is a hand-written, complete transcription of the header that Debian ships as
//! `/usr/include/ladspa.h` in its `ladspa-sdk` package. It exists so that people who read the
//! C documentation find the same names here:
//!
//! | C                                          | Rust                                             |
//! |--------------------------------------------|--------------------------------------------------|
//! | `typedef float LADSPA_Data`                | [`LADSPA_Data`] (`f32`)                          |
//! | `typedef int LADSPA_Properties` and others | `c_int` aliases of the same names                |
//! | `#define LADSPA_PORT_INPUT 0x1`, …         | `pub const` of the typedef's type                |
//! | `#define LADSPA_IS_PORT_INPUT(x) …`        | `pub const fn` returning `bool`                  |
//! | `struct _LADSPA_Descriptor`                | `#[repr(C)]` [`LADSPA_Descriptor`], same fields  |
//! | a function pointer field                   | `Option<unsafe extern "C" fn(..)>`               |
//!
//! Every function pointer is an `Option`, even those the specification requires, because a
//! plugin is foreign code and may leave any of them NULL; reading one through a non-`Option`
//! function pointer type would be undefined behaviour.
//!
//! Nothing is linked: LADSPA plugins are shared objects that a host opens at run time and asks
//! for their `ladspa_descriptor` symbol ([`LADSPA_Descriptor_Function`]). So this crate has no
//! build script and no `links` key, and it is `no_std`.
//!
//! The layout of every type is checked against the real header by the crate's tests (sizes,
//! alignments, field offsets and constant values, compared with what the C compiler reports).
//!
//! For a safe host API (loading plugin files, validated metadata, instances whose lifecycle is
//! enforced by the types) use the `ladspa-host` crate of this workspace instead.
#![no_std]
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals)]

use core::ffi::{CStr, c_char, c_int, c_ulong, c_void};

/// `LADSPA_VERSION`: the version of the API this crate describes, as the C string `"1.1"`.
pub const LADSPA_VERSION: &CStr = c"1.1";
/// `LADSPA_VERSION_MAJOR`: 1.
pub const LADSPA_VERSION_MAJOR: c_int = 1;
/// `LADSPA_VERSION_MINOR`: 1.
pub const LADSPA_VERSION_MINOR: c_int = 1;

/// `LADSPA_Data`: the type of every audio sample and control value.
pub type LADSPA_Data = f32;

/// `LADSPA_Properties`: the OR of `LADSPA_PROPERTY_*` flags of a plugin type.
pub type LADSPA_Properties = c_int;

/// `LADSPA_PROPERTY_REALTIME`: the plugin has a real-time dependency (for example it listens to
/// a MIDI device), so its output must not be cached or computed ahead of time.
pub const LADSPA_PROPERTY_REALTIME: LADSPA_Properties = 0x1;
/// `LADSPA_PROPERTY_INPLACE_BROKEN`: the plugin may fail if an input and an output port share
/// one buffer.
pub const LADSPA_PROPERTY_INPLACE_BROKEN: LADSPA_Properties = 0x2;
/// `LADSPA_PROPERTY_HARD_RT_CAPABLE`: `run` and `run_adding` allocate nothing, take no locks,
/// do no I/O and take bounded time, so the plugin may run in a hard real-time thread.
pub const LADSPA_PROPERTY_HARD_RT_CAPABLE: LADSPA_Properties = 0x4;

/// `LADSPA_IS_REALTIME(x)`.
pub const fn LADSPA_IS_REALTIME(x: LADSPA_Properties) -> bool {
    x & LADSPA_PROPERTY_REALTIME != 0
}
/// `LADSPA_IS_INPLACE_BROKEN(x)`.
pub const fn LADSPA_IS_INPLACE_BROKEN(x: LADSPA_Properties) -> bool {
    x & LADSPA_PROPERTY_INPLACE_BROKEN != 0
}
/// `LADSPA_IS_HARD_RT_CAPABLE(x)`.
pub const fn LADSPA_IS_HARD_RT_CAPABLE(x: LADSPA_Properties) -> bool {
    x & LADSPA_PROPERTY_HARD_RT_CAPABLE != 0
}

/// `LADSPA_PortDescriptor`: the OR of `LADSPA_PORT_*` flags of one port. A valid port is
/// exactly one of input/output and exactly one of control/audio.
pub type LADSPA_PortDescriptor = c_int;

/// `LADSPA_PORT_INPUT`: the port is an input.
pub const LADSPA_PORT_INPUT: LADSPA_PortDescriptor = 0x1;
/// `LADSPA_PORT_OUTPUT`: the port is an output.
pub const LADSPA_PORT_OUTPUT: LADSPA_PortDescriptor = 0x2;
/// `LADSPA_PORT_CONTROL`: the port carries one control value per `run`.
pub const LADSPA_PORT_CONTROL: LADSPA_PortDescriptor = 0x4;
/// `LADSPA_PORT_AUDIO`: the port carries one buffer of samples per `run`.
pub const LADSPA_PORT_AUDIO: LADSPA_PortDescriptor = 0x8;

/// `LADSPA_IS_PORT_INPUT(x)`.
pub const fn LADSPA_IS_PORT_INPUT(x: LADSPA_PortDescriptor) -> bool {
    x & LADSPA_PORT_INPUT != 0
}
/// `LADSPA_IS_PORT_OUTPUT(x)`.
pub const fn LADSPA_IS_PORT_OUTPUT(x: LADSPA_PortDescriptor) -> bool {
    x & LADSPA_PORT_OUTPUT != 0
}
/// `LADSPA_IS_PORT_CONTROL(x)`.
pub const fn LADSPA_IS_PORT_CONTROL(x: LADSPA_PortDescriptor) -> bool {
    x & LADSPA_PORT_CONTROL != 0
}
/// `LADSPA_IS_PORT_AUDIO(x)`.
pub const fn LADSPA_IS_PORT_AUDIO(x: LADSPA_PortDescriptor) -> bool {
    x & LADSPA_PORT_AUDIO != 0
}

/// `LADSPA_PortRangeHintDescriptor`: the OR of `LADSPA_HINT_*` flags of one port, plus one
/// default value kind under [`LADSPA_HINT_DEFAULT_MASK`].
pub type LADSPA_PortRangeHintDescriptor = c_int;

/// `LADSPA_HINT_BOUNDED_BELOW`: `LowerBound` is meaningful.
pub const LADSPA_HINT_BOUNDED_BELOW: LADSPA_PortRangeHintDescriptor = 0x1;
/// `LADSPA_HINT_BOUNDED_ABOVE`: `UpperBound` is meaningful.
pub const LADSPA_HINT_BOUNDED_ABOVE: LADSPA_PortRangeHintDescriptor = 0x2;
/// `LADSPA_HINT_TOGGLED`: the control is on (> 0) or off (<= 0); no bounds may be given.
pub const LADSPA_HINT_TOGGLED: LADSPA_PortRangeHintDescriptor = 0x4;
/// `LADSPA_HINT_SAMPLE_RATE`: the bounds are multiples of the sample rate.
pub const LADSPA_HINT_SAMPLE_RATE: LADSPA_PortRangeHintDescriptor = 0x8;
/// `LADSPA_HINT_LOGARITHMIC`: the control is best presented on a logarithmic scale.
pub const LADSPA_HINT_LOGARITHMIC: LADSPA_PortRangeHintDescriptor = 0x10;
/// `LADSPA_HINT_INTEGER`: the control takes integer values.
pub const LADSPA_HINT_INTEGER: LADSPA_PortRangeHintDescriptor = 0x20;

/// `LADSPA_HINT_DEFAULT_MASK`: the bits that hold the default value kind.
pub const LADSPA_HINT_DEFAULT_MASK: LADSPA_PortRangeHintDescriptor = 0x3C0;
/// `LADSPA_HINT_DEFAULT_NONE`: no default.
pub const LADSPA_HINT_DEFAULT_NONE: LADSPA_PortRangeHintDescriptor = 0x0;
/// `LADSPA_HINT_DEFAULT_MINIMUM`: the default is the lower bound.
pub const LADSPA_HINT_DEFAULT_MINIMUM: LADSPA_PortRangeHintDescriptor = 0x40;
/// `LADSPA_HINT_DEFAULT_LOW`: the default is a quarter of the way from the lower bound to the
/// upper bound (on the logarithms when `LADSPA_HINT_LOGARITHMIC` is set).
pub const LADSPA_HINT_DEFAULT_LOW: LADSPA_PortRangeHintDescriptor = 0x80;
/// `LADSPA_HINT_DEFAULT_MIDDLE`: the default is half way between the bounds (on the logarithms
/// when `LADSPA_HINT_LOGARITHMIC` is set).
pub const LADSPA_HINT_DEFAULT_MIDDLE: LADSPA_PortRangeHintDescriptor = 0xC0;
/// `LADSPA_HINT_DEFAULT_HIGH`: the default is three quarters of the way from the lower bound to
/// the upper bound (on the logarithms when `LADSPA_HINT_LOGARITHMIC` is set).
pub const LADSPA_HINT_DEFAULT_HIGH: LADSPA_PortRangeHintDescriptor = 0x100;
/// `LADSPA_HINT_DEFAULT_MAXIMUM`: the default is the upper bound.
pub const LADSPA_HINT_DEFAULT_MAXIMUM: LADSPA_PortRangeHintDescriptor = 0x140;
/// `LADSPA_HINT_DEFAULT_0`: the default is 0.
pub const LADSPA_HINT_DEFAULT_0: LADSPA_PortRangeHintDescriptor = 0x200;
/// `LADSPA_HINT_DEFAULT_1`: the default is 1.
pub const LADSPA_HINT_DEFAULT_1: LADSPA_PortRangeHintDescriptor = 0x240;
/// `LADSPA_HINT_DEFAULT_100`: the default is 100.
pub const LADSPA_HINT_DEFAULT_100: LADSPA_PortRangeHintDescriptor = 0x280;
/// `LADSPA_HINT_DEFAULT_440`: the default is 440 (concert A).
pub const LADSPA_HINT_DEFAULT_440: LADSPA_PortRangeHintDescriptor = 0x2C0;

/// `LADSPA_IS_HINT_BOUNDED_BELOW(x)`.
pub const fn LADSPA_IS_HINT_BOUNDED_BELOW(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_BOUNDED_BELOW != 0
}
/// `LADSPA_IS_HINT_BOUNDED_ABOVE(x)`.
pub const fn LADSPA_IS_HINT_BOUNDED_ABOVE(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_BOUNDED_ABOVE != 0
}
/// `LADSPA_IS_HINT_TOGGLED(x)`.
pub const fn LADSPA_IS_HINT_TOGGLED(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_TOGGLED != 0
}
/// `LADSPA_IS_HINT_SAMPLE_RATE(x)`.
pub const fn LADSPA_IS_HINT_SAMPLE_RATE(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_SAMPLE_RATE != 0
}
/// `LADSPA_IS_HINT_LOGARITHMIC(x)`.
pub const fn LADSPA_IS_HINT_LOGARITHMIC(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_LOGARITHMIC != 0
}
/// `LADSPA_IS_HINT_INTEGER(x)`.
pub const fn LADSPA_IS_HINT_INTEGER(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_INTEGER != 0
}
/// `LADSPA_IS_HINT_HAS_DEFAULT(x)`.
pub const fn LADSPA_IS_HINT_HAS_DEFAULT(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK != 0
}
/// `LADSPA_IS_HINT_DEFAULT_MINIMUM(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_MINIMUM(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_MINIMUM
}
/// `LADSPA_IS_HINT_DEFAULT_LOW(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_LOW(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_LOW
}
/// `LADSPA_IS_HINT_DEFAULT_MIDDLE(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_MIDDLE(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_MIDDLE
}
/// `LADSPA_IS_HINT_DEFAULT_HIGH(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_HIGH(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_HIGH
}
/// `LADSPA_IS_HINT_DEFAULT_MAXIMUM(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_MAXIMUM(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_MAXIMUM
}
/// `LADSPA_IS_HINT_DEFAULT_0(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_0(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_0
}
/// `LADSPA_IS_HINT_DEFAULT_1(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_1(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_1
}
/// `LADSPA_IS_HINT_DEFAULT_100(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_100(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_100
}
/// `LADSPA_IS_HINT_DEFAULT_440(x)`.
pub const fn LADSPA_IS_HINT_DEFAULT_440(x: LADSPA_PortRangeHintDescriptor) -> bool {
    x & LADSPA_HINT_DEFAULT_MASK == LADSPA_HINT_DEFAULT_440
}

/// `struct _LADSPA_PortRangeHint`: the range hint of one port.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LADSPA_PortRangeHint {
    /// The OR of `LADSPA_HINT_*` flags and one default kind.
    pub HintDescriptor: LADSPA_PortRangeHintDescriptor,
    /// The lower bound, meaningful with `LADSPA_HINT_BOUNDED_BELOW` (times the sample rate with
    /// `LADSPA_HINT_SAMPLE_RATE`).
    pub LowerBound: LADSPA_Data,
    /// The upper bound, meaningful with `LADSPA_HINT_BOUNDED_ABOVE` (times the sample rate with
    /// `LADSPA_HINT_SAMPLE_RATE`).
    pub UpperBound: LADSPA_Data,
}

/// `LADSPA_Handle`: an opaque pointer to one plugin instance, made by `instantiate`.
pub type LADSPA_Handle = *mut c_void;

/// `struct _LADSPA_Descriptor`: one plugin type, with its metadata and the functions that make
/// and drive its instances. The fields are those of the header, in its order.
#[repr(C)]
#[derive(Debug)]
pub struct LADSPA_Descriptor {
    /// A globally unique identifier of this plugin type (hosts may assume it below 0x1000000).
    pub UniqueID: c_ulong,
    /// A short identifier, without white space, unique within the plugin file.
    pub Label: *const c_char,
    /// The OR of `LADSPA_PROPERTY_*` flags.
    pub Properties: LADSPA_Properties,
    /// The name of the plugin type, for people.
    pub Name: *const c_char,
    /// The author (may be empty, never NULL per the specification).
    pub Maker: *const c_char,
    /// The copyright or licence ("None" when there is none).
    pub Copyright: *const c_char,
    /// The number of ports, the length of the three port arrays.
    pub PortCount: c_ulong,
    /// `PortCount` port descriptors.
    pub PortDescriptors: *const LADSPA_PortDescriptor,
    /// `PortCount` NUL-terminated port names.
    pub PortNames: *const *const c_char,
    /// `PortCount` range hints.
    pub PortRangeHints: *const LADSPA_PortRangeHint,
    /// For the plugin's own use; hosts must not touch it.
    pub ImplementationData: *mut c_void,
    /// Makes an instance for a sample rate; returns NULL on failure. Required.
    pub instantiate: Option<
        unsafe extern "C" fn(
            Descriptor: *const LADSPA_Descriptor,
            SampleRate: c_ulong,
        ) -> LADSPA_Handle,
    >,
    /// Connects port `Port` of an instance to a buffer (audio) or a single value (control).
    /// Required.
    pub connect_port: Option<
        unsafe extern "C" fn(
            Instance: LADSPA_Handle,
            Port: c_ulong,
            DataLocation: *mut LADSPA_Data,
        ),
    >,
    /// Resets the instance's state before `run` is called. Optional (NULL allowed).
    pub activate: Option<unsafe extern "C" fn(Instance: LADSPA_Handle)>,
    /// Processes `SampleCount` samples, writing the output ports. Required.
    pub run: Option<unsafe extern "C" fn(Instance: LADSPA_Handle, SampleCount: c_ulong)>,
    /// Processes `SampleCount` samples, adding the output (times the gain) to what the output
    /// buffers hold. Optional, together with `set_run_adding_gain`.
    pub run_adding: Option<unsafe extern "C" fn(Instance: LADSPA_Handle, SampleCount: c_ulong)>,
    /// Sets the gain that `run_adding` applies. Optional, together with `run_adding`.
    pub set_run_adding_gain:
        Option<unsafe extern "C" fn(Instance: LADSPA_Handle, Gain: LADSPA_Data)>,
    /// The counterpart of `activate`. Optional (NULL allowed).
    pub deactivate: Option<unsafe extern "C" fn(Instance: LADSPA_Handle)>,
    /// Frees the instance; it must not be used afterwards. Required.
    pub cleanup: Option<unsafe extern "C" fn(Instance: LADSPA_Handle)>,
}

/// `LADSPA_Descriptor_Function`: the type of the `ladspa_descriptor` symbol that every plugin
/// file exports. Called with 0, 1, 2, … it returns each plugin type of the file, then NULL.
pub type LADSPA_Descriptor_Function =
    Option<unsafe extern "C" fn(Index: c_ulong) -> *const LADSPA_Descriptor>;

/// The name of the symbol every plugin file exports, as a C string: `"ladspa_descriptor"`.
pub const LADSPA_DESCRIPTOR_SYMBOL: &CStr = c"ladspa_descriptor";
