//! What a job tells its front end while it runs: the [`Plan`] before the output is created,
//! its progress, and [`JobWarning`]s, through an [`Observer`].

use std::ops::ControlFlow;

use super::pcm::SampleFormat;
use super::read::AudioFormat;
use crate::chain::Chain;

/// What a job found worth saying while it ran, beside its result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum JobWarning {
    /// The chain's output has another channel count than the input (a plugin turns mono
    /// stereo, or mixes down).
    ChannelsChanged {
        /// The input's channels.
        input: usize,
        /// The output's channels.
        output: usize,
        /// The stage (counted from 0) that changed them last.
        stage: usize,
        /// Its plugin's label.
        label: String,
    },
    /// A generator (a plugin without audio inputs) replaces the channels that reach it.
    Generator {
        /// The stage (counted from 0).
        stage: usize,
        /// Its plugin's label.
        label: String,
        /// The channels that reach it, which it replaces.
        replaced: usize,
        /// Its output channels.
        outputs: usize,
    },
    /// Samples beyond full scale were clipped in an integer output.
    Clipped {
        /// How many.
        samples: u64,
    },
    /// The input's header promised more frames than it held.
    ShortInput {
        /// Frames the header promised.
        promised: u64,
        /// Frames read.
        read: u64,
    },
}

impl std::fmt::Display for JobWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Generator {
                stage,
                label,
                replaced,
                outputs,
            } => write!(
                f,
                "stage {} ({label}) is a generator: its {} replace{} the {} reaching it",
                stage + 1,
                channels(*outputs, "output channel"),
                if *outputs == 1 { "s" } else { "" },
                channels(*replaced, "channel"),
            ),
            Self::ChannelsChanged {
                input,
                output,
                stage,
                label,
            } => write!(
                f,
                "the output has {}, the input {input} (stage {}, {label}, changes them)",
                channels(*output, "channel"),
                stage + 1
            ),
            Self::Clipped { samples } => write!(
                f,
                "{samples} samples were beyond full scale and were clipped (a float output keeps them)"
            ),
            Self::ShortInput { promised, read } => write!(
                f,
                "the input's header promised {promised} frames, it held {read}"
            ),
        }
    }
}

/// `1 channel`, `2 channels`.
fn channels(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// What a job is about to do, given to [`Observer::started`] once the input is open and the
/// chain is built, before the output is created.
#[derive(Debug)]
#[non_exhaustive]
pub struct Plan<'a> {
    /// The input's format.
    pub input: &'a AudioFormat,
    /// The output's sample format and channels.
    pub output: (SampleFormat, usize),
    /// The chain, built for the input's channels and rate.
    pub chain: &'a Chain,
}

/// Follows a job: its plan, its progress (and whether to go on), its warnings. Every method
/// has a default that does nothing.
pub trait Observer {
    /// The input is open and the chain built; the output is not created yet. Out-of-range
    /// checks that depend on the input's sample rate belong here; `Break` stops the job.
    fn started(&mut self, plan: &Plan<'_>) -> ControlFlow<()> {
        let _ = plan;
        ControlFlow::Continue(())
    }

    /// `frames` more frames of the input were processed; `Break` stops the job (the output is
    /// then left as it was, and the job's error is [`AudioError::Interrupted`](super::AudioError::Interrupted)).
    fn progress(&mut self, frames: u64) -> ControlFlow<()> {
        let _ = frames;
        ControlFlow::Continue(())
    }

    /// Something worth saying.
    fn warning(&mut self, warning: &JobWarning) {
        let _ = warning;
    }
}

/// An observer that does nothing.
impl Observer for () {}
