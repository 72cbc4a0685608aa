//! Support shared by the integration tests: private copies of the test plugins, and their
//! instance accounting.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ladspa::{Descriptor, Plugin};
pub use ladspa_testplugins::CounterSnapshot;

/// A private copy of a test plugin file. The dynamic loader shares one image per file, so each
/// test that counts instances, or watches the file unload, works on a copy of its own: tests
/// running in parallel never see each other's counts.
pub struct PrivateCopy {
    pub path: PathBuf,
}

impl PrivateCopy {
    pub fn of(original: &Path) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ladspa-private-copies");
        std::fs::create_dir_all(&dir).expect("create the copies directory");
        let stem = original.file_stem().unwrap().to_string_lossy();
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{stem}-{}-{n}.so", std::process::id()));
        std::fs::copy(original, &path).expect("copy the plugin file");
        Self { path }
    }

    pub fn reference(name: &str) -> Self {
        Self::of(&ladspa_testplugins::reference_plugin(name))
    }

    pub fn load(&self) -> Plugin {
        // SAFETY: the test plugins are trusted code.
        unsafe { Plugin::load(&self.path) }.expect("the test plugin loads")
    }

    pub fn descriptor(&self, label: &str) -> Descriptor {
        self.load()
            .find_label(label)
            .expect("the test plugin has this label")
            .clone()
    }

    /// The file's instance accounting now. Opening the file again only adds a reference to the
    /// image the test already has loaded (and drops it before returning).
    pub fn counters(&self) -> CounterSnapshot {
        // SAFETY: the test plugins are trusted code.
        let library =
            unsafe { libloading::Library::new(&self.path) }.expect("the test plugin loads");
        ladspa_testplugins::counters(&library)
            .expect("the test plugin exports its counters")
            .snapshot()
    }

    /// Whether the dynamic loader has the file loaded now (`dlopen` with `RTLD_NOLOAD`).
    pub fn is_loaded(&self) -> bool {
        use libloading::os::unix::{Library, RTLD_LAZY};
        /// `RTLD_NOLOAD` of glibc's `<dlfcn.h>` (libloading does not export it).
        const RTLD_NOLOAD: std::ffi::c_int = 0x4;
        // SAFETY: RTLD_NOLOAD never loads the file, so no code of it runs; when it is loaded
        // already, this only takes a reference that is dropped at once.
        unsafe { Library::open(Some(&self.path), RTLD_LAZY | RTLD_NOLOAD) }.is_ok()
    }

    /// Whether the file is mapped into this process, by `/proc/self/maps`.
    pub fn is_mapped(&self) -> bool {
        let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
        maps.lines()
            .any(|line| line.ends_with(&*self.path.to_string_lossy()))
    }
}

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Loads a test plugin file in place (no private copy) and finds one label in it.
pub fn reference_descriptor(file: &str, label: &str) -> Descriptor {
    let path = ladspa_testplugins::reference_plugin(file);
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.expect("the test plugin loads");
    plugin
        .find_label(label)
        .expect("the test plugin has this label")
        .clone()
}

/// A deterministic test signal.
pub fn signal(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (i as f32 * 0.01).sin() * 0.5 + (state as f32 / u32::MAX as f32 - 0.5) * 0.1
        })
        .collect()
}
