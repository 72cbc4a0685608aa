//! Multichannel chains: plugin stages in order, processing N channels of audio, with the
//! layer every host builds on single instances: one instance per channel for mono plugins,
//! intermediate buffers, latency, bypass and sample-accurate automation.
//!
//! ```
//! # let path = ladspa_testplugins::reference_plugin("tp_amp");
//! # // SAFETY: the test plugins are trusted.
//! # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
//! use ladspa_host::Chain;
//!
//! let mono = plugin.find_label("tp_amp_mono")?; // 1 in, 1 out
//! let stereo = plugin.find_label("tp_amp_stereo")?; // 2 in, 2 out
//!
//! let mut chain = Chain::new(2, 48_000, 256)?; // stereo, plugins run ≤ 256 samples a call
//! let gain = chain.add(mono)?; // replicated: one instance per channel
//! chain.add(stereo)?; // one instance for both channels
//! chain.set_control(gain, "Gain", 0.5)?; // every replica at once
//!
//! let left = vec![1.0_f32; 1000];
//! let right = vec![-1.0_f32; 1000];
//! let mut out = vec![vec![0.0_f32; 1000]; 2];
//! chain.process(1000, &[&left, &right], &mut out)?; // any length: split into blocks
//! assert_eq!((out[0][999], out[1][999]), (0.5, -0.5));
//! assert_eq!(chain.latency(), 0);
//! println!("{chain}"); // the stage layout
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The borrow checker keeps a run's input and output buffers apart (for processing in place,
//! pass the outputs only: a chain's stages run in place on them where they can):
//!
//! ```compile_fail,E0502
//! # fn demo(chain: &mut ladspa_host::Chain) -> Result<(), ladspa_host::ChainError> {
//! let mut buffers = vec![vec![0.0_f32; 64]; 2];
//! chain.process(64, &buffers, &mut buffers)?; // cannot borrow as mutable and shared
//! # Ok(()) }
//! ```
//!
//! # Lifecycle
//! Each instance is activated exactly once before it first runs: [`Chain::add`] only
//! instantiates, and [`Chain::activate`] (or, failing that, the chain's next run) activates
//! every instance that is not active, after the controls set so far, so that plugins that read
//! their controls in `activate` see them. [`Chain::reset`] deactivates every instance, to be
//! activated again the same way. Activation takes the process-wide lifecycle lock: a real-time
//! host calls [`Chain::activate`] before the chain goes to the audio thread
//! ([`Chain::is_active`] says whether a run would). Dropping the chain deactivates and cleans
//! up every instance (one that never ran is activated first, since some plugins' `cleanup`
//! crashes otherwise).
//!
//! # Channels
//! A chain has a number of input channels, fixed by [`Chain::new`]; each stage takes the
//! channels the stage before it left, by the rules of [`Mapping`], and may change their number
//! (a mono-to-stereo reverb, a stereo-to-mono mixer, a generator). The chain's output channels
//! are those the last stage leaves ([`Chain::output_channels`]). A plugin that fits no rule is
//! refused when it is added: a built chain never fails for its shape while it runs.
//!
//! # Buffers
//! [`Chain::process`] takes non-interleaved channel buffers of any length, of any buffer type
//! (`&[f32]`, `Vec<f32>`, arrays), and splits the run into blocks of at most the chain's
//! maximum block. The first stage reads the caller's input buffers, and the last one writes
//! into the caller's output buffers whenever the stages after it run in place; between them,
//! stages run in place in one of two buffer sets the chain owns (sized when stages are
//! added), or, for plugins that are `INPLACE_BROKEN` or change the channel count, from one set
//! into the other. A copy is made only when no stage can write the output (a chain of bypassed
//! stages, or none) or when the last stages cannot run in place there. The run path allocates
//! nothing, takes no lock and does no I/O (the proof is `tests/chain_alloc.rs`).
//!
//! # Controls
//! A stage's control inputs are set by stage and port (index or name) with
//! [`Chain::set_control`], on every replica at once; [`Chain::controls`] gives
//! [`StageControls`], which another thread uses while the chain runs (lock-free, applied at the
//! next run). [`Chain::set_bypass`] bypasses a stage between runs: its input passes through,
//! delayed by the stage's latency so that the chain's timing does not move;
//! [`StageControls::set_bypass`] does it from any thread while the chain runs (an atomic flag),
//! crossfading over one block so that it does not click. The delay lines are sized when stages
//! are activated or configured, never on the run path once the chain is
//! [active](Chain::activate).
//!
//! # Latency
//! [`Chain::latency`] is the sum of the stages' latencies in samples: what each stage's
//! `latency` output control ([`Descriptor::latency_port`](crate::Descriptor::latency_port))
//! said after the last run, kept by bypassed stages. [`Chain::process_offline`] compensates it
//! for files.
//!
//! # Automation
//! [`Chain::process_automated`] takes [`ControlChange`]s at sample offsets within the run and
//! applies each exactly at its sample, splitting the plugins' calls there
//! ([`Chain::set_min_split`] trades that accuracy for longer calls).

mod automation;
mod buffers;
mod builder;
mod bypass;
mod controls;
mod error;
mod latency;
mod mapping;
mod stage;

use std::fmt;

pub use automation::ControlChange;
use buffers::{Buffers, Dst, Loc, Src};
pub use controls::StageControls;
pub use error::ChainError;
pub use mapping::Mapping;
pub use stage::Stage;

/// The longest latency, in seconds, that a bypassed stage's delay line covers.
pub const MAX_BYPASS_SECONDS: usize = 10;

/// An ordered list of plugin stages processing N channels of audio: see the
/// [module documentation](self).
///
/// A chain owns its instances (dropping it deactivates and cleans them up) and is `Send`: build
/// it on a control thread, run it on the audio thread.
#[derive(Debug)]
pub struct Chain {
    input_channels: usize,
    sample_rate: u32,
    max_block: usize,
    min_split: usize,
    stages: Vec<Stage>,
    buffers: Buffers,
    latency: usize,
    /// The channels the last stage leaves.
    output_channels: usize,
    /// Whether some stage reports a latency, to read after each block.
    reads_latency: bool,
    /// Whether every instance is active: the run path activates them first when not.
    active: bool,
    /// Whether no block has run since the chain was built or reset: control changes then
    /// resize the bypass delays, for plugins whose latency follows a control.
    fresh: bool,
    /// Whether the instances' runs flush denormals ([`Chain::set_flush_denormals`]).
    flush_denormals: bool,
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
    /// it is, since it may come back in at any block ([`StageControls::set_bypass`]).
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

    fn stage_mut(&mut self, stage: usize) -> Result<&mut Stage, ChainError> {
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
    /// runs, [`StageControls::set_bypass`] switches from any thread, crossfading over one block
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
    fn total_latency(&self) -> usize {
        self.stages
            .iter()
            .fold(0, |sum, stage| sum.saturating_add(stage.latency()))
    }

    /// The longest delay a bypassed stage keeps: [`MAX_BYPASS_SECONDS`] at the chain's rate (a
    /// plugin that reports an absurd latency does not make the host allocate it).
    fn max_delay(&self) -> usize {
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
        in_effect &= !on || crate::fp_env::FLUSH_SUPPORTED;
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
    /// a bypass needs (see [`StageControls::set_bypass`]).
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
    fn ensure_active(&mut self) {
        if !self.active {
            self.activate_before_run();
        }
    }

    #[cold]
    #[inline(never)]
    fn activate_before_run(&mut self) {
        self.activate();
    }

    /// Runs `frames` samples of `inputs` (one buffer per input channel) through the chain into
    /// `outputs` (one buffer per output channel), each holding at least `frames` samples; in
    /// blocks of at most [`max_block`](Chain::max_block) samples. Updates the
    /// [latency](Chain::latency) after each block. A run of 0 samples reaches every plugin
    /// (with no audio), which is how a chain learns its latency before any audio runs.
    ///
    /// No allocation, no lock, no I/O (a refused run's error holds numbers only) once the
    /// chain is [active](Chain::activate); the first run of a chain that is not activates it.
    pub fn process<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        frames: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<(), ChainError> {
        self.check_buffers(frames, inputs, outputs)?;
        self.ensure_active();
        if frames <= self.max_block {
            // One block (or a run of 0 samples, which reaches every plugin).
            return self.run_block(0, frames, inputs, outputs);
        }
        self.run_span(0, frames, inputs, outputs)
    }

    /// Runs samples `start..start + len` of checked buffers, in blocks.
    fn run_span<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        start: usize,
        len: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<(), ChainError> {
        let end = start + len;
        let mut offset = start;
        while offset < end {
            let n = self.max_block.min(end - offset);
            self.run_block(offset, n, inputs, outputs)?;
            offset += n;
        }
        Ok(())
    }

    /// Runs one block of `n ≤ max_block` samples at `offset` of checked buffers.
    #[inline(always)]
    fn run_block<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        offset: usize,
        n: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<(), ChainError> {
        let Chain {
            stages,
            buffers,
            fresh,
            ..
        } = self;
        *fresh = false;
        let mut at = Loc::Input;
        let mut relatency = false;
        for (k, stage) in stages.iter_mut().enumerate() {
            let switch = stage.pending_switch();
            if switch.is_none() && stage.is_bypassed() {
                if stage.latency() > 0 {
                    if at == Loc::Input {
                        let to = destination(stage, at, offset);
                        let src = Src::User(inputs, offset);
                        buffers::copy(
                            n,
                            stage.channels_in(),
                            &src,
                            &mut view(to, offset, outputs, buffers),
                        );
                        at = to;
                    }
                    stage.bypass_in_place(n, &mut view(at, offset, outputs, buffers));
                }
                continue;
            }
            if switch.is_some() || stage.keeps_input() {
                bypass::keep_dry(stage, n, at, offset, inputs, outputs, buffers);
            }
            at = run_stage(k, stage, n, at, offset, inputs, outputs, buffers)?;
            if let Some(on) = switch {
                bypass::crossfade(n, stage.channels_out(), on, at, offset, outputs, buffers);
                relatency |= stage.finish_switch(on);
            }
        }
        if at != Loc::Output {
            let channels = outputs.len();
            let mut dst = Dst::User(outputs, offset);
            match at {
                Loc::Input => buffers::copy(n, channels, &Src::User(inputs, offset), &mut dst),
                Loc::A => buffers::copy(n, channels, &Src::<I>::Owned(&buffers.a), &mut dst),
                Loc::B => buffers::copy(n, channels, &Src::<I>::Owned(&buffers.b), &mut dst),
                Loc::Output => {}
            }
        }
        if self.reads_latency {
            let mut changed = relatency;
            for stage in self.stages.iter_mut() {
                changed |= stage.update_latency();
            }
            if changed {
                self.latency = self.total_latency();
            }
        }
        Ok(())
    }
}

/// Runs stage `k` (not bypassed) on the block's signal at `at`; returns where its output is.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn run_stage<I: AsRef<[f32]>, O: AsMut<[f32]>>(
    k: usize,
    stage: &mut Stage,
    n: usize,
    mut at: Loc,
    offset: usize,
    inputs: &[I],
    outputs: &mut [O],
    buffers: &mut Buffers,
) -> Result<Loc, ChainError> {
    if stage.mapping() == Mapping::Generator {
        let to = destination(stage, at, offset);
        let mut dst = view(to, offset, outputs, buffers);
        stage
            .run(n, &Src::<I>::Nothing, &mut dst)
            .map_err(|e| Stage::run_error(k, e))?;
        return Ok(to);
    }
    if at == Loc::Input && offset != 0 && stage.needs_whole() {
        // The caller's buffers cannot be lent as a slice of channels from an offset.
        let src = Src::User(inputs, offset);
        buffers::copy(
            n,
            stage.channels_in(),
            &src,
            &mut Dst::<O>::Owned(&mut buffers.a),
        );
        at = Loc::A;
    }
    if stage.runs_in_place() && at != Loc::Input {
        stage
            .run_in_place(n, &mut view(at, offset, outputs, buffers))
            .map_err(|e| Stage::run_error(k, e))?;
        return Ok(at);
    }
    let to = destination(stage, at, offset);
    run_between(stage, n, at, to, offset, inputs, outputs, buffers)
        .map_err(|e| Stage::run_error(k, e))?;
    Ok(to)
}

/// Where a stage that does not run in place where the signal is (`at`) writes: straight into
/// the caller's outputs when every later stage can run in place there, else into the owned set
/// the signal is not in.
#[inline]
fn destination(stage: &Stage, at: Loc, offset: usize) -> Loc {
    let zero = offset == 0;
    if stage.fits_output_at(zero) && stage.rest_in_place[usize::from(!zero)] {
        Loc::Output
    } else {
        at.other_owned()
    }
}

/// A writable view of a location (never the caller's inputs).
fn view<'a, O: AsMut<[f32]>>(
    at: Loc,
    offset: usize,
    outputs: &'a mut [O],
    buffers: &'a mut Buffers,
) -> Dst<'a, O> {
    match at {
        Loc::Output => Dst::User(outputs, offset),
        Loc::A => Dst::Owned(&mut buffers.a),
        Loc::B => Dst::Owned(&mut buffers.b),
        Loc::Input => unreachable!("the caller's inputs are never written"),
    }
}

/// Runs a stage from one location into another.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn run_between<I: AsRef<[f32]>, O: AsMut<[f32]>>(
    stage: &mut Stage,
    n: usize,
    from: Loc,
    to: Loc,
    offset: usize,
    inputs: &[I],
    outputs: &mut [O],
    buffers: &mut Buffers,
) -> Result<(), crate::RunError> {
    let Buffers { a, b, .. } = buffers;
    let user = |inputs| Src::User(inputs, offset);
    match (from, to) {
        (Loc::Input, Loc::Output) => stage.run(n, &user(inputs), &mut Dst::User(outputs, offset)),
        (Loc::Input, Loc::A) => stage.run(n, &user(inputs), &mut Dst::<O>::Owned(a)),
        (Loc::Input, Loc::B) => stage.run(n, &user(inputs), &mut Dst::<O>::Owned(b)),
        (Loc::A, Loc::Output) => stage.run(n, &Src::<I>::Owned(a), &mut Dst::User(outputs, offset)),
        (Loc::B, Loc::Output) => stage.run(n, &Src::<I>::Owned(b), &mut Dst::User(outputs, offset)),
        (Loc::A, Loc::B) => stage.run(n, &Src::<I>::Owned(a), &mut Dst::<O>::Owned(b)),
        (Loc::B, Loc::A) => stage.run(n, &Src::<I>::Owned(b), &mut Dst::<O>::Owned(a)),
        _ => unreachable!(
            "the caller's outputs are read only by stages in place, and a stage writes elsewhere than it reads"
        ),
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
