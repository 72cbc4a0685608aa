//! The channel-mapping rules: how a plugin's audio ports meet the channels of a chain.

use super::error::ChainError;
use crate::descriptor::Descriptor;

/// How a stage's plugin instances take the channels that reach the stage, decided by
/// [`Mapping::for_plugin`] when the stage is added, from the plugin's audio port counts and the
/// channels at that point of the chain. The rules, in order:
///
/// | plugin's audio ports | channels reaching the stage | mapping | channels leaving it |
/// |---|---|---|---|
/// | 0 in, `m` ≥ 1 out (a generator) | any | [`Generator`](Mapping::Generator): one instance, its input ignored | `m` |
/// | `n` in, `m` ≥ 1 out | `n` | [`Single`](Mapping::Single): one instance, channel `k` to input `k` | `m` |
/// | 1 in, 1 out | `c` ≥ 2 | [`Replicated`](Mapping::Replicated): `c` instances, one per channel | `c` |
/// | 0 out | any | refused: [`ChainError::NoAudioOutputs`] | — |
/// | anything else | | refused: [`ChainError::ChannelMismatch`] | — |
///
/// So a stereo plugin (2 in, 2 out) runs once on a stereo chain, a mono plugin runs once per
/// channel, each instance with its own state, a mono-to-stereo plugin (1 in, 2 out: a reverb
/// such as swh's `plate`) turns a mono chain stereo, a stereo-to-mono plugin (2 in, 1 out) turns
/// a stereo chain mono, and a generator's outputs replace the chain's channels. A plugin whose
/// inputs match no rule (1 in, 2 out on a stereo chain; 2 in on a 3-channel chain) is refused
/// when the stage is added, never while the chain runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mapping {
    /// One instance: the channels reaching the stage feed its audio inputs in port order, and
    /// its audio outputs, in port order, are the channels leaving it.
    Single,
    /// One instance per channel, each with one audio input and one audio output and its own
    /// state; every instance gets the same control values.
    Replicated,
    /// One instance of a plugin without audio inputs: its outputs replace the channels.
    Generator,
}

impl Mapping {
    /// The mapping for a stage at position `stage` whose plugin is `descriptor`, reached by
    /// `channels` channels, and the number of channels leaving it; or why none fits.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// use ladspa_host::chain::Mapping;
    ///
    /// let mono = plugin.find_label("tp_amp_mono")?;
    /// let stereo = plugin.find_label("tp_amp_stereo")?;
    /// assert_eq!(Mapping::for_plugin(0, mono, 2)?, (Mapping::Replicated, 2));
    /// assert_eq!(Mapping::for_plugin(0, stereo, 2)?, (Mapping::Single, 2));
    /// assert!(Mapping::for_plugin(0, stereo, 3).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_plugin(
        stage: usize,
        descriptor: &Descriptor,
        channels: usize,
    ) -> Result<(Mapping, usize), ChainError> {
        let inputs = descriptor.audio_input_count();
        let outputs = descriptor.audio_output_count();
        let label = || descriptor.label().to_string();
        if outputs == 0 {
            return Err(ChainError::NoAudioOutputs {
                stage,
                label: label(),
            });
        }
        if inputs == 0 {
            Ok((Mapping::Generator, outputs))
        } else if inputs == channels {
            Ok((Mapping::Single, outputs))
        } else if inputs == 1 && outputs == 1 {
            Ok((Mapping::Replicated, channels))
        } else {
            Err(ChainError::ChannelMismatch {
                stage,
                label: label(),
                inputs,
                outputs,
                channels,
            })
        }
    }

    /// How many instances the mapping makes for `channels` channels reaching the stage.
    pub fn instances(self, channels: usize) -> usize {
        match self {
            Mapping::Replicated => channels,
            Mapping::Single | Mapping::Generator => 1,
        }
    }
}
