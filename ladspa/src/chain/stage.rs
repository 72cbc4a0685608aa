//! One stage of a chain: a plugin type, its instances (one, or one per channel), and how they
//! run on a block.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::buffers::Dst;
use super::delay_line::DelayLine;
use super::error::ChainError;
use super::mapping::Mapping;
use crate::conventions::latency_samples;
use crate::descriptor::Descriptor;
use crate::handle::AnyHandle;
use crate::properties::Properties;

/// One stage of a [`Chain`](super::Chain): a plugin type and its instances, as the
/// [channel-mapping rules](Mapping) placed them. Read it with [`Chain::stage`](super::Chain::stage).
#[derive(Debug)]
pub struct Stage {
    descriptor: Descriptor,
    mapping: Mapping,
    pub(super) channels_in: usize,
    pub(super) channels_out: usize,
    pub(super) instances: Vec<AnyHandle>,
    /// Whether the stage runs in place: the plugin is not `INPLACE_BROKEN` and its audio inputs
    /// and outputs pair up.
    pub(super) in_place: bool,
    latency_port: Option<usize>,
    latency: usize,
    /// Whether the stage is bypassed on the run path.
    bypassed: bool,
    /// Whether the stage should be bypassed, set from any thread ([`super::StageControls`]):
    /// the run path follows it at its next block, crossfading over that block.
    bypass_request: Arc<AtomicBool>,
    /// The stage's input, kept for as long as its latency (for stages that report one), so
    /// that bypassing it delays its input by that latency, without a gap.
    delay: DelayLine,
    /// Whether the stage takes its buffers as one slice of channels ([`Stage::needs_whole`]).
    whole: bool,
    /// Whether every later stage can run in place in the caller's outputs, for a block at
    /// offset 0 (`[0]`) and at another offset (`[1]`), worked out by `Chain::plan` when stages
    /// are added or bypassed, so that the run path does not walk the later stages.
    pub(super) rest_in_place: [bool; 2],
}

impl Stage {
    /// A stage of `instances` (inactive, controls at their initial values) mapped by `mapping`.
    pub(super) fn new(
        descriptor: Descriptor,
        mapping: Mapping,
        channels_in: usize,
        channels_out: usize,
        instances: Vec<AnyHandle>,
    ) -> Self {
        let in_place = mapping != Mapping::Generator
            && channels_in == channels_out
            && !descriptor.properties().contains(Properties::INPLACE_BROKEN);
        let latency_port = descriptor.latency_port().map(|port| port.index());
        let whole = mapping != Mapping::Replicated && (channels_in > 1 || channels_out > 1);
        Stage {
            descriptor,
            mapping,
            channels_in,
            channels_out,
            instances,
            in_place,
            latency_port,
            latency: 0,
            bypassed: false,
            bypass_request: Arc::default(),
            delay: DelayLine::default(),
            whole,
            rest_in_place: [true; 2],
        }
    }

    /// The plugin type.
    pub fn descriptor(&self) -> &Descriptor {
        &self.descriptor
    }

    /// How the stage's instances take the channels.
    pub fn mapping(&self) -> Mapping {
        self.mapping
    }

    /// The channels that reach the stage.
    pub fn channels_in(&self) -> usize {
        self.channels_in
    }

    /// The channels that leave the stage.
    pub fn channels_out(&self) -> usize {
        self.channels_out
    }

    /// The stage's instances: one, or one per channel for a [replicated](Mapping::Replicated)
    /// plugin (instance `k` runs channel `k`). They are inactive until the chain is activated
    /// ([`Chain::activate`](super::Chain::activate), or its next run), and after a
    /// [`Chain::reset`](super::Chain::reset).
    pub fn instances(&self) -> &[AnyHandle] {
        &self.instances
    }

    pub(super) fn instances_mut(&mut self) -> &mut [AnyHandle] {
        &mut self.instances
    }

    /// Activates the instances that are not active; returns whether there were any. Takes the
    /// process-wide lifecycle lock.
    pub(super) fn activate(&mut self) -> bool {
        let mut activated = false;
        for handle in &mut self.instances {
            activated |= !handle.is_active();
            handle.activate();
        }
        activated
    }

    /// Deactivates the instances that are active. Takes the process-wide lifecycle lock.
    pub(super) fn deactivate(&mut self) {
        for handle in &mut self.instances {
            handle.deactivate();
        }
    }

    /// Whether the stage runs in place (its output overwriting its input in one buffer): the
    /// plugin is not `INPLACE_BROKEN` and has as many audio outputs as inputs. Otherwise it
    /// writes into another buffer set.
    pub fn runs_in_place(&self) -> bool {
        self.in_place
    }

    /// Whether the stage is bypassed.
    pub fn is_bypassed(&self) -> bool {
        self.bypassed
    }

    /// The stage's latency in samples: what its `latency` output control said after the last
    /// run (0 for plugins without one), in whole samples as [`Chain::latency`] says (rounded
    /// down). A bypassed stage keeps the latency it had and delays its input by it.
    ///
    /// [`Chain::latency`]: super::Chain::latency
    pub fn latency(&self) -> usize {
        self.latency
    }

    /// Whether the stage can be bypassed: it leaves as many channels as reach it.
    pub(super) fn can_bypass(&self) -> bool {
        self.channels_in == self.channels_out
    }

    /// The error for bypassing this stage, number `stage`, which changes the channel count.
    #[cold]
    pub(super) fn bypass_error(&self, stage: usize) -> ChainError {
        ChainError::BypassChangesChannels {
            stage,
            label: self.descriptor.label().to_string(),
            channels_in: self.channels_in,
            channels_out: self.channels_out,
        }
    }

    /// Bypasses the stage (or stops) at once, from the next block on, without a crossfade;
    /// makes room in the delay line for the stage's latency (allocates: off the run path).
    pub(super) fn set_bypassed(&mut self, on: bool, max_delay: usize) {
        if on {
            self.latency = self.latency.min(max_delay);
            self.delay.grow(self.channels_in, self.latency);
        }
        self.bypassed = on;
        self.bypass_request.store(on, Ordering::Relaxed);
    }

    /// The flag that asks for the stage to be bypassed, shared with [`super::StageControls`].
    pub(super) fn bypass_request(&self) -> &Arc<AtomicBool> {
        &self.bypass_request
    }

    /// The bypass state asked for, when it is not the state the run path is in: the stage
    /// switches during its next block.
    #[inline]
    pub(super) fn pending_switch(&self) -> Option<bool> {
        let on = self.bypass_request.load(Ordering::Relaxed);
        (on != self.bypassed).then_some(on)
    }

    /// Ends a switch made on the run path. A stage that reports more latency than its delay
    /// line holds (its latency grew after the line was sized) delays by the line's length
    /// when bypassed, and says so: returns whether its latency changed.
    pub(super) fn finish_switch(&mut self, on: bool) -> bool {
        self.bypassed = on;
        let capacity = self.delay.capacity();
        if on && self.latency > capacity {
            self.latency = capacity;
            return true;
        }
        false
    }

    /// Whether the stage keeps its input in a delay line while it runs (it reported a latency
    /// when the line was sized), so that a bypass can take over without a gap.
    #[inline]
    pub(super) fn keeps_input(&self) -> bool {
        self.delay.capacity() > 0
    }

    /// Delays `n` samples of each of the stage's input channels in `buffers` (a copy of its
    /// input) by its latency, keeping them in its delay line.
    pub(super) fn delay_input<O: AsMut<[f32]>>(&mut self, n: usize, buffers: &mut Dst<'_, O>) {
        self.delay
            .process(n, self.channels_in, self.latency, buffers);
    }

    /// Sizes the delay line for the latency the plugin reports now (a run of 0 samples, which
    /// is how plugins report it before any audio), up to `max_delay` samples: called when the
    /// stage's instances are activated and when it is configured before the chain's first run,
    /// off the run path (allocates). Inactive instances are not run: the activation sizes the
    /// line. The stage's own [latency](Stage::latency) stays what the last run of the chain
    /// said.
    pub(super) fn size_delay(&mut self, max_delay: usize) {
        let Some(port) = self.latency_port else {
            return;
        };
        let inputs = vec![[0.0_f32; 0]; self.descriptor.audio_input_count()];
        let mut outputs = vec![[0.0_f32; 0]; self.descriptor.audio_output_count()];
        let mut reported = 0;
        let active = self.instances.iter_mut().filter_map(AnyHandle::active_mut);
        for (k, handle) in active.enumerate() {
            // A run of 0 samples puts no audio through; a refused one leaves the line as is.
            if handle.run(0, &inputs, &mut outputs).is_ok() && k == 0 {
                reported = latency_samples(handle.control(port).unwrap_or(0.0));
            }
        }
        let capacity = reported.max(self.latency).min(max_delay);
        if capacity > 0 {
            self.delay.grow(self.channels_in, capacity);
        }
    }

    /// Silences the delay line.
    pub(super) fn clear_delay(&mut self) {
        self.delay.clear();
    }

    /// Whether the stage needs its buffers as one slice of channels (one instance with several
    /// audio inputs or outputs), which the caller's buffers can only be at offset 0.
    #[inline]
    pub(super) fn needs_whole(&self) -> bool {
        self.whole
    }

    /// Whether the stage can run in the caller's outputs from `offset` (at offset 0 always;
    /// elsewhere only if it takes its channels one by one).
    #[inline]
    pub(super) fn fits_output_at(&self, offset_is_zero: bool) -> bool {
        offset_is_zero || !self.whole
    }

    /// Whether the stage has a latency output to read after runs.
    pub(super) fn reports_latency(&self) -> bool {
        self.latency_port.is_some()
    }

    /// Reads the latency output after a run; returns whether it changed.
    pub(super) fn update_latency(&mut self) -> bool {
        let (Some(port), false) = (self.latency_port, self.bypassed) else {
            return false;
        };
        let latency = latency_samples(self.instances[0].control(port).unwrap_or(0.0));
        let changed = latency != self.latency;
        self.latency = latency;
        changed
    }

    /// Delays a bypassed stage's channels, in place, by its latency.
    pub(super) fn bypass_in_place<O: AsMut<[f32]>>(&mut self, n: usize, dst: &mut Dst<'_, O>) {
        self.delay_input(n, dst);
    }
}

impl fmt::Display for Stage {
    /// `amp_stereo "Stereo Amplifier" (/usr/lib/ladspa/amp.so): 2 → 2 channels, one instance,
    /// in place`, with `, latency N`, `, bypassed` as they apply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.descriptor;
        write!(
            f,
            "{} \"{}\" ({}): {} → {} channel(s), ",
            d.label(),
            d.name(),
            d.path().display(),
            self.channels_in,
            self.channels_out
        )?;
        match self.mapping {
            Mapping::Single => f.write_str("one instance")?,
            Mapping::Replicated => {
                write!(f, "{} instances (one per channel)", self.instances.len())?
            }
            Mapping::Generator => f.write_str("one instance (a generator: input ignored)")?,
        }
        f.write_str(if self.in_place {
            ", in place"
        } else {
            ", into a second buffer"
        })?;
        if self.latency_port.is_some() {
            write!(f, ", latency {}", self.latency)?;
        }
        if self.is_bypassed() {
            f.write_str(", bypassed")?;
        }
        Ok(())
    }
}
