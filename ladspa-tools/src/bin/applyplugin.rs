//! `applyplugin` of the LADSPA SDK, on this crate: runs a 16-bit PCM WAV file through a chain of
//! plugins into a new WAV file, as the SDK's tool does. Written in
//! [`ladspa_tools::applyplugin`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ladspa_tools::applyplugin::main(&args)
}
