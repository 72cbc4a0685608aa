//! The control side of a running chain: control changes and bypass switches from any thread,
//! and rebuilding the chain at another sample rate, off the audio thread, handed over to it
//! between two callbacks (no gap, no lock there) and taken back to be dropped here.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::LiveError;
use super::monitor::Monitor;
use crate::chain::StageControls;
use crate::chain::{Chain, ChainError};
use crate::descriptor::Descriptor;
use crate::port_ref::PortRef;

/// How long a rebuild waits for the audio thread to take the new chain before it keeps it
/// queued (the old one is then dropped when the host stops).
const HANDOVER_TIMEOUT: Duration = Duration::from_secs(2);

/// What the control side knows of the running chain, behind one lock that only control-side
/// threads take.
#[derive(Debug)]
pub(super) struct Controller {
    state: Mutex<State>,
    /// The last rebuild that failed in JACK's sample-rate callback.
    failure: Mutex<Option<LiveError>>,
}

#[derive(Debug)]
struct State {
    /// The plugin types of the stages, in order.
    descriptors: Vec<Descriptor>,
    input_channels: usize,
    /// The running chain's controls, one per stage.
    stages: Vec<StageControls>,
    /// Rebuilt chains to the audio thread.
    outgoing: rtrb::Producer<Box<Chain>>,
    /// Replaced chains from the audio thread.
    retired: rtrb::Consumer<Box<Chain>>,
}

impl Controller {
    /// The control side of `chain`, with the queues to and from the audio thread.
    pub(super) fn new(
        chain: &mut Chain,
        outgoing: rtrb::Producer<Box<Chain>>,
        retired: rtrb::Consumer<Box<Chain>>,
    ) -> Result<Controller, ChainError> {
        let stages = (0..chain.stages().len())
            .map(|stage| chain.controls(stage))
            .collect::<Result<_, _>>()?;
        Ok(Controller {
            state: Mutex::new(State {
                descriptors: chain
                    .stages()
                    .iter()
                    .map(|s| s.descriptor().clone())
                    .collect(),
                input_channels: chain.input_channels(),
                stages,
                outgoing,
                retired,
            }),
            failure: Mutex::new(None),
        })
    }

    /// Keeps the error of a rebuild that no caller waited for.
    pub(super) fn record(&self, error: LiveError) {
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
    }

    /// The error of the last rebuild that failed in JACK's sample-rate callback, taken.
    pub(super) fn take_failure(&self) -> Option<LiveError> {
        self.failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held left nothing half-done that matters here.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on stage `stage`'s controls.
    fn with_stage<T>(
        &self,
        stage: usize,
        f: impl FnOnce(&StageControls) -> Result<T, ChainError>,
    ) -> Result<T, ChainError> {
        let state = self.lock();
        let stages = state.stages.len();
        let controls = state
            .stages
            .get(stage)
            .ok_or(ChainError::NoSuchStage { stage, stages })?;
        f(controls)
    }

    pub(super) fn set_control(
        &self,
        stage: usize,
        port: impl PortRef,
        value: f32,
    ) -> Result<(), ChainError> {
        self.with_stage(stage, |controls| {
            controls
                .set(port, value)
                .map_err(|source| ChainError::Port { stage, source })
        })
    }

    pub(super) fn control(&self, stage: usize, port: impl PortRef) -> Result<f32, ChainError> {
        self.with_stage(stage, |controls| {
            controls
                .get(port)
                .map_err(|source| ChainError::Port { stage, source })
        })
    }

    pub(super) fn set_bypass(&self, stage: usize, on: bool) -> Result<(), ChainError> {
        self.with_stage(stage, |controls| controls.set_bypass(on))
    }

    pub(super) fn bypass(&self, stage: usize) -> Result<bool, ChainError> {
        self.with_stage(stage, |controls| Ok(controls.bypass()))
    }

    /// Drops the chains the audio thread handed back.
    pub(super) fn collect(&self) {
        let mut state = self.lock();
        while let Ok(old) = state.retired.pop() {
            drop(old);
        }
    }

    /// Builds the chain anew at `rate` (the same plugins, their control inputs as they are
    /// now, the same bypasses), hands it to the audio thread, which swaps it in at the start of
    /// its next callback, and drops the old one here once it comes back. Control changes from
    /// other threads wait for the rebuild; the audio thread does not.
    pub(super) fn rebuild(
        &self,
        rate: u32,
        max_block: usize,
        monitor: &Monitor,
    ) -> Result<(), LiveError> {
        let mut state = self.lock();
        let (chain, stages) = build(&state, rate, max_block)?;
        while let Ok(old) = state.retired.pop() {
            drop(old);
        }
        let swaps = monitor.swaps();
        if state.outgoing.push(chain).is_err() {
            return Err(LiveError::RebuildPending { rate });
        }
        state.stages = stages;
        drop(state);
        let deadline = Instant::now() + HANDOVER_TIMEOUT;
        while monitor.swaps() == swaps && Instant::now() < deadline && !monitor.is_shut_down() {
            std::thread::sleep(Duration::from_millis(1));
        }
        self.collect();
        Ok(())
    }

    /// Builds the chain anew at `rate`, as [`Controller::rebuild`] does, for a host that is
    /// not running yet: controls go to the new chain from now on.
    pub(super) fn replace(&self, rate: u32, max_block: usize) -> Result<Box<Chain>, LiveError> {
        let mut state = self.lock();
        let (chain, stages) = build(&state, rate, max_block)?;
        state.stages = stages;
        Ok(chain)
    }
}

/// A chain of `state`'s plugins at `rate`, with the running chain's control inputs and
/// bypasses, its latency learned (a run of 0 samples), and its stages' controls.
fn build(
    state: &State,
    rate: u32,
    max_block: usize,
) -> Result<(Box<Chain>, Vec<StageControls>), LiveError> {
    let error = |source| LiveError::Rebuild { rate, source };
    let mut chain = Box::new(configure(state, rate, max_block).map_err(error)?);
    let nothing = vec![[0.0_f32; 0]; chain.input_channels()];
    let mut none = vec![[0.0_f32; 0]; chain.output_channels()];
    chain.process(0, &nothing, &mut none).map_err(error)?;
    let stages = (0..chain.stages().len())
        .map(|stage| chain.controls(stage))
        .collect::<Result<Vec<_>, _>>()
        .map_err(error)?;
    Ok((chain, stages))
}

/// A chain of `state`'s plugins at `rate`, with the running chain's control inputs and bypass.
fn configure(state: &State, rate: u32, max_block: usize) -> Result<Chain, ChainError> {
    let mut chain = Chain::new(state.input_channels, rate, max_block)?;
    for (descriptor, controls) in state.descriptors.iter().zip(&state.stages) {
        let stage = chain.add(descriptor)?;
        for port in descriptor.ports() {
            if port.is_control() && port.is_input() {
                let value = controls
                    .get(port.index())
                    .map_err(|source| ChainError::Port { stage, source })?;
                chain.set_control(stage, port.index(), value)?;
            }
        }
        chain.set_bypass(stage, controls.bypass())?;
    }
    Ok(chain)
}
