//! How a stage runs on a block: its instances over the channel buffers, from one buffer set into
//! another ([`Stage::run`]) or in place ([`Stage::run_in_place`]), straight to the plugins'
//! functions when the buffers are whole. Everything here is on the run path: inlined into the
//! chain's loop, no allocation, no lock.

use super::buffers::{Dst, Src};
use super::error::ChainError;
use super::stage::Stage;
use crate::handle::{Active, AnyHandle, Handle, NO_BUFFERS, RunError};

impl Stage {
    /// Runs the stage on `n` samples from `src` into `dst` (a different buffer set).
    #[inline(always)]
    pub(super) fn run<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        n: usize,
        src: &Src<'_, I>,
        dst: &mut Dst<'_, O>,
    ) -> Result<(), RunError> {
        let (ci, co) = (self.channels_in, self.channels_out);
        if !self.needs_whole() {
            // One channel an instance: walk instances and channel buffers together.
            let instances = self.instances.iter_mut();
            macro_rules! each {
                ($outputs:expr, $output:ident => $out:expr) => {
                    match src {
                        Src::User(inputs, offset) => {
                            for ((handle, input), $output) in instances.zip(*inputs).zip($outputs) {
                                run_channel(active(handle), n, &input.as_ref()[*offset..], $out)?;
                            }
                        }
                        Src::Owned(inputs) => {
                            for ((handle, input), $output) in instances.zip(*inputs).zip($outputs) {
                                run_channel(active(handle), n, input, $out)?;
                            }
                        }
                        Src::Nothing => {
                            for (handle, $output) in instances.zip($outputs) {
                                active(handle).run(n, &NO_BUFFERS, &mut [$out])?;
                            }
                        }
                    }
                };
            }
            match dst {
                Dst::User(outputs, offset) => {
                    let offset = *offset;
                    each!(outputs.iter_mut(), output => &mut output.as_mut()[offset..])
                }
                Dst::Owned(outputs) => each!(outputs.iter_mut(), output => output),
            }
            return Ok(());
        }
        let handle = active(&mut self.instances[0]);
        match (src, dst) {
            (Src::User(inputs, _), Dst::User(outputs, _)) => {
                handle.run(n, &inputs[..ci], &mut outputs[..co])
            }
            (Src::User(inputs, _), Dst::Owned(outputs)) => {
                handle.run(n, &inputs[..ci], &mut outputs[..co])
            }
            (Src::Owned(inputs), Dst::User(outputs, _)) => {
                handle.run(n, &inputs[..ci], &mut outputs[..co])
            }
            (Src::Owned(inputs), Dst::Owned(outputs)) => {
                handle.run(n, &inputs[..ci], &mut outputs[..co])
            }
            (Src::Nothing, Dst::User(outputs, _)) => handle.run(n, &NO_BUFFERS, &mut outputs[..co]),
            (Src::Nothing, Dst::Owned(outputs)) => handle.run(n, &NO_BUFFERS, &mut outputs[..co]),
        }
    }

    /// Runs the stage in place on `n` samples of `buffers` (the stage [runs in
    /// place](Self::runs_in_place)).
    #[inline(always)]
    pub(super) fn run_in_place<O: AsMut<[f32]>>(
        &mut self,
        n: usize,
        buffers: &mut Dst<'_, O>,
    ) -> Result<(), RunError> {
        if !self.needs_whole() {
            let instances = self.instances.iter_mut();
            match buffers {
                Dst::User(buffers, offset) => {
                    for (handle, buffer) in instances.zip(buffers.iter_mut()) {
                        run_channel_in_place(
                            active(handle),
                            self.in_place,
                            n,
                            &mut buffer.as_mut()[*offset..],
                        )?;
                    }
                }
                Dst::Owned(buffers) => {
                    for (handle, buffer) in instances.zip(buffers.iter_mut()) {
                        run_channel_in_place(active(handle), self.in_place, n, buffer)?;
                    }
                }
            }
            return Ok(());
        }
        let (handle, channels) = (active(&mut self.instances[0]), self.channels_in);
        match buffers {
            Dst::User(buffers, _) => {
                run_whole_in_place(handle, self.in_place, n, &mut buffers[..channels])
            }
            Dst::Owned(buffers) => {
                run_whole_in_place(handle, self.in_place, n, &mut buffers[..channels])
            }
        }
    }

    /// The error of a refused run of this stage.
    #[cold]
    pub(super) fn run_error(stage: usize, source: RunError) -> ChainError {
        ChainError::Run { stage, source }
    }
}

/// The active handle of an instance about to run. The chain activates its instances before
/// any run ([`Chain::activate`](super::Chain::activate)), so the second arm is never taken; were
/// it, activating there would still keep the lifecycle right.
#[inline(always)]
fn active(handle: &mut AnyHandle) -> &mut Handle<Active> {
    match handle {
        AnyHandle::Active(handle) => handle,
        inactive => activate_now(inactive),
    }
}

#[cold]
#[inline(never)]
fn activate_now(handle: &mut AnyHandle) -> &mut Handle<Active> {
    handle.activate()
}

/// Runs a one-in, one-out instance (a replica) on one channel: straight to the plugin when both
/// slices hold the `n > 0` samples, as the chain's checks of its buffers make them, else (a run
/// of 0 samples, or a caller's buffer that gave a shorter slice than when it was checked)
/// through [`Handle::run`], which parks the ports or refuses with the usual error.
#[inline(always)]
fn run_channel(
    handle: &mut Handle<Active>,
    n: usize,
    input: &[f32],
    output: &mut [f32],
) -> Result<(), RunError> {
    if n > 0 && input.len() >= n && output.len() >= n {
        let buffers = [input.as_ptr().cast_mut(), output.as_mut_ptr()];
        // SAFETY: `n > 0`; both slices hold at least `n` samples and stay borrowed for the
        // call, `input` shared (the plugin only reads an input port) and `output` exclusively,
        // so they do not overlap.
        if unsafe { handle.run_prechecked(n, buffers) } {
            return Ok(());
        }
    }
    handle.run(n, &[input], &mut [output])
}

/// Runs a replica in place on one channel, as [`run_channel`] does; `in_place` is the stage's
/// [`Stage::runs_in_place`], false for `INPLACE_BROKEN` plugins, which then get
/// [`Handle::run_in_place`]'s refusal.
#[inline(always)]
fn run_channel_in_place(
    handle: &mut Handle<Active>,
    in_place: bool,
    n: usize,
    buffer: &mut [f32],
) -> Result<(), RunError> {
    if in_place && n > 0 && buffer.len() >= n {
        let start = buffer.as_mut_ptr();
        // SAFETY: `n > 0`; the slice holds at least `n` samples and stays exclusively borrowed
        // for the call; input and output share it from the same pointer, which the plugin
        // allows: the stage runs in place only if it is not `INPLACE_BROKEN`.
        if unsafe { handle.run_prechecked(n, [start, start]) } {
            return Ok(());
        }
    }
    handle.run_in_place(n, &mut [buffer])
}

/// Runs a stage's one instance in place on its channels, as [`run_channel_in_place`] does for
/// one or two channels (a stereo plugin: the common case), through [`Handle::run_in_place`] for
/// more.
#[inline(always)]
fn run_whole_in_place<B: AsMut<[f32]>>(
    handle: &mut Handle<Active>,
    in_place: bool,
    n: usize,
    buffers: &mut [B],
) -> Result<(), RunError> {
    if in_place && n > 0 {
        if let [left, right] = buffers {
            let (left, right) = (left.as_mut(), right.as_mut());
            if left.len() >= n && right.len() >= n {
                let (left, right) = (left.as_mut_ptr(), right.as_mut_ptr());
                // SAFETY: `n > 0`; both slices hold at least `n` samples and stay exclusively
                // borrowed for the call, so they do not overlap each other; input `k` and
                // output `k` share slice `k` from the same pointer, which the plugin allows:
                // the stage runs in place only if it is not `INPLACE_BROKEN`.
                if unsafe { handle.run_prechecked(n, [left, right, left, right]) } {
                    return Ok(());
                }
            }
        } else if let [buffer] = buffers {
            return run_channel_in_place(handle, in_place, n, buffer.as_mut());
        }
    }
    handle.run_in_place(n, buffers)
}
