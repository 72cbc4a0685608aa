//! Control values as people write them (`Gain=0.5`, `0=0.5`, `reverb type=hall (large)`): the
//! one set of rules the command line, chain specs, the Python package and the live host share.
//!
//! - A port is named by index or by name; a name matches exactly first, else in any case when
//!   exactly one control input has it.
//! - A value is a number, or one of the port's named values (scale points, from the RDF
//!   metadata), matched in any case; a miss lists the valid names.
//! - A value outside the port's declared range is still a value (hints are hints): the caller
//!   decides whether [`check_range`]'s answer is a warning or a refusal.

use std::fmt;

use crate::descriptor::Descriptor;
use crate::port::Port;

/// A named value of a port (an RDF scale point): its name and number.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedValue {
    /// The name (`Hall (Large)`).
    pub label: String,
    /// The number it stands for.
    pub value: f32,
}

/// A control input and the value to set it to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlSetting {
    /// The port's index.
    pub port: usize,
    /// The value, finite.
    pub value: f32,
}

/// Why a written control setting does not apply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingError {
    /// No `=` between a port and a value.
    #[error("`{given}` is not PORT=VALUE (a port's name or index, then = and a value)")]
    Syntax {
        /// The text as written.
        given: String,
    },
    /// No control input has that name or index.
    #[error(
        "{label} has no control input `{given}`; its control inputs are: {}",
        list(available)
    )]
    NoSuchPort {
        /// The plugin's label.
        label: String,
        /// The port as written.
        given: String,
        /// `(index, name)` of each control input.
        available: Vec<(usize, String)>,
    },
    /// Several control inputs have that name (in any case).
    #[error(
        "{label} has several control inputs named `{given}` ({}): name one by index",
        indices(ports)
    )]
    AmbiguousPort {
        /// The plugin's label.
        label: String,
        /// The port as written.
        given: String,
        /// Their indices.
        ports: Vec<usize>,
    },
    /// The value is not a finite number, nor a named value of the port.
    #[error(
        "{label}: `{given}` is not a value for port {port} \"{name}\": {}",
        if named.is_empty() { "give a finite number".to_owned() } else { format!("give a number or one of {}", named.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")) }
    )]
    BadValue {
        /// The plugin's label.
        label: String,
        /// The port's index.
        port: usize,
        /// The port's name.
        name: String,
        /// The value as written.
        given: String,
        /// The port's named values.
        named: Vec<String>,
    },
    /// The value is outside the port's declared range (at the sample rate).
    #[error("{label}: {value} for port {port} \"{name}\" is outside its range, {}", range(*lower, *upper))]
    OutOfRange {
        /// The plugin's label.
        label: String,
        /// The port's index.
        port: usize,
        /// The port's name.
        name: String,
        /// The value.
        value: f32,
        /// The lower bound at the sample rate, if declared.
        lower: Option<f32>,
        /// The upper bound at the sample rate, if declared.
        upper: Option<f32>,
    },
}

fn list(ports: &[(usize, String)]) -> String {
    if ports.is_empty() {
        return "none".to_owned();
    }
    let items: Vec<String> = ports
        .iter()
        .map(|(index, name)| format!("{index} \"{name}\""))
        .collect();
    items.join(", ")
}

fn indices(ports: &[usize]) -> String {
    let items: Vec<String> = ports.iter().map(ToString::to_string).collect();
    items.join(", ")
}

fn range(lower: Option<f32>, upper: Option<f32>) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{l} to {u}"),
        (Some(l), None) => format!("at least {l}"),
        (None, Some(u)) => format!("at most {u}"),
        (None, None) => "unbounded".to_owned(),
    }
}

fn label(descriptor: &Descriptor) -> String {
    descriptor.label().to_string_lossy().into_owned()
}

fn control_inputs(descriptor: &Descriptor) -> impl Iterator<Item = Port<'_>> {
    descriptor
        .ports()
        .filter(|port| port.is_control() && port.is_input())
}

/// The control input `key` names: an index, or a name (exact, else in any case when only one
/// control input has it; surrounding blanks ignored).
pub fn find_control_input(descriptor: &Descriptor, key: &str) -> Result<usize, SettingError> {
    let key = key.trim();
    if let Ok(port) = descriptor.control_input(key) {
        return Ok(port.index());
    }
    if let Ok(index) = key.parse::<usize>() {
        if let Ok(port) = descriptor.control_input(index) {
            return Ok(port.index());
        }
    }
    let folded: Vec<usize> = control_inputs(descriptor)
        .filter(|port| {
            port.name()
                .to_string_lossy()
                .trim()
                .eq_ignore_ascii_case(key)
        })
        .map(|port| port.index())
        .collect();
    match folded.as_slice() {
        [only] => Ok(*only),
        [] => Err(SettingError::NoSuchPort {
            label: label(descriptor),
            given: key.to_owned(),
            available: control_inputs(descriptor)
                .map(|p| (p.index(), p.name().to_string_lossy().into_owned()))
                .collect(),
        }),
        several => Err(SettingError::AmbiguousPort {
            label: label(descriptor),
            given: key.to_owned(),
            ports: several.to_vec(),
        }),
    }
}

/// The value `text` stands for on control input `port`: a finite number, or one of the port's
/// named values (asked of `named` only when `text` is not a number) in any case.
pub fn parse_value(
    descriptor: &Descriptor,
    port: usize,
    text: &str,
    named: impl FnOnce() -> Vec<NamedValue>,
) -> Result<f32, SettingError> {
    let trimmed = text.trim();
    if let Some(number) = trimmed.parse::<f32>().ok().filter(|v| v.is_finite()) {
        return Ok(number);
    }
    let named = named();
    let by_name = named
        .iter()
        .find(|n| n.label.trim().eq_ignore_ascii_case(trimmed))
        .map(|n| n.value);
    by_name.ok_or_else(|| SettingError::BadValue {
        label: label(descriptor),
        port,
        name: descriptor
            .port(port)
            .map(|p| p.name().to_string_lossy().into_owned())
            .unwrap_or_default(),
        given: text.to_owned(),
        named: named.iter().map(|n| n.label.clone()).collect(),
    })
}

/// Parses `PORT=VALUE` for `descriptor`: the port by [`find_control_input`], the value by
/// [`parse_value`] with the port's named values from `named_values` (called only for a value
/// that is not a number). A name may itself hold
/// `=`: the first split whose left side names a control input wins.
///
/// ```
/// # let path = ladspa_testplugins::reference_plugin("tp_amp");
/// # // SAFETY: the test plugins are trusted.
/// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
/// use ladspa_host::control_setting::{parse_setting, ControlSetting};
///
/// let amp = plugin.find_label("tp_amp_mono")?;
/// let none = |_port: usize| Vec::new();
/// assert_eq!(parse_setting(&amp, "gain=0.5", none)?, ControlSetting { port: 0, value: 0.5 });
/// assert_eq!(parse_setting(&amp, "0=2", none)?, ControlSetting { port: 0, value: 2.0 });
/// assert!(parse_setting(&amp, "Volume=1", none).is_err()); // lists the control inputs
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_setting(
    descriptor: &Descriptor,
    text: &str,
    named_values: impl Fn(usize) -> Vec<NamedValue>,
) -> Result<ControlSetting, SettingError> {
    let mut first_error = None;
    for (at, _) in text.match_indices('=') {
        match find_control_input(descriptor, &text[..at]) {
            Ok(port) => {
                let value = parse_value(descriptor, port, &text[at + 1..], || named_values(port))?;
                return Ok(ControlSetting { port, value });
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| SettingError::Syntax {
        given: text.to_owned(),
    }))
}

/// Whether `value` is within control input `port`'s declared range at `sample_rate`
/// ([`SettingError::OutOfRange`] when not; a port without bounds takes everything).
pub fn check_range(
    descriptor: &Descriptor,
    port: usize,
    value: f32,
    sample_rate: u32,
) -> Result<(), SettingError> {
    let Some(found) = descriptor.port(port) else {
        return Ok(());
    };
    let (lower, upper) = found.hint().bounds_at(sample_rate);
    // A small tolerance: bounds scaled by the sample rate are rounded in single precision.
    let slack = |bound: f32| bound.abs() * 1e-6;
    let below = lower.is_some_and(|l| value < l - slack(l));
    let above = upper.is_some_and(|u| value > u + slack(u));
    if below || above {
        return Err(SettingError::OutOfRange {
            label: label(descriptor),
            port,
            name: found.name().to_string_lossy().into_owned(),
            value,
            lower,
            upper,
        });
    }
    Ok(())
}

/// The named values of each port of `descriptor` in the RDF metadata of `database`, for
/// [`parse_setting`].
#[cfg(feature = "rdf")]
pub fn rdf_named_values<'a>(
    descriptor: &Descriptor,
    database: &'a crate::rdf::Database,
) -> impl Fn(usize) -> Vec<NamedValue> + 'a {
    let plugin = descriptor.rdf(database);
    move |port| {
        plugin
            .and_then(|p| p.port(port))
            .map(|p| {
                p.scale_points()
                    .iter()
                    .map(|point| NamedValue {
                        label: point.label.clone(),
                        value: point.value,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl fmt::Display for NamedValue {
    /// `15 = Hall (Large)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.value, self.label)
    }
}
