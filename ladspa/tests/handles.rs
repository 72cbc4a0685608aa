//! Handles in data structures and the gaps users hit: `reset`, `AnyHandle`, copying control
//! values, initial control values, the latency port, non-UTF-8 labels, descriptor identity and
//! the way back from a descriptor to its plugin file, which unloads after the last of them.

mod common;

use std::collections::HashSet;

use common::{PrivateCopy, reference_descriptor};
use ladspa_host::{AnyHandle, FindError, Plugin, PortError};

#[test]
fn reset_starts_the_plugin_afresh_in_place_and_keeps_controls() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap();
    handle.set_control("Value", 2.5).unwrap();
    let mut handle = handle.activate();
    let mut out = [0.0_f32; 8];
    for _ in 0..3 {
        handle.run(8, &[[0.0_f32; 8]], &mut [&mut out]).unwrap();
    }
    assert_eq!(handle.control("Runs").unwrap(), 3.0);
    handle.reset();
    handle.run(8, &[[0.0_f32; 8]], &mut [&mut out]).unwrap();
    assert_eq!(handle.control("Runs").unwrap(), 1.0, "the state was reset");
    assert_eq!(out, [2.5; 8], "controls kept their values");
}

#[test]
fn reset_calls_deactivate_then_activate_once_each() {
    let copy = PrivateCopy::reference("tp_recorder");
    let mut handle = copy
        .descriptor("tp_recorder")
        .instantiate(48_000)
        .unwrap()
        .activate();
    let before = copy.counters();
    handle.reset();
    let after = copy.counters();
    assert_eq!(after.deactivated - before.deactivated, 1);
    assert_eq!(after.activated - before.activated, 1);
    drop(handle);
    assert_eq!(copy.counters().live(), 0);
}

#[test]
fn any_handles_change_state_in_place_in_a_collection() {
    let copy = PrivateCopy::reference("tp_amp");
    let amp = copy.descriptor("tp_amp_mono");
    let mut strip: Vec<AnyHandle> = (0..4)
        .map(|k| {
            let handle = amp.instantiate(48_000).unwrap();
            if k % 2 == 0 {
                handle.activate().into()
            } else {
                handle.into()
            }
        })
        .collect();
    assert_eq!(strip.iter().filter(|h| h.is_active()).count(), 2);
    for handle in &mut strip {
        handle.set_control("Gain", 2.0).unwrap();
        handle.activate(); // in place; a no-op for the active ones
    }
    assert_eq!(copy.counters().activated, 4, "each activated exactly once");
    let mut samples = [1.0_f32; 4];
    for handle in strip.iter_mut().filter_map(AnyHandle::active_mut) {
        handle.run_in_place(4, &mut [&mut samples]).unwrap();
    }
    assert_eq!(samples, [16.0; 4]);
    strip[3].deactivate();
    strip[3].deactivate();
    assert!(strip[3].active_mut().is_none());
    assert_eq!(strip[3].control("Gain").unwrap(), 2.0);
    assert_eq!(copy.counters().deactivated, 1);
    drop(strip);
    let counters = copy.counters();
    assert_eq!((counters.deactivated, counters.live()), (4, 0));
}

#[test]
fn control_values_copy_between_instances_of_one_plugin_type_only() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut source = recorder.instantiate(48_000).unwrap().activate();
    source.set_control("Value", 4.0).unwrap();
    let mut out = [0.0_f32; 1];
    source.run(1, &[[0.0_f32]], &mut [&mut out]).unwrap();
    let mut target = recorder.instantiate(44_100).unwrap();
    let controls = target.controls();
    controls.set("Value", 9.0).unwrap();
    target.copy_controls_from(&source).unwrap();
    assert_eq!(target.control("Value").unwrap(), 4.0);
    assert_eq!(
        controls.get("Value").unwrap(),
        4.0,
        "the pending change is superseded"
    );
    assert_eq!(
        target.control("Seen").unwrap(),
        0.0,
        "outputs are the plugin's own"
    );

    let amp = reference_descriptor("tp_amp", "tp_amp_mono");
    let mut other = amp.instantiate(48_000).unwrap();
    let error = other.copy_controls_from(&source).unwrap_err();
    assert!(
        matches!(error, PortError::DifferentPluginType { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("tp_recorder"), "{error}");
}

#[test]
fn initial_controls_are_what_instantiate_sets() {
    let hints = reference_descriptor("tp_hints", "tp_hints");
    for rate in [1, 8_000, 44_100, 48_000, 192_000] {
        let handle = hints.instantiate(rate).unwrap();
        let initial = hints.initial_controls(rate);
        let inputs = hints.ports().filter(|p| p.is_control() && p.is_input());
        assert_eq!(initial.len(), inputs.count());
        for (index, value) in initial {
            assert_eq!(handle.control(index).unwrap().to_bits(), value.to_bits());
        }
    }
}

#[test]
fn the_latency_port_is_the_control_output_named_latency() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let latency = recorder
        .latency_port()
        .expect("tp_recorder reports its latency");
    assert_eq!(latency.index(), 5);
    let mut handle = recorder.instantiate(48_000).unwrap().activate();
    handle.run(0, &[[0.0_f32; 0]], &mut [[0.0_f32; 0]]).unwrap();
    assert_eq!(handle.control(latency).unwrap(), 64.0);
    assert!(
        reference_descriptor("tp_amp", "tp_amp_mono")
            .latency_port()
            .is_none()
    );
    let shared = ladspa_testplugins::hostile_plugin("tp_shared_names");
    // SAFETY: the test plugins are trusted code.
    let shared = unsafe { Plugin::load(shared) }.unwrap();
    assert!(shared.descriptors()[0].latency_port().is_none());
}

#[test]
fn a_label_that_is_not_utf8_is_found_by_its_bytes() {
    let path = ladspa_testplugins::hostile_plugin("tp_latin1_label");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.unwrap();
    let found = plugin.find_label_bytes(b"tp_latin1_\xe9").unwrap();
    assert_eq!(found.unique_id(), 7450);
    assert!(found.label().to_str().is_err(), "the label is not UTF-8");
    assert!(
        plugin.find_label("tp_latin1_\u{e9}").is_err(),
        "UTF-8 é is other bytes"
    );
    match plugin.find_label_bytes(b"tp_latin1_\xe8") {
        Err(FindError::NotFound { query, .. }) => {
            assert_eq!(query.to_string(), "label `tp_latin1_\u{fffd}`")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn descriptors_are_equal_when_they_are_one_plugin_type_of_one_loaded_file() {
    let copy = PrivateCopy::reference("tp_amp");
    let plugin = copy.load();
    let [mono, stereo] = [0, 1].map(|k| plugin.descriptors()[k].clone());
    assert_eq!(mono, plugin.descriptors()[0]);
    assert_ne!(mono, stereo);
    assert_eq!(
        mono.plugin().descriptors()[1],
        stereo,
        "through the way back"
    );
    let again = copy.load();
    assert_ne!(
        again.descriptors()[0],
        mono,
        "another load is another file state"
    );
    let set: HashSet<_> = [
        mono.clone(),
        stereo,
        mono.clone(),
        again.descriptors()[0].clone(),
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 3);
    let handle = mono.instantiate(48_000).unwrap();
    assert_eq!(handle.descriptor(), &mono);
}

/// The three kinds of owner of a loaded file, dropped in a given order.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Plugin,
    Descriptor,
    Handle,
}

#[test]
fn the_file_unloads_after_the_last_of_plugin_descriptor_and_handle_in_any_order() {
    use Owner::*;
    let orders = [
        [Plugin, Descriptor, Handle],
        [Plugin, Handle, Descriptor],
        [Descriptor, Plugin, Handle],
        [Descriptor, Handle, Plugin],
        [Handle, Plugin, Descriptor],
        [Handle, Descriptor, Plugin],
    ];
    for order in orders {
        for plugin_from_descriptor in [false, true] {
            let copy = PrivateCopy::reference("tp_amp");
            let loaded = copy.load();
            let descriptor = loaded.descriptors()[1].clone();
            // The plugin held is either the loaded one or the one reached back from the
            // descriptor (then the loaded one is dropped first).
            let plugin = if plugin_from_descriptor {
                let back = descriptor.plugin();
                drop(loaded);
                back
            } else {
                loaded
            };
            let handle = descriptor.instantiate(48_000).unwrap().activate();
            let (mut plugin, mut descriptor, mut handle) =
                (Some(plugin), Some(descriptor), Some(handle));
            for (k, owner) in order.iter().enumerate() {
                assert!(
                    copy.is_loaded(),
                    "{order:?}: unloaded before dropping {owner:?}"
                );
                match owner {
                    Plugin => drop(plugin.take()),
                    Descriptor => drop(descriptor.take()),
                    Handle => drop(handle.take()),
                }
                let last = k == order.len() - 1;
                assert_eq!(
                    copy.is_mapped(),
                    !last,
                    "{order:?} after dropping {owner:?}"
                );
            }
        }
    }
}
