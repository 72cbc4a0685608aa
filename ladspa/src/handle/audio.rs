//! The audio ports of an instance and where each is connected: the run path's connection
//! cache.

use std::ffi::{c_ulong, c_void};
use std::ptr::NonNull;

use crate::descriptor::Functions;
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

    /// Whether the buffers match the ports in number and hold `sample_count` samples each.
    #[inline]
    pub(super) fn fit(
        &self,
        sample_count: usize,
        inputs: &[&[f32]],
        outputs: &[&mut [f32]],
    ) -> bool {
        inputs.len() == self.input_count()
            && outputs.len() == self.output_count()
            && inputs.iter().all(|buffer| buffer.len() >= sample_count)
            && outputs.iter().all(|buffer| buffer.len() >= sample_count)
    }

    /// Connects every port to its buffer, calling `connect_port` only for ports whose buffer
    /// moved. The caller has checked that the buffers [fit](Self::fit).
    #[inline]
    pub(super) fn connect(
        &mut self,
        instance: Instance<'_>,
        inputs: &[&[f32]],
        outputs: &mut [&mut [f32]],
    ) {
        let (input_ports, output_ports) = self.ports.split_at_mut(self.inputs);
        for (port, buffer) in input_ports.iter_mut().zip(inputs) {
            // The plugin only reads input ports; LADSPA's `connect_port` takes `*mut` for both.
            port.connect(instance, buffer.as_ptr().cast_mut());
        }
        for (port, buffer) in output_ports.iter_mut().zip(outputs) {
            port.connect(instance, buffer.as_mut_ptr());
        }
    }

    /// Connects the `k`-th input and the `k`-th output to `buffers[k]`. The caller has checked
    /// that there are as many inputs as outputs as buffers, each long enough.
    #[inline]
    pub(super) fn connect_in_place(&mut self, instance: Instance<'_>, buffers: &mut [&mut [f32]]) {
        let (input_ports, output_ports) = self.ports.split_at_mut(self.inputs);
        for ((input, output), buffer) in input_ports.iter_mut().zip(output_ports).zip(buffers) {
            input.connect(instance, buffer.as_mut_ptr());
            output.connect(instance, buffer.as_mut_ptr());
        }
    }
}

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
    pub(super) functions: &'a Functions,
}
