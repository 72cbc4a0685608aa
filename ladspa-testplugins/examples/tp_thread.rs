//! `tp_thread.so`: `tp_thread` (7430, "Test Background Thread"), a mono amplifier (0 "Gain",
//! 1 "Input", 2 "Output") whose first `instantiate` starts a thread that never ends: it sleeps
//! a millisecond and counts a tick, forever. `tp_thread_ticks()` returns the ticks so far.
//!
//! Plugins with worker threads that they never join exist. Once the file is unloaded
//! (`dlclose` of its last reference), the thread wakes up in unmapped code and the process
//! dies of SIGSEGV, which is why hosts need a way to keep such a file mapped for the life of
//! the process (`RTLD_NODELETE`).
//!
//! The thread is a bare POSIX thread running only this file's code: a Rust `std` thread would
//! register thread-local destructors with the C library, which keeps the file from being
//! unloaded at all and so would hide the crash.

use core::ffi::{c_int, c_long, c_ulong, c_void};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static THREAD: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    instantiate: Some(instantiate),
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7430,
            label: c"tp_thread",
            name: c"Test Background Thread",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&THREAD);

/// `struct timespec` of 64-bit Linux.
#[repr(C)]
struct Timespec {
    tv_sec: c_long,
    tv_nsec: c_long,
}

unsafe extern "C" {
    fn nanosleep(request: *const Timespec, remaining: *mut Timespec) -> c_int;
    fn pthread_create(
        thread: *mut c_ulong,
        attributes: *const c_void,
        start: extern "C" fn(*mut c_void) -> *mut c_void,
        argument: *mut c_void,
    ) -> c_int;
    fn pthread_detach(thread: c_ulong) -> c_int;
}

/// Whether the thread was started.
static STARTED: AtomicBool = AtomicBool::new(false);
/// The thread's ticks.
static TICKS: AtomicU64 = AtomicU64::new(0);

/// The ticks of the thread so far (0 before the first `instantiate`).
#[unsafe(no_mangle)]
pub extern "C" fn tp_thread_ticks() -> u64 {
    TICKS.load(Ordering::SeqCst)
}

/// The thread: a tick a millisecond, forever.
extern "C" fn tick(_argument: *mut c_void) -> *mut c_void {
    let millisecond = Timespec {
        tv_sec: 0,
        tv_nsec: 1_000_000,
    };
    loop {
        // SAFETY: a valid request; no remainder is wanted.
        unsafe { nanosleep(&millisecond, core::ptr::null_mut()) };
        TICKS.fetch_add(1, Ordering::SeqCst);
    }
}

/// `instantiate` of the amplifier, starting the thread the first time.
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::instantiate()`].
unsafe extern "C" fn instantiate(
    descriptor: *const LADSPA_Descriptor,
    sample_rate: c_ulong,
) -> LADSPA_Handle {
    if !STARTED.swap(true, Ordering::SeqCst) {
        let mut thread: c_ulong = 0;
        // SAFETY: a writable `pthread_t`, default attributes, a start function that takes no
        // argument and never returns.
        let status =
            unsafe { pthread_create(&mut thread, core::ptr::null(), tick, core::ptr::null_mut()) };
        if status == 0 {
            // SAFETY: a thread just created and not yet joined or detached.
            unsafe { pthread_detach(thread) };
        }
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::instantiate::<Amp<1>>(descriptor, sample_rate) }
}
