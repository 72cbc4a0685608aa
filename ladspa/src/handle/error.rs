//! The errors of instances. Each carries the [`Descriptor`] it is about (a reference count, so
//! a `Result` stays small on the run path) and names its file and label when displayed.

use crate::descriptor::Descriptor;
use crate::port::Direction;

/// Why a plugin type could not be instantiated.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum InstantiateError {
    /// `instantiate` returned NULL.
    #[error("{} ({}): instantiate() at {sample_rate} Hz returned NULL", descriptor.path().display(), descriptor.label())]
    Failed {
        /// The plugin type.
        descriptor: Descriptor,
        /// The sample rate asked for.
        sample_rate: u32,
    },
    /// A sample rate of 0 was asked for (plugins divide by it).
    #[error("{} ({}): a sample rate of 0 Hz cannot be instantiated", descriptor.path().display(), descriptor.label())]
    ZeroSampleRate {
        /// The plugin type.
        descriptor: Descriptor,
    },
}

/// Why a port could not be read or set.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// No port has this index or name.
    #[error("{} ({}): no port {port}", descriptor.path().display(), descriptor.label())]
    NoSuchPort {
        /// The plugin type.
        descriptor: Descriptor,
        /// The index or name asked for.
        port: String,
    },
    /// The port is not a control port.
    #[error("{} ({}): port {index} ({}) is an audio port, not a control port", descriptor.path().display(), descriptor.label(), port_name(descriptor, *index))]
    NotControl {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        index: usize,
    },
    /// The port is an output, which only the plugin sets.
    #[error("{} ({}): port {index} ({}) is an output; only the plugin sets it", descriptor.path().display(), descriptor.label(), port_name(descriptor, *index))]
    NotInput {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        index: usize,
    },
}

fn port_name(descriptor: &Descriptor, index: usize) -> String {
    descriptor
        .port(index)
        .map(|port| port.name().to_string())
        .unwrap_or_default()
}

/// Why a run was refused (nothing was run).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The number of buffers is not the number of audio ports of that direction.
    #[error("{} ({}): {given} {} buffers given for {expected} audio {} ports", descriptor.path().display(), descriptor.label(), direction_name(*direction), direction_name(*direction))]
    BufferCount {
        /// The plugin type.
        descriptor: Descriptor,
        /// Input or output.
        direction: Direction,
        /// How many buffers were given.
        given: usize,
        /// How many audio ports of that direction the plugin has.
        expected: usize,
    },
    /// A buffer is shorter than the number of samples to run.
    #[error("{} ({}): the buffer for port {port} ({}) holds {len} samples, fewer than the {sample_count} to run", descriptor.path().display(), descriptor.label(), port_name(descriptor, *port))]
    BufferTooShort {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        port: usize,
        /// The buffer's length.
        len: usize,
        /// The number of samples to run.
        sample_count: usize,
    },
    /// `run_adding` or `set_run_adding_gain` was asked of a plugin that has none.
    #[error("{} ({}) has no run_adding()", descriptor.path().display(), descriptor.label())]
    NoRunAdding {
        /// The plugin type.
        descriptor: Descriptor,
    },
    /// In-place processing was asked of a plugin that is `INPLACE_BROKEN`.
    #[error("{} ({}) is INPLACE_BROKEN: its inputs and outputs must not share buffers", descriptor.path().display(), descriptor.label())]
    InPlaceBroken {
        /// The plugin type.
        descriptor: Descriptor,
    },
    /// In-place processing was asked of a plugin whose audio inputs and outputs differ in
    /// number, so they cannot be paired.
    #[error("{} ({}): in-place processing pairs audio inputs with outputs, but it has {inputs} inputs and {outputs} outputs", descriptor.path().display(), descriptor.label())]
    InPlaceUnpaired {
        /// The plugin type.
        descriptor: Descriptor,
        /// The number of audio inputs.
        inputs: usize,
        /// The number of audio outputs.
        outputs: usize,
    },
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Input => "input",
        Direction::Output => "output",
    }
}
