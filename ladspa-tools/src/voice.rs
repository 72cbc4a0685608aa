//! How the binaries speak on standard error: one prefix per binary (`ladspa: error: …`,
//! `ladspa: warning: …`), set once by the binary; `--quiet` silences warnings.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static PROGRAM: OnceLock<&'static str> = OnceLock::new();
static QUIET: AtomicBool = AtomicBool::new(false);

/// Names the binary that speaks (first call wins).
pub fn set_program(name: &'static str) {
    let _ = PROGRAM.set(name);
}

/// The binary's name, as its messages begin.
pub fn program() -> &'static str {
    PROGRAM.get().copied().unwrap_or("ladspa")
}

/// Silences warnings (errors are still said).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether warnings are silenced.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Says an error: `ladspa: error: {message}`.
pub fn error(message: impl std::fmt::Display) {
    eprintln!("{}: error: {message}", program());
}

/// Says a warning, unless quiet: `ladspa: warning: {message}`.
pub fn warning(message: impl std::fmt::Display) {
    if !quiet() {
        eprintln!("{}: warning: {message}", program());
    }
}

/// Parses a number of seconds for a timeout option: a number of at least a millisecond; values
/// of 10⁹ s (about 32 years) and more mean no limit, and are taken as 10⁹ s.
pub fn seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if value.is_nan() {
        return Err(format!("`{text}` is not a number of seconds"));
    }
    if value < 0.001 {
        return Err(format!(
            "the time allowed must be at least 0.001 seconds, not {text}"
        ));
    }
    Ok(value.min(MAX_SECONDS))
}

/// The longest timeout: more means no limit (and must not overflow a clock).
pub const MAX_SECONDS: f64 = 1e9;

/// Parses the process's arguments for `command` in the binary's voice: `--help` and
/// `--version` print and exit 0; a usage error is said as `{program}: error: …` (clap's own
/// message, with its usage line and hint) and exits 2.
pub fn parse_or_exit(command: clap::Command) -> clap::ArgMatches {
    match command.try_get_matches() {
        Ok(matches) => matches,
        Err(error) => exit_on(error),
    }
}

/// Prints a clap error or help in the binary's voice and exits (0 for help and version, 2 for
/// usage errors).
pub fn exit_on(error: clap::Error) -> ! {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            let text = error.render().to_string();
            // clap begins with "error: "; ours is the binary's prefix before it.
            eprint!("{}: {}", program(), text);
            std::process::exit(2)
        }
    }
}
