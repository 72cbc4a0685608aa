//! Chain overhead: `ladspa_host::Chain` against the same plugins run by hand through raw calls.
//!
//! For each chain ([`chain_variants`]: a mono plugin replicated on two channels, then a stereo
//! plugin) one group `chain/<variant>/256`, 256 samples a call:
//! - `raw`: three `run` calls through the descriptors' function pointers, every port connected
//!   once (mono instances from the input buffers into the output buffers, the stereo instance
//!   in place on the output buffers), as a C host would write it;
//! - `handles`: the same three instances as safe `Handle`s, run by hand (`Handle::run`,
//!   `Handle::run_in_place`) on the same buffers;
//! - `chain`: `Chain::process(256, &inputs, &mut outputs)`, which runs the same calls on the
//!   same buffers (no copy: the mono stage writes the outputs, the stereo one runs in place).

use criterion::{Criterion, Throughput};
use ladspa_benches::chain::{HandleChain, RawChain, chain_variants, safe_chain};

const SAMPLES: usize = 256;

fn chain(c: &mut Criterion) {
    for variant in chain_variants() {
        let mut group = c.benchmark_group(format!("chain/{}/{SAMPLES}", variant.name));
        group.throughput(Throughput::Elements(SAMPLES as u64 * 2));

        // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
        let mut raw = unsafe { RawChain::new(&variant, SAMPLES) };
        // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
        let mut handles = unsafe { HandleChain::new(&variant, SAMPLES) };
        // SAFETY: the test plugins and Debian's SDK plugins are trusted plugin files.
        let (mut chain, inputs, mut outputs) = unsafe { safe_chain(&variant, SAMPLES) };

        group.bench_function("raw", |b| b.iter(|| raw.run()));
        group.bench_function("handles", |b| b.iter(|| handles.run()));
        group.bench_function("chain", |b| {
            b.iter(|| chain.process(SAMPLES, &inputs, &mut outputs).unwrap())
        });
        group.finish();
        // The amplifiers are stateless: both sides' last blocks are the same samples.
        if variant.name == "tp" {
            assert_eq!(
                raw.outputs(),
                &outputs[..],
                "the raw and chain sides differ"
            );
        }
        raw.cleanup();
    }
}

fn main() {
    ladspa_benches::main(chain);
}
