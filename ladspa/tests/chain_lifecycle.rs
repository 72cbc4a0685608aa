//! A chain's instances through the real loader: each is activated exactly once before its first
//! run, after the controls set until then (which `activate` sees), again once after a reset,
//! and deactivated and cleaned up when the chain goes, whether or not it ever ran.
//!
//! `tp_recorder` reports on control outputs how many times it was activated and the Value its
//! last `activate` read; each test counts calls on a private copy of the file. It reports a
//! latency, so right after its activation each instance also runs 0 samples: the chain's probe
//! of that latency, which sizes the delay line a bypass needs.

mod common;

use common::PrivateCopy;
use ladspa_host::Chain;
use ladspa_host::chain::ControlChange;

/// The recorder's outputs: "Activations", "Value at Activate".
const ACTIVATIONS: usize = 6;
const VALUE_AT_ACTIVATE: usize = 7;

/// (instantiated, activated, deactivated, cleaned up, runs) of the copy.
fn calls(file: &PrivateCopy) -> (u64, u64, u64, u64, u64) {
    let c = file.counters();
    (
        c.instantiated,
        c.activated,
        c.deactivated,
        c.cleaned_up,
        c.runs,
    )
}

/// Each replica's (activations, value its last activate read), as its last run reported.
fn reported(chain: &Chain, stage: usize) -> Vec<(f32, f32)> {
    chain
        .stage(stage)
        .unwrap()
        .instances()
        .iter()
        .map(|handle| {
            (
                handle.control(ACTIVATIONS).unwrap(),
                handle.control(VALUE_AT_ACTIVATE).unwrap(),
            )
        })
        .collect()
}

fn run(chain: &mut Chain, frames: usize) {
    let inputs = vec![vec![0.25_f32; frames]; chain.input_channels()];
    let mut outputs = vec![vec![0.0_f32; frames]; chain.output_channels()];
    chain.process(frames, &inputs, &mut outputs).unwrap();
}

#[test]
fn controls_set_before_the_first_run_reach_the_one_activate() {
    let file = PrivateCopy::reference("tp_recorder");
    let recorder = file.descriptor("tp_recorder");
    let mut chain = Chain::new(2, 48_000, 64).unwrap();
    let stage = chain.add(&recorder).unwrap(); // replicated: two instances
    chain.set_control(stage, "Value", 0.25).unwrap();
    chain.set_control(stage, "Value", 0.5).unwrap();
    assert!(!chain.is_active());
    assert_eq!(
        calls(&file),
        (2, 0, 0, 0, 0),
        "nothing activated while building"
    );
    run(&mut chain, 200); // four blocks
    assert!(chain.is_active());
    assert_eq!(
        calls(&file),
        (2, 2, 0, 0, 2 + 8),
        "one activate each, the latency probe, then the runs"
    );
    assert_eq!(reported(&chain, stage), [(1.0, 0.5); 2]);
    chain.set_control(stage, "Value", 0.75).unwrap(); // from the next run on, no activate
    run(&mut chain, 10);
    assert_eq!(calls(&file), (2, 2, 0, 0, 12));
    assert_eq!(reported(&chain, stage), [(1.0, 0.5); 2]);
    assert_eq!(chain.control(stage, "Seen").unwrap(), 0.75);
    drop(chain);
    assert_eq!(calls(&file), (2, 2, 2, 2, 12));
}

#[test]
fn activate_ahead_of_the_audio_thread_and_after_a_reset_once_more() {
    let file = PrivateCopy::reference("tp_recorder");
    let recorder = file.descriptor("tp_recorder");
    let mut chain = Chain::new(1, 48_000, 64).unwrap();
    let first = chain.add(&recorder).unwrap();
    chain.set_control(first, 0, 1.0).unwrap();
    chain.activate();
    assert!(chain.is_active());
    assert_eq!(calls(&file), (1, 1, 0, 0, 1)); // and the latency probe
    chain.activate(); // nothing left to activate, nor to probe
    run(&mut chain, 64);
    assert_eq!(calls(&file), (1, 1, 0, 0, 2));

    // A reset deactivates now and activates once more, with the controls set meanwhile.
    chain.reset();
    assert!(!chain.is_active());
    assert_eq!(calls(&file), (1, 1, 1, 0, 2));
    chain.set_control(first, 0, 2.0).unwrap();
    run(&mut chain, 64);
    assert_eq!(calls(&file), (1, 2, 1, 0, 4));
    assert_eq!(reported(&chain, first), [(2.0, 2.0)]);

    // A stage added to a chain that ran: only its instance is activated, by the next run.
    let second = chain.add(&recorder).unwrap();
    assert!(!chain.is_active());
    chain.set_control(second, 0, 3.0).unwrap();
    run(&mut chain, 64);
    assert_eq!(calls(&file), (2, 3, 1, 0, 7)); // the new one's probe, a block of each
    assert_eq!(reported(&chain, first), [(2.0, 2.0)]);
    assert_eq!(reported(&chain, second), [(1.0, 3.0)]);
    drop(chain);
    assert_eq!(calls(&file), (2, 3, 3, 2, 7));
}

#[test]
fn every_way_of_running_activates_first_and_only_once() {
    let file = PrivateCopy::reference("tp_recorder");
    let recorder = file.descriptor("tp_recorder");
    let frames = 100;
    let input = [vec![0.0_f32; frames]];
    let mut output = [vec![0.0_f32; frames]];

    // process_automated: changes apply within the run, after the activation.
    let mut automated = Chain::new(1, 48_000, 64).unwrap().with(&recorder).unwrap();
    automated.set_control(0, 0, 1.0).unwrap();
    let changes = [ControlChange {
        offset: 0,
        stage: 0,
        port: 0,
        value: 5.0,
    }];
    automated
        .process_automated(frames, &input, &mut output, &changes)
        .unwrap();
    assert_eq!(reported(&automated, 0), [(1.0, 1.0)]);
    assert_eq!(automated.control(0, "Seen").unwrap(), 5.0);

    // process_offline.
    let mut offline = Chain::new(1, 48_000, 64).unwrap().with(&recorder).unwrap();
    offline.set_control(0, 0, 4.0).unwrap();
    offline
        .process_offline(frames, &input, &mut output)
        .unwrap();
    assert_eq!(reported(&offline, 0), [(1.0, 4.0)]);

    // A run of 0 samples (how a chain learns its latency) activates too, once.
    let mut empty = Chain::new(1, 48_000, 64).unwrap().with(&recorder).unwrap();
    empty.process(0, &[[0.0_f32; 0]], &mut [[0.0; 0]]).unwrap();
    run(&mut empty, 10);
    assert_eq!(reported(&empty, 0), [(1.0, 0.0)]);
    assert_eq!(calls(&file).1, 3);
}

/// LADSPA allows `cleanup` without `activate`, but swh's IIR filters crash in it (see
/// `known-plugin-defects.txt`): a chain that never ran activates its instances before they go.
#[test]
fn a_chain_dropped_before_it_ran_activates_then_deactivates_and_cleans_up() {
    let file = PrivateCopy::reference("tp_recorder");
    let recorder = file.descriptor("tp_recorder");
    let chain = Chain::new(2, 48_000, 64).unwrap().with(&recorder).unwrap();
    assert_eq!(calls(&file), (2, 0, 0, 0, 0));
    drop(chain);
    assert_eq!(calls(&file), (2, 2, 2, 2, 0));

    // After a reset, they were activated once already: no second activate on the way out.
    let mut chain = Chain::new(1, 48_000, 64).unwrap().with(&recorder).unwrap();
    chain.activate();
    chain.reset();
    drop(chain);
    assert_eq!(calls(&file), (3, 3, 3, 3, 1)); // the latency probe after activate
}

/// A handle is activated by its owner, once: instantiate, set controls, activate, run.
#[test]
fn a_handle_sees_its_controls_in_its_one_activate() {
    let file = PrivateCopy::reference("tp_recorder");
    let recorder = file.descriptor("tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap();
    handle.set_control("Value", 0.5).unwrap();
    let mut handle = handle.activate();
    let mut out = [0.0_f32; 8];
    handle.run(8, &[[0.0_f32; 8]], &mut [&mut out]).unwrap();
    assert_eq!(handle.control(ACTIVATIONS).unwrap(), 1.0);
    assert_eq!(handle.control(VALUE_AT_ACTIVATE).unwrap(), 0.5);
    assert_eq!(calls(&file), (1, 1, 0, 0, 1));
}
