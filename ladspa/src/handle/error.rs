//! The errors of making and running instances. Each carries the [`Descriptor`] it is about (a
//! reference count, so a `Result` stays small on the run path) and names its file and label
//! when displayed. (Reading and setting ports has its own, [`PortError`](crate::PortError).)

use crate::descriptor::Descriptor;
use crate::port_error::port_name;
use crate::port_info::Direction;

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
    /// A buffer given to [`Handle::bind`](crate::Handle::bind) is empty: bound buffers stay
    /// connected even for runs of 0 samples, in which some plugins touch their first sample.
    #[error("{} ({}): the buffer bound to port {port} ({}) is empty; a bound buffer holds at least one sample", descriptor.path().display(), descriptor.label(), port_name(descriptor, *port))]
    EmptyBoundBuffer {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        port: usize,
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
    /// An in-place run was given a number of buffers other than the larger of the plugin's
    /// audio input and output counts (buffer `k` is audio input `k` and audio output `k`).
    #[error("{} ({}): an in-place run takes {} buffers (buffer k is audio input k and audio output k; {inputs} audio inputs, {outputs} audio outputs), {given} given", descriptor.path().display(), descriptor.label(), inputs.max(outputs))]
    InPlaceBufferCount {
        /// The plugin type.
        descriptor: Descriptor,
        /// How many buffers were given.
        given: usize,
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
