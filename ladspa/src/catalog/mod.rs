//! Discovery that survives any plugin file: scanning in worker processes, and a persistent
//! catalog of what they found.
//!
//! [`Catalog::scan`] lists every plugin file along a [`SearchPath`](crate::discovery::SearchPath) and has worker processes
//! load the files that it does not know yet; the caller's process never loads a plugin file.
//! What the workers found (labels, names, ports, hints, properties, which functions exist,
//! refused descriptors and their defects) is kept in a cache file, so the next scan loads only
//! the files that changed. Turning an entry into a loaded [`Descriptor`](crate::Descriptor) is one call,
//! [`PluginRecord::load`], which first checks that the file is still the one scanned.
//!
//! ```
//! # let dir = ladspa_testplugins::reference_dir();
//! # let cache = std::env::temp_dir().join(format!("ladspa-doc-catalog-{}", std::process::id()));
//! use ladspa_host::catalog::Scanner;
//! use ladspa_host::discovery::SearchPath;
//!
//! let catalog = Scanner::new().cache_file(cache.join("catalog.bin")).scan(&SearchPath::new([dir]))?;
//! let amp = catalog.find_label("tp_amp_mono").expect("the test amplifier");
//! assert_eq!(amp.unique_id(), 7001);
//! assert_eq!(amp.port(0).unwrap().hint().default_value(48_000), Some(1.0));
//!
//! // Only now does this process load the file, having checked it did not change.
//! // SAFETY: the test plugins are trusted code.
//! let descriptor = unsafe { amp.load() }?;
//! assert_eq!(descriptor.label(), "tp_amp_mono");
//! # std::fs::remove_dir_all(&cache).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What the isolated scan survives, and what it does not
//!
//! A file whose code crashes (any signal: SIGSEGV, SIGBUS on a truncated file inside `dlopen`,
//! SIGABRT…), calls `exit`, or hangs while it is loaded, while `ladspa_descriptor` runs, while
//! its descriptors are read, or while it is unloaded, costs only its own entry: the entry says
//! what happened and in which step ([`ScanFailure`]), the worker is replaced and the scan goes
//! on. Each file has [`Scanner::timeout`] (10 s by default) to be scanned. Files the host
//! refuses cleanly (a FIFO, a file that is not a shared object, a missing symbol, no
//! descriptors) are [`FileOutcome::Refused`] with the error an in-process load gives.
//!
//! It protects the scan only. A file that loads well in a worker may still crash, hang or
//! misbehave later in the process that loads it for real ([`PluginRecord::load`]), when its
//! plugins are instantiated or run: checking that is the validator's business. The worker
//! runs the file's code with the caller's rights, so a malicious file can still do whatever a
//! program of yours could (delete files, kill processes): isolation is against accidents, not a
//! sandbox.
//!
//! # How workers are started
//!
//! A worker is the caller's own executable, started again with an environment variable that a
//! function of this crate, run before `main`, recognises: any program that links this crate can
//! scan with no set-up at all, test harnesses and doctests included. [`Scanner::worker_program`]
//! names another executable instead (it must link this crate too), and
//! [`Scanner::worker_command`] a program with arguments that loads this crate as a shared
//! library: the function runs when the library is loaded (an `.init_array` entry of a shared
//! object runs at `dlopen`), so an interpreter that imports an extension module linking this
//! crate serves as a worker too. See the `worker` module's
//! source for why this beats shipping a worker binary.
//!
//! # The cache
//!
//! One file, by default `$XDG_CACHE_HOME/ladspa-rs/catalog.bin` ([`default_cache_file`]),
//! holding every file scanned along any search path. A file is scanned again when its size,
//! modification time, inode or device changed; files that crashed or hung are remembered as
//! such until they change, and [`Scanner::rescan`] forces a fresh scan. A damaged cache is
//! discarded and rebuilt, and concurrent scans never corrupt it (the new cache is written to a
//! temporary file and renamed over the old one).

mod cache;
mod error;
mod failure;
mod list;
mod lookup;
mod pool;
mod port_record;
mod record;
mod resolve;
mod scanner;
pub(crate) mod serial;
mod step_page;
mod worker;

pub use cache::default_location as default_cache_file;
pub use error::CatalogError;
pub use failure::{ScanFailure, ScanStep, WorkerFailure};
pub use list::{Catalog, ScanReport};
pub use pool::signal_name;
pub use port_record::PortRecord;
pub use record::{FileOutcome, FileRecord, FileStamp, PluginRecord};
pub use resolve::{Candidate, ResolveError, Resolver, why_unusable};
pub use scanner::{DEFAULT_TIMEOUT, Scanner};
