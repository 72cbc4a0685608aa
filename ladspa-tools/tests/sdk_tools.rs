//! Our tools `listplugins`, `analyseplugin` and `applyplugin` against the LADSPA SDK's
//! tools of the same names: same standard output byte for byte, same exit status, same output
//! files, on Debian's example plugins and on every test plugin. The comparisons need Debian's
//! `ladspa-sdk` and are opt-in (`.ci/run` installs it); they fail, never skip, when it is
//! missing. The tools' own behaviour beyond the SDK (`--help`, clear errors) is tested always.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ladspa::Plugin;

const SDK_DIR: &str = "/usr/lib/ladspa";
const SDK_FILES: [&str; 5] = ["amp", "delay", "filter", "noise", "sine"];

/// Our binary of this name, built by cargo for this test.
fn ours(name: &str) -> PathBuf {
    PathBuf::from(match name {
        "listplugins" => env!("CARGO_BIN_EXE_listplugins"),
        "analyseplugin" => env!("CARGO_BIN_EXE_analyseplugin"),
        "applyplugin" => env!("CARGO_BIN_EXE_applyplugin"),
        _ => panic!("no tool {name}"),
    })
}

/// The SDK's tool of this name; fails the test when the package is missing.
fn sdk_tool(name: &str) -> PathBuf {
    let path = Path::new("/usr/bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: install Debian's ladspa-sdk (`apt-get install ladspa-sdk`)",
        path.display()
    );
    for file in SDK_FILES {
        let plugin = Path::new(SDK_DIR).join(format!("{file}.so"));
        assert!(
            plugin.is_file(),
            "{} is missing: install Debian's ladspa-sdk",
            plugin.display()
        );
    }
    path
}

/// A scratch directory of this test's own, emptied.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sdk-tools")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// How long one run of a tool may take before it is killed: a plugin file that hangs while it
/// loads is a result to report, not a test that never ends.
const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs a program in `dir` with `LADSPA_PATH` set to `ladspa_path` (unset for `None`), and the
/// catalog's cache in `dir` (our tools keep one; the SDK's ignore it). Killed after
/// [`TOOL_TIMEOUT`] (then its status has no code).
fn run(program: &Path, args: &[&str], dir: &Path, ladspa_path: Option<&OsStr>) -> Output {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let [stdout, stderr] = ["stdout", "stderr"].map(|name| dir.join(format!("{name}.{run}")));
    let file = |path: &Path| std::fs::File::create(path).expect("create a capture file");
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env_remove("LADSPA_PATH")
        .stdin(Stdio::null())
        .stdout(file(&stdout))
        .stderr(file(&stderr));
    if let Some(value) = ladspa_path {
        command.env("LADSPA_PATH", value);
    }
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for a tool") {
            break status;
        }
        if started.elapsed() > TOOL_TIMEOUT {
            let _ = child.kill();
            break child.wait().expect("wait for a killed tool");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let [stdout, stderr] = [stdout, stderr].map(|path| {
        let bytes = std::fs::read(&path).expect("read a capture file");
        let _ = std::fs::remove_file(&path);
        bytes
    });
    Output {
        status,
        stdout,
        stderr,
    }
}

/// Runs the SDK's tool and ours on the same arguments and compares standard output and exit
/// status; for `applyplugin`, also the output file `out.wav` (named `OUT` in `args`).
fn compare(tool: &str, args: &[&str], dir: &Path, ladspa_path: Option<&OsStr>) {
    if let Err(difference) = try_compare(tool, args, dir, ladspa_path) {
        panic!("{difference}");
    }
}

/// What [`try_compare`] found when the tools agree.
#[derive(Debug, PartialEq)]
enum Agreement {
    /// Same standard output, exit status and output file.
    Same,
    /// The SDK's tool was killed by a signal (or hung): nothing to compare, a result to
    /// document. Ours ended by itself (with an error, or with its output).
    SdkCrashed(String),
}

/// [`compare`], returning the difference instead of failing.
fn try_compare(
    tool: &str,
    args: &[&str],
    dir: &Path,
    ladspa_path: Option<&OsStr>,
) -> Result<Agreement, String> {
    let sdk = sdk_tool(tool);
    let ours = ours(tool);
    let outputs = ["sdk.wav", "ours.wav"].map(|name| dir.join(name));
    let [sdk_run, our_run] = [(&sdk, &outputs[0]), (&ours, &outputs[1])].map(|(program, out)| {
        let _ = std::fs::remove_file(out);
        let args: Vec<&str> = args
            .iter()
            .map(|&a| if a == "OUT" { out.to_str().unwrap() } else { a })
            .collect();
        run(program, &args, dir, ladspa_path)
    });
    let context = format!(
        "{tool} {args:?} (LADSPA_PATH={ladspa_path:?})\nSDK stderr: {}\nour stderr: {}",
        String::from_utf8_lossy(&sdk_run.stderr),
        String::from_utf8_lossy(&our_run.stderr)
    );
    if sdk_run.status.code().is_none() {
        return match our_run.status.code() {
            Some(_) => Ok(Agreement::SdkCrashed(format!(
                "the SDK's {tool} ended by {}, ours with {}: {context}",
                sdk_run.status, our_run.status
            ))),
            None => Err(format!(
                "both tools crashed ({} and {}): {context}",
                sdk_run.status, our_run.status
            )),
        };
    }
    if our_run.stdout != sdk_run.stdout {
        return Err(format!(
            "standard output differs: {context}\nSDK stdout:\n{}\nour stdout:\n{}",
            String::from_utf8_lossy(&sdk_run.stdout),
            String::from_utf8_lossy(&our_run.stdout)
        ));
    }
    if our_run.status.code() != sdk_run.status.code() {
        return Err(format!(
            "exit status differs (SDK {}, ours {}): {context}",
            sdk_run.status, our_run.status
        ));
    }
    if !args.contains(&"OUT") {
        return Ok(Agreement::Same);
    }
    if sdk_run.stdout.starts_with(b"Peak output") {
        // The SDK ran the chain (even when it then fails on a trailing argument).
        let (sdk_file, our_file) = (
            std::fs::read(&outputs[0]).unwrap(),
            std::fs::read(&outputs[1]).unwrap_or_default(),
        );
        let first_difference = sdk_file.iter().zip(&our_file).position(|(a, b)| a != b);
        if sdk_file != our_file {
            return Err(format!(
                "output files differ ({} and {} bytes, first difference at byte {first_difference:?}): {context}",
                sdk_file.len(),
                our_file.len()
            ));
        }
    } else if !outputs[0].exists() && outputs[1].exists() {
        return Err(format!(
            "we wrote an output file, the SDK did not: {context}"
        ));
    }
    // Otherwise the SDK failed after creating its output file, and left a header without
    // audio; we check everything before creating ours, and leave none.
    Ok(Agreement::Same)
}

/// Deterministic noise in [-1, 1) (a 64-bit LCG, fixed seed).
fn noise(state: &mut u64) -> f32 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 40) as f32 / (1u64 << 23) as f32) - 1.0
}

/// Writes the test inputs into `dir`: `mono.wav` (3 s at 44.1 kHz, a sine plus noise, with
/// some samples at full scale) and `stereo.wav` (2 s at 48 kHz, a sine and noise), both 16-bit
/// PCM; `float.wav` and `24bit.wav`, which are not.
fn write_inputs(dir: &Path) {
    let mut state = 0x5eed;
    let spec = |channels, sample_rate, bits, format| hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: bits,
        sample_format: format,
    };
    let int = hound::SampleFormat::Int;
    let mut mono =
        hound::WavWriter::create(dir.join("mono.wav"), spec(1, 44_100, 16, int)).unwrap();
    for i in 0..3 * 44_100 {
        let t = i as f32 / 44_100.0;
        let value = 0.6 * (t * 440.0 * std::f32::consts::TAU).sin() + 0.3 * noise(&mut state);
        let sample = (value * 32_767.0) as i16;
        mono.write_sample(if i % 5000 == 0 { i16::MAX } else { sample })
            .unwrap();
    }
    mono.finalize().unwrap();
    let mut stereo =
        hound::WavWriter::create(dir.join("stereo.wav"), spec(2, 48_000, 16, int)).unwrap();
    for i in 0..2 * 48_000 {
        let t = i as f32 / 48_000.0;
        stereo
            .write_sample(((t * 300.0 * std::f32::consts::TAU).sin() * 20_000.0) as i16)
            .unwrap();
        stereo
            .write_sample((noise(&mut state) * 30_000.0) as i16)
            .unwrap();
    }
    stereo.finalize().unwrap();
    // A whole number of the SDK's blocks (2048 frames): its last read gives 0 frames.
    let mut exact =
        hound::WavWriter::create(dir.join("exact.wav"), spec(1, 22_050, 16, int)).unwrap();
    (0..10 * 2048).for_each(|_| {
        exact
            .write_sample((noise(&mut state) * 20_000.0) as i16)
            .unwrap()
    });
    exact.finalize().unwrap();
    // 64 blocks: a whole number of our tool's reads (it reads 64 blocks at a time).
    let mut reads =
        hound::WavWriter::create(dir.join("reads.wav"), spec(1, 22_050, 16, int)).unwrap();
    for _ in 0..64 * 2048 {
        reads
            .write_sample((noise(&mut state) * 20_000.0) as i16)
            .unwrap();
    }
    reads.finalize().unwrap();
    let float = spec(1, 44_100, 32, hound::SampleFormat::Float);
    let mut writer = hound::WavWriter::create(dir.join("float.wav"), float).unwrap();
    (0..4410).for_each(|_| writer.write_sample(noise(&mut state) * 0.5).unwrap());
    writer.finalize().unwrap();
    let mut writer =
        hound::WavWriter::create(dir.join("24bit.wav"), spec(1, 44_100, 24, int)).unwrap();
    (0..4410).for_each(|i| writer.write_sample(i * 100).unwrap());
    writer.finalize().unwrap();
    std::fs::write(dir.join("junk.so"), "not a shared object\n").unwrap();
}

/// Every label of a plugin file, with the number of audio inputs and a control value for each
/// control input (its default, or a value inside its bounds).
fn labels(path: &Path) -> Vec<(String, usize, Vec<String>)> {
    // SAFETY: Debian's example plugins and the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.unwrap_or_else(|e| panic!("{e}"));
    plugin
        .descriptors()
        .iter()
        .map(|d| {
            let controls = d
                .ports()
                .filter(|p| p.is_control() && p.is_input())
                .map(|p| {
                    let hint = p.hint();
                    let value = hint
                        .default_value(44_100)
                        .unwrap_or_else(|| hint.clamp(0.3, 44_100));
                    // A little off the default, to show that the value given is used.
                    format!("{}", hint.clamp(value * 0.75 + 0.125, 44_100))
                })
                .collect();
            (d.label().to_string(), d.audio_input_count(), controls)
        })
        .collect()
}

fn reference_path() -> &'static OsStr {
    ladspa_testplugins::reference_dir().as_os_str()
}

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
        String::new(),
    ];
    for path in &paths {
        compare("listplugins", &[], &dir, Some(OsStr::new(path)));
    }
    compare("listplugins", &[], &dir, None);
}

/// Every plugin file the parity tests run on, each with the `LADSPA_PATH` that finds it: the
/// SDK's five files, then every reference test plugin.
fn every_plugin_file() -> impl Iterator<Item = (PathBuf, &'static OsStr)> {
    let sdk = SDK_FILES.iter().map(|f| {
        (
            Path::new(SDK_DIR).join(format!("{f}.so")),
            OsStr::new(SDK_DIR),
        )
    });
    let reference = ladspa_testplugins::REFERENCE_PLUGINS
        .iter()
        .map(|f| (ladspa_testplugins::reference_plugin(f), reference_path()));
    sdk.chain(reference)
}

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
    compare("analyseplugin", &["amp"], &dir, None);
    compare("analyseplugin", &[&format!("{SDK_DIR}/amp.so")], &dir, None);
}

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
    compare(
        "applyplugin",
        &["mono.wav", "OUT", "amp", "amp_mono", "1"],
        &dir,
        None,
    );
}

// ---- Opt-in: every Debian LADSPA package ---------------------------------------------------

/// Every plugin file in the directory of Debian's LADSPA packages, sorted.
fn debian_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SDK_DIR)
        .expect("read /usr/lib/ladspa")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension() == Some(OsStr::new("so")))
        .collect();
    files.sort();
    files
}

/// Sorts the comparisons' results: differences fail the test, the SDK's own crashes are
/// printed as results.
#[derive(Default)]
struct Results {
    compared: usize,
    sdk_crashes: Vec<String>,
    differences: Vec<String>,
}

impl Results {
    fn add(&mut self, result: Result<Agreement, String>) {
        self.compared += 1;
        match result {
            Ok(Agreement::Same) => {}
            Ok(Agreement::SdkCrashed(note)) => self.sdk_crashes.push(note),
            Err(difference) => self.differences.push(difference),
        }
    }

    fn check(self, what: &str) {
        for note in &self.sdk_crashes {
            eprintln!("{what}: {note}");
        }
        eprintln!(
            "{what}: {} comparisons, {} where the SDK's tool crashed, {} differences",
            self.compared,
            self.sdk_crashes.len(),
            self.differences.len()
        );
        assert!(
            self.differences.is_empty(),
            "{what}: {} differences:\n{}",
            self.differences.len(),
            self.differences.join("\n\n")
        );
    }
}

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
