//! Running a chain: checking the buffers, splitting a run into blocks, and routing each block
//! through the stages, in place where they can, between the chain's two buffer sets where they
//! cannot, into the caller's outputs as early as possible.

use super::buffers::{self, Buffers, Dst, Loc, Src};
use super::bypass;
use super::error::ChainError;
use super::mapping::Mapping;
use super::stage::Stage;
use super::state::Chain;
use crate::handle::RunError;
use crate::port_info::Direction;

impl Chain {
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
    pub(super) fn run_span<I: AsRef<[f32]>, O: AsMut<[f32]>>(
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
    pub(super) fn run_block<I: AsRef<[f32]>, O: AsMut<[f32]>>(
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
) -> Result<(), RunError> {
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

impl Chain {
    /// Checks the number and lengths of a run's buffers.
    #[inline]
    pub(super) fn check_buffers<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &self,
        frames: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<(), ChainError> {
        let fits = inputs.len() == self.input_channels()
            && outputs.len() == self.output_channels()
            && inputs.iter().all(|b| b.as_ref().len() >= frames)
            && outputs.iter_mut().all(|b| b.as_mut().len() >= frames);
        if fits {
            Ok(())
        } else {
            Err(self.buffer_error(frames, inputs, outputs))
        }
    }

    /// What is wrong with buffers that do not fit.
    #[cold]
    #[inline(never)]
    fn buffer_error<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &self,
        frames: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> ChainError {
        let expected = (self.input_channels(), self.output_channels());
        if inputs.len() != expected.0 {
            return count_error(Direction::Input, inputs.len(), expected.0);
        }
        if outputs.len() != expected.1 {
            return count_error(Direction::Output, outputs.len(), expected.1);
        }
        let inputs = inputs.iter().map(|b| (Direction::Input, b.as_ref().len()));
        let outputs = outputs
            .iter_mut()
            .map(|b| (Direction::Output, b.as_mut().len()));
        let mut channels = [0, 0];
        for (direction, len) in inputs.chain(outputs) {
            let channel = &mut channels[usize::from(direction == Direction::Output)];
            if len < frames {
                return short_error(direction, *channel, len, frames);
            }
            *channel += 1;
        }
        unreachable!("buffers that fit")
    }
}

#[cold]
fn count_error(direction: Direction, given: usize, expected: usize) -> ChainError {
    ChainError::ChannelCount {
        direction,
        given,
        expected,
    }
}

#[cold]
fn short_error(direction: Direction, channel: usize, len: usize, frames: usize) -> ChainError {
    ChainError::BufferTooShort {
        direction,
        channel,
        len,
        frames,
    }
}
