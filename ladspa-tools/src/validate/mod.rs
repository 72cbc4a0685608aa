//! `ladspa-validate`: checks LADSPA plugins for the defects that only show in particular
//! hosts, each check in a worker process with a timeout, so that a crash or a hang is a
//! result, never the end of the run.
//!
//! The checks and their stable ids are [`Check::ALL`] (`--list-checks` prints them with what
//! each does). The library side used by the binaries is [`ValidateArgs`] (the options, for
//! `clap`'s `#[command(flatten)]`), [`run`] and [`serve_worker_if_asked`].
//!
//! # The pipeline
//!
//! Four stages, each module importing only from those after it:
//!
//! 1. `scheduler` (the parent process): lists each file's plugin types in a worker, then runs
//!    the selected checks of each type in workers, `--jobs` at once, with a timeout per check;
//!    a worker that dies or hangs fails the check it was in, and a new one goes on.
//! 2. `worker` (a child process): loads the file and runs checks of the suite on one type,
//!    answering on the `protocol` channel (one JSON message per line, a step said
//!    before every call into the plugin).
//! 3. `suite`: the checks themselves ([`Check`]), which drive raw instances through a rig and
//!    say their steps through a small trait, so they know nothing of processes or pipes.
//! 4. `report`: the results as a [`Document`], rendered as text or as the stable JSON.
//!
//! # What each check does, and what it cannot see
//!
//! Every check but `instantiate-rates` runs at 48 kHz with the controls at their defaults
//! (the host's initial value where there is none) and noise in [-0.5, 0.5) on the audio
//! inputs, in blocks of 1024 samples; audio ports point at 8192-sample scratch buffers
//! outside runs. Comparisons allow a relative difference of 1e-4.
//!
//! | id | what it does | what it cannot see |
//! |---|---|---|
//! | `load` | lists the descriptors in a worker (a file that crashes or hangs while loading fails here); validation defects per descriptor | — |
//! | `instantiate-rates` | instantiate, activate, 1024 samples, cleanup at 8000 … 192000 Hz; NULL is a failure at 44100/48000, a warning elsewhere | defects at other rates |
//! | `cleanup-unactivated` | instantiate, then cleanup, no port connected | a crash that needs connected ports |
//! | `buffer-overrun` | 64 canary samples before and after each audio buffer, runs of 1000, 1, 37, 4096, 64 | reads past a buffer (valgrind sees them), writes farther than 64 samples away |
//! | `input-written` | inputs compared bit for bit after each of 4 runs | writes that restore the value |
//! | `write-outside-run` | scratch buffers filled with a marker, compared after connect_port, activate, a reconnection, deactivate, cleanup | reads outside runs |
//! | `zero-length` | run(0) on marked 16-sample buffers, then run(0) on an inaccessible page (any touch faults) | — |
//! | `non-finite-output` | 8192 samples, controls at default, then all at their lower bounds, then all at their upper bounds; audio and control outputs | other combinations |
//! | `denormal-output` | 0.1 s of noise then 2 s of silence (generators: 2.1 s); subnormals in the audio outputs | subnormals inside the plugin that never reach an output |
//! | `reset` | one instance: Y, other input, deactivate + activate, Y again; skipped without `activate` | state that only shows after longer runs |
//! | `determinism` | two instances (both made before either runs) on the same input | differences that need other inputs |
//! | `inplace` | i-th input and output on one buffer vs separate buffers, fresh instances | other pairings |
//! | `block-size` | blocks of 1, 64, 1000, 4096 vs 1024 (a warning) | — |
//! | `run-adding` | `run_adding` with gain 0.5 onto noise B vs B + 0.5 × `run` | — |
//! | `control-range` | one instance; each bounded control through 9 values (8192 samples at each end, 256–2048 inside), others at defaults; a crash, hang or non-finite output (when the defaults gave finite ones) fails | unbounded controls (not swept), combinations of controls, values outside the declared range |
//! | `rt-safety` | allocator calls, `pthread_mutex_lock` and (x86-64 Linux, seccomp) system calls by the running thread inside 16 runs | `valloc`/`pvalloc`, other lock kinds when they do not enter the kernel, vDSO calls (`clock_gettime`), work done on other threads |
//! | `fp-environment` | MXCSR / FPCR before and after loading the file (a plain `dlopen`) and after each call of an instance's life (restored after each call in every check) | changes made and undone within one call |
//! | `cpu` | ns per sample at 48 kHz over up to 1 s of audio (0.5 s of time) | — |
//!
//! The comparisons (`inplace`, `block-size`, `run-adding`) are blamed on the plugin only when
//! two plain instances agree; otherwise they are skipped, pointing at `determinism`.
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
//! # Allocation, lock and system call detection
//!
//! The `rt-safety` check counts calls of `malloc`, `calloc`, `realloc`, `free`,
//! `posix_memalign`, `aligned_alloc`, `memalign` and `pthread_mutex_lock` made by the thread
//! inside `run`. This library defines those functions (forwarding to glibc), and the
//! package's build script exports them from its binaries' dynamic symbol table
//! (`-Wl,--export-dynamic-symbol=…`), so plugin files bind to them. A program that links this
//! library without those flags gets `rt-safety` skipped with the reason, not a pass. On x86-64
//! Linux the runs happen on a thread of their own under a seccomp filter that traps its system
//! calls, which a SIGSYS handler counts and carries out (see `syscalls.rs`); where the filter
//! cannot be installed, the message says that system calls were not checked.
//!
//! # Exit status
//!
//! 0 when no check failed (warnings do not count), 1 when any check failed, 2 on a usage error
//! (unknown option or check id, a plugin that cannot be found).

mod protocol;
mod report;
mod scheduler;
mod suite;
mod worker;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

pub use report::{CheckResult, Document, PluginReport};
pub use suite::Check;
pub use suite::outcome::Verdict;

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

    /// The most one check of one plugin may take, in seconds, before it counts as a hang (10^9
    /// and more: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = crate::voice::seconds)]
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
            crate::voice::error(message);
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
        // (At most 10^9 s, which neither the conversion nor a deadline overflows.)
        timeout: Duration::from_secs_f64(args.timeout.min(crate::voice::MAX_SECONDS)),
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
    match written {
        // The reader went away (`ladspa validate … | head`): it has read what it wanted.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS);
        }
        Err(error) => return Err(format!("cannot write the report: {error}")),
        Ok(()) => {}
    }
    Ok(if document.any_failure() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
