//! `analyseplugin` of the LADSPA SDK, on this crate: describes the plugin types of one plugin
//! file, verbosely or one line each (`-l`). Same arguments, same standard output byte for byte,
//! same exit status as the SDK's tool; clearer messages on standard error.
//!
//! ```text
//! LADSPA_PATH=/usr/lib/ladspa cargo run -p ladspa-tools --bin analyseplugin -- amp
//! cargo run -p ladspa-tools --bin analyseplugin -- -l /usr/lib/ladspa/delay.so delay_5s
//! ```
//!
//! As with the SDK's tools, a name without a `/` is looked for along `LADSPA_PATH` (with `.so`
//! appended if need be); when it is unset, along the usual directories, as every tool of this
//! package does. The file is read
//! through the [catalog](ladspa_host::catalog): by a worker process, or from the cache when it did
//! not change, so a file that crashes while it loads is reported instead of ending this program.

use std::io::{self, Write};
use std::process::ExitCode;

use super::c_format::c_g;
use ladspa_host::catalog::{FileOutcome, PluginRecord, PortRecord, Scanner};
use ladspa_host::discovery::SearchPath;
use ladspa_host::sys;
use ladspa_host::{DefaultKind, HintFlags, LoadError, Properties};

const USAGE: &str = "Usage:\tanalyseplugin [flags] <LADSPA plugin file name> [<plugin label>].
Flags:-l  Produce a summary list rather than a verbose report.
Note that the LADSPA_PATH environment variable is used to help find plugins.
";

/// Runs `analyseplugin` with these arguments (the program's name left out): prints what the
/// SDK's tool prints, and returns its exit status.
pub fn main(args: &[String]) -> ExitCode {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // The SDK's own argument rules: a flag only first, and no getopt.
    let (name, label, verbose) = match args[..] {
        ["--help"] => {
            print!(
                "Describes the LADSPA plugins of a plugin file, as the SDK's tool does.\n\n{USAGE}"
            );
            return ExitCode::SUCCESS;
        }
        ["-h"] => (None, None, true),
        [name] => (Some(name), None, true),
        ["-l", name] => (Some(name), None, false),
        [name, label] => (Some(name), Some(label), true),
        ["-l", name, label] => (Some(name), Some(label), false),
        _ => (None, None, true),
    };
    let Some(name) = name else {
        eprint!("{USAGE}");
        return ExitCode::FAILURE;
    };

    // The file is read by a worker process through the catalog, so a file that crashes or
    // hangs while it loads is reported rather than taking this program with it.
    let catalog = sdk_search_path()
        .resolve(name)
        .map_err(|error| error.to_string())
        .and_then(|path| {
            Scanner::new()
                .scan_files([path])
                .map_err(|error| error.to_string())
        });
    let file = match catalog.as_ref().map(|catalog| &catalog.files()[0]) {
        Ok(file) => file,
        Err(error) => return fail(error),
    };
    match file.outcome() {
        FileOutcome::Loaded { .. } => {}
        FileOutcome::Refused(LoadError::NoDescriptors { file }) => {
            // The SDK's report of a file without plugins: nothing, then the closing blank line.
            eprintln!("analyseplugin: {} holds no plugin", file.display());
            return finish(if verbose { b"\n" } else { b"" });
        }
        FileOutcome::Refused(error) => return fail(error),
        FileOutcome::Failed(failure) => {
            return fail(format!("{}: {failure}", file.path().display()));
        }
        other => return fail(format!("{}: {other:?}", file.path().display())),
    }
    for rejected in file.rejected() {
        eprintln!("analyseplugin: skipping an invalid plugin: {rejected}");
    }

    let selected: Vec<&PluginRecord> = file
        .plugins()
        .iter()
        .filter(|d| label.is_none_or(|label| d.label() == label))
        .collect();
    let mut out = Vec::new();
    if verbose {
        for descriptor in &selected {
            report(&mut out, descriptor);
        }
        out.push(b'\n');
    } else {
        // Columns as wide as the longest label and ID, plus two spaces (the SDK counts digits
        // with log10).
        let digits = |d: &PluginRecord| (d.unique_id() as f64).log10() as usize + 1;
        let label_width = selected.iter().map(|d| d.label().as_bytes().len()).max();
        let id_width = selected.iter().map(|d| digits(d)).max();
        for descriptor in &selected {
            let label = descriptor.label().as_bytes();
            out.extend_from_slice(label);
            pad(&mut out, label.len(), label_width.unwrap_or(0) + 2);
            out.extend_from_slice(descriptor.unique_id().to_string().as_bytes());
            pad(&mut out, digits(descriptor), id_width.unwrap_or(0) + 2);
            out.extend_from_slice(descriptor.name().as_bytes());
            out.push(b'\n');
        }
    }
    finish(&out)
}

/// Reports an error about the plugin file and fails.
fn fail(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("analyseplugin: {error}");
    ExitCode::FAILURE
}

/// Writes the report and exits successfully (or fails, if standard output is gone).
fn finish(report: &[u8]) -> ExitCode {
    match io::stdout().lock().write_all(report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("analyseplugin: cannot write the report: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The search path of every tool of this package: `LADSPA_PATH`, or the usual directories
/// when it is unset or empty ([`SearchPath::from_env`]), which is what the SDK's tools mean to
/// search (Debian's build of them falls back to a relative directory named
/// `DEFAULT_LADSPA_PATH`, which is nowhere).
fn sdk_search_path() -> SearchPath {
    SearchPath::from_env()
}

fn pad(out: &mut Vec<u8>, from: usize, to: usize) {
    out.resize(out.len() + to.saturating_sub(from), b' ');
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "Yes" } else { "No" }
}

/// `name: "value"` and a newline, the value's bytes as the plugin gave them.
fn quoted(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.extend_from_slice(format!("{name}: \"").as_bytes());
    out.extend_from_slice(value);
    out.extend_from_slice(b"\"\n");
}

/// The verbose report of one plugin type.
fn report(out: &mut Vec<u8>, d: &PluginRecord) {
    out.push(b'\n');
    quoted(out, "Plugin Name", d.name().as_bytes());
    quoted(out, "Plugin Label", d.label().as_bytes());
    out.extend_from_slice(format!("Plugin Unique ID: {}\n", d.unique_id()).as_bytes());
    quoted(out, "Maker", d.maker().as_bytes());
    quoted(out, "Copyright", d.copyright().as_bytes());
    let properties = d.properties();
    let mut text = format!(
        "Must Run Real-Time: {}\nHas activate() Function: {}\nHas deactivate() Function: {}\n\
         Has run_adding() Function: {}\nEnvironment: {}\n",
        yes_no(properties.contains(Properties::REALTIME)),
        yes_no(d.has_activate()),
        yes_no(d.has_deactivate()),
        yes_no(d.has_run_adding()),
        if properties.contains(Properties::HARD_RT_CAPABLE) {
            "Normal or Hard Real-Time"
        } else {
            "Normal"
        },
    );
    if properties.contains(Properties::INPLACE_BROKEN) {
        text += "This plugin cannot use in-place processing. It will not work with all hosts.\n";
    }
    text += "Ports:";
    if d.ports().is_empty() {
        text += "\tERROR: PLUGIN HAS NO PORTS.\n";
    }
    out.extend_from_slice(text.as_bytes());
    for port in d.ports() {
        out.extend_from_slice(b"\t\"");
        out.extend_from_slice(port.name().as_bytes());
        out.extend_from_slice(b"\" ");
        out.extend_from_slice(port_details(port).as_bytes());
        out.push(b'\n');
    }
}

/// What follows a port's name: direction, kind, range, default and flags, as the SDK words them.
fn port_details(port: &PortRecord) -> String {
    let hint = port.hint();
    let raw = hint.raw();
    let flags = hint.flags();
    let mut text = format!(
        "{}, {}",
        if port.is_input() { "input" } else { "output" },
        if port.is_audio() { "audio" } else { "control" }
    );
    // A bound (or a default between bounds) is a multiple of the sample rate when the hint says
    // so, unless it is 0.
    let value = |v: f32| {
        if flags.contains(HintFlags::SAMPLE_RATE) && v != 0.0 {
            format!("{}*srate", c_g(v.into()))
        } else {
            c_g(v.into())
        }
    };
    if hint.lower_bound().is_some() || hint.upper_bound().is_some() {
        let bound = |b: Option<f32>| b.map_or_else(|| "...".to_owned(), value);
        text += &format!(
            ", {} to {}",
            bound(hint.lower_bound()),
            bound(hint.upper_bound())
        );
    }
    if flags.contains(HintFlags::TOGGLED) {
        // Toggled goes with no other flag, and with no default but 0 or 1.
        let alone = raw.HintDescriptor | sys::LADSPA_HINT_DEFAULT_0 | sys::LADSPA_HINT_DEFAULT_1
            == sys::LADSPA_HINT_TOGGLED | sys::LADSPA_HINT_DEFAULT_0 | sys::LADSPA_HINT_DEFAULT_1;
        text += if alone {
            ", toggled"
        } else {
            ", ERROR: TOGGLED INCOMPATIBLE WITH OTHER HINT"
        };
    }
    // The SDK's arithmetic, to its last bit: the raw bounds (declared or not) in single
    // precision, quarters in double, the geometric middle with `sqrtf`, no rounding for
    // INTEGER, no clamping.
    let (lower, upper) = (raw.LowerBound, raw.UpperBound);
    let (l, u) = (f64::from(lower), f64::from(upper));
    let log = flags.contains(HintFlags::LOGARITHMIC);
    let between = |at_upper: f64| {
        if log {
            (l.ln() * (1.0 - at_upper) + u.ln() * at_upper).exp() as f32
        } else {
            (l * (1.0 - at_upper) + u * at_upper) as f32
        }
    };
    let default = match hint.default_kind() {
        DefaultKind::Minimum => Some(value(lower)),
        DefaultKind::Low => Some(value(between(0.25))),
        DefaultKind::Middle if log => Some(value((lower * upper).sqrt())),
        DefaultKind::Middle => Some(value((lower + upper) * 0.5)),
        DefaultKind::High => Some(value(between(0.75))),
        DefaultKind::Maximum => Some(value(upper)),
        DefaultKind::Zero => Some("0".to_owned()),
        DefaultKind::One => Some("1".to_owned()),
        DefaultKind::Hundred => Some("100".to_owned()),
        DefaultKind::Concert440 => Some("440".to_owned()),
        _ if raw.HintDescriptor & sys::LADSPA_HINT_DEFAULT_MASK != 0 => None,
        _ => Some(String::new()),
    };
    match default {
        Some(default) if default.is_empty() => {}
        Some(default) => text += &format!(", default {default}"),
        None => text += ", UNKNOWN DEFAULT CODE",
    }
    if log {
        text += ", logarithmic";
    }
    if flags.contains(HintFlags::INTEGER) {
        text += ", integer";
    }
    text
}
