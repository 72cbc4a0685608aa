//! Loaded plugin files.

use std::ffi::c_ulong;
use std::fmt;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::Arc;

use ladspa_sys as sys;
use libloading::os::unix::{Library as UnixLibrary, RTLD_LOCAL, RTLD_NOW};

use crate::descriptor::Descriptor;
use crate::validation::DescriptorError;

/// The most plugin types one file may hold. `ladspa_descriptor` must return NULL past the last
/// one; a file that has not done so by this index is refused rather than asked forever.
pub const MAX_DESCRIPTORS: usize = 4096;

/// Why a plugin file could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The dynamic loader refused the file (missing, unreadable, not a shared object, an
    /// unresolved symbol…); `message` is the loader's own words.
    #[error("cannot load plugin file {}: {message}", file.display())]
    Open {
        /// The plugin file.
        file: PathBuf,
        /// The loader's message (`dlerror`).
        message: String,
    },
    /// The file loaded but exports no `ladspa_descriptor` function.
    #[error("{} is not a LADSPA plugin file: {message}", file.display())]
    NotLadspa {
        /// The plugin file.
        file: PathBuf,
        /// The loader's message (`dlerror`).
        message: String,
    },
    /// `ladspa_descriptor(0)` returned NULL.
    #[error("{} holds no plugin: ladspa_descriptor(0) returned NULL", file.display())]
    NoDescriptors {
        /// The plugin file.
        file: PathBuf,
    },
    /// `ladspa_descriptor` did not return NULL for any index below [`MAX_DESCRIPTORS`].
    #[error("{}: ladspa_descriptor() returned a plugin for every index up to {}; refusing a file whose list never ends", file.display(), MAX_DESCRIPTORS)]
    EndlessDescriptors {
        /// The plugin file.
        file: PathBuf,
    },
}

impl LoadError {
    /// The plugin file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            Self::Open { file, .. }
            | Self::NotLadspa { file, .. }
            | Self::NoDescriptors { file }
            | Self::EndlessDescriptors { file } => file,
        }
    }
}

/// What a descriptor is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The state of a loaded plugin file, shared by its [`Plugin`], [`Descriptor`]s and instances.
/// Dropping the last reference unloads the file (`dlclose`).
pub(crate) struct LibraryShared {
    pub(crate) path: PathBuf,
    /// The loaded file. Everything that points into it holds an `Arc` of this state.
    _library: libloading::Library,
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
/// let plugin = unsafe { ladspa::Plugin::load(&path) }?;
/// let amp = plugin.find_label("tp_amp_mono")?.clone();
/// drop(plugin); // the descriptor keeps the file loaded
/// assert_eq!(amp.name(), "Test Mono Amplifier");
/// # Ok::<(), ladspa::Error>(())
/// ```
///
/// # Thread-safety
/// `Plugin` is `Send` and `Sync`: after loading it is immutable.
pub struct Plugin {
    shared: Arc<LibraryShared>,
    descriptors: Vec<Descriptor>,
    rejected: Vec<DescriptorError>,
}

impl Plugin {
    /// Loads the plugin file at `path` and validates every plugin type it holds.
    ///
    /// The file is opened with `RTLD_NOW | RTLD_LOCAL`, so that a missing symbol is an error
    /// now rather than a crash at the first call. LADSPA lets plugins use the C maths library
    /// without linking it ("which the host is expected to provide", says `ladspa.h`; Debian's
    /// own `filter.so` does so), so the first load makes `libm.so.6` globally available, once
    /// and for the life of the process. A path without a `/` is taken relative to the
    /// current directory (the dynamic loader would otherwise search the system's library
    /// directories); to find a plugin along `LADSPA_PATH`, use [`crate::discovery`].
    ///
    /// Descriptors that fail validation are set aside ([`Plugin::rejected`]) without spoiling
    /// the others.
    ///
    /// # Safety
    /// Loading a shared object runs its initialisation code, and `ladspa_descriptor` is called
    /// for each index: both are foreign code that can do anything. The file must be a plugin
    /// you trust to follow the LADSPA specification; in particular, the descriptors it returns
    /// must stay valid while it is loaded and their strings and arrays must hold what their
    /// pointers and `PortCount` claim (NULL pointers and contradictory flags are checked).
    ///
    /// # Thread-safety
    /// The dynamic loader is thread-safe, but a plugin's initialisation code may not be: load
    /// files that are not known to be thread-safe from one thread at a time.
    pub unsafe fn load(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let file = path.to_owned();
        provide_c_maths_library();
        let open_path = if path.components().count() == 1 && !path.has_root() {
            Path::new(".").join(path)
        } else {
            file.clone()
        };
        // SAFETY: the caller accepts that loading runs the file's initialisation code.
        let library = unsafe { UnixLibrary::open(Some(&open_path), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| LoadError::Open {
                file: file.clone(),
                message: e.to_string(),
            })?;
        // SAFETY: `ladspa_descriptor` has type `LADSPA_Descriptor_Function` in every LADSPA
        // plugin file (the caller's promise that this is one).
        let function = unsafe {
            library.get::<sys::LADSPA_Descriptor_Function>(
                sys::LADSPA_DESCRIPTOR_SYMBOL.to_bytes_with_nul(),
            )
        }
        .map_err(|e| LoadError::NotLadspa {
            file: file.clone(),
            message: e.to_string(),
        })?;
        let function = (*function).ok_or_else(|| LoadError::NotLadspa {
            file: file.clone(),
            message: "its ladspa_descriptor symbol is NULL".to_owned(),
        })?;

        let mut raw_descriptors = Vec::new();
        loop {
            if raw_descriptors.len() == MAX_DESCRIPTORS {
                return Err(LoadError::EndlessDescriptors { file });
            }
            // SAFETY: `function` is the file's `ladspa_descriptor`, which takes any index.
            match NonNull::new(unsafe { function(raw_descriptors.len() as c_ulong) }.cast_mut()) {
                Some(raw) => raw_descriptors.push(raw),
                None => break,
            }
        }
        if raw_descriptors.is_empty() {
            return Err(LoadError::NoDescriptors { file });
        }

        let shared = Arc::new(LibraryShared {
            path: file,
            _library: library.into(),
        });
        let mut descriptors = Vec::with_capacity(raw_descriptors.len());
        let mut rejected = Vec::new();
        for (index, raw) in raw_descriptors.into_iter().enumerate() {
            // SAFETY: `raw` is what `ladspa_descriptor(index)` of this file returned.
            match unsafe { Descriptor::new(&shared, raw, index) } {
                Ok(descriptor) => descriptors.push(descriptor),
                Err(error) => rejected.push(error),
            }
        }
        Ok(Self {
            shared,
            descriptors,
            rejected,
        })
    }

    /// The path the file was loaded from.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The valid plugin types of the file, in index order.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.descriptors
    }

    /// The plugin types that failed validation, each with its reason.
    pub fn rejected(&self) -> &[DescriptorError] {
        &self.rejected
    }

    /// The plugin type with this label.
    pub fn find_label(&self, label: &str) -> Result<&Descriptor, FindError> {
        self.find(&Query::Label(label.to_owned()))
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
        if let Some(found) = self.descriptors.iter().find(matches) {
            return Ok(found);
        }
        if let Query::Label(label) = query {
            if let Some(error) = self
                .rejected
                .iter()
                .find(|e| e.label.as_deref() == Some(label))
            {
                return Err(error.clone().into());
            }
        }
        Err(FindError::NotFound {
            file: self.shared.path.clone(),
            query: query.clone(),
        })
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
            .field("rejected", &self.rejected)
            .finish()
    }
}

/// Loads the C maths library with `RTLD_GLOBAL`, once, so that plugins that use it without
/// linking it resolve their symbols (the specification makes providing it the host's job). It
/// stays loaded for the life of the process. If it cannot be loaded, plugins that need it fail
/// to load with the loader's own message.
fn provide_c_maths_library() {
    use libloading::os::unix::RTLD_GLOBAL;
    static LIBM: std::sync::OnceLock<Option<UnixLibrary>> = std::sync::OnceLock::new();
    LIBM.get_or_init(|| {
        // SAFETY: the system's C maths library, whose initialisation is trusted as the C
        // library's is.
        unsafe { UnixLibrary::open(Some("libm.so.6"), RTLD_NOW | RTLD_GLOBAL) }.ok()
    });
}
