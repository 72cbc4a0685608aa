//! Where audio ports point: never at a dangling pointer for a run of 0 samples, never at the
//! caller's buffers outside runs.

use crate::harness::*;

#[test]
fn a_run_of_zero_samples_never_hands_the_plugin_a_dangling_pointer() {
    // Building here, in the parent, keeps the child's own call of the builder a quick check.
    let path = hostile("tp_zero_run");
    let child = in_child(
        "buffers::a_run_of_zero_samples_never_hands_the_plugin_a_dangling_pointer",
        CHILD_TIMEOUT,
        || {
            let plugin = load(&path);
            let zero_run = plugin.find_label("tp_zero_run").unwrap();
            assert!(!zero_run.has_run_adding());
            let mut handle = zero_run.instantiate(44100).unwrap();
            handle.set_control("Gain", 2.0).unwrap();
            let mut handle = handle.activate();
            // tp_zero_run reads input[0] and writes output[0] whatever the sample count: with
            // the dangling pointer of an empty slice (address 4) that is a segmentation fault.
            handle.run(0, &[&[]], &mut [&mut []]).unwrap();
            handle.run_in_place(0, &mut [&mut []]).unwrap();
            // Empty slices again after a run with real buffers (the cached connection moves).
            let input = [1.0_f32, 2.0, 3.0, 4.0];
            let mut output = [0.0_f32; 4];
            handle.run(4, &[&input], &mut [&mut output]).unwrap();
            assert_eq!(output, [2.0, 4.0, 6.0, 8.0]);
            handle.run(0, &[&[]], &mut [&mut []]).unwrap();
            handle.run_in_place(0, &mut [&mut []]).unwrap();
            // The instance still works.
            let mut buffer = [0.5_f32; 4];
            handle.run_in_place(4, &mut [&mut buffer]).unwrap();
            assert_eq!(buffer, [1.0; 4]);
        },
    );
    assert_exited_cleanly(&child);
}

#[test]
fn activate_writes_no_port_memory_of_the_handle() {
    let path = hostile("tp_outside_run");
    let child = in_child(
        "buffers::activate_writes_no_port_memory_of_the_handle",
        CHILD_TIMEOUT,
        || {
            let plugin = load(&path);
            let outside_run = plugin.find_label("tp_outside_run").unwrap();
            // "Gain" (port 1) lies between the two audio ports; `activate` writes 4096 samples
            // to the output (port 0) and reads as many from the input (port 2).
            let handle = outside_run.instantiate(48000).unwrap();
            assert_eq!(handle.control(1).unwrap(), 1.0);
            let handle = handle.activate();
            assert_eq!(handle.control(1).unwrap(), 1.0, "activate overwrote Gain");
            let mut handle = handle.deactivate();
            handle.set_control("Gain", 0.5).unwrap();
            let mut handle = handle.activate();
            assert_eq!(handle.control(1).unwrap(), 0.5, "activate overwrote Gain");
            let input = common::signal(256, 3);
            let mut output = vec![0.0; 256];
            handle.run(256, &[&input], &mut [&mut output]).unwrap();
            let expected: Vec<f32> = input.iter().map(|x| x * 0.5).collect();
            assert_eq!(output, expected);
        },
    );
    assert_exited_cleanly(&child);
}

#[test]
fn deactivate_and_cleanup_never_write_the_callers_buffers() {
    let path = hostile("tp_outside_run");
    let child = in_child(
        "buffers::deactivate_and_cleanup_never_write_the_callers_buffers",
        CHILD_TIMEOUT,
        || {
            let plugin = load(&path);
            let outside_run = plugin.find_label("tp_outside_run").unwrap();
            // Buffers as long as the fixture writes, so that a host that leaves the ports on
            // them shows as a marker in the buffer rather than as heap corruption.
            let input = common::signal(OUTSIDE_RUN_SAMPLES, 11);
            let mut output = vec![0.0_f32; OUTSIDE_RUN_SAMPLES];
            let mut handle = outside_run.instantiate(44100).unwrap().activate();
            handle.run(64, &[&input], &mut [&mut output]).unwrap();
            let mut expected = input[..64].to_vec();
            expected.resize(OUTSIDE_RUN_SAMPLES, 0.0);
            assert_eq!(output, expected, "the run");
            let handle = handle.deactivate();
            assert!(!output.contains(&OUTSIDE_RUN_MARKER), "deactivate wrote it");
            assert_eq!(output, expected);
            let mut handle = handle.activate();
            handle
                .run(OUTSIDE_RUN_SAMPLES, &[&input], &mut [&mut output])
                .unwrap();
            assert_eq!(output, input, "a whole block");
            drop(handle); // deactivate, then cleanup
            assert!(
                !output.contains(&OUTSIDE_RUN_MARKER),
                "deactivate or cleanup wrote it"
            );
            assert_eq!(output, input);
            drop(plugin);
        },
    );
    assert_exited_cleanly(&child);
}
