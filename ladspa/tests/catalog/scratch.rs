//! Scratch directories of the catalog tests' own, and plugin files copied into them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory of this test's own under the target's temporary directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ladspa-catalog")
        .join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// Copies `files` into `dir`, keeping their names.
pub fn copy_into(dir: &Path, files: &[PathBuf]) {
    for file in files {
        std::fs::copy(file, dir.join(file.file_name().unwrap())).expect("copy a plugin file");
    }
}
