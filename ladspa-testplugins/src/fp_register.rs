//! The CPU's floating-point control register (x86-64: MXCSR; AArch64: FPCR), read and written
//! directly: what `tp_fpenv.so` spoils, and what the tests that watch it compare.
//!
//! Only on x86-64 and AArch64, the targets where the host restores the register.

/// The register's value now (MXCSR zero-extended on x86-64).
#[cfg(target_arch = "x86_64")]
pub fn read() -> u64 {
    let mut mxcsr: u32 = 0;
    // SAFETY: `stmxcsr` stores the 32-bit MXCSR at a valid, writable `u32`.
    unsafe {
        core::arch::asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack, preserves_flags))
    };
    u64::from(mxcsr)
}

/// Writes the register.
///
/// # Safety
/// `value` must be a valid register value (one [`read()`] gave, with defined control bits
/// changed). Rust code, and LLVM's optimisation of it, assumes the default environment: a
/// caller that writes anything else must write the old value back before any floating-point
/// code it relies on runs.
#[cfg(target_arch = "x86_64")]
pub unsafe fn write(value: u64) {
    let mxcsr = value as u32;
    // SAFETY: a valid MXCSR value (the caller's contract).
    unsafe {
        core::arch::asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack, preserves_flags, readonly))
    };
}

/// What `tp_fpenv.so` leaves after each entry point, from the value `before`: every exception
/// unmasked (bits 7 to 12) and rounding toward zero (bits 13 and 14); the flags and the flush
/// modes as they were.
#[cfg(target_arch = "x86_64")]
pub fn spoiled(before: u64) -> u64 {
    (before & !(0x3f << 7)) | (0b11 << 13)
}

/// The bits of a [`spoiled`] value that every CPU reads back as written: all but the
/// exception flags (bits 0 to 5), which are sticky results of arithmetic, not settings.
#[cfg(target_arch = "x86_64")]
pub const SPOILED_BITS: u64 = 0xffff & !0x3f;

/// The register's value now.
#[cfg(target_arch = "aarch64")]
pub fn read() -> u64 {
    let fpcr: u64;
    // SAFETY: reading FPCR has no side effect.
    unsafe {
        core::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags))
    };
    fpcr
}

/// Writes the register.
///
/// # Safety
/// As on x86-64: a valid FPCR value, and the old one written back before any floating-point
/// code the caller relies on runs.
#[cfg(target_arch = "aarch64")]
pub unsafe fn write(value: u64) {
    // SAFETY: a valid FPCR value (the caller's contract).
    unsafe {
        core::arch::asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags))
    };
}

/// What `tp_fpenv.so` leaves after each entry point, from the value `before`: the trap
/// enables IOE, DZE, OFE, UFE, IXE (bits 8 to 12) set and RMode (bits 22 and 23) toward zero.
#[cfg(target_arch = "aarch64")]
pub fn spoiled(before: u64) -> u64 {
    before | (0x1f << 8) | (0b11 << 22)
}

/// The bits of a [`spoiled`] value that every core reads back as written: RMode only, since
/// cores without trapping read the trap enables back as 0.
#[cfg(target_arch = "aarch64")]
pub const SPOILED_BITS: u64 = 0b11 << 22;
