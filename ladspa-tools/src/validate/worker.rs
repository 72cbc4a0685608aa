//! The worker process, the pipeline's second stage: loads one plugin file, and either lists its
//! descriptors or runs checks of the [`suite`] on one of them, answering the parent on a
//! [`Channel`] (see [`protocol`]).
//!
//! [`protocol`]: super::protocol
//! [`suite`]: super::suite

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;

use ladspa_host::{LoadOptions, Plugin};

use super::protocol::{self, Channel, Message};
use super::suite::outcome::Verdict;
use super::suite::rig::{Steps, Subject};
use super::suite::{self, Check, fp, interpose};

/// Serves as a worker and exits if the environment asks for one; returns otherwise.
pub(crate) fn serve_if_asked() {
    interpose::prepare();
    let Some(mode) = std::env::var_os(protocol::WORKER_ENV) else {
        return;
    };
    let file = std::env::var_os(protocol::FILE_ENV).unwrap_or_default();
    let index = std::env::var(protocol::INDEX_ENV)
        .ok()
        .and_then(|i| i.parse().ok());
    let checks = std::env::var(protocol::CHECKS_ENV).unwrap_or_default();
    for var in [
        protocol::WORKER_ENV,
        protocol::FILE_ENV,
        protocol::INDEX_ENV,
        protocol::CHECKS_ENV,
    ] {
        // SAFETY: the worker's environment is read only here, before any thread is started
        // (plugin files are not loaded yet); removing the variables keeps programs that a
        // plugin might start from becoming workers.
        unsafe { std::env::remove_var(var) };
    }
    let status = match take_pipe() {
        Ok(pipe) => {
            let channel = Channel::new(pipe);
            let file = PathBuf::from(file);
            if mode == protocol::LIST {
                list(&channel, file);
                0
            } else if mode == protocol::CHECK {
                let checks: Vec<Check> = checks.split(',').filter_map(Check::from_id).collect();
                check(&channel, file, index.unwrap_or(usize::MAX), &checks);
                0
            } else {
                2
            }
        }
        Err(error) => {
            eprintln!("ladspa-validate worker: {error}");
            1
        }
    };
    // `_exit`: the plugin files' destructors are not the worker's business once it answered.
    // SAFETY: ends the process at once; nothing of it is used afterwards.
    unsafe { libc::_exit(status) }
}

/// Duplicates standard output for the answers and points standard output at standard error,
/// so that a plugin that prints cannot garble the conversation.
fn take_pipe() -> io::Result<File> {
    // SAFETY: duplicating a descriptor this process has; the result is checked.
    let copy = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_DUPFD_CLOEXEC, 3) };
    if copy < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `copy` is a new descriptor that nothing else owns.
    let pipe = unsafe { OwnedFd::from_raw_fd(copy) };
    // SAFETY: `dup2` onto standard output, which stays open (now on standard error).
    if unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0 {
        return Err(io::Error::last_os_error());
    }
    let _ = pipe.as_raw_fd();
    Ok(File::from(pipe))
}

/// Loads `file`, saying so first.
fn load(channel: &Channel, file: PathBuf) -> Result<Plugin, String> {
    channel.step("loading the file (dlopen, constructors, ladspa_descriptor)");
    // SAFETY: loading runs the file's code, in this worker process whose only job is to be
    // ended by it if it misbehaves; the parent observes how it ended.
    unsafe { LoadOptions::new().load(&file) }.map_err(|error| error.to_string())
}

/// Lists the file's descriptors, valid and refused, in index order.
fn list(channel: &Channel, file: PathBuf) {
    let plugin = match load(channel, file) {
        Ok(plugin) => plugin,
        Err(error) => return channel.send(&Message::LoadFailed(error)),
    };
    let mut entries: Vec<Message> = plugin
        .descriptors()
        .iter()
        .map(|d| Message::Plugin {
            index: d.index(),
            label: Some(d.label().to_string_lossy().into_owned()),
            unique_id: Some(d.unique_id()),
            defect: None,
        })
        .chain(plugin.rejected().iter().map(|r| Message::Plugin {
            index: r.index,
            label: r.label.clone(),
            unique_id: None,
            defect: Some(r.defect.to_string()),
        }))
        .collect();
    entries.sort_by_key(|m| match m {
        Message::Plugin { index, .. } => *index,
        _ => usize::MAX,
    });
    for entry in &entries {
        channel.send(entry);
    }
    // Unloading is not part of the contract checked here (a crash in `dlclose` would spoil the
    // listing), and `_exit` follows.
    std::mem::forget(plugin);
}

/// Loads `file` with a plain `dlopen` and returns how that changed the FP control register
/// (restored at once). `ladspa`'s loading restores the register after the file's
/// constructors, so this is the only place where such a change shows; the handle is kept,
/// and the crate's load that follows finds the file already loaded.
fn fp_change_of_loading(channel: &Channel, file: &std::path::Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(file.as_os_str().as_bytes()).ok()?;
    channel.step("loading the file (dlopen, constructors)");
    // SAFETY: loading the C maths library, which plugins may use without linking it (the
    // crate's loader does the same), so that such files load here as they do there.
    unsafe { libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
    let before = fp::read();
    // SAFETY: loading runs the file's code, in this worker process whose only job is to be
    // ended by it if it misbehaves; the parent observes how it ended.
    let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    let after = fp::read();
    fp::write(before);
    (!handle.is_null() && after != before)
        .then(|| format!("loading the file (its constructors): {before:#x} → {after:#x}"))
}

/// Runs `checks` on descriptor `index` of `file`.
fn check(channel: &Channel, file: PathBuf, index: usize, checks: &[Check]) {
    let load_fp_change = if checks.contains(&Check::FpEnvironment) {
        fp_change_of_loading(channel, &file)
    } else {
        None
    };
    let plugin = match load(channel, file) {
        Ok(plugin) => plugin,
        Err(error) => {
            for &check in checks {
                channel.send(&Message::Begin(check.id().to_owned()));
                channel.send(&Message::Result {
                    verdict: Verdict::Skip,
                    message: format!("the file does not load: {error}"),
                });
            }
            return;
        }
    };
    let descriptor = plugin.descriptors().iter().find(|d| d.index() == index);
    for &check in checks {
        channel.send(&Message::Begin(check.id().to_owned()));
        let (verdict, message) = match descriptor {
            None => (
                Verdict::Skip,
                "the descriptor is refused by validation (see load)".to_owned(),
            ),
            Some(descriptor) => {
                let subject = Subject::new(descriptor, channel, load_fp_change.clone());
                suite::run(check, &subject)
            }
        };
        channel.send(&Message::Result { verdict, message });
    }
    // Unloading is not a check's business: `_exit` follows without it.
    std::mem::forget(plugin);
}
