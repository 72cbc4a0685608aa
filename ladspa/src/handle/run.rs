//! Running an instance: checking the caller's buffers, connecting them, calling the plugin.
//!
//! This is the real-time path: no allocation, no lock, no system call. A run costs the checks
//! of the buffers' number and lengths, a `connect_port` for each buffer that moved since the
//! last run, the save and restore of the floating-point control register around the plugin's
//! call, and the call itself.

use std::ffi::c_ulong;
use std::ptr;

use super::buffers::{Buffers, BuffersMut};
use super::error::RunError;
use super::lifecycle::Handle;
use super::state::{Active, State};
use crate::fp_env::{self, FpControl};
use crate::port_info::Direction;
use crate::properties::Properties;

/// No buffers, the empty list of [`Buffers`]: what `&[]` is, for a plugin without audio inputs
/// (`&NO_BUFFERS` and `&[]` are the same). For a plugin without audio outputs, write
/// `&mut []` (a mutable borrow of this constant would borrow a temporary copy, which the
/// compiler warns about).
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_sine");
/// # // SAFETY: the test plugins are trusted.
/// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// let sine = plugin.find_label("tp_sine")?; // no audio input, one output
/// let mut handle = sine.instantiate(48_000)?.activate();
/// let mut tone = vec![0.0_f32; 64];
/// handle.run(64, &[], &mut [&mut tone])?;
/// handle.run(64, &ladspa_host::NO_BUFFERS, &mut [&mut tone])?;
/// # Ok::<(), ladspa_host::Error>(())
/// ```
pub const NO_BUFFERS: [[f32; 0]; 0] = [];

pub(super) type RunFunction = unsafe extern "C" fn(ladspa_host_sys::LADSPA_Handle, c_ulong);

impl<S: State> Handle<S> {
    /// Sets the gain that `run_adding` applies to its output (LADSPA's default is 1).
    pub fn set_run_adding_gain(&mut self, gain: f32) -> Result<(), RunError> {
        let run_adding = self
            .functions
            .run_adding
            .ok_or_else(|| self.no_run_adding())?;
        let raw = self.raw;
        fp_env::preserving(|| {
            // SAFETY: a live instance and its plugin's own function; `&mut self` excludes other
            // calls.
            unsafe { (run_adding.set_run_adding_gain)(raw.as_ptr(), gain) }
        });
        Ok(())
    }

    #[cold]
    pub(super) fn no_run_adding(&self) -> RunError {
        RunError::NoRunAdding {
            descriptor: self.descriptor.clone(),
        }
    }
}

impl Handle<Active> {
    /// Runs the plugin for `sample_count` samples: `inputs` holds one buffer per audio input
    /// port and `outputs` one per audio output port, in port order. Every buffer must hold at
    /// least `sample_count` samples. The buffers are the caller's own (no copy is made), and
    /// `connect_port` is called only for ports whose buffer moved since the last run.
    ///
    /// A buffer is anything that gives a slice of samples (`AsRef<[f32]>` for inputs,
    /// `AsMut<[f32]>` for outputs): `&[f32]`, `&mut [f32]`, `Vec<f32>`, arrays, boxed slices, or
    /// references to them, so channel buffers kept as `Vec<Vec<f32>>` pass as they are, with no
    /// `Vec<&[f32]>` to build for each block:
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let stereo = plugin.find_label("tp_amp_stereo")?;
    /// let mut handle = stereo.instantiate(48_000)?.activate();
    /// let inputs: Vec<Vec<f32>> = vec![vec![0.5; 64]; 2];
    /// let mut outputs = [[0.0_f32; 64]; 2];
    /// handle.run(64, &inputs, &mut outputs)?;
    /// assert_eq!(outputs[1][63], 0.5); // gain 1, its default
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    ///
    /// A plugin without audio inputs takes `&[]`, one without audio outputs `&mut []` (the
    /// lists are [`Buffers`] and [`BuffersMut`], which the empty list is too): a meter runs as
    /// a user first writes it.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_meter");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let meter = plugin.find_label("tp_peak_meter")?; // one audio input, no audio output
    /// let mut handle = meter.instantiate(48_000)?.activate();
    /// let input = vec![0.5_f32; 64];
    /// handle.run(64, &[&input], &mut [])?;
    /// assert_eq!(handle.control("Peak")?, 0.5);
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    ///
    /// A run of 0 samples reaches the plugin (some compute their output controls, such as a
    /// latency, then) with every audio port on host memory, never on the caller's buffers,
    /// which may be empty: `handle.run(0, &[[0.0; 0]], &mut [[0.0; 0]])` is fine.
    ///
    /// Nothing is allocated and no lock is taken: this is fit for a real-time thread if the
    /// plugin is. Changes made through [`Controls`](crate::Controls) are applied to the
    /// plugin's control inputs just before it runs, and its control outputs published just
    /// after.
    ///
    /// The borrow checker guarantees that the plugin only ever sees live buffers, and that no
    /// buffer is both an input and an output (for that, see [`Handle::run_in_place`]):
    ///
    /// ```compile_fail,E0502
    /// # fn demo(handle: &mut ladspa_host::Handle<ladspa_host::Active>) {
    /// let mut buffer = vec![0.0_f32; 64];
    /// handle.run(64, &[&buffer], &mut [&mut buffer]); // cannot borrow as mutable and shared
    /// # }
    /// ```
    ///
    /// ```compile_fail,E0597
    /// # fn demo(handle: &mut ladspa_host::Handle<ladspa_host::Active>) {
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
    pub fn run<I: Buffers + ?Sized, O: BuffersMut + ?Sized>(
        &mut self,
        sample_count: usize,
        inputs: &I,
        outputs: &mut O,
    ) -> Result<(), RunError> {
        let saved =
            self.connect_buffers(sample_count, inputs.as_buffers(), outputs.as_buffers_mut())?;
        // SAFETY: an active instance whose every port is connected: controls to handle-owned
        // memory, audio ports to buffers of at least `sample_count` samples that stay borrowed
        // for the duration of the call (or to host memory, for 0 samples).
        unsafe { self.call(self.functions.run, sample_count, saved) };
        Ok(())
    }

    /// Like [`Handle::run`], but the plugin adds its output, times the gain set by
    /// [`Handle::set_run_adding_gain`], to what the output buffers hold. Refused with
    /// [`RunError::NoRunAdding`] for plugins without `run_adding`.
    #[inline]
    pub fn run_adding<I: Buffers + ?Sized, O: BuffersMut + ?Sized>(
        &mut self,
        sample_count: usize,
        inputs: &I,
        outputs: &mut O,
    ) -> Result<(), RunError> {
        let run_adding = self
            .functions
            .run_adding
            .ok_or_else(|| self.no_run_adding())?;
        let saved =
            self.connect_buffers(sample_count, inputs.as_buffers(), outputs.as_buffers_mut())?;
        // SAFETY: as in `run`.
        unsafe { self.call(run_adding.run_adding, sample_count, saved) };
        Ok(())
    }

    /// Runs the plugin in place: `buffers[k]` is both the `k`-th audio input (if the plugin
    /// has one) and the `k`-th audio output (if it has one), so there are as many buffers as
    /// the larger of the two counts, and each output's buffer holds that output afterwards.
    /// This is how the LADSPA SDK's `applyplugin` runs every plugin of its chain, whatever its
    /// counts: a plugin with one input and two outputs reads buffer 0 and writes buffers 0
    /// and 1; one with two inputs and one output reads buffers 0 and 1 and writes buffer 0
    /// (buffer 1 keeps its input). Buffers are of any type, as for [`Handle::run`]; every one
    /// must hold at least `sample_count` samples.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_fanout");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let split = plugin.find_label("tp_fanout_split")?; // 1 in: left = input, right = -input
    /// let mut handle = split.instantiate(48_000)?.activate();
    /// let mut buffers = [[0.5_f32; 64], [0.0; 64]]; // the input in buffer 0
    /// handle.run_in_place(64, &mut buffers)?;
    /// assert_eq!((buffers[0][63], buffers[1][63]), (0.5, -0.5));
    /// assert!(handle.run_in_place(64, &mut buffers[..1]).is_err()); // 2 buffers needed
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    ///
    /// Refused with [`RunError::InPlaceBroken`] for plugins that are `INPLACE_BROKEN` (the
    /// SDK's `applyplugin` refuses them too), and with [`RunError::InPlaceBufferCount`] for
    /// any other number of buffers. Allocates nothing.
    #[inline]
    pub fn run_in_place<B: AsMut<[f32]>>(
        &mut self,
        sample_count: usize,
        buffers: &mut [B],
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
        if buffers.len() != inputs.max(outputs) {
            return Err(self.in_place_error(sample_count, buffers));
        }
        let saved = FpControl::save();
        let (instance, audio) = self.instance();
        if sample_count == 0 {
            audio.park(instance);
        } else if audio
            .connect_in_place(instance, sample_count, buffers)
            .is_err()
        {
            saved.restore();
            return Err(self.in_place_error(sample_count, buffers));
        }
        // SAFETY: as in `run`; the plugin is not INPLACE_BROKEN, so it allows an input and an
        // output to share a buffer.
        unsafe { self.call(self.functions.run, sample_count, saved) };
        Ok(())
    }

    /// Checks the buffers' numbers, saves the floating-point control register (connecting
    /// calls into the plugin), then connects the buffers, checking their lengths, or host
    /// memory for a run of 0 samples.
    #[inline]
    fn connect_buffers<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        sample_count: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<FpControl, RunError> {
        if inputs.len() != self.audio.input_count() || outputs.len() != self.audio.output_count() {
            return Err(self.run_error(sample_count, inputs, outputs));
        }
        let saved = FpControl::save();
        let (instance, audio) = self.instance();
        if sample_count == 0 {
            audio.park(instance);
        } else if audio
            .connect(
                instance,
                // The plugin only reads input ports; LADSPA's `connect_port` takes `*mut` for
                // both.
                (inputs
                    .iter()
                    .map(|buffer| ptr::from_ref(buffer.as_ref()).cast_mut()))
                .chain(
                    outputs
                        .iter_mut()
                        .map(|buffer| ptr::from_mut(buffer.as_mut())),
                ),
                |_, len| len >= sample_count,
            )
            .is_err()
        {
            saved.restore();
            return Err(self.run_error(sample_count, inputs, outputs));
        }
        Ok(saved)
    }

    /// Calls the plugin's `run` or `run_adding`: applies pending [`Controls`](crate::Controls)
    /// changes, flushes denormals if asked to, calls the plugin, restores the floating-point
    /// control register as `saved` holds it (whatever the plugin did), and publishes the
    /// control outputs.
    ///
    /// # Safety
    /// `run` is the plugin's `run` or `run_adding`, and every port is connected to memory valid
    /// for `sample_count` samples.
    #[inline(always)]
    pub(super) unsafe fn call(&mut self, run: RunFunction, sample_count: usize, saved: FpControl) {
        if self.plain_runs {
            // SAFETY: the caller's contract; the instance is live and active.
            unsafe { run(self.raw.as_ptr(), sample_count as c_ulong) };
            saved.restore();
        } else {
            // SAFETY: the caller's contract.
            unsafe { self.call_with_extras(run, sample_count, saved) };
        }
    }

    /// [`call`](Self::call) when there is more to do than the plugin's call.
    ///
    /// # Safety
    /// As for `call`.
    #[inline(never)]
    unsafe fn call_with_extras(&mut self, run: RunFunction, sample_count: usize, saved: FpControl) {
        self.apply_shared_controls();
        if self.flush_denormals {
            saved.enter_flushing();
        }
        // SAFETY: the caller's contract; the instance is live and active.
        unsafe { run(self.raw.as_ptr(), sample_count as c_ulong) };
        saved.restore();
        self.publish_shared_controls();
    }

    /// What is wrong with these buffers for `run` or `run_adding`, known not to fit.
    #[cold]
    #[inline(never)]
    fn run_error<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &self,
        sample_count: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> RunError {
        let inputs = inputs.iter().map(|buffer| buffer.as_ref().len());
        let outputs = outputs.iter_mut().map(|buffer| buffer.as_mut().len());
        self.buffer_error(sample_count, inputs, outputs)
    }

    /// What is wrong with these buffers for `run_in_place`, known not to fit: too many or too
    /// few, or one too short, named by the first port connected to it (its input, if it
    /// has one). Allocates nothing.
    #[cold]
    #[inline(never)]
    fn in_place_error<B: AsMut<[f32]>>(&self, sample_count: usize, buffers: &mut [B]) -> RunError {
        let (inputs, outputs) = (self.audio.input_count(), self.audio.output_count());
        if buffers.len() != inputs.max(outputs) {
            return RunError::InPlaceBufferCount {
                descriptor: self.descriptor.clone(),
                given: buffers.len(),
                inputs,
                outputs,
            };
        }
        let k = buffers
            .iter_mut()
            .position(|buffer| buffer.as_mut().len() < sample_count)
            .expect("some buffer does not fit");
        // Buffer k is input k if there is one, else output k (inputs come first in run order).
        let run_order = if k < inputs { k } else { inputs + k };
        let port = self
            .audio
            .indices()
            .nth(run_order)
            .expect("a port of that buffer");
        RunError::BufferTooShort {
            descriptor: self.descriptor.clone(),
            port: port as usize,
            len: buffers[k].as_mut().len(),
            sample_count,
        }
    }

    /// What is wrong with buffers of these lengths, known not to fit. Allocates nothing.
    #[cold]
    #[inline(never)]
    pub(super) fn buffer_error(
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
