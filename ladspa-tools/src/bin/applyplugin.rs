//! `applyplugin` of the LADSPA SDK, on `ladspa-host`: runs a 16-bit WAV file through a chain of plugins. Written in
//! [`ladspa_tools::sdk::applyplugin`].

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ladspa_tools::sdk::applyplugin::main(&args)
}
