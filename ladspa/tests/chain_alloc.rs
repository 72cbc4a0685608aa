//! A chain's run path allocates nothing: a counting global allocator watches many runs of
//! chains with replicated, single, in-place, not-in-place, channel-changing, generator,
//! latency-reporting and bypassed stages, runs split into blocks, automated runs, control
//! changes and bypass switches (crossfaded) through `StageControls`.

mod common;

use ladspa_host::Chain;
use ladspa_host::chain::ControlChange;

#[global_allocator]
static GLOBAL: common::counting::Counting = common::counting::Counting;

fn descriptor(file: &str, label: &str) -> ladspa_host::Descriptor {
    common::reference_descriptor(file, label)
}

// One test in this binary, so no other test allocates while it counts.
#[test]
fn the_chain_run_path_does_not_allocate() {
    let mono = descriptor("tp_amp", "tp_amp_mono");
    let stereo = descriptor("tp_amp", "tp_amp_stereo");
    let broken = descriptor("tp_inplace_broken", "tp_inplace_broken");
    let latency = descriptor("tp_latency", "tp_latency");
    let split = descriptor("tp_latency", "tp_split");
    let mix = descriptor("tp_latency", "tp_mix");
    let sine = descriptor("tp_sine", "tp_sine");
    let recorder = descriptor("tp_recorder", "tp_recorder");

    let mut stereo_chain = Chain::new(2, 48_000, 256).unwrap();
    for stage in [&mono, &broken, &stereo, &latency, &recorder] {
        stereo_chain.add(stage).unwrap();
    }
    stereo_chain.set_control(3, 0, 12.0).unwrap();
    let knobs = stereo_chain.controls(4).unwrap();
    let broken_switch = stereo_chain.controls(1).unwrap();
    let latency_switch = stereo_chain.controls(3).unwrap();
    let mut shapes = Chain::new(1, 48_000, 100).unwrap();
    for stage in [&mono, &split, &stereo, &broken, &mix, &sine, &split] {
        shapes.add(stage).unwrap();
    }
    let mut bypassed = Chain::new(2, 48_000, 64).unwrap();
    for stage in [&latency, &stereo, &latency] {
        bypassed.add(stage).unwrap();
    }
    bypassed.set_control(0, 0, 30.0).unwrap();
    bypassed
        .process(0, &[[0.0_f32; 0]; 2], &mut [[0.0; 0]; 2])
        .unwrap();
    bypassed.set_bypass(0, true).unwrap();
    bypassed.set_bypass(1, true).unwrap();

    // Activation takes the lifecycle lock (and plugins allocate in it): done before the chains
    // go to the audio thread, as a real-time host does.
    for chain in [&mut stereo_chain, &mut shapes, &mut bypassed] {
        chain.activate();
        assert!(chain.is_active());
    }

    let inputs: Vec<Vec<f32>> = (0..2).map(|seed| common::signal(2000, seed + 1)).collect();
    let mut outputs = vec![vec![0.0_f32; 2000]; 2];
    let gain = stereo_chain.control_index(0, "Gain").unwrap();
    let changes = [
        ControlChange {
            offset: 0,
            stage: 0,
            port: gain,
            value: 0.5,
        },
        ControlChange {
            offset: 17,
            stage: 0,
            port: gain,
            value: 0.25,
        },
        ControlChange {
            offset: 300,
            stage: 2,
            port: 0,
            value: 2.0,
        },
    ];

    let before = common::counting::allocations();
    for round in 0..500_usize {
        let frames = [1, 64, 256, 300, 2000, 0][round % 6];
        knobs.set("Value", round as f32).unwrap();
        // Bypasses switched from the control side: a crossfade over the next block.
        knobs.set_bypass(round % 4 == 1).unwrap();
        broken_switch.set_bypass(round % 3 == 2).unwrap();
        latency_switch.set_bypass(round % 5 == 3).unwrap();
        stereo_chain.process(frames, &inputs, &mut outputs).unwrap();
        stereo_chain.set_control(2, gain, 1.0).unwrap();
        std::hint::black_box(stereo_chain.latency());
        if frames > 300 {
            stereo_chain
                .process_automated(frames, &inputs, &mut outputs, &changes)
                .unwrap();
        }
        shapes.process(frames, &inputs[..1], &mut outputs).unwrap();
        bypassed.process(frames, &inputs, &mut outputs).unwrap();
    }
    let after = common::counting::allocations();
    assert_eq!(after - before, 0, "the chain's run path allocated");
    for switch in [&knobs, &broken_switch, &latency_switch] {
        switch.set_bypass(false).unwrap();
    }
    stereo_chain.process(64, &inputs, &mut outputs).unwrap();
    assert_eq!(stereo_chain.latency(), 12 + 64);
    assert_eq!(bypassed.latency(), 30);
}
