//! Memory that a plugin holds pointers into: an instance's control values. (Audio ports wait on
//! the process-wide buffers of `host_buffers` between runs, not here.)

use std::ptr::NonNull;

/// A fixed array of samples owned through a raw pointer.
///
/// A plugin keeps the pointers it was given by `connect_port` and writes through them during
/// `run`; owning the memory through a raw pointer (rather than a `Box` or `Vec` whose uniqueness
/// the compiler may assume) means no Rust reference to it ever exists, so the plugin's writes
/// can never invalidate one. Every access is a raw read or write of one element.
pub(crate) struct PortMemory {
    start: NonNull<f32>,
    len: usize,
}

impl PortMemory {
    /// `len` samples, set to `value`.
    pub(crate) fn new(len: usize, value: f32) -> Self {
        let boxed: Box<[f32]> = vec![value; len].into_boxed_slice();
        let start = NonNull::new(Box::into_raw(boxed).cast::<f32>())
            .expect("Box::into_raw never gives NULL");
        Self { start, len }
    }

    /// A pointer to element `index`, to hand to the plugin.
    ///
    /// # Panics
    /// If `index` is out of bounds (a bug in this crate: indices come from validated ports).
    pub(crate) fn pointer(&self, index: usize) -> *mut f32 {
        assert!(
            index < self.len,
            "port memory index {index} out of bounds ({})",
            self.len
        );
        // SAFETY: index < len, so the offset stays inside the allocation.
        unsafe { self.start.as_ptr().add(index) }
    }

    /// Element `index`.
    pub(crate) fn get(&self, index: usize) -> f32 {
        // SAFETY: `pointer` checked the bounds; the memory is initialised and owned by `self`,
        // and the plugin writes it only during calls made through `&mut` of the instance, so
        // none is under way while `&self` is held.
        unsafe { self.pointer(index).read() }
    }

    /// Sets element `index`.
    pub(crate) fn set(&mut self, index: usize, value: f32) {
        // SAFETY: as in `get`; `&mut self` excludes any other access.
        unsafe { self.pointer(index).write(value) }
    }
}

impl Drop for PortMemory {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.start.as_ptr(), self.len);
        // SAFETY: `start` and `len` are those of the boxed slice made in `new`, freed only here.
        drop(unsafe { Box::from_raw(slice) });
    }
}
