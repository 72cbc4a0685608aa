//! Bound buffers: a host that runs the same buffers every block connects and checks them once,
//! and each run then checks only its sample count.

use std::ffi::{c_ulong, c_void};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use super::buffers::BuffersMut;
use super::error::RunError;
use super::lifecycle::Handle;
use super::run::RunFunction;
use super::state::Active;
use crate::fp_env::{self, FpControl};
use crate::port_error::PortError;
use crate::port_ref::PortRef;

/// An active handle with buffers bound to its audio ports, made by [`Handle::bind`]: it runs
/// them with only the sample count checked, as fast as calling the plugin's `run` by hand.
///
/// The binding borrows the handle and the buffers for as long as it lives; the host fills the
/// inputs and reads the outputs between runs through [`input`](Self::input) and
/// [`output`](Self::output), which lend the bound memory itself.
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// # // SAFETY: the test plugins are trusted.
/// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// let amp = plugin.find_label("tp_amp_mono")?;
/// let mut handle = amp.instantiate(48_000)?;
/// handle.set_control("Gain", 2.0)?;
/// let mut handle = handle.activate();
/// let (mut inputs, mut outputs) = (vec![vec![0.0_f32; 64]], vec![vec![0.0_f32; 64]]);
/// let mut bound = handle.bind(&mut inputs, &mut outputs)?;
/// for block in 0..4 {
///     bound.input(0).unwrap().fill(block as f32);
///     bound.run(64)?; // only `64 <= 64` is checked
///     assert_eq!(bound.output(0).unwrap()[63], 2.0 * block as f32);
/// }
/// assert!(bound.run(65).is_err()); // longer than the buffers
/// # Ok::<(), ladspa_host::Error>(())
/// ```
///
/// The buffers stay borrowed while the binding lives, so none can be freed or used elsewhere
/// meanwhile, and none can be an input and an output at once:
///
/// ```compile_fail,E0499
/// # fn demo(handle: &mut ladspa_host::Handle<ladspa_host::Active>) -> Result<(), ladspa_host::RunError> {
/// let mut buffers = vec![vec![0.0_f32; 64]];
/// let mut bound = handle.bind(&mut buffers, &mut buffers)?; // two mutable borrows
/// bound.run(64)?;
/// # Ok(()) }
/// ```
///
/// ```compile_fail,E0505
/// # fn demo(handle: &mut ladspa_host::Handle<ladspa_host::Active>) -> Result<(), ladspa_host::RunError> {
/// let (mut inputs, mut outputs) = (vec![vec![0.0_f32; 64]], vec![vec![0.0_f32; 64]]);
/// let mut bound = handle.bind(&mut inputs, &mut outputs)?;
/// drop(inputs); // cannot move out of `inputs` while the binding borrows it
/// bound.run(64)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BoundRun<'h, 'b> {
    handle: &'h mut Handle<Active>,
    /// Copies of the handle's instance and `run`, so that the fast path reads nothing through
    /// the handle.
    raw: NonNull<c_void>,
    run: RunFunction,
    /// The length of the shortest bound buffer, and its port.
    capacity: usize,
    shortest_port: c_ulong,
    /// `capacity + 1` when a run needs nothing but the plugin's call (no [`Controls`] to
    /// exchange, no denormals to flush), else 0: one comparison of the sample count against it
    /// both checks the count and picks the fast path.
    ///
    /// [`Controls`]: crate::Controls
    fast_limit: usize,
    /// The floating-point control register as it was when the buffers were bound, which the
    /// fast path writes back after each run (saving it anew each run would cost an instruction
    /// that 1 % of a small plugin's run cannot afford). A binding is not `Send`, so it stays on
    /// the thread whose register this is.
    fp_control: FpControl,
    buffers: PhantomData<&'b mut [f32]>,
}

/// How many samples a binding's buffers hold, and the port of the shortest.
#[derive(Clone, Copy)]
struct Limit {
    capacity: usize,
    shortest_port: c_ulong,
}

/// The path of bound runs that need more than the plugin's call, or are refused. It takes the
/// binding's parts by value rather than the binding itself, so that the binding's address never
/// escapes the caller and its fields stay in registers across runs.
#[inline(never)]
fn run_checked(
    handle: &mut Handle<Active>,
    run: RunFunction,
    sample_count: usize,
    limit: Limit,
) -> Result<(), RunError> {
    if sample_count > limit.capacity {
        return Err(RunError::BufferTooShort {
            descriptor: handle.descriptor.clone(),
            port: limit.shortest_port as usize,
            len: limit.capacity,
            sample_count,
        });
    }
    let saved = FpControl::save();
    // SAFETY: as in `BoundRun::run`: the bound buffers hold at least `capacity` samples.
    unsafe { handle.call(run, sample_count, saved) };
    Ok(())
}

impl Handle<Active> {
    /// Binds buffers to the audio ports (`inputs` in audio input port order, `outputs` in
    /// audio output port order, of any buffer type as for [`Handle::run`]), checking their
    /// number and lengths once; every buffer must hold at least one sample. Runs of the
    /// [`BoundRun`] then take up to the shortest buffer's length.
    ///
    /// The buffers stay connected for every bound run, including runs of 0 samples (they are
    /// live and at least one sample long, so a plugin that touches the first sample then
    /// stays in them). Allocates nothing.
    pub fn bind<'h, 'b, I: BuffersMut + ?Sized, O: BuffersMut + ?Sized>(
        &'h mut self,
        inputs: &'b mut I,
        outputs: &'b mut O,
    ) -> Result<BoundRun<'h, 'b>, RunError> {
        let (inputs, outputs) = (inputs.as_buffers_mut(), outputs.as_buffers_mut());
        if inputs.len() != self.audio.input_count() || outputs.len() != self.audio.output_count() {
            let inputs = inputs.iter_mut().map(|buffer| buffer.as_mut().len());
            let outputs = outputs.iter_mut().map(|buffer| buffer.as_mut().len());
            return Err(self.buffer_error(1, inputs, outputs));
        }
        let (mut capacity, mut shortest_port) = (usize::MAX, 0);
        let (instance, audio) = self.instance();
        // Taken from `as_mut` for the inputs too, so that `BoundRun::input` may write them.
        let buffers = (inputs
            .iter_mut()
            .map(|buffer| ptr::from_mut(buffer.as_mut())))
        .chain(
            outputs
                .iter_mut()
                .map(|buffer| ptr::from_mut(buffer.as_mut())),
        );
        let connected = fp_env::preserving(|| {
            audio.connect(instance, buffers, |port, len| {
                if len < capacity {
                    (capacity, shortest_port) = (len, port);
                }
                len > 0
            })
        });
        if connected.is_err() {
            return Err(RunError::EmptyBoundBuffer {
                descriptor: self.descriptor.clone(),
                port: shortest_port as usize,
            });
        }
        // A plugin without audio ports has nothing to bound its runs.
        let capacity = capacity.min(isize::MAX as usize);
        Ok(BoundRun {
            raw: self.raw,
            run: self.functions.run,
            capacity,
            shortest_port,
            fast_limit: if self.plain_runs { capacity + 1 } else { 0 },
            fp_control: FpControl::save(),
            handle: self,
            buffers: PhantomData,
        })
    }
}

impl BoundRun<'_, '_> {
    /// Runs the plugin for `sample_count` samples on the bound buffers. Refused with
    /// [`RunError::BufferTooShort`] when `sample_count` exceeds the shortest buffer. As
    /// [`Handle::run`], it applies [`Controls`](crate::Controls) changes before the plugin's
    /// call and publishes its control outputs after, and flushes denormals if the handle does.
    /// No allocation, no lock.
    ///
    /// After the plugin's call the CPU's floating-point control register is written back, as
    /// after every call into a plugin; when the handle has no `Controls` and does not flush
    /// denormals, the value written back is the one saved by [`Handle::bind`] rather than
    /// before each run (that saves a costly instruction per run). Rust code leaves the
    /// register alone; a program that changes it itself while buffers are bound should bind
    /// them again.
    #[inline]
    pub fn run(&mut self, sample_count: usize) -> Result<(), RunError> {
        if sample_count < self.fast_limit {
            // SAFETY: an active instance (the handle's type) whose audio ports are connected
            // to the bound buffers, which the binding keeps borrowed and which hold at least
            // `capacity >= sample_count` samples; control ports point at the handle's memory.
            unsafe { (self.run)(self.raw.as_ptr(), sample_count as c_ulong) };
            self.fp_control.restore();
            Ok(())
        } else {
            run_checked(self.handle, self.run, sample_count, self.limit())
        }
    }

    /// Like [`BoundRun::run`], with the plugin's `run_adding` (see [`Handle::run_adding`]).
    pub fn run_adding(&mut self, sample_count: usize) -> Result<(), RunError> {
        let run_adding = self
            .handle
            .functions
            .run_adding
            .ok_or_else(|| self.handle.no_run_adding())?;
        run_checked(
            self.handle,
            run_adding.run_adding,
            sample_count,
            self.limit(),
        )
    }

    fn limit(&self) -> Limit {
        Limit {
            capacity: self.capacity,
            shortest_port: self.shortest_port,
        }
    }

    /// The most samples a run may take: the length of the shortest bound buffer.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The `k`-th bound input buffer (its first [`capacity`](Self::capacity) samples), to fill
    /// before a run.
    pub fn input(&mut self, k: usize) -> Option<&mut [f32]> {
        let index = (k < self.handle.audio.input_count()).then_some(k)?;
        // SAFETY: as in `buffer`; `&mut self` makes the slice the only access.
        Some(unsafe { &mut *self.buffer(index) })
    }

    /// The `k`-th bound output buffer (its first [`capacity`](Self::capacity) samples), as the
    /// last run left it.
    pub fn output(&self, k: usize) -> Option<&[f32]> {
        let index = self.output_index(k)?;
        // SAFETY: as in `buffer`; `&self` excludes runs and mutable access meanwhile.
        Some(unsafe { &*self.buffer(index) })
    }

    /// The `k`-th bound output buffer, mutably (to clear it before `run_adding`, say).
    pub fn output_mut(&mut self, k: usize) -> Option<&mut [f32]> {
        let index = self.output_index(k)?;
        // SAFETY: as in `buffer`; `&mut self` makes the slice the only access.
        Some(unsafe { &mut *self.buffer(index) })
    }

    fn output_index(&self, k: usize) -> Option<usize> {
        let audio = &self.handle.audio;
        (k < audio.output_count()).then(|| audio.input_count() + k)
    }

    /// The bound buffer of the `index`-th audio port in run order (which exists), as a raw
    /// slice of `capacity` samples.
    ///
    /// # Safety (of dereferencing it)
    /// The pointer is where `bind` connected the port: taken from the `&'b mut` slice of that
    /// buffer, which the binding keeps borrowed, and at least `capacity` long; the plugin only
    /// touches it during a run, which needs `&mut self`. The caller makes a reference no longer
    /// than its borrow of `self`, shared or mutable as that borrow is.
    fn buffer(&self, index: usize) -> *mut [f32] {
        let start = self
            .handle
            .audio
            .connected(index)
            .expect("a port of the binding");
        std::ptr::slice_from_raw_parts_mut(start, self.capacity)
    }

    /// Sets a control input at once, as [`Handle::set_control`].
    pub fn set_control(&mut self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        self.handle.set_control(port, value)
    }

    /// The handle, to read its controls and settings.
    pub fn handle(&self) -> &Handle<Active> {
        self.handle
    }
}
