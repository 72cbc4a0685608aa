//! The live host's errors.

use crate::chain::ChainError;
use crate::port_info::Direction;

/// Why the live host could not start, connect or rebuild.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum LiveError {
    /// The JACK client could not be opened: no server running, or libjack.so.0 missing.
    #[error("cannot open JACK client {name:?} (is a JACK server running?): {source}")]
    Open {
        /// The client name asked for.
        name: String,
        /// What JACK said.
        source: jack::Error,
    },
    /// A port could not be registered.
    #[error("cannot register JACK port {port:?}: {source}")]
    RegisterPort {
        /// The port's short name.
        port: String,
        /// What JACK said.
        source: jack::Error,
    },
    /// The client could not be activated.
    #[error("cannot activate JACK client {name:?}: {source}")]
    Activate {
        /// The client's name.
        name: String,
        /// What JACK said.
        source: jack::Error,
    },
    /// Two ports could not be connected.
    #[error("cannot connect JACK port {from:?} to {to:?}: {source}")]
    Connect {
        /// The output port.
        from: String,
        /// The input port.
        to: String,
        /// What JACK said.
        source: jack::Error,
    },
    /// The chain has more channels than the host takes.
    #[error("the chain has {count} channels ({direction:?}); the live host takes at most {max}")]
    TooManyChannels {
        /// Inputs or outputs.
        direction: Direction,
        /// The chain's channels.
        count: usize,
        /// The most the host takes ([`MAX_CHANNELS`](super::MAX_CHANNELS)).
        max: usize,
    },
    /// The chain failed before it started (its first run of 0 samples, its controls).
    #[error("the chain cannot start: {0}")]
    Chain(#[from] ChainError),
    /// The chain could not be rebuilt at a new sample rate; the old one keeps running.
    #[error("cannot rebuild the chain at {rate} Hz (the old one keeps running): {source}")]
    Rebuild {
        /// The new sample rate.
        rate: u32,
        /// Why.
        source: ChainError,
    },
    /// A rebuilt chain is still waiting for the audio thread to take it.
    #[error("cannot rebuild the chain at {rate} Hz: the last rebuilt chain is not taken yet")]
    RebuildPending {
        /// The new sample rate.
        rate: u32,
    },
}
