//! Writing behind the work: full byte buffers handed to a thread of its own, which writes them
//! into the file while the next ones are filled, and hands them back to be filled again.
//!
//! Five things make a large file job fast here, each measured on the 15-minute job of
//! `benches/apply-speed.py`:
//! - the `write` system calls, which copy the bytes into the page cache (a third of the job's
//!   CPU time), run beside the conversion and the plugins instead of after them;
//! - when the file's final length is known, its disk space is reserved at once
//!   (`fallocate`), so the filesystem maps one extent instead of reserving each page as it is
//!   written (a 79 MB file's writes: 12–15 ms instead of 21–37). On ext4 this also spares the
//!   flush it starts when the finished file is renamed over an older one (its `auto_da_alloc`
//!   guard, which applies to pages not yet given blocks): that flush made the `rename` take
//!   45–70 ms, and 5 ms without it. What is reserved and not written is given back at the end;
//! - when the length is not known (or the filesystem cannot reserve), the thread instead starts
//!   the write-out of each range it wrote (`sync_file_range`, which waits for nothing), so that
//!   the kernel maps the file's blocks while the job runs rather than in that `rename` (which
//!   then took 20 ms);
//! - each buffer goes to the kernel in [`WRITE_PIECE`]s, so that the page cache takes the
//!   file's new pages in pieces that fragmented memory still has;
//! - the buffers ([`WriteBuffer`]) are placed in memory half a page away from where their
//!   bytes land in the file's pages, which keeps the kernel's copy at full speed (see
//!   `placement`): 0.35 ms a MiB instead of 0.85.
//!
//! Neither waits for the disk: like `cp`, a finished file reaches the disk when the kernel
//! writes it back, unless its owner syncs it (`OutputFile`'s `sync`).

use std::fs::File;
use std::io::{self, Seek, Write};
use std::sync::mpsc::{Receiver, SyncSender};
use std::thread::JoinHandle;

use super::placement::{self, PAGE};

/// Bytes handed to the kernel a system call. The kernel gives a file's new pages in pieces
/// (folios) as large as each write, up to 2 MiB: a piece of 1 MiB needs 1 MiB of contiguous
/// free memory, which a machine whose free memory is fragmented (or, in a virtual machine,
/// handed back to the host) takes long to find. On this project's 2-core virtual machine,
/// writing 79 MB in 1 MiB calls took 35 ms to over a second, in 128 KiB calls 14–81 ms (15
/// runs each), and `applyplugin`'s 15-minute job took 104 ms against 83 (medians of 31 runs
/// side by side). With its memory compacted the two were alike (80 and 78 ms; 128 KiB calls
/// cost 6 ms more system time): smaller writes cost little where large ones are cheap.
const WRITE_PIECE: usize = 128 << 10;

/// Buffers queued for the thread at most: a slow disk holds the filling thread back instead of
/// letting the queue grow.
const QUEUED: usize = 2;

/// A buffer to fill for [`WriteBehind`]: `capacity` bytes (zero at first; as the last write
/// left them when recycled), of which the first [`len`](Self::len) are written.
#[derive(Debug)]
pub struct WriteBuffer {
    bytes: Vec<u8>,
    start: usize,
    len: usize,
    capacity: usize,
}

impl WriteBuffer {
    /// A buffer of `capacity` bytes, whose bytes sit half a page away from file offsets
    /// congruent to `offset` (modulo a page).
    fn new(capacity: usize, offset: u64) -> Self {
        let bytes = vec![0; capacity + PAGE];
        let start = placement::start_for(bytes.as_ptr() as usize, offset);
        Self {
            bytes,
            start,
            len: capacity,
            capacity,
        }
    }

    /// The bytes to fill: all `capacity` of them.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes[self.start..self.start + self.capacity]
    }

    /// How many bytes it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many of the first bytes are to be written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte is to be written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes only the first `len` bytes (at most the capacity).
    pub fn set_len(&mut self, len: usize) {
        self.len = len.min(self.capacity);
    }

    /// The bytes to write.
    fn to_write(&self) -> &[u8] {
        &self.bytes[self.start..self.start + self.len]
    }
}

/// A file written by a thread of its own, from buffers filled meanwhile by the caller.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// use ladspa_host::audio::WriteBehind;
///
/// let file = std::fs::File::create("out.raw")?;
/// let mut writer = WriteBehind::start(file, 1 << 20, Some(100 << 20))?;
/// for block in 0..100_u8 {
///     let mut buffer = writer.buffer();
///     buffer.as_mut_slice().fill(block);
///     buffer.set_len(1 << 20);
///     writer.write(buffer)?;
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
    full: Option<SyncSender<WriteBuffer>>,
    empty: Receiver<WriteBuffer>,
    capacity: usize,
    /// The file offset the next buffer handed over will be written at.
    offset: u64,
}

impl WriteBehind {
    /// Starts the thread that writes into `file`, from its current position on; buffers hold
    /// `capacity` bytes each (a multiple of 4 KiB keeps every full buffer's copy at full
    /// speed). `final_len` is the length the file will have at the end, when it is known in
    /// advance: the disk space up to it is reserved at once (a hint: where the filesystem
    /// cannot, or for more than half the space left, nothing changes), and what is not written
    /// is given back by [`finish`](Self::finish). A wrong length costs only speed, and holds
    /// the space it names until then.
    pub fn start(mut file: File, capacity: usize, final_len: Option<u64>) -> io::Result<Self> {
        let (full, to_write) = std::sync::mpsc::sync_channel::<WriteBuffer>(QUEUED);
        let (written, empty) = std::sync::mpsc::channel();
        // Pipes and devices have no write-out to start.
        let regular = file.metadata()?.is_file();
        let offset = if regular { file.stream_position()? } else { 0 };
        let reserved = regular && final_len.is_some_and(|len| reserve(&file, offset, len));
        let thread = std::thread::Builder::new()
            .name("write-behind".to_owned())
            .spawn(move || {
                let mut at = offset;
                let write_all = || {
                    for buffer in to_write {
                        let bytes = buffer.to_write();
                        for piece in bytes.chunks(WRITE_PIECE) {
                            file.write_all(piece)?;
                        }
                        if regular && !reserved {
                            start_write_out(&file, at, bytes.len());
                        }
                        at += bytes.len() as u64;
                        // The filling thread may have stopped taking buffers back.
                        let _ = written.send(buffer);
                    }
                    Ok::<_, io::Error>(())
                };
                let written = write_all();
                if reserved {
                    // Truncating to its own length frees the blocks reserved past the end,
                    // after a failure too.
                    let freed = file.metadata().and_then(|m| file.set_len(m.len()));
                    written.and(freed)?;
                } else {
                    written?;
                }
                Ok(file)
            })?;
        Ok(Self {
            thread: Some(thread),
            full: Some(full),
            empty,
            capacity,
            offset,
        })
    }

    /// A buffer to fill, of `capacity` bytes to write: one the thread has written and given
    /// back (with the bytes it wrote still in it), else a new one, of zeros.
    pub fn buffer(&self) -> WriteBuffer {
        let mut buffer = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| WriteBuffer::new(self.capacity, self.offset));
        buffer.set_len(self.capacity);
        buffer
    }

    /// Hands `buffer` to the thread, to write its first [`len`](WriteBuffer::len) bytes after
    /// those before; waits only while two buffers are waiting already. Fails with the thread's
    /// error once it failed to write.
    pub fn write(&mut self, buffer: WriteBuffer) -> io::Result<()> {
        self.offset += buffer.len() as u64;
        let sent = self
            .full
            .as_ref()
            .is_some_and(|full| full.send(buffer).is_ok());
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

/// Reserves the disk space of `file` from `from` up to `len` bytes, without changing its
/// length (`FALLOC_FL_KEEP_SIZE`); returns whether it did. Not where the filesystem cannot,
/// nor for more than half the space left: a length announced wrong (a WAV header that
/// promises more than its file holds) must not fill the disk for others while the job runs;
/// the writes then go as they would have.
fn reserve(file: &File, from: u64, len: u64) -> bool {
    use std::os::fd::AsRawFd;
    let wanted = len.saturating_sub(from);
    let (Ok(from), Ok(len)) = (i64::try_from(from), i64::try_from(wanted)) else {
        return false;
    };
    if len == 0 {
        return false;
    }
    let mut space = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: the descriptor is open (borrowed from `file`), and `space` is a `statvfs` for
    // the call to fill.
    if unsafe { libc::fstatvfs(file.as_raw_fd(), space.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: fstatvfs succeeded, so it filled `space`.
    let space = unsafe { space.assume_init() };
    let left = space.f_bavail.saturating_mul(space.f_frsize);
    if wanted > left / 2 {
        return false;
    }
    // SAFETY: the descriptor is open (borrowed from `file`) and the call reads no memory of
    // ours; with FALLOC_FL_KEEP_SIZE it allocates blocks past the end and changes no byte.
    unsafe { libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_KEEP_SIZE, from, len) == 0 }
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
        // The length it ends with, announced (the bytes are the same with or without).
        let mut writer = WriteBehind::start(file, 64, Some(4 + 1275)).unwrap();
        // Buffers sit half a page from their place in the file.
        let mut buffer = writer.buffer();
        let address = buffer.as_mut_slice().as_ptr() as usize;
        assert_eq!((address + PAGE - 4) % PAGE, PAGE / 2);
        drop(buffer);
        let mut expected = b"HEAD".to_vec();
        for k in 0..50_u8 {
            let mut buffer = writer.buffer();
            let len = 1 + usize::from(k);
            buffer.as_mut_slice()[..len].fill(k);
            buffer.set_len(len);
            expected.extend_from_slice(&vec![k; len]);
            writer.write(buffer).unwrap();
        }
        let mut file = writer.finish().unwrap();
        assert_eq!(file.stream_position().unwrap(), expected.len() as u64);
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), expected);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn space_reserved_and_not_written_is_given_back() {
        use std::os::unix::fs::MetadataExt;
        let path = scratch("reserved");
        let mut file = File::create(&path).unwrap();
        file.write_all(b"HEAD").unwrap();
        // 64 MiB announced, 4 KiB written.
        let mut writer = WriteBehind::start(file, 1024, Some(64 << 20)).unwrap();
        // Reserved at once (the temporary directory's filesystem can: ext4, tmpfs, xfs, btrfs).
        let reserved = std::fs::metadata(&path).unwrap().blocks() * 512;
        assert!(reserved >= 63 << 20, "{reserved} bytes reserved");
        let mut expected = b"HEAD".to_vec();
        for k in 0..4_u8 {
            let mut buffer = writer.buffer();
            buffer.as_mut_slice().fill(k);
            expected.extend_from_slice(&[k; 1024]);
            writer.write(buffer).unwrap();
        }
        let file = writer.finish().unwrap();
        let metadata = file.metadata().unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), expected);
        // Blocks of 512 bytes: the 4 KiB and a few of the filesystem's, not 64 MiB.
        assert!(
            metadata.blocks() * 512 < 1 << 20,
            "{} bytes still reserved",
            metadata.blocks() * 512
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_length_past_the_space_left_reserves_nothing() {
        use std::os::unix::fs::MetadataExt;
        let path = scratch("absurd");
        let file = File::create(&path).unwrap();
        // A header's promise of 2⁶² bytes: no disk has it.
        let writer = WriteBehind::start(file, 1024, Some(1 << 62)).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().blocks(), 0);
        drop(writer);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_write_error_is_returned_and_later_writes_fail() {
        let path = scratch("error");
        std::fs::write(&path, b"old").unwrap();
        // Open for reading only: every write fails.
        let file = File::open(&path).unwrap();
        let mut writer = WriteBehind::start(file, 8, None).unwrap();
        let mut failed = None;
        for _ in 0..10 {
            if let Err(error) = writer.write(writer.buffer()) {
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
        let buffer = writer.buffer();
        assert!(writer.write(buffer).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        std::fs::remove_file(&path).unwrap();
    }
}
