//! `listplugins` of the LADSPA SDK, on `ladspa-host`: every plugin file along `LADSPA_PATH` with its plugin types. Written in
//! [`ladspa_tools::sdk::listplugins`].

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ladspa_tools::sdk::listplugins::main(&args)
}
