//! What can go wrong with audio files and the file job; each error names its file once.

use std::io;
use std::path::PathBuf;

use crate::chain::ChainError;

/// Why reading, writing or processing an audio file failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AudioError {
    /// The input could not be opened or read.
    #[error("cannot read {}: {reason}", file.display())]
    Read {
        /// The file (`-` for standard input).
        file: PathBuf,
        /// What the system or the decoder said.
        reason: String,
    },
    /// The input is not audio in a format this crate reads.
    #[error("cannot read {}: {reason}", file.display())]
    Format {
        /// The file.
        file: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The output could not be created.
    #[error("cannot create {}: {reason}", file.display())]
    Create {
        /// The file.
        file: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The output could not be written (or put in its place at the end).
    #[error("cannot write {}: {reason}", file.display())]
    Write {
        /// The file (`-` for standard output).
        file: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The output is the input (the same file through some path or link): writing it would
    /// destroy the input before it is read.
    #[error("{} is the input file: writing it would destroy the input (choose another output)", file.display())]
    OutputIsInput {
        /// The output as named.
        file: PathBuf,
    },
    /// The output's name ends in an audio extension other than `.wav`: only WAV is written.
    #[error("{} would hold WAV audio: only WAV files are written (name it .wav, or use -)", file.display())]
    NotWavName {
        /// The output as named.
        file: PathBuf,
    },
    /// The chain could not be built or run.
    #[error("{0}")]
    Chain(#[from] ChainError),
    /// The job was stopped by its caller (a signal, a cancelled task) before it finished; the
    /// output was not replaced.
    #[error("interrupted; {} left as it was", file.display())]
    Interrupted {
        /// The output.
        file: PathBuf,
    },
}

impl AudioError {
    /// Whether the error comes from what the caller asked for and can be fixed before any work
    /// starts (a command line's usage errors), as opposed to a failure during the work.
    pub fn is_usage(&self) -> bool {
        matches!(self, Self::OutputIsInput { .. } | Self::NotWavName { .. })
    }

    /// Whether writing failed because the reader of a pipe went away.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Write { reason, .. } if reason == BROKEN_PIPE)
    }
}

use crate::io_reason::BROKEN_PIPE;

/// What an I/O error says, without Rust's ` (os error N)`: `No such file or directory`.
pub fn reason(error: &io::Error) -> String {
    crate::io_reason::reason(error)
}
