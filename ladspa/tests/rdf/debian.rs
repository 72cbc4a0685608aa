//! Opt-in: every RDF file that Debian's LADSPA packages install (`.ci/run` installs them) is
//! read without error, and what is found about each plugin (its stated classes, every scale
//! point, every preset and its values) is the same as a second, independent reading of the same
//! files by `lrdf_counts.py` (Python's expat and a separate RDF/XML reading).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use ladspa_host::Plugin;
use ladspa_host::rdf::{Database, RdfPath};

const DEBIAN_RDF_DIR: &str = "/usr/share/ladspa/rdf";

/// tap_reverb's "Reverb Type" values, in the order of `tap_reverb.rdf` (values 0 to 42).
const TAP_REVERB_TYPES: [&str; 43] = [
    "AfterBurn",
    "AfterBurn (Long)",
    "Ambience",
    "Ambience (Thick)",
    "Ambience (Thick) - HD",
    "Cathedral",
    "Cathedral - HD",
    "Drum Chamber",
    "Garage",
    "Garage (Bright)",
    "Gymnasium",
    "Gymnasium (Bright)",
    "Gymnasium (Bright) - HD",
    "Hall (Small)",
    "Hall (Medium)",
    "Hall (Large)",
    "Hall (Large) - HD",
    "Plate (Small)",
    "Plate (Medium)",
    "Plate (Large)",
    "Plate (Large) - HD",
    "Pulse Chamber",
    "Pulse Chamber (Reverse)",
    "Resonator (96 ms)",
    "Resonator (152 ms)",
    "Resonator (208 ms)",
    "Room (Small)",
    "Room (Medium)",
    "Room (Large)",
    "Room (Large) - HD",
    "Slap Chamber",
    "Slap Chamber - HD",
    "Slap Chamber (Bright)",
    "Slap Chamber (Bright) - HD",
    "Smooth Hall (Small)",
    "Smooth Hall (Medium)",
    "Smooth Hall (Large)",
    "Smooth Hall (Large) - HD",
    "Vocal Plate",
    "Vocal Plate - HD",
    "Warble Chamber",
    "Warehouse",
    "Warehouse - HD",
];

/// Facts about the plugins, in a form both readings give: sorted sets of text lines.
#[derive(Debug, Default, PartialEq)]
struct Facts {
    plugins: BTreeSet<u64>,
    points: Vec<String>,
    presets: Vec<String>,
    values: Vec<String>,
}

fn debian_files() -> Vec<PathBuf> {
    let listing = RdfPath::new([DEBIAN_RDF_DIR]).files();
    assert!(listing.errors.is_empty(), "{:?}", listing.errors);
    assert!(
        listing.files.len() >= 10,
        "Debian's plugin packages install at least 10 RDF files in {DEBIAN_RDF_DIR}; found {:?}: \
         run .ci/run, which installs them",
        listing.files
    );
    listing.files
}

/// The field as the Python side writes it: tabs and line breaks as spaces.
fn field(text: &str) -> String {
    text.replace(['\t', '\n'], " ")
}

/// Runs the Python reading; returns its facts and the stated classes of each plugin.
fn python_reading(files: &[PathBuf]) -> (Facts, BTreeMap<u64, Vec<String>>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rdf/lrdf_counts.py");
    let output = Command::new("python3")
        .arg(&script)
        .args(files)
        .output()
        .expect("python3 runs (CI always has it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("the script prints UTF-8");
    let mut facts = Facts::default();
    let mut classes = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let number = |text: &str| -> f32 { text.parse().expect("the script prints numbers") };
        match fields.as_slice() {
            ["plugin", id, stated] => {
                let id = id.parse().unwrap();
                facts.plugins.insert(id);
                let stated = stated.split(',').filter(|c| !c.is_empty());
                classes.insert(id, stated.map(str::to_owned).collect());
            }
            ["point", id, port, value, label] => facts
                .points
                .push(format!("{id} {port} {} {label}", number(value))),
            ["preset", id, n, kind, name] => facts.presets.push(format!("{id} {n} {kind} {name}")),
            ["value", id, n, port, value] => facts
                .values
                .push(format!("{id} {n} {port} {}", number(value))),
            ["failed", file, message] => panic!("Python could not read {file}: {message}"),
            _ => panic!("unexpected line from the script: {line:?}"),
        }
    }
    (facts, classes)
}

fn rust_reading(database: &Database) -> Facts {
    let mut facts = Facts::default();
    for plugin in database.plugins() {
        let id = plugin.unique_id();
        facts.plugins.insert(id);
        for port in plugin.ports() {
            for point in port.scale_points() {
                let label = field(&point.label);
                facts
                    .points
                    .push(format!("{id} {} {} {label}", port.index(), point.value));
            }
        }
        for (n, preset) in plugin.presets().iter().enumerate() {
            let kind = if preset.is_default() {
                "default"
            } else {
                "preset"
            };
            let name = field(preset.name().unwrap_or(""));
            facts.presets.push(format!("{id} {n} {kind} {name}"));
            for value in preset.values() {
                facts
                    .values
                    .push(format!("{id} {n} {} {}", value.port, value.value));
            }
        }
    }
    facts
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn every_debian_rdf_file_reads_and_agrees_with_a_second_reading() {
    let files = debian_files();
    let database = Database::load(&RdfPath::new([DEBIAN_RDF_DIR]));
    assert!(database.errors().is_empty(), "{:#?}", database.errors());
    assert_eq!(database.files(), files);

    let (python, stated_classes) = python_reading(&files);
    let rust = rust_reading(&database);
    assert_eq!(rust.plugins, python.plugins);
    assert_eq!(rust.points, python.points);
    assert_eq!(rust.presets, python.presets);
    assert_eq!(rust.values, python.values);

    // The class found is one of those stated (the most specific), and found whenever one is.
    let mut classed = 0;
    for plugin in database.plugins() {
        let stated = &stated_classes[&plugin.unique_id()];
        match plugin.class() {
            Some(class) => {
                assert!(
                    stated.contains(&class.name),
                    "{}: {class:?}",
                    plugin.unique_id()
                );
                classed += 1;
            }
            None => assert!(stated.is_empty(), "{}: {stated:?}", plugin.unique_id()),
        }
    }
    let defaults = database
        .plugins()
        .filter(|plugin| plugin.default_preset().is_some())
        .count();
    let classes_used: BTreeSet<&str> = database
        .plugins()
        .filter_map(|plugin| plugin.class().map(|class| class.name.as_str()))
        .collect();
    let unlabelled: Vec<&str> = database
        .classes()
        .iter()
        .filter(|class| class.label.is_none())
        .map(|class| class.name.as_str())
        .collect();
    // Printed for the record (`--nocapture`); the assertions above are the check.
    println!(
        "{} files: {} plugins, {} scale points, {} presets ({} plugins with a default), \
         {} preset values, {classed} plugins with a class ({} classes used, {} known, \
         without a label: {unlabelled:?})",
        files.len(),
        rust.plugins.len(),
        rust.points.len(),
        rust.presets.len(),
        defaults,
        rust.values.len(),
        classes_used.len(),
        database.classes().len(),
    );
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn tap_reverb_has_its_43_reverb_types_by_name() {
    let database = Database::load(&RdfPath::new([DEBIAN_RDF_DIR]));
    // SAFETY: Debian's tap-plugins are trusted by the test machine.
    let plugin = unsafe { Plugin::load("/usr/lib/ladspa/tap_reverb.so") }
        .expect("tap-plugins is installed (by .ci/run)");
    let reverb = plugin.find_label("tap_reverb").unwrap();
    assert_eq!(reverb.unique_id(), 2142);
    let rdf = reverb.rdf(&database).expect("tap_reverb.rdf describes it");
    assert_eq!(rdf.class().unwrap().to_string(), "Reverbs");

    // Port 7 of the real plugin is the one the RDF names.
    assert_eq!(reverb.port(7).unwrap().name(), "Reverb Type");
    let port = rdf.port(7).unwrap();
    assert_eq!(port.label(), Some("type"));
    let names: Vec<&str> = port
        .scale_points()
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(names, TAP_REVERB_TYPES);
    for (value, point) in port.scale_points().iter().enumerate() {
        assert_eq!(point.value, value as f32, "{point}");
    }
    assert_eq!(port.label_of(15.0), Some("Hall (Large)"));

    // Its default setting applies to a real instance.
    let default = rdf.default_preset().expect("tap_reverb.rdf has a default");
    let mut handle = reverb.instantiate(48_000).unwrap();
    handle.apply_preset(default).unwrap();
    for value in default.values() {
        assert_eq!(handle.control(value.port).unwrap(), value.value);
    }
}
