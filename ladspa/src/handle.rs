//! Instances of a plugin type: their lifecycle in the types, their ports, and running them.

use std::ffi::c_ulong;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::ptr::NonNull;

use crate::descriptor::{Descriptor, Functions};
use crate::port::{Direction, Port, PortKind};
use crate::port_memory::PortMemory;
use crate::properties::Properties;

/// Samples of handle-owned scratch memory behind each audio port until the caller's buffers are
/// connected for the first run, so that no port ever points at NULL or garbage.
pub const SCRATCH_SAMPLES: usize = 256;

/// Why a plugin type could not be instantiated.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum InstantiateError {
    /// `instantiate` returned NULL.
    #[error("{} ({label}): instantiate() at {sample_rate} Hz returned NULL", file.display())]
    Failed {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The sample rate asked for.
        sample_rate: u32,
    },
    /// A sample rate of 0 was asked for (plugins divide by it).
    #[error("{} ({label}): a sample rate of 0 Hz cannot be instantiated", file.display())]
    ZeroSampleRate {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
    },
}

/// Why a port could not be read or set.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// No port has this index or name.
    #[error("{} ({label}): no port {port}", file.display())]
    NoSuchPort {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The index or name asked for.
        port: String,
    },
    /// The port is not a control port.
    #[error("{} ({label}): port {index} ({name}) is an audio port, not a control port", file.display())]
    NotControl {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The port's index.
        index: usize,
        /// The port's name.
        name: String,
    },
    /// The port is an output, which only the plugin sets.
    #[error("{} ({label}): port {index} ({name}) is an output; only the plugin sets it", file.display())]
    NotInput {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The port's index.
        index: usize,
        /// The port's name.
        name: String,
    },
}

/// Why a run was refused (nothing was run).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The number of buffers is not the number of audio ports of that direction.
    #[error("{} ({label}): {given} {direction:?} buffers given for {expected} audio {direction:?} ports", file.display())]
    BufferCount {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// Input or output.
        direction: Direction,
        /// How many buffers were given.
        given: usize,
        /// How many audio ports of that direction the plugin has.
        expected: usize,
    },
    /// A buffer is shorter than the number of samples to run.
    #[error("{} ({label}): the buffer for port {port} holds {len} samples, fewer than the {sample_count} to run", file.display())]
    BufferTooShort {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The port's index.
        port: usize,
        /// The buffer's length.
        len: usize,
        /// The number of samples to run.
        sample_count: usize,
    },
    /// `run_adding` or `set_run_adding_gain` was asked of a plugin that has none.
    #[error("{} ({label}) has no run_adding()", file.display())]
    NoRunAdding {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
    },
    /// In-place processing was asked of a plugin that is `INPLACE_BROKEN`.
    #[error("{} ({label}) is INPLACE_BROKEN: its inputs and outputs must not share buffers", file.display())]
    InPlaceBroken {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
    },
    /// In-place processing was asked of a plugin whose audio inputs and outputs differ in
    /// number, so they cannot be paired.
    #[error("{} ({label}): in-place processing pairs audio inputs with outputs, but it has {inputs} inputs and {outputs} outputs", file.display())]
    InPlaceUnpaired {
        /// The plugin file.
        file: PathBuf,
        /// The plugin type's label.
        label: String,
        /// The number of audio inputs.
        inputs: usize,
        /// The number of audio outputs.
        outputs: usize,
    },
}

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
    /// The index of the port this names, if the descriptor has it.
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
///   audio port to handle-owned scratch memory;
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
    /// One value per port (audio ports' slots are unused): the plugin holds pointers into it
    /// from instantiation on.
    controls: PortMemory,
    /// [`SCRATCH_SAMPLES`] per audio port, behind them until the first run connects the
    /// caller's buffers.
    scratch: PortMemory,
    /// The address each audio port is connected to now, so that a run skips `connect_port` for
    /// ports whose buffer has not moved.
    connected: Box<[*mut f32]>,
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
    /// default is set to 0 clamped into its bounds. Controls are connected before anything
    /// else, since some plugins read them in `activate`.
    pub fn instantiate(&self, sample_rate: u32) -> Result<Handle, InstantiateError> {
        let shared = &self.shared;
        if sample_rate == 0 {
            return Err(InstantiateError::ZeroSampleRate {
                file: self.path().to_owned(),
                label: self.label().to_string(),
            });
        }
        // SAFETY: `raw` is a validated descriptor of a loaded file, `instantiate` its own
        // function (validated non-NULL), called as the specification defines.
        let raw = unsafe {
            (shared.functions.instantiate)(shared.raw.as_ptr(), c_ulong::from(sample_rate))
        };
        let Some(raw) = NonNull::new(raw) else {
            return Err(InstantiateError::Failed {
                file: self.path().to_owned(),
                label: self.label().to_string(),
                sample_rate,
            });
        };
        let port_count = shared.ports.len();
        let audio_ports = shared.layout.audio_inputs.len() + shared.layout.audio_outputs.len();
        // From here on the handle owns the instance: an early return cleans it up.
        let mut handle = Handle::<Inactive> {
            raw,
            functions: shared.functions,
            sample_rate,
            controls: PortMemory::new(port_count, 0.0),
            scratch: PortMemory::new(audio_ports * SCRATCH_SAMPLES, 0.0),
            connected: vec![std::ptr::null_mut(); port_count].into_boxed_slice(),
            descriptor: self.clone(),
            state: PhantomData,
        };
        let mut next_scratch = 0;
        for port in self.ports() {
            let index = port.index();
            let location = match port.kind() {
                PortKind::Control => {
                    let hint = port.hint();
                    let value = if port.is_input() {
                        hint.default_value(sample_rate)
                            .unwrap_or_else(|| hint.clamp(0.0, sample_rate))
                    } else {
                        0.0
                    };
                    handle.controls.set(index, value);
                    handle.controls.pointer(index)
                }
                PortKind::Audio => {
                    next_scratch += SCRATCH_SAMPLES;
                    handle.scratch.pointer(next_scratch - SCRATCH_SAMPLES)
                }
            };
            handle.connect(index as c_ulong, location);
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
        Ok(self.controls.get(index))
    }

    /// Sets a control input, by index or name. Values outside the port's hinted range are
    /// passed on as they are (hints are hints); see [`Handle::set_control_clamped`].
    pub fn set_control(&mut self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        let index = self.control_input(port)?.index();
        self.controls.set(index, value);
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
        self.controls.set(index, value);
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

    fn control_port(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        let found = port
            .find(&self.descriptor)
            .ok_or_else(|| PortError::NoSuchPort {
                file: self.descriptor.path().to_owned(),
                label: self.descriptor.label().to_string(),
                port: port.to_string(),
            })?;
        if !found.is_control() {
            return Err(PortError::NotControl {
                file: self.descriptor.path().to_owned(),
                label: self.descriptor.label().to_string(),
                index: found.index(),
                name: found.name().to_string(),
            });
        }
        Ok(found)
    }

    fn control_input(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        let found = self.control_port(port)?;
        if !found.is_input() {
            return Err(PortError::NotInput {
                file: self.descriptor.path().to_owned(),
                label: self.descriptor.label().to_string(),
                index: found.index(),
                name: found.name().to_string(),
            });
        }
        Ok(found)
    }

    /// Connects `port` to `location` unless it is connected there already.
    #[inline]
    fn connect(&mut self, port: c_ulong, location: *mut f32) {
        connect(
            self.raw,
            &self.functions,
            &mut self.connected,
            port,
            location,
        );
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
                controls: std::ptr::read(&this.controls),
                scratch: std::ptr::read(&this.scratch),
                connected: std::ptr::read(&this.connected),
                descriptor: std::ptr::read(&this.descriptor),
                state: PhantomData,
            }
        }
    }

    #[cold]
    fn no_run_adding(&self) -> RunError {
        RunError::NoRunAdding {
            file: self.descriptor.path().to_owned(),
            label: self.descriptor.label().to_string(),
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
        // SAFETY: a live, active instance.
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
        unsafe { (self.functions.run)(self.raw.as_ptr(), sample_count as c_ulong) };
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
        unsafe { (run_adding.run_adding)(self.raw.as_ptr(), sample_count as c_ulong) };
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
        let descriptor = &self.descriptor;
        if descriptor.properties().contains(Properties::INPLACE_BROKEN) {
            return Err(RunError::InPlaceBroken {
                file: descriptor.path().to_owned(),
                label: descriptor.label().to_string(),
            });
        }
        let layout = &descriptor.shared.layout;
        if layout.audio_inputs.len() != layout.audio_outputs.len() {
            return Err(RunError::InPlaceUnpaired {
                file: descriptor.path().to_owned(),
                label: descriptor.label().to_string(),
                inputs: layout.audio_inputs.len(),
                outputs: layout.audio_outputs.len(),
            });
        }
        self.check_buffers(
            Direction::Input,
            sample_count,
            buffers.iter().map(|b| b.len()),
        )?;
        let pairs = layout.audio_inputs.iter().zip(&layout.audio_outputs);
        for ((&input, &output), buffer) in pairs.zip(buffers.iter_mut()) {
            let location = buffer.as_mut_ptr();
            connect(
                self.raw,
                &self.functions,
                &mut self.connected,
                input,
                location,
            );
            connect(
                self.raw,
                &self.functions,
                &mut self.connected,
                output,
                location,
            );
        }
        // SAFETY: as in `run`; the plugin is not INPLACE_BROKEN, so it allows an input and an
        // output to share a buffer.
        unsafe { (self.functions.run)(self.raw.as_ptr(), sample_count as c_ulong) };
        Ok(())
    }

    /// Checks the buffers against the ports and the sample count, then connects them.
    #[inline]
    fn connect_buffers(
        &mut self,
        sample_count: usize,
        inputs: &[&[f32]],
        outputs: &mut [&mut [f32]],
    ) -> Result<(), RunError> {
        self.check_buffers(
            Direction::Input,
            sample_count,
            inputs.iter().map(|b| b.len()),
        )?;
        self.check_buffers(
            Direction::Output,
            sample_count,
            outputs.iter().map(|b| b.len()),
        )?;
        let layout = &self.descriptor.shared.layout;
        for (&port, buffer) in layout.audio_inputs.iter().zip(inputs) {
            // The plugin only reads input ports; LADSPA's `connect_port` takes `*mut` for both.
            connect(
                self.raw,
                &self.functions,
                &mut self.connected,
                port,
                buffer.as_ptr().cast_mut(),
            );
        }
        for (&port, buffer) in layout.audio_outputs.iter().zip(outputs) {
            connect(
                self.raw,
                &self.functions,
                &mut self.connected,
                port,
                buffer.as_mut_ptr(),
            );
        }
        Ok(())
    }

    #[inline]
    fn check_buffers(
        &self,
        direction: Direction,
        sample_count: usize,
        lengths: impl ExactSizeIterator<Item = usize>,
    ) -> Result<(), RunError> {
        let layout = &self.descriptor.shared.layout;
        let ports = match direction {
            Direction::Input => &layout.audio_inputs,
            Direction::Output => &layout.audio_outputs,
        };
        if lengths.len() != ports.len() {
            return Err(self.buffer_count_error(direction, lengths.len(), ports.len()));
        }
        for (&port, len) in ports.iter().zip(lengths) {
            if len < sample_count {
                return Err(self.too_short_error(port as usize, len, sample_count));
            }
        }
        Ok(())
    }

    #[cold]
    fn buffer_count_error(&self, direction: Direction, given: usize, expected: usize) -> RunError {
        RunError::BufferCount {
            file: self.descriptor.path().to_owned(),
            label: self.descriptor.label().to_string(),
            direction,
            given,
            expected,
        }
    }

    #[cold]
    fn too_short_error(&self, port: usize, len: usize, sample_count: usize) -> RunError {
        RunError::BufferTooShort {
            file: self.descriptor.path().to_owned(),
            label: self.descriptor.label().to_string(),
            port,
            len,
            sample_count,
        }
    }
}

/// Connects `port` of the instance `raw` to `location` unless `connected` says it is there
/// already. A free function so that callers can borrow the port layout while it runs.
#[inline]
fn connect(
    raw: NonNull<std::ffi::c_void>,
    functions: &Functions,
    connected: &mut [*mut f32],
    port: c_ulong,
    location: *mut f32,
) {
    let current = &mut connected[port as usize];
    if *current != location {
        // SAFETY: a live instance and a validated port index; `location` is handle-owned memory,
        // or a caller buffer long enough for the run about to be made, and the plugin
        // dereferences audio locations only during runs.
        unsafe { (functions.connect_port)(raw.as_ptr(), port, location) };
        *current = location;
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
