//! Our `listplugins` against the LADSPA SDK's: same standard output byte for byte and exit
//! status, on Debian's example plugins and the test plugins (opt-in: needs Debian's
//! `ladspa-sdk`, which `.ci/run` installs; the tests fail, never skip, when it is missing). Also
//! its own behaviour beyond the SDK's, tested always, and `--help` of all three tools.

mod common;

use std::ffi::OsStr;

use common::inputs::write_inputs;
use common::{SDK_DIR, compare, compare_default_path, ours, run, scratch};

// ---- Always run: our tools' own behaviour -------------------------------------------------

#[test]
fn help_is_printed_on_standard_output() {
    let dir = scratch("help");
    for tool in ["listplugins", "analyseplugin", "applyplugin"] {
        let output = run(&ours(tool), &["--help"], &dir, None);
        assert!(output.status.success(), "{tool} --help fails");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("Usage:"), "{tool} --help says: {text}");
    }
}

#[test]
fn listplugins_reports_a_bad_file_and_goes_on() {
    let dir = scratch("bad_file");
    write_inputs(&dir);
    for file in ["tp_amp", "tp_delay"] {
        let from = ladspa_testplugins::reference_plugin(file);
        std::fs::copy(&from, dir.join(format!("{file}.so"))).unwrap();
    }
    let output = run(&ours("listplugins"), &[], &dir, Some(dir.as_os_str()));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("junk.so"), "{stderr}");
    assert!(
        stdout.contains("\tTest Mono Amplifier (7001/tp_amp_mono)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\tTest Delay Line (7003/tp_delay)\n"),
        "{stdout}"
    );
}

#[test]
fn listplugins_lists_every_file_next_to_ones_that_crash_while_they_load() {
    let dir = scratch("lethal");
    let plugins = dir.join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(
        ladspa_testplugins::reference_plugin("tp_amp"),
        plugins.join("tp_amp.so"),
    )
    .unwrap();
    // Those that end the process that loads them (the one that hangs is the library's tests'
    // business: it would cost this test the tool's 10 s timeout).
    let lethal = [
        ("tp_ctor_abort", "killed by SIGABRT"),
        ("tp_ctor_segv", "killed by SIGSEGV"),
        ("tp_ctor_exit", "exited with status 0"),
        (
            "tp_descriptor_segv",
            "killed by SIGSEGV (signal 11) in ladspa_descriptor(0)",
        ),
    ];
    for (name, _) in lethal {
        let from = ladspa_testplugins::lethal_dir().join(format!("{name}.so"));
        std::fs::copy(from, plugins.join(format!("{name}.so"))).unwrap();
    }
    let output = run(&ours("listplugins"), &[], &dir, Some(plugins.as_os_str()));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{stderr}");
    let amp = plugins.join("tp_amp.so");
    assert_eq!(
        stdout,
        format!(
            "{}:\n\tTest Mono Amplifier (7001/tp_amp_mono)\n\tTest Stereo Amplifier (7002/tp_amp_stereo)\n",
            amp.display()
        )
    );
    for (name, verdict) in lethal {
        let line = stderr
            .lines()
            .find(|line| line.contains(&format!("{name}.so")))
            .unwrap_or_else(|| panic!("{name} is reported: {stderr}"));
        assert!(line.contains(verdict), "{name}: {line}");
    }
}

// ---- Opt-in: side by side with the SDK's tools --------------------------------------------

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn listplugins_matches_the_sdk() {
    let dir = scratch("listplugins");
    let reference = ladspa_testplugins::reference_dir()
        .to_str()
        .unwrap()
        .to_owned();
    let paths = [
        SDK_DIR.to_owned(),
        reference.clone(),
        format!("{SDK_DIR}/:{reference}::{SDK_DIR}:/no/such/dir"),
    ];
    for path in &paths {
        compare("listplugins", &[], &dir, Some(OsStr::new(path)));
    }
    // Unset or empty: the usual directories, which the SDK means too.
    compare_default_path("listplugins", &[], &dir, None);
    compare_default_path("listplugins", &[], &dir, Some(OsStr::new("")));
}
