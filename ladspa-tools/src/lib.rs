//! The programs of `ladspa-tools`, and the code they share.
//!
//! | program | what it does | code |
//! |---|---|---|
//! | `ladspa` | list, describe, apply and validate plugins (subcommands, `--json`, any audio format) | [`cli`] |
//! | `ladspa-validate` | check plugins for the defects that only show in particular hosts, each check in a worker process | [`validate`] |
//! | `listplugins`, `analyseplugin`, `applyplugin` | drop-in replacements for the LADSPA SDK's tools: same arguments, same output byte for byte | [`sdk`] |
//!
//! Install them with `cargo install ladspa-tools` (or `--path ladspa-tools` from a clone). Each
//! binary (`src/bin/`) is a few lines that call its program's entry point here; the programs
//! share the [`parse_or_exit`] voice (one prefix per binary, usage errors with status 2), the
//! handling of signals that stop a file job, and the library's catalog of plugin files.
//!
//! # What is stable
//!
//! The stable interface of this package is its programs: their command lines, exit statuses
//! and the output formats documented as stable (`ladspa list --json` and `ladspa info --json`,
//! the validator's `--json` document and check ids, the SDK clones' output, byte for byte the
//! SDK's). This library is not a stable API: it exists so that the binaries share one copy of
//! what they have in common and so that tests reach the programs' entry points and option
//! definitions, and its items may change in any release. To host plugins from Rust, use
//! `ladspa-host`, which the programs are written on.

pub mod cli;
mod interrupt;
pub mod sdk;
pub mod validate;
mod voice;

/// Parses the process's arguments as `T` in the voice of `program`: usage errors are said as
/// `{program}: error: …` and exit with status 2, `--help` and `--version` print and exit 0.
pub fn parse_or_exit<T: clap::Parser>(program: &'static str) -> T {
    voice::set_program(program);
    let matches = voice::parse_or_exit(T::command());
    T::from_arg_matches(&matches).unwrap_or_else(|error| voice::exit_on(error))
}
