//! Control values: absurd hints give finite initial values, non-finite values never reach the
//! plugin.

use crate::harness::*;

/// The sample rates the hint tests instantiate at: the usual ones, and extremes.
const SAMPLE_RATES: [u32; 5] = [1, 22050, 44100, 48000, u32::MAX];

#[test]
fn absurd_hints_give_finite_initial_values_without_panicking() {
    let plugin = load(&hostile("tp_nan_hints"));
    let nan_hints = plugin.find_label("tp_nan_hints").unwrap();
    for sample_rate in SAMPLE_RATES {
        let handle = nan_hints.instantiate(sample_rate).unwrap();
        let mut controls = 0;
        for port in nan_hints.ports().filter(|p| p.is_control() && p.is_input()) {
            controls += 1;
            let value = handle.control(port.index()).unwrap();
            assert!(
                value.is_finite(),
                "{} at {sample_rate} Hz starts at {value}",
                port.name()
            );
            let hint = port.hint();
            assert_eq!(value, hint.initial_value(sample_rate), "{}", port.name());
            if let Some(default) = hint.default_value(sample_rate) {
                assert!(default.is_finite(), "{}: default {default}", port.name());
            }
        }
        assert_eq!(controls, 16);
        // Port 0 is an ordinary gain with default 1: nothing absurd hides the sane values.
        assert_eq!(handle.control("Gain").unwrap(), 1.0);
    }
}

#[test]
fn non_finite_control_values_are_refused_with_a_typed_error() {
    let plugin = load(&hostile("tp_nan_hints"));
    let nan_hints = plugin.find_label("tp_nan_hints").unwrap();
    let mut handle = nan_hints.instantiate(48000).unwrap();
    let inputs: Vec<usize> = nan_hints
        .ports()
        .filter(|p| p.is_control() && p.is_input())
        .map(|p| p.index())
        .collect();
    for &port in &inputs {
        let before = handle.control(port).unwrap();
        for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            match handle.set_control(port, value) {
                Err(PortError::NotFinite {
                    index,
                    value: refused,
                    ..
                }) => {
                    assert_eq!(index, port);
                    assert_eq!(refused.to_bits(), value.to_bits());
                }
                other => panic!("set_control({port}, {value}) gave {other:?}"),
            }
            assert_eq!(
                handle.control(port).unwrap(),
                before,
                "port {port} unchanged"
            );
        }
    }
    // By name too; and finite values outside the hints stay allowed (hints are hints).
    assert!(matches!(
        handle.set_control("Gain", f32::NAN),
        Err(PortError::NotFinite { index: 0, .. })
    ));
    handle.set_control("Gain", -5.0).unwrap();
    assert_eq!(handle.control("Gain").unwrap(), -5.0);
}

#[test]
fn clamping_nan_sets_the_ports_initial_value() {
    let plugin = load(&hostile("tp_nan_hints"));
    let nan_hints = plugin.find_label("tp_nan_hints").unwrap();
    for sample_rate in SAMPLE_RATES {
        let mut handle = nan_hints.instantiate(sample_rate).unwrap();
        for port in nan_hints.ports().filter(|p| p.is_control() && p.is_input()) {
            let index = port.index();
            let initial = handle.control(index).unwrap();
            // Move it away first, so that the clamp visibly sets it back.
            handle.set_control(index, 7.0).unwrap();
            let set = handle.set_control_clamped(index, f32::NAN).unwrap();
            assert!(set.is_finite(), "{}: {set}", port.name());
            assert_eq!(set, initial, "{} at {sample_rate} Hz", port.name());
            assert_eq!(handle.control(index).unwrap(), set);
        }
        // An ordinary port: NaN means its default.
        handle.set_control("Gain", 3.0).unwrap();
        assert_eq!(handle.set_control_clamped("Gain", f32::NAN).unwrap(), 1.0);
    }
}

#[test]
fn the_plugin_never_sees_a_non_finite_control_value() {
    let file = PrivateCopy::of(&hostile("tp_nan_hints"));
    let nan_hints = file.descriptor("tp_nan_hints");
    let mut handle = nan_hints.instantiate(44100).unwrap();
    let inputs: Vec<usize> = nan_hints
        .ports()
        .filter(|p| p.is_control() && p.is_input())
        .map(|p| p.index())
        .collect();
    for &port in &inputs {
        for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(handle.set_control(port, value).is_err());
            // Clamped, a value lands on a bound or the initial value, or is refused: never
            // passed on non-finite.
            let _ = handle.set_control_clamped(port, value);
        }
    }
    let mut handle = handle.activate();
    let input = common::signal(64, 7);
    let mut output = vec![0.0; 64];
    handle.run(64, &[&input], &mut [&mut output]).unwrap();
    let mut handle = handle.deactivate().activate();
    handle.run(64, &[&input], &mut [&mut output]).unwrap();
    drop(handle);
    let counters = file.counters();
    // The plugin looked (two activates, two runs) and saw nothing non-finite.
    assert_eq!((counters.activated, counters.runs), (2, 2));
    assert_eq!(counters.non_finite_controls, 0);
}
