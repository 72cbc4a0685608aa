//! `ladspa apply`, run as a user runs it: WAV files of every sample format and channel count
//! through chains of test plugins, checked sample by sample against what the plugins compute;
//! latency compensation; controls by name, index and named value; errors and exit statuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hound::{SampleFormat, WavSpec};

/// A scratch directory of the test's own, emptied.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-apply")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `ladspa apply` in `dir` with the test plugins along the path.
fn apply(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladspa"))
        .arg("apply")
        .args(args)
        .current_dir(dir)
        .env("LADSPA_PATH", ladspa_testplugins::reference_dir())
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .output()
        .expect("run ladspa")
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "ladspa apply failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Deterministic noise in [-0.9, 0.9).
fn signal(frames: usize, channels: usize) -> Vec<Vec<f32>> {
    let mut state = 0x5eed_u64;
    (0..channels)
        .map(|_| {
            (0..frames)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ((state >> 40) as f32 / (1u64 << 23) as f32 - 1.0) * 0.9
                })
                .collect()
        })
        .collect()
}

fn write_wav(path: &Path, channels: &[Vec<f32>], bits: u16, format: SampleFormat) {
    let spec = WavSpec {
        channels: channels.len() as u16,
        sample_rate: 44_100,
        bits_per_sample: bits,
        sample_format: format,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    let full = (1i64 << (bits - 1)) as f32;
    for frame in 0..channels[0].len() {
        for channel in channels {
            match format {
                SampleFormat::Float => writer.write_sample(channel[frame]).unwrap(),
                SampleFormat::Int => writer
                    .write_sample((channel[frame] * full).round() as i32)
                    .unwrap(),
            }
        }
    }
    writer.finalize().unwrap();
}

/// The file's format and its samples as planar f32 (integers scaled to [-1, 1)).
fn read_wav(path: &Path) -> (WavSpec, Vec<Vec<f32>>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    let samples: Vec<f32> = match spec.sample_format {
        SampleFormat::Float => reader.samples::<f32>().map(Result::unwrap).collect(),
        SampleFormat::Int => {
            let full = (1i64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.unwrap() as f32 / full)
                .collect()
        }
    };
    let planar = (0..channels)
        .map(|k| samples.iter().skip(k).step_by(channels).copied().collect())
        .collect();
    (spec, planar)
}

#[test]
fn a_mono_plugin_runs_on_every_channel_of_a_float_file() {
    let dir = scratch("float");
    let input = signal(10_000, 3);
    write_wav(&dir.join("in.wav"), &input, 32, SampleFormat::Float);
    let output = apply(
        &dir,
        &[
            "in.wav",
            "out.wav",
            "--plugin",
            "tp_amp_mono",
            "--control",
            "Gain=0.5",
        ],
    );
    succeeded(&output);
    assert!(
        output.stderr.is_empty(),
        "nothing on standard error when it is not a terminal: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let (spec, out) = read_wav(&dir.join("out.wav"));
    assert_eq!(
        spec.sample_format,
        SampleFormat::Float,
        "float in, float out"
    );
    assert_eq!(spec.channels, 3);
    assert_eq!(spec.sample_rate, 44_100);
    for (channel, (got, sent)) in out.iter().zip(&input).enumerate() {
        assert_eq!(got.len(), sent.len());
        for (t, (g, s)) in got.iter().zip(sent).enumerate() {
            assert_eq!(*g, s * 0.5, "channel {channel}, frame {t}");
        }
    }
}

#[test]
fn integer_files_keep_their_format_unless_asked_and_chains_run_in_order() {
    let dir = scratch("integer");
    let input = signal(5_000, 2);
    write_wav(&dir.join("in.wav"), &input, 24, SampleFormat::Int);
    // A chain: a stereo plugin by file and label, then a mono one by unique ID, the gain by
    // port index; blocks of 1000 frames.
    let amp = ladspa_testplugins::reference_plugin("tp_amp");
    let stereo = format!("{}:tp_amp_stereo", amp.display());
    let args = [
        "in.wav", "out.wav", "-p", &stereo, "-c", "Gain=0.5", "-p", "7001", "-c", "0=0.25",
        "--block", "1000",
    ];
    succeeded(&apply(&dir, &args));
    let (spec, out) = read_wav(&dir.join("out.wav"));
    assert_eq!(
        (spec.bits_per_sample, spec.sample_format),
        (24, SampleFormat::Int)
    );
    let (_, sent) = read_wav(&dir.join("in.wav"));
    let lsb = 1.0 / (1 << 23) as f32;
    for (got, sent) in out.iter().zip(&sent) {
        for (g, s) in got.iter().zip(sent) {
            assert!((g - s * 0.125).abs() <= lsb, "{g} against {}", s * 0.125);
        }
    }

    let mut float = args.to_vec();
    float.extend(["--format", "float"]);
    succeeded(&apply(&dir, &float));
    let (spec, out) = read_wav(&dir.join("out.wav"));
    assert_eq!(spec.sample_format, SampleFormat::Float);
    assert_eq!(out[1][100], sent[1][100] * 0.125);
}

#[test]
fn clipping_is_reported_not_wrapped() {
    let dir = scratch("clipping");
    write_wav(
        &dir.join("in.wav"),
        &signal(1_000, 1),
        16,
        SampleFormat::Int,
    );
    let output = apply(
        &dir,
        &["in.wav", "out.wav", "-p", "tp_amp_mono", "-c", "Gain=4"],
    );
    succeeded(&output);
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("clipped"), "{message}");
    let (_, out) = read_wav(&dir.join("out.wav"));
    assert!(out[0].iter().all(|s| (-1.0..1.0).contains(s)));
    assert!(out[0].iter().any(|&s| s == -1.0), "clipped at full scale");
}

#[test]
fn mistakes_name_the_plugin_and_port_and_exit_with_the_documented_status() {
    let dir = scratch("mistakes");
    write_wav(&dir.join("in.wav"), &signal(100, 1), 16, SampleFormat::Int);
    let status = |args: &[&str]| {
        let output = apply(&dir, args);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, message) = status(&["in.wav", "out.wav", "-p", "tp_amp_mono", "-c", "Volume=1"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("Volume")
            && message.contains("tp_amp_mono")
            && message.contains("0 \"Gain\""),
        "{message}"
    );
    let (code, message) = status(&["in.wav", "out.wav", "-p", "tp_amp_mono", "-c", "Gain=loud"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("loud") && message.contains("Gain"),
        "{message}"
    );
    let (code, message) = status(&["in.wav", "out.wav", "-c", "Gain=1", "-p", "tp_amp_mono"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("before any --plugin"), "{message}");
    let (code, message) = status(&["missing.wav", "out.wav", "-p", "tp_amp_mono"]);
    assert_eq!(code, Some(1), "{message}");
    assert!(message.contains("missing.wav"), "{message}");
    let (code, message) = status(&["in.wav", "out.wav", "-p", "no_such_plugin"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("no_such_plugin"), "{message}");
    // A stereo plugin on a mono file: the chain refuses it before anything runs.
    let (code, message) = status(&["in.wav", "out.wav", "-p", "tp_amp_stereo"]);
    assert_eq!(code, Some(1), "{message}");
    assert!(message.contains("tp_amp_stereo"), "{message}");
    let (code, _) = status(&["in.wav", "out.wav"]);
    assert_eq!(code, Some(2), "no --plugin is a usage error");
}

#[test]
fn the_chains_latency_is_removed_unless_asked_to_keep_it() {
    let dir = scratch("latency");
    let input = signal(3_000, 2);
    write_wav(&dir.join("in.wav"), &input, 32, SampleFormat::Float);
    // tp_latency delays its input by the latency it reports; two of them, 100 + 250 frames,
    // with blocks smaller than the latency.
    let args = [
        "in.wav",
        "out.wav",
        "-p",
        "tp_latency",
        "-c",
        "Delay (Samples)=100",
        "-p",
        "tp_latency",
        "-c",
        "0=250",
        "--block",
        "64",
    ];
    succeeded(&apply(&dir, &args));
    let (_, out) = read_wav(&dir.join("out.wav"));
    assert_eq!(out, input, "lined up with the input, and as long");

    let mut keep = args.to_vec();
    keep.push("--keep-latency");
    succeeded(&apply(&dir, &keep));
    let (_, out) = read_wav(&dir.join("out.wav"));
    for (got, sent) in out.iter().zip(&input) {
        assert_eq!(got.len(), sent.len());
        assert!(got[..350].iter().all(|&s| s == 0.0));
        assert_eq!(got[350..], sent[..sent.len() - 350]);
    }
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn a_named_value_from_the_rdf_metadata_sets_its_number() {
    let dir = scratch("named");
    write_wav(
        &dir.join("in.wav"),
        &signal(20_000, 2),
        32,
        SampleFormat::Float,
    );
    let run = |control: &str, out: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_ladspa"))
            .args(["apply", "in.wav", out, "-p", "tap_reverb", "-c", control])
            .current_dir(&dir)
            .env("LADSPA_PATH", "/usr/lib/ladspa")
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .output()
            .unwrap();
        succeeded(&output);
        std::fs::read(dir.join(out)).unwrap()
    };
    // tap_reverb.rdf names Reverb Type 15 "Hall (Large)".
    let named = run("Reverb Type=Hall (Large)", "named.wav");
    assert_eq!(named, run("7=15", "numbered.wav"));
    assert_ne!(
        named,
        run("7=0", "other.wav"),
        "the type changes the output"
    );
}

#[test]
fn every_integer_depth_survives_a_plugin_at_unity_gain_unchanged() {
    let dir = scratch("unity");
    // (32-bit samples pass through f32, whose 24-bit mantissa holds these: they come from
    // f32 values.)
    for bits in [8, 16, 24, 32] {
        write_wav(
            &dir.join("in.wav"),
            &signal(3_000, 2),
            bits,
            SampleFormat::Int,
        );
        let output = apply(
            &dir,
            &["in.wav", "out.wav", "-p", "tp_amp_mono", "-c", "Gain=1"],
        );
        succeeded(&output);
        let samples = |file: &str| -> Vec<i32> {
            let mut reader = hound::WavReader::open(dir.join(file)).unwrap();
            assert_eq!(reader.spec().bits_per_sample, bits);
            reader.samples::<i32>().map(Result::unwrap).collect()
        };
        assert_eq!(samples("out.wav"), samples("in.wav"), "{bits}-bit samples");
    }
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn a_stereo_chain_of_debian_plugins_matches_sox() {
    let dir = scratch("sox");
    write_wav(
        &dir.join("in.wav"),
        &signal(48_000, 2),
        32,
        SampleFormat::Float,
    );
    // The SDK's mono low-pass on each channel, then its stereo amplifier; sox replicates the
    // mono plugin with -r, and -D keeps it from dithering.
    let ours = Command::new(env!("CARGO_BIN_EXE_ladspa"))
        .args([
            "apply",
            "in.wav",
            "ours.wav",
            "-p",
            "filter.so:lpf",
            "-c",
            "0=2000",
        ])
        .args(["-p", "amp.so:amp_stereo", "-c", "Gain=0.5"])
        .current_dir(&dir)
        .env("LADSPA_PATH", "/usr/lib/ladspa")
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .output()
        .unwrap();
    succeeded(&ours);
    let sox = Command::new("sox")
        .args([
            "-D",
            "in.wav",
            "-e",
            "floating-point",
            "-b",
            "32",
            "sox.wav",
        ])
        .args([
            "ladspa",
            "-r",
            "filter",
            "lpf",
            "2000",
            "ladspa",
            "amp",
            "amp_stereo",
            "0.5",
        ])
        .current_dir(&dir)
        .env("LADSPA_PATH", "/usr/lib/ladspa")
        .output()
        .expect("run sox (apt-get install sox)");
    succeeded(&sox);
    let ((_, ours), (_, theirs)) = (
        read_wav(&dir.join("ours.wav")),
        read_wav(&dir.join("sox.wav")),
    );
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.len(), b.len());
        let worst = a
            .iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max);
        assert!(worst <= 1e-6, "differs from sox by {worst}");
    }
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn debian_names_controls_ranges_and_ambiguous_labels_as_documented() {
    let dir = scratch("debian-naming");
    write_wav(
        &dir.join("in.wav"),
        &signal(4_000, 2),
        16,
        SampleFormat::Int,
    );
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_ladspa"))
            .args(args)
            .current_dir(&dir)
            .env("LADSPA_PATH", "/usr/lib/ladspa")
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .output()
            .unwrap();
        let message = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), message)
    };
    // A label in two files: status 2, each candidate named as file:label with its ID.
    let (code, message) = run(&["apply", "in.wav", "out.wav", "-p", "amp_mono"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("/usr/lib/ladspa/amp.so:amp_mono (ID 1048)")
            && message.contains("/usr/lib/ladspa/cmt.so:amp_mono (ID 1067)"),
        "{message}"
    );
    let (code, _) = run(&["info", "lpf"]);
    assert_eq!(code, Some(2));
    // Out of range: a warning naming the range, or with --strict a refusal before any output.
    let delay = [
        "apply",
        "in.wav",
        "out.wav",
        "-p",
        "delay.so:delay_5s",
        "-c",
        "0=10",
    ];
    let (code, message) = run(&delay);
    assert_eq!(code, Some(0), "{message}");
    assert!(
        message.starts_with("ladspa: warning: stage 1: delay_5s: 10 for port 0")
            && message.contains("0 to 5"),
        "{message}"
    );
    std::fs::remove_file(dir.join("out.wav")).unwrap();
    let mut strict = delay.to_vec();
    strict.push("--strict");
    let (code, message) = run(&strict);
    assert_eq!(code, Some(2), "{message}");
    assert!(!dir.join("out.wav").exists());
    // Named values in any case; a wrong one lists the valid ones.
    let reverb = |value: &str| {
        let control = format!("reverb type={value}");
        run(&[
            "apply",
            "in.wav",
            "out.wav",
            "-p",
            "tap_reverb",
            "-c",
            &control,
        ])
    };
    assert_eq!(reverb("hall (LARGE)").0, Some(0));
    let (code, message) = reverb("halle");
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("`Hall (Large)`") && message.contains("`Cathedral`"),
        "{message}"
    );
    // lsp's labels are URLs: named by label alone and by file:label.
    let label = "http://lsp-plug.in/plugins/ladspa/comp_delay_x2_stereo";
    let (code, message) = run(&["info", label]);
    assert_eq!(code, Some(0), "{message}");
    let (code, message) = run(&["info", &format!("lsp-plugins-ladspa-1.2.5.so:{label}")]);
    assert_eq!(code, Some(0), "{message}");
}

#[test]
fn a_chain_spec_file_gives_the_bytes_its_plugins_and_controls_give() {
    let dir = scratch("chain-spec");
    write_wav(
        &dir.join("in.wav"),
        &signal(3_000, 2),
        16,
        SampleFormat::Int,
    );
    let amp = ladspa_testplugins::reference_plugin("tp_amp");
    let stereo = format!("{}:tp_amp_stereo", amp.display());
    let args = [
        "in.wav",
        "flags.wav",
        "-p",
        &stereo,
        "-c",
        "gain=0.5",
        "-p",
        "7001",
        "-c",
        "0=0.25",
    ];
    succeeded(&apply(&dir, &args));
    // The same chain as a spec (a name in another case, an index), with a third stage that is
    // bypassed and so changes nothing.
    let spec = serde_json::json!({"version": 1, "stages": [
        {"plugin": stereo, "controls": [{"port": "gain", "value": 0.5}]},
        {"plugin": "7001", "controls": [{"port": 0, "value": 0.25}]},
        {"plugin": "tp_amp_mono", "controls": [{"port": "Gain", "value": 3.0}], "bypass": true},
    ]});
    std::fs::write(dir.join("chain.json"), spec.to_string()).unwrap();
    succeeded(&apply(
        &dir,
        &["in.wav", "spec.wav", "--chain", "chain.json"],
    ));
    let flags = std::fs::read(dir.join("flags.wav")).unwrap();
    assert_eq!(std::fs::read(dir.join("spec.wav")).unwrap(), flags);

    let status = |args: &[&str]| {
        let output = apply(&dir, args);
        let message = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), message)
    };
    let (code, message) = status(&["in.wav", "x.wav", "--chain", "chain.json", "-p", "7001"]);
    assert_eq!(code, Some(2), "--chain or --plugin, not both: {message}");
    let (code, message) = status(&["in.wav", "x.wav", "--chain", "missing.json"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(message.contains("missing.json"), "{message}");
    std::fs::write(dir.join("v9.json"), r#"{"version": 9, "stages": []}"#).unwrap();
    let (code, message) = status(&["in.wav", "x.wav", "--chain", "v9.json"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("v9.json") && message.contains("version 9"),
        "{message}"
    );
    let wrong = r#"{"version": 1, "stages": [{"plugin": "7001"}, {"plugin": "tp_amp_mono", "controls": [{"port": "Volume", "value": 1}]}]}"#;
    std::fs::write(dir.join("wrong.json"), wrong).unwrap();
    let (code, message) = status(&["in.wav", "x.wav", "--chain", "wrong.json"]);
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("stage 2") && message.contains("Volume"),
        "{message}"
    );
    assert!(!dir.join("x.wav").exists());
}
