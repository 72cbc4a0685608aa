//! The state of one plugin type that its [`Descriptor`](crate::Descriptor) views, their ports
//! and instances share: what validation read and checked, pointers into the loaded file, and the
//! functions that make and run instances.

use std::ffi::{CStr, c_char, c_ulong};
use std::path::Path;
use std::ptr::NonNull;

use ladspa_host_sys as sys;

use crate::functions::Functions;
use crate::port_info::{Direction, PortInfo, PortKind};
use crate::properties::Properties;
use crate::text::Text;
use crate::validation::{DescriptorError, validate};

/// The indices of a descriptor's ports by direction and kind, in port order: the order in which
/// a run takes its buffers.
pub(crate) struct PortLayout {
    pub(crate) audio_inputs: Box<[c_ulong]>,
    pub(crate) audio_outputs: Box<[c_ulong]>,
}

/// The state of one plugin type that its [`Descriptor`] values and their instances share.
pub(crate) struct DescriptorShared {
    pub(crate) raw: NonNull<sys::LADSPA_Descriptor>,
    pub(crate) index: usize,
    pub(crate) unique_id: u64,
    pub(crate) properties: Properties,
    label: NonNull<c_char>,
    name: NonNull<c_char>,
    maker: NonNull<c_char>,
    copyright: NonNull<c_char>,
    pub(crate) ports: Box<[PortInfo]>,
    pub(crate) layout: PortLayout,
    pub(crate) functions: Functions,
}

// SAFETY: the fields are raw pointers into the plugin file, which owns this state and stays
// loaded while it exists (see `LibraryShared`), and copies of validated values. LADSPA descriptors are constant data (`const LADSPA_Descriptor *`)
// that the plugin never changes once handed out, so reading them from any thread is sound; the
// only function called through `DescriptorShared` itself is `instantiate`, which every thread
// calls under the process-wide lifecycle lock (`crate::lifecycle_lock`), one at a time.
unsafe impl Send for DescriptorShared {}
// SAFETY: as for `Send`: shared access only reads constant data.
unsafe impl Sync for DescriptorShared {}

impl DescriptorShared {
    /// Validates the descriptor at `raw`.
    ///
    /// # Safety
    /// `raw` must be what `ladspa_descriptor(index)` of the loaded file at `path` returned, and
    /// the result must be dropped before the file is unloaded (the file's `LibraryShared` owns
    /// it).
    pub(crate) unsafe fn new(
        path: &Path,
        raw: NonNull<sys::LADSPA_Descriptor>,
        index: usize,
    ) -> Result<Self, DescriptorError> {
        // SAFETY: `raw` comes from the loaded file (the caller's promise).
        let v = unsafe { validate(raw, path, index) }?;
        let indices = |kind, is_input| {
            v.ports
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == kind && (p.direction == Direction::Input) == is_input)
                .map(|(i, _)| i as c_ulong)
                .collect()
        };
        let layout = PortLayout {
            audio_inputs: indices(PortKind::Audio, true),
            audio_outputs: indices(PortKind::Audio, false),
        };
        Ok(Self {
            raw,
            index,
            unique_id: v.unique_id,
            properties: v.properties,
            label: v.label,
            name: v.name,
            maker: v.maker,
            copyright: v.copyright,
            layout,
            ports: v.ports,
            functions: v.functions,
        })
    }

    pub(crate) fn label(&self) -> Text<'_> {
        self.text(self.label)
    }

    pub(crate) fn name(&self) -> Text<'_> {
        self.text(self.name)
    }

    pub(crate) fn maker(&self) -> Text<'_> {
        self.text(self.maker)
    }

    pub(crate) fn copyright(&self) -> Text<'_> {
        self.text(self.copyright)
    }

    fn text(&self, pointer: NonNull<c_char>) -> Text<'_> {
        // SAFETY: `pointer` is one of the descriptor's strings, checked non-NULL by validation;
        // the specification makes them NUL-terminated and constant, and the file that holds
        // them stays loaded for as long as `self` lives (`DescriptorShared::new`).
        Text::new(unsafe { CStr::from_ptr(pointer.as_ptr()) })
    }
}
