//! Where the bytes of an I/O buffer start, so that the kernel's copies between it and a file's
//! pages run at full speed.
//!
//! When a buffer's address and the file offset its bytes go to (or come from) differ by a few
//! bytes modulo 4 KiB, the CPU takes each load of the copy for one that may depend on the store
//! just before it ("4K aliasing"), and the copy runs at half speed. glibc's large allocations
//! start 16 bytes past a page, which is just that distance from page-aligned file offsets: a
//! 1 MiB `write` took 0.85 ms from such a buffer, and 0.35 ms from one placed half a page
//! away (`benches/apply-speed.py`).

/// A page, as the CPU's store-to-load aliasing check sees addresses.
pub(super) const PAGE: usize = 4096;

/// The index, below [`PAGE`], at which a buffer allocated at `address` should start holding
/// the bytes of file offset `offset`: half a page away from that offset's place in its page.
pub(super) fn start_for(address: usize, offset: u64) -> usize {
    let wanted = (offset as usize).wrapping_add(PAGE / 2);
    wanted.wrapping_sub(address) % PAGE
}
