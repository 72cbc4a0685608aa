//! The real-world sweep: every plugin type of every file in `/usr/lib/ladspa` (Debian's 25
//! LADSPA plugin packages) through the safe API, each file in a child process of its own, so
//! that a crash or a hang is a result rather than the end of the suite.
//!
//! The test binary is both sides. The parent ([`parent`]) starts this same test again in child
//! processes, one per file, and tells each (by environment) which file to sweep and which steps
//! to skip. A child ([`child`]) prints a line before each step and one after it; when a child
//! dies, the last step it announced is where, and the parent starts a new child for the same
//! file that skips that step, so the rest of the file is still covered. At the end the parent
//! compares the failures with `known-plugin-defects.txt` ([`known`]): a failure not listed there
//! fails the test, and so does a listed defect that no longer happens.
//!
//! Opt-in by the workspace convention (`.ci/run` installs the 25 packages and runs it); when
//! the plugin directory is missing or incomplete the test fails, it never skips.

mod child;
mod known;
mod parent;
mod reporter;

use std::fmt;

/// The environment variable that makes a run of this test a child, sweeping the file it names.
const CHILD_FILE_VAR: &str = "LADSPA_SWEEP_CHILD_FILE";
/// The steps a child skips: `label@rate@step` entries separated by spaces.
const CHILD_SKIP_VAR: &str = "LADSPA_SWEEP_CHILD_SKIP";
/// Where a child starts: `label@rate`, the plugin type and rate where the previous child of the
/// same file died (everything before it is swept already).
const CHILD_RESUME_VAR: &str = "LADSPA_SWEEP_CHILD_RESUME";
/// Restricts the sweep to a comma-separated list of file names, for working on a few plugins
/// at a time. The full sweep (what CI runs) is the default.
const ONLY_FILES_VAR: &str = "LADSPA_SWEEP_FILES";
/// The name of the test, which the parent passes to `--exact` to start children.
const TEST_NAME: &str = "every_debian_plugin_survives_the_safe_api_in_a_child_process";
/// Every line of the protocol starts with this, so that what plugins print themselves (some
/// do, on stdout) is told apart; a line is found even when a plugin left a partial line before.
const MARK: &str = "@@ladspa-sweep";

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn every_debian_plugin_survives_the_safe_api_in_a_child_process() {
    match std::env::var_os(CHILD_FILE_VAR) {
        Some(file) => {
            let resume = std::env::var(CHILD_RESUME_VAR).ok();
            let resume = resume.filter(|at| !at.is_empty());
            child::sweep_file(file.as_ref(), &Skips::from_env(), resume.as_deref());
        }
        None => parent::sweep_all(),
    }
}

/// Where a step happens: a plugin type (by label) at a sample rate, or the file itself
/// (label `*`, rate 0) for loading, unloading and the child's own exit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct StepKey {
    label: String,
    rate: u32,
    step: String,
}

impl StepKey {
    fn file_level(step: &str) -> Self {
        Self {
            label: "*".to_owned(),
            rate: 0,
            step: step.to_owned(),
        }
    }

    fn is_file_level(&self) -> bool {
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
enum Outcome {
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
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Fail => "fail",
            Self::Declined => "declined",
            Self::LoadError => "load-error",
            Self::Rejected => "rejected",
            Self::Skipped => "skipped",
        }
    }

    fn parse(text: &str) -> Option<Self> {
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
enum Event {
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
    fn parse(line: &str) -> Option<Self> {
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
struct Skips(Vec<StepKey>);

impl Skips {
    fn from_env() -> Self {
        Self::parse(&std::env::var(CHILD_SKIP_VAR).unwrap_or_default())
    }

    fn parse(text: &str) -> Self {
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

    fn to_env(&self) -> String {
        let entries: Vec<String> = self
            .0
            .iter()
            .map(|k| format!("{}@{}@{}", k.label, k.rate, k.step))
            .collect();
        entries.join(" ")
    }

    /// Whether a step is skipped: named exactly, or by its group (`min-*` for `min-64`).
    fn contains(&self, label: &str, rate: u32, step: &str) -> bool {
        self.0.iter().any(|k| {
            k.label == label && k.rate == rate && (k.step == step || k.step == step_group(step))
        })
    }
}

/// The group of a step: the runs at one control setting (`min-1`, `min-64`, `min-4096`) form
/// `min-*`; every other step is its own group.
fn step_group(step: &str) -> String {
    match step.split_once('-') {
        Some((setting @ ("default" | "min" | "max"), _)) => format!("{setting}-*"),
        _ => step.to_owned(),
    }
}

#[test]
fn protocol_lines_read_back_as_written_even_after_a_plugin_s_partial_line() {
    let key = StepKey {
        label: "amp_mono".to_owned(),
        rate: 44100,
        step: "max-4096".to_owned(),
    };
    let events = [
        Event::Step(key.clone()),
        Event::Done {
            key: key.clone(),
            runs: 3,
            outcome: Outcome::Fail,
            message: "set_control(NaN) accepted on ports 1 2".to_owned(),
        },
        Event::Loaded {
            descriptors: 64,
            rejected: 1,
        },
        Event::End,
    ];
    for event in events {
        let line = format!("plugin says hi{event}");
        assert_eq!(Event::parse(&line), Some(event));
    }
    assert_eq!(Event::parse("no mark here"), None);

    let skips = Skips(vec![key.clone(), StepKey::file_level("unload")]);
    assert_eq!(Skips::parse(&skips.to_env()).0, skips.0);
    assert!(skips.contains("amp_mono", 44100, "max-4096"));
    let group = Skips(vec![StepKey {
        step: step_group("min-1"),
        ..key.clone()
    }]);
    assert!(group.contains("amp_mono", 44100, "min-4096"));
    assert!(!group.contains("amp_mono", 44100, "max-4096"));
    assert_eq!(step_group("run-0-empty"), "run-0-empty");
    assert!(!skips.contains("amp_mono", 48000, "max-4096"));
}
