//! `listplugins` of the LADSPA SDK, on this crate: every plugin file along `LADSPA_PATH`, each
//! with its plugin types. Same standard output byte for byte and same exit status as the SDK's
//! tool; a file that cannot be loaded is reported on standard error (the SDK says nothing) and
//! the listing goes on.
//!
//! ```text
//! LADSPA_PATH=/usr/lib/ladspa cargo run -p ladspa --example listplugins
//! ```
//!
//! Like the SDK's tool, it takes no arguments, lists a directory named twice in `LADSPA_PATH`
//! twice, keeps each directory's own order, and lists nothing when `LADSPA_PATH` is unset.

use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use ladspa::LoadError;
use ladspa::discovery::SearchPath;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--help") {
        println!(
            "Usage:\tlistplugins\n\
             Lists every LADSPA plugin file along LADSPA_PATH with its plugins, as the SDK's tool does."
        );
        return ExitCode::SUCCESS;
    }
    let Some(ladspa_path) = std::env::var_os("LADSPA_PATH") else {
        eprintln!(
            "listplugins: LADSPA_PATH is not set, so there is nothing to list \
             (set it to something like /usr/local/lib/ladspa:/usr/lib/ladspa)"
        );
        return ExitCode::SUCCESS;
    };
    match list(&ladspa_path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("listplugins: cannot write the listing: {error}");
            ExitCode::FAILURE
        }
    }
}

fn list(ladspa_path: &std::ffi::OsStr) -> io::Result<()> {
    let mut out = io::stdout().lock();
    // Directory by directory, so that a repeated directory is listed again, as the SDK does.
    for dir in std::env::split_paths(ladspa_path) {
        // SAFETY: loading runs each plugin file's code; the user put these directories on
        // LADSPA_PATH to have their plugins loaded.
        let scan = unsafe { SearchPath::new([&dir]).scan() };
        for (dir, error) in &scan.unreadable {
            eprintln!("listplugins: cannot read {}: {error}", dir.display());
        }
        for entry in &scan.files {
            let plugin = match &entry.result {
                Ok(plugin) => plugin,
                Err(LoadError::NoDescriptors { .. }) => {
                    // The SDK lists such a file, with no plugin under it.
                    eprintln!("listplugins: {} holds no plugin", entry.path.display());
                    header(&mut out, &entry.path)?;
                    continue;
                }
                Err(error) => {
                    eprintln!("listplugins: skipping {}: {error}", entry.path.display());
                    continue;
                }
            };
            header(&mut out, &entry.path)?;
            for d in plugin.descriptors() {
                out.write_all(b"\t")?;
                out.write_all(d.name().as_bytes())?;
                write!(out, " ({}/", d.unique_id())?;
                out.write_all(d.label().as_bytes())?;
                out.write_all(b")\n")?;
            }
            for rejected in plugin.rejected() {
                eprintln!("listplugins: skipping an invalid plugin: {rejected}");
            }
        }
    }
    out.flush()
}

fn header(out: &mut impl Write, path: &std::path::Path) -> io::Result<()> {
    out.write_all(path.as_os_str().as_bytes())?;
    out.write_all(b":\n")
}
