//! The instance lifecycle through the real loader: every instance gets exactly one `cleanup`,
//! and one `deactivate` before it when it was activated, whatever order values are dropped in;
//! the plugin file stays loaded exactly as long as something of it lives.

mod common;

use common::{CounterSnapshot, PrivateCopy};
use ladspa_host::{Handle, InstantiateError, Plugin};

fn counts(
    instantiated: u64,
    activated: u64,
    deactivated: u64,
    cleaned_up: u64,
) -> (u64, u64, u64, u64) {
    (instantiated, activated, deactivated, cleaned_up)
}

fn lifecycle(snapshot: CounterSnapshot) -> (u64, u64, u64, u64) {
    (
        snapshot.instantiated,
        snapshot.activated,
        snapshot.deactivated,
        snapshot.cleaned_up,
    )
}

#[test]
fn an_instance_never_activated_is_activated_and_deactivated_before_its_cleanup() {
    // Some plugins crash in a `cleanup` that no `activate` came before (swh's IIR filters):
    // the handle gives them the lifecycle every other host does.
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_mono");
    let handle = amp.instantiate(44100).unwrap();
    assert_eq!(lifecycle(file.counters()), counts(1, 0, 0, 0));
    drop(handle);
    let after = file.counters();
    assert_eq!(lifecycle(after), counts(1, 1, 1, 1));
    assert_eq!(after.runs, 0, "nothing runs on the way out");
}

#[test]
fn an_instance_activated_once_is_not_activated_again_when_dropped_inactive() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_mono");
    let handle = amp.instantiate(44100).unwrap().activate().deactivate();
    assert_eq!(lifecycle(file.counters()), counts(1, 1, 1, 0));
    drop(handle);
    assert_eq!(lifecycle(file.counters()), counts(1, 1, 1, 1));
}

#[test]
fn an_instance_dropped_while_active_is_deactivated_then_cleaned_up() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap().activate();
    assert!(handle.is_active());
    let mut out = [0.0; 8];
    handle.run(8, &[&[1.0; 8]], &mut [&mut out]).unwrap();
    assert_eq!(lifecycle(file.counters()), counts(1, 1, 0, 0));
    drop(handle);
    let after = file.counters();
    assert_eq!(lifecycle(after), counts(1, 1, 1, 1));
    assert_eq!(after.runs, 1);
}

#[test]
fn activate_and_deactivate_alternate_and_cleanup_comes_once() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_mono");
    let mut handle: Handle = amp.instantiate(48000).unwrap();
    for cycle in 1..=3 {
        let active = handle.activate();
        assert_eq!(lifecycle(file.counters()), counts(1, cycle, cycle - 1, 0));
        handle = active.deactivate();
        assert!(!handle.is_active());
        assert_eq!(lifecycle(file.counters()), counts(1, cycle, cycle, 0));
    }
    drop(handle);
    assert_eq!(lifecycle(file.counters()), counts(1, 3, 3, 1));
}

#[test]
fn many_instances_each_get_one_cleanup() {
    let file = PrivateCopy::reference("tp_delay");
    let delay = file.descriptor("tp_delay");
    let inactive: Vec<_> = (0..10).map(|_| delay.instantiate(8000).unwrap()).collect();
    let active: Vec<_> = (0..10)
        .map(|_| delay.instantiate(8000).unwrap().activate())
        .collect();
    assert_eq!(file.counters().live(), 20);
    drop(inactive);
    drop(active);
    let after = file.counters();
    // The 10 never activated are activated and deactivated on their way out.
    assert_eq!(lifecycle(after), counts(20, 20, 20, 20));
    assert_eq!(after.live(), 0);
}

#[test]
fn a_descriptor_outlives_its_plugin_and_keeps_the_file_loaded() {
    let file = PrivateCopy::reference("tp_amp");
    let plugin = file.load();
    let amp = plugin.find_label("tp_amp_mono").unwrap().clone();
    drop(plugin);
    assert!(file.is_loaded(), "the descriptor keeps the file loaded");
    // Fully usable: metadata, ports, instances.
    assert_eq!(amp.name(), "Test Mono Amplifier");
    assert_eq!(amp.port(0).unwrap().name(), "Gain");
    let mut handle = amp.instantiate(44100).unwrap().activate();
    let mut out = [0.0; 4];
    handle.run(4, &[&[2.0; 4]], &mut [&mut out]).unwrap();
    assert_eq!(out, [2.0; 4]);
    // The handle outlives the descriptor too.
    drop(amp);
    handle.set_control("Gain", 3.0).unwrap();
    handle.run(4, &[&[2.0; 4]], &mut [&mut out]).unwrap();
    assert_eq!(out, [6.0; 4]);
    assert!(file.is_loaded(), "the handle keeps the file loaded");
    drop(handle);
    assert!(
        !file.is_loaded(),
        "the file is unloaded with the last handle"
    );
}

#[test]
fn the_file_is_unloaded_when_the_last_plugin_descriptor_and_handle_are_dropped() {
    let file = PrivateCopy::reference("tp_delay");
    assert!(!file.is_loaded());
    let plugin = file.load();
    assert!(file.is_loaded() && file.is_mapped());
    let descriptors: Vec<_> = plugin.descriptors().to_vec();
    let handle = descriptors[0].instantiate(44100).unwrap().activate();
    drop(plugin);
    assert!(file.is_loaded());
    drop(descriptors);
    assert!(file.is_loaded());
    // The accounting reads the file while it is still loaded.
    assert_eq!(file.counters().live(), 1);
    drop(handle);
    assert!(
        !file.is_loaded(),
        "dlopen(RTLD_NOLOAD) still finds the file"
    );
    assert!(!file.is_mapped(), "/proc/self/maps still maps the file");
    // And it loads again.
    let again = file.load();
    assert_eq!(again.descriptors()[0].label(), "tp_delay");
}

#[test]
fn cleanup_happens_when_the_plugin_value_was_dropped_first() {
    let file = PrivateCopy::reference("tp_amp");
    let plugin = file.load();
    let mut handles = Vec::new();
    for descriptor in plugin.descriptors() {
        handles.push(descriptor.instantiate(44100).unwrap().activate());
    }
    drop(plugin);
    // Read the counts through a reference of our own, since dropping the handles unloads.
    // SAFETY: the test plugins are trusted code.
    let library = unsafe { libloading::Library::new(&file.path) }.unwrap();
    let counters = ladspa_testplugins::counters(&library).unwrap();
    assert_eq!(counters.snapshot().live(), 2);
    drop(handles);
    let after = counters.snapshot();
    assert_eq!(lifecycle(after), counts(2, 2, 2, 2));
}

#[test]
fn deactivate_then_activate_resets_the_delay_line() {
    let delay = common::reference_descriptor("tp_delay", "tp_delay");
    let rate = 1000;
    let mut handle = delay.instantiate(rate).unwrap();
    handle.set_control("Delay (Seconds)", 0.01).unwrap(); // 10 samples
    handle.set_control("Dry/Wet Balance", 1.0).unwrap(); // only the delayed signal
    let mut handle = handle.activate();
    let mut impulse = vec![0.0_f32; 32];
    impulse[0] = 1.0;
    let silence = vec![0.0_f32; 32];
    let mut out = vec![0.0_f32; 32];

    handle.run(5, &[&impulse], &mut [&mut out]).unwrap();
    assert!(out[..5].iter().all(|&s| s == 0.0));
    // Without a reset, the impulse comes out 10 samples after it went in.
    handle.run(32, &[&silence], &mut [&mut out]).unwrap();
    assert_eq!(out[5], 1.0, "the delay line holds the impulse: {out:?}");

    handle.run(5, &[&impulse], &mut [&mut out]).unwrap();
    let mut handle = handle.deactivate().activate();
    handle.run(32, &[&silence], &mut [&mut out]).unwrap();
    assert!(
        out.iter().all(|&s| s == 0.0),
        "activate after deactivate forgot the impulse: {out:?}"
    );
}

#[test]
fn a_null_instance_is_a_typed_error() {
    let path = ladspa_testplugins::broken_plugin("tp_instantiate_fails");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(&path) }.unwrap();
    let descriptor = plugin.find_label("tp_instantiate_fails").unwrap();
    match descriptor.instantiate(44100) {
        Err(
            error @ InstantiateError::Failed {
                sample_rate: 44100, ..
            },
        ) => {
            let message = error.to_string();
            assert!(
                message.contains(&*path.to_string_lossy())
                    && message.contains("tp_instantiate_fails"),
                "{message}"
            );
        }
        other => panic!("expected InstantiateError::Failed, got {other:?}"),
    }
}

#[test]
fn a_zero_sample_rate_is_refused_before_the_plugin_sees_it() {
    let file = PrivateCopy::reference("tp_amp");
    let amp = file.descriptor("tp_amp_mono");
    assert!(matches!(
        amp.instantiate(0),
        Err(InstantiateError::ZeroSampleRate { .. })
    ));
    assert_eq!(file.counters().instantiated, 0);
}

#[test]
fn a_plugin_whose_cleanup_needs_activate_survives_a_handle_never_activated() {
    // The validator's fixture crashes (SIGSEGV) in a `cleanup` that no `activate` came before,
    // as swh's IIR filters do: dropping a handle made and never activated must not.
    let path = ladspa_testplugins::validator_fixture("tp_v_cleanup_unactivated");
    // SAFETY: the test plugins are trusted.
    let plugin = unsafe { Plugin::load(&path) }.unwrap();
    let descriptor = plugin.find_label("tp_v_cleanup_unactivated").unwrap();
    for _ in 0..3 {
        drop(descriptor.instantiate(48_000).unwrap());
    }
    let mut handle = descriptor.instantiate(48_000).unwrap().activate();
    let mut out = [0.0; 4];
    handle.run(4, &[&[0.5; 4]], &mut [&mut out]).unwrap();
    drop(handle);
}
