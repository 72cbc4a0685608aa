//! Thread-safety: the marker traits both ways, and many instances of one plugin type running on
//! several threads at once, giving what a single thread gives.

mod common;

use ladspa_host::{Active, AnyHandle, Controls, Descriptor, Handle, Inactive, Plugin};
use static_assertions::{assert_impl_all, assert_not_impl_any};

assert_impl_all!(Plugin: Send, Sync);
assert_impl_all!(Descriptor: Send, Sync, Clone);
// Handles are Send and Sync (every call into the plugin takes `&mut self`), never Clone; so a
// handle that a channel failed to send is an error that `?` can pass into `anyhow`-style types.
assert_impl_all!(Handle<Inactive>: Send, Sync);
assert_impl_all!(Handle<Active>: Send, Sync);
assert_impl_all!(AnyHandle: Send, Sync);
assert_not_impl_any!(Handle<Inactive>: Clone);
assert_not_impl_any!(Handle<Active>: Clone);
assert_impl_all!(
    std::sync::mpsc::SendError<Handle<Active>>: std::error::Error, Send, Sync
);
assert_impl_all!(Controls: Send, Sync, Clone);
// A binding restores the floating-point control register of the thread that bound it: it
// stays there.
assert_not_impl_any!(ladspa_host::BoundRun<'static, 'static>: Send, Sync);
assert_impl_all!(ladspa_host::Error: Send, Sync, std::error::Error);

/// Renders a delay line and noise through one instance each, in blocks of varying size.
fn render(delay: &Descriptor, noise: &Descriptor, seed: u32) -> Vec<f32> {
    let mut delay = delay.instantiate(8000).unwrap();
    delay
        .set_control("Delay (Seconds)", 0.003 * seed as f32)
        .unwrap();
    let mut delay = delay.activate();
    let mut noise = noise.instantiate(8000).unwrap().activate();
    let input = common::signal(4000, seed);
    let mut noisy = vec![0.0; 4000];
    let mut output = vec![0.0; 4000];
    let mut start = 0;
    for block in [1, 64, 1000, 7, 2928].into_iter().cycle() {
        let end = (start + block).min(input.len());
        noise
            .run(
                end - start,
                &ladspa_host::NO_BUFFERS,
                &mut [&mut noisy[start..end]],
            )
            .unwrap();
        delay
            .run(
                end - start,
                &[&input[start..end]],
                &mut [&mut output[start..end]],
            )
            .unwrap();
        if end == input.len() {
            break;
        }
        start = end;
    }
    output.iter().zip(&noisy).map(|(a, b)| a + b).collect()
}

#[test]
fn instances_of_one_descriptor_run_on_many_threads_as_on_one() {
    let delay = common::reference_descriptor("tp_delay", "tp_delay");
    let noise = common::reference_descriptor("tp_noise", "tp_noise");
    let seeds: Vec<u32> = (1..=16).collect();
    let expected: Vec<Vec<f32>> = seeds
        .iter()
        .map(|&seed| render(&delay, &noise, seed))
        .collect();

    let parallel: Vec<Vec<f32>> = std::thread::scope(|scope| {
        let threads: Vec<_> = seeds
            .iter()
            .map(|&seed| {
                scope.spawn({
                    let (delay, noise) = (&delay, &noise);
                    move || render(delay, noise, seed)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().unwrap())
            .collect()
    });
    assert_eq!(parallel, expected);
}

#[test]
fn a_handle_made_on_one_thread_runs_on_another() {
    let amp = common::reference_descriptor("tp_amp", "tp_amp_mono");
    let mut handle = amp.instantiate(44100).unwrap();
    handle.set_control("Gain", 3.0).unwrap();
    let handle = handle.activate();
    let (handle, output) = std::thread::spawn(move || {
        let mut handle = handle;
        let mut output = vec![0.0; 32];
        handle.run(32, &[&[1.0; 32]], &mut [&mut output]).unwrap();
        (handle, output)
    })
    .join()
    .unwrap();
    assert_eq!(output, vec![3.0; 32]);
    drop(handle); // deactivated and cleaned up on this thread
}

#[test]
fn plugins_load_and_instantiate_from_many_threads() {
    let path = ladspa_testplugins::reference_plugin("tp_sine");
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..20 {
                    // SAFETY: the test plugins are trusted code.
                    let plugin = unsafe { Plugin::load(&path) }.unwrap();
                    let mut handle = plugin.descriptors()[0]
                        .instantiate(44100)
                        .unwrap()
                        .activate();
                    let mut out = vec![0.0; 64];
                    handle
                        .run(64, &ladspa_host::NO_BUFFERS, &mut [&mut out])
                        .unwrap();
                }
            });
        }
    });
}
