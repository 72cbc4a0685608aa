//! Our `applyplugin` against the LADSPA SDK's: same standard output byte for byte, exit status
//! and output file, on Debian's example plugins, every test plugin and chains of plugins from
//! Debian's LADSPA packages (opt-in: needs Debian's `ladspa-sdk`, which `.ci/run` installs; the
//! tests fail, never skip, when it is missing). Also its own clear errors, tested always.

mod common;

use std::ffi::OsStr;
use std::path::Path;

use ladspa_host::Plugin;

use common::inputs::{labels, noise, write_inputs};
use common::{
    Agreement, Results, SDK_DIR, compare, compare_default_path, every_plugin_file, ours,
    reference_path, run, scratch, try_compare,
};

// ---- Always run: our tools' own behaviour -------------------------------------------------

#[test]
fn applyplugin_refuses_input_that_is_not_16_bit_pcm_clearly() {
    let dir = scratch("not_16_bit");
    write_inputs(&dir);
    let applyplugin = ours("applyplugin");
    for input in ["float.wav", "24bit.wav"] {
        let args = [input, "out.wav", "tp_amp", "tp_amp_mono", "1"];
        let output = run(&applyplugin, &args, &dir, Some(reference_path()));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{input}: {stderr}");
        assert!(
            stderr.contains(input) && stderr.contains("16-bit PCM"),
            "{input}: {stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn applyplugin_reports_an_unwritable_output_path() {
    let dir = scratch("unwritable");
    write_inputs(&dir);
    let args = [
        "mono.wav",
        "no/such/dir/out.wav",
        "tp_amp",
        "tp_amp_mono",
        "1",
    ];
    let output = run(&ours("applyplugin"), &args, &dir, Some(reference_path()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no/such/dir/out.wav"), "{stderr}");
}

// ---- Opt-in: side by side with the SDK's tools --------------------------------------------

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn applyplugin_matches_the_sdk_on_every_label() {
    let dir = scratch("applyplugin");
    write_inputs(&dir);
    for (path, ladspa_path) in every_plugin_file() {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        for (label, inputs, controls) in labels(&path) {
            // Plugins without one or two audio inputs cannot take a file: both tools refuse.
            let input = if inputs == 2 {
                "stereo.wav"
            } else {
                "mono.wav"
            };
            let mut args = vec![input, "OUT", &stem, &label];
            args.extend(controls.iter().map(String::as_str));
            compare("applyplugin", &args, &dir, Some(ladspa_path));
            let mut with_silence = vec!["-s", "1.5"];
            with_silence.extend(&args);
            compare("applyplugin", &with_silence, &dir, Some(ladspa_path));
        }
    }
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn applyplugin_chains_match_the_sdk() {
    let dir = scratch("applyplugin_chains");
    write_inputs(&dir);
    let chains: &[&[&str]] = &[
        &["mono.wav", "OUT", "amp", "amp_mono", "1"],
        &["mono.wav", "OUT", "amp", "amp_mono", "3.5"],
        &[
            "-s0.25", "mono.wav", "OUT", "amp", "amp_mono", "0.7", "delay", "delay_5s", "0.3",
            "0.5",
        ],
        &[
            "mono.wav", "OUT", "filter", "hpf", "300", "filter", "lpf", "4000", "amp", "amp_mono",
            "2",
        ],
        &[
            "stereo.wav",
            "OUT",
            "amp",
            "amp_stereo",
            "0.8",
            "sine",
            "sine_faaa",
        ],
        &[
            "mono.wav",
            "OUT",
            "sine",
            "sine_fcaa",
            "220",
            "delay",
            "delay_5s",
            "0.01",
            "0.4",
        ],
        &[
            "-s",
            "2",
            "stereo.wav",
            "OUT",
            "amp",
            "amp_stereo",
            "0x1p-1",
        ],
    ];
    for args in chains {
        compare("applyplugin", args, &dir, Some(OsStr::new(SDK_DIR)));
    }
    let mixed = format!("{SDK_DIR}:{}", reference_path().to_str().unwrap());
    let args = [
        "mono.wav",
        "OUT",
        "tp_amp",
        "tp_amp_mono",
        "1.5",
        "amp",
        "amp_mono",
        "0.5",
        "tp_delay",
        "tp_delay",
        "0.25",
    ];
    compare("applyplugin", &args, &dir, Some(OsStr::new(&mixed)));
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn applyplugin_errors_match_the_sdk() {
    let dir = scratch("applyplugin_errors");
    write_inputs(&dir);
    let cases: &[&[&str]] = &[
        &[],
        &["mono.wav", "OUT"],
        &["mono.wav", "OUT", "amp"],
        // Too few control values, and one that is not a number: the controls are listed.
        &["mono.wav", "OUT", "delay", "delay_5s", "1"],
        &["mono.wav", "OUT", "amp", "amp_mono"],
        &["mono.wav", "OUT", "amp", "amp_mono", "loud"],
        // One too many: the chain runs, then the usage is printed; two too many: the second is
        // taken for a plugin file.
        &["mono.wav", "OUT", "amp", "amp_mono", "1", "2"],
        &["mono.wav", "OUT", "amp", "amp_mono", "1", "2", "3"],
        // Channel counts.
        &["stereo.wav", "OUT", "amp", "amp_mono", "1"],
        &["mono.wav", "OUT", "amp", "amp_stereo", "1"],
        &[
            "mono.wav",
            "OUT",
            "amp",
            "amp_mono",
            "1",
            "amp",
            "amp_stereo",
            "1",
        ],
        &["mono.wav", "OUT", "noise", "noise_white", "1"],
        // Files.
        &["no_such.wav", "OUT", "amp", "amp_mono", "1"],
        &["mono.wav", "no/such/dir/out.wav", "amp", "amp_mono", "1"],
        &["mono.wav", "out", "amp", "amp_mono", "1"],
        &["mono.wav", "OUT", "no_such_plugin", "amp_mono", "1"],
        &["mono.wav", "OUT", "./junk.so", "amp_mono", "1"],
        &["mono.wav", "OUT", "amp", "no_such_label", "1"],
    ];
    for args in cases {
        compare("applyplugin", args, &dir, Some(OsStr::new(SDK_DIR)));
    }
    let broken = ["mono.wav", "OUT", "tp_inplace_broken", "tp_inplace_broken"];
    compare("applyplugin", &broken, &dir, Some(reference_path()));
    // Unset: the usual directories, which the SDK means too.
    compare_default_path(
        "applyplugin",
        &["mono.wav", "OUT", "amp", "amp_mono", "1"],
        &dir,
        None,
    );
}

// ---- Opt-in: every Debian LADSPA package ---------------------------------------------------

/// A plugin of a chain: its file (as a user names it) and label, and its control values, or
/// `None` for its defaults (a value inside its bounds when it has none), as `labels` picks them.
type Link = (&'static str, &'static str, Option<&'static [&'static str]>);

/// The arguments of `applyplugin` for a chain.
fn chain_args(flags: &[&str], input: &str, links: &[Link]) -> Vec<String> {
    let mut args: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
    args.extend([input.to_owned(), "OUT".to_owned()]);
    for &(file, label, controls) in links {
        args.extend([file.to_owned(), label.to_owned()]);
        match controls {
            Some(values) => args.extend(values.iter().map(|v| v.to_string())),
            None => {
                let path = Path::new(SDK_DIR).join(format!("{file}.so"));
                let (_, _, values) = labels(&path)
                    .into_iter()
                    .find(|(l, _, _)| l == label)
                    .unwrap_or_else(|| panic!("{file} has {label}"));
                args.extend(values);
            }
        }
    }
    args
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn applyplugin_chains_match_the_sdk_on_debian_packages() {
    let dir = scratch("applyplugin_debian");
    write_inputs(&dir);
    const PLATE: Link = ("plate_1423", "plate", Some(&["4.3", "0.5", "0.25"]));
    #[rustfmt::skip]
    let chains: &[(&[&str], &str, &[Link])] = &[
        // swh's plate, 1 in / 2 out, which reads its input after writing its first output:
        // the case, alone (a stereo file from a mono one), with silence, and followed
        // by 2 in / 1 out plugins (cmt's mixer, blop's difference).
        (&[], "mono.wav", &[PLATE]),
        (&["-s", "2"], "mono.wav", &[PLATE]),
        (&[], "mono.wav", &[PLATE, ("cmt", "mixer", None)]),
        (&["-s0.5"], "exact.wav", &[PLATE, ("difference_2030", "difference_iama_oa", None)]),
        // A stereo output whose last block from the file has 0 frames.
        (&[], "exact.wav", &[PLATE]),
        (&["-s", "0.2"], "reads.wav", &[PLATE, ("cmt", "mixer", None)]),
        // bs2b (2 in / 2 out), then blop's product (2 in / 1 out).
        (&[], "stereo.wav", &[("bs2b", "bs2b", None), ("product_1668", "product_iaia_oa", None)]),
        // zam's compressor: input and side chain, one output.
        (&[], "stereo.wav", &[("ZamComp-ladspa", "ZamComp", None)]),
        // invada's early reflections (1 in / 2 out), then ste's stereo width.
        (&[], "mono.wav", &[
            ("inv_erreverb", "invada_mono_reverbER_module_0_1", None),
            ("stereo-plugins", "stereowidth", None),
        ]),
        // tap's pitch shifter, whose output depends on the block size (see
        // `tap_pitch_depends_on_the_block_size`), then fil's parametric EQ and wah's autowah.
        (&["-s", "1"], "mono.wav", &[
            ("tap_pitch", "tap_pitch", Some(&["3", "0", "-3", "0"])),
            ("filters", "Parametric1", None),
            ("autowah", "autowah", None),
        ]),
        // caps' plate (1 in / 2 out), then tap's doubler (2 in / 2 out). (Not rev-plugins'
        // zita-reverb: its output depends on memory its `instantiate` leaves uninitialised
        // (valgrind: "conditional jump depends on uninitialised value", allocated in
        // Ladspa_zita_reverb::create), so it differs from one run of the SDK's tool to the next
        // process's heap.)
        (&["-s", "1"], "mono.wav", &[("caps", "Plate", None), ("tap_doubler", "tap_doubler", None)]),
        // cmt: mono to B-format (1 in / 4 out) to stereo (4 in / 2 out): four buffers for a
        // two-channel file.
        (&[], "mono.wav", &[("cmt", "encode_bformat", None), ("cmt", "bf2stereo", None)]),
        // amb's panner: a four-channel output file.
        (&[], "mono.wav", &[("ambisonic1", "Ambisonics-11-mono-panner", None)]),
        // guitarix's echo, then dpf's bit crusher (1 in / 2 out).
        (&[], "mono.wav", &[("guitarix_echo", "guitarix_echo", None), ("MaBitcrush-ladspa", "MaBitcrush", None)]),
        // mcp's chorus, then vlevel.
        (&[], "mono.wav", &[("cs_chorus", "Chorus1", None), ("vlevel-ladspa", "vlevel_mono", None)]),
        // swh's 2 in / 1 out ring modulator on a stereo file, with silence.
        (&["-s", "0.1"], "stereo.wav", &[("ringmod_1188", "ringmod_2i1o", None)]),
    ];
    let mut results = Results::default();
    for (flags, input, links) in chains {
        let args = chain_args(flags, input, links);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let result = try_compare("applyplugin", &args, &dir, Some(OsStr::new(SDK_DIR)));
        // Every chain runs under the SDK (none is refused), so each compares audio.
        if result == Ok(Agreement::Same) {
            let sdk = std::fs::read(dir.join("sdk.wav")).unwrap_or_default();
            assert!(sdk.len() > 44, "the SDK did not run {args:?}");
        }
        results.add(result);
    }
    results.check("applyplugin chains of Debian plugins");
}

/// Runs `label` of the Debian file `file` (one audio input and output) with these controls
/// over `input` in blocks of `block` frames, in place, through the library.
fn run_in_blocks(
    file: &str,
    label: &str,
    controls: &[f32],
    input: &[f32],
    block: usize,
) -> Vec<f32> {
    // SAFETY: Debian's plugins are trusted code.
    let plugin = unsafe { Plugin::load(Path::new(SDK_DIR).join(format!("{file}.so"))) }.unwrap();
    let descriptor = plugin.find_label(label).unwrap();
    let mut handle = descriptor.instantiate(44_100).unwrap();
    let ports: Vec<usize> = descriptor
        .ports()
        .filter(|p| p.is_control() && p.is_input())
        .map(|p| p.index())
        .collect();
    for (&port, &value) in ports.iter().zip(controls) {
        handle.set_control(port, value).unwrap();
    }
    let mut handle = handle.activate();
    let mut output = input.to_vec();
    for chunk in output.chunks_mut(block) {
        let frames = chunk.len();
        handle.run_in_place(frames, &mut [chunk]).unwrap();
    }
    output
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn tap_pitch_depends_on_the_block_size() {
    // So the chain that uses it shows that we run the SDK's blocks (2048 frames).
    let mut state = 7;
    let input: Vec<f32> = (0..20_000).map(|_| noise(&mut state) * 0.5).collect();
    let controls = [3.0, 0.0, -3.0, 0.0];
    let sdk_blocks = run_in_blocks("tap_pitch", "tap_pitch", &controls, &input, 2048);
    assert_eq!(
        sdk_blocks,
        run_in_blocks("tap_pitch", "tap_pitch", &controls, &input, 2048),
        "tap_pitch is deterministic"
    );
    assert_ne!(
        sdk_blocks,
        run_in_blocks("tap_pitch", "tap_pitch", &controls, &input, 1000),
        "tap_pitch gives another output in other blocks"
    );
}
