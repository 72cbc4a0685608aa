//! Allocation and lock detection for the `rt-safety` check: this module defines `malloc`,
//! `calloc`, `realloc`, `free`, `posix_memalign`, `aligned_alloc`, `memalign` and
//! `pthread_mutex_lock` in the executable. The package's build script exports them in the
//! executable's dynamic symbol table (`-Wl,--export-dynamic-symbol=…`), so the dynamic linker
//! binds every plugin file's calls (and the C library's own users) to them. Each forwards to
//! glibc's implementation (`__libc_malloc` and friends; `pthread_mutex_lock` through
//! `dlsym(RTLD_NEXT)`) and, while the calling thread's "inside run" flag is set, counts the call.
//!
//! The flag is a `const` thread-local `Cell<bool>`: on Linux it is a plain `#[thread_local]`
//! static, which needs no allocation and no registration, so reading it inside `malloc` cannot
//! recurse. [`interposed`] tells whether this executable really got the symbols (a program that
//! links this library without the build script's flags would not), so the check is skipped
//! rather than pretended.
//!
//! Not detected: `valloc`/`pvalloc`, `mmap`, `sbrk`, other lock kinds (`pthread_rwlock_*`,
//! semaphores, raw futexes; C++ `std::mutex` uses `pthread_mutex_lock` and *is* detected).
//! System calls are watched by [`syscalls`](super::syscalls) on x86-64.

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

thread_local! {
    /// Whether this thread is inside a plugin's `run` that is being watched.
    static INSIDE_RUN: Cell<bool> = const { Cell::new(false) };
}

/// Allocator calls counted while a watched run was on.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// `pthread_mutex_lock` calls counted while a watched run was on.
static LOCKS: AtomicU64 = AtomicU64::new(0);
/// glibc's `pthread_mutex_lock`, found once by [`prepare`].
static REAL_MUTEX_LOCK: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());

unsafe extern "C" {
    fn __libc_malloc(size: usize) -> *mut c_void;
    fn __libc_calloc(count: usize, size: usize) -> *mut c_void;
    fn __libc_realloc(pointer: *mut c_void, size: usize) -> *mut c_void;
    fn __libc_free(pointer: *mut c_void);
    fn __libc_memalign(alignment: usize, size: usize) -> *mut c_void;
}

/// Whether this thread is inside a watched run.
#[inline(always)]
pub(crate) fn inside_run() -> bool {
    INSIDE_RUN.try_with(Cell::get).unwrap_or(false)
}

#[inline(always)]
fn note(counter: &AtomicU64) {
    // `try_with`: during a thread's teardown the slot may be gone; such calls are not in a run.
    if INSIDE_RUN.try_with(Cell::get).unwrap_or(false) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// `malloc`, counted.
///
/// # Safety
/// As glibc's `malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's arguments.
    unsafe { __libc_malloc(size) }
}

/// `calloc`, counted.
///
/// # Safety
/// As glibc's `calloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's arguments.
    unsafe { __libc_calloc(count, size) }
}

/// `realloc`, counted.
///
/// # Safety
/// As glibc's `realloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realloc(pointer: *mut c_void, size: usize) -> *mut c_void {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's arguments.
    unsafe { __libc_realloc(pointer, size) }
}

/// `free`, counted.
///
/// # Safety
/// As glibc's `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(pointer: *mut c_void) {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's argument.
    unsafe { __libc_free(pointer) }
}

/// `memalign`, counted.
///
/// # Safety
/// As glibc's `memalign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memalign(alignment: usize, size: usize) -> *mut c_void {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's arguments.
    unsafe { __libc_memalign(alignment, size) }
}

/// `aligned_alloc`, counted (glibc's own is `memalign` under another name).
///
/// # Safety
/// As glibc's `aligned_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aligned_alloc(alignment: usize, size: usize) -> *mut c_void {
    note(&ALLOCATIONS);
    // SAFETY: forwarded to glibc's implementation with the caller's arguments.
    unsafe { __libc_memalign(alignment, size) }
}

/// `posix_memalign`, counted; checks the alignment as glibc's does.
///
/// # Safety
/// As glibc's `posix_memalign`: `out` is valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_memalign(
    out: *mut *mut c_void,
    alignment: usize,
    size: usize,
) -> c_int {
    note(&ALLOCATIONS);
    if !alignment.is_power_of_two() || !alignment.is_multiple_of(size_of::<*mut c_void>()) {
        return libc::EINVAL;
    }
    // SAFETY: forwarded to glibc's implementation with a valid alignment.
    let pointer = unsafe { __libc_memalign(alignment, size) };
    if pointer.is_null() {
        return libc::ENOMEM;
    }
    // SAFETY: the caller's contract.
    unsafe { out.write(pointer) };
    0
}

/// `pthread_mutex_lock`, counted; forwards to the next definition (glibc's).
///
/// # Safety
/// As glibc's `pthread_mutex_lock`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_lock(mutex: *mut libc::pthread_mutex_t) -> c_int {
    note(&LOCKS);
    let mut real = REAL_MUTEX_LOCK.load(Ordering::Acquire);
    if real.is_null() {
        // SAFETY: a NUL-terminated symbol name; the result is checked below.
        real = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pthread_mutex_lock".as_ptr()) };
        if real.is_null() {
            return libc::EINVAL;
        }
        REAL_MUTEX_LOCK.store(real, Ordering::Release);
    }
    type Lock = unsafe extern "C" fn(*mut libc::pthread_mutex_t) -> c_int;
    // SAFETY: `real` is glibc's `pthread_mutex_lock`, which has this signature.
    let real: Lock = unsafe { std::mem::transmute::<*mut c_void, Lock>(real) };
    // SAFETY: forwarded with the caller's argument.
    unsafe { real(mutex) }
}

/// Keeps the definitions above linked into every program that serves as a worker, and finds
/// glibc's `pthread_mutex_lock` before any run is watched.
pub(crate) fn prepare() {
    std::hint::black_box([
        malloc as *const () as usize,
        calloc as *const () as usize,
        realloc as *const () as usize,
        free as *const () as usize,
        memalign as *const () as usize,
        aligned_alloc as *const () as usize,
        posix_memalign as *const () as usize,
        pthread_mutex_lock as *const () as usize,
    ]);
    // SAFETY: a NUL-terminated symbol name; the result is checked where it is used.
    let real = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pthread_mutex_lock".as_ptr()) };
    REAL_MUTEX_LOCK.store(real, Ordering::Release);
}

/// Whether plugin files' calls of `malloc` and `pthread_mutex_lock` reach the definitions
/// above: the dynamic linker's global look-up must find this executable's.
pub(crate) fn interposed() -> bool {
    // SAFETY: NUL-terminated symbol names; RTLD_DEFAULT searches the global scope.
    let (found_malloc, found_lock) = unsafe {
        (
            libc::dlsym(libc::RTLD_DEFAULT, c"malloc".as_ptr()),
            libc::dlsym(libc::RTLD_DEFAULT, c"pthread_mutex_lock".as_ptr()),
        )
    };
    std::ptr::eq(found_malloc.cast_const().cast(), malloc as *const ())
        && std::ptr::eq(
            found_lock.cast_const().cast(),
            pthread_mutex_lock as *const (),
        )
}

/// What was counted during one watched stretch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Allocator calls.
    pub(crate) allocations: u64,
    /// Mutex locks.
    pub(crate) locks: u64,
}

/// Runs `f` with this thread's calls counted, and returns what was counted.
#[inline(always)]
pub(crate) fn watching<R>(f: impl FnOnce() -> R) -> (R, Counts) {
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let locks = LOCKS.load(Ordering::Relaxed);
    INSIDE_RUN.set(true);
    let result = f();
    INSIDE_RUN.set(false);
    let counts = Counts {
        allocations: ALLOCATIONS.load(Ordering::Relaxed) - allocations,
        locks: LOCKS.load(Ordering::Relaxed) - locks,
    };
    (result, counts)
}
