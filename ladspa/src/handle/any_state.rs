//! [`AnyHandle`]: a handle in either lifecycle state, for collections of instances whose states
//! differ and change in place.

use super::controls::Controls;
use super::lifecycle::Handle;
use super::state::{Active, Inactive};
use crate::descriptor::Descriptor;
use crate::port_error::PortError;
use crate::port_ref::PortRef;

/// A [`Handle`] in either state, so that instances in different states fit in one `Vec` (a
/// channel strip with some plugins bypassed, a pool of instances) and change state in place.
///
/// The typestate guarantees hold: only a `Handle<Active>` runs, reached by matching or with
/// [`AnyHandle::active_mut`].
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// # // SAFETY: the test plugins are trusted.
/// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// use ladspa_host::AnyHandle;
///
/// let amp = plugin.find_label("tp_amp_mono")?;
/// let mut strip: Vec<AnyHandle> = vec![
///     amp.instantiate(48_000)?.activate().into(),
///     amp.instantiate(48_000)?.into(), // bypassed
/// ];
/// strip[1].activate(); // in place
/// strip[0].deactivate();
/// let mut samples = [1.0_f32; 8];
/// for handle in strip.iter_mut().filter_map(AnyHandle::active_mut) {
///     handle.run_in_place(8, &mut [&mut samples])?;
/// }
/// # Ok::<(), ladspa_host::Error>(())
/// ```
#[derive(Debug)]
pub enum AnyHandle {
    /// An inactive handle.
    Inactive(Handle<Inactive>),
    /// An active handle.
    Active(Handle<Active>),
}

impl AnyHandle {
    /// Activates the handle in place (nothing happens if it is active already) and gives it.
    /// Takes the process-wide lifecycle lock, as [`Handle::activate`].
    pub fn activate(&mut self) -> &mut Handle<Active> {
        if let Self::Inactive(_) = self {
            self.replace_with(|this| match this {
                Self::Inactive(handle) => Self::Active(handle.activate()),
                active => active,
            });
        }
        match self {
            Self::Active(handle) => handle,
            Self::Inactive(_) => unreachable!("activated just above"),
        }
    }

    /// Deactivates the handle in place (nothing happens if it is inactive already) and gives
    /// it. Takes the process-wide lifecycle lock, as [`Handle::deactivate`].
    pub fn deactivate(&mut self) -> &mut Handle<Inactive> {
        if let Self::Active(_) = self {
            self.replace_with(|this| match this {
                Self::Active(handle) => Self::Inactive(handle.deactivate()),
                inactive => inactive,
            });
        }
        match self {
            Self::Inactive(handle) => handle,
            Self::Active(_) => unreachable!("deactivated just above"),
        }
    }

    /// The handle, if it is active: the only way to run it.
    pub fn active_mut(&mut self) -> Option<&mut Handle<Active>> {
        match self {
            Self::Active(handle) => Some(handle),
            Self::Inactive(_) => None,
        }
    }

    /// Whether the handle is active.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Active(_))
    }

    /// The plugin type the handle is an instance of.
    pub fn descriptor(&self) -> &Descriptor {
        match self {
            Self::Inactive(handle) => handle.descriptor(),
            Self::Active(handle) => handle.descriptor(),
        }
    }

    /// The value of a control port; see [`Handle::control`].
    pub fn control(&self, port: impl PortRef) -> Result<f32, PortError> {
        match self {
            Self::Inactive(handle) => handle.control(port),
            Self::Active(handle) => handle.control(port),
        }
    }

    /// Sets a control input; see [`Handle::set_control`].
    pub fn set_control(&mut self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        match self {
            Self::Inactive(handle) => handle.set_control(port, value),
            Self::Active(handle) => handle.set_control(port, value),
        }
    }

    /// Makes the handle's runs flush denormals to zero (or stop); see
    /// [`Handle::set_flush_denormals`].
    pub fn set_flush_denormals(&mut self, on: bool) -> bool {
        match self {
            Self::Inactive(handle) => handle.set_flush_denormals(on),
            Self::Active(handle) => handle.set_flush_denormals(on),
        }
    }

    /// Whether the handle's runs flush denormals to zero; see [`Handle::flushes_denormals`].
    pub fn flushes_denormals(&self) -> bool {
        match self {
            Self::Inactive(handle) => handle.flushes_denormals(),
            Self::Active(handle) => handle.flushes_denormals(),
        }
    }

    /// The handle's [`Controls`]; see [`Handle::controls`].
    pub fn controls(&mut self) -> Controls {
        match self {
            Self::Inactive(handle) => handle.controls(),
            Self::Active(handle) => handle.controls(),
        }
    }

    /// Replaces `self` by `change(self)`. The handle is moved out and back with no placeholder
    /// in between, so `change` must not unwind: if it did, `self` would be dropped twice. The
    /// state changes never panic (plugin code cannot unwind into Rust, and the lifecycle lock
    /// ignores poisoning); should a bug make one panic, the process aborts rather than run on
    /// with a duplicated handle.
    fn replace_with(&mut self, change: impl FnOnce(Self) -> Self) {
        /// Aborts the process if dropped, that is, if `change` unwinds.
        struct AbortOnUnwind;
        impl Drop for AbortOnUnwind {
            fn drop(&mut self) {
                std::process::abort();
            }
        }
        let guard = AbortOnUnwind;
        // SAFETY: `self` is valid; the value read is written back below before anything else
        // can observe `self`, and if `change` unwinds in between, the guard aborts the process
        // before the moved-from `self` could be used or dropped.
        let this = unsafe { std::ptr::read(self) };
        let changed = change(this);
        // SAFETY: `self` holds a bit copy of a value that `change` consumed; overwriting it
        // without dropping it is what makes the move complete.
        unsafe { std::ptr::write(self, changed) };
        std::mem::forget(guard);
    }
}

impl From<Handle<Inactive>> for AnyHandle {
    fn from(handle: Handle<Inactive>) -> Self {
        Self::Inactive(handle)
    }
}

impl From<Handle<Active>> for AnyHandle {
    fn from(handle: Handle<Active>) -> Self {
        Self::Active(handle)
    }
}
