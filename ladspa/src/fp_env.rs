//! The CPU's floating-point environment around calls into plugins.
//!
//! Rust code, and LLVM's optimisation of it, assumes the default floating-point environment:
//! round to nearest, every exception masked, denormals kept. A plugin may leave it otherwise
//! (unmasked exceptions make later host code die of SIGFPE on a 0/0; another rounding mode
//! changes every later result), so every call into a plugin is bracketed: the control register
//! (x86-64: MXCSR; AArch64: FPCR) is saved before and written back after, always.
//!
//! The same bracket can flush denormals for a run. Denormals (below about 1.2e-38 in single
//! precision) appear as a signal with feedback fades to silence, and on most CPUs each operation
//! on one costs tens to hundreds of cycles, so plugins with feedback run hundreds of times slower
//! on silent input; plugin authors expect the host to have the CPU flush them to zero. The mode
//! is on for the duration of the plugin's own call only.
//!
//! On other architectures nothing is saved or restored, and denormals are not flushed.

/// Whether this target can flush denormals (x86-64: MXCSR's FTZ and DAZ; AArch64: FPCR's FZ).
pub(crate) const FLUSH_SUPPORTED: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// The floating-point control register as it was when saved.
#[derive(Debug, Clone, Copy)]
#[must_use = "a saved environment does nothing until it is restored"]
pub(crate) struct FpControl {
    #[cfg(target_arch = "x86_64")]
    mxcsr: u32,
    #[cfg(target_arch = "aarch64")]
    fpcr: u64,
}

impl FpControl {
    /// Reads the control register.
    #[inline(always)]
    pub(crate) fn save() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            // `stmxcsr` writes the value straight into the `FpControl` and `restore` reads it
            // back from there with `ldmxcsr`: no copy through a register on the run path.
            let mut saved = std::mem::MaybeUninit::<Self>::uninit();
            // SAFETY: `stmxcsr` stores the 32-bit MXCSR at a valid, writable `u32`, the only
            // field of `Self` on this target, which is then fully initialised.
            unsafe {
                std::arch::asm!("stmxcsr [{}]", in(reg) saved.as_mut_ptr(), options(nostack, preserves_flags));
                saved.assume_init()
            }
        }
        #[cfg(target_arch = "aarch64")]
        {
            let fpcr: u64;
            // SAFETY: reading FPCR has no side effect.
            unsafe {
                std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags))
            };
            Self { fpcr }
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        Self {}
    }

    /// Writes the saved value back.
    #[inline(always)]
    pub(crate) fn restore(&self) {
        #[cfg(target_arch = "x86_64")]
        load_mxcsr(&self.mxcsr);
        #[cfg(target_arch = "aarch64")]
        // SAFETY: writes back a value read from FPCR.
        unsafe {
            std::arch::asm!("msr fpcr, {}", in(reg) self.fpcr, options(nomem, nostack, preserves_flags))
        };
    }

    /// Sets the saved value with flush-to-zero on, for the plugin's call that follows; the
    /// caller restores the saved value right after that call, before any Rust floating-point
    /// code runs.
    #[inline(always)]
    pub(crate) fn enter_flushing(self) {
        #[cfg(target_arch = "x86_64")]
        {
            /// MXCSR's flush-to-zero (results) and denormals-are-zero (inputs) bits.
            const FTZ_DAZ: u32 = 0x8000 | 0x0040;
            load_mxcsr(&(self.mxcsr | FTZ_DAZ));
        }
        #[cfg(target_arch = "aarch64")]
        {
            /// FPCR's flush-to-zero bit.
            const FZ: u64 = 1 << 24;
            // SAFETY: the saved FPCR with one mode bit set.
            unsafe {
                std::arch::asm!("msr fpcr, {}", in(reg) self.fpcr | FZ, options(nomem, nostack, preserves_flags))
            };
        }
    }
}

/// Loads MXCSR with `value`, a value `stmxcsr` stored with at most mode bits (FTZ, DAZ) added.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn load_mxcsr(value: &u32) {
    // SAFETY: a valid MXCSR value (the caller's contract), read from memory the reference keeps
    // valid.
    unsafe {
        std::arch::asm!("ldmxcsr [{}]", in(reg) value, options(nostack, preserves_flags, readonly))
    };
}

/// Calls `foreign` (a call into plugin code) and restores the floating-point control register
/// as it was before, whatever the plugin did to it.
#[inline(always)]
pub(crate) fn preserving<R>(foreign: impl FnOnce() -> R) -> R {
    let saved = FpControl::save();
    let result = foreign();
    saved.restore();
    result
}
