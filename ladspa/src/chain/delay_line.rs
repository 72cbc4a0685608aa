//! The delay line that stands for a bypassed stage that reports a latency, so that bypassing it
//! keeps the chain's timing.

use super::buffers::Dst;

/// The longest latency, in seconds, that a bypassed stage's delay line covers.
pub const MAX_BYPASS_SECONDS: usize = 10;

/// One delay line per channel, sharing one write position: the input of a stage that reports a
/// latency, kept so that bypassing the stage delays its input by that latency. Its length is
/// fixed when the stage is activated or changed between runs (never on the run path); it delays by
/// any latency up to its [capacity](DelayLine::capacity).
#[derive(Debug, Default)]
pub(super) struct DelayLine {
    /// `capacity + 1` samples per channel (a sample is written before the one `capacity`
    /// samples older is read), or none.
    lines: Vec<Vec<f32>>,
    position: usize,
}

impl DelayLine {
    /// The longest delay the line gives.
    #[inline]
    pub(super) fn capacity(&self) -> usize {
        self.lines.first().map_or(0, |line| line.len() - 1)
    }

    /// Makes the line at least `capacity` samples long on `channels` channels, keeping what
    /// it holds when it is long enough already (allocates otherwise: off the run path).
    pub(super) fn grow(&mut self, channels: usize, capacity: usize) {
        if self.lines.len() < channels || self.capacity() < capacity {
            self.lines = vec![vec![0.0; capacity + 1]; channels];
            self.position = 0;
        }
    }

    /// Silence in every channel.
    pub(super) fn clear(&mut self) {
        for line in &mut self.lines {
            line.fill(0.0);
        }
    }

    /// Delays `n` samples of each of `channels` channels of `buffers` in place by `delay`
    /// samples (at most the [capacity](DelayLine::capacity)), keeping them in the line.
    pub(super) fn process<O: AsMut<[f32]>>(
        &mut self,
        n: usize,
        channels: usize,
        delay: usize,
        buffers: &mut Dst<'_, O>,
    ) {
        let mut end = self.position;
        for (k, line) in self.lines.iter_mut().enumerate().take(channels) {
            let length = line.len();
            let delay = delay.min(length - 1);
            let mut position = self.position;
            for sample in &mut buffers.channel(k)[..n] {
                line[position] = *sample;
                let back = if position >= delay {
                    position - delay
                } else {
                    position + length - delay
                };
                *sample = line[back];
                position += 1;
                if position == length {
                    position = 0;
                }
            }
            end = position;
        }
        self.position = end;
    }
}
