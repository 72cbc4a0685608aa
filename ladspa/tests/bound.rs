//! Bound buffers: checked once at `bind`, then runs with only the sample count checked, giving
//! what `Handle::run` gives; and runs of any buffer type.

mod common;

use common::{PrivateCopy, reference_descriptor, signal};
use ladspa_host::{Direction, RunError};

#[test]
fn bound_runs_give_what_handle_run_gives() {
    let delay = reference_descriptor("tp_delay", "tp_delay");
    let setup = |delay: &ladspa_host::Descriptor| {
        let mut handle = delay.instantiate(8000).unwrap();
        handle.set_control("Delay (Seconds)", 0.01).unwrap();
        handle.activate()
    };
    let input = signal(4096, 3);
    let mut expected = vec![0.0; 4096];
    let mut plain = setup(&delay);
    for (block, out) in input.chunks(64).zip(expected.chunks_mut(64)) {
        plain.run(64, &[block], &mut [out]).unwrap();
    }

    let mut handle = setup(&delay);
    let (mut inputs, mut outputs) = (vec![vec![0.0_f32; 64]], vec![vec![0.0_f32; 64]]);
    let mut bound = handle.bind(&mut inputs, &mut outputs).unwrap();
    assert_eq!(bound.capacity(), 64);
    let mut got = Vec::new();
    for block in input.chunks(64) {
        bound.input(0).unwrap().copy_from_slice(block);
        bound.run(64).unwrap();
        got.extend_from_slice(bound.output(0).unwrap());
    }
    assert_eq!(got, expected);
    assert!(bound.input(1).is_none() && bound.output(1).is_none());
}

#[test]
fn bind_checks_counts_and_empty_buffers_and_runs_check_the_sample_count() {
    let amp = reference_descriptor("tp_amp", "tp_amp_stereo");
    let mut handle = amp.instantiate(48_000).unwrap().activate();
    let mut one = vec![vec![0.0_f32; 8]];
    let mut two = vec![vec![0.0_f32; 8], vec![0.0_f32; 8]];
    match handle.bind(&mut one, &mut two) {
        Err(RunError::BufferCount {
            direction: Direction::Input,
            given: 1,
            expected: 2,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let mut with_empty = vec![vec![0.0_f32; 8], vec![]];
    match handle.bind(&mut with_empty, &mut two) {
        Err(RunError::EmptyBoundBuffer { port: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut short = [vec![0.0_f32; 8], vec![0.0_f32; 5]];
    let mut bound = handle.bind(&mut short, &mut two).unwrap();
    assert_eq!(bound.capacity(), 5);
    bound.run(5).unwrap();
    bound.run(0).unwrap();
    match bound.run(6) {
        Err(RunError::BufferTooShort {
            port: 3,
            len: 5,
            sample_count: 6,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn bound_runs_exchange_controls_flush_denormals_and_add() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap().activate();
    let controls = handle.controls();
    let (mut inputs, mut outputs) = ([[1.0_f32; 16]], [[0.0_f32; 16]]);
    let mut bound = handle.bind(&mut inputs, &mut outputs).unwrap();
    controls.set("Value", 2.0).unwrap();
    bound.run(16).unwrap();
    assert_eq!(bound.output(0).unwrap(), [3.0; 16]);
    assert_eq!(controls.get("Seen").unwrap(), 2.0);
    bound.set_control("Value", 0.5).unwrap();
    bound.run(16).unwrap();
    assert_eq!(bound.output(0).unwrap()[15], 1.5);
    assert_eq!(bound.handle().control("Runs").unwrap(), 2.0);
    assert!(matches!(
        bound.run_adding(16),
        Err(RunError::NoRunAdding { .. })
    ));

    let adder = reference_descriptor("tp_adding", "tp_adding_amp");
    let mut handle = adder.instantiate(48_000).unwrap();
    handle.set_control(0, 2.0).unwrap();
    let mut handle = handle.activate();
    handle.set_run_adding_gain(0.5).unwrap();
    assert!(handle.set_flush_denormals(true) || !cfg!(target_arch = "x86_64"));
    let (mut inputs, mut outputs) = ([vec![1.0_f32, 1e-39]], [vec![10.0_f32, 0.0]]);
    let mut bound = handle.bind(&mut inputs, &mut outputs).unwrap();
    bound.run_adding(2).unwrap();
    let flushed = if cfg!(target_arch = "x86_64") {
        0.0
    } else {
        1e-39
    };
    assert_eq!(bound.output(0).unwrap(), [11.0, flushed]);
    bound.output_mut(0).unwrap().fill(0.0);
    bound.run(1).unwrap();
    assert_eq!(bound.output(0).unwrap(), [2.0, 0.0]);
}

#[test]
fn after_a_binding_the_handle_runs_other_buffers_and_parks_for_lifecycle_calls() {
    let copy = PrivateCopy::reference("tp_amp");
    let amp = copy.descriptor("tp_amp_mono");
    let mut handle = amp.instantiate(48_000).unwrap().activate();
    {
        let (mut inputs, mut outputs) = ([vec![1.0_f32; 4]], [vec![0.0_f32; 4]]);
        let mut bound = handle.bind(&mut inputs, &mut outputs).unwrap();
        bound.run(4).unwrap();
    } // the bound buffers are freed here
    let mut out = [0.0_f32; 4];
    handle.run(4, &[[2.0_f32; 4]], &mut [&mut out]).unwrap();
    assert_eq!(out, [2.0; 4]);
    handle.reset();
    drop(handle);
    assert_eq!(copy.counters().live(), 0);
}

#[test]
fn runs_take_any_buffer_type() {
    let amp = reference_descriptor("tp_amp", "tp_amp_stereo");
    let mut handle = amp.instantiate(48_000).unwrap();
    handle.set_control("Gain", 2.0).unwrap();
    let mut handle = handle.activate();
    let inputs: Vec<Vec<f32>> = vec![vec![1.0; 32], vec![-1.0; 32]];
    let mut outputs: Vec<Box<[f32]>> = vec![vec![0.0; 32].into_boxed_slice(); 2];
    handle.run(32, &inputs, &mut outputs).unwrap();
    assert_eq!((outputs[0][31], outputs[1][0]), (2.0, -2.0));
    let mut arrays = [[0.5_f32; 32], [0.25; 32]];
    handle.run_in_place(32, &mut arrays).unwrap();
    assert_eq!((arrays[0][0], arrays[1][0]), (1.0, 0.5));
    let mut short: Vec<Vec<f32>> = vec![vec![0.0; 32], vec![0.0; 31]];
    match handle.run_in_place(32, &mut short) {
        Err(RunError::BufferTooShort {
            port: 3, len: 31, ..
        }) => {}
        other => panic!("{other:?}"),
    }
    match handle.run(32, &inputs, &mut outputs[..1]) {
        Err(RunError::BufferCount {
            direction: Direction::Output,
            given: 1,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}
