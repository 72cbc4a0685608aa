//! The run path allocates nothing: a counting global allocator watches many runs, with buffers
//! that stay and buffers that move, buffers of several types, control changes (by the handle
//! and through `Controls`), in-place runs, `run_adding`, bound runs and `AnyHandle`.

mod common;

#[global_allocator]
static GLOBAL: common::counting::Counting = common::counting::Counting;

// One test in this binary, so no other test allocates while it counts.
#[test]
fn the_run_path_does_not_allocate() {
    let amp = common::reference_descriptor("tp_amp", "tp_amp_stereo");
    let adder = common::reference_descriptor("tp_adding", "tp_adding_amp");
    let mut amp = amp.instantiate(48000).unwrap().activate();
    let mut adder = adder.instantiate(48000).unwrap().activate();
    let inputs: Vec<Vec<f32>> = (0..4).map(|seed| common::signal(1024, seed + 1)).collect();
    let mut outputs: Vec<Vec<f32>> = vec![vec![0.0; 1024]; 4];

    let recorder = common::reference_descriptor("tp_recorder", "tp_recorder");
    let mut recorder = recorder.instantiate(48000).unwrap().activate();
    let mut copy = recorder.descriptor().instantiate(48000).unwrap();
    let controls = recorder.controls();
    let mut either = ladspa_host::AnyHandle::from(adder.descriptor().instantiate(48000).unwrap());
    either.activate();
    let mut owned_outputs: Vec<Vec<f32>> = vec![vec![0.0; 1024]; 2];
    let (mut bound_in, mut bound_out) = ([vec![0.5_f32; 1024]], [vec![0.0_f32; 1024]]);
    let mut plain = amp.descriptor().instantiate(48000).unwrap().activate();
    let mono = common::reference_descriptor("tp_amp", "tp_amp_mono");
    let mut mono = mono.instantiate(48000).unwrap().activate();
    let split = common::reference_descriptor("tp_fanout", "tp_fanout_split");
    let mut split = split.instantiate(48000).unwrap().activate();
    let mix = common::reference_descriptor("tp_fanout", "tp_fanout_mix");
    let mut mix = mix.instantiate(48000).unwrap().activate();

    let before = common::counting::allocations();
    for round in 0..2_000_usize {
        let block = [1, 64, 1024, 300][round % 4];
        controls.set("Value", round as f32).unwrap();
        recorder
            .run(block, &[&inputs[round % 4]], &mut [&mut bound_out[0]])
            .unwrap();
        std::hint::black_box(controls.get("Seen").unwrap());
        copy.copy_controls_from(&recorder).unwrap();
        plain.run(block, &inputs[..2], &mut owned_outputs).unwrap();
        let handle = either.active_mut().unwrap();
        handle
            .run(block, &inputs[1..2], &mut owned_outputs[..1])
            .unwrap();
    }
    // Bound runs: the fast path (no `Controls`) and the one that exchanges them.
    for bound_handle in [&mut mono, &mut recorder] {
        let mut bound = bound_handle.bind(&mut bound_in, &mut bound_out).unwrap();
        for round in 0..2_000_usize {
            controls.set(0, 1.0).unwrap();
            bound.input(0).unwrap()[0] = round as f32;
            bound.run([1, 64, 1024, 300][round % 4]).unwrap();
            std::hint::black_box(bound.output(0).unwrap()[0]);
        }
    }
    for round in 0..10_000_usize {
        let block = [1, 64, 1024, 300][round % 4];
        let (a, b) = (round % 4, (round + 1) % 4);
        let (first, second) = outputs.split_at_mut(2);
        amp.set_control(0, (round % 7) as f32).unwrap();
        amp.set_control("Gain", 0.5).unwrap();
        amp.run(
            block,
            &[&inputs[a], &inputs[b]],
            &mut [&mut first[0], &mut second[1]],
        )
        .unwrap();
        adder.set_run_adding_gain(0.5).unwrap();
        adder
            .run_adding(block, &[&inputs[b]], &mut [&mut first[1]])
            .unwrap();
        adder
            .run(block, &[&inputs[a]], &mut [&mut second[0]])
            .unwrap();
        let (left, right) = first.split_at_mut(1);
        amp.run_in_place(block, &mut [&mut left[0], &mut right[0]])
            .unwrap();
        // Unequal counts in place: 1 in / 2 out, then 2 in / 1 out, on the same two buffers.
        split.run_in_place(block, &mut outputs[2..]).unwrap();
        mix.run_in_place(block, &mut outputs[2..]).unwrap();
        std::hint::black_box(amp.control("Gain").unwrap());
    }
    let after = common::counting::allocations();
    assert_eq!(
        after - before,
        0,
        "allocations during 10,000 rounds of runs"
    );
}
