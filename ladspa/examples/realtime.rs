//! A real-time host in miniature: an audio callback thread runs 64-sample blocks through a mono
//! plugin while a GUI thread turns its first knob through `Controls` and reads a peak meter;
//! a counting allocator proves that the callback allocates nothing.
//!
//! ```sh
//! cargo run --release -p ladspa-host --example realtime                  # Debian's amp.so, or the
//! cargo run --release -p ladspa-host --example realtime -- FILE.so LABEL # test amplifier without it
//! ```
//!
//! The callback is a loop on its own thread here (a real host's would be called by the sound
//! server); everything it uses is made before it starts: the handle, its `Controls`, the bound
//! buffers. It exits with an error if the callback allocated.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use ladspa_host::Plugin;

#[path = "support/thread_allocations.rs"]
mod thread_allocations;
use thread_allocations::ThreadAllocations;

#[global_allocator]
static ALLOCATOR: ThreadAllocations = ThreadAllocations;

const BLOCK: usize = 64;
const SAMPLE_RATE: u32 = 48_000;
const SECONDS: u64 = 2;

/// The plugin file and label: the command line's, else Debian's `amp.so`, else the
/// workspace's test amplifier.
fn plugin_to_run() -> (PathBuf, String) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [file, label] => (PathBuf::from(file), label.clone()),
        _ if std::path::Path::new("/usr/lib/ladspa/amp.so").is_file() => {
            ("/usr/lib/ladspa/amp.so".into(), "amp_mono".into())
        }
        _ => (
            ladspa_testplugins::reference_plugin("tp_amp"),
            "tp_amp_mono".into(),
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (path, label) = plugin_to_run();
    // SAFETY: the plugin files this example runs are trusted.
    let plugin = unsafe { Plugin::load(&path) }?;
    let descriptor = plugin.find_label(&label)?.clone();
    let knob = descriptor
        .ports()
        .find(|port| port.is_control() && port.is_input())
        .ok_or("the plugin has no control input to turn")?;
    let (knob, knob_name) = (knob.index(), knob.name().to_string());
    println!("{} ({label}), turning {knob_name:?}", path.display());

    // Everything the callback needs, made on this thread.
    let mut handle = descriptor.instantiate(SAMPLE_RATE)?.activate();
    let controls = handle.controls();
    let peak = Arc::new(AtomicU32::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (inputs, outputs) = (
        descriptor.audio_input_count(),
        descriptor.audio_output_count(),
    );
    if outputs == 0 {
        return Err("the plugin has no audio output to meter".into());
    }

    let callback = std::thread::spawn({
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        move || {
            let mut input_buffers = vec![vec![0.0_f32; BLOCK]; inputs];
            let mut output_buffers = vec![vec![0.0_f32; BLOCK]; outputs];
            ThreadAllocations::count_this_thread(true);
            let result = (|| -> Result<u64, ladspa_host::RunError> {
                let mut bound = handle.bind(&mut input_buffers, &mut output_buffers)?;
                let (mut phase, mut blocks) = (0.0_f32, 0);
                while !stop.load(Ordering::Relaxed) {
                    // Fill the inputs with a 440 Hz tone, run, meter the first output.
                    for k in 0..inputs {
                        for sample in bound.input(k).into_iter().flatten() {
                            *sample = (phase * std::f32::consts::TAU).sin();
                            phase = (phase + 440.0 / SAMPLE_RATE as f32).fract();
                        }
                    }
                    bound.run(BLOCK)?;
                    let output = bound.output(0).unwrap_or_default();
                    let block_peak = output.iter().fold(0.0_f32, |max, s| max.max(s.abs()));
                    peak.store(block_peak.to_bits(), Ordering::Relaxed);
                    blocks += 1;
                    // A sound server would call back when the next block is due.
                    std::thread::sleep(Duration::from_micros(1_333));
                }
                Ok(blocks)
            })();
            ThreadAllocations::count_this_thread(false);
            // The handle goes back to be dropped (deactivate, cleanup) off the callback.
            (handle, result, ThreadAllocations::count())
        }
    });

    // The GUI thread: turn the knob between 0 and 1 and read the meter, ten times a second.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(SECONDS) {
        let position = (start.elapsed().as_secs_f32() * 2.0).fract();
        controls.set(knob, position)?;
        std::thread::sleep(Duration::from_millis(100));
        let level = f32::from_bits(peak.load(Ordering::Relaxed));
        println!("{knob_name} {position:.2} -> peak {level:.3}");
    }
    stop.store(true, Ordering::Relaxed);
    let (handle, blocks, allocations) = callback.join().expect("the callback thread");
    drop(handle);
    let blocks = blocks?;
    println!("{blocks} blocks of {BLOCK} samples; allocations in the callback: {allocations}");
    if allocations != 0 {
        return Err("the callback allocated".into());
    }
    Ok(())
}
