//! `analyseplugin` of the LADSPA SDK, on `ladspa-host`: describes the plugin types of one plugin file. Written in
//! [`ladspa_tools::sdk::analyseplugin`].

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ladspa_tools::sdk::analyseplugin::main(&args)
}
