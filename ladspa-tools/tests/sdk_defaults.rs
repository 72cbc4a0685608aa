//! The library's default of every control input of every plugin type Debian ships, against
//! the one the LADSPA SDK's `analyseplugin` prints (its formulas: sox, Ardour, Carla and
//! PipeWire compute the same). Opt-in: needs Debian's LADSPA packages, which `.ci/run`
//! installs; fails, never skips, when they are missing.
//!
//! Both sides run each plugin file in a child process with a timeout: the library through its
//! catalog's scan workers, the SDK's tool one process per file.

mod common;

use std::collections::BTreeMap;

use common::{SDK_DIR, debian_files, run, scratch, sdk_tool};
use ladspa_host::catalog::{PluginRecord, Scanner};
use ladspa_host::{DefaultKind, RangeHint};
use ladspa_tools::sdk::c_format::c_g;

/// The sample rate at which the library's defaults are compared with what analyseplugin prints
/// (which prints `X*srate` for `SAMPLE_RATE` ports): at 1 Hz they are `X` itself.
const UNIT_RATE: u32 = 1;

/// What analyseplugin printed for one control input: the text after `default `, if any.
type Printed = Option<String>;

/// The control inputs' printed defaults of each plugin type of `file`, by label, in port order
/// (`None` for other ports).
fn sdk_defaults(file: &std::path::Path, dir: &std::path::Path) -> BTreeMap<String, Vec<Printed>> {
    let output = run(
        &sdk_tool("analyseplugin"),
        &[file.to_str().unwrap()],
        dir,
        None,
    );
    assert!(
        output.status.code().is_some(),
        "analyseplugin {} was killed: {}",
        file.display(),
        output.status
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let mut plugins = BTreeMap::new();
    let mut label = None;
    let mut ports: Vec<Printed> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Plugin Label: \"") {
            if let Some(label) = label.take() {
                plugins.insert(label, std::mem::take(&mut ports));
            }
            label = Some(rest.trim_end_matches('"').to_owned());
            continue;
        }
        let Some(port) = line
            .strip_prefix("Ports:")
            .or_else(|| line.strip_prefix('\t'))
        else {
            continue;
        };
        let port = port.trim_start_matches('\t');
        // `"NAME" input, control, …`: the name may hold anything, so split after its end.
        let Some(after_name) = [
            "\" input, control",
            "\" output, control",
            "\" input, audio",
            "\" output, audio",
        ]
        .iter()
        .filter_map(|kind| port.rfind(kind).map(|at| &port[at + 1..]))
        .next() else {
            continue;
        };
        ports.push(if after_name.starts_with(" input, control") {
            after_name
                .split(", ")
                .find_map(|part| part.strip_prefix("default "))
                .map(str::to_owned)
        } else {
            None
        });
    }
    if let Some(label) = label {
        plugins.insert(label, ports);
    }
    plugins
}

/// Why the library's default of `hint` differs from what analyseplugin printed, if it does.
fn difference(hint: &RangeHint, printed: &Printed) -> Option<String> {
    let ours = hint.default_value(UNIT_RATE);
    let Some(printed) = printed else {
        return ours.map(|ours| format!("analyseplugin prints no default, ours is {ours}"));
    };
    let printed = printed.strip_suffix("*srate").unwrap_or(printed);
    let value: f64 = printed.parse().ok()?;
    let expected = if !value.is_finite() {
        // The host's own rule where the SDK's formula gives no number: linear between the
        // bounds of a logarithmic range with a negative bound, else no default.
        let raw = hint.raw();
        let negative_log = hint.is_logarithmic() && raw.LowerBound.min(raw.UpperBound) < 0.0;
        return match (ours, negative_log) {
            (Some(ours), true) if ours.is_finite() => None,
            (None, false) => None,
            _ => Some(format!(
                "analyseplugin prints {printed}, ours is {ours:?} (host rule)"
            )),
        };
    } else if hint.is_integer() {
        // analyseplugin prints the value before rounding.
        c_g(value.round())
    } else {
        printed.to_owned()
    };
    let Some(ours) = ours else {
        return Some(format!(
            "analyseplugin prints {printed}, we have no default"
        ));
    };
    if c_g(ours.into()) != expected {
        return Some(format!(
            "analyseplugin prints {printed}, ours is {ours} ({})",
            c_g(ours.into())
        ));
    }
    // Between the bounds, the SDK multiplies the value by the rate, in single precision.
    let between_bounds = matches!(
        hint.default_kind(),
        DefaultKind::Minimum
            | DefaultKind::Low
            | DefaultKind::Middle
            | DefaultKind::High
            | DefaultKind::Maximum
    );
    // (An INTEGER one is rounded after that: nothing to compare bit for bit.)
    if hint.is_sample_rate() && between_bounds && !hint.is_integer() {
        for rate in [44_100, 48_000, 96_000] {
            let scaled = ours * rate as f32;
            if hint.default_value(rate) != Some(scaled) {
                return Some(format!(
                    "at {rate} Hz ours is {:?}, not {scaled}",
                    hint.default_value(rate)
                ));
            }
        }
    }
    None
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn every_debian_control_input_defaults_as_the_sdk_says() {
    let dir = scratch("sdk_defaults");
    let files = debian_files();
    assert!(
        files.len() >= 200,
        "only {} plugin files in {SDK_DIR}: install Debian's LADSPA packages",
        files.len()
    );
    let catalog = Scanner::new()
        .without_cache()
        .scan_files(&files)
        .expect("the scan runs");
    let mut ours: BTreeMap<(String, String), &PluginRecord> = BTreeMap::new();
    for plugin in catalog.plugins() {
        let key = (
            plugin.path().display().to_string(),
            plugin.label().to_string(),
        );
        ours.insert(key, plugin);
    }
    let (mut types, mut inputs, mut with_default) = (0, 0, 0);
    let mut differences = Vec::new();
    for file in &files {
        for (label, printed) in sdk_defaults(file, &dir) {
            types += 1;
            let key = (file.display().to_string(), label);
            let Some(plugin) = ours.remove(&key) else {
                differences.push(format!(
                    "{key:?}: analyseplugin lists it, our scan does not"
                ));
                continue;
            };
            assert_eq!(printed.len(), plugin.ports().len(), "{key:?}");
            for (port, printed) in plugin.ports().iter().zip(&printed) {
                if !(port.is_control() && port.is_input()) {
                    continue;
                }
                inputs += 1;
                with_default += usize::from(printed.is_some());
                if let Some(why) = difference(&port.hint(), printed) {
                    differences.push(format!(
                        "{}:{} port {} \"{}\" (hint {:#x}, {} to {}): {why}",
                        key.0,
                        key.1,
                        port.index(),
                        port.name(),
                        port.hint().raw().HintDescriptor,
                        port.hint().raw().LowerBound,
                        port.hint().raw().UpperBound,
                    ));
                }
            }
        }
    }
    for key in ours.keys() {
        differences.push(format!(
            "{key:?}: our scan lists it, analyseplugin does not"
        ));
    }
    eprintln!(
        "{} files, {types} plugin types, {inputs} control inputs ({with_default} with a default): {} differences",
        files.len(),
        differences.len()
    );
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
    assert!(types >= 490, "only {types} plugin types compared");
    assert!(inputs >= 24_000, "only {inputs} control inputs compared");
}

/// `ladspa info` shows the library's defaults: two of the ports whose default the SDK's
/// formulas decide (a bound value without its flag; a logarithmic default from 0).
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn ladspa_info_shows_the_sdks_defaults() {
    let dir = scratch("sdk_defaults_info");
    let ladspa = std::path::PathBuf::from(env!("CARGO_BIN_EXE_ladspa"));
    let cases = [
        ("cmt.so:grain_scatter", "Density (Grains/s)", 10.0),
        ("cmt.so:freeverb3", "Damping", 0.0),
    ];
    for (plugin, port, expected) in cases {
        let output = run(
            &ladspa,
            &["info", "--json", plugin],
            &dir,
            Some(SDK_DIR.as_ref()),
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{plugin}: {text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let found = json["plugins"][0]["ports"]
            .as_array()
            .unwrap_or_else(|| panic!("{plugin}: no ports in {text}"))
            .iter()
            .find(|p| p["name"] == port)
            .unwrap_or_else(|| panic!("{plugin}: no port {port} in {text}"));
        assert_eq!(found["default"].as_f64(), Some(expected), "{plugin} {port}");
    }
}
