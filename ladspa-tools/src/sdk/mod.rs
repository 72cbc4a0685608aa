//! The LADSPA SDK's three tools, rewritten on `ladspa-host` as drop-in replacements: the same
//! arguments, the same standard output byte for byte and the same exit statuses as the SDK's C
//! programs, with clearer messages on standard error, and plugin files read by worker processes
//! (a file that crashes while it loads is reported, not fatal).
//!
//! - [`listplugins`]: every plugin file along `LADSPA_PATH` with its plugin types.
//! - [`analyseplugin`]: the plugin types of one file, verbosely or one line each.
//! - [`applyplugin`]: a 16-bit WAV file through a chain of plugins, in the SDK's blocks.
//!
//! Each is a module with a `main(args)` that the binary of the same name calls; [`c_format`]
//! prints numbers as their C `printf` does.

pub mod analyseplugin;
pub mod applyplugin;
pub mod c_format;
pub mod listplugins;
