//! The Rust side of the Python package's benchmark (`ladspa-python/benches/bench.py`, which
//! runs this and prints both side by side): the same work as the Python calls, driven from
//! Rust on buffers of the same size and content.
//!
//! - `chain`: `Chain::reset` then `Chain::process` of 2 × 2,880,000 float samples through
//!   Debian's `amp.so:amp_stereo` (gain 0.5), blocks of 8192 (the Python chain's default), into
//!   output buffers that stay (`chain.process(audio, out=out)` in Python);
//! - `run64`: `Handle::run` of 64 frames of `amp.so:amp_mono`, per call.
//!
//! ```sh
//! cargo run --release -p ladspa-benches --example python_parity -- 20 200000
//! ```
//! prints `chain_ms MEDIAN MIN` and `run64_ns MEDIAN`.

use std::hint::black_box;
use std::time::Instant;

use ladspa_host::{Chain, Plugin};

const FRAMES: usize = 2_880_000;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("usage: python_parity CHAIN_RUNS RUN64_CALLS")
        })
        .collect();
    let (runs, calls) = match args[..] {
        [runs, calls] => (runs, calls),
        _ => (20, 200_000),
    };
    // SAFETY: Debian's SDK plugins are trusted plugin files.
    let amp = unsafe { Plugin::load("/usr/lib/ladspa/amp.so") }?;

    let mut chain = Chain::new(2, 48_000, 8192)?.with(amp.find_label("amp_stereo")?)?;
    chain.set_control(0, "Gain", 0.5)?;
    let inputs: Vec<Vec<f32>> = (0..2)
        .map(|c| {
            (0..FRAMES)
                .map(|t| ((t * 7 + c) % 1000) as f32 / 1000.0 - 0.5)
                .collect()
        })
        .collect();
    let mut outputs = vec![vec![0.0_f32; FRAMES]; 2];
    let mut times = Vec::new();
    for _ in 0..runs + 2 {
        let started = Instant::now();
        chain.reset();
        chain.process(FRAMES, &inputs, &mut outputs)?;
        black_box(&mut outputs);
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let times = times.split_off(2); // the first runs fault the pages in
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    println!("chain_ms {:.3} {:.3}", median(times), min);

    let mut handle = amp.find_label("amp_mono")?.instantiate(48_000)?.activate();
    let input = [0.25_f32; 64];
    let mut output = [0.0_f32; 64];
    let mut per_call = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        for _ in 0..calls {
            handle.run(64, &[black_box(&input)], &mut [&mut output])?;
            black_box(&mut output);
        }
        per_call.push(started.elapsed().as_secs_f64() * 1e9 / calls as f64);
    }
    println!("run64_ns {:.1}", median(per_call));
    Ok(())
}
