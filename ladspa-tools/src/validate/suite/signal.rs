//! Test signals, running whole signals through a [`Rig`] block by block, and comparing
//! outputs.

use super::rig::{Rig, Subject};

/// Reproducible white noise in [-0.5, 0.5): a linear congruential generator, so every run and
/// every worker feeds the same samples.
pub(crate) fn noise(seed: u32, len: usize) -> Vec<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        })
        .collect()
}

/// One noise signal per audio input of the rig's plugin, `len` samples each.
pub(crate) fn noise_inputs(rig: &Rig<'_, '_>, len: usize) -> Vec<Vec<f32>> {
    (0..rig.subject().audio_in.len())
        .map(|i| noise(17 + i as u32, len))
        .collect()
}

/// How many samples [`process`] runs through a plugin without audio inputs.
pub(crate) const GENERATOR_LEN: usize = 8192;

/// How inputs and outputs share memory in [`process`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Every port its own buffer.
    Separate,
    /// The i-th audio input shares its buffer with the i-th audio output.
    InPlace,
}

/// Runs `inputs` (one signal per audio input, all of one length) through `rig` in blocks of
/// `block` samples and returns the audio outputs (one signal per audio output). Each block's
/// inputs are fresh copies, so a plugin that writes its inputs does not change what later
/// blocks or other checks feed it. `each_run` is called after every run (control outputs,
/// timing).
pub(crate) fn process(
    rig: &mut Rig<'_, '_>,
    inputs: &[Vec<f32>],
    block: usize,
    layout: Layout,
    mut each_run: impl FnMut(&mut Rig<'_, '_>),
) -> Vec<Vec<f32>> {
    let subject = rig.subject();
    let len = inputs.first().map_or(GENERATOR_LEN, Vec::len);
    let ins = subject.audio_in.clone();
    let outs = subject.audio_out.clone();
    let shared = if layout == Layout::InPlace {
        ins.len().min(outs.len())
    } else {
        0
    };
    let mut in_buffers = vec![vec![0.0f32; block]; ins.len()];
    let mut out_buffers = vec![vec![0.0f32; block]; outs.len()];
    let mut result = vec![Vec::with_capacity(len); outs.len()];
    let mut start = 0;
    while start < len {
        let n = block.min(len - start);
        for (buffer, signal) in in_buffers.iter_mut().zip(inputs) {
            buffer[..n].copy_from_slice(&signal[start..start + n]);
        }
        for buffer in &mut out_buffers {
            buffer.fill(0.0);
        }
        let mut ports = Vec::with_capacity(ins.len() + outs.len());
        for (i, &port) in ins.iter().enumerate() {
            ports.push((port, in_buffers[i].as_mut_ptr()));
        }
        for (i, &port) in outs.iter().enumerate() {
            let data = if i < shared {
                in_buffers[i].as_mut_ptr()
            } else {
                out_buffers[i].as_mut_ptr()
            };
            ports.push((port, data));
        }
        rig.run_on(n, &ports);
        each_run(rig);
        for (i, signal) in result.iter_mut().enumerate() {
            let buffer = if i < shared {
                &in_buffers[i]
            } else {
                &out_buffers[i]
            };
            signal.extend_from_slice(&buffer[..n]);
        }
        start += n;
    }
    result
}

/// Whether two samples are the same result: equal within a relative tolerance of 1e-4 (plus
/// 1e-6 absolute, for values near 0), or both NaN. Exact equality would call the reordered
/// sums of a SIMD loop a defect.
pub(crate) fn same(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-6 + 1e-4 * a.abs().max(b.abs())
}

/// The first difference between two sets of outputs, as "output 'name' sample i: a vs b".
pub(crate) fn first_difference(
    subject: &Subject<'_>,
    a: &[Vec<f32>],
    b: &[Vec<f32>],
) -> Option<String> {
    let outs = &subject.audio_out;
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        if let Some(i) = x.iter().zip(y).position(|(&p, &q)| !same(p, q)) {
            return Some(format!(
                "output '{}' sample {i}: {} vs {}",
                subject.port_name(outs[k]),
                x[i],
                y[i]
            ));
        }
    }
    None
}

/// The first sample of `outputs` for which `bad` holds, as "output 'name' sample i = v".
pub(crate) fn first_sample(
    subject: &Subject<'_>,
    outputs: &[Vec<f32>],
    bad: impl Fn(f32) -> bool,
) -> Option<String> {
    let outs = &subject.audio_out;
    for (k, signal) in outputs.iter().enumerate() {
        if let Some(i) = signal.iter().position(|&v| bad(v)) {
            return Some(format!(
                "output '{}' sample {i} = {:e}",
                subject.port_name(outs[k]),
                signal[i]
            ));
        }
    }
    None
}
