//! The audio ports of an instance and where each is connected: the run path's connection
//! cache.

use std::ffi::{c_ulong, c_void};
use std::ptr::NonNull;

use crate::functions::RunFunctions;
use crate::host_buffers;

/// One audio port: its index, and the location it is connected to now.
#[derive(Clone, Copy)]
struct AudioPort {
    index: c_ulong,
    connected: *mut f32,
}

/// The audio ports of an instance, inputs first, then outputs, each in port order: the order in
/// which a run takes its buffers. Kept in the handle so that the run path reaches them without
/// going through the descriptor.
pub(super) struct AudioPorts {
    ports: Box<[AudioPort]>,
    inputs: usize,
}

impl AudioPorts {
    /// The audio ports with these input and output indices, connected to nothing yet: the
    /// caller [parks](Self::park) them before the plugin can touch them.
    pub(super) fn new(inputs: &[c_ulong], outputs: &[c_ulong]) -> Self {
        let port = |&index| AudioPort {
            index,
            connected: std::ptr::null_mut(),
        };
        Self {
            ports: inputs.iter().chain(outputs).map(port).collect(),
            inputs: inputs.len(),
        }
    }

    /// Connects every input to the host's silence and every output to its discard buffer
    /// (calling `connect_port` only for ports not there yet): where ports point whenever the
    /// plugin could touch them outside a run with the caller's buffers.
    #[cold]
    #[inline(never)]
    pub(super) fn park(&mut self, instance: Instance<'_>) {
        let (input_ports, output_ports) = self.ports.split_at_mut(self.inputs);
        for port in input_ports {
            port.connect(instance, host_buffers::silence());
        }
        for port in output_ports {
            port.connect(instance, host_buffers::discard());
        }
    }

    pub(super) fn input_count(&self) -> usize {
        self.inputs
    }

    pub(super) fn output_count(&self) -> usize {
        self.ports.len() - self.inputs
    }

    /// The port indices, inputs first.
    pub(super) fn indices(&self) -> impl Iterator<Item = c_ulong> + '_ {
        self.ports.iter().map(|port| port.index)
    }

    /// Connects every port to its buffer (`buffers` in run order: inputs, then outputs),
    /// calling `connect_port` only for ports whose buffer moved, after `accept` has passed the
    /// port (its index) and the length of the very slice that is connected: the callers map
    /// each buffer through its `as_ref`/`as_mut` once, as the iterator goes, so what is checked
    /// is what the plugin gets. The caller has checked the numbers of buffers, and that each
    /// slice is live for as long as the plugin may use it. Stops at the first buffer `accept`
    /// refuses, having connected the ones before it (harmless: ports are parked before any call
    /// but a run, and every run connects every port).
    #[inline]
    #[must_use = "a refused buffer means the plugin must not run"]
    pub(super) fn connect(
        &mut self,
        instance: Instance<'_>,
        buffers: impl Iterator<Item = *mut [f32]>,
        mut accept: impl FnMut(c_ulong, usize) -> bool,
    ) -> Result<(), ShortBuffer> {
        for (port, buffer) in self.ports.iter_mut().zip(buffers) {
            if !accept(port.index, buffer.len()) {
                return Err(ShortBuffer);
            }
            port.connect(instance, buffer.cast());
        }
        Ok(())
    }

    /// How many audio ports there are, inputs and outputs.
    pub(super) fn port_count(&self) -> usize {
        self.ports.len()
    }

    /// Connects every port to its buffer (`buffers` in run order) as [`connect`](Self::connect)
    /// does, without lengths to check: the caller checked its slices, and that there are `N`
    /// ports.
    #[inline(always)]
    pub(super) fn connect_exactly<const N: usize>(
        &mut self,
        instance: Instance<'_>,
        buffers: [*mut f32; N],
    ) {
        let ports: &mut [AudioPort; N] = (&mut *self.ports)
            .try_into()
            .expect("as many buffers as ports: the caller checked");
        for (port, buffer) in ports.iter_mut().zip(buffers) {
            port.connect(instance, buffer);
        }
    }

    /// Where the `k`-th port in run order (inputs first) is connected now.
    pub(super) fn connected(&self, k: usize) -> Option<*mut f32> {
        self.ports.get(k).map(|port| port.connected)
    }

    /// Connects the `k`-th input (if there is one) and the `k`-th output (if there is one) to
    /// `buffers[k]`, checking each length as [`connect`](Self::connect) does. The caller has
    /// checked that there are as many buffers as the larger of the input and output counts.
    #[inline]
    #[must_use = "a short buffer means the plugin must not run"]
    pub(super) fn connect_in_place<B: AsMut<[f32]>>(
        &mut self,
        instance: Instance<'_>,
        sample_count: usize,
        buffers: &mut [B],
    ) -> Result<(), ShortBuffer> {
        let (input_ports, output_ports) = self.ports.split_at_mut(self.inputs);
        let mut input_ports = input_ports.iter_mut();
        let mut output_ports = output_ports.iter_mut();
        for buffer in buffers {
            let buffer = buffer.as_mut();
            if buffer.len() < sample_count {
                return Err(ShortBuffer);
            }
            if let Some(input) = input_ports.next() {
                input.connect(instance, buffer.as_mut_ptr());
            }
            if let Some(output) = output_ports.next() {
                output.connect(instance, buffer.as_mut_ptr());
            }
        }
        Ok(())
    }
}

/// A buffer was shorter than the run's sample count (the caller builds the error that says
/// which).
#[derive(Debug)]
pub(super) struct ShortBuffer;

impl AudioPort {
    #[inline]
    fn connect(&mut self, instance: Instance<'_>, location: *mut f32) {
        if self.connected != location {
            // SAFETY: a live instance and one of its validated port indices (the `Instance`
            // contract). `location` is one of the host buffers, which live as long as the
            // process, or a caller buffer long enough for the run about to be made, which is
            // moved back to a host buffer before any other call that could touch it.
            unsafe {
                (instance.functions.connect_port)(instance.raw.as_ptr(), self.index, location)
            };
            self.connected = location;
        }
    }
}

/// What connecting a port needs: the live instance and its plugin's functions.
#[derive(Clone, Copy)]
pub(super) struct Instance<'a> {
    pub(super) raw: NonNull<c_void>,
    pub(super) functions: &'a RunFunctions,
}
