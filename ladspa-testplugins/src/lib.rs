//! Reference, deliberately broken and hostile LADSPA plugins, written in Rust on top of
//! `ladspa-host-sys`, for the workspace's tests.
//!
//! # The plugin files
//!
//! Each plugin file is one Cargo example of this package (`examples/<name>.rs`) built as a
//! `cdylib`, so the tests load real shared objects through the real dynamic loader, exactly as
//! a host loads the C plugins of the LADSPA SDK. The well-behaved ones
//! ([`REFERENCE_PLUGINS`]) land in [`reference_dir()`], the broken fixtures
//! ([`BROKEN_PLUGINS`]) in [`broken_dir()`] and the hostile ones ([`HOSTILE_PLUGINS`]) in
//! [`hostile_dir()`], each as `<name>.so`.
//!
//! Broken fixtures declare something a host must refuse. Hostile fixtures declare valid
//! descriptors but do what real plugins do and the specification does not allow (or does not
//! foresee): they touch buffers outside `run`, leave the floating-point environment changed,
//! run a thread after they are unloaded. Some of them crash the process on purpose when the
//! host does not defend itself, so tests that use them run the dangerous part in a child
//! process. They have a directory of their own because tests scan and count the broken one.
//!
//! | file                      | labels (unique IDs)                                         |
//! |---------------------------|-------------------------------------------------------------|
//! | `tp_amp.so`               | `tp_amp_mono` (7001), `tp_amp_stereo` (7002)                |
//! | `tp_delay.so`             | `tp_delay` (7003)                                           |
//! | `tp_sine.so`              | `tp_sine` (7004)                                            |
//! | `tp_noise.so`             | `tp_noise` (7005)                                           |
//! | `tp_adding.so`            | `tp_adding_amp` (7006), with `run_adding`                   |
//! | `tp_inplace_broken.so`    | `tp_inplace_broken` (7007), `INPLACE_BROKEN`                |
//! | `tp_hints.so`             | `tp_hints` (7008), every range hint and default combination; `tp_hint_edges` (7015), defaults left to the SDK's formulas |
//! | `tp_recorder.so`          | `tp_recorder` (7009), reports the control values it saw     |
//! | `tp_latency.so`           | `tp_latency` (7010), a delay that reports it as its `latency`; `tp_split` (7011), 1 → 2 channels; `tp_mix` (7012), 2 → 1 |
//! | `tp_fanout.so`            | `tp_fanout_split` (7013, 1 in/2 out), `tp_fanout_mix` (7014, 2 in/1 out)  |
//! | `tp_meter.so`             | `tp_peak_meter` (7016), an audio input and no audio output  |
//! | `tp_bad_descriptors.so`   | one descriptor per defect, see [`BAD_DESCRIPTORS`]          |
//! | `tp_no_symbol.so`         | no `ladspa_descriptor` symbol at all                        |
//! | `tp_no_descriptors.so`    | `ladspa_descriptor` returns NULL for every index            |
//! | `tp_endless.so`           | `tp_endless` (7200) for every index, never NULL             |
//! | `tp_instantiate_fails.so` | `tp_instantiate_fails` (7300), `instantiate` returns NULL   |
//!
//! The hostile fixtures; each file's source (`examples/<name>.rs`) says exactly what it does:
//!
//! | file                      | labels (unique IDs): what they do                             |
//! |---------------------------|---------------------------------------------------------------|
//! | `tp_nan_hints.so`         | `tp_nan_hints` (7400): NaN, infinite, inverted, huge bounds   |
//! | `tp_zero_run.so`          | `tp_zero_run` (7401): touches sample 0 in runs of 0 samples   |
//! | `tp_outside_run.so`       | `tp_outside_run` (7402): audio I/O in activate/deactivate/cleanup |
//! | `tp_fpenv.so`             | `tp_fpenv` (7403): returns with FP traps on, rounding to zero |
//! | `tp_static_descriptor.so` | `tp_static_a`/`_b`/`_c` (7410–7412): one refilled static descriptor |
//! | `tp_overlap.so`           | `tp_overlap` (7420): records and counts overlapping lifecycle calls |
//! | `tp_thread.so`            | `tp_thread` (7430): a thread that outlives the file's unloading |
//! | `tp_shared_names.so`      | `tp_shared_names` (7440): audio and control ports sharing names |
//! | `tp_latin1_label.so`      | `tp_latin1_\xe9` (7450): a label that is not UTF-8            |
//!
//! # Building on demand
//!
//! Nothing has to be built by hand: the first call of [`reference_dir()`], [`broken_dir()`],
//! [`hostile_dir()`], [`reference_plugin()`], [`broken_plugin()`] or [`hostile_plugin()`] in a
//! process runs `cargo build --release --examples -p ladspa-testplugins` (once per process, behind a
//! [`OnceLock`](std::sync::OnceLock)) into a target directory of its own, and copies the libraries to their
//! directories. That is how a fresh clone's `cargo test --workspace` finds the plugins, the way
//! `libloading`'s own tests build their helper library once per run. The nested build uses
//! `$CARGO_TARGET_DIR/ladspa-testplugins` when `CARGO_TARGET_DIR` is set, else
//! `target/ladspa-testplugins` of the workspace, so it never waits for the lock of the outer
//! build's target directory; when nothing changed it takes well under a second.
//!
//! # Accounting
//!
//! Every plugin file but `tp_no_symbol.so` exports
//! `extern "C" fn ladspa_testplugins_counters() -> *const Counters`, the [`Counters`] of that
//! file, which its plugins bump on each call of the LADSPA interface. Tests read them with
//! [`counters()`] and compare [`CounterSnapshot`]s.
//!
//! # Writing a plugin
//!
//! The [`kit`] module holds what the plugin files share, so each file is short: port tables,
//! `'static` descriptors, the generic `extern "C"` functions around a [`kit::Plugin`] state
//! type, and the [`export_counters!`] and [`export_descriptors!`] macros.

mod counters;
mod dirs;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
pub mod fp_register;
pub mod kit;
pub mod lethal;
mod names;

pub use counters::{COUNTERS_SYMBOL, CounterSnapshot, Counters, counters};
pub use dirs::{
    broken_dir, broken_plugin, hostile_dir, hostile_plugin, lethal_dir, reference_dir,
    reference_plugin, validator_fixture, validator_fixture_dir,
};
pub use names::{
    BAD_DESCRIPTORS, BROKEN_PLUGINS, HOSTILE_PLUGINS, LETHAL_PLUGINS, OUTSIDE_RUN_MARKER,
    OUTSIDE_RUN_SAMPLES, OVERLAP_INTERVALS_SYMBOL, OVERLAP_MAX_INTERVALS, REFERENCE_PLUGINS,
    VALIDATOR_FIXTURES,
};

pub use ladspa_host_sys;
