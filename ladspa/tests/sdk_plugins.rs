//! The five example plugins of Debian's `ladspa-sdk`, through the real loader: metadata and
//! defaults as `analyseplugin` reports them, and instances run. Opt-in: they need the package
//! (`.ci/run` installs it), and fail when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use ladspa_host::{Descriptor, Plugin};

const SDK_DIR: &str = "/usr/lib/ladspa";
const SDK_FILES: [&str; 5] = ["amp", "delay", "filter", "noise", "sine"];

fn sdk_file(name: &str) -> PathBuf {
    let path = Path::new(SDK_DIR).join(format!("{name}.so"));
    assert!(
        path.is_file(),
        "{} is missing: install Debian's ladspa-sdk",
        path.display()
    );
    path
}

fn load(name: &str) -> Plugin {
    // SAFETY: Debian's example plugins are trusted code.
    unsafe { Plugin::load(sdk_file(name)) }.unwrap_or_else(|e| panic!("{e}"))
}

/// What analyseplugin prints for a port line, rebuilt from our metadata, in its format.
fn port_line(descriptor: &Descriptor, index: usize) -> String {
    let port = descriptor.port(index).unwrap();
    let hint = port.hint();
    let mut line = format!(
        "\"{}\" {}, {}",
        port.name(),
        if port.is_input() { "input" } else { "output" },
        if port.is_audio() { "audio" } else { "control" }
    );
    let srate = |bound: f32| {
        if hint.is_sample_rate() && bound != 0.0 {
            format!("{}*srate", c_g(bound))
        } else {
            c_g(bound)
        }
    };
    match (hint.lower_bound(), hint.upper_bound()) {
        (Some(lower), Some(upper)) => line += &format!(", {} to {}", srate(lower), srate(upper)),
        (Some(lower), None) => line += &format!(", {} to ...", srate(lower)),
        (None, Some(upper)) => line += &format!(", ... to {}", srate(upper)),
        (None, None) => {}
    }
    // The SDK plugins' defaults are all rate-independent values: our default at any rate is
    // what analyseplugin prints.
    if let Some(default) = hint.default_value(44100) {
        line += &format!(", default {}", c_g(default));
    }
    if hint.is_logarithmic() {
        line += ", logarithmic";
    }
    line
}

/// C's `%g` for the values the SDK plugins use (six significant digits, no trailing zeros).
fn c_g(value: f32) -> String {
    let rounded = format!("{:.5e}", value);
    let parsed: f64 = rounded.parse().unwrap();
    let text = format!("{parsed}");
    text
}

fn analyseplugin(file: &Path, label: &str) -> String {
    let output = Command::new("analyseplugin")
        .arg(file)
        .arg(label)
        .output()
        .expect("analyseplugin runs (install Debian's ladspa-sdk)");
    assert!(
        output.status.success(),
        "analyseplugin {} {label} failed",
        file.display()
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn metadata_and_defaults_match_analyseplugin() {
    let mut labels = 0;
    for name in SDK_FILES {
        let plugin = load(name);
        assert!(plugin.rejected().is_empty(), "{:?}", plugin.rejected());
        for descriptor in plugin.descriptors() {
            labels += 1;
            let report = analyseplugin(plugin.path(), &descriptor.label().to_string());
            let field = |key: &str| {
                report
                    .lines()
                    .find_map(|line| line.strip_prefix(key))
                    .unwrap_or_else(|| panic!("no `{key}` in:\n{report}"))
                    .to_owned()
            };
            let yes_no = |b: bool| if b { "Yes" } else { "No" };
            assert_eq!(field("Plugin Name: "), format!("\"{}\"", descriptor.name()));
            assert_eq!(
                field("Plugin Label: "),
                format!("\"{}\"", descriptor.label())
            );
            assert_eq!(
                field("Plugin Unique ID: "),
                descriptor.unique_id().to_string()
            );
            assert_eq!(field("Maker: "), format!("\"{}\"", descriptor.maker()));
            assert_eq!(
                field("Copyright: "),
                format!("\"{}\"", descriptor.copyright())
            );
            assert_eq!(
                field("Has activate() Function: "),
                yes_no(descriptor.has_activate())
            );
            assert_eq!(
                field("Has deactivate() Function: "),
                yes_no(descriptor.has_deactivate())
            );
            assert_eq!(
                field("Has run_adding() Function: "),
                yes_no(descriptor.has_run_adding())
            );
            let ports: Vec<String> = report
                .lines()
                .skip_while(|line| !line.starts_with("Ports:"))
                .map(|line| {
                    line.trim_start_matches("Ports:")
                        .trim_start_matches('\t')
                        .to_owned()
                })
                .filter(|line| !line.is_empty())
                .collect();
            let ours: Vec<String> = (0..descriptor.port_count())
                .map(|i| port_line(descriptor, i))
                .collect();
            assert_eq!(ours, ports, "{} {}", name, descriptor.label());
        }
    }
    assert_eq!(labels, 10, "the five SDK files hold ten plugin types");
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn sdk_plugins_run_through_the_same_lifecycle() {
    // amp.so has no activate/deactivate; delay.so and filter.so have activate only.
    let amp = load("amp");
    let mono = amp.find_label("amp_mono").unwrap();
    assert!(!mono.has_activate() && !mono.has_deactivate());
    let mut handle = mono.instantiate(44100).unwrap();
    handle.set_control("Gain", 2.0).unwrap();
    let mut handle = handle.activate();
    let mut out = vec![0.0; 256];
    handle.run(256, &[&[0.25; 256]], &mut [&mut out]).unwrap();
    assert_eq!(out, vec![0.5; 256]);
    let mut buffer = vec![0.25_f32; 256];
    handle.run_in_place(256, &mut [&mut buffer]).unwrap();
    assert_eq!(buffer, vec![0.5; 256]);
    let handle = handle.deactivate().activate();
    drop(handle);

    let delay = load("delay");
    let line = delay.find_label("delay_5s").unwrap();
    let mut handle = line.instantiate(1000).unwrap();
    handle.set_control("Delay (Seconds)", 0.01).unwrap();
    handle.set_control("Dry/Wet Balance", 1.0).unwrap();
    let mut handle = handle.activate();
    let mut impulse = vec![0.0; 64];
    impulse[0] = 1.0;
    let mut out = vec![0.0; 64];
    handle.run(64, &[&impulse], &mut [&mut out]).unwrap();
    assert_eq!(out[10], 1.0, "the SDK delay delays by 10 samples: {out:?}");

    let noise = load("noise");
    let white = noise.find_label("noise_white").unwrap();
    assert!(white.has_run_adding());
    let mut handle = white.instantiate(44100).unwrap();
    handle.set_run_adding_gain(0.0).unwrap();
    let mut handle = handle.activate();
    let mut out = vec![0.5; 128];
    handle
        .run_adding(128, &ladspa_host::NO_BUFFERS, &mut [&mut out])
        .unwrap();
    assert_eq!(out, vec![0.5; 128], "a gain of 0 adds nothing");
    handle
        .run(128, &ladspa_host::NO_BUFFERS, &mut [&mut out])
        .unwrap();
    assert!(out.iter().any(|&s| s != 0.5));

    let sine = load("sine");
    for descriptor in sine.descriptors() {
        let mut handle = descriptor.instantiate(48000).unwrap().activate();
        // Audio-rate frequency and amplitude inputs: 440 Hz at full scale.
        let inputs: Vec<Vec<f32>> = descriptor
            .ports()
            .filter(|p| p.is_audio() && p.is_input())
            .map(|p| {
                vec![
                    if p.name().to_string().starts_with("Frequency") {
                        440.0
                    } else {
                        1.0
                    };
                    480
                ]
            })
            .collect();
        let inputs: Vec<&[f32]> = inputs.iter().map(Vec::as_slice).collect();
        let mut out = vec![0.0; 480];
        handle.run(480, &inputs, &mut [&mut out]).unwrap();
        let peak = out.iter().fold(0.0_f32, |m, s| m.max(s.abs()));
        assert!(
            (0.9..=1.0001).contains(&peak),
            "{}: peak {peak}",
            descriptor.label()
        );
    }
}

/// The whole hint matrix of the test plugin `tp_hints`, against what `analyseplugin` prints for
/// each port: `default X` is our default (rounded where the port is `integer`: analyseplugin
/// prints the value before rounding, LADSPA asks for an integer), and `default X*srate` is our
/// default at a sample rate divided by that rate.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn the_hint_matrix_defaults_match_analyseplugin() {
    let path = ladspa_testplugins::reference_plugin("tp_hints");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(&path) }.unwrap();
    let hints = plugin.find_label("tp_hints").unwrap();
    let report = analyseplugin(&path, "tp_hints");
    let port_lines: Vec<&str> = report
        .lines()
        .skip_while(|line| !line.starts_with("Ports:"))
        .map(|line| line.trim_start_matches("Ports:").trim_start_matches('\t'))
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(port_lines.len(), hints.port_count());
    let rate = 48000;
    let mut compared = 0;
    for (port, line) in hints.ports().zip(&port_lines) {
        assert!(line.starts_with(&format!("\"{}\"", port.name())), "{line}");
        let printed = line
            .split(", ")
            .find_map(|part| part.strip_prefix("default "));
        let ours = port.hint().default_value(rate);
        let Some(printed) = printed else {
            assert_eq!(ours, None, "{line}");
            continue;
        };
        let ours =
            ours.unwrap_or_else(|| panic!("analyseplugin has a default, we have none: {line}"));
        let (value, per_sample_rate) = match printed.strip_suffix("*srate") {
            Some(value) => (value.parse::<f32>().unwrap(), true),
            None => (printed.parse::<f32>().unwrap(), false),
        };
        let expected = match (per_sample_rate, port.hint().is_integer()) {
            (true, _) => value * rate as f32,
            (false, true) => value.round(),
            (false, false) => value,
        };
        // analyseplugin prints six significant digits.
        let tolerance = expected.abs().max(1e-3) * 1e-5;
        assert!(
            (ours - expected).abs() <= tolerance,
            "{line}: ours {ours}, analyseplugin {expected}"
        );
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} defaults compared");
}
