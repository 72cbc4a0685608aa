//! The public view of one port of a plugin type: its index, name, direction, kind and range
//! hint.

use std::ffi::CStr;

use crate::descriptor_state::DescriptorShared;
use crate::hint::RangeHint;
use crate::port_info::{Direction, PortInfo, PortKind};
use crate::text::Text;

/// One port of a [`Descriptor`](crate::Descriptor), borrowed from it.
#[derive(Clone, Copy)]
pub struct Port<'a> {
    index: usize,
    info: &'a PortInfo,
    /// The plugin type the port belongs to, so that a `Port` names a port of it and of no other
    /// (see [`PortRef`](crate::PortRef)).
    owner: &'a DescriptorShared,
}

impl<'a> Port<'a> {
    /// Port `index` of `owner`, which has it.
    pub(crate) fn new(owner: &'a DescriptorShared, index: usize) -> Self {
        Self {
            index,
            info: &owner.ports[index],
            owner,
        }
    }

    /// The address of the plugin type's shared state, which identifies it.
    pub(crate) fn owner(&self) -> *const () {
        std::ptr::from_ref(self.owner).cast()
    }

    /// The port's index: its position in the plugin's port arrays.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The port's name.
    pub fn name(&self) -> Text<'a> {
        // SAFETY: the pointer was checked non-NULL when the descriptor was validated; the
        // specification makes port names NUL-terminated strings that live as long as the
        // descriptor, and the `'a` borrow of the descriptor keeps its plugin file loaded.
        Text::new(unsafe { CStr::from_ptr(self.info.name.as_ptr()) })
    }

    /// Input or output.
    pub fn direction(&self) -> Direction {
        self.info.direction
    }

    /// Audio or control.
    pub fn kind(&self) -> PortKind {
        self.info.kind
    }

    /// The port's range hint.
    pub fn hint(&self) -> RangeHint {
        self.info.hint
    }

    /// An input port.
    pub fn is_input(&self) -> bool {
        self.direction() == Direction::Input
    }

    /// An output port.
    pub fn is_output(&self) -> bool {
        self.direction() == Direction::Output
    }

    /// An audio port.
    pub fn is_audio(&self) -> bool {
        self.kind() == PortKind::Audio
    }

    /// A control port.
    pub fn is_control(&self) -> bool {
        self.kind() == PortKind::Control
    }
}

impl std::fmt::Debug for Port<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Port")
            .field("index", &self.index)
            .field("name", &self.name())
            .field("direction", &self.direction())
            .field("kind", &self.kind())
            .field("hint", &self.hint())
            .finish()
    }
}
