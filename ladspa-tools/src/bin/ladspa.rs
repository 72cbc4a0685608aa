//! `ladspa`: list, describe, apply and validate LADSPA plugins. See `ladspa --help`.

fn main() -> std::process::ExitCode {
    ladspa_tools::cli::main()
}
