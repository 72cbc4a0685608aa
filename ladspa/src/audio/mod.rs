//! Audio files (feature `audio`): the PCM codec, and output files that replace their target
//! only when they are complete.
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

mod error;
mod output;
pub mod pcm;

pub use error::{AudioError, reason};
pub use output::{FileId, OutputFile};
