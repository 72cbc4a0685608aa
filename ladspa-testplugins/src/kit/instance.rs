//! What a plugin type implements ([`Plugin`]), the instance the generic functions box for it
//! ([`Instance`]), and its view of the connected buffers during a run ([`Io`]).

use ladspa_host_sys::*;

use core::ffi::c_ulong;
use core::ptr;

use crate::counters::Counters;

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
    /// Only called when the descriptor was made [`with_run_adding()`](super::with_run_adding()); the default does
    /// nothing.
    fn run_adding(&mut self, io: &Io<'_>, gain: LADSPA_Data) {
        let _ = (io, gain);
    }
}

/// What a `LADSPA_Handle` of this module points to.
pub struct Instance<P> {
    pub(super) counters: &'static Counters,
    pub(super) ports: Vec<*mut LADSPA_Data>,
    pub(super) adding_gain: LADSPA_Data,
    pub(super) plugin: P,
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
