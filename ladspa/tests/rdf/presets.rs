//! Applying presets from the fixture files to instances of the test plugins: values land on
//! their ports, a preset that names a missing port, an audio port or a control output is a
//! typed error that sets nothing, and a preset is only applied to its own plugin type.

use ladspa_host::rdf::{Database, PresetError};
use ladspa_host::{Descriptor, Plugin};

use crate::fixture_files::fixtures;

fn descriptor(path: std::path::PathBuf, label: &str) -> Descriptor {
    // SAFETY: the test plugins are trusted.
    let plugin = unsafe { Plugin::load(path) }.expect("the test plugin loads");
    plugin.find_label(label).unwrap().clone()
}

fn shared_names() -> Descriptor {
    descriptor(
        ladspa_testplugins::hostile_plugin("tp_shared_names"),
        "tp_shared_names",
    )
}

fn delay() -> Descriptor {
    descriptor(ladspa_testplugins::reference_plugin("tp_delay"), "tp_delay")
}

fn control_inputs(handle: &ladspa_host::Handle, descriptor: &Descriptor) -> Vec<f32> {
    descriptor
        .ports()
        .filter(|port| port.is_control() && port.is_input())
        .map(|port| handle.control(port.index()).unwrap())
        .collect()
}

#[test]
fn a_preset_sets_its_ports_and_leaves_the_others() {
    let database = fixtures(&["testplugins.rdf"]);
    let descriptor = shared_names();
    let rdf = descriptor.rdf(&database).unwrap();
    let mut handle = descriptor.instantiate(48_000).unwrap();
    let mix_before = handle.control(3).unwrap();
    handle.apply_preset(rdf.preset("Good").unwrap()).unwrap();
    assert_eq!(handle.control(2).unwrap(), 3.0);
    assert_eq!(handle.control(6).unwrap(), -0.5);
    assert_eq!(handle.control(3).unwrap(), mix_before);
    // An active handle takes presets too.
    let mut handle = handle.activate();
    handle.apply_preset(rdf.preset("Good").unwrap()).unwrap();
}

#[test]
fn a_preset_naming_a_port_that_is_not_a_control_input_sets_nothing() {
    let database = fixtures(&["testplugins.rdf"]);
    let descriptor = shared_names();
    let rdf = descriptor.rdf(&database).unwrap();
    let mut handle = descriptor.instantiate(48_000).unwrap();
    let before = control_inputs(&handle, &descriptor);

    let audio = handle
        .apply_preset(rdf.preset("Audio port").unwrap())
        .unwrap_err();
    assert!(
        matches!(&audio, PresetError::NotControlInput { port: 0, port_name, .. } if port_name == "Frequency"),
        "{audio:?}"
    );
    let output = handle
        .apply_preset(rdf.preset("Control output").unwrap())
        .unwrap_err();
    assert!(
        matches!(output, PresetError::NotControlInput { port: 5, .. }),
        "{output:?}"
    );
    // Port 2 comes first in this preset and is valid: it must not be set either.
    let missing = handle
        .apply_preset(rdf.preset("Missing port").unwrap())
        .unwrap_err();
    assert!(
        matches!(missing, PresetError::NoSuchPort { port: 99, .. }),
        "{missing:?}"
    );
    assert_eq!(control_inputs(&handle, &descriptor), before);

    let text = missing.to_string();
    assert!(
        text.contains("tp_shared_names") && text.contains("unique ID 7440"),
        "{text}"
    );
    assert!(
        text.contains("preset \"Missing port\" sets port 99 to 1"),
        "{text}"
    );
    assert!(text.contains("has 8 ports"), "{text}");
    let any: ladspa_host::Error = audio.into();
    assert!(any.to_string().contains("is not a control input"), "{any}");
}

#[test]
fn a_preset_is_only_applied_to_its_own_plugin_type() {
    let database = fixtures(&["testplugins.rdf", "reverb.rdf"]);
    let delay = delay();
    let good = database.plugin(7440).unwrap().preset("Good").unwrap();
    let mut handle = delay.instantiate(48_000).unwrap();
    let error = handle.apply_preset(good).unwrap_err();
    assert!(
        matches!(
            error,
            PresetError::OtherPlugin {
                preset_plugin: 7440,
                ..
            }
        ),
        "{error:?}"
    );
    // The fixture's presets for 7003 fit tp_delay: 0 "Delay (Seconds)", 1 "Dry/Wet Balance".
    let rdf = delay.rdf(&database).unwrap();
    handle.apply_preset(rdf.default_preset().unwrap()).unwrap();
    assert_eq!(handle.control(0).unwrap(), 0.25);
    handle
        .apply_preset(rdf.preset("Long tail").unwrap())
        .unwrap();
    assert_eq!(control_inputs(&handle, &delay), [0.75, 0.5]);
    assert!(rdf.preset("Long tail").unwrap().check(&delay).is_ok());
}

#[test]
fn a_plugin_without_rdf_has_none() {
    let database = fixtures(&["reverb.rdf"]);
    let amp = descriptor(
        ladspa_testplugins::reference_plugin("tp_amp"),
        "tp_amp_mono",
    );
    assert!(amp.rdf(&database).is_none());
    assert!(amp.rdf(&Database::default()).is_none());
}
