//! What a check function returns: a verdict and its message.

use serde::{Deserialize, Serialize};

/// The verdict of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The plugin passed (information checks pass with their measurement as the message).
    Pass,
    /// Something a host may trip on, but not a violation of the specification.
    Warn,
    /// A defect, a crash or a hang.
    Fail,
    /// The check does not apply, or could not run; the message says why.
    Skip,
}

impl Verdict {
    /// The lower-case word used in both renderings.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::Skip => "skip",
        }
    }
}

/// A verdict and its message.
pub(crate) type Outcome = (Verdict, String);

/// A pass with a message.
pub(crate) fn pass(message: impl Into<String>) -> Outcome {
    (Verdict::Pass, message.into())
}

/// A warning.
pub(crate) fn warn(message: impl Into<String>) -> Outcome {
    (Verdict::Warn, message.into())
}

/// A failure.
pub(crate) fn fail(message: impl Into<String>) -> Outcome {
    (Verdict::Fail, message.into())
}

/// A skip, with the reason.
pub(crate) fn skip(message: impl Into<String>) -> Outcome {
    (Verdict::Skip, message.into())
}

/// A skip for a plugin that `instantiate` refuses at the checks' rate (the
/// `instantiate-rates` check reports that).
pub(crate) fn not_instantiated(error: String) -> Outcome {
    skip(format!("{error} (see instantiate-rates)"))
}
