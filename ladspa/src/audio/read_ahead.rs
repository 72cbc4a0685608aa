//! Reading ahead of the work: a thread of its own reads the input in large chunks while the
//! chunks before are decoded, and the caller takes whole frames straight out of them (no copy
//! through a `BufReader`, whose 16 KiB refills and copies were 15 % of `ladspa apply`'s CPU
//! time on a 15-minute WAV file).

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender};

/// Chunks read ahead at most, beside the one being taken from.
const AHEAD: usize = 2;

/// A chunk read, with how many of its bytes hold data.
type Chunk = io::Result<(Vec<u8>, usize)>;

/// An input read by a thread of its own, in chunks of whole frames.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// use ladspa_host::audio::ReadAhead;
///
/// let file = std::fs::File::open("in.raw")?;
/// // Frames of 4 bytes (16-bit stereo), 65536 frames a chunk.
/// let mut input = ReadAhead::start(file, 4, 1 << 16)?;
/// let mut bytes = 0;
/// loop {
///     let frames = input.next(4096)?;
///     if frames.is_empty() {
///         break;
///     }
///     bytes += frames.len();
/// }
/// # let _ = bytes;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct ReadAhead {
    /// The chunk being taken from, of which `start..end` is left.
    bytes: Vec<u8>,
    start: usize,
    end: usize,
    frame: usize,
    /// Chunks read, and read errors; closed after the last.
    full: Receiver<Chunk>,
    /// Chunks taken, on their way back to be read into again.
    empty: Sender<Vec<u8>>,
}

impl ReadAhead {
    /// Starts the thread that reads `input` in chunks of `frames_per_chunk` frames of `frame`
    /// bytes (both at least 1). Every chunk but the last is full; a partial frame at the end of
    /// the input is dropped.
    pub fn start<R: Read + Send + 'static>(
        mut input: R,
        frame: usize,
        frames_per_chunk: usize,
    ) -> io::Result<Self> {
        let frame = frame.max(1);
        let chunk = frame.saturating_mul(frames_per_chunk.max(1));
        let (read, full) = std::sync::mpsc::sync_channel::<Chunk>(AHEAD);
        let (empty, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::Builder::new()
            .name("read-ahead".to_owned())
            .spawn(move || {
                loop {
                    let mut bytes = recycled.try_recv().unwrap_or_else(|_| vec![0; chunk]);
                    let mut filled = 0;
                    while filled < chunk {
                        match input.read(&mut bytes[filled..]) {
                            Ok(0) => break,
                            Ok(n) => filled += n,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => {
                                let _ = read.send(Err(e));
                                return;
                            }
                        }
                    }
                    // The reader stops taking chunks only when it is dropped.
                    if filled == 0 || read.send(Ok((bytes, filled))).is_err() || filled < chunk {
                        return;
                    }
                }
            })?;
        Ok(Self {
            bytes: Vec::new(),
            start: 0,
            end: 0,
            frame,
            full,
            empty,
        })
    }

    /// The next frames, at most `max_frames` of them (at least 1): fewer only where a chunk
    /// ends, none at the end of the input.
    pub fn next(&mut self, max_frames: usize) -> io::Result<&[u8]> {
        if self.end - self.start < self.frame {
            // The chunk is used up: the next one, or none at the end of the input.
            let (next, len) = match self.full.recv() {
                Ok(chunk) => chunk?,
                Err(_) => (Vec::new(), 0),
            };
            let used = std::mem::replace(&mut self.bytes, next);
            if !used.is_empty() {
                // The thread may have ended, at the end of the input.
                let _ = self.empty.send(used);
            }
            (self.start, self.end) = (0, len);
        }
        let whole = (self.end - self.start) / self.frame;
        let taken = whole.min(max_frames.max(1)) * self.frame;
        let frames = &self.bytes[self.start..self.start + taken];
        // A partial frame at the very end is dropped.
        self.start = if taken == 0 {
            self.end
        } else {
            self.start + taken
        };
        Ok(frames)
    }
}
