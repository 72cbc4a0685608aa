//! Support shared by the integration tests: private copies of the test plugins, and their
//! instance accounting.
#![allow(dead_code)] // each test binary uses its own part

pub mod counting;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ladspa_host::{Descriptor, Plugin};
pub use ladspa_testplugins::CounterSnapshot;

/// A private copy of a test plugin file. The dynamic loader shares one image per file, so each
/// test that counts instances, or watches the file unload, works on a copy of its own: tests
/// running in parallel never see each other's counts.
pub struct PrivateCopy {
    pub path: PathBuf,
}

impl PrivateCopy {
    pub fn of(original: &Path) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ladspa-private-copies");
        std::fs::create_dir_all(&dir).expect("create the copies directory");
        let stem = original.file_stem().unwrap().to_string_lossy();
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{stem}-{}-{n}.so", std::process::id()));
        std::fs::copy(original, &path).expect("copy the plugin file");
        Self { path }
    }

    pub fn reference(name: &str) -> Self {
        Self::of(&ladspa_testplugins::reference_plugin(name))
    }

    pub fn load(&self) -> Plugin {
        // SAFETY: the test plugins are trusted code.
        unsafe { Plugin::load(&self.path) }.expect("the test plugin loads")
    }

    pub fn descriptor(&self, label: &str) -> Descriptor {
        self.load()
            .find_label(label)
            .expect("the test plugin has this label")
            .clone()
    }

    /// The file's instance accounting now. Opening the file again only adds a reference to the
    /// image the test already has loaded (and drops it before returning).
    pub fn counters(&self) -> CounterSnapshot {
        // SAFETY: the test plugins are trusted code.
        let library =
            unsafe { libloading::Library::new(&self.path) }.expect("the test plugin loads");
        ladspa_testplugins::counters(&library)
            .expect("the test plugin exports its counters")
            .snapshot()
    }

    /// Whether the dynamic loader has the file loaded now (`dlopen` with `RTLD_NOLOAD`).
    pub fn is_loaded(&self) -> bool {
        use libloading::os::unix::{Library, RTLD_LAZY};
        /// `RTLD_NOLOAD` of glibc's `<dlfcn.h>` (libloading does not export it).
        const RTLD_NOLOAD: std::ffi::c_int = 0x4;
        // SAFETY: RTLD_NOLOAD never loads the file, so no code of it runs; when it is loaded
        // already, this only takes a reference that is dropped at once.
        unsafe { Library::open(Some(&self.path), RTLD_LAZY | RTLD_NOLOAD) }.is_ok()
    }

    /// Whether the file is mapped into this process, by `/proc/self/maps`.
    pub fn is_mapped(&self) -> bool {
        let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
        maps.lines()
            .any(|line| line.ends_with(&*self.path.to_string_lossy()))
    }
}

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Loads a test plugin file in place (no private copy) and finds one label in it.
pub fn reference_descriptor(file: &str, label: &str) -> Descriptor {
    let path = ladspa_testplugins::reference_plugin(file);
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.expect("the test plugin loads");
    plugin
        .find_label(label)
        .expect("the test plugin has this label")
        .clone()
}

/// A deterministic test signal.
pub fn signal(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (i as f32 * 0.01).sin() * 0.5 + (state as f32 / u32::MAX as f32 - 0.5) * 0.1
        })
        .collect()
}

/// The environment variable that marks a process as the child of a test: it holds the name of
/// the test whose dangerous part the process runs.
pub const CHILD_VAR: &str = "LADSPA_TEST_CHILD";

/// What a child prints before the dangerous part, so the parent can tell a child that ran it
/// from one that matched no test (a misspelt name) and exited 0 having done nothing.
const CHILD_STARTED: &str = "ladspa test child started: ";

/// How a child process of a test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It exited with this code (0: the dangerous part ran and its assertions held; 101: a
    /// panic, usually a failed assertion, in its stderr).
    Exited(i32),
    /// A signal killed it (SIGSEGV 11, SIGFPE 8, SIGABRT 6…).
    Signalled(i32),
    /// It was still running at the timeout and was killed.
    TimedOut,
}

/// A child process of a test, after it ended.
#[derive(Debug)]
pub struct ChildEnd {
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for ChildEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "child {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.outcome, self.stdout, self.stderr
        )
    }
}

/// Runs `dangerous` in a child process, for a test whose plugin may crash or hang the process
/// that runs it. Call it from the test named `test` (exactly as the harness names it, the
/// function name for a test at the top of a test file).
///
/// In the test process, this runs the test binary again (`current_exe`) with only that test
/// selected (`--exact`, `--include-ignored` so ignored tests work too, one thread,
/// `--nocapture`) and [`CHILD_VAR`] set, waits at most `timeout` (then kills it), and returns
/// how the child ended, with its output. In that child, the same call runs `dangerous` and
/// exits with 0 (a panic in `dangerous` is a failed test: exit code 101), never returning.
///
/// # Panics
///
/// In the parent, when the child cannot be started, or ended without having started
/// `dangerous` (no test of that name).
pub fn in_child(test: &str, timeout: std::time::Duration, dangerous: impl FnOnce()) -> ChildEnd {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    if std::env::var_os(CHILD_VAR).is_some_and(|value| value == test) {
        println!("{CHILD_STARTED}{test}");
        dangerous();
        // Only the exit status matters to the parent; the harness's summary is not needed.
        std::process::exit(0);
    }

    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = Command::new(exe)
        .args([
            test,
            "--exact",
            "--include-ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD_VAR, test)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the test binary as a child");
    // Read both pipes while waiting, so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));

    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let end = ChildEnd {
        outcome: match status {
            None => Outcome::TimedOut,
            Some(status) => match (status.code(), status.signal()) {
                (Some(code), _) => Outcome::Exited(code),
                (None, Some(signal)) => Outcome::Signalled(signal),
                (None, None) => unreachable!("a Unix child ends by exit or by signal"),
            },
        },
        stdout: stdout.join().expect("read the child's stdout"),
        stderr: stderr.join().expect("read the child's stderr"),
    };
    assert!(
        end.stdout.contains(&format!("{CHILD_STARTED}{test}")),
        "the child never started the dangerous part of {test:?} (is that the test's exact \
         name?)\n{end}"
    );
    end
}

/// Whether `/proc/self/maps` maps `path` into this process.
pub fn is_mapped(path: &Path) -> bool {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
    maps.lines()
        .any(|line| line.ends_with(&*path.to_string_lossy()))
}
