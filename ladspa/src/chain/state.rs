//! The [`Chain`] itself: its stages, buffers and settings, and what changes them between runs
//! (bypass, denormals, activation, reset). Running it is `routing`; the other modules add
//! building, controls, automation and latency compensation.

use std::fmt;

use super::buffers::Buffers;
use super::delay_line::MAX_BYPASS_SECONDS;
use super::error::ChainError;
use super::stage::Stage;
use crate::fp_env;

/// An ordered list of plugin stages processing N channels of audio: see the
/// [module documentation](crate::chain).
///
/// A chain owns its instances (dropping it deactivates and cleans them up) and is `Send`: build
/// it on a control thread, run it on the audio thread.
#[derive(Debug)]
pub struct Chain {
    pub(super) input_channels: usize,
    pub(super) sample_rate: u32,
    pub(super) max_block: usize,
    pub(super) min_split: usize,
    pub(super) stages: Vec<Stage>,
    pub(super) buffers: Buffers,
    pub(super) latency: usize,
    /// The channels the last stage leaves.
    pub(super) output_channels: usize,
    /// Whether some stage reports a latency, to read after each block.
    pub(super) reads_latency: bool,
    /// Whether every instance is active: the run path activates them first when not.
    pub(super) active: bool,
    /// Whether no block has run since the chain was built or reset: control changes then
    /// resize the bypass delays, for plugins whose latency follows a control.
    pub(super) fresh: bool,
    /// Whether the instances' runs flush denormals ([`Chain::set_flush_denormals`]).
    pub(super) flush_denormals: bool,
}

impl Chain {
    /// The channels the chain takes.
    pub fn input_channels(&self) -> usize {
        self.input_channels
    }

    /// The channels the chain gives: those the last stage leaves (the input channels for a
    /// chain without stages).
    pub fn output_channels(&self) -> usize {
        self.output_channels
    }

    /// Works out, for each stage, whether every later stage can run in place in the caller's
    /// outputs (so that the stage may write there), and what the run path reads: called when
    /// stages are added, never while the chain runs. A bypassed stage counts as the plugin
    /// it is, since it may come back in at any block ([`StageControls::set_bypass`](super::StageControls::set_bypass)).
    pub(super) fn plan(&mut self) {
        self.output_channels = self
            .stages
            .last()
            .map_or(self.input_channels, Stage::channels_out);
        self.reads_latency = self.stages.iter().any(Stage::reports_latency);
        let mut rest = [true; 2];
        for stage in self.stages.iter_mut().rev() {
            stage.rest_in_place = rest;
            for (k, rest) in rest.iter_mut().enumerate() {
                *rest &= stage.runs_in_place() && stage.fits_output_at(k == 0);
            }
        }
    }

    /// The sample rate the instances were made for.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The most samples a plugin call takes; longer runs are split into blocks of this size.
    pub fn max_block(&self) -> usize {
        self.max_block
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// Stage `stage`, or [`ChainError::NoSuchStage`].
    pub fn stage(&self, stage: usize) -> Result<&Stage, ChainError> {
        let stages = self.stages.len();
        self.stages
            .get(stage)
            .ok_or(ChainError::NoSuchStage { stage, stages })
    }

    pub(super) fn stage_mut(&mut self, stage: usize) -> Result<&mut Stage, ChainError> {
        let stages = self.stages.len();
        self.stages
            .get_mut(stage)
            .ok_or(ChainError::NoSuchStage { stage, stages })
    }

    /// The chain's latency in samples: the sum of its stages' latencies, as their `latency`
    /// output controls said after the last run (0 before the first). Bypassed stages count,
    /// since they delay their input by their latency.
    ///
    /// A `latency` output is a float; a stage's latency is the whole number of samples it
    /// stands for:
    /// - rounded down: tap_pitch's 4006.5 at 48 kHz counts as 4006. Compensating by the
    ///   rounded-down value never removes more than the plugin's delay, so a compensated output
    ///   never runs ahead of its input (it may lag by less than a sample); Ardour rounds down
    ///   too, sox and Carla truncate, so that files line up as in those hosts;
    /// - 0 for a negative or NaN value (a plugin cannot answer before its input);
    /// - at most [`MAX_LATENCY`](crate::MAX_LATENCY) samples (2²⁴, 5.8 minutes at 48 kHz) for a
    ///   larger value or infinity, so that [`Chain::process_offline`] stays bounded.
    pub fn latency(&self) -> usize {
        self.latency
    }

    /// Bypasses stage `stage` (or stops bypassing it) at once: its plugin no longer runs and
    /// its input passes through, delayed by the stage's [latency](Stage::latency) so that the
    /// chain's latency and timing stay as they were. The delay holds the stage's recent input
    /// when the stage reported a latency as it was activated or configured (silence otherwise). A
    /// stage that changes the number of channels cannot be bypassed
    /// ([`ChainError::BypassChangesChannels`]).
    ///
    /// The switch is immediate, for a chain between runs (an offline render); while audio
    /// runs, [`StageControls::set_bypass`](super::StageControls::set_bypass) switches from any thread, crossfading over one block
    /// so that it does not click. Allocates when the delay line must grow: call it off the
    /// real-time thread.
    pub fn set_bypass(&mut self, stage: usize, on: bool) -> Result<(), ChainError> {
        let max_delay = self.max_delay();
        let target = self.stage_mut(stage)?;
        if on && !target.can_bypass() {
            return Err(target.bypass_error(stage));
        }
        target.set_bypassed(on, max_delay);
        self.latency = self.total_latency();
        Ok(())
    }

    /// The sum of the stages' latencies (each at most [`MAX_LATENCY`](crate::MAX_LATENCY)).
    pub(super) fn total_latency(&self) -> usize {
        self.stages
            .iter()
            .fold(0, |sum, stage| sum.saturating_add(stage.latency()))
    }

    /// The longest delay a bypassed stage keeps: [`MAX_BYPASS_SECONDS`] at the chain's rate (a
    /// plugin that reports an absurd latency does not make the host allocate it).
    pub(super) fn max_delay(&self) -> usize {
        (self.sample_rate as usize).saturating_mul(MAX_BYPASS_SECONDS)
    }

    /// Makes every instance's runs flush denormal numbers to zero, or stop doing so
    /// ([`Handle::set_flush_denormals`](crate::Handle::set_flush_denormals)): the instances the
    /// chain has and those of stages added later. Returns whether the setting is in effect,
    /// which it is on x86-64 and AArch64.
    ///
    /// Hosts turn this on for whole graphs: the feedback of IIR filters, reverbs and delays
    /// decays into denormals as the signal fades to silence, and some plugins then run
    /// hundreds of times slower. The CPU's flush-to-zero mode is set for each plugin call only,
    /// so no other code sees it. Allocates nothing and takes no lock.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let mut chain = ladspa_host::Chain::new(1, 48_000, 64)?;
    /// if chain.set_flush_denormals(true) {
    ///     chain.add(plugin.find_label("tp_amp_mono")?)?; // flushes too
    ///     let mut out = [[1.0_f32; 4]];
    ///     chain.process(4, &[[1e-39_f32; 4]], &mut out)?; // a denormal input
    ///     assert_eq!(out, [[0.0; 4]]);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_flush_denormals(&mut self, on: bool) -> bool {
        let mut in_effect = true;
        for stage in &mut self.stages {
            for handle in stage.instances_mut() {
                in_effect &= handle.set_flush_denormals(on);
            }
        }
        // A chain without instances yet answers for those to come, as a handle would.
        in_effect &= !on || fp_env::FLUSH_SUPPORTED;
        self.flush_denormals = on && in_effect;
        in_effect
    }

    /// Whether the instances' runs flush denormals to zero ([`Chain::set_flush_denormals`]).
    pub fn flushes_denormals(&self) -> bool {
        self.flush_denormals
    }

    /// Activates every instance that is not active: the stages' new instances, or all of them
    /// after a [`reset`](Chain::reset). The chain's next run does it otherwise; call it before
    /// the chain goes to a real-time thread, since `activate` takes the process-wide lifecycle
    /// lock (and plugins allocate in it). Each instance is activated once, with the controls
    /// set so far; then a stage that reports a latency runs 0 samples, to size the delay line
    /// a bypass needs (see [`StageControls::set_bypass`](super::StageControls::set_bypass)).
    pub fn activate(&mut self) {
        let max_delay = self.max_delay();
        for stage in &mut self.stages {
            if stage.activate() {
                stage.size_delay(max_delay);
            }
        }
        self.active = true;
    }

    /// Whether every instance is active, so that a run takes no lock (see [`Chain::activate`]).
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Resets every instance's state (delay lines, filters): deactivates them now, and
    /// activates them again, once, with the controls as they are then, at [`Chain::activate`]
    /// or the next run; silences the bypass delays. Controls keep their values. Takes the
    /// process-wide lifecycle lock: not for the real-time thread (and neither is the next run,
    /// unless [`Chain::activate`] came first).
    pub fn reset(&mut self) {
        for stage in &mut self.stages {
            stage.deactivate();
            stage.clear_delay();
        }
        self.active = false;
        self.fresh = true;
    }

    /// Activates the chain before a run, if it is not active: the run path's one test of it.
    #[inline]
    pub(super) fn ensure_active(&mut self) {
        if !self.active {
            self.activate_before_run();
        }
    }

    #[cold]
    #[inline(never)]
    fn activate_before_run(&mut self) {
        self.activate();
    }
}

impl fmt::Display for Chain {
    /// The layout: channels, rate, block, latency, then one line per stage.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "chain: {} → {} channel(s) at {} Hz, blocks of up to {} samples, latency {} samples",
            self.input_channels,
            self.output_channels(),
            self.sample_rate,
            self.max_block,
            self.latency
        )?;
        for (k, stage) in self.stages.iter().enumerate() {
            writeln!(f, "  {k}: {stage}")?;
        }
        Ok(())
    }
}
