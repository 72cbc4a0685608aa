//! `tp_overlap.so`: `tp_overlap` (7420, "Test Overlapping Lifecycle Calls"), a mono amplifier
//! (0 "Gain", 1 "Input", 2 "Output") that watches for lifecycle calls made at the same time.
//!
//! Real plugins share global state across instances (and, through libraries such as FFTW,
//! across files), so `instantiate`, `activate`, `deactivate` and `cleanup` of two instances
//! must not run at once ("instantiation threading class"). Here each of those calls
//!
//! - counts in `overlapping_calls` when it begins while another lifecycle call of this file is
//!   still running;
//! - sleeps about a millisecond, so that calls made at once really overlap;
//! - records when it began and ended (nanoseconds of `CLOCK_MONOTONIC`, one clock for every
//!   file of the process) in a table of `ladspa_testplugins::OVERLAP_MAX_INTERVALS` entries,
//!   which `tp_overlap_intervals` (`ladspa_testplugins::OVERLAP_INTERVALS_SYMBOL`) copies out.
//!
//! A test loads two private copies of the file (two images, two tables) and checks that no two
//! recorded intervals of either overlap: the host serialises lifecycle calls process-wide.
//! `connect_port` and `run` are not watched: they may run concurrently on different instances.

use core::ffi::{c_int, c_long, c_ulong};
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use ladspa_testplugins::kit::*;
use ladspa_testplugins::{Counters, OVERLAP_MAX_INTERVALS};

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static OVERLAP: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    instantiate: Some(instantiate),
    activate: Some(activate),
    deactivate: Some(deactivate),
    cleanup: Some(cleanup),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7420,
            label: c"tp_overlap",
            name: c"Test Overlapping Lifecycle Calls",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&OVERLAP);

/// `struct timespec` of 64-bit Linux.
#[repr(C)]
struct Timespec {
    tv_sec: c_long,
    tv_nsec: c_long,
}

/// `CLOCK_MONOTONIC` of Linux's `<time.h>`.
const CLOCK_MONOTONIC: c_int = 1;

unsafe extern "C" {
    fn clock_gettime(clock: c_int, time: *mut Timespec) -> c_int;
}

/// Now, in nanoseconds of `CLOCK_MONOTONIC`: one clock for the whole process, unlike
/// `std::time::Instant`, whose values cannot be compared across two images of this file.
fn now() -> u64 {
    let mut time = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock and a valid, writable `timespec`.
    let status = unsafe { clock_gettime(CLOCK_MONOTONIC, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_MONOTONIC) failed");
    time.tv_sec as u64 * 1_000_000_000 + time.tv_nsec as u64
}

/// The recorded intervals, `[enter, exit]` each, in the order the calls began.
static INTERVALS: [[AtomicU64; 2]; OVERLAP_MAX_INTERVALS] =
    [const { [AtomicU64::new(0), AtomicU64::new(0)] }; OVERLAP_MAX_INTERVALS];
/// How many calls began (some may not be recorded, past the end of `INTERVALS`).
static CALLS: AtomicUsize = AtomicUsize::new(0);
/// How many calls are running now.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Runs one lifecycle call `call`, watched.
fn watched<T>(call: impl FnOnce() -> T) -> T {
    let enter = now();
    if RUNNING.fetch_add(1, Ordering::SeqCst) > 0 {
        Counters::bump(&COUNTERS.overlapping_calls);
    }
    let slot = CALLS.fetch_add(1, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1));
    let result = call();
    // The interval covers the whole time the call counted as running.
    let exit = now();
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    if let Some([start, end]) = INTERVALS.get(slot) {
        start.store(enter, Ordering::SeqCst);
        end.store(exit, Ordering::SeqCst);
    }
    result
}

/// Copies up to `max` recorded intervals `[enter, exit]` to `out`, in the order the calls
/// began, and returns how many it copied. Call it when no lifecycle call of the file is
/// running (an interval still being written reads as zeros).
///
/// # Safety
///
/// `out` must be valid for writes of `max` intervals.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tp_overlap_intervals(out: *mut [u64; 2], max: usize) -> usize {
    let count = CALLS
        .load(Ordering::SeqCst)
        .min(OVERLAP_MAX_INTERVALS)
        .min(max);
    for (i, [start, end]) in INTERVALS.iter().take(count).enumerate() {
        let interval = [start.load(Ordering::SeqCst), end.load(Ordering::SeqCst)];
        // SAFETY: i < count ≤ max, and `out` is valid for `max` intervals (the contract).
        unsafe { out.add(i).write(interval) };
    }
    count
}

/// `instantiate` of the amplifier, watched.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::instantiate()`].
unsafe extern "C" fn instantiate(
    descriptor: *const LADSPA_Descriptor,
    sample_rate: c_ulong,
) -> LADSPA_Handle {
    // SAFETY: forwarded from this function's contract.
    watched(|| unsafe { ladspa_testplugins::kit::instantiate::<Amp<1>>(descriptor, sample_rate) })
}

/// `activate` of the amplifier, watched.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::activate()`].
unsafe extern "C" fn activate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    watched(|| unsafe { ladspa_testplugins::kit::activate::<Amp<1>>(handle) })
}

/// `deactivate` of the amplifier, watched.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::deactivate()`].
unsafe extern "C" fn deactivate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    watched(|| unsafe { ladspa_testplugins::kit::deactivate::<Amp<1>>(handle) })
}

/// `cleanup` of the amplifier, watched.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::cleanup()`].
unsafe extern "C" fn cleanup(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    watched(|| unsafe { ladspa_testplugins::kit::cleanup::<Amp<1>>(handle) })
}
