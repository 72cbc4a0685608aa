//! Why a `ladspa` command failed, and the exit status and message that say so.

use std::process::ExitCode;

use ladspa_host::catalog::ResolveError;

/// What the exit statuses mean, shown by `--help` (a macro, so that subcommands append it to
/// their own text with `concat!`).
macro_rules! exit_status {
    () => {
        "\
Exit status:
  0  success (also when the reader of standard output goes away: ladspa list | head)
  1  a failure during the work: a plugin, an audio file or a check failed, or apply's
     standard output was closed before its output was complete
  2  the command line is wrong, which can be fixed before any work starts: its syntax, an
     unknown or ambiguous plugin, an output that is the input
A signal (Ctrl-C) stops apply as the shell expects (130 for SIGINT), leaving the old output
as it was."
    };
}
pub(crate) use exit_status;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// A plugin named on the command line cannot be used.
    #[error(transparent)]
    Resolve(#[from] ladspa_host::catalog::ResolveError),
    /// A catalog entry could not be loaded.
    #[error(transparent)]
    Catalog(#[from] ladspa_host::catalog::CatalogError),
    /// The command line is wrong in a way its parser cannot see.
    #[error("{0}")]
    Usage(String),
    /// A chain could not be built or run.
    #[error("{}", counted_from_one(&.0.to_string()))]
    Chain(#[from] ladspa_host::chain::ChainError),
    /// An audio file could not be read, written or processed.
    #[error("{}", counted_from_one(&.0.to_string()))]
    Audio(#[from] ladspa_host::audio::AudioError),
    /// Some files of a batch failed (each was reported).
    #[error("{0}")]
    Failed(String),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The live host failed (JACK).
    #[error("{0}")]
    Live(String),
    /// A signal stopped the job; the output was left as it was.
    #[error("interrupted; {} left as it was", .0.display())]
    Interrupted(std::path::PathBuf),
    /// `apply`'s standard output was closed before the output was complete.
    #[error("standard output was closed before the output was complete")]
    OutputClosed,
    /// Writing JSON failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A chain's message with its stage counted as a person counts (the library counts stages
/// from 0, as it indexes them): `stage 0 (amp_stereo): …` becomes `stage 1 (amp_stereo): …`.
fn counted_from_one(message: &str) -> String {
    let Some(rest) = message.strip_prefix("stage ") else {
        return message.to_owned();
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest[..digits].parse::<usize>() {
        Ok(stage) => format!("stage {}{}", stage + 1, &rest[digits..]),
        Err(_) => message.to_owned(),
    }
}

impl CliError {
    /// The exit status for this error: 2 for what the command line can fix before any work
    /// starts (its syntax, an unknown or ambiguous plugin, an output that is the input), 1 for
    /// failures during the work.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Resolve(error) if !matches!(error, ResolveError::Scan(_)) => ExitCode::from(2),
            Self::Audio(error) if error.is_usage() => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }

    /// Whether standard output's reader went away (a closed pipe): `list` and `info` then end
    /// quietly, with status 0.
    pub(super) fn is_closed_pipe(&self) -> bool {
        match self {
            Self::Io(error) => error.kind() == std::io::ErrorKind::BrokenPipe,
            Self::Json(error) => error.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}
