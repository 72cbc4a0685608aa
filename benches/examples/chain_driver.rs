//! A driver for counting the instructions of a chain with callgrind (`callgrind-run.sh`): runs
//! the chain benchmark's stereo chain (a mono plugin replicated, then a stereo plugin)
//! `iterations` times on blocks of `samples`, by raw calls (`raw`), by safe handles run by hand
//! (`handles`) or through `ladspa_host::Chain` (`chain`); `VARIANT` is `tp` (the test amplifiers)
//! or `sdk` (Debian's `filter.so` low pass, then `amp.so` stereo amplifier).
//!
//! ```sh
//! cargo run --release -p ladspa-benches --example chain_driver -- chain tp 256 100000
//! ```

use std::hint::black_box;

use ladspa_benches::chain::{HandleChain, RawChain, chain_variants, safe_chain};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: chain_driver raw|handles|chain tp|sdk SAMPLES ITERATIONS";
    let [mode, variant, samples, iterations] = &args[..] else {
        panic!("{usage}")
    };
    let samples: usize = samples.parse().expect(usage);
    let iterations: usize = iterations.parse().expect(usage);
    let variant = chain_variants()
        .into_iter()
        .find(|v| v.name == variant)
        .expect("a known, installed variant");
    match mode.as_str() {
        "raw" => {
            // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
            let mut raw = unsafe { RawChain::new(&variant, samples) };
            for _ in 0..iterations {
                black_box(&mut raw).run();
            }
            raw.cleanup();
        }
        "handles" => {
            // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
            let mut handles = unsafe { HandleChain::new(&variant, samples) };
            for _ in 0..iterations {
                black_box(&mut handles).run();
            }
        }
        "chain" => {
            // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
            let (mut chain, inputs, mut outputs) = unsafe { safe_chain(&variant, samples) };
            for _ in 0..iterations {
                chain
                    .process(black_box(samples), &inputs, &mut outputs)
                    .expect("buffers fit");
            }
        }
        _ => panic!("{usage}"),
    }
}
