//! Where the plugin files are: one directory per kind, built on the first call in the process
//! (see the [crate documentation](crate#building-on-demand)).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::names::{
    BROKEN_PLUGINS, HOSTILE_PLUGINS, LETHAL_PLUGINS, REFERENCE_PLUGINS, VALIDATOR_FIXTURES,
};

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
