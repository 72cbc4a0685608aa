//! Loaded plugin files: [`Plugin`], how to load one ([`LoadOptions`]), and finding a plugin type
//! in one ([`Query`], [`FindError`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::descriptor::Descriptor;
use crate::library::{self, LibraryShared, LoadError, LoadStep};
use crate::validation::DescriptorError;

/// What a descriptor is looked up by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// Its `Label`.
    Label(String),
    /// Its `UniqueID`.
    UniqueId(u64),
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Label(label) => write!(f, "label `{label}`"),
            Self::UniqueId(id) => write!(f, "unique ID {id}"),
        }
    }
}

/// Why a plugin type could not be found in a file.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FindError {
    /// No descriptor of the file matches.
    #[error("{}: no plugin with {query}", file.display())]
    NotFound {
        /// The plugin file.
        file: PathBuf,
        /// What was looked for.
        query: Query,
    },
    /// The matching descriptor was refused by validation.
    #[error(transparent)]
    Invalid(#[from] DescriptorError),
}

/// How plugin files are loaded. [`Plugin::load`] uses the defaults.
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// use ladspa_host::LoadOptions;
///
/// // A file whose plugins leave threads running must never be unmapped.
/// let options = LoadOptions::new().keep_loaded(true);
/// // SAFETY: the test plugins are trusted code.
/// let plugin = unsafe { options.load(&path) }?;
/// assert_eq!(plugin.descriptors().len(), 2);
/// # Ok::<(), ladspa_host::LoadError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    keep_loaded: bool,
}

impl LoadOptions {
    /// The defaults: the file is unloaded when its last `Plugin`, `Descriptor` and instance
    /// are dropped.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the file mapped for the life of the process once loaded (`RTLD_NODELETE`), even
    /// after its last `Plugin`, `Descriptor` and instance are dropped.
    ///
    /// Unloading is the default, and what makes a host's memory flat over many loads; but a
    /// plugin that leaves a thread running (or registers an `atexit` handler, or hands a
    /// callback to another library) crashes the process when its code is unmapped under that
    /// thread. Such files need this. The `Plugin` and its descriptors still release their own
    /// memory when dropped; only the file's mapping stays.
    pub fn keep_loaded(mut self, keep: bool) -> Self {
        self.keep_loaded = keep;
        self
    }

    /// Loads the plugin file at `path` with these options; see [`Plugin::load`].
    ///
    /// # Safety
    /// As for [`Plugin::load`]: loading runs the file's code.
    pub unsafe fn load(&self, path: impl AsRef<Path>) -> Result<Plugin, LoadError> {
        // SAFETY: the caller's promise, passed on.
        unsafe { self.load_observed(path.as_ref(), |_| {}) }
    }

    /// [`LoadOptions::load`], telling `observe` of each step that runs the file's code before
    /// it begins (see [`library::load_observed`]).
    ///
    /// # Safety
    /// As for [`Plugin::load`].
    pub(crate) unsafe fn load_observed(
        &self,
        path: &Path,
        observe: impl FnMut(LoadStep),
    ) -> Result<Plugin, LoadError> {
        // SAFETY: the caller's promise, passed on.
        unsafe { library::load_observed(path, self.keep_loaded, observe) }.map(Plugin::from_file)
    }

    /// [`LoadOptions::load_observed`] of a path already known to name a regular file.
    ///
    /// # Safety
    /// As for [`Plugin::load`]; and `path` must be non-empty and name a regular file.
    pub(crate) unsafe fn load_regular_file(
        &self,
        path: &Path,
        observe: impl FnMut(LoadStep),
    ) -> Result<Plugin, LoadError> {
        // SAFETY: the caller's promise, passed on.
        unsafe { library::load_regular_file(path, self.keep_loaded, observe) }
            .map(Plugin::from_file)
    }
}

/// A loaded LADSPA plugin file (`.so`) and the plugin types (descriptors) it holds.
///
/// The file stays loaded while the `Plugin`, or any [`Descriptor`] or instance taken from it,
/// lives; dropping the last of them unloads it. Descriptors hold the file, never the reverse, so
/// there is no reference cycle to leak.
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// // SAFETY: the test plugins are trusted code.
/// let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// let amp = plugin.find_label("tp_amp_mono")?.clone();
/// drop(plugin); // the descriptor keeps the file loaded
/// assert_eq!(amp.name(), "Test Mono Amplifier");
/// # Ok::<(), ladspa_host::Error>(())
/// ```
///
/// # Thread-safety
/// `Plugin` is `Send` and `Sync`: after loading it is immutable.
pub struct Plugin {
    file: Arc<LibraryShared>,
    /// Views of the file's valid plugin types, made for this `Plugin` (the file's state owns
    /// their data and holds no `Descriptor`, so that nothing in it points back up).
    descriptors: Vec<Descriptor>,
}

impl Plugin {
    /// Loads the plugin file at `path` and validates every plugin type it holds.
    ///
    /// The path must name a regular file (after following symbolic links): an empty path, a
    /// directory, a FIFO (which the dynamic loader would wait on forever) or a device is a
    /// [`LoadError`] before anything is opened. The file is opened with
    /// `RTLD_NOW | RTLD_LOCAL`, so that a missing symbol is an error now rather than a crash at
    /// the first call. LADSPA lets plugins use the C maths library without linking it ("which
    /// the host is expected to provide", says `ladspa.h`; Debian's own `filter.so` does so), so
    /// the first load makes `libm.so.6` globally available, once and for the life of the
    /// process. A path without a `/` is taken relative to the current directory (the dynamic
    /// loader would otherwise search the system's library directories); to find a plugin along
    /// `LADSPA_PATH`, use [`crate::discovery`].
    ///
    /// `ladspa_descriptor` is called for index 0, 1, 2… until it returns NULL, and each
    /// descriptor is validated right after its own call. Descriptors that fail validation are
    /// set aside ([`Plugin::rejected`]) without spoiling the others. The file is unloaded when
    /// the last `Plugin`, [`Descriptor`] and instance of it is dropped; to keep it mapped for
    /// the life of the process, load it with [`LoadOptions::keep_loaded`].
    ///
    /// # Safety
    /// Loading a shared object runs its initialisation code, and `ladspa_descriptor` is called
    /// for each index: both are foreign code that can do anything, and nothing this crate does
    /// in-process survives a file that crashes, hangs or exits while it loads (see the crate
    /// documentation's *What the host survives*). The file must be a plugin you trust to follow
    /// the LADSPA specification; in particular, the descriptors it returns must stay valid
    /// while it is loaded and their strings and arrays must hold what their pointers and
    /// `PortCount` claim (NULL pointers and contradictory flags are checked).
    ///
    /// # Thread-safety
    /// Loading, unloading and every other call into plugin code but the run calls take one
    /// process-wide lock, so files may be loaded from any threads: plugins' initialisation code
    /// never runs on two threads at once.
    pub unsafe fn load(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        // SAFETY: the caller's promise, passed on.
        unsafe { LoadOptions::new().load(path) }
    }

    /// The `Plugin` of a loaded file, with a view of each of its valid plugin types.
    pub(crate) fn from_file(file: Arc<LibraryShared>) -> Self {
        let descriptors = (0..file.types.len())
            .map(|slot| Descriptor::new(Arc::clone(&file), slot))
            .collect();
        Self { file, descriptors }
    }

    /// The path the file was loaded from.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The valid plugin types of the file, in index order.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.descriptors
    }

    /// The plugin types that failed validation, each with its reason.
    pub fn rejected(&self) -> &[DescriptorError] {
        &self.file.rejected
    }

    /// The plugin type with this label.
    pub fn find_label(&self, label: &str) -> Result<&Descriptor, FindError> {
        self.find(&Query::Label(label.to_owned()))
    }

    /// The plugin type whose label is exactly these bytes, for labels that are not UTF-8
    /// (LADSPA says nothing of encodings: a label is bytes up to a NUL). A miss is
    /// [`FindError::NotFound`] with the label decoded lossily.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let label = plugin.descriptors()[0].label(); // a `Text`: bytes, maybe not UTF-8
    /// assert_eq!(plugin.find_label_bytes(label.as_bytes())?.unique_id(), 7001);
    /// assert!(plugin.find_label_bytes(b"tp_\xe9").is_err());
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn find_label_bytes(&self, label: &[u8]) -> Result<&Descriptor, FindError> {
        if let Some(found) = self
            .descriptors
            .iter()
            .find(|d| d.label().as_bytes() == label)
        {
            return Ok(found);
        }
        // Rejected descriptors keep their label lossily decoded: the best match there is.
        let lossy = String::from_utf8_lossy(label).into_owned();
        if let Some(error) = self
            .rejected()
            .iter()
            .find(|e| e.label.as_deref() == Some(&lossy))
        {
            return Err(error.clone().into());
        }
        Err(FindError::NotFound {
            file: self.file.path.clone(),
            query: Query::Label(lossy),
        })
    }

    /// The plugin type with this unique ID.
    pub fn find_unique_id(&self, unique_id: u64) -> Result<&Descriptor, FindError> {
        self.find(&Query::UniqueId(unique_id))
    }

    /// The plugin type that matches `query`. A match among the rejected descriptors gives its
    /// validation error.
    pub fn find(&self, query: &Query) -> Result<&Descriptor, FindError> {
        let matches = |d: &&Descriptor| match query {
            Query::Label(label) => d.label() == label.as_str(),
            Query::UniqueId(id) => d.unique_id() == *id,
        };
        let found = self.descriptors.iter().find(matches);
        found_or_why(found, self.rejected(), query, &self.file.path)
    }

    /// The valid plugin types, taken out of the `Plugin` (each keeps the file loaded).
    pub fn into_descriptors(self) -> Vec<Descriptor> {
        self.descriptors
    }
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("path", &self.path())
            .field("descriptors", &self.descriptors)
            .field("rejected", &self.rejected())
            .finish()
    }
}

/// What a look-up by `query` in one file gives: what it `found`, else the validation error of a
/// refused descriptor with the label asked for, else [`FindError::NotFound`]. Shared by
/// [`Plugin::find`] and the catalog's file records.
pub(crate) fn found_or_why<'a, T>(
    found: Option<&'a T>,
    rejected: &[DescriptorError],
    query: &Query,
    file: &Path,
) -> Result<&'a T, FindError> {
    if let Some(found) = found {
        return Ok(found);
    }
    if let Query::Label(label) = query {
        if let Some(error) = rejected.iter().find(|e| e.label.as_deref() == Some(label)) {
            return Err(error.clone().into());
        }
    }
    Err(FindError::NotFound {
        file: file.to_owned(),
        query: query.clone(),
    })
}

impl Descriptor {
    /// The [`Plugin`] (the loaded file) this plugin type belongs to: its path,
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
    pub fn plugin(&self) -> Plugin {
        Plugin::from_file(Arc::clone(&self.file))
    }
}
