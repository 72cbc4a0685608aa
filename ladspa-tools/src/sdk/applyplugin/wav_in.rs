//! 16-bit WAV input: the PCM data read by a thread of its own, and converted to floats as
//! libsndfile converts them.

use std::io::Read;

use ladspa_host::audio::pcm::{self, SampleFormat};

use super::block::{BLOCK, IO_BLOCKS};

/// The buffer of the reader that hound parses the header through: smaller than a read of
/// [`IO_BLOCKS`] blocks, so that those bypass it.
pub(super) const HEADER_BUFFER: usize = 16 << 10;

/// The input's samples: hound parses the header and checks the format, then the PCM data, which
/// needs no more parsing, is read [`IO_BLOCKS`] blocks at a time by a thread of its own (so that
/// the read system calls overlap the work on the blocks before) and converted here a block at a
/// time (reading sample by sample through `hound` would cost more than the SDK's whole run).
pub(super) struct Input {
    /// The chunk being converted, of which `start..end` is left.
    bytes: Vec<u8>,
    start: usize,
    end: usize,
    frame_bytes: usize,
    /// Chunks read (whole blocks but for the last, which ends the data), and read errors; the
    /// channel closes after the last.
    full: std::sync::mpsc::Receiver<std::io::Result<(Vec<u8>, usize)>>,
    /// Converted chunks on their way back to the reading thread.
    empty: std::sync::mpsc::Sender<Vec<u8>>,
}

impl Input {
    pub(super) fn new<R: Read + Send + 'static>(
        reader: hound::WavReader<R>,
        channels: usize,
    ) -> Self {
        let length = u64::from(reader.len()) * 2;
        let mut data = reader.into_inner().take(length);
        let chunk = IO_BLOCKS * BLOCK * 2 * channels;
        // Two chunks read ahead at most.
        let (read, full) = std::sync::mpsc::sync_channel(2);
        let (empty, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            loop {
                let mut bytes = recycled.try_recv().unwrap_or_else(|_| vec![0; chunk]);
                let mut filled = 0;
                while filled < chunk {
                    match data.read(&mut bytes[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let _ = read.send(Err(e));
                            return;
                        }
                    }
                }
                // The converting thread stops taking chunks only when it ends.
                if filled == 0 || read.send(Ok((bytes, filled))).is_err() || filled < chunk {
                    return;
                }
            }
        });
        Self {
            bytes: Vec::new(),
            start: 0,
            end: 0,
            frame_bytes: 2 * channels,
            full,
            empty,
        }
    }

    /// Reads up to a block of frames into the channel buffers (their first samples; the rest
    /// keep what they held); returns how many frames were read, fewer than a block only at the
    /// end of the data, as libsndfile's `sf_readf_float`.
    pub(super) fn read_block(&mut self, channels: &mut [Vec<f32>]) -> std::io::Result<usize> {
        if self.start == self.end {
            // The chunk is used up (chunks hold whole blocks but for the last): the next one,
            // or none at the end of the data.
            let next = match self.full.recv() {
                Ok(chunk) => chunk?,
                Err(_) => (Vec::new(), 0),
            };
            let used = std::mem::replace(&mut self.bytes, next.0);
            if !used.is_empty() {
                let _ = self.empty.send(used);
            }
            (self.start, self.end) = (0, next.1);
        }
        let block = BLOCK * self.frame_bytes;
        let frames = (self.end - self.start).min(block) / self.frame_bytes;
        let taken = self.start..self.start + frames * self.frame_bytes;
        // A partial frame at the very end is dropped, as libsndfile drops it.
        self.start = if frames == 0 { self.end } else { taken.end };
        pcm::decode(SampleFormat::I16, &self.bytes[taken], channels);
        Ok(frames)
    }
}
