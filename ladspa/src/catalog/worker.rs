//! The worker side of the isolated scan: a process that loads plugin files for its parent and
//! reports what it found, step by step, so that its death tells the parent where it died.
//!
//! # How a program becomes a worker
//!
//! The parent starts a worker by running *its own executable* again with the environment
//! variable [`WORKER_ENV`] set. This crate puts a function in the executable's `.init_array`
//! (the ELF list of initialisers the C library runs before `main`): when the variable is set,
//! that function serves the parent and exits, so the program's `main` never runs. Any program
//! that links this crate is therefore a worker, with no line of set-up, whether it is the
//! user's binary, a test harness or a doctest. In a shared library that links this crate (a
//! Python extension module), the function runs when the library is loaded: a program started
//! with the variable set that loads the library first thing (the Python interpreter importing
//! the extension, [`Scanner::worker_command`](super::Scanner::worker_command)) serves as well.
//!
//! The alternative, a worker binary shipped with the crate, cannot be found reliably: cargo
//! installs the binaries of the package the user installs, not those of its dependencies, and a
//! build script cannot build one for the target. The re-executed program has the user's
//! environment and dynamic libraries, so a file loads in the worker exactly as it would in the
//! user's process. A program can still name another executable that links this crate
//! ([`Scanner::worker_program`](super::Scanner::worker_program)).
//!
//! # The conversation
//!
//! Messages are framed by [`serial`]: the worker first says [`Message::Hello`] with the protocol
//! version; then, for every path the parent sends, it stores each step that runs the file's
//! code in the shared [`StepPage`] before the step begins (or, without a page, says
//! [`Message::Step`]), and says [`Message::Done`] with the outcome. The parent closes the pipe when it
//! has no more files, and the worker exits.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::failure::ScanStep;
use super::record::FileOutcome;
use super::serial;
use super::step_page::StepPage;
use crate::plugin::LoadOptions;

/// The environment variable that turns a program that links this crate into a scan worker; its
/// value must be [`PROTOCOL`].
pub(crate) const WORKER_ENV: &str = "LADSPA_RS_SCAN_WORKER";

/// The version of the conversation. A worker asked for another version refuses to serve
/// (exit status [`WRONG_PROTOCOL`]).
pub(crate) const PROTOCOL: &str = "2";

/// The exit status of a worker asked for a protocol it does not speak.
const WRONG_PROTOCOL: i32 = 113;

/// What a worker tells its parent.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Message {
    /// The worker is ready; its protocol version.
    Hello(String),
    /// The file's code is about to run in this step.
    Step(ScanStep),
    /// The file's outcome.
    Done(FileOutcome),
}

/// The initialiser in `.init_array`. `#[used]` keeps it in the object file, and the scan
/// refers to it ([`entry_point`]), so any program that can start a scan links it.
#[used]
#[unsafe(link_section = ".init_array")]
static WORKER_ENTRY: extern "C" fn() = serve_if_asked;

/// The address of the worker's entry point. The scan reads it, which makes the linker keep the
/// object file that holds [`WORKER_ENTRY`] in every program that can start a scan.
pub(crate) fn entry_point() -> usize {
    std::hint::black_box(&WORKER_ENTRY as *const _ as usize)
}

/// Runs before `main` in every program that links this crate: serves as a worker and exits if
/// the parent asked for one, returns at once otherwise.
extern "C" fn serve_if_asked() {
    let Some(version) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    // SAFETY: the variable is set only in the processes a scan starts, where this runs before
    // `main` on the only thread of the process, or, in a shared library, when the program
    // started loads it before it starts threads (the worker command's contract), so nothing
    // reads the environment concurrently. Removing the variable keeps programs that a plugin
    // might start from becoming workers too.
    unsafe { std::env::remove_var(WORKER_ENV) };
    let status = if version == PROTOCOL {
        match serve() {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("ladspa scan worker: {error}");
                1
            }
        }
    } else {
        eprintln!(
            "ladspa scan worker: asked for protocol {version:?}, this program speaks {PROTOCOL:?}"
        );
        WRONG_PROTOCOL
    };
    // `_exit`, not `exit`: the plugin files' `atexit` handlers and destructors are not the
    // worker's business once its answers are sent, and a crash in them would look like a
    // failure of the last file.
    // SAFETY: `_exit` ends the process at once; nothing of this process is used afterwards.
    unsafe { libc::_exit(status) }
}

/// Takes the pipes to the parent off standard input and output, and points those at
/// `/dev/null` and standard error, so that a plugin that prints cannot garble the
/// conversation; then loads every file the parent names.
fn serve() -> io::Result<()> {
    let (from_parent, to_parent) = take_pipes()?;
    let mut from_parent = BufReader::new(from_parent);
    let mut to_parent = to_parent;
    let page = StepPage::inherited();
    serial::send(&mut to_parent, &Message::Hello(PROTOCOL.to_owned()))?;
    let mut job = 0u32;
    while let Some(path) = serial::receive::<Vec<u8>>(&mut from_parent)? {
        let path = PathBuf::from(OsString::from_vec(path));
        let outcome = scan_file(&path, job, page.as_ref(), &mut to_parent)?;
        serial::send(&mut to_parent, &Message::Done(outcome))?;
        job = job.wrapping_add(1);
    }
    Ok(())
}

/// Loads one file in this process, saying each step first: in the shared step page when the
/// parent gave one, else as a message.
fn scan_file(
    path: &std::path::Path,
    job: u32,
    page: Option<&StepPage>,
    to_parent: &mut File,
) -> io::Result<FileOutcome> {
    let mut reported = Ok(());
    let mut report = |step: ScanStep| match page {
        Some(page) => page.publish(job, step),
        None if reported.is_ok() => reported = serial::send(to_parent, &Message::Step(step)),
        None => {}
    };
    // SAFETY: loading runs the file's code, in this worker process whose only job is to be
    // ended by it if it misbehaves; the parent observes how it ended.
    let result = unsafe { LoadOptions::new().load_observed(path, |step| report(step.into())) };
    let outcome = FileOutcome::of_load(&result);
    if result.is_ok() {
        report(ScanStep::Unloading);
    }
    drop(result);
    reported?;
    Ok(outcome)
}

/// Duplicates standard input and output for the conversation, and replaces them with
/// `/dev/null` and standard error.
fn take_pipes() -> io::Result<(File, File)> {
    let duplicate = |fd| {
        // SAFETY: `dup` of a descriptor this process has; the result is checked.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
        if copy < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `copy` is a new descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(copy) })
    };
    let from_parent = duplicate(libc::STDIN_FILENO)?;
    let to_parent = duplicate(libc::STDOUT_FILENO)?;
    let null = File::open("/dev/null")?;
    // SAFETY: `dup2` onto the standard descriptors, which stay open (now on other files).
    let replaced = unsafe {
        libc::dup2(std::os::fd::AsRawFd::as_raw_fd(&null), libc::STDIN_FILENO) >= 0
            && libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) >= 0
    };
    if !replaced {
        return Err(io::Error::last_os_error());
    }
    Ok((File::from(from_parent), File::from(to_parent)))
}
