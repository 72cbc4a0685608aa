//! The leak test that started this project, in Rust.
//!
//! A Python binding once leaked every instance: its Plugin held its Descriptors and each
//! Descriptor pointed back at its Plugin. This example does what its `memleak.py` did — makes,
//! runs and drops instances over and over, then loads and unloads the plugin file over and
//! over — and prints the resident memory before and after each phase. It fails (exit status 1)
//! if memory grows after the warm-up.
//!
//! ```text
//! cargo run --release -p ladspa-host --example memleak [--leaks-only] [INSTANCES] [LOADS] [PLUGIN_FILE LABEL]
//! ```
//!
//! `INSTANCES` defaults to 1,000,000 and `LOADS` to 10,000; the plugin defaults to the
//! workspace's test amplifier (`tp_amp_mono`). `--leaks-only` reports memory without judging
//! it, for runs under a leak checker such as valgrind, whose own bookkeeping grows resident
//! memory: there the leak checker is the judge.

use std::path::PathBuf;
use std::process::ExitCode;

use ladspa_host::{Descriptor, Plugin};

/// Growth of resident memory after the warm-up that counts as a leak.
const TOLERANCE_KIB: u64 = 512;

fn resident_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("read /proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("statm has a resident count");
    pages * 4
}

/// Runs `body` `count` times and reports resident memory at the start, after a tenth (the
/// warm-up) and at the end. Returns whether memory stayed flat after the warm-up; with `judge`
/// false it only reports.
fn phase(name: &str, count: u64, judge: bool, mut body: impl FnMut()) -> bool {
    let before = resident_kib();
    let warm_up = (count / 10).max(1).min(count);
    let mut after_warm_up = before;
    for i in 0..count {
        body();
        if i + 1 == warm_up {
            after_warm_up = resident_kib();
        }
    }
    let after = resident_kib();
    let growth = after.saturating_sub(after_warm_up);
    let flat = !judge || growth <= TOLERANCE_KIB;
    println!(
        "{name} x{count}: resident {before} KiB before, {after_warm_up} KiB after warm-up, {after} KiB after \
         ({growth:+} KiB since warm-up: {})",
        match (judge, flat) {
            (false, _) => "not judged (--leaks-only)",
            (true, true) => "flat",
            (true, false) => "GROWING",
        }
    );
    flat
}

fn instance_cycle(descriptor: &Descriptor, input: &[f32], output: &mut [f32]) {
    let mut handle = descriptor.instantiate(44100).expect("instantiate");
    handle.set_control(0, 0.5).expect("set the first control");
    let mut handle = handle.activate();
    let audio_inputs: Vec<&[f32]> = (0..descriptor.audio_input_count()).map(|_| input).collect();
    let mut chunks: Vec<&mut [f32]> = output
        .chunks_mut(input.len())
        .take(descriptor.audio_output_count())
        .collect();
    handle
        .run(input.len(), &audio_inputs, &mut chunks)
        .expect("run");
}

fn main() -> Result<ExitCode, ladspa_host::Error> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let leaks_only = args.first().is_some_and(|a| a == "--leaks-only");
    if leaks_only {
        args.remove(0);
    }
    let number = |i: usize, default: u64| {
        args.get(i)
            .map_or(default, |s| s.parse().expect("a whole number"))
    };
    let (instances, loads) = (number(0, 1_000_000), number(1, 10_000));
    let (path, label) = match (args.get(2), args.get(3)) {
        (Some(path), Some(label)) => (PathBuf::from(path), label.clone()),
        _ => (
            ladspa_testplugins::reference_plugin("tp_amp"),
            "tp_amp_mono".to_owned(),
        ),
    };
    println!("plugin {} ({label})", path.display());

    // SAFETY: the user names a plugin file they trust (by default the workspace's test amp).
    let plugin = unsafe { Plugin::load(&path) }?;
    let descriptor = plugin.find_label(&label)?.clone();
    let input = vec![0.25_f32; 64];
    let mut output = vec![0.0_f32; 64 * descriptor.audio_output_count().max(1)];
    let instances_flat = phase(
        "instantiate + activate + run + drop",
        instances,
        !leaks_only,
        || instance_cycle(&descriptor, &input, &mut output),
    );
    drop((plugin, descriptor));

    let loads_flat = phase(
        "load + find + instantiate + drop everything",
        loads,
        !leaks_only,
        || {
            // SAFETY: as above.
            let plugin = unsafe { Plugin::load(&path) }.expect("load");
            let descriptor = plugin.find_label(&label).expect("find").clone();
            drop(plugin);
            instance_cycle(&descriptor, &input, &mut output);
        },
    );
    Ok(if instances_flat && loads_flat {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
