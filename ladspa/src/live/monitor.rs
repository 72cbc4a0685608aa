//! What the audio thread tells the rest of the program: counters, callback times, peaks,
//! latency and the server's state, in atomics that any thread reads while audio runs.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// Callback times are counted in buckets of this many nanoseconds.
const BUCKET_NS: u64 = 1_000;
/// Buckets of the callback-time histogram (the last one counts every longer callback).
const BUCKETS: usize = 4_096;
/// Bytes of the server's shutdown reason kept.
const REASON_BYTES: usize = 256;

/// The host's state shared between the audio thread, JACK's notification thread, the host's
/// own thread and the program: atomics only, allocated before the client starts.
pub(super) struct Monitor {
    callbacks: AtomicU64,
    busy_ns: AtomicU64,
    chain_ns: AtomicU64,
    longest_ns: AtomicU64,
    recent_longest_ns: AtomicU64,
    histogram: Box<[AtomicU32]>,
    peaks: Box<[AtomicU32]>,
    xruns: AtomicU64,
    run_errors: AtomicU64,
    swaps: AtomicU64,
    pub(super) latency: AtomicUsize,
    pub(super) frames: AtomicU32,
    pub(super) sample_rate: AtomicU32,
    pub(super) chain_rate: AtomicU32,
    cpu_load: AtomicU32,
    shut_down: AtomicBool,
    reason: [AtomicU8; REASON_BYTES],
    reason_len: AtomicUsize,
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Monitor").field(&self.stats()).finish()
    }
}

impl Monitor {
    pub(super) fn new(outputs: usize, latency: usize, chain_rate: u32) -> Monitor {
        Monitor {
            callbacks: AtomicU64::new(0),
            busy_ns: AtomicU64::new(0),
            chain_ns: AtomicU64::new(0),
            longest_ns: AtomicU64::new(0),
            recent_longest_ns: AtomicU64::new(0),
            histogram: (0..BUCKETS).map(|_| AtomicU32::new(0)).collect(),
            peaks: (0..outputs).map(|_| AtomicU32::new(0)).collect(),
            xruns: AtomicU64::new(0),
            run_errors: AtomicU64::new(0),
            swaps: AtomicU64::new(0),
            latency: AtomicUsize::new(latency),
            frames: AtomicU32::new(0),
            sample_rate: AtomicU32::new(0),
            chain_rate: AtomicU32::new(chain_rate),
            cpu_load: AtomicU32::new(0),
            shut_down: AtomicBool::new(false),
            reason: [const { AtomicU8::new(0) }; REASON_BYTES],
            reason_len: AtomicUsize::new(0),
        }
    }

    // ---- written on the audio thread: atomics, no allocation, no lock ----

    /// Counts a callback that took `ns` nanoseconds, `chain_ns` of them in `Chain::process`.
    #[inline]
    pub(super) fn callback(&self, ns: u64, chain_ns: u64) {
        // The audio thread is the only writer of these: a load and a store, no locked
        // read-modify-write.
        let add = |counter: &AtomicU64, n: u64| {
            counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed)
        };
        add(&self.callbacks, 1);
        add(&self.busy_ns, ns);
        add(&self.chain_ns, chain_ns);
        if ns > self.longest_ns.load(Ordering::Relaxed) {
            self.longest_ns.store(ns, Ordering::Relaxed);
        }
        // Readers start this one anew (a swap): a read-modify-write.
        self.recent_longest_ns.fetch_max(ns, Ordering::Relaxed);
        let bucket = &self.histogram[((ns / BUCKET_NS) as usize).min(BUCKETS - 1)];
        bucket.store(bucket.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }

    /// Raises output channel `channel`'s peak to the largest magnitude in `samples`.
    #[inline]
    pub(super) fn peak(&self, channel: usize, samples: &[f32]) {
        let peak = samples.iter().fold(0.0_f32, |peak, x| peak.max(x.abs()));
        if let Some(slot) = self.peaks.get(channel) {
            // Non-negative floats order as their bits do.
            slot.fetch_max(peak.to_bits(), Ordering::Relaxed);
        }
    }

    pub(super) fn run_error(&self) {
        self.run_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn swapped(&self, chain_rate: u32) {
        self.chain_rate.store(chain_rate, Ordering::Relaxed);
        self.swaps.fetch_add(1, Ordering::Release);
    }

    // ---- written on JACK's notification threads ----

    pub(super) fn xrun(&self) {
        self.xruns.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn set_cpu_load(&self, load: f32) {
        self.cpu_load.store(load.to_bits(), Ordering::Relaxed);
    }

    /// Records that the server shut the client down, and why (async-signal-safe: atomics).
    pub(super) fn shut_down(&self, reason: &str) {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return;
        }
        let bytes = &reason.as_bytes()[..reason.len().min(REASON_BYTES)];
        for (slot, &byte) in self.reason.iter().zip(bytes) {
            slot.store(byte, Ordering::Relaxed);
        }
        self.reason_len.store(bytes.len(), Ordering::Release);
    }

    // ---- read anywhere ----

    pub(super) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::Acquire)
    }

    pub(super) fn swaps(&self) -> u64 {
        self.swaps.load(Ordering::Acquire)
    }

    /// The peak magnitude of each output channel since the last call, which starts them anew.
    pub(super) fn take_peaks(&self) -> Vec<f32> {
        self.peaks
            .iter()
            .map(|slot| f32::from_bits(slot.swap(0, Ordering::Relaxed)))
            .collect()
    }

    /// The longest callback since the last call, which starts it anew.
    pub(super) fn take_longest(&self) -> Duration {
        Duration::from_nanos(self.recent_longest_ns.swap(0, Ordering::Relaxed))
    }

    pub(super) fn stats(&self) -> Stats {
        let (frames, rate) = (
            self.frames.load(Ordering::Relaxed),
            self.sample_rate.load(Ordering::Relaxed),
        );
        let callbacks = self.callbacks.load(Ordering::Relaxed);
        let busy = self.busy_ns.load(Ordering::Relaxed);
        let chain = self.chain_ns.load(Ordering::Relaxed);
        let len = self.reason_len.load(Ordering::Acquire);
        let shut_down = self.is_shut_down().then(|| {
            let bytes: Vec<u8> = self.reason[..len]
                .iter()
                .map(|b| b.load(Ordering::Relaxed))
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        });
        Stats {
            callbacks,
            xruns: self.xruns.load(Ordering::Relaxed),
            cpu_load: f32::from_bits(self.cpu_load.load(Ordering::Relaxed)),
            longest: Duration::from_nanos(self.longest_ns.load(Ordering::Relaxed)),
            mean: Duration::from_nanos(busy.checked_div(callbacks).unwrap_or(0)),
            chain_mean: Duration::from_nanos(chain.checked_div(callbacks).unwrap_or(0)),
            period: if rate == 0 {
                Duration::ZERO
            } else {
                Duration::from_nanos(u64::from(frames) * 1_000_000_000 / u64::from(rate))
            },
            frames,
            sample_rate: rate,
            chain_rate: self.chain_rate.load(Ordering::Relaxed),
            latency: self.latency.load(Ordering::Relaxed),
            run_errors: self.run_errors.load(Ordering::Relaxed),
            chain_swaps: self.swaps(),
            shut_down,
        }
    }

    pub(super) fn callback_times(&self) -> CallbackTimes {
        CallbackTimes {
            counts: self
                .histogram
                .iter()
                .map(|c| c.load(Ordering::Relaxed))
                .collect(),
            longest: Duration::from_nanos(self.longest_ns.load(Ordering::Relaxed)),
        }
    }
}

/// A snapshot of a running host: see [`JackHost::stats`](super::JackHost::stats).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Stats {
    /// Process callbacks run since the client started.
    pub callbacks: u64,
    /// Xruns the server reported (anywhere in the server, not only in this client).
    pub xruns: u64,
    /// The server's DSP load in percent, as JACK computes it (all clients).
    pub cpu_load: f32,
    /// The longest process callback since the client started, timed inside the callback.
    pub longest: Duration,
    /// The mean process callback time.
    pub mean: Duration,
    /// The mean time of `Chain::process` inside the callbacks: `mean - chain_mean` is what the
    /// host adds to the chain (port buffers, swaps, peaks, counters), in the same cycles.
    pub chain_mean: Duration,
    /// One period: the buffer size at the sample rate (what a callback must stay under).
    pub period: Duration,
    /// The buffer size, in frames.
    pub frames: u32,
    /// The server's sample rate.
    pub sample_rate: u32,
    /// The sample rate the running chain was made for.
    pub chain_rate: u32,
    /// The chain's latency in samples, as reported to JACK.
    pub latency: usize,
    /// Callbacks in which the chain refused to run (their output was silence).
    pub run_errors: u64,
    /// Chains rebuilt and swapped in (a sample-rate change) since the client started.
    pub chain_swaps: u64,
    /// Why the server shut the client down, if it did.
    pub shut_down: Option<String>,
}

/// How long the process callbacks took: a histogram of 1 µs buckets up to 4 ms, and the
/// longest; see [`JackHost::callback_times`](super::JackHost::callback_times).
#[derive(Debug, Clone)]
pub struct CallbackTimes {
    counts: Vec<u32>,
    longest: Duration,
}

impl CallbackTimes {
    /// The callbacks counted.
    pub fn count(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    /// The time under which a share `q` (0 to 1) of the callbacks finished: the upper edge of
    /// the 1 µs bucket that holds that callback, or the longest callback for the last bucket.
    /// `None` before any callback.
    pub fn percentile(&self, q: f64) -> Option<Duration> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bucket, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                let edge = Duration::from_nanos((bucket as u64 + 1) * BUCKET_NS);
                return Some(if bucket == BUCKETS - 1 {
                    self.longest
                } else {
                    edge.min(
                        self.longest
                            .max(Duration::from_nanos(bucket as u64 * BUCKET_NS)),
                    )
                });
            }
        }
        Some(self.longest)
    }

    /// The longest callback.
    pub fn longest(&self) -> Duration {
        self.longest
    }
}
