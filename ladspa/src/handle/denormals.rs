//! Flushing denormal numbers to zero around a plugin's run.
//!
//! Denormals (numbers below about 1.2e-38 in single precision) appear as a decaying signal fades
//! to silence, and on most CPUs each operation on one costs tens to hundreds of cycles: plugins
//! with feedback (delays, reverbs, filters) then run hundreds of times slower on silent input.
//! Plugin authors expect the host to set the CPU to flush them to zero. The mode is switched on
//! for the duration of the plugin's own call only and restored before any Rust code runs again:
//! Rust code (and LLVM's optimisations of it) assumes the default floating-point environment.

use std::ffi::c_ulong;

use ladspa_sys as sys;

/// Whether this target can flush denormals (x86-64: MXCSR's FTZ and DAZ; AArch64: FPCR's FZ).
pub(crate) const SUPPORTED: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// Calls `run(instance, sample_count)` with denormals flushed to zero, then restores the
/// floating-point control register as it was.
///
/// # Safety
/// The call itself must be sound: `run` is the plugin's `run` or `run_adding`, and `instance`
/// a live, active instance with every port connected to memory valid for `sample_count`.
#[inline]
pub(crate) unsafe fn call_flushing_denormals(
    run: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    instance: sys::LADSPA_Handle,
    sample_count: c_ulong,
) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::asm;
        /// MXCSR's flush-to-zero (results) and denormals-are-zero (inputs) bits.
        const FTZ_DAZ: u32 = 0x8000 | 0x0040;
        let mut saved: u32 = 0;
        // SAFETY: `stmxcsr` stores the 32-bit MXCSR at a valid, writable `u32`.
        unsafe { asm!("stmxcsr [{}]", in(reg) &mut saved, options(nostack, preserves_flags)) };
        let flushing = saved | FTZ_DAZ;
        // SAFETY: `ldmxcsr` loads a valid MXCSR value (the current one with two mode bits set);
        // no Rust floating-point code runs until it is restored below.
        unsafe {
            asm!("ldmxcsr [{}]", in(reg) &flushing, options(nostack, preserves_flags, readonly))
        };
        // SAFETY: the caller's contract for the call.
        unsafe { run(instance, sample_count) };
        // SAFETY: restores the MXCSR value saved above.
        unsafe {
            asm!("ldmxcsr [{}]", in(reg) &saved, options(nostack, preserves_flags, readonly))
        };
    }
    #[cfg(target_arch = "aarch64")]
    {
        use std::arch::asm;
        /// FPCR's flush-to-zero bit.
        const FZ: u64 = 1 << 24;
        let saved: u64;
        // SAFETY: reading FPCR has no side effect.
        unsafe { asm!("mrs {}, fpcr", out(reg) saved, options(nomem, nostack, preserves_flags)) };
        // SAFETY: FPCR with one mode bit set; no Rust floating-point code runs until it is
        // restored below.
        unsafe {
            asm!("msr fpcr, {}", in(reg) saved | FZ, options(nomem, nostack, preserves_flags))
        };
        // SAFETY: the caller's contract for the call.
        unsafe { run(instance, sample_count) };
        // SAFETY: restores the FPCR value saved above.
        unsafe { asm!("msr fpcr, {}", in(reg) saved, options(nomem, nostack, preserves_flags)) };
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: the caller's contract for the call (denormals are not flushed on this target).
    unsafe {
        run(instance, sample_count)
    };
}
