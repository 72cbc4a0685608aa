//! The parent side: worker processes started, watched for death and for time, restarted for
//! the checks that remain after one died, `--jobs` of them at once.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::protocol::{self, Message};
use super::report::{CheckResult, Document, PluginReport};
use super::suite::Check;
use super::suite::outcome::Verdict;

/// How the validation runs.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The executable started as a worker (it must call `serve_worker_if_asked` first).
    pub(crate) program: PathBuf,
    /// Workers at once.
    pub(crate) jobs: usize,
    /// The most one check (or one step of listing a file) may take.
    pub(crate) timeout: Duration,
    /// The checks to run, in [`Check::ALL`] order.
    pub(crate) checks: Vec<Check>,
    /// Only plugins with one of these labels or unique IDs (all when empty).
    pub(crate) only: Vec<String>,
}

/// A plugin type found by listing a file.
struct Entry {
    file: usize,
    index: usize,
    label: Option<String>,
    unique_id: Option<u64>,
    defect: Option<String>,
}

/// Runs `work` on every item, `jobs` at a time; the results are in the items' order.
fn parallel<T: Sync, R: Send>(items: &[T], jobs: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    results.lock().expect("no worker thread panics")[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker thread panics")
        .into_iter()
        .map(|r| r.expect("every item was done"))
        .collect()
}

/// Validates every plugin type of `files`.
pub(crate) fn validate(files: &[PathBuf], options: &Options) -> Document {
    let listings = parallel(files, options.jobs, |file| list(file, options));
    let mut plugins = Vec::new();
    let mut entries = Vec::new();
    for (file, listing) in listings.into_iter().enumerate() {
        match listing {
            Ok(found) => entries.extend(found.into_iter().map(|mut entry| {
                entry.file = file;
                entry
            })),
            Err(message) => plugins.push((
                file,
                0,
                PluginReport {
                    file: files[file].display().to_string(),
                    label: None,
                    unique_id: None,
                    checks: vec![CheckResult {
                        id: Check::Load,
                        verdict: Verdict::Fail,
                        message,
                    }],
                },
            )),
        }
    }
    entries.retain(|entry| {
        options.only.is_empty()
            || options.only.iter().any(|wanted| {
                entry.label.as_deref() == Some(wanted.as_str())
                    || entry.unique_id.is_some_and(|id| id.to_string() == *wanted)
            })
    });
    let reports = parallel(&entries, options.jobs, |entry| {
        check_plugin(files, entry, options)
    });
    plugins.extend(
        entries
            .iter()
            .zip(reports)
            .map(|(e, r)| (e.file, e.index, r)),
    );
    plugins.sort_by_key(|&(file, index, _)| (file, index));
    Document {
        plugins: plugins.into_iter().map(|(_, _, report)| report).collect(),
    }
}

/// The report of one plugin type: `load` from its listing, the rest from workers.
fn check_plugin(files: &[PathBuf], entry: &Entry, options: &Options) -> PluginReport {
    let file = &files[entry.file];
    let mut checks = Vec::new();
    let wanted: Vec<Check> = options
        .checks
        .iter()
        .copied()
        .filter(|&c| c != Check::Load)
        .collect();
    if let Some(defect) = &entry.defect {
        if options.checks.contains(&Check::Load) {
            checks.push(CheckResult {
                id: Check::Load,
                verdict: Verdict::Fail,
                message: format!("descriptor {} refused: {defect}", entry.index),
            });
        }
        checks.extend(wanted.iter().map(|&id| CheckResult {
            id,
            verdict: Verdict::Skip,
            message: "the descriptor is refused by validation (see load)".to_owned(),
        }));
    } else {
        if options.checks.contains(&Check::Load) {
            checks.push(CheckResult {
                id: Check::Load,
                verdict: Verdict::Pass,
                message: "the file loads and the descriptor is valid".to_owned(),
            });
        }
        checks.extend(run_checks(file, entry.index, &wanted, options));
    }
    PluginReport {
        file: file.display().to_string(),
        label: entry.label.clone(),
        unique_id: entry.unique_id,
        checks,
    }
}

/// A running worker and the messages read from it (`None`: it closed its pipe).
struct Session {
    child: Child,
    messages: Receiver<Option<Message>>,
}

fn spawn(
    file: &Path,
    mode: &str,
    extra: &[(&str, String)],
    options: &Options,
) -> Result<Session, String> {
    let mut command = Command::new(&options.program);
    command
        .env(protocol::WORKER_ENV, mode)
        .env(protocol::FILE_ENV, OsString::from(file.as_os_str()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("LADSPA_VALIDATE_DEBUG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        });
    for (key, value) in extra {
        command.env(key, value);
    }
    let mut child = command
        .spawn()
        .map_err(|error| format!("could not start {}: {error}", options.program.display()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (sender, messages) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            if let Ok(message) = serde_json::from_slice::<Message>(&line) {
                if sender.send(Some(message)).is_err() {
                    return;
                }
            }
        }
        let _ = sender.send(None);
    });
    Ok(Session { child, messages })
}

/// How a worker ended before it answered.
enum Death {
    Status(ExitStatus),
    TimedOut,
}

impl Session {
    /// The next message, or how the worker ended (killed at `deadline`).
    fn next(&mut self, deadline: Instant) -> Result<Message, Death> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(wait) {
            Ok(Some(message)) => Ok(message),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => Err(Death::Status(
                self.child
                    .wait()
                    .unwrap_or_else(|_| ExitStatus::from_raw(0)),
            )),
            Err(RecvTimeoutError::Timeout) => {
                // Killing a worker that just ended fails harmlessly.
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(Death::TimedOut)
            }
        }
    }
}

/// "killed by SIGSEGV", "timed out after 10 s", "exited with status 3".
fn describe(death: &Death, timeout: Duration) -> String {
    match death {
        Death::TimedOut => format!("timed out after {} s (hang)", timeout.as_secs_f64()),
        Death::Status(status) => match (status.signal(), status.code()) {
            (Some(signal), _) => format!("killed by {}", ladspa_host::catalog::signal_name(signal)),
            (None, Some(code)) => format!("exited with status {code}"),
            (None, None) => format!("ended ({status})"),
        },
    }
}

/// Lists the plugin types of `file` in a worker.
fn list(file: &Path, options: &Options) -> Result<Vec<Entry>, String> {
    let mut session = spawn(file, protocol::LIST, &[], options)?;
    let mut step = "starting the worker".to_owned();
    let mut entries = Vec::new();
    let deadline = Instant::now() + options.timeout;
    loop {
        match session.next(deadline) {
            Ok(Message::Step(s)) => step = s,
            Ok(Message::Plugin {
                index,
                label,
                unique_id,
                defect,
            }) => entries.push(Entry {
                file: 0,
                index,
                label,
                unique_id,
                defect,
            }),
            Ok(Message::LoadFailed(error)) => return Err(error),
            Ok(_) => {}
            Err(Death::Status(status)) if status.success() => {
                return if entries.is_empty() {
                    Err("the file holds no plugin (ladspa_descriptor(0) returned NULL)".to_owned())
                } else {
                    Ok(entries)
                };
            }
            Err(death) => {
                return Err(format!(
                    "the worker {} in {step}",
                    describe(&death, options.timeout)
                ));
            }
        }
    }
}

/// Runs `checks` on descriptor `index` of `file`, restarting the worker after each death.
fn run_checks(file: &Path, index: usize, checks: &[Check], options: &Options) -> Vec<CheckResult> {
    let mut results = Vec::new();
    let mut remaining: VecDeque<Check> = checks.iter().copied().collect();
    while let Some(&first) = remaining.front() {
        let ids: Vec<&str> = remaining.iter().map(|c| c.id()).collect();
        let extra = [
            (protocol::INDEX_ENV, index.to_string()),
            (protocol::CHECKS_ENV, ids.join(",")),
        ];
        let mut session = match spawn(file, protocol::CHECK, &extra, options) {
            Ok(session) => session,
            Err(error) => {
                results.extend(remaining.drain(..).map(|id| CheckResult {
                    id,
                    verdict: Verdict::Skip,
                    message: error.clone(),
                }));
                break;
            }
        };
        let mut current = first;
        let mut step = "loading the file".to_owned();
        let mut deadline = Instant::now() + options.timeout;
        let death = loop {
            match session.next(deadline) {
                Ok(Message::Begin(id)) => {
                    current = Check::from_id(&id).unwrap_or(current);
                    step = "the check's own code".to_owned();
                    deadline = Instant::now() + options.timeout;
                }
                Ok(Message::Step(s)) => step = s,
                Ok(Message::Alive) => deadline = Instant::now() + options.timeout,
                Ok(Message::Result { verdict, message }) => {
                    remaining.retain(|&c| c != current);
                    results.push(CheckResult {
                        id: current,
                        verdict,
                        message,
                    });
                }
                Ok(_) => {}
                Err(death) => break death,
            }
        };
        if remaining.is_empty() {
            break;
        }
        if !remaining.contains(&current) {
            current = first;
        }
        remaining.retain(|&c| c != current);
        results.push(CheckResult {
            id: current,
            verdict: Verdict::Fail,
            message: format!("{} in {step}", describe(&death, options.timeout)),
        });
    }
    results.sort_by_key(|r| r.id);
    results
}

/// The plugin files named by `arguments`: a directory stands for its `*.so` files (sorted), a
/// name with a `/` or an existing file for itself, any other name is looked up along
/// `LADSPA_PATH` as the SDK tools do.
pub(crate) fn resolve(arguments: &[OsString]) -> Result<Vec<PathBuf>, String> {
    let search = ladspa_host::discovery::SearchPath::from_env();
    let mut files = Vec::new();
    for argument in arguments {
        let path = Path::new(argument);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|error| {
                    let why = ladspa_host::audio::reason(&error);
                    format!("cannot read directory {}: {why}", path.display())
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.as_bytes() == b"so") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.to_owned());
        } else if argument.as_bytes().contains(&b'/') {
            return Err(format!("{}: no such file", path.display()));
        } else {
            // Plugins go by label or ID through `--plugin`: a user who gives one here is told.
            files.push(search.resolve(argument).map_err(|error| {
                format!(
                    "{error}; to check plugins by label or unique ID, name them with --plugin {}",
                    argument.to_string_lossy()
                )
            })?);
        }
    }
    Ok(files)
}
