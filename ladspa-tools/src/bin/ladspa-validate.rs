//! `ladspa-validate [options] <plugin file or name>...`: checks every plugin type of each file
//! for the defects that only show in particular hosts, each check in a worker process with a
//! timeout. See `ladspa_tools::validate` and `--help`.

/// Validates LADSPA plugins: every check of every plugin type in a worker process, so a crash
/// or hang is a result, never the end of the run.
#[derive(Debug, clap::Parser)]
#[command(name = "ladspa-validate", version, after_help = ladspa_tools::validate::EXIT_STATUS_HELP)]
struct Cli {
    #[command(flatten)]
    args: ladspa_tools::validate::ValidateArgs,
}

fn main() -> std::process::ExitCode {
    // Worker processes are this executable started again: they serve here and exit.
    ladspa_tools::validate::serve_worker_if_asked();
    let cli: Cli = ladspa_tools::parse_or_exit("ladspa-validate");
    ladspa_tools::validate::run(cli.args)
}
