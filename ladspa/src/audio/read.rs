//! Reading audio files into planar `f32` blocks: WAV files of PCM and float samples by this
//! crate's own reader (in any chunk layout, from files and pipes), everything else through
//! symphonia (FLAC, AIFF, Ogg Vorbis, MP3, WAV's other codecs).
//!
//! Why a WAV reader of its own: symphonia decodes 15 minutes of 16-bit mono WAV in 250 ms on
//! this project's machine (packets of 1152 frames, a generic conversion), which alone is twice
//! what `applyplugin` takes for the whole job; reading the data chunk in large blocks and
//! converting it with [`pcm::decode`](super::pcm::decode) takes about 15 ms.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as DecodeError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSourceStream, ReadOnlySource};
use symphonia::core::meta::MetadataOptions;

use super::error::{AudioError, reason};
use super::output::FileId;
use super::pcm::{self, SampleFormat};
use super::read_ahead::ReadAhead;
use super::wav::{self, Parsed};

/// Bytes a chunk of WAV data read ahead holds, about: 256 KiB measured faster than 64 KiB and
/// 1 MiB (`benches/apply-speed.py`).
const CHUNK: usize = 256 << 10;

/// What an input holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AudioFormat {
    /// The container or codec, as people call it: `WAV`, `FLAC`, `AIFF`, `Ogg`, `MP3`.
    pub container: String,
    /// Channels.
    pub channels: usize,
    /// Frames a second.
    pub sample_rate: u32,
    /// How samples are stored, for PCM codecs (WAV, AIFF, FLAC); `None` for lossy codecs,
    /// whose decoded samples are floats.
    pub sample_format: Option<SampleFormat>,
    /// Frames in the file, when its header says (a streamed WAV header does not).
    pub frames: Option<u64>,
}

/// An audio input, read block by block into planar `f32` buffers.
pub struct AudioReader {
    name: PathBuf,
    id: Option<FileId>,
    format: AudioFormat,
    source: Source,
}

impl std::fmt::Debug for AudioReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioReader")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

enum Source {
    Wav {
        /// The data chunk (as long as the header says, when it can be believed).
        input: ReadAhead,
        sample: SampleFormat,
    },
    Decoded(Box<Decoded>),
}

/// A symphonia decoder, and the samples of its last packet not handed out yet.
struct Decoded {
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track: u32,
    pending: Vec<Vec<f32>>,
    at: usize,
    ended: bool,
}

/// Reads while remembering what it read, so that a decoder can be given the same bytes again
/// (standard input cannot be rewound).
struct Recorder<R> {
    inner: R,
    seen: Vec<u8>,
}

impl<R: Read> Read for Recorder<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.seen.extend_from_slice(&buffer[..n]);
        Ok(n)
    }
}

impl AudioReader {
    /// Opens an audio file.
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        let read_error = |e: io::Error| AudioError::Read {
            file: path.to_owned(),
            reason: reason(&e),
        };
        let file = File::open(path).map_err(read_error)?;
        let metadata = file.metadata().map_err(read_error)?;
        if metadata.is_dir() {
            return Err(read_error(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        let id = Some(FileId::of_file(&file).map_err(read_error)?);
        let mut buffered = BufReader::with_capacity(16 << 10, file);
        match wav::parse(&mut buffered).map_err(read_error)? {
            Ok(Parsed::Wav(header)) => {
                // (Where the data starts in the file places the chunks read in memory.)
                let offset = buffered.stream_position().unwrap_or(0);
                Self::wav(path, id, header, Box::new(buffered), offset).map_err(read_error)
            }
            Ok(Parsed::Other) => {
                let mut file = buffered.into_inner();
                file.rewind().map_err(read_error)?;
                let stream = MediaSourceStream::new(Box::new(file), Default::default());
                Self::decoded(path, id, stream)
            }
            Err(reason) => Err(AudioError::Format {
                file: path.to_owned(),
                reason,
            }),
        }
    }

    /// Reads standard input (named `-` in messages).
    pub fn stdin() -> Result<Self, AudioError> {
        let name = Path::new("-");
        let read_error = |e: io::Error| AudioError::Read {
            file: name.to_owned(),
            reason: reason(&e),
        };
        let stdin = io::stdin();
        let id = {
            use std::os::fd::AsFd;
            let fd = stdin.as_fd().try_clone_to_owned().map_err(read_error)?;
            FileId::of_file(&File::from(fd)).ok()
        };
        let mut recorder = Recorder {
            inner: stdin,
            seen: Vec::new(),
        };
        match wav::parse(&mut recorder).map_err(read_error)? {
            Ok(Parsed::Wav(header)) => {
                Self::wav(name, id, header, Box::new(recorder.inner), 0).map_err(read_error)
            }
            Ok(Parsed::Other) => {
                let again = io::Cursor::new(recorder.seen).chain(recorder.inner);
                let source = ReadOnlySource::new(again);
                let stream = MediaSourceStream::new(Box::new(source), Default::default());
                Self::decoded(name, id, stream)
            }
            Err(reason) => Err(AudioError::Format {
                file: name.to_owned(),
                reason,
            }),
        }
    }

    fn wav(
        path: &Path,
        id: Option<FileId>,
        header: wav::WavHeader,
        input: Box<dyn Read + Send>,
        offset: u64,
    ) -> io::Result<Self> {
        let frame = header.format.bytes() * header.channels;
        let data = input.take(header.data_bytes.unwrap_or(u64::MAX));
        let input = ReadAhead::start(data, offset, frame, CHUNK / frame.max(1))?;
        Ok(Self {
            name: path.to_owned(),
            id,
            format: AudioFormat {
                container: "WAV".to_owned(),
                channels: header.channels,
                sample_rate: header.sample_rate,
                sample_format: Some(header.format),
                frames: header.data_bytes.map(|bytes| bytes / frame as u64),
            },
            source: Source::Wav {
                input,
                sample: header.format,
            },
        })
    }

    fn decoded(
        path: &Path,
        id: Option<FileId>,
        stream: MediaSourceStream<'static>,
    ) -> Result<Self, AudioError> {
        let format_error = |reason: String| AudioError::Format {
            file: path.to_owned(),
            reason,
        };
        let mut hint = Hint::new();
        if let Some(extension) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(extension);
        }
        let reader = symphonia::default::get_probe()
            .probe(
                &hint,
                stream,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(|e| match e {
                DecodeError::IoError(e) => AudioError::Read {
                    file: path.to_owned(),
                    reason: reason(&e),
                },
                _ => format_error(
                    "not an audio file this program reads (WAV, FLAC, AIFF, Ogg Vorbis, MP3)"
                        .to_owned(),
                ),
            })?;
        let track = reader
            .default_track(TrackType::Audio)
            .ok_or_else(|| format_error("it holds no audio track".to_owned()))?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| format_error("its audio track has no codec parameters".to_owned()))?
            .clone();
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
            .map_err(|e| format_error(format!("its codec cannot be decoded ({e})")))?;
        let channels = params.channels.as_ref().map_or(0, |c| c.count());
        let sample_rate = params.sample_rate.unwrap_or(0);
        if channels == 0 || sample_rate == 0 {
            return Err(format_error(
                "its audio track gives no channel count or sample rate".to_owned(),
            ));
        }
        let lossless = params.bits_per_sample.and_then(|bits| match bits {
            1..=8 => Some(SampleFormat::I16),
            9..=16 => Some(SampleFormat::I16),
            17..=24 => Some(SampleFormat::I24),
            25..=32 => Some(SampleFormat::I32),
            _ => None,
        });
        let sample_format = match params.sample_format {
            Some(symphonia::core::audio::sample::SampleFormat::F32) => Some(SampleFormat::F32),
            Some(symphonia::core::audio::sample::SampleFormat::F64) => Some(SampleFormat::F64),
            _ => lossless,
        };
        let container = match reader.format_info().short_name {
            "wave" | "wav" => "WAV",
            "flac" => "FLAC",
            "aiff" => "AIFF",
            "ogg" => "Ogg",
            "mp3" | "mpa" => "MP3",
            other => other,
        }
        .to_owned();
        Ok(Self {
            name: path.to_owned(),
            id,
            format: AudioFormat {
                container,
                channels,
                sample_rate,
                sample_format,
                frames: track.num_frames,
            },
            source: Source::Decoded(Box::new(Decoded {
                track: track.id,
                reader,
                decoder,
                pending: vec![Vec::new(); channels],
                at: 0,
                ended: false,
            })),
        })
    }

    /// What the input holds.
    pub fn format(&self) -> &AudioFormat {
        &self.format
    }

    /// The input's identity (device and inode), which an output must not have.
    pub fn id(&self) -> Option<FileId> {
        self.id
    }

    /// The input's name, as messages say it (`-` for standard input).
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// Reads up to `channels[0].len()` frames into `channels` (one buffer per channel of the
    /// input); returns the frames read, fewer only at the end of the input (0 there).
    pub fn read<B: AsMut<[f32]>>(&mut self, channels: &mut [B]) -> Result<usize, AudioError> {
        let wanted = channels.first_mut().map_or(0, |c| c.as_mut().len());
        let name = &self.name;
        let read_error = |e: io::Error| AudioError::Read {
            file: name.clone(),
            reason: reason(&e),
        };
        match &mut self.source {
            Source::Wav { input, sample } => {
                let mut done = 0;
                while done < wanted {
                    let bytes = input.next(wanted - done).map_err(read_error)?;
                    if bytes.is_empty() {
                        break;
                    }
                    done += pcm::decode_at(*sample, bytes, channels, done);
                }
                Ok(done)
            }
            Source::Decoded(decoded) => decoded.read(channels, wanted, name),
        }
    }
}

impl Decoded {
    fn read<B: AsMut<[f32]>>(
        &mut self,
        channels: &mut [B],
        wanted: usize,
        name: &Path,
    ) -> Result<usize, AudioError> {
        let mut done = 0;
        while done < wanted {
            let available = self.pending.first().map_or(0, Vec::len) - self.at;
            if available == 0 {
                if self.ended || !self.decode_next(name)? {
                    self.ended = true;
                    break;
                }
                continue;
            }
            let n = available.min(wanted - done);
            for (to, from) in channels.iter_mut().zip(&self.pending) {
                to.as_mut()[done..done + n].copy_from_slice(&from[self.at..self.at + n]);
            }
            self.at += n;
            done += n;
        }
        Ok(done)
    }

    /// Decodes the next packet of the track into `pending`; false at the end of the stream. A
    /// packet that does not decode is skipped, as players do.
    fn decode_next(&mut self, name: &Path) -> Result<bool, AudioError> {
        loop {
            let packet = match self.reader.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => return Ok(false),
                Err(DecodeError::IoError(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Ok(false);
                }
                Err(DecodeError::IoError(e)) => {
                    return Err(AudioError::Read {
                        file: name.to_owned(),
                        reason: reason(&e),
                    });
                }
                Err(DecodeError::ResetRequired) => return Ok(false),
                Err(e) => {
                    return Err(AudioError::Format {
                        file: name.to_owned(),
                        reason: e.to_string(),
                    });
                }
            };
            if packet.track_id != self.track {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buffer) => {
                    let frames = buffer.frames();
                    if buffer.num_planes() != self.pending.len() {
                        return Err(AudioError::Format {
                            file: name.to_owned(),
                            reason: "its channel count changes in the middle".to_owned(),
                        });
                    }
                    for plane in &mut self.pending {
                        plane.resize(frames, 0.0);
                    }
                    buffer.copy_to_slice_planar(&mut self.pending);
                    self.at = 0;
                    return Ok(true);
                }
                Err(DecodeError::DecodeError(_)) => continue,
                Err(e) => {
                    return Err(AudioError::Format {
                        file: name.to_owned(),
                        reason: e.to_string(),
                    });
                }
            }
        }
    }
}
