//! The parent side of the isolated scan: worker processes started, fed one file at a time,
//! watched for death and for time, replaced when they die.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::error::CatalogError;
use super::failure::{ScanFailure, ScanStep, WorkerFailure};
use super::record::FileOutcome;
use super::serial;
use super::step_page::StepPage;
use super::worker::{self, Message};

/// How the workers are run.
#[derive(Debug, Clone)]
pub(crate) struct PoolOptions {
    /// The executable run as a worker (it must link this crate).
    pub(crate) program: PathBuf,
    /// The arguments it is started with.
    pub(crate) args: Vec<std::ffi::OsString>,
    /// The most workers at once.
    pub(crate) workers: usize,
    /// How long one file may take.
    pub(crate) timeout: Duration,
}

/// What the pool did, for the catalog's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PoolStats {
    /// Worker processes started, replacements included.
    pub(crate) workers_started: usize,
}

/// Files sent to a worker at once: the one it is on and the next, so that it never waits for
/// the parent between files (a round trip per file would serialise the two processes).
const IN_FLIGHT: usize = 2;

/// A file sent to a worker.
struct Job {
    file: usize,
    /// The worker's count of files sent to it before this one.
    number: u32,
    /// The last step the worker said in a message (workers without a step page).
    step: ScanStep,
    /// When the worker began it (when the file before it was done), for its timeout.
    began: Option<Instant>,
}

struct Worker {
    child: Child,
    /// Where the worker stores its current step, when the system gave one.
    page: Option<StepPage>,
    /// Files sent so far.
    sent: u32,
    /// Whether the last wait saw something to read.
    readable: bool,
    to_worker: Option<ChildStdin>,
    from_worker: ChildStdout,
    /// Bytes received and not yet a whole message.
    received: Vec<u8>,
    /// Whether the worker said hello; until then `deadline` is for that.
    greeted: bool,
    started: Instant,
    /// Files sent and not done, oldest first: the worker is on the first.
    jobs: VecDeque<Job>,
    /// Set once the worker has ended or must be ended; the reason, if a file is to blame.
    ended: Option<Option<WorkerFailure>>,
}

/// Scans `paths` in worker processes; the outcomes are in the order of `paths`.
pub(crate) fn scan(
    paths: &[PathBuf],
    options: &PoolOptions,
) -> Result<(Vec<FileOutcome>, PoolStats), CatalogError> {
    let mut outcomes: Vec<Option<FileOutcome>> = vec![None; paths.len()];
    let mut stats = PoolStats::default();
    // Files not sent yet (or sent to a worker that died before it began them).
    let mut pending: VecDeque<usize> = (0..paths.len()).collect();
    let mut workers: Vec<Worker> = Vec::new();
    let wanted = options.workers.max(1).min(paths.len());
    for _ in 0..wanted {
        workers.push(spawn(options, &mut stats)?);
    }
    let mut remaining = paths.len();
    while remaining > 0 {
        for worker in workers.iter_mut().filter(|w| w.greeted && w.serving()) {
            while worker.jobs.len() < IN_FLIGHT {
                let Some(file) = pending.pop_front() else {
                    break;
                };
                worker.assign(file, &paths[file]);
            }
            if worker.jobs.is_empty() {
                // Nothing left to hand out: closing its pipe lets it exit.
                worker.to_worker = None;
            }
        }
        wait_for_news(&mut workers, options.timeout)?;
        let now = Instant::now();
        for worker in &mut workers {
            for (file, outcome) in worker.read_messages()? {
                outcomes[file] = Some(outcome);
                remaining -= 1;
            }
            if worker.ended.is_none() && worker.deadline(options.timeout).is_some_and(|d| now >= d)
            {
                worker.ended = Some(Some(WorkerFailure::TimedOut {
                    after: options.timeout,
                }));
                // The worker is killed below; an error here means it is already gone.
                let _ = worker.child.kill();
            }
        }
        let mut index = 0;
        while index < workers.len() {
            if workers[index].ended.is_none() {
                index += 1;
                continue;
            }
            let mut worker = workers.swap_remove(index);
            let status = worker.child.wait().map_err(CatalogError::Worker)?;
            let failure = worker.ended.flatten().unwrap_or_else(|| failure_of(status));
            if !worker.greeted {
                return Err(CatalogError::NotAWorker {
                    program: options.program.clone(),
                    failure,
                });
            }
            // The worker died in the file it was on; those queued behind it go to another.
            if let Some(job) = worker.jobs.pop_front() {
                let step = worker
                    .page
                    .as_ref()
                    .and_then(|page| page.step_of(job.number))
                    .unwrap_or(job.step);
                outcomes[job.file] = Some(FileOutcome::Failed(ScanFailure { step, failure }));
                remaining -= 1;
            }
            for job in worker.jobs.drain(..).rev() {
                pending.push_front(job.file);
            }
            if !pending.is_empty() && workers.iter().filter(|w| w.serving()).count() < wanted {
                workers.push(spawn(options, &mut stats)?);
            }
        }
    }
    for mut worker in workers {
        worker.to_worker = None;
        // Idle workers exit when their pipe closes; one that does not is not waited for.
        let _ = worker.child.kill();
        let _ = worker.child.wait();
    }
    let outcomes = outcomes
        .into_iter()
        .map(|outcome| outcome.expect("every file has its outcome when none remains"))
        .collect();
    Ok((outcomes, stats))
}

fn spawn(options: &PoolOptions, stats: &mut PoolStats) -> Result<Worker, CatalogError> {
    // Referring to the entry point keeps it linked into this program (see `worker`).
    let _ = worker::entry_point();
    let mut command = Command::new(&options.program);
    command
        .args(&options.args)
        .env(worker::WORKER_ENV, worker::PROTOCOL)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // Without a step page (a system without memfd), the worker says its steps as messages.
    let page = StepPage::create().ok();
    let spawned = match &page {
        Some(page) => page.spawn(&mut command),
        None => command.spawn(),
    };
    let mut child = spawned.map_err(|source| CatalogError::Spawn {
        program: options.program.clone(),
        source,
    })?;
    stats.workers_started += 1;
    let to_worker = child.stdin.take();
    let from_worker = child.stdout.take().expect("stdout was piped");
    Ok(Worker {
        child,
        page,
        sent: 0,
        readable: false,
        to_worker,
        from_worker,
        received: Vec::new(),
        greeted: false,
        started: Instant::now(),
        jobs: VecDeque::new(),
        ended: None,
    })
}

impl Worker {
    /// Whether the worker takes files: alive, and its pipe not closed (a worker whose pipe was
    /// closed for want of files is leaving, and anything sent to it would be lost).
    fn serving(&self) -> bool {
        self.ended.is_none() && self.to_worker.is_some()
    }

    /// When the worker must have answered: the deadline of the file it is on, or of its hello
    /// while it has not said hello; `None` for an idle worker.
    fn deadline(&self, timeout: Duration) -> Option<Instant> {
        match self.jobs.front() {
            Some(job) => job.began.map(|began| began + timeout),
            None if !self.greeted => Some(self.started + timeout),
            None => None,
        }
    }

    fn assign(&mut self, file: usize, path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let began = self.jobs.is_empty().then(Instant::now);
        self.jobs.push_back(Job {
            file,
            number: self.sent,
            step: ScanStep::Loading,
            began,
        });
        self.sent = self.sent.wrapping_add(1);
        let sent = match &mut self.to_worker {
            Some(pipe) => serial::send(pipe, &path.as_os_str().as_bytes()),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        };
        // A worker that cannot be written to has died; reading its pipe will show how.
        drop(sent);
    }

    /// Reads what the worker wrote and acts on its messages; returns the outcomes of finished
    /// files. Marks the worker ended at the end of its output or on garbage.
    fn read_messages(&mut self) -> Result<Vec<(usize, FileOutcome)>, CatalogError> {
        if self.ended.is_some() || !std::mem::take(&mut self.readable) {
            return Ok(Vec::new());
        }
        let mut chunk = [0u8; 64 * 1024];
        let read = match self.from_worker.read(&mut chunk) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return Ok(Vec::new()),
            Err(_) => 0,
        };
        if read == 0 {
            self.ended = Some(None);
        }
        self.received.extend_from_slice(&chunk[..read]);
        let messages = match serial::take_messages::<Message>(&mut self.received) {
            Ok(messages) => messages,
            Err(error) => {
                self.garbled(error.to_string());
                return Ok(Vec::new());
            }
        };
        let mut done = Vec::new();
        for message in messages {
            match (message, self.jobs.front_mut()) {
                (Message::Hello(version), None) if !self.greeted => {
                    // A worker of another protocol stays ungreeted, which ends the scan with
                    // `NotAWorker` rather than replacing it forever.
                    if version == worker::PROTOCOL {
                        self.greeted = true;
                    } else {
                        self.garbled(format!("it speaks protocol {version:?}"));
                    }
                }
                (Message::Step(step), Some(job)) => job.step = step,
                (Message::Done(outcome), Some(_)) => {
                    let job = self.jobs.pop_front().expect("matched a job just now");
                    done.push((job.file, outcome));
                    if let Some(next) = self.jobs.front_mut() {
                        next.began = Some(Instant::now());
                    }
                }
                (message, _) => self.garbled(format!("{message:?} out of turn")),
            }
            if matches!(self.ended, Some(Some(_))) {
                break;
            }
        }
        Ok(done)
    }

    fn garbled(&mut self, message: String) {
        self.ended = Some(Some(WorkerFailure::Garbled { message }));
        let _ = self.child.kill();
    }
}

/// Waits until a worker writes, ends, or reaches its deadline.
fn wait_for_news(workers: &mut [Worker], timeout: Duration) -> Result<(), CatalogError> {
    let now = Instant::now();
    let mut polls: Vec<libc::pollfd> = Vec::with_capacity(workers.len());
    let mut soonest: Option<Instant> = None;
    let live = || workers.iter().filter(|w| w.ended.is_none());
    for worker in live() {
        polls.push(libc::pollfd {
            fd: worker.from_worker.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        soonest = soonest.into_iter().chain(worker.deadline(timeout)).min();
    }
    if polls.is_empty() {
        return Ok(());
    }
    let wait = match soonest {
        Some(deadline) => {
            let left = deadline.saturating_duration_since(now);
            // Rounded up, so that the deadline has passed when poll returns.
            i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
        }
        None => -1,
    };
    // SAFETY: `polls` holds `polls.len()` valid `pollfd`s for descriptors this process owns.
    let ready = unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, wait) };
    if ready < 0 {
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(CatalogError::Worker(error));
        }
        return Ok(());
    }
    let live = workers.iter_mut().filter(|w| w.ended.is_none());
    for (worker, poll) in live.zip(&polls) {
        worker.readable = poll.revents != 0;
    }
    Ok(())
}

/// How a worker that ended by itself in the middle of a file ended.
fn failure_of(status: ExitStatus) -> WorkerFailure {
    use std::os::unix::process::ExitStatusExt;
    match (status.signal(), status.code()) {
        (Some(number), _) => WorkerFailure::Signal {
            number,
            name: signal_name(number),
        },
        (None, Some(code)) => WorkerFailure::Exited { code },
        (None, None) => WorkerFailure::Garbled {
            message: format!("ended with {status}"),
        },
    }
}

/// The name of a signal, such as `SIGSEGV` (or `signal N` for one without a name here), as the
/// catalog's [`WorkerFailure::Signal`] and the validator's reports give it: one table, so that
/// the tools name a plugin's crash the same way.
///
/// ```
/// assert_eq!(ladspa_host::catalog::signal_name(11), "SIGSEGV");
/// assert_eq!(ladspa_host::catalog::signal_name(64), "signal 64");
/// ```
pub fn signal_name(number: i32) -> String {
    const NAMES: &[(i32, &str)] = &[
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGILL, "SIGILL"),
        (libc::SIGTRAP, "SIGTRAP"),
        (libc::SIGABRT, "SIGABRT"),
        (libc::SIGBUS, "SIGBUS"),
        (libc::SIGFPE, "SIGFPE"),
        (libc::SIGKILL, "SIGKILL"),
        (libc::SIGUSR1, "SIGUSR1"),
        (libc::SIGSEGV, "SIGSEGV"),
        (libc::SIGUSR2, "SIGUSR2"),
        (libc::SIGPIPE, "SIGPIPE"),
        (libc::SIGALRM, "SIGALRM"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGSTKFLT, "SIGSTKFLT"),
        (libc::SIGXCPU, "SIGXCPU"),
        (libc::SIGXFSZ, "SIGXFSZ"),
        (libc::SIGSYS, "SIGSYS"),
    ];
    NAMES.iter().find(|(n, _)| *n == number).map_or_else(
        || format!("signal {number}"),
        |(_, name)| (*name).to_owned(),
    )
}
