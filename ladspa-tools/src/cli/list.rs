//! `ladspa list`: every plugin type along the search path, one line each, or as JSON.

use std::io::{self, Write};

use ladspa_host::rdf::Database;
use serde::Serialize;

use super::describe::Summary;
use ladspa_host::catalog::{Resolver, why_unusable};

use super::error::CliError;

/// `ladspa list --json`: the plugin types, and the files that gave none with the reason.
#[derive(Serialize)]
struct Listing {
    plugins: Vec<Summary>,
    failures: Vec<Failure>,
}

#[derive(Serialize)]
struct Failure {
    file: String,
    error: String,
}

/// Lists every plugin type along the resolver's path; files that give no plugin are reported
/// (on standard error, or in the JSON document) and the listing goes on.
pub fn list(resolver: &mut Resolver, json: bool) -> Result<(), CliError> {
    let catalog = resolver.catalog()?;
    let rdf = Database::system();
    let mut plugins: Vec<Summary> = catalog
        .plugins()
        .map(|plugin| Summary::of(plugin, rdf))
        .collect();
    // By label, then file: a label in two files shows as neighbours.
    plugins.sort_by(|a, b| (&a.label, &a.file, a.index).cmp(&(&b.label, &b.file, b.index)));
    let mut failures: Vec<Failure> = catalog
        .failures()
        .map(|file| Failure {
            file: file.path().display().to_string(),
            error: why_unusable(file.outcome()).unwrap_or_default(),
        })
        .collect();
    // A search path entry that is not a directory (LADSPA_PATH naming a plugin file) is the
    // caller's to fix: said as an error, after the listing, with status 2.
    let mut not_dirs = Vec::new();
    for (dir, error) in catalog.unreadable() {
        if dir.exists() && !dir.is_dir() {
            not_dirs.push(dir.display().to_string());
        }
        failures.push(Failure {
            file: dir.display().to_string(),
            error: format!("search path entry: {error}"),
        });
    }
    let empty = catalog.plugins().next().is_none();
    let mut out = io::stdout().lock();
    if json {
        let listing = Listing { plugins, failures };
        serde_json::to_writer_pretty(&mut out, &listing)?;
        writeln!(out)?;
        return Ok(());
    }
    // Labels are short identifiers, but a few run to 60 characters: those break the column.
    let label_width = plugins
        .iter()
        .map(|p| p.label.len())
        .filter(|&len| len <= 24)
        .max()
        .unwrap_or(0);
    for plugin in &plugins {
        let shape = format!("{}→{}", plugin.audio_inputs, plugin.audio_outputs);
        writeln!(
            out,
            "{:>10}  {:<label_width$}  {:<5} {}  ({}){}",
            plugin.unique_id,
            plugin.label,
            shape,
            plugin.name,
            plugin.file,
            plugin
                .class
                .as_deref()
                .map(|class| format!(" [{class}]"))
                .unwrap_or_default()
        )?;
    }
    // A search path entry that is not a directory is said once, as the error below.
    for failure in failures.iter().filter(|f| !not_dirs.contains(&f.file)) {
        // Each path once: most reasons name their file already.
        if failure.error.contains(&failure.file) {
            crate::voice::warning(&failure.error);
        } else {
            crate::voice::warning(format_args!("{}: {}", failure.file, failure.error));
        }
    }
    if !not_dirs.is_empty() {
        return Err(CliError::Usage(format!(
            "the search path names {}, which is not a directory: name the directories that \
             hold plugin files (a plugin file itself is named to info and apply)",
            not_dirs.join(", ")
        )));
    }
    if empty && resolver.path().dirs().is_empty() {
        crate::voice::warning(
            "the search path is empty: set LADSPA_PATH or --path to the directories that hold plugin files",
        );
    } else if empty {
        let missing: Vec<String> = resolver
            .path()
            .dirs()
            .iter()
            .filter(|dir| !dir.exists())
            .map(|dir| dir.display().to_string())
            .collect();
        let missing = match missing.len() {
            0 => String::new(),
            1 => format!("; {} does not exist", missing[0]),
            _ => format!("; {} do not exist", missing.join(", ")),
        };
        crate::voice::warning(format_args!(
            "no plugin along the search path {}{missing} (set LADSPA_PATH or --path to the directories that hold plugin files)",
            resolver.path()
        ));
    }
    Ok(())
}
