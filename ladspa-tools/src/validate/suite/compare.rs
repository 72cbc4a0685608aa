//! Checks that compare two outputs for the same input: `reset`, `determinism`, `inplace`,
//! `block-size`, `run-adding`.
//!
//! Comparisons allow a relative difference of 1e-4 ([`same`](super::signal::same)). When a
//! check's own comparison differs, the check runs a second reference instance: if two plain
//! instances already differ, the plugin is not deterministic and the difference is not this
//! check's to blame (it is skipped, pointing at `determinism`), so each defect fails one check.

use super::outcome::Verdict;
use super::outcome::{Outcome, fail, not_instantiated, pass, skip};
use super::rig::{RATE, Rig, Subject};
use super::signal::{Layout, first_difference, noise, process};

/// The signal length of the comparisons.
const LEN: usize = 8192;

/// The inputs every comparison feeds: noise, one signal per audio input.
fn inputs(subject: &Subject<'_>, seed: u32) -> Vec<Vec<f32>> {
    (0..subject.audio_in.len())
        .map(|k| noise(seed + k as u32, LEN))
        .collect()
}

/// The output of a fresh, activated instance for `inputs` in blocks of `block`.
fn fresh_output(
    subject: &Subject<'_>,
    inputs: &[Vec<f32>],
    block: usize,
    layout: Layout,
) -> Result<Vec<Vec<f32>>, String> {
    let mut rig = Rig::new(subject, RATE)?;
    rig.activate();
    let outputs = process(&mut rig, inputs, block, layout, |_| {});
    rig.cleanup();
    Ok(outputs)
}

/// The first difference between two outputs.
fn difference(
    subject: &Subject<'_>,
    a: &[Vec<f32>],
    b: &[Vec<f32>],
) -> Result<Option<String>, String> {
    Ok(first_difference(subject, a, b))
}

/// Whether a second fresh instance reproduces `reference` (blocks of 1024, separate buffers).
fn reproducible(
    subject: &Subject<'_>,
    inputs: &[Vec<f32>],
    reference: &[Vec<f32>],
) -> Result<bool, String> {
    let again = fresh_output(subject, inputs, 1024, Layout::Separate)?;
    Ok(difference(subject, reference, &again)?.is_none())
}

/// `Err` of an instantiation becomes the skip every check gives.
macro_rules! or_skip {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(error) => return not_instantiated(error),
        }
    };
}

/// `reset`: one instance runs signal Y, then another signal, then `deactivate` and
/// `activate`, then Y again: both outputs of Y must be the same.
pub(crate) fn reset(subject: &Subject<'_>) -> Outcome {
    if subject.audio_out.is_empty() {
        return skip("no audio output");
    }
    if subject.raw.activate.is_none() {
        return skip("no activate function: a host has no way to reset the instance");
    }
    let y = inputs(subject, 101);
    let other = inputs(subject, 202);
    let mut rig = or_skip!(Rig::new(subject, RATE));
    rig.activate();
    let first = process(&mut rig, &y, 1024, Layout::Separate, |_| {});
    process(&mut rig, &other, 1024, Layout::Separate, |_| {});
    rig.deactivate();
    rig.activate();
    let second = process(&mut rig, &y, 1024, Layout::Separate, |_| {});
    let found = first_difference(subject, &first, &second);
    rig.cleanup();
    match found {
        Some(what) => fail(format!(
            "after deactivate + activate, the output differs from the first: {what}"
        )),
        None => pass("deactivate + activate restores the initial state"),
    }
}

/// `determinism`: two instances, both instantiated before either runs, each run the same
/// input and controls; same outputs.
pub(crate) fn determinism(subject: &Subject<'_>) -> Outcome {
    if subject.audio_out.is_empty() {
        return skip("no audio output");
    }
    let y = inputs(subject, 303);
    let mut a = or_skip!(Rig::new(subject, RATE));
    let mut b = or_skip!(Rig::new(subject, RATE));
    a.activate();
    b.activate();
    let out_a = process(&mut a, &y, 1024, Layout::Separate, |_| {});
    let out_b = process(&mut b, &y, 1024, Layout::Separate, |_| {});
    let found = first_difference(subject, &out_a, &out_b);
    a.cleanup();
    b.cleanup();
    match found {
        Some(what) => fail(format!("two instances differ: {what}")),
        None => pass("two instances give the same output"),
    }
}

/// Compares `test` with `reference`, blaming the difference on `verdict`'s check only when
/// the plugin is deterministic.
fn judge(
    subject: &Subject<'_>,
    inputs: &[Vec<f32>],
    reference: &[Vec<f32>],
    test: &[Vec<f32>],
    verdict: Verdict,
    what: &str,
) -> Result<Option<Outcome>, String> {
    let Some(found) = difference(subject, reference, test)? else {
        return Ok(None);
    };
    if !reproducible(subject, inputs, reference)? {
        return Ok(Some(skip(
            "two plain instances already differ (see determinism)",
        )));
    }
    Ok(Some((verdict, format!("{what}: {found}"))))
}

/// `inplace`: unless the plugin is `INPLACE_BROKEN`, a fresh instance whose i-th audio input
/// and output share a buffer gives what a fresh instance on separate buffers gives.
pub(crate) fn inplace(subject: &Subject<'_>) -> Outcome {
    if subject.has_property(ladspa_host::sys::LADSPA_PROPERTY_INPLACE_BROKEN) {
        return skip("INPLACE_BROKEN");
    }
    if subject.audio_in.is_empty() || subject.audio_out.is_empty() {
        return skip("no audio input and output to share a buffer");
    }
    let y = inputs(subject, 404);
    let reference = or_skip!(fresh_output(subject, &y, 1024, Layout::Separate));
    let test = or_skip!(fresh_output(subject, &y, 1024, Layout::InPlace));
    let what = "in-place output differs from out-of-place, yet the plugin is not INPLACE_BROKEN";
    match or_skip!(judge(subject, &y, &reference, &test, Verdict::Fail, what)) {
        Some(outcome) => outcome,
        None => pass(format!(
            "in-place output equals out-of-place ({} buffer(s) shared)",
            subject.audio_in.len().min(subject.audio_out.len())
        )),
    }
}

/// `block-size`: the same input in blocks of 1, 64, 1000 (the last block shorter) and 4096
/// samples gives the same output as in blocks of 1024. A warning: LADSPA does not require it.
pub(crate) fn block_size(subject: &Subject<'_>) -> Outcome {
    if subject.audio_out.is_empty() {
        return skip("no audio output");
    }
    let y = inputs(subject, 505);
    let reference = or_skip!(fresh_output(subject, &y, 1024, Layout::Separate));
    for block in [1, 64, 1000, 4096] {
        let test = or_skip!(fresh_output(subject, &y, block, Layout::Separate));
        let what = format!("blocks of {block} differ from blocks of 1024");
        if let Some(outcome) = or_skip!(judge(subject, &y, &reference, &test, Verdict::Warn, &what))
        {
            return outcome;
        }
    }
    pass("the same output in blocks of 1, 64, 1000, 1024 and 4096")
}

/// `run-adding`: with gain 0.5 set by `set_run_adding_gain`, `run_adding` onto outputs that
/// hold noise B gives B + 0.5 × what `run` gives.
pub(crate) fn run_adding(subject: &Subject<'_>) -> Outcome {
    if subject.raw.run_adding.is_none() {
        return skip("no run_adding");
    }
    if subject.audio_out.is_empty() {
        return skip("no audio output");
    }
    let gain = 0.5;
    let y = inputs(subject, 606);
    let reference = or_skip!(fresh_output(subject, &y, 1024, Layout::Separate));
    let mut rig = or_skip!(Rig::new(subject, RATE));
    rig.activate();
    rig.set_run_adding_gain(gain);
    let block = 1024;
    let mut expected = vec![Vec::with_capacity(LEN); subject.audio_out.len()];
    let mut got = vec![Vec::with_capacity(LEN); subject.audio_out.len()];
    for start in (0..LEN).step_by(block) {
        let mut ins: Vec<Vec<f32>> = y.iter().map(|s| s[start..start + block].to_vec()).collect();
        let mut outs: Vec<Vec<f32>> = (0..subject.audio_out.len())
            .map(|k| noise(900 + k as u32 + start as u32, block))
            .collect();
        for (k, out) in outs.iter().enumerate() {
            let added = out
                .iter()
                .zip(&reference[k][start..start + block])
                .map(|(b, r)| b + gain * r);
            expected[k].extend(added);
        }
        let mut ports: Vec<(usize, *mut f32)> = subject
            .audio_in
            .iter()
            .zip(&mut ins)
            .map(|(&p, b)| (p, b.as_mut_ptr()))
            .collect();
        ports.extend(
            subject
                .audio_out
                .iter()
                .zip(&mut outs)
                .map(|(&p, b)| (p, b.as_mut_ptr())),
        );
        rig.run_adding_on(block, &ports);
        for (k, out) in outs.into_iter().enumerate() {
            got[k].extend(out);
        }
    }
    let found = first_difference(subject, &expected, &got);
    rig.cleanup();
    let what = "run_adding with gain 0.5 onto B differs from B + 0.5 × run";
    let Some(found) = found else {
        return pass("run_adding adds gain × run's output");
    };
    match reproducible(subject, &y, &reference) {
        Ok(false) => skip("two plain instances already differ (see determinism)"),
        Ok(true) => fail(format!("{what}: expected vs got at {found}")),
        Err(error) => not_instantiated(error),
    }
}
