//! Checks of the values a plugin outputs: `non-finite-output`, `denormal-output`,
//! `control-range`.

use super::outcome::{Outcome, fail, not_instantiated, pass, skip};
use super::rig::{RATE, Rig, Subject};
use super::signal::{GENERATOR_LEN, Layout, first_sample, noise, noise_inputs, process};

/// Control settings of `non-finite-output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    Default,
    Minimum,
    Maximum,
}

/// The first non-finite value in the audio outputs or the control outputs.
fn non_finite(
    rig: &Rig<'_, '_>,
    outputs: &[Vec<f32>],
    controls: &Option<String>,
) -> Option<String> {
    first_sample(rig.subject(), outputs, |v| !v.is_finite()).or_else(|| controls.clone())
}

/// Runs noise through a fresh instance with `set` applied to it after instantiation;
/// returns the first non-finite output (`Err` when it cannot be instantiated).
fn run_noise(
    subject: &Subject<'_>,
    samples: usize,
    set: impl FnOnce(&mut Rig<'_, '_>),
) -> Result<Option<String>, String> {
    let mut rig = Rig::new(subject, RATE)?;
    set(&mut rig);
    rig.activate();
    let inputs = noise_inputs(&rig, samples);
    let mut control_bad = None;
    let outputs = process(&mut rig, &inputs, 1024, Layout::Separate, |rig| {
        control_bad = control_bad.take().or_else(|| control_non_finite(rig));
    });
    let found = non_finite(&rig, &outputs, &control_bad);
    rig.cleanup();
    Ok(found)
}

/// The first control output that is not finite, as "control output 'name' = v".
fn control_non_finite(rig: &Rig<'_, '_>) -> Option<String> {
    let subject = rig.subject();
    subject.control_out.iter().find_map(|&port| {
        let value = rig.control(port);
        (!value.is_finite())
            .then(|| format!("control output '{}' = {value}", subject.port_name(port)))
    })
}

/// `non-finite-output`: noise in for 8 blocks of 1024 samples, every control input at its
/// default, then at its lower bound, then at its upper bound (a side without a bound keeps the
/// default); no NaN or infinity in any audio or control output.
pub(crate) fn non_finite_output(subject: &Subject<'_>) -> Outcome {
    let mut found = Vec::new();
    for setting in [Setting::Default, Setting::Minimum, Setting::Maximum] {
        let result = run_noise(subject, 8192, |rig| {
            for &port in &subject.control_in {
                let hint = subject
                    .descriptor
                    .port(port)
                    .expect("a port of the descriptor")
                    .hint();
                let (lower, upper) = hint.bounds_at(RATE);
                let value = match setting {
                    Setting::Default => None,
                    Setting::Minimum => lower,
                    Setting::Maximum => upper,
                };
                if let Some(value) = value {
                    rig.set_control(port, value);
                }
            }
        });
        match result {
            Err(error) => return not_instantiated(error),
            Ok(Some(what)) => {
                let setting = format!("{setting:?}").to_lowercase();
                found.push(format!("controls at {setting}: {what}"));
            }
            Ok(None) => {}
        }
    }
    if found.is_empty() {
        pass("finite output at default, minimum and maximum controls")
    } else {
        fail(found.join("; "))
    }
}

/// `denormal-output`: 0.1 s of noise, then 2 s of exact silence, in blocks of 1024 at
/// 48 kHz, controls at their defaults (the denormal modes of the CPU off, as a host leaves
/// them); no subnormal number in the audio outputs.
pub(crate) fn denormal_output(subject: &Subject<'_>) -> Outcome {
    if subject.audio_out.is_empty() {
        return skip("no audio output");
    }
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let burst = 4800;
    let inputs: Vec<Vec<f32>> = (0..subject.audio_in.len())
        .map(|k| {
            let mut signal = noise(k as u32 + 3, burst);
            signal.resize(burst + 2 * RATE as usize, 0.0);
            signal
        })
        .collect();
    let outputs = if subject.audio_in.is_empty() {
        let silent: Vec<Vec<f32>> = Vec::new();
        let mut all = vec![Vec::new(); subject.audio_out.len()];
        // Generators: 2.1 s of their output.
        for _ in 0..(burst + 2 * RATE as usize).div_ceil(GENERATOR_LEN) {
            let block = process(&mut rig, &silent, 1024, Layout::Separate, |_| {});
            for (all, part) in all.iter_mut().zip(block) {
                all.extend(part);
            }
        }
        all
    } else {
        process(&mut rig, &inputs, 1024, Layout::Separate, |_| {})
    };
    let count: usize = outputs
        .iter()
        .map(|s| s.iter().filter(|v| v.is_subnormal()).count())
        .sum();
    let first = first_sample(subject, &outputs, f32::is_subnormal);
    rig.cleanup();
    match first {
        Some(what) => fail(format!(
            "{count} subnormal samples as the signal decays; first: {what}"
        )),
        None => pass("no subnormal output while the signal decays to silence"),
    }
}

/// The values `control-range` gives a control input: 9 points over its declared range
/// (geometric when logarithmic and positive, rounded when integer, 0 and 1 when toggled); a
/// side without a bound is the default. `None` when neither side is bounded.
fn sweep(subject: &Subject<'_>, port: usize) -> Option<Vec<f32>> {
    let hint = subject.descriptor.port(port)?.hint();
    if hint.is_toggled() {
        return Some(vec![0.0, 1.0]);
    }
    let default = hint.initial_value(RATE);
    let (lower, upper) = hint.bounds_at(RATE);
    if lower.is_none() && upper.is_none() {
        return None;
    }
    let lo = lower.unwrap_or(default);
    let hi = upper.unwrap_or(default).max(lo);
    let geometric = hint.is_logarithmic() && lo > 0.0 && hi > 0.0;
    let mut values: Vec<f32> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0;
            let v = if geometric {
                lo * (hi / lo).powf(t)
            } else {
                lo + (hi - lo) * t
            };
            if hint.is_integer() { v.round() } else { v }
        })
        .filter(|v| v.is_finite())
        .collect();
    values.dedup();
    Some(values)
}

/// Samples run at each end of a control's range: long enough for the hangs that need a few
/// thousand samples at a bound (`tap_reflector` hangs 4161 samples after its Fragment Length
/// reaches its minimum).
const EDGE_SAMPLES: usize = 8192;

/// What `control-range` may spend on the values inside the ranges of all controls, in seconds
/// of the plugin's own time (measured on the first 2048 samples): plugins with hundreds of
/// controls get fewer samples per value, never fewer than 256.
const INTERIOR_BUDGET: f64 = 1.5;

/// `control-range`: one instance runs 2048 samples of noise at the defaults; then, for each
/// control input with a bound, each value of its sweep ([`sweep`]) in blocks of 1024, the
/// other controls at their defaults: [`EDGE_SAMPLES`] at the two ends, between 256 and 2048
/// samples inside (see [`INTERIOR_BUDGET`]); then the control goes back to its default. A crash
/// or hang is the parent's to report (the step names the control and value); a non-finite
/// output counts only when the defaults gave a finite one (else `non-finite-output` reports
/// it), and a fresh instance carries on after one (its state may hold the NaN).
pub(crate) fn control_range(subject: &Subject<'_>) -> Outcome {
    let sweeps: Vec<(usize, Vec<f32>)> = subject
        .control_in
        .iter()
        .filter_map(|&port| Some((port, sweep(subject, port)?)))
        .collect();
    let unbounded = subject.control_in.len() - sweeps.len();
    if sweeps.is_empty() {
        return skip(format!("no bounded control input ({unbounded} unbounded)"));
    }
    let fresh = || -> Result<(Rig<'_, '_>, bool, f64), String> {
        let mut rig = Rig::new(subject, RATE)?;
        rig.activate();
        let baseline = noise_inputs(&rig, 2048);
        let started = std::time::Instant::now();
        let outputs = process(&mut rig, &baseline, 1024, Layout::Separate, |_| {});
        let per_sample = started.elapsed().as_secs_f64() / 2048.0;
        let bad = first_sample(subject, &outputs, |v| !v.is_finite()).is_some();
        Ok((rig, bad, per_sample))
    };
    let (mut rig, baseline_bad, per_sample) = match fresh() {
        Ok(made) => made,
        Err(error) => return not_instantiated(error),
    };
    let interior_values: usize = sweeps.iter().map(|(_, v)| v.len().saturating_sub(2)).sum();
    let interior =
        (INTERIOR_BUDGET / per_sample.max(1e-9) / interior_values.max(1) as f64) as usize;
    let interior = interior.clamp(256, 2048);
    let inputs = noise_inputs(&rig, EDGE_SAMPLES);
    let mut found = Vec::new();
    for (port, values) in &sweeps {
        let name = subject.port_name(*port);
        let default = subject
            .descriptor
            .port(*port)
            .map_or(0.0, |p| p.hint().initial_value(RATE));
        let last = values.len() - 1;
        for (i, &value) in values.iter().enumerate() {
            rig.set_control(*port, value);
            rig.note = format!(" with '{name}' = {value}");
            let samples = if i == 0 || i == last {
                EDGE_SAMPLES
            } else {
                interior
            };
            let mut control_bad = None;
            let outputs = process(
                &mut rig,
                &inputs_of(&inputs, samples),
                1024,
                Layout::Separate,
                |rig| {
                    control_bad = control_bad.take().or_else(|| control_non_finite(rig));
                },
            );
            let bad = non_finite(&rig, &outputs, &control_bad).filter(|_| !baseline_bad);
            if let Some(what) = bad {
                found.push(format!("'{name}' = {value}: {what}"));
                rig.note.clear();
                rig.cleanup();
                rig = match fresh() {
                    Ok((rig, _, _)) => rig,
                    Err(error) => return not_instantiated(error),
                };
                break;
            }
        }
        // Back to the default, with a step of its own: a plugin that crashes on the change
        // back (revdelay's SIGFPE when its delay returns to 0) is not blamed on the next
        // control's first value.
        rig.set_control(*port, default);
        rig.note = format!(" with '{name}' back at its default {default}");
        process(
            &mut rig,
            &inputs_of(&inputs, 1024),
            1024,
            Layout::Separate,
            |_| {},
        );
        rig.note.clear();
        subject.steps.alive();
    }
    rig.cleanup();
    let swept = sweeps.len();
    if !found.is_empty() {
        let shown = found.len().min(5);
        let more = if found.len() > shown {
            format!("; and {} more", found.len() - shown)
        } else {
            String::new()
        };
        fail(format!("{}{more}", found[..shown].join("; ")))
    } else {
        let not_swept = if unbounded > 0 {
            format!(" ({unbounded} unbounded, not swept)")
        } else {
            String::new()
        };
        pass(format!(
            "{swept} controls swept with finite output{not_swept}"
        ))
    }
}

/// The first `samples` samples of each input (generators: none).
fn inputs_of(inputs: &[Vec<f32>], samples: usize) -> Vec<Vec<f32>> {
    inputs
        .iter()
        .map(|signal| signal[..samples].to_vec())
        .collect()
}
