//! The parent side: runs one child process per file, a few at a time, restarts a child past the
//! step where the last one died, and judges the failures against the known plugin defects.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::file_report::{Failure, FileReport};
use crate::known::{KnownDefects, Summary};
use crate::protocol::{CHILD_FILE_VAR, CHILD_RESUME_VAR, CHILD_SKIP_VAR, Event, ONLY_FILES_VAR};
use crate::protocol::{Outcome, Skips, StepKey, TEST_NAME, step_group};

/// Where Debian installs LADSPA plugins.
const PLUGIN_DIR: &str = "/usr/lib/ladspa";
/// The plugin files of Debian's 25 LADSPA packages (Debian 12); fewer means a package is missing.
const EXPECTED_FILES: usize = 206;
/// The plugin types in those files that load; fewer means the sweep did not reach them all.
const EXPECTED_DESCRIPTORS: usize = 494;
/// A step that takes longer than this is a hang. Steps take milliseconds; the slowest measured
/// (swh's imp instantiating, as FFTW plans its transforms) took 0.7 s with two children on two
/// cores, and 1.6 s with two whole sweeps at once on them.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// A file whose children die more often than this is given up on (reported, not looped on).
const MAX_CHILDREN_PER_FILE: usize = 64;

pub fn sweep_all() {
    let started = Instant::now();
    let files = plugin_files();
    let only: Option<Vec<String>> = std::env::var(ONLY_FILES_VAR)
        .ok()
        .map(|list| list.split(',').map(str::to_owned).collect());
    let files: Vec<PathBuf> = match &only {
        Some(names) => files
            .into_iter()
            .filter(|file| names.iter().any(|name| file.ends_with(name)))
            .collect(),
        None => {
            assert!(
                files.len() >= EXPECTED_FILES,
                "{PLUGIN_DIR} holds {} plugin files, not the {EXPECTED_FILES} of Debian's 25 \
                 LADSPA packages: install them (.ci/run lists them)",
                files.len()
            );
            files
        }
    };
    let known = KnownDefects::read();
    let reports = run_children(&files);

    let summary = Summary::of(&reports, &known, started.elapsed());
    println!("{summary}");
    assert!(
        summary.children_without_end.is_empty(),
        "children ended without sweeping their file (is the test name {TEST_NAME} right?): {:?}",
        summary.children_without_end
    );
    assert!(
        summary.uncovered.is_empty(),
        "plugin types not swept: {:?}",
        summary.uncovered
    );
    if only.is_none() {
        assert!(
            summary.descriptors >= EXPECTED_DESCRIPTORS,
            "only {} plugin types were swept, not the {EXPECTED_DESCRIPTORS} of Debian's packages",
            summary.descriptors
        );
    }
    assert!(
        summary.unexpected.is_empty() && summary.stale.is_empty(),
        "{} unexpected failures, {} stale known defects (see the summary above)",
        summary.unexpected.len(),
        summary.stale.len()
    );
}

/// The `.so` files of the plugin directory, largest first (the largest take longest: starting
/// them first keeps the children busy to the end).
fn plugin_files() -> Vec<PathBuf> {
    let entries = std::fs::read_dir(PLUGIN_DIR).unwrap_or_else(|error| {
        panic!("cannot read {PLUGIN_DIR} ({error}): install Debian's LADSPA plugin packages")
    });
    let mut files: Vec<(u64, PathBuf)> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "so"))
        .map(|path| (std::fs::metadata(&path).map_or(0, |m| m.len()), path))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    files.into_iter().map(|(_, path)| path).collect()
}

fn run_children(files: &[PathBuf]) -> Vec<FileReport> {
    let queue = Mutex::new(files.iter().cloned().collect::<VecDeque<_>>());
    let reports = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers.min(files.len()) {
            scope.spawn(|| {
                loop {
                    let Some(file) = queue.lock().unwrap().pop_front() else {
                        break;
                    };
                    let report = sweep_file(&file);
                    reports.lock().unwrap().push(report);
                }
            });
        }
    });
    let mut reports = reports.into_inner().unwrap();
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    reports
}

/// Sweeps one file with as many children as it takes to get past every step that kills one.
fn sweep_file(path: &Path) -> FileReport {
    let started = Instant::now();
    let mut report = FileReport {
        path: path.to_owned(),
        ..FileReport::default()
    };
    let mut skips = Skips::default();
    let mut resume = None;
    loop {
        report.children += 1;
        let death = run_child(path, &skips, resume.as_deref(), &mut report);
        let Some(failure) = death else { break };
        let key = failure.key.clone();
        eprintln!(
            "sweep: {} died at {key}: {} {}",
            path.display(),
            failure.kind,
            failure.detail
        );
        report.deaths.push(failure);
        // A death at file level (loading, unloading, exiting) ends the file: nothing after it
        // depends on skipping it. Past a plugin type's step, the next child starts at that
        // plugin type and rate (what came before is swept) and skips that step.
        if key.is_file_level() || report.children >= MAX_CHILDREN_PER_FILE {
            break;
        }
        resume = Some(format!("{}@{}", key.label, key.rate));
        // A hang costs a whole timeout: after one, the next child skips the hung run's group
        // (the other block sizes at the same control setting) rather than hang on each.
        let timed_out = report
            .deaths
            .last()
            .is_some_and(|death| death.kind == "timeout");
        let step = if timed_out {
            step_group(&key.step)
        } else {
            key.step.clone()
        };
        skips.0.push(StepKey { step, ..key });
    }
    report.elapsed = started.elapsed();
    report
}

/// Runs one child; returns how it died, if it did not end normally.
fn run_child(
    path: &Path,
    skips: &Skips,
    resume: Option<&str>,
    report: &mut FileReport,
) -> Option<Failure> {
    let exe = std::env::current_exe().expect("the test binary's path");
    // Through a shell only to disable core dumps: a fresh CI machine may write one for every
    // plugin that crashes. `exec` keeps the test binary's exit status as the child's.
    let mut child = Command::new("/bin/sh")
        .args(["-c", "ulimit -c 0; exec \"$0\" \"$@\""])
        .arg(&exe)
        .args([
            "--exact",
            TEST_NAME,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_FILE_VAR, path)
        .env(CHILD_SKIP_VAR, skips.to_env())
        .env(CHILD_RESUME_VAR, resume.unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a child test process");
    let events = read_events(&mut child);
    let stderr = keep_tail(child.stderr.take().expect("piped stderr"));

    let mut current: Option<StepKey> = None;
    let mut step_started = Instant::now();
    let mut ended = false;
    let status = loop {
        match events.recv_timeout(STEP_TIMEOUT) {
            Ok(Event::Step(key)) => {
                current = Some(key);
                step_started = Instant::now();
            }
            Ok(Event::Done {
                key,
                runs,
                outcome,
                message,
            }) => {
                current = None;
                // A skipped step keeps the death recorded for it.
                if outcome != Outcome::Skipped {
                    note_duration(report, step_started.elapsed(), &key);
                    report.steps.insert(key, (outcome, runs, message));
                }
            }
            Ok(Event::Loaded {
                descriptors,
                rejected,
            }) => {
                report.descriptors = descriptors;
                report.rejected = rejected;
            }
            Ok(Event::End) => ended = true,
            Err(RecvTimeoutError::Disconnected) => break child.wait().expect("wait for a child"),
            Err(RecvTimeoutError::Timeout) => {
                if let Some(status) = child.try_wait().expect("poll a child") {
                    break status;
                }
                let _ = child.kill();
                let _ = child.wait();
                let key = current.unwrap_or_else(|| StepKey::file_level("between-steps"));
                return Some(Failure::new(path, key, "timeout", String::new()));
            }
        }
    };
    let stderr = stderr.join().unwrap_or_default();
    if ended {
        report.ended = true;
    }
    if status.success() && ended {
        return None;
    }
    let key = match (current, ended) {
        (Some(key), _) => key,
        // Everything was swept; the process died on its way out (the file's destructors).
        (None, true) => StepKey::file_level("exit"),
        (None, false) => StepKey::file_level("between-steps"),
    };
    Some(Failure::new(path, key, &status_kind(status), stderr))
}

/// Keeps the slowest steps of a file, to show how far the step timeout is from real steps.
fn note_duration(report: &mut FileReport, elapsed: Duration, key: &StepKey) {
    const KEEP: usize = 5;
    report.slowest_steps.push((elapsed, key.clone()));
    report.slowest_steps.sort_by(|a, b| b.cmp(a));
    report.slowest_steps.truncate(KEEP);
}

/// The protocol events on a child's stdout, in order, until it closes.
fn read_events(child: &mut Child) -> mpsc::Receiver<Event> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            // Plugins print what they like, not always UTF-8.
            if let Some(event) = Event::parse(&String::from_utf8_lossy(&line)) {
                if send.send(event).is_err() {
                    break;
                }
            }
        }
    });
    receive
}

/// Reads a child's stderr to its end (so that it never blocks on a full pipe) and keeps the
/// last lines, which say why a child panicked.
fn keep_tail(mut stderr: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        let text = String::from_utf8_lossy(&text);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines[lines.len().saturating_sub(4)..].join(" | ")
    })
}

/// How a child ended, as the known-defects file names it: `SIGSEGV`, `exit-101`...
fn status_kind(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.signal(), status.code()) {
        (Some(signal), _) => signal_name(signal),
        (None, Some(code)) => format!("exit-{code}"),
        (None, None) => "unknown-exit".to_owned(),
    }
}

fn signal_name(signal: i32) -> String {
    let name = match signal {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal-{signal}"),
    };
    name.to_owned()
}
