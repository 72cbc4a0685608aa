//! How a chain counts the latency its plugins report (`Chain::latency`): whole samples rounded
//! down, 0 for a negative report, at most `MAX_LATENCY`; through the real loader with
//! `tp_latency`, which reports its delay plus an "Extra Latency" of any value, and (opt-in)
//! with Debian's tap_pitch, which reports 4006.5 samples at 48 kHz.

mod common;

use ladspa_host::{Chain, MAX_LATENCY};

fn latency_plugin() -> ladspa_host::Descriptor {
    common::reference_descriptor("tp_latency", "tp_latency")
}

/// A one-stage chain whose delay is `delay` samples and whose report adds `extra`, after a run.
fn chain_reporting(delay: f32, extra: f32) -> Chain {
    let mut chain = Chain::new(1, 48_000, 64).unwrap();
    let stage = chain.add(&latency_plugin()).unwrap();
    chain.set_control(stage, "Delay (Samples)", delay).unwrap();
    chain.set_control(stage, "Extra Latency", extra).unwrap();
    chain.process(0, &[[0.0_f32; 0]], &mut [[0.0; 0]]).unwrap();
    chain
}

#[test]
fn a_fractional_latency_counts_rounded_down_and_compensates_the_whole_delay() {
    for extra in [0.5, 0.25, 0.999] {
        let mut chain = chain_reporting(100.0, extra);
        assert_eq!(chain.control(0, "latency").unwrap(), 100.0 + extra);
        assert_eq!(chain.latency(), 100, "reported {}", 100.0 + extra);
        assert_eq!(chain.stage(0).unwrap().latency(), 100);
        // The plugin delays by 100 samples: compensating 100 lines the output up exactly.
        let input: Vec<f32> = (0..1000).map(|t| t as f32).collect();
        let mut output = [vec![0.0; 1000]];
        chain.reset();
        assert_eq!(
            chain.process_offline(1000, &[&input], &mut output).unwrap(),
            100
        );
        assert_eq!(output[0], input);
    }
    // Each stage rounds down on its own: 100.5 + 20.7 is 120 samples of delay, not 121.
    let mut chain = Chain::new(1, 48_000, 64).unwrap();
    for (delay, extra) in [(100.0, 0.5), (20.0, 0.7)] {
        let stage = chain.add(&latency_plugin()).unwrap();
        chain.set_control(stage, 0, delay).unwrap();
        chain.set_control(stage, "Extra Latency", extra).unwrap();
    }
    chain.process(0, &[[0.0_f32; 0]], &mut [[0.0; 0]]).unwrap();
    assert_eq!(chain.latency(), 120);
}

#[test]
fn a_negative_latency_counts_as_none() {
    for extra in [-10.5, -20.0, -1e30] {
        let chain = chain_reporting(10.0, extra);
        assert!(chain.control(0, "latency").unwrap() < 0.0);
        assert_eq!(chain.latency(), 0, "extra {extra}");
    }
    // Less than one sample is none either.
    assert_eq!(chain_reporting(0.0, 0.75).latency(), 0);
}

#[test]
fn a_huge_latency_counts_as_the_maximum() {
    for extra in [1e9, 1e30, f32::MAX] {
        let chain = chain_reporting(0.0, extra);
        assert_eq!(chain.latency(), MAX_LATENCY, "extra {extra}");
    }
    // Stages add up without overflowing.
    let mut chain = Chain::new(1, 48_000, 64).unwrap();
    for _ in 0..3 {
        let stage = chain.add(&latency_plugin()).unwrap();
        chain.set_control(stage, "Extra Latency", f32::MAX).unwrap();
    }
    chain.process(0, &[[0.0_f32; 0]], &mut [[0.0; 0]]).unwrap();
    assert_eq!(chain.latency(), 3 * MAX_LATENCY);
}

/// Debian's tap_pitch reports 4006.5 samples at 48 kHz (and 3681 at 44.1 kHz); sox takes
/// 4006, as the chain does (`chain_sox.rs` compares the compensated outputs).
#[test]
#[ignore = "needs tap-plugins: run by .ci/run"]
fn tap_pitchs_fractional_latency_counts_rounded_down() {
    let path = std::path::Path::new("/usr/lib/ladspa/tap_pitch.so");
    assert!(
        path.is_file(),
        "{} is missing: install tap-plugins",
        path.display()
    );
    // SAFETY: Debian's plugins are trusted code.
    let plugin = unsafe { ladspa_host::Plugin::load(path) }.unwrap();
    let pitch = plugin.find_label("tap_pitch").unwrap();
    for (rate, reported, latency) in [(48_000, 4006.5, 4006), (44_100, 3681.0, 3681)] {
        let mut chain = Chain::new(1, rate, 1024).unwrap().with(pitch).unwrap();
        chain.process(0, &[[0.0_f32; 0]], &mut [[0.0; 0]]).unwrap();
        assert_eq!(chain.control(0, "latency").unwrap(), reported, "{rate} Hz");
        assert_eq!(chain.latency(), latency, "{rate} Hz");
    }
}
