//! `--control PORT=VALUE` for `ladspa apply`, by the library's rules
//! ([`ladspa_host::control_setting`]: names in any case, named values from the RDF metadata in
//! any case, a miss listing what is valid); this module adds the stage's number (from 1) and
//! label to the messages, and keeps the range check for the input's sample rate.

use ladspa_host::Descriptor;
use ladspa_host::control_setting::{self, ControlSetting, SettingError};
use ladspa_host::rdf::Database;

/// A control value to check against its port's range once the sample rate is known (bounds
/// may scale with it).
pub struct ControlIssue {
    descriptor: Descriptor,
    stage: usize,
    port: usize,
    value: f32,
}

impl ControlIssue {
    /// The range check of `value` for control input `port` of stage `stage` (from 0).
    pub fn new(descriptor: &Descriptor, stage: usize, port: usize, value: f32) -> Self {
        Self {
            descriptor: descriptor.clone(),
            stage,
            port,
            value,
        }
    }

    /// The warning (or, with `--strict`, the refusal) for this value at `sample_rate`, if it
    /// is out of range there.
    pub fn at_rate(&self, sample_rate: u32) -> Option<String> {
        control_setting::check_range(&self.descriptor, self.port, self.value, sample_rate)
            .err()
            .map(|error| format!("stage {}: {error} at {sample_rate} Hz", self.stage + 1))
    }
}

/// Resolves `--control TEXT` of stage `stage` (counted from 0, when known): the port's index,
/// the value, and the range check to make at the input's rate; or what is wrong, a usage
/// error.
pub fn resolve_control(
    descriptor: &Descriptor,
    text: &str,
    stage: Option<usize>,
) -> Result<(usize, f32, Option<ControlIssue>), String> {
    let setting = parse_control(descriptor, text).map_err(|error| match stage {
        Some(stage) => format!("--control {text}: stage {}: {error}", stage + 1),
        None => format!("--control {text}: {error}"),
    })?;
    let issue = ControlIssue::new(descriptor, stage.unwrap_or(0), setting.port, setting.value);
    Ok((setting.port, setting.value, Some(issue)))
}

/// `PORT=VALUE` by the library's rules, for `--control` and `ladspa live`'s `set`: the port's
/// index and the value, or what is wrong.
pub fn parse_control(descriptor: &Descriptor, text: &str) -> Result<ControlSetting, SettingError> {
    // The RDF metadata is read only for a value that is not a number (reading it takes tens
    // of milliseconds).
    let named = |port| control_setting::rdf_named_values(descriptor, Database::system())(port);
    control_setting::parse_setting(descriptor, text, named)
}
