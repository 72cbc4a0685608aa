//! A chain of plugins live on a JACK server (feature `jack`): [`JackHost`] opens a JACK client,
//! registers one port per chain channel (`in_1`, `in_2`, … and `out_1`, …), and runs the chain
//! in JACK's process callback, on the server's clock.
//!
//! ```no_run
//! # let path = ladspa_testplugins::reference_plugin("tp_amp");
//! # // SAFETY: the test plugins are trusted.
//! # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
//! use ladspa_host::Chain;
//! use ladspa_host::live::JackHost;
//!
//! let mut chain = Chain::new(2, 48_000, 64)?; // rebuilt at the server's rate if it differs
//! let gain = chain.add(plugin.find_label("tp_amp_mono")?)?;
//! let host = JackHost::start("rack", chain)?; // ports rack:in_1, rack:in_2, rack:out_1, …
//! host.connect("system:capture_1", &host.input_ports()[0])?;
//! host.set_control(gain, "Gain", 0.5)?; // from any thread, applied at the next callback
//! host.set_bypass(gain, true)?; // crossfaded over one period
//! println!("{:?}, peaks {:?}", host.stats(), host.take_peaks());
//! let last = host.stop(); // deactivates, then drops the plugins here, not on the audio thread
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # On the audio thread
//! The process callback lends JACK's port buffers to [`Chain::process`]: the first stage
//! reads the input ports' buffers and, where the stages after it run in place, the output
//! ports' buffers take the result with no copy. It allocates nothing and takes no lock (the
//! crate's `tests/live.rs` proves it with a counting allocator on a real server, while
//! controls change and bypasses switch): control changes and bypass switches are atomics
//! ([`StageControls`](crate::chain::StageControls)), and the counters, peaks and timings it
//! publishes are atomics too. It times itself from its first to its last instruction.
//!
//! # What JACK asks of a client
//! - **Latency**: the chain's latency is added to the latency ranges of the ports, in JACK's
//!   latency callback (registered on the raw client: the `jack` crate does not wrap it), and
//!   JACK is told to recompute them when the chain's latency changes.
//! - **Buffer size**: the chain's block follows the period, in JACK's buffer-size callback,
//!   which runs while the process cycle waits (so it may allocate).
//! - **Sample rate**: plugins are instantiated for one rate, so a new rate rebuilds the chain
//!   (same plugins, same controls, same bypasses) on JACK's notification thread; the audio
//!   thread swaps it in at the start of a callback (no gap, no lock: a wait-free queue) and
//!   hands the old one back to be dropped off the audio thread. [`JackHost::rebuild`] does the
//!   same on demand (jackd cannot change its rate while it runs, so that is how it is tested).
//! - **Shutdown**: when the server goes away, the client is told (as in a signal handler: an
//!   atomic flag and the reason, kept in place); [`JackHost::stats`] reports it and
//!   [`JackHost::stop`] still cleans up.

mod engine;
mod error;
mod latency;
mod monitor;
mod notify;
mod rebuild;

use std::ptr::NonNull;
use std::sync::Arc;
use std::time::Duration;

use jack::jack_sys as j;
use jack::{AsyncClient, AudioIn, AudioOut, Client, ClientOptions, Port};

use engine::Engine;
pub use engine::{MAX_CHANNELS, in_process_callback};
pub use error::LiveError;
use latency::{LatencyContext, Watcher};
use monitor::Monitor;
pub use monitor::{CallbackTimes, Stats};
use notify::Notifications;
use rebuild::Controller;

use crate::chain::{Chain, ChainError};
use crate::port_info::Direction;
use crate::port_ref::PortRef;

/// A chain running as a JACK client: see the [module documentation](self).
///
/// Everything but [`JackHost::stop`] takes `&self`, and the host is `Send` and `Sync`: share it
/// (an `Arc`) with the threads that turn knobs and read meters.
#[derive(Debug)]
pub struct JackHost {
    client: Option<AsyncClient<Notifications, Engine>>,
    name: String,
    inputs: Vec<String>,
    outputs: Vec<String>,
    monitor: Arc<Monitor>,
    controller: Arc<Controller>,
    watcher: Watcher,
    latency: LatencyArg,
}

/// The latency callback's context, owned by the host and freed after the client closes.
#[derive(Debug)]
struct LatencyArg(NonNull<LatencyContext>);

// SAFETY: the context holds JACK port pointers (valid from any thread while the client is
// open) and an `Arc<Monitor>`; the host only frees it, after the client is closed.
unsafe impl Send for LatencyArg {}
// SAFETY: as above; shared references never touch it.
unsafe impl Sync for LatencyArg {}

impl JackHost {
    /// Opens a JACK client named `name` (JACK adds a suffix if the name is taken: see
    /// [`JackHost::name`]) on the running server (it does not start one), registers its ports,
    /// and starts running `chain` in its process callback. A chain made for another sample rate
    /// than the server's is rebuilt at the server's first; its block follows the server's
    /// period.
    pub fn start(name: &str, mut chain: Chain) -> Result<JackHost, LiveError> {
        for (direction, count) in [
            (Direction::Input, chain.input_channels()),
            (Direction::Output, chain.output_channels()),
        ] {
            if count > MAX_CHANNELS {
                return Err(LiveError::TooManyChannels {
                    direction,
                    count,
                    max: MAX_CHANNELS,
                });
            }
        }
        let (client, _status) =
            Client::new(name, ClientOptions::NO_START_SERVER).map_err(|source| {
                LiveError::Open {
                    name: name.to_string(),
                    source,
                }
            })?;
        let mut inputs = Vec::new();
        for k in 1..=chain.input_channels() {
            inputs.push(register(&client, &format!("in_{k}"), AudioIn::default())?);
        }
        let mut outputs = Vec::new();
        for k in 1..=chain.output_channels() {
            outputs.push(register(&client, &format!("out_{k}"), AudioOut::default())?);
        }
        let (incoming_tx, incoming_rx) = rtrb::RingBuffer::new(1);
        let (retired_tx, retired_rx) = rtrb::RingBuffer::new(1);
        let controller = Arc::new(Controller::new(&mut chain, incoming_tx, retired_rx)?);
        let rate = client.sample_rate();
        let block = client.buffer_size().max(1) as usize;
        let mut chain = if chain.sample_rate() == rate {
            chain.set_max_block(block)?;
            Box::new(chain)
        } else {
            drop(chain);
            controller.replace(rate, block)?
        };
        let nothing = vec![[0.0_f32; 0]; chain.input_channels()];
        let mut none = vec![[0.0_f32; 0]; chain.output_channels()];
        chain.process(0, &nothing, &mut none)?; // the latency, before JACK asks
        let monitor = Arc::new(Monitor::new(outputs.len(), chain.latency(), rate));

        let context = Box::new(LatencyContext {
            monitor: Arc::clone(&monitor),
            inputs: inputs.iter().map(Port::raw).collect(),
            outputs: outputs.iter().map(Port::raw).collect(),
        });
        let latency = LatencyArg(NonNull::from(Box::leak(context)));
        // SAFETY: the callback reads a `LatencyContext`, which lives until after the client is
        // closed (`JackHost::shut`); set before activation, as JACK requires.
        unsafe {
            j::jack_set_latency_callback(
                client.raw(),
                Some(latency::latency_callback),
                latency.0.as_ptr().cast(),
            )
        };
        let input_names = inputs.iter().map(port_name).collect();
        let output_names = outputs.iter().map(port_name).collect();
        let client_name = client.name().to_string();
        let raw = client.raw();
        let engine = Engine {
            chain,
            inputs,
            outputs,
            monitor: Arc::clone(&monitor),
            incoming: incoming_rx,
            retired: retired_tx,
        };
        let notifications = Notifications {
            monitor: Arc::clone(&monitor),
            controller: Arc::clone(&controller),
        };
        let client = match client.activate_async(notifications, engine) {
            Ok(client) => client,
            Err(source) => {
                // SAFETY: the client was dropped with the failed activation: no more callbacks.
                drop(unsafe { Box::from_raw(latency.0.as_ptr()) });
                return Err(LiveError::Activate {
                    name: client_name,
                    source,
                });
            }
        };
        let collector = Arc::clone(&controller);
        // SAFETY: the client stays open until the watcher is stopped (`JackHost::shut`).
        let watcher =
            unsafe { Watcher::start(raw, Arc::clone(&monitor), move || collector.collect()) };
        Ok(JackHost {
            client: Some(client),
            name: client_name,
            inputs: input_names,
            outputs: output_names,
            monitor,
            controller,
            watcher,
            latency,
        })
    }

    /// The client's name on the server.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full names of the input ports (`NAME:in_1`, …), one per chain input channel.
    pub fn input_ports(&self) -> &[String] {
        &self.inputs
    }

    /// The full names of the output ports (`NAME:out_1`, …), one per chain output channel.
    pub fn output_ports(&self) -> &[String] {
        &self.outputs
    }

    /// The JACK client, for what this API does not say (listing the server's ports).
    pub fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the client lives until the host stops")
            .as_client()
    }

    /// Connects output port `from` to input port `to` (full names, any clients').
    pub fn connect(&self, from: &str, to: &str) -> Result<(), LiveError> {
        self.client()
            .connect_ports_by_name(from, to)
            .map_err(|source| LiveError::Connect {
                from: from.to_string(),
                to: to.to_string(),
                source,
            })
    }

    /// Sets control input `port` (index or name) of stage `stage` (counted from 0), on every
    /// instance of the stage, from the next callback on. From any thread; by index it
    /// allocates nothing (it waits only while a rebuild for a new sample rate runs).
    pub fn set_control(
        &self,
        stage: usize,
        port: impl PortRef,
        value: f32,
    ) -> Result<(), ChainError> {
        self.controller.set_control(stage, port, value)
    }

    /// The value of control port `port` of stage `stage`: an input as last set, an output as
    /// the stage's first instance published it after its last run (a meter, a latency).
    pub fn control(&self, stage: usize, port: impl PortRef) -> Result<f32, ChainError> {
        self.controller.control(stage, port)
    }

    /// Bypasses stage `stage` (or brings it back) from the next callback on, crossfading over
    /// that period ([`StageControls::set_bypass`](crate::chain::StageControls::set_bypass)).
    pub fn set_bypass(&self, stage: usize, on: bool) -> Result<(), ChainError> {
        self.controller.set_bypass(stage, on)
    }

    /// Whether stage `stage` is asked to be bypassed.
    pub fn bypass(&self, stage: usize) -> Result<bool, ChainError> {
        self.controller.bypass(stage)
    }

    /// Counters, timings and the server's state, now.
    pub fn stats(&self) -> Stats {
        self.monitor.stats()
    }

    /// The peak magnitude of each output channel since the last call (which starts them anew).
    pub fn take_peaks(&self) -> Vec<f32> {
        self.monitor.take_peaks()
    }

    /// The longest callback since the last call (which starts it anew), for a status line.
    pub fn take_longest(&self) -> Duration {
        self.monitor.take_longest()
    }

    /// How long the process callbacks took, as a histogram (percentiles).
    pub fn callback_times(&self) -> CallbackTimes {
        self.monitor.callback_times()
    }

    /// Rebuilds the chain at `rate` and swaps it in, as the host does when JACK's sample rate
    /// changes: the same plugins, their control inputs as they are now and the same bypasses,
    /// instantiated off the audio thread; the audio thread takes it at the start of a callback
    /// and the old chain is dropped here. Returns once the new chain runs (or after 2 s if the
    /// server does not call the client). On an error the old chain keeps running.
    pub fn rebuild(&self, rate: u32) -> Result<(), LiveError> {
        let block = (self
            .monitor
            .frames
            .load(std::sync::atomic::Ordering::Relaxed))
        .max(1);
        self.controller.rebuild(rate, block as usize, &self.monitor)
    }

    /// The error of the last rebuild that failed when JACK's sample rate changed (taken).
    pub fn take_rebuild_error(&self) -> Option<LiveError> {
        self.controller.take_failure()
    }

    /// Stops: deactivates the client (the audio thread stops calling), drops the chain and
    /// its plugins on this thread, closes the client. Returns the last [`Stats`]. Also done
    /// when the host is dropped; works after the server shut down too.
    pub fn stop(mut self) -> Stats {
        self.shut();
        self.monitor.stats()
    }

    fn shut(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        self.watcher.stop();
        // On success the process handler (chain, plugins, ports) comes back and is dropped
        // here; on a failure (a server that went away) the `jack` crate drops it here too.
        if let Ok((client, notifications, engine)) = client.deactivate() {
            drop(engine);
            drop(notifications);
            drop(client); // closes it: no callback after this
        }
        // SAFETY: the client is closed, so JACK no longer calls the latency callback; the
        // context was leaked from a box in `start` and is freed once, here.
        drop(unsafe { Box::from_raw(self.latency.0.as_ptr()) });
        self.controller.collect();
    }
}

impl Drop for JackHost {
    fn drop(&mut self) {
        self.shut();
    }
}

fn register<S: jack::PortSpec + Default>(
    client: &Client,
    name: &str,
    spec: S,
) -> Result<Port<S>, LiveError> {
    client
        .register_port(name, spec)
        .map_err(|source| LiveError::RegisterPort {
            port: name.to_string(),
            source,
        })
}

fn port_name<S>(port: &Port<S>) -> String {
    port.name().unwrap_or_default()
}
