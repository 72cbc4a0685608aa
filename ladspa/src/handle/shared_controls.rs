//! [`Controls`]: an instance's control ports, set and read from any thread while the instance
//! runs on another, without locks.
//!
//! Real hosts keep shadow values that a GUI thread writes and the audio thread copies into the
//! plugin's ports at the start of each block (Ardour), or pass changes through lock-free
//! queues (JACK Rack). Here each control port has one atomic slot holding its latest value; a
//! set marks the slot pending and raises a flag for the whole instance. At the start of a run
//! the handle looks at that flag (one load when nothing changed) and copies the pending values
//! into the plugin's port memory; after the run it publishes the control outputs into their
//! slots. A value is one atomic word, so no reader ever sees half of one, and the latest value
//! set wins: a queue is not needed, since a plugin only ever sees one value per run.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::{Handle, PortError, State};
use crate::descriptor::Descriptor;
use crate::port_memory::PortMemory;
use crate::port_ref::sealed::Key;
use crate::port_ref::{Need, PortRef};

/// The bit of a slot that marks its value as set but not yet applied to the plugin's port. The
/// value's bits are the low 32.
const PENDING: u64 = 1 << 32;

/// The position recorded for ports that are not control inputs.
const NOT_INPUT: u32 = u32::MAX;

/// A handle to the control ports of one instance that any thread can use while the instance
/// runs on another: `Send`, `Sync` and `Clone` (clones share the same ports).
///
/// Get one with [`Handle::controls`]. [`Controls::set`] changes a control input; the change
/// reaches the plugin at the start of its next run ([`Handle::run`], `run_adding`,
/// `run_in_place` or a [`BoundRun`](crate::BoundRun)), and only the latest value set before that
/// run does. [`Controls::get`] reads a control output as the last run left it (meters, a
/// latency), or the latest value set for an input.
///
/// Setting takes no lock and allocates nothing (naming a port by name is a scan of the port
/// names; resolve it once with [`Descriptor::control_input`] and set by index on a real-time
/// thread). A run with nothing changed pays one atomic load, and one atomic store per control
/// output; a changed control costs a few nanoseconds.
///
/// # `Controls::set` and `Handle::set_control` on one instance
/// They set the same port, and the later one wins. A [`Handle::set_control`] (or
/// [`Handle::set_control_clamped`], or [`Handle::copy_controls_from`]) takes effect at once and
/// supersedes a `Controls::set` of that port not yet applied; a `Controls::set` made after it
/// is applied at the next run and supersedes it. [`Handle::control`] says what the plugin sees
/// now; `Controls::get` the latest value set.
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// # // SAFETY: the test plugins are trusted.
/// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// let amp = plugin.find_label("tp_amp_mono")?;
/// let mut handle = amp.instantiate(48_000)?.activate();
/// let controls = handle.controls();
/// std::thread::spawn(move || controls.set("Gain", 0.25)).join().unwrap()?;
/// let mut output = [0.0_f32; 4];
/// handle.run(4, &[[1.0_f32; 4]], &mut [&mut output])?; // the change is applied here
/// assert_eq!(output, [0.25; 4]);
/// # Ok::<(), ladspa_host::Error>(())
/// ```
#[derive(Clone)]
pub struct Controls {
    slots: Arc<ControlSlots>,
}

/// The shared state of [`Controls`], which the handle holds too.
pub(super) struct ControlSlots {
    /// For the lookup of ports by name and for errors.
    descriptor: Descriptor,
    /// One slot per port (those of audio ports unused): the value's bits, and [`PENDING`].
    slots: Box<[AtomicU64]>,
    /// The indices of the control inputs, which a run applies.
    inputs: Box<[usize]>,
    /// For each port, its position in `inputs`, or `NOT_INPUT`: what `Controls::set` by index
    /// looks up, and the bit of `hints` it raises.
    input_position: Box<[u32]>,
    /// One bit per control input (bit `k % 64` of word `k / 64` for `inputs[k]`), raised by a
    /// set: which slots a run has to look at, so that a change of one control costs one
    /// slot, not a scan of them all. A raised bit is a hint; the slot's [`PENDING`] says.
    hints: Box<[AtomicU64]>,
    /// The indices of the control outputs, which a run publishes.
    outputs: Box<[usize]>,
    /// Whether any slot may be pending: the one thing a run looks at when nothing changed.
    changed: AtomicBool,
}

impl ControlSlots {
    /// Slots holding the values of `memory` now, nothing pending.
    fn new(descriptor: &Descriptor, memory: &PortMemory) -> Self {
        let indices = |input: bool| {
            descriptor
                .ports()
                .filter(|port| port.is_control() && port.is_input() == input)
                .map(|port| port.index())
                .collect()
        };
        Self {
            descriptor: descriptor.clone(),
            slots: (0..descriptor.port_count())
                .map(|index| {
                    let is_control = descriptor.port(index).is_some_and(|port| port.is_control());
                    let value = if is_control { memory.get(index) } else { 0.0 };
                    AtomicU64::new(u64::from(value.to_bits()))
                })
                .collect(),
            input_position: {
                let mut position = vec![NOT_INPUT; descriptor.port_count()];
                let inputs = descriptor
                    .ports()
                    .filter(|p| p.is_control() && p.is_input());
                for (k, port) in inputs.enumerate() {
                    // At most `validation::MAX_PORTS` ports: the position fits.
                    position[port.index()] = k as u32;
                }
                position.into_boxed_slice()
            },
            hints: (0..descriptor.port_count().div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            inputs: indices(true),
            outputs: indices(false),
            changed: AtomicBool::new(false),
        }
    }

    fn value(&self, index: usize) -> f32 {
        f32::from_bits(self.slots[index].load(Ordering::Relaxed) as u32)
    }

    /// Records a value that the handle has just written into the port memory itself, so that
    /// it supersedes a pending value of that port.
    fn record_applied(&self, index: usize, value: f32) {
        self.slots[index].store(u64::from(value.to_bits()), Ordering::Relaxed);
    }

    /// Copies the pending control inputs into `memory`, before a run.
    #[inline(always)]
    fn apply(&self, memory: &mut PortMemory) {
        if self.changed.load(Ordering::Relaxed) {
            self.apply_changes(memory);
        }
    }

    #[inline(never)]
    fn apply_changes(&self, memory: &mut PortMemory) {
        // Clearing the flag first means a set that lands during this scan raises it again, and
        // the next run looks again; the Acquire pairs with the setters' Release, so every value
        // stored before the flag was raised is seen below.
        self.changed.swap(false, Ordering::Acquire);
        for (word, hints) in self.hints.iter().enumerate() {
            let mut raised = hints.swap(0, Ordering::Acquire);
            while raised != 0 {
                let bit = raised.trailing_zeros() as usize;
                raised &= raised - 1;
                let Some(&index) = self.inputs.get(word * 64 + bit) else {
                    break;
                };
                let slot = &self.slots[index];
                if slot.load(Ordering::Relaxed) & PENDING != 0 {
                    // Only this thread clears PENDING, so the bit is still set here; taking
                    // the value in the same atomic step as clearing it takes the latest one.
                    let latest = slot.fetch_and(!PENDING, Ordering::Acquire);
                    memory.set(index, f32::from_bits(latest as u32));
                }
            }
        }
    }

    /// Publishes the control outputs of `memory`, after a run.
    #[inline(always)]
    fn publish(&self, memory: &PortMemory) {
        for &index in &self.outputs {
            self.record_applied(index, memory.get(index));
        }
    }
}

impl Controls {
    /// Sets a control input, by index, name or [`Port`](crate::Port) (see [`PortRef`]), with
    /// the errors of [`Handle::set_control`]: a port that is not a control input, or a value
    /// that is NaN or infinite. The plugin sees it from its next run on, unless another value
    /// is set before then.
    pub fn set(&self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        // The common case on a real-time or GUI thread, a finite value for a control input
        // named by index, skips the general lookup.
        if let Key::Index(index) = port.key() {
            let position = self.slots.input_position.get(index).copied();
            if position.is_some_and(|position| position != NOT_INPUT) && value.is_finite() {
                self.store_pending(index, value);
                return Ok(());
            }
        }
        let descriptor = &self.slots.descriptor;
        let index = descriptor.find_control(&port, Need::ControlInput)?.index();
        if !value.is_finite() {
            return Err(PortError::NotFinite {
                descriptor: descriptor.clone(),
                index,
                value,
            });
        }
        self.store_pending(index, value);
        Ok(())
    }

    /// Stores a checked value for control input `index`, to be applied at the next run.
    fn store_pending(&self, index: usize, value: f32) {
        let slots = &*self.slots;
        slots.slots[index].store(u64::from(value.to_bits()) | PENDING, Ordering::Release);
        // The slot first, then its hint, then the flag: a run that sees the flag (Acquire)
        // sees the hint, and one that sees the hint sees the slot.
        let position = slots.input_position[index] as usize;
        slots.hints[position / 64].fetch_or(1 << (position % 64), Ordering::Release);
        slots.changed.store(true, Ordering::Release);
    }

    /// The value of a control port: for an output, what the plugin wrote in the last run (0
    /// before the first); for an input, the latest value set, whether or not a run has applied
    /// it yet. Errors as for [`Handle::control`].
    pub fn get(&self, port: impl PortRef) -> Result<f32, PortError> {
        let index = self
            .slots
            .descriptor
            .find_control(&port, Need::Control)?
            .index();
        Ok(self.slots.value(index))
    }

    /// The plugin type of the instance.
    pub fn descriptor(&self) -> &Descriptor {
        &self.slots.descriptor
    }
}

impl fmt::Debug for Controls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for port in self.descriptor().ports().filter(|port| port.is_control()) {
            map.entry(&port.name(), &self.slots.value(port.index()));
        }
        map.finish()
    }
}

impl<S: State> Handle<S> {
    /// The instance's [`Controls`], through which other threads set its control inputs and
    /// read its control outputs while it runs. The first call allocates the shared slots (make
    /// it before handing the handle to a real-time thread); later calls give clones of the
    /// same `Controls`.
    pub fn controls(&mut self) -> Controls {
        let slots = self.controls.get_or_insert_with(|| {
            Arc::new(ControlSlots::new(&self.descriptor, &self.port_memory))
        });
        let controls = Controls {
            slots: Arc::clone(slots),
        };
        self.update_plain_runs();
        controls
    }

    /// Records whether runs are the plugin's call alone (see the field `plain_runs`).
    pub(super) fn update_plain_runs(&mut self) {
        self.plain_runs = self.controls.is_none() && !self.flush_denormals;
    }

    /// Writes a control input's value into the port memory, and into the shared slots if there
    /// are any, superseding a pending [`Controls::set`] of that port.
    pub(super) fn write_control(&mut self, index: usize, value: f32) {
        self.port_memory.set(index, value);
        if let Some(slots) = &self.controls {
            slots.record_applied(index, value);
        }
    }

    /// Applies the pending [`Controls`] changes before a run.
    #[inline(always)]
    pub(super) fn apply_shared_controls(&mut self) {
        if let Some(slots) = &self.controls {
            slots.apply(&mut self.port_memory);
        }
    }

    /// Publishes the control outputs to the [`Controls`] after a run.
    #[inline(always)]
    pub(super) fn publish_shared_controls(&self) {
        if let Some(slots) = &self.controls {
            slots.publish(&self.port_memory);
        }
    }
}
