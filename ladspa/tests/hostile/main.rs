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
mod harness;
mod lifecycle;
mod loading;
