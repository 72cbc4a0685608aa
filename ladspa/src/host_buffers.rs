//! Process-wide buffers that audio ports point at whenever they are not connected to the
//! caller's buffers for a run.
//!
//! A plugin keeps the pointers `connect_port` gave it, and plugins exist that touch them outside
//! `run`: some write their outputs in `activate`, `deactivate` or `cleanup`, and some read and
//! write the first sample of every buffer even in a run of 0 samples. So before each of those
//! calls, and for runs of 0 samples, every audio input points at [`silence`] and every audio
//! output at [`discard`]: host memory of [`HOST_BUFFER_SAMPLES`] samples that lives as long as
//! the process, never the caller's buffers (which may be empty, or freed since the last run).
//! PipeWire's filter graph does the same with its silence and discard buffers.
//!
//! No Rust code ever reads or writes these buffers: only foreign code receives pointers to them.
//! Their content is meaningless (a plugin may write into what it was given as an input, and
//! plugins on several threads write into [`discard`] at once), and nothing depends on it.

use std::cell::UnsafeCell;

/// How many samples a plugin may touch behind any audio port outside a run with the caller's
/// buffers (in `activate`, `deactivate`, `cleanup`, a run of 0 samples) without leaving host
/// memory: the size of the silence and discard buffers.
pub const HOST_BUFFER_SAMPLES: usize = 8192;

/// A buffer that foreign code may read and write through raw pointers.
struct HostBuffer(UnsafeCell<[f32; HOST_BUFFER_SAMPLES]>);

// SAFETY: Rust code never reads or writes the buffer (no reference to its content is ever made);
// it only hands out its address to plugins, which LADSPA lets read and write it. What they write
// is never read by the host, so no host code can observe a torn or racing value.
unsafe impl Sync for HostBuffer {}

impl HostBuffer {
    const fn new() -> Self {
        Self(UnsafeCell::new([0.0; HOST_BUFFER_SAMPLES]))
    }

    fn start(&'static self) -> *mut f32 {
        self.0.get().cast()
    }
}

static SILENCE: HostBuffer = HostBuffer::new();
static DISCARD: HostBuffer = HostBuffer::new();

/// Where audio inputs point outside runs: zeros, unless a plugin wrote into it.
pub(crate) fn silence() -> *mut f32 {
    SILENCE.start()
}

/// Where audio outputs point outside runs.
pub(crate) fn discard() -> *mut f32 {
    DISCARD.start()
}
