//! Audio files (feature `audio`): reading (WAV of any chunk layout by this crate's own reader;
//! FLAC, AIFF, Ogg Vorbis, MP3 and WAV's other codecs through symphonia), writing WAV, output
//! files that replace their target only when complete, and the whole file job behind
//! `ladspa apply`, [`process_file`].
//!
//! # The file job, for every front end
//!
//! [`process_file`] takes an input ([`Input`]: a path or standard input), an output
//! ([`Output`]: a path or standard output), the chain's stages ([`StageSpec`]: a loaded
//! [`Descriptor`](crate::Descriptor), control values by port index, bypass) and [`JobOptions`]
//! (output sample format, latency, block size, `fsync`), and returns a [`Report`] (frames,
//! peak, duration, latency, clipping). An [`Observer`] sees the plan before the output is
//! created, follows the progress (and may stop the job) and receives [`JobWarning`]s. The
//! command line and the Python package both call it, so the same job gives the same bytes.
//!
//! # No data loss
//!
//! [`OutputFile`] writes to a file of its own in the output's directory (a file without a name,
//! `O_TMPFILE`, where the file system has them, so that not even a crash leaves it behind) and
//! puts it in the output's place in one `rename` when [`OutputFile::commit`] is called. Until
//! then the old file stays as it was; an output that is dropped without a commit (an error, an
//! interrupted job) leaves nothing. An output that is one of the job's inputs (the same device
//! and inode, through any path, symbolic link or hard link) is refused before anything is opened
//! for writing. Standard output, FIFOs and devices are written directly.
//!
//! # Reading ahead, writing behind
//!
//! A file job spends as much time in the system calls that copy its bytes as in the plugins.
//! [`ReadAhead`] reads the input in large chunks on a thread of its own, and [`WriteBehind`]
//! writes the converted output on another, with the output's disk space reserved at once when
//! its length is known (so that the flush ext4 makes when a finished file is renamed over an
//! older one has nothing to do; each range's write-out is started as it goes otherwise). [`AudioReader`] and [`WavWriter`] use them, and so does `applyplugin`.
//!
//! # What is written
//!
//! WAV, as sox and other readers take it without a warning: plain PCM up to 16 bits and two
//! channels, `WAVE_FORMAT_EXTENSIBLE` for PCM beyond, plain IEEE float (with its `fact` chunk)
//! at any channel count; a data chunk of odd length padded; on a pipe, lengths that
//! say "unknown" the way sox writes them (which this reader, sox and others read to the end).

mod error;
mod job;
mod observer;
mod output;
pub mod pcm;
mod placement;
mod read;
mod read_ahead;
mod wav;
mod write;
mod write_behind;

pub use error::{AudioError, reason};
pub use job::{
    Input, JobOptions, Output, OutputFormat, Report, StageSpec, names_other_audio_format,
    process_file,
};
pub use observer::{JobWarning, Observer, Plan};
pub use output::{FileId, OutputFile};
pub use read::{AudioFormat, AudioReader};
pub use read_ahead::ReadAhead;
pub use write::{WavWriter, Written};
pub use write_behind::{WriteBehind, WriteBuffer};
