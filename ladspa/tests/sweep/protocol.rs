//! What parent and children share: the environment that makes a run of the test a child, and
//! the line protocol a child reports its steps with (steps, outcomes, skips).

use std::fmt;

/// The environment variable that makes a run of this test a child, sweeping the file it names.
pub(crate) const CHILD_FILE_VAR: &str = "LADSPA_SWEEP_CHILD_FILE";
/// The steps a child skips: `label@rate@step` entries separated by spaces.
pub(crate) const CHILD_SKIP_VAR: &str = "LADSPA_SWEEP_CHILD_SKIP";
/// Where a child starts: `label@rate`, the plugin type and rate where the previous child of the
/// same file died (everything before it is swept already).
pub(crate) const CHILD_RESUME_VAR: &str = "LADSPA_SWEEP_CHILD_RESUME";
/// Restricts the sweep to a comma-separated list of file names, for working on a few plugins
/// at a time. The full sweep (what CI runs) is the default.
pub(crate) const ONLY_FILES_VAR: &str = "LADSPA_SWEEP_FILES";
/// The name of the test, which the parent passes to `--exact` to start children.
pub(crate) const TEST_NAME: &str = "every_debian_plugin_survives_the_safe_api_in_a_child_process";
/// Every line of the protocol starts with this, so that what plugins print themselves (some
/// do, on stdout) is told apart; a line is found even when a plugin left a partial line before.
pub(crate) const MARK: &str = "@@ladspa-sweep";

/// Where a step happens: a plugin type (by label) at a sample rate, or the file itself
/// (label `*`, rate 0) for loading, unloading and the child's own exit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct StepKey {
    pub(crate) label: String,
    pub(crate) rate: u32,
    pub(crate) step: String,
}

impl StepKey {
    pub(crate) fn file_level(step: &str) -> Self {
        Self {
            label: "*".to_owned(),
            rate: 0,
            step: step.to_owned(),
        }
    }

    pub(crate) fn is_file_level(&self) -> bool {
        self.label == "*"
    }
}

impl fmt::Display for StepKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_file_level() {
            write!(f, "{}", self.step)
        } else {
            write!(f, "{} @ {} Hz: {}", self.label, self.rate, self.step)
        }
    }
}

/// What a step ended with, as the child reports it (a step that killed the child has no
/// report: the parent knows it from the exit status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Done, and every check held.
    Ok,
    /// A check of the host failed (a non-finite control accepted, a run refused...): always
    /// the host's fault, never listable as a plugin defect.
    Fail,
    /// The plugin declined, as the specification lets it (`instantiate` returned NULL).
    Declined,
    /// The file did not load (an error, not a crash).
    LoadError,
    /// Validation refused a plugin type (an error, not a crash).
    Rejected,
    /// The child was told to skip this step.
    Skipped,
}

impl Outcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Fail => "fail",
            Self::Declined => "declined",
            Self::LoadError => "load-error",
            Self::Rejected => "rejected",
            Self::Skipped => "skipped",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [
            Self::Ok,
            Self::Fail,
            Self::Declined,
            Self::LoadError,
            Self::Rejected,
            Self::Skipped,
        ]
        .into_iter()
        .find(|outcome| outcome.as_str() == text)
    }
}

/// One line of the protocol, from a child to the parent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Event {
    /// About to do a step (printed and flushed before it).
    Step(StepKey),
    /// A step ended; `runs` counts the plugin's `run` calls it made.
    Done {
        key: StepKey,
        runs: u64,
        outcome: Outcome,
        message: String,
    },
    /// The file loaded: how many plugin types it holds, and how many validation refused.
    Loaded { descriptors: usize, rejected: usize },
    /// The child swept everything it was asked to and is about to return.
    End,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = |k: &StepKey| format!("{} {} {}", k.label, k.rate, k.step);
        match self {
            Self::Step(k) => write!(f, "{MARK} step {}", key(k)),
            Self::Done {
                key: k,
                runs,
                outcome,
                message,
            } => {
                // One event is one line: a message never spans lines.
                let message = message.replace(['\n', '\r'], " ");
                write!(
                    f,
                    "{MARK} done {} {runs} {} {message}",
                    key(k),
                    outcome.as_str()
                )
            }
            Self::Loaded {
                descriptors,
                rejected,
            } => write!(f, "{MARK} loaded {descriptors} {rejected}"),
            Self::End => write!(f, "{MARK} end"),
        }
    }
}

impl Event {
    /// The event on a line of a child's output, if the line holds one.
    pub(crate) fn parse(line: &str) -> Option<Self> {
        let rest = &line[line.find(MARK)? + MARK.len()..];
        let mut words = rest.split_whitespace();
        let key = |words: &mut std::str::SplitWhitespace<'_>| {
            Some(StepKey {
                label: words.next()?.to_owned(),
                rate: words.next()?.parse().ok()?,
                step: words.next()?.to_owned(),
            })
        };
        match words.next()? {
            "step" => Some(Self::Step(key(&mut words)?)),
            "done" => Some(Self::Done {
                key: key(&mut words)?,
                runs: words.next()?.parse().ok()?,
                outcome: Outcome::parse(words.next()?)?,
                message: words.collect::<Vec<_>>().join(" "),
            }),
            "loaded" => Some(Self::Loaded {
                descriptors: words.next()?.parse().ok()?,
                rejected: words.next()?.parse().ok()?,
            }),
            "end" => Some(Self::End),
            _ => None,
        }
    }
}

/// The steps a child skips, because an earlier child died there.
#[derive(Debug, Default, Clone)]
pub(crate) struct Skips(pub(crate) Vec<StepKey>);

impl Skips {
    pub(crate) fn from_env() -> Self {
        Self::parse(&std::env::var(CHILD_SKIP_VAR).unwrap_or_default())
    }

    pub(crate) fn parse(text: &str) -> Self {
        let keys = text.split_whitespace().map(|entry| {
            let mut parts = entry.splitn(3, '@');
            let mut part = || parts.next().expect("a skip entry is label@rate@step");
            StepKey {
                label: part().to_owned(),
                rate: part().parse().expect("a skip entry's rate is a number"),
                step: part().to_owned(),
            }
        });
        Self(keys.collect())
    }

    pub(crate) fn to_env(&self) -> String {
        let entries: Vec<String> = self
            .0
            .iter()
            .map(|k| format!("{}@{}@{}", k.label, k.rate, k.step))
            .collect();
        entries.join(" ")
    }

    /// Whether a step is skipped: named exactly, or by its group (`min-*` for `min-64`).
    pub(crate) fn contains(&self, label: &str, rate: u32, step: &str) -> bool {
        self.0.iter().any(|k| {
            k.label == label && k.rate == rate && (k.step == step || k.step == step_group(step))
        })
    }
}

/// The group of a step: the runs at one control setting (`min-1`, `min-64`, `min-4096`) form
/// `min-*`; every other step is its own group.
pub(crate) fn step_group(step: &str) -> String {
    match step.split_once('-') {
        Some((setting @ ("default" | "min" | "max"), _)) => format!("{setting}-*"),
        _ => step.to_owned(),
    }
}
