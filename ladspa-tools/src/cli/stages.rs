//! The plugins of a command line (`apply`, `live`): each `--plugin` with the `--control`s
//! written after it, and the loading of the plugin files they name.

use clap::ArgMatches;
use ladspa_host::Descriptor;
use ladspa_host::catalog::PluginRecord;

use super::error::CliError;

/// The controls of one plugin, as written after it.
pub(super) struct StageSpec {
    pub(super) plugin: String,
    pub(super) controls: Vec<String>,
}

/// Pairs each `--control` with the `--plugin` before it, by their positions on the command
/// line (clap keeps each list in order, and their indices say how they interleave); `plugins`
/// and `controls` are the arguments of ids `plugins` and `controls` in `matches` (those of
/// `apply` and `live`).
pub(super) fn stages(
    plugins: &[String],
    controls: &[String],
    matches: &ArgMatches,
) -> Result<Vec<StageSpec>, CliError> {
    let plugin_at: Vec<usize> = matches
        .indices_of("plugins")
        .map(Iterator::collect)
        .unwrap_or_default();
    let control_at: Vec<usize> = matches
        .indices_of("controls")
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut stages: Vec<StageSpec> = plugins
        .iter()
        .map(|plugin| StageSpec {
            plugin: plugin.clone(),
            controls: Vec::new(),
        })
        .collect();
    for (control, at) in controls.iter().zip(control_at) {
        let Some(stage) = plugin_at.iter().rposition(|&p| p < at) else {
            return Err(CliError::Usage(format!(
                "--control {control} comes before any --plugin: write it after the plugin it sets"
            )));
        };
        stages[stage].controls.push(control.clone());
    }
    Ok(stages)
}

/// Loads the plugin file of a catalog entry into this process.
pub(super) fn load(record: &PluginRecord) -> Result<Descriptor, CliError> {
    // SAFETY: running the plugins the user named is what `apply` and `live` are for; the file
    // loaded in a scan worker first, and `load` checks that it did not change since.
    Ok(unsafe { record.load() }?)
}
