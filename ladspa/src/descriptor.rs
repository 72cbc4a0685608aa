//! The public view of one plugin type of a loaded file: its validated metadata and ports.
//! (Making instances of it is [`Descriptor::instantiate`], with the handles.)

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use ladspa_host_sys as sys;

use crate::descriptor_state::DescriptorShared;
use crate::library::LibraryShared;
use crate::port::Port;
use crate::properties::Properties;
use crate::text::Text;

/// One plugin type (`LADSPA_Descriptor`) of a loaded plugin file, validated.
///
/// A `Descriptor` keeps its plugin file loaded: it stays fully usable after the
/// [`Plugin`](crate::Plugin) it came from is dropped, and the file is unloaded only when the last
/// `Plugin`, `Descriptor` and instance of it are gone. Cloning is cheap (a reference count).
///
/// # Thread-safety
/// `Descriptor` is `Send` and `Sync`: its metadata is constant, and instances of it may be made
/// and run on any threads (each instance on one thread at a time). Making instances takes a
/// process-wide lock, since real plugins share global state between instances; running them
/// takes none.
#[derive(Clone)]
pub struct Descriptor {
    /// The loaded file, whose state owns every plugin type's data: a `Descriptor` is a view of
    /// one of them, and nothing in the file's state points back at a `Descriptor`.
    pub(crate) file: Arc<LibraryShared>,
    /// The position of this plugin type among the file's valid ones.
    slot: usize,
}

impl Descriptor {
    /// The view of the `slot`-th valid plugin type of `file`.
    pub(crate) fn new(file: Arc<LibraryShared>, slot: usize) -> Self {
        assert!(slot < file.types.len(), "a plugin type of the file");
        Self { file, slot }
    }

    /// The plugin type's validated data.
    #[inline]
    pub(crate) fn shared(&self) -> &DescriptorShared {
        &self.file.types[self.slot]
    }

    /// The plugin file this plugin type was loaded from.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The index of this plugin type in its file (the argument of `ladspa_descriptor`).
    pub fn index(&self) -> usize {
        self.shared().index
    }

    /// `UniqueID`: the globally unique number of this plugin type.
    pub fn unique_id(&self) -> u64 {
        self.shared().unique_id
    }

    /// `Label`: a short identifier, unique within the file.
    pub fn label(&self) -> Text<'_> {
        self.shared().label()
    }

    /// `Name`: the name for people.
    pub fn name(&self) -> Text<'_> {
        self.shared().name()
    }

    /// `Maker`: the author.
    pub fn maker(&self) -> Text<'_> {
        self.shared().maker()
    }

    /// `Copyright`: the copyright or licence.
    pub fn copyright(&self) -> Text<'_> {
        self.shared().copyright()
    }

    /// `Properties`.
    pub fn properties(&self) -> Properties {
        self.shared().properties
    }

    /// Whether the plugin has an `activate` function (instances are activated the same way
    /// either way).
    pub fn has_activate(&self) -> bool {
        self.shared().functions.activate.is_some()
    }

    /// Whether the plugin has a `deactivate` function.
    pub fn has_deactivate(&self) -> bool {
        self.shared().functions.deactivate.is_some()
    }

    /// Whether the plugin has `run_adding` (and so `set_run_adding_gain`).
    pub fn has_run_adding(&self) -> bool {
        self.shared().functions.run_adding.is_some()
    }

    /// The number of ports.
    pub fn port_count(&self) -> usize {
        self.shared().ports.len()
    }

    /// The ports, in index order.
    pub fn ports(&self) -> impl ExactSizeIterator<Item = Port<'_>> + DoubleEndedIterator + Clone {
        let shared = self.shared();
        (0..shared.ports.len()).map(move |index| Port::new(shared, index))
    }

    /// The port at `index`, if there is one.
    pub fn port(&self, index: usize) -> Option<Port<'_>> {
        (index < self.shared().ports.len()).then(|| Port::new(self.shared(), index))
    }

    /// The first port whose name is `name`, if there is one. Several ports may share a name
    /// (often an audio port and a control port); to set or read a control by name, name it in
    /// [`Handle::set_control`](crate::Handle::set_control), which looks among control ports
    /// only.
    pub fn port_by_name(&self, name: &str) -> Option<Port<'_>> {
        self.ports().find(|port| port.name() == name)
    }

    /// The number of audio input ports: how many buffers a run reads.
    pub fn audio_input_count(&self) -> usize {
        self.shared().layout.audio_inputs.len()
    }

    /// The number of audio output ports: how many buffers a run writes.
    pub fn audio_output_count(&self) -> usize {
        self.shared().layout.audio_outputs.len()
    }

    /// The raw descriptor, for calling the C API by hand. It stays valid while `self` (or any
    /// clone, or any instance made from it) lives.
    pub fn as_raw(&self) -> *const sys::LADSPA_Descriptor {
        self.shared().raw.as_ptr()
    }
}

/// Two descriptors are equal when they are the same plugin type of the same loaded file: the
/// same index of the file that one [`Plugin::load`](crate::Plugin::load) loaded (clones, and
/// descriptors reached through [`Descriptor::plugin`], are equal; descriptors of two separate
/// loads of one path are not, as their ports are not interchangeable either, see
/// [`PortError::OtherPluginType`](crate::PortError::OtherPluginType)).
impl PartialEq for Descriptor {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.slot == other.slot
    }
}

impl Eq for Descriptor {}

impl std::hash::Hash for Descriptor {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.file).hash(state);
        self.slot.hash(state);
    }
}

impl fmt::Debug for Descriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descriptor")
            .field("path", &self.path())
            .field("index", &self.index())
            .field("unique_id", &self.unique_id())
            .field("label", &self.label())
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}
