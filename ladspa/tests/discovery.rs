//! Discovery: the search path, resolving names like the SDK tools, and scans in which one bad
//! file never stops the rest.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use ladspa_host::discovery::{DiscoveryError, SearchPath};
use ladspa_host::{LoadError, Query};

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("discovery")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn ladspa_path_skips_empty_entries_and_duplicates_and_keeps_order() {
    let path = SearchPath::parse(OsStr::new(":/b::/a:/b:/c/:/a:"));
    assert_eq!(
        path.dirs(),
        [Path::new("/b"), Path::new("/a"), Path::new("/c/")]
    );
    assert_eq!(path.to_string(), "/b:/a:/c/");
}

#[test]
fn an_unset_or_empty_ladspa_path_falls_back_to_the_defaults() {
    for value in [None, Some(OsStr::new("")), Some(OsStr::new(":::"))] {
        assert_eq!(
            SearchPath::from_env_value(value),
            SearchPath::standard(),
            "{value:?}"
        );
    }
    let defaults = SearchPath::standard();
    let dirs: Vec<&Path> = defaults.dirs().iter().map(PathBuf::as_path).collect();
    let home = std::env::var_os("HOME").map(|home| Path::new(&home).join(".ladspa"));
    let mut expected: Vec<&Path> = home.iter().map(PathBuf::as_path).collect();
    expected.extend([
        Path::new("/usr/local/lib/ladspa"),
        Path::new("/usr/lib/ladspa"),
    ]);
    expected.extend(
        ["/usr/lib64/ladspa", "/usr/local/lib64/ladspa"]
            .map(Path::new)
            .into_iter()
            .filter(|d| d.is_dir()),
    );
    assert_eq!(dirs, expected);
    assert_eq!(
        SearchPath::from_env_value(Some(OsStr::new("/x"))).dirs(),
        [Path::new("/x")]
    );
}

#[test]
fn bare_names_resolve_along_the_path_like_the_sdk_tools() {
    let (first, second) = (scratch_dir("resolve-first"), scratch_dir("resolve-second"));
    std::fs::write(second.join("amp.so"), "").unwrap();
    std::fs::write(first.join("delay.so"), "").unwrap();
    std::fs::write(second.join("delay.so"), "").unwrap();
    std::fs::write(second.join("odd"), "").unwrap();
    let path = SearchPath::new([&first, &second]);

    assert_eq!(
        path.resolve("amp").unwrap(),
        second.join("amp.so"),
        "`.so` is appended"
    );
    assert_eq!(path.resolve("amp.so").unwrap(), second.join("amp.so"));
    assert_eq!(
        path.resolve("delay").unwrap(),
        first.join("delay.so"),
        "directories in order"
    );
    assert_eq!(
        path.resolve("odd").unwrap(),
        second.join("odd"),
        "names without .so are tried as they are first"
    );
    assert_eq!(
        path.resolve("./anything.so").unwrap(),
        PathBuf::from("./anything.so"),
        "a name with / is a path"
    );
    assert_eq!(
        path.resolve(second.join("amp")).unwrap(),
        second.join("amp.so"),
        "a path gets `.so` too"
    );
    assert_eq!(
        path.resolve(second.join("odd")).unwrap(),
        second.join("odd")
    );
    match path.resolve("reverb") {
        Err(error @ DiscoveryError::FileNotFound { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("reverb") && message.contains(&*first.to_string_lossy()),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_scan_reports_every_file_and_goes_on_past_bad_ones() {
    let dir = scratch_dir("scan-mixed");
    let link =
        |name: &str, target: &Path| std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
    link("tp_amp.so", &ladspa_testplugins::reference_plugin("tp_amp"));
    link(
        "tp_delay.so",
        &ladspa_testplugins::reference_plugin("tp_delay"),
    );
    link(
        "tp_no_symbol.so",
        &ladspa_testplugins::broken_plugin("tp_no_symbol"),
    );
    link(
        "tp_endless.so",
        &ladspa_testplugins::broken_plugin("tp_endless"),
    );
    link(
        "tp_bad_descriptors.so",
        &ladspa_testplugins::broken_plugin("tp_bad_descriptors"),
    );
    link("dangling.so", &dir.join("nowhere.so"));
    std::fs::write(dir.join("notes.so"), "not a shared object").unwrap();
    std::fs::write(dir.join("README"), "not even named .so").unwrap();
    std::fs::create_dir(dir.join("subdir")).unwrap();

    let path = SearchPath::new([dir.join("does-not-exist"), dir.clone()]);
    // SAFETY: the test plugins are trusted code.
    let scan = unsafe { path.scan_in_process() };
    let mut outcomes: Vec<(String, String)> = scan
        .files
        .iter()
        .map(|entry| {
            let name = entry
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let outcome = match &entry.result {
                Ok(plugin) => format!(
                    "ok: {} valid, {} rejected",
                    plugin.descriptors().len(),
                    plugin.rejected().len()
                ),
                Err(LoadError::Open { .. }) => "cannot open".to_owned(),
                Err(LoadError::NotLadspa { .. }) => "not ladspa".to_owned(),
                Err(LoadError::EndlessDescriptors { .. }) => "endless".to_owned(),
                Err(other) => format!("{other}"),
            };
            (name, outcome)
        })
        .collect();
    outcomes.sort();
    let expected = [
        ("dangling.so", "cannot open"),
        ("notes.so", "cannot open"),
        ("tp_amp.so", "ok: 2 valid, 0 rejected"),
        ("tp_bad_descriptors.so", "ok: 3 valid, 19 rejected"),
        ("tp_delay.so", "ok: 1 valid, 0 rejected"),
        ("tp_endless.so", "endless"),
        ("tp_no_symbol.so", "not ladspa"),
    ];
    let outcomes: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(outcomes, expected);
    assert_eq!(scan.plugins().count(), 3);
    assert_eq!(scan.failures().count(), 4);
    assert!(
        scan.unreadable.is_empty(),
        "a missing directory is not an error: {:?}",
        scan.unreadable
    );

    // Finding a plugin type by label or ID goes through the good files.
    // SAFETY: as above.
    let delay = unsafe { path.find(&Query::Label("tp_delay".into())) }.unwrap();
    assert_eq!(delay.unique_id(), 7003);
    // SAFETY: as above.
    let stereo = unsafe { path.find(&Query::UniqueId(7002)) }.unwrap();
    assert_eq!(stereo.label(), "tp_amp_stereo");
    // SAFETY: as above.
    let reverb = unsafe { path.find(&Query::Label("reverb".into())) };
    assert!(matches!(reverb, Err(DiscoveryError::PluginNotFound { .. })));
}

#[test]
fn the_reference_directory_scans_clean() {
    let path = SearchPath::new([ladspa_testplugins::reference_dir()]);
    // SAFETY: the test plugins are trusted code.
    let scan = unsafe { path.scan_in_process() };
    assert!(scan.files.len() >= 7);
    for entry in &scan.files {
        let plugin = entry.result.as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert!(plugin.rejected().is_empty(), "{:?}", plugin.rejected());
    }
    // SAFETY: as above.
    let amp = unsafe { path.load("tp_amp") }.unwrap();
    assert_eq!(amp.descriptors().len(), 2);
}
