//! Code shared by the `ladspa-tools` binaries: `listplugins`, `analyseplugin` and
//! `applyplugin`, drop-in replacements for the LADSPA SDK's tools of the same names.
//!
//! Install them with `cargo install --path ladspa-tools`. This library is not a stable API;
//! it exists so that the binaries share one copy of what they have in common.

pub mod applyplugin;
pub mod c_format;
pub mod cli;
mod interrupt;
pub mod validate;
mod voice;

/// Parses the process's arguments as `T` in the voice of `program`: usage errors are said as
/// `{program}: error: …` and exit with status 2, `--help` and `--version` print and exit 0.
pub fn parse_or_exit<T: clap::Parser>(program: &'static str) -> T {
    voice::set_program(program);
    let matches = voice::parse_or_exit(T::command());
    T::from_arg_matches(&matches).unwrap_or_else(|error| voice::exit_on(error))
}
