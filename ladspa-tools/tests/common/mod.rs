//! What the tests of our tools against the LADSPA SDK's (`listplugins.rs`, `analyseplugin.rs`,
//! `applyplugin.rs`) share: running a tool in a scratch directory, comparing ours with the SDK's
//! (standard output, exit status, output file), and the plugin files they run on. The inputs
//! they feed the tools are in `inputs`.

// Each test file uses a part of these.
#![allow(dead_code)]

pub mod inputs;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const SDK_DIR: &str = "/usr/lib/ladspa";
pub const SDK_FILES: [&str; 5] = ["amp", "delay", "filter", "noise", "sine"];

/// Our binary of this name, built by cargo for this test.
pub fn ours(name: &str) -> PathBuf {
    PathBuf::from(match name {
        "listplugins" => env!("CARGO_BIN_EXE_listplugins"),
        "analyseplugin" => env!("CARGO_BIN_EXE_analyseplugin"),
        "applyplugin" => env!("CARGO_BIN_EXE_applyplugin"),
        _ => panic!("no tool {name}"),
    })
}

/// The SDK's tool of this name; fails the test when the package is missing.
pub fn sdk_tool(name: &str) -> PathBuf {
    let path = Path::new("/usr/bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: install Debian's ladspa-sdk (`apt-get install ladspa-sdk`)",
        path.display()
    );
    for file in SDK_FILES {
        let plugin = Path::new(SDK_DIR).join(format!("{file}.so"));
        assert!(
            plugin.is_file(),
            "{} is missing: install Debian's ladspa-sdk",
            plugin.display()
        );
    }
    path
}

/// A scratch directory of this test's own, emptied.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sdk-tools")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// How long one run of a tool may take before it is killed: a plugin file that hangs while it
/// loads is a result to report, not a test that never ends.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs a program in `dir` with `LADSPA_PATH` set to `ladspa_path` (unset for `None`), and the
/// catalog's cache in `dir` (our tools keep one; the SDK's ignore it). Killed after
/// [`TOOL_TIMEOUT`] (then its status has no code).
pub fn run(program: &Path, args: &[&str], dir: &Path, ladspa_path: Option<&OsStr>) -> Output {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let [stdout, stderr] = ["stdout", "stderr"].map(|name| dir.join(format!("{name}.{run}")));
    let file = |path: &Path| std::fs::File::create(path).expect("create a capture file");
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        // (No ~/.ladspa: our tools' default search path starts there.)
        .env("HOME", dir)
        .env_remove("LADSPA_PATH")
        .stdin(Stdio::null())
        .stdout(file(&stdout))
        .stderr(file(&stderr));
    if let Some(value) = ladspa_path {
        command.env("LADSPA_PATH", value);
    }
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for a tool") {
            break status;
        }
        if started.elapsed() > TOOL_TIMEOUT {
            let _ = child.kill();
            break child.wait().expect("wait for a killed tool");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let [stdout, stderr] = [stdout, stderr].map(|path| {
        let bytes = std::fs::read(&path).expect("read a capture file");
        let _ = std::fs::remove_file(&path);
        bytes
    });
    Output {
        status,
        stdout,
        stderr,
    }
}

/// Runs the SDK's tool and ours on the same arguments and compares standard output and exit
/// status; for `applyplugin`, also the output file `out.wav` (named `OUT` in `args`).
pub fn compare(tool: &str, args: &[&str], dir: &Path, ladspa_path: Option<&OsStr>) {
    if let Err(difference) = try_compare(tool, args, dir, ladspa_path) {
        panic!("{difference}");
    }
}

/// What [`try_compare`] found when the tools agree.
#[derive(Debug, PartialEq)]
pub enum Agreement {
    /// Same standard output, exit status and output file.
    Same,
    /// The SDK's tool was killed by a signal (or hung): nothing to compare, a result to
    /// document. Ours ended by itself (with an error, or with its output).
    SdkCrashed(String),
}

/// [`compare`], returning the difference instead of failing.
pub fn try_compare(
    tool: &str,
    args: &[&str],
    dir: &Path,
    ladspa_path: Option<&OsStr>,
) -> Result<Agreement, String> {
    try_compare_paths(tool, args, dir, ladspa_path, ladspa_path)
}

/// What the SDK's tools mean to search when `LADSPA_PATH` is unset (Debian's build searches a
/// relative directory named `DEFAULT_LADSPA_PATH` instead); ours search the same, after a
/// `~/.ladspa` that the tests' `HOME` does not have.
pub const SDK_DEFAULT_PATH: &str = "/usr/local/lib/ladspa:/usr/lib/ladspa";

/// Compares ours with `LADSPA_PATH` unset (`None`) or empty against the SDK's with it set to
/// what the SDK means by its default: every tool of ours has one default, the usual
/// directories.
pub fn compare_default_path(tool: &str, args: &[&str], dir: &Path, ours: Option<&OsStr>) {
    let sdk = Some(OsStr::new(SDK_DEFAULT_PATH));
    if let Err(difference) = try_compare_paths(tool, args, dir, ours, sdk) {
        panic!("{difference}");
    }
}

/// [`try_compare`] with a `LADSPA_PATH` for each side.
pub fn try_compare_paths(
    tool: &str,
    args: &[&str],
    dir: &Path,
    ladspa_path: Option<&OsStr>,
    sdk_path: Option<&OsStr>,
) -> Result<Agreement, String> {
    let sdk = sdk_tool(tool);
    let ours = ours(tool);
    let outputs = ["sdk.wav", "ours.wav"].map(|name| dir.join(name));
    let runs = [
        (&sdk, &outputs[0], sdk_path),
        (&ours, &outputs[1], ladspa_path),
    ];
    let [sdk_run, our_run] = runs.map(|(program, out, path)| {
        let _ = std::fs::remove_file(out);
        let args: Vec<&str> = args
            .iter()
            .map(|&a| if a == "OUT" { out.to_str().unwrap() } else { a })
            .collect();
        run(program, &args, dir, path)
    });
    let context = format!(
        "{tool} {args:?} (LADSPA_PATH={ladspa_path:?})\nSDK stderr: {}\nour stderr: {}",
        String::from_utf8_lossy(&sdk_run.stderr),
        String::from_utf8_lossy(&our_run.stderr)
    );
    if sdk_run.status.code().is_none() {
        return match our_run.status.code() {
            Some(_) => Ok(Agreement::SdkCrashed(format!(
                "the SDK's {tool} ended by {}, ours with {}: {context}",
                sdk_run.status, our_run.status
            ))),
            None => Err(format!(
                "both tools crashed ({} and {}): {context}",
                sdk_run.status, our_run.status
            )),
        };
    }
    if our_run.stdout != sdk_run.stdout {
        return Err(format!(
            "standard output differs: {context}\nSDK stdout:\n{}\nour stdout:\n{}",
            String::from_utf8_lossy(&sdk_run.stdout),
            String::from_utf8_lossy(&our_run.stdout)
        ));
    }
    if our_run.status.code() != sdk_run.status.code() {
        return Err(format!(
            "exit status differs (SDK {}, ours {}): {context}",
            sdk_run.status, our_run.status
        ));
    }
    if !args.contains(&"OUT") {
        return Ok(Agreement::Same);
    }
    if sdk_run.stdout.starts_with(b"Peak output") {
        // The SDK ran the chain (even when it then fails on a trailing argument).
        let (sdk_file, our_file) = (
            std::fs::read(&outputs[0]).unwrap(),
            std::fs::read(&outputs[1]).unwrap_or_default(),
        );
        let first_difference = sdk_file.iter().zip(&our_file).position(|(a, b)| a != b);
        if sdk_file != our_file {
            return Err(format!(
                "output files differ ({} and {} bytes, first difference at byte {first_difference:?}): {context}",
                sdk_file.len(),
                our_file.len()
            ));
        }
    } else if !outputs[0].exists() && outputs[1].exists() {
        return Err(format!(
            "we wrote an output file, the SDK did not: {context}"
        ));
    }
    // Otherwise the SDK failed after creating its output file, and left a header without
    // audio; we check everything before creating ours, and leave none.
    Ok(Agreement::Same)
}

pub fn reference_path() -> &'static OsStr {
    ladspa_testplugins::reference_dir().as_os_str()
}

/// Every plugin file the parity tests run on, each with the `LADSPA_PATH` that finds it: the
/// SDK's five files, then every reference test plugin.
pub fn every_plugin_file() -> impl Iterator<Item = (PathBuf, &'static OsStr)> {
    let sdk = SDK_FILES.iter().map(|f| {
        (
            Path::new(SDK_DIR).join(format!("{f}.so")),
            OsStr::new(SDK_DIR),
        )
    });
    let reference = ladspa_testplugins::REFERENCE_PLUGINS
        .iter()
        .map(|f| (ladspa_testplugins::reference_plugin(f), reference_path()));
    sdk.chain(reference)
}

/// Every plugin file in the directory of Debian's LADSPA packages, sorted.
pub fn debian_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SDK_DIR)
        .expect("read /usr/lib/ladspa")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension() == Some(OsStr::new("so")))
        .collect();
    files.sort();
    files
}

/// Sorts the comparisons' results: differences fail the test, the SDK's own crashes are
/// printed as results.
#[derive(Default)]
pub struct Results {
    pub compared: usize,
    pub sdk_crashes: Vec<String>,
    pub differences: Vec<String>,
}

impl Results {
    pub fn add(&mut self, result: Result<Agreement, String>) {
        self.compared += 1;
        match result {
            Ok(Agreement::Same) => {}
            Ok(Agreement::SdkCrashed(note)) => self.sdk_crashes.push(note),
            Err(difference) => self.differences.push(difference),
        }
    }

    pub fn check(self, what: &str) {
        for note in &self.sdk_crashes {
            eprintln!("{what}: {note}");
        }
        eprintln!(
            "{what}: {} comparisons, {} where the SDK's tool crashed, {} differences",
            self.compared,
            self.sdk_crashes.len(),
            self.differences.len()
        );
        assert!(
            self.differences.is_empty(),
            "{what}: {} differences:\n{}",
            self.differences.len(),
            self.differences.join("\n\n")
        );
    }
}
