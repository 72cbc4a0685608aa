//! The `ladspa` command line: what the SDK's tools cannot do. `list` and `info` read plugins
//! through the catalog (worker processes, a cache), `info` adds the RDF metadata (classes,
//! units, named values, presets), `apply` runs audio files of any format and channel count
//! through a chain of plugins, and `validate` is [`ladspa-validate`](crate::validate).

mod apply;
mod apply_observer;
mod controls;
mod describe;
mod error;
mod info;
mod list;
mod live;
mod stages;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ladspa_host::PluginName;
use ladspa_host::catalog::{Resolver, Scanner};
use ladspa_host::discovery::SearchPath;

pub use apply::ApplyArgs;
pub use error::CliError;
pub use live::LiveArgs;

/// What the exit statuses mean, shown by `--help`.
const EXIT_STATUS: &str = error::exit_status!();

/// `ladspa`: list, describe, apply and validate LADSPA plugins.
#[derive(Debug, Parser)]
#[command(
    name = "ladspa",
    version,
    about = "List, describe, apply and validate LADSPA plugins",
    long_about = "List, describe, apply and validate LADSPA plugins.\n\n\
        Plugin files are read by worker processes and remembered in a cache, so a plugin that \
        crashes or hangs while it loads is reported instead of ending the command.",
    after_help = EXIT_STATUS
)]
pub struct Cli {
    /// Plugin directories, colon-separated [default: $LADSPA_PATH, else the usual directories]
    #[arg(long, global = true, value_name = "DIRS")]
    path: Option<OsString>,
    /// Scan every plugin file again instead of trusting the catalog's cache
    #[arg(long, global = true)]
    rescan: bool,
    /// Seconds a plugin file may take to load in its scan worker before it counts as hung
    /// (10^9 and more: no limit)
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0, value_parser = crate::voice::seconds)]
    scan_timeout: f64,
    /// Say nothing on standard error but errors (no warnings, no progress bar)
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    /// What to do
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every plugin type along the search path
    #[command(after_help = EXIT_STATUS)]
    List {
        /// Print a JSON document instead of text
        #[arg(long)]
        json: bool,
    },
    /// Describe plugin types: ports, bounds and defaults at a rate, named values, presets
    #[command(after_help = EXIT_STATUS)]
    Info {
        /// A plugin: FILE[:LABEL or ID], a label, or a unique ID
        plugin: String,
        /// The sample rate for bounds and defaults that scale with it
        #[arg(long, default_value_t = 48_000, value_name = "HZ", value_parser = clap::value_parser!(u32).range(1..))]
        rate: u32,
        /// Print a JSON document instead of text
        #[arg(long)]
        json: bool,
    },
    /// Run an audio file through a chain of plugins
    Apply(ApplyArgs),
    /// Run a chain of plugins live as a JACK client (feature `jack`)
    Live(LiveArgs),
    /// Check plugins for the defects that only show in some hosts (ladspa-validate)
    #[command(after_help = crate::validate::EXIT_STATUS_HELP)]
    Validate(crate::validate::ValidateArgs),
    /// Print shell completions: ladspa completions bash > ~/.local/share/bash-completion/completions/ladspa
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): ladspa manpage | man -l -
    Manpage,
}

/// Parses the process's arguments and runs the command.
pub fn main() -> ExitCode {
    crate::voice::set_program("ladspa");
    let matches = crate::voice::parse_or_exit(Cli::command());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| crate::voice::exit_on(e));
    // Workers are this executable started again (the catalog's default). The parser took only
    // finite numbers above 0, at most 10^9.
    let timeout = std::time::Duration::from_secs_f64(cli.scan_timeout);
    crate::voice::set_quiet(cli.quiet);
    let scanner = Scanner::new().rescan(cli.rescan).timeout(timeout);
    let path = match &cli.path {
        Some(dirs) => SearchPath::parse(dirs),
        None => SearchPath::from_env(),
    };
    let mut resolver = Resolver::new(scanner, path);
    let result = match cli.command {
        Command::List { json } => list::list(&mut resolver, json),
        Command::Info { plugin, rate, json } => {
            info::info(&mut resolver, &PluginName::parse(&plugin), rate, json)
        }
        Command::Apply(args) => {
            let apply_matches = matches
                .subcommand_matches("apply")
                .expect("the apply subcommand was parsed");
            crate::interrupt::install();
            let result = apply::apply(&mut resolver, &args, apply_matches);
            if let Err(error @ CliError::Interrupted(_)) = &result {
                crate::voice::error(error);
                crate::interrupt::die_by_signal();
            }
            result
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "ladspa", &mut out);
            std::io::Write::write_all(&mut std::io::stdout(), &out).map_err(CliError::Io)
        }
        Command::Manpage => {
            let mut out = Vec::new();
            let written = clap_mangen::Man::new(Cli::command()).render(&mut out);
            written
                .and_then(|()| std::io::Write::write_all(&mut std::io::stdout(), &out))
                .map_err(CliError::Io)
        }
        Command::Live(args) => {
            let live_matches = matches
                .subcommand_matches("live")
                .expect("the live subcommand was parsed");
            live::live(&mut resolver, &args, live_matches)
        }
        Command::Validate(mut args) => {
            // The validator looks names up along LADSPA_PATH; `--path` names the directories
            // here, so names it finds there are handed on as paths.
            if cli.path.is_some() {
                for plugin in &mut args.plugins {
                    let is_name = !plugin.as_encoded_bytes().contains(&b'/');
                    if let (true, Ok(found)) = (is_name, resolver.path().resolve(&*plugin)) {
                        *plugin = found.into_os_string();
                    }
                }
            }
            return crate::validate::run(args);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`ladspa list | head`): nothing left to say, and no one to say
        // it to.
        Err(error) if error.is_closed_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            crate::voice::error(&error);
            error.exit_code()
        }
    }
}
