//! The raw path: a plugin file opened with the loader flags the safe host uses and the
//! `ladspa-host-sys` function pointers of its descriptors called directly, as a C host would.
//! It checks nothing a C host would not; its unsafe functions state what they assume.

use std::ffi::{CStr, c_ulong};
use std::path::Path;
use std::ptr::NonNull;

use ladspa_host_sys as sys;
use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};

/// The `ladspa_descriptor` function of a plugin file.
pub type DescriptorFunction = unsafe extern "C" fn(c_ulong) -> *const sys::LADSPA_Descriptor;

/// A plugin file opened the raw way: `dlopen` with the flags the safe host uses
/// (`RTLD_NOW | RTLD_LOCAL`) and `dlsym("ladspa_descriptor")`. Dropping it calls `dlclose`.
#[derive(Debug)]
pub struct RawLibrary {
    // Field order: `function` points into `library`, which is dropped (closed) last.
    function: DescriptorFunction,
    library: Library,
}

impl RawLibrary {
    /// Opens the plugin file at `path` (a path with a `/`, as the benchmarks always give).
    ///
    /// # Panics
    /// If the file cannot be opened or exports no `ladspa_descriptor`.
    ///
    /// # Safety
    /// Opening the file runs its initialisation code: it must be a LADSPA plugin file that
    /// follows the specification.
    pub unsafe fn open(path: &Path) -> Self {
        // SAFETY: the caller's promise.
        unsafe { Self::try_open(path) }.unwrap_or_else(|message| panic!("{message}"))
    }

    /// Opens the plugin file at `path`, or says why the loader refused it.
    ///
    /// # Safety
    /// As for [`RawLibrary::open`].
    pub unsafe fn try_open(path: &Path) -> Result<Self, String> {
        // SAFETY: the caller trusts the file's initialisation code.
        let library = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| format!("dlopen {}: {e}", path.display()))?;
        // SAFETY: every LADSPA plugin file exports `ladspa_descriptor` with this type (the
        // caller's promise).
        let symbol = unsafe {
            library.get::<sys::LADSPA_Descriptor_Function>(
                sys::LADSPA_DESCRIPTOR_SYMBOL.to_bytes_with_nul(),
            )
        }
        .map_err(|e| format!("dlsym ladspa_descriptor in {}: {e}", path.display()))?;
        let function =
            (*symbol).ok_or_else(|| format!("{}: NULL ladspa_descriptor", path.display()))?;
        Ok(Self { function, library })
    }

    /// `ladspa_descriptor(index)`, or `None` past the last plugin type of the file.
    pub fn descriptor(&self, index: usize) -> Option<&sys::LADSPA_Descriptor> {
        // SAFETY: `function` is the file's `ladspa_descriptor`, which takes any index and
        // returns NULL or a descriptor that stays valid while the file is loaded (while `self`
        // lives, which the returned reference borrows).
        unsafe { (self.function)(index as c_ulong).as_ref() }
    }

    /// The descriptor whose label is `label`.
    ///
    /// # Panics
    /// If the file has no such plugin type.
    pub fn find(&self, label: &str) -> &sys::LADSPA_Descriptor {
        (0..)
            .map_while(|index| self.descriptor(index))
            .find(|descriptor| {
                // SAFETY: a descriptor's label is a NUL-terminated string that lives as long as
                // the descriptor (the specification; the benchmarked files keep it).
                unsafe { CStr::from_ptr(descriptor.Label) }.to_bytes() == label.as_bytes()
            })
            .unwrap_or_else(|| panic!("no plugin labelled {label}"))
    }

    /// Closes the file (`dlclose`), as dropping does.
    pub fn close(self) {
        drop(self.library.close());
    }
}

/// The raw path of "load + enumerate + drop": `dlopen`, `dlsym("ladspa_descriptor")`, call it
/// with 0, 1, 2… until it returns NULL, `dlclose`. Returns the number of plugin types (so the
/// work cannot be optimised away), or why the loader refused the file.
///
/// # Safety
/// As for [`RawLibrary::open`].
pub unsafe fn raw_load_enumerate(path: &Path) -> Result<usize, String> {
    // SAFETY: the caller trusts the file.
    let library = unsafe { RawLibrary::try_open(path) }?;
    let count = (0..).map_while(|index| library.descriptor(index)).count();
    library.close();
    Ok(count)
}

/// The raw path of a directory scan: list `dir` and, for every `*.so` file in it, do what
/// [`raw_load_enumerate`] does (as the SDK's `listplugins` does). A file the loader refuses is
/// counted and passed over, as `SearchPath::scan_in_process` reports it and goes on. Returns the number of
/// plugin types found and the number of files refused.
///
/// # Safety
/// As for [`RawLibrary::open`], for every `*.so` file of `dir`.
pub unsafe fn raw_scan(dir: &Path) -> (usize, usize) {
    let (mut plugins, mut refused) = (0, 0);
    for entry in std::fs::read_dir(dir).expect("read the plugin directory") {
        let path = entry.expect("read a directory entry").path();
        if path.extension().is_some_and(|ext| ext == "so") {
            // SAFETY: the caller trusts every plugin file of `dir`.
            match unsafe { raw_load_enumerate(&path) } {
                Ok(count) => plugins += count,
                Err(_) => refused += 1,
            }
        }
    }
    (plugins, refused)
}

/// [`raw_scan`], keeping every file loaded until all are enumerated, then closing them: what a
/// C host does that lists the plugins it will use, and what `SearchPath::scan_in_process`, which returns
/// the loaded files, does. Returns the same counts as [`raw_scan`].
///
/// # Safety
/// As for [`RawLibrary::open`], for every `*.so` file of `dir`.
pub unsafe fn raw_scan_kept(dir: &Path) -> (usize, usize) {
    let (mut plugins, mut refused) = (0, 0);
    let mut loaded = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the plugin directory") {
        let path = entry.expect("read a directory entry").path();
        if path.extension().is_some_and(|ext| ext == "so") {
            // SAFETY: the caller trusts every plugin file of `dir`.
            match unsafe { RawLibrary::try_open(&path) } {
                Ok(library) => {
                    plugins += (0..).map_while(|index| library.descriptor(index)).count();
                    loaded.push(library);
                }
                Err(_) => refused += 1,
            }
        }
    }
    loaded.into_iter().for_each(RawLibrary::close);
    (plugins, refused)
}

/// The functions of a descriptor, the required ones unwrapped once, as a C host keeps them.
#[derive(Debug, Clone, Copy)]
pub struct RawFunctions {
    /// `instantiate`.
    pub instantiate:
        unsafe extern "C" fn(*const sys::LADSPA_Descriptor, c_ulong) -> sys::LADSPA_Handle,
    /// `connect_port`.
    pub connect_port: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong, *mut sys::LADSPA_Data),
    /// `activate`, which a plugin may leave NULL.
    pub activate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    /// `run`.
    pub run: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    /// `deactivate`, which a plugin may leave NULL.
    pub deactivate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    /// `cleanup`.
    pub cleanup: unsafe extern "C" fn(sys::LADSPA_Handle),
}

impl RawFunctions {
    /// The functions of `descriptor`.
    ///
    /// # Panics
    /// If a required function is NULL.
    pub fn of(descriptor: &sys::LADSPA_Descriptor) -> Self {
        Self {
            instantiate: descriptor.instantiate.expect("instantiate"),
            connect_port: descriptor.connect_port.expect("connect_port"),
            activate: descriptor.activate,
            run: descriptor.run.expect("run"),
            deactivate: descriptor.deactivate,
            cleanup: descriptor.cleanup.expect("cleanup"),
        }
    }
}

/// One instance made the raw way. It is not cleaned up on drop: call
/// [`RawInstance::cleanup`], exactly as a C host must.
#[derive(Debug)]
pub struct RawInstance {
    /// The descriptor's functions.
    pub functions: RawFunctions,
    /// The instance.
    pub handle: NonNull<std::ffi::c_void>,
}

impl RawInstance {
    /// `instantiate(descriptor, sample_rate)`.
    ///
    /// # Panics
    /// If `instantiate` returns NULL.
    ///
    /// # Safety
    /// `descriptor` must be a live descriptor of a loaded plugin file that follows the
    /// specification, and stay so until the instance is cleaned up.
    #[inline]
    pub unsafe fn new(
        descriptor: &sys::LADSPA_Descriptor,
        functions: RawFunctions,
        sample_rate: u32,
    ) -> Self {
        // SAFETY: the caller's promise; `instantiate` is the descriptor's own function.
        let handle = unsafe { (functions.instantiate)(descriptor, c_ulong::from(sample_rate)) };
        Self {
            functions,
            handle: NonNull::new(handle).expect("instantiate returned NULL"),
        }
    }

    /// `connect_port(instance, port, location)`.
    ///
    /// # Safety
    /// `port` must be a port of the plugin type, and `location` must stay valid (and, for audio
    /// ports, hold enough samples) for every later call that reads or writes it.
    #[inline]
    pub unsafe fn connect(&mut self, port: c_ulong, location: *mut f32) {
        // SAFETY: the caller's promise.
        unsafe { (self.functions.connect_port)(self.handle.as_ptr(), port, location) }
    }

    /// `activate(instance)`, if the plugin has one.
    ///
    /// # Safety
    /// The instance must be inactive.
    #[inline]
    pub unsafe fn activate(&mut self) {
        if let Some(activate) = self.functions.activate {
            // SAFETY: the caller's promise.
            unsafe { activate(self.handle.as_ptr()) }
        }
    }

    /// `run(instance, sample_count)`.
    ///
    /// # Safety
    /// Every port must be connected to memory that is valid for `sample_count` samples (audio)
    /// or one value (control), and the instance must be active.
    #[inline]
    pub unsafe fn run(&mut self, sample_count: usize) {
        // SAFETY: the caller's promise.
        unsafe { (self.functions.run)(self.handle.as_ptr(), sample_count as c_ulong) }
    }

    /// `deactivate(instance)`, if the plugin has one.
    ///
    /// # Safety
    /// The instance must be active.
    #[inline]
    pub unsafe fn deactivate(&mut self) {
        if let Some(deactivate) = self.functions.deactivate {
            // SAFETY: the caller's promise.
            unsafe { deactivate(self.handle.as_ptr()) }
        }
    }

    /// `cleanup(instance)`.
    ///
    /// # Safety
    /// The instance must be inactive; it is gone afterwards.
    #[inline]
    pub unsafe fn cleanup(self) {
        // SAFETY: the caller's promise.
        unsafe { (self.functions.cleanup)(self.handle.as_ptr()) }
    }
}
