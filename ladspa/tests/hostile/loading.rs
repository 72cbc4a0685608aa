//! Loading: one descriptor struct refilled for every index, FIFOs, empty paths, directories.

use crate::harness::*;

#[test]
fn a_descriptor_refilled_for_every_index_is_refused_with_each_label() {
    let plugin = load(&hostile("tp_static_descriptor"));
    assert!(
        plugin.descriptors().is_empty(),
        "{:?}",
        plugin.descriptors()
    );
    let rejected: Vec<(usize, Option<&str>, &Defect)> = plugin
        .rejected()
        .iter()
        .map(|error| (error.index, error.label.as_deref(), &error.defect))
        .collect();
    let shared = Defect::SharedDescriptor {
        indices: vec![0, 1, 2],
    };
    assert_eq!(
        rejected,
        [
            (0, Some("tp_static_a"), &shared),
            (1, Some("tp_static_b"), &shared),
            (2, Some("tp_static_c"), &shared),
        ]
    );
}

/// A directory holding a copy of `tp_amp.so` and a FIFO named `x.so`, named after the test
/// process (the parent's, in the child) so that both find it.
fn fifo_dir(owner: u32) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ladspa-hostile-fifo-{owner}"))
}

#[test]
fn a_fifo_named_like_a_plugin_is_refused_without_blocking() {
    let test = "loading::a_fifo_named_like_a_plugin_is_refused_without_blocking";
    let is_child = std::env::var_os(common::CHILD_VAR).is_some_and(|value| value == test);
    if !is_child {
        let dir = fifo_dir(std::process::id());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            ladspa_testplugins::reference_plugin("tp_amp"),
            dir.join("tp_amp.so"),
        )
        .unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(dir.join("x.so"))
            .status()
            .expect("run mkfifo");
        assert!(status.success());
    }
    // Opening a FIFO for reading waits for a writer: without the check, the child hangs.
    let child = in_child(test, Duration::from_secs(20), || {
        let dir = fifo_dir(std::os::unix::process::parent_id());
        let (amp, fifo) = (dir.join("tp_amp.so"), dir.join("x.so"));
        // SAFETY: the directory holds a trusted test plugin and a FIFO.
        let scan = unsafe { SearchPath::new([&dir]).scan_in_process() };
        let mut found: Vec<(PathBuf, Result<usize, String>)> = scan
            .files
            .iter()
            .map(|entry| {
                let result = match &entry.result {
                    Ok(plugin) => Ok(plugin.descriptors().len()),
                    Err(LoadError::NotRegularFile { file, kind }) => {
                        assert_eq!(file, &fifo);
                        assert!(kind.contains("FIFO"), "{kind}");
                        Err("not a regular file".to_string())
                    }
                    Err(other) => Err(other.to_string()),
                };
                (entry.path.clone(), result)
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (amp, Ok(2)),
                (fifo.clone(), Err("not a regular file".to_string()))
            ]
        );
        // SAFETY: as above.
        let loaded = unsafe { Plugin::load(&fifo) };
        assert!(
            matches!(&loaded, Err(LoadError::NotRegularFile { file, .. }) if *file == fifo),
            "{loaded:?}"
        );
    });
    let _ = std::fs::remove_dir_all(fifo_dir(std::process::id()));
    assert_exited_cleanly(&child);
}

#[test]
fn an_empty_path_and_a_directory_are_refused_and_a_symlink_is_followed() {
    // SAFETY: nothing is loaded: both are refused before `dlopen`.
    let empty = unsafe { Plugin::load("") };
    assert!(matches!(empty, Err(LoadError::EmptyPath)), "{empty:?}");

    let dir = ladspa_testplugins::reference_dir();
    // SAFETY: as above.
    let loaded = unsafe { Plugin::load(dir) };
    assert!(
        matches!(&loaded, Err(LoadError::NotRegularFile { file, kind })
            if file == dir && kind.contains("directory")),
        "{loaded:?}"
    );

    // A symbolic link to a plugin file is a plugin file.
    let link = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ladspa-hostile-link-{}.so", std::process::id()));
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(ladspa_testplugins::reference_plugin("tp_amp"), &link).unwrap();
    // SAFETY: the link leads to a trusted test plugin.
    let loaded = unsafe { Plugin::load(&link) };
    let _ = std::fs::remove_file(&link);
    assert_eq!(loaded.unwrap().descriptors().len(), 2);
}
