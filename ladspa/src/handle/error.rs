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

/// Why a port could not be read or set. Each names the file, the plugin's label and the port,
/// and the ones that could be a slip of the name list the plugin's control inputs.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// No port has this index or name.
    #[error("{} ({}): no port {port}; its control inputs are {}", descriptor.path().display(), descriptor.label(), control_inputs(descriptor))]
    NoSuchPort {
        /// The index, or the name in quotes, asked for.
        port: String,
        /// The plugin type.
        descriptor: Descriptor,
    },
    /// The port is not a control port.
    #[error("{} ({}): port {index} ({:?}) is an audio port, not a control port; its control inputs are {}", descriptor.path().display(), descriptor.label(), port_name(descriptor, *index), control_inputs(descriptor))]
    NotControl {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        index: usize,
    },
    /// The port is an output, which only the plugin sets.
    #[error("{} ({}): port {index} ({:?}) is an output, which only the plugin sets; its control inputs are {}", descriptor.path().display(), descriptor.label(), port_name(descriptor, *index), control_inputs(descriptor))]
    NotInput {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        index: usize,
    },
    /// Several control ports that the call could use have this name: name the one meant by
    /// index.
    #[error("{} ({}): {} control ports are named {name:?} (ports {}); name one by index", descriptor.path().display(), descriptor.label(), indices.len(), list(indices))]
    Ambiguous {
        /// The plugin type.
        descriptor: Descriptor,
        /// The name asked for.
        name: String,
        /// The indices of the ports of that name that the call could use.
        indices: Vec<usize>,
    },
    /// The value is NaN or infinite, which no control input means anything as (and which makes
    /// real plugins crash or raise SIGFPE). Finite values outside the hinted range are allowed.
    #[error("{} ({}): port {index} ({:?}) cannot be set to {value}: a control value must be a finite number", descriptor.path().display(), descriptor.label(), port_name(descriptor, *index))]
    NotFinite {
        /// The plugin type.
        descriptor: Descriptor,
        /// The port's index.
        index: usize,
        /// The value refused (for [`Handle::set_control_clamped`](crate::Handle::set_control_clamped):
        /// the value after clamping, infinite when the port is unbounded on that side).
        value: f32,
    },
    /// Control values were to be copied from an instance of another plugin type.
    #[error("{} ({}): cannot copy control values from an instance of {} ({}), another plugin type", descriptor.path().display(), descriptor.label(), other.path().display(), other.label())]
    DifferentPluginType {
        /// The plugin type of the handle.
        descriptor: Descriptor,
        /// The plugin type of the instance the values were to come from.
        other: Descriptor,
    },
    /// The [`Port`](crate::Port) given belongs to another plugin type (or another load of the
    /// same file).
    #[error("{} ({}): the port given (index {index}) belongs to another plugin type", descriptor.path().display(), descriptor.label())]
    OtherPluginType {
        /// The plugin type of the handle.
        descriptor: Descriptor,
        /// The index of the port given.
        index: usize,
    },
}

fn control_inputs(descriptor: &Descriptor) -> String {
    let inputs: Vec<String> = descriptor
        .ports()
        .filter(|port| port.is_control() && port.is_input())
        .map(|port| format!("{} {:?}", port.index(), port.name().to_string_lossy()))
        .collect();
    if inputs.is_empty() {
        "none".to_owned()
    } else {
        inputs.join(", ")
    }
}

fn list(indices: &[usize]) -> String {
    let indices: Vec<String> = indices.iter().map(ToString::to_string).collect();
    indices.join(", ")
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
