//! Support shared by the benchmarks of the safe `ladspa` host against raw C calls.
//!
//! Each benchmark compares, in one criterion group, the safe API with the *raw path*: the same
//! plugin file opened with the same loader flags, and the `ladspa-host-sys` function pointers of its
//! `LADSPA_Descriptor` called directly, as a C host would. The crate holds that raw path (`raw`:
//! [`RawLibrary`], [`RawFunctions`], [`RawInstance`], [`raw_load_enumerate`], [`raw_scan`]),
//! the plugin files the benchmarks run (`fixtures`: [`amp_variants`], [`scan_dirs`]) and the criterion
//! settings they share ([`criterion_config`]).
//!
//! The raw path checks nothing that a C host would not: it unwraps the required function
//! pointers once and trusts the plugin. Its unsafe functions state what they assume.

use std::time::Duration;

pub mod chain;
mod fixtures;
mod raw;

pub use fixtures::*;
pub use raw::*;

/// The criterion settings of every benchmark: 1 s of warm-up and 4 s of measurement per
/// function, which keeps the whole `cargo bench` within a few minutes on a two-core machine.
/// Command-line flags (`--warm-up-time`, `--measurement-time`, `--sample-size`) override them.
pub fn criterion_config() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .noise_threshold(0.02)
}

/// The `main` of a benchmark file: runs `benchmarks` with [`criterion_config`] overridden by
/// the command line (as `criterion_group!` and `criterion_main!` would), then prints criterion's
/// summary.
pub fn main(benchmarks: fn(&mut criterion::Criterion)) {
    let mut criterion = criterion_config().configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
}
