//! The SDK's block, which every part of the job works in.

/// Frames per run: the SDK's block, so that plugins whose output depends on block boundaries
/// give the same output as under the SDK.
pub(super) const BLOCK: usize = 2048;

/// Blocks read or written a system call: large reads and writes straight between the files and
/// the tool's own byte buffers, with no copy through a `BufReader` or `BufWriter`.
pub(super) const IO_BLOCKS: usize = 256;
