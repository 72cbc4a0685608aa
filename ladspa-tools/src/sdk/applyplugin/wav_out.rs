//! WAV output: libsndfile's 44-byte header for 16-bit PCM, and the samples, converted here and
//! written by a thread of its own.

use std::io::{Seek, SeekFrom, Write};

use ladspa_host::audio::{AudioError, FileId, OutputFile};

use super::block::{BLOCK, IO_BLOCKS};
use super::convert::convert_out;

/// The output file: the WAV header libsndfile writes for 16-bit PCM (the canonical 44 bytes,
/// whatever the number of channels), then the samples, converted as the SDK converts them into
/// buffers of [`IO_BLOCKS`] blocks. A thread of its own writes the full buffers, so that the
/// system calls that copy them into the file overlap the next blocks' work. The file replaces
/// the output only when it is complete ([`OutputFile`]): a failure or a signal leaves the old
/// output as it was, unlike the SDK's tool.
pub(super) struct Output {
    /// The output, committed at the end.
    target: Option<OutputFile>,
    /// `None` once the writing thread has been joined.
    writer: Option<Writer>,
    channels: usize,
    rate: u32,
    bytes: Vec<u8>,
    filled: usize,
    frames: u64,
    peak: f32,
}

/// The writing thread, the full buffers on their way to it (with how many of their bytes to
/// write), and the written ones on their way back.
struct Writer {
    thread: std::thread::JoinHandle<std::io::Result<std::fs::File>>,
    full: std::sync::mpsc::SyncSender<(Vec<u8>, usize)>,
    empty: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl Writer {
    fn start(mut file: std::fs::File) -> Self {
        // Two buffers queued at most: a slow disk holds the converting thread back.
        let (full, to_write) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize)>(2);
        let (written, empty) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            for (bytes, len) in to_write {
                file.write_all(&bytes[..len])?;
                // The converting thread may have finished and stopped taking buffers back.
                let _ = written.send(bytes);
            }
            Ok(file)
        });
        Self {
            thread,
            full,
            empty,
        }
    }

    /// The writing thread's file, when all went well, or its error.
    fn join(self) -> std::io::Result<std::fs::File> {
        drop(self.full);
        self.thread
            .join()
            .expect("the writing thread does not panic")
    }
}

impl Output {
    /// Creates the output for `path`; `input` is the input file, which the output must not be.
    pub(super) fn create(
        path: &str,
        input: FileId,
        channels: usize,
        rate: u32,
    ) -> Result<Self, AudioError> {
        let mut target = OutputFile::create(path.as_ref(), &[input], false)?;
        let write_error = |e: std::io::Error| AudioError::Write {
            file: path.into(),
            reason: ladspa_host::audio::reason(&e),
        };
        let mut file = target.file().try_clone().map_err(write_error)?;
        let mut output = Self {
            target: Some(target),
            writer: None,
            channels,
            rate,
            bytes: Self::buffer(channels),
            filled: 0,
            frames: 0,
            peak: 0.0,
        };
        // Sizes of 0 for now, as libsndfile writes them first; `finish` fills them in.
        file.write_all(&output.header()).map_err(write_error)?;
        output.writer = Some(Writer::start(file));
        Ok(output)
    }

    fn buffer(channels: usize) -> Vec<u8> {
        vec![0; IO_BLOCKS * BLOCK * 2 * channels]
    }

    /// The header for the frames written so far.
    fn header(&self) -> [u8; 44] {
        let block_align = 2 * self.channels as u32;
        let data = (self.frames * u64::from(block_align)) as u32;
        let mut header = [0; 44];
        let fields: [&[u8]; 12] = [
            b"RIFF",
            &(data.wrapping_add(36)).to_le_bytes(),
            b"WAVEfmt ",
            &16_u32.to_le_bytes(),
            &1_u16.to_le_bytes(), // PCM
            &(self.channels as u16).to_le_bytes(),
            &self.rate.to_le_bytes(),
            &(self.rate.wrapping_mul(block_align)).to_le_bytes(),
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
        if self.filled + size > self.bytes.len() && !self.hand_over() {
            // The writing thread stopped: its error says why.
            return Err(self.writer_error());
        }
        let bytes = &mut self.bytes[self.filled..self.filled + size];
        self.peak = convert_out(channels, frames, bytes, self.peak);
        self.filled += size;
        self.frames += frames as u64;
        Ok(())
    }

    /// Hands the full buffer to the writing thread and takes an empty one; false when that
    /// thread has stopped (on an error).
    fn hand_over(&mut self) -> bool {
        let Some(writer) = &self.writer else {
            return false;
        };
        let empty = writer
            .empty
            .try_recv()
            .unwrap_or_else(|_| Self::buffer(self.channels));
        let full = std::mem::replace(&mut self.bytes, empty);
        let sent = writer.full.send((full, self.filled)).is_ok();
        self.filled = 0;
        sent
    }

    /// Why the writing thread stopped.
    #[cold]
    fn writer_error(&mut self) -> std::io::Error {
        match self.writer.take().map(Writer::join) {
            Some(Err(error)) => error,
            _ => std::io::Error::other("the writing thread stopped"),
        }
    }

    /// Writes what is left and the header's final sizes, and puts the file in the output's
    /// place; returns the peak of the samples.
    pub(super) fn finish(mut self) -> std::io::Result<f32> {
        if self.filled > 0 && !self.hand_over() {
            return Err(self.writer_error());
        }
        let header = self.header();
        let writer = self.writer.take();
        let mut file = writer.map_or_else(|| Err(self.writer_error()), Writer::join)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        drop(file);
        let target = self.target.take().expect("committed once, here");
        target.commit().map_err(std::io::Error::other)?;
        Ok(self.peak)
    }
}
