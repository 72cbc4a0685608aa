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
mod file_report;
mod known;
mod parent;
mod protocol;
mod reporter;

use protocol::{CHILD_FILE_VAR, CHILD_RESUME_VAR, Event, Outcome, Skips, StepKey, step_group};

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
