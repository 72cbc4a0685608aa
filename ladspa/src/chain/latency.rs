//! Latency: the delay line that stands for a bypassed stage, and offline compensation (trim the
//! chain's latency off the start of the output, feed silence at the end to fill it).

use super::Chain;
use super::buffers::Dst;
use super::error::ChainError;
use crate::port::Direction;

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

impl Chain {
    /// Runs the whole of `inputs` (`frames` samples of each channel) through the chain for
    /// offline use, with its latency compensated: the first [`latency`](Chain::latency)
    /// samples the chain puts out (which belong to no input sample) are dropped, and that many
    /// samples of silence are fed after the input so that `outputs` (`frames` samples of each
    /// output channel) holds the whole of the processed input, sample `t` of the output
    /// answering sample `t` of the input. Returns the latency compensated.
    ///
    /// The latency is read after the first block has run (plugins report it from their first
    /// run on); a change later in the run is not followed. The chain's state carries on
    /// afterwards: call [`Chain::reset`] before processing an unrelated signal.
    ///
    /// Allocates (one block of scratch buffers): meant for files, not for a real-time thread.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_latency");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let delay = plugin.find_label("tp_latency")?; // delays by the latency it reports
    /// let mut chain = ladspa_host::Chain::new(1, 48_000, 64)?;
    /// let stage = chain.add(delay)?;
    /// chain.set_control(stage, "Delay (Samples)", 100.0)?;
    /// let input: Vec<f32> = (0..1000).map(|t| t as f32).collect();
    /// let mut output = [vec![0.0; 1000]];
    /// assert_eq!(chain.process_offline(1000, &[&input], &mut output)?, 100);
    /// assert_eq!(output[0], input); // the delay is gone
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn process_offline<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        frames: usize,
        inputs: &[I],
        outputs: &mut [O],
    ) -> Result<usize, ChainError> {
        self.check_buffers(frames, inputs, outputs)?;
        let block = self.max_block();
        let mut scratch_in = vec![vec![0.0_f32; block]; self.input_channels()];
        let mut scratch_out = vec![vec![0.0_f32; block]; self.output_channels()];
        let (mut fed, mut produced, mut written) = (0, 0, 0);
        let mut latency = None;
        while written < frames {
            let n = if fed < frames {
                block.min(frames - fed)
            } else {
                block
            };
            for (scratch, input) in scratch_in.iter_mut().zip(inputs) {
                let input = input.as_ref();
                let available = frames.saturating_sub(fed).min(n);
                if available > 0 {
                    scratch[..available].copy_from_slice(&input[fed..fed + available]);
                }
                scratch[available..n].fill(0.0);
            }
            self.process(n, &scratch_in, &mut scratch_out)?;
            fed += n;
            let skip = *latency.get_or_insert(self.latency());
            // This block holds output samples [produced, produced + n); the caller's output
            // sample `t` is the chain's sample `t + skip`.
            let first = skip.max(produced);
            let last = (produced + n).min(skip + frames);
            if first < last {
                for (scratch, output) in scratch_out.iter().zip(outputs.iter_mut()) {
                    let output = &mut output.as_mut()[first - skip..last - skip];
                    output.copy_from_slice(&scratch[first - produced..last - produced]);
                }
                written = last - skip;
            }
            produced += n;
        }
        Ok(latency.unwrap_or(0))
    }

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
