//! A global allocator that counts the allocations, reallocations and frees made on the threads
//! that ask for it, for proofs that a real-time thread allocates nothing while other threads
//! (a GUI thread, the test harness) allocate as they please. Shared by the `realtime` example
//! and the `shared_controls` test (`#[path]`): each declares it as its `#[global_allocator]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// The system allocator, counting the calls made on counted threads.
pub struct ThreadAllocations;

static COUNT: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

impl ThreadAllocations {
    /// Starts or stops counting the calls of the current thread.
    pub fn count_this_thread(on: bool) {
        COUNTED.with(|counted| counted.set(on));
    }

    /// The calls counted so far, on every counted thread.
    pub fn count() -> u64 {
        COUNT.load(Ordering::Relaxed)
    }

    fn note() {
        // A thread being torn down has no thread-locals left; it is not a counted one then.
        if COUNTED.try_with(Cell::get).unwrap_or(false) {
            COUNT.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for ThreadAllocations {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::note();
        // SAFETY: the caller's promises for `alloc` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::note();
        // SAFETY: the caller's promises for `dealloc` are passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::note();
        // SAFETY: the caller's promises for `realloc` are passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
