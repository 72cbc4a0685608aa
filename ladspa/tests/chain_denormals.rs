//! `Chain::set_flush_denormals` through the real loader: every instance the chain has, and
//! every instance of stages added later, flushes denormals to zero during its runs (and stops
//! when asked). Not under valgrind, whose CPU does not emulate the flush-to-zero modes.

mod common;

use ladspa_host::Chain;

/// The smallest normal `f32` is 1.18e-38: this is a denormal.
const DENORMAL: f32 = 1e-39;

/// Runs a block of denormals through the chain: what comes out.
fn run(chain: &mut Chain) -> Vec<Vec<f32>> {
    let inputs = vec![vec![DENORMAL; 16]; chain.input_channels()];
    let mut outputs = vec![vec![1.0_f32; 16]; chain.output_channels()];
    chain.process(16, &inputs, &mut outputs).unwrap();
    outputs
}

fn flushing(chain: &Chain) -> Vec<bool> {
    chain
        .stages()
        .iter()
        .flat_map(|stage| stage.instances().iter().map(|h| h.flushes_denormals()))
        .collect()
}

#[test]
fn a_chain_flushes_denormals_in_every_instance_and_in_those_added_later() {
    assert!(!DENORMAL.is_normal() && DENORMAL != 0.0);
    let mono = common::reference_descriptor("tp_amp", "tp_amp_mono"); // gain 1
    let stereo = common::reference_descriptor("tp_amp", "tp_amp_stereo");
    let mut chain = Chain::new(2, 48_000, 64).unwrap().with(&mono).unwrap();
    assert!(!chain.flushes_denormals());
    assert_eq!(
        run(&mut chain),
        [[DENORMAL; 16]; 2],
        "no flushing by default"
    );

    let supported = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));
    assert_eq!(chain.set_flush_denormals(true), supported);
    if !supported {
        return;
    }
    assert!(chain.flushes_denormals());
    chain.add(&stereo).unwrap(); // added later: flushes too
    chain.add(&mono).unwrap();
    assert_eq!(flushing(&chain), [true; 5]);
    assert_eq!(run(&mut chain), [[0.0; 16]; 2]);

    // Each stage on its own flushes (not only the first one to see the denormals).
    let mut late = Chain::new(1, 48_000, 64).unwrap();
    late.set_flush_denormals(true);
    late.add(&mono).unwrap();
    assert_eq!(run(&mut late), [[0.0; 16]]);

    assert!(chain.set_flush_denormals(false));
    chain.add(&mono).unwrap();
    assert_eq!(flushing(&chain), [false; 7]);
    assert_eq!(run(&mut chain), [[DENORMAL; 16]; 2]);
}
