//! Building a chain: its channels, sample rate and maximum block, then its stages in order.

use super::buffers::Buffers;
use super::error::ChainError;
use super::mapping::Mapping;
use super::stage::Stage;
use super::state::Chain;
use crate::descriptor::Descriptor;
use crate::handle::AnyHandle;

impl Chain {
    /// An empty chain of `channels` channels at `sample_rate` Hz that runs at most
    /// `max_block` samples per plugin call (longer runs are split). With no stages it copies
    /// its input to its output.
    pub fn new(channels: usize, sample_rate: u32, max_block: usize) -> Result<Chain, ChainError> {
        if channels == 0 {
            return Err(ChainError::ZeroChannels);
        }
        if max_block == 0 {
            return Err(ChainError::ZeroMaxBlock);
        }
        let mut buffers = Buffers::default();
        buffers.reserve(channels, max_block);
        Ok(Chain {
            input_channels: channels,
            sample_rate,
            max_block,
            min_split: 1,
            stages: Vec::new(),
            buffers,
            latency: 0,
            output_channels: channels,
            reads_latency: false,
            active: true,
            fresh: true,
            flush_denormals: false,
        })
    }

    /// Adds a stage at the end of the chain: instances of `descriptor`, as many as the
    /// [channel-mapping rules](Mapping) say (a mono plugin on a stereo chain gets two),
    /// instantiated at the chain's sample rate with their controls at their initial values
    /// ([`Descriptor::initial_controls`]), flushing denormals if the chain does
    /// ([`Chain::set_flush_denormals`]). They are activated once, by [`Chain::activate`] or
    /// the chain's next run, so that controls set before then reach the plugin's `activate`
    /// (see [Lifecycle](super#lifecycle)). Returns the stage's number, by which its controls
    /// are set.
    ///
    /// A plugin that fits no rule is refused here ([`ChainError::ChannelMismatch`],
    /// [`ChainError::NoAudioOutputs`]), so a chain that was built runs. Instantiating takes
    /// the process-wide lifecycle lock and allocates: build chains off the real-time thread.
    pub fn add(&mut self, descriptor: &Descriptor) -> Result<usize, ChainError> {
        let stage = self.stages.len();
        let channels_in = self.output_channels();
        let (mapping, channels_out) = Mapping::for_plugin(stage, descriptor, channels_in)?;
        let instances = (0..mapping.instances(channels_in))
            .map(|_| {
                let mut handle = descriptor
                    .instantiate(self.sample_rate)
                    .map_err(|source| ChainError::Instantiate { stage, source })?;
                handle.set_flush_denormals(self.flush_denormals);
                Ok(AnyHandle::from(handle))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.buffers
            .reserve(channels_in.max(channels_out), self.max_block);
        let mut added = Stage::new(
            descriptor.clone(),
            mapping,
            channels_in,
            channels_out,
            instances,
        );
        added.size_delay(self.max_delay());
        self.stages.push(added);
        self.active = false;
        self.plan();
        Ok(stage)
    }

    /// Adds a stage as [`Chain::add`] does and returns the chain, for building in one
    /// expression.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let chain = ladspa_host::Chain::new(2, 48_000, 256)?
    ///     .with(plugin.find_label("tp_amp_mono")?)? // one instance per channel
    ///     .with(plugin.find_label("tp_amp_stereo")?)?; // one instance
    /// assert_eq!(chain.stages().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with(mut self, descriptor: &Descriptor) -> Result<Chain, ChainError> {
        self.add(descriptor)?;
        Ok(self)
    }

    /// Makes plugin calls take up to `max_block` samples from the next run on (an audio
    /// server's new period), resizing the chain's buffers: allocates, so call it off the
    /// real-time thread (JACK's buffer-size callback may). 0 is refused
    /// ([`ChainError::ZeroMaxBlock`]).
    pub fn set_max_block(&mut self, max_block: usize) -> Result<(), ChainError> {
        if max_block == 0 {
            return Err(ChainError::ZeroMaxBlock);
        }
        self.buffers.resize_block(max_block);
        self.max_block = max_block;
        Ok(())
    }
}
