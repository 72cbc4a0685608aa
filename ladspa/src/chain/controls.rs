//! A stage's controls: set and read by stage and port, on every replica at once, from the
//! chain's thread or, through [`StageControls`], from any other.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::error::ChainError;
use super::state::Chain;
use crate::handle::Controls;
use crate::port_error::PortError;
use crate::port_ref::PortRef;

impl Chain {
    /// Sets control input `port` (by index or name, as [`Handle::set_control`]) of stage
    /// `stage`, on every instance of the stage (each replica of a mono plugin), at once: it
    /// applies from the next run on. Call it before and between runs; for changes within a run
    /// see [`Chain::process_automated`]. Between runs, by index, it allocates nothing and takes
    /// no lock (resolve names once with [`Chain::control_index`]).
    ///
    /// A control set before the stage's instances are activated (before the chain's first run
    /// or [`Chain::activate`], or after [`Chain::reset`]) reaches the plugin's `activate`:
    /// swh's delay lines size their buffer from their "Max Delay" there.
    ///
    /// [`Handle::set_control`]: crate::Handle::set_control
    pub fn set_control(
        &mut self,
        stage: usize,
        port: impl PortRef,
        value: f32,
    ) -> Result<(), ChainError> {
        let index = self.control_index(stage, port)?;
        let (fresh, max_delay) = (self.fresh, self.max_delay());
        let target = self.stage_mut(stage)?;
        for handle in target.instances_mut() {
            handle
                .set_control(index, value)
                .map_err(|source| ChainError::Port { stage, source })?;
        }
        if fresh {
            // The latency may follow the control (a look-ahead): size the bypass delay for it.
            target.size_delay(max_delay);
        }
        Ok(())
    }

    /// The value of control port `port` (input or output, by index or name) of stage `stage`,
    /// as its first instance holds it (control inputs are the same in every replica; outputs,
    /// such as meters, are each replica's own: see [`Stage::instances`](super::Stage::instances)).
    pub fn control(&self, stage: usize, port: impl PortRef) -> Result<f32, ChainError> {
        let handle = &self.stage(stage)?.instances()[0];
        handle
            .control(port)
            .map_err(|source| ChainError::Port { stage, source })
    }

    /// The index of control input `port` (by index or name) of stage `stage`, to name it by
    /// index on the real-time thread and in [`ControlChange`](super::ControlChange)s.
    pub fn control_index(&self, stage: usize, port: impl PortRef) -> Result<usize, ChainError> {
        let descriptor = self.stage(stage)?.descriptor();
        descriptor
            .control_input(port)
            .map(|port| port.index())
            .map_err(|source| ChainError::Port { stage, source })
    }

    /// Thread-safe access to stage `stage`'s controls, for every replica at once: another
    /// thread sets control inputs and reads outputs through it while the chain runs (atomics,
    /// applied at the start of each instance's next run; see [`Controls`]). Allocates the
    /// shared slots on first use: call it before the chain goes to the audio thread.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let mut chain = ladspa_host::Chain::new(2, 48_000, 64)?.with(plugin.find_label("tp_amp_mono")?)?;
    /// let knobs = chain.controls(0)?;
    /// std::thread::spawn(move || knobs.set("Gain", 0.25)).join().unwrap()?;
    /// let mut out = [[0.0_f32; 4]; 2];
    /// chain.process(4, &[[1.0; 4], [2.0; 4]], &mut out)?;
    /// assert_eq!(out, [[0.25; 4], [0.5; 4]]); // both replicas
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn controls(&mut self, stage: usize) -> Result<StageControls, ChainError> {
        let target = self.stage_mut(stage)?;
        let replicas = target
            .instances_mut()
            .iter_mut()
            .map(|handle| handle.controls())
            .collect();
        Ok(StageControls {
            replicas,
            stage,
            bypass: Arc::clone(target.bypass_request()),
            bypass_refused: (!target.can_bypass()).then(|| Box::new(target.bypass_error(stage))),
        })
    }
}

/// The [`Controls`] of every instance of one stage: setting a control input sets it in each.
/// Cheap to clone, `Send` and `Sync`; made by [`Chain::controls`].
#[derive(Debug, Clone)]
pub struct StageControls {
    replicas: Vec<Controls>,
    stage: usize,
    /// The stage's bypass request, which the run path follows.
    bypass: Arc<AtomicBool>,
    /// Why the stage cannot be bypassed, if it cannot.
    bypass_refused: Option<Box<ChainError>>,
}

impl StageControls {
    /// Sets control input `port` (by index or name) in every instance of the stage; applied
    /// at each one's next run. Allocates nothing by index.
    pub fn set(&self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        let first = &self.replicas[0];
        let index = first.descriptor().control_input(port)?.index();
        for replica in &self.replicas {
            replica.set(index, value)?;
        }
        Ok(())
    }

    /// The value of control port `port` as the first instance last published it (an output
    /// after its last run, or the latest value set for an input).
    pub fn get(&self, port: impl PortRef) -> Result<f32, PortError> {
        self.replicas[0].get(port)
    }

    /// Bypasses the stage (or brings it back) from its next block on, crossfading over that
    /// block between the plugin's output and the stage's input (delayed by the stage's latency,
    /// so that the timing does not move) so that the switch does not click. An atomic flag:
    /// no allocation, no lock, from any thread, while the chain runs. A stage that changes the
    /// number of channels cannot be bypassed ([`ChainError::BypassChangesChannels`]).
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let mut chain = ladspa_host::Chain::new(1, 48_000, 4)?.with(plugin.find_label("tp_amp_mono")?)?;
    /// chain.set_control(0, "Gain", 0.0)?;
    /// let stage = chain.controls(0)?;
    /// std::thread::spawn(move || stage.set_bypass(true)).join().unwrap()?;
    /// let mut out = [[0.0_f32; 8]];
    /// chain.process(8, &[[1.0; 8]], &mut out)?;
    /// assert_eq!(out[0], [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0]); // a fade, then the input
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_bypass(&self, on: bool) -> Result<(), ChainError> {
        match &self.bypass_refused {
            Some(error) if on => Err(error.as_ref().clone()),
            _ => {
                self.bypass.store(on, Ordering::Relaxed);
                Ok(())
            }
        }
    }

    /// Whether the stage is asked to be bypassed (the run path follows at its next block).
    pub fn bypass(&self) -> bool {
        self.bypass.load(Ordering::Relaxed)
    }

    /// The stage's number in its chain.
    pub fn stage(&self) -> usize {
        self.stage
    }

    /// The [`Controls`] of each instance, in channel order for a replicated stage (to read
    /// each replica's meters).
    pub fn replicas(&self) -> &[Controls] {
        &self.replicas
    }
}
