//! `ladspa`: list, describe, apply and validate LADSPA plugins. See `ladspa --help`.

fn main() -> std::process::ExitCode {
    // `ladspa validate` runs its checks in workers that are this executable started again:
    // they serve here and exit.
    ladspa_tools::validate::serve_worker_if_asked();
    ladspa_tools::cli::main()
}
