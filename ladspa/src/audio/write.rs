//! Writing WAV files from planar `f32` blocks, into an [`OutputFile`]: samples converted by the
//! [PCM codec](super::pcm) into large buffers, which a thread of its own writes (so that the
//! system calls that copy them into the file overlap the next blocks' work), the data chunk
//! padded to an even length, the header's lengths filled in at the end (or, on a pipe, saying
//! that the length is unknown, the way sox writes them).

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::{AudioError, reason};
use super::output::OutputFile;
use super::pcm::{Encoder, SampleFormat};
use super::wav;
use super::write_behind::{WriteBehind, WriteBuffer};

/// Bytes converted before they are handed to the writing thread: large writes, few system
/// calls and few wake-ups (1 MiB measured faster than 256 KiB and 4 MiB on `applyplugin`'s job).
const BUFFER: usize = 1 << 20;

/// A WAV file being written.
#[derive(Debug)]
pub struct WavWriter {
    name: PathBuf,
    output: OutputFile,
    /// The writing thread.
    writer: WriteBehind,
    channels: usize,
    sample_rate: u32,
    encoder: Encoder,
    header_len: usize,
    /// The buffer being filled, of which `filled` bytes are.
    buffer: WriteBuffer,
    filled: usize,
    frames: u64,
}

/// What a finished WAV file holds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Written {
    /// Frames written.
    pub frames: u64,
    /// The largest absolute sample value (before conversion to integers).
    pub peak: f32,
    /// Samples clipped to full scale (integer formats only), NaN included.
    pub clipped: u64,
}

impl WavWriter {
    /// Starts a WAV file of `channels` channels of `format` at `sample_rate` in `output`
    /// (`name` is how messages call it). `frames`, when known in advance, is how many frames
    /// the file will hold: its disk space is reserved at once, which makes a large file faster
    /// to write ([`WriteBehind::start`]); a wrong count costs only speed.
    pub fn new(
        name: &Path,
        output: OutputFile,
        format: SampleFormat,
        channels: usize,
        sample_rate: u32,
        frames: Option<u64>,
    ) -> Result<Self, AudioError> {
        let mut output = output;
        let encoder = Encoder::new(format);
        // Lengths of 0 in a file (filled in at the end); unknown on a pipe.
        let header_frames = if output.is_direct() { None } else { Some(0) };
        let file = output.file().try_clone().map_err(|e| AudioError::Write {
            file: name.to_owned(),
            reason: reason(&e),
        })?;
        let header = wav::header(encoder.format(), channels, sample_rate, header_frames);
        // Room for the header and a few frames, however wide they are.
        let frame = encoder.format().bytes() * channels;
        let capacity = BUFFER.max(header.len() + 2 * frame);
        let data = frames.map(|n| n.saturating_mul(frame as u64));
        // The data chunk is padded to an even length.
        let final_len = data.map(|data| (header.len() as u64 + data).saturating_add(data % 2));
        let writer =
            WriteBehind::start(file, capacity, final_len).map_err(|e| AudioError::Write {
                file: name.to_owned(),
                reason: reason(&e),
            })?;
        let mut buffer = writer.buffer();
        buffer.as_mut_slice()[..header.len()].copy_from_slice(&header);
        Ok(Self {
            name: name.to_owned(),
            output,
            writer,
            channels,
            sample_rate,
            encoder,
            header_len: header.len(),
            buffer,
            filled: header.len(),
            frames: 0,
        })
    }

    fn error(&self, e: &std::io::Error) -> AudioError {
        AudioError::Write {
            file: self.name.clone(),
            reason: reason(e),
        }
    }

    /// Writes frames `frames` of `channels` (one buffer per channel of the file).
    pub fn write<B: AsRef<[f32]>>(
        &mut self,
        channels: &[B],
        frames: std::ops::Range<usize>,
    ) -> Result<(), AudioError> {
        let frame = self.encoder.format().bytes() * self.channels;
        let total = (self.frames + frames.len() as u64) * frame as u64;
        if total + self.header_len as u64 + 1 > u64::from(u32::MAX) {
            return Err(AudioError::Write {
                file: self.name.clone(),
                reason: "a WAV file holds at most 4 GiB, and the output would be larger \
                         (use fewer bits or channels, or shorter input)"
                    .to_owned(),
            });
        }
        self.frames += frames.len() as u64;
        // As many frames as the buffer has room for at a time (a block may be larger than a
        // buffer), converted straight into it.
        let frame = self.encoder.format().bytes() * channels.len();
        let mut frames = frames;
        while !frames.is_empty() {
            let room = (self.buffer.capacity() - self.filled) / frame.max(1);
            if room == 0 {
                self.flush()?;
                continue;
            }
            let part = frames.start..frames.start + room.min(frames.len());
            let at = self.filled;
            let size = part.len() * frame;
            let out = &mut self.buffer.as_mut_slice()[at..at + size];
            self.encoder.encode_into(channels, part.clone(), out);
            self.filled += size;
            frames.start = part.end;
        }
        if self.filled == self.buffer.capacity() {
            self.flush()?;
        }
        Ok(())
    }

    /// Hands the filled part of the buffer to the writing thread and takes an empty one.
    fn flush(&mut self) -> Result<(), AudioError> {
        let mut full = std::mem::replace(&mut self.buffer, self.writer.buffer());
        full.set_len(self.filled);
        self.filled = 0;
        self.writer.write(full).map_err(|e| self.error(&e))
    }

    /// The format samples are written in.
    pub fn format(&self) -> SampleFormat {
        self.encoder.format()
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Samples clipped so far.
    pub fn clipped(&self) -> u64 {
        self.encoder.clipped()
    }

    /// Writes what is left, the pad byte of an odd data chunk and the header's lengths, and puts
    /// the file in its place ([`OutputFile::commit`]).
    pub fn finish(mut self) -> Result<Written, AudioError> {
        let frame = self.encoder.format().bytes() * self.channels;
        if (self.frames * frame as u64) % 2 == 1 {
            if self.filled == self.buffer.capacity() {
                self.flush()?;
            }
            self.buffer.as_mut_slice()[self.filled] = 0;
            self.filled += 1;
        }
        self.flush()?;
        let file = self.writer.finish().map_err(|e| self.error(&e))?;
        drop(file);
        if !self.output.is_direct() {
            let header = wav::header(
                self.encoder.format(),
                self.channels,
                self.sample_rate,
                Some(self.frames),
            );
            let file = self.output.file();
            let result = file
                .seek(SeekFrom::Start(0))
                .and_then(|_| file.write_all(&header));
            result.map_err(|e| self.error(&e))?;
        }
        let written = Written {
            frames: self.frames,
            peak: self.encoder.peak(),
            clipped: self.encoder.clipped(),
        };
        self.output.commit()?;
        Ok(written)
    }
}
