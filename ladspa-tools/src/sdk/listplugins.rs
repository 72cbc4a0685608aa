//! `listplugins` of the LADSPA SDK, on this crate: every plugin file along `LADSPA_PATH`, each
//! with its plugin types. Same standard output byte for byte and same exit status as the SDK's
//! tool; a file that cannot be loaded is reported on standard error (the SDK says nothing) and
//! the listing goes on.
//!
//! The files are read through the [catalog](ladspa_host::catalog): by worker processes, in parallel,
//! or from the cache for files that did not change. A file that crashes, exits or hangs while
//! it loads costs only its own entry, reported on standard error with the signal and the step
//! (the SDK's tool dies with it).
//!
//! ```text
//! LADSPA_PATH=/usr/lib/ladspa cargo run -p ladspa-tools --bin listplugins
//! ```
//!
//! Like the SDK's tool, it takes no arguments, lists a directory named twice in `LADSPA_PATH`
//! twice and keeps each directory's own order. When `LADSPA_PATH` is unset or empty it lists the
//! usual directories ([`SearchPath::from_env`], the one default of every tool of this package;
//! the SDK's tools mean the same, though Debian's build of them searches a directory named
//! `DEFAULT_LADSPA_PATH`), and says so on standard error.

use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use ladspa_host::LoadError;
use ladspa_host::catalog::{FileOutcome, Scanner};
use ladspa_host::discovery::SearchPath;

/// Runs `listplugins` with these arguments (the program's name left out): prints what the SDK's
/// tool prints, and returns its exit status.
pub fn main(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("--help") {
        println!(
            "Usage:\tlistplugins\n\
             Lists every LADSPA plugin file along LADSPA_PATH with its plugins, as the SDK's tool does."
        );
        return ExitCode::SUCCESS;
    }
    let search_path = SearchPath::from_env();
    let given = std::env::var_os("LADSPA_PATH").filter(|v| !SearchPath::parse(v).dirs().is_empty());
    let ladspa_path = match given {
        Some(value) => value,
        None => {
            eprintln!("listplugins: warning: LADSPA_PATH is not set: listing {search_path}");
            std::env::join_paths(search_path.dirs()).unwrap_or_default()
        }
    };
    match list(&ladspa_path) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`listplugins | head`): it has what it wanted.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let reason = ladspa_host::audio::reason(&error);
            eprintln!("listplugins: cannot write the listing: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn list(ladspa_path: &std::ffi::OsStr) -> io::Result<()> {
    let search_path = SearchPath::parse(ladspa_path);
    let catalog = match Scanner::new().scan(&search_path) {
        Ok(catalog) => catalog,
        Err(error) => {
            eprintln!("listplugins: cannot scan {search_path}: {error}");
            return Ok(());
        }
    };
    for (dir, error) in catalog.unreadable() {
        eprintln!("listplugins: cannot read {}: {error}", dir.display());
    }
    // Buffered: standard output is line-buffered even on a pipe, which would cost a `write`
    // per plugin.
    let mut out = io::BufWriter::new(io::stdout().lock());
    // Directory by directory of LADSPA_PATH as written, so that a repeated directory is listed
    // again, as the SDK does (the catalog scanned it once).
    for dir in std::env::split_paths(ladspa_path) {
        let in_dir = catalog
            .files()
            .iter()
            .filter(|file| file.path().parent() == Some(dir.as_path()));
        for file in in_dir {
            match file.outcome() {
                FileOutcome::Loaded { .. } => {}
                FileOutcome::Refused(LoadError::NoDescriptors { .. }) => {
                    // The SDK lists such a file, with no plugin under it.
                    eprintln!("listplugins: {} holds no plugin", file.path().display());
                }
                FileOutcome::Refused(error) => {
                    eprintln!("listplugins: skipping {}: {error}", file.path().display());
                    continue;
                }
                FileOutcome::Failed(failure) => {
                    eprintln!("listplugins: skipping {}: {failure}", file.path().display());
                    continue;
                }
                other => {
                    eprintln!("listplugins: skipping {}: {other:?}", file.path().display());
                    continue;
                }
            }
            header(&mut out, file.path())?;
            for plugin in file.plugins() {
                out.write_all(b"\t")?;
                out.write_all(plugin.name().as_bytes())?;
                write!(out, " ({}/", plugin.unique_id())?;
                out.write_all(plugin.label().as_bytes())?;
                out.write_all(b")\n")?;
            }
            for rejected in file.rejected() {
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
