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

use super::control_slots::ControlSlots;
use super::lifecycle::Handle;
use super::state::State;
use crate::descriptor::Descriptor;
use crate::port_error::PortError;
use crate::port_ref::sealed::Key;
use crate::port_ref::{Need, PortRef};

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

impl Controls {
    /// Sets a control input, by index, name or [`Port`](crate::Port) (see [`PortRef`]), with
    /// the errors of [`Handle::set_control`]: a port that is not a control input, or a value
    /// that is NaN or infinite. The plugin sees it from its next run on, unless another value
    /// is set before then.
    pub fn set(&self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        // The common case on a real-time or GUI thread, a finite value for a control input
        // named by index, skips the general lookup.
        if let Key::Index(index) = port.key() {
            if self.slots.is_control_input(index) && value.is_finite() {
                self.slots.store_pending(index, value);
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
        self.slots.store_pending(index, value);
        Ok(())
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
