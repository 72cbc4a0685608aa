//! Instance lifecycle: `Descriptor::instantiate` and dropping the handle, against the plugin's
//! `instantiate` and `cleanup` called by hand.
//!
//! For each amplifier ([`amp_variants`]), two groups:
//! - `instantiate/<plugin>`: make an instance and drop it.
//! - `instantiate-activate/<plugin>`: make an instance, activate it, drop it (which deactivates
//!   it, then cleans it up).
//!
//! `raw` does what any host must before an instance is usable: `instantiate`, `connect_port` for
//! every port (controls to host memory, audio ports to a buffer), then `cleanup`, with
//! `activate`/`deactivate` in the second group. `raw_bare` leaves out the connections (an
//! instance that could not run): the absolute floor. `safe` is the safe API, whose
//! `instantiate` also sets every control to its default and connects every port.

use criterion::Criterion;
use ladspa_benches::{RawFunctions, RawInstance, RawLibrary, SAMPLE_RATE, amp_variants};
use ladspa_host::Plugin;
use ladspa_host_sys as sys;

/// Host memory for every port of an instance: one value per port, and one block for each.
struct PortMemory {
    values: Vec<f32>,
    audio: Vec<f32>,
}

const BLOCK: usize = 256;

fn instantiate(c: &mut Criterion) {
    for variant in amp_variants() {
        // SAFETY: the test amplifier and the SDK's amplifier are trusted plugin files.
        let library = unsafe { RawLibrary::open(&variant.path) };
        let raw = library.find(variant.label);
        let functions = RawFunctions::of(raw);
        // SAFETY: as above.
        let plugin = unsafe { Plugin::load(&variant.path) }.expect("the amplifier loads");
        let safe = plugin
            .find_label(variant.label)
            .expect("the amplifier has its label");
        let port_count = raw.PortCount as usize;
        // SAFETY: `PortDescriptors` holds `PortCount` entries (the specification).
        let kinds = unsafe { std::slice::from_raw_parts(raw.PortDescriptors, port_count) };
        let mut memory = PortMemory {
            values: vec![0.0; port_count],
            audio: vec![0.0; port_count * BLOCK],
        };

        for activate in [false, true] {
            let name = if activate {
                "instantiate-activate"
            } else {
                "instantiate"
            };
            let mut group = c.benchmark_group(format!("{name}/{}", variant.name));
            group.bench_function("raw", |b| {
                b.iter(|| {
                    // SAFETY: `raw` is live while `library` is; every port is connected to
                    // memory that outlives the instance; the lifecycle is followed in order.
                    unsafe {
                        let mut instance = RawInstance::new(raw, functions, SAMPLE_RATE);
                        connect_all(&mut instance, kinds, &mut memory);
                        if activate {
                            instance.activate();
                            instance.deactivate();
                        }
                        instance.cleanup();
                    }
                })
            });
            group.bench_function("safe", |b| {
                b.iter(|| {
                    let handle = safe.instantiate(SAMPLE_RATE).expect("instantiate");
                    if activate {
                        drop(handle.activate());
                    } else {
                        drop(handle);
                    }
                })
            });
            group.bench_function("raw_bare", |b| {
                b.iter(|| {
                    // SAFETY: as for `raw`; an unconnected instance may be activated (LADSPA
                    // lets `connect_port` come before or after `activate`) and cleaned up.
                    unsafe {
                        let mut instance = RawInstance::new(raw, functions, SAMPLE_RATE);
                        if activate {
                            instance.activate();
                            instance.deactivate();
                        }
                        instance.cleanup();
                    }
                })
            });
            group.finish();
        }
        library.close();
    }
}

/// Connects every port: controls to their value in `memory`, audio ports to their block.
///
/// # Safety
/// `kinds` must be the instance's port descriptors, and `memory` must outlive the instance.
#[inline]
unsafe fn connect_all(
    instance: &mut RawInstance,
    kinds: &[sys::LADSPA_PortDescriptor],
    memory: &mut PortMemory,
) {
    for (port, &kind) in kinds.iter().enumerate() {
        let location = if sys::LADSPA_IS_PORT_AUDIO(kind) {
            memory.audio[port * BLOCK..].as_mut_ptr()
        } else {
            &mut memory.values[port]
        };
        // SAFETY: a port of the instance, connected to memory that outlives it.
        unsafe { instance.connect(port as std::ffi::c_ulong, location) };
    }
}

/// What any safe handle must do beyond the raw path, measured in the same run so the README can
/// state the floor in numbers: keep its plugin type alive (an `Arc` count up and down) and own
/// the memory the plugin points into (the safe API makes two small allocations: one value per
/// port, and the audio ports with their connections).
fn floor(c: &mut Criterion) {
    let mut group = c.benchmark_group("instantiate-floor");
    let shared = std::sync::Arc::new(0_u64);
    group.bench_function("arc_clone_drop", |b| {
        b.iter(|| drop(std::hint::black_box(std::sync::Arc::clone(&shared))))
    });
    group.bench_function("two_small_allocations", |b| {
        b.iter(|| {
            let values: Box<[f32]> = std::hint::black_box(vec![0.0; 3].into_boxed_slice());
            let ports: Box<[(u64, *mut f32)]> =
                std::hint::black_box(vec![(0, std::ptr::null_mut()); 2].into_boxed_slice());
            drop((values, ports));
        })
    });
    group.finish();
}

fn main() {
    ladspa_benches::main(|c| {
        instantiate(c);
        floor(c);
    });
}
