//! `ladspa info`: one plugin type (or each of a file's) in full: ports with their bounds and
//! defaults at a sample rate, and what the RDF metadata adds (class, units, named values,
//! presets).

use std::io::{self, Write};

use ladspa_host::rdf::Database;
use serde::Serialize;

use super::describe::{Details, PortDetails};
use ladspa_host::PluginName;
use ladspa_host::catalog::Resolver;

use super::error::CliError;

#[derive(Serialize)]
struct Document {
    plugins: Vec<Details>,
}

/// Describes the plugin types `name` stands for at `sample_rate`.
pub fn info(
    resolver: &mut Resolver,
    name: &PluginName,
    sample_rate: u32,
    json: bool,
) -> Result<(), CliError> {
    let rdf = Database::system();
    let plugins: Vec<Details> = resolver
        .resolve(name)?
        .iter()
        .map(|plugin| Details::of(plugin, rdf, sample_rate))
        .collect();
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &Document { plugins })?;
        writeln!(out)?;
        return Ok(());
    }
    for (i, plugin) in plugins.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_details(&mut out, plugin)?;
    }
    Ok(())
}

fn write_details(out: &mut impl Write, plugin: &Details) -> io::Result<()> {
    let summary = &plugin.summary;
    writeln!(out, "{} ({})", summary.name, summary.label)?;
    writeln!(out, "  unique ID   {}", summary.unique_id)?;
    writeln!(
        out,
        "  file        {} (plugin {})",
        summary.file, summary.index
    )?;
    writeln!(out, "  maker       {}", plugin.maker)?;
    writeln!(out, "  copyright   {}", plugin.copyright)?;
    if let Some(class) = &summary.class {
        write!(out, "  class       {class}")?;
        if !plugin.class_ancestors.is_empty() {
            write!(out, " (in {})", plugin.class_ancestors.join(", "))?;
        }
        writeln!(out)?;
    }
    let mut properties = plugin.properties.clone();
    if plugin.run_adding {
        properties.push("run-adding");
    }
    if !properties.is_empty() {
        writeln!(out, "  properties  {}", properties.join(", "))?;
    }
    writeln!(out, "  ports (at {} Hz):", plugin.sample_rate)?;
    let name_width = plugin.ports.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for port in &plugin.ports {
        let line = format!(
            "    {:>2}  {:<name_width$}  {:<6} {:<7}{}",
            port.index,
            port.name,
            port.direction,
            port.kind,
            range(port)
        );
        writeln!(out, "{}", line.trim_end())?;
        for point in &port.scale_points {
            writeln!(out, "          {:>8} = {}", point.value, point.label)?;
        }
    }
    for preset in &plugin.presets {
        let name = match (&preset.name, preset.default) {
            (Some(name), true) => format!("{name:?} (default)"),
            (Some(name), false) => format!("{name:?}"),
            (None, true) => "default".to_owned(),
            (None, false) => "unnamed".to_owned(),
        };
        let values: Vec<String> = preset
            .values
            .iter()
            .map(|(port, value)| format!("{port}={value}"))
            .collect();
        writeln!(out, "  preset {name}: {}", values.join(" "))?;
    }
    Ok(())
}

/// `  0 to 1, default 0.5, logarithmic, dB` for a control port; nothing for audio.
fn range(port: &PortDetails) -> String {
    let mut parts = Vec::new();
    match (port.lower, port.upper) {
        (Some(lower), Some(upper)) => parts.push(format!("{lower} to {upper}")),
        (Some(lower), None) => parts.push(format!("at least {lower}")),
        (None, Some(upper)) => parts.push(format!("at most {upper}")),
        (None, None) => {}
    }
    if let Some(default) = port.default {
        parts.push(format!("default {default}"));
    }
    parts.extend(port.hints.iter().map(|hint| hint.to_string()));
    if let Some(units) = &port.units {
        parts.push(units.clone());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(", "))
    }
}
