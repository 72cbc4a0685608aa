//! What every hostile test uses: its imports (glob-imported by the test modules as their
//! prelude), the child timeout, and loading a hostile fixture.

pub use std::path::{Path, PathBuf};
pub use std::sync::Barrier;
pub use std::time::Duration;

pub(crate) use crate::common::{self, Outcome, PrivateCopy, in_child};
pub use ladspa_host::Defect;
pub use ladspa_host::discovery::SearchPath;
pub use ladspa_host::{LoadError, LoadOptions, Plugin, PortError};
pub use ladspa_testplugins::{OUTSIDE_RUN_MARKER, OUTSIDE_RUN_SAMPLES, OVERLAP_INTERVALS_SYMBOL};

/// How long a child may take: it builds nothing (the parent did), so this is slack for a
/// loaded machine, not an expected duration.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(60);

pub fn hostile(name: &str) -> PathBuf {
    ladspa_testplugins::hostile_plugin(name)
}

pub fn load(path: &Path) -> Plugin {
    // SAFETY: the test plugins are this workspace's own code; the hostile ones misbehave only
    // in the documented ways the host is under test for.
    unsafe { Plugin::load(path) }.unwrap_or_else(|error| panic!("{error}"))
}

pub fn assert_exited_cleanly(child: &common::ChildEnd) {
    assert_eq!(child.outcome, Outcome::Exited(0), "{child}");
}
