//! Loading plugin files through the real loader: metadata of the reference plugins, a typed
//! error for every broken fixture, and a bad descriptor never spoiling its neighbours.

mod common;

use std::path::Path;

use ladspa_host::Defect;
use ladspa_host::{
    DefaultKind, Direction, FindError, LoadError, Plugin, PortKind, Properties, Query,
};

fn load(path: &Path) -> Result<Plugin, LoadError> {
    // SAFETY: the test plugins are trusted code (the broken ones are broken only in metadata).
    unsafe { Plugin::load(path) }
}

#[test]
fn reference_metadata_is_read_as_declared() {
    let plugin = load(&ladspa_testplugins::reference_plugin("tp_amp")).unwrap();
    assert!(plugin.rejected().is_empty());
    let labels: Vec<String> = plugin
        .descriptors()
        .iter()
        .map(|d| d.label().to_string())
        .collect();
    assert_eq!(labels, ["tp_amp_mono", "tp_amp_stereo"]);

    let mono = plugin.find_unique_id(7001).unwrap();
    assert_eq!(mono.label(), "tp_amp_mono");
    assert_eq!(mono.index(), 0);
    assert_eq!(mono.name().to_str().unwrap(), "Test Mono Amplifier");
    assert_eq!(mono.maker(), "ladspa-rs test plugins");
    assert_eq!(mono.copyright(), "None");
    assert!(mono.properties().contains(Properties::HARD_RT_CAPABLE));
    assert!(!mono.properties().contains(Properties::INPLACE_BROKEN));
    assert!(mono.has_activate() && mono.has_deactivate() && !mono.has_run_adding());
    assert_eq!(mono.path(), plugin.path());

    let ports: Vec<(usize, String, Direction, PortKind)> = mono
        .ports()
        .map(|p| (p.index(), p.name().to_string(), p.direction(), p.kind()))
        .collect();
    assert_eq!(
        ports,
        [
            (0, "Gain".into(), Direction::Input, PortKind::Control),
            (1, "Input".into(), Direction::Input, PortKind::Audio),
            (2, "Output".into(), Direction::Output, PortKind::Audio),
        ]
    );
    let gain = mono.port_by_name("Gain").unwrap().hint();
    assert_eq!((gain.lower_bound(), gain.upper_bound()), (Some(0.0), None));
    assert!(
        gain.is_logarithmic() && !gain.is_integer() && !gain.is_toggled() && !gain.is_sample_rate()
    );
    assert_eq!(gain.default_kind(), DefaultKind::One);

    let sine = load(&ladspa_testplugins::reference_plugin("tp_sine")).unwrap();
    let frequency = sine.find_label("tp_sine").unwrap().port(0).unwrap().hint();
    assert!(frequency.is_sample_rate() && frequency.is_logarithmic());
    assert_eq!(frequency.bounds_at(48000), (Some(0.0), Some(24000.0)));
    assert_eq!(frequency.default_value(48000), Some(440.0));

    let adding = load(&ladspa_testplugins::reference_plugin("tp_adding")).unwrap();
    assert!(adding.find_label("tp_adding_amp").unwrap().has_run_adding());
}

#[test]
fn every_broken_descriptor_is_refused_with_its_own_defect_and_spoils_nothing() {
    let path = ladspa_testplugins::broken_plugin("tp_bad_descriptors");
    let plugin = load(&path).unwrap();

    // The good ones load, whatever stands between them.
    let good: Vec<String> = plugin
        .descriptors()
        .iter()
        .map(|d| d.label().to_string())
        .collect();
    assert_eq!(good, ["tp_good_neighbour", "tp_latin1", "tp_good_tail"]);
    for descriptor in plugin.descriptors() {
        let mut handle = descriptor.instantiate(44100).unwrap().activate();
        let mut out = vec![0.0; 16];
        handle.run(16, &[&[0.5; 16]], &mut [&mut out]).unwrap();
    }

    let defects: Vec<(Option<&str>, &Defect)> = plugin
        .rejected()
        .iter()
        .map(|e| (e.label.as_deref(), &e.defect))
        .collect();
    let null_string = |field: &'static str| Defect::NullString {
        field: field.into(),
    };
    let null_array = |array: &'static str| Defect::NullPortArray {
        array: array.into(),
    };
    let missing = |function: &'static str| Defect::MissingFunction {
        function: function.into(),
    };
    let expected: Vec<(Option<&str>, Defect)> = vec![
        (None, null_string("Label")),
        (Some("bad_null_name"), null_string("Name")),
        (Some("bad_null_maker"), null_string("Maker")),
        (Some("bad_null_copyright"), null_string("Copyright")),
        (
            Some("bad_null_port_descriptors"),
            null_array("PortDescriptors"),
        ),
        (Some("bad_null_port_names"), null_array("PortNames")),
        (
            Some("bad_null_port_range_hints"),
            null_array("PortRangeHints"),
        ),
        (Some("bad_null_port_name"), Defect::NullPortName { port: 1 }),
        (
            Some("bad_port_input_and_output"),
            Defect::PortDirection {
                port: 1,
                name: "Input".into(),
                descriptor: 0x1 | 0x2 | 0x8,
            },
        ),
        (
            Some("bad_port_no_direction"),
            Defect::PortDirection {
                port: 1,
                name: "Input".into(),
                descriptor: 0x8,
            },
        ),
        (
            Some("bad_port_audio_and_control"),
            Defect::PortKind {
                port: 1,
                name: "Input".into(),
                descriptor: 0x1 | 0x4 | 0x8,
            },
        ),
        (
            Some("bad_port_no_kind"),
            Defect::PortKind {
                port: 1,
                name: "Input".into(),
                descriptor: 0x1,
            },
        ),
        (Some("bad_null_instantiate"), missing("instantiate")),
        (Some("bad_null_connect_port"), missing("connect_port")),
        (Some("bad_null_run"), missing("run")),
        (Some("bad_null_cleanup"), missing("cleanup")),
        (
            Some("bad_run_adding_without_gain"),
            Defect::RunAddingWithoutGain,
        ),
        (
            Some("bad_gain_without_run_adding"),
            Defect::GainWithoutRunAdding,
        ),
        (
            Some("bad_huge_port_count"),
            Defect::TooManyPorts { count: 1 << 40 },
        ),
    ];
    let expected: Vec<(Option<&str>, &Defect)> = expected
        .iter()
        .map(|(label, defect)| (*label, defect))
        .collect();
    assert_eq!(defects, expected);

    // Each error says where: file, index, label, port.
    let error = &plugin.rejected()[7];
    assert_eq!(error.index, 8);
    assert_eq!(error.file, path);
    let message = error.to_string();
    assert!(
        message.contains("tp_bad_descriptors.so")
            && message.contains("plugin 8")
            && message.contains("bad_null_port_name")
            && message.contains("port 1"),
        "{message}"
    );

    // Looking up a rejected label says why it was rejected.
    match plugin.find_label("bad_null_run") {
        Err(FindError::Invalid(error)) => assert_eq!(error.defect, missing("run")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        plugin.find(&Query::UniqueId(99)),
        Err(FindError::NotFound { .. })
    ));
}

#[test]
fn names_that_are_not_utf8_are_kept_not_rejected() {
    let plugin = load(&ladspa_testplugins::broken_plugin("tp_bad_descriptors")).unwrap();
    let latin1 = plugin.find_label("tp_latin1").unwrap();
    assert_eq!(latin1.name().as_bytes(), b"Caf\xe9 Amplifier");
    assert!(latin1.name().to_str().is_err());
    assert_eq!(latin1.name().to_string_lossy(), "Caf\u{FFFD} Amplifier");
    assert_eq!(latin1.name().to_string(), "Caf\u{FFFD} Amplifier");
    let odd_port = latin1
        .ports()
        .find(|p| p.name().to_str().is_err())
        .expect("a port with a Latin-1 name");
    assert!(odd_port.name().as_bytes().contains(&0xe9));
}

#[test]
fn a_file_without_ladspa_descriptor_is_not_a_plugin() {
    let path = ladspa_testplugins::broken_plugin("tp_no_symbol");
    match load(&path) {
        Err(error @ LoadError::NotLadspa { .. }) => {
            assert_eq!(error.file(), path);
            assert!(error.to_string().contains("ladspa_descriptor"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_with_no_descriptors_is_refused() {
    let path = ladspa_testplugins::broken_plugin("tp_no_descriptors");
    assert!(matches!(load(&path), Err(LoadError::NoDescriptors { file }) if file == path));
}

#[test]
fn a_file_whose_list_never_ends_is_refused_without_hanging() {
    let path = ladspa_testplugins::broken_plugin("tp_endless");
    assert!(matches!(load(&path), Err(LoadError::EndlessDescriptors { file }) if file == path));
}

#[test]
fn files_the_loader_refuses_carry_its_message() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("loading-refused");
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("text.so");
    std::fs::write(&text, "this is not an ELF file\n").unwrap();
    match load(&text) {
        Err(LoadError::Open { file, message }) => {
            assert_eq!(file, text);
            assert!(message.contains("text.so"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let missing = dir.join("missing.so");
    match load(&missing) {
        Err(error @ LoadError::Open { .. }) => {
            assert!(error.to_string().contains("No such file"), "{error}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_relative_path_without_a_slash_is_a_file_in_the_current_directory() {
    // The loader would otherwise search the system's library path for "libc.so.6".
    assert!(matches!(
        load(Path::new("libc.so.6")),
        Err(LoadError::Open { .. })
    ));
}
