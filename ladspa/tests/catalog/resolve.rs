//! The one plugin-name resolver, through real worker processes and real plugin files: files,
//! `FILE.so:LABEL`, labels and IDs; a label in two files is an error listing both, the same file
//! reached twice is one.

use std::path::{Path, PathBuf};

use ladspa_host::PluginName;
use ladspa_host::catalog::{ResolveError, Resolver, Scanner};
use ladspa_host::discovery::SearchPath;

use crate::scratch::scratch_dir;

/// A resolver over `dirs` with a private cache.
fn resolver(name: &str, dirs: &[&Path]) -> Resolver {
    let cache = scratch_dir(&format!("{name}-cache")).join("catalog.bin");
    Resolver::new(
        Scanner::new().cache_file(cache),
        SearchPath::new(dirs.iter().copied()),
    )
}

/// A directory holding a copy of the test amplifier file under `file_name`.
fn dir_with_amp(name: &str, file_name: &str) -> PathBuf {
    let dir = scratch_dir(name);
    std::fs::copy(
        ladspa_testplugins::reference_plugin("tp_amp"),
        dir.join(file_name),
    )
    .expect("copy the test amplifier");
    dir
}

fn labels(found: &[ladspa_host::catalog::PluginRecord]) -> Vec<String> {
    found.iter().map(|p| p.label().to_string()).collect()
}

#[test]
fn files_plugins_of_files_labels_and_ids_resolve() {
    let dir = ladspa_testplugins::reference_dir();
    let mut resolver = resolver("forms", &[dir]);
    let one = |resolver: &mut Resolver, name: &str| {
        resolver
            .resolve_one(&PluginName::parse(name))
            .map(|p| (p.label().to_string(), p.unique_id()))
    };
    let mono = ("tp_amp_mono".to_owned(), 7001);
    assert_eq!(one(&mut resolver, "tp_amp.so:tp_amp_mono").unwrap(), mono);
    assert_eq!(one(&mut resolver, "tp_amp.so:7001").unwrap(), mono);
    assert_eq!(one(&mut resolver, "tp_amp_mono").unwrap(), mono);
    assert_eq!(one(&mut resolver, "7001").unwrap(), mono);
    let path = dir.join("tp_amp.so");
    assert_eq!(
        one(&mut resolver, &format!("{}:tp_amp_mono", path.display())).unwrap(),
        mono
    );

    // A file, by name (with or without `.so`) or path: every plugin type in it.
    for name in ["tp_amp", "tp_amp.so", &path.display().to_string()] {
        let found = resolver.resolve(&PluginName::parse(name)).unwrap();
        assert_eq!(labels(&found), ["tp_amp_mono", "tp_amp_stereo"], "{name}");
    }
    // One was asked for: the file's labels are listed.
    let error = resolver.resolve_one(&"tp_amp.so".into()).unwrap_err();
    assert!(
        matches!(error, ResolveError::SeveralInFile { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("tp_amp_mono, tp_amp_stereo"),
        "{error}"
    );
}

#[test]
fn misses_say_what_was_looked_for_and_where() {
    let dir = ladspa_testplugins::reference_dir();
    let mut resolver = resolver("misses", &[dir]);

    let error = resolver.resolve_one(&"no_such_label".into()).unwrap_err();
    assert!(matches!(error, ResolveError::NotFound { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("`no_such_label`"), "{message}");
    assert!(message.contains(&dir.display().to_string()), "{message}");

    // `amp:label` is not how a plugin of a file is named: the message says how.
    let error = resolver
        .resolve_one(&"tp_amp:tp_amp_mono".into())
        .unwrap_err();
    assert!(error.to_string().contains("FILE.so:LABEL"), "{error}");

    let error = resolver
        .resolve_one(&"tp_amp.so:tp_amp_quad".into())
        .unwrap_err();
    assert!(matches!(error, ResolveError::NotInFile { .. }), "{error}");
    assert!(
        error.to_string().contains("tp_amp_mono, tp_amp_stereo"),
        "{error}"
    );

    let error = resolver.resolve_one(&"missing.so".into()).unwrap_err();
    assert!(matches!(error, ResolveError::NotFound { .. }), "{error}");

    let empty = Resolver::new(
        Scanner::new().without_cache(),
        SearchPath::new(Vec::<PathBuf>::new()),
    );
    let error = { empty }.resolve_one(&"anything".into()).unwrap_err();
    assert!(
        error.to_string().contains("search path is empty"),
        "{error}"
    );
}

#[test]
fn a_label_in_two_files_is_an_error_listing_both() {
    let first = dir_with_amp("ambiguous-a", "tp_amp.so");
    let second = dir_with_amp("ambiguous-b", "other_amp.so");
    let mut resolver = resolver("ambiguous", &[&first, &second]);

    for name in ["tp_amp_mono", "7001"] {
        let error = resolver.resolve_one(&name.into()).unwrap_err();
        let ResolveError::Ambiguous { candidates, .. } = &error else {
            panic!("{name}: not ambiguous: {error}");
        };
        let written: Vec<String> = candidates.iter().map(ToString::to_string).collect();
        assert_eq!(
            written,
            [
                format!(
                    "{}:tp_amp_mono (ID 7001)",
                    first.join("tp_amp.so").display()
                ),
                format!(
                    "{}:tp_amp_mono (ID 7001)",
                    second.join("other_amp.so").display()
                ),
            ],
            "{name}"
        );
        assert!(error.to_string().contains("is in 2 files"), "{error}");
    }
    // Each candidate, written as the error writes it (without the ID), names it alone.
    let found = resolver
        .resolve_one(&"other_amp.so:tp_amp_mono".into())
        .unwrap();
    assert_eq!(found.path(), second.join("other_amp.so"));
}

#[test]
fn the_same_file_reached_twice_is_one_candidate() {
    // A directory listed twice through a symbolic link, and a hard link in it.
    let real = dir_with_amp("twice", "tp_amp.so");
    std::fs::hard_link(real.join("tp_amp.so"), real.join("linked_amp.so")).unwrap();
    let alias = scratch_dir("twice-alias");
    std::fs::remove_dir(&alias).unwrap();
    std::os::unix::fs::symlink(&real, &alias).unwrap();
    let mut resolver = resolver("twice", &[&real, &alias]);

    // Four paths along the search path, one file: no ambiguity, the first path listed wins
    // (the directory's own order decides between the two names in it).
    let found = resolver.resolve_one(&"tp_amp_mono".into()).unwrap();
    assert_eq!(found.path().parent(), Some(real.as_path()));
    assert_eq!(
        resolver
            .catalog()
            .unwrap()
            .find_all(&ladspa_host::Query::UniqueId(7001))
            .count(),
        4
    );
}

/// Debian's labels that are in several files, and lsp's, whose labels are URLs.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn debian_duplicate_labels_are_ambiguous_and_url_labels_resolve() {
    let dir = Path::new("/usr/lib/ladspa");
    let mut resolver = resolver("debian", &[dir]);

    for label in ["lpf", "amp_mono", "delay_5s"] {
        let error = resolver.resolve_one(&label.into()).unwrap_err();
        let ResolveError::Ambiguous { candidates, .. } = &error else {
            panic!("{label}: not ambiguous: {error}");
        };
        assert!(candidates.len() >= 2, "{error}");
        for candidate in candidates {
            let name = format!("{}:{}", candidate.file.display(), candidate.label);
            let found = resolver.resolve_one(&PluginName::parse(&name)).unwrap();
            assert_eq!(found.unique_id(), candidate.unique_id, "{name}");
        }
    }
    let lpf = resolver.resolve_one(&"filter.so:lpf".into()).unwrap();
    assert_eq!(
        (lpf.path(), lpf.unique_id()),
        (dir.join("filter.so").as_path(), 1041)
    );

    let lsp: Vec<_> = resolver
        .catalog()
        .unwrap()
        .plugins()
        .filter(|p| p.label().to_string().starts_with("http://"))
        .map(|p| (p.path().to_owned(), p.label().to_string(), p.unique_id()))
        .collect();
    assert!(
        lsp.len() >= 100,
        "lsp's plugins are installed: {}",
        lsp.len()
    );
    for (file, label, id) in lsp {
        let by_label = resolver.resolve_one(&PluginName::parse(&label)).unwrap();
        assert_eq!(by_label.unique_id(), id, "{label}");
        let file_name = file.file_name().unwrap().to_string_lossy();
        let by_file = resolver
            .resolve_one(&PluginName::parse(&format!("{file_name}:{label}")))
            .unwrap();
        assert_eq!(by_file.unique_id(), id, "{file_name}:{label}");
    }
}
