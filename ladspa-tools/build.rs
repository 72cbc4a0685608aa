//! Exports the allocator and lock functions that `ladspa_tools::validate` defines from the
//! package's binaries, so that plugin files loaded by a validation worker bind to them (the
//! `rt-safety` check counts their calls inside `run`). Without the flags the symbols would stay
//! local to the executable and the plugins would call glibc's directly.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        for symbol in [
            "malloc",
            "calloc",
            "realloc",
            "free",
            "posix_memalign",
            "aligned_alloc",
            "memalign",
            "pthread_mutex_lock",
        ] {
            println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol={symbol}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
