//! What a check function returns.

use super::report::Verdict;

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
