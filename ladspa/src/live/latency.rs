//! Latency reported to JACK: the chain's latency added to the ranges of the ports upstream
//! (capture) and downstream (playback), in JACK's latency callback, which the `jack` crate
//! does not wrap; and the host's own thread, which tells JACK to recompute the graph's
//! latencies when the chain's changes, and samples JACK's CPU load.

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use jack::jack_sys as j;

use super::monitor::Monitor;

/// What the latency callback reads: the ports (JACK's pointers, valid while the client is
/// open) and the chain's latency.
#[derive(Debug)]
pub(super) struct LatencyContext {
    pub(super) monitor: Arc<Monitor>,
    pub(super) inputs: Vec<*mut j::jack_port_t>,
    pub(super) outputs: Vec<*mut j::jack_port_t>,
}

/// JACK's latency callback: for capture, each output port's range is the widest range of the
/// input ports plus the chain's latency; for playback, each input port's is the widest of the
/// output ports plus the chain's latency (the chain may mix channels, so ports do not pair).
///
/// # Safety
/// `arg` is a `LatencyContext` that outlives the client (the host frees it after closing the
/// client).
pub(super) unsafe extern "C" fn latency_callback(
    mode: j::jack_latency_callback_mode_t,
    arg: *mut c_void,
) {
    // SAFETY: the host registered a pointer to a `LatencyContext` that lives until after the
    // client is closed, so until after the last callback; it is only read here.
    let context = unsafe { &*arg.cast::<LatencyContext>() };
    let latency = context.monitor.latency.load(Ordering::Relaxed) as u32;
    let (from, to) = if mode == j::JackCaptureLatency {
        (&context.inputs, &context.outputs)
    } else {
        (&context.outputs, &context.inputs)
    };
    let mut widest: Option<j::jack_latency_range_t> = None;
    for &port in from {
        let mut range = j::jack_latency_range_t { min: 0, max: 0 };
        // SAFETY: a port of this open client and a range to write into.
        unsafe { j::jack_port_get_latency_range(port, mode, &mut range) };
        widest = Some(match widest {
            None => range,
            Some(w) => j::jack_latency_range_t {
                min: w.min.min(range.min),
                max: w.max.max(range.max),
            },
        });
    }
    let upstream = widest.unwrap_or(j::jack_latency_range_t { min: 0, max: 0 });
    let mut range = j::jack_latency_range_t {
        min: upstream.min.saturating_add(latency),
        max: upstream.max.saturating_add(latency),
    };
    for &port in to {
        // SAFETY: a port of this open client and a valid range.
        unsafe { j::jack_port_set_latency_range(port, mode, &mut range) };
    }
}

/// A client pointer for the host's thread, which stops before the client closes.
struct ClientPtr(*mut j::jack_client_t);

// SAFETY: libjack's client calls used here (CPU load, latency recomputation) may come from any
// thread; the pointer stays valid until the thread is joined (`Watcher::stop`), before the
// client is closed.
unsafe impl Send for ClientPtr {}

/// The host's own thread: tells JACK when the chain's latency changed, samples the CPU load,
/// and drops chains the audio thread handed back.
#[derive(Debug)]
pub(super) struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How often the host's thread looks.
const TICK: Duration = Duration::from_millis(20);

impl Watcher {
    /// Starts the thread for `client`.
    ///
    /// # Safety
    /// `client` must stay open until [`Watcher::stop`] returns.
    pub(super) unsafe fn start(
        client: *mut j::jack_client_t,
        monitor: Arc<Monitor>,
        collect: impl Fn() + Send + 'static,
    ) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let client = ClientPtr(client);
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("ladspa-live".into())
            .spawn(move || {
                let client = client;
                let mut reported = monitor.latency.load(Ordering::Relaxed);
                while !stopping.load(Ordering::Acquire) {
                    std::thread::park_timeout(TICK);
                    collect();
                    if monitor.is_shut_down() {
                        continue; // the client is a zombie: no more calls into it
                    }
                    // SAFETY: the client is open until this thread is joined.
                    monitor.set_cpu_load(unsafe { j::jack_cpu_load(client.0) });
                    let latency = monitor.latency.load(Ordering::Relaxed);
                    if latency != reported {
                        reported = latency;
                        // SAFETY: as above.
                        unsafe { j::jack_recompute_total_latencies(client.0) };
                    }
                }
            })
            .ok();
        Watcher { stop, thread }
    }

    /// Stops the thread and waits for it.
    pub(super) fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}
