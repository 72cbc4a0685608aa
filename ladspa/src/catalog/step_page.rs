//! Where a worker says which step it is in: one word of memory shared with its parent, so that
//! saying it costs a store, not a message on a pipe that wakes the parent (a scan of Debian's
//! 206 files takes about 1,400 steps).
//!
//! The parent creates the page (`memfd_create`), and the worker inherits its descriptor across
//! `exec` and maps it too. After the worker dies or times out, the parent reads the last step
//! it stored.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Child, Command};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

use super::failure::ScanStep;

/// The environment variable that gives the worker the page's descriptor number.
pub(crate) const STEP_PAGE_ENV: &str = "LADSPA_RS_SCAN_STEPS";

/// One shared word: `(job + 1) << 32 | kind << 30 | index`, 0 before the first step.
#[derive(Debug)]
pub(crate) struct StepPage {
    fd: OwnedFd,
    word: NonNull<AtomicU64>,
}

// SAFETY: the page is only accessed through the `AtomicU64`, which any thread may use; the
// mapping lives as long as the `StepPage`.
unsafe impl Send for StepPage {}
// SAFETY: as for `Send`.
unsafe impl Sync for StepPage {}

impl StepPage {
    /// A new page, in the parent.
    pub(crate) fn create() -> io::Result<Self> {
        // SAFETY: a NUL-terminated name and flags; the result is checked.
        let fd = unsafe { libc::memfd_create(c"ladspa-scan-steps".as_ptr(), libc::MFD_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: resizing the memory file this process just created.
        if unsafe { libc::ftruncate(fd.as_raw_fd(), size_of::<u64>() as libc::off_t) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Self::map(fd)
    }

    /// The page whose descriptor a worker inherited, named by [`STEP_PAGE_ENV`].
    pub(crate) fn inherited() -> Option<Self> {
        let fd: RawFd = std::env::var(STEP_PAGE_ENV).ok()?.parse().ok()?;
        // Only a descriptor that is open and holds a memory file of the right size is taken.
        // SAFETY: `fstat` of any number is harmless; the result is checked.
        let mut stat = unsafe { std::mem::zeroed::<libc::stat>() };
        // SAFETY: as above; `stat` is valid for writing.
        if fd < 3 || unsafe { libc::fstat(fd, &mut stat) } != 0 || stat.st_size != 8 {
            return None;
        }
        // SAFETY: the parent made this descriptor for this worker alone (`spawn`), and the
        // worker takes it once, at start.
        Self::map(unsafe { OwnedFd::from_raw_fd(fd) }).ok()
    }

    fn map(fd: OwnedFd) -> io::Result<Self> {
        // SAFETY: a shared mapping of the first 8 bytes of a memory file of 8 bytes; the
        // result is checked.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size_of::<u64>(),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                0,
            )
        };
        if address == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let word = NonNull::new(address.cast::<AtomicU64>()).expect("mmap does not return 0");
        Ok(Self { fd, word })
    }

    fn word(&self) -> &AtomicU64 {
        // SAFETY: `word` points to a live, page-aligned mapping of 8 bytes, unmapped only on
        // drop; atomics are how both processes use it.
        unsafe { self.word.as_ref() }
    }

    /// Starts `command` with this page's descriptor open in it, under the number it is told
    /// in [`STEP_PAGE_ENV`].
    ///
    /// The descriptor is made inheritable for the moment of the spawn only: a process that
    /// another thread starts in that moment inherits it too, which costs that process one
    /// unused descriptor and nothing else. This avoids a `pre_exec` hook, which would make
    /// the standard library `fork` the whole (perhaps large) host process instead of
    /// spawning with `vfork`.
    pub(crate) fn spawn(&self, command: &mut Command) -> io::Result<Child> {
        let fd = self.fd.as_raw_fd();
        command.env(STEP_PAGE_ENV, fd.to_string());
        // SAFETY: changing the close-on-exec flag of a descriptor this value owns.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let spawned = command.spawn();
        // SAFETY: as above.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        spawned
    }

    /// Says that job `job` (the worker's count of the files it was sent) is in `step`.
    pub(crate) fn publish(&self, job: u32, step: ScanStep) {
        let (kind, index) = match step {
            ScanStep::Loading => (0, 0),
            ScanStep::Descriptor(index) => (1, index),
            ScanStep::Validation(index) => (2, index),
            ScanStep::Unloading => (3, 0),
        };
        let index = (index as u64).min((1 << 30) - 1);
        let value = (u64::from(job) + 1) << 32 | kind << 30 | index;
        self.word().store(value, Ordering::Release);
    }

    /// The last step published for job `job`, if the worker got that far.
    pub(crate) fn step_of(&self, job: u32) -> Option<ScanStep> {
        let value = self.word().load(Ordering::Acquire);
        if value >> 32 != u64::from(job) + 1 {
            return None;
        }
        let index = (value & ((1 << 30) - 1)) as usize;
        Some(match (value >> 30) & 3 {
            0 => ScanStep::Loading,
            1 => ScanStep::Descriptor(index),
            2 => ScanStep::Validation(index),
            _ => ScanStep::Unloading,
        })
    }
}

impl Drop for StepPage {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `map`, unmapped once; nothing refers to it any more.
        unsafe { libc::munmap(self.word.as_ptr().cast(), size_of::<u64>()) };
    }
}
