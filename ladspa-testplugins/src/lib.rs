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
//! [`OnceLock`]) into a target directory of its own, and copies the libraries to their
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

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod counters;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
pub mod fp_register;
pub mod kit;
pub mod lethal;

pub use counters::{COUNTERS_SYMBOL, CounterSnapshot, Counters, counters};

pub use ladspa_host_sys;

/// The names (file stems) of the well-behaved plugin files, found in [`reference_dir()`].
pub const REFERENCE_PLUGINS: &[&str] = &[
    "tp_amp",
    "tp_delay",
    "tp_sine",
    "tp_noise",
    "tp_adding",
    "tp_inplace_broken",
    "tp_hints",
    "tp_recorder",
    "tp_latency",
    "tp_fanout",
    "tp_meter",
];

/// The names (file stems) of the broken fixtures, found in [`broken_dir()`].
pub const BROKEN_PLUGINS: &[&str] = &[
    "tp_bad_descriptors",
    "tp_no_symbol",
    "tp_no_descriptors",
    "tp_endless",
    "tp_instantiate_fails",
];

/// The names (file stems) of the hostile fixtures, found in [`hostile_dir()`].
pub const HOSTILE_PLUGINS: &[&str] = &[
    "tp_nan_hints",
    "tp_zero_run",
    "tp_outside_run",
    "tp_fpenv",
    "tp_static_descriptor",
    "tp_overlap",
    "tp_thread",
    "tp_shared_names",
    "tp_latin1_label",
];

/// The names (file stems) of the lethal fixtures, found in [`lethal_dir()`]: each ends or
/// freezes the process that loads it (see [`lethal`]).
pub const LETHAL_PLUGINS: &[&str] = &[
    "tp_ctor_abort",
    "tp_ctor_segv",
    "tp_ctor_exit",
    "tp_descriptor_segv",
    "tp_descriptor_sleep",
];

/// The names (file stems) of the validator's fixtures, found in [`validator_fixture_dir()`]:
/// `tp_v_<check>` fails (or warns in) exactly the `ladspa-validate` check `<check>` (with
/// `-` for `_`), and `tp_v_clean` passes every check. Each file's source says what it does.
pub const VALIDATOR_FIXTURES: &[&str] = &[
    "tp_v_clean",
    "tp_v_load",
    "tp_v_instantiate_rates",
    "tp_v_cleanup_unactivated",
    "tp_v_buffer_overrun",
    "tp_v_input_written",
    "tp_v_write_outside_run",
    "tp_v_zero_length",
    "tp_v_non_finite_output",
    "tp_v_denormal_output",
    "tp_v_reset",
    "tp_v_determinism",
    "tp_v_inplace",
    "tp_v_block_size",
    "tp_v_run_adding",
    "tp_v_control_range",
    "tp_v_rt_safety",
    "tp_v_fp_environment",
];

/// What `tp_outside_run.so` writes to every sample of its output in `activate`, `deactivate`
/// and `cleanup`: a value no test signal holds, so a buffer that received it shows it.
pub const OUTSIDE_RUN_MARKER: f32 = 12345.0;

/// How many samples `tp_outside_run.so` reads from its input and writes to its output in
/// `activate`, `deactivate` and `cleanup`: a realistic block size, within the host's promise
/// (issue 9) that every audio port points at memory for a block of that size outside runs.
pub const OUTSIDE_RUN_SAMPLES: usize = 4096;

/// The symbol through which `tp_overlap.so` hands out the intervals its lifecycle calls ran
/// in: `extern "C" fn(out: *mut [u64; 2], max: usize) -> usize` copies up to `max` intervals
/// `[enter, exit]` (nanoseconds of `CLOCK_MONOTONIC`, so comparable across files) to `out`, in
/// the order the calls began, and returns how many it copied.
pub const OVERLAP_INTERVALS_SYMBOL: &str = "tp_overlap_intervals";

/// The most intervals `tp_overlap.so` records; calls beyond that many are counted but not
/// recorded.
pub const OVERLAP_MAX_INTERVALS: usize = 16384;

/// What `ladspa_descriptor(index)` of `tp_bad_descriptors.so` returns, by index: the label (or
/// `"(null)"` when the label is the NULL under test) and the defect (`"none"` for the valid
/// descriptors). Index `BAD_DESCRIPTORS.len()` returns NULL.
///
/// The invalid descriptors have unique IDs 7101 to 7119 in this order; `tp_good_neighbour` is
/// 7100, `tp_latin1` 7120 and `tp_good_tail` 7121. Every valid one is amplifier-like (port 0
/// "Gain" control input, 1 "Input" audio input, 2 "Output" audio output), and every invalid one
/// starts from that layout, so "port 1" in a defect is the port named "Input".
pub const BAD_DESCRIPTORS: &[(&str, &str)] = &[
    ("tp_good_neighbour", "none"),
    ("(null)", "Label is NULL"),
    ("bad_null_name", "Name is NULL"),
    ("bad_null_maker", "Maker is NULL"),
    ("bad_null_copyright", "Copyright is NULL"),
    ("bad_null_port_descriptors", "PortDescriptors is NULL"),
    ("bad_null_port_names", "PortNames is NULL"),
    ("bad_null_port_range_hints", "PortRangeHints is NULL"),
    ("bad_null_port_name", "PortNames[1] is NULL"),
    (
        "bad_port_input_and_output",
        "port 1 is both input and output",
    ),
    (
        "bad_port_no_direction",
        "port 1 is neither input nor output",
    ),
    (
        "bad_port_audio_and_control",
        "port 1 is both audio and control",
    ),
    ("bad_port_no_kind", "port 1 is neither audio nor control"),
    ("bad_null_instantiate", "instantiate is NULL"),
    ("bad_null_connect_port", "connect_port is NULL"),
    ("bad_null_run", "run is NULL"),
    ("bad_null_cleanup", "cleanup is NULL"),
    (
        "bad_run_adding_without_gain",
        "run_adding without set_run_adding_gain",
    ),
    (
        "bad_gain_without_run_adding",
        "set_run_adding_gain without run_adding",
    ),
    (
        "bad_huge_port_count",
        "PortCount is 1 << 40 with 3-element port arrays",
    ),
    (
        "tp_latin1",
        "none (Name and one port name are Latin-1, not UTF-8)",
    ),
    ("tp_good_tail", "none"),
];

/// The directory holding the well-behaved plugin files ([`REFERENCE_PLUGINS`]) as
/// `<name>.so`, and nothing else, so it can serve as a `LADSPA_PATH`. Builds them on the first
/// call in the process (see the [crate documentation](crate#building-on-demand)).
///
/// # Panics
///
/// When the build fails (with cargo's output) or the files cannot be copied.
pub fn reference_dir() -> &'static Path {
    &plugins().reference
}

/// The directory holding the broken fixtures ([`BROKEN_PLUGINS`]) as `<name>.so`. Builds them
/// on the first call in the process, like [`reference_dir()`].
///
/// # Panics
///
/// As [`reference_dir()`].
pub fn broken_dir() -> &'static Path {
    &plugins().broken
}

/// The directory holding the hostile fixtures ([`HOSTILE_PLUGINS`]) as `<name>.so`. Builds them
/// on the first call in the process, like [`reference_dir()`].
///
/// # Panics
///
/// As [`reference_dir()`].
pub fn hostile_dir() -> &'static Path {
    &plugins().hostile
}

/// The directory holding the lethal fixtures ([`LETHAL_PLUGINS`]) as `<name>.so`, for scans in
/// worker processes only. Builds them on the first call in the process, like
/// [`reference_dir()`].
///
/// # Panics
///
/// As [`reference_dir()`].
pub fn lethal_dir() -> &'static Path {
    &plugins().lethal
}

/// The directory holding the validator's fixtures ([`VALIDATOR_FIXTURES`]) as `<name>.so`.
/// Builds them on the first call in the process, like [`reference_dir()`].
///
/// # Panics
///
/// As [`reference_dir()`].
pub fn validator_fixture_dir() -> &'static Path {
    &plugins().validator
}

/// The path of the validator fixture `name` (`"tp_v_clean"`, or with `.so`).
///
/// # Panics
///
/// When there is no such file (and as [`reference_dir()`]).
pub fn validator_fixture(name: &str) -> PathBuf {
    plugin_in(
        validator_fixture_dir(),
        name,
        "validator",
        VALIDATOR_FIXTURES,
    )
}

/// The path of the well-behaved plugin file `name` (`"tp_amp"`, or `"tp_amp.so"`).
///
/// # Panics
///
/// When there is no such file (and as [`reference_dir()`]).
pub fn reference_plugin(name: &str) -> PathBuf {
    plugin_in(reference_dir(), name, "reference", REFERENCE_PLUGINS)
}

/// The path of the broken fixture `name` (`"tp_bad_descriptors"`, or with `.so`).
///
/// # Panics
///
/// When there is no such file (and as [`reference_dir()`]).
pub fn broken_plugin(name: &str) -> PathBuf {
    plugin_in(broken_dir(), name, "broken", BROKEN_PLUGINS)
}

/// The path of the hostile fixture `name` (`"tp_zero_run"`, or with `.so`).
///
/// # Panics
///
/// When there is no such file (and as [`reference_dir()`]).
pub fn hostile_plugin(name: &str) -> PathBuf {
    plugin_in(hostile_dir(), name, "hostile", HOSTILE_PLUGINS)
}

fn plugin_in(dir: &Path, name: &str, kind: &str, known: &[&str]) -> PathBuf {
    let stem = name.strip_suffix(".so").unwrap_or(name);
    let path = dir.join(format!("{stem}.so"));
    if !path.is_file() {
        panic!(
            "no {kind} test plugin named {name:?}: {} does not exist (the {kind} plugins are {known:?})",
            path.display()
        );
    }
    path
}

struct PluginDirs {
    reference: PathBuf,
    broken: PathBuf,
    hostile: PathBuf,
    lethal: PathBuf,
    validator: PathBuf,
}

fn plugins() -> &'static PluginDirs {
    static DIRS: OnceLock<Result<PluginDirs, String>> = OnceLock::new();
    match DIRS.get_or_init(build_plugins) {
        Ok(dirs) => dirs,
        Err(message) => panic!("{message}"),
    }
}

/// The target directory of the nested build.
fn target_dir() -> PathBuf {
    // The workspace root: this package's parent directory.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the package lies in the workspace");
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            // A relative CARGO_TARGET_DIR is relative to where cargo was started, most likely
            // the workspace root.
            let dir = if dir.is_absolute() {
                dir
            } else {
                workspace.join(dir)
            };
            dir.join("ladspa-testplugins")
        }
        _ => workspace.join("target/ladspa-testplugins"),
    }
}

fn build_plugins() -> Result<PluginDirs, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let target = target_dir();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(&cargo);
    command
        .args([
            "build",
            "--release",
            "--examples",
            "-p",
            "ladspa-testplugins",
            "--manifest-path",
        ])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        // The outer build's choices of target directory are for the outer build.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    let output = command.output().map_err(|error| {
        format!(
            "could not run {:?} to build the test plugins: {error}",
            cargo
        )
    })?;
    if !output.status.success() {
        return Err(format!(
            "building the test plugins failed ({:?}, {}):\n{}",
            command,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }

    let built = target.join("release").join("examples");
    let dirs = PluginDirs {
        reference: target.join("plugins").join("reference"),
        broken: target.join("plugins").join("broken"),
        hostile: target.join("plugins").join("hostile"),
        lethal: target.join("plugins").join("lethal"),
        validator: target.join("plugins").join("validator"),
    };
    for (dir, names) in [
        (&dirs.reference, REFERENCE_PLUGINS),
        (&dirs.broken, BROKEN_PLUGINS),
        (&dirs.hostile, HOSTILE_PLUGINS),
        (&dirs.lethal, LETHAL_PLUGINS),
        (&dirs.validator, VALIDATOR_FIXTURES),
    ] {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("could not create {}: {error}", dir.display()))?;
        for name in names {
            let from = built.join(format!("lib{name}.so"));
            let to = dir.join(format!("{name}.so"));
            install(&from, &to).map_err(|error| {
                format!(
                    "could not copy the test plugin {} to {}: {error}",
                    from.display(),
                    to.display()
                )
            })?;
        }
    }
    Ok(dirs)
}

/// Copies `from` to `to` unless `to` has the same content already. The copy goes to a temporary
/// name in the same directory first and is then renamed, so another process never sees a
/// half-written file (and a process that has the old file loaded keeps its own inode).
fn install(from: &Path, to: &Path) -> std::io::Result<()> {
    let content = std::fs::read(from)?;
    if std::fs::read(to).is_ok_and(|existing| existing == content) {
        return Ok(());
    }
    let file_name = to.file_name().unwrap_or_default().to_string_lossy();
    let temporary = to.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, &content)?;
    std::fs::rename(&temporary, to).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
