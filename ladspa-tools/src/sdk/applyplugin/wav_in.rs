//! 16-bit WAV input: the PCM data read ahead by a thread of its own
//! ([`ReadAhead`](ladspa_host::audio::ReadAhead)), and converted to floats as libsndfile
//! converts them.

use std::io::{Read, Seek};

use ladspa_host::audio::ReadAhead;
use ladspa_host::audio::pcm::{self, SampleFormat};

use super::block::{BLOCK, READ_BLOCKS};

/// The buffer of the reader that hound parses the header through: smaller than a read of
/// [`READ_BLOCKS`] blocks, so that those bypass it.
pub(super) const HEADER_BUFFER: usize = 16 << 10;

/// The input's samples: hound parses the header and checks the format, then the PCM data, which
/// needs no more parsing, is read [`READ_BLOCKS`] blocks at a time by a thread of its own (so that
/// the read system calls overlap the work on the blocks before) and converted here a block at a
/// time (reading sample by sample through `hound` would cost more than the SDK's whole run).
pub(super) struct Input {
    data: ReadAhead,
}

impl Input {
    pub(super) fn new<R: Read + Seek + Send + 'static>(
        reader: hound::WavReader<R>,
        channels: usize,
    ) -> std::io::Result<Self> {
        let length = u64::from(reader.len()) * 2;
        let mut data = reader.into_inner();
        // Where the data starts in the file (which places the chunks in memory).
        let offset = data.stream_position()?;
        // Chunks of whole blocks: every block but the last is whole.
        let data = ReadAhead::start(data.take(length), offset, 2 * channels, READ_BLOCKS * BLOCK)?;
        Ok(Self { data })
    }

    /// Reads up to a block of frames into the channel buffers (their first samples; the rest
    /// keep what they held); returns how many frames were read, fewer than a block only at the
    /// end of the data, as libsndfile's `sf_readf_float`. A partial frame at the very end is
    /// dropped, as libsndfile drops it.
    pub(super) fn read_block(&mut self, channels: &mut [Vec<f32>]) -> std::io::Result<usize> {
        let bytes = self.data.next(BLOCK)?;
        Ok(pcm::decode(SampleFormat::I16, bytes, channels))
    }
}
