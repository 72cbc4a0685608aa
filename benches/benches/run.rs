//! Run overhead: the safe `Handle::run` against calling the plugin's `run` function pointer.
//!
//! For each amplifier ([`amp_variants`]) and block size ([`BLOCK_SIZES`]), two groups:
//! - `run-same/<plugin>/<n>`: the same buffers every call. `raw` connects them once and then
//!   only calls `run`; `safe` passes them to `Handle::run` every call (which checks their count
//!   and lengths and skips `connect_port` for ports whose buffer did not move); `bound` binds
//!   them once (`Handle::bind`) and calls `BoundRun::run`, which checks only the sample count.
//! - `run-moving/<plugin>/<n>`: two sets of buffers, used in turn, so they change every call.
//!   `raw` calls `connect_port` for the input and the output and then `run`; `safe` calls
//!   `Handle::run`.
//!
//! `safe` unwraps the `Result` of each run, as a host would; handing the whole `Result` to
//! criterion instead would time criterion's `black_box`, which copies its argument byte by byte
//! (a `Result<(), RunError>` is about a hundred bytes) and costs more than the run itself.

use criterion::{Criterion, Throughput};
use ladspa_benches::{
    AMP_GAIN_PORT, AMP_INPUT_PORT, AMP_OUTPUT_PORT, AmpVariant, BLOCK_SIZES, GAIN, RawFunctions,
    RawInstance, RawLibrary, SAMPLE_RATE, amp_variants, buffers, safe_amp,
};
use ladspa_host::{Descriptor, Plugin};
use ladspa_host_sys as sys;

fn run(c: &mut Criterion) {
    for variant in amp_variants() {
        // SAFETY: the test amplifier and the SDK's amplifier are trusted plugin files.
        let library = unsafe { RawLibrary::open(&variant.path) };
        let raw = library.find(variant.label);
        // SAFETY: as above.
        let plugin = unsafe { Plugin::load(&variant.path) }.expect("the amplifier loads");
        let safe = plugin
            .find_label(variant.label)
            .expect("the amplifier has its label");
        for samples in BLOCK_SIZES {
            same_buffers(c, &variant, samples, raw, safe);
            moving_buffers(c, &variant, samples, raw, safe);
        }
    }
}

/// A raw instance of an amplifier with its gain connected to `gain`, activated.
///
/// # Safety
/// `raw` must be an amplifier's live descriptor, and `gain` must outlive the instance.
unsafe fn raw_amp(raw: &sys::LADSPA_Descriptor, gain: &mut f32) -> RawInstance {
    // SAFETY: the caller's promise.
    let mut instance = unsafe { RawInstance::new(raw, RawFunctions::of(raw), SAMPLE_RATE) };
    // SAFETY: port 0 is the amplifiers' gain, and `gain` outlives the instance (the caller's
    // promise); a live, inactive instance may be activated.
    unsafe {
        instance.connect(AMP_GAIN_PORT, gain);
        instance.activate();
    }
    instance
}

fn same_buffers(
    c: &mut Criterion,
    variant: &AmpVariant,
    samples: usize,
    raw: &sys::LADSPA_Descriptor,
    safe: &Descriptor,
) {
    let mut group = c.benchmark_group(format!("run-same/{}/{samples}", variant.name));
    group.throughput(Throughput::Elements(samples as u64));

    let (input, mut output) = buffers(samples);
    let mut gain = GAIN;
    // SAFETY: `raw` lives as long as `library` in `run`; `gain` outlives the instance.
    let mut instance = unsafe { raw_amp(raw, &mut gain) };
    // SAFETY: the buffers hold `samples` samples and outlive the instance; nothing else touches
    // them while it runs.
    unsafe {
        instance.connect(AMP_INPUT_PORT, input.as_ptr().cast_mut());
        instance.connect(AMP_OUTPUT_PORT, output.as_mut_ptr());
    }
    // SAFETY: every port is connected to live memory of `samples` samples (or one value), and
    // the instance is active.
    group.bench_function("raw", |b| b.iter(|| unsafe { instance.run(samples) }));
    // SAFETY: an active instance, deactivated once and then cleaned up once.
    unsafe {
        instance.deactivate();
        instance.cleanup();
    }

    // Each side checks the output it computed, if criterion ran it (a filter may skip it).
    let amplified = |output: &[f32]| output.iter().zip(&input).all(|(o, i)| *o == i * GAIN);
    let mut handle = safe_amp(safe);
    let mut ran = false;
    group.bench_function("safe", |b| {
        ran = true;
        b.iter(|| {
            handle
                .run(samples, &[&input], &mut [&mut output])
                .expect("the run is accepted")
        })
    });
    drop(handle);
    assert!(!ran || amplified(&output));

    let mut handle = safe_amp(safe);
    let (mut inputs, mut outputs) = ([input.clone()], [vec![0.0; samples]]);
    let mut bound = handle.bind(&mut inputs, &mut outputs).expect("bind");
    let mut ran = false;
    group.bench_function("bound", |b| {
        ran = true;
        b.iter(|| bound.run(samples).expect("the run is accepted"))
    });
    drop(handle);
    assert!(!ran || amplified(&outputs[0]));
    group.finish();
}

fn moving_buffers(
    c: &mut Criterion,
    variant: &AmpVariant,
    samples: usize,
    raw: &sys::LADSPA_Descriptor,
    safe: &Descriptor,
) {
    let mut group = c.benchmark_group(format!("run-moving/{}/{samples}", variant.name));
    group.throughput(Throughput::Elements(samples as u64));

    let mut sets = [buffers(samples), buffers(samples)];
    let mut gain = GAIN;
    // SAFETY: `raw` lives as long as `library` in `run`; `gain` outlives the instance.
    let mut instance = unsafe { raw_amp(raw, &mut gain) };
    let pointers = sets
        .each_mut()
        .map(|(input, output)| (input.as_ptr().cast_mut(), output.as_mut_ptr()));
    let mut turn = 0;
    group.bench_function("raw", |b| {
        b.iter(|| {
            turn ^= 1;
            let (input, output) = pointers[turn];
            // SAFETY: both buffer sets hold `samples` samples and outlive the instance, and
            // nothing else touches them while it runs; the instance is active.
            unsafe {
                instance.connect(AMP_INPUT_PORT, input);
                instance.connect(AMP_OUTPUT_PORT, output);
                instance.run(samples);
            }
        })
    });
    // SAFETY: an active instance, deactivated once and then cleaned up once.
    unsafe {
        instance.deactivate();
        instance.cleanup();
    }

    let mut handle = safe_amp(safe);
    group.bench_function("safe", |b| {
        b.iter(|| {
            turn ^= 1;
            let (input, output) = &mut sets[turn];
            handle
                .run(samples, &[input], &mut [output])
                .expect("the run is accepted")
        })
    });
    group.finish();
}

fn main() {
    ladspa_benches::main(run);
}
