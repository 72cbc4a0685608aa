//! One plugin type of a loaded file: its validated metadata and the functions that make
//! instances of it.

use std::ffi::{CStr, c_char, c_ulong};
use std::fmt;
use std::path::Path;
use std::ptr::NonNull;
use std::sync::Arc;

use ladspa_host_sys as sys;

use crate::loading::LibraryShared;
use crate::port::{Port, PortInfo, PortKind};
use crate::properties::Properties;
use crate::text::Text;
use crate::validation::{DescriptorError, validate};

/// The plugin's functions, copied out of the descriptor once validation has found the required
/// ones non-NULL, so that the run path calls them without checking again.
#[derive(Clone, Copy)]
pub(crate) struct Functions {
    pub(crate) instantiate:
        unsafe extern "C" fn(*const sys::LADSPA_Descriptor, c_ulong) -> sys::LADSPA_Handle,
    pub(crate) connect_port:
        unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong, *mut sys::LADSPA_Data),
    pub(crate) run: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    pub(crate) cleanup: unsafe extern "C" fn(sys::LADSPA_Handle),
    pub(crate) activate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    pub(crate) deactivate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    pub(crate) run_adding: Option<RunAdding>,
}

/// `run_adding` and `set_run_adding_gain`, which a plugin has both or neither of.
#[derive(Clone, Copy)]
pub(crate) struct RunAdding {
    pub(crate) run_adding: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    pub(crate) set_run_adding_gain: unsafe extern "C" fn(sys::LADSPA_Handle, sys::LADSPA_Data),
}

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
// calls under the process-wide lifecycle lock (`crate::lifecycle`), one at a time.
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
                .filter(|(_, p)| {
                    p.kind == kind && (p.direction == crate::Direction::Input) == is_input
                })
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

    fn text(&self, pointer: NonNull<c_char>) -> Text<'_> {
        // SAFETY: `pointer` is one of the descriptor's strings, checked non-NULL by validation;
        // the specification makes them NUL-terminated and constant, and the file that holds
        // them stays loaded for as long as `self` lives (`DescriptorShared::new`).
        Text::new(unsafe { CStr::from_ptr(pointer.as_ptr()) })
    }
}

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

    /// The [`Plugin`](crate::Plugin) (the loaded file) this plugin type belongs to: its path,
    /// its other plugin types. The file's state owns the plugin types' data and the
    /// `Plugin` and `Descriptor`s are views of it, so this back reference makes no cycle: the
    /// file is unloaded when the last of them is dropped, in whatever order.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let mono = plugin.find_label("tp_amp_mono")?.clone();
    /// drop(plugin);
    /// let siblings = mono.plugin();
    /// assert_eq!(siblings.descriptors().len(), 2);
    /// assert!(siblings.descriptors().contains(&mono));
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn plugin(&self) -> crate::Plugin {
        crate::Plugin::from_file(Arc::clone(&self.file))
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
        self.shared().text(self.shared().name)
    }

    /// `Maker`: the author.
    pub fn maker(&self) -> Text<'_> {
        self.shared().text(self.shared().maker)
    }

    /// `Copyright`: the copyright or licence.
    pub fn copyright(&self) -> Text<'_> {
        self.shared().text(self.shared().copyright)
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
