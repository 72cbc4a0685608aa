//! `ladspa-validate`: checks LADSPA plugins for the defects that only show in particular
//! hosts, each check in a worker process with a timeout, so that a crash or a hang is a
//! result, never the end of the run.
//!
//! The checks and their stable ids are [`Check::ALL`] (`--list-checks` prints them with what
//! each does). The library side used by the binaries is [`ValidateArgs`] (the options, for
//! `clap`'s `#[command(flatten)]`), [`run`] and [`serve_worker_if_asked`].
//!
//! # Worker processes
//!
//! Each plugin type is checked in a worker process: the running executable
//! ([`std::env::current_exe`]) started again with the environment variable
//! `LADSPA_VALIDATE_WORKER` set. **Every binary that calls [`run`] must call
//! [`serve_worker_if_asked`] first thing in `main`**: in a worker it serves and exits, in any
//! other process it returns at once. (An `.init_array` hook, as the catalog's scan uses, would
//! need no line in `main`, but the worker also relies on this library's `malloc` interposition
//! being exported by the executable, which only this package's binaries arrange; an explicit
//! call keeps both requirements in one visible place.) A worker runs the checks one after
//! another and says, before each call into the plugin, which step it is in; when it dies or
//! exceeds the timeout, the check it was in fails with the signal and the step ("killed by
//! SIGSEGV in cleanup"), and a new worker goes on with the remaining checks.
//!
//! # Allocation detection
//!
//! The `rt-safety` check counts calls of `malloc`, `calloc`, `realloc`, `free`,
//! `posix_memalign`, `aligned_alloc`, `memalign` and `pthread_mutex_lock` made by the thread
//! inside `run`. This library defines those functions (forwarding to glibc), and the
//! package's build script exports them from its binaries' dynamic symbol table
//! (`-Wl,--export-dynamic-symbol=…`), so plugin files bind to them. A program that links this
//! library without those flags gets `rt-safety` skipped with the reason, not a pass. System
//! calls are not detected.
//!
//! # Exit status
//!
//! 0 when no check failed (warnings do not count), 1 when any check failed, 2 on a usage error
//! (unknown option or check id, a plugin that cannot be found).

mod checks;
mod compare;
mod fp;
mod interpose;
mod lifecycle;
mod memory;
mod outcome;
mod output;
mod protocol;
mod report;
mod rig;
mod runtime;
mod scheduler;
mod signal;
mod worker;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

pub use checks::Check;
pub use report::{CheckResult, Document, PluginReport, Verdict};

/// What `--help` says about the exit status, for the binaries' `after_help`.
pub const EXIT_STATUS_HELP: &str = "Exit status: 0 when no check failed (warnings do not count), \
     1 when any check failed, 2 on a usage error.";

/// The options of `ladspa-validate` (and of `ladspa validate`).
#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Plugin files, directories of plugin files, or names looked up along LADSPA_PATH (like
    /// `amp` or `amp.so`).
    #[arg(
        value_name = "PLUGIN FILE OR NAME",
        required_unless_present = "list_checks"
    )]
    pub plugins: Vec<OsString>,

    /// Print the stable JSON document instead of the readable report.
    #[arg(long)]
    pub json: bool,

    /// Run only these checks (ids, comma-separated or repeated; see --list-checks).
    #[arg(long = "check", short = 'c', value_name = "ID", value_delimiter = ',')]
    pub checks: Vec<String>,

    /// Leave these checks out (ids, comma-separated or repeated).
    #[arg(long = "skip-check", value_name = "ID", value_delimiter = ',')]
    pub skip_checks: Vec<String>,

    /// Check only the plugins with this label or unique ID (repeatable).
    #[arg(long = "plugin", short = 'p', value_name = "LABEL OR ID")]
    pub only: Vec<String>,

    /// The most one check of one plugin may take, in seconds, before it counts as a hang.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,

    /// Worker processes at once (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// List the checks with their ids and exit.
    #[arg(long)]
    pub list_checks: bool,
}

/// Serves as a validation worker and exits when the environment asks for one (the parent sets
/// `LADSPA_VALIDATE_WORKER`); returns at once otherwise. Call it first thing in `main` of every
/// binary that calls [`run`].
pub fn serve_worker_if_asked() {
    worker::serve_if_asked();
}

/// Runs the validator with `args`: prints the report (or the JSON document) on standard
/// output, and returns the exit status (see the module docs).
pub fn run(args: ValidateArgs) -> ExitCode {
    match try_run(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ladspa-validate: {message}");
            ExitCode::from(2)
        }
    }
}

/// The checks `args` selects, in run order.
fn selected_checks(args: &ValidateArgs) -> Result<Vec<Check>, String> {
    let parse = |ids: &[String]| -> Result<Vec<Check>, String> {
        ids.iter()
            .map(|id| {
                Check::from_id(id.trim())
                    .ok_or_else(|| format!("unknown check id {id:?} (see --list-checks)"))
            })
            .collect()
    };
    let chosen = parse(&args.checks)?;
    let skipped = parse(&args.skip_checks)?;
    Ok(Check::ALL
        .into_iter()
        .filter(|c| chosen.is_empty() || chosen.contains(c))
        .filter(|c| !skipped.contains(c))
        .collect())
}

fn try_run(args: ValidateArgs) -> Result<ExitCode, String> {
    let mut out = std::io::stdout().lock();
    if args.list_checks {
        for check in Check::ALL {
            // A closed standard output is the reader's choice; nothing to report.
            let _ = writeln!(out, "{:<20} {}", check.id(), check.summary());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let checks = selected_checks(&args)?;
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(format!(
            "--timeout must be a positive number of seconds, not {}",
            args.timeout
        ));
    }
    if args.jobs == Some(0) {
        return Err("--jobs must be at least 1".to_owned());
    }
    let files = scheduler::resolve(&args.plugins)?;
    let program = std::env::current_exe()
        .map_err(|error| format!("cannot find the running executable to start workers: {error}"))?;
    let options = scheduler::Options {
        program,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        timeout: Duration::from_secs_f64(args.timeout),
        checks,
        only: args.only.clone(),
    };
    let document = scheduler::validate(&files, &options);
    if !args.only.is_empty() && document.plugins.is_empty() {
        return Err(format!(
            "no plugin with label or unique ID {:?} in the files given",
            args.only
        ));
    }
    let written = if args.json {
        document.write_json(&mut out)
    } else {
        document.write_text(&mut out)
    };
    if let Err(error) = written {
        return Err(format!("cannot write the report: {error}"));
    }
    Ok(if document.any_failure() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
