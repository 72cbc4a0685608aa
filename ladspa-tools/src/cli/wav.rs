//! WAV files of any sample format, as planar `f32` blocks: read with `hound`, written in the
//! input's format or another one, with clipping counted rather than wrapped.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::ops::Range;
use std::path::{Path, PathBuf};

use hound::{SampleFormat, WavReader, WavSpec, WavWriter};

/// Why an audio file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WavError {
    /// The input could not be opened or read.
    #[error("cannot read {}: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// What hound said.
        source: hound::Error,
    },
    /// The output could not be created or written.
    #[error("cannot write {}: {source}", file.display())]
    Write {
        /// The file.
        file: PathBuf,
        /// What hound said.
        source: hound::Error,
    },
}

/// A sample format of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The input file's format.
    Same,
    /// 16-bit integers.
    #[value(name = "16")]
    Int16,
    /// 24-bit integers.
    #[value(name = "24")]
    Int24,
    /// 32-bit integers.
    #[value(name = "32")]
    Int32,
    /// 32-bit floating point.
    #[value(name = "float")]
    Float,
}

impl Format {
    /// The WAV spec of this format for `channels` at `sample_rate`, `input` for `Same`.
    pub fn spec(self, input: WavSpec, channels: u16) -> WavSpec {
        let (bits_per_sample, sample_format) = match self {
            Self::Same => (input.bits_per_sample, input.sample_format),
            Self::Int16 => (16, SampleFormat::Int),
            Self::Int24 => (24, SampleFormat::Int),
            Self::Int32 => (32, SampleFormat::Int),
            Self::Float => (32, SampleFormat::Float),
        };
        WavSpec {
            channels,
            sample_rate: input.sample_rate,
            bits_per_sample,
            sample_format,
        }
    }
}

/// An input file, read block by block into planar buffers.
pub struct Input {
    path: PathBuf,
    reader: WavReader<BufReader<File>>,
    /// Integer samples are divided by this: 2^(bits - 1).
    scale: f32,
}

impl Input {
    /// Opens `path`.
    pub fn open(path: &Path) -> Result<Self, WavError> {
        let reader = WavReader::open(path).map_err(|source| WavError::Read {
            file: path.to_owned(),
            source,
        })?;
        let bits = reader.spec().bits_per_sample;
        Ok(Self {
            path: path.to_owned(),
            reader,
            scale: 1.0 / (1u64 << (bits - 1).min(63)) as f32,
        })
    }

    /// The file's format.
    pub fn spec(&self) -> WavSpec {
        self.reader.spec()
    }

    /// Frames in the file.
    pub fn frames(&self) -> u64 {
        u64::from(self.reader.duration())
    }

    /// Reads up to `channels[0].len()` frames into `channels` (one buffer per channel of the
    /// file); returns how many frames it read (0 at the end).
    pub fn read(&mut self, channels: &mut [Vec<f32>]) -> Result<usize, WavError> {
        let capacity = channels.first().map_or(0, Vec::len);
        let count = channels.len();
        let path = &self.path;
        let error = |source| WavError::Read {
            file: path.clone(),
            source,
        };
        let mut samples = 0;
        match self.reader.spec().sample_format {
            SampleFormat::Float => {
                for (i, sample) in self
                    .reader
                    .samples::<f32>()
                    .take(capacity * count)
                    .enumerate()
                {
                    channels[i % count][i / count] = sample.map_err(error)?;
                    samples += 1;
                }
            }
            SampleFormat::Int => {
                let scale = self.scale;
                for (i, sample) in self
                    .reader
                    .samples::<i32>()
                    .take(capacity * count)
                    .enumerate()
                {
                    channels[i % count][i / count] = sample.map_err(error)? as f32 * scale;
                    samples += 1;
                }
            }
        }
        Ok(samples / count.max(1))
    }
}

/// An output file, written block by block from planar buffers.
pub struct Output {
    path: PathBuf,
    writer: WavWriter<BufWriter<File>>,
    spec: WavSpec,
    clipped: u64,
}

impl Output {
    /// Creates `path` with `spec`.
    pub fn create(path: &Path, spec: WavSpec) -> Result<Self, WavError> {
        let writer = WavWriter::create(path, spec).map_err(|source| WavError::Write {
            file: path.to_owned(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
            writer,
            spec,
            clipped: 0,
        })
    }

    /// Writes the frames `frames` of `channels`, interleaving them.
    pub fn write(&mut self, channels: &[Vec<f32>], frames: Range<usize>) -> Result<(), WavError> {
        let path = &self.path;
        let error = |source| WavError::Write {
            file: path.clone(),
            source,
        };
        match self.spec.sample_format {
            SampleFormat::Float => {
                for frame in frames.clone() {
                    for channel in channels {
                        self.writer.write_sample(channel[frame]).map_err(error)?;
                    }
                }
            }
            SampleFormat::Int => {
                let full = (1u64 << (self.spec.bits_per_sample - 1)) as f64;
                let (lowest, highest) = (-full, full - 1.0);
                for frame in frames.clone() {
                    for channel in channels {
                        let value = (f64::from(channel[frame]) * full).round();
                        // NaN counts as clipped and is written as silence.
                        let clamped = if value.is_nan() {
                            0.0
                        } else {
                            value.clamp(lowest, highest)
                        };
                        self.clipped += u64::from(clamped != value);
                        self.writer.write_sample(clamped as i32).map_err(error)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Samples that did not fit the integer format and were clipped.
    pub fn clipped(&self) -> u64 {
        self.clipped
    }

    /// Writes the header's lengths and closes the file.
    pub fn finish(self) -> Result<(), WavError> {
        let path = self.path;
        self.writer
            .finalize()
            .map_err(|source| WavError::Write { file: path, source })
    }
}
