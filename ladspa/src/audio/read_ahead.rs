//! Reading ahead of the work: a thread of its own reads the input in large chunks while the
//! chunks before are decoded, and the caller takes whole frames straight out of them (no copy
//! through a `BufReader`, whose 16 KiB refills and copies were 15 % of `ladspa apply`'s CPU
//! time on a 15-minute WAV file). Each chunk is placed in memory half a page away from where
//! its bytes lie in the file's pages (see `placement`).

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender};

use super::placement::{self, PAGE};

/// Chunks read ahead at most, beside the one being taken from.
const AHEAD: usize = 2;

/// A chunk read: its buffer, and where in it the data read starts and ends.
type Chunk = io::Result<(Vec<u8>, usize, usize)>;

/// An input read by a thread of its own, in chunks of whole frames.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// use ladspa_host::audio::ReadAhead;
///
/// let file = std::fs::File::open("in.raw")?;
/// // From the file's first byte, frames of 4 bytes (16-bit stereo), 65536 frames a chunk.
/// let mut input = ReadAhead::start(file, 0, 4, 1 << 16)?;
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
    /// the input is dropped. `offset` is where the input's first byte lies in its file, as far
    /// as the caller knows (0 for a pipe): it places the chunks in memory, and changes nothing
    /// else.
    pub fn start<R: Read + Send + 'static>(
        mut input: R,
        offset: u64,
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
                let mut position = offset;
                loop {
                    let mut bytes = recycled
                        .try_recv()
                        .unwrap_or_else(|_| vec![0; chunk + PAGE]);
                    let start = placement::start_for(bytes.as_ptr() as usize, position);
                    let space = &mut bytes[start..start + chunk];
                    let mut filled = 0;
                    while filled < chunk {
                        match input.read(&mut space[filled..]) {
                            Ok(0) => break,
                            Ok(n) => filled += n,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => {
                                let _ = read.send(Err(e));
                                return;
                            }
                        }
                    }
                    position += filled as u64;
                    // The reader stops taking chunks only when it is dropped.
                    let sent = filled > 0 && read.send(Ok((bytes, start, start + filled))).is_ok();
                    if !sent || filled < chunk {
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
            let (next, start, end) = match self.full.recv() {
                Ok(chunk) => chunk?,
                Err(_) => (Vec::new(), 0, 0),
            };
            let used = std::mem::replace(&mut self.bytes, next);
            if !used.is_empty() {
                // The thread may have ended, at the end of the input.
                let _ = self.empty.send(used);
            }
            (self.start, self.end) = (start, end);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `step` bytes a call, as a pipe may, and fails at `fail_at`.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
        fail_at: Option<usize>,
    }

    impl Read for Trickle {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            if self.fail_at.is_some_and(|at| self.at >= at) {
                return Err(io::Error::other("the disk went away"));
            }
            let n = self.step.min(buffer.len()).min(self.data.len() - self.at);
            buffer[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn trickle(len: usize, step: usize, fail_at: Option<usize>) -> Trickle {
        Trickle {
            data: (0..len).map(|i| (i * 7 % 251) as u8).collect(),
            at: 0,
            step,
            fail_at,
        }
    }

    #[test]
    fn frames_come_whole_in_order_and_a_partial_last_frame_is_dropped() {
        // 10 frames of 3 bytes and 2 bytes of an 11th, in chunks of 4 frames, read a byte or
        // 5 bytes a call.
        for step in [1, 5, 64] {
            let input = trickle(32, step, None);
            let expected = input.data[..30].to_vec();
            let mut reader = ReadAhead::start(input, 0, 3, 4).unwrap();
            let mut got = Vec::new();
            let mut sizes = Vec::new();
            loop {
                let frames = reader.next(3).unwrap();
                if frames.is_empty() {
                    break;
                }
                sizes.push(frames.len() / 3);
                got.extend_from_slice(frames);
            }
            assert_eq!(got, expected, "{step} bytes a read");
            // Chunks of 4 frames: 3 + 1, 3 + 1, then the last 2 whole frames.
            assert_eq!(sizes, [3, 1, 3, 1, 2], "{step} bytes a read");
            // The end stays the end.
            assert!(reader.next(3).unwrap().is_empty());
        }
    }

    #[test]
    fn a_read_error_reaches_the_caller_after_the_chunks_before_it() {
        let input = trickle(100, 8, Some(40));
        let mut reader = ReadAhead::start(input, 44, 2, 8).unwrap();
        let mut bytes = 0;
        let error = loop {
            match reader.next(8) {
                Ok([]) => panic!("the error was lost"),
                Ok(frames) => bytes += frames.len(),
                Err(error) => break error,
            }
        };
        assert_eq!(error.to_string(), "the disk went away");
        // Two whole chunks of 16 bytes were read before the failing one.
        assert_eq!(bytes, 32);
    }

    #[test]
    fn chunks_sit_half_a_page_from_their_place_in_the_file() {
        let input = trickle(20_000, 4096, None);
        let mut reader = ReadAhead::start(input, 44, 4, 1000).unwrap();
        let mut position = 44;
        loop {
            let frames = reader.next(1000).unwrap();
            if frames.is_empty() {
                break;
            }
            let address = frames.as_ptr() as usize;
            assert_eq!(
                address.wrapping_sub(position) % PAGE,
                PAGE / 2,
                "at {position}"
            );
            position += frames.len();
        }
        assert_eq!(position, 20_044);
    }

    #[test]
    fn an_empty_input_ends_at_once() {
        let mut reader = ReadAhead::start(io::empty(), 0, 4, 16).unwrap();
        assert!(reader.next(16).unwrap().is_empty());
    }
}
