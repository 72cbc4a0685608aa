//! Offline latency compensation: trim the chain's latency off the start of the output, feed
//! silence at the end to fill it.

use super::error::ChainError;
use super::state::Chain;

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
}
