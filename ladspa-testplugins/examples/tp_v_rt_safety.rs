//! `tp_v_rt_safety.so`: two hard-RT-capable mono amplifiers that break the promise, each
//! failing `rt-safety` only:
//!
//! - `tp_v_rt_safety` (7616) calls the C library's `malloc` and `free` in every `run` (a C-side
//!   allocation through the dynamic linker, as a C plugin's would be);
//! - `tp_v_rt_safety_lock` (7617) locks and unlocks a `pthread_mutex_t` in every `run`;
//! - `tp_v_rt_safety_syscall` (7620) makes a system call (`getppid`) in every `run`.

use core::cell::UnsafeCell;
use core::ffi::{c_int, c_ulong, c_void};

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(pointer: *mut c_void);
    fn pthread_mutex_lock(mutex: *mut c_void) -> c_int;
    fn pthread_mutex_unlock(mutex: *mut c_void) -> c_int;
    fn getppid() -> c_int;
}

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ALLOCATES: StaticDescriptor = StaticDescriptor::new(descriptor::<Allocates, 3>(
    Info {
        unique_id: 7616,
        label: c"tp_v_rt_safety",
        name: c"Validator Fixture: malloc in run",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

static LOCKS: StaticDescriptor = StaticDescriptor::new(descriptor::<Locks, 3>(
    Info {
        unique_id: 7617,
        label: c"tp_v_rt_safety_lock",
        name: c"Validator Fixture: mutex in run",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

static CALLS: StaticDescriptor = StaticDescriptor::new(descriptor::<CallsTheKernel, 3>(
    Info {
        unique_id: 7620,
        label: c"tp_v_rt_safety_syscall",
        name: c"Validator Fixture: system call in run",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&ALLOCATES, &LOCKS, &CALLS);

/// The amplifier that asks the kernel for its parent's process ID.
struct CallsTheKernel;

impl Plugin for CallsTheKernel {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        // SAFETY: `getppid` has no preconditions (and no vDSO shortcut: a real system call).
        core::hint::black_box(unsafe { getppid() });
        Amp::<1>.run(io);
    }
}

/// The amplifier that allocates.
struct Allocates;

impl Plugin for Allocates {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        // SAFETY: a plain C allocation of 64 bytes, freed at once (NULL is fine for `free`).
        unsafe {
            let scratch = malloc(64);
            free(core::hint::black_box(scratch));
        }
        Amp::<1>.run(io);
    }
}

/// A `pthread_mutex_t` (40 bytes on glibc; 64 to spare) statically initialised: all zeros is
/// `PTHREAD_MUTEX_INITIALIZER` on glibc.
#[repr(C, align(16))]
struct Mutex(UnsafeCell<[u8; 64]>);

// SAFETY: the mutex is only used through pthread calls, which synchronise.
unsafe impl Sync for Mutex {}

static MUTEX: Mutex = Mutex(UnsafeCell::new([0; 64]));

/// The amplifier that locks.
struct Locks;

impl Plugin for Locks {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let mutex = MUTEX.0.get().cast::<c_void>();
        // SAFETY: a valid, statically initialised mutex, locked and unlocked by this thread.
        unsafe {
            pthread_mutex_lock(mutex);
            pthread_mutex_unlock(mutex);
        }
        Amp::<1>.run(io);
    }
}
