//! Running instances through the real loader: zero-copy audio ports, control ports by index and
//! name, buffer checks, in-place processing, `run_adding`.

mod common;

use common::{PrivateCopy, reference_descriptor, signal};
use ladspa_host::{Direction, PortError, RunError};

#[test]
fn the_amplifier_multiplies_by_its_gain() {
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap();
    handle.set_control(0, 0.25).unwrap();
    let mut handle = handle.activate();
    let input = signal(1024, 7);
    let mut output = vec![0.0; 1024];
    handle.run(1024, &[&input], &mut [&mut output]).unwrap();
    let expected: Vec<f32> = input.iter().map(|s| s * 0.25).collect();
    assert_eq!(output, expected);
}

#[test]
fn the_stereo_amplifier_takes_buffers_in_port_order() {
    let amp = reference_descriptor("tp_amp", "tp_amp_stereo");
    assert_eq!((amp.audio_input_count(), amp.audio_output_count()), (2, 2));
    let mut handle = amp.instantiate(44100).unwrap();
    handle.set_control("Gain", 2.0).unwrap();
    let mut handle = handle.activate();
    let (left, right) = (vec![1.0; 16], vec![-3.0; 16]);
    let (mut out_left, mut out_right) = (vec![0.0; 16], vec![0.0; 16]);
    handle
        .run(16, &[&left, &right], &mut [&mut out_left, &mut out_right])
        .unwrap();
    assert_eq!((out_left[0], out_right[0]), (2.0, -6.0));
}

#[test]
fn buffers_may_change_between_runs_and_be_longer_than_the_block() {
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap().activate();
    for round in 0..50 {
        // Fresh allocations, different lengths: every run sees its own buffers.
        let input = signal(100 + round, round as u32 + 1);
        let mut output = vec![f32::NAN; 100 + round + 7];
        handle
            .run(100 + round, &[&input], &mut [&mut output])
            .unwrap();
        assert_eq!(&output[..100 + round], &input[..]);
        assert!(
            output[100 + round..].iter().all(|s| s.is_nan()),
            "nothing past the block is written"
        );
    }
    // A block of zero samples is allowed.
    handle.run(0, &[&[]], &mut [&mut []]).unwrap();
}

#[test]
fn wrong_buffer_counts_and_short_buffers_are_typed_errors() {
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap().activate();
    let (input, mut output) = (vec![0.0; 64], vec![0.0; 64]);
    match handle.run(64, &ladspa_host::NO_BUFFERS, &mut [&mut output]) {
        Err(RunError::BufferCount {
            direction: Direction::Input,
            given: 0,
            expected: 1,
            descriptor,
        }) => {
            assert_eq!(descriptor.label(), "tp_amp_mono")
        }
        other => panic!("{other:?}"),
    }
    match handle.run(64, &[&input], &mut [[0.0; 0]; 0]) {
        Err(RunError::BufferCount {
            direction: Direction::Output,
            given: 0,
            expected: 1,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    match handle.run(65, &[&input], &mut [&mut output]) {
        Err(RunError::BufferTooShort {
            port: 1,
            len: 64,
            sample_count: 65,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let short = vec![0.0; 10];
    match handle.run(64, &[&input], &mut [&mut output[..10]]) {
        Err(
            error @ RunError::BufferTooShort {
                port: 2, len: 10, ..
            },
        ) => {
            let message = error.to_string();
            assert!(
                message.contains("tp_amp.so")
                    && message.contains("tp_amp_mono")
                    && message.contains("port 2"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    drop(short);
    // The handle is still usable after refused runs.
    handle.run(64, &[&input], &mut [&mut output]).unwrap();
}

#[test]
fn controls_start_at_their_defaults_and_are_found_by_index_and_name() {
    let hints = reference_descriptor("tp_hints", "tp_hints");
    let rate = 48000;
    let handle = hints.instantiate(rate).unwrap();
    let mut checked = 0;
    for port in hints.ports().filter(|p| p.is_control() && p.is_input()) {
        let hint = port.hint();
        let expected = hint
            .default_value(rate)
            .unwrap_or_else(|| hint.clamp(0.0, rate));
        assert_eq!(handle.control(port.index()).unwrap(), expected, "{port:?}");
        assert_eq!(
            handle.control(&*port.name().to_string_lossy()).unwrap(),
            expected
        );
        checked += 1;
    }
    assert!(
        checked >= 30,
        "the hint matrix has a port for every combination ({checked})"
    );
}

#[test]
fn port_errors_name_the_plugin_and_the_port() {
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap();
    assert!(matches!(
        handle.set_control("Volume", 1.0),
        Err(PortError::NoSuchPort { .. })
    ));
    assert!(matches!(
        handle.set_control(17, 1.0),
        Err(PortError::NoSuchPort { .. })
    ));
    match handle.set_control("Input", 1.0) {
        Err(error @ PortError::NotControl { index: 1, .. }) => {
            assert!(error.to_string().contains("Input"))
        }
        other => panic!("{other:?}"),
    }
    let inplace = reference_descriptor("tp_inplace_broken", "tp_inplace_broken");
    let mut handle = inplace.instantiate(44100).unwrap();
    assert!(matches!(
        handle.set_control("Aliased", 1.0),
        Err(PortError::NotInput { index: 2, .. })
    ));
    assert_eq!(
        handle.control("Aliased").unwrap(),
        0.0,
        "output controls start at 0"
    );
}

#[test]
fn out_of_range_values_pass_unless_clamping_is_asked_for() {
    let delay = reference_descriptor("tp_delay", "tp_delay");
    let mut handle = delay.instantiate(44100).unwrap();
    handle.set_control("Dry/Wet Balance", 7.0).unwrap();
    assert_eq!(handle.control("Dry/Wet Balance").unwrap(), 7.0);
    assert_eq!(
        handle.set_control_clamped("Dry/Wet Balance", 7.0).unwrap(),
        1.0
    );
    assert_eq!(
        handle.set_control_clamped("Delay (Seconds)", -1.0).unwrap(),
        0.0
    );
    assert_eq!(handle.control("Delay (Seconds)").unwrap(), 0.0);
}

#[test]
fn output_controls_are_read_after_each_run() {
    let hints = reference_descriptor("tp_hints", "tp_hints");
    let mut handle = hints.instantiate(44100).unwrap().activate();
    let mut out = vec![0.0; 8];
    for run in 1..=3 {
        handle
            .run(8, &ladspa_host::NO_BUFFERS, &mut [&mut out])
            .unwrap();
        assert_eq!(handle.control("Run Count").unwrap(), run as f32);
    }
}

#[test]
fn in_place_processing_shares_one_buffer() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_stereo");
    let mut handle = amp.instantiate(44100).unwrap();
    handle.set_control("Gain", 0.5).unwrap();
    let mut handle = handle.activate();
    let (mut left, mut right) = (signal(256, 1), signal(256, 2));
    let (expected_left, expected_right): (Vec<f32>, Vec<f32>) = (
        left.iter().map(|s| s * 0.5).collect(),
        right.iter().map(|s| s * 0.5).collect(),
    );
    handle
        .run_in_place(256, &mut [&mut left, &mut right])
        .unwrap();
    assert_eq!((left, right), (expected_left, expected_right));
}

#[test]
fn in_place_is_refused_for_inplace_broken_plugins_which_never_see_aliased_buffers() {
    let file = PrivateCopy::reference("tp_inplace_broken");
    let copier = file.descriptor("tp_inplace_broken");
    assert!(
        copier
            .properties()
            .contains(ladspa_host::Properties::INPLACE_BROKEN)
    );
    let mut handle = copier.instantiate(44100).unwrap().activate();
    let mut buffer = signal(128, 3);
    assert!(matches!(
        handle.run_in_place(128, &mut [&mut buffer]),
        Err(RunError::InPlaceBroken { .. })
    ));
    // Every way the safe API offers to run it keeps inputs and outputs apart.
    let mut output = vec![0.0; 128];
    for _ in 0..10 {
        handle.run(128, &[&buffer], &mut [&mut output]).unwrap();
        assert_eq!(handle.control("Aliased").unwrap(), 0.0);
        assert_eq!(output, buffer);
        // Swap roles: last run's output is this run's input.
        std::mem::swap(&mut buffer, &mut output);
    }
    assert_eq!(file.counters().aliased_runs, 0);
    assert_eq!(file.counters().runs, 10);
}

#[test]
fn in_place_with_one_input_and_two_outputs_shares_the_first_buffer() {
    let file = PrivateCopy::reference("tp_fanout");
    let split = file.descriptor("tp_fanout_split");
    assert_eq!(
        (split.audio_input_count(), split.audio_output_count()),
        (1, 2)
    );
    let mut handle = split.instantiate(44100).unwrap().activate();
    let input = signal(300, 4);
    // Buffer 0 is the input and the left output; buffer 1, only the right output, is
    // overwritten whatever it held.
    let (mut first, mut second) = (input.clone(), vec![7.0; 300]);
    handle
        .run_in_place(300, &mut [&mut first, &mut second])
        .unwrap();
    // The plugin saw its input and its left output on one buffer, its right output apart.
    assert_eq!(handle.control("Shared").unwrap(), 1.0);
    assert_eq!(first, input);
    let negated: Vec<f32> = input.iter().map(|s| -s).collect();
    assert_eq!(second, negated);
    assert_eq!(file.counters().aliased_runs, 1);
    // Out of place, nothing is shared.
    let mut outputs = [vec![0.0; 300], vec![0.0; 300]];
    handle.run(300, &[&input], &mut outputs).unwrap();
    assert_eq!(handle.control("Shared").unwrap(), 0.0);
    assert_eq!(outputs, [input, negated]);
    assert_eq!(file.counters().aliased_runs, 1);
}

#[test]
fn in_place_with_two_inputs_and_one_output_keeps_the_second_input() {
    let file = PrivateCopy::reference("tp_fanout");
    let mix = file.descriptor("tp_fanout_mix");
    assert_eq!((mix.audio_input_count(), mix.audio_output_count()), (2, 1));
    let mut handle = mix.instantiate(44100).unwrap().activate();
    let (left, right) = (signal(100, 5), signal(100, 6));
    let mut buffers = vec![left.clone(), right.clone()];
    handle.run_in_place(100, &mut buffers).unwrap();
    // The left input shares its buffer with the output, the right one does not.
    assert_eq!(handle.control("Shared").unwrap(), 1.0);
    let mixed: Vec<f32> = left.iter().zip(&right).map(|(l, r)| l + r / 2.0).collect();
    assert_eq!(buffers, [mixed, right]);
    assert_eq!(file.counters().aliased_runs, 1);
}

#[test]
fn in_place_takes_as_many_buffers_as_the_larger_count() {
    let split = reference_descriptor("tp_fanout", "tp_fanout_split");
    let mut handle = split.instantiate(44100).unwrap().activate();
    let mut buffers = [[0.0_f32; 8]; 3];
    for given in [0, 1, 3] {
        let error = handle.run_in_place(8, &mut buffers[..given]).unwrap_err();
        assert!(
            matches!(
                error,
                RunError::InPlaceBufferCount { given: g, inputs: 1, outputs: 2, .. } if g == given
            ),
            "{given} buffers: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("tp_fanout_split"), "{message}");
        assert!(message.contains("takes 2 buffers"), "{message}");
    }
    // A short second buffer is named by its port: the right output (port 2).
    let (mut long, mut short) = (vec![0.0; 8], vec![0.0; 7]);
    assert!(matches!(
        handle.run_in_place(8, &mut [&mut long, &mut short]),
        Err(RunError::BufferTooShort {
            port: 2,
            len: 7,
            sample_count: 8,
            ..
        })
    ));
    // A plugin without audio inputs runs "in place" on its output buffers.
    let sine = reference_descriptor("tp_sine", "tp_sine");
    let mut handle = sine.instantiate(44100).unwrap().activate();
    let mut tone = vec![0.0; 64];
    handle.run_in_place(64, &mut [&mut tone]).unwrap();
    assert!(tone.iter().any(|&s| s != 0.0));
    assert!(matches!(
        handle.run_in_place(64, &mut [[0.0_f32; 64]; 0]),
        Err(RunError::InPlaceBufferCount {
            given: 0,
            inputs: 0,
            outputs: 1,
            ..
        })
    ));
}

#[test]
fn run_adding_adds_the_scaled_output() {
    let file = PrivateCopy::reference("tp_adding");
    let adder = file.descriptor("tp_adding_amp");
    assert!(adder.has_run_adding());
    let mut handle = adder.instantiate(44100).unwrap();
    handle.set_control("Gain", 2.0).unwrap();
    handle.set_run_adding_gain(0.25).unwrap();
    let mut handle = handle.activate();
    let input = signal(64, 9);
    let mut output = vec![1.0; 64];
    handle
        .run_adding(64, &[&input], &mut [&mut output])
        .unwrap();
    let expected: Vec<f32> = input.iter().map(|s| 1.0 + s * 2.0 * 0.25).collect();
    assert_eq!(output, expected);
    // The gain survives deactivate/activate, as the specification says.
    let mut handle = handle.deactivate().activate();
    let mut output = vec![0.0; 64];
    handle
        .run_adding(64, &[&input], &mut [&mut output])
        .unwrap();
    assert_eq!(output[3], input[3] * 2.0 * 0.25);
    assert_eq!(file.counters().run_addings, 2);
}

#[test]
fn run_adding_is_refused_for_plugins_without_it() {
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    assert!(!amp.has_run_adding());
    let mut handle = amp.instantiate(44100).unwrap();
    assert!(matches!(
        handle.set_run_adding_gain(0.5),
        Err(RunError::NoRunAdding { .. })
    ));
    let mut handle = handle.activate();
    let mut out = vec![0.0; 4];
    assert!(matches!(
        handle.run_adding(4, &[&[0.0; 4]], &mut [&mut out]),
        Err(RunError::NoRunAdding { .. })
    ));
}

#[test]
fn sources_are_deterministic_per_activation() {
    for (file, label) in [("tp_sine", "tp_sine"), ("tp_noise", "tp_noise")] {
        let descriptor = reference_descriptor(file, label);
        let render = || {
            let mut handle = descriptor.instantiate(44100).unwrap().activate();
            let mut out = vec![0.0; 4096];
            handle
                .run(4096, &ladspa_host::NO_BUFFERS, &mut [&mut out])
                .unwrap();
            out
        };
        let first = render();
        assert!(first.iter().any(|&s| s != 0.0), "{label} makes sound");
        assert!(
            first.iter().all(|s| s.abs() <= 1.0),
            "{label} stays within its amplitude"
        );
        assert_eq!(first, render(), "{label} is deterministic");
    }
}

#[test]
fn connect_port_is_called_only_for_buffers_that_moved() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_stereo");
    let handle = amp.instantiate(44100).unwrap();
    // Instantiation connects every port once: the control to handle memory, audio to scratch.
    assert_eq!(file.counters().connections, 5);
    let mut handle = handle.activate();
    let (left, right) = (signal(64, 1), signal(64, 2));
    let (mut out_left, mut out_right) = (vec![0.0; 64], vec![0.0; 64]);
    for _ in 0..100 {
        handle
            .run(64, &[&left, &right], &mut [&mut out_left, &mut out_right])
            .unwrap();
    }
    assert_eq!(
        file.counters().connections,
        5 + 4,
        "the four audio ports, once"
    );
    // Swapping the inputs moves two ports; an unchanged output moves none.
    handle
        .run(64, &[&right, &left], &mut [&mut out_left, &mut out_right])
        .unwrap();
    assert_eq!(file.counters().connections, 5 + 4 + 2);
    // In place: each buffer becomes both an input and an output.
    handle
        .run_in_place(64, &mut [&mut out_left, &mut out_right])
        .unwrap();
    assert_eq!(file.counters().connections, 5 + 4 + 2 + 2);
    assert_eq!(file.counters().runs, 102);
}

#[test]
fn denormals_are_flushed_during_runs_when_asked_and_only_then() {
    let denormal = 1e-39_f32;
    assert!(denormal != 0.0 && !denormal.is_normal());
    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(48000).unwrap().activate();
    assert!(!handle.flushes_denormals());
    let input = [denormal; 8];
    let mut output = [0.0_f32; 8];
    handle.run(8, &[&input], &mut [&mut output]).unwrap();
    assert_eq!(
        output, [denormal; 8],
        "by default the plugin sees denormals as they are"
    );

    if !handle.set_flush_denormals(true) {
        eprintln!("flushing denormals is not supported on this target");
        return;
    }
    assert!(handle.flushes_denormals());
    handle.run(8, &[&input], &mut [&mut output]).unwrap();
    assert_eq!(
        output, [0.0; 8],
        "denormal inputs read as zero during the run"
    );
    let mut in_place = input;
    handle.run_in_place(8, &mut [&mut in_place]).unwrap();
    assert_eq!(in_place, [0.0; 8]);
    // Rust code after the run computes with denormals again: the mode was restored.
    let product = std::hint::black_box(denormal) * std::hint::black_box(1.0_f32);
    assert_eq!(product, denormal);

    // The setting survives deactivate/activate, and can be turned off.
    let mut handle = handle.deactivate().activate();
    assert!(handle.flushes_denormals());
    assert!(handle.set_flush_denormals(false));
    handle.run(8, &[&input], &mut [&mut output]).unwrap();
    assert_eq!(output, [denormal; 8]);

    let adder = reference_descriptor("tp_adding", "tp_adding_amp");
    let mut handle = adder.instantiate(48000).unwrap();
    handle.set_flush_denormals(true);
    let mut handle = handle.activate();
    let mut output = [1.0_f32; 8];
    handle.run_adding(8, &[&input], &mut [&mut output]).unwrap();
    assert_eq!(
        output, [1.0; 8],
        "run_adding adds nothing from flushed denormals"
    );
}
