//! The command line, as the SDK reads it: the `-s` flag, then the input and output files and
//! the plugins with their control values; each plugin found through the catalog.

use std::ffi::{CString, c_char};
use std::process::ExitCode;

use ladspa_host::catalog::{FileOutcome, Scanner};
use ladspa_host::discovery::SearchPath;
use ladspa_host::{Descriptor, Properties};

use crate::sdk::c_format::c_g;

/// The SDK's usage text, word for word.
pub(super) const USAGE: &str = "Usage:\tapplyplugin [flags] <input audio file> <output audio file>
\t<LADSPA plugin file name> <plugin label> <Control1> <Control2>...
\t[<LADSPA plugin file name> <plugin label> <Control1> <Control2>...]...
Flags:\t-s<seconds>  Add seconds of silence after end of input file.

To find out what control values are needed by a plugin, use the
\"analyseplugin\" program and check for control input ports.
Note that the LADSPA_PATH environment variable is used to help find plugins.
";

/// A failure: what to say on standard error. The exit status is 1, as for every SDK error.
pub(super) type Failure = String;

/// What the command line asks for.
pub(super) enum CommandLine {
    /// Stop at once with this status (the usage or the plugin's controls were printed).
    Stop(ExitCode),
    /// Run this job.
    Run(Job),
}

/// The job the command line describes.
pub(super) struct Job {
    /// The input file, as given.
    pub(super) input: String,
    /// The output file, as given.
    pub(super) output: String,
    /// Seconds of silence after the input.
    pub(super) seconds: f32,
    /// The plugins, in order.
    pub(super) chain: Vec<Stage>,
    /// A lone argument followed the last plugin: the SDK runs the chain, then says the usage.
    pub(super) trailing_argument: bool,
}

/// One plugin of the chain, as given on the command line.
pub(super) struct Stage {
    pub(super) descriptor: Descriptor,
    pub(super) controls: Vec<f32>,
}

/// Reads the arguments and finds the plugins.
pub(super) fn parse(args: &[String]) -> Result<CommandLine, Failure> {
    // `-s<seconds>` or `-s <seconds>`, first only; like the SDK, a malformed number is what
    // its longest number-like prefix says, or 0.
    let (seconds, rest) = match args {
        [flag, seconds, rest @ ..] if flag == "-s" => (strtod(seconds).0, rest),
        [flag, rest @ ..] if flag.starts_with("-s") && !rest.is_empty() => {
            (strtod(&flag[2..]).0, rest)
        }
        _ => (0.0, args),
    };
    let seconds = seconds as f32;
    if rest.len() < 4 {
        eprint!("{USAGE}");
        return Ok(CommandLine::Stop(ExitCode::FAILURE));
    }
    let (input, output, mut rest) = (&rest[0], &rest[1], &rest[2..]);
    if seconds.is_nan() || seconds < 0.0 {
        return Err(format!(
            "-s{seconds}: the seconds of silence must be 0 or more"
        ));
    }

    // LADSPA_PATH, or the usual directories: the one default of every tool of this package.
    let search_path = SearchPath::from_env();
    let mut chain = Vec::new();
    // Plugins and their controls, as the SDK reads them: a trailing lone argument is a usage
    // error, said only after the chain before it has run.
    let mut usage_error = false;
    while !rest.is_empty() {
        let [file, label, controls @ ..] = rest else {
            usage_error = true;
            break;
        };
        let descriptor = find(&search_path, file, label)?;
        if descriptor.properties().contains(Properties::INPLACE_BROKEN) {
            return Err(format!(
                "{label} ({file}) is INPLACE_BROKEN, and this program, like the SDK's, \
                 runs every plugin in place"
            ));
        }
        let names: Vec<String> = descriptor
            .ports()
            .filter(|p| p.is_control() && p.is_input())
            .map(|p| p.name().to_string())
            .collect();
        let values: Option<Vec<f32>> = controls.get(..names.len()).and_then(|given| {
            given
                .iter()
                .map(|text| match strtod(text) {
                    (value, true) => Some(value as f32),
                    (_, false) => None,
                })
                .collect()
        });
        let Some(controls) = values else {
            // The SDK lists the controls and stops, successfully.
            match controls
                .iter()
                .zip(&names)
                .find(|(text, _)| !strtod(text).1)
            {
                Some((text, name)) => eprintln!(
                    "applyplugin: {label} ({file}): the value `{text}` for \"{name}\" is not a number"
                ),
                None => eprintln!(
                    "applyplugin: {label} ({file}) takes {} control value(s), {} given",
                    names.len(),
                    controls.len()
                ),
            }
            eprintln!("{}", control_list(&descriptor));
            return Ok(CommandLine::Stop(ExitCode::SUCCESS));
        };
        rest = &rest[2 + names.len()..];
        chain.push(Stage {
            descriptor,
            controls,
        });
    }

    Ok(CommandLine::Run(Job {
        input: input.clone(),
        output: output.clone(),
        seconds,
        chain,
        trailing_argument: usage_error,
    }))
}

/// Finds the plugin type `label` of the plugin file `file` through the catalog (a worker process
/// reads the file, or the cache knows it), then loads it here. A file that crashes or hangs
/// while it loads is reported as such instead of ending this program.
fn find(search_path: &SearchPath, file: &str, label: &str) -> Result<Descriptor, Failure> {
    let path = search_path.resolve(file).map_err(|e| e.to_string())?;
    let catalog = Scanner::new()
        .scan_files([path])
        .map_err(|e| e.to_string())?;
    let record = &catalog.files()[0];
    match record.outcome() {
        FileOutcome::Loaded { .. } => {}
        FileOutcome::Refused(error) => return Err(error.to_string()),
        FileOutcome::Failed(failure) => {
            return Err(format!("{}: {failure}", record.path().display()));
        }
        other => return Err(format!("{}: {other:?}", record.path().display())),
    }
    let found = record.find_label(label).map_err(|e| e.to_string())?;
    // SAFETY: loading runs the plugin file's code; the user asked for this file, and a worker
    // has just loaded it without harm.
    unsafe { found.load() }.map_err(|e| e.to_string())
}

/// The control inputs of a plugin and their ranges, as the SDK lists them.
fn control_list(d: &Descriptor) -> String {
    let mut text = format!("Plugin \"{}\" has the following control inputs:", d.name());
    let controls = d.ports().filter(|p| p.is_control() && p.is_input());
    let mut any = false;
    for port in controls {
        any = true;
        let hint = port.hint();
        let bound = |b: Option<f32>| match b {
            Some(b) if hint.is_sample_rate() && b != 0.0 => {
                format!("{} * sample rate", c_g(b.into()))
            }
            Some(b) => c_g(b.into()),
            None => "...".to_owned(),
        };
        text += &format!("\n\t{}", port.name());
        if hint.lower_bound().is_some() || hint.upper_bound().is_some() {
            text += &format!(
                " ({} to {})",
                bound(hint.lower_bound()),
                bound(hint.upper_bound())
            );
        }
    }
    if !any {
        text += "\n\tnone";
    }
    text
}

/// C's `strtod`, which the SDK parses numbers with: the value, and whether the whole text was
/// the number (the SDK takes leading blanks, hexadecimal, `inf`, `nan(...)`, and the empty
/// string as 0).
fn strtod(text: &str) -> (f64, bool) {
    unsafe extern "C" {
        fn strtod(text: *const c_char, end: *mut *mut c_char) -> f64;
    }
    let Ok(c_text) = CString::new(text) else {
        return (0.0, false);
    };
    let mut end = std::ptr::null_mut();
    // SAFETY: `c_text` is a NUL-terminated string that outlives the call, and `end` a valid
    // place for strtod to store a pointer into it.
    let value = unsafe { strtod(c_text.as_ptr(), &mut end) };
    // SAFETY: strtod sets `end` within `c_text` (at most at its NUL).
    let used = unsafe { end.offset_from(c_text.as_ptr()) };
    (value, used as usize == text.len())
}
