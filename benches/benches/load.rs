//! Loading a plugin file: `Plugin::load`, reading its descriptors and dropping it, against
//! `dlopen`, `dlsym("ladspa_descriptor")`, calling it until NULL and `dlclose`.
//!
//! For each amplifier file ([`amp_variants`]), two groups:
//! - `load/<plugin>`: the file is not loaded elsewhere, so every iteration maps, relocates and
//!   unmaps it (what loading a plugin file costs).
//! - `load-resident/<plugin>`: another handle keeps the file loaded, so `dlopen`/`dlclose` only
//!   count references and what is left is the host's own work (the safe side validates every
//!   descriptor). Reported for information; the target applies to `load`.

use criterion::Criterion;
use ladspa_benches::{RawLibrary, amp_variants, raw_load_enumerate};
use ladspa_host::Plugin;

fn load(c: &mut Criterion) {
    for variant in amp_variants() {
        let path = variant.path.as_path();
        for resident in [false, true] {
            // SAFETY: the test amplifier and the SDK's amplifier are trusted plugin files.
            let keeper = resident.then(|| unsafe { RawLibrary::open(path) });
            let name = if resident { "load-resident" } else { "load" };
            let mut group = c.benchmark_group(format!("{name}/{}", variant.name));
            group.bench_function("raw", |b| {
                b.iter(|| {
                    // SAFETY: as above.
                    unsafe { raw_load_enumerate(path) }.expect("the amplifier loads")
                })
            });
            group.bench_function("safe", |b| {
                b.iter(|| {
                    // SAFETY: as above.
                    let plugin = unsafe { Plugin::load(path) }.expect("the amplifier loads");
                    plugin.descriptors().len()
                })
            });
            group.finish();
            drop(keeper);
        }
    }
}

fn main() {
    ladspa_benches::main(load);
}
