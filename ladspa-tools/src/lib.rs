//! Code shared by the `ladspa-tools` binaries: `listplugins`, `analyseplugin` and
//! `applyplugin`, drop-in replacements for the LADSPA SDK's tools of the same names.
//!
//! Install them with `cargo install --path ladspa-tools`. This library is not a stable API;
//! it exists so that the binaries share one copy of what they have in common.

pub mod applyplugin;
pub mod c_format;
pub mod cli;
pub mod validate;
