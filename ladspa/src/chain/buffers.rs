//! Where the audio of a block is between stages: the caller's buffers or one of the chain's two
//! owned buffer sets, and views of them that stages run on.

/// Where the signal of the current block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loc {
    /// The caller's input buffers (read only).
    Input,
    /// The caller's output buffers.
    Output,
    /// Owned set A.
    A,
    /// Owned set B.
    B,
}

impl Loc {
    /// The owned set that is not this one.
    pub(super) fn other_owned(self) -> Loc {
        if self == Loc::A { Loc::B } else { Loc::A }
    }
}

/// The chain's two owned buffer sets ("ping-pong"), each of as many channels as the widest
/// point of the chain, each channel `max_block` samples long, and a third for a stage's input
/// while its bypass crossfades; sized when stages are added, never on the run path.
#[derive(Debug, Default)]
pub(super) struct Buffers {
    pub(super) a: Vec<Vec<f32>>,
    pub(super) b: Vec<Vec<f32>>,
    /// A stage's input, delayed by its latency, for a bypass crossfade.
    pub(super) dry: Vec<Vec<f32>>,
}

impl Buffers {
    /// Makes room for `channels` channels of `max_block` samples in every set.
    pub(super) fn reserve(&mut self, channels: usize, max_block: usize) {
        for set in [&mut self.a, &mut self.b, &mut self.dry] {
            if set.len() < channels {
                set.resize_with(channels, || vec![0.0; max_block]);
            }
        }
    }

    /// Makes every channel of every set `max_block` samples long.
    pub(super) fn resize_block(&mut self, max_block: usize) {
        for set in [&mut self.a, &mut self.b, &mut self.dry] {
            for channel in set {
                channel.resize(max_block, 0.0);
            }
        }
    }
}

/// What a stage reads: the caller's inputs from a sample offset, an owned set (from sample 0),
/// or nothing (a generator).
pub(super) enum Src<'a, I> {
    User(&'a [I], usize),
    Owned(&'a [Vec<f32>]),
    Nothing,
}

impl<I: AsRef<[f32]>> Src<'_, I> {
    /// Channel `k` from the block's first sample on.
    #[inline]
    pub(super) fn channel(&self, k: usize) -> &[f32] {
        match self {
            Src::User(buffers, offset) => &buffers[k].as_ref()[*offset..],
            Src::Owned(set) => &set[k],
            Src::Nothing => &[],
        }
    }
}

/// What a stage writes (or, in place, reads and writes): the caller's outputs from a sample
/// offset, or an owned set (from sample 0).
pub(super) enum Dst<'a, O> {
    User(&'a mut [O], usize),
    Owned(&'a mut [Vec<f32>]),
}

impl<O: AsMut<[f32]>> Dst<'_, O> {
    /// Channel `k` from the block's first sample on.
    #[inline]
    pub(super) fn channel(&mut self, k: usize) -> &mut [f32] {
        match self {
            Dst::User(buffers, offset) => &mut buffers[k].as_mut()[*offset..],
            Dst::Owned(set) => &mut set[k],
        }
    }
}

/// Copies `n` samples of `channels` channels from `src` to `dst`.
pub(super) fn copy<I: AsRef<[f32]>, O: AsMut<[f32]>>(
    n: usize,
    channels: usize,
    src: &Src<'_, I>,
    dst: &mut Dst<'_, O>,
) {
    for k in 0..channels {
        dst.channel(k)[..n].copy_from_slice(&src.channel(k)[..n]);
    }
}
