//! Naming controls: a name is looked up among the ports a call can use (control inputs for the
//! setters, control ports for reading), never landing on an audio port of the same name; a
//! name several candidates share is a typed `Ambiguous` error; every way of naming a port
//! (index, `&str`, `String`, `&String`, `&CStr`, `Text`, `Port`) works.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use ladspa_host::{Plugin, PortError};

#[test]
fn every_way_of_naming_a_port_reaches_the_same_control() {
    let amp = common::reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(48_000).unwrap();
    let name = String::from("Gain");
    let gain = amp.port(0).unwrap();
    handle.set_control(0, 0.25).unwrap();
    assert_eq!(handle.control("Gain").unwrap(), 0.25);
    handle.set_control(name.clone(), 0.5).unwrap();
    assert_eq!(handle.control(&name).unwrap(), 0.5);
    handle.set_control(c"Gain", 0.75).unwrap();
    assert_eq!(handle.control(gain.name()).unwrap(), 0.75);
    handle.set_control(gain, 1.5).unwrap();
    let borrowed: &ladspa_host::Port<'_> = &gain;
    assert_eq!(handle.control(borrowed).unwrap(), 1.5);
    assert_eq!(handle.set_control_clamped(&name, -3.0).unwrap(), 0.0);
}

#[test]
fn a_port_of_another_plugin_type_is_refused() {
    let mono = common::reference_descriptor("tp_amp", "tp_amp_mono");
    let stereo = common::reference_descriptor("tp_amp", "tp_amp_stereo");
    let mut handle = mono.instantiate(48_000).unwrap();
    let foreign = stereo.port(0).unwrap();
    let error = handle.set_control(foreign, 0.5).unwrap_err();
    assert!(
        matches!(error, PortError::OtherPluginType { index: 0, .. }),
        "{error:?}"
    );
    // A clone of the same descriptor is the same plugin type.
    let clone = mono.clone();
    handle.set_control(clone.port(0).unwrap(), 0.5).unwrap();
}

#[test]
fn errors_quote_the_name_and_list_the_control_inputs() {
    let stereo = common::reference_descriptor("tp_amp", "tp_amp_stereo");
    let mut handle = stereo.instantiate(48_000).unwrap();
    let missing = handle.set_control("Gian", 1.0).unwrap_err();
    assert!(matches!(&missing, PortError::NoSuchPort { port, .. } if port == "\"Gian\""));
    let text = missing.to_string();
    assert!(text.contains("tp_amp_stereo"), "{text}");
    assert!(
        text.contains(r#"no port "Gian"; its control inputs are 0 "Gain""#),
        "{text}"
    );
    let audio = handle.set_control("Input (Left)", 1.0).unwrap_err();
    assert!(
        matches!(audio, PortError::NotControl { index: 1, .. }),
        "{audio:?}"
    );
    assert!(
        audio
            .to_string()
            .contains(r#"its control inputs are 0 "Gain""#)
    );
    let out_of_range = handle.set_control(99, 1.0).unwrap_err();
    assert!(matches!(&out_of_range, PortError::NoSuchPort { port, .. } if port == "99"));
}

fn shared_names() -> ladspa_host::Descriptor {
    let path = ladspa_testplugins::hostile_plugin("tp_shared_names");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.expect("tp_shared_names loads");
    plugin.find_label("tp_shared_names").unwrap().clone()
}

#[test]
fn a_name_means_the_control_even_when_an_audio_port_comes_first() {
    let descriptor = shared_names();
    let mut handle = descriptor.instantiate(48_000).unwrap();
    handle.set_control("Frequency", 0.5).unwrap();
    assert_eq!(handle.control(2).unwrap(), 0.5);
    assert_eq!(handle.control("Frequency").unwrap(), 0.5);
    let mut handle = handle.activate();
    let mut output = [0.0_f32; 4];
    handle
        .run(4, &[&[1.0, 2.0, 3.0, 4.0]], &mut [&mut output])
        .unwrap();
    assert_eq!(output, [0.5, 1.0, 1.5, 2.0]);
    assert_eq!(handle.control("Meter").unwrap(), 2.0);
}

#[test]
fn a_name_that_several_candidates_share_is_ambiguous() {
    let descriptor = shared_names();
    let mut handle = descriptor.instantiate(48_000).unwrap();
    let error = handle.set_control("Mix", 0.5).unwrap_err();
    assert!(
        matches!(&error, PortError::Ambiguous { name, indices, .. } if name == "Mix" && indices == &[3, 4]),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains(r#"2 control ports are named "Mix" (ports 3, 4)"#),
        "{error}"
    );
    // By index, each is reachable.
    handle.set_control(3, 0.25).unwrap();
    handle.set_control(4, 0.75).unwrap();
    assert_eq!(
        (handle.control(3).unwrap(), handle.control(4).unwrap()),
        (0.25, 0.75)
    );
    // "Gain" is one input and one output: the setter has one candidate, the reader two.
    handle.set_control("Gain", 2.0).unwrap();
    assert_eq!(handle.control(6).unwrap(), 2.0);
    assert!(matches!(
        handle.control("Gain"),
        Err(PortError::Ambiguous { indices, .. }) if indices == [5, 6]
    ));
    // An output only the plugin sets.
    assert!(matches!(
        handle.set_control("Meter", 1.0),
        Err(PortError::NotInput { index: 7, .. })
    ));
}

/// Debian's mvclpf24 (Mvclpf-1 to -4) has an audio input "Frequency" (port 2) before its
/// control input "Frequency" (port 6): the control is what `set_control` means.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn a_control_shares_its_name_with_an_audio_port_in_mvclpf24() {
    // SAFETY: Debian's packaged plugins, loaded as every LADSPA host loads them.
    let plugin = unsafe { Plugin::load("/usr/lib/ladspa/mvclpf24.so") }.expect("mvclpf24 loads");
    let filter = plugin.find_label("Mvclpf-3").unwrap();
    assert!(filter.port(2).unwrap().is_audio());
    assert_eq!(filter.port(2).unwrap().name(), "Frequency");
    let mut handle = filter.instantiate(48_000).unwrap();
    handle.set_control("Frequency", 2.5).unwrap();
    assert_eq!(handle.control(6).unwrap(), 2.5);
    assert_eq!(filter.control_input("Frequency").unwrap().index(), 6);
}

/// Every control input of every Debian plugin is reachable by its name when no other control
/// input shares it, and a shared name is `Ambiguous` with exactly the sharing indices. The
/// lookup is the descriptor's, so nothing is instantiated.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn every_debian_control_input_is_reachable_by_its_name_or_ambiguous() {
    let dir = Path::new("/usr/lib/ladspa");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("/usr/lib/ladspa exists: the packages of the hardening issue are installed")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "so"))
        .collect();
    files.sort();
    assert!(files.len() >= 206, "only {} plugin files", files.len());
    let (mut unique, mut shared, mut behind_another_port) = (0, 0, 0);
    for path in &files {
        // SAFETY: Debian's packaged plugins, loaded as every LADSPA host loads them; all of
        // them load in-process (the sweep proves it in child processes first).
        let Ok(plugin) = (unsafe { Plugin::load(path) }) else {
            continue;
        };
        for descriptor in plugin.descriptors() {
            let mut by_name: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
            for port in descriptor
                .ports()
                .filter(|p| p.is_control() && p.is_input())
            {
                by_name
                    .entry(port.name().as_bytes().to_vec())
                    .or_default()
                    .push(port.index());
            }
            for (name, indices) in by_name {
                let text = String::from_utf8_lossy(&name).into_owned();
                let found = descriptor.control_input(text.as_str());
                if let [index] = indices[..] {
                    unique += 1;
                    let first = descriptor.port_by_name(&text).map(|p| p.index());
                    if first != Some(index) {
                        behind_another_port += 1;
                    }
                    assert_eq!(
                        found.map(|p| p.index()).ok(),
                        Some(index),
                        "{} {}: {text:?}",
                        path.display(),
                        descriptor.label()
                    );
                } else {
                    shared += indices.len();
                    match found {
                        Err(PortError::Ambiguous { indices: got, .. }) => assert_eq!(got, indices),
                        other => panic!(
                            "{} {}: {text:?} shared by {indices:?} gave {other:?}",
                            path.display(),
                            descriptor.label()
                        ),
                    }
                }
            }
        }
    }
    println!(
        "{} files: {unique} control inputs with a unique name ({behind_another_port} of them \
         behind another port of that name), {shared} sharing a name",
        files.len()
    );
    assert!(
        behind_another_port > 0 && shared > 0,
        "the cases this test is for exist"
    );
}
