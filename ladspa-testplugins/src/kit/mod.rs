//! What the plugin files share: port tables, `'static` descriptors, and the generic
//! `extern "C"` functions that drive a [`Plugin`] state type.
//!
//! A plugin file declares its [`Counters`](crate::Counters) with [`export_counters!`](crate::export_counters),
//! a [`PortTable`] and a [`StaticDescriptor`] per plugin type (made with [`descriptor()`]), and
//! exports them with [`export_descriptors!`](crate::export_descriptors):
//!
//! ```
//! use ladspa_testplugins::kit::*;
//! ladspa_testplugins::export_counters!(COUNTERS);
//! static PORTS: PortTable<3> = PortTable::new([
//!     Port::control_in(c"Gain", LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_1, 0.0, 0.0),
//!     Port::audio_in(c"Input"),
//!     Port::audio_out(c"Output"),
//! ]);
//! static AMP: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
//!     Info { unique_id: 7001, label: c"tp_amp_mono", name: c"Amp", properties: 0 },
//!     &PORTS,
//!     &COUNTERS,
//! ));
//! ladspa_testplugins::export_descriptors!(&AMP);
//! ```
//!
//! Instances are `Box<Instance<P>>` turned into the `LADSPA_Handle`. The generic functions
//! bump the file's counters (which the descriptor carries in its `ImplementationData`) and
//! hand the plugin an [`Io`] in `run`, through which it reads and writes the connected buffers
//! one sample at a time through raw pointers: no Rust slice is ever made of a host buffer, so
//! an input and an output sharing one buffer (in-place processing) is well defined, and `run`
//! never allocates.

mod amp;
mod descriptor;
mod export;
mod functions;
mod instance;
mod port;

pub use ladspa_host_sys::*;

pub use amp::{AMP_GAIN_HINT, AMP_MONO_PORTS, Amp};
pub use descriptor::{COPYRIGHT, Info, MAKER, StaticDescriptor, descriptor, with_run_adding};
pub use functions::{
    activate, cleanup, connect_port, connected, deactivate, instantiate, run, run_adding,
    set_run_adding_gain,
};
pub use instance::{Instance, Io, Plugin};
pub use port::{MAX_PORTS, NO_HINT, Port, PortTable};
