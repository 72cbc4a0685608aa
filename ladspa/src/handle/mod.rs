//! Instances of a plugin type: their lifecycle in the types, their ports, and running them.
//!
//! The [`Handle`] type and its lifecycle are in `lifecycle`; each other module adds one thing a
//! handle does (runs, bound runs, settings, controls shared with other threads), below it.

mod any_state;
mod audio;
mod bound;
mod buffers;
mod control_slots;
mod controls;
mod error;
mod lifecycle;
mod prechecked;
mod run;
mod settings;
mod state;

pub use any_state::AnyHandle;
pub use bound::BoundRun;
pub use buffers::{Buffers, BuffersMut};
pub use controls::Controls;
pub use error::{InstantiateError, RunError};
pub use lifecycle::{ActiveHandle, Handle};
pub use run::NO_BUFFERS;
pub use state::{Active, Inactive, State};
