//! The errors of chains: each names the stage (by position and plugin label) and the counts
//! that did not fit.

use crate::handle::{InstantiateError, RunError};
use crate::port_error::PortError;
use crate::port_info::Direction;

/// Why a chain could not be built, changed or run.
///
/// The errors of building and configuring a chain ([`Chain::new`](super::Chain::new),
/// [`Chain::add`](super::Chain::add), [`Chain::set_bypass`](super::Chain::set_bypass)) name the
/// stage and its plugin's label; the errors of a run ([`Chain::process`](super::Chain::process)
/// and friends) hold only numbers, so that refusing a run allocates nothing.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// A chain of 0 channels was asked for.
    #[error("a chain needs at least one channel")]
    ZeroChannels,
    /// A maximum block of 0 samples was asked for.
    #[error("a chain's maximum block must be at least one sample")]
    ZeroMaxBlock,
    /// The plugin's audio ports fit none of the channel-mapping rules for the channels that
    /// reach this stage (see [`Mapping`](super::Mapping)).
    #[error(
        "stage {stage} ({label}): a plugin with {inputs} audio input(s) and {outputs} audio \
         output(s) does not fit {channels} channel(s): it needs {channels} input(s) (one \
         instance), 1 input and 1 output (one instance per channel), or no input (a generator)"
    )]
    ChannelMismatch {
        /// The position the stage would have had.
        stage: usize,
        /// The plugin's label.
        label: String,
        /// The plugin's audio inputs.
        inputs: usize,
        /// The plugin's audio outputs.
        outputs: usize,
        /// The channels that reach the stage.
        channels: usize,
    },
    /// The plugin has no audio output, so nothing would leave the stage (analysers and meters
    /// are not chain stages).
    #[error("stage {stage} ({label}): a plugin without audio outputs cannot be a chain stage")]
    NoAudioOutputs {
        /// The position the stage would have had.
        stage: usize,
        /// The plugin's label.
        label: String,
    },
    /// The plugin could not be instantiated.
    #[error("stage {stage}: {source}")]
    Instantiate {
        /// The position the stage would have had.
        stage: usize,
        /// Why.
        source: InstantiateError,
    },
    /// There is no stage of this number.
    #[error("no stage {stage}: the chain has {stages} stage(s)")]
    NoSuchStage {
        /// The stage asked for.
        stage: usize,
        /// The chain's number of stages.
        stages: usize,
    },
    /// A port of a stage could not be read or set.
    #[error("stage {stage}: {source}")]
    Port {
        /// The stage.
        stage: usize,
        /// Why.
        source: PortError,
    },
    /// A stage that changes the number of channels cannot be bypassed: its input cannot stand
    /// for its output.
    #[error(
        "stage {stage} ({label}) cannot be bypassed: it turns {channels_in} channel(s) into \
         {channels_out}"
    )]
    BypassChangesChannels {
        /// The stage.
        stage: usize,
        /// The plugin's label.
        label: String,
        /// The channels that reach the stage.
        channels_in: usize,
        /// The channels that leave it.
        channels_out: usize,
    },
    /// A run was given the wrong number of channel buffers.
    #[error("{given} {} channel buffer(s) given, the chain has {expected}", side(*direction))]
    ChannelCount {
        /// Inputs or outputs.
        direction: Direction,
        /// The number of buffers given.
        given: usize,
        /// The chain's number of channels on that side.
        expected: usize,
    },
    /// A channel buffer is shorter than the samples asked for.
    #[error("{} channel {channel} holds {len} samples, fewer than the {frames} asked for", side(*direction))]
    BufferTooShort {
        /// Inputs or outputs.
        direction: Direction,
        /// The channel.
        channel: usize,
        /// Its length.
        len: usize,
        /// The samples asked for.
        frames: usize,
    },
    /// Control changes must come sorted by offset.
    #[error("control change {index} (offset {offset}) comes after one at offset {previous}")]
    ChangesNotSorted {
        /// The position of the change in the list.
        index: usize,
        /// Its offset.
        offset: usize,
        /// The offset of the change before it.
        previous: usize,
    },
    /// A control change lies outside the samples of the run.
    #[error(
        "control change {index} at offset {offset} lies outside the {frames} samples of the run"
    )]
    ChangeOutOfRange {
        /// The position of the change in the list.
        index: usize,
        /// Its offset.
        offset: usize,
        /// The samples of the run.
        frames: usize,
    },
    /// A plugin refused a run (which the chain's own checks should have prevented).
    #[error("stage {stage}: {source}")]
    Run {
        /// The stage.
        stage: usize,
        /// Why.
        source: RunError,
    },
}

/// "input" or "output".
fn side(direction: Direction) -> &'static str {
    match direction {
        Direction::Input => "input",
        Direction::Output => "output",
    }
}
