//! The `ladspa` command line: what the SDK's tools cannot do. `list` and `info` read plugins
//! through the catalog (worker processes, a cache), `info` adds the RDF metadata (classes,
//! units, named values, presets), `apply` runs audio files of any format and channel count
//! through a chain of plugins, and `validate` is [`ladspa-validate`](crate::validate).

mod apply;
mod describe;
mod info;
mod list;
mod live;
mod wav;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ladspa_host::PluginName;
use ladspa_host::catalog::{Resolver, Scanner};
use ladspa_host::discovery::SearchPath;

pub use apply::ApplyArgs;
pub use live::LiveArgs;

/// What the exit statuses mean, shown by `--help`.
const EXIT_STATUS: &str = "\
Exit status:
  0  success
  1  a plugin, audio file or check failed (the message says which file, plugin and port)
  2  the command line is wrong";

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
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0)]
    scan_timeout: f64,
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
        #[arg(long, default_value_t = 48_000, value_name = "HZ")]
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
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// A plugin named on the command line cannot be used.
    #[error(transparent)]
    Resolve(#[from] ladspa_host::catalog::ResolveError),
    /// A catalog entry could not be loaded.
    #[error(transparent)]
    Catalog(#[from] ladspa_host::catalog::CatalogError),
    /// The command line is wrong in a way its parser cannot see.
    #[error("{0}")]
    Usage(String),
    /// A chain could not be built or run.
    #[error(transparent)]
    Chain(#[from] ladspa_host::chain::ChainError),
    /// An audio file could not be read or written.
    #[error(transparent)]
    Audio(#[from] wav::WavError),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The live host failed (JACK).
    #[error("{0}")]
    Live(String),
    /// Writing JSON failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl CliError {
    /// The exit status for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

/// Parses the process's arguments and runs the command.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    // Workers are this executable started again (the catalog's default).
    let Ok(timeout) = std::time::Duration::try_from_secs_f64(cli.scan_timeout) else {
        eprintln!(
            "ladspa: --scan-timeout must be a number of seconds, not {}",
            cli.scan_timeout
        );
        return ExitCode::from(2);
    };
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
            apply::apply(&mut resolver, &args, apply_matches)
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
        // The reader went away (`ladspa list | head`): nothing left to say, and no one to say it to.
        Err(CliError::Io(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("ladspa: {error}");
            error.exit_code()
        }
    }
}
