//! No panic on any input: every option of every subcommand of `ladspa` and `ladspa-validate`,
//! taken from clap's own command tree (so that a new option is covered by itself), and the
//! numeric arguments of `applyplugin`, given hostile values (huge, negative, zero, NaN, inf,
//! `1e309`, empty, not a number) next to valid other arguments. Each run must end by itself
//! (no signal, within a timeout) with status 0, 1 or 2, and a failure must say so in a short
//! message that starts with the binary's prefix, without Rust internals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use clap::CommandFactory;

/// Values that break parsers: huge, tiny, negative, zero, non-finite, empty, not numbers.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "-1",
    "0.5",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "infinity",
    "1e309",
    "-1e309",
    "1e30",
    "1e19",
    "1e-320",
    "4294967296",
    "18446744073709551616",
    "-9223372036854775809",
    "0x10",
    "abc",
    "=",
    "\u{1F600}",
];

/// One binary's command line under test.
struct Subject {
    program: PathBuf,
    prefix: &'static str,
}

/// What went wrong with one run, or nothing.
fn judge(subject: &Subject, args: &[String], output: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let context = || {
        format!(
            "{} {args:?}: {:?}\n{stderr}",
            subject.program.display(),
            output.status
        )
    };
    let Some(code) = output.status.code() else {
        return Some(format!("killed or timed out: {}", context()));
    };
    if !(0..=2).contains(&code) {
        return Some(format!("exit status {code}: {}", context()));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Some(format!("panicked: {}", context()));
    }
    if stderr.contains("(os error") {
        return Some(format!("Rust internals in the message: {}", context()));
    }
    // (A failure that is a result, such as a check that failed, may be said on standard output
    // alone.)
    let reported = stderr.is_empty() && !output.stdout.is_empty();
    if code != 0 && !reported {
        let prefix = format!("{}: ", subject.prefix);
        if !stderr.starts_with(&prefix) {
            return Some(format!(
                "message without the prefix {prefix:?}: {}",
                context()
            ));
        }
        if stderr.lines().count() > 12 {
            return Some(format!("a long message: {}", context()));
        }
    }
    None
}

/// Runs every value-taking option of `command` (and of its subcommands, each after the valid
/// arguments `base` gives for it) with every hostile value; returns the failures.
fn walk(
    subject: &Subject,
    command: &clap::Command,
    path: &[String],
    base: &dyn Fn(&[String]) -> Vec<String>,
    dir: &Path,
) -> Vec<String> {
    let mut failures = Vec::new();
    let subcommands: Vec<&clap::Command> = command.get_subcommands().collect();
    if subcommands.is_empty() || !path.is_empty() {
        let valid = base(path);
        let mut runs = Vec::new();
        for arg in command.get_arguments() {
            let takes_value = arg.get_action().takes_values();
            let Some(long) = arg.get_long() else { continue };
            if !takes_value || arg.is_positional() {
                continue;
            }
            let names = arg.get_value_names().unwrap_or_default();
            let is_pair = names.iter().any(|name| name.as_str().contains('='));
            for value in HOSTILE {
                let values = if is_pair {
                    vec![format!("0={value}"), format!("Gain={value}")]
                } else {
                    vec![(*value).to_owned()]
                };
                for value in values {
                    let mut args = path.to_vec();
                    args.extend(valid.iter().cloned());
                    args.push(format!("--{long}={value}"));
                    runs.push(args);
                }
            }
        }
        failures.extend(run_all(subject, &runs, dir));
    }
    for sub in subcommands {
        if sub.get_name() == "help" {
            continue;
        }
        let mut deeper = path.to_vec();
        deeper.push(sub.get_name().to_owned());
        // Global options are part of every subcommand's arguments too.
        let sub = sub
            .clone()
            .args(command.get_arguments().filter(|a| a.is_global_set()));
        failures.extend(walk(subject, &sub, &deeper, base, dir));
    }
    failures
}

/// Runs each argument list (two at a time), and judges them.
fn run_all(subject: &Subject, runs: &[Vec<String>], dir: &Path) -> Vec<String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(args) = runs.get(i) else { break };
                    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                    let output = common::run(
                        &subject.program,
                        &refs,
                        dir,
                        Some(ladspa_testplugins::reference_dir().as_os_str()),
                    );
                    if let Some(failure) = judge(subject, args, &output) {
                        failures.lock().unwrap().push(failure);
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

/// A small 16-bit mono WAV file.
fn input_file(dir: &Path) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(dir.join("in.wav"), spec).unwrap();
    for t in 0..1000 {
        writer
            .write_sample(((t * 37) % 2000 - 1000) as i16)
            .unwrap();
    }
    writer.finalize().unwrap();
}

#[test]
fn no_option_of_ladspa_panics_on_hostile_values() {
    let dir = common::scratch("no-panic-ladspa");
    input_file(&dir);
    let fixture = ladspa_testplugins::validator_fixture("tp_v_clean");
    let fixture = fixture.to_str().unwrap().to_owned();
    let base = move |path: &[String]| -> Vec<String> {
        let words: &[&str] = match path.first().map(String::as_str) {
            Some("info") => &["tp_amp_mono"],
            Some("apply") => &["in.wav", "out.wav", "-p", "tp_amp_mono"],
            Some("validate") => &["-c", "load", &fixture],
            Some("completions") => &["bash"],
            _ => &[],
        };
        words.iter().map(|w| (*w).to_owned()).collect()
    };
    let subject = Subject {
        program: env!("CARGO_BIN_EXE_ladspa").into(),
        prefix: "ladspa",
    };
    let command = ladspa_tools::cli::Cli::command();
    let failures = walk(&subject, &command, &[], &base, &dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_option_of_ladspa_validate_panics_on_hostile_values() {
    let dir = common::scratch("no-panic-validate");
    let fixture = ladspa_testplugins::validator_fixture("tp_v_clean");
    let fixture = fixture.to_str().unwrap().to_owned();
    let base = move |_: &[String]| vec!["-c".to_owned(), "load".to_owned(), fixture.clone()];
    let subject = Subject {
        program: env!("CARGO_BIN_EXE_ladspa-validate").into(),
        prefix: "ladspa-validate",
    };
    let command = <ladspa_tools::validate::ValidateArgs as clap::Args>::augment_args(
        clap::Command::new("ladspa-validate"),
    );
    // (The validator has no subcommands: its options are walked at the top.)
    let failures = walk(&subject, &command, &[], &base, &dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_numeric_argument_of_applyplugin_panics() {
    let dir = common::scratch("no-panic-applyplugin");
    input_file(&dir);
    let subject = Subject {
        program: env!("CARGO_BIN_EXE_applyplugin").into(),
        prefix: "applyplugin",
    };
    let mut runs = Vec::new();
    for value in HOSTILE {
        let args = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        runs.push(args(&[
            "-s",
            value,
            "in.wav",
            "out.wav",
            "tp_amp",
            "tp_amp_mono",
            "1",
        ]));
        runs.push(args(&[
            &format!("-s{value}"),
            "in.wav",
            "out.wav",
            "tp_amp",
            "tp_amp_mono",
            "1",
        ]));
        runs.push(args(&["in.wav", "out.wav", "tp_amp", "tp_amp_mono", value]));
    }
    let failures = run_all(&subject, &runs, &dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
