//! Multichannel chains (`ladspa_host::Chain`): a chain's output equals the same plugins run by hand,
//! replicas equal single-channel runs, the channel-mapping rules and their errors, bypass,
//! latency and its compensation, and sample-accurate automation.

mod common;

use common::{reference_descriptor, signal};
use ladspa_host::chain::{ControlChange, Mapping};
use ladspa_host::{Chain, ChainError, Descriptor, Handle};

// A chain is built on one thread and run on another (the audio thread).
static_assertions::assert_impl_all!(Chain: Send, Sync);
static_assertions::assert_impl_all!(ladspa_host::chain::StageControls: Send, Sync, Clone);

fn descriptor(label: &str) -> Descriptor {
    let file = match label {
        "tp_amp_mono" | "tp_amp_stereo" => "tp_amp",
        "tp_latency" | "tp_split" | "tp_mix" => "tp_latency",
        other => other,
    };
    reference_descriptor(file, label)
}

fn signals(channels: usize, frames: usize) -> Vec<Vec<f32>> {
    (0..channels)
        .map(|k| signal(frames, 7 + k as u32))
        .collect()
}

/// Runs `frames` samples through one active handle in blocks of `block`.
fn by_hand(
    handle: &mut Handle<ladspa_host::Active>,
    inputs: &[&[f32]],
    block: usize,
) -> Vec<Vec<f32>> {
    let frames = inputs.first().map_or(0, |input| input.len());
    let mut outputs = vec![vec![0.0; frames]; handle.descriptor().audio_output_count()];
    let mut start = 0;
    while start < frames {
        let n = block.min(frames - start);
        let ins: Vec<&[f32]> = inputs
            .iter()
            .map(|input| &input[start..start + n])
            .collect();
        let mut outs: Vec<&mut [f32]> = outputs
            .iter_mut()
            .map(|output| &mut output[start..start + n])
            .collect();
        handle.run(n, &ins, &mut outs).unwrap();
        start += n;
    }
    outputs
}

fn active(label: &str, controls: &[(&str, f32)]) -> Handle<ladspa_host::Active> {
    let mut handle = descriptor(label).instantiate(48_000).unwrap();
    for (port, value) in controls {
        handle.set_control(*port, *value).unwrap();
    }
    handle.activate()
}

fn process(chain: &mut Chain, inputs: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let frames = inputs[0].len();
    let mut outputs = vec![vec![f32::NAN; frames]; chain.output_channels()];
    chain.process(frames, inputs, &mut outputs).unwrap();
    outputs
}

#[test]
fn a_replicated_mono_plugin_equals_one_run_per_channel_sample_for_sample() {
    let delay = descriptor("tp_delay");
    for channels in [2, 3, 5] {
        for (frames, max_block) in [(1000, 64), (777, 1000), (4096, 100)] {
            let mut chain = Chain::new(channels, 48_000, max_block).unwrap();
            let stage = chain.add(&delay).unwrap();
            assert_eq!(chain.stage(stage).unwrap().mapping(), Mapping::Replicated);
            assert_eq!(chain.stage(stage).unwrap().instances().len(), channels);
            chain.set_control(stage, "Delay (Seconds)", 0.001).unwrap();
            chain.set_control(stage, 1, 0.7).unwrap();
            let inputs = signals(channels, frames);
            let outputs = process(&mut chain, &inputs);
            for (k, input) in inputs.iter().enumerate() {
                let mut single = active(
                    "tp_delay",
                    &[("Delay (Seconds)", 0.001), ("Dry/Wet Balance", 0.7)],
                );
                // Whole-buffer runs: the delay is block-size independent.
                let expected = by_hand(&mut single, &[input], frames);
                assert_eq!(outputs[k], expected[0], "channel {k} of {channels}");
            }
        }
    }
}

/// The chain of stereo stages used by several tests, and the same plugins by hand.
struct Reference {
    amp: [Handle<ladspa_host::Active>; 2],
    broken: [Handle<ladspa_host::Active>; 2],
    stereo: Handle<ladspa_host::Active>,
    latency: [Handle<ladspa_host::Active>; 2],
}

impl Reference {
    fn new() -> Self {
        let amp = || active("tp_amp_mono", &[("Gain", 0.5)]);
        let broken = || active("tp_inplace_broken", &[]);
        let latency = || active("tp_latency", &[("Delay (Samples)", 5.0)]);
        Reference {
            amp: [amp(), amp()],
            broken: [broken(), broken()],
            stereo: active("tp_amp_stereo", &[("Gain", 3.0)]),
            latency: [latency(), latency()],
        }
    }

    fn chain(max_block: usize) -> Chain {
        let mut chain = Chain::new(2, 48_000, max_block).unwrap();
        let amp = chain.add(&descriptor("tp_amp_mono")).unwrap();
        chain.add(&descriptor("tp_inplace_broken")).unwrap();
        let stereo = chain.add(&descriptor("tp_amp_stereo")).unwrap();
        let latency = chain.add(&descriptor("tp_latency")).unwrap();
        chain.set_control(amp, "Gain", 0.5).unwrap();
        chain.set_control(stereo, 0, 3.0).unwrap();
        chain.set_control(latency, "Delay (Samples)", 5.0).unwrap();
        chain
    }

    fn run(&mut self, inputs: &[Vec<f32>], block: usize) -> Vec<Vec<f32>> {
        let mut mid: Vec<Vec<f32>> = Vec::new();
        for ((amp, broken), input) in self.amp.iter_mut().zip(&mut self.broken).zip(inputs) {
            let amplified = by_hand(amp, &[input], block);
            mid.push(by_hand(broken, &[&amplified[0]], block).remove(0));
        }
        let stereo = by_hand(&mut self.stereo, &[&mid[0], &mid[1]], block);
        (0..2)
            .map(|k| by_hand(&mut self.latency[k], &[&stereo[k]], block).remove(0))
            .collect()
    }
}

#[test]
fn a_chain_equals_the_same_plugins_called_by_hand() {
    for (frames, max_block) in [(1000, 64), (64, 64), (1, 64), (3000, 1024), (500, 7)] {
        let inputs = signals(2, frames);
        let mut chain = Reference::chain(max_block);
        let mut reference = Reference::new();
        // Several calls, so that state carries over between them as between blocks.
        for round in 0..3 {
            let outputs = process(&mut chain, &inputs);
            assert_eq!(
                outputs,
                reference.run(&inputs, frames),
                "round {round}, {frames}/{max_block}"
            );
        }
        assert_eq!(chain.latency(), 5);
        // The INPLACE_BROKEN copier never saw an input that was its output.
        for handle in chain.stage(1).unwrap().instances() {
            assert_eq!(handle.control("Aliased").unwrap(), 0.0);
        }
        assert!(!chain.stage(1).unwrap().runs_in_place());
        assert!(chain.stage(0).unwrap().runs_in_place());
    }
}

#[test]
fn buffers_of_any_type_and_any_length_pass() {
    let inputs = signals(2, 300);
    let mut expected = vec![vec![0.0; 300]; 2];
    Reference::chain(64)
        .process(300, &inputs, &mut expected)
        .unwrap();

    let slices: [&[f32]; 2] = [&inputs[0], &inputs[1]];
    let mut arrays = [[0.0_f32; 300]; 2];
    Reference::chain(64)
        .process(300, &slices, &mut arrays)
        .unwrap();
    assert_eq!(arrays[0][..], expected[0][..]);
    assert_eq!(arrays[1][..], expected[1][..]);

    // Longer buffers: only the first `frames` samples are touched.
    let mut long = vec![vec![9.0_f32; 400]; 2];
    Reference::chain(64)
        .process(300, &inputs, &mut long)
        .unwrap();
    assert_eq!(long[1][..300], expected[1][..]);
    assert!(long[1][300..].iter().all(|&x| x == 9.0));
}

#[test]
fn the_channel_mapping_rules_place_every_shape() {
    // 1 in, 2 out on a mono chain: mono to stereo.
    let mut chain = Chain::new(1, 48_000, 32)
        .unwrap()
        .with(&descriptor("tp_split"))
        .unwrap();
    assert_eq!(
        (chain.stage(0).unwrap().mapping(), chain.output_channels()),
        (Mapping::Single, 2)
    );
    // then a mono plugin is replicated on the two channels, and 2 in, 1 out mixes them down.
    chain.add(&descriptor("tp_amp_mono")).unwrap();
    chain.set_control(1, "Gain", 2.0).unwrap();
    assert_eq!(chain.stage(1).unwrap().mapping(), Mapping::Replicated);
    chain.add(&descriptor("tp_mix")).unwrap();
    assert_eq!(chain.output_channels(), 1);
    let input = signal(100, 3);
    let mut out = [vec![0.0; 100]];
    chain.process(100, &[&input], &mut out).unwrap();
    for (o, i) in out[0].iter().zip(&input) {
        assert_eq!(*o, 2.0 * i + 2.0 * (2.0 * -i)); // left + 2 × right
    }

    // A generator's output replaces the channels: a stereo chain becomes mono.
    let mut chain = Chain::new(2, 48_000, 32)
        .unwrap()
        .with(&descriptor("tp_sine"))
        .unwrap();
    assert_eq!(chain.stage(0).unwrap().mapping(), Mapping::Generator);
    assert_eq!(chain.output_channels(), 1);
    let mut tone = [vec![0.0; 100]];
    chain.process(100, &signals(2, 100), &mut tone).unwrap();
    let mut fresh = active("tp_sine", &[]);
    let mut expected_fresh = [vec![0.0; 100]];
    fresh
        .run(100, &ladspa_host::NO_BUFFERS, &mut expected_fresh)
        .unwrap();
    assert_eq!(tone[0], expected_fresh[0]);

    println!("{chain}");
    let shown = chain.to_string();
    assert!(shown.contains("2 → 1 channel(s)"), "{shown}");
    assert!(shown.contains("tp_sine"), "{shown}");
}

#[test]
fn shapes_that_fit_no_rule_are_typed_errors_when_the_stage_is_added() {
    let mut stereo = Chain::new(2, 48_000, 32).unwrap();
    stereo.add(&descriptor("tp_amp_mono")).unwrap();
    let split = stereo.add(&descriptor("tp_split"));
    match split {
        Err(ChainError::ChannelMismatch {
            stage: 1,
            label,
            inputs: 1,
            outputs: 2,
            channels: 2,
        }) => {
            assert_eq!(label, "tp_split")
        }
        other => panic!("{other:?}"),
    }
    let three = Chain::new(3, 48_000, 32)
        .unwrap()
        .with(&descriptor("tp_amp_stereo"));
    let error = three.unwrap_err();
    assert!(matches!(
        error,
        ChainError::ChannelMismatch {
            stage: 0,
            inputs: 2,
            outputs: 2,
            channels: 3,
            ..
        }
    ));
    let message = error.to_string();
    assert!(
        message.contains("stage 0 (tp_amp_stereo)") && message.contains("3 channel(s)"),
        "{message}"
    );
    // The failed stage was not added.
    assert_eq!(stereo.stages().len(), 1);
    assert!(matches!(
        Chain::new(0, 48_000, 32),
        Err(ChainError::ZeroChannels)
    ));
    assert!(matches!(
        Chain::new(1, 48_000, 0),
        Err(ChainError::ZeroMaxBlock)
    ));
    assert!(matches!(
        Chain::new(1, 0, 32)
            .unwrap()
            .with(&descriptor("tp_amp_mono")),
        Err(ChainError::Instantiate { stage: 0, .. })
    ));
}

#[test]
fn runs_with_wrong_buffers_are_typed_errors() {
    let mut chain = Reference::chain(64);
    let mut out = vec![vec![0.0; 10]; 2];
    assert!(matches!(
        chain.process(10, &signals(1, 10), &mut out),
        Err(ChainError::ChannelCount {
            given: 1,
            expected: 2,
            ..
        })
    ));
    assert!(matches!(
        chain.process(10, &signals(2, 10), &mut out[..1]),
        Err(ChainError::ChannelCount {
            given: 1,
            expected: 2,
            ..
        })
    ));
    let short = vec![vec![0.0; 10], vec![0.0; 9]];
    let error = chain.process(10, &short, &mut out).unwrap_err();
    assert!(matches!(
        error,
        ChainError::BufferTooShort {
            channel: 1,
            len: 9,
            frames: 10,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "input channel 1 holds 9 samples, fewer than the 10 asked for"
    );
    chain.process(0, &short, &mut out).unwrap();
}

#[test]
fn controls_are_reached_by_stage_and_port_on_every_replica() {
    let mut chain = Reference::chain(64);
    chain.set_control(0, "Gain", 0.25).unwrap();
    for handle in chain.stage(0).unwrap().instances() {
        assert_eq!(handle.control(0).unwrap(), 0.25);
    }
    assert_eq!(chain.control(0, "Gain").unwrap(), 0.25);
    assert_eq!(chain.control_index(3, "Delay (Samples)").unwrap(), 0);
    assert!(matches!(
        chain.set_control(9, 0, 1.0),
        Err(ChainError::NoSuchStage {
            stage: 9,
            stages: 4
        })
    ));
    assert!(matches!(
        chain.set_control(0, "Volume", 1.0),
        Err(ChainError::Port {
            stage: 0,
            source: ladspa_host::PortError::NoSuchPort { .. }
        })
    ));
    assert!(matches!(
        chain.set_control(0, 0, f32::NAN),
        Err(ChainError::Port {
            source: ladspa_host::PortError::NotFinite { .. },
            ..
        })
    ));
    assert!(chain.set_control(3, "latency", 1.0).is_err()); // an output

    // Through `StageControls`, from another thread, every replica.
    let knobs = chain.controls(2).unwrap();
    let amp = chain.controls(0).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| {
            knobs.set("Gain", 1.0).unwrap();
            amp.set(0, 1.0).unwrap();
        });
    });
    let inputs = signals(2, 200);
    let out = process(&mut chain, &inputs);
    assert_eq!(out[0][5..], inputs[0][..195]); // unit gains, delay of 5
    assert_eq!(out[1][5..], inputs[1][..195]);
    assert_eq!(amp.replicas().len(), 2);
    assert_eq!(knobs.get("Gain").unwrap(), 1.0);
}

fn delayed(input: &[f32], by: usize) -> Vec<f32> {
    let mut out = vec![0.0; by.min(input.len())];
    out.extend_from_slice(&input[..input.len().saturating_sub(by)]);
    out
}

#[test]
fn a_bypassed_stage_passes_its_input_delayed_by_its_latency() {
    for max_block in [16, 64, 1000] {
        let mut chain = Chain::new(2, 48_000, max_block).unwrap();
        let amp = chain.add(&descriptor("tp_amp_mono")).unwrap();
        let latency = chain.add(&descriptor("tp_latency")).unwrap();
        chain.set_control(amp, "Gain", 4.0).unwrap();
        chain.set_control(latency, 0, 37.0).unwrap();
        chain
            .process(0, &signals(2, 0), &mut [vec![0.0; 0], vec![0.0; 0]])
            .unwrap();
        assert_eq!(chain.latency(), 37); // reported by a run of 0 samples too
        chain.set_bypass(amp, true).unwrap();
        chain.set_bypass(latency, true).unwrap();
        let inputs = signals(2, 500);
        let out = process(&mut chain, &inputs);
        for k in 0..2 {
            assert_eq!(
                out[k],
                delayed(&inputs[k], 37),
                "channel {k}, block {max_block}"
            );
        }
        assert_eq!(chain.latency(), 37); // bypass keeps the timing
        assert!(chain.to_string().contains("bypassed"));

        // Bypassing the amplifier alone: the latency stage runs on the caller's input.
        chain.set_bypass(latency, false).unwrap();
        chain.reset();
        let out = process(&mut chain, &inputs);
        assert_eq!(out[1], delayed(&inputs[1], 37));
        chain.set_bypass(amp, false).unwrap();
        chain.reset();
        let out = process(&mut chain, &inputs);
        let expected: Vec<f32> = delayed(&inputs[0], 37).iter().map(|x| 4.0 * x).collect();
        assert_eq!(out[0], expected);
    }
}

#[test]
fn stages_that_change_the_channel_count_cannot_be_bypassed() {
    let mut chain = Chain::new(1, 48_000, 32)
        .unwrap()
        .with(&descriptor("tp_split"))
        .unwrap();
    assert!(matches!(
        chain.set_bypass(0, true),
        Err(ChainError::BypassChangesChannels {
            stage: 0,
            channels_in: 1,
            channels_out: 2,
            ..
        })
    ));
    assert!(matches!(
        chain.set_bypass(1, true),
        Err(ChainError::NoSuchStage { .. })
    ));
}

#[test]
fn the_chain_latency_is_the_sum_of_the_stages_updated_after_runs() {
    let mut chain = Chain::new(2, 48_000, 64).unwrap();
    let first = chain.add(&descriptor("tp_latency")).unwrap();
    chain.add(&descriptor("tp_amp_stereo")).unwrap();
    let second = chain.add(&descriptor("tp_latency")).unwrap();
    chain.add(&descriptor("tp_recorder")).unwrap(); // reports 64
    assert_eq!(chain.latency(), 0); // nothing ran yet
    chain.set_control(first, 0, 10.0).unwrap();
    chain.set_control(second, 0, 20.0).unwrap();
    let inputs = signals(2, 256);
    process(&mut chain, &inputs);
    assert_eq!(chain.latency(), 94);
    assert_eq!(chain.stage(second).unwrap().latency(), 20);
    chain.set_control(second, 0, 0.0).unwrap();
    process(&mut chain, &inputs);
    assert_eq!(chain.latency(), 74);
}

#[test]
fn offline_compensation_trims_the_latency_and_pads_the_end() {
    for (frames, max_block, delay) in [
        (1000, 64, 100.0),
        (1000, 64, 0.0),
        (50, 16, 200.0),
        (4096, 4096, 3.0),
    ] {
        let mut chain = Chain::new(2, 48_000, max_block).unwrap();
        let stage = chain.add(&descriptor("tp_latency")).unwrap();
        chain.add(&descriptor("tp_amp_mono")).unwrap();
        chain.set_control(stage, 0, delay).unwrap();
        let inputs = signals(2, frames);
        let mut out = vec![vec![f32::NAN; frames]; 2];
        let latency = chain.process_offline(frames, &inputs, &mut out).unwrap();
        assert_eq!(latency, delay as usize);
        assert_eq!(out, inputs, "{frames}/{max_block}/{delay}");
    }
}

#[test]
fn an_automated_step_lands_on_its_exact_sample() {
    let frames = 200;
    for max_block in [1, 16, 64, 256] {
        for k in [0, 1, 15, 16, 17, 63, 64, 100, 199] {
            let mut chain = Chain::new(2, 48_000, max_block).unwrap();
            let amp = chain.add(&descriptor("tp_amp_mono")).unwrap();
            chain.add(&descriptor("tp_amp_stereo")).unwrap();
            let gain = chain.control_index(amp, "Gain").unwrap();
            let ones = vec![vec![1.0_f32; frames]; 2];
            let mut out = vec![vec![0.0; frames]; 2];
            let step = [ControlChange {
                offset: k,
                stage: amp,
                port: gain,
                value: 2.0,
            }];
            chain
                .process_automated(frames, &ones, &mut out, &step)
                .unwrap();
            for channel in &out {
                for (t, &x) in channel.iter().enumerate() {
                    assert_eq!(
                        x,
                        if t < k { 1.0 } else { 2.0 },
                        "sample {t}, step at {k}, block {max_block}"
                    );
                }
            }
        }
    }
}

#[test]
fn several_changes_apply_in_order_and_the_minimum_split_moves_close_ones_earlier() {
    let mut chain = Chain::new(1, 48_000, 64)
        .unwrap()
        .with(&descriptor("tp_amp_mono"))
        .unwrap();
    let change = |offset, value| ControlChange {
        offset,
        stage: 0,
        port: 0,
        value,
    };
    let ones = [vec![1.0_f32; 40]];
    let mut out = [vec![0.0; 40]];
    let changes = [
        change(0, 3.0),
        change(10, 4.0),
        change(10, 5.0),
        change(12, 6.0),
    ];
    chain
        .process_automated(40, &ones, &mut out, &changes)
        .unwrap();
    let expected: Vec<f32> = (0..40)
        .map(|t| match t {
            0..10 => 3.0,
            10..12 => 5.0,
            _ => 6.0,
        })
        .collect();
    assert_eq!(out[0], expected);
    // The gain stays where the last change left it.
    chain.process(40, &ones, &mut out).unwrap();
    assert!(out[0].iter().all(|&x| x == 6.0));

    chain.set_min_split(8);
    assert_eq!(chain.min_split(), 8);
    let changes = [
        change(3, 1.0),
        change(10, 2.0),
        change(12, 7.0),
        change(30, 8.0),
    ];
    chain
        .process_automated(40, &ones, &mut out, &changes)
        .unwrap();
    // 3 < 0 + 8: applied at 0; 10 splits; 12 < 10 + 8: applied at 10; 30 splits.
    let expected: Vec<f32> = (0..40)
        .map(|t| match t {
            0..10 => 1.0,
            10..30 => 7.0,
            _ => 8.0,
        })
        .collect();
    assert_eq!(out[0], expected);
}

#[test]
fn bad_changes_are_refused_before_anything_runs() {
    let mut chain = Chain::new(1, 48_000, 64)
        .unwrap()
        .with(&descriptor("tp_recorder"))
        .unwrap();
    let change = |offset, stage, port, value| ControlChange {
        offset,
        stage,
        port,
        value,
    };
    let ones = [vec![1.0_f32; 40]];
    let mut out = [vec![0.0; 40]];
    let refused = [
        (
            vec![change(5, 0, 0, 1.0), change(4, 0, 0, 1.0)],
            "comes after one at offset 5",
        ),
        (vec![change(40, 0, 0, 1.0)], "outside the 40 samples"),
        (vec![change(0, 1, 0, 1.0)], "no stage 1"),
        (vec![change(0, 0, 1, 1.0)], "audio port"),
        (vec![change(0, 0, 3, 1.0)], "output"),
        (vec![change(0, 0, 0, f32::INFINITY)], "finite"),
    ];
    // (Adding the stage ran it once for 0 samples: how the chain learns the latency its
    // bypass delay must cover.)
    let runs = chain.control(0, "Runs").unwrap();
    for (changes, message) in refused {
        let error = chain
            .process_automated(40, &ones, &mut out, &changes)
            .unwrap_err();
        assert!(error.to_string().contains(message), "{error}");
    }
    // Nothing ran: the recorder counted no run.
    assert_eq!(chain.control(0, "Runs").unwrap(), runs);
}

#[test]
fn a_chain_without_stages_copies_its_input() {
    let mut chain = Chain::new(3, 48_000, 16).unwrap();
    let inputs = signals(3, 100);
    assert_eq!(process(&mut chain, &inputs), inputs);
    assert_eq!(chain.output_channels(), 3);
}

#[test]
fn a_chain_can_be_sent_to_another_thread() {
    let mut chain = Reference::chain(64);
    let inputs = signals(2, 256);
    let expected = process(&mut Reference::chain(64), &inputs);
    let out = std::thread::spawn(move || process(&mut chain, &inputs))
        .join()
        .unwrap();
    assert_eq!(out, expected);
}
