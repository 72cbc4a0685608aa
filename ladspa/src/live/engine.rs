//! The audio thread: JACK's process callback runs the chain on the port buffers JACK gives,
//! takes in rebuilt chains and hands the old ones back, and publishes what it did.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use jack::{AudioIn, AudioOut, Client, Control, Port, ProcessHandler, ProcessScope};

use super::monitor::Monitor;
use crate::chain::Chain;

/// The most ports a host has in each direction (the callback lends JACK's buffers to the chain
/// from arrays on its stack, allocated nothing).
pub const MAX_CHANNELS: usize = 64;

thread_local! {
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is inside a [`JackHost`](super::JackHost)'s process callback:
/// for a program's own checks (a counting allocator that fails on allocations there, as the
/// crate's tests use). A thread-local flag, free to read from an allocator.
pub fn in_process_callback() -> bool {
    IN_CALLBACK.with(Cell::get)
}

/// Marks the callback for [`in_process_callback`] while it lives.
struct InCallback;

impl InCallback {
    fn enter() -> InCallback {
        IN_CALLBACK.with(|flag| flag.set(true));
        InCallback
    }
}

impl Drop for InCallback {
    fn drop(&mut self) {
        IN_CALLBACK.with(|flag| flag.set(false));
    }
}

/// The process handler: owns the running chain and the ports.
pub(super) struct Engine {
    pub(super) chain: Box<Chain>,
    pub(super) inputs: Vec<Port<AudioIn>>,
    pub(super) outputs: Vec<Port<AudioOut>>,
    pub(super) monitor: Arc<Monitor>,
    /// Rebuilt chains, from the control side.
    pub(super) incoming: rtrb::Consumer<Box<Chain>>,
    /// Replaced chains, back to the control side to be dropped there.
    pub(super) retired: rtrb::Producer<Box<Chain>>,
}

impl Engine {
    /// Swaps in a rebuilt chain, if one came and the last one replaced was collected.
    #[inline]
    fn take_rebuilt(&mut self) {
        if self.retired.slots() == 0 {
            return;
        }
        if let Ok(chain) = self.incoming.pop() {
            let old = std::mem::replace(&mut self.chain, chain);
            // A free slot was checked above: the push cannot fail, and a chain is never
            // dropped here.
            if let Err(rtrb::PushError::Full(old)) = self.retired.push(old) {
                std::mem::forget(old);
            }
            self.monitor.swapped(self.chain.sample_rate());
        }
    }
}

impl ProcessHandler for Engine {
    fn process(&mut self, _: &Client, scope: &ProcessScope) -> Control {
        let start = Instant::now();
        let _marked = InCallback::enter();
        self.take_rebuilt();
        let frames = scope.n_frames() as usize;
        let (ins, outs) = (self.inputs.len(), self.outputs.len());
        let mut inputs: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
        for (slot, port) in inputs.iter_mut().zip(&self.inputs) {
            *slot = port.as_slice(scope);
        }
        let mut outputs: [&mut [f32]; MAX_CHANNELS] = std::array::from_fn(|_| Default::default());
        for (slot, port) in outputs.iter_mut().zip(&mut self.outputs) {
            *slot = port.as_mut_slice(scope);
        }
        let outputs = &mut outputs[..outs];
        let chain_start = Instant::now();
        let ran = self.chain.process(frames, &inputs[..ins], outputs);
        let chain_ns = chain_start.elapsed().as_nanos() as u64;
        if ran.is_err() {
            // A plugin refused to run (the chain was checked when it was built, so this is a
            // plugin's doing): silence rather than whatever the buffers held.
            for output in outputs.iter_mut() {
                output.fill(0.0);
            }
            self.monitor.run_error();
        }
        for (channel, output) in outputs.iter().enumerate() {
            self.monitor.peak(channel, output);
        }
        self.monitor
            .latency
            .store(self.chain.latency(), std::sync::atomic::Ordering::Relaxed);
        self.monitor
            .callback(start.elapsed().as_nanos() as u64, chain_ns);
        Control::Continue
    }

    fn buffer_size(&mut self, client: &Client, size: jack::Frames) -> Control {
        // JACK calls this off the process cycle (the driver waits), where allocating is
        // allowed: the chain's plugin calls take the new period whole.
        if size > 0 {
            let _ = self.chain.set_max_block(size as usize);
        }
        self.monitor
            .frames
            .store(size, std::sync::atomic::Ordering::Relaxed);
        self.monitor
            .sample_rate
            .store(client.sample_rate(), std::sync::atomic::Ordering::Relaxed);
        Control::Continue
    }
}
