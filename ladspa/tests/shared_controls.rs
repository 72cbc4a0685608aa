//! `Controls`: control inputs set from other threads reach the plugin at the start of the next
//! run, in order, with nothing allocated on the running thread; outputs are published after
//! each run; `Controls::set` and `Handle::set_control` on one handle resolve as documented.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::reference_descriptor;
use ladspa_host::PortError;

#[path = "../examples/support/thread_allocations.rs"]
mod thread_allocations;
use thread_allocations::ThreadAllocations;

// Only the running thread is counted, so the other tests of this binary, and the test harness,
// do not disturb the count.
#[global_allocator]
static GLOBAL: ThreadAllocations = ThreadAllocations;

const CHANGES: usize = 10_000;

#[test]
fn ten_thousand_changes_from_a_gui_thread_reach_the_running_plugin_in_order_allocation_free() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap().activate();
    let controls = handle.controls();
    let value = recorder.control_input("Value").unwrap().index();
    let seen = recorder.control_port("Seen").unwrap().index();
    let stop = AtomicBool::new(false);

    let (recorded, allocations) = std::thread::scope(|scope| {
        let runner = scope.spawn(|| {
            // Everything this thread needs is allocated before it starts counting.
            let mut recorded: Vec<f32> = Vec::with_capacity(4_000_000);
            let input = [0.0_f32; 64];
            let mut output = [0.0_f32; 64];
            ThreadAllocations::count_this_thread(true);
            let before = ThreadAllocations::count();
            while !stop.load(Ordering::Relaxed) {
                handle.run(64, &[&input], &mut [&mut output]).unwrap();
                // The output is input + the Value this run saw.
                if recorded.len() < recorded.capacity() {
                    recorded.push(output[0]);
                }
                std::thread::yield_now();
            }
            let allocations = ThreadAllocations::count() - before;
            ThreadAllocations::count_this_thread(false);
            (recorded, allocations)
        });
        // The GUI thread: each change, then wait until the plugin reports having seen it.
        let deadline = Instant::now() + Duration::from_secs(120);
        for change in 1..=CHANGES {
            let target = change as f32;
            controls.set(value, target).unwrap();
            while controls.get(seen).unwrap() != target {
                assert!(
                    Instant::now() < deadline,
                    "change {change} never reached the plugin"
                );
                std::thread::yield_now();
            }
        }
        stop.store(true, Ordering::Relaxed);
        runner.join().unwrap()
    });

    assert_eq!(allocations, 0, "allocations on the running thread");
    assert!(
        recorded.windows(2).all(|pair| pair[0] <= pair[1]),
        "the plugin saw the values out of order"
    );
    let mut distinct = recorded.clone();
    distinct.dedup();
    distinct.retain(|&v| v != 0.0);
    let expected: Vec<f32> = (1..=CHANGES).map(|change| change as f32).collect();
    assert_eq!(distinct, expected, "every change, each once, in order");
}

#[test]
fn a_change_reaches_the_plugin_at_the_next_run_and_outputs_are_published_after_it() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap().activate();
    let controls = handle.controls();
    assert_eq!(controls.get("Value").unwrap(), 0.0);
    assert_eq!(controls.get("Runs").unwrap(), 0.0, "no run yet");

    controls.set("Value", 3.0).unwrap();
    controls.set("Value", 5.0).unwrap(); // the latest before the run wins
    assert_eq!(controls.get("Value").unwrap(), 5.0, "the latest value set");
    assert_eq!(
        handle.control("Value").unwrap(),
        0.0,
        "not applied before a run"
    );

    let mut out = [0.0_f32; 4];
    handle.run(4, &[[1.0_f32; 4]], &mut [&mut out]).unwrap();
    assert_eq!(out, [6.0; 4]);
    assert_eq!(handle.control("Value").unwrap(), 5.0);
    assert_eq!(controls.get("Seen").unwrap(), 5.0);
    assert_eq!(controls.get("Runs").unwrap(), 1.0);
    assert_eq!(controls.get("latency").unwrap(), 64.0);

    // A run of 0 samples applies and publishes too.
    controls.set(0, 7.0).unwrap();
    handle.run(0, &[[0.0_f32; 0]], &mut [[0.0_f32; 0]]).unwrap();
    assert_eq!(controls.get("Seen").unwrap(), 7.0);
    assert_eq!(controls.get("Runs").unwrap(), 2.0);
}

#[test]
fn set_control_supersedes_a_pending_change_and_a_later_change_supersedes_it() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap().activate();
    let controls = handle.controls();
    let mut out = [0.0_f32; 1];

    controls.set("Value", 1.0).unwrap();
    handle.set_control("Value", 2.0).unwrap(); // later: wins
    assert_eq!(controls.get("Value").unwrap(), 2.0);
    handle.run(1, &[[0.0_f32]], &mut [&mut out]).unwrap();
    assert_eq!(out[0], 2.0);

    handle.set_control("Value", 3.0).unwrap();
    controls.set("Value", 4.0).unwrap(); // later: wins at the next run
    handle.run(1, &[[0.0_f32]], &mut [&mut out]).unwrap();
    assert_eq!(out[0], 4.0);
}

#[test]
fn controls_refuse_what_set_control_refuses() {
    let recorder = reference_descriptor("tp_recorder", "tp_recorder");
    let mut handle = recorder.instantiate(48_000).unwrap();
    let controls = handle.controls();
    assert!(matches!(
        controls.set("Value", f32::NAN),
        Err(PortError::NotFinite { index: 0, .. })
    ));
    assert!(matches!(
        controls.set("Value", f32::INFINITY),
        Err(PortError::NotFinite { .. })
    ));
    assert!(matches!(
        controls.set("Seen", 1.0),
        Err(PortError::NotInput { index: 3, .. })
    ));
    assert!(matches!(
        controls.set(1, 1.0),
        Err(PortError::NotControl { index: 1, .. })
    ));
    assert!(matches!(
        controls.set(99, 1.0),
        Err(PortError::NoSuchPort { .. })
    ));
    assert!(matches!(
        controls.get("Input"),
        Err(PortError::NotControl { .. })
    ));
    assert_eq!(
        controls.get("Value").unwrap(),
        0.0,
        "refused values change nothing"
    );
    // Clones share the ports; a handle's controls survive state changes.
    controls.clone().set("Value", 9.0).unwrap();
    let mut handle = handle.activate();
    let mut out = [0.0_f32; 1];
    handle.run(1, &[[0.0_f32]], &mut [&mut out]).unwrap();
    assert_eq!(out[0], 9.0);
}
