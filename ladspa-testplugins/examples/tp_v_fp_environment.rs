//! `tp_v_fp_environment.so`: `tp_v_fp_environment` (7618), a mono amplifier whose `run`
//! turns flush-to-zero on in the FP control register (MXCSR / FPCR) and leaves it so. Fails
//! `fp-environment` only (the validator restores the register after every call).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static FP: StaticDescriptor = StaticDescriptor::new(descriptor::<LeavesFlushMode, 3>(
    Info {
        unique_id: 7618,
        label: c"tp_v_fp_environment",
        name: c"Validator Fixture: changes the FP control register",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&FP);

/// The amplifier that leaves the FP mode changed.
struct LeavesFlushMode;

impl Plugin for LeavesFlushMode {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        Amp::<1>.run(io);
        // Flush-to-zero: MXCSR bit 15 on x86-64, FPCR bit 24 on AArch64.
        #[cfg(target_arch = "x86_64")]
        const FLUSH_TO_ZERO: u64 = 1 << 15;
        #[cfg(target_arch = "aarch64")]
        const FLUSH_TO_ZERO: u64 = 1 << 24;
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        {
            use ladspa_testplugins::fp_register;
            // SAFETY: a valid register value with one mode bit set, left so on return: the
            // fixture's defect. Nothing after it in this call does floating-point arithmetic.
            unsafe { fp_register::write(fp_register::read() | FLUSH_TO_ZERO) };
        }
    }
}
