//! A [`Handle`]: one instance of a plugin type, its fields, and its lifecycle (instantiate,
//! activate, deactivate, cleanup), each lifecycle call made under the process-wide lock. The
//! other modules of `handle` add what a handle does in each state.

use std::ffi::c_ulong;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::Arc;

use super::audio::{AudioPorts, Instance};
use super::control_slots::ControlSlots;
use super::error::InstantiateError;
use super::state::{Active, Inactive, State};
use crate::descriptor::Descriptor;
use crate::fp_env;
use crate::functions::RunFunctions;
use crate::lifecycle_lock;
use crate::port_memory::PortMemory;

/// An activated handle.
pub type ActiveHandle = Handle<Active>;

/// An instance of a plugin type, in lifecycle state `S`.
///
/// The types enforce the LADSPA lifecycle:
/// - [`Descriptor::instantiate`] gives an inactive `Handle` (that is, `Handle<Inactive>`), with
///   every control port already connected to handle-owned storage set to its initial value,
///   and every audio port to host memory until a run connects the caller's buffers;
/// - [`Handle::activate`] consumes it and calls the plugin's `activate` (if it has one) to give
///   a `Handle<Active>`, the only state with `run`; [`Handle::deactivate`] goes back, and a
///   deactivate–activate cycle resets the plugin's state;
/// - dropping a handle calls `deactivate` if it is active, then `cleanup`, exactly once.
///
/// A handle keeps its plugin type, and so its plugin file, alive.
///
/// The compiler holds these rules. An inactive handle cannot run:
///
/// ```compile_fail,E0599
/// # fn demo(descriptor: &ladspa_host::Descriptor) -> Result<(), ladspa_host::Error> {
/// let mut handle = descriptor.instantiate(44100)?;
/// handle.run(0, &ladspa_host::NO_BUFFERS, &mut [[0.0; 0]])?; // no `run` on Handle<Inactive>: activate first
/// # Ok(()) }
/// ```
///
/// and a handle that was deactivated (or activated) is gone: its old state cannot be used:
///
/// ```compile_fail,E0382
/// # fn demo(descriptor: &ladspa_host::Descriptor) -> Result<(), ladspa_host::Error> {
/// let mut active = descriptor.instantiate(44100)?.activate();
/// let inactive = active.deactivate();
/// active.run(0, &ladspa_host::NO_BUFFERS, &mut [[0.0; 0]])?; // `active` was moved by deactivate()
/// # Ok(()) }
/// ```
///
/// # Where the plugin's pointers point
/// A plugin keeps the pointers `connect_port` gave it, and some touch them outside `run`. So
/// the caller's buffers are connected only for a run with samples: before `activate`,
/// `deactivate` and `cleanup`, and for a run of 0 samples, every audio input points at
/// process-wide silence and every output at a discard buffer, each
/// [`HOST_BUFFER_SAMPLES`](crate::HOST_BUFFER_SAMPLES) long. A plugin never receives a pointer
/// to memory that is not the host's to give, and never writes into a caller's buffer outside
/// the run it was given for.
///
/// # Dropping
/// Dropping a handle deactivates an active instance, then cleans it up, exactly once. An
/// instance that was never activated is activated and deactivated first: LADSPA allows its
/// `cleanup` as it is, but eight of Debian's plugins (swh's IIR filters) crash in it then,
/// freeing state that only their `activate` builds, and making a handle only to look at it or
/// to give up must not take the process down.
///
/// # Thread-safety
/// A handle is `Send`: LADSPA ties no instance to the thread that made it (hosts commonly
/// instantiate on one thread and run on the audio thread). It is `Sync` too, because sharing
/// `&Handle` lets no two calls into the plugin happen at once: every call that reaches the
/// plugin takes `&mut self` or `self`, and the `&self` methods only read memory the handle owns
/// (so a `Handle` can travel in a `std::sync::mpsc::SendError` through `?` into error types
/// that demand `Send + Sync`). To set controls from another thread while the handle runs, use
/// [`Handle::controls`].
///
/// `instantiate`, `activate`, `deactivate` and dropping (`cleanup`) take a process-wide lock,
/// as hosts have always made them one thread at a time and real plugins depend on it (shared
/// FFTW plans, global tables). They are not real-time calls: make them off the audio thread.
/// The run calls take no lock and allocate nothing.
pub struct Handle<S: State = Inactive> {
    pub(super) raw: NonNull<std::ffi::c_void>,
    /// The functions runs call, copied out of the descriptor so that a run reaches them
    /// without going through it. The lifecycle functions are read from the descriptor: the
    /// handle stays small enough to be moved without a `memcpy` call.
    pub(super) functions: RunFunctions,
    pub(super) sample_rate: u32,
    /// The value of each control port, which the plugin holds pointers into from
    /// instantiation on (indexed by port; the slots of audio ports are unused).
    pub(super) port_memory: PortMemory,
    /// The audio ports and where each is connected now, so that a run skips `connect_port`
    /// for buffers that did not move.
    pub(super) audio: AudioPorts,
    /// Whether runs flush denormals to zero ([`Handle::set_flush_denormals`]).
    pub(super) flush_denormals: bool,
    /// The slots shared with [`Controls`], once [`Handle::controls`] made them.
    pub(super) controls: Option<Arc<ControlSlots>>,
    /// Whether a run is the plugin's call alone: no denormals to flush, no `Controls` to
    /// exchange. One test of it keeps the run path short when neither is in use.
    pub(super) plain_runs: bool,
    /// Whether the instance was ever activated: one that never was is activated (and
    /// deactivated) before its `cleanup` (see `Drop`).
    pub(super) ever_active: bool,
    /// Keeps the plugin type, and through it the plugin file, alive while the instance exists.
    pub(super) descriptor: Descriptor,
    state: PhantomData<S>,
}

// SAFETY: the raw pointers are the plugin's instance, the handle's own port memory, and
// addresses of caller buffers that are only dereferenced by the plugin during a run. LADSPA does
// not tie an instance to a thread, and every call into the plugin takes `&mut self` or `self`,
// so whichever thread holds the handle makes the only calls.
unsafe impl<S: State> Send for Handle<S> {}

// SAFETY: through `&Handle` no code can reach the plugin: every call into it (`connect_port`,
// the runs, `set_run_adding_gain`, the lifecycle calls) takes `&mut self` or `self`. The `&self`
// methods read the handle's own fields and its port memory, which the plugin writes only
// during those `&mut` calls, so concurrent `&self` readers never race with a write; the
// `Controls` slots they may touch are atomics.
unsafe impl<S: State> Sync for Handle<S> {}

impl Descriptor {
    /// Makes an instance at a sample rate (in Hz). The instance's control inputs start at their
    /// initial values at that rate ([`crate::RangeHint::initial_value`]: the default, or 0
    /// clamped into the bounds, always finite). Every port is connected before anything else
    /// happens, since some plugins read their controls in `activate`.
    ///
    /// Takes the process-wide lifecycle lock (see [`Handle`]'s thread-safety).
    pub fn instantiate(&self, sample_rate: u32) -> Result<Handle, InstantiateError> {
        if sample_rate == 0 {
            return Err(InstantiateError::ZeroSampleRate {
                descriptor: self.clone(),
            });
        }
        let shared = self.shared();
        let raw = lifecycle_lock::serialized(|| {
            fp_env::preserving(|| {
                // SAFETY: `raw` is a validated descriptor of a loaded file, `instantiate` its own
                // function (validated non-NULL), called as the specification defines.
                unsafe {
                    (shared.functions.instantiate)(shared.raw.as_ptr(), c_ulong::from(sample_rate))
                }
            })
        });
        let Some(raw) = NonNull::new(raw) else {
            return Err(InstantiateError::Failed {
                descriptor: self.clone(),
                sample_rate,
            });
        };
        // From here on the handle owns the instance: dropping it cleans the instance up.
        let mut handle = Handle::<Inactive> {
            raw,
            functions: RunFunctions::of(&shared.functions),
            sample_rate,
            port_memory: PortMemory::new(shared.ports.len(), 0.0),
            audio: AudioPorts::new(&shared.layout.audio_inputs, &shared.layout.audio_outputs),
            flush_denormals: false,
            controls: None,
            plain_runs: true,
            ever_active: false,
            descriptor: self.clone(),
            state: PhantomData,
        };
        fp_env::preserving(|| {
            for port in self.ports().filter(|port| port.is_control()) {
                if let Some(value) = port.initial_control_value(sample_rate) {
                    handle.port_memory.set(port.index(), value);
                }
                let location = handle.port_memory.pointer(port.index());
                // SAFETY: a live instance and a validated port index; the location is
                // handle-owned memory that lives as long as the instance.
                unsafe {
                    (handle.functions.connect_port)(raw.as_ptr(), port.index() as c_ulong, location)
                };
            }
            let (instance, audio) = handle.instance();
            audio.park(instance);
        });
        Ok(handle)
    }
}

impl<S: State> Handle<S> {
    /// The plugin type this is an instance of.
    pub fn descriptor(&self) -> &Descriptor {
        &self.descriptor
    }

    /// The sample rate the instance was made for.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Whether the instance is active.
    pub fn is_active(&self) -> bool {
        S::ACTIVE
    }

    /// Makes a lifecycle call (`activate`, `deactivate`, `cleanup`): audio ports are moved to
    /// host memory first, and the call is made under the process-wide lock, with the caller's
    /// floating-point environment restored afterwards.
    pub(super) fn lifecycle_call(&mut self, call: impl FnOnce(NonNull<std::ffi::c_void>)) {
        let raw = self.raw;
        fp_env::preserving(|| {
            let (instance, audio) = self.instance();
            audio.park(instance);
            lifecycle_lock::serialized(|| call(raw));
        });
    }

    /// # Safety
    /// The instance must be active, and must not be run again before it is activated.
    unsafe fn call_deactivate(&mut self) {
        if let Some(deactivate) = self.descriptor.shared().functions.deactivate {
            self.lifecycle_call(|raw| {
                // SAFETY: the caller guarantees that the instance is active.
                unsafe { deactivate(raw.as_ptr()) }
            });
        }
    }

    /// # Safety
    /// The instance must be inactive, and be treated as active afterwards.
    unsafe fn call_activate(&mut self) {
        if let Some(activate) = self.descriptor.shared().functions.activate {
            self.lifecycle_call(|raw| {
                // SAFETY: a live, inactive instance (the caller's promise) with every port
                // connected: the state in which the specification allows `activate`.
                unsafe { activate(raw.as_ptr()) }
            });
        }
    }

    /// Moves the instance into another state without dropping it.
    fn into_state<T: State>(self) -> Handle<T> {
        let this = ManuallyDrop::new(self);
        // SAFETY: every field is read exactly once out of `this`, which is never dropped, so
        // each is moved, not duplicated.
        unsafe {
            Handle {
                raw: this.raw,
                functions: this.functions,
                sample_rate: this.sample_rate,
                port_memory: std::ptr::read(&this.port_memory),
                audio: std::ptr::read(&this.audio),
                flush_denormals: this.flush_denormals,
                controls: std::ptr::read(&this.controls),
                plain_runs: this.plain_runs,
                ever_active: this.ever_active,
                descriptor: std::ptr::read(&this.descriptor),
                state: PhantomData,
            }
        }
    }

    /// What connecting a port needs, borrowed apart from the audio ports.
    #[inline]
    pub(super) fn instance(&mut self) -> (Instance<'_>, &mut AudioPorts) {
        (
            Instance {
                raw: self.raw,
                functions: &self.functions,
            },
            &mut self.audio,
        )
    }
}

impl Handle<Inactive> {
    /// Activates the instance: calls the plugin's `activate` if it has one. Controls keep their
    /// values and connections. Takes the process-wide lifecycle lock.
    pub fn activate(mut self) -> Handle<Active> {
        // SAFETY: a live, inactive instance, which `into_state` makes active.
        unsafe { self.call_activate() };
        self.ever_active = true;
        self.into_state()
    }
}

impl Handle<Active> {
    /// Deactivates the instance: calls the plugin's `deactivate` if it has one. Activating it
    /// again resets the plugin's state. Takes the process-wide lifecycle lock.
    pub fn deactivate(mut self) -> Handle<Inactive> {
        // SAFETY: a live, active instance, which `into_state` makes inactive.
        unsafe { self.call_deactivate() };
        self.into_state()
    }

    /// Resets the plugin's state in place: `deactivate` then `activate` (each if the plugin has
    /// it), as [`Handle::deactivate`] followed by [`Handle::activate`] would, without moving
    /// the handle. Controls keep their values; buffers, delay lines and filters start afresh
    /// (for a plugin that has neither function, nothing happens). Takes the process-wide
    /// lifecycle lock: not a call for a real-time thread.
    pub fn reset(&mut self) {
        // SAFETY: a live, active instance, activated again right below before any run.
        unsafe { self.call_deactivate() };
        // SAFETY: deactivated just above, so inactive.
        unsafe { self.call_activate() };
    }
}

impl<S: State> Drop for Handle<S> {
    /// Deactivates an active instance, then cleans it up; one that was never active is
    /// activated and deactivated first (see [`Handle`]'s "Dropping").
    fn drop(&mut self) {
        if S::ACTIVE {
            // SAFETY: the state says the instance is active; it is never run again.
            unsafe { self.call_deactivate() };
        } else if !self.ever_active {
            // SAFETY: a live instance that was never activated, so inactive; it is
            // deactivated right after, and never runs.
            unsafe { self.call_activate() };
            // SAFETY: activated just above.
            unsafe { self.call_deactivate() };
        }
        let cleanup = self.descriptor.shared().functions.cleanup;
        self.lifecycle_call(|raw| {
            // SAFETY: a live instance, deactivated if it was active, cleaned up exactly once:
            // here, as the handle is dropped (`into_state` moves instances without dropping
            // them).
            unsafe { cleanup(raw.as_ptr()) }
        });
    }
}

impl<S: State> fmt::Debug for Handle<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("label", &self.descriptor.label())
            .field("sample_rate", &self.sample_rate)
            .field("active", &S::ACTIVE)
            .finish_non_exhaustive()
    }
}
