//! The CPU's floating-point control register (x86-64: MXCSR; AArch64: FPCR), read and written
//! around every raw call into a plugin: the `fp-environment` check compares it, and every
//! check restores it so that one plugin call's change cannot spoil the next check's
//! observations (a plugin that unmasks traps would otherwise make later host code die of
//! SIGFPE and fail checks that are not about the FP environment).

/// MXCSR's exception status flags (bits 0–5): ordinary arithmetic sets them, so they are not
/// part of the environment a call must leave alone.
#[cfg(target_arch = "x86_64")]
const STATUS_FLAGS: u64 = 0x3f;

/// The control register now, status flags masked out; 0 on other architectures.
#[inline(always)]
pub(crate) fn read() -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        let mut value: u32 = 0;
        // SAFETY: `stmxcsr` stores the 32-bit MXCSR at a valid, writable `u32`.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut value, options(nostack, preserves_flags))
        };
        u64::from(value) & !STATUS_FLAGS
    }
    #[cfg(target_arch = "aarch64")]
    {
        let value: u64;
        // SAFETY: reading FPCR has no side effect.
        unsafe {
            std::arch::asm!("mrs {}, fpcr", out(reg) value, options(nomem, nostack, preserves_flags))
        };
        value
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    0
}

/// Writes back a value that [`read`] returned.
#[inline(always)]
pub(crate) fn write(value: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        let value = value as u32;
        // SAFETY: a value read from MXCSR with the status flags cleared, which is valid.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &value, options(nostack, preserves_flags, readonly))
        };
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: a value read from FPCR.
    unsafe {
        std::arch::asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags))
    };
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    let _ = value;
}

/// Whether this target has a register to check.
pub(crate) const SUPPORTED: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));
