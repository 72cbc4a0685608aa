//! The atomic slots behind [`Controls`](super::controls::Controls), which the handle holds
//! too: one per port, holding its latest value and whether it is pending, with the flags that
//! let a run with nothing changed pay one atomic load (see the `controls` module for the
//! design).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::descriptor::Descriptor;
use crate::port_memory::PortMemory;

/// The bit of a slot that marks its value as set but not yet applied to the plugin's port. The
/// value's bits are the low 32.
const PENDING: u64 = 1 << 32;

/// The position recorded for ports that are not control inputs.
const NOT_INPUT: u32 = u32::MAX;

/// The shared state of [`Controls`], which the handle holds too.
pub(super) struct ControlSlots {
    /// For the lookup of ports by name and for errors.
    pub(super) descriptor: Descriptor,
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
    pub(super) fn new(descriptor: &Descriptor, memory: &PortMemory) -> Self {
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

    pub(super) fn value(&self, index: usize) -> f32 {
        f32::from_bits(self.slots[index].load(Ordering::Relaxed) as u32)
    }

    /// Records a value that the handle has just written into the port memory itself, so that
    /// it supersedes a pending value of that port.
    pub(super) fn record_applied(&self, index: usize, value: f32) {
        self.slots[index].store(u64::from(value.to_bits()), Ordering::Relaxed);
    }

    /// Copies the pending control inputs into `memory`, before a run.
    #[inline(always)]
    pub(super) fn apply(&self, memory: &mut PortMemory) {
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
    pub(super) fn publish(&self, memory: &PortMemory) {
        for &index in &self.outputs {
            self.record_applied(index, memory.get(index));
        }
    }

    /// Whether port `index` is a control input (for an index a caller gave: any number).
    pub(super) fn is_control_input(&self, index: usize) -> bool {
        self.input_position
            .get(index)
            .is_some_and(|&position| position != NOT_INPUT)
    }

    /// Stores a checked value for control input `index`, to be applied at the next run.
    pub(super) fn store_pending(&self, index: usize, value: f32) {
        self.slots[index].store(u64::from(value.to_bits()) | PENDING, Ordering::Release);
        // The slot first, then its hint, then the flag: a run that sees the flag (Acquire)
        // sees the hint, and one that sees the hint sees the slot.
        let position = self.input_position[index] as usize;
        self.hints[position / 64].fetch_or(1 << (position % 64), Ordering::Release);
        self.changed.store(true, Ordering::Release);
    }
}
