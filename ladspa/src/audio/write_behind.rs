//! Writing behind the work: full byte buffers handed to a thread of its own, which writes them
//! into the file while the next ones are filled, and hands them back to be filled again.
//!
//! Two things make a large file job fast here, both measured on `applyplugin`'s 15-minute job
//! (`benches/apply-speed.py`):
//! - the `write` system calls, which copy the bytes into the page cache (a third of the job's
//!   CPU time), run beside the conversion and the plugins instead of after them;
//! - the thread starts the write-out of each range it wrote (`sync_file_range`, which waits for
//!   nothing), so that the kernel maps and submits the file's blocks while the job runs. ext4
//!   does that work anyway when the finished file is renamed over an older one (its
//!   `auto_da_alloc` guard against empty files after a crash), and there it stood between the
//!   end of the job and its exit: the `rename` took 45–70 ms, and 20 ms with this.

use std::fs::File;
use std::io::{self, Seek, Write};
use std::sync::mpsc::{Receiver, SyncSender};
use std::thread::JoinHandle;

/// Buffers queued for the thread at most: a slow disk holds the filling thread back instead of
/// letting the queue grow.
const QUEUED: usize = 2;

/// A file written by a thread of its own, from byte buffers filled meanwhile by the caller.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// use ladspa_host::audio::WriteBehind;
///
/// let file = std::fs::File::create("out.raw")?;
/// let mut writer = WriteBehind::start(file, 1 << 20)?;
/// for block in 0..100_u8 {
///     let mut bytes = writer.buffer();
///     bytes.clear();
///     bytes.resize(1 << 20, block);
///     writer.write(bytes)?;
/// }
/// let file = writer.finish()?;
/// # drop(file);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct WriteBehind {
    /// `None` once joined (after an error, or at the end).
    thread: Option<JoinHandle<io::Result<File>>>,
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    capacity: usize,
}

impl WriteBehind {
    /// Starts the thread that writes into `file`, from its current position on; `capacity` is
    /// the size [`buffer`](Self::buffer) gives new buffers.
    pub fn start(mut file: File, capacity: usize) -> io::Result<Self> {
        let (full, to_write) = std::sync::mpsc::sync_channel::<Vec<u8>>(QUEUED);
        let (written, empty) = std::sync::mpsc::channel();
        // Pipes and devices have no write-out to start.
        let regular = file.metadata()?.is_file();
        let mut at = file.stream_position().unwrap_or(0);
        let thread = std::thread::Builder::new()
            .name("write-behind".to_owned())
            .spawn(move || {
                for bytes in to_write {
                    file.write_all(&bytes)?;
                    if regular {
                        start_write_out(&file, at, bytes.len());
                    }
                    at += bytes.len() as u64;
                    // The filling thread may have stopped taking buffers back.
                    let _ = written.send(bytes);
                }
                Ok(file)
            })?;
        Ok(Self {
            thread: Some(thread),
            full: Some(full),
            empty,
            capacity,
        })
    }

    /// A buffer to fill: one the thread has written and given back (with the bytes it wrote
    /// still in it, so that refilling it to the same length costs no zeroing), else a new,
    /// empty one with room for `capacity` bytes.
    pub fn buffer(&self) -> Vec<u8> {
        self.empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(self.capacity))
    }

    /// Hands `bytes` to the thread to write after those before; waits only while
    /// two buffers are waiting already. Fails with the thread's error once it failed
    /// to write.
    pub fn write(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        let sent = self
            .full
            .as_ref()
            .is_some_and(|full| full.send(bytes).is_ok());
        if sent {
            Ok(())
        } else {
            // The thread stopped: its error says why.
            Err(self.stop().err().unwrap_or_else(stopped))
        }
    }

    /// Waits until every buffer handed over is written; returns the file (positioned after
    /// them), or the first write's error. Writes after this fail.
    pub fn finish(&mut self) -> io::Result<File> {
        self.stop()
    }

    /// Closes the queue and joins the thread.
    fn stop(&mut self) -> io::Result<File> {
        self.full = None;
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the writing thread panicked"))),
            None => Err(stopped()),
        }
    }
}

impl Drop for WriteBehind {
    /// Lets the thread write what it was given, and waits for it: its file is not used after
    /// this.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The error of a write after the thread stopped.
fn stopped() -> io::Error {
    io::Error::other("the writing thread stopped after an error")
}

/// Starts the write-out of `len` bytes of `file` from `at`, without waiting for it: a hint,
/// whose failure changes nothing.
fn start_write_out(file: &File, at: u64, len: usize) {
    use std::os::fd::AsRawFd;
    let (Ok(at), Ok(len)) = (i64::try_from(at), i64::try_from(len)) else {
        return;
    };
    // SAFETY: the descriptor is open (borrowed from `file`) and the call reads no memory of
    // ours; SYNC_FILE_RANGE_WRITE only starts the write-out of dirty pages in the range.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), at, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("ladspa-write-behind-{}-{name}", std::process::id()))
    }

    #[test]
    fn buffers_are_written_in_order_after_what_the_file_held() {
        let path = scratch("order");
        let mut file = File::create(&path).unwrap();
        file.write_all(b"HEAD").unwrap();
        let mut writer = WriteBehind::start(file, 64).unwrap();
        let mut expected = b"HEAD".to_vec();
        for k in 0..50_u8 {
            let mut bytes = writer.buffer();
            bytes.clear();
            bytes.resize(1 + usize::from(k) * 3, k);
            expected.extend_from_slice(&bytes);
            writer.write(bytes).unwrap();
        }
        let mut file = writer.finish().unwrap();
        assert_eq!(file.stream_position().unwrap(), expected.len() as u64);
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), expected);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_write_error_is_returned_and_later_writes_fail() {
        let path = scratch("error");
        std::fs::write(&path, b"old").unwrap();
        // Open for reading only: every write fails.
        let file = File::open(&path).unwrap();
        let mut writer = WriteBehind::start(file, 8).unwrap();
        let mut failed = None;
        for _ in 0..10 {
            if let Err(error) = writer.write(vec![1; 8]) {
                failed = Some(error);
                break;
            }
        }
        let error = match failed {
            Some(error) => error,
            None => writer
                .finish()
                .expect_err("writing into a read-only file fails"),
        };
        assert_ne!(
            error.kind(),
            io::ErrorKind::Other,
            "the OS error, not ours: {error}"
        );
        assert!(writer.write(vec![1]).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        std::fs::remove_file(&path).unwrap();
    }
}
