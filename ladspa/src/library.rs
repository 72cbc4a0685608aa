//! Loading a plugin file, the mechanics under [`Plugin`](crate::Plugin): the checks before
//! `dlopen`, the dynamic loader's flags, asking `ladspa_descriptor` for every plugin type (each
//! validated right after its own call), and the file's shared state ([`LibraryShared`]) that
//! every view and instance of it holds. [`LoadError`] says why a file did not load.

use std::ffi::c_ulong;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::Arc;

use ladspa_host_sys as sys;
use libloading::os::unix::{Library as UnixLibrary, RTLD_LOCAL, RTLD_NOW};

use crate::descriptor_state::DescriptorShared;
use crate::fp_env;
use crate::lifecycle_lock;
use crate::validation::{Defect, DescriptorError};

/// The most plugin types one file may hold. `ladspa_descriptor` must return NULL past the last
/// one; a file that has not done so by this index is refused rather than asked forever.
pub const MAX_DESCRIPTORS: usize = 4096;

/// `RTLD_NODELETE` of the C library's `<dlfcn.h>`: `dlclose` leaves the file mapped.
const RTLD_NODELETE: std::ffi::c_int = libc::RTLD_NODELETE;

/// Why a plugin file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LoadError {
    /// The path is empty (the dynamic loader would open the host program itself).
    #[error("cannot load a plugin file from an empty path")]
    EmptyPath,
    /// The path names something other than a regular file, after following symbolic links: a
    /// directory, a FIFO (which `dlopen` would wait on forever), a socket or a device.
    #[error("cannot load plugin file {}: it is {kind}, not a regular file", file.display())]
    NotRegularFile {
        /// The path.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
        file: PathBuf,
        /// What it is ("a directory", "a FIFO", …).
        kind: String,
    },
    /// The dynamic loader refused the file (missing, unreadable, not a shared object, an
    /// unresolved symbol…); `message` is the loader's own words.
    #[error("cannot load plugin file {}: {}", file.display(), without_path(message, file))]
    Open {
        /// The plugin file.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
        file: PathBuf,
        /// The loader's message (`dlerror`).
        message: String,
    },
    /// The file loaded but exports no `ladspa_descriptor` function.
    #[error("{} is not a LADSPA plugin file: {}", file.display(), without_path(message, file))]
    NotLadspa {
        /// The plugin file.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
        file: PathBuf,
        /// The loader's message (`dlerror`).
        message: String,
    },
    /// `ladspa_descriptor(0)` returned NULL.
    #[error("{} holds no plugin: ladspa_descriptor(0) returned NULL", file.display())]
    NoDescriptors {
        /// The plugin file.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
        file: PathBuf,
    },
    /// `ladspa_descriptor` did not return NULL for any index below [`MAX_DESCRIPTORS`].
    #[error("{}: ladspa_descriptor() returned a plugin for every index up to {}; refusing a file whose list never ends", file.display(), MAX_DESCRIPTORS)]
    EndlessDescriptors {
        /// The plugin file.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
        file: PathBuf,
    },
}

impl LoadError {
    /// The plugin file the error is about (empty for [`LoadError::EmptyPath`]).
    pub fn file(&self) -> &Path {
        match self {
            Self::EmptyPath => Path::new(""),
            Self::NotRegularFile { file, .. }
            | Self::Open { file, .. }
            | Self::NotLadspa { file, .. }
            | Self::NoDescriptors { file }
            | Self::EndlessDescriptors { file } => file,
        }
    }
}

/// A step of loading a plugin file in which the file's own code runs, or in which the host
/// reads memory that the file handed out, so that a defective file can crash in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LoadStep {
    /// `dlopen` (the file's constructors) and finding `ladspa_descriptor`.
    Opening,
    /// The call `ladspa_descriptor(index)`.
    Descriptor(usize),
    /// Reading and checking what `ladspa_descriptor(index)` returned.
    Validation(usize),
}

/// Loads the file at `path`, telling `observe` of each step that runs the file's code before it
/// begins, so that a process that dies in it can be told where (the isolated scan's workers
/// report these steps to their parent).
///
/// # Safety
/// As for [`Plugin::load`](crate::Plugin::load): loading runs the file's code.
pub(crate) unsafe fn load_observed(
    path: &Path,
    keep_loaded: bool,
    observe: impl FnMut(LoadStep),
) -> Result<Arc<LibraryShared>, LoadError> {
    check_regular_file(path)?;
    // SAFETY: the caller's promise, passed on; the path was just checked.
    unsafe { load_regular_file(path, keep_loaded, observe) }
}

/// [`load_observed`] of a path already known to name a regular file (a directory listing said
/// so), without examining it again.
///
/// # Safety
/// As for [`Plugin::load`](crate::Plugin::load); and `path` must be non-empty and name a
/// regular file.
pub(crate) unsafe fn load_regular_file(
    path: &Path,
    keep_loaded: bool,
    mut observe: impl FnMut(LoadStep),
) -> Result<Arc<LibraryShared>, LoadError> {
    provide_c_maths_library();
    let file = path.to_owned();
    // The whole load is one lifecycle call: the file's constructors and its
    // `ladspa_descriptor` may set up state shared with other files.
    lifecycle_lock::serialized(|| {
        observe(LoadStep::Opening);
        // SAFETY: the caller trusts the file (this function's contract).
        let library = unsafe { open(file, keep_loaded) }?;
        // SAFETY: the file just loaded is a LADSPA plugin file by the caller's promise.
        unsafe { enumerate(library, &mut observe) }.map(Arc::new)
    })
}

/// Opens the file and finds its `ladspa_descriptor`.
///
/// # Safety
/// As for [`Plugin::load`](crate::Plugin::load).
unsafe fn open(file: PathBuf, keep_loaded: bool) -> Result<LibraryShared, LoadError> {
    // A path without a `/` is taken relative to the current directory, as a path; the
    // dynamic loader would otherwise search the system's library directories for it.
    let open_path = if file.components().count() == 1 && !file.has_root() {
        Path::new(".").join(&file)
    } else {
        file.clone()
    };
    let mut flags = RTLD_NOW | RTLD_LOCAL;
    if keep_loaded {
        flags |= RTLD_NODELETE;
    }
    // SAFETY: the caller accepts that loading runs the file's initialisation code; the
    // floating-point environment it leaves is put back.
    let opened = fp_env::preserving(|| unsafe { UnixLibrary::open(Some(&open_path), flags) });
    let library = opened.map_err(|e| LoadError::Open {
        file: file.clone(),
        message: e.to_string(),
    })?;
    // SAFETY: `ladspa_descriptor` has type `LADSPA_Descriptor_Function` in every LADSPA
    // plugin file (the caller's promise that this is one).
    let symbol = unsafe {
        library.get::<sys::LADSPA_Descriptor_Function>(
            sys::LADSPA_DESCRIPTOR_SYMBOL.to_bytes_with_nul(),
        )
    };
    let function = match symbol {
        Ok(symbol) => *symbol,
        Err(e) => {
            return Err(LoadError::NotLadspa {
                file,
                message: e.to_string(),
            });
        }
    };
    let Some(function) = function else {
        return Err(LoadError::NotLadspa {
            file,
            message: "its ladspa_descriptor symbol is NULL".to_owned(),
        });
    };
    Ok(LibraryShared {
        path: file,
        descriptor_function: function,
        types: Box::default(),
        rejected: Box::default(),
        library: ManuallyDrop::new(library.into()),
    })
}

/// Refuses an empty path, and anything that is not a regular file after following symbolic
/// links, before the dynamic loader sees it. A path that does not exist (or cannot be examined)
/// is left to the loader, whose message says why.
fn check_regular_file(path: &Path) -> Result<(), LoadError> {
    use std::os::unix::fs::FileTypeExt;
    if path.as_os_str().is_empty() {
        return Err(LoadError::EmptyPath);
    }
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(());
    };
    let file_type = metadata.file_type();
    let kind = if file_type.is_file() {
        return Ok(());
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else {
        "not a file"
    };
    Err(LoadError::NotRegularFile {
        file: path.to_owned(),
        kind: kind.to_owned(),
    })
}

/// Asks `ladspa_descriptor` for index 0, 1, 2… until it returns NULL, validating each
/// descriptor right after its own call: some plugins fill one static struct for every index,
/// and only what was read at once is what the plugin meant for that index. Descriptors whose
/// pointer another index returned too are refused ([`Defect::SharedDescriptor`]): whatever
/// the struct holds now, `instantiate` would see one plugin type for all of them.
///
/// # Safety
/// `library` must be a loaded LADSPA plugin file, with the lifecycle lock held.
unsafe fn enumerate(
    mut library: LibraryShared,
    observe: &mut impl FnMut(LoadStep),
) -> Result<LibraryShared, LoadError> {
    struct Entry {
        raw: NonNull<sys::LADSPA_Descriptor>,
        /// The plugin type, whose label is the one read right after its own call (what the
        /// report of a shared pointer names).
        result: Result<DescriptorShared, DescriptorError>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    loop {
        let index = entries.len();
        if index == MAX_DESCRIPTORS {
            return Err(LoadError::EndlessDescriptors {
                file: library.path.clone(),
            });
        }
        observe(LoadStep::Descriptor(index));
        // SAFETY: the file's own `ladspa_descriptor`, which takes any index.
        let raw = fp_env::preserving(|| unsafe { (library.descriptor_function)(index as c_ulong) });
        let Some(raw) = NonNull::new(raw.cast_mut()) else {
            break;
        };
        observe(LoadStep::Validation(index));
        // SAFETY: `raw` is what `ladspa_descriptor(index)` of this file returned just now; the
        // result goes into the file's own state, dropped before the file is unloaded.
        let result = unsafe { DescriptorShared::new(&library.path, raw, index) };
        entries.push(Entry { raw, result });
    }
    if entries.is_empty() {
        return Err(LoadError::NoDescriptors {
            file: library.path.clone(),
        });
    }
    let raws: Vec<NonNull<sys::LADSPA_Descriptor>> = entries.iter().map(|e| e.raw).collect();
    let mut types = Vec::with_capacity(entries.len());
    let mut rejected = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        if raws.iter().filter(|&&raw| raw == entry.raw).count() > 1 {
            let indices = (0..raws.len()).filter(|&i| raws[i] == entry.raw).collect();
            rejected.push(DescriptorError {
                file: library.path.clone(),
                index,
                label: match &entry.result {
                    Ok(descriptor) => Some(descriptor.label().to_string()),
                    Err(error) => error.label.clone(),
                },
                defect: Defect::SharedDescriptor { indices },
            });
            continue;
        }
        match entry.result {
            Ok(descriptor) => types.push(descriptor),
            Err(error) => rejected.push(error),
        }
    }
    library.types = types.into_boxed_slice();
    library.rejected = rejected.into_boxed_slice();
    Ok(library)
}

/// The state of a loaded plugin file, shared by its [`Plugin`](crate::Plugin)s, [`Descriptor`]s and
/// instances, which all hold an `Arc` of it. It owns the data of the file's plugin types, and
/// holds no `Arc` of anything, so there is no cycle: dropping the last reference unloads the
/// file (`dlclose`), unless it was loaded to be kept.
///
/// [`Descriptor`]: crate::Descriptor
pub(crate) struct LibraryShared {
    pub(crate) path: PathBuf,
    descriptor_function: unsafe extern "C" fn(c_ulong) -> *const sys::LADSPA_Descriptor,
    /// The valid plugin types, in index order; they point into the file, and are dropped
    /// before it is unloaded (fields drop after `Drop::drop`, but they only hold pointers).
    pub(crate) types: Box<[DescriptorShared]>,
    /// The plugin types that failed validation, each with its reason.
    pub(crate) rejected: Box<[DescriptorError]>,
    /// The loaded file. Everything that points into it holds an `Arc` of this state.
    library: ManuallyDrop<libloading::Library>,
}

impl Drop for LibraryShared {
    fn drop(&mut self) {
        // Unloading runs the file's destructors: a lifecycle call like loading.
        lifecycle_lock::serialized(|| {
            fp_env::preserving(|| {
                // SAFETY: dropped exactly once, here; nothing points into the file any more,
                // since everything that does holds an `Arc` of this state.
                unsafe { ManuallyDrop::drop(&mut self.library) }
            })
        });
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

/// The loader's message without the file's path it often begins with (`/x/a.so: file too
/// short`), so that a message names the file once.
fn without_path<'m>(message: &'m str, file: &std::path::Path) -> &'m str {
    let path = file.to_string_lossy();
    message
        .strip_prefix(path.as_ref())
        .and_then(|rest| rest.strip_prefix(": "))
        .unwrap_or(message)
}
