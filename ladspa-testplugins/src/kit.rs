//! What the plugin files share: port tables, `'static` descriptors, and the generic
//! `extern "C"` functions that drive a [`Plugin`] state type.
//!
//! A plugin file declares its [`Counters`] with [`export_counters!`](crate::export_counters),
//! a [`PortTable`] and a [`StaticDescriptor`] per plugin type (made with [`descriptor()`]), and
//! exports them with [`export_descriptors!`](crate::export_descriptors):
//!
//! ```
//! use ladspa_testplugins::kit::*;
//! ladspa_testplugins::export_counters!(COUNTERS);
//! static PORTS: PortTable<3> = PortTable::new([
//!     Port::control_in(c"Gain", LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_1, 0.0, 0.0),
//!     Port::audio_in(c"Input"),
//!     Port::audio_out(c"Output"),
//! ]);
//! static AMP: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
//!     Info { unique_id: 7001, label: c"tp_amp_mono", name: c"Amp", properties: 0 },
//!     &PORTS,
//!     &COUNTERS,
//! ));
//! ladspa_testplugins::export_descriptors!(&AMP);
//! ```
//!
//! Instances are `Box<Instance<P>>` turned into the `LADSPA_Handle`. The generic functions
//! bump the file's counters (which the descriptor carries in its `ImplementationData`) and
//! hand the plugin an [`Io`] in `run`, through which it reads and writes the connected buffers
//! one sample at a time through raw pointers: no Rust slice is ever made of a host buffer, so
//! an input and an output sharing one buffer (in-place processing) is well defined, and `run`
//! never allocates.

use core::ffi::{CStr, c_char, c_ulong, c_void};
use core::ptr;

pub use ladspa_host_sys::*;

use crate::Counters;

/// The `Maker` of every plugin of this package.
pub const MAKER: &CStr = c"ladspa-rs test plugins";
/// The `Copyright` of every plugin of this package.
pub const COPYRIGHT: &CStr = c"None";

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

/// The state of one instance of a plugin type.
pub trait Plugin: Sized + 'static {
    /// A new instance for `sample_rate` (never 0), or `None` to make `instantiate` return
    /// NULL. Allocation belongs here, not in `run`.
    fn new(sample_rate: c_ulong) -> Option<Self>;

    /// Resets the state before a series of runs.
    fn activate(&mut self) {}

    /// Called by `activate` right after [`Plugin::activate`], with the ports as they are
    /// connected (for 0 samples: control ports only), for plugins that read their controls
    /// there, as real ones do (swh's delays size their buffers from a control). The default
    /// does nothing.
    fn activated(&mut self, controls: &Io<'_>) {
        let _ = controls;
    }

    /// The counterpart of `activate`.
    fn deactivate(&mut self) {}

    /// Processes `io.len()` samples, writing the outputs.
    fn run(&mut self, io: &Io<'_>);

    /// Processes `io.len()` samples, adding the outputs times `gain` to the output buffers.
    /// Only called when the descriptor was made [`with_run_adding()`]; the default does
    /// nothing.
    fn run_adding(&mut self, io: &Io<'_>, gain: LADSPA_Data) {
        let _ = (io, gain);
    }
}

/// What a `LADSPA_Handle` of this module points to.
pub struct Instance<P> {
    counters: &'static Counters,
    ports: Vec<*mut LADSPA_Data>,
    adding_gain: LADSPA_Data,
    plugin: P,
}

/// The connected buffers of one call of `run` or `run_adding`, with safe sample access.
///
/// Every access goes through the raw pointer the host connected, so an input and an output
/// that share memory are fine. Out-of-range samples panic (which aborts, across `extern "C"`);
/// unconnected (NULL) ports read as 0 and ignore writes.
pub struct Io<'a> {
    ports: &'a [*mut LADSPA_Data],
    len: usize,
    counters: &'static Counters,
}

impl<'a> Io<'a> {
    /// The buffers `ports` (indexed by port number) for a run of `len` samples.
    ///
    /// # Safety
    ///
    /// Every non-NULL pointer of `ports` must be valid for reads and writes of `len` samples
    /// when it is an audio port, of one value when it is a control port, for as long as the
    /// `Io` lives, and no other thread may access them meanwhile (the LADSPA contract of
    /// `connect_port` and `run`). The plugin must access control ports only through
    /// [`control()`](Self::control) and [`set_control()`](Self::set_control).
    pub unsafe fn new(
        ports: &'a [*mut LADSPA_Data],
        len: usize,
        counters: &'static Counters,
    ) -> Self {
        Self {
            ports,
            len,
            counters,
        }
    }

    /// The number of samples of this run.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether this run has no samples.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The counters of the plugin file.
    pub fn counters(&self) -> &'static Counters {
        self.counters
    }

    fn port(&self, port: usize) -> *mut LADSPA_Data {
        self.ports.get(port).copied().unwrap_or(ptr::null_mut())
    }

    /// The value of control port `port`.
    pub fn control(&self, port: usize) -> LADSPA_Data {
        let pointer = self.port(port);
        if pointer.is_null() {
            return 0.0;
        }
        // SAFETY: a non-NULL control port is valid for one value (`Io::new`).
        unsafe { pointer.read() }
    }

    /// Sets control output `port` to `value`.
    pub fn set_control(&self, port: usize, value: LADSPA_Data) {
        let pointer = self.port(port);
        if !pointer.is_null() {
            // SAFETY: a non-NULL control port is valid for one value (`Io::new`).
            unsafe { pointer.write(value) }
        }
    }

    fn sample(&self, port: usize, index: usize) -> *mut LADSPA_Data {
        assert!(index < self.len, "sample {index} of a run of {}", self.len);
        let pointer = self.port(port);
        if pointer.is_null() {
            return pointer;
        }
        // SAFETY: a non-NULL audio port is valid for `len` samples (`Io::new`) and
        // `index < len`, so the offset stays inside the buffer.
        unsafe { pointer.add(index) }
    }

    /// Sample `index` of audio port `port`.
    pub fn read(&self, port: usize, index: usize) -> LADSPA_Data {
        let pointer = self.sample(port, index);
        if pointer.is_null() {
            return 0.0;
        }
        // SAFETY: `sample` returned a pointer inside a buffer valid for reads (`Io::new`).
        unsafe { pointer.read() }
    }

    /// Sets sample `index` of audio port `port`.
    pub fn write(&self, port: usize, index: usize, value: LADSPA_Data) {
        let pointer = self.sample(port, index);
        if !pointer.is_null() {
            // SAFETY: `sample` returned a pointer inside a buffer valid for writes (`Io::new`).
            unsafe { pointer.write(value) }
        }
    }

    /// Adds `value` to sample `index` of audio port `port`.
    pub fn add(&self, port: usize, index: usize, value: LADSPA_Data) {
        let pointer = self.sample(port, index);
        if !pointer.is_null() {
            // SAFETY: `sample` returned a pointer inside a buffer valid for reads and writes
            // (`Io::new`).
            unsafe { pointer.write(pointer.read() + value) }
        }
    }

    /// Whether the buffers of audio ports `a` and `b` overlap in this run.
    pub fn overlap(&self, a: usize, b: usize) -> bool {
        let (a, b) = (self.port(a) as usize, self.port(b) as usize);
        if a == 0 || b == 0 || self.len == 0 {
            return false;
        }
        let bytes = self.len * size_of::<LADSPA_Data>();
        a < b + bytes && b < a + bytes
    }
}

/// The counters a descriptor of [`descriptor()`] carries.
///
/// # Safety
///
/// `descriptor` must be NULL or point to a descriptor made by [`descriptor()`] (or from one).
unsafe fn counters_of(descriptor: *const LADSPA_Descriptor) -> Option<&'static Counters> {
    // SAFETY: per the contract, `descriptor` is NULL or valid.
    let descriptor = unsafe { descriptor.as_ref() }?;
    // SAFETY: `descriptor()` stores a `&'static Counters` in `ImplementationData`.
    unsafe { (descriptor.ImplementationData as *const Counters).as_ref() }
}

/// `instantiate` of `P`: boxes `P::new(sample_rate)`, counting `instantiated` (or
/// `failed_instantiations` when it returns `None`).
///
/// # Safety
///
/// `descriptor` must be NULL or one made by [`descriptor()`] for `P`.
pub unsafe extern "C" fn instantiate<P: Plugin>(
    descriptor: *const LADSPA_Descriptor,
    sample_rate: c_ulong,
) -> LADSPA_Handle {
    // SAFETY: forwarded from this function's contract.
    let Some(counters) = (unsafe { counters_of(descriptor) }) else {
        return ptr::null_mut();
    };
    let Some(plugin) = P::new(sample_rate) else {
        Counters::bump(&counters.failed_instantiations);
        return ptr::null_mut();
    };
    // SAFETY: `counters_of` returned `Some`, so `descriptor` is valid.
    let port_count = unsafe { (*descriptor).PortCount };
    let port_count = usize::try_from(port_count)
        .unwrap_or(MAX_PORTS)
        .min(MAX_PORTS);
    let instance = Instance {
        counters,
        ports: vec![ptr::null_mut(); port_count],
        adding_gain: 1.0,
        plugin,
    };
    Counters::bump(&counters.instantiated);
    Box::into_raw(Box::new(instance)).cast()
}

/// The instance behind a handle.
///
/// # Safety
///
/// `handle` must come from [`instantiate::<P>`](instantiate), not be cleaned up, and not be in
/// use by another call.
unsafe fn instance<'a, P: Plugin>(handle: LADSPA_Handle) -> &'a mut Instance<P> {
    // SAFETY: per the contract, `handle` is a live, unshared `Box<Instance<P>>`.
    unsafe { &mut *handle.cast::<Instance<P>>() }
}

/// The ports of an instance as they are connected now, seen as the buffers of a run of `len`
/// samples, without counting a run.
///
/// This is for the hostile fixtures, which wrap the generic functions of this module and touch
/// their ports where the LADSPA specification does not let a plugin touch them (outside `run`,
/// or past the end of a run), as real plugins do. Call it after the generic function that the
/// wrapper forwards to has returned (or before it is called), never while it runs.
///
/// # Safety
///
/// As [`connect_port()`], and the connected buffers must be as [`Io::new`] requires for `len`
/// samples while the `Io` lives. Nothing in LADSPA promises that outside a run; a hostile
/// fixture calls this exactly where a host that defends itself makes it true, and crashes (or
/// corrupts memory) where it does not, which is what its tests look for.
pub unsafe fn connected<'a, P: Plugin>(handle: LADSPA_Handle, len: usize) -> Io<'a> {
    // SAFETY: forwarded from this function's contract.
    let instance: &'a Instance<P> = unsafe { instance::<P>(handle) };
    // SAFETY: the buffers are valid for `len` samples (this function's contract).
    unsafe { Io::new(&instance.ports, len, instance.counters) }
}

/// `connect_port` of `P`, counting `connections`: remembers the pointer (ports beyond the
/// descriptor's are ignored).
///
/// # Safety
///
/// `handle` must be a live instance of [`instantiate::<P>`](instantiate), used by no other call
/// at the same time.
pub unsafe extern "C" fn connect_port<P: Plugin>(
    handle: LADSPA_Handle,
    port: c_ulong,
    data: *mut LADSPA_Data,
) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.connections);
    if let Some(slot) = usize::try_from(port)
        .ok()
        .and_then(|port| instance.ports.get_mut(port))
    {
        *slot = data;
    }
}

/// `activate` of `P`, counting `activated`: [`Plugin::activate`], then [`Plugin::activated`]
/// with the control ports.
///
/// # Safety
///
/// As [`connect_port()`], and every connected control port must point to a value that no
/// other thread uses meanwhile (LADSPA lets `activate` read controls, and hosts connect them
/// first).
pub unsafe extern "C" fn activate<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.activated);
    instance.plugin.activate();
    // SAFETY: connected control ports point to a value (this function's contract); a run of 0
    // samples touches no audio sample.
    let controls = unsafe { Io::new(&instance.ports, 0, instance.counters) };
    instance.plugin.activated(&controls);
}

/// `deactivate` of `P`, counting `deactivated`.
///
/// # Safety
///
/// As [`connect_port()`].
pub unsafe extern "C" fn deactivate<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.deactivated);
    instance.plugin.deactivate();
}

/// `run` of `P`, counting `runs`.
///
/// # Safety
///
/// As [`connect_port()`], and every port must be connected to a buffer valid for
/// `sample_count` samples (one value for a control port) that no other thread uses meanwhile.
pub unsafe extern "C" fn run<P: Plugin>(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.runs);
    let len = usize::try_from(sample_count).unwrap_or(usize::MAX);
    // SAFETY: the connected buffers are valid for `len` samples (this function's contract).
    let io = unsafe { Io::new(&instance.ports, len, instance.counters) };
    instance.plugin.run(&io);
}

/// `run_adding` of `P`, counting `run_addings`, with the gain of the last
/// `set_run_adding_gain` (1 after `instantiate`).
///
/// # Safety
///
/// As [`run()`].
pub unsafe extern "C" fn run_adding<P: Plugin>(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.run_addings);
    let len = usize::try_from(sample_count).unwrap_or(usize::MAX);
    // SAFETY: the connected buffers are valid for `len` samples (this function's contract).
    let io = unsafe { Io::new(&instance.ports, len, instance.counters) };
    instance.plugin.run_adding(&io, instance.adding_gain);
}

/// `set_run_adding_gain` of `P`.
///
/// # Safety
///
/// As [`connect_port()`].
pub unsafe extern "C" fn set_run_adding_gain<P: Plugin>(handle: LADSPA_Handle, gain: LADSPA_Data) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    instance.adding_gain = gain;
}

/// `cleanup` of `P`: frees the instance, counting `cleaned_up`.
///
/// # Safety
///
/// `handle` must be a live instance of [`instantiate::<P>`](instantiate), used by no other call,
/// and is dangling afterwards.
pub unsafe extern "C" fn cleanup<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: per the contract, `handle` is the pointer of a live `Box<Instance<P>>` that
    // nothing else uses, so taking it back is the single owner freeing it.
    let instance = unsafe { Box::from_raw(handle.cast::<Instance<P>>()) };
    Counters::bump(&instance.counters.cleaned_up);
    drop(instance);
}

/// An amplifier of `CHANNELS` channels: port 0 is the gain (control input), then for each
/// channel an audio input and an audio output (ports `1 + 2c` and `2 + 2c`), output = input
/// times gain. Each sample is read before it is written, so in-place processing works.
/// `run_adding` adds input × gain × run-adding gain.
#[derive(Debug)]
pub struct Amp<const CHANNELS: usize>;

impl<const CHANNELS: usize> Plugin for Amp<CHANNELS> {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for channel in 0..CHANNELS {
            let (input, output) = (1 + 2 * channel, 2 + 2 * channel);
            for i in 0..io.len() {
                io.write(output, i, io.read(input, i) * gain);
            }
        }
    }

    fn run_adding(&mut self, io: &Io<'_>, adding_gain: LADSPA_Data) {
        let gain = io.control(0) * adding_gain;
        for channel in 0..CHANNELS {
            let (input, output) = (1 + 2 * channel, 2 + 2 * channel);
            for i in 0..io.len() {
                io.add(output, i, io.read(input, i) * gain);
            }
        }
    }
}

/// The ports of the mono [`Amp`]: 0 "Gain" (control input, bounded below by 0, logarithmic,
/// default 1), 1 "Input", 2 "Output".
pub const AMP_MONO_PORTS: [Port; 3] = [
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
];

/// The range hint of an amplifier's "Gain": bounded below (by 0), logarithmic, default 1.
pub const AMP_GAIN_HINT: LADSPA_PortRangeHintDescriptor =
    LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_1;

/// Exports the `Counters` of a plugin file: declares `static $name: Counters` and the
/// `ladspa_testplugins_counters` function that returns its address.
#[macro_export]
macro_rules! export_counters {
    ($name:ident) => {
        static $name: $crate::Counters = $crate::Counters::new();

        /// The accounting of this plugin file (see `ladspa_testplugins::counters`).
        #[unsafe(no_mangle)]
        pub extern "C" fn ladspa_testplugins_counters() -> *const $crate::Counters {
            &$name
        }
    };
}

/// Exports `ladspa_descriptor`, returning the given `&'static StaticDescriptor`s in order and
/// then NULL.
#[macro_export]
macro_rules! export_descriptors {
    ($($descriptor:expr),* $(,)?) => {
        /// The LADSPA entry point: the plugin types of this file by index, then NULL.
        #[unsafe(no_mangle)]
        pub extern "C" fn ladspa_descriptor(
            index: ::core::ffi::c_ulong,
        ) -> *const $crate::ladspa_host_sys::LADSPA_Descriptor {
            static ALL: &[&$crate::kit::StaticDescriptor] = &[$($descriptor),*];
            match usize::try_from(index).ok().and_then(|index| ALL.get(index)) {
                Some(descriptor) => descriptor.as_ptr(),
                None => ::core::ptr::null(),
            }
        }
    };
}
