//! The caller's floating-point environment survives plugins that change it.

use super::*;

/// The caller's floating-point control register: MXCSR on x86-64.
#[cfg(target_arch = "x86_64")]
mod fp {
    use std::arch::asm;

    pub fn get() -> u64 {
        let mut mxcsr: u32 = 0;
        // SAFETY: `stmxcsr` stores the 32-bit MXCSR at a valid, writable `u32`.
        unsafe { asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack, preserves_flags)) };
        u64::from(mxcsr)
    }

    pub fn set(value: u64) {
        let mxcsr = value as u32;
        // SAFETY: only ever `get()`'s value, or it with FTZ and DAZ set: a valid MXCSR that
        // enables no trap and keeps rounding to nearest.
        unsafe {
            asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack, preserves_flags, readonly))
        };
    }

    /// A caller's environment other than the default that is still safe for Rust code: flush
    /// to zero and denormals are zero (bits 15 and 6).
    pub fn flushing(default: u64) -> u64 {
        default | 0x8000 | 0x0040
    }

    /// Everything but the exception flags (bits 0 to 5), which are sticky results of any
    /// arithmetic, the host's own included, not settings.
    pub const SETTINGS: u64 = 0xffff & !0x3f;
}

/// The caller's floating-point control register: FPCR on AArch64.
#[cfg(target_arch = "aarch64")]
mod fp {
    use std::arch::asm;

    pub fn get() -> u64 {
        let fpcr: u64;
        // SAFETY: reading FPCR has no side effect.
        unsafe { asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags)) };
        fpcr
    }

    pub fn set(value: u64) {
        // SAFETY: only ever `get()`'s value, or it with FZ set: a valid FPCR that enables no
        // trap and keeps rounding to nearest.
        unsafe { asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags)) };
    }

    /// A caller's environment other than the default that is still safe for Rust code: flush
    /// to zero (bit 24).
    pub fn flushing(default: u64) -> u64 {
        default | 1 << 24
    }

    /// FPCR holds settings only.
    pub const SETTINGS: u64 = u64::MAX;
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn plugin_calls_leave_the_callers_fp_environment_as_it_was() {
    let path = hostile("tp_fpenv");
    let default = fp::get();
    for caller in [default, fp::flushing(default)] {
        // valgrind's emulated CPU keeps no flush-to-zero setting (MXCSR reads back as the
        // default): a setting the machine cannot hold cannot be restored either, so only the
        // default environment is checked there. Natively both are.
        fp::set(caller);
        let holds = fp::get() & fp::SETTINGS == caller & fp::SETTINGS;
        fp::set(default);
        if !holds {
            assert_ne!(caller, default, "the default environment always holds");
            eprintln!("this CPU does not hold the environment {caller:#x}: not checked");
            continue;
        }
        let mut changed = Vec::new();
        // Runs one step with the caller's environment in place, notes what the step left, and
        // puts the default back at once: a failure is an assertion below, not a SIGFPE in the
        // test's own code.
        let mut step = |what: &str, call: &mut dyn FnMut()| {
            fp::set(caller);
            call();
            let after = fp::get();
            fp::set(default);
            if after & fp::SETTINGS != caller & fp::SETTINGS {
                changed.push(format!("{what}: {caller:#x} became {after:#x}"));
            }
        };
        let mut plugin = None;
        step("load", &mut || plugin = Some(load(&path)));
        let plugin = plugin.unwrap();
        let fpenv = plugin.find_label("tp_fpenv").unwrap();
        let mut handle = None;
        step("instantiate", &mut || {
            handle = Some(fpenv.instantiate(48000).unwrap())
        });
        let mut handle = handle.unwrap();
        step("set_control", &mut || {
            handle.set_control("Gain", 1.0).unwrap()
        });
        let mut handle = Some(handle);
        let mut active = None;
        step("activate", &mut || {
            active = handle.take().map(|h| h.activate())
        });
        let mut active = active.unwrap();
        let input = [0.5_f32, -0.25, 2.0, 1.0];
        let mut output = [0.0_f32; 4];
        step("run", &mut || {
            active.run(4, &[&input], &mut [&mut output]).unwrap()
        });
        assert!(active.set_flush_denormals(true));
        step("run flushing denormals", &mut || {
            active.run(4, &[&input], &mut [&mut output]).unwrap()
        });
        assert!(active.set_flush_denormals(false));
        step("run_in_place", &mut || {
            active.run_in_place(4, &mut [&mut output]).unwrap()
        });
        let mut active = Some(active);
        let mut inactive = None;
        step("deactivate", &mut || {
            inactive = active.take().map(|h| h.deactivate())
        });
        step("drop the handle (cleanup)", &mut || drop(inactive.take()));
        let mut plugin = Some(plugin);
        step("drop the plugin (unload)", &mut || drop(plugin.take()));
        assert_eq!(output, input, "the amplifier ran at a gain of 1");
        assert!(
            changed.is_empty(),
            "caller's environment {caller:#x} changed by:\n{}",
            changed.join("\n")
        );
    }
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn host_arithmetic_after_plugin_calls_neither_traps_nor_rounds_toward_zero() {
    use std::hint::black_box;
    let path = hostile("tp_fpenv");
    let child = in_child(
        "fp_env::host_arithmetic_after_plugin_calls_neither_traps_nor_rounds_toward_zero",
        CHILD_TIMEOUT,
        || {
            let plugin = load(&path);
            let fpenv = plugin.find_label("tp_fpenv").unwrap().clone();
            let mut handle = fpenv.instantiate(44100).unwrap();
            handle.set_control("Gain", 1.0).unwrap();
            let mut handle = handle.activate();
            let input = [0.5_f32; 8];
            let mut output = [0.0_f32; 8];
            handle.run(8, &[&input], &mut [&mut output]).unwrap();
            drop(handle.deactivate());
            drop(plugin);
            // With the plugin's environment these trap (invalid operation, inexact result) or,
            // without traps, round 1/3 down to 0.3333333.
            let nan = black_box(0.0_f32) / black_box(0.0_f32);
            assert!(nan.is_nan());
            let third = black_box(1.0_f32) / black_box(3.0_f32);
            assert_eq!(
                third.to_bits(),
                0x3eaa_aaab,
                "1/3 rounded to nearest: {third}"
            );
            drop(fpenv);
            let third = black_box(1.0_f64) / black_box(3.0_f64);
            assert_eq!(third, 1.0 / 3.0);
        },
    );
    assert_exited_cleanly(&child);
}
