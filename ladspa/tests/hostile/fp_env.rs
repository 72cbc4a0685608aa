//! The caller's floating-point environment survives plugins that change it.

use crate::harness::*;

/// The caller's floating-point control register, and the environments a caller may hold.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod fp {
    pub use ladspa_testplugins::fp_register::{read, write};

    /// A caller's environment other than the default that is still safe for Rust code: flush
    /// to zero and denormals are zero (x86-64: bits 15 and 6; AArch64: FZ, bit 24).
    pub fn flushing(default: u64) -> u64 {
        if cfg!(target_arch = "x86_64") {
            default | 0x8000 | 0x0040
        } else {
            default | 1 << 24
        }
    }

    /// The settings compared: on x86-64 everything but the exception flags (bits 0 to 5),
    /// which are sticky results of any arithmetic, the host's own included; FPCR holds
    /// settings only.
    pub const SETTINGS: u64 = if cfg!(target_arch = "x86_64") {
        0xffff & !0x3f
    } else {
        u64::MAX
    };
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn plugin_calls_leave_the_callers_fp_environment_as_it_was() {
    let path = hostile("tp_fpenv");
    let default = fp::read();
    for caller in [default, fp::flushing(default)] {
        // valgrind's emulated CPU keeps no flush-to-zero setting (MXCSR reads back as the
        // default): a setting the machine cannot hold cannot be restored either, so only the
        // default environment is checked there. Natively both are.
        // SAFETY: the default, or it with flush-to-zero: environments Rust code is safe in.
        unsafe { fp::write(caller) };
        let holds = fp::read() & fp::SETTINGS == caller & fp::SETTINGS;
        // SAFETY: the value read at the start.
        unsafe { fp::write(default) };
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
            // SAFETY: as above; whatever the step leaves is read and replaced by the default at
            // once, before any floating-point code of the test runs.
            unsafe { fp::write(caller) };
            call();
            let after = fp::read();
            // SAFETY: the value read at the start.
            unsafe { fp::write(default) };
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
