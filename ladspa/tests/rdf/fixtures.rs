//! Reading the fixture files written for these tests (`tests/rdf/fixtures/`): what each says,
//! facts merged across files, classes, the listing of a directory, and one typed error per bad
//! file while the others are read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ladspa_host::rdf::{Database, RdfError, RdfPath, Units};

use crate::fixture_files::{fixture, fixture_dir, fixtures};

#[test]
fn a_directory_lists_its_rdf_and_rdfs_files_sorted_and_nothing_else() {
    let listing = RdfPath::new([fixture_dir()]).files();
    assert!(listing.errors.is_empty(), "{:?}", listing.errors);
    let names: Vec<String> = listing
        .files
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "classes.rdfs",
            "elsewhere.rdf",
            "reverb.rdf",
            "testplugins.rdf",
            "unknown.rdf"
        ]
    );
}

#[test]
fn the_rdf_path_comes_from_the_variable_or_the_defaults() {
    let path = RdfPath::from_env_value(Some("/a::/b:/a:".as_ref()));
    assert_eq!(path.dirs(), [Path::new("/a"), Path::new("/b")]);
    assert_eq!(path.to_string(), "/a:/b");
    let defaults = [
        Path::new("/usr/local/share/ladspa/rdf"),
        Path::new("/usr/share/ladspa/rdf"),
    ];
    assert_eq!(RdfPath::from_env_value(None).dirs(), defaults);
    assert_eq!(RdfPath::from_env_value(Some(":".as_ref())).dirs(), defaults);
    // Missing directories are skipped without an error.
    let missing = RdfPath::new([
        "/nonexistent/ladspa-rs-rdf",
        &*fixture_dir().to_string_lossy(),
    ]);
    let listing = missing.files();
    assert!(listing.errors.is_empty());
    assert_eq!(listing.files.len(), 5);
}

#[test]
fn a_plugin_has_its_class_ports_units_scale_points_and_presets() {
    let database = fixtures(&["reverb.rdf"]);
    let reverb = database.plugin(7003).expect("reverb.rdf describes 7003");
    assert_eq!(reverb.title(), Some("Test Reverb")); // trimmed
    assert_eq!(reverb.creator(), Some("The ladspa-rs tests"));
    let class = reverb.class().unwrap();
    assert_eq!(
        (class.name.as_str(), class.to_string()),
        ("ReverbPlugin", "Reverbs".into())
    );
    let ancestors: Vec<String> = reverb
        .class_ancestors()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(ancestors, ["Time", "Simulators"]);

    let indices: Vec<usize> = reverb.ports().iter().map(|port| port.index()).collect();
    assert_eq!(indices, [0, 1, 2]);
    let decay = reverb.port(0).unwrap();
    assert_eq!(
        (decay.label(), decay.units()),
        (Some("decay"), Some(&Units::Seconds))
    );
    assert_eq!(Units::Seconds.to_string(), "s");
    // Points without a number or a label are left out; the Latin-1 label is decoded.
    let points: Vec<String> = reverb
        .scale_points(1)
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(points, ["0 = Hall", "1 = Room", "2 = Caf\u{e9}"]);
    assert_eq!(reverb.port(1).unwrap().label_of(1.0), Some("Room"));
    assert_eq!(reverb.port(1).unwrap().label_of(1.5), None);
    assert!(reverb.scale_points(2).is_empty() && reverb.port(3).is_none());

    let presets: Vec<String> = reverb.presets().iter().map(|p| p.to_string()).collect();
    assert_eq!(presets, ["preset \"Long tail\"", "default preset"]);
    // NaN and a port of another plugin are left out; "0.5f" is read as liblrdf reads it.
    let long_tail: Vec<(usize, f32)> = reverb
        .preset("Long tail")
        .unwrap()
        .values()
        .iter()
        .map(|value| (value.port, value.value))
        .collect();
    assert_eq!(long_tail, [(0, 0.75), (1, 0.5)]);
    let default = reverb.default_preset().unwrap();
    assert!(default.is_default() && default.name().is_none() && default.plugin() == 7003);
    assert_eq!(default.values()[0].value, 0.25);
}

#[test]
fn facts_about_one_port_are_merged_across_files() {
    let alone = fixtures(&["elsewhere.rdf"]);
    let port = alone.plugin(7003).unwrap().port(0).unwrap();
    let points: Vec<String> = port.scale_points().iter().map(|p| p.to_string()).collect();
    assert_eq!(points, ["0.1 = Short", "10 = Endless ✓"]);
    assert!(alone.plugin(7003).unwrap().class().is_none());

    let both = fixtures(&["reverb.rdf", "elsewhere.rdf"]);
    let reverb = both.plugin(7003).unwrap();
    assert_eq!(reverb.class().unwrap().name, "ReverbPlugin");
    let port = reverb.port(0).unwrap();
    assert_eq!(
        (port.label(), port.units()),
        (Some("decay"), Some(&Units::Seconds))
    );
    assert_eq!(port.scale_points().len(), 2);
    // Reading a file twice (the same file in two directories) adds nothing.
    let twice = fixtures(&["reverb.rdf", "elsewhere.rdf", "reverb.rdf"]);
    assert_eq!(twice.plugin(7003), both.plugin(7003));
}

#[test]
fn declared_classes_join_the_hierarchy_and_cycles_end() {
    let database = fixtures(&["classes.rdfs"]);
    let plugin = database.plugin(7004).unwrap();
    let class = plugin.class().unwrap();
    assert_eq!(
        (class.name.as_str(), class.label.as_deref()),
        ("ShimmerPlugin", Some("Shimmers"))
    );
    let ancestors: Vec<&str> = plugin
        .class_ancestors()
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(ancestors, ["ReverbPlugin", "TimePlugin", "SimulatorPlugin"]);
    let known: BTreeSet<&str> = database.classes().iter().map(|c| c.name.as_str()).collect();
    assert!(known.contains("ShimmerPlugin") && known.contains("GatePlugin"));
    assert!(!known.contains("LoopAPlugin") && !known.contains("Plugin"));
    // Typed only with a class that never reaches Plugin: no class.
    assert!(database.plugin(16777214).unwrap().class().is_none());
}

#[test]
fn a_plugin_node_not_named_by_its_id_is_found_through_its_ports() {
    let database = fixtures(&["testplugins.rdf"]);
    let shared = database.plugin(7440).unwrap();
    assert_eq!(shared.class().unwrap().to_string(), "Filters");
    assert_eq!(shared.presets().len(), 4);
    assert!(shared.default_preset().is_none());
}

#[test]
fn facts_about_unknown_ids_are_kept_apart() {
    let with = fixtures(&["reverb.rdf", "unknown.rdf"]);
    let without = fixtures(&["reverb.rdf"]);
    let unknown = with.plugin(16777215).unwrap();
    assert_eq!(unknown.scale_points(500).len(), 1);
    assert_eq!(unknown.default_preset().unwrap().values()[0].port, 500);
    assert_eq!(with.plugin(7003), without.plugin(7003));
    let ids: Vec<u64> = with.plugins().map(|plugin| plugin.unique_id()).collect();
    assert_eq!(ids, [7003, 16777215]);
}

fn bad(name: &str) -> PathBuf {
    fixture(&format!("bad/{name}"))
}

#[test]
fn each_bad_file_is_a_typed_error_and_the_others_are_read() {
    let database = Database::load(&RdfPath::new([fixture_dir(), fixture("bad")]));
    assert_eq!(database.files().len(), 5, "{:?}", database.files());
    assert!(database.plugin(7003).is_some() && database.plugin(7440).is_some());
    assert!(
        database.plugin(7005).is_none(),
        "no fact of a bad file is kept"
    );
    let errors: Vec<String> = database.errors().iter().map(ToString::to_string).collect();
    assert_eq!(database.errors().len(), 5, "{errors:#?}");

    let error_of = |name: &str| {
        database
            .errors()
            .iter()
            .find(|error| error.path() == bad(name))
            .unwrap_or_else(|| panic!("no error for {name}: {errors:#?}"))
    };
    let unclosed = error_of("unclosed.rdf");
    assert!(
        matches!(unclosed, RdfError::Xml { line: 5, .. }),
        "{unclosed:?}"
    );
    let not_rdf = error_of("not-rdf.rdf");
    assert!(
        matches!(not_rdf, RdfError::Rdf { line: 2, .. }),
        "{not_rdf:?}"
    );
    assert!(not_rdf.to_string().contains("not rdf:RDF"), "{not_rdf}");
    let text = error_of("text-in-node.rdf");
    assert!(matches!(text, RdfError::Rdf { line: 4, .. }), "{text:?}");
    let latin1 = error_of("latin1-undeclared.rdf");
    assert!(
        matches!(latin1, RdfError::InvalidUtf8 { line: 4, .. }),
        "{latin1:?}"
    );
    let entity = error_of("unknown-entity.rdf");
    assert!(
        matches!(entity, RdfError::Xml { line: 4, .. }),
        "{entity:?}"
    );
    // Every message names its file.
    for (error, text) in database.errors().iter().zip(&errors) {
        assert!(text.starts_with(&*error.path().to_string_lossy()), "{text}");
    }
}

#[test]
fn unreadable_files_directories_and_huge_files_are_typed_errors() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rdf-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("directory.rdf")).unwrap();
    let huge = dir.join("huge.rdf");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(ladspa_host::rdf::MAX_FILE_BYTES + 1)
        .unwrap();
    let missing = dir.join("missing.rdf");
    let database = Database::from_files([
        dir.join("directory.rdf"),
        huge,
        missing,
        fixture("reverb.rdf"),
    ]);
    let errors = database.errors();
    assert_eq!(database.files(), [fixture("reverb.rdf")]);
    assert!(
        matches!(errors[0], RdfError::NotRegularFile { .. }),
        "{errors:?}"
    );
    assert!(
        matches!(errors[1], RdfError::TooLarge { size, .. } if size == ladspa_host::rdf::MAX_FILE_BYTES + 1)
    );
    assert!(
        matches!(&errors[2], RdfError::Unreadable { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
