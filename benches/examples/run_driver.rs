//! A small driver for counting instructions with callgrind: runs an amplifier `iterations`
//! times on blocks of `samples`, the raw way (function pointers, buffers connected once) or the
//! safe way (`Handle::run`), or the bound way (`Handle::bind` once, `BoundRun::run`); or runs
//! `tp_hints` (48 control inputs) with `Controls` changing none, one or all of them before each
//! run (`controls-none`: no `Controls` at all; `controls-unchanged`, `controls-one`,
//! `controls-all`; the plugin arguments are ignored); or makes and drops `iterations` instances (`instantiate-raw`:
//! `instantiate`, `connect_port` for the three ports, `cleanup`; `instantiate-safe`:
//! `Descriptor::instantiate` and drop). `callgrind-run.sh` runs it twice per mode and divides the
//! difference by the difference in iterations, which leaves the cost of one call.
//!
//! ```sh
//! cargo run --release -p ladspa-benches --example run_driver -- safe 64 100000 [plugin.so label]
//! ```

use std::hint::black_box;
use std::path::PathBuf;

use ladspa_benches::{
    AMP_GAIN_PORT, AMP_INPUT_PORT, AMP_OUTPUT_PORT, ControlChanges, GAIN, RawFunctions,
    RawInstance, RawLibrary, SAMPLE_RATE, TEST_AMP_LABEL, buffers, controls_plugin, safe_amp,
    test_amp, turn_knobs,
};
use ladspa_host::Plugin;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: run_driver raw|safe|bound|controls-none|controls-unchanged|controls-one|controls-all|instantiate-raw|instantiate-safe SAMPLES ITERATIONS \
                 [PLUGIN_FILE LABEL]";
    let mode = args.first().expect(usage).clone();
    let samples: usize = args.get(1).expect(usage).parse().expect(usage);
    let iterations: usize = args.get(2).expect(usage).parse().expect(usage);
    let (path, label) = match (args.get(3), args.get(4)) {
        (Some(path), Some(label)) => (PathBuf::from(path), label.clone()),
        _ => (test_amp(), TEST_AMP_LABEL.to_owned()),
    };
    let (input, mut output) = buffers(samples);
    match mode.as_str() {
        "raw" => {
            // SAFETY: the driver is run on trusted amplifier files.
            let library = unsafe { RawLibrary::open(&path) };
            let raw = library.find(&label);
            let mut gain = GAIN;
            // SAFETY: `raw` is live while `library` is; every port is connected to memory that
            // outlives the instance, which is activated, run, deactivated and cleaned up in
            // order.
            unsafe {
                let mut instance = RawInstance::new(raw, RawFunctions::of(raw), SAMPLE_RATE);
                instance.connect(AMP_GAIN_PORT, &mut gain);
                instance.connect(AMP_INPUT_PORT, input.as_ptr().cast_mut());
                instance.connect(AMP_OUTPUT_PORT, output.as_mut_ptr());
                instance.activate();
                for _ in 0..iterations {
                    instance.run(black_box(samples));
                }
                instance.deactivate();
                instance.cleanup();
            }
        }
        "safe" => {
            // SAFETY: the driver is run on trusted amplifier files.
            let plugin = unsafe { Plugin::load(&path) }.expect("the plugin loads");
            let mut handle = safe_amp(plugin.find_label(&label).expect("the label exists"));
            for _ in 0..iterations {
                handle
                    .run(black_box(samples), &[&input], &mut [&mut output])
                    .expect("the run is accepted");
            }
        }
        "bound" => {
            // SAFETY: the driver is run on trusted amplifier files.
            let plugin = unsafe { Plugin::load(&path) }.expect("the plugin loads");
            let mut handle = safe_amp(plugin.find_label(&label).expect("the label exists"));
            let (mut inputs, mut outputs) = ([input.clone()], [output.clone()]);
            let mut bound = handle.bind(&mut inputs, &mut outputs).expect("bind");
            for _ in 0..iterations {
                bound.run(black_box(samples)).expect("the run is accepted");
            }
        }
        controls if controls.starts_with("controls-") => {
            let (changes, _) = ControlChanges::ALL
                .into_iter()
                .find(|(_, name)| controls == format!("controls-{name}"))
                .expect(usage);
            let (mut handle, controls, changed) = changes.setup(&controls_plugin());
            for round in 0..iterations {
                turn_knobs(controls.as_ref(), &changed, round);
                handle
                    .run(
                        black_box(samples),
                        &ladspa_host::NO_BUFFERS,
                        &mut [&mut output],
                    )
                    .expect("the run is accepted");
            }
        }
        "instantiate-raw" => {
            // SAFETY: the driver is run on trusted amplifier files.
            let library = unsafe { RawLibrary::open(&path) };
            let raw = library.find(&label);
            let functions = RawFunctions::of(raw);
            let mut gain = GAIN;
            for _ in 0..iterations {
                // SAFETY: `raw` is live while `library` is; every port is connected to memory
                // that outlives the instance, which is cleaned up once.
                unsafe {
                    let mut instance = RawInstance::new(raw, functions, SAMPLE_RATE);
                    instance.connect(AMP_GAIN_PORT, &mut gain);
                    instance.connect(AMP_INPUT_PORT, input.as_ptr().cast_mut());
                    instance.connect(AMP_OUTPUT_PORT, output.as_mut_ptr());
                    instance.cleanup();
                }
            }
        }
        "instantiate-safe" => {
            // SAFETY: the driver is run on trusted amplifier files.
            let plugin = unsafe { Plugin::load(&path) }.expect("the plugin loads");
            let descriptor = plugin.find_label(&label).expect("the label exists");
            for _ in 0..iterations {
                drop(black_box(
                    descriptor.instantiate(SAMPLE_RATE).expect("instantiate"),
                ));
            }
        }
        _ => panic!("{usage}"),
    }
    black_box(&output);
}
