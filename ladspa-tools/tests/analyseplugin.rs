//! Our `analyseplugin` against the LADSPA SDK's: same standard output byte for byte and exit
//! status, on Debian's example plugins, every test plugin and every file of Debian's LADSPA
//! packages (opt-in: needs Debian's `ladspa-sdk`, which `.ci/run` installs; the tests fail,
//! never skip, when it is missing). Also its own clear errors, tested always.

mod common;

use std::ffi::OsStr;

use common::inputs::{labels, write_inputs};
use common::{
    Results, SDK_DIR, compare, compare_default_path, debian_files, every_plugin_file, ours,
    reference_path, run, scratch, try_compare,
};

// ---- Always run: our tools' own behaviour -------------------------------------------------

#[test]
fn analyseplugin_names_the_missing_file() {
    let dir = scratch("missing");
    let output = run(
        &ours("analyseplugin"),
        &["no_such_plugin"],
        &dir,
        Some(reference_path()),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no_such_plugin"), "{stderr}");
}

// ---- Opt-in: side by side with the SDK's tools --------------------------------------------

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn analyseplugin_matches_the_sdk_on_every_plugin() {
    let dir = scratch("analyseplugin");
    for (path, ladspa_path) in every_plugin_file() {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let full = path.to_str().unwrap();
        for name in [stem.as_str(), &format!("{stem}.so"), full] {
            compare("analyseplugin", &[name], &dir, Some(ladspa_path));
            compare("analyseplugin", &["-l", name], &dir, Some(ladspa_path));
        }
        for (label, _, _) in labels(&path) {
            compare("analyseplugin", &[&stem, &label], &dir, Some(ladspa_path));
            compare(
                "analyseplugin",
                &["-l", &stem, &label],
                &dir,
                Some(ladspa_path),
            );
        }
    }
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn analyseplugin_errors_match_the_sdk() {
    let dir = scratch("analyseplugin_errors");
    write_inputs(&dir);
    let no_symbol = ladspa_testplugins::broken_plugin("tp_no_symbol");
    let no_symbol = no_symbol.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &[],
        &["-h"],
        &["-l"],
        &["a", "b", "c", "d"],
        &["-x", "amp", "amp_mono"],
        &["no_such_plugin"],
        &["/no/such/file.so"],
        &["./junk.so"],
        &[no_symbol],
        &["amp", "no_such_label"],
        &["-l", "amp", "no_such_label"],
    ];
    for args in cases {
        compare("analyseplugin", args, &dir, Some(OsStr::new(SDK_DIR)));
    }
    // Unset: the usual directories, which the SDK means too.
    compare_default_path("analyseplugin", &["amp"], &dir, None);
    compare("analyseplugin", &[&format!("{SDK_DIR}/amp.so")], &dir, None);
}

// ---- Opt-in: every Debian LADSPA package ---------------------------------------------------

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn analyseplugin_matches_the_sdk_on_every_debian_file() {
    let files = debian_files();
    // The 25 packages install 206 files.
    assert!(files.len() >= 200, "{} files in {SDK_DIR}", files.len());
    // Two workers (each with a directory of its own), the file named as a user would.
    let halves = files.split_at(files.len() / 2);
    let results: Vec<Results> = std::thread::scope(|scope| {
        let workers: Vec<_> = [halves.0, halves.1]
            .into_iter()
            .enumerate()
            .map(|(worker, files)| {
                scope.spawn(move || {
                    let dir = scratch(&format!("analyseplugin_debian_{worker}"));
                    let mut results = Results::default();
                    for file in files {
                        let stem = file.file_stem().unwrap().to_str().unwrap();
                        for args in [&[stem][..], &["-l", stem]] {
                            let path = Some(OsStr::new(SDK_DIR));
                            results.add(try_compare("analyseplugin", args, &dir, path));
                        }
                    }
                    results
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut all = Results::default();
    for results in results {
        all.compared += results.compared;
        all.sdk_crashes.extend(results.sdk_crashes);
        all.differences.extend(results.differences);
    }
    all.check("analyseplugin on every Debian file");
}
