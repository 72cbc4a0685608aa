//! The host survives hostile plugins (issue 9): one test per host-side defect, through the real
//! loader, with the hostile fixtures of `ladspa-testplugins`. Each fixture really misbehaves
//! (its own tests in `ladspa-testplugins` show it with raw FFI); these tests show that the
//! safe API leaves it no way to hurt the host.
//!
//! A test whose fixture crashes or hangs the process when the host does not defend itself runs
//! the dangerous part in a child process ([`common::in_child`]), so that a regression is a
//! failed test with the child's signal, not a dead test binary.

#[path = "../common/mod.rs"]
mod common;

mod buffers;
mod controls;
mod fp_env;
mod lifecycle;
mod loading;

use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::time::Duration;

use common::{Outcome, PrivateCopy, in_child};
use ladspa_host::Defect;
use ladspa_host::discovery::SearchPath;
use ladspa_host::{LoadError, LoadOptions, Plugin, PortError};
use ladspa_testplugins::{OUTSIDE_RUN_MARKER, OUTSIDE_RUN_SAMPLES, OVERLAP_INTERVALS_SYMBOL};

/// How long a child may take: it builds nothing (the parent did), so this is slack for a
/// loaded machine, not an expected duration.
const CHILD_TIMEOUT: Duration = Duration::from_secs(60);

fn hostile(name: &str) -> PathBuf {
    ladspa_testplugins::hostile_plugin(name)
}

fn load(path: &Path) -> Plugin {
    // SAFETY: the test plugins are this workspace's own code; the hostile ones misbehave only
    // in the documented ways the host is under test for.
    unsafe { Plugin::load(path) }.unwrap_or_else(|error| panic!("{error}"))
}

fn assert_exited_cleanly(child: &common::ChildEnd) {
    assert_eq!(child.outcome, Outcome::Exited(0), "{child}");
}
