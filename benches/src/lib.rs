//! Support shared by the benchmarks of the safe `ladspa` host against raw C calls.
//!
//! Each benchmark compares, in one criterion group, the safe API with the *raw path*: the same
//! plugin file opened with the same loader flags, and the `ladspa-host-sys` function pointers of its
//! `LADSPA_Descriptor` called directly, as a C host would. This module holds that raw path
//! ([`RawLibrary`], [`RawFunctions`], [`RawInstance`], [`raw_load_enumerate`], [`raw_scan`]),
//! the plugin files the benchmarks run ([`amp_variants`], [`scan_dirs`]) and the criterion
//! settings they share ([`criterion_config`]).
//!
//! The raw path checks nothing that a C host would not: it unwraps the required function
//! pointers once and trusts the plugin. Its unsafe functions state what they assume.

use std::ffi::{CStr, c_ulong};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::time::Duration;

use ladspa_host_sys as sys;
use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};

pub mod chain;

/// The sample rate every benchmark instantiates at.
pub const SAMPLE_RATE: u32 = 48_000;

/// The block sizes of the run benchmarks, in samples.
pub const BLOCK_SIZES: [usize; 3] = [1, 64, 1024];

/// Debian's `ladspa-sdk` amplifier, benchmarked next to the test amplifier when installed.
pub const SDK_AMP: &str = "/usr/lib/ladspa/amp.so";

/// Debian's `ladspa-sdk` plugin directory, scanned next to the test plugins when present.
pub const SDK_DIR: &str = "/usr/lib/ladspa";

/// The gain every benchmark sets on the amplifiers (any value not 1 shows the plugin ran).
pub const GAIN: f32 = 0.5;

/// One mono amplifier to benchmark: the ports of both are 0 `Gain` (control input), 1 `Input`
/// (audio input) and 2 `Output` (audio output).
#[derive(Debug, Clone)]
pub struct AmpVariant {
    /// A short name for benchmark ids: `tp_amp` or `sdk_amp`.
    pub name: &'static str,
    /// The plugin file.
    pub path: PathBuf,
    /// The label of the mono amplifier in that file.
    pub label: &'static str,
}

/// The index of the amplifiers' `Gain` control input.
pub const AMP_GAIN_PORT: c_ulong = 0;
/// The index of the amplifiers' audio input.
pub const AMP_INPUT_PORT: c_ulong = 1;
/// The index of the amplifiers' audio output.
pub const AMP_OUTPUT_PORT: c_ulong = 2;

/// The amplifiers to benchmark: the workspace's test amplifier (`tp_amp_mono`, always), then
/// Debian's `amp.so` (`amp_mono`) when it is installed. When it is not, a note says so on
/// stderr and only the test amplifier is benchmarked.
pub fn amp_variants() -> Vec<AmpVariant> {
    let mut variants = vec![AmpVariant {
        name: "tp_amp",
        path: test_amp(),
        label: TEST_AMP_LABEL,
    }];
    if Path::new(SDK_AMP).is_file() {
        variants.push(AmpVariant {
            name: "sdk_amp",
            path: PathBuf::from(SDK_AMP),
            label: "amp_mono",
        });
    } else {
        eprintln!(
            "note: {SDK_AMP} is not installed (apt-get install ladspa-sdk); \
             skipping the sdk_amp benchmarks"
        );
    }
    variants
}

/// The directories the scan benchmarks scan, each with a short name: the test plugins (always),
/// then [`SDK_DIR`] when it exists (with a note on stderr when it does not).
pub fn scan_dirs() -> Vec<(&'static str, PathBuf)> {
    let mut dirs = vec![("testplugins", test_plugin_dir())];
    if Path::new(SDK_DIR).is_dir() {
        dirs.push(("sdk_dir", PathBuf::from(SDK_DIR)));
    } else {
        eprintln!("note: {SDK_DIR} does not exist; skipping the sdk_dir scan benchmarks");
    }
    dirs
}

/// The label of the mono amplifier in [`test_amp`].
pub const TEST_AMP_LABEL: &str = "tp_amp_mono";

/// The workspace's test amplifier file (`tp_amp`), built on first use.
pub fn test_amp() -> PathBuf {
    ladspa_testplugins::reference_plugin("tp_amp")
}

/// The directory of the workspace's reference test plugins, built on first use.
pub fn test_plugin_dir() -> PathBuf {
    ladspa_testplugins::reference_dir().to_owned()
}

/// The criterion settings of every benchmark: 1 s of warm-up and 4 s of measurement per
/// function, which keeps the whole `cargo bench` within a few minutes on a two-core machine.
/// Command-line flags (`--warm-up-time`, `--measurement-time`, `--sample-size`) override them.
pub fn criterion_config() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .noise_threshold(0.02)
}

/// The `main` of a benchmark file: runs `benchmarks` with [`criterion_config`] overridden by
/// the command line (as `criterion_group!` and `criterion_main!` would), then prints criterion's
/// summary.
pub fn main(benchmarks: fn(&mut criterion::Criterion)) {
    let mut criterion = criterion_config().configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
}

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

/// Input and output buffers of one block, filled with a ramp (input) and zeros (output).
pub fn buffers(samples: usize) -> (Vec<f32>, Vec<f32>) {
    let input = (0..samples).map(|i| i as f32 / samples as f32).collect();
    (input, vec![0.0; samples])
}

/// A safe instance of an amplifier with its gain set to [`GAIN`], activated: the safe side of
/// the run benchmarks.
pub fn safe_amp(descriptor: &ladspa_host::Descriptor) -> ladspa_host::ActiveHandle {
    let mut handle = descriptor.instantiate(SAMPLE_RATE).expect("instantiate");
    handle
        .set_control(AMP_GAIN_PORT as usize, GAIN)
        .expect("the gain is a control input");
    handle.activate()
}

/// The test plugin with many controls that the `Controls` benchmarks run: `tp_hints` (48
/// control inputs, one control output, one audio output and no audio input).
pub fn controls_plugin() -> ladspa_host::Descriptor {
    let path = ladspa_testplugins::reference_plugin("tp_hints");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { ladspa_host::Plugin::load(path) }.expect("tp_hints loads");
    plugin.descriptors()[0].clone()
}

/// How many control inputs change before each run in a `Controls` benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlChanges {
    /// The handle has no `Controls`: the baseline.
    NoControls,
    /// The handle has `Controls`, and nothing changes.
    Unchanged,
    /// One control input changes.
    One,
    /// Every control input changes.
    All,
}

impl ControlChanges {
    /// Every case, in the order above, with its name in benchmark ids and the driver.
    pub const ALL: [(Self, &'static str); 4] = [
        (Self::NoControls, "none"),
        (Self::Unchanged, "unchanged"),
        (Self::One, "one"),
        (Self::All, "all"),
    ];

    /// An active instance of `descriptor`, with `Controls` unless this is `NoControls`, and the
    /// control inputs this case changes (their indices).
    pub fn setup(
        self,
        descriptor: &ladspa_host::Descriptor,
    ) -> (
        ladspa_host::ActiveHandle,
        Option<ladspa_host::Controls>,
        Vec<usize>,
    ) {
        let mut handle = descriptor
            .instantiate(SAMPLE_RATE)
            .expect("instantiate")
            .activate();
        let controls = (self != Self::NoControls).then(|| handle.controls());
        let inputs = descriptor.initial_controls(SAMPLE_RATE).into_iter();
        let changed = match self {
            Self::NoControls | Self::Unchanged => Vec::new(),
            Self::One => inputs.take(1).map(|(index, _)| index).collect(),
            Self::All => inputs.map(|(index, _)| index).collect(),
        };
        (handle, controls, changed)
    }
}

/// Sets each of `changed` through `controls` to a value that depends on `round`, as a GUI
/// thread turning knobs would between two runs.
pub fn turn_knobs(controls: Option<&ladspa_host::Controls>, changed: &[usize], round: usize) {
    if let Some(controls) = controls {
        let value = (round % 7) as f32;
        for &index in changed {
            controls.set(index, value).expect("a control input");
        }
    }
}
