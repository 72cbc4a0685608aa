//! `tp_fpenv.so`: `tp_fpenv` (7403, "Test FP Environment"), a mono amplifier (0 "Gain", control
//! input, default 1; 1 "Input"; 2 "Output") whose every LADSPA entry point (`ladspa_descriptor`,
//! `instantiate`, `connect_port`, `activate`, `run`, `deactivate`, `cleanup`) returns with the
//! floating-point control register changed, as plugins built with `-ffast-math` startup code or
//! with their own trap handling do:
//!
//! - x86-64: MXCSR with every exception unmasked (bits 7 to 12: invalid operation, denormal,
//!   division by zero, overflow, underflow, precision) and rounding toward zero (bits 13 and 14
//!   set); the exception flags and the flush modes are left as they were;
//! - AArch64: FPCR with the trap enables of invalid operation, division by zero, overflow,
//!   underflow and inexact set (IOE, DZE, OFE, UFE, IXE) and rounding toward zero
//!   (RMode = 0b11); cores without trapping ignore the enables, the rounding mode still bites;
//! - other targets: nothing is changed.
//!
//! A host that does not restore the register after each call dies of SIGFPE at its next
//! inexact or invalid operation (on x86-64, nearly any floating-point operation), or computes
//! with the wrong rounding. The plugin's own code computes nothing between the change and its
//! return, so it never traps itself; its amplifier is exact at a gain of 1.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static FPENV: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    instantiate: Some(instantiate),
    connect_port: Some(connect_port),
    activate: Some(activate),
    run: Some(run),
    deactivate: Some(deactivate),
    cleanup: Some(cleanup),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7403,
            label: c"tp_fpenv",
            name: c"Test FP Environment",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

/// Leaves the floating-point control register as the crate documentation says. Call it last,
/// right before returning to the host: Rust code assumes the default environment, so none of
/// this file's floating-point code may run after it.
#[inline(always)]
fn spoil_the_fp_environment() {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        use ladspa_testplugins::fp_register;
        // SAFETY: a valid register value (only defined control bits change). That the change
        // outlives the call is this fixture's purpose; no floating-point code of this file
        // runs after it (the callers return right away).
        unsafe { fp_register::write(fp_register::spoiled(fp_register::read())) };
    }
}

/// The LADSPA entry point: `tp_fpenv` for index 0, then NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ladspa_descriptor(index: c_ulong) -> *const LADSPA_Descriptor {
    let descriptor = if index == 0 {
        FPENV.as_ptr()
    } else {
        core::ptr::null()
    };
    spoil_the_fp_environment();
    descriptor
}

/// `instantiate` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::instantiate()`].
unsafe extern "C" fn instantiate(
    descriptor: *const LADSPA_Descriptor,
    sample_rate: c_ulong,
) -> LADSPA_Handle {
    // SAFETY: forwarded from this function's contract.
    let handle = unsafe { ladspa_testplugins::kit::instantiate::<Amp<1>>(descriptor, sample_rate) };
    spoil_the_fp_environment();
    handle
}

/// `connect_port` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::connect_port()`].
unsafe extern "C" fn connect_port(handle: LADSPA_Handle, port: c_ulong, data: *mut LADSPA_Data) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::connect_port::<Amp<1>>(handle, port, data) };
    spoil_the_fp_environment();
}

/// `activate` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::activate()`].
unsafe extern "C" fn activate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::activate::<Amp<1>>(handle) };
    spoil_the_fp_environment();
}

/// `run` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::run()`].
unsafe extern "C" fn run(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::run::<Amp<1>>(handle, sample_count) };
    spoil_the_fp_environment();
}

/// `deactivate` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::deactivate()`].
unsafe extern "C" fn deactivate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::deactivate::<Amp<1>>(handle) };
    spoil_the_fp_environment();
}

/// `cleanup` of the amplifier, then the spoiling.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::cleanup()`].
unsafe extern "C" fn cleanup(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::cleanup::<Amp<1>>(handle) };
    spoil_the_fp_environment();
}
