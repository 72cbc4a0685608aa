//! The child side: sweeps one plugin file, announcing each step before doing it.
//!
//! Per plugin type and sample rate: an instance that is never activated (cleanup without
//! activate is legal), then an instance that is activated, run for 0 samples with empty
//! buffers, run for 1, 64 and 4096 samples of noise with every control input at its default,
//! at its lower bound and at its upper bound, offered NaN and ±infinity (which the host must
//! refuse), run on four threads at once, deactivated, reactivated, run and dropped.

use std::io::Write;
use std::mem::ManuallyDrop;
use std::path::Path;
use std::sync::Barrier;

use ladspa::{ActiveHandle, Descriptor, Handle, Plugin};

use crate::{Event, Outcome, Skips, StepKey};

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
            outcome: Outcome::Fail,
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
            let accepted: Vec<usize> = defaults
                .iter()
                .filter(|&&(index, _)| active.set_control(index, value).is_ok())
                .map(|&(index, _)| index)
                .collect();
            // Run with whatever was accepted: a plugin that then crashes shows what letting
            // the value through costs.
            let ran = run_noise(&mut active, 64, noise, tally);
            restore(&mut active, &defaults);
            ran?;
            if accepted.is_empty() {
                Ok(())
            } else {
                Err(host(format!(
                    "set_control({value}) accepted on control inputs {accepted:?}"
                )))
            }
        });
    }

    out.step("clamped-nan", |tally| {
        let mut passed = Vec::new();
        for &(index, _) in &defaults {
            // Refusing NaN is fine too; what must never happen is NaN reaching the plugin.
            if let Ok(set) = active.set_control_clamped(index, f32::NAN) {
                if !set.is_finite() || !active.control(index).map_or(true, f32::is_finite) {
                    passed.push(index);
                }
            }
        }
        let ran = run_noise(&mut active, 64, noise, tally);
        restore(&mut active, &defaults);
        ran?;
        if passed.is_empty() {
            Ok(())
        } else {
            Err(host(format!(
                "set_control_clamped(NaN) set a non-finite value on control inputs {passed:?}"
            )))
        }
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

/// Why a step did not end well (short of killing the child).
#[derive(Debug)]
enum Problem {
    Host(String),
    Declined(String),
    LoadError(String),
}

fn host(error: impl ToString) -> Problem {
    Problem::Host(error.to_string())
}

#[derive(Debug, Default)]
struct Tally {
    runs: u64,
}

/// Prints the protocol, and knows which plugin type and rate the steps are about now.
struct Reporter<'a> {
    skips: &'a Skips,
    label: String,
    rate: u32,
}

impl Reporter<'_> {
    fn emit(&self, event: &Event) {
        // One write of a whole line, flushed at once: the parent must have it even if the
        // next thing the plugin does is crash the process.
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(format!("{event}\n").as_bytes())
            .and_then(|()| stdout.flush())
            .expect("the parent reads the child's output");
    }

    /// Announces a step, does it (unless it is to be skipped) and reports its outcome; gives
    /// the step's value when it succeeded.
    fn step<T>(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut Tally) -> Result<T, Problem>,
    ) -> Option<T> {
        let key = StepKey {
            label: self.label.clone(),
            rate: self.rate,
            step: name.to_owned(),
        };
        let done = |runs, outcome, message: String| Event::Done {
            key: key.clone(),
            runs,
            outcome,
            message,
        };
        if self.skips.contains(&key.label, key.rate, &key.step) {
            self.emit(&done(0, Outcome::Skipped, String::new()));
            return None;
        }
        self.emit(&Event::Step(key.clone()));
        let mut tally = Tally::default();
        let result = body(&mut tally);
        let (outcome, message) = match &result {
            Ok(_) => (Outcome::Ok, String::new()),
            Err(Problem::Host(message)) => (Outcome::Fail, message.clone()),
            Err(Problem::Declined(message)) => (Outcome::Declined, message.clone()),
            Err(Problem::LoadError(message)) => (Outcome::LoadError, message.clone()),
        };
        self.emit(&done(tally.runs, outcome, message));
        result.ok()
    }
}
