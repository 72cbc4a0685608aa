//! Instances of a plugin type: their lifecycle in the types, their ports, and running them.

mod audio;
mod denormals;
mod error;

use std::ffi::c_ulong;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

use crate::descriptor::{Descriptor, Functions};
use crate::port::{Direction, Port};
use crate::port_memory::PortMemory;
use crate::properties::Properties;
use audio::{AudioPorts, Instance};
pub use error::{InstantiateError, PortError, RunError};

mod sealed {
    pub trait Sealed {}
}

/// The lifecycle state of a [`Handle`]: [`Inactive`] or [`Active`].
pub trait State: sealed::Sealed {
    /// Whether the plugin's `activate` has been called (and `deactivate` not since).
    const ACTIVE: bool;
}

/// The state of a handle that has not been activated, or has been deactivated: its controls can
/// be set, but it cannot run.
#[derive(Debug)]
pub enum Inactive {}
/// The state of an activated handle: it can run.
#[derive(Debug)]
pub enum Active {}
impl sealed::Sealed for Inactive {}
impl sealed::Sealed for Active {}
impl State for Inactive {
    const ACTIVE: bool = false;
}
impl State for Active {
    const ACTIVE: bool = true;
}

/// An activated handle.
pub type ActiveHandle = Handle<Active>;

/// A port, by index (`usize`) or by name (`&str`).
pub trait PortRef: fmt::Display + Copy {
    /// The port this names, if the descriptor has it.
    fn find(self, descriptor: &Descriptor) -> Option<Port<'_>>;
}

impl PortRef for usize {
    fn find(self, descriptor: &Descriptor) -> Option<Port<'_>> {
        descriptor.port(self)
    }
}

impl PortRef for &str {
    fn find(self, descriptor: &Descriptor) -> Option<Port<'_>> {
        descriptor.port_by_name(self)
    }
}

/// An instance of a plugin type, in lifecycle state `S`.
///
/// The types enforce the LADSPA lifecycle:
/// - [`Descriptor::instantiate`] gives an inactive `Handle` (that is, `Handle<Inactive>`), with
///   every control port already connected to handle-owned storage set to its default, and every
///   audio port to handle-owned scratch memory until a run connects the caller's buffers;
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
/// # fn demo(descriptor: &ladspa::Descriptor) -> Result<(), ladspa::Error> {
/// let mut handle = descriptor.instantiate(44100)?;
/// handle.run(0, &[], &mut [])?; // no `run` on Handle<Inactive>: activate first
/// # Ok(()) }
/// ```
///
/// and a handle that was deactivated (or activated) is gone: its old state cannot be used:
///
/// ```compile_fail,E0382
/// # fn demo(descriptor: &ladspa::Descriptor) -> Result<(), ladspa::Error> {
/// let mut active = descriptor.instantiate(44100)?.activate();
/// let inactive = active.deactivate();
/// active.run(0, &[], &mut [])?; // `active` was moved by deactivate()
/// # Ok(()) }
/// ```
///
/// # Thread-safety
/// A handle is `Send`: LADSPA ties no instance to the thread that made it (hosts commonly
/// instantiate on one thread and run on the audio thread). It is not `Sync`: the specification
/// never allows two calls into one instance at once, and every call that reaches the plugin
/// takes `&mut self` or `self`.
pub struct Handle<S: State = Inactive> {
    raw: NonNull<std::ffi::c_void>,
    functions: Functions,
    sample_rate: u32,
    /// One value per port, which the plugin holds pointers into from instantiation on: the
    /// value of each control port, and one sample of scratch behind each audio port until a run
    /// connects the caller's buffers (audio ports are read and written only during runs).
    port_memory: PortMemory,
    /// The audio ports and where each is connected now, so that a run skips `connect_port`
    /// for buffers that did not move.
    audio: AudioPorts,
    /// Whether runs flush denormals to zero ([`Handle::set_flush_denormals`]).
    flush_denormals: bool,
    /// Keeps the plugin type, and through it the plugin file, alive while the instance exists.
    descriptor: Descriptor,
    state: PhantomData<S>,
}

// SAFETY: the raw pointers are the plugin's instance, the handle's own port memory, and
// addresses of caller buffers that are only dereferenced by the plugin during a run. LADSPA does
// not tie an instance to a thread, and `Handle` is not `Sync`, so one thread at a time uses it.
unsafe impl<S: State> Send for Handle<S> {}

impl Descriptor {
    /// Makes an instance at a sample rate (in Hz). The instance's control inputs are set to
    /// their defaults at that rate ([`crate::RangeHint::default_value`]); a control without a
    /// default is set to 0 clamped into its bounds. Every port is connected before anything
    /// else happens, since some plugins read their controls in `activate`.
    pub fn instantiate(&self, sample_rate: u32) -> Result<Handle, InstantiateError> {
        if sample_rate == 0 {
            return Err(InstantiateError::ZeroSampleRate {
                descriptor: self.clone(),
            });
        }
        let shared = &self.shared;
        // SAFETY: `raw` is a validated descriptor of a loaded file, `instantiate` its own
        // function (validated non-NULL), called as the specification defines.
        let raw = unsafe {
            (shared.functions.instantiate)(shared.raw.as_ptr(), c_ulong::from(sample_rate))
        };
        let Some(raw) = NonNull::new(raw) else {
            return Err(InstantiateError::Failed {
                descriptor: self.clone(),
                sample_rate,
            });
        };
        // From here on the handle owns the instance: dropping it cleans the instance up.
        let port_memory = PortMemory::new(shared.ports.len(), 0.0);
        let layout = &shared.layout;
        // Audio ports wait on their own slot of the port memory until a run connects them.
        let audio = AudioPorts::new(&layout.audio_inputs, &layout.audio_outputs, |index| {
            port_memory.pointer(index as usize)
        });
        let mut handle = Handle::<Inactive> {
            raw,
            functions: shared.functions,
            sample_rate,
            port_memory,
            audio,
            flush_denormals: false,
            descriptor: self.clone(),
            state: PhantomData,
        };
        for port in self.ports() {
            let hint = port.hint();
            if port.is_control() && port.is_input() {
                let value = hint
                    .default_value(sample_rate)
                    .unwrap_or_else(|| hint.clamp(0.0, sample_rate));
                handle.port_memory.set(port.index(), value);
            }
            let location = handle.port_memory.pointer(port.index());
            // SAFETY: a live instance and a validated port index; the location is handle-owned
            // memory that lives as long as the instance (audio ports read and write it only
            // during runs, and every run first connects the caller's buffers).
            unsafe {
                (handle.functions.connect_port)(raw.as_ptr(), port.index() as c_ulong, location)
            };
        }
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

    /// The value of a control port (input or output), by index or name. Output controls hold
    /// what the plugin wrote in the last run.
    pub fn control(&self, port: impl PortRef) -> Result<f32, PortError> {
        let index = self.control_port(port)?.index();
        Ok(self.port_memory.get(index))
    }

    /// Sets a control input, by index or name. Values outside the port's hinted range are
    /// passed on as they are (hints are hints); see [`Handle::set_control_clamped`].
    pub fn set_control(&mut self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        let index = self.control_input(port)?.index();
        self.port_memory.set(index, value);
        Ok(())
    }

    /// Sets a control input, clamped into its hinted bounds at the instance's sample rate;
    /// returns the value set.
    pub fn set_control_clamped(
        &mut self,
        port: impl PortRef,
        value: f32,
    ) -> Result<f32, PortError> {
        let port = self.control_input(port)?;
        let (index, value) = (port.index(), port.hint().clamp(value, self.sample_rate));
        self.port_memory.set(index, value);
        Ok(value)
    }

    /// Sets the gain that `run_adding` applies to its output (LADSPA's default is 1).
    pub fn set_run_adding_gain(&mut self, gain: f32) -> Result<(), RunError> {
        let run_adding = self
            .functions
            .run_adding
            .ok_or_else(|| self.no_run_adding())?;
        // SAFETY: a live instance and its plugin's own function; `&mut self` excludes other calls.
        unsafe { (run_adding.set_run_adding_gain)(self.raw.as_ptr(), gain) };
        Ok(())
    }

    /// Makes every run of this instance flush denormal numbers to zero (or stop doing so);
    /// returns whether the setting is in effect, which it is on x86-64 and AArch64.
    ///
    /// Denormals appear as a signal with feedback fades to silence, and operations on them are
    /// so slow on most CPUs that some plugins then run hundreds of times slower; plugin authors
    /// expect the host to flush them. When on, the CPU's flush-to-zero mode (x86-64: FTZ and
    /// DAZ; AArch64: FZ) is set for the plugin's `run` or `run_adding` call only and restored
    /// before it returns, so no other code sees it. It costs two register writes per run.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa::Plugin::load(&path) }?;
    /// # let amp = plugin.find_label("tp_amp_mono")?;
    /// let mut handle = amp.instantiate(48_000)?.activate();
    /// let tiny = [1e-39_f32]; // a denormal
    /// let mut out = [0.0_f32];
    /// handle.run(1, &[&tiny], &mut [&mut out])?;
    /// assert_eq!(out[0], 1e-39);
    /// if handle.set_flush_denormals(true) {
    ///     handle.run(1, &[&tiny], &mut [&mut out])?;
    ///     assert_eq!(out[0], 0.0);
    /// }
    /// # Ok::<(), ladspa::Error>(())
    /// ```
    pub fn set_flush_denormals(&mut self, on: bool) -> bool {
        self.flush_denormals = on && denormals::SUPPORTED;
        self.flush_denormals == on
    }

    /// Whether runs flush denormals to zero ([`Handle::set_flush_denormals`]).
    pub fn flushes_denormals(&self) -> bool {
        self.flush_denormals
    }

    fn control_port(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        let descriptor = &self.descriptor;
        let found = port.find(descriptor).ok_or_else(|| PortError::NoSuchPort {
            descriptor: descriptor.clone(),
            port: port.to_string(),
        })?;
        if !found.is_control() {
            return Err(PortError::NotControl {
                descriptor: descriptor.clone(),
                index: found.index(),
            });
        }
        Ok(found)
    }

    fn control_input(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        let found = self.control_port(port)?;
        if !found.is_input() {
            return Err(PortError::NotInput {
                descriptor: self.descriptor.clone(),
                index: found.index(),
            });
        }
        Ok(found)
    }

    /// # Safety
    /// The instance must be active, and must not be run again before it is activated.
    unsafe fn call_deactivate(&self) {
        if let Some(deactivate) = self.functions.deactivate {
            // SAFETY: the caller guarantees that the instance is active.
            unsafe { deactivate(self.raw.as_ptr()) };
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
                descriptor: std::ptr::read(&this.descriptor),
                state: PhantomData,
            }
        }
    }

    /// What connecting a port needs, borrowed apart from the audio ports.
    #[inline]
    fn instance(&mut self) -> (Instance<'_>, &mut AudioPorts) {
        (
            Instance {
                raw: self.raw,
                functions: &self.functions,
            },
            &mut self.audio,
        )
    }

    #[cold]
    fn no_run_adding(&self) -> RunError {
        RunError::NoRunAdding {
            descriptor: self.descriptor.clone(),
        }
    }
}

impl Handle<Inactive> {
    /// Activates the instance: calls the plugin's `activate` if it has one. Controls keep their
    /// values and connections.
    pub fn activate(self) -> Handle<Active> {
        if let Some(activate) = self.functions.activate {
            // SAFETY: a live, inactive instance with every port connected: the state in which
            // the specification allows `activate`.
            unsafe { activate(self.raw.as_ptr()) };
        }
        self.into_state()
    }
}

impl Handle<Active> {
    /// Deactivates the instance: calls the plugin's `deactivate` if it has one. Activating it
    /// again resets the plugin's state.
    pub fn deactivate(self) -> Handle<Inactive> {
        // SAFETY: a live, active instance, which `into_state` makes inactive.
        unsafe { self.call_deactivate() };
        self.into_state()
    }

    /// Runs the plugin for `sample_count` samples: `inputs` holds one buffer per audio input
    /// port and `outputs` one per audio output port, in port order. Every buffer must hold at
    /// least `sample_count` samples. The buffers are the caller's own (no copy is made), and
    /// `connect_port` is called only for ports whose buffer moved since the last run.
    ///
    /// Nothing is allocated: this is fit for a real-time thread if the plugin is.
    ///
    /// The borrow checker guarantees that the plugin only ever sees live buffers, and that no
    /// buffer is both an input and an output (for that, see [`Handle::run_in_place`]):
    ///
    /// ```compile_fail,E0502
    /// # fn demo(handle: &mut ladspa::Handle<ladspa::Active>) {
    /// let mut buffer = vec![0.0_f32; 64];
    /// handle.run(64, &[&buffer], &mut [&mut buffer]); // cannot borrow as mutable and shared
    /// # }
    /// ```
    ///
    /// ```compile_fail,E0597
    /// # fn demo(handle: &mut ladspa::Handle<ladspa::Active>) {
    /// let input;
    /// {
    ///     let samples = vec![0.0_f32; 64];
    ///     input = &samples[..]; // `samples` does not live long enough
    /// }
    /// let mut output = vec![0.0_f32; 64];
    /// handle.run(64, &[input], &mut [&mut output]);
    /// # }
    /// ```
    #[inline]
    pub fn run(
        &mut self,
        sample_count: usize,
        inputs: &[&[f32]],
        outputs: &mut [&mut [f32]],
    ) -> Result<(), RunError> {
        self.connect_buffers(sample_count, inputs, outputs)?;
        // SAFETY: an active instance whose every port is connected: controls to handle-owned
        // memory, audio ports to buffers of at least `sample_count` samples that stay borrowed
        // for the duration of the call.
        unsafe { self.call(self.functions.run, sample_count) };
        Ok(())
    }

    /// Like [`Handle::run`], but the plugin adds its output, times the gain set by
    /// [`Handle::set_run_adding_gain`], to what the output buffers hold. Refused with
    /// [`RunError::NoRunAdding`] for plugins without `run_adding`.
    #[inline]
    pub fn run_adding(
        &mut self,
        sample_count: usize,
        inputs: &[&[f32]],
        outputs: &mut [&mut [f32]],
    ) -> Result<(), RunError> {
        let run_adding = self
            .functions
            .run_adding
            .ok_or_else(|| self.no_run_adding())?;
        self.connect_buffers(sample_count, inputs, outputs)?;
        // SAFETY: as in `run`.
        unsafe { self.call(run_adding.run_adding, sample_count) };
        Ok(())
    }

    /// Runs the plugin in place: `buffers[k]` is both the `k`-th audio input and the `k`-th
    /// audio output, and holds the output afterwards. Refused with [`RunError::InPlaceBroken`]
    /// for plugins that are `INPLACE_BROKEN`, and with [`RunError::InPlaceUnpaired`] when the
    /// plugin's audio inputs and outputs differ in number.
    #[inline]
    pub fn run_in_place(
        &mut self,
        sample_count: usize,
        buffers: &mut [&mut [f32]],
    ) -> Result<(), RunError> {
        if self
            .descriptor
            .properties()
            .contains(Properties::INPLACE_BROKEN)
        {
            return Err(RunError::InPlaceBroken {
                descriptor: self.descriptor.clone(),
            });
        }
        let (inputs, outputs) = (self.audio.input_count(), self.audio.output_count());
        if inputs != outputs {
            return Err(RunError::InPlaceUnpaired {
                descriptor: self.descriptor.clone(),
                inputs,
                outputs,
            });
        }
        if buffers.len() != inputs || buffers.iter().any(|buffer| buffer.len() < sample_count) {
            let lengths = buffers.iter().map(|buffer| buffer.len());
            return Err(self.buffer_error(sample_count, lengths.clone(), lengths));
        }
        let (instance, audio) = self.instance();
        audio.connect_in_place(instance, buffers);
        // SAFETY: as in `run`; the plugin is not INPLACE_BROKEN, so it allows an input and an
        // output to share a buffer.
        unsafe { self.call(self.functions.run, sample_count) };
        Ok(())
    }

    /// Calls the plugin's `run` or `run_adding`, flushing denormals if asked to.
    ///
    /// # Safety
    /// `run` is the plugin's `run` or `run_adding`, and every port is connected to memory valid
    /// for `sample_count` samples.
    #[inline(always)]
    unsafe fn call(
        &mut self,
        run: unsafe extern "C" fn(ladspa_sys::LADSPA_Handle, c_ulong),
        sample_count: usize,
    ) {
        if self.flush_denormals {
            // SAFETY: the caller's contract.
            unsafe { self.call_flushing_denormals(run, sample_count) }
        } else {
            // SAFETY: the caller's contract.
            unsafe { run(self.raw.as_ptr(), sample_count as c_ulong) }
        }
    }

    /// [`Handle::call`] with denormals flushed: out of line, so that the usual path stays a
    /// flag test.
    ///
    /// # Safety
    /// As for [`Handle::call`].
    #[cold]
    #[inline(never)]
    unsafe fn call_flushing_denormals(
        &mut self,
        run: unsafe extern "C" fn(ladspa_sys::LADSPA_Handle, c_ulong),
        sample_count: usize,
    ) {
        // SAFETY: the caller's contract.
        unsafe {
            denormals::call_flushing_denormals(run, self.raw.as_ptr(), sample_count as c_ulong)
        }
    }

    /// Checks the buffers against the ports and the sample count, then connects them.
    #[inline]
    fn connect_buffers(
        &mut self,
        sample_count: usize,
        inputs: &[&[f32]],
        outputs: &mut [&mut [f32]],
    ) -> Result<(), RunError> {
        if !self.audio.fit(sample_count, inputs, outputs) {
            let inputs = inputs.iter().map(|buffer| buffer.len());
            return Err(self.buffer_error(
                sample_count,
                inputs,
                outputs.iter().map(|buffer| buffer.len()),
            ));
        }
        let (instance, audio) = self.instance();
        audio.connect(instance, inputs, outputs);
        Ok(())
    }

    /// What is wrong with buffers of these lengths, known not to fit. Allocates nothing.
    #[cold]
    #[inline(never)]
    fn buffer_error(
        &self,
        sample_count: usize,
        inputs: impl ExactSizeIterator<Item = usize>,
        outputs: impl ExactSizeIterator<Item = usize>,
    ) -> RunError {
        let descriptor = self.descriptor.clone();
        let counts = [
            (Direction::Input, inputs.len(), self.audio.input_count()),
            (Direction::Output, outputs.len(), self.audio.output_count()),
        ];
        if let Some((direction, given, expected)) = counts
            .into_iter()
            .find(|(_, given, expected)| given != expected)
        {
            return RunError::BufferCount {
                descriptor,
                direction,
                given,
                expected,
            };
        }
        let mut ports = self.audio.indices().zip(inputs.chain(outputs));
        let (port, len) = ports
            .find(|&(_, len)| len < sample_count)
            .expect("some buffer does not fit");
        RunError::BufferTooShort {
            descriptor,
            port: port as usize,
            len,
            sample_count,
        }
    }
}

impl<S: State> Drop for Handle<S> {
    fn drop(&mut self) {
        if S::ACTIVE {
            // SAFETY: the state says the instance is active; it is never run again.
            unsafe { self.call_deactivate() };
        }
        // SAFETY: a live instance, deactivated if it was active, cleaned up exactly once: here,
        // as the handle is dropped (`into_state` moves instances without dropping them).
        unsafe { (self.functions.cleanup)(self.raw.as_ptr()) };
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
