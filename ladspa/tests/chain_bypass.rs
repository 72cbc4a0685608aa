//! Bypass switched while a chain runs (`StageControls::set_bypass`): an atomic flag the run
//! path follows at its next block, crossfading over that block; a stage with latency hands
//! over to its delayed input without a gap; a stage that does not run in place comes back in
//! behind stages that wrote into the caller's outputs; and the chain's block size changes
//! between runs (`Chain::set_max_block`).

mod common;

use common::{reference_descriptor, signal};
use ladspa_host::{Chain, ChainError, Descriptor};

fn descriptor(label: &str) -> Descriptor {
    let file = match label {
        "tp_amp_mono" | "tp_amp_stereo" => "tp_amp",
        "tp_latency" | "tp_split" | "tp_mix" => "tp_latency",
        other => other,
    };
    reference_descriptor(file, label)
}

/// Runs `input` (one channel) through `chain` in blocks of `block`, calling `before(k)` before
/// block `k`.
fn blocks(
    chain: &mut Chain,
    input: &[f32],
    block: usize,
    mut before: impl FnMut(usize),
) -> Vec<f32> {
    let mut out = vec![0.0; input.len()];
    for (k, (input, out)) in input.chunks(block).zip(out.chunks_mut(block)).enumerate() {
        before(k);
        chain.process(input.len(), &[input], &mut [out]).unwrap();
    }
    out
}

#[test]
fn a_bypass_switched_from_another_thread_crossfades_over_one_block() {
    let mut chain = Chain::new(1, 48_000, 16).unwrap();
    let amp = chain.add(&descriptor("tp_amp_mono")).unwrap();
    chain.set_control(amp, "Gain", 0.5).unwrap();
    let switch = chain.controls(amp).unwrap();
    let input = signal(16 * 6, 3);
    let out = blocks(&mut chain, &input, 16, |k| {
        let on = matches!(k, 2 | 3);
        let switch = switch.clone();
        std::thread::spawn(move || switch.set_bypass(on).unwrap())
            .join()
            .unwrap();
    });
    for (t, (&x, &y)) in input.iter().zip(&out).enumerate() {
        let (block, i) = (t / 16, (t % 16) as f32);
        let dry_share = match block {
            2 => (i + 1.0) / 16.0, // into bypass: from the plugin to the input
            3 => 1.0,
            4 => 1.0 - (i + 1.0) / 16.0, // and back
            _ => 0.0,
        };
        let expected = 0.5 * x * (1.0 - dry_share) + x * dry_share;
        assert!(
            (y - expected).abs() <= 1e-6,
            "sample {t}: {y} != {expected}"
        );
    }
    assert!(!switch.bypass() && !chain.stage(amp).unwrap().is_bypassed());
}

#[test]
fn a_stage_with_latency_hands_over_to_its_delayed_input_without_a_gap() {
    // tp_latency delays its input by the latency it reports: bypassed, the stage's input
    // delayed by that latency is the same signal, so the output must not change at all when
    // the bypass takes over, mid-stream, however long the chain ran before.
    for block in [16, 64, 100] {
        let mut chain = Chain::new(1, 48_000, block).unwrap();
        let delay = chain.add(&descriptor("tp_latency")).unwrap();
        chain.set_control(delay, 0, 37.0).unwrap(); // sizes the delay line for 37 samples
        let switch = chain.controls(delay).unwrap();
        let input = signal(1000, 5);
        let out = blocks(&mut chain, &input, block, |k| {
            if k == 3 {
                switch.set_bypass(true).unwrap();
            }
        });
        let mut expected = vec![0.0; 37];
        expected.extend_from_slice(&input[..1000 - 37]);
        for (t, (y, e)) in out.iter().zip(&expected).enumerate() {
            assert!(
                (y - e).abs() <= 1e-6,
                "block {block}, sample {t}: {y} != {e}"
            );
        }
        assert_eq!(chain.latency(), 37);
        assert!(chain.stage(delay).unwrap().is_bypassed());
    }
}

#[test]
fn a_stage_that_does_not_run_in_place_comes_back_behind_in_place_stages() {
    // Stage 1 cannot run in place; stage 0 must not write into the caller's outputs for it,
    // whether stage 1 is bypassed when the chain is planned or not.
    let mut chain = Chain::new(2, 48_000, 32).unwrap();
    let first = chain.add(&descriptor("tp_amp_mono")).unwrap();
    let broken = chain.add(&descriptor("tp_inplace_broken")).unwrap();
    let last = chain.add(&descriptor("tp_amp_stereo")).unwrap();
    chain.set_control(first, "Gain", 2.0).unwrap();
    chain.set_control(last, "Gain", 0.25).unwrap();
    chain.set_bypass(broken, true).unwrap();
    let switch = chain.controls(broken).unwrap();
    let inputs = [signal(32, 1), signal(32, 2)];
    let mut out = [vec![0.0_f32; 32], vec![0.0; 32]];
    for round in 0..6 {
        switch.set_bypass(round % 2 == 1).unwrap();
        chain.process(32, &inputs, &mut out).unwrap();
    }
    switch.set_bypass(false).unwrap();
    chain.process(32, &inputs, &mut out).unwrap();
    for k in 0..2 {
        for (y, x) in out[k].iter().zip(&inputs[k]) {
            assert!(
                (y - 0.5 * x).abs() <= 1e-6,
                "channel {k}: {y} != {}",
                0.5 * x
            );
        }
    }
}

#[test]
fn a_stage_that_changes_the_channel_count_refuses_the_switch() {
    let mut chain = Chain::new(1, 48_000, 32).unwrap();
    let split = chain.add(&descriptor("tp_split")).unwrap();
    let switch = chain.controls(split).unwrap();
    assert!(matches!(
        switch.set_bypass(true),
        Err(ChainError::BypassChangesChannels {
            stage: 0,
            channels_in: 1,
            channels_out: 2,
            ..
        })
    ));
    switch.set_bypass(false).unwrap(); // asking for what is: fine
    assert_eq!(switch.stage(), split);
    assert!(!switch.bypass());
}

#[test]
fn the_block_size_changes_between_runs() {
    let mut chain = Chain::new(2, 48_000, 64)
        .unwrap()
        .with(&descriptor("tp_amp_mono"))
        .unwrap()
        .with(&descriptor("tp_inplace_broken"))
        .unwrap();
    chain.set_control(0, "Gain", 3.0).unwrap();
    let inputs = [signal(1024, 8), signal(1024, 9)];
    let mut out = [vec![0.0_f32; 1024], vec![0.0; 1024]];
    for max_block in [256, 16, 1024, 64] {
        chain.set_max_block(max_block).unwrap();
        assert_eq!(chain.max_block(), max_block);
        chain.process(1024, &inputs, &mut out).unwrap();
        for k in 0..2 {
            for (y, x) in out[k].iter().zip(&inputs[k]) {
                assert!((y - 3.0 * x).abs() <= 1e-6);
            }
        }
    }
    assert!(matches!(
        chain.set_max_block(0),
        Err(ChainError::ZeroMaxBlock)
    ));
}
