//! The lifecycle states of a handle, as types: [`Inactive`] and [`Active`], sealed under
//! [`State`].

mod sealed {
    pub trait Sealed {}
}

/// The lifecycle state of a [`Handle`](super::Handle): [`Inactive`] or [`Active`].
pub trait State: sealed::Sealed {
    /// Whether the plugin's `activate` has been called (and `deactivate` not since).
    const ACTIVE: bool;
}

/// The state of a handle that has not been activated, or has been deactivated: its controls can
/// be set, but it cannot run.
#[derive(Debug)]
pub enum Inactive {}
/// The state of an activated handle: it can run.
#[derive(Debug)]
pub enum Active {}
impl sealed::Sealed for Inactive {}
impl sealed::Sealed for Active {}
impl State for Inactive {
    const ACTIVE: bool = false;
}
impl State for Active {
    const ACTIVE: bool = true;
}
