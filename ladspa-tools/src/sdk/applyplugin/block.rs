//! The SDK's block, which every part of the job works in.

/// Frames per run: the SDK's block, so that plugins whose output depends on block boundaries
/// give the same output as under the SDK.
pub(super) const BLOCK: usize = 2048;

/// Blocks read a system call (256 KiB of mono 16-bit samples): large reads straight into the
/// chunks the blocks are converted from. Measured on the 15-minute job of
/// `benches/apply-speed.py` against 16 and 256 blocks, which were slower (more wake-ups; more
/// of the chunks out of the cache by the time they are converted).
pub(super) const READ_BLOCKS: usize = 64;

/// Blocks written a system call (1 MiB of mono 16-bit samples), measured against 64 and 1024.
pub(super) const WRITE_BLOCKS: usize = 256;
