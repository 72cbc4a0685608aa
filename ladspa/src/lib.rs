//! A safe host for LADSPA audio plugins.
//!
//! LADSPA plugins are shared objects (`.so`) that export `ladspa_descriptor`; each descriptor is
//! one plugin type, with ports and functions to make and run instances. This crate loads such
//! files, validates everything they declare before handing it out, and runs audio through them
//! with the lifecycle the specification demands enforced by the types, at the cost of calling
//! the C functions by hand.
//!
//! # Ownership: children keep their parents alive, never the reverse
//!
//! - A [`Plugin`] is one loaded file. Its shared state owns the loaded library and the data of
//!   every plugin type in it.
//! - A [`Descriptor`] is one plugin type of that file: a view of the file's state, holding an
//!   `Arc` of it, so it stays usable after the `Plugin` is dropped.
//! - A [`Handle`] is one instance. It holds its `Descriptor`, and through it the file.
//!
//! Nothing in the file's state points back at them, so there is no reference cycle: the file
//! is unloaded exactly when the last `Plugin`, `Descriptor` and `Handle` of it is dropped, and
//! not before. The convenience of both directions stays: [`Plugin::descriptors`] goes down,
//! [`Descriptor::plugin`] comes back up (making a new view, not keeping one).
//!
//! # Lifecycle
//!
//! [`Descriptor::instantiate`] gives a [`Handle`] in the [`Inactive`] state. [`Handle::activate`]
//! consumes it and gives a `Handle<Active>` ([`ActiveHandle`]), the only state that can run;
//! [`Handle::deactivate`] goes back (and activating again resets the plugin's state). Dropping
//! a handle deactivates it if it is active, then cleans it up, exactly once. Plugins without
//! `activate`/`deactivate` go through the same states.
//!
//! # Ports
//!
//! - **Control ports** belong to the handle: their values live in memory the handle owns,
//!   connected at instantiation (before `activate`, since some plugins read controls there),
//!   and start at each port's default ([`RangeHint::default_value`]). Set and read them by index
//!   or by name ([`Handle::set_control`], [`Handle::control`]); output controls hold what the
//!   last run wrote.
//! - **Audio ports** are connected to the caller's own buffers for each run: `inputs` in audio
//!   input port order, `outputs` in audio output port order ([`Handle::run`]). Nothing is
//!   copied, lengths are checked, and `connect_port` is skipped for buffers that did not move.
//!   The borrow checker keeps every buffer alive for the run and forbids passing one buffer as
//!   both an input and an output; in-place processing has its own call
//!   ([`Handle::run_in_place`]: buffer `k` is audio input `k` and audio output `k`, whatever
//!   the counts, as in the SDK's `applyplugin`), refused for `INPLACE_BROKEN` plugins.
//! - **From other threads**, while an instance runs, control inputs are set and outputs read
//!   through [`Controls`] (atomics, applied at the start of the next run); see [`realtime`].
//! - **Denormals** can make plugins with feedback hundreds of times slower as a signal fades out;
//!   [`Handle::set_flush_denormals`] has the CPU flush them to zero during that handle's runs.
//!
//! # Example
//!
//! Amplify a buffer through the LADSPA SDK's amplifier (`apt-get install ladspa-sdk` installs
//! `/usr/lib/ladspa/amp.so`); this compiles and runs as it is in a program of your own:
//!
//! ```no_run
//! use ladspa_host::Plugin;
//!
//! fn main() -> Result<(), ladspa_host::Error> {
//!     // SAFETY: loading runs the file's code; Debian's amp.so is trusted.
//!     let plugin = unsafe { Plugin::load("/usr/lib/ladspa/amp.so") }?;
//!     let amp = plugin.find_label("amp_mono")?;
//!
//!     let mut handle = amp.instantiate(48_000)?; // controls start at their defaults
//!     handle.set_control("Gain", 0.5)?;
//!     let mut handle = handle.activate(); // only an active handle runs
//!
//!     let input = [1.0_f32, -2.0, 4.0, 0.25];
//!     let mut output = [0.0_f32; 4];
//!     handle.run(input.len(), &[&input], &mut [&mut output])?; // your buffers, no copies
//!     assert_eq!(output, [0.5, -1.0, 2.0, 0.125]);
//!     Ok(()) // dropping the handle deactivates it and cleans it up, exactly once
//! }
//! ```
//!
//! (The crate's tests run this very code on `amp.so` when it is installed, and on the
//! workspace's test amplifier always: `tests/crate_example.rs`.) For a real-time program,
//! read the [`realtime`] guide: [`Controls`] for knobs turned on another thread,
//! [`Handle::bind`] for buffers that stay, [`AnyHandle`] for collections of instances.
//!
//! To run N channels through several plugins, [`Chain`] does what every host builds on single
//! instances: one instance per channel for mono plugins, intermediate buffers, in-place runs,
//! latency and its compensation, bypass and sample-accurate automation (see [`chain`]).
//!
//! Plugin files are found along `LADSPA_PATH` with [`discovery::SearchPath`]. With the `rdf`
//! feature, `rdf` reads what descriptors cannot say (named values, classes, presets) from LRDF
//! metadata files.
//!
//! # Structure
//!
//! Private mechanics at the bottom (opening files, validating descriptors, port kinds), the
//! public views above them (port → descriptor → plugin), then handles, chains and the optional
//! layers; imports point one way, down these layers, and `CONTRIBUTING.md` in the repository
//! says how that is checked.
//!
//! # Cargo features
//!
//! None is on by default: loading and running plugins needs only libloading, bitflags and
//! thiserror. Each layer above is asked for by name:
//!
//! - `catalog` (module `catalog`): plugin discovery in worker processes with a persistent cache (serde,
//!   postcard). Only a program built with it carries the scan worker's initialiser, which runs
//!   before `main`.
//! - `serde`: `Serialize` and `Deserialize` for the errors of loading and validation and for the
//!   port kinds (on with `catalog`, whose records hold them).
//! - `spec` (module `spec`): chains described as JSON and built through the catalog's resolver
//!   (turns on `catalog`).
//! - `rdf` (module `rdf`): scale points, classes and presets from LRDF metadata files.
//! - `audio` (module `audio`): audio files in and out and the whole file job behind `ladspa apply`.
//! - `jack` (module `live`): a chain as a JACK client (needs JACK's headers to build).
//!
//! # Safety
//!
//! Loading a plugin file runs foreign code, so [`Plugin::load`] and the loading functions of
//! [`discovery`] are `unsafe fn`s. Everything else is safe: metadata is validated once (NULL
//! pointers, contradictory port flags, missing functions, absurd port counts, one descriptor
//! struct refilled for every index are typed errors, see [`Defect`]), and every
//! later call relies only on what was validated.
//!
//! # What the host survives
//!
//! A plugin is foreign code that may be wrong. Everything the host's own code could get wrong
//! is prevented here, so that a safe call never puts the process at risk by the host's doing:
//!
//! - **No panic on anything a plugin declares**: NaN, infinite or reversed range-hint bounds
//!   never panic; where they (or the SDK's formulas) give no finite default, the port has none
//!   ([`RangeHint::default_value`]) and starts at a finite initial value.
//! - **No value a plugin cannot take**: control inputs are never set to NaN or an infinity
//!   ([`PortError::NotFinite`]); finite values outside the hints are allowed (hints are hints).
//! - **No pointer that is not valid memory**: outside runs with samples, audio ports point at
//!   process-wide silence and discard buffers of [`HOST_BUFFER_SAMPLES`] samples, so a plugin
//!   that touches its buffers in `activate`, `deactivate`, `cleanup` or a run of 0 samples
//!   writes into host memory, never into a caller's (possibly freed, possibly empty) buffer.
//! - **No concurrent lifecycle calls**: loading, unloading, `instantiate`, `activate`,
//!   `deactivate` and `cleanup` take one process-wide lock (plugins share global state across
//!   instances and files); the run calls stay lock-free.
//! - **No leaked floating-point modes**: the CPU's floating-point control register is restored
//!   after every call into a plugin, so a plugin that unmasks exceptions or changes the
//!   rounding mode cannot make host code raise SIGFPE or compute otherwise later.
//! - **No blocking on a non-file**: FIFOs, directories and devices are refused before
//!   `dlopen` ([`LoadError::NotRegularFile`]); so is an empty path.
//! - **Unloading is optional**: a file whose plugins leave threads running can be kept mapped
//!   for the life of the process ([`LoadOptions::keep_loaded`]).
//!
//! What only another process can survive is not prevented: a plugin that crashes, hangs,
//! calls `exit()` or corrupts memory by itself (in a constructor, in `ladspa_descriptor`, in
//! `run` on valid buffers, at an extreme but finite control value), writes more than
//! [`HOST_BUFFER_SAMPLES`] samples outside a run, or raises SIGBUS on a truncated file inside
//! `dlopen`. Load and run plugins you do not trust in a separate process. Finding them is done
//! that way already: the catalog (feature `catalog`) scans plugin files in worker processes,
//! so a file that crashes, hangs or exits while it loads costs only its own entry, and keeps
//! what the workers found in a persistent cache.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_debug_implementations)]

#[cfg(feature = "audio")]
pub mod audio;
#[cfg(feature = "catalog")]
pub mod catalog;
pub mod chain;
pub mod control_setting;
mod conventions;
mod descriptor;
mod descriptor_state;
pub mod discovery;
mod fp_env;
mod functions;
mod handle;
mod hint;
mod host_buffers;
mod io_reason;
mod library;
mod lifecycle_lock;
#[cfg(feature = "jack")]
pub mod live;
mod plugin;
mod plugin_name;
mod port;
mod port_error;
mod port_info;
mod port_memory;
mod port_ref;
mod properties;
#[cfg(feature = "rdf")]
pub mod rdf;
pub mod realtime;
#[cfg(feature = "serde")]
mod serde_path;
#[cfg(feature = "spec")]
pub mod spec;
mod text;
mod validation;

/// The raw bindings of `ladspa.h` this crate is built on (the `ladspa-host-sys` crate).
pub use ladspa_host_sys as sys;

pub use chain::{Chain, ChainError, ControlChange};
pub use conventions::MAX_LATENCY;
pub use descriptor::Descriptor;
pub use handle::{
    Active, ActiveHandle, AnyHandle, BoundRun, Buffers, BuffersMut, Controls, Handle, Inactive,
    InstantiateError, NO_BUFFERS, RunError, State,
};
pub use hint::{DefaultKind, HintFlags, RangeHint};
pub use host_buffers::HOST_BUFFER_SAMPLES;
pub use library::{LoadError, MAX_DESCRIPTORS};
pub use plugin::{FindError, LoadOptions, Plugin, Query};
pub use plugin_name::PluginName;
pub use port::Port;
pub use port_error::PortError;
pub use port_info::{Direction, PortKind};
pub use port_ref::PortRef;
pub use properties::Properties;
pub use text::Text;
pub use validation::{Defect, DescriptorError, MAX_PORTS};

/// Any error of this crate, for callers that pass them on with `?`.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A plugin file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A descriptor was refused by validation.
    #[error(transparent)]
    Descriptor(#[from] DescriptorError),
    /// A plugin type was not found in a file.
    #[error(transparent)]
    Find(#[from] FindError),
    /// A plugin file or type was not found along the search path.
    #[error(transparent)]
    Discovery(#[from] discovery::DiscoveryError),
    /// An instance could not be made.
    #[error(transparent)]
    Instantiate(#[from] InstantiateError),
    /// A port could not be read or set.
    #[error(transparent)]
    Port(#[from] PortError),
    /// A run was refused.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A chain could not be built or run.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// A preset could not be applied (feature `rdf`).
    #[cfg(feature = "rdf")]
    #[error(transparent)]
    Preset(#[from] rdf::PresetError),
}

/// The README's Rust snippets, compiled (not run: they load Debian's plugins) by
/// `cargo test --doc` when the features they use are on (as in `cargo test --workspace`).
/// `README.md` is a link to the workspace's README, packaged as the crate's own.
#[cfg(all(doctest, feature = "catalog", feature = "rdf"))]
#[doc = include_str!("../README.md")]
struct ReadmeSnippets;
