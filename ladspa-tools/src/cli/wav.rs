//! WAV files of any sample format, as planar `f32` blocks: read with `hound`, written in the
//! input's format or another one, with clipping counted rather than wrapped.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use hound::{SampleFormat, WavReader, WavSpec, WavWriter};
use ladspa_host::audio::{AudioError, FileId, OutputFile};

/// Why an audio file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WavError {
    /// The input could not be opened or read.
    #[error("cannot read {}: {}", file.display(), hound_reason(source))]
    Read {
        /// The file.
        file: PathBuf,
        /// What hound said.
        source: hound::Error,
    },
    /// The output could not be put in place, or is the input.
    #[error(transparent)]
    Output(#[from] AudioError),
    /// The output could not be created or written.
    #[error("cannot write {}: {}", file.display(), hound_reason(source))]
    Write {
        /// The file.
        file: PathBuf,
        /// What hound said.
        source: hound::Error,
    },
}

/// What hound said, without Rust's `(os error N)`.
fn hound_reason(error: &hound::Error) -> String {
    match error {
        hound::Error::IoError(error) => ladspa_host::audio::reason(error),
        other => other.to_string(),
    }
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
    /// The WAV spec of this format for `channels` channels at the input's sample rate (the
    /// input's own format for `Same`).
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
    id: FileId,
    spec: WavSpec,
    frames: u64,
    source: Source,
}

/// Where the samples come from: the common formats straight from the data chunk's bytes, the
/// others through hound's sample iterator (about 10 ns a sample, most of `ladspa apply`'s time
/// on a 16-bit file before the direct path).
enum Source {
    /// 16-bit integer or 32-bit float samples, whose size in the file their format fixes.
    Direct {
        reader: BufReader<File>,
        samples_left: u64,
        bytes: Vec<u8>,
    },
    /// Any other format hound reads (8-, 24- and 32-bit integers).
    Hound {
        reader: WavReader<BufReader<File>>,
        /// Integer samples are multiplied by this: 2^-(bits - 1).
        scale: f32,
    },
}

impl Input {
    /// Opens `path`.
    pub fn open(path: &Path) -> Result<Self, WavError> {
        let read_error = |source| WavError::Read {
            file: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(|e| read_error(hound::Error::IoError(e)))?;
        let id = FileId::of_file(&file).map_err(|e| read_error(hound::Error::IoError(e)))?;
        let reader = WavReader::new(BufReader::new(file)).map_err(read_error)?;
        let spec = reader.spec();
        let frames = u64::from(reader.duration());
        let direct = matches!(
            (spec.sample_format, spec.bits_per_sample),
            (SampleFormat::Int, 16) | (SampleFormat::Float, 32)
        );
        let source = if direct {
            Source::Direct {
                samples_left: u64::from(reader.len()),
                // hound leaves its reader at the first byte of the data chunk.
                reader: reader.into_inner(),
                bytes: Vec::new(),
            }
        } else {
            Source::Hound {
                reader,
                scale: 1.0 / (1u64 << (spec.bits_per_sample - 1).min(63)) as f32,
            }
        };
        Ok(Self {
            path: path.to_owned(),
            id,
            spec,
            frames,
            source,
        })
    }

    /// The file's identity, which an output must not have.
    pub fn id(&self) -> FileId {
        self.id
    }

    /// The file's format.
    pub fn spec(&self) -> WavSpec {
        self.spec
    }

    /// Frames in the file.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Reads up to `channels[0].len()` frames into `channels` (one buffer per channel of the
    /// file); returns how many frames it read (0 at the end).
    pub fn read(&mut self, channels: &mut [Vec<f32>]) -> Result<usize, WavError> {
        let capacity = channels.first().map_or(0, Vec::len);
        let count = channels.len().max(1);
        let path = &self.path;
        let error = |source| WavError::Read {
            file: path.clone(),
            source,
        };
        match &mut self.source {
            Source::Direct {
                reader,
                samples_left,
                bytes,
            } => {
                let size = usize::from(self.spec.bits_per_sample / 8);
                let frames = (capacity as u64).min(*samples_left / count as u64) as usize;
                bytes.resize(frames * count * size, 0);
                reader
                    .read_exact(bytes)
                    .map_err(|e| error(hound::Error::IoError(e)))?;
                *samples_left -= (frames * count) as u64;
                let float = self.spec.sample_format == SampleFormat::Float;
                for (t, frame) in bytes.chunks_exact(count * size).enumerate() {
                    for (channel, sample) in channels.iter_mut().zip(frame.chunks_exact(size)) {
                        channel[t] = if float {
                            f32::from_le_bytes([sample[0], sample[1], sample[2], sample[3]])
                        } else {
                            f32::from(i16::from_le_bytes([sample[0], sample[1]])) / 32768.0
                        };
                    }
                }
                Ok(frames)
            }
            Source::Hound { reader, scale } => {
                let mut samples = 0;
                let (mut frame, mut channel) = (0, 0);
                let mut put = |value: f32| {
                    channels[channel][frame] = value;
                    samples += 1;
                    channel += 1;
                    if channel == count {
                        (channel, frame) = (0, frame + 1);
                    }
                };
                match reader.spec().sample_format {
                    SampleFormat::Float => {
                        for sample in reader.samples::<f32>().take(capacity * count) {
                            put(sample.map_err(error)?);
                        }
                    }
                    SampleFormat::Int => {
                        for sample in reader.samples::<i32>().take(capacity * count) {
                            put(sample.map_err(error)? as f32 * *scale);
                        }
                    }
                }
                Ok(samples / count)
            }
        }
    }
}

/// An output file, written block by block from planar buffers.
pub struct Output {
    path: PathBuf,
    target: OutputFile,
    writer: WavWriter<BufWriter<File>>,
    spec: WavSpec,
    clipped: u64,
}

impl Output {
    /// Creates the output for `path` with `spec`; it replaces `path` only when it is finished,
    /// and is refused when it is the input.
    pub fn create(path: &Path, spec: WavSpec, input: FileId) -> Result<Self, WavError> {
        let mut target = OutputFile::create(path, &[input], false)?;
        let error = |source| WavError::Write {
            file: path.to_owned(),
            source,
        };
        let file = target
            .file()
            .try_clone()
            .map_err(|e| error(hound::Error::IoError(e)))?;
        let writer = WavWriter::new(BufWriter::new(file), spec).map_err(error)?;
        Ok(Self {
            path: path.to_owned(),
            target,
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
                for frame in frames {
                    for channel in channels {
                        self.writer.write_sample(channel[frame]).map_err(error)?;
                    }
                }
            }
            SampleFormat::Int => {
                let full = (1i64 << (self.spec.bits_per_sample - 1)) as f64;
                let (lowest, highest) = (-(full as i64), full as i64 - 1);
                // Rounds half away from zero, as `f64::round` does, without its libm call;
                // NaN becomes 0 (`as` maps it there) and counts as clipped.
                let mut quantise = |value: f32| {
                    let scaled = f64::from(value) * full;
                    let rounded = (scaled + 0.5_f64.copysign(scaled)) as i64;
                    let clamped = rounded.clamp(lowest, highest);
                    self.clipped += u64::from(clamped != rounded || scaled.is_nan());
                    clamped
                };
                if self.spec.bits_per_sample == 16 {
                    // hound's 16-bit writer buffers a block and skips per-sample checks.
                    let count = frames.len() * channels.len();
                    let mut writer = self.writer.get_i16_writer(count as u32);
                    for frame in frames {
                        for channel in channels {
                            writer.write_sample(quantise(channel[frame]) as i16);
                        }
                    }
                    writer.flush().map_err(error)?;
                } else {
                    for frame in frames {
                        for channel in channels {
                            let sample = quantise(channel[frame]) as i32;
                            self.writer.write_sample(sample).map_err(error)?;
                        }
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

    /// Writes the header's lengths and puts the file in the output's place.
    pub fn finish(self) -> Result<(), WavError> {
        let path = self.path;
        self.writer
            .finalize()
            .map_err(|source| WavError::Write { file: path, source })?;
        Ok(self.target.commit()?)
    }
}
