//! The child side: sweeps one plugin file, announcing each step before doing it.
//!
//! Per plugin type and sample rate: an instance that is never activated, dropped (the handle
//! activates and deactivates it before its cleanup, which some plugins need), then an instance that is activated, run for 0 samples with empty
//! buffers, run for 1, 64 and 4096 samples of noise with every control input at its default,
//! at its lower bound and at its upper bound, offered NaN and ±infinity (which `set_control`
//! must refuse, and `set_control_clamped` turn into finite values or refuse), run on four
//! threads at once, deactivated, reactivated, run and dropped.

use std::mem::ManuallyDrop;
use std::path::Path;
use std::sync::Barrier;

use ladspa_host::{ActiveHandle, Descriptor, Handle, Plugin, PortError};

use crate::protocol::{Event, Outcome, Skips, StepKey};
use crate::reporter::{Problem, Reporter, Tally, host};

/// The sample rates every plugin type is instantiated at.
pub const RATES: [u32; 2] = [44100, 48000];
/// The block sizes of the noise runs.
const BLOCKS: [usize; 3] = [1, 64, 4096];
/// Threads that instantiate, run and drop the same plugin type at once, and how many times each.
const THREADS: usize = 4;
const THREAD_ROUNDS: usize = 3;

/// Sweeps the file at `path`, skipping `skips` and starting at the plugin type and rate
/// `resume` (`label@rate`) if given.
pub fn sweep_file(path: &Path, skips: &Skips, resume: Option<&str>) {
    let mut out = Reporter {
        skips,
        label: "*".to_owned(),
        rate: 0,
    };
    let loaded = out.step("load", |_| {
        // SAFETY: the files of Debian's LADSPA packages, which the sweep exists to run; a
        // crash while loading kills only this child process, and the parent reports it.
        match unsafe { Plugin::load(path) } {
            Ok(plugin) => Ok(plugin),
            Err(error) => Err(Problem::LoadError(error.to_string())),
        }
    });
    let Some(plugin) = loaded else {
        out.emit(&Event::End);
        return;
    };
    out.emit(&Event::Loaded {
        descriptors: plugin.descriptors().len(),
        rejected: plugin.rejected().len(),
    });
    for (index, error) in plugin.rejected().iter().enumerate() {
        out.emit(&Event::Done {
            key: StepKey::file_level(&format!("validate-{index}")),
            runs: 0,
            outcome: Outcome::Rejected,
            message: error.to_string(),
        });
    }
    let noise = noise(BLOCKS[BLOCKS.len() - 1]);
    let mut resume = resume;
    for descriptor in plugin.descriptors() {
        // Labels have no white space by the specification; the protocol relies on it.
        out.label = descriptor
            .label()
            .to_string()
            .replace(char::is_whitespace, "_");
        for rate in RATES {
            if resume.is_some_and(|at| at != format!("{}@{rate}", out.label)) {
                continue;
            }
            resume = None;
            out.rate = rate;
            sweep_at(&mut out, descriptor, &noise);
        }
    }
    // A resume point that does not exist would make this child sweep nothing, silently.
    assert!(
        resume.is_none(),
        "no plugin type and rate {resume:?} in {}",
        path.display()
    );
    out.label = "*".to_owned();
    out.rate = 0;
    // Unloading runs the file's destructors, which can crash: a step of its own.
    let plugin = ManuallyDrop::new(plugin);
    out.step("unload", move |_| {
        drop(ManuallyDrop::into_inner(plugin));
        Ok(())
    });
    out.emit(&Event::End);
}

/// Every step for one plugin type at one sample rate.
fn sweep_at(out: &mut Reporter, descriptor: &Descriptor, noise: &[f32]) {
    let rate = out.rate;
    // Handles that a step consumes are moved into it in a `ManuallyDrop`: when the step is
    // skipped (it crashed in an earlier child), the handle is leaked instead of being dropped,
    // which would call the plugin again on the way out.
    if let Some(handle) = out.step("instantiate-only", |_| instantiate(descriptor, rate)) {
        let handle = ManuallyDrop::new(handle);
        out.step("cleanup-unactivated", move |_| {
            drop(ManuallyDrop::into_inner(handle));
            Ok(())
        });
    }

    let Some(handle) = out.step("instantiate", |_| instantiate(descriptor, rate)) else {
        return;
    };
    let defaults: Vec<(usize, f32)> = control_inputs(descriptor)
        .map(|index| (index, handle.control(index).expect("a control input")))
        .collect();
    let handle = ManuallyDrop::new(handle);
    let Some(mut active) = out.step("activate", move |_| {
        Ok(ManuallyDrop::into_inner(handle).activate())
    }) else {
        return;
    };

    out.step("run-0-empty", |tally| {
        let inputs: Vec<&[f32]> = vec![&[]; descriptor.audio_input_count()];
        let mut outputs: Vec<&mut [f32]> = (0..descriptor.audio_output_count())
            .map(|_| &mut [][..])
            .collect();
        active.run(0, &inputs, &mut outputs).map_err(host)?;
        tally.runs += 1;
        Ok(())
    });

    for (setting, value) in [
        ("default", None),
        ("min", Some(f32::MIN)),
        ("max", Some(f32::MAX)),
    ] {
        for block in BLOCKS {
            out.step(&format!("{setting}-{block}"), |tally| {
                if let Some(extreme) = value {
                    set_to_bound(&mut active, descriptor, extreme)?;
                }
                run_noise(&mut active, block, noise, tally)
            });
        }
        restore(&mut active, &defaults);
    }

    for (name, value) in [
        ("nan", f32::NAN),
        ("+inf", f32::INFINITY),
        ("-inf", f32::NEG_INFINITY),
    ] {
        out.step(name, |tally| {
            let refused = refuses(&mut active, &defaults, value);
            // Run with whatever got through: a plugin that then crashes shows what letting
            // the value through costs.
            let ran = run_noise(&mut active, 64, noise, tally);
            restore(&mut active, &defaults);
            ran.and(refused)
        });
    }

    out.step("clamped-nonfinite", |tally| {
        let clamped = clamps(&mut active, &defaults);
        let ran = run_noise(&mut active, 64, noise, tally);
        restore(&mut active, &defaults);
        ran.and(clamped)
    });

    out.step("threads", |tally| {
        tally.runs += on_threads(descriptor, rate, noise)?;
        Ok(())
    });

    let active = ManuallyDrop::new(active);
    let Some(inactive) = out.step("deactivate", move |_| {
        Ok(ManuallyDrop::into_inner(active).deactivate())
    }) else {
        return;
    };
    let inactive = ManuallyDrop::new(inactive);
    let Some(mut active) = out.step("reactivate", move |_| {
        Ok(ManuallyDrop::into_inner(inactive).activate())
    }) else {
        return;
    };
    out.step("run-reactivated", |tally| {
        run_noise(&mut active, 64, noise, tally)
    });
    let active = ManuallyDrop::new(active);
    out.step("drop", move |_| {
        drop(ManuallyDrop::into_inner(active));
        Ok(())
    });
}

fn instantiate(descriptor: &Descriptor, rate: u32) -> Result<Handle, Problem> {
    descriptor
        .instantiate(rate)
        .map_err(|error| Problem::Declined(error.to_string()))
}

fn control_inputs(descriptor: &Descriptor) -> impl Iterator<Item = usize> + '_ {
    descriptor
        .ports()
        .filter(|port| port.is_control() && port.is_input())
        .map(|port| port.index())
}

/// Sets every control input that is bounded on the side of `extreme` (`f32::MIN` or
/// `f32::MAX`) to that bound, through `set_control_clamped`; unbounded ones keep their value.
fn set_to_bound(
    active: &mut ActiveHandle,
    descriptor: &Descriptor,
    extreme: f32,
) -> Result<(), Problem> {
    let rate = active.sample_rate();
    for port in descriptor
        .ports()
        .filter(|p| p.is_control() && p.is_input())
    {
        let (lower, upper) = port.hint().bounds_at(rate);
        let Some(bound) = (if extreme < 0.0 { lower } else { upper }) else {
            continue;
        };
        let set = active
            .set_control_clamped(port.index(), extreme)
            .map_err(host)?;
        // Inverted bounds (lower above upper) clamp to one of the two; either is a bound.
        let (lo, hi) = (lower.unwrap_or(bound), upper.unwrap_or(bound));
        if set != lo && set != hi {
            return Err(host(format!(
                "set_control_clamped({extreme}) on port {} set {set}, not its bound {bound}",
                port.index()
            )));
        }
    }
    Ok(())
}

/// Offers `value` (NaN or an infinity) to every control input through `set_control`, which
/// must refuse it with [`PortError::NotFinite`] and leave the port as it was.
fn refuses(
    active: &mut ActiveHandle,
    defaults: &[(usize, f32)],
    value: f32,
) -> Result<(), Problem> {
    let mut wrong = Vec::new();
    for &(index, before) in defaults {
        let result = active.set_control(index, value);
        let unchanged = same(active.control(index).ok(), before);
        match result {
            Err(PortError::NotFinite { index: i, .. }) if i == index && unchanged => {}
            Ok(()) => wrong.push(format!("port {index}: accepted")),
            Err(error) => wrong.push(format!("port {index}: {error} (unchanged: {unchanged})")),
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(host(format!(
            "set_control({value}) not refused: {}",
            wrong.join("; ")
        )))
    }
}

/// Offers NaN and both infinities to every control input through `set_control_clamped`, which
/// must set a finite value (NaN: the port's initial value; an infinity: the bound on its side)
/// or refuse with [`PortError::NotFinite`] and leave the port as it was. Each port is put back
/// at once, so the plugin never runs at the bounds here (the min and max runs do that).
fn clamps(active: &mut ActiveHandle, defaults: &[(usize, f32)]) -> Result<(), Problem> {
    let mut wrong = Vec::new();
    for &(index, before) in defaults {
        for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let result = active.set_control_clamped(index, value);
            let now = active.control(index).ok();
            match result {
                Ok(set) if set.is_finite() && same(now, set) => {}
                Err(PortError::NotFinite { index: i, .. }) if i == index && same(now, before) => {}
                other => wrong.push(format!("port {index}, {value}: {other:?} then {now:?}")),
            }
            let _ = active.set_control(index, before);
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(host(format!("set_control_clamped: {}", wrong.join("; "))))
    }
}

/// Whether a control reads back as exactly `value` (bit for bit, so that NaN compares too).
fn same(read: Option<f32>, value: f32) -> bool {
    read.is_some_and(|read| read.to_bits() == value.to_bits())
}

fn restore(active: &mut ActiveHandle, defaults: &[(usize, f32)]) {
    for &(index, value) in defaults {
        // A default that is not finite (NaN bounds) cannot be set again, and need not be.
        let _ = active.set_control(index, value);
    }
}

fn run_noise(
    active: &mut ActiveHandle,
    block: usize,
    noise: &[f32],
    tally: &mut Tally,
) -> Result<(), Problem> {
    let descriptor = active.descriptor().clone();
    let inputs: Vec<&[f32]> = vec![&noise[..block]; descriptor.audio_input_count()];
    let mut outputs = vec![vec![0.0_f32; block]; descriptor.audio_output_count()];
    let mut outputs: Vec<&mut [f32]> = outputs.iter_mut().map(Vec::as_mut_slice).collect();
    active.run(block, &inputs, &mut outputs).map_err(host)?;
    tally.runs += 1;
    Ok(())
}

/// Four threads instantiating, running and dropping instances of one plugin type at once;
/// returns the number of runs.
fn on_threads(descriptor: &Descriptor, rate: u32, noise: &[f32]) -> Result<u64, Problem> {
    let start = Barrier::new(THREADS);
    let results: Vec<_> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    let mut tally = Tally::default();
                    for _ in 0..THREAD_ROUNDS {
                        // A plugin may decline an instance (it did not decline the first one,
                        // but it may ration them); only what the host does is judged here.
                        if let Ok(handle) = descriptor.instantiate(rate) {
                            let mut active = handle.activate();
                            run_noise(&mut active, 64, noise, &mut tally)?;
                        }
                    }
                    Ok::<u64, Problem>(tally.runs)
                })
            })
            .collect();
        threads.into_iter().map(|thread| thread.join()).collect()
    });
    let mut runs = 0;
    for result in results {
        runs += result.map_err(|_| host("a thread panicked"))??;
    }
    Ok(runs)
}

/// Deterministic noise in [-1, 1).
fn noise(len: usize) -> Vec<f32> {
    let mut state = 0x9e37_79b9_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 2.0 - 1.0
        })
        .collect()
}
