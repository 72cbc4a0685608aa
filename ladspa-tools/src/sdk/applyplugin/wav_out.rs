//! WAV output: libsndfile's 44-byte header for 16-bit PCM, and the samples, converted here and
//! written behind by a thread of its own ([`WriteBehind`]).

use std::io::{Seek, SeekFrom, Write};

use ladspa_host::audio::{AudioError, FileId, OutputFile, WriteBehind, WriteBuffer};

use super::block::{BLOCK, WRITE_BLOCKS};
use super::convert::convert_out;

/// The output file: the WAV header libsndfile writes for 16-bit PCM (the canonical 44 bytes,
/// whatever the number of channels), then the samples, converted as the SDK converts them into
/// buffers of [`WRITE_BLOCKS`] blocks, which a thread of its own writes while the next blocks are
/// worked on. The file replaces the output only when it is complete ([`OutputFile`]): a
/// failure or a signal leaves the old output as it was, unlike the SDK's tool.
pub(super) struct Output {
    /// The output, committed at the end.
    target: Option<OutputFile>,
    writer: WriteBehind,
    channels: usize,
    rate: u32,
    /// The buffer being filled, of which `filled` bytes are.
    bytes: WriteBuffer,
    filled: usize,
    frames: u64,
    peak: f32,
}

impl Output {
    /// Creates the output for `path`, of `frames` frames; `input` is the input file, which the
    /// output must not be.
    pub(super) fn create(
        path: &str,
        input: FileId,
        channels: usize,
        rate: u32,
        frames: u64,
    ) -> Result<Self, AudioError> {
        let mut target = OutputFile::create(path.as_ref(), &[input], false)?;
        let write_error = |e: std::io::Error| AudioError::Write {
            file: path.into(),
            reason: ladspa_host::audio::reason(&e),
        };
        let mut file = target.file().try_clone().map_err(write_error)?;
        // Sizes of 0 for now, as libsndfile writes them first; `finish` fills them in.
        let header = Self::header_for(channels, rate, 0);
        file.write_all(&header).map_err(write_error)?;
        let size = Self::size(channels);
        // Its length is known: its disk space is reserved at once.
        let final_len = 44 + frames * 2 * channels as u64;
        let writer = WriteBehind::start(file, size, Some(final_len)).map_err(write_error)?;
        let bytes = writer.buffer();
        Ok(Self {
            target: Some(target),
            writer,
            channels,
            rate,
            bytes,
            filled: 0,
            frames: 0,
            peak: 0.0,
        })
    }

    /// The bytes of a full buffer.
    fn size(channels: usize) -> usize {
        WRITE_BLOCKS * BLOCK * 2 * channels
    }

    /// The header for `frames` frames.
    fn header_for(channels: usize, rate: u32, frames: u64) -> [u8; 44] {
        let block_align = 2 * channels as u32;
        let data = (frames * u64::from(block_align)) as u32;
        let mut header = [0; 44];
        let fields: [&[u8]; 12] = [
            b"RIFF",
            &(data.wrapping_add(36)).to_le_bytes(),
            b"WAVEfmt ",
            &16_u32.to_le_bytes(),
            &1_u16.to_le_bytes(), // PCM
            &(channels as u16).to_le_bytes(),
            &rate.to_le_bytes(),
            &(rate.wrapping_mul(block_align)).to_le_bytes(),
            &(block_align as u16).to_le_bytes(),
            &16_u16.to_le_bytes(), // bits per sample
            b"data",
            &data.to_le_bytes(),
        ];
        let mut at = 0;
        for field in fields {
            header[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        header
    }

    /// Converts the first `frames` samples of each channel buffer, and updates the peak.
    pub(super) fn write_block(
        &mut self,
        channels: &[Vec<f32>],
        frames: usize,
    ) -> std::io::Result<()> {
        let size = frames * 2 * channels.len();
        if self.filled + size > self.bytes.capacity() {
            self.hand_over()?;
        }
        let bytes = &mut self.bytes.as_mut_slice()[self.filled..self.filled + size];
        self.peak = convert_out(channels, frames, bytes, self.peak);
        self.filled += size;
        self.frames += frames as u64;
        Ok(())
    }

    /// Hands the filled part of the buffer to the writing thread, and takes an empty one.
    fn hand_over(&mut self) -> std::io::Result<()> {
        let mut full = std::mem::replace(&mut self.bytes, self.writer.buffer());
        full.set_len(self.filled);
        self.filled = 0;
        self.writer.write(full)
    }

    /// Writes what is left and the header's final sizes, and puts the file in the output's
    /// place; returns the peak of the samples.
    pub(super) fn finish(mut self) -> std::io::Result<f32> {
        if self.filled > 0 {
            self.hand_over()?;
        }
        let mut file = self.writer.finish()?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&Self::header_for(self.channels, self.rate, self.frames))?;
        drop(file);
        let target = self.target.take().expect("committed once, here");
        target.commit().map_err(std::io::Error::other)?;
        Ok(self.peak)
    }
}
