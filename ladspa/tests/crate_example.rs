//! The crate-root example, run as written: on the LADSPA SDK's `amp.so` when it is installed,
//! and on the workspace's test amplifier always (the same code, other path and label).

use ladspa_host::Plugin;

/// The body of the crate-root example, with the file and label as parameters.
fn amplify(path: &std::path::Path, label: &str) -> Result<(), ladspa_host::Error> {
    // SAFETY: loading runs the file's code; both amplifiers are trusted.
    let plugin = unsafe { Plugin::load(path) }?;
    let amp = plugin.find_label(label)?;

    let mut handle = amp.instantiate(48_000)?; // controls start at their defaults
    handle.set_control("Gain", 0.5)?;
    let mut handle = handle.activate(); // only an active handle runs

    let input = [1.0_f32, -2.0, 4.0, 0.25];
    let mut output = [0.0_f32; 4];
    handle.run(input.len(), &[&input], &mut [&mut output])?; // your buffers, no copies
    assert_eq!(output, [0.5, -1.0, 2.0, 0.125]);
    Ok(()) // dropping the handle deactivates it and cleans it up, exactly once
}

#[test]
fn the_crate_example_runs_on_the_test_amplifier() {
    amplify(
        &ladspa_testplugins::reference_plugin("tp_amp"),
        "tp_amp_mono",
    )
    .unwrap();
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn the_crate_example_runs_on_the_sdk_amplifier() {
    amplify("/usr/lib/ladspa/amp.so".as_ref(), "amp_mono").unwrap();
}
