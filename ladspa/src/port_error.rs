//! Why a port of a plugin type could not be named, read or set ([`PortError`]): shared by the
//! look-ups of [`PortRef`](crate::PortRef) and the setters of handles and chains. Each error
//! carries the [`Descriptor`] it is about and names its file, label and port when displayed.

use crate::descriptor::Descriptor;

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

pub(crate) fn port_name(descriptor: &Descriptor, index: usize) -> String {
    descriptor
        .port(index)
        .map(|port| port.name().to_string())
        .unwrap_or_default()
}
